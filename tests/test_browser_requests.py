"""No page makes the viewer's browser contact any host but the app's own: every request of every
page, on the demo network in a real Chromium, goes to the address the app is served from.
(A :material/…: page icon used to make every page fetch its SVG from fonts.gstatic.com.)"""

import base64
from urllib.parse import urlsplit

import pytest
from browser_support import ROOT, chromium_page
from browser_waits import no_exception, open_page
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# where each page is served (the default page at the root), and the charts it draws on the demo
ICON = (ROOT / "assets" / "kokemusmittari.svg").read_bytes()
PAGES = {"overview": ("", 1), "activity": ("activity", 4), "attitudes": ("attitudes", 2),
         "demand": ("demand", 5), "completeness": ("completeness", 1), "upload": ("upload", 0)}


@pytest.fixture(scope="module")
def app_url(demo_url):
    return demo_url  # the demo network, served once for the read-only browser tests (conftest.py)


def test_every_page_talks_only_to_the_app(app_url):
    requested, sockets = [], []
    app = urlsplit(app_url)
    with chromium_page() as page:
        page.on("request", lambda request: requested.append(request.url))
        page.on("websocket", lambda socket: sockets.append(socket.url))
        for key, (path, charts) in PAGES.items():
            open_page(page, f"{app_url}/{path}", key)
            no_exception(page)
            drawings = page.get_by_test_id("stMain").get_by_test_id("stVegaLiteChart").locator("svg.marks")
            expect(drawings).to_have_count(charts)  # every chart drawn: Vega has asked for all it needs
        # the icon is the app's own file, inlined: nothing for the browser to fetch
        icon = page.locator("link[rel='shortcut icon']")
        expect(icon).not_to_have_attribute("href", "./favicon.png")  # Streamlit's own, until set
        icon_href = icon.get_attribute("href")
    fetched = {(urlsplit(u).scheme, urlsplit(u).netloc) for u in requested if not u.startswith(("data:", "blob:"))}
    assert fetched == {("http", app.netloc)}, sorted(u for u in requested if app.netloc not in u)
    assert {(urlsplit(u).scheme, urlsplit(u).netloc) for u in sockets} == {("ws", app.netloc)}
    assert icon_href.startswith("data:image/svg+xml;base64,")
    assert base64.b64decode(icon_href.split(",", 1)[1]) == ICON

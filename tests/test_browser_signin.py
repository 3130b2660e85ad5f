"""Sign-in for real: `streamlit run app.py` with `[auth]` pointing at a real OpenID Connect provider
on loopback (oidc-provider-mock, started here), Chromium signing in as a leadership, a member and
a board user, each landing on their own view and signing out; a sign-out in one tab ends the
other; XSRF protection answers 403. And without `[auth]`, a server listening beyond loopback (or
reached through a proxy) shows how to configure sign-in and no figure."""

import re
import secrets
import urllib.error
import urllib.request

import oidc_provider_mock
import pytest
from playwright.sync_api import expect

import i18n
from tests.browser_support import (
    chromium_page,
    free_port,
    load_demo_file,
    screenshot,
    streamlit_server,
    wait_for_app,
)
from warehouse import Warehouse
from warehouse.access import set_domain_rule, set_person

pytestmark = [pytest.mark.browser, pytest.mark.slow]

USERS = {
    "johto": ("johto@verkosto.example", "leadership"),
    "liisa": ("liisa@aurinko.example", "member"),       # by the domain rule of @aurinko.example
    "hallitus": ("puheenjohtaja@hallitus.example", "board"),
    "vieras": ("vieras@muualla.example", None),
}
T = lambda key, **params: i18n.t("fi", key, **params)  # noqa: E731


@pytest.fixture(scope="module")
def provider():
    users = [oidc_provider_mock.User(sub=sub, claims={"email": email, "email_verified": True, "name": sub.title()})
             for sub, (email, _) in USERS.items()]
    with oidc_provider_mock.run_server_in_thread(port=0, user_claims=users) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture(scope="module")
def signed_app(tmp_path_factory, provider):
    directory = tmp_path_factory.mktemp("signin")
    db = load_demo_file(directory)
    with Warehouse(str(db)) as wh:
        set_person(wh, USERS["johto"][0], "leadership", actor="setup")
        set_domain_rule(wh, "aurinko.example", "member", "demo_aurinko", actor="setup")
        set_person(wh, USERS["hallitus"][0], "board", actor="setup")
    port = free_port()
    secrets_file = directory / "secrets.toml"
    # the browser must use the very host of redirect_uri (127.0.0.1), or the sign-in is lost
    secrets_file.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(32)}"\n'
        'client_id = "kokemusmittari"\nclient_secret = "test-secret"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n', encoding="utf-8")
    # listening on every interface: with [auth] that is how a real deployment runs
    with streamlit_server(db, port=port, address="0.0.0.0", secrets=secrets_file) as url:
        yield url, db


def offline(page):
    # the provider's pages link a stylesheet from a CDN this network cannot reach
    page.context.route("https://cdn.jsdelivr.net/**", lambda route: route.abort())


def sign_in(page, url: str, sub: str, lang: str = "fi") -> None:
    page.goto(url)
    wait_for_app(page)
    expect(page.get_by_role("heading", name=i18n.t(lang, "access.sign_in_title"))).to_be_visible()
    expect(page.get_by_test_id("stMetric")).to_have_count(0)
    page.get_by_role("button", name=i18n.t(lang, "access.sign_in_button")).click()
    expect(page.get_by_role("heading", name="Authorize Client")).to_be_visible()
    page.locator('input[name="sub"]').fill(sub)
    page.get_by_role("button", name="Authorize", exact=True).click()
    wait_for_app(page)


def sign_out(page, lang: str = "fi") -> None:
    page.get_by_test_id("stSidebar").get_by_role("button", name=i18n.t(lang, "access.sign_out_button")).click()
    page.get_by_role("button", name="End session").click()      # the provider's own confirmation
    wait_for_app(page)
    expect(page.get_by_role("heading", name=i18n.t(lang, "access.sign_in_title"))).to_be_visible()


def nav_entries(page):
    return page.get_by_test_id("stSidebarNav").get_by_role("link")


@pytest.mark.parametrize(("sub", "shown", "hidden"), [
    ("johto", ["Yleiskuva", "Tietojen lähetys", "Ylläpito", "Tapahtumaloki"], []),
    ("liisa", ["Yleiskuva", "Tietojen lähetys"], ["Ylläpito", "Tapahtumaloki"]),
    ("hallitus", ["Yleiskuva", "Julkisen sektorin kysyntä"], ["Tietojen lähetys", "Ylläpito", "Tapahtumaloki"]),
])
def test_each_role_signs_in_lands_on_its_own_view_and_signs_out(signed_app, sub, shown, hidden):
    url, db = signed_app
    email, role = USERS[sub]
    with chromium_page() as page:
        offline(page)
        sign_in(page, url, sub)
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/?", page.url), page.url
        sidebar = page.get_by_test_id("stSidebar")
        local, domain = email.split("@")
        # shown as text, with an invisible word joiner after '@' so that it never becomes a link
        expect(sidebar).to_contain_text(re.compile(re.escape(local) + "@\u2060?" + re.escape(domain)))
        # the role in brackets after the address ("hallitus" alone is also in "Hallitusesitys")
        expect(sidebar.get_by_text(re.compile(r"\(" + re.escape(T(f"access.role_{role}"))))).to_be_visible()
        expect(page.get_by_test_id("stMetric").first).to_be_visible()
        for title in shown:
            expect(nav_entries(page).filter(has_text=title)).to_have_count(1)
        for title in hidden:
            expect(nav_entries(page).filter(has_text=title)).to_have_count(0)
        screenshot(page, f"signin-{sub}")
        if hidden:
            # a page outside the role, opened by its address: a sentence, not its content
            page.goto(f"{url}/{'upload' if 'Tietojen lähetys' in hidden else 'admin'}")
            wait_for_app(page)
            expect(page.get_by_text(T("frame.not_allowed"))).to_be_visible()
            expect(page.get_by_test_id("stFileUploader")).to_have_count(0)
            expect(page.get_by_test_id("stTab")).to_have_count(0)
        sign_out(page)
        expect(page.get_by_test_id("stMetric")).to_have_count(0)


def test_signing_in_and_out_keeps_the_language_the_page_and_the_filters(signed_app):
    """Streamlit ends both on the root address with no query: a member who had chosen Swedish
    came back to Finnish, from /demand to the Overview (a member's walk-through)."""
    url, _ = signed_app
    sv = lambda key: i18n.t("sv", key)  # noqa: E731
    with chromium_page() as page:
        offline(page)
        sign_in(page, f"{url}/demand?lang=sv&compare=year", "liisa", "sv")
        expect(page).to_have_url(re.compile(r"/demand\?"))
        expect(page).to_have_url(re.compile("lang=sv"))
        expect(page).to_have_url(re.compile("compare=year"))
        expect(page.get_by_role("heading", name=sv("nav.demand"), exact=True)).to_be_visible()
        # the Demand page compares nothing (no picker); the next page that does reads it from the address
        wait_for_app(page)     # the run that switched to /demand is over before the next click
        page.get_by_test_id("stSidebarNav").get_by_role("link", name=sv("nav.overview")).click()
        expect(page.get_by_test_id("stMain").locator("h1")).to_have_text(sv("nav.overview"))
        wait_for_app(page)
        compare = page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").filter(has_text=sv("filters.compare"))
        expect(compare.get_by_role("combobox")).to_have_value(sv("filters.compare_year"))
        sign_out(page, "sv")
        expect(page).to_have_url(re.compile("lang=sv"))
        expect(page.get_by_test_id("stMetric")).to_have_count(0)
        # a later visit to the root, signed out, is in the default language again: the note was taken once
        page.goto(url)
        wait_for_app(page)
        expect(page.get_by_role("heading", name=T("access.sign_in_title"))).to_be_visible()


def test_a_sign_in_left_at_the_provider_steers_no_one_else_on_the_same_browser(signed_app):
    """An office computer's shared browser profile shares Streamlit's XSRF token: a sign-in left at
    the provider's page must not hand the next, signed-out visitor its page and choices."""
    url, _ = signed_app
    with chromium_page() as first:
        offline(first)
        first.goto(f"{url}/demand?lang=sv&compare=year")
        wait_for_app(first)
        first.get_by_role("button", name=i18n.t("sv", "access.sign_in_button")).click()
        expect(first.get_by_role("heading", name="Authorize Client")).to_be_visible()
        token = [c for c in first.context.cookies() if c["name"] == "_streamlit_xsrf"]
        assert token
        # another person at the same computer: a browser context of its own, with that token
        second = first.context.browser.new_page(viewport={"width": 1400, "height": 1000})
        second.context.add_cookies(token)
        second.goto(url)
        wait_for_app(second)
        expect(second.get_by_role("heading", name=T("access.sign_in_title"))).to_be_visible()
        expect(second).to_have_url(re.compile(r"http://127\.0\.0\.1:\d+/?$"))


def test_leadership_locks_a_month_and_reads_it_in_the_audit_log_under_its_own_name(signed_app):
    url, _ = signed_app
    email = USERS["johto"][0]
    with chromium_page() as page:
        offline(page)
        sign_in(page, url, "johto")
        page.goto(f"{url}/admin")
        wait_for_app(page)
        page.get_by_role("tab", name=T("admin.tab_locks")).click()
        lock_form = page.get_by_test_id("stForm").filter(has_text=T("admin.lock_title"))
        lock_form.get_by_test_id("stMultiSelect").click()
        page.get_by_role("option").first.click()
        page.keyboard.press("Escape")
        lock_form.get_by_role("button", name=T("admin.lock_button")).click()
        wait_for_app(page)
        expect(page.get_by_test_id("stAlertContentSuccess")).to_contain_text("Lukittu: 1 kuukausi")
        page.goto(f"{url}/audit")
        wait_for_app(page)
        grid = page.get_by_test_id("stDataFrame")
        expect(grid).to_be_visible()
        # the grid is a canvas: its CSV download holds what it shows
        with page.expect_download() as download:
            page.get_by_role("button", name=T("audit.download")).click()
        text = download.value.path().read_text(encoding="utf-8-sig")
        rows = [line.split(";") for line in text.splitlines()[1:]]
        assert [email, T("audit.action.months_locked")] in [row[1:3] for row in rows], text[:2000]
        assert [email, T("audit.action.signed_in")] in [row[1:3] for row in rows]


def test_a_person_without_a_role_is_told_whom_to_ask_and_sees_nothing(signed_app):
    url, db = signed_app
    with chromium_page() as page:
        offline(page)
        sign_in(page, url, "vieras")
        expect(page.get_by_role("heading", name=T("access.no_role_title"))).to_be_visible()
        expect(page.get_by_test_id("stMain")).to_contain_text(re.compile("vieras@\u2060?muualla"))
        expect(page.get_by_test_id("stMetric")).to_have_count(0)
        expect(nav_entries(page)).to_have_count(0)
        page.goto(f"{url}/demand")
        wait_for_app(page)
        expect(page.get_by_role("heading", name=T("access.no_role_title"))).to_be_visible()
        expect(page.get_by_test_id("stVegaLiteChart")).to_have_count(0)


def test_signing_out_in_one_tab_ends_the_other_tab_at_its_next_click(signed_app):
    url, _ = signed_app
    with chromium_page(tabs=True) as first:
        offline(first)
        sign_in(first, url, "johto")
        second = first.context.new_page()
        second.goto(url)
        wait_for_app(second)
        expect(second.get_by_test_id("stMetric").first).to_be_visible()
        sign_out(first)
        # the second tab has not reloaded: Streamlit still holds the person in its session,
        # the app does not — its next run shows no figure
        second.get_by_test_id("stSidebarNav").get_by_role("link", name="Toiminnan määrä").click()
        wait_for_app(second)
        expect(second.get_by_role("heading", name=T("access.signed_out_title"))).to_be_visible()
        expect(second.get_by_test_id("stMetric")).to_have_count(0)
        expect(second.get_by_test_id("stVegaLiteChart")).to_have_count(0)


def upload_without_xsrf_token(url: str) -> int:
    request = urllib.request.Request(f"{url}/_stcore/upload_file/some-session/some-file", method="PUT",
                                     data=b"--b\r\nContent-Disposition: form-data; name=\"file\"; "
                                          b"filename=\"a.csv\"\r\n\r\nx\r\n--b--\r\n",
                                     headers={"Content-Type": "multipart/form-data; boundary=b"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_xsrf_protection_stays_on(signed_app):
    url, _ = signed_app
    assert upload_without_xsrf_token(url) == 403


def visible_text_without_the_gate(page) -> str:
    text = page.get_by_test_id("stMain").inner_text()
    for key in ("configure_title", "configure_text", "configure_how", "configure_example", "contact_default"):
        for line in T(f"access.{key}", contact=T("access.contact_default")).splitlines():
            text = text.replace(line.strip(), "")
    return text


@pytest.mark.parametrize("how", ["listening_everywhere", "behind_a_proxy"])
def test_without_sign_in_a_server_others_can_reach_shows_how_to_configure_and_no_figure(tmp_path_factory, how):
    db = load_demo_file(tmp_path_factory.mktemp("unconfigured"))
    address = "0.0.0.0" if how == "listening_everywhere" else "127.0.0.1"
    with streamlit_server(db, address=address) as url, chromium_page() as page:
        if how == "behind_a_proxy":
            # a reverse proxy on the same machine reaches a loopback server too; it says so
            page.context.set_extra_http_headers({"X-Forwarded-For": "203.0.113.7"})
        for path in ("", "/upload", "/admin", "/demand"):
            page.goto(url + path)
            wait_for_app(page)
            expect(page.get_by_role("heading", name=T("access.configure_title"))).to_be_visible()
            expect(page.get_by_test_id("stMetric")).to_have_count(0)
            expect(nav_entries(page)).to_have_count(0)
            assert not re.search(r"\d", visible_text_without_the_gate(page)), visible_text_without_the_gate(page)
        screenshot(page, f"unconfigured-{how}")

"""Nothing from a file or an organisation's name is rendered as Markdown or HTML, in a real
Chromium: organisations named like an image and a login link, and a refused file whose name
and cells are such values, are shown as text — no link to evil.example, no image fetched from
another host (a real server stands at the image's address and must never be asked)."""

import re
from datetime import date

import pytest
from browser_support import chromium_page, screenshot, streamlit_server
from browser_waits import finished_run, no_exception, open_page
from playwright.sync_api import expect

import i18n
from warehouse import Warehouse
from warehouse.organisations import add_organisation

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LINK = "[kirjaudu](https://evil.example/login)"
REFUSED_LINK = "[Istunto vanhentui – kirjaudu tästä](https://evil.example/login)"
# Streamlit's own extensions: a colour, an icon, LaTeX, an emoji shortcode, and HTML
STREAMLIT_MARKUP = ":red[Punainen ry] :material/home: $x^2$ :smile: <b>lihava</b>"


@pytest.fixture(scope="module")
def pixel_server(make_httpserver):
    """A real server at the image's address: a browser that rendered the image would ask it."""
    make_httpserver.expect_request("/pixel.png").respond_with_data(b"", content_type="image/png")
    yield make_httpserver
    make_httpserver.clear()


@pytest.fixture(scope="module")
def pixel(pixel_server) -> str:
    return f"![x](http://127.0.0.1:{pixel_server.port}/pixel.png)"


@pytest.fixture(scope="module")
def app_url(tmp_path_factory, pixel):
    db = tmp_path_factory.mktemp("markup") / "hostile.duckdb"
    with Warehouse(str(db)) as wh:
        add_organisation(wh, "pixel", pixel, start_month=date(2020, 1, 1))
        add_organisation(wh, "link", LINK, start_month=date(2020, 1, 1))
        add_organisation(wh, "markup", STREAMLIT_MARKUP, start_month=date(2020, 1, 1))
    with streamlit_server(db) as url:
        yield url


def assert_nothing_live(page, app_url: str, pixel_server) -> None:
    """No link to evil.example, no image from any other host, and the image server never asked."""
    expect(page.locator("a[href*='evil.example']")).to_have_count(0)
    sources = page.locator("img").evaluate_all("images => images.map(image => image.src)")
    assert [s for s in sources if not s.startswith((app_url, "data:"))] == []
    assert pixel_server.log == []


def as_written(value: str) -> re.Pattern:
    """The value as the page shows it: every character as written (an address may carry the
    invisible word joiners that keep Markdown from linking it)."""
    return re.compile("\u2060?".join(re.escape(character) for character in value))


def shown_as_text(page, value: str):
    """The value, written out as it is, in the page (Markdown, caption or alert)."""
    return page.get_by_test_id("stMain").get_by_text(as_written(value)).first


def test_organisation_names_are_text_in_sentences_and_captions(app_url, pixel_server, pixel):
    with chromium_page() as page:
        # the caption under the overview's sentence names the chosen organisations
        open_page(page, f"{app_url}/?org=pixel,link,markup", "overview")
        no_exception(page)
        for name in (pixel, LINK, STREAMLIT_MARKUP):
            expect(shown_as_text(page, name)).to_be_visible()
        # the sidebar's chips show them as written too (a chip renders no Markdown)
        chips = page.get_by_test_id("stSidebar").locator("[data-tag] span[title]")
        expect(chips).to_have_text([pixel, LINK, STREAMLIT_MARKUP])
        assert_nothing_live(page, app_url, pixel_server)

        # both are missing last month: the completeness sentence names them
        open_page(page, f"{app_url}/completeness", "completeness")
        no_exception(page)
        sentence = page.get_by_test_id("stMain").get_by_test_id("stMarkdown").first
        for name in (pixel, LINK, STREAMLIT_MARKUP):
            expect(sentence).to_contain_text(as_written(name))
        expect(page.get_by_test_id("stVegaLiteChart").locator("svg.marks")).to_have_count(1)
        screenshot(page, "markup_completeness_fi")
        assert_nothing_live(page, app_url, pixel_server)
        # the grid's tooltips write the names as text too (Vega's tooltip escapes HTML)
        assert "<b>lihava</b>" in tooltip_texts(page)
        assert_nothing_live(page, app_url, pixel_server)


def tooltip_texts(page) -> str:
    """Hover each cell of the page's one chart; every tooltip's text, checked to hold no markup."""
    tooltip = page.locator("#vg-tooltip-element")
    cells = page.get_by_test_id("stVegaLiteChart").locator("g.mark-rect path")
    expect(cells.first).to_be_visible()
    texts = []
    for cell in cells.all():
        cell.hover(position={"x": 4, "y": 4})  # a corner: the cell's symbol sits in its middle
        expect(tooltip).to_be_visible()
        expect(tooltip.locator("b, img, a")).to_have_count(0)
        texts.append(tooltip.inner_text())
    return "\n".join(texts)


def test_a_refused_file_shows_its_name_and_values_as_text(app_url, pixel_server, pixel):
    name = f"{REFUSED_LINK}.csv"
    # the file names its organisation itself (no organisation is chosen on the page)
    content = (f"Organisaatio;Päivämäärä;Toimintamuoto;Lukumäärä\npixel;1/2025;{pixel};3\n"
               f"pixel;2/2025;Muu;{REFUSED_LINK}\n")
    with chromium_page() as page:
        open_page(page, f"{app_url}/upload", "upload")
        page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
            files=[{"name": name, "mimeType": "text/csv", "buffer": content.encode("utf-8")}])
        refused = i18n.t_count("fi", "upload.refused", 2, count=2)
        expect(page.get_by_test_id("stAlertContentError").get_by_text(refused)).to_be_visible()
        finished_run(page)
        no_exception(page)
        expect(shown_as_text(page, name)).to_be_visible()  # the file's own name, in bold
        # the problem list (the data contract in its expander has lists of its own)
        problems = page.get_by_test_id("stMain").locator("li:not([data-testid='stExpander'] li)")
        expect(problems).to_have_count(2)
        expect(problems.filter(has_text=as_written(pixel))).to_have_count(1)
        expect(problems.filter(has_text=as_written(REFUSED_LINK))).to_have_count(1)
        screenshot(page, "markup_refused_fi")
        assert_nothing_live(page, app_url, pixel_server)

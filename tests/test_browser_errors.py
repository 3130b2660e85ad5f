"""Errors never show internals: a page that fails on a damaged warehouse shows the viewer one
sentence in their language, in a real Chromium — no traceback, no path, no SQL."""

import pytest
from browser_support import ROOT, chromium_page, screenshot, streamlit_server
from browser_waits import no_exception, open_page
from playwright.sync_api import expect

import i18n
from warehouse import Warehouse

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.server_errors_expected]


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    # a real fault, no test hook: the file lost the macro every demand query reads through
    db = tmp_path_factory.mktemp("errors") / "broken.duckdb"
    with Warehouse(str(db)) as wh, wh.transaction() as cur:
        cur.execute("drop macro table public_demand_in_scope")
    with streamlit_server(db) as url:
        yield url, db.with_suffix(".streamlit.log")


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_a_failing_page_shows_a_sentence_and_no_internals(app_url, lang):
    url, log = app_url
    with chromium_page() as page:
        open_page(page, f"{url}/demand?lang={lang}", "demand", lang)
        alert = page.get_by_test_id("stMain").get_by_test_id("stAlertContentError")
        expect(alert.get_by_test_id("stMarkdownContainer")).to_have_text(i18n.t(lang, "frame.page_failed"))
        no_exception(page)
        text = page.locator("body").inner_text()
        for internal in ("Traceback", "public_demand_in_scope", "Catalog Error", ".py", str(ROOT)):
            assert internal not in text
        screenshot(page, f"page_failed_{lang}")
    # the detail is on the server, for whoever runs it
    assert "public_demand_in_scope" in log.read_text(encoding="utf-8")

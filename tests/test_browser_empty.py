"""A new deployment's first look: every page on an empty warehouse, in a real Chromium. Each
page renders without an exception and says in words that there is nothing yet."""

from datetime import date

import pytest
from browser_support import chromium_page, screenshot, streamlit_server
from browser_waits import no_exception, open_page
from playwright.sync_api import expect

import i18n
from queries.periods import last_complete_half_year
from warehouse import Warehouse

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# path, the page's opening sentence (a key of i18n), its charts (each stands as a sentence here)
PAGES = {
    "overview": ("", "narrative.no_activity", ("overview.trend_title",)),
    "activity": ("activity", "narrative.no_activity",
                 ("activity.by_type_title", "activity.by_org_title", "activity.by_sector_title",
                  "activity.by_municipality_title")),
    "attitudes": ("attitudes", "narrative.no_data", ("attitudes.by_month_title",)),
    "demand": ("demand", "narrative.no_demand",
               ("demand.status_title", "demand.unmet_title", "demand.reasons_title",
                "demand.capacity_title", "demand.white_spots_title")),
    "completeness": ("completeness", "narrative.nothing_expected", ("completeness.grid_title",)),
    "upload": ("upload", None, ()),
}


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    db = tmp_path_factory.mktemp("empty") / "empty.duckdb"
    Warehouse(str(db)).close()  # the schema, and nothing in it
    with streamlit_server(db) as url:
        yield url


@pytest.mark.parametrize("page_key", list(PAGES))
def test_every_page_on_an_empty_warehouse(app_url, page_key):
    path, opening, charts = PAGES[page_key]
    period = last_complete_half_year(date.today()).label("fi")
    with chromium_page() as page:
        open_page(page, f"{app_url}/{path}", page_key)
        main = page.get_by_test_id("stMain")
        no_exception(page)
        if opening:
            expect(main.get_by_test_id("stMarkdown").first).to_have_text(i18n.t("fi", opening, period=period))
        for title in charts:
            expect(main.get_by_test_id("stAlert").filter(
                has_text=i18n.t("fi", "common.chart_no_data", title=i18n.t("fi", title)))).to_be_visible()
        expect(main.get_by_test_id("stVegaLiteChart")).to_have_count(0)
        if page_key == "upload":
            expect(main.get_by_text(i18n.t("fi", "upload.history_empty"))).to_be_visible()
        screenshot(page, f"empty_{page_key}_fi")

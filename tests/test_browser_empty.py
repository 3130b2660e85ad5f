"""A new deployment's first look: every page on an empty warehouse, in a real Chromium. Each
page renders without an exception and says in words that there is nothing yet."""

from datetime import date

import pytest
from browser_support import chromium_page, screenshot, streamlit_server
from browser_waits import no_exception, open_page
from playwright.sync_api import expect

import i18n
from queries.periods import default_period, last_complete_half_year
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
    # nothing reported: the pages open on the six complete calendar months
    period = default_period(date.today(), None)
    with chromium_page() as page:
        open_page(page, f"{app_url}/{path}", page_key)
        main = page.get_by_test_id("stMain")
        no_exception(page)
        if opening:
            expect(main.get_by_test_id("stMarkdown").first).to_have_text(
                i18n.t("fi", opening, period=period.when("fi"), Period=period.when_first("fi")))
        for title in charts:
            expect(main.get_by_test_id("stAlert").filter(
                has_text=i18n.t("fi", "common.chart_no_data", title=i18n.t("fi", title)))).to_be_visible()
        expect(main.get_by_test_id("stVegaLiteChart")).to_have_count(0)
        if page_key == "upload":
            expect(main.get_by_text(i18n.t("fi", "upload.history_empty"))).to_be_visible()
        screenshot(page, f"empty_{page_key}_fi")


# one organisation per sheet, each holding rows of that sheet only: choosing it gives a scope
# with no rows of the other three
ONE_SHEET = {
    "vain_toiminta": ("toiminta", [{"activity_month": "m", "activity_type": "koulutus", "count_activities": 3,
                                    "municipality": "Turku"}]),
    "vain_asenteet": ("asenteet", [{"answer_month": "m", "respondent_group": "vanhempi", "attitude_stage": 3,
                                    "count_respondents": 12}]),
    "vain_kysynta": ("kysynta", [{"received_month": "m", "requesting_sector": "neuvola", "status": "toteutumatta",
                                  "reason": "ei_tekijaa", "count_sessions": 2, "municipality": "Turku"}]),
    "vain_kapasiteetti": ("kapasiteetti", [{"capacity_month": "m", "count_trained": 5, "count_active": 3}]),
}


@pytest.fixture(scope="module")
def one_sheet_url(tmp_path_factory):
    from helpers_warehouse import add_org, insert_rows

    month = last_complete_half_year(date.today()).months[-1]
    db = tmp_path_factory.mktemp("one_sheet") / "wh.duckdb"
    with Warehouse(str(db)) as wh:
        for code, (sheet, rows) in ONE_SHEET.items():
            add_org(wh, code, code.replace("_", " ").title())
            month_column = next(column for column in rows[0] if rows[0][column] == "m")
            insert_rows(wh, sheet, [{**row, month_column: month} for row in rows], org_code=code)
    with streamlit_server(db) as url:
        yield url


@pytest.mark.parametrize("org", list(ONE_SHEET))
def test_every_page_on_a_scope_with_rows_of_one_sheet_only(one_sheet_url, org):
    with chromium_page() as page:
        for page_key, (path, _, _) in PAGES.items():
            open_page(page, f"{one_sheet_url}/{path}?org={org}", page_key)
            no_exception(page)
            # a failing page shows the frame's friendly sentence instead of a traceback
            expect(page.get_by_text(i18n.t("fi", "frame.page_failed"))).to_have_count(0)
            expect(page.get_by_test_id("stMain").get_by_test_id("stMarkdown").first).to_be_visible()
        screenshot(page, f"one_sheet_{org}_upload_fi")

"""Every page on a scope with nothing to show: an empty warehouse, a warehouse holding rows of
one sheet only, and filters (a sector, a municipality) that choose no rows. No page may fail,
and each says in words that there is nothing — and, chart by chart, what is missing."""

import pytest
from helpers_warehouse import add_org, insert_rows
from streamlit.testing.v1 import AppTest

import i18n
from queries.periods import parse_period
from warehouse import Warehouse

APP = "../app.py"
PERIOD = parse_period("2025H1")
PAGES = ("overview", "activity", "attitudes", "demand", "completeness", "upload")
# the charts each page draws when it has data (the attitudes page's before/after has its own sentence)
CHARTS = {
    "overview": ("overview.trend_title",),
    "activity": ("activity.by_type_title", "activity.by_org_title", "activity.by_sector_title",
                 "activity.by_municipality_title"),
    "attitudes": ("attitudes.by_month_title",),
    "demand": ("demand.status_title", "demand.unmet_title", "demand.reasons_title",
               "demand.capacity_title", "demand.white_spots_title"),
    "completeness": ("completeness.grid_title",),
    "upload": (),
}

ACTIVITY = [{"activity_month": "2025-03", "activity_type": "vertaistukitapaaminen", "count_activities": 4,
             "target_sector": "sosiaalityo", "municipality": "Turku"}]
ATTITUDES = [{"answer_month": "2025-03", "respondent_group": "vanhempi", "attitude_stage": 3,
              "count_respondents": 12, "target_sector": "sosiaalityo"}]
DEMAND = [{"received_month": "2025-03", "requesting_sector": "neuvola", "status": "toteutumatta",
           "reason": "ei_tekijaa", "count_sessions": 2, "municipality": "Turku"}]
CAPACITY = [{"capacity_month": "2025-03", "count_trained": 5, "count_active": 3}]
EVERY_SHEET = {"toiminta": ACTIVITY, "asenteet": ATTITUDES, "kysynta": DEMAND, "kapasiteetti": CAPACITY}

# case -> (rows per sheet, URL filters); None: a warehouse with no organisation either
CASES = {
    "empty": (None, {}),
    "only_activity": ({"toiminta": ACTIVITY}, {}),
    "only_attitudes": ({"asenteet": ATTITUDES}, {}),
    "only_demand": ({"kysynta": DEMAND}, {}),
    "only_capacity": ({"kapasiteetti": CAPACITY}, {}),
    # every row is in social work or for a clinic: the NGO sector has none
    "sector_without_rows": (EVERY_SHEET, {"sector": "jarjesto"}),
    # Org B is registered in Naantali, but no row names it
    "municipality_without_rows": (EVERY_SHEET, {"mun": "Naantali"}),
}

NO_ACTIVITY, NO_ATTITUDES, NO_DEMAND = "narrative.no_activity", "narrative.no_data", "narrative.no_demand"
# the opening sentence(s) of each page per case, as keys of i18n (every page but upload);
# a literal where the page has something to say
OPENING = {
    "empty": {"overview": NO_ACTIVITY, "activity": NO_ACTIVITY, "attitudes": NO_ATTITUDES,
              "demand": NO_DEMAND, "completeness": "narrative.nothing_expected"},
    "only_activity": {"overview": "Kokemustoimijoiden toimintaa oli tammi–kesäkuussa 2025 yhteensä 4 kertaa.",
                      "activity": "Vertaistukitapaamisia oli tammi–kesäkuussa 2025 yhteensä 4.",
                      "attitudes": NO_ATTITUDES, "demand": NO_DEMAND},
    "only_attitudes": {"overview": NO_ACTIVITY, "activity": NO_ACTIVITY, "demand": NO_DEMAND,
                       "attitudes": "Tammi–kesäkuussa 2025 vastaajista 100\u00a0% suhtautui"
                                    " kokemustoimintaan vähintään kysyvästi (12 vastaajaa)."},
    "only_demand": {"overview": NO_ACTIVITY, "activity": NO_ACTIVITY, "attitudes": NO_ATTITUDES,
                    "demand": "Tammi–kesäkuussa 2025 julkisen sektorin ratkaistuista pyydetyistä"
                              " kerroista 100\u00a0% jäi täyttämättä kokonaan tai osittain (2/2)."},
    "only_capacity": {"overview": NO_ACTIVITY, "activity": NO_ACTIVITY, "attitudes": NO_ATTITUDES,
                      "demand": NO_DEMAND},
    "sector_without_rows": {"overview": NO_ACTIVITY, "activity": NO_ACTIVITY, "attitudes": NO_ATTITUDES,
                            "demand": NO_DEMAND},
    # attitude rows name no municipality: a municipality filter leaves them in
    "municipality_without_rows": {"overview": NO_ACTIVITY, "activity": NO_ACTIVITY, "demand": NO_DEMAND},
}
# the charts with nothing to draw, per case and page (the others are drawn)
EMPTY_CHARTS = {
    "empty": CHARTS,
    "only_activity": {**CHARTS, "overview": (), "activity": (), "demand": CHARTS["demand"][:4],
                      "completeness": ()},
    "only_attitudes": {**CHARTS, "attitudes": (), "demand": CHARTS["demand"][:4], "completeness": ()},
    "only_demand": {**CHARTS, "demand": (), "completeness": ()},
    "only_capacity": {**CHARTS, "demand": CHARTS["demand"][:3], "completeness": ()},
    # capacity rows have no sector, so the NGO sector still sees its organisations' experts
    "sector_without_rows": {**CHARTS, "demand": CHARTS["demand"][:3] + CHARTS["demand"][4:],
                            "completeness": ()},
    "municipality_without_rows": {**CHARTS, "attitudes": (), "demand": CHARTS["demand"][:3],
                                  "completeness": ()},
}


@pytest.fixture(scope="module")
def warehouses(tmp_path_factory):
    folder = tmp_path_factory.mktemp("empty_scopes")
    paths = {}
    for case, (sheets, _) in CASES.items():
        paths[case] = folder / f"{case}.duckdb"
        with Warehouse(str(paths[case])) as wh:
            if sheets is not None:
                add_org(wh, "org_a", "Org A", municipality="Turku")
                add_org(wh, "org_b", "Org B", municipality="Naantali")
                for sheet, rows in sheets.items():
                    insert_rows(wh, sheet, rows)
    return paths


def open_page(path, monkeypatch, page: str, lang: str, **params) -> AppTest:
    monkeypatch.setenv("KOKEMUSMITTARI_DB", str(path))
    monkeypatch.setenv("KOKEMUSMITTARI_VIEW_ROLE", "leadership")
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"lang": lang, "period": PERIOD.code, **params})
    at.switch_page(f"pages/{page}.py")
    at.run()
    return at


def expected_opening(case: str, page: str, lang: str) -> str | None:
    text = OPENING[case].get(page)
    if text is None or " " in text:  # a literal sentence, or a page with its own figures here
        return text
    return i18n.t(lang, text, period=PERIOD.when(lang), Period=PERIOD.when_first(lang))


def check(at, case: str, page: str, lang: str) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == i18n.t(lang, f"nav.{page}")
    opening = expected_opening(case, page, lang)
    if opening is not None:
        assert at.markdown[0].value.startswith(opening), at.markdown[0].value
    said = [info.value for info in at.info]
    missing = [i18n.t(lang, "common.chart_no_data", title=i18n.t(lang, key)) for key in EMPTY_CHARTS[case][page]]
    assert [s for s in said if s in missing] == missing  # each chart with nothing says so, in order
    drawn = len(at.get("vega_lite_chart")) + len(at.get("arrow_vega_lite_chart"))
    assert drawn == len(CHARTS[page]) - len(missing)
    if page == "upload":
        assert at.main.caption[-1].value == i18n.t(lang, "upload.history_empty")


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("case", list(CASES))
def test_every_page_on_a_scope_without_rows(warehouses, monkeypatch, case, page):
    at = open_page(warehouses[case], monkeypatch, page, "fi", **CASES[case][1])
    check(at, case, page, "fi")


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_the_empty_warehouse_in_swedish_and_english(warehouses, monkeypatch, page, lang):
    at = open_page(warehouses["empty"], monkeypatch, page, lang)
    check(at, "empty", page, lang)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_demand_with_a_sector_that_asks_nothing_in_swedish_and_english(warehouses, monkeypatch, lang):
    # the issue's own case: /demand?sector=jarjesto failed with KeyError: 'status_order'
    at = open_page(warehouses["sector_without_rows"], monkeypatch, "demand", lang, sector="jarjesto")
    check(at, "sector_without_rows", "demand", lang)

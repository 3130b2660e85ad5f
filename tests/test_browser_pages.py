"""A new user's walk through every figures page, in a real Chromium against `streamlit run app.py`
on the demo network: each page in Finnish, Swedish and English, then a filtered view's link."""

import re

import pytest
from browser_support import chromium_page, screenshot, wait_for_app
from playwright.sync_api import expect

import i18n
from demo.network import DEMO_ORGS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGES = ("overview", "activity", "attitudes", "demand", "completeness")
LANGS = i18n.LANGUAGES
# the chart titles each page draws, top to bottom (Vega titles them inside the chart)
CHART_TITLES = {
    "overview": ("overview.trend_title",),
    "activity": ("activity.by_type_title", "activity.by_org_title", "activity.by_sector_title",
                 "activity.by_municipality_title"),
    "attitudes": ("attitudes.by_month_title", "attitudes.shift_title"),
    "demand": ("demand.status_title", "demand.unmet_title", "demand.reasons_title",
               "demand.capacity_title", "demand.white_spots_title"),
    "completeness": ("completeness.grid_title",),
}
# where each page is served: Streamlit serves the default page (overview) at the root only
PATHS = {"overview": "", "activity": "activity", "attitudes": "attitudes", "demand": "demand",
         "completeness": "completeness"}
WIDTH, HEIGHT = 1400, 3600
MIN_CHART_HEIGHT = 150  # px; a chart drawn flatter than this is not readable


@pytest.fixture(scope="module")
def app_url(demo_url):
    return demo_url  # the demo network, served once for the read-only browser tests (conftest.py)


@pytest.fixture(scope="module")
def browser_page():
    """One browser and one page for all the visits; each visit is a fresh load (a new session)."""
    with chromium_page(width=WIDTH, height=HEIGHT) as page:
        yield page


def visit(page, url: str) -> None:
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    page.goto(url)
    wait_for_app(page)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    # e.g. Streamlit's (English) "Page not found" over an unknown path; it makes the page inert
    expect(page.get_by_role("dialog")).to_have_count(0)


def labelled(page, test_id: str, label: str):
    """The sidebar widget whose label is exactly `label` ("Jakso" is also inside "Tarkastelujakso")."""
    return page.get_by_test_id("stSidebar").get_by_test_id(test_id).filter(
        has=page.get_by_test_id("stWidgetLabel").get_by_text(label, exact=True))


def expect_selected(page, label: str, option: str) -> None:
    expect(one(labelled(page, "stSelectbox", label)).get_by_role("combobox")).to_have_value(option)


def expect_chips(page, label: str, options: list[str]) -> None:
    expect(labelled(page, "stMultiSelect", label).locator("[data-tag] span[title]")).to_have_text(options)


def one(locator):
    """The widget, once only one stands there: during a rerun the old one lingers (stale) beside
    the new one until the run ends."""
    expect(locator).to_have_count(1)
    return locator


def choose(page, label: str, option: str) -> None:
    one(labelled(page, "stSelectbox", label)).click()
    page.get_by_role("option", name=option, exact=True).click()
    wait_for_app(page)
    expect_selected(page, label, option)


def add_chip(page, label: str, option: str) -> None:
    one(labelled(page, "stMultiSelect", label)).click()
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")
    wait_for_app(page)
    expect(labelled(page, "stMultiSelect", label).locator("[data-tag] span[title]", has_text=option)).to_have_count(1)


def opening_sentence(page) -> str:
    """The page's own first paragraph (the demo notice above the title is an alert, not markdown)."""
    return page.get_by_test_id("stMain").get_by_test_id("stMarkdown").first.inner_text().strip()


# resolves once a height has stayed the same for 10 animation frames (an expander animates open)
SETTLED_HEIGHT = """(element, measure) => new Promise(resolve => {
    let last = null, same = 0;
    const tick = () => {
        const height = Math.round(measure === "scroll" ? element.scrollHeight : element.getBoundingClientRect().height);
        same = height === last ? same + 1 : 0;
        last = height;
        if (same >= 10) resolve(height); else requestAnimationFrame(tick);
    };
    tick();
})"""


def settled_height(locator, measure: str = "box") -> int:
    return locator.evaluate(SETTLED_HEIGHT, measure)


def screenshot_whole_page(page, name: str) -> None:
    """Streamlit scrolls inside stMain, so make the viewport as tall as the content first."""
    main = page.get_by_test_id("stMain")
    for _ in range(3):  # a taller viewport can reflow the page; measure again until it fits
        needed = settled_height(main, "scroll")
        if needed <= page.viewport_size["height"]:
            break
        page.set_viewport_size({"width": WIDTH, "height": needed + 20})
    screenshot(page, name)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page_key", PAGES)
def test_every_figures_page_in_every_language(app_url, browser_page, page_key, lang):
    page = browser_page
    visit(page, f"{app_url}/{PATHS[page_key]}?lang={lang}")
    main = page.get_by_test_id("stMain")

    expect(main.locator("h1")).to_have_text([i18n.t(lang, f"nav.{page_key}")])

    charts = main.get_by_test_id("stVegaLiteChart")
    show_data = i18n.t(lang, "common.show_data")
    expanders = main.get_by_test_id("stExpander").filter(
        has=page.locator("summary").get_by_text(show_data, exact=True))
    expect(charts).to_have_count(len(CHART_TITLES[page_key]))
    expect(expanders).to_have_count(len(CHART_TITLES[page_key]))  # every chart can be read as a table
    expect(main.get_by_test_id("stExpander")).to_have_count(len(CHART_TITLES[page_key]))  # all in this language

    titles = []
    for chart in charts.all():
        box = chart.bounding_box()
        assert box is not None and box["height"] >= MIN_CHART_HEIGHT, (page_key, lang, box)
        drawing = chart.locator("svg.marks, canvas").first
        expect(drawing).to_be_visible()
        assert drawing.bounding_box()["height"] >= MIN_CHART_HEIGHT, (page_key, lang)
        # this Streamlit's vega-embed draws SVG, so the title is text in the page
        expect(chart.locator(".role-title-text").first).to_be_attached()
        titles.append(" ".join(chart.locator(".role-title-text").all_text_contents()).strip())
    assert titles == [i18n.t(lang, key) for key in CHART_TITLES[page_key]]

    first = expanders.first
    table = first.get_by_test_id("stDataFrame")
    expect(table).not_to_be_visible()  # closed until the user opens it
    first.locator("summary").click()
    expect(table).to_be_visible()
    settled_height(first)
    assert table.bounding_box()["height"] > 0
    expect(page.get_by_test_id("stException")).to_have_count(0)

    screenshot_whole_page(page, f"{page_key}_{lang}")


def test_a_copied_link_reopens_the_same_filtered_view(app_url, browser_page):
    page = browser_page
    t = lambda key: i18n.t("fi", key)  # noqa: E731
    kind_label, period_label = t("filters.period_kind"), t("filters.period")
    orgs_label, mun_label, sectors_label = t("filters.organisations"), t("filters.municipalities"), t("filters.sectors")
    org_name = DEMO_ORGS[1].name
    sector_name = i18n.label("fi", "sector", "neuvola")

    visit(page, f"{app_url}/activity?lang=fi")
    expect_selected(page, kind_label, t("filters.kind_last6"))   # the latest six months with data
    unfiltered = opening_sentence(page)

    choose(page, kind_label, t("filters.kind_quarter"))
    # the second quarter on offer, by its visible text, as a user would pick it
    one(labelled(page, "stSelectbox", period_label)).click()
    expect(page.get_by_role("option").nth(1)).to_be_visible()   # at least two quarters on offer
    quarters = page.get_by_role("option").all_inner_texts()
    page.keyboard.press("Escape")
    choose(page, period_label, quarters[1])
    add_chip(page, orgs_label, org_name)
    add_chip(page, sectors_label, sector_name)
    # the run that shows the last filter also writes it into the URL
    expect(page).to_have_url(re.compile(r"period=.*org=demo_majakka.*sector=neuvola"))
    wait_for_app(page)
    # the filters changed what the page says
    expect(page.get_by_test_id("stMain").get_by_test_id("stMarkdown").first).not_to_have_text(unfiltered)
    filtered = opening_sentence(page)
    link = page.url
    screenshot_whole_page(page, "activity_filtered_fi")

    fresh = page.context.browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})  # a new context
    try:
        fresh.set_default_timeout(30_000)
        visit(fresh, link)
        expect(fresh.get_by_test_id("stMain").locator("h1")).to_have_text([t("nav.activity")])
        expect_selected(fresh, kind_label, t("filters.kind_quarter"))
        expect_selected(fresh, period_label, quarters[1])
        expect_chips(fresh, orgs_label, [org_name])
        expect_chips(fresh, mun_label, [])
        expect_chips(fresh, sectors_label, [sector_name])
        expect(fresh.get_by_test_id("stMain").get_by_test_id("stMarkdown").first).to_have_text(filtered)
        screenshot_whole_page(fresh, "activity_filtered_reopened_fi")
    finally:
        fresh.context.close()

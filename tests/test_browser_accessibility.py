"""WCAG 2.1 A and AA in a real Chromium: axe-core (axe-playwright-python) on every page, in fi, sv
and en, for leadership and board, on the demo network; the page's `lang` follows the language;
and, as a screen reader would meet them, every chart in Chromium's own accessibility tree has a
name that is its title, its subtitle and a sentence of what it shows.

The same visits check the board's view as a board member would see it (`view_role = board`):
every page opens on the latest six months with data, the demand page shows the unmet demand of
the maternity clinics, school health care and hospitals with their shares, and the views with
protected counts carry the privacy legend; a screenshot of every page (board_<page>_<lang>.png)."""

import re
import time

import pytest
from axe_playwright_python.sync_playwright import Axe
from browser_support import chromium_page, screenshot
from browser_waits import no_exception, open_page
from playwright.sync_api import expect
from test_chart_contrast import contrast

import i18n

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# the pages of each view and the charts each draws on the demo network
FIGURE_PAGES = {"overview": 1, "activity": 4, "attitudes": 2, "demand": 5, "completeness": 1}
PAGES = {"leadership": {**FIGURE_PAGES, "upload": 0, "admin": 0, "audit": 0}, "board": FIGURE_PAGES}
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Streamlit's own markup that axe finds and the app cannot change, excluded knowingly (rule id:
# why). Empty: the one such finding, `list`/`listitem` in the sidebar, came from Streamlit's
# navigation *with sections* (<ul><div><header/><li>…), and the app now uses the flat list,
# which is valid. docs/accessibility.md keeps this list in words; a rule added here must say why.
EXCLUDED_STREAMLIT_RULES: dict[str, str] = {}


# the public sectors the board exists to see
NAMED = ("neuvola", "kouluterveydenhuolto", "sairaala")


@pytest.fixture(scope="module")
def urls(demo_url, demo_board_url):
    # the demo network served once for the read-only browser tests (conftest.py)
    return {"leadership": demo_url, "board": demo_board_url}


def expect_the_board_view(page, key: str, lang: str) -> None:
    expect(page.get_by_role("dialog")).to_have_count(0)   # no (English) "Page not found"
    kind = page.get_by_test_id("stSidebar").get_by_role("combobox", name=i18n.t(lang, "filters.period_kind"),
                                                          exact=True)
    expect(kind).to_have_value(i18n.t(lang, "filters.kind_last6"))
    expect(page.get_by_text(i18n.t(lang, "frame.page_failed"))).to_have_count(0)
    if key in ("overview", "activity", "attitudes"):
        expect(page.get_by_text(i18n.t(lang, "common.legend_perturbed", threshold=5)).first).to_be_visible()
    if key == "demand":
        unmet = page.get_by_test_id("stVegaLiteChart").filter(has_text=i18n.t(lang, "demand.unmet_title"))
        for sector in NAMED:
            expect(unmet).to_contain_text(i18n.label(lang, "sector", sector))
        # the headline gives the unmet share in words
        expect(page.get_by_test_id("stMain").get_by_test_id("stMarkdown").first).to_contain_text("%")
    screenshot(page, f"board_{key}_{lang}")


def serious_violations(page) -> list[str]:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}, "resultTypes": ["violations"]})
    return [f"{v['id']} ({v['impact']}): " + "; ".join(str(node["target"]) for node in v["nodes"][:5])
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical") and v["id"] not in EXCLUDED_STREAMLIT_RULES]


def chart_names(page) -> list[tuple[str, str]]:
    """(role, name) of every chart as Chromium's accessibility tree gives it to a screen reader."""
    session = page.context.new_cdp_session(page)
    try:
        nodes = session.send("Accessibility.getFullAXTree")["nodes"]
    finally:
        session.detach()
    return [(node["role"]["value"], node.get("name", {}).get("value", "")) for node in nodes
            if not node.get("ignored") and node.get("role", {}).get("value") == "graphics-document"]


def expect_named_charts(page, count: int) -> None:
    """Every chart drawn, each labelled 'Title. Subtitle. What it shows.', and the same names in
    the accessibility tree."""
    charts = page.get_by_test_id("stMain").get_by_test_id("stVegaLiteChart")
    expect(charts.locator("svg.marks")).to_have_count(count)
    labels = []
    for index in range(count):
        chart = charts.nth(index)
        title = chart.locator(".role-title-text text").first.text_content()
        subtitle = chart.locator(".role-title-subtitle text").first.text_content()
        # the label is the title, the subtitle, then at least one more sentence
        expect(chart).to_have_attribute("aria-label", re.compile(
            re.escape(f"{title}. {subtitle}.") + r" \S.{3,}\."))
        labels.append(chart.get_attribute("aria-label"))
    # the tree follows the page a moment later (after a language switch, on a loaded machine,
    # it still held the other language's names once): compared again until they agree, or 30 s
    deadline = time.monotonic() + 30
    while sorted(name for _, name in chart_names(page)) != sorted(labels) and time.monotonic() < deadline:
        page.wait_for_timeout(200)
        labels = [charts.nth(index).get_attribute("aria-label") for index in range(count)]
    assert sorted(name for _, name in chart_names(page)) == sorted(labels)
    # the texts of the charts as drawn (after Streamlit's own chart theme): 4.5:1 on white
    drawn = charts.locator(", ".join(f".role-{part} text" for part in (
        "title-text", "title-subtitle", "axis-label", "axis-title", "legend-label", "legend-title")))
    fills = set(drawn.evaluate_all("texts => texts.map(t => t.getAttribute('fill'))"))
    assert bool(fills) == (count > 0) and all(contrast(fill, "#FFFFFF") >= 4.5 for fill in fills), fills


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
@pytest.mark.parametrize("role", ["leadership", "board"])
def test_every_page_has_no_serious_violation_and_named_charts(urls, role, lang):
    found = {}
    with chromium_page(height=1400) as page:
        for key, charts in PAGES[role].items():
            open_page(page, f"{urls[role]}/{'' if key == 'overview' else key}?lang={lang}", key, lang)
            no_exception(page)
            expect(page.locator("html")).to_have_attribute("lang", lang)
            expect_named_charts(page, charts)
            if role == "board":
                expect_the_board_view(page, key, lang)
            violations = serious_violations(page)
            if violations:
                found[key] = violations
                screenshot(page, f"a11y_{role}_{key}_{lang}")
    assert not found, found


def test_the_page_language_follows_the_picker_by_keyboard(urls):
    with chromium_page() as page:
        open_page(page, f"{urls['board']}/demand", "demand", "fi")
        expect(page.locator("html")).to_have_attribute("lang", "fi")
        expect(page.get_by_test_id("stSkipToContent")).to_have_text("Siirry pääsisältöön")
        picker = page.get_by_test_id("stSidebar").get_by_role("combobox", name=i18n.t("fi", "frame.language"))
        picker.focus()
        page.keyboard.type("svenska")
        page.keyboard.press("Enter")
        expect(page.get_by_test_id("stMain").locator("h1")).to_have_text(i18n.t("sv", "nav.demand"))
        expect(page.locator("html")).to_have_attribute("lang", "sv")
        # Streamlit's own skip link and sidebar name, English whatever the page's language, follow it
        expect(page.get_by_test_id("stSkipToContent")).to_have_text(i18n.t("sv", "frame.skip_to_content"))
        expect(page.get_by_test_id("stSidebar")).to_have_attribute("aria-label", i18n.t("sv", "frame.sidebar_name"))
        expect_named_charts(page, FIGURE_PAGES["demand"])
        # a chart's name is in the page's language too
        unmet = page.get_by_test_id("stVegaLiteChart").filter(has_text=i18n.t("sv", "demand.unmet_title"))
        expect(unmet).to_have_attribute("aria-label", re.compile(re.escape(i18n.t("sv", "demand.unmet_title"))
                                                                 + r".*Störst andel: "))

"""As a board member would see it (`view_role = board`) on the demo network, in fi, sv and en,
in a real Chromium: every page opens on the latest six months with data, the demand page shows
the unmet demand of the maternity clinics, school health care and hospitals with their shares,
and the views with protected counts carry the privacy legend. Screenshots of every page."""

import pytest
from browser_support import chromium_page, demo_app, screenshot
from browser_waits import open_page
from playwright.sync_api import expect

import i18n

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGES = ("overview", "activity", "attitudes", "demand", "completeness")
# the public sectors the board exists to see
NAMED = ("neuvola", "kouluterveydenhuolto", "sairaala")


@pytest.fixture(scope="module")
def board_url(tmp_path_factory):
    with demo_app(tmp_path_factory.mktemp("board"), {"KOKEMUSMITTARI_VIEW_ROLE": "board"}) as url:
        yield url


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_every_page_in_board_view(board_url, lang):
    legend = i18n.t(lang, "common.legend_perturbed", threshold=5)
    with chromium_page(height=1400) as page:
        for key in PAGES:
            # the Overview is the front page: its address is the app's own
            open_page(page, f"{board_url}/{'' if key == 'overview' else key}?lang={lang}", key, lang)
            expect(page.get_by_role("dialog")).to_have_count(0)   # no (English) "Page not found"
            kind = page.get_by_test_id("stSidebar").get_by_role("combobox", name=i18n.t(lang, "filters.period_kind"),
                                                                  exact=True)
            expect(kind).to_have_value(i18n.t(lang, "filters.kind_last6"))
            expect(page.get_by_text(i18n.t(lang, "frame.page_failed"))).to_have_count(0)
            if key in ("overview", "activity", "attitudes"):
                expect(page.get_by_text(legend).first).to_be_visible()
            if key == "demand":
                unmet = page.get_by_test_id("stVegaLiteChart").filter(
                    has_text=i18n.t(lang, "demand.unmet_title"))
                for sector in NAMED:
                    expect(unmet).to_contain_text(i18n.label(lang, "sector", sector))
                # the headline gives the unmet share in words
                expect(page.get_by_test_id("stMain").get_by_test_id("stMarkdown").first).to_contain_text("%")
            screenshot(page, f"board_{key}_{lang}")

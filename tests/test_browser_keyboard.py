"""The upload flow by keyboard alone, in a real Chromium: choose the organisation, open the file
chooser, read the preview, confirm, and roll the upload back, each reached by Tab and used by
Enter or Space; the focused control is visibly outlined (screenshots keyboard_*.png)."""

from datetime import date

import pytest
from browser_support import chromium_page, screenshot, trial_org_app, wait_for_app
from browser_waits import open_page
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect
from test_browser_accessibility import serious_violations

from queries.periods import last_complete_half_year

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TABS = 120  # more than every control on the page: a control not reached by then is unreachable


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    with trial_org_app(tmp_path_factory.mktemp("keyboard")) as url:
        yield url


def focused(locator) -> bool:
    return locator.evaluate("e => e === document.activeElement || e.contains(document.activeElement)")


def tab_to(page, target) -> None:
    """Press Tab until `target` has the focus, as a keyboard user moves through the page."""
    expect(target).to_be_visible()
    for _ in range(TABS):
        page.keyboard.press("Tab")
        if focused(target):
            return
    raise AssertionError(f"not reached by Tab: {target}")


def expect_focus_outline(locator) -> None:
    """The focused control shows our outline (ui.context.accessibility_markup), 3 px wide."""
    outline = locator.evaluate("""e => { const f = e.contains(document.activeElement) ? document.activeElement : e;
                                         const s = getComputedStyle(f); return [s.outlineStyle, s.outlineWidth]; }""")
    assert outline == ["solid", "3px"], outline


def open_file_chooser_by_keyboard(page, choose_files, tries: int = 3):
    """Tab to the uploader's button and press Space, as on any button (Enter reaches the uploader
    twice, by its button and its drop zone). A rerun that redraws the uploader just then takes
    the focus away and the key press goes to the page (CI, once in many runs): a keyboard user
    then tabs to the button again, and so does this, at most `tries` times."""
    for attempt in range(tries):
        tab_to(page, choose_files)
        expect_focus_outline(choose_files)
        if attempt == 0:
            screenshot(page, "keyboard_choose_files_fi")
        try:
            with page.expect_file_chooser(timeout=8_000) as chooser:
                page.keyboard.press("Space")
            return chooser.value
        except PlaywrightTimeout:
            wait_for_app(page)
    raise AssertionError(f"the file chooser did not open by Space on the focused button, {tries} tries")


def test_upload_preview_confirm_and_rollback_by_keyboard_only(app_url):
    month = last_complete_half_year(date.today()).months[0]
    content = ("Päivämäärä;Toimintamuoto;Lukumäärä\n"
               f"1.{month.month}.{month.year};Vertaistukitapaaminen;12\n"
               f"2.{month.month}.{month.year};Ammattilaisten koulutus;3\n").encode()
    with chromium_page() as page:
        open_page(page, f"{app_url}/upload", "upload")

        org = page.get_by_role("combobox", name="Järjestö, jonka tiedot lähetät")
        tab_to(page, org)
        expect_focus_outline(org)
        screenshot(page, "keyboard_org_picker_fi")
        page.keyboard.type("Kokeilu")
        page.keyboard.press("Enter")
        wait_for_app(page)
        expect(org).to_have_value("Kokeilu ry")

        choose_files = page.get_by_test_id("stFileUploaderDropzone").get_by_test_id("stBaseButton-secondary")
        chooser = open_file_chooser_by_keyboard(page, choose_files)
        chooser.set_files(files=[{"name": "toiminta.csv", "mimeType": "text/csv", "buffer": content}])
        expect(page.get_by_text("Tallennus lisää 2 riviä")).to_be_visible()
        wait_for_app(page)
        assert serious_violations(page) == []   # the preview, as axe-core reads it

        confirm = page.get_by_role("button", name="Vahvista ja tallenna")
        tab_to(page, confirm)
        expect_focus_outline(confirm)
        screenshot(page, "keyboard_confirm_fi")
        page.keyboard.press("Enter")
        expect(page.get_by_text("2 riviä lisätty")).to_be_visible()
        wait_for_app(page)
        assert serious_violations(page) == []   # stored, with the history grid

        rollback = page.get_by_test_id("stExpander").filter(has_text="Peru lähetys")
        opener = rollback.locator("summary")
        tab_to(page, opener)
        page.keyboard.press("Enter")
        sure = rollback.get_by_role("checkbox")
        tab_to(page, sure)
        page.keyboard.press("Space")
        expect(sure).to_be_checked()
        wait_for_app(page)
        undo = rollback.get_by_role("button", name="Peru lähetys")
        expect(undo).to_be_enabled()
        tab_to(page, undo)
        expect_focus_outline(undo)
        screenshot(page, "keyboard_rollback_fi")
        page.keyboard.press("Enter")
        # the last upload in force withdrawn: the message is said although the form is gone
        expect(page.get_by_text("Lähetys 1 peruttiin.")).to_be_visible()
        expect(rollback).to_have_count(0)


def test_a_refused_file_and_its_problem_list_have_no_serious_violation(app_url):
    broken = "Päivämäärä;Toimintamuoto;Lukumäärä\n31.13.2025;Vertaistukitapaaminen;n. 20\n".encode()
    with chromium_page() as page:
        open_page(page, f"{app_url}/upload?lang=sv", "upload", "sv")
        page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
            files=[{"name": "trasig.csv", "mimeType": "text/csv", "buffer": broken}])
        expect(page.get_by_test_id("stMain").get_by_test_id("stDataFrame").first).to_be_visible()
        wait_for_app(page)
        assert serious_violations(page) == []

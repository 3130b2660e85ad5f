"""Page scripts live in pages/, and a page never runs without the frame (app.py).

Streamlit 1.67 keeps a process-wide flag while a top-level pages/ folder exists
(PagesManager.uses_pages_directory) and, until some session has run st.navigation, serves a
deep link by running that page script alone. ui.context.page_context() catches such a run and
runs the frame in its place. These tests make a deep link the very first page request of a
fresh `streamlit run app.py` (as Streamlit Community Cloud starts it); the last one pins the
Streamlit behaviour itself, so an upgrade that drops it shows that the guard may go.
"""

import re
import subprocess
import sys

import pytest
from browser_support import ROOT, chromium_page, screenshot, streamlit_server, wait_for_app
from playwright.sync_api import expect

import i18n

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.mark.parametrize("page_key, lang", [("upload", "sv"), ("activity", "en"), ("demand", "fi")])
def test_a_deep_link_as_a_fresh_servers_first_request_runs_inside_the_frame(tmp_path, page_key, lang):
    db = tmp_path / "wh.duckdb"
    added = subprocess.run([sys.executable, "cli.py", "orgs", "add", "kokeilu", "--name", "Kokeilu ry",
                            "--start", "2024-01", "--db", str(db)], cwd=ROOT, capture_output=True, text=True)
    assert added.returncode == 0, added.stderr
    with streamlit_server(db) as url, chromium_page() as page:
        page.goto(f"{url}/{page_key}?lang={lang}")
        wait_for_app(page)
        main = page.get_by_test_id("stMain")
        # the frame ran: its title in the chosen language, its language picker and navigation
        expect(main.locator("h1")).to_have_text(i18n.t(lang, f"nav.{page_key}"))
        expect(page.get_by_test_id("stSelectbox").filter(has_text=i18n.t(lang, "frame.language"))).to_have_count(1)
        expect(page.get_by_test_id("stSidebarNav")).to_be_visible()
        expect(page.get_by_test_id("stException")).to_have_count(0)
        expect(page).to_have_url(re.compile(rf"{re.escape(url)}/{page_key}(\?|$)"))  # still on that page
        screenshot(page, f"deep_link_first_{page_key}_{lang}")


def test_the_overview_opens_by_its_name_as_well_as_at_the_root(tmp_path):
    """/overview, as every other page has its name: Streamlit's default page answered to / only,
    and /overview showed its English "Page not found" dialog (a board member's walk-through)."""
    db = tmp_path / "wh.duckdb"
    added = subprocess.run([sys.executable, "cli.py", "orgs", "add", "kokeilu", "--name", "Kokeilu ry",
                            "--start", "2024-01", "--db", str(db)], cwd=ROOT, capture_output=True, text=True)
    assert added.returncode == 0, added.stderr
    with streamlit_server(db) as url, chromium_page() as page:
        for address, lang in ((f"{url}/overview?lang=fi", "fi"), (f"{url}/?lang=en", "en"),
                              (f"{url}/overview?lang=sv", "sv")):
            page.goto(address)
            wait_for_app(page)
            expect(page.get_by_test_id("stMain").locator("h1")).to_have_text(i18n.t(lang, "nav.overview"))
            expect(page.get_by_role("dialog")).to_have_count(0)
            expect(page.get_by_text("Page not found")).to_have_count(0)
            expect(page.get_by_test_id("stException")).to_have_count(0)
        # the menu still lists the Overview once
        expect(page.get_by_test_id("stSidebarNav").get_by_text(i18n.t("sv", "nav.overview"), exact=True)) \
            .to_have_count(1)
        screenshot(page, "overview_by_name_sv")


def test_the_layout_is_the_designed_one():
    assert sorted(p.name for p in (ROOT / "pages").glob("*.py")) == [
        "activity.py", "admin.py", "attitudes.py", "audit.py", "completeness.py", "demand.py", "overview.py",
        "present.py", "upload.py"]
    assert not (ROOT / "app_pages").exists()


def test_streamlit_still_switches_to_its_old_multipage_mode_for_a_pages_folder():
    """If this fails after a Streamlit upgrade, the old mode is gone: the guard in
    ui.context.page_context() and this file's comment can go with it."""
    from streamlit.runtime.pages_manager import PagesManager

    saved = PagesManager.uses_pages_directory
    try:
        PagesManager.uses_pages_directory = None
        PagesManager(str(ROOT / "app.py"), setup_watcher=False)
        assert PagesManager.uses_pages_directory is True
    finally:
        PagesManager.uses_pages_directory = saved

"""Connecting a Google Sheet on the upload page in a real Chromium against `streamlit run`,
with the app's gspread client sent to a local server that answers like Sheets v4 and Drive v3
(tests/google_fake.py; the setting gsheets_api): check, preview, confirm — the Overview changes;
Sync now of an unchanged sheet changes nothing and says so."""

import json
import subprocess
import sys
from datetime import date

import pytest
from browser_support import ROOT, choose, chromium_page, expect_tile, screenshot, streamlit_server, wait_for_app
from google_fake import FakeGoogle, FakeSheet
from playwright.sync_api import expect

import i18n
from i18n.formats import fmt_number
from queries.periods import add_months, last_complete_month

pytestmark = [pytest.mark.browser, pytest.mark.slow]
KEY = "1SheetKeyForTheBrowserTest0123456789ab"


def test_connect_a_sheet_preview_confirm_and_sync(httpserver, tmp_path):
    fake = FakeGoogle()
    fake.serve(httpserver)
    last = last_complete_month(date.today()).to_month
    rows = [["Päivämäärä", "Toimintamuoto", "Lukumäärä"]] + [
        [f"{m.day}.{m.month}.{m.year}", "Vertaistukitapaaminen", float(n)]
        for m, n in ((add_months(last, -2), 4), (add_months(last, -1), 6), (last, 9))]
    fake.sheets[KEY] = FakeSheet(title="Kokeilu ry – raportit", tabs={"Toiminta": rows})
    db = tmp_path / "wh.duckdb"
    added = subprocess.run([sys.executable, "cli.py", "orgs", "add", "kokeilu", "--name", "Kokeilu ry",
                            "--start", "2024-01", "--db", str(db)], cwd=ROOT, capture_output=True, text=True)
    assert added.returncode == 0, added.stderr
    with streamlit_server(db, {"KOKEMUSMITTARI_GSHEETS_API": httpserver.url_for("/")}) as url, \
            chromium_page() as page:
        page.goto(f"{url}/upload")
        wait_for_app(page)
        expect(page.get_by_role("heading", name="Google-taulukko")).to_be_visible()
        choose(page, "Järjestö, jonka tiedot lähetät", "Kokeilu ry")
        wait_for_app(page)
        expect(page.get_by_text("kokemusmittari@local-stand-in.invalid")).to_be_visible()   # to share with
        page.get_by_role("textbox", name="Taulukon osoite").fill(f"https://docs.google.com/spreadsheets/d/{KEY}/edit#gid=0")
        page.get_by_role("button", name="Tarkista taulukko").click()
        wait_for_app(page)
        expect(page.get_by_text("Kokeilu ry – raportit")).to_be_visible()
        confirm = page.get_by_role("button", name="Yhdistä taulukko ja tallenna tiedot")
        expect(confirm).to_be_visible()
        screenshot(page, "sheet-preview")
        confirm.click()
        wait_for_app(page)
        expect(page.get_by_text("Yhdistetty taulukko")).to_be_visible()
        expect(page.get_by_role("textbox", name="Yhdistä toinen taulukko tämän tilalle (osoite)")).to_have_value("")
        reads = fake.reads
        page.get_by_role("button", name="Synkronoi nyt").click()
        wait_for_app(page)
        expect(page.get_by_text("Taulukko ei ole muuttunut edellisen lukemisen jälkeen")).to_be_visible()
        assert fake.reads == reads
        screenshot(page, "sheet-synced")

        page.goto(f"{url}/")
        wait_for_app(page)
        expect_tile(page, "Toiminta yhteensä", fmt_number(19, "fi"))

        # a scheduled `cli.py sync` beside the running app: the app runs it, the Overview follows
        fake.sheets[KEY].version = 8
        fake.sheets[KEY].tabs["Toiminta"][3][2] = 20.0
        synced = subprocess.run([sys.executable, "cli.py", "sync", "--json", "--db", str(db)], cwd=ROOT,
                                capture_output=True, text=True, timeout=120)
        assert synced.returncode == 0, synced.stderr
        assert json.loads(synced.stdout)["sheets"][0]["status"] == "stored"
        assert "runs there" in synced.stderr
        page.reload()
        wait_for_app(page)
        expect_tile(page, "Toiminta yhteensä", fmt_number(4 + 6 + 20, "fi"))

        # a mistake made in the sheet: Sync now refuses it in the sheet's words, and names the row
        fake.sheets[KEY].version = 9
        fake.sheets[KEY].tabs["Toiminta"][2][0] = "31.13.2025"
        page.goto(f"{url}/upload")
        wait_for_app(page)
        choose(page, "Järjestö, jonka tiedot lähetät", "Kokeilu ry")
        wait_for_app(page)
        page.get_by_role("button", name="Synkronoi nyt").click()
        wait_for_app(page)
        expect(page.get_by_text(i18n.t_count("fi", "gsheets.refused", 1, count=1))).to_be_visible()
        expect(page.get_by_text("Tiedostoa ei tallennettu")).to_have_count(0)
        expect(page.get_by_text("31.13.2025").first).to_be_visible()
        screenshot(page, "sheet-refused")
        page.goto(f"{url}/")
        wait_for_app(page)
        expect_tile(page, "Toiminta yhteensä", fmt_number(4 + 6 + 20, "fi"))   # nothing of the refused read

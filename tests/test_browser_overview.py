"""A new user's first look, in a real Chromium against `streamlit run app.py` on the demo network."""

import json
import re
import subprocess
import sys
from datetime import date

import pytest
from browser_support import ROOT, choose, chromium_page, expect_tile, screenshot, streamlit_server, wait_for_app
from playwright.sync_api import expect

from i18n.formats import fmt_number, fmt_share
from queries.periods import default_period
from warehouse import Warehouse

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "cli.py", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, check=False)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("browser") / "demo.duckdb"
    loaded = cli("demo", "--db", str(db))
    assert loaded.returncode == 0, loaded.stderr
    return db


@pytest.fixture(scope="module")
def opening_figures(demo_db):
    # the period the Overview opens on: the latest six months with data
    with Warehouse(str(demo_db)) as wh:
        cur = wh.cursor()
        last = cur.execute("select max(period_month) from current_sheet_months").fetchone()[0]
        cur.close()
    period = default_period(date.today(), last)
    result = cli("figures", "--db", str(demo_db), "--period", period.code, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def app_url(demo_db, opening_figures):
    with streamlit_server(demo_db) as url:
        yield url


def test_overview_shows_the_cli_figures_and_switches_language(app_url, opening_figures):
    with chromium_page() as page:
        page.goto(app_url)
        wait_for_app(page)
        expect(page.get_by_text("esimerkkiaineisto", exact=False).first).to_be_visible()  # the demo notice
        activities = opening_figures["activities"]
        expect_tile(page, "Toiminta yhteensä", fmt_number(activities["total"], "fi"))
        expect_tile(page, "Asiakastyö", fmt_number(activities["client_work"], "fi"))
        expect_tile(page, "Kehittäminen ja vaikuttaminen", fmt_number(activities["development_advocacy"], "fi"))
        expect_tile(page, "Vähintään kysyvä asenne",
                    fmt_share(opening_figures["attitudes"]["curious_or_better_share"], "fi"))
        expect_tile(page, "Täyttämätön julkinen kysyntä", fmt_share(opening_figures["demand"]["unmet_share"], "fi"))
        expect_tile(page, "Raportoinnin kattavuus", fmt_share(opening_figures["completeness"]["rate"], "fi"))
        expect(page.locator("canvas, svg.marks").first).to_be_visible()  # the trend chart was drawn
        screenshot(page, "overview_tiles_fi")

        choose(page, "Kieli", "svenska")
        expect_tile(page, "Verksamhet totalt", fmt_number(activities["total"], "sv"))
        expect(page.get_by_text("Översikt").first).to_be_visible()
        expect(page).to_have_url(re.compile(r"lang=sv"))
        screenshot(page, "overview_tiles_sv")

        choose(page, "Språk", "English")
        expect_tile(page, "All activities", fmt_number(activities["total"], "en"))
        expect(page.get_by_text("Toiminta yhteensä")).to_have_count(0)
        screenshot(page, "overview_tiles_en")

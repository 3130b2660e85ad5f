"""As a member organisation's staff would: download the template, fill it, upload it, see the
preview, confirm, see the figures change; then send a broken file and read what to fix."""

import io
import subprocess
import sys
from datetime import date, datetime

import openpyxl
import pytest

from browser_support import ROOT, chromium_page, screenshot, streamlit_server, wait_for_app
from i18n.formats import fmt_number
from queries.periods import last_complete_half_year

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    db = tmp_path_factory.mktemp("upload") / "wh.duckdb"
    added = subprocess.run([sys.executable, "cli.py", "orgs", "add", "kokeilu", "--name", "Kokeilu ry",
                            "--start", "2024-01", "--db", str(db)], cwd=ROOT, capture_output=True, text=True)
    assert added.returncode == 0, added.stderr
    with streamlit_server(db) as url:
        yield url


def fill_template(template: bytes, rows: list[tuple[datetime, str, object]]) -> bytes:
    """Write rows into the Toiminta sheet under the headers, as a person would in Excel."""
    book = openpyxl.load_workbook(io.BytesIO(template))
    sheet = book["Toiminta"]
    headers = {cell.value: cell.column for cell in sheet[1] if cell.value}
    for offset, (month, kind, count) in enumerate(rows, start=2):
        sheet.cell(offset, headers["Päivämäärä"], month)
        sheet.cell(offset, headers["Toimintamuoto"], kind)
        sheet.cell(offset, headers["Lukumäärä"], count)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def open_upload_page(page, app_url: str) -> None:
    """As a user gets there: the front page, then the navigation link."""
    page.goto(app_url)
    wait_for_app(page)
    page.get_by_test_id("stSidebarNav").get_by_text("Tietojen lähetys").click()
    wait_for_app(page)


def upload(page, name: str, content: bytes) -> None:
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
        files=[{"name": name, "mimeType": "application/octet-stream", "buffer": content}])
    wait_for_app(page)


def test_a_deep_link_opens_the_page_inside_the_frame(app_url):
    # the first request this server gets: a bookmark straight to the upload page, in Swedish
    with chromium_page() as page:
        page.goto(f"{app_url}/upload?lang=sv")
        wait_for_app(page)
        assert page.get_by_role("heading", name="Skicka uppgifter").count() == 1
        assert page.get_by_test_id("stSelectbox").filter(has_text="Språk").count() == 1
        assert page.get_by_test_id("stException").count() == 0


def test_template_fill_upload_confirm_and_see_the_figures(app_url, tmp_path):
    period = last_complete_half_year(date.today())
    months = [datetime(m.year, m.month, 1) for m in period.months[:3]]
    with chromium_page() as page:
        open_upload_page(page, app_url)
        with page.expect_download() as download:
            page.get_by_role("button", name="Lataa Excel-pohja").click()
        template = download.value.path().read_bytes()
        filled = fill_template(template, [(months[0], "Vertaistukitapaaminen", 12),
                                          (months[1], "Vertaistukitapaaminen", 15),
                                          (months[2], "Ammattilaisten koulutus", 3)])
        upload(page, "toiminta.xlsx", filled)
        preview = page.get_by_text("Tallennus lisää 3 riviä")
        preview.wait_for()
        assert "eikä korvaa aiempia tietoja" in preview.inner_text()
        screenshot(page, "upload_preview_fi")
        page.get_by_role("button", name="Vahvista ja tallenna").click()
        wait_for_app(page)
        page.get_by_text("3 riviä lisätty").wait_for()
        assert page.get_by_text("Voimassa").count() >= 1  # the history lists it as in force
        screenshot(page, "upload_stored_fi")

        page.goto(f"{app_url}/?org=kokeilu&period={period.code}")
        wait_for_app(page)
        labels = page.get_by_test_id("stMetricLabel").all_inner_texts()
        values = page.get_by_test_id("stMetricValue").all_inner_texts()
        tiles = dict(zip([x.strip() for x in labels], [v.strip() for v in values]))
        assert tiles["Toiminta yhteensä"] == fmt_number(30, "fi")
        assert tiles["Asiakastyö"] == fmt_number(27, "fi")


def test_a_broken_file_says_what_to_fix(app_url):
    broken = ("Päivämäärä;Toimintamuoto;Lukumäärä\n"
              "1/2025;Vertaistukitapaaminen;12\n"
              "31.13.2025;Vertaistukitapaaminen;n. 20\n").encode("utf-8")
    with chromium_page() as page:
        open_upload_page(page, app_url)
        upload(page, "rikki.csv", broken)
        page.get_by_text("Tiedostoa ei tallennettu").wait_for()
        page.get_by_test_id("stDataFrame").first.wait_for()
        screenshot(page, "upload_refused_fi")
        assert page.get_by_role("button", name="Vahvista ja tallenna").count() == 0
        assert "Lataa ongelmalista" in page.content()
        # both problems are on spreadsheet row 3; the grid is a canvas, so read the downloaded list
        with page.expect_download() as download:
            page.get_by_role("button", name="Lataa ongelmalista Excel-tiedostona").click()
        problems = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes()))
        rows = list(problems.active.iter_rows(values_only=True))
        assert rows[0][:3] == ("Välilehti", "Rivi", "Sarake")
        assert sorted((r[1], r[2]) for r in rows[1:]) == [("3", "Lukumäärä"), ("3", "Päivämäärä")]

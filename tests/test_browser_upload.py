"""As a member organisation's staff would: download the template, fill it, upload it, see the
preview, confirm, see the figures change; then send a broken file and read what to fix."""

import io
from datetime import date, datetime

import openpyxl
import pytest
from browser_support import (
    ARTIFACTS,
    choose,
    chromium_page,
    expect_tile,
    screenshot,
    trial_org_app,
    wait_for_app,
)
from playwright.sync_api import expect

from i18n.formats import fmt_number
from queries.periods import last_complete_half_year

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    with trial_org_app(tmp_path_factory.mktemp("upload")) as url:
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
    # the file's own box (its name in bold) appears once the check has run on it
    expect(page.get_by_test_id("stMain").get_by_test_id("stMarkdown").filter(has_text=name).first).to_be_visible()
    wait_for_app(page)


def test_a_deep_link_opens_the_page_inside_the_frame(app_url):
    # the first request this server gets: a bookmark straight to the upload page, in Swedish
    with chromium_page() as page:
        page.goto(f"{app_url}/upload?lang=sv")
        wait_for_app(page)
        expect(page.get_by_role("heading", name="Skicka uppgifter")).to_have_count(1)
        expect(page.get_by_test_id("stSelectbox").filter(has_text="Språk")).to_have_count(1)
        expect(page.get_by_test_id("stException")).to_have_count(0)


def test_template_fill_upload_confirm_and_see_the_figures(app_url, tmp_path):
    period = last_complete_half_year(date.today())
    months = [datetime(m.year, m.month, 1) for m in period.months[:3]]
    with chromium_page() as page:
        open_upload_page(page, app_url)
        with page.expect_download() as download:
            page.get_by_role("button", name="Lataa Excel-pohja").click()
        template = download.value.path().read_bytes()
        choose(page, "Järjestö, jonka tiedot lähetät", "Kokeilu ry")
        filled = fill_template(template, [(months[0], "Vertaistukitapaaminen", 12),
                                          (months[1], "Vertaistukitapaaminen", 15),
                                          (months[2], "Ammattilaisten koulutus", 3)])
        upload(page, "toiminta.xlsx", filled)
        preview = page.get_by_text("Tallennus lisää 3 riviä")
        expect(preview).to_contain_text("eikä korvaa aiempia tietoja")
        screenshot(page, "upload_preview_fi")
        page.get_by_role("button", name="Vahvista ja tallenna").click()
        wait_for_app(page)
        expect(page.get_by_text("3 riviä lisätty")).to_be_visible()
        # the history lists it as in force; its grid is drawn after the message
        expect(page.get_by_test_id("stDataFrame").get_by_text("Voimassa").first).to_be_attached()
        screenshot(page, "upload_stored_fi")

        page.goto(f"{app_url}/?org=kokeilu&period={period.code}")
        wait_for_app(page)
        expect_tile(page, "Toiminta yhteensä", fmt_number(30, "fi"))
        expect_tile(page, "Asiakastyö", fmt_number(27, "fi"))


def test_a_broken_file_says_what_to_fix(app_url):
    broken = ("Päivämäärä;Toimintamuoto;Lukumäärä\n"
              "1/2025;Vertaistukitapaaminen;12\n"
              "31.13.2025;Vertaistukitapaaminen;n. 20\n").encode()
    with chromium_page() as page:
        open_upload_page(page, app_url)
        choose(page, "Järjestö, jonka tiedot lähetät", "Kokeilu ry")
        upload(page, "rikki.csv", broken)
        expect(page.get_by_text("Tiedostoa ei tallennettu")).to_be_visible()
        expect(page.get_by_test_id("stDataFrame").first).to_be_visible()
        screenshot(page, "upload_refused_fi")
        expect(page.get_by_role("button", name="Vahvista ja tallenna")).to_have_count(0)
        expect(page.get_by_role("button", name="Lataa ongelmalista Excel-tiedostona")).to_be_visible()
        # both problems are on spreadsheet row 3; the grid is a canvas, so read the downloaded list
        with page.expect_download() as download:
            page.get_by_role("button", name="Lataa ongelmalista Excel-tiedostona").click()
        problems = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes()))
        assert problems.sheetnames == ["Ongelmat"]
        rows = list(problems.active.iter_rows(values_only=True))
        assert rows[0][:3] == ("Laji", "Rivi", "Sarake")      # a CSV has no tabs: no tab column
        assert sorted((r[0], r[1], r[2]) for r in rows[1:]) == [("Virhe", "3", "Lukumäärä"),
                                                                ("Virhe", "3", "Päivämäärä")]


@pytest.mark.parametrize("lang, words", [
    ("fi", {"nav": "Tietojen lähetys", "org": "Järjestö, jonka tiedot lähetät", "confirm": "Vahvista ja tallenna",
            "after": "Vahvistuksen jälkeen", "large": "Suuri muutos:", "mark": "⚠ yli puolet"}),
    ("sv", {"nav": "Skicka uppgifter", "org": "Organisation vars uppgifter du skickar",
            "confirm": "Bekräfta och spara", "after": "Efter bekräftelse", "large": "Stor förändring:",
            "mark": "⚠ över hälften"}),
])
def test_the_preview_of_a_corrected_resend_shows_before_and_after(app_url, lang, words):
    months = [datetime(m.year, m.month, 1) for m in last_complete_half_year(date.today()).months[:2]]
    # each language's first file differs, so that it is never an identical re-send of the last
    first = "Päivämäärä;Toimintamuoto;Lukumäärä\n" + "".join(
        f"{m.month}/{m.year};Muu;{n}\n" for m, n in zip(months, (40, 8 if lang == "fi" else 9)))
    corrected = "Päivämäärä;Toimintamuoto;Lukumäärä\n" + "".join(
        f"{m.month}/{m.year};Muu;{n}\n" for m, n in zip(months, (4, 6)))
    with chromium_page() as page:
        page.goto(f"{app_url}/upload?lang={lang}")
        wait_for_app(page)
        choose(page, words["org"], "Kokeilu ry")
        upload(page, f"ensin-{lang}.csv", first.encode())
        page.get_by_role("button", name=words["confirm"]).click()
        # stored once the success message shows: a reload before it would drop the click's run
        # (CI once reloaded first, and the next preview compared against the older figures)
        expect(page.get_by_test_id("stAlertContentSuccess")).to_be_visible()
        wait_for_app(page)
        page.reload()
        wait_for_app(page)
        choose(page, words["org"], "Kokeilu ry")
        upload(page, f"korjaus-{lang}.csv", corrected.encode())
        # the warning names the month whose count drops from 40 to 4, the table carries both totals
        expect(page.get_by_test_id("stAlert").filter(has_text=words["large"])).to_contain_text("40 → 4")
        grid = page.get_by_test_id("stDataFrame").filter(has_text=words["after"])
        expect(grid).to_contain_text(words["mark"])
        expect(grid).to_contain_text(f"ensin-{lang}.csv")
        screenshot(page, f"upload_resend_preview_{lang}")
        grid.scroll_into_view_if_needed()
        grid.screenshot(path=str(ARTIFACTS / f"upload_resend_preview_table_{lang}.png"))

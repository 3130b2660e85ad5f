import hashlib
import io
from datetime import date, datetime

import openpyxl
import pandas as pd
import pytest

from data_sources import intake
from data_sources.intake import check_upload
from data_sources.organisations import Registry
from settings import Settings

REGISTRY = Registry(names={"esim": "Esimerkki ry", "toinen": "Toinen ry"})
TODAY = date(2025, 6, 15)


def check(file_name, data, **options):
    options.setdefault("uploader_org", "esim")
    return check_upload(file_name, data, registry=REGISTRY, today=TODAY, settings=Settings(), **options)


def test_finnish_excel_csv_semicolons_decimal_comma_cp1252():
    data = ("Päivämäärä;Toimintamuoto;Lukumäärä;Tunnit;Kunta\r\n"
            "14.3.2025;Työparityö asiakastyössä;2;2,5;Åbo\r\n"
            "3/2025;Vertaistukitapaaminen;;1 234;Turku\r\n").encode("cp1252")
    checked = check("toiminta_maaliskuu.csv", data)
    assert (checked.ok, checked.errors, checked.warnings) == (True, [], [])
    assert checked.file_type == "csv"
    assert checked.content_hash == hashlib.sha256(data).hexdigest()
    frame = checked.sheets["toiminta"]
    assert list(frame["activity_type"]) == ["tyoparityo", "vertaistukitapaaminen"]
    assert list(frame["count_activities"]) == [2, 1]
    assert list(frame["hours"]) == [2.5, 1234.0]
    assert list(frame["municipality"]) == ["Turku", "Turku"]
    assert checked.months("toiminta") == ["2025-03"]


def test_csv_with_errors_lists_them_with_rows_and_keeps_the_parsed_rows():
    data = "Saapunut,Pyytäjän sektori,Tila\n3/2025,Neuvola,Avoin\nQ1/2025,Neuvola,Avoin\n".encode("utf-8-sig")
    checked = check("kysynta.csv", data)
    assert not checked.ok
    assert [(p.code, p.sheet, p.row, p.column, p.value) for p in checked.errors] == [
        ("bad_date", "kysynta", 3, "Saapunut", "Q1/2025")]
    assert len(checked.sheets["kysynta"]) == 1
    assert "1/2025, 2/2025" in checked.summary("fi")["errors"][0]["message"]


def _xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Toiminta 2025"
    sheet.append(["Esimerkki ry: toiminta"])
    sheet.append([])
    sheet.append(["Organisaation nimi", "Pvm", "Toimintamuoto", "Lkm", "Tunnit (h)"])
    sheet.append(["Esimerkki ry", datetime(2025, 3, 14), "Vertaistukitapaaminen", 3, 1.5])
    sheet.append(["Esimerkki ry", datetime(2025, 4, 2), "Paneeli", None, 2])
    sheet.append(["Yhteensä", None, None, 4, 3.5])
    other = workbook.create_sheet("Kapasiteetti")
    other.append(["Kuukausi", "Koulutettuja", "Aktiivisia"])
    other.append(["3/2025", 10, 6])
    workbook.create_sheet("Ohjeet").append(["Täytä yksi rivi tapahtumaa kohden."])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_end_to_end():
    checked = check("raportti.xlsx", _xlsx())
    assert checked.errors == []
    assert checked.file_type == "xlsx"
    assert [(p.code, p.row) for p in checked.warnings] == [("totals_row_skipped", 6)]
    assert checked.summary()["sheets"] == {
        "toiminta": {"rows": 2, "months": ["2025-03", "2025-04"]},
        "kapasiteetti": {"rows": 1, "months": ["2025-03"]},
    }
    frame = checked.sheets["toiminta"]
    assert list(frame["source_row"]) == [4, 5]
    assert list(frame["activity_month"]) == [pd.Timestamp("2025-03-01"), pd.Timestamp("2025-04-01")]
    assert list(frame["count_activities"]) == [3, 1]


def test_xlsx_from_another_organisation_is_refused():
    checked = check("raportti.xlsx", _xlsx(), uploader_org="toinen")
    assert [(p.code, p.row) for p in checked.errors] == [("wrong_org", 4), ("wrong_org", 5)]


def test_personal_data_is_added_to_the_errors_but_recognised_headers_are_spared():
    # "Organisaation nimi" names an organisation (spared); "Lisätieto" is an unknown column
    data = ("Organisaation nimi;Päivämäärä;Toimintamuoto;Lisätieto\n"
            "Esimerkki ry;3/2025;Muu;maija.meikalainen@example.fi\n").encode()
    checked = check("toiminta.csv", data)
    assert [(p.code, p.row) for p in checked.errors] == [("personal_data", 2)]
    assert [p.code for p in checked.warnings] == ["unknown_column"]


def test_file_level_problems_stop_the_check():
    checked = check("toiminta.xlsx", b"%PDF-1.4 not a workbook")
    assert not checked.ok
    assert checked.sheets == {}
    assert [p.code for p in checked.errors] in (["unsupported_type"], ["unreadable_file"])


def test_no_cell_text_outlives_its_check_in_the_value_caches():
    """The value helpers cache the texts of a file while it is checked (a file repeats its codes
    and months on every row); a name in a cell must not stay in the process's memory after."""
    from data_sources import values

    data = ("Päivämäärä;Toimintamuoto;Lukumäärä;Kunta\n"
            "3/2025;Muu;2;Maija Meikäläinen\n3/2025;Muu;3;Turku\n").encode()
    check("toiminta.csv", data)
    helpers = (values._clean, values._parse_date_text, values._parse_number_text,
               values._normalise_code_text, values._resolve_municipality_text)
    assert [helper.cache_info().currsize for helper in helpers] == [0] * len(helpers)
    # and while a check runs they are used: the same text is worked out once
    values.resolve_municipality("Turku")
    values.resolve_municipality("Turku")
    assert values._resolve_municipality_text.cache_info().hits >= 1
    values.clear_text_caches()


def test_the_cycle_collector_is_on_again_after_a_check_as_it_was_before():
    import gc

    data = "Päivämäärä;Toimintamuoto;Lukumäärä\n3/2025;koulutus;2\n".encode()
    assert gc.isenabled()
    paused = []
    original = intake.validate_sheets

    def noting(*args, **kwargs):
        paused.append(not gc.isenabled())
        return original(*args, **kwargs)

    try:
        intake.validate_sheets = noting
        assert check("toiminta.csv", data).ok
        assert paused == [True] and gc.isenabled()
        gc.disable()   # left off by someone else: it stays off
        check("toiminta.csv", data)
        assert not gc.isenabled()
    finally:
        gc.enable()
        intake.validate_sheets = original


def test_the_cycle_collector_is_on_again_after_a_check_that_fails_and_after_checks_side_by_side():
    import gc
    import threading

    with pytest.raises(RuntimeError):
        with intake.collector_paused():
            raise RuntimeError
    assert gc.isenabled()
    inside, release = threading.Event(), threading.Event()

    def long_check():
        with intake.collector_paused():
            inside.set()
            release.wait(10)

    other = threading.Thread(target=long_check)
    other.start()
    inside.wait(10)
    with intake.collector_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()   # the other check still runs
    release.set()
    other.join()
    assert gc.isenabled()


class Text:
    def __init__(self, text):
        self.text = text


def texts_then(count: int, error: Exception | None, length: int = 10):
    for number in range(count):
        yield Text(f"{number}".ljust(length))
    if error is not None:
        raise error


@pytest.mark.parametrize("count", [0, 1, 5, 40])
@pytest.mark.parametrize("error", [None, ValueError("rikki"), MemoryError()])
@pytest.mark.parametrize("limit", [1, 25, 1 << 20])
@pytest.mark.parametrize("done_after", [None, 0, 3])
def test_texts_read_ahead_come_as_the_texts_themselves(monkeypatch, count, error, limit, done_after):
    expected, expected_error = [], None
    try:
        for text in texts_then(count, error):
            expected.append(text.text)
    except Exception as raised:
        expected_error = raised
    monkeypatch.setattr(intake.TextsAhead, "LIMIT", limit)
    ahead = intake.TextsAhead(texts_then(count, error))
    calls = []
    ahead.read_ahead(done=lambda: calls.append(1) or (done_after is not None and len(calls) > done_after))
    got, got_error = [], None
    try:
        for text in ahead:
            got.append(text.text)
    except Exception as raised:
        got_error = raised
    assert got == expected and got_error is expected_error


def test_a_workbook_read_beside_its_texts_is_checked_as_read_one_after_the_other(monkeypatch):
    """The thread that reads the cells changes nothing of what the check finds."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Toiminta"
    sheet.append(["Päivämäärä", "Toimintamuoto", "Lukumäärä"])
    for _ in range(50):
        sheet.append(["3/2025", "koulutus", 2])
    sheet["E3"] = "Soita 040 1234567"
    sheet.oddFooter.center.text = "maija@example.fi"
    sheet["B2"].hyperlink = "https://example.fi/131052-308T"
    data = io.BytesIO()
    book.save(data)

    def one_after_the_other(file_name, data, file_type, settings):
        from data_sources.file_texts import file_texts
        from data_sources.readers import read_checked

        sheets, problems = read_checked(file_name, data, file_type, settings)
        return sheets, problems, lambda: file_texts(file_name, data, file_type, settings)

    def described(checked):
        return [(p.code, p.sheet, p.row, p.column, p.value, p.params.get("place"))
                for p in checked.errors + checked.warnings]

    beside = check("toiminta.xlsx", data.getvalue())
    monkeypatch.setattr(intake, "_read_beside_texts", one_after_the_other)
    alone = check("toiminta.xlsx", data.getvalue())
    assert described(beside) == described(alone)
    assert {p.params.get("place") for p in beside.errors} >= {"header_footer", "hyperlink"}

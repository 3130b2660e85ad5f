"""The Lauste pilot of the second seed article — 97 peer-support meetings, 10 peer-support
relationships and 45 development and advocacy tasks over six months — sent the way members
send it: a workbook in Finnish, Swedish or English, or a semicolon CSV from Finnish Excel."""

import io
from datetime import date, datetime

import openpyxl
import pytest

import i18n
from queries.figures import compute_figures
from queries.periods import parse_period
from queries.scope import Scope
from warehouse import Warehouse
from warehouse.imports import import_file
from warehouse.organisations import add_organisation

MONTHS = [datetime(2025, m, 1) for m in range(1, 7)]
# (month index, activity code, count, hours): each month's rows as a coordinator would write them
PILOT = (
    [(i, "vertaistukitapaaminen", n, 1.5 * n) for i, n in enumerate([15, 16, 17, 16, 17, 16])]
    + [(i, "vertaistukisuhde", n, None) for i, n in enumerate([2, 2, 1, 2, 2, 1])]
    + [(i, "koulutus", 2, 6.0) for i in range(6)]
    + [(i, "rekrytointi", n, 2.5) for i, n in enumerate([3, 2, 0, 1, 2, 1])]
    + [(i, "paneeli", n, 3.0) for i, n in enumerate([1, 1, 2, 1, 1, 1])]
    + [(i, "kehittamistehtava", n, None) for i, n in enumerate([2, 2, 1, 2, 1, 2])]
    + [(i, "vaikuttamistehtava", n, None) for i, n in enumerate([1, 1, 1, 1, 1, 2])]
)
PERIOD = parse_period("2025H1")


def pilot_rows(corrected: bool = False):
    rows = list(PILOT)
    if corrected:  # March's meetings were 17, but one was counted twice
        rows[2] = (2, "vertaistukitapaaminen", 16, 24.0)
    return [r for r in rows if r[2] > 0]


def workbook(lang: str, corrected: bool = False) -> bytes:
    """Toiminta in `lang`: the sheet name, headers and activity labels of that language."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = f"{i18n.t(lang, 'sheet.toiminta')} 2025"
    sheet.append(["Lauste pilot 1–6/2025"])  # a title row above the header
    columns = ("activity_month", "activity_type", "count_activities", "hours")
    sheet.append([i18n.t(lang, f"column.toiminta.{c}") for c in columns])
    for month, code, count, hours in pilot_rows(corrected):
        sheet.append([MONTHS[month], i18n.label(lang, "activity_type", code), count, hours])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def finnish_excel_csv() -> bytes:
    """What Finnish Excel's 'CSV (erotin: puolipiste)' writes: cp1252, ';', decimal comma, d.m.yyyy."""
    lines = ["Päivämäärä;Toimintamuoto;Lukumäärä;Tunnit"]
    for month, code, count, hours in pilot_rows():
        when = MONTHS[month]
        hours_text = "" if hours is None else f"{hours:.1f}".replace(".", ",")
        lines.append(f"{when.day}.{when.month}.{when.year};{i18n.label('fi', 'activity_type', code)};"
                     f"{count};{hours_text}")
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


@pytest.fixture
def wh():
    warehouse = Warehouse(":memory:")
    add_organisation(warehouse, "lauste", "Perhekuntoutuskeskus Lauste ry", start_month=date(2025, 1, 1))
    yield warehouse
    warehouse.close()


def send(wh, name: str, data: bytes):
    outcome = import_file(wh, name, data, org_code="lauste", uploaded_by="test", source="cli",
                          today=date(2025, 7, 15))
    assert outcome.checked.ok, [(p.code, p.row, p.column, p.value) for p in outcome.checked.errors]
    return outcome.stored


def pilot_figures(wh) -> tuple:
    activities = compute_figures(wh, PERIOD, Scope())["activities"]
    return (activities["by_type"]["vertaistukitapaaminen"], activities["by_type"]["vertaistukisuhde"],
            activities["development_advocacy"], activities["hours"])


# hours are per row: meetings 1.5 h per meeting, training rows 6 h, five recruitment rows
# (March had none) 2.5 h, panel rows 3 h
EXPECTED = (97, 10, 45, 1.5 * 97 + 6 * 6.0 + 5 * 2.5 + 6 * 3.0)


@pytest.mark.parametrize(("name", "make"), [
    ("lauste_fi.xlsx", lambda: workbook("fi")),
    ("lauste_sv.xlsx", lambda: workbook("sv")),
    ("lauste_en.xlsx", lambda: workbook("en")),
    ("lauste.csv", finnish_excel_csv),
])
def test_every_form_of_the_pilot_gives_the_article_figures(wh, name, make):
    send(wh, name, make())
    assert pilot_figures(wh) == pytest.approx(EXPECTED)


def test_the_same_file_twice_changes_nothing(wh):
    # one file's bytes sent twice (openpyxl stamps the save time, so two saves differ)
    data = workbook("fi")
    first = send(wh, "lauste_fi.xlsx", data)
    again = send(wh, "lauste_fi.xlsx", data)
    assert again.unchanged and again.upload_id == first.upload_id
    assert pilot_figures(wh) == pytest.approx(EXPECTED)


def test_a_corrected_resend_replaces(wh):
    first = send(wh, "lauste_fi.xlsx", workbook("fi"))
    corrected = send(wh, "lauste_fi_korjattu.xlsx", workbook("fi", corrected=True))
    assert corrected.superseded == (first.upload_id,)
    assert corrected.rows_replaced == first.rows_added
    meetings, relationships, development, hours = pilot_figures(wh)
    assert (meetings, relationships, development) == (96, 10, 45)
    assert hours == pytest.approx(EXPECTED[3] - 1.5)


def test_swedish_after_finnish_replaces_not_adds(wh):
    send(wh, "lauste_fi.xlsx", workbook("fi"))
    send(wh, "lauste_sv.xlsx", workbook("sv"))
    send(wh, "lauste.csv", finnish_excel_csv())
    assert pilot_figures(wh) == pytest.approx(EXPECTED)

import re
import tomllib
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest

import i18n
from data_sources import vocabulary
from data_sources.organisations import Registry
from data_sources.problems import ERROR_CODES, WARNING_CODES
from data_sources.raw import RawSheet
from data_sources.validation import validate_sheets
from data_sources.values import UNKNOWN_MUNICIPALITY

REGISTRY = Registry(names={"esim": "Esimerkki ry", "toinen": "Toinen ry"},
                    aliases={"esimerkkiyhdistys": "esim"})
TODAY = date(2025, 6, 15)          # with 31 days: the last accepted date is 16.7.2025
OWN_CODES = ("empty_file", "no_known_sheet", "missing_column", "bad_date", "future_date", "bad_number",
             "negative_number", "out_of_range", "unknown_value", "unknown_org", "wrong_org",
             "locked_period", "unknown_column", "missing_reason", "unknown_municipality",
             "totals_row_skipped", "more_errors", "more_warnings")


def check(*sheets, uploader="esim", locked=(), today=TODAY):
    return validate_sheets(list(sheets), registry=REGISTRY, uploader_org=uploader,
                           locked_months=set(locked), today=today, future_days=31)


def found(problems):
    """(code, sheet, row, column, value) of each problem, easy to compare by eye."""
    return [(p.code, p.sheet, p.row, p.column, p.value) for p in problems]


def records(frame: pd.DataFrame) -> list[dict]:
    """Rows as plain Python: months as YYYY-MM, missing values as None."""
    rows = []
    for row in frame.astype(object).to_dict("records"):
        rows.append({key: (value.strftime("%Y-%m") if isinstance(value, pd.Timestamp)
                           else None if value is pd.NA or (isinstance(value, float) and pd.isna(value))
                           else value) for key, value in row.items()})
    return rows


TOIMINTA = ["Päivämäärä", "Toimintamuoto", "Lukumäärä", "Tunnit", "Kunta", "Palaute"]


# ------------------------------------------------------------------ canonical rows

def test_long_toiminta_becomes_canonical_rows():
    frames, errors, warnings, _ = check(RawSheet("Toiminta", [
        TOIMINTA,
        ["14.3.2025", "Vertaistukitapaaminen", 3, "2,5", "Åbo", "4,5"],
        [datetime(2025, 4, 2), "koulutus", None, None, None, None],
        ["5/2025", "Panel or event", "x", "1 234", "S:t Karins", 5],
    ]))
    assert (errors, warnings) == ([], [])
    assert records(frames["toiminta"]) == [
        {"source_row": 2, "org_code": "esim", "activity_month": "2025-03",
         "activity_type": "vertaistukitapaaminen", "count_activities": 3, "experts_involved": None,
         "people_reached": None, "hours": 2.5, "target_sector": None, "municipality": "Turku",
         "feedback": 4.5},
        {"source_row": 3, "org_code": "esim", "activity_month": "2025-04", "activity_type": "koulutus",
         "count_activities": 1, "experts_involved": None, "people_reached": None, "hours": None,
         "target_sector": None, "municipality": None, "feedback": None},
        {"source_row": 4, "org_code": "esim", "activity_month": "2025-05", "activity_type": "paneeli",
         "count_activities": 1, "experts_involved": None, "people_reached": None, "hours": 1234.0,
         "target_sector": None, "municipality": "Kaarina", "feedback": 5.0},
    ]


def test_frames_have_the_canonical_columns_and_types():
    frames, *_ = check(
        RawSheet("Toiminta", [TOIMINTA, ["3/2025", "Muu", 1, 1, None, None]]),
        RawSheet("Asenteet", [["Pvm", "Vastaajaryhmä", "Asenne"], ["3/2025", "Vanhempi", 3]]),
        RawSheet("Kysyntä", [["Saapunut", "Pyytäjän sektori", "Tila"], ["3/2025", "Neuvola", "Avoin"]]),
        RawSheet("Kapasiteetti", [["Kuukausi", "Koulutettuja", "Aktiivisia"], ["3/2025", 5, 3]]),
    )
    assert set(frames) == set(vocabulary.SHEETS)
    for sheet, frame in frames.items():
        assert tuple(frame.columns) == vocabulary.SHEET_COLUMNS[sheet]
        assert frame[vocabulary.MONTH_COLUMN[sheet]].iloc[0] == pd.Timestamp("2025-03-01")
        assert str(frame["source_row"].dtype) == "Int64"
        assert frame["org_code"].dtype == object
    assert str(frames["toiminta"]["hours"].dtype) == "Float64"
    assert str(frames["asenteet"]["attitude_stage"].dtype) == "Int64"
    assert str(frames["kapasiteetti"]["count_active"].dtype) == "Int64"


def test_asenteet_blanks_take_the_contract_defaults():
    frames, errors, _, _ = check(RawSheet("Asenteet", [
        ["Päivämäärä", "Vastaajaryhmä", "Mittausajankohta", "Asenne", "Vastaajia", "Kohdesektori"],
        ["3/2025", "Lastensuojelun työntekijä", None, "3 – Kysyvä", None, "Lastensuojelu"],
        ["3/2025", "Förälder", "Efter", 5, 4, None],
        ["3/2025", "Young person", "Follow-up", "Reserved", "12", "School"],
    ]))
    assert errors == []
    assert [(r["respondent_group"], r["measurement_point"], r["attitude_stage"], r["count_respondents"],
             r["target_sector"]) for r in records(frames["asenteet"])] == [
        ("lastensuojelun_tyontekija", "kartoitus", 3, 1, "lastensuojelu"),
        ("vanhempi", "jalkeen", 5, 4, None),
        ("nuori", "seuranta", 2, 12, "koulu"),
    ]


def test_kysynta_rows_and_missing_reason_warnings():
    frames, errors, warnings, _ = check(RawSheet("Kysyntä", [
        ["Saapunut", "Pyytäjän sektori", "Pyynnön tyyppi", "Tila", "Syy", "Kunta", "Pyydetyt kerrat"],
        ["2.3.2025", "Neuvola", "Paneeli", "Toteutunut", None, "Turku", None],
        ["3/2025", "Perhekeskus", None, "Toteutumatta", None, None, 2],
        ["3/2025", "Koulu", None, "Osittain toteutunut", "", None, 1],
        ["3/2025", "Koulu", None, "Ej genomförd", "Ingen finansiering", None, 1],
    ]))
    assert errors == []
    assert found(warnings) == [
        ("missing_reason", "kysynta", 3, "Syy", "Toteutumatta"),
        ("missing_reason", "kysynta", 4, "Syy", "Osittain toteutunut"),
    ]
    assert [(r["requesting_sector"], r["request_type"], r["status"], r["reason"], r["count_sessions"])
            for r in records(frames["kysynta"])] == [
        ("neuvola", "paneeli", "toteutunut", None, 1),
        ("perhekeskus", None, "toteutumatta", None, 2),
        ("koulu", None, "osittain", None, 1),
        ("koulu", None, "toteutumatta", "ei_rahoitusta", 1),
    ]


def test_missing_reason_when_the_reason_column_is_absent():
    _, errors, warnings, _ = check(RawSheet("Kysyntä", [
        ["Saapunut", "Pyytäjän sektori", "Tila"], ["3/2025", "Neuvola", "Toteutumatta"]]))
    assert errors == []
    assert found(warnings) == [("missing_reason", "kysynta", 2, "Syy / Orsak / Reason", "Toteutumatta")]


# ------------------------------------------------------------------ cell errors, with row numbers

@pytest.mark.parametrize("cells, expected, hint_key", [
    (["31.13.2025", "Muu", 1, None, None, None], ("bad_date", 3, "Päivämäärä", "31.13.2025"), "date"),
    (["Q1/2025", "Muu", 1, None, None, None], ("bad_date", 3, "Päivämäärä", "Q1/2025"), "quarter"),
    (["1.–3.2025", "Muu", 1, None, None, None], ("bad_date", 3, "Päivämäärä", "1.–3.2025"), "range"),
    ([None, "Muu", 1, None, None, None], ("bad_date", 3, "Päivämäärä", None), "date_blank"),
    (["8/2025", "Muu", 1, None, None, None], ("future_date", 3, "Päivämäärä", "8/2025"), None),
    (["17.7.2025", "Muu", 1, None, None, None], ("future_date", 3, "Päivämäärä", "17.7.2025"), None),
    (["3/2025", "Kahvittelu", 1, None, None, None], ("unknown_value", 3, "Toimintamuoto", "Kahvittelu"), "allowed"),
    (["3/2025", None, 1, None, None, None], ("unknown_value", 3, "Toimintamuoto", None), "allowed_blank"),
    (["3/2025", "Muu", "n. 20", None, None, None], ("bad_number", 3, "Lukumäärä", "n. 20"), "approximate"),
    (["3/2025", "Muu", "10–15", None, None, None], ("bad_number", 3, "Lukumäärä", "10–15"), "approximate"),
    (["3/2025", "Muu", "?", None, None, None], ("bad_number", 3, "Lukumäärä", "?"), "approximate"),
    (["3/2025", "Muu", "2,5", None, None, None], ("bad_number", 3, "Lukumäärä", "2,5"), "whole"),
    (["3/2025", "Muu", "paljon", None, None, None], ("bad_number", 3, "Lukumäärä", "paljon"), "number"),
    (["3/2025", "Muu", -2, None, None, None], ("negative_number", 3, "Lukumäärä", "-2"), "not_negative"),
    (["3/2025", "Muu", 1, "-1,5", None, None], ("negative_number", 3, "Tunnit", "-1,5"), "not_negative"),
    (["3/2025", "Muu", 1, None, None, 6], ("out_of_range", 3, "Palaute", "6"), "range_limits"),
    (["3/2025", "Muu", 1, None, None, "0,5"], ("out_of_range", 3, "Palaute", "0,5"), "range_limits"),
])
def test_toiminta_cell_errors(cells, expected, hint_key):
    frames, errors, _, _ = check(RawSheet("Toiminta", [
        TOIMINTA, ["2/2025", "Muu", 1, None, None, None], cells]))
    assert [(p.code, p.row, p.column, p.value) for p in errors] == [expected]
    assert errors[0].sheet == "toiminta"
    assert errors[0].params["hint_key"] == hint_key
    assert [r["source_row"] for r in records(frames["toiminta"])] == [2]   # the bad row is left out


@pytest.mark.parametrize("sheet, cells, expected", [
    (RawSheet("Asenteet", [["Pvm", "Vastaajaryhmä", "Asenne", "Vastaajia"]]), ["3/2025", "Vanhempi", 3, 0],
     ("out_of_range", "asenteet", 2, "Vastaajia", "0")),
    (RawSheet("Asenteet", [["Pvm", "Vastaajaryhmä", "Asenne", "Vastaajia"]]), ["3/2025", "Vanhempi", 6, 1],
     ("out_of_range", "asenteet", 2, "Asenne", "6")),
    (RawSheet("Asenteet", [["Pvm", "Vastaajaryhmä", "Asenne", "Vastaajia"]]), ["3/2025", "Vanhempi", "Innostunut", 1],
     ("unknown_value", "asenteet", 2, "Asenne", "Innostunut")),
    (RawSheet("Asenteet", [["Pvm", "Vastaajaryhmä", "Asenne", "Vastaajia"]]), ["3/2025", "Opettaja", 2, 1],
     ("unknown_value", "asenteet", 2, "Vastaajaryhmä", "Opettaja")),
    (RawSheet("Kysyntä", [["Saapunut", "Pyytäjän sektori", "Tila", "Syy"]]), ["3/2025", "Neuvola", "Kesken", None],
     ("unknown_value", "kysynta", 2, "Tila", "Kesken")),
    (RawSheet("Kysyntä", [["Saapunut", "Pyytäjän sektori", "Tila", "Syy"]]), ["3/2025", "Poliisi", "Avoin", None],
     ("unknown_value", "kysynta", 2, "Pyytäjän sektori", "Poliisi")),
    (RawSheet("Kysyntä", [["Saapunut", "Pyytäjän sektori", "Tila", "Syy"]]),
     ["3/2025", "Neuvola", "Toteutumatta", "Sairaus"],
     ("unknown_value", "kysynta", 2, "Syy", "Sairaus")),
    (RawSheet("Kapasiteetti", [["Kuukausi", "Koulutettuja", "Aktiivisia"]]), ["3/2025", 4, 5],
     ("out_of_range", "kapasiteetti", 2, "Aktiivisia", "5")),
    (RawSheet("Kapasiteetti", [["Kuukausi", "Koulutettuja", "Aktiivisia"]]), ["3/2025", None, 2],
     ("bad_number", "kapasiteetti", 2, "Koulutettuja", None)),
    (RawSheet("Kapasiteetti", [["Kuukausi", "Koulutettuja", "Aktiivisia"]]), ["3/2025", 4, "-1"],
     ("negative_number", "kapasiteetti", 2, "Aktiivisia", "-1")),
])
def test_other_sheets_cell_errors(sheet, cells, expected):
    _, errors, _, _ = check(RawSheet(sheet.name, sheet.rows + [cells]))
    assert found(errors) == [expected]


def test_active_above_trained_names_the_trained_count_in_the_hint():
    _, errors, _, _ = check(RawSheet("Kapasiteetti", [["Kuukausi", "Koulutettuja", "Aktiivisia"], ["3/2025", 4, 5]]))
    assert "(4 on this row)" in errors[0].message("en")


def test_every_problem_is_reported_at_once():
    _, errors, warnings, _ = check(RawSheet("Toiminta", [
        TOIMINTA + ["Huom"],
        ["Q1/2025", "Kahvittelu", "n. 5", None, "Narnia", None, None],
        ["3/2025", "Muu", 1, None, None, None, None],
        ["3/2025", "Muu", -1, None, None, 9, "kahvit"],
    ]))
    assert found(errors) == [
        ("bad_date", "toiminta", 2, "Päivämäärä", "Q1/2025"),
        ("unknown_value", "toiminta", 2, "Toimintamuoto", "Kahvittelu"),
        ("bad_number", "toiminta", 2, "Lukumäärä", "n. 5"),
        ("negative_number", "toiminta", 4, "Lukumäärä", "-1"),
        ("out_of_range", "toiminta", 4, "Palaute", "9"),
    ]
    assert found(warnings) == [
        ("unknown_column", "toiminta", None, "Huom", None),
        ("unknown_municipality", "toiminta", 2, "Kunta", "Narnia"),
    ]


def test_locked_month_is_refused():
    frames, errors, _, _ = check(
        RawSheet("Toiminta", [TOIMINTA, ["14.2.2025", "Muu", 1, None, None, None],
                              ["3/2025", "Muu", 1, None, None, None]]),
        locked={date(2025, 2, 1)})
    assert found(errors) == [("locked_period", "toiminta", 2, "Päivämäärä", "14.2.2025")]
    assert [r["source_row"] for r in records(frames["toiminta"])] == [3]


@pytest.mark.parametrize("written", ["Narnia", "Matti Meikäläinen", "Turun kaupunki", "[x](https://evil.example)"])
def test_unknown_municipality_is_a_warning_and_only_the_unknown_code_is_kept(written):
    frames, errors, warnings, _ = check(RawSheet("Toiminta", [TOIMINTA, ["3/2025", "Muu", 1, None, written, None]]))
    assert errors == []
    assert found(warnings) == [("unknown_municipality", "toiminta", 2, "Kunta", written)]
    assert records(frames["toiminta"])[0]["municipality"] == UNKNOWN_MUNICIPALITY


@pytest.mark.parametrize("written, stored", [
    ("Turku", "Turku"), ("Åbo", "Turku"), ("  turku ", "Turku"), ("Pargas", "Parainen"),
    ("Åbo stad", "Turku"), ("Koski", "Koski Tl"), ("Pedersöre", "Pedersören kunta"),
])
def test_a_known_municipality_is_stored_under_its_finnish_name(written, stored):
    frames, errors, warnings, _ = check(RawSheet("Toiminta", [TOIMINTA, ["3/2025", "Muu", 1, None, written, None]]))
    assert (errors, warnings) == ([], [])
    assert records(frames["toiminta"])[0]["municipality"] == stored


# ------------------------------------------------------------------ columns

@pytest.mark.parametrize("header, uploader, missing", [
    (["Toimintamuoto", "Lukumäärä"], "esim", ["Päivämäärä / Datum / Date"]),
    (["Päivämäärä", "Lukumäärä"], "esim", ["Toimintamuoto / Verksamhetsform / Activity type"]),
    (["Päivämäärä", "Toimintamuoto"], None, ["Organisaatio / Organisation"]),
    (["Lukumäärä", "Tunnit"], None, ["Organisaatio / Organisation", "Päivämäärä / Datum / Date",
                                     "Toimintamuoto / Verksamhetsform / Activity type"]),
])
def test_missing_required_columns(header, uploader, missing):
    frames, errors, _, _ = check(RawSheet("Toiminta", [header, ["3/2025"] * len(header)]), uploader=uploader)
    assert [(p.code, p.sheet, p.row, p.column) for p in errors if p.code == "missing_column"] == [
        ("missing_column", "toiminta", None, column) for column in missing]
    assert "toiminta" not in frames


def test_unknown_columns_are_warned_once_and_ignored():
    frames, errors, warnings, header_cells = check(RawSheet("Toiminta", [
        ["Päivämäärä", "Huomautukset", "Toimintamuoto", "Vetäjä"],
        ["3/2025", "hyvä ilta", "Muu", "Maija"],
        ["4/2025", None, "Muu", None],
    ]))
    assert errors == []
    assert found(warnings) == [("unknown_column", "toiminta", None, "Huomautukset", None),
                               ("unknown_column", "toiminta", None, "Vetäjä", None)]
    assert len(frames["toiminta"]) == 2
    assert header_cells == {("Toiminta", 1, 1), ("Toiminta", 1, 3)}   # the guard still reads B and D


def test_recognised_header_cells_are_reported_with_spreadsheet_positions():
    _, _, _, header_cells = check(RawSheet("Kysyntä 2025", [
        ["Kysyntä 2025"], [], [None, "Pvm", "Pyytäjän sektori", "Tila", "Puhelin"],
        [None, "3/2025", "Neuvola", "Avoin", None]]))
    assert header_cells == {("Kysyntä 2025", 3, 2), ("Kysyntä 2025", 3, 3), ("Kysyntä 2025", 3, 4)}


def test_split_year_and_month_columns():
    frames, errors, _, _ = check(RawSheet("Toiminta", [
        ["Vuosi", "Kuukausi", "Toimintamuoto", "Lkm"],
        [2025, 3, "Muu", 2],
        ["2025", "huhtikuu", "Muu", 1],
        [2025, "May", "Muu", 1],
        [2025, 13, "Muu", 1],
        ["25", 6, "Muu", 1],
    ]))
    assert [r["activity_month"] for r in records(frames["toiminta"])] == ["2025-03", "2025-04", "2025-05"]
    assert found(errors) == [("bad_date", "toiminta", 5, "Kuukausi", "13"),
                             ("bad_date", "toiminta", 6, "Vuosi", "25")]


# ------------------------------------------------------------------ organisation

@pytest.mark.parametrize("uploader, cells, expected_org, expected_errors", [
    ("esim", "esim", "esim", []),
    ("esim", "Esimerkki ry", "esim", []),
    ("esim", "ESIMERKKI RY", "esim", []),
    ("esim", "Esimerkkiyhdistys", "esim", []),                 # registered alias
    ("esim", None, "esim", []),                                # blank cell: the uploader's own row
    ("esim", "Toinen ry", None, [("wrong_org", "toiminta", 2, "Organisaatio", "Toinen ry")]),
    ("esim", "Kolmas ry", None, [("unknown_org", "toiminta", 2, "Organisaatio", "Kolmas ry")]),
    (None, "Toinen ry", "toinen", []),
    (None, "Kolmas ry", None, [("unknown_org", "toiminta", 2, "Organisaatio", "Kolmas ry")]),
    (None, None, None, [("unknown_org", "toiminta", 2, "Organisaatio", None)]),
])
def test_organisation_column(uploader, cells, expected_org, expected_errors):
    frames, errors, _, _ = check(
        RawSheet("Toiminta", [["Organisaatio", "Pvm", "Toimintamuoto"], [cells, "3/2025", "Muu"]]),
        uploader=uploader)
    assert found(errors) == expected_errors
    if expected_org:
        assert records(frames["toiminta"])[0]["org_code"] == expected_org


def test_without_organisation_column_rows_belong_to_the_uploader():
    frames, errors, _, _ = check(RawSheet("Toiminta", [["Pvm", "Toimintamuoto"], ["3/2025", "Muu"]]), uploader="toinen")
    assert errors == []
    assert records(frames["toiminta"])[0]["org_code"] == "toinen"


def test_organisation_name_header_is_an_alias():
    frames, errors, _, header_cells = check(RawSheet("Toiminta", [
        ["Organisaation nimi", "Pvm", "Toimintamuoto", "Kunnan nimi"], ["Toinen ry", "3/2025", "Muu", "Turku"]]),
        uploader=None)
    assert errors == []
    assert records(frames["toiminta"])[0]["org_code"] == "toinen"
    assert ("Toiminta", 1, 1) in header_cells and ("Toiminta", 1, 4) in header_cells


# ------------------------------------------------------------------ layout: titles, totals, empty rows, tabs

def test_title_rows_totals_rows_and_empty_rows():
    frames, errors, warnings, _ = check(RawSheet("Toiminta 2025", [
        ["Esimerkki ry – toiminta 2025"],                       # 1 title
        [None, "Täytetty 1.4.2025"],                             # 2 title
        [],                                                      # 3
        TOIMINTA,                                                # 4 header
        ["1/2025", "Muu", 2, None, None, None],                  # 5
        ["Yhteensä", None, 2, None, None, None],                 # 6 subtotal in the middle
        [None, None, None, None, None, None],                    # 7 empty
        ["2/2025", "Muu", 3, None, None, None],                  # 8
        [None, "Yht.", 5, None, None, None],                     # 9 total in the second column
        [None, "  "],                                            # 10 only spaces
        ["Summa", None, 5],                                      # 11
        ["TOTAL", None, 5],                                      # 12
    ]))
    assert errors == []
    assert found(warnings) == [
        ("totals_row_skipped", "toiminta", 6, None, "Yhteensä"),
        ("totals_row_skipped", "toiminta", 9, None, "Yht."),
        ("totals_row_skipped", "toiminta", 11, None, "Summa"),
        ("totals_row_skipped", "toiminta", 12, None, "TOTAL"),
    ]
    assert [(r["source_row"], r["count_activities"]) for r in records(frames["toiminta"])] == [(5, 2), (8, 3)]


@pytest.mark.parametrize("first_cell", ["Totalt", "Sum", "Summa:", "yhteensä 2025", "Total"])
def test_totals_words_in_every_language(first_cell):
    _, _, warnings, _ = check(RawSheet("Toiminta", [TOIMINTA, ["3/2025", "Muu", 1], [first_cell, None, 9]]))
    assert found(warnings) == [("totals_row_skipped", "toiminta", 3, None, first_cell)]


def test_several_tabs_of_one_kind_are_read_together():
    frames, errors, _, _ = check(
        RawSheet("Toiminta tammi", [TOIMINTA, ["1/2025", "Muu", 1, None, None, None]]),
        RawSheet("Toiminta helmi", [["Title"], TOIMINTA, ["2/2025", "Muu", 2, None, None, None],
                                    ["2/2025", "Kahvittelu", 1, None, None, None]]),
        RawSheet("Verksamhet mars", [["Datum", "Verksamhetsform", "Antal"], ["3/2025", "Annat", 3]]),
    )
    assert [(r["activity_month"], r["count_activities"], r["source_row"])
            for r in records(frames["toiminta"])] == [("2025-01", 1, 2), ("2025-02", 2, 3), ("2025-03", 3, 2)]
    assert [(p.code, p.params["tab"], p.row) for p in errors] == [("unknown_value", "Toiminta helmi", 4)]


def test_a_csv_sheet_is_recognised_by_its_headers():
    frames, errors, _, _ = check(RawSheet("export_2025", [
        ["Saapunut", "Pyytäjän sektori", "Tila", "Syy"], ["3/2025", "Neuvola", "Toteutunut", None]]))
    assert errors == []
    assert list(frames) == ["kysynta"]


def test_help_tabs_and_unknown_tabs_are_not_read():
    frames, errors, _, _ = check(
        RawSheet("Ohjeet", [["Sarake", "Selitys"], ["Päivämäärä", "Toimintamuoto"]]),
        RawSheet("Taul1", [["jotain", "muuta"]]),
        RawSheet("Toiminta", [TOIMINTA, ["3/2025", "Muu", 1, None, None, None]]),
    )
    assert errors == []
    assert list(frames) == ["toiminta"]


def test_no_known_sheet():
    frames, errors, _, _ = check(RawSheet("Taul1", [["Nimi", "Puhelin"], ["Maija", "040 123 4567"]]))
    assert (frames, found(errors)) == ({}, [("no_known_sheet", None, None, None, None)])


def test_empty_file_when_known_sheets_have_no_rows():
    frames, errors, _, _ = check(
        RawSheet("Toiminta", [["Kokemusmittari"], TOIMINTA, [None] * 6, ["Yhteensä", None, 0]]),
        RawSheet("Kysyntä", [["Saapunut", "Pyytäjän sektori", "Tila"]]),
    )
    assert (frames, [p.code for p in errors]) == ({}, ["empty_file"])


def test_an_empty_optional_tab_beside_filled_ones_is_fine():
    frames, errors, _, _ = check(
        RawSheet("Toiminta", [TOIMINTA, ["3/2025", "Muu", 1, None, None, None]]),
        RawSheet("Kapasiteetti", [["Kuukausi", "Koulutettuja", "Aktiivisia"]]),
    )
    assert errors == [] and list(frames) == ["toiminta"]


def test_a_named_tab_with_data_but_no_header_row():
    _, errors, _, _ = check(RawSheet("Kapasiteetti", [["3/2025", 5, 3], ["4/2025", 5, 4]]))
    assert [(p.code, p.column, p.params["hint_key"]) for p in errors] == [
        ("missing_column", "Kuukausi / Månad / Month", "no_header"),
        ("missing_column", "Koulutettuja / Utbildade / Trained experts", "no_header"),
        ("missing_column", "Aktiivisia / Aktiva / Active experts", "no_header"),
    ]


# ------------------------------------------------------------------ wide layout

WIDE_HEADER = ["Toimintamuoto", "tammi", "helmi", "maalis", "Yhteensä"]


@pytest.mark.parametrize("name, rows", [
    ("Toiminta", [["Vuosi"] + WIDE_HEADER, [2025, "Vertaistukitapaaminen", 4, None, "2", 6],
                  [2025, "Koulutus", "-", 1, None, 1]]),
    ("Toiminta 2025", [WIDE_HEADER, ["Vertaistukitapaaminen", 4, None, "2", 6], ["Koulutus", "-", 1, None, 1]]),
    ("Toiminta", [["Kokemustoiminta vuonna 2025"], WIDE_HEADER, ["Vertaistukitapaaminen", 4, None, "2", 6],
                  ["Koulutus", "-", 1, None, 1]]),
    ("Verksamhet", [["Verksamhetsform", "jan 2025", "feb 2025", "mar 2025", "Totalt"],
                    ["Kamratstödsträff", 4, None, 2, 6], ["Utbildning för yrkesverksamma", 0, 1, None, 1]]),
    ("Activities", [["Year:", 2025], [], ["Activity type", 1, 2, 3, "Total"],
                    ["Peer-support meeting", 4, None, 2, 6], ["Training professionals", "–", 1, None, 1]]),
])
def test_wide_layout_with_the_year_somewhere(name, rows):
    frames, errors, warnings, _ = check(RawSheet(name, rows))
    assert errors == []
    assert [p.code for p in warnings] == ["unknown_column"]   # the totals column
    # a blank month is no row; an explicit 0 or dash is a row of 0 (the month is reported)
    assert [(r["activity_month"], r["activity_type"], r["count_activities"])
            for r in records(frames["toiminta"])] == [
        ("2025-01", "vertaistukitapaaminen", 4), ("2025-03", "vertaistukitapaaminen", 2),
        ("2025-01", "koulutus", 0), ("2025-02", "koulutus", 1),
    ]


def test_wide_layout_without_a_year_is_refused_with_a_hint():
    frames, errors, _, _ = check(RawSheet("Toiminta", [WIDE_HEADER, ["Vertaistukitapaaminen", 4, None, 2, 6]]))
    assert found(errors) == [("missing_column", "toiminta", None, "Vuosi / År / Year", None)]
    assert errors[0].params["hint_key"] == "wide_year"
    assert "Toiminta 2025" in errors[0].message("fi")
    assert frames == {}


def test_wide_layout_cell_errors_name_the_month_column():
    _, errors, _, _ = check(RawSheet("Toiminta 2025", [
        WIDE_HEADER, ["Vertaistukitapaaminen", "n. 4", None, 2, 6], ["Kahvittelu", 1, 1, 1, 3]]))
    assert found(errors) == [("bad_number", "toiminta", 2, "tammi", "n. 4"),
                             ("unknown_value", "toiminta", 3, "Toimintamuoto", "Kahvittelu")]


def test_wide_layout_future_month_with_a_count_is_refused():
    _, errors, _, _ = check(RawSheet("Toiminta 2025", [
        ["Toimintamuoto", "kesä", "heinä", "elo"], ["Muu", 1, None, 2]]))
    assert found(errors) == [("future_date", "toiminta", 2, "elo", "elo")]


WIDE3 = ["Toimintamuoto", "tammi", "helmi", "maalis"]


@pytest.mark.parametrize("zero", [0, "0", 0.0, "-", "–"])
def test_wide_layout_explicit_zero_is_a_row_of_zero(zero):
    # a corrected file `tammi 0 | helmi 7` must cover January, so that it replaces the earlier 5
    frames, errors, _, _ = check(RawSheet("Toiminta 2025", [WIDE3, ["Koulutus", zero, 7, None]]))
    assert errors == []
    assert [(r["source_row"], r["activity_month"], r["count_activities"])
            for r in records(frames["toiminta"])] == [(2, "2025-01", 0), (2, "2025-02", 7)]


@pytest.mark.parametrize("blank", [None, "", "  "])
def test_wide_layout_blank_cell_is_no_row(blank):
    frames, errors, _, _ = check(RawSheet("Toiminta 2025", [WIDE3, ["Koulutus", blank, 7, blank]]))
    assert errors == []
    assert [(r["source_row"], r["activity_month"], r["count_activities"])
            for r in records(frames["toiminta"])] == [(2, "2025-02", 7)]


@pytest.mark.parametrize("later", [None, 0, "-"])
def test_wide_layout_blank_or_zero_future_month_is_neither_a_row_nor_an_error(later):
    frames, errors, _, _ = check(RawSheet("Toiminta 2025", [
        ["Toimintamuoto", "kesä", "heinä", "elo", "syys"], ["Muu", 1, None, later, later]]))
    assert errors == []
    assert [(r["source_row"], r["activity_month"], r["count_activities"])
            for r in records(frames["toiminta"])] == [(2, "2025-06", 1)]


def test_wide_layout_zero_in_a_locked_month_is_refused_like_any_figure():
    _, errors, _, _ = check(RawSheet("Toiminta 2025", [WIDE3, ["Muu", 0, 1, None]]),
                            locked={date(2025, 1, 1)})
    assert found(errors) == [("locked_period", "toiminta", 2, "tammi", "tammi")]


@pytest.mark.parametrize("name, rows, hint_key", [
    # two years side by side under title cells: January of 2024 and 2025 would be added up
    ("Toiminta", [[None, 2024, None, None, 2025], WIDE3 + ["tammi", "helmi", "maalis"],
                  ["Vertaistukitapaaminen", 1, 2, 3, 10, 20, 30]], "wide_month_twice"),
    ("Toiminta 2025", [WIDE3 + ["tammi"], ["Muu", 1, 2, 3, 4]], "wide_month_twice"),
    ("Toiminta", [["Vuosi"] + WIDE3 + ["maalis"], [2025, "Muu", 1, 2, 3, 4]], "wide_month_twice"),
    ("Toiminta", [["Toimintamuoto", "tammi 2025", "helmi 2025", "tammi 2025"], ["Muu", 1, 2, 3]],
     "wide_month_twice"),
    # the tab name or the title rows name two years for one set of months
    ("Toiminta 2024-2025", [WIDE3, ["Muu", 1, 2, 3]], "wide_years"),
    ("Toiminta", [["Kokemustoiminta 2024–2025"], WIDE3, ["Muu", 1, 2, 3]], "wide_years"),
    ("Toiminta", [["Vuodet", 2024, 2025.0], WIDE3, ["Muu", 1, 2, 3]], "wide_years"),
    # a school year: January would land in the year of September
    ("Toiminta 2024", [["Toimintamuoto", "syys", "loka", "tammi", "helmi"], ["Muu", 1, 2, 3, 4]],
     "wide_month_order"),
    ("Toiminta", [["Vuosi", "Toimintamuoto", "syys", "loka", "tammi", "helmi"], [2024, "Muu", 1, 2, 3, 4]],
     "wide_month_order"),
    ("Toiminta", [["Toimintamuoto", "syys 2024", "loka", "tammi 2025", "helmi"], ["Muu", 1, 2, 3, 4]],
     "wide_month_order"),
])
def test_wide_layout_with_an_ambiguous_year_is_refused(name, rows, hint_key):
    frames, errors, _, _ = check(RawSheet(name, rows))
    assert found(errors) == [("missing_column", "toiminta", None, "Vuosi / År / Year", None)]
    assert errors[0].params["hint_key"] == hint_key
    assert frames == {}
    for lang in i18n.LANGUAGES:
        message = errors[0].message(lang)
        assert "{" not in message and errors[0].params["hint"][lang] in message


@pytest.mark.parametrize("name, rows, expected", [
    # one year, named in both the tab name and a title row
    ("Toiminta 2025", [["Toiminta 2025"], WIDE3, ["Muu", 1, 2, None]],
     [(3, "2025-01", 1), (3, "2025-02", 2)]),
    # two years in the name, but a Vuosi column gives the year of each row
    ("Toiminta 2024-2025", [["Vuosi"] + WIDE3, [2024, "Muu", 1, None, None], [2025, "Muu", 5, None, None]],
     [(2, "2024-01", 1), (3, "2025-01", 5)]),
    # a school year whose month headers carry their own years
    ("Toiminta", [["Toimintamuoto", "syys 2024", "loka 2024", "tammi 2025", "helmi 2025"],
                  ["Muu", 1, 2, 3, 4]],
     [(2, "2024-09", 1), (2, "2024-10", 2), (2, "2025-01", 3), (2, "2025-02", 4)]),
    # two years side by side, each month header with its year
    ("Toiminta", [["Toimintamuoto", "tammi 2024", "tammi 2025"], ["Muu", 1, 10]],
     [(2, "2024-01", 1), (2, "2025-01", 10)]),
])
def test_wide_layout_with_one_year_per_month_is_accepted(name, rows, expected):
    frames, errors, _, _ = check(RawSheet(name, rows))
    assert errors == []
    assert [(r["source_row"], r["activity_month"], r["count_activities"])
            for r in records(frames["toiminta"])] == expected


def test_wide_layout_blank_vuosi_with_two_years_in_the_name_is_refused():
    _, errors, _, _ = check(RawSheet("Toiminta 2024-2025", [["Vuosi"] + WIDE3, [None, "Muu", 1, None, None]]))
    assert found(errors) == [("bad_date", "toiminta", 2, "Vuosi", None)]


# ------------------------------------------------------------------ one month, one tab

FIRST_TAB = RawSheet("Toiminta", [["Päivämäärä", "Toimintamuoto", "Lukumäärä"],
                                  ["1/2025", "Vertaistukitapaaminen", 10],
                                  ["2/2025", "Vertaistukitapaaminen", 12]])


@pytest.mark.parametrize("second, expected", [
    (RawSheet("Toiminta (2)", [["Päivämäärä", "Toimintamuoto", "Lukumäärä"],
                               ["1/2025", "Vertaistukitapaaminen", 10],
                               ["2/2025", "Vertaistukitapaaminen", 12]]),
     [("bad_date", "toiminta", 2, "Päivämäärä", "1/2025"), ("bad_date", "toiminta", 3, "Päivämäärä", "2/2025")]),
    # an old hidden copy with a title row and two rows for January: the first one is named
    (RawSheet("Toiminta vanha", [["Vanha versio"], ["Pvm", "Toimintamuoto", "Lkm"],
                                 ["15.1.2025", "Vertaistukitapaaminen", 4],
                                 ["20.1.2025", "Vertaistukitapaaminen", 6],
                                 ["3/2025", "Koulutus", 1]]),
     [("bad_date", "toiminta", 3, "Pvm", "15.1.2025")]),
    # a wide summary tab of the same figures
    (RawSheet("Toiminta yhteenveto", [["Yhteenveto 2025"], ["Toimintamuoto", "tammi", "helmi"],
                                      ["Vertaistukitapaaminen", 10, 12]]),
     [("bad_date", "toiminta", 3, "tammi", "tammi"), ("bad_date", "toiminta", 3, "helmi", "helmi")]),
    # a zero in the summary covers the month too
    (RawSheet("Toiminta yhteenveto", [["Toimintamuoto", "helmi 2025", "maalis 2025"],
                                      ["Koulutus", 0, 3]]),
     [("bad_date", "toiminta", 2, "helmi 2025", "helmi 2025")]),
    # split Vuosi + Kuukausi columns
    (RawSheet("Verksamhet", [["År", "Månad", "Verksamhetsform", "Antal"], [2025, "februari", "Annat", 1]]),
     [("bad_date", "toiminta", 2, "Månad", "februari")]),
])
def test_a_month_on_two_tabs_of_one_kind_is_refused(second, expected):
    frames, errors, _, _ = check(FIRST_TAB, second)
    assert found(errors) == expected
    assert {(p.params["tab"], p.params["hint_key"]) for p in errors} == {(second.name, "duplicate_month")}
    for problem in errors:
        assert "Toiminta" in problem.params["hint"]["fi"] and "/2025" in problem.params["hint"]["en"]


def test_a_third_tab_names_the_first_one():
    third = RawSheet("Toiminta 3", [["Päivämäärä", "Toimintamuoto"], ["2/2025", "Muu"]])
    _, errors, _, _ = check(FIRST_TAB, RawSheet("Toiminta 2", [["Päivämäärä", "Toimintamuoto"], ["3/2025", "Muu"]]),
                            third)
    assert found(errors) == [("bad_date", "toiminta", 2, "Päivämäärä", "2/2025")]
    assert "“Toiminta”" in errors[0].message("en") and "2/2025" in errors[0].message("en")


def test_duplicate_months_on_other_sheet_kinds():
    header = ["Kuukausi", "Koulutettuja", "Aktiivisia"]
    _, errors, _, _ = check(RawSheet("Kapasiteetti", [header, ["3/2025", 5, 3]]),
                            RawSheet("Kapasiteetti kopio", [header, ["4/2025", 5, 3], ["3/2025", 5, 3]]))
    assert found(errors) == [("bad_date", "kapasiteetti", 3, "Kuukausi", "3/2025")]


@pytest.mark.parametrize("sheets, rows", [
    # one tab with several rows for a month (one row per event)
    ([RawSheet("Toiminta", [["Päivämäärä", "Toimintamuoto"], ["3.1.2025", "Muu"], ["9.1.2025", "Muu"],
                            ["1/2025", "Koulutus"]])], 3),
    # two tabs of one kind, different months
    ([FIRST_TAB, RawSheet("Toiminta maalis", [["Päivämäärä", "Toimintamuoto"], ["3/2025", "Muu"]])], 3),
    # the same month on two tabs of different kinds
    ([FIRST_TAB, RawSheet("Kysyntä", [["Saapunut", "Pyytäjän sektori", "Tila"], ["1/2025", "Neuvola", "Avoin"]])], 2),
    # a wide tab whose cell for a month covered elsewhere is blank
    ([FIRST_TAB, RawSheet("Toiminta 2025", [WIDE3, ["Koulutus", None, None, 4]])], 3),
])
def test_months_on_one_tab_only_are_fine(sheets, rows):
    frames, errors, _, _ = check(*sheets)
    assert errors == []
    assert len(frames["toiminta"]) == rows


def test_the_same_month_of_two_organisations_on_two_tabs_is_fine():
    header = ["Organisaatio", "Päivämäärä", "Toimintamuoto"]
    frames, errors, _, _ = check(RawSheet("Toiminta esim", [header, ["esim", "1/2025", "Muu"]]),
                                 RawSheet("Toiminta toinen", [header, ["toinen", "1/2025", "Muu"],
                                                              ["esim", "1/2025", "Muu"]]),
                                 uploader=None)
    assert found(errors) == [("bad_date", "toiminta", 3, "Päivämäärä", "1/2025")]


# ------------------------------------------------------------------ three languages, one result

FI_WORKBOOK = [
    RawSheet("Toiminta", [
        ["Organisaatio", "Päivämäärä", "Toimintamuoto", "Lukumäärä", "Kokemustoimijoita",
         "Tavoitetut henkilöt", "Tunnit", "Kohdesektori", "Kunta", "Palaute"],
        ["esim", "14.3.2025", "Vertaistukitapaaminen", 2, 1, 8, "3,5", "Lastensuojelu", "Turku", "4,5"],
        ["esim", "maaliskuu 2025", "Ammattilaisten koulutus", None, 2, 30, 4, "Koulu", "Kaarina", None]]),
    RawSheet("Asenteet", [
        ["Organisaatio", "Päivämäärä", "Vastaajaryhmä", "Mittausajankohta", "Asenne", "Vastaajia", "Kohdesektori"],
        ["esim", "3/2025", "Vanhempi", "Ennen", "2 – Varauksellinen", 4, "Neuvola"],
        ["esim", "3/2025", "Muu ammattilainen", None, "Myönteinen", None, None]]),
    RawSheet("Kysyntä", [
        ["Organisaatio", "Saapunut", "Pyytäjän sektori", "Pyynnön tyyppi", "Tila", "Syy", "Kunta", "Pyydetyt kerrat"],
        ["esim", "2.3.2025", "Perhekeskus", "Paneeli tai tapahtuma", "Toteutumatta", "Ei rahoitusta", "Turku", 2],
        ["esim", "3/2025", "Neuvola", None, "Toteutunut", None, None, None]]),
    RawSheet("Kapasiteetti", [
        ["Organisaatio", "Kuukausi", "Koulutettuja", "Aktiivisia", "Vapaita tunteja"],
        ["esim", "maaliskuu 2025", 12, 7, "20,5"]]),
]
SV_WORKBOOK = [
    RawSheet("Verksamhet", [
        ["Organisation", "Datum", "Verksamhetsform", "Antal", "Erfarenhetsaktörer", "Nådda personer",
         "Timmar", "Målsektor", "Kommun", "Respons"],
        ["esim", "14.3.2025", "Kamratstödsträff", 2, 1, 8, "3,5", "Barnskydd", "Åbo", "4,5"],
        ["esim", "mars 2025", "Utbildning för yrkesverksamma", None, 2, 30, 4, "Skola", "S:t Karins", None]]),
    RawSheet("Attityder", [
        ["Organisation", "Datum", "Respondentgrupp", "Mättillfälle", "Attityd", "Respondenter", "Målsektor"],
        ["esim", "3/2025", "Förälder", "Före", "2 – Reserverad", 4, "Mödra- och barnrådgivning"],
        ["esim", "3/2025", "Annan yrkesverksam", None, "Positiv", None, None]]),
    RawSheet("Efterfrågan", [
        ["Organisation", "Inkommen", "Beställarens sektor", "Typ av begäran", "Status", "Orsak", "Kommun",
         "Begärda tillfällen"],
        ["esim", "2.3.2025", "Familjecenter", "Panel eller evenemang", "Ej genomförd", "Ingen finansiering", "Åbo", 2],
        ["esim", "3/2025", "Mödra- och barnrådgivning", None, "Genomförd", None, None, None]]),
    RawSheet("Kapacitet", [
        ["Organisation", "Månad", "Utbildade", "Aktiva", "Lediga timmar"],
        ["esim", "mars 2025", 12, 7, "20,5"]]),
]
EN_WORKBOOK = [
    RawSheet("Activities", [
        ["Organisation", "Date", "Activity type", "Count", "Experts involved", "People reached", "Hours",
         "Target sector", "Municipality", "Feedback"],
        ["esim", "2025-03-14", "Peer-support meeting", 2, 1, 8, 3.5, "Child-protection social work", "Turku", 4.5],
        ["esim", "March 2025", "Training professionals", None, 2, 30, 4, "School", "Kaarina", None]]),
    RawSheet("Attitudes", [
        ["Organisation", "Date", "Respondent group", "Measurement time", "Attitude", "Respondents", "Target sector"],
        ["esim", "2025-03", "Parent", "Before", "2 - Reserved", 4, "Maternity and child health clinic"],
        ["esim", "2025-03", "Other professional", None, "Positive", None, None]]),
    RawSheet("Demand", [
        ["Organisation", "Received", "Requesting sector", "Request type", "Status", "Reason", "Municipality",
         "Sessions requested"],
        ["esim", datetime(2025, 3, 2), "Family centre", "Panel or event", "Not fulfilled", "No funding", "Turku", 2],
        ["esim", "2025-03", "Maternity and child health clinic", None, "Fulfilled", None, None, None]]),
    RawSheet("Capacity", [
        ["Organisation", "Month", "Trained experts", "Active experts", "Hours available"],
        ["esim", "March 2025", 12, 7, 20.5]]),
]


@pytest.mark.parametrize("workbook", [SV_WORKBOOK, EN_WORKBOOK], ids=["sv", "en"])
def test_finnish_swedish_and_english_workbooks_give_identical_rows(workbook):
    fi_frames, fi_errors, fi_warnings, _ = check(*FI_WORKBOOK)
    frames, errors, warnings, _ = check(*workbook)
    assert (fi_errors, fi_warnings, errors, warnings) == ([], [], [], [])
    assert list(frames) == list(fi_frames) == list(vocabulary.SHEETS)
    for sheet in vocabulary.SHEETS:
        pd.testing.assert_frame_equal(frames[sheet], fi_frames[sheet])


def test_the_finnish_workbook_rows_are_what_the_contract_says():
    frames, *_ = check(*FI_WORKBOOK)
    assert records(frames["asenteet"]) == [
        {"source_row": 2, "org_code": "esim", "answer_month": "2025-03", "respondent_group": "vanhempi",
         "measurement_point": "ennen", "attitude_stage": 2, "count_respondents": 4, "target_sector": "neuvola"},
        {"source_row": 3, "org_code": "esim", "answer_month": "2025-03", "respondent_group": "muu_ammattilainen",
         "measurement_point": "kartoitus", "attitude_stage": 4, "count_respondents": 1, "target_sector": None},
    ]
    assert records(frames["kapasiteetti"]) == [
        {"source_row": 2, "org_code": "esim", "capacity_month": "2025-03", "count_trained": 12,
         "count_active": 7, "hours_available": 20.5}]


# ------------------------------------------------------------------ messages

def _problems_file(lang: str) -> dict:
    with (Path(i18n.__file__).parent / lang / "problems.toml").open("rb") as handle:
        return tomllib.load(handle)


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_every_owned_code_has_a_message(lang):
    # beside its own message a code may have one for a count of one (more_errors_one)
    assert {key.removesuffix("_one") for key in _problems_file(lang)["problem"]} == set(OWN_CODES)
    assert set(OWN_CODES) <= set(ERROR_CODES) | set(WARNING_CODES)


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_hints_exist_in_every_language(lang):
    assert set(_problems_file(lang)["problem_hint"]) == set(_problems_file("fi")["problem_hint"])


def _all_kinds_of_problems():
    _, errors, warnings, _ = check(
        RawSheet("Toiminta", [TOIMINTA + ["Huom"], ["Q1/2025", "Kahvittelu", "n. 5", "-1", "Narnia", 9, None],
                              ["8/2025", "Muu", 1, None, None, None], ["2/2025", "Muu", 1, None, None, None],
                              ["Yhteensä"]]),
        RawSheet("Toiminta 2", [WIDE_HEADER, ["Muu", 1, 1, 1, 3]]),
        RawSheet("Kysyntä", [["Organisaatio", "Saapunut", "Pyytäjän sektori", "Tila"],
                             ["Toinen ry", "3/2025", "Neuvola", "Toteutumatta"],
                             ["Kolmas", "3/2025", "Neuvola", "Avoin"]]),
        locked={date(2025, 2, 1)})
    _, empty, _, _ = check(RawSheet("Toiminta", [TOIMINTA]))
    _, unknown, _, _ = check(RawSheet("Taul1", [["a"]]))
    _, many, many_warnings, _ = check(RawSheet("Kysyntä", [["Saapunut", "Pyytäjän sektori", "Tila", "Kunta"]]
                                               + [["3/2025", "Neuvola", "Avoin", "Narnia"]] * 501
                                               + [["3/2025", "Poliisi", "Avoin", None]] * 501))
    left_out = [p for p in many + many_warnings if p.code.startswith("more_")]
    return errors + warnings + empty + unknown + left_out


def test_the_check_produces_every_owned_code():
    assert {p.code for p in _all_kinds_of_problems()} == set(OWN_CODES)


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_messages_are_filled_in_and_in_one_language(lang):
    others = [other for other in i18n.LANGUAGES if other != lang]
    foreign_hints = {text for other in others for text in _problems_file(other)["problem_hint"].values()}
    for problem in _all_kinds_of_problems():
        message = problem.message(lang)
        assert not re.search(r"[{}]", message), message
        assert message.strip() and message == message.strip()
        assert not any(hint.split(":")[0] in message for hint in foreign_hints if len(hint) > 20), message
        if problem.row is not None:
            assert str(problem.row) in message

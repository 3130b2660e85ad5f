"""Query rows shaped for charts and tables (ui/*tables.py) and the tables leaving the app (ui/exports.py).

Input frames copy the columns of the .sql files' final CTEs; a few rows each, the exact rows out.
"""

import io
import math
from datetime import date

import openpyxl
import pandas as pd
import pytest

import settings
from data_sources.vocabulary import PUBLIC_SECTORS
from i18n import label
from queries.periods import parse_period
from queries.scope import Scope
from ui import attitude_tables, completeness_tables, demand_tables, exports, tables
from ui.context import PageContext

NBSP = "\u00a0"
BOM = "\ufeff"


def ctx(lang: str = "fi", exact: bool = True) -> PageContext:
    return PageContext(lang=lang, warehouse=None, settings=settings.Settings(),
                       role="leadership" if exact else "board", period=parse_period("2025H1"),
                       scope=Scope(exact=exact), data_version=0, today=date(2025, 8, 1))


def records(frame: pd.DataFrame) -> list[tuple]:
    """Rows as tuples: timestamps as 'YYYY-MM', NaN as None, floats to 3 decimals."""
    def clean(value):
        if isinstance(value, pd.Timestamp):
            return f"{value:%Y-%m}"
        if isinstance(value, float):
            return None if math.isnan(value) else round(value, 3)
        return value
    return [tuple(clean(v) for v in row) for row in frame.itertuples(index=False)]


# --- protect and drawable ---------------------------------------------------------------------

COUNTS = pd.DataFrame({"municipality": ["Turku", "Espoo", "Oulu", "Vaasa", "Pori", "Lahti"],
                       "count_activities": [0, 1, 4, 5, 12, 3]})


def test_protect_leaves_an_exact_view_alone():
    shown = tables.protect(ctx(exact=True), COUNTS, ["count_activities"])
    assert records(shown) == records(COUNTS)


def test_protect_hides_one_to_four_in_a_board_view():
    shown = tables.protect(ctx(exact=False), COUNTS, ["count_activities"])
    assert shown["count_activities"].tolist() == [0, "<5", "<5", 5, 12, "<5"]


def test_protect_hides_nothing_only_to_protect_another_count():
    # the counts are perturbed at the row: a total minus the shown parts gives back no true count
    frame = pd.DataFrame({"municipality": ["Turku", "Espoo", "Oulu"], "count_activities": [12, 3, 20]})
    shown = tables.protect(ctx(exact=False), frame, ["count_activities"])
    assert shown["count_activities"].tolist() == [12, "<5", 20]


def test_protect_passes_an_empty_frame_through():
    empty = COUNTS.iloc[0:0]
    assert tables.protect(ctx(exact=False), empty, ["count_activities"]) is empty


@pytest.mark.parametrize("values, expected", [
    ([12, "<5", 0], [12.0, None, 0.0]),
    (["<5", "<5"], [None, None]),
    ([3.5, None], [3.5, None]),
])
def test_drawable_turns_hidden_counts_into_missing_numbers(values, expected):
    drawn = tables.drawable(pd.Series(values, dtype=object))
    assert [None if math.isnan(v) else v for v in drawn] == expected


@pytest.mark.parametrize("values, kept", [
    ([0, 3, "<5", "..", None, float("nan")], [3, "<5", ".."]),
    ([0, 0], []),
    ([], []),
])
def test_without_zero_counts_keeps_what_is_worth_drawing_and_every_column(values, kept):
    frame = pd.DataFrame({"category": [f"c{i}" for i in range(len(values))],
                          "count": pd.Series(values, dtype=object)})
    shown = tables.without_zero_counts(frame)
    assert (list(shown.columns), shown["count"].tolist()) == (["category", "count"], kept)


# --- demand -----------------------------------------------------------------------------------

# demand_by_sector.sql, final CTE
SECTOR_ROWS = pd.DataFrame({
    "requesting_sector": ["neuvola", "koulu"],
    "count_requests": [20, 13], "count_toteutunut": [10, 6], "count_osittain": [2, 0],
    "count_toteutumatta": [6, 5], "count_avoin": [2, 2], "count_peruttu": [0, 0],
    "count_decided": [18, 11], "count_unmet": [8, 5], "unmet_share": [8 / 18, 5 / 11],
})
KOULU_FI = "Koulu (opetus, kuraattori, psykologi)"


def test_status_by_sector_is_one_row_per_sector_and_status_with_requests():
    assert records(demand_tables.status_by_sector(ctx("fi"), SECTOR_ROWS)) == [
        ("Neuvola", "Toteutunut", 0, 10, 10),
        (KOULU_FI, "Toteutunut", 0, 6, 6),
        ("Neuvola", "Osittain toteutunut", 1, 2, 2),
        ("Neuvola", "Toteutumatta", 2, 6, 6),
        (KOULU_FI, "Toteutumatta", 2, 5, 5),
        ("Neuvola", "Avoin", 3, 2, 2),
        (KOULU_FI, "Avoin", 3, 2, 2),
    ]


def test_status_by_sector_shows_requests_exactly_to_a_board_viewer_too():
    # a request comes from an organisation, not a person: two open requests are shown as two
    rows = pd.DataFrame({
        "requesting_sector": ["neuvola", "koulu"],
        "count_requests": [32, 25], "count_toteutunut": [20, 15], "count_osittain": [0, 0],
        "count_toteutumatta": [10, 10], "count_avoin": [2, 0], "count_peruttu": [0, 0],
        "count_decided": [30, 25], "count_unmet": [10, 10], "unmet_share": [1 / 3, 0.4],
    })
    board = demand_tables.status_by_sector(ctx("en", exact=False), rows)
    assert records(board) == records(demand_tables.status_by_sector(ctx("en", exact=True), rows))
    open_row = board[board["status_label"] == "Open"]
    assert records(open_row) == [("Maternity and child health clinic", "Open", 3, 2, 2)]


@pytest.mark.parametrize("exact", [True, False])
def test_status_by_sector_without_public_requests_is_empty_with_its_columns(exact):
    # e.g. /demand?sector=jarjesto: the query returns no row (it once failed with KeyError)
    shown = demand_tables.status_by_sector(ctx("fi", exact=exact), SECTOR_ROWS.iloc[0:0])
    assert shown.empty
    assert list(shown.columns) == ["sector_label", "status_label", "status_order", "count", "value"]


def test_unmet_by_sector_gives_share_and_its_basis():
    assert records(demand_tables.unmet_by_sector(ctx("en"), SECTOR_ROWS)) == [
        ("Maternity and child health clinic", 0.444, 8, 18, "8/18"),
        ("School (teaching, school social worker, psychologist)", 0.455, 5, 11, "5/11"),
    ]


def test_unmet_by_sector_writes_thousands_the_languages_way():
    rows = SECTOR_ROWS.iloc[:1].assign(count_unmet=1200, count_decided=3400, unmet_share=1200 / 3400)
    assert demand_tables.unmet_by_sector(ctx("fi"), rows)["label"].tolist() == [f"1{NBSP}200/3{NBSP}400"]
    assert demand_tables.unmet_by_sector(ctx("en"), rows)["label"].tolist() == ["1,200/3,400"]


# demand_by_reason.sql, final CTE
REASON_ROWS = pd.DataFrame({"reason": ["ei_tekijaa", "aikataulu", None], "count_unmet": [9, 6, 3],
                            "reason_share": [0.5, 1 / 3, 1 / 6]})


@pytest.mark.parametrize("lang, exact, expected", [
    ("fi", True, [("Ei vapaata kokemustoimijaa", 9, 9), ("Aikataulu ei sopinut", 6, 6), ("ei kerrottu", 3, 3)]),
    ("en", True, [("No expert available", 9, 9), ("Timing", 6, 6), ("not given", 3, 3)]),
    # requests are not protected: a board viewer sees the 3 too
    ("en", False, [("No expert available", 9, 9), ("Timing", 6, 6), ("not given", 3, 3)]),
])
def test_reasons(lang, exact, expected):
    assert records(demand_tables.reasons(ctx(lang, exact), REASON_ROWS)) == expected


# capacity_by_month.sql, final CTE (February: no capacity reported)
CAPACITY_ROWS = pd.DataFrame({
    "capacity_month": pd.to_datetime(["2025-01-01", "2025-02-01"]),
    "count_trained": [10.0, None], "count_active": [7.0, None], "hours_available": [30.0, None],
    "count_reporting_orgs": [2, 0], "count_requests": [8, 0],
})


def test_capacity_is_two_series_over_the_months():
    # the last field is the line's segment: after a month nobody reported, a new one begins
    assert records(demand_tables.capacity(ctx("fi"), CAPACITY_ROWS)) == [
        ("2025-01", "Aktiiviset kokemustoimijat", 7.0, 7.0, 0),
        ("2025-02", "Aktiiviset kokemustoimijat", None, None, 1),
        ("2025-01", "Pyydetyt kerrat", 8, 8.0, 0),
        ("2025-02", "Pyydetyt kerrat", 0, 0.0, 0),
    ]


def test_a_month_nobody_reported_breaks_the_line_instead_of_drawing_zero():
    rows = pd.DataFrame({"capacity_month": pd.to_datetime(["2025-01-01", "2025-02-01", "2025-03-01"]),
                         "count_active": [7.0, None, 5.0], "count_requests": [8.0, None, 2.0]})
    shown = demand_tables.capacity(ctx("en"), rows)
    assert shown["value"].isna().sum() == 2          # no zero is drawn for February
    drawn = shown.dropna(subset=["value"])
    # January and March are in different segments: the line does not cross February
    assert drawn.groupby("series")["segment"].nunique().tolist() == [2, 2]


def test_capacity_and_requests_are_shown_exactly_in_a_board_view():
    rows = CAPACITY_ROWS.assign(count_requests=[3, 0])
    assert records(demand_tables.capacity(ctx("en", exact=False), rows)) == [
        ("2025-01", "Active experience experts", 7.0, 7.0, 0),
        ("2025-02", "Active experience experts", None, None, 1),
        ("2025-01", "Sessions requested", 3, 3.0, 0),
        ("2025-02", "Sessions requested", 0, 0.0, 0),
    ]


def test_white_spots_fill_every_public_sector_by_municipality_and_mark_only_the_spots():
    spots = pd.DataFrame({"sector": ["neuvola", "koulu"], "municipality": ["Turku", "Espoo"],
                          "last_contact_month": [None, pd.Timestamp("2023-05-01")]})
    activity = pd.DataFrame({"municipality": ["Turku", None], "count_activities": [4, 2]})
    demand = pd.DataFrame({"municipality": ["Oulu", "Espoo"], "count_requests": [1, 6]})
    grid = demand_tables.white_spots(ctx("fi"), spots, activity, demand)
    sectors = [label("fi", "sector", s) for s in PUBLIC_SECTORS]
    assert list(zip(grid["sector_label"], grid["municipality"])) == [
        (s, m) for s in sectors for m in ("Espoo", "Oulu", "Turku")]
    white = grid[grid["is_white"]]
    assert records(white) == [
        ("Neuvola", "Turku", True, "Valkoinen alue", "○"),
        (KOULU_FI, "Espoo", True, "Valkoinen alue", "○"),
    ]
    reached = grid[~grid["is_white"]]
    assert len(reached) == 28
    assert set(reached["state_label"]) == {"Toimintaa tai pyyntöjä"}
    assert set(reached["mark"]) == {"●"}


def test_white_spots_with_no_spots_are_all_reached():
    spots = pd.DataFrame({"sector": [], "municipality": [], "last_contact_month": []})
    activity = pd.DataFrame({"municipality": ["Vaasa"]})
    demand = pd.DataFrame({"municipality": []})
    grid = demand_tables.white_spots(ctx("en"), spots, activity, demand)
    assert (len(grid), grid["is_white"].any(), set(grid["state_label"])) == (10, False, {"Activity or requests"})


def test_white_spots_with_no_municipality_in_sight_is_an_empty_grid():
    nothing = pd.DataFrame({"sector": [], "municipality": [], "last_contact_month": []})
    grid = demand_tables.white_spots(ctx("fi"), nothing, pd.DataFrame({"municipality": []}),
                                     pd.DataFrame({"municipality": []}))
    assert grid.empty
    assert grid["is_white"].dtype == bool  # so grid[grid["is_white"]] keeps the columns
    assert list(grid[grid["is_white"]].columns) == ["sector_label", "municipality", "is_white", "state_label",
                                                   "mark"]


# --- attitudes --------------------------------------------------------------------------------

# attitudes_by_month.sql, final CTE
STAGE_ROWS = pd.DataFrame({
    "answer_month": pd.to_datetime(["2025-01-01", "2025-01-01", "2025-02-01"]),
    "attitude_stage": [1, 4, 4], "is_sceptical": [True, False, False],
    "count_respondents": [6, 9, 10], "respondents_share": [0.4, 0.6, 1.0],
})


def test_stages_by_month():
    assert records(attitude_tables.stages_by_month(ctx("fi"), STAGE_ROWS)) == [
        ("2025-01", 1, "1 – Epäilevä", 6, 6, 0.4, 15),
        ("2025-01", 4, "4 – Myönteinen", 9, 9, 0.6, 15),
        ("2025-02", 4, "4 – Myönteinen", 10, 10, 1.0, 10),
    ]


# attitude_shift_by_group.sql, final CTE
SHIFT_ROWS = pd.DataFrame({
    "respondent_group": ["vanhempi"],
    "count_respondents_ennen": [20], "count_curious_ennen": [8], "curious_or_better_share_ennen": [0.4],
    "count_respondents_jalkeen": [25], "count_curious_jalkeen": [15], "curious_or_better_share_jalkeen": [0.6],
    "shift_points": [20.0],
})


def test_before_after_is_two_points_per_group():
    assert records(attitude_tables.before_after(ctx("en"), SHIFT_ROWS)) == [
        ("Parent", "Before", 0, 0.4, 20, 20, "40% (n = 20)", 20.0),
        ("Parent", "After", 1, 0.6, 25, 25, "60% (n = 25)", 20.0),
    ]


# --- completeness -----------------------------------------------------------------------------

# completeness_by_organisation.sql, final CTE
COMPLETENESS_ROWS = pd.DataFrame({
    "org_code": ["a", "b"], "org_name": ["A ry", "B ry"],
    "start_month": pd.to_datetime(["2020-01-01", "2025-04-01"]),
    "count_expected_months": [6, 3], "count_reported_months": [4, 3],
    "reported_share": [4 / 6, 1.0], "missing_months": [["2025-02", "2025-05"], []],
})


@pytest.mark.parametrize("lang, expected", [
    ("fi", {"Järjestö": ["A ry", "B ry"], "Odotetut kuukaudet": [6, 3], "Raportoidut kuukaudet": [4, 3],
            "Kattavuus": ["66,7\u00a0%", "100,0\u00a0%"], "Puuttuvat kuukaudet": ["helmi 2025, touko 2025", ""]}),
    ("en", {"Organisation": ["A ry", "B ry"], "Months expected": [6, 3], "Months reported": [4, 3],
            "Completeness": ["66.7%", "100.0%"], "Months missing": ["Feb 2025, May 2025", ""]}),
])
def test_completeness_by_organisation(lang, expected):
    assert completeness_tables.by_organisation(ctx(lang), COMPLETENESS_ROWS).to_dict("list") == expected


# reporting_by_organisation_month.sql, final CTE (one month)
MONTH_ROWS = pd.DataFrame({
    "org_code": ["c", "a", "d", "b", "e"], "org_name": ["C ry", "A ry", "D ry", "B ry", "E ry"],
    "period_month": pd.to_datetime(["2025-06-01"] * 5),
    "state": ["missing", "missing", "reported", "not_expected", "locked"],
})


def test_missing_in_names_the_organisations_expected_and_without_a_report():
    # E ry's month is locked with nothing sent: the figures count it as missing, so does the sentence
    assert completeness_tables.missing_in(MONTH_ROWS) == ["A ry", "C ry", "E ry"]


def test_missing_in_an_empty_month_is_nobody():
    assert completeness_tables.missing_in(MONTH_ROWS.iloc[0:0]) == []


def test_reporting_grid_labels_each_state():
    assert records(completeness_tables.reporting_grid(ctx("en"), MONTH_ROWS)) == [
        ("C ry", "2025-06", "missing", "Missing"),
        ("A ry", "2025-06", "missing", "Missing"),
        ("D ry", "2025-06", "reported", "Reported"),
        ("B ry", "2025-06", "not_expected", "Not yet a member"),
        ("E ry", "2025-06", "locked", "Locked"),
    ]


# --- exports ----------------------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    ("=1+1", "'=1+1"),
    ("+358 40 123 4567", "'+358 40 123 4567"),
    ("-2", "'-2"),
    ("@x", "'@x"),
    ("\tx", "'\tx"),
    ("\rx", "'\rx"),
    ("Turku", "Turku"),
    ("a=b", "a=b"),
    ("", ""),
    (-2, -2),
    (1.5, 1.5),
    (None, None),
])
def test_neutralise_cell(value, expected):
    assert exports.neutralise_cell(value) == expected


EXPORT = pd.DataFrame({"Kunta": ["Turku, Espoo", "=1+1"], "Osuus": [0.25, 1.5], "N": [1200, -3]})


@pytest.mark.parametrize("lang, expected", [
    ("fi", f"{BOM}Kunta;Osuus;N\nTurku, Espoo;0,25;1200\n'=1+1;1,5;-3\n"),
    ("sv", f"{BOM}Kunta;Osuus;N\nTurku, Espoo;0,25;1200\n'=1+1;1,5;-3\n"),
    ("en", f'{BOM}Kunta,Osuus,N\n"Turku, Espoo",0.25,1200\n\'=1+1,1.5,-3\n'),
])
def test_to_csv_bytes(lang, expected):
    data = exports.to_csv_bytes(EXPORT, lang)
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8") == expected


def test_to_csv_bytes_neutralises_a_column_name():
    assert exports.to_csv_bytes(pd.DataFrame({"=x": [1]}), "en").decode("utf-8") == f"{BOM}'=x\n1\n"


def test_to_xlsx_bytes_reads_back_as_text_with_no_formulas():
    frame = pd.DataFrame({"=Kunta": ["=1+1", "+358 40 123", "@SUM(A1)", "Turku"], "N": [1, 2, 3, -4]})
    book = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx_bytes(frame, sheet_name="Järjestöt")))
    sheet = book["Järjestöt"]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    # as written, without a visible apostrophe ("'-3" was shown in a member's problem list), and
    # each text that a spreadsheet would run as a formula once edited carries Excel's quote prefix
    assert values == [["=Kunta", "N"], ["=1+1", 1], ["+358 40 123", 2], ["@SUM(A1)", 3], ["Turku", -4]]
    assert {cell.data_type for row in sheet.iter_rows() for cell in row} == {"s", "n"}
    quoted = {cell.coordinate for row in sheet.iter_rows() for cell in row if cell.quotePrefix}
    assert quoted == {"A1", "A2", "A3", "A4"}


def test_to_xlsx_bytes_cuts_the_sheet_name_to_excels_31_characters():
    book = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx_bytes(pd.DataFrame({"a": [1]}), "x" * 40)))
    assert book.sheetnames == ["x" * 31]


@pytest.mark.parametrize(("title", "sheet"), [
    ("Toiminta kuukausittain", "Toiminta kuukausittain"),
    ("Kysyntä / kapasiteetti: sektorit [2026]?", "Kysyntä kapasiteetti sektorit"),   # cut at a word
    ("'Lainattu'", "Lainattu"),
    ("*/?", "data"),
    # what XML cannot hold made a workbook Excel calls damaged; an emoji is two of Excel's 31
    ("x\x01y\x00z", "x y z"),
    ("ab\ufffecd\uffff", "ab cd"),
    ("\ud800Kysyntä", "Kysyntä"),
    ("😀" * 20, "😀" * 15),
    ("History", "data"),                   # Excel's own, reserved
])
def test_a_title_becomes_a_sheet_name_excel_opens(title, sheet):
    book = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx_bytes(pd.DataFrame({"a": [1]}), title)))
    assert book.sheetnames == [sheet]
    assert len(sheet.encode("utf-16-le")) // 2 <= 31


@pytest.mark.parametrize(("codes", "picked", "kept"), [
    (["aurinko", "aurinko"], "aurinko", False),   # the picked organisation on every row: said above the table
    (["aurinko", "majakka"], "aurinko", True),    # a network file for several: each row names its own
    (["aurinko", None], "aurinko", True),          # an upload sent for several organisations in a history
    (["aurinko"], None, True),                     # nothing picked: the file's own column chose it
    ([], "aurinko", True),
])
def test_the_organisation_column_is_left_out_only_when_every_row_is_the_picked_one(codes, picked, kept):
    from ui.upload_views import without_one_org

    table = pd.DataFrame({"Järjestö": ["x"] * len(codes), "Rivejä": [1] * len(codes)})
    assert ("Järjestö" in without_one_org(table, "Järjestö", codes, picked).columns) is kept


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_a_csvs_problem_list_names_no_tab_and_a_workbooks_does(lang):
    """A member's CSV's list read "Verksamhet" on one row and the file's own name on the next, under
    a heading "Flik", though a CSV has no tabs (its messages name none)."""
    import i18n
    from data_sources.intake import check_upload
    from data_sources.organisations import Registry
    from data_sources.templates import filled_workbook
    from ui.upload_views import problems_table

    lines = ("Päivämäärä;Toimintamuoto;Lukumäärä;Anteckningar\n"
             "1.11.2026;Vertaistukitapaaminen;-3;soita anna.virtanen@example.com\n")
    registry = Registry(names={"aurinko": "Aurinko ry"})
    csv = check_upload("epost.csv", lines.encode(), registry=registry, uploader_org="aurinko")
    assert {p.code for p in csv.errors} >= {"negative_number", "personal_data"}
    tab = i18n.t(lang, "upload.col_sheet")
    assert tab not in problems_table(lang, csv.errors + csv.warnings, with_kind=True).columns
    rows = pd.DataFrame({"activity_month": ["11/2026"], "activity_type": ["Muu"], "count_activities": [-3]})
    book = check_upload("raportti.xlsx", filled_workbook({"toiminta": rows}, "fi"), registry=registry,
                        uploader_org="aurinko")
    assert book.errors
    assert tab in problems_table(lang, book.errors, with_kind=True).columns

"""The downloadable template, and workbooks filled with canonical rows, in the layout of the
data contract (shared/spec/data-contract.md): headers from i18n/<lang>/columns.toml, code
labels from i18n/<lang>/codes.toml, notes and instructions from i18n/<lang>/templates.toml.
"""

import csv
import io
import math
from datetime import date, datetime

import pandas as pd
import xlsxwriter

import i18n
from data_sources.vocabulary import (
    ATTITUDE_STAGES,
    CODE_LISTS,
    MONTH_COLUMN,
    SHEET_COLUMNS,
    SHEETS,
)

# canonical column -> the code list (codes.toml section) its values come from
CODE_COLUMNS = {
    "activity_type": "activity_type",
    "request_type": "activity_type",
    "target_sector": "sector",
    "requesting_sector": "sector",
    "respondent_group": "respondent_group",
    "measurement_point": "measurement_point",
    "attitude_stage": "attitude_stage",
    "status": "status",
    "reason": "reason",
}
# the hidden lists sheet holds one code list per column, in this order
LIST_ORDER = (
    "activity_type", "sector", "respondent_group", "measurement_point", "attitude_stage",
    "status", "reason",
)
DATE_COLUMNS = frozenset(MONTH_COLUMN.values())
TEXT_COLUMNS = frozenset({"org_code", "municipality"})
# drop-downs cover this many data rows in an empty template; a filled one gets more if needed
VALIDATED_ROWS = 2000
STAGE_SEPARATOR = " – "

# A few rows per sheet for the instructions, as canonical values so every language shows
# the same example in its own words. Blanks show what leaving a cell empty looks like.
EXAMPLE_ROWS = {
    "toiminta": (
        {"activity_month": date(2025, 3, 1), "activity_type": "vertaistukitapaaminen",
         "count_activities": 14, "experts_involved": 3, "people_reached": 11, "hours": 21.0,
         "target_sector": "lastensuojelu", "municipality": "Turku", "feedback": 4.6},
        {"activity_month": date(2025, 3, 12), "activity_type": "koulutus",
         "experts_involved": 2, "people_reached": 25, "hours": 3.5,
         "target_sector": "neuvola", "municipality": "Salo", "feedback": 4.8},
        {"activity_month": date(2025, 3, 1), "activity_type": "vertaistukisuhde",
         "count_activities": 2, "experts_involved": 2, "people_reached": 2,
         "target_sector": "perhekeskus", "municipality": "Kaarina"},
    ),
    "asenteet": (
        {"answer_month": date(2025, 3, 1), "respondent_group": "lastensuojelun_tyontekija",
         "measurement_point": "ennen", "attitude_stage": 2, "count_respondents": 6,
         "target_sector": "lastensuojelu"},
        {"answer_month": date(2025, 3, 1), "respondent_group": "lastensuojelun_tyontekija",
         "measurement_point": "jalkeen", "attitude_stage": 3, "count_respondents": 5,
         "target_sector": "lastensuojelu"},
        {"answer_month": date(2025, 3, 1), "respondent_group": "vanhempi",
         "attitude_stage": 4, "count_respondents": 3},
    ),
    "kysynta": (
        {"received_month": date(2025, 3, 5), "requesting_sector": "neuvola",
         "request_type": "koulutus", "status": "toteutumatta", "reason": "ei_tekijaa",
         "municipality": "Turku", "count_sessions": 2},
        {"received_month": date(2025, 3, 18), "requesting_sector": "lastensuojelu",
         "request_type": "tyoparityo", "status": "toteutunut", "municipality": "Raisio"},
        {"received_month": date(2025, 3, 24), "requesting_sector": "kouluterveydenhuolto",
         "request_type": "paneeli", "status": "avoin", "municipality": "Salo",
         "count_sessions": 1},
    ),
    "kapasiteetti": (
        {"capacity_month": date(2025, 3, 1), "count_trained": 18, "count_active": 11,
         "hours_available": 40.0},
        {"capacity_month": date(2025, 4, 1), "count_trained": 19, "count_active": 12},
    ),
}

# A fixed creation time keeps the bytes of a workbook a function of its content, so the
# same demo or template twice has the same hash (and re-sending it changes nothing).
_CREATED = datetime(2025, 1, 1)


def template_columns(sheet: str, with_org: bool = True) -> tuple[str, ...]:
    """The canonical columns a sheet of the template shows, Organisaatio first."""
    columns = tuple(c for c in SHEET_COLUMNS[sheet] if c != "source_row")
    return columns if with_org else tuple(c for c in columns if c != "org_code")


def column_header(lang: str, sheet: str, column: str) -> str:
    return i18n.t(lang, f"column.{sheet}.{column}")


def stage_label(lang: str, stage: int) -> str:
    """An attitude stage as the template writes it: "3 – Kysyvä, kiinnostunut"."""
    code = ATTITUDE_STAGES[int(stage)]
    return f"{int(stage)}{STAGE_SEPARATOR}{i18n.label(lang, 'attitude_stage', code)}"


def code_labels(lang: str, code_list: str) -> list[str]:
    """The drop-down entries of a code list in `lang`, in the contract's order."""
    if code_list == "attitude_stage":
        return [stage_label(lang, stage) for stage in ATTITUDE_STAGES]
    return [i18n.label(lang, code_list, code) for code in CODE_LISTS[code_list]]


def template_workbook(lang: str) -> bytes:
    """The empty monthly-report workbook in `lang`, with instructions, notes and drop-downs."""
    return _write_workbook(lang, {sheet: [] for sheet in SHEETS}, with_org=True)


def filled_workbook(
    sheets: dict[str, pd.DataFrame], lang: str, org_label: str | None = None,
) -> bytes:
    """Canonical rows (vocabulary.SHEET_COLUMNS) written into the template layout in `lang`.

    Codes become their labels, months real dates, blanks stay empty. With `org_label` the
    Organisaatio column holds it on every row; without, the column is left out, as the
    contract allows when the uploader belongs to one organisation.
    """
    with_org = org_label is not None
    rows: dict[str, list[dict]] = {}
    for sheet in SHEETS:
        frame = sheets.get(sheet)
        records = [] if frame is None else frame.to_dict("records")
        if with_org:
            records = [{**record, "org_code": org_label} for record in records]
        rows[sheet] = records
    return _write_workbook(lang, rows, with_org=with_org)


def template_csv(sheet: str, lang: str) -> bytes:
    """One sheet's header row in `lang`: `;`-delimited UTF-8 with BOM, as Finnish Excel opens it."""
    if sheet not in SHEETS:
        raise ValueError(f"unknown sheet {sheet!r}")
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([column_header(lang, sheet, column) for column in template_columns(sheet)])
    return buffer.getvalue().encode("utf-8-sig")


def cell_value(lang: str, column: str, value):
    """A canonical value as the template shows it: a label, a date, a number, text or None."""
    if _is_blank(value):
        return None
    if column == "attitude_stage":
        stage = value if not isinstance(value, str) else _stage_of_code(value)
        return stage_label(lang, stage)
    if column in CODE_COLUMNS:
        return i18n.label(lang, CODE_COLUMNS[column], value)
    if column in DATE_COLUMNS:
        # rows are stored by month, so a filled workbook shows each month's first day
        return pd.Timestamp(value).date().replace(day=1)
    if column in TEXT_COLUMNS:
        return str(value)
    number = float(value)
    return int(number) if number.is_integer() else number


def _stage_of_code(code: str) -> int:
    for stage, stage_code in ATTITUDE_STAGES.items():
        if stage_code == code:
            return stage
    return int(code)


def _is_blank(value) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _write_workbook(lang: str, rows: dict[str, list[dict]], with_org: bool) -> bytes:
    if lang not in i18n.LANGUAGES:
        raise ValueError(f"unknown language {lang!r}")
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True})
    book.set_properties({"title": i18n.t(lang, "template.instructions_title"),
                         "created": _CREATED})
    formats = _formats(book, lang)
    lists_name = i18n.t(lang, "template.lists_sheet")

    _write_instructions(book, lang, formats)
    for sheet in SHEETS:
        _write_data_sheet(book, lang, sheet, rows.get(sheet, []), with_org, lists_name, formats)
    _write_lists(book, lang, lists_name)

    book.close()
    return output.getvalue()


def _formats(book, lang: str) -> dict:
    return {
        "header": book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1,
                                   "text_wrap": True, "valign": "top"}),
        "date": book.add_format({"num_format": i18n.t(lang, "template.date_format")}),
        "title": book.add_format({"bold": True, "font_size": 14}),
        "heading": book.add_format({"bold": True, "font_size": 12}),
        "wrap": book.add_format({"text_wrap": True, "valign": "top"}),
        "cell": book.add_format({"valign": "top"}),
        "date_cell": book.add_format({"num_format": i18n.t(lang, "template.date_format"),
                                      "align": "left", "valign": "top"}),
    }


def _write_instructions(book, lang: str, formats: dict) -> None:
    sheet = book.add_worksheet(i18n.t(lang, "template.instructions_sheet"))
    sheet.set_column(0, 0, 26)
    sheet.set_column(1, 4, 30)
    text_width = 26 + 4 * 30
    sheet.write_string(0, 0, i18n.t(lang, "template.instructions_title"), formats["title"])
    row = 2
    body = [line for line in i18n.t(lang, "template.instructions_body").splitlines() if line.strip()]
    for line in body:
        # merged across the example table's width, so paragraphs wrap at a readable width;
        # Excel does not size merged rows by itself, hence the explicit height
        sheet.merge_range(row, 0, row, 4, line, formats["wrap"])
        sheet.set_row(row, 15 * max(1, math.ceil(len(line) * 1.1 / text_width)))
        row += 1

    for sheet_key in SHEETS:
        row += 1
        sheet_name = i18n.label(lang, "sheet", sheet_key)
        sheet.write_string(row, 0, i18n.t(lang, "template.examples_heading", sheet=sheet_name),
                           formats["heading"])
        row += 1
        sheet.write_string(row, 0, i18n.t(lang, "template.examples_intro", sheet=sheet_name))
        row += 1
        # Transposed on purpose: a header row of contract columns on this sheet would make
        # a reader that finds sheets by their headers import the examples as data.
        examples = EXAMPLE_ROWS[sheet_key]
        sheet.write_string(row, 0, i18n.t(lang, "template.examples_column"), formats["header"])
        for n in range(len(examples)):
            sheet.write_string(row, n + 1, i18n.t(lang, "template.examples_row", n=n + 1),
                               formats["header"])
        row += 1
        for column in template_columns(sheet_key, with_org=False):
            sheet.write_string(row, 0, column_header(lang, sheet_key, column), formats["cell"])
            for n, example in enumerate(examples):
                value = example.get(column)
                if column in DATE_COLUMNS and value is not None:
                    # examples keep their day: the template accepts a day as well as a month
                    sheet.write_datetime(row, n + 1, datetime.combine(value, datetime.min.time()),
                                         formats["date_cell"])
                else:
                    _write_cell(sheet, row, n + 1, cell_value(lang, column, value), formats)
            row += 1
    sheet.activate()


def _write_data_sheet(book, lang, sheet_key, records, with_org, lists_name, formats) -> None:
    sheet = book.add_worksheet(i18n.label(lang, "sheet", sheet_key))
    columns = template_columns(sheet_key, with_org)
    last_row = max(VALIDATED_ROWS, len(records) + 200)
    for col, column in enumerate(columns):
        header = column_header(lang, sheet_key, column)
        sheet.write_string(0, col, header, formats["header"])
        sheet.write_comment(0, col, i18n.t(lang, f"template.note.{column}"),
                            {"author": "Kokemusmittari", "x_scale": 2.2, "y_scale": 1.6})
        width = max(len(header) + 4, 12)
        if column in CODE_COLUMNS:
            width = max(width, min(40, max(len(x) for x in code_labels(lang, CODE_COLUMNS[column])) + 2))
            list_col = LIST_ORDER.index(CODE_COLUMNS[column])
            length = len(code_labels(lang, CODE_COLUMNS[column]))
            letter = xlsxwriter.utility.xl_col_to_name(list_col)
            sheet.data_validation(1, col, last_row, col, {
                "validate": "list",
                "source": f"='{lists_name}'!${letter}$1:${letter}${length}",
                # a warning, not a stop: the contract also accepts the code itself or the
                # label in another language, and typing one of those must stay possible
                "error_type": "warning",
                "error_title": i18n.t(lang, "template.list_error_title"),
                "error_message": i18n.t(lang, "template.list_error"),
            })
        elif column in TEXT_COLUMNS:
            width = max(width, 22)
        sheet.set_column(col, col, width, formats["date"] if column in DATE_COLUMNS else None)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, 0, len(columns) - 1)

    for row, record in enumerate(records, start=1):
        for col, column in enumerate(columns):
            _write_cell(sheet, row, col, cell_value(lang, column, record.get(column)), formats)


def _write_cell(sheet, row: int, col: int, value, formats: dict) -> None:
    if value is None:
        return
    if isinstance(value, date):
        sheet.write_datetime(row, col, datetime.combine(value, datetime.min.time()),
                             formats["date"])
    elif isinstance(value, (int, float)):
        sheet.write_number(row, col, value)
    else:
        sheet.write_string(row, col, value)


def _write_lists(book, lang: str, lists_name: str) -> None:
    # No header row: a row of contract headers here could make the sheet look like data.
    sheet = book.add_worksheet(lists_name)
    for col, code_list in enumerate(LIST_ORDER):
        labels = code_labels(lang, code_list)
        sheet.write_column(0, col, labels)
        sheet.set_column(col, col, max(len(x) for x in labels) + 2)
    sheet.hide()

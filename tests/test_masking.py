"""A refusal never repeats what it refuses: a file whose personal data also trips other checks
(a number column, an unknown column, a tab's name, the file name) is answered, in every
language and every output — messages, `validate` text and JSON, the problem table and its
xlsx download — with the personal data masked."""

import io
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from data_sources.intake import check_upload
from data_sources.organisations import Registry
from data_sources.problems import Problem, redact

ROOT = Path(__file__).resolve().parents[1]
REGISTRY = Registry(names={"aurinko": "Aurinko ry"}, aliases={})
HETU = "150387-123H"        # valid check character: the guard refuses it
PHONE = "040 765 4321"
EMAIL = "maija.meikalainen@example.fi"
# what must never come back, however it is spelled
SECRETS = ("123H", "765 4321", "7654321", "maija.meikalainen", "meikalainen@")


def careless_workbook() -> bytes:
    """A workbook where each piece of personal data also breaks another rule."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = f"Toiminta {PHONE}"[:31]
    sheet.append(["Päivämäärä", "Toimintamuoto", "Lukumäärä", "Kunta", EMAIL])
    sheet.append(["1/2025", "Muu", HETU, "Turku", None])                    # bad_number + hetu
    sheet.append(["2/2025", f"soita {PHONE}", 2, "Turku", None])           # unknown_value + phone
    sheet.append(["2/2025", "Muu", 2, f"{EMAIL}", None])                   # unknown municipality + e-mail
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def leaked(text: str) -> list[str]:
    return [secret for secret in SECRETS if secret in text]


@pytest.fixture(scope="module")
def checked():
    return check_upload(f"raportti {HETU}.xlsx", careless_workbook(), registry=REGISTRY,
                        uploader_org="aurinko", today=date(2025, 7, 1))


def test_the_file_is_refused_for_each_kind_of_personal_data(checked):
    assert not checked.ok
    kinds = {p.params["kind"] for p in checked.errors if p.code == "personal_data"}
    assert {"hetu", "phone", "email"} <= kinds
    assert {"bad_number", "unknown_value"} <= {p.code for p in checked.errors}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_no_message_or_field_repeats_the_personal_data(checked, lang):
    for problem in checked.errors + checked.warnings:
        shown = json.dumps(problem.as_dict(lang), ensure_ascii=False) + json.dumps(problem.params, default=str)
        assert leaked(shown) == [], (problem.code, shown)
    assert leaked(json.dumps(checked.summary(lang), ensure_ascii=False)) == []


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_problem_table_and_its_download_hold_only_masked_values(checked, lang):
    from ui.exports import to_xlsx_bytes
    from ui.upload_views import problems_table

    table = problems_table(lang, checked.errors + checked.warnings)
    assert leaked(table.to_csv()) == []
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(table)))
    cells = " ".join(str(c) for row in book.active.iter_rows(values_only=True) for c in row if c is not None)
    assert "150387-****" in cells
    assert leaked(cells) == []


@pytest.mark.parametrize("json_flag", [[], ["--json"]])
@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_validate_on_the_command_line_prints_only_masked_values(tmp_path, lang, json_flag):
    db = tmp_path / "wh.duckdb"
    added = subprocess.run([sys.executable, "cli.py", "orgs", "add", "aurinko", "--name", "Aurinko ry",
                            "--start", "2024-01", "--db", str(db)], cwd=ROOT, capture_output=True, text=True)
    assert added.returncode == 0, added.stderr
    path = tmp_path / f"raportti {HETU}.xlsx"
    path.write_bytes(careless_workbook())
    result = subprocess.run([sys.executable, "cli.py", "validate", str(path), "--org", "aurinko", "--lang", lang,
                             "--db", str(db), *json_flag], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 1, result.stderr
    assert "150387-****" in result.stdout
    assert leaked(result.stdout + result.stderr) == []


@pytest.mark.parametrize("text, shown", [
    (f"Tab {HETU}", "Tab 150387-****"),
    (f"soita {PHONE} tai {EMAIL}", "soita 040 *** **** tai m***@***"),
    ("Lukumäärä", "Lukumäärä"),
    ("1 234,50 €", "1 234,50 €"),
])
def test_redact_masks_only_personal_data(text, shown):
    assert redact(text) == shown


def test_a_problem_masks_every_text_it_carries():
    problem = Problem("future_date", sheet=f"Tab {PHONE}", row=3, column=f"Sarake {EMAIL}", value=HETU,
                      params={"tab": f"Tab {PHONE}", "hint": {"fi": f"katso {HETU}"}})
    assert (problem.sheet, problem.column, problem.value) == ("Tab 040 *** ****", "Sarake m***@***", "150387-****")
    assert problem.params == {"tab": "Tab 040 *** ****", "hint": {"fi": "katso 150387-****"}}


def test_a_refusal_is_logged_with_codes_and_places_and_none_of_the_files_text(tmp_path, checked):
    from warehouse import Warehouse
    from warehouse.ledger import record_refusal

    with Warehouse(str(tmp_path / "wh.duckdb")) as wh:
        record_refusal(wh, checked, uploaded_by="cli", org_code="aurinko", source="cli")
        file_name, details = wh.cursor().execute(
            "select file_name, details from audit_log where action = 'upload_refused'").fetchone()
    logged = json.loads(details)
    assert file_name == "raportti 150387-****.xlsx"
    assert logged["count_problems"] == len(checked.errors)
    assert {"code": "bad_number", "sheet": "toiminta", "row": 2} in logged["places"]
    # a tab's own name is the file's free text: only the contract's sheet keys are logged
    assert {place["sheet"] for place in logged["places"]} <= {"toiminta", None}
    assert leaked(details) == [] and "Kunta" not in details and "Toiminta 040" not in details

"""The command line as a script would use it: real subprocesses, a real warehouse file, real files."""

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

TOIMINTA_CSV = (
    "Päivämäärä;Toimintamuoto;Lukumäärä;Tunnit\n"
    "1/2025;Vertaistukitapaaminen;12;18,5\n"
    "2/2025;Vertaistukitapaaminen;15;20\n"
    "2/2025;Ammattilaisten koulutus;2;6\n"
)


def cli(db: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "cli.py", *args, "--db", str(db)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "wh.duckdb"
    added = cli(path, "orgs", "add", "aurinko", "--name", "Aurinko ry", "--alias", "Aurinkoranta",
                "--start", "2025-01")
    assert added.returncode == 0, added.stderr
    return path


@pytest.fixture
def good_csv(tmp_path):
    path = tmp_path / "toiminta.csv"
    path.write_bytes(TOIMINTA_CSV.encode("cp1252"))
    return path


def test_orgs_list_shows_the_registry(db):
    result = cli(db, "orgs", "list", "--json")
    assert result.returncode == 0
    assert json.loads(result.stdout)["organisations"] == [
        {"code": "aurinko", "name": "Aurinko ry", "start": "2025-01", "municipality": None,
         "aliases": ["Aurinkoranta"], "demo": False}]


def test_orgs_add_refuses_a_taken_alias(db):
    result = cli(db, "orgs", "add", "toinen", "--name", "Aurinkoranta")
    assert result.returncode == 2
    assert "already names organisation" in result.stderr


def test_validate_stores_nothing(db, good_csv):
    result = cli(db, "validate", str(good_csv), "--org", "aurinko", "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    document = json.loads(result.stdout)
    assert document["ok"] is True
    assert document["sheets"]["toiminta"] == {"rows": 3, "months": ["2025-01", "2025-02"]}
    uploads = json.loads(cli(db, "uploads", "--json").stdout)["uploads"]
    assert uploads == []


def test_import_then_resend_then_figures(db, good_csv):
    first = cli(db, "import", str(good_csv), "--org", "aurinko", "--json")
    assert first.returncode == 0, first.stdout + first.stderr
    document = json.loads(first.stdout)
    assert (document["added_rows"], document["replaced_rows"]) == (3, 0)
    again = json.loads(cli(db, "import", str(good_csv), "--org", "aurinko", "--json").stdout)
    assert (again["added_rows"], again["replaced_rows"], again["unchanged"]) == (0, 0, True)
    assert again["upload_id"] == document["upload_id"]
    figures = json.loads(cli(db, "figures", "--from", "2025-01", "--to", "2025-02", "--json").stdout)
    assert figures["activities"]["by_type"]["vertaistukitapaaminen"] == 27
    assert figures["activities"]["total"] == 29


def test_refused_import_exits_1_and_lists_the_row(db, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("Päivämäärä;Toimintamuoto;Lukumäärä\n31.13.2025;Vertaistukitapaaminen;3\n", encoding="utf-8")
    result = cli(db, "import", str(bad), "--org", "aurinko", "--json")
    assert result.returncode == 1
    errors = json.loads(result.stdout)["errors"]
    assert [(e["code"], e["row"], e["column"]) for e in errors] == [("bad_date", 2, "Päivämäärä")]
    assert errors[0]["message"]  # a Finnish sentence for the user
    assert json.loads(cli(db, "uploads", "--json").stdout)["uploads"] == []


@pytest.mark.parametrize("args", [
    ("import", "no-such-file.csv", "--org", "aurinko"),
    ("figures", "--period", "2025H3"),
    ("rollback", "999"),
    ("nonsense",),
])
def test_usage_errors_exit_2(db, args):
    assert cli(db, *args).returncode == 2


def test_json_output_is_one_document_even_with_warnings(db, tmp_path):
    noisy = tmp_path / "noisy.csv"
    noisy.write_text("Päivämäärä;Toimintamuoto;Lukumäärä;Huomio\n1/2025;Muu;1;vapaa teksti\n", encoding="utf-8")
    result = cli(db, "validate", str(noisy), "--org", "aurinko", "--json")
    document = json.loads(result.stdout)  # raises if anything else was printed to stdout
    assert [w["code"] for w in document["warnings"]] == ["unknown_column"]


def test_template_command_writes_the_workbook(db, tmp_path):
    out = tmp_path / "pohja.xlsx"
    assert cli(db, "template", "--out", str(out), "--lang", "sv").returncode == 0
    assert out.read_bytes()[:2] == b"PK"


@pytest.mark.parametrize("org", ["eioleolemassa", "Kuu ry"])
def test_import_for_an_unregistered_organisation_is_a_usage_error(db, good_csv, org):
    result = cli(db, "import", str(good_csv), "--org", org, "--json")
    assert result.returncode == 2
    assert "registry" in result.stderr
    assert json.loads(cli(db, "uploads", "--json").stdout)["uploads"] == []


@pytest.mark.parametrize("org", ["AURINKO", "Aurinko ry", "Aurinkoranta"])
def test_import_names_the_organisation_by_code_name_or_alias(db, good_csv, org):
    result = cli(db, "import", str(good_csv), "--org", org, "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    assert [u["org_code"] for u in json.loads(cli(db, "uploads", "--json").stdout)["uploads"]] == ["aurinko"]


def test_people_and_domain_rules_from_the_command_line(db):
    assert cli(db, "people", "add", "Johto@Verkosto.fi", "--role", "leadership", "--by", "asentaja").returncode == 0
    assert cli(db, "people", "add", "@aurinko.fi", "--role", "member", "--org", "aurinko").returncode == 0
    refused = cli(db, "people", "add", "@gmail.com", "--role", "board", "--json")
    assert refused.returncode == 1 and json.loads(refused.stdout) == {"ok": False, "code": "public_domain"}
    last = cli(db, "people", "remove", "johto@verkosto.fi")
    assert last.returncode == 1 and "[last_leader]" in last.stderr
    listed = json.loads(cli(db, "people", "list", "--json").stdout)
    assert [(p["email"], p["role"], p["added_by"]) for p in listed["people"]] == [
        ("johto@verkosto.fi", "leadership", "asentaja")]
    assert [(r["domain"], r["role"], r["org_code"]) for r in listed["domain_rules"]] == [
        ("aurinko.fi", "member", "aurinko")]


def test_a_locked_month_refuses_import_and_rollback_until_unlocked_with_a_reason(db, good_csv):
    stored = json.loads(cli(db, "import", str(good_csv), "--org", "aurinko", "--json").stdout)
    assert cli(db, "lock", "--month", "2025-02", "--org", "aurinko").returncode == 0
    again = cli(db, "import", str(good_csv), "--org", "aurinko", "--json")
    assert again.returncode == 1
    assert {p["code"] for p in json.loads(again.stdout)["errors"]} == {"locked_period"}
    rollback = cli(db, "rollback", str(stored["upload_id"]), "--json")
    assert rollback.returncode == 1 and json.loads(rollback.stdout)["code"] == "locked_period"
    assert cli(db, "unlock", "--month", "2025-02", "--org", "aurinko", "--reason", " ").returncode == 1
    unlocked = cli(db, "unlock", "--month", "2025-02", "--org", "aurinko", "--reason", "helmikuun korjaus", "--json")
    assert unlocked.returncode == 0 and json.loads(unlocked.stdout)["unlocked"] == 1
    assert cli(db, "rollback", str(stored["upload_id"])).returncode == 0


def test_an_import_locked_anew_before_each_store_exits_1_with_one_document(db, good_csv, monkeypatch, capsys):
    """In process, so that a lock can come between each check and its store (as leadership's
    clicks in the app would): refused with exit code 1 and --json's one document, nothing stored."""
    import cli as command_line
    import warehouse.imports as imports
    from warehouse import Warehouse
    from warehouse.access import list_locks, lock_months, unlock_months

    real_check = imports.check_file

    def unlock_check_lock(warehouse, *args, **kwargs):
        if len(list_locks(warehouse)):
            unlock_months(warehouse, [date(2025, 2, 1)], "aurinko", actor="johto", reason="korjaus")
        checked = real_check(warehouse, *args, **kwargs)
        lock_months(warehouse, [date(2025, 2, 1)], "aurinko", actor="johto")
        return checked

    monkeypatch.setattr(imports, "check_file", unlock_check_lock)
    code = command_line.main(["import", str(good_csv), "--org", "aurinko", "--db", str(db), "--json"])
    document = json.loads(capsys.readouterr().out)
    assert code == 1 and document["ok"] is False and document["code"] == "locked_period", document
    with Warehouse(str(db)) as wh:
        assert wh.cursor().execute("select count(*) from uploads").fetchone() == (0,)

"""The archive keeps only recognised values: canonical copies, the migration of an archive of
raw files, and a byte-level search of the warehouse file for what a member's file carried."""

import hashlib
from datetime import date
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest
from openpyxl.comments import Comment

from data_sources.problems import CheckedUpload
from data_sources.vocabulary import SHEET_COLUMNS
from warehouse import MIGRATIONS, Warehouse
from warehouse.archive import ArchiveError, canonical_content, checked_from_canonical
from warehouse.imports import import_file
from warehouse.organisations import RegistryError, add_organisation
from warehouse.rebuild import rebuild_from_archive

# what a careless member's workbook carries besides its figures; none of it may be stored
NOTE_TEXT = "Asiakas Maija Meikäläinen soitti, sovittu jatko"
AUTHOR = "Kalle Kirjaaja"
UNKNOWN_PLACE = "Pertti Perusjuntti"
HEADER_TEXT = "Salainen tuloste SECRET-PRINT-HEADER"


def careless_workbook(path: Path) -> Path:
    """An xlsx whose figures are fine, with a notes column, a comment, a print header,
    an author and an unknown municipality that is really a name."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Toiminta"
    sheet.append(["Päivämäärä", "Toimintamuoto", "Lukumäärä", "Kunta", "Lisätietoja"])
    sheet.append(["1/2025", "Ammattilaisten koulutus", 3, "Turku", NOTE_TEXT])
    sheet.append(["2/2025", "Muu", 2, UNKNOWN_PLACE, None])
    sheet["C2"].comment = Comment("SECRET-COMMENT-TEXT", "SECRET-COMMENT-AUTHOR")
    sheet.oddHeader.center.text = HEADER_TEXT
    book.properties.creator = AUTHOR
    book.properties.title = "SECRET-TITLE-PROPERTY"
    book.save(path)
    return path


@pytest.fixture
def wh(tmp_path):
    path = tmp_path / "wh.duckdb"
    warehouse = Warehouse(str(path))
    add_organisation(warehouse, "aurinko", "Aurinko ry", start_month=date(2024, 1, 1))
    yield warehouse
    warehouse.close()


def activity_frame(rows):
    return pd.DataFrame(
        [{"source_row": i + 2, "org_code": org, "activity_month": pd.Timestamp(month),
          "activity_type": kind, "count_activities": n, "experts_involved": None,
          "people_reached": None, "hours": 1.5, "target_sector": None, "municipality": place,
          "feedback": None}
         for i, (org, month, kind, n, place) in enumerate(rows)],
        columns=list(SHEET_COLUMNS["toiminta"]))


def test_a_canonical_copy_reads_back_as_the_same_rows():
    frame = activity_frame([(None, "2025-01-01", "koulutus", 3, "Turku"), ("aurinko", "2025-02-01", "muu", 2, "?")])
    checked = CheckedUpload(file_name="a.xlsx", content_hash="h", file_type="xlsx", sheets={"toiminta": frame})
    back = checked_from_canonical(canonical_content(checked), file_name="a.xlsx", content_hash="h")
    assert back.file_type == "xlsx"
    assert back.sheets["toiminta"].to_dict("records") == frame.to_dict("records")


def test_a_canonical_copy_is_the_compact_json_the_archive_always_held():
    """orjson writes it now; the copies json.dumps wrote before read as the same document, and
    ordinary rows (letters beyond ASCII, blanks, hours with decimals) give the very same bytes."""
    import json

    frame = activity_frame([(None, "2025-01-01", "koulutus", 3, "Turku"), ("aurinko", "2025-02-01", "muu", 2, "Åbo")])
    frame["hours"] = [1.5, None]
    frame["feedback"] = pd.array([4.25, None], dtype="Float64")
    checked = CheckedUpload(file_name="a.xlsx", content_hash="h", file_type="xlsx", sheets={"toiminta": frame})
    content = canonical_content(checked)
    document = json.loads(content)
    assert json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8") == content
    assert "Åbo".encode() in content and document["sheets"]["toiminta"]["rows"][1][-2:] == ["Åbo", None]


def test_a_count_beyond_64_bits_is_still_written_and_read_back():
    frame = activity_frame([(None, "2025-01-01", "koulutus", 3, "Turku")])
    frame["count_activities"] = pd.Series([2**70], dtype=object)
    checked = CheckedUpload(file_name="a.csv", content_hash="h", file_type="csv", sheets={"toiminta": frame})
    back = checked_from_canonical(canonical_content(checked), file_name="a.csv", content_hash="h")
    assert back.sheets["toiminta"]["count_activities"].tolist() == [2**70]


def test_an_infinite_number_a_warehouse_stored_before_its_refusal_survives_a_rebuild():
    """Intake refuses it now; rows stored before may hold one, and orjson would write it as null
    (a rebuild would then differ from the warehouse): such a copy is written as before."""
    frame = activity_frame([(None, "2025-01-01", "koulutus", 3, "Turku")])
    frame["hours"] = [float("inf")]
    content = canonical_content(CheckedUpload("a.csv", "h", "csv", sheets={"toiminta": frame}))
    assert b"Infinity" in content
    back = checked_from_canonical(content, file_name="a.csv", content_hash="h")
    assert back.sheets["toiminta"]["hours"].tolist() == [float("inf")]


@pytest.mark.parametrize("content, message", [
    (b"PK\x03\x04 a raw xlsx", "not a canonical copy"),
    (b'{"format": "raw"}', "not a canonical copy"),
    (b'{"format": "canonical-v1", "sheets": {"toiminta": {"columns": ["x"], "rows": []}}}', "canonical columns"),
])
def test_what_is_not_a_canonical_copy_is_refused(content, message):
    with pytest.raises(ArchiveError, match=message):
        checked_from_canonical(content, file_name="a.xlsx", content_hash="h")


def test_a_copy_holding_free_text_in_a_municipality_is_refused():
    frame = activity_frame([(None, "2025-01-01", "koulutus", 3, "Matti Meikäläinen")])
    content = canonical_content(CheckedUpload("a.csv", "h", "csv", sheets={"toiminta": frame}))
    with pytest.raises(ArchiveError, match="official list"):
        checked_from_canonical(content, file_name="a.csv", content_hash="h")


def test_an_accepted_upload_keeps_nothing_of_the_file_but_its_recognised_values(wh, tmp_path):
    path = careless_workbook(tmp_path / "kuukausi.xlsx")
    data = path.read_bytes()
    outcome = import_file(wh, path.name, data, org_code="aurinko", uploaded_by="t", source="cli")
    assert outcome.stored is not None, [(p.code, p.column, p.value) for p in outcome.checked.errors]
    cur = wh.cursor()
    size, content_hash, content, fmt = cur.execute(
        "select size_bytes, content_hash, content, content_format from archive_files").fetchone()
    assert (size, content_hash, fmt) == (len(data), hashlib.sha256(data).hexdigest(), "canonical-v1")
    assert bytes(content) == canonical_content(outcome.checked)
    assert cur.execute("select municipality from activity_rows order by source_row").fetchall() == [("Turku",), ("?",)]
    wh.close()
    stored = (tmp_path / "wh.duckdb").read_bytes() + _wal(tmp_path / "wh.duckdb")
    for secret in (NOTE_TEXT, "Meikäläinen", AUTHOR, UNKNOWN_PLACE, "SECRET-COMMENT", HEADER_TEXT, "SECRET-TITLE"):
        assert secret.encode("utf-8") not in stored, secret
        assert secret.encode("utf-16-le") not in stored, secret


def _wal(db: Path) -> bytes:
    wal = db.with_name(db.name + ".wal")
    return wal.read_bytes() if wal.exists() else b""


def test_rebuild_replays_the_canonical_copies_into_identical_figures(wh, tmp_path):
    from queries.figures import compute_figures
    from queries.periods import parse_period
    from queries.scope import Scope

    data = careless_workbook(tmp_path / "a.xlsx").read_bytes()
    assert import_file(wh, "a.xlsx", data, org_code="aurinko", uploaded_by="t", source="cli").stored
    with Warehouse(str(tmp_path / "rebuilt.duckdb")) as target:
        assert rebuild_from_archive(wh, target) == {"uploads": 1, "rollbacks": 0}
        period, scope = parse_period("2025Q1"), Scope()
        assert compute_figures(target, period, scope) == compute_figures(wh, period, scope)


def _old_warehouse(path: Path, raw: bytes) -> None:
    """A warehouse as the code before migration 004 left it: the raw file archived, a name
    stored as a municipality."""
    con = duckdb.connect(str(path))
    con.execute("create table schema_migrations (version integer primary key,"
                " applied_at timestamp not null default current_timestamp)")
    for migration in sorted(MIGRATIONS.glob("00[123]_*.sql")):
        con.execute(migration.read_text(encoding="utf-8"))
        con.execute("insert into schema_migrations (version) values (?)", [int(migration.name[:3])])
    con.execute("insert into organisations (org_code, org_name, start_month, municipality)"
                " values ('aurinko', 'Aurinko ry', '2024-01-01', 'Turku')")
    con.execute("insert into uploads values (1, '2025-03-02 10:00', 'cli', 'aurinko', 'a.xlsx', 'hash1',"
                " 'xlsx', 'cli', 2, 0, [], null, null)")
    con.execute("insert into upload_sheet_months values (1, 'aurinko', 'toiminta', '2025-01-01', 1),"
                " (1, 'aurinko', 'toiminta', '2025-02-01', 1)")
    con.execute("insert into current_sheet_months values ('aurinko', 'toiminta', '2025-01-01', 1),"
                " ('aurinko', 'toiminta', '2025-02-01', 1)")
    con.execute("insert into activity_rows (upload_id, source_row, org_code, activity_month, activity_type,"
                " count_activities, municipality) values (1, 2, 'aurinko', '2025-01-01', 'koulutus', 3, 'Turku'),"
                " (1, 3, 'aurinko', '2025-02-01', 'muu', 2, ?)", [UNKNOWN_PLACE])
    con.execute("insert into archive_files values ('hash1', 'a.xlsx', ?, ?, '2025-03-02 10:00')", [len(raw), raw])
    con.close()


def test_the_migration_replaces_raw_files_with_canonical_copies_and_forgets_free_text(tmp_path):
    from queries.figures import compute_figures
    from queries.periods import parse_period
    from queries.scope import Scope

    raw = careless_workbook(tmp_path / "a.xlsx").read_bytes() + NOTE_TEXT.encode("utf-8")
    path = tmp_path / "old.duckdb"
    _old_warehouse(path, raw)
    with Warehouse(str(path)) as wh:
        cur = wh.cursor()
        size, fmt, content = cur.execute("select size_bytes, content_format, content from archive_files").fetchone()
        assert (size, fmt) == (len(raw), "canonical-v1")
        canonical = checked_from_canonical(content, file_name="a.xlsx", content_hash="hash1")
        # the organisation filled in from the upload is left for the replay to fill again
        assert canonical.sheets["toiminta"][["org_code", "activity_type", "count_activities", "municipality"]] \
            .to_dict("records") == [{"org_code": None, "activity_type": "koulutus", "count_activities": 3,
                                     "municipality": "Turku"},
                                    {"org_code": None, "activity_type": "muu", "count_activities": 2,
                                     "municipality": "?"}]
        municipalities = cur.execute("select distinct municipality from activity_rows order by 1").fetchall()
        assert municipalities == [("?",), ("Turku",)]
        with Warehouse(str(tmp_path / "rebuilt.duckdb")) as target:
            rebuild_from_archive(wh, target)
            period, scope = parse_period("2025Q1"), Scope()
            assert compute_figures(target, period, scope) == compute_figures(wh, period, scope)
    stored = path.read_bytes() + _wal(path)
    for secret in (NOTE_TEXT, UNKNOWN_PLACE, "SECRET-COMMENT", HEADER_TEXT, "SECRET-TITLE"):
        assert secret.encode("utf-8") not in stored, secret


@pytest.mark.parametrize("written, stored", [("Åbo", "Turku"), ("turku", "Turku"), (None, None), ("", None)])
def test_an_organisation_s_municipality_is_stored_by_its_official_name(wh, written, stored):
    org = add_organisation(wh, "kuu", "Kuu ry", start_month=date(2025, 1, 1), municipality=written)
    assert org.municipality == stored


def test_an_organisation_s_municipality_off_the_list_is_refused(wh):
    with pytest.raises(RegistryError, match="not in the list"):
        add_organisation(wh, "kuu", "Kuu ry", start_month=date(2025, 1, 1), municipality="Matti Meikäläinen")

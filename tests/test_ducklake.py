"""The DuckLake warehouse (a catalog on PostgreSQL, data files in a folder) with many processes at
once: what the embedded file's keys guarded is kept by the code, writers that conflict are run
again without anyone seeing it, and the app serves pages while two imports run."""

import os
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from warehouse import LAKE_CATALOG, Warehouse, WarehouseConfigError, lake_sql, open_warehouse
from warehouse.organisations import RegistryError, add_organisation

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
pytestmark = pytest.mark.slow


@pytest.fixture
def lake(postgres, tmp_path, monkeypatch):
    """A new DuckLake warehouse's location, its data folder and extensions in the environment."""
    from postgres_support import extension_dir

    monkeypatch.setenv("KOKEMUSMITTARI_DATA_PATH", str(tmp_path / "lake_files"))
    monkeypatch.setenv("KOKEMUSMITTARI_EXTENSION_DIR", extension_dir())
    return postgres.location(postgres.new_database(migrated=False))


def test_the_migrations_make_the_same_tables_views_and_macros_on_both(lake):
    def schema(wh: Warehouse, catalog: str) -> dict:
        cur = wh.cursor()
        return {
            "tables": {(t, c, d) for t, c, d in cur.execute(
                "select table_name, column_name, data_type from duckdb_columns()"
                " where database_name = ? and table_name <> 'write_turn'", [catalog]).fetchall()},
            "views": {r[0] for r in cur.execute(
                "select view_name from duckdb_views() where database_name = ? and not internal", [catalog]).fetchall()},
            "macros": {r[0] for r in cur.execute(
                "select function_name from duckdb_functions() where database_name = ? and function_type like '%macro'",
                [catalog]).fetchall()},
        }

    with Warehouse(":memory:") as embedded, open_warehouse(lake) as on_lake:
        assert schema(on_lake, LAKE_CATALOG) == schema(embedded, "memory")
        assert schema(on_lake, LAKE_CATALOG)["macros"] >= {"activities_in_scope", "perturbed_count"}


def test_lake_sql_leaves_no_constraint_duckLake_refuses():
    sql = lake_sql((ROOT / "warehouse" / "migrations" / "001_initial.sql").read_text()
                   + (ROOT / "warehouse" / "migrations" / "006_access.sql").read_text())
    for refused in ("primary key", "unique", "check", "sequence", "nextval"):
        assert refused not in sql.lower().replace("-- ", "#"), refused
    # and nothing else is lost: every table and column is still there
    assert sql.count("create table") == 15 and "role varchar not null" in sql


def test_uniqueness_is_kept_by_the_code(lake):
    import pandas as pd

    from data_sources.problems import CheckedUpload
    from data_sources.vocabulary import SHEET_COLUMNS
    from warehouse.access import set_domain_rule, set_person
    from warehouse.ledger import store_upload

    with open_warehouse(lake) as wh:
        add_organisation(wh, "aurinko", "Aurinko ry", start_month=date(2025, 1, 1))
        with pytest.raises(RegistryError):
            add_organisation(wh, "aurinko", "Toinen ry", start_month=date(2025, 1, 1))
        with pytest.raises(RegistryError):
            add_organisation(wh, "toinen", "Aurinko ry", start_month=date(2025, 1, 1))
        set_person(wh, "a@x.fi", "board", actor="t")
        set_person(wh, "a@x.fi", "member", "aurinko", actor="t")
        set_domain_rule(wh, "x.fi", "board", actor="t")
        set_domain_rule(wh, "x.fi", "member", "aurinko", actor="t")
        def upload(n: int, content: str) -> CheckedUpload:
            frame = pd.DataFrame([{"source_row": 2, "org_code": None, "activity_month": pd.Timestamp("2025-01-01"),
                                   "activity_type": "muu", "count_activities": n}],
                                 columns=list(SHEET_COLUMNS["toiminta"]))
            return CheckedUpload(file_name=f"{content}.csv", file_type="csv", content_hash=content,
                                 sheets={"toiminta": frame})

        for n, content in ((3, "h1"), (4, "h2"), (3, "h1")):   # the third: the first file sent again
            store_upload(wh, upload(n, content), 10, uploaded_by="t", org_code="aurinko", source="cli")
        cur = wh.cursor()
        one_each = {
            "organisations": "select org_code from organisations",
            "people": "select email from people",
            "domain_rules": "select domain from domain_rules",
            "uploads": "select upload_id from uploads",
            "archive_files": "select content_hash from archive_files",
            "current_sheet_months": "select org_code, sheet, period_month from current_sheet_months",
            "audit_log": "select event_id from audit_log",
        }
        for table, key in one_each.items():
            columns = key.split(" from ")[0].removeprefix("select ")
            total, distinct = cur.execute(f"select count(*), count(distinct ({columns})) from {table}"  # noqa: S608
                                          ).fetchone()
            assert total == distinct and total > 0, table
        assert cur.execute("select role, org_code from people").fetchall() == [("member", "aurinko")]
        assert cur.execute("select count(*) from archive_files").fetchone()[0] == 2
        assert cur.execute("select sum(count_activities) from activities").fetchone()[0] == 3


def test_a_data_path_that_is_not_the_catalogs_is_said(lake, tmp_path):
    with open_warehouse(lake):
        pass
    with pytest.raises(WarehouseConfigError, match="KOKEMUSMITTARI_DATA_PATH"):
        Warehouse(lake, data_path=str(tmp_path / "elsewhere"))
    with pytest.raises(WarehouseConfigError, match="KOKEMUSMITTARI_DATA_PATH"):
        Warehouse(lake, data_path="")


def test_a_write_that_conflicts_with_another_process_is_run_again(lake):
    """Two connections (as two processes) write at once: the second's commit conflicts inside
    write(), which runs its function again on what the first committed."""
    with open_warehouse(lake) as first, open_warehouse(lake) as second:
        add_organisation(first, "aurinko", "Aurinko ry", start_month=date(2025, 1, 1))
        runs, release = [], threading.Event()

        def slow_lock(cur):
            runs.append(cur.execute("select count(*) from locked_months").fetchone()[0])
            cur.execute("insert into locked_months values (date '2025-01-01', now(), 'second')")
            release.wait(10)   # the first writer commits meanwhile
            return len(runs)

        worker = threading.Thread(target=lambda: runs.append(("result", second.write(slow_lock))))
        worker.start()
        while not runs:
            time.sleep(0.01)
        first.write(lambda cur: cur.execute("insert into locked_months values (date '2025-02-01', now(), 'first')"))
        release.set()
        worker.join(30)
        assert runs[0] == 0 and runs[1] == 1          # the second ran again and saw the first's month
        cur = first.cursor()
        assert cur.execute("select locked_by from locked_months order by 1").fetchall() == [("first",), ("second",)]


def test_a_plain_transaction_conflict_is_not_hidden_outside_write(lake):
    with open_warehouse(lake) as first, open_warehouse(lake) as second:
        a, b = first.cursor(), second.cursor()
        a.begin()
        b.begin()
        a.execute("update write_turn set turn = turn + 1")
        b.execute("update write_turn set turn = turn + 1")
        a.commit()
        with pytest.raises(duckdb.TransactionException, match="(?i)conflict"):
            b.commit()


def write_csv(path: Path, org: str, months: range, base: int) -> Path:
    kind = "Vertaistukitapaaminen" if org == "aurinko" else "Ammattilaisten koulutus"
    lines = ["Päivämäärä;Toimintamuoto;Lukumäärä"] + [f"{m}/2025;{kind};{base + m}" for m in months]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_two_processes_import_at_once_while_the_app_serves_pages(lake, tmp_path, monkeypatch):
    """Two real `cli.py import` processes, each sending four files for its own organisation
    (each file replacing months the one before stored: deletes on the same tables, which
    conflict), while the app renders the Overview again and again: every upload lands once,
    none is lost, the figures are right, nobody sees a conflict."""
    with open_warehouse(lake) as wh:
        add_organisation(wh, "aurinko", "Aurinko ry", start_month=date(2025, 1, 1))
        add_organisation(wh, "kuu", "Kuu ry", start_month=date(2025, 1, 1))
    files = {org: [write_csv(tmp_path / f"{org}{i}.csv", org, range(1 + i, 7 + i), base)
                   for i in range(4)] for org, base in (("aurinko", 10), ("kuu", 100))}
    script = ("import subprocess, sys\n"
              "for f in sys.argv[2:]:\n"
              "    p = subprocess.run([sys.executable, 'cli.py', 'import', f, '--org', sys.argv[1], '--json'],"
              " capture_output=True, text=True)\n"
              "    print(p.returncode, p.stdout.replace(chr(10), ' '), p.stderr.replace(chr(10), ' '), flush=True)\n")
    env = {**os.environ, "KOKEMUSMITTARI_DB": lake}
    importers = [subprocess.Popen([sys.executable, "-c", script, org, *map(str, paths)], cwd=ROOT, env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for org, paths in files.items()]

    monkeypatch.setenv("KOKEMUSMITTARI_DB", lake)
    monkeypatch.setenv("KOKEMUSMITTARI_VIEW_ROLE", "leadership")
    shown = 0
    while any(p.poll() is None for p in importers) or shown < 2:
        at = AppTest.from_file(APP, default_timeout=120)
        at.switch_page("pages/overview.py")
        at.run()
        assert not at.exception, at.exception
        page_text = " ".join(str(e.value) for e in [*at.markdown, *at.warning, *at.error, *at.info])
        assert "conflict" not in page_text.lower()
        shown += 1
    outputs = [p.communicate(timeout=300) for p in importers]
    for process, (out, err) in zip(importers, outputs, strict=True):
        assert process.returncode == 0, err
        lines = out.strip().splitlines()
        assert len(lines) == 4 and all(line.startswith("0 ") for line in lines), out
        assert "conflict" not in out.lower() + err.lower()

    with open_warehouse(lake) as wh:
        cur = wh.cursor()
        assert cur.execute("select count(*), count(distinct upload_id), count(distinct content_hash)"
                           " from uploads").fetchone() == (8, 8, 8)
        expected = {}
        for org, base in (("aurinko", 10), ("kuu", 100)):
            for m in range(1, 10):    # the last file to name a month is in force for it
                expected[(org, m)] = base + m
        got = {(org, m.month): n for org, m, n in cur.execute(
            "select org_code, activity_month, sum(count_activities)::int from activities group by all").fetchall()}
        assert got == expected
        assert cur.execute("select count(*) from current_sheet_months").fetchone()[0] == 18
    assert shown >= 2


def test_the_data_files_can_live_in_object_storage(postgres, tmp_path, monkeypatch):
    """A data path of s3://… on a real local S3 server (moto's; Amazon cannot be reached from
    here): an import's rows land as files in the bucket, and a new process reads the figures."""
    import boto3
    from moto.server import ThreadedMotoServer
    from postgres_support import extension_dir

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        s3 = boto3.client("s3", endpoint_url=f"http://{host}:{port}", aws_access_key_id="avain",
                          aws_secret_access_key="salaisuus", region_name="eu-north-1")
        s3.create_bucket(Bucket="verkosto", CreateBucketConfiguration={"LocationConstraint": "eu-north-1"})
        for name, value in {"DATA_PATH": "s3://verkosto/lake/", "EXTENSION_DIR": extension_dir(),
                            "STORAGE_KEY_ID": "avain", "STORAGE_SECRET": "salaisuus",
                            "STORAGE_REGION": "eu-north-1", "STORAGE_ENDPOINT": f"{host}:{port}",
                            "STORAGE_URL_STYLE": "path", "STORAGE_USE_SSL": "false"}.items():
            monkeypatch.setenv(f"KOKEMUSMITTARI_{name}", value)
        lake = postgres.location(postgres.new_database(migrated=False))
        with open_warehouse(lake) as wh:
            add_organisation(wh, "aurinko", "Aurinko ry", start_month=date(2025, 1, 1))
        rows = "\n".join(f"{m}/2025;Muu;{m}" for m in range(1, 13) for _ in range(30))  # past DuckLake's inlining
        csv = tmp_path / "a.csv"
        csv.write_text("Päivämäärä;Toimintamuoto;Lukumäärä\n" + rows + "\n", encoding="utf-8")
        done = subprocess.run([sys.executable, "cli.py", "import", str(csv), "--org", "aurinko", "--db", lake],
                              cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        keys = [o["Key"] for o in s3.list_objects_v2(Bucket="verkosto").get("Contents", [])]
        assert any(key.startswith("lake/") and key.endswith(".parquet") for key in keys), keys
        with open_warehouse(lake) as wh:
            assert wh.cursor().execute("select sum(count_activities) from activities").fetchone()[0] == 30 * 78
        # (moto accepts any key, so a wrong key's refusal is not tested here)
    finally:
        server.stop()


def test_a_password_in_the_location_is_never_shown(tmp_path, monkeypatch):
    """DuckDB quotes the whole connection string when it cannot attach; the message the user
    (and the --json document, and a log) gets has the password masked."""
    from warehouse import shown_location

    monkeypatch.setenv("KOKEMUSMITTARI_DATA_PATH", str(tmp_path / "files"))
    location = "ducklake:postgres:dbname=nope host=127.0.0.1 port=1 user=x password=Salasana123"
    done = subprocess.run([sys.executable, "cli.py", "orgs", "list", "--json", "--db", location],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "Connection refused" in done.stdout
    assert "Salasana123" not in done.stdout + done.stderr
    assert shown_location("postgresql://km:Salasana123@db.example.fi/km") == "postgresql://km:***@db.example.fi/km"

"""No upload is lost, half-applied or counted twice: a killed import, two imports at once, a rebuild."""

import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from warehouse import Warehouse, open_warehouse
from warehouse.ledger import PAUSE_ENV, rollback_upload
from warehouse.rebuild import rebuild_from_archive

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def write_csv(path: Path, rows: list[tuple[str, str, int]]) -> Path:
    lines = ["Päivämäärä;Toimintamuoto;Lukumäärä"] + [f"{m};{kind};{n}" for m, kind, n in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run_cli(*args: str, env: dict | None = None, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "cli.py", *args], cwd=ROOT, env={**os.environ, **(env or {})},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)


def snapshot(db: Path) -> dict:
    """Everything an import writes, as counts and sums, read in a fresh process-local connection."""
    with open_warehouse(str(db)) as wh:
        cur = wh.cursor()
        return {
            "uploads": cur.execute("select count(*) from uploads").fetchone()[0],
            "archive": cur.execute("select count(*) from archive_files").fetchone()[0],
            "rows": cur.execute("select count(*) from activity_rows").fetchone()[0],
            "pointers": cur.execute("select count(*) from current_sheet_months").fetchone()[0],
            "by_month": dict(cur.execute(
                "select strftime(activity_month, '%Y-%m'), sum(count_activities)::int from activities"
                " group by 1 order by 1").fetchall()),
        }


@pytest.fixture(params=["embedded", "ducklake"])
def db(request, tmp_path, monkeypatch):
    """The warehouse's location, of each kind: an embedded file, or a DuckLake catalog on the
    test PostgreSQL (its data folder and extensions in the environment, which every `cli.py`
    process the test starts inherits)."""
    from warehouse.organisations import add_organisation

    if request.param == "embedded":
        location = tmp_path / "wh.duckdb"
    else:
        from postgres_support import extension_dir

        server = request.getfixturevalue("postgres")
        monkeypatch.setenv("KOKEMUSMITTARI_DATA_PATH", str(tmp_path / "lake_files"))
        monkeypatch.setenv("KOKEMUSMITTARI_EXTENSION_DIR", extension_dir())
        location = server.location(server.new_database(migrated=False))
    with open_warehouse(str(location)) as wh:
        add_organisation(wh, "aurinko", "Aurinko ry", start_month=date(2025, 1, 1))
        add_organisation(wh, "kuu", "Kuu ry", start_month=date(2025, 1, 1))
    return location


@pytest.fixture
def new_location(request, db, tmp_path):
    """Where a restore or rebuild goes: a new file, or a new DuckLake catalog on the same server
    (an empty database, migrated by whoever opens it first)."""
    def make(name: str):
        if isinstance(db, Path):
            return tmp_path / f"{name}.duckdb"
        server = request.getfixturevalue("postgres")
        return server.location(server.new_database(migrated=False))

    return make


def test_a_killed_import_leaves_the_warehouse_as_it_was(db, tmp_path):
    first = run_cli("import", str(write_csv(tmp_path / "v1.csv", [("1/2025", "Muu", 3), ("2/2025", "Muu", 4)])),
                    "--org", "aurinko", "--db", str(db))
    assert first.wait(timeout=120) == 0, first.stderr.read()
    before = snapshot(db)

    marker = tmp_path / "paused"
    second = run_cli("import", str(write_csv(tmp_path / "v2.csv", [("2/2025", "Muu", 40), ("3/2025", "Muu", 5)])),
                     "--org", "aurinko", "--db", str(db), env={PAUSE_ENV: str(marker)})
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert second.poll() is None, second.stderr.read()
        assert time.monotonic() < deadline, "the import never reached its commit"
        time.sleep(0.05)
    second.send_signal(signal.SIGKILL)  # rows are inserted, the transaction is not committed
    second.wait(timeout=30)

    after = snapshot(db)
    assert after == before
    assert before["by_month"] == {"2025-01": 3, "2025-02": 4}

    # and the warehouse still takes the same upload afterwards, exactly once
    retry = run_cli("import", str(tmp_path / "v2.csv"), "--org", "aurinko", "--db", str(db))
    assert retry.wait(timeout=120) == 0, retry.stderr.read()
    assert snapshot(db)["by_month"] == {"2025-01": 3, "2025-02": 40, "2025-03": 5}


def test_two_imports_at_once_both_land(db, tmp_path):
    a = write_csv(tmp_path / "a.csv", [(f"{m}/2025", "Vertaistukitapaaminen", 10 + m) for m in range(1, 7)])
    b = write_csv(tmp_path / "b.csv", [(f"{m}/2025", "Ammattilaisten koulutus", m) for m in range(1, 7)])
    first = run_cli("import", str(a), "--org", "aurinko", "--db", str(db))
    second = run_cli("import", str(b), "--org", "kuu", "--db", str(db))
    assert first.wait(timeout=180) == 0, first.stderr.read()
    assert second.wait(timeout=180) == 0, second.stderr.read()
    state = snapshot(db)
    assert state["uploads"] == 2
    assert state["by_month"] == {f"2025-{m:02d}": 10 + m + m for m in range(1, 7)}


def test_rebuild_from_archive_gives_identical_figures(db, tmp_path, new_location):
    from queries.figures import compute_figures
    from queries.periods import parse_period
    from queries.scope import Scope
    from warehouse.imports import import_file

    with open_warehouse(str(db)) as wh:
        for name, org, rows in [
            ("a.csv", "aurinko", [("1/2025", "Muu", 3), ("2/2025", "Muu", 4)]),
            ("b.csv", "aurinko", [("2/2025", "Muu", 9)]),
            ("c.csv", "kuu", [("1/2025", "Ammattilaisten koulutus", 2)]),
            ("d.csv", "kuu", [("1/2025", "Ammattilaisten koulutus", 7)]),
        ]:
            data = write_csv(tmp_path / name, rows).read_bytes()
            outcome = import_file(wh, name, data, org_code=org, uploaded_by="t", source="cli")
            assert outcome.stored is not None, [p.code for p in outcome.checked.errors]
        rollback_upload(wh, outcome.stored.upload_id, actor="t")  # d.csv: kuu back to 2
        period, scope = parse_period("2025Q1"), Scope()
        original = compute_figures(wh, period, scope)
        with open_warehouse(str(new_location("rebuilt"))) as target:
            counts = rebuild_from_archive(wh, target)
            rebuilt = compute_figures(target, period, scope)
    assert counts == {"uploads": 4, "rollbacks": 1}
    assert rebuilt == original
    assert original["activities"]["total"] == 3 + 9 + 2


def test_a_rebuilt_warehouse_rebuilds_the_same_again(db, tmp_path, new_location):
    """Roll an upload back, send the same file again, then rebuild twice: the rollback keeps its
    original time, so the second rebuild does not replay it after the re-send."""
    from warehouse.imports import import_file

    data = write_csv(tmp_path / "a.csv", [("1/2025", "Muu", 10)]).read_bytes()

    def january(wh) -> list:
        return wh.cursor().execute("select sum(count_activities)::int from activities").fetchall()

    with open_warehouse(str(db)) as wh:
        first = import_file(wh, "a.csv", data, org_code="aurinko", uploaded_by="t", source="cli")
        rollback_upload(wh, first.stored.upload_id, actor="t")
        again = import_file(wh, "a.csv", data, org_code="aurinko", uploaded_by="t", source="cli")
        assert not again.stored.unchanged
        assert january(wh) == [(10,)]
        with open_warehouse(str(new_location("once"))) as once:
            rebuild_from_archive(wh, once)
            assert january(once) == [(10,)]
            with open_warehouse(str(new_location("twice"))) as twice:
                assert rebuild_from_archive(once, twice) == {"uploads": 2, "rollbacks": 1}
                assert january(twice) == [(10,)]


def test_an_import_killed_at_twenty_random_points_is_all_or_nothing(db, tmp_path):
    """SIGKILL at twenty random moments of a real import (from the interpreter's start to past
    its commit): the warehouse always opens, no partial upload is visible, and the figures are
    those of the uploads that completed."""
    import random

    months = [f"{m}/2025" for m in range(1, 13)]
    files = {}
    for name, base in (("a", 10), ("b", 20)):
        # three thousand rows, so the kill lands in reading, checking and storing alike
        rows = [(months[i % 12], "Vertaistukitapaaminen", base + i % 7) for i in range(3000)]
        files[name] = (write_csv(tmp_path / f"{name}.csv", rows), rows)

    def expected(rows) -> dict:
        sums: dict = {}
        for month, _, n in rows:
            key = f"2025-{int(month.split('/')[0]):02d}"
            sums[key] = sums.get(key, 0) + n
        return dict(sorted(sums.items()))

    started = time.monotonic()
    first = run_cli("import", str(files["a"][0]), "--org", "aurinko", "--db", str(db))
    assert first.wait(timeout=180) == 0, first.stderr.read()
    full = time.monotonic() - started
    state = snapshot(db)
    assert state["by_month"] == expected(files["a"][1])

    chance = random.Random(20261204)
    outcomes = {"before": 0, "after": 0}
    # twenty kills at least; on a loaded machine an import takes longer than the first one did,
    # and more kills may be needed before some land after a commit: up to forty
    for attempt in range(40):
        if attempt >= 20 and outcomes["before"] and outcomes["after"]:
            break
        name = "b" if attempt % 2 == 0 else "a"
        file, rows = files[name]
        after = {**state["by_month"], **expected(rows)}
        process = run_cli("import", str(file), "--org", "aurinko", "--db", str(db))
        time.sleep(chance.uniform(0, full * (1.1 if attempt < 20 else 2.5)))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        now = snapshot(db)                      # the warehouse opens (and its migrations run)
        if now["by_month"] == state["by_month"] and now["uploads"] == state["uploads"]:
            outcomes["before"] += 1
        else:
            assert now["by_month"] == after, f"attempt {attempt}: a partial upload is visible"
            assert now["uploads"] in (state["uploads"] + 1, state["uploads"])  # an identical file changes nothing
            outcomes["after"] += 1
        assert now["rows"] >= state["rows"] and now["archive"] >= state["archive"]
        state = now
    # the kills landed both before and after commits (else the points were not spread)
    assert outcomes["before"] and outcomes["after"], outcomes


def test_backup_restore_and_rebuild_reproduce_identical_figures(db, tmp_path, new_location):
    import json

    from queries.figures import compute_figures
    from queries.periods import parse_period
    from queries.scope import Scope
    from warehouse.ledger import list_uploads

    for name, org, rows in [("a.csv", "aurinko", [("1/2025", "Muu", 3), ("2/2025", "Muu", 4)]),
                            ("b.csv", "kuu", [("1/2025", "Ammattilaisten koulutus", 8)]),
                            ("c.csv", "aurinko", [("2/2025", "Muu", 9)])]:
        done = run_cli("import", str(write_csv(tmp_path / name, rows)), "--org", org, "--db", str(db))
        assert done.wait(timeout=120) == 0, done.stderr.read()
    with open_warehouse(str(db)) as wh:
        rollback_upload(wh, 3, actor="t")       # c.csv withdrawn: aurinko's February back to 4

    def state(path: Path) -> tuple:
        with open_warehouse(str(path)) as wh:
            ledger = list_uploads(wh).to_json(orient="records", date_format="iso")
            events = wh.cursor().execute("select count(*) from audit_log").fetchone()[0]
            return compute_figures(wh, parse_period("2025Q1"), Scope()), ledger, events

    original = state(db)
    assert original[0]["activities"]["total"] == 3 + 4 + 8

    backup = tmp_path / "backup.duckdb"
    saved = run_cli("backup", "--out", str(backup), "--json", "--db", str(db))
    assert saved.wait(timeout=120) == 0, saved.stderr.read()
    assert json.loads(saved.stdout.read())["uploads"] == 3
    restored = new_location("restored")
    done = run_cli("restore", str(backup), "--db", str(restored))
    assert done.wait(timeout=120) == 0, done.stderr.read()
    assert state(restored) == original
    rebuilt = new_location("rebuilt")
    done = run_cli("rebuild", "--to", str(rebuilt), "--db", str(backup))
    assert done.wait(timeout=120) == 0, done.stderr.read()
    assert state(rebuilt)[0] == original[0]

    # refusals change nothing: an existing backup file, a warehouse with data, a file that is no backup
    for args in (["backup", "--out", str(backup)], ["restore", str(backup)],
                 ["restore", str(ROOT / "README.md"), "--db", str(tmp_path / "new.duckdb")],
                 ["restore", str(tmp_path / "missing.duckdb"), "--db", str(tmp_path / "new.duckdb")]):
        refused = run_cli(*args, *(["--db", str(db)] if "--db" not in args else []))
        assert refused.wait(timeout=120) == 2, args
        assert "Traceback" not in refused.stderr.read()
    assert state(db) == original and not (tmp_path / "new.duckdb").exists()


def test_restore_never_replaces_a_file_that_is_not_an_empty_warehouse(tmp_path):
    """The attacker's review: restore once opened any DuckDB file as a warehouse, found no
    organisation in it, and replaced it — another program's data and all."""
    import duckdb

    backup = tmp_path / "backup.duckdb"
    with Warehouse(str(tmp_path / "source.duckdb")) as wh:
        from warehouse.backup import backup as make_backup

        make_backup(wh, backup)
    other = tmp_path / "other.duckdb"
    con = duckdb.connect(str(other))
    con.execute("create table sales as select range as n from range(1000)")
    con.close()
    done = run_cli("restore", str(backup), "--db", str(other))
    assert done.wait(timeout=120) == 2
    assert "Traceback" not in done.stderr.read()
    con = duckdb.connect(str(other), read_only=True)
    assert con.execute("select count(*) from sales").fetchone()[0] == 1000
    con.close()
    # a fresh, empty warehouse is replaced
    Warehouse(str(tmp_path / "fresh.duckdb")).close()
    done = run_cli("restore", str(backup), "--db", str(tmp_path / "fresh.duckdb"))
    assert done.wait(timeout=120) == 0, done.stderr.read()

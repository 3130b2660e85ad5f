"""A scheduled job beside the running app (issue 12, embedded file): while `streamlit run`
holds the warehouse file, `cli.py import`, `backup` and the rest are handed to the app and run
there (warehouse/jobs.py); a process that cannot get the file in time says so — one JSON
document, exit code 2, never a traceback — and a visitor is asked to wait. Backups restore
into an empty warehouse with identical figures."""

import json
import os
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import duckdb
import pytest
from browser_support import ROOT, chromium_page, expect_tile, trial_org_app, wait_for_app
from streamlit.testing.v1 import AppTest

import i18n
from i18n.formats import fmt_number
from queries.periods import add_months, last_complete_month
from warehouse import Warehouse
from warehouse.jobs import JobServer, JobTimeout, app_alive, job_folder, submit

pytestmark = pytest.mark.slow


def cli(db: Path, *args: str, env: dict | None = None, timeout: float = 180) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "cli.py", *args, "--db", str(db)], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout, check=False, env={**os.environ, **(env or {})})


def recent_csv(path: Path, counts: list[int]) -> Path:
    """Peer-support meetings in the last complete months, oldest first, one count a month."""
    last = last_complete_month(date.today()).to_month
    months = [add_months(last, -i) for i in reversed(range(len(counts)))]
    lines = ["Päivämäärä;Toimintamuoto;Lukumäärä"] + [f"{m.month}/{m.year};Vertaistukitapaaminen;{n}"
                                                      for m, n in zip(months, counts)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# ---- the job folder itself --------------------------------------------------------------------

def test_a_job_runs_once_and_a_withdrawn_one_never(tmp_path):
    location = str(tmp_path / "wh.duckdb")
    job_folder(location).mkdir(mode=0o700)
    ran: list = []
    lock = threading.Lock()

    def run(job):
        with lock:
            ran.append(job["n"])
        return {"code": 0, "stdout": f"ran {job['n']}\n", "stderr": ""}

    # no app yet: the job is withdrawn when the wait ends, and an app started later never runs it
    with pytest.raises(JobTimeout):
        submit(location, {"n": 1}, timeout=0.3)
    assert not app_alive(location)
    servers = [JobServer(location, run).start(), JobServer(location, run).start()]   # two app processes
    try:
        assert app_alive(location)
        results = [submit(location, {"n": n}, timeout=30) for n in (2, 3, 4)]
        assert [r["stdout"] for r in results] == ["ran 2\n", "ran 3\n", "ran 4\n"]
        time.sleep(2.5)            # both servers have looked again: nothing runs twice, 1 never
        assert sorted(ran) == [2, 3, 4]
    finally:
        for server in servers:
            server.stop()
    assert not app_alive(location)
    assert sorted(p.name for p in job_folder(location).iterdir()) == []


def test_an_app_that_stopped_beating_is_not_waited_for(tmp_path):
    location = str(tmp_path / "wh.duckdb")
    job_folder(location).mkdir(mode=0o700)
    beat = job_folder(location) / "app.json"
    beat.write_text(json.dumps({"pid": os.getpid(), "at": time.time()}))
    assert app_alive(location)                         # the control: a live process, beating now
    for forged in ({"pid": os.getpid(), "at": time.time() - 60},     # stopped beating
                   {"pid": 2 ** 22 + 7, "at": time.time()},          # no such process
                   {"pid": 0, "at": time.time()},                    # kill(0, 0) would pass for any process group
                   {"pid": os.getpid(), "at": time.time() + 3600}):  # "alive" forever
        beat.write_text(json.dumps(forged))
        assert not app_alive(location), forged


def test_a_job_folder_others_could_write_in_is_neither_served_nor_used(tmp_path):
    """The attacker's review: a folder made in advance by someone else (open to all, or a link
    to one) would let its maker run commands as the app, or answer in its name."""
    ran: list = []
    for case in ("open", "link"):
        location = str(tmp_path / case / "wh.duckdb")
        (tmp_path / case).mkdir()
        if case == "open":
            job_folder(location).mkdir()
            job_folder(location).chmod(0o777)
        else:
            (tmp_path / case / "elsewhere").mkdir(mode=0o700)
            job_folder(location).symlink_to(tmp_path / case / "elsewhere")
        (job_folder(location) / "app.json").write_text(json.dumps({"pid": os.getpid(), "at": time.time()}))
        (job_folder(location) / "planted.job").write_text(json.dumps({"argv": ["people", "add", "x@y.fi"],
                                                                      "expires_at": time.time() + 60}))
        server = JobServer(location, lambda job: ran.append(job) or {"code": 0})
        server.start()
        time.sleep(1.5)
        server.stop()
        assert not app_alive(location)
        assert (job_folder(location) / "planted.job").exists()
    assert ran == []


def test_a_job_taken_after_its_deadline_is_not_run(tmp_path):
    location = str(tmp_path / "wh.duckdb")
    job_folder(location).mkdir(mode=0o700)
    (job_folder(location) / "late.job").write_text(json.dumps({"argv": ["uploads"], "expires_at": time.time() - 1}))
    ran: list = []
    server = JobServer(location, lambda job: ran.append(job) or {"code": 0}).start()
    try:
        deadline = time.monotonic() + 10
        while not (job_folder(location) / "late.result").exists():
            assert time.monotonic() < deadline
            time.sleep(0.1)
    finally:
        server.stop()
    assert ran == []
    assert json.loads((job_folder(location) / "late.result").read_text())["code"] == 2


def test_stop_all_stops_every_server_so_the_folder_can_be_deleted(tmp_path):
    """bench/national.py deletes its folder after the pages ran: a heartbeat still beating wrote
    the job folder back while it was being deleted ('Directory not empty', one run of three)."""
    import shutil

    from warehouse.jobs import HEARTBEAT, stop_all

    folder = tmp_path / "bench"
    folder.mkdir()
    location = str(folder / "wh.duckdb")
    servers = [JobServer(location, lambda job: {"code": 0}).start() for _ in range(2)]
    assert app_alive(location)
    stop_all()
    assert all(not t.is_alive() for server in servers for t in (server._worker, server._beater))
    shutil.rmtree(folder)
    time.sleep(HEARTBEAT * 1.5)
    assert not folder.exists()


# ---- a file held by another process -----------------------------------------------------------

@pytest.fixture
def held_file(tmp_path):
    """A warehouse file that another process (not the app) keeps open."""
    db = tmp_path / "wh.duckdb"
    Warehouse(str(db)).close()
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]);"
                               " print('held', flush=True); time.sleep(120)", str(db)],
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    yield db
    holder.kill()
    holder.wait()


def test_a_command_that_cannot_get_the_file_says_so_in_one_json_document(held_file, tmp_path):
    file = recent_csv(tmp_path / "a.csv", [5])
    started = time.monotonic()
    done = cli(held_file, "import", str(file), "--org", "x", "--json", env={"KOKEMUSMITTARI_LOCK_TIMEOUT": "1"})
    assert time.monotonic() - started < 60
    assert done.returncode == 2
    document = json.loads(done.stdout)             # exactly one document
    assert document["ok"] is False and document["code"] == "warehouse_busy"
    assert "lock_timeout" in document["message"]
    assert "Traceback" not in done.stderr


def test_a_visitor_is_asked_to_wait_not_shown_a_traceback(held_file, monkeypatch):
    monkeypatch.setenv("KOKEMUSMITTARI_DB", str(held_file))
    monkeypatch.setenv("KOKEMUSMITTARI_LOCK_TIMEOUT", "1")
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.query_params["lang"] = "sv"
    at.run()
    assert not at.exception
    assert [w.value for w in at.warning] == [i18n.t("sv", "frame.warehouse_busy")]


# ---- beside `streamlit run app.py` --------------------------------------------------------------

@pytest.mark.browser
def test_import_backup_and_restore_beside_the_running_app(tmp_path):
    with trial_org_app(tmp_path) as url, chromium_page() as page:
        db = tmp_path / "wh.duckdb"
        page.goto(f"{url}/?lang=en")
        wait_for_app(page)
        deadline = time.monotonic() + 30
        while not app_alive(str(db)):              # the app opened the file and serves its jobs
            assert time.monotonic() < deadline
            time.sleep(0.2)

        started = time.monotonic()
        done = cli(db, "import", str(recent_csv(tmp_path / "kokeilu.csv", [11, 12, 13])), "--org", "kokeilu",
                   "--json")
        took = time.monotonic() - started
        assert done.returncode == 0, done.stderr
        document = json.loads(done.stdout)
        assert document["ok"] and document["upload_id"] and document["added_rows"] == 3
        assert "runs there" in done.stderr
        assert took < 30                            # docs/deployment.md: a few seconds beyond the import itself
        page.reload()
        wait_for_app(page)
        expect_tile(page, "All activities", fmt_number(36, "en"))

        # a refused file is refused the same way through the app: exit 1, its problems
        bad = tmp_path / "bad.csv"
        bad.write_text("Päivämäärä;Toimintamuoto;Lukumäärä\n13/2025;Vertaistukitapaaminen;1\n", encoding="utf-8")
        refused = cli(db, "import", str(bad), "--org", "kokeilu", "--json")
        assert refused.returncode == 1
        assert json.loads(refused.stdout)["errors"][0]["code"] == "bad_date"

        backup = tmp_path / "backup.duckdb"
        saved = cli(db, "backup", "--out", str(backup), "--json")
        assert saved.returncode == 0, saved.stderr
        assert json.loads(saved.stdout)["uploads"] == 1 and backup.is_file()
        # restore refuses the warehouse the app serves
        assert cli(db, "restore", str(backup)).returncode == 2
        figures_running = json.loads(cli(db, "figures", "--period", _last_half(), "--json").stdout)

    restored = tmp_path / "restored.duckdb"
    done = cli(restored, "restore", str(backup), "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["uploads"] == 1
    figures_restored = json.loads(cli(restored, "figures", "--period", _last_half(), "--json").stdout)
    assert figures_restored == figures_running
    assert figures_restored["activities"]["total"] == 36


def _last_half() -> str:
    last = last_complete_month(date.today()).to_month
    start = add_months(last, -11)
    return f"{start:%Y-%m}..{last:%Y-%m}"


def test_a_long_job_keeps_the_app_alive_and_its_command_waits_for_it(tmp_path, monkeypatch):
    """The attacker's review: the heartbeat once came from the thread that runs the jobs, so a
    job longer than ALIVE_FOR made the app look gone, its command gave up and a retry ran it twice."""
    import warehouse.jobs as jobs

    monkeypatch.setattr(jobs, "ALIVE_FOR", 2.0)
    location = str(tmp_path / "wh.duckdb")
    server = JobServer(location, lambda job: time.sleep(4) or {"code": 0, "stdout": "done\n", "stderr": ""}).start()
    seen_alive: list = []
    watcher_stop = threading.Event()

    def watch():
        while not watcher_stop.wait(0.2):
            seen_alive.append(app_alive(location))

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        assert submit(location, {"argv": ["uploads"]}, timeout=1.5)["stdout"] == "done\n"
    finally:
        watcher_stop.set()
        watcher.join()
        server.stop()
    assert seen_alive and all(seen_alive)


# ---- a warehouse a newer installation upgraded ----------------------------------------------------

@pytest.fixture
def newer_file(tmp_path):
    """A warehouse file that a later version of the app has migrated past what this one knows."""
    location = tmp_path / "newer.duckdb"
    with Warehouse(str(location)) as wh:
        with wh.transaction() as cur:
            cur.execute("insert into schema_migrations (version) select max(version) + 1 from schema_migrations")
            before = cur.execute("select count(*), max(version) from schema_migrations").fetchone()
    return location, before


def test_an_older_installation_refuses_a_warehouse_a_newer_one_upgraded_and_changes_nothing(newer_file):
    """Code that does not know a migration would write the warehouse wrongly (from 008 on, the
    rows in force are kept by every upload and rollback): it must not open it at all."""
    from warehouse import WarehouseTooNew

    location, before = newer_file
    with pytest.raises(WarehouseTooNew, match="newer Kokemusmittari"):
        Warehouse(str(location))
    # let go of at once (another process may open it), and nothing written
    con = duckdb.connect(str(location))
    assert con.execute("select count(*), max(version) from schema_migrations").fetchone() == before
    con.close()
    done = subprocess.run([sys.executable, "cli.py", "uploads", "--db", str(location), "--json"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode != 0 and "newer Kokemusmittari" in done.stderr and "Traceback" not in done.stderr


def test_a_visitor_of_an_older_installation_is_told_to_update_it_not_shown_a_traceback(newer_file, monkeypatch):
    monkeypatch.setenv("KOKEMUSMITTARI_DB", str(newer_file[0]))
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.query_params["lang"] = "fi"
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == [i18n.t("fi", "frame.warehouse_too_new")]

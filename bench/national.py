"""National scale: a hundred organisations and ten years of history, measured on this machine.

    python bench/national.py [--orgs 100] [--months 120] [--import-rows 100000] [--runs 5] [--json]

What it builds and measures (every time next to a floor measured in the same run):

- **import**: a Toiminta file of `--import-rows` rows, as xlsx and as CSV, imported through the
  real path (warehouse.imports.import_file: reading, validation, the personal-data guard,
  replace-by-month, ledger, archive) into a new warehouse — rows/s, the median of `--runs`
  imports, next to the median read floor of the same file (python-calamine for the xlsx, DuckDB's
  read_csv for the CSV), each floor measured just before its import. The file limits (max_rows,
  max_cells) are raised for this run only.
- **pages**: the national network, written **straight into the tables** (one upload per
  organisation; the demo generator's rows for ten years, copied to `--orgs` organisations and
  thickened to about a million activity rows at the defaults), then each figures page run by
  Streamlit's AppTest for leadership and for the board view: cold (the data caches emptied)
  and warm (a rerun), median and p95 of `--runs` runs, next to the page's SQL floor — the same
  queries the page ran, recorded and run again straight on the warehouse.
- **naive_ratio_overview**: the naive pattern (read the tables into pandas on every rerun and
  add up the Overview's headline figures there; the median of `--runs`) against the project's
  path (compute_figures; the median of `--runs`, at least ten).
- **figures_s** and **board_pack_s** (latest six months, .pptx, board view); **peak_rss_mb** of
  this process (the network is built, and the naive pattern timed, by child processes, so this
  is the memory of importing, serving the pages and building the pack; the naive pattern's own
  is **naive_peak_rss_mb**).

`--json` prints one document with these keys. `tests/test_bench_national.py` runs a small
one in `make test`, so the command cannot rot; no test asserts a time.
"""

import argparse
import gc
import io
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import redirect_stdout
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

PAGES = ("overview", "activity", "attitudes", "demand", "completeness")
ROLES = ("leadership", "board")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def timed(job) -> float:
    start = time.perf_counter()
    job()
    return time.perf_counter() - start


# ---- the national network, straight into the tables ---------------------------------------


def build_network(location: str, orgs: int, months: int, today: date) -> dict:
    """`orgs` organisations × `months` months of all four sheets; returns row counts."""
    from demo.network import generate_network, last_complete_month
    from warehouse import SHEET_TABLES, Warehouse
    from warehouse.audit import bounded_details, now_utc
    from warehouse.rows_in_force import refresh as refresh_rows_in_force

    end = last_complete_month(today)
    demo = generate_network(end, months=months)
    demo_codes = sorted(demo)
    # about a million activity rows at 100 × 120 (≈ 83 an organisation a month): each demo row
    # stands for `thicken` rows
    base_rows = sum(len(demo[c]["toiminta"]) for c in demo_codes) / len(demo_codes)
    thicken = max(1, round(1_000_000 / (100 * 120) * months / max(1.0, base_rows)))
    frames: dict[str, list[pd.DataFrame]] = {sheet: [] for sheet in SHEET_TABLES}
    for number in range(orgs):
        code, source = f"org{number:03d}", demo[demo_codes[number % len(demo_codes)]]
        for sheet, frame in source.items():
            copies = thicken if sheet == "toiminta" else 1
            frame = pd.concat([frame] * copies, ignore_index=True) if copies > 1 else frame.copy()
            frame["org_code"], frame["upload_id"] = code, number + 1
            frame["source_row"] = range(2, len(frame) + 2)
            frames[sheet].append(frame)
    with Warehouse(location) as wh:
        cur = wh.cursor()
        start = min(pd.Timestamp(m) for m in frames["toiminta"][0]["activity_month"])
        cur.register("codes", pd.DataFrame({"org_code": [f"org{n:03d}" for n in range(orgs)]}))
        cur.execute("insert into organisations (org_code, org_name, start_month)"
                    " select org_code, 'Järjestö ' || org_code, ? from codes", [start.date()])
        counts = {}
        for sheet, (table, month_column) in SHEET_TABLES.items():
            rows = pd.concat(frames[sheet], ignore_index=True)
            rows[month_column] = pd.to_datetime(rows[month_column])
            # in the order a real warehouse fills, month by month as the members send them (not
            # one organisation's ten years after another's): DuckDB's zone maps then skip the
            # row groups of other months, as they do on a real warehouse
            rows = rows.sort_values([month_column, "upload_id"], kind="stable", ignore_index=True)
            cur.register("incoming", rows)
            columns = ", ".join(c for c in rows.columns)
            cur.execute(f"insert into {table} ({columns}) select {columns} from incoming")  # noqa: S608 — fixed names
            cur.execute("insert into upload_sheet_months select upload_id, org_code, ?, "  # noqa: S608 — fixed names
                        f" {month_column}, count(*) from incoming group by all", [sheet])
            cur.execute("insert into current_sheet_months select org_code, ?, period_month, upload_id"
                        " from upload_sheet_months where sheet = ?", [sheet, sheet])
            cur.unregister("incoming")
            counts[table] = len(rows)
        refresh_rows_in_force(cur)   # what the ledger keeps beside the rows
        now = now_utc()
        cur.execute("insert into uploads select range + 1, ?, 'bench', 'org' || lpad(range::varchar, 3, '0'),"
                    " 'national.xlsx', 'hash' || range, 'xlsx', 'cli', 0, 0, [], null, null, null, null"
                    " from range(?)", [now, orgs])
        cur.execute("insert into audit_log (event_id, event_at, actor, action, details)"
                    " values (1, ?, 'bench', 'upload_stored', ?)", [now, bounded_details({"source": "bench"})])
    return {**counts, "thicken": thicken}


# ---- import --------------------------------------------------------------------------------


def activity_file(rows: int, fmt: str) -> bytes:
    """A Toiminta file of `rows` rows in the Finnish template layout."""
    from data_sources.templates import cell_value, column_header, filled_workbook, template_columns
    from demo.network import generate_network, last_complete_month

    demo = generate_network(last_complete_month(date.today()), months=24)
    sample = pd.concat([sheets["toiminta"] for sheets in demo.values()], ignore_index=True)
    frame = pd.concat([sample] * (rows // len(sample) + 1), ignore_index=True).head(rows)
    frame["org_code"] = None
    if fmt == "xlsx":
        return filled_workbook({"toiminta": frame}, "fi")
    columns = template_columns("toiminta", with_org=False)
    lines = [";".join(column_header("fi", "toiminta", c) for c in columns)]
    for record in frame.to_dict("records"):
        values = [cell_value("fi", c, record.get(c)) for c in columns]
        lines.append(";".join("" if v is None or v == "" else
                              (v.strftime("%-d.%-m.%Y") if hasattr(v, "strftime") else str(v)) for v in values))
    return ("\n".join(lines) + "\n").encode("utf-8")


def bench_import(rows: int, folder: Path, runs: int = 1) -> dict:
    import duckdb
    from python_calamine import CalamineWorkbook

    from data_sources.intake import collector_paused
    from settings import load_settings
    from warehouse import Warehouse
    from warehouse.imports import import_file
    from warehouse.organisations import add_organisation

    cells = max(300_000, rows * 30)
    settings = load_settings(max_rows=rows + 1000, max_cells=cells, max_sheet_cells=cells)
    result = {}
    for fmt in ("xlsx", "csv"):
        data = activity_file(rows, fmt)
        path = folder / f"national.{fmt}"
        path.write_bytes(data)
        if fmt == "xlsx":
            def read_all(data=data):
                book = CalamineWorkbook.from_filelike(io.BytesIO(data))
                return [book.get_sheet_by_name(name).to_python() for name in book.sheet_names]
        else:
            def read_all(path=path):
                return duckdb.execute("select count(*) from read_csv(?, delim=';', header=true, all_varchar=true)",
                                      [str(path)]).fetchall()
        floors, imports = [], []
        # `runs` pairs, each the floor and then the import into a new warehouse, so that both
        # meet the machine in the same moment; the floor with nothing of an import left to collect,
        # and with Python's cycle collector paused as the import pauses it (data_sources.intake)
        for run in range(runs):
            gc.collect()
            with collector_paused():
                floors.append(timed(read_all))
            with Warehouse(str(folder / f"import_{fmt}_{run}.duckdb")) as wh:
                add_organisation(wh, "kansallinen", "Kansallinen ry", start_month=date(2000, 1, 1), actor="bench")

                def job(wh=wh, data=data, fmt=fmt):
                    outcome = import_file(wh, f"national.{fmt}", data, org_code="kansallinen", uploaded_by="bench",
                                          source="cli", settings=settings)
                    if outcome.stored is None:
                        raise SystemExit(f"the {fmt} file was refused: {[p.code for p in outcome.checked.errors][:5]}")

                gc.collect()
                imports.append(timed(job))
        took, floor = statistics.median(imports), statistics.median(floors)
        result[fmt] = {"rows_per_s": rows / took, "floor_rows_per_s": rows / floor, "seconds": took}
    return result


# ---- pages -----------------------------------------------------------------------------------


class Recorder:
    """The queries a page runs (its figures' too: they go through the same cached runner),
    recorded so their SQL alone can be timed afterwards."""

    def __init__(self):
        import ui.data

        self.calls: list[tuple] = []
        self._module = ui.data
        self._run_query = ui.data.run_query

    def __enter__(self):
        def run_query(warehouse, name, **kwargs):
            self.calls.append((name, kwargs))
            return self._run_query(warehouse, name, **kwargs)

        self._module.run_query = run_query
        return self

    def __exit__(self, *exc):
        self._module.run_query = self._run_query

    def replay(self, warehouse) -> float:
        def job():
            for name, kwargs in self.calls:
                self._run_query(warehouse, name, **kwargs)
        return timed(job)


def bench_pages(location: str, runs: int) -> dict:
    from streamlit.components.v2.component_manager import BidiComponentManager
    from streamlit.testing.v1 import AppTest

    from ui.context import get_warehouse
    from ui.views import clear_caches

    # a server looks for custom components once, when it starts; AppTest does at each new
    # AppTest's first run (~70 ms here). A cold run stands for a new session on a running
    # server, so the AppTests share one lookup (a private attribute of AppTest, 1.67).
    components = BidiComponentManager()
    components.discover_and_register_components(start_file_watching=False)

    os.environ["KOKEMUSMITTARI_DB"] = location
    results: dict = {}
    for role in ROLES:
        os.environ["KOKEMUSMITTARI_VIEW_ROLE"] = role
        for page in PAGES:
            cold, warm, floors = [], [], []
            for _ in range(runs):
                clear_caches()
                at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
                assert hasattr(at, "_bidi_component_manager"), "AppTest changed: see the comment above"
                at._bidi_component_manager = components
                at.switch_page(f"pages/{page}.py")
                with Recorder() as recorder:
                    cold.append(timed(at.run))
                if at.exception:
                    raise SystemExit(f"{page} as {role} failed: {at.exception[0].message}")
                warm.append(timed(at.run))
                floors.append(recorder.replay(get_warehouse()))
            results.setdefault(page, {})[role] = {
                "cold_ms": statistics.median(cold) * 1000, "cold_p95_ms": percentile(cold, 0.95) * 1000,
                "warm_ms": statistics.median(warm) * 1000, "warm_p95_ms": percentile(warm, 0.95) * 1000,
                "floor_ms": statistics.median(floors) * 1000,
            }
    return results


# ---- the naive pattern, figures, board pack ------------------------------------------------


def naive_overview(wh, period) -> dict:
    """What a first dashboard does: every table into pandas, the rows in force and the
    Overview's headline sums computed there, on every rerun."""
    cur = wh.cursor()
    pointers = cur.execute("select * from current_sheet_months").df()
    out = {}
    for sheet, table, month, value in (("toiminta", "activity_rows", "activity_month", "count_activities"),
                                       ("asenteet", "attitude_rows", "answer_month", "count_respondents"),
                                       ("kysynta", "demand_rows", "received_month", "count_sessions"),
                                       ("kapasiteetti", "capacity_rows", "capacity_month", "count_active")):
        rows = cur.execute(f"select * from {table}").df()  # noqa: S608 — fixed names
        in_force = rows.merge(pointers[pointers["sheet"] == sheet],
                              left_on=["upload_id", "org_code", month],
                              right_on=["upload_id", "org_code", "period_month"])
        chosen = in_force[(in_force[month] >= pd.Timestamp(period.from_month))
                          & (in_force[month] <= pd.Timestamp(period.to_month))]
        out[sheet] = chosen.groupby(chosen[month].dt.to_period("M"))[value].sum().to_dict()
    return out


FIGURES_RUNS = 10


def bench_figures_and_pack(location: str, runs: int, today: date, naive: dict) -> dict:
    from boardpack import build_pack
    from boardpack.deck import board_context
    from queries.figures import compute_figures
    from queries.periods import default_period
    from queries.scope import Scope
    from settings import load_settings
    from ui.views import clear_caches
    from warehouse import Warehouse

    with Warehouse(location) as wh:
        cur = wh.cursor()
        last = cur.execute("select max(period_month) from current_sheet_months").fetchone()[0]
        period = default_period(today, last)
        # a figures document takes some tens of milliseconds, which the machine's moment moves by a
        # third: the median of at least ten of them (the naive pattern's own runs take seconds each)
        project = statistics.median(timed(lambda: compute_figures(wh, period, Scope()))
                                    for _ in range(max(runs, FIGURES_RUNS)))
        ctx = board_context(wh, load_settings(), period, "fi", today=today)
        clear_caches()
        pack = timed(lambda: build_pack(ctx, "pptx"))
    return {"figures_s": project, "naive_overview_s": naive["seconds"],
            "naive_ratio_overview": naive["seconds"] / project, "naive_peak_rss_mb": naive["peak_rss_mb"],
            "board_pack_s": pack, "period": period.code}


def naive_in_child(location: str, runs: int, today: date) -> dict:
    """The naive pattern timed over the board pack's period, in the process that called this."""
    from queries.periods import default_period
    from warehouse import Warehouse

    with Warehouse(location) as wh:
        last = wh.cursor().execute("select max(period_month) from current_sheet_months").fetchone()[0]
        period = default_period(today, last)
        seconds = statistics.median(timed(lambda: naive_overview(wh, period)) for _ in range(runs))
    return {"seconds": seconds, "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orgs", type=int, default=100)
    parser.add_argument("--months", type=int, default=120)
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5,
                        help="runs of each page per role (median, p95), and of each import, of the figures and of the"
                             " naive pattern (median)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--build-into", help=argparse.SUPPRESS)   # the child process that builds the network
    parser.add_argument("--naive-of", help=argparse.SUPPRESS)     # the child process that times the naive pattern
    args = parser.parse_args(argv)
    if args.naive_of:
        print(json.dumps(naive_in_child(args.naive_of, max(1, args.runs), date.today())))
        return 0
    if args.build_into:
        print(json.dumps(build_network(args.build_into, args.orgs, args.months, date.today())))
        return 0
    today = date.today()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="kokemusmittari-national-") as folder, \
            redirect_stdout(sys.stderr):    # whatever the app prints stays out of the JSON
        location = str(Path(folder) / "national.duckdb")
        # built in a process of its own: peak memory is then that of what the app does
        # (import, pages, board pack), not of generating a million rows with pandas
        built = subprocess.run([sys.executable, __file__, "--orgs", str(args.orgs), "--months", str(args.months),
                                "--build-into", location], capture_output=True, text=True, check=True)
        network = json.loads(built.stdout.strip().splitlines()[-1])
        # the naive pattern holds every table in pandas (about 700 MB at national scale): timed in a
        # process of its own, before this one opens the file, so the peak memory here is the app's
        naive = json.loads(subprocess.run([sys.executable, __file__, "--naive-of", location, "--runs", str(args.runs)],
                                          capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1])
        imports = bench_import(args.import_rows, Path(folder), max(1, args.runs))
        pages = bench_pages(location, args.runs)
        rest = bench_figures_and_pack(location, max(1, args.runs), today, naive)
        from warehouse.jobs import stop_all

        stop_all()   # the pages' app beats in the folder: stopped before the folder is deleted
    document = {
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0], "date": today.isoformat()},
        "scale": {"orgs": args.orgs, "months": args.months, **network},
        "import_rows_per_s": {fmt: round(r["rows_per_s"]) for fmt, r in imports.items()},
        "import_floor_rows_per_s": {fmt: round(r["floor_rows_per_s"]) for fmt, r in imports.items()},
        "import_rows": args.import_rows,
        "pages": {page: {role: {k: round(v, 1) for k, v in values.items()} for role, values in roles.items()}
                  for page, roles in pages.items()},
        "naive_ratio_overview": round(rest["naive_ratio_overview"], 2),
        "figures_s": round(rest["figures_s"], 3),
        "board_pack_s": round(rest["board_pack_s"], 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "naive_peak_rss_mb": rest["naive_peak_rss_mb"],
        "total_s": round(time.perf_counter() - started, 1),
    }
    if args.json:
        print(json.dumps(document, indent=2))
        return 0
    print(f"Kokemusmittari at national scale: {args.orgs} organisations × {args.months} months,"
          f" {network['activity_rows']:,} activity rows ({os.cpu_count()} CPUs, {today})")
    for fmt in ("xlsx", "csv"):
        r = imports[fmt]
        print(f"import {fmt:<4} {r['rows_per_s']:10,.0f} rows/s   read floor {r['floor_rows_per_s']:10,.0f} rows/s"
              f"   ratio {r['floor_rows_per_s'] / r['rows_per_s']:5.1f}×   ({args.import_rows:,} rows)")
    print(f"{'page':<13}{'role':<11}{'cold ms':>9}{'p95':>8}{'warm ms':>9}{'p95':>8}{'SQL floor':>11}"
          f"{'warm/floor':>11}")
    for page, roles in pages.items():
        for role, v in roles.items():
            print(f"{page:<13}{role:<11}{v['cold_ms']:9.0f}{v['cold_p95_ms']:8.0f}{v['warm_ms']:9.0f}"
                  f"{v['warm_p95_ms']:8.0f}{v['floor_ms']:11.0f}{v['warm_ms'] / max(v['floor_ms'], 0.1):10.1f}×")
    print(f"overview figures {rest['figures_s'] * 1000:.0f} ms; the naive pandas pattern"
          f" {rest['naive_overview_s'] * 1000:.0f} ms: {rest['naive_ratio_overview']:.1f}× slower")
    print(f"board pack (.pptx, {rest['period']}, board view) {rest['board_pack_s']:.1f} s;"
          f" peak memory {document['peak_rss_mb']} MB; the whole run {document['total_s']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmarks: each prints its time as a ratio against a baseline measured in the same run,
so the figures compare across machines. Run with `make bench` (not part of `make test`).

- check:   check_upload of a demo workbook  vs  only reading the same bytes with calamine
- import:  check + store of the eight demo workbooks  vs  only checking them
- figures: compute_figures over the demo network  vs  one bare aggregate over the same rows
- scale:   compute_figures over a synthetic network of 100 organisations × 10 years
           vs  the same bare aggregate over those rows
"""

import io
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pandas as pd
from python_calamine import CalamineWorkbook

from data_sources.intake import check_upload
from data_sources.vocabulary import ACTIVITY_TYPES
from demo.load import load_demo
from demo.network import DEMO_ORGS, demo_workbooks, last_complete_month
from queries.figures import compute_figures
from queries.periods import last_complete_half_year
from queries.scope import Scope
from warehouse import Warehouse
from warehouse.organisations import load_registry
from warehouse.rows_in_force import refresh as refresh_rows_in_force

TODAY = date.today()


def best_of(runs: int, job) -> float:
    """Median of `runs` timings in seconds (the first run warms caches and is dropped)."""
    job()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        job()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def report(name: str, measured: float, baseline: float, what: str) -> None:
    print(f"{name:<8} {measured * 1000:9.1f} ms   baseline {baseline * 1000:8.1f} ms   "
          f"ratio {measured / baseline:6.1f}×   ({what})")


def bench_check(wh: Warehouse) -> None:
    org, name, data = demo_workbooks(last_complete_month(TODAY))[0]
    registry = load_registry(wh)

    def read_only():
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        for sheet in book.sheet_names:
            book.get_sheet_by_name(sheet).to_python()

    def full_check():
        assert check_upload(name, data, registry=registry, uploader_org=org, today=TODAY).ok

    report("check", best_of(5, full_check), best_of(5, read_only), f"{name}, {len(data) // 1024} KB")


def bench_import() -> None:
    workbooks = demo_workbooks(last_complete_month(TODAY))
    with tempfile.TemporaryDirectory() as folder:
        counter = iter(range(1000))

        def import_all():
            with Warehouse(str(Path(folder) / f"b{next(counter)}.duckdb")) as wh:
                load_demo(wh, TODAY)

        with Warehouse(":memory:") as wh:
            load_demo(wh, TODAY)
            registry = load_registry(wh)

        def check_all():
            for org, name, data in workbooks:
                check_upload(name, data, registry=registry, uploader_org=org, today=TODAY)

        measured, baseline = best_of(3, import_all), best_of(3, check_all)
    report("import", measured, baseline, f"{len(workbooks)} workbooks checked and stored vs only checked")


def bench_figures(wh: Warehouse, label: str) -> None:
    period = last_complete_half_year(TODAY)
    cur = wh.cursor()

    def bare():
        cur.execute("select sum(count_activities) from activity_rows").fetchall()

    def figures():
        compute_figures(wh, period, Scope())

    def board_figures():
        compute_figures(wh, period, Scope(exact=False))

    rows = cur.execute("select count(*) from activity_rows").fetchone()[0]
    exact = best_of(5, figures)
    report(label, exact, best_of(5, bare), f"{rows:,} activity rows, period {period.code}")
    # a board viewer's figures come from perturbed rows (a keyed SHA-256 per small row)
    report(f"{label} (board)", best_of(5, board_figures), exact, "perturbed rows vs exact figures")


def synthetic_network(wh: Warehouse, organisations: int = 100, years: int = 10) -> None:
    """Rows inserted straight into the tables (the import path is benchmarked above)."""
    months = pd.date_range(end=pd.Timestamp(last_complete_month(TODAY)), periods=years * 12, freq="MS")
    orgs = [f"org{i:03d}" for i in range(organisations)]
    types = list(ACTIVITY_TYPES)
    sectors = ["lastensuojelu", "neuvola", "koulu"]
    grid = pd.MultiIndex.from_product([orgs, months, types, sectors],
                                      names=["org_code", "activity_month", "activity_type", "target_sector"])
    activity = grid.to_frame(index=False)
    activity["count_activities"] = (activity.index % 17) + 1
    activity["upload_id"] = activity["org_code"].str[3:].astype(int) + 1
    cur = wh.cursor()
    cur.register("orgs", pd.DataFrame({"org_code": orgs}))
    cur.execute("insert into organisations (org_code, org_name, start_month)"
                " select org_code, org_code, ? from orgs", [months[0].date()])
    cur.register("activity", activity)
    cur.execute("insert into activity_rows (upload_id, org_code, activity_month, activity_type,"
                " target_sector, count_activities) select upload_id, org_code, activity_month, activity_type,"
                " target_sector, count_activities from activity")
    cur.execute("insert into current_sheet_months select distinct org_code, 'toiminta', activity_month, upload_id"
                " from activity")
    refresh_rows_in_force(cur, ("activity_rows",))   # what the ledger keeps beside the rows


def main() -> None:
    print(f"Kokemusmittari benchmarks, {TODAY}; medians of 3–5 runs\n")
    with Warehouse(":memory:") as wh:
        load_demo(wh, TODAY)
        bench_check(wh)
        bench_figures(wh, "figures")
    bench_import()
    with Warehouse(":memory:") as wh:
        synthetic_network(wh)
        bench_figures(wh, "scale")
    print(f"\n{len(DEMO_ORGS)} demo organisations; scale = 100 organisations × 120 months"
          f" × {len(ACTIVITY_TYPES)} types × 3 sectors")


if __name__ == "__main__":
    main()

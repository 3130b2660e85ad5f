"""Board pack benchmark: the demo network's latest six months as a .pptx and a .pdf, in Finnish,
as the board sees it — against the baseline of computing the same period's figures alone
(compute_figures), measured in the same run. Streamlit's data caches are emptied before every
run, so each build is a cold one, as the first click of the day is.

    python bench/board_pack.py          (also part of `make bench`)
"""

import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from boardpack import build_pack
from boardpack.deck import board_context, build_slides, network_name
from demo.load import load_demo
from queries.figures import compute_figures
from queries.periods import default_period
from settings import load_settings
from ui.views import clear_caches
from warehouse import Warehouse

RUNS = 3


def timed(job) -> float:
    clear_caches()
    start = time.perf_counter()
    job()
    return time.perf_counter() - start


def median_of(job) -> float:
    return statistics.median(timed(job) for _ in range(RUNS))


def bench_board_pack(wh: Warehouse, today: date) -> dict:
    cur = wh.cursor()
    last = cur.execute("select max(period_month) from current_sheet_months").fetchone()[0]
    cur.close()
    period = default_period(today, last)
    settings = load_settings()
    ctx = board_context(wh, settings, period, "fi", today=today)
    baseline = median_of(lambda: compute_figures(wh, period, ctx.scope))
    slides = median_of(lambda: build_slides(ctx, network_name(settings, "fi")))
    result = {"period": period.code, "figures_s": baseline, "slides_s": slides}
    for fmt in ("pptx", "pdf"):
        result[f"{fmt}_s"] = median_of(lambda fmt=fmt: build_pack(ctx, fmt))
    print(f"board pack {period.label('fi')}, median of {RUNS} cold runs on this machine:")
    print(f"  figures alone (baseline)  {baseline:6.2f} s")
    print(f"  slides (every view)       {slides:6.2f} s   ratio {slides / baseline:5.1f}×")
    for fmt in ("pptx", "pdf"):
        took = result[f"{fmt}_s"]
        print(f"  whole pack .{fmt:<4}         {took:6.2f} s   ratio {took / baseline:5.1f}×   (target: under 10 s)")
    return result


def main() -> None:
    today = date.today()
    with Warehouse(":memory:") as wh:
        load_demo(wh, today)
        bench_board_pack(wh, today)


if __name__ == "__main__":
    main()

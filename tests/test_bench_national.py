"""A small run of the national-scale benchmark (bench/national.py), so the command cannot rot:
it builds its network, imports its files through the real path, runs every page for both roles
and prints one JSON document with every key the README and issue name. No time is asserted."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def test_a_small_national_run_prints_every_figure():
    done = subprocess.run([sys.executable, "bench/national.py", "--orgs", "2", "--months", "3",
                           "--import-rows", "200", "--runs", "1", "--json"],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    document = json.loads(done.stdout)
    assert set(document["import_rows_per_s"]) == {"xlsx", "csv"}
    assert all(rate > 0 for rate in document["import_rows_per_s"].values())
    assert all(rate > 0 for rate in document["import_floor_rows_per_s"].values())
    assert set(document["pages"]) == {"overview", "activity", "attitudes", "demand", "completeness"}
    for page, roles in document["pages"].items():
        assert set(roles) == {"leadership", "board"}, page
        for role, timing in roles.items():
            assert {"cold_ms", "warm_ms", "floor_ms", "cold_p95_ms", "warm_p95_ms"} <= set(timing), (page, role)
            assert all(value > 0 for value in timing.values()), (page, role, timing)
    assert document["naive_ratio_overview"] > 0 and document["board_pack_s"] > 0
    assert document["peak_rss_mb"] > 0 and document["naive_peak_rss_mb"] > 0
    assert document["scale"]["orgs"] == 2 and document["scale"]["activity_rows"] > 0

"""The chart-image worker: a stuck or dead vl-convert costs one retry, never a hang; a chart
it refuses is said, and the worker goes on."""

import os
import signal
import subprocess

import pytest

from charts import render

SPEC = {"data": {"values": [{"a": 1}, {"a": 3}]}, "mark": "bar",
        "encoding": {"x": {"field": "a", "type": "quantitative"}}}


def test_a_chart_comes_back_as_png_and_svg():
    assert render.vegalite_to_png(SPEC)[:8] == b"\x89PNG\r\n\x1a\n"
    svg = render.vegalite_to_svg(SPEC)
    assert svg.startswith("<svg")
    assert render.svg_to_png(svg)[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_stuck_worker_is_replaced_and_the_drawing_retried(monkeypatch):
    render.vegalite_to_svg(SPEC)
    stuck = render._current()
    os.kill(stuck.pid, signal.SIGSTOP)  # alive, but answers nothing: as a hung engine would
    # long enough for a fresh worker to start and draw on a loaded machine (2 s was not, now and then)
    monkeypatch.setattr(render, "DEADLINE_S", 6.0)
    assert render.vegalite_to_png(SPEC)[:8] == b"\x89PNG\r\n\x1a\n"
    assert render._current() is not stuck and stuck.poll() is not None  # the stuck one was killed


def test_a_worker_that_died_is_started_again():
    render.vegalite_to_svg(SPEC)
    dead = render._current()
    dead.kill()
    dead.wait()
    assert render.vegalite_to_svg(SPEC).startswith("<svg")
    assert render._current() is not dead


def test_a_refused_chart_is_said_and_the_worker_goes_on():
    render.vegalite_to_svg(SPEC)
    worker = render._current()
    with pytest.raises(render.RenderFailed):
        render.vegalite_to_png("{not json")
    assert render._current() is worker and worker.poll() is None
    assert render.vegalite_to_svg(SPEC).startswith("<svg")


def test_a_worker_that_never_answers_ends_in_a_clear_failure(monkeypatch):
    monkeypatch.setattr(render, "_start", lambda: subprocess.Popen(["sleep", "60"], stdin=subprocess.PIPE,
                                                                     stdout=subprocess.PIPE))
    monkeypatch.setattr(render, "DEADLINE_S", 0.5)
    render._stop()
    with pytest.raises(render.RenderFailed, match="did not answer"):
        render.vegalite_to_svg(SPEC)
    monkeypatch.undo()
    render._stop()
    assert render.vegalite_to_svg(SPEC).startswith("<svg")


def test_a_page_charts_picture_is_drawn_at_a_width_of_its_own():
    """A page's chart fills its container; the downloaded picture has no container, and was
    once drawn 300 px wide with its title and legend cut off."""
    import altair as alt
    import pandas as pd

    from boardpack.pictures import png_size
    from ui.widgets import PNG_PLOT_WIDTH, _chart_png

    data = pd.DataFrame({"kuukausi": ["2026-06", "2026-07"], "n": [3, 5], "muoto": ["Kamratstödsträff", "Annat"]})
    chart = alt.Chart(data).mark_bar().encode(x="kuukausi:N", y="n:Q", color="muoto:N").properties(
        width="container", title="Verksamhet per verksamhetsform och månad")
    width, _ = png_size(_chart_png(chart))
    assert width >= 2 * PNG_PLOT_WIDTH


def test_two_drawings_at_once_go_to_two_workers_and_come_back_right():
    """The board pack draws two pictures at a time: each answer is its own drawing's."""
    from concurrent.futures import ThreadPoolExecutor

    specs = [{**SPEC, "data": {"values": [{"a": n}, {"a": 2 * n}]}, "width": 100 + 10 * n} for n in range(1, 9)]
    with ThreadPoolExecutor(max_workers=render.WORKERS) as pool:
        together = list(pool.map(render.vegalite_to_svg, specs))
    assert together == [render.vegalite_to_svg(spec) for spec in specs]
    assert len({slot.worker.pid for slot in render._SLOTS if slot.worker is not None}) == render.WORKERS

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
    stuck = render._worker
    os.kill(stuck.pid, signal.SIGSTOP)  # alive, but answers nothing: as a hung engine would
    monkeypatch.setattr(render, "DEADLINE_S", 2.0)
    assert render.vegalite_to_png(SPEC)[:8] == b"\x89PNG\r\n\x1a\n"
    assert render._worker is not stuck and stuck.poll() is not None  # the stuck one was killed


def test_a_worker_that_died_is_started_again():
    render.vegalite_to_svg(SPEC)
    dead = render._worker
    dead.kill()
    dead.wait()
    assert render.vegalite_to_svg(SPEC).startswith("<svg")
    assert render._worker is not dead


def test_a_refused_chart_is_said_and_the_worker_goes_on():
    render.vegalite_to_svg(SPEC)
    worker = render._worker
    with pytest.raises(render.RenderFailed):
        render.vegalite_to_png("{not json")
    assert render._worker is worker and worker.poll() is None
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

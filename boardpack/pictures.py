"""Charts as slides show them: the app's own Altair chart (ui/views.py), re-sized for a 16:9
slide or a projector, and drawn offline as a PNG at twice its size by vl-convert."""

import math
import re

import altair as alt

from charts import render

PNG_SCALE = 2
# the plot's size in px: with its axes and legend about the 2.8:1 of a slide's chart area, so
# that the picture fills it and its type, 1.8 × the page's, prints at 14–16 pt on the slide
PLOT_WIDTH = 760
PLOT_HEIGHT = 330
FONT_SCALE = 1.8     # a slide is read from across a room
MIN_PLOT_WIDTH, MAX_PLOT_WIDTH = 480, 1500
MARK_TEXT_SCALE = 1.4
WIDE_ENOUGH = 700    # a narrower plot moves its legend above it


def slide_spec(chart: alt.TopLevelMixin, width: int | str = PLOT_WIDTH, font_scale: float = FONT_SCALE,
               height: int = PLOT_HEIGHT, legend: str = "right") -> dict:
    """The chart's Vega-Lite spec for a slide: no title (the slide has it), larger type, the
    legend to the right in one column (or above the plot in rows: `legend="top"`), the plot
    `width` wide ("container": the screen's) and `height` tall, whatever the page gave it (a
    chart of a few bars fills the slide too)."""
    spec = _no_nan(chart.to_dict())
    spec.pop("title", None)
    spec["width"] = width
    spec["height"] = height
    spec["autosize"] = {"type": "fit-x", "contains": "padding"} if width == "container" else {"type": "pad"}
    config = spec.setdefault("config", {})
    for part in ("axis", "legend"):
        block = config.setdefault(part, {})
        for key in ("labelFontSize", "titleFontSize"):
            block[key] = round(block.get(key, 12) * font_scale)
    if legend == "top":
        config["legend"].update(orient="top", direction="horizontal", offset=12, labelLimit=560, titleLimit=560)
    else:
        config["legend"].update(orient="right", columns=1, offset=24, labelLimit=560, titleLimit=560)
    config["axis"]["labelLimit"] = round(config["axis"].get("labelLimit", 180) * font_scale)
    # texts drawn beside marks ("<5", shares on bars) grow less: they sit between marks
    mark = config.setdefault("text", {})
    mark["fontSize"] = round(mark.get("fontSize", 11) * MARK_TEXT_SCALE)
    _scale_layer_texts(spec, MARK_TEXT_SCALE)
    _scale_label_limits(spec.get("encoding"), font_scale)
    for layer in spec.get("layer", []):
        _scale_label_limits(layer.get("encoding"), font_scale)
    return spec


def _scale_label_limits(encoding: dict | None, factor: float) -> None:
    """An axis's own label width (a chart's names) grows with its type, so names stay whole."""
    for channel in (encoding or {}).values():
        axis = channel.get("axis") if isinstance(channel, dict) else None
        if isinstance(axis, dict) and "labelLimit" in axis:
            axis["labelLimit"] = round(axis["labelLimit"] * factor)


def _no_nan(value):
    """A copy with NaN (a hidden or missing number in the chart's data) as null: JSON has no NaN."""
    if isinstance(value, dict):
        return {k: _no_nan(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_no_nan(v) for v in value]
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _scale_layer_texts(spec: dict, factor: float) -> None:
    for layer in spec.get("layer", []):
        mark = layer.get("mark")
        if isinstance(mark, dict) and mark.get("type") == "text" and "fontSize" in mark:
            mark["fontSize"] = round(mark["fontSize"] * factor)
        _scale_layer_texts(layer, factor)


def chart_png(chart: alt.TopLevelMixin, ratio: float | None = None) -> bytes:
    """The chart as a PNG at twice its size; with `ratio` (the slide's room, width / height),
    the plot is widened or narrowed so the whole picture, axes and legend included, has about
    that shape and fills the room (its size is read from a first, cheaper SVG rendering)."""
    spec = slide_spec(chart)
    if ratio:
        spec["width"] = _fitted_width(spec, ratio)
        if spec["width"] < WIDE_ENOUGH:
            # long names beside bars and a legend beside them leave the plot too little room
            spec = slide_spec(chart, legend="top")
            spec["width"] = _fitted_width(spec, ratio)
    return render.vegalite_to_png(spec, scale=PNG_SCALE)


def _fitted_width(spec: dict, ratio: float) -> int:
    width, height = _svg_size(render.vegalite_to_svg(spec))
    extras = width - spec["width"]
    return int(min(max(ratio * height - extras, MIN_PLOT_WIDTH), MAX_PLOT_WIDTH))


def _svg_size(svg: str) -> tuple[float, float]:
    found = re.search(r'<svg[^>]*?\swidth="([\d.]+)"[^>]*?\sheight="([\d.]+)"', svg)
    return (float(found.group(1)), float(found.group(2))) if found else (PLOT_WIDTH, PLOT_HEIGHT)


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height in pixels, from the PNG header."""
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def logo_png(source: bytes, is_svg: bool, height_px: int = 160) -> bytes:
    """The network's logo as a PNG; an SVG is drawn by vl-convert's own renderer (offline)."""
    if not is_svg:
        return source
    return render.svg_to_png(source.decode("utf-8"), scale=height_px / _svg_height(source))


def _svg_height(source: bytes) -> float:
    text = source.decode("utf-8", "replace")
    found = re.search(r'<svg[^>]*\sheight="([\d.]+)', text) or re.search(r'viewBox="[\d.\s-]+\s([\d.]+)"', text)
    return float(found.group(1)) if found else 100.0

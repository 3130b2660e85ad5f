"""Pure Altair builders sharing one theme: (DataFrame of aggregated rows, labels) -> alt.Chart.

Charts never query and never see a row below the aggregate; titles name period and scope.
"""

import functools

import altair as alt
import pandas as pd
from altair.utils.schemapi import disable_debug_mode

import i18n
from i18n.formats import fmt_month, fmt_number, fmt_share, vega_locale

# Every colour a chart draws with, in one place. Marks are at least 3:1 against the white
# background and texts at least 4.5:1 (WCAG 2.1, 1.4.11 and 1.4.3); tests/test_chart_contrast.py
# computes every ratio. The hues are Okabe–Ito's (told apart with the common colour-vision
# deficiencies), darkened where the original is too light on white (orange, sky blue, yellow,
# grey); nothing is told by colour alone: legends, order, symbols and tooltips say it too.
BACKGROUND = "#FFFFFF"
PALETTE = ["#0072B2", "#C26A00", "#00805E", "#B05A8C", "#D55E00", "#8A7A00", "#7F3C8D",
           "#3A8AC4", "#6A6A6A", "#000000"]
# the five attitude stages, sceptical (warm) through neutral grey to trusting (blue)
STAGE_COLOURS = ["#B84A00", "#9C6B00", "#707070", "#3A8AC4", "#005A8C"]
# texts drawn on the chart: subtitle, annotations beside marks, the "<5" marks, rules
TEXT_COLOURS = {"title": "#262626", "subtitle": "#555555", "axis": "#444444", "annotation": "#333333",
                "hidden": "#444444", "rule": "#555555"}
# lines that carry no value themselves (the grid) may be quieter than 3:1
GRID_COLOUR = "#E6E6E6"
FONT = "Source Sans Pro, Arial, sans-serif"
# stacked parts are parted by a white line, so each touches the background, not a neighbour
SEPARATOR = {"stroke": BACKGROUND, "strokeWidth": 1}


# Altair checks every part of a chart against the Vega-Lite schema as it is made, and the whole
# spec again when it is written out: a fifth of a page's rerun. The builders' specs are checked
# whole in the tests (tests/test_charts.py: every chart's to_dict() validates); a page draws them
# unchecked.
disable_debug_mode()


def unchecked(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """The chart, written out (by Streamlit, by a PNG download) without the schema check."""
    if "to_dict" in vars(chart):
        return chart   # already (a cached view is drawn again and again)
    to_dict = chart.to_dict
    # object.__setattr__: Altair's own __setattr__ would make it a property of the spec
    object.__setattr__(chart, "to_dict", lambda *args, **kwargs: to_dict(*args, **{**kwargs, "validate": False}))
    return chart


def chart_data(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows a chart is given, with counts beside "<5" markers as text (queries.suppression)."""
    from queries.suppression import markers_as_text

    return markers_as_text(frame)


def themed(chart: alt.Chart, lang: str, title: str, subtitle: str | None = None, summary: str = "") -> alt.Chart:
    """The one theme: title with its period and scope, locale-aware axes, quiet grid. The chart's
    text alternative (Vega's `description`, which becomes the ARIA label a screen reader reads)
    is its title, subtitle and `summary`, a sentence of what it shows; the marks themselves are
    kept out of the accessibility tree (`aria=False` on the chart and its marks), so a reader hears the sentence, not
    a list of axis ticks. The numbers stay one click away in the table under every chart."""
    title_params = alt.TitleParams(text=title, subtitle=subtitle or "", anchor="start",
                                   fontSize=16, subtitleFontSize=12, subtitleColor=TEXT_COLOURS["subtitle"])
    # fit the page's width, but let title, axes and legend add to the height; the theme set at
    # once (each configure_… call copies the whole chart: a tenth of a cold page)
    themed = chart.properties(title=title_params, width="container", description=description(title, subtitle, summary),
                              autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))
    themed.config = _config(lang)    # on the copy properties() made, unchecked (checked whole in the tests)
    return themed


@functools.cache
def _config(lang: str) -> alt.Config:
    return alt.Config(
        font=FONT, locale=vega_locale(lang), aria=False,
        mark=alt.MarkConfig(aria=False),
        range=alt.RangeConfig(category=PALETTE),
        # Streamlit's own chart theme writes axis and legend texts in #808495 (3.8:1): ours instead
        title=alt.TitleConfig(color=TEXT_COLOURS["title"]),
        axis=alt.AxisConfig(labelFontSize=12, titleFontSize=12, gridColor=GRID_COLOUR, labelColor=TEXT_COLOURS["axis"],
                            titleColor=TEXT_COLOURS["axis"], domainColor=TEXT_COLOURS["axis"],
                            tickColor=TEXT_COLOURS["axis"]),
        legend=alt.LegendConfig(labelFontSize=12, titleFontSize=12, orient="bottom", columns=3,
                                labelLimit=320, labelColor=TEXT_COLOURS["axis"], titleColor=TEXT_COLOURS["axis"]),
        view=alt.ViewConfig(stroke=None),
    )


def description(title: str, subtitle: str | None, summary: str) -> str:
    """Title. Subtitle. Summary — each once, each ending in one full stop."""
    return " ".join(part.strip().rstrip(".") + "." for part in (title, subtitle or "", summary) if part.strip())


# ---- summaries: one sentence of what a chart shows, from the rows it draws ---------------------

def _listed(lang: str, items: list[str]) -> str:
    return i18n.t(lang, "chart_summary.and").join([", ".join(items[:-1]), items[-1]]) if len(items) > 1 \
        else "".join(items)


def summary_largest(lang: str, frame: pd.DataFrame, category: str, value: str = "value",
                    limit: int = 3, key: str = "chart_summary.largest") -> str:
    """"Largest: A 36, B 28 and C 27." by the drawn values (a hidden part adds nothing)."""
    if frame.empty or category not in frame:
        return ""
    totals = pd.to_numeric(frame[value], errors="coerce").groupby(frame[category], sort=False) \
        .sum(min_count=1).dropna().sort_values(ascending=False, kind="stable")
    if totals.empty:
        return ""
    items = [f"{name} {fmt_number(total, lang)}" for name, total in totals.head(limit).items()]
    return i18n.t(lang, key, items=_listed(lang, items))


def summary_months(lang: str, frame: pd.DataFrame, value: str = "value", month: str = "month") -> str:
    """"Most in March 2026 (120), fewest in July 2026 (40)." by the drawn monthly totals."""
    if frame.empty:
        return ""
    totals = pd.to_numeric(frame[value], errors="coerce").groupby(pd.to_datetime(frame[month]), sort=True) \
        .sum(min_count=1).dropna()
    if totals.empty:
        return ""
    high, low = totals.idxmax(), totals.idxmin()
    return i18n.t(lang, "chart_summary.months", high=fmt_month(high.date(), lang),
                  high_n=fmt_number(totals[high], lang), low=fmt_month(low.date(), lang),
                  low_n=fmt_number(totals[low], lang))


def summary_latest(lang: str, frame: pd.DataFrame, series: str, value: str, month: str = "month",
                   share: bool = False) -> str:
    """"Latest month, November 2026: A 6, B 14." — each series' value in the last drawn month
    (as shares of that month's drawn total when `share`)."""
    drawn = frame.assign(_v=pd.to_numeric(frame[value], errors="coerce")).dropna(subset=["_v"]) \
        if not frame.empty else frame
    if drawn.empty:
        return ""
    months = pd.to_datetime(drawn[month])
    latest = drawn[months == months.max()]
    values = latest.groupby(series, sort=False)["_v"].sum()
    total = values.sum()
    items = [f"{name} {fmt_share(v / total, lang) if share else fmt_number(v, lang)}"
             for name, v in values.items() if not share or total]
    return i18n.t(lang, "chart_summary.latest", month=fmt_month(months.max().date(), lang),
                  items=_listed(lang, items)) if items else ""


def monthly_trend_chart(frame: pd.DataFrame, lang: str, *, title: str, subtitle: str,
                        month_title: str, value_title: str, series_title: str, hidden_title: str = "",
                        comparison_end=None, comparison_end_title: str = "") -> alt.Chart:
    """Stacked monthly bars. frame: month (datetime), series (label), value (number) and, where
    counts may be hidden, count (as shown: a "<5" is marked above its month's bar). With `role`
    (current / comparison / between) the comparison's bars are paler, and `comparison_end` (the
    first month after the comparison period) draws a dashed line where the comparison ends."""
    paler, stroke = alt.Undefined, alt.Undefined
    if "role" in frame:
        # a paler fill, outlined in its own full colour: the bar keeps 3:1 against the page
        paler = alt.FillOpacity("role:N", legend=None, scale=alt.Scale(
            domain=["current", "comparison", "between"], range=[1.0, 0.45, 0.2]))
        # the outline shares the fill's scale and legend (a stroke legend of None took the
        # fill's legend away with it: the Overview's bars had no key to their colours)
        stroke = alt.condition("datum.role == 'current'", alt.value(BACKGROUND), alt.Stroke("series:N", sort=None))
    chart = alt.Chart(chart_data(frame)).mark_bar(**SEPARATOR).encode(
        x=alt.X("yearmonth(month):O", title=month_title, axis=alt.Axis(format="%b %Y", labelAngle=-40)),
        y=alt.Y("sum(value):Q", title=value_title, axis=alt.Axis(format=",d", tickMinStep=1)),
        color=alt.Color("series:N", title=series_title, sort=None),
        order=alt.Order("series_order:Q") if "series_order" in frame else alt.Undefined,
        fillOpacity=paler, stroke=stroke,
        tooltip=[alt.Tooltip("yearmonth(month):T", title=month_title, format="%B %Y"),
                 alt.Tooltip("series:N", title=series_title),
                 alt.Tooltip("sum(value):Q", title=value_title, format=",d")],
    )
    layers = [chart]
    marks = hidden_marks(frame, category="month", series="series", horizontal=False,
                         encoding="yearmonth(month):O", category_title=month_title, series_title=series_title,
                         hidden_title=hidden_title or value_title) if "count" in frame else None
    if marks is not None:
        layers.append(marks)
    if comparison_end is not None and (pd.to_datetime(frame["month"]) >= pd.Timestamp(comparison_end)).any():
        boundary = pd.DataFrame({"month": [pd.Timestamp(comparison_end)], "text": [comparison_end_title]})
        at = alt.X("yearmonth(month):O", bandPosition=0)
        layers.append(alt.Chart(boundary).mark_rule(strokeDash=[6, 4], color=TEXT_COLOURS["rule"],
                                                    strokeWidth=2).encode(x=at))
        layers.append(alt.Chart(boundary).mark_text(align="left", baseline="top", dx=4, y=2, fontSize=11,
                                                    color=TEXT_COLOURS["annotation"]).encode(x=at, text="text:N"))
    chart = alt.layer(*layers) if len(layers) > 1 else chart
    # the largest over the chosen period, as its tiles count them (not the comparison's months too)
    chosen = frame[frame["role"] == "current"] if "role" in frame else frame
    summary = " ".join(filter(None, (summary_months(lang, frame), summary_largest(lang, chosen, "series"))))
    return themed(chart.properties(height=320), lang, title, subtitle, summary)


HIDDEN_COLOUR = TEXT_COLOURS["hidden"]


def hidden_marks(frame: pd.DataFrame, *, category: str, series: str, horizontal: bool,
                 category_title: str, series_title: str, hidden_title: str,
                 encoding: str | None = None, count: str = "count", normalized: bool = False,
                 sort: list | None = None) -> alt.Chart | None:
    """A text layer that keeps every hidden count ("<5") on the chart: one mark per category,
    just past what is drawn for it (so a category whose every part is hidden keeps its place
    on the axis), naming the hidden parts in its tooltip. None when nothing is hidden.

    frame: `category`, `series`, `value` (drawn; NaN where hidden), `count` (as shown).
    `encoding` is the category's field as the bars encode it ("yearmonth(month):O");
    `normalized` puts the mark at the top of a 100 % stack; `sort` is the bars' category order."""
    from queries.suppression import is_hidden

    hidden = frame[frame[count].map(is_hidden)]
    if hidden.empty:
        return None
    drawn = frame.groupby(category, dropna=False)["value"].sum(min_count=1).fillna(0)
    marks = hidden.groupby(category, dropna=False).agg(
        n=(series, "size"), parts=(series, lambda s: ", ".join(dict.fromkeys(str(v) for v in s))),
        shown=(count, "first")).reset_index()
    marks["at"] = [1.0 if normalized else float(drawn.get(c, 0)) for c in marks[category]]
    marks["text"] = [shown if n == 1 else f"{n} × {shown}" for n, shown in zip(marks["n"], marks["shown"])]
    field = encoding or f"{category}:N"
    if horizontal:
        position = {"y": alt.Y(field, sort=sort if sort is not None else alt.Undefined), "x": alt.X("at:Q")}
    else:
        position = {"x": alt.X(field), "y": alt.Y("at:Q", stack=None)}
    return alt.Chart(marks).mark_text(
        align="left" if horizontal else "center", baseline="middle" if horizontal else "bottom",
        dx=4 if horizontal else 0, dy=0 if horizontal else -3, fontWeight="bold", color=HIDDEN_COLOUR,
    ).encode(
        **position, text="text:N",
        tooltip=[alt.Tooltip(field, title=category_title), alt.Tooltip("parts:N", title=series_title),
                 alt.Tooltip("text:N", title=hidden_title)],
    )


def with_hidden_marks(bars: alt.Chart, marks: alt.Chart | None) -> alt.Chart | alt.LayerChart:
    return bars if marks is None else alt.layer(bars, marks)

"""Pure Altair builders sharing one theme: (DataFrame of aggregated rows, labels) -> alt.Chart.

Charts never query and never see a row below the aggregate; titles name period and scope.
"""

import altair as alt
import pandas as pd

from i18n.formats import vega_locale

# Okabe–Ito: distinguishable with the common colour-vision deficiencies
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
           "#000000", "#999999", "#7F3C8D"]
# the five attitude stages, sceptical (warm) to trusting (blue), colour-blind safe
STAGE_COLOURS = ["#D55E00", "#E69F00", "#F0E442", "#56B4E9", "#0072B2"]
FONT = "Source Sans Pro, Arial, sans-serif"


def chart_data(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows a chart is given, with counts beside "<5" markers as text (queries.suppression)."""
    from queries.suppression import markers_as_text

    return markers_as_text(frame)


def themed(chart: alt.Chart, lang: str, title: str, subtitle: str | None = None) -> alt.Chart:
    """The one theme: title with its period and scope, locale-aware axes, quiet grid."""
    title_params = alt.TitleParams(text=title, subtitle=subtitle or "", anchor="start",
                                   fontSize=16, subtitleFontSize=12, subtitleColor="#555")
    return (
        # fit the page's width, but let title, axes and legend add to the height
        chart.properties(title=title_params, width="container",
                         autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))
        .configure(font=FONT, locale=vega_locale(lang))
        .configure_range(category=PALETTE)
        .configure_axis(labelFontSize=12, titleFontSize=12, gridColor="#e6e6e6")
        .configure_legend(labelFontSize=12, titleFontSize=12, orient="bottom", columns=3,
                          labelLimit=320)
        .configure_view(stroke=None)
    )


def monthly_trend_chart(frame: pd.DataFrame, lang: str, *, title: str, subtitle: str,
                        month_title: str, value_title: str, series_title: str, hidden_title: str = "",
                        comparison_end=None, comparison_end_title: str = "") -> alt.Chart:
    """Stacked monthly bars. frame: month (datetime), series (label), value (number) and, where
    counts may be hidden, count (as shown: a "<5" is marked above its month's bar). With `role`
    (current / comparison / between) the comparison's bars are paler, and `comparison_end` (the
    first month after the comparison period) draws a dashed line where the comparison ends."""
    opacity = alt.Undefined
    if "role" in frame:
        opacity = alt.Opacity("role:N", legend=None, scale=alt.Scale(
            domain=["current", "comparison", "between"], range=[1.0, 0.55, 0.25]))
    chart = alt.Chart(chart_data(frame)).mark_bar().encode(
        x=alt.X("yearmonth(month):O", title=month_title, axis=alt.Axis(format="%b %Y", labelAngle=-40)),
        y=alt.Y("sum(value):Q", title=value_title, axis=alt.Axis(format=",d", tickMinStep=1)),
        color=alt.Color("series:N", title=series_title, sort=None),
        order=alt.Order("series_order:Q") if "series_order" in frame else alt.Undefined,
        opacity=opacity,
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
        layers.append(alt.Chart(boundary).mark_rule(strokeDash=[6, 4], color="#555555", strokeWidth=2).encode(x=at))
        layers.append(alt.Chart(boundary).mark_text(align="left", baseline="top", dx=4, y=2, fontSize=11,
                                                    color="#333333").encode(x=at, text="text:N"))
    chart = alt.layer(*layers) if len(layers) > 1 else chart
    return themed(chart.properties(height=320), lang, title, subtitle)


HIDDEN_COLOUR = "#444444"


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

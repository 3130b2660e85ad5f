"""Public-sector demand: status by sector, unmet share, reasons, capacity, white spots."""

import altair as alt
import pandas as pd

from charts import PALETTE, themed

# fulfilled (blue) … not fulfilled (vermilion); open and cancelled greyed
STATUS_COLOURS = ["#0072B2", "#E69F00", "#D55E00", "#999999", "#CCCCCC"]


def status_by_sector_chart(frame: pd.DataFrame, lang: str, *, title: str, subtitle: str,
                           sector_title: str, value_title: str, status_title: str) -> alt.Chart:
    """Stacked horizontal bars. frame: sector_label, status_label, status_order, value."""
    present = frame.sort_values("status_order")[["status_order", "status_label"]].drop_duplicates()
    statuses = present["status_label"].tolist()
    # a status keeps its colour whichever statuses are present
    colours = [STATUS_COLOURS[int(order)] for order in present["status_order"]]
    chart = alt.Chart(frame.dropna(subset=["value"])).mark_bar().encode(
        y=alt.Y("sector_label:N", title=None, sort="-x", axis=alt.Axis(labelLimit=360)),
        x=alt.X("sum(value):Q", title=value_title, axis=alt.Axis(format=",d", tickMinStep=1)),
        color=alt.Color("status_label:N", title=status_title, sort=statuses,
                        scale=alt.Scale(domain=statuses, range=colours)),
        order=alt.Order("status_order:Q"),
        tooltip=[alt.Tooltip("sector_label:N", title=sector_title),
                 alt.Tooltip("status_label:N", title=status_title),
                 alt.Tooltip("sum(value):Q", title=value_title, format=",d")],
    ).properties(height=max(160, 30 * frame["sector_label"].nunique()))
    return themed(chart, lang, title, subtitle)


def share_bars_chart(frame: pd.DataFrame, lang: str, *, title: str, subtitle: str,
                     category_title: str, share_title: str) -> alt.Chart:
    """Bars of a share per category, with its basis written beside. frame: category, share, label."""
    shown = frame.dropna(subset=["share"])
    base = alt.Chart(shown).encode(
        y=alt.Y("category:N", title=None, sort="-x", axis=alt.Axis(labelLimit=360)),
        x=alt.X("share:Q", title=share_title, scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%")),
        tooltip=[alt.Tooltip("category:N", title=category_title),
                 alt.Tooltip("share:Q", title=share_title, format=".0%"),
                 alt.Tooltip("label:N", title=" ")],
    )
    bars = base.mark_bar(color="#D55E00")
    text = base.mark_text(align="left", dx=4, fontSize=11, color="#333333").encode(text="label:N")
    return themed((bars + text).properties(height=max(160, 30 * len(shown))), lang, title, subtitle)


def count_bars_chart(frame: pd.DataFrame, lang: str, *, title: str, subtitle: str,
                     category_title: str, value_title: str) -> alt.Chart:
    """Plain horizontal bars. frame: category, value."""
    chart = alt.Chart(frame.dropna(subset=["value"])).mark_bar(color=PALETTE[0]).encode(
        y=alt.Y("category:N", title=None, sort="-x", axis=alt.Axis(labelLimit=360)),
        x=alt.X("value:Q", title=value_title, axis=alt.Axis(format=",d", tickMinStep=1)),
        tooltip=[alt.Tooltip("category:N", title=category_title),
                 alt.Tooltip("value:Q", title=value_title, format=",d")],
    ).properties(height=max(120, 30 * len(frame)))
    return themed(chart, lang, title, subtitle)


def capacity_chart(frame: pd.DataFrame, lang: str, *, title: str, subtitle: str,
                   month_title: str, value_title: str, series_title: str) -> alt.Chart:
    """Two lines over months. frame: month, series (label), value and, where months went
    unreported, segment: a line never crosses a gap (a month alone shows as its point)."""
    chart = alt.Chart(frame.dropna(subset=["value"])).mark_line(strokeWidth=3, point=True).encode(
        x=alt.X("yearmonth(month):O", title=month_title, axis=alt.Axis(format="%b %Y", labelAngle=-40)),
        y=alt.Y("value:Q", title=value_title, axis=alt.Axis(format=",d", tickMinStep=1)),
        color=alt.Color("series:N", title=series_title, scale=alt.Scale(range=["#0072B2", "#D55E00"])),
        strokeDash=alt.StrokeDash("series:N", title=series_title),
        detail="segment:N" if "segment" in frame else alt.Undefined,
        tooltip=[alt.Tooltip("yearmonth(month):T", title=month_title, format="%B %Y"),
                 alt.Tooltip("series:N", title=series_title),
                 alt.Tooltip("value:Q", title=value_title, format=",d")],
    ).properties(height=300)
    return themed(chart, lang, title, subtitle)


def white_spot_matrix(frame: pd.DataFrame, lang: str, *, title: str, subtitle: str,
                      sector_title: str, municipality_title: str, state_title: str) -> alt.Chart:
    """Public sectors × municipalities. frame: sector_label, municipality, state_label, is_white,
    mark ('○' white spot, '●' reached), readable without colour."""
    base = alt.Chart(frame).encode(
        x=alt.X("municipality:N", title=municipality_title, axis=alt.Axis(labelAngle=-40)),
        y=alt.Y("sector_label:N", title=None, axis=alt.Axis(labelLimit=360)),
    )
    # white spots stand out (orange, ○); reached cells stay quiet (pale blue, ●)
    white = frame.loc[frame["is_white"], "state_label"].drop_duplicates().tolist()
    reached = frame.loc[~frame["is_white"], "state_label"].drop_duplicates().tolist()
    cells = base.mark_rect(stroke="white", strokeWidth=2).encode(
        color=alt.Color("state_label:N", title=state_title,
                        scale=alt.Scale(domain=white + reached,
                                        range=["#E69F00"] * len(white) + ["#D9E8F5"] * len(reached))),
        tooltip=[alt.Tooltip("sector_label:N", title=sector_title),
                 alt.Tooltip("municipality:N", title=municipality_title),
                 alt.Tooltip("state_label:N", title=state_title)],
    )
    marks = base.mark_text(fontSize=13).encode(text="mark:N")
    height = 30 * frame["sector_label"].nunique()
    return themed((cells + marks).properties(height=height), lang, title, subtitle)

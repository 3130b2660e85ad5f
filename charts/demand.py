"""Public-sector demand: status by sector, unmet share, reasons, capacity, white spots."""

import altair as alt
import pandas as pd

import i18n
from charts import (
    BACKGROUND,
    PALETTE,
    SEPARATOR,
    TEXT_COLOURS,
    summary_largest,
    summary_latest,
    themed,
)
from i18n.formats import fmt_share

# fulfilled (blue), partly (ochre), not fulfilled (deep vermilion); open and cancelled grey
STATUS_COLOURS = ["#0072B2", "#9C6B00", "#B84A00", "#595959", "#8C8C8C"]
# capacity: the experts available against those asked for
CAPACITY_COLOURS = ["#0072B2", "#B84A00"]
# white spots stand out (ochre, ○); reached cells stay a quiet pale blue behind their ● (the
# symbol, not the fill, says it: the fill is allowed to be paler than 3:1)
WHITE_SPOT, REACHED = "#C26A00", "#D9E8F5"
# the ○ and ● on them
SYMBOL_COLOUR = "#000000"


def status_by_sector_chart(frame: pd.DataFrame, lang: str, *, title: str, subtitle: str,
                           sector_title: str, value_title: str, status_title: str) -> alt.Chart:
    """Stacked horizontal bars. frame: sector_label, status_label, status_order, value."""
    present = frame.sort_values("status_order")[["status_order", "status_label"]].drop_duplicates()
    statuses = present["status_label"].tolist()
    # a status keeps its colour whichever statuses are present
    colours = [STATUS_COLOURS[int(order)] for order in present["status_order"]]
    chart = alt.Chart(frame.dropna(subset=["value"])).mark_bar(**SEPARATOR).encode(
        y=alt.Y("sector_label:N", title=None, sort="-x", axis=alt.Axis(labelLimit=360)),
        x=alt.X("sum(value):Q", title=value_title, axis=alt.Axis(format=",d", tickMinStep=1)),
        color=alt.Color("status_label:N", title=status_title, sort=statuses,
                        scale=alt.Scale(domain=statuses, range=colours)),
        order=alt.Order("status_order:Q"),
        tooltip=[alt.Tooltip("sector_label:N", title=sector_title),
                 alt.Tooltip("status_label:N", title=status_title),
                 alt.Tooltip("sum(value):Q", title=value_title, format=",d")],
    ).properties(height=max(160, 30 * frame["sector_label"].nunique()))
    return themed(chart, lang, title, subtitle, summary_largest(lang, frame, "sector_label"))


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
    bars = base.mark_bar(color=STATUS_COLOURS[2])
    text = base.mark_text(align="left", dx=4, fontSize=11, color=TEXT_COLOURS["annotation"]).encode(text="label:N")
    top = shown.sort_values("share", ascending=False, kind="stable").head(3)
    # the share itself, then the counts it is made of as the bar's label writes them
    summary = i18n.t(lang, "chart_summary.shares", items=", ".join(
        f"{category} {fmt_share(share, lang)} ({label})"
        for category, share, label in zip(top["category"], top["share"], top["label"]))) if not top.empty else ""
    return themed((bars + text).properties(height=max(160, 30 * len(shown))), lang, title, subtitle, summary)


def count_bars_chart(frame: pd.DataFrame, lang: str, *, title: str, subtitle: str,
                     category_title: str, value_title: str) -> alt.Chart:
    """Plain horizontal bars. frame: category, value."""
    chart = alt.Chart(frame.dropna(subset=["value"])).mark_bar(color=PALETTE[0]).encode(
        y=alt.Y("category:N", title=None, sort="-x", axis=alt.Axis(labelLimit=360)),
        x=alt.X("value:Q", title=value_title, axis=alt.Axis(format=",d", tickMinStep=1)),
        tooltip=[alt.Tooltip("category:N", title=category_title),
                 alt.Tooltip("value:Q", title=value_title, format=",d")],
    ).properties(height=max(120, 30 * len(frame)))
    return themed(chart, lang, title, subtitle, summary_largest(lang, frame, "category"))


def capacity_chart(frame: pd.DataFrame, lang: str, *, title: str, subtitle: str,
                   month_title: str, value_title: str, series_title: str) -> alt.Chart:
    """Two lines over months. frame: month, series (label), value and, where months went
    unreported, segment: a line never crosses a gap (a month alone shows as its point)."""
    chart = alt.Chart(frame.dropna(subset=["value"])).mark_line(strokeWidth=3, point=True).encode(
        x=alt.X("yearmonth(month):O", title=month_title, axis=alt.Axis(format="%b %Y", labelAngle=-40)),
        y=alt.Y("value:Q", title=value_title, axis=alt.Axis(format=",d", tickMinStep=1)),
        color=alt.Color("series:N", title=series_title, scale=alt.Scale(range=CAPACITY_COLOURS)),
        strokeDash=alt.StrokeDash("series:N", title=series_title),
        detail="segment:N" if "segment" in frame else alt.Undefined,
        tooltip=[alt.Tooltip("yearmonth(month):T", title=month_title, format="%B %Y"),
                 alt.Tooltip("series:N", title=series_title),
                 alt.Tooltip("value:Q", title=value_title, format=",d")],
    ).properties(height=300)
    return themed(chart, lang, title, subtitle, summary_latest(lang, frame, "series", "value"))


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
    cells = base.mark_rect(stroke=BACKGROUND, strokeWidth=2).encode(
        color=alt.Color("state_label:N", title=state_title,
                        scale=alt.Scale(domain=white + reached,
                                        range=[WHITE_SPOT] * len(white) + [REACHED] * len(reached))),
        tooltip=[alt.Tooltip("sector_label:N", title=sector_title),
                 alt.Tooltip("municipality:N", title=municipality_title),
                 alt.Tooltip("state_label:N", title=state_title)],
    )
    marks = base.mark_text(fontSize=13, color=SYMBOL_COLOUR).encode(text="mark:N")
    height = 30 * frame["sector_label"].nunique()
    spots = frame[frame["is_white"]]
    items = [f"{sector} – {town}" for sector, town in zip(spots["sector_label"], spots["municipality"])]
    more = i18n.t(lang, "chart_summary.more", n=len(items) - 5) if len(items) > 5 else ""
    summary = i18n.t(lang, "chart_summary.white_spots", n=len(items), items=", ".join(items[:5]) + more) \
        if items else i18n.t(lang, "chart_summary.no_white_spots")
    return themed((cells + marks).properties(height=height), lang, title, subtitle, summary)

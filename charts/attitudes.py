"""Attitude change: the five stages over time (100 % stacked) and before/after per group."""

import altair as alt
import pandas as pd

import i18n
from charts import (
    PALETTE,
    SEPARATOR,
    STAGE_COLOURS,
    TEXT_COLOURS,
    chart_data,
    hidden_marks,
    summary_latest,
    themed,
    with_hidden_marks,
)
from i18n.formats import fmt_share


def stages_by_month_chart(frame: pd.DataFrame, lang: str, *, title: str, subtitle: str,
                          month_title: str, share_title: str, stage_title: str,
                          respondents_title: str, hidden_title: str = "") -> alt.Chart:
    """100 % stacked bars. frame: month, stage (1–5), stage_label, respondents, month_respondents,
    count (as shown: a hidden stage is left out of the bar and marked above it)."""
    stages = frame.sort_values("stage")[["stage", "stage_label"]].drop_duplicates()
    labels = stages["stage_label"].tolist()
    # a stage keeps its colour whichever stages are present
    colours = [STAGE_COLOURS[int(stage) - 1] for stage in stages["stage"]]
    # a hidden stage is no part of the bar (its "<5" is written above it): left in as a blank
    # value, it made Vega's 100 % of the month blank, and the whole month's bar was not drawn
    drawn = frame[frame["respondents"].notna()]
    chart = alt.Chart(chart_data(drawn)).mark_bar(**SEPARATOR).encode(
        x=alt.X("yearmonth(month):O", title=month_title, axis=alt.Axis(format="%b %Y", labelAngle=-40)),
        y=alt.Y("sum(respondents):Q", stack="normalize", title=share_title, axis=alt.Axis(format="%")),
        color=alt.Color("stage_label:N", title=stage_title, sort=labels,
                        scale=alt.Scale(domain=labels, range=colours)),
        order=alt.Order("stage:Q"),
        tooltip=[alt.Tooltip("yearmonth(month):T", title=month_title, format="%B %Y"),
                 alt.Tooltip("stage_label:N", title=stage_title),
                 alt.Tooltip("sum(respondents):Q", title=respondents_title, format=",d"),
                 alt.Tooltip("month_respondents:Q", title=f"{respondents_title} ({month_title})",
                             format=",d")],
    )
    marks = hidden_marks(frame.assign(value=frame["respondents"]), category="month", series="stage_label",
                         horizontal=False, encoding="yearmonth(month):O", normalized=True,
                         category_title=month_title, series_title=stage_title,
                         hidden_title=hidden_title or respondents_title) if "count" in frame else None
    return themed(with_hidden_marks(chart, marks).properties(height=340), lang, title, subtitle,
                  summary_latest(lang, frame, "stage_label", "respondents", share=True))


# the line joining before and after: it carries no value of its own, but still 3:1
CONNECTOR = "#8C8C8C"


def before_after_chart(frame: pd.DataFrame, lang: str, *, title: str, subtitle: str,
                       group_title: str, share_title: str, point_title: str) -> alt.Chart:
    """A dumbbell per respondent group. frame: group_label, point_label, point_order, share,
    respondents, label (share and n as text, written beside each dot), count (as shown: a point
    whose share is hidden is written as "<5" at the left edge instead of drawn)."""
    from queries.suppression import is_hidden

    drawn = frame.dropna(subset=["share"])
    groups = list(dict.fromkeys(frame["group_label"]))
    group = alt.Y("group_label:N", title=None, sort=groups, axis=alt.Axis(labelLimit=280))
    share = alt.X("share:Q", title=share_title, scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%"))
    base = alt.Chart(chart_data(drawn)).encode(y=group, x=share)
    line = base.mark_line(color=CONNECTOR, strokeWidth=3).encode(detail="group_label:N")
    dots = base.mark_circle(size=160, opacity=1).encode(
        color=alt.Color("point_label:N", title=point_title,
                        sort=alt.EncodingSortField("point_order", order="ascending"),
                        scale=alt.Scale(range=[PALETTE[1], PALETTE[0]])),
        tooltip=[alt.Tooltip("group_label:N", title=group_title),
                 alt.Tooltip("point_label:N", title=point_title),
                 alt.Tooltip("share:Q", title=share_title, format=".0%"),
                 alt.Tooltip("label:N", title=" ")],
    )
    text = base.mark_text(dy=-14, fontSize=11, color=TEXT_COLOURS["annotation"]).encode(text="label:N")
    layers = [line, dots, text]
    hidden = frame[frame["share"].isna() & frame["count"].map(is_hidden)] if "count" in frame else frame.iloc[0:0]
    if not hidden.empty:
        marks = hidden.groupby("group_label", sort=False).agg(
            text=("point_label", lambda points: ", ".join(points))).reset_index()
        marks["text"] = [f"{points}: {shown}" for points, shown in
                         zip(marks["text"], hidden.groupby("group_label", sort=False)["count"].first())]
        marks["at"] = 0.0
        layers.append(alt.Chart(marks).mark_text(align="left", dx=4, dy=14, fontSize=11, fontWeight="bold",
                                                 color=TEXT_COLOURS["hidden"]).encode(
            y=group, x=alt.X("at:Q", scale=alt.Scale(domain=[0, 1])), text="text:N"))
    return themed(alt.layer(*layers).properties(height=max(160, 60 * frame["group_label"].nunique())),
                  lang, title, subtitle, _before_after_summary(lang, drawn))


def _before_after_summary(lang: str, drawn: pd.DataFrame) -> str:
    """"Parents: before 40 %, after 70 %." — each group's drawn points in their order."""
    groups = []
    for group, points in drawn.sort_values("point_order").groupby("group_label", sort=False):
        shares = ", ".join(f"{point} {fmt_share(share, lang)}"
                           for point, share in zip(points["point_label"], points["share"]))
        groups.append(f"{group}: {shares}")
    return i18n.t(lang, "chart_summary.groups", items="; ".join(groups)) if groups else ""

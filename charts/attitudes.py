"""Attitude change: the five stages over time (100 % stacked) and before/after per group."""

import altair as alt
import pandas as pd

from charts import STAGE_COLOURS, themed


def stages_by_month_chart(frame: pd.DataFrame, lang: str, *, title: str, subtitle: str,
                          month_title: str, share_title: str, stage_title: str,
                          respondents_title: str) -> alt.Chart:
    """100 % stacked bars. frame: month, stage (1–5), stage_label, respondents, month_respondents."""
    stages = frame.sort_values("stage")[["stage", "stage_label"]].drop_duplicates()
    labels = stages["stage_label"].tolist()
    # a stage keeps its colour whichever stages are present
    colours = [STAGE_COLOURS[int(stage) - 1] for stage in stages["stage"]]
    chart = alt.Chart(frame).mark_bar().encode(
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
    ).properties(height=340)
    return themed(chart, lang, title, subtitle)


def before_after_chart(frame: pd.DataFrame, lang: str, *, title: str, subtitle: str,
                       group_title: str, share_title: str, point_title: str) -> alt.Chart:
    """A dumbbell per respondent group. frame: group_label, point_label, point_order, share,
    respondents, label (share and n as text, written beside each dot)."""
    base = alt.Chart(frame).encode(
        y=alt.Y("group_label:N", title=None, axis=alt.Axis(labelLimit=280)),
        x=alt.X("share:Q", title=share_title, scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%")),
    )
    line = base.mark_line(color="#999999", strokeWidth=3).encode(detail="group_label:N")
    dots = base.mark_circle(size=160, opacity=1).encode(
        color=alt.Color("point_label:N", title=point_title,
                        sort=alt.EncodingSortField("point_order", order="ascending"),
                        scale=alt.Scale(range=["#E69F00", "#0072B2"])),
        tooltip=[alt.Tooltip("group_label:N", title=group_title),
                 alt.Tooltip("point_label:N", title=point_title),
                 alt.Tooltip("share:Q", title=share_title, format=".0%"),
                 alt.Tooltip("label:N", title=" ")],
    )
    text = base.mark_text(dy=-14, fontSize=11, color="#333333").encode(text="label:N")
    return themed((line + dots + text).properties(height=max(160, 60 * frame["group_label"].nunique())),
                  lang, title, subtitle)

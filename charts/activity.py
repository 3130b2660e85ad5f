"""Activity volume: by type over time, and one dimension (organisation, sector, municipality) at a time."""

import altair as alt
import pandas as pd

from charts import themed


def type_by_month_chart(frame: pd.DataFrame, lang: str, *, title: str, subtitle: str,
                        month_title: str, value_title: str, type_title: str) -> alt.Chart:
    """Stacked monthly bars by activity type. frame: month, type_label, type_order, value."""
    chart = alt.Chart(frame).mark_bar().encode(
        x=alt.X("yearmonth(month):O", title=month_title, axis=alt.Axis(format="%b %Y", labelAngle=-40)),
        y=alt.Y("sum(value):Q", title=value_title, axis=alt.Axis(format=",d", tickMinStep=1)),
        color=alt.Color("type_label:N", title=type_title,
                        sort=alt.EncodingSortField("type_order", order="ascending")),
        order=alt.Order("type_order:Q"),
        tooltip=[alt.Tooltip("yearmonth(month):T", title=month_title, format="%B %Y"),
                 alt.Tooltip("type_label:N", title=type_title),
                 alt.Tooltip("sum(value):Q", title=value_title, format=",d")],
    ).properties(height=340)
    return themed(chart, lang, title, subtitle)


def groups_by_category_chart(frame: pd.DataFrame, lang: str, *, title: str, subtitle: str,
                             category_title: str, value_title: str, group_title: str) -> alt.Chart:
    """Horizontal bars split by activity group. frame: category, group_label, group_order, value
    (value is None where suppression hid it: nothing is drawn for it)."""
    height = max(160, 28 * frame["category"].nunique())
    chart = alt.Chart(frame.dropna(subset=["value"])).mark_bar().encode(
        y=alt.Y("category:N", title=None, sort="-x", axis=alt.Axis(labelLimit=360)),
        x=alt.X("sum(value):Q", title=value_title, axis=alt.Axis(format=",d", tickMinStep=1)),
        color=alt.Color("group_label:N", title=group_title,
                        sort=alt.EncodingSortField("group_order", order="ascending")),
        order=alt.Order("group_order:Q"),
        tooltip=[alt.Tooltip("category:N", title=category_title),
                 alt.Tooltip("group_label:N", title=group_title),
                 alt.Tooltip("sum(value):Q", title=value_title, format=",d")],
    ).properties(height=height)
    return themed(chart, lang, title, subtitle)

"""Activity volume: by type over time, and one dimension (organisation, sector, municipality) at a time."""

import altair as alt
import pandas as pd

from charts import SEPARATOR, chart_data, hidden_marks, summary_largest, summary_months, themed, with_hidden_marks


def type_by_month_chart(frame: pd.DataFrame, lang: str, *, title: str, subtitle: str,
                        month_title: str, value_title: str, type_title: str, hidden_title: str = "") -> alt.Chart:
    """Stacked monthly bars by activity type. frame: month, type_label, type_order, value, and
    count_activities as shown ("<5" where hidden: marked above the month's bar)."""
    chart = alt.Chart(chart_data(frame)).mark_bar(**SEPARATOR).encode(
        x=alt.X("yearmonth(month):O", title=month_title, axis=alt.Axis(format="%b %Y", labelAngle=-40)),
        y=alt.Y("sum(value):Q", title=value_title, axis=alt.Axis(format=",d", tickMinStep=1)),
        color=alt.Color("type_label:N", title=type_title,
                        sort=alt.EncodingSortField("type_order", order="ascending")),
        order=alt.Order("type_order:Q"),
        tooltip=[alt.Tooltip("yearmonth(month):T", title=month_title, format="%B %Y"),
                 alt.Tooltip("type_label:N", title=type_title),
                 alt.Tooltip("sum(value):Q", title=value_title, format=",d")],
    )
    marks = hidden_marks(frame, category="month", series="type_label", horizontal=False,
                         encoding="yearmonth(month):O", count="count_activities", category_title=month_title,
                         series_title=type_title, hidden_title=hidden_title or value_title) \
        if "count_activities" in frame else None
    summary = " ".join(filter(None, (summary_months(lang, frame), summary_largest(lang, frame, "type_label"))))
    return themed(with_hidden_marks(chart, marks).properties(height=340), lang, title, subtitle, summary)


def groups_by_category_chart(frame: pd.DataFrame, lang: str, *, title: str, subtitle: str,
                             category_title: str, value_title: str, group_title: str,
                             hidden_title: str = "") -> alt.Chart:
    """Horizontal bars split by activity group. frame: category, group_label, group_order, value,
    count (as shown: where it is "<5", value is None and a mark after the bar says so)."""
    height = max(160, 28 * frame["category"].nunique())
    # largest first, by what is drawn; a category with only hidden parts keeps its row
    order = frame.groupby("category")["value"].sum(min_count=1).fillna(0).sort_values(ascending=False)
    category = alt.Y("category:N", title=None, sort=list(order.index), axis=alt.Axis(labelLimit=360))
    chart = alt.Chart(chart_data(frame.dropna(subset=["value"]))).mark_bar(**SEPARATOR).encode(
        y=category,
        x=alt.X("sum(value):Q", title=value_title, axis=alt.Axis(format=",d", tickMinStep=1)),
        color=alt.Color("group_label:N", title=group_title,
                        sort=alt.EncodingSortField("group_order", order="ascending")),
        order=alt.Order("group_order:Q"),
        tooltip=[alt.Tooltip("category:N", title=category_title),
                 alt.Tooltip("group_label:N", title=group_title),
                 alt.Tooltip("sum(value):Q", title=value_title, format=",d")],
    )
    marks = hidden_marks(frame, category="category", series="group_label", horizontal=True,
                         encoding="category:N", sort=list(order.index), category_title=category_title,
                         series_title=group_title,
                         hidden_title=hidden_title or value_title) if "count" in frame else None
    return themed(with_hidden_marks(chart, marks).properties(height=height), lang, title, subtitle,
                  summary_largest(lang, frame, "category"))

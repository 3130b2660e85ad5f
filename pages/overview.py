"""Overview: the headline tiles for the chosen period against the one before, and the monthly trend."""

import streamlit as st

from charts import monthly_trend_chart
from queries.periods import add_months
from ui import data, narrative, tables, widgets
from ui.context import ALL_ROLES, page_context, require_role
from ui.safe_text import escape_markdown

ctx = page_context()
require_role(ctx, ALL_ROLES)
period, previous = ctx.period, ctx.comparison
now, before = data.figures(ctx, period), data.figures(ctx, previous)

st.markdown(widgets.overview_sentences(ctx, now, before))
st.caption(ctx.t("overview.compared", period=period.label(ctx.lang), previous=previous.label(ctx.lang),
                 scope=escape_markdown(widgets.scope_label(ctx))))

tiles = [
    ("overview.tile_total", ("activities", "total"), "count", "normal"),
    ("overview.tile_client_work", ("activities", "client_work"), "count", "normal"),
    ("overview.tile_development", ("activities", "development_advocacy"), "count", "normal"),
    ("overview.tile_curious", ("attitudes", "curious_or_better_share"), "share", "normal"),
    ("overview.tile_unmet", ("demand", "unmet_share"), "share", "inverse"),
    ("overview.tile_completeness", ("completeness", "rate"), "share", "normal"),
]
for row in (tiles[:3], tiles[3:]):
    for column, (key, path, kind, colour) in zip(st.columns(3), row):
        with column:
            widgets.metric_tile(ctx, key, now[path[0]][path[1]], before[path[0]][path[1]], kind, colour,
                                compare=narrative.comparable(now))
widgets.privacy_legend(ctx, any(isinstance(now[path[0]][path[1]], str) for _, path, _, _ in tiles))

trend = widgets.activity_groups_by_month(ctx, previous.from_month, period.to_month)
chart = monthly_trend_chart(
    trend, ctx.lang,
    title=ctx.t("overview.trend_title"),
    subtitle=f"{widgets.span_label(ctx, previous.from_month, period.to_month)} · {widgets.scope_label(ctx)}",
    month_title=ctx.t("common.month"), value_title=ctx.t("common.activities"),
    series_title=ctx.t("common.activity_group"),
    comparison_end=add_months(previous.to_month, 1), comparison_end_title=ctx.t("overview.comparison_ends"),
)
widgets.chart_with_data(ctx, chart, tables.readable(trend, ctx.lang, {
    "month": "common.month", "series": "common.activity_group", "count": "common.activities"}),
    key="overview_trend", protected=True)

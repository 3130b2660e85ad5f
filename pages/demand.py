"""Public-sector demand: status by sector, unmet share, reasons, old open requests, capacity, white spots."""

import streamlit as st

from charts.demand import (
    capacity_chart,
    count_bars_chart,
    share_bars_chart,
    status_by_sector_chart,
    white_spot_matrix,
)
from ui import data, demand_tables, narrative, tables, widgets
from ui.context import ALL_ROLES, page_context, require_role

ctx = page_context()
require_role(ctx, ALL_ROLES)
now = data.figures(ctx)
subtitle = f"{ctx.period.label(ctx.lang)} · {widgets.scope_label(ctx)}"
sessions = ctx.t("demand.sessions")

st.markdown(narrative.demand_sentences(ctx, now))

by_sector = demand_tables.status_by_sector(ctx, data.query(ctx, "demand_by_sector"))
chart = status_by_sector_chart(by_sector, ctx.lang, title=ctx.t("demand.status_title"), subtitle=subtitle,
                               sector_title=ctx.t("common.sector"), value_title=sessions,
                               status_title=ctx.t("demand.status"))
widgets.chart_with_data(ctx, chart, tables.readable(by_sector, ctx.lang, {
    "sector_label": "common.sector", "status_label": "demand.status", "count": "demand.sessions"}),
    key="demand_status")

unmet = demand_tables.unmet_by_sector(ctx, data.query(ctx, "demand_by_sector"))
chart = share_bars_chart(unmet, ctx.lang, title=ctx.t("demand.unmet_title"), subtitle=subtitle,
                         category_title=ctx.t("common.sector"), share_title=ctx.t("demand.unmet_share"))
widgets.chart_with_data(ctx, chart, tables.readable(unmet, ctx.lang, {
    "category": "common.sector", "count_unmet": "demand.unmet", "count_decided": "demand.decided",
    "share": "demand.unmet_share"}), key="demand_unmet")

reasons = demand_tables.reasons(ctx, data.query(ctx, "demand_by_reason"))
chart = count_bars_chart(reasons, ctx.lang, title=ctx.t("demand.reasons_title"), subtitle=subtitle,
                         category_title=ctx.t("demand.reason"), value_title=sessions)
widgets.chart_with_data(ctx, chart, tables.readable(reasons, ctx.lang, {
    "category": "demand.reason", "count": "demand.sessions"}), key="demand_reasons")

st.subheader(ctx.t("demand.open_title"))
old_open = demand_tables.open_over_60_days(ctx, data.query(ctx, "demand_open_over_60_days"))
widgets.table_with_downloads(ctx, old_open, key="demand_open", empty_key="demand.open_none")

capacity = demand_tables.capacity(ctx, data.query(ctx, "capacity_by_month"))
chart = capacity_chart(capacity, ctx.lang, title=ctx.t("demand.capacity_title"), subtitle=subtitle,
                       month_title=ctx.t("common.month"), value_title=ctx.t("demand.capacity_value"),
                       series_title=ctx.t("demand.series"))
widgets.chart_with_data(ctx, chart, tables.readable(capacity, ctx.lang, {
    "month": "common.month", "series": "demand.series", "count": "demand.capacity_value"}),
    # every month of the period has a row: nothing to draw when not one of them has a count
    key="demand_capacity", empty=tables.without_zero_counts(capacity).empty)

spots = demand_tables.white_spots(ctx, data.query(ctx, "white_spots_by_sector_municipality"),
                                  data.query(ctx, "activities_by_municipality"),
                                  data.query(ctx, "demand_by_municipality"))
st.caption(ctx.t("demand.white_spots_explained"))
chart = white_spot_matrix(spots, ctx.lang, title=ctx.t("demand.white_spots_title"),
                          subtitle=f"{ctx.t('demand.last_12_months', month=ctx.period.to_month.strftime('%m/%Y'))}"
                                   f" · {widgets.scope_label(ctx)}",
                          sector_title=ctx.t("common.sector"), municipality_title=ctx.t("common.municipality"),
                          state_title=ctx.t("demand.white_spot_state"))
widgets.chart_with_data(ctx, chart, tables.readable(spots[spots["is_white"]], ctx.lang, {
    "sector_label": "common.sector", "municipality": "common.municipality"}), key="demand_white_spots",
    empty=spots.empty)

"""Activity volume: by type over time, by organisation, sector and municipality; reach and feedback."""

import streamlit as st

from charts.activity import groups_by_category_chart, type_by_month_chart
from ui import data, narrative, tables, widgets
from ui.context import ALL_ROLES, page_context, require_role

ctx = page_context()
require_role(ctx, ALL_ROLES)
now, before = data.figures(ctx), data.figures(ctx, ctx.comparison)
subtitle = f"{ctx.period.label(ctx.lang)} · {widgets.scope_label(ctx)}"

st.markdown(narrative.activity_sentences(ctx, now, before))
widgets.reach_tiles(ctx, now)

by_month = tables.with_labels(data.query(ctx, "activities_by_month"), ctx.lang, {"activity_type": "activity_type"})
by_month = tables.protect(ctx, by_month, ["count_activities"], protected_rows=tables.protected_types(by_month))
by_month["month"], by_month["value"] = by_month["activity_month"], tables.drawable(by_month["count_activities"])
chart = type_by_month_chart(
    by_month.rename(columns={"activity_type_label": "type_label", "activity_type_order": "type_order"}),
    ctx.lang, title=ctx.t("activity.by_type_title"), subtitle=subtitle, month_title=ctx.t("common.month"),
    value_title=ctx.t("common.activities"), type_title=ctx.t("common.activity_type"))
widgets.chart_with_data(ctx, chart, tables.readable(by_month, ctx.lang, {
    "activity_month": "common.month", "activity_type_label": "common.activity_type",
    "count_activities": "common.activities"}), key="activity_by_type", protected=True)

for name, category, title_key, category_key in (
    ("activities_by_organisation", "org_name", "activity.by_org_title", "common.organisation"),
    ("activities_by_sector", "target_sector", "activity.by_sector_title", "common.sector"),
    ("activities_by_municipality", "municipality", "activity.by_municipality_title", "common.municipality"),
):
    rows = widgets.groups_long(ctx, data.query(ctx, name), category)
    chart = groups_by_category_chart(
        rows, ctx.lang, title=ctx.t(title_key), subtitle=subtitle, category_title=ctx.t(category_key),
        value_title=ctx.t("common.activities"), group_title=ctx.t("common.activity_group"))
    widgets.chart_with_data(ctx, chart, tables.readable(rows, ctx.lang, {
        "category": category_key, "group_label": "common.activity_group", "count": "common.activities"}),
        key=f"activity_{category}", protected=True)

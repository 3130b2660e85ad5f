"""Attitude change: the five stages over time, and before against after per respondent group."""

import streamlit as st

from charts.attitudes import before_after_chart, stages_by_month_chart
from ui import attitude_tables, data, narrative, tables, widgets
from ui.context import ALL_ROLES, page_context, require_role

ctx = page_context()
require_role(ctx, ALL_ROLES)
now = data.figures(ctx)
subtitle = f"{ctx.period.label(ctx.lang)} · {widgets.scope_label(ctx)}"

st.markdown(narrative.attitude_sentences(ctx, now))

stages = attitude_tables.stages_by_month(ctx, data.query(ctx, "attitudes_by_month"))
chart = stages_by_month_chart(
    stages, ctx.lang, title=ctx.t("attitudes.by_month_title"), subtitle=subtitle,
    month_title=ctx.t("common.month"), share_title=ctx.t("attitudes.share"),
    stage_title=ctx.t("attitudes.stage"), respondents_title=ctx.t("attitudes.respondents"))
widgets.small_sample_caution(ctx, stages.groupby("month")["month_respondents"].first())
widgets.chart_with_data(ctx, chart, tables.readable(stages, ctx.lang, {
    "month": "common.month", "stage_label": "attitudes.stage", "count": "attitudes.respondents",
    "respondents_share": "attitudes.share_of_month"}), key="attitudes_by_month", protected=True)

shift = attitude_tables.before_after(ctx, data.query(ctx, "attitude_shift_by_group"))
if shift.empty:
    st.info(ctx.t("attitudes.no_before_after"))
else:
    chart = before_after_chart(
        shift, ctx.lang, title=ctx.t("attitudes.shift_title"), subtitle=subtitle,
        group_title=ctx.t("attitudes.group"), share_title=ctx.t("attitudes.curious_share"),
        point_title=ctx.t("attitudes.point"))
    widgets.small_sample_caution(ctx, shift["respondents"])
    widgets.chart_with_data(ctx, chart, tables.readable(shift, ctx.lang, {
        "group_label": "attitudes.group", "point_label": "attitudes.point", "count": "attitudes.respondents",
        "share": "attitudes.curious_share", "shift_points": "attitudes.shift_points"}),
        key="attitudes_shift", protected=True)

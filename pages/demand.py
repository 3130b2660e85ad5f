"""Public-sector demand: status by sector, unmet share, reasons, old open requests, capacity, white spots."""

import streamlit as st

from ui import data, demand_tables, narrative, views, widgets
from ui.context import ALL_ROLES, page_context, require_role

ctx = page_context()
require_role(ctx, ALL_ROLES)
now = data.figures(ctx, sections=("demand",))

st.markdown(narrative.demand_sentences(ctx, now))
for view in (views.demand_status, views.demand_unmet, views.demand_reasons):
    widgets.show_view(ctx, view(ctx))

old_open = demand_tables.open_over_60_days(ctx, data.query(ctx, "demand_open_over_60_days"))
widgets.table_with_downloads(ctx, old_open, key="demand_open", empty_key="demand.open_none",
                             title_key="demand.open_title")

widgets.show_view(ctx, views.demand_capacity(ctx))
# people and sessions on one axis: why "no free expert" can lead while the experts are more
st.caption(ctx.t("demand.capacity_explained"))
st.caption(ctx.t("demand.white_spots_explained"))
widgets.show_view(ctx, views.demand_white_spots(ctx))

"""Activity volume: by type over time, by organisation, sector and municipality; reach and feedback."""

import streamlit as st

from ui import data, narrative, views, widgets
from ui.context import ALL_ROLES, page_context, require_role

ctx = page_context()
require_role(ctx, ALL_ROLES)
now, before = data.figures(ctx, sections=("activities",)), data.figures(ctx, ctx.comparison, ("activities",))

st.markdown(narrative.activity_sentences(ctx, now, before))
widgets.reach_tiles(ctx, now)
widgets.show_view(ctx, views.activity_by_type(ctx))
for category in views.ACTIVITY_CATEGORIES:
    widgets.show_view(ctx, views.activity_by(ctx, category))

"""Attitude change: the five stages over time, and before against after per respondent group."""

import streamlit as st

from ui import data, narrative, views, widgets
from ui.context import ALL_ROLES, page_context, require_role

ctx = page_context()
require_role(ctx, ALL_ROLES)
now = data.figures(ctx, sections=("attitudes",))

st.markdown(narrative.attitude_sentences(ctx, now))
widgets.show_view(ctx, views.attitudes_by_month(ctx))
widgets.show_view(ctx, views.attitudes_shift(ctx), empty_key="attitudes.no_before_after")

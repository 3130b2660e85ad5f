"""Admin, for leadership: who may sign in and in which role, the organisations, locked months."""

import streamlit as st

from ui import admin_views as views
from ui.context import LEADERSHIP, page_context, require_role

ctx = page_context()
require_role(ctx, LEADERSHIP)

views.render_done(ctx)
people, domains, organisations, locks = st.tabs([
    ctx.t("admin.tab_people"), ctx.t("admin.tab_domains"), ctx.t("admin.tab_orgs"), ctx.t("admin.tab_locks")])
with people:
    views.render_people(ctx)
with domains:
    views.render_domain_rules(ctx)
with organisations:
    views.render_organisations(ctx)
with locks:
    views.render_locks(ctx)

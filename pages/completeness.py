"""Reporting completeness: who has sent each month, and who is missing last month."""

import streamlit as st

from i18n.formats import fmt_month
from queries.periods import last_complete_month
from ui import completeness_tables, data, narrative, views, widgets
from ui.context import ALL_ROLES, page_context, require_role

ctx = page_context()
require_role(ctx, ALL_ROLES)
now = data.figures(ctx, sections=())
last = last_complete_month(ctx.today)
missing_last = completeness_tables.missing_in(data.query(ctx, "reporting_by_organisation_month", period=last))

st.markdown(narrative.completeness_sentences(ctx, now, missing_last, fmt_month(last.from_month, ctx.lang)))
widgets.show_view(ctx, views.completeness_grid(ctx))

by_org = completeness_tables.by_organisation(ctx, data.query(ctx, "completeness_by_organisation"))
widgets.table_with_downloads(ctx, by_org, key="completeness_by_org", empty_key="completeness.none_expected",
                             title_key="completeness.by_org_title")

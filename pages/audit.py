"""Audit log, for leadership: sign-ins, uploads, refusals, rollbacks, locks, role and registry changes."""

from datetime import timedelta

import streamlit as st

import i18n
from ui.audit_views import audit_table
from ui.context import LEADERSHIP, organisation_names, page_context, require_role
from ui.exports import to_csv_bytes
from warehouse.access import list_audit

ctx = page_context()
require_role(ctx, LEADERSHIP)

SPANS = {"30": 30, "90": 90, "365": 365, "all": None}
span = st.selectbox(ctx.t("audit.span"), list(SPANS), format_func=lambda s: ctx.t(f"audit.span_{s}"),
                    key="audit_span")
days = SPANS[span]
log = list_audit(ctx.warehouse, since=ctx.today - timedelta(days=days) if days else None)
actions = sorted(set(log["action"]), key=lambda a: ctx.t(f"audit.action.{a}"))
chosen = st.multiselect(ctx.t("audit.actions"), actions, format_func=lambda a: ctx.t(f"audit.action.{a}"),
                        placeholder=ctx.t("filters.all"), key="audit_actions", select_all=False)
if chosen:
    log = log[log["action"].isin(chosen)]
st.write(i18n.t_count(ctx.lang, "audit.intro", len(log), count=len(log)))
table = audit_table(ctx.lang, log, dict(organisation_names(ctx.warehouse, ctx.data_version)))
st.dataframe(table, hide_index=True, width="stretch", key="audit_table")
st.download_button(ctx.t("audit.download"), to_csv_bytes(table, ctx.lang), f"{ctx.t('audit.file')}.csv",
                   mime="text/csv", icon=":material/download:", key="audit_csv")

"""The upload page's Google Sheet: connect an organisation's sheet once (address, check access,
the same preview as a file, confirm), then Sync now whenever it changes (docs/google-sheets.md)."""

import streamlit as st

from data_sources.gsheets import SheetError, account_email, client_for, read_sheet, sheet_key
from i18n.formats import fmt_local_time
from ui.context import PageContext
from ui.safe_text import escape_markdown
from ui.upload_views import (
    _preview_protection,
    _render_refusal,
    _render_stored,
    _render_warnings,
    _sender_org,
    note_months_not_yet_shown,
    preview_sentence,
    render_preview_table,
)
from warehouse.ledger import PeriodLocked, record_refusal
from warehouse.sheets import SOURCE, connect_sheet, connections, preview_sheet, store_sheet, sync_sheet

_KEY = "sheet"


def render_sheet(ctx: PageContext, org_code: str | None) -> None:
    st.subheader(ctx.t("gsheets.title"))
    if org_code is None:
        st.caption(ctx.t("gsheets.choose_org"))   # a sheet is one organisation's
        return
    org_code = _sender_org(ctx, org_code)
    try:
        account = account_email(ctx.settings)
        client = client_for(ctx.settings)
    except SheetError as error:
        # the setting's name is for leadership, who can ask for it; a member is told what to do instead
        member = error.code == "no_account" and ctx.role != "leadership"
        st.info(ctx.t("gsheets.not_configured_member") if member else error.message(ctx.lang), icon=":material/info:")
        return
    st.markdown(ctx.t("gsheets.share_with"))
    st.code(account, language=None)   # with Streamlit's copy button
    found = connections(ctx.warehouse, org_code)
    if found:
        _render_connected(ctx, client, found[0], account)
    _render_connect(ctx, client, org_code, account, replacing=bool(found))


def _when(ctx: PageContext, moment) -> str:
    return fmt_local_time(moment, ctx.lang) if moment else "–"


def _render_connected(ctx: PageContext, client, connection, account: str) -> None:
    key = f"{_KEY}_{connection.org_code}"
    with st.container(border=True):
        st.markdown(ctx.t("gsheets.connected", title=escape_markdown(connection.title),
                          when=_when(ctx, connection.last_synced_at), version=connection.last_version or "–"))
        if st.button(ctx.t("gsheets.sync_now"), key=f"{key}_sync", type="primary", icon=":material/sync:"):
            with st.spinner(ctx.t("gsheets.reading")):
                try:
                    st.session_state[f"{key}_synced"] = sync_sheet(
                        ctx.warehouse, client, connection, uploaded_by=ctx.actor, settings=ctx.settings)
                except SheetError as error:
                    st.session_state[f"{key}_synced"] = error
                except PeriodLocked:   # a month locked between the sync's check and its store
                    st.session_state[f"{key}_synced"] = "locked"
            st.rerun()
        outcome = st.session_state.pop(f"{key}_synced", None)
        if outcome == "locked":
            st.error(ctx.t("gsheets.locked_meanwhile"), icon=":material/lock:")
        elif isinstance(outcome, SheetError):
            st.error(outcome.message(ctx.lang, account=account), icon=":material/error:")
        elif outcome is not None and outcome.checked is None:
            st.info(ctx.t("gsheets.unchanged_revision"), icon=":material/check:")
        elif outcome is not None and not outcome.checked.ok:
            _render_refusal(ctx, outcome.checked, f"{key}_sync_result", "gsheets")
        elif outcome is not None and outcome.stored.unchanged:
            st.info(ctx.t("gsheets.unchanged_content"), icon=":material/check:")
        elif outcome is not None:
            _render_stored(ctx, outcome.stored)


def _render_connect(ctx: PageContext, client, org_code: str, account: str, replacing: bool) -> None:
    key = f"{_KEY}_{org_code}_new"
    # a new box after each connection (a widget keeps what was typed in it under its key)
    generation = st.session_state.get(f"{key}_generation", 0)
    address = st.text_input(ctx.t("gsheets.address_other" if replacing else "gsheets.address"),
                            key=f"{key}_address_{generation}", placeholder="https://docs.google.com/spreadsheets/d/…",
                            help=ctx.t("gsheets.address_help"))
    if st.button(ctx.t("gsheets.check"), key=f"{key}_check", icon=":material/fact_check:"):
        st.session_state.pop(f"{key}_read", None)
        try:
            with st.spinner(ctx.t("gsheets.reading")):
                content = read_sheet(client, sheet_key(address), ctx.settings)
                checked, preview = preview_sheet(ctx.warehouse, content, org_code,
                                                 protect_below=_preview_protection(ctx), settings=ctx.settings)
        except SheetError as error:
            st.error(error.message(ctx.lang, account=account), icon=":material/error:")
            return
        if not checked.ok:   # recorded once per check, as a file's refusal is: codes, never values
            record_refusal(ctx.warehouse, checked, uploaded_by=ctx.actor, org_code=org_code, source=SOURCE)
        st.session_state[f"{key}_read"] = (content, checked, preview)
    read = st.session_state.get(f"{key}_read")
    stored = st.session_state.pop(f"{key}_stored", None)
    if stored is not None and stored.unchanged:
        st.info(ctx.t("gsheets.unchanged_content"), icon=":material/check:")
    elif stored is not None:
        _render_stored(ctx, stored)
    if read is None:
        return
    content, checked, preview = read
    with st.container(border=True):
        st.markdown(f"**{escape_markdown(checked.file_name)}**")
        if not checked.ok:
            _render_refusal(ctx, checked, key, "gsheets")
            return
        _render_warnings(ctx, checked, key)
        st.write(preview_sentence(ctx.lang, preview))
        if not preview.unchanged:
            note_months_not_yet_shown(ctx, preview)
            render_preview_table(ctx, preview, key, org_code)
        if st.button(ctx.t("gsheets.confirm"), key=f"{key}_confirm", type="primary", icon=":material/link:"):
            connect_sheet(ctx.warehouse, org_code, content, actor=ctx.actor)
            try:
                result = store_sheet(ctx.warehouse, content, checked, org_code, uploaded_by=ctx.actor)
            except PeriodLocked:
                record_refusal(ctx.warehouse, checked, uploaded_by=ctx.actor, org_code=org_code, source=SOURCE,
                               codes=["locked_period"])
                st.error(ctx.t("gsheets.locked_meanwhile"), icon=":material/lock:")
                return
            del st.session_state[f"{key}_read"]
            st.session_state[f"{key}_generation"] = generation + 1   # connected: an empty box for another
            st.session_state[f"{key}_stored"] = result
            st.rerun()

"""The pieces of the upload page: templates, the check of one file, its preview, history."""

import hashlib
from datetime import date

import pandas as pd
import streamlit as st

import i18n
from data_sources.problems import CheckedUpload, redact
from data_sources.vocabulary import SHEETS
from i18n.formats import fmt_number
from ui.context import PageContext
from ui.exports import to_xlsx_bytes
from ui.safe_text import escape_markdown
from warehouse.imports import check_and_preview
from warehouse.ledger import (
    RollbackError,
    UploadPreview,
    list_uploads,
    record_refusal,
    rollback_upload,
    store_upload,
)
from warehouse.organisations import list_organisations

_KEY = "upload"  # session-state prefix of this page
NO_ORG = "__file__"
MAX_LISTED = 15


def render_templates(ctx: PageContext) -> None:
    from data_sources.templates import template_csv, template_workbook

    st.subheader(ctx.t("upload.templates_title"))
    st.write(ctx.t("upload.templates_intro"))
    columns = st.columns([2] + [1] * len(SHEETS))
    columns[0].download_button(
        ctx.t("upload.template_xlsx"), template_workbook(ctx.lang),
        f"{ctx.t('upload.template_file')}.xlsx", key=f"{_KEY}_template_xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/download:", type="primary",
    )
    for column, sheet in zip(columns[1:], SHEETS):
        name = i18n.label(ctx.lang, "sheet", sheet)
        column.download_button(
            ctx.t("upload.template_csv", sheet=name), template_csv(sheet, ctx.lang),
            f"{name}.csv", mime="text/csv", key=f"{_KEY}_template_{sheet}",
            icon=":material/download:",
        )


def render_org_picker(ctx: PageContext) -> str | None:
    """Which organisation the files are sent for; None when the file names it in a column."""
    orgs = {o.org_code: o.org_name for o in list_organisations(ctx.warehouse)}
    options = list(orgs) + [NO_ORG]
    chosen = st.selectbox(
        ctx.t("upload.org"), options, key=f"{_KEY}_org",
        format_func=lambda code: ctx.t("upload.org_in_file") if code == NO_ORG else orgs[code],
        help=ctx.t("upload.org_help"),
    )
    return None if chosen == NO_ORG else chosen


def _state_key(name: str, data: bytes, org_code: str | None) -> str:
    return f"{_KEY}_{hashlib.sha256(data).hexdigest()[:16]}_{org_code}_{name}"


def render_files(ctx: PageContext, files: list, org_code: str | None) -> None:
    """Each uploaded file in turn, with a progress bar while several are being checked."""
    progress = st.progress(0.0) if len(files) > 1 else None
    for done, file in enumerate(files, start=1):
        render_file(ctx, file.name, file.getvalue(), org_code)
        if progress is not None:
            progress.progress(done / len(files), text=ctx.t("upload.progress", done=done, total=len(files)))
    if progress is not None:
        progress.empty()


def render_file(ctx: PageContext, name: str, data: bytes, org_code: str | None) -> None:
    key = _state_key(name, data, org_code)
    # the name as every answer about the file gives it (personal data masked), and as text:
    # it is the sender's, never Markdown
    shown_name = escape_markdown(redact(name))
    with st.container(border=True):
        st.markdown(f"**{shown_name}**")
        if f"{key}_checked" not in st.session_state:
            with st.status(ctx.t("upload.checking", name=shown_name), expanded=False) as status:
                checked, preview = check_and_preview(ctx.warehouse, name, data, org_code=org_code,
                                                     settings=ctx.settings)
                status.update(label=ctx.t("upload.checked", name=shown_name), state="complete")
            if not checked.ok:
                # once per check of this content, as the command line does: codes, never values
                record_refusal(ctx.warehouse, checked, uploaded_by=ctx.role, org_code=org_code,
                               source="app")
            st.session_state[f"{key}_checked"] = (checked, preview)
        checked, preview = st.session_state[f"{key}_checked"]
        if not checked.ok:
            _render_refusal(ctx, checked, key)
            return
        _render_warnings(ctx, checked, key)
        stored = st.session_state.get(f"{key}_stored")
        if stored is not None:
            _render_stored(ctx, stored)
            return
        st.write(preview_sentence(ctx.lang, preview))
        if preview.unchanged:
            return
        if st.button(ctx.t("upload.confirm"), key=f"{key}_confirm", type="primary",
                     icon=":material/check:"):
            result = store_upload(ctx.warehouse, checked, len(data), uploaded_by=ctx.role,
                                  org_code=org_code, source="app")
            st.session_state[f"{key}_stored"] = result
            st.rerun()


def problems_table(lang: str, problems) -> pd.DataFrame:
    """The problems as the user reads them: sheet, row, column, value, what to do."""
    t = lambda k: i18n.t(lang, f"upload.col_{k}")  # noqa: E731
    return pd.DataFrame({
        t("sheet"): [i18n.label(lang, "sheet", p.sheet) if p.sheet in SHEETS else (p.sheet or "")
                     for p in problems],
        t("row"): [p.row if p.row is not None else "" for p in problems],
        t("column"): [p.column or "" for p in problems],
        t("value"): [p.value or "" for p in problems],
        t("message"): [p.message(lang) for p in problems],
    }).astype(str)


def _render_refusal(ctx: PageContext, checked: CheckedUpload, key: str) -> None:
    st.error(i18n.t_count(ctx.lang, "upload.refused", len(checked.errors), count=len(checked.errors)),
             icon=":material/block:")
    # a list reads best for the few problems most files have; the table and its download
    # carry every problem for the rare file with many
    # a message quotes the file's own cells and headers: shown as text, never as Markdown
    st.markdown("\n".join(f"- {escape_markdown(p.message(ctx.lang))}" for p in checked.errors[:MAX_LISTED]))
    if len(checked.errors) > MAX_LISTED:
        st.caption(ctx.t("upload.more_problems", count=len(checked.errors) - MAX_LISTED))
    table = problems_table(ctx.lang, checked.errors + checked.warnings)
    st.dataframe(table, hide_index=True, width="stretch")
    st.download_button(ctx.t("upload.problems_download"), to_xlsx_bytes(table),
                       f"{ctx.t('upload.problems_file')}.xlsx", key=f"{key}_problems",
                       icon=":material/download:")


def _render_warnings(ctx: PageContext, checked: CheckedUpload, key: str) -> None:
    if checked.warnings:
        st.warning(i18n.t_count(ctx.lang, "upload.warnings", len(checked.warnings), count=len(checked.warnings)),
                   icon=":material/info:")
        st.dataframe(problems_table(ctx.lang, checked.warnings), hide_index=True, width="stretch")


def _render_stored(ctx: PageContext, result) -> None:
    st.success(ctx.t("upload.stored", upload_id=result.upload_id,
                     added=fmt_number(result.rows_added, ctx.lang),
                     replaced=fmt_number(result.rows_replaced, ctx.lang)),
               icon=":material/task_alt:")


def month_spans(months: list[date]) -> str:
    """[2025-01, 2025-02, 2025-03, 2025-06] -> '1–3/2025, 6/2025'."""
    spans, start, previous = [], None, None
    for month in sorted(months):
        index = month.year * 12 + month.month
        if start is None or index != previous[1] + 1:
            if start is not None:
                spans.append((start, previous[0]))
            start = month
        previous = (month, index)
    if start is not None:
        spans.append((start, previous[0]))
    texts = []
    for first, last in spans:
        if first == last:
            texts.append(f"{first.month}/{first.year}")
        elif first.year == last.year:
            texts.append(f"{first.month}–{last.month}/{last.year}")
        else:
            texts.append(f"{first.month}/{first.year}–{last.month}/{last.year}")
    return ", ".join(texts)


def preview_sentence(lang: str, preview: UploadPreview) -> str:
    """'Adds 42 rows for 1–3/2025 and replaces 40 rows sent on 2.4.2025.'"""
    if preview.unchanged:
        return i18n.t(lang, "upload.preview_unchanged")
    text = i18n.t_count(lang, "upload.preview_adds", preview.rows_added, rows=fmt_number(preview.rows_added, lang),
                  months=month_spans(preview.months))
    if preview.superseded:
        dates = ", ".join(sorted({f"{r.uploaded_at.day}.{r.uploaded_at.month}.{r.uploaded_at.year}"
                                  for r in preview.superseded}))
        text += " " + i18n.t_count(lang, "upload.preview_replaces", preview.rows_replaced,
                             rows=fmt_number(preview.rows_replaced, lang), dates=dates)
    else:
        text += " " + i18n.t(lang, "upload.preview_nothing_replaced")
    return text


def render_history(ctx: PageContext, org_code: str | None) -> None:
    st.subheader(ctx.t("upload.history_title"))
    ledger = list_uploads(ctx.warehouse, [org_code] if org_code else None)
    if ledger.empty:
        st.caption(ctx.t("upload.history_empty"))
        return
    t = lambda k: ctx.t(f"upload.hist_{k}")  # noqa: E731
    names = {o.org_code: o.org_name for o in list_organisations(ctx.warehouse)}
    shown = pd.DataFrame({
        t("id"): ledger["upload_id"],
        t("when"): pd.to_datetime(ledger["uploaded_at"]).dt.strftime("%d.%m.%Y %H:%M"),
        t("org"): [names.get(code, code) if code else "–" for code in ledger["org_code"]],
        t("file"): ledger["file_name"],
        t("months"): [month_spans(list(pd.date_range(a, b, freq="MS").date)) if pd.notna(a) else ""
                      for a, b in zip(ledger["first_month"], ledger["last_month"])],
        t("added"): ledger["rows_added"],
        t("replaced"): ledger["rows_replaced"],
        t("state"): [ctx.t("upload.state_rolled_back") if pd.notna(r) else
                     (ctx.t("upload.state_in_force") if n > 0 else ctx.t("upload.state_replaced"))
                     for r, n in zip(ledger["rolled_back_at"], ledger["count_sheet_months_in_force"])],
    })
    st.dataframe(shown, hide_index=True, width="stretch")
    # an upload sent for several organisations (by network staff) is listed in each one's
    # history, but only offered for rollback where it was sent from: it withdraws every month
    active = [int(u) for u, r, o in zip(ledger["upload_id"], ledger["rolled_back_at"], ledger["org_code"])
              if pd.isna(r) and (org_code is None or o == org_code)]
    if not active:
        return
    with st.expander(ctx.t("upload.rollback_title")):
        upload_id = st.selectbox(ctx.t("upload.rollback_pick"), active, key=f"{_KEY}_rollback_id")
        sure = st.checkbox(ctx.t("upload.rollback_confirm", upload_id=upload_id), key=f"{_KEY}_rollback_sure")
        if st.button(ctx.t("upload.rollback_button"), disabled=not sure, key=f"{_KEY}_rollback_go",
                     icon=":material/undo:"):
            try:
                rollback_upload(ctx.warehouse, upload_id, actor=ctx.role)
            except RollbackError:
                # e.g. rolled back meanwhile in another session; said where the button is
                st.error(ctx.t("upload.rollback_failed", upload_id=upload_id))
            else:
                st.session_state[f"{_KEY}_rolled_back"] = upload_id
                st.rerun()
    if st.session_state.get(f"{_KEY}_rolled_back"):
        st.success(ctx.t("upload.rolled_back", upload_id=st.session_state[f"{_KEY}_rolled_back"]))

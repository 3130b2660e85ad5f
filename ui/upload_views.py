"""The pieces of the upload page: templates, the check of one file, its preview, history."""

import hashlib
import re
from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

import i18n
from data_sources.problems import CheckedUpload, redact
from data_sources.vocabulary import SHEETS
from i18n.formats import fmt_local_date, fmt_local_time, fmt_month, fmt_number
from queries.periods import last_complete_month
from queries.suppression import is_small, small_label
from ui.auth import actor_label
from ui.context import PageContext
from ui.exports import to_xlsx_bytes
from ui.safe_text import escape_markdown
from warehouse.imports import check_and_preview
from warehouse.ledger import (
    PeriodLocked,
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


# the data contract for member organisations in each language, the repository's own
# documents (docs/); a change to one is made to all three (tests/test_docs.py keeps them in step)
_DOCS = Path(__file__).resolve().parents[1] / "docs"
CONTRACTS = {
    "fi": _DOCS / "data-contract.fi.md",
    "sv": _DOCS / "data-contract.sv.md",
    "en": _DOCS / "data-contract.md",
}


def render_contract(ctx: PageContext) -> None:
    """The data contract one click away, in the viewer's language: what the template asks,
    every accepted form, every refusal with its fix. It is the project's own text, so it is
    shown as Markdown."""
    with st.expander(ctx.t("upload.contract_title"), icon=":material/menu_book:"):
        st.markdown(contract_for_page(ctx.lang))


def contract_for_page(lang: str) -> str:
    """The contract in `lang` as Markdown with its headings three levels down, so that inside
    the page it is a section of the page (the page keeps its one h1), and its links to the
    repository's other documents as plain text (the app does not serve them)."""
    text = CONTRACTS[lang].read_text(encoding="utf-8")
    text = re.sub(r"^(#{1,3}) ", lambda m: "#" * min(len(m.group(1)) + 3, 6) + " ", text, flags=re.M)
    return re.sub(r"\[([^\]]+)\]\((?!https?:)[^)]*\)", r"\1", text)


def render_org_picker(ctx: PageContext) -> str | None:
    """Which organisation the files are sent for. Nothing is chosen before the sender
    chooses: until then (or when they choose "named in the file") the file's own
    Organisaatio column says, and the check proposes the organisation it names."""
    orgs = {o.org_code: o.org_name for o in list_organisations(ctx.warehouse)}
    if ctx.role == "member":
        # a member sends for its own organisation only: the check refuses any row naming another
        # (wrong_org), whatever the file says
        own = ctx.own_org
        st.selectbox(ctx.t("upload.org"), [own], key=f"{_KEY}_org_own", disabled=True,
                     format_func=lambda code: orgs.get(code, code), help=ctx.t("upload.org_own_help"))
        st.session_state[f"{_KEY}_org_chosen"] = True
        return own
    options = list(orgs) + [NO_ORG]
    chosen = st.selectbox(
        ctx.t("upload.org"), options, key=f"{_KEY}_org", index=None,
        placeholder=ctx.t("upload.org_placeholder"),
        format_func=lambda code: ctx.t("upload.org_in_file") if code == NO_ORG else orgs[code],
        help=ctx.t("upload.org_help"),
    )
    st.session_state[f"{_KEY}_org_chosen"] = chosen is not None
    return None if chosen in (None, NO_ORG) else chosen


def _needs_an_org_first(checked: CheckedUpload) -> bool:
    """No organisation chosen yet, and the file names none: ask for one rather than refuse."""
    return (not st.session_state.get(f"{_KEY}_org_chosen") and bool(checked.errors)
            and all(p.params.get("hint_key") == "org_column" for p in checked.errors))


def proposed_org(checked: CheckedUpload) -> str | None:
    """The one organisation a file's own Organisaatio column names, if it names exactly one."""
    named = {code for frame in checked.sheets.values() if frame is not None and not frame.empty
             for code in frame["org_code"].dropna()}
    return named.pop() if len(named) == 1 else None


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
                                                     settings=ctx.settings, protect_below=_preview_protection(ctx))
                status.update(label=ctx.t("upload.checked", name=shown_name), state="complete")
            if not checked.ok and not _needs_an_org_first(checked):
                # once per check of this content, as the command line does: codes, never values
                record_refusal(ctx.warehouse, checked, uploaded_by=ctx.actor, org_code=org_code,
                               source="app")
            st.session_state[f"{key}_checked"] = (checked, preview)
        checked, preview = st.session_state[f"{key}_checked"]
        if _needs_an_org_first(checked):
            st.info(ctx.t("upload.org_choose_first"), icon=":material/domain:")
            return
        if not checked.ok:
            _render_refusal(ctx, checked, key)
            return
        _render_warnings(ctx, checked, key)
        stored = st.session_state.get(f"{key}_stored")
        if stored is not None:
            _render_stored(ctx, stored)
            note_months_not_yet_shown(ctx, preview)
            return
        if org_code is None:
            proposed = proposed_org(checked)
            if proposed:
                names = {o.org_code: o.org_name for o in list_organisations(ctx.warehouse)}
                st.info(ctx.t("upload.org_proposed", org=escape_markdown(names.get(proposed, proposed))),
                        icon=":material/domain:")
        st.write(preview_sentence(ctx.lang, preview))
        if preview.unchanged:
            return
        note_months_not_yet_shown(ctx, preview)
        render_preview_table(ctx, preview, key, org_code)
        if st.button(ctx.t("upload.confirm"), key=f"{key}_confirm", type="primary",
                     icon=":material/check:"):
            try:
                result = store_upload(ctx.warehouse, checked, len(data), uploaded_by=ctx.actor,
                                      org_code=_sender_org(ctx, org_code), source="app")
            except PeriodLocked:
                # locked by leadership after this file was checked: nothing was stored
                record_refusal(ctx.warehouse, checked, uploaded_by=ctx.actor, org_code=org_code, source="app",
                               codes=["locked_period"])
                st.error(ctx.t("upload.locked_meanwhile"), icon=":material/lock:")
                return
            st.session_state[f"{key}_stored"] = result
            st.rerun()


def _preview_protection(ctx: PageContext) -> int | None:
    """The stored totals a preview shows are exact for leadership, and for a member, whose file can
    hold its own organisation's rows only (wrong_org); protected for anyone else."""
    return None if ctx.role in ("leadership", "member") else ctx.settings.suppression_threshold


def _sender_org(ctx: PageContext, org_code: str | None) -> str | None:
    """The organisation an upload is stored for: a member's own, whatever the page was asked."""
    if ctx.role == "member":
        if org_code != ctx.own_org:
            raise PermissionError("a member sends data for its own organisation only")
        return ctx.own_org
    return org_code


def _stored_total(change, lang: str, hide_below: int | None) -> str:
    """The total stored now; for a viewer with protected counts a small one reads "<5"."""
    if not change.replaced:
        return "–"
    if hide_below is not None and change.sheet in ("toiminta", "asenteet") and is_small(change.headline_before,
                                                                                       hide_below):
        return small_label(hide_below)
    return fmt_number(change.headline_before, lang)


def preview_table(lang: str, preview: UploadPreview, org_names: dict[str, str],
                  hide_below: int | None = None, foreign: frozenset = frozenset()) -> pd.DataFrame:
    """Per organisation × sheet × month: what is stored now and what will be after confirming —
    rows and the sheet's headline total — and which earlier upload it replaces (for uploads in
    `foreign`, sent by the network's staff for several organisations, not its file or sender)."""
    t = lambda k: i18n.t(lang, f"upload.pv_{k}")  # noqa: E731
    changes = preview.changes
    return pd.DataFrame({
        t("org"): [org_names.get(c.org_code, c.org_code) for c in changes],
        t("sheet"): [i18n.label(lang, "sheet", c.sheet) for c in changes],
        t("month"): [f"{c.period_month.month}/{c.period_month.year}" for c in changes],
        t("measure"): [i18n.t(lang, f"upload.headline.{c.sheet}") for c in changes],
        t("total_now"): [_stored_total(c, lang, hide_below) for c in changes],
        t("total_after"): [fmt_number(c.headline_total, lang) for c in changes],
        t("rows_now"): [fmt_number(c.replaced.count_rows, lang) if c.replaced else "–" for c in changes],
        t("rows_after"): [fmt_number(c.count_new_rows, lang) for c in changes],
        t("large"): [i18n.t(lang, "upload.pv_large_mark") if c.is_large_change else "" for c in changes],
        t("replaces"): [(i18n.t(lang, "upload.pv_replaces_network", when=fmt_local_time(c.replaced.uploaded_at, lang))
                         if c.replaced.upload_id in foreign else
                         i18n.t(lang, "upload.pv_replaces_text", file=c.replaced.file_name,
                                when=fmt_local_time(c.replaced.uploaded_at, lang),
                                sender=actor_label(lang, c.replaced.uploaded_by)))
                        if c.replaced else i18n.t(lang, "upload.pv_nothing") for c in changes],
    }).astype(str)


def without_one_org(table: pd.DataFrame, column: str, org_codes, org_code: str | None) -> pd.DataFrame:
    """The table without its organisation column when every row is the organisation picked above
    it: at 1400 px that column took a fifth of the width and pushed the last columns out of sight."""
    if org_code is not None and len(org_codes) and all(code == org_code for code in org_codes):
        return table.drop(columns=[column])
    return table


def render_preview_table(ctx: PageContext, preview: UploadPreview, key: str, org_code: str | None) -> None:
    org_names = {o.org_code: o.org_name for o in list_organisations(ctx.warehouse)}
    hide_below = _preview_protection(ctx)
    large = [c for c in preview.changes if c.is_large_change]
    for change in large:
        st.warning(ctx.t("upload.preview_large", sheet=i18n.label(ctx.lang, "sheet", change.sheet),
                         month=fmt_month(change.period_month, ctx.lang),
                         measure=ctx.t(f"upload.headline.{change.sheet}"),
                         before=_stored_total(change, ctx.lang, hide_below),
                         after=fmt_number(change.headline_total, ctx.lang)),
                   icon=":material/warning:")
    foreign = frozenset()
    if ctx.role == "member":
        # what the network's staff sent for several organisations: its file name and sender are not
        # the member's to see (the same rule as the history's)
        sent = list_uploads(ctx.warehouse, [ctx.own_org])
        foreign = frozenset(int(u) for u, org in zip(sent["upload_id"], sent["org_code"]) if org != ctx.own_org)
    table = without_one_org(preview_table(ctx.lang, preview, org_names, hide_below, foreign), ctx.t("upload.pv_org"),
                            [c.org_code for c in preview.changes], org_code)
    marked = ctx.t("upload.pv_large")
    # an empty column, when no change is large, only pushed the last ones out of sight at 1400 px
    shown = table.style.apply(
        lambda row: ["background-color: #fde2c8; font-weight: 600" if row[marked] else "" for _ in row], axis=1,
    ) if large else table.drop(columns=[marked])
    st.dataframe(shown, hide_index=True, width="stretch", key=f"{key}_preview")


def problems_table(lang: str, problems, with_kind: bool = False) -> pd.DataFrame:
    """The problems as the user reads them: sheet, row, column, value, what to do (and,
    for the download that holds both, whether each is an error or a warning)."""
    t = lambda k: i18n.t(lang, f"upload.col_{k}")  # noqa: E731
    kind = {t("kind"): [i18n.t(lang, "upload.kind_error" if p.is_error else "upload.kind_warning")
                        for p in problems]} if with_kind else {}
    # a CSV has no tabs: its problems' messages name none, nor does their table (the column read
    # "Verksamhet" on one row and the file's own name on the next)
    tabbed = any(p.sheet and not p.params.get("in_csv") for p in problems)
    sheet = {} if not tabbed else {
        t("sheet"): [i18n.label(lang, "sheet", p.sheet) if p.sheet in SHEETS else (p.sheet or "") for p in problems]}
    return pd.DataFrame({
        **kind,
        **sheet,
        t("row"): [p.row if p.row is not None else "" for p in problems],
        t("column"): [p.column or "" for p in problems],
        t("value"): [p.value or "" for p in problems],
        t("message"): [p.message(lang) for p in problems],
    }).astype(str)


def _render_refusal(ctx: PageContext, checked: CheckedUpload, key: str, source: str = "upload") -> None:
    """The problems of a refused file (`source` upload) or Google Sheet (gsheets): what to fix, and where."""
    st.error(i18n.t_count(ctx.lang, f"{source}.refused", len(checked.errors), count=len(checked.errors)),
             icon=":material/block:")
    # a list reads best for the few problems most files have; the table and its download
    # carry every problem for the rare file with many
    # a message quotes the file's own cells and headers: shown as text, never as Markdown
    st.markdown("\n".join(f"- {escape_markdown(p.message(ctx.lang))}" for p in checked.errors[:MAX_LISTED]))
    if len(checked.errors) > MAX_LISTED:
        more = len(checked.errors) - MAX_LISTED
        st.caption(i18n.t_count(ctx.lang, "upload.more_problems", more, count=more))
    st.markdown(f"**{_counted(ctx, 'upload.errors_title', checked.errors)}**")
    st.dataframe(problems_table(ctx.lang, checked.errors), hide_index=True, width="stretch", key=f"{key}_errors")
    if checked.warnings:
        st.markdown(f"**{_counted(ctx, 'upload.warnings_title', checked.warnings)}**")
        st.dataframe(problems_table(ctx.lang, checked.warnings), hide_index=True, width="stretch",
                     key=f"{key}_warnings")
    table = problems_table(ctx.lang, checked.errors + checked.warnings, with_kind=True)
    name = ctx.t("upload.problems_file")    # the file's name, and its sheet's ("Ongelmat", not "data")
    st.download_button(ctx.t("upload.problems_download"), to_xlsx_bytes(table, name.capitalize()),
                       f"{name}.xlsx", key=f"{key}_problems",
                       icon=":material/download:")


def _counted(ctx: PageContext, key: str, problems: list) -> str:
    """'Virheet (3)' / 'Virhe (1)'."""
    return i18n.t_count(ctx.lang, key, len(problems), count=len(problems))


def _render_warnings(ctx: PageContext, checked: CheckedUpload, key: str) -> None:
    if checked.warnings:
        st.warning(i18n.t_count(ctx.lang, "upload.warnings", len(checked.warnings), count=len(checked.warnings)),
                   icon=":material/info:")
        st.markdown(f"**{_counted(ctx, 'upload.warnings_title', checked.warnings)}**")
        st.dataframe(problems_table(ctx.lang, checked.warnings), hide_index=True, width="stretch",
                     key=f"{key}_warnings")


def _render_stored(ctx: PageContext, result) -> None:
    st.success(stored_sentence(ctx.lang, result), icon=":material/task_alt:")


def stored_sentence(lang: str, result) -> str:
    """'Saved (upload 7): 1 row added, 40 rows replaced. …': each count with its own noun."""
    def rows(key: str, count: int) -> str:
        return i18n.t_count(lang, key, count, count=fmt_number(count, lang))

    return i18n.t(lang, "upload.stored", upload_id=result.upload_id,
                  added=rows("upload.rows_added", result.rows_added),
                  replaced=rows("upload.rows_replaced", result.rows_replaced))


def months_not_yet_shown(months, today: date) -> list[date]:
    """The months of an upload that no period on offer reaches yet: this month, or later."""
    last = last_complete_month(today).to_month
    return sorted({month for month in months if month > last})


def note_months_not_yet_shown(ctx: PageContext, preview: UploadPreview) -> None:
    """A December sent on 8 December is stored, but the period choices end at November: said, so
    that the figures the sender then looks at do not seem to have missed it."""
    later = months_not_yet_shown(preview.months, ctx.today)
    if later:
        st.caption(i18n.t_count(ctx.lang, "upload.not_yet_shown", len(later), months=month_spans(later)))


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
    # "kuukausille 11/2026" for one month read wrong in Finnish: the month's word by the months' count
    key = "upload.preview_adds_month" if len(set(preview.months)) == 1 else "upload.preview_adds"
    text = i18n.t_count(lang, key, preview.rows_added, rows=fmt_number(preview.rows_added, lang),
                        months=month_spans(preview.months))
    if preview.superseded:
        dates = ", ".join(sorted({fmt_local_date(r.uploaded_at) for r in preview.superseded}))
        text += " " + i18n.t_count(lang, "upload.preview_replaces", preview.rows_replaced,
                             rows=fmt_number(preview.rows_replaced, lang), dates=dates)
    else:
        text += " " + i18n.t(lang, "upload.preview_nothing_replaced")
    return text


# how an upload came in (uploads.source): a file on this page, the command line, a connected
# Google Sheet, the demo network
UPLOAD_SOURCES = ("app", "cli", "gsheets", "demo")


def render_history(ctx: PageContext, org_code: str | None) -> None:
    st.subheader(ctx.t("upload.history_title"))
    if ctx.role == "member":
        org_code = ctx.own_org        # a member sees and withdraws its own organisation's uploads only
    ledger = list_uploads(ctx.warehouse, [org_code] if org_code else None)
    if ledger.empty:
        st.caption(ctx.t("upload.history_empty"))
        return
    t = lambda k: ctx.t(f"upload.hist_{k}")  # noqa: E731
    names = {o.org_code: o.org_name for o in list_organisations(ctx.warehouse)}
    # an upload the network's staff sent for several organisations is listed in a member's
    # history (its months are the member's own), but its file name and row totals, which hold
    # the other organisations' rows too, are not the member's to see
    others = [ctx.role == "member" and code != ctx.own_org for code in ledger["org_code"]]
    own_only = lambda column: [("–" if other else str(value))  # noqa: E731
                               for value, other in zip(ledger[column], others)]
    states = [ctx.t("upload.state_rolled_back") if pd.notna(r) else
              (ctx.t("upload.state_in_force") if n > 0 else ctx.t("upload.state_replaced"))
              for r, n in zip(ledger["rolled_back_at"], ledger["count_sheet_months_in_force"])]
    shown = pd.DataFrame({
        t("id"): ledger["upload_id"],
        t("when"): [fmt_local_time(moment, ctx.lang) for moment in ledger["uploaded_at"]],
        # whether it is in force, next to when it came: not scrolled out of sight at the far right
        t("state"): states,
        t("org"): [names.get(code, code) if code else "–" for code in ledger["org_code"]],
        t("file"): [t("file_network") if other else name for name, other in zip(ledger["file_name"], others)],
        t("source"): [ctx.t(f"upload.source_{source}") if source in UPLOAD_SOURCES else str(source)
                      for source in ledger["source"]],
        t("months"): [month_spans(list(pd.date_range(a, b, freq="MS").date)) if pd.notna(a) else ""
                      for a, b in zip(ledger["first_month"], ledger["last_month"])],
        t("added"): own_only("rows_added"),
        t("replaced"): own_only("rows_replaced"),
    })
    st.dataframe(without_one_org(shown, t("org"), list(ledger["org_code"]), org_code), hide_index=True, width="stretch")
    # an upload sent for several organisations (by network staff) is listed in each one's
    # history, but only offered for rollback where it was sent from: it withdraws every month
    active = [int(u) for u, r, o in zip(ledger["upload_id"], ledger["rolled_back_at"], ledger["org_code"])
              if pd.isna(r) and (org_code is None or o == org_code)]
    # said before the rollback form, which is gone when the last upload in force was withdrawn
    if st.session_state.get(f"{_KEY}_rolled_back"):
        st.success(ctx.t("upload.rolled_back", upload_id=st.session_state[f"{_KEY}_rolled_back"]))
    if not active:
        return
    with st.expander(ctx.t("upload.rollback_title")):
        # each offered upload by its number, time and file, as the table above lists it
        described = {int(u): f"{u} · {when} · {name}" for u, when, name in
                     zip(shown[t("id")], shown[t("when")], shown[t("file")])}
        upload_id = st.selectbox(ctx.t("upload.rollback_pick"), active, key=f"{_KEY}_rollback_id",
                                 format_func=lambda u: described.get(u, str(u)))
        sure = st.checkbox(ctx.t("upload.rollback_confirm", upload_id=upload_id), key=f"{_KEY}_rollback_sure")
        if st.button(ctx.t("upload.rollback_button"), disabled=not sure, key=f"{_KEY}_rollback_go",
                     icon=":material/undo:"):
            try:
                rollback_upload(ctx.warehouse, upload_id, actor=ctx.actor,
                                org_codes=[ctx.own_org] if ctx.role == "member" else None)
            except RollbackError as error:
                # e.g. rolled back meanwhile in another session, or a month it holds is locked
                st.error(ctx.t("upload.rollback_locked" if error.code == "locked_period"
                               else "upload.rollback_failed", upload_id=upload_id))
            else:
                st.session_state[f"{_KEY}_rolled_back"] = upload_id
                st.rerun()

"""The Admin page's parts, for leadership: people and domain rules, organisations, locked months."""

from datetime import date

import pandas as pd
import streamlit as st

import i18n
from data_sources.values import municipality_label, official_municipalities
from i18n.formats import fmt_local_time, fmt_month
from queries.periods import add_months, last_complete_month
from ui.auth import actor_label
from ui.context import PageContext
from ui.safe_text import escape_markdown
from warehouse.access import (
    DOMAIN_ROLES,
    NETWORK,
    ROLES,
    AccessError,
    list_domain_rules,
    list_locks,
    list_people,
    lock_months,
    remove_domain_rule,
    remove_person,
    set_domain_rule,
    set_person,
    unlock_months,
)
from warehouse.organisations import RegistryError, add_organisation, list_organisations, update_organisation

_KEY = "admin"
NO_ORG = ""


def _done(ctx: PageContext, key: str, **params) -> None:
    """A change made: said once after the rerun that shows it."""
    count = params.get("count")
    st.session_state[f"{_KEY}_done"] = (i18n.t_count(ctx.lang, f"admin.done_{key}", count, **params)
                                        if count is not None else ctx.t(f"admin.done_{key}", **params))
    st.rerun()


def render_done(ctx: PageContext) -> None:
    message = st.session_state.pop(f"{_KEY}_done", None)
    if message:
        st.success(message, icon=":material/task_alt:")


def _refused(ctx: PageContext, error: AccessError | RegistryError) -> None:
    params = {k: escape_markdown(str(v)) for k, v in error.params.items()}
    st.error(ctx.t(f"admin.error.{error.code}", **params), icon=":material/block:")


def _org_names(ctx: PageContext) -> dict[str, str]:
    return {o.org_code: o.org_name for o in list_organisations(ctx.warehouse)}


def _role_label(ctx: PageContext, role: str) -> str:
    return ctx.t(f"access.role_{role}")


def _when(ctx: PageContext, moments) -> list[str]:
    return [fmt_local_time(m, ctx.lang) if pd.notna(m) else "" for m in moments]


# ---- people and domain rules ---------------------------------------------------------------


def _access_table(ctx: PageContext, frame: pd.DataFrame, column: str, label: str, names: dict, key: str) -> None:
    """People or domain rules: who (or which domain), role, organisation, when and by whom changed."""
    if frame.empty:
        st.caption(ctx.t(f"admin.{key}_none"))
        return
    st.dataframe(pd.DataFrame({
        label: frame[column],
        ctx.t("admin.col_role"): [_role_label(ctx, r) for r in frame["role"]],
        ctx.t("admin.col_org"): [names.get(o, o) if isinstance(o, str) else "" for o in frame["org_code"]],
        ctx.t("admin.col_changed"): _when(ctx, frame["added_at"]),
        ctx.t("admin.col_by"): [actor_label(ctx.lang, a) for a in frame["added_by"]],
    }), hide_index=True, width="stretch", key=f"{_KEY}_{key}_table")


def render_people(ctx: PageContext) -> None:
    st.write(ctx.t("admin.people_intro"))
    names = _org_names(ctx)
    people = list_people(ctx.warehouse)
    _access_table(ctx, people, "email", ctx.t("admin.col_email"), names, "people")
    _add_form(ctx, "person", ctx.t("admin.person_add"), ctx.t("admin.col_email"), "nimi@jarjesto.fi", ROLES, names,
              lambda target, role, org: set_person(ctx.warehouse, target, role, org, actor=ctx.actor),
              icon=":material/person_add:")
    if not people.empty:
        _remove_form(ctx, "person", ctx.t("admin.person_remove"), ctx.t("admin.col_email"), list(people["email"]),
                     lambda target: remove_person(ctx.warehouse, target, actor=ctx.actor),
                     icon=":material/person_remove:")


def _add_form(ctx: PageContext, kind: str, title: str, label: str, placeholder: str, roles, names: dict,
              change, icon: str) -> None:
    """A person or an e-mail domain, its role and (for a member) its organisation."""
    with st.form(f"{_KEY}_{kind}_form", clear_on_submit=True):
        st.markdown(f"**{title}**")
        columns = st.columns(3)
        target = columns[0].text_input(label, placeholder=placeholder, key=f"{_KEY}_{kind}_target")
        role = columns[1].selectbox(ctx.t("admin.col_role"), roles, format_func=lambda r: _role_label(ctx, r),
                                    key=f"{_KEY}_{kind}_role")
        org = columns[2].selectbox(ctx.t("admin.col_org_member"), [NO_ORG, *names], key=f"{_KEY}_{kind}_org",
                                   format_func=lambda c: names.get(c, ctx.t("admin.no_org")))
        if st.form_submit_button(ctx.t("admin.save"), type="primary", icon=icon):
            try:
                change(target, role, org or None)
            except AccessError as error:
                _refused(ctx, error)
            else:
                _done(ctx, kind, target=escape_markdown(target.strip().lower().lstrip("@")))


def _remove_form(ctx: PageContext, kind: str, title: str, label: str, options: list[str], change,
                 icon: str) -> None:
    with st.form(f"{_KEY}_{kind}_remove_form"):
        st.markdown(f"**{title}**")
        target = st.selectbox(label, options, key=f"{_KEY}_{kind}_remove")
        if st.form_submit_button(ctx.t("admin.remove"), icon=icon):
            try:
                change(target)
            except AccessError as error:
                _refused(ctx, error)
            else:
                _done(ctx, f"{kind}_removed", target=escape_markdown(target))


def render_domain_rules(ctx: PageContext) -> None:
    st.write(ctx.t("admin.domains_intro"))
    names = _org_names(ctx)
    rules = list_domain_rules(ctx.warehouse)
    _access_table(ctx, rules, "domain", ctx.t("admin.col_domain"), names, "domains")
    _add_form(ctx, "domain", ctx.t("admin.domain_add"), ctx.t("admin.col_domain"), "aurinkoranta.fi", DOMAIN_ROLES,
              names, lambda target, role, org: set_domain_rule(ctx.warehouse, target, role, org, actor=ctx.actor),
              icon=":material/domain_add:")
    if not rules.empty:
        _remove_form(ctx, "domain", ctx.t("admin.domain_remove"), ctx.t("admin.col_domain"), list(rules["domain"]),
                     lambda target: remove_domain_rule(ctx.warehouse, target, actor=ctx.actor),
                     icon=":material/delete:")


# ---- organisations -------------------------------------------------------------------------


def _month_options(ctx: PageContext, back: int = 120) -> list[date]:
    last = last_complete_month(ctx.today).to_month
    return [add_months(last, -i) for i in range(-1, back)]


def _month_picker(ctx: PageContext, label: str, key: str, default: date | None) -> date:
    months = _month_options(ctx)
    default = default.replace(day=1) if default else months[0]
    if default not in months:
        months.append(default)
    return st.selectbox(label, months, index=months.index(default), key=key,
                        format_func=lambda m: fmt_month(m, ctx.lang))


def _municipality_picker(ctx: PageContext, key: str, current: str | None) -> str | None:
    options = [NO_ORG, *official_municipalities()]
    return st.selectbox(ctx.t("admin.col_municipality"), options, key=key,
                        index=options.index(current) if current in options else 0,
                        format_func=lambda m: municipality_label(m, ctx.lang) if m else ctx.t("admin.no_municipality"))


def render_organisations(ctx: PageContext) -> None:
    orgs = list_organisations(ctx.warehouse)
    st.dataframe(pd.DataFrame({
        ctx.t("admin.col_code"): [o.org_code for o in orgs],
        ctx.t("admin.col_name"): [o.org_name for o in orgs],
        ctx.t("admin.col_aliases"): [", ".join(o.aliases) for o in orgs],
        ctx.t("admin.col_start"): [fmt_month(o.start_month, ctx.lang) for o in orgs],
        ctx.t("admin.col_municipality"): [municipality_label(o.municipality, ctx.lang) if o.municipality else ""
                                          for o in orgs],
    }), hide_index=True, width="stretch", key=f"{_KEY}_orgs_table")
    with st.form(f"{_KEY}_org_add_form", clear_on_submit=True):
        st.markdown(f"**{ctx.t('admin.org_add')}**")
        first = st.columns(2)
        code = first[0].text_input(ctx.t("admin.col_code"), help=ctx.t("admin.code_help"), key=f"{_KEY}_org_code")
        name = first[1].text_input(ctx.t("admin.col_name"), key=f"{_KEY}_org_name")
        aliases = st.text_input(ctx.t("admin.col_aliases"), help=ctx.t("admin.aliases_help"),
                                key=f"{_KEY}_org_aliases")
        second = st.columns(2)
        with second[0]:
            start = _month_picker(ctx, ctx.t("admin.col_start"), f"{_KEY}_org_start", None)
        with second[1]:
            municipality = _municipality_picker(ctx, f"{_KEY}_org_municipality", None)
        if st.form_submit_button(ctx.t("admin.save"), type="primary", icon=":material/add_business:"):
            try:
                added = add_organisation(ctx.warehouse, code, name, start_month=start,
                                         municipality=municipality or None, aliases=_split(aliases),
                                         actor=ctx.actor)
            except RegistryError as error:
                _refused(ctx, error)
            else:
                _done(ctx, "org_added", name=escape_markdown(added.org_name))
    if not orgs:
        return
    by_code = {o.org_code: o for o in orgs}
    chosen = st.selectbox(ctx.t("admin.org_edit"), list(by_code), key=f"{_KEY}_org_edit",
                          format_func=lambda c: by_code[c].org_name)
    org = by_code[chosen]
    with st.form(f"{_KEY}_org_edit_form_{chosen}"):
        name = st.text_input(ctx.t("admin.col_name"), value=org.org_name, key=f"{_KEY}_edit_name_{chosen}")
        aliases = st.text_input(ctx.t("admin.col_aliases"), value=", ".join(org.aliases),
                                help=ctx.t("admin.aliases_help"), key=f"{_KEY}_edit_aliases_{chosen}")
        columns = st.columns(2)
        with columns[0]:
            start = _month_picker(ctx, ctx.t("admin.col_start"), f"{_KEY}_edit_start_{chosen}", org.start_month)
        with columns[1]:
            municipality = _municipality_picker(ctx, f"{_KEY}_edit_municipality_{chosen}", org.municipality)
        if st.form_submit_button(ctx.t("admin.save"), type="primary", icon=":material/save:"):
            try:
                update_organisation(ctx.warehouse, chosen, name=name, start_month=start,
                                    municipality=municipality or None, aliases=_split(aliases), actor=ctx.actor)
            except RegistryError as error:
                _refused(ctx, error)
            else:
                _done(ctx, "org_changed", name=escape_markdown(name.strip()))


def _split(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in (text or "").split(",") if part.strip())


# ---- locked months -------------------------------------------------------------------------


def render_locks(ctx: PageContext) -> None:
    st.write(ctx.t("admin.locks_intro"))
    names = _org_names(ctx)
    locks = list_locks(ctx.warehouse)
    scope_name = lambda code: ctx.t("common.whole_network") if code == NETWORK else names.get(code, code)  # noqa: E731
    if locks.empty:
        st.caption(ctx.t("admin.locks_none"))
    else:
        st.dataframe(pd.DataFrame({
            ctx.t("common.month"): [fmt_month(m, ctx.lang) for m in locks["period_month"]],
            ctx.t("admin.col_scope"): [scope_name(c) for c in locks["org_code"]],
            ctx.t("admin.col_changed"): _when(ctx, locks["locked_at"]),
            ctx.t("admin.col_by"): locks["locked_by"],
        }), hide_index=True, width="stretch", key=f"{_KEY}_locks_table")
    scopes = [NETWORK, *names]
    months = _month_options(ctx, back=36)[1:]
    with st.form(f"{_KEY}_lock_form", clear_on_submit=True):
        st.markdown(f"**{ctx.t('admin.lock_title')}**")
        columns = st.columns(2)
        scope = columns[0].selectbox(ctx.t("admin.col_scope"), scopes, format_func=scope_name, key=f"{_KEY}_lock_scope")
        chosen = columns[1].multiselect(ctx.t("admin.lock_months"), months, key=f"{_KEY}_lock_months",
                                        format_func=lambda m: fmt_month(m, ctx.lang), select_all=False,
                                        placeholder=ctx.t("admin.choose_months"))
        if st.form_submit_button(ctx.t("admin.lock_button"), type="primary", icon=":material/lock:"):
            try:
                lock_months(ctx.warehouse, chosen, None if scope == NETWORK else scope, actor=ctx.actor)
            except AccessError as error:
                _refused(ctx, error)
            else:
                _done(ctx, "locked", count=len(chosen), scope=escape_markdown(scope_name(scope)))
    if locks.empty:
        return
    with st.form(f"{_KEY}_unlock_form", clear_on_submit=True):
        st.markdown(f"**{ctx.t('admin.unlock_title')}**")
        columns = st.columns(2)
        held = [c for c in scopes if c in set(locks["org_code"])]
        scope = columns[0].selectbox(ctx.t("admin.col_scope"), held, format_func=scope_name, key=f"{_KEY}_unlock_scope")
        locked = sorted({m for m in locks["period_month"]}, reverse=True)
        chosen = columns[1].multiselect(ctx.t("admin.lock_months"), locked, key=f"{_KEY}_unlock_months",
                                        format_func=lambda m: fmt_month(m, ctx.lang), select_all=False,
                                        placeholder=ctx.t("admin.choose_months"))
        reason = st.text_input(ctx.t("admin.unlock_reason"), help=ctx.t("admin.unlock_reason_help"),
                               key=f"{_KEY}_unlock_reason", max_chars=300)
        if st.form_submit_button(ctx.t("admin.unlock_button"), icon=":material/lock_open:"):
            try:
                count = unlock_months(ctx.warehouse, [pd.Timestamp(m).date() for m in chosen],
                                      None if scope == NETWORK else scope, actor=ctx.actor, reason=reason)
            except AccessError as error:
                _refused(ctx, error)
            else:
                _done(ctx, "unlocked", count=count, scope=escape_markdown(scope_name(scope)))

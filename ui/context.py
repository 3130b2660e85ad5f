"""What every page needs from the frame: language, warehouse, viewer, period and scope.

The frame (app.py) calls `render_frame_controls()` once per run; pages call `page_context()`.
Filter state lives in the URL query string so that a copied link reopens the same view.
"""

import json
import runpy
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

import i18n
from data_sources.values import municipality_label
from i18n.formats import fmt_number
from queries.periods import (
    ROLLING,
    Period,
    add_months,
    data_end,
    last_complete_month,
    latest_months,
    parse_period,
    period_from_range,
)
from queries.scope import Scope
from settings import Settings, SettingsError, load_settings
from ui.auth import Viewer, sign_out
from ui.safe_text import escape_markdown
from warehouse import Warehouse, open_warehouse
from warehouse.access import SIGN_IN_EVENTS

ALL_ROLES = frozenset({"leadership", "member", "board"})
UPLOAD_ROLES = frozenset({"leadership", "member"})
LEADERSHIP = frozenset({"leadership"})
PERIOD_KINDS = (*ROLLING, "month", "quarter", "half", "year", "range")
DEFAULT_KIND = "last6"
_STATE = "frame"  # session-state prefix of the frame's own widgets
LEGEND_SAID = f"{_STATE}_legend_said"  # the privacy legend's sentences shown in this run (once per page)
# the frame every page runs in (see page_context)
FRAME_SCRIPT = Path(__file__).resolve().parents[1] / "app.py"


@dataclass(frozen=True)
class PageContext:
    lang: str
    warehouse: Warehouse
    settings: Settings
    role: str
    period: Period
    scope: Scope
    data_version: int
    today: date
    compare: str = "previous"      # or "year": the same months a year earlier
    viewer: Viewer | None = None    # who is looking (ui/auth.py); role is viewer.role

    @property
    def actor(self) -> str:
        """Who the ledger and the audit log name for what this viewer does."""
        return self.viewer.actor if self.viewer else self.role

    @property
    def own_org(self) -> str | None:
        """A member's own organisation: the only one it may send data for."""
        return self.viewer.org_code if self.viewer and self.role == "member" else None

    @property
    def comparison(self) -> Period:
        return self.period.compared_with(self.compare)

    def t(self, key: str, **params) -> str:
        return i18n.t(self.lang, key, **params)


# how long a visitor waits for a warehouse file another process holds before being told so
APP_LOCK_WAIT = 10.0


@st.cache_resource
def _warehouse(location: str) -> Warehouse:
    """The process's one warehouse; beside an embedded file, the job server that runs the
    commands other processes hand over while this one holds the file (warehouse/jobs.py)."""
    settings = get_settings()
    warehouse = open_warehouse(location, replace(settings, lock_timeout=min(settings.lock_timeout, APP_LOCK_WAIT)))
    if location != ":memory:" and not warehouse.lake:
        import cli
        from warehouse.jobs import JobServer

        JobServer(location, lambda job: cli.run_for_app(warehouse, job["argv"])).start()
    return warehouse


def get_settings() -> Settings:
    return load_settings()


def settings_error_text(lang: str, error: SettingsError) -> str:
    """What a visitor reads when a setting cannot be used: which, what it must be, whom to ask."""
    if error.expected == "toml":
        return i18n.t(lang, "frame.settings_unreadable", name=error.name)
    params = {}
    if error.limit is not None:
        params["limit"] = fmt_number(error.limit, lang, 0 if float(error.limit).is_integer() else 3)
    return i18n.t(lang, "frame.settings_invalid", name=error.name, env=error.env,
                  expected=i18n.t(lang, f"frame.settings_{error.expected}", **params))


def get_warehouse() -> Warehouse:
    """One warehouse (one DuckDB connection) per process, shared by every session."""
    return _warehouse(get_settings().db)


def data_version(warehouse: Warehouse) -> int:
    """Grows with every event but a sign-in or sign-out (an upload stored, refused or rolled back,
    a month locked, an organisation or a person changed …); part of every cache key."""
    cur = warehouse.cursor()
    try:
        # a sign-in is written for every new ID token (a refused one too) and changes nothing a
        # cached query, figure or view reads: counted, it would empty every user's caches
        return int(cur.execute("select coalesce(max(event_id), 0) from audit_log where not (action = any(?))",
                               [list(SIGN_IN_EVENTS)]).fetchone()[0])
    finally:
        cur.close()


def current_language() -> str:
    lang = st.query_params.get("lang", i18n.DEFAULT_LANGUAGE)
    return lang if lang in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE


def _set_param(key: str, value: str | None, default: str | None = None) -> None:
    if value is None or value == default or value == "":
        if key in st.query_params:
            del st.query_params[key]
    else:
        st.query_params[key] = value


# captions (st.caption) in a grey that reads at 4.5:1 on white; Streamlit's own is 3.9:1
CAPTION_COLOUR = "#595959"
FOCUS_COLOUR = "#0072B2"


def accessibility_markup(lang: str) -> str:
    """What makes every page readable beyond Streamlit's defaults (docs/accessibility.md):
    the page's `lang` follows the chosen language, so a screen reader reads Finnish as Finnish
    (Streamlit writes `<html lang="en">` whatever the content); captions have 4.5:1 contrast;
    the keyboard's focus is always visible; Streamlit's skip link and the sidebar's name are in
    the chosen language. The script holds no value from outside the app (the texts are our own,
    as JSON strings); its own element takes no room on the page."""
    if lang not in i18n.LANGUAGES:
        raise ValueError(lang)
    rules = [
        f"[data-testid='stCaptionContainer'] {{color: {CAPTION_COLOUR}; opacity: 1;}}",
        f":focus-visible {{outline: 3px solid {FOCUS_COLOUR} !important; outline-offset: 2px;}}",
        "[data-testid='stElementContainer']:has(#kokemusmittari-lang) {display: none;}",
    ]
    # Streamlit's own skip link and the sidebar's name are English whatever the language: a screen
    # reader user heard "Skip to main content" on a Finnish page (a member's walk-through)
    skip, sidebar = (json.dumps(i18n.t(lang, key)).replace("</", "<\\/")
                     for key in ("frame.skip_to_content", "frame.sidebar_name"))
    script = (f"document.documentElement.lang = '{lang}';"
              "document.querySelectorAll(\"[data-testid='stSkipToContent']\")"
              f".forEach(e => {{ e.textContent = {skip}; }});"
              "document.querySelectorAll(\"[data-testid='stSidebar']\")"
              f".forEach(e => e.setAttribute('aria-label', {sidebar}));")
    return (f"<style>{' '.join(rules)}</style><span id='kokemusmittari-lang' hidden></span>"
            f"<script>{script}</script>")


def widget_texts_style(lang: str) -> str:
    """Streamlit writes a few texts of its own widgets in English only, with no setting for them.
    A narrowly scoped style rule puts ours in their place (tests/test_browser_widget_texts.py):
    the uploader's button and the multiselect's "No results"; the chart toolbar (Show data,
    Download as PNG, Copy Vega-Lite spec, Fullscreen) is hidden for our own table, xlsx, CSV and
    PNG downloads under each chart, and in Finnish and Swedish the table toolbar too (each table
    of figures has our downloads). The multiselects' "Select all" is turned off where they are made."""
    def content(key: str) -> str:
        return '"' + i18n.t(lang, key).replace("\\", "").replace('"', "'") + '"'

    rules = [
        # the uploader's English "Upload": its text hidden, ours written in its place
        "[data-testid='stFileUploaderDropzone'] [data-testid='stBaseButton-secondary'] "
        "[data-testid='stMarkdownContainer'] p {font-size: 0;}",
        "[data-testid='stFileUploaderDropzone'] [data-testid='stBaseButton-secondary'] "
        f"[data-testid='stMarkdownContainer'] p::after {{content: {content('frame.upload_button')}; font-size: 1rem;}}",
        # a multiselect's search without a match
        "div[role='option'][style*='display: contents'] > span {font-size: 0;}",
        f"div[role='option'][style*='display: contents'] > span::after {{content: {content('frame.no_results')};"
        " font-size: 1rem;}",
        "[data-testid='stElementContainer']:has([data-testid='stVegaLiteChart']) [data-testid='stElementToolbar']"
        " {display: none;}",
    ]
    if lang != "en":
        rules.append("[data-testid='stElementContainer']:has([data-testid='stDataFrame']) "
                     "[data-testid='stElementToolbar'] {display: none;}")
    return "<style>" + "\n".join(rules) + "</style>"


def render_language_picker() -> str:
    """The language: from the URL on first load, then from the picker; kept in the URL."""
    key = f"{_STATE}_lang"
    # the URL's language is the widget's default on first load (handed as its index, not
    # seeded into session state: a seeded value was once shown as "suomi" in the browser
    # while the page was Swedish, and the next click switched the page to Finnish)
    lang = st.session_state.get(key) or current_language()
    lang = st.sidebar.selectbox(
        i18n.t(lang, "frame.language"), i18n.LANGUAGES, key=key, index=i18n.LANGUAGES.index(lang),
        format_func=lambda code: i18n.LANGUAGE_NAMES[code],
    )
    _set_param("lang", lang, i18n.DEFAULT_LANGUAGE)
    return lang


# the frame's choices kept in the address; a page that shows no picker for one keeps it too
CHOICES = ("period", "compare", "org", "mun", "sector")
_CARRIED = f"{_STATE}_carried"


def carry_choices() -> None:
    """Put back the choices a page switch dropped from the address. Streamlit clears the query on
    a switch; a choice whose picker the page draws is put back by its widget, but one the page
    shows no picker for (the upload page has none, Demand no comparison) was lost on the way
    to the next page. Called before the pickers, with what the run before kept (keep_choices)."""
    for name, value in st.session_state.get(_CARRIED, {}).items():
        if name not in st.query_params:
            st.query_params[name] = value


def keep_choices() -> None:
    """What the next page switch is to carry: the choices in the address after this run's pickers."""
    st.session_state[_CARRIED] = {name: st.query_params[name] for name in CHOICES if name in st.query_params}


def _choice_key(name: str, lang: str) -> str:
    """A sidebar choice's key, one per language. Streamlit keeps the text a choice shows in the
    browser while its key stays the same: after a switch to Swedish the sidebar still read
    "Edellinen yhtä pitkä jakso" until the next click. Every choice is also kept in the URL and
    read from there first, so the new language's widget starts on the same choice."""
    return f"{_STATE}_{name}_{lang}"


# ---- period -------------------------------------------------------------------------------


def _kind_of(period: Period) -> str:
    """The picker's kind for a period read from the URL (a rolling kind is read by its key)."""
    code = period.code
    if ".." in code:
        return "range"
    if "H" in code:
        return "half"
    if "Q" in code:
        return "quarter"
    return "month" if "-" in code else "year"


def _months_back(end: date, count: int) -> list[date]:
    months, year, month = [], end.year, end.month
    for _ in range(count):
        months.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months


def _choices(kind: str, last: date) -> list[Period]:
    """Periods of one kind that have ended by `last` (a month), newest first, about 5 years."""
    months = _months_back(last, 60)
    if kind == "month":
        return [parse_period(f"{m:%Y-%m}") for m in months]
    keys = []
    for m in months:
        key = {"year": f"{m.year}", "half": f"{m.year}H{1 if m.month <= 6 else 2}",
               "quarter": f"{m.year}Q{(m.month - 1) // 3 + 1}"}[kind]
        if key not in keys:
            keys.append(key)
    periods = [parse_period(k) for k in keys]
    return [p for p in periods if p.to_month <= last]


def data_span(warehouse: Warehouse, version: int) -> tuple[date, date] | None:
    """(first, last) month that any organisation has reported, any sheet; None before any data."""
    return _cached_data_span(warehouse, warehouse.location, version)


@st.cache_data(ttl=600, max_entries=16)
def _cached_data_span(_warehouse: Warehouse, location: str, version: int) -> tuple[date, date] | None:
    cur = _warehouse.cursor()
    try:
        first, last = cur.execute("select min(period_month), max(period_month) from current_sheet_months").fetchone()
    finally:
        cur.close()
    return (first, last) if first is not None else None


def _overlaps(period: Period, span: tuple[date, date] | None) -> bool:
    return span is None or (period.to_month >= span[0] and period.from_month <= span[1])


def render_period_picker(lang: str, today: date, span: tuple[date, date] | None = None) -> Period:
    """Period kind and value with our own month names (Streamlit's date picker is English-only).

    The default is the latest six months with data; the kinds on offer are rolling 3, 6 and 12
    months, month, quarter, half, year and a range, and only periods that overlap the data."""
    end = data_end(today, span[1] if span else None)      # where rolling periods end
    last = last_complete_month(today).to_month              # no period reaches past this
    raw = st.query_params.get("period", DEFAULT_KIND)
    current = None
    if raw not in ROLLING:
        try:
            current = parse_period(raw)
        except (ValueError, KeyError):
            raw = DEFAULT_KIND
    sidebar = st.sidebar
    kind = sidebar.selectbox(
        i18n.t(lang, "filters.period_kind"), PERIOD_KINDS,
        index=PERIOD_KINDS.index(raw if current is None else _kind_of(current)),
        format_func=lambda k: i18n.t(lang, f"filters.kind_{k}"), key=_choice_key("kind", lang),
    )
    current = current or latest_months(end, ROLLING[raw])
    if kind in ROLLING:
        period = latest_months(end, ROLLING[kind])
        _set_param("period", kind, DEFAULT_KIND)
        return period
    if kind == "range":
        first = span[0] if span else add_months(last, -119)
        months = [m for m in reversed(_months_back(last, 120)) if m >= first] or [last]
        label = lambda m: f"{i18n.month_name(lang, m.month)} {m.year}"  # noqa: E731
        start_default = current.from_month if current.from_month in months else months[max(0, len(months) - 6)]
        end_default = current.to_month if current.to_month in months else months[-1]
        start = sidebar.selectbox(i18n.t(lang, "filters.from_month"), months,
                                  index=months.index(start_default), format_func=label, key=_choice_key("from", lang))
        stop = sidebar.selectbox(i18n.t(lang, "filters.to_month"), months,
                                 index=months.index(end_default), format_func=label, key=_choice_key("to", lang))
        if stop < start:
            start, stop = stop, start
        period = period_from_range(f"{start:%Y-%m}", f"{stop:%Y-%m}")
    else:
        options = [p for p in _choices(kind, last) if _overlaps(p, span)] or _choices(kind, last)[:1]
        if current not in options:
            current = options[0]
        period = sidebar.selectbox(
            i18n.t(lang, "filters.period"), options, index=options.index(current),
            format_func=lambda p: p.label(lang), key=_choice_key(f"period_{kind}", lang),
        )
    _set_param("period", period.code, None)
    return period


COMPARISONS = ("previous", "year")


def current_comparison() -> str:
    """The comparison the address asks for, on a page that shows none (it is kept for the next)."""
    raw = st.query_params.get("compare", COMPARISONS[0])
    return raw if raw in COMPARISONS else COMPARISONS[0]


def render_comparison_picker(lang: str) -> str:
    """What the period is compared with: the period of equal length before, or a year earlier."""
    compare = st.sidebar.selectbox(
        i18n.t(lang, "filters.compare"), COMPARISONS, index=COMPARISONS.index(current_comparison()),
        format_func=lambda c: i18n.t(lang, f"filters.compare_{c}"), key=_choice_key("compare", lang))
    _set_param("compare", compare, COMPARISONS[0])
    return compare


# ---- scope --------------------------------------------------------------------------------


def _list_param(key: str) -> list[str]:
    raw = st.query_params.get(key, "")
    return [item for item in raw.split(",") if item]


def _filter_options(warehouse: Warehouse, version: int) -> dict[str, list]:
    return _cached_filter_options(warehouse, warehouse.location, version)


# the location keys the entry for the unhashed warehouse (see ui/data.py)
@st.cache_data(ttl=600, max_entries=16)
def _cached_filter_options(_warehouse: Warehouse, location: str, version: int) -> dict[str, list]:
    cur = _warehouse.cursor()
    try:
        orgs = cur.execute("select org_code, org_name from organisations order by org_name").fetchall()
        municipalities = [row[0] for row in cur.execute(
            "select municipality from activities where municipality is not null"
            " union select municipality from demand where municipality is not null"
            " union select municipality from organisations where municipality is not null"
            " order by 1").fetchall()]
    finally:
        cur.close()
    return {"orgs": orgs, "municipalities": municipalities}


def organisation_names(warehouse: Warehouse, version: int) -> list[tuple[str, str]]:
    """(org_code, org_name) of every registered organisation, by name."""
    return _filter_options(warehouse, version)["orgs"]


def render_viewer(lang: str, viewer: Viewer, warehouse: Warehouse, path: str) -> None:
    """Who is signed in, in which role, and the sign-out; or that this is the local user."""
    sidebar = st.sidebar
    role = i18n.t(lang, f"access.role_{viewer.role}")
    if not viewer.signed_in:
        sidebar.caption(i18n.t(lang, "access.local_user", role=role))
        return
    org = dict(organisation_names(warehouse, data_version(warehouse))).get(viewer.org_code) if viewer.org_code else None
    # an e-mail address and an organisation's name are text, never Markdown (nor an autolink)
    sidebar.caption(escape_markdown(i18n.t(lang, "access.signed_in_role", email=viewer.email,
                                           role=f"{role}, {org}" if org else role)))
    if sidebar.button(i18n.t(lang, "access.sign_out_button"), icon=":material/logout:", key=f"{_STATE}_sign_out"):
        sign_out(warehouse, viewer, path)


def exact_view(viewer: Viewer, org_codes: tuple[str, ...] | None) -> bool:
    """Leadership sees exact counts; a member sees them for its own organisation alone; every
    other view (the network, another member, several together, the board) is protected."""
    if viewer.role == "leadership":
        return True
    return viewer.role == "member" and viewer.org_code is not None and org_codes == (viewer.org_code,)


def render_scope_pickers(lang: str, warehouse: Warehouse, version: int, viewer: Viewer) -> Scope:
    from data_sources.vocabulary import SECTORS

    options = _filter_options(warehouse, version)
    org_names = dict(options["orgs"])
    sidebar = st.sidebar
    chosen_orgs = sidebar.multiselect(
        i18n.t(lang, "filters.organisations"), list(org_names),
        default=[o for o in _list_param("org") if o in org_names],
        format_func=lambda code: org_names[code], placeholder=i18n.t(lang, "filters.all"),
        key=_choice_key("orgs", lang), select_all=False,
    )
    # in the order of the names shown: in Swedish "Åbo" after "Nystad", not before it as Turku
    municipalities = sorted(options["municipalities"], key=lambda name: municipality_label(name, lang).casefold())
    chosen_municipalities = sidebar.multiselect(
        i18n.t(lang, "filters.municipalities"), municipalities,
        default=[m for m in _list_param("mun") if m in options["municipalities"]],
        format_func=lambda name: municipality_label(name, lang),
        placeholder=i18n.t(lang, "filters.all"), key=_choice_key("mun", lang), select_all=False,
    )
    chosen_sectors = sidebar.multiselect(
        i18n.t(lang, "filters.sectors"), list(SECTORS),
        default=[s for s in _list_param("sector") if s in SECTORS],
        format_func=lambda code: i18n.label(lang, "sector", code),
        placeholder=i18n.t(lang, "filters.all"), key=_choice_key("sector", lang), select_all=False,
    )
    _set_param("org", ",".join(chosen_orgs))
    _set_param("mun", ",".join(chosen_municipalities))
    _set_param("sector", ",".join(chosen_sectors))
    return Scope(
        org_codes=tuple(chosen_orgs) or None,
        municipalities=tuple(chosen_municipalities) or None,
        sectors=tuple(chosen_sectors) or None,
        exact=exact_view(viewer, tuple(chosen_orgs) or None),
        threshold=get_settings().suppression_threshold,
    )


def store_context(context: PageContext) -> None:
    st.session_state[f"{_STATE}_context"] = context
    st.session_state[LEGEND_SAID] = set()      # what a run has said of the privacy legend (ui.widgets)


def page_context() -> PageContext:
    """The context the frame prepared for this run (pages never build their own).

    While a process has a top-level pages/ folder and no session has yet run st.navigation,
    Streamlit 1.67 serves a deep link by running that page script alone (its old multipage
    mode, PagesManager.uses_pages_directory; AppTest turns it on again for every run). Such
    a run reaches this line before it shows anything: it turns the old mode off and runs the
    frame, app.py, in its place within the same run (so a click is not lost), whose
    st.navigation runs the same page by its URL. A page never runs without the frame.
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        runpy.run_path(str(FRAME_SCRIPT), run_name="__main__")
        st.stop()
    return st.session_state[f"{_STATE}_context"]


def demo_rows_present(warehouse: Warehouse, version: int) -> bool:
    return _cached_demo_present(warehouse, warehouse.location, version)


@st.cache_data(ttl=600, max_entries=4)
def _cached_demo_present(_warehouse: Warehouse, location: str, version: int) -> bool:
    cur = _warehouse.cursor()
    try:
        return bool(cur.execute(
            "select exists (select 1 from current_sheet_months c"
            " join organisations o using (org_code) where o.is_demo)").fetchone()[0])
    finally:
        cur.close()


def require_role(context: PageContext, allowed: set[str]) -> None:
    """Stop the page for a viewer whose role may not see it (each page checks for itself)."""
    if context.role not in allowed:
        st.warning(context.t("frame.not_allowed"))
        st.stop()

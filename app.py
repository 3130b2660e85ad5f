"""Kokemusmittari — the frame: page config, language, viewer, navigation, shared filters."""

from pathlib import Path

import streamlit as st
from streamlit.logger import get_logger

import i18n
from i18n.formats import local_today
from queries.periods import default_period
from queries.scope import Scope
from settings import SettingsError
from ui import auth
from ui import context as frame
from ui.present import presenting
from warehouse import WarehouseBusy, WarehouseTooNew

# the icon ships with the app (a :material/…: icon would be fetched from fonts.gstatic.com)
ICON = Path(__file__).resolve().parent / "assets" / "kokemusmittari.svg"
log = get_logger("kokemusmittari")

st.set_page_config(page_title="Kokemusmittari", page_icon=str(ICON), layout="wide")

# Streamlit's uploader states its own (English, and higher) size limit; ours is stated in
# the chosen language under the uploader instead
st.html("<style>[data-testid='stFileUploaderDropzoneInstructions'] {display: none;}</style>")
# a tile's label and a download button's text wrap onto a second line rather than end in "…":
# "Kokemustoimijoiden osallistumiskerrat" and "CSV: Kapasiteetti" did not fit a narrow column
st.html("<style>[data-testid='stMetricLabel'] *, [data-testid='stDownloadButton'] button * "
        "{white-space: normal !important; overflow: visible !important; text-overflow: clip !important;}"
        "</style>")
# back from signing in or out: the language, filters and page the person had (ui/auth.py)
returning_to = auth.take_place()
lang = frame.render_language_picker()
st.html(frame.widget_texts_style(lang))
st.html(frame.accessibility_markup(lang), unsafe_allow_javascript=True)
# before st.navigation below has run, Streamlit lists the pages/ folder's files in the sidebar
# (the multipage mode of old): a run that stops before it shows its message without that list
NO_PAGE_LIST = "<style>[data-testid='stSidebarNav'] {display: none;}</style>"


def stop_with(say, text: str, icon: str) -> None:
    """End the run with one sentence (`say`: st.error or st.warning), no page list, no figure."""
    st.html(NO_PAGE_LIST)
    say(text, icon=icon)
    st.stop()


try:
    settings = frame.get_settings()
except SettingsError as error:  # a setting the app would misread (a threshold of 1 protects nothing)
    log.error("%s", error)
    stop_with(st.error, frame.settings_error_text(lang, error), ":material/settings_alert:")
try:
    warehouse = frame.get_warehouse()
except WarehouseBusy:  # an import or a backup holds the file a moment: said, and the next click retries
    log.warning("the warehouse file is held by another process; the visitor was asked to wait")
    stop_with(st.warning, i18n.t(lang, "frame.warehouse_busy"), ":material/hourglass_top:")
except WarehouseTooNew as error:  # a newer installation upgraded it: this one must not write it
    log.error("%s", error)
    stop_with(st.error, i18n.t(lang, "frame.warehouse_too_new"), ":material/update:")
# who is looking, read again on every run: a changed role holds from the next click
viewer = auth.current_viewer(lang, settings, warehouse)

# every page of the app and the roles that may open it; each page checks the role itself too.
# One flat list, figures first, then the data pages: Streamlit's navigation with sections
# writes its links outside any list (<ul><div><li>), which screen readers cannot announce as
# a list (axe: list, listitem); the flat one is a proper <ul> of <li> (docs/accessibility.md)
PAGES = (
    ("pages/overview.py", "overview", ":material/dashboard:", frame.ALL_ROLES),
    ("pages/activity.py", "activity", ":material/groups:", frame.ALL_ROLES),
    ("pages/attitudes.py", "attitudes", ":material/psychology:", frame.ALL_ROLES),
    ("pages/demand.py", "demand", ":material/account_balance:", frame.ALL_ROLES),
    ("pages/completeness.py", "completeness", ":material/fact_check:", frame.ALL_ROLES),
    ("pages/present.py", "present", ":material/slideshow:", frame.ALL_ROLES),
    ("pages/upload.py", "upload", ":material/upload_file:", frame.UPLOAD_ROLES),
    ("pages/admin.py", "admin", ":material/admin_panel_settings:", frame.LEADERSHIP),
    ("pages/audit.py", "audit", ":material/history:", frame.LEADERSHIP),
)

# The Overview is the app's root address (/); its name, /overview, as every other page has one,
# opens it too (Streamlit's default page answers to / alone: /overview showed its English
# "Page not found" dialog). The root's own path name is never shown.
HOME = "home"
# pages that show no figure: the sidebar's period and scope pickers would change nothing there
PAGES_WITHOUT_FILTERS = ("upload", "admin", "audit")
# pages that compare the period with another ("" is the root, the Overview): elsewhere a
# comparison picker was chosen and nothing on the page changed (a member's walk-through)
PAGES_WITH_COMPARISON = ("", "overview", "activity", "present")

if viewer is None:
    # no figure, no filter: every address of the app shows why, and how to get in
    paths = [HOME] + [key for _, key, _, _ in PAGES]   # the root, and every page's name (/overview too)
    gate = [st.Page(lambda path=path: auth.render_gate(lang, settings, path), title=i18n.t(lang, "access.page_title"),
                    url_path=path, default=path == HOME)
            for path in paths]
    gate_navigation = st.navigation(gate, position="hidden")
    auth.go_to_place(returning_to, gate_navigation, gate)
    gate_navigation.run()
    st.stop()

version = frame.data_version(warehouse)
role = viewer.role


def page(path: str, key: str, icon: str, roles: frozenset, alias: bool = False) -> st.Page:
    # a page outside the role is not in the menu; its address still runs the page, which
    # answers with a sentence (require_role), never with its content
    home = key == "overview" and not alias
    return st.Page(path, title=i18n.t(lang, f"nav.{key}"), icon=icon, url_path=HOME if home else key, default=home,
                   visibility="visible" if role in roles and not alias else "hidden")


# The scripts live in pages/, which switches Streamlit into its old multipage mode until
# some session has run st.navigation: a deep link (/upload) as a fresh server's first
# request would run the page script alone, without this frame. Every page starts with
# ui.context.page_context(), which notices that run and reruns it through this frame
# (tests/test_browser_deep_link.py proves it under `streamlit run app.py`).
app_pages = [page(*entry) for entry in PAGES] + [page(*PAGES[0], alias=True)]
navigation = st.navigation(app_pages)
auth.go_to_place(returning_to, navigation, app_pages)
frame.render_viewer(lang, viewer, warehouse, navigation.url_path)

st.sidebar.divider()
span = frame.data_span(warehouse, version)
frame.carry_choices()
if navigation.url_path in PAGES_WITHOUT_FILTERS:
    # pages about the app itself, or sending data, not about a period: no filters to mislead (a
    # member's walk-through read the period and the organisations on the upload page, where they
    # change nothing); the address keeps them for the next page
    period, compare = default_period(local_today(), span[1] if span else None), "previous"
    scope = Scope(exact=frame.exact_view(viewer, None), threshold=settings.suppression_threshold)
else:
    period = frame.render_period_picker(lang, local_today(), span)
    compare = (frame.render_comparison_picker(lang) if navigation.url_path in PAGES_WITH_COMPARISON
               else frame.current_comparison())
    scope = frame.render_scope_pickers(lang, warehouse, version, viewer)
frame.keep_choices()
frame.store_context(frame.PageContext(
    lang=lang, warehouse=warehouse, settings=settings, role=role, period=period, scope=scope,
    data_version=version, today=local_today(), compare=compare, viewer=viewer,
))

if not presenting(navigation.url_path):  # a slide fills the screen on its own
    if frame.demo_rows_present(warehouse, version):
        st.info(i18n.t(lang, "frame.demo_notice"), icon=":material/science:")
    st.title(navigation.title)
try:
    navigation.run()
except Exception:  # st.stop() and st.rerun() are BaseExceptions: they pass through
    # the viewer reads a sentence; the detail, with its traceback, goes to the server's log
    log.exception("page %r failed", navigation.url_path)
    st.error(i18n.t(lang, "frame.page_failed"), icon=":material/error:")

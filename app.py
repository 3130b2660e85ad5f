"""Kokemusmittari — the frame: page config, language, viewer, navigation, shared filters."""

from datetime import date
from pathlib import Path

import streamlit as st
from streamlit.logger import get_logger

import i18n
from ui import context as frame

# the icon ships with the app (a :material/…: icon would be fetched from fonts.gstatic.com)
ICON = Path(__file__).resolve().parent / "assets" / "kokemusmittari.svg"
log = get_logger("kokemusmittari")

st.set_page_config(page_title="Kokemusmittari", page_icon=str(ICON), layout="wide")

# Streamlit's uploader states its own (English, and higher) size limit; ours is stated in
# the chosen language under the uploader instead
st.html("<style>[data-testid='stFileUploaderDropzoneInstructions'] {display: none;}</style>")
lang = frame.render_language_picker()
st.html(frame.widget_texts_style(lang))
settings = frame.get_settings()
warehouse = frame.get_warehouse()
version = frame.data_version(warehouse)
role = settings.view_role


def page(path: str, key: str, icon: str, default: bool = False) -> st.Page:
    return st.Page(path, title=i18n.t(lang, f"nav.{key}"), icon=icon, url_path=key, default=default)


# Every page is listed here explicitly; each page checks the viewer's role itself.
# The scripts live in pages/, which switches Streamlit into its old multipage mode until
# some session has run st.navigation: a deep link (/upload) as a fresh server's first
# request would run the page script alone, without this frame. Every page starts with
# ui.context.page_context(), which notices that run and reruns it through this frame
# (tests/test_browser_deep_link.py proves it under `streamlit run app.py`).
pages = {
    i18n.t(lang, "nav.section_figures"): [
        page("pages/overview.py", "overview", ":material/dashboard:", default=True),
        page("pages/activity.py", "activity", ":material/groups:"),
        page("pages/attitudes.py", "attitudes", ":material/psychology:"),
        page("pages/demand.py", "demand", ":material/account_balance:"),
        page("pages/completeness.py", "completeness", ":material/fact_check:"),
    ],
    i18n.t(lang, "nav.section_data"): [
        page("pages/upload.py", "upload", ":material/upload_file:"),
    ],
}
navigation = st.navigation(pages)

st.sidebar.divider()
period = frame.render_period_picker(lang, date.today(), frame.data_span(warehouse, version))
compare = frame.render_comparison_picker(lang)
scope = frame.render_scope_pickers(lang, warehouse, version, role)
frame.store_context(frame.PageContext(
    lang=lang, warehouse=warehouse, settings=settings, role=role, period=period, scope=scope,
    data_version=version, today=date.today(), compare=compare,
))

if frame.demo_rows_present(warehouse, version):
    st.info(i18n.t(lang, "frame.demo_notice"), icon=":material/science:")
st.title(navigation.title)
try:
    navigation.run()
except Exception:  # st.stop() and st.rerun() are BaseExceptions: they pass through
    # the viewer reads a sentence; the detail, with its traceback, goes to the server's log
    log.exception("page %r failed", navigation.url_path)
    st.error(i18n.t(lang, "frame.page_failed"), icon=":material/error:")

"""Board presentation: the chosen period and scope as full-screen slides, and the board pack
to download (PowerPoint or PDF). Figures are protected as for a board viewer, whoever presents.
"""

import streamlit as st

from boardpack import DEFAULT_ACCENT, FORMATS, MIME, PackSettingError, brand_files, branding, build_pack, file_name
from boardpack.deck import Slide, as_board, build_slides, network_name
from boardpack.pictures import slide_spec
from ui.context import ALL_ROLES, page_context, require_role
from ui.present import PRESENTING, SLIDE, chart_height, presentation_style
from ui.safe_text import escape_markdown
from ui.widgets import metric_delta

ctx = page_context()
require_role(ctx, ALL_ROLES)
board = as_board(ctx)
try:
    # checked, not drawn: the picture is drawn for the pack only, when it is built
    network, accent, logo = brand_files(ctx.settings, ctx.lang)
except PackSettingError as error:  # a wrong logo or colour setting: said, and the slides still shown
    st.error(error.message(ctx.lang), icon=":material/error:")
    network, accent, logo = network_name(ctx.settings, ctx.lang), DEFAULT_ACCENT, None
# what the figures depend on: slides and a pack built for other choices are never shown for these
choice = (ctx.lang, ctx.period.code, ctx.compare, board.scope, ctx.data_version, network)
# the slides are built once for a choice, not again at every arrow key
made = st.session_state.get("present_slides")
if made is None or made[0] != choice:
    made = st.session_state["present_slides"] = (choice, build_slides(ctx, network))
slides = made[1]


def go(step: int) -> None:
    st.session_state[SLIDE] = min(max(st.session_state.get(SLIDE, 0) + step, 0), len(slides) - 1)


def stop_presenting() -> None:
    st.session_state[PRESENTING] = False


def start_presenting() -> None:
    st.session_state[PRESENTING], st.session_state[SLIDE] = True, 0


def show_slide(slide: Slide) -> None:
    if slide.kind == "title":
        st.space(90)
        if logo:
            st.image(logo.read_text(encoding="utf-8") if logo.suffix.lower() == ".svg" else str(logo),
                     width=140, alt=network)
        st.markdown(f"# {escape_markdown(slide.title)}")
        st.markdown(f"## {escape_markdown(slide.sentences)}")
        st.markdown(f"### {escape_markdown(slide.subtitle)}")
        st.caption(escape_markdown(slide.footnote))
        return
    st.markdown(f"# {escape_markdown(slide.title)}")
    if slide.sentences:
        st.markdown(escape_markdown(slide.sentences))
    if slide.kind == "figures":
        for row in (slide.tiles[:3], slide.tiles[3:]):
            for column, tile in zip(st.columns(3), row):
                column.metric(tile.label, tile.value, **metric_delta(tile.delta, tile.colour), border=True)
    elif not slide.empty:
        st.vega_lite_chart(spec=slide_spec(slide.view.chart, width="container", font_scale=1.8,
                                           height=chart_height(slide.sentences)),
                           width="stretch", theme=None)  # its text alternative is the chart's own description
    st.caption(escape_markdown(slide.footnote))


if st.session_state.get(PRESENTING):
    st.html(presentation_style(accent))
    index = min(st.session_state.get(SLIDE, 0), len(slides) - 1)
    show_slide(slides[index])
    # the exit is the longest text ("Avsluta presentationen", beside its "Esc"): it was cut at 1400 px
    back, where, forward, leave = st.columns([2, 2, 2, 3], vertical_alignment="center")
    back.button(ctx.t("present.previous"), key="present_previous", on_click=go, args=(-1,), shortcut="Left",
                icon=":material/arrow_back:", disabled=index == 0, width="stretch")
    where.markdown(ctx.t("present.slide_of", n=index + 1, total=len(slides)))
    forward.button(ctx.t("present.next"), key="present_next", on_click=go, args=(1,), shortcut="Right",
                   icon=":material/arrow_forward:", disabled=index == len(slides) - 1, width="stretch")
    leave.button(ctx.t("present.exit"), key="present_exit", on_click=stop_presenting, shortcut="Esc",
                 icon=":material/close:", width="stretch")
    st.stop()

st.markdown(ctx.t("present.intro"))
st.button(ctx.t("present.start"), type="primary", on_click=start_presenting, icon=":material/slideshow:")
st.caption(ctx.t("present.keys_hint"))

fmt = st.radio(ctx.t("present.format"), FORMATS, horizontal=True, key="present_format",
               format_func=lambda code: {"pptx": "PowerPoint (.pptx)", "pdf": "PDF"}[code])
built = st.session_state.get("present_built")
if built is not None and built[0] != (*choice, fmt):
    built = None
if st.button(ctx.t("present.build"), icon=":material/description:", disabled=logo is None):
    try:
        branding(ctx.settings, ctx.lang)   # the logo drawn: a damaged file is said here, not in the writer
    except PackSettingError as error:
        st.error(error.message(ctx.lang), icon=":material/error:")
        st.stop()
    bar = st.progress(0.0, text=ctx.t("present.building", done=0, total="…"))

    def progress(done: int, total: int) -> None:
        bar.progress(done / total, text=ctx.t("present.building", done=done, total=total))

    built = ((*choice, fmt), build_pack(ctx, fmt, progress))
    st.session_state["present_built"] = built
    bar.empty()
if built is not None:
    st.success(ctx.t("present.ready", slides=len(slides)), icon=":material/check_circle:")
    st.download_button(ctx.t(f"present.download_{fmt}"), built[1], file_name=file_name(ctx, fmt), mime=MIME[fmt],
                       on_click="ignore", type="primary", icon=":material/download:")

st.subheader(ctx.t("present.contents"))
st.markdown("\n".join(f"{number}. {escape_markdown(slide.title)}" for number, slide in enumerate(slides, start=1)))

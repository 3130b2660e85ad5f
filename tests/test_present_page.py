"""AppTests of the presentation page: slides one by one, and the board pack built and offered."""

import io

import pytest
from helpers_warehouse import demo_file
from pptx import Presentation
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

import i18n
from boardpack.deck import plain
from ui.present import PRESENTING

APP = "../app.py"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    return demo_file(tmp_path_factory.mktemp("present"))


def open_present(db, monkeypatch, lang: str = "fi", role: str = "leadership", **env) -> AppTest:
    monkeypatch.setenv("KOKEMUSMITTARI_DB", str(db))
    monkeypatch.setenv("KOKEMUSMITTARI_VIEW_ROLE", role)
    for name, value in env.items():
        monkeypatch.setenv(f"KOKEMUSMITTARI_{name.upper()}", value)
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["lang"] = lang
    at.switch_page("pages/present.py")
    at.run()
    assert not at.exception, at.exception
    return at


def button(at, key: str):
    return next(b for b in at.button if b.label == key)


def texts(at) -> str:
    """What the page says, its Markdown escapes taken out."""
    return plain(" ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption))


@pytest.mark.parametrize("lang", ["fi"])   # Swedish: the browser test
def test_slides_one_by_one_then_back_to_the_page(demo_db, monkeypatch, lang):
    at = open_present(demo_db, monkeypatch, lang)
    assert at.title[0].value == i18n.t(lang, "nav.present")
    button(at, i18n.t(lang, "present.start")).click().run()
    assert at.session_state[PRESENTING]
    assert not at.title                                   # the slide is the whole screen
    assert i18n.t(lang, "pack.default_network") in texts(at)
    assert i18n.t(lang, "present.slide_of", n=1, total=15) in texts(at)
    assert button(at, i18n.t(lang, "present.previous")).disabled
    button(at, i18n.t(lang, "present.next")).click().run()
    assert i18n.t(lang, "present.slide_of", n=2, total=15) in texts(at)
    assert i18n.t(lang, "pack.key_figures") in texts(at)
    assert len(at.metric) == 6
    button(at, i18n.t(lang, "present.next")).click().run()
    assert len(at.get("vega_lite_chart")) + len(at.get("arrow_vega_lite_chart")) == 1
    clicks = 2
    while not button(at, i18n.t(lang, "present.next")).disabled and clicks < 20:
        button(at, i18n.t(lang, "present.next")).click().run()
        clicks += 1
        assert not at.exception, at.exception
    assert clicks == 14                                   # the last slide is the 15th, and stays
    assert i18n.t(lang, "present.slide_of", n=15, total=15) in texts(at)
    button(at, i18n.t(lang, "present.exit")).click().run()
    assert at.title[0].value == i18n.t(lang, "nav.present")
    assert not at.exception


@pytest.mark.parametrize("fmt", ["pdf"])   # the .pptx: the browser test downloads it
def test_the_board_pack_is_built_and_offered_for_download(demo_db, monkeypatch, fmt):
    at = open_present(demo_db, monkeypatch, "sv")
    at.radio(key="present_format").set_value(fmt).run()
    button(at, i18n.t("sv", "present.build")).click().run()
    assert not at.exception
    assert [s.value for s in at.success] == [i18n.t("sv", "present.ready", slides=15)]
    offered = at.get("download_button")
    assert len(offered) == 1
    content = at.session_state["present_built"][1]
    opened = Presentation(io.BytesIO(content)).slides if fmt == "pptx" else PdfReader(io.BytesIO(content)).pages
    assert len(opened) == 15
    # another period is another pack: the one built is no longer offered
    at.selectbox(key="frame_kind_sv").set_value("last3").run()
    assert not at.get("download_button")


def test_a_board_viewer_presents_too(demo_db, monkeypatch):
    at = open_present(demo_db, monkeypatch, "en", role="board")
    button(at, i18n.t("en", "present.start")).click().run()
    assert i18n.t("en", "present.slide_of", n=1, total=15) in texts(at)


def test_a_wrong_brand_setting_is_said_and_the_slides_still_shown(demo_db, monkeypatch):
    at = open_present(demo_db, monkeypatch, "en", brand_colour="navy")
    assert [e.value for e in at.error] == [i18n.t("en", "pack.bad_brand_colour", value="navy")]
    assert button(at, i18n.t("en", "present.build")).disabled
    button(at, i18n.t("en", "present.start")).click().run()
    assert not at.exception and i18n.t("en", "present.slide_of", n=1, total=15) in texts(at)

"""AppTests of every figures page on the demo network, in three languages and as a board viewer."""

from datetime import date

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import i18n
from demo.load import load_demo
from warehouse import Warehouse

APP = "../app.py"
PAGES = {
    "pages/activity.py": {"fi": "Toiminnan määrä", "sv": "Verksamhetens omfattning", "en": "Activity volume"},
    "pages/attitudes.py": {"fi": "Asenteiden muutos", "sv": "Attitydförändring", "en": "Attitude change"},
    "pages/demand.py": {"fi": "Julkisen sektorin kysyntä", "sv": "Offentlig efterfrågan",
                            "en": "Public-sector demand"},
    "pages/completeness.py": {"fi": "Raportoinnin kattavuus", "sv": "Rapporteringens täckning",
                                  "en": "Reporting completeness"},
}
# one word each page's opening sentences must hold, per language
OPENING = {
    "pages/activity.py": {"fi": "Vertaistukitapaamisia", "sv": "Kamratstödsträffarna", "en": "peer-support"},
    "pages/attitudes.py": {"fi": "kysyvästi", "sv": "frågande", "en": "curious"},
    "pages/demand.py": {"fi": "täyttämättä", "sv": "ouppfyllda", "en": "unmet"},
    "pages/completeness.py": {"fi": "raportoitiin", "sv": "rapporterades", "en": "reported"},
}


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("pages") / "demo.duckdb"
    with Warehouse(str(path)) as wh:
        load_demo(wh, date.today())
    return path


def open_page(db, monkeypatch, page: str, lang: str, role: str = "leadership", **params) -> AppTest:
    monkeypatch.setenv("KOKEMUSMITTARI_DB", str(db))
    monkeypatch.setenv("KOKEMUSMITTARI_VIEW_ROLE", role)
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["lang"] = lang
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(page)
    at.run()
    return at


def charts_of(at) -> int:
    return len(at.get("arrow_vega_lite_chart")) + len(at.get("vega_lite_chart"))


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
@pytest.mark.parametrize("page", list(PAGES))
def test_page_renders_in_every_language(demo_db, monkeypatch, page, lang):
    at = open_page(demo_db, monkeypatch, page, lang)
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == PAGES[page][lang]
    assert OPENING[page][lang] in at.markdown[0].value
    assert charts_of(at) >= 1
    assert len(at.expander) >= 1  # every chart has its data table


def shown_counts(at) -> list:
    """Every whole number in the tables shown (shares and means are floats, counts are not)."""
    values = []
    for frame in at.dataframe:
        table = frame.value
        for column in table.columns:
            values += [v for v in table[column] if isinstance(v, (int, np.integer)) and not isinstance(v, bool)]
    return values


@pytest.mark.parametrize("page", ["pages/activity.py", "pages/attitudes.py", "pages/demand.py"])
def test_board_view_shows_no_count_under_five(demo_db, monkeypatch, page):
    # one organisation over its last month: the demo has small counts on every page there
    last = date.today().replace(day=1) - pd.Timedelta(days=1)
    at = open_page(demo_db, monkeypatch, page, "fi", role="board", org="demo_majakka", period=f"{last:%Y-%m}")
    assert not at.exception, [e.value for e in at.exception]
    small = [v for v in shown_counts(at) if 1 <= v <= 4]
    assert small == []
    hidden = [v for frame in at.dataframe for column in frame.value.columns for v in frame.value[column]
              if v in ("<5", "..")]
    assert hidden, "a single organisation's month should hide something"


def test_demand_for_a_sector_that_sends_no_requests(demo_db, monkeypatch):
    # the issue's own link on the demo: /demand?sector=jarjesto failed with KeyError: 'status_order'
    at = open_page(demo_db, monkeypatch, "pages/demand.py", "fi", sector="jarjesto")
    assert not at.exception, [e.value for e in at.exception]
    period = at.session_state["frame_context"].period.label("fi")
    assert at.markdown[0].value == i18n.t("fi", "narrative.no_demand", period=period)
    status_title = i18n.t("fi", "demand.status_title")
    assert i18n.t("fi", "common.chart_no_data", title=status_title) in [i.value for i in at.info]

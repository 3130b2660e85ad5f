"""AppTests of the frame, the Overview and the upload page on a real warehouse file."""

import json
import logging
import re
import tomllib
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from demo.load import load_demo
from i18n.formats import fmt_number, fmt_share
from queries.figures import compute_figures
from queries.periods import add_months, default_period
from queries.scope import Scope
from warehouse import Warehouse
from warehouse.organisations import add_organisation

APP = "../app.py"  # AppTest resolves paths relative to this file
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("apptest") / "demo.duckdb"
    with Warehouse(str(path)) as wh:
        load_demo(wh, date.today())
        last = wh.cursor().execute("select max(period_month) from current_sheet_months").fetchone()[0]
        # the page opens on the latest six months with data
        expected = compute_figures(wh, default_period(date.today(), last), Scope())
    return path, expected


@pytest.fixture
def app(demo_db, monkeypatch):
    monkeypatch.setenv("KOKEMUSMITTARI_DB", str(demo_db[0]))
    monkeypatch.setenv("KOKEMUSMITTARI_VIEW_ROLE", "leadership")
    at = AppTest.from_file(APP, default_timeout=90)
    # each test gets the app's own cached warehouse connection anew
    at.run()
    return at


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


@pytest.mark.parametrize(("lang", "total_label", "title"), [
    ("fi", "Toiminta yhteensä", "Yleiskuva"),
    ("sv", "Verksamhet totalt", "Översikt"),
    ("en", "All activities", "Overview"),
])
def test_overview_tiles_equal_the_figures(app, demo_db, lang, total_label, title):
    expected = demo_db[1]
    app.query_params["lang"] = lang
    app.session_state["frame_lang"] = lang
    app.run()
    assert not app.exception
    assert app.title[0].value == title
    tiles = metrics(app)
    assert tiles[total_label] == fmt_number(expected["activities"]["total"], lang)
    assert fmt_share(expected["completeness"]["rate"], lang) in tiles.values()
    assert len(app.get("arrow_vega_lite_chart")) + len(app.get("vega_lite_chart")) >= 1


def test_a_tile_that_did_not_change_has_no_arrow_and_a_changed_one_has(app, tmp_path, monkeypatch):
    from streamlit.proto.Metric_pb2 import Metric

    # the demo network: its tiles change against the previous period, each with its arrow
    changed = [m for m in app.metric if m.delta and not m.delta.startswith("±")]
    assert changed and all(m.proto.direction in (Metric.MetricDirection.UP, Metric.MetricDirection.DOWN)
                           for m in changed)
    # an organisation that has reported nothing yet: 0 % both times, "±0,0" and no arrow
    warehouse_with_one_org(tmp_path, monkeypatch)
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    tile = next(m for m in at.metric if m.label == "Raportoinnin kattavuus")
    assert (tile.value, tile.delta) == (fmt_share(0.0, "fi"), "±0,0\u00a0%-yks.")
    assert tile.proto.direction == Metric.MetricDirection.NONE


def small_count_scope(db, group: str, viewer: Scope) -> dict:
    """Query parameters of an organisation, month (and sector, if needed) whose `group` count,
    as `viewer` sees it, is small (1–4 or "<5"), and that count."""
    from data_sources.vocabulary import SECTORS
    from demo.network import DEMO_ORGS
    from queries.periods import Period, add_months, last_complete_month

    last = last_complete_month(date.today()).to_month
    with Warehouse(str(db)) as wh:
        for sector in (None, *SECTORS):
            for back in range(24):
                month = add_months(last, -back)
                period = Period(month, month)
                for org in DEMO_ORGS:
                    scope = Scope(org_codes=(org.code,), sectors=(sector,) if sector else None, exact=viewer.exact)
                    count = compute_figures(wh, period, scope)["activities"][group]
                    if count == "<5" or (isinstance(count, int) and 1 <= count <= 4):
                        params = {"org": org.code, "period": period.code, **({"sector": sector} if sector else {})}
                        return {"params": params, "count": count}
    raise AssertionError(f"the demo network has no month with a small {group} count")


def board_tiles(db, monkeypatch, params: dict) -> dict:
    monkeypatch.setenv("KOKEMUSMITTARI_DB", str(db))
    monkeypatch.setenv("KOKEMUSMITTARI_VIEW_ROLE", "board")
    at = AppTest.from_file(APP, default_timeout=90)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    return metrics(at)


def test_the_board_view_hides_small_client_work(demo_db, monkeypatch):
    found = small_count_scope(demo_db[0], "client_work", Scope(exact=False))
    assert found["count"] == "<5"
    assert board_tiles(demo_db[0], monkeypatch, found["params"])["Asiakastyö"] == "<5"


def test_the_board_view_shows_small_organisational_work_as_it_is(demo_db, monkeypatch):
    found = small_count_scope(demo_db[0], "development_advocacy", Scope(exact=True))
    tiles = board_tiles(demo_db[0], monkeypatch, found["params"])
    assert tiles["Kehittäminen ja vaikuttaminen"] == str(found["count"])


def warehouse_with_one_org(tmp_path, monkeypatch):
    """A fresh warehouse file with one registered organisation, which the app will open."""
    db = tmp_path / "wh.duckdb"
    with Warehouse(str(db)) as wh:
        add_organisation(wh, "kokeilu", "Kokeilu ry", start_month=date(2025, 1, 1))
    monkeypatch.setenv("KOKEMUSMITTARI_DB", str(db))
    return db


def test_upload_page_checks_previews_stores_and_rolls_back(tmp_path, monkeypatch):
    db = warehouse_with_one_org(tmp_path, monkeypatch)
    at = AppTest.from_file(APP, default_timeout=90)
    at.switch_page("pages/upload.py")
    at.run()
    at.selectbox(key="upload_org").set_value("kokeilu")
    assert not at.exception
    assert [b.label for b in at.get("download_button")][:2] == ["Lataa Excel-pohja", "CSV: Toiminta"]

    good = "Päivämäärä;Toimintamuoto;Lukumäärä\n1/2025;Vertaistukitapaaminen;12\n2/2025;Muu;1\n".encode()
    at.get("file_uploader")[0].upload("toiminta.csv", good, "text/csv")
    at.run()
    texts = [m.value for m in at.markdown]
    assert "Tallennus lisää 2 riviä kuukausille 1–2/2025 eikä korvaa aiempia tietoja." in texts
    at.button(key=next(b.key for b in at.button if b.label == "Vahvista ja tallenna")).click()
    at.run()
    assert any("2 riviä lisätty" in s.value for s in at.success)
    with Warehouse(str(db)) as wh:
        assert wh.cursor().execute("select sum(count_activities) from activities").fetchone()[0] == 13

    at.checkbox(key="upload_rollback_sure").check()
    at.run()
    at.button(key="upload_rollback_go").click()
    at.run()
    assert not at.exception
    with Warehouse(str(db)) as wh:
        assert wh.cursor().execute("select count(*) from activities").fetchone()[0] == 0


def test_upload_page_refuses_with_the_row_to_fix(tmp_path, monkeypatch):
    db = warehouse_with_one_org(tmp_path, monkeypatch)
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["lang"] = "en"
    at.switch_page("pages/upload.py")
    at.run()
    at.selectbox(key="upload_org").set_value("kokeilu")
    bad = "Päivämäärä;Toimintamuoto;Lukumäärä\n1/2025;Vertaistukitapaaminen;-2\n".encode()
    at.get("file_uploader")[0].upload("bad.csv", bad, "text/csv")
    at.run()
    assert any("was not saved" in e.value for e in at.error)
    table = at.dataframe[0].value
    assert list(table.iloc[0][["Row", "Column"]]) == ["2", "Lukumäärä"]
    assert not [b for b in at.button if b.label == "Confirm and save"]
    assert refusals_logged(db) == [("bad.csv", ["negative_number"])]  # the codes, not the -2


def refusals_logged(db) -> list[tuple[str, list[str]]]:
    """(file name, problem codes) of each refusal in the audit log."""
    with Warehouse(str(db)) as wh:
        rows = wh.cursor().execute(
            "select file_name, details from audit_log where action = 'upload_refused' order by event_id").fetchall()
    return [(name, json.loads(details)["codes"]) for name, details in rows]


def test_several_files_at_once_each_get_their_own_check(tmp_path, monkeypatch):
    db = warehouse_with_one_org(tmp_path, monkeypatch)
    at = AppTest.from_file(APP, default_timeout=90)
    at.switch_page("pages/upload.py")
    at.run()
    at.selectbox(key="upload_org").set_value("kokeilu")
    uploader = at.get("file_uploader")[0]
    uploader.upload("tammi.csv", "Päivämäärä;Toimintamuoto;Lukumäärä\n1/2025;Muu;2\n".encode(), "text/csv")
    uploader.upload("helmi.csv", "Päivämäärä;Toimintamuoto;Lukumäärä\n2/2025;Muu;x\n2/2025;Muu;3\n".encode(),
                    "text/csv")
    uploader.upload("rikki.csv", "Päivämäärä;Toimintamuoto\n13/2025;Muu\n".encode(), "text/csv")
    at.run()
    texts = [m.value for m in at.markdown]
    assert "Tallennus lisää 1 rivin kuukaudelle 1/2025 eikä korvaa aiempia tietoja." in texts
    assert "Tallennus lisää 2 riviä kuukaudelle 2/2025 eikä korvaa aiempia tietoja." in texts
    assert len(at.error) == 1 and "1 korjattava kohta" in at.error[0].value
    assert len([b for b in at.button if b.label == "Vahvista ja tallenna"]) == 2
    assert [name for name, _ in refusals_logged(db)] == ["rikki.csv"]


def test_no_organisation_is_preselected_and_the_files_own_column_proposes_one(tmp_path, monkeypatch):
    db = warehouse_with_one_org(tmp_path, monkeypatch)
    at = AppTest.from_file(APP, default_timeout=90)
    at.switch_page("pages/upload.py")
    at.run()
    assert at.selectbox(key="upload_org").value is None
    uploader = at.get("file_uploader")[0]
    uploader.upload("ilman.csv", "Päivämäärä;Toimintamuoto;Lukumäärä\n1/2025;Muu;2\n".encode(), "text/csv")
    uploader.upload("kanssa.csv", "Organisaatio;Päivämäärä;Toimintamuoto;Lukumäärä\nKokeilu ry;1/2025;Muu;2\n"
                    .encode(), "text/csv")
    at.run()
    infos = [i.value for i in at.info]
    # a file without the column asks for a choice instead of refusing; one with it proposes
    assert "Valitse ensin yllä järjestö, jonka tiedot lähetät – tai lisää tiedostoon Organisaatio-sarake." in infos
    assert any("rivit kuuluvat järjestölle Kokeilu ry" in text for text in infos)
    assert len(at.error) == 0
    assert refusals_logged(db) == []


def test_the_preview_of_a_corrected_resend_shows_each_months_totals_before_and_after(tmp_path, monkeypatch):
    warehouse_with_one_org(tmp_path, monkeypatch)
    at = AppTest.from_file(APP, default_timeout=90)
    at.switch_page("pages/upload.py")
    at.run()
    at.selectbox(key="upload_org").set_value("kokeilu")
    first = "Päivämäärä;Toimintamuoto;Lukumäärä\n3/2025;Muu;30\n3/2025;Ammattilaisten koulutus;10\n4/2025;Muu;8\n"
    at.get("file_uploader")[0].upload("maalis.csv", first.encode(), "text/csv")
    at.run()
    at.button(key=next(b.key for b in at.button if b.label == "Vahvista ja tallenna")).click()
    at.run()
    at.get("file_uploader")[0].clear()
    at.run()
    corrected = "Päivämäärä;Toimintamuoto;Lukumäärä\n3/2025;Muu;4\n4/2025;Muu;6\n"
    at.get("file_uploader")[0].upload("korjaus.csv", corrected.encode(), "text/csv")
    at.run()
    assert not at.exception
    table = next(frame.value for frame in at.dataframe if "Vahvistuksen jälkeen" in frame.value.columns)
    seen = table[["Kuukausi", "Mitä lasketaan", "Nyt tallennettu", "Vahvistuksen jälkeen", "Suuri muutos"]]
    assert seen.values.tolist() == [["3/2025", "toimintakertoja", "40", "4", "⚠ yli puolet"],
                                    ["4/2025", "toimintakertoja", "8", "6", ""]]
    replaces = table["Korvaa lähetyksen"].tolist()
    assert all(text.startswith("maalis.csv, ") and text.endswith(", lähettäjä paikallinen käyttäjä")
               for text in replaces)
    assert " EET" in replaces[0] or " EEST" in replaces[0]      # Helsinki time, the zone named
    assert [w.value for w in at.warning] == [
        "Suuri muutos: Toiminta, maaliskuu 2025: toimintakertoja 40 → 4. Tarkista, että tämä on tarkoitus,"
        " ennen kuin vahvistat."]


def broken_warehouse(tmp_path, monkeypatch):
    """A warehouse file that lost the macro the demand queries read through: a real fault,
    not a test hook (as a half-applied manual repair or a damaged file would leave it)."""
    db = tmp_path / "broken.duckdb"
    with Warehouse(str(db)) as wh:
        add_organisation(wh, "kokeilu", "Kokeilu ry", start_month=date(2025, 1, 1))
        with wh.transaction() as cur:
            cur.execute("drop macro table public_demand_in_scope")
    monkeypatch.setenv("KOKEMUSMITTARI_DB", str(db))
    return db


class Records(logging.Handler):
    def __init__(self):
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


@pytest.mark.parametrize(("lang", "sentence"), [
    ("fi", "Sivua ei voitu näyttää virheen vuoksi."),
    ("sv", "Sidan kunde inte visas på grund av ett fel."),
    ("en", "This page could not be shown because of an error."),
])
def test_a_failing_page_says_so_in_words_and_logs_the_detail(tmp_path, monkeypatch, lang, sentence):
    broken_warehouse(tmp_path, monkeypatch)
    records = Records()
    logging.getLogger("kokemusmittari").addHandler(records)
    try:
        at = AppTest.from_file(APP, default_timeout=90)
        at.query_params["lang"] = lang
        at.switch_page("pages/demand.py")
        at.run()
    finally:
        logging.getLogger("kokemusmittari").removeHandler(records)
    assert not at.exception  # no traceback element reaches the viewer
    assert len(at.error) == 1 and at.error[0].value.startswith(sentence)
    shown = " ".join(str(getattr(e, "value", "")) for kind in ("markdown", "error", "caption", "info", "warning")
                     for e in at.get(kind))
    for internal in ("Traceback", "public_demand_in_scope", "Catalog", ".py", str(ROOT)):
        assert internal not in shown
    # the server's log has what the viewer does not: which page, and the traceback
    [record] = [r for r in records.records if r.levelno == logging.ERROR]
    assert "demand" in record.getMessage()
    assert record.exc_info and "public_demand_in_scope" in str(record.exc_info[1])


def test_viewers_are_configured_to_see_no_error_details():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"


@pytest.mark.parametrize(("lang", "title"), [
    ("fi", "Mitä lähetät joka kuukausi"),
    ("sv", "Vad du ska skicka varje månad"),
    ("en", "What to send each month"),
])
def test_the_data_contract_on_the_upload_page_is_a_section_not_a_second_title(lang, title):
    from ui.upload_views import contract_for_page

    text = contract_for_page(lang)
    assert text.startswith(f"#### {title}\n")               # its h1, three levels down
    assert not re.search(r"^#{1,3} ", text, flags=re.M)     # the page keeps its one h1
    assert not re.search(r"\]\((?!https?:)", text)           # no link to a file the app does not serve
    # no example in it is a valid identity code (the guard's own examples are masked)
    from data_sources.personal_data import find_hetu

    assert [line for line in text.splitlines() if find_hetu(line)] == []


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_upload_page_shows_the_data_contract_in_the_viewers_language(tmp_path, monkeypatch, lang):
    import i18n
    from ui.upload_views import contract_for_page

    warehouse_with_one_org(tmp_path, monkeypatch)
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["lang"] = lang
    at.switch_page("pages/upload.py")
    at.run()
    assert not at.exception
    [guide] = [e for e in at.expander if e.label == i18n.t(lang, "upload.contract_title")]
    assert [m.value for m in guide.markdown] == [contract_for_page(lang).strip()]   # Streamlit trims it


def period_picker(at):
    return next(s for s in at.sidebar.selectbox if s.label == "Tarkastelujakso")


def test_the_pages_open_on_the_latest_six_months_with_data(app):
    assert period_picker(app).value == "last6"
    context = app.session_state["frame_context"]
    assert context.period == default_period(date.today(), add_months(date.today().replace(day=1), -1))
    assert "period" not in app.query_params     # the default stays out of a copied link


@pytest.mark.parametrize("kind, months", [("last3", 3), ("last12", 12)])
def test_a_rolling_period_is_kept_in_the_link_by_its_kind(demo_db, monkeypatch, kind, months):
    monkeypatch.setenv("KOKEMUSMITTARI_DB", str(demo_db[0]))
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["period"] = kind
    at.run()
    assert period_picker(at).value == kind
    assert at.session_state["frame_context"].period.length == months


def test_only_periods_that_overlap_the_data_are_offered(tmp_path, monkeypatch):
    # one organisation that has sent March 2025 only: no half-year without it is on offer
    from helpers_warehouse import insert_rows

    db = tmp_path / "wh.duckdb"
    with Warehouse(str(db)) as wh:
        add_organisation(wh, "kokeilu", "Kokeilu ry", start_month=date(2024, 1, 1))
        insert_rows(wh, "toiminta", [{"activity_month": "2025-03", "activity_type": "koulutus"}], org_code="kokeilu")
    monkeypatch.setenv("KOKEMUSMITTARI_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["period"] = "2025H1"
    at.run()
    assert period_picker(at).value == "half"
    halves = next(s for s in at.sidebar.selectbox if s.label == "Jakso")
    assert halves.value.code == "2025H1"
    assert len(halves.options) == 1


def test_the_comparison_can_be_the_same_period_a_year_earlier(demo_db, monkeypatch):
    monkeypatch.setenv("KOKEMUSMITTARI_DB", str(demo_db[0]))
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["compare"] = "year"
    at.run()
    assert not at.exception
    picker = next(s for s in at.sidebar.selectbox if s.label == "Vertailu")
    assert picker.value == "year"
    context = at.session_state["frame_context"]
    assert context.comparison == context.period.year_earlier()
    assert context.comparison.label("fi") in at.caption[0].value
    # the demo's June–November 2025 is complete: the change is given, against a year earlier
    assert "kuin vuotta aiemmin" in at.markdown[0].value
    picker.set_value("previous").run()
    assert "compare" not in at.query_params
    assert at.session_state["frame_context"].comparison == context.period.previous()

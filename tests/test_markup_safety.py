"""Nothing from a file or an organisation's name is rendered as Markdown or HTML: an attacker's
values go through ui.safe_text.escape_markdown wherever a page writes Markdown, and are
kept as text in tables and exports. (tests/test_browser_markup.py: the same in a browser.)"""

import io
import json
from datetime import date

import openpyxl
import pandas as pd
import pytest
from helpers_warehouse import insert_rows
from streamlit.testing.v1 import AppTest

from ui import exports
from ui.safe_text import escape_markdown
from warehouse import Warehouse
from warehouse.organisations import add_organisation

APP = "../app.py"
PIXEL = "![x](http://127.0.0.1:9/pixel.png)"
LINK = "[Istunto vanhentui – kirjaudu tästä](https://evil.example/login)"
STREAMLIT_MARKUP = ":red[Turku] :material/home: $x^2$ <img src=x>"
WJ = "\u2060"  # the word joiner escape_markdown puts in an address


@pytest.mark.parametrize("value, expected", [
    ("Turku", "Turku"),
    ("Lastensuojelu-Seura ry", r"Lastensuojelu\-Seura ry"),
    (PIXEL, r"\!\[x\]\(http\:" + WJ + r"\/\/127\.0\.0\.1\:9\/pixel\.png\)"),
    (LINK, r"\[Istunto vanhentui – kirjaudu tästä\]\(https\:" + WJ + r"\/\/evil\.example\/login\)"),
    # a bare address: GFM would link it, even escaped, but not with a word joiner in it
    ("https://evil.example", r"https\:" + WJ + r"\/\/evil\.example"),
    ("WWW.evil.example", "WWW" + WJ + r"\.evil\.example"),
    ("toimisto@evil.example", r"toimisto\@" + WJ + r"evil\.example"),
    ("**lihava** _kursiivi_ `koodi` ~~yli~~", r"\*\*lihava\*\* \_kursiivi\_ \`koodi\` \~\~yli\~\~"),
    (":red[punainen]", r"\:red\[punainen\]"),  # Streamlit's colour directive
    (":material/home:", r"\:material\/home\:"),  # Streamlit's icon
    (":smile:", r"\:smile\:"),  # an emoji shortcode
    ("$x^2$ ja $$y$$", r"\$x\^2\$ ja \$\$y\$\$"),  # LaTeX
    ("<img src=x onerror=alert(1)>", r"\<img src\=x onerror\=alert\(1\)\>"),
    ("&lt;b&gt;", r"\&lt\;b\&gt\;"),  # an entity stays as written
    ("# otsikko\n- lista\r\n> lainaus", r"\# otsikko \- lista \> lainaus"),  # one line
    ("a | b", r"a \| b"),
    ("C:\\polku", r"C\:\\polku"),
    (12, "12"),
    (None, ""),
])
def test_escape_markdown(value, expected):
    assert escape_markdown(value) == expected


def test_an_xlsx_export_keeps_an_address_as_text():
    frame = pd.DataFrame({"Järjestö": ["https://evil.example/login", LINK, "=HYPERLINK(\"x\")"]})
    book = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx_bytes(frame)))
    cells = [row[0] for row in book.active.iter_rows(min_row=2)]
    assert [c.value for c in cells] == ["https://evil.example/login", LINK, "=HYPERLINK(\"x\")"]
    assert [c.data_type for c in cells] == ["s", "s", "s"]      # text, never a formula
    assert [c.quotePrefix for c in cells] == [False, False, True]  # and stays text once edited
    assert [c.hyperlink for c in cells] == [None, None, None]


# ---- the app, on a warehouse whose outside values are an attacker's ---------------------------


@pytest.fixture
def hostile_db(tmp_path, monkeypatch):
    db = tmp_path / "hostile.duckdb"
    with Warehouse(str(db)) as wh:
        add_organisation(wh, "pixel", PIXEL, start_month=date(2020, 1, 1))
        add_organisation(wh, "link", LINK, start_month=date(2020, 1, 1))
        # an older warehouse could hold a municipality no check has seen
        insert_rows(wh, "toiminta", [{"activity_month": "2025-03", "activity_type": "muu",
                                      "municipality": STREAMLIT_MARKUP}], org_code="pixel")
    monkeypatch.setenv("KOKEMUSMITTARI_DB", str(db))
    monkeypatch.setenv("KOKEMUSMITTARI_VIEW_ROLE", "leadership")
    return db


def run_page(page: str, **params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def markdown_bodies(at) -> list[str]:
    """Every text Streamlit will render as Markdown: markdown, captions, alerts, titles."""
    return [e.value for kind in ("markdown", "caption", "error", "warning", "info", "success", "title")
            for e in at.get(kind)]


def assert_only_escaped(bodies: list[str], *values: str) -> None:
    for value in values:
        assert any(escape_markdown(value) in body for body in bodies), (value, bodies)
        # the raw value appears nowhere (escaped, its brackets and colons carry a backslash)
        assert not any(value in body for body in bodies), (value, bodies)


def test_organisation_names_in_the_overview_caption_are_text(hostile_db):
    at = run_page("pages/overview.py", org="pixel,link", period="2025H1")
    assert_only_escaped([c.value for c in at.caption], PIXEL, LINK)


def test_a_municipality_in_the_overview_caption_is_text(hostile_db):
    at = run_page("pages/overview.py", mun=STREAMLIT_MARKUP, period="2025H1")
    assert_only_escaped([c.value for c in at.caption], STREAMLIT_MARKUP)


def test_organisations_missing_last_month_are_named_as_text(hostile_db):
    at = run_page("pages/completeness.py")
    sentence = at.markdown[0].value
    assert_only_escaped([sentence], PIXEL, LINK)
    # the table shows them as they are: st.dataframe renders no Markdown
    names = set(at.dataframe[0].value["Järjestö"])
    assert names == {PIXEL, LINK}


def test_an_organisation_picker_shows_the_name_as_written(hostile_db):
    # selectbox options are plain text in the browser: escaping them would show backslashes
    assert PIXEL in run_page("pages/upload.py").selectbox(key="upload_org").options
    assert PIXEL in run_page("pages/activity.py").multiselect(key="frame_orgs_fi").options


HOSTILE_FILE = f"{LINK}.csv"
HOSTILE_CSV = f"Päivämäärä;Toimintamuoto;Lukumäärä\n1/2025;{PIXEL};3\n2/2025;Muu;{LINK}\n".encode()


def audit_rows(db) -> list[dict]:
    with Warehouse(str(db)) as wh:
        cur = wh.cursor()
        frame = cur.execute("select * from audit_log where action = 'upload_refused'").df()
    return frame.to_dict("records")


def test_a_refused_file_shows_its_name_and_values_as_text_and_is_logged_once(hostile_db):
    at = AppTest.from_file(APP, default_timeout=120)
    at.switch_page("pages/upload.py")
    at.run()
    at.selectbox(key="upload_org").set_value("pixel")
    at.get("file_uploader")[0].upload(HOSTILE_FILE, HOSTILE_CSV, "text/csv")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "2 korjattavaa kohtaa" in at.error[0].value
    bodies = markdown_bodies(at)
    assert f"**{escape_markdown(HOSTILE_FILE)}**" in bodies
    assert at.get("status")[0].label == f"Tiedosto {escape_markdown(HOSTILE_FILE)} tarkistettu"
    problems = next(body for body in bodies if body.startswith("- "))
    assert_only_escaped([problems], PIXEL, LINK)
    # the problems table holds the values as they are (it renders no Markdown)
    assert {PIXEL, LINK} <= set(at.dataframe[0].value["Arvo"])

    at.run()  # a rerun (any click) shows the same check again: it is not logged again
    at.run()
    rows = audit_rows(hostile_db)
    assert len(rows) == 1
    row = rows[0]
    assert (row["actor"], row["org_code"]) == ("local", "pixel")
    details = json.loads(row["details"])
    assert details == {"source": "app", "codes": ["bad_number", "unknown_value"], "count_problems": 2,
                       "places": [{"code": "unknown_value", "sheet": "toiminta", "row": 2},
                                  {"code": "bad_number", "sheet": "toiminta", "row": 3}]}
    everything = json.dumps(row, default=str)
    assert "pixel.png" not in everything  # the cell's value is never kept
    assert "Lukumäärä" not in everything


def test_a_file_name_is_shown_masked_as_every_answer_gives_it(hostile_db):
    # data_sources masks personal data in a file's name; the page's own heading does too
    name = "raportti 150387-123H.csv"
    at = AppTest.from_file(APP, default_timeout=120)
    at.switch_page("pages/upload.py")
    at.run()
    at.get("file_uploader")[0].upload(name, "Päivämäärä;Toimintamuoto;Lukumäärä\n1/2025;Muu;3\n".encode(),
                                      "text/csv")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert f"**{escape_markdown('raportti 150387-****.csv')}**" in markdown_bodies(at)
    assert at.get("status")[0].label == f"Tiedosto {escape_markdown('raportti 150387-****.csv')} tarkistettu"
    assert not any("123H" in body for body in markdown_bodies(at))

"""A municipality is stored once, as its Finnish name or the unknown code '?', and shown in
the page's language: by its Swedish name in Swedish, the unknown code in words; the unknown
code is no place on the white-spot map."""

import pytest
from helpers_warehouse import add_org, insert_rows
from streamlit.testing.v1 import AppTest

from warehouse import Warehouse

APP = "../app.py"


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("mun") / "wh.duckdb"
    with Warehouse(str(path)) as wh:
        add_org(wh, "org_a", "Org A", municipality="Turku")
        insert_rows(wh, "toiminta", [
            {"activity_month": "2025-03", "activity_type": "koulutus", "count_activities": 6, "municipality": "Turku"},
            {"activity_month": "2025-03", "activity_type": "koulutus", "count_activities": 7, "municipality": "?"},
            {"activity_month": "2025-03", "activity_type": "koulutus", "count_activities": 8,
             "municipality": "Parainen"},
        ])
    return path


def open_page(db, monkeypatch, page: str, lang: str) -> AppTest:
    monkeypatch.setenv("KOKEMUSMITTARI_DB", str(db))
    monkeypatch.setenv("KOKEMUSMITTARI_VIEW_ROLE", "leadership")
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"lang": lang, "period": "2025H1"})
    at.run()
    at.switch_page(f"pages/{page}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("lang, shown", [
    ("fi", {"Turku", "Parainen", "tuntematon kunta"}),
    ("sv", {"Åbo", "Pargas", "okänd kommun"}),
    ("en", {"Turku", "Parainen", "unknown municipality"}),
])
def test_the_activity_page_names_municipalities_in_its_language(db, monkeypatch, lang, shown):
    at = open_page(db, monkeypatch, "activity", lang)
    tables = [frame.value for frame in at.dataframe]
    names = {value for frame in tables for column in frame.columns for value in frame[column]
             if isinstance(value, str)}
    assert shown <= names
    assert "?" not in names
    picker = at.multiselect(key=f"frame_mun_{lang}")
    assert {picker.format_func(option) for option in picker.options} == shown
    # listed by the name shown ("Åbo" after "Nystad" in Swedish, not among the T's as Turku)
    labels = [picker.format_func(option) for option in picker.options]
    assert labels == sorted(labels, key=str.casefold)


def test_the_unknown_code_is_no_place_on_the_white_spot_map(db, monkeypatch):
    at = open_page(db, monkeypatch, "demand", "fi")
    white = next(frame.value for frame in at.dataframe if "Kunta" in frame.value.columns
                 and "Sektori" in frame.value.columns)
    assert "tuntematon kunta" not in set(white["Kunta"]) and "?" not in set(white["Kunta"])
    assert {"Turku", "Parainen"} <= set(white["Kunta"])

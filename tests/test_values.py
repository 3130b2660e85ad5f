from datetime import date, datetime, time

import pytest

from data_sources.values import (
    CellError,
    allowed_labels,
    cell_text,
    is_blank,
    parse_attitude_stage,
    parse_count,
    parse_date,
    parse_decimal,
    parse_month_of_year,
    parse_year,
    resolve_code,
    resolve_municipality,
)


@pytest.mark.parametrize("cell, expected", [
    (datetime(2025, 3, 14, 0, 0), date(2025, 3, 14)),
    (datetime(2025, 3, 14, 15, 30), date(2025, 3, 14)),
    (date(2025, 3, 14), date(2025, 3, 14)),
    (45730, date(2025, 3, 14)),                  # Excel serial in a cell formatted as a number
    (45730.0, date(2025, 3, 14)),
    ("2025-03-14", date(2025, 3, 14)),
    ("2025-03-14 00:00:00", date(2025, 3, 14)),
    ("2025-03-14T10:00", date(2025, 3, 14)),
    ("14.3.2025", date(2025, 3, 14)),
    ("14.03.2025", date(2025, 3, 14)),
    (" 14.3.2025 ", date(2025, 3, 14)),
    ("14.3.25", date(2025, 3, 14)),
    ("14/3/2025", date(2025, 3, 14)),
    ("2025-03", date(2025, 3, 1)),
    ("2025/3", date(2025, 3, 1)),
    ("3/2025", date(2025, 3, 1)),
    ("03/2025", date(2025, 3, 1)),
    ("3/25", date(2025, 3, 1)),
    ("3.2025", date(2025, 3, 1)),
    ("maaliskuu 2025", date(2025, 3, 1)),
    ("Maaliskuu 2025", date(2025, 3, 1)),
    ("MAALISKUU 2025", date(2025, 3, 1)),
    ("maalis 2025", date(2025, 3, 1)),
    ("maaliskuuta 2025", date(2025, 3, 1)),
    ("14. maaliskuuta 2025", date(2025, 3, 14)),
    ("mars 2025", date(2025, 3, 1)),
    ("Mars 2025", date(2025, 3, 1)),
    ("mar 2025", date(2025, 3, 1)),
    ("March 2025", date(2025, 3, 1)),
    ("march 2025", date(2025, 3, 1)),
    ("Mar. 2025", date(2025, 3, 1)),
    ("March 14, 2025", date(2025, 3, 14)),
    ("joulukuu 2024", date(2024, 12, 1)),
    ("december 2024", date(2024, 12, 1)),
    ("Dec 2024", date(2024, 12, 1)),
    ("touko 2025", date(2025, 5, 1)),
    ("maj 2025", date(2025, 5, 1)),
    ("kesäkuu 2025", date(2025, 6, 1)),
    ("okt 2025", date(2025, 10, 1)),
    ("\u00a014.3.2025\u00a0", date(2025, 3, 14)),        # non-breaking spaces around it
])
def test_parse_date_accepts_the_contract_forms(cell, expected):
    assert parse_date(cell) == expected


@pytest.mark.parametrize("cell, hint", [
    ("Q1/2025", "quarter"),
    ("Q1 2025", "quarter"),
    ("2025 Q2", "quarter"),
    ("1. neljännes 2025", "quarter"),
    ("kvartal 1 2025", "quarter"),
    ("1.–3.2025", "range"),
    ("1.-3.2025", "range"),
    ("1–3/2025", "range"),
    ("tammi–maalis 2025", "range"),
    ("jan-mar 2025", "range"),
    ("31.13.2025", "date"),
    ("32.1.2025", "date"),
    ("2025-13", "date"),
    ("maaliskuu", "date"),                         # no year
    ("2025", "date"),
    (2025, "date"),
    ("eilen", "date"),
    ("14.3.1925", "date"),
    (time(10, 0), "date"),
    (None, "date_blank"),
    ("  ", "date_blank"),
])
def test_parse_date_refuses_with_a_hint(cell, hint):
    with pytest.raises(CellError) as caught:
        parse_date(cell)
    assert (caught.value.code, caught.value.hint) == ("bad_date", hint)


@pytest.mark.parametrize("cell, expected", [
    (3, (3, None)), (3.0, (3, None)), ("3", (3, None)), ("03", (3, None)),
    ("maaliskuu", (3, None)), ("Maalis", (3, None)), ("mars", (3, None)), ("March", (3, None)),
    ("Mar", (3, None)), ("December", (12, None)), ("3/2024", (3, 2024)),
])
def test_parse_month_of_year(cell, expected):
    assert parse_month_of_year(cell) == expected


@pytest.mark.parametrize("cell", [13, "13", "0", "kevät"])
def test_parse_month_of_year_refuses(cell):
    with pytest.raises(CellError) as caught:
        parse_month_of_year(cell)
    assert caught.value.code == "bad_date"


@pytest.mark.parametrize("cell, expected", [(2025, 2025), (2025.0, 2025), ("2025", 2025), (" 2025 ", 2025)])
def test_parse_year(cell, expected):
    assert parse_year(cell) == expected


@pytest.mark.parametrize("cell", ["25", "vuosi", 1999, None])
def test_parse_year_refuses(cell):
    with pytest.raises(CellError):
        parse_year(cell)


@pytest.mark.parametrize("cell, blank_is_one, expected", [
    (12, False, 12),
    (12.0, False, 12),
    ("12", False, 12),
    (" 12 ", False, 12),
    ("1 234", False, 1234),
    ("1\u00a0234", False, 1234),                # non-breaking space
    ("1\u202f234", False, 1234),                # narrow no-break space
    ("12,0", False, 12),
    ("5 kpl", False, 5),
    ("-", False, 0),
    ("–", False, 0),
    ("—", False, 0),
    (0, False, 0),
    (None, False, None),
    ("", False, None),
    ("   ", False, None),
    (None, True, 1),
    ("  ", True, 1),
    ("x", True, 1),
    ("X", True, 1),
    ("✓", True, 1),
    ("✔", True, 1),
    ("-", True, 0),
    (True, False, 1),
])
def test_parse_count(cell, blank_is_one, expected):
    assert parse_count(cell, blank_is_one=blank_is_one) == expected


@pytest.mark.parametrize("cell, blank_is_one, code, hint", [
    ("n. 20", False, "bad_number", "approximate"),
    ("noin 5", False, "bad_number", "approximate"),
    ("ca 5", False, "bad_number", "approximate"),
    ("10–15", False, "bad_number", "approximate"),
    ("10-15", False, "bad_number", "approximate"),
    ("?", False, "bad_number", "approximate"),
    ("20?", False, "bad_number", "approximate"),
    ("~20", False, "bad_number", "approximate"),
    ("yli 10", False, "bad_number", "approximate"),
    ("12,5", False, "bad_number", "whole"),
    (12.5, False, "bad_number", "whole"),
    ("x", False, "bad_number", "number"),       # x means 1 only where blank means 1
    ("kaksi", False, "bad_number", "number"),
    (date(2025, 1, 1), False, "bad_number", "number"),
    ("-3", False, "negative_number", "not_negative"),
    ("−3", True, "negative_number", "not_negative"),
    (-1, False, "negative_number", "not_negative"),
])
def test_parse_count_refuses(cell, blank_is_one, code, hint):
    with pytest.raises(CellError) as caught:
        parse_count(cell, blank_is_one=blank_is_one)
    assert (caught.value.code, caught.value.hint) == (code, hint)


@pytest.mark.parametrize("cell, expected", [
    ("12,5", 12.5), ("12.5", 12.5), (12.5, 12.5), ("1 234,5", 1234.5), ("2,5 h", 2.5),
    ("0,75", 0.75), (time(1, 30), 1.5), ("-", 0.0), (None, None), (3, 3.0),
])
def test_parse_decimal(cell, expected):
    assert parse_decimal(cell) == expected


@pytest.mark.parametrize("cell, code", [("-2,5", "negative_number"), ("n. 3", "bad_number"), ("x", "bad_number")])
def test_parse_decimal_refuses(cell, code):
    with pytest.raises(CellError) as caught:
        parse_decimal(cell)
    assert caught.value.code == code


@pytest.mark.parametrize("code_list, cell, expected", [
    ("activity_type", "vertaistukitapaaminen", "vertaistukitapaaminen"),
    ("activity_type", "Vertaistukitapaaminen", "vertaistukitapaaminen"),
    ("activity_type", "VERTAISTUKITAPAAMINEN", "vertaistukitapaaminen"),
    ("activity_type", "Kamratstödsträff", "vertaistukitapaaminen"),
    ("activity_type", "Peer-support meeting", "vertaistukitapaaminen"),
    ("activity_type", " peer-support  meeting ", "vertaistukitapaaminen"),
    ("activity_type", "Ammattilaisten koulutus", "koulutus"),
    ("activity_type", "Utbildning för yrkesverksamma", "koulutus"),
    ("activity_type", "Training professionals", "koulutus"),
    ("activity_type", "Annat", "muu"),
    ("sector", "Lastensuojelu (sosiaalityö)", "lastensuojelu"),
    ("sector", "Lastensuojelu", "lastensuojelu"),
    ("sector", "lastensuojelu", "lastensuojelu"),
    ("sector", "Barnskydd", "lastensuojelu"),
    ("sector", "Child-protection social work", "lastensuojelu"),
    ("sector", "Koulu", "koulu"),
    ("sector", "Skola", "koulu"),
    ("sector", "muu_julkinen", "muu_julkinen"),
    ("sector", "Muu julkinen", "muu_julkinen"),
    ("sector", "Annan offentlig", "muu_julkinen"),
    ("sector", "NGO", "jarjesto"),
    ("sector", "Neuvola.", "neuvola"),
    ("status", "Toteutumatta", "toteutumatta"),
    ("status", "Ej genomförd", "toteutumatta"),
    ("status", "Not fulfilled", "toteutumatta"),
    ("status", "Osittain toteutunut", "osittain"),
    ("status", "Delvis genomförd", "osittain"),
    ("status", "Pyytäjä perui", "peruttu"),
    ("reason", "Ei rahoitusta", "ei_rahoitusta"),
    ("reason", "Ingen finansiering", "ei_rahoitusta"),
    ("reason", "Timing", "aikataulu"),
    ("respondent_group", "Vanhempi", "vanhempi"),
    ("respondent_group", "Förälder", "vanhempi"),
    ("respondent_group", "Child-protection worker", "lastensuojelun_tyontekija"),
    ("measurement_point", "Jälkeen", "jalkeen"),
    ("measurement_point", "Efter", "jalkeen"),
    ("measurement_point", "Follow-up", "seuranta"),
    ("activity_type", "Ei tällaista", None),
    ("sector", "", None),
    ("sector", 3, None),
])
def test_resolve_code(code_list, cell, expected):
    assert resolve_code(code_list, cell) == expected


@pytest.mark.parametrize("cell, expected", [
    (3, 3), (3.0, 3), ("3", 3), ("3.0", 3), ("3,0", 3), ("3 – Kysyvä", 3), ("3 - Kysyvä", 3),
    ("3 – Kysyvä, kiinnostunut", 3), ("3. Kysyvä", 3), ("Kysyvä, kiinnostunut", 3), ("kysyvä", 3),
    ("kysyva", 3), ("Frågande, intresserad", 3), ("Questioning, curious", 3), ("1", 1),
    ("Epäilevä", 1), ("Skeptisk", 1), ("Sceptical", 1), ("2 – Varauksellinen", 2), ("Positiv", 4),
    ("5 – Luottava, hyödyntää kokemustietoa", 5), ("Trusting", 5),
])
def test_parse_attitude_stage(cell, expected):
    assert parse_attitude_stage(cell) == expected


@pytest.mark.parametrize("cell, code", [
    (6, "out_of_range"), ("0", "out_of_range"), ("7 – Jotain", "out_of_range"),
    ("3 – Epäilevä", "unknown_value"),      # number and label disagree
    ("kiinnostava", "unknown_value"), (None, "unknown_value"), (2.5, "out_of_range"),
])
def test_parse_attitude_stage_refuses(cell, code):
    with pytest.raises(CellError) as caught:
        parse_attitude_stage(cell)
    assert caught.value.code == code


@pytest.mark.parametrize("cell, expected", [
    ("Turku", "Turku"), ("Åbo", "Turku"), ("åbo", "Turku"), ("TURKU", "Turku"),
    ("Kaarina", "Kaarina"), ("S:t Karins", "Kaarina"), ("St Karins", "Kaarina"),
    ("Helsingfors", "Helsinki"), ("Esbo", "Espoo"), ("Vanda", "Vantaa"),
    ("Tammerfors", "Tampere"), ("Uleåborg", "Oulu"), ("Pargas", "Parainen"),
    ("Kimitoön", "Kemiönsaari"), ("Nådendal", "Naantali"), ("Koski", "Koski Tl"),
    ("Pedersöre", "Pedersören kunta"), ("Jyväskylä", "Jyväskylä"), ("Mariehamn", "Maarianhamina"),
    ("Åbo stad", "Turku"), ("Narnia", None), ("", None), (None, None),
])
def test_resolve_municipality(cell, expected):
    assert resolve_municipality(cell) == expected


VARSINAIS_SUOMI = {
    "Aura": "", "Kaarina": "S:t Karins", "Kemiönsaari": "Kimitoön", "Koski Tl": "Koskis",
    "Kustavi": "Gustavs", "Laitila": "Letala", "Lieto": "Lundo", "Loimaa": "",
    "Marttila": "S:t Mårtens", "Masku": "", "Mynämäki": "Virmo", "Naantali": "Nådendal",
    "Nousiainen": "Nousis", "Oripää": "", "Paimio": "Pemar", "Parainen": "Pargas",
    "Pyhäranta": "", "Pöytyä": "", "Raisio": "Reso", "Rusko": "", "Salo": "", "Sauvo": "Sagu",
    "Somero": "", "Taivassalo": "Tövsala", "Turku": "Åbo", "Uusikaupunki": "Nystad",
    "Vehmaa": "Vemo",
}


@pytest.mark.parametrize("finnish, swedish", VARSINAIS_SUOMI.items())
def test_every_municipality_of_varsinais_suomi_is_known_in_both_languages(finnish, swedish):
    assert resolve_municipality(finnish) == finnish
    if swedish:
        assert resolve_municipality(swedish) == finnish


def test_allowed_labels_are_in_one_language():
    assert allowed_labels("status", "sv") == (
        "Genomförd, Delvis genomförd, Ej genomförd, Öppen, Beställaren avbokade")
    assert "Lastensuojelu" in allowed_labels("sector", "fi")
    assert "(sosiaalityö)" not in allowed_labels("sector", "fi")


@pytest.mark.parametrize("cell, expected", [
    (None, True), ("", True), ("  ", True), ("\u00a0", True), ("x", False), (0, False),
])
def test_is_blank(cell, expected):
    assert is_blank(cell) is expected


@pytest.mark.parametrize("cell, expected", [
    (12.0, "12"), (2.5, "2.5"), (datetime(2025, 3, 1), "2025-03-01"), (" a\nb ", "a b"), (None, ""),
])
def test_cell_text(cell, expected):
    assert cell_text(cell) == expected


def test_the_municipality_list_names_its_source_and_matches_its_count():
    import csv
    import tomllib

    from data_sources.values import MUNICIPALITIES_FILE, MUNICIPALITIES_SOURCE

    source = tomllib.loads(MUNICIPALITIES_SOURCE.read_text(encoding="utf-8"))
    with MUNICIPALITIES_FILE.open(encoding="utf-8", newline="") as handle:
        records = list(csv.DictReader(handle))
    assert source["source"] and source["valid_from"] >= 2021
    assert len(records) == source["count"]
    assert len({r["fi"] for r in records}) == len(records)


@pytest.mark.parametrize("stored, lang, shown", [
    ("Turku", "fi", "Turku"), ("Turku", "sv", "Åbo"), ("Turku", "en", "Turku"),
    ("Parainen", "sv", "Pargas"), ("Salo", "sv", "Salo"), ("?", "fi", "tuntematon kunta"),
    ("?", "sv", "okänd kommun"), ("?", "en", "unknown municipality"),
])
def test_a_stored_municipality_reads_in_each_language(stored, lang, shown):
    from data_sources.values import municipality_label

    assert municipality_label(stored, lang) == shown

"""Every language has every text, and the texts' placeholders agree."""

import re
import string

import pytest

import i18n
from data_sources.vocabulary import CODE_LISTS


def placeholders(text: str, lang: str = "fi") -> set[str]:
    """Field names used; `{hint[sv]}` (a per-language hint chosen by the message) counts as `hint`,
    and `{Period}` (the period phrase that begins a sentence) as `period`: where a sentence starts
    is each language's own choice."""
    return {name.replace(f"[{lang}]", "").replace("Period", "period")
            for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_same_keys_as_finnish(lang):
    assert set(i18n.catalogue(lang)) == set(i18n.catalogue("fi"))


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_same_placeholders_as_finnish(lang):
    finnish = i18n.catalogue("fi")
    other = i18n.catalogue(lang)
    differing = {k: (placeholders(v), placeholders(other[k], lang))
                 for k, v in finnish.items() if placeholders(v) != placeholders(other[k], lang)}
    assert differing == {}


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
@pytest.mark.parametrize("code_list", sorted(CODE_LISTS))
def test_every_code_has_a_label(lang, code_list):
    missing = [c for c in CODE_LISTS[code_list] if f"{code_list}.{c}" not in i18n.catalogue(lang)]
    assert missing == []


@pytest.mark.parametrize(("lang", "key", "params", "expected"), [
    ("fi", "sector.neuvola", {}, "Neuvola"),
    ("sv", "sector.neuvola", {}, "Mödra- och barnrådgivning"),
    ("en", "upload.stored", {"upload_id": 7, "added": "42 rows added", "replaced": "40 rows replaced"},
     "Saved (upload 7): 42 rows added, 40 rows replaced. The figures are updated at once."),
])
def test_t_fills_placeholders(lang, key, params, expected):
    assert i18n.t(lang, key, **params) == expected


def test_no_finnish_left_in_other_languages():
    # a cheap guard against copy-paste: Finnish-only letters sequences in sv/en UI texts
    finnish_words = re.compile(r"\b(ja|tai|kuukausi|järjestö|tiedosto)\b", re.IGNORECASE)
    for lang in ("sv", "en"):
        offenders = {k: v for k, v in i18n.catalogue(lang).items()
                     if k.startswith(("overview.", "upload.", "frame.", "nav.", "filters."))
                     and finnish_words.search(v)}
        assert offenders == {}


@pytest.mark.parametrize(("lang", "n", "expected"), [
    ("fi", 1, "Tallennus lisää 1 rivin kuukaudelle 3/2025"),
    ("fi", 42, "Tallennus lisää 42 riviä kuukausille 3/2025"),
    ("en", 1, "Saving adds 1 row for 3/2025"),
    ("en", 2, "Saving adds 2 rows for 3/2025"),
])
def test_t_count_takes_the_singular_for_one(lang, n, expected):
    assert i18n.t_count(lang, "upload.preview_adds", n, rows=n, months="3/2025") == expected


@pytest.mark.parametrize(("lang", "rows_by_month", "expected"), [
    ("fi", {3: 1}, "Tallennus lisää 1 rivin kuukaudelle 3/2025"),
    ("fi", {3: 5}, "Tallennus lisää 5 riviä kuukaudelle 3/2025"),        # one month: not "kuukausille"
    ("fi", {3: 2, 4: 3}, "Tallennus lisää 5 riviä kuukausille 3–4/2025"),
    ("sv", {3: 5}, "Om du sparar läggs 5 rader till för månaden 3/2025"),
    ("sv", {3: 2, 4: 3}, "Om du sparar läggs 5 rader till för månaderna 3–4/2025"),
    ("en", {3: 5}, "Saving adds 5 rows for 3/2025"),
])
def test_the_preview_names_one_month_as_one(lang, rows_by_month, expected):
    from datetime import date

    from ui.upload_views import preview_sentence
    from warehouse.ledger import SheetMonthChange, UploadPreview

    preview = UploadPreview(changes=[SheetMonthChange("aurinko", "toiminta", date(2025, month, 1), rows, None)
                                     for month, rows in rows_by_month.items()])
    assert preview_sentence(lang, preview).startswith(expected)


def _stored(lang: str, n: int) -> str:
    from ui.upload_views import stored_sentence
    from warehouse.ledger import StoreResult

    result = StoreResult(upload_id=7, rows_added=n, rows_replaced=n, superseded=(), unchanged=False)
    return stored_sentence(lang, result)


def _problem(code: str):
    def message(lang: str, n: int) -> str:
        from data_sources.problems import Problem

        return Problem(code, params={"count": n, "limit": 500, "tab": "", "hint": {}, "hint_key": None}).message(lang)
    return message


def _text(key: str, **params):
    return lambda lang, n: i18n.t_count(lang, key, n, count=n, rows=n, months="3/2025", dates="2.4.2025", **params)


# the words of messages that say the same in two places (a file's and a sheet's, all months and one)
ADDS = {"fi": ("lisää 1 rivin", "lisää 2 riviä"), "sv": ("läggs 1 rad till", "läggs 2 rader till"),
        "en": ("adds 1 row", "adds 2 rows")}
REFUSED = {"fi": ("1 korjattava kohta", "2 korjattavaa kohtaa"), "sv": ("1 punkt att rätta", "2 punkter att rätta"),
           "en": ("1 thing to fix", "2 things to fix")}

# Every message that counts rows (or the problems of a file), as the user reads it with a
# count of 1 and of 2: the noun (and in Swedish its participle) agrees with the count.
COUNT_MESSAGES = {
    "stored": (_stored, {
        "fi": ("1 rivi lisätty, 1 rivi korvattu", "2 riviä lisätty, 2 riviä korvattu"),
        "sv": ("1 rad tillagd, 1 rad ersatt", "2 rader tillagda, 2 rader ersatta"),
        "en": ("1 row added, 1 row replaced", "2 rows added, 2 rows replaced")}),
    "activity.blank_rows": (_text("activity.blank_rows"), {
        "fi": ("1 riviltä tieto puuttui", "2 riviltä tieto puuttui"),
        "sv": ("uppgiften saknades på 1 rad", "uppgiften saknades på 2 rader"),
        "en": ("left blank on 1 row", "left blank on 2 rows")}),
    "upload.preview_adds": (_text("upload.preview_adds"), ADDS),
    "upload.preview_adds_month": (_text("upload.preview_adds_month"), ADDS),
    # the rows sent replace the stored ones: "adds 35 … and replaces 35" read as 70 rows touched
    "upload.preview_replaces": (_text("upload.preview_replaces"), {
        "fi": ("sen 1 rivin tilalle, joka", "niiden 2 rivin tilalle, jotka"),
        "sv": ("i stället för den 1 rad", "i stället för de 2 rader"),
        "en": ("in place of the 1 row", "in place of the 2 rows")}),
    "problem.more_errors": (_problem("more_errors"), {
        "fi": ("lisäksi 1 muu korjattava kohta, jota ei", "lisäksi 2 muuta korjattavaa kohtaa, joita ei"),
        "sv": ("dessutom 1 annat fel som", "dessutom 2 andra fel som"),
        "en": ("1 more problem that is not listed", "2 more problems that are not listed")}),
    "problem.more_warnings": (_problem("more_warnings"), {
        "fi": ("lisäksi 1 muu huomio, jota ei", "lisäksi 2 muuta huomiota, joita ei"),
        "sv": ("dessutom 1 annan observation som", "dessutom 2 andra observationer som"),
        "en": ("1 more warning that is not listed", "2 more warnings that are not listed")}),
    "upload.more_problems": (_text("upload.more_problems"), {
        "fi": ("ja 1 muu kohta:", "ja 2 muuta kohtaa:"), "sv": ("och 1 punkt till:", "och 2 punkter till:"),
        "en": ("and 1 more:", "and 2 more:")}),
    "upload.refused": (_text("upload.refused"), REFUSED),
    "gsheets.refused": (_text("gsheets.refused"), REFUSED),
    "upload.warnings": (_text("upload.warnings"), {
        "fi": ("1 huomio:", "Huomioita 2:"), "sv": ("1 observation:", "2 observationer:"),
        "en": ("1 warning:", "2 warnings:")}),
    "overview.sentence_total": (_text("overview.sentence_total", total="{total}", period="{period}"), {
        "fi": ("yhden kerran", "{total} kertaa"), "sv": ("1 gång", "{total} gånger"), "en": ("once", "{total} times")}),
    "audit.intro": (_text("audit.intro"), {
        "fi": ("1 tapahtuma.", "2 tapahtumaa,"), "sv": ("1 händelse.", "2 händelser,"),
        "en": ("1 event.", "2 events,")}),
    "upload.errors_title": (_text("upload.errors_title"), {
        "fi": ("Virhe (1)", "Virheet (2)"), "sv": ("Fel (1)", "Fel (2)"), "en": ("Error (1)", "Errors (2)")}),
    "upload.warnings_title": (_text("upload.warnings_title"), {
        "fi": ("Huomio (1)", "Huomiot (2)"), "sv": ("Observation (1)", "Observationer (2)"),
        "en": ("Warning (1)", "Warnings (2)")}),
}


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
@pytest.mark.parametrize("name", list(COUNT_MESSAGES))
def test_a_count_message_reads_right_for_one_and_for_two(name, lang):
    render, expected = COUNT_MESSAGES[name]
    for n, words in zip((1, 2), expected[lang]):
        # the words whole: "1 rad" is no answer for "1 rader"
        assert re.search(re.escape(words) + r"(?!\w)", render(lang, n)), render(lang, n)


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
@pytest.mark.parametrize("prefix", ["upload.hist_", "upload.pv_", "upload.col_"])
def test_a_tables_columns_have_names_of_their_own(lang, prefix):
    """The upload history read "Sent" over two of its columns in English (when, and how)."""
    names = {key: text for key, text in i18n.catalogue(lang).items()
             if key.startswith(prefix) and key.count(".") == 1 and "_" not in key[len(prefix):]
             and not key.endswith(("_mark", "_text", "_network", "_nothing"))}
    assert len(names) >= 4
    assert len(set(names.values())) == len(names), names

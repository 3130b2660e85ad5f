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
    ("en", "upload.stored", {"upload_id": 7, "added": "42", "replaced": "40"},
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
    ("sv", {3: 5}, "Sparandet lägger till 5 rader för månaden 3/2025"),
    ("sv", {3: 2, 4: 3}, "Sparandet lägger till 5 rader för månaderna 3–4/2025"),
    ("en", {3: 5}, "Saving adds 5 rows for 3/2025"),
])
def test_the_preview_names_one_month_as_one(lang, rows_by_month, expected):
    from datetime import date

    from ui.upload_views import preview_sentence
    from warehouse.ledger import SheetMonthChange, UploadPreview

    preview = UploadPreview(changes=[SheetMonthChange("aurinko", "toiminta", date(2025, month, 1), rows, None)
                                     for month, rows in rows_by_month.items()])
    assert preview_sentence(lang, preview).startswith(expected)

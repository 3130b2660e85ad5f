"""A downloaded chart or table is named by its title in the page's language and its period, as a
board member would file it ("Toiminta_toimintamuodoittain_kuukausittain_2026-06_2026-11.xlsx"),
never by an internal key; and the name is one a file system takes (no slash, colon, quote or
line break)."""

from datetime import date
from types import SimpleNamespace

import pytest

import i18n
from queries.periods import Period
from ui.widgets import download_stem

PERIOD = Period(date(2026, 6, 1), date(2026, 11, 1))


def ctx():
    return SimpleNamespace(period=PERIOD)


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_a_chart_title_in_each_language_names_the_file(lang):
    title = i18n.t(lang, "activity.by_type_title")
    stem = download_stem(ctx(), title)
    assert stem == title.replace(" ", "_") + "_2026-06_2026-11"


@pytest.mark.parametrize(("title", "stem"), [
    ("Pyynnöt / kuukausi: avoimet", "Pyynnöt_kuukausi_avoimet"),
    ('Ala "A"\n<b>|?*', "Ala_A_b"),
    ("  .Piste.  ", "Piste"),
    ("", "data"),
    ("\\/:*?", "data"),
])
def test_what_a_file_system_refuses_becomes_one_underscore(title, stem):
    assert download_stem(ctx(), title) == f"{stem}_2026-06_2026-11"


def test_a_very_long_title_is_cut_but_keeps_its_period():
    stem = download_stem(ctx(), "Ä" * 300)
    assert stem == "Ä" * 80 + "_2026-06_2026-11"

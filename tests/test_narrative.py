"""The sentences that open each page: given a few figures, the exact words in fi and en.

Finnish writes a no-break space inside "1 234" and before "%"; written here as \u00a0.
"""

from types import SimpleNamespace

import pytest

from queries.periods import parse_period
from ui import narrative

NBSP = "\u00a0"
H1 = parse_period("2025H1")


def ctx(lang: str, period: str = "2025H1"):
    return SimpleNamespace(lang=lang, period=parse_period(period))


def activities(meetings=None, development=0) -> dict:
    """A figures dict's activities part; meetings None = no peer-support meetings reported."""
    by_type = {"koulutus": 3} if meetings is None else {"vertaistukitapaaminen": meetings, "koulutus": 3}
    return {"activities": {"by_type": by_type, "development_advocacy": development}}


# --- activities -------------------------------------------------------------------------------

@pytest.mark.parametrize("lang, now, before, expected", [
    # more
    ("fi", activities(412), activities(349),
     "Vertaistukitapaamisia oli tammi–kesäkuussa 2025 yhteensä 412, 18\u00a0% enemmän kuin edellisellä jaksolla."),
    ("en", activities(412), activities(349),
     "There were 412 peer-support meetings in January–June 2025, 18% more than in the previous period."),
    # fewer
    ("fi", activities(300), activities(400),
     "Vertaistukitapaamisia oli tammi–kesäkuussa 2025 yhteensä 300, 25\u00a0% vähemmän kuin edellisellä jaksolla."),
    ("en", activities(300), activities(400),
     "There were 300 peer-support meetings in January–June 2025, 25% fewer than in the previous period."),
    # the same: within half a percent either way
    ("fi", activities(1000), activities(998),
     f"Vertaistukitapaamisia oli tammi–kesäkuussa 2025 yhteensä 1{NBSP}000, yhtä paljon kuin edellisellä jaksolla."),
    ("en", activities(1000), activities(1004),
     "There were 1,000 peer-support meetings in January–June 2025, as many as in the previous period."),
    # no comparison: nothing in the previous period
    ("fi", activities(412), activities(None),
     "Vertaistukitapaamisia oli tammi–kesäkuussa 2025 yhteensä 412."),
    ("en", activities(412), activities(0),
     "There were 412 peer-support meetings in January–June 2025."),
    # none now, some before
    ("en", activities(None), activities(40),
     "There were 0 peer-support meetings in January–June 2025, 100% fewer than in the previous period."),
    # a hidden small count is written as hidden, with no change
    ("fi", activities("<5"), activities(12),
     "Vertaistukitapaamisia oli tammi–kesäkuussa 2025 yhteensä <5."),
    # development and advocacy work gets its own sentence when there is any
    ("fi", activities(412, development=25), activities(349, development=20),
     "Vertaistukitapaamisia oli tammi–kesäkuussa 2025 yhteensä 412, 18\u00a0% enemmän kuin edellisellä jaksolla. "
     "Kehittämis- ja vaikuttamistehtäviä oli 25, 25\u00a0% enemmän kuin edellisellä jaksolla."),
    ("en", activities(412, development=15), activities(349, development=20),
     "There were 412 peer-support meetings in January–June 2025, 18% more than in the previous period. "
     "There were 15 development and advocacy tasks, 25% fewer than in the previous period."),
    ("en", activities(412, development=20), activities(349, development=20),
     "There were 412 peer-support meetings in January–June 2025, 18% more than in the previous period. "
     "There were 20 development and advocacy tasks, as many as in the previous period."),
    ("fi", activities(412, development=7), activities(349, development=0),
     "Vertaistukitapaamisia oli tammi–kesäkuussa 2025 yhteensä 412, 18\u00a0% enemmän kuin edellisellä jaksolla. "
     "Kehittämis- ja vaikuttamistehtäviä oli 7."),
    ("fi", activities(412, development=None), activities(349, development=20),
     "Vertaistukitapaamisia oli tammi–kesäkuussa 2025 yhteensä 412, 18\u00a0% enemmän kuin edellisellä jaksolla."),
])
def test_activity_sentences(lang, now, before, expected):
    assert narrative.activity_sentences(ctx(lang), now, before) == expected


@pytest.mark.parametrize("lang, period, expected", [
    ("fi", "2025H1", "Tammi–kesäkuussa 2025 ei ole tietoja valitussa rajauksessa."),
    ("en", "2025H1", "There is no data in January–June 2025 in the chosen scope."),
    ("en", "2025-03", "There is no data in March 2025 in the chosen scope."),
    ("sv", "2025-03", "I mars 2025 finns inga uppgifter i den valda avgränsningen."),
    ("fi", "2025", "Vuonna 2025 ei ole tietoja valitussa rajauksessa."),
])
def test_a_count_with_no_data_says_so(lang, period, expected):
    assert narrative.count_sentence(lang, "meetings", narrative.when(ctx(lang, period)), None, 349) == expected


@pytest.mark.parametrize("lang, period, expected", [
    ("fi", "2025Q3",
     "Vertaistukitapaamisia oli heinä–syyskuussa 2025 yhteensä 50, 25\u00a0% enemmän kuin edellisellä jaksolla."),
    ("en", "2025", "There were 50 peer-support meetings in 2025, 25% more than in the previous period."),
    ("en", "2025-03", "There were 50 peer-support meetings in March 2025, 25% more than in the previous period."),
])
def test_activity_sentences_name_the_chosen_period(lang, period, expected):
    assert narrative.activity_sentences(ctx(lang, period), activities(50), activities(40)) == expected


# --- attitudes --------------------------------------------------------------------------------

def attitudes(share, respondents=1234, trend=None, shift=None) -> dict:
    return {"attitudes": {"curious_or_better_share": share, "respondents": respondents,
                          "trend": trend, "shift": shift}}


@pytest.mark.parametrize("lang, now, expected", [
    ("fi", attitudes(0.656, trend=5.2, shift=-3.0),
     f"Tammi–kesäkuussa 2025 vastaajista 66{NBSP}% suhtautui kokemustoimintaan vähintään kysyvästi "
     f"(1{NBSP}234 vastaajaa). Osuus muuttui +5,2{NBSP}%-yks. edelliseen jaksoon verrattuna. "
     f"Ennen ja jälkeen mitattuna osuus muuttui −3,0{NBSP}%-yks. samoissa vastaajaryhmissä."),
    ("en", attitudes(0.656, trend=5.2, shift=-3.0),
     "In January–June 2025, 66% of respondents were at least curious about experience-expert work "
     f"(1,234 respondents). The share changed by +5.2{NBSP}pp against the previous period. "
     f"Measured before and after, the share changed by −3.0{NBSP}pp in the same respondent groups."),
    # no comparison and no before/after pairs: the first sentence alone
    ("fi", attitudes(0.5, respondents=40),
     f"Tammi–kesäkuussa 2025 vastaajista 50{NBSP}% suhtautui kokemustoimintaan vähintään kysyvästi "
     "(40 vastaajaa)."),
    ("en", attitudes(0.5, respondents=40),
     "In January–June 2025, 50% of respondents were at least curious about experience-expert work (40 respondents)."),
    # unchanged
    ("en", attitudes(0.5, respondents=40, trend=0.0),
     "In January–June 2025, 50% of respondents were at least curious about experience-expert work (40 respondents). "
     f"The share changed by ±0.0{NBSP}pp against the previous period."),
    # no data
    ("fi", attitudes(None, respondents=0), "Tammi–kesäkuussa 2025 ei ole tietoja valitussa rajauksessa."),
    ("en", attitudes(None, respondents=0), "There is no data in January–June 2025 in the chosen scope."),
])
def test_attitude_sentences(lang, now, expected):
    assert narrative.attitude_sentences(ctx(lang), now) == expected


# --- demand -----------------------------------------------------------------------------------

def demand(unmet_share, unmet=30, decided=120, by_sector=None, open_over_60_days=0) -> dict:
    return {"demand": {"unmet_share": unmet_share, "unmet": unmet, "decided": decided,
                       "by_sector": by_sector or {}, "open_over_60_days": open_over_60_days}}


SECTORS = {"koulu": {"unmet_share": 0.1, "decided": 40}, "neuvola": {"unmet_share": 0.4, "decided": 25},
           "lastensuojelu": {"unmet_share": None, "decided": 0}}
# the hospital's 2 of 3 unmet is the largest share, but on 3 decided sessions: not ranked
FEW = {**SECTORS, "sairaala": {"unmet_share": 0.667, "decided": 3}}
ALL_FEW = {"koulu": {"unmet_share": 0.5, "decided": 4}, "neuvola": {"unmet_share": 0.667, "decided": 9}}


@pytest.mark.parametrize("lang, now, expected", [
    ("fi", demand(0.25, by_sector=SECTORS, open_over_60_days=7),
     f"Tammi–kesäkuussa 2025 julkisen sektorin ratkaistuista pyydetyistä kerroista 25{NBSP}% jäi "
     "täyttämättä kokonaan tai osittain (30/120). "
     f"Eniten täyttämättä jäi sektorilla Neuvola: 40{NBSP}% ratkaistuista kerroista. "
     "Yli 60 päivää avoinna olleita pyydettyjä kertoja on 7."),
    ("en", demand(0.25, by_sector=FEW),
     "In January–June 2025, 25% of the decided sessions requested by the public sector went wholly or partly "
     "unmet (30/120). Most went unmet in Maternity and child health clinic: 40% of its decided sessions."),
    ("fi", demand(0.54, unmet=7, decided=13, by_sector=ALL_FEW),
     f"Tammi–kesäkuussa 2025 julkisen sektorin ratkaistuista pyydetyistä kerroista 54{NBSP}% jäi "
     "täyttämättä kokonaan tai osittain (7/13). "
     "Sektoreita ei verrata: yhdelläkään ei ole vielä 10 ratkaistua pyydettyä kertaa."),
    ("en", demand(0.25, by_sector=SECTORS, open_over_60_days=7),
     "In January–June 2025, 25% of the decided sessions requested by the public sector went wholly or partly "
     "unmet (30/120). Most went unmet in Maternity and child health clinic: 40% of its decided sessions. "
     "Sessions requested and open for more than 60 days: 7."),
    # a walk-through: one sector ranked, at 0 %, beside others of 3/3 and 5/7 unmet on fewer
    # sessions; it was called the most unmet ("Most went unmet in Child protection: 0%")
    ("en", demand(0.5, unmet=8, decided=16, by_sector={
        "lastensuojelu": {"unmet_share": 0.0, "decided": 10}, "paihde": {"unmet_share": 1.0, "decided": 3},
        "neuvola": {"unmet_share": 0.714, "decided": 7}}),
     "In January–June 2025, 50% of the decided sessions requested by the public sector went wholly or partly "
     "unmet (8/16)."),
    # two sectors ranked, nothing unmet in either: none is the most unmet
    ("en", demand(0.0, unmet=0, decided=60, by_sector={
        "koulu": {"unmet_share": 0.0, "decided": 40}, "neuvola": {"unmet_share": 0.0, "decided": 20}}),
     "In January–June 2025, 0% of the decided sessions requested by the public sector went wholly or partly "
     "unmet (0/60)."),
    # no sector shares and nothing old open: the first sentence alone
    ("en", demand(0.0, unmet=0, decided=1500),
     "In January–June 2025, 0% of the decided sessions requested by the public sector went wholly or partly "
     "unmet (0/1,500)."),
    # nothing decided
    ("fi", demand(None, unmet=0, decided=0),
     "Tammi–kesäkuussa 2025 julkiselta sektorilta ei ole ratkaistuja pyyntöjä valitussa rajauksessa."),
    ("en", demand(None, unmet=0, decided=0),
     "There are no decided public-sector requests in January–June 2025 in the chosen scope."),
])
def test_demand_sentences(lang, now, expected):
    assert narrative.demand_sentences(ctx(lang), now) == expected


# --- completeness -----------------------------------------------------------------------------

def completeness(expected, reported, rate) -> dict:
    return {"completeness": {"expected": expected, "reported": reported, "rate": rate}}


@pytest.mark.parametrize("lang, now, missing, last_month, expected", [
    ("fi", completeness(48, 41, 0.854), ["Järjestö B", "Järjestö C"], "kesäkuu 2025",
     f"Tammi–kesäkuussa 2025 raportoitiin 85{NBSP}% odotetuista järjestö-kuukausista (41/48). "
     "Kuukaudelta kesäkuu 2025 puuttuu raportti: Järjestö B, Järjestö C."),
    ("en", completeness(48, 41, 0.854), ["Org B", "Org C"], "June 2025",
     "In January–June 2025, 85% of the expected organisation-months were reported (41/48). "
     "Missing for June 2025: Org B, Org C."),
    ("fi", completeness(12, 12, 1.0), [], "kesäkuu 2025",
     f"Tammi–kesäkuussa 2025 raportoitiin 100{NBSP}% odotetuista järjestö-kuukausista (12/12). "
     "Kuukaudelta kesäkuu 2025 kaikki odotetut raportit on saatu."),
    ("en", completeness(12, 12, 1.0), [], "June 2025",
     "In January–June 2025, 100% of the expected organisation-months were reported (12/12). "
     "Every expected report for June 2025 has arrived."),
    ("fi", completeness(0, 0, None), [], "kesäkuu 2025",
     "Tammi–kesäkuussa 2025 keneltäkään ei odotettu raportteja."),
    ("en", completeness(0, 0, None), [], "June 2025", "No reports were expected in January–June 2025."),
])
def test_completeness_sentences(lang, now, missing, last_month, expected):
    assert narrative.completeness_sentences(ctx(lang), now, missing, last_month) == expected


@pytest.mark.parametrize(("sentences", "expected"), [
    (lambda: narrative.attitude_sentences(ctx("en"), attitudes(None, respondents="<5")),
     "The figures in January–June 2025 in the chosen scope are so small that they are hidden to protect privacy."),
    (lambda: narrative.demand_sentences(ctx("en"), demand(None, unmet="<5", decided="..")),
     "The figures in January–June 2025 in the chosen scope are so small that they are hidden to protect privacy."),
    (lambda: narrative.attitude_sentences(ctx("en"), attitudes(None, respondents=0)),
     "There is no data in January–June 2025 in the chosen scope."),
])
def test_a_hidden_share_is_not_called_missing(sentences, expected):
    assert sentences() == expected


@pytest.mark.parametrize("lang, expected", [
    ("fi", "Vertaistukitapaamisia oli tammi–kesäkuussa 2025 yhteensä 412. "
           "Muutosta ei lasketa: vertailujaksolta on vain 1/12 järjestö-kuukauden tiedot."),
    ("sv", "Kamratstödsträffarna var 412 under januari–juni 2025. "
           "Förändringen räknas inte: jämförelseperioden har uppgifter för bara 1/12 organisationsmånader."),
    ("en", "There were 412 peer-support meetings in January–June 2025. "
           "No change is computed: the comparison period has data for only 1/12 organisation-months."),
])
def test_an_incomplete_comparison_period_gives_a_note_instead_of_a_change(lang, expected):
    now = {**activities(412), "comparison_period": {"reported": 1, "current_reported": 12, "complete": False}}
    assert narrative.activity_sentences(ctx(lang), now, activities(30)) == expected


@pytest.mark.parametrize("lang, expected", [
    ("fi", "Vertaistukitapaamisia oli tammi–kesäkuussa 2025 yhteensä 412, 18\u00a0% enemmän kuin vuotta aiemmin."),
    ("sv", "Kamratstödsträffarna var 412 under januari–juni 2025, 18\u00a0% fler än ett år tidigare."),
    ("en", "There were 412 peer-support meetings in January–June 2025, 18% more than a year earlier."),
])
def test_a_year_over_year_comparison_says_so(lang, expected):
    year = SimpleNamespace(lang=lang, period=parse_period("2025H1"), compare="year")
    assert narrative.activity_sentences(year, activities(412), activities(349)) == expected


def test_a_year_over_year_trend_says_against_what():
    year = SimpleNamespace(lang="fi", period=parse_period("2025H1"), compare="year")
    now = {"attitudes": {"curious_or_better_share": 0.5, "respondents": 40, "trend": 4.0, "shift": None}}
    said = narrative.attitude_sentences(year, now)
    assert said.endswith("Osuus muuttui +4,0\u00a0%-yks. vuotta aiempaan jaksoon verrattuna.")


def test_an_empty_period_says_so_even_after_a_busy_one():
    empty = {"activities": {"by_type": {}, "development_advocacy": 0}}
    assert narrative.activity_sentences(ctx("fi"), empty, activities(349)) == \
        "Tammi–kesäkuussa 2025 ei ole kirjattu toimintaa valitussa rajauksessa."

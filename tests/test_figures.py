"""compute_figures: a small network in, the whole figures --json document out."""

import json

import pytest
from helpers_warehouse import add_org, insert_rows, new_warehouse

from queries.figures import compute_figures
from queries.periods import parse_period
from queries.scope import Scope

H1 = parse_period("2025H1")


@pytest.fixture(scope="module")
def network():
    w = new_warehouse()
    add_org(w, "org_a", start_month="2024-01", municipality="Turku")
    add_org(w, "org_b", start_month="2025-04", municipality="Salo")
    insert_rows(w, "toiminta", [
        {"activity_month": "2025-01", "activity_type": "vertaistukitapaaminen", "count_activities": 30,
         "experts_involved": 4, "people_reached": 60, "hours": 45.0, "feedback": 4.0},
        {"activity_month": "2025-02", "activity_type": "vertaistukisuhde", "count_activities": 2,
         "experts_involved": 2, "hours": 3.5},
        {"activity_month": "2025-03", "activity_type": "koulutus", "count_activities": 10,
         "experts_involved": 3, "people_reached": 150, "feedback": 5.0, "target_sector": "neuvola"},
        # the comparison period 2024H2
        {"activity_month": "2024-10", "activity_type": "koulutus", "count_activities": 32},
    ], org_code="org_a")
    insert_rows(w, "toiminta", [
        {"activity_month": "2025-05", "activity_type": "muu", "count_activities": 8, "experts_involved": 1,
         "people_reached": 9, "hours": 6.0},
    ], org_code="org_b")
    insert_rows(w, "asenteet", [
        {"answer_month": "2025-01", "respondent_group": "lastensuojelun_tyontekija", "measurement_point": "ennen",
         "attitude_stage": 1, "count_respondents": 12},
        {"answer_month": "2025-01", "respondent_group": "lastensuojelun_tyontekija", "measurement_point": "ennen",
         "attitude_stage": 3, "count_respondents": 8},
        {"answer_month": "2025-02", "respondent_group": "lastensuojelun_tyontekija", "measurement_point": "jalkeen",
         "attitude_stage": 2, "count_respondents": 5},
        {"answer_month": "2025-02", "respondent_group": "lastensuojelun_tyontekija", "measurement_point": "jalkeen",
         "attitude_stage": 4, "count_respondents": 15},
        {"answer_month": "2024-09", "respondent_group": "vanhempi", "attitude_stage": 2, "count_respondents": 10},
        {"answer_month": "2024-09", "respondent_group": "vanhempi", "attitude_stage": 5, "count_respondents": 10},
    ], org_code="org_a")
    insert_rows(w, "kysynta", [
        {"received_month": "2025-01", "requesting_sector": "neuvola", "status": "toteutunut", "count_sessions": 10},
        {"received_month": "2025-02", "requesting_sector": "neuvola", "status": "toteutumatta", "count_sessions": 6},
        {"received_month": "2025-03", "requesting_sector": "lastensuojelu", "status": "osittain", "count_sessions": 5},
        {"received_month": "2025-03", "requesting_sector": "lastensuojelu", "status": "avoin", "count_sessions": 7},
        {"received_month": "2025-06", "requesting_sector": "lastensuojelu", "status": "avoin", "count_sessions": 5},
        {"received_month": "2025-04", "requesting_sector": "jarjesto", "status": "toteutumatta", "count_sessions": 40},
    ], org_code="org_a")
    yield w
    w.close()


def test_figures_for_the_network(network):
    assert compute_figures(network, H1, Scope()) == {
        "period": {"from": "2025-01", "to": "2025-06"},
        # org_a reported one month of 2024H2 (October) against four of 2025H1: too few to compare
        "comparison_period": {"from": "2024-07", "to": "2024-12", "reported": 1, "current_reported": 4,
                              "complete": False},
        "activities": {
            "by_type": {"vertaistukitapaaminen": 30, "vertaistukisuhde": 2, "koulutus": 10, "muu": 8},
            "client_work": 32, "development_advocacy": 10, "other": 8, "total": 50,
            "experts_involved": 10, "people_reached": 219, "hours": 54.5,
            "blank_rows": {"experts_involved": 0, "people_reached": 1, "hours": 1},
            # (30 × 4 + 10 × 5) / 40
            "feedback": 4.25, "feedback_activities": 40,
            "change": {"previous_total": 32, "count": 18, "percent": None},
        },
        "attitudes": {
            "respondents": 40, "by_stage": {"1": 12, "2": 5, "3": 8, "4": 15, "5": 0},
            "sceptical": 17, "curious_or_better": 23,
            "sceptical_share": 0.425, "curious_or_better_share": 0.575,
            # ennen 8 / 20 curious, jalkeen 15 / 20
            "shift": 35.0,
            "shift_basis": {"ennen": {"respondents": 20, "sceptical": 12, "curious_or_better": 8},
                            "jalkeen": {"respondents": 20, "sceptical": 5, "curious_or_better": 15}},
            # 0.575 now against 10 / 20 in 2024H2
            "trend": 7.5,
            "previous": {"respondents": 20, "sceptical": 10, "curious_or_better": 10,
                         "curious_or_better_share": 0.5},
        },
        "demand": {
            "requests": 33, "decided": 21, "unmet": 11, "unmet_share": 0.524,
            "by_status": {"toteutunut": 10, "osittain": 5, "toteutumatta": 6, "avoin": 12, "peruttu": 0},
            "by_sector": {
                "lastensuojelu": {"requests": 17, "decided": 5, "unmet": 5, "unmet_share": 1.0},
                "neuvola": {"requests": 16, "decided": 16, "unmet": 6, "unmet_share": 0.375},
            },
            # March's 7 open sessions are older than 30 June − 60 days; June's 5 are not
            "open_over_60_days": 7,
        },
        # org_a 6 months (3 reported), org_b April–June (1 reported)
        "completeness": {"expected": 9, "reported": 4, "rate": 0.444},
    }


def test_figures_hold_the_keys_of_the_cli_document(network):
    figures = compute_figures(network, H1, Scope())
    documented = {
        "period": {"from", "to"},
        "activities": {"by_type", "client_work", "development_advocacy", "total", "experts_involved",
                       "people_reached", "hours", "feedback", "change"},
        "attitudes": {"respondents", "by_stage", "sceptical_share", "curious_or_better_share", "shift", "trend"},
        "demand": {"requests", "decided", "unmet", "unmet_share", "by_sector", "open_over_60_days"},
        "completeness": {"expected", "reported", "rate"},
    }
    for section, keys in documented.items():
        assert keys <= set(figures[section]), (section, keys - set(figures[section]))
    assert set(figures["attitudes"]["by_stage"]) == {"1", "2", "3", "4", "5"}
    json.dumps(figures)  # plain JSON types only


def test_figures_for_one_organisation(network):
    figures = compute_figures(network, H1, Scope(org_codes=("org_b",)))
    assert figures["activities"]["by_type"] == {"muu": 8}
    assert figures["activities"]["change"] == {"previous_total": 0, "count": 8, "percent": None}
    assert figures["attitudes"]["respondents"] == 0
    assert figures["attitudes"]["sceptical_share"] is None
    assert figures["attitudes"]["shift"] is None and figures["attitudes"]["trend"] is None
    assert figures["demand"]["requests"] == 0 and figures["demand"]["unmet_share"] is None
    assert figures["completeness"] == {"expected": 3, "reported": 1, "rate": 0.333}


def test_figures_for_a_member_view_are_perturbed_and_small_ones_hidden(network):
    exact = compute_figures(network, H1, Scope())
    shown = compute_figures(network, H1, Scope(exact=False), threshold=5)
    activities = shown["activities"]
    # the single row of 2 relationships: perturbed to 1–3, so hidden whatever it became
    assert activities["by_type"]["vertaistukisuhde"] == "<5"
    # the only other client-work row is 30: not small, so exact; its group total holds the 2
    assert activities["by_type"]["vertaistukitapaaminen"] == 30
    assert activities["client_work"] in range(31, 34)
    assert activities["total"] == activities["client_work"] + activities["development_advocacy"] \
        + activities["other"]
    # organisational work, requests and completeness are exact for every viewer
    assert activities["by_type"]["koulutus"] == exact["activities"]["by_type"]["koulutus"]
    assert shown["demand"] == exact["demand"]
    assert shown["completeness"] == exact["completeness"]
    assert shown["suppression"]["method"] == "perturbed_rows"
    assert "activities.by_type.vertaistukisuhde" in shown["suppression"]["hidden"]
    json.dumps(shown)


def test_leadership_sees_exact_counts(network):
    figures = compute_figures(network, H1, Scope(exact=True))
    assert figures["activities"]["by_type"]["vertaistukisuhde"] == 2
    assert "suppression" not in figures


@pytest.mark.parametrize("current, previous, complete", [
    (12, 12, True), (12, 10, True), (10, 8, True),     # 80 % is enough
    (12, 9, False), (12, 1, False), (48, 38, False),   # the 2025 against a 2024 of one December
    (0, 0, True), (0, 5, True),                        # nothing to compare from: nothing to warn about
])
def test_an_incomplete_comparison_period_gives_no_percent_change(current, previous, complete):
    from queries.figures import comparison_coverage

    coverage = comparison_coverage({"reported": current}, {"reported": previous})
    assert coverage == {"reported": previous, "current_reported": current, "complete": complete}


def test_a_complete_comparison_period_gives_the_percent_change():
    w = new_warehouse()
    add_org(w, "org_a", start_month="2024-01")
    rows = [{"activity_month": f"2024-{m:02d}", "activity_type": "koulutus", "count_activities": 10}
            for m in range(7, 13)]
    rows += [{"activity_month": f"2025-{m:02d}", "activity_type": "koulutus", "count_activities": 15}
             for m in range(1, 7)]
    insert_rows(w, "toiminta", rows, org_code="org_a")
    figures = compute_figures(w, H1, Scope())
    assert figures["comparison_period"]["complete"] is True
    assert figures["activities"]["change"] == {"previous_total": 60, "count": 30, "percent": 50.0}


def test_figures_compared_with_the_same_period_a_year_earlier():
    w = new_warehouse()
    add_org(w, "org_a", start_month="2024-01")
    rows = [{"activity_month": f"{year}-{m:02d}", "activity_type": "koulutus", "count_activities": n}
            for year, n in ((2024, 10), (2025, 12)) for m in range(1, 13)]
    insert_rows(w, "toiminta", rows, org_code="org_a")
    year_earlier = compute_figures(w, H1, Scope(), comparison=H1.year_earlier())
    assert year_earlier["comparison_period"]["from"] == "2024-01"
    assert year_earlier["activities"]["change"] == {"previous_total": 60, "count": 12, "percent": 20.0}
    # against the half-year just before (2024H2, also 10 a month) the change is the same here
    assert compute_figures(w, H1, Scope())["comparison_period"]["from"] == "2024-07"


@pytest.mark.parametrize("scope", [Scope(), Scope(exact=False), Scope(org_codes=("org_a",), exact=False, threshold=9)])
def test_a_section_computed_alone_is_the_same_as_in_the_whole_document(network, scope):
    whole = compute_figures(network, H1, scope)
    for section in ("activities", "attitudes", "demand"):
        alone = compute_figures(network, H1, scope, sections=(section,))
        assert set(alone) - {"suppression"} == {"period", "comparison_period", "completeness", section}
        for key in ("period", "comparison_period", "completeness", section):
            assert alone[key] == whole[key], (section, key)
        if not scope.exact:
            assert set(alone["suppression"]["hidden"]) == {
                path for path in whole["suppression"]["hidden"] if path.split(".")[0] == section}
    with pytest.raises(ValueError):
        compute_figures(network, H1, scope, sections=("activity",))


@pytest.mark.parametrize("scope", [Scope(), Scope(exact=False)])
@pytest.mark.parametrize("sections", [("activities", "attitudes", "demand"), ("attitudes",), ()])
def test_the_figures_queries_run_once_each_two_at_a_time_and_give_the_same_document(network, scope, sections,
                                                                                   monkeypatch):
    import threading

    import queries.figures as figures_module
    from queries import run_query

    ran = []

    def recording(warehouse, name, **kwargs):
        ran.append((name, kwargs["period"], threading.current_thread().name))
        return run_query(warehouse, name, **kwargs)

    together = compute_figures(network, H1, scope, query=recording, sections=sections)
    calls = [(name, period) for name, period, _ in ran]
    # each query once, and none left to run one by one after the threads (the list is complete)
    assert len(calls) == len(set(calls)) and all(thread != threading.current_thread().name for *_, thread in ran)
    assert {name for name, _ in calls} >= {"completeness_by_organisation"}
    monkeypatch.setattr(figures_module, "THREADS", 1)
    assert compute_figures(network, H1, scope, sections=sections) == together

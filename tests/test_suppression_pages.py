"""What a board viewer sees on one page, taken together — tables, tiles and sentences — must not
give back a hidden count by subtraction. Each case is one a reviewer worked out by hand."""

from datetime import date

import pandas as pd

import settings
from queries.periods import parse_period
from queries.scope import Scope
from queries.suppression import is_hidden
from ui import attitude_tables, demand_tables
from ui.context import PageContext
from ui.widgets import activity_groups_by_month

BOARD = PageContext(lang="en", warehouse=None, settings=settings.Settings(), role="board",
                    period=parse_period("2025Q1"), scope=Scope(exact=False), data_version=0,
                    today=date(2025, 8, 1))


def single_hidden_cells(frame: pd.DataFrame, value: str, by: str) -> list:
    """Groups in which a small count is the only hidden cell: it is the known total minus the rest.
    (A lone '..' may be worked out: it hides a count of five or more, hidden only to protect others.)"""
    return [key for key, group in frame.groupby(by)
            if [v for v in group[value] if is_hidden(v)] == ["<5"]]


def test_decided_minus_unmet_does_not_give_back_the_fulfilled_count():
    rows = pd.DataFrame([
        dict(requesting_sector="neuvola", count_requests=18, count_toteutunut=2, count_osittain=5,
             count_toteutumatta=5, count_avoin=6, count_peruttu=0, count_decided=12, count_unmet=10,
             unmet_share=10 / 12),
        dict(requesting_sector="koulu", count_requests=40, count_toteutunut=20, count_osittain=5,
             count_toteutumatta=5, count_avoin=10, count_peruttu=0, count_decided=30, count_unmet=10,
             unmet_share=1 / 3),
    ])
    unmet = demand_tables.unmet_by_sector(BOARD, rows)
    neuvola = unmet[unmet["category"] == "Maternity and child health clinic"].iloc[0]
    assert is_hidden(neuvola["count_decided"]) or is_hidden(neuvola["count_unmet"])


def test_a_shift_is_not_shown_beside_a_hidden_share():
    rows = pd.DataFrame([dict(respondent_group="vanhempi", count_respondents_ennen=20, count_curious_ennen=10,
                              curious_or_better_share_ennen=0.5, count_respondents_jalkeen=10,
                              count_curious_jalkeen=3, curious_or_better_share_jalkeen=0.3, shift_points=-20.0)])
    shown = attitude_tables.before_after(BOARD, rows)
    assert list(shown["point_label"]) == ["Before"]
    assert shown["shift_points"].isna().all()


def test_a_share_and_its_n_do_not_give_back_a_small_sceptical_count():
    # after: 8 of 10 curious, so 2 sceptical: "80 % (n = 10)" would say so
    rows = pd.DataFrame([dict(respondent_group="vanhempi", count_respondents_ennen=20, count_curious_ennen=10,
                              curious_or_better_share_ennen=0.5, count_respondents_jalkeen=10,
                              count_curious_jalkeen=8, curious_or_better_share_jalkeen=0.8, shift_points=30.0)])
    shown = attitude_tables.before_after(BOARD, rows)
    assert "After" not in list(shown["point_label"])


def test_stage_table_with_the_sentence_totals_does_not_pin_a_stage():
    # the sentence gives respondents 40 and 45 % curious: 22 sceptical, 18 curious are known
    rows = pd.DataFrame({"answer_month": pd.to_datetime(["2025-01-01"] * 5), "attitude_stage": [1, 2, 3, 4, 5],
                         "is_sceptical": [True, True, False, False, False],
                         "count_respondents": [2, 20, 6, 6, 6], "respondents_share": [.05, .5, .15, .15, .15]})
    shown = attitude_tables.stages_by_month(BOARD, rows)
    shown["is_sceptical"] = shown["stage"] <= 2
    assert single_hidden_cells(shown, "count", "is_sceptical") == []
    assert shown.loc[shown["stage"] == 1, "count"].iloc[0] == "<5"


def test_trend_with_the_group_tiles_does_not_pin_a_month(monkeypatch):
    rows = pd.DataFrame({
        "activity_month": pd.to_datetime(["2025-01-01", "2025-01-01", "2025-02-01", "2025-02-01",
                                          "2025-03-01", "2025-03-01"]),
        "activity_type": ["vertaistukitapaaminen", "koulutus"] * 3,
        "activity_group": ["client_work", "development_advocacy"] * 3,
        "count_activities": [10, 6, 3, 6, 10, 6],
    })
    monkeypatch.setattr("ui.data.query", lambda ctx, name, period=None, **extra: rows)
    trend = activity_groups_by_month(BOARD, date(2025, 1, 1), date(2025, 3, 1))
    # the tiles show each group's total and the chart each month's: no group or month may hide one cell
    assert single_hidden_cells(trend, "count", "series") == []
    assert single_hidden_cells(trend, "count", "month") == []
    assert trend.loc[(trend["month"] == "2025-02-01") & (trend["series"] == "Client work"), "count"].iloc[0] == "<5"

"""What stays hidden of the (already perturbed) protected counts, in tables and in the figures
document; what is never hidden. The perturbation itself: tests/test_perturbation.py; the attacker:
tests/test_cross_view_attack.py."""

import pandas as pd
import pytest

from queries.suppression import is_hidden, protected_paths, suppress_figures, suppress_small_counts


def frame(**columns) -> pd.DataFrame:
    return pd.DataFrame(columns)


@pytest.mark.parametrize(
    "value, threshold, shown",
    [(0, 5, 0), (1, 5, "<5"), (4, 5, "<5"), (5, 5, 5), (120, 5, 120), (7, 10, "<10"), (10, 10, 10)],
)
def test_small_counts_become_less_than_threshold(value, threshold, shown):
    result = suppress_small_counts(frame(n=[value]), ["n"], threshold=threshold)
    assert result["n"].tolist() == [shown]


def test_threshold_comes_from_settings(monkeypatch):
    monkeypatch.setenv("KOKEMUSMITTARI_SUPPRESSION_THRESHOLD", "3")
    result = suppress_small_counts(frame(n=[2, 3]), ["n"])
    assert result["n"].tolist() == ["<3", 3]


def test_only_the_protected_rows_are_hidden():
    # three trainings are organisational work: shown; three peer-support meetings are not
    table = frame(activity_type=["koulutus", "vertaistukitapaaminen", "muu"], n=[3, 3, 2])
    result = suppress_small_counts(table, ["n"], protected_rows=[False, True, True], threshold=5)
    assert result["n"].tolist() == [3, "<5", "<5"]


def test_no_secondary_suppression_a_large_count_beside_a_small_one_stays():
    # the perturbed rows make differencing useless, so nothing is hidden only to protect another
    result = suppress_small_counts(frame(n=[3, 6, 9, 20]), ["n"], threshold=5)
    assert result["n"].tolist() == ["<5", 6, 9, 20]


def test_share_over_a_hidden_count_is_left_out():
    table = frame(group=["a", "b"], curious=[3, 8], respondents=[20, 16], share=[0.15, 0.5])
    result = suppress_small_counts(table, ["curious", "respondents"],
                                   shares={"share": ("curious", "respondents")}, threshold=5)
    assert result["share"].tolist() == [None, 0.5]
    assert result["curious"].tolist() == ["<5", 8]


FIGURES = {
    "activities": {"by_type": {"koulutus": 3, "vertaistukitapaaminen": 20, "tyoparityo": 2, "media": 7},
                   "client_work": 22, "development_advocacy": 10, "other": 0, "total": 32,
                   "experts_involved": 3, "people_reached": 4, "hours": 2.5,
                   "feedback": 4.1, "feedback_activities": 3,
                   "change": {"previous_total": 2, "count": 30, "percent": 1500.0}},
    "attitudes": {"respondents": 40, "by_stage": {"1": 2, "2": 8, "3": 10, "4": 10, "5": 10},
                  "sceptical": 10, "curious_or_better": 30,
                  "sceptical_share": 0.25, "curious_or_better_share": 0.75, "shift": None, "trend": 5.0,
                  "shift_basis": None,
                  "previous": {"respondents": 3, "sceptical": 1, "curious_or_better": 2,
                               "curious_or_better_share": 0.667}},
    "demand": {"requests": 25, "decided": 22, "unmet": 3, "unmet_share": 0.136,
               "by_status": {"toteutunut": 19, "osittain": 0, "toteutumatta": 3, "avoin": 3, "peruttu": 0},
               "by_sector": {"neuvola": {"requests": 4, "decided": 4, "unmet": 2, "unmet_share": 0.5}},
               "open_over_60_days": 3},
    "completeness": {"expected": 4, "reported": 3, "rate": 0.75},
}


def test_the_figures_hide_small_protected_counts_and_what_is_computed_from_them():
    result = suppress_figures(FIGURES, threshold=5)
    activities, attitudes = result["activities"], result["attitudes"]
    assert activities["by_type"]["tyoparityo"] == "<5"
    assert activities["people_reached"] == "<5"
    assert activities["feedback"] is None            # only 3 rated activities behind it
    assert activities["change"]["previous_total"] == "<5"
    assert activities["change"]["count"] is None and activities["change"]["percent"] is None
    assert attitudes["by_stage"]["1"] == "<5"
    assert attitudes["by_stage"]["2"] == 8            # no secondary suppression
    assert attitudes["trend"] is None                 # the previous period's respondents are hidden
    assert attitudes["sceptical_share"] == 0.25
    assert "activities.by_type.tyoparityo" in result["suppression"]["hidden"]
    assert result["suppression"]["method"] == "perturbed_rows"
    assert FIGURES["activities"]["by_type"]["tyoparityo"] == 2  # the input is left as it was


def test_organisational_work_requests_capacity_and_completeness_are_never_hidden():
    result = suppress_figures(FIGURES, threshold=5)
    assert result["activities"]["by_type"]["koulutus"] == 3
    assert result["activities"]["experts_involved"] == 3
    assert result["activities"]["hours"] == 2.5
    assert result["demand"] == FIGURES["demand"]      # unmet 3 of 4 at the clinic: the board sees it
    assert result["completeness"] == FIGURES["completeness"]
    assert not any(path[0] in ("demand", "completeness") for path in protected_paths(FIGURES))


def test_a_total_holding_protected_counts_is_protected_with_them():
    small = {"activities": {"by_type": {"koulutus": 1, "vertaistukitapaaminen": 2}, "client_work": 2,
                            "development_advocacy": 1, "other": 0, "total": 3, "people_reached": 0,
                            "feedback_activities": 0, "feedback": None,
                            "change": {"previous_total": 0, "count": 3, "percent": None}}}
    result = suppress_figures(small, threshold=5)["activities"]
    assert result["total"] == "<5" and result["client_work"] == "<5"
    assert result["development_advocacy"] == 1 and result["by_type"]["koulutus"] == 1
    assert not is_hidden(result["people_reached"])   # a true zero stays 0


def test_a_column_mixing_counts_and_markers_becomes_text_for_arrow():
    from queries.suppression import markers_as_text

    shown = markers_as_text(frame(n=pd.Series([12, "<5", None], dtype=object), label=["a", "b", "c"], x=[1, 2, 3]),
                            missing="")
    assert shown["n"].tolist() == ["12", "<5", ""]
    assert shown["label"].tolist() == ["a", "b", "c"] and shown["x"].tolist() == [1, 2, 3]

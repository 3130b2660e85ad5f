"""Small counts hidden, and the hidden ones cannot be worked back out of what is shown."""

import itertools

import pandas as pd
import pytest

from queries.suppression import SECONDARY, cells_to_hide, is_hidden, suppress_figures, suppress_small_counts


def frame(**columns) -> pd.DataFrame:
    return pd.DataFrame(columns)


def feasible_values(shown: list, total: int, threshold: int = 5) -> list[tuple]:
    """Every way to fill the hidden parts of `shown` so that they sum to `total`,
    using what a reader knows: "<5" is 1–4, ".." is at least 5."""
    hidden = [i for i, value in enumerate(shown) if is_hidden(value)]
    known = sum(value for value in shown if not is_hidden(value))
    ranges = [range(1, threshold) if shown[i] != SECONDARY else range(threshold, total + 1) for i in hidden]
    return [combo for combo in itertools.product(*ranges) if known + sum(combo) == total]


# --- primary -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, threshold, shown",
    [(0, 5, 0), (1, 5, "<5"), (4, 5, "<5"), (5, 5, 5), (120, 5, 120), (7, 10, "<10"), (10, 10, 10)],
)
def test_small_counts_become_less_than_threshold(value, threshold, shown):
    result = suppress_small_counts(frame(n=[value]), ["n"], margins=(), threshold=threshold)
    assert result["n"].tolist() == [shown]


def test_threshold_comes_from_settings(monkeypatch):
    monkeypatch.setenv("KOKEMUSMITTARI_SUPPRESSION_THRESHOLD", "3")
    result = suppress_small_counts(frame(n=[2, 3]), ["n"], margins=())
    assert result["n"].tolist() == ["<3", 3]


# --- secondary: parts of a shown total ---------------------------------------------------------


@pytest.mark.parametrize(
    "parts, expected",
    [
        # one small part: the next-smallest non-zero part is hidden too
        ([3, 6, 9, 20], ["<5", SECONDARY, 9, 20]),
        # two small parts already protect each other
        ([3, 2, 9, 20], ["<5", "<5", 9, 20]),
        # zeros stay shown and are never the second hidden cell
        ([0, 3, 0, 12], [0, "<5", 0, SECONDARY]),
        ([0, 0, 8, 12], [0, 0, 8, 12]),
    ],
)
def test_secondary_suppression_within_a_column(parts, expected):
    result = suppress_small_counts(frame(n=parts), ["n"])
    assert result["n"].tolist() == expected


@pytest.mark.parametrize("parts", [[3, 6, 9, 20], [1, 40, 7], [4, 5, 5], [2, 30], [1, 2, 3, 50]])
def test_total_minus_visible_parts_does_not_give_a_hidden_count(parts):
    shown = suppress_small_counts(frame(n=parts), ["n"])["n"].tolist()
    total = sum(parts)  # the grand total is shown elsewhere
    hidden = [i for i, value in enumerate(shown) if is_hidden(value)]
    visible_sum = sum(value for value in shown if not is_hidden(value))
    # the classic attack only works when a single part is hidden
    assert len(hidden) != 1, (parts, shown, total - visible_sum)
    # and no hidden small count is pinned down even using "<5" = 1–4, ".." ≥ 5
    for position, i in enumerate(hidden):
        if parts[i] < 5:
            candidates = {combo[position] for combo in feasible_values(shown, total)}
            assert len(candidates) > 1, (parts, shown, candidates)


def test_month_by_type_table_with_month_and_type_totals():
    # January's muu = 2 is small; the January total and the muu total are both shown elsewhere
    table = frame(
        activity_month=["2025-01", "2025-01", "2025-01", "2025-02", "2025-02", "2025-02"],
        activity_type=["koulutus", "media", "muu", "koulutus", "media", "muu"],
        count_activities=[10, 12, 2, 11, 9, 8],
    )
    result = suppress_small_counts(table, ["count_activities"],
                                   margins=[("activity_month",), ("activity_type",), ()])
    shown = dict(zip(zip(result["activity_month"], result["activity_type"]), result["count_activities"]))
    assert shown[("2025-01", "muu")] == "<5"
    # every month and every type with a hidden cell has at least two hidden cells
    for key in ("activity_month", "activity_type"):
        hidden = result[result["count_activities"].map(is_hidden)].groupby(key).size()
        assert (hidden >= 2).all(), hidden
    # brute force: fill the hidden cells any way that meets the month and type totals
    hidden_cells = [k for k, v in shown.items() if is_hidden(v)]
    month_totals = table.groupby("activity_month")["count_activities"].sum()
    type_totals = table.groupby("activity_type")["count_activities"].sum()
    ranges = [range(1, 5) if shown[k] != SECONDARY else range(5, 40) for k in hidden_cells]
    solutions = set()
    for combo in itertools.product(*ranges):
        filled = {**shown, **dict(zip(hidden_cells, combo))}
        if all(sum(v for (m, _), v in filled.items() if m == month) == total
               for month, total in month_totals.items()) and \
           all(sum(v for (_, t), v in filled.items() if t == kind) == total
               for kind, total in type_totals.items()):
            solutions.add(filled[("2025-01", "muu")])
    assert len(solutions) > 1, solutions


def test_row_totals_split_by_status():
    # count_requests = sum of statuses in each row; statuses and totals all shown
    table = frame(
        requesting_sector=["neuvola", "koulu"],
        count_requests=[20, 30],
        count_toteutunut=[17, 20],
        count_avoin=[3, 10],
    )
    result = suppress_small_counts(
        table, ["count_requests", "count_toteutunut", "count_avoin"],
        row_totals={"count_requests": ["count_toteutunut", "count_avoin"]},
    )
    neuvola = result.iloc[0]
    assert neuvola["count_avoin"] == "<5"
    # requests − toteutunut would give avoin back: one of them is hidden too
    assert is_hidden(neuvola["count_requests"]) or is_hidden(neuvola["count_toteutunut"])
    # and the column total of avoin (13, shown elsewhere) − koulu's avoin does not either
    assert is_hidden(result.iloc[1]["count_avoin"])


def test_share_over_a_hidden_count_is_hidden():
    table = frame(municipality=["Turku", "Salo"], count_unmet=[3, 8], count_decided=[20, 16],
                  unmet_share=[0.15, 0.5])
    result = suppress_small_counts(table, ["count_unmet", "count_decided"], margins=(),
                                   shares={"unmet_share": ("count_unmet", "count_decided")})
    # 0.15 × 20 would give the hidden 3 back
    assert result["unmet_share"].tolist() == [None, 0.5]
    assert result["count_unmet"].tolist() == ["<5", 8]


# --- the engine --------------------------------------------------------------------------------


def test_a_latent_small_count_is_protected():
    # requests 20 and decided 17 shown would tell that 3 sessions are undecided
    values = {"requests": 20, "decided": 17, "undecided": 3}
    primary, secondary = cells_to_hide(values, [("requests", ["decided", "undecided"])],
                                       shown={"requests", "decided"}, threshold=5)
    assert primary == set()
    assert len(secondary) == 1


def test_two_equations_together_cannot_pin_a_hidden_count():
    # a = 2 hidden; b hidden as its partner; but b is also c − d, both shown → hide more
    values = {"t": 22, "a": 2, "b": 20, "c": 30, "d": 10}
    primary, secondary = cells_to_hide(values, [("t", ["a", "b"]), ("c", ["b", "d"])],
                                       shown=set(values), threshold=5)
    assert primary == {"a"}
    assert "b" in secondary or "t" in secondary
    unknown = primary | secondary
    # with t shown and b known from c − d, a = t − b; so either t, or c/d, must be hidden
    assert "t" in unknown or {"c", "d"} & unknown


# --- the figures dict --------------------------------------------------------------------------


def test_suppress_figures_hides_small_counts_and_what_would_reveal_them():
    figures = {
        "activities": {"by_type": {"koulutus": 3, "vertaistukitapaaminen": 20, "media": 7},
                       "client_work": 20, "development_advocacy": 10, "other": 0, "total": 30,
                       "feedback": 4.1, "feedback_activities": 3,
                       "change": {"previous_total": 2, "count": 28, "percent": 1400.0}},
        "attitudes": {"respondents": 40, "by_stage": {"1": 2, "2": 8, "3": 10, "4": 10, "5": 10},
                      "sceptical": 10, "curious_or_better": 30,
                      "sceptical_share": 0.25, "curious_or_better_share": 0.75},
        "demand": {"requests": 25, "decided": 22, "unmet": 6, "unmet_share": 0.273,
                   "by_status": {"toteutunut": 16, "osittain": 0, "toteutumatta": 6, "avoin": 3, "peruttu": 0},
                   "by_sector": {}, "open_over_60_days": 3},
        "completeness": {"expected": 4, "reported": 3, "rate": 0.75},
    }
    result = suppress_figures(figures, threshold=5)
    activities, attitudes, demand = result["activities"], result["attitudes"], result["demand"]
    assert activities["by_type"]["koulutus"] == "<5"
    # development_advocacy − media would give koulutus: media or the group total is hidden
    assert is_hidden(activities["by_type"]["media"]) or is_hidden(activities["development_advocacy"])
    assert activities["feedback"] is None  # only 3 rated activities behind it
    assert activities["change"]["previous_total"] == "<5"
    assert activities["change"]["count"] is None and activities["change"]["percent"] is None
    assert attitudes["by_stage"]["1"] == "<5"
    assert sum(1 for v in attitudes["by_stage"].values() if is_hidden(v)) >= 2
    # the 10 sceptical = stage 1 + stage 2: with stage 2 (8) shown it would give stage 1 back
    assert is_hidden(attitudes["by_stage"]["2"]) or attitudes["sceptical_share"] is None
    assert demand["by_status"]["avoin"] == "<5"
    # requests − decided = avoin: one of them is hidden
    assert is_hidden(demand["requests"]) or is_hidden(demand["decided"])
    assert demand["open_over_60_days"] == "<5"
    assert result["completeness"] == figures["completeness"]  # org-months are not suppressed
    assert "activities.by_type.koulutus" in result["suppression"]["hidden"]
    assert figures["activities"]["by_type"]["koulutus"] == 3  # the input is left as it was

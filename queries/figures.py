"""The figures of metrics.md for a period and a viewer's scope: the `figures --json` document.

Built only from run_query results, so the pages, the board pack and the command line
show the same numbers. Shares are fractions rounded to three decimals; shift and trend
are percentage points (one decimal); absent values are None.

Choices: `activities.by_type` lists every activity type that has rows in scope (a type
reported with count 0 shows 0; a type never reported is left out). `demand.by_status`
always lists all five statuses. Extra keys beside the documented ones carry the counts
behind the shares (`sceptical`, `curious_or_better`, `shift_basis`, `previous`) so that
suppression can protect them and a reader can check the arithmetic.
"""

import math
from concurrent.futures import ThreadPoolExecutor

from data_sources import vocabulary
from queries import run_query
from queries.periods import Period
from queries.scope import Scope
from queries.suppression import suppress_figures


def _int(value) -> int:
    return 0 if value is None or (isinstance(value, float) and math.isnan(value)) else int(value)


def _share(numerator, denominator) -> float | None:
    return round(numerator / denominator, 3) if denominator else None


def _points(later: float | None, earlier: float | None) -> float | None:
    """Difference of two fractions in percentage points."""
    if later is None or earlier is None:
        return None
    return round(100 * (later - earlier), 1)


def _month(value) -> str:
    return f"{value:%Y-%m}"


def activity_figures(warehouse, period: Period, scope: Scope, comparison: Period | None = None,
                     query=run_query) -> dict:
    by_type = query(warehouse, "activities_by_type", period=period, scope=scope)
    previous = query(warehouse, "activities_by_type", period=comparison or period.previous(), scope=scope)
    groups = by_type.groupby("activity_group")["count_activities"].sum()
    total = _int(by_type["count_activities"].sum())
    previous_total = _int(previous["count_activities"].sum())
    rated = _int(by_type["count_activities_with_feedback"].sum())
    rated_rows = by_type[by_type["count_activities_with_feedback"] > 0]
    feedback = None
    if rated:
        weighted = rated_rows["mean_feedback"] * rated_rows["count_activities_with_feedback"]
        feedback = round(float(weighted.sum()) / rated, 2)
    return {
        "by_type": {row.activity_type: _int(row.count_activities) for row in by_type.itertuples()},
        "client_work": _int(groups.get("client_work", 0)),
        "development_advocacy": _int(groups.get("development_advocacy", 0)),
        "other": _int(groups.get("other", 0)),
        "total": total,
        "experts_involved": _int(by_type["count_experts_involved"].sum()),
        "people_reached": _int(by_type["count_people_reached"].sum()),
        "hours": round(float(by_type["sum_hours"].sum()), 1),
        "blank_rows": {
            "experts_involved": _int(by_type["count_rows_blank_experts_involved"].sum()),
            "people_reached": _int(by_type["count_rows_blank_people_reached"].sum()),
            "hours": _int(by_type["count_rows_blank_hours"].sum()),
        },
        "feedback": feedback,
        "feedback_activities": rated,
        "change": {
            "previous_total": previous_total,
            "count": total - previous_total,
            "percent": round(100 * (total - previous_total) / previous_total, 1) if previous_total else None,
        },
    }


def _stage_counts(frame) -> dict:
    counts = {str(int(row.attitude_stage)): _int(row.count_respondents) for row in frame.itertuples()}
    respondents = sum(counts.values())
    sceptical = sum(counts[str(stage)] for stage in vocabulary.SCEPTICAL_STAGES if str(stage) in counts)
    return {
        "respondents": respondents,
        "by_stage": counts,
        "sceptical": sceptical,
        "curious_or_better": respondents - sceptical,
        "sceptical_share": _share(sceptical, respondents),
        "curious_or_better_share": _share(respondents - sceptical, respondents),
    }


def attitude_figures(warehouse, period: Period, scope: Scope, comparison: Period | None = None,
                     query=run_query) -> dict:
    current = _stage_counts(query(warehouse, "attitudes_by_stage", period=period, scope=scope))
    previous = _stage_counts(query(warehouse, "attitudes_by_stage", period=comparison or period.previous(),
                                       scope=scope))
    shift_rows = query(warehouse, "attitude_shift_by_group", period=period, scope=scope)
    shift_basis = None
    shift = None
    if not shift_rows.empty:
        shift_basis = {}
        for point in ("ennen", "jalkeen"):
            respondents = _int(shift_rows[f"count_respondents_{point}"].sum())
            curious = _int(shift_rows[f"count_curious_{point}"].sum())
            shift_basis[point] = {"respondents": respondents, "sceptical": respondents - curious,
                                  "curious_or_better": curious}
        shift = _points(
            _share_exact(shift_basis["jalkeen"]["curious_or_better"], shift_basis["jalkeen"]["respondents"]),
            _share_exact(shift_basis["ennen"]["curious_or_better"], shift_basis["ennen"]["respondents"]),
        )
    return {
        **current,
        "shift": shift,
        "shift_basis": shift_basis,
        "trend": _points(
            _share_exact(current["curious_or_better"], current["respondents"]),
            _share_exact(previous["curious_or_better"], previous["respondents"]),
        ),
        "previous": {key: previous[key] for key in
                     ("respondents", "sceptical", "curious_or_better", "curious_or_better_share")},
    }


def _share_exact(numerator, denominator) -> float | None:
    return numerator / denominator if denominator else None


def demand_figures(warehouse, period: Period, scope: Scope, query=run_query) -> dict:
    by_sector = query(warehouse, "demand_by_sector", period=period, scope=scope)
    by_status = query(warehouse, "demand_by_status", period=period, scope=scope)
    open_old = query(warehouse, "demand_open_over_60_days", period=period, scope=scope)
    requests = _int(by_sector["count_requests"].sum())
    decided = _int(by_sector["count_decided"].sum())
    unmet = _int(by_sector["count_unmet"].sum())
    statuses = dict(zip(by_status["status"], by_status["count_requests"]))
    return {
        "requests": requests,
        "decided": decided,
        "unmet": unmet,
        "unmet_share": _share(unmet, decided),
        "by_status": {status: _int(statuses.get(status, 0)) for status in vocabulary.STATUSES},
        "by_sector": {
            row.requesting_sector: {
                "requests": _int(row.count_requests),
                "decided": _int(row.count_decided),
                "unmet": _int(row.count_unmet),
                "unmet_share": _share(_int(row.count_unmet), _int(row.count_decided)),
            }
            for row in by_sector.itertuples()
        },
        "open_over_60_days": _int(open_old["count_open_over_60_days"].sum()),
    }


def completeness_figures(warehouse, period: Period, scope: Scope, query=run_query) -> dict:
    frame = query(warehouse, "completeness_by_organisation", period=period, scope=scope)
    expected = _int(frame["count_expected_months"].sum())
    reported = _int(frame["count_reported_months"].sum())
    return {"expected": expected, "reported": reported, "rate": _share(reported, expected)}


# a comparison period with fewer reported organisation-months than this share of the current
# period's gives no percent change, only a note on how incomplete it is (metrics.md)
COMPLETE_COMPARISON = 0.8


def comparison_coverage(current: dict, previous: dict) -> dict:
    """How much of the current period's reporting the comparison period has: organisation-months
    reported in each (Toiminta), and whether that is enough to compare."""
    reported, earlier = current["reported"], previous["reported"]
    return {"reported": earlier, "current_reported": reported,
            "complete": reported == 0 or earlier >= COMPLETE_COMPARISON * reported}


SECTIONS = ("activities", "attitudes", "demand")

# the queries each part of the document runs, for the period ("now") or the comparison period:
# run two at a time before the figures are worked out (DuckDB lets go of Python's lock while it
# runs one, and a figures document is ten small queries whose planning is most of their time)
_QUERIES = {
    "completeness": (("completeness_by_organisation", "now"), ("completeness_by_organisation", "comparison")),
    "activities": (("activities_by_type", "now"), ("activities_by_type", "comparison")),
    "attitudes": (("attitudes_by_stage", "now"), ("attitudes_by_stage", "comparison"),
                  ("attitude_shift_by_group", "now")),
    "demand": (("demand_by_sector", "now"), ("demand_by_status", "now"), ("demand_open_over_60_days", "now")),
}
THREADS = 2


def _run_together(warehouse, scope: Scope, calls: list[tuple[str, Period]], query, thread_setup=None):
    """A `query` that answers `calls` from one run of them, THREADS at a time (each with its own
    cursor); any other call runs as it comes. `thread_setup` runs first in each worker thread."""
    with ThreadPoolExecutor(max_workers=THREADS, initializer=thread_setup) as pool:
        futures = {(name, period): pool.submit(query, warehouse, name, period=period, scope=scope)
                   for name, period in dict.fromkeys(calls)}
        done = {key: future.result() for key, future in futures.items()}

    wanted = scope

    def answer(warehouse_, name: str, *, period: Period, scope: Scope, **extra):
        if not extra and scope == wanted and (name, period) in done:
            return done[(name, period)]
        return query(warehouse_, name, period=period, scope=scope, **extra)

    return answer


def compute_figures(warehouse, period: Period, scope: Scope, threshold: int | None = None,
                    comparison: Period | None = None, query=run_query, sections: tuple[str, ...] = SECTIONS,
                    thread_setup=None) -> dict:
    """The figures --json document for `period` and `scope`; unless scope.exact, computed from
    perturbed rows with small protected counts hidden (queries.suppression). The comparison period
    is the one of equal length just before, unless another is given (a year earlier). `query`
    runs each named query (run_query's arguments): the pages' cached one shares the queries two
    periods' figures have in common; its queries run two at a time (`thread_setup` runs first in
    each thread: a page's gives it Streamlit's context). `sections` leaves out what a page does
    not show (each section is computed, and protected, the same way alone as with the others);
    the period, the comparison period and completeness are always there."""
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        raise ValueError(f"no figures section {sorted(unknown)}")
    comparison = comparison or period.previous()
    periods = {"now": period, "comparison": comparison}
    calls = [(name, periods[when]) for part in ("completeness", *sections) for name, when in _QUERIES[part]]
    query = _run_together(warehouse, scope, calls, query, thread_setup)
    completeness = completeness_figures(warehouse, period, scope, query)
    coverage = comparison_coverage(completeness, completeness_figures(warehouse, comparison, scope, query))
    figures = {
        "period": {"from": _month(period.from_month), "to": _month(period.to_month)},
        "comparison_period": {"from": _month(comparison.from_month), "to": _month(comparison.to_month),
                              **coverage},
    }
    if "activities" in sections:
        figures["activities"] = activity_figures(warehouse, period, scope, comparison, query)
    if "attitudes" in sections:
        figures["attitudes"] = attitude_figures(warehouse, period, scope, comparison, query)
    if "demand" in sections:
        figures["demand"] = demand_figures(warehouse, period, scope, query)
    figures["completeness"] = completeness
    if not coverage["complete"] and "activities" in figures:
        # "+1 151 %" against a year that has only its December says nothing
        figures["activities"]["change"]["percent"] = None
    if not scope.exact:
        return suppress_figures(figures, threshold=scope.threshold if threshold is None else threshold)
    return figures

"""What a member-organisation or board viewer sees of the protected counts (docs/figures.md,
"Privacy in what is shown").

Two steps, both needed:

1. **Perturbed rows** (warehouse migration 005, macro `perturbed_count`): for such a viewer,
   every query reads each stored row's protected count below the threshold as a value drawn
   once from a small zero-mean table by a keyed hash of the row's content. All views sum the
   same perturbed rows, so any combination of pages, periods, filters and downloads gives
   back at most a perturbed row — never a true count.
2. **Small shown counts hidden** (this module): a protected count that still comes to
   1 … threshold−1 is shown as "<5". 0 stays 0 (a row is never perturbed to 0, so 0 is a true
   zero). A share, mean or change computed from a hidden count is left out (None), so that
   share × n cannot give the count back to the eye.

Counts that describe organisations rather than persons — organisational work, requests and
their statuses, capacity, hours, completeness — are neither perturbed nor hidden.
"""

import copy
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from data_sources import vocabulary

METHOD = "perturbed_rows"


def small_label(threshold: int) -> str:
    return f"<{threshold}"


def is_hidden(value) -> bool:
    """True for a value replaced with the "<5" marker."""
    return isinstance(value, str) and value.startswith("<")


def _threshold(threshold: int | None) -> int:
    if threshold is not None:
        return int(threshold)
    from settings import load_settings

    return load_settings().suppression_threshold


def is_small(value, threshold: int) -> bool:
    return value is not None and not isinstance(value, str) and not pd.isna(value) and 0 < value < threshold


# --- DataFrames ----------------------------------------------------------------------------


def markers_as_text(frame: pd.DataFrame, missing=None) -> pd.DataFrame:
    """`frame` with each column that mixes counts and hidden markers ("<5") as text, a missing
    value as `missing`: Arrow, through which Streamlit sends charts and grids, refuses mixed
    columns (the downloads keep the numbers as numbers)."""
    def number(v) -> bool:
        return isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool) and not pd.isna(v)

    mixed = [c for c in frame.columns if frame[c].dtype == object
             and frame[c].map(lambda v: isinstance(v, str)).any() and frame[c].map(number).any()]
    if not mixed:
        return frame
    return frame.assign(**{c: frame[c].map(lambda v: v if isinstance(v, str) else (str(v) if number(v) else missing))
                           for c in mixed})


def suppress_small_counts(
    frame: pd.DataFrame,
    count_columns: Sequence[str],
    *,
    protected_rows: Iterable[bool] | None = None,
    shares: Mapping[str, tuple[str, str]] | None = None,
    threshold: int | None = None,
) -> pd.DataFrame:
    """A copy of `frame` with its small protected counts shown as "<5".

    `count_columns` hold protected counts (already perturbed by the query); `protected_rows`
    limits them to some rows (the client-work types of a per-type table; default every row);
    `shares` maps a share column to its (numerator, denominator), left out where either is hidden.
    """
    threshold = _threshold(threshold)
    result = frame.reset_index(drop=True).copy()
    rows = (pd.Series(True, index=result.index) if protected_rows is None
            else pd.Series(list(protected_rows), index=result.index, dtype=bool))
    hidden: set = set()
    for column in count_columns:
        result[column] = result[column].astype(object)
        for index, value in result[column].items():
            if rows[index] and is_small(value, threshold):
                result.at[index, column] = small_label(threshold)
                hidden.add((index, column))
    for share, (numerator, denominator) in (shares or {}).items():
        result[share] = result[share].astype(object)
        for index in result.index:
            if (index, numerator) in hidden or (index, denominator) in hidden:
                result.at[index, share] = None
    return result


# --- the figures dict ----------------------------------------------------------------------


def _get(figures: Mapping, path: tuple):
    value = figures
    for key in path:
        if not isinstance(value, Mapping) or key not in value:
            return None
        value = value[key]
    return value


def _set(figures: dict, path: tuple, value) -> None:
    target = figures
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value


def protected_paths(figures: Mapping) -> list[tuple]:
    """The protected counts of a compute_figures dict, as paths (docs/figures.md)."""
    paths: list[tuple] = []
    activities = figures.get("activities") or {}
    if activities:
        paths += [("activities", "by_type", code) for code in activities.get("by_type", {})
                  if code in vocabulary.PROTECTED_ACTIVITY_TYPES]
        # a total that holds protected counts is protected with them
        paths += [("activities", name) for name in ("client_work", "other", "total", "people_reached",
                                                     "feedback_activities")]
        paths.append(("activities", "change", "previous_total"))
    attitudes = figures.get("attitudes") or {}
    if attitudes:
        paths += [("attitudes", "by_stage", stage) for stage in attitudes.get("by_stage", {})]
        paths += [("attitudes", name) for name in ("respondents", "sceptical", "curious_or_better")]
        paths += [("attitudes", "previous", name) for name in ("respondents", "sceptical", "curious_or_better")]
        for point in (attitudes.get("shift_basis") or {}):
            paths += [("attitudes", "shift_basis", point, name)
                      for name in ("respondents", "sceptical", "curious_or_better")]
    return [path for path in paths if _get(figures, path) is not None]


# share or derived figure -> the counts it is computed from; left out when any is hidden
_DERIVED = {
    ("attitudes", "sceptical_share"): (("attitudes", "sceptical"), ("attitudes", "respondents")),
    ("attitudes", "curious_or_better_share"): (("attitudes", "curious_or_better"), ("attitudes", "respondents")),
    ("attitudes", "previous", "curious_or_better_share"): (
        ("attitudes", "previous", "curious_or_better"), ("attitudes", "previous", "respondents")),
    ("activities", "change", "count"): (("activities", "total"), ("activities", "change", "previous_total")),
    ("activities", "change", "percent"): (("activities", "total"), ("activities", "change", "previous_total")),
    ("activities", "feedback"): (("activities", "feedback_activities"),),
    ("attitudes", "shift"): tuple(
        ("attitudes", "shift_basis", point, name)
        for point in ("ennen", "jalkeen") for name in ("respondents", "curious_or_better")),
    ("attitudes", "trend"): (
        ("attitudes", "curious_or_better"), ("attitudes", "respondents"),
        ("attitudes", "previous", "curious_or_better"), ("attitudes", "previous", "respondents")),
}


def suppress_figures(figures: Mapping, threshold: int | None = None) -> dict:
    """A copy of a compute_figures dict (computed from perturbed rows) with its small protected
    counts as "<5" and what is computed from them left out.

    Adds "suppression": {"threshold", "method", "hidden": [dotted paths]}.
    """
    threshold = _threshold(threshold)
    result = copy.deepcopy(dict(figures))
    hidden = {path for path in protected_paths(result) if is_small(_get(result, path), threshold)}
    for path in hidden:
        _set(result, path, small_label(threshold))
    left_out = set()
    for path, sources in _DERIVED.items():
        if _get(result, path) is not None and any(source in hidden for source in sources):
            _set(result, path, None)
            left_out.add(path)
    result["suppression"] = {
        "threshold": threshold,
        "method": METHOD,
        "hidden": sorted(".".join(str(part) for part in path) for path in hidden | left_out),
    }
    return result

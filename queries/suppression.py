"""Small-count suppression for member-organisation and board views (metrics.md, "Privacy").

Rules chosen:

- **Primary**: a count of 1 … threshold−1 (default 1–4) is shown as "<5". 0 stays 0.
- **Secondary**: figures are linked by sums (parts → total). A hidden count must not be
  recoverable from what is shown. Every sum is an equation; a hidden count is
  recoverable when it is determined by the equations given the shown values (a rank
  test, so it also catches combinations of several sums, not only "total − visible
  parts"). While some small count is recoverable, the smallest non-zero shown part of
  an equation that contains it is hidden too (its total only when no part is left), and
  shown as ".." — it is not small, so "<5" would be untrue. Totals shown elsewhere (the
  margins of a table) are taken as known.
- **Latent counts** — never shown but implied by two shown ones, like the sessions
  still undecided (requests − decided) or the sceptical respondents behind a share — are
  protected the same way: if small, a shown figure around them is hidden.
- **Shares and means**: a share is shown only when both its numerator and denominator
  are shown (each is then 0 or ≥ threshold, or at least not recoverable); a share
  whose numerator or denominator is hidden is null, because share × denominator would
  give the hidden count back. The feedback mean is null when fewer than threshold
  rated activities lie behind it. Change, shift and trend are null when a count they
  are computed from is hidden.
- Not suppressed: hours (not a count of anything), the numbers of rows left blank
  (data-quality counts of spreadsheet rows, not of people or events) and reporting
  completeness (organisation-months).

Limit: bounds are not used (a hidden "<5" is 1–4 and a ".." is ≥ threshold), so in
rare tables a hidden count's range can be narrowed, though not pinned down by sums.
"""

from collections.abc import Hashable, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from data_sources import vocabulary

SECONDARY = ".."


def small_label(threshold: int) -> str:
    return f"<{threshold}"


def is_hidden(value) -> bool:
    """True for a value suppression replaced with a marker."""
    return isinstance(value, str) and (value == SECONDARY or value.startswith("<"))


def _threshold(threshold: int | None) -> int:
    if threshold is not None:
        return int(threshold)
    from settings import load_settings

    return load_settings().suppression_threshold


def is_small(value, threshold: int) -> bool:
    return value is not None and not pd.isna(value) and 0 < value < threshold


# --- the engine: cells, sums, and which shown cells to hide -----------------------------


def cells_to_hide(
    values: Mapping[Hashable, float],
    equations: Iterable[tuple[Hashable, Sequence[Hashable]]],
    shown: Iterable[Hashable],
    threshold: int,
    fixed: Iterable[Hashable] = (),
) -> tuple[set, set]:
    """(primary, secondary): shown cells to hide so that no small count can be worked out.

    `values` holds every cell, shown or latent; `equations` are (total, parts) with
    total = sum(parts); `shown` are the cells on display; `fixed` are shown cells that
    cannot be hidden here (totals shown elsewhere). A small fixed cell is taken as hidden.
    """
    equations = [(total, tuple(parts)) for total, parts in equations]
    shown = set(shown)
    fixed = set(fixed)
    small = {key for key, value in values.items() if is_small(value, threshold)}
    primary = small & shown
    secondary: set = set()
    order = {key: i for i, key in enumerate(values)}

    def unknown(key) -> bool:
        return key not in shown or key in primary or key in secondary

    while True:
        exposed = _recoverable(small, equations, unknown, order)
        if not exposed:
            return primary - fixed, secondary
        cell = _cell_to_hide(exposed, equations, values, unknown, fixed, order)
        if cell is None:
            return primary - fixed, secondary
        secondary.add(cell)


def _recoverable(small: set, equations, unknown, order) -> list:
    """The small cells the equations determine from the shown values (rank test)."""
    unknowns = sorted({key for total, parts in equations for key in (total, *parts) if unknown(key)},
                      key=order.__getitem__)
    if not unknowns:
        return []
    column = {key: i for i, key in enumerate(unknowns)}
    rows = []
    for total, parts in equations:
        row = np.zeros(len(unknowns))
        if unknown(total):
            row[column[total]] += 1
        for part in parts:
            if unknown(part):
                row[column[part]] -= 1
        if row.any():
            rows.append(row)
    if not rows:
        return []
    matrix = np.array(rows)
    # a cell is determined iff its unit vector lies in the row space, i.e. the null space
    # of the equations has no component along it
    _, singular, vt = np.linalg.svd(matrix)
    rank = int((singular > 1e-9 * max(matrix.shape)).sum())
    null_space = vt[rank:]
    return [key for key in unknowns
            if key in small and (null_space.size == 0 or np.abs(null_space[:, column[key]]).max() < 1e-9)]


def _cell_to_hide(exposed: list, equations, values, unknown, fixed, order):
    """A shown cell to hide next: next to the first exposed cell, the smallest non-zero part
    whose hiding protects it (else the smallest part, else a total); failing that, anywhere
    an unknown stands."""

    def candidates(cells):
        return sorted((key for key in cells if not unknown(key) and key not in fixed and values[key]),
                      key=lambda key: (values[key], order[key]))

    def protects(target, cell) -> bool:
        return target not in _recoverable({target}, equations, lambda key: key == cell or unknown(key), order)

    target = exposed[0]
    touching = [(total, parts) for total, parts in equations if target == total or target in parts]
    linked = [(total, parts) for total, parts in equations if any(unknown(k) for k in (total, *parts))]
    for eqs in (touching, linked):
        parts = candidates({part for _, ps in eqs for part in ps})
        totals = candidates({total for total, _ in eqs} - set(parts))
        # trying every candidate costs one rank test each; the few smallest are enough
        for cell in [*parts[:3], *totals[:2]]:
            if protects(target, cell):
                return cell
        if parts or totals:
            return (parts or totals)[0]
    return None


# --- DataFrames ----------------------------------------------------------------------------


def suppress_small_counts(
    data,
    count_columns: Sequence[str] = (),
    *,
    margins: Sequence[Sequence[str]] = ((),),
    row_totals: Mapping[str, Sequence[str]] | None = None,
    shares: Mapping[str, tuple[str, str]] | None = None,
    threshold: int | None = None,
):
    """A copy of `data` with small counts and what would reveal them hidden.

    For a DataFrame: `count_columns` are the counts shown; `margins` lists groupings
    whose sums are shown elsewhere (`()` = each column's grand total; `("activity_month",)`
    = each month's total), `row_totals` maps a total column to the columns it is the sum
    of within a row, `shares` maps a share column to its (numerator, denominator).
    A figures dict (compute_figures) is handed to `suppress_figures`.
    """
    if isinstance(data, Mapping):
        return suppress_figures(data, threshold=threshold)
    threshold = _threshold(threshold)
    frame = data.reset_index(drop=True)
    values: dict = {}
    for column in count_columns:
        for index, value in frame[column].items():
            values[(index, column)] = 0 if pd.isna(value) else value
    shown = set(values)
    equations = []
    fixed = set()
    for grouping in margins:
        groups = (frame.groupby(list(grouping), dropna=False, sort=False) if grouping else [((), frame)])
        for group_key, group in enumerate(groups):
            index = group[1].index
            for column in count_columns:
                margin = ("margin", column, tuple(grouping), group_key)
                values[margin] = sum(values[(i, column)] for i in index)
                shown.add(margin)
                fixed.add(margin)
                equations.append((margin, [(i, column) for i in index]))
    for total, parts in (row_totals or {}).items():
        for index in frame.index:
            equations.append(((index, total), [(index, part) for part in parts]))
    primary, secondary = cells_to_hide(values, equations, shown, threshold, fixed)
    result = frame.copy()
    for column in count_columns:
        result[column] = result[column].astype(object)
    for index, column in primary:
        result.at[index, column] = small_label(threshold)
    for index, column in secondary:
        result.at[index, column] = SECONDARY
    hidden = primary | secondary
    for share, (numerator, denominator) in (shares or {}).items():
        result[share] = result[share].astype(object)
        for index in frame.index:
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


def _figure_cells(figures: Mapping) -> tuple[dict, list, set]:
    """Every count of a figures dict (shown) and the latent counts between them, and their sums."""
    values: dict = {}
    shown: set = set()
    equations: list = []

    def cell(path, latent=False):
        value = _get(figures, path)
        if value is None:
            return None
        values[path] = value
        if not latent:
            shown.add(path)
        return path

    def latent(path, value):
        values[path] = value
        return path

    def cells(paths):
        return [path for path in (cell(path) for path in paths) if path is not None]

    activities = figures.get("activities") or {}
    if activities:
        by_type = cells([("activities", "by_type", code) for code in activities.get("by_type", {})])
        for group in ("client_work", "development_advocacy", "other"):
            members = [p for p in by_type if vocabulary.ACTIVITY_TYPES.get(p[2], "other") == group]
            if cell(("activities", group)):
                equations.append((("activities", group), members))
        if cell(("activities", "total")):
            equations.append((("activities", "total"), by_type))
            groups = [p for p in (("activities", g) for g in ("client_work", "development_advocacy", "other"))
                      if p in values]
            if len(groups) == 3:
                equations.append((("activities", "total"), groups))
        cells([("activities", "experts_involved"), ("activities", "people_reached"),
               ("activities", "feedback_activities"), ("activities", "change", "previous_total")])

    attitudes = figures.get("attitudes") or {}
    if attitudes:
        stages = cells([("attitudes", "by_stage", stage) for stage in attitudes.get("by_stage", {})])
        sceptical_stages = {str(stage) for stage in vocabulary.SCEPTICAL_STAGES}
        if cell(("attitudes", "respondents")):
            equations.append((("attitudes", "respondents"), stages))
        for name, members in (
            ("sceptical", [p for p in stages if p[2] in sceptical_stages]),
            ("curious_or_better", [p for p in stages if p[2] not in sceptical_stages]),
        ):
            if cell(("attitudes", name)):
                equations.append((("attitudes", name), members))
        shares = {("attitudes", "respondents"), ("attitudes", "sceptical"), ("attitudes", "curious_or_better")}
        if shares <= set(values):
            equations.append((("attitudes", "respondents"),
                              [("attitudes", "sceptical"), ("attitudes", "curious_or_better")]))
        for group in ("shift_basis", "previous"):
            points = ("ennen", "jalkeen") if group == "shift_basis" else (None,)
            for point in points:
                base = ("attitudes", group, point) if point else ("attitudes", group)
                parts = cells([(*base, "sceptical"), (*base, "curious_or_better")])
                if cell((*base, "respondents")) and len(parts) == 2:
                    equations.append(((*base, "respondents"), parts))
        basis = [("attitudes", "shift_basis", point, name)
                 for point in ("ennen", "jalkeen") for name in ("sceptical", "curious_or_better")]
        if all(path in values for path in basis) and ("attitudes", "respondents") in values:
            # respondents outside both-points pairs, by sceptical / curious
            for name in ("sceptical", "curious_or_better"):
                paired = [p for p in basis if p[-1] == name]
                if ("attitudes", name) in values:
                    rest = latent(("attitudes", "unpaired", name),
                                  values[("attitudes", name)] - sum(values[p] for p in paired))
                    equations.append((("attitudes", name), [*paired, rest]))

    demand = figures.get("demand") or {}
    if demand:
        statuses = cells([("demand", "by_status", status) for status in demand.get("by_status", {})])
        totals = {name: cell(("demand", name)) for name in ("requests", "decided", "unmet")}
        decided_statuses = [p for p in statuses if p[2] not in vocabulary.UNDECIDED_STATUSES]
        unmet_statuses = [p for p in statuses if p[2] in vocabulary.UNMET_STATUSES]
        if statuses:
            for name, members in (("requests", statuses), ("decided", decided_statuses), ("unmet", unmet_statuses)):
                if totals[name]:
                    equations.append((totals[name], members))
        sectors = demand.get("by_sector", {})
        for sector in sectors:
            base = ("demand", "by_sector", sector)
            requests, decided, unmet = (cell((*base, name)) for name in ("requests", "decided", "unmet"))
            if requests and decided:
                undecided = latent((*base, "undecided"), values[requests] - values[decided])
                equations.append((requests, [decided, undecided]))
            if decided and unmet:
                met = latent((*base, "met"), values[decided] - values[unmet])
                equations.append((decided, [unmet, met]))
        for name in ("requests", "decided", "unmet"):
            members = [("demand", "by_sector", sector, name) for sector in sectors]
            if totals[name] and all(path in values for path in members):
                equations.append((totals[name], members))
        if totals["requests"] and totals["decided"] and not statuses:
            equations.append((totals["requests"],
                              [totals["decided"], latent(("demand", "undecided"),
                                                         values[totals["requests"]] - values[totals["decided"]])]))
        if totals["decided"] and totals["unmet"] and not statuses:
            equations.append((totals["decided"],
                              [totals["unmet"], latent(("demand", "met"),
                                                       values[totals["decided"]] - values[totals["unmet"]])]))
        cell(("demand", "open_over_60_days"))
    return values, equations, shown


# share path -> (numerator, denominator) cells; hidden when either is
_FIGURE_SHARES = {
    ("attitudes", "sceptical_share"): (("attitudes", "sceptical"), ("attitudes", "respondents")),
    ("attitudes", "curious_or_better_share"): (("attitudes", "curious_or_better"), ("attitudes", "respondents")),
    ("attitudes", "previous", "curious_or_better_share"): (
        ("attitudes", "previous", "curious_or_better"), ("attitudes", "previous", "respondents")),
    ("demand", "unmet_share"): (("demand", "unmet"), ("demand", "decided")),
}
# derived figure -> the cells it is computed from; hidden when any is
_FIGURE_DERIVED = {
    ("activities", "change", "count"): (("activities", "total"), ("activities", "change", "previous_total")),
    ("activities", "change", "percent"): (("activities", "total"), ("activities", "change", "previous_total")),
    ("activities", "feedback"): (("activities", "feedback_activities"),),
    ("attitudes", "shift"): tuple(
        ("attitudes", "shift_basis", point, name)
        for point in ("ennen", "jalkeen") for name in ("respondents", "sceptical", "curious_or_better")),
    ("attitudes", "trend"): (
        ("attitudes", "curious_or_better"), ("attitudes", "respondents"),
        ("attitudes", "previous", "curious_or_better"), ("attitudes", "previous", "respondents")),
}


def suppress_figures(figures: Mapping, threshold: int | None = None) -> dict:
    """A copy of a compute_figures dict with small counts as "<5" and secondary suppression.

    Adds "suppression": {"threshold", "hidden": [dotted paths]} listing every count,
    share and derived figure hidden.
    """
    import copy

    threshold = _threshold(threshold)
    result = copy.deepcopy(dict(figures))
    values, equations, shown = _figure_cells(result)
    primary, secondary = cells_to_hide(values, equations, shown, threshold)
    for path in primary:
        _set(result, path, small_label(threshold))
    for path in secondary:
        _set(result, path, SECONDARY)
    hidden = primary | secondary
    # latent small counts stay protected through their shares
    small_latent = {path for path, value in values.items() if path not in shown and is_small(value, threshold)}
    blocked = hidden | small_latent
    hidden_derived = set()
    shares = dict(_FIGURE_SHARES)
    for sector in (result.get("demand") or {}).get("by_sector", {}):
        base = ("demand", "by_sector", sector)
        shares[(*base, "unmet_share")] = ((*base, "unmet"), (*base, "decided"))
    for path, (numerator, denominator) in shares.items():
        if _get(result, path) is not None and (numerator in blocked or denominator in blocked):
            _set(result, path, None)
            hidden_derived.add(path)
    for path, sources in _FIGURE_DERIVED.items():
        if _get(result, path) is None:
            continue
        if any(source in blocked or (source not in values and _get(figures, source) is None) for source in sources):
            _set(result, path, None)
            hidden_derived.add(path)
    result["suppression"] = {
        "threshold": threshold,
        "hidden": sorted(".".join(str(part) for part in path) for path in hidden | hidden_derived),
    }
    return result

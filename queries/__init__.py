"""One .sql file per question the dashboard asks, run by name.

`run_query(warehouse, "activities_by_type", period=period, scope=scope)` reads
queries/activities_by_type.sql once, binds the `$name` parameters the file uses and
returns a DataFrame. The contract's code lists (public sectors, activity groups,
statuses …) are bound from data_sources.vocabulary, so the SQL never repeats them.
"""

import functools
import re
from pathlib import Path

import pandas as pd

from data_sources import vocabulary
from queries.periods import Period
from queries.scope import Scope

QUERIES = Path(__file__).resolve().parent
_PARAM = re.compile(r"\$([a-z_][a-z0-9_]*)")
_COMMENT = re.compile(r"--[^\n]*")

# parameters any query may be given, used or not (so a page can pass one uniform set)
COMMON_PARAMS = ("from_month", "to_month", "org_codes", "municipalities", "sectors", "protect_below")
SCOPE_DEFAULTS = {"org_codes": None, "municipalities": None, "sectors": None, "protect_below": None}


def _vocabulary_params() -> dict:
    return {
        "public_sectors": list(vocabulary.PUBLIC_SECTORS),
        "activity_types": list(vocabulary.ACTIVITY_TYPES),
        "activity_type_groups": list(vocabulary.ACTIVITY_TYPES.values()),
        "protected_activity_types": list(vocabulary.PROTECTED_ACTIVITY_TYPES),
        "attitude_stages": list(vocabulary.ATTITUDE_STAGES),
        "sceptical_stages": list(vocabulary.SCEPTICAL_STAGES),
        "statuses": list(vocabulary.STATUSES),
        "unmet_statuses": list(vocabulary.UNMET_STATUSES),
        "undecided_statuses": list(vocabulary.UNDECIDED_STATUSES),
    }


@functools.cache
def load_query(name: str) -> tuple[str, tuple[str, ...]]:
    """The SQL of queries/<name>.sql and the parameter names it uses."""
    if not re.fullmatch(r"[a-z0-9_]+", name):
        raise ValueError(f"bad query name {name!r}")
    path = QUERIES / f"{name}.sql"
    if not path.is_file():
        raise KeyError(f"no query named {name!r} (looked for {path})")
    sql = path.read_text(encoding="utf-8")
    names = tuple(dict.fromkeys(_PARAM.findall(_COMMENT.sub("", sql))))
    return sql, names


def query_names() -> list[str]:
    return sorted(path.stem for path in QUERIES.glob("*.sql"))


def _bindable(value):
    if isinstance(value, (tuple, set, frozenset)):
        return list(value)
    return value


def run_query(warehouse, name: str, *, period: Period | None = None, scope: Scope | None = None,
              **params) -> pd.DataFrame:
    """Run queries/<name>.sql with bound parameters and return its rows.

    `period` fills $from_month/$to_month and `scope` fills $org_codes/$municipalities/
    $sectors; both may also be given directly. Parameters a query does not use are
    ignored when they are one of the common ones, refused otherwise (a typo).
    """
    sql, names = load_query(name)
    given: dict = dict(SCOPE_DEFAULTS)
    given.update(_vocabulary_params())
    if period is not None:
        given.update(from_month=period.from_month, to_month=period.to_month)
    if scope is not None:
        given.update(scope.params())
    unknown = set(params) - set(names) - set(COMMON_PARAMS)
    if unknown:
        raise TypeError(f"query {name!r} takes no parameter(s) {sorted(unknown)}; it uses {list(names)}")
    given.update(params)
    missing = [param for param in names if param not in given]
    if missing:
        raise TypeError(f"query {name!r} needs parameter(s) {missing}")
    bound = {param: _bindable(given[param]) for param in names}
    cur = warehouse.cursor()
    try:
        return cur.execute(sql, bound).df()
    finally:
        cur.close()

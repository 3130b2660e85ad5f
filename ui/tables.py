"""Turning query rows into what a chart and its data table need: labels in the user's
language, suppression for the views that must not show small counts, long form for charts."""

import pandas as pd

import i18n
from i18n.formats import fmt_share
from queries.suppression import is_hidden, suppress_small_counts
from ui.context import PageContext


def protect(ctx: PageContext, frame: pd.DataFrame, counts: list[str], **rules) -> pd.DataFrame:
    """The frame as this viewer may see it: exact for leadership; otherwise the protected counts
    (perturbed already by the query) that are small shown as "<5" (queries.suppression)."""
    if ctx.scope.exact or frame.empty:
        return frame
    return suppress_small_counts(frame, counts, threshold=ctx.scope.threshold, **rules)


def protected_types(frame: pd.DataFrame, column: str = "activity_type") -> list[bool]:
    """Rows of a per-type (or per-group) table whose counts are protected: client work and other."""
    from data_sources.vocabulary import PROTECTED_ACTIVITY_GROUPS, PROTECTED_ACTIVITY_TYPES

    codes = PROTECTED_ACTIVITY_GROUPS if column == "activity_group" else PROTECTED_ACTIVITY_TYPES
    return [code in codes for code in frame[column]]


def drawable(values: pd.Series) -> pd.Series:
    """Numbers for a chart: a hidden count ('<5') becomes missing; the chart marks it instead."""
    return pd.to_numeric(values.map(lambda v: None if is_hidden(v) else v), errors="coerce")


def without_zero_counts(frame: pd.DataFrame, column: str = "count") -> pd.DataFrame:
    """The rows worth drawing: a hidden count or one above zero. An empty frame keeps its columns
    (a mask built by .map on no rows is not boolean, and pandas would read it as column names)."""
    keep = frame[column].map(lambda v: isinstance(v, str) or (pd.notna(v) and v > 0)).astype(bool)
    return frame[keep].reset_index(drop=True)


def with_labels(frame: pd.DataFrame, lang: str, columns: dict[str, str]) -> pd.DataFrame:
    """Add `<column>_label` for each code column ({column: code list}) and `<column>_order`."""
    from data_sources.vocabulary import CODE_LISTS

    out = frame.copy()
    for column, code_list in columns.items():
        order = {code: i for i, code in enumerate(CODE_LISTS.get(code_list, ()))}
        out[f"{column}_label"] = [i18n.label(lang, code_list, c) if pd.notna(c) else i18n.t(lang, "common.not_given")
                                  for c in out[column]]
        out[f"{column}_order"] = [order.get(c, len(order)) for c in out[column]]
    return out


def readable(frame: pd.DataFrame, lang: str, columns: dict[str, str]) -> pd.DataFrame:
    """The data table under a chart: chosen columns renamed to the user's words ({column: text key})."""
    shown = frame.loc[:, list(columns)].copy()
    for column in shown.columns:
        if pd.api.types.is_datetime64_any_dtype(shown[column]):
            shown[column] = shown[column].dt.strftime("%Y-%m")
        elif column.endswith("_share") or column == "share":
            shown[column] = shown[column].map(
                lambda v: v if isinstance(v, str) else ("" if pd.isna(v) else fmt_share(float(v), lang, 1)))
    return shown.rename(columns={c: i18n.t(lang, key) for c, key in columns.items()})

"""Reporting rows shaped for the grid and the per-organisation table."""

import pandas as pd

import i18n
from i18n.formats import fmt_month, fmt_share
from ui.context import PageContext


def reporting_grid(ctx: PageContext, rows: pd.DataFrame) -> pd.DataFrame:
    """org_name, month, state, state_label."""
    return pd.DataFrame({
        "org_name": rows["org_name"],
        "month": pd.to_datetime(rows["period_month"]),
        "state": rows["state"],
        "state_label": [ctx.t(f"completeness.state_{s}") for s in rows["state"]],
    })


def missing_in(rows: pd.DataFrame) -> list[str]:
    """Names of the organisations that were expected to report and did not (rows of one month).
    A locked month without a report still counts: completeness counts it as missing too."""
    return sorted(rows.loc[rows["state"].isin(["missing", "locked"]), "org_name"])


def by_organisation(ctx: PageContext, rows: pd.DataFrame) -> pd.DataFrame:
    """Reported of expected months per organisation, with the missing months named."""
    t = lambda key: i18n.t(ctx.lang, key)  # noqa: E731
    rows = rows.sort_values("org_name")
    return pd.DataFrame({
        t("common.organisation"): rows["org_name"],
        t("completeness.expected"): rows["count_expected_months"],
        t("completeness.reported"): rows["count_reported_months"],
        t("completeness.rate"): [fmt_share(v, ctx.lang, 1) for v in rows["reported_share"]],
        t("completeness.missing"): [", ".join(fmt_month(pd.Timestamp(f"{m}-01"), ctx.lang, short=True) for m in months)
                                    for months in rows["missing_months"]],
    })

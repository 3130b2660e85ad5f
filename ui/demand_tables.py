"""Demand rows shaped for the charts: status by sector, unmet share, reasons, capacity, white spots."""

import pandas as pd

import i18n
from data_sources.values import UNKNOWN_MUNICIPALITY, municipality_label
from data_sources.vocabulary import PUBLIC_SECTORS, STATUSES
from i18n.formats import fmt_number
from ui.context import PageContext
from ui.tables import drawable, without_zero_counts

STATUS_COLUMNS = [f"count_{status}" for status in STATUSES]


# Requests, their statuses and capacity describe organisations, not persons: they are shown
# exactly to every viewer (docs/figures.md, "Privacy in what is shown").


def status_by_sector(ctx: PageContext, rows: pd.DataFrame) -> pd.DataFrame:
    """sector_label, status_label, status_order, count (as shown), value (drawable)."""
    parts = [pd.DataFrame({
        "sector_label": [i18n.label(ctx.lang, "sector", s) for s in rows["requesting_sector"]],
        "status_label": i18n.label(ctx.lang, "status", status),
        "status_order": order,
        "count": rows[f"count_{status}"].tolist(),
    }) for order, status in enumerate(STATUSES)]
    long = pd.concat(parts, ignore_index=True)
    long["value"] = drawable(long["count"])
    return without_zero_counts(long)


def unmet_by_sector(ctx: PageContext, rows: pd.DataFrame) -> pd.DataFrame:
    """category, share, count_unmet, count_decided, label ('unmet / decided')."""
    share = pd.to_numeric(rows["unmet_share"], errors="coerce")
    return pd.DataFrame({
        "category": [i18n.label(ctx.lang, "sector", s) for s in rows["requesting_sector"]],
        "share": share,
        "count_unmet": rows["count_unmet"],
        "count_decided": rows["count_decided"],
        "label": [i18n.t(ctx.lang, "demand.unmet_of_decided", unmet=fmt_number(u, ctx.lang),
                         decided=fmt_number(d, ctx.lang)) for u, d in zip(rows["count_unmet"], rows["count_decided"])],
    })


def reasons(ctx: PageContext, rows: pd.DataFrame) -> pd.DataFrame:
    """category (reason label, or 'not given'), count, value."""
    return pd.DataFrame({
        "category": [i18n.label(ctx.lang, "reason", r) if isinstance(r, str) else i18n.t(ctx.lang, "common.not_given")
                     for r in rows["reason"]],
        "count": rows["count_unmet"],
        "value": drawable(rows["count_unmet"]),
    })


def open_over_60_days(ctx: PageContext, rows: pd.DataFrame) -> pd.DataFrame:
    """The table of old open requests, in the user's words."""
    rows = rows.sort_values("count_open_over_60_days", ascending=False)
    return pd.DataFrame({
        i18n.t(ctx.lang, "common.sector"): [i18n.label(ctx.lang, "sector", s) for s in rows["requesting_sector"]],
        i18n.t(ctx.lang, "demand.open_sessions"): rows["count_open_over_60_days"],
        i18n.t(ctx.lang, "demand.oldest"): pd.to_datetime(rows["oldest_received_month"]).dt.strftime("%m/%Y"),
    })


def capacity(ctx: PageContext, rows: pd.DataFrame) -> pd.DataFrame:
    """month, series (active experts / public requests), count (as shown), value, segment (a month
    nobody in scope reported is a gap: the line stops there and starts a new segment after it)."""
    parts = []
    for column in ("count_active", "count_requests"):
        values = rows[column]
        parts.append(pd.DataFrame({
            "month": pd.to_datetime(rows["capacity_month"]),
            "series": i18n.t(ctx.lang, f"demand.series_{column}"),
            "count": values,
            "segment": values.isna().cumsum().to_numpy(),
        }))
    long = pd.concat(parts, ignore_index=True)
    long["value"] = drawable(long["count"])
    return long[["month", "series", "count", "value", "segment"]]


def white_spots(ctx: PageContext, spots: pd.DataFrame, activity: pd.DataFrame,
                demand: pd.DataFrame) -> pd.DataFrame:
    """Every public sector × municipality in sight: sector_label, municipality, is_white, state_label, mark."""
    # rows whose municipality was off the official list have no place on this map
    unknown = municipality_label(UNKNOWN_MUNICIPALITY, ctx.lang)
    municipalities = sorted({m for m in pd.concat([spots["municipality"], activity["municipality"],
                                                   demand["municipality"]]) if isinstance(m, str) and m != unknown})
    white = set(zip(spots["sector"], spots["municipality"]))
    grid = [(sector, municipality) for sector in PUBLIC_SECTORS for municipality in municipalities]
    return pd.DataFrame({
        "sector_label": [i18n.label(ctx.lang, "sector", s) for s, _ in grid],
        "municipality": [m for _, m in grid],
        "is_white": pd.Series([cell in white for cell in grid], dtype=bool),
        "state_label": [i18n.t(ctx.lang, "demand.white_spot" if cell in white else "demand.reached") for cell in grid],
        "mark": ["○" if cell in white else "●" for cell in grid],
    })

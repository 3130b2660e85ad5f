"""Attitude rows shaped for the charts: stages per month, before/after per respondent group."""

import pandas as pd

import i18n
from data_sources.vocabulary import ATTITUDE_STAGES
from i18n.formats import fmt_number, fmt_share
from queries.suppression import is_hidden
from ui.context import PageContext
from ui.tables import drawable, protect


def stages_by_month(ctx: PageContext, rows: pd.DataFrame) -> pd.DataFrame:
    """month, stage, stage_label, count (as shown), respondents (drawable), month_respondents."""
    rows = protect(ctx, rows, ["count_respondents"],
                   shares={"respondents_share": ("count_respondents", "count_respondents")})
    out = pd.DataFrame({
        "month": pd.to_datetime(rows["answer_month"]),
        "stage": rows["attitude_stage"].astype(int),
        "stage_label": [f"{s} – {i18n.label(ctx.lang, 'attitude_stage', ATTITUDE_STAGES[int(s)])}"
                        for s in rows["attitude_stage"]],
        "count": rows["count_respondents"],
        "respondents": drawable(rows["count_respondents"]),
        "respondents_share": rows["respondents_share"],
    })
    out["month_respondents"] = out.groupby("month")["respondents"].transform("sum")
    return out


def before_after(ctx: PageContext, rows: pd.DataFrame) -> pd.DataFrame:
    """Two rows per respondent group (ennen, jalkeen): share, respondents, label 'share (n = …)'."""
    if rows.empty:
        return pd.DataFrame(columns=["group_label", "point_label", "point_order", "share", "respondents",
                                     "count", "label", "shift_points"])
    rows = rows.copy()
    rows = protect(ctx, rows, [f"count_{kind}_{point}" for point in ("ennen", "jalkeen")
                               for kind in ("respondents", "curious")],
                   shares={f"curious_or_better_share_{point}": (f"count_curious_{point}", f"count_respondents_{point}")
                           for point in ("ennen", "jalkeen")})
    both_shown = rows["curious_or_better_share_ennen"].notna() & rows["curious_or_better_share_jalkeen"].notna()
    parts = []
    for order, point in enumerate(("ennen", "jalkeen")):
        shares = pd.to_numeric(rows[f"curious_or_better_share_{point}"], errors="coerce")
        counts = rows[f"count_respondents_{point}"]
        parts.append(pd.DataFrame({
            "group_label": [i18n.label(ctx.lang, "respondent_group", g) for g in rows["respondent_group"]],
            "point_label": i18n.label(ctx.lang, "measurement_point", point),
            "point_order": order,
            "share": shares,
            "respondents": drawable(counts),
            "count": counts,
            "label": [f"{fmt_share(s, ctx.lang)} (n = {fmt_number(n, ctx.lang)})" for s, n in zip(shares, counts)],
            # a shift next to a hidden share would give that share back
            "shift_points": [round(v, 1) if isinstance(v, float) and shown else None
                             for v, shown in zip(rows["shift_points"], both_shown)],
        }))
    # a point whose share is hidden stays, as a row the chart marks "<5" instead of drawing it
    frame = pd.concat(parts, ignore_index=True)
    return frame[frame["share"].notna() | frame["count"].map(is_hidden)].reset_index(drop=True)

"""Pieces pages share: tiles, a chart with its data table and downloads, period and scope labels."""

from datetime import date

import altair as alt
import pandas as pd
import streamlit as st

import i18n
from i18n.formats import fmt_change, fmt_month, fmt_number, fmt_points, fmt_share
from ui import data
from ui.context import PageContext
from ui.exports import to_csv_bytes, to_xlsx_bytes


def scope_label(ctx: PageContext) -> str:
    """'Koko verkosto' or the chosen organisations / municipalities / sectors, briefly."""
    scope, parts = ctx.scope, []
    if scope.org_codes:
        names = dict(ctx.warehouse.cursor().execute(
            "select org_code, org_name from organisations").fetchall())
        parts.append(", ".join(names.get(c, c) for c in scope.org_codes))
    if scope.municipalities:
        parts.append(", ".join(scope.municipalities))
    if scope.sectors:
        parts.append(", ".join(i18n.label(ctx.lang, "sector", s) for s in scope.sectors))
    return " · ".join(parts) if parts else ctx.t("common.whole_network")


def span_label(ctx: PageContext, start: date, end: date) -> str:
    return f"{fmt_month(start, ctx.lang, short=True)} – {fmt_month(end, ctx.lang, short=True)}"


def _relative_change(now, before) -> float | None:
    if not isinstance(now, (int, float)) or not isinstance(before, (int, float)) or not before:
        return None
    return (now - before) / before * 100


def metric_tile(ctx: PageContext, key: str, now, before, kind: str, colour: str) -> None:
    """A headline figure with its change against the comparison period."""
    if kind == "share":
        value = fmt_share(now, ctx.lang)
        delta = None
        if isinstance(now, float) and isinstance(before, float):
            delta = fmt_points((now - before) * 100, ctx.lang)
    else:
        value = fmt_number(now, ctx.lang)
        change = _relative_change(now, before)
        delta = fmt_change(change, ctx.lang) if change is not None else None
    if delta is not None:
        # Streamlit reads the arrow's direction from a leading ASCII minus
        delta = delta.replace("\u2212", "-")
    st.metric(
        ctx.t(key), value, delta=delta, delta_color=colour, border=True,
        help=ctx.t(f"{key}_help", period=ctx.period.label(ctx.lang),
                   previous=ctx.period.previous().label(ctx.lang)),
    )


def overview_sentences(ctx: PageContext, now: dict, before: dict) -> str:
    """One to three sentences stating the headline and the change, in the chosen language."""
    lang, period = ctx.lang, ctx.period.label(ctx.lang)
    total, previous_total = now["activities"]["total"], before["activities"]["total"]
    change = _relative_change(total, previous_total)
    if change is None:
        first = ctx.t("overview.sentence_total", period=period, total=fmt_number(total, lang))
    else:
        direction = "more" if change > 0 else ("less" if change < 0 else "same")
        first = ctx.t(f"overview.sentence_total_{direction}", period=period,
                      total=fmt_number(total, lang), change=fmt_number(abs(change), lang))
    sentences = [first]
    curious = now["attitudes"]["curious_or_better_share"]
    if isinstance(curious, float):
        sentences.append(ctx.t("overview.sentence_curious", share=fmt_share(curious, lang)))
    unmet = now["demand"]["unmet_share"]
    if isinstance(unmet, float):
        sentences.append(ctx.t("overview.sentence_unmet", share=fmt_share(unmet, lang)))
    return " ".join(sentences)


def activity_groups_by_month(ctx: PageContext, start: date, end: date) -> pd.DataFrame:
    """Activities per month and group over [start, end], labelled, for the trend chart."""
    from queries.periods import Period

    rows = data.query(ctx, "activities_by_month", period=Period(start, end))
    groups = ["client_work", "development_advocacy", "other"]
    frame = (rows.groupby(["activity_month", "activity_group"], as_index=False)["count_activities"].sum()
             if len(rows) else pd.DataFrame(columns=["activity_month", "activity_group", "count_activities"]))
    return pd.DataFrame({
        "month": pd.to_datetime(frame["activity_month"]),
        "series": [i18n.label(ctx.lang, "activity_group", g) for g in frame["activity_group"]],
        "series_order": [groups.index(g) if g in groups else 9 for g in frame["activity_group"]],
        "value": frame["count_activities"].astype("float"),
    })


def chart_with_data(ctx: PageContext, chart: alt.Chart, table: pd.DataFrame, key: str,
                    file_stem: str | None = None) -> None:
    """The chart, then a 'show data' table and its xlsx and CSV downloads."""
    st.altair_chart(chart, width="stretch")
    shown = table.drop(columns=[c for c in table.columns if c.endswith("_order")])
    with st.expander(ctx.t("common.show_data")):
        st.dataframe(shown, hide_index=True, width="stretch")
        stem = file_stem or key
        left, right = st.columns(2)
        left.download_button(ctx.t("common.download_xlsx"), to_xlsx_bytes(shown), f"{stem}.xlsx",
                             mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                             key=f"{key}_xlsx", icon=":material/download:")
        right.download_button(ctx.t("common.download_csv"), to_csv_bytes(shown, ctx.lang), f"{stem}.csv",
                              mime="text/csv", key=f"{key}_csv", icon=":material/download:")

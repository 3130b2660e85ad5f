"""Pieces pages share: tiles, a chart with its data table and downloads, period and scope labels."""

import re
from dataclasses import dataclass
from datetime import date

import altair as alt
import pandas as pd
import streamlit as st

import i18n
from charts import unchecked
from data_sources.values import municipality_label
from i18n.formats import fmt_change, fmt_month, fmt_number, fmt_points, fmt_share
from queries.suppression import is_hidden, markers_as_text
from ui import data, narrative
from ui.context import LEGEND_SAID, PageContext, organisation_names
from ui.exports import to_csv_bytes, to_xlsx_bytes


def scope_label(ctx: PageContext) -> str:
    """'Koko verkosto' or the chosen organisations / municipalities / sectors, briefly."""
    scope, parts = ctx.scope, []
    if scope.org_codes:
        names = dict(organisation_names(ctx.warehouse, ctx.data_version))
        parts.append(", ".join(names.get(c, c) for c in scope.org_codes))
    if scope.municipalities:
        parts.append(", ".join(municipality_label(m, ctx.lang) for m in scope.municipalities))
    if scope.sectors:
        parts.append(", ".join(i18n.label(ctx.lang, "sector", s) for s in scope.sectors))
    return " · ".join(parts) if parts else ctx.t("common.whole_network")


def span_label(ctx: PageContext, start: date, end: date) -> str:
    return f"{fmt_month(start, ctx.lang, short=True)} – {fmt_month(end, ctx.lang, short=True)}"


def _relative_change(now, before) -> float | None:
    if not isinstance(now, (int, float)) or not isinstance(before, (int, float)) or not before:
        return None
    return (now - before) / before * 100


@dataclass(frozen=True)
class Tile:
    """A headline figure as shown: its label key, value and change (None: no change to give),
    the change's colour rule for st.metric, and whether the value is a hidden count."""
    key: str
    value: str
    delta: str | None
    colour: str
    hidden: bool


# the Overview's six tiles: label key, figure path, kind, whether a rise is good
OVERVIEW_TILES = (
    ("overview.tile_total", ("activities", "total"), "count", "normal"),
    ("overview.tile_client_work", ("activities", "client_work"), "count", "normal"),
    ("overview.tile_development", ("activities", "development_advocacy"), "count", "normal"),
    ("overview.tile_curious", ("attitudes", "curious_or_better_share"), "share", "normal"),
    ("overview.tile_unmet", ("demand", "unmet_share"), "share", "inverse"),
    ("overview.tile_completeness", ("completeness", "rate"), "share", "normal"),
)


# the counts each share tile's share is made of: its change is worked out from them, as the pages'
# own sentences work out theirs (from the rounded shares it read a tenth of a point apart)
SHARE_BASIS = {("attitudes", "curious_or_better_share"): ("curious_or_better", "respondents"),
               ("demand", "unmet_share"): ("unmet", "decided"),
               ("completeness", "rate"): ("reported", "expected")}


def _exact_share(figures: dict, group: str, name: str):
    """The share `group.name` from its counts, unrounded; else the figure as it is."""
    numerator, denominator = (figures[group].get(key) for key in SHARE_BASIS[(group, name)])
    if isinstance(numerator, int | float) and isinstance(denominator, int | float) and denominator \
            and isinstance(figures[group][name], float):
        return numerator / denominator
    return figures[group][name]


def tile(ctx: PageContext, key: str, now, before, kind: str, colour: str, compare: bool = True,
         exact: tuple | None = None) -> Tile:
    """A headline figure with its change against the comparison period, only when `compare`
    (the comparison period reported enough: docs/figures.md); a share's change in points from
    the `exact` (unrounded) shares when given."""
    if kind == "share":
        value = fmt_share(now, ctx.lang)
        delta = None
        later, earlier = exact or (now, before)
        if compare and isinstance(now, float) and isinstance(before, float):
            delta = fmt_points(round((later - earlier) * 100, 1), ctx.lang)
    else:
        value = fmt_number(now, ctx.lang)
        change = _relative_change(now, before) if compare else None
        delta = fmt_change(change, ctx.lang) if change is not None else None
    if delta is not None and delta.startswith("±"):
        colour = "off"  # no change, no colour
    return Tile(key, value, delta, colour, isinstance(now, str))


def overview_tiles(ctx: PageContext, now: dict, before: dict) -> list[Tile]:
    return [tile(ctx, key, now[group][name], before[group][name], kind, colour, compare=narrative.comparable(now),
                 exact=(_exact_share(now, group, name), _exact_share(before, group, name)) if kind == "share"
                 else None)
            for key, (group, name), kind, colour in OVERVIEW_TILES]


def metric_delta(delta: str | None, colour: str) -> dict:
    """st.metric's change arguments for a tile's change (the page's and the slide's): Streamlit
    reads the arrow's direction from a leading ASCII minus; "±0,0 %-yks." is no change, drawn
    without an arrow (Streamlit drew one pointing up)."""
    delta = delta.replace("\u2212", "-") if delta else None
    return {"delta": delta, "delta_color": colour,
            "delta_arrow": "off" if delta is not None and delta.startswith("±") else "auto"}


def metric_tile(ctx: PageContext, shown: Tile) -> None:
    st.metric(
        ctx.t(shown.key), shown.value, **metric_delta(shown.delta, shown.colour), border=True,
        help=ctx.t(f"{shown.key}_help", period=ctx.period.label(ctx.lang),
                   previous=ctx.comparison.label(ctx.lang)),
    )


def overview_sentences(ctx: PageContext, now: dict, before: dict) -> str:
    """One to three sentences stating the headline and the change, in the chosen language."""
    lang, period = ctx.lang, narrative.when(ctx)
    total, previous_total = now["activities"]["total"], before["activities"]["total"]
    change = _relative_change(total, previous_total) if narrative.comparable(now) else None
    if narrative.no_activity(now):  # an empty period says so, whatever came before
        first = ctx.t("narrative.no_activity", **period)
    elif change is None:
        first = i18n.t_count(lang, "overview.sentence_total", total, **period, total=fmt_number(total, lang))
    else:
        direction = "more" if change > 0 else ("less" if change < 0 else "same")
        # "active 1 times": a count of one has its own sentence (i18n.t_count)
        first = i18n.t_count(lang, f"overview.sentence_total_{direction}", total, **period,
                             total=fmt_number(total, lang), change=fmt_number(abs(change), lang))
    sentences = [first]
    curious = now["attitudes"]["curious_or_better_share"]
    if isinstance(curious, float):
        sentences.append(ctx.t("overview.sentence_curious", share=fmt_share(curious, lang)))
    unmet = now["demand"]["unmet_share"]
    if isinstance(unmet, float):
        sentences.append(ctx.t("overview.sentence_unmet", share=fmt_share(unmet, lang)))
    note = narrative.comparison_note(lang, now)
    if note and not narrative.no_activity(before):
        sentences.append(note)
    return " ".join(sentences)


def activity_groups_by_month(ctx: PageContext, start: date, end: date) -> pd.DataFrame:
    """Activities per month and group over [start, end], labelled, for the trend chart."""
    from queries.periods import Period

    rows = data.query(ctx, "activities_by_month", period=Period(start, end))
    groups = ["client_work", "development_advocacy", "other"]
    frame = (rows.groupby(["activity_month", "activity_group"], as_index=False)["count_activities"].sum()
             if len(rows) else pd.DataFrame(columns=["activity_month", "activity_group", "count_activities"]))
    from ui.tables import drawable, protect, protected_types

    frame = protect(ctx, frame, ["count_activities"], protected_rows=protected_types(frame, "activity_group"))
    return pd.DataFrame({
        "month": pd.to_datetime(frame["activity_month"]),
        "series": [i18n.label(ctx.lang, "activity_group", g) for g in frame["activity_group"]],
        "series_order": [groups.index(g) if g in groups else 9 for g in frame["activity_group"]],
        "count": frame["count_activities"],
        "value": drawable(frame["count_activities"]),
        # the chosen period, its comparison, and (a year back) the months between them
        "role": ["current" if ctx.period.from_month <= m <= ctx.period.to_month
                 else "comparison" if ctx.comparison.from_month <= m <= ctx.comparison.to_month else "between"
                 for m in pd.to_datetime(frame["activity_month"]).dt.date],
    })


def privacy_legend(ctx: PageContext, hidden: bool) -> None:
    """The one line under a view with protected counts, for a viewer who is not leadership:
    what "<5" means (when something is hidden) and that small counts are perturbed."""
    if ctx.scope.exact:
        return
    threshold = ctx.scope.threshold
    parts = [ctx.t("common.legend_hidden", threshold=threshold, largest=threshold - 1)] if hidden else []
    parts.append(ctx.t("common.legend_perturbed", threshold=threshold))
    # each sentence once per page: under all six charts of the Activity page it read as noise
    # (a member's walk-through); the frame empties what was said at the start of every run
    said = st.session_state.setdefault(LEGEND_SAID, set())
    parts = [part for part in parts if part not in said]
    if parts:
        said.update(parts)
        st.caption(" ".join(parts))


def any_hidden(table: pd.DataFrame) -> bool:
    """Whether some count of `table` is shown as hidden ("<5")."""
    return any(table[column].map(is_hidden).any() for column in table.columns)


def chart_with_data(ctx: PageContext, chart: alt.Chart, table: pd.DataFrame, key: str,
                    empty: bool | None = None, protected: bool = False, files: dict | None = None) -> None:
    """The chart, then a 'show data' table and its xlsx and CSV downloads; a sentence instead
    when there is nothing to draw (`empty`, by default: the table has no rows). A chart of
    `protected` counts carries the privacy legend for a viewer who is not leadership. `files`:
    where the downloads of this very table are kept between runs (a cached view's)."""
    if table.empty if empty is None else empty:
        # charts.themed gives every chart its title: the sentence names the chart it stands for
        st.info(ctx.t("common.chart_no_data", title=chart.title.text), icon=":material/info:")
        return
    st.altair_chart(unchecked(chart), width="stretch")
    if protected:
        privacy_legend(ctx, any_hidden(table))
    shown = table.drop(columns=[c for c in table.columns if c.endswith("_order")])
    with st.expander(ctx.t("common.show_data")):
        _table_and_downloads(ctx, shown, key, chart.title.text, chart, files)


# what a file name may not hold on Windows, macOS or Linux, and spaces (each run one "_")
_NOT_IN_NAMES = re.compile(r'[\\/:*?"<>|\s]+')


def download_stem(ctx: PageContext, title: str) -> str:
    """A downloaded chart's file name, in the page's language and with its period:
    "Toiminta_toimintamuodoittain_kuukausittain_2026-06_2026-11" (it was the chart's key)."""
    name = _NOT_IN_NAMES.sub("_", title).strip("_.")[:80] or "data"
    return f"{name}_{ctx.period.from_month:%Y-%m}_{ctx.period.to_month:%Y-%m}"


# the plot's width in a downloaded picture: a page's charts fill their container, which an
# offline renderer does not have (vl-convert then drew them 300 px wide, title and legend cut)
PNG_PLOT_WIDTH = 800


def _chart_png(chart: alt.Chart) -> bytes:
    from charts.render import vegalite_to_png

    spec = chart.to_dict()
    if spec.get("width") == "container":
        spec["width"] = PNG_PLOT_WIDTH
        spec["autosize"] = {"type": "pad"}
    return vegalite_to_png(spec, scale=2)


def _table_and_downloads(ctx: PageContext, table: pd.DataFrame, key: str, title: str,
                         chart: alt.Chart | None = None, files: dict | None = None) -> None:
    """The table, then its downloads: files named by `title` and the period, the xlsx sheet by
    `title` alone (it was "data" whatever the language)."""
    stem = download_stem(ctx, title)
    st.dataframe(markers_as_text(table, missing=""), hide_index=True, width="stretch")
    if chart is not None:
        # our own image download: Streamlit's chart toolbar is English only (hidden, see
        # ui.context.widget_texts_style); drawn only when asked for
        left, middle, right = st.columns(3)
        middle.download_button(ctx.t("common.download_png"), lambda: _chart_png(chart), f"{stem}.png",
                               mime="image/png", key=f"{key}_png", icon=":material/image:")
    else:
        left, right = st.columns(2)
    # written once per table, not on every rerun (a page has up to six tables); not deferred to
    # the click as the PNG is: a deferred download left its button disabled now and then in the
    # browser tests, which a person would see as a broken button
    xlsx, csv = _files_of(table, ctx.lang, files, title)
    left.download_button(ctx.t("common.download_xlsx"), xlsx, f"{stem}.xlsx",
                         mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                         key=f"{key}_xlsx", icon=":material/download:")
    right.download_button(ctx.t("common.download_csv"), csv, f"{stem}.csv",
                          mime="text/csv", key=f"{key}_csv", icon=":material/download:")


def _files_of(table: pd.DataFrame, lang: str, files: dict | None, sheet: str) -> tuple[bytes, bytes]:
    """The table as xlsx and CSV: kept in `files` (a cached view's, which holds this very table
    in one language) once written; without, from caches keyed by the table's content."""
    if files is None:
        return _xlsx_of(table, sheet), _csv_of(table, lang)
    if lang not in files:
        files[lang] = (to_xlsx_bytes(table, sheet), to_csv_bytes(table, lang))
    return files[lang]


# a table is hashed by its content: the same rows give the same file from the cache
@st.cache_data(ttl=600, max_entries=256, show_spinner=False)
def _xlsx_of(table: pd.DataFrame, sheet: str) -> bytes:
    return to_xlsx_bytes(table, sheet)


@st.cache_data(ttl=600, max_entries=256, show_spinner=False)
def _csv_of(table: pd.DataFrame, lang: str) -> bytes:
    return to_csv_bytes(table, lang)


def reach_tiles(ctx: PageContext, figures: dict) -> None:
    """Experts involved, people reached, hours and feedback, each with the rows that left it blank."""
    activities, lang = figures["activities"], ctx.lang
    blanks = activities.get("blank_rows", {})
    tiles = [
        ("activity.experts", fmt_number(activities.get("experts_involved"), lang), blanks.get("experts_involved")),
        ("activity.people", fmt_number(activities.get("people_reached"), lang), blanks.get("people_reached")),
        ("activity.hours", fmt_number(activities.get("hours"), lang), blanks.get("hours")),
        ("activity.feedback", fmt_number(activities.get("feedback"), lang, 1), None),
    ]
    for column, (key, value, blank) in zip(st.columns(4), tiles):
        with column:
            st.metric(ctx.t(key), value, border=True, help=ctx.t(f"{key}_help"))
            if blank:
                st.caption(i18n.t_count(lang, "activity.blank_rows", blank, count=fmt_number(blank, lang)))
    privacy_legend(ctx, any(isinstance(activities.get(name), str) for name in ("people_reached",)))


GROUP_COLUMNS = {"client_work": "count_client_work", "development_advocacy": "count_development_advocacy",
                 "other": "count_other"}


def groups_long(ctx: PageContext, rows: pd.DataFrame, category: str) -> pd.DataFrame:
    """Per-category counts split by activity group, suppressed for the viewer, in long form:
    category (label), group_label, group_order, count (as shown), value (drawable)."""
    from ui.tables import drawable, protect, without_zero_counts

    # organisational work is not protected; client work, other and a total holding them are
    rows = protect(ctx, rows, ["count_client_work", "count_other", "count_activities"])
    labels = [_category_label(ctx, category, value) for value in rows[category]]
    parts = []
    for order, (group, column) in enumerate(GROUP_COLUMNS.items()):
        parts.append(pd.DataFrame({
            "category": labels, "group_label": i18n.label(ctx.lang, "activity_group", group),
            "group_order": order, "count": rows[column].tolist(),
        }))
    long = pd.concat(parts, ignore_index=True)
    long["value"] = drawable(long["count"])
    return without_zero_counts(long)


def _category_label(ctx: PageContext, category: str, value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ctx.t("common.not_given")
    if category in ("target_sector", "requesting_sector", "sector"):
        return i18n.label(ctx.lang, "sector", value)
    return str(value)


def show_view(ctx: PageContext, view, empty_key: str | None = None) -> None:
    """A chart of ui.views on a page: its small-sample caution, then the chart and its data; with
    `empty_key`, that sentence instead of the chart's own when there is nothing to draw."""
    from ui.views import SMALL_SAMPLE

    if view.empty:
        # a view with nothing to draw has no respondents to caution about either
        st.info(ctx.t(empty_key) if empty_key else ctx.t("common.chart_no_data", title=view.title),
                icon=None if empty_key else ":material/info:")
        return
    if view.small_sample:
        st.warning(ctx.t("attitudes.small_sample", n=SMALL_SAMPLE), icon=":material/warning:")
    chart_with_data(ctx, view.chart, view.table, key=view.key, empty=False, protected=view.protected,
                    files=view.files)


def table_with_downloads(ctx: PageContext, table: pd.DataFrame, key: str, empty_key: str, title_key: str) -> None:
    """A table that is itself the figure (no chart) under its title, with the same downloads as
    a chart's data, their files named by the title and the period."""
    title = ctx.t(title_key)
    st.subheader(title)
    if table.empty:
        st.caption(ctx.t(empty_key))
        return
    _table_and_downloads(ctx, table, key, title)

"""Every chart of the app as data: built once here, drawn by the pages, the presentation mode
and the board pack (boardpack/), so the screen and the slides always show the same figures.

Each function takes a PageContext and returns a `ChartView`: the Altair chart from charts/,
the readable table under it (the numbers a presenter is asked for), and whether there is
anything to draw. The page's period, scope and suppression are the context's.
"""

import functools
from dataclasses import dataclass, field

import altair as alt
import pandas as pd
import streamlit as st

from charts import description, monthly_trend_chart
from charts.activity import groups_by_category_chart, type_by_month_chart
from charts.attitudes import before_after_chart, stages_by_month_chart
from charts.completeness import reporting_grid_chart
from charts.demand import capacity_chart, count_bars_chart, share_bars_chart, status_by_sector_chart, white_spot_matrix
from queries.periods import add_months
from ui import attitude_tables, completeness_tables, data, demand_tables, tables, widgets
from ui.context import PageContext

SMALL_SAMPLE = 30


@dataclass(frozen=True)
class ChartView:
    key: str                    # names its downloads and its slide
    chart: alt.TopLevelMixin | None  # None only when there is nothing to draw
    table: pd.DataFrame         # the numbers, columns in the viewer's words (`_order` columns left out when shown)
    empty: bool = False
    protected: bool = False     # counts about people: the privacy legend goes under it
    small_sample: bool = False  # shares resting on fewer than SMALL_SAMPLE respondents somewhere
    title: str = ""
    subtitle: str = ""
    # the table's downloads, written at the first run that shows them and kept with the view
    # (reruns then neither write nor hash the table again: ui.widgets._table_and_downloads)
    files: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def summary(self) -> str:
        """The chart's own sentence of what it shows (its text alternative without title and subtitle)."""
        if self.chart is None:
            return ""
        full = getattr(self.chart, "description", "")
        full = full if isinstance(full, str) else ""
        prefix = description(self.title, self.subtitle, "")
        return full[len(prefix):].strip() if full.startswith(prefix) else full

    @property
    def shown_table(self) -> pd.DataFrame:
        return self.table.drop(columns=[c for c in self.table.columns if c.endswith("_order")])


def cached(build):
    """A view built once per what it shows: the data version, language, role, period, comparison
    and scope (all a view reads of its context), shared by reruns and sessions that show the same.
    A rerun then only draws it (a Demand rerun at national scale built its five charts again)."""
    @functools.wraps(build)
    def view(ctx: PageContext, *args) -> "ChartView":
        key = (build.__qualname__, ctx.warehouse.location, ctx.data_version, ctx.lang, ctx.role,
               repr(ctx.period), repr(ctx.comparison), repr(ctx.scope), args)
        return _cached_view(build, ctx, key)
    return view


@st.cache_resource(ttl=600, max_entries=256, show_spinner=False)
def _cached_view(_build, _ctx: PageContext, key: tuple) -> "ChartView":
    return _build(_ctx, *key[-1])


def clear_caches() -> None:
    """Empty every cache of the data: the queries, figures and other data (st.cache_data) and the
    views built from them — a page's next run is then as cold as a fresh server's."""
    st.cache_data.clear()
    _cached_view.clear()


def subtitle(ctx: PageContext) -> str:
    return f"{ctx.period.label(ctx.lang)} · {widgets.scope_label(ctx)}"


def _view(key: str, chart, table: pd.DataFrame, title: str, sub: str, **flags) -> ChartView:
    empty = flags.pop("empty", None)
    return ChartView(key=key, chart=chart, table=table, empty=table.empty if empty is None else empty,
                     title=title, subtitle=sub, **flags)


def _small_sample(respondents: pd.Series) -> bool:
    counts = [v for v in respondents if isinstance(v, (int, float)) and not pd.isna(v)]
    hidden = any(isinstance(v, str) for v in respondents)
    return hidden or bool(counts and min(counts) < SMALL_SAMPLE)


# ---- Overview ---------------------------------------------------------------------------------

@cached
def overview_trend(ctx: PageContext) -> ChartView:
    period, previous = ctx.period, ctx.comparison
    trend = widgets.activity_groups_by_month(ctx, previous.from_month, period.to_month)
    title = ctx.t("overview.trend_title")
    sub = f"{widgets.span_label(ctx, previous.from_month, period.to_month)} · {widgets.scope_label(ctx)}"
    chart = monthly_trend_chart(
        trend, ctx.lang, title=title, subtitle=sub,
        month_title=ctx.t("common.month"), value_title=ctx.t("common.activities"),
        series_title=ctx.t("common.activity_group"),
        comparison_end=add_months(previous.to_month, 1), comparison_end_title=ctx.t("overview.comparison_ends"),
    )
    table = tables.readable(trend, ctx.lang, {
        "month": "common.month", "series": "common.activity_group", "count": "common.activities"})
    return _view("overview_trend", chart, table, title, sub, protected=True)


# ---- Activity volume --------------------------------------------------------------------------

@cached
def activity_by_type(ctx: PageContext) -> ChartView:
    by_month = tables.with_labels(data.query(ctx, "activities_by_month"), ctx.lang, {"activity_type": "activity_type"})
    by_month = tables.protect(ctx, by_month, ["count_activities"], protected_rows=tables.protected_types(by_month))
    by_month["month"], by_month["value"] = by_month["activity_month"], tables.drawable(by_month["count_activities"])
    title, sub = ctx.t("activity.by_type_title"), subtitle(ctx)
    chart = type_by_month_chart(
        by_month.rename(columns={"activity_type_label": "type_label", "activity_type_order": "type_order"}),
        ctx.lang, title=title, subtitle=sub, month_title=ctx.t("common.month"),
        value_title=ctx.t("common.activities"), type_title=ctx.t("common.activity_type"))
    table = tables.readable(by_month, ctx.lang, {
        "activity_month": "common.month", "activity_type_label": "common.activity_type",
        "count_activities": "common.activities"})
    return _view("activity_by_type", chart, table, title, sub, protected=True)


ACTIVITY_CATEGORIES = {
    "org_name": ("activities_by_organisation", "activity.by_org_title", "common.organisation"),
    "target_sector": ("activities_by_sector", "activity.by_sector_title", "common.sector"),
    "municipality": ("activities_by_municipality", "activity.by_municipality_title", "common.municipality"),
}


@cached
def activity_by(ctx: PageContext, category: str) -> ChartView:
    """Activities by organisation (`org_name`), sector (`target_sector`) or `municipality`."""
    name, title_key, category_key = ACTIVITY_CATEGORIES[category]
    rows = widgets.groups_long(ctx, data.query(ctx, name), category)
    title, sub = ctx.t(title_key), subtitle(ctx)
    chart = groups_by_category_chart(
        rows, ctx.lang, title=title, subtitle=sub, category_title=ctx.t(category_key),
        value_title=ctx.t("common.activities"), group_title=ctx.t("common.activity_group"))
    table = tables.readable(rows, ctx.lang, {
        "category": category_key, "group_label": "common.activity_group", "count": "common.activities"})
    return _view(f"activity_{category}", chart, table, title, sub, protected=True)


# ---- Attitude change --------------------------------------------------------------------------

@cached
def attitudes_by_month(ctx: PageContext) -> ChartView:
    stages = attitude_tables.stages_by_month(ctx, data.query(ctx, "attitudes_by_month"))
    title, sub = ctx.t("attitudes.by_month_title"), subtitle(ctx)
    chart = stages_by_month_chart(
        stages, ctx.lang, title=title, subtitle=sub,
        month_title=ctx.t("common.month"), share_title=ctx.t("attitudes.share"),
        stage_title=ctx.t("attitudes.stage"), respondents_title=ctx.t("attitudes.respondents"))
    table = tables.readable(stages, ctx.lang, {
        "month": "common.month", "stage_label": "attitudes.stage", "count": "attitudes.respondents",
        "respondents_share": "attitudes.share_of_month"})
    return _view("attitudes_by_month", chart, table, title, sub, protected=True,
                 small_sample=_small_sample(stages.groupby("month")["month_respondents"].first()))


@cached
def attitudes_shift(ctx: PageContext) -> ChartView:
    shift = attitude_tables.before_after(ctx, data.query(ctx, "attitude_shift_by_group"))
    title, sub = ctx.t("attitudes.shift_title"), subtitle(ctx)
    chart = None if shift.empty else before_after_chart(
        shift, ctx.lang, title=title, subtitle=sub,
        group_title=ctx.t("attitudes.group"), share_title=ctx.t("attitudes.curious_share"),
        point_title=ctx.t("attitudes.point"))
    table = tables.readable(shift, ctx.lang, {
        "group_label": "attitudes.group", "point_label": "attitudes.point", "count": "attitudes.respondents",
        "share": "attitudes.curious_share", "shift_points": "attitudes.shift_points"})
    return _view("attitudes_shift", chart, table, title, sub, protected=True,
                 small_sample=not shift.empty and _small_sample(shift["respondents"]))


# ---- Public-sector demand ---------------------------------------------------------------------

@cached
def demand_status(ctx: PageContext) -> ChartView:
    by_sector = demand_tables.status_by_sector(ctx, data.query(ctx, "demand_by_sector"))
    title, sub = ctx.t("demand.status_title"), subtitle(ctx)
    chart = status_by_sector_chart(by_sector, ctx.lang, title=title, subtitle=sub,
                                   sector_title=ctx.t("common.sector"), value_title=ctx.t("demand.sessions"),
                                   status_title=ctx.t("demand.status"))
    table = tables.readable(by_sector, ctx.lang, {
        "sector_label": "common.sector", "status_label": "demand.status", "count": "demand.sessions"})
    return _view("demand_status", chart, table, title, sub)


@cached
def demand_unmet(ctx: PageContext) -> ChartView:
    unmet = demand_tables.unmet_by_sector(ctx, data.query(ctx, "demand_by_sector"))
    title, sub = ctx.t("demand.unmet_title"), subtitle(ctx)
    chart = share_bars_chart(unmet, ctx.lang, title=title, subtitle=sub,
                             category_title=ctx.t("common.sector"), share_title=ctx.t("demand.unmet_share"))
    table = tables.readable(unmet, ctx.lang, {
        "category": "common.sector", "count_unmet": "demand.unmet", "count_decided": "demand.decided",
        "share": "demand.unmet_share"})
    return _view("demand_unmet", chart, table, title, sub)


@cached
def demand_reasons(ctx: PageContext) -> ChartView:
    reasons = demand_tables.reasons(ctx, data.query(ctx, "demand_by_reason"))
    title, sub = ctx.t("demand.reasons_title"), subtitle(ctx)
    chart = count_bars_chart(reasons, ctx.lang, title=title, subtitle=sub,
                             category_title=ctx.t("demand.reason"), value_title=ctx.t("demand.sessions"))
    table = tables.readable(reasons, ctx.lang, {"category": "demand.reason", "count": "demand.sessions"})
    return _view("demand_reasons", chart, table, title, sub)


@cached
def demand_capacity(ctx: PageContext) -> ChartView:
    capacity = demand_tables.capacity(ctx, data.query(ctx, "capacity_by_month"))
    title, sub = ctx.t("demand.capacity_title"), subtitle(ctx)
    chart = capacity_chart(capacity, ctx.lang, title=title, subtitle=sub,
                           month_title=ctx.t("common.month"), value_title=ctx.t("demand.capacity_value"),
                           series_title=ctx.t("demand.series"))
    table = tables.readable(capacity, ctx.lang, {
        "month": "common.month", "series": "demand.series", "count": "demand.capacity_value"})
    # every month of the period has a row: nothing to draw when not one of them has a count
    return _view("demand_capacity", chart, table, title, sub, empty=tables.without_zero_counts(capacity).empty)


@cached
def demand_white_spots(ctx: PageContext) -> ChartView:
    spots = demand_tables.white_spots(ctx, data.query(ctx, "white_spots_by_sector_municipality"),
                                      data.query(ctx, "activities_by_municipality"),
                                      data.query(ctx, "demand_by_municipality"))
    title = ctx.t("demand.white_spots_title")
    sub = (f"{ctx.t('demand.last_12_months', month=ctx.period.to_month.strftime('%m/%Y'))}"
           f" · {widgets.scope_label(ctx)}")
    chart = white_spot_matrix(spots, ctx.lang, title=title, subtitle=sub,
                              sector_title=ctx.t("common.sector"), municipality_title=ctx.t("common.municipality"),
                              state_title=ctx.t("demand.white_spot_state"))
    table = tables.readable(spots[spots["is_white"]], ctx.lang, {
        "sector_label": "common.sector", "municipality": "common.municipality"})
    return _view("demand_white_spots", chart, table, title, sub, empty=spots.empty)


# ---- Reporting completeness -------------------------------------------------------------------

@cached
def completeness_grid(ctx: PageContext) -> ChartView:
    grid = completeness_tables.reporting_grid(ctx, data.query(ctx, "reporting_by_organisation_month"))
    title, sub = ctx.t("completeness.grid_title"), subtitle(ctx)
    chart = reporting_grid_chart(grid, ctx.lang, title=title, subtitle=sub,
                                 org_title=ctx.t("common.organisation"), month_title=ctx.t("common.month"),
                                 state_title=ctx.t("completeness.state"))
    table = tables.readable(grid, ctx.lang, {
        "org_name": "common.organisation", "month": "common.month", "state_label": "completeness.state"})
    return _view("completeness_grid", chart, table, title, sub)


# every chart of the three questions and of completeness, page by page, in the pages' order
SECTIONS: tuple[tuple[str, tuple], ...] = (
    ("activity", (activity_by_type, lambda ctx: activity_by(ctx, "org_name"),
                  lambda ctx: activity_by(ctx, "target_sector"), lambda ctx: activity_by(ctx, "municipality"))),
    ("attitudes", (attitudes_by_month, attitudes_shift)),
    ("demand", (demand_status, demand_unmet, demand_reasons, demand_capacity, demand_white_spots)),
    ("completeness", (completeness_grid,)),
)

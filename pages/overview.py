"""Overview: the headline tiles for the chosen period against the one before, and the monthly trend."""

import streamlit as st

from ui import data, views, widgets
from ui.context import ALL_ROLES, page_context, require_role
from ui.safe_text import escape_markdown

ctx = page_context()
require_role(ctx, ALL_ROLES)
period, previous = ctx.period, ctx.comparison
now, before = data.figures(ctx, period), data.figures(ctx, previous)

st.markdown(widgets.overview_sentences(ctx, now, before))
st.caption(ctx.t("overview.compared", period=period.label(ctx.lang), previous=previous.label(ctx.lang),
                 scope=escape_markdown(widgets.scope_label(ctx))))

tiles = widgets.overview_tiles(ctx, now, before)
for row in (tiles[:3], tiles[3:]):
    for column, tile in zip(st.columns(3), row):
        with column:
            widgets.metric_tile(ctx, tile)
trend = views.overview_trend(ctx)
# one legend, under the tiles, for them and the chart of the same counts (the chart's own
# sentences are then said already: widgets.privacy_legend says each once per page)
widgets.privacy_legend(ctx, any(tile.hidden for tile in tiles) or widgets.any_hidden(trend.table))
widgets.show_view(ctx, trend)

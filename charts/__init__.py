"""Pure Altair builders sharing one theme: (DataFrame of aggregated rows, labels) -> alt.Chart.

Charts never query and never see a row below the aggregate; titles name period and scope.
"""

import altair as alt
import pandas as pd

from i18n.formats import vega_locale

# Okabe–Ito: distinguishable with the common colour-vision deficiencies
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
           "#000000", "#999999", "#7F3C8D"]
# the five attitude stages, sceptical (warm) to trusting (blue), colour-blind safe
STAGE_COLOURS = ["#D55E00", "#E69F00", "#F0E442", "#56B4E9", "#0072B2"]
FONT = "Source Sans Pro, Arial, sans-serif"


def themed(chart: alt.Chart, lang: str, title: str, subtitle: str | None = None) -> alt.Chart:
    """The one theme: title with its period and scope, locale-aware axes, quiet grid."""
    title_params = alt.TitleParams(text=title, subtitle=subtitle or "", anchor="start",
                                   fontSize=16, subtitleFontSize=12, subtitleColor="#555")
    return (
        # fit the page's width, but let title, axes and legend add to the height
        chart.properties(title=title_params, width="container",
                         autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))
        .configure(font=FONT, locale=vega_locale(lang))
        .configure_range(category=PALETTE)
        .configure_axis(labelFontSize=12, titleFontSize=12, gridColor="#e6e6e6")
        .configure_legend(labelFontSize=12, titleFontSize=12, orient="bottom", columns=3,
                          labelLimit=320)
        .configure_view(stroke=None)
    )


def monthly_trend_chart(frame: pd.DataFrame, lang: str, *, title: str, subtitle: str,
                        month_title: str, value_title: str, series_title: str) -> alt.Chart:
    """Stacked monthly bars. frame: month (datetime), series (label), value (number)."""
    chart = alt.Chart(frame).mark_bar().encode(
        x=alt.X("yearmonth(month):O", title=month_title, axis=alt.Axis(format="%b %Y", labelAngle=-40)),
        y=alt.Y("sum(value):Q", title=value_title, axis=alt.Axis(format=",d", tickMinStep=1)),
        color=alt.Color("series:N", title=series_title, sort=None),
        order=alt.Order("series_order:Q") if "series_order" in frame else alt.Undefined,
        tooltip=[alt.Tooltip("yearmonth(month):T", title=month_title, format="%B %Y"),
                 alt.Tooltip("series:N", title=series_title),
                 alt.Tooltip("sum(value):Q", title=value_title, format=",d")],
    ).properties(height=320)
    return themed(chart, lang, title, subtitle)

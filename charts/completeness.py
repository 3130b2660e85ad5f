"""Reporting completeness: organisation × month grid."""

import altair as alt
import pandas as pd

import i18n
from charts import BACKGROUND, themed
from i18n.formats import fmt_number

# white symbols on reported, missing and locked cells read at 4.5:1; a month not expected of an
# organisation (before it joined) is a quiet grey with no symbol: nothing is there to read
STATE_COLOURS = {"reported": "#00805E", "missing": "#B84A00", "locked": "#6A6A6A", "not_expected": "#DDDDDD"}
SYMBOL_COLOUR = "#FFFFFF"
STATE_MARKS = {"reported": "✓", "missing": "✗", "locked": "–", "not_expected": ""}


def reporting_grid_chart(frame: pd.DataFrame, lang: str, *, title: str, subtitle: str,
                         org_title: str, month_title: str, state_title: str) -> alt.Chart:
    """frame: org_name, month, state, state_label (a symbol is drawn too, so colour is not needed)."""
    present = [s for s in STATE_COLOURS if s in set(frame["state"])]
    labels = [frame.loc[frame["state"] == s, "state_label"].iloc[0] for s in present]
    data = frame.assign(mark=frame["state"].map(STATE_MARKS))
    base = alt.Chart(data).encode(
        x=alt.X("yearmonth(month):O", title=month_title, axis=alt.Axis(format="%b %Y", labelAngle=-40)),
        y=alt.Y("org_name:N", title=None, axis=alt.Axis(labelLimit=320)),
    )
    cells = base.mark_rect(stroke=BACKGROUND, strokeWidth=2).encode(
        color=alt.Color("state_label:N", title=state_title, sort=labels,
                        scale=alt.Scale(domain=labels, range=[STATE_COLOURS[s] for s in present])),
        tooltip=[alt.Tooltip("org_name:N", title=org_title),
                 alt.Tooltip("yearmonth(month):T", title=month_title, format="%B %Y"),
                 alt.Tooltip("state_label:N", title=state_title)],
    )
    marks = base.mark_text(fontSize=12, color=SYMBOL_COLOUR).encode(text="mark:N")
    height = max(160, 30 * frame["org_name"].nunique())
    counts = frame["state"].value_counts()
    summary = i18n.t(lang, "chart_summary.states", items=", ".join(
        f"{label} {fmt_number(counts[state], lang)}" for state, label in zip(present, labels))) if present else ""
    return themed((cells + marks).properties(height=height), lang, title, subtitle, summary)

"""The Altair builders: read back what each chart would draw from its Vega-Lite spec."""

import inspect

import pandas as pd
import pytest

from charts import STAGE_COLOURS, monthly_trend_chart
from charts.activity import groups_by_category_chart, type_by_month_chart
from charts.attitudes import before_after_chart, stages_by_month_chart
from charts.completeness import STATE_COLOURS, reporting_grid_chart
from charts.demand import (
    REACHED,
    WHITE_SPOT,
    capacity_chart,
    count_bars_chart,
    share_bars_chart,
    status_by_sector_chart,
    white_spot_matrix,
)

JAN, FEB = pd.Timestamp("2025-01-01"), pd.Timestamp("2025-02-01")


def spec(chart) -> dict:
    return chart.to_dict()


def drawn(spec_: dict) -> list[dict]:
    """The rows the chart draws (its one inline dataset)."""
    return spec_["datasets"][spec_["data"]["name"]]


def colour_of(spec_: dict) -> dict:
    """{legend label: colour} of the colour scale (of the first layer for layered charts)."""
    encoding = (spec_["layer"][0] if "layer" in spec_ else spec_)["encoding"]
    scale = encoding["color"]["scale"]
    return dict(zip(scale["domain"], scale["range"]))


# --- one tiny frame per builder (as the ui/*_tables.py functions hand them over) ----------------

TREND = pd.DataFrame({"month": [JAN, FEB], "series": ["Asiakastyö", "Asiakastyö"], "value": [3, 4]})
TYPES = pd.DataFrame({"month": [JAN, JAN], "type_label": ["Koulutus", "Media"], "type_order": [3, 8],
                      "value": [2, 5]})
GROUPS = pd.DataFrame({"category": ["Turku", "Espoo", "Oulu"], "group_label": ["Asiakastyö"] * 3,
                       "group_order": [0, 0, 0], "value": [12, None, 7]})
STAGES = pd.DataFrame({"month": [JAN] * 5, "stage": [4, 2, 5, 1, 3],
                       "stage_label": ["4 – Myönteinen", "2 – Varauksellinen", "5 – Luottava",
                                       "1 – Epäilevä", "3 – Kysyvä"],
                       "respondents": [8, 6, 5, 7, 9], "month_respondents": [35] * 5})
BEFORE_AFTER = pd.DataFrame({"group_label": ["Vanhempi", "Vanhempi"], "point_label": ["Ennen", "Jälkeen"],
                             "point_order": [0, 1], "share": [0.4, 0.7], "respondents": [10, 10],
                             "label": ["40 % (n = 10)", "70 % (n = 10)"]})
STATUS = pd.DataFrame({"sector_label": ["Neuvola", "Neuvola", "Koulu"],
                       "status_label": ["Toteutunut", "Toteutumatta", "Toteutunut"],
                       "status_order": [0, 2, 0], "value": [9, None, 6]})
SHARES = pd.DataFrame({"category": ["Neuvola", "Koulu"], "share": [0.25, None], "label": ["3/12", "<5/8"]})
COUNTS = pd.DataFrame({"category": ["Ei rahoitusta", "Aikataulu"], "value": [None, 11]})
CAPACITY = pd.DataFrame({"month": [JAN, FEB, JAN, FEB],
                         "series": ["Aktiiviset", "Aktiiviset", "Pyydetyt", "Pyydetyt"],
                         "value": [6, None, 14, 9]})
SPOTS = pd.DataFrame({"sector_label": ["Neuvola", "Neuvola", "Koulu", "Koulu"],
                      "municipality": ["Espoo", "Turku", "Espoo", "Turku"],
                      "is_white": [True, False, False, False],
                      "state_label": ["Valkoinen alue", "Toimintaa tai pyyntöjä",
                                      "Toimintaa tai pyyntöjä", "Toimintaa tai pyyntöjä"],
                      "mark": ["○", "●", "●", "●"]})
GRID = pd.DataFrame({"org_name": ["A ry", "A ry", "B ry", "B ry"], "month": [JAN, FEB, JAN, FEB],
                     "state": ["reported", "missing", "not_expected", "locked"],
                     "state_label": ["Raportoitu", "Puuttuu", "Ei vielä jäsen", "Lukittu"]})

BUILDERS = {
    "monthly_trend": lambda lang, frame=TREND, **t: monthly_trend_chart(
        frame, lang, month_title="Kk", value_title="N", series_title="Ryhmä", **t),
    "type_by_month": lambda lang, frame=TYPES, **t: type_by_month_chart(
        frame, lang, month_title="Kk", value_title="N", type_title="Muoto", **t),
    "groups_by_category": lambda lang, frame=GROUPS, **t: groups_by_category_chart(
        frame, lang, category_title="Kunta", value_title="N", group_title="Ryhmä", **t),
    "stages_by_month": lambda lang, frame=STAGES, **t: stages_by_month_chart(
        frame, lang, month_title="Kk", share_title="Osuus", stage_title="Porras", respondents_title="Vastaajat", **t),
    "before_after": lambda lang, frame=BEFORE_AFTER, **t: before_after_chart(
        frame, lang, group_title="Ryhmä", share_title="Osuus", point_title="Mittaus", **t),
    "status_by_sector": lambda lang, frame=STATUS, **t: status_by_sector_chart(
        frame, lang, sector_title="Sektori", value_title="Kerrat", status_title="Tila", **t),
    "share_bars": lambda lang, frame=SHARES, **t: share_bars_chart(
        frame, lang, category_title="Sektori", share_title="Osuus", **t),
    "count_bars": lambda lang, frame=COUNTS, **t: count_bars_chart(
        frame, lang, category_title="Syy", value_title="Kerrat", **t),
    "capacity": lambda lang, frame=CAPACITY, **t: capacity_chart(
        frame, lang, month_title="Kk", value_title="N", series_title="Sarja", **t),
    "white_spot_matrix": lambda lang, frame=SPOTS, **t: white_spot_matrix(
        frame, lang, sector_title="Sektori", municipality_title="Kunta", state_title="Tilanne", **t),
    "reporting_grid": lambda lang, frame=GRID, **t: reporting_grid_chart(
        frame, lang, org_title="Järjestö", month_title="Kk", state_title="Tila", **t),
}


@pytest.mark.parametrize("name", BUILDERS)
def test_title_and_subtitle_are_the_ones_passed_in(name):
    chart = BUILDERS[name]("fi", title="Toiminta kunnittain", subtitle="tammi–kesäkuu 2025 · koko verkosto")
    title = spec(chart)["title"]
    assert (title["text"], title["subtitle"]) == ("Toiminta kunnittain", "tammi–kesäkuu 2025 · koko verkosto")
    assert chart.title.text == "Toiminta kunnittain"  # what a page says instead of an empty chart


@pytest.mark.parametrize("name", BUILDERS)
def test_a_frame_without_rows_gives_a_chart_that_draws_nothing(name):
    # an empty scope: the ui tables hand over their columns and no row
    frame = inspect.signature(BUILDERS[name]).parameters["frame"].default
    chart = BUILDERS[name]("fi", frame=frame.iloc[:0], title="T", subtitle="S")
    assert drawn(spec(chart)) == []


@pytest.mark.parametrize("lang, decimal, thousands, first_month", [
    ("fi", ",", "\u00a0", "tammikuu"),
    ("sv", ",", "\u00a0", "januari"),
    ("en", ".", ",", "January"),
])
@pytest.mark.parametrize("name", BUILDERS)
def test_locale_writes_numbers_and_months_in_the_language(name, lang, decimal, thousands, first_month):
    locale = spec(BUILDERS[name](lang, title="T", subtitle="S"))["config"]["locale"]
    assert (locale["number"]["decimal"], locale["number"]["thousands"], locale["time"]["months"][0]) == (
        decimal, thousands, first_month)


# --- attitude stages ---------------------------------------------------------------------------

def test_stage_bars_stack_to_one_hundred_percent_in_stage_order():
    encoding = spec(BUILDERS["stages_by_month"]("fi", title="T", subtitle="S"))["encoding"]
    assert encoding["y"]["stack"] == "normalize"
    assert encoding["y"]["axis"]["format"] == "%"
    assert encoding["order"] == {"field": "stage", "type": "quantitative"}
    assert encoding["color"]["sort"] == ["1 – Epäilevä", "2 – Varauksellinen", "3 – Kysyvä",
                                         "4 – Myönteinen", "5 – Luottava"]


def test_stage_colours_run_sceptical_to_trusting():
    chart = spec(BUILDERS["stages_by_month"]("fi", title="T", subtitle="S"))
    assert colour_of(chart) == {
        "1 – Epäilevä": STAGE_COLOURS[0], "2 – Varauksellinen": STAGE_COLOURS[1], "3 – Kysyvä": STAGE_COLOURS[2],
        "4 – Myönteinen": STAGE_COLOURS[3], "5 – Luottava": STAGE_COLOURS[4],
    }


# --- white spots ------------------------------------------------------------------------------

@pytest.mark.parametrize("order", [[0, 1, 2, 3], [1, 2, 3, 0], [3, 0, 2, 1]])
def test_white_spots_are_orange_and_reached_cells_pale_blue_in_any_row_order(order):
    frame = SPOTS.iloc[order].reset_index(drop=True)
    chart = spec(white_spot_matrix(frame, "fi", title="T", subtitle="S", sector_title="Sektori",
                                   municipality_title="Kunta", state_title="Tilanne"))
    assert colour_of(chart) == {"Valkoinen alue": WHITE_SPOT, "Toimintaa tai pyyntöjä": REACHED}


def test_white_spot_matrix_writes_its_symbol_in_each_cell():
    chart = spec(BUILDERS["white_spot_matrix"]("fi", title="T", subtitle="S"))
    assert chart["layer"][1]["mark"]["type"] == "text"
    assert chart["layer"][1]["encoding"]["text"]["field"] == "mark"
    assert [(r["sector_label"], r["municipality"], r["mark"]) for r in drawn(chart)] == [
        ("Neuvola", "Espoo", "○"), ("Neuvola", "Turku", "●"), ("Koulu", "Espoo", "●"), ("Koulu", "Turku", "●")]


# --- suppressed values are not drawn ----------------------------------------------------------

@pytest.mark.parametrize("name, key, expected", [
    ("groups_by_category", lambda r: (r["category"], r["value"]), [("Turku", 12), ("Oulu", 7)]),
    ("status_by_sector", lambda r: (r["sector_label"], r["status_label"], r["value"]),
     [("Neuvola", "Toteutunut", 9), ("Koulu", "Toteutunut", 6)]),
    ("share_bars", lambda r: (r["category"], r["share"]), [("Neuvola", 0.25)]),
    ("count_bars", lambda r: (r["category"], r["value"]), [("Aikataulu", 11)]),
    ("capacity", lambda r: (r["month"][:7], r["series"], r["value"]),
     [("2025-01", "Aktiiviset", 6), ("2025-01", "Pyydetyt", 14), ("2025-02", "Pyydetyt", 9)]),
])
def test_suppressed_values_are_left_out_of_the_drawn_data(name, key, expected):
    assert [key(row) for row in drawn(spec(BUILDERS[name]("fi", title="T", subtitle="S")))] == expected


def test_share_bars_write_their_basis_beside_each_bar():
    chart = spec(BUILDERS["share_bars"]("en", title="T", subtitle="S"))
    assert chart["layer"][1]["mark"]["type"] == "text"
    assert chart["layer"][1]["encoding"]["text"]["field"] == "label"
    assert [row["label"] for row in drawn(chart)] == ["3/12"]


# --- reporting completeness -------------------------------------------------------------------

def test_reporting_grid_writes_a_symbol_for_each_state():
    chart = spec(BUILDERS["reporting_grid"]("fi", title="T", subtitle="S"))
    text_layer = chart["layer"][1]
    assert text_layer["mark"]["type"] == "text"
    assert text_layer["encoding"]["text"]["field"] == "mark"
    assert [(r["org_name"], r["month"][:7], r["state"], r["mark"]) for r in drawn(chart)] == [
        ("A ry", "2025-01", "reported", "✓"),
        ("A ry", "2025-02", "missing", "✗"),
        ("B ry", "2025-01", "not_expected", ""),
        ("B ry", "2025-02", "locked", "–"),
    ]


def test_reporting_grid_colours_each_state_and_orders_the_legend():
    chart = spec(BUILDERS["reporting_grid"]("fi", title="T", subtitle="S"))
    assert chart["layer"][0]["encoding"]["color"]["sort"] == ["Raportoitu", "Puuttuu", "Lukittu", "Ei vielä jäsen"]
    assert colour_of(chart) == {"Raportoitu": STATE_COLOURS["reported"], "Puuttuu": STATE_COLOURS["missing"],
                                "Lukittu": STATE_COLOURS["locked"], "Ei vielä jäsen": STATE_COLOURS["not_expected"]}

# --- colours follow the code, not the position among the codes present -----------------------

def test_a_stage_keeps_its_colour_when_lower_stages_have_no_respondents():
    frame = STAGES[STAGES["stage"] >= 3].reset_index(drop=True)
    chart = spec(stages_by_month_chart(frame, "fi", title="T", subtitle="S", month_title="Kk",
                                       share_title="Osuus", stage_title="Porras", respondents_title="Vastaajat"))
    assert colour_of(chart) == {"3 – Kysyvä": STAGE_COLOURS[2], "4 – Myönteinen": STAGE_COLOURS[3],
                                "5 – Luottava": STAGE_COLOURS[4]}


def test_a_status_keeps_its_colour_when_no_request_was_fulfilled():
    from charts.demand import STATUS_COLOURS

    frame = pd.DataFrame({"sector_label": ["Neuvola", "Neuvola"], "status_label": ["Toteutumatta", "Avoin"],
                          "status_order": [2, 3], "value": [6, 8]})
    chart = spec(status_by_sector_chart(frame, "fi", title="T", subtitle="S", sector_title="Sektori",
                                        value_title="Kerrat", status_title="Tila"))
    assert colour_of(chart) == {"Toteutumatta": STATUS_COLOURS[2], "Avoin": STATUS_COLOURS[3]}


def test_the_monthly_trend_marks_where_the_comparison_period_ends():
    from datetime import date

    import pandas as pd

    from charts import monthly_trend_chart

    months = pd.date_range("2025-12-01", periods=12, freq="MS")
    frame = pd.DataFrame({"month": months, "series": "Asiakastyö", "series_order": 0, "count": 10, "value": 10.0,
                          "role": ["comparison"] * 6 + ["current"] * 6})
    spec = monthly_trend_chart(frame, "fi", title="t", subtitle="s", month_title="m", value_title="v",
                               series_title="g", comparison_end=date(2026, 6, 1),
                               comparison_end_title="vertailujakso päättyy").to_dict()
    marks = [layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"] for layer in spec["layer"]]
    assert marks == ["bar", "rule", "text"]
    rule = spec["layer"][1]
    assert rule["encoding"]["x"]["bandPosition"] == 0
    assert spec["datasets"][rule["data"]["name"]][0]["month"].startswith("2026-06-01")
    # the comparison's bars are paler than the chosen period's, outlined in their own colour
    # (so they keep 3:1 against the page); the chosen period's parts are parted by white
    encoding = spec["layer"][0]["encoding"]
    assert encoding["fillOpacity"]["scale"] == {"domain": ["current", "comparison", "between"],
                                                "range": [1.0, 0.45, 0.2]}
    assert encoding["stroke"]["field"] == encoding["color"]["field"] == "series"
    assert encoding["stroke"]["condition"] == {"test": "datum.role == 'current'", "value": "#FFFFFF"}


# --- text alternatives: title, subtitle and what the chart shows, for a screen reader ---------

@pytest.mark.parametrize("name", BUILDERS)
def test_every_chart_describes_itself_after_its_title_and_subtitle(name):
    chart = spec(BUILDERS[name]("fi", title="Otsikko", subtitle="tammi–kesäkuu 2025 · koko verkosto"))
    description = chart["description"]
    assert description.startswith("Otsikko. tammi–kesäkuu 2025 · koko verkosto. ")
    summary = description.removeprefix("Otsikko. tammi–kesäkuu 2025 · koko verkosto. ")
    assert summary.endswith(".") and len(summary) > 5 and ".." not in summary
    # the marks stay out of the accessibility tree: a reader hears the sentence, not the ticks
    assert chart["config"]["aria"] is False and chart["config"]["mark"]["aria"] is False


@pytest.mark.parametrize("name", BUILDERS)
def test_a_chart_without_rows_describes_itself_by_its_title_alone(name):
    frame = inspect.signature(BUILDERS[name]).parameters["frame"].default
    chart = spec(BUILDERS[name]("fi", frame=frame.iloc[:0], title="Otsikko", subtitle="S"))
    assert chart["description"] in ("Otsikko. S.", "Otsikko. S. Ei valkoisia alueita.")


@pytest.mark.parametrize("name, lang, summary", [
    # largest first, by what is drawn: Espoo's hidden part adds nothing
    ("groups_by_category", "fi", "Suurimmat: Turku 12 ja Oulu 7."),
    ("groups_by_category", "en", "Largest: Turku 12 and Oulu 7."),
    ("count_bars", "sv", "Störst: Aikataulu 11."),
    ("status_by_sector", "fi", "Suurimmat: Neuvola 9 ja Koulu 6."),
    ("share_bars", "en", "Highest shares: Neuvola 25% (3/12)."),
    ("share_bars", "fi", "Suurimmat osuudet: Neuvola 25\u00a0% (3/12)."),
    ("monthly_trend", "fi", "Eniten helmikuu 2025 (4), vähiten tammikuu 2025 (3). Suurimmat: Asiakastyö 7."),
    ("monthly_trend", "sv", "Flest i februari 2025 (4), minst i januari 2025 (3). Störst: Asiakastyö 7."),
    ("type_by_month", "en", "Most in January 2025 (7), fewest in January 2025 (7). Largest: Media 5 and Koulutus 2."),
    ("capacity", "fi", "Viimeisin kuukausi helmikuu 2025: Pyydetyt 9."),
    ("stages_by_month", "en", "Latest month, January 2025: 4 – Myönteinen 23%, 2 – Varauksellinen 17%, "
                              "5 – Luottava 14%, 1 – Epäilevä 20% and 3 – Kysyvä 26%."),
    ("before_after", "fi", "Vanhempi: Ennen 40\u00a0%, Jälkeen 70\u00a0%."),
    ("white_spot_matrix", "sv", "Vita fläckar: 1 (Neuvola – Espoo)."),
    ("reporting_grid", "fi", "Raportoitu 1, Puuttuu 1, Lukittu 1, Ei vielä jäsen 1."),
])
def test_the_summary_states_what_the_chart_shows(name, lang, summary):
    description = spec(BUILDERS[name](lang, title="T", subtitle="S"))["description"]
    assert description == f"T. S. {summary}"


def test_many_white_spots_are_summed_up_after_five():
    towns = ["Espoo", "Turku", "Salo", "Oulu", "Pori", "Vaasa", "Kemi"]
    frame = pd.DataFrame({"sector_label": ["Neuvola"] * 7, "municipality": towns, "is_white": [True] * 7,
                          "state_label": ["Valkoinen alue"] * 7, "mark": ["○"] * 7})
    description = spec(BUILDERS["white_spot_matrix"]("en", frame=frame, title="T", subtitle="S"))["description"]
    assert description == ("T. S. White spots: 7 (Neuvola – Espoo, Neuvola – Turku, Neuvola – Salo, "
                           "Neuvola – Oulu, Neuvola – Pori and 2 more).")


def test_a_month_with_one_hidden_stage_still_draws_its_other_stages():
    """The board lost three months of six: a hidden stage left a blank value in the month's 100 %
    stack, and Vega drew nothing for that month (found in a board member's walk-through).
    Laid out by vl-convert, as the board pack draws it: every shown stage of both months is a bar
    of non-zero height, and June's four fill the whole height as May's five do."""
    import vl_convert

    stages = ["1 – Epäilevä", "2 – Varauksellinen", "3 – Kysyvä", "4 – Myönteinen", "5 – Luottava"]
    may, june = pd.Timestamp("2026-05-01"), pd.Timestamp("2026-06-01")
    rows = [{"month": month, "stage": stage, "stage_label": stages[stage - 1],
             "count": "<5" if (month == june and stage == 1) else 20 + stage,
             "respondents": None if (month == june and stage == 1) else float(20 + stage)}
            for month in (may, june) for stage in range(1, 6)]
    frame = pd.DataFrame(rows)
    frame["month_respondents"] = frame.groupby("month")["respondents"].transform("sum")
    chart = stages_by_month_chart(frame, "fi", title="T", subtitle="S", month_title="Kk", share_title="Osuus",
                                  stage_title="Porras", respondents_title="Vastaajat")
    scene = vl_convert.vegalite_to_scenegraph(chart.to_dict())

    def rects(node):
        if isinstance(node, dict):
            if node.get("marktype") == "rect" and node.get("role") == "mark":
                yield from node.get("items", [])
            for value in node.values():
                yield from rects(value)
        elif isinstance(node, list):
            for value in node:
                yield from rects(value)

    by_month: dict[float, list[float]] = {}
    for bar in rects(scene):
        by_month.setdefault(round(bar["x"], 1), []).append(bar["height"])
    assert sorted(len(heights) for heights in by_month.values()) == [4, 5]
    assert all(height > 0 for heights in by_month.values() for height in heights)
    totals = [sum(heights) for heights in by_month.values()]
    assert abs(totals[0] - totals[1]) < 0.01


def test_the_monthly_trend_beside_its_comparison_keeps_the_key_to_its_colours():
    """The outline of the comparison's paler bars took the legend away (a board member's
    walk-through: nothing said which colour was client work); laid out by vl-convert."""
    import vl_convert

    months = pd.date_range("2025-12-01", periods=12, freq="MS")
    frame = pd.DataFrame([{"month": month, "series": series, "series_order": order, "count": 10, "value": 10.0,
                           "role": "comparison" if index < 6 else "current"}
                          for index, month in enumerate(months)
                          for order, series in enumerate(("Asiakastyö", "Kehittäminen ja vaikuttaminen"))])
    chart = monthly_trend_chart(frame, "fi", title="T", subtitle="S", month_title="Kk", value_title="Määrä",
                                series_title="Ryhmä", comparison_end=months[6], comparison_end_title="Jakso")
    scene = vl_convert.vegalite_to_scenegraph(chart.to_dict())

    def texts(node, inside_legend=False):
        if isinstance(node, dict):
            inside_legend = inside_legend or node.get("role") == "legend"
            if inside_legend and node.get("marktype") == "text":
                yield from (item.get("text") for item in node.get("items", []))
            for value in node.values():
                yield from texts(value, inside_legend)
        elif isinstance(node, list):
            for value in node:
                yield from texts(value, inside_legend)

    assert {"Ryhmä", "Asiakastyö", "Kehittäminen ja vaikuttaminen"} <= set(texts(scene))


def test_the_monthly_trend_names_its_largest_series_by_the_chosen_period_alone():
    """The pack's slide read 'Largest: client work 1 643' (twelve months) beside a tile of 875
    (the six chosen): the comparison's months are drawn, but not counted into the chosen period's."""
    months = pd.date_range("2025-12-01", periods=12, freq="MS")
    frame = pd.DataFrame([{"month": month, "series": series, "series_order": order, "count": n, "value": float(n),
                           "role": "comparison" if index < 6 else "current"}
                          for index, month in enumerate(months)
                          for order, (series, n) in enumerate((("Asiakastyö", 100 if index < 6 else 10),
                                                               ("Muu", 20)))])
    description = spec(monthly_trend_chart(frame, "en", title="T", subtitle="S", month_title="Month",
                                           value_title="Count", series_title="Group"))["description"]
    assert "Muu 120 and Asiakastyö 60" in description, description

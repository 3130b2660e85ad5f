import io
import re
from datetime import date

import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from data_sources.vocabulary import (
    ACTIVITY_TYPES,
    ATTITUDE_STAGES,
    MEASUREMENT_POINTS,
    MONTH_COLUMN,
    PUBLIC_SECTORS,
    REASONS,
    RESPONDENT_GROUPS,
    SCEPTICAL_STAGES,
    SECTORS,
    SHEET_COLUMNS,
    SHEETS,
    STATUSES,
    UNDECIDED_STATUSES,
    UNMET_STATUSES,
)
from demo.network import (
    DEMO_ORGS,
    demo_start_month,
    demo_workbooks,
    generate_network,
    last_complete_month,
    window_months,
)

END = date(2025, 5, 1)
VARSINAIS_SUOMI = {"Turku", "Salo", "Kaarina", "Raisio", "Naantali", "Uusikaupunki", "Loimaa",
                   "Parainen", "Lieto", "Masku", "Mynämäki", "Paimio", "Sauvo", "Somero"}
ORG_CODES = [org.code for org in DEMO_ORGS]
DEV_ADVOCACY = [t for t, group in ACTIVITY_TYPES.items() if group == "development_advocacy"]


@pytest.fixture(scope="module", params=[END, date(2024, 11, 1)], ids=str)
def network(request):
    # two windows, so the shape holds beyond the one draw the white-spot test pins down
    return generate_network(request.param)


def combined(network, sheet):
    return pd.concat([sheets[sheet] for sheets in network.values()], ignore_index=True)


@pytest.mark.parametrize("today, expected", [
    (date(2025, 1, 15), date(2024, 12, 1)),
    (date(2025, 3, 1), date(2025, 2, 1)),
    (date(2025, 3, 31), date(2025, 2, 1)),
    (date(2024, 12, 31), date(2024, 11, 1)),
])
def test_last_complete_month(today, expected):
    assert last_complete_month(today) == expected


def test_window_is_the_last_months_ending_with_the_end_month():
    window = window_months(date(2025, 2, 14), 24)
    assert (window[0], window[-1], len(window)) == (date(2023, 3, 1), date(2025, 2, 1), 24)


def test_orgs_are_clearly_fictional_and_local():
    codes = [org.code for org in DEMO_ORGS]
    assert len(DEMO_ORGS) == 8 and len(set(codes)) == 8
    names = [org.name for org in DEMO_ORGS] + [a for org in DEMO_ORGS for a in org.aliases]
    assert len(set(n.casefold() for n in names)) == len(names)
    for org in DEMO_ORGS:
        assert re.fullmatch(r"demo_[a-z]+", org.code)
        assert "(demo)" in org.name
        assert len(org.aliases) == 1
        assert {org.municipality, *org.also_serves} <= VARSINAIS_SUOMI
    assert sum(org.joins_after > 0 for org in DEMO_ORGS) in (1, 2)


def test_same_end_month_gives_the_same_network(network):
    end = max(sheets["toiminta"]["activity_month"].max() for sheets in network.values())
    again = generate_network(end.date())
    for code in ORG_CODES:
        for sheet in SHEETS:
            pd.testing.assert_frame_equal(network[code][sheet], again[code][sheet])


def test_another_seed_gives_another_network(network):
    other = generate_network(END, seed=7)
    assert not network["demo_aurinko"]["toiminta"].equals(other["demo_aurinko"]["toiminta"])


@pytest.mark.parametrize("sheet", SHEETS)
def test_rows_are_canonical(network, sheet):
    for code, sheets in network.items():
        frame = sheets[sheet]
        assert tuple(frame.columns) == SHEET_COLUMNS[sheet]
        assert set(frame["org_code"]) == {code}
        months = frame[MONTH_COLUMN[sheet]]
        assert (months.dt.day == 1).all()


@pytest.mark.parametrize("sheet", SHEETS)
def test_no_month_outside_the_window_or_in_the_future(sheet):
    end = last_complete_month(date.today())
    months = combined(generate_network(end), sheet)[MONTH_COLUMN[sheet]]
    assert months.max() == pd.Timestamp(end)
    assert months.max() < pd.Timestamp(date.today().replace(day=1))
    assert months.min() == pd.Timestamp(window_months(end)[0])


def _codes_valid(values, allowed, blank_ok):
    return all((pd.isna(v) and blank_ok) or v in allowed for v in values)


def test_all_codes_are_valid(network):
    activities = combined(network, "toiminta")
    assert _codes_valid(activities["activity_type"], ACTIVITY_TYPES, False)
    assert _codes_valid(activities["target_sector"], SECTORS, True)
    attitudes = combined(network, "asenteet")
    assert _codes_valid(attitudes["respondent_group"], RESPONDENT_GROUPS, False)
    assert _codes_valid(attitudes["measurement_point"], MEASUREMENT_POINTS, False)
    assert _codes_valid(attitudes["attitude_stage"], ATTITUDE_STAGES, False)
    assert _codes_valid(attitudes["target_sector"], SECTORS, True)
    demand = combined(network, "kysynta")
    assert _codes_valid(demand["requesting_sector"], SECTORS, False)
    assert _codes_valid(demand["request_type"], ACTIVITY_TYPES, True)
    assert _codes_valid(demand["status"], STATUSES, False)
    assert _codes_valid(demand["reason"], REASONS, True)


@pytest.mark.parametrize("org_code", ORG_CODES)
def test_monthly_activity_magnitudes(network, org_code):
    activities = network[org_code]["toiminta"]
    per_month = activities.pivot_table(index="activity_month", columns="activity_type",
                                       values="count_activities", aggfunc="sum", fill_value=0)
    assert 10 <= per_month["vertaistukitapaaminen"].mean() <= 20
    assert 1 <= per_month["vertaistukisuhde"].mean() <= 2
    assert 2 <= per_month["tyoparityo"].mean() <= 5
    assert 3 <= per_month[[t for t in DEV_ADVOCACY if t in per_month]].sum(axis=1).mean() <= 6
    feedback = activities["feedback"].dropna()
    assert feedback.between(4.0, 5.0).all() and len(feedback) > len(activities) / 2
    counts = activities[["count_activities", "experts_involved"]]
    assert (counts >= 1).all().all()


def test_attitudes_drift_from_sceptical_to_curious(network):
    attitudes = combined(network, "asenteet")
    months = sorted(attitudes["answer_month"].unique())

    def curious_share(rows):
        curious = rows.loc[~rows["attitude_stage"].isin(SCEPTICAL_STAGES), "count_respondents"].sum()
        return curious / rows["count_respondents"].sum()

    first = attitudes[attitudes["answer_month"].isin(months[:6])]
    last = attitudes[attitudes["answer_month"].isin(months[-6:])]
    assert curious_share(first) < 0.4 < 0.6 < curious_share(last)
    before = attitudes[attitudes["measurement_point"] == "ennen"]
    after = attitudes[attitudes["measurement_point"] == "jalkeen"]
    assert curious_share(before) < curious_share(after)
    groups = attitudes.groupby("respondent_group")["count_respondents"].sum()
    assert groups[["lastensuojelun_tyontekija", "vanhempi"]].sum() > 0.8 * groups.sum()


def _unmet_share(demand, sector):
    rows = demand[demand["requesting_sector"] == sector]
    decided = rows[~rows["status"].isin(UNDECIDED_STATUSES)]
    unmet = decided[decided["status"].isin(UNMET_STATUSES)]
    return unmet["count_sessions"].sum() / decided["count_sessions"].sum()


@pytest.mark.parametrize("sector", ["neuvola", "kouluterveydenhuolto", "sairaala"])
def test_health_services_go_mostly_unmet(network, sector):
    demand = combined(network, "kysynta")
    assert _unmet_share(demand, sector) > 0.5
    assert _unmet_share(demand, sector) > _unmet_share(demand, "lastensuojelu") + 0.2


@pytest.mark.parametrize("sector", ["lastensuojelu", "perhekeskus"])
def test_child_protection_and_family_centres_mostly_fulfilled(network, sector):
    assert _unmet_share(combined(network, "kysynta"), sector) < 0.3


def test_demand_rows_are_requests_with_reasons(network):
    demand = combined(network, "kysynta")
    assert demand["count_sessions"].between(1, 4).all()
    assert demand["requesting_sector"].isin(PUBLIC_SECTORS).mean() > 0.8
    unmet = demand[demand["status"].isin(UNMET_STATUSES)]
    assert unmet["reason"].notna().all()
    assert unmet["reason"].isin(["ei_tekijaa", "ei_rahoitusta"]).mean() > 0.6
    assert demand.loc[~demand["status"].isin(UNMET_STATUSES), "reason"].isna().all()
    assert {"avoin", "peruttu"} <= set(demand["status"])


def test_some_public_sectors_are_white_spots():
    # metrics.md: public sector × municipality with no activity and no request in 12 months
    network = generate_network(END)
    since = pd.Timestamp(window_months(END, 12)[0])
    activities = combined(network, "toiminta")
    demand = combined(network, "kysynta")
    seen = set(zip(activities.loc[activities["activity_month"] >= since, "municipality"],
                   activities.loc[activities["activity_month"] >= since, "target_sector"]))
    seen |= set(zip(demand.loc[demand["received_month"] >= since, "municipality"],
                    demand.loc[demand["received_month"] >= since, "requesting_sector"]))
    towns = set(activities["municipality"].dropna())
    white = {(m, s) for m in towns for s in PUBLIC_SECTORS} - seen
    assert ("Uusikaupunki", "neuvola") in white
    assert 5 <= len(white) < len(towns) * len(PUBLIC_SECTORS) / 2


def test_capacity_is_one_row_a_month_with_active_at_most_trained(network):
    for sheets in network.values():
        capacity = sheets["kapasiteetti"]
        assert capacity["capacity_month"].is_unique
        assert set(capacity["capacity_month"]) == set(sheets["toiminta"]["activity_month"])
        assert capacity["count_trained"].between(10, 30).all()
        assert (capacity["count_active"] <= capacity["count_trained"]).all()
        assert (capacity["hours_available"] >= 0).all()


def test_late_joiners_start_late_and_one_org_misses_months():
    network = generate_network(END)
    window = window_months(END)
    for org in DEMO_ORGS:
        months = sorted(network[org.code]["toiminta"]["activity_month"].dt.date.unique())
        assert months[0] == demo_start_month(org, END)
        expected = len(window) - org.joins_after - len(org.missed)
        assert len(months) == expected, org.code
    missing = [org.code for org in DEMO_ORGS
               if len(network[org.code]["toiminta"]["activity_month"].unique())
               < len(window) - org.joins_after]
    assert missing == ["demo_silta"]


@pytest.fixture(scope="module")
def workbooks():
    return demo_workbooks(END)


def test_demo_workbooks_cover_every_org_in_three_languages(workbooks):
    assert [code for code, _, _ in workbooks] == ORG_CODES
    first_sheets = []
    for code, file_name, content in workbooks:
        assert file_name.endswith(".xlsx") and code in file_name
        book = CalamineWorkbook.from_filelike(io.BytesIO(content))
        first_sheets.append(book.sheet_names[1])
        # the upload names the organisation, so the column is left out
        header = book.get_sheet_by_name(book.sheet_names[1]).to_python()[0]
        assert header[0] in ("Päivämäärä", "Datum", "Date")
    assert set(first_sheets) == {"Toiminta", "Verksamhet", "Activities"}
    assert first_sheets.count("Toiminta") >= 5


def test_demo_workbooks_are_the_same_bytes_every_run(workbooks):
    assert demo_workbooks(END) == workbooks


def test_demo_workbooks_read_back_as_the_generated_rows(workbooks):
    # the helper that maps labels back to codes lives with the template tests
    from test_templates import _normalised, read_back

    network = generate_network(END)
    langs = {org.code: org.lang for org in DEMO_ORGS}
    for code, _, content in workbooks:
        back = read_back(content, langs[code])
        for sheet in SHEETS:
            assert back[sheet] == _normalised(network[code][sheet], None), (code, sheet)

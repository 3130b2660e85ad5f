"""Given a few rows, expect exactly these rows out — one test per query."""

import math
from datetime import date

import pandas as pd
import pytest
from helpers_warehouse import add_org, insert_rows

from queries import query_names, run_query
from queries.periods import parse_period
from queries.scope import Scope

H1 = parse_period("2025H1")


def rows(frame: pd.DataFrame) -> list[dict]:
    """The frame as plain dicts: months as "YYYY-MM", NaN/NA as None, floats to 3 decimals."""
    out = []
    for record in frame.to_dict("records"):
        clean = {}
        for key, value in record.items():
            if value is pd.NaT:
                value = None
            elif isinstance(value, (pd.Timestamp, date)):
                value = f"{value:%Y-%m}"
            elif isinstance(value, (list, tuple)) or hasattr(value, "tolist"):
                value = list(value.tolist() if hasattr(value, "tolist") else value)
            elif value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
                value = None
            elif isinstance(value, float):
                value = round(value, 3)
            clean[key] = value
        out.append(clean)
    return out


@pytest.fixture
def warehouse(make_warehouse):
    w = make_warehouse()
    yield w
    w.close()


# --- activities ------------------------------------------------------------------------------

ACTIVITY_ROWS_A = [
    {"activity_month": "2025-01", "activity_type": "koulutus", "count_activities": 2, "experts_involved": 3,
     "people_reached": 40, "hours": 6.0, "target_sector": "neuvola", "municipality": "Turku", "feedback": 4.0},
    {"activity_month": "2025-02", "activity_type": "koulutus", "count_activities": 1, "experts_involved": None,
     "people_reached": 10, "hours": None, "target_sector": "koulu", "municipality": "Turku", "feedback": None},
    {"activity_month": "2025-02", "activity_type": "vertaistukitapaaminen", "count_activities": 6,
     "experts_involved": 2, "people_reached": None, "hours": 9.5, "municipality": "Kaarina", "feedback": 5.0},
    {"activity_month": "2025-03", "activity_type": "muu", "count_activities": 1},
    # outside the period: never counted
    {"activity_month": "2025-07", "activity_type": "koulutus", "count_activities": 100},
]
ACTIVITY_ROWS_B = [
    {"activity_month": "2025-01", "activity_type": "koulutus", "count_activities": 4, "experts_involved": 1,
     "people_reached": 5, "hours": 2.0, "target_sector": "neuvola", "municipality": "Espoo", "feedback": 1.0},
]


@pytest.fixture
def activities(warehouse):
    add_org(warehouse, "org_a", "Yhdistys A", municipality="Turku")
    add_org(warehouse, "org_b", "Yhdistys B", municipality="Espoo")
    insert_rows(warehouse, "toiminta", ACTIVITY_ROWS_A, org_code="org_a")
    insert_rows(warehouse, "toiminta", ACTIVITY_ROWS_B, org_code="org_b")
    return warehouse


def test_activities_by_type(activities):
    assert rows(run_query(activities, "activities_by_type", period=H1)) == [
        {"activity_type": "vertaistukitapaaminen", "activity_group": "client_work", "count_activities": 6,
         "count_experts_involved": 2, "count_rows_blank_experts_involved": 0,
         "count_people_reached": 0, "count_rows_blank_people_reached": 1,
         "sum_hours": 9.5, "count_rows_blank_hours": 0,
         "count_activities_with_feedback": 6, "mean_feedback": 5.0},
        # koulutus: 2 + 1 (org_a) + 4 (org_b); feedback (2×4 + 4×1) / 6 = 2.0
        {"activity_type": "koulutus", "activity_group": "development_advocacy", "count_activities": 7,
         "count_experts_involved": 4, "count_rows_blank_experts_involved": 1,
         "count_people_reached": 55, "count_rows_blank_people_reached": 0,
         "sum_hours": 8.0, "count_rows_blank_hours": 1,
         "count_activities_with_feedback": 6, "mean_feedback": 2.0},
        {"activity_type": "muu", "activity_group": "other", "count_activities": 1,
         "count_experts_involved": 0, "count_rows_blank_experts_involved": 1,
         "count_people_reached": 0, "count_rows_blank_people_reached": 1,
         "sum_hours": 0.0, "count_rows_blank_hours": 1,
         "count_activities_with_feedback": 0, "mean_feedback": None},
    ]


def test_activities_by_month(activities):
    assert rows(run_query(activities, "activities_by_month", period=H1)) == [
        {"activity_month": "2025-01", "activity_type": "koulutus", "activity_group": "development_advocacy",
         "count_activities": 6},
        {"activity_month": "2025-02", "activity_type": "vertaistukitapaaminen", "activity_group": "client_work",
         "count_activities": 6},
        {"activity_month": "2025-02", "activity_type": "koulutus", "activity_group": "development_advocacy",
         "count_activities": 1},
        {"activity_month": "2025-03", "activity_type": "muu", "activity_group": "other", "count_activities": 1},
    ]


def test_activities_by_organisation(activities):
    assert rows(run_query(activities, "activities_by_organisation", period=H1)) == [
        {"org_code": "org_a", "org_name": "Yhdistys A", "count_activities": 10, "count_client_work": 6,
         "count_development_advocacy": 3, "count_other": 1},
        {"org_code": "org_b", "org_name": "Yhdistys B", "count_activities": 4, "count_client_work": 0,
         "count_development_advocacy": 4, "count_other": 0},
    ]


def test_activities_by_sector(activities):
    assert rows(run_query(activities, "activities_by_sector", period=H1)) == [
        {"target_sector": "koulu", "count_activities": 1, "count_client_work": 0,
         "count_development_advocacy": 1, "count_other": 0},
        {"target_sector": "neuvola", "count_activities": 6, "count_client_work": 0,
         "count_development_advocacy": 6, "count_other": 0},
        {"target_sector": None, "count_activities": 7, "count_client_work": 6,
         "count_development_advocacy": 0, "count_other": 1},
    ]


def test_activities_by_municipality(activities):
    assert rows(run_query(activities, "activities_by_municipality", period=H1)) == [
        {"municipality": "Espoo", "count_activities": 4, "count_client_work": 0,
         "count_development_advocacy": 4, "count_other": 0},
        {"municipality": "Kaarina", "count_activities": 6, "count_client_work": 6,
         "count_development_advocacy": 0, "count_other": 0},
        {"municipality": "Turku", "count_activities": 3, "count_client_work": 0,
         "count_development_advocacy": 3, "count_other": 0},
        {"municipality": None, "count_activities": 1, "count_client_work": 0,
         "count_development_advocacy": 0, "count_other": 1},
    ]


@pytest.mark.parametrize(
    "scope, expected_total",
    [
        (Scope(), 14),
        (Scope(org_codes=("org_b",)), 4),
        (Scope(org_codes=("org_a", "org_b")), 14),
        (Scope(org_codes=()), 0),
        (Scope(municipalities=("Turku", "Espoo")), 7),
        (Scope(sectors=("neuvola",)), 6),
        (Scope(org_codes=("org_a",), sectors=("neuvola", "koulu")), 3),
    ],
)
def test_activity_scope_filters(activities, scope, expected_total):
    frame = run_query(activities, "activities_by_type", period=H1, scope=scope)
    assert int(frame["count_activities"].sum()) == expected_total


def test_replaced_months_are_not_counted(warehouse):
    insert_rows(warehouse, "toiminta", [{"activity_month": "2025-01", "activity_type": "media", "count_activities": 9},
                                        {"activity_month": "2025-02", "activity_type": "media", "count_activities": 2}])
    # a later upload for January only replaces January
    insert_rows(warehouse, "toiminta", [{"activity_month": "2025-01", "activity_type": "media", "count_activities": 5}])
    assert rows(run_query(warehouse, "activities_by_month", period=H1)) == [
        {"activity_month": "2025-01", "activity_type": "media", "activity_group": "development_advocacy",
         "count_activities": 5},
        {"activity_month": "2025-02", "activity_type": "media", "activity_group": "development_advocacy",
         "count_activities": 2},
    ]


# --- attitudes --------------------------------------------------------------------------------

ATTITUDE_ROWS = [
    {"answer_month": "2025-01", "respondent_group": "vanhempi", "measurement_point": "ennen",
     "attitude_stage": 1, "count_respondents": 6},
    {"answer_month": "2025-01", "respondent_group": "vanhempi", "measurement_point": "ennen",
     "attitude_stage": 3, "count_respondents": 4},
    {"answer_month": "2025-02", "respondent_group": "vanhempi", "measurement_point": "jalkeen",
     "attitude_stage": 2, "count_respondents": 2},
    {"answer_month": "2025-02", "respondent_group": "vanhempi", "measurement_point": "jalkeen",
     "attitude_stage": 4, "count_respondents": 6, "target_sector": "neuvola"},
    # nuori has only 'ennen': no pair, left out of the shift
    {"answer_month": "2025-02", "respondent_group": "nuori", "measurement_point": "ennen",
     "attitude_stage": 5, "count_respondents": 3},
    # kartoitus never enters the shift
    {"answer_month": "2025-03", "respondent_group": "vanhempi", "measurement_point": "kartoitus",
     "attitude_stage": 5, "count_respondents": 10},
    {"answer_month": "2025-08", "respondent_group": "vanhempi", "measurement_point": "ennen",
     "attitude_stage": 1, "count_respondents": 50},
]


@pytest.fixture
def attitudes(warehouse):
    insert_rows(warehouse, "asenteet", ATTITUDE_ROWS, org_code="org_a")
    # org_b's vanhempi have only 'jalkeen': org_a's 'ennen' does not make them a pair
    insert_rows(warehouse, "asenteet", [
        {"answer_month": "2025-03", "respondent_group": "vanhempi", "measurement_point": "jalkeen",
         "attitude_stage": 5, "count_respondents": 7}], org_code="org_b")
    return warehouse


def test_attitudes_by_stage(attitudes):
    # 6 + 4 + 2 + 6 + 3 + 10 + 7 = 38 respondents in H1
    assert rows(run_query(attitudes, "attitudes_by_stage", period=H1)) == [
        {"attitude_stage": 1, "is_sceptical": True, "count_respondents": 6, "respondents_share": round(6 / 38, 3)},
        {"attitude_stage": 2, "is_sceptical": True, "count_respondents": 2, "respondents_share": round(2 / 38, 3)},
        {"attitude_stage": 3, "is_sceptical": False, "count_respondents": 4, "respondents_share": round(4 / 38, 3)},
        {"attitude_stage": 4, "is_sceptical": False, "count_respondents": 6, "respondents_share": round(6 / 38, 3)},
        {"attitude_stage": 5, "is_sceptical": False, "count_respondents": 20, "respondents_share": round(20 / 38, 3)},
    ]


def test_attitudes_by_stage_has_five_rows_when_empty(warehouse):
    assert rows(run_query(warehouse, "attitudes_by_stage", period=H1)) == [
        {"attitude_stage": stage, "is_sceptical": stage <= 2, "count_respondents": 0, "respondents_share": None}
        for stage in range(1, 6)
    ]


def test_attitudes_by_month(attitudes):
    assert rows(run_query(attitudes, "attitudes_by_month", period=parse_period("2025Q1"),
                          scope=Scope(org_codes=("org_a",)))) == [
        {"answer_month": "2025-01", "attitude_stage": 1, "is_sceptical": True, "count_respondents": 6,
         "respondents_share": 0.6},
        {"answer_month": "2025-01", "attitude_stage": 3, "is_sceptical": False, "count_respondents": 4,
         "respondents_share": 0.4},
        {"answer_month": "2025-02", "attitude_stage": 2, "is_sceptical": True, "count_respondents": 2,
         "respondents_share": round(2 / 11, 3)},
        {"answer_month": "2025-02", "attitude_stage": 4, "is_sceptical": False, "count_respondents": 6,
         "respondents_share": round(6 / 11, 3)},
        {"answer_month": "2025-02", "attitude_stage": 5, "is_sceptical": False, "count_respondents": 3,
         "respondents_share": round(3 / 11, 3)},
        {"answer_month": "2025-03", "attitude_stage": 5, "is_sceptical": False, "count_respondents": 10,
         "respondents_share": 1.0},
    ]


def test_attitude_shift_by_group(attitudes):
    # only org_a × vanhempi has both points: ennen 4 of 10 curious, jalkeen 6 of 8
    assert rows(run_query(attitudes, "attitude_shift_by_group", period=H1)) == [
        {"respondent_group": "vanhempi", "count_respondents_ennen": 10, "count_curious_ennen": 4,
         "curious_or_better_share_ennen": 0.4, "count_respondents_jalkeen": 8, "count_curious_jalkeen": 6,
         "curious_or_better_share_jalkeen": 0.75, "shift_points": 35.0},
    ]


def test_attitude_shift_needs_both_points_in_the_period(attitudes):
    # in 2025-02 alone org_a × vanhempi has only 'jalkeen'
    assert rows(run_query(attitudes, "attitude_shift_by_group", period=parse_period("2025-02"))) == []


def test_attitude_sector_filter(attitudes):
    frame = run_query(attitudes, "attitudes_by_stage", period=H1, scope=Scope(sectors=("neuvola",)))
    assert frame["count_respondents"].tolist() == [0, 0, 0, 6, 0]


# --- demand -----------------------------------------------------------------------------------

DEMAND_ROWS = [
    {"received_month": "2025-01", "requesting_sector": "neuvola", "status": "toteutunut", "count_sessions": 4,
     "municipality": "Turku"},
    {"received_month": "2025-02", "requesting_sector": "neuvola", "status": "toteutumatta", "reason": "ei_tekijaa",
     "count_sessions": 3, "municipality": "Turku"},
    {"received_month": "2025-02", "requesting_sector": "neuvola", "status": "osittain", "reason": "aikataulu",
     "count_sessions": 2, "municipality": "Kaarina"},
    {"received_month": "2025-03", "requesting_sector": "koulu", "status": "avoin", "count_sessions": 5},
    {"received_month": "2025-03", "requesting_sector": "koulu", "status": "peruttu", "count_sessions": 1},
    {"received_month": "2025-04", "requesting_sector": "koulu", "status": "toteutumatta", "count_sessions": 1},
    # not public: never in demand figures
    {"received_month": "2025-01", "requesting_sector": "jarjesto", "status": "toteutumatta", "count_sessions": 9},
    # outside the period
    {"received_month": "2025-07", "requesting_sector": "neuvola", "status": "toteutumatta", "count_sessions": 9},
]


@pytest.fixture
def demand(warehouse):
    insert_rows(warehouse, "kysynta", DEMAND_ROWS, org_code="org_a")
    return warehouse


def test_demand_by_sector(demand):
    assert rows(run_query(demand, "demand_by_sector", period=H1)) == [
        {"requesting_sector": "neuvola", "count_requests": 9, "count_toteutunut": 4, "count_osittain": 2,
         "count_toteutumatta": 3, "count_avoin": 0, "count_peruttu": 0, "count_decided": 9, "count_unmet": 5,
         "unmet_share": round(5 / 9, 3)},
        {"requesting_sector": "koulu", "count_requests": 7, "count_toteutunut": 0, "count_osittain": 0,
         "count_toteutumatta": 1, "count_avoin": 5, "count_peruttu": 1, "count_decided": 1, "count_unmet": 1,
         "unmet_share": 1.0},
    ]


def test_demand_by_status(demand):
    assert rows(run_query(demand, "demand_by_status", period=H1)) == [
        {"status": "toteutunut", "is_decided": True, "is_unmet": False, "count_requests": 4,
         "requests_share": 0.25},
        {"status": "osittain", "is_decided": True, "is_unmet": True, "count_requests": 2, "requests_share": 0.125},
        {"status": "toteutumatta", "is_decided": True, "is_unmet": True, "count_requests": 4, "requests_share": 0.25},
        {"status": "avoin", "is_decided": False, "is_unmet": False, "count_requests": 5, "requests_share": 0.312},
        {"status": "peruttu", "is_decided": False, "is_unmet": False, "count_requests": 1, "requests_share": 0.062},
    ]


def test_demand_by_reason(demand):
    assert rows(run_query(demand, "demand_by_reason", period=H1)) == [
        {"reason": "ei_tekijaa", "count_unmet": 3, "reason_share": 0.5},
        {"reason": "aikataulu", "count_unmet": 2, "reason_share": round(2 / 6, 3)},
        {"reason": None, "count_unmet": 1, "reason_share": round(1 / 6, 3)},
    ]


def test_demand_by_municipality(demand):
    assert rows(run_query(demand, "demand_by_municipality", period=H1)) == [
        {"municipality": "Kaarina", "count_requests": 2, "count_toteutunut": 0, "count_osittain": 2,
         "count_toteutumatta": 0, "count_avoin": 0, "count_peruttu": 0, "count_decided": 2, "count_unmet": 2,
         "unmet_share": 1.0},
        {"municipality": "Turku", "count_requests": 7, "count_toteutunut": 4, "count_osittain": 0,
         "count_toteutumatta": 3, "count_avoin": 0, "count_peruttu": 0, "count_decided": 7, "count_unmet": 3,
         "unmet_share": round(3 / 7, 3)},
        {"municipality": None, "count_requests": 7, "count_toteutunut": 0, "count_osittain": 0,
         "count_toteutumatta": 1, "count_avoin": 5, "count_peruttu": 1, "count_decided": 1, "count_unmet": 1,
         "unmet_share": 1.0},
    ]


@pytest.mark.parametrize(
    "received, counted",
    [
        ("2024-10", True),   # an old backlog, received before the period, still counts
        ("2025-04", True),   # 1 April < 30 June − 60 days (1 May)
        ("2025-05", False),  # 1 May is not more than 60 days before 30 June
        ("2025-06", False),
        ("2025-08", False),  # after the period
    ],
)
def test_demand_open_over_60_days(warehouse, received, counted):
    insert_rows(warehouse, "kysynta", [
        {"received_month": received, "requesting_sector": "perhekeskus", "status": "avoin", "count_sessions": 3},
        {"received_month": received, "requesting_sector": "perhekeskus", "status": "toteutumatta", "count_sessions": 8},
        {"received_month": received, "requesting_sector": "seurakunta", "status": "avoin", "count_sessions": 8},
    ])
    expected = [{"requesting_sector": "perhekeskus", "count_open_over_60_days": 3,
                 "oldest_received_month": received}] if counted else []
    assert rows(run_query(warehouse, "demand_open_over_60_days", period=H1)) == expected


@pytest.mark.parametrize(
    "scope, requests",
    [
        (Scope(), 16),
        (Scope(municipalities=("Turku",)), 7),
        (Scope(sectors=("koulu",)), 7),
        (Scope(sectors=("jarjesto",)), 0),  # a non-public sector never enters demand
        (Scope(org_codes=("org_b",)), 0),
    ],
)
def test_demand_scope_filters(demand, scope, requests):
    frame = run_query(demand, "demand_by_status", period=H1, scope=scope)
    assert int(frame["count_requests"].sum()) == requests


# --- capacity, white spots, completeness ------------------------------------------------------


def test_capacity_by_month(warehouse):
    insert_rows(warehouse, "kapasiteetti", [
        {"capacity_month": "2025-01", "count_trained": 10, "count_active": 4, "hours_available": 20.0},
        {"capacity_month": "2025-02", "count_trained": 10, "count_active": 6}], org_code="org_a")
    insert_rows(warehouse, "kapasiteetti", [
        {"capacity_month": "2025-01", "count_trained": 3, "count_active": 3, "hours_available": 5.5}],
        org_code="org_b")
    insert_rows(warehouse, "kysynta", [
        {"received_month": "2025-01", "requesting_sector": "koulu", "status": "avoin", "count_sessions": 2},
        {"received_month": "2025-03", "requesting_sector": "neuvola", "status": "toteutunut", "count_sessions": 12},
        {"received_month": "2025-03", "requesting_sector": "muu", "status": "toteutunut", "count_sessions": 50}])
    assert rows(run_query(warehouse, "capacity_by_month", period=parse_period("2025Q1"))) == [
        {"capacity_month": "2025-01", "count_trained": 13, "count_active": 7, "hours_available": 25.5,
         "count_reporting_orgs": 2, "count_requests": 2},
        # February: Kapasiteetti but no requests was sent, so none is a true 0
        {"capacity_month": "2025-02", "count_trained": 10, "count_active": 6, "hours_available": None,
         "count_reporting_orgs": 1, "count_requests": 0},
        {"capacity_month": "2025-03", "count_trained": None, "count_active": None, "hours_available": None,
         "count_reporting_orgs": 0, "count_requests": 12},
    ]


def test_capacity_by_month_leaves_a_gap_for_a_month_nobody_reported(warehouse):
    insert_rows(warehouse, "kapasiteetti", [{"capacity_month": "2025-01", "count_trained": 5, "count_active": 4}],
                org_code="org_a")
    insert_rows(warehouse, "kysynta", [
        {"received_month": "2025-03", "requesting_sector": "neuvola", "status": "toteutunut", "count_sessions": 3}],
        org_code="org_a")
    shown = rows(run_query(warehouse, "capacity_by_month", period=parse_period("2025Q1")))
    # January: a report came (Kapasiteetti), no request: 0; February: nothing came: a gap
    assert [(r["capacity_month"], r["count_active"], r["count_requests"]) for r in shown] == [
        ("2025-01", 4, 0), ("2025-02", None, None), ("2025-03", None, 3)]


def test_white_spots_by_sector_municipality(warehouse):
    add_org(warehouse, "org_a", municipality="Turku")
    add_org(warehouse, "org_b", municipality="Salo")
    # two-municipality, two-sector world to read by eye
    sectors = Scope(sectors=("neuvola", "koulu"))
    insert_rows(warehouse, "toiminta", [
        {"activity_month": "2025-03", "activity_type": "koulutus", "target_sector": "neuvola", "municipality": "Turku"},
        # 13 months before the end of 2025H2: outside the 12-month window
        {"activity_month": "2024-11", "activity_type": "koulutus", "target_sector": "koulu", "municipality": "Turku"},
        # a third municipality known only from a row
        {"activity_month": "2025-01", "activity_type": "koulutus", "target_sector": "sairaala",
         "municipality": "Raisio"},
    ], org_code="org_a")
    insert_rows(warehouse, "kysynta", [
        {"received_month": "2025-12", "requesting_sector": "koulu", "status": "peruttu", "municipality": "Salo"},
    ], org_code="org_b")
    assert rows(run_query(warehouse, "white_spots_by_sector_municipality", period=parse_period("2025H2"),
                          scope=sectors)) == [
        {"sector": "neuvola", "municipality": "Raisio", "last_contact_month": None},
        {"sector": "koulu", "municipality": "Raisio", "last_contact_month": None},
        {"sector": "neuvola", "municipality": "Salo", "last_contact_month": None},
        {"sector": "koulu", "municipality": "Turku", "last_contact_month": "2024-11"},
    ]
    # org_b alone: its home municipality and its own rows only
    assert rows(run_query(warehouse, "white_spots_by_sector_municipality", period=parse_period("2025H2"),
                          scope=Scope(org_codes=("org_b",), sectors=("neuvola", "koulu")))) == [
        {"sector": "neuvola", "municipality": "Salo", "last_contact_month": None},
    ]


def test_completeness_by_organisation(warehouse):
    add_org(warehouse, "org_a", "A", start_month="2024-01")
    add_org(warehouse, "org_b", "B", start_month="2025-04")  # joined mid-period
    add_org(warehouse, "org_c", "C", start_month="2026-01")  # not yet expected
    insert_rows(warehouse, "toiminta", [{"activity_month": m, "activity_type": "muu"}
                                        for m in ("2025-01", "2025-02", "2025-05")], org_code="org_a")
    # org_b reported before its start (not expected, not counted) and in May
    insert_rows(warehouse, "toiminta", [{"activity_month": m, "activity_type": "muu"}
                                        for m in ("2025-03", "2025-05")], org_code="org_b")
    # another sheet does not make a month reported
    insert_rows(warehouse, "kysynta", [{"received_month": "2025-06", "requesting_sector": "koulu",
                                        "status": "avoin"}], org_code="org_b")
    assert rows(run_query(warehouse, "completeness_by_organisation", period=H1)) == [
        {"org_code": "org_a", "org_name": "A", "start_month": "2024-01", "count_expected_months": 6,
         "count_reported_months": 3, "reported_share": 0.5,
         "missing_months": ["2025-03", "2025-04", "2025-06"]},
        {"org_code": "org_b", "org_name": "B", "start_month": "2025-04", "count_expected_months": 3,
         "count_reported_months": 1, "reported_share": round(1 / 3, 3),
         "missing_months": ["2025-04", "2025-06"]},
    ]


# --- every query honours the viewer's organisations ------------------------------------------


def _network(warehouse, codes):
    for code, municipality in (("org_a", "Turku"), ("org_b", "Salo")):
        if code not in codes:
            continue
        add_org(warehouse, code, start_month="2024-01", municipality=municipality)
        insert_rows(warehouse, "toiminta", ACTIVITY_ROWS_A if code == "org_a" else ACTIVITY_ROWS_B, org_code=code)
        insert_rows(warehouse, "asenteet", ATTITUDE_ROWS, org_code=code)
        insert_rows(warehouse, "kysynta", DEMAND_ROWS[: 4 if code == "org_a" else 8], org_code=code)
        insert_rows(warehouse, "kapasiteetti", [{"capacity_month": "2025-02", "count_trained": 5,
                                                 "count_active": 2 if code == "org_a" else 3}], org_code=code)


@pytest.fixture(scope="module", params=["embedded", "ducklake"])
def two_networks(request):
    """The network of org_a and org_b, and the one of org_b alone, on each warehouse (read only)."""
    from warehouse import Warehouse

    if request.param == "embedded":
        whole, alone = Warehouse(":memory:"), Warehouse(":memory:")
    else:
        server = request.getfixturevalue("postgres")
        whole, alone = server.warehouse(), server.warehouse()
    _network(whole, ("org_a", "org_b"))
    _network(alone, ("org_b",))
    yield whole, alone
    whole.close()
    alone.close()


@pytest.mark.parametrize("name", query_names())
def test_every_query_shows_only_the_scoped_organisation(name, two_networks):
    """org_b's view of the whole network equals the network that holds only org_b."""
    whole, alone = two_networks
    scoped = run_query(whole, name, period=H1, scope=Scope(org_codes=("org_b",)))
    assert rows(scoped) == rows(run_query(alone, name, period=H1))
    assert rows(scoped) != rows(run_query(whole, name, period=H1)) or name == "white_spots_by_sector_municipality"


# --- run_query --------------------------------------------------------------------------------


def test_run_query_refuses_an_unknown_parameter(warehouse):
    with pytest.raises(TypeError, match="from_mnth"):
        run_query(warehouse, "activities_by_type", period=H1, from_mnth=date(2025, 1, 1))


def test_run_query_names_a_missing_parameter(warehouse):
    with pytest.raises(TypeError, match="from_month"):
        run_query(warehouse, "activities_by_type")


def test_run_query_refuses_an_unknown_query(warehouse):
    with pytest.raises(KeyError, match="no query named"):
        run_query(warehouse, "activities_by_weather", period=H1)


def test_every_query_file_opens_with_grain_and_params():
    from queries import load_query

    for name in query_names():
        sql, params = load_query(name)
        header = [line for line in sql.splitlines()[:3] if line.startswith("--")]
        assert header and any("Params:" in line for line in header), name
        for param in params:
            assert f"${param}" in " ".join(header), f"{name}: ${param} not in its header"


def test_every_query_answers_a_scope_without_rows_again_and_again(tmp_path):
    # DuckDB 1.5.5 failed inside sum() over () on an empty input — an INTERNAL Error, now and
    # then, after which the whole database refused every query: a board member choosing a
    # month in which an organisation sent no attitudes could stop every page until a restart

    from demo.load import load_demo
    from warehouse import Warehouse

    with Warehouse(str(tmp_path / "demo.duckdb")) as wh:
        load_demo(wh, today=date(2026, 12, 2))
        cur = wh.cursor()
        # an organisation and month with rows of some sheet, none of Asenteet
        org, month = cur.execute(
            "select a.org_code, a.activity_month from activities a anti join attitudes t"
            " on t.org_code = a.org_code and t.answer_month = a.activity_month limit 1").fetchone()
        cur.close()
        period = parse_period(f"{month:%Y-%m}")
        for _ in range(20):
            for exact in (True, False):
                for name in query_names():
                    run_query(wh, name, period=period, scope=Scope(org_codes=(org,), exact=exact))

"""Given a few organisations, uploads and a locked month, expect exactly these reporting states
from queries/reporting_by_organisation_month.sql."""

from datetime import datetime

import pytest
from helpers_warehouse import add_org, insert_rows, month

from queries import run_query
from queries.periods import parse_period
from queries.scope import Scope

H1 = parse_period("2025H1")


@pytest.fixture
def warehouse(make_warehouse):
    w = make_warehouse()
    yield w
    w.close()


def lock(warehouse, *months: str) -> None:
    with warehouse.transaction() as cur:
        for text in months:
            cur.execute("insert into locked_months (period_month, locked_at, locked_by) values (?, ?, ?)",
                        [month(text), datetime(2025, 8, 1, 9, 0), "johto"])


def toiminta(*months: str) -> list[dict]:
    return [{"activity_month": m, "activity_type": "vertaistukitapaaminen"} for m in months]


def states(frame) -> list[tuple]:
    return [(row.org_code, f"{row.period_month:%Y-%m}", row.state) for row in frame.itertuples()]


@pytest.fixture
def network(warehouse):
    # names sort the other way round from codes: rows come in name order
    add_org(warehouse, "pohja", "Pohjan ry", start_month="2020-01")
    add_org(warehouse, "aalto", "Aallon ry", start_month="2025-03")  # joins mid-period
    insert_rows(warehouse, "toiminta", toiminta("2025-01", "2025-04", "2025-06", "2025-07"), org_code="pohja")
    # a Kysyntä upload is not a report of the month
    insert_rows(warehouse, "kysynta", [{"received_month": "2025-03", "requesting_sector": "neuvola",
                                        "status": "avoin"}], org_code="pohja")
    # a month before the start month counts for nothing, reported or not
    insert_rows(warehouse, "toiminta", toiminta("2025-01", "2025-03", "2025-05"), org_code="aalto")
    lock(warehouse, "2025-04")
    return warehouse


def test_reporting_state_per_organisation_and_month(network):
    frame = run_query(network, "reporting_by_organisation_month", period=H1, scope=Scope())
    assert states(frame) == [
        ("aalto", "2025-01", "not_expected"),
        ("aalto", "2025-02", "not_expected"),
        ("aalto", "2025-03", "reported"),
        ("aalto", "2025-04", "locked"),       # locked, nothing in force
        ("aalto", "2025-05", "reported"),
        ("aalto", "2025-06", "missing"),
        ("pohja", "2025-01", "reported"),
        ("pohja", "2025-02", "missing"),
        ("pohja", "2025-03", "missing"),      # only Kysyntä
        ("pohja", "2025-04", "reported"),     # locked, but a report is in force
        ("pohja", "2025-05", "missing"),
        ("pohja", "2025-06", "reported"),
    ]
    assert frame["org_name"].drop_duplicates().tolist() == ["Aallon ry", "Pohjan ry"]


def test_reporting_state_for_one_organisation_and_one_month(network):
    frame = run_query(network, "reporting_by_organisation_month", period=parse_period("2025-04"),
                      scope=Scope(org_codes=("aalto",)))
    assert states(frame) == [("aalto", "2025-04", "locked")]


def test_a_locked_month_before_the_start_month_is_not_expected(network):
    lock(network, "2025-02")
    frame = run_query(network, "reporting_by_organisation_month", period=parse_period("2025-02"), scope=Scope())
    assert states(frame) == [("aalto", "2025-02", "not_expected"), ("pohja", "2025-02", "locked")]

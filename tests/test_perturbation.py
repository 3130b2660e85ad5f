"""The perturbed rows behind every member and board view (warehouse migration 005), on real
DuckDB warehouses: the table of values a small count can become, that every view sums the same
perturbed rows, that the secret key is the warehouse's own and survives a rebuild."""

from collections import Counter, defaultdict

import pytest
from helpers_warehouse import add_org, insert_rows, new_warehouse

from queries import run_query
from queries.periods import parse_period
from queries.scope import Scope
from warehouse import Warehouse

BOARD = Scope(exact=False, threshold=5)
THRESHOLD = 5


def perturbed(wh: Warehouse, value: int, salt: str, protect_below: int | None = THRESHOLD) -> int:
    cur = wh.cursor()
    try:
        return cur.execute("select perturbed_count(?, ?, ?)", [value, protect_below, salt]).fetchone()[0]
    finally:
        cur.close()


def spread(value: int) -> int:
    return min(2, value - 1)


@pytest.fixture(scope="module")
def draws():
    """value -> Counter of what 3 000 different rows of that value became."""
    wh = new_warehouse()
    cur = wh.cursor()
    rows = cur.execute(
        "select v, perturbed_count(v, 5, 'row ' || i) from range(1, 8) a(v), range(3000) b(i)").fetchall()
    out = defaultdict(Counter)
    for value, result in rows:
        out[value][result] += 1
    return out


@pytest.mark.parametrize("value", [1, 2, 3, 4])
def test_a_small_count_becomes_a_value_within_two_never_zero_and_unbiased(draws, value):
    seen = draws[value]
    assert set(seen) == set(range(value - spread(value), value + spread(value) + 1))
    assert min(seen) >= 1                                    # a row with activity never reads 0
    n = sum(seen.values())
    mean = sum(v * c for v, c in seen.items()) / n
    assert abs(mean - value) < 0.1                           # zero mean: totals stay honest
    for count in seen.values():                              # each offset about equally likely
        assert abs(count / n - 1 / len(seen)) < 0.05


@pytest.mark.parametrize("value", [5, 6, 7])
def test_counts_from_the_threshold_up_are_exact(draws, value):
    assert set(draws[value]) == {value}


def test_zero_null_and_an_exact_view_are_left_alone():
    wh = new_warehouse()
    assert perturbed(wh, 0, "x") == 0
    assert perturbed(wh, None, "x") is None
    assert {perturbed(wh, 3, f"x{i}", protect_below=None) for i in range(50)} == {3}


def test_every_value_seen_could_come_from_at_least_two_true_counts(draws):
    """What the attacker who knows this table learns from one perturbed row: never one answer."""
    sources = defaultdict(set)
    for value, seen in draws.items():
        for result in seen:
            sources[result].add(value)
    for result, values in sources.items():
        if any(v < THRESHOLD for v in values):
            assert len(values) >= 2, (result, values)


def test_the_same_row_draws_the_same_value_every_time_and_a_key_is_the_warehouses_own(tmp_path):
    one, other = Warehouse(str(tmp_path / "one.duckdb")), Warehouse(str(tmp_path / "other.duckdb"))
    salts = [f"row {i}" for i in range(200)]
    first = [perturbed(one, 3, s) for s in salts]
    assert first == [perturbed(one, 3, s) for s in salts]
    one.close()
    reopened = Warehouse(str(tmp_path / "one.duckdb"))
    assert first == [perturbed(reopened, 3, s) for s in salts]
    # another warehouse has its own random key: its draws differ
    assert first != [perturbed(other, 3, s) for s in salts]


def _network() -> Warehouse:
    wh = new_warehouse()
    # a known key, so that what the draws come to is the same on every run
    with wh.transaction() as cur:
        cur.execute("update privacy_key set key = 'a key for tests'")
    for code in ("org_a", "org_b"):
        add_org(wh, code)
    rows = []
    for m in ("2025-01", "2025-02", "2025-03"):
        for kind, count in (("vertaistukitapaaminen", 3), ("tyoparityo", 2), ("koulutus", 3)):
            for sector, municipality in (("neuvola", "Turku"), ("koulu", "Salo")):
                rows.append(dict(activity_month=m, activity_type=kind, count_activities=count,
                                 target_sector=sector, municipality=municipality, people_reached=4))
    insert_rows(wh, "toiminta", rows, org_code="org_a")
    insert_rows(wh, "toiminta", rows, org_code="org_b")
    insert_rows(wh, "asenteet", [dict(answer_month="2025-02", respondent_group="vanhempi", measurement_point="ennen",
                                      attitude_stage=s, count_respondents=n) for s, n in ((1, 2), (3, 4), (5, 9))],
                org_code="org_a")
    return wh


def test_every_view_sums_the_same_perturbed_rows():
    wh = _network()
    quarter = parse_period("2025Q1")
    by_type = run_query(wh, "activities_by_type", period=quarter, scope=BOARD).set_index("activity_type")
    by_month = run_query(wh, "activities_by_month", period=quarter, scope=BOARD)
    per_month = sum(run_query(wh, "activities_by_type", period=parse_period(m), scope=BOARD)
                    .set_index("activity_type")["count_activities"]
                    for m in ("2025-01", "2025-02", "2025-03"))
    per_org = sum(run_query(wh, "activities_by_type", period=quarter, scope=Scope(org_codes=[o], exact=False))
                  .set_index("activity_type")["count_activities"] for o in ("org_a", "org_b"))
    per_sector = sum(run_query(wh, "activities_by_type", period=quarter, scope=Scope(sectors=[s], exact=False))
                     .set_index("activity_type")["count_activities"] for s in ("neuvola", "koulu"))
    totals = by_type["count_activities"].sort_index()
    for other in (per_month, per_org, per_sector, by_month.groupby("activity_type")["count_activities"].sum()):
        assert other.sort_index().to_dict() == totals.to_dict()


def test_organisational_work_requests_and_capacity_are_exact_client_work_and_people_are_not():
    wh = _network()
    quarter = parse_period("2025Q1")
    exact = run_query(wh, "activities_by_type", period=quarter, scope=Scope()).set_index("activity_type")
    board = run_query(wh, "activities_by_type", period=quarter, scope=BOARD).set_index("activity_type")
    assert board.loc["koulutus", "count_activities"] == exact.loc["koulutus", "count_activities"] == 36
    # 36 rows of 3 meetings and 36 of 2 pair sessions: the draws move the totals, a little
    assert board.loc["vertaistukitapaaminen", "count_activities"] != 36 * 3 or \
        board.loc["tyoparityo", "count_activities"] != 36 * 2 or \
        board["count_people_reached"].sum() != exact["count_people_reached"].sum()
    for kind in ("vertaistukitapaaminen", "tyoparityo"):
        assert abs(board.loc[kind, "count_activities"] - exact.loc[kind, "count_activities"]) <= 2 * 12
    stages = run_query(wh, "attitudes_by_stage", period=quarter, scope=BOARD)
    assert stages.set_index("attitude_stage").loc[5, "count_respondents"] == 9   # 9 is not small


def test_a_rebuild_keeps_the_key_and_so_every_perturbed_value(tmp_path):
    from warehouse.rebuild import rebuild_from_archive

    source = Warehouse(str(tmp_path / "source.duckdb"))
    target = Warehouse(str(tmp_path / "target.duckdb"))
    salts = [f"row {i}" for i in range(100)]
    before = [perturbed(source, 4, s) for s in salts]
    assert before != [perturbed(target, 4, s) for s in salts]
    rebuild_from_archive(source, target)
    assert [perturbed(target, 4, s) for s in salts] == before

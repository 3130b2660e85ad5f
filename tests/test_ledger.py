"""The uploads ledger on a real (in-memory) DuckDB: replace-by-month, identical re-send, rollback."""

from datetime import date

import pandas as pd
import pytest

from data_sources.problems import CheckedUpload, Problem
from data_sources.vocabulary import SHEET_COLUMNS
from warehouse.ledger import (
    RollbackError,
    UploadRefused,
    list_uploads,
    preview_upload,
    rollback_upload,
    store_upload,
)
from warehouse.organisations import add_organisation


def activity_upload(name: str, rows: list[tuple[str, str, int]], content_hash: str | None = None):
    """An accepted Toiminta upload: rows of (month 'YYYY-MM', activity type, count)."""
    frame = pd.DataFrame(
        [
            {"source_row": i + 2, "org_code": None, "activity_month": pd.Timestamp(f"{m}-01"),
             "activity_type": kind, "count_activities": n}
            for i, (m, kind, n) in enumerate(rows)
        ],
        columns=list(SHEET_COLUMNS["toiminta"]),
    )
    return CheckedUpload(file_name=name, content_hash=content_hash or name, file_type="csv",
                         sheets={"toiminta": frame})


def totals_by_month(warehouse) -> dict[str, int]:
    cur = warehouse.cursor()
    rows = cur.execute(
        "select strftime(activity_month, '%Y-%m'), sum(count_activities)::int"
        " from activities group by 1 order by 1"
    ).fetchall()
    return dict(rows)


@pytest.fixture
def wh(make_warehouse):
    warehouse = make_warehouse()
    add_organisation(warehouse, "aurinko", "Aurinko ry", start_month=date(2025, 1, 1))
    add_organisation(warehouse, "kuu", "Kuu ry", start_month=date(2025, 1, 1))
    yield warehouse
    warehouse.close()


def store(wh, upload, org="aurinko"):
    return store_upload(wh, upload, len(upload.file_name), uploaded_by="test", org_code=org,
                        source="cli")


def test_first_upload_adds_its_rows(wh):
    result = store(wh, activity_upload("q1.csv", [("2025-01", "koulutus", 3), ("2025-02", "media", 2)]))
    assert (result.rows_added, result.rows_replaced, result.unchanged) == (2, 0, False)
    assert totals_by_month(wh) == {"2025-01": 3, "2025-02": 2}


def test_upload_replaces_exactly_its_own_sheet_months(wh):
    store(wh, activity_upload("q1.csv", [("2025-01", "koulutus", 3), ("2025-02", "media", 2),
                                         ("2025-03", "paneeli", 1)]))
    store(wh, activity_upload("kuu.csv", [("2025-02", "koulutus", 7)]), org="kuu")
    result = store(wh, activity_upload("feb.csv", [("2025-02", "media", 5), ("2025-02", "media", 1)]))
    assert (result.rows_added, result.rows_replaced) == (2, 1)
    # January and March of aurinko stay; kuu's February stays; aurinko's February is replaced
    assert totals_by_month(wh) == {"2025-01": 3, "2025-02": 7 + 6, "2025-03": 1}


def test_identical_resend_changes_nothing(wh):
    upload = activity_upload("q1.csv", [("2025-01", "koulutus", 3)])
    first = store(wh, upload)
    again = store(wh, activity_upload("q1 (copy).csv", [("2025-01", "koulutus", 3)], content_hash="q1.csv"))
    assert again.unchanged and again.upload_id == first.upload_id
    assert len(list_uploads(wh)) == 1
    assert totals_by_month(wh) == {"2025-01": 3}


def test_preview_names_what_would_be_replaced(wh):
    store(wh, activity_upload("first.csv", [("2025-01", "koulutus", 3), ("2025-01", "media", 1)]))
    preview = preview_upload(wh, activity_upload("second.csv", [("2025-01", "koulutus", 4),
                                                                ("2025-02", "media", 1)]), "aurinko")
    assert (preview.rows_added, preview.rows_replaced) == (2, 2)
    assert [r.file_name for r in preview.superseded] == ["first.csv"]
    assert preview.months == [date(2025, 1, 1), date(2025, 2, 1)]
    assert totals_by_month(wh) == {"2025-01": 4}  # a preview changes nothing


def test_preview_gives_each_sheet_month_its_headline_total_before_and_after(wh):
    store(wh, activity_upload("maaliskuu.csv", [("2025-03", "koulutus", 30), ("2025-03", "media", 10),
                                                 ("2025-04", "media", 8)]))
    preview = preview_upload(wh, activity_upload("korjaus.csv", [("2025-03", "koulutus", 4),
                                                                ("2025-04", "media", 6),
                                                                ("2025-05", "media", 2)]), "aurinko")
    seen = [(f"{c.period_month:%Y-%m}", c.count_new_rows, c.headline_before, c.headline_total,
             c.is_large_change, c.replaced.file_name if c.replaced else None,
             c.replaced.uploaded_by if c.replaced else None) for c in preview.changes]
    assert seen == [
        ("2025-03", 1, 40, 4, True, "maaliskuu.csv", "test"),     # 40 → 4: more than half gone
        ("2025-04", 1, 8, 6, False, "maaliskuu.csv", "test"),
        ("2025-05", 1, None, 2, False, None, None),               # nothing stored yet
    ]


@pytest.mark.parametrize("before, after, large", [(10, 16, True), (10, 15, False), (10, 5, False), (10, 4, True)])
def test_a_change_of_more_than_half_is_large(wh, before, after, large):
    store(wh, activity_upload("a.csv", [("2025-03", "koulutus", before)]))
    preview = preview_upload(wh, activity_upload("b.csv", [("2025-03", "koulutus", after)]), "aurinko")
    assert [c.is_large_change for c in preview.changes] == [large]


def test_rollback_restores_what_the_upload_replaced(wh):
    store(wh, activity_upload("v1.csv", [("2025-01", "koulutus", 3), ("2025-02", "media", 2)]))
    second = store(wh, activity_upload("v2.csv", [("2025-02", "media", 9), ("2025-03", "media", 1)]))
    assert totals_by_month(wh) == {"2025-01": 3, "2025-02": 9, "2025-03": 1}
    rollback_upload(wh, second.upload_id, actor="test")
    assert totals_by_month(wh) == {"2025-01": 3, "2025-02": 2}
    with pytest.raises(RollbackError):
        rollback_upload(wh, second.upload_id, actor="test")


def test_refused_upload_cannot_be_stored(wh):
    upload = activity_upload("bad.csv", [("2025-01", "koulutus", 3)])
    upload.errors.append(Problem("bad_date", sheet="toiminta", row=2))
    with pytest.raises(UploadRefused):
        store(wh, upload)
    assert totals_by_month(wh) == {}


def test_every_step_is_in_the_audit_log(wh):
    first = store(wh, activity_upload("v1.csv", [("2025-01", "koulutus", 3)]))
    store(wh, activity_upload("v1.csv", [("2025-01", "koulutus", 3)]))
    rollback_upload(wh, first.upload_id, actor="coordinator")
    actions = [row[0] for row in wh.cursor().execute(
        "select action from audit_log where action like 'upload%' order by event_id").fetchall()]
    assert actions == ["upload_stored", "upload_unchanged", "upload_rolled_back"]

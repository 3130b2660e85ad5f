"""The attacker's view of the warehouse file: every case of the privacy corpus is sent through
the real import path into one warehouse — the refused ones leave an audit entry, the accepted
ones (warnings only) rows, a ledger entry and an archived copy — and then the file's bytes
(and its write-ahead log) are searched for every planted secret, and for the staff name and
free text the clean files carry. Nothing may be found."""

import re
from datetime import date

import pytest

from tests.privacy_corpus import STAFF, clean_ods, clean_xls, clean_xlsx, corpus
from warehouse import Warehouse
from warehouse.imports import import_file
from warehouse.organisations import add_organisation

pytestmark = pytest.mark.slow


def encodings(secret: str) -> list[bytes]:
    return [secret.encode("utf-8"), secret.encode("utf-16-le")]


HASH_RUN = re.compile(rb"[0-9a-f]{64}")


def leaked(form: bytes, stored: bytes) -> bool:
    """`form` is in `stored` other than by chance inside a SHA-256 in hex (a content hash): a
    short secret of digits, the last four of an identity code, is in one such hash of the
    ledger in a few runs in a hundred (the test files' hashes differ with their dates)."""
    hashes = [match.span() for match in HASH_RUN.finditer(stored)] if form.isalnum() else []
    start = stored.find(form)
    while start != -1:
        if not any(a <= start and start + len(form) <= b for a, b in hashes):
            return True
        start = stored.find(form, start + 1)
    return False


def test_a_secret_inside_a_content_hash_is_chance_and_anywhere_else_a_leak():
    digest = b"ab" * 10 + b"1820" + b"cd" * 20
    assert not leaked(b"1820", b"hash " + digest + b" end")
    assert leaked(b"1820", b"hash " + digest + b" row 1820")
    assert leaked(b"1820", b"x1820y") and not leaked(b"1820", b"nothing")


def test_no_planted_secret_reaches_the_warehouse_file(tmp_path):
    path = tmp_path / "wh.duckdb"
    cases = corpus()
    outcomes = {}
    with Warehouse(str(path)) as wh:
        add_organisation(wh, "aurinko", "Aurinko ry", start_month=date(2024, 1, 1))
        for case in cases:
            outcome = import_file(wh, case.file_name, case.data, org_code="aurinko", uploaded_by="test",
                                  source="cli", today=date(2025, 7, 1))
            outcomes[case.name] = outcome.stored is not None
        for name, make in (("puhdas.xlsx", clean_xlsx), ("puhdas.ods", clean_ods), ("puhdas.xls", clean_xls)):
            outcome = import_file(wh, name, make(), org_code="aurinko", uploaded_by="test", source="cli",
                                  today=date(2025, 7, 1))
            assert outcome.stored is not None, [p.code for p in outcome.checked.errors]
        cur = wh.cursor()
        refused = cur.execute("select count(*) from audit_log where action = 'upload_refused'").fetchone()[0]
    # every case that is refused left its note; some (warnings only) were stored
    assert refused == sum(1 for stored in outcomes.values() if not stored)
    assert any(outcomes.values()) and not all(outcomes.values())
    stored = path.read_bytes()
    wal = path.with_name(path.name + ".wal")
    if wal.exists():
        stored += wal.read_bytes()
    assert b"Aurinko ry" in stored      # the search does see what the warehouse holds
    found = [(case.name, secret) for case in cases for secret in case.secrets
             if any(leaked(form, stored) for form in encodings(secret))]
    assert found == []
    assert not any(form in stored for form in encodings(STAFF))   # the author property is never kept

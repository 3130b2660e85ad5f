"""Roles, domain rules and period locks in a real (in-memory) DuckDB warehouse, and the audit
log they write: every refusal changes nothing and says why by its code."""

from datetime import date

import pytest

from tests.test_ledger import totals_by_month
from warehouse import Warehouse
from warehouse.access import (
    AccessError,
    access_for,
    list_audit,
    list_locks,
    list_people,
    lock_months,
    remove_domain_rule,
    remove_person,
    set_domain_rule,
    set_person,
    unlock_months,
)
from warehouse.imports import check_file, import_file
from warehouse.ledger import PeriodLocked, RollbackError, rollback_upload, store_upload
from warehouse.organisations import RegistryError, add_organisation, list_organisations, update_organisation
from warehouse.rebuild import rebuild_from_archive

BOSS = "johto@verkosto.fi"


@pytest.fixture
def wh():
    warehouse = Warehouse(":memory:")
    for code, name in (("aurinko", "Aurinkoranta ry"), ("tuuli", "Tuulensuu ry")):
        add_organisation(warehouse, code, name, start_month=date(2025, 1, 1))
    set_person(warehouse, BOSS, "leadership", actor="setup")
    return warehouse


def events(warehouse, action):
    log = list_audit(warehouse, actions=[action])
    return list(zip(log["actor"], log["org_code"].fillna(""), strict=True))


def csv_of(rows: list[tuple[str, str, int]], org: str | None = None) -> bytes:
    head = "Organisaatio;Kuukausi;Toimintamuoto;Määrä\n" if org else "Kuukausi;Toimintamuoto;Määrä\n"
    return (head + "".join(f"{org + ';' if org else ''}{m};{kind};{n}\n" for m, kind, n in rows)).encode()


# ---- people and domain rules ---------------------------------------------------------------


def test_a_person_is_found_by_email_before_their_domains_rule(wh):
    set_domain_rule(wh, "Aurinkoranta.FI", "member", "aurinko", actor=BOSS)
    set_person(wh, " Hallitus@Aurinkoranta.fi ", "board", actor=BOSS)
    assert access_for(wh, "liisa@aurinkoranta.fi").role == "member"
    assert access_for(wh, "liisa@aurinkoranta.fi").org_code == "aurinko"
    assert access_for(wh, "HALLITUS@aurinkoranta.fi").role == "board"          # the person's own entry wins
    assert access_for(wh, "liisa@aurinkoranta.fi.attacker.example") is None    # not the domain
    assert access_for(wh, "liisa@sub.aurinkoranta.fi") is None                 # nor a subdomain
    assert access_for(wh, "aurinkoranta.fi") is None
    assert access_for(wh, "") is None and access_for(wh, None) is None


def test_a_non_ascii_look_alike_never_folds_onto_a_person(wh):
    set_person(wh, "kalle@mail.example", "board", actor=BOSS)
    set_domain_rule(wh, "aurinkoranta.fi", "member", "aurinko", actor=BOSS)
    assert access_for(wh, "kalle@mail.example").role == "board"
    assert access_for(wh, "\u212aalle@mail.example") is None          # Kelvin sign, lower-cases to "k"
    assert access_for(wh, "liisa@aurin\u212aoranta.fi") is None       # nor onto a domain's rule
    assert access_for(wh, "k\u0430lle@mail.example") is None          # Cyrillic a
    with pytest.raises(AccessError):
        set_person(wh, "k\u00e4lle@mail.example", "board", actor=BOSS)  # and nobody is stored so


@pytest.mark.parametrize(("email", "role", "org", "code"), [
    ("not-an-address", "board", None, "bad_email"),
    ("a@b", "board", None, "bad_email"),
    ("a@b.fi", "admin", None, "bad_role"),
    ("a@b.fi", "member", None, "member_needs_org"),
    ("a@b.fi", "board", "aurinko", "org_only_for_members"),
    ("a@b.fi", "member", "nobody", "unknown_org"),
])
def test_a_person_who_cannot_be_added_is_refused_by_its_code_and_nothing_changes(wh, email, role, org, code):
    before = list_people(wh)
    with pytest.raises(AccessError) as refused:
        set_person(wh, email, role, org, actor=BOSS)
    assert refused.value.code == code
    assert list_people(wh).equals(before)


def test_the_last_leadership_person_can_be_neither_removed_nor_demoted(wh):
    with pytest.raises(AccessError) as refused:
        remove_person(wh, BOSS, actor=BOSS)
    assert refused.value.code == "last_leader"
    with pytest.raises(AccessError):
        set_person(wh, BOSS, "board", actor=BOSS)
    assert access_for(wh, BOSS).role == "leadership"
    set_person(wh, "toinen@verkosto.fi", "leadership", actor=BOSS)
    remove_person(wh, BOSS, actor="toinen@verkosto.fi")
    assert access_for(wh, BOSS) is None


@pytest.mark.parametrize(("domain", "role", "org", "code"), [
    ("gmail.com", "member", "aurinko", "public_domain"),
    ("@Outlook.com", "board", None, "public_domain"),
    ("verkosto.fi", "leadership", None, "bad_role"),       # leadership only one person at a time
    ("not a domain", "board", None, "bad_domain"),
    ("fi", "board", None, "bad_domain"),
    ("tuuli.fi", "member", None, "member_needs_org"),
])
def test_a_domain_rule_that_would_let_too_many_in_is_refused(wh, domain, role, org, code):
    with pytest.raises(AccessError) as refused:
        set_domain_rule(wh, domain, role, org, actor=BOSS)
    assert refused.value.code == code
    assert access_for(wh, "someone@" + domain.strip("@").lower()) is None


def test_role_changes_are_logged_with_the_person_who_made_them(wh):
    set_person(wh, "liisa@aurinkoranta.fi", "member", "aurinko", actor=BOSS)
    set_person(wh, "liisa@aurinkoranta.fi", "board", actor=BOSS)
    remove_person(wh, "liisa@aurinkoranta.fi", actor=BOSS)
    set_domain_rule(wh, "tuuli.fi", "member", "tuuli", actor=BOSS)
    remove_domain_rule(wh, "tuuli.fi", actor=BOSS)
    log = list_audit(wh)
    mine = log[log["actor"] == BOSS]
    assert list(mine["action"])[::-1] == ["person_added", "person_changed", "person_removed",
                                          "domain_rule_added", "domain_rule_removed"]
    assert '"before": {"role": "member", "org_code": "aurinko"}' in mine.iloc[3]["details"]


# ---- organisations -------------------------------------------------------------------------


def test_an_organisation_is_edited_with_the_same_checks_as_a_new_one(wh):
    update_organisation(wh, "aurinko", name="Aurinkoranta ry", start_month=date(2024, 6, 15),
                        municipality="Åbo", aliases=("Aurinko", " Aurinkorannan yhdistys ", "Aurinko"), actor=BOSS)
    org = next(o for o in list_organisations(wh) if o.org_code == "aurinko")
    assert (org.start_month, org.municipality, org.aliases) == (
        date(2024, 6, 1), "Turku", ("Aurinko", "Aurinkorannan yhdistys"))
    for kwargs, code in [
        ({"name": "Tuulensuu ry"}, "name_taken"),                      # another's name
        ({"name": "Aurinko", "aliases": ("Tuulensuu ry",)}, "name_taken"),
        ({"name": " "}, "name_needed"),
        ({"name": "Aurinko", "municipality": "Matti Meikäläinen"}, "unknown_municipality"),
        ({"name": "Aurinko 040 123 4567"}, "personal_name"),
    ]:
        with pytest.raises(RegistryError) as refused:
            update_organisation(wh, "aurinko", start_month=date(2025, 1, 1), actor=BOSS,
                                **{"aliases": (), **kwargs})
        assert refused.value.code == code, kwargs
    assert next(o for o in list_organisations(wh) if o.org_code == "aurinko") == org   # nothing changed
    assert [a for a, _ in events(wh, "org_changed")] == [BOSS]


# ---- locked months -------------------------------------------------------------------------


def test_a_month_locked_for_one_organisation_refuses_its_upload_and_no_other(wh):
    lock_months(wh, [date(2025, 3, 1)], "aurinko", actor=BOSS)
    rows = [("3/2025", "Vertaistukitapaaminen", 4)]
    refused = check_file(wh, "maalis.csv", csv_of(rows), org_code="aurinko")
    assert [(p.code, p.row) for p in refused.errors] == [("locked_period", 2)]
    assert check_file(wh, "maalis.csv", csv_of(rows), org_code="tuuli").ok
    # a network member's staff naming the organisation in the file is refused the same way
    named = check_file(wh, "maalis.csv", csv_of(rows, "Aurinkoranta ry"), org_code=None)
    assert [p.code for p in named.errors] == ["locked_period"]


def test_a_network_lock_refuses_every_organisation(wh):
    lock_months(wh, [date(2025, 3, 1)], actor=BOSS)
    for org in ("aurinko", "tuuli"):
        checked = check_file(wh, "maalis.csv", csv_of([("3/2025", "Muu", 1)]), org_code=org)
        assert [p.code for p in checked.errors] == ["locked_period"]


def test_a_month_locked_between_check_and_confirm_stores_nothing(wh):
    checked = check_file(wh, "maalis.csv", csv_of([("3/2025", "Muu", 2)]), org_code="aurinko")
    assert checked.ok
    lock_months(wh, [date(2025, 3, 1)], "aurinko", actor=BOSS)
    with pytest.raises(PeriodLocked):
        store_upload(wh, checked, 10, uploaded_by="liisa@aurinkoranta.fi", org_code="aurinko", source="app")
    assert totals_by_month(wh) == {}
    assert list_audit(wh, actions=["upload_stored"]).empty


def test_an_import_whose_month_is_locked_between_its_check_and_its_store_is_refused_by_row(wh, monkeypatch):
    """The command line's import: leadership locks the month while the file is being checked.
    The file is refused as if the lock had come first — its row named — and recorded once."""
    import warehouse.imports as imports

    real_check = imports.check_file

    def check_then_lock(*args, **kwargs):
        checked = real_check(*args, **kwargs)
        if not list_locks(wh).shape[0]:
            lock_months(wh, [date(2025, 3, 1)], "aurinko", actor=BOSS)
        return checked

    monkeypatch.setattr(imports, "check_file", check_then_lock)
    outcome = import_file(wh, "maalis.csv", csv_of([("2/2025", "Muu", 1), ("3/2025", "Muu", 2)]),
                          org_code="aurinko", uploaded_by="liisa@aurinkoranta.fi", source="cli")
    assert outcome.stored is None
    assert [(p.code, p.row) for p in outcome.checked.errors] == [("locked_period", 3)]
    assert totals_by_month(wh) == {}
    assert len(list_audit(wh, actions=["upload_refused"])) == 1
    assert list_audit(wh, actions=["upload_stored"]).empty


def test_an_import_whose_month_is_locked_before_every_store_is_refused_in_the_end(wh, monkeypatch):
    import warehouse.imports as imports

    real_check = imports.check_file
    checks = []

    def unlock_check_lock(*args, **kwargs):
        if list_locks(wh).shape[0]:
            unlock_months(wh, [date(2025, 3, 1)], "aurinko", actor=BOSS, reason="korjaus")
        checks.append(real_check(*args, **kwargs))
        lock_months(wh, [date(2025, 3, 1)], "aurinko", actor=BOSS)
        return checks[-1]

    monkeypatch.setattr(imports, "check_file", unlock_check_lock)
    with pytest.raises(PeriodLocked):
        import_file(wh, "maalis.csv", csv_of([("3/2025", "Muu", 2)]), org_code="aurinko",
                    uploaded_by="liisa@aurinkoranta.fi", source="cli")
    assert len(checks) == 3 and all(c.ok for c in checks)
    assert totals_by_month(wh) == {}
    refusals = list_audit(wh, actions=["upload_refused"])
    assert len(refusals) == 1 and "locked_period" in refusals["details"].iloc[0]


def test_a_rollback_touching_a_locked_month_is_refused_and_unlocking_needs_a_reason(wh):
    outcome = import_file(wh, "maalis.csv", csv_of([("3/2025", "Muu", 2)]), org_code="aurinko",
                          uploaded_by="liisa@aurinkoranta.fi", source="app")
    upload_id = outcome.stored.upload_id
    lock_months(wh, [date(2025, 3, 1), date(2025, 4, 1)], "aurinko", actor=BOSS)
    with pytest.raises(RollbackError) as refused:
        rollback_upload(wh, upload_id, actor="liisa@aurinkoranta.fi")
    assert refused.value.code == "locked_period"
    assert totals_by_month(wh) == {"2025-03": 2}
    for reason, code in [("", "reason_needed"), ("  ", "reason_needed"),
                         ("Matti Virtanen pyysi korjausta", "personal_reason"),
                         ("soita 040 123 4567", "personal_reason")]:
        with pytest.raises(AccessError) as no:
            unlock_months(wh, [date(2025, 3, 1)], "aurinko", actor=BOSS, reason=reason)
        assert no.value.code == code
    with pytest.raises(AccessError) as no:
        unlock_months(wh, [date(2025, 3, 1)], "tuuli", actor=BOSS, reason="korjaus")
    assert no.value.code == "not_locked"
    assert unlock_months(wh, [date(2025, 3, 1)], "aurinko", actor=BOSS, reason="maaliskuun korjaus") == 1
    rollback_upload(wh, upload_id, actor="liisa@aurinkoranta.fi")
    assert totals_by_month(wh) == {}
    assert list(list_locks(wh)["period_month"].dt.date) == [date(2025, 4, 1)]
    unlocked = list_audit(wh, actions=["months_unlocked"])
    assert list(unlocked["actor"]) == [BOSS]
    assert '"reason": "maaliskuun korjaus"' in unlocked.iloc[0]["details"]
    assert events(wh, "months_locked") == [(BOSS, "aurinko")]
    assert events(wh, "upload_rolled_back") == [("liisa@aurinkoranta.fi", "aurinko")]


def test_a_member_can_roll_back_only_its_own_organisations_uploads(wh):
    theirs = import_file(wh, "t.csv", csv_of([("3/2025", "Muu", 2)]), org_code="tuuli",
                         uploaded_by="x@tuuli.fi", source="app").stored.upload_id
    network = import_file(wh, "n.csv", csv_of([("3/2025", "Muu", 3)], "Aurinkoranta ry"), org_code=None,
                          uploaded_by=BOSS, source="app").stored.upload_id
    for upload_id in (theirs, network):
        with pytest.raises(RollbackError) as refused:
            rollback_upload(wh, upload_id, actor="liisa@aurinkoranta.fi", org_codes=["aurinko"])
        assert refused.value.code == "not_yours"
    assert totals_by_month(wh) == {"2025-03": 5}


def test_a_rebuild_keeps_people_rules_and_locks_and_replays_months_locked_later(wh, tmp_path):
    set_domain_rule(wh, "tuuli.fi", "member", "tuuli", actor=BOSS)
    import_file(wh, "maalis.csv", csv_of([("3/2025", "Muu", 2)]), org_code="aurinko", uploaded_by=BOSS, source="app")
    lock_months(wh, [date(2025, 3, 1)], "aurinko", actor=BOSS)
    lock_months(wh, [date(2025, 2, 1)], actor=BOSS)
    with Warehouse(str(tmp_path / "rebuilt.duckdb")) as target:
        rebuild_from_archive(wh, target)
        assert totals_by_month(target) == {"2025-03": 2}
        assert list_locks(target)[["org_code", "period_month"]].values.tolist() == \
            list_locks(wh)[["org_code", "period_month"]].values.tolist()
        assert access_for(target, "x@tuuli.fi").org_code == "tuuli"
        assert access_for(target, BOSS).role == "leadership"


def test_signing_in_and_out_keeps_the_data_version_and_every_change_of_data_moves_it(wh):
    """The data version keys every cached query, figure and view for all sessions: a sign-in
    (a refused one too, by anyone the identity provider verifies) must not empty them all."""
    from ui.context import data_version
    from warehouse.access import record_sign_in, record_sign_out

    before = data_version(wh)
    record_sign_in(wh, BOSS, issued_at=1)
    record_sign_in(wh, "vieras@example.org", issued_at=2, action="access_denied")
    record_sign_out(wh, BOSS)
    assert events(wh, "signed_in") and events(wh, "access_denied") and events(wh, "signed_out")
    assert data_version(wh) == before
    versions = [before]
    for change in (lambda: import_file(wh, "maalis.csv", csv_of([("3/2025", "Vertaistukitapaaminen", 4)]),
                                       org_code="aurinko", uploaded_by=BOSS, source="ui"),
                   lambda: lock_months(wh, [date(2025, 3, 1)], "aurinko", actor=BOSS),
                   lambda: set_person(wh, "kirsi@aurinko.fi", "member", "aurinko", actor=BOSS),
                   lambda: update_organisation(wh, "tuuli", name="Tuulensuu rf", start_month=date(2025, 1, 1),
                                               actor=BOSS)):
        change()
        versions.append(data_version(wh))
    assert versions == sorted(set(versions)), versions

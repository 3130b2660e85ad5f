"""The Admin and Audit pages as leadership uses them (AppTest, signed in): every change is made
through the page's own forms, every refusal is said in the user's language and changes nothing,
and each one appears in the audit log under the person who made it."""

from datetime import date

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import i18n
from tests.test_roles import BOSS, signed_in
from warehouse import Warehouse
from warehouse.access import access_for, list_audit, list_locks, set_person
from warehouse.organisations import add_organisation, list_organisations


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "admin.duckdb"
    with Warehouse(str(path)) as wh:
        add_organisation(wh, "aurinko", "Aurinkoranta ry", start_month=date(2025, 1, 1))
        set_person(wh, BOSS, "leadership", actor="setup")
    return path


def open_as_boss(db, monkeypatch, page: str, lang: str = "fi") -> AppTest:
    return signed_in(db, monkeypatch, BOSS, page, lang)


def submit(at, label: str, form_key: str) -> AppTest:
    button = next(b for b in at.button if b.label == label and b.proto.form_id == form_key)
    button.click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_leadership_adds_a_member_and_the_refusals_say_why_in_its_language(db, monkeypatch):
    at = open_as_boss(db, monkeypatch, "pages/admin.py")
    at.text_input(key="admin_person_target").input("Liisa@Aurinkoranta.fi")
    at.selectbox(key="admin_person_role").set_value("member")
    at.selectbox(key="admin_person_org").set_value("aurinko")
    submit(at, "Tallenna", "admin_person_form")
    assert [s.value for s in at.success] == ["Henkilön liisa\\@\u2060aurinkoranta\\.fi rooli on tallennettu."]
    with Warehouse(str(db)) as wh:
        assert access_for(wh, "liisa@aurinkoranta.fi").org_code == "aurinko"

    for email, role, org, message in [
        ("ei-osoite", "board", "", i18n.t("fi", "admin.error.bad_email")),
        ("a@b.fi", "member", "", i18n.t("fi", "admin.error.member_needs_org")),
    ]:
        at.text_input(key="admin_person_target").input(email)
        at.selectbox(key="admin_person_role").set_value(role)
        at.selectbox(key="admin_person_org").set_value(org)
        submit(at, "Tallenna", "admin_person_form")
        assert [e.value for e in at.error] == [message]
    at.selectbox(key="admin_person_remove").set_value(BOSS)
    submit(at, "Poista", "admin_person_remove_form")
    assert [e.value for e in at.error] == [i18n.t("fi", "admin.error.last_leader")]
    with Warehouse(str(db)) as wh:
        assert access_for(wh, BOSS).role == "leadership"
        assert access_for(wh, "a@b.fi") is None
        assert list(list_audit(wh, actions=["person_added"])["actor"]) == [BOSS, "setup"]


def test_a_domain_rule_for_a_public_mail_service_is_refused_in_swedish(db, monkeypatch):
    at = open_as_boss(db, monkeypatch, "pages/admin.py", lang="sv")
    at.text_input(key="admin_domain_target").input("gmail.com")
    at.selectbox(key="admin_domain_role").set_value("board")
    submit(at, "Spara", "admin_domain_form")
    assert [e.value for e in at.error] == [i18n.t("sv", "admin.error.public_domain", domain="gmail\\.com")]


def test_organisations_are_added_and_edited_on_the_page(db, monkeypatch):
    at = open_as_boss(db, monkeypatch, "pages/admin.py")
    at.text_input(key="admin_org_code").input("majakka")
    at.text_input(key="admin_org_name").input("Perhemajakka ry")
    at.text_input(key="admin_org_aliases").input("Majakka, Perhemajakka")
    at.selectbox(key="admin_org_municipality").set_value("Salo")
    submit(at, "Tallenna", "admin_org_add_form")
    assert [s.value for s in at.success] == ["Järjestö Perhemajakka ry on lisätty."]
    # a name another organisation already has: refused, nothing changes
    at.text_input(key="admin_org_code").input("toinen")
    at.text_input(key="admin_org_name").input("Aurinkoranta ry")
    submit(at, "Tallenna", "admin_org_add_form")
    assert [e.value for e in at.error] == [i18n.t("fi", "admin.error.name_taken", text="Aurinkoranta ry",
                                                  org="aurinko")]
    at.selectbox(key="admin_org_edit").set_value("majakka")
    at.run()
    at.text_input(key="admin_edit_name_majakka").input("Perhemajakka rf")
    submit(at, "Tallenna", "admin_org_edit_form_majakka")
    with Warehouse(str(db)) as wh:
        orgs = {o.org_code: o for o in list_organisations(wh)}
        assert set(orgs) == {"aurinko", "majakka"}
        assert (orgs["majakka"].org_name, orgs["majakka"].municipality, orgs["majakka"].aliases) == (
            "Perhemajakka rf", "Salo", ("Majakka", "Perhemajakka"))
        assert list(list_audit(wh, actions=["org_added", "org_changed"])["actor"]) == [BOSS, BOSS, "system"]


def test_months_are_locked_and_unlocked_with_a_reason_and_the_audit_log_says_who(db, monkeypatch):
    at = open_as_boss(db, monkeypatch, "pages/admin.py")
    months = at.multiselect(key="admin_lock_months").options
    at.selectbox(key="admin_lock_scope").set_value("aurinko")
    at.multiselect(key="admin_lock_months").set_value([months[0], months[1]])
    submit(at, "Lukitse", "admin_lock_form")
    assert [s.value for s in at.success] == ["Lukittu: 2 kuukautta (Aurinkoranta ry)."]
    with Warehouse(str(db)) as wh:
        locked = list_locks(wh)
    assert list(locked["org_code"]) == ["aurinko", "aurinko"]

    at.selectbox(key="admin_unlock_scope").set_value("aurinko")
    at.multiselect(key="admin_unlock_months").set_value([locked["period_month"].iloc[0]])
    at.text_input(key="admin_unlock_reason").input("Matti Virtanen pyysi")
    submit(at, "Avaa lukitus", "admin_unlock_form")
    assert [e.value for e in at.error] == [i18n.t("fi", "admin.error.personal_reason")]
    at.selectbox(key="admin_unlock_scope").set_value("aurinko")
    at.multiselect(key="admin_unlock_months").set_value([locked["period_month"].iloc[0]])
    at.text_input(key="admin_unlock_reason").input("järjestö korjaa luvut")
    submit(at, "Avaa lukitus", "admin_unlock_form")
    assert [s.value for s in at.success] == ["Lukitus avattu: 1 kuukausi (Aurinkoranta ry)."]
    with Warehouse(str(db)) as wh:
        assert len(list_locks(wh)) == 1

    log = open_as_boss(db, monkeypatch, "pages/audit.py")
    table = log.dataframe[0].value
    what = dict(zip(table["Tapahtuma"], table["Kuka"], strict=False))
    assert what["Kuukausia lukittu"] == BOSS and what["Lukitus avattu"] == BOSS
    assert what["Kirjautui sisään"] == BOSS
    unlocked = table[table["Tapahtuma"] == "Lukitus avattu"].iloc[0]
    assert "syy: järjestö korjaa luvut" in unlocked["Tiedot"] and unlocked["Järjestö"] == "Aurinkoranta ry"
    assert re_helsinki(unlocked["Aika"])


def re_helsinki(text: str) -> bool:
    import re

    return bool(re.fullmatch(r"\d{1,2}\.\d{1,2}\.\d{4} \d{1,2}\.\d{2} EES?T", text))


def test_the_audit_log_can_be_narrowed_to_some_events(db, monkeypatch):
    at = open_as_boss(db, monkeypatch, "pages/audit.py")
    at.multiselect(key="audit_actions").set_value(["person_added"])
    at.run()
    table = at.dataframe[0].value
    assert set(table["Tapahtuma"]) == {"Henkilö lisätty"}
    assert isinstance(table, pd.DataFrame) and len(table) == 1


def test_the_admin_and_audit_pages_have_no_period_or_scope_filters(db, monkeypatch):
    for page in ("pages/admin.py", "pages/audit.py"):
        at = open_as_boss(db, monkeypatch, page)
        assert [s.label for s in at.sidebar.selectbox] == ["Kieli"]
        assert not at.sidebar.multiselect
    figures = open_as_boss(db, monkeypatch, "pages/overview.py")
    assert "Tarkastelujakso" in [s.label for s in figures.sidebar.selectbox]

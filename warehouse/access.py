"""Who may see and do what, kept in the warehouse: people and e-mail-domain rules mapped to a
role and an organisation, months locked per organisation or for the whole network, and the
audit log read back for leadership.

Roles (docs/deployment.md, "Sign-in and roles"):
- leadership: everything — exact counts, every organisation's uploads, Admin, Audit, locking;
- member: uploads for its own organisation only; its own organisation's figures exact, the
  network's protected;
- board: read-only, protected figures.

A person is found by e-mail first, then by the domain of the e-mail; a domain rule never gives
leadership (one person at a time does), and never names a public mail service's domain.
Every change is written to the audit log in the same transaction, with who made it.
"""

import re
from dataclasses import dataclass
from datetime import date

import pandas as pd

from warehouse import Warehouse
from warehouse.audit import now_utc, record_event

ROLES = ("leadership", "member", "board")
DOMAIN_ROLES = ("member", "board")
# addresses anyone can get: a rule for one of these would let the whole world in
PUBLIC_MAIL_DOMAINS = frozenset({
    "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "hotmail.fi", "live.com", "live.fi",
    "msn.com", "yahoo.com", "yahoo.fi", "icloud.com", "me.com", "proton.me", "protonmail.com",
    "gmx.com", "gmx.net", "aol.com", "mail.com", "luukku.com", "suomi24.fi", "kolumbus.fi",
})
# ASCII only: a provider's non-ASCII address is nobody's here (lower-casing the Kelvin sign
# U+212A gives "k": johto@ver\u212aosto.fi would otherwise be johto@verkosto.fi)
EMAIL = re.compile(r"^[!-?A-~]+@([a-z0-9-]+(\.[a-z0-9-]+)+)$")
DOMAIN = re.compile(r"^[a-z0-9-]+(\.[a-z0-9-]+)+$")
NETWORK = "*"   # the org_code of a lock that holds for every organisation


class AccessError(ValueError):
    """A change that cannot be made: `code` names the reason (i18n admin.error.<code>)."""

    def __init__(self, code: str, message: str, **params):
        super().__init__(message)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Access:
    role: str
    org_code: str | None     # a member's organisation
    rule: str                # "person" or "domain"


def normalise_email(email: str) -> str:
    """Stripped and lower-cased; a non-ASCII address is kept as written, so that it matches no
    one (EMAIL refuses it) instead of folding onto somebody's ASCII address."""
    email = (email or "").strip()
    return email.lower() if email.isascii() else email


def _check_role(role: str, org_code: str | None, roles=ROLES) -> None:
    if role not in roles:
        raise AccessError("bad_role", f"role {role!r}: use one of {', '.join(roles)}", role=role)
    if role == "member" and not org_code:
        raise AccessError("member_needs_org", "a member needs an organisation")
    if role != "member" and org_code:
        raise AccessError("org_only_for_members", "only a member belongs to an organisation")


def _check_org(cur, org_code: str | None) -> None:
    if org_code and not cur.execute("select 1 from organisations where org_code = ?", [org_code]).fetchone():
        raise AccessError("unknown_org", f"no organisation {org_code!r}", org=org_code)


def set_person(warehouse: Warehouse, email: str, role: str, org_code: str | None = None, *,
               actor: str) -> None:
    """Add a person, or change the role or organisation of one already there."""
    email = normalise_email(email)
    if not EMAIL.match(email):
        raise AccessError("bad_email", f"{email!r} is not an e-mail address")
    _check_role(role, org_code)
    def _change(cur):
        _check_org(cur, org_code)
        before = cur.execute("select role, org_code from people where email = ?", [email]).fetchone()
        if before is not None and before[0] == "leadership" and role != "leadership":
            _keep_one_leader(cur, email)
        cur.execute("delete from people where email = ?", [email])  # one row per person, on both warehouses
        cur.execute("insert into people (email, role, org_code, added_at, added_by) values (?, ?, ?, ?, ?)",
                    [email, role, org_code, now_utc(), actor])
        record_event(cur, actor, "person_changed" if before else "person_added", org_code=org_code,
                     details={"email": email, "role": role,
                              **({"before": {"role": before[0], "org_code": before[1]}} if before else {})})

    warehouse.write(_change)


def _keep_one_leader(cur, leaving: str) -> None:
    others = cur.execute("select count(*) from people where role = 'leadership' and email <> ?",
                         [leaving]).fetchone()[0]
    if others == 0:
        raise AccessError("last_leader", "the last leadership person cannot be removed or demoted")


def remove_person(warehouse: Warehouse, email: str, *, actor: str) -> None:
    email = normalise_email(email)
    def _change(cur):
        before = cur.execute("select role, org_code from people where email = ?", [email]).fetchone()
        if before is None:
            raise AccessError("unknown_person", f"no person {email!r}", email=email)
        if before[0] == "leadership":
            _keep_one_leader(cur, email)
        cur.execute("delete from people where email = ?", [email])
        record_event(cur, actor, "person_removed", org_code=before[1],
                     details={"email": email, "role": before[0]})

    warehouse.write(_change)


def set_domain_rule(warehouse: Warehouse, domain: str, role: str, org_code: str | None = None, *,
                    actor: str) -> None:
    """Everyone whose e-mail ends in @`domain` gets `role` (member of `org_code`, or board)."""
    domain = normalise_email(domain).lstrip("@")
    if not DOMAIN.match(domain):
        raise AccessError("bad_domain", f"{domain!r} is not an e-mail domain", domain=domain)
    if domain in PUBLIC_MAIL_DOMAINS:
        raise AccessError("public_domain", f"{domain} is a public mail service: add its people one by one",
                          domain=domain)
    _check_role(role, org_code, DOMAIN_ROLES)
    def _change(cur):
        _check_org(cur, org_code)
        before = cur.execute("select role, org_code from domain_rules where domain = ?", [domain]).fetchone()
        cur.execute("delete from domain_rules where domain = ?", [domain])  # one rule per domain
        cur.execute("insert into domain_rules (domain, role, org_code, added_at, added_by) values (?, ?, ?, ?, ?)",
                    [domain, role, org_code, now_utc(), actor])
        record_event(cur, actor, "domain_rule_changed" if before else "domain_rule_added", org_code=org_code,
                     details={"domain": domain, "role": role})

    warehouse.write(_change)


def remove_domain_rule(warehouse: Warehouse, domain: str, *, actor: str) -> None:
    domain = normalise_email(domain).lstrip("@")
    def _change(cur):
        before = cur.execute("select role, org_code from domain_rules where domain = ?", [domain]).fetchone()
        if before is None:
            raise AccessError("unknown_domain", f"no rule for {domain!r}", domain=domain)
        cur.execute("delete from domain_rules where domain = ?", [domain])
        record_event(cur, actor, "domain_rule_removed", org_code=before[1],
                     details={"domain": domain, "role": before[0]})

    warehouse.write(_change)


def access_for(warehouse: Warehouse, email: str | None) -> Access | None:
    """The role of the person signed in as `email`: their own entry, else their domain's rule."""
    email = normalise_email(email)
    match = EMAIL.match(email)
    if not match:
        return None
    cur = warehouse.cursor()
    try:
        row = cur.execute("select role, org_code from people where email = ?", [email]).fetchone()
        if row:
            return Access(row[0], row[1], "person")
        row = cur.execute("select role, org_code from domain_rules where domain = ?", [match.group(1)]).fetchone()
        return Access(row[0], row[1], "domain") if row else None
    finally:
        cur.close()


def list_people(warehouse: Warehouse) -> pd.DataFrame:
    cur = warehouse.cursor()
    try:
        return cur.execute("select email, role, org_code, added_at, added_by from people order by role, email").df()
    finally:
        cur.close()


def list_domain_rules(warehouse: Warehouse) -> pd.DataFrame:
    cur = warehouse.cursor()
    try:
        return cur.execute("select domain, role, org_code, added_at, added_by from domain_rules order by domain").df()
    finally:
        cur.close()


def count_leaders(warehouse: Warehouse) -> int:
    cur = warehouse.cursor()
    try:
        return cur.execute("select count(*) from people where role = 'leadership'").fetchone()[0]
    finally:
        cur.close()


# ---- sign-in and sign-out ----------------------------------------------------------------


# what record_sign_in and record_sign_out write: who came and went, never a change of data
SIGN_IN_EVENTS = ("signed_in", "access_denied", "signed_out")


def record_sign_in(warehouse: Warehouse, email: str, *, issued_at: int | None, action: str = "signed_in") -> None:
    """Once per sign-in (per ID token, by its `iat`), however many tabs and reruns see it;
    `action` "access_denied" for a signed-in person who has no role."""
    email = normalise_email(email)
    def _change(cur):
        if issued_at is not None and cur.execute(
                "select 1 from audit_log where actor = ? and action = ?"
                " and json_extract(details, '$.issued_at')::bigint = ?", [email, action, issued_at]).fetchone():
            return
        record_event(cur, email, action, details={"issued_at": issued_at})

    warehouse.write(_change)


def record_sign_out(warehouse: Warehouse, email: str) -> None:
    def _change(cur):
        record_event(cur, normalise_email(email), "signed_out")

    warehouse.write(_change)


def last_sign_out(warehouse: Warehouse, email: str):
    """When `email` last signed out (UTC, naive), or None: a session signed in before it has ended."""
    cur = warehouse.cursor()
    try:
        return cur.execute("select max(event_at) from audit_log where actor = ? and action = 'signed_out'",
                           [normalise_email(email)]).fetchone()[0]
    finally:
        cur.close()


# ---- period locks ------------------------------------------------------------------------


def lock_months(warehouse: Warehouse, months: list[date], org_code: str | None = None, *, actor: str) -> int:
    """Lock `months` for one organisation, or (org_code None) for the whole network; how many
    were not locked before. An upload or rollback touching a locked month is refused."""
    months = sorted({m.replace(day=1) for m in months})
    if not months:
        raise AccessError("no_months", "choose at least one month")
    def _change(cur):
        added = 0
        _check_org(cur, org_code)
        for month in months:
            if org_code is None:
                found = cur.execute("select 1 from locked_months where period_month = ?", [month]).fetchone()
                if not found:
                    cur.execute("insert into locked_months (period_month, locked_at, locked_by) values (?, ?, ?)",
                                [month, now_utc(), actor])
            else:
                found = cur.execute("select 1 from organisation_locked_months where org_code = ? and period_month = ?",
                                    [org_code, month]).fetchone()
                if not found:
                    cur.execute("insert into organisation_locked_months (org_code, period_month, locked_at, locked_by)"
                                " values (?, ?, ?, ?)", [org_code, month, now_utc(), actor])
            added += not found
        record_event(cur, actor, "months_locked", org_code=org_code,
                     details={"scope": org_code or NETWORK, "months": [f"{m:%Y-%m}" for m in months]})
        return added

    return warehouse.write(_change)


def unlock_months(warehouse: Warehouse, months: list[date], org_code: str | None = None, *, actor: str,
                  reason: str) -> int:
    """Unlock; the reason is required and logged. How many of `months` were locked."""
    months = sorted({m.replace(day=1) for m in months})
    reason = (reason or "").strip()
    if not reason:
        raise AccessError("reason_needed", "say why the months are unlocked")
    if _personal(reason):
        raise AccessError("personal_reason", "the reason holds what looks like personal data: describe the "
                          "correction without names, identity codes, e-mail addresses or phone numbers")
    if not months:
        raise AccessError("no_months", "choose at least one month")
    def _change(cur):
        # counted, then deleted (DuckLake has no DELETE … RETURNING)
        if org_code is None:
            where, params = "from locked_months where period_month = any(?)", [months]
        else:
            where, params = "from organisation_locked_months where org_code = ? and period_month = any(?)", \
                [org_code, months]
        removed = cur.execute(f"select count(*) {where}", params).fetchone()[0]
        cur.execute(f"delete {where}", params)
        if not removed:
            raise AccessError("not_locked", "none of these months is locked")
        record_event(cur, actor, "months_unlocked", org_code=org_code,
                     details={"scope": org_code or NETWORK, "months": [f"{m:%Y-%m}" for m in months],
                              "reason": reason[:500]})
        return removed

    return warehouse.write(_change)


def _personal(text: str) -> bool:
    """The reason is kept in the audit log forever: the guard reads it as it reads a cell."""
    from data_sources.personal_data import find_address, find_name, find_personal_data

    return bool(find_personal_data(text) or find_name(text) or find_address(text))


def list_locks(warehouse: Warehouse) -> pd.DataFrame:
    """Every lock: org_code ('*' for the network), period_month, locked_at, locked_by."""
    cur = warehouse.cursor()
    try:
        return cur.execute(
            "select '*' as org_code, period_month, locked_at, locked_by from locked_months"
            " union all select org_code, period_month, locked_at, locked_by from organisation_locked_months"
            " order by period_month desc, org_code").df()
    finally:
        cur.close()


def locked_keys(cur) -> set:
    """The locks as the checker reads them: a month (the whole network) or (org_code, month)."""
    keys: set = {row[0] for row in cur.execute("select period_month from locked_months").fetchall()}
    keys |= {(org, month) for org, month in
             cur.execute("select org_code, period_month from organisation_locked_months").fetchall()}
    return keys


def is_locked(keys: set, org_code: str, month: date) -> bool:
    month = month.replace(day=1)
    return month in keys or (org_code, month) in keys


# ---- the audit log -----------------------------------------------------------------------


def list_audit(warehouse: Warehouse, *, since: date | None = None, actions: list[str] | None = None,
               limit: int = 5000) -> pd.DataFrame:
    """The audit log, newest first (UTC, naive): event_id, event_at, actor, action, org_code,
    upload_id, file_name, details (JSON text: codes and counts, never a cell's value)."""
    cur = warehouse.cursor()
    try:
        return cur.execute(
            "select event_id, event_at, actor, action, org_code, upload_id, file_name, details::varchar as details"
            " from audit_log where ($since is null or event_at >= $since)"
            " and ($actions is null or action = any($actions))"
            " order by event_id desc limit $limit",
            {"since": since, "actions": actions, "limit": limit}).df()
    finally:
        cur.close()

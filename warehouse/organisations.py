"""The organisation registry in the warehouse: add, list, and hand it to the checker."""

import re
from dataclasses import dataclass
from datetime import date

from data_sources.organisations import Registry, normalise_name
from data_sources.values import resolve_municipality
from warehouse import Warehouse
from warehouse.audit import record_event

CODE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_\-]{1,39}$")


class RegistryError(ValueError):
    """A registry change that cannot be made; the message says why, `code` names the reason
    (i18n admin.error.<code>) and `params` fill its text."""

    def __init__(self, message: str, code: str = "registry", **params):
        super().__init__(message)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Organisation:
    org_code: str
    org_name: str
    start_month: date
    municipality: str | None
    aliases: tuple[str, ...]
    is_demo: bool


def add_organisation(
    warehouse: Warehouse, code: str, name: str, *, start_month: date,
    municipality: str | None = None, aliases: tuple[str, ...] = (), is_demo: bool = False,
    actor: str = "system",
) -> Organisation:
    """Register an organisation; its code, name and aliases must not name another one."""
    code = code.strip().lower()
    if not CODE_PATTERN.match(code):
        raise RegistryError(
            f"code {code!r}: use 2–40 lower-case letters a–z, digits, '_' or '-'", "bad_code", code=code
        )
    name, aliases, municipality = _checked_fields(name, aliases, municipality)
    start_month = start_month.replace(day=1)

    def _change(cur):
        # inside the write: another process may add the same code or name at the same time
        # (the embedded file's keys would refuse it; DuckLake has none, so the check is the guard)
        _refuse_taken(_registry_in(cur), (code, name, *aliases))
        cur.execute(
            "insert into organisations (org_code, org_name, start_month, municipality, is_demo)"
            " values (?, ?, ?, ?, ?)",
            [code, name, start_month, municipality, is_demo],
        )
        for alias in aliases:
            cur.execute(
                "insert into organisation_aliases (alias_key, alias, org_code) values (?, ?, ?)",
                [normalise_name(alias), alias, code],
            )
        record_event(cur, actor, "org_added", org_code=code,
                     details={"name": name, "aliases": list(aliases), "start_month": str(start_month)})

    warehouse.write(_change)
    return Organisation(code, name, start_month, municipality, aliases, is_demo)


def _checked_fields(name: str, aliases, municipality: str | None) -> tuple[str, tuple[str, ...], str | None]:
    """The name and aliases trimmed (no empty alias, none twice), the municipality as the official
    list writes it; a name or alias that holds personal data is refused like a cell of a file."""
    from data_sources.personal_data import find_personal_data

    name = (name or "").strip()
    if not name:
        raise RegistryError("the organisation needs a name", "name_needed")
    aliases = tuple(dict.fromkeys(a.strip() for a in aliases if a and a.strip()))
    for text in (name, *aliases):
        if find_personal_data(text):
            raise RegistryError(f"{text!r} looks like personal data", "personal_name")
    if municipality is not None and municipality.strip():
        # only a municipality of the official list is stored, under its Finnish name
        official = resolve_municipality(municipality)
        if official is None:
            raise RegistryError(f"municipality {municipality!r} is not in the list of Finland's municipalities",
                                "unknown_municipality", municipality=municipality)
        return name, aliases, official
    return name, aliases, None


def update_organisation(
    warehouse: Warehouse, code: str, *, name: str, start_month: date, municipality: str | None = None,
    aliases: tuple[str, ...] = (), actor: str,
) -> Organisation:
    """Change an organisation's name, aliases, start month and municipality (its code stays: it
    is what every stored row and upload points to); the same checks as a new one."""
    name, aliases, municipality = _checked_fields(name, aliases, municipality)
    start_month = start_month.replace(day=1)
    def _change(cur):
        before = cur.execute("select org_name, start_month, municipality, is_demo from organisations"
                             " where org_code = ?", [code]).fetchone()
        if before is None:
            raise RegistryError(f"no organisation {code!r}", "unknown_org", org=code)
        _refuse_taken(_registry_in(cur, leaving_out=code), (name, *aliases))
        cur.execute("update organisations set org_name = ?, start_month = ?, municipality = ? where org_code = ?",
                    [name, start_month, municipality, code])
        cur.execute("delete from organisation_aliases where org_code = ?", [code])
        for alias in aliases:
            cur.execute("insert into organisation_aliases (alias_key, alias, org_code) values (?, ?, ?)",
                        [normalise_name(alias), alias, code])
        record_event(cur, actor, "org_changed", org_code=code,
                     details={"name": name, "aliases": list(aliases), "start_month": str(start_month),
                              "municipality": municipality,
                              "before": {"name": before[0], "start_month": str(before[1]),
                                         "municipality": before[2]}})
        return before[3]

    is_demo = warehouse.write(_change)
    return Organisation(code, name, start_month, municipality, aliases, is_demo)


def _refuse_taken(registry: Registry, texts) -> None:
    for text in texts:
        taken = registry.resolve(text)
        if taken is not None:
            raise RegistryError(f"{text!r} already names organisation {taken!r}", "name_taken", text=text, org=taken)


def _registry_in(cur, leaving_out: str | None = None) -> Registry:
    """The registry as the transaction `cur` sees it (without organisation `leaving_out`)."""
    names = dict(cur.execute("select org_code, org_name from organisations where org_code is distinct from ?",
                             [leaving_out]).fetchall())
    aliases = dict(cur.execute("select alias_key, org_code from organisation_aliases"
                               " where org_code is distinct from ?", [leaving_out]).fetchall())
    return Registry(names=names, aliases=aliases)


def list_organisations(warehouse: Warehouse) -> list[Organisation]:
    cur = warehouse.cursor()
    rows = cur.execute(
        "select o.org_code, o.org_name, o.start_month, o.municipality, o.is_demo,"
        " coalesce(list(a.alias order by a.alias) filter (where a.alias is not null), [])"
        " from organisations o left join organisation_aliases a using (org_code)"
        " group by all order by o.org_code"
    ).fetchall()
    cur.close()
    return [
        Organisation(code, name, start, municipality, tuple(aliases), is_demo)
        for code, name, start, municipality, is_demo, aliases in rows
    ]


def load_registry(warehouse: Warehouse) -> Registry:
    """The registry as plain data, for the checker (which never touches the database)."""
    cur = warehouse.cursor()
    try:
        return _registry_in(cur)
    finally:
        cur.close()

"""Backups of the embedded warehouse: a consistent copy while the app runs, and a restore into
an empty warehouse (docs/deployment.md, "Backups")."""

import os
from pathlib import Path

import duckdb

from warehouse import Warehouse, _literal

BACKUP_ALIAS = "kokemusmittari_backup"
RESTORE_ALIAS = "kokemusmittari_restored"
SOURCE_ALIAS = "kokemusmittari_source"


class BackupError(ValueError):
    """A backup or restore that cannot be made: the message says why, nothing was changed."""


def counts(cur, catalog: str | None = None) -> dict:
    """What a warehouse (or the attached `catalog`) holds, as a backup or restore reports it."""
    prefix = f"{catalog}." if catalog else ""
    return {name: cur.execute(f"select count(*) from {prefix}{table}").fetchone()[0]  # noqa: S608 — fixed names
            for name, table in (("organisations", "organisations"), ("uploads", "uploads"),
                                ("audit_events", "audit_log"))}


def backup(warehouse: Warehouse, out: Path) -> dict:
    """Copy the whole warehouse into a new DuckDB file `out`: one statement, so one snapshot —
    consistent while sessions read and uploads wait their turn (this process's writers are held
    off while it copies; other processes cannot write the file the app holds). Written under a
    `.part` name and renamed when complete."""
    if out.exists():
        raise BackupError(f"{out} exists: a backup is written to a new file")
    part = out.with_name(out.name + ".part")
    part.unlink(missing_ok=True)
    Path(f"{part}.wal").unlink(missing_ok=True)
    cur = warehouse.cursor()
    try:
        name = cur.execute("select current_database()").fetchone()[0]
        cur.execute(f"attach {_literal(str(part))} as {BACKUP_ALIAS}")
        try:
            with warehouse.writers_held():
                cur.execute(f'copy from database "{name}" to {BACKUP_ALIAS}')
            held = counts(cur, BACKUP_ALIAS)      # what the copy holds, not what the warehouse holds by now
        finally:
            cur.execute(f"detach {BACKUP_ALIAS}")
    finally:
        cur.close()
    os.replace(part, out)
    return held


# a warehouse holds these tables and nothing else; any of the first ones with a row is in use
_IN_USE = ("organisations", "uploads", "people", "domain_rules", "audit_log", "locked_months")


def _is_empty_warehouse(location: str) -> bool:
    """True for a warehouse file no one has put anything in yet; read without changing it
    (no migration runs). A DuckDB file of another program is never 'empty'."""
    try:
        con = duckdb.connect(location, read_only=True)
    except duckdb.Error as error:
        raise BackupError(f"{location} cannot be opened (in use, or not a DuckDB file): {error}") from error
    try:
        tables = {row[0] for row in con.execute(
            "select table_name from duckdb_tables() where database_name = current_database()").fetchall()}
        if "schema_migrations" not in tables:
            return False
        reference = _schema_tables()
        if tables - reference:
            return False
        return all(con.execute(f"select count(*) from {t}").fetchone()[0] == 0  # noqa: S608 — fixed names
                   for t in _IN_USE if t in tables)
    finally:
        con.close()


def _schema_tables() -> set[str]:
    """The tables the migrations make, read off a fresh warehouse in memory."""
    with Warehouse(":memory:") as fresh:
        cur = fresh.cursor()
        names = {row[0] for row in cur.execute("select table_name from duckdb_tables()").fetchall()}
        cur.close()
    return names


def restore(backup_file: Path, target: str) -> dict:
    """Put a backup into `target`, which must not exist or be empty (no organisation, no upload);
    migrations newer than the backup are applied after. Returns what the warehouse then holds."""
    if not backup_file.is_file():
        raise BackupError(f"no such file: {backup_file}")
    try:
        probe = duckdb.connect(str(backup_file), read_only=True)
    except duckdb.Error as error:
        raise BackupError(f"{backup_file} is not a DuckDB file: {error}") from error
    try:
        tables = {row[0] for row in probe.execute("select table_name from duckdb_tables()").fetchall()}
    finally:
        probe.close()
    if not {"schema_migrations", "uploads", "organisations", "audit_log"} <= tables:
        raise BackupError(f"{backup_file} is not a Kokemusmittari backup")
    if Path(target).exists():
        if not _is_empty_warehouse(target):
            raise BackupError(f"{target} holds data (or is not an empty warehouse): restore into a new or"
                              " empty warehouse")
        Path(target).unlink()
        Path(f"{target}.wal").unlink(missing_ok=True)
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    part = f"{target}.restoring"
    Path(part).unlink(missing_ok=True)
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"attach {_literal(str(backup_file))} as {SOURCE_ALIAS} (read_only)")
        con.execute(f"attach {_literal(part)} as {RESTORE_ALIAS}")
        con.execute(f"copy from database {SOURCE_ALIAS} to {RESTORE_ALIAS}")
        con.execute(f"detach {RESTORE_ALIAS}")
        con.execute(f"detach {SOURCE_ALIAS}")
    finally:
        con.close()
    os.replace(part, target)
    with Warehouse(target) as wh:     # migrations the backup predates
        cur = wh.cursor()
        held = counts(cur)
        cur.close()
    return held

"""Backups of the embedded warehouse: a consistent copy while the app runs, and a restore into
an empty warehouse (docs/deployment.md, "Backups")."""

import os
from pathlib import Path

import duckdb

from settings import Settings, load_settings
from warehouse import Warehouse, _literal, is_lake, open_warehouse, shown_location

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


def _tables(cur, catalog: str) -> list[str]:
    """The warehouse's own tables in `catalog`, in a fixed order (DuckLake's write turn is not data)."""
    return [row[0] for row in cur.execute(
        "select table_name from duckdb_tables() where database_name = ? and schema_name = 'main'"
        " and not temporary and table_name <> 'write_turn' order by table_name", [catalog]).fetchall()]


def backup(warehouse: Warehouse, out: Path) -> dict:
    """Copy every table of the warehouse (embedded or DuckLake) into a new DuckDB file `out`,
    in one transaction, so from one snapshot: consistent while sessions read and uploads go on
    (this process's writers are held off while it copies; on the embedded file other processes
    cannot write what the app holds; on DuckLake a read transaction sees one snapshot whatever
    others commit). The tables only: views and macros come from the migrations on restore.
    Written under a `.part` name and renamed when complete."""
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
                cur.begin()
                try:
                    for table in _tables(cur, name):
                        cur.execute(f'create table {BACKUP_ALIAS}."{table}" as'  # noqa: S608 — the warehouse's own tables
                                    f' select * from "{name}"."{table}"')
                except BaseException:
                    cur.rollback()   # else the detach below fails and hides why
                    raise
                cur.commit()
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
        return not _any_rows(con, [t for t in _IN_USE if t in tables])
    finally:
        con.close()


def _any_rows(con, tables) -> bool:
    return any(con.execute(f"select count(*) from {t}").fetchone()[0] for t in tables)  # noqa: S608 — fixed names


def _schema_tables() -> set[str]:
    """The tables the migrations make, read off a fresh warehouse in memory."""
    with Warehouse(":memory:") as fresh:
        cur = fresh.cursor()
        names = {row[0] for row in cur.execute("select table_name from duckdb_tables()").fetchall()}
        cur.close()
    return names


def holds_data(warehouse: Warehouse) -> bool:
    """True when anyone has put anything in this (migrated) warehouse."""
    cur = warehouse.cursor()
    try:
        return _any_rows(cur, _IN_USE)
    finally:
        cur.close()


def restore(backup_file: Path, target: str, settings: Settings | None = None) -> dict:
    """Put a backup into `target` (an embedded file, or a DuckLake catalog with the settings'
    data_path), which must not exist or be empty (no organisation, no upload): the target is set
    up by the migrations the backup had, the backup's rows go in by column name in one
    transaction, and the migrations newer than the backup run after. Returns what the warehouse
    then holds. A backup of either kind restores into either kind."""
    settings = settings or load_settings()
    if not backup_file.is_file():
        raise BackupError(f"no such file: {backup_file}")
    try:
        probe = duckdb.connect(str(backup_file), read_only=True)
    except duckdb.Error as error:
        raise BackupError(f"{backup_file} is not a DuckDB file: {error}") from error
    try:
        tables = {row[0] for row in probe.execute("select table_name from duckdb_tables()").fetchall()}
        version = probe.execute("select max(version) from schema_migrations").fetchone()[0] \
            if "schema_migrations" in tables else None
    finally:
        probe.close()
    if version is None or not {"uploads", "organisations", "audit_log"} <= tables:
        raise BackupError(f"{backup_file} is not a Kokemusmittari backup")
    if is_lake(target):
        _restore_into(backup_file, target, version, settings)
    else:
        if Path(target).exists():
            if not _is_empty_warehouse(target):
                raise BackupError(f"{target} holds data (or is not an empty warehouse): restore into a new or"
                                  " empty warehouse")
            Path(target).unlink()
            Path(f"{target}.wal").unlink(missing_ok=True)
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        part = f"{target}.restoring"
        Path(part).unlink(missing_ok=True)
        Path(f"{part}.wal").unlink(missing_ok=True)
        _restore_into(backup_file, part, version, settings)
        os.replace(part, target)
    with open_warehouse(target, settings) as wh:     # the migrations the backup predates
        cur = wh.cursor()
        held = counts(cur)
        cur.close()
    return held


def _restore_into(backup_file: Path, location: str, version: int, settings: Settings) -> None:
    with Warehouse(location, lock_timeout=settings.lock_timeout, up_to=version, **settings.warehouse_options()) as wh:
        if holds_data(wh):
            raise BackupError(f"{shown_location(location)} holds data: restore into a new or empty warehouse")
        cur = wh.cursor()
        cur.execute(f"attach {_literal(str(backup_file))} as {SOURCE_ALIAS} (read_only)")
        cur.close()

        def copy(cur):
            own = set(_tables(cur, cur.execute("select current_database()").fetchone()[0]))
            theirs = _tables(cur, SOURCE_ALIAS)
            if set(theirs) - own:   # only the warehouse's own tables, whose names come from its migrations
                raise BackupError(f"{backup_file} holds tables no Kokemusmittari backup has")
            for table in theirs:
                if table == "schema_migrations":
                    continue   # the target's own: the same versions, up to the backup's
                # a new warehouse's own privacy key makes way for the backup's
                cur.execute(f'delete from "{table}"')  # noqa: S608 — a name of the migrations' tables
                cur.execute(f'insert into "{table}" by name select * from {SOURCE_ALIAS}."{table}"')  # noqa: S608

        wh.write(copy)
        cur = wh.cursor()
        cur.execute(f"detach {SOURCE_ALIAS}")
        cur.close()

"""The only place that opens DuckDB. Everything else asks a Warehouse for a cursor.

One Warehouse (one connection) per process; each use takes its own `.cursor()`, so
Streamlit's session threads never share one. Writes go through `transaction()`.
"""

import contextlib
import importlib.util
import os
import threading
import time
from pathlib import Path

import duckdb

from settings import Settings, load_settings

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
SHEET_TABLES = {
    "toiminta": ("activity_rows", "activity_month"),
    "asenteet": ("attitude_rows", "answer_month"),
    "kysynta": ("demand_rows", "received_month"),
    "kapasiteetti": ("capacity_rows", "capacity_month"),
}


class WarehouseBusy(RuntimeError):
    """Another process kept the embedded warehouse file locked for longer than allowed."""


class Warehouse:
    def __init__(self, location: str, lock_timeout: float = 120.0):
        self.location = location
        if location != ":memory:":
            Path(location).parent.mkdir(parents=True, exist_ok=True)
        self._connection = _connect_waiting(location, lock_timeout)
        self._write_lock = threading.Lock()
        _, compact_needed = migrate(self._connection)
        if compact_needed and location != ":memory:":
            self._connection.close()
            compact(location)
            self._connection = _connect_waiting(location, lock_timeout)

    def cursor(self) -> duckdb.DuckDBPyConnection:
        return self._connection.cursor()

    @contextlib.contextmanager
    def transaction(self):
        """A cursor inside one transaction: committed on success, rolled back on any error.

        Writers in this process take turns (DuckDB would refuse the second of two
        conflicting writers); readers are never blocked.
        """
        with self._write_lock:
            cur = self._connection.cursor()
            cur.begin()
            try:
                yield cur
            except BaseException:
                cur.rollback()
                raise
            else:
                cur.commit()
            finally:
                cur.close()

    @contextlib.contextmanager
    def writers_held(self):
        """Nobody in this process writes while this lasts (a backup's copy)."""
        with self._write_lock:
            yield

    def close(self) -> None:
        self._connection.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _connect_waiting(location: str, lock_timeout: float) -> duckdb.DuckDBPyConnection:
    """Open the file, waiting while another process (an import, the app) holds its lock."""
    deadline = time.monotonic() + lock_timeout
    delay = 0.05
    while True:
        try:
            return duckdb.connect(location)
        except duckdb.IOException as error:
            if "lock" not in str(error).lower() or time.monotonic() > deadline:
                if "lock" in str(error).lower():
                    raise WarehouseBusy(str(error)) from error
                raise
            time.sleep(delay)
            delay = min(delay * 2, 1.0)


def migrate(connection: duckdb.DuckDBPyConnection) -> tuple[list[int], bool]:
    """Apply the numbered migrations not yet applied: the versions applied now, and whether
    one of them asks for the file to be compacted."""
    cur = connection.cursor()
    cur.execute(
        "create table if not exists schema_migrations ("
        " version integer primary key, applied_at timestamp not null default current_timestamp)"
    )
    done = {row[0] for row in cur.execute("select version from schema_migrations").fetchall()}
    applied, compact_needed = [], False
    for path in _migration_files():
        version = _version(path)
        if version in done:
            continue
        cur.begin()
        try:
            if path.suffix == ".py":
                compact_needed = bool(_load_migration(path).upgrade(cur)) or compact_needed
            else:
                cur.execute(path.read_text(encoding="utf-8"))
            cur.execute("insert into schema_migrations (version) values (?)", [version])
            cur.commit()
        except BaseException:
            cur.rollback()
            raise
        applied.append(version)
    cur.close()
    return applied, compact_needed


def _migration_files() -> list[Path]:
    """NNN_name.sql, or NNN_name.py with upgrade(cursor) where SQL alone cannot do it; an
    upgrade returns True when what it removed must not linger in the file's free blocks."""
    return sorted([*MIGRATIONS.glob("*.sql"), *MIGRATIONS.glob("[0-9]*.py")])


def _version(path: Path) -> int:
    return int(path.name.split("_", 1)[0])


def compact(location: str) -> None:
    """Rewrite a closed warehouse file into a fresh one, so that nothing deleted or replaced
    survives in its free blocks (DuckDB reuses them, but does not wipe them)."""
    fresh = Path(f"{location}.compacting")
    fresh.unlink(missing_ok=True)
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"attach {_literal(location)} as old (read_only)")
        con.execute(f"attach {_literal(str(fresh))} as fresh")
        con.execute("copy from database old to fresh")
        con.execute("detach fresh")
        con.execute("detach old")
    finally:
        con.close()
    Path(f"{location}.wal").unlink(missing_ok=True)
    os.replace(fresh, location)


def _literal(text: str) -> str:
    """A path as an SQL string literal (ATTACH takes no bound parameter); paths come from settings."""
    return "'" + text.replace("'", "''") + "'"


def _load_migration(path: Path):
    spec = importlib.util.spec_from_file_location(f"warehouse_migration_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def open_warehouse(location: str | None = None, settings: Settings | None = None) -> Warehouse:
    """The warehouse at `location`, else the settings' (KOKEMUSMITTARI_DB, secrets, default)."""
    settings = settings or load_settings()
    return Warehouse(location or settings.db, lock_timeout=settings.lock_timeout)

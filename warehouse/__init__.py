"""The only place that opens DuckDB. Everything else asks a Warehouse for a cursor.

One Warehouse (one connection) per process; each use takes its own `.cursor()`, so
Streamlit's session threads never share one. Writes go through `transaction()`.
"""

import contextlib
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
        migrate(self._connection)

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


def migrate(connection: duckdb.DuckDBPyConnection) -> list[int]:
    """Apply the numbered migrations not yet applied; returns the versions applied now."""
    cur = connection.cursor()
    cur.execute(
        "create table if not exists schema_migrations ("
        " version integer primary key, applied_at timestamp not null default current_timestamp)"
    )
    done = {row[0] for row in cur.execute("select version from schema_migrations").fetchall()}
    applied = []
    for path in sorted(MIGRATIONS.glob("*.sql")):
        version = int(path.name.split("_", 1)[0])
        if version in done:
            continue
        cur.begin()
        try:
            cur.execute(path.read_text(encoding="utf-8"))
            cur.execute("insert into schema_migrations (version) values (?)", [version])
            cur.commit()
        except BaseException:
            cur.rollback()
            raise
        applied.append(version)
    cur.close()
    return applied


def open_warehouse(location: str | None = None, settings: Settings | None = None) -> Warehouse:
    """The warehouse at `location`, else the settings' (KOKEMUSMITTARI_DB, secrets, default)."""
    settings = settings or load_settings()
    return Warehouse(location or settings.db, lock_timeout=settings.lock_timeout)

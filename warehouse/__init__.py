"""The only place that opens DuckDB. Everything else asks a Warehouse for a cursor.

Two kinds of warehouse, the same tables, views, macros and SQL (docs/deployment.md):
- the embedded file (the default): one DuckDB file, which one process at a time holds;
- a DuckLake catalog on PostgreSQL (`ducklake:postgres:dbname=… host=…`) with its data files
  in a folder or object storage (`data_path`): many processes at once.

One Warehouse (one connection) per process; each use takes its own `.cursor()`, so
Streamlit's session threads never share one. Writes go through `write(fn)`: on DuckLake two
processes' writes can conflict, and the whole transaction is then run again.
"""

import contextlib
import fcntl
import importlib.util
import os
import random
import re
import threading
import time
from pathlib import Path

import duckdb

from settings import PROJECT_ROOT, Settings, load_settings

LAKE_PREFIX = "ducklake:"
LAKE_CATALOG = "lake"
DEFAULT_EXTENSION_DIR = PROJECT_ROOT / "data" / "duckdb_extensions"

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
SHEET_TABLES = {
    "toiminta": ("activity_rows", "activity_month"),
    "asenteet": ("attitude_rows", "answer_month"),
    "kysynta": ("demand_rows", "received_month"),
    "kapasiteetti": ("capacity_rows", "capacity_month"),
}


class WarehouseBusy(RuntimeError):
    """Another process kept the embedded warehouse file locked for longer than allowed."""


class WarehouseConfigError(ValueError):
    """A warehouse location that cannot be used as written: the message says what to set."""


class WarehouseTooNew(WarehouseConfigError):
    """A newer Kokemusmittari has upgraded this warehouse: this older one would write it wrongly
    (from migration 008 on, which rows are in force is kept by every upload and rollback)."""


def is_lake(location: str) -> bool:
    return location.startswith(LAKE_PREFIX)


def shown_location(location: str) -> str:
    """The location (or a message quoting it) as messages show it: without a password, whether
    written `password=…` or in a URI (`postgresql://user:…@host`)."""
    location = re.sub(r"(?i)(password\s*=\s*)\S+", r"\1***", location)
    return re.sub(r"(://[^:/@\s]+:)[^@\s]+@", r"\1***@", location)


class Warehouse:
    def __init__(self, location: str, lock_timeout: float = 120.0, data_path: str = "",
                 extension_dir: str | Path | None = None, up_to: int | None = None, storage: dict | None = None):
        self.location = location
        self.lake = is_lake(location)
        self.lock_timeout = lock_timeout
        self._write_lock = threading.Lock()
        if self.lake:
            self._connection = _connect_lake(location, data_path, Path(extension_dir or DEFAULT_EXTENSION_DIR),
                                             storage or {})
        else:
            if location != ":memory:":
                Path(location).parent.mkdir(parents=True, exist_ok=True)
            self._connection = _connect_waiting(location, lock_timeout)
        try:
            _, compact_needed = migrate(self, up_to)
        except BaseException:
            self._connection.close()    # a warehouse refused (too new) is let go of at once
            raise
        if compact_needed and self.lake:
            compact_lake(self)
        elif compact_needed and location != ":memory:":
            self._connection.close()
            compact(location)
            self._connection = _connect_waiting(location, lock_timeout)

    def cursor(self) -> duckdb.DuckDBPyConnection:
        cur = self._connection.cursor()
        if self.lake:
            cur.execute(f"use {LAKE_CATALOG}")  # a cursor is a connection of its own: its own default catalog
        return cur

    @contextlib.contextmanager
    def transaction(self):
        """A cursor inside one transaction: committed on success, rolled back on any error.

        Writers in this process take turns (DuckDB would refuse the second of two
        conflicting writers); readers are never blocked. Not run again on a conflict with
        another process: the warehouse's own code writes through write(fn).
        """
        with self._write_lock:
            cur = self.cursor()
            cur.begin()
            try:
                if self.lake:
                    _take_write_turn(cur)
                yield cur
            except BaseException:
                cur.rollback()
                raise
            else:
                cur.commit()
            finally:
                cur.close()

    def write(self, fn):
        """fn(cursor) inside one transaction, committed; its result returned. On DuckLake every
        write transaction also moves the write turn (one row every writer updates), so two
        processes' writes never interleave: the later one's commit fails as a conflict, and it
        is run again from the start, with back-off, on what the first one committed. Nobody
        sees the conflict; past lock_timeout seconds of conflicts, WarehouseBusy."""
        deadline = time.monotonic() + self.lock_timeout
        delay = 0.02
        while True:
            try:
                with self.transaction() as cur:
                    return fn(cur)
            except duckdb.TransactionException as error:
                if not (self.lake and _is_conflict(error)):
                    raise
                if time.monotonic() > deadline:
                    raise WarehouseBusy(f"other processes kept writing for {self.lock_timeout:.0f} s") from error
                time.sleep(delay * (0.5 + random.random()))
                delay = min(delay * 2, 1.0)

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


_SCHEMA_MIGRATIONS = ("create table if not exists schema_migrations ("
                      " version integer primary key, applied_at timestamp not null default current_timestamp)")


def migrate(warehouse: "Warehouse", up_to: int | None = None) -> tuple[list[int], bool]:
    """Apply the numbered migrations not yet applied (up to version `up_to`): the versions
    applied now, and whether one of them asks for the stored data to be compacted. Each runs in
    a write of its own, so two processes starting on a new DuckLake apply each one once."""
    if warehouse.lake:
        _bootstrap_lake(warehouse)
    else:
        cur = warehouse.cursor()
        cur.execute(_SCHEMA_MIGRATIONS)
        cur.close()
    cur = warehouse.cursor()
    done = {row[0] for row in cur.execute("select version from schema_migrations").fetchall()}
    cur.close()
    known = max(_version(path) for path in _migration_files())
    if done and max(done) > known:
        raise WarehouseTooNew(
            f"the warehouse {shown_location(warehouse.location)} was upgraded by a newer Kokemusmittari"
            f" (schema version {max(done)}; this one knows up to {known}): update this installation"
            " before it reads or writes the warehouse")
    applied, compact_needed = [], False
    for path in _migration_files():
        version = _version(path)
        if up_to is not None and version > up_to:
            break
        if version in done:
            continue

        def apply(cur, path=path, version=version):
            if cur.execute("select count(*) from schema_migrations where version = ?", [version]).fetchone()[0]:
                return None  # another process applied it a moment ago
            if path.suffix == ".py":
                wants_compact = bool(_load_migration(path).upgrade(cur))
            else:
                sql = path.read_text(encoding="utf-8")
                cur.execute(lake_sql(sql) if warehouse.lake else sql)
                wants_compact = False
            cur.execute("insert into schema_migrations (version) values (?)", [version])
            return wants_compact

        wants_compact = warehouse.write(apply)
        if wants_compact is not None:
            applied.append(version)
            compact_needed = compact_needed or wants_compact
    return applied, compact_needed


def _bootstrap_lake(warehouse: "Warehouse") -> None:
    """The write turn and the migrations' own table in a new DuckLake (each process checks)."""
    cur = warehouse.cursor()
    try:
        ready = {row[0] for row in cur.execute(
            "select table_name from duckdb_tables() where database_name = ?", [LAKE_CATALOG]).fetchall()}
    finally:
        cur.close()
    if {"write_turn", "schema_migrations"} <= ready:
        return
    deadline = time.monotonic() + warehouse.lock_timeout
    while True:
        cur = warehouse.cursor()
        try:
            cur.begin()
            cur.execute("create table if not exists write_turn (turn bigint not null)")
            cur.execute("insert into write_turn select 0 where not exists (select 1 from write_turn)")
            cur.execute(lake_sql(_SCHEMA_MIGRATIONS))
            cur.commit()
            return
        except duckdb.Error as error:  # two processes creating the same tables: one wins, the other looks again
            cur.rollback()
            if not (_is_conflict(error) or "already exists" in str(error).lower()):
                raise
            if time.monotonic() > deadline:
                raise WarehouseBusy("the new DuckLake warehouse could not be set up") from error
            time.sleep(0.05 + random.random() * 0.2)
        finally:
            cur.close()


def _take_write_turn(cur) -> None:
    cur.execute("update write_turn set turn = turn + 1")


def _is_conflict(error: Exception) -> bool:
    return "conflict" in str(error).lower()


def lake_sql(sql: str) -> str:
    """A migration's SQL as DuckLake takes it: without PRIMARY KEY, UNIQUE and CHECK
    constraints and sequences, which DuckLake does not have. What they guarded the warehouse's
    code keeps itself (ids under the write turn, replace by delete-then-insert, checked values),
    tested on both warehouses."""
    sql = re.sub(r"(?im)^\s*create sequence [^;]*;\s*$", "", sql)
    sql = re.sub(r"(?i)\s+default nextval\('[a-z_]+'\)", "", sql)
    sql = re.sub(r"(?i),\s*\n\s*primary key\s*\([^)]*\)", "", sql)   # a table's key of several columns
    sql = re.sub(r"(?i)\s+(primary key|unique)\b", "", sql)           # a column's
    return _without_checks(sql)


def _without_checks(sql: str) -> str:
    out, at = [], 0
    for match in re.finditer(r"(?i)(,\s*\n\s*)?\bcheck\s*\(", sql):
        if match.start() < at:
            continue
        depth, end = 1, match.end()
        while depth:
            depth += {"(": 1, ")": -1}.get(sql[end], 0)
            end += 1
        out.append(sql[at:match.start()])
        at = end
    out.append(sql[at:])
    return "".join(out)


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


def compact_lake(warehouse: "Warehouse") -> None:
    """DuckLake keeps what a change removed in older snapshots' files: a removal that must not
    linger expires every older snapshot and deletes the files no snapshot needs."""
    cur = warehouse.cursor()
    try:
        cur.execute(f"call ducklake_expire_snapshots('{LAKE_CATALOG}', older_than => now())")
        cur.execute(f"call ducklake_cleanup_old_files('{LAKE_CATALOG}', cleanup_all => true)")
    finally:
        cur.close()


def _connect_lake(location: str, data_path: str, extension_dir: Path, storage: dict) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the DuckLake catalog attached and in use. The extensions come
    from their PyPI packages, installed once into `extension_dir`: nothing is fetched from the
    internet (autoinstall off). A data path in object storage (s3://…) reads and writes through
    httpfs with `storage`'s key (settings storage_*)."""
    if not data_path:
        raise WarehouseConfigError(
            "a DuckLake warehouse needs a folder or object storage for its data files: set"
            " KOKEMUSMITTARI_DATA_PATH (or data_path in secrets.toml), e.g. /srv/kokemusmittari/lake/")
    extension_dir.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(config={"extension_directory": str(extension_dir),
                                 "autoinstall_known_extensions": False, "autoload_known_extensions": False})
    try:
        # two processes starting at once on a new machine install one at a time
        with open(extension_dir / ".install.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            for name in ("ducklake", "postgres", *(("httpfs",) if "://" in data_path else ())):
                try:
                    con.execute(f"load {name}")
                except duckdb.IOException:     # not installed into this directory yet: from its wheel
                    import duckdb_extensions

                    duckdb_extensions.import_extension(name, con=con)
                    con.execute(f"load {name}")
        if "://" not in data_path:
            Path(data_path).mkdir(parents=True, exist_ok=True)
            data_path = str(Path(data_path).resolve()) + "/"
        else:
            _storage_secret(con, storage)
        try:
            con.execute(f"attach {_literal(location)} as {LAKE_CATALOG} (data_path {_literal(data_path)})")
        except duckdb.Error as error:
            if "does not match existing data path" in str(error):
                raise WarehouseConfigError(
                    f"this DuckLake catalog keeps its data files elsewhere than {data_path}: set"
                    " KOKEMUSMITTARI_DATA_PATH to the folder it was made with") from error
            # DuckDB quotes the whole connection string, password and all, in its message
            raise type(error)(shown_location(str(error))) from None
        con.execute(f"use {LAKE_CATALOG}")
    except BaseException:
        con.close()
        raise
    return con


def _storage_secret(con, storage: dict) -> None:
    """The object storage's key as a DuckDB secret of this connection only (never persisted)."""
    options = [f"{name} {_literal(str(storage[name]))}" for name in ("key_id", "secret", "region", "endpoint",
                                                                     "url_style") if storage.get(name)]
    options.append(f"use_ssl {'true' if storage.get('use_ssl', True) else 'false'}")
    con.execute(f"create temporary secret kokemusmittari_storage (type s3, {', '.join(options)})")


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
    return Warehouse(location or settings.db, lock_timeout=settings.lock_timeout, **settings.warehouse_options())

"""A throwaway PostgreSQL cluster on 127.0.0.1 for the DuckLake warehouse tests, and fresh
DuckLake warehouses on it. Debian's PostgreSQL (`make postgres-deps` installs it); as root,
initdb and the server run as the `postgres` user (initdb refuses root). The cluster is stopped
when the test session ends, however it ends."""

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script by make test

from warehouse import DEFAULT_EXTENSION_DIR, Warehouse

TEMPLATE_DB = "kokemusmittari_template"


def postgres_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda path: int(Path(path).parent.parent.name))
    if not found:
        raise RuntimeError("PostgreSQL is not installed: run 'make postgres-deps' (Debian's postgresql)")
    return Path(found[-1]).parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _as_owner(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@contextlib.contextmanager
def postgres_cluster():
    """Yields a PostgresServer; stops the cluster and removes its folder afterwards, even when a
    test failed. The folder is a new one under /tmp: pytest's own are closed to the postgres user."""
    bin_dir = postgres_bin()
    directory = Path(tempfile.mkdtemp(prefix="kokemusmittari-pg-"))
    (directory / "owner.pid").write_text(str(os.getpid()))   # whose it is (stop_leftovers)
    if os.geteuid() == 0:
        shutil.chown(directory, "postgres")
    data, port = directory / "data", _free_port()
    subprocess.run(_as_owner([str(bin_dir / "initdb"), "-A", "trust", "-U", "postgres", "-D", str(data)]),
                   check=True, capture_output=True)
    options = f"-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
    subprocess.run(_as_owner([str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l",
                              str(directory / "server.log"), "-w", "start"]), check=True, capture_output=True)
    try:
        yield PostgresServer(bin_dir, port, directory)
    finally:
        subprocess.run(_as_owner([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
                       capture_output=True)
        shutil.rmtree(directory, ignore_errors=True)


class PostgresServer:
    def __init__(self, bin_dir: Path, port: int, directory: Path):
        self.bin_dir, self.port, self.directory = bin_dir, port, directory
        self._template_ready = False

    def sql(self, statement: str) -> None:
        subprocess.run([str(self.bin_dir / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
                        "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-qc", statement], check=True, capture_output=True)

    def location(self, dbname: str) -> str:
        return f"ducklake:postgres:dbname={dbname} host=127.0.0.1 port={self.port} user=postgres"

    def new_database(self, *, migrated: bool = True) -> str:
        """A new, empty database; with `migrated`, a copy of one the migrations have run on (4× faster
        than migrating each)."""
        name = "lake_" + uuid.uuid4().hex[:12]
        if migrated:
            self._ensure_template()
            self.sql(f"create database {name} template {TEMPLATE_DB}")
        else:
            self.sql(f"create database {name}")
        return name

    def _ensure_template(self) -> None:
        if not self._template_ready:
            self.sql(f"create database {TEMPLATE_DB}")
            with Warehouse(self.location(TEMPLATE_DB), data_path=self.template_files,
                           extension_dir=extension_dir()):
                pass
            self._template_ready = True

    @property
    def template_files(self) -> str:
        """The data path of the migrated template and of every copy of it (a catalog remembers
        its data path; the files' names are unique, so the copies can share the folder)."""
        return str(self.directory / "template_files")

    def warehouse(self, data_folder: Path | None = None) -> Warehouse:
        """A new DuckLake warehouse: a copy of the migrated template, or, given its own
        `data_folder`, one set up from nothing by the migrations."""
        if data_folder is None:
            return Warehouse(self.location(self.new_database()), data_path=self.template_files,
                             extension_dir=extension_dir())
        return Warehouse(self.location(self.new_database(migrated=False)), data_path=str(data_folder),
                         extension_dir=extension_dir())


def extension_dir() -> str:
    """One extension folder for the whole test run: the project's default."""
    return str(DEFAULT_EXTENSION_DIR)


def stop_leftovers() -> None:
    """Stop every cluster a killed test run left under /tmp (make test runs this at its end)."""
    for data in glob.glob(os.path.join(tempfile.gettempdir(), "kokemusmittari-pg-*", "data")):
        if _owner_alive(Path(data).parent):
            continue   # a test run still going (another make test on this machine) keeps its own
        if Path(data, "postmaster.pid").exists():
            subprocess.run(_as_owner([str(postgres_bin() / "pg_ctl"), "-D", data, "-m", "immediate", "stop"]),
                           capture_output=True)
        shutil.rmtree(Path(data).parent, ignore_errors=True)


def _owner_alive(directory: Path) -> bool:
    try:
        os.kill(int((directory / "owner.pid").read_text()), 0)
    except (OSError, ValueError):
        return False
    return True


if __name__ == "__main__" and sys.argv[1:] == ["--stop-leftovers"]:
    stop_leftovers()

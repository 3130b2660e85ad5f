"""Commands for a warehouse file that the running app holds: handed to the app, run there.

The embedded DuckDB file has one writer process. While the app serves it, a scheduled job or
a coordinator's shell cannot open it — so `cli.py` hands its command to the app instead: it
writes the command (and the file it reads) into the job folder beside the warehouse file,
`<file>.jobs/`, and the app, which watches that folder, runs it with its own connection, as
one more writer beside its sessions, and writes back what the command printed and its exit
code. The command then prints that and exits with that code, as if it had run itself.

- The app announces itself in `<file>.jobs/app.json` (its process id, and a heartbeat every
  HEARTBEAT seconds); a command only hands over to an app that is alive and beating.
- A job is claimed by renaming it (atomic on one file system), so it runs once, even with
  several app processes; a command that stops waiting withdraws its job the same way, so a
  job runs either whole or not at all.
- The folder is the app's user's alone: created 0700, and neither served nor used when it is
  a link, another user's, or open to anyone else (folder_is_safe) — who could write in it
  could run commands as the app. A job carries a deadline; one the app takes too late is not
  run, and a command interrupted while its job waits withdraws it.
- The heartbeat has a thread of its own, so a long job (a board pack, a rebuild) never makes
  the app look gone; results and taken jobs a crash left behind are swept when the app starts.

docs/deployment.md ("A scheduled job beside the app") has the bound a command waits.
"""

import json
import os
import stat
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

HEARTBEAT = 1.0        # seconds between the app's heartbeats, and between its looks for jobs
ALIVE_FOR = 10.0       # a heartbeat older than this: the app is gone (or hung)
POLL = 0.1             # how often a waiting command looks for its result
STALE = 3600.0         # a leftover result or taken job older than this is swept when the app starts


class JobTimeout(RuntimeError):
    """The app did not take or finish the job in time (it was withdrawn if not yet taken)."""


# the job servers this process runs (stop_all)
_STARTED: list = []


def job_folder(location: str) -> Path:
    return Path(f"{location}.jobs")


def _write_atomically(path: Path, text: str) -> None:
    part = path.with_name(f"{path.name}.{uuid.uuid4().hex}.part")   # one of its own per writer
    part.write_text(text, encoding="utf-8")
    os.replace(part, path)


def folder_is_safe(folder: Path) -> bool:
    """The job folder is this user's own: a real folder (not a link), owned by this process's
    user, and open to nobody else. Another user who could write in it could run commands as
    the app, or answer for it; such a folder is neither served nor used."""
    try:
        info = os.lstat(folder)
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.geteuid() and not info.st_mode & 0o077


def app_alive(location: str, now: float | None = None) -> bool:
    """True when an app process serves this warehouse file, has beaten lately, and its job
    folder is safe (folder_is_safe). Never for DuckLake: every process opens that itself."""
    if location.startswith("ducklake:") or location == ":memory:":
        return False
    folder = job_folder(location)
    if not folder_is_safe(folder):
        return False
    try:
        beat = json.loads((folder / "app.json").read_text(encoding="utf-8"))
        pid, at = int(beat["pid"]), float(beat["at"])
    except (OSError, ValueError, KeyError, TypeError):
        return False
    now = now or time.time()
    if pid <= 0 or not now - ALIVE_FOR <= at <= now + 5:   # no process group, no beat from the future
        return False
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True


def submit(location: str, job: dict, timeout: float) -> dict:
    """Hand `job` to the app serving `location` and wait for its result (JobTimeout after
    `timeout` seconds; a job not yet taken is then withdrawn and never runs — also when this
    process is interrupted — and the app refuses one past its deadline)."""
    folder = job_folder(location)
    name = uuid.uuid4().hex
    queued, done = folder / f"{name}.job", folder / f"{name}.result"
    _write_atomically(queued, json.dumps({**job, "expires_at": time.time() + timeout}))
    taken = False
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if done.exists():
                return _read_result(done)
            time.sleep(POLL)
        taken = not _withdraw(queued)
        if not taken:
            raise JobTimeout("the app did not take the job in time")
        while not done.exists():                           # taken: it runs to its end, as long as the app lives
            if not app_alive(location):
                raise JobTimeout("the app stopped while it ran the job")
            time.sleep(POLL)
        return _read_result(done)
    except BaseException:
        if not taken:
            _withdraw(queued)                              # interrupted while queued: it never runs
        raise


def _withdraw(queued: Path) -> bool:
    """True when the job was still queued and is now withdrawn; False when the app took it."""
    withdrawn = queued.with_suffix(".withdrawn")
    try:
        os.replace(queued, withdrawn)
    except FileNotFoundError:
        return False
    withdrawn.unlink(missing_ok=True)
    return True


def _read_result(done: Path) -> dict:
    result = json.loads(done.read_text(encoding="utf-8"))
    done.unlink(missing_ok=True)
    return result


def _queued_at(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:               # taken by another process meanwhile
        return 0.0


def stop_all() -> None:
    """Stop every job server this process started (a tool about to delete the warehouse's folder:
    a heartbeat would write into it again while it is being deleted)."""
    for server in list(_STARTED):
        server.stop()


class JobServer:
    """The app's side: a thread that beats, and one that runs the jobs handed to it (a long job
    never silences the heartbeat)."""

    def __init__(self, location: str, run: Callable[[dict], dict]):
        self.location, self.run = location, run
        self.folder = job_folder(location)
        self._stop = threading.Event()
        self._worker = threading.Thread(target=self._loop, name="kokemusmittari-jobs", daemon=True)
        self._beater = threading.Thread(target=self._beats, name="kokemusmittari-heartbeat", daemon=True)

    def start(self) -> "JobServer":
        if not self._prepare():
            return self            # a folder that is not safe: nothing is served, commands wait their turn
        self._beat()
        self._worker.start()
        self._beater.start()
        _STARTED.append(self)
        return self

    def stop(self) -> None:
        if self in _STARTED:
            _STARTED.remove(self)
        self._stop.set()
        for thread in (self._worker, self._beater):
            if thread.is_alive():
                thread.join(timeout=10)
        (self.folder / "app.json").unlink(missing_ok=True)

    def _prepare(self) -> bool:
        """The folder made (0700) or checked; what a crash left behind (results nobody read,
        jobs taken by a process that is gone, half-written files) swept."""
        if not self.folder.parent.is_dir():
            return False
        try:
            self.folder.mkdir(mode=0o700)
        except FileExistsError:
            pass
        except OSError:
            return False
        if not folder_is_safe(self.folder):
            return False
        old = time.time() - STALE
        for leftover in [*self.folder.glob("*.result"), *self.folder.glob("*.taken"), *self.folder.glob("*.part")]:
            try:
                if leftover.stat().st_mtime < old:
                    leftover.unlink()
            except OSError:
                pass
        return True

    def _beat(self) -> None:
        _write_atomically(self.folder / "app.json", json.dumps({"pid": os.getpid(), "at": time.time()}))

    def _beats(self) -> None:
        while not self._stop.wait(HEARTBEAT):
            if not self.folder.parent.is_dir():
                return             # the warehouse's folder went away (a test's, a moved file)
            try:
                if not self.folder.is_dir():
                    self._prepare()
                self._beat()
            except OSError:
                pass               # a full disk: the next beat tries again

    def _loop(self) -> None:
        while not self._stop.is_set():
            if not self.folder.parent.is_dir():
                return
            if self.folder.is_dir() and folder_is_safe(self.folder):
                for job in sorted(self.folder.glob("*.job"), key=_queued_at):
                    self._take(job)
            self._stop.wait(HEARTBEAT)

    def _take(self, queued: Path) -> None:
        taken = queued.with_suffix(".taken")
        try:
            os.replace(queued, taken)          # claimed: no other app process runs it
        except OSError:
            return                             # withdrawn, or another process took it
        try:
            job = json.loads(taken.read_text(encoding="utf-8"))
            if float(job.get("expires_at", 0)) < time.time():   # its command stopped waiting: not run
                result = {"code": 2, "stdout": "", "stderr": "error: the command waited too long and was withdrawn\n"}
            else:
                result = self.run(job)
        except Exception as error:  # a job's failure is the job's answer, never the thread's end
            result = {"code": 2, "stdout": "", "stderr": f"error: the app could not run the command: {error}\n"}
        _write_atomically(queued.with_suffix(".result"), json.dumps(result))
        taken.unlink(missing_ok=True)

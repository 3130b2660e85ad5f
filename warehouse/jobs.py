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
- The folder is created for the app's user only (0700): who can write in it can already
  write the warehouse file.

docs/deployment.md ("A scheduled job beside the app") has the bound a command waits.
"""

import json
import os
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

HEARTBEAT = 1.0        # seconds between the app's heartbeats, and between its looks for jobs
ALIVE_FOR = 10.0       # a heartbeat older than this: the app is gone (or hung)
POLL = 0.1             # how often a waiting command looks for its result


class JobTimeout(RuntimeError):
    """The app did not take or finish the job in time (it was withdrawn if not yet taken)."""


def job_folder(location: str) -> Path:
    return Path(f"{location}.jobs")


def _write_atomically(path: Path, text: str) -> None:
    part = path.with_name(f"{path.name}.{uuid.uuid4().hex}.part")   # one of its own per writer
    part.write_text(text, encoding="utf-8")
    os.replace(part, path)


def app_alive(location: str, now: float | None = None) -> bool:
    """True when an app process serves this warehouse file and has beaten lately."""
    try:
        beat = json.loads((job_folder(location) / "app.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if (now or time.time()) - float(beat.get("at", 0)) > ALIVE_FOR:
        return False
    try:
        os.kill(int(beat["pid"]), 0)
    except (OSError, KeyError, ValueError):
        return False
    return True


def submit(location: str, job: dict, timeout: float) -> dict:
    """Hand `job` to the app serving `location` and wait for its result (JobTimeout after
    `timeout` seconds; a job not yet taken is then withdrawn and never runs)."""
    folder = job_folder(location)
    name = uuid.uuid4().hex
    queued, done = folder / f"{name}.job", folder / f"{name}.result"
    _write_atomically(queued, json.dumps(job))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if done.exists():
            result = json.loads(done.read_text(encoding="utf-8"))
            done.unlink(missing_ok=True)
            return result
        time.sleep(POLL)
    try:
        os.replace(queued, folder / f"{name}.withdrawn")   # not taken yet: withdrawn, it never runs
    except FileNotFoundError:
        pass                                               # taken: it runs to its end in the app
    else:
        (folder / f"{name}.withdrawn").unlink(missing_ok=True)
        raise JobTimeout("the app did not take the job in time")
    while not done.exists():                               # … as long as the app lives
        if not app_alive(location):
            raise JobTimeout("the app stopped while it ran the job")
        time.sleep(POLL)
    result = json.loads(done.read_text(encoding="utf-8"))
    done.unlink(missing_ok=True)
    return result


def _queued_at(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:               # taken by another process meanwhile
        return 0.0


class JobServer:
    """The app's side: one thread per process that beats and runs the jobs handed to it."""

    def __init__(self, location: str, run: Callable[[dict], dict]):
        self.location, self.run = location, run
        self.folder = job_folder(location)
        self.folder.mkdir(mode=0o700, exist_ok=True)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="kokemusmittari-jobs", daemon=True)

    def start(self) -> "JobServer":
        self._beat()
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)
        (self.folder / "app.json").unlink(missing_ok=True)

    def _beat(self) -> None:
        _write_atomically(self.folder / "app.json", json.dumps({"pid": os.getpid(), "at": time.time()}))

    def _loop(self) -> None:
        while not self._stop.is_set():
            if not self.folder.is_dir():
                return            # the folder went away with its warehouse (a test's, a moved file)
            try:
                self._beat()
            except OSError:
                pass              # a full disk: the next beat tries again
            queued = sorted(self.folder.glob("*.job"), key=_queued_at)
            for job in queued:
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
            result = self.run(job)
        except Exception as error:  # a job's failure is the job's answer, never the thread's end
            result = {"code": 2, "stdout": "", "stderr": f"error: the app could not run the command: {error}\n"}
        _write_atomically(queued.with_suffix(".result"), json.dumps(result))
        taken.unlink(missing_ok=True)

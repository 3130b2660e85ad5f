"""Every chart and picture drawn offline by vl-convert goes through here: one at a time, in a
long-lived worker process of its own (charts/render_worker.py), with a deadline.

Why a process, measured here: vl-convert called from Streamlit's short-lived script threads hung
a later chart download; funnelled through one thread of the server, the first image download
after ten minutes of serving still hung for over 75 s on a loaded CI machine, its button left
disabled, nothing in the log. A worker process can be given a deadline and, past it, killed and
started again: a stuck engine costs one retry, never a button that stays grey.
"""

import json
import os
import select
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

# a chart renders in well under a second here; a board-pack chart at 2× in about one
DEADLINE_S = 30.0
_ROOT = Path(__file__).resolve().parent.parent
_LOCK = threading.Lock()
_worker: subprocess.Popen | None = None


class RenderFailed(RuntimeError):
    """vl-convert refused the chart, or did not answer in time twice."""


def _start() -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "charts.render_worker"], cwd=_ROOT,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            env={**os.environ, "PYTHONPATH": str(_ROOT)})


def _stop() -> None:
    global _worker
    if _worker is not None:
        _worker.kill()
        _worker.wait()
        _worker = None


def _read_exactly(stream, size: int, deadline: float) -> bytes:
    chunks, left = [], size
    fd = stream.fileno()
    while left:
        wait = deadline - time.monotonic()
        if wait <= 0 or not select.select([fd], [], [], wait)[0]:
            raise TimeoutError
        chunk = os.read(fd, left)
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _ask(name: str, args: tuple, kwargs: dict):
    global _worker
    if _worker is None or _worker.poll() is not None:
        _worker = _start()
    request = json.dumps({"fn": name, "args": list(args), "kwargs": kwargs}).encode("utf-8")
    _worker.stdin.write(struct.pack(">I", len(request)) + request)
    _worker.stdin.flush()
    deadline = time.monotonic() + DEADLINE_S
    kind, size = struct.unpack(">cI", _read_exactly(_worker.stdout, 5, deadline))
    payload = _read_exactly(_worker.stdout, size, deadline)
    if kind == b"E":
        raise RenderFailed(payload.decode("utf-8"))
    return payload.decode("utf-8") if kind == b"S" else payload


def _run(name: str, *args, **kwargs):
    with _LOCK:
        for attempt in (1, 2):
            try:
                return _ask(name, args, kwargs)
            except (OSError, EOFError) as problem:  # a timeout and a broken pipe are OSErrors too
                _stop()  # stuck or gone: a fresh worker for the retry and for whoever comes next
                if attempt == 2:
                    raise RenderFailed(f"vl-convert did not answer ({type(problem).__name__})") from problem


def vegalite_to_png(spec: dict | str, scale: float = 2) -> bytes:
    return _run("vegalite_to_png", spec if isinstance(spec, str) else json.dumps(spec), scale=scale)


def vegalite_to_svg(spec: dict | str) -> str:
    return _run("vegalite_to_svg", spec if isinstance(spec, str) else json.dumps(spec))


def svg_to_png(svg: str, scale: float = 1) -> bytes:
    return _run("svg_to_png", svg, scale=scale)

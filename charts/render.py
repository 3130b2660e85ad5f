"""Every chart and picture drawn offline by vl-convert goes through here: in long-lived worker
processes of their own (charts/render_worker.py), one drawing at a time each, with a deadline.

Why a process, measured here: vl-convert called from Streamlit's short-lived script threads hung
a later chart download; funnelled through one thread of the server, the first image download
after ten minutes of serving still hung for over 75 s on a loaded CI machine, its button left
disabled, nothing in the log. A worker process can be given a deadline and, past it, killed and
started again: a stuck engine costs one retry, never a button that stays grey. Two of them
(WORKERS), so that the board pack draws two pictures at once (its dozen pictures are four fifths
of its time); the second starts only when two drawings are asked for at once.
"""

import json
import os
import queue
import select
import struct
import subprocess
import sys
import time
from pathlib import Path

# a chart renders in well under a second here; a board-pack chart at 2× in about one
DEADLINE_S = 30.0
WORKERS = 2
_ROOT = Path(__file__).resolve().parent.parent


class _Slot:
    """One worker process (None until first needed, and again after it was stopped)."""

    def __init__(self):
        self.worker: subprocess.Popen | None = None


_SLOTS = [_Slot() for _ in range(WORKERS)]
# the slots free to draw, the one used last on top: drawings one after another keep to one worker
_FREE: queue.LifoQueue = queue.LifoQueue()
for _slot in reversed(_SLOTS):
    _FREE.put(_slot)


class RenderFailed(RuntimeError):
    """vl-convert refused the chart, or did not answer in time twice."""


def _start() -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "charts.render_worker"], cwd=_ROOT,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            env={**os.environ, "PYTHONPATH": str(_ROOT)})


def _stop_slot(slot: _Slot) -> None:
    if slot.worker is not None:
        slot.worker.kill()
        slot.worker.wait()
        slot.worker = None


def _stop() -> None:
    """Stop every worker not drawing now (a test's clean start; the next drawing starts one)."""
    taken = []
    while True:
        try:
            taken.append(_FREE.get_nowait())
        except queue.Empty:
            break
    for slot in taken:
        _stop_slot(slot)
    for slot in reversed(taken):
        _FREE.put(slot)


def _current() -> subprocess.Popen | None:
    """The worker the next drawing goes to when nothing else draws: the one used last."""
    with _FREE.mutex:
        return _FREE.queue[-1].worker if _FREE.queue else None


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


def _ask(slot: _Slot, name: str, args: tuple, kwargs: dict):
    if slot.worker is None or slot.worker.poll() is not None:
        slot.worker = _start()
    request = json.dumps({"fn": name, "args": list(args), "kwargs": kwargs}).encode("utf-8")
    slot.worker.stdin.write(struct.pack(">I", len(request)) + request)
    slot.worker.stdin.flush()
    deadline = time.monotonic() + DEADLINE_S
    kind, size = struct.unpack(">cI", _read_exactly(slot.worker.stdout, 5, deadline))
    payload = _read_exactly(slot.worker.stdout, size, deadline)
    if kind == b"E":
        raise RenderFailed(payload.decode("utf-8"))
    return payload.decode("utf-8") if kind == b"S" else payload


def _run(name: str, *args, **kwargs):
    slot = _FREE.get()     # waits while every worker draws
    try:
        for attempt in (1, 2):
            try:
                return _ask(slot, name, args, kwargs)
            except (OSError, EOFError) as problem:  # a timeout and a broken pipe are OSErrors too
                _stop_slot(slot)  # stuck or gone: a fresh worker for the retry and for whoever comes next
                if attempt == 2:
                    raise RenderFailed(f"vl-convert did not answer ({type(problem).__name__})") from problem
    finally:
        _FREE.put(slot)


def vegalite_to_png(spec: dict | str, scale: float = 2) -> bytes:
    return _run("vegalite_to_png", spec if isinstance(spec, str) else json.dumps(spec), scale=scale)


def vegalite_to_svg(spec: dict | str) -> str:
    return _run("vegalite_to_svg", spec if isinstance(spec, str) else json.dumps(spec))


def svg_to_png(svg: str, scale: float = 1) -> bytes:
    return _run("svg_to_png", svg, scale=scale)

"""Every chart and picture drawn offline by vl-convert goes through here, one at a time on one
long-lived thread of its own.

Measured here: with vl-convert called from Streamlit's short-lived script threads (the logo on
the presentation page), a later chart download on the same server hung with its button
disabled, and the pages ran slower; funnelled through one thread, they do not.
"""

import json
from concurrent.futures import ThreadPoolExecutor

_RENDERER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="vl-convert")


def _run(name: str, *args, **kwargs):
    import vl_convert

    return _RENDERER.submit(getattr(vl_convert, name), *args, **kwargs).result()


def vegalite_to_png(spec: dict | str, scale: float = 2) -> bytes:
    return _run("vegalite_to_png", spec if isinstance(spec, str) else json.dumps(spec), scale=scale)


def vegalite_to_svg(spec: dict | str) -> str:
    return _run("vegalite_to_svg", spec if isinstance(spec, str) else json.dumps(spec))


def svg_to_png(svg: str, scale: float = 1) -> bytes:
    return _run("svg_to_png", svg, scale=scale)

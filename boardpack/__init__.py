"""The board pack: every figure of a period and scope as slides, in PowerPoint or PDF, in the
viewer's language, as a board viewer sees the figures (docs/board-pack.md).

`build_pack(ctx, "pptx")` gives the file's bytes; the app's presentation page and
`python cli.py board-pack` both call it.
"""

import io
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from PIL import Image

import i18n
from boardpack import layout
from boardpack.deck import Deck, build_slides, network_name
from boardpack.pictures import chart_png, logo_png
from charts import render
from settings import PROJECT_ROOT, Settings
from ui.context import PageContext

FORMATS = ("pptx", "pdf")
MIME = {"pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "pdf": "application/pdf"}
DEFAULT_LOGO = PROJECT_ROOT / "assets" / "kokemusmittari.svg"
DEFAULT_ACCENT = Settings.brand_colour
_HEX = re.compile(r"#[0-9A-Fa-f]{6}")
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class PackSettingError(ValueError):
    """A branding setting the pack cannot use: `code` names it (brand_colour, logo)."""

    def __init__(self, code: str, value: str):
        super().__init__(f"{code}: {value!r}")
        self.code, self.value = code, value

    def message(self, lang: str) -> str:
        return i18n.t(lang, f"pack.bad_{self.code}", value=self.value)


def brand_files(settings: Settings, lang: str) -> tuple[str, str, Path]:
    """The network's name, its colour and its logo's file, checked without drawing anything
    (the presentation page shows the file as it is)."""
    colour = settings.brand_colour.strip()
    if not _HEX.fullmatch(colour):
        raise PackSettingError("brand_colour", colour)
    path = Path(settings.logo).expanduser() if settings.logo.strip() else DEFAULT_LOGO
    if path.suffix.lower() not in (".png", ".svg") or not path.is_file():
        raise PackSettingError("logo", settings.logo)
    return network_name(settings, lang), colour, path


def branding(settings: Settings, lang: str) -> tuple[str, str, bytes]:
    """The network's name, its colour and its logo (PNG), from settings or the app's own."""
    network, colour, path = brand_files(settings, lang)
    source = path.read_bytes()
    if path.suffix.lower() == ".png" and not source.startswith(_PNG_SIGNATURE):
        raise PackSettingError("logo", settings.logo)
    try:
        logo = logo_png(source, is_svg=path.suffix.lower() == ".svg")
        # decoded whole, so a damaged or empty picture is this message, not a writer's crash
        with Image.open(io.BytesIO(logo)) as picture:
            picture.load()
            if picture.width < 1 or picture.height < 1:
                raise ValueError("an empty picture")
    except Exception as error:  # vl-convert and Pillow refuse a broken file with their own error types
        raise PackSettingError("logo", settings.logo) from error
    return network, colour, logo


def build_pack(ctx: PageContext, fmt: str, progress: Callable[[int, int], None] | None = None) -> bytes:
    """The pack's file for the context's period, scope and language; `progress(done, total)`
    is called as slides and pictures are made."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    from boardpack.pdf_file import write_pdf
    from boardpack.pptx_file import write_pptx

    network, accent, logo = branding(ctx.settings, ctx.lang)
    # the slides' figures first (a quarter of the time), then the pictures, then the file
    slides = build_slides(ctx, network)
    charts = [i for i, slide in enumerate(slides) if slide.kind == "chart" and not slide.empty]
    total, done = len(charts) + 2, 0

    def step():
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total)

    step()
    pictures = {}

    def picture(index: int) -> bytes:
        body = layout.frame(slides[index].title, slides[index].sentences).body
        return chart_png(slides[index].view.chart, ratio=body.w / body.h)

    # as many at once as there are drawing workers (charts.render); the progress is told from
    # this thread, in the slides' order
    with ThreadPoolExecutor(max_workers=render.WORKERS) as pool:
        for index, png in zip(charts, pool.map(picture, charts), strict=True):
            pictures[index] = png
            step()
    deck = Deck(network=network, lang=ctx.lang, slides=tuple(slides), accent=accent, logo=logo, pictures=pictures)
    content = write_pptx(deck) if fmt == "pptx" else write_pdf(deck)
    step()
    return content


def file_name(ctx: PageContext, fmt: str) -> str:
    """'hallituspaketti_2026-01_2026-06.pptx': the pack's name in its language, with its months."""
    period = ctx.period
    stem = i18n.t(ctx.lang, "pack.file_stem")
    return f"{stem}_{period.from_month:%Y-%m}_{period.to_month:%Y-%m}.{fmt}"

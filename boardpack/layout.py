"""Where everything sits on a 16:9 slide (13.333 × 7.5 in), shared by the PowerPoint and the
PDF writer so both files show the same slide, and the colours they draw with."""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import reportlab
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

WIDTH, HEIGHT = 40 / 3, 7.5   # inches: PowerPoint's 16:9 (12 192 000 × 6 858 000 EMU)
MARGIN = 0.55
INK = "#1A1A1A"               # body text on white: 17:1
QUIET = "#4D4D4D"             # footnotes on white: 8.5:1
TONES = {"good": "#00704F", "bad": "#A34200", "neutral": "#4D4D4D"}   # a tile's change, ≥ 5:1 on white
TILE_FILL = "#F2F5F8"


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float


ACCENT_BAR = Box(0, 0, WIDTH, 0.14)
FOOTNOTE = Box(MARGIN, 6.82, WIDTH - 2 * MARGIN - 0.8, 0.6)
PAGE_NUMBER = Box(WIDTH - MARGIN - 0.7, 6.95, 0.7, 0.35)
# the title slide
LOGO = Box(MARGIN, 0.75, 1.3, 1.3)
NETWORK = Box(MARGIN, 2.35, WIDTH - 2 * MARGIN, 1.1)
PACK_TITLE = Box(MARGIN, 3.45, WIDTH - 2 * MARGIN, 0.8)
PERIOD = Box(MARGIN, 4.3, WIDTH - 2 * MARGIN, 0.9)
TITLE_FOOT = Box(MARGIN, 6.3, WIDTH - 2 * MARGIN, 0.6)

# sizes in points
TITLE_SIZES = (30, 28, 26, 24)
SENTENCE_SIZES = (18, 17, 16, 15, 14, 13, 12)
FOOTNOTE_PT, EMPTY_PT = 10, 22
LEADING = 1.2
NETWORK_PT, PACK_TITLE_PT, PERIOD_PT = 40, 28, 22
TILE_LABEL_PT, TILE_VALUE_PT, TILE_DELTA_PT = 15, 40, 17


@cache
def fonts() -> tuple[str, str]:
    """Bitstream Vera, shipped inside ReportLab: the PDF's fonts, and the measure of every line
    on both files (Vera is wider than PowerPoint's Calibri, so what fits here fits there)."""
    folder = Path(reportlab.__file__).resolve().parent / "fonts"
    pdfmetrics.registerFont(TTFont("Vera", str(folder / "Vera.ttf")))
    pdfmetrics.registerFont(TTFont("Vera-Bold", str(folder / "VeraBd.ttf")))
    return "Vera", "Vera-Bold"


def line_count(text: str, size: float, width_in: float, bold: bool = False) -> int:
    """How many lines `text` takes at `size` points in a box `width_in` inches wide, wrapped at spaces."""
    font = fonts()[1 if bold else 0]
    room, lines = width_in * 72, 0
    for paragraph in text.split("\n"):
        lines += 1
        used = 0.0
        for word in paragraph.split(" "):
            width = pdfmetrics.stringWidth(word, font, size)
            gap = pdfmetrics.stringWidth(" ", font, size) if used else 0.0
            if used and used + gap + width > room:
                lines, used = lines + 1, width
            else:
                used += gap + width
    return lines


def _height(lines: int, size: float) -> float:
    return lines * size * LEADING / 72


@dataclass(frozen=True)
class Frame:
    """A slide's boxes: the headline and its size, the sentences and theirs, and the body
    (a chart or the tiles) in the room that is left above the footnote."""
    title: Box
    title_pt: int
    sentences: Box
    sentence_pt: int
    body: Box


def frame(title: str, sentences: str) -> Frame:
    """The headline on one line if a size from 30 to 24 pt holds it, else on two at 24 pt; the
    sentences at the largest size from 18 to 12 pt that holds them in four lines."""
    width = WIDTH - 2 * MARGIN
    title_pt = next((s for s in TITLE_SIZES if line_count(title, s, width, bold=True) == 1), TITLE_SIZES[-1])
    title_box = Box(MARGIN, 0.35, width, _height(line_count(title, title_pt, width, bold=True), title_pt) + 0.08)
    sentence_pt = next((s for s in SENTENCE_SIZES if line_count(sentences, s, width) <= 4), SENTENCE_SIZES[-1])
    lines = line_count(sentences, sentence_pt, width) if sentences else 0
    sentence_box = Box(MARGIN, title_box.y + title_box.h + 0.1, width, _height(lines, sentence_pt) + 0.05)
    top = sentence_box.y + sentence_box.h + 0.2
    return Frame(title_box, title_pt, sentence_box, sentence_pt, Box(MARGIN, top, width, FOOTNOTE.y - 0.15 - top))


def tile_box(index: int, body: Box, columns: int = 3) -> Box:
    """The key-figures slide's tiles in the body, three to a row, two rows."""
    gap = 0.3
    w = (body.w - gap * (columns - 1)) / columns
    h = min(1.95, (body.h - gap) / 2)
    row, column = divmod(index, columns)
    return Box(body.x + column * (w + gap), body.y + row * (h + gap), w, h)


def fitted(width_px: int, height_px: int, box: Box) -> Box:
    """The largest box of the picture's proportions inside `box`, centred across, at its top."""
    ratio = width_px / height_px
    w, h = box.w, box.w / ratio
    if h > box.h:
        w, h = box.h * ratio, box.h
    return Box(box.x + (box.w - w) / 2, box.y, w, h)


def rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


def luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance."""
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_on_white(colour: str) -> float:
    return 1.05 / (luminance(colour) + 0.05)


def text_colour(accent: str) -> str:
    """The brand colour for a line of text on white when it reads at 4.5:1, else the body ink."""
    return accent if contrast_on_white(accent) >= 4.5 else INK

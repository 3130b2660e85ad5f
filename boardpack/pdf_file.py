"""The board pack as a PDF: the same slide model and layout as the PowerPoint file, drawn with
ReportLab, one 16:9 page per slide.

Why ReportLab rather than converting the .pptx with LibreOffice: LibreOffice is ~600 MB of
Debian packages and takes seconds to start per file; ReportLab is a pure-Python wheel that draws
the same boxes (boardpack/layout.py) in well under a second, and embeds the fonts it uses.
"""

import io
from xml.sax.saxutils import escape

from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from boardpack import layout
from boardpack.deck import LANGUAGE_TAGS, Deck, Slide
from boardpack.pictures import png_size


def write_pdf(deck: Deck) -> bytes:
    regular, bold = layout.fonts()
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(layout.WIDTH * inch, layout.HEIGHT * inch), pageCompression=1)
    canvas.setTitle(deck.slides[0].sentences if deck.slides else "")
    canvas.setAuthor(deck.network)
    canvas.setCatalogEntry("Lang", LANGUAGE_TAGS[deck.lang])
    for number, model in enumerate(deck.slides, start=1):
        _bar(canvas, deck.accent)
        if model.kind == "title":
            _title_page(canvas, model, deck, regular, bold)
        else:
            boxes = layout.frame(model.title, model.sentences)
            _text(canvas, boxes.title, model.title, boxes.title_pt, bold)
            _text(canvas, boxes.sentences, model.sentences, boxes.sentence_pt, regular)
            if model.kind == "figures":
                _tiles(canvas, model, boxes.body, regular, bold)
            elif model.empty:
                _text(canvas, boxes.body, "—", layout.EMPTY_PT, regular, layout.QUIET, TA_CENTER)
            else:
                _picture(canvas, deck.pictures[number - 1], boxes.body)
            _text(canvas, layout.FOOTNOTE, model.footnote, layout.FOOTNOTE_PT, regular, layout.QUIET)
            _text(canvas, layout.PAGE_NUMBER, str(number), layout.FOOTNOTE_PT, regular, layout.QUIET, TA_RIGHT)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def _bar(canvas: Canvas, colour: str) -> None:
    box = layout.ACCENT_BAR
    canvas.setFillColor(HexColor(colour))
    canvas.rect(box.x * inch, (layout.HEIGHT - box.y - box.h) * inch, box.w * inch, box.h * inch, stroke=0, fill=1)


def _title_page(canvas: Canvas, model: Slide, deck: Deck, regular: str, bold: str) -> None:
    if deck.logo:
        width, height = png_size(deck.logo)
        box = layout.fitted(width, height, layout.LOGO)
        _picture(canvas, deck.logo, layout.Box(layout.LOGO.x, box.y, box.w, box.h))
    _text(canvas, layout.NETWORK, model.title, layout.NETWORK_PT, bold)
    _text(canvas, layout.PACK_TITLE, model.sentences, layout.PACK_TITLE_PT, regular, deck.accent_text)
    _text(canvas, layout.PERIOD, model.subtitle, layout.PERIOD_PT, regular)
    _text(canvas, layout.TITLE_FOOT, model.footnote, 14, regular, layout.QUIET)


def _tiles(canvas: Canvas, model: Slide, body: layout.Box, regular: str, bold: str) -> None:
    for index, tile in enumerate(model.tiles):
        box = layout.tile_box(index, body)
        canvas.setFillColor(HexColor(layout.TILE_FILL))
        canvas.roundRect(box.x * inch, (layout.HEIGHT - box.y - box.h) * inch, box.w * inch, box.h * inch,
                         0.12 * inch, stroke=0, fill=1)
        inner = layout.Box(box.x + 0.2, box.y + 0.2, box.w - 0.4, box.h - 0.4)
        lines = [(tile.label, layout.TILE_LABEL_PT, regular, layout.INK),
                 (tile.value, layout.TILE_VALUE_PT, bold, layout.INK)]
        if tile.delta:
            lines.append((tile.delta, layout.TILE_DELTA_PT, regular, layout.TONES[tile.tone]))
        y = inner.y
        for text, size, font, colour in lines:
            used = _text(canvas, layout.Box(inner.x, y, inner.w, inner.h), text, size, font, colour)
            y += used + 0.04


def _picture(canvas: Canvas, png: bytes, box: layout.Box) -> None:
    width, height = png_size(png)
    fit = layout.fitted(width, height, box)
    canvas.drawImage(ImageReader(io.BytesIO(png)), fit.x * inch, (layout.HEIGHT - fit.y - fit.h) * inch,
                     fit.w * inch, fit.h * inch, mask="auto")


def _text(canvas: Canvas, box: layout.Box, text: str, size: int, font: str, colour: str = layout.INK,
          align=TA_LEFT) -> float:
    """A paragraph wrapped into the box's width from its top; returns the height it took (inches)."""
    if not text:
        return 0.0
    style = ParagraphStyle("slide", fontName=font, fontSize=size, leading=size * 1.2,
                           textColor=HexColor(colour), alignment=align)
    # Vera has no narrow or thin no-break space: a plain no-break space holds the same place
    clean = text.replace("\u202f", "\u00a0").replace("\u2009", "\u00a0")
    paragraph = Paragraph(escape(clean).replace("\n", "<br/>"), style)
    _, height = paragraph.wrap(box.w * inch, box.h * inch)
    paragraph.drawOn(canvas, box.x * inch, (layout.HEIGHT - box.y) * inch - height)
    return height / inch

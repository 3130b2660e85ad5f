"""The board pack as a PowerPoint file (python-pptx), 16:9, from the slide model of deck.py."""

import io

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from boardpack import layout
from boardpack.deck import LANGUAGE_TAGS, Deck, Slide
from boardpack.pictures import png_size

BLANK = 6  # the default template's empty layout


def write_pptx(deck: Deck) -> bytes:
    presentation = Presentation()
    presentation.slide_width, presentation.slide_height = Emu(round(layout.WIDTH * 914400)), Inches(layout.HEIGHT)
    presentation.core_properties.title = deck.slides[0].sentences if deck.slides else ""
    presentation.core_properties.author = deck.network
    presentation.core_properties.language = LANGUAGE_TAGS[deck.lang]
    for number, model in enumerate(deck.slides, start=1):
        slide = presentation.slides.add_slide(presentation.slide_layouts[BLANK])
        _accent_bar(slide, deck.accent)
        if model.kind == "title":
            _title_slide(slide, model, deck)
        else:
            boxes = layout.frame(model.title, model.sentences)
            _text(slide, boxes.title, model.title, boxes.title_pt, bold=True, name="title")
            _text(slide, boxes.sentences, model.sentences, boxes.sentence_pt, name="sentences")
            if model.kind == "figures":
                _tiles(slide, model, boxes.body)
            elif model.empty:
                _text(slide, boxes.body, "—", layout.EMPTY_PT, colour=layout.QUIET, align=PP_ALIGN.CENTER)
            else:
                _picture(slide, deck.pictures[number - 1], model, boxes.body)
            _text(slide, layout.FOOTNOTE, model.footnote, layout.FOOTNOTE_PT, colour=layout.QUIET)
            _text(slide, layout.PAGE_NUMBER, str(number), layout.FOOTNOTE_PT, colour=layout.QUIET, align=PP_ALIGN.RIGHT,
                  name="page number")
        slide.notes_slide.notes_text_frame.text = model.notes
    out = io.BytesIO()
    presentation.save(out)
    return out.getvalue()


def _accent_bar(slide, colour: str) -> None:
    box = layout.ACCENT_BAR
    bar = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Inches(box.x), Inches(box.y), Inches(box.w), Inches(box.h))
    bar.fill.solid()
    bar.fill.fore_color.rgb = RGBColor(*layout.rgb(colour))
    bar.line.fill.background()
    bar.name = "accent"


def _title_slide(slide, model: Slide, deck: Deck) -> None:
    if deck.logo:
        width, height = png_size(deck.logo)
        box = layout.fitted(width, height, layout.LOGO)
        picture = slide.shapes.add_picture(io.BytesIO(deck.logo), Inches(layout.LOGO.x), Inches(box.y),
                                           Inches(box.w), Inches(box.h))
        picture.name = "logo"
    _text(slide, layout.NETWORK, model.title, layout.NETWORK_PT, bold=True, name="title")
    _text(slide, layout.PACK_TITLE, model.sentences, layout.PACK_TITLE_PT, colour=deck.accent_text)
    _text(slide, layout.PERIOD, model.subtitle, layout.PERIOD_PT)
    _text(slide, layout.TITLE_FOOT, model.footnote, 14, colour=layout.QUIET)


def _tiles(slide, model: Slide, body: layout.Box) -> None:
    for index, tile in enumerate(model.tiles):
        box = layout.tile_box(index, body)
        shape = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, Inches(box.x), Inches(box.y),
                                       Inches(box.w), Inches(box.h))
        shape.adjustments[0] = 0.06
        shape.fill.solid()
        shape.fill.fore_color.rgb = RGBColor(*layout.rgb(layout.TILE_FILL))
        shape.line.fill.background()
        shape.name = f"tile {index + 1}"
        frame = shape.text_frame
        frame.word_wrap = True
        frame.vertical_anchor = MSO_ANCHOR.MIDDLE
        for margin in ("margin_left", "margin_right"):
            setattr(frame, margin, Inches(0.2))
        lines = [(tile.label, layout.TILE_LABEL_PT, layout.INK, False),
                 (tile.value, layout.TILE_VALUE_PT, layout.INK, True)]
        if tile.delta:
            lines.append((tile.delta, layout.TILE_DELTA_PT, layout.TONES[tile.tone], False))
        for number, (text, size, colour, bold) in enumerate(lines):
            paragraph = frame.paragraphs[0] if number == 0 else frame.add_paragraph()
            paragraph.alignment = PP_ALIGN.LEFT
            _run(paragraph, text, size, colour, bold)


def _picture(slide, png: bytes, model: Slide, body: layout.Box) -> None:
    width, height = png_size(png)
    box = layout.fitted(width, height, body)
    picture = slide.shapes.add_picture(io.BytesIO(png), Inches(box.x), Inches(box.y), Inches(box.w), Inches(box.h))
    picture.name = f"chart {model.view.key}"
    # the chart's text alternative, as a screen reader reads it on the page
    picture._element.nvPicPr.cNvPr.set("descr", model.view.chart.description
                                       if isinstance(getattr(model.view.chart, "description", None), str)
                                       else model.title)


def _text(slide, box: layout.Box, text: str, size: int, *, bold: bool = False, colour: str = layout.INK,
          align=PP_ALIGN.LEFT, name: str | None = None) -> None:
    shape = slide.shapes.add_textbox(Inches(box.x), Inches(box.y), Inches(box.w), Inches(box.h))
    if name:
        shape.name = name
    frame = shape.text_frame
    frame.word_wrap = True
    frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
    paragraph = frame.paragraphs[0]
    paragraph.alignment = align
    _run(paragraph, text, size, colour, bold)


def _run(paragraph, text: str, size: int, colour: str, bold: bool) -> None:
    run = paragraph.add_run()
    run.text = text
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = RGBColor(*layout.rgb(colour))

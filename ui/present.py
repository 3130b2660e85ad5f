"""Presentation mode's state and look, shared by the frame (app.py) and pages/present.py."""

import re

import streamlit as st

PRESENTING = "present_on"     # session state: the presentation page shows slides
SLIDE = "present_slide"       # session state: the slide shown, from 0
PRESENT_PAGE = "present"
_MAIN = "[data-testid='stMain']"


def presenting(url_path: str) -> bool:
    """True while the presentation page shows slides: the frame then draws no title or notice."""
    return url_path == PRESENT_PAGE and bool(st.session_state.get(PRESENTING))


# a slide's chart is this tall under two lines of sentences, and a line shorter for each line
# more, so that the buttons under it stay on a 1400 x 1000 screen (four lines pushed them off)
CHART_HEIGHT, LINE_HEIGHT, LINE_CHARS, LOWEST = 480, 40, 100, 320


def chart_height(sentences: str) -> int:
    """The plot's height on a slide whose sentences are `sentences` (about LINE_CHARS a line)."""
    lines = -(-len(sentences) // LINE_CHARS)
    return max(LOWEST, CHART_HEIGHT - LINE_HEIGHT * max(0, lines - 2))


def presentation_style(accent: str) -> str:
    """Full screen for a projector: no sidebar or header, large type, black on white, the
    network's colour as a band across the top (as on the board pack's slides)."""
    if not re.fullmatch(r"#[0-9A-Fa-f]{6}", accent):
        raise ValueError(accent)
    markdown, metric = f"{_MAIN} [data-testid='stMarkdownContainer']", f"{_MAIN} [data-testid='stMetric"
    rules = [
        (_MAIN, f"border-top: 14px solid {accent}; color: #000; background: #fff"),
        ("[data-testid='stSidebar'], [data-testid='stSidebarCollapsedControl'], [data-testid='stHeader'],"
         " [data-testid='stToolbar'], [data-testid='stDecoration'], [data-testid='stHeaderActionElements']",
         "display: none"),
        ("[data-testid='stMainBlockContainer']", "max-width: 100%; padding: 1.5rem 3rem 1rem 3rem"),
        (f"{_MAIN} h1", "font-size: 3.4rem; line-height: 1.15; padding-bottom: 0.5rem"),
        (f"{_MAIN} h2", "font-size: 2.4rem"),
        (f"{_MAIN} h3", "font-size: 2rem; font-weight: 400"),
        (f"{markdown} p", "font-size: 1.75rem; line-height: 1.4"),
        (f"{_MAIN} [data-testid='stCaptionContainer'] p", "font-size: 1.1rem; color: #333"),
        # the tiles' texts are markdown inside the main block too: these name them more closely
        (f"{metric}Label'] [data-testid='stMarkdownContainer'] p", "font-size: 1.5rem"),
        (f"{metric}Value'] [data-testid='stMarkdownContainer'] p",
         "font-size: 4.2rem; font-weight: 700; line-height: 1.2"),
        (f"{metric}Delta'] [data-testid='stMarkdownContainer'] p", "font-size: 1.7rem"),
        (f"{_MAIN} button p", "font-size: 1.25rem"),
    ]
    # Streamlit's own styles come later in the page: every rule here must win over them
    css = [f"{selector} {{{'; '.join(d.strip() + ' !important' for d in body.split(';'))};}}"
           for selector, body in rules]
    return "<style>" + "\n".join(css) + "</style>"

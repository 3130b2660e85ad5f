"""Text that came from outside — file names, cell values, organisation and municipality names —
shown as text wherever Streamlit renders Markdown.

st.markdown, st.write, alerts, captions, widget labels, help tooltips, expander and status
labels all render Markdown and Streamlit's own extensions: `:red[…]` directives,
`:material/…:` icons, `:emoji:` shortcodes, `$…$` LaTeX, and autolinks for bare URLs. A
value such as `[kirjaudu](https://evil.example)` or `![](http://…/pixel.png)` would become a
live link or make the viewer's browser fetch an image. Tables (st.dataframe) and charts
(Vega draws text, its tooltips escape HTML) show text as text and need no escaping.
"""

import re
import string

# CommonMark lets a backslash escape any ASCII punctuation character, and then shows it as
# itself; escaping every one of them leaves no syntax to open: emphasis, links, images, code,
# HTML tags and entities (&lt;), GFM tables and strikethrough, Streamlit's directives and
# icons (\:red[ , \:material/), emoji shortcodes (\:smile\:) and math (\$).
_PUNCTUATION = re.compile("([" + re.escape(string.punctuation) + "])")
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029]+")
# GFM's bare-address links are found again in the text after the escapes are read
# (mdast-util-gfm-autolink-literal): an invisible word joiner breaks the patterns it looks
# for — "://", "www." and the "@" of an address — and shows nothing.
WORD_JOINER = "\u2060"
_ADDRESS_MARKS = re.compile(r"(?<=:)(?=//)|(?i:(?<=www))(?=\.)|(?<=@)")


def escape_markdown(value) -> str:
    """`value` as text that Markdown shows exactly as written, on one line (a line break in a
    cell would otherwise start a heading, a list or a code block)."""
    if value is None:
        return ""
    text = _LINE_BREAKS.sub(" ", str(value))
    text = _ADDRESS_MARKS.sub(WORD_JOINER, text)
    return _PUNCTUATION.sub(r"\\\1", text)

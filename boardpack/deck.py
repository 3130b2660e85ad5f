"""The board pack as a list of slides, built from the same views the pages draw (ui/views.py).

One slide model serves three renderers: the PowerPoint file (boardpack/pptx_file.py), the PDF
(boardpack/pdf_file.py) and the presentation page (pages/present.py). Every figure on a slide
is what a board viewer sees on the pages: protected counts perturbed and small ones hidden
(`as_board`), whoever builds the pack.
"""

import re
import string
from dataclasses import dataclass, field, replace
from datetime import date, datetime

import pandas as pd

import i18n
from i18n.formats import fmt_month, local_date, local_today
from queries.periods import Period, last_complete_month
from queries.scope import Scope
from queries.suppression import markers_as_text
from settings import Settings
from ui import completeness_tables, data, narrative, views, widgets
from ui.context import PageContext, data_version
from ui.safe_text import WORD_JOINER
from ui.views import SMALL_SAMPLE, ChartView
from warehouse import Warehouse
from warehouse.ledger import last_stored_at

# the pack's language as its files declare it (pptx core properties, the PDF's /Lang)
LANGUAGE_TAGS = {"fi": "fi-FI", "sv": "sv-FI", "en": "en-GB"}
NOTES_ROWS = 60  # the speaker notes' table stops here (a note is read on a laptop, not printed)


@dataclass(frozen=True)
class NamedTile:
    """A key figure as a slide shows it: its label in words, value, change, and the change's
    colour rule (st.metric's: a rise is good "normal", bad "inverse", or neither "off")."""
    label: str
    value: str
    delta: str | None
    colour: str
    hidden: bool

    @property
    def tone(self) -> str:
        """"good", "bad" or "neutral": the colour a slide gives the change."""
        if not self.delta or self.colour == "off":
            return "neutral"
        rising = not self.delta.lstrip().startswith(("-", "\u2212"))
        return "good" if rising == (self.colour == "normal") else "bad"


@dataclass(frozen=True)
class Slide:
    kind: str                      # "title", "figures" or "chart"
    title: str
    sentences: str = ""            # plain text, one or two sentences
    footnote: str = ""
    subtitle: str = ""             # the title slide's period, scope and update time
    view: ChartView | None = None  # chart slides
    tiles: tuple[NamedTile, ...] = ()
    section: str = ""

    @property
    def empty(self) -> bool:
        return self.kind == "chart" and (self.view is None or self.view.empty or self.view.chart is None)

    @property
    def notes(self) -> str:
        """The speaker notes: the headline, the sentences, then the chart's numbers as a small
        tab-separated table, so a presenter can answer "how many exactly?"."""
        parts = [self.title, self.sentences]
        if self.kind == "figures":
            parts.append("\n".join(f"{t.label}\t{t.value}" + (f"\t{t.delta}" if t.delta else "") for t in self.tiles))
        if self.kind == "chart" and self.view is not None and not self.view.empty:
            parts.append(notes_table(self.view.shown_table))
        return "\n\n".join(p for p in parts if p)


def notes_table(table: pd.DataFrame) -> str:
    shown = markers_as_text(table, missing="")
    lines = ["\t".join(str(c) for c in shown.columns)]
    for row in shown.head(NOTES_ROWS).itertuples(index=False):
        lines.append("\t".join(_cell(v) for v in row))
    if len(shown) > NOTES_ROWS:
        lines.append(f"… +{len(shown) - NOTES_ROWS}")
    return "\n".join(lines)


def _cell(value) -> str:
    if isinstance(value, (pd.Timestamp, datetime)):
        return f"{value:%Y-%m}"
    if isinstance(value, date):
        return f"{value:%Y-%m}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


@dataclass(frozen=True)
class Deck:
    network: str
    lang: str
    slides: tuple[Slide, ...]
    accent: str
    logo: bytes | None = None   # PNG
    pictures: dict = field(default_factory=dict, compare=False)   # slide index -> PNG bytes

    @property
    def accent_text(self) -> str:
        from boardpack.layout import text_colour

        return text_colour(self.accent)


# the exact inverse of ui.safe_text.escape_markdown: every ASCII punctuation escaped, the
# invisible word joiner in addresses; and the page's own bold markers (not escaped) taken out
_ESCAPED = re.compile(r"\\([" + re.escape(string.punctuation) + r"])")
_BOLD = re.compile(r"(?<!\\)\*\*")


def plain(markdown: str) -> str:
    """A page's Markdown sentence as plain text for a slide (names were escaped for Markdown)."""
    return _ESCAPED.sub(r"\1", _BOLD.sub("", markdown)).replace(WORD_JOINER, "")


def as_board(ctx: PageContext) -> PageContext:
    """The same period and scope as a board viewer sees them: protected counts perturbed and
    small ones hidden, whoever looks (leadership presents to the board)."""
    return replace(ctx, role="board", scope=replace(ctx.scope, exact=False))


def board_context(warehouse: Warehouse, settings: Settings, period: Period, lang: str,
                  org_codes: tuple[str, ...] | None = None, compare: str = "previous",
                  today: date | None = None) -> PageContext:
    """A context for the command line: the whole network or some organisations, as the board sees it."""
    scope = Scope(org_codes=org_codes, exact=False, threshold=settings.suppression_threshold)
    return PageContext(lang=lang, warehouse=warehouse, settings=settings, role="board", period=period,
                       scope=scope, data_version=data_version(warehouse), today=today or local_today(),
                       compare=compare)


def slide_count() -> int:
    """Title, key figures, the Overview's trend, then every chart of ui.views.SECTIONS."""
    return 3 + sum(len(charts) for _, charts in views.SECTIONS)


def footnote(ctx: PageContext, protected: bool, small_sample: bool = False, period_text: str | None = None) -> str:
    """Scope and period · source · comparison · the privacy rule (counts about people) · caution."""
    parts = [period_text or f"{ctx.period.label(ctx.lang)} · {widgets.scope_label(ctx)}",
             ctx.t("pack.source"),
             ctx.t("pack.comparison", previous=ctx.comparison.label(ctx.lang))]
    if protected:
        parts.append(ctx.t("pack.privacy", threshold=ctx.scope.threshold, largest=ctx.scope.threshold - 1))
    if small_sample:
        parts.append(ctx.t("pack.small_sample", n=SMALL_SAMPLE))
    return " · ".join(parts)


def _section_sentences(ctx: PageContext, section: str, now: dict, before: dict) -> str:
    if section == "activity":
        text = narrative.activity_sentences(ctx, now, before)
    elif section == "attitudes":
        text = narrative.attitude_sentences(ctx, now)
    elif section == "demand":
        text = narrative.demand_sentences(ctx, now)
    else:
        last = last_complete_month(ctx.today)
        missing = completeness_tables.missing_in(data.query(ctx, "reporting_by_organisation_month", period=last))
        text = narrative.completeness_sentences(ctx, now, missing, fmt_month(last.from_month, ctx.lang))
    return plain(text)


def _chart_slide(ctx: PageContext, view: ChartView, section: str, lead: str = "") -> Slide:
    if view.empty or view.chart is None:
        sentences = ctx.t("pack.no_data")
    else:
        sentences = " ".join(s for s in (lead, plain(view.summary)) if s)
    return Slide("chart", view.title, sentences=sentences, view=view, section=section,
                 footnote=footnote(ctx, view.protected, view.small_sample and not view.empty,
                                   period_text=view.subtitle or None))


def updated_text(ctx: PageContext) -> str:
    stored = last_stored_at(ctx.warehouse, ctx.scope.org_codes)
    if stored is None:
        return ctx.t("pack.never_updated")
    return ctx.t("pack.updated", when=_day(local_date(stored), ctx.lang))  # stored in UTC, said in Helsinki


def build_slides(ctx: PageContext, network: str) -> list[Slide]:
    """Every slide of the pack for the context's period and scope, as the board sees them."""
    ctx = as_board(ctx)
    now, before = data.figures(ctx), data.figures(ctx, ctx.comparison)
    scope = widgets.scope_label(ctx)
    slides = [Slide("title", network, sentences=ctx.t("pack.title"),
                    subtitle=f"{ctx.period.label(ctx.lang)} · {scope}",
                    footnote=" · ".join((updated_text(ctx), ctx.t("pack.made", day=_day(ctx.today, ctx.lang)))))]
    tiles = tuple(NamedTile(ctx.t(t.key), t.value, t.delta, t.colour, t.hidden)
                  for t in widgets.overview_tiles(ctx, now, before))
    # the activity tiles count client work: the privacy rule applies to them
    slides.append(Slide("figures", ctx.t("pack.key_figures"), tiles=tiles, footnote=footnote(ctx, protected=True),
                        sentences=plain(widgets.overview_sentences(ctx, now, before))))
    slides.append(_chart_slide(ctx, views.overview_trend(ctx), "overview"))
    for section, charts in views.SECTIONS:
        lead = _section_sentences(ctx, section, now, before)
        for position, make in enumerate(charts):
            slides.append(_chart_slide(ctx, make(ctx), section, lead if position == 0 else ""))
    return slides


def _day(day: date, lang: str) -> str:
    """4.12.2026 in Finnish and Swedish, 4 December 2026 in English."""
    if lang == "en":
        return f"{day.day} {i18n.month_name(lang, day.month)} {day.year}"
    return f"{day.day}.{day.month}.{day.year}"


def network_name(settings: Settings, lang: str) -> str:
    return settings.network_name.strip() or i18n.t(lang, "pack.default_network")

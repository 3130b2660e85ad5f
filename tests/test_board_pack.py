"""The board pack (issue 11), opened the way its reader opens it: python-pptx reads the .pptx
back, pypdf the .pdf. Built on the demo network in a fresh warehouse file.

The pack shows the figures as a board viewer sees them. Counts about people and client work
(activity and attitude charts, the key figures) never show 1–4; the requests of the public
sector (demand) and reports (completeness) are not about people and are shown whole, as on
the pages (docs/figures.md) — the attacker below checks the protected ones.
"""

import io
import json
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from browser_support import load_demo_file
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pypdf import PdfReader

import i18n
from boardpack import build_pack
from boardpack.deck import board_context, build_slides
from data_sources.vocabulary import ACTIVITY_TYPES, PROTECTED_ACTIVITY_TYPES
from queries.periods import last_complete_month, parse_period
from settings import load_settings
from warehouse import open_warehouse

ROOT = Path(__file__).resolve().parents[1]
# the slides of every chart, in the pages' order, each named by its view's key
CHART_ORDER = [
    "overview_trend",
    "activity_by_type", "activity_org_name", "activity_target_sector", "activity_municipality",
    "attitudes_by_month", "attitudes_shift",
    "demand_status", "demand_unmet", "demand_reasons", "demand_capacity", "demand_white_spots",
    "completeness_grid",
]
PROTECTED = {key for key in CHART_ORDER if key.startswith(("overview", "activity", "attitudes"))}
# a quarter's phrase as a reader writes it, worked out by hand
QUARTER_PHRASE = {
    "fi": ("tammi–maaliskuu", "huhti–kesäkuu", "heinä–syyskuu", "loka–joulukuu"),
    "sv": ("januari–mars", "april–juni", "juli–september", "oktober–december"),
    "en": ("January–March", "April–June", "July–September", "October–December"),
}


def last_quarter(today: date) -> tuple[str, int, int]:
    """The last complete quarter before today, as `2026Q3`, its year and its number."""
    month = last_complete_month(today).to_month
    quarter = (month.month - 1) // 3 + 1
    year = month.year
    if month.month % 3:          # the quarter has not ended: the one before
        quarter -= 1
        if quarter == 0:
            year, quarter = year - 1, 4
    return f"{year}Q{quarter}", year, quarter


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    return load_demo_file(tmp_path_factory.mktemp("pack"))


def cli(db: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    import os

    return subprocess.run([sys.executable, "cli.py", "board-pack", "--db", str(db), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=180, check=False,
                          env={**os.environ, **(env or {})})


@pytest.fixture(scope="module")
def packs(demo_db, tmp_path_factory) -> dict:
    """The last quarter's pack in Finnish (.pptx and .pdf) and Swedish (.pptx), by the command."""
    out = tmp_path_factory.mktemp("packs")
    code, _, _ = last_quarter(date.today())
    made = {}
    for lang, suffix in (("fi", "pptx"), ("fi", "pdf"), ("sv", "pptx")):
        target = out / f"pack-{lang}.{suffix}"
        done = cli(demo_db, "--period", code, "--lang", lang, "--out", str(target), "--json")
        assert done.returncode == 0, done.stderr
        made[lang, suffix] = (target, json.loads(done.stdout))
    return made


def chart_key(slide) -> str | None:
    names = [s.name for s in slide.shapes if s.name.startswith("chart ")]
    return names[0].removeprefix("chart ") if names else None


def slide_texts(slide) -> list[str]:
    """Every text on the slide but its page number."""
    return [shape.text_frame.text for shape in slide.shapes
            if shape.has_text_frame and shape.text_frame.text and shape.name != "page number"]


def title_of(slide) -> str:
    return next(s.text_frame.text for s in slide.shapes if s.name == "title")


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_slides_in_order_each_titled_in_the_chosen_language(packs, lang):
    deck = Presentation(str(packs[lang, "pptx"][0]))
    slides = list(deck.slides)
    assert len(slides) == 2 + len(CHART_ORDER) == packs[lang, "pptx"][1]["slides"]
    assert deck.slide_width * 9 == deck.slide_height * 16            # 16:9
    assert title_of(slides[0]) == i18n.t(lang, "pack.default_network")
    assert title_of(slides[1]) == i18n.t(lang, "pack.key_figures")
    # every chart slide in the pages' order (a slide with no data keeps its place, without picture)
    keys = [chart_key(s) for s in slides[2:]]
    assert [k for k in keys if k] == [k for k in CHART_ORDER if k in keys]
    assert sum(k is not None for k in keys) >= len(CHART_ORDER) - 1   # the demo has data for almost all
    # each headline is a text of this language's catalogue and of no other language's
    own = set(i18n.catalogue(lang).values())
    others = {v for other in i18n.LANGUAGES if other != lang for v in i18n.catalogue(other).values()} - own
    for slide in slides[1:]:
        assert title_of(slide) in own, title_of(slide)
        assert title_of(slide) not in others
    assert deck.core_properties.language == {"fi": "fi-FI", "sv": "sv-FI"}[lang]


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_the_period_phrase_is_on_the_title_slide_and_every_footnote(packs, lang):
    _, year, quarter = last_quarter(date.today())
    phrase = f"{QUARTER_PHRASE[lang][quarter - 1]} {year}"
    slides = list(Presentation(str(packs[lang, "pptx"][0])).slides)
    assert any(phrase in text for text in slide_texts(slides[0]))
    for slide in slides[1:]:
        texts = slide_texts(slide)
        # the trend and the white spots name the longer span they show, which ends in the period
        assert any(phrase in t for t in texts) or chart_key(slide) in ("overview_trend", "demand_white_spots")


def test_a_crisp_picture_with_its_text_alternative_on_every_chart_slide(packs):
    deck = Presentation(str(packs["fi", "pptx"][0]))
    for slide in list(deck.slides)[2:]:
        pictures = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        if chart_key(slide) is None:
            assert i18n.t("fi", "pack.no_data") in " ".join(slide_texts(slide))
            continue
        assert len(pictures) == 1
        image = pictures[0].image
        assert image.content_type == "image/png"
        width_px, _ = image.size
        # twice the size it takes on the slide at 96 px per inch (vl-convert's 2× scale)
        assert width_px / (pictures[0].width / 914400) >= 150
        assert pictures[0]._element.nvPicPr.cNvPr.get("descr")


def notes(slide) -> str:
    return slide.notes_slide.notes_text_frame.text


def notes_table(text: str) -> list[list[str]]:
    """The tab-separated lines of the speaker notes: the chart's numbers."""
    return [line.split("\t") for line in text.splitlines() if "\t" in line]


def test_speaker_notes_hold_the_key_figures_and_each_charts_numbers(packs, demo_db):
    code, _, _ = last_quarter(date.today())
    figures = subprocess.run([sys.executable, "cli.py", "figures", "--period", code, "--suppress", "--json",
                              "--db", str(demo_db)], cwd=ROOT, capture_output=True, text=True, check=True)
    total = json.loads(figures.stdout)["activities"]["total"]
    slides = list(Presentation(str(packs["fi", "pptx"][0])).slides)
    key_rows = {row[0]: row[1] for row in notes_table(notes(slides[1]))}
    assert key_rows[i18n.t("fi", "overview.tile_total")].replace("\u00a0", "").replace(" ", "") == str(total)
    for slide in slides[2:]:
        if chart_key(slide) is None:
            continue
        table = notes_table(notes(slide))
        assert len(table) >= 2, chart_key(slide)                       # a header and a row at least
        if chart_key(slide) != "demand_white_spots":   # that one is a list of sector–municipality pairs
            assert any(re.search(r"\d", cell) for row in table[1:] for cell in row), chart_key(slide)
    by_org = next(s for s in slides if chart_key(s) == "activity_org_name")
    names = {row[0] for row in notes_table(notes(by_org))[1:]}
    assert any("Aurinkoranta" in name for name in names)


def test_the_pdf_has_the_same_pages_in_the_same_order(packs):
    reader = PdfReader(str(packs["fi", "pdf"][0]))
    deck = Presentation(str(packs["fi", "pptx"][0]))
    assert len(reader.pages) == len(deck.slides) == packs["fi", "pdf"][1]["slides"]
    for page, slide in zip(reader.pages, deck.slides):
        words = page.extract_text().replace("\n", " ")
        assert title_of(slide).split()[0] in words
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width / height - 16 / 9) < 0.01


# ---- the attacker: a pack for one small organisation, read for any count of 1–4 -------------

SAFE = [
    r"\d+\s?×\s?<",                        # '2 × <5': how many rows are hidden, not a count
    r"\d{1,2}\.\d{1,2}\.\d{4}",            # a date, 4.12.2026 …
    r"\b\d{1,2} (?:" + "|".join(i18n.t("en", f"month.{m}") for m in range(1, 13)) + r") \d{4}",  # … 4 December 2026
    r"\b[1-5] – ",                         # an attitude stage's code, '2 – Reserved'
    r"\b1–\d\b", r"±2", r"<\d",            # the privacy rule's own words: 1–4, ±2, <5
    r"\d+(?:[.,]\d+)?\s?(?:%|pp|p\.e\.|%-yks\.)",   # shares and their changes
    r"\b\d{4}\b",                          # years
]


def small_counts(text: str) -> list[str]:
    """Standalone 1–4 in a text once dates, codes, shares and the rule's own words are taken out."""
    for pattern in SAFE:
        text = re.sub(pattern, " ", text)
    return re.findall(r"(?<![\w.,/])[1-4](?![\w.,/])", text)


def test_slide_texts_carry_names_as_written_not_as_escaped_for_markdown():
    from boardpack.deck import plain
    from ui.safe_text import escape_markdown

    for name in ("Sininen & Keltainen: Tuki/Stöd ry", "50 % **vahva** (ry)", "a\\b",
                 "info@aurinko.fi https://x.fi"):
        page = f"Puuttuu: **{escape_markdown(name)}** ja {escape_markdown(name)}."
        assert plain(page) == f"Puuttuu: {name} ja {name}."


def test_small_counts_finds_what_it_must():
    assert small_counts("Turku 3 ja Salo 12") == ["3"]
    assert small_counts("78 % (n = 4)") == ["4"]
    assert small_counts("4.12.2026 · 2 – Varauksellinen 10 % · luvut 1–4 piilotettu (<5) · 2 × <5") == []


@pytest.fixture(scope="module")
def small_scope(demo_db):
    code, _, _ = last_quarter(date.today())
    settings = load_settings(db=str(demo_db))
    # closed again at once: the embedded file has one writer, and the commands below need it
    with open_warehouse(str(demo_db)) as warehouse:
        ctx = board_context(warehouse, settings, parse_period(code), "en", ("demo_kompassi",))
        return ctx, build_slides(ctx, "N"), Presentation(io.BytesIO(build_pack(ctx, "pptx")))


COUNT_FIELDS = re.compile(r"^(count.*|value|respondents|month_respondents)$")
# development and advocacy (training professionals, panels, media) is not client work: its
# counts are shown whole, as on the pages; every attitude count is about people
UNPROTECTED_GROUPS = {"development_advocacy", "other", *(i18n.t("en", f"activity_group.{g}")
                                                       for g in ("development_advocacy", "other")),
                      *(i18n.t("en", f"activity_type.{code}") for code in ACTIVITY_TYPES
                        if code not in PROTECTED_ACTIVITY_TYPES)}


def protected_row(row: dict) -> bool:
    return not UNPROTECTED_GROUPS & {str(row.get(k)) for k in ("activity_group", "series", "group_label")}


def test_no_protected_count_of_one_to_four_in_the_pictures_source_tables(small_scope):
    _, slides, _ = small_scope
    hidden_seen = 0
    for slide in slides:
        if slide.kind != "chart" or slide.view.key not in PROTECTED or slide.empty:
            continue
        for rows in slide.view.chart.to_dict().get("datasets", {}).values():
            for row in rows:
                for name, value in row.items():
                    if not COUNT_FIELDS.match(name) or value is None or not protected_row(row):
                        continue
                    if isinstance(value, str):
                        hidden_seen += value.startswith("<")
                        if not value.lstrip("-").isdigit():
                            continue
                        value = int(value)
                    if value == value:  # NaN is no count
                        assert not 1 <= value <= 4, (slide.view.key, name, row)
    assert hidden_seen > 0   # one small organisation: some counts are hidden, so the check bites


def test_no_protected_count_of_one_to_four_in_labels_or_notes(small_scope):
    ctx, slides, deck = small_scope
    count_columns = {i18n.t("en", "common.activities"), i18n.t("en", "attitudes.respondents")}
    for model, slide in zip(slides, deck.slides):
        if model.kind == "chart" and model.view.key not in PROTECTED:
            continue  # requests and reports are shown whole (docs/figures.md)
        for text in slide_texts(slide):
            assert small_counts(text) == [], (model.title, text)
        table = notes_table(notes(slide))
        if model.kind == "chart" and table:
            columns = [i for i, name in enumerate(table[0]) if name in count_columns]
            assert columns, table[0]
            for row in table[1:]:
                if UNPROTECTED_GROUPS & set(row):
                    continue
                for i in columns:
                    assert row[i] not in {"1", "2", "3", "4"}, (model.title, row)
        elif model.kind == "figures":
            for row in table:
                assert small_counts(row[1]) == [], row


# ---- the command ---------------------------------------------------------------------------

def test_the_command_refuses_what_it_cannot_make_and_writes_nothing(demo_db, tmp_path, tmp_path_factory,
                                                                    monkeypatch, capsys):
    import cli

    code, _, _ = last_quarter(date.today())
    pictures = tmp_path_factory.mktemp("logos")
    signature_only, damaged = pictures / "empty.png", pictures / "damaged.png"
    signature_only.write_bytes(b"\x89PNG\r\n\x1a\n")
    damaged.write_bytes(b"\x89PNG\r\n\x1a\n" + b"not a picture" * 20)
    cases = [
        ([], ["--period", code, "--out", str(tmp_path / "pack.docx")], "pptx"),
        ([], ["--period", code, "--out", str(tmp_path / "no" / "pack.pptx")], "no such folder"),
        ([], ["--out", str(tmp_path / "pack.pptx")], "--period"),
        ([], ["--period", "2026Q9", "--out", str(tmp_path / "pack.pptx")], "2026Q9"),
        ([], ["--period", code, "--org", "nobody", "--out", str(tmp_path / "pack.pptx")], "nobody"),
        ([("BRAND_COLOUR", "blue")], ["--period", code, "--out", str(tmp_path / "pack.pptx")], "brand_colour"),
        ([("LOGO", str(tmp_path / "missing.png"))], ["--period", code, "--out", str(tmp_path / "p.pptx")], "logo"),
        ([("LOGO", str(ROOT / "README.md"))], ["--period", code, "--out", str(tmp_path / "p.pptx")], "logo"),
        ([("LOGO", str(signature_only))], ["--period", code, "--out", str(tmp_path / "p.pptx")], "logo"),
        ([("LOGO", str(damaged))], ["--period", code, "--out", str(tmp_path / "p.pdf")], "logo"),
    ]
    for settings, args, said in cases:
        with monkeypatch.context() as patched:
            for name, value in settings:
                patched.setenv(f"KOKEMUSMITTARI_{name}", value)
            returned = cli.main(["board-pack", "--db", str(demo_db), "--lang", "en", "--json", *args])
        out, err = capsys.readouterr()
        assert returned == 2, (args, err)
        assert said in err and "Traceback" not in err, err
        assert json.loads(out)["ok"] is False          # --json: one document, also for a refusal
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_branding_from_settings_and_one_organisations_pack(demo_db, tmp_path):
    logo = tmp_path / "logo.png"
    # a 2 × 1 red PNG, written byte by byte
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"\x00\xff\x00\x00\xff\x00\x00"
    logo.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 1, 8, 2, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
    out = tmp_path / "pack.pptx"
    done = cli(demo_db, "--period", "last3", "--org", "demo_kompassi", "--lang", "en", "--out", str(out), "--json",
               env={"KOKEMUSMITTARI_NETWORK_NAME": "Varsinais-Suomen Lastensuojelujärjestöt",
                    "KOKEMUSMITTARI_BRAND_COLOUR": "#8A1538", "KOKEMUSMITTARI_LOGO": str(logo)})
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert document["orgs"] == ["demo_kompassi"] and document["lang"] == "en"
    first = Presentation(str(out)).slides[0]
    assert title_of(first) == "Varsinais-Suomen Lastensuojelujärjestöt"
    assert any("Demokompassi" in text for text in slide_texts(first))      # the scope is named
    accent = next(s for s in first.shapes if s.name == "accent")
    assert str(accent.fill.fore_color.rgb) == "8A1538"
    assert next(s for s in first.shapes if s.name == "logo").image.blob == logo.read_bytes()
    assert not (tmp_path / "pack.pptx.part").exists()


@pytest.mark.parametrize(("stored_utc", "shown"), [("2026-12-03 21:59", "3.12.2026"), ("2026-12-03 22:30", "4.12.2026"),
                                                   ("2026-06-30 21:30", "1.7.2026")])
def test_the_title_slide_dates_the_last_upload_as_helsinki_sees_it(stored_utc, shown, monkeypatch):
    """Uploads are stored in UTC; a night-time upload in Helsinki (UTC+2, in summer +3) is that
    day's, as the upload history shows it."""
    from datetime import datetime

    from boardpack import deck

    monkeypatch.setattr(deck, "last_stored_at", lambda warehouse, org_codes: datetime.fromisoformat(stored_utc))

    class Context:
        lang, warehouse = "fi", None
        scope = type("Scope", (), {"org_codes": None})()

        def t(self, key, **params):
            return i18n.t("fi", key, **params)

    assert shown in deck.updated_text(Context())

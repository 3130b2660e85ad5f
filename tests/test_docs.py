"""The documentation stands on its own and keeps up with the code.

A fresh clone must hold every document the README and docs/ link to, so every relative link
resolves to a file in the repository (and an anchor to a heading of it), and nothing points
outside it. The docs name what the code defines, read from the code itself: every problem
code (data_sources/problems.py), every code of the contract's lists, which columns are
required, every setting (settings.Settings), every command and option of cli.py's parser,
every query and every key of the figures document. The data contract is checked in each of
its three languages (docs/data-contract.md, .fi.md, .sv.md), and the three keep the same
headings and tables in the same order. The checkers are tested on documents made to fail, so
a broken convention cannot pass unnoticed.
"""

import argparse
import re
import shutil
import subprocess
from dataclasses import fields
from pathlib import Path
from urllib.parse import unquote

import pytest

import cli
import i18n
from data_sources import problems, vocabulary
from data_sources.headers import REQUIRED_COLUMNS
from queries import query_names
from settings import Settings
from ui.upload_views import CONTRACTS

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
README = ROOT / "README.md"
CONTRACT = CONTRACTS["en"]   # the contract's sections are named by its English headings
TRANSLATIONS = [lang for lang in CONTRACTS if lang != "en"]
FIGURES = DOCS / "figures.md"
CLI = DOCS / "cli.md"
DEPLOYMENT = DOCS / "deployment.md"

# the sections of the docs these conventions read
ERRORS_SECTION = "When a file is turned back"
WARNINGS_SECTION = "Warnings"
SETTINGS_SECTION = "Settings"
COMMON_OPTIONS_SECTION = "Options every command takes"
EXIT_CODES_SECTION = "Exit codes"
README_DOCS_SECTION = "Documentation"
# the contract's code lists that a member writes in a file, by the English heading of their table
MEMBER_CODE_LISTS = {"activity_type": "Activity types", "attitude_stage": "Attitude stages",
                     "respondent_group": "Respondent groups", "measurement_point": "Measurement times",
                     "status": "Statuses", "reason": "Reasons", "sector": "Sectors"}
# how each contract writes "yes" and "no" in its tables (required columns, public sectors)
YES_NO = {"fi": ("kyllä", "ei"), "sv": ("ja", "nej"), "en": ("yes", "no")}
IN_STEP = "a change to the data contract is made in all three languages (README, Documentation)"


def documents() -> list[Path]:
    return [README, *sorted(DOCS.glob("*.md"))]


# ------------------------------------------------------------------------- markdown reading

_FENCE = re.compile(r"^(```|~~~)")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1")
_INLINE_LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
_REFERENCE_LINK = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
# a relative path that climbs: ../x, ../../y/z.md, also inside code spans and blocks
_CLIMBING_PATH = re.compile(r"(?<![\w./])((?:\.\./)+[\w.\-/]*)")


def prose_lines(text: str) -> list[str]:
    """The lines outside fenced code blocks, with inline code spans blanked out."""
    lines, fenced = [], False
    for line in text.splitlines():
        if _FENCE.match(line.strip()):
            fenced = not fenced
            lines.append("")
            continue
        lines.append("" if fenced else _CODE_SPAN.sub(lambda m: " " * len(m.group()), line))
    return lines


def links(text: str) -> list[str]:
    """Every link target of a markdown text: inline links, images and reference definitions."""
    found = []
    for line in prose_lines(text):
        found += _INLINE_LINK.findall(line)
        reference = _REFERENCE_LINK.match(line)
        if reference:
            found.append(reference.group(1))
    return found


def headings(text: str) -> list[tuple[int, int, str]]:
    """(line number from 0, level, text) of every ATX heading outside code blocks."""
    found, fenced = [], False
    for number, line in enumerate(text.splitlines()):
        if _FENCE.match(line.strip()):
            fenced = not fenced
            continue
        match = None if fenced else _HEADING.match(line)
        if match:
            found.append((number, len(match.group(1)), match.group(2)))
    return found


def heading_lines(text: str) -> list[tuple[int, str]]:
    """(level, text) of every ATX heading outside code blocks."""
    return [(level, heading) for _, level, heading in headings(text)]


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)   # a link counts by its text
    text = re.sub(r"<[^>]+>", "", text).replace("`", "")
    text = re.sub(r"[^\w\- ]", "", text.strip().lower())
    return text.replace(" ", "-")


def anchors(text: str) -> set[str]:
    """Every heading anchor of a markdown text, repeated headings numbered as GitHub does."""
    seen: dict[str, int] = {}
    result = set()
    for _, heading in heading_lines(text):
        base = slug(heading)
        count = seen.get(base, 0)
        seen[base] = count + 1
        result.add(base if count == 0 else f"{base}-{count}")
    return result


def heading_index(text: str, title: str) -> int:
    """The place of the (first) heading `title` among a text's headings, counted from 0."""
    for index, (_, _, heading) in enumerate(headings(text)):
        if heading == title:
            return index
    raise AssertionError(f"no heading {title!r}")


def section_at(text: str, index: int) -> str:
    """The text under the heading at place `index`, up to the next heading of the same or a
    higher level."""
    found = headings(text)
    if not 0 <= index < len(found):
        raise AssertionError(f"no heading number {index + 1}: the text has {len(found)}")
    lines = text.splitlines()
    start, level, _ = found[index]
    end = next((line for line, deeper, _ in found[index + 1:] if deeper <= level), len(lines))
    return "\n".join(lines[start + 1:end])


def section(text: str, title: str) -> str:
    """The text under the heading `title`, up to the next heading of the same or a higher level."""
    return section_at(text, heading_index(text, title))


def outline(text: str) -> list[tuple[int, list[int]]]:
    """Each heading's level, with the number of rows of each table between it and the next
    heading: the shape two translations of a document share."""
    lines = text.splitlines()
    found = headings(text)
    shape = []
    for index, (start, level, _) in enumerate(found):
        end = found[index + 1][0] if index + 1 < len(found) else len(lines)
        tables, rows = [], 0
        for line in [*lines[start + 1:end], ""]:
            if line.strip().startswith("|"):
                rows += 1
            elif rows:
                tables.append(rows)
                rows = 0
        shape.append((level, tables))
    return shape


def table_rows(text: str) -> list[list[str]]:
    """The cells of every table row in a text, header and separator rows left out."""
    rows = []
    for line in text.splitlines():
        line = line.strip()
        if not (line.startswith("|") and line.endswith("|")):
            continue
        cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", line[1:-1])]
        if all(re.fullmatch(r":?-+:?", cell) for cell in cells):
            continue
        rows.append(cells)
    return rows


def first_table(text: str) -> list[list[str]]:
    """The rows of the first table in a text."""
    block, started = [], False
    for line in text.splitlines():
        if line.strip().startswith("|"):
            block.append(line)
            started = True
        elif started:
            break
    return table_rows("\n".join(block))


def mentions(text: str, word: str) -> bool:
    """Whether `word` stands in `text` as a whole word (not inside a longer name)."""
    return re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text) is not None


# ------------------------------------------------------------------------- the link checker

def git_ignored(paths: list[Path], root: Path) -> set[Path]:
    """The paths that git ignores, which a clone does not have; empty when git cannot tell."""
    if not paths or shutil.which("git") is None:
        return set()
    try:
        result = subprocess.run(
            ["git", "-C", str(root), "check-ignore", "--no-index", "--stdin"],
            input="\n".join(str(p) for p in paths), capture_output=True, text=True, timeout=30,
        )
    except (OSError, subprocess.SubprocessError):
        return set()
    if result.returncode not in (0, 1):   # 128: not a git work tree
        return set()
    return {Path(line).resolve() for line in result.stdout.splitlines() if line}


def link_problems(document: Path, root: Path) -> list[str]:
    """What is wrong with the links of one markdown file inside `root`."""
    text = document.read_text(encoding="utf-8")
    problems_found, targets = [], []
    for target in links(text):
        if not target or (_SCHEME.match(target) and not target.lower().startswith("file:")):
            continue   # web and mail links are not files of the repository
        if _SCHEME.match(target) or target.startswith("/"):
            problems_found.append(f"{target}: not a relative link")
            continue
        path_part, _, anchor = target.partition("#")
        path = (document.parent / unquote(path_part)).resolve() if path_part else document.resolve()
        if not path.is_relative_to(root):
            problems_found.append(f"{target}: points outside the repository")
            continue
        if not path.exists():
            problems_found.append(f"{target}: no such file")
            continue
        targets.append(path)
        if anchor and path.suffix == ".md" and anchor not in anchors(path.read_text(encoding="utf-8")):
            problems_found.append(f"{target}: no heading #{anchor} in {path.relative_to(root)}")
    for path in git_ignored(targets, root):
        problems_found.append(f"{path.relative_to(root)}: ignored by git, so a clone does not have it")
    for path_text in _CLIMBING_PATH.findall(text):
        if not (document.parent / path_text).resolve().is_relative_to(root):
            problems_found.append(f"{path_text}: names a path outside the repository")
    return problems_found


# ------------------------------------------------------------------------- the checker fails

@pytest.mark.parametrize("text, expected", [
    ("See [the spec](../shared/spec/cli.md).", "points outside the repository"),
    ("A path in code: `../shared/spec/metrics.md`.", "names a path outside the repository"),
    ("```\ncli.py   (see ../shared/spec/cli.md)\n```", "names a path outside the repository"),
    ("See [the guide](docs/missing.md).", "no such file"),
    ("See [settings](docs/deployment.md#no-such-heading).", "no heading #no-such-heading"),
    ("See [here](#nowhere).", "no heading #nowhere"),
    ("See [an absolute path](/etc/passwd).", "not a relative link"),
    ("[spec]: ../shared/spec/cli.md", "points outside the repository"),
])
def test_link_checker_finds_broken_links(tmp_path, text, expected):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "deployment.md").write_text("# Deployment\n\n## Settings\n", encoding="utf-8")
    document = tmp_path / "README.md"
    document.write_text(f"# Readme\n\n{text}\n", encoding="utf-8")
    found = link_problems(document, tmp_path.resolve())
    assert any(expected in problem for problem in found), found


def test_link_checker_accepts_good_links(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "deployment.md").write_text(
        "# Deployment\n\n## The warehouse file\n\n## Settings\n\n## Settings\n", encoding="utf-8")
    document = tmp_path / "README.md"
    document.write_text(
        "# Readme\n\n## Tab 3: Kysyntä (Demand)\n\n"
        "[a](docs/deployment.md) [b](docs/deployment.md#the-warehouse-file) "
        "[c](docs/deployment.md#settings-1) [d](#tab-3-kysyntä-demand) [e](https://example.org/x) "
        "`[not a link](nowhere.md)`\n", encoding="utf-8")
    assert link_problems(document, tmp_path.resolve()) == []


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_link_checker_finds_a_link_to_a_file_a_clone_does_not_have(tmp_path):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / ".gitignore").write_text(".streamlit/secrets.toml\n", encoding="utf-8")
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "secrets.toml").write_text("[kokemusmittari]\n", encoding="utf-8")
    document = tmp_path / "README.md"
    document.write_text("# Readme\n\nSee [secrets](.streamlit/secrets.toml).\n", encoding="utf-8")
    found = link_problems(document, tmp_path.resolve())
    assert any("ignored by git" in problem for problem in found), found


def test_section_reader_refuses_a_missing_heading():
    with pytest.raises(AssertionError):
        section("# A\n\ntext\n", "B")
    with pytest.raises(AssertionError):
        section_at("# A\n\ntext\n", 1)


def test_section_reader_finds_a_section_by_its_place():
    text = "# A\n\n## B\n\nb\n\n### C\n\nc\n\n## D\n\nd\n"
    assert section_at(text, heading_index(text, "B")) == section(text, "B") == "\nb\n\n### C\n\nc\n"
    assert section_at(text, 3) == "\nd"


@pytest.mark.parametrize("translation", [
    "# A\n\n## B\n\n| x |\n|---|\n| 1 |\n",                 # the same
    "# Ä\n\n## Bé\n\n| ÿ |\n|---|\n| 2 |\n",                # the same, other words
])
def test_outline_sees_the_same_shape_in_other_words(translation):
    assert outline(translation) == outline("# A\n\n## B\n\n| x |\n|---|\n| 1 |\n") == [(1, []), (2, [3])]


@pytest.mark.parametrize("translation", [
    "# A\n\n### B\n\n| x |\n|---|\n| 1 |\n",                # another level
    "# A\n\n## B\n\n| x |\n|---|\n",                         # a row short
    "# A\n\n## B\n\n| x |\n|---|\n| 1 |\n\n| y |\n",      # a table more
    "# A\n\n## B\n\n| x |\n|---|\n| 1 |\n\n## C\n",       # a heading more
    "# A\n\n| x |\n|---|\n| 1 |\n\n## B\n",                 # the table under another heading
])
def test_outline_sees_a_translation_out_of_step(translation):
    assert outline(translation) != outline("# A\n\n## B\n\n| x |\n|---|\n| 1 |\n")


# ------------------------------------------------------------------------- the repository's docs

def test_the_four_documents_exist():
    for path in (*CONTRACTS.values(), FIGURES, CLI, DEPLOYMENT):
        assert path.is_file(), f"{path.relative_to(ROOT)} is missing"


@pytest.mark.parametrize("document", documents(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_link_resolves_inside_the_repository(document):
    assert link_problems(document, ROOT) == []


def test_readme_lists_every_document():
    listed = {(README.parent / target.partition("#")[0]).resolve()
              for target in links(section(README.read_text(encoding="utf-8"), README_DOCS_SECTION))}
    missing = [path.relative_to(ROOT) for path in sorted(DOCS.glob("*.md")) if path.resolve() not in listed]
    assert not missing, f"README's {README_DOCS_SECTION!r} section does not link {missing}"


def contract_text(lang: str) -> str:
    return CONTRACTS[lang].read_text(encoding="utf-8")


def contract_heading(lang: str, title: str) -> tuple[str, str]:
    """The heading of the contract in `lang` that stands where the English contract has
    `title`, and the text under it: the three contracts keep their headings in the same order
    (test_the_contracts_have_the_same_headings_and_tables), so a section is found by its place,
    not by words a translator chose."""
    index = heading_index(contract_text("en"), title)
    text = contract_text(lang)
    return headings(text)[index][2], section_at(text, index)


def contract_section(lang: str, title: str) -> str:
    return contract_heading(lang, title)[1]


def _code_rows(section_text: str) -> dict[str, list[str]]:
    """Table rows whose first cell is a `code`, by code."""
    rows = {}
    for cells in table_rows(section_text):
        match = re.fullmatch(r"`([a-z_]+)`", cells[0])
        if match:
            rows[match.group(1)] = cells[1:]
    return rows


def test_the_data_contract_is_in_every_language_of_the_app():
    assert list(CONTRACTS) == list(i18n.LANGUAGES)
    for path in CONTRACTS.values():
        assert path.is_file(), f"{path.relative_to(ROOT)} is missing"


@pytest.mark.parametrize("lang", TRANSLATIONS)
def test_the_contracts_have_the_same_headings_and_tables(lang):
    """Each translation has the English contract's headings, at the same levels and in the same
    order, and under each the same tables with the same number of rows."""
    english, translated = outline(contract_text("en")), outline(contract_text(lang))
    titles = [heading for _, heading in heading_lines(contract_text("en"))]
    names = [heading for _, heading in heading_lines(contract_text(lang))]
    for index, (expected, found) in enumerate(zip(english, translated)):
        assert found == expected, (
            f"{CONTRACTS[lang].name}: heading {index + 1} ({names[index]!r}) is {found} (level, rows of"
            f" each table), but {titles[index]!r} in {CONTRACT.name} is {expected}; {IN_STEP}")
    assert len(translated) == len(english), (
        f"{CONTRACTS[lang].name} has {len(translated)} headings, {CONTRACT.name} {len(english)}; {IN_STEP}")


@pytest.mark.parametrize("lang", TRANSLATIONS)
@pytest.mark.parametrize("title", [ERRORS_SECTION, WARNINGS_SECTION])
def test_the_contracts_explain_the_same_problem_codes(lang, title):
    heading, text = contract_heading(lang, title)
    assert list(_code_rows(text)) == list(_code_rows(contract_section("en", title))), (
        f"{CONTRACTS[lang].name} {heading!r} lists other codes than {CONTRACT.name} {title!r}; {IN_STEP}")


@pytest.mark.parametrize("lang", TRANSLATIONS)
def test_the_contracts_keep_every_example_of_the_english_one(lang):
    """What a member types is not translated: every `code span` of the English contract (a code,
    a header, an accepted or refused way of writing) is in each translation too, which may
    add its own language's forms beside them."""
    def examples(text: str) -> set[str]:
        return {match.group(2) for match in _CODE_SPAN.finditer(text)}

    missing = sorted(examples(contract_text("en")) - examples(contract_text(lang)))
    assert not missing, f"{CONTRACTS[lang].name} does not give {missing}; {IN_STEP}"


@pytest.mark.parametrize("lang", CONTRACTS)
@pytest.mark.parametrize("code, title", [(code, ERRORS_SECTION) for code in problems.ERROR_CODES]
                         + [(code, WARNINGS_SECTION) for code in problems.WARNING_CODES])
def test_every_problem_code_is_explained_in_the_data_contract(lang, code, title):
    heading, text = contract_heading(lang, title)
    rows = _code_rows(text)
    assert code in rows, f"{code} is not a row of the table under {heading!r} in docs/{CONTRACTS[lang].name}"
    assert all(cell for cell in rows[code]), f"{code}: say what it means and how to fix it"


@pytest.mark.parametrize("lang", CONTRACTS)
def test_the_contract_lists_no_code_the_checker_does_not_have(lang):
    listed = set(_code_rows(contract_section(lang, ERRORS_SECTION))) | set(
        _code_rows(contract_section(lang, WARNINGS_SECTION)))
    assert listed <= set(problems.ERROR_CODES) | set(problems.WARNING_CODES)


@pytest.mark.parametrize("lang", CONTRACTS)
@pytest.mark.parametrize("code_list", MEMBER_CODE_LISTS)
def test_every_value_of_the_code_lists_is_in_the_data_contract(lang, code_list):
    """Each code list's table has a row per code, in the list's order, with its labels in the
    three languages as the template writes them (i18n/*/codes.toml); activity types name their
    group and sectors say whether they are public, as data_sources/vocabulary.py has them."""
    heading, text = contract_heading(lang, MEMBER_CODE_LISTS[code_list])
    rows = {}
    for cells in table_rows(text):
        codes = [match.group(1) for cell in cells if (match := re.fullmatch(r"`([a-z_]+)`", cell))]
        if codes:
            rows[codes[0]] = cells
    where = f"docs/{CONTRACTS[lang].name} {heading!r}"
    assert list(rows) == list(vocabulary.CODE_LISTS[code_list]), f"{where} does not list {code_list} as the checker"
    for code, cells in rows.items():
        labels = [i18n.label(label_lang, code_list, code) for label_lang in i18n.LANGUAGES]
        missing = [label for label in labels if label not in cells]
        assert not missing, f"{where}: the row of {code} does not give {missing}"
        if code_list == "activity_type":
            group = i18n.label(lang, "activity_group", vocabulary.ACTIVITY_TYPES[code])
            assert cells[-1].casefold() == group.casefold(), f"{where}: {code} is in the group {group!r}"
        if code_list == "sector":
            public = YES_NO[lang][0 if vocabulary.SECTORS[code] else 1]
            assert cells[-1] == public, f"{where}: {code} is public: {public}"


@pytest.mark.parametrize("lang", CONTRACTS)
@pytest.mark.parametrize("sheet", vocabulary.SHEETS)
def test_the_data_contract_marks_exactly_the_required_columns(lang, sheet):
    """Each tab's heading names the tab as that language's template does; its first table has
    a row per column, its first cell the column's headers in the languages and order its own
    header cell names (`Column (fi · sv · en)`), its last cell starting with **yes** (in the
    contract's language) exactly for REQUIRED_COLUMNS."""
    name = i18n.label("fi", "sheet", sheet)
    titles = [heading for _, heading in heading_lines(contract_text("en"))
              if mentions(heading, name) and "Tab" in heading]
    assert len(titles) == 1, f"one heading 'Tab …: {name} …' expected, found {titles}"
    heading, text = contract_heading(lang, titles[0])
    where = f"docs/{CONTRACTS[lang].name} {heading!r}"
    assert mentions(heading, i18n.label(lang, "sheet", sheet)), f"{where} does not name the tab {sheet}"
    [header, *table] = first_table(text)
    order = re.search(r"\(([a-z · ]+)\)", header[0]).group(1).split(" · ")
    assert sorted(order) == sorted(i18n.LANGUAGES), f"{where}: name the headers in {i18n.LANGUAGES}"
    assert lang == "en" or order[0] == lang, f"{where}: a member reads its own template's header first"
    rows = {cells[0]: cells[-1] for cells in table}
    yes = f"**{YES_NO[lang][0]}**"
    for column in vocabulary.SHEET_COLUMNS[sheet]:
        if column == "source_row":
            continue
        headers = " · ".join(i18n.catalogue(header_lang)[f"column.{sheet}.{column}"] for header_lang in order)
        assert headers in rows, f"{where}: no row for {headers}"
        required = rows[headers].startswith(yes)
        assert required == (column in REQUIRED_COLUMNS[sheet]), (
            f"{where}: {headers} is {'required' if column in REQUIRED_COLUMNS[sheet] else 'optional'}"
            f" in the checker but {'required' if required else 'optional'} in the docs")


@pytest.mark.parametrize("name", [field.name for field in fields(Settings)])
def test_every_setting_is_documented(name):
    rows = {cells[0]: cells for cells in table_rows(section(DEPLOYMENT.read_text(encoding="utf-8"),
                                                            SETTINGS_SECTION))}
    assert f"`{name}`" in rows, f"{name} is not a row of the settings table in docs/deployment.md"
    assert f"`KOKEMUSMITTARI_{name.upper()}`" in rows[f"`{name}`"], f"{name}: give its environment variable"


def _commands(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()):
    """(command words, parser) of every command that runs, nested ones included."""
    groups = [action for action in parser._actions if isinstance(action, argparse._SubParsersAction)]
    if not groups:
        yield prefix, parser
    for group in groups:
        for name, subparser in group.choices.items():
            yield from _commands(subparser, (*prefix, name))


COMMANDS = list(_commands(cli.build_parser()))


def test_the_parser_is_read_not_guessed():
    words = {" ".join(words) for words, _ in COMMANDS}
    assert {"validate", "orgs add"} <= words and "orgs" not in words


@pytest.mark.parametrize("words, parser", COMMANDS, ids=[" ".join(words) for words, _ in COMMANDS])
def test_every_command_and_option_is_documented(words, parser):
    text = CLI.read_text(encoding="utf-8")
    command = " ".join(words)
    body = section(text, command)   # a heading per command, named as it is typed
    common = section(text, COMMON_OPTIONS_SECTION)
    for action in parser._actions:
        if action.option_strings:
            assert any(mentions(body, o) or mentions(common, o) for o in action.option_strings), (
                f"cli.py {command}: option {'/'.join(action.option_strings)} is not documented")
        else:
            assert mentions(body, action.dest.upper()), f"cli.py {command}: argument {action.dest} is not documented"


def test_every_exit_code_is_documented():
    rows = {cells[0] for cells in table_rows(section(CLI.read_text(encoding="utf-8"), EXIT_CODES_SECTION))}
    assert {str(code) for code in (cli.EXIT_OK, cli.EXIT_REFUSED, cli.EXIT_USAGE)} <= rows


@pytest.mark.parametrize("name", query_names())
def test_every_query_is_named_in_the_figures(name):
    assert f"`{name}`" in FIGURES.read_text(encoding="utf-8"), f"queries/{name}.sql is not in docs/figures.md"


def test_every_key_of_the_figures_document_is_defined(tmp_path):
    from queries.figures import compute_figures
    from queries.periods import parse_period
    from queries.scope import Scope
    from warehouse import Warehouse

    with Warehouse(str(tmp_path / "empty.duckdb")) as warehouse:
        document = compute_figures(warehouse, parse_period("2025H1"), Scope())
    text = FIGURES.read_text(encoding="utf-8")
    keys = [f"{part}.{key}" for part, values in document.items() if isinstance(values, dict)
            and part not in ("period", "comparison_period") for key in values]
    missing = [key for key in keys if f"`{key}`" not in text]
    assert not missing, f"docs/figures.md does not define {missing}"


@pytest.mark.parametrize("path", sorted(DOCS.glob("*.md")), ids=lambda p: p.name)
def test_no_line_of_the_docs_ends_in_a_hyphen_that_markdown_would_split_from_its_word(path):
    """'OpenDocument-' at a line's end and 'laskentataulukko' on the next read 'OpenDocument-
    laskentataulukko' on the upload page: a Markdown line break is a space."""
    broken = [number for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
              if re.search(r"\w-$", line)]
    assert broken == [], f"{path.name}: lines {broken} end in a hyphen joined to a word"

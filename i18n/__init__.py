"""Every word the user sees, one folder per language (i18n/fi, i18n/sv, i18n/en).

Each folder holds TOML files whose sections are merged into one dotted namespace:
`[overview] title = "…"` in any file of i18n/fi is `t("fi", "overview.title")`.
"""

import functools
import tomllib
from pathlib import Path

LANGUAGES = ("fi", "sv", "en")
DEFAULT_LANGUAGE = "fi"
LANGUAGE_NAMES = {"fi": "suomi", "sv": "svenska", "en": "English"}

_ROOT = Path(__file__).resolve().parent


def _flatten(prefix: str, table: dict, out: dict) -> None:
    for key, value in table.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict):
            _flatten(name, value, out)
        else:
            out[name] = value


@functools.cache
def catalogue(lang: str) -> dict[str, str]:
    """All texts of one language as a flat {dotted.key: text} mapping."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}")
    texts: dict[str, str] = {}
    for path in sorted((_ROOT / lang).glob("*.toml")):
        with path.open("rb") as handle:
            _flatten("", tomllib.load(handle), texts)
    return texts


def t(lang: str, key: str, **params) -> str:
    """The text `key` in `lang`, with `{name}` placeholders filled from params."""
    text = catalogue(lang).get(key)
    if text is None:
        text = catalogue(DEFAULT_LANGUAGE).get(key, key)
    return text.format(**params) if params else text


def t_count(lang: str, key: str, n, /, **params) -> str:
    """Like t(), but a count of exactly 1 takes `<key>_one` where the language has it
    (Finnish: '1 rivin' but '42 riviä')."""
    if n == 1 and f"{key}_one" in catalogue(lang):
        key = f"{key}_one"
    return t(lang, key, **params)


def label(lang: str, code_list: str, code) -> str:
    """The label of a contract code (activity_type, sector, status, …) in `lang`."""
    if code is None:
        return t(lang, "common.unknown")
    return catalogue(lang).get(f"{code_list}.{code}", str(code))


def month_name(lang: str, month: int, short: bool = False) -> str:
    return catalogue(lang)[f"{'month_short' if short else 'month'}.{month}"]

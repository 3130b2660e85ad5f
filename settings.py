"""Settings: defaults, overridden by `.streamlit/secrets.toml` [kokemusmittari], then by
environment variables KOKEMUSMITTARI_<NAME> (upper case). No Streamlit import, so the
command line and the tests read the same values as the app.
"""

import math
import os
import re
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent
DEFAULT_DB = PROJECT_ROOT / "data" / "kokemusmittari.duckdb"


@dataclass(frozen=True)
class Settings:
    db: str = str(DEFAULT_DB)
    upload_limit_mb: float = 20.0
    zip_max_entries: int = 10_000
    zip_max_total_mb: float = 200.0
    zip_max_ratio: float = 100.0
    # The grid of every tab, from A1 to its last filled row and column: empty rows and columns
    # inside it cost as much as filled ones, in the parser and in every check after it. Checked
    # before (workbooks) or while (CSV) a file is parsed, so every file up to the upload limit is
    # answered in seconds and a few hundred MB (bench/resources.py). Validation reads ~6,000 valid
    # template rows a second on a 2-core machine, and the checks cost ~11 µs a filled text cell:
    # the largest valid file, 20,000 template rows or 300,000 text cells, takes ~3.5 s of CPU,
    # which stays under 10 s of wall time while other work shares the cores. Raise the limits
    # together with the speed of intake.
    max_rows: int = 20_000            # rows of all tabs of a file together
    max_columns: int = 200            # columns of one tab
    max_sheet_cells: int = 300_000    # rows × columns of one tab
    max_cells: int = 300_000          # rows × columns of all tabs together
    future_days: int = 31
    suppression_threshold: int = 5
    # the local user's role when sign-in is not configured and the app serves this machine only
    # (ui/auth.py): leadership, or board to preview the board's view on one's own machine
    view_role: str = "leadership"
    # the ID token's claim that must be true (true or "true") before its `email` names anybody:
    # `email_verified` (Google and most providers); Entra ID sends none by default: add the
    # optional claim `xms_edov` (email domain owner verified) and name it here (docs/deployment.md)
    email_verified_claim: str = "email_verified"
    # whom a signed-in person without a role, or a visitor of an unconfigured server, should ask
    contact: str = ""
    # a DuckLake warehouse's data files (db = ducklake:postgres:…): a folder or s3://… (docs/deployment.md)
    data_path: str = ""
    # where DuckDB's extensions (ducklake, postgres, httpfs) are installed from their PyPI packages
    extension_dir: str = ""
    # object storage for a data_path of s3://… (S3 or an S3-compatible service): the access key
    # (keep key and secret in secrets.toml), region, endpoint host[:port] (empty: Amazon's),
    # url_style (path for most S3-compatible services) and whether to use TLS
    storage_key_id: str = ""
    storage_secret: str = ""
    storage_region: str = ""
    storage_endpoint: str = ""
    storage_url_style: str = ""
    storage_use_ssl: str = "true"
    # seconds to wait for another process holding the embedded DuckDB file (or, on DuckLake,
    # for other processes' writes)
    lock_timeout: float = 120.0
    # the board pack's branding (docs/board-pack.md): the network's name on the title slide
    # (empty: a neutral name in the pack's language), a PNG or SVG logo file (empty: the app's
    # own) and the accent colour as #RRGGBB (default: the charts' blue)
    network_name: str = ""
    logo: str = ""
    brand_colour: str = "#0072B2"
    # Google Sheets as a source (docs/google-sheets.md): the service account's JSON key file;
    # gsheets_api sends Google's API hosts to a local stand-in instead (tests only)
    gsheets_service_account: str = ""
    gsheets_api: str = ""

    def warehouse_options(self) -> dict:
        """What opening a DuckLake warehouse needs besides its location (warehouse.Warehouse)."""
        storage = {"key_id": self.storage_key_id, "secret": self.storage_secret, "region": self.storage_region,
                   "endpoint": self.storage_endpoint, "url_style": self.storage_url_style,
                   "use_ssl": self.storage_use_ssl.strip().lower() not in ("false", "0", "no")}
        return {"data_path": self.data_path, "extension_dir": self.extension_dir or None, "storage": storage}

    @property
    def upload_limit_bytes(self) -> int:
        return int(self.upload_limit_mb * 1024 * 1024)

    @property
    def zip_max_total_bytes(self) -> int:
        return int(self.zip_max_total_mb * 1024 * 1024)


class SettingsError(ValueError):
    """A setting the app cannot run with: `name` says which, `expected` what it must be
    (`integer`, `number`, `at_least` `limit`, `at_most` `limit`; `toml` for a secrets.toml that
    cannot be read), in words any language can give (i18n frame.settings_*); the value itself is
    not repeated (a setting may be a secret)."""

    def __init__(self, name: str, expected: str, limit: float | None = None):
        self.name, self.expected, self.limit = name, expected, limit
        if expected == "toml":
            super().__init__(f"the settings file {name} cannot be read: it must be TOML with a table"
                             " [kokemusmittari] (see docs/deployment.md)")
            return
        words = {"integer": "a whole number", "number": "a number", "at_least": "at least {:g}",
                 "at_most": "at most {:g}"}[expected].format(limit)
        super().__init__(f"the setting {name} ({self.env} or [kokemusmittari] {name} in"
                         f" secrets.toml) must be {words}")

    @property
    def env(self) -> str:
        """The environment variable that sets it."""
        return f"KOKEMUSMITTARI_{self.name.upper()}"


# the least value of each number setting: below it the app would quietly do the wrong thing
# (a threshold under 2 protects no count; a limit of 0 refuses every file)
MINIMUM = {
    "upload_limit_mb": 0.001, "zip_max_entries": 1, "zip_max_total_mb": 0.001, "zip_max_ratio": 1,
    "max_rows": 1, "max_columns": 1, "max_sheet_cells": 1, "max_cells": 1, "future_days": 0,
    "suppression_threshold": 2, "lock_timeout": 0,
}
# ... and the most, where more would break a calculation rather than merely be unwise (a month
# ten years ahead is past any report; far more runs past the calendar's end)
MAXIMUM = {"future_days": 3660}
# no number setting past what every part of the app reads exactly (DuckDB binds a count as BIGINT,
# a float holds whole numbers exactly up to 2**53)
LARGEST = 2**53
_WHOLE = re.compile(r"[+-]?\d+")


def _typed(name: str, kind: type, value):
    """`value` (from TOML, the environment or a caller) as the setting's type, or SettingsError.
    A whole-number setting takes digits only ("20,000" is no 20); a number may have a decimal
    comma ("2,5")."""
    if kind is str:
        return str(value)
    wrong = SettingsError(name, "integer" if kind is int else "number")
    if isinstance(value, bool):   # TOML's true is no count: int(True) would be a threshold of 1
        raise wrong
    try:
        if isinstance(value, str):
            text = value.strip()
            if kind is int:
                if not _WHOLE.fullmatch(text):
                    raise wrong
                number = int(text)
            else:
                number = float(text.replace(",", ".", 1) if text.count(",") == 1 and "." not in text else text)
        elif kind is int and isinstance(value, int):
            number = value
        else:
            number = float(value)
            if kind is int:
                if not number.is_integer():
                    raise wrong
                number = int(number)
    except (TypeError, ValueError, OverflowError):
        raise wrong from None
    if isinstance(number, float) and not math.isfinite(number):
        raise wrong
    if name in MINIMUM and number < MINIMUM[name]:
        raise SettingsError(name, "at_least", MINIMUM[name])
    largest = MAXIMUM.get(name, LARGEST)
    if number > largest:
        raise SettingsError(name, "at_most", largest)
    return number


def _secrets_file() -> Path:
    return Path(os.environ.get("KOKEMUSMITTARI_SECRETS", PROJECT_ROOT / ".streamlit" / "secrets.toml"))


def load_settings(**overrides) -> Settings:
    """Settings from defaults < secrets.toml < environment < explicit overrides (None ignored);
    SettingsError for a value the app cannot run with."""
    values: dict = {}
    secrets = _secrets_file()
    if secrets.is_file():
        try:
            with secrets.open("rb") as handle:
                section = tomllib.load(handle).get("kokemusmittari", {})
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            raise SettingsError(secrets.name, "toml") from error
        if not isinstance(section, dict):   # kokemusmittari = 5
            raise SettingsError(secrets.name, "toml")
        values.update(section)
    for field in fields(Settings):
        env = os.environ.get(f"KOKEMUSMITTARI_{field.name.upper()}")
        if env is not None:
            values[field.name] = env
    values.update({k: v for k, v in overrides.items() if v is not None})
    settings = Settings()
    typed = {}
    for field in fields(Settings):
        if field.name in values:
            typed[field.name] = _typed(field.name, type(getattr(settings, field.name)), values[field.name])
    return replace(settings, **typed)

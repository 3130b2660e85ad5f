"""Settings an administrator writes in secrets.toml or the environment: a value the app cannot run
with is refused by name — in the app, in the visitor's language and with no figure shown; on the
command line, with exit code 2 — never read as something else (TOML's `true` as a threshold of 1,
which would protect no count at all)."""

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import i18n
from demo.load import load_demo
from settings import LARGEST, MAXIMUM, MINIMUM, Settings, SettingsError, load_settings
from warehouse import Warehouse

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def secrets(tmp_path, monkeypatch):
    """Write a secrets.toml [kokemusmittari] section and point the settings at it."""
    path = tmp_path / "secrets.toml"
    monkeypatch.setenv("KOKEMUSMITTARI_SECRETS", str(path))

    def write(text: str) -> Path:
        path.write_text("[kokemusmittari]\n" + text + "\n", encoding="utf-8")
        return path
    return write


@pytest.mark.parametrize("line, expected", [
    ("suppression_threshold = 7", 7),
    ("suppression_threshold = 7.0", 7),
    ('suppression_threshold = "7"', 7),
    ("upload_limit_mb = 5", 5.0),
    ('upload_limit_mb = "2,5"', 2.5),        # a decimal comma, as a Finnish administrator writes it
    ("lock_timeout = 0", 0.0),
    ("future_days = 0", 0),
    ('max_rows = " 25000 "', 25000),
    ("future_days = 3660", 3660),
])
def test_numbers_are_read_from_toml_as_written(secrets, line, expected):
    secrets(line)
    name = line.split(" = ")[0]
    value = getattr(load_settings(), name)
    assert value == expected and type(value) is type(getattr(Settings(), name))


@pytest.mark.parametrize("line, expected", [
    ("suppression_threshold = true", "integer"),     # int(True) was a threshold of 1
    ("suppression_threshold = 1", "at_least"),       # counts under 1: none is protected
    ("suppression_threshold = 0", "at_least"),
    ("suppression_threshold = -5", "at_least"),
    ("suppression_threshold = 2.5", "integer"),      # int(2.5) was a quiet 2
    ('suppression_threshold = "viisi"', "integer"),
    ("suppression_threshold = nan", "integer"),
    ("upload_limit_mb = 0", "at_least"),              # every file refused as too big
    ("upload_limit_mb = inf", "number"),
    ('max_rows = "lots"', "integer"),
    ("max_cells = 0", "at_least"),
    ("lock_timeout = -1", "at_least"),
    ("future_days = -1", "at_least"),
    ("zip_max_ratio = 0.5", "at_least"),
    ('max_rows = "20,000"', "integer"),          # a thousands separator: not 20
    ('max_cells = "300.000"', "integer"),        # nor 300
    ('max_rows = "20 000"', "integer"),
    ('upload_limit_mb = "1,000.5"', "number"),
    ("max_rows = 1" + "0" * 400, "at_most"),     # past what a float or DuckDB's BIGINT holds
    ("upload_limit_mb = 1e300", "at_most"),
    ("future_days = 3000000", "at_most"),        # a date past the calendar's end
    ("suppression_threshold = [5]", "integer"),
    ("suppression_threshold = 2025-01-01", "integer"),
])
def test_a_value_the_app_would_misread_is_refused_by_name(secrets, line, expected):
    secrets(line)
    name = line.split(" = ")[0]
    with pytest.raises(SettingsError) as refused:
        load_settings()
    assert (refused.value.name, refused.value.expected) == (name, expected)
    assert f"KOKEMUSMITTARI_{name.upper()}" in str(refused.value)
    if expected == "at_least":
        assert refused.value.limit == MINIMUM[name]
    if expected == "at_most":
        assert refused.value.limit == MAXIMUM.get(name, LARGEST)


@pytest.mark.parametrize("text", ["[kokemusmittari\nsuppression_threshold = 5", "kokemusmittari = 5",
                                  "[kokemusmittari]\nsuppression_threshold = = 5"])
def test_a_settings_file_that_cannot_be_read_is_refused_as_a_whole(tmp_path, monkeypatch, text):
    path = tmp_path / "secrets.toml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("KOKEMUSMITTARI_SECRETS", str(path))
    with pytest.raises(SettingsError) as refused:
        load_settings()
    assert (refused.value.name, refused.value.expected) == ("secrets.toml", "toml")


def test_the_environment_is_checked_as_toml_is_and_wins_over_it(secrets, monkeypatch):
    secrets("suppression_threshold = 4")
    monkeypatch.setenv("KOKEMUSMITTARI_SUPPRESSION_THRESHOLD", " 6 ")
    assert load_settings().suppression_threshold == 6
    monkeypatch.setenv("KOKEMUSMITTARI_SUPPRESSION_THRESHOLD", "1")
    with pytest.raises(SettingsError, match="at least 2"):
        load_settings()


def test_every_number_setting_has_its_least_value():
    numbers = {f for f, v in vars(Settings()).items() if isinstance(v, int | float) and not isinstance(v, bool)}
    assert numbers == set(MINIMUM)
    assert all(getattr(Settings(), name) >= least for name, least in MINIMUM.items())


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("settings") / "demo.duckdb"
    with Warehouse(str(path)) as wh:
        load_demo(wh, date.today())
    return path


@pytest.mark.parametrize("lang, role", [("fi", "board"), ("sv", "board"), ("en", "leadership")])
def test_the_app_names_the_setting_in_the_visitors_language_and_shows_no_figure(demo_db, secrets, monkeypatch,
                                                                                lang, role):
    """A board view with a threshold of true would have shown every small count as it is."""
    monkeypatch.setenv("KOKEMUSMITTARI_DB", str(demo_db))
    monkeypatch.setenv("KOKEMUSMITTARI_VIEW_ROLE", role)
    secrets("suppression_threshold = true")
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception
    expected = i18n.t(lang, "frame.settings_invalid", name="suppression_threshold",
                      env="KOKEMUSMITTARI_SUPPRESSION_THRESHOLD", expected=i18n.t(lang, "frame.settings_integer"))
    assert [e.value for e in at.error] == [expected]
    assert not at.metric and not at.get("arrow_vega_lite_chart") and not at.dataframe and not at.title

    # set right, the next run shows the figures
    secrets("suppression_threshold = 5")
    at.run()
    assert not at.exception and not at.error and at.metric


@pytest.mark.parametrize("line, words", [
    ("upload_limit_mb = 0", ("upload_limit_mb", "vähintään 0,001")),
    ("future_days = 4000", ("future_days", "enintään 3\u00a0660")),
    ("[kokemusmittari", ("secrets.toml", "TOML-muotoinen")),
])
def test_the_app_states_the_limit_in_the_visitors_language(demo_db, tmp_path, monkeypatch, line, words):
    monkeypatch.setenv("KOKEMUSMITTARI_DB", str(demo_db))
    path = tmp_path / "secrets.toml"
    path.write_text(line if line.startswith("[") else f"[kokemusmittari]\n{line}\n", encoding="utf-8")
    monkeypatch.setenv("KOKEMUSMITTARI_SECRETS", str(path))
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.query_params["lang"] = "fi"
    at.run()
    assert not at.exception
    [error] = at.error
    assert all(word in error.value for word in words), error.value
    assert not at.metric


def test_the_command_line_refuses_to_run_with_exit_code_2_and_says_which_setting(secrets):
    path = secrets("suppression_threshold = 1")
    done = subprocess.run([sys.executable, "cli.py", "figures", "--period", "2025H1", "--suppress", "--json"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120,
                          env={"PATH": "/usr/bin:/bin", "KOKEMUSMITTARI_SECRETS": str(path),
                               "KOKEMUSMITTARI_DB": ":memory:"})
    assert done.returncode == 2, done.stderr
    document = json.loads(done.stdout)
    assert document["ok"] is False and document["code"] == "settings"
    assert "suppression_threshold" in document["message"] and "at least 2" in document["message"]
    assert "Traceback" not in done.stderr

"""`cli.py figures --period 2025H1 --org CODE --json` after importing a workbook gives exactly the
figures metrics.md defines for it. Every expected number below is worked out by hand from the rows."""

import io
import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

ROOT = Path(__file__).resolve().parents[1]
D = datetime


def workbook() -> bytes:
    book = openpyxl.Workbook()
    toiminta = book.active
    toiminta.title = "Toiminta"
    for row in [
        ["Päivämäärä", "Toimintamuoto", "Lukumäärä", "Kokemustoimijoita", "Tavoitetut henkilöt", "Tunnit",
         "Kohdesektori", "Kunta", "Palaute"],
        [D(2025, 1, 1), "Vertaistukitapaaminen", 10, 2, 12, 15, "Lastensuojelu", "Turku", 5],
        [D(2025, 2, 1), "Vertaistukitapaaminen", 20, 3, None, None, None, None, 4],
        [D(2025, 3, 1), "Ammattilaisten koulutus", 3, 2, 40, 4.5, "Neuvola", "Åbo", 4.5],
        [D(2025, 4, 1), "Paneeli tai tapahtuma", None, None, None, 2, None, None, None],  # blank count = 1
        [D(2025, 7, 1), "Mediaesiintyminen", 2, 1, None, 1, None, None, None],           # after the period
    ]:
        toiminta.append(row)
    asenteet = book.create_sheet("Asenteet")
    for row in [
        ["Päivämäärä", "Vastaajaryhmä", "Mittausajankohta", "Asenne", "Vastaajia"],
        [D(2025, 1, 1), "Lastensuojelun työntekijä", "Ennen", "1 – Epäilevä", 4],
        [D(2025, 1, 1), "Lastensuojelun työntekijä", "Ennen", "3 – Kysyvä, kiinnostunut", 2],
        [D(2025, 5, 1), "Lastensuojelun työntekijä", "Jälkeen", 2, 1],
        [D(2025, 5, 1), "Lastensuojelun työntekijä", "Jälkeen", 4, 5],
        [D(2025, 3, 1), "Vanhempi", None, "Luottava", 3],   # blank point = kartoitus
    ]:
        asenteet.append(row)
    kysynta = book.create_sheet("Kysyntä")
    for row in [
        ["Saapunut", "Pyytäjän sektori", "Tila", "Syy", "Kunta", "Pyydetyt kerrat"],
        [D(2025, 1, 10), "Neuvola", "Toteutumatta", "Ei vapaata kokemustoimijaa", "Turku", 3],
        [D(2025, 2, 3), "Neuvola", "Toteutunut", None, "Turku", None],               # blank = 1
        [D(2025, 2, 20), "Sairaala", "Osittain toteutunut", "Ei rahoitusta", "Turku", 2],
        [D(2025, 3, 5), "Lastensuojelu", "Avoin", None, "Kaarina", 1],              # open > 60 days
        [D(2025, 4, 2), "Järjestö", "Toteutumatta", "Muu", "Turku", 5],             # not public
        [D(2025, 5, 9), "Koulu", "Pyytäjä perui", None, "Turku", 2],
    ]:
        kysynta.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def cli(db: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "cli.py", *args, "--db", str(db)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, check=False)


@pytest.fixture(scope="module")
def figures(tmp_path_factory):
    folder = tmp_path_factory.mktemp("figures")
    db, file = folder / "wh.duckdb", folder / "lauste.xlsx"
    file.write_bytes(workbook())
    assert cli(db, "orgs", "add", "lauste", "--name", "Lauste ry", "--start", "2025-01").returncode == 0
    assert cli(db, "orgs", "add", "toinen", "--name", "Toinen ry", "--start", "2025-01").returncode == 0
    imported = cli(db, "import", str(file), "--org", "lauste", "--json")
    assert imported.returncode == 0, imported.stdout + imported.stderr
    result = cli(db, "figures", "--period", "2025H1", "--org", "lauste", "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_period(figures):
    assert figures["period"] == {"from": "2025-01", "to": "2025-06"}


def test_activities(figures):
    activities = figures["activities"]
    assert activities["by_type"] == {"vertaistukitapaaminen": 30, "koulutus": 3, "paneeli": 1}
    assert (activities["client_work"], activities["development_advocacy"], activities["total"]) == (30, 4, 34)
    assert (activities["experts_involved"], activities["people_reached"], activities["hours"]) == (7, 52, 21.5)
    assert activities["blank_rows"] == {"experts_involved": 1, "people_reached": 2, "hours": 1}
    assert activities["feedback"] == round((10 * 5 + 20 * 4 + 3 * 4.5) / 33, 2)


def test_attitudes(figures):
    attitudes = figures["attitudes"]
    assert attitudes["respondents"] == 15
    assert attitudes["by_stage"] == {"1": 4, "2": 1, "3": 2, "4": 5, "5": 3}
    assert (attitudes["sceptical_share"], attitudes["curious_or_better_share"]) == (0.333, 0.667)
    # child-protection workers: 2 of 6 curious before, 5 of 6 after
    assert attitudes["shift"] == 50.0


def test_demand_counts_public_sessions_only(figures):
    demand = figures["demand"]
    assert (demand["requests"], demand["decided"], demand["unmet"]) == (9, 6, 5)
    assert demand["unmet_share"] == 0.833
    assert {k: (v["requests"], v["unmet"]) for k, v in demand["by_sector"].items()} == {
        "neuvola": (4, 3), "sairaala": (2, 2), "lastensuojelu": (1, 0), "koulu": (2, 0)}
    assert demand["open_over_60_days"] == 1


def test_completeness(figures):
    # January–April have Toiminta rows of lauste; May and June are missing
    assert figures["completeness"] == {"expected": 6, "reported": 4, "rate": 0.667}


def test_suppressed_figures_of_the_demo_give_every_public_sectors_unmet_share(tmp_path):
    # what the board exists to see: requests are not protected, so no share is hidden
    from data_sources.vocabulary import PUBLIC_SECTORS
    from queries.periods import last_complete_half_year

    db = tmp_path / "demo.duckdb"
    assert cli(db, "demo").returncode == 0
    period = last_complete_half_year(datetime.now().date()).code
    shown = cli(db, "figures", "--period", period, "--suppress", "--json")
    assert shown.returncode == 0, shown.stderr
    by_sector = json.loads(shown.stdout)["demand"]["by_sector"]
    decided = {code: row for code, row in by_sector.items() if code in PUBLIC_SECTORS and row["decided"]}
    assert {"neuvola", "kouluterveydenhuolto", "sairaala"} <= set(decided)
    for code, row in decided.items():
        assert isinstance(row["unmet_share"], float), (code, row)
        assert row["unmet_share"] == round(row["unmet"] / row["decided"], 3)

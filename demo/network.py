"""A fictional network of member organisations, with two years of monthly reports.

The figures follow the shape of the pilot described in shared/seeds/README.md: 10–20
peer-support meetings a month per organisation, a few development and advocacy tasks,
attitudes drifting from sceptical to curious, and requests from maternity clinics, school
health care and hospitals going mostly unmet. Everything is drawn from seeded generators,
so the same end month always gives the same rows (and the same workbook bytes).
"""

import math
import random
from dataclasses import dataclass
from datetime import date

import pandas as pd

from data_sources.templates import filled_workbook
from data_sources.vocabulary import ATTITUDE_STAGES, SHEET_COLUMNS, SHEETS


@dataclass(frozen=True)
class DemoOrg:
    code: str
    name: str
    municipality: str
    aliases: tuple[str, ...]
    # months after the window's first month that the organisation joined the network
    joins_after: int = 0
    # the language its staff fill the template in
    lang: str = "fi"
    # mean peer-support meetings a month
    meetings: float = 14.0
    # municipalities it also works in, besides its home municipality
    also_serves: tuple[str, ...] = ()
    # months (counted back from the end month, 0 = the end month) it did not report
    missed: tuple[int, ...] = ()


DEMO_ORGS = (
    DemoOrg("demo_aurinko", "Esimerkkiyhdistys Aurinkoranta ry (demo)", "Turku",
            ("Aurinkoranta",), meetings=18.0, also_serves=("Kaarina", "Raisio")),
    DemoOrg("demo_majakka", "Kuvitteellinen Perhemajakka ry (demo)", "Salo",
            ("Perhemajakka",), meetings=15.0, also_serves=("Turku",)),
    DemoOrg("demo_kompassi", "Demokompassi – esimerkkiperheiden tuki ry (demo)", "Kaarina",
            ("Demokompassi",), lang="en", meetings=12.0, also_serves=("Turku", "Lieto")),
    DemoOrg("demo_saaristo", "Skärgårdens exempelförening rf (demo)", "Parainen",
            ("Exempelföreningen",), lang="sv", meetings=12.5, also_serves=("Naantali",)),
    DemoOrg("demo_silta", "Esimerkkisilta ry (demo)", "Raisio",
            ("Esimerkkisilta",), meetings=13.0, also_serves=("Naantali", "Turku"),
            missed=(7, 8)),
    DemoOrg("demo_tuulimylly", "Tuulimyllyn kuvitteellinen perheyhdistys ry (demo)", "Loimaa",
            ("Tuulimylly",), joins_after=8, meetings=12.0),
    DemoOrg("demo_laituri", "Laituri – keksitty nuorten tuki ry (demo)", "Uusikaupunki",
            ("Laituri-demo",), meetings=12.5),
    DemoOrg("demo_kaarna", "Kaarnavene – esimerkkijärjestö ry (demo)", "Lieto",
            ("Kaarnavene",), joins_after=15, meetings=13.0, also_serves=("Turku",)),
)

# Sectors that are never reached in a municipality, so the white-spot view has something
# to show: hospitals and universities only in the towns that have them, plus a few gaps.
_SECTOR_TOWNS = {"sairaala": ("Turku", "Salo"), "korkeakoulu": ("Turku",)}
_NEVER_REACHED = {
    ("Uusikaupunki", "neuvola"), ("Loimaa", "kouluterveydenhuolto"),
    ("Naantali", "mielenterveys_paihde"), ("Parainen", "varhaiskasvatus"),
    ("Lieto", "neuvola"),
}

# requesting sectors, weighted: mostly public, as the seed articles describe
_REQUEST_SECTORS = {
    "lastensuojelu": 22, "perhekeskus": 15, "neuvola": 12, "kouluterveydenhuolto": 11,
    "sairaala": 9, "koulu": 7, "varhaiskasvatus": 4, "mielenterveys_paihde": 6,
    "korkeakoulu": 3, "muu_julkinen": 3, "jarjesto": 5, "seurakunta": 2, "muu": 1,
}
# status weights (toteutunut, osittain, toteutumatta, avoin, peruttu) by requesting sector:
# the public health services are where the potential is "not yet recognised" and unserved
_HARD_SECTORS = ("neuvola", "kouluterveydenhuolto", "sairaala")
_EASY_SECTORS = ("lastensuojelu", "perhekeskus")
_STATUS_WEIGHTS = {
    "hard": (22, 15, 48, 8, 7),
    "easy": (78, 7, 5, 5, 5),
    "other": (55, 12, 20, 7, 6),
}
_STATUSES = ("toteutunut", "osittain", "toteutumatta", "avoin", "peruttu")
_REASON_WEIGHTS = {"ei_tekijaa": 45, "ei_rahoitusta": 32, "aikataulu": 12,
                   "ei_kokemustaustaa": 7, "muu": 4}
_REQUEST_TYPES = {
    "koulutus": 30, "paneeli": 18, "tyoparityo": 18, "kehittamistehtava": 14,
    "vaikuttamistehtava": 8, "vertaistukitapaaminen": 8, "media": 4,
}
_ADVOCACY_TYPES = {
    "koulutus": 26, "paneeli": 16, "rekrytointi": 12, "kehittamistehtava": 22,
    "vaikuttamistehtava": 16, "media": 8,
}
_ADVOCACY_SECTORS = {
    "lastensuojelu": 30, "perhekeskus": 18, "koulu": 10, "neuvola": 6,
    "kouluterveydenhuolto": 5, "korkeakoulu": 8, "mielenterveys_paihde": 6,
    "muu_julkinen": 5, "jarjesto": 10,
}


def last_complete_month(today: date) -> date:
    """The first day of the month before `today`'s: the last month that has ended."""
    first = today.replace(day=1)
    return first.replace(year=first.year - 1, month=12) if first.month == 1 \
        else first.replace(month=first.month - 1)


def window_months(end_month: date, months: int = 24) -> list[date]:
    """The `months` first-of-month dates ending with `end_month`'s month, oldest first."""
    end = end_month.replace(day=1)
    index = end.year * 12 + end.month - 1
    return [date((i) // 12, i % 12 + 1, 1) for i in range(index - months + 1, index + 1)]


def demo_start_month(org: DemoOrg, end_month: date, months: int = 24) -> date:
    """The month an organisation joined, for the registry (completeness counts from it)."""
    window = window_months(end_month, months)
    return window[min(org.joins_after, len(window) - 1)]


def generate_network(
    end_month: date, months: int = 24, seed: int = 2025,
) -> dict[str, dict[str, pd.DataFrame]]:
    """org_code -> sheet -> canonical rows (vocabulary.SHEET_COLUMNS) for the window."""
    window = window_months(end_month, months)
    network = {}
    for org in DEMO_ORGS:
        rows: dict[str, list[dict]] = {sheet: [] for sheet in SHEETS}
        trained = None
        for position, month in enumerate(window):
            if position < org.joins_after or (len(window) - 1 - position) in org.missed:
                continue
            # progress through the window drives the slow drift in attitudes
            progress = position / max(1, len(window) - 1)
            # one generator per organisation and month, so a month's rows do not shift when
            # the window moves (only the capacity pool carries over from month to month)
            rng = random.Random(f"{seed}:{org.code}:{month.isoformat()}")
            is_last = position == len(window) - 1
            rows["toiminta"] += _activity_rows(rng, org, month)
            rows["asenteet"] += _attitude_rows(rng, org, month, progress)
            rows["kysynta"] += _demand_rows(rng, org, month, is_last)
            row, trained = _capacity_row(rng, org, month, trained)
            rows["kapasiteetti"].append(row)
        network[org.code] = {
            sheet: pd.DataFrame(records, columns=list(SHEET_COLUMNS[sheet]))
            for sheet, records in rows.items()
        }
    return network


def demo_workbooks(end_month: date) -> list[tuple[str, str, bytes]]:
    """(org_code, file name, xlsx bytes): one filled template per organisation, in its language."""
    network = generate_network(end_month)
    return [
        (org.code, f"{org.code}_{end_month:%Y-%m}.xlsx",
         filled_workbook(network[org.code], org.lang))
        for org in DEMO_ORGS
    ]


def _pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _towns(org: DemoOrg) -> tuple[str, ...]:
    return (org.municipality, *org.also_serves)


def _reached(municipality: str, sector: str) -> bool:
    towns = _SECTOR_TOWNS.get(sector)
    if towns is not None and municipality not in towns:
        return False
    return (municipality, sector) not in _NEVER_REACHED


def _pick_place(rng: random.Random, org: DemoOrg, sectors: dict) -> tuple[str, str]:
    """A (municipality, sector) pair that is not a deliberate white spot."""
    # the home municipality gets most of the work; neighbours the rest
    town_weights = {town: (3 if town == org.municipality else 1) for town in _towns(org)}
    while True:
        town, sector = _pick(rng, town_weights), _pick(rng, sectors)
        if _reached(town, sector):
            return town, sector


def _activity(org_code, month, activity_type, count, experts, reached, hours, sector, town, feedback):
    return {
        "source_row": None, "org_code": org_code, "activity_month": pd.Timestamp(month),
        "activity_type": activity_type, "count_activities": count,
        "experts_involved": experts, "people_reached": reached, "hours": hours,
        "target_sector": sector, "municipality": town, "feedback": feedback,
    }


def _feedback(rng: random.Random, low: float = 4.0) -> float:
    return round(rng.uniform(low, 5.0), 1)


def _activity_rows(rng: random.Random, org: DemoOrg, month: date) -> list[dict]:
    rows = []
    # fewer meetings in the July holiday month, a few more in the busy autumn
    season = {7: 0.6, 9: 1.1, 10: 1.1, 11: 1.1}.get(month.month, 1.0)
    meetings = max(4, round(rng.gauss(org.meetings * season, 2.0)))
    # split across the home municipality and one neighbour, as a monthly count per row
    towns = _towns(org)
    split = [meetings] if len(towns) == 1 or rng.random() < 0.4 else \
        [meetings - meetings // 3, meetings // 3]
    for town, count in zip((org.municipality, rng.choice(towns[1:] or towns)), split):
        sector = rng.choice(("lastensuojelu", "lastensuojelu", "perhekeskus", "jarjesto"))
        experts = min(count, max(1, round(count / rng.uniform(3, 5))))
        rows.append(_activity(org.code, month, "vertaistukitapaaminen", count, experts,
                              count + rng.randint(0, count // 2), round(count * rng.uniform(1.2, 2.0), 1),
                              sector, town, _feedback(rng)))

    relationships = rng.choice((1, 1, 2, 2, 1))
    rows.append(_activity(org.code, month, "vertaistukisuhde", relationships, relationships, relationships,
                          None, rng.choice(("lastensuojelu", "perhekeskus")), org.municipality, None))

    pair_work = rng.randint(2, 5)
    rows.append(_activity(org.code, month, "tyoparityo", pair_work, rng.randint(1, 2),
                          pair_work + rng.randint(0, 3), round(pair_work * rng.uniform(1.5, 2.5), 1),
                          "lastensuojelu", org.municipality, _feedback(rng, 4.2)))

    # development and advocacy: a few tasks a month, one row per task type
    tasks = {}
    for _ in range(rng.randint(3, 6)):
        task = _pick(rng, _ADVOCACY_TYPES)
        tasks[task] = tasks.get(task, 0) + 1
    for task, count in sorted(tasks.items()):
        town, sector = _pick_place(rng, org, _ADVOCACY_SECTORS)
        # a media appearance reaches an audience nobody can count: left blank on purpose
        reached = None if task == "media" else count * rng.randint(6, 40)
        rows.append(_activity(org.code, month, task, count, count * rng.randint(1, 3), reached,
                              round(count * rng.uniform(2, 6), 1), sector, town,
                              None if task == "media" else _feedback(rng, 4.3)))
    return rows


def _attitude_rows(rng: random.Random, org: DemoOrg, month: date, progress: float) -> list[dict]:
    # surveys are taken around trainings and panels, so not every month
    if rng.random() > 0.65:
        return []
    groups = ["lastensuojelun_tyontekija", "vanhempi"]
    if rng.random() < 0.25:
        groups.append(rng.choice(("muu_ammattilainen", "nuori")))
    rows = []
    for group in groups:
        points = ("ennen", "jalkeen") if rng.random() < 0.6 else ("kartoitus",)
        for point in points:
            # the mean stage moves from sceptical (≈1.7) towards curious (≈3.3) over the
            # window; an "after" answer sits higher than its "before"
            centre = 1.7 + 1.6 * progress + (0.7 if point == "jalkeen" else 0.0)
            weights = [math.exp(-((stage - centre) ** 2) / 1.3) for stage in ATTITUDE_STAGES]
            answers = rng.choices(list(ATTITUDE_STAGES), weights=weights, k=rng.randint(4, 12))
            sector = "lastensuojelu" if group == "lastensuojelun_tyontekija" else \
                rng.choice((None, "perhekeskus"))
            for stage in sorted(set(answers)):
                rows.append({
                    "source_row": None, "org_code": org.code, "answer_month": pd.Timestamp(month),
                    "respondent_group": group, "measurement_point": point,
                    "attitude_stage": stage, "count_respondents": answers.count(stage),
                    "target_sector": sector,
                })
    return rows


def _demand_rows(rng: random.Random, org: DemoOrg, month: date, is_last: bool) -> list[dict]:
    rows = []
    for _ in range(rng.randint(2, 6)):
        town, sector = _pick_place(rng, org, _REQUEST_SECTORS)
        kind = "hard" if sector in _HARD_SECTORS else "easy" if sector in _EASY_SECTORS else "other"
        weights = list(_STATUS_WEIGHTS[kind])
        if is_last:
            # requests of the last month are still being arranged
            weights[3] += 25
        status = rng.choices(_STATUSES, weights=weights)[0]
        reason = _pick(rng, _REASON_WEIGHTS) if status in ("toteutumatta", "osittain") else None
        rows.append({
            "source_row": None, "org_code": org.code, "received_month": pd.Timestamp(month),
            "requesting_sector": sector, "request_type": _pick(rng, _REQUEST_TYPES),
            "status": status, "reason": reason, "municipality": town,
            "count_sessions": rng.choices((1, 2, 3, 4), weights=(45, 30, 15, 10))[0],
        })
    return rows


def _capacity_row(rng: random.Random, org: DemoOrg, month: date, trained: int | None):
    # the pool grows slowly with new training courses; a share of it is active each month
    if trained is None:
        trained = 10 + round(org.meetings * 0.6) + rng.randint(0, 3)
    elif rng.random() < 0.2:
        trained += rng.randint(1, 3)
    trained = min(trained, 30)
    active = min(trained, round(trained * rng.uniform(0.45, 0.8)))
    row = {
        "source_row": None, "org_code": org.code, "capacity_month": pd.Timestamp(month),
        "count_trained": trained, "count_active": active,
        "hours_available": round(active * rng.uniform(1.0, 5.0) * 2) / 2,
    }
    return row, trained

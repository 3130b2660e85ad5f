"""The codes of the data contract (shared/spec/data-contract.md).

Codes are stable identifiers stored in the warehouse; their labels in each language
live in i18n/<lang>/codes.toml under the section named by the code list.
"""

SHEETS = ("toiminta", "asenteet", "kysynta", "kapasiteetti")

# activity code -> group
ACTIVITY_TYPES = {
    "vertaistukitapaaminen": "client_work",
    "vertaistukisuhde": "client_work",
    "tyoparityo": "client_work",
    "koulutus": "development_advocacy",
    "rekrytointi": "development_advocacy",
    "paneeli": "development_advocacy",
    "kehittamistehtava": "development_advocacy",
    "vaikuttamistehtava": "development_advocacy",
    "media": "development_advocacy",
    "muu": "other",
}
ACTIVITY_GROUPS = ("client_work", "development_advocacy", "other")
# counts of client work are protected (docs/figures.md, "Privacy"); so is "other", which may be
# client work under another name; organisational work (development and advocacy) is not
PROTECTED_ACTIVITY_GROUPS = ("client_work", "other")
PROTECTED_ACTIVITY_TYPES = tuple(code for code, group in ACTIVITY_TYPES.items()
                                 if group in PROTECTED_ACTIVITY_GROUPS)

# sector code -> is public
SECTORS = {
    "lastensuojelu": True,
    "perhekeskus": True,
    "neuvola": True,
    "kouluterveydenhuolto": True,
    "koulu": True,
    "varhaiskasvatus": True,
    "sairaala": True,
    "mielenterveys_paihde": True,
    "korkeakoulu": True,
    "muu_julkinen": True,
    "jarjesto": False,
    "seurakunta": False,
    "muu": False,
}
PUBLIC_SECTORS = tuple(code for code, public in SECTORS.items() if public)

# attitude stage number -> code; 1-2 sceptical, 3-5 curious or better
ATTITUDE_STAGES = {
    1: "epaileva",
    2: "varauksellinen",
    3: "kysyva",
    4: "myonteinen",
    5: "luottava",
}
SCEPTICAL_STAGES = (1, 2)

RESPONDENT_GROUPS = (
    "lastensuojelun_tyontekija",
    "muu_ammattilainen",
    "vanhempi",
    "nuori",
    "muu",
)

MEASUREMENT_POINTS = ("ennen", "jalkeen", "seuranta", "kartoitus")
DEFAULT_MEASUREMENT_POINT = "kartoitus"

STATUSES = ("toteutunut", "osittain", "toteutumatta", "avoin", "peruttu")
UNMET_STATUSES = ("toteutumatta", "osittain")
UNDECIDED_STATUSES = ("avoin", "peruttu")

REASONS = ("ei_tekijaa", "ei_rahoitusta", "aikataulu", "ei_kokemustaustaa", "muu")

# code list name -> its codes, in display order; the name is also the section in codes.toml
CODE_LISTS = {
    "activity_type": tuple(ACTIVITY_TYPES),
    "activity_group": ACTIVITY_GROUPS,
    "sector": tuple(SECTORS),
    "attitude_stage": tuple(ATTITUDE_STAGES.values()),
    "respondent_group": RESPONDENT_GROUPS,
    "measurement_point": MEASUREMENT_POINTS,
    "status": STATUSES,
    "reason": REASONS,
    "sheet": SHEETS,
}

# The canonical columns of each sheet's rows, as the checker hands them to the warehouse
# (warehouse/migrations/001_initial.sql stores them under the same names).
# Months are pandas Timestamps of the month's first day; optional numbers are None/NaN when blank.
SHEET_COLUMNS = {
    "toiminta": (
        "source_row", "org_code", "activity_month", "activity_type", "count_activities",
        "experts_involved", "people_reached", "hours", "target_sector", "municipality",
        "feedback",
    ),
    "asenteet": (
        "source_row", "org_code", "answer_month", "respondent_group", "measurement_point",
        "attitude_stage", "count_respondents", "target_sector",
    ),
    "kysynta": (
        "source_row", "org_code", "received_month", "requesting_sector", "request_type",
        "status", "reason", "municipality", "count_sessions",
    ),
    "kapasiteetti": (
        "source_row", "org_code", "capacity_month", "count_trained", "count_active",
        "hours_available",
    ),
}
MONTH_COLUMN = {
    "toiminta": "activity_month",
    "asenteet": "answer_month",
    "kysynta": "received_month",
    "kapasiteetti": "capacity_month",
}

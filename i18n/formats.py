"""Numbers, shares and months written the way each language writes them (via Babel)."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pandas as pd
from babel.numbers import format_decimal

import i18n

BABEL_LOCALES = {"fi": "fi_FI", "sv": "sv_FI", "en": "en_GB"}
SUPPRESSED = "<5"


def fmt_number(value, lang: str, decimals: int = 0) -> str:
    """12345 -> '12 345' (fi, sv) or '12,345' (en); None -> '–'; a suppressed '<5' stays."""
    if value is None:
        return "–"
    if isinstance(value, str):
        return value
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=BABEL_LOCALES[lang])


def fmt_share(value, lang: str, decimals: int = 0) -> str:
    """0.656 -> '66 %' (fi, sv) or '66%' (en)."""
    if value is None or isinstance(value, str):
        return "–" if value is None else value
    number = fmt_number(value * 100, lang, decimals)
    return f"{number}%" if lang == "en" else f"{number}\u00a0%"


def fmt_points(value, lang: str) -> str:
    """A change in percentage points with its sign: +5,2 %-yks. / +5,2 p.e. / +5.2 pp."""
    if value is None:
        return "–"
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    return f"{sign}{fmt_number(abs(value), lang, 1)}\u00a0{i18n.t(lang, 'format.points')}"


def fmt_change(percent, lang: str) -> str:
    """A relative change: +18 % / −4 %; None (no comparison) -> '–'."""
    if percent is None:
        return "–"
    sign = "+" if percent > 0 else ("−" if percent < 0 else "±")
    number = fmt_number(abs(percent), lang)
    return f"{sign}{number}%" if lang == "en" else f"{sign}{number}\u00a0%"


def fmt_month(month: date, lang: str, short: bool = False) -> str:
    return f"{i18n.month_name(lang, month.month, short)} {month.year}"


def vega_locale(lang: str) -> dict:
    """Vega-Lite's number and time format locale, so axes read like the rest of the page."""
    months = [i18n.month_name(lang, m) for m in range(1, 13)]
    short = [i18n.month_name(lang, m, short=True) for m in range(1, 13)]
    number = ({"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["€", ""]} if lang == "en"
              else {"decimal": ",", "thousands": "\u00a0", "grouping": [3], "currency": ["", "\u00a0€"],
                    "percent": "\u00a0%"})
    days = i18n.t(lang, "format.weekdays").split(",")
    return {
        "number": number,
        "time": {
            "dateTime": "%A %e %B %Y %X", "date": "%-d.%-m.%Y" if lang != "en" else "%d/%m/%Y",
            "time": "%H:%M:%S", "periods": ["AM", "PM"],
            "days": days, "shortDays": [d[:2] for d in days],
            "months": months, "shortMonths": short,
        },
    }


# Times are stored in UTC; people read them in Finnish time, with the zone named.
LOCAL_ZONE = "Europe/Helsinki"


def fmt_local_time(moment: datetime | None, lang: str) -> str:
    """A stored (naive UTC) time as Helsinki time with its zone: '2.4.2025 13.05 EEST'
    (fi), '2.4.2025 13:05 EEST' (sv, en)."""
    if moment is None or pd.isna(moment):
        return ""
    local = pd.Timestamp(moment).tz_localize("UTC").tz_convert(ZoneInfo(LOCAL_ZONE))
    clock = f"{local.hour}.{local.minute:02d}" if lang == "fi" else f"{local.hour:02d}:{local.minute:02d}"
    return f"{local.day}.{local.month}.{local.year} {clock} {local.tzname()}"


def local_today(now: datetime | None = None) -> date:
    """Today in Helsinki: the day the network's people live in, whatever the server's own zone
    (a UTC server is still on yesterday from 22.00 or 21.00 Finnish time). `now`, aware, for tests."""
    return (now or datetime.now(UTC)).astimezone(ZoneInfo(LOCAL_ZONE)).date()


def local_date(moment: datetime) -> date:
    """The Helsinki date of a stored (naive UTC) time."""
    return pd.Timestamp(moment).tz_localize("UTC").tz_convert(ZoneInfo(LOCAL_ZONE)).date()


def fmt_local_date(moment: datetime | None) -> str:
    """The Helsinki date of a stored (naive UTC) time: '2.4.2025'."""
    if moment is None or pd.isna(moment):
        return ""
    local = local_date(moment)
    return f"{local.day}.{local.month}.{local.year}"

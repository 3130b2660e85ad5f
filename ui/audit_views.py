"""The audit log as leadership reads it: who, when (Helsinki time), what — and its CSV."""

import json

import pandas as pd

import i18n
from i18n.formats import fmt_local_time
from ui.auth import actor_label

# the details each kind of event shows, in this order (codes and counts, never a cell's value)
SHOWN_DETAILS = ("email", "role", "domain", "scope", "months", "reason", "codes", "count_problems",
                 "rows_added", "rows_replaced", "source", "name")


def _detail_text(lang: str, details: str | None) -> str:
    try:
        values = json.loads(details) if details else {}
    except ValueError:
        return ""
    parts = []
    for key in SHOWN_DETAILS:
        value = values.get(key)
        if value in (None, "", [], {}):
            continue
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        elif key == "role":
            value = i18n.t(lang, f"access.role_{value}")
        elif key == "scope" and value == "*":
            value = i18n.t(lang, "common.whole_network")
        parts.append(f"{i18n.t(lang, f'audit.detail_{key}')}: {value}")
    return "; ".join(parts)


def audit_table(lang: str, log: pd.DataFrame, org_names: dict[str, str]) -> pd.DataFrame:
    """One row per event, newest first, in `lang`."""
    t = lambda key: i18n.t(lang, f"audit.col_{key}")  # noqa: E731
    return pd.DataFrame({
        t("when"): [fmt_local_time(moment, lang) for moment in log["event_at"]],
        t("who"): [actor_label(lang, a) for a in log["actor"]],
        t("what"): [i18n.t(lang, f"audit.action.{a}") for a in log["action"]],
        t("org"): [org_names.get(c, c) if isinstance(c, str) else "" for c in log["org_code"]],
        t("upload"): [str(int(u)) if pd.notna(u) else "" for u in log["upload_id"]],
        t("file"): [f if isinstance(f, str) else "" for f in log["file_name"]],
        t("details"): [_detail_text(lang, d) for d in log["details"]],
    }).astype(str)

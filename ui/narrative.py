"""The one to three sentences that open each page: the headline and its change, in words.
They are Markdown (pages show them with st.markdown): a name from outside is escaped."""

import i18n
from i18n.formats import fmt_number, fmt_points, fmt_share
from ui.safe_text import escape_markdown

# the demand headline names the sector with the largest unmet share only among sectors with
# at least this many decided sessions
MIN_DECIDED_TO_RANK = 10


def _change(now, before) -> float | None:
    if isinstance(now, (int, float)) and isinstance(before, (int, float)) and before:
        return (now - before) / before * 100
    return None


def comparable(figures: dict) -> bool:
    """Whether the comparison period reported enough to give a change (figures.comparison_coverage)."""
    return figures.get("comparison_period", {}).get("complete", True)


def comparison_note(lang: str, figures: dict) -> str | None:
    """The sentence that says why no change is given, when the comparison period is incomplete."""
    if comparable(figures):
        return None
    coverage = figures["comparison_period"]
    return i18n.t(lang, "narrative.comparison_incomplete", reported=fmt_number(coverage["reported"], lang),
                  current=fmt_number(coverage["current_reported"], lang))


def when(ctx) -> dict:
    """The period as a sentence's time, both as it reads inside a sentence and at its start
    (templates use {period} and {Period}: fi "tammi–kesäkuussa 2026" / "Tammi–kesäkuussa 2026")."""
    compare = getattr(ctx, "compare", "previous")
    return {"period": ctx.period.when(ctx.lang), "Period": ctx.period.when_first(ctx.lang),
            # what a change is against: "kuin edellisellä jaksolla" / "kuin vuotta aiemmin"
            "than": i18n.t(ctx.lang, f"narrative.than_{compare}"),
            "against": i18n.t(ctx.lang, f"narrative.against_{compare}")}


def count_sentence(lang: str, key: str, period: dict, now, before, compare: bool = True) -> str:
    """'<what> was N in <period>, X % more/less than in the previous period.' (key: narrative.<key>_*);
    without the change when `compare` is false (an incomplete comparison period)."""
    change = _change(now, before) if compare else None
    if now is None:
        return i18n.t(lang, "narrative.no_data", **period)
    if change is None:
        return i18n.t(lang, f"narrative.{key}", **period, count=fmt_number(now, lang))
    direction = "more" if change > 0.5 else ("less" if change < -0.5 else "same")
    return i18n.t(lang, f"narrative.{key}_{direction}", **period, count=fmt_number(now, lang),
                  change=fmt_number(abs(change), lang))


def _absent(lang: str, period: dict, basis, no_data_key: str) -> str:
    """Why a share is not shown: hidden because its counts are small, or there is nothing."""
    if isinstance(basis, str) or (isinstance(basis, (int, float)) and basis > 0):
        return i18n.t(lang, "narrative.suppressed", **period)
    return i18n.t(lang, no_data_key, **period)


def no_activity(figures: dict) -> bool:
    """Not one activity of any type (a hidden count is not nothing); the Overview asks too."""
    return all(count in (0, None) for count in figures["activities"]["by_type"].values())


def activity_sentences(ctx, now: dict, before: dict) -> str:
    lang, period = ctx.lang, when(ctx)
    if no_activity(now):  # an empty period says so, whatever came before
        return i18n.t(lang, "narrative.no_activity", **period)
    meetings = now["activities"]["by_type"].get("vertaistukitapaaminen", 0)
    previous = before["activities"]["by_type"].get("vertaistukitapaaminen", 0)
    compare = comparable(now)
    sentences = [count_sentence(lang, "meetings", period, meetings, previous, compare)]
    development = now["activities"]["development_advocacy"]
    if development not in (None, 0):
        sentences.append(count_sentence(lang, "development", period, development,
                                        before["activities"]["development_advocacy"], compare))
    note = comparison_note(lang, now)
    if note and not no_activity(before):
        sentences.append(note)
    return " ".join(sentences)


def attitude_sentences(ctx, now: dict) -> str:
    lang, period = ctx.lang, when(ctx)
    attitudes = now["attitudes"]
    share = attitudes["curious_or_better_share"]
    if not isinstance(share, float):
        return _absent(lang, period, attitudes["respondents"], "narrative.no_data")
    sentences = [i18n.t(lang, "narrative.curious", **period, share=fmt_share(share, lang),
                        respondents=fmt_number(attitudes["respondents"], lang))]
    if isinstance(attitudes.get("trend"), (int, float)):
        sentences.append(i18n.t(lang, "narrative.trend", **period, points=fmt_points(attitudes["trend"], lang)))
    if isinstance(attitudes.get("shift"), (int, float)):
        sentences.append(i18n.t(lang, "narrative.shift", points=fmt_points(attitudes["shift"], lang)))
    return " ".join(sentences)


def demand_sentences(ctx, now: dict) -> str:
    lang, period = ctx.lang, when(ctx)
    demand = now["demand"]
    if not isinstance(demand["unmet_share"], float):
        return _absent(lang, period, demand["decided"], "narrative.no_demand")
    sentences = [i18n.t(lang, "narrative.unmet", **period, share=fmt_share(demand["unmet_share"], lang),
                        unmet=fmt_number(demand["unmet"], lang), decided=fmt_number(demand["decided"], lang))]
    # a sector is ranked only on enough decided sessions: 2 of 3 unmet is no "worst"
    sectors = {code: row for code, row in demand.get("by_sector", {}).items()
               if isinstance(row.get("unmet_share"), float)}
    shares = {code: row["unmet_share"] for code, row in sectors.items()
              if isinstance(row.get("decided"), int) and row["decided"] >= MIN_DECIDED_TO_RANK}
    worst = max(shares, key=shares.get) if shares else None
    # "most unmet" only among two sectors or more, and never a sector where nothing went unmet
    # (a member's own scope named Child protection "most unmet: 0 %" beside a chart of 3/3 unmet)
    if len(shares) >= 2 and shares[worst] > 0:
        sentences.append(i18n.t(lang, "narrative.worst_sector", sector=i18n.label(lang, "sector", worst),
                                share=fmt_share(shares[worst], lang)))
    elif not shares and len(sectors) > 1:
        sentences.append(i18n.t(lang, "narrative.no_sector_enough", minimum=MIN_DECIDED_TO_RANK))
    open_old = demand.get("open_over_60_days")
    if open_old not in (None, 0):
        sentences.append(i18n.t(lang, "narrative.open_old", count=fmt_number(open_old, lang)))
    return " ".join(sentences)


def completeness_sentences(ctx, now: dict, missing_last_month: list[str], last_month: str) -> str:
    lang, period = ctx.lang, when(ctx)
    completeness = now["completeness"]
    if not completeness.get("expected"):
        return i18n.t(lang, "narrative.nothing_expected", **period)
    sentences = [i18n.t(lang, "narrative.completeness", **period,
                        share=fmt_share(completeness["rate"], lang),
                        reported=fmt_number(completeness["reported"], lang),
                        expected=fmt_number(completeness["expected"], lang))]
    if missing_last_month:
        sentences.append(i18n.t(lang, "narrative.missing_last", month=last_month,
                                organisations=", ".join(escape_markdown(n) for n in missing_last_month)))
    else:
        sentences.append(i18n.t(lang, "narrative.none_missing", month=last_month))
    return " ".join(sentences)

"""The Overview's tiles (and the board pack's, which are the same) against the figures the pages'
own sentences state: one change for one figure, and no change at all beside an incomplete
comparison period (docs/figures.md). Real figures of the demo network, exact and as the board
sees them, over every quarter, half-year and year it spans."""

from datetime import date
from types import SimpleNamespace

import pytest

import i18n
from demo.load import load_demo
from i18n.formats import fmt_points
from queries.figures import compute_figures
from queries.periods import parse_period
from queries.scope import Scope
from ui import narrative
from ui.widgets import OVERVIEW_TILES, overview_tiles
from warehouse import Warehouse


@pytest.fixture(scope="module")
def demo():
    wh = Warehouse(":memory:")
    load_demo(wh, date.today())
    first, last = wh.cursor().execute(
        "select min(period_month), max(period_month) from current_sheet_months").fetchone()
    yield wh, first, last
    wh.close()


def periods(first: date, last: date) -> list[str]:
    codes = []
    for year in range(first.year, last.year + 1):
        codes += [f"{year}", f"{year}H1", f"{year}H2"] + [f"{year}Q{q}" for q in range(1, 5)]
    return codes


def ctx(lang: str):
    return SimpleNamespace(lang=lang, t=lambda key, **params: i18n.t(lang, key, **params))


@pytest.mark.parametrize("exact", [True, False], ids=["leadership", "board"])
def test_each_share_tile_gives_the_change_its_page_states_and_none_beside_an_incomplete_period(demo, exact):
    wh, first, last = demo
    scope = Scope(exact=exact, threshold=5)
    index = {key: n for n, (key, *_rest) in enumerate(OVERVIEW_TILES)}
    seen_trend = seen_incomplete = 0
    for code in periods(first, last):
        period = parse_period(code)
        now = compute_figures(wh, period, scope)
        before = compute_figures(wh, period.previous(), scope)
        for lang in ("fi", "en"):
            tiles = overview_tiles(ctx(lang), now, before)
            if not narrative.comparable(now):
                seen_incomplete += 1
                assert [t.delta for t in tiles] == [None] * len(tiles), (code, exact)
                continue
            trend = now["attitudes"]["trend"]
            curious = tiles[index["overview.tile_curious"]]
            if isinstance(trend, float):
                seen_trend += 1
                assert curious.delta == fmt_points(trend, lang), (code, exact)   # the Attitudes page's words
    assert seen_trend >= 5 and seen_incomplete >= 1

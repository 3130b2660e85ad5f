"""Waiting for Streamlit in a real browser with Playwright's expect(), which retries until its
condition holds (or times out): no fixed sleeps, no counting the moment after an action."""

from browser_support import wait_for_app
from playwright.sync_api import expect

import i18n

RUN_TIMEOUT = 90_000  # ms; a first run on a cold server reads the warehouse and draws every chart


def finished_run(page) -> None:
    """Connected, and the script's run has ended (all its elements have been sent)."""
    wait_for_app(page)


def open_page(page, url: str, page_key: str, lang: str = "fi") -> None:
    """Load `url` and wait for its page: its title shown (so its run has begun), then the run's end."""
    page.goto(url)
    expect(page.get_by_test_id("stMain").locator("h1")).to_have_text(i18n.t(lang, f"nav.{page_key}"),
                                                                      timeout=RUN_TIMEOUT)
    finished_run(page)


def no_exception(page) -> None:
    expect(page.get_by_test_id("stException")).to_have_count(0)

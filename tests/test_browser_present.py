"""Presentation mode in a real Chromium at a projector's 1920 × 1080, driven by the keyboard
alone (arrows and Esc), as a board viewer; and the board pack downloaded from the page."""

import io
import re

import pytest
from browser_support import chromium_page, screenshot, wait_for_app
from playwright.sync_api import expect
from pptx import Presentation

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def press(page, key: str) -> None:
    """A key once the app has finished its run (a shortcut pressed while the script still runs
    reaches the page before its buttons are back)."""
    wait_for_app(page)
    page.keyboard.press(key)


def test_presenting_with_the_arrow_keys_at_1920_by_1080(demo_board_url):
    with chromium_page(1920, 1080) as page:
        page.goto(f"{demo_board_url}/present?lang=sv")
        wait_for_app(page)
        expect(page.get_by_role("heading", name="Styrelsepresentation")).to_be_visible()
        expect(page.get_by_test_id("stSidebar")).to_be_visible()
        page.get_by_role("button", name="Starta presentationen").click()
        wait_for_app(page)
        expect(page.get_by_text("Bild 1/15")).to_be_visible()
        expect(page.get_by_test_id("stSidebar")).to_be_hidden()          # the slide is the whole screen
        expect(page.get_by_text("Barnskyddsorganisationernas nätverk")).to_be_visible()
        screenshot(page, "present-title-sv")
        press(page, "ArrowRight")
        expect(page.get_by_text("Bild 2/15")).to_be_visible()
        expect(page.get_by_test_id("stMetric")).to_have_count(6)
        # a key figure reads from across a room: its value is drawn at least 60 px high
        size = page.get_by_test_id("stMetricValue").first.locator("p").evaluate(
            "e => parseFloat(getComputedStyle(e).fontSize)")
        assert size >= 60
        press(page, "ArrowRight")
        expect(page.get_by_text("Bild 3/15")).to_be_visible()
        chart = page.get_by_test_id("stVegaLiteChart")
        expect(chart).to_have_count(1)
        expect(chart.locator("canvas, svg").first).to_be_visible()
        box = chart.bounding_box()
        assert box["width"] > 1500 and box["y"] + box["height"] < 1080   # wide, and all of it on screen
        screenshot(page, "present-chart-sv")
        press(page, "ArrowLeft")
        expect(page.get_by_text("Bild 2/15")).to_be_visible()
        press(page, "Escape")
        expect(page.get_by_role("heading", name="Styrelsepresentation")).to_be_visible()
        expect(page.get_by_test_id("stSidebar")).to_be_visible()


def test_every_slide_and_its_buttons_fit_a_1400_by_1000_screen(demo_board_url):
    """A walk-through found slide 8's buttons (and its source line) under the fold: a slide with
    four lines of sentences draws its chart shorter (ui.present.chart_height)."""
    with chromium_page(1400, 1000) as page:
        page.goto(f"{demo_board_url}/present?lang=sv")
        wait_for_app(page)
        page.get_by_role("button", name="Starta presentationen").click()
        wait_for_app(page)
        total = int(re.search(r"/(\d+)", page.get_by_text(re.compile(r"^Bild 1/")).inner_text())[1])
        for number in range(1, total + 1):
            expect(page.get_by_text(f"Bild {number}/{total}")).to_be_visible()
            # measured once the run is over and its chart drawn (the old slide's may linger until then)
            wait_for_app(page)
            charts = page.get_by_test_id("stVegaLiteChart")
            if charts.count():
                expect(charts).to_have_count(1)
                expect(charts.locator("canvas, svg").first).to_be_visible()
            for name in ("Föregående", "Nästa", "Avsluta presentationen"):
                button = page.get_by_role("button", name=name)
                expect(button).to_be_visible()
                box = button.bounding_box()
                assert box["y"] + box["height"] <= 1000, (number, name, box)
                # and its text whole: "Avsluta present…" was cut beside its "Esc"
                cut = button.locator("*").evaluate_all("items => items.filter(e => e.scrollWidth > e.clientWidth + 1)"
                                                       ".map(e => e.textContent)")
                assert cut == [], (number, name, cut)
            if number < total:
                press(page, "ArrowRight")


def test_the_board_pack_downloads_from_the_page(demo_board_url):
    with chromium_page() as page:
        page.goto(f"{demo_board_url}/present?lang=en")
        wait_for_app(page)
        page.get_by_role("button", name="Build the board pack").click()
        wait_for_app(page)
        download_button = page.get_by_role("button", name="Download as PowerPoint")
        expect(download_button).to_be_visible(timeout=60_000)
        with page.expect_download() as info:
            download_button.click()
        download = info.value
        assert download.suggested_filename.startswith("board_pack_") and download.suggested_filename.endswith(".pptx")
        deck = Presentation(io.BytesIO(open(download.path(), "rb").read()))
        assert len(deck.slides) == 15

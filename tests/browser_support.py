"""A real `streamlit run app.py` on a free port and Debian's Chromium driven by Playwright."""

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
# without these Chromium tries to reach Google's hosts, which this network refuses
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# the logs of the servers running now: conftest.py reads what each test made them write
LIVE_LOGS: list[Path] = []


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(db_path: Path, extra_env: dict | None = None, *, port: int | None = None,
                     address: str = "127.0.0.1", secrets: Path | None = None):
    """Start the app on `db_path`; yield its base URL; stop it afterwards. Streamlit's secrets
    are `secrets` only (none by default: a developer's own .streamlit/secrets.toml is never read)."""
    port = port or free_port()
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("STREAMLIT_")},
           "KOKEMUSMITTARI_DB": str(db_path), **(extra_env or {})}
    log_path = db_path.with_suffix(".streamlit.log")
    log = open(log_path, "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.address", address, "--server.headless", "true",
         "--browser.gatherUsageStats", "false",
         "--secrets.files", str(secrets or db_path.parent / "no-secrets" / "secrets.toml")],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not start: {log_path.read_text()}")
            time.sleep(0.3)
        LIVE_LOGS.append(log_path)
        yield url
    finally:
        if log_path in LIVE_LOGS:
            LIVE_LOGS.remove(log_path)
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@contextlib.contextmanager
def trial_org_app(directory: Path):
    """An empty warehouse in `directory` with one organisation, Kokeilu ry (code kokeilu, from
    January 2024), served; yields the URL."""
    db = directory / "wh.duckdb"
    added = subprocess.run([sys.executable, "cli.py", "orgs", "add", "kokeilu", "--name", "Kokeilu ry",
                            "--start", "2024-01", "--db", str(db)], cwd=ROOT, capture_output=True, text=True)
    assert added.returncode == 0, added.stderr
    with streamlit_server(db) as url:
        yield url


def load_demo_file(directory: Path) -> Path:
    """The demo network loaded by `cli.py demo` into a fresh file in `directory`."""
    db = directory / "demo.duckdb"
    loaded = subprocess.run([sys.executable, "cli.py", "demo", "--db", str(db)], cwd=ROOT,
                            capture_output=True, text=True, timeout=300, check=False)
    assert loaded.returncode == 0, loaded.stderr
    return db


@contextlib.contextmanager
def demo_app(directory: Path, extra_env: dict | None = None, **server):
    """The demo network in a fresh file in `directory`, served; yields the URL."""
    with streamlit_server(load_demo_file(directory), extra_env, **server) as url:
        yield url


@contextlib.contextmanager
def chromium_page(width: int = 1400, height: int = 1000, tabs: bool = False):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            options = {"viewport": {"width": width, "height": height}, "accept_downloads": True}
            # tabs: a context of the test's own, in which it can open a second tab (same cookies)
            page = browser.new_context(**options).new_page() if tabs else browser.new_page(**options)
            page.set_default_timeout(30_000)
            yield page
        finally:
            browser.close()


def wait_for_app(page) -> None:
    """Wait until Streamlit is connected and not running the script. A rerun that a click
    starts may begin a moment later, so what a test then reads it reads with expect(...),
    which waits for the text it asserts; no test sleeps."""
    from playwright.sync_api import expect

    app = page.get_by_test_id("stApp")
    expect(app).to_have_attribute("data-test-connection-state", "CONNECTED")
    expect(app).to_have_attribute("data-test-script-state", "notRunning", timeout=90_000)


def choose(page, label: str, option: str) -> None:
    """Pick `option` in the selectbox labelled `label`, as a user would."""
    from playwright.sync_api import expect

    box = page.get_by_test_id("stSelectbox").filter(has_text=label)
    expect(box).to_have_count(1)   # a stale copy lingers beside the new one until a rerun ends
    box.click()
    page.get_by_role("option", name=option, exact=True).click()
    wait_for_app(page)


def expect_tile(page, label: str, value: str) -> None:
    """The Overview tile `label` shows `value` (waiting for the page to settle on it)."""
    from playwright.sync_api import expect

    tile = page.get_by_test_id("stMetric").filter(
        has=page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True))
    expect(tile.get_by_test_id("stMetricValue")).to_have_text(value)


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path

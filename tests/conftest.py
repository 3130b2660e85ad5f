import sys
from pathlib import Path

# the project root is the import root, as for `streamlit run app.py` and `python cli.py`;
# the tests folder holds shared helpers (browser_support, helpers_warehouse)
TESTS = Path(__file__).resolve().parent
sys.path.insert(0, str(TESTS.parent))
sys.path.insert(0, str(TESTS))


# ---- browser tests: what the server logged while a test ran --------------------------------
# A page that fails shows the viewer one sentence and logs its traceback on the server (app.py);
# the browser sees only the sentence. Each browser test therefore also reads its servers' logs:
# an exception logged while it ran fails the test (unless it is marked server_errors_expected),
# and a failing test carries what the servers logged, so that a failure in CI says why.

import pytest  # noqa: E402


def _log_sizes() -> dict:
    from browser_support import LIVE_LOGS

    return {path: path.stat().st_size for path in LIVE_LOGS if path.exists()}


def _logged_since(sizes: dict) -> str:
    parts = []
    for path, size in sizes.items():
        with open(path, encoding="utf-8", errors="replace") as log:
            log.seek(size)
            text = log.read()
        if text.strip():
            parts.append(f"--- {path.name} ---\n{text}")
    return "\n".join(parts)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    if item.get_closest_marker("browser") is None:
        return (yield)
    sizes = _log_sizes()
    try:
        result = yield
    except BaseException:
        logged = _logged_since(sizes)
        if logged:
            item.add_report_section("call", "streamlit server log", logged)
        raise
    logged = _logged_since(sizes)
    if "Traceback" in logged and item.get_closest_marker("server_errors_expected") is None:
        pytest.fail(f"the server logged an exception while this test ran:\n{logged}", pytrace=False)
    return result


# ---- the demo network served once for every browser test that only reads it ----------------
# (loading it and starting a server costs ~20 s; tests that change data start their own)

@pytest.fixture(scope="session")
def demo_url(tmp_path_factory):
    from browser_support import demo_app

    with demo_app(tmp_path_factory.mktemp("demo_leadership")) as url:
        yield url


@pytest.fixture(scope="session")
def demo_board_url(tmp_path_factory):
    from browser_support import demo_app

    with demo_app(tmp_path_factory.mktemp("demo_board"), {"KOKEMUSMITTARI_VIEW_ROLE": "board"}) as url:
        yield url


# ---- the two warehouses ------------------------------------------------------------------


@pytest.fixture(scope="session")
def postgres():
    """A throwaway PostgreSQL cluster for the DuckLake warehouse, stopped when the session ends."""
    from postgres_support import postgres_cluster

    with postgres_cluster() as server:
        yield server


@pytest.fixture(params=["embedded", "ducklake"])
def make_warehouse(request):
    """A function giving a new, empty warehouse of each kind in turn: the embedded DuckDB (in
    memory) and a DuckLake catalog on the test PostgreSQL (a copy of one already migrated)."""
    from warehouse import Warehouse

    made = []

    def make():
        if request.param == "embedded":
            warehouse = Warehouse(":memory:")
        else:
            server = request.getfixturevalue("postgres")
            warehouse = server.warehouse()
        made.append(warehouse)
        return warehouse

    yield make
    for warehouse in made:
        warehouse.close()

import sys
from pathlib import Path

# the project root is the import root, as for `streamlit run app.py` and `python cli.py`;
# the tests folder holds shared helpers (browser_support, helpers_warehouse)
TESTS = Path(__file__).resolve().parent
sys.path.insert(0, str(TESTS.parent))
sys.path.insert(0, str(TESTS))

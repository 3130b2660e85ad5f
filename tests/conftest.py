import sys
from pathlib import Path

# the project root is the import root, as for `streamlit run app.py` and `python cli.py`
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

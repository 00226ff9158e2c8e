"""Luisterpost pipeline: ingest → normalise → language → classify → themes → aggregate.

Pure computation over pandas DataFrames; never imports Streamlit. See
`docs/ARCHITECTURE.md` for the data flow and `pipeline/schema.py` for the
data contract.
"""

__version__ = "0.1.0"

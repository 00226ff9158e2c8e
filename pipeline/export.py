"""Exports that are safe to open in a spreadsheet.

A text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is
read as a formula by Excel/LibreOffice (CSV injection); such cells get a
leading apostrophe. Numbers are left alone.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: object) -> object:
    """Return the value with a leading apostrophe when a spreadsheet would run it."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Return a copy whose text cells cannot act as spreadsheet formulas."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise_cell)
    return out


def safe_csv(df: pd.DataFrame, path: Path | str | None = None) -> str | None:
    """Write `df` as UTF-8 CSV safe against formula injection; return text if no path."""
    frame = safe_frame(df)
    if path is None:
        buf = io.StringIO()
        frame.to_csv(buf, index=False)
        return buf.getvalue()
    frame.to_csv(path, index=False, encoding="utf-8")
    return None

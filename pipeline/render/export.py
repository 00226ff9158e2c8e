"""Exports that are safe to open in a spreadsheet.

A text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is
read as a formula by Excel/LibreOffice (CSV injection); such cells get a
leading apostrophe. Numbers, booleans and datetimes are left alone, tuples are
joined with ";", and every text cell is quoted (pandas would otherwise leave a
bare CR unquoted, which splits the row).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: object) -> object:
    """Return the value as a spreadsheet will show it as text, never run it."""
    if isinstance(value, tuple | list):
        value = ";".join(map(str, value))
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Return a copy whose text cells cannot act as spreadsheet formulas."""
    out = df.copy()
    for col in out.columns:
        s = out[col]
        if (pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s)
                or pd.api.types.is_datetime64_any_dtype(s)):
            continue
        out[col] = pd.Series([neutralise_cell(v) for v in s], index=s.index, dtype=object)
    return out


def safe_csv(df: pd.DataFrame, path: Path | str | None = None) -> str | None:
    """Write `df` as UTF-8 CSV safe against formula injection; return the text when no path."""
    frame = safe_frame(df)
    if path is None:
        buf = io.StringIO()
        frame.to_csv(buf, index=False, quoting=csv.QUOTE_NONNUMERIC)
        return buf.getvalue()
    frame.to_csv(path, index=False, encoding="utf-8", quoting=csv.QUOTE_NONNUMERIC)
    return None

"""What the browser shows in the cells of an `st.dataframe`, read from the AppTest element.

The grid formats a number cell in the browser: with a `column_config` format (a printf decimal
point, or a preset in the *browser's* locale), otherwise with the display text of a pandas Styler,
otherwise as JavaScript writes the number ("54.2"). `cell_texts` returns those texts as far as the
server decides them; a column whose format the browser decides reads "<browser: FORMAT>".
"""

from __future__ import annotations

import json
import re

import pandas as pd
from streamlit import dataframe_util

# A Dutch number as a table shows it: thousands dot, decimal comma, optional per cent sign.
DUTCH_NUMBER = re.compile(r"−?-?\d{1,3}(\.\d{3})*(,\d+)?%?|∞|")
ENGLISH_NUMBER = re.compile(r"−?-?\d{1,3}(,\d{3})*(\.\d+)?%?|∞|")


def cell_texts(element) -> pd.DataFrame:
    """Return the cell texts of an AppTest dataframe element (see the module docstring)."""
    data = element.value
    styled = element.proto.arrow_data.styler.display_values
    shown = (dataframe_util.convert_arrow_bytes_to_pandas_df(styled) if styled
             else data.astype(str))
    shown.columns = data.columns
    shown.index = data.index
    for col, entry in json.loads(element.proto.columns or "{}").items():
        fmt = (entry.get("type_config") or {}).get("format")
        if fmt and col in shown.columns:
            shown[col] = f"<browser: {fmt}>"
    return shown


def table_with(at, column: str):
    """The first dataframe element of `at` that has `column`."""
    return next(d for d in at.dataframe if column in d.value.columns)

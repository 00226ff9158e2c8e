"""Number formats in the language of the interface for every table the pages show.

`st.dataframe` draws its cells on a canvas (glide-data-grid) and formats numbers in the browser:
a column without a format shows JavaScript's "54.2", "1.06", "4051"; a printf format ("%.2f") always
writes a decimal point; the presets ("percent", "localized") follow the *browser's* locale, not the
interface language ("52.99%" for a Dutch reader with an English browser). Streamlit does show the
display text of a pandas `Styler` in a number column that has no `column_config` format, while the
cell keeps its number (so sorting stays numeric). `styled(frame, lang, formats)` builds that Styler:

* counts: "4.051" (nl) / "4,051" (en);
* decimals: "1,06" / "1.06", digits per column;
* shares (fractions 0–1) as percentages: "52,9%" / "52.9%";
* missing values empty, infinities "∞".

`number`, `percent` and `interval` are the same formats for one value ("0,00–0,54"), for texts
that are built before they reach a table. Pages call this through `pages._text.show_table`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

PERCENT = "%"  # formats[column] = ("%", digits) or "%" (one digit): a share 0–1 shown as a percentage

Format = int | str | tuple[str, int]


def number(x: Any, lang: str, digits: int = 0) -> str:
    """Return `x` with the separators of `lang`: "4.051", "1,06" (nl); "4,051", "1.06" (en)."""
    if x is None or (isinstance(x, float) and math.isnan(x)) or x is pd.NA or x is pd.NaT:
        return ""
    value = float(x)
    if math.isnan(value):
        return ""
    if math.isinf(value):
        return "∞" if value > 0 else "−∞"
    text = f"{value:,.{digits}f}"
    if text.startswith("-") and float(text.replace(",", "")) == 0:
        text = text[1:]  # "-0,0" reads as a sign error
    if lang == "en":
        return text
    return text.translate(str.maketrans({",": ".", ".": ","}))


def percent(x: Any, lang: str, digits: int = 1) -> str:
    """Return a share 0–1 as a percentage: "52,9%" (nl), "52.9%" (en); empty when missing."""
    text = number(None if x is None else float(x) * 100, lang, digits)
    return f"{text}%" if text and text[-1].isdigit() else text


def interval(low: Any, high: Any, lang: str, digits: int = 2, sep: str = "–") -> str:
    """Return an interval "0,00–0,54" (nl) / "0.00–0.54" (en)."""
    return f"{number(low, lang, digits)}{sep}{number(high, lang, digits)}"


def _default(series: pd.Series) -> Format:
    """Return 0 digits for counts (whole numbers), 2 for other numbers."""
    values = pd.to_numeric(series, errors="coerce").dropna()
    values = values[values.map(math.isfinite)]
    whole = pd.api.types.is_integer_dtype(series) or bool((values == values.round()).all())
    return 0 if whole else 2


def column_formats(frame: pd.DataFrame, formats: Mapping[str, Format] | None = None) -> dict[str, Format]:
    """Return the format of every numeric column: `formats` where given, else a count or 2 digits."""
    formats = dict(formats or {})
    out: dict[str, Format] = {}
    for col in frame.columns:
        series = frame[col]
        if col in formats:
            out[col] = formats[col]
        elif pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
            out[col] = _default(series)
    return out


def formatter(fmt: Format, lang: str):
    """Return the function that writes one cell in format `fmt` (digits, "%" or ("%", digits))."""
    if fmt == PERCENT:
        return lambda x: percent(x, lang, 1)
    if isinstance(fmt, tuple) and fmt[0] == PERCENT:
        return lambda x: percent(x, lang, fmt[1])
    return lambda x: number(x, lang, int(fmt))


def styled(frame: pd.DataFrame, lang: str, formats: Mapping[str, Format] | None = None):
    """Return a pandas Styler of `frame` whose numeric cells read in `lang`'s formats.

    `formats` maps a column to its digits (2 → "1,06"), or to "%" / ("%", digits) for a share 0–1
    shown as a percentage; other numeric columns are counts ("4.051") or get two digits.
    """
    cols = column_formats(frame, formats)
    return frame.style.format({c: formatter(f, lang) for c, f in cols.items()})


# A text cell on `st.dataframe`'s canvas is cut at its column's edge, without "…" and without a way to
# read the rest: a theme label "someone at the campsite said there's asbestos in the smoke (Engels)"
# lost the language it ends in. A text column gets the width of its longest text up to MAX_TEXT_PX;
# columns of short texts keep their own size. The width of a text is the sum of its characters'
# widths in the grid's font (Source Sans 14 px, measured with canvas `measureText` in Chromium,
# rounded up to 0,5 px): "Enorme zwarte rookpluim … wat daar brandt?" (77 characters) draws 469 px,
# where 6,8 px per character said 524 px and pushed the Open vragen table's last column out of
# sight at 1 400 px. A character not in the table (other scripts) counts CHAR_PX.
CHAR_PX = 6.8
_WIDTH_GROUPS = {
    3.0: " ", 3.5: "',.:;ij|ï‘’·", 4.0: "Il", 4.5: "!()-[]f{}", 5.0: "/\\rt", 6.0: '"*?sz“”',
    6.5: "cxç", 7.0: "0123456789#$+<=>FJLY^_ekvy~ëéèĳ€–", 7.5: "ESVXagäáà",
    8.0: "ACPRTZ`bdhnopquöüóòúñ", 8.5: "BKß", 9.0: "&DG→", 9.5: "HNOQU", 10.5: "Mw",
    11.5: "W—", 12.0: "%@m", 13.5: "…",
}
CHAR_WIDTHS = {ch: px for px, chars in _WIDTH_GROUPS.items() for ch in chars}
CELL_PADDING_PX = 32
MIN_TEXT_PX = 200
MAX_TEXT_PX = 600


def text_px(text: str) -> float:
    """Return the drawn width of `text` in a table cell (`CHAR_WIDTHS`; CHAR_PX for other characters)."""
    return sum(CHAR_WIDTHS.get(ch, CHAR_PX) for ch in text)


def text_widths(frame: pd.DataFrame) -> dict[str, int]:
    """Return {column: pixels} for the text columns whose longest cell needs more than MIN_TEXT_PX."""
    out: dict[str, int] = {}
    for col in frame.columns:
        series = frame[col]
        if pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series) or series.empty:
            continue
        # the header is bold: counted at CHAR_PX per character
        widest = max(max(text_px(v) for v in series.astype(str).unique()), len(str(col)) * CHAR_PX)
        px = int(round(widest)) + CELL_PADDING_PX
        if px > MIN_TEXT_PX:
            out[str(col)] = min(px, MAX_TEXT_PX)
    return out


def display_frame(frame: pd.DataFrame, lang: str,
                  formats: Mapping[str, Format] | None = None) -> pd.DataFrame:
    """Return `frame` with its numeric cells as the display texts `styled` gives (for tests, CSV)."""
    out = frame.copy()
    for col, fmt in column_formats(frame, formats).items():
        out[col] = frame[col].map(formatter(fmt, lang))
    return out

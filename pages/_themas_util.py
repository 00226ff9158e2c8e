"""Pure helpers of the Thema's page (no streamlit): example selection and theme series.

Owned by the Thema's page. Example texts are scrubbed message texts (untrusted): the
page shows them with `st.text` only, to roles with `view.examples`.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from pipeline import schema as S
from pipeline.arrays import take_rows
from pipeline.views import live
from pipeline.views.aggregate import counts_over_time

MAX_EXAMPLE_CHARS = 400
SIMILAR = 0.5  # word-set overlap (Jaccard) above which two texts count as the same example
_NOT_WORD = re.compile(r"[\W_]+")


def _words(text: str) -> frozenset[str]:
    """Return the lower-case words of a text, without an "RT [gebruiker]:" prefix."""
    text = re.sub(r"^\s*rt\s+\[gebruiker\]:?", " ", str(text).lower())
    return frozenset(_NOT_WORD.sub(" ", text).split())


def _similar(a: frozenset[str], b: frozenset[str]) -> bool:
    """True when two word sets overlap so much that the texts say the same thing."""
    return len(a & b) >= SIMILAR * len(a | b)


def theme_examples(
    df: pd.DataFrame, theme: int, min_authors: int, representative: str = "", n: int = 3
) -> list[str]:
    """Return up to `n` example texts of `theme`, or [] when it has < min_authors authors.

    The first is `representative` (the text closest to the theme centroid, from
    `themes.theme_summary`) when given; the others are the most recent messages of the
    theme that are not reposts and do not repeat a text already chosen: at least half of
    their words (case, punctuation and an "RT [gebruiker]:" prefix ignored) must differ
    from every chosen text. Texts are cut at MAX_EXAMPLE_CHARS.
    """
    if n <= 0 or df.empty:
        return []
    rows = df[df[S.THEME] == theme]
    if rows[S.AUTHOR].nunique() < min_authors:
        return []
    if S.IS_REPOST in rows:
        rows = rows[~rows[S.IS_REPOST].fillna(False).astype(bool)]
    recent = rows.sort_values(S.CREATED_AT, ascending=False, kind="stable")[S.TEXT]
    return _choose(recent.astype(str), representative, n)


def _choose(recent, representative: str, n: int) -> list[str]:
    """Pick up to `n` examples: `representative` first, then texts (newest first) unlike those chosen."""
    chosen: list[str] = []
    seen: list[frozenset[str]] = []
    if representative:
        chosen.append(representative)
        seen.append(_words(representative))
    for text in recent:
        if len(chosen) >= n:
            break
        words = _words(text)
        if words and not any(_similar(words, other) for other in seen):
            chosen.append(text)
            seen.append(words)
    return [t if len(t) <= MAX_EXAMPLE_CHARS else t[: MAX_EXAMPLE_CHARS - 1] + "…" for t in chosen]


def theme_examples_coded(codes, rows, frame: pd.DataFrame, theme: int, min_authors: int,
                         representative: str = "", n: int = 3) -> list[str]:
    """`theme_examples` of the rows selected by `rows` (pipeline/views/live.py codes of `frame`).

    Only the newest texts are read from the frame, a block at a time, so a refresh of a
    large theme does not sort and copy all its messages (issue 15).
    """
    if n <= 0 or not rows.any():
        return []
    idx = np.flatnonzero(rows & (codes.theme_coded == theme))
    if len(np.unique(codes.author[idx])) < min_authors:
        return []
    idx = idx[~codes.repost[idx]]
    # newest first; equal times keep frame order (a stable descending sort)
    order = idx[np.lexsort((idx, -codes.time[idx]))]

    def texts():
        for lo in range(0, len(order), 256):
            # per Arrow chunk: `iloc` would join the incident's text chunks on every call (arrays.take_rows)
            yield from take_rows(frame[S.TEXT], order[lo:lo + 256]).astype(str).tolist()

    return _choose(texts(), representative, n)


def themes_over_time(
    df: pd.DataFrame, themes: tuple[int, ...], freq: str, start: pd.Timestamp, end: pd.Timestamp
) -> pd.DataFrame:
    """Return bucket, theme, count for the given themes (zero rows included) in [start, end)."""
    sub = df[df[S.THEME].isin(themes)]
    out = counts_over_time(sub, S.THEME, freq=freq, start=start, end=end)
    return out.rename(columns={"group": "theme"})


def themes_over_time_coded(codes, rows, themes: tuple[int, ...], freq: str, start: pd.Timestamp,
                           end: pd.Timestamp) -> pd.DataFrame:
    """`themes_over_time` of the rows selected by `rows` (pipeline/views/live.py codes)."""
    sub = rows & np.isin(codes.theme_coded, np.asarray(themes, dtype=np.int64))
    out = live.counts_over_time(codes, sub, S.THEME, freq=freq, start=start, end=end,
                                theme=codes.theme_coded)
    return out.rename(columns={"group": "theme"})

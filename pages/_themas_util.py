"""Pure helpers of the Thema's page (no streamlit): example selection and theme series.

Owned by the Thema's page. Example texts are scrubbed message texts (untrusted): the
page shows them with `st.text` only, to roles with `view.examples`.
"""

from __future__ import annotations

import re

import pandas as pd

from pipeline import schema as S
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
    chosen: list[str] = []
    seen: list[frozenset[str]] = []
    if representative:
        chosen.append(representative)
        seen.append(_words(representative))
    if S.IS_REPOST in rows:
        rows = rows[~rows[S.IS_REPOST].fillna(False).astype(bool)]
    recent = rows.sort_values(S.CREATED_AT, ascending=False, kind="stable")[S.TEXT]
    for text in recent.astype(str):
        if len(chosen) >= n:
            break
        words = _words(text)
        if words and not any(_similar(words, other) for other in seen):
            chosen.append(text)
            seen.append(words)
    return [t if len(t) <= MAX_EXAMPLE_CHARS else t[: MAX_EXAMPLE_CHARS - 1] + "…" for t in chosen]


def themes_over_time(
    df: pd.DataFrame, themes: tuple[int, ...], freq: str, start: pd.Timestamp, end: pd.Timestamp
) -> pd.DataFrame:
    """Return bucket, theme, count for the given themes (zero rows included) in [start, end)."""
    sub = df[df[S.THEME].isin(themes)]
    out = counts_over_time(sub, S.THEME, freq=freq, start=start, end=end)
    return out.rename(columns={"group": "theme"})

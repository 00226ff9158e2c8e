"""Draw a tag cloud from term counts: term -> weight in, PNG or SVG bytes out.

Pure (no streamlit). The caller decides which terms may be shown (only terms used by
>= k distinct authors, see `themes.term_counts`); this module only draws them. The
layout is deterministic for the same input (`random_state`), and the font is DejaVu
Sans so Arabic, Turkish and Polish letters render (Pillow shapes Arabic via raqm).
Terms with characters the font cannot draw (most emoji) are left out rather than drawn
as empty boxes; `drawable_terms` says which.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

import pandas as pd

DEFAULT_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
# Variation selectors and joiners carry no glyph of their own ("❤️" = U+2764 U+FE0F).
_IGNORABLE = frozenset({0xFE0E, 0xFE0F, 0x200D, 0x200C})
# Dark, calm colours (Rijkshuisstijl-like blues and greys) that read on white.
PALETTE = ("#154273", "#01689B", "#275937", "#42145F", "#673327", "#535353")


@lru_cache(maxsize=4)
def _codepoints(font_path: str) -> frozenset[int]:
    """Return the code points the font has a glyph for."""
    from fontTools.ttLib import TTFont  # heavy optional dependency: imported on first use

    with TTFont(font_path, lazy=True) as font:
        return frozenset(font.getBestCmap())


def drawable_terms(weights: Mapping[str, float], font_path: Path | str = DEFAULT_FONT) -> dict[str, float]:
    """Return the terms (with weight > 0) whose every character the font can draw."""
    points = _codepoints(str(font_path))
    ascii_drawn = _draws_printable_ascii(str(font_path))  # most terms: no look-up per character

    def drawn(term: str) -> bool:
        if ascii_drawn and term.isascii() and term.isprintable():
            return True
        return all(ord(ch) in points or ord(ch) in _IGNORABLE for ch in term)

    return {str(term): float(w) for term, w in weights.items()
            if w > 0 and str(term).strip() and drawn(str(term))}


@lru_cache(maxsize=4)
def _draws_printable_ascii(font_path: str) -> bool:
    """Return True if the font has a glyph for every printable ASCII character (space to "~")."""
    return all(c in _codepoints(font_path) for c in range(0x20, 0x7F))


def weights_from_counts(counts: pd.DataFrame, group: object, weight: str = "n_authors") -> dict[str, float]:
    """Return {term: weight} for one group of a `themes.term_counts` frame."""
    rows = counts[counts["group"] == group]
    return dict(zip(rows["term"].astype(str), rows[weight].astype(float), strict=True))


def cloud_sizes(top: list[tuple[str, float]]) -> tuple[tuple[str, float], ...]:
    """Return the cloud's words with sizes in whole percents of the largest, in term order.

    The key a page caches the drawing by: a live refresh that barely moves the proportions gets
    the same sizes and reuses the drawn cloud (0,15 s per drawing at 1M messages), and so do two
    words swapping places by a few authors (the drawing orders its words itself). Until
    2026-12-07 the key kept the weight order, and such a swap redrew the cloud on most refreshes.
    """
    peak = max((w for _t, w in top), default=0.0) or 1.0
    return tuple(sorted((str(term), float(max(1, round(100 * w / peak)))) for term, w in top))


def _color(word, font_size, position, orientation, random_state=None, **kwargs) -> str:  # noqa: ARG001
    """Return a palette colour chosen by the word itself (same word -> same colour)."""
    return PALETTE[sum(map(ord, word)) % len(PALETTE)]


def _cloud(
    weights: Mapping[str, float],
    width: int,
    height: int,
    max_words: int,
    random_state: int,
    font_path: Path | str,
):
    """Return a laid-out WordCloud, or None when no term can be drawn."""
    from wordcloud import WordCloud  # heavy optional dependency: imported on first use

    terms = drawable_terms(weights, font_path)
    if not terms:
        return None
    # keep the heaviest terms; ties broken by the term so the input order does not matter
    top = dict(sorted(terms.items(), key=lambda kv: (-kv[1], kv[0]))[:max_words])
    cloud = WordCloud(
        width=width,
        height=height,
        background_color="white",
        font_path=str(font_path),
        max_words=max_words,
        prefer_horizontal=1.0,  # horizontal words read faster on a projector
        random_state=random_state,
        color_func=_color,
        relative_scaling=0.5,
        min_font_size=10,
        collocations=False,
    )
    return cloud.generate_from_frequencies(top)


def render_png(
    weights: Mapping[str, float],
    width: int = 800,
    height: int = 400,
    max_words: int = 60,
    random_state: int = 0,
    font_path: Path | str = DEFAULT_FONT,
) -> bytes:
    """Return the tag cloud of `weights` as PNG bytes (b"" when no term can be drawn)."""
    cloud = _cloud(weights, width, height, max_words, random_state, font_path)
    if cloud is None:
        return b""
    buf = io.BytesIO()
    cloud.to_image().save(buf, format="PNG", optimize=False)
    return buf.getvalue()


def render_svg(
    weights: Mapping[str, float],
    width: int = 800,
    height: int = 400,
    max_words: int = 60,
    random_state: int = 0,
    font_path: Path | str = DEFAULT_FONT,
) -> str:
    """Return the tag cloud of `weights` as an SVG document ("" when no term can be drawn)."""
    cloud = _cloud(weights, width, height, max_words, random_state, font_path)
    return "" if cloud is None else cloud.to_svg(embed_font=False)

"""Tag clouds: deterministic, Arabic drawn, undrawable terms left out."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from PIL import Image

from pipeline.render.wordcloud import (
    drawable_terms,
    render_png,
    render_svg,
    weights_from_counts,
)

WEIGHTS = {"rook": 12, "asbest": 15, "الدخان": 20, "zażółć": 8, "çok": 7, "🙏": 9}


def test_drawable_terms_keeps_letters_of_all_scripts_and_drops_emoji():
    got = drawable_terms(WEIGHTS | {"leeg": 0, " ": 3})
    assert got == {"rook": 12.0, "asbest": 15.0, "الدخان": 20.0, "zażółć": 8.0, "çok": 7.0}


def test_png_is_deterministic_and_independent_of_input_order():
    png = render_png(WEIGHTS, width=400, height=200)
    assert png == render_png(dict(reversed(list(WEIGHTS.items()))), width=400, height=200)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size == (400, 200)


def test_arabic_is_drawn_with_dejavu_and_left_out_with_a_font_without_it():
    png = render_png({"الدخان": 1}, width=300, height=150)
    dark = sum(Image.open(io.BytesIO(png)).convert("L").histogram()[:128])
    assert dark > 1500  # ink, not an empty image
    # wordcloud's bundled font has no Arabic: the term is dropped, never drawn as boxes
    from pathlib import Path

    import wordcloud

    mono = Path(wordcloud.__file__).parent / "DroidSansMono.ttf"
    assert drawable_terms({"الدخان": 1, "rook": 1}, font_path=mono) == {"rook": 1.0}


@pytest.mark.parametrize("weights", [{}, {"🙏": 3}, {"rook": 0}])
def test_nothing_to_draw(weights):
    assert render_png(weights) == b""
    assert render_svg(weights) == ""


def test_svg_contains_the_terms():
    svg = render_svg({"rook": 3, "asbest": 5}, width=300, height=150)
    assert svg.startswith("<svg") and "rook" in svg and "asbest" in svg


def test_weights_from_counts_picks_one_group():
    counts = pd.DataFrame({"group": [1, 1, 2], "term": ["rook", "ramen", "asbest"],
                           "n_messages": [9, 7, 6], "n_authors": [8, 6, 5]})
    assert weights_from_counts(counts, 1) == {"rook": 8.0, "ramen": 6.0}
    assert weights_from_counts(counts, 3) == {}


def test_cloud_sizes_change_only_when_the_picture_would():
    """The drawing's cache key: whole percents of the largest word, in term order."""
    from pipeline.render.wordcloud import cloud_sizes

    before = [("rook", 1000.0), ("brand", 611.0), ("stank", 610.0), ("asbest", 10.0)]
    swapped = [("rook", 1003.0), ("stank", 612.0), ("brand", 611.0), ("asbest", 10.0)]  # a refresh
    assert cloud_sizes(before) == cloud_sizes(swapped)
    assert cloud_sizes(before) == (("asbest", 1.0), ("brand", 61.0), ("rook", 100.0), ("stank", 61.0))
    grown = [("rook", 1000.0), ("brand", 700.0)]
    assert cloud_sizes(grown) != cloud_sizes([("rook", 1000.0), ("brand", 611.0)])
    assert cloud_sizes([("rook", 1000.0), ("mist", 1.0)]) == (("mist", 1.0), ("rook", 100.0))  # never 0
    assert cloud_sizes([]) == ()

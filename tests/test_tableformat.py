"""pipeline.render.tableformat: the number formats of every table, by interface language."""

from __future__ import annotations

import math

import pandas as pd

from pipeline.render import tableformat as T


def test_number_uses_the_languages_separators():
    assert T.number(4051, "nl") == "4.051"
    assert T.number(4051, "en") == "4,051"
    assert T.number(1.0567, "nl", 2) == "1,06"
    assert T.number(1.0567, "en", 2) == "1.06"
    assert T.number(1234567.891, "nl", 1) == "1.234.567,9"
    assert T.number(54.2, "nl", 1) == "54,2"
    assert T.number(-0.001, "nl", 2) == "0,00"  # no "-0,00"
    assert T.number(-3.5, "nl", 1) == "-3,5"
    assert T.number(math.inf, "nl", 2) == "∞"
    assert T.number(float("nan"), "nl") == "" and T.number(None, "en") == "" and T.number(pd.NA, "nl") == ""


def test_percent_and_interval():
    assert T.percent(0.5298888, "nl") == "53,0%"
    assert T.percent(0.5298888, "en", 2) == "52.99%"
    assert T.percent(0.0007, "nl") == "0,1%"
    assert T.percent(float("nan"), "nl") == ""
    assert T.interval(0.0, 0.54, "nl") == "0,00–0,54"
    assert T.interval(0.0, 0.54, "en") == "0.00–0.54"
    assert T.interval(0.7, 1.61, "nl", sep=" – ") == "0,70 – 1,61"


def test_styled_formats_numeric_columns_and_keeps_numbers():
    frame = pd.DataFrame({"groep": ["a", "b"], "n": [4051, 3], "rate": [54.25, 9.2],
                          "ratio": [1.0567, 0.6], "aandeel": [0.5299, 0.01], "ok": [True, False],
                          "heel": [2.0, 3.0]})
    formats = {"rate": 1, "aandeel": T.PERCENT}
    shown = T.display_frame(frame, "nl", formats)
    assert shown["n"].tolist() == ["4.051", "3"]
    assert shown["rate"].tolist() == ["54,2", "9,2"]  # Python rounds a tie to even
    assert shown["ratio"].tolist() == ["1,06", "0,60"]  # no format given: two digits
    assert shown["aandeel"].tolist() == ["53,0%", "1,0%"]
    assert shown["heel"].tolist() == ["2", "3"]  # whole numbers are counts
    assert shown["groep"].tolist() == ["a", "b"] and shown["ok"].tolist() == [True, False]
    html = T.styled(frame, "en", formats).to_html()
    assert "4,051" in html and "53.0%" in html and "1.06" in html
    assert frame["n"].tolist() == [4051, 3]  # the frame itself is not changed: sorting stays numeric


def test_text_widths_fit_the_longest_text_of_long_text_columns_only():
    label = "someone at the campsite said there's asbestos in the smoke (Engels)"
    frame = pd.DataFrame({"Thema": ["ramen dicht", label], "Berichten": [49, 87],
                          "Eerst gezien": ["20:31", "13:19"], "Lang": ["x" * 300, "y"]})
    widths = T.text_widths(frame)
    assert set(widths) == {"Thema", "Lang"}  # numbers and short texts keep their own size
    assert widths["Thema"] >= T.text_px(label) + 16  # the whole label, "(Engels)" included, and padding
    assert widths["Thema"] < T.MAX_TEXT_PX
    assert widths["Lang"] == T.MAX_TEXT_PX  # capped: one text never takes the whole table
    assert T.text_widths(pd.DataFrame({"Thema": pd.Series([], dtype=object)})) == {}


def test_text_px_is_the_drawn_width_not_a_character_count():
    # measured in Chromium (canvas measureText, Source Sans 14 px, the grid's font): 469,1 px
    subject = "Enorme zwarte rookpluim richting de vlonder. Iemand een idee wat daar brandt?"
    assert 469.2 <= T.text_px(subject) <= 469.2 * 1.06  # never less (cut), at most 6 % more
    assert T.text_px("WWWWWWWWWW") > 2 * T.text_px("iiiiiiiiii")  # letters differ, not only their count
    assert T.text_px("سلام") == 4 * T.CHAR_PX  # a script not measured: the cautious width

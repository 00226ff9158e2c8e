"""Dutch throughout (issue 10 points 5 and 6), checked without a browser.

The browser journeys (tests/test_journey.py) scan every rendered page for English fragments,
raw column names, decimal points and 12-hour times; these tests pin the helpers behind that.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PAGES = sorted((REPO / "pages").glob("*.py"))


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_every_time_axis_is_24_hour(path):
    """An Altair x axis on a time field always carries the %H:%M format (no "01 PM")."""
    source = path.read_text(encoding="utf-8")
    for match in re.finditer(r'alt\.X\("[^"]+:T"', source):
        depth, first = 0, match.start() + len("alt.X")
        end = first
        for end in range(first, len(source)):  # the whole alt.X(...) call, balanced parentheses
            depth += {"(": 1, ")": -1}.get(source[end], 0)
            if depth == 0:
                break
        call = source[match.start(): end + 1]
        assert "TIME_FORMAT" in call or '"%H:%M"' in call, (path.name, call)


@pytest.mark.parametrize("path", [p for p in PAGES if p.name != "_text.py"], ids=lambda p: p.name)
def test_every_chart_is_drawn_with_the_language_formats(path):
    """Charts go through `show_chart` (Dutch locale: "1.000", "1,06", "11-07-2026 14:35", no "Jul 11")."""
    source = path.read_text(encoding="utf-8")
    assert not re.search(r"\bst\.(altair_chart|vega_lite_chart)\(", source), path.name


def test_numbers_have_decimal_commas_and_no_inf(demo_home):
    from streamlit.testing.v1 import AppTest

    def run():
        import math

        import streamlit as st

        from pages._text import fmt_dec

        st.text(" | ".join([fmt_dec(2.2), fmt_dec(math.inf), fmt_dec(float("nan")), fmt_dec(0.09)]))

    at = AppTest.from_function(run).run()
    assert at.text[0].value == "2,20 | ∞ | niet te bepalen | 0,09"


def test_beheer_tables_have_dutch_headers_and_local_times(demo_home):
    from tests.conftest import app, as_role

    at = as_role(app("pages/beheer.py"), "beheerder").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert {"Naam", "Doel", "Grondslag", "Start"} <= set(table.columns)
    assert not {"name", "purpose", "legal_basis", "start_at"} & set(table.columns)
    assert not table["Start"].astype(str).str.contains(r"\+00:00|UTC").any()
    assert table["Start"].astype(str).str.match(r"\d\d-\d\d \d\d:\d\d").all()


def test_show_chart_sends_the_spec_altair_validates(demo_home):
    """show_chart skips Altair's schema check (~10 ms a chart) but sends exactly the checked spec."""
    from streamlit.testing.v1 import AppTest

    def run(validated: bool):
        import altair as alt
        import pandas as pd
        import streamlit as st

        from pages._text import lang, show_chart
        from pipeline.render import chartformat

        data = pd.DataFrame({"tijd": pd.date_range("2026-07-11 14:00", periods=3, freq="15min"),
                             "berichten": [1200, 3400, 560]})
        chart = alt.Chart(data).mark_line().encode(x=alt.X("tijd:T", axis=alt.Axis(format="%H:%M")),
                                                   y="berichten:Q")
        if validated:  # what show_chart did before: Streamlit's own (validating) conversion
            chart = chart.copy(deep=False)
            chart.config = chartformat.localize({"config": {}}, lang())["config"]
            st.altair_chart(chart)
        else:
            show_chart(chart)

    specs = []
    for validated in (True, False):
        at = AppTest.from_function(run, args=(validated,)).run()
        assert not at.exception
        specs.append(at.get("vega_lite_chart")[0].proto.spec)
    assert specs[0] == specs[1] and '"format": "%H:%M"' in specs[0]

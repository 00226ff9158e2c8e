"""Dutch number and time formats in Vega-Lite charts (`pipeline.render.chartformat`), drawn by vl-convert."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from pipeline.render import chartformat as C

alt = pytest.importorskip("altair")
vlc = pytest.importorskip("vl_convert")


def _chart():
    """A time axis without its own format, counts above 1,000, a decimal tooltip and a text mark."""
    data = pd.DataFrame({"tijd": pd.date_range("2026-07-11 13:00", periods=4, freq="1h"),
                         "n": [1200, 3400, 500, 2000], "ratio": [1.06, 0.5, 2.25, 1.0]})
    line = alt.Chart(data).mark_point().encode(
        x="tijd:T", y="n:Q", tooltip=["tijd:T", alt.Tooltip("ratio:Q", format=".2f")])
    return line + alt.Chart(data).mark_text().encode(x="tijd:T", text=alt.Text("ratio:Q", format=".1f"))


def _drawn(spec: dict) -> tuple[list[str], list[str]]:
    svg = vlc.vegalite_to_svg(spec)
    return re.findall(r">([^<]+)</text>", svg), re.findall(r'aria-label="([^"]+)"', svg)


def test_a_dutch_chart_draws_dutch_numbers_times_and_descriptions():
    texts, aria = _drawn(C.localize(_chart().to_dict(), "nl"))
    assert {"13:00", "14:00", "16:00"} <= set(texts)  # 24-hour axis without a format of its own
    assert "1.000" in texts and "3.000" in texts and not [t for t in texts if re.fullmatch(r"\d,\d{3}", t)]
    assert "1,1" in texts and "2,3" in texts  # text marks: decimal comma
    marks = " ".join(aria)
    assert "tijd: 11-07-2026 13:00; n: 1200; ratio: 1,06" in marks, aria  # what a screen reader hears
    assert not re.search(r"\b(Jul|PM|AM)\b|\b\d\.\d\d\b", marks), aria


def test_without_the_helper_vega_falls_back_to_english_formats():
    """What the helper is for: d3's en-US defaults (the leaks seen on the pages)."""
    texts, aria = _drawn(_chart().to_dict())
    assert "1,000" in texts and "01 PM" in texts
    assert "values from Saturday, 11 July 2026, 1:00:00 PM" in " ".join(aria)
    assert "tijd: Jul 11, 2026; n: 1200; ratio: 1.06" in " ".join(aria)


def test_english_keeps_english_numbers_and_the_24_hour_clock():
    texts, aria = _drawn(C.localize(_chart().to_dict(), "en"))
    assert "1,000" in texts and "14:00" in texts and "02 PM" not in texts
    assert "tijd: 11-07-2026 13:00; n: 1200; ratio: 1.06" in " ".join(aria)
    assert "locale" not in C.vega_config("en")


def test_localize_copies_and_keeps_the_charts_own_config():
    spec = {"mark": "point", "config": {"axisTemporal": {"labelAngle": 0}, "timeFormat": "%d %b"}}
    out = C.localize(spec, "nl")
    assert spec == {"mark": "point", "config": {"axisTemporal": {"labelAngle": 0}, "timeFormat": "%d %b"}}
    assert out["config"]["axisTemporal"] == {"format": C.TIME_FORMAT, "labelAngle": 0}
    assert out["config"]["timeFormat"] == "%d %b"  # the chart's own choice wins
    assert out["config"]["locale"]["number"]["decimal"] == ","
    assert out["config"]["locale"]["time"]["shortMonths"][6] == "jul"
    out["config"]["locale"]["number"]["decimal"] = "."
    assert C.vega_config("nl")["locale"]["number"]["decimal"] == ","  # no shared mutable state


def test_the_scan_reports_volume_chart_counts_in_dutch():
    """The report's inline SVG (PDF/HTML) has the same formats: 1M messages give 1.000+ per 15 min."""
    from pipeline.views import report as R

    times = pd.date_range("2026-07-11 11:00", periods=8, freq="15min", tz="UTC")
    rep = {"lang": "nl", "timeseries": [[t.isoformat(), 400 * i] for i, t in enumerate(times)],
           "window_start": times[4].isoformat(), "picture_at": times[-1].isoformat(),
           "moments": [[times[5].isoformat(), "tweet"]]}
    texts = re.findall(r">([^<]+)</text>", R.volume_chart_svg(rep))
    assert "2.000" in texts and "13:00" in texts, texts
    assert not [t for t in texts if re.fullmatch(r"\d,\d{3}|\d\d? [AP]M", t)], texts

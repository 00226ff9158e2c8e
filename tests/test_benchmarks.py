"""The benchmark harness still measures everything (tiny scale; no timing asserted).

Speed goals live in `python -m benchmarks.run`, never in tests: this only checks that the
instrument produces every measure with sane values, so it cannot rot unnoticed.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

from benchmarks import run as bench
from benchmarks.streams import DATA, build_stream

pytestmark = pytest.mark.skipif(not DATA.exists(), reason="needs ../shared/data (real texts)")


def test_all_distinct_stream_is_distinct_even_without_digits():
    frame = build_stream(3000, 1.0, seed=1)
    assert len(frame) == 3000
    assert frame["text"].nunique() == 3000
    no_digits = frame["text"].str.replace(r"\d+", "", regex=True).str.lower().str.split().str.join(" ")
    assert no_digits.nunique() >= 2990  # not near-copies that differ only in numbers
    assert frame["created_at"].is_monotonic_increasing


def test_half_distinct_stream_has_retweets_and_copies_and_heavy_tailed_authors():
    frame = build_stream(4000, 0.5, seed=2)
    content = frame["text"].str.replace(r"^(RT @\w+: )+", "", regex=True)
    assert content.nunique() == pytest.approx(2000, abs=60)
    assert frame["is_repost"].mean() > 0.25
    assert frame.loc[frame["is_repost"], "text"].str.startswith("RT @").all()
    exact = ~frame["is_repost"] & frame["text"].duplicated()
    assert exact.sum() > 0.1 * len(frame)  # copy-paste copies too, not only retweets
    counts = frame["author"].value_counts()
    assert counts.iloc[0] >= 10 * counts.median()  # a few accounts write much more
    assert frame["platform"].nunique() >= 3


def test_harness_produces_every_measure(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(Path(__file__).resolve().parents[1])
    results = bench.run([1500], "abcde", reps=1, rounds=1, step=100, work=tmp_path)
    a, b, c, d, e = (results[p]["1500"] for p in "abcde")
    assert a["product_msgs_s"] > 0 and a["peer_msgs_s"] > 0 and math.isfinite(a["ratio"]) and a["ratio"] > 0
    assert b["product_peak_rss_mb"] > b["stream_rss_mb"] > 0 and b["peer_peak_rss_mb"] > 0
    assert set(c["pages"]) == set(bench.PAGES)
    assert all(len(p["rerun_s"]) == 1 and p["p50"] > 0 for p in c["pages"].values())
    assert len(c["update_incident_s"]) == 1 and c["update_p95"] >= c["update_p50"] > 0
    assert c["messages_stored"] == 1500 + 100 * (len(bench.PAGES) + 1)
    assert d["nu.py"]["first_open_s"] > 0 and d["nabespreking.py"]["first_open_s"] > 0
    assert d["nabespreking.py"]["at_T"] != d["nabespreking.py"]["at_T2"]
    assert e["product"]["rows"] == 1500 and e["floor"]["rows"] == 1500  # stored by the CLI
    assert e["product"]["peak_rss_mb"] >= max(e["product"]["process_peaks_mb"]) * 0.5 > 0
    table = bench.markdown(results)
    assert "–" not in table  # every measure has a value
    assert len(re.findall(r"^\| \(", table, flags=re.M)) == 24

"""One picture, one set of numbers (issue 10 point 4, issue 12 point 1).

The same incident, window and time give the same counts and arrows on CoPI, Nabespreking,
the scan report and Nu: one trend rule (`aggregate.trend_of`), one "as of T"
(`aggregate.as_of`), and the CoPI caveat counts what the CoPI header counts.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pandas as pd
import pytest

from pipeline.storage import store
from pipeline.views import aggregate as A
from pipeline.views import report as R
from pipeline.views import timeline as T
from tests.conftest import app, as_role

AT = pd.Timestamp("2026-07-11T14:15:00+00:00")  # 16:15 local


@pytest.fixture(scope="module")
def demo_frame(demo_home):
    from pipeline.analysis.chain import analyze_incident

    engine = store.get_engine()
    incident = store.list_incidents(engine).iloc[0]
    return analyze_incident(engine, int(incident["id"])).frame


@pytest.mark.parametrize(("now", "before", "code"), [
    (15, 10, "up"), (14, 10, "flat"), (6, 10, "down"), (7, 10, "flat"), (10, 0, "new"), (4, 5, "few")])
def test_one_trend_rule(now, before, code):
    assert A.trend_of(now, before) == code
    assert R.trend_of(now, before) == code  # the report uses the same function
    assert T.trend_arrow(now, before) == A.TREND_ARROWS[code]  # CoPI and Nabespreking too


def test_copi_blocks_report_and_rising_agree(demo_frame):
    pic = T.picture(demo_frame, pd.DataFrame(), AT, min_authors=10)
    assert len(pic.items) > 0
    for row in pic.items.itertuples():
        assert row.trend == A.trend_arrow(row.count, row.before), row
    rep = R.build_report(demo_frame, pd.DataFrame(), {"id": 1, "name": "x", "is_demo": True},
                         at=AT, window=60)
    for code, row in rep["categories"].items():
        assert row["trend"] == A.trend_of(row["n"], row["baseline"]), code
    # "rising" on Nu and in the report: the same ratio and minimum count
    up = A.rising(demo_frame[~demo_frame["is_official"]], AT, window=timedelta(minutes=60),
                  baseline=timedelta(minutes=60))
    assert (up["ratio"] >= A.TREND_UP_RATIO).all() and (up["recent"] >= A.TREND_MIN_COUNT).all()
    # the CoPI header count is the report's count of relevant public messages in the hour
    pub = T.public_relevant(A.as_of(demo_frame, AT))
    hour = pub[pd.to_datetime(pub["created_at"], utc=True) > AT - timedelta(minutes=60)]
    assert pic.n_messages == len(hour) > 0


def test_copi_caveat_counts_what_its_header_counts(demo_home):
    at = as_role(app("pages/copi.py"), "analist").run()
    assert not at.exception
    header = int(at.metric[0].value.replace(".", ""))
    caveat = " ".join(c.value for c in at.caption)
    counted = re.search(r"unieke auteurs \(([\d.]+) berichten\)", caveat)
    assert counted, caveat
    assert int(counted.group(1).replace(".", "")) == header

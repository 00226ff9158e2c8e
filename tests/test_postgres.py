"""The same store on PostgreSQL, by URL only (no code changes).

Runs when LUISTERPOST_TEST_PG_URL points at an empty test database
(`.ci/run` starts Debian's PostgreSQL and sets it); skipped otherwise.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

import pandas as pd
import pytest

PG_URL = os.environ.get("LUISTERPOST_TEST_PG_URL")
pytestmark = pytest.mark.skipif(not PG_URL, reason="set LUISTERPOST_TEST_PG_URL to test PostgreSQL")


@pytest.fixture
def pg(monkeypatch, tmp_path):
    from pipeline.storage import store

    monkeypatch.setenv("LUISTERPOST_DB_URL", PG_URL)
    monkeypatch.setenv("LUISTERPOST_HOME", str(tmp_path))
    store.dispose_engines()
    engine = store.get_engine()
    store.metadata.drop_all(engine)
    store.dispose_engines()
    engine = store.get_engine()
    yield engine
    store.metadata.drop_all(engine)
    store.dispose_engines()


def _raw(n, offset=0):
    return pd.DataFrame({
        "id": [str(i + offset) for i in range(n)],
        "datum": [f"2026-07-11 14:{i % 60:02d}:{i // 60:02d}" for i in range(n)],
        "bericht": [f"Stinkt hier naar plastic, moeten we binnen blijven? @buur{i} {i}" for i in range(n)],
        "auteur": [f"@persoon{i % 7}" for i in range(n)],
        "bron": ["Twitter"] * n,
    })


def test_ingest_is_idempotent_and_scrubbed_on_postgres(pg):
    from pipeline import schema as S
    from pipeline.ingest.load import ingest_frame
    from pipeline.storage import store

    iid = store.create_incident(pg, name="PG brand", purpose="p", legal_basis="l",
                                responsible_officer="o", start_at=datetime(2026, 7, 11, tzinfo=UTC))
    assert ingest_frame(_raw(50), iid, engine=pg, actor="t").added == 50
    assert ingest_frame(_raw(60), iid, engine=pg, actor="t").added == 10
    df = store.load_messages(pg, iid)
    assert len(df) == 60 and str(df[S.CREATED_AT].dt.tz) == "UTC"
    assert not df[S.TEXT].str.contains("@buur").any()
    assert df[S.AUTHOR].str.match(r"^p_[0-9a-f]{16}$").all()
    assert store.verify_audit(pg) == []


def test_analysis_and_themes_on_postgres(pg):
    from pipeline import schema as S
    from pipeline.analysis.chain import analyze_incident
    from pipeline.ingest.load import ingest_frame
    from pipeline.storage import store

    iid = store.create_incident(pg, name="PG analyse", purpose="p", legal_basis="l",
                                responsible_officer="o", start_at=datetime(2026, 7, 11, tzinfo=UTC),
                                keywords=["stank", "plastic"])
    ingest_frame(_raw(40), iid, engine=pg, actor="t")
    first = analyze_incident(pg, iid).frame
    second = analyze_incident(pg, iid).frame
    assert (first[S.THEME] == second[S.THEME]).all()
    assert store.load_theme_state(pg, iid) is not None

"""Live: `python -m pipeline replay` feeds an open incident while a page watches it grow."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import app

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def live_home(tmp_path, monkeypatch):
    """A fresh store with one open (non-demo) incident and a local analyst; Streamlit caches cleared."""
    import streamlit as st

    from pipeline.governance import auth
    from pipeline.storage import store

    home = tmp_path / "live"
    monkeypatch.setenv("LUISTERPOST_HOME", str(home))
    monkeypatch.delenv("LUISTERPOST_DB_URL", raising=False)
    monkeypatch.delenv("LUISTERPOST_AUTH", raising=False)
    store.dispose_engines()
    st.cache_resource.clear()
    st.cache_data.clear()
    engine = store.get_engine()
    store.create_incident(engine, name="Oefening", purpose="oefenen", legal_basis="test",
                          responsible_officer="test",
                          start_at=pd.Timestamp("2026-07-11 11:00", tz="UTC").to_pydatetime(),
                          keywords=["brand", "rook", "asbest"])
    auth.create_user(engine, "ana", "analist", password="een-lang-wachtwoord-123", actor="test")
    yield home
    store.dispose_engines()
    st.cache_resource.clear()
    st.cache_data.clear()


def _count(engine, incident_id) -> int:
    from pipeline.storage import store

    return store.data_version(engine, incident_id)[0]


def _wait_for(predicate, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail("timed out waiting for the replay")
        time.sleep(0.2)


def test_replay_cli_feeds_a_page_that_sees_the_count_grow(live_home):
    from pipeline.storage import store

    engine = store.get_engine()
    incident_id = store.get_incident(engine, "Oefening")["id"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "replay", "data/demo_incident.csv", "--incident", "Oefening",
         "--speed", "200", "--tick", "0.25", "--max-seconds", "150"],
        cwd=REPO, env={**os.environ}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _wait_for(lambda: _count(engine, incident_id) > 0)
        at = app("pages/overzicht.py")
        at.session_state["lp_user"] = {"username": "ana", "display_name": "Ana", "role": "analist",
                                       "active": True, "auth": "local"}
        at.run()
        assert not at.exception, at.exception
        first = int(at.metric[0].value.replace(".", ""))
        seen = _count(engine, incident_id)
        _wait_for(lambda: _count(engine, incident_id) > seen + 50)
        at.run()
        assert not at.exception, at.exception
        second = int(at.metric[0].value.replace(".", ""))
        assert second > first
        out, err = proc.communicate(timeout=240)
    finally:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=20)
    assert proc.returncode == 0, err
    assert "berichten toegevoegd" in out
    assert "berichten afgespeeld" in err  # progress
    assert 1000 < _count(engine, incident_id) <= 7676  # 150 s at 200x: most of the 8-hour demo

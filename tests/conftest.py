"""Shared fixtures: every test gets its own temporary store and pseudonym key."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"


@pytest.fixture
def lp_home(tmp_path, monkeypatch):
    """Point Luisterpost's settings at a fresh temporary home (db, key)."""
    from pipeline import store

    home = tmp_path / "lp"
    monkeypatch.setenv("LUISTERPOST_HOME", str(home))
    monkeypatch.delenv("LUISTERPOST_DB_URL", raising=False)
    monkeypatch.delenv("LUISTERPOST_KEY_FILE", raising=False)
    store.dispose_engines()
    yield home
    store.dispose_engines()


@pytest.fixture
def engine(lp_home):
    """A store engine on a fresh temporary SQLite database."""
    from pipeline import store

    return store.get_engine()

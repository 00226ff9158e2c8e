"""Shared fixtures: every test gets its own temporary store and pseudonym key."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"


@pytest.fixture
def lp_home(tmp_path, monkeypatch):
    """Point Luisterpost's settings at a fresh temporary home (db, key)."""
    from pipeline.storage import store

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
    from pipeline.storage import store

    return store.get_engine()


@pytest.fixture(scope="session")
def demo_home(tmp_path_factory):
    """One store with the demo incident loaded, shared by all page tests (AppTest)."""
    import os

    from pipeline.ingest.demo import load_demo
    from pipeline.storage import store

    home = tmp_path_factory.mktemp("demo_home")
    old = os.environ.get("LUISTERPOST_HOME")
    os.environ["LUISTERPOST_HOME"] = str(home)
    os.environ.pop("LUISTERPOST_DB_URL", None)
    load_demo(store.get_engine())
    yield home
    if old is None:
        os.environ.pop("LUISTERPOST_HOME", None)
    else:
        os.environ["LUISTERPOST_HOME"] = old


def app(path: str, timeout: int = 120):
    """Return an AppTest for a file relative to the repository root."""
    from streamlit.testing.v1 import AppTest

    return AppTest.from_file(str(REPO / path), default_timeout=timeout)


def as_role(at, role: str):
    """Sign the AppTest session in as a local (password) user with `role` (analist, copi, beheerder).

    Demo mode is read-only and has no beheerder (governance.DEMO_ACTIONS), so page tests that
    act as a role run in local login mode: `LUISTERPOST_AUTH=local` is set only while this
    AppTest runs (AppTest runs the script in this process). Use `as_demo` for a demo visitor.
    """
    import os

    at.session_state["lp_user"] = {"username": "demo", "display_name": "Demo", "role": role,
                                   "active": True, "auth": "local"}
    run = at._run

    from pipeline.governance import auth

    row_check = auth.session_user

    def run_signed_in(*args, **kwargs):
        old = os.environ.get("LUISTERPOST_AUTH")
        os.environ["LUISTERPOST_AUTH"] = "local"
        # this signed-in user has no account row (the shared demo store must stay in demo mode for
        # other tests); the row check itself is tested with real accounts in tests/test_roles.py
        auth.session_user = lambda engine, user: dict(user)
        try:
            return run(*args, **kwargs)
        finally:
            auth.session_user = row_check
            if old is None:
                os.environ.pop("LUISTERPOST_AUTH", None)
            else:
                os.environ["LUISTERPOST_AUTH"] = old

    at._run = run_signed_in
    return at


def as_demo(at, role: str = "analist"):
    """Put the AppTest session in demo mode as a visitor viewing as `role` (analist or copi)."""
    at.session_state["lp_user"] = {"username": "demo", "display_name": "Demo", "role": role,
                                   "active": True, "auth": "demo"}
    return at


def isolate_store(tmp_path, monkeypatch):
    """Point every setting (db, key, official accounts) into `tmp_path`; return a fresh engine."""
    from pipeline.storage import store

    monkeypatch.setenv("LUISTERPOST_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("LUISTERPOST_DB_URL", f"sqlite:///{tmp_path / 'home' / 'lp.db'}")
    monkeypatch.setenv("LUISTERPOST_KEY_FILE", str(tmp_path / "keys" / "pseudonym.key"))
    monkeypatch.setenv("LUISTERPOST_OFFICIAL_ACCOUNTS", str(tmp_path / "none.csv"))
    store.dispose_engines()
    return store.get_engine()


@pytest.fixture
def lp(tmp_path, monkeypatch):
    """A fresh store, key and (absent) official-accounts file, with one open incident "Brand"."""
    from datetime import UTC, datetime

    from pipeline.storage import store

    engine = isolate_store(tmp_path, monkeypatch)
    store.create_incident(engine, name="Brand", purpose="crisiscommunicatie", legal_basis="Wvr art. 7",
                          responsible_officer="OvD-C", start_at=datetime(2026, 7, 11, tzinfo=UTC))
    yield engine
    store.dispose_engines()

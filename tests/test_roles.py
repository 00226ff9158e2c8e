"""Who may see what: the role × page matrix through AppTest, and the sign-in modes."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from pipeline.governance import policy as governance
from tests.conftest import app, as_role

REPO = Path(__file__).resolve().parents[1]


def _dashboard_pages() -> list[tuple[str, str]]:
    """(file, action) for every page in the navigation."""
    from pages._nav import PAGES as NAV

    return [(file, action) for _sec, file, action, *_rest in NAV]


PAGES = _dashboard_pages()
MATRIX = [(role, file, action) for role in ("analist", "copi", "beheerder") for file, action in PAGES]


def test_every_page_action_is_known_to_governance():
    assert {action for _file, action in PAGES} == set(governance.PAGES)


@pytest.mark.parametrize(("role", "file", "action"), MATRIX,
                         ids=[f"{r}-{f[:-3]}" for r, f, _a in MATRIX])
def test_role_page_matrix(demo_home, role, file, action):
    at = as_role(app(f"pages/{file}"), role).run()
    assert not at.exception, at.exception
    refused = any("geen toegang" in e.value for e in at.error)
    if governance.can(role, action):
        assert not refused
        assert at.title and at.title[0].value
    else:
        assert refused
        assert len(at.title) <= 1  # only the page furniture, no content
        assert not at.dataframe and not at.get("arrow_vega_lite_chart")


def test_refusal_is_audited(demo_home):
    from pipeline.storage import store

    as_role(app("pages/labelen.py"), "copi").run()
    log = store.load_audit(store.get_engine(), limit=30)
    denied = log[(log["action"] == "page.labelen") & (log["outcome"] == "denied")]
    assert not denied.empty and denied.iloc[0]["role"] == "copi"  # newest first


@pytest.fixture
def local_store(tmp_path, monkeypatch):
    """A store with a tiny incident and one user per role, in local sign-in mode."""
    import pandas as pd

    from pipeline.governance import auth
    from pipeline.ingest.load import ingest_frame
    from pipeline.storage import store

    monkeypatch.setenv("LUISTERPOST_HOME", str(tmp_path / "local"))
    monkeypatch.setenv("LUISTERPOST_AUTH", "local")
    engine = store.get_engine()
    incident_id = store.create_incident(
        engine, name="Gaslek Lokaal", purpose="crisiscommunicatie", legal_basis="Wvr",
        responsible_officer="OVD-C", start_at=datetime(2026, 3, 1, 9, tzinfo=UTC),
        keywords=["gas", "gaslek"])
    raw = pd.DataFrame({"id": [str(i) for i in range(40)],
                        "datum": [f"2026-03-01 10:{i:02d}" for i in range(40)],
                        "bericht": [f"Ruik gas in de straat, moeten we weg? nummer {i}" for i in range(40)],
                        "auteur": [f"@buur{i % 12}" for i in range(40)]})
    ingest_frame(raw, incident_id, engine=engine, actor="test")
    for name, role in (("anna", "analist"), ("cor", "copi"), ("bea", "beheerder")):
        auth.create_user(engine, name, role, "een-lang-wachtwoord-1", actor="test")
    return engine


def test_local_login_wrong_then_right(local_store):
    from pipeline.governance import auth

    at = app("dashboard.py").run()
    assert not at.exception
    assert at.title[0].value.startswith("Inloggen")
    at.text_input(key="login_username").input("anna")
    at.text_input(key="login_password").input("verkeerd-wachtwoord")
    at.button[0].click().run()
    assert any(auth.LOGIN_FAILED in e.value for e in at.error)
    at.text_input(key="login_password").input("een-lang-wachtwoord-1")
    at.button[0].click().run()
    at.run()
    assert not at.exception, at.exception
    assert at.session_state["lp_user"]["role"] == "analist"
    assert at.title[0].value == "Nu"


def test_local_mode_has_no_demo_role_switch(local_store):
    from pipeline.governance import auth

    at = app("pages/nu.py")
    at.session_state["lp_user"] = {**auth.get_user(local_store, "cor"), "auth": "local"}
    at.run()
    assert not at.exception
    assert not [w for w in at.selectbox if w.key == "lp_demo_role"]
    assert any("Ingelogd als" in c.value for c in at.sidebar.caption)


def test_a_deactivated_account_is_signed_out_of_its_open_session(local_store):
    """Deactivating anna on Beheer ends her session that is already open: the next run shows the login."""
    from pipeline.governance import auth

    at = app("pages/themas.py")
    at.session_state["lp_user"] = {**auth.get_user(local_store, "anna"), "auth": "local"}
    at.run()
    assert not at.exception and at.title[0].value == "Thema's"
    auth.set_role(local_store, "anna", "copi", actor="bea")  # a role change applies at once
    at.run()
    assert at.title[0].value == "Geen toegang" and at.session_state["lp_user"]["role"] == "copi"
    auth.deactivate_user(local_store, "anna", actor="bea")
    at.run()
    assert not at.exception
    assert at.title[0].value.startswith("Inloggen")
    assert "lp_user" not in at.session_state
    assert [i.value for i in at.info] == ["Uw sessie is beëindigd. Log opnieuw in."]


def test_beheer_changes_roles_and_keeps_the_last_beheerder(local_store):
    """Beheer → Gebruikers: role change and reactivation in the UI; deactivating needs a choice and a
    confirmation, and the last active beheerder is refused in Dutch."""
    from pipeline.governance import auth

    at = app("pages/beheer.py")
    at.session_state["lp_user"] = {**auth.get_user(local_store, "bea"), "auth": "local"}
    at.run()
    next(w for w in at.segmented_control if w.key == "beheer_section").set_value("users").run()
    assert not at.exception
    go = next(b for b in at.button if b.key == "beheer_deactivate_go")
    assert go.disabled  # nobody chosen, not confirmed: no one-click deactivation
    at.selectbox(key="beheer_deactivate_name").set_value("bea")
    at.checkbox(key="beheer_deactivate_sure").check().run()
    next(b for b in at.button if b.key == "beheer_deactivate_go").click().run()
    assert any("laatste actieve beheerder" in e.value for e in at.error), [e.value for e in at.error]
    assert auth.get_user(local_store, "bea")["active"]
    at.selectbox(key="beheer_role_name").set_value("cor")
    at.selectbox(key="beheer_role_new").set_value("analist").run()
    next(b for b in at.button if b.key == "beheer_role_go").click().run()
    assert auth.get_user(local_store, "cor")["role"] == "analist"
    assert any("Rol gewijzigd" in m.value for m in at.success)
    at.selectbox(key="beheer_deactivate_name").set_value("cor")
    at.checkbox(key="beheer_deactivate_sure").check().run()
    next(b for b in at.button if b.key == "beheer_deactivate_go").click().run()
    assert not auth.get_user(local_store, "cor")["active"]
    assert "cor" not in at.selectbox(key="beheer_deactivate_name").options  # the list shows it at once
    assert not at.checkbox(key="beheer_deactivate_sure").value  # the next one is confirmed anew
    at.selectbox(key="beheer_reactivate_name").set_value("cor").run()
    next(b for b in at.button if b.key == "beheer_reactivate_go").click().run()
    assert not at.exception and auth.get_user(local_store, "cor")["active"]

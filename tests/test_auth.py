"""Local accounts, password hashing, login auditing, OIDC mapping and the login mode."""

from __future__ import annotations

import io

import pytest

from pipeline.cli import user as user_cli
from pipeline.governance import auth
from pipeline.storage import store

PW = "correct horse battery"  # 21 characters


@pytest.fixture(autouse=True)
def fast_bcrypt(monkeypatch):
    monkeypatch.setattr(auth, "_BCRYPT_ROUNDS", 4)  # cheaper hashing; same code path


def _audit_rows(engine, action=None):
    log = store.load_audit(engine).iloc[::-1]
    return log if action is None else log[log["action"] == action]


# --- hashing -----------------------------------------------------------------------------------
def test_hash_is_not_the_password_and_verifies():
    stored = auth.hash_password(PW)
    assert PW not in stored
    assert stored.startswith("bcrypt-sha256$")
    assert auth.verify_password(PW, stored)
    assert not auth.verify_password(PW + "!", stored)
    assert auth.hash_password(PW) != stored  # salted


def test_long_passwords_are_not_truncated():
    base = "a" * 80
    stored = auth.hash_password(base + "1")
    assert not auth.verify_password(base + "2", stored)  # plain bcrypt would ignore byte 73+


@pytest.mark.parametrize("password", ["", "short", "elevenchars"])
def test_minimum_password_length(engine, password):
    with pytest.raises(auth.UserError, match="12"):
        auth.create_user(engine, "anna", "analist", password, actor="t")
    assert auth.count_users(engine) == 0


def test_exactly_twelve_characters_is_enough(engine):
    auth.create_user(engine, "anna", "analist", "123456789012", actor="t")
    assert auth.authenticate(engine, "anna", "123456789012")["role"] == "analist"


# --- users ----------------------------------------------------------------------------------------
def test_duplicate_username_is_refused_case_insensitively(engine):
    auth.create_user(engine, "Anna", "analist", PW, actor="t")
    with pytest.raises(auth.UserError, match="bestaat al"):
        auth.create_user(engine, " ANNA ", "copi", PW, actor="t")
    users = auth.list_users(engine)
    assert users["username"].tolist() == ["anna"]


def test_unknown_role_and_bad_username_are_refused(engine):
    with pytest.raises(auth.UserError, match="rol"):
        auth.create_user(engine, "anna", "admin", PW, actor="t")
    with pytest.raises(auth.UserError, match="gebruikersnaam"):
        auth.create_user(engine, "anna de vries", "analist", PW, actor="t")
    assert auth.count_users(engine) == 0


def test_list_users_never_returns_hashes(engine):
    auth.create_user(engine, "anna", "analist", PW, "Anna A.", actor="t")
    auth.create_user(engine, "oidc.user@example.nl", "copi", None, actor="t")
    users = auth.list_users(engine)
    assert "password_hash" not in users.columns
    assert not users.astype(str).apply(lambda col: col.str.contains("bcrypt")).to_numpy().any()
    assert users.set_index("username")["local_password"].to_dict() == {
        "anna": True, "oidc.user@example.nl": False}


def test_login_ok_returns_user_without_hash_and_is_audited(engine):
    auth.create_user(engine, "anna", "analist", PW, "Anna", actor="t")
    user = auth.authenticate(engine, "ANNA", PW)
    assert user == {"id": 1, "username": "anna", "display_name": "Anna", "role": "analist",
                    "active": True, "auth": "local"}
    last = _audit_rows(engine, "auth.login").iloc[-1]
    assert (last["actor"], last["role"], last["outcome"]) == ("anna", "analist", "ok")


def test_failed_logins_give_none_and_are_audited_denied(engine):
    auth.create_user(engine, "anna", "analist", PW, actor="t")
    assert auth.authenticate(engine, "anna", "wrong password!") is None
    assert auth.authenticate(engine, "nobody", PW) is None
    assert auth.authenticate(engine, "", "") is None
    denied = _audit_rows(engine, "auth.login")
    assert denied["outcome"].tolist() == ["denied", "denied", "denied"]
    assert denied["actor"].tolist() == ["anna", "nobody", "(leeg)"]
    assert all(PW not in d and "wrong" not in d for d in denied["details"])  # no passwords logged


def test_user_without_password_cannot_log_in_locally(engine):
    auth.create_user(engine, "oidc.only", "analist", None, actor="t")
    assert auth.authenticate(engine, "oidc.only", "") is None
    assert auth.authenticate(engine, "oidc.only", PW) is None


def test_deactivated_user_cannot_authenticate(engine):
    auth.create_user(engine, "anna", "analist", PW, actor="t")
    auth.deactivate_user(engine, "anna", actor="beheer")
    assert auth.authenticate(engine, "anna", PW) is None
    assert auth.get_user(engine, "anna")["active"] is False
    auth.activate_user(engine, "anna", actor="beheer")
    assert auth.authenticate(engine, "anna", PW) is not None


def test_set_password_replaces_the_old_one(engine):
    auth.create_user(engine, "anna", "analist", PW, actor="t")
    auth.set_password(engine, "anna", "a new long passphrase", actor="anna")
    assert auth.authenticate(engine, "anna", PW) is None
    assert auth.authenticate(engine, "anna", "a new long passphrase") is not None
    with pytest.raises(auth.UserError):
        auth.set_password(engine, "anna", "short", actor="anna")
    with pytest.raises(auth.UserError, match="onbekende"):
        auth.set_password(engine, "ghost", PW, actor="anna")


def test_lockout_after_repeated_failures(engine, monkeypatch):
    monkeypatch.setattr(auth, "LOCKOUT_ATTEMPTS", 3)
    auth.create_user(engine, "anna", "analist", PW, actor="t")
    for _ in range(3):
        assert auth.authenticate(engine, "anna", "not the password") is None
    assert auth.authenticate(engine, "anna", PW) is None  # right password, but locked
    assert '"code": "locked_out"' in _audit_rows(engine, "auth.login").iloc[-1]["details"]


def test_every_user_change_is_audited_and_chain_verifies(engine):
    auth.create_user(engine, "anna", "analist", PW, actor="beheer", actor_role="beheerder")
    auth.set_password(engine, "anna", "another long passphrase", actor="beheer")
    auth.set_role(engine, "anna", "copi", actor="beheer")
    auth.deactivate_user(engine, "anna", actor="beheer")
    log = _audit_rows(engine)
    assert log["action"].tolist() == ["user.create", "user.password", "user.role", "user.deactivate"]
    assert set(log["object"]) == {"user:anna"}
    assert log["actor"].tolist() == ["beheer"] * 4
    assert not any("another long" in d for d in log["details"])
    assert store.verify_audit(engine) == []


# --- OIDC -----------------------------------------------------------------------------------------
def test_oidc_unknown_identity_gets_no_access(engine):
    assert auth.user_from_oidc(engine, {"email": "stranger@example.nl", "roles": ["analist"]}) is None
    assert auth.user_from_oidc(engine, {}) is None
    log = _audit_rows(engine, "auth.login")
    assert log["outcome"].tolist() == ["denied", "denied"]
    assert auth.count_users(engine) == 0


def test_oidc_known_identity_maps_to_its_row(engine):
    auth.create_user(engine, "Piet@Region.nl", "copi", None, actor="t")
    user = auth.user_from_oidc(engine, {"email": "piet@region.nl", "email_verified": True})
    assert (user["username"], user["role"], user["auth"]) == ("piet@region.nl", "copi", "oidc")
    by_name = auth.user_from_oidc(engine, {"preferred_username": "PIET@region.nl"})
    assert by_name["username"] == "piet@region.nl"


def test_oidc_unverified_email_is_not_trusted(engine):
    auth.create_user(engine, "piet@region.nl", "copi", None, actor="t")
    assert auth.user_from_oidc(engine, {"email": "piet@region.nl", "email_verified": False}) is None


def test_oidc_inactive_user_and_role_mismatch_are_denied(engine):
    auth.create_user(engine, "a@r.nl", "analist", None, actor="t")
    auth.create_user(engine, "b@r.nl", "analist", None, actor="t")
    auth.deactivate_user(engine, "b@r.nl", actor="t")
    assert auth.user_from_oidc(engine, {"email": "b@r.nl"}) is None
    # The identity provider says copi only: the register (analist) and the IdP disagree.
    assert auth.user_from_oidc(engine, {"email": "a@r.nl", "groups": ["/luisterpost-copi"]}) is None
    ok = auth.user_from_oidc(engine, {"email": "a@r.nl", "roles": ["luisterpost-analist", "other"]})
    assert ok["role"] == "analist"


def test_oidc_trusting_claim_roles_provisions_once(engine):
    params = auth.OidcParams(trust_claim_roles=True)
    claims = {"email": "new@r.nl", "name": "New Person", "roles": ["luisterpost-copi"]}
    user = auth.user_from_oidc(engine, claims, params)
    assert (user["username"], user["role"], user["display_name"]) == ("new@r.nl", "copi", "New Person")
    again = auth.user_from_oidc(engine, {**claims, "roles": ["luisterpost-analist"]}, params)
    assert again["role"] == "analist" and again["id"] == user["id"]
    assert auth.user_from_oidc(engine, {"email": "x@r.nl", "roles": ["analist", "copi"]}, params) is None
    assert auth.user_from_oidc(engine, {"email": "y@r.nl"}, params) is None
    assert auth.user_from_oidc(engine, {"preferred_username": "Jan Jansen", "roles": "copi"}, params) is None
    assert sorted(auth.list_users(engine)["username"]) == ["new@r.nl"]
    assert _audit_rows(engine)["action"].tolist()[:2] == ["user.create", "auth.login"]


# --- login mode -------------------------------------------------------------------------------------
DEMO = {"id": 1, "name": "Demo", "is_demo": True}
REAL = {"id": 2, "name": "Brand", "is_demo": False}


@pytest.mark.parametrize(("address", "incident", "expected"), [
    ("127.0.0.1", DEMO, True),
    ("localhost", DEMO, True),
    ("::1", DEMO, True),
    ("[::1]", DEMO, True),
    ("127.0.0.1", REAL, False),   # real incident: always a login
    ("localhost", None, False),
    ("", DEMO, False),            # Streamlit's default: all interfaces
    ("0.0.0.0", DEMO, False),
    ("::", DEMO, False),
    ("192.168.1.10", DEMO, False),
    ("luisterpost.region.nl", DEMO, False),
])
def test_demo_allowed_truth_table(address, incident, expected):
    assert auth.demo_allowed(address, incident) is expected


@pytest.mark.parametrize(("has_auth", "n_users", "address", "env", "expected"), [
    (True, 0, "0.0.0.0", {}, "oidc"),
    (True, 5, "127.0.0.1", {}, "oidc"),
    (False, 1, "0.0.0.0", {}, "local"),
    (False, 1, "127.0.0.1", {}, "local"),       # users exist: log in, also on localhost
    (False, 0, "127.0.0.1", {}, "demo"),
    (False, 0, "::1", {}, "demo"),
    (False, 0, "", {}, "locked"),               # no users, public address: nobody gets in
    (False, 0, "10.0.0.4", {}, "locked"),
    (False, 0, "127.0.0.1", {"LUISTERPOST_AUTH": "local"}, "local"),
    (True, 3, "0.0.0.0", {"LUISTERPOST_AUTH": "local"}, "local"),
    (False, 2, "localhost", {"LUISTERPOST_AUTH": "demo"}, "demo"),
    (False, 0, "0.0.0.0", {"LUISTERPOST_AUTH": ""}, "locked"),
])
def test_auth_mode_truth_table(has_auth, n_users, address, env, expected):
    assert auth.auth_mode(has_auth, n_users, address, env) == expected


@pytest.mark.parametrize(("has_auth", "address", "env"), [
    (False, "0.0.0.0", {"LUISTERPOST_AUTH": "demo"}),   # demo never on a public address
    (False, "127.0.0.1", {"LUISTERPOST_AUTH": "oidc"}),  # oidc without [auth] secrets
    (False, "127.0.0.1", {"LUISTERPOST_AUTH": "none"}),
])
def test_auth_mode_refuses_contradictory_settings(has_auth, address, env):
    with pytest.raises(ValueError, match="LUISTERPOST_AUTH"):
        auth.auth_mode(has_auth, 0, address, env)


def test_demo_user_is_marked_and_has_no_row(engine):
    user = auth.demo_user("copi")
    assert (user["auth"], user["role"], user["username"]) == ("demo", "copi", "demo")
    assert auth.get_user(engine, "demo") is None
    with pytest.raises(auth.UserError):
        auth.demo_user("root")


# --- CLI ---------------------------------------------------------------------------------------------
def test_cli_add_list_passwd_deactivate(engine, monkeypatch, capsys):
    monkeypatch.setenv("LOGNAME", "bea")  # the CLI acts as the account named like the OS user
    monkeypatch.setattr("sys.stdin", io.StringIO(PW + "\n"))
    assert user_cli.main(["add", "Bea", "--role", "beheerder", "--password-stdin"]) == 0
    assert auth.authenticate(engine, "bea", PW)["role"] == "beheerder"
    assert user_cli.main(["add", "carl@r.nl", "--role", "copi"]) == 0
    assert user_cli.main(["list"]) == 0
    out = capsys.readouterr().out
    assert "bea" in out and "carl@r.nl" in out and "bcrypt" not in out
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert user_cli.main(["passwd", "bea", "--password-stdin"]) == 2
    assert "12" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("new long passphrase\n"))
    assert user_cli.main(["passwd", "bea", "--password-stdin"]) == 0
    assert auth.authenticate(engine, "bea", "new long passphrase") is not None
    monkeypatch.setattr("sys.stdin", io.StringIO(PW + "\n"))
    assert user_cli.main(["add", "dora", "--role", "beheerder", "--password-stdin"]) == 0
    assert user_cli.main(["deactivate", "dora"]) == 0
    assert auth.authenticate(engine, "dora", PW) is None
    capsys.readouterr()
    assert user_cli.main(["deactivate", "bea"]) == 2  # the last active beheerder stays
    assert "laatste actieve beheerder" in capsys.readouterr().err
    assert auth.authenticate(engine, "bea", "new long passphrase") is not None
    assert user_cli.main(["deactivate", "ghost"]) == 2
    actions = _audit_rows(engine)["action"].tolist()
    assert actions.count("user.create") == 3 and actions.count("user.deactivate") == 1
    created = _audit_rows(engine, "user.create")
    assert created["actor"].tolist() == ["cli:bea"] * 3 and set(created["role"]) == {"cli"}
    assert store.verify_audit(engine) == []


def test_cli_refuses_password_as_argument():
    with pytest.raises(SystemExit):
        user_cli.main(["add", "x", "--role", "analist", "--password", "in shell history"])



def test_role_labels():
    assert auth.role_label("copi") == "CoPI-kijker"
    assert auth.role_label("copi", "en") == "CoPI viewer"
    assert auth.role_label("onbekend") == "onbekend"


def test_the_last_active_beheerder_cannot_be_deactivated_or_demoted(engine):
    """Without an active beheerder nobody can manage users any more (the CLI needs one too)."""
    auth.create_user(engine, "bea", "beheerder", PW, actor="t")
    auth.create_user(engine, "ana", "analist", PW, actor="t")
    for change in (lambda: auth.deactivate_user(engine, "bea", actor="bea"),
                   lambda: auth.set_role(engine, "bea", "analist", actor="bea")):
        with pytest.raises(auth.UserError, match="laatste actieve beheerder"):
            change()
    assert auth.get_user(engine, "bea")["active"] and auth.get_user(engine, "bea")["role"] == "beheerder"
    auth.create_user(engine, "bob", "beheerder", PW, actor="t")
    auth.deactivate_user(engine, "bea", actor="bob")  # another beheerder stays: allowed
    assert not auth.get_user(engine, "bea")["active"]
    auth.deactivate_user(engine, "ana", actor="bob")  # other roles are never guarded
    with pytest.raises(auth.UserError):
        auth.set_role(engine, "bob", "copi", actor="bob")


def test_an_open_session_follows_its_account(engine):
    """`session_user`: a deactivated account is out on the next page run; a role change applies."""
    auth.create_user(engine, "bea", "beheerder", PW, actor="t")
    auth.create_user(engine, "ana", "analist", PW, actor="t")
    session = auth.authenticate(engine, "ana", PW)
    assert auth.session_user(engine, session) == session
    auth.set_role(engine, "ana", "copi", actor="bea")
    assert auth.session_user(engine, session)["role"] == "copi"
    auth.deactivate_user(engine, "ana", actor="bea")
    assert auth.session_user(engine, session) is None
    demo = auth.demo_user("analist")
    assert auth.session_user(engine, demo) == demo

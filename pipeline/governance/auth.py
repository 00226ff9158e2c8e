"""Local accounts, roles, OIDC mapping and the choice of login mode.

Three roles (see `docs/GOVERNANCE.md`; what each may do is `pipeline.governance.policy.PERMISSIONS`):

* `analist`   - all analysis pages, example messages of themes with >= k authors, labelling;
* `copi`      - CoPI viewer: projection and aggregate pages only, never example messages;
* `beheerder` - incidents, users, retention, audit log; may also view aggregate pages.

Usernames are stored lower-case, so they are unique case-insensitively.
Passwords are hashed with bcrypt over a SHA-256 pre-hash (no 72-byte limit);
the hash never leaves this module. Every change and every login attempt is
written to the hash-chained audit log. A user is a plain dict
(`id, username, display_name, role, active, auth`), never containing a hash.
"""

from __future__ import annotations

import base64
import getpass
import hashlib
import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache
from typing import Any

import bcrypt
import pandas as pd
from sqlalchemy import Engine

from pipeline.storage import store
from pipeline.storage import users as user_rows

ANALIST = "analist"
COPI = "copi"
BEHEERDER = "beheerder"
ROLES = (ANALIST, COPI, BEHEERDER)
DEMO_ROLES = (ANALIST, COPI)  # demo mode never has a beheerder (governance.DEMO_ACTIONS: read-only)
ROLE_LABELS = {
    "nl": {ANALIST: "Analist", COPI: "CoPI-kijker", BEHEERDER: "Beheerder"},
    "en": {ANALIST: "Analyst", COPI: "CoPI viewer", BEHEERDER: "Administrator"},
}


def role_label(role: str, lang: str = "nl") -> str:
    """Return the display name of a role ("CoPI-kijker"), or the code when unknown."""
    return ROLE_LABELS.get(lang, ROLE_LABELS["nl"]).get(role, role)


MIN_PASSWORD_LENGTH = 12
LOCKOUT_ATTEMPTS = 10  # failed logins for one username within LOCKOUT_MINUTES ...
LOCKOUT_MINUTES = 15  # ... block that username (even with the right password) for this long

AUTH_OIDC = "oidc"
AUTH_LOCAL = "local"
AUTH_DEMO = "demo"
AUTH_LOCKED = "locked"  # no login possible yet: create a beheerder with the CLI first
AUTH_CLI = "cli"  # a shell command (`cli_user`): not a login mode of the dashboard
AUTH_MODES = (AUTH_OIDC, AUTH_LOCAL, AUTH_DEMO, AUTH_LOCKED)
AUTH_ENV = "LUISTERPOST_AUTH"  # optional: force "oidc" or "local" (or "demo" on localhost)
LOCAL_HOSTNAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})

DEMO_USERNAME = "demo"
LOGIN_FAILED = "Onbekende gebruikersnaam of onjuist wachtwoord. / Unknown username or wrong password."

_HASH_PREFIX = "bcrypt-sha256$"
_BCRYPT_ROUNDS = 12


@lru_cache(maxsize=1)
def _dummy_hash() -> bytes:
    """Return the hash verified against when the username is unknown or inactive.

    So that a failed login costs the same time whether or not the account exists. Made on first
    use, not at import: 12 bcrypt rounds cost ~0,25 s of CPU, and every command-line run
    (`ingest`, `analyze`, ...) imports this module without logging anyone in.
    """
    return bcrypt.hashpw(b"luisterpost-dummy-password-prehash-000000", bcrypt.gensalt(_BCRYPT_ROUNDS))


class UserError(ValueError):
    """A user administration request that cannot be carried out (message in Dutch and English)."""


# --- passwords ------------------------------------------------------------------------------
def _prehash(password: str) -> bytes:
    # SHA-256 then base64 gives 44 bytes: bcrypt's 72-byte limit never truncates.
    return base64.b64encode(hashlib.sha256(password.encode("utf-8")).digest())


def check_password_policy(password: str) -> None:
    """Raise `UserError` when the password is shorter than `MIN_PASSWORD_LENGTH` characters."""
    if not isinstance(password, str) or len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"wachtwoord moet minstens {MIN_PASSWORD_LENGTH} tekens hebben / "
                        f"password must have at least {MIN_PASSWORD_LENGTH} characters")


def hash_password(password: str) -> str:
    """Return the stored form of `password` (bcrypt over SHA-256; policy checked first)."""
    check_password_policy(password)
    return _HASH_PREFIX + bcrypt.hashpw(_prehash(password), bcrypt.gensalt(_BCRYPT_ROUNDS)).decode("ascii")


def verify_password(password: str, stored: str | None) -> bool:
    """Return True when `password` matches the stored hash (False for a missing/foreign hash)."""
    if not stored or not stored.startswith(_HASH_PREFIX):
        bcrypt.checkpw(b"x", _dummy_hash())
        return False
    return bcrypt.checkpw(_prehash(password), stored[len(_HASH_PREFIX):].encode("ascii"))


# --- users ----------------------------------------------------------------------------------
def normalize_username(username: str) -> str:
    """Return the canonical (stripped, lower-case) form of a username."""
    return str(username or "").strip().casefold()


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise UserError(f"onbekende rol / unknown role {role!r}; kies / choose: {', '.join(ROLES)}")


def _user_dict(row: Any, auth: str = AUTH_LOCAL) -> dict[str, Any]:
    return {"id": int(row.id), "username": row.username, "display_name": row.display_name,
            "role": row.role, "active": bool(row.active), "auth": auth}


def _find(conn, username: str):
    return user_rows.find(conn, normalize_username(username))


def get_user(engine: Engine, username: str) -> dict[str, Any] | None:
    """Return the user (without hash) with this username, active or not, or None."""
    row = user_rows.get(engine, normalize_username(username))
    return _user_dict(row) if row else None


def count_users(engine: Engine, *, active_only: bool = True) -> int:
    """Return the number of (active) users."""
    return user_rows.count(engine, active_only=active_only)


def create_user(engine: Engine, username: str, role: str, password: str | None = None,
                display_name: str = "", *, actor: str, actor_role: str = "") -> int:
    """Create a user and return its id; without a password the user can only log in via OIDC."""
    name = normalize_username(username)
    if not name or len(name) > 200 or any(ch.isspace() for ch in name):
        raise UserError("gebruikersnaam ongeldig (leeg, spaties of te lang) / "
                        "invalid username (empty, spaces or too long)")
    _check_role(role)
    pw_hash = hash_password(password) if password is not None else None
    with engine.begin() as conn:
        if _find(conn, name) is not None:
            raise UserError(f"gebruikersnaam bestaat al / username already exists: {name}")
        user_id = user_rows.insert_user(conn, username=name, display_name=display_name.strip(), role=role,
                                        password_hash=pw_hash)
        store.write_audit(conn, actor=actor, role=actor_role, action="user.create", obj=f"user:{name}",
                          details={"role": role, "local_password": pw_hash is not None})
    return user_id


def _change(engine: Engine, username: str, values: dict[str, Any], *, action: str, actor: str,
            actor_role: str, details: dict[str, Any], keep_beheerder: bool = True) -> None:
    name = normalize_username(username)
    with engine.begin() as conn:
        row = _find(conn, name)
        if row is None:
            raise UserError(f"onbekende gebruiker / unknown user: {name}")
        if keep_beheerder:
            _keep_a_beheerder(conn, row, values)
        user_rows.update_user(conn, row.id, values)
        store.write_audit(conn, actor=actor, role=actor_role, action=action, obj=f"user:{name}",
                          details=details)


def _keep_a_beheerder(conn, row: Any, values: dict[str, Any]) -> None:
    """Refuse a change that leaves no active beheerder: nobody could manage users any more.

    Only the database could then bring one back (the command line needs an active beheerder
    too). Checked inside the change's transaction.
    """
    leaves = row.active and row.role == BEHEERDER and (
        values.get("active") is False or values.get("role", BEHEERDER) != BEHEERDER)
    if leaves and user_rows.count_active(conn, BEHEERDER) <= 1:
        raise UserError(
            f"{row.username} is de laatste actieve beheerder; maak eerst een andere beheerder aan / "
            f"{row.username} is the last active administrator; create another administrator first")


def set_password(engine: Engine, username: str, password: str, *, actor: str, actor_role: str = "") -> None:
    """Set a new password for the user (policy checked; audited, the password never is)."""
    _change(engine, username, {"password_hash": hash_password(password)}, action="user.password",
            actor=actor, actor_role=actor_role, details={})


def set_role(engine: Engine, username: str, role: str, *, actor: str, actor_role: str = "",
             keep_beheerder: bool = True) -> None:
    """Give the user another role (audited with the new role).

    Refused when it leaves no active beheerder, unless `keep_beheerder` is False: the identity
    provider's role claim is the truth when it is trusted (`user_from_oidc`).
    """
    _check_role(role)
    _change(engine, username, {"role": role}, action="user.role", actor=actor, actor_role=actor_role,
            details={"role": role}, keep_beheerder=keep_beheerder)


def deactivate_user(engine: Engine, username: str, *, actor: str, actor_role: str = "") -> None:
    """Deactivate the user: no login, no OIDC mapping; the row stays for the audit trail."""
    _change(engine, username, {"active": False}, action="user.deactivate", actor=actor,
            actor_role=actor_role, details={})


def activate_user(engine: Engine, username: str, *, actor: str, actor_role: str = "") -> None:
    """Re-activate a deactivated user (audited)."""
    _change(engine, username, {"active": True}, action="user.activate", actor=actor,
            actor_role=actor_role, details={})


def list_users(engine: Engine) -> pd.DataFrame:
    """Return all users (username, display name, role, active, local password yes/no, created); no hashes."""
    df = user_rows.list_frame(engine)
    if not df.empty:
        df["created_at"] = pd.to_datetime(df["created_at"]).dt.tz_localize("UTC")
        df["active"] = df["active"].astype(bool)
        df["local_password"] = df["local_password"].astype(bool)
    return df


def session_user(engine: Engine, user: Mapping[str, Any]) -> dict[str, Any] | None:
    """Return a signed-in session's user as its row says now, or None when it may no longer be in.

    A page calls this on every run, so deactivating an account (or changing its role) takes
    effect in sessions that are already open, not only at the next login. The demo user has no
    row and is returned as is. One read by the unique username.
    """
    if user.get("auth") == AUTH_DEMO:
        return dict(user)
    row = user_rows.get(engine, normalize_username(str(user.get("username", ""))))
    if row is None or not row.active:
        return None
    return {**user, "role": row.role, "display_name": row.display_name}


# --- login ----------------------------------------------------------------------------------
def authenticate(engine: Engine, username: str, password: str) -> dict[str, Any] | None:
    """Return the user for a correct username/password of an active account, else None.

    Every attempt is audited (`auth.login`, outcome ok/denied). The caller shows
    `LOGIN_FAILED` for every failure: it does not reveal whether the account exists.
    """
    _dummy_hash()  # made before the first check of either kind, so the first attempt reveals nothing either
    name = normalize_username(username)[:200]
    row, failures = (user_rows.login_state(engine, name, store.now_utc() - timedelta(minutes=LOCKOUT_MINUTES))
                     if name else (None, 0))
    locked = failures >= LOCKOUT_ATTEMPTS
    if row is None or not row.active:
        verify_password(str(password or ""), None)  # same cost as a real check
        code = "unknown_user" if row is None else "inactive"
    else:
        ok = verify_password(str(password or ""), row.password_hash)
        code = "locked_out" if locked else ("" if ok else "bad_password")
    if code:
        store.audit(engine, actor=name or "(leeg)", action="auth.login", outcome="denied",
                    reason="login failed", details={"method": AUTH_LOCAL, "code": code})
        return None
    store.audit(engine, actor=row.username, role=row.role, action="auth.login",
                details={"method": AUTH_LOCAL})
    return _user_dict(row)


@dataclass(frozen=True)
class OidcParams:
    """How OIDC claims map to Luisterpost users.

    Attributes:
        role_map: (claim value, role) pairs: values in the `roles`/`groups` claim that mean a role.
        trust_claim_roles: False (default): the user register decides; an identity needs an active
            row, and when the claims carry mapped roles, the row's role must be among them.
            True: the identity provider decides; exactly one mapped role is needed, a missing
            row is created (without password) and a different role is updated, both audited.

    """

    role_map: tuple[tuple[str, str], ...] = (
        ("luisterpost-analist", ANALIST), ("luisterpost-copi", COPI),
        ("luisterpost-beheerder", BEHEERDER),
        (ANALIST, ANALIST), (COPI, COPI), (BEHEERDER, BEHEERDER),
    )
    trust_claim_roles: bool = False


DEFAULT_OIDC = OidcParams()


def oidc_identity(claims: Mapping[str, Any]) -> str:
    """Return the username an OIDC identity maps to: verified `email`, else `preferred_username`."""
    email = claims.get("email")
    if email and claims.get("email_verified", True) is not False:
        return normalize_username(email)
    return normalize_username(claims.get("preferred_username") or "")


def claim_roles(claims: Mapping[str, Any], params: OidcParams = DEFAULT_OIDC) -> set[str]:
    """Return the Luisterpost roles named in the `roles` and `groups` claims."""
    mapping = {k.casefold(): v for k, v in params.role_map}
    values: list[str] = []
    for key in ("roles", "groups"):
        value = claims.get(key)
        if isinstance(value, str):
            values.append(value)
        elif isinstance(value, list | tuple | set):
            values.extend(str(v) for v in value)
    return {mapping[v.strip().lstrip("/").casefold()] for v in values
            if v.strip().lstrip("/").casefold() in mapping}


def user_from_oidc(engine: Engine, claims: Mapping[str, Any], params: OidcParams = DEFAULT_OIDC, *,
                   record: bool = True) -> dict[str, Any] | None:
    """Return the user an OIDC identity maps to, or None (no role, no access).

    Call once per session: with `record` every call writes an audit entry.
    """
    name = oidc_identity(claims)[:200]
    roles = claim_roles(claims, params)

    def deny(code: str) -> None:
        store.audit(engine, actor=name or "(geen identiteit)", action="auth.login", outcome="denied",
                    reason="no access", details={"method": AUTH_OIDC, "code": code})

    if not name:
        deny("no_identity")
        return None
    user = get_user(engine, name)
    if params.trust_claim_roles:
        if len(roles) != 1:
            deny("no_single_role")
            return None
        (role,) = roles
        if user is None:
            try:
                create_user(engine, name, role, None, str(claims.get("name") or "")[:200], actor="oidc")
            except UserError:  # e.g. a preferred_username with spaces
                deny("invalid_identity")
                return None
            user = get_user(engine, name)
        elif not user["active"]:
            deny("inactive")
            return None
        elif user["role"] != role:
            set_role(engine, name, role, actor="oidc", keep_beheerder=False)
            user = get_user(engine, name)
    else:
        if user is None:
            deny("unknown_identity")
            return None
        if not user["active"]:
            deny("inactive")
            return None
        if roles and user["role"] not in roles:
            deny("role_mismatch")
            return None
    assert user is not None
    user["auth"] = AUTH_OIDC
    if record:
        store.audit(engine, actor=user["username"], role=user["role"], action="auth.login",
                    details={"method": AUTH_OIDC})
    return user


# --- login mode ----------------------------------------------------------------------------
def is_local_address(server_address: str) -> bool:
    """Return True when the server only listens on a loopback address (127.0.0.0/8, ::1, localhost)."""
    addr = str(server_address or "").strip().strip("[]").casefold()
    if not addr:
        return False  # Streamlit's default "" listens on every interface
    if addr in LOCAL_HOSTNAMES:
        return True
    try:
        return ipaddress.ip_address(addr).is_loopback
    except ValueError:
        return False


def demo_allowed(server_address: str, incident: Mapping[str, Any] | None) -> bool:
    """Return True when a visitor may see `incident` without login: loopback server AND the demo incident."""
    return bool(incident) and bool(incident.get("is_demo")) and is_local_address(server_address)


def auth_mode(secrets_has_auth: bool, n_users: int, server_address: str, env: Mapping[str, str]) -> str:
    """Return the login mode: "oidc", "local", "demo" or "locked" (nobody can log in yet).

    `env[LUISTERPOST_AUTH]` may force "oidc" (needs an `[auth]` section), "local" or
    "demo" (only on a loopback address). Without it: oidc when secrets have `[auth]`,
    local when any user exists, demo on a loopback address, otherwise locked.
    Demo mode still shows only the demo incident (`demo_allowed`).
    """
    forced = str(env.get(AUTH_ENV, "") or "").strip().casefold()
    if forced and forced not in (AUTH_OIDC, AUTH_LOCAL, AUTH_DEMO):
        raise ValueError(f"{AUTH_ENV}={forced!r} onbekend / unknown; kies / choose oidc, local, demo")
    if forced == AUTH_OIDC and not secrets_has_auth:
        raise ValueError(f"{AUTH_ENV}=oidc vraagt een [auth]-sectie in .streamlit/secrets.toml / "
                         "needs an [auth] section in .streamlit/secrets.toml")
    if forced == AUTH_DEMO and not is_local_address(server_address):
        raise ValueError(f"{AUTH_ENV}=demo kan alleen op 127.0.0.1/localhost/::1 / "
                         "demo mode only on a loopback server address")
    if forced:
        return forced
    if secrets_has_auth:
        return AUTH_OIDC
    if n_users > 0:
        return AUTH_LOCAL
    if is_local_address(server_address):
        return AUTH_DEMO
    return AUTH_LOCKED


def demo_user(role: str = ANALIST) -> dict[str, Any]:
    """Return the pseudo-user of demo mode (no database row; only valid for the demo incident).

    Only the roles in `DEMO_ROLES`: a demo visitor can never be a beheerder.
    """
    if role not in DEMO_ROLES:
        raise UserError(f"rol {role!r} bestaat niet in de demo / role not available in demo mode; "
                        f"kies / choose: {', '.join(DEMO_ROLES)}")
    return {"id": 0, "username": DEMO_USERNAME, "display_name": "Demo", "role": role, "active": True,
            "auth": AUTH_DEMO}


# --- command line -----------------------------------------------------------------------------
def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in the environment or password database
        return ""


def cli_actor() -> str:
    """Return the audit actor for a command run from a shell: "cli:<operating-system user>"."""
    name = _os_user()
    return f"cli:{name}" if name else "cli"


def cli_user(engine: Engine) -> dict[str, Any]:
    """Return the user a shell command acts as, for `policy.require` (auth "cli").

    The actor is `cli_actor()` ("cli:<OS user>"). The role is that of the account whose username
    equals the operating-system user name, when that account is active (create one without a
    password for a service account that must not sign in to the web, e.g.
    `python -m pipeline user add beheer --role beheerder`). Only while there is no active
    account at all (a fresh installation, before the first `user add`) the operator of the
    installation acts as beheerder. Otherwise - no such account, or a deactivated one - the
    user has no role and every governed action is refused (and audited as denied). This keeps
    the role model and the audit trail the same on the command line; it is no barrier against
    someone who can read the database file.
    """
    name = normalize_username(_os_user())
    row = user_rows.get(engine, name) if name else None
    if row is not None:
        role = row.role if row.active else ""  # a deactivated account stays refused
    elif count_users(engine) == 0:
        role = BEHEERDER
    else:
        role = ""
    return {"id": int(row.id) if row is not None else 0, "username": cli_actor(), "display_name": "",
            "role": role, "active": bool(role), "auth": AUTH_CLI}



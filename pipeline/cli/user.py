"""Command line: `python -m pipeline user add|list|deactivate|activate|role|passwd`: manage local accounts."""

from __future__ import annotations

import argparse
import sys

from pipeline.cli import refused
from pipeline.governance.auth import (
    ROLES,
    UserError,
    activate_user,
    cli_user,
    create_user,
    deactivate_user,
    list_users,
    normalize_username,
    set_password,
    set_role,
)
from pipeline.governance.policy import PermissionDenied, require
from pipeline.storage import store


def _read_password(args: argparse.Namespace) -> str | None:
    if not getattr(args, "password_stdin", False):
        return None
    return sys.stdin.readline().rstrip("\r\n")


def main(argv: list[str] | None = None) -> int:
    """`python -m pipeline user add|list|deactivate|activate|role|passwd`: manage local accounts."""
    parser = argparse.ArgumentParser(
        prog="python -m pipeline user",
        description="Beheer gebruikers en rollen (analist, copi, beheerder). Wachtwoorden alleen via "
                    "stdin, nooit als argument. / Manage users and roles; passwords via stdin only.")
    sub = parser.add_subparsers(dest="action", required=True)
    add = sub.add_parser("add", help="voeg een gebruiker toe / add a user")
    add.add_argument("name", help="gebruikersnaam (hoofdletterongevoelig) / username (case-insensitive)")
    add.add_argument("--role", required=True, choices=ROLES, help="rol / role")
    add.add_argument("--display-name", default="", help="weergavenaam / display name")
    add.add_argument("--password-stdin", action="store_true",
                     help="lees het wachtwoord (min. 12 tekens) van stdin; zonder: alleen OIDC-login / "
                          "read the password from stdin; without it the user can only log in via OIDC")
    sub.add_parser("list", help="toon gebruikers (zonder hashes) / list users (no hashes)")
    for verb, text in (("deactivate", "zet een gebruiker uit / deactivate a user"),
                       ("activate", "zet een gebruiker weer aan / re-activate a user")):
        p = sub.add_parser(verb, help=text)
        p.add_argument("name", help="gebruikersnaam / username")
    role = sub.add_parser("role", help="wijzig de rol / change the role")
    role.add_argument("name", help="gebruikersnaam / username")
    role.add_argument("--role", required=True, choices=ROLES, help="nieuwe rol / new role")
    passwd = sub.add_parser("passwd", help="zet een nieuw wachtwoord / set a new password")
    passwd.add_argument("name", help="gebruikersnaam / username")
    passwd.add_argument("--password-stdin", action="store_true", required=True,
                        help="lees het nieuwe wachtwoord van stdin / read the new password from stdin")
    args = parser.parse_args(argv)
    engine = store.get_engine()
    # Acts as the account named like the OS user (auth.cli_user); on a fresh installation without any
    # account the operator is beheerder, so the first `user add` works. Never a free-text actor.
    user = cli_user(engine)
    try:
        require(engine, user, "user.manage")
    except PermissionDenied as exc:
        print(refused(exc), file=sys.stderr)
        return 2
    actor = user["username"]
    try:
        if args.action == "add":
            create_user(engine, args.name, args.role, _read_password(args), args.display_name,
                        actor=actor, actor_role="cli")
            print(f"Gebruiker {normalize_username(args.name)} aangemaakt met rol {args.role}.")
        elif args.action == "list":
            users = list_users(engine)
            print(users.to_string(index=False) if not users.empty else "Geen gebruikers / no users.")
        elif args.action == "deactivate":
            deactivate_user(engine, args.name, actor=actor, actor_role="cli")
            print(f"Gebruiker {normalize_username(args.name)} uitgezet / deactivated.")
        elif args.action == "activate":
            activate_user(engine, args.name, actor=actor, actor_role="cli")
            print(f"Gebruiker {normalize_username(args.name)} aangezet / activated.")
        elif args.action == "role":
            set_role(engine, args.name, args.role, actor=actor, actor_role="cli")
            print(f"Gebruiker {normalize_username(args.name)} heeft nu rol {args.role}.")
        else:
            set_password(engine, args.name, _read_password(args) or "", actor=actor, actor_role="cli")
            print(f"Wachtwoord van {normalize_username(args.name)} gewijzigd / password changed.")
    except UserError as exc:
        print(f"Fout / error: {exc}", file=sys.stderr)
        return 2
    return 0

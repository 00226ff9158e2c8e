"""`python -m pipeline summary write|approve|reject|list`: the public summary afterwards (four eyes)."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from sqlalchemy import Engine

from pipeline.governance import auth
from pipeline.governance import policy as governance
from pipeline.governance.publish import decide_summary, list_summaries, write_summary
from pipeline.storage import store


def _cli_user(engine: Engine, username: str, password_stdin: bool) -> dict[str, Any] | None:
    pass

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Wachtwoord / password: ")
    return auth.authenticate(engine, username, password)


def main(argv: list[str] | None = None) -> int:
    """`python -m pipeline summary write|approve|reject|list`: the public summary afterwards (four eyes)."""
    parser = argparse.ArgumentParser(
        prog="python -m pipeline summary",
        description="Publieke samenvatting achteraf ('door deze tool konden we ...'): schrijven, en door een "
                    "tweede persoon laten goedkeuren. / Public summary afterwards: write, and have a second "
                    "person approve it.")
    sub = parser.add_subparsers(dest="command", required=True)
    w = sub.add_parser("write", help="schrijf een samenvatting (beheerder) / write a summary")
    w.add_argument("--incident", required=True, help="naam of id / name or id")
    w.add_argument("--learned", required=True, help="wat we leerden / what we learned")
    w.add_argument("--changed", default="", help="wat we veranderden / what we changed")
    w.add_argument("--learned-en", default="", help="English version of --learned (optional)")
    w.add_argument("--changed-en", default="", help="English version of --changed (optional)")
    for name in ("approve", "reject"):
        p = sub.add_parser(name, help=f"{name} een samenvatting (tweede persoon) / {name} (second person)")
        p.add_argument("id", type=int, help="id van de samenvatting / summary id")
        p.add_argument("--note", default="", help="toelichting / note")
    sub.add_parser("list", help="toon de samenvattingen / list summaries")
    for p in (w, sub.choices["approve"], sub.choices["reject"]):
        p.add_argument("--as", dest="username", required=True, help="uw gebruikersnaam / your username")
        p.add_argument("--password-stdin", action="store_true", help="lees het wachtwoord van stdin")
    args = parser.parse_args(argv)
    engine = store.get_engine()
    if args.command == "list":
        df = list_summaries(engine)
        cols = ["id", "incident_id", "status", "created_at", "published_at", "learned"]
        print(df[cols].to_string(index=False) if not df.empty else "Geen samenvattingen / no summaries.")
        return 0
    user = _cli_user(engine, args.username, args.password_stdin)
    if user is None:
        print("Inloggen mislukt / login failed", file=sys.stderr)
        return 2
    try:
        if args.command == "write":
            ref = int(args.incident) if args.incident.isdigit() else args.incident
            incident = store.get_incident(engine, ref)
            if incident is None:
                raise ValueError(f"onbekend incident / unknown incident {args.incident}")
            sid = write_summary(engine, user, incident["id"], args.learned, args.changed, args.learned_en,
                                args.changed_en)
            print(f"Samenvatting {sid} wacht op goedkeuring door een tweede persoon / "
                  "awaits a second person.")
        else:
            status = decide_summary(engine, user, args.id, args.command == "approve", args.note)
            print(f"Samenvatting {args.id}: {status}")
    except (ValueError, governance.PermissionDenied, governance.ApprovalError) as exc:
        print(f"Fout / error: {exc}", file=sys.stderr)
        return 2
    return 0

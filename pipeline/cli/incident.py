"""Command line: `python -m pipeline incident create|list|close`: manage purpose-bound incidents."""

from __future__ import annotations

import argparse
import sys

import pandas as pd

from pipeline.governance import actions
from pipeline.governance.auth import cli_user
from pipeline.governance.policy import PermissionDenied
from pipeline.schema import TIME_ZONE
from pipeline.storage import store


def _parse_time(value: str) -> pd.Timestamp:
    ts = pd.Timestamp(value)
    if ts.tzinfo is None:
        ts = ts.tz_localize(TIME_ZONE, nonexistent="raise", ambiguous="raise")
    return ts


def main(argv: list[str] | None = None) -> int:
    """`python -m pipeline incident create|list|close`: manage purpose-bound incidents."""
    parser = argparse.ArgumentParser(
        prog="python -m pipeline incident",
        description="Beheer incidenten (doelbinding: doel, grondslag, verantwoordelijke). Aanmaken en "
                    "sluiten vragen de rol beheerder: de opdracht handelt als cli:<OS-gebruiker> met de rol "
                    "van het account met die naam. / Manage purpose-bound incidents; create and close need "
                    "the beheerder role (the command acts as cli:<OS user> with the role of that account).")
    sub = parser.add_subparsers(dest="action", required=True)
    create = sub.add_parser("create", help="open a new incident")
    create.add_argument("--name", required=True, help="unique incident name")
    create.add_argument("--purpose", required=True, help="doel van de monitoring / purpose")
    create.add_argument("--legal-basis", required=True, help="wettelijke grondslag / legal basis")
    create.add_argument("--officer", required=True, help="verantwoordelijke functionaris / officer")
    create.add_argument("--start", required=True, help="start time (ISO; local time if no offset)")
    create.add_argument("--end", help="planned end of monitoring (ISO)")
    create.add_argument("--description", default="",
                        help="description used for relevance (this or --keywords is required)")
    create.add_argument("--keywords", default="",
                        help="comma-separated keywords (this or --description is required)")
    create.add_argument("--retention-days", type=int, default=90, help="bewaartermijn in dagen")
    sub.add_parser("list", help="list incidents")
    close = sub.add_parser("close", help="close an incident: no new data; retention starts")
    close.add_argument("--name", required=True, help="incident name")
    args = parser.parse_args(argv)
    engine = store.get_engine()
    if args.action == "create":
        try:
            incident_id = actions.create_incident(
                engine, cli_user(engine), name=args.name, purpose=args.purpose, legal_basis=args.legal_basis,
                responsible_officer=args.officer, start_at=_parse_time(args.start).to_pydatetime(),
                end_at=_parse_time(args.end).to_pydatetime() if args.end else None,
                description=args.description,
                keywords=[k.strip() for k in args.keywords.split(",") if k.strip()],
                retention_days=args.retention_days)
        except (ValueError, Exception) as exc:  # noqa: BLE001 - shown to the user
            print(f"Fout / error: {exc}", file=sys.stderr)
            return 2
        print(f"Incident {incident_id} aangemaakt: {args.name}")
    elif args.action == "list":
        table = store.list_incidents(engine)
        if table.empty:
            print("Geen incidenten / no incidents.")
        else:
            print(table[["id", "name", "start_at", "closed_at", "retention_days", "n_messages"]]
                  .to_string(index=False))
    else:
        try:
            incident = actions.close_incident(engine, cli_user(engine), args.name)
        except (ValueError, PermissionDenied) as exc:
            print(f"Fout / error: {exc}", file=sys.stderr)
            return 2
        print(f"Incident {args.name} gesloten; bewaartermijn {incident['retention_days']} dagen.")
    return 0

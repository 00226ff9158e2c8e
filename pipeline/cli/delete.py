"""Command line: `python -m pipeline delete --incident NAME (--source-id ID | --url URL) --reason TEXT`."""

from __future__ import annotations

import argparse
import sys

from pipeline.governance.retention import delete_messages


def main(argv: list[str] | None = None) -> int:
    """`python -m pipeline delete --incident NAME (--source-id ID | --url URL) --reason TEXT`."""
    parser = argparse.ArgumentParser(
        prog="python -m pipeline delete",
        description="Verwijder een bericht op verzoek (AVG), vastgelegd in het auditlog. / Delete a "
                    "message on request (GDPR), recorded in the audit log.")
    parser.add_argument("--incident", required=True, help="naam (of id) van het incident / incident name")
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--source-id", help="bericht-id van de bron / the source message id")
    which.add_argument("--url", help="URL van het bericht (x.com, facebook, reddit, ...) / message URL")
    parser.add_argument("--reason", required=True, help="reden van verwijdering (auditlog) / reason")
    parser.add_argument("--actor", default="cli", help="wie verwijdert (auditlog) / who deletes")
    args = parser.parse_args(argv)
    try:
        n = delete_messages(None, args.incident, source_id=args.source_id, url=args.url,
                            actor=args.actor, reason=args.reason)
    except ValueError as exc:
        print(f"Fout / Error: {exc}", file=sys.stderr)
        return 2
    print(f"{n} bericht(en) verwijderd / {n} message(s) deleted")
    return 0 if n else 1

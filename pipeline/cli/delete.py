"""Command line: `python -m pipeline delete --incident NAME (--source-id ID | --url URL) --reason TEXT`."""

from __future__ import annotations

import argparse
import sys

from pipeline.cli import refused
from pipeline.governance import actions
from pipeline.governance.auth import cli_user
from pipeline.governance.policy import PermissionDenied
from pipeline.storage import store


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
    args = parser.parse_args(argv)
    engine = store.get_engine()
    try:  # acts as the account named like the OS user (auth.cli_user), which needs message.delete
        n = actions.delete_message(engine, cli_user(engine), args.incident, source_id=args.source_id,
                                   url=args.url, reason=args.reason)
    except PermissionDenied as exc:
        print(refused(exc), file=sys.stderr)
        return 2
    except ValueError as exc:
        print(f"Fout / Error: {exc}", file=sys.stderr)
        return 2
    print(f"{n} bericht(en) verwijderd / {n} message(s) deleted")
    return 0 if n else 1

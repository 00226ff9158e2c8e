"""`python -m pipeline accountability --year YYYY [--out FILE.md|.html|.pdf]`: the yearly report."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipeline.cli import refused
from pipeline.governance.accountability import (
    ACCURACY_FILE,
    accountability_report,
    render_markdown,
    write_report,
)
from pipeline.governance.auth import cli_actor, cli_user
from pipeline.governance.policy import PermissionDenied, require
from pipeline.storage import store


# --- command line ---------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    """`python -m pipeline accountability --year YYYY [--out FILE.md|.html|.pdf]`: the yearly report."""
    parser = argparse.ArgumentParser(
        prog="python -m pipeline accountability",
        description="Maak de jaarverantwoording van de monitoring (voor het jaarverslag). "
                    "/ Produce the yearly accountability report (for the annual report).")
    parser.add_argument("--year", type=int, required=True, help="kalenderjaar / calendar year, e.g. 2026")
    parser.add_argument("--out", help="uitvoerbestand .md, .html of .pdf; zonder: Markdown naar stdout "
                                      "/ output file .md, .html or .pdf; without: Markdown to stdout")
    parser.add_argument("--lang", choices=("nl", "en"), default="nl", help="taal / language (default nl)")
    parser.add_argument("--internal", action="store_true",
                        help="voeg de interne bijlage per medewerker toe (niet publiceren) "
                             "/ add the internal per-staff appendix (do not publish)")
    parser.add_argument("--accuracy", default=str(ACCURACY_FILE),
                        help="pad naar accuracy.json / path to accuracy.json (default data/accuracy.json)")
    args = parser.parse_args(argv)
    engine = store.get_engine()
    try:  # the internal appendix names staff: the account named like the OS user needs the right
        require(engine, cli_user(engine), "report.accountability")
    except PermissionDenied as exc:
        print(refused(exc), file=sys.stderr)
        return 2
    report = accountability_report(engine, args.year, include_users=args.internal,
                                   accuracy_path=args.accuracy)
    try:
        if args.out:
            write_report(report, args.out, args.lang)
        else:
            sys.stdout.write(render_markdown(report, args.lang))
    except (RuntimeError, ValueError) as exc:
        print(f"Fout / error: {exc}", file=sys.stderr)
        return 2
    store.audit(engine, actor=cli_actor(), role="cli", action="report.accountability",
                obj=f"year:{args.year}", details={"out": Path(args.out).suffix if args.out else "stdout",
                                                  "internal": args.internal})
    if args.out:
        print(f"Jaarverantwoording {args.year} geschreven naar / written to {args.out}", file=sys.stderr)
    if not report["audit"]["intact"]:
        print("LET OP / WARNING: auditlog niet intact / audit log not intact", file=sys.stderr)
        return 1
    return 0

"""Command line: `python -m pipeline audit verify|show`: check the hash chain or print recent entries."""

from __future__ import annotations

import argparse

from pipeline.storage import store


def main(argv: list[str] | None = None) -> int:
    """`python -m pipeline audit verify|show`: check the hash chain or print recent entries."""
    parser = argparse.ArgumentParser(
        prog="python -m pipeline audit",
        description="Controleer de hash-keten van het auditlog of toon recente regels. "
                    "/ Verify the audit log's hash chain or show recent entries.")
    sub = parser.add_subparsers(dest="action", required=True)
    sub.add_parser("verify", help="exit 1 when any entry was changed or removed")
    show = sub.add_parser("show", help="print the most recent entries")
    show.add_argument("--limit", type=int, default=20, help="number of entries")
    args = parser.parse_args(argv)
    engine = store.get_engine()
    if args.action == "verify":
        problems = store.verify_audit(engine)
        if problems:
            print("Auditlog is aangetast / audit log was tampered with:")
            for problem in problems:
                print(f"  - {problem}")
            return 1
        print("Auditlog intact.")
        return 0
    log = store.load_audit(engine, limit=args.limit)
    print(log.to_string(index=False) if not log.empty else "Leeg / empty.")
    return 0

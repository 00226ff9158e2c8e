"""Command line: `python -m pipeline purge [--now ISO] [--dry-run]`: purge every expired incident."""

from __future__ import annotations

import argparse
import sys

import pandas as pd

from pipeline.governance.auth import cli_actor
from pipeline.governance.retention import BLOCKED, purge_complete, purge_expired
from pipeline.storage import store
from pipeline.storage.retention import CHECKPOINT_WAIT_SECONDS, scrub_sqlite_files


# --- CLIs -------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    """`python -m pipeline purge [--now ISO] [--dry-run]`: purge every expired incident."""
    parser = argparse.ArgumentParser(
        prog="python -m pipeline purge",
        description="Verwijder berichten van incidenten waarvan de bewaartermijn verstreken is; "
                    "uurtotalen blijven. / Delete the messages of incidents past their retention "
                    "period; hourly totals remain.")
    parser.add_argument("--now", help="doe alsof het nu dit tijdstip is (ISO 8601, UTC als er geen zone "
                                      "staat) / pretend it is this time now")
    parser.add_argument("--dry-run", action="store_true",
                        help="toon alleen wat verwijderd zou worden / only show what would be purged")
    parser.add_argument("--wait", type=float, default=CHECKPOINT_WAIT_SECONDS,
                        help="seconden wachten op lezers voor het opschonen van de bestanden / seconds to "
                             "wait for readers before cleaning the files")
    args = parser.parse_args(argv)
    now = None
    if args.now:
        try:
            ts = pd.Timestamp(args.now)
        except ValueError:
            print(f"Fout / Error: --now '{args.now}' is geen geldige tijd / not a valid time",
                  file=sys.stderr)
            return 2
        now = (ts.tz_localize("UTC") if ts.tzinfo is None else ts).to_pydatetime()
    engine = store.get_engine()
    # No role check: a scheduled purge must never stop because an account is missing; the audit
    # log names the operating-system user that ran it (never a free-text name).
    summaries = purge_expired(engine, now=now, actor=cli_actor(), dry_run=args.dry_run,
                              wait_seconds=args.wait)
    if not summaries:
        print("Geen verlopen incidenten / no expired incidents.")
        # finish the file cleaning of an earlier purge that a reader blocked
        if not args.dry_run and not scrub_sqlite_files(engine, wait_seconds=args.wait):
            print(BLOCKED, file=sys.stderr)
            return 3
    failed = False
    for s in summaries:
        if args.dry_run:
            print(f"zou opschonen / would purge: {s['name']} (verlopen / expired {s['expired_at']})")
        elif purge_complete(s):
            print(f"opgeschoond / purged: {s['name']}: {s['messages_deleted']} berichten verwijderd, "
                  f"{s['aggregate_rows']} uurtotalen bewaard")
        else:
            failed = True
            print(f"NIET volledig opgeschoond / NOT completely purged: {s['name']}: "
                  f"{s['messages_deleted']} berichten uit de tabel verwijderd, maar "
                  f"{s['texts_left']} gecontroleerde teksten staan nog in de databasebestanden / "
                  f"deleted from the table, but {s['texts_left']} checked texts are still in the "
                  "database files", file=sys.stderr)
    if failed:
        print(BLOCKED, file=sys.stderr)
        return 3
    return 0

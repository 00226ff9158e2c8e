"""Command line: `python -m pipeline ingest FILE --incident NAME`: import a file whole or not at all."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipeline.governance.auth import cli_actor
from pipeline.ingest.load import FORMATS, IngestError, Progress, ingest_file, parse_map, summary_line
from pipeline.schema import TIME_ZONE
from pipeline.storage.keys import KeyFileError


def _stderr_progress() -> Progress:
    last = [-1]

    def show(done: int, total: int) -> None:
        pct = int(100 * done / total) if total else 100
        if pct != last[0]:
            last[0] = pct
            phase = "opslaan" if total and done > total / 2 else "inlezen"
            print(f"voortgang {pct}% ({phase})", file=sys.stderr, flush=True)

    return show


def main(argv: list[str] | None = None) -> int:
    """`python -m pipeline ingest FILE --incident NAME`: import an export file whole or not at all."""
    parser = argparse.ArgumentParser(
        prog="python -m pipeline ingest",
        description="Importeer een exportbestand (CSV/TSV/JSON/NDJSON/XLSX) in een incident: alles of "
                    "niets, dubbele berichten worden overgeslagen. / Import an export file into an "
                    "incident: all or nothing; messages already stored are skipped.")
    parser.add_argument("file", type=Path, help="het exportbestand / the export file")
    parser.add_argument("--incident", required=True,
                        help="naam (of id) van het incident / incident name or id")
    parser.add_argument("--map", action="append", default=[], metavar="KOLOM=VELD",
                        help="koppel een kolom aan een veld (text, created_at, date, time, author, "
                             "platform, url, id, type, is_reply, is_repost); herhaalbaar / map a column "
                             "to a field; repeatable")
    parser.add_argument("--format", choices=FORMATS, default=None,
                        help="bestandsformaat; standaard herkend aan extensie en inhoud / file format; "
                             "detected by default")
    parser.add_argument("--tz", default=TIME_ZONE,
                        help="tijdzone voor tijden zonder zone (standaard Europe/Amsterdam) / time zone "
                             "for times without an offset")
    parser.add_argument("--quiet", action="store_true", help="geen voortgang tonen / no progress output")
    args = parser.parse_args(argv)
    try:
        mapping = parse_map(args.map) or None
        result = ingest_file(args.file, args.incident, mapping=mapping, actor=cli_actor(), fmt=args.format,
                             tz=args.tz, progress=None if args.quiet else _stderr_progress())
    except IngestError as exc:
        print(f"Fout / Error: {exc}", file=sys.stderr)
        return 2
    except KeyFileError as exc:
        print(f"Fout / Error: {exc}", file=sys.stderr)
        return 1
    print(summary_line(result))
    return 0

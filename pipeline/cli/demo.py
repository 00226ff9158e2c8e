"""Command line: `python -m pipeline demo`: load the demo incident into the configured store."""

from __future__ import annotations

import argparse

from pipeline.ingest.demo import load_demo
from pipeline.storage import store


def main(argv: list[str] | None = None) -> int:
    """`python -m pipeline demo`: load the demo incident into the configured store."""
    parser = argparse.ArgumentParser(
        prog="python -m pipeline demo",
        description="Laad het synthetische demo-incident in de database (idempotent). "
                    "/ Load the synthetic demo incident into the database (idempotent).")
    parser.parse_args(argv)
    engine = store.get_engine()
    incident_id = load_demo(engine, actor="cli")
    version = store.data_version(engine, incident_id)
    print(f"Demo-incident {incident_id}: {version[0]} berichten, {version[2]} communicatiemomenten.")
    return 0

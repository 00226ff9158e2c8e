"""Load the synthetic demo incident (`data/demo_incident.*`) into the store, idempotently."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from pipeline.config import DATA_DIR
from pipeline.ingest.load import ingest_file
from pipeline.storage import store

DEMO_JSON = DATA_DIR / "demo_incident.json"
DEMO_CSV = DATA_DIR / "demo_incident.csv"


def demo_metadata(path: Path = DEMO_JSON) -> dict:
    """Return the demo incident's metadata (name, purpose, moments, ...)."""
    return json.loads(path.read_text(encoding="utf-8"))


def load_demo(engine=None, *, actor: str = "system", progress=None) -> int:
    """Create the demo incident if needed, import its messages and moments; return its id.

    Safe to call repeatedly: the incident is created once, re-importing adds no
    message twice, and hand-entered moments are only added when absent.
    """
    engine = engine or store.get_engine()
    meta = demo_metadata()
    incident = store.get_incident(engine, meta["name"])
    if incident is None:
        incident_id = store.create_incident(
            engine, name=meta["name"], description=meta.get("description", ""),
            purpose=meta["purpose"], legal_basis=meta["legal_basis"],
            responsible_officer=meta["responsible_officer"],
            start_at=pd.Timestamp(meta["start"]).to_pydatetime(), end_at=None,
            keywords=meta.get("keywords", []), sources=meta.get("sources", []),
            retention_days=int(meta.get("retention_days", 90)), is_demo=True, created_by=actor)
    else:
        incident_id = incident["id"]
    ingest_file(DEMO_CSV, incident_id, engine=engine, actor=actor, progress=progress)
    existing = store.load_moments(engine, incident_id)
    have = set(zip(existing[store.S.MOMENT_CHANNEL], existing[store.S.MOMENT_TEXT], strict=True))
    with engine.begin() as conn:
        for moment in meta.get("moments", []):
            if moment.get("id"):
                continue  # official posts in the CSV became moments during ingest
            key = (moment["channel"], moment["text"])
            if key in have:
                continue
            store.add_moment(conn, incident_id, time=pd.Timestamp(moment["time"]).to_pydatetime(),
                             channel=moment["channel"], text=moment["text"], origin="manual",
                             created_by=actor)
    return incident_id


def ensure_demo(engine=None) -> int | None:
    """Load the demo into an empty store, or repair a demo incident left empty; return its id or None.

    Creating the incident and importing its messages are two transactions: a server killed
    in between (first page load) left the demo incident existing but empty. A demo incident
    without messages is therefore filled on the next start (the import is idempotent).
    """
    engine = engine or store.get_engine()
    incidents = store.list_incidents(engine)
    if incidents.empty:
        return load_demo(engine)
    demo = incidents[incidents["is_demo"].astype(bool) & (incidents["name"] == demo_metadata()["name"])]
    empty = demo[(demo["n_messages"] == 0) & demo["purged_at"].isna()]
    return load_demo(engine) if not empty.empty else None



"""What the pages read: the pages' one door to the stored data (they never import `storage`).

Contract: plain functions over an engine, no caching (the pages wrap them in Streamlit's
caches) and no writing except `open_store`, which loads the demo incident into an empty store.
- `open_store(url)`: the store's engine for `url` (default: the configured one), demo loaded;
- `incidents(engine)`: the incident list with message counts, newest first;
- `incident(engine, id)`: one incident as a dict (None when unknown);
- `moments(engine, id)`: its communication moments in time order;
- `data_version(engine, id)`: the cheap version the pages poll (one primary-key read);
- `analysed(cache, engine, id, version)`: the analysis at that version, by the cache policy of
  `pipeline.analysis.chain.AnalysisCache` (the pages keep one cache per server process).
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine

from pipeline.analysis.chain import AnalysisCache, AnalysisResult
from pipeline.config import get_settings
from pipeline.ingest.demo import ensure_demo
from pipeline.storage import store
from pipeline.storage.store import DataVersion


def open_store(url: str | None = None) -> Engine:
    """Return the engine of the store at `url` (default: settings), the demo loaded into an empty store."""
    engine = store.get_engine(url or get_settings().db_url)
    ensure_demo(engine)
    return engine


def incidents(engine: Engine) -> pd.DataFrame:
    """Return all incidents, newest first, with their message counts."""
    return store.list_incidents(engine)


def incident(engine: Engine, incident_id: int) -> dict | None:
    """Return the incident as a dict, or None."""
    return store.get_incident(engine, incident_id)


def moments(engine: Engine, incident_id: int) -> pd.DataFrame:
    """Return the communication moments of an incident, in time order."""
    return store.load_moments(engine, incident_id)


def data_version(engine: Engine, incident_id: int) -> DataVersion:
    """Return the incident's data version (message count, last id, moment count, version)."""
    return store.data_version(engine, incident_id)


def analysed(cache: AnalysisCache, engine: Engine, incident_id: int,
             version: tuple | None = None) -> AnalysisResult:
    """Return the incident's analysis at `version` (read now when None); never mutate its frame."""
    return cache.get(engine, incident_id, version)

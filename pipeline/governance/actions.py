"""Governed actions: one call per action that checks the permission, writes and audits.

Used by the pages AND the command line, so both paths apply the same rule. Each function:

1. `policy.require(engine, user, <action>, ...)`: raises `policy.PermissionDenied` and writes a
   "denied" audit entry when the user (a page's signed-in user, or `auth.cli_user(engine)` on the
   command line) may not do it;
2. writes, with its "ok" audit entry in the SAME transaction as the write (the storage or stage
   function that owns the write audits it inside its transaction; nothing is written on refusal).

| function | permission | audit action |
|---|---|---|
| `create_incident` / `close_incident` | `incident.manage` | `incident.create` / `incident.close` |
| `add_moment` | `moment.add` | `moment.add` |
| `save_copi_advice` | `copi.advice` | `copi.advice` |
| `correct_label` | `label.correct` | `label.correct` |
| `train_category_model` / `remove_category_model` | `label.correct` | `model.train` / `model.remove` |
| `add_source` / `stop_source` | `incident.manage` | `source.add` / `source.remove` |
| `import_upload` | `page.importeren` (the import screen is the import right) | `ingest` |
| `delete_message` | `message.delete` | `delete` |
| `verify_audit` / `audit_entries` | `audit.view` | (reading; the page view is logged) |

Validation errors (an empty purpose, an unknown channel, a closed incident, a bad source
configuration) raise ValueError (or the stage's own error) with a Dutch/English message.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Engine

from pipeline import schema as S
from pipeline.governance import retention
from pipeline.governance.policy import require
from pipeline.ingest.collect import sources as collect_sources
from pipeline.ingest.load import IngestResult, ingest_file
from pipeline.model import labels
from pipeline.storage import store
from pipeline.views import timeline

User = Mapping[str, Any]
MAX_MOMENT_CHARS = 1000


def _actor(user: User) -> tuple[str, str]:
    return str(user["username"]), str(user.get("role") or "")


def incident_accepts_data(incident: Mapping[str, Any]) -> bool:
    """Return True when the incident is neither closed nor purged (purpose binding; for showing controls)."""
    return store.incident_is_open(dict(incident))


# --- incidents -----------------------------------------------------------------------------------
NEEDS_TOPIC = ("Geef zoekwoorden of een omschrijving van het incident: daarmee bepaalt Luisterpost welke "
               "berichten over dit incident gaan. / Give keywords or a description of the incident: "
               "relevance is judged against them.")


def create_incident(engine: Engine, user: User, *, name: str, purpose: str, legal_basis: str,
                    responsible_officer: str, start_at: datetime, end_at: datetime | None = None,
                    description: str = "", keywords: Iterable[str] = (), retention_days: int = 90) -> int:
    """Open a purpose-bound incident as `user` (`incident.manage`); return its id (audited).

    Keywords or a description are required: relevance weighs every message against them, and
    without either an incident's messages would all be "relevance unknown" (issue 9).
    """
    require(engine, user, "incident.manage")
    store.check_incident_fields(name=name, purpose=purpose, legal_basis=legal_basis,
                                responsible_officer=responsible_officer, retention_days=retention_days)
    keywords = [str(k).strip() for k in keywords if str(k).strip()]
    if not keywords and not str(description or "").strip():
        raise ValueError(NEEDS_TOPIC)
    return store.create_incident(
        engine, name=name, purpose=purpose, legal_basis=legal_basis, responsible_officer=responsible_officer,
        start_at=start_at, end_at=end_at, description=description, keywords=list(keywords),
        retention_days=retention_days, created_by=_actor(user)[0], role=_actor(user)[1])


def set_retention(engine: Engine, user: User, incident: int | str, retention_days: int) -> int:
    """Change an incident's retention period as `user` (`incident.manage`); return the old one (audited)."""
    inc = store.find_incident(engine, incident)
    require(engine, user, "incident.manage", incident_id=inc["id"] if inc else None,
            obj="" if inc else f"incident:{incident}")
    if inc is None:
        raise ValueError(f"Onbekend incident / unknown incident: {incident}; {store.NEXT_STEP}")
    return store.set_retention(engine, int(inc["id"]), retention_days, actor=_actor(user)[0],
                               role=_actor(user)[1])


def close_incident(engine: Engine, user: User, incident: int | str) -> dict[str, Any]:
    """Close an incident as `user` (`incident.manage`): no new data, retention starts; return it (audited)."""
    inc = store.find_incident(engine, incident)
    require(engine, user, "incident.manage", incident_id=inc["id"] if inc else None,
            obj="" if inc else f"incident:{incident}")
    if inc is None:
        raise ValueError(f"Onbekend incident / unknown incident: {incident}; {store.NEXT_STEP}")
    store.close_incident(engine, int(inc["id"]), actor=_actor(user)[0], role=_actor(user)[1])
    return inc


# --- communication moments ---------------------------------------------------------------------------
def add_moment(engine: Engine, user: User, incident_id: int, *, time: pd.Timestamp | datetime, channel: str,
               text: str) -> int:
    """Record a communication moment of the authority as `user` (`moment.add`); return its id.

    The moment and its audit entry (channel and time, never the text) commit together.
    """
    require(engine, user, "moment.add", incident_id=int(incident_id))
    when = pd.Timestamp(time)
    if pd.isna(when) or when.tzinfo is None:
        raise ValueError("tijd ontbreekt of heeft geen tijdzone / time missing or without a time zone")
    if channel not in S.CHANNELS:
        raise ValueError(f"onbekend kanaal / unknown channel {channel!r}; "
                         f"kies / choose: {', '.join(S.CHANNELS)}")
    clean = str(text or "").strip()
    if not clean:
        raise ValueError("tekst is verplicht / text is required")
    if len(clean) > MAX_MOMENT_CHARS:
        raise ValueError(f"hoogstens {MAX_MOMENT_CHARS} tekens / at most {MAX_MOMENT_CHARS} characters")
    actor, role = _actor(user)
    utc = when.tz_convert("UTC")
    with engine.begin() as conn:
        moment_id = store.add_moment(conn, int(incident_id), time=utc, channel=channel, text=clean,
                                     origin="manual", created_by=actor)
        store.write_audit(conn, actor=actor, role=role, action="moment.add", obj=f"moment:{moment_id}",
                          details={"incident_id": int(incident_id), "channel": channel,
                                   "time": utc.isoformat()})
    return int(moment_id)


def save_copi_advice(engine: Engine, user: User, incident_id: int, text: str) -> None:
    """Append `user`'s advice for the CoPI screen of an incident (`copi.advice`; audited)."""
    require(engine, user, "copi.advice", incident_id=int(incident_id))
    timeline.save_advice(engine, int(incident_id), text, author=_actor(user)[0])


# --- labels and the category model ---------------------------------------------------------------------
def correct_label(engine: Engine, user: User, incident_id: int, message_id: int, codes: Iterable[str],
                  predicted: Iterable[str] = ()) -> int:
    """Store `user`'s label set for a message (`label.correct`); return the correction id (audited)."""
    require(engine, user, "label.correct", incident_id=int(incident_id))
    actor, role = _actor(user)
    return labels.save_correction(engine, int(message_id), list(codes), actor=actor, role=role,
                                  incident_id=int(incident_id), predicted=tuple(predicted))


def train_category_model(engine: Engine, user: User, incident_id: int, train: pd.DataFrame, path: Path):
    """Train and activate the category model on the corrections (`label.correct`); return (model, metrics)."""
    require(engine, user, "label.correct", incident_id=int(incident_id))
    actor, role = _actor(user)
    return labels.train_and_save(engine, train, path, actor=actor, role=role, incident_id=int(incident_id))


def remove_category_model(engine: Engine, user: User, incident_id: int, path: Path) -> bool:
    """Go back to the rules only (`label.correct`); return whether a model existed (audited)."""
    require(engine, user, "label.correct", incident_id=int(incident_id))
    actor, role = _actor(user)
    return labels.remove_model(engine, path, actor=actor, role=role)


# --- live sources ----------------------------------------------------------------------------------------
def add_source(engine: Engine, user: User, incident: int | str, kind: str, config: dict[str, Any], *,
               label: str = "") -> int:
    """Add a live source to an open incident as `user` (`incident.manage`); return its id (audited)."""
    inc = store.find_incident(engine, incident)
    require(engine, user, "incident.manage", incident_id=inc["id"] if inc else None,
            obj="" if inc else f"incident:{incident}")
    return collect_sources.add_source(engine, inc["id"] if inc else incident, kind, config,
                                      actor=_actor(user)[0], label=label)


def stop_source(engine: Engine, user: User, source_id: int, *, reason: str = "") -> None:
    """Stop collecting a source as `user` (`incident.manage` for its incident; audited)."""
    source = collect_sources.get_source(engine, int(source_id))
    require(engine, user, "incident.manage", incident_id=source.incident_id if source else None,
            obj="" if source else f"source:{source_id}")
    collect_sources.remove_source(engine, int(source_id), actor=_actor(user)[0], reason=reason)


# --- import ---------------------------------------------------------------------------------------------
def import_upload(engine: Engine, user: User, incident_id: int, data: bytes, filename: str, *,
                  mapping: dict[str, str] | None = None, allow_earlier: bool = False) -> IngestResult:
    """Import an uploaded file whole or not at all as `user` (`page.importeren`); return the result.

    `ingest_file` checks the incident (purpose binding) and audits the import (or its refusal).
    """
    require(engine, user, "page.importeren", incident_id=int(incident_id))
    suffix = Path(filename).suffix or ".csv"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"upload{suffix}"
        path.write_bytes(data)
        return ingest_file(path, int(incident_id), engine=engine, mapping=mapping, actor=_actor(user)[0],
                           allow_earlier=allow_earlier)


# --- audit log ------------------------------------------------------------------------------------------
def delete_message(engine: Engine, user: User, incident: int | str, *, source_id: str | None = None,
                   url: str | None = None, reason: str) -> int:
    """Delete an incident's message on request (AVG) by source id or URL; return how many rows went."""
    inc = store.find_incident(engine, incident)
    require(engine, user, "message.delete", incident_id=inc["id"] if inc else None)
    return retention.delete_messages(engine, incident, source_id=source_id, url=url,
                                     actor=_actor(user)[0], reason=reason, role=_actor(user)[1])


def verify_audit(engine: Engine, user: User) -> list[str]:
    """Return the problems in the audit hash chain (empty: intact) for `user` (`audit.view`)."""
    require(engine, user, "audit.view")
    return store.verify_audit(engine)


def audit_entries(engine: Engine, user: User, limit: int | None = None) -> pd.DataFrame:
    """Return the audit log, newest first (all, or the last `limit`), for `user` (`audit.view`)."""
    require(engine, user, "audit.view")
    return store.load_audit(engine, limit=limit)

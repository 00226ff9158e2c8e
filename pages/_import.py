"""The import action of the Importeren page, callable without a browser (tests).

Contract: `actor_of(user)` is the audit actor for a signed-in user record (its
username, never the record itself); `outside_period(raw, incident)` counts the
messages whose time lies outside the incident's period (start − 1 day … end or
now + 1 day), so the page can ask for confirmation before importing them;
`import_upload(...)` imports the upload whole or not at all as the signed-in user
(`pipeline.governance.actions.import_upload`: permission check, `ingest.ingest_file`, audit).
"""

from __future__ import annotations

import pandas as pd

from pipeline import schema as S
from pipeline.governance import actions

SLACK = pd.Timedelta(days=1)


def actor_of(user: dict | str | None) -> str:
    """Return the audit actor for a user record (username), a plain string or nothing."""
    if isinstance(user, dict):
        return str(user.get("username") or "dashboard")
    return str(user) if user else "dashboard"


def outside_period(raw: pd.DataFrame, incident: dict) -> int:
    """Return how many messages of `raw` fall outside the incident's period (with a day's slack)."""
    if raw.empty or S.CREATED_AT not in raw:
        return 0
    times = pd.to_datetime(raw[S.CREATED_AT], utc=True, errors="coerce")
    start = pd.Timestamp(incident.get("start_at")) if incident.get("start_at") is not None else None
    end = pd.Timestamp(incident.get("end_at")) if incident.get("end_at") is not None else None
    if start is not None and start.tzinfo is None:
        start = start.tz_localize("UTC")
    if end is not None and end.tzinfo is None:
        end = end.tz_localize("UTC")
    end = end if end is not None else pd.Timestamp.now(tz="UTC")
    outside = pd.Series(False, index=times.index)
    if start is not None:
        outside |= times < start - SLACK
    outside |= times > end + SLACK
    return int(outside.fillna(False).sum())


def import_upload(engine, incident_id: int, data: bytes, filename: str, *,
                  mapping: dict[str, str] | None, user: dict, allow_earlier: bool = False):
    """Import an uploaded file whole or not at all as `user` (checked, audited); return the `IngestResult`."""
    return actions.import_upload(engine, user, incident_id, data, filename, mapping=mapping,
                                 allow_earlier=allow_earlier)

"""Releasing a report snapshot outside the team: the four-eyes check, then the release and its audit.

Governance calls views/storage here (not the reverse): `views/report` builds and stores snapshots,
this module decides whether one may leave the team.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from pipeline.governance import policy
from pipeline.storage import snapshots as snapshot_store
from pipeline.views.report import RELEASE_ACTION


def release_snapshot(engine: Engine, user: dict[str, Any], incident_id: int, version: int) -> None:
    """Mark a snapshot released outside the team; needs an approved four-eyes request (audited)."""
    obj = snapshot_store.snapshot_object(incident_id, version)
    policy.require(engine, user, RELEASE_ACTION, obj=obj, incident_id=incident_id)
    snapshot_store.mark_released(engine, incident_id, version, actor=str(user.get("username", "")),
                                 role=str(user.get("role", "")), action=RELEASE_ACTION)

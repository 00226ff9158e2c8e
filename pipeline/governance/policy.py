"""Who may do what: the role x action matrix, four-eyes approvals and purpose binding.

`PERMISSIONS` is the single source of truth (documented in `docs/GOVERNANCE.md`):
pages call `require(engine, user, "page.themas", incident_id=...)` before showing
anything and `log_view(...)` once per (page, incident, window) to record the
view; other actions call `require` before acting and `log_action` (or a store
function that audits itself) after. A denied `require` raises `PermissionDenied`
and writes an audit entry with outcome "denied".

Actions in `NEEDS_APPROVAL` also need an approved four-eyes request for the same
(action, object): `request_approval` by a user allowed to do the action, then
`decide` by *another* user whose role has `approve.<action>`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
from sqlalchemy import Engine

from pipeline.governance.auth import ANALIST, AUTH_DEMO, BEHEERDER, COPI, DEMO_ROLES
from pipeline.storage import approvals as approval_rows
from pipeline.storage import store

# --- the matrix ---------------------------------------------------------------------------------
AGGREGATE_PAGES = frozenset({
    "page.overzicht", "page.nu", "page.trends", "page.effect", "page.representativiteit",
    "page.copi", "page.rapport", "page.nabespreking",
})
# Pages that show individual (scrubbed, pseudonymised) messages or work on them.
MESSAGE_PAGES = frozenset({"page.themas", "page.open_vragen", "page.labelen", "page.importeren"})
# The public transparency page: no sign-in needed, never message-level (pipeline/governance/publish.py).
PUBLIC_PAGES = frozenset({"page.openbaar"})
PAGES = AGGREGATE_PAGES | MESSAGE_PAGES | PUBLIC_PAGES | {"page.beheer"}

NEEDS_APPROVAL = frozenset({"export.raw_text", "report.release", "summary.publish"})

ACTIONS = frozenset(PAGES | {
    "view.examples",  # example messages of themes/questions with >= k distinct authors
    "export.aggregate_csv", "export.report",
    "export.raw_text", "report.release",  # both need four-eyes approval
    "approve.export.raw_text", "approve.report.release",
    "label.correct", "moment.add", "copi.advice",
    "incident.manage", "user.manage", "audit.view", "audit.export", "retention.purge",
    "message.delete", "report.accountability",
    "summary.publish", "approve.summary.publish",  # the public summary after an incident (four eyes)
})

PERMISSIONS: dict[str, frozenset[str]] = {
    ANALIST: frozenset(AGGREGATE_PAGES | MESSAGE_PAGES | PUBLIC_PAGES | {"approve.summary.publish",
        "view.examples", "export.aggregate_csv", "export.report", "export.raw_text",
        "report.release", "approve.export.raw_text", "approve.report.release", "label.correct",
        "moment.add", "copi.advice",
    }),
    COPI: frozenset(PUBLIC_PAGES | {
        "page.overzicht", "page.nu", "page.trends", "page.effect", "page.representativiteit",
        "page.copi", "page.rapport",
    }),
    BEHEERDER: frozenset(AGGREGATE_PAGES | PUBLIC_PAGES | {"summary.publish", "approve.summary.publish",
        "page.beheer", "approve.export.raw_text", "approve.report.release", "copi.advice",
        "incident.manage", "user.manage", "audit.view", "audit.export", "retention.purge",
        "message.delete", "report.accountability",
    }),
}

# Demo mode (no login, loopback only) is read-only and shows only the demo incident: whatever the
# role, a demo user may do nothing outside this set (no Beheer, audit log, accounts, imports,
# labels, moments, advice, releases or text exports). See docs/GOVERNANCE.md "Demo mode".
DEMO_ACTIONS = frozenset(AGGREGATE_PAGES | PUBLIC_PAGES | {
    "page.themas", "page.open_vragen", "view.examples", "export.aggregate_csv", "export.report",
})

# Readable names (nl, en) for screens, the annual report and the governance document.
ACTION_LABELS: dict[str, tuple[str, str]] = {
    "page.overzicht": ("Overzicht", "Overview"),
    "page.nu": ("Nu", "Now"),
    "page.themas": ("Thema's", "Themes"),
    "page.trends": ("Trends", "Trends"),
    "page.effect": ("Effect van communicatie", "Effect of communication"),
    "page.open_vragen": ("Open vragen", "Open questions"),
    "page.representativiteit": ("Representativiteit", "Representativeness"),
    "page.labelen": ("Labelen", "Labelling"),
    "page.importeren": ("Importeren", "Import"),
    "page.copi": ("CoPI-projectie", "CoPI projection"),
    "page.rapport": ("Rapport", "Report"),
    "page.nabespreking": ("Nabespreking", "After-action review"),
    "page.beheer": ("Beheer", "Administration"),
    "page.openbaar": ("Openbaar (publieke pagina)", "Public page"),
    "summary.publish": ("Publieke samenvatting achteraf (vier ogen)",
                        "Public summary afterwards (four eyes)"),
    "approve.summary.publish": ("Publieke samenvatting goedkeuren", "Approve public summary"),
    "view.examples": ("Voorbeeldberichten bekijken", "View example messages"),
    "export.aggregate_csv": ("Export tellingen (CSV)", "Export counts (CSV)"),
    "export.report": ("Export rapport", "Export report"),
    "export.raw_text": ("Export berichtteksten (vier ogen)", "Export message texts (four eyes)"),
    "report.release": ("Rapport vrijgeven (vier ogen)", "Release report (four eyes)"),
    "approve.export.raw_text": ("Tekstexport goedkeuren", "Approve text export"),
    "approve.report.release": ("Vrijgave rapport goedkeuren", "Approve report release"),
    "label.correct": ("Label corrigeren", "Correct a label"),
    "moment.add": ("Communicatiemoment invoeren", "Enter a communication moment"),
    "copi.advice": ("Advies voor de CoPI schrijven", "Write the advice for the CoPI"),
    "incident.manage": ("Incidenten beheren", "Manage incidents"),
    "user.manage": ("Gebruikers beheren", "Manage users"),
    "audit.view": ("Auditlog bekijken", "View audit log"),
    "audit.export": ("Auditlog exporteren", "Export audit log"),
    "retention.purge": ("Opschonen (bewaartermijn)", "Purge (retention)"),
    "message.delete": ("Bericht verwijderen op verzoek", "Delete a message on request"),
    "report.accountability": ("Jaarverantwoording maken", "Produce accountability report"),
}
# what else the audit log records (not permissions of their own)
AUDIT_LABELS: dict[str, tuple[str, str]] = {
    "auth.login": ("Ingelogd", "Signed in"),
    "auth.logout": ("Uitgelogd", "Signed out"),
    "incident.create": ("Incident geopend", "Incident opened"),
    "incident.close": ("Incident gesloten", "Incident closed"),
    "incident.retention": ("Bewaartermijn gewijzigd", "Retention period changed"),
    "ingest": ("Bestand geïmporteerd", "File imported"),
    "collect": ("Live bron opgehaald", "Live source collected"),
    "purge": ("Opgeschoond (bewaartermijn)", "Purged (retention)"),
    "delete": ("Bericht verwijderd op verzoek", "Message deleted on request"),
    "approval.request": ("Goedkeuring gevraagd (vier ogen)", "Approval requested (four eyes)"),
    "approval.decide": ("Goedkeuring beslist (vier ogen)", "Approval decided (four eyes)"),
    "user.create": ("Gebruiker aangemaakt", "User created"),
    "user.activate": ("Gebruiker geactiveerd", "User activated"),
    "user.deactivate": ("Gebruiker gedeactiveerd", "User deactivated"),
    "user.password": ("Wachtwoord gewijzigd", "Password changed"),
    "user.role": ("Rol gewijzigd", "Role changed"),
    "model.train": ("Eigen model getraind", "Own model trained"),
    "model.remove": ("Eigen model verwijderd", "Own model removed"),
    "source.add": ("Live bron toegevoegd", "Live source added"),
    "source.remove": ("Live bron gestopt", "Live source stopped"),
    "summary.write": ("Publieke samenvatting geschreven", "Public summary written"),
    "publish.site": ("Publieke site geschreven", "Public site written"),
    "migrate.pseudonyms": ("Pseudoniemen omgezet", "Pseudonyms migrated"),
}
OUTCOME_LABELS = {"ok": ("gelukt", "done"), "denied": ("geweigerd", "refused"), "error": ("fout", "error"),
                  "rejected": ("afgewezen", "rejected")}


def action_label(action: str, lang: str = "nl") -> str:
    """Return the readable name of an action (the code itself when it has none)."""
    nl, en = ACTION_LABELS.get(action) or AUDIT_LABELS.get(action) or (action, action)
    return en if lang == "en" else nl


def outcome_label(outcome: str, lang: str = "nl") -> str:
    """Return the readable outcome of an audited action (the code itself when unknown)."""
    nl, en = OUTCOME_LABELS.get(outcome, (outcome, outcome))
    return en if lang == "en" else nl


APPROVAL_PENDING = "pending"
APPROVAL_APPROVED = "approved"
APPROVAL_REJECTED = "rejected"


class PermissionDenied(PermissionError):
    """The user's role may not do this (or the four-eyes approval is missing)."""


class ApprovalError(RuntimeError):
    """A four-eyes request that cannot be handled (unknown, already decided)."""


class IncidentNotAcceptingData(ValueError):
    """The incident is unknown, closed or purged: purpose binding forbids new data."""


def _check_action(action: str) -> None:
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}; see governance.ACTIONS")


def can(role: str, action: str, *, demo: bool = False) -> bool:
    """Return True when `role` may do `action` (unknown role: False; unknown action: ValueError).

    `demo=True` (a demo-mode visitor): additionally only the read-only `DEMO_ACTIONS`.
    """
    _check_action(action)
    if demo and action not in DEMO_ACTIONS:
        return False
    return action in PERMISSIONS.get(role, frozenset())


def allowed_actions(role: str) -> frozenset[str]:
    """Return every action `role` may do (empty for an unknown role)."""
    return PERMISSIONS.get(role, frozenset())


# --- checks and audit ---------------------------------------------------------------------------
def _who(user: Mapping[str, Any] | None) -> tuple[str, str]:
    if not user:
        return "(anoniem)", ""
    return str(user.get("username") or "(anoniem)"), str(user.get("role") or "")


def _object(obj: str, incident_id: int | None) -> str:
    return obj or (f"incident:{incident_id}" if incident_id is not None else "")


def _deny(engine: Engine, user: Mapping[str, Any] | None, action: str, obj: str, reason: str,
          incident_id: int | None = None) -> PermissionDenied:
    actor, role = _who(user)
    store.audit(engine, actor=actor, role=role, action=action, obj=obj, outcome="denied", reason=reason,
                details={"incident_id": incident_id} if incident_id is not None else None)
    return PermissionDenied(f"geen toestemming / not permitted: {action} ({reason})")


def require(engine: Engine, user: Mapping[str, Any] | None, action: str, obj: str = "",
            incident_id: int | None = None) -> None:
    """Raise `PermissionDenied` (and audit "denied") unless `user` may do `action` now; log nothing else.

    Denied when: no or inactive user, role lacks the action, a demo user asks for anything
    outside `DEMO_ACTIONS` (or has a role outside `auth.DEMO_ROLES`) or touches a non-demo
    incident, or the action needs four-eyes approval that `obj` does not have.
    """
    _check_action(action)
    obj = _object(obj, incident_id)
    if not user or not user.get("active", False):
        raise _deny(engine, user, action, obj, "no active user", incident_id)
    if not can(str(user.get("role", "")), action):
        raise _deny(engine, user, action, obj, "role not permitted", incident_id)
    if user.get("auth") == AUTH_DEMO:
        if action not in DEMO_ACTIONS or user.get("role") not in DEMO_ROLES:
            raise _deny(engine, user, action, obj, "demo mode is read-only", incident_id)
        incident = store.get_incident(engine, incident_id) if incident_id is not None else None
        if incident_id is not None and not (incident and incident.get("is_demo")):
            raise _deny(engine, user, action, obj, "demo user outside the demo incident", incident_id)
    if action in NEEDS_APPROVAL and not is_approved(engine, action, obj):
        raise _deny(engine, user, action, obj, "four-eyes approval missing", incident_id)


def log_view(engine: Engine, user: Mapping[str, Any], page: str, incident_id: int | None,
             window: Any = None) -> int:
    """Write the page-view audit entry (who, role, page, incident, time window); return its id.

    Streamlit reruns a page on every click: call this once per `view_key(...)` per session.
    """
    if page not in PAGES:
        raise ValueError(f"unknown page action {page!r}; see governance.PAGES")
    actor, role = _who(user)
    return store.audit(engine, actor=actor, role=role, action=page, obj=_object("", incident_id),
                       details={"incident_id": incident_id, "window": _window_text(window),
                                "auth": user.get("auth", "")})


def view_key(page: str, incident_id: int | None, window: Any = None) -> str:
    """Return a key that changes when a view must be logged again (page, incident or window changed)."""
    return f"{page}|{incident_id}|{_window_text(window)}"


def _window_text(window: Any) -> str:
    if window is None:
        return ""
    if isinstance(window, tuple | list):
        return " / ".join(_window_text(w) for w in window)
    if isinstance(window, pd.Timestamp):
        return window.isoformat()
    return str(window)


def log_action(engine: Engine, user: Mapping[str, Any], action: str, obj: str = "",
               incident_id: int | None = None, details: dict[str, Any] | None = None) -> int:
    """Write an "ok" audit entry for an action that no store function audits itself (exports, ...)."""
    _check_action(action)
    actor, role = _who(user)
    extra = dict(details or {})
    if incident_id is not None:
        extra["incident_id"] = incident_id
    return store.audit(engine, actor=actor, role=role, action=action, obj=_object(obj, incident_id),
                       details=extra)


# --- four-eyes -------------------------------------------------------------------------------------
def request_approval(engine: Engine, user: Mapping[str, Any], action: str, obj: str, reason: str,
                     incident_id: int | None = None) -> int:
    """Ask a second person to approve `action` on `obj`; return the approval id (audited)."""
    if action not in NEEDS_APPROVAL:
        raise ValueError(f"{action!r} needs no approval; four-eyes actions: {sorted(NEEDS_APPROVAL)}")
    if not str(obj).strip():
        raise ValueError("object is verplicht / object is required")
    if not str(reason).strip():
        raise ValueError("reden is verplicht / a reason is required")
    actor, role = _who(user)
    if not user or not user.get("active", False) or not can(role, action):
        raise _deny(engine, user, "approval.request", obj, f"may not request {action}", incident_id)
    with engine.begin() as conn:
        approval_id = approval_rows.insert_request(
            conn, action=action, obj=obj, incident_id=incident_id, requested_by=actor,
            reason=reason.strip(), status=APPROVAL_PENDING)
        store.write_audit(conn, actor=actor, role=role, action="approval.request", obj=obj,
                          reason=reason.strip(),
                          details={"approval_id": approval_id, "for": action, "incident_id": incident_id})
    return approval_id


def decide(engine: Engine, approval_id: int, approver: Mapping[str, Any], approve: bool,
           note: str = "") -> str:
    """Approve or reject a pending request as a second person; return the new status (audited).

    Raises:
        ApprovalError: unknown approval or already decided.
        PermissionDenied: self-approval, inactive approver, or a role without `approve.<action>`.

    """
    actor, role = _who(approver)
    row = approval_rows.get(engine, approval_id)
    if row is None:
        store.audit(engine, actor=actor, role=role, action="approval.decide", obj=f"approval:{approval_id}",
                    outcome="denied", reason="unknown approval")
        raise ApprovalError(f"onbekend verzoek / unknown approval {approval_id}")
    obj = f"approval:{approval_id}"
    if row.status != APPROVAL_PENDING:
        store.audit(engine, actor=actor, role=role, action="approval.decide", obj=obj, outcome="denied",
                    reason=f"already {row.status}")
        raise ApprovalError(f"verzoek {approval_id} is al beslist ({row.status}) / already decided")
    if not approver or not approver.get("active", False):
        raise _deny(engine, approver, "approval.decide", obj, "no active user", row.incident_id)
    if actor.casefold() == str(row.requested_by).casefold():
        raise _deny(engine, approver, "approval.decide", obj, "self-approval is not allowed",
                    row.incident_id)
    if not can(role, f"approve.{row.action}"):
        raise _deny(engine, approver, "approval.decide", obj, f"role may not approve {row.action}",
                    row.incident_id)
    status = APPROVAL_APPROVED if approve else APPROVAL_REJECTED
    with engine.begin() as conn:
        done = approval_rows.set_decision(conn, approval_id, only_if=APPROVAL_PENDING, status=status,
                                          decided_by=actor, note=note.strip())
        if not done:  # someone else decided in between
            raise ApprovalError(f"verzoek {approval_id} is al beslist / already decided")
        verb = "approval.approve" if approve else "approval.reject"
        store.write_audit(conn, actor=actor, role=role, action=verb, obj=row.object, reason=note.strip(),
                          details={"approval_id": approval_id, "for": row.action,
                                   "requested_by": row.requested_by, "incident_id": row.incident_id})
    return status


def list_approvals(engine: Engine, status: str | None = None) -> pd.DataFrame:
    """Return the four-eyes requests (all, or with `status`), oldest first, times aware UTC."""
    return approval_rows.frame(engine, status)


def pending_approvals(engine: Engine) -> pd.DataFrame:
    """Return the requests still waiting for a second person, oldest first."""
    return list_approvals(engine, APPROVAL_PENDING)


def is_approved(engine: Engine, action: str, obj: str) -> bool:
    """Return True when a request for (`action`, `obj`) was approved by someone other than the requester."""
    return approval_rows.is_approved(engine, action, obj, APPROVAL_APPROVED)


# --- purpose binding ------------------------------------------------------------------------------
def check_incident_accepts_data(incident: Mapping[str, Any] | None) -> None:
    """Raise `IncidentNotAcceptingData` unless the incident exists and is neither closed nor purged."""
    if not incident:
        raise IncidentNotAcceptingData(
            "Onbekend incident: gegevens horen altijd bij een incident met doel en grondslag. / "
            "Unknown incident: data must belong to an incident with a purpose and legal basis.")
    name = incident.get("name", incident.get("id", "?"))
    if incident.get("purged_at") is not None:
        raise IncidentNotAcceptingData(
            f"Incident {name} is opgeschoond (bewaartermijn verstreken); er mogen geen gegevens meer bij. / "
            f"Incident {name} was purged (retention expired); it accepts no data.")
    if incident.get("closed_at") is not None:
        raise IncidentNotAcceptingData(
            f"Incident {name} is gesloten; het doel van de monitoring is bereikt. Open zo nodig een nieuw "
            f"incident met eigen doel en grondslag. / Incident {name} is closed; open a new incident "
            "with its own purpose and legal basis if monitoring must continue.")

"""The role x action matrix, `require`, page-view logging, four-eyes approvals, purpose binding."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pandas as pd
import pytest
from sqlalchemy import update

from pipeline.governance import policy as G
from pipeline.governance.auth import demo_user
from pipeline.storage import store

# The matrix as the governance document states it, written out independently of
# `governance.PERMISSIONS`: a change to either must be a deliberate change to both.
AGG = {"page.overzicht", "page.nu", "page.trends", "page.effect", "page.representativiteit",
       "page.copi", "page.rapport"}
EXPECTED = {
    "analist": AGG | {
        "page.nabespreking", "page.themas", "page.open_vragen", "page.labelen", "page.importeren",
        "view.examples", "export.aggregate_csv", "export.report", "export.raw_text", "report.release",
        "approve.export.raw_text", "approve.report.release", "label.correct", "moment.add",
        "copi.advice", "page.openbaar", "approve.summary.publish"},
    "copi": AGG | {"page.openbaar"},
    "beheerder": AGG | {
        "page.nabespreking", "page.beheer", "approve.export.raw_text", "approve.report.release",
        "incident.manage", "user.manage", "audit.view", "audit.export", "retention.purge",
        "message.delete", "report.accountability", "copi.advice", "page.openbaar", "summary.publish",
        "approve.summary.publish"},
}
ALL_ACTIONS = sorted(set().union(*EXPECTED.values()) | {"page.beheer"})
CASES = [(role, action) for role in sorted(EXPECTED) for action in ALL_ACTIONS]


def _user(name, role, active=True):
    return {"id": 1, "username": name, "display_name": name, "role": role, "active": active,
            "auth": "local"}


ANNA = _user("anna", "analist")
AAD = _user("aad", "analist")
BEA = _user("bea", "beheerder")
CEES = _user("cees", "copi")


def _incident(engine, name="Brand", is_demo=False):
    return store.create_incident(engine, name=name, purpose="crisiscommunicatie", legal_basis="Wvr",
                                 responsible_officer="OvD-C", start_at=datetime(2026, 7, 1, tzinfo=UTC),
                                 is_demo=is_demo)


def _log(engine):
    return store.load_audit(engine).iloc[::-1].reset_index(drop=True)


def test_matrix_covers_exactly_the_documented_actions():
    assert set(G.PERMISSIONS) == set(EXPECTED)
    assert G.ACTIONS == frozenset(ALL_ACTIONS)
    required = {"page.overzicht", "page.nu", "page.themas", "page.trends", "page.effect",
                "page.open_vragen", "page.representativiteit", "page.labelen", "page.importeren",
                "page.copi", "page.rapport", "page.nabespreking", "page.beheer", "view.examples",
                "export.aggregate_csv", "export.report", "export.raw_text", "report.release",
                "label.correct", "incident.manage", "user.manage", "audit.view", "audit.export",
                "retention.purge", "message.delete"}
    assert required <= G.ACTIONS


@pytest.mark.parametrize(("role", "action"), CASES)
def test_can_follows_the_matrix(role, action):
    assert G.can(role, action) is (action in EXPECTED[role])


@pytest.mark.parametrize(("role", "action"), CASES)
def test_require_follows_the_matrix_and_audits_denials(engine, role, action):
    user = _user(f"u_{role}", role)
    before = len(store.load_audit(engine))
    allowed = action in EXPECTED[role]
    if allowed and action not in G.NEEDS_APPROVAL:
        G.require(engine, user, action, obj="incident:1")
        assert len(store.load_audit(engine)) == before  # allowed: nothing written
        return
    with pytest.raises(G.PermissionDenied):
        G.require(engine, user, action, obj="incident:1")
    last = _log(engine).iloc[-1]
    assert (last["actor"], last["role"], last["action"], last["object"], last["outcome"]) == (
        f"u_{role}", role, action, "incident:1", "denied")
    expected_reason = "four-eyes approval missing" if allowed else "role not permitted"
    assert last["reason"] == expected_reason


def test_copi_never_sees_examples_or_message_pages():
    for action in ("view.examples", "page.themas", "page.open_vragen", "page.labelen",
                   "export.raw_text", "export.aggregate_csv", "approve.report.release"):
        assert not G.can("copi", action)


def test_unknown_role_has_no_rights_and_unknown_action_is_an_error(engine):
    assert not G.can("root", "page.overzicht")
    assert G.allowed_actions("root") == frozenset()
    with pytest.raises(ValueError, match="unknown action"):
        G.can("analist", "page.thema")  # typo must not silently deny or allow
    with pytest.raises(G.PermissionDenied):
        G.require(engine, None, "page.overzicht")
    with pytest.raises(G.PermissionDenied):
        G.require(engine, _user("old", "analist", active=False), "page.overzicht")
    assert _log(engine)["outcome"].tolist() == ["denied", "denied"]
    assert _log(engine)["actor"].tolist() == ["(anoniem)", "old"]


def test_demo_user_only_reaches_the_demo_incident(engine):
    demo_id = _incident(engine, "Demo", is_demo=True)
    real_id = _incident(engine, "Echt")
    user = demo_user("analist")
    G.require(engine, user, "page.themas", incident_id=demo_id)
    with pytest.raises(G.PermissionDenied):
        G.require(engine, user, "page.themas", incident_id=real_id)
    last = _log(engine).iloc[-1]
    assert (last["actor"], last["object"], last["outcome"]) == ("demo", f"incident:{real_id}", "denied")


def test_log_view_records_who_what_when_object_window(engine):
    iid = _incident(engine)
    window = (pd.Timestamp("2026-07-01 10:00", tz="UTC"), pd.Timestamp("2026-07-01 11:00", tz="UTC"))
    G.log_view(engine, CEES, "page.copi", iid, window)
    row = _log(engine).iloc[-1]
    assert (row["actor"], row["role"], row["action"], row["object"], row["outcome"]) == (
        "cees", "copi", "page.copi", f"incident:{iid}", "ok")
    details = json.loads(row["details"])
    assert details["window"] == "2026-07-01T10:00:00+00:00 / 2026-07-01T11:00:00+00:00"
    assert details["incident_id"] == iid
    assert row["at"] <= pd.Timestamp.now(tz="UTC")
    with pytest.raises(ValueError):
        G.log_view(engine, CEES, "view.examples", iid)
    assert G.view_key("page.copi", iid, window) != G.view_key("page.copi", iid, "last_60")


def test_log_action_records_an_ok_entry(engine):
    G.log_action(engine, ANNA, "export.aggregate_csv", incident_id=3, details={"rows": 12})
    row = _log(engine).iloc[-1]
    assert (row["action"], row["object"], row["outcome"]) == ("export.aggregate_csv", "incident:3", "ok")
    assert json.loads(row["details"]) == {"incident_id": 3, "rows": 12}


# --- four-eyes -----------------------------------------------------------------------------------------
def test_self_approval_is_refused(engine):
    aid = G.request_approval(engine, ANNA, "report.release", "report:1:v2", "voor CoPI 14:00")
    with pytest.raises(G.PermissionDenied, match="self-approval"):
        G.decide(engine, aid, {**ANNA, "username": "ANNA"}, approve=True)  # case does not help
    assert not G.is_approved(engine, "report.release", "report:1:v2")
    assert G.pending_approvals(engine)["id"].tolist() == [aid]
    last = _log(engine).iloc[-1]
    assert (last["action"], last["outcome"], last["reason"]) == (
        "approval.decide", "denied", "self-approval is not allowed")


def test_copi_cannot_approve_nor_request(engine):
    aid = G.request_approval(engine, ANNA, "export.raw_text", "incident:1:raw", "evaluatie Inspectie")
    with pytest.raises(G.PermissionDenied, match="may not approve"):
        G.decide(engine, aid, CEES, approve=True)
    with pytest.raises(G.PermissionDenied):
        G.request_approval(engine, CEES, "report.release", "report:1:v1", "graag")
    with pytest.raises(G.PermissionDenied):  # beheerder may approve but not request a raw export
        G.request_approval(engine, BEA, "export.raw_text", "incident:1:raw", "graag")
    assert not G.is_approved(engine, "export.raw_text", "incident:1:raw")
    assert G.pending_approvals(engine)["id"].tolist() == [aid]


def test_approval_cannot_be_decided_twice(engine):
    aid = G.request_approval(engine, ANNA, "report.release", "report:1:v1", "stand 12:00")
    assert G.decide(engine, aid, BEA, approve=False, note="cijfers kloppen niet") == "rejected"
    with pytest.raises(G.ApprovalError, match="al beslist"):
        G.decide(engine, aid, AAD, approve=True)
    table = G.list_approvals(engine)
    assert table.loc[0, ["status", "decided_by", "decision_note"]].tolist() == [
        "rejected", "bea", "cijfers kloppen niet"]
    assert not G.is_approved(engine, "report.release", "report:1:v1")
    with pytest.raises(G.ApprovalError, match="onbekend"):
        G.decide(engine, 999, BEA, approve=True)


def test_is_approved_only_after_approval_by_another_permitted_user(engine):
    obj = "report:1:v3"
    assert not G.is_approved(engine, "report.release", obj)
    aid = G.request_approval(engine, ANNA, "report.release", obj, "voor bestuurlijk overleg")
    assert not G.is_approved(engine, "report.release", obj)  # pending
    with pytest.raises(G.PermissionDenied):
        G.require(engine, ANNA, "report.release", obj=obj)
    assert G.decide(engine, aid, AAD, approve=True, note="gecontroleerd") == "approved"
    assert G.is_approved(engine, "report.release", obj)
    assert not G.is_approved(engine, "report.release", "report:1:v4")  # other object
    assert not G.is_approved(engine, "export.raw_text", obj)  # other action
    G.require(engine, ANNA, "report.release", obj=obj)  # now allowed
    assert G.pending_approvals(engine).empty


def test_is_approved_ignores_a_self_approval_written_behind_our_back(engine):
    aid = G.request_approval(engine, ANNA, "export.raw_text", "x", "r")
    with engine.begin() as conn:
        conn.execute(update(store.approvals).where(store.approvals.c.id == aid)
                     .values(status="approved", decided_by="Anna"))
    assert not G.is_approved(engine, "export.raw_text", "x")


def test_request_needs_reason_and_a_four_eyes_action(engine):
    with pytest.raises(ValueError, match="reden"):
        G.request_approval(engine, ANNA, "report.release", "report:1", "  ")
    with pytest.raises(ValueError, match="needs no approval"):
        G.request_approval(engine, ANNA, "export.report", "report:1", "r")


def test_every_governance_action_is_audited_and_chain_verifies(engine):
    iid = _incident(engine)
    G.log_view(engine, ANNA, "page.themas", iid, "last_60")
    aid = G.request_approval(engine, ANNA, "export.raw_text", f"incident:{iid}:raw", "Inspectie",
                             incident_id=iid)
    with pytest.raises(G.PermissionDenied):
        G.decide(engine, aid, ANNA, approve=True)
    G.decide(engine, aid, BEA, approve=True, note="ok")
    G.require(engine, ANNA, "export.raw_text", obj=f"incident:{iid}:raw")
    G.log_action(engine, ANNA, "export.raw_text", obj=f"incident:{iid}:raw", details={"approval": aid})
    with pytest.raises(G.PermissionDenied):
        G.require(engine, CEES, "view.examples", incident_id=iid)
    log = _log(engine)
    assert log[["actor", "action", "outcome"]].to_records(index=False).tolist() == [
        ("system", "incident.create", "ok"),
        ("anna", "page.themas", "ok"),
        ("anna", "approval.request", "ok"),
        ("anna", "approval.decide", "denied"),
        ("bea", "approval.approve", "ok"),
        ("anna", "export.raw_text", "ok"),
        ("cees", "view.examples", "denied"),
    ]
    assert json.loads(log.loc[4, "details"])["requested_by"] == "anna"
    assert store.verify_audit(engine) == []


# --- purpose binding ---------------------------------------------------------------------------------
def test_check_incident_accepts_data(engine):
    iid = _incident(engine)
    G.check_incident_accepts_data(store.get_incident(engine, iid))  # open: fine
    with pytest.raises(G.IncidentNotAcceptingData, match="Onbekend incident.*Unknown incident"):
        G.check_incident_accepts_data(None)
    store.close_incident(engine, iid, actor="bea")
    with pytest.raises(G.IncidentNotAcceptingData, match="gesloten.*closed"):
        G.check_incident_accepts_data(store.get_incident(engine, iid))
    purged = {**store.get_incident(engine, iid), "purged_at": pd.Timestamp("2026-10-01", tz="UTC")}
    with pytest.raises(G.IncidentNotAcceptingData, match="opgeschoond.*purged"):
        G.check_incident_accepts_data(purged)


def test_every_action_has_a_readable_name_in_both_languages():
    assert set(G.ACTION_LABELS) == set(G.ACTIONS)
    assert G.action_label("page.themas") == "Thema's"
    assert G.action_label("page.themas", "en") == "Themes"
    assert G.action_label("purge") == "Opgeschoond (bewaartermijn)"  # audit actions of other modules
    assert G.action_label("auth.login", "en") == "Signed in" and G.outcome_label("denied") == "geweigerd"
    assert G.action_label("iets.nieuws") == "iets.nieuws"  # unknown: the code itself
    assert not set(G.AUDIT_LABELS) & set(G.ACTIONS)


def test_governance_doc_matrix_matches_the_code():
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[1] / "docs" / "GOVERNANCE.md").read_text(encoding="utf-8")
    table = doc.split("<!-- matrix:start -->")[1].split("<!-- matrix:end -->")[0]
    documented = {}
    for line in table.strip().splitlines()[2:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        action = cells[0].strip("`")
        documented[action] = {role for role, cell in zip(("analist", "copi", "beheerder"), cells[2:],
                                                          strict=True) if cell.startswith("✓")}
    assert set(documented) == set(G.ACTIONS)
    for action, roles in documented.items():
        assert roles == {r for r in G.PERMISSIONS if G.can(r, action)}, action


def test_set_retention_needs_incident_manage_and_a_positive_period(engine):
    from pipeline.governance import actions

    iid = store.create_incident(engine, name="Bewaren", purpose="p", legal_basis="b", responsible_officer="o",
                                start_at=pd.Timestamp("2026-07-11", tz="UTC"), retention_days=90)
    admin = {"username": "bea", "role": "beheerder", "active": True}
    analyst = {"username": "ana", "role": "analist", "active": True}
    with pytest.raises(G.PermissionDenied):
        actions.set_retention(engine, analyst, iid, 30)
    with pytest.raises(ValueError, match="minstens 1 dag"):
        actions.set_retention(engine, admin, iid, 0)
    assert actions.set_retention(engine, admin, iid, 30) == 90
    assert store.get_incident(engine, iid)["retention_days"] == 30
    log = store.load_audit(engine, limit=10)
    assert (log["action"] == "incident.retention").sum() == 1

"""The yearly accountability report: exact figures on a small seeded store, rendering, CLI."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pandas as pd
import pytest
from sqlalchemy import insert, update

from pipeline import schema as S
from pipeline.cli import accountability as accountability_cli
from pipeline.governance import accountability as A
from pipeline.governance import auth
from pipeline.governance import policy as G
from pipeline.storage import store

ANNA = {"username": "u_anna", "role": "analist", "active": True, "auth": "local"}
AAD = {"username": "u_aad", "role": "analist", "active": True, "auth": "local"}
BEA = {"username": "u_bea", "role": "beheerder", "active": True, "auth": "local"}
CEES = {"username": "u_cees", "role": "copi", "active": True, "auth": "local"}


class Clock:
    """A settable replacement for `store.now_utc` (audit and approval times)."""

    def __init__(self, when: str):
        self.set(when)

    def set(self, when: str) -> None:
        self.now = pd.Timestamp(when, tz="UTC").to_pydatetime()

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    c = Clock("2026-03-10 12:00")
    monkeypatch.setattr(store, "now_utc", c)
    monkeypatch.setattr(auth, "_BCRYPT_ROUNDS", 4)
    return c


def _t(s):
    return pd.Timestamp(s, tz="UTC").to_pydatetime()


def _incident(engine, name, start, closed=None, is_demo=False):
    iid = store.create_incident(engine, name=name, purpose=f"doel {name}", legal_basis="Wvr art. 7",
                                responsible_officer="OvD-C", start_at=_t(start), is_demo=is_demo,
                                retention_days=30)
    if closed:
        store.close_incident(engine, iid, actor="u_bea", at=_t(closed))
    return iid


def _messages(n):
    return pd.DataFrame({
        S.PLATFORM: ["twitter"] * n, S.SOURCE_ID: [str(i) for i in range(n)],
        S.CREATED_AT: pd.date_range("2026-03-01 10:05", periods=n, freq="min", tz="UTC"),
        S.TEXT: ["rook"] * n, S.AUTHOR: [f"p_{i:016x}" for i in range(n)], S.IS_OFFICIAL: [False] * n,
        S.OFFICIAL_KIND: [""] * n, S.URL_DOMAIN: [""] * n, S.IS_REPLY: [False] * n,
        S.IS_REPOST: [False] * n, S.TIME_FLAG: [""] * n,
    })


@pytest.fixture
def seeded(engine, clock, monkeypatch):
    """Two 2026 incidents (one purged), one spanning new year, one of 2025, one demo; usage in 2026.

    The CLI runs as the OS user "u_bea", the beheerder account below (`auth.cli_user`).
    """
    monkeypatch.setenv("LOGNAME", "u_bea")
    clock.set("2025-06-01 08:00")
    _incident(engine, "Oud 2025", "2025-06-01 08:00", closed="2025-06-02 08:00")
    G.request_approval(engine, ANNA, "report.release", "report:old", "2025")  # not counted in 2026
    clock.set("2026-03-10 12:00")
    a = _incident(engine, "Brand | Moerdijk", "2026-03-01 10:00", closed="2026-03-02 10:00")
    with engine.begin() as conn:
        store.insert_messages(conn, a, _messages(3))
    b = _incident(engine, "<b>Gaslek</b>", "2026-02-01 09:00", closed="2026-02-01 21:00")
    with engine.begin() as conn:
        conn.execute(insert(store.aggregates), [
            {"incident_id": b, "bucket": _t("2026-02-01 09:00").replace(tzinfo=None), "dimension": "all",
             "value": "all", "n_messages": 40, "n_authors": 30},
            {"incident_id": b, "bucket": _t("2026-02-01 10:00").replace(tzinfo=None), "dimension": "all",
             "value": "all", "n_messages": 2, "n_authors": 2},
            {"incident_id": b, "bucket": _t("2026-02-01 09:00").replace(tzinfo=None),
             "dimension": "platform", "value": "twitter", "n_messages": 40, "n_authors": 30},
        ])
        conn.execute(update(store.incidents).where(store.incidents.c.id == b)
                     .values(purged_at=_t("2026-03-05 03:00").replace(tzinfo=None)))
    _incident(engine, "Jaarwisseling", "2025-12-31 20:00", closed="2026-01-01 02:00")  # ends 03:00 NL
    _incident(engine, "Demo", "2026-03-01 10:00", is_demo=True)
    for who in ("u_anna", "u_aad"):
        auth.create_user(engine, who, "analist", "twelve chars!", actor="u_bea", actor_role="beheerder")
    auth.create_user(engine, "u_cees", "copi", None, actor="u_bea", actor_role="beheerder")
    auth.create_user(engine, "u_bea", "beheerder", None, actor="cli", actor_role="cli")
    auth.deactivate_user(engine, "u_aad", actor="u_bea", actor_role="beheerder")
    assert auth.authenticate(engine, "u_anna", "twelve chars!") is not None
    assert auth.authenticate(engine, "u_anna", "wrong password") is None
    G.log_view(engine, ANNA, "page.themas", a, "last_60")
    G.log_view(engine, ANNA, "page.themas", a, "whole")
    G.log_view(engine, ANNA, "page.overzicht", a)
    for _ in range(3):
        G.log_view(engine, CEES, "page.copi", a)
    G.log_view(engine, BEA, "page.beheer", None)
    G.log_action(engine, ANNA, "export.aggregate_csv", incident_id=a)
    G.log_action(engine, ANNA, "view.examples", incident_id=a)
    with pytest.raises(G.PermissionDenied):
        G.require(engine, CEES, "view.examples", incident_id=a)
    r1 = G.request_approval(engine, ANNA, "report.release", f"report:{a}:v1", "CoPI", incident_id=a)
    G.decide(engine, r1, AAD, approve=True)
    r2 = G.request_approval(engine, ANNA, "export.raw_text", f"incident:{a}:raw", "Inspectie", incident_id=a)
    G.decide(engine, r2, BEA, approve=False, note="niet nodig")
    G.request_approval(engine, ANNA, "report.release", f"report:{a}:v2", "CoPI", incident_id=a)
    store.audit(engine, actor="cli", action="ingest", obj=f"incident:{a}", details={"added": 3})
    store.audit(engine, actor="cli", action="purge", obj=f"incident:{b}", details={"messages_deleted": 40})
    store.audit(engine, actor="u_bea", action="delete", obj=f"incident:{a}", reason="verzoek",
                details={"deleted": 2})
    store.audit(engine, actor="u_bea", action="delete", obj=f"incident:{a}", outcome="not_found",
                reason="verzoek", details={"deleted": 0})
    return {"a": a, "b": b}


def test_report_figures_are_exact(engine, seeded, tmp_path):
    report = A.accountability_report(engine, 2026, accuracy_path=tmp_path / "missing.json")
    names = [i["name"] for i in report["incidents"]]
    assert names == ["Jaarwisseling", "<b>Gaslek</b>", "Brand | Moerdijk"]  # by start; 2025 and demo out
    assert report["demo_incidents"] == 1
    by_name = {i["name"]: i for i in report["incidents"]}
    brand = by_name["Brand | Moerdijk"]
    assert (brand["n_messages"], brand["volume_source"], brand["duration_hours"], brand["ongoing"]) == (
        3, "messages", 24.0, False)
    assert (brand["purpose"], brand["legal_basis"], brand["responsible_officer"]) == (
        "doel Brand | Moerdijk", "Wvr art. 7", "OvD-C")
    gas = by_name["<b>Gaslek</b>"]
    assert (gas["n_messages"], gas["volume_source"], gas["duration_hours"]) == (42, "aggregates", 12.0)
    assert gas["purged_at"] == pd.Timestamp("2026-03-05 03:00", tz="UTC")
    assert by_name["Jaarwisseling"]["duration_hours"] == 6.0
    assert report["messages_total"] == 45
    usage = report["usage"]
    assert usage["views"] == {"analist": {"page.overzicht": 1, "page.themas": 2},
                              "beheerder": {"page.beheer": 1}, "copi": {"page.copi": 3}}
    assert usage["exports"] == {"analist": {"export.aggregate_csv": 1, "view.examples": 1}}
    assert usage["denied"] == {"view.examples": 1}
    assert usage["logins"] == {"ok": 1, "denied": 1}
    assert usage["active_users_per_role"] == {"analist": 2, "copi": 1, "beheerder": 1}
    assert usage["user_changes"] == {"user.create": 4, "user.deactivate": 1}
    assert "per_user" not in usage
    assert report["registered_users"] == {"analist": 1, "copi": 1, "beheerder": 1}
    assert report["data"] == {"imports": 1, "messages_imported": 3, "imports_refused": 0, "purges": 1,
                              "messages_purged": 40, "deletion_requests": 2,
                              "deletion_requests_not_found": 1, "messages_deleted_on_request": 2}
    assert report["approvals"] == {
        "export.raw_text": {"requested": 1, "pending": 0, "approved": 0, "rejected": 1},
        "report.release": {"requested": 2, "pending": 1, "approved": 1, "rejected": 0}}
    log = store.load_audit(engine)
    in_2026 = log[log["at"].dt.year == 2026]
    assert report["audit"]["intact"] is True
    assert report["audit"]["entries_total"] == len(log)
    assert report["audit"]["entries_year"] == len(in_2026) == len(log) - 3  # 2025: create, close, request
    assert report["audit"]["last_hash"] == in_2026.iloc[0]["hash"]  # newest first
    assert report["accuracy"]["available"] is False


def test_year_filter_uses_dutch_calendar_year(engine, seeded, tmp_path):
    report = A.accountability_report(engine, 2025, accuracy_path=None)
    assert [i["name"] for i in report["incidents"]] == ["Oud 2025", "Jaarwisseling"]
    assert report["approvals"] == {"report.release": {"requested": 1, "pending": 1, "approved": 0,
                                                      "rejected": 0}}
    assert report["usage"]["views"] == {}


def test_public_markdown_has_no_staff_names_and_escapes_user_text(engine, seeded):
    md = A.render_markdown(A.accountability_report(engine, 2026, accuracy_path=None))
    assert "u_anna" not in md and "u_cees" not in md and "u_bea" not in md
    assert "Brand \\| Moerdijk" in md
    row = next(line for line in md.splitlines() if "Moerdijk" in line)
    assert row.replace("\\|", "").count("|") == 11  # 10 columns, no extra cell from the name
    assert "CoPI-kijker" in md and "| Analist | Thema's | 2 |" in md
    assert "42 (uit tellingen)" in md
    assert "hash-keten van het auditlog is intact" in md
    assert "Interne bijlage" not in md
    en = A.render_markdown(A.accountability_report(engine, 2026, accuracy_path=None), lang="en")
    assert "Audit log" in en and "CoPI viewer" in en


def test_internal_appendix_lists_actions_per_user(engine, seeded):
    report = A.accountability_report(engine, 2026, include_users=True, accuracy_path=None)
    per_user = report["usage"]["per_user"]
    assert per_user["u_anna"]["page.themas"] == 2
    assert per_user["u_cees"] == {"page.copi": 3, "view.examples": 1}
    md = A.render_markdown(report)
    assert "Niet publiceren" in md and "u\\_cees" in md


def test_html_escapes_incident_names(engine, seeded):
    page = A.render_html(A.accountability_report(engine, 2026, accuracy_path=None))
    assert "<b>Gaslek</b>" not in page
    assert "&lt;b&gt;Gaslek&lt;/b&gt;" in page
    assert page.startswith("<!DOCTYPE html>") and 'lang="nl"' in page


def test_accuracy_file_is_read_tolerantly(tmp_path):
    good = tmp_path / "accuracy.json"
    good.write_text(json.dumps({"macro_f1": 0.714, "n_messages": 300, "per_category": {"vraag": 0.8},
                                "confusion": [[1, 2], [3, 4]]}), encoding="utf-8")
    acc = A.load_accuracy(good)
    assert acc["available"] is True
    assert acc["values"] == {"macro_f1": 0.714, "n_messages": 300, "per_category.vraag": 0.8}
    bad = tmp_path / "broken.json"
    bad.write_text("{not json", encoding="utf-8")
    assert A.load_accuracy(bad)["available"] is False
    assert A.load_accuracy(tmp_path / "absent.json")["available"] is False


def test_accuracy_appears_in_the_report(engine, clock, tmp_path):
    path = tmp_path / "accuracy.json"
    path.write_text(json.dumps({"macro_f1": 0.71234}), encoding="utf-8")
    md = A.render_markdown(A.accountability_report(engine, 2026, accuracy_path=path))
    assert "| macro\\_f1 | 0.712 |" in md


def test_tampered_audit_log_is_reported(engine, seeded):
    with engine.begin() as conn:
        conn.execute(update(store.audit_log).where(store.audit_log.c.id == 5).values(actor="someone"))
    report = A.accountability_report(engine, 2026, accuracy_path=None)
    assert report["audit"]["intact"] is False
    assert report["audit"]["n_problems"] == 1
    assert "NIET intact" in A.render_markdown(report)
    assert accountability_cli.main(["--year", "2026"]) == 1


def test_empty_year(engine, clock):
    report = A.accountability_report(engine, 2030, accuracy_path=None)
    assert report["incidents"] == [] and report["messages_total"] == 0
    assert report["audit"]["last_id"] is None
    md = A.render_markdown(report)
    assert "bij geen enkel incident gemonitord" in md


@pytest.mark.parametrize("suffix", [".md", ".html"])
def test_cli_writes_file_and_audits(engine, seeded, tmp_path, suffix):
    out = tmp_path / f"jaar{suffix}"
    assert accountability_cli.main(["--year", "2026", "--out", str(out),
                                    "--accuracy", str(tmp_path / "none.json")]) == 0
    text = out.read_text(encoding="utf-8")
    assert "Moerdijk" in text and "u_anna" not in text
    last = store.load_audit(engine).iloc[0]
    assert (last["action"], last["object"]) == ("report.accountability", "year:2026")
    assert last["actor"].startswith("cli")
    assert store.verify_audit(engine) == []


def test_cli_writes_pdf(engine, seeded, tmp_path):
    pytest.importorskip("weasyprint")
    out = tmp_path / "jaar.pdf"
    assert accountability_cli.main(["--year", "2026", "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF")


def test_cli_rejects_unknown_format(engine, clock, tmp_path, capsys):
    assert accountability_cli.main(["--year", "2026", "--out", str(tmp_path / "x.docx")]) == 2
    assert "unsupported" in capsys.readouterr().err


def test_year_bounds_are_amsterdam_midnight():
    start, end = A.year_bounds(2026)
    assert start == pd.Timestamp("2025-12-31 23:00", tz="UTC")
    assert end == pd.Timestamp("2026-12-31 23:00", tz="UTC")
    assert start.tzinfo is not None and datetime(2026, 6, 1, tzinfo=UTC) < end

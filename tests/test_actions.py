"""pipeline/governance/actions.py and auth.cli_user: every governed action checks, writes and audits
the same way from a page and from the command line.

The command line acts as "cli:<OS user>" with the role of the account of that name
(`auth.cli_user`); the OS user is set here through LOGNAME, which `getpass.getuser` reads first.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pandas as pd
import pytest

from pipeline import schema as S
from pipeline.cli import accountability as accountability_cli
from pipeline.cli import delete as delete_cli
from pipeline.cli import incident as incident_cli
from pipeline.cli import ingest as ingest_cli
from pipeline.cli import publish as publish_cli
from pipeline.cli import purge as purge_cli
from pipeline.cli import source as source_cli
from pipeline.cli import user as user_cli
from pipeline.governance import actions, auth
from pipeline.governance.policy import PermissionDenied
from pipeline.ingest.collect import sources as src
from pipeline.storage import store
from pipeline.views import timeline

CREATE = ["create", "--name", "Gaslek", "--purpose", "crisiscommunicatie", "--legal-basis", "Wvr art. 7",
          "--officer", "OvD-C", "--start", "2026-07-11T10:00", "--keywords", "gaslek,gaslucht"]
CSV = b"id,datum,auteur,bron,tekst\r\n1,11-07-2026 14:05,Jan,X,Rook bij de haven\r\n"


@pytest.fixture()
def accounts(lp):
    """The store of `lp` with a beheerder "bea", an analist "anna" and a CoPI viewer "kees"."""
    for name, role in (("bea", auth.BEHEERDER), ("anna", auth.ANALIST), ("kees", auth.COPI)):
        auth.create_user(lp, name, role, None, actor="test")
    return lp


def _as(monkeypatch, os_user: str) -> None:
    monkeypatch.setenv("LOGNAME", os_user)


def _audit(engine, action: str, outcome: str | None = None) -> pd.DataFrame:
    log = store.load_audit(engine)
    log = log[log["action"] == action]
    return log if outcome is None else log[log["outcome"] == outcome]


def _brand(engine) -> int:
    return int(store.get_incident(engine, "Brand")["id"])


# --- who the command line is -------------------------------------------------------------------------
def test_cli_user_takes_the_role_of_the_account_named_like_the_os_user(accounts, monkeypatch):
    _as(monkeypatch, "Anna")
    user = auth.cli_user(accounts)
    assert (user["username"], user["role"], user["active"]) == ("cli:Anna", "analist", True)
    assert user["auth"] == auth.AUTH_CLI


def test_cli_user_without_an_account_has_no_role_once_accounts_exist(accounts, monkeypatch):
    _as(monkeypatch, "mallory")
    assert auth.cli_user(accounts)["role"] == "" and not auth.cli_user(accounts)["active"]
    auth.create_user(accounts, "bob", auth.BEHEERDER, None, actor="test")  # the last beheerder stays
    auth.deactivate_user(accounts, "bea", actor="test")
    _as(monkeypatch, "bea")
    assert auth.cli_user(accounts)["role"] == ""  # a deactivated account is refused too


def test_cli_user_is_beheerder_only_before_any_active_account_exists(lp, monkeypatch):
    _as(monkeypatch, "root")
    assert auth.cli_user(lp)["role"] == auth.BEHEERDER
    auth.create_user(lp, "anna", auth.ANALIST, None, actor="test")
    assert auth.cli_user(lp)["role"] == ""


@pytest.mark.parametrize("command", [
    lambda: incident_cli.main([*CREATE, "--actor", "beheerder"]),
    lambda: source_cli.main(["remove", "1", "--actor", "beheerder"]),
    lambda: delete_cli.main(["--incident", "Brand", "--source-id", "1", "--reason", "r", "--actor", "fg"]),
    lambda: purge_cli.main(["--dry-run", "--actor", "fg"]),
    lambda: user_cli.main(["add", "x", "--role", "copi", "--actor", "fg"]),
    lambda: publish_cli.main(["--out", "site", "--actor", "fg"]),
    lambda: accountability_cli.main(["--year", "2026", "--actor", "fg"]),
    lambda: ingest_cli.main(["f.csv", "--incident", "Brand", "--actor", "fg"]),
])
def test_the_cli_no_longer_takes_a_free_text_actor(lp, command):
    with pytest.raises(SystemExit):  # argparse: unrecognized arguments
        command()


# --- delete on request, user management, purge ----------------------------------------------------
def test_cli_delete_needs_message_delete_and_names_the_os_user(accounts, monkeypatch, tmp_path, capsys):
    path = tmp_path / "export.csv"
    path.write_bytes(CSV)
    _as(monkeypatch, "anna")
    assert ingest_cli.main([str(path), "--incident", "Brand", "--quiet"]) == 0
    assert _audit(accounts, "ingest", "ok")["actor"].tolist() == ["cli:anna"]
    args = ["--incident", "Brand", "--source-id", "1", "--reason", "verzoek betrokkene"]
    assert delete_cli.main(args) == 2  # an analist may not delete
    err = capsys.readouterr().err
    assert "message.delete" in err and "user add anna --role beheerder" in err
    assert len(store.load_messages(accounts, _brand(accounts))) == 1
    assert _audit(accounts, "message.delete", "denied")["actor"].tolist() == ["cli:anna"]
    _as(monkeypatch, "bea")
    assert delete_cli.main(args) == 0
    assert store.load_messages(accounts, _brand(accounts)).empty
    assert _audit(accounts, "delete", "ok")["actor"].tolist() == ["cli:bea"]


def test_cli_user_management_needs_user_manage_except_on_a_fresh_install(lp, monkeypatch, capsys):
    _as(monkeypatch, "root")  # no account yet: the operator may create the first one
    assert user_cli.main(["add", "bea", "--role", "beheerder"]) == 0
    assert user_cli.main(["add", "anna", "--role", "analist"]) == 2  # root has no account now
    assert "user add root --role beheerder" in capsys.readouterr().err
    _as(monkeypatch, "bea")
    assert user_cli.main(["add", "anna", "--role", "analist"]) == 0
    _as(monkeypatch, "anna")
    assert user_cli.main(["role", "anna", "--role", "beheerder"]) == 2  # no self-promotion
    assert auth.get_user(lp, "anna")["role"] == auth.ANALIST
    created = _audit(lp, "user.create")
    assert sorted(created["actor"]) == ["cli:bea", "cli:root"]
    assert sorted(_audit(lp, "user.manage", "denied")["actor"]) == ["cli:anna", "cli:root"]


def test_cli_purge_is_audited_as_the_os_user_without_a_role_check(accounts, monkeypatch):
    _as(monkeypatch, "cron")  # a scheduled purge must never stop because an account is missing
    inc = _brand(accounts)
    store.close_incident(accounts, inc, actor="test", at=datetime(2026, 7, 12, tzinfo=UTC))
    assert purge_cli.main(["--now", "2099-01-01T00:00", "--wait", "0"]) in (0, 3)  # 3: file scrub blocked
    purged = _audit(accounts, "purge")
    assert len(purged) == 1 and purged["actor"].tolist() == ["cli:cron"]
    assert store.get_incident(accounts, "Brand")["purged_at"] is not None


# --- incident create / close ------------------------------------------------------------------------
@pytest.mark.parametrize("os_user", ["anna", "kees", "mallory"])
def test_cli_incident_create_refuses_without_incident_manage_and_audits_it(accounts, monkeypatch, capsys,
                                                                           os_user):
    _as(monkeypatch, os_user)
    assert incident_cli.main(CREATE) == 2
    assert "geen toestemming / not permitted: incident.manage" in capsys.readouterr().err
    assert store.get_incident(accounts, "Gaslek") is None
    denied = _audit(accounts, "incident.manage", "denied")
    assert denied["actor"].tolist() == [f"cli:{os_user}"]
    assert _audit(accounts, "incident.create")["actor"].tolist() == ["system"]  # only the fixture's "Brand"


def test_cli_incident_create_and_close_as_beheerder_are_audited_with_the_cli_actor(accounts, monkeypatch):
    _as(monkeypatch, "bea")
    assert incident_cli.main(CREATE) == 0
    incident = store.get_incident(accounts, "Gaslek")
    assert incident["created_by"] == "cli:bea"
    created = _audit(accounts, "incident.create").iloc[0]  # newest first
    assert (created["actor"], created["object"]) == ("cli:bea", f"incident:{incident['id']}")
    _as(monkeypatch, "anna")
    assert incident_cli.main(["close", "--name", "Gaslek"]) == 2
    assert store.get_incident(accounts, "Gaslek")["closed_at"] is None
    assert _audit(accounts, "incident.manage", "denied")["actor"].tolist() == ["cli:anna"]
    _as(monkeypatch, "bea")
    assert incident_cli.main(["close", "--name", "Gaslek"]) == 0
    assert store.get_incident(accounts, "Gaslek")["closed_at"] is not None
    assert _audit(accounts, "incident.close")["actor"].tolist() == ["cli:bea"]


def test_cli_incident_create_needs_keywords_or_a_description(accounts, monkeypatch, capsys):
    _as(monkeypatch, "bea")
    assert incident_cli.main(CREATE[:-2]) == 2
    err = capsys.readouterr().err
    assert "zoekwoorden of een omschrijving" in err and "keywords or a description" in err
    assert store.get_incident(accounts, "Gaslek") is None
    assert incident_cli.main([*CREATE[:-2], "--description", "Gaslek in Testdorp"]) == 0


def test_cli_close_of_an_unknown_incident_names_the_next_command(accounts, monkeypatch, capsys):
    _as(monkeypatch, "bea")
    assert incident_cli.main(["close", "--name", "Bestaat niet"]) == 2
    assert "python -m pipeline incident create" in capsys.readouterr().err


# --- live sources -----------------------------------------------------------------------------------------
def test_cli_source_add_and_remove_need_incident_manage_and_are_audited(accounts, monkeypatch, capsys):
    add = ["add", "--incident", "Brand", "--kind", "rss", "--url", "https://example.invalid/feed.xml"]
    _as(monkeypatch, "anna")
    assert source_cli.main(add) == 2
    assert "not permitted" in capsys.readouterr().err
    assert src.list_sources(accounts) == []
    _as(monkeypatch, "bea")
    assert source_cli.main(add) == 0
    (source,) = src.list_sources(accounts)
    added = _audit(accounts, "source.add")
    assert added["actor"].tolist() == ["cli:bea"]
    assert json.loads(added["details"].iloc[0])["source"] == source.id
    _as(monkeypatch, "kees")
    assert source_cli.main(["remove", str(source.id)]) == 2
    assert src.get_source(accounts, source.id).active
    _as(monkeypatch, "bea")
    assert source_cli.main(["remove", str(source.id), "--reason", "klaar"]) == 0
    assert not src.get_source(accounts, source.id).active
    assert _audit(accounts, "source.remove")["actor"].tolist() == ["cli:bea"]
    denied = _audit(accounts, "incident.manage", "denied")
    assert denied["actor"].tolist() == ["cli:kees", "cli:anna"]  # newest first


# --- actions without a command of their own, as the command line would call them ----------------------
def test_add_moment_needs_moment_add_and_writes_moment_and_audit_together(accounts, monkeypatch):
    iid = _brand(accounts)
    when = pd.Timestamp("2026-07-11 15:00", tz="Europe/Amsterdam")
    _as(monkeypatch, "bea")  # beheerder: no moment.add
    with pytest.raises(PermissionDenied):
        actions.add_moment(accounts, auth.cli_user(accounts), iid, time=when, channel="persconferentie",
                           text="Persconferentie burgemeester")
    assert store.load_moments(accounts, iid).empty
    assert _audit(accounts, "moment.add", "denied")["actor"].tolist() == ["cli:bea"]
    _as(monkeypatch, "anna")
    mid = actions.add_moment(accounts, auth.cli_user(accounts), iid, time=when, channel="persconferentie",
                             text="  Persconferentie burgemeester ")
    moments = store.load_moments(accounts, iid)
    assert len(moments) == 1 and moments.iloc[0][S.MOMENT_TEXT] == "Persconferentie burgemeester"
    ok = _audit(accounts, "moment.add", "ok")
    assert ok["actor"].tolist() == ["cli:anna"] and ok["object"].tolist() == [f"moment:{mid}"]
    details = json.loads(ok["details"].iloc[0])
    assert details == {"incident_id": iid, "channel": "persconferentie", "time": "2026-07-11T13:00:00+00:00"}
    assert "burgemeester" not in ok["details"].iloc[0]  # the text is not in the audit log


def test_add_moment_refuses_bad_input_without_writing(accounts, monkeypatch):
    iid = _brand(accounts)
    _as(monkeypatch, "anna")
    user = auth.cli_user(accounts)
    for kwargs in ({"channel": "fax", "text": "x"}, {"channel": "radio", "text": "  "},
                   {"channel": "radio", "text": "x" * 1001}):
        with pytest.raises(ValueError):
            actions.add_moment(accounts, user, iid, time=pd.Timestamp("2026-07-11 15:00", tz="UTC"),
                               **kwargs)
    with pytest.raises(ValueError):
        actions.add_moment(accounts, user, iid, time=pd.Timestamp("2026-07-11 15:00"), channel="radio",
                           text="x")  # a time without a zone
    assert store.load_moments(accounts, iid).empty and _audit(accounts, "moment.add").empty


def test_import_and_label_correction_need_their_permissions_and_are_audited(accounts, monkeypatch):
    iid = _brand(accounts)
    _as(monkeypatch, "kees")  # CoPI viewer: neither import nor labels
    with pytest.raises(PermissionDenied):
        actions.import_upload(accounts, auth.cli_user(accounts), iid, CSV, "export.csv")
    assert store.count_messages(accounts, iid) == 0
    assert _audit(accounts, "page.importeren", "denied")["actor"].tolist() == ["cli:kees"]
    _as(monkeypatch, "anna")
    result = actions.import_upload(accounts, auth.cli_user(accounts), iid, CSV, "export.csv")
    assert result.added == 1 and _audit(accounts, "ingest")["actor"].tolist() == ["cli:anna"]
    message_id = int(store.load_messages(accounts, iid)["message_id"].iloc[0])
    _as(monkeypatch, "kees")
    with pytest.raises(PermissionDenied):
        actions.correct_label(accounts, auth.cli_user(accounts), iid, message_id, ["vraag"])
    assert _audit(accounts, "label.correct", "denied")["actor"].tolist() == ["cli:kees"]
    _as(monkeypatch, "anna")
    actions.correct_label(accounts, auth.cli_user(accounts), iid, message_id, ["vraag"], predicted=())
    ok = _audit(accounts, "label.correct", "ok")
    assert ok["actor"].tolist() == ["cli:anna"] and ok["role"].tolist() == ["analist"]


def test_copi_advice_needs_copi_advice_and_is_audited(accounts, monkeypatch):
    iid = _brand(accounts)
    _as(monkeypatch, "kees")
    with pytest.raises(PermissionDenied):
        actions.save_copi_advice(accounts, auth.cli_user(accounts), iid, "Herhaal: ramen dicht")
    assert timeline.latest_advice(accounts, iid) == ""
    _as(monkeypatch, "bea")
    actions.save_copi_advice(accounts, auth.cli_user(accounts), iid, "Herhaal: ramen dicht")
    assert timeline.latest_advice(accounts, iid) == "Herhaal: ramen dicht"
    assert _audit(accounts, "copi.advice", "ok")["actor"].tolist() == ["cli:bea"]
    assert _audit(accounts, "copi.advice", "denied")["actor"].tolist() == ["cli:kees"]


def test_a_page_user_goes_through_the_same_check(accounts):
    """The pages pass their signed-in user: a demo visitor (read-only) may not add a moment."""
    demo = auth.demo_user(auth.ANALIST)
    with pytest.raises(PermissionDenied):
        actions.add_moment(accounts, demo, _brand(accounts), time=pd.Timestamp("2026-07-11 15:00", tz="UTC"),
                           channel="radio", text="x")
    assert _audit(accounts, "moment.add", "denied")["reason"].tolist() == ["demo mode is read-only"]


def test_audit_log_reading_needs_audit_view(accounts):
    anna = auth.get_user(accounts, "anna")
    with pytest.raises(PermissionDenied):
        actions.audit_entries(accounts, anna)
    bea = auth.get_user(accounts, "bea")
    assert actions.verify_audit(accounts, bea) == []
    assert len(actions.audit_entries(accounts, bea, limit=2)) == 2


def test_cli_accountability_report_with_the_staff_appendix_needs_the_right(accounts, monkeypatch, capsys):
    _as(monkeypatch, "anna")
    assert accountability_cli.main(["--year", "2026", "--internal"]) == 2
    assert "report.accountability" in capsys.readouterr().err
    assert _audit(accounts, "report.accountability", "denied")["actor"].tolist() == ["cli:anna"]


def test_every_incident_and_deletion_entry_names_the_actors_role(accounts, monkeypatch):
    """incident.create/close/retention and delete named no role (an auditor filtering on role missed
    them); user.* and page views did."""
    _as(monkeypatch, "bea")
    assert incident_cli.main(CREATE) == 0
    bea = {**auth.get_user(accounts, "bea"), "auth": "local"}
    actions.set_retention(accounts, bea, "Gaslek", 45)
    actions.delete_message(accounts, bea, "Gaslek", source_id="bestaat-niet", reason="verzoek")
    actions.close_incident(accounts, bea, "Gaslek")
    for action in ("incident.create", "incident.retention", "delete", "incident.close"):
        assert _audit(accounts, action)["role"].tolist()[:1] == [auth.BEHEERDER], action  # newest first

"""Retention: purge of expired incidents (bytes really gone), delete on request, audit entries."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from pipeline import schema as S
from pipeline.cli import delete as delete_cli
from pipeline.cli import purge as purge_cli
from pipeline.governance import retention
from pipeline.ingest.load import ingest_file
from pipeline.storage import store
from tests.conftest import isolate_store

REPO = Path(__file__).resolve().parents[1]
START = datetime(2026, 7, 11, tzinfo=UTC)


@pytest.fixture
def lp(tmp_path, monkeypatch):
    """A fresh store under tmp_path with two incidents: "Oud" (closed long ago) and "Nieuw" (open)."""
    engine = isolate_store(tmp_path, monkeypatch)
    for name in ("Oud", "Nieuw"):
        store.create_incident(engine, name=name, purpose="crisiscommunicatie", legal_basis="Wvr art. 7",
                              responsible_officer="OvD-C", start_at=START, retention_days=30)
    for name, text in (("Oud", "zeldzaamwoordoud"), ("Nieuw", "zeldzaamwoordnieuw")):
        path = tmp_path / f"{name}.csv"
        path.write_bytes(
            f"id,text,date,author,platform\n"
            f"1,{text} een,2026-07-11 14:05,auteur_{name},x\n"
            f"2,{text} twee,2026-07-11 14:50,auteur_b,facebook\n"
            f"3,{text} drie,2026-07-11 15:10,auteur_{name},x\n".encode())
        ingest_file(path, name, engine=engine)
    store.close_incident(engine, store.get_incident(engine, "Oud")["id"], actor="test", at=START)
    yield engine
    store.dispose_engines()


def _db_bytes(engine) -> bytes:
    db = Path(str(engine.url.database))
    return b"".join(p.read_bytes() for p in db.parent.glob(db.name + "*"))


def _actions(engine) -> list[tuple[str, str]]:
    return list(store.load_audit(engine)[["action", "outcome"]].itertuples(index=False, name=None))


def test_purge_expired_removes_bytes_keeps_aggregates(lp):
    oud = store.get_incident(lp, "Oud")["id"]
    pseudonym = store.load_messages(lp, oud)[S.AUTHOR].iloc[0]
    assert b"zeldzaamwoordoud" in _db_bytes(lp) and pseudonym.encode() in _db_bytes(lp)
    # 29 days after closing: not yet expired
    assert retention.purge_expired(lp, now=START + timedelta(days=29)) == []
    summaries = retention.purge_expired(lp, now=START + timedelta(days=31), actor="tester")
    assert [(s["name"], s["messages_deleted"]) for s in summaries] == [("Oud", 3)]
    blob = _db_bytes(lp)
    assert b"zeldzaamwoordoud" not in blob
    assert pseudonym.encode() not in blob
    assert b"zeldzaamwoordnieuw" in blob  # the open incident is untouched
    assert len(store.load_messages(lp, store.get_incident(lp, "Nieuw")["id"])) == 3
    assert store.get_incident(lp, "Oud")["purged_at"] is not None
    with lp.connect() as conn:
        rows = conn.execute(select(store.aggregates.c.dimension, store.aggregates.c.value,
                                   store.aggregates.c.n_messages, store.aggregates.c.n_authors)
                            .where(store.aggregates.c.incident_id == oud)
                            .order_by(store.aggregates.c.dimension, store.aggregates.c.bucket,
                                      store.aggregates.c.value)).fetchall()
    # 14:05 and 14:50 local = 12:xx UTC; 15:10 local = 13:10 UTC
    assert [tuple(r) for r in rows] == [("all", "all", 2, 2), ("all", "all", 1, 1),
                                        ("platform", "facebook", 1, 1), ("platform", "twitter", 1, 1),
                                        ("platform", "twitter", 1, 1)]
    assert ("purge", "ok") in _actions(lp)
    assert retention.purge_expired(lp, now=START + timedelta(days=400)) == []  # already purged
    assert store.verify_audit(lp) == []


def test_purge_by_end_at_and_dry_run(lp):
    nieuw = store.get_incident(lp, "Nieuw")
    assert retention.purge_expired(lp, now=START + timedelta(days=400), dry_run=True) == [
        {"incident_id": store.get_incident(lp, "Oud")["id"], "name": "Oud",
         "expired_at": str(START + timedelta(days=30)), "dry_run": True}]
    assert len(store.load_messages(lp, nieuw["id"])) == 3  # open, no end_at: never expires


@pytest.mark.parametrize("how", ["source_id", "url"])
def test_delete_on_request(lp, how):
    nieuw = store.get_incident(lp, "Nieuw")["id"]
    kwargs = {"source_id": "1"} if how == "source_id" else {"url": "https://x.com/someone/status/1?s=20"}
    assert retention.delete_messages(lp, "Nieuw", actor="fg", reason="verzoek betrokkene", **kwargs) == 1
    assert store.load_messages(lp, nieuw)[S.SOURCE_ID].tolist() == ["2", "3"]
    assert b"zeldzaamwoordnieuw een" not in _db_bytes(lp)
    audit = store.load_audit(lp)
    last = audit.iloc[0]
    assert (last["action"], last["outcome"], last["reason"]) == ("delete", "ok", "verzoek betrokkene")
    assert "someone" not in last["details"]  # the handle in the URL is not logged
    # a second request finds nothing and is logged as such
    assert retention.delete_messages(lp, "Nieuw", actor="fg", reason="nogmaals", **kwargs) == 0
    assert store.load_audit(lp).iloc[0]["outcome"] == "not_found"


@pytest.mark.parametrize("url, expected", [
    ("https://twitter.com/a/status/123", ("twitter", ["123"])),
    ("x.com/a/status/123", ("twitter", ["123"])),
    ("https://www.facebook.com/page/posts/987", ("facebook", ["987"])),
    ("https://m.facebook.com/permalink.php?story_fbid=55&id=1", ("facebook", ["55"])),
    ("https://www.reddit.com/r/nl/comments/abc/titel/def/", ("reddit", ["def", "t1_def", "t3_def"])),
])
def test_source_ids_from_url(url, expected):
    assert retention.source_ids_from_url(url) == expected


def test_delete_requires_one_target_and_reason(lp):
    with pytest.raises(ValueError, match="precies één"):
        retention.delete_messages(lp, "Nieuw", source_id="1", url="https://x.com/a/status/1", actor="a",
                                  reason="r")
    with pytest.raises(ValueError, match="reden"):
        retention.delete_messages(lp, "Nieuw", source_id="1", actor="a", reason=" ")


def test_clis(lp, capsys):
    assert delete_cli.main(["--incident", "Nieuw", "--source-id", "2", "--reason", "verzoek"]) == 0
    assert "1 bericht(en) verwijderd" in capsys.readouterr().out
    assert purge_cli.main(["--now", "2026-07-12T00:00", "--dry-run"]) == 0
    assert "Geen verlopen" in capsys.readouterr().out
    assert purge_cli.main(["--now", "2027-01-01T00:00"]) == 0
    assert "opgeschoond / purged: Oud: 3 berichten" in capsys.readouterr().out
    with lp.connect() as conn:
        n = conn.execute(select(func.count()).select_from(store.messages)).scalar_one()
    assert n == 2
    run = subprocess.run([sys.executable, "-c", "from pipeline.cli.delete import main; "
                          "raise SystemExit(main(['--help']))"], cwd=REPO, capture_output=True,
                         text=True, timeout=60)
    assert run.returncode == 0 and "--reason" in run.stdout and "--url" in run.stdout

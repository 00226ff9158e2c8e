"""Issue 11 hardening: files 0600, a key per incident, a purge that purges, first start, retention 0."""

from __future__ import annotations

import os
import sqlite3
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest

from pipeline import schema as S
from pipeline.cli import incident as incident_cli
from pipeline.cli import purge as purge_cli
from pipeline.governance import retention
from pipeline.ingest import privacy
from pipeline.ingest.load import ingest_file
from pipeline.storage import retention as storage_retention
from pipeline.storage import store
from tests.conftest import isolate_store

START = datetime(2026, 7, 11, tzinfo=UTC)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _incident(engine, name: str, **kw) -> int:
    return store.create_incident(engine, name=name, purpose="crisiscommunicatie", legal_basis="Wvr art. 7",
                                 responsible_officer="OvD-C", start_at=START, **kw)


def _csv(tmp_path: Path, name: str, rows: list[tuple[str, str]]) -> Path:
    # ids carry the file name: ingest rejects a file that reuses stored ids with other texts
    path = tmp_path / f"{name}.csv"
    lines = ["id,text,date,author,platform"] + [
        f"{name}-{i},{text},2026-07-11 14:{i:02d},{author},x" for i, (text, author) in enumerate(rows, 1)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def lp(tmp_path, monkeypatch):
    engine = isolate_store(tmp_path, monkeypatch)
    yield engine
    store.dispose_engines()


# --- point 2: files at 0600 --------------------------------------------------------------------
def test_database_wal_shm_and_key_are_private(lp, tmp_path):
    _incident(lp, "Brand")
    ingest_file(_csv(tmp_path, "a", [("rook bij de haven", "jan")]), "Brand", engine=lp)
    db = Path(str(lp.url.database))
    files = [db, Path(f"{db}-wal"), Path(f"{db}-shm"), Path(os.environ["LUISTERPOST_KEY_FILE"])]
    assert all(p.exists() for p in files)
    assert {str(p.name): _mode(p) for p in files} == {str(p.name): 0o600 for p in files}
    assert _mode(db.parent) == 0o700 and _mode(files[-1].parent) == 0o700


def test_existing_world_readable_database_is_tightened(tmp_path, monkeypatch):
    db = tmp_path / "home" / "lp.db"
    db.parent.mkdir(parents=True)
    sqlite3.connect(db).close()
    os.chmod(db, 0o644)
    isolate_store(tmp_path, monkeypatch)
    assert _mode(db) == 0o600


def test_key_readable_by_others_is_refused(tmp_path):
    key = tmp_path / "pseudonym.key"
    privacy.load_or_create_key(key)
    os.chmod(key, 0o644)
    with pytest.raises(privacy.KeyFileError, match=r"chmod 600.*readable by others"):
        privacy.load_or_create_key(key)
    os.chmod(key, 0o400)  # read-only for the owner is fine
    assert len(privacy.load_or_create_key(key)) == 32


def test_trained_model_folder_is_private(tmp_path):
    from pipeline.model.train import LinearCategoryModel, save_model

    texts = [f"rook en brand {i}" if i % 2 else f"water en drinken {i}" for i in range(40)]
    labels = [("brand",) if i % 2 else ("water",) for i in range(40)]
    try:
        model = LinearCategoryModel(min_positives=2).fit(texts, labels)
    except TypeError:
        pytest.skip("LinearCategoryModel API differs")
    folder = save_model(model, tmp_path / "models" / "v1")
    assert _mode(folder) == 0o700
    assert {_mode(p) for p in folder.iterdir()} == {0o600}


# --- point 3: a key per incident ------------------------------------------------------------------
def test_hkdf_matches_rfc5869_test_case_1():
    okm = privacy.hkdf_sha256(bytes([0x0B] * 22), salt=bytes(range(13)), info=bytes(range(0xF0, 0xFA)),
                              length=42)
    assert okm.hex() == ("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c"
                         "5db02d56ecc4c5bf34007208d5b887185865")


def test_same_author_has_unlinked_pseudonyms_across_incidents(lp, tmp_path):
    authors = [f"@burger{i}" for i in range(20)]
    for name in ("Brand A", "Brand B"):
        _incident(lp, name)
        ingest_file(_csv(tmp_path, name, [(f"rook {name} {i}", a) for i, a in enumerate(authors)]
                         + [("nog een bericht", authors[0])]), name, engine=lp)
    a = store.load_messages(lp, store.get_incident(lp, "Brand A")["id"])[S.AUTHOR]
    b = store.load_messages(lp, store.get_incident(lp, "Brand B")["id"])[S.AUTHOR]
    assert a.nunique() == b.nunique() == 20  # within an incident: one author, one pseudonym
    assert a.str.fullmatch(r"p_[0-9a-f]{16}").all()
    assert set(a) & set(b) == set()  # across incidents: 0 of 20 linked


def test_migration_rekeys_old_master_pseudonyms_once(lp, tmp_path):
    from sqlalchemy import delete, update

    _incident(lp, "Oud 1")
    _incident(lp, "Oud 2")
    ingest_file(_csv(tmp_path, "o1", [("rook", "jan"), ("vuur", "piet")]), "Oud 1", engine=lp)
    ingest_file(_csv(tmp_path, "o2", [("water", "jan")]), "Oud 2", engine=lp)
    master = privacy.load_or_create_key(Path(os.environ["LUISTERPOST_KEY_FILE"]))
    old = privacy.pseudonymise(pd.Series(["jan"]), master)[0]
    # simulate data stored before incident keys: master pseudonyms everywhere, no scheme recorded
    with lp.begin() as conn:
        conn.execute(update(store.messages).where(store.messages.c[S.TEXT].in_(["rook", "water"]))
                     .values({S.AUTHOR: old}))
        conn.execute(delete(store.meta_info).where(store.meta_info.c.key == "pseudonym_scheme"))
    assert store.rekey_pseudonyms_per_incident(lp) == 3
    one = store.load_messages(lp, store.get_incident(lp, "Oud 1")["id"])
    two = store.load_messages(lp, store.get_incident(lp, "Oud 2")["id"])
    jan1 = one.loc[one[S.TEXT] == "rook", S.AUTHOR].iloc[0]
    jan2 = two[S.AUTHOR].iloc[0]
    assert old not in set(one[S.AUTHOR]) | set(two[S.AUTHOR])
    assert jan1 != jan2
    # the same formula as a new import: jan's next message in "Oud 1" gets jan1
    ingest_file(_csv(tmp_path, "o1b", [("x", "a"), ("y", "b"), ("nieuw van jan", "jan")]), "Oud 1",
                engine=lp)
    again = store.load_messages(lp, store.get_incident(lp, "Oud 1")["id"])
    assert again.loc[again[S.TEXT] == "nieuw van jan", S.AUTHOR].iloc[0] == jan1
    assert store.rekey_pseudonyms_per_incident(lp) == 0  # once
    assert "migrate.pseudonyms" in set(store.load_audit(lp)["action"])


# --- point 5: a purge that purges ---------------------------------------------------------------------
SECRET = "Zeldzaamgeheimwoord bij de Vlonderstraat"


def _expired(lp, tmp_path) -> int:
    iid = _incident(lp, "Oud", retention_days=30)
    ingest_file(_csv(tmp_path, "oud", [(f"{SECRET} {i}", f"a{i}") for i in range(30)]), "Oud", engine=lp)
    store.close_incident(lp, iid, actor="test", at=START)
    return iid


def _file_bytes(lp) -> bytes:
    return b"".join(p.read_bytes() for p in storage_retention.sqlite_files(lp))


def test_purge_verifies_text_gone_from_db_and_wal(lp, tmp_path):
    _expired(lp, tmp_path)
    assert SECRET.encode() in _file_bytes(lp)
    [summary] = retention.purge_expired(lp, now=START + timedelta(days=31))
    assert summary["files_scrubbed"] and summary["texts_left"] == 0 and retention.purge_complete(summary)
    assert SECRET.encode() not in _file_bytes(lp)
    audit = store.load_audit(lp)
    purge = audit[audit["action"] == "purge"].iloc[-1]
    assert purge["reason"] == "retention_ended"
    assert SECRET not in " ".join(audit["details"].astype(str)) + " ".join(audit["reason"].astype(str))


def test_purge_blocked_by_a_reader_fails_loudly(lp, tmp_path, capsys):
    _expired(lp, tmp_path)
    reader = sqlite3.connect(str(lp.url.database))
    reader.execute("BEGIN")
    assert reader.execute("SELECT count(*) FROM messages").fetchone()[0] == 30  # holds a snapshot
    now = (START + timedelta(days=31)).isoformat()
    try:
        code = purge_cli.main(["--now", now, "--wait", "0.2"])
        err = capsys.readouterr().err
        assert code != 0
        assert "NIET volledig opgeschoond" in err and "NOT completely purged" in err
        assert "leestransactie" in err and "read transaction" in err
        assert SECRET.encode() in _file_bytes(lp)  # honest: the text really is still there
    finally:
        reader.rollback()
        reader.close()
    # the reader is gone: the next purge run finishes the job (no incident left to purge)
    assert purge_cli.main(["--now", now, "--wait", "0.2"]) == 0
    assert SECRET.encode() not in _file_bytes(lp)
    assert "incomplete" in set(store.load_audit(lp)["outcome"])


# --- point 7 and 14 ---------------------------------------------------------------------------------------
def test_empty_demo_incident_is_filled_on_next_start(lp):
    from pipeline.ingest import demo

    meta = demo.demo_metadata()
    iid = store.create_incident(lp, name=meta["name"], purpose=meta["purpose"],
                                legal_basis=meta["legal_basis"],
                                responsible_officer=meta["responsible_officer"],
                                start_at=pd.Timestamp(meta["start"]).to_pydatetime(), is_demo=True)
    assert store.count_messages(lp, iid) == 0  # a server killed between the two steps left this
    assert demo.ensure_demo(lp) == iid
    assert store.count_messages(lp, iid) > 4000
    assert demo.ensure_demo(lp) is None  # filled: nothing to do


@pytest.mark.parametrize("days", ["0", "-3"])
def test_retention_days_zero_refused_in_dutch_and_english(lp, capsys, days):

    code = incident_cli.main(["create", "--name", "X", "--purpose", "p", "--legal-basis", "b",
                              "--officer", "o", "--start", "2026-07-11T10:00", "--retention-days", days])
    err = capsys.readouterr().err
    assert code != 0
    assert "bewaartermijn moet minstens 1 dag zijn" in err and "retention_days must be at least 1" in err
    assert store.list_incidents(lp).empty

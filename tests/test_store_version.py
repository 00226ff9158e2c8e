"""Issue 15: the cheap data version, id-range queries and their plans, Alembic migrations."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
import pytest
from sqlalchemy import Column, Integer, Table, create_engine, event, func, insert, inspect, select, text

from pipeline import schema as S
from pipeline.storage import store


def _incident(engine, name="Brand versie"):
    return store.create_incident(
        engine, name=name, purpose="crisiscommunicatie", legal_basis="Wvr art. 7",
        responsible_officer="OVD-C", start_at=datetime(2026, 7, 11, 11, tzinfo=UTC))


def _raw(ids, author="@buur", official_author=None):
    n = len(ids)
    return pd.DataFrame({
        "id": [str(i) for i in ids],
        "datum": [f"2026-07-11 14:{i % 60:02d}:00" for i in ids],
        "bericht": [f"Stinkt hier naar plastic, ramen dicht? nummer {i}" for i in ids],
        "auteur": [official_author or f"{author}{i % 5}" for i in ids],
        "bron": ["Twitter"] * n,
    })


def _counted(engine, incident_id):
    """The data version the old way: COUNT + MAX over the tables."""
    with engine.connect() as conn:
        n, last = conn.execute(select(func.count(), func.coalesce(func.max(store.messages.c.id), 0))
                               .where(store.messages.c.incident_id == incident_id)).one()
        n_moments = conn.execute(select(func.count()).select_from(store.moments)
                                 .where(store.moments.c.incident_id == incident_id)).scalar_one()
    return int(n), int(last), int(n_moments)


def _check(engine, iid):
    v = store.data_version(engine, iid)
    assert tuple(v[:3]) == _counted(engine, iid)
    listed = store.list_incidents(engine).set_index("id")["n_messages"]
    assert int(listed[iid]) == v.n_messages  # the incident list reads the same state, not a count
    return v


def test_every_writer_bumps_the_version_and_keeps_the_counts_exact(engine, tmp_path, monkeypatch):
    from pipeline.governance import retention
    from pipeline.ingest.load import ingest_frame
    from pipeline.model import labels

    officials = tmp_path / "officials.csv"
    officials.write_text("platform,account,name,kind\n*,vrzuid,VR Zuid,authority\n", encoding="utf-8")
    monkeypatch.setenv("LUISTERPOST_OFFICIAL_ACCOUNTS", str(officials))
    iid = _incident(engine)
    other = _incident(engine, "Ander incident")
    v0 = _check(engine, iid)
    assert v0 == (0, 0, 0, 0)

    ingest_frame(_raw(range(20)), iid, engine=engine, actor="t")
    v1 = _check(engine, iid)
    assert v1.n_messages == 20 and v1.version > v0.version

    ingest_frame(_raw(range(20)), iid, engine=engine, actor="t")  # re-import adds nothing
    assert _check(engine, iid) == v1  # ... and keeps every cache valid

    ingest_frame(_raw([100], official_author="vrzuid"), iid, engine=engine, actor="t")  # -> a moment
    v2 = _check(engine, iid)
    assert v2.n_messages == 21 and v2.n_moments == 1 and v2.version > v1.version

    with store._write_begin(engine) if engine.dialect.name == "sqlite" else engine.begin() as conn:
        store.add_moment(conn, iid, time=datetime(2026, 7, 11, 15, tzinfo=UTC), channel="website",
                         text="Persbericht")
    v3 = _check(engine, iid)
    assert v3.n_moments == 2 and v3.version > v2.version

    message_id = int(store.load_messages(engine, iid)[S.MESSAGE_ID].iloc[0])
    labels.save_correction(engine, message_id, ["vraag"], actor="analist")  # incident found by message
    v4 = _check(engine, iid)
    assert v4[:3] == v3[:3] and v4.version > v3.version

    # delete on request: the newest message goes, so the last id must step back
    assert retention.delete_messages(engine, iid, source_id="100", actor="t", reason="verzoek") == 1
    v5 = _check(engine, iid)
    assert v5.n_messages == 20 and v5.last_message_id < v4.last_message_id and v5.version > v4.version

    assert store.data_version(engine, other) == (0, 0, 0, 0)  # the other incident never moved

    with engine.begin() as conn:  # retention ended: purge
        conn.execute(store.incidents.update().where(store.incidents.c.id == iid).values(
            closed_at=datetime(2026, 7, 12), retention_days=1))
    retention.purge_expired(engine, now=datetime(2027, 1, 1, tzinfo=UTC), actor="t", wait_seconds=0)
    v6 = _check(engine, iid)
    assert v6.n_messages == 0 and v6.last_message_id == 0 and v6.version > v5.version


def test_the_incident_list_counts_an_incident_without_a_state_row(engine):
    from pipeline.ingest.load import ingest_frame

    iid = _incident(engine)
    ingest_frame(_raw(range(7)), iid, engine=engine, actor="t")
    with engine.begin() as conn:  # a store from before the state table, or a lost row
        conn.execute(store.incident_state.delete().where(store.incident_state.c.incident_id == iid))
    listed = store.list_incidents(engine).set_index("id")["n_messages"]
    assert int(listed[iid]) == 7


def test_demo_load_keeps_the_state_in_step(engine):
    from pipeline.ingest.demo import load_demo

    iid = load_demo(engine)
    v = _check(engine, iid)
    assert v.n_messages > 100 and v.n_moments > 0


def test_a_cached_analysis_cannot_survive_a_deletion_on_request(engine):
    from pipeline.analysis.chain import analyze_incident, update_incident
    from pipeline.governance import retention
    from pipeline.ingest.load import ingest_frame

    iid = _incident(engine)
    ingest_frame(_raw(range(30)), iid, engine=engine, actor="t")
    seen = store.data_version(engine, iid)
    cached = analyze_incident(engine, iid)
    retention.delete_messages(engine, iid, source_id="7", actor="t", reason="verzoek van de auteur")
    assert store.data_version(engine, iid) != seen  # the page cache key changes
    fresh = update_incident(engine, iid, cached)  # the incremental path notices the gap
    assert len(fresh.frame) == 29
    assert "7" not in set(fresh.frame[S.SOURCE_ID])


def test_count_up_to_id_and_load_after_id(engine):
    from pipeline.ingest.load import ingest_frame

    iid = _incident(engine)
    other = _incident(engine, "Ander")
    ingest_frame(_raw(range(10)), iid, engine=engine, actor="t")
    ingest_frame(_raw(range(10)), other, engine=engine, actor="t")
    ids = sorted(store.load_messages(engine, iid)[S.MESSAGE_ID])
    assert store.count_messages(engine, iid) == 10
    assert store.count_messages(engine, iid, up_to_id=ids[3]) == 4
    assert store.count_messages(engine, iid, up_to_id=0) == 0
    # late messages with early times: after_id returns the new rows, in time order
    ingest_frame(pd.DataFrame({"id": ["late1", "late2"], "datum": ["2026-07-11 14:30", "2026-07-11 13:00"],
                               "bericht": ["later maar eerder", "nog eerder"], "auteur": ["a", "b"],
                               "bron": ["Twitter"] * 2}), iid, engine=engine, actor="t")
    new = store.load_messages(engine, iid, after_id=ids[-1])
    assert list(new[S.SOURCE_ID]) == ["late2", "late1"]
    assert new[S.CREATED_AT].is_monotonic_increasing
    assert store.count_messages(engine, iid, up_to_id=ids[-1]) == 10


def _plans(engine, action):
    """Run `action`, return EXPLAIN QUERY PLAN lines of every SELECT it sent."""
    sent: list[tuple[str, object]] = []

    def grab(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT") and not executemany:
            sent.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", grab)
    try:
        action()
    finally:
        event.remove(engine, "before_cursor_execute", grab)
    plans = []
    with engine.connect() as conn:
        for statement, parameters in sent:
            rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).fetchall()
            plans.append((statement, [r[-1] for r in rows]))
    return plans


def test_query_plans_read_index_ranges_not_the_incident(engine):
    from pipeline.ingest.load import ingest_frame

    iid = _incident(engine)
    ingest_frame(_raw(range(50)), iid, engine=engine, actor="t")
    with engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
    top = store.data_version(engine, iid).last_message_id

    def moments():
        with engine.connect() as conn, conn.begin():
            store.moments_from_official_messages(conn, iid)

    for name, action in [("data_version", lambda: store.data_version(engine, iid)),
                         ("load after id", lambda: store.load_messages(engine, iid, after_id=top - 5)),
                         ("count up to id", lambda: store.count_messages(engine, iid, up_to_id=top - 5)),
                         ("moments", moments)]:
        plans = _plans(engine, action)
        assert plans, name
        for statement, lines in plans:
            about_messages = [ln for ln in lines if "messages" in ln and "moments" not in ln]
            for line in about_messages:
                assert line.startswith("SEARCH"), (name, statement, lines)  # never SCAN the table
                assert "ix_messages_incident_time" not in line, (name, lines)
            if name == "moments" and "official_kind" in statement:
                assert any("ix_messages_incident_official" in ln for ln in about_messages), lines
            if name in ("load after id", "count up to id"):
                assert any("id>?" in ln.replace(" ", "") or "rowid>?" in ln.replace(" ", "")
                           for ln in about_messages), lines
        if name == "data_version":
            assert all("messages" not in ln for _s, lines in plans for ln in lines)


# --- migrations ---------------------------------------------------------------------------
def _old_database(path):
    """Create a database exactly as the code before Alembic did, with data in it."""
    from pipeline.storage.migrations.baseline_schema import baseline_metadata

    old = create_engine(f"sqlite:///{path}")
    meta = baseline_metadata()
    meta.create_all(old)
    t = meta.tables
    with old.begin() as conn:
        conn.execute(insert(t["meta_info"]).values(key="schema_version", value="1"))
        conn.execute(insert(t["meta_info"]).values(key="pseudonym_scheme", value="incident-hkdf-v1"))
        conn.execute(insert(t["incidents"]).values(
            id=1, name="Oud incident", description="", purpose="p", legal_basis="l", responsible_officer="o",
            keywords=[], sources=[], start_at=datetime(2026, 7, 11), retention_days=90, is_demo=False,
            created_by="t", created_at=datetime(2026, 7, 11)))
        conn.execute(insert(t["messages"]), [
            {"incident_id": 1, "platform": "twitter", "source_id": str(i),
             "created_at": datetime(2026, 7, 11, 12, i), "text": f"oud bericht {i}", "author": f"p_{i:016x}",
             "is_official": i == 3, "official_kind": "authority" if i == 3 else "", "url_domain": "",
             "is_reply": False, "is_repost": False, "time_flag": "", "ingested_at": datetime(2026, 7, 11, 13)}
            for i in range(12)])
        conn.execute(insert(t["moments"]).values(
            incident_id=1, time=datetime(2026, 7, 11, 12, 3), channel="tweet", text="oud moment",
            origin="manual", created_by="t", created_at=datetime(2026, 7, 11, 13)))
    old.dispose()


def test_a_database_of_the_old_code_is_stamped_upgraded_and_keeps_its_data(lp_home, monkeypatch):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    db = lp_home / "old.db"
    lp_home.mkdir(parents=True, exist_ok=True)
    _old_database(db)
    monkeypatch.setenv("LUISTERPOST_DB_URL", f"sqlite:///{db}")
    store.dispose_engines()
    engine = store.get_engine()  # migrates
    assert store.schema_revision(engine) == "0005"
    msgs = store.load_messages(engine, 1)
    assert len(msgs) == 12 and set(msgs[S.TEXT]) == {f"oud bericht {i}" for i in range(12)}
    assert list(msgs[S.AUTHOR].head(2)) == ["p_0000000000000000", "p_0000000000000001"]  # not re-keyed
    assert len(store.load_moments(engine, 1)) == 1
    v = store.data_version(engine, 1)
    assert tuple(v[:3]) == _counted(engine, 1) == (12, 12, 1)  # backfilled from the data
    indexes = {ix["name"] for ix in inspect(engine).get_indexes("messages")}
    assert {"ix_messages_incident_id", "ix_messages_incident_official"} <= indexes
    with engine.connect() as conn:  # the upgraded schema is exactly the code's schema
        assert compare_metadata(MigrationContext.configure(conn), store.metadata) == []
        assert conn.execute(text("SELECT value FROM meta_info WHERE key='schema_version'")).scalar() == "1"
    # the upgraded store works as before: ingest more, version moves on
    from pipeline.ingest.load import ingest_frame

    ingest_frame(_raw(range(100, 103)), 1, engine=engine, actor="t")
    assert store.data_version(engine, 1).n_messages == 15
    store.dispose_engines()
    store.migrate(store.get_engine())  # idempotent
    assert store.schema_revision(store.get_engine()) == "0005"
    assert store.count_messages(store.get_engine(), 1) == 15


def test_an_empty_database_is_created_and_stamped_at_head(engine):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    assert store.schema_revision(engine) == "0005"
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), store.metadata) == []


def test_the_revisions_alone_build_the_schema_of_the_code(tmp_path):
    """Upgrading an empty database through every revision gives exactly `store.metadata`."""
    from alembic import command
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    bare = create_engine(f"sqlite:///{tmp_path / 'bare.db'}")
    with bare.begin() as conn:
        command.upgrade(store._alembic_config(conn), "head")
    with bare.connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() == "0005"
        assert compare_metadata(MigrationContext.configure(conn), store.metadata) == []
        # (compare_metadata does not see an index's WHERE): the official index is partial, as in
        # a store the code creates
        official = "SELECT sql FROM sqlite_master WHERE name = 'ix_messages_incident_official'"
        assert "WHERE official_kind != ''" in conn.exec_driver_sql(official).scalar()
    fresh = create_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    store.metadata.create_all(fresh)
    with fresh.connect() as conn:
        assert "WHERE official_kind != ''" in conn.exec_driver_sql(official).scalar()
    fresh.dispose()
    with bare.begin() as conn:  # and back down to the baseline
        command.downgrade(store._alembic_config(conn), "0001")
    assert "incident_state" not in inspect(bare).get_table_names()
    bare.dispose()


def test_a_new_table_in_metadata_needs_no_revision(lp_home):
    engine = store.get_engine()
    extra = Table("lp_test_new_table", store.metadata, Column("id", Integer, primary_key=True))
    try:
        store.migrate(engine)
        assert "lp_test_new_table" in inspect(engine).get_table_names()
        assert store.schema_revision(engine) == "0005"
    finally:
        store.metadata.remove(extra)


@pytest.mark.parametrize("n", [0, 3])
def test_migrate_rekeys_old_pseudonyms_once(lp_home, monkeypatch, n):
    """The pseudonym re-key step still runs after Alembic (old data without the scheme row)."""
    db = lp_home / "old.db"
    lp_home.mkdir(parents=True, exist_ok=True)
    _old_database(db)
    old = create_engine(f"sqlite:///{db}")
    with old.begin() as conn:
        conn.execute(text("DELETE FROM meta_info WHERE key='pseudonym_scheme'"))
        conn.execute(text(f"DELETE FROM messages WHERE id > {n}"))
    old.dispose()
    monkeypatch.setenv("LUISTERPOST_DB_URL", f"sqlite:///{db}")
    store.dispose_engines()
    engine = store.get_engine()
    authors = list(store.load_messages(engine, 1)[S.AUTHOR])
    assert len(authors) == n
    assert all(a.startswith("p_") and a != f"p_{i:016x}" for i, a in enumerate(authors))
    assert tuple(store.data_version(engine, 1)[:3]) == _counted(engine, 1)


def test_downgrading_below_0004_puts_the_idf_back_into_the_theme_state(lp_home):
    import json

    from alembic import command

    engine = store.get_engine()
    iid = _incident(engine)
    idf = {"n_docs": 2, "default": 1.4, "indices": [3], "values": [1.1], "key": "k1"}
    store.save_theme_state(engine, iid, {"model": {"idf": idf, "themes": []}, "seen_max_id": 2}, 2)
    with engine.begin() as conn:
        command.downgrade(store._alembic_config(conn), "0003")
    assert "theme_idf" not in inspect(engine).get_table_names()
    with engine.connect() as conn:
        state = json.loads(conn.execute(text("SELECT state FROM theme_models")).scalar())
    assert state["model"]["idf"] == idf

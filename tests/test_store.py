"""The store: schema, idempotent inserts, moments, hash-chained audit log."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
import pytest
from sqlalchemy import text, update

from pipeline import schema as S
from pipeline.storage import store


def _incident(engine, name="Brand test"):
    return store.create_incident(
        engine, name=name, purpose="crisiscommunicatie", legal_basis="Wvr art. 7",
        responsible_officer="OVD-C", start_at=datetime(2026, 7, 11, 11, tzinfo=UTC))


def _frame(ids, official=False):
    n = len(ids)
    return pd.DataFrame({
        S.PLATFORM: ["twitter"] * n,
        S.SOURCE_ID: [str(i) for i in ids],
        S.CREATED_AT: pd.date_range("2026-07-11 11:00", periods=n, freq="min", tz="UTC"),
        S.TEXT: [f"bericht {i}" for i in ids],
        S.AUTHOR: [f"p_{i:016x}" for i in ids],
        S.IS_OFFICIAL: [official] * n,
        S.OFFICIAL_KIND: ["authority" if official else ""] * n,
        S.URL_DOMAIN: [""] * n,
        S.IS_REPLY: [False] * n,
        S.IS_REPOST: [False] * n,
        S.TIME_FLAG: [""] * n,
    })


def test_sqlite_pragmas_are_safe(engine):
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA secure_delete")).scalar() == 1


def test_incident_requires_purpose_and_legal_basis(engine):
    with pytest.raises(ValueError, match="purpose"):
        store.create_incident(engine, name="x", purpose=" ", legal_basis="b",
                              responsible_officer="c", start_at=datetime.now(UTC))
    with pytest.raises(ValueError, match="legal_basis"):
        store.create_incident(engine, name="x", purpose="a", legal_basis="",
                              responsible_officer="c", start_at=datetime.now(UTC))


def test_naive_times_are_refused(engine):
    with pytest.raises(ValueError, match="naive"):
        store.create_incident(engine, name="x", purpose="a", legal_basis="b",
                              responsible_officer="c", start_at=datetime(2026, 1, 1))


def test_insert_twice_adds_nothing_the_second_time(engine):
    iid = _incident(engine)
    with engine.begin() as conn:
        assert store.insert_messages(conn, iid, _frame([1, 2, 3])) == 3
    with engine.begin() as conn:
        assert store.insert_messages(conn, iid, _frame([1, 2, 3])) == 0
    with engine.begin() as conn:  # overlapping batch: only the new ones
        assert store.insert_messages(conn, iid, _frame([3, 4])) == 1
    loaded = store.load_messages(engine, iid)
    assert sorted(loaded[S.SOURCE_ID]) == ["1", "2", "3", "4"]
    assert str(loaded[S.CREATED_AT].dt.tz) == "UTC"
    assert loaded[S.CREATED_AT].iloc[0] == pd.Timestamp("2026-07-11 11:00", tz="UTC")


def test_failed_transaction_leaves_nothing(engine):
    iid = _incident(engine)
    with pytest.raises(RuntimeError), engine.begin() as conn:
        store.insert_messages(conn, iid, _frame([1, 2]))
        raise RuntimeError("crash mid-import")
    assert store.load_messages(engine, iid).empty


def test_authority_posts_become_moments_once(engine):
    iid = _incident(engine)
    with engine.begin() as conn:
        store.insert_messages(conn, iid, pd.concat([_frame([1, 2]), _frame([9], official=True)]))
        assert store.moments_from_official_messages(conn, iid) == 1
        assert store.moments_from_official_messages(conn, iid) == 0
    moments = store.load_moments(engine, iid)
    assert moments[S.MOMENT_TEXT].tolist() == ["bericht 9"]
    assert moments[S.MOMENT_ORIGIN].tolist() == ["official_account"]


def test_manual_moment_validates_channel(engine):
    iid = _incident(engine)
    with engine.begin() as conn, pytest.raises(ValueError, match="channel"):
        store.add_moment(conn, iid, time=datetime.now(UTC), channel="fax", text="x")


def test_data_version_changes_with_data(engine):
    iid = _incident(engine)
    v0 = store.data_version(engine, iid)
    with engine.begin() as conn:
        store.insert_messages(conn, iid, _frame([1]))
    assert store.data_version(engine, iid) != v0


def test_audit_chain_detects_edit_and_deletion(engine):
    for i in range(4):
        store.audit(engine, actor="anna", action="page.view", obj=f"page:{i}")
    assert store.verify_audit(engine) == []
    with engine.begin() as conn:
        conn.execute(update(store.audit_log).where(store.audit_log.c.id == 3)
                     .values(actor="mallory"))
    assert any("entry 3" in p for p in store.verify_audit(engine))
    with engine.begin() as conn:  # restore, then delete one entry
        conn.execute(update(store.audit_log).where(store.audit_log.c.id == 3).values(actor="anna"))
    assert store.verify_audit(engine) == []
    with engine.begin() as conn:
        conn.execute(store.audit_log.delete().where(store.audit_log.c.id == 2))
    assert store.verify_audit(engine)


def test_theme_state_round_trip(engine):
    iid = _incident(engine)
    assert store.load_theme_state(engine, iid) is None
    store.save_theme_state(engine, iid, {"themes": [1, 2]}, 10)
    store.save_theme_state(engine, iid, {"themes": [1, 2, 3]}, 12)
    assert store.load_theme_state(engine, iid) == {"themes": [1, 2, 3]}


def test_theme_state_keeps_what_json_kept(engine):
    """orjson writes the state (issue 15): the same data json wrote, and states json wrote still load."""
    import json

    import numpy as np
    iid = _incident(engine)
    state = {"model": {"idf": {"values": [0.1 + 0.2, 1e-300, 2.5], "n": np.int64(7)},
                       "other": {3: "drie", "é": ["ü", "🙏"]}, "f": np.float64(1.5)}, "seen_max_id": 9}
    store.save_theme_state(engine, iid, state, 9)
    assert store.load_theme_state(engine, iid) == json.loads(json.dumps(state, default=int))
    with engine.begin() as conn:  # a state written by json with a non-finite number
        conn.execute(text("UPDATE theme_models SET state = :s WHERE incident_id = :i"),
                     {"s": json.dumps({"x": float("nan"), "y": [1]}), "i": iid})
    loaded = store.load_theme_state(engine, iid)
    assert loaded["y"] == [1] and np.isnan(loaded["x"])


def test_theme_state_is_stored_as_utf8_bytes_on_sqlite_and_text_states_still_load(engine):
    """SQLite gets orjson's bytes (no decode + re-encode of the ~2,5 MB per live update); both load."""
    iid = _incident(engine)
    state = {"model": {"pending": {"texts": ["rook boven de haven", "دخان أسود", "🙏 ü"]}, "n": 3},
             "seen_max_id": 4}
    store.save_theme_state(engine, iid, state, 4)
    with engine.connect() as conn:
        kind, raw = conn.execute(text("SELECT typeof(state), state FROM theme_models WHERE incident_id = :i"),
                                 {"i": iid}).one()
    assert kind == "blob" and raw.decode("utf-8") == store._state_json(state)
    assert store.load_theme_state(engine, iid) == state
    with engine.begin() as conn:  # a state stored as text by the code before
        conn.execute(text("UPDATE theme_models SET state = :s WHERE incident_id = :i"),
                     {"s": store._state_json(state), "i": iid})
        assert conn.execute(text("SELECT typeof(state) FROM theme_models")).scalar() == "text"
    assert store.load_theme_state(engine, iid) == state


def test_multi_row_inserts_store_what_one_row_statements_store(engine, monkeypatch):
    """Rows in multi-row INSERT statements: same ids, values, skipped duplicates and count as row by row."""
    def stored(iid):  # all but the author: its pseudonym is keyed per incident
        with engine.connect() as conn:
            return conn.execute(text(
                "SELECT id - (SELECT MIN(id) FROM messages WHERE incident_id = :i), platform, source_id, "
                "created_at, text, is_official, official_kind, url_domain, is_reply, is_repost, "
                "time_flag, batch_id, typeof(is_official), typeof(created_at) FROM messages "
                "WHERE incident_id = :i ORDER BY id"), {"i": iid}).all()

    frame = _frame(list(range(1, 23)))
    frame.loc[5, S.IS_OFFICIAL] = True
    frame.loc[5, S.OFFICIAL_KIND] = "authority"
    frame.loc[7, S.URL_DOMAIN] = "omroep.nl"
    frame.loc[9, S.TIME_FLAG] = "dst_gap"
    frame.loc[11, S.IS_REPOST] = True
    added = {}
    for name, per in (("rij per rij", 1), ("meer rijen", 4)):
        monkeypatch.setattr(store, "_SQLITE_ROWS_PER_INSERT", per)
        iid = _incident(engine, name)
        with engine.begin() as conn:  # some ids stored before: skipped inside full and partial statements
            store.insert_messages(conn, iid, _frame([3, 9, 22]))
        with engine.begin() as conn:
            added[name] = store.insert_messages(conn, iid, frame, batch_id=7)
        added[name, "rows"] = stored(iid)
    assert added["rij per rij"] == added["meer rijen"] == 19
    assert added["rij per rij", "rows"] == added["meer rijen", "rows"]
    assert len(added["meer rijen", "rows"]) == 22


def test_the_theme_idf_is_written_once_per_fit_and_loads_back_with_the_state(engine):
    """A live update rewrites the theme state but not its idf (issue 15); the state loads whole."""
    from pipeline.storage.retention import drop_theme_state

    iid = _incident(engine)
    idf = {"n_docs": 3, "default": 1.5, "indices": [4, 9], "values": [1.1, 1.2], "key": "a1"}
    state = {"model": {"idf": idf, "themes": [1]}, "seen_max_id": 3}
    store.save_theme_state(engine, iid, state, 3)

    def stored():
        with engine.connect() as conn:
            return (conn.execute(text("SELECT state FROM theme_models")).scalar(),
                    conn.execute(text("SELECT rowid, idf_key, idf FROM theme_idf")).all())

    first_state, first_idf = stored()
    assert b"1.1" not in first_state and [r.idf_key for r in first_idf] == ["a1"]
    later = {"model": {"idf": dict(idf, values=[9.9, 9.9]), "themes": [1, 2]}, "seen_max_id": 5}
    store.save_theme_state(engine, iid, later, 5)  # same key: the idf row is not written again
    assert stored()[1] == first_idf and stored()[0] != first_state
    assert store.load_theme_state(engine, iid) == {"model": {"idf": idf, "themes": [1, 2]}, "seen_max_id": 5}
    refit = {"model": {"idf": dict(idf, indices=[5], values=[2.0], key="b2"), "themes": [7]},
             "seen_max_id": 6}
    store.save_theme_state(engine, iid, refit, 6)
    assert store.load_theme_state(engine, iid) == refit and [r.idf_key for r in stored()[1]] == ["b2"]
    whole = {"model": {"idf": {"n_docs": 1, "indices": [], "values": []}, "themes": []}, "seen_max_id": 1}
    store.save_theme_state(engine, iid, whole, 1)  # no key (a state made before keys): kept whole
    assert store.load_theme_state(engine, iid) == whole
    store.save_theme_state(engine, iid, refit, 6)
    with engine.begin() as conn:  # an idf row of another fit: the state is not usable (themes refit)
        conn.execute(text("UPDATE theme_idf SET idf_key = 'x'"))
    assert store.load_theme_state(engine, iid) is None
    with engine.begin() as conn:
        drop_theme_state(conn, iid)
    assert stored() == (None, [])


def test_a_fitted_theme_model_keys_its_idf_and_keeps_the_key_through_a_live_update():
    from pipeline.analysis.themes import ThemeModel

    texts = [f"rook boven de haven {i % 7} ramen dicht" for i in range(60)] + \
            [f"stroomstoring in de wijk {i % 5} geen licht" for i in range(60)]
    df = pd.DataFrame({S.TERMS: [tuple(t.split()) for t in texts], S.AUTHOR: [f"a{i}" for i in range(120)],
                       S.CREATED_AT: pd.Timestamp("2026-07-11 10:00", tz="UTC"),
                       S.CLEAN_TEXT: texts, S.RELEVANT: True, S.CATEGORIES: [("vraag",)] * 120})
    model = ThemeModel(min_authors=3).fit(df.iloc[:80])
    key = model.to_dict()["idf"]["key"]
    again = ThemeModel.from_dict(model.to_dict())
    assert again.to_dict()["idf"]["key"] == key
    again.partial_fit(df.iloc[80:])  # a live update never changes the idf
    assert again.to_dict()["idf"]["key"] == key
    assert ThemeModel(min_authors=3).fit(df.iloc[:60]).to_dict()["idf"]["key"] != key  # other texts

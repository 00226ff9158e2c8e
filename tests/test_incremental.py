"""Issue 15: analysed columns stored with the message; restart, updates and "as of T" read them."""

from __future__ import annotations

from datetime import UTC

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from pipeline import schema as S
from pipeline.analysis import chain
from pipeline.analysis.themes import ThemeModel


def _demo_rows(n: int) -> pd.DataFrame:
    from pathlib import Path

    path = Path(chain.__file__).resolve().parents[2] / "data" / "demo_incident.csv"
    return pd.read_csv(path, sep=";", nrows=n, dtype=str, encoding="utf-8-sig")


@pytest.fixture
def live(engine):
    """An incident with 400 messages ingested (the rest of 700 are returned for later batches)."""
    from pipeline.ingest.load import ingest_frame
    from pipeline.storage import store

    store.create_incident(engine, name="Live", purpose="test", legal_basis="test",
                          responsible_officer="test",
                          start_at=pd.Timestamp("2026-07-11 10:00", tz=UTC).to_pydatetime(),
                          keywords=["brand", "rook"])
    raw = _demo_rows(700)
    ingest_frame(raw.iloc[:400], "Live", engine=engine)
    return store.get_incident(engine, "Live")["id"], raw.iloc[400:]


@pytest.fixture
def enrich_calls(monkeypatch):
    """Count the messages that go through the (expensive) per-text analysis."""
    seen: list[list[int]] = []
    real = chain.enrich

    def counting(df, *args, **kwargs):
        seen.append(df[S.MESSAGE_ID].astype(int).tolist() if S.MESSAGE_ID in df else [-1] * len(df))
        return real(df, *args, **kwargs)

    monkeypatch.setattr(chain, "enrich", counting)
    return seen


def test_restart_reads_stored_columns_and_never_reanalyses(engine, live, enrich_calls):
    incident_id, _rest = live
    before = chain.analyze_incident(engine, incident_id)
    assert sum(map(len, enrich_calls)) == 400  # first open: every message analysed once
    enrich_calls.clear()
    after = chain.analyze_incident(engine, incident_id)  # a restart: nothing cached in memory
    assert enrich_calls == []
    assert_frame_equal(before.frame, after.frame)
    assert list(after.frame.columns) == list(before.frame.columns)
    assert after.frame[S.TERMS].map(type).eq(tuple).all()
    assert after.frame[S.CATEGORIES].map(type).eq(tuple).all()


def test_update_analyses_only_the_new_ids_and_restart_equals_live(engine, live, enrich_calls):
    from pipeline.ingest.load import ingest_frame
    from pipeline.storage import store

    incident_id, rest = live
    result = chain.analyze_incident(engine, incident_id)
    for start in range(0, 300, 100):
        known = set(result.frame[S.MESSAGE_ID])
        ingest_frame(rest.iloc[start:start + 100], "Live", engine=engine)
        enrich_calls.clear()
        result = chain.update_incident(engine, incident_id, result)
        analysed = [i for call in enrich_calls for i in call]
        assert len(analysed) == 100 and not known & set(analysed)  # only new ids
        assert set(analysed) == set(result.frame[S.MESSAGE_ID]) - known
    assert len(result.frame) == 700
    stored = store.load_analysed(engine, incident_id)
    assert stored["model_version"].notna().all()  # every message has its stored analysis
    enrich_calls.clear()
    restarted = chain.analyze_incident(engine, incident_id)
    assert enrich_calls == []
    live_frame = result.frame.sort_values([S.CREATED_AT, S.MESSAGE_ID], kind="stable", ignore_index=True)
    assert_frame_equal(live_frame, restarted.frame)


def test_the_stored_state_names_pending_messages_by_id_and_a_restart_restores_them(engine, live):
    from pipeline.ingest.load import ingest_frame
    from pipeline.storage import store

    incident_id, rest = live
    result = chain.analyze_incident(engine, incident_id)
    for start in range(0, 200, 100):
        ingest_frame(rest.iloc[start:start + 100], "Live", engine=engine)
        result = chain.update_incident(engine, incident_id, result)
    pending = result.theme_model.pending_
    assert len(pending["ids"]) == len(pending["terms"]) >= 20  # the demo leaves messages unassigned
    stored = store.load_theme_state(engine, incident_id)["model"]["pending"]
    assert stored == {"ids": pending["ids"]}  # no message text or terms copied into the state
    restarted = chain.analyze_incident(engine, incident_id)
    assert restarted.theme_model.pending_ == pending
    # and both go on alike: the next batch gives the same themes, live and after the restart
    ingest_frame(rest.iloc[200:], "Live", engine=engine)
    frame = chain.update_incident(engine, incident_id, result).frame
    batch = frame[frame[S.MESSAGE_ID] > result.frame[S.MESSAGE_ID].max()]
    live_next = result.theme_model.copy().partial_fit(batch)
    again = restarted.theme_model.copy().partial_fit(batch)
    assert live_next.next_id_ > result.theme_model.next_id_  # the batch found new themes in pending
    assert again.to_dict() == live_next.to_dict()
    # themes found from pending are dated by their messages (epoch ms kept whatever the column's unit)
    assert {t["created_at"][:10] for t in live_next.themes_} == {"2026-07-11"}


def test_restoring_pending_leaves_out_messages_that_are_gone() -> None:
    frame = pd.DataFrame({S.MESSAGE_ID: [7, 3, 9], S.AUTHOR: ["a", "b", "c"],
                          S.TERMS: [("gas",), ("stank",), ("rook",)],
                          S.CREATED_AT: pd.to_datetime(["2026-07-11 10:00", "2026-07-11 10:01",
                                                        "2026-07-11 10:02"], utc=True),
                          S.CLEAN_TEXT: ["gas", "stank", "rook"], S.LANGUAGE: ["nl", "nl", "nl"]})
    model = ThemeModel()
    model.pending_ids_to_restore_ = [9, 4, 7]  # 4 was deleted meanwhile
    model.restore_pending(frame)
    assert model.pending_["ids"] == [9, 7]
    assert model.pending_["texts"] == ["rook", "gas"]
    assert model.pending_["terms"] == [["rook"], ["gas"]]
    assert model.pending_ids_to_restore == []


def test_cache_policy_updates_incrementally_and_reanalyses_after_a_model_change(engine, live,
                                                                                enrich_calls,
                                                                                monkeypatch):
    from pipeline.ingest.load import ingest_frame
    from pipeline.storage import store

    incident_id, rest = live
    cache = chain.AnalysisCache()
    first = cache.get(engine, incident_id)
    assert cache.get(engine, incident_id) is first  # same data version: the cached result
    ingest_frame(rest.iloc[:50], "Live", engine=engine)
    enrich_calls.clear()
    second = cache.get(engine, incident_id)
    assert sum(map(len, enrich_calls)) == 50 and len(second.frame) == 450
    # a new model: stored analyses stay shown; each refresh re-analyses one bounded batch
    monkeypatch.setattr(chain, "current_model_version", lambda _engine: "v2")
    monkeypatch.setattr(chain, "REANALYSE_BATCH", 200)
    monkeypatch.setattr(chain.reanalyse_outdated, "__defaults__", (200,))
    enrich_calls.clear()
    third = cache.get(engine, incident_id)
    assert sum(map(len, enrich_calls)) == 200 and len(third.frame) == 450
    left = store.outdated_analysis_ids(engine, incident_id, "v2")
    assert len(left) == 250
    cache.get(engine, incident_id)
    cache.get(engine, incident_id)
    assert store.outdated_analysis_ids(engine, incident_id, "v2") == []
    enrich_calls.clear()
    cache.get(engine, incident_id)
    assert enrich_calls == []  # up to date: nothing more to do


def test_first_open_asks_the_store_for_outdated_rows_only_when_some_are(engine, live, enrich_calls,
                                                                         monkeypatch):
    """A restart reads every stored model version: all current, no query; some old, a batch is redone."""
    from pipeline.storage import store

    incident_id, _rest = live
    chain.AnalysisCache().get(engine, incident_id)  # analysed and stored with the current model
    asked = []
    real = store.outdated_analysis_ids
    monkeypatch.setattr(store, "outdated_analysis_ids", lambda *a, **k: asked.append(a) or real(*a, **k))
    restarted = chain.AnalysisCache().get(engine, incident_id)
    assert asked == [] and restarted.outdated is False and len(restarted.frame) == 400
    # the same store after a model change: the first open re-analyses one bounded batch
    monkeypatch.setattr(chain, "current_model_version", lambda _engine: "v2")
    monkeypatch.setattr(chain.reanalyse_outdated, "__defaults__", (150,))
    enrich_calls.clear()
    chain.AnalysisCache().get(engine, incident_id)
    assert len(asked) == 1 and sum(map(len, enrich_calls)) == 150
    assert len(real(engine, incident_id, "v2")) == 250


def test_as_of_t_is_a_filter_on_stored_columns(engine, live, enrich_calls):
    import time

    from pipeline.ingest.load import ingest_frame
    from pipeline.views import timeline

    incident_id, rest = live
    result = chain.analyze_incident(engine, incident_id)
    time.sleep(0.05)
    cut = pd.Timestamp.now(tz=UTC)
    time.sleep(0.05)
    ingest_frame(rest.iloc[:100], "Live", engine=engine)
    result = chain.update_incident(engine, incident_id, result)
    enrich_calls.clear()
    at, _ = timeline.analysis_at(engine, incident_id, cut, basis=timeline.INGESTED, base=result)
    assert enrich_calls == []  # nothing re-analysed for a replay time
    assert len(at.frame) == 400
    assert (at.frame[S.INGESTED_AT] <= cut).all()
    # a fresh analysis of exactly the messages known at T: same categories and language
    known = at.frame[[c for c in at.frame.columns if c in S.MESSAGE_COLUMNS or c in
                      (S.MESSAGE_ID, S.INGESTED_AT)]]
    fresh = chain.analyze(known.reset_index(drop=True), result.params,
                          category_model=chain.region_category_model()).frame
    for col in (S.LANGUAGE, S.CATEGORIES, S.RELEVANT, S.ISB):
        assert at.frame[col].tolist() == fresh[col].tolist(), col
    # themes: the ids they got on arrival
    now = result.frame.set_index(S.MESSAGE_ID)[S.THEME]
    assert at.frame[S.THEME].tolist() == now.loc[at.frame[S.MESSAGE_ID]].tolist()
    # the other "as of" doors are this one
    from pipeline.views.aggregate import as_of

    assert_frame_equal(as_of(result.frame, cut), chain.as_of(result.frame, cut, chain.CREATED))
    with pytest.raises(ValueError):
        chain.as_of(result.frame, cut, "posted")


def test_deletion_on_request_removes_the_stored_analysis(engine, live):
    from sqlalchemy import func, select

    from pipeline.governance.retention import delete_messages
    from pipeline.storage import store

    incident_id, _rest = live
    result = chain.analyze_incident(engine, incident_id)
    victim = result.frame.iloc[10]
    with engine.connect() as conn:
        count = select(func.count()).select_from(store.message_analysis).where(
            store.message_analysis.c.message_id == int(victim[S.MESSAGE_ID]))
        assert conn.execute(count).scalar_one() == 1
    n = delete_messages(engine, incident_id, source_id=victim[S.SOURCE_ID], reason="verzoek",
                        actor="test")
    assert n == 1
    with engine.connect() as conn:
        assert conn.execute(count).scalar_one() == 0
        total = conn.execute(select(func.count()).select_from(store.message_analysis)).scalar_one()
    assert total == 399
    again = chain.analyze_incident(engine, incident_id)  # theme state was dropped: refitted
    assert len(again.frame) == 399
    assert int(victim[S.MESSAGE_ID]) not in set(again.frame[S.MESSAGE_ID])
    assert store.load_theme_state(engine, incident_id) is not None


def _msgs(terms: list[tuple[str, ...]], authors: list[str], start: pd.Timestamp) -> pd.DataFrame:
    return pd.DataFrame({
        S.CREATED_AT: [start + pd.Timedelta(minutes=i) for i in range(len(terms))],
        S.AUTHOR: authors,
        S.TERMS: pd.Series(terms, dtype=object),
        S.TEXT: [" ".join(t) for t in terms],
        S.RELEVANT: True,
        S.IS_OFFICIAL: False,
    })


def test_one_author_in_ten_batches_counts_once_for_the_k_rule():
    start = pd.Timestamp("2026-07-11 10:00", tz=UTC)
    extra = ["school", "dicht", "wind", "oost", "ramen"]
    base = _msgs([("rook", "brand", extra[i % 5]) for i in range(40)], [f"p_{i % 12}" for i in range(40)],
                 start)
    model = ThemeModel(min_authors=5, min_cluster_size=10).fit(base)
    assert len(model.themes_) == 1
    theme_id = model.themes_[0]["id"]
    for batch in range(10):  # one author, the same new term, ten live batches
        msg = _msgs([("rook", "brand", "zwavelgeur")], ["p_same_author"],
                    start + pd.Timedelta(hours=1, minutes=batch))
        model.partial_fit(msg)
        assert (model.assign(msg)[S.THEME] == theme_id).all()  # landed in the theme
    theme = model.themes_[0]
    assert theme["terms"]["zwavelgeur"] == 1  # ten batches, one author (summing said 10)
    assert "zwavelgeur" not in theme["top_terms"]  # below k: never a label term
    assert "zwavelgeur" not in theme["label"]
    # the sets survive the stored state (a restart), and four more authors make it five
    again = ThemeModel.from_dict(model.to_dict())
    again.partial_fit(_msgs([("rook", "brand", "zwavelgeur")] * 5,
                            ["p_same_author", "p_b", "p_c", "p_d", "p_e"], start + pd.Timedelta(hours=2)))
    assert again.themes_[0]["terms"]["zwavelgeur"] == 5


def test_author_sets_add_exactly_across_batches():
    model = ThemeModel(min_authors=5)
    counts, sets = model._merge_counts({"rook": 2}, {"rook": [1, 2]}, {"rook": 2, "gas": 1},
                                       {"rook": [2, 3], "gas": [9]}, 50)
    assert counts == {"rook": 3, "gas": 1} and sets["rook"] == [1, 2, 3]
    # a set at the cap is dropped; its count can only grow after that (it is >= cap >= k)
    many = list(range(64))
    counts, sets = model._merge_counts({"rook": 63}, {"rook": many[:63]}, {"rook": 1}, {"rook": [63]}, 50)
    assert counts["rook"] == 64 and "rook" not in sets
    counts, sets = model._merge_counts(counts, sets, {"rook": 1}, {"rook": [0]}, 50)
    assert counts["rook"] == 65
    assert np.all([len(v) < 64 for v in sets.values()])


def test_an_incident_analysed_while_empty_updates_after_its_first_import(engine, live):
    """Beheer creates an incident, someone opens Nu (analysed: no messages, no fitted theme model),
    then an import arrives: the update must analyse it, not extend a model that was never fitted."""
    from pipeline.ingest.load import ingest_frame
    from pipeline.storage import store

    _incident_id, rest = live
    store.create_incident(engine, name="Leeg", purpose="test", legal_basis="test",
                          responsible_officer="test",
                          start_at=pd.Timestamp("2026-07-11 10:00", tz=UTC).to_pydatetime(),
                          keywords=["brand"])
    empty_id = store.get_incident(engine, "Leeg")["id"]
    empty = chain.analyze_incident(engine, empty_id)
    assert empty.frame.empty
    ingest_frame(rest.iloc[:50], "Leeg", engine=engine)
    updated = chain.update_incident(engine, empty_id, empty)
    assert len(updated.frame) == 50
    assert updated.frame[S.THEME].notna().all()
    assert_frame_equal(updated.frame, chain.analyze_incident(engine, empty_id).frame)


def test_arrow_read_equals_the_dbapi_read_with_and_without_stored_analysis(engine, live, monkeypatch):
    """`load_analysed` reads large SQLite incidents through ADBC in a child process (issue 15 restart);
    the frame equals the DBAPI read."""
    from pipeline.ingest.load import ingest_frame
    from pipeline.storage import store

    incident_id, rest = live
    if engine.url.database in (None, "", ":memory:"):
        pytest.skip("the Arrow read is for SQLite files")
    monkeypatch.setattr(store, "ARROW_READ_MIN_ROWS", 0)  # the child even for this small incident
    never = store.load_analysed(engine, incident_id)
    assert never["model_version"].isna().all()  # nothing analysed yet: every analysis value missing
    chain.analyze_incident(engine, incident_id)
    ingest_frame(rest.iloc[:100], "Live", engine=engine)  # 100 stored, not analysed
    names = [S.MESSAGE_ID, *store._LOADED_MESSAGE_COLUMNS, *store.ANALYSIS_COLUMNS, "model_version"]
    import glob
    import tempfile

    left = lambda: set(glob.glob("/dev/shm/lp_arrow_*") + glob.glob(f"{tempfile.gettempdir()}/lp_arrow_*"))  # noqa: E731
    before = left()
    assert len(store._load_analysed_arrow(engine, incident_id, 0, names)) == 500  # the child answered
    assert left() <= before  # its transient file (message texts) is gone at once
    reads = {}
    for way in ("arrow", "dbapi"):
        if way == "dbapi":
            monkeypatch.setattr(store, "_load_analysed_arrow", lambda *a: None)
        reads[way] = (store.load_analysed(engine, incident_id),
                      store.load_analysed(engine, incident_id, after_id=int(never[S.MESSAGE_ID].max())))
    for arrow, dbapi in zip(reads["arrow"], reads["dbapi"], strict=True):
        assert_frame_equal(arrow, dbapi)
    full, after = reads["arrow"]
    assert len(full) == 500 and len(after) == 100
    assert full["model_version"].isna().sum() == 100 and after["model_version"].isna().all()
    assert full.loc[full["model_version"].isna(), S.THEME].isna().all()
    assert (full.loc[full["model_version"].notna(), S.CLEAN_TEXT] != "").any()


def test_arrow_read_is_used_for_a_sqlite_file(engine, live, monkeypatch):
    from pipeline.storage import store

    incident_id, _rest = live
    if engine.url.database in (None, "", ":memory:"):
        pytest.skip("the Arrow read is for SQLite files")
    dbapi = store._load_analysed_rows
    assert len(store.load_analysed(engine, incident_id)) == 400  # small: the DBAPI (no child process)
    monkeypatch.setattr(store, "ARROW_READ_MIN_ROWS", 400)
    monkeypatch.setattr(store, "_load_analysed_rows", lambda *a: pytest.fail("read through the DBAPI"))
    assert len(store.load_analysed(engine, incident_id)) == 400
    monkeypatch.setattr(store, "_load_analysed_rows", dbapi)
    monkeypatch.setattr(store.subprocess, "Popen", lambda *a, **k: pytest.fail("a partial read in a child"))
    assert len(store.load_analysed(engine, incident_id, after_id=10)) == 390  # live updates: the DBAPI


def test_as_of_slices_a_time_ordered_frame_and_masks_any_other():
    times = pd.to_datetime(["2026-07-11 10:00", "2026-07-11 10:05", "2026-07-11 10:05", "2026-07-11 11:00"],
                           utc=True)
    frame = pd.DataFrame({S.MESSAGE_ID: [1, 2, 3, 4], S.CREATED_AT: times,
                          S.INGESTED_AT: times[::-1].to_numpy()})
    cut = pd.Timestamp("2026-07-11 10:05", tz="UTC")
    assert chain.as_of(frame, cut)[S.MESSAGE_ID].tolist() == [1, 2, 3]  # "at or before": ties kept
    assert chain.as_of(frame, "2026-07-11 09:00")[S.MESSAGE_ID].tolist() == []
    assert chain.as_of(frame, cut, chain.INGESTED)[S.MESSAGE_ID].tolist() == [2, 3, 4]  # not in time order
    shuffled = frame.iloc[[3, 0, 2, 1]]
    assert sorted(chain.as_of(shuffled, cut)[S.MESSAGE_ID]) == [1, 2, 3]


def test_label_column_equals_mapping_each_row() -> None:
    """The theme labels equal `map(labels).fillna("").astype(str)` per row, index kept, as a categorical."""
    from pipeline.analysis.chain import label_column

    rng = np.random.default_rng(2)
    themes = pd.Series(rng.integers(-1, 40, size=5_000), index=rng.permutation(5_000) + 7, name="theme")
    labels = {t: f"label {t} — ‘asbest in de tuin’" for t in range(0, 40, 3)} | {-1: ""}
    labels[5] = labels[0]  # two themes with one label
    got = label_column(themes, labels)
    want = themes.map(labels).fillna("").astype(str)
    assert isinstance(got.dtype, pd.CategoricalDtype)
    pd.testing.assert_series_equal(got.astype(str), want)
    assert got.cat.categories.is_unique and "" in got.cat.categories  # a shared label is one category
    assert (got == "").sum() > 1_000  # ids without a label are empty, not missing
    assert not got.isna().any()
    assert label_column(themes.iloc[:0], labels).astype(str).dtype == want.dtype
    huge = pd.Series([10**9, -1, 3])  # ids beyond the lookup table take the hash path
    assert label_column(huge, {10**9: "groot", 3: "drie"}).astype(str).tolist() == ["groot", "", "drie"]


def test_kept_label_codes_equal_building_the_column_afresh_after_each_update(monkeypatch) -> None:
    from pipeline.analysis import themes
    from pipeline.analysis.themes import LabelColumn, label_column

    afresh = []
    monkeypatch.setattr(themes, "label_column", lambda *a: afresh.append(1) or label_column(*a))
    rng = np.random.default_rng(3)
    kept = LabelColumn()
    ids = pd.Series(rng.integers(-1, 4, size=500))
    labels = {-1: "", 0: "overig", 1: "gaslucht", 2: "ramen dicht", 3: "school"}
    column = kept.update(ids, labels)
    steps = [  # (new rows' highest id, labels, built afresh?)
        (3, labels | {2: "ramen en deuren dicht"}, False),  # a renamed label keeps its code
        (5, labels | {2: "ramen en deuren dicht", 4: "stroomstoring", 5: "asbest"}, False),  # new themes
        (5, labels | {2: "school", 4: "stroomstoring", 5: "asbest"}, True),  # two themes, one label
        (6, labels | {4: "stroomstoring", 5: "asbest", 6: "kraanwater"}, True),  # codes shift back
        (6, labels | {4: "stroomstoring", 5: "asbest", 6: "kraanwater"}, False),
    ]
    for top, step_labels, rebuilt in steps:
        afresh.clear()
        grown = pd.Series(np.concatenate([ids.to_numpy(), rng.integers(-1, top + 1, size=200)]))
        new_column = kept.update(grown, step_labels, column)
        pd.testing.assert_series_equal(new_column, label_column(grown, step_labels))
        assert bool(afresh) == rebuilt, (top, step_labels)
        ids, column = grown, new_column
    # a second update of the same earlier frame (another session) builds afresh, correctly
    afresh.clear()
    again = pd.Series(np.concatenate([ids.to_numpy()[:700], np.full(300, 6)]))
    earlier = label_column(ids[:700], steps[1][1])
    pd.testing.assert_series_equal(kept.update(again, steps[3][1], earlier), label_column(again, steps[3][1]))
    assert afresh


def test_a_new_default_model_or_new_rules_make_stored_analyses_outdated(engine, live, monkeypatch):
    """The version tag names the rules, the shipped model and the region's model: an upgrade re-analyses."""
    from dataclasses import replace

    from pipeline.analysis import learned
    from pipeline.storage import store

    incident_id, _rest = live
    chain.AnalysisCache().get(engine, incident_id)
    tag = chain.current_model_version(engine)
    base = learned.default_model()
    assert tag.startswith(chain.RULES_VERSION + "+") and base.version_ in tag
    assert store.outdated_analysis_ids(engine, incident_id, tag) == []
    monkeypatch.setattr(chain, "default_model", lambda: replace(base, version_="learned-29990101-00000000"))
    assert chain.current_model_version(engine) != tag
    assert len(store.outdated_analysis_ids(engine, incident_id, chain.current_model_version(engine))) == 400
    monkeypatch.setattr(chain, "default_model", lambda: base)
    monkeypatch.setattr(chain, "RULES_VERSION", "rules-2999.01-1")
    assert chain.current_model_version(engine) != tag


def test_the_default_model_version_names_its_content() -> None:
    import re

    from pipeline.analysis import learned

    version = learned.default_model().version_
    assert re.fullmatch(r"learned-\d{8}-[0-9a-f]{8}", version), version  # date + 8 hex of the content


def test_the_adbc_sqlite_library_never_enters_the_dashboard_process(tmp_path):
    """ADBC brings its own SQLite; inside our process it reset the WAL index under our own
    connections (SIGBUS on the next large write). The Arrow read runs it in a child process."""
    import subprocess
    import sys
    from pathlib import Path

    script = f"""
import os, sys
os.environ["LUISTERPOST_HOME"] = {str(tmp_path)!r}
import pandas as pd
from pipeline.storage import store
from pipeline.ingest.load import ingest_frame
engine = store.get_engine("sqlite:///" + {str(tmp_path / "lp.db")!r})
store.create_incident(engine, name="X", purpose="t", legal_basis="t", responsible_officer="t",
                      start_at=pd.Timestamp("2026-07-11 09:00", tz="UTC").to_pydatetime())
rows = pd.DataFrame({{"id": [f"m{{i}}" for i in range(300)],
                     "text": [f"rook bij de haven {{i}}" for i in range(300)],
                     "created_at": "2026-07-11T10:00:00Z", "author": [f"u{{i % 40}}" for i in range(300)],
                     "platform": "twitter"}})
ingest_frame(rows, "X", engine=engine)
store.ARROW_READ_MIN_ROWS = 0
names = [store.S.MESSAGE_ID, *store._LOADED_MESSAGE_COLUMNS, *store.ANALYSIS_COLUMNS, "model_version"]
arrow = store._load_analysed_arrow(engine, 1, 0, names)
assert arrow is not None and len(arrow) == 300, arrow
maps = open("/proc/self/maps").read()
assert "libadbc_driver_sqlite" not in maps and "adbc_driver_sqlite" not in sys.modules, "ADBC in-process"
print("ok")
"""
    pytest.importorskip("adbc_driver_sqlite")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parents[1], timeout=300)
    assert out.returncode == 0 and out.stdout.strip().endswith("ok"), out.stderr[-2000:]

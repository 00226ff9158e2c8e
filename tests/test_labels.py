"""Tests for pipeline/model/labels.py: sampling, corrections, agreement, readiness, training."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pandas as pd
import pytest

from pipeline import schema as S
from pipeline.model import labels as L
from pipeline.storage import store


def _incident(engine, name="Brand test"):
    return store.create_incident(
        engine, name=name, purpose="crisiscommunicatie", legal_basis="Wvr art. 7",
        responsible_officer="OVD-C", start_at=datetime(2026, 7, 11, 11, tzinfo=UTC))


def _messages(engine, incident_id, texts):
    n = len(texts)
    df = pd.DataFrame({
        S.PLATFORM: ["twitter"] * n, S.SOURCE_ID: [f"{incident_id}-{i}" for i in range(n)],
        S.CREATED_AT: pd.date_range("2026-07-11 11:00", periods=n, freq="min", tz="UTC"),
        S.TEXT: texts, S.AUTHOR: [f"a{i}" for i in range(n)], S.IS_OFFICIAL: [False] * n,
        S.OFFICIAL_KIND: [""] * n, S.URL_DOMAIN: [""] * n, S.IS_REPLY: [False] * n,
        S.IS_REPOST: [False] * n, S.TIME_FLAG: [""] * n,
    })
    with engine.begin() as conn:
        store.insert_messages(conn, incident_id, df)
    return store.load_messages(engine, incident_id)


def _analysed(ids, cats, texts=None, official=None, repost=None):
    n = len(ids)
    return pd.DataFrame({
        S.MESSAGE_ID: ids, S.TEXT: texts or [f"t{i}" for i in ids], S.CATEGORIES: cats,
        S.IS_OFFICIAL: official or [False] * n, S.IS_REPOST: repost or [False] * n,
    })


def test_codes_round_trip_in_schema_order():
    assert L.join_codes(["gerucht", "vraag"]) == "vraag;gerucht"
    assert L.parse_codes("gerucht; vraag;onzin;") == ("vraag", "gerucht")
    assert L.join_codes([]) == ""
    with pytest.raises(ValueError):
        L.join_codes(["vraag", "<b>"])


def test_review_sample_filters_and_is_seeded():
    df = _analysed(
        [1, 2, 3, 4, 5, 6],
        [("vraag",), ("vraag",), ("vraag",), ("gerucht",), ("vraag",), ("vraag",)],
        texts=["a", "b", "a", "c", "d", "e"],  # 3 repeats the text of 1
        official=[False, False, False, False, True, False],  # 5 is official
        repost=[False, False, False, False, False, True],  # 6 is a repost
    )
    out = L.review_sample(df, "vraag", n=10)
    assert out[S.MESSAGE_ID].tolist() == [1, 2]
    assert L.review_sample(df, "vraag", n=10, exclude=(1,))[S.MESSAGE_ID].tolist() == [2, 3]
    assert set(L.review_sample(df, L.ALL, n=10)[S.MESSAGE_ID]) == {1, 2, 4}
    big = _analysed(list(range(100)), [("vraag",)] * 100)
    a = L.review_sample(big, "vraag", n=10, seed=3)
    assert len(a) == 10
    assert a.equals(L.review_sample(big, "vraag", n=10, seed=3))
    assert not a.equals(L.review_sample(big, "vraag", n=10, seed=4))


def test_corrections_latest_per_message_and_audited(engine):
    inc, other = _incident(engine), _incident(engine, "Ander incident")
    msgs = _messages(engine, inc, ["is er asbest?", "rook!"])
    other_msgs = _messages(engine, other, ["elders"])
    m1, m2 = msgs[S.MESSAGE_ID].tolist()
    L.save_correction(engine, m1, ["vraag"], actor="ana", role="analist", incident_id=inc,
                      predicted=("gerucht",))
    L.save_correction(engine, m1, ["vraag", "gerucht"], actor="ana", incident_id=inc)
    L.save_correction(engine, m2, [], actor="bob", incident_id=inc)
    L.save_correction(engine, int(other_msgs[S.MESSAGE_ID].iloc[0]), ["ruis"], actor="x")
    out = L.load_corrections(engine, inc)
    assert out["message_id"].tolist() == [m1, m2]
    assert out["codes"].tolist() == [("vraag", "gerucht"), ()]
    assert out["actor"].tolist() == ["ana", "bob"]
    audit = store.load_audit(engine)
    corrections = audit[audit["action"] == "label.correct"]
    assert len(corrections) == 4
    assert f"message:{m1}" in set(corrections["object"])
    assert store.verify_audit(engine) == []


def test_agreement_exact_counts():
    df = _analysed([1, 2, 3, 4], [("vraag",), ("vraag", "gerucht"), (), ("gerucht",)])
    corr = pd.DataFrame({"message_id": [1, 2, 3, 9],  # 9 is not in the frame
                         "codes": [("vraag",), ("vraag",), ("vraag",), ("ruis",)]})
    out = L.agreement(df, corr).set_index("category")
    assert out.loc["vraag", "n"] == 3
    assert (out.loc["vraag", "tp"], out.loc["vraag", "fp"], out.loc["vraag", "fn"]) == (2, 0, 1)
    assert out.loc["vraag", "precision"] == 1.0
    assert out.loc["vraag", "recall"] == pytest.approx(2 / 3)
    assert (out.loc["gerucht", "tp"], out.loc["gerucht", "fp"]) == (0, 1)
    assert out.loc["gerucht", "precision"] == 0.0
    assert np.isnan(out.loc["gerucht", "recall"])  # no positives among the corrections
    assert list(out.index) == list(S.CATEGORY_CODES)


def test_readiness_needs_messages_and_examples():
    from pipeline.model.train import CODES

    few = pd.DataFrame({S.TEXT: ["a"] * 5, CODES: [("vraag",)] * 2 + [()] * 3})
    state = L.readiness(few)
    assert not state.ok and state.n == 5 and state.learnable == ("vraag",)
    enough = pd.DataFrame({S.TEXT: ["a"] * 20, CODES: [("vraag",)] * 10 + [("ruis",)] * 10})
    state = L.readiness(enough)
    assert state.ok and state.learnable == ("vraag", "ruis")
    assert "gerucht" in state.too_few
    one_class = pd.DataFrame({S.TEXT: ["a"] * 20, CODES: [("vraag",)] * 20})
    assert not L.readiness(one_class).ok  # no negatives: nothing learnable


def test_train_and_save_then_remove(engine, tmp_path):
    from pipeline.model.train import CODES, load_model

    texts = ([f"is er asbest in wijk {i}?" for i in range(12)]
             + [f"mooie zonnebrand aanbieding {i}" for i in range(12)])
    train = pd.DataFrame({S.TEXT: texts, CODES: [("vraag",)] * 12 + [("ruis",)] * 12})
    path = tmp_path / "model"
    assert L.model_version(engine) == ""
    model, metrics = L.train_and_save(engine, train, path, actor="ana", role="analist")
    assert set(metrics) == {"vraag", "ruis"}
    assert L.model_version(engine) == model.version_
    assert load_model(path).categories_ == ("vraag", "ruis")
    assert L.model_info(path)["n_train"] == 24
    assert "model.train" in set(store.load_audit(engine)["action"])
    assert L.remove_model(engine, path, actor="ana")
    assert not path.exists() and L.model_version(engine) == ""
    with pytest.raises(ValueError):
        L.train_and_save(engine, train.head(5), path, actor="ana")


def test_analysis_picks_up_the_trained_model(engine, lp_home):
    from pipeline.analysis.chain import region_category_model
    from pipeline.config import get_settings
    from pipeline.model.train import CODES

    texts = ([f"is er asbest in wijk {i}?" for i in range(12)]
             + [f"mooie zonnebrand aanbieding {i}" for i in range(12)])
    train = pd.DataFrame({S.TEXT: texts, CODES: [("vraag",)] * 12 + [("ruis",)] * 12})
    model, _ = L.train_and_save(engine, train, get_settings().home / "model", actor="ana")
    loaded = region_category_model()
    assert loaded is not None and loaded.version_ == model.version_


def test_region_model_is_loaded_once_and_follows_a_new_training_or_removal(engine, lp_home, monkeypatch):
    """A live refresh asks for the region's model each time: read from disk only when its files change."""
    from pipeline.analysis import chain
    from pipeline.config import get_settings
    from pipeline.model.train import CODES

    path = get_settings().home / "model"
    texts = ([f"is er asbest in wijk {i}?" for i in range(12)]
             + [f"mooie zonnebrand aanbieding {i}" for i in range(12)])
    train = pd.DataFrame({S.TEXT: texts, CODES: [("vraag",)] * 12 + [("ruis",)] * 12})
    first, _ = L.train_and_save(engine, train, path, actor="ana")
    loads = []
    real_load = chain.load_model
    monkeypatch.setattr(chain, "load_model", lambda p: loads.append(p) or real_load(p))
    a, b = chain.region_category_model(), chain.region_category_model()
    assert a is b and a.version_ == first.version_ and len(loads) == 1
    second, _ = L.train_and_save(engine, train.iloc[::-1].reset_index(drop=True).head(22), path, actor="ana")
    again = chain.region_category_model()
    assert len(loads) == 2 and again is not a  # new files: read again
    assert again.n_train_ == second.n_train_ == 22
    assert L.remove_model(engine, path, actor="ana")
    assert chain.region_category_model() is None

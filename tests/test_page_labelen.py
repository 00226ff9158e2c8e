"""AppTest of pages/labelen.py on the demo incident: sample, corrections, agreement, training."""

from __future__ import annotations

import pytest
from sqlalchemy import delete

from tests.conftest import app, as_role
from tests.tables import cell_texts

PAGE = "pages/labelen.py"


@pytest.fixture(scope="module")
def demo(demo_home):
    """The engine, incident id and the very frame the page analyses (shared cache)."""
    from pages._data import analysed
    from pipeline.storage import store

    engine = store.get_engine()
    incident_id = int(store.list_incidents(engine).query("is_demo")["id"].iloc[0])
    as_role(app(PAGE), "analist").run()
    return {"engine": engine, "incident_id": incident_id,
            "frame": lambda: analysed(incident_id).frame}


def _codes(at):
    """The per-message multiselects (not the sidebar filters)."""
    return [m for m in at.multiselect if str(m.key).startswith("label_codes_")]


def _cleanup(engine, ids):
    from pipeline.storage import store

    with engine.begin() as conn:
        conn.execute(delete(store.label_corrections).where(
            store.label_corrections.c.message_id.in_([int(i) for i in ids])))


def test_sample_is_the_seeded_pipeline_sample(demo):
    from pipeline.model import labels as L

    at = as_role(app(PAGE), "analist").run()
    at.selectbox(key="label_category").set_value("gerucht").run()
    assert not at.exception
    done = tuple(sorted(L.load_corrections(demo["engine"], demo["incident_id"])["message_id"]))
    expected = L.review_sample(demo["frame"](), "gerucht", 10, 0, done)
    assert [t.value for t in at.text] == expected["text"].tolist()
    keys = [m.key for m in _codes(at)]
    assert keys == [f"label_codes_{i}" for i in expected["message_id"]]
    # the multiselects start at the prediction
    assert [tuple(m.value) for m in _codes(at)] == [tuple(c) for c in expected["categories"]]
    at.button(key="label_resample").click().run()
    again = L.review_sample(demo["frame"](), "gerucht", 10, 1, done)
    assert [t.value for t in at.text] == again["text"].tolist()


def test_corrections_are_saved_audited_and_measured(demo):
    from pipeline.model import labels as L
    from pipeline.storage import store

    engine = demo["engine"]
    at = as_role(app(PAGE), "analist").run()
    at.selectbox(key="label_category").set_value("vraag").run()
    ids = [int(m.key.rsplit("_", 1)[1]) for m in _codes(at)]
    before = L.load_corrections(engine, demo["incident_id"])
    try:
        at.multiselect(key=f"label_codes_{ids[0]}").set_value(["ruis"])
        at.checkbox(key=f"label_skip_{ids[1]}").check()
        next(b for b in at.button if b.label == "Correcties opslaan").click().run()
        assert not at.exception
        after = L.load_corrections(engine, demo["incident_id"])
        assert len(after) == len(before) + len(ids) - 1
        saved = after.set_index("message_id")
        assert saved.loc[ids[0], "codes"] == ("ruis",)
        assert ids[1] not in saved.index
        audit = store.load_audit(engine, limit=50)
        assert f"message:{ids[0]}" in set(audit.loc[audit["action"] == "label.correct", "object"])
        # the agreement table equals labels.agreement on the same frame
        table = at.dataframe[0].value.set_index("Categorie")
        exp = L.agreement(demo["frame"](), after).set_index("category")
        assert table.loc["Ruis", "Positief gecorrigeerd"] == exp.loc["ruis", "support"]
        assert table.loc["Vraag", "Voorspeld"] == exp.loc["vraag", "predicted"]
        assert table.loc["Vraag", "Precisie (dit incident)"] == f"{exp.loc['vraag', 'precision']:.0%}"
        # the sample moved on: corrected messages are not offered again
        assert not set(ids[:1]) & {int(m.key.rsplit("_", 1)[1]) for m in _codes(at)}
    finally:
        _cleanup(engine, ids)


def test_training_needs_enough_corrections_then_trains(demo):
    import streamlit as st

    from pipeline import schema as S
    from pipeline.config import get_settings
    from pipeline.model import labels as L

    engine = demo["engine"]
    at = as_role(app(PAGE), "analist").run()
    assert at.button(key="label_train").disabled
    assert any("Nog niet genoeg correcties" in i.value for i in at.info)
    frame = demo["frame"]()
    public = frame[~frame[S.IS_OFFICIAL] & ~frame[S.IS_REPOST]].drop_duplicates(S.TEXT)
    asks = public[public[S.CATEGORIES].map(lambda c: "vraag" in c)].head(12)
    noise = public[public[S.CATEGORIES].map(lambda c: c == ("ruis",))].head(12)
    ids = asks[S.MESSAGE_ID].tolist() + noise[S.MESSAGE_ID].tolist()
    path = get_settings().home / "model"
    try:
        for mid in asks[S.MESSAGE_ID]:
            L.save_correction(engine, mid, ["vraag"], actor="test")
        for mid in noise[S.MESSAGE_ID]:
            L.save_correction(engine, mid, ["ruis"], actor="test")
        at.run()
        assert not at.button(key="label_train").disabled
        at.button(key="label_train").click().run()
        assert not at.exception
        info = L.model_info(path)
        assert info["n_train"] == 24
        assert L.model_version(engine) == info["version"]
        assert any(info["version"] in s.value for s in at.success)
        cv = at.dataframe[1].value.set_index("Categorie")
        assert cv.loc["Vraag", "F1"] == round(info["metrics"]["vraag"]["f1"], 2)
        shown = cell_texts(at.dataframe[1]).set_index("Categorie")  # what the grid draws
        assert shown.loc["Vraag", "F1"] == f"{info['metrics']['vraag']['f1']:.2f}".replace(".", ",")
        # the accuracy table now shows the model's cross-validated F1 too
        assert "Model F1 (kruisvalidatie)" in at.dataframe[0].value.columns
        # and the analysis was redone (whether it picks the model up: test_labels.py)
        assert demo["frame"]() is not frame
    finally:
        if path.exists():
            L.remove_model(engine, path, actor="test")
        _cleanup(engine, ids)
        st.cache_resource.clear()  # back to the rules-only analysis for the other tests


def test_copi_has_no_access(demo):
    at = as_role(app(PAGE), "copi").run()
    assert not at.exception
    assert at.error and "geen toegang" in at.error[0].value
    assert not at.text  # no message shown

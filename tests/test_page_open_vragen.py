"""AppTest of pages/open_vragen.py on the demo incident: clusters, answered status, examples."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.conftest import app, as_role

PAGE = "pages/open_vragen.py"


@pytest.fixture(scope="module")
def demo(demo_home):
    """The expected clusters, computed with the pipeline on the frame the page uses."""
    from pages._data import analysed
    from pipeline import schema as S
    from pipeline.config import get_settings
    from pipeline.storage import store
    from pipeline.views import questions as Q

    engine = store.get_engine()
    incident_id = int(store.list_incidents(engine).query("is_demo")["id"].iloc[0])
    as_role(app(PAGE), "analist").run()
    frame = analysed(incident_id).frame
    now = min(pd.Timestamp.now(tz="UTC"), frame[S.CREATED_AT].max() + pd.Timedelta(seconds=1))
    moments = store.load_moments(engine, incident_id)
    clusters = Q.question_clusters(frame, Q.QuestionParams(now=now,
                                                          min_authors=get_settings().min_authors))
    return {"engine": engine, "expected": Q.coverage(clusters, moments[moments["time"] <= now])}


def _rows(at) -> pd.DataFrame:
    """Every shown question group: the open table, then the answered one (same columns by name)."""
    return pd.concat([d.value for d in at.dataframe], ignore_index=True)


def _table(at) -> pd.DataFrame:
    return _rows(at).set_index("Onderwerp")


def test_stay_or_leave_and_asbestos_are_answered(demo):
    at = as_role(app(PAGE), "analist").run()
    assert not at.exception
    table = _table(at)
    assert table.loc["Blijven of weggaan?", "Status"] == "✅ beantwoord om 14:05 (tweet)"
    assert table.loc["Is er asbest?", "Status"] == "✅ beantwoord om 16:20 (tweet)"
    exp = demo["expected"].set_index("topic")
    for topic, label in (("blijven_of_weg", "Blijven of weggaan?"), ("asbest", "Is er asbest?")):
        assert table.loc[label, "Vragen"] == exp.loc[topic, "n_messages"]
        assert table.loc[label, "Auteurs"] == exp.loc[topic, "n_authors"]
        assert table.loc[label, "Laatste uur"] == exp.loc[topic, "n_last_hour"]
        assert table.loc[label, "Vragen sinds antwoord"] == exp.loc[topic, "n_since_answer"]


def test_counts_privacy_and_open_questions_first(demo):
    at = as_role(app(PAGE), "analist").run()
    exp = demo["expected"]
    shown = exp[exp["shown"]]
    table = _rows(at)
    assert len(table) == len(shown)
    assert sorted(table["Kernwoorden"]) == sorted(shown["label"])
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Vragen"] == f"{int(exp['n_messages'].sum()):,}".replace(",", ".")
    assert metrics["Open onderwerpen"] == str(int((shown["status"] == "open").sum()))
    # open groups first, in their own table; the answered ones in a second table with when and how
    assert len(at.dataframe) == 2
    open_table, answered_table = (d.value for d in at.dataframe)
    # the open table holds the open groups and the mixed catch-all, which says so in its subject;
    # no status column (before, it and the trend stood past the right edge at 1 400 px)
    assert "Status" not in open_table.columns
    assert list(open_table.columns[:7]) == ["#", "Onderwerp", "Vragen", "Auteurs", "Laatste uur",
                                            "Uur ervoor", "Verloop"]
    assert len(open_table) == shown["status"].isin(["open", "overig"]).sum()
    mixed = open_table["Onderwerp"] == "overige vragen (gemengd, niet beoordeeld)"
    assert mixed.sum() == (shown["status"] == "overig").sum()
    assert answered_table["Status"].str.startswith("✅ beantwoord om ").all()
    assert len(answered_table) == (shown["status"] == "beantwoord").sum()
    # the answered table puts when it was answered and what came after right beside the subject
    assert list(answered_table.columns[:4]) == ["#", "Onderwerp", "Status", "Vragen sinds antwoord"]
    assert [h.value for h in at.subheader][:2] == [
        f"Open ({int((shown['status'] == 'open').sum())})",
        f"Beantwoord ({int((shown['status'] == 'beantwoord').sum())})"]
    hidden = int((~exp["shown"]).sum())
    if hidden:
        assert any(f"{hidden} kleine groep" in c.value for c in at.caption)


def test_examples_for_analist_logged(demo):
    from pipeline.storage import store

    at = as_role(app(PAGE), "analist").run()
    at.toggle(key="open_vragen_examples").set_value(True).run()
    assert not at.exception
    nr = at.selectbox(key="open_vragen_cluster").value
    row = _rows(at).set_index("#").loc[nr]
    expected = demo["expected"]
    exp = expected[expected["label"] == row["Kernwoorden"]].iloc[0]
    assert exp["n_authors"] >= 5  # only groups with >= k authors have examples
    assert [t.value for t in at.text] == [exp["label"]] + ["• " + e for e in exp["examples"]]
    audit = store.load_audit(demo["engine"], limit=20)
    assert f"question_cluster:{exp['cluster']}" in " ".join(
        audit.loc[audit["action"] == "view.examples", "object"])


def test_copi_has_no_access(demo):
    at = as_role(app(PAGE), "copi").run()
    assert not at.exception
    assert at.error and "geen toegang" in at.error[0].value
    assert not at.dataframe


def test_english_interface_names_languages_in_english(demo):
    from pipeline.schema import LANGUAGE_NAMES

    at = as_role(app(PAGE), "analist")
    at.session_state["lp_lang"] = "en"
    at.run()
    assert not at.exception
    subjects = pd.concat([d.value for d in at.dataframe], ignore_index=True)["Subject"].tolist()
    dutch = [f"({name})" for code, name in LANGUAGE_NAMES["nl"].items() if code != "nl"]
    assert not [s for s in subjects if s.endswith(tuple(dutch))], subjects  # was "… (Engels)"
    assert any(s.endswith("(English)") for s in subjects)
    assert not [s for s in subjects if s.startswith("Vragen over ")]

"""The Thema's page: theme table, clouds, examples only for roles with view.examples."""

from __future__ import annotations

import pandas as pd
import pytest

from pages._themas_util import theme_examples
from pipeline import schema as S
from pipeline.analysis.themes import OTHER_THEME, theme_summary
from tests.conftest import app, as_role

K = 5


def _run(role: str = "analist"):
    return as_role(app("pages/themas.py"), role).run()


def _frame():
    from pages._data import analysed, incidents_table

    frame = analysed(int(incidents_table()["id"].iloc[0])).frame
    now = frame[S.CREATED_AT].max() + pd.Timedelta(seconds=1)
    return frame[frame[S.CREATED_AT] <= now]


def _expected_summary(frame: pd.DataFrame) -> pd.DataFrame:
    summary = theme_summary(frame, min_authors=K)
    shown = summary[summary["shown"]]
    return pd.concat([shown[shown["theme"] != OTHER_THEME], shown[shown["theme"] == OTHER_THEME]])


def _local(ts) -> str:
    return pd.Timestamp(ts).tz_convert("Europe/Amsterdam").strftime("%H:%M")


def test_theme_table_matches_theme_summary(demo_home):
    at = _run()
    assert not at.exception
    expected = _expected_summary(_frame())
    table = at.dataframe[0].value
    labels = ["overig (geen duidelijk thema)" if t == OTHER_THEME else lbl
              for t, lbl in zip(expected["theme"], expected["label"], strict=True)]
    assert table["Thema"].tolist() == labels
    assert table["Berichten"].tolist() == expected["n_messages"].tolist()
    assert table["Unieke auteurs"].tolist() == expected["n_authors"].tolist()
    assert table["Eerst gezien"].tolist() == [_local(t) for t in expected["first_seen"]]
    assert table["Laatst gezien"].tolist() == [_local(t) for t in expected["last_seen"]]
    assert (table["Unieke auteurs"] >= K).all()


def test_examples_are_plain_text_for_the_selected_theme(demo_home):
    at = _run()
    frame = _frame()
    expected = _expected_summary(frame)
    first = expected.iloc[0]
    assert at.selectbox(key="themas_theme").value == first["theme"]
    examples = theme_examples(frame, int(first["theme"]), K, representative=first["example"])
    assert len(examples) == 3
    assert [t.value for t in at.text] == examples
    rendered_md = " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)
    for text in examples:
        assert text not in rendered_md
    # another theme: its own examples
    second = int(expected.iloc[1]["theme"])
    at.selectbox(key="themas_theme").set_value(second).run()
    assert [t.value for t in at.text] == theme_examples(
        frame, second, K, representative=expected.iloc[1]["example"])
    assert [e for e in at.main if type(e).__name__ == "Image"], "a tag cloud image"


def test_cloud_per_category_shows_accuracy(demo_home):
    from pages._panels import accuracy_note

    at = _run()
    at.segmented_control(key="themas_by").set_value("category").run()
    at.selectbox(key="themas_category").set_value("hulp").run()
    assert not at.exception
    note = accuracy_note("hulp")
    assert any(f"'Hulp': {note}" in c.value for c in at.caption)
    assert not at.text, "no example messages in the category view"
    assert [e for e in at.main if type(e).__name__ == "Image"]


@pytest.mark.parametrize("role", ["copi", "beheerder"])
def test_roles_without_the_page_are_refused(demo_home, role):
    from pipeline.governance.auth import role_label

    at = _run(role)
    assert at.error and f"Uw rol ({role_label(role)})" in at.error[0].value  # the role's name, not its code
    assert not at.text and not at.dataframe


def test_role_without_view_examples_sees_no_examples(demo_home, monkeypatch):
    from pipeline.governance import policy as governance

    monkeypatch.setitem(governance.PERMISSIONS, "copi",
                        governance.PERMISSIONS["copi"] | {"page.themas"})
    at = _run("copi")
    assert not at.exception and not at.error
    assert not at.text
    assert "Uw rol ziet geen voorbeeldberichten, alleen tellingen." in [c.value for c in at.caption]


def _messages(rows):
    base = pd.Timestamp("2026-07-11 12:00", tz="UTC")
    return pd.DataFrame({
        S.THEME: [r[0] for r in rows],
        S.AUTHOR: [r[1] for r in rows],
        S.TEXT: [r[2] for r in rows],
        S.IS_REPOST: [r[3] for r in rows],
        S.CREATED_AT: [base + pd.Timedelta(minutes=i) for i in range(len(rows))],
    })


def test_theme_examples_selection():
    df = _messages([
        (1, "a", "rook boven de wijk, ramen dicht", False),   # oldest
        (1, "b", "is het water veilig om te drinken", False),
        (1, "c", "RT [gebruiker]: ramen en deuren dicht houden", True),  # repost: skipped
        (1, "d", "Is het water VEILIG om te drinken?!", False),  # same words as b
        (1, "e", "waar is de opvang voor de camping", False),  # newest
        (2, "f", "ander thema", False),
    ])
    got = theme_examples(df, 1, min_authors=3, representative="ramen en deuren dicht houden")
    # representative, then most recent distinct non-reposts
    assert got == ["ramen en deuren dicht houden", "waar is de opvang voor de camping",
                   "Is het water VEILIG om te drinken?!"]
    assert theme_examples(df, 1, min_authors=6) == []  # only 5 authors
    assert theme_examples(df, 2, min_authors=1) == ["ander thema"]
    assert theme_examples(df, 1, min_authors=1, n=1) == ["waar is de opvang voor de camping"]

"""The k of the view (`config.view_min_authors`) drives every label, cloud, example and bullet.

With LUISTERPOST_MIN_AUTHORS=50 a phrase written by 49 distinct authors shows in no view and one
written by 50 does; the CoPI views use max(10, k). Each view is checked twice: at the k under
test (the 49-author words are absent) and at a lower k (the same words are present), so the
test fails when the view ignores k.
"""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import pytest

from pages._themas_util import theme_examples
from pipeline import schema as S
from pipeline.analysis.chain import AnalysisParams, analyze
from pipeline.analysis.themes import term_counts, theme_summary
from pipeline.config import COPI_MIN_AUTHORS, view_min_authors
from pipeline.views import questions as Q
from pipeline.views import timeline
from pipeline.views.aggregate import scan_bullets, trend_series
from pipeline.views.report import build_report

NOW = pd.Timestamp("2026-07-11 14:00", tz="UTC")
KEYWORDS = ("brand", "havendorp", "lindendal", "rook", "kraanwater", "haven", "speeltuin", "roetdeeltjes")
# (text, distinct authors); every author writes the text twice (themes need 10+ messages)
SHARED = "Is het kraanwater veilig in Havendorp?"
RARE = "Mogen de kinderen nog in de speeltuin spelen?"
SEEN = "Zwarte rook boven de haven van Havendorp"
RARE_SEEN = "Roetdeeltjes op de schommel in Lindendal"
RARE_WORDS = ("speeltuin", "schommel", "lindendal", "roetdeeltjes")  # only in the 49-author texts


def messages(groups: list[tuple[str, int, str]]) -> pd.DataFrame:
    rows = []
    for base, n_authors, prefix in groups:
        for i in range(n_authors):
            text = base
            for rep in range(2):
                rows.append({S.PLATFORM: "x", S.SOURCE_ID: f"{prefix}{i}-{rep}",
                             S.CREATED_AT: NOW - timedelta(minutes=1 + (i * 2 + rep) % 50),
                             S.TEXT: text, S.AUTHOR: f"p_{prefix}{i:04d}", S.IS_OFFICIAL: False,
                             S.OFFICIAL_KIND: "", S.URL_DOMAIN: "", S.IS_REPLY: False,
                             S.IS_REPOST: False, S.TIME_FLAG: ""})
    df = pd.DataFrame(rows)
    return df.assign(**{S.MESSAGE_ID: range(1, len(df) + 1)})


def analysed(k: int, groups) -> pd.DataFrame:
    params = AnalysisParams(keywords=KEYWORDS, description="brand in havendorp", min_authors=k)
    return analyze(messages(groups), params).frame


@pytest.fixture(scope="module")
def k50() -> pd.DataFrame:
    """Analysed with k = 50: 50 authors per shared text, 49 per rare text."""
    return analysed(50, [(SHARED, 50, "a"), (RARE, 49, "b"), (SEEN, 50, "c"), (RARE_SEEN, 49, "d")])


@pytest.fixture(scope="module")
def k40(k50) -> pd.DataFrame:
    """The same messages analysed with k = 40 (the rare texts then reach k)."""
    return analysed(40, [(SHARED, 50, "a"), (RARE, 49, "b"), (SEEN, 50, "c"), (RARE_SEEN, 49, "d")])


def rare_in(text: str) -> list[str]:
    low = text.lower()
    return [w for w in RARE_WORDS if w in low]


def test_one_k_per_view(monkeypatch):
    monkeypatch.setenv("LUISTERPOST_MIN_AUTHORS", "50")
    assert {v: view_min_authors(v) for v in ("nu", "themas", "open_vragen", "trends", "rapport",
                                               "copi", "nabespreking")} == dict.fromkeys(
        ("nu", "themas", "open_vragen", "trends", "rapport", "copi", "nabespreking"), 50)
    monkeypatch.setenv("LUISTERPOST_MIN_AUTHORS", "5")
    assert view_min_authors("nu") == 5
    assert view_min_authors("copi") == view_min_authors("nabespreking") == COPI_MIN_AUTHORS == 10
    assert timeline.COPI_MIN_AUTHORS is COPI_MIN_AUTHORS  # one definition, re-exported


def test_nu_bullets(k50, k40):
    high = " ".join(scan_bullets(k50, NOW, timedelta(minutes=60), min_authors=50))
    assert not rare_in(high), high
    assert "kraan" in high.lower() and "50 auteurs" in high
    low = " ".join(scan_bullets(k40, NOW, timedelta(minutes=60), min_authors=40))
    assert rare_in(low), low


def test_themas_cloud_labels_and_examples(k50, k40):
    for k, df, shown in ((50, k50, False), (40, k40, True)):
        words = " ".join(term_counts(df, min_authors=k, by=S.THEME)["term"].astype(str))
        words += " " + " ".join(term_counts(df, min_authors=k, by=S.CATEGORIES)["term"].astype(str))
        assert bool(rare_in(words)) is shown, (k, words)
        assert "havendorp" in words
        summary = theme_summary(df, min_authors=k)
        labels = " ".join(summary.loc[summary["shown"], "label"].astype(str))
        if k == 50:
            assert not rare_in(labels) and "havendorp" in labels, labels
    # examples: a theme shows them only when it has >= k distinct authors
    summary = theme_summary(k50, min_authors=50)
    for theme, n in zip(summary["theme"], summary["n_authors"], strict=True):
        assert theme_examples(k50, int(theme), int(n)) != []
        assert theme_examples(k50, int(theme), int(n) + 1) == []


def test_open_vragen_subjects(k50, k40):
    for k, df, shown in ((50, k50, False), (40, k40, True)):
        clusters = Q.question_clusters(df, Q.QuestionParams(now=NOW, min_authors=k))
        visible = clusters[clusters["shown"]]
        text = " ".join(visible["subject"].astype(str)) + " " + " ".join(
            " ".join(e) for e in visible["examples"]) + " " + " ".join(visible["label"].astype(str))
        assert bool(rare_in(text)) is shown, (k, text)
        assert "–" not in " ".join(clusters["subject"].astype(str))
    assert "kraan" in " ".join(Q.question_clusters(k50, Q.QuestionParams(now=NOW, min_authors=50))
                               ["subject"]).lower()


def themed(groups: list[tuple[int, str, int]]) -> pd.DataFrame:
    """An analysed frame by hand: (theme, label, distinct authors), two messages per author."""
    rows = []
    for theme, label, n in groups:
        for i in range(n):
            for rep in range(2):
                rows.append({S.CREATED_AT: NOW - timedelta(minutes=1 + (i + rep) % 50),
                             S.AUTHOR: f"p_{theme}_{i}", S.THEME: theme, S.THEME_LABEL: label,
                             S.IS_OFFICIAL: False, S.CATEGORIES: ("waarneming",), S.LANGUAGE: "nl"})
    return pd.DataFrame(rows)


def test_trends_labels():
    df = themed([(1, "zwarte rook boven de haven", 50), (2, "roetdeeltjes op de schommel", 49)])
    for k, shown in ((50, False), (49, True)):
        series = trend_series(df, "theme", 15, NOW - timedelta(hours=2), NOW, min_authors=k)
        labels = " ".join(df[df[S.THEME].isin(series["group"].unique())][S.THEME_LABEL].unique())
        assert bool(rare_in(labels)) is shown, (k, labels)
        assert "haven" in labels


def test_report_bullets(k50, k40, monkeypatch):
    incident = {"id": 1, "name": "Brand Havendorp", "start_at": NOW - timedelta(hours=3)}
    monkeypatch.setenv("LUISTERPOST_MIN_AUTHORS", "50")
    report = build_report(k50, None, incident, at=NOW, accuracy={})  # k from view_min_authors
    assert report["min_authors"] == 50
    text = " ".join(report["kernbeeld"]) + repr(report.get("themes", ""))
    assert not rare_in(text), text
    assert "havendorp" in text.lower() or "kraan" in text.lower()
    low = build_report(k40, None, incident, at=NOW, accuracy={}, min_authors=40)
    assert rare_in(" ".join(low["kernbeeld"]) + repr(low.get("themes", "")))


def test_copi_blocks_use_max_10_k(monkeypatch):
    # analysis k = 5. Theme 2 has 9 authors; theme 3 has 12 authors but its label phrase was
    # written by only 6 of them: both may show on Nu (k = 5), neither label on CoPI (k = 10).
    monkeypatch.setenv("LUISTERPOST_MIN_AUTHORS", "5")
    df = themed([(1, "zwarte rook boven de haven", 10), (2, "roetdeeltjes op de schommel", 9),
                 (3, "roetdeeltjes in de speeltuin", 12)])
    texts = {1: "zwarte rook boven de haven", 2: "roetdeeltjes op de schommel"}
    df[S.CLEAN_TEXT] = [texts.get(t) or ("roetdeeltjes in de speeltuin" if int(a.rsplit("_", 1)[1]) < 6
                                         else "zwarte deeltjes bij de haven")
                        for t, a in zip(df[S.THEME], df[S.AUTHOR], strict=True)]
    df = df.assign(**{S.RELEVANT: True, S.ISB: S.CATEGORIES_BY_CODE["waarneming"].block})
    nu = " ".join(scan_bullets(df, NOW, timedelta(minutes=60), min_authors=view_min_authors("nu")))
    assert rare_in(nu), nu  # k = 5: the 9-author theme and the 6-author phrase may show on Nu
    pic = timeline.picture(df, pd.DataFrame(), NOW, min_authors=view_min_authors("copi"))
    text = " ".join(pic.items["label"].astype(str)) + " " + " ".join(pic.rising["label"].astype(str))
    assert not rare_in(text), text
    assert "zwarte rook boven de haven" in text  # theme 1 (10 authors) keeps its label; theme 3 has none
    monkeypatch.setenv("LUISTERPOST_MIN_AUTHORS", "11")  # max(10, 11) = 11: theme 1 (10 authors) goes too
    pic = timeline.picture(df, pd.DataFrame(), NOW, min_authors=view_min_authors("copi"))
    assert "zwarte rook boven de haven" not in " ".join(pic.items["label"].astype(str))


def test_label_for_k_keeps_a_part_people_wrote_never_a_stop_word():
    from pipeline.analysis.themes import label_for_k

    texts = pd.Series(["zwarte rook boven de haven"] * 6 + ["zwarte rook bij een loods"] * 6)
    authors = pd.Series([f"p{i}" for i in range(12)])
    assert label_for_k("zwarte rook boven de haven", texts, authors, 6) == "zwarte rook boven de haven"
    assert label_for_k("zwarte rook boven de haven", texts, authors, 10) == "zwarte rook"
    assert label_for_k("zwarte rook boven de haven (Engels)", texts, authors, 10) == "zwarte rook (Engels)"
    assert label_for_k("zwarte rook boven de haven", texts, authors, 13) == ""
    # "een" is in 6 + 6 texts but names nothing: never the fallback; what all 12 wrote is named
    assert label_for_k("een loods", texts.str.replace("boven de", "een"), authors, 10) == "zwarte rook"


def test_label_for_k_names_a_phrase_of_the_view_instead_of_one_word():
    """Where only one word of the label has k authors ("zwarte"), a phrase >= k authors wrote wins."""
    from pipeline.analysis.themes import label_for_k

    texts = pd.Series(["raak de zwarte stukjes niet aan!"] * 11 + ["zwarte rook boven de haven"] * 3)
    authors = pd.Series([f"p{i}" for i in range(14)])
    assert label_for_k("zwarte rook boven de haven", texts, authors, 10) in {
        "raak de zwarte stukjes niet aan", "zwarte stukjes"}
    # a phrase found anew names its own language, not the label's (before: "raak de zwarte stukjes
    # niet aan (Engels)"; in the demo's CoPI "alle fenster zu und trotzdem riecht man es (Engels)")
    found = label_for_k("zwarte rook boven de haven (Engels)", texts, authors, 11)
    assert found and "(" not in found
    dutch = pd.Series(["nl"] * 14)
    assert label_for_k("zwarte rook boven de haven (Engels)", texts, authors, 11, languages=dutch) == found
    german = pd.Series(["raak de zwarte stukjes niet aan!"] * 11 + ["alle fenster zu"] * 3)
    assert label_for_k("smoke at the camp (Engels)", german, authors, 11,
                       languages=pd.Series(["de"] * 14)) == f"{found} (Duits)"
    # k counts distinct authors: 14 messages by 8 people name nothing, not even "zwarte"
    few = pd.Series([f"p{i % 8}" for i in range(11)] + ["p1", "p2", "p3"])
    assert label_for_k("zwarte rook boven de haven", texts, few, 10) == ""
    # no phrase with k authors: the one word stays (it has k authors)
    mixed = pd.Series([f"de zwarte {w} hier" for w in ("rook", "wolk", "lucht", "pluim", "as")] * 2)
    assert label_for_k("zwarte rook boven de haven", mixed, pd.Series(range(10)), 10) == "zwarte"

"""Tests for pipeline.analysis.themes: invariants of the incremental theme model and its views."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pipeline.analysis.themes import (
    COPIED_WORDS,
    OTHER_LABEL,
    OTHER_THEME,
    ThemeModel,
    ThemeParams,
    assign_themes,
    ctfidf_labels,
    label_for_k,
    term_counts,
    theme_summary,
)
from pipeline.schema import (
    AUTHOR,
    CATEGORIES,
    CLEAN_TEXT,
    CREATED_AT,
    IS_OFFICIAL,
    NO_THEME,
    RELEVANT,
    TERMS,
    TEXT,
    THEME,
    THEME_LABEL,
)

T0 = pd.Timestamp("2026-05-01 10:00", tz="UTC")
SMALL = dict(min_cluster_size=3, min_authors=3, similarity_threshold=0.2, random_state=0)

STANK = [  # theme A: smell complaints at the camping
    "stank misselijk camping", "stank camping hoofdpijn", "misselijk stank kinderen",
    "stank ruiken camping", "misselijk hoofdpijn stank", "camping stank ramen",
]  # fmt: skip
ASBEST = [  # theme B: asbestos rumour, no word shared with A
    "asbest dak gerucht", "asbest dak school", "gerucht asbest vrijgekomen",
    "dak asbest gevaarlijk", "asbest gerucht dak", "asbest school dak",
]  # fmt: skip
EVACUATIE = [  # theme C: only appears later
    "evacuatie bus opvang", "bus evacuatie sporthal", "opvang sporthal evacuatie",
    "evacuatie opvang bus", "sporthal bus evacuatie",
]  # fmt: skip


def frame(texts: list[str], authors: list[str] | None = None, start: int = 0, **cols) -> pd.DataFrame:
    """Build an eligible message frame; TERMS = lower-cased whitespace split of the text."""
    n = len(texts)
    return pd.DataFrame(
        {
            CREATED_AT: [T0 + pd.Timedelta(minutes=start + i) for i in range(n)],
            AUTHOR: authors or [f"u{start + i}" for i in range(n)],
            TEXT: texts,
            TERMS: [tuple(t.lower().split()) for t in texts],
            RELEVANT: cols.get(RELEVANT, [True] * n),
            IS_OFFICIAL: cols.get(IS_OFFICIAL, [False] * n),
        }
    )


def two_themes() -> pd.DataFrame:
    """Interleaved A and B messages, each by its own author."""
    texts = [t for pair in zip(STANK, ASBEST, strict=False) for t in pair]
    return frame(texts)


def test_two_disjoint_vocabularies_give_two_themes():
    df = two_themes()
    out = ThemeModel(**SMALL).fit(df).assign(df)
    by_text = dict(zip(out[TEXT], out[THEME], strict=False))
    stank_ids = {by_text[t] for t in STANK}
    asbest_ids = {by_text[t] for t in ASBEST}
    assert len(stank_ids) == 1 and len(asbest_ids) == 1
    assert stank_ids != asbest_ids
    assert OTHER_THEME not in stank_ids | asbest_ids
    labels = dict(zip(out[THEME], out[THEME_LABEL], strict=False))
    assert set(labels[stank_ids.pop()].split(" / ")) <= set(" ".join(STANK).split())
    assert set(labels[asbest_ids.pop()].split(" / ")) <= set(" ".join(ASBEST).split())


def test_assign_only_adds_columns_and_rule_for_non_eligible():
    df = pd.concat(
        [
            two_themes(),
            frame(["stank camping misselijk"], start=20, **{RELEVANT: [False]}),  # not relevant
            frame(["stank camping misselijk"], start=21, **{IS_OFFICIAL: [True]}),  # official
            frame([""], start=22),  # relevant but no terms: catch-all theme
            frame(["voetbal uitslag"], start=23),  # relevant, unrelated words: catch-all
        ],
        ignore_index=True,
    )
    before = df.copy()
    out = ThemeModel(**SMALL).fit(df).assign(df)
    pd.testing.assert_frame_equal(df, before)  # input untouched
    pd.testing.assert_frame_equal(out.drop(columns=[THEME, THEME_LABEL]), df)
    assert out[THEME].tolist()[-4:-2] == [NO_THEME, NO_THEME]
    assert out[THEME_LABEL].tolist()[-4:-2] == ["", ""]
    assert out[THEME].tolist()[-2:] == [OTHER_THEME, OTHER_THEME]
    assert out[THEME_LABEL].tolist()[-2:] == [OTHER_LABEL, OTHER_LABEL]
    eligible = df[RELEVANT] & ~df[IS_OFFICIAL]
    assert (out.loc[eligible, THEME] >= 0).all()  # every eligible message has one theme


def test_deterministic():
    df = two_themes()
    a, b = ThemeModel(**SMALL).fit(df), ThemeModel(**SMALL).fit(df)
    assert a.to_dict() == b.to_dict()
    pd.testing.assert_frame_equal(a.assign(df), b.assign(df))


def test_partial_fit_keeps_ids_and_adds_new_theme():
    first = two_themes()
    second = frame(STANK[:3] + ASBEST[:3] + EVACUATIE, start=100)
    model = ThemeModel(**SMALL).fit(first)
    before = model.assign(first)
    labels_before = model.labels_
    model.partial_fit(second)
    after_first = model.assign(first)
    assert after_first[THEME].tolist() == before[THEME].tolist()  # old ids unchanged
    assert set(labels_before) < set(model.labels_)  # ids only added
    out = model.assign(second)
    evac = set(out.loc[out[TEXT].isin(EVACUATIE), THEME])
    assert evac == {max(labels_before) + 1}  # one new theme with the next id
    assert "evacuatie" in model.labels_[max(labels_before) + 1]
    old = out.loc[~out[TEXT].isin(EVACUATIE)]  # known texts keep their first-half theme
    first_ids = dict(zip(before[TEXT], before[THEME], strict=False))
    assert old[THEME].tolist() == [first_ids[t] for t in old[TEXT]]


def test_a_later_cluster_nobody_can_name_stays_pending():
    model = ThemeModel(**SMALL).fit(two_themes())
    n_before = len(model.labels_)
    lach = frame([f"😂 goed {w}" for w in "tafel stoel kast bank bed lamp".split()], start=100)
    model.partial_fit(lach)
    assert len(model.labels_) == n_before  # six authors share only "😂" and "goed": no theme
    assert len(model.pending_["terms"]) == len(lach)  # kept: later messages may make it nameable
    model.partial_fit(frame(EVACUATIE, start=200))
    assert len(model.labels_) == n_before + 1 and "evacuatie" in model.labels_[max(model.labels_)]
    assert len(model.pending_["terms"]) == len(lach)


def test_new_theme_needs_enough_authors():
    model = ThemeModel(**SMALL).fit(two_themes())
    n_before = len(model.labels_)
    one_author = frame(EVACUATIE, authors=["zelfde"] * len(EVACUATIE), start=100)
    model.partial_fit(one_author)
    assert len(model.labels_) == n_before  # 5 messages, 1 author: no theme
    assert set(model.assign(one_author)[THEME]) == {OTHER_THEME}
    assert len(model.pending_["terms"]) == len(EVACUATIE)


def test_to_dict_round_trip_is_json_and_equivalent():
    model = ThemeModel(**SMALL).fit(two_themes())
    state = json.loads(json.dumps(model.to_dict()))
    loaded = ThemeModel.from_dict(state)
    df = pd.concat([two_themes(), frame(EVACUATIE, start=100)], ignore_index=True)
    pd.testing.assert_frame_equal(loaded.assign(df), model.assign(df))
    new = frame(EVACUATIE, start=200)
    assert loaded.partial_fit(new).to_dict() == model.partial_fit(new).to_dict()
    with pytest.raises(ValueError, match="format"):
        ThemeModel.from_dict({"format": "pickle"})


def test_assign_themes_fits_then_partial_fits():
    out, model = assign_themes(two_themes(), params=ThemeParams(**SMALL))
    assert set(out[THEME]) == set(model.labels_) - {OTHER_THEME}
    out2, model2 = assign_themes(frame(EVACUATIE, start=100), model)
    assert model2 is model
    assert set(out2[THEME]) == {max(model.labels_)}


def test_empty_frame():
    empty = two_themes().iloc[:0]
    model = ThemeModel(**SMALL).fit(empty)
    out = model.assign(empty)
    assert out.empty and {THEME, THEME_LABEL} <= set(out.columns)
    assert model.labels_ == {OTHER_THEME: OTHER_LABEL}
    assert theme_summary(out).empty
    assert term_counts(out).columns.tolist() == ["group", "term", "n_messages", "n_authors"]


def test_ctfidf_labels_prefers_distinctive_terms_and_hides_rare_ones():
    tables = {
        1: {"brand": 10, "stank": 8, "misselijk": 6, "naam": 1},  # "naam": one author only
        2: {"brand": 10, "asbest": 7},
    }
    labels = ctfidf_labels(tables, n_terms=2, min_authors=5)
    assert labels == {1: ("stank", "misselijk"), 2: ("asbest", "brand")}


def summary_frame() -> pd.DataFrame:
    """Theme 1 by 3 authors, theme 2 by a single author, one non-themed row."""
    df = frame(
        ["stank camping", "stank misselijk camping", "stank camping", "asbest dak", "asbest", "x"],
        authors=["a", "b", "c", "d", "d", "e"],
    )
    return df.assign(
        **{
            THEME: [1, 1, 1, 2, 2, NO_THEME],
            THEME_LABEL: ["stank / camping"] * 3 + ["asbest"] * 2 + [""],
            CATEGORIES: [("gezondheid",), ("gezondheid", "vraag"), (), ("gerucht",), (), ()],
        }
    )


def test_theme_summary_exact():
    out = theme_summary(summary_frame(), min_authors=3)
    assert out.columns.tolist() == [
        "theme", "label", "n_messages", "n_authors", "first_seen", "last_seen",
        "top_terms", "example", "shown",
    ]  # fmt: skip
    assert out["theme"].tolist() == [1, 2]
    assert out["n_messages"].tolist() == [3, 2]
    assert out["n_authors"].tolist() == [3, 1]
    assert out["first_seen"].tolist() == [T0, T0 + pd.Timedelta(minutes=3)]
    assert out["last_seen"].tolist() == [T0 + pd.Timedelta(minutes=2), T0 + pd.Timedelta(minutes=4)]
    assert out["shown"].tolist() == [True, False]
    assert out["example"].tolist() == ["stank camping", ""]  # closest to centroid; hidden < k
    assert set(out["top_terms"][0]) == {"stank", "camping"}  # "misselijk": 1 author only
    assert out["top_terms"][1] == ()


def test_term_counts_privacy_and_groups():
    df = summary_frame()
    by_theme = term_counts(df, min_authors=2, by=THEME)
    assert by_theme.to_dict("list") == {
        "group": [1, 1], "term": ["camping", "stank"], "n_messages": [3, 3], "n_authors": [3, 3],
    }  # fmt: skip
    overall = term_counts(df, min_authors=1, by=None)
    assert overall.set_index("term").loc["asbest", "n_authors"] == 1
    assert overall.set_index("term").loc["asbest", "n_messages"] == 2
    assert set(overall["group"]) == {"alle"}
    cats = term_counts(df, min_authors=1, by=CATEGORIES)
    assert cats[cats["group"] == "vraag"]["term"].tolist() == ["camping", "misselijk", "stank"]
    assert cats[cats["group"] == "gezondheid"].set_index("term")["n_messages"].to_dict() == {
        "camping": 2, "stank": 2, "misselijk": 1,
    }  # fmt: skip


DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "crisislex_t26_dev" / "dev_t26.tsv"


def test_real_crisis_tweets_separate_events():
    if not DATA.exists():
        pytest.skip(f"research data not present at {DATA}")
    from stop_words import get_stop_words

    from benchmarks.themes_bench import simple_terms

    raw = pd.read_csv(DATA, sep="\t", dtype=str)
    raw = raw[raw["event"].isin(["2013_Boston_bombings", "2012_Colorado_wildfires"])]
    stop = frozenset(get_stop_words("en"))
    df = pd.DataFrame(
        {
            CREATED_AT: pd.to_datetime(raw["created_at_utc_from_id"], utc=True),
            AUTHOR: raw["tweet_id"],  # no author field: one author per tweet
            TEXT: raw["text"],
            TERMS: raw["text"].fillna("").map(lambda t: simple_terms(t, stop)),
            RELEVANT: True,
            IS_OFFICIAL: False,
        }
    ).reset_index(drop=True)
    out = ThemeModel(random_state=0).fit(df).assign(df)
    themed = out[THEME] != OTHER_THEME
    assert themed.mean() > 0.3
    # purity: share of themed tweets whose theme's majority event is their own event
    table = pd.crosstab(out.loc[themed, THEME], raw["event"].to_numpy()[themed.to_numpy()])
    assert table.max(axis=1).sum() / table.to_numpy().sum() > 0.9  # themes do not mix disasters
    assert all(label for label in out[THEME_LABEL])


def _with_clean(df: pd.DataFrame) -> pd.DataFrame:
    from pipeline.analysis.normalize import normalize

    return normalize(df.drop(columns=[TERMS]))


def test_theme_label_is_a_phrase_people_wrote_by_at_least_k_authors():
    from pipeline.analysis.themes import phrases_of

    ramen = [f"Moeten we de ramen en deuren dicht houden in {w}?" for w in
             ("kerkdriel", "hedel", "ammerzoden", "zaltbommel", "rossum", "well")]
    ramen += ["ramen en deuren dicht, ventilatie uit", "ramen en deuren dicht gedaan"]
    water = [f"is het kraanwater veilig om te drinken {w}"
             for w in ("vandaag", "nu", "nog", "straks", "morgen")]
    water += ["kraanwater veilig of niet?", "kraanwater veilig voor de baby?"]
    df = _with_clean(frame(ramen + water))
    assert "ramen en deuren dicht" in phrases_of(df[CLEAN_TEXT].iloc[0])
    out = ThemeModel(**SMALL).fit(df).assign(df)
    labels = set(out.loc[out[THEME] != OTHER_THEME, THEME_LABEL])
    assert "ramen en deuren dicht" in labels or "ramen en deuren" in labels
    # the longest phrase with the theme's top terms: "kraanwater veilig (om te drinken)"
    assert any(label.startswith("kraanwater veilig") for label in labels), labels
    # k = 8: "kraanwater veilig" (7 authors) may not be named; no label word has fewer than 8 authors.
    strict = ThemeModel(**(SMALL | {"min_authors": 8, "min_cluster_size": 3})).fit(df).assign(df)
    for label in set(strict[THEME_LABEL]) - {"", OTHER_LABEL}:
        assert "kraanwater" not in label
        for word in label.replace(" / ", " ").split():
            assert sum(word in t.lower().split() or word in t.lower() for t in ramen + water) >= 8, label


def test_a_label_never_ends_where_the_clause_was_cut():
    """Real messages: an advice copied in two versions, texts cut off by the platform, a link that
    took half a word. No phrase ends in an imperative or in a cut-off last word, and no whole
    clause starts with a letter split off a word."""
    from pipeline.analysis.themes import phrases_of

    advice = [f"Ga naar binnen, houd ramen en deuren dicht en zet {w}ventilatie uit. {n}"
              for n, w in enumerate(["", "mechanische "] * 4)]
    out = ThemeModel(**SMALL).fit(_with_clean(frame(advice + [f"iets anders {i}" for i in range(6)])))
    assert "houd ramen en deuren dicht" in out.labels_.values(), out.labels_  # was "… dicht en zet"
    got = phrases_of("ga naar binnen, houd ramen en deuren dicht en zet mechanische ventilatie uit.")
    assert "zet mechanische ventilatie" in got and not [p for p in got if p.endswith(" zet")]
    cut = phrases_of("from sarasota to boston, we're saddened by loss of life an .")  # "… life an ..."
    assert "saddened by loss of life" in cut and not [p for p in cut if p.endswith(" an")]
    assert "from sarasota to boston" in cut  # only the last clause was cut
    assert "we're saddened by loss of life an" in phrases_of("we're saddened by loss of life an")  # not cut
    split = phrases_of("pastor blames gays for hurricane sandy\\[link]'t decide if its more hilarious or not")
    assert "decide if its more hilarious" in split and not [p for p in split if p.startswith("t ")]
    # a preposition the stop list lacks ends no phrase: "enorme zwarte rookpluim richting" was a
    # demo theme's name, and a view of k = 10 cut it to the one word "richting"
    plume = phrases_of("enorme zwarte rookpluim richting de vlonder. iemand een idee wat daar brandt?")
    assert "enorme zwarte rookpluim" in plume and not [p for p in plume if p.endswith("richting")]
    assert "richting de vlonder" in plume  # it may start one
    assert label_for_k("enorme zwarte rookpluim richting", pd.Series(["rookpluim richting de haven"] * 3
                                                                     + ["richting"] * 3),
                       pd.Series(list("abcdef")), 5) == ""


def test_label_names_the_language_of_a_non_dutch_phrase():
    from pipeline.schema import LANGUAGE

    english = [f"is the tap water safe to drink {w}?" for w in ("today", "now", "here", "tonight", "again")]
    dutch = [f"ramen en deuren dicht in {w}" for w in ("hedel", "well", "rossum", "kerkdriel", "bommel")]
    df = _with_clean(frame(english + dutch)).assign(**{LANGUAGE: ["en"] * 5 + ["nl"] * 5})
    labels = set(ThemeModel(**SMALL).fit(df).assign(df)[THEME_LABEL])
    english_words = set(" ".join(english).replace("?", "").split())
    assert any(label.endswith(" (Engels)") and set(label[:-9].split()) <= english_words
               for label in labels), labels
    assert any(label.startswith("ramen en deuren") and "(" not in label for label in labels), labels


def test_themes_found_later_in_a_live_incident_get_phrase_labels():
    """An incident that starts empty gets its themes from pending messages: they need phrases too."""
    texts = ["de ramen dicht houden", "zwarte rook boven de haven"] * 30
    df = frame(texts, authors=[f"u{i}" for i in range(len(texts))])
    df[CLEAN_TEXT] = df[TEXT]
    model = ThemeModel(**SMALL).fit(df.iloc[:0])
    model.partial_fit(df)
    labels = set(model.labels_.values()) - {OTHER_LABEL}
    assert labels, "no theme found"
    assert all(" " in label for label in labels), labels  # phrases people wrote, not one word
    again = ThemeModel.from_dict(model.to_dict())  # the pending texts survive a saved state
    assert set(again.labels_.values()) - {OTHER_LABEL} == labels


def _item_authors_reference(group, item, keys, tables):
    """The pandas groupby version `themes.item_authors` replaced (issue 15): the reference."""
    out = [{} for _ in tables]
    if len(group) == 0:
        return out
    frame = pd.DataFrame({"g": np.asarray(group, dtype=np.int64), "item": np.asarray(item, dtype=object),
                          "key": np.asarray(keys, dtype=np.int64)}).drop_duplicates()
    wanted = pd.DataFrame([(g, t) for g, table in enumerate(tables) for t in table], columns=["g", "item"])
    if wanted.empty:
        return out
    frame = frame.merge(wanted, on=["g", "item"])
    for (g, it), keys_ in frame.groupby(["g", "item"], sort=False)["key"]:
        out[int(g)][it] = sorted(int(k) for k in keys_)
    return out


@pytest.mark.parametrize("seed", range(6))
def test_item_authors_equals_the_groupby_version(seed):
    """Same author lists, same item order per group, duplicates dropped, unwanted items left out."""
    from pipeline.analysis.themes import item_authors
    rng = np.random.default_rng(seed)
    n, n_groups = int(rng.integers(0, 400)), int(rng.integers(1, 6))
    words = np.array([f"w{i}" for i in range(30)] + ["zwarte rook", "é 🙏"], dtype=object)
    group = rng.integers(0, n_groups, n)
    item = words[rng.integers(0, len(words), n)]
    keys = rng.integers(-(2**62), 2**62, 12)[rng.integers(0, 12, n)]
    tables = [{str(w): 1 for w in rng.choice(words, int(rng.integers(0, 20)), replace=False)}
              for _ in range(n_groups)]
    got = item_authors(group, item, keys, tables)
    want = _item_authors_reference(group, item, keys, tables)
    assert sum(map(len, want)) > 0  # every seed has wanted items with authors
    assert [list(d.items()) for d in got] == [list(d.items()) for d in want]


def _phrase_label_reference(top_terms, phrases, min_authors):
    """phrase_label before the early skip of candidates that cannot win (issue 15)."""
    terms = [t.lstrip("#") for t in top_terms]
    cands = {p: n for p, n in phrases.items() if n >= min_authors}
    best, key = "", (0, 0, 0)
    for phrase, n in cands.items():
        words = phrase.split()
        hits = sum(t in words and not any(t in w for w in words if w != t) for t in terms)
        if not hits:
            continue
        padded = f" {phrase} "
        if any(m >= 0.8 * n and len(q) > len(phrase) and padded in f" {q} " for q, m in cands.items()):
            continue
        cand = (hits, n, len(words))
        if cand > key:
            best, key = phrase, cand
    return best


@pytest.mark.parametrize("seed", range(40))
def test_phrase_label_equals_the_full_fragment_test(seed):
    from pipeline.analysis.themes import phrase_label
    rng = np.random.default_rng(seed)
    words = ["zwarte", "rook", "boven", "het", "industrieterrein", "brand", "rookwolk", "#brand", "school"]
    phrases = {}
    for _ in range(int(rng.integers(0, 25))):
        phrases[" ".join(rng.choice(words[:7], int(rng.integers(1, 5))))] = int(rng.integers(1, 12))
    top = tuple(rng.choice(words, int(rng.integers(0, 4)), replace=False))
    assert phrase_label(top, phrases, 3) == _phrase_label_reference(top, phrases, 3)


def test_term_and_phrase_tables_keep_each_groups_top_items_in_order() -> None:
    """The per-theme tables hold each group's most used items (distinct authors), ties by name, capped."""
    import scipy.sparse as sp

    from pipeline.analysis import themes as th

    rng = np.random.default_rng(4)
    n_rows, n_terms, n_groups = 3_000, 400, 7
    vocab = np.array([f"w{i:03d}" for i in range(n_terms)], dtype=object)
    counts = sp.random(n_rows, n_terms, density=0.02, random_state=5, format="csr")
    counts.data[:] = 1
    group = rng.integers(-1, n_groups, n_rows)  # -1: rows without a group are left out
    author = rng.integers(0, 300, n_rows)
    got = th._term_table(counts, vocab, group, author, n_groups)
    coo = counts.tocoo()
    pairs = pd.DataFrame({"g": group[coo.row], "term": vocab[coo.col], "a": author[coo.row]})
    pairs = pairs[pairs.g >= 0].drop_duplicates()
    ref = pairs.groupby(["g", "term"]).size().reset_index(name="n")
    ref = ref.sort_values(["g", "n", "term"], ascending=[True, False, True])
    for g in range(n_groups):
        top = ref[ref.g == g].head(th._TERM_TABLE_SIZE)
        assert list(got[g].items()) == list(zip(top.term, top.n.astype(int), strict=True))
        assert len(got[g]) == th._TERM_TABLE_SIZE  # enough terms: the cut applies
    assert max(got[0].values()) > min(got[0].values())  # ranked by authors, not all tied

    clean = pd.Series([f"de {'rode' if i % 3 else 'zwarte'} rook boven wijk {i % 90}" for i in range(2_000)])
    pgroup = np.arange(2_000) % 3
    pauth = np.arange(2_000) % 500
    tables, _ = th.phrase_stats(clean, pgroup, pauth, 3)
    for g in range(3):
        items = list(tables[g].items())
        assert 0 < len(items) <= th._PHRASE_TABLE_SIZE
        assert items == sorted(items, key=lambda kv: (-kv[1], kv[0]))
        assert all(n >= 2 for _, n in items)


def test_nameable_words_and_the_generic_list():
    from pipeline.analysis.generic_words import generic_words
    from pipeline.analysis.themes import nameable

    generic = generic_words()
    assert {"goed", "mensen", "people", "zeit"} <= generic
    assert not {"weg", "water", "brand", "rook", "stank", "thuis", "help", "fire"} & generic  # crisis words
    assert [w for w in ("stank", "#blijfthuis", "asbest", "kraanwater") if not nameable(w)] == []
    assert [w for w in ("goed", "vind", "😂", "2020", "[link]", "de", "#mensen", "niet") if nameable(w)] == []


def test_the_generic_word_list_is_lower_case_words_and_states_its_source_and_licence():
    from pipeline.analysis.generic_words import FILE, generic_words
    from pipeline.analysis.normalize import RESOURCES, keep_words

    text = (RESOURCES / FILE).read_text(encoding="utf-8")
    assert "wordfreq" in text and "CC BY-SA 4.0" in text
    words = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
    assert all(w == w.lower() and " " not in w for w in words)
    assert 100 < len(generic_words()) < 1000  # about the 300 most used words, minus stop words
    assert not generic_words() & keep_words()


def test_a_cluster_around_a_common_word_or_an_emoji_is_no_theme():
    # Twelve authors each write "goed" (or 😂) with otherwise unrelated words: k-means finds the
    # cluster, but "goed" names nothing an OVD-C can act on. The smell theme stays.
    first = "alfa bravo charlie delta echo foxtrot golf hotel india juliet kilo lima".split()
    second = "appel peer kiwi mango druif citroen bes vijg dadel pruim kers meloen".split()
    goed = [f"goed {a} {b}" for a, b in zip(first, second, strict=True)]
    lach = [f"😂 {w}" for w in "tafel stoel kast bank bed lamp deur raam vloer muur dak trap".split()]
    df = frame(STANK * 2 + goed + lach)
    model = ThemeModel(**SMALL).fit(df)
    labels = {t["label"] for t in model.themes_}
    assert labels and all(set(label.split()) <= set(" ".join(STANK).split()) for label in labels), labels
    assert not any(label in ("goed", "😂") or label.startswith("thema ") for label in labels), labels
    out = model.assign(df)
    assert set(out.loc[out[TEXT].isin(goed + lach), THEME]) == {OTHER_THEME}


def test_every_theme_has_a_name_and_no_two_themes_share_one():
    # Real CT22 tweets gave two themes "coronavirus nederland": the smaller one now takes its
    # next-best phrase. Two themes with the same term and phrase tables, as k-means can leave them:
    model = ThemeModel(**SMALL).fit(two_themes())
    assert len(model.themes_) == 2
    big = {"coronavirus": 40, "nederland": 38, "rivm": 9, "covid": 7}
    phrases = {"coronavirus nederland": 30, "covid 19 nederland": 7, "rivm coronavirus nederland": 4}
    for theme, size in zip(model.themes_, (60, 50), strict=True):
        theme.update(size=size, terms=dict(big), phrases=dict(phrases))
    model.other_["terms"] = {"corona": 50, "thuis": 20}
    model._refresh_labels()
    labels = [t["label"] for t in model.themes_]
    assert len(set(labels)) == 2 and set(labels) <= set(phrases), labels
    # ... and without a second phrase, the next characteristic word
    for theme in model.themes_:
        theme["phrases"] = {"coronavirus nederland": 30}
    model._refresh_labels()
    labels = [t["label"] for t in model.themes_]
    assert labels[0] == "coronavirus nederland" and labels[1] in big, labels


def test_a_copy_learns_while_the_original_stays_as_it_was():
    """`copy` (live updates: cached results stay immutable) equals a to_dict/from_dict copy."""
    model = ThemeModel(**SMALL).fit(two_themes())
    model.partial_fit(frame([f"😂 goed {w}" for w in "tafel stoel kast".split()], start=50))  # pending
    before = json.dumps(model.to_dict(), sort_keys=True)
    fast, slow = model.copy(), ThemeModel.from_dict(model.to_dict())
    for batch in (frame(STANK[:3] + EVACUATIE, start=100), frame(ASBEST + ["😂 goed bank"], start=200)):
        fast.partial_fit(batch)
        slow.partial_fit(batch)
    assert json.dumps(model.to_dict(), sort_keys=True) == before  # the original did not change
    assert fast.to_dict() == slow.to_dict()
    assert len(fast.labels_) > len(model.labels_)  # the copy found the new theme


def test_name_key_says_when_two_theme_names_say_the_same_thing():
    """Hashtags split with the corpus' own words; spacing, digits, plurals and 'tx'/'nl' folded."""
    from pipeline.analysis.normalize import stopwords
    from pipeline.analysis.themes import name_key, same_name

    vocab = set(stopwords()) | {"corona", "virus", "covid", "nederland", "pray", "texas", "west", "tx",
                                "fertilizer", "plant", "brand", "weer", "stank"}

    def same(a: str, b: str) -> bool:
        return same_name(name_key(a, vocab), name_key(b, vocab))

    assert same("covid19", "covid 19 nederland")
    assert same("corona virus", "coronavirus nederland") and same("coronavirusnl", "corona virus")
    assert same("westtx", "west tx") and same("west tx", "west texas")
    assert same("prayfortexas", "pray for texas") and same("pray for texas", "prayfortexas prayforboston")
    assert same("fertilizer plant", "texas fertilizer plant")
    assert same("mondkapjes", "mondkapje")
    # a lone ordinary word does not swallow a phrase; different words stay different
    assert not same("stank", "die stank is niet normaal meer")
    assert not same("brand", "brandweer")
    assert not same("pray for west", "pray for texas")
    assert not same("corona virus", "covid19")


def test_a_larger_name_is_the_same_only_when_its_extra_words_are_the_incident_s_own():
    """Demo live path: "sterkte heidewijk" (sympathy) is not "heide wijk" (the neighbourhood's news)."""
    from pipeline.analysis.normalize import stopwords
    from pipeline.analysis.themes import incident_words, name_key, same_name

    vocab = set(stopwords()) | {"corona", "virus", "nederland", "heide", "wijk", "sterkte", "west", "tx",
                                "texas"}
    tables = [{"corona": 40, "nederland": 30, "school": 9}, {"coronavirus": 20, "nederland": 12},
              {"sterkte": 8, "heidewijk": 7}, {"mondkapjes": 6}]
    incident = incident_words(tables, [300, 60, 30, 20], vocab)  # 8 % of 410 authors: 32.8
    assert incident == {"corona", "nederland"}  # 42 uses of nederland; sterkte, school too rare

    def same(a: str, b: str) -> bool:
        return same_name(name_key(a, vocab), name_key(b, vocab), incident)

    assert same("corona virus", "coronavirus nederland")  # nederland: the incident's own
    assert not same("heide wijk", "sterkte heidewijk")  # sterkte: this theme's own word
    assert same("west tx", "west texas") and same("heidewijk", "heide wijk")  # equal names need none


def test_a_side_remark_never_names_a_theme():
    """West Texas: a fifth of the plant theme's authors compare with the Boston bombing; its words
    are the incident's own (in every theme), yet "boston marathon" (not a top term) is no label."""
    words = ["today", "tonight", "again", "now", "still", "here", "there", "live", "news", "update",
             "morning", "report", "breaking", "photos", "pics", "story", "latest", "watch", "images",
             "footage"]
    plant = [f"explosion at fertilizer plant in west texas {w}" for w in words]
    plant += [f"explosion at fertilizer plant in west texas {w} just like boston marathon"
              for w in words[5:11]]
    pray = [f"pray for west texas tonight {w}" for w in words[:12]]
    video = [f"video fertilizer plant explosion caught on camera {w}" for w in words[:12]]
    df = _with_clean(frame(plant + pray + video))
    out = ThemeModel(**SMALL).fit(df).assign(df)
    label = out.loc[out[TEXT] == plant[0], THEME_LABEL].iloc[0]
    assert "fertilizer plant" in label and "boston" not in label, label
    # the boston remarks are in the plant theme, not a theme of their own
    assert out.loc[out[TEXT] == plant[-1], THEME_LABEL].iloc[0] == label


def test_a_label_is_what_most_of_the_theme_wrote_not_the_phrase_with_all_top_terms():
    """CT22: "coronavirus nederland" (most authors) rather than "coronavirus nederland corona" (k):
    the top term "corona" inside "coronavirus" says nothing new (`phrase_label`)."""
    places = ["amsterdam", "utrecht", "rotterdam", "leiden", "delft", "breda", "tilburg", "zwolle",
              "arnhem", "ede", "assen", "venlo"]
    nl = [f"coronavirus nederland {w}" for w in places] + [f"coronavirus nederland corona {w}" for w in
                                                          ("nu", "weer", "vandaag")]
    masks = [f"corona mondkapjes verplicht {w}" for w in places[:8]]
    schools = [f"corona scholen dicht thuisonderwijs {w}" for w in places[:8]]
    df = _with_clean(frame(nl + masks + schools))
    model = ThemeModel(**SMALL).fit(df)
    out = model.assign(df)
    assert out.loc[out[TEXT] == nl[0], THEME_LABEL].iloc[0] == "coronavirus nederland", model.labels_


def _merge_texts() -> tuple[list[str], list[str], list[str]]:
    """Twelve authors write '#covid19 ...', twelve 'covid 19 nederland ...': two clusters, one name."""
    a = ["ziekenhuis", "school", "werk", "trein", "winkel", "kerk", "markt", "sport", "bus", "kantoor",
         "haven", "museum"]
    b = ["vaccin", "test", "mondkapje", "quarantaine", "besmetting", "ic", "rivm", "griep", "koorts", "hoest",
         "zorg", "afstand"]
    storm = [f"stormschade aan dak en {w}" for w in ["schuur", "boom", "auto", "hek", "tuin", "schutting"]]
    return [f"#covid19 {w}" for w in a], [f"covid 19 nederland {w}" for w in b], storm


def test_near_duplicate_themes_merge_into_one_that_keeps_every_member_message(monkeypatch):
    """'covid19' and 'covid 19 nederland' are one theme; each message stays with its centroid (union)."""
    hashtag, spelled, storm = _merge_texts()
    df = _with_clean(frame(hashtag + spelled + storm))
    merged = ThemeModel(**SMALL).fit(df)
    with monkeypatch.context() as m:  # the same fit without the merge: the member themes
        m.setattr(ThemeModel, "_merge_near_duplicates", lambda self, stats: None)
        apart = ThemeModel(**SMALL).fit(df)
    before, after = apart.assign(df)[THEME], merged.assign(df)[THEME]
    members = set(before.iloc[: len(hashtag + spelled)])
    assert len(members) == 2 and OTHER_THEME not in members
    assert len(merged.themes_) == len(apart.themes_) - 1
    # union: no message of a member theme went to overig; both members' messages are one theme
    assert (after[before != OTHER_THEME] != OTHER_THEME).all()
    assert len(set(after.iloc[: len(hashtag + spelled)])) == 1
    assert (after == OTHER_THEME).sum() == (before == OTHER_THEME).sum()
    theme = next(t for t in merged.themes_ if t["id"] == after.iloc[0])
    assert theme["size"] == len(hashtag + spelled) and theme["n_authors"] == len(hashtag + spelled)
    assert sorted(theme["member_sizes"]) == [len(spelled), len(hashtag)]  # one centroid each
    assert {"covid19", "nederland"} <= set(theme["terms"])


def test_a_merged_theme_keeps_its_centroids_through_to_dict_and_partial_fit():
    """The centroid -> theme map is stored; a state saved before it (one centroid a theme) still loads."""
    hashtag, spelled, storm = _merge_texts()
    df = _with_clean(frame(hashtag + spelled + storm))
    model = ThemeModel(**SMALL).fit(df)
    state = json.loads(json.dumps(model.to_dict()))
    assert sum(len(t.get("more_centroids", [])) for t in state["themes"]) == 1
    back = ThemeModel.from_dict(state)
    assert back.to_dict() == state
    assert back.assign(df)[THEME].tolist() == model.assign(df)[THEME].tolist()
    # partial_fit: new messages of either spelling go to the one theme, as in the model never saved
    later = _with_clean(frame([f"#covid19 {w} {x}" for w, x in zip(["trein", "markt", "haven"],
                                                                     ["vol", "dicht", "leeg"], strict=True)]
                              + [f"covid 19 nederland {w} nieuws" for w in ("vaccin", "test", "zorg")],
                              start=100))
    fresh = model.copy().partial_fit(later)
    assert back.partial_fit(later).to_dict() == fresh.to_dict()
    assert len(set(fresh.assign(later)[THEME])) == 1
    # a state without the map (saved before merging existed): each centroid is its own theme
    old = json.loads(json.dumps(state))
    for theme in old["themes"]:
        theme.pop("more_centroids", None)
        theme.pop("member_sizes", None)
    loaded = ThemeModel.from_dict(old)
    assert loaded.centroids_.shape[0] == len(loaded.themes_)
    assert set(loaded.assign(df)[THEME]) <= {OTHER_THEME} | {t["id"] for t in loaded.themes_}


def test_a_theme_found_later_with_an_existing_theme_s_name_joins_it():
    """`_discover_pending`: a pending '#covid19' cluster joins the 'covid 19 nederland' theme."""
    hashtag, spelled, storm = _merge_texts()
    model = ThemeModel(**SMALL).fit(_with_clean(frame(spelled + storm)))
    ids = {t["id"] for t in model.themes_}
    later = _with_clean(frame(hashtag, start=100))
    model.partial_fit(later)
    assert {t["id"] for t in model.themes_} == ids  # no new theme
    covid = model.assign(_with_clean(frame(spelled[:1])))[THEME].iloc[0]
    assert set(model.assign(later)[THEME]) == {covid}
    assert ThemeModel.from_dict(json.loads(json.dumps(model.to_dict()))).assign(later)[THEME].tolist() == \
        [covid] * len(hashtag)


def test_block_wise_statistics_equal_the_whole_matrix_ones(monkeypatch) -> None:
    """Means a cluster at a time, term tables and author sets a block of rows at a time: same answers."""
    import numpy as np
    import scipy.sparse as sp

    from pipeline.analysis import themes as th

    rng = np.random.default_rng(4)
    docs = sp.random(40, 30, density=0.2, format="csr", random_state=4)
    docs.data[:] = 1.0
    inv = rng.integers(0, 40, 300)  # 300 messages over 40 distinct texts
    lab = rng.integers(-1, 5, 40)
    weights = rng.random(40) + 0.5
    whole = th._means(docs, lab, 5, weights)
    alive = np.asarray(whole.getnnz(axis=1) > 0)
    expected = th._truncate_rows(whole[alive], 4)
    got = th._truncated_means(docs, lab, 5, weights, 4)
    assert got.shape == expected.shape and abs(got - expected).max() < 1e-12

    vocab = np.array([f"w{i}" for i in range(30)], dtype=object)
    group = rng.integers(-1, 4, 300)
    author = rng.integers(0, 25, 300)
    keys = author * 7919
    monkeypatch.setattr(th, "_ROW_BLOCK", 37)  # several blocks, one cut mid-way
    tables = th._term_table(docs, vocab, group, author, 4, inv=inv)
    assert tables == th._term_table(docs[inv], vocab, group, author, 4)
    assert any(tables)
    sets = th._term_authors(docs, vocab, group, keys, tables, inv=inv)
    assert sets == th._term_authors(docs[inv], vocab, group, keys, tables)
    assert any(sets)


def test_row_phrases_of_masked_rows_only_and_missing_text_as_empty() -> None:
    import numpy as np

    from pipeline.analysis.themes import phrases_of, row_phrases

    clean = pd.Series(["ramen en deuren dicht houden", None, "ramen en deuren dicht houden",
                       "is het kraanwater veilig om te drinken"], dtype="string[pyarrow]")
    codes, per_text = row_phrases(clean, np.array([True, True, True, False]))
    assert codes[3] == -1 and codes[0] == codes[2] and codes[1] >= 0
    assert per_text[codes[0]] == phrases_of("ramen en deuren dicht houden")
    assert per_text[codes[1]] == []
    assert not any(per_text[c] for c in range(len(per_text)) if c not in codes)  # unmasked texts: none


def test_the_fit_assigns_as_assign_does_with_merged_and_unthemed_rows() -> None:
    """`assign_themes` takes the fit's own assignment: it must be what `assign` gives, row by row."""
    texts = STANK + ASBEST + ["fiets band lek", "koffie zetten"]  # two messages no theme takes
    df = frame(texts)
    df.loc[len(df) - 1, RELEVANT] = False  # not eligible: NO_THEME
    out, model = assign_themes(df, params=ThemeParams(**SMALL))
    again = model.assign(df)
    assert out[THEME].tolist() == again[THEME].tolist()
    assert out[THEME_LABEL].tolist() == again[THEME_LABEL].tolist()
    assert len(set(out[THEME])) >= 3  # two themes and the catch-all or NO_THEME


def test_top_candidates_keep_every_row_that_can_reach_its_groups_top():
    """Phrase tables sort only these rows: every row tied with a group's size-th largest count stays."""
    import numpy as np

    from pipeline.analysis.themes import top_candidates

    rng = np.random.default_rng(1)
    for size in (1, 3, 20):
        group = rng.integers(0, 6, 400)
        n = rng.integers(2, 9, 400)
        key, kept_n = top_candidates(group, n, np.arange(400), size)
        for g in range(6):
            counts = np.sort(n[group == g])[::-1]
            cutoff = counts[min(size, len(counts)) - 1]
            assert set(key[group[key] == g]) == set(np.flatnonzero((group == g) & (n >= cutoff)))
        assert np.array_equal(kept_n, n[key])
        assert len(key) < 400 or size == 20


def test_a_public_theme_is_never_named_after_the_authority_s_own_sentence():
    # eight people copy our advice, five write about asbestos in their own words. Before, the
    # theme was named after our sentence ("handschoenen opruimen en in de grijze"; in the demo
    # "tuin kunt u met handschoenen opruimen" named the asbestos rumour).
    ours = "Asbest in de tuin kunt u met handschoenen opruimen en in de grijze bak doen."
    copies = [f"{ours} #deel{i}" for i in range(8)]
    own = [f"ik hoor dat er asbest in het dak zat {w}" for w in ("nu", "dan", "echt", "toch", "nou")]
    df = _with_clean(frame([ours, *copies, *own], [f"o{i}" for i in range(14)],
                           **{IS_OFFICIAL: [True] + [False] * 13}))
    official = " " + " ".join(df[CLEAN_TEXT].iloc[0].replace(".", " ").split()) + " "

    def copied(label: str) -> bool:
        return len(label.split()) >= COPIED_WORDS and f" {label} " in official

    model = ThemeModel(**SMALL).fit(df)
    labels = [t["label"] for t in model.themes_]
    assert labels and not any(copied(label) for label in labels), labels
    # without our message in the data (the authority's account not configured) the copy names it
    public = ThemeModel(**SMALL).fit(df.iloc[1:])
    assert any(copied(t["label"]) for t in public.themes_), [t["label"] for t in public.themes_]
    # the official texts travel with the stored state: a restart names the theme the same way
    again = ThemeModel.from_dict(json.loads(json.dumps(model.to_dict())))
    again._refresh_labels()
    assert [t["label"] for t in again.themes_] == labels
    # our message arriving later (live) renames a theme named after it
    late = ThemeModel(**SMALL).fit(df.iloc[1:])
    late.partial_fit(df.iloc[:1])
    assert not any(copied(t["label"]) for t in late.themes_), [t["label"] for t in late.themes_]

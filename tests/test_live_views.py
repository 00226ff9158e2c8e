"""Incremental views (pipeline/views/live.py, issue 15): after any sequence of updates the
coded figures equal the from-scratch functions on the same rows.

Realistic data: the demo incident analysed by the real chain (themes, categories,
languages, reposts, officials). The frame is fed to `IncidentCodes.sync` in random
prefixes, as the analysed frame grows on a live incident.
"""

from __future__ import annotations

import re
from datetime import timedelta

import numpy as np
import pandas as pd
import pytest

from pages._themas_util import (
    theme_examples,
    theme_examples_coded,
    themes_over_time,
    themes_over_time_coded,
)
from pipeline import schema as S
from pipeline.analysis import themes as TH
from pipeline.analysis.chain import analyze_incident
from pipeline.storage import store
from pipeline.views import aggregate as A
from pipeline.views import live as L
from pipeline.views import timeline as T


@pytest.fixture(scope="module")
def frame(demo_home):
    engine = store.get_engine()
    incident = int(store.list_incidents(engine)["id"].iloc[0])
    out = analyze_incident(engine, incident, persist_themes=False).frame
    assert len(out) > 5000 and out[S.THEME].nunique() > 5  # realistic enough to mean something
    return out


def grown(frame: pd.DataFrame, seed: int, steps: int = 4, tables: bool = True) -> L.IncidentCodes:
    """Return codes fed with `steps` random prefixes of the frame, then the whole frame."""
    rng = np.random.default_rng(seed)
    codes = L.IncidentCodes()
    for cut in sorted(rng.integers(1, len(frame), steps)):
        codes.sync(frame.iloc[:cut])
        codes.representativeness(codes.mask(upto=cut, public=True))  # kept whole-incident parts
        if tables:  # build the kept term tables early, so later syncs extend them
            all_rows = codes.mask(upto=cut)
            codes.pair_counts(all_rows, S.THEME)
            codes.pair_counts(all_rows, S.CATEGORIES)
    return codes.sync(frame)


def selections(frame: pd.DataFrame):
    """(name, start, end, platforms, languages): whole incident, windows, filters."""
    t = frame[S.CREATED_AT]
    platform = frame[S.PLATFORM].value_counts().index[0]
    return [
        ("whole", None, None, (), ()),
        ("whole with bounds", t.min(), t.max(), (), ()),
        ("last hour", t.max() - timedelta(hours=1), t.max(), (), ()),
        ("middle, one platform", t.quantile(0.3), t.quantile(0.8), (platform,), ()),
        ("as of half, nl+en", t.min(), t.quantile(0.5), (), ("nl", "en")),
    ]


def page_rows(frame, start, end, platforms, languages) -> np.ndarray:
    """The rows a page selects with pandas (what `page_context` passes to the views)."""
    keep = np.ones(len(frame), dtype=bool)
    if start is not None:
        keep &= (frame[S.CREATED_AT] >= start).to_numpy()
    if end is not None:
        keep &= (frame[S.CREATED_AT] <= end).to_numpy()
    if platforms:
        keep &= frame[S.PLATFORM].isin(platforms).to_numpy()
    if languages:
        keep &= frame[S.LANGUAGE].isin(languages).to_numpy()
    return keep


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_representativeness_equals_from_scratch_after_updates(frame, seed):
    codes = grown(frame, seed, tables=False)
    for name, start, end, platforms, languages in selections(frame):
        sub = frame[page_rows(frame, start, end, platforms, languages)]
        expected = A.representativeness(sub[~sub[S.IS_OFFICIAL]], start=start, end=end)
        rows = codes.mask(upto=len(frame), start=start, end=end, platforms=platforms,
                          languages=languages, public=True)
        got = codes.representativeness(rows, start=start, end=end)
        assert got == expected, name
    # the whole-incident figures (kept and extended over the updates) equal a fresh computation
    whole = codes.representativeness(codes.mask(public=True))
    assert codes._whole_state is not None and codes._whole_state.covered == len(frame)
    fresh = L.IncidentCodes().sync(frame)
    assert whole == fresh.representativeness(fresh.mask(public=True))
    # and are not trivial on this data (bursts and several platforms)
    assert whole["near_duplicate_bursts"] and len(whole["platforms"]) > 1 and 0 < whole["duplicate_share"] < 1


def test_whole_incident_bursts_follow_every_update(frame):
    """The kept (sorted) copy bursts change with the rows that touch them, never stale."""
    codes = L.IncidentCodes()
    for n in (len(frame) // 3, len(frame) // 3, 2 * len(frame) // 3, len(frame)):
        codes.sync(frame.iloc[:n])
        got = codes.representativeness(codes.mask(public=True))
        fresh = L.IncidentCodes().sync(frame.iloc[:n])
        assert got == fresh.representativeness(fresh.mask(public=True)), n
        got["near_duplicate_bursts"].clear()  # a caller's list is its own
        assert codes.representativeness(codes.mask(public=True)) == fresh.representativeness(
            fresh.mask(public=True))
    assert got is not None and fresh.representativeness(fresh.mask(public=True))["near_duplicate_bursts"]


def test_an_older_version_is_a_prefix_not_a_rebuild(frame):
    codes = grown(frame, 3, tables=False)
    n = len(frame) // 2
    codes.sync(frame.iloc[:n])  # another session still on an older data version
    assert codes.n == len(frame)  # nothing was thrown away
    sub = frame.iloc[:n]
    expected = A.representativeness(sub[~sub[S.IS_OFFICIAL]])
    assert codes.representativeness(codes.mask(upto=n, public=True)) == expected


def test_a_new_analysis_rebuilds_the_codes(frame):
    codes = grown(frame, 4)
    changed = frame.copy()
    themed = changed[S.THEME] != S.NO_THEME
    changed.loc[themed, S.THEME] = changed.loc[themed, S.THEME] + 100  # theme ids renumbered
    codes.sync(changed)
    rows = codes.mask()
    pd.testing.assert_frame_equal(L.term_counts(codes, rows, 5, S.THEME), TH.term_counts(changed, 5, S.THEME))
    other = frame.iloc[::-1].reset_index(drop=True)  # not an extension at all
    codes.sync(other)
    assert codes.representativeness(codes.mask(public=True)) == \
        A.representativeness(other[~other[S.IS_OFFICIAL]])


def test_a_large_incidents_codes_are_kept_out_of_the_cyclic_gc(frame, monkeypatch):
    """The coders' value lists (2,5M strings at 1M messages) were walked by every full GC pass
    (94-146 ms, 3 in 30 live updates): built for a large incident, they are frozen like its frame,
    and what later updates append stays out of those passes too."""
    import gc

    from pipeline import arrays

    monkeypatch.setattr(arrays, "SETTLE_ROWS", len(frame) // 2)  # the demo frame counts as large
    gc.unfreeze()
    try:
        small = L.IncidentCodes().sync(frame.iloc[:len(frame) // 4])
        assert any(o is small.texts.values for o in gc.get_objects())  # below the line: not frozen
        codes = L.IncidentCodes().sync(frame.iloc[:len(frame) - 10])
        tracked = gc.get_objects()
        lists = (codes.texts.values, codes.docs.values, codes.authors.values, codes._terms.values)
        assert not any(o is v for o in tracked for v in lists)
        codes.sync(frame)  # a live update appends in place: still out
        assert len(codes.texts.values) >= 1 and not any(o is codes.texts.values for o in gc.get_objects())
    finally:
        gc.unfreeze()


@pytest.mark.parametrize("seed", [5, 6])
@pytest.mark.parametrize("by", [None, S.CATEGORIES, S.LANGUAGE, S.THEME])
def test_counts_over_time_equal_from_scratch(frame, seed, by):
    codes = grown(frame, seed, tables=False)
    theme = codes.theme_column(frame)
    public = frame[~frame[S.IS_OFFICIAL]]
    t = frame[S.CREATED_AT]
    for freq in ("5min", "15min", "60min"):
        for start, end in ((t.min(), t.max()), (t.quantile(0.4), t.quantile(0.7)), (None, None)):
            expected = A.counts_over_time(public, by, freq, start, end)
            got = L.counts_over_time(codes, codes.mask(public=True), by, freq, start, end, theme=theme)
            pd.testing.assert_frame_equal(got, expected)
            assert by is not None or got["count"].sum() == ((t[~frame[S.IS_OFFICIAL]] >= (
                start if start is not None else t.min())) & (t[~frame[S.IS_OFFICIAL]] < (
                    end if end is not None else t.max() + timedelta(days=1)))).sum()


@pytest.mark.parametrize("by", [None, S.CATEGORIES, S.LANGUAGE, S.THEME])
def test_kept_counts_over_time_follow_growth_and_a_sliding_window(frame, by):
    """The counts kept per (by, freq) are brought up to each refresh by the rows that entered or
    left the selection: new messages, and the old ones a sliding window drops."""
    rng = np.random.default_rng(13)
    for window in (None, timedelta(hours=1)):
        codes = L.IncidentCodes()
        kept = None
        for cut in [*sorted(rng.integers(len(frame) // 3, len(frame), 5).tolist()), len(frame)]:
            codes.sync(frame.iloc[:cut])
            sub = frame.iloc[:cut]
            now = sub[S.CREATED_AT].max()
            start = sub[S.CREATED_AT].min() if window is None else now - window
            pub = sub[page_rows(sub, start, now, (), ()) & ~sub[S.IS_OFFICIAL].to_numpy(dtype=bool)]
            rows = codes.mask(upto=cut, start=start, end=now, public=True)
            for freq in ("5min", "15min"):
                got = L.counts_over_time(codes, rows, by, freq, start, now, theme=codes.theme_column(sub))
                pd.testing.assert_frame_equal(got, A.counts_over_time(pub, by, freq, start, now))
            if kept is not None:  # one kept table per (by, freq), brought up to date, not rebuilt
                assert codes._series[(by, pd.Timedelta("15min").value)] is kept
            kept = codes._series[(by, pd.Timedelta("15min").value)]
        assert got["count"].sum() > 0 and (by is None or len(set(got["group"])) > 1)


def test_kept_theme_authors_equal_counting_from_scratch(frame):
    """Distinct authors per theme (Thema's table, Trends' k rule), kept for the last two selections
    and extended by the rows a refresh adds; a window that drops rows is counted afresh."""
    codes = L.IncidentCodes()
    rng = np.random.default_rng(21)
    extended = {"public": 0, "themed": 0, "last hour": 0}
    keyed, keys_of = [], codes._theme_author_keys  # rows whose (theme, author) keys are made, per call
    codes._theme_author_keys = lambda idx: (keyed.append(len(idx)), keys_of(idx))[1]
    for cut in [*sorted(rng.integers(len(frame) // 3, len(frame), 4).tolist()), len(frame)]:
        codes.sync(frame.iloc[:cut])
        sub = frame.iloc[:cut]
        public = codes.mask(upto=cut, public=True)
        hour = codes.mask(upto=cut, start=sub[S.CREATED_AT].max() - timedelta(hours=1))
        kinds = [("public", public), ("themed", public & (codes.theme_coded != S.NO_THEME))]
        if cut == len(frame):
            kinds.append(("last hour", hour))
        for kind, sel in kinds:  # two selections in turn: both kept, each extended
            ids, counts = codes.theme_authors(sel)
            extended[kind] += keyed[-1] < int(sel.sum())  # only the rows added since its last call
            want = sub[sel].groupby(S.THEME)[S.AUTHOR].nunique()
            assert ids.tolist() == want.index.tolist() and counts.tolist() == want.tolist(), (kind, cut)
    assert extended["public"] == 4 and extended["themed"] == 4


@pytest.mark.parametrize("seed", [7, 8, 9])
def test_term_counts_and_theme_summary_equal_from_scratch_after_updates(frame, seed):
    codes = grown(frame, seed)  # kept tables extended over several updates
    assert set(codes._tables) == {S.THEME, S.CATEGORIES}
    for name, start, end, platforms, languages in selections(frame):
        keep = page_rows(frame, start, end, platforms, languages)
        sub = frame[keep]
        rows = codes.mask(upto=len(frame), start=start, end=end, platforms=platforms, languages=languages)
        assert (rows == keep).all()
        for by in (S.THEME, S.CATEGORIES):
            for k in (1, 5):
                pd.testing.assert_frame_equal(L.term_counts(codes, rows, k, by), TH.term_counts(sub, k, by),
                                              obj=f"{name} {by} k={k}")
        for k in (5, 10):
            pd.testing.assert_frame_equal(L.theme_summary(codes, rows, frame, k), TH.theme_summary(sub, k),
                                          obj=f"{name} k={k}")


def test_one_themes_example_equals_the_summarys_and_the_summary_without_examples_the_rest(frame):
    """Thema's asks only the chosen theme's example (`theme_example`): the same text as the full summary."""
    codes = grown(frame, 3)
    for name, start, end, platforms, languages in selections(frame):
        rows = codes.mask(upto=len(frame), start=start, end=end, platforms=platforms, languages=languages)
        full = L.theme_summary(codes, rows, frame, 5)
        lean = L.theme_summary(codes, rows, frame, 5, examples=False)
        assert (lean["example"] == "").all()
        pd.testing.assert_frame_equal(lean.drop(columns="example"), full.drop(columns="example"), obj=name)
        assert len(full) > 3, name
        for theme, example in zip(full["theme"], full["example"], strict=True):
            if example:  # shown themes (>= k authors) carry their example
                assert L.theme_example(codes, rows, frame, int(theme)) == example, (name, theme)
    assert L.theme_example(codes, codes.mask(), frame, 10**6) == ""


def test_kept_doc_counts_of_a_growing_view_equal_counting_from_scratch(frame):
    """`theme_example`'s idf counts are kept per view and extended: equal to a fresh count at every step."""
    codes = L.IncidentCodes()
    rng = np.random.default_rng(7)
    cuts = [*sorted(rng.integers(len(frame) // 2, len(frame), 5).tolist()), len(frame)]
    top = int(frame[S.THEME][frame[S.THEME] > 0].value_counts().index[0])
    extended = 0
    for step, cut in enumerate(cuts):
        codes.sync(frame.iloc[:cut])
        fresh = L.IncidentCodes().sync(frame.iloc[:cut])
        t = frame[S.CREATED_AT].iloc[:cut]
        # the whole incident grows (the kept counts are extended); a window moves (counted afresh)
        for rows, other in ((codes.mask(upto=cut), fresh.mask(upto=cut)),
                            (codes.mask(upto=cut, start=t.max() - timedelta(minutes=30 + step)),
                             fresh.mask(upto=cut, start=t.max() - timedelta(minutes=30 + step))),
                            (codes.mask(upto=cut), fresh.mask(upto=cut))):
            sel = rows & (codes.theme_coded[:cut] != L.NO_THEME)
            kept = codes._doc_freq_state
            extended += (kept is not None and len(kept[0]) < len(sel)
                         and np.array_equal(sel[:len(kept[0])], kept[0]))
            n_docs, doc_freq = codes.doc_freq(sel)
            docs = np.unique(codes.doc[np.flatnonzero(sel)])
            assert n_docs == len(docs)
            expected = np.bincount(codes.doc_entries(docs)[1], minlength=max(len(codes.terms.values), 1))
            np.testing.assert_array_equal(doc_freq, expected)
            assert L.theme_example(codes, rows, frame.iloc[:cut], top) == \
                L.theme_example(fresh, other, frame.iloc[:cut], top)
    assert extended >= 3  # the kept counts were really extended, not only recounted


def test_kept_term_table_equals_a_fresh_one(frame):
    incremental = grown(frame, 10, steps=6)
    fresh = L.IncidentCodes().sync(frame)
    for by in (S.THEME, S.CATEGORIES):
        got = L.term_counts(incremental, incremental.mask(), 1, by)
        assert len(got) > 100
        pd.testing.assert_frame_equal(got, L.term_counts(fresh, fresh.mask(), 1, by))


def test_theme_examples_and_series_equal_from_scratch(frame):
    codes = grown(frame, 11, tables=False)
    t = frame[S.CREATED_AT]
    for start in (None, t.quantile(0.5)):
        keep = page_rows(frame, start, None, (), ())
        sub = frame[keep]
        rows = codes.mask(upto=len(frame), start=start)
        summary = TH.theme_summary(sub, 5)
        for theme, example in zip(summary["theme"], summary["example"], strict=True):
            for k in (5, 50):
                assert theme_examples_coded(codes, rows, frame, theme, k, str(example)) == \
                    theme_examples(sub, theme, k, representative=str(example))
        top = tuple(int(x) for x in summary["theme"].head(5))
        lo = t.min() if start is None else start
        for freq in ("5min", "30min"):
            pd.testing.assert_frame_equal(themes_over_time_coded(codes, rows, top, freq, lo, t.max()),
                                          themes_over_time(sub, top, freq, lo, t.max()))


def test_time_slice_is_the_half_open_window(frame):
    t = frame[S.CREATED_AT]
    lo, hi = t.quantile(0.2), t.quantile(0.6)
    got = A.time_slice(frame, lo, hi)
    expected = frame[(t > lo) & (t <= hi)]
    pd.testing.assert_frame_equal(got, expected)
    assert A.time_slice(frame, None, None) is frame  # nothing to cut: no copy


def test_copi_picture_from_the_cut_frame_equals_the_whole_frame(frame):
    """`picture` cuts the frame to what it looks at; the parts equal their uncut computation."""
    t = frame[S.CREATED_AT]
    moments = pd.DataFrame({S.MOMENT_TIME: [t.quantile(0.1), t.quantile(0.5), t.quantile(0.52)],
                            S.MOMENT_CHANNEL: ["twitter", "website", "facebook"],
                            S.MOMENT_TEXT: ["a", "b", "c"]})
    for at in (t.quantile(0.55), t.quantile(0.9), t.max()):
        pic = T.picture(frame, moments, at, min_authors=5)
        pd.testing.assert_frame_equal(pic.items, T.block_items(frame, at, min_authors=5))
        assert pic.effect == T.last_moment_effect(frame, moments, at, min_authors=5)
        pub = T.public_relevant(frame)  # rising themes from the whole frame, the old way
        # the product's rule: min_count = max(TREND_MIN_COUNT, k) (with 5 the test expected a theme
        # of 6 messages in the last 30 min, 7 in the hour before, that `rising_themes` leaves out)
        expected = A.rising(pub, A._utc(at), by=S.THEME, min_count=max(A.TREND_MIN_COUNT, 5))
        expected = expected[expected["group"] != T.OTHER_THEME]
        recent = pub[(pub[S.CREATED_AT] > A._utc(at) - timedelta(minutes=30)) & (pub[S.CREATED_AT] <= at)]
        authors = recent.groupby(S.THEME)[S.AUTHOR].nunique()
        expected = expected[(expected["group"].map(authors).fillna(0) >= 5).to_numpy()]
        got = pic.rising
        assert got["group"].tolist() == expected["group"].tolist()
        assert got["recent"].tolist() == expected["recent"].tolist()
        # the label is re-checked against the k of the view on its own span (themes.label_for_k):
        # the stored phrase, the longest part of it that enough authors wrote, or (instead of
        # one word) a phrase of the theme's messages in that span that >= k authors wrote
        span = pub[(pub[S.CREATED_AT] > A._utc(at) - T.RISING_SPAN) & (pub[S.CREATED_AT] <= at)]
        for group, label, full in zip(got["group"], got["label"], expected["label"], strict=True):
            assert label, full
            if label not in str(full):
                mine = span[span[S.THEME] == group]
                said = mine[S.CLEAN_TEXT].str.contains(rf"(?<!\w){re.escape(label)}(?!\w)", regex=True)
                assert " " in label and mine.loc[said, S.AUTHOR].nunique() >= 5, (label, full)


def test_coded_trend_series_equals_the_reference_and_keeps_the_k_rule(frame):
    from pipeline.views.aggregate import trend_series as reference

    codes = L.IncidentCodes().sync(frame)
    public = ~frame[S.IS_OFFICIAL].fillna(False).to_numpy(dtype=bool)
    theme = frame[S.THEME].to_numpy(dtype=np.int64, na_value=S.NO_THEME)
    times = pd.to_datetime(frame[S.CREATED_AT], utc=True)
    start, end = times.min() - pd.Timedelta(minutes=1), times.max()
    for by in ("category", "theme", "language"):
        for k in (5, 50):
            got = L.trend_series(codes, public, by, 15, start, end, k, 8, None, theme=theme)
            want = reference(frame, by, 15, start, end, min_authors=k, top_themes=8)
            cols = ["bucket", "group", "count", "total"]
            assert got[cols].sort_values(cols[:2]).reset_index(drop=True).astype(str).equals(
                want[cols].sort_values(cols[:2]).reset_index(drop=True).astype(str)), (by, k)
    many = L.trend_series(codes, public, "theme", 15, start, end, 10**6, 8, None, theme=theme)
    assert many.empty or many["count"].sum() == 0


def test_summary_term_tables_cut_before_sorting_equal_sorting_every_pair():
    """`theme_summary` sorts only the pairs that can be in a theme's top terms: the same tables (ties too)."""
    rng = np.random.default_rng(11)
    for size in (1, 3, 20):
        group = rng.integers(0, 6, 3000)
        n = rng.integers(1, 5, 3000)  # many ties at the cut
        term = np.array([f"t{i:04d}" for i in rng.permutation(3000)], dtype=object)
        table = pd.DataFrame({"g": group, "term": term, "n": n})

        def tops(frame, size=size):
            frame = frame.sort_values(["g", "n", "term"], ascending=[True, False, True])
            return {int(g): list(zip(p["term"].head(size), p["n"].head(size), strict=True))
                    for g, p in frame.groupby("g", sort=True)}

        kept = L._top_per_group(group, n, size)
        assert len(kept) < len(table)
        assert tops(table.iloc[kept]) == tops(table)


@pytest.mark.parametrize("basis", ["created", "ingested"])
def test_representativeness_of_the_rows_known_at_t_equals_the_as_of_frame(frame, basis):
    """Nabespreking's caveat at T from the codes and a `known_mask` equals the text-based figures."""
    from pipeline.analysis.chain import as_of, known_mask

    rng = np.random.default_rng(3)
    shuffled = frame.assign(**{S.INGESTED_AT: frame[S.CREATED_AT].to_numpy()[rng.permutation(len(frame))]})
    codes = L.IncidentCodes().sync(shuffled)
    times = shuffled[S.CREATED_AT]
    for at in (times.quantile(0.3), times.quantile(0.8)):
        start = at - pd.Timedelta(hours=1)
        known = as_of(shuffled, at, basis)
        expected = A.representativeness(known[~known[S.IS_OFFICIAL]], start=start, end=at)
        rows = codes.mask(start=start, end=at, public=True) & known_mask(shuffled, at, basis)
        assert codes.representativeness(rows, start=start, end=at) == expected
        assert expected["n_messages"] > 100
    last = times.max() if basis == "created" else shuffled[S.INGESTED_AT].max()
    assert known_mask(shuffled, last, basis).all() and len(as_of(shuffled, last, basis)) == len(frame)

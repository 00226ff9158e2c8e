"""Incident figures at live-refresh cost: integer-coded columns that grow with the frame.

A page refresh after 1,000 new messages must not redo work for the 1,000,000 already
there (issue 15). `IncidentCodes` keeps, per row of an incident's analysed frame, the
columns the whole-incident views need as numpy integer arrays: time (ns UTC), author,
text, near-duplicate key (computed once per distinct text), platform, language,
categories (bit mask), flags. `sync(frame)` extends them with the rows appended since the
last call (the analysed frame grows by appending, `analysis.chain.update_incident`) and
rebuilds only when the frame is not an extension of what it saw (a full re-analysis).

The figures computed from the codes (`representativeness`, `counts_over_time`) are
exactly those of `aggregate.representativeness` / `aggregate.counts_over_time` on the same
rows (tests/test_live_views.py checks this after random splits); only the cost differs:
numpy on integer arrays instead of pandas on 1M-row object columns.

Theme ids and labels are not coded here (labels follow the theme model): views that
need them read the frame's THEME column (a zero-copy integer column).
Pure code: the page keeps one `IncidentCodes` per incident in its cache.
"""

from __future__ import annotations

import bisect
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import scipy.sparse as sp

from pipeline.analysis import themes as TH
from pipeline.arrays import (
    GrowingArray,
    dense_codes,
    first_positions,
    settle,
    string_ranks,
    take_rows,
    unique_ints,
)
from pipeline.schema import (
    AUTHOR,
    CATEGORIES,
    CATEGORY_CODES,
    CLEAN_TEXT,
    CREATED_AT,
    IS_OFFICIAL,
    IS_REPOST,
    LANGUAGE,
    MESSAGE_ID,
    NO_THEME,
    PLATFORM,
    RELEVANT,
    TERMS,
    TEXT,
    THEME,
    THEME_LABEL,
)
from pipeline.storage.store import TERM_SEP
from pipeline.views import aggregate as A


def time_ns(series: pd.Series) -> np.ndarray:
    """Return CREATED_AT values as int64 nanoseconds since the epoch (UTC)."""
    times = pd.to_datetime(series, utc=True)
    return times.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy().astype("datetime64[ns]").view(np.int64)


def ns(ts: Any) -> int:
    """Return one timestamp (naive = UTC) as int64 nanoseconds."""
    return int(A._utc(ts).tz_localize(None).to_datetime64().astype("datetime64[ns]").astype(np.int64))


def _ts(value: int) -> pd.Timestamp:
    """Return int64 nanoseconds as a UTC timestamp."""
    return pd.Timestamp(int(value), tz="UTC")


def _arrow_strings(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    """Return one Arrow string array (what `_Coder.codes` dictionary-encodes in C++)."""
    return values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values


def _first_of_objects(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return (per value the index of its object among the distinct objects, first position of each).

    By identity, not equality: equal values held as different objects stay apart (the caller
    codes the distinct objects by value afterwards).
    """
    ident = np.fromiter(map(id, values), dtype=np.int64, count=len(values))
    same, uniques = pd.factorize(ident)
    first = np.empty(len(uniques), dtype=np.int64)
    first[same[::-1]] = np.arange(len(values) - 1, -1, -1)  # the lowest position wins
    return same.astype(np.int64), first


class _Coder:
    """Map values to dense integer codes in order of first appearance, across calls."""

    def __init__(self) -> None:
        self.index: dict[Any, int] = {}
        self.values: list[Any] = []

    def codes(self, values) -> np.ndarray:
        """Return the code of every value, adding unseen values (once per distinct value).

        `values`: an array or Series; an Arrow string array without nulls is dictionary-encoded in
        C++ (2x pandas' factorize of the same array: 8M terms at a restart of a 1M incident).
        """
        if isinstance(values, pa.Array) and values.null_count == 0:
            encoded = pc.dictionary_encode(values)
            local = encoded.indices.to_numpy(zero_copy_only=False)
            distinct = encoded.dictionary.to_pylist()
        else:
            local, uniques = pd.factorize(values, use_na_sentinel=False)
            uniques = getattr(uniques, "array", uniques)  # an Index when a Series was factorized
            if hasattr(uniques, "__arrow_array__"):  # Arrow-backed: one conversion, not a Python loop
                distinct = uniques.__arrow_array__().to_pylist()
            else:
                distinct = uniques.tolist() if hasattr(uniques, "tolist") else list(uniques)
        if not len(local):
            return np.zeros(0, dtype=np.int64)
        if not self.values:  # the first call (a restart codes the whole incident): no loop per value
            self.values.extend(distinct)
            self.index.update(zip(distinct, range(len(distinct)), strict=True))
            return np.asarray(local, dtype=np.int64)
        get = self.index.get
        mapped = np.fromiter((get(v, -1) for v in distinct), dtype=np.int64, count=len(distinct))
        for i in np.flatnonzero(mapped < 0).tolist():
            value = distinct[i]
            code = self.index.get(value)  # equal values may appear twice among NaN-like uniques
            if code is None:
                code = self.index[value] = len(self.values)
                self.values.append(value)
            mapped[i] = code
        return mapped[local]


def _category_bits(values: pd.Series) -> np.ndarray:
    """Return a bit mask per row: bit i set when the row has CATEGORY_CODES[i]."""
    bit = {code: np.int64(1) << i for i, code in enumerate(CATEGORY_CODES)}
    try:  # stored analyses hold tuples: factorize them as they are (a few dozen distinct sets)
        codes, uniques = pd.factorize(values.to_numpy(dtype=object), use_na_sentinel=False)
    except TypeError:  # lists or arrays are not hashable: make tuples first
        as_tuple = values.map(lambda c: tuple(c) if isinstance(c, (tuple, list, np.ndarray)) else ())
        codes, uniques = pd.factorize(as_tuple, use_na_sentinel=False)
    masks = np.array([sum((bit.get(c, 0) for c in set(u)), np.int64(0))
                      if isinstance(u, (tuple, list, np.ndarray)) else np.int64(0) for u in uniques],
                     dtype=np.int64)
    return masks[codes] if len(codes) else np.zeros(0, dtype=np.int64)


class IncidentCodes:
    """Integer-coded columns of an incident's analysed frame, extended as the frame grows."""

    def __init__(self) -> None:
        self.n = 0
        self.unit = "ns"  # resolution of the frame's CREATED_AT (pandas keeps it in its results)
        self._text_col: str | None = None
        self.authors, self.texts, self.platforms, self.languages = _Coder(), _Coder(), _Coder(), _Coder()
        self.keys = _Coder()  # near-duplicate keys ("" gets a code too; see key_of_text)
        self.key_of_text = np.zeros(0, dtype=np.int64)  # per text code: key code, -1 = empty key
        self.time = np.zeros(0, dtype=np.int64)
        self.author = np.zeros(0, dtype=np.int64)
        self.text = np.zeros(0, dtype=np.int64)
        self.platform = np.zeros(0, dtype=np.int64)
        self.language = np.zeros(0, dtype=np.int64)
        self.categories = np.zeros(0, dtype=np.int64)
        self.official = np.zeros(0, dtype=bool)
        self.repost = np.zeros(0, dtype=bool)
        self.relevant = np.zeros(0, dtype=bool)
        self.ids = np.zeros(0, dtype=np.int64)
        self.theme_coded = np.zeros(0, dtype=np.int64)  # THEME when coded: ids of earlier rows never change
        self.docs, self._terms = _Coder(), _Coder()  # distinct TERMS (joined), distinct terms
        self.doc = np.zeros(0, dtype=np.int64)
        # CSR: the distinct term codes of each doc, built when a term view first asks (`terms`,
        # `doc_entries`, `doc_freq`): Nu, CoPI and Representativiteit never need it, and at a
        # restart of a 1M incident splitting and coding its 8M terms took ~2,5 s of their first open
        # grown in place by `_split_new_docs` (a concatenate copied the ~8M terms of 1M rows each update)
        self._growing: dict[str, GrowingArray] = {}  # the per-row arrays' buffers (`update`)
        self._doc_indptr = GrowingArray(np.zeros(1, dtype=np.int64))
        self._doc_terms = GrowingArray(np.zeros(0, dtype=np.int64))
        self._tables: dict[str, tuple[_PairTable, int]] = {}  # whole-incident term tables, rows covered
        self._whole_state: _WholePublic | None = None  # whole-incident representativeness, kept
        self._doc_freq_state: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None  # see doc_freq
        self._series: dict[tuple, _BucketCounts] = {}  # counts_over_time per (by, step), kept
        self._theme_authors: list[tuple[np.ndarray, np.ndarray]] = []  # see theme_authors

    # --- growing ----------------------------------------------------------------------
    def sync(self, frame: pd.DataFrame) -> IncidentCodes:
        """Bring the codes up to `frame`: append its new rows, or rebuild when it is not an extension.

        A frame shorter than what was coded is fine when it is a prefix (another session
        still on an older data version): select with `mask(upto=len(frame))`.
        """
        text_col = CLEAN_TEXT if CLEAN_TEXT in frame else TEXT
        m = min(self.n, len(frame))
        same = self._text_col in (None, text_col) and (
            m == 0 or (MESSAGE_ID in frame
                       and np.array_equal(frame[MESSAGE_ID].to_numpy(dtype=np.int64, na_value=-1)[:m],
                                          self.ids[:m])))
        if same and m and THEME in frame:  # stable theme ids: a changed id means a new analysis
            same = np.array_equal(frame[THEME].to_numpy(dtype=np.int64, na_value=NO_THEME)[:m],
                                  self.theme_coded[:m])
        if not same:
            self.__init__()
        fresh = self.n == 0
        if len(frame) > self.n:
            self.update(frame.iloc[self.n:], text_col)
        if fresh:
            # The coders' value lists (distinct texts, joined terms, authors, terms: 2,5M strings at
            # 1M messages) live as long as the codes and grow in place: out of the cyclic GC's
            # passes, like the analysed frame. Unfrozen, every full pass walked them (94-146 ms,
            # 3 in 30 live updates: the update's p95).
            settle(self.n)
        return self

    def update(self, rows: pd.DataFrame, text_col: str | None = None) -> None:
        """Append the codes of `rows` (the rows after the ones already coded)."""
        text_col = text_col or (CLEAN_TEXT if CLEAN_TEXT in rows else TEXT)
        self._text_col = text_col
        n = len(rows)
        texts = rows[text_col].fillna("") if text_col in rows else np.full(n, "", object)
        text = self.texts.codes(texts)
        new_texts = self.texts.values[len(self.key_of_text):]
        if new_texts:  # the near-duplicate key: once per distinct text, ever
            keys = A.near_keys_arrow(pa.array(new_texts, type=pa.string()))
            codes = self.keys.codes(_arrow_strings(keys))
            empty = pc.equal(keys, "").to_numpy(zero_copy_only=False)
            self.key_of_text = np.concatenate([self.key_of_text, np.where(empty, -1, codes)])

        def flag(col: str) -> np.ndarray:
            return rows[col].fillna(False).astype(bool).to_numpy() if col in rows else np.zeros(n, dtype=bool)

        def coded(coder: _Coder, col: str) -> np.ndarray:
            return coder.codes(rows[col].astype(str) if col in rows else np.full(n, "", object))

        if n:
            self.unit = getattr(pd.to_datetime(rows[CREATED_AT], utc=True).dt, "unit", "ns")
        parts = {
            "time": time_ns(rows[CREATED_AT]),
            "author": self.authors.codes(rows[AUTHOR].reset_index(drop=True)),
            "text": text,
            "platform": coded(self.platforms, PLATFORM),
            "language": coded(self.languages, LANGUAGE),
            "categories": _category_bits(rows[CATEGORIES]) if CATEGORIES in rows else np.zeros(n, np.int64),
            "official": flag(IS_OFFICIAL),
            "repost": flag(IS_REPOST),
            "relevant": flag(RELEVANT),
            "theme_coded": (rows[THEME].to_numpy(dtype=np.int64, na_value=NO_THEME) if THEME in rows
                            else np.full(n, NO_THEME, dtype=np.int64)),
            "doc": self._doc_codes(rows[TERMS]) if TERMS in rows else self._doc_codes(pd.Series([()] * n)),
            "ids": (rows[MESSAGE_ID].to_numpy(dtype=np.int64, na_value=-1) if MESSAGE_ID in rows
                    else np.full(n, -1, dtype=np.int64)),
        }
        for name, values in parts.items():  # appended in place: no copy of the 1M rows coded before
            grown = self._growing.get(name)
            if grown is None or len(grown) != self.n:
                grown = self._growing[name] = GrowingArray(getattr(self, name))
            grown.extend(values)
            setattr(self, name, grown.values)
        self.n += n

    def _doc_codes(self, terms: pd.Series) -> np.ndarray:
        """Return the doc code per row (a new doc's distinct term codes are added once, when asked).

        A doc is keyed by its terms joined with TERM_SEP (never part of a term): a string hashes
        once, a tuple on every lookup. Rows sharing one tuple object (stored TERMS after a
        restart: one tuple per distinct doc, `chain._tuples`) are joined once, and a new doc's
        terms are split and coded in Arrow, not per term in Python (a restart at 1M rows: 8M
        terms).
        """
        values = TH._as_tuples(terms.reset_index(drop=True)).to_numpy(dtype=object)
        same_object, first = _first_of_objects(values)
        joined = [TERM_SEP.join(doc) for doc in values[first].tolist()]
        return self.docs.codes(_arrow_strings(pa.array(joined, type=pa.string())))[same_object] \
            if len(values) else np.zeros(0, dtype=np.int64)

    @property
    def terms(self) -> _Coder:
        """The distinct terms (codes = positions in `terms.values`), up to date with the docs."""
        self._split_new_docs()
        return self._terms

    @property
    def doc_indptr(self) -> np.ndarray:
        """CSR row pointers: doc d's distinct term codes are doc_terms[doc_indptr[d]:doc_indptr[d + 1]]."""
        self._split_new_docs()
        return self._doc_indptr.values

    @property
    def doc_terms(self) -> np.ndarray:
        """CSR column indices: the distinct term codes of every doc, doc after doc."""
        self._split_new_docs()
        return self._doc_terms.values

    def _split_new_docs(self) -> None:
        """Add the distinct term codes of the docs coded since the last call to the CSR."""
        new_docs = self.docs.values[len(self._doc_indptr) - 1:]
        if new_docs:
            split = pc.split_pattern(pa.array(new_docs, type=pa.string()), TERM_SEP)
            lengths = pc.list_value_length(split).to_numpy(zero_copy_only=False).astype(np.int64)
            lengths[np.asarray([doc == "" for doc in new_docs], dtype=bool)] = 0  # "" is the empty doc
            flat = pc.list_flatten(split)
            flat = flat.filter(pc.not_equal(flat, "")) if len(flat) != int(lengths.sum()) else flat
            term = (self._terms.codes(_arrow_strings(flat)) if len(flat)
                    else np.zeros(0, dtype=np.int64))
            owner = np.repeat(np.arange(len(new_docs)), lengths)
            width = len(self._terms.values) + 1
            pairs = unique_ints(owner * width + term)  # distinct terms per doc
            owner, term = pairs // width, pairs % width
            counts = np.bincount(owner, minlength=len(new_docs))
            self._doc_indptr.extend(self._doc_indptr.values[-1] + np.cumsum(counts))
            self._doc_terms.extend(term)

    def doc_entries(self, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return (position in docs, term code): one entry per distinct term of each doc code."""
        starts = self.doc_indptr[docs]
        lengths = self.doc_indptr[docs + 1] - starts
        rep = np.repeat(np.arange(len(docs)), lengths)
        offsets = np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        return rep, self.doc_terms[np.repeat(starts, lengths) + offsets]

    def doc_freq(self, sel: np.ndarray) -> tuple[int, np.ndarray]:
        """Return (distinct docs, per term code the number of those docs holding it) of the rows `sel`.

        `sel` is a boolean mask over coded rows. The counts of the last mask are kept: a mask that
        extends it (equal on its rows, a live refresh of the same view) adds only the docs of the
        new rows that were not counted yet; any other mask is counted from scratch.
        """
        n_terms = max(len(self.terms.values), 1)
        n_docs = len(self.doc_indptr) - 1
        state = self._doc_freq_state
        if state is not None and len(sel) >= len(state[0]) and np.array_equal(sel[: len(state[0])], state[0]):
            before, seen, freq = state
            seen = np.concatenate([seen, np.zeros(n_docs - len(seen), dtype=bool)])
            freq = np.concatenate([freq, np.zeros(n_terms - len(freq), dtype=np.int64)])
            added = self.doc[len(before) + np.flatnonzero(sel[len(before):])]
        else:
            seen, freq = np.zeros(n_docs, dtype=bool), np.zeros(n_terms, dtype=np.int64)
            added = self.doc[np.flatnonzero(sel)]
        new_docs = unique_ints(added)
        new_docs = new_docs[~seen[new_docs]]
        seen[new_docs] = True
        freq += np.bincount(self.doc_entries(new_docs)[1], minlength=n_terms)
        self._doc_freq_state = (np.array(sel, dtype=bool), seen, freq)
        return int(seen.sum()), freq.copy()

    def theme_authors(self, sel: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return (theme ids, distinct authors of each) among the rows `sel` (sorted; themes with rows).

        The sorted (theme, author) keys of the last two selections are kept: a selection that extends
        one (equal on its rows: a live refresh of the same view) adds only its new rows' pairs; any
        other is counted from scratch (a 1M-row selection: a hash of 1M pairs on every refresh before).
        """
        sel = np.asarray(sel, dtype=bool)
        at = next((i for i, (before, _keys) in enumerate(self._theme_authors)
                   if len(before) <= len(sel) and np.array_equal(sel[: len(before)], before)), None)
        if at is None:
            keys = unique_ints(self._theme_author_keys(np.flatnonzero(sel)))
        else:
            before, keys = self._theme_authors.pop(at)
            new = unique_ints(self._theme_author_keys(len(before) + np.flatnonzero(sel[len(before):])))
            pos = np.searchsorted(keys, new)
            known = pos < len(keys)
            known[known] = keys[pos[known]] == new[known]
            keys = np.insert(keys, pos[~known], new[~known])
        self._theme_authors = [(sel.copy(), keys), *self._theme_authors[:1]]
        theme = keys >> 32
        starts = np.flatnonzero(np.r_[True, theme[1:] != theme[:-1]]) if len(keys) else np.zeros(0, np.int64)
        counts = np.diff(np.r_[starts, len(keys)])
        return theme[starts] - _THEME_KEY_OFFSET, counts.astype(np.int64)

    def _theme_author_keys(self, idx: np.ndarray) -> np.ndarray:
        return ((self.theme_coded[idx] + _THEME_KEY_OFFSET) << 32) | self.author[idx]

    def _explode(self, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return (position in idx, term code): one entry per distinct term of each row."""
        return self.doc_entries(self.doc[idx])

    def _entries(self, idx: np.ndarray, by: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return (group, term, author) per (row, group, distinct term) of the rows `idx`."""
        rep, term = self._explode(idx)
        author = self.author[idx][rep]
        if by == THEME:
            group = self.theme_coded[idx][rep]
            keep = group != NO_THEME
            return group[keep], term[keep], author[keep]
        if by == CATEGORIES:
            bits = self.categories[idx][rep]
            parts = [(np.flatnonzero(bits & (np.int64(1) << i)), i) for i in range(len(CATEGORY_CODES))]
            hit = np.concatenate([p for p, _ in parts]) if parts else np.zeros(0, np.int64)
            group = np.concatenate([np.full(len(p), i, dtype=np.int64) for p, i in parts]) if parts \
                else np.zeros(0, np.int64)
            return group, term[hit], author[hit]
        raise ValueError(f"term counts by {by!r} are not coded")

    def pair_counts(self, rows: np.ndarray, by: str):
        """Return (group, term, n_messages, n_authors) over the rows selected by `rows`.

        For the whole incident (every coded row) the table is kept and only extended with
        the rows added since (exact distinct-author counts, issue 15); other selections
        are counted from scratch on their rows.
        """
        if rows.all():
            table, covered = self._tables.get(by, (None, 0))
            if table is None:
                table = _PairTable()
            if covered < self.n:
                group, term, author = self._entries(np.arange(covered, self.n), by)
                if not _PairTable.fits(group, term, author):
                    self._tables.pop(by, None)
                    return _count_pairs(group, term, author) if covered == 0 else \
                        _count_pairs(*self._entries(np.arange(self.n), by))
                table.add(group, term, author)
                self._tables[by] = (table, self.n)
            return table.frame()
        return _count_pairs(*self._entries(np.flatnonzero(rows), by))

    def theme_column(self, frame: pd.DataFrame) -> np.ndarray:
        """Return `frame`'s THEME as integers, one per coded row (rows past the frame: NO_THEME).

        Theme ids of earlier messages never change, their labels do: views read labels
        from the frame, never from here.
        """
        out = np.full(self.n, NO_THEME, dtype=np.int64)
        if THEME in frame and len(frame):
            values = frame[THEME].to_numpy(dtype=np.int64, na_value=NO_THEME)[:self.n]
            out[:len(values)] = values
        return out

    # --- selections ---------------------------------------------------------------------
    def mask(self, *, upto: int | None = None, start: Any = None, end: Any = None, platforms=(),
             languages=(), public: bool = False, relevant: bool = False, after: Any = None) -> np.ndarray:
        """Return the rows (of the first `upto`) with start <= time <= end, on the platforms/languages.

        Empty `platforms`/`languages` mean all; `public` leaves official accounts out,
        `relevant` keeps the messages about the incident.
        """
        keep = np.ones(self.n, dtype=bool)
        if upto is not None:
            keep[upto:] = False
        if start is not None:
            keep &= self.time >= ns(start)
        if end is not None:
            keep &= self.time <= ns(end)
        if after is not None:  # strictly after (the CoPI hour: (now - 1 h, now])
            keep &= self.time > ns(after)
        for coder, codes, chosen in ((self.platforms, self.platform, platforms),
                                     (self.languages, self.language, languages)):
            if chosen:
                wanted = [coder.index[v] for v in map(str, chosen) if v in coder.index]
                keep &= np.isin(codes, wanted)
        if public:
            keep &= ~self.official
        if relevant:
            keep &= self.relevant
        return keep

    # --- figures --------------------------------------------------------------------------
    def representativeness(self, rows: np.ndarray, start: Any = None, end: Any = None) -> dict[str, Any]:
        """`aggregate.representativeness` of the rows selected by the boolean mask `rows`.

        Every public row (the caveat of every live page): the kept `_WholePublic` figures,
        extended with the rows coded since, so a refresh costs the new rows (plus a few passes over
        per-author counts) instead of the whole incident.
        """
        keep = rows.copy()
        start = A._utc(start) if start is not None else None
        end = A._utc(end) if end is not None else None
        if start is not None:
            keep &= self.time >= ns(start)
        if end is not None:
            keep &= self.time <= ns(end)
        whole = self._whole(keep)
        if whole is not None and whole.n:
            return self._figures(whole.n, whole.per_author, whole.repost, whole.n_shared, whole.found(),
                                 whole.platforms, whole.languages,
                                 gaps(whole.sorted_times, start, end, presorted=True))
        idx = np.flatnonzero(keep)
        n = len(idx)
        if not n:
            return self._figures(0, np.zeros(0, np.int64), 0, 0, [], np.zeros(0, np.int64),
                                 np.zeros(0, np.int64), gaps(np.zeros(0, np.int64), start, end))
        author, text = self.author[idx], self.text[idx]
        times = self.time[idx]
        n_shared = int((A._distinct_authors(text, author) >= 2).sum())
        return self._figures(
            n, np.bincount(author, minlength=len(self.authors.values)), int(self.repost[idx].sum()),
            n_shared, bursts(times, author, self.key_of_text[text]),
            np.bincount(self.platform[idx], minlength=len(self.platforms.values)),
            np.bincount(self.language[idx], minlength=len(self.languages.values)), gaps(times, start, end))

    def _figures(self, n: int, per_author: np.ndarray, n_repost: int, n_shared: int, found: list,
                 platform_counts: np.ndarray, language_counts: np.ndarray, gap_list: list) -> dict[str, Any]:
        """Return the representativeness dict from counts (per author, platform code, language code)."""
        active = per_author[per_author > 0]
        top = np.partition(active, len(active) - 10)[-10:] if len(active) > 10 else active
        platforms = self._platform_counts(platform_counts)
        languages = {str(self.languages.values[c]): float(language_counts[c] / n)
                     for c in np.flatnonzero(language_counts)} if n else {}
        return {
            "n_messages": n,
            "n_authors": int(active.size),
            "messages_per_author": n / active.size if active.size else 0.0,
            "top10_share": float(top.sum() / n) if n else 0.0,
            "repost_share": float(n_repost / n) if n else 0.0,
            "duplicate_share": float(n_shared / n) if n else 0.0,
            "near_duplicate_bursts": found,
            "platforms": platforms,
            "platforms_absent": [p for p in A.COMMON_PLATFORMS if p not in platforms],
            "languages": dict(sorted(languages.items())),
            "gaps": gap_list,
        }

    def _whole(self, keep: np.ndarray) -> _WholePublic | None:
        """Return the kept whole-incident state when `keep` is every public row, else None."""
        if len(keep) != self.n or not np.array_equal(keep, ~self.official):
            return None
        if self._whole_state is None:
            self._whole_state = _WholePublic()
        self._whole_state.extend(self)
        return self._whole_state

    def author_counts(self, rows: np.ndarray) -> pd.Series:
        """Return the number of messages per author of the selected rows (authors with none left out)."""
        counts = np.bincount(self.author[rows], minlength=len(self.authors.values))
        return pd.Series(counts[counts > 0])

    def _platform_counts(self, counts: np.ndarray) -> dict[str, int]:
        """Return messages per platform name (aliases joined) from counts per platform code."""
        out: dict[str, int] = {}
        for c in np.flatnonzero(counts):
            name = str(self.platforms.values[c]).lower()
            name = A._PLATFORM_ALIASES.get(name, name)
            out[name] = out.get(name, 0) + int(counts[c])
        return dict(sorted(out.items()))


_THEME_KEY_OFFSET = 2  # (theme id + offset) << 32 | author: NO_THEME (-1) and the catch-all (0) too


class _WholePublic:
    """Representativeness parts of all public messages, extended with the rows coded since.

    Counts per author, platform and language, reposts, sorted times (gaps), per text its
    first author and whether another author used it (duplicate share), and per near-duplicate
    key its bursts: only keys that new messages touch are walked again, and only their bursts
    leave and enter the sorted list.
    """

    def __init__(self) -> None:
        self.covered = 0
        self.n = 0
        self.repost = 0
        self.n_shared = 0  # messages whose text another author also posted
        self.per_author = np.zeros(0, dtype=np.int64)
        self.platforms = np.zeros(0, dtype=np.int64)
        self.languages = np.zeros(0, dtype=np.int64)
        self.sorted_times = np.zeros(0, dtype=np.int64)
        self.text_count = np.zeros(0, dtype=np.int64)
        self.text_author = np.zeros(0, dtype=np.int64)  # first author per text, -1 none yet
        self.text_shared = np.zeros(0, dtype=bool)
        self.row_key = GrowingArray(np.zeros(0, dtype=np.int64))  # per coded row: key code, -1 none/official
        self.by_key: dict[int, list[dict[str, Any]]] = {}
        self._sorted: list[dict[str, Any]] = []  # every burst in `aggregate._bursts` order
        self._order: list[tuple[int, int, int, int]] = []  # their sort keys, as integers

    @staticmethod
    def _add_counts(counts: np.ndarray, codes: np.ndarray, size: int) -> np.ndarray:
        grown = np.bincount(codes, minlength=size)
        grown[: len(counts)] += counts
        return grown

    def extend(self, codes: IncidentCodes) -> None:
        """Add the public rows coded since the last call."""
        if codes.n <= self.covered:
            return
        new = np.arange(self.covered, codes.n)
        public = ~codes.official[new]
        self.row_key.extend(np.where(public, codes.key_of_text[codes.text[new]], -1))
        new = new[public]
        self.covered = codes.n
        if not len(new):
            return
        text, author = codes.text[new], codes.author[new]
        self.n += len(new)
        self.repost += int(codes.repost[new].sum())
        self.per_author = self._add_counts(self.per_author, author, len(codes.authors.values))
        self.platforms = self._add_counts(self.platforms, codes.platform[new], len(codes.platforms.values))
        self.languages = self._add_counts(self.languages, codes.language[new], len(codes.languages.values))
        times = np.sort(codes.time[new])
        self.sorted_times = np.insert(self.sorted_times, np.searchsorted(self.sorted_times, times), times)
        n_texts = len(codes.texts.values)
        grow = n_texts - len(self.text_count)
        self.text_count = np.concatenate([self.text_count, np.zeros(grow, dtype=np.int64)])
        self.text_author = np.concatenate([self.text_author, np.full(grow, -1, dtype=np.int64)])
        self.text_shared = np.concatenate([self.text_shared, np.zeros(grow, dtype=bool)])
        np.add.at(self.text_count, text, 1)
        self.n_shared += int(self.text_shared[text].sum())  # new copies of texts already shared
        # a text is shared once two distinct authors used it: its known author + the new ones
        known = unique_ints(text)
        known = known[self.text_author[known] >= 0]
        pair_text = np.concatenate([known, text])
        pair_author = np.concatenate([self.text_author[known], author])
        pairs = unique_ints(pair_text * (int(pair_author.max()) + 1) + pair_author)
        per_text = np.bincount(pairs // (int(pair_author.max()) + 1), minlength=n_texts)
        newly = np.flatnonzero((per_text >= 2) & ~self.text_shared)
        self.n_shared += int(self.text_count[newly].sum())  # every message of a text that became shared
        self.text_shared[newly] = True
        first = np.unique(text, return_index=True)
        unset = self.text_author[first[0]] < 0
        self.text_author[first[0][unset]] = author[first[1][unset]]
        touched = unique_ints(codes.key_of_text[text])
        touched = touched[touched >= 0]
        if len(touched):
            hit = np.zeros(len(codes.keys.values) + 1, dtype=bool)
            hit[touched] = True
            rows = np.flatnonzero(hit[self.row_key.values])  # -1 (none, official) reads the spare last entry
            found = _bursts_by_key(codes.time[rows], codes.author[rows], self.row_key.values[rows])
            for k in touched.tolist():
                self._replace(self.by_key.pop(k, []), found.get(k, []))
                if k in found:
                    self.by_key[k] = found[k]

    def _replace(self, old: list[dict[str, Any]], new: list[dict[str, Any]]) -> None:
        """Take a key's old bursts out of the sorted list and put its new ones in (by bisection)."""
        for burst in old:
            order = _order_of(burst)
            i = bisect.bisect_left(self._order, order)
            while self._sorted[i] is not burst:  # equal sort keys: find this very burst
                i += 1
            del self._order[i], self._sorted[i]
        for burst in new:
            order = _order_of(burst)
            i = bisect.bisect_right(self._order, order)
            self._order.insert(i, order)
            self._sorted.insert(i, burst)

    def found(self) -> list[dict[str, Any]]:
        """All bursts, in `aggregate._bursts` order (a new list each call; the bursts are shared, read-only).

        Kept sorted as keys change: the 1M benchmark incident holds ~12k bursts (~12 ms to sort
        with a Python key) and every live page's caveat asks after each update.
        """
        return list(self._sorted)


def _order_of(burst: dict[str, Any]) -> tuple[int, int, int, int]:
    """`aggregate._burst_order` as integers (nanoseconds): the same order, cheaper to compare."""
    return (burst["start"].value, -burst["n_messages"], burst["end"].value, -burst["n_authors"])


def bursts(times: np.ndarray, author: np.ndarray, key: np.ndarray) -> list[dict[str, Any]]:
    """`aggregate._bursts` on int64 ns times (see `_bursts_by_key`)."""
    found = _bursts_by_key(times, author, key)
    return sorted((b for part in found.values() for b in part), key=A._burst_order)


def _bursts_by_key(times: np.ndarray, author: np.ndarray,
                   key: np.ndarray) -> dict[int, list[dict[str, Any]]]:
    """`aggregate._bursts` per key on int64 ns times: only keys that can hold a burst are walked.

    A burst needs >= BURST_MIN_AUTHORS messages within BURST_WINDOW, so a key whose sorted
    times never have BURST_MIN_AUTHORS within the window is skipped without a Python loop.
    """
    m = A.BURST_MIN_AUTHORS
    window = np.int64(pd.Timedelta(A.BURST_WINDOW).value)
    keep = (key >= 0) & (A._distinct_authors(np.where(key >= 0, key, 0), author) >= m)
    t, a, k = times[keep], author[keep], key[keep]
    order = np.lexsort((t, k))  # stable: by key, then time, then row order
    t, a, k = t[order], a[order], k[order]
    if len(t) < m:
        return {}
    dense = (k[m - 1:] == k[:len(k) - m + 1]) & (t[m - 1:] - t[:len(t) - m + 1] <= window)
    candidates = unique_ints(k[:len(k) - m + 1][dense])
    out: dict[int, list[dict[str, Any]]] = {}
    bounds = np.searchsorted(k, np.stack([candidates, candidates + 1]))
    for code, lo, hi in zip(candidates.tolist(), bounds[0].tolist(), bounds[1].tolist(), strict=True):
        tt, aa = t[lo:hi].tolist(), a[lo:hi].tolist()
        ends = np.searchsorted(t[lo:hi], t[lo:hi] + window, side="right").tolist()
        i, found = 0, []
        while i < len(tt):
            j = ends[i]
            if j - i >= m and len(set(aa[i:j])) >= m:
                found.append({"start": _ts(tt[i]), "end": _ts(tt[j - 1]), "n_messages": j - i,
                              "n_authors": len(set(aa[i:j]))})
                i = j
            else:
                i += 1
        if found:
            out[code] = found
    return out


def gaps(times: np.ndarray, start: pd.Timestamp | None, end: pd.Timestamp | None,
         presorted: bool = False) -> list:
    """`aggregate._gaps` on int64 ns times."""
    bounds = [np.array([] if b is None else [ns(b)], dtype=np.int64) for b in (start, end)]
    edges = np.concatenate([bounds[0], times if presorted else np.sort(times), bounds[1]])
    idx = np.flatnonzero(np.diff(edges) > np.int64(pd.Timedelta(A.GAP).value))
    return [(_ts(edges[i]), _ts(edges[i + 1])) for i in idx]


def counts_over_time(codes: IncidentCodes, rows: np.ndarray, by: str | None, freq: str = "15min",
                     start: Any = None, end: Any = None, theme: np.ndarray | None = None) -> pd.DataFrame:
    """`aggregate.counts_over_time` of the rows selected by `rows` (by None, CATEGORIES, LANGUAGE, THEME).

    `theme` is the frame's THEME column as integers (needed for `by=THEME`). The counts per
    (bucket, group) are kept per (by, freq) and brought up to the new selection by counting only
    the rows that entered or left it (`_BucketCounts`): a refresh after 1,000 new messages counts
    those, not the whole incident (Trends at 1M: two calls of ~85 ms each per refresh before).
    """
    cols = ["bucket", "group", "count"]
    keep = rows.copy()
    if start is not None:
        keep &= codes.time[: len(keep)] >= ns(start)
    if end is not None:
        keep &= codes.time[: len(keep)] < ns(end)
    step = np.int64(pd.Timedelta(freq).value)
    kept = codes._series.get((by, int(step)))
    if kept is None or not kept.bring_to(codes, keep, theme):
        kept = codes._series[(by, int(step))] = _BucketCounts(by, step)
        kept.bring_to(codes, keep, theme)
    first_bucket, last_bucket = kept.span()
    if start is not None:
        first = A._utc(start)
    elif first_bucket is not None:
        first = _ts(first_bucket * step).as_unit(codes.unit)
    else:
        return A._empty(cols, {"bucket": "datetime64[ns, UTC]", "count": "int64"})
    first = first.floor(freq)
    if end is not None:
        buckets = pd.date_range(first, A._utc(end), freq=freq, inclusive="left")
    else:
        buckets = pd.date_range(first, _ts(last_bucket * step).as_unit(codes.unit), freq=freq)
    groups, counts = kept.table(codes, ns(first) // step, len(buckets))
    n_b, n_g = len(buckets), len(groups)
    out = pd.DataFrame({
        "bucket": buckets.repeat(n_g) if n_g else buckets[:0],
        "group": np.tile(np.array(groups, dtype=np.int64 if by == THEME else object), n_b) if n_g
        else np.zeros(0, dtype=object),
        "count": counts.ravel().astype("int64"),
    })
    out["bucket"] = pd.to_datetime(out["bucket"], utc=True)
    return out[cols]


class _BucketCounts:
    """Messages per (time bucket, group) of the last selection counted, for one (by, bucket width).

    `bring_to(keep)` counts the rows that entered the selection (new rows, a wider filter) and
    subtracts the rows that left it (a sliding window); a selection that shares less than half
    its rows with the last one is counted from scratch. Column 0 counts every selected row (the
    bucket range); the other columns are the groups: category bits, language codes or theme ids.
    """

    def __init__(self, by: str | None, step: np.int64) -> None:
        self.by, self.step = by, np.int64(step)
        self.keep = np.zeros(0, dtype=bool)
        self.origin = 0  # absolute bucket (time // step) of counts' row 0
        self.counts = np.zeros((0, 1), dtype=np.int64)
        self.theme_offset = -min(NO_THEME, TH.OTHER_THEME)  # theme id + offset >= 0

    def bring_to(self, codes: IncidentCodes, keep: np.ndarray, theme: np.ndarray | None) -> bool:
        """Count the selection `keep`; return False (nothing done) when that is cheaper from scratch."""
        m = len(self.keep)
        if m > len(keep):
            return False
        changed = np.flatnonzero(keep[:m] != self.keep)
        if m and len(changed) > len(keep) // 2:
            return False
        entered = np.concatenate([changed[keep[changed]], m + np.flatnonzero(keep[m:])])
        left = changed[~keep[changed]]
        self._add(codes, entered, 1, theme)
        self._add(codes, left, -1, theme)
        self.keep = keep.copy()
        return True

    def _columns(self, codes: IncidentCodes, idx: np.ndarray, theme: np.ndarray | None):
        """Return (row position into idx, column) of every group entry of the rows idx (column >= 1)."""
        if self.by is None:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        if self.by == CATEGORIES:
            bits = codes.categories[idx]
            parts = [np.flatnonzero(bits & (np.int64(1) << i)) for i in range(len(CATEGORY_CODES))]
            return (np.concatenate(parts),
                    np.concatenate([np.full(len(p), 1 + i, dtype=np.int64) for i, p in enumerate(parts)]))
        if self.by == LANGUAGE:
            return np.arange(len(idx)), 1 + codes.language[idx]
        if self.by == THEME:
            if theme is None:
                raise ValueError("counts by theme need the THEME column")
            return np.arange(len(idx)), 1 + self.theme_offset + theme[idx]
        raise ValueError(f"counts by {self.by!r} are not coded")

    def _add(self, codes: IncidentCodes, idx: np.ndarray, sign: int, theme: np.ndarray | None) -> None:
        if not len(idx):
            return
        bucket = codes.time[idx] // self.step
        pos, col = self._columns(codes, idx, theme)
        lo, hi = int(bucket.min()), int(bucket.max())
        width = max(self.counts.shape[1], int(col.max()) + 1 if len(col) else 1)
        if not len(self.counts):
            self.origin = lo
        new_lo, new_hi = min(lo, self.origin), max(hi, self.origin + len(self.counts) - 1)
        old_hi = self.origin + len(self.counts) - 1
        if (new_lo, new_hi) != (self.origin, old_hi) or width > self.counts.shape[1]:
            grown = np.zeros((new_hi - new_lo + 1, width), dtype=np.int64)
            grown[self.origin - new_lo: self.origin - new_lo + len(self.counts), : self.counts.shape[1]] = \
                self.counts
            self.counts, self.origin = grown, new_lo
        row = bucket - self.origin
        flat = np.concatenate([row * width, row[pos] * width + col])
        self.counts += sign * np.bincount(flat, minlength=self.counts.size).reshape(self.counts.shape)

    def span(self) -> tuple[int | None, int | None]:
        """Return the first and last absolute bucket holding a selected row (None, None: none)."""
        filled = np.flatnonzero(self.counts[:, 0])
        if not len(filled):
            return None, None
        return self.origin + int(filled[0]), self.origin + int(filled[-1])

    def table(self, codes: IncidentCodes, first: int, n_buckets: int) -> tuple[list, np.ndarray]:
        """Return (groups in `aggregate.counts_over_time` order, counts[bucket, group]) from `first` on."""
        if self.by is None:
            cols, groups = np.zeros(1, dtype=np.int64), [A.ALL_GROUP]
        else:
            present = np.flatnonzero(self.counts[:, 1:].any(axis=0)) if len(self.counts) else \
                np.zeros(0, dtype=np.int64)
            if self.by == CATEGORIES:
                groups = [CATEGORY_CODES[i] for i in present.tolist()]
            elif self.by == LANGUAGE:
                groups = [str(codes.languages.values[i]) for i in present.tolist()]
            else:
                groups = (present - self.theme_offset).tolist()
            order = sorted(range(len(groups)), key=lambda i: groups[i])
            cols, groups = 1 + present[order], [groups[i] for i in order]
        out = np.zeros((n_buckets, len(cols)), dtype=np.int64)
        lo, hi = max(first, self.origin), min(first + n_buckets, self.origin + len(self.counts))
        if hi > lo:
            out[lo - first: hi - first] = self.counts[lo - self.origin: hi - self.origin][:, cols]
        return groups, out


# --- terms: exact message and distinct-author counts per (group, term) ----------------------
_GROUP_BITS, _TERM_BITS, _AUTHOR_BITS = 16, 22, 24  # 62 bits: (group, term, author) in one int64


class _PairTable:
    """Per (group, term): messages and distinct authors, exact, extended by `add` (sorted int64 keys)."""

    def __init__(self) -> None:
        self.triples = np.zeros(0, dtype=np.int64)  # sorted unique (group, term, author)
        self.pairs = np.zeros(0, dtype=np.int64)  # sorted unique (group, term)
        self.n_messages = np.zeros(0, dtype=np.int64)
        self.n_authors = np.zeros(0, dtype=np.int64)

    @staticmethod
    def fits(group: np.ndarray, term: np.ndarray, author: np.ndarray) -> bool:
        """Return True when every code fits its bit field (else the caller counts from scratch)."""
        return all(len(a) == 0 or (int(a.min()) >= 0 and int(a.max()) < (1 << bits))
                   for a, bits in ((group, _GROUP_BITS), (term, _TERM_BITS), (author, _AUTHOR_BITS)))

    def _grow(self, keys: np.ndarray, messages: np.ndarray, authors: np.ndarray) -> None:
        pos = np.searchsorted(self.pairs, keys)
        known = pos < len(self.pairs)
        known[known] = self.pairs[pos[known]] == keys[known]
        if (~known).any():
            self.pairs = np.insert(self.pairs, pos[~known], keys[~known])
            self.n_messages = np.insert(self.n_messages, pos[~known], 0)
            self.n_authors = np.insert(self.n_authors, pos[~known], 0)
            pos = np.searchsorted(self.pairs, keys)
        self.n_messages[pos] += messages
        self.n_authors[pos] += authors

    def add(self, group: np.ndarray, term: np.ndarray, author: np.ndarray) -> None:
        """Count one message per (group, term, author) entry (a message's distinct terms, per group)."""
        if len(group) == 0:
            return
        pair = (group << _TERM_BITS) | term
        keys, counts = np.unique(pair, return_counts=True)
        self._grow(keys, counts, np.zeros(len(keys), dtype=np.int64))
        triple = unique_ints((pair << _AUTHOR_BITS) | author)
        pos = np.searchsorted(self.triples, triple)
        seen = pos < len(self.triples)
        seen[seen] = self.triples[pos[seen]] == triple[seen]
        new = triple[~seen]
        if len(new):
            self.triples = np.insert(self.triples, pos[~seen], new)
            keys, counts = np.unique(new >> _AUTHOR_BITS, return_counts=True)
            self._grow(keys, np.zeros(len(keys), dtype=np.int64), counts)

    def frame(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Return (group, term, n_messages, n_authors) arrays."""
        term = self.pairs & ((1 << _TERM_BITS) - 1)
        return self.pairs >> _TERM_BITS, term, self.n_messages, self.n_authors


def _count_pairs(group: np.ndarray, term: np.ndarray, author: np.ndarray):
    """(group, term, n_messages, n_authors) from scratch, for codes of any size."""
    if len(group) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty, empty
    frame = pd.DataFrame({"g": group, "t": term, "a": author})
    out = frame.groupby(["g", "t"], sort=True).agg(n=("a", "size"), u=("a", "nunique")).reset_index()
    return (out["g"].to_numpy(np.int64), out["t"].to_numpy(np.int64), out["n"].to_numpy(np.int64),
            out["u"].to_numpy(np.int64))


def term_counts(codes: IncidentCodes, rows: np.ndarray, min_authors: int = 5,
                by: str = THEME) -> pd.DataFrame:
    """`themes.term_counts` (by THEME or CATEGORIES) of the rows selected by `rows`."""
    cols = ["group", "term", "n_messages", "n_authors"]
    group, term, n_msg, n_auth = codes.pair_counts(rows, by)
    keep = n_auth >= min_authors
    group, term, n_msg, n_auth = group[keep], term[keep], n_msg[keep], n_auth[keep]
    if not len(group):
        return pd.DataFrame({c: pd.Series(dtype=object if c in cols[:2] else "int64") for c in cols})
    terms = np.asarray(codes.terms.values, dtype=object)[term]
    values = group if by == THEME else np.asarray(CATEGORY_CODES, dtype=object)[group]
    # sorted by (group, -n_messages, term) with the terms ranked in Arrow (code point order, as
    # Python compares): pandas' sort on the strings was most of this table at 1M rows
    order = np.lexsort((string_ranks(terms), -n_msg, group if by == THEME else string_ranks(values)))
    return pd.DataFrame({"group": values[order], "term": terms[order],
                         "n_messages": n_msg[order].astype("int64"),
                         "n_authors": n_auth[order].astype("int64")})


def theme_summary(codes: IncidentCodes, rows: np.ndarray, frame: pd.DataFrame,
                  min_authors: int = 5, *, examples: bool = True) -> pd.DataFrame:
    """`themes.theme_summary` of the rows selected by `rows` (labels and texts read from `frame`).

    Works per distinct (theme, text) instead of per message: sizes and first/last seen
    from the codes, the top terms from the kept term table, the example as the distinct
    text closest to the theme's centroid (ties: the earliest message). `examples=False`
    leaves the example "" (a page that shows one theme's example asks `theme_example`:
    the example of every theme is the costly part of a whole-incident summary).
    """
    cols = ["theme", "label", "n_messages", "n_authors", "first_seen", "last_seen",
            "top_terms", "example", "shown"]
    sel = rows & (codes.theme_coded != NO_THEME)
    idx = np.flatnonzero(sel)
    if not len(idx):
        return TH.theme_summary(frame.iloc[:0], min_authors=min_authors)
    theme = codes.theme_coded[idx]
    theme_ids, theme_code = dense_codes(theme)
    k = len(theme_ids)
    ids, counts = codes.theme_authors(sel)  # kept: a refresh adds only the new rows' pairs
    n_authors = counts[np.searchsorted(ids, theme_ids)]
    # term tables: the top terms per theme by distinct authors (ties: term)
    group, term, _n, n_auth = codes.pair_counts(rows, THEME)
    vocab = np.asarray(codes.terms.values, dtype=object)
    keep = np.flatnonzero(np.isin(group, theme_ids))
    keep = keep[_top_per_group(np.searchsorted(theme_ids, group[keep]), n_auth[keep], TH._TERM_TABLE_SIZE)]
    table = pd.DataFrame({"g": np.searchsorted(theme_ids, group[keep]), "term": vocab[term[keep]],
                          "n": n_auth[keep]})
    table = table.sort_values(["g", "n", "term"], ascending=[True, False, True])
    tables: list[dict[str, int]] = [{} for _ in range(k)]
    for gid, part in table.groupby("g", sort=True):
        top = part.head(TH._TERM_TABLE_SIZE)
        tables[int(gid)] = dict(zip(top["term"].tolist(), top["n"].astype(int).tolist(), strict=False))
    top_terms = TH.ctfidf_labels(dict(enumerate(tables)), n_terms=4, min_authors=min_authors)
    if examples:
        example_pos = idx[_example_rows(codes, idx, theme_code, k)]
    first_pos = idx[first_positions(theme_code, k)]
    times = codes.time[idx]
    t_min = np.full(k, np.iinfo(np.int64).max)
    t_max = np.full(k, np.iinfo(np.int64).min)
    np.minimum.at(t_min, theme_code, times)
    np.maximum.at(t_max, theme_code, times)
    unit = codes.unit
    out = pd.DataFrame({
        "theme": theme_ids.astype("int64"),
        "label": take_rows(frame[THEME_LABEL], first_pos).astype(object).fillna("").to_numpy(dtype=object)
        if THEME_LABEL in frame else np.full(k, "", dtype=object),
        "n_messages": np.bincount(theme_code, minlength=k).astype("int64"),
        "n_authors": n_authors.astype("int64"),
        "first_seen": pd.to_datetime([_ts(v).as_unit(unit) for v in t_min], utc=True),
        "last_seen": pd.to_datetime([_ts(v).as_unit(unit) for v in t_max], utc=True),
        "top_terms": [top_terms.get(g, ()) for g in range(k)],
        "example": (take_rows(frame[TEXT], example_pos).astype(object).to_numpy(dtype=object) if examples
                    else np.full(k, "", dtype=object)),
    })
    out["shown"] = out["n_authors"] >= min_authors
    out["example"] = out["example"].where(out["shown"], "").astype(object)
    out["first_seen"] = pd.to_datetime(out["first_seen"], utc=True)
    out["last_seen"] = pd.to_datetime(out["last_seen"], utc=True)
    out = out.sort_values(["n_messages", "theme"], ascending=[False, True], kind="stable")
    return out.reset_index(drop=True)[cols]



def _top_per_group(group: np.ndarray, n: np.ndarray, size: int) -> np.ndarray:
    """Return the positions whose n is at least the `size`-th largest n of their group (ties kept).

    Sorting only these by (group, -n, term) and keeping `size` per group gives what sorting every
    row gives: the string sort of a whole incident's (theme, term) pairs was most of a summary.
    """
    if not len(group):
        return np.zeros(0, dtype=np.int64)
    order = np.lexsort((-np.asarray(n), group))
    g_sorted, n_sorted = group[order], np.asarray(n)[order]
    starts = np.flatnonzero(np.r_[True, g_sorted[1:] != g_sorted[:-1]])
    counts = np.diff(np.r_[starts, len(order)])
    cut = n_sorted[starts + np.minimum(counts, size) - 1]  # the size-th largest (or the smallest)
    return np.sort(order[n_sorted >= np.repeat(cut, counts)])


def _example_rows(codes: IncidentCodes, idx: np.ndarray, theme_code: np.ndarray, k: int,
                  idf: np.ndarray | None = None) -> np.ndarray:
    """Return per theme code 0..k-1 the position in `idx` of its example row.

    Per distinct (theme, doc): tf-idf over the distinct docs of these rows (or the given `idf`),
    the cosine to the theme's centroid; the best, ties to the earliest message.
    """
    doc = codes.doc[idx]
    n_docs_all = len(codes.docs.values)
    pair, first, weight = np.unique(theme_code * n_docs_all + doc, return_index=True, return_counts=True)
    pair_theme, pair_doc = pair // n_docs_all, pair % n_docs_all
    docs = unique_ints(doc)
    rep, cols_ = codes.doc_entries(docs)
    n_terms = len(codes.terms.values)
    binary = sp.csr_matrix(
        (np.ones(len(cols_)), (rep, cols_)), shape=(len(docs), max(n_terms, 1)))
    if idf is None:
        idf = _idf(len(docs), np.bincount(cols_, minlength=max(n_terms, 1)))
    x_docs = TH._tfidf(binary, idf)
    x_pairs = x_docs[np.searchsorted(docs, pair_doc)]
    cents = TH._l2(TH._means(x_pairs, pair_theme, k, weight.astype(float)))
    score = np.zeros(len(pair))
    cents_t = cents.T.tocsc()
    for lo in range(0, len(pair), TH._CHUNK):  # cosine of each (theme, text) to its own centroid
        sims = (x_pairs[lo:lo + TH._CHUNK] @ cents_t).toarray()
        score[lo:lo + TH._CHUNK] = sims[np.arange(sims.shape[0]), pair_theme[lo:lo + TH._CHUNK]]
    best = pd.DataFrame({"g": pair_theme, "s": -score, "first": first}).sort_values(["g", "s", "first"])
    return best.groupby("g", sort=True).head(1)["first"].to_numpy()


def _idf(n_docs: int, doc_freq: np.ndarray) -> np.ndarray:
    """Return the smoothed idf of each term over `n_docs` docs, `doc_freq[t]` of which hold term t."""
    return np.log((1 + n_docs) / (1 + doc_freq)) + 1


def theme_example(codes: IncidentCodes, rows: np.ndarray, frame: pd.DataFrame, theme: int) -> str:
    """Return the example text `theme_summary` gives `theme` among `rows` ("" when it has no rows).

    Costs the theme's own rows plus the idf counts of `rows` (kept per view and extended on a
    refresh: `IncidentCodes.doc_freq`), instead of every theme's tf-idf and centroid (Thema's
    shows one theme's examples at a time).
    """
    sel = rows & (codes.theme_coded != NO_THEME)
    idx = np.flatnonzero(sel)
    mine = codes.theme_coded[idx] == int(theme)
    if not mine.any():
        return ""
    n_docs, doc_freq = codes.doc_freq(sel)  # kept per view: a refresh counts only the new rows' docs
    idf = _idf(n_docs, doc_freq)
    own = idx[mine]
    pos = _example_rows(codes, own, np.zeros(len(own), dtype=np.int64), 1, idf)
    return str(frame[TEXT].iloc[own[pos[0]]])


def trend_series(codes: IncidentCodes, rows: np.ndarray, by: str, freq: int, start, end,
                 min_authors: int = 5, top_themes: int = 8, categories: tuple[str, ...] | None = None,
                 *, theme: np.ndarray) -> pd.DataFrame:
    """Coded `aggregate.trend_series`: bucket, group, count, total, share per category/theme/language.

    `rows` are the public messages in view, `theme` the frame's THEME column as integers. Themes:
    the `top_themes` largest named themes with >= `min_authors` distinct authors among `rows`, so a
    theme label never shows for fewer than k people (the k of the Trends view).
    """
    rule = f"{freq}min"
    total = counts_over_time(codes, rows, None, freq=rule, start=start, end=end)
    if by == "category":
        series = counts_over_time(codes, rows, CATEGORIES, freq=rule, start=start, end=end)
        if categories is not None:
            series = series[series["group"].isin(categories)]
    elif by == "theme":
        themed = rows & (theme != NO_THEME) & (theme != TH.OTHER_THEME)
        ids, counts = codes.theme_authors(themed)  # (theme is the coded THEME column)
        wide = ids[counts >= min_authors]
        themed &= np.isin(theme, np.asarray(wide, dtype=np.int64))
        top = pd.Series(theme[themed]).value_counts().head(top_themes).index
        series = counts_over_time(codes, themed & np.isin(theme, np.asarray(top, dtype=np.int64)),
                                  THEME, freq=rule, start=start, end=end, theme=theme)
    else:
        series = counts_over_time(codes, rows, LANGUAGE, freq=rule, start=start, end=end)
    out = series.merge(total[["bucket", "count"]].rename(columns={"count": "total"}), on="bucket")
    share = (out["count"] / out["total"]).where(out["total"] > 0, 0.0)
    return out.assign(share=share).reset_index(drop=True)

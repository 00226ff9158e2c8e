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

from typing import Any

import numpy as np
import pandas as pd

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
    TEXT,
    THEME,
)
from pipeline.views import aggregate as A


def time_ns(series: pd.Series) -> np.ndarray:
    """Return CREATED_AT values as int64 nanoseconds since the epoch (UTC)."""
    times = pd.to_datetime(series, utc=True)
    return times.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy().astype("datetime64[ns]").view(np.int64)


def ns(ts: Any) -> int:
    """Return one timestamp (naive = UTC) as int64 nanoseconds."""
    return int(A._utc(ts).tz_localize(None).to_datetime64().astype("datetime64[ns]").astype(np.int64))


def _ts(value: int) -> pd.Timestamp:
    return pd.Timestamp(np.int64(value).astype("datetime64[ns]")).tz_localize("UTC")


class _Coder:
    """Map values to dense integer codes in order of first appearance, across calls."""

    def __init__(self) -> None:
        self.index: dict[Any, int] = {}
        self.values: list[Any] = []

    def codes(self, values: np.ndarray) -> np.ndarray:
        """Return the code of every value, adding unseen values (once per distinct value)."""
        local, uniques = pd.factorize(values, use_na_sentinel=False)
        mapped = np.empty(len(uniques), dtype=np.int64)
        for i, value in enumerate(uniques.tolist() if hasattr(uniques, "tolist") else list(uniques)):
            code = self.index.get(value)
            if code is None:
                code = self.index[value] = len(self.values)
                self.values.append(value)
            mapped[i] = code
        return mapped[local] if len(local) else np.zeros(0, dtype=np.int64)


def _category_bits(values: pd.Series) -> np.ndarray:
    """Return a bit mask per row: bit i set when the row has CATEGORY_CODES[i]."""
    bit = {code: np.int64(1) << i for i, code in enumerate(CATEGORY_CODES)}
    as_tuple = values.map(lambda c: tuple(c) if isinstance(c, (tuple, list, np.ndarray)) else ())
    codes, uniques = pd.factorize(as_tuple, use_na_sentinel=False)
    masks = np.array([sum((bit.get(c, 0) for c in set(u)), np.int64(0)) for u in uniques], dtype=np.int64)
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
        if not same:
            self.__init__()
        if len(frame) > self.n:
            self.update(frame.iloc[self.n:], text_col)
        return self

    def update(self, rows: pd.DataFrame, text_col: str | None = None) -> None:
        """Append the codes of `rows` (the rows after the ones already coded)."""
        text_col = text_col or (CLEAN_TEXT if CLEAN_TEXT in rows else TEXT)
        self._text_col = text_col
        n = len(rows)
        texts = rows[text_col].astype(object).fillna("").to_numpy() if text_col in rows else np.full(n, "", object)
        text = self.texts.codes(texts)
        new_texts = self.texts.values[len(self.key_of_text):]
        if new_texts:  # the near-duplicate key: once per distinct text, ever
            keys = A._near_keys(pd.Series(new_texts, dtype=object)).to_numpy(dtype=object)
            codes = self.keys.codes(keys)
            self.key_of_text = np.concatenate([self.key_of_text, np.where(keys == "", -1, codes)])

        def flag(col: str) -> np.ndarray:
            return rows[col].fillna(False).astype(bool).to_numpy() if col in rows else np.zeros(n, dtype=bool)

        def coded(coder: _Coder, col: str) -> np.ndarray:
            values = rows[col].astype(str).to_numpy(dtype=object) if col in rows else np.full(n, "", object)
            return coder.codes(values)

        if n:
            self.unit = getattr(pd.to_datetime(rows[CREATED_AT], utc=True).dt, "unit", "ns")
        parts = {
            "time": time_ns(rows[CREATED_AT]),
            "author": self.authors.codes(rows[AUTHOR].astype(object).to_numpy()),
            "text": text,
            "platform": coded(self.platforms, PLATFORM),
            "language": coded(self.languages, LANGUAGE),
            "categories": _category_bits(rows[CATEGORIES]) if CATEGORIES in rows else np.zeros(n, np.int64),
            "official": flag(IS_OFFICIAL),
            "repost": flag(IS_REPOST),
            "relevant": flag(RELEVANT),
            "ids": (rows[MESSAGE_ID].to_numpy(dtype=np.int64, na_value=-1) if MESSAGE_ID in rows
                    else np.full(n, -1, dtype=np.int64)),
        }
        for name, values in parts.items():
            setattr(self, name, np.concatenate([getattr(self, name), values]))
        self.n += n

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
             languages=(), public: bool = False, relevant: bool = False) -> np.ndarray:
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
        """`aggregate.representativeness` of the rows selected by the boolean mask `rows`."""
        keep = rows.copy()
        start = A._utc(start) if start is not None else None
        end = A._utc(end) if end is not None else None
        if start is not None:
            keep &= self.time >= ns(start)
        if end is not None:
            keep &= self.time <= ns(end)
        idx = np.flatnonzero(keep)
        n = len(idx)
        author = self.author[idx]
        per_author = np.bincount(author, minlength=len(self.authors.values)) if n else np.zeros(0, np.int64)
        per_author = per_author[per_author > 0]
        text = self.text[idx]
        shared = A._distinct_authors(text, author) >= 2 if n else np.zeros(0, dtype=bool)
        key = self.key_of_text[text] if n else np.zeros(0, dtype=np.int64)
        times = self.time[idx]
        platforms = self._platform_counts(self.platform[idx]) if n else {}
        languages: dict[str, float] = {}
        if n:
            counts = np.bincount(self.language[idx], minlength=len(self.languages.values))
            languages = {str(self.languages.values[c]): float(counts[c] / n)
                         for c in np.flatnonzero(counts)}
            languages = dict(sorted(languages.items()))
        return {
            "n_messages": n,
            "n_authors": int(per_author.size),
            "messages_per_author": n / per_author.size if per_author.size else 0.0,
            "top10_share": float(np.sort(per_author)[::-1][:10].sum() / n) if n else 0.0,
            "repost_share": float(self.repost[idx].mean()) if n else 0.0,
            "duplicate_share": float(shared.mean()) if n else 0.0,
            "near_duplicate_bursts": bursts(times, author, key) if n else [],
            "platforms": platforms,
            "platforms_absent": [p for p in A.COMMON_PLATFORMS if p not in platforms],
            "languages": languages,
            "gaps": gaps(times, start, end),
        }

    def _platform_counts(self, codes: np.ndarray) -> dict[str, int]:
        counts = np.bincount(codes, minlength=len(self.platforms.values))
        out: dict[str, int] = {}
        for c in np.flatnonzero(counts):
            name = str(self.platforms.values[c]).lower()
            name = A._PLATFORM_ALIASES.get(name, name)
            out[name] = out.get(name, 0) + int(counts[c])
        return dict(sorted(out.items()))


def bursts(times: np.ndarray, author: np.ndarray, key: np.ndarray) -> list[dict[str, Any]]:
    """`aggregate._bursts` on int64 ns times: only keys that can hold a burst are walked.

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
        return []
    dense = (k[m - 1:] == k[:len(k) - m + 1]) & (t[m - 1:] - t[:len(t) - m + 1] <= window)
    candidates = np.unique(k[:len(k) - m + 1][dense])
    out: list[dict[str, Any]] = []
    bounds = np.searchsorted(k, np.stack([candidates, candidates + 1]))
    for lo, hi in zip(bounds[0].tolist(), bounds[1].tolist(), strict=True):
        tt, aa = t[lo:hi], a[lo:hi]
        i = 0
        while i < len(tt):
            j = int(np.searchsorted(tt, tt[i] + window, side="right"))
            if j - i >= m and len(set(aa[i:j].tolist())) >= m:
                out.append({"start": _ts(tt[i]), "end": _ts(tt[j - 1]), "n_messages": j - i,
                            "n_authors": len(set(aa[i:j].tolist()))})
                i = j
            else:
                i += 1
    return sorted(out, key=A._burst_order)


def gaps(times: np.ndarray, start: pd.Timestamp | None, end: pd.Timestamp | None) -> list:
    """`aggregate._gaps` on int64 ns times."""
    bounds = [np.array([] if b is None else [ns(b)], dtype=np.int64) for b in (start, end)]
    edges = np.concatenate([bounds[0], np.sort(times), bounds[1]])
    idx = np.flatnonzero(np.diff(edges) > np.int64(pd.Timedelta(A.GAP).value))
    return [(_ts(edges[i]), _ts(edges[i + 1])) for i in idx]


def _groups_of(codes: IncidentCodes, idx: np.ndarray, by: str | None, theme: np.ndarray | None):
    """Return (row positions into idx, group value per position, sorted distinct groups) for `by`."""
    if by is None:
        return np.arange(len(idx)), None, [A.ALL_GROUP]
    if by == CATEGORIES:
        bits = codes.categories[idx]
        pos, vals = [], []
        for i, code in enumerate(CATEGORY_CODES):
            hit = np.flatnonzero(bits & (np.int64(1) << i))
            if len(hit):
                pos.append(hit)
                vals.append(np.full(len(hit), i, dtype=np.int64))
        if not pos:
            return np.zeros(0, np.int64), np.zeros(0, np.int64), []
        present = sorted({CATEGORY_CODES[v[0]] for v in vals})
        rank = {code: r for r, code in enumerate(present)}
        remap = np.array([rank.get(code, -1) for code in CATEGORY_CODES], dtype=np.int64)
        return np.concatenate(pos), remap[np.concatenate(vals)], present
    if by == LANGUAGE:
        lang = codes.language[idx]
        present_codes = np.unique(lang)
        names = [str(codes.languages.values[c]) for c in present_codes]
        order = sorted(range(len(names)), key=lambda i: names[i])
        remap = np.full(len(codes.languages.values), -1, dtype=np.int64)
        remap[present_codes[order]] = np.arange(len(order))
        return np.arange(len(idx)), remap[lang], [names[i] for i in order]
    if by == THEME:
        values = theme[idx]
        present, inverse = np.unique(values, return_inverse=True)
        return np.arange(len(idx)), inverse.astype(np.int64), present.tolist()
    raise ValueError(f"counts by {by!r} are not coded")


def counts_over_time(codes: IncidentCodes, rows: np.ndarray, by: str | None, freq: str = "15min",
                     start: Any = None, end: Any = None, theme: np.ndarray | None = None) -> pd.DataFrame:
    """`aggregate.counts_over_time` of the rows selected by `rows` (by None, CATEGORIES, LANGUAGE, THEME).

    `theme` is the frame's THEME column as integers (needed for `by=THEME`).
    """
    cols = ["bucket", "group", "count"]
    keep = rows.copy()
    if start is not None:
        keep &= codes.time >= ns(start)
    if end is not None:
        keep &= codes.time < ns(end)
    idx = np.flatnonzero(keep)
    times = codes.time[idx]
    if start is not None:
        first = A._utc(start)
    elif len(idx):
        first = _ts(times.min()).as_unit(codes.unit)
    else:
        return A._empty(cols, {"bucket": "datetime64[ns, UTC]", "count": "int64"})
    first = first.floor(freq)
    if end is not None:
        buckets = pd.date_range(first, A._utc(end), freq=freq, inclusive="left")
    else:
        buckets = pd.date_range(first, _ts(times.max()).as_unit(codes.unit).floor(freq), freq=freq)
    step = np.int64(pd.Timedelta(freq).value)
    origin = ns(first)
    pos, group, groups = _groups_of(codes, idx, by, theme)
    if by is not None and not groups:
        groups = []
    # bucket of each message: floor to `freq` (epoch-aligned, like Timestamp.floor) relative to the first
    floored = times - np.mod(times, step)
    b = (floored[pos] - origin) // step
    g = np.zeros(len(pos), dtype=np.int64) if group is None else group
    n_b, n_g = len(buckets), len(groups)
    inside = (b >= 0) & (b < n_b)
    counts = np.bincount(b[inside] * n_g + g[inside], minlength=n_b * n_g) if n_g else np.zeros(0, np.int64)
    out = pd.DataFrame({
        "bucket": buckets.repeat(n_g) if n_g else buckets[:0],
        "group": np.tile(np.array(groups, dtype=np.int64 if by == THEME else object), n_b) if n_g
        else np.zeros(0, dtype=object),
        "count": counts.astype("int64"),
    })
    out["bucket"] = pd.to_datetime(out["bucket"], utc=True)
    return out[cols]

"""Small array helpers shared by the stages (no project imports).

`unique_ints`: numpy 2.4's `np.unique(x)` without `return_*` takes a hash-table path that is
15x slower than sorting for large int64 ranges (3,8 s vs 0,24 s for 4M values here); the views
and theme statistics call it on (group, term, author) keys of a whole incident.

`distinct_per_group`: distinct authors per integer group (themes, timeline buckets, views).

`RowBuffers`: appending 1,000 analysed rows to a 1M-row frame with `pd.concat` copies every
column (about 60 ms, half of it increfs of the 1M term tuples); the live update does it every
refresh. The buffers keep spare room so only the new rows are written.

`take_rows`: the analysed frame's Arrow string columns grow by one chunk per live update, and
pyarrow takes rows from a ChunkedArray of several chunks by first concatenating all of them
(~10 ms for 1M texts, on every `iloc`); it takes from each chunk instead.
"""

from __future__ import annotations

import gc
import itertools

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

STR = pd.StringDtype("pyarrow", na_value=np.nan)  # pandas' "str" dtype (Arrow, NaN for missing)


def is_str(values: pd.Series | pd.Index) -> bool:
    """Return whether `values` are of pandas' "str" dtype (Arrow-backed text)."""
    return isinstance(values.dtype, pd.StringDtype) and values.dtype.na_value is np.nan


def str_series(values: list[str] | pa.Array) -> pd.Series:
    """Return `pd.Series(values, dtype="str")` of a list of str (or an Arrow array), built in C.

    About half the time of pandas' own conversion of a list (ingest's columns).
    """
    arr = values if isinstance(values, pa.Array) else pa.array(values, type=pa.large_string())
    return pd.Series(pd.array(arr, dtype=STR))


def unique_ints(values: np.ndarray) -> np.ndarray:
    """Return the sorted distinct values of an integer array (what `np.unique(values)` returns)."""
    values = np.asarray(values)
    if values.size == 0:
        return values.ravel().copy()
    ordered = np.sort(values, axis=None)
    keep = np.empty(len(ordered), dtype=bool)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]


def flatten_tuples(values) -> tuple[np.ndarray, np.ndarray]:
    """Return (row position, item) for every item of every row's tuple, in row order.

    What `pd.Series(values).explode().dropna()` gives (row positions instead of index labels),
    without pandas' per-row object work: a row that is None, NaN or an empty tuple gives
    nothing, and so does a None item.
    """
    rows = values if isinstance(values, (list, np.ndarray)) else list(values)
    try:  # the common case: every row a tuple (map and fromiter run in C)
        lengths = np.fromiter(map(len, rows), dtype=np.int64, count=len(rows))
    except TypeError:  # None or NaN rows
        rows = [v if isinstance(v, (tuple, list, np.ndarray)) else () for v in rows]
        lengths = np.fromiter(map(len, rows), dtype=np.int64, count=len(rows))
    items = np.fromiter(itertools.chain.from_iterable(rows), dtype=object, count=int(lengths.sum()))
    positions = np.repeat(np.arange(len(rows), dtype=np.int64), lengths)
    if len(items) and pd.isna(items).any():
        keep = ~pd.isna(items)
        return positions[keep], items[keep]
    return positions, items


def distinct_per_group(group: np.ndarray, author: np.ndarray, n_groups: int) -> np.ndarray:
    """Return the number of distinct authors per group 0..n_groups-1 (integer codes; group -1 ignored)."""
    keep = np.asarray(group) >= 0
    if not keep.any():
        return np.zeros(n_groups, dtype=np.int64)
    width = int(np.max(author)) + 1
    pairs = pd.unique(np.asarray(group)[keep].astype(np.int64) * width + np.asarray(author)[keep])
    return np.bincount(pairs // width, minlength=n_groups)


def dense_codes(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return `np.unique(values, return_inverse=True)` for non-negative ints, without sorting them.

    For small codes (theme ids, at most a few times as many as values) a bincount over the codes
    does it in O(n): sorting a 1M-row selection took ~60 ms of every Thema's refresh.
    """
    values = np.asarray(values)
    if not len(values) or values.min() < 0 or values.max() > 4 * len(values) + 1024:
        return np.unique(values, return_inverse=True)
    present = np.bincount(values) > 0
    return np.flatnonzero(present).astype(values.dtype), (np.cumsum(present) - 1)[values]


def first_positions(codes: np.ndarray, k: int) -> np.ndarray:
    """Return per code 0..k-1 the position of its first occurrence in `codes` (every code occurs)."""
    first = np.full(k, len(codes), dtype=np.int64)
    np.minimum.at(first, codes, np.arange(len(codes), dtype=np.int64))
    return first


def string_ranks(values: np.ndarray) -> np.ndarray:
    """Return each string's dense rank in ascending code point order (Python's `<` on str), in Arrow."""
    if not len(values):
        return np.zeros(0, dtype=np.int64)
    arr = pa.array(np.asarray(values, dtype=object), type=pa.string())
    return pc.rank(arr, sort_keys="ascending", tiebreaker="dense").to_numpy().astype(np.int64)


class RowBuffers:
    """Column buffers with spare room, so appending rows to the newest frame copies only the new rows.

    `append(old, new)` equals `pd.concat([old, new[old.columns]], ignore_index=True)`. Numpy-backed
    columns (ints, floats, bools, objects) are read-only views of a buffer; a buffer is written past
    its filled length only when `old` holds exactly that filled part, so a frame handed out earlier
    never changes (appending twice to the same `old` copies the second time). Datetimes with a time
    zone keep their datetime64 values in such a buffer (pandas' private zero-copy constructor; the
    pinned pandas is tested in tests/test_arrays.py). Arrow strings are concatenated as before (a
    new chunk; cheap).
    """

    GROWTH = 1.25  # room for about a quarter more rows: amortised, a copy per ~N/4 new rows

    def __init__(self) -> None:
        self._columns: dict[str, tuple[np.ndarray, int]] = {}
        self.reallocated = 0  # rows of the largest buffer allocated by the last `append` (0 = none)

    def append(self, old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
        """Return old's rows then new's rows (columns of `old`, a fresh RangeIndex)."""
        data = {}
        self.reallocated = 0
        for name in old.columns:
            a, b = old[name], new[name]
            if isinstance(a.dtype, np.dtype) and a.dtype == b.dtype and a.dtype.kind in "biufO":
                data[name] = self._append(name, a.to_numpy(), b.to_numpy())
            elif isinstance(a.dtype, pd.DatetimeTZDtype) and a.dtype == b.dtype:
                # times with a zone: their datetime64 values in a buffer too (pd.concat allocated a
                # fresh 8 MB per column and update at 1M rows: 1,5 ms, at times 13 ms in page faults)
                values = self._append(name, a.array._ndarray, b.array._ndarray)
                data[name] = pd.Series(pd.arrays.DatetimeArray._simple_new(values, dtype=a.dtype), copy=False)
            else:
                data[name] = pd.concat([a, b], ignore_index=True)
        return pd.DataFrame(data, columns=old.columns, copy=False)

    def adopt(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Return `frame` with its columns in buffers with spare room (`append` of no rows)."""
        self._columns.clear()
        return self.append(frame, frame.iloc[:0])

    def _append(self, name: str, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        n = len(a) + len(b)
        entry = self._columns.get(name)
        buffer = entry[0] if entry is not None and _holds(entry, a) and n <= len(entry[0]) else None
        if buffer is None:
            buffer = np.empty(int(n * self.GROWTH) + 1024, dtype=a.dtype)
            buffer[: len(a)] = a
            self.reallocated = max(self.reallocated, n)
        buffer[len(a) : n] = b
        self._columns[name] = (buffer, n)
        view = buffer[:n]
        view.flags.writeable = False
        return view


class GrowingArray:
    """A 1-d array that new values are appended to in amortised O(new): spare room, doubled when full.

    `values` is a read-only view of the filled part; views handed out earlier stay valid and equal
    (appending writes only past them; a full buffer is copied into a new one).
    """

    def __init__(self, values: np.ndarray) -> None:
        self._buffer = np.array(values, copy=True)
        self._n = len(values)

    def extend(self, values: np.ndarray) -> None:
        """Append `values` (cast to the array's dtype)."""
        n = self._n + len(values)
        if n > len(self._buffer):
            # doubled, or a quarter more than asked when one extend brings many values (a restart
            # codes a 1M-row incident at once: without room the first live refresh copied it all)
            bigger = np.empty(max(2 * len(self._buffer), n + n // 4 + 1024), dtype=self._buffer.dtype)
            bigger[: self._n] = self._buffer[: self._n]
            self._buffer = bigger
        self._buffer[self._n : n] = values
        self._n = n

    @property
    def values(self) -> np.ndarray:
        """The filled part (a read-only view)."""
        view = self._buffer[: self._n]
        view.flags.writeable = False
        return view

    def __len__(self) -> int:
        return self._n

    def holds(self, values: np.ndarray) -> bool:
        """Return True if `values` is exactly the filled part (same memory, length and dtype)."""
        return _holds((self._buffer, self._n), values)


def release_arrow_memory() -> None:
    """Hand the memory Arrow's pool holds after freeing back to the OS (0,02–0,04 ms).

    pyarrow's default pool (mimalloc) keeps freed pages: after the chain on 1M messages at distinct
    share 0.5 that was ~480 MB of resident memory in the dashboard process, in no live buffer; and
    the Python objects a stage makes next (tokens, phrases) cannot reuse them.
    """
    pa.default_memory_pool().release_unused()


SETTLE_ROWS = 100_000  # frames this large are exempted from cyclic garbage collection (`settle`)


def settle(n_rows: int) -> bool:
    """After building a long-lived frame of `n_rows` rows: collect once, then freeze what is alive.

    A full cyclic-GC pass traverses every element of every object column (1M-row frames: ~70 ms,
    every ~15 live updates, which alone broke the update's p95). `gc.freeze` exempts the objects
    alive now from later passes; objects still die by reference counting as usual, and the
    `gc.unfreeze` + `gc.collect` first returns any cycle among earlier frozen objects that has
    become garbage since. Process-wide; only for frames of >= SETTLE_ROWS rows. Returns whether it
    settled.
    """
    if n_rows < SETTLE_ROWS:
        return False
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    return True


def _holds(entry: tuple[np.ndarray, int], values: np.ndarray) -> bool:
    """Return True if `values` is exactly the filled part of the buffer (same start, length, dtype)."""
    buffer, filled = entry
    return (len(values) == filled and values.dtype == buffer.dtype and values.ndim == 1
            and values.strides == buffer.strides
            and values.__array_interface__["data"][0] == buffer.__array_interface__["data"][0])


def take_rows(series: pd.Series, positions) -> pd.Series:
    """Return `series.iloc[positions]` (integer positions, >= 0), taking Arrow strings chunk by chunk.

    Equal to `iloc` (values, index, name, dtype); only a string Series held in several Arrow chunks
    takes the per-chunk path, anything else is `iloc` itself.
    """
    positions = np.asarray(positions, dtype=np.int64)
    chunked = getattr(series.array, "_pa_array", None)
    if (not isinstance(chunked, pa.ChunkedArray) or chunked.num_chunks <= 1 or not len(positions)
            or not pa.types.is_string(chunked.type) and not pa.types.is_large_string(chunked.type)
            or positions.min() < 0 or positions.max() >= len(series)):
        return series.iloc[positions]
    ends = np.cumsum([len(chunk) for chunk in chunked.chunks])
    which = np.searchsorted(ends, positions, side="right")
    order = np.argsort(which, kind="stable")
    cuts = np.flatnonzero(np.diff(which[order])) + 1
    parts = []
    for group in np.split(order, cuts):
        c = int(which[group[0]])
        start = int(ends[c] - len(chunked.chunk(c)))
        parts.append(chunked.chunk(c).take(pa.array(positions[group] - start)))
    values = pa.concat_arrays(parts).take(pa.array(np.argsort(order, kind="stable")))
    return pd.Series(pd.array(values, dtype=series.dtype), index=series.index[positions], name=series.name)


def arrow_strings(series: pd.Series) -> pa.ChunkedArray:
    """Return a text column as Arrow strings, missing values as "" (no copy of Arrow-held text).

    `pa.array(series.fillna("").astype("str").array)` copied a 1M-row Arrow text column twice (the
    fill and the concatenation of its chunks): ~290 MB at the analysis' peak. Arrow-backed columns
    are used as they are; other columns are converted once.
    """
    chunked = getattr(series.array, "_pa_array", None)
    if isinstance(chunked, pa.ChunkedArray) and (pa.types.is_string(chunked.type)
                                                 or pa.types.is_large_string(chunked.type)):
        arr = chunked
    else:
        values = series.astype("str").where(series.notna(), "").to_numpy(dtype=object)
        arr = pa.chunked_array([pa.array(values, type=pa.string())])
    return pc.fill_null(arr, "") if arr.null_count else arr

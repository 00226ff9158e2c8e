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

import numpy as np
import pandas as pd
import pyarrow as pa


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


def distinct_per_group(group: np.ndarray, author: np.ndarray, n_groups: int) -> np.ndarray:
    """Return the number of distinct authors per group 0..n_groups-1 (integer codes; group -1 ignored)."""
    keep = np.asarray(group) >= 0
    if not keep.any():
        return np.zeros(n_groups, dtype=np.int64)
    width = int(np.max(author)) + 1
    pairs = pd.unique(np.asarray(group)[keep].astype(np.int64) * width + np.asarray(author)[keep])
    return np.bincount(pairs // width, minlength=n_groups)


class RowBuffers:
    """Column buffers with spare room, so appending rows to the newest frame copies only the new rows.

    `append(old, new)` equals `pd.concat([old, new[old.columns]], ignore_index=True)`. Numpy-backed
    columns (ints, floats, bools, objects) are read-only views of a buffer; a buffer is written past
    its filled length only when `old` holds exactly that filled part, so a frame handed out earlier
    never changes (appending twice to the same `old` copies the second time). Other columns (Arrow
    strings, datetimes with a time zone) are concatenated as before; they are cheap.
    """

    GROWTH = 1.25  # room for about a quarter more rows: amortised, a copy per ~N/4 new rows

    def __init__(self) -> None:
        self._columns: dict[str, tuple[np.ndarray, int]] = {}

    def append(self, old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
        """Return old's rows then new's rows (columns of `old`, a fresh RangeIndex)."""
        data = {}
        for name in old.columns:
            a, b = old[name], new[name]
            if isinstance(a.dtype, np.dtype) and a.dtype == b.dtype and a.dtype.kind in "biufO":
                data[name] = self._append(name, a.to_numpy(), b.to_numpy())
            else:
                data[name] = pd.concat([a, b], ignore_index=True)
        return pd.DataFrame(data, columns=old.columns, copy=False)

    def _append(self, name: str, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        n = len(a) + len(b)
        entry = self._columns.get(name)
        buffer = entry[0] if entry is not None and _holds(entry, a) and n <= len(entry[0]) else None
        if buffer is None:
            buffer = np.empty(int(n * self.GROWTH) + 1024, dtype=a.dtype)
            buffer[: len(a)] = a
        buffer[len(a) : n] = b
        self._columns[name] = (buffer, n)
        view = buffer[:n]
        view.flags.writeable = False
        return view


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

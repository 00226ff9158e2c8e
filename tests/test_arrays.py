"""`pipeline.arrays`: the helpers must give exactly what the plain numpy/pandas calls give."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pipeline import arrays
from pipeline.arrays import RowBuffers, take_rows, unique_ints


def _frame(start: int, n: int) -> pd.DataFrame:
    """An analysed-frame-like mix of dtypes: ints, floats, bools, tuples, Arrow strings, UTC times."""
    ids = np.arange(start, start + n)
    return pd.DataFrame({
        "message_id": ids,
        "relevance": ids / 7.0,
        "relevant": ids % 3 == 0,
        "terms": [tuple(f"w{i % 5}" for _ in range(i % 3)) for i in ids],
        "categories": [("vraag",) if i % 2 else () for i in ids],
        "text": pd.array([f"bericht {i}" for i in ids], dtype="str"),
        "created_at": pd.date_range("2026-07-11 12:00", periods=n, freq="min", tz="UTC"),
    })


def test_unique_ints_equals_numpy_unique() -> None:
    values = np.random.default_rng(1).integers(-50, 50, size=1_000)
    assert np.array_equal(unique_ints(values), np.unique(values))
    assert unique_ints(np.array([], dtype=np.int64)).size == 0


def test_row_buffers_append_equals_concat_over_many_appends() -> None:
    buffers, frame = RowBuffers(), _frame(0, 1_000)
    for k in range(40):  # far past the spare room of the first buffer: it must grow
        new = _frame(1_000 + 100 * k, 100)
        expected = pd.concat([frame, new[frame.columns]], ignore_index=True)
        frame = buffers.append(frame, new)
        pd.testing.assert_frame_equal(frame, expected)
    assert len(frame) == 5_000


def test_row_buffers_only_write_new_rows_and_never_change_a_frame_handed_out() -> None:
    buffers, base = RowBuffers(), _frame(0, 50)
    first = buffers.append(base, _frame(50, 10))
    second = buffers.append(first, _frame(60, 10))
    # the second append wrote behind the first frame's rows instead of copying them
    assert np.shares_memory(first["message_id"].to_numpy(), second["message_id"].to_numpy())
    assert np.shares_memory(first["terms"].to_numpy(), second["terms"].to_numpy())
    assert np.shares_memory(first["created_at"].array.asi8, second["created_at"].array.asi8)  # zoned times
    snapshot = second.copy()
    # appending again to `first` (a branch) must not overwrite the rows `second` holds
    branch = buffers.append(first, _frame(900, 10))
    pd.testing.assert_frame_equal(second, snapshot)
    assert branch["message_id"].tolist()[-10:] == list(range(900, 910))
    assert second["message_id"].tolist()[-10:] == list(range(60, 70))


def test_row_buffers_frames_are_read_only() -> None:
    buffers = RowBuffers()
    frame = buffers.append(_frame(0, 5), _frame(5, 5))
    with pytest.raises(ValueError, match="read-only"):
        frame.loc[0, "message_id"] = 99
    derived = frame.assign(relevance=0.0)  # a derived frame is still free to change
    derived.loc[0, "message_id"] = 99
    assert frame.loc[0, "message_id"] == 0


def test_row_buffers_fall_back_to_concat_when_dtypes_differ() -> None:
    old = _frame(0, 5)
    new = _frame(5, 5).assign(relevant=[True, None, False, True, False])  # object, not bool
    frame = RowBuffers().append(old, new)
    pd.testing.assert_frame_equal(frame, pd.concat([old, new], ignore_index=True))


def test_row_buffers_keep_the_time_zone_and_concat_other_zones() -> None:
    old = _frame(0, 5)
    new = _frame(5, 5)
    frame = RowBuffers().append(old, new)
    expected = pd.concat([old, new], ignore_index=True)["created_at"]
    pd.testing.assert_series_equal(frame["created_at"], expected)
    amsterdam = new.assign(created_at=new["created_at"].dt.tz_convert("Europe/Amsterdam"))
    mixed = RowBuffers().append(old, amsterdam)  # another zone: pandas' own concat decides
    pd.testing.assert_frame_equal(mixed, pd.concat([old, amsterdam], ignore_index=True))


def test_distinct_per_group_counts_each_author_once_and_ignores_group_minus_one() -> None:
    from pipeline.arrays import distinct_per_group

    group = np.array([0, 0, 0, 2, 2, -1, 1])
    author = np.array([5, 5, 7, 5, 1, 9, 3])
    assert distinct_per_group(group, author, 4).tolist() == [2, 1, 2, 0]
    assert distinct_per_group(np.array([-1]), np.array([0]), 2).tolist() == [0, 0]


def test_take_rows_from_several_arrow_chunks_equals_iloc():
    rng = np.random.default_rng(3)
    parts = [pd.Series(pd.array([f"tekst {i} é" if i % 7 else None for i in range(n)], dtype="str"))
             for n in (5000, 300, 1, 2000)]
    grown = pd.concat(parts, ignore_index=True)  # as a live update appends: one chunk per part
    assert grown.array._pa_array.num_chunks == 4
    cases = [rng.integers(0, len(grown), 500), np.arange(10), np.array([len(grown) - 1, 0, 5000, 5300, 5301]),
             np.array([7, 7, 7]), np.zeros(0, dtype=np.int64), np.arange(len(grown))[::-1]]
    for positions in cases:
        pd.testing.assert_series_equal(take_rows(grown, positions), grown.iloc[positions])
    shifted = pd.Series(grown.array, index=np.arange(len(grown)) * 3 + 1, name="tekst")
    pd.testing.assert_series_equal(take_rows(shifted, cases[0]), shifted.iloc[cases[0]])
    numbers = pd.Series(np.arange(10))
    pd.testing.assert_series_equal(take_rows(numbers, [3, 1]), numbers.iloc[[3, 1]])


def test_settle_freezes_what_is_alive_only_for_large_frames(monkeypatch) -> None:
    import gc

    from pipeline import arrays

    gc.unfreeze()
    try:
        assert not arrays.settle(arrays.SETTLE_ROWS - 1) and gc.get_freeze_count() == 0
        frame = _frame(0, 100)
        assert arrays.settle(arrays.SETTLE_ROWS)
        frozen = gc.get_freeze_count()
        assert frozen > 0 and not any(o is frame for o in gc.get_objects())  # out of the GC's passes
        assert frame["message_id"].sum() == sum(range(100))  # and still alive and usable
    finally:
        gc.unfreeze()


def test_growing_array_appends_in_place_and_keeps_earlier_views():
    from pipeline.arrays import GrowingArray

    grown = GrowingArray(np.array([1, 2], dtype=np.int64))
    first = grown.values
    grown.extend(np.array([3], dtype=np.int32))
    second = grown.values
    assert first.tolist() == [1, 2] and second.tolist() == [1, 2, 3] and second.dtype == np.int64
    assert np.shares_memory(grown.values, second)  # room to spare: no copy
    for start in range(4, 3004, 7):  # past the buffer: copied into a bigger one
        grown.extend(np.arange(start, start + 7))
    assert grown.values.tolist() == [1, 2, 3, *range(4, 3007)] and len(grown) == 3006
    assert first.tolist() == [1, 2] and second.tolist() == [1, 2, 3]
    with pytest.raises(ValueError):
        grown.values[0] = 9  # read-only: a view handed out never changes
    # a restart codes a whole incident in one extend: the next (a live refresh) still has room
    coded = GrowingArray(np.zeros(0, dtype=np.int64))
    coded.extend(np.arange(100_000))
    before = coded.values
    coded.extend(np.arange(1_000))
    assert np.shares_memory(coded.values, before) and coded.values[-1] == 999 and len(coded) == 101_000


@pytest.mark.parametrize("seed", range(4))
def test_dense_codes_first_positions_and_string_ranks_equal_numpy_and_python(seed):
    from pipeline.arrays import dense_codes, first_positions, string_ranks

    rng = np.random.default_rng(seed)
    values = rng.integers(0, [5, 300, 10**9, 2][seed], 2000)
    uniq, inverse = dense_codes(values)
    expected_uniq, expected_inverse = np.unique(values, return_inverse=True)
    assert uniq.tolist() == expected_uniq.tolist() and inverse.tolist() == expected_inverse.tolist()
    assert first_positions(inverse, len(uniq)).tolist() == np.unique(inverse, return_index=True)[1].tolist()
    choices = ["rook", "Rook", "ä", "a", "zz", "ß", "🙏", "", "r"]
    words = np.array(rng.choice(choices, 50).tolist(), dtype=object)
    ranks = string_ranks(words)
    assert [w for _, w in sorted(zip(ranks.tolist(), words.tolist(), strict=True))] == sorted(words.tolist())
    assert len(set(ranks.tolist())) == len(set(words.tolist()))  # equal strings, equal rank


def test_flatten_tuples_gives_what_explode_gives():
    values = np.array([("vraag", "kritiek"), (), None, ("emotie",), float("nan"), ["hulp", None],
                       np.array(["gerucht"], dtype=object), ("vraag",)], dtype=object)
    rows, items = arrays.flatten_tuples(values)
    expected = pd.Series(values).explode().dropna()
    assert rows.tolist() == expected.index.tolist() == [0, 0, 3, 5, 6, 7]
    assert items.tolist() == expected.tolist()
    rows, items = arrays.flatten_tuples(pd.Series([("a",), ("b", "c")]))  # all tuples: the fast path
    assert rows.tolist() == [0, 1, 1] and items.tolist() == ["a", "b", "c"]
    rows, items = arrays.flatten_tuples(np.array([], dtype=object))
    assert len(rows) == len(items) == 0

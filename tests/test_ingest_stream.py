"""The streamed CSV import: chunk by chunk in one transaction, with the whole file's behaviour.

A 120k-row file is three chunks of `STREAM_CHUNK` (50k) rows. Every test compares with
what the whole-file path (`read_messages` on the bytes) says about the same file, or
checks what is stored: nothing for a rejected file, everything once for a good one.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest
from sqlalchemy import func, select

from pipeline import schema as S
from pipeline.ingest import load
from pipeline.ingest.load import IngestError, ingest_file, read_messages
from pipeline.storage import store

N = 120_000  # three chunks


def _rows(n: int = N) -> list[list[str]]:
    return [[f"m{i}", f"11-07-2026 {10 + i // 36000:02d}:{i // 600 % 60:02d}:{i % 60:02d}", f"user{i % 5000}",
             "X" if i % 3 else "Facebook", f"bericht {i} over de brand bij de haven"] for i in range(n)]


def _write(path, rows: list[list[str]], header=("id", "datum", "auteur", "bron", "bericht")):
    path.write_text("\n".join(";".join(r) for r in [list(header), *rows]) + "\n", encoding="utf-8")
    return path


def _count(engine, table=store.messages) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def _last_audit(engine) -> tuple[str, dict]:
    row = store.load_audit(engine, limit=1).iloc[0]
    return row["outcome"], json.loads(row["details"])


def _whole_file_error(path) -> IngestError:
    with pytest.raises(IngestError) as exc:
        read_messages(path.read_bytes(), filename=path.name,
                      window=(pd.Timestamp("2026-07-04", tz="UTC"), pd.Timestamp("2030-01-01", tz="UTC")))
    return exc.value


@pytest.fixture
def chunks(monkeypatch):
    """Record the size of every chunk `_standardise` sees."""
    sizes: list[int] = []
    original = load._standardise

    def standardise(header, rows, lines, **kwargs):
        sizes.append(len(rows))
        return original(header, rows, lines, **kwargs)

    monkeypatch.setattr(load, "_standardise", standardise)
    return sizes


def test_large_csv_is_streamed_in_chunks_not_read_whole(lp, tmp_path, chunks, monkeypatch):
    def whole(*_args, **_kwargs):
        raise AssertionError("the whole-file path read a streamable CSV")

    monkeypatch.setattr(load, "_read_file", whole)
    result = ingest_file(_write(tmp_path / "big.csv", _rows()), "Brand", engine=lp)
    assert chunks == [50_000, 50_000, 20_000]
    assert (result.rows, result.added, result.duplicates_in_file) == (N, N, 0)
    assert _count(lp) == N
    outcome, details = _last_audit(lp)
    assert outcome == "ok" and details["rows"] == N and details["added"] == N
    with lp.connect() as conn:
        batch = conn.execute(select(store.batches.c.rows, store.batches.c.sha256)).one()
    import hashlib

    assert batch == (N, hashlib.sha256((tmp_path / "big.csv").read_bytes()).hexdigest())


def test_same_file_twice_adds_nothing(lp, tmp_path):
    path = _write(tmp_path / "big.csv", _rows())
    ingest_file(path, "Brand", engine=lp)
    again = ingest_file(path, "Brand", engine=lp)
    assert (again.added, again.duplicates_in_db) == (0, N)
    assert _count(lp) == N


def test_error_in_the_last_chunk_stores_nothing(lp, tmp_path):
    rows = _rows()
    rows[-1][1] = "31-02-2026 10:00"  # data row 120000, file line 120001
    path = _write(tmp_path / "late.csv", rows)
    with pytest.raises(IngestError, match=r"Rij 120000 \(regel 120001\): datum '31-02-2026 10:00'") as exc:
        ingest_file(path, "Brand", engine=lp)
    assert (exc.value.code, exc.value.row, exc.value.line) == ("bad_date", 120_000, 120_001)
    assert _count(lp) == 0 and _count(lp, store.batches) == 0
    outcome, details = _last_audit(lp)
    assert outcome == "rejected"
    assert (details["code"], details["row"], details["line"]) == ("bad_date", 120_000, 120_001)


def test_error_counts_and_precedence_are_those_of_the_whole_file(lp, tmp_path):
    rows = _rows()
    for i in (10, 60_000, 110_000):  # bad dates in all three chunks: one message counting all three
        rows[i][1] = "niet-een-datum"
    path = _write(tmp_path / "dates.csv", rows)
    with pytest.raises(IngestError) as exc:
        ingest_file(path, "Brand", engine=lp)
    assert "Rij 11 (regel 12)" in str(exc.value) and "(en nog 2 andere rijen)" in str(exc.value)
    assert str(exc.value) == str(_whole_file_error(path))
    rows[100_000][4] = "   "  # an empty text (an earlier check) in the last chunk comes first
    path = _write(tmp_path / "empty.csv", rows)
    with pytest.raises(IngestError) as exc:
        ingest_file(path, "Brand", engine=lp)
    assert exc.value.code == "empty_text" and exc.value.row == 100_001
    assert str(exc.value) == str(_whole_file_error(path))
    assert _count(lp) == 0


def test_parse_error_late_in_the_file_wins_over_an_earlier_row_error(lp, tmp_path):
    rows = _rows()
    rows[5][1] = "niet-een-datum"
    rows[115_000].append("extra")  # a row wider than the header: the parser rejects it first
    path = _write(tmp_path / "wide.csv", rows)
    with pytest.raises(IngestError) as exc:
        ingest_file(path, "Brand", engine=lp)
    assert exc.value.code == "column_count" and exc.value.row == 115_001
    assert str(exc.value) == str(_whole_file_error(path))


def test_duplicate_spanning_two_chunks_is_found(lp, tmp_path):
    rows = _rows()
    rows[110_000] = [rows[7][0], rows[110_000][1], rows[7][2], rows[7][3], rows[7][4]]  # same id, same text
    result = ingest_file(_write(tmp_path / "dup.csv", rows), "Brand", engine=lp)
    assert (result.rows, result.added, result.duplicates_in_file) == (N, N - 1, 1)


def test_id_reused_with_another_text_across_chunks_is_rejected(lp, tmp_path):
    rows = _rows()
    rows[60_001][0] = rows[7][0]  # id of row 8 (both on X), another text, in the second chunk
    path = _write(tmp_path / "conflict.csv", rows)
    with pytest.raises(IngestError, match=r"Rij 60002 \(regel 60003\): id staat ook in rij 8") as exc:
        ingest_file(path, "Brand", engine=lp)
    assert exc.value.code == "id_conflict"
    assert str(exc.value) == str(_whole_file_error(path))
    assert _count(lp) == 0


def test_display_name_from_a_later_chunk_is_scrubbed_in_an_earlier_one(lp, tmp_path, monkeypatch):
    rows = _rows()
    rows[3][4] = "Jan de Vries zegt dat de haven dicht is"
    rows[100_000][2] = "Jan de Vries"  # posts only in the last chunk
    path = _write(tmp_path / "names.csv", rows)
    # the pre-scan (here, in this process) misses the name: the import notices and prepares again
    monkeypatch.setattr(load, "PARALLEL", False)
    monkeypatch.setattr(load, "_prescan_names", lambda *_args, **_kwargs: frozenset())
    ingest_file(path, "Brand", engine=lp)
    stored = store.load_messages(lp, store.find_incident(lp, "Brand")["id"])
    text = stored.loc[stored[S.SOURCE_ID] == "m3", S.TEXT].iloc[0]
    assert "Jan de Vries" not in text and "[gebruiker]" in text


def test_name_from_a_later_chunk_found_by_the_worker_pre_scan(lp, tmp_path):
    rows = _rows()
    rows[3][4] = "Jan de Vries zegt dat de haven dicht is"
    rows[100_000][2] = "Jan de Vries"
    ingest_file(_write(tmp_path / "names.csv", rows), "Brand", engine=lp)
    stored = store.load_messages(lp, store.find_incident(lp, "Brand")["id"])
    assert stored.loc[stored[S.SOURCE_ID] == "m3", S.TEXT].iloc[0].startswith("[gebruiker]")


@pytest.mark.parametrize(("content", "sep_line", "delimiter"), [
    # a BOM, a quoted field over two lines with doubled quotes, names with spaces around them
    ("\ufeffid;auteur;bron;bericht\n1;Jan Jansen;x;\"hallo\nwereld; \"\"quoted\"\"\"\n"
     "2;  Piet de Vries ;facebook;ok\n3;anna;x;zie\n4;Gemeente Utrecht;x;bericht\n", False, ";"),
    # a "sep=" line, tabs, a name with a no-break space, an author name in the header row itself
    ("sep=\t\nid\tauteur naam\tbericht\n1\tMarie\u00a0Curie\ttekst\n2\tjan\ttekst\n", True, "\t"),
])
def test_arrow_pre_scan_finds_the_names_pandas_finds(tmp_path, content, sep_line, delimiter):
    path = tmp_path / "names.csv"
    path.write_bytes(content.encode("utf-8"))
    cols = {"author": 1, "platform": 2} if delimiter == ";" else {"author": 1}
    arrow = load._prescan_names_arrow(path, sep_line, cols, delimiter, None)
    assert arrow == load._prescan_names_pandas(path, sep_line, cols, delimiter, None)
    assert arrow == ({"Jan Jansen", "Piet de Vries", "Gemeente Utrecht"} if delimiter == ";"
                     else {"Marie Curie"})  # known_names joins the words with one space


def test_pre_scan_of_a_ragged_file_takes_the_pandas_reader(tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_text("id;auteur;bron;bericht\n1;Jan Jansen;x\n2;Piet Hein;x;y\n", encoding="utf-8")
    cols = {"author": 1, "platform": 2}
    with pytest.raises(Exception, match="columns"):
        load._prescan_names_arrow(path, False, cols, ";", None)
    assert load._prescan_names(path, False, cols, ";", None) == {"Jan Jansen", "Piet Hein"}


def test_worker_and_in_process_preparation_store_the_same(lp, tmp_path, monkeypatch):
    rows = _rows(60_000)
    for i in range(0, 60_000, 7):
        rows[i][4] += f" bel 06-1234{i % 10000:04d} of mail jan{i}@example.nl https://omroep.nl/a/{i}"
    path = _write(tmp_path / "pii.csv", rows)
    store.create_incident(lp, name="Kopie", purpose="test", legal_basis="test", responsible_officer="x",
                          start_at=pd.Timestamp("2026-07-11", tz="UTC").to_pydatetime())
    ingest_file(path, "Brand", engine=lp)
    monkeypatch.setattr(load, "PARALLEL", False)
    ingest_file(path, "Kopie", engine=lp)
    cols = [S.SOURCE_ID, S.TEXT, S.URL_DOMAIN, S.CREATED_AT, S.IS_OFFICIAL]
    a, b = (store.load_messages(lp, store.find_incident(lp, name)["id"])[cols].sort_values(S.SOURCE_ID)
            .reset_index(drop=True) for name in ("Brand", "Kopie"))
    pd.testing.assert_frame_equal(a, b)
    assert not a[S.TEXT].str.contains("06-1234|@example|omroep.nl/a", regex=True).any()


def test_not_utf8_falls_back_to_the_whole_file_path(lp, tmp_path, chunks):
    rows = _rows(1000)
    rows[500][4] = "café in de haven"
    path = tmp_path / "ansi.csv"
    path.write_bytes("\n".join(";".join(r) for r in [["id", "datum", "auteur", "bron", "bericht"], *rows])
                     .encode("cp1252"))
    result = ingest_file(path, "Brand", engine=lp)
    assert result.added == 1000 and chunks == [1000]  # one whole-file read
    stored = store.load_messages(lp, store.find_incident(lp, "Brand")["id"])
    assert "café in de haven" in stored[S.TEXT].tolist()


def test_import_pauses_the_garbage_collector_frees_each_chunks_cycles_and_restores_it(lp, tmp_path,
                                                                                       monkeypatch):
    """No automatic cyclic GC during a streamed import (its passes over every chunk's row lists were a
    third of the parse time), yet a chunk's reference cycles are freed before the next chunk, and
    the collector is left as it was found: after a good file, a rejected one, or for a caller that
    had it off."""
    import gc
    import weakref

    class Cycle:
        pass

    refs: list[weakref.ref] = []
    freed_by_next_chunk: list[bool] = []
    original = load._standardise

    def standardise(header, rows, lines, **kwargs):
        freed_by_next_chunk.extend(r() is None for r in refs)
        refs.clear()
        c = Cycle()
        c.me = c  # only the cyclic collector can free it
        refs.append(weakref.ref(c))
        return original(header, rows, lines, **kwargs)

    monkeypatch.setattr(load, "_standardise", standardise)
    frozen = gc.get_freeze_count()
    inside: list[tuple[bool, bool]] = []
    path = _write(tmp_path / "big.csv", _rows())
    assert gc.isenabled()
    ingest_file(path, "Brand", engine=lp,
                before_commit=lambda *_: inside.append((gc.isenabled(), gc.get_freeze_count() > frozen)))
    assert inside == [(False, True)]  # paused, the objects alive before the import frozen
    assert freed_by_next_chunk == [True, True]  # chunks 1 and 2's cycles, seen from chunks 2 and 3
    assert gc.isenabled() and gc.get_freeze_count() == frozen
    rows = _rows()
    rows[-1][1] = "31-02-2026 10:00"
    with pytest.raises(IngestError):
        ingest_file(_write(tmp_path / "bad.csv", rows), "Brand", engine=lp)
    assert gc.isenabled() and gc.get_freeze_count() == frozen
    gc.disable()
    try:
        ingest_file(path, "Brand", engine=lp)
        assert not gc.isenabled()  # a caller that had it off keeps it off
    finally:
        gc.enable()


def test_streamed_odd_rows_store_what_the_whole_file_read_gives(lp, tmp_path):
    """Blank lines, a blank first cell, empty extra cells and retweet look-alikes across chunk borders."""
    rows = [";".join(r) for r in _rows()]
    for i in (49_999, 50_000, 50_001, 99_998):  # around the chunk borders
        rows[i] = ";" + rows[i].split(";", 1)[1]  # no id: derived from the row
    rows[50_002] += ";;  "  # wider than the header, only empty extra cells
    texts = ["RT @é: zie dit", "RT @ brand", "RT @_x: vlam", "RT @😀 rook", "rt @user: laag", "RT @\u0301x"]
    for k, t in enumerate(texts):
        i = 49_990 + 2 * k
        rows[i] = rows[i].rsplit(";", 1)[0] + f";{t} {i}"
    lines = ["id;datum;auteur;bron;bericht", *rows[:50_000], "", ";;;;", "  ;  ;;;", *rows[50_000:]]
    path = tmp_path / "odd.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    whole = read_messages(path.read_bytes(), filename=path.name)
    result = ingest_file(path, "Brand", engine=lp)
    assert result.rows == N == len(whole)
    with lp.connect() as conn:
        stored = conn.execute(select(store.messages.c.source_id, store.messages.c.is_repost)
                              .order_by(store.messages.c.id)).all()
    assert [s for s, _ in stored] == whole[S.SOURCE_ID].tolist()
    ids = [s for s, _ in stored]  # independent of the parser: blank lines skipped, no row lost or moved
    assert [i for i, s in enumerate(ids) if s.startswith("h_")] == [49_999, 50_000, 50_001, 99_998]
    assert ids[50_002] == "m50002" and ids[-1] == f"m{N - 1}" and ids[49_998] == "m49998"
    assert [bool(r) for _, r in stored] == whole[S.IS_REPOST].tolist()
    assert sum(bool(r) for _, r in stored) == 2  # "RT @é" and "RT @_x": a word character after the "@"


def test_arrow_gates_agree_with_the_python_regexes():
    import re

    texts = pd.Series(["RT @é: a", "RT @ a", "RT @_", "RT @", "RT @😀", "RT @\u0301x", "rt @a", " RT @a",
                       "RT @a", "\u200b\u00a0 \u2800", "\u200b a", "\ufeff", "\u3164\u115f", "x", "\u00ad"],
                      dtype="str")
    assert load._classic_retweet(texts).tolist() == texts.str.match(r"RT @\w").tolist()
    assert load._only_invisible(texts).tolist() == [bool(re.fullmatch(load._INVISIBLE_RE, t)) for t in texts]
    assert load._only_invisible(texts).any() and load._classic_retweet(texts).any()

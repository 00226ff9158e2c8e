"""Ingest: formats, encodings, aliases, dates, all-or-nothing errors, idempotency, crash safety."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from sqlalchemy import func, select

from pipeline import schema as S
from pipeline import store
from pipeline.ingest import IngestError, cli, ingest_file, ingest_frame, read_messages

REPO = Path(__file__).resolve().parents[1]

ROWS = [  # (id, datum, auteur, bron, tekst)
    ("1", "11-07-2026 14:05", "@Jan", "X", "Rook bij de haven, ramen dicht?"),
    ("2", "11-07-2026 14:06", "Piet", "Facebook", 'Zie "nieuws"; gezinnen, 3 weg\nnieuwe regel'),
]


def _csv(delim: str, rows=ROWS, header=("id", "datum", "auteur", "bron", "tekst")) -> str:
    buf = io.StringIO()
    import csv

    w = csv.writer(buf, delimiter=delim, lineterminator="\r\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def _records(rows=ROWS):
    return [dict(zip(("id", "datum", "auteur", "bron", "tekst"), r, strict=True)) for r in rows]


def _xlsx(rows=ROWS, header=("id", "datum", "auteur", "bron", "tekst")) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(list(header))
    for r in rows:
        ws.append(list(r))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


FORMATS = {
    "csv_comma": ("x.csv", _csv(",").encode()),
    "csv_semicolon": ("x.csv", _csv(";").encode()),
    "csv_tab": ("x.tsv", _csv("\t").encode()),
    "csv_pipe": ("x.txt", _csv("|").encode()),
    "json_array": ("x.json", json.dumps(_records()).encode()),
    "json_object": ("x.json", json.dumps({"meta": {"n": 2}, "data": _records()}).encode()),
    "ndjson": ("x.ndjson", "\n".join(json.dumps(r) for r in _records()).encode()),
    "xlsx": ("x.xlsx", _xlsx()),
}


def _count(engine, table=store.messages) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def _audit(engine) -> list[tuple[str, str]]:
    return list(store.load_audit(engine)[["action", "outcome"]].itertuples(index=False, name=None))


@pytest.mark.parametrize("name", list(FORMATS))
def test_formats_read_the_same_messages(name):
    filename, data = FORMATS[name]
    df = read_messages(data, filename=filename)
    assert df[S.SOURCE_ID].tolist() == ["1", "2"]
    assert df[S.PLATFORM].tolist() == ["twitter", "facebook"]  # "X" normalised
    assert df[S.TEXT].tolist() == [ROWS[0][4], ROWS[1][4]]  # quoted newline and ';' kept
    assert df["author_raw"].tolist() == ["@Jan", "Piet"]
    # 14:05 in Amsterdam summer time is 12:05 UTC
    assert df[S.CREATED_AT].tolist() == [pd.Timestamp("2026-07-11 12:05", tz="UTC"),
                                         pd.Timestamp("2026-07-11 12:06", tz="UTC")]
    assert list(df.columns) == [S.PLATFORM, S.SOURCE_ID, S.CREATED_AT, S.TEXT, "author_raw", "url_raw",
                                S.IS_REPLY, S.IS_REPOST, S.TIME_FLAG]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-be-bom", "cp1252"])
def test_encodings(encoding):
    text = "bericht;datum\nCafé één, ë en € 5;2026-07-11 10:00\n"
    if encoding == "utf-16-be-bom":
        data = b"\xfe\xff" + text.encode("utf-16-be")
    else:
        data = text.encode(encoding)
    df = read_messages(data, filename="x.csv")
    assert df[S.TEXT].tolist() == ["Café één, ë en € 5"]


@pytest.mark.parametrize("header, expected_author", [
    (("Bericht ID", "Publicatiedatum", "Gebruiker", "Kanaal", "Inhoud"), "@Jan"),  # Dutch
    (("message_id", "Created At", "Screen_Name", "Network", "Full Text"), "@Jan"),  # English
    (("GUID", " TIMESTAMP ", "Naam", "Medium", "Tekst"), "@Jan"),  # case and whitespace
    (("post_id", "publicatiedatum", "author", "platform", "body"), "@Jan"),
])
def test_header_aliases(header, expected_author):
    df = read_messages(_csv(";", header=header).encode(), filename="x.csv")
    assert df[S.SOURCE_ID].tolist() == ["1", "2"]
    assert df["author_raw"].iloc[0] == expected_author


def test_accented_header_alias():
    # "Bérícht" folds to "bericht"
    df = read_messages("Bérícht,Dätum\nhoi,2026-07-11 10:00\n".encode(), filename="x.csv")
    assert df[S.TEXT].tolist() == ["hoi"]


def test_separate_date_and_time_columns():
    data = b"datum;tijd;bericht\n11-07-2026;14:05;a\n11/07/2026;14:06:30;b\n"
    df = read_messages(data, filename="x.csv")
    assert df[S.CREATED_AT].tolist() == [pd.Timestamp("2026-07-11 12:05", tz="UTC"),
                                         pd.Timestamp("2026-07-11 12:06:30", tz="UTC")]


def test_xlsx_datetime_cells_and_date_time_cells():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["datum", "tijd", "bericht", "id"])
    ws.append([datetime(2026, 7, 11), datetime(2026, 7, 11, 14, 5).time(), "a", 123456789012.0])
    buf = io.BytesIO()
    wb.save(buf)
    df = read_messages(buf.getvalue(), filename="x.xlsx")
    assert df[S.CREATED_AT].tolist() == [pd.Timestamp("2026-07-11 12:05", tz="UTC")]
    assert df[S.SOURCE_ID].tolist() == ["123456789012"]  # float cell -> integer id


@pytest.mark.parametrize("value, expected", [
    ("2026-07-11T12:05:00Z", "2026-07-11 12:05"),  # ISO with Z
    ("2026-07-11T14:05:00+02:00", "2026-07-11 12:05"),  # ISO with offset
    ("2026-07-11 14:05", "2026-07-11 12:05"),  # naive ISO, local time
    ("11-07-2026 14:05:09", "2026-07-11 12:05:09"),  # DD-MM-YYYY HH:MM:SS
    ("11/07/2026", "2026-07-10 22:00"),  # DD/MM/YYYY, local midnight
    ("1783771500", "2026-07-11 12:05"),  # epoch seconds
    ("1783771500000", "2026-07-11 12:05"),  # epoch milliseconds
    ("Sat Jul 11 12:05:00 +0000 2026", "2026-07-11 12:05"),  # Twitter API
])
def test_date_formats(value, expected):
    df = read_messages(f"text,date\nhoi,{value}\n".encode(), filename="x.csv")
    assert df[S.CREATED_AT].iloc[0] == pd.Timestamp(expected, tz="UTC")
    assert df[S.TIME_FLAG].iloc[0] == ""


def test_dst_gap_and_ambiguous_are_kept_and_flagged():
    data = b"text,date\ngap,2026-03-29 02:30\nambiguous,2026-10-25 02:30\nnormal,2026-10-25 04:00\n"
    df = read_messages(data, filename="x.csv")
    assert df[S.TIME_FLAG].tolist() == ["dst_gap", "dst_ambiguous", ""]
    assert df[S.CREATED_AT].tolist() == [
        pd.Timestamp("2026-03-29 01:00", tz="UTC"),  # shifted forward to 03:00 CEST
        pd.Timestamp("2026-10-25 00:30", tz="UTC"),  # first occurrence: 02:30 CEST
        pd.Timestamp("2026-10-25 03:00", tz="UTC"),
    ]


def test_types_booleans_and_missing_ids():
    data = (b"text,date,type,author\n"
            b"a,2026-07-11 10:00,reactie,x\n"
            b"b,2026-07-11 10:00,Retweet,x\n"
            b"RT @x: c,2026-07-11 10:00,,x\n"  # classic retweet without a type value
            b"d,2026-07-11 10:00,post,x\n")
    df = read_messages(data, filename="x.csv")
    assert df[S.IS_REPLY].tolist() == [True, False, False, False]
    assert df[S.IS_REPOST].tolist() == [False, True, True, False]
    assert df[S.PLATFORM].unique().tolist() == ["onbekend"]
    assert df[S.SOURCE_ID].str.startswith("h_").all() and df[S.SOURCE_ID].is_unique
    again = read_messages(data, filename="x.csv")
    assert again[S.SOURCE_ID].tolist() == df[S.SOURCE_ID].tolist()  # derived ids are stable


def test_duplicate_ids_in_file_keep_first():
    df = read_messages(b"id,text,date\n1,a,2026-07-11 10:00\n1,a,2026-07-11 10:00\n2,c,2026-07-11 10:00\n",
                       filename="x.csv")
    assert df[S.TEXT].tolist() == ["a", "c"]
    assert df.attrs["duplicates_in_file"] == 1 and df.attrs["rows"] == 3


def test_same_id_with_another_text_in_file_is_rejected_not_dropped():
    data = b"id,text,date\n1,a,2026-07-11 10:00\n2,c,2026-07-11 10:00\n1,b,2026-07-11 10:00\n"
    with pytest.raises(IngestError, match=r"Rij 3 \(regel 4\): id staat ook in rij 1, maar met een andere "
                                          r"tekst") as info:
        read_messages(data, filename="x.csv")
    assert info.value.code == "id_conflict" and info.value.row == 3


def test_explicit_mapping_overrides_aliases():
    data = b"tekst,kolom_a,wanneer\nniet dit,wel dit,2026-07-11 10:00\n"
    df = read_messages(data, filename="x.csv", mapping={"kolom_a": "text", "wanneer": "created_at"})
    assert df[S.TEXT].tolist() == ["wel dit"]


@pytest.mark.parametrize("mapping, fragment", [
    ({"kolom_a": "tekstveld"}, "unknown target field"),  # unknown field
    ({"bestaat_niet": "text"}, "is not in the file"),  # mapped column missing
])
def test_bad_mapping_is_clear_error(mapping, fragment):
    with pytest.raises(IngestError, match=fragment):
        read_messages(b"kolom_a,date\nx,2026-07-11 10:00\n", filename="x.csv", mapping=mapping)


BROKEN = {
    # bad date in data row 3 (line 4 of the file)
    "bad_date": (b"text;datum\na;11-07-2026 10:00\nb;11-07-2026 10:01\nc;31-02-2026 10:00\n",
                 r"Rij 3 \(regel 4\): datum '31-02-2026 10:00' is geen geldige datum / Row 3 \(line 4\)"),
    # empty text in data row 2
    "empty_text": (b"text;datum\na;11-07-2026 10:00\n  ;11-07-2026 10:01\n",
                   r"Rij 2 \(regel 3\): tekst is leeg"),
    # unknown message type
    "bad_type": (b"text;datum;type\na;11-07-2026 10:00;foto\n", r"Rij 1 \(regel 2\): berichttype 'foto'"),
    # no text column: lists the columns found and the accepted names
    "no_text_col": (b"foo;datum\na;11-07-2026 10:00\n", r"Kolommen in het bestand: foo, datum.*bericht"),
    # random bytes
    "binary": (bytes(range(256)) * 8, r"geen (leesbaar )?tekstbestand"),
    "empty": (b"", "bestand is leeg"),
    "header_only": (b"text,date\n", "alleen een kopregel"),
    # row 2 has an extra column
    "column_count": (b"text,date\na,2026-07-11 10:00\nb,2026-07-11 10:00,extra\n",
                     r"Rij 2 \(regel 3\): 3 kolommen, verwacht 2"),
    "bad_json": (b'[{"text": "a", "date": "2026-07-11 10:00"},', "JSON kan niet gelezen worden"),
}


@pytest.mark.parametrize("name", list(BROKEN))
def test_broken_file_rejected_whole_and_database_unchanged(lp, tmp_path, name):
    data, pattern = BROKEN[name]
    path = tmp_path / ("bad.json" if name == "bad_json" else "bad.csv")
    path.write_bytes(data)
    before = _audit(lp)
    with pytest.raises(IngestError, match=pattern):
        ingest_file(path, "Brand", engine=lp)
    assert _count(lp) == 0
    assert _count(lp, store.batches) == 0
    assert _audit(lp)[:1] == [("ingest", "rejected")] and _audit(lp)[1:] == before


def test_rejected_after_valid_rows_writes_nothing(lp, tmp_path):
    good = "".join(f"{i},bericht {i},2026-07-11 10:00\n" for i in range(500))
    path = tmp_path / "late_error.csv"
    path.write_bytes(("id,text,date\n" + good + "999,laatste,niet-een-datum\n").encode())
    with pytest.raises(IngestError, match="Rij 501"):
        ingest_file(path, "Brand", engine=lp)
    assert _count(lp) == 0


def test_closed_or_unknown_incident_is_rejected(lp, tmp_path):
    path = tmp_path / "ok.csv"
    path.write_bytes(_csv(",").encode())
    with pytest.raises(IngestError, match="bestaat niet"):
        ingest_file(path, "Onbekend", engine=lp)
    store.close_incident(lp, store.get_incident(lp, "Brand")["id"], actor="test")
    with pytest.raises(IngestError, match="gesloten"):
        ingest_file(path, "Brand", engine=lp)
    assert _count(lp) == 0


def test_same_file_twice_and_overlap(lp, tmp_path):
    first = tmp_path / "a.csv"
    first.write_bytes(_csv(",").encode())
    r1 = ingest_file(first, "Brand", engine=lp)
    assert (r1.rows, r1.added, r1.duplicates_in_db) == (2, 2, 0)
    r2 = ingest_file(first, "Brand", engine=lp)
    assert (r2.rows, r2.added, r2.duplicates_in_db) == (2, 0, 2)
    overlap = tmp_path / "b.csv"
    overlap.write_bytes(_csv(",", rows=[*ROWS, ("3", "11-07-2026 14:07", "Kees", "X", "nieuw")]).encode())
    r3 = ingest_file(overlap, "Brand", engine=lp)
    assert (r3.rows, r3.added, r3.duplicates_in_db) == (3, 1, 2)
    assert _count(lp) == 3
    with lp.connect() as conn:
        batches = conn.execute(select(store.batches.c.rows, store.batches.c.added,
                                      store.batches.c.sha256)).fetchall()
    assert [(b.rows, b.added) for b in batches] == [(2, 2), (2, 0), (3, 1)]
    assert all(len(b.sha256) == 64 for b in batches)
    assert [a for a in _audit(lp) if a[0] == "ingest"] == [("ingest", "ok")] * 3


def test_ingest_frame_live_path(lp):
    frame = pd.DataFrame({"id": ["9"], "text": ["live @jan"], "created_at": [pd.Timestamp("2026-07-11 12:00",
                                                                                          tz="UTC")],
                          "author": ["jan"], "platform": ["x"]})
    result = ingest_frame(frame, "Brand", engine=lp)
    assert result.added == 1
    again = ingest_frame(frame, "Brand", engine=lp)
    assert again.added == 0
    stored = store.load_messages(lp, store.get_incident(lp, "Brand")["id"])
    assert stored[S.TEXT].tolist() == ["live [gebruiker]"]


def test_cli_summary_and_error_exit(lp, tmp_path, capsys):
    good = tmp_path / "good.csv"
    good.write_bytes(b"id,text,date\n1,a,2026-10-25 02:30\n2,b,2026-07-11 10:00\n")
    assert cli([str(good), "--incident", "Brand", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "2 rijen gelezen, 2 toegevoegd, 0 al aanwezig (1 tijden in zomertijd-sprong" in out
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"id,text,date\n3,a,gisteren\n")
    assert cli([str(bad), "--incident", "Brand"]) == 2
    assert "Rij 1 (regel 2)" in capsys.readouterr().err
    assert _count(lp) == 2
    mapped = tmp_path / "mapped.csv"
    mapped.write_bytes(b"x;y\nhallo;2026-07-11 10:00\n")
    assert cli([str(mapped), "--incident", "Brand", "--map", "x=text", "--map", "y=created_at",
                "--quiet"]) == 0
    assert _count(lp) == 3


def test_cli_subprocess_help_and_run(lp, tmp_path):
    env = {**os.environ}
    code = "from pipeline.ingest import cli; raise SystemExit(cli(['-h']))"
    run = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True,
                         timeout=60)
    assert run.returncode == 0 and "--incident" in run.stdout and "--map" in run.stdout
    path = tmp_path / "a.csv"
    path.write_bytes(_csv(";").encode())
    store.dispose_engines()
    run = subprocess.run([sys.executable, "-c", "from pipeline.ingest import cli; "
                          f"raise SystemExit(cli([{str(path)!r}, '--incident', 'Brand']))"],
                         cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert "2 rijen gelezen, 2 toegevoegd" in run.stdout
    assert "voortgang 100%" in run.stderr


def test_crash_during_ingest_loses_and_duplicates_nothing(lp, tmp_path):
    n = 60_000
    path = tmp_path / "big.csv"
    lines = ["id,text,date,author"] + [
        f"{i},bericht nummer {i} over de brand,2026-07-11 10:{i % 60:02d},u{i % 997}" for i in range(n)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    store.dispose_engines()
    code = f"from pipeline.ingest import cli; raise SystemExit(cli([{str(path)!r}, '--incident', 'Brand']))"
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=REPO, env=dict(os.environ),
                            stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    for line in proc.stderr:  # kill as soon as the insert phase has begun
        if "(opslaan)" in line or time.monotonic() > deadline:
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    engine = store.get_engine()
    with engine.connect() as conn:
        count = conn.execute(select(func.count()).select_from(store.messages)).scalar_one()
        distinct = conn.execute(select(func.count(func.distinct(store.messages.c[S.SOURCE_ID])))).scalar_one()
    assert count in (0, n)  # all or nothing, never a partial file
    assert distinct == count
    store.dispose_engines()
    result = ingest_file(path, "Brand", engine=store.get_engine())
    assert result.added == n - count
    assert _count(store.get_engine()) == n

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
from pipeline.cli.ingest import main as cli
from pipeline.ingest.load import IngestError, ingest_file, ingest_frame, read_messages, summary_line
from pipeline.storage import store

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


def test_same_id_with_the_same_words_in_another_exports_dress_is_a_repeat():
    # Real research files carry one tweet twice under its id: CT22 Arabic train with a double space,
    # CrisisLex T6 with "&amp;" / "&" and a quoted retweet wrapped in "“…”". The whole file was
    # rejected ("id staat ook in rij 298, maar met een andere tekst").
    data = ("id\ttext\tdate\n"
            "1\tbeste  buren, deel dit\t2026-07-11 10:00\n"
            "2\tGood @piet: tour the damage &amp; help #abflood\t2026-07-11 10:00\n"
            "1\tbeste buren,  deel dit \t2026-07-11 10:00\n"
            "2\tGood “@piet: tour the damage & help #abflood”\t2026-07-11 10:00\n"
            "3\td\t2026-07-11 10:00\n").encode()
    df = read_messages(data, filename="x.tsv")
    assert df[S.SOURCE_ID].tolist() == ["1", "2", "3"] and df.attrs["duplicates_in_file"] == 2
    assert "&amp;" in df[S.TEXT].iloc[1]  # the first one kept, as it was
    with pytest.raises(IngestError) as info:  # another word is still another message
        read_messages(data.replace(b"buren,  deel", b"buren,  lees"), filename="x.tsv")
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
    code = "from pipeline.cli.ingest import main; raise SystemExit(main(['-h']))"
    run = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True,
                         timeout=60)
    assert run.returncode == 0 and "--incident" in run.stdout and "--map" in run.stdout
    path = tmp_path / "a.csv"
    path.write_bytes(_csv(";").encode())
    store.dispose_engines()
    run = subprocess.run([sys.executable, "-c", "from pipeline.cli.ingest import main; "
                          f"raise SystemExit(main([{str(path)!r}, '--incident', 'Brand']))"],
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
    code = (f"from pipeline.cli.ingest import main; "
            f"raise SystemExit(main([{str(path)!r}, '--incident', 'Brand']))")
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


# --- issue 11: no silent data loss on odd files ------------------------------------------
def _ids(df) -> list[str]:
    return df[S.SOURCE_ID].tolist()


def test_xlsx_with_stale_dimension_reads_every_row():
    from tests.data.make_malformed import HEADER, rows, xlsx

    data = xlsx(HEADER, rows(100), dimension="A1:E10")  # the file claims 10 rows
    assert _ids(read_messages(data, filename="x.xlsx")) == [str(i) for i in range(1, 101)]


def test_utf8_file_with_one_cp1252_row_is_rejected_not_decoded_as_cp1252():
    data = ("bericht;datum\nCafé één;2026-07-11 10:00\n".encode()
            + "Caf\u00e9 twee;2026-07-11 10:01\n".encode("cp1252"))
    with pytest.raises(IngestError, match=r"regel 3: gemengde tekencodering.*/ line 3: mixed") as info:
        read_messages(data, filename="x.csv")
    assert info.value.code == "mixed_encoding" and info.value.line == 3
    # a file that is cp1252 throughout is still read, as cp1252
    whole = "bericht;datum\nCafé één;2026-07-11 10:00\n".encode("cp1252")
    assert read_messages(whole, filename="x.csv")[S.TEXT].tolist() == ["Café één"]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_read(encoding):
    data = "bericht;datum\nCafé;2026-07-11 10:00\n".encode(encoding)
    assert read_messages(data, filename="x.csv")[S.TEXT].tolist() == ["Café"]


def test_nul_is_named_with_line_and_encoding():
    data = b"bericht;datum\na;2026-07-11 10:00\nb\x00c;2026-07-11 10:01\n"
    with pytest.raises(IngestError, match=r"regel 3: NUL-teken \(U\+0000\) in het bestand \(gelezen als "
                                          r"utf-8\)"):
        read_messages(data, filename="x.csv")
    utf16 = "bericht;datum\na\x00;2026-07-11 10:00\n".encode("utf-16")
    with pytest.raises(IngestError, match=r"regel 2: NUL-teken .*gelezen als utf-16"):
        read_messages(utf16, filename="x.csv")


@pytest.mark.parametrize("char", ["\x07", "\x1b", "\x08", "\x80"])
def test_stray_control_character_becomes_a_space_and_is_counted(lp, tmp_path, char):
    path = tmp_path / "a.csv"
    path.write_text(f"bericht;datum\na;2026-07-11 10:00\nb{char}c;2026-07-11 10:01\n", encoding="utf-8")
    result = ingest_file(path, "Brand", engine=lp)
    assert (result.added, result.controls_replaced) == (2, 1)
    assert "1 besturingstekens vervangen door een spatie" in summary_line(result)
    stored = store.load_messages(lp, store.get_incident(lp, "Brand")["id"])
    assert sorted(stored[S.TEXT]) == ["a", "b c"]


def test_ndjson_with_raw_line_separator_is_accepted():
    data = '{"bericht": "een\u2028twee", "datum": "2026-07-11 10:00"}\n{"bericht": "b", "datum": ' \
           '"2026-07-11 10:01"}\n'
    assert read_messages(data.encode(), filename="x.ndjson")[S.TEXT].tolist() == ["een\u2028twee", "b"]


def test_excel_sep_line_is_honoured_and_line_numbers_kept():
    data = b"sep=;\r\nbericht;datum\r\na,b;2026-07-11 10:00\r\nc;gisteren\r\n"
    with pytest.raises(IngestError, match=r"Rij 2 \(regel 4\)"):
        read_messages(data, filename="x.csv")
    assert read_messages(data[:-len(b"c;gisteren\r\n")], filename="x.csv")[S.TEXT].tolist() == ["a,b"]


@pytest.mark.parametrize("header", ["Bericht;Datum;Bericht", "bericht;Datum;datum", "tekst;datum; TEKST"])
def test_duplicate_mapped_headers_are_rejected(header):
    data = f"{header}\na;2026-07-11 10:00;b\n".encode()
    with pytest.raises(IngestError, match="komt meer dan eens voor") as info:
        read_messages(data, filename="x.csv")
    assert info.value.code == "duplicate_column"


def test_json_with_two_message_lists_is_rejected():
    doc = {"data": _records(), "items": _records()[:1]}
    with pytest.raises(IngestError, match=r"2 lijsten met berichten \('data', 'items'\)"):
        read_messages(json.dumps(doc).encode(), filename="x.json")


def test_xlsx_cell_beyond_the_header_is_rejected():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["bericht", "datum"])
    ws.append(["a", "2026-07-11 10:00"])
    ws.append(["b", "2026-07-11 10:01", None, "los"])
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(IngestError, match=r"Rij 2 \(regel 3\): cel D3 staat buiten de kopregel"):
        read_messages(buf.getvalue(), filename="x.xlsx")


@pytest.mark.parametrize("value, fragment", [
    (["rook", "[gebruiker]"], "veld text is een lijst"),
    ({"a": ["b"]}, r"Rij 2: veld text is een object"),  # flattened to "bericht.a" by json_normalize
    (True, "veld text is een ja/nee-waarde"),
])
def test_text_that_is_not_a_string_is_rejected(value, fragment):
    recs = [{"bericht": "a", "datum": "2026-07-11 10:00"}, {"bericht": value, "datum": "2026-07-11 10:01"}]
    with pytest.raises(IngestError, match=fragment):
        read_messages(json.dumps(recs).encode(), filename="x.json")


@pytest.mark.parametrize("text", ["\u200b\u200b", "\u200d \ufeff", "\u3164", "\u2060\u200e"])
def test_text_of_invisible_characters_only_is_rejected(text):
    data = f"bericht;datum\nzichtbaar;2026-07-11 10:00\n{text};2026-07-11 10:01\n".encode()
    with pytest.raises(IngestError, match=r"Rij 2 \(regel 3\): tekst bestaat alleen uit onzichtbare tekens"):
        read_messages(data, filename="x.csv")
    # a visible text with a zero-width character inside is kept as it is
    ok = read_messages("bericht;datum\nro\u200bok;2026-07-11 10:00\n".encode(), filename="x.csv")
    assert ok[S.TEXT].tolist() == ["ro\u200bok"]


def test_second_file_reusing_ids_with_other_texts_is_rejected_naming_the_row(lp, tmp_path):
    first = tmp_path / "a.csv"
    first.write_text("id,text,date\n" + "".join(f"{i},rook bij de haven {i},2026-07-11 10:00\n"
                                                 for i in range(5)), encoding="utf-8")
    assert ingest_file(first, "Brand", engine=lp).added == 5
    second = tmp_path / "b.csv"
    second.write_text("id,text,date\n5,nieuw bericht,2026-07-11 11:00\n"
                      + "".join(f"{i},iets heel anders nummer {i},2026-07-11 11:00\n" for i in range(1, 3)),
                      encoding="utf-8")
    with pytest.raises(IngestError, match=r"Rij 2: id is al opgeslagen in dit incident met een andere tekst "
                                          r"\(en nog 1 andere rijen\)"):
        ingest_file(second, "Brand", engine=lp)
    assert _count(lp) == 5  # nothing of the second file, not even its new row
    # the same messages again (an overlapping export) are still "al aanwezig"
    again = tmp_path / "c.csv"
    again.write_text("id,text,date\n1,rook bij de haven 1,2026-07-11 10:00\n9,nieuw,2026-07-11 10:00\n",
                     encoding="utf-8")
    result = ingest_file(again, "Brand", engine=lp)
    assert (result.added, result.duplicates_in_db) == (1, 1)


@pytest.mark.parametrize("when", ["11-07-2099 10:00", "01-07-2026 10:00", "4087036800"])
def test_message_outside_the_plausible_window_is_rejected(lp, tmp_path, when):
    path = tmp_path / "a.csv"
    path.write_text(f"text;date\na;11-07-2026 10:00\nb;{when}\n", encoding="utf-8")
    with pytest.raises(IngestError, match=r"Rij 2 \(regel 3\): tijd .* valt buiten de plausibele periode "
                                          r"04-07-2026 02:00 – "):
        ingest_file(path, "Brand", engine=lp)
    assert _count(lp) == 0
    # six days before the incident start is plausible (monitoring often starts a little early)
    path.write_text("text;date\na;05-07-2026 10:00\n", encoding="utf-8")
    assert ingest_file(path, "Brand", engine=lp).added == 1


def test_plausible_window_bounds():
    from pipeline.ingest.load import plausible_window

    inc = {"start_at": datetime(2026, 7, 11, 12, 0)}
    lo, hi = plausible_window(inc, now=pd.Timestamp("2026-07-20 08:00", tz="UTC"))
    assert lo == pd.Timestamp("2026-07-04 12:00", tz="UTC")
    assert hi == pd.Timestamp("2026-07-21 08:00", tz="UTC")


def test_limits_give_clear_errors_not_tracebacks():
    deep = b"[" * 5000 + b"]" * 5000
    with pytest.raises(IngestError, match="dieper genest dan 32 niveaus") as info:
        read_messages(deep, filename="x.json")
    assert info.value.code == "json_depth"
    wide = (";".join(f"kolom{j}" for j in range(100_000)) + "\n" + ";" * 99_999 + "\n").encode()
    with pytest.raises(IngestError, match="100000 kolommen; maximaal 1000") as info:
        read_messages(wide, filename="x.csv")
    assert len(str(info.value)) < 300


def test_xlsx_zip_bomb_is_refused_before_parsing():
    from tests.data.make_malformed import _bomb

    data = _bomb(1_100_000)
    assert len(data) < 1_000_000  # under a megabyte on disk
    with pytest.raises(IngestError, match="meer dan 1.000.000 rijen") as info:
        read_messages(data, filename="x.xlsx")
    assert info.value.code == "too_many_rows"


def test_bad_sheet_xml_is_a_clear_error():
    from tests.data.make_malformed import HEADER, _inline_row, _sheet, rows, xlsx

    good = _inline_row(1, ["bericht", "datum"]) + _inline_row(2, ["a", "2026-07-11 10:00"])
    data = xlsx(HEADER, rows(3), sheet_xml=_sheet(good * 3)[:-60])  # cut off inside the third row
    with pytest.raises(IngestError, match=r"Rij \d+ \(regel \d+\): XLSX-werkblad kan niet verder gelezen "
                                          "worden") as info:
        read_messages(data, filename="x.xlsx")
    assert info.value.code == "xlsx_damaged"


def test_rejected_import_is_audited_by_reason_code_without_values(lp, tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("text;date;author\nGeheime tekst van Jan;morgen om drie;@jan.jansen\n", encoding="utf-8")
    with pytest.raises(IngestError, match="morgen om drie"):  # the user sees the value ...
        ingest_file(path, "Brand", engine=lp)
    entry = store.load_audit(lp).iloc[0]
    assert (entry["outcome"], entry["reason"]) == ("rejected", "bad_date")
    details = json.loads(entry["details"])
    assert (details["code"], details["row"], details["line"]) == ("bad_date", 1, 2)
    logged = store.load_audit(lp).astype(str).to_csv()
    assert "morgen" not in logged and "Geheime" not in logged and "jansen" not in logged  # ... the log not


@pytest.mark.parametrize("stored, new, other", [
    ("Rook bij [gebruiker] de haven", "Rook bij jan de haven", False),  # scrubbed in another batch
    ("zie [link] nu", "zie https://x.com/a/b nu", False),
    ("Rook!", "rook", False),
    # one tweet as two research exports wrote it (CrisisLex T6 and T26 under one id)
    ("tour the damage &amp; help http://t.co/x", "tour the damage & help http://t.co/x", False),
    ("Good @piet: tour the damage", "Good “@piet: tour the damage”", False),
    ("again here.\\#qldfloods", "again here. #qldfloods", False),
    ("fish &amp; chips", "fish and chips", True),  # an entity is not a word
    ("Rook bij de haven", "Rook bij de school", True),  # one word for another
    ("rook bij de haven", "rook bij de haven, ramen dicht", True),  # words added
    ("bericht 0", "melding 0", True),
])
def test_same_id_other_text_tells_scrub_variants_from_other_messages(stored, new, other):
    from pipeline.ingest.load import other_text

    assert other_text(stored, new) is other


def test_file_over_the_size_limit_is_refused_before_reading_and_audited(lp, tmp_path, monkeypatch):
    from pipeline.ingest import load as ingest

    monkeypatch.setattr(ingest, "MAX_FILE_BYTES", 1000)
    path = tmp_path / "groot.csv"
    path.write_bytes(b"text,date\n" + b"x,2026-07-11 10:00\n" * 100)
    with pytest.raises(IngestError, match="MB per bestand") as info:
        ingest_file(path, "Brand", engine=lp)
    assert info.value.code == "too_large"
    assert store.load_audit(lp).iloc[0][["outcome", "reason"]].tolist() == ["rejected", "too_large"]


REAL_FILES = {  # path under ../shared/data -> explicit mapping (None: aliases suffice)
    "ct22_dutch_dev/dev_ct22_dutch.tsv": None,
    "ct22_dutch_train_half/ct22_dutch_train_half.tsv": None,
    "crisislex_t26_dev/dev_t26.tsv": {"created_at_utc_from_id": "created_at"},
    "nl_political_tweets/raw_tweets_timestamped_example.tsv": None,
}


@pytest.mark.parametrize("name", list(REAL_FILES))
def test_real_research_files_import_every_row(name):
    import csv as csv_module
    import re

    from tests.conftest import SHARED_DATA

    path = SHARED_DATA / name
    if not path.exists():
        pytest.skip(f"real data absent: {path} (see /work/shared/data/README.md)")
    df = read_messages(path, mapping=REAL_FILES[name])
    with path.open(encoding="utf-8", newline="") as fh:
        records = list(csv_module.DictReader(fh, delimiter="\t", strict=True))
    assert df.attrs["rows"] == len(records)
    assert len(df) + df.attrs["duplicates_in_file"] == len(records)  # nothing silently dropped
    column = next(c for c in ("text", "content", "CONTENT") if c in records[0])
    expected = [re.sub("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]", " ", r[column]) for r in records]
    assert set(df[S.TEXT]) == set(expected)  # texts arrive whole; stray control characters as spaces


def test_ingest_runs_no_count_per_chunk_on_sqlite(lp, tmp_path, monkeypatch):
    from sqlalchemy import event

    from pipeline.ingest import load as ingest

    monkeypatch.setattr(ingest, "PROGRESS_EVERY", 2)  # five chunks
    path = tmp_path / "a.csv"
    path.write_text("id,text,date\n" + "".join(f"{i},bericht {i},2026-07-11 10:00\n" for i in range(10)),
                    encoding="utf-8")
    statements: list[str] = []
    listener = lambda conn, cursor, sql, *args: statements.append(sql.lower())  # noqa: E731
    event.listen(lp, "before_cursor_execute", listener)
    try:
        first = ingest_file(path, "Brand", engine=lp)
        again = ingest_file(path, "Brand", engine=lp)
    finally:
        event.remove(lp, "before_cursor_execute", listener)
    assert (first.added, again.added, again.duplicates_in_db) == (10, 0, 10)
    assert not [s for s in statements if "count(" in s and "messages" in s]


def test_confirmed_earlier_messages_are_imported_but_the_future_never(lp, tmp_path):
    """A person may confirm that messages before the incident belong to it; no one can confirm 2099."""
    from pipeline.ingest.load import IngestError, ingest_file
    from pipeline.storage import store as _store

    _store.create_incident(lp, name="Later", purpose="test", legal_basis="Wvr", responsible_officer="OVD-C",
                           start_at=pd.Timestamp("2026-12-01 10:00", tz="UTC").to_pydatetime())
    old = tmp_path / "old.csv"
    old.write_text("id,text,date,author\nold-1,rook bij de haven,2026-07-11 14:00,jan\n", encoding="utf-8")
    with pytest.raises(IngestError):
        ingest_file(old, "Later", engine=lp)
    assert ingest_file(old, "Later", engine=lp, allow_earlier=True).added == 1
    future = tmp_path / "future.csv"
    future.write_text("id,text,date,author\nf-1,rook,2099-07-11 14:00,jan\n", encoding="utf-8")
    with pytest.raises(IngestError):
        ingest_file(future, "Later", engine=lp, allow_earlier=True)


@pytest.mark.parametrize(("data", "nl", "where"), [
    (b'[{"text": "a", "date": "2026-07-11 10:00"}, ]',
     "JSON kan niet gelezen worden: fout bij regel 1, kolom", "line 1, column"),
    (b'{"text": "a", "date": "2026-07-11 10:00"}\n{"text": "b", "date": }\n',
     "Rij 2 (regel 2): geen geldige JSON (fout bij kolom", "not valid JSON"),
])
def test_a_json_error_is_dutch_with_line_and_column_and_english_keeps_the_parser_detail(data, nl, where):
    from pipeline.ingest.load import read_messages

    with pytest.raises(IngestError) as caught:
        read_messages(data, filename="bad.json")
    assert caught.value.nl.startswith(nl), caught.value.nl
    assert "Expecting" not in caught.value.nl
    assert where in caught.value.en and "Expecting value" in caught.value.en


def test_a_csv_syntax_error_is_dutch_and_english_keeps_the_parser_detail():
    """Python's csv message is English: the Dutch text names the row, the line and what to check."""
    from pipeline.ingest.load import read_messages

    with pytest.raises(IngestError) as caught:
        read_messages(b'id,text,created_at\n1,"ab"c,2026-07-11 12:00\n', filename="x.csv")
    assert caught.value.nl == ("Rij 1 (regel 2): CSV kan niet gelezen worden (controleer de aanhalingstekens "
                               "in deze regel)")
    assert caught.value.code == "csv_syntax" and "expected after" in caught.value.en

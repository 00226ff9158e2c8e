"""Generate the malformed-file corpus for the ingest hardening test (issue 11).

`generate()` returns the cases in memory; `python tests/data/make_malformed.py DIR`
writes them as files plus `expected.json` (one record per file) so the corpus
can be rerun by hand or by another tool. Every case names what ingest must
do with the file: import it completely ("ok", number of messages stored) or
reject it with a clear error ("error", reason code of `pipeline.ingest.load.REASONS`).

Every cell value carries the marker `GEHEIM` (and authors look like
`@jan.jansen`), so a test can prove that no value of a rejected file reaches
the audit log. All message times are on 11 July 2026, the start of the test
incident; "before" names a file that is imported first (id-reuse cases).
"""

from __future__ import annotations

import csv
import io
import json
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

MARKER = "GEHEIM"
AUTHOR = "@jan.jansen"
HEADER = ("id", "datum", "auteur", "bron", "bericht")


@dataclass(frozen=True)
class Case:
    """One corpus file and what ingest must do with it."""

    name: str  # unique file stem
    cls: str  # class of malformation
    filename: str
    data: bytes
    expect: str  # "ok" or "error"
    value: int | str  # ok: messages stored; error: reason code
    before: tuple[str, bytes] | None = None  # (filename, bytes) imported first


def rows(n: int, start: int = 1, text: str = "Rook bij de haven {i} " + MARKER) -> list[tuple[str, ...]]:
    return [
        (str(i), f"11-07-2026 14:{i % 60:02d}", AUTHOR, "X", text.format(i=i))
        for i in range(start, start + n)
    ]


def to_csv(data_rows, header=HEADER, delim: str = ";") -> str:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delim, lineterminator="\r\n")
    w.writerow(header)
    w.writerows(data_rows)
    return buf.getvalue()


def records(data_rows, header=HEADER) -> list[dict]:
    return [dict(zip(header, r, strict=True)) for r in data_rows]


def xlsx(header, data_rows, sheet_xml: bytes | None = None, dimension: str | None = None) -> bytes:
    """Return XLSX bytes written by openpyxl; optionally replace the sheet XML or its <dimension>."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(list(header))
    for r in data_rows:
        ws.append(list(r))
    buf = io.BytesIO()
    wb.save(buf)
    if sheet_xml is None and dimension is None:
        return buf.getvalue()
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                if sheet_xml is not None:
                    content = sheet_xml
                if dimension is not None:
                    import re

                    content = re.sub(
                        rb'<dimension ref="[^"]*"', f'<dimension ref="{dimension}"'.encode(), content
                    )
            dst.writestr(info.filename, content)
    return out.getvalue()


def _sheet(rows_xml: bytes) -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<dimension ref="A1"/><sheetData>' + rows_xml + b"</sheetData></worksheet>"
    )


def _inline_row(r: int, values: list[str]) -> bytes:
    cells = b"".join(
        f'<c r="{chr(65 + j)}{r}" t="inlineStr"><is><t>{v}</t></is></c>'.encode()
        for j, v in enumerate(values)
    )
    return f'<row r="{r}">'.encode() + cells + b"</row>"


def _bomb(n_rows: int) -> bytes:
    """An XLSX whose sheet holds `n_rows` rows but compresses to a small file."""
    base = xlsx(("bericht", "datum"), [("a " + MARKER, "2026-07-11 10:00")])
    src = zipfile.ZipFile(io.BytesIO(base))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                dst.writestr(info.filename, src.read(info.filename))
        with dst.open("xl/worksheets/sheet1.xml", "w") as fh:
            fh.write(
                b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxml'
                b'formats.org/spreadsheetml/2006/main"><dimension ref="A1:B2"/><sheetData>'
            )
            fh.write(_inline_row(1, ["bericht", "datum"]))
            row = _inline_row(2, ["rook " + MARKER, "2026-07-11 10:00"]).replace(b' r="2"', b"")
            row = row.replace(b' r="A2"', b"").replace(b' r="B2"', b"")
            chunk = row * 10_000
            for _ in range(n_rows // 10_000):
                fh.write(chunk)
            fh.write(b"</sheetData></worksheet>")
    return out.getvalue()


def _big_entry(megabytes: int) -> bytes:
    """An XLSX with an extra zip entry of `megabytes` MB of spaces (decompressed-size bomb)."""
    base = xlsx(("bericht", "datum"), [("a " + MARKER, "2026-07-11 10:00")])
    src = zipfile.ZipFile(io.BytesIO(base))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info.filename))
        with dst.open("xl/media/padding.bin", "w", force_zip64=True) as fh:
            block = b" " * 2**20
            for _ in range(megabytes):
                fh.write(block)
    return out.getvalue()


def _nested(depth: int) -> str:
    """Return the JSON text of objects nested `depth` deep (json.dumps itself would recurse)."""
    return '{"a": ' * depth + json.dumps("diep " + MARKER) + "}" * depth


def generate(big: bool = True) -> list[Case]:  # noqa: PLR0915 - one long list of cases by class
    """Return all corpus cases; `big` False leaves out the slow size-limit bombs."""
    cases: list[Case] = []

    def add(
        cls: str,
        name: str,
        filename: str,
        data: bytes | str,
        expect: str,
        value: int | str,
        before: tuple[str, bytes] | None = None,
    ) -> None:
        raw = data.encode("utf-8") if isinstance(data, str) else data
        cases.append(Case(f"{cls}__{name}", cls, filename, raw, expect, value, before))

    five = rows(5)
    base = to_csv(five)

    # 1. valid baselines in every format (a corpus that rejects everything proves nothing)
    add("valid", "csv_semicolon", "a.csv", base, "ok", 5)
    add(
        "valid",
        "csv_comma_quoted_newline",
        "a.csv",
        to_csv(
            [*rows(3), ("9", "11-07-2026 15:00", AUTHOR, "X", 'regel 1\nregel 2; "quote" ' + MARKER)],
            delim=",",
        ),
        "ok",
        4,
    )
    add("valid", "tsv", "a.tsv", to_csv(five, delim="\t"), "ok", 5)
    add("valid", "json_array", "a.json", json.dumps(records(five)), "ok", 5)
    add("valid", "json_object", "a.json", json.dumps({"meta": {"n": 5}, "data": records(five)}), "ok", 5)
    add("valid", "ndjson", "a.ndjson", "\n".join(json.dumps(r) for r in records(five)), "ok", 5)
    add("valid", "xlsx", "a.xlsx", xlsx(HEADER, five), "ok", 5)
    add(
        "valid",
        "injection_payloads",
        "a.csv",
        to_csv(
            [
                ("1", "11-07-2026 14:00", AUTHOR, "X", '=HYPERLINK("http://x") ' + MARKER),
                ("2", "11-07-2026 14:01", AUTHOR, "X", "![x](//host/p.png) <script>x</script> " + MARKER),
                ("3", "11-07-2026 14:02", AUTHOR, "X", "+SUM(1) @jan " + MARKER),
            ]
        ),
        "ok",
        3,
    )

    # 2. stale <dimension>: openpyxl read_only would read only the first rows
    for n, dim in ((100, "A1:E10"), (50, "A1:E1"), (20, "A1:B3"), (30, "A1")):
        add(
            "xlsx_stale_dimension",
            f"{n}_{dim.replace(':', '-')}",
            "a.xlsx",
            xlsx(HEADER, rows(n), dimension=dim),
            "ok",
            n,
        )

    # 3. UTF-8 file with one line in cp1252
    for bad in (1, 3, 5):
        body = [ln.encode("utf-8") for ln in base.split("\r\n")]
        utf8 = 2 if bad == 1 else 1
        body[utf8] = f"{utf8};11-07-2026 14:0{utf8};{AUTHOR};X;Café één {MARKER}".encode()
        body[bad] = f"{bad};11-07-2026 14:0{bad};{AUTHOR};X;Caf\u00e9 cp1252 {MARKER}".encode("cp1252")
        add("mixed_encoding", f"cp1252_row_{bad}", "a.csv", b"\r\n".join(body), "error", "mixed_encoding")
    add(
        "mixed_encoding",
        "utf8_euro_then_cp1252_quote",
        "a.csv",
        base.replace("haven 2", "haven € 2").encode()
        + "9;11-07-2026 14:09;x;X;\u201cquote\u201d".encode("cp1252"),
        "error",
        "mixed_encoding",
    )
    add(
        "mixed_encoding",
        "bom_then_cp1252",
        "a.csv",
        b"\xef\xbb\xbf" + base.encode() + f"9;11-07-2026 14:09;x;X;Caf\u00e9 {MARKER}".encode("cp1252"),
        "error",
        "mixed_encoding",
    )

    # 4. single-encoding files that must import whole
    add(
        "encoding_ok",
        "cp1252_whole",
        "a.csv",
        to_csv(rows(4, text="Café één {i} € " + MARKER)).encode("cp1252"),
        "ok",
        4,
    )
    add("encoding_ok", "utf8_bom", "a.csv", b"\xef\xbb\xbf" + base.encode(), "ok", 5)
    add("encoding_ok", "utf16_bom", "a.csv", base.encode("utf-16"), "ok", 5)
    add("encoding_ok", "utf8_emoji_arabic", "a.csv", to_csv(rows(3, text="🔥 حريق {i} " + MARKER)), "ok", 3)

    # 5. UTF-16 without a byte-order mark (read by its zero bytes)
    add("utf16_no_bom", "le", "a.csv", base.encode("utf-16-le"), "ok", 5)
    add("utf16_no_bom", "be", "a.csv", base.encode("utf-16-be"), "ok", 5)
    add(
        "utf16_no_bom",
        "le_accents",
        "a.csv",
        to_csv(rows(4, text="Café {i} " + MARKER)).encode("utf-16-le"),
        "ok",
        4,
    )
    add(
        "utf16_no_bom",
        "le_odd_length",
        "a.csv",
        b"\xff\xfe" + base.encode("utf-16-le") + b"\x00",
        "error",
        "encoding",
    )

    # 6. NUL and other control characters: a NUL rejects the file (damaged or wrong encoding);
    #    a stray backspace or C1 character (real tweets carry them) becomes a space, counted
    add("control_chars", "u0000", "a.csv", base.replace("haven 3", "haven\x003"), "error", "control_char")
    add(
        "control_chars",
        "u0000_in_header",
        "a.csv",
        "id;da\x00tum" + base[len("id;datum") :],
        "error",
        "control_char",
    )
    for ch in ("\x07", "\x1b", "\x0b", "\x08", "\x80", "\x9f"):
        add("control_chars", f"u{ord(ch):04x}", "a.csv", base.replace("haven 3", "haven" + ch + "3"), "ok", 5)
    add(
        "control_chars",
        "json_escaped_bell",
        "a.json",
        json.dumps(records(rows(2, text="rook\u0007 {i}"))),
        "ok",
        2,
    )
    add(
        "control_chars",
        "text_of_controls_only",
        "a.csv",
        to_csv([*rows(2), ("3", "11-07-2026 14:03", AUTHOR, "X", "\x08\x08")]),
        "error",
        "empty_text",
    )
    add(
        "control_chars",
        "json_escaped_nul",
        "a.json",
        json.dumps(records(rows(2, text="rook\u0000 {i} " + MARKER))),
        "error",
        "control_char",
    )

    # 7. binary content
    add("binary", "random_bytes", "a.csv", bytes(range(256)) * 8, "error", "encoding")
    add("binary", "png", "a.csv", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "error", "encoding")
    add("binary", "many_nuls", "a.csv", b"bericht;datum\n" + b"\x00\x01\x02\x03" * 500, "error", "binary")
    add("binary", "pdf", "a.txt", b"%PDF-1.4\n" + b"\x00\x9d\x81" * 300, "error", "encoding")

    # 8. NDJSON with raw Unicode line and paragraph separators inside a text
    for sep in ("\u2028", "\u2029", "\u0085", "\u000c"):
        recs = records(rows(3, text="regel een" + sep + "regel twee {i} " + MARKER))
        add(
            "ndjson_unicode_breaks",
            f"u{ord(sep):04x}",
            "a.ndjson",
            "\n".join(json.dumps(r, ensure_ascii=False) for r in recs),
            "ok",
            3,
        )

    # 9. Excel's "sep=" first line
    for delim in (";", ",", "\t", "|"):
        add(
            "excel_sep_line",
            f"sep_{ord(delim)}",
            "a.csv",
            f"sep={delim}\r\n" + to_csv(five, delim=delim),
            "ok",
            5,
        )
    add("excel_sep_line", "bom_sep", "a.csv", "\ufeffsep=;\r\n" + base, "ok", 5)

    # 10. duplicate mapped headers
    dup_headers = {
        "two_bericht": ("id", "datum", "auteur", "Bericht", "Bericht"),
        "two_datum": ("id", "Datum", "auteur", "Datum", "bericht"),
        "bericht_case_space": ("id", "datum", "auteur", "bericht", " BERICHT "),
        "two_ids": ("ID", "datum", "id", "bron", "bericht"),
    }
    for name, header in dup_headers.items():
        add("duplicate_header", name, "a.csv", to_csv(five, header=header), "error", "duplicate_column")
    add(
        "duplicate_header",
        "xlsx_two_bericht",
        "a.xlsx",
        xlsx(("id", "datum", "auteur", "bericht", "bericht"), five),
        "error",
        "duplicate_column",
    )

    # 11. JSON with more than one list of messages
    add(
        "json_ambiguous",
        "data_and_items",
        "a.json",
        json.dumps({"data": records(five), "items": records(rows(2, start=7))}),
        "error",
        "json_ambiguous",
    )
    add(
        "json_ambiguous",
        "equal_lengths",
        "a.json",
        json.dumps({"a": records(rows(2)), "b": records(rows(2, start=3))}),
        "error",
        "json_ambiguous",
    )
    add(
        "json_ambiguous",
        "three_lists",
        "a.json",
        json.dumps({"x": records(rows(1)), "y": records(rows(1)), "z": records(rows(1))}),
        "error",
        "json_ambiguous",
    )
    add(
        "json_ambiguous",
        "list_and_empty",
        "a.json",
        json.dumps({"data": records(five), "errors": []}),
        "ok",
        5,
    )

    # 12. XLSX cells beyond the header
    for col in (6, 8, 30):
        extra = [list(r) for r in five]
        extra[2] = extra[2] + [None] * (col - 6) + ["los " + MARKER]
        add("xlsx_extra_cell", f"col_{col}", "a.xlsx", xlsx(HEADER, extra), "error", "column_count")
    add(
        "xlsx_extra_cell",
        "empty_extra_is_fine",
        "a.xlsx",
        xlsx(HEADER, [[*r, None, ""] for r in five]),
        "ok",
        5,
    )

    # 13. texts that are not strings
    for name, value in (
        ("list", ["rook", "[gebruiker]", MARKER]),
        ("list_of_objects", [{"t": MARKER}]),
        ("boolean", True),
        ("empty_list", []),
    ):
        recs = records(five)
        recs[1]["bericht"] = value
        add("text_not_string", name, "a.json", json.dumps(recs), "error", "not_text")
    recs = records(five)
    recs[1]["auteur"] = [AUTHOR, MARKER]
    add("text_not_string", "author_list", "a.json", json.dumps(recs), "error", "not_text")

    # 14. texts of invisible characters only
    for name, value in (
        ("zwsp", "\u200b\u200b"),
        ("zwj_zwnj", "\u200d\u200c"),
        ("bom_word_joiner", "\ufeff\u2060"),
        ("hangul_filler", "\u3164"),
        ("bidi_marks", "\u200e\u200f\u202a"),
    ):
        add(
            "invisible_text",
            name,
            "a.csv",
            to_csv([*rows(2), ("3", "11-07-2026 14:03", AUTHOR, "X", value)]),
            "error",
            "invisible_text",
        )

    # 15. ids reused with other texts (in the file, or by a second file)
    add(
        "id_conflict",
        "in_file",
        "a.csv",
        to_csv([*five, ("3", "11-07-2026 14:09", AUTHOR, "X", "heel ander bericht " + MARKER)]),
        "error",
        "id_conflict",
    )
    other = to_csv(
        [
            (str(i), "11-07-2026 15:00", AUTHOR, "X", f"geheel andere melding {i} {MARKER}")
            for i in range(1, 6)
        ]
    )
    add(
        "id_conflict",
        "second_file_row_numbers",
        "b.csv",
        other,
        "error",
        "id_conflict",
        before=("a.csv", base.encode()),
    )
    add(
        "id_conflict",
        "second_file_partial",
        "b.csv",
        to_csv([*rows(2, start=6), ("4", "11-07-2026 15:00", AUTHOR, "X", "niets gemeen " + MARKER)]),
        "error",
        "id_conflict",
        before=("a.csv", base.encode()),
    )
    add(
        "id_conflict",
        "second_file_same_texts",
        "b.csv",
        to_csv(rows(7)),
        "ok",
        2,
        before=("a.csv", base.encode()),
    )
    add(
        "id_conflict",
        "second_file_one_word_changed",
        "b.csv",
        to_csv([("2", "11-07-2026 14:02", AUTHOR, "X", f"Rook bij de school 2 {MARKER}")]),
        "error",
        "id_conflict",
        before=("a.csv", base.encode()),
    )
    add("id_conflict", "in_file_identical_repeat", "a.csv", to_csv([*five, five[0]]), "ok", 5)

    # 16. implausible times
    for name, when in (
        ("year_2099", "11-07-2099 14:00"),
        ("year_1995", "11-07-1995 14:00"),
        ("epoch_ms_2099", "4087036800000"),
        ("two_weeks_before", "20-06-2026 10:00"),
        ("next_year", "11-07-2027 10:00"),
    ):
        add(
            "time_range",
            name,
            "a.csv",
            to_csv([*rows(3), ("9", when, AUTHOR, "X", "tijdreis " + MARKER)]),
            "error",
            "time_range",
        )
    add(
        "time_range",
        "six_days_before_is_fine",
        "a.csv",
        to_csv([*rows(3), ("9", "05-07-2026 10:00", AUTHOR, "X", "vooraf " + MARKER)]),
        "ok",
        4,
    )

    # 17. JSON nested too deeply
    for depth in (5000, 100):
        add("json_depth", f"array_{depth}", "a.json", "[" * depth + "]" * depth, "error", "json_depth")
        rec = json.dumps(records(rows(1))[0])[:-1] + ', "extra": ' + _nested(depth) + "}"
        add("json_depth", f"record_{depth}", "a.json", f"[{rec}]", "error", "json_depth")
    add(
        "json_depth",
        "ndjson_5000",
        "a.ndjson",
        json.dumps(records(rows(1))[0]) + "\n" + _nested(5000),
        "error",
        "json_depth",
    )

    # 18. bad sheet XML and damaged archives
    good_rows = _inline_row(1, list(HEADER)) + _inline_row(2, ["1", "11-07-2026 14:00", AUTHOR, "X", MARKER])
    add(
        "xlsx_bad_xml",
        "truncated",
        "a.xlsx",
        xlsx(HEADER, five, sheet_xml=_sheet(good_rows)[:-40]),
        "error",
        "xlsx_damaged",
    )
    add(
        "xlsx_bad_xml",
        "unclosed_tag",
        "a.xlsx",
        xlsx(HEADER, five, sheet_xml=_sheet(good_rows + b"<row r='3'><c><is><t>x</t></row>")),
        "error",
        "xlsx_damaged",
    )
    add(
        "xlsx_bad_xml",
        "garbage",
        "a.xlsx",
        xlsx(HEADER, five, sheet_xml=b"\x00\x01 not xml " + MARKER.encode()),
        "error",
        "xlsx_damaged",
    )
    add(
        "xlsx_bad_xml",
        "entity_bomb",
        "a.xlsx",
        xlsx(
            HEADER,
            five,
            sheet_xml=(
                b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
                b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;">]>'
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                + good_rows
                + b"</sheetData></worksheet>"
            ),
        ),
        "error",
        "xlsx_damaged",
    )
    add("xlsx_damaged", "truncated_zip", "a.xlsx", xlsx(HEADER, five)[:600], "error", "xlsx_damaged")
    add(
        "xlsx_damaged",
        "not_a_workbook",
        "a.xlsx",
        _zip({"hallo.txt": MARKER.encode()}),
        "error",
        "xlsx_damaged",
    )
    add(
        "xlsx_damaged",
        "pk_header_only",
        "a.xlsx",
        b"PK\x03\x04" + MARKER.encode() * 10,
        "error",
        "xlsx_damaged",
    )
    add(
        "xlsx_damaged",
        "xls_renamed",
        "a.xlsx",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500),
        "error",
        "xlsx_damaged",
    )

    # 19. size limits: decompressed size, rows, columns, cell size
    if big:
        add("size_limits", "xlsx_2m_rows_zip_bomb", "a.xlsx", _bomb(2_000_000), "error", "too_many_rows")
        add("size_limits", "xlsx_600mb_entry", "a.xlsx", _big_entry(600), "error", "too_large")
    add(
        "size_limits",
        "csv_100k_columns_no_text",
        "a.csv",
        ";".join(f"kolom_{j}_{MARKER}" for j in range(100_000))
        + "\n"
        + ";".join("x" for _ in range(100_000)),
        "error",
        "too_many_columns",
    )
    add(
        "size_limits",
        "csv_2000_columns",
        "a.csv",
        ";".join(["bericht", "datum"] + [f"k{j}" for j in range(1998)])
        + "\n"
        + ";".join(["a " + MARKER, "2026-07-11 10:00"] + ["" for _ in range(1998)]),
        "error",
        "too_many_columns",
    )
    add(
        "size_limits",
        "json_2000_keys",
        "a.json",
        json.dumps(
            [{"bericht": "a " + MARKER, "datum": "2026-07-11 10:00", **{f"k{j}": j for j in range(2000)}}]
        ),
        "error",
        "too_many_columns",
    )
    add(
        "size_limits",
        "csv_cell_200k",
        "a.csv",
        to_csv([*rows(2), ("3", "11-07-2026 14:03", AUTHOR, "X", MARKER * 25_000)]),
        "error",
        "cell_too_large",
    )
    add(
        "size_limits",
        "json_cell_200k",
        "a.json",
        json.dumps(records([*rows(2), ("3", "11-07-2026 14:03", AUTHOR, "X", MARKER * 25_000)])),
        "error",
        "cell_too_large",
    )

    # 20. missing columns; long error messages stay short
    add(
        "no_column",
        "no_text",
        "a.csv",
        to_csv(five, header=("id", "datum", "auteur", "bron", "inhoudje")),
        "error",
        "no_column",
    )
    add(
        "no_column",
        "no_date",
        "a.csv",
        to_csv(five, header=("id", "wanneer", "auteur", "bron", "bericht")),
        "error",
        "no_column",
    )
    add(
        "no_column",
        "long_header_names",
        "a.csv",
        to_csv(five, header=tuple(f"{MARKER}{'x' * 5000}{j}" for j in range(5))),
        "error",
        "no_column",
    )
    add("no_column", "value_as_header", "a.csv", to_csv(five[1:], header=five[0]), "error", "no_column")

    # 21. CSV structure
    add(
        "csv_structure",
        "extra_column",
        "a.csv",
        base + f"9;11-07-2026 14:09;{AUTHOR};X;a;{MARKER}\r\n",
        "error",
        "column_count",
    )
    add(
        "csv_structure",
        "missing_column",
        "a.csv",
        base + f"9;11-07-2026 14:09;{MARKER}\r\n",
        "error",
        "column_count",
    )
    add(
        "csv_structure",
        "unterminated_quote",
        "a.csv",
        base + f'9;11-07-2026 14:09;x;X;"open {MARKER}\r\n',
        "error",
        "csv_syntax",
    )
    add(
        "csv_structure",
        "stray_quote",
        "a.csv",
        base + f'9;11-07-2026 14:09;x;X;"a"b {MARKER}\r\n',
        "error",
        "csv_syntax",
    )
    add(
        "csv_structure",
        "trailing_empty_columns",
        "a.csv",
        base.replace("\r\n", ";;\r\n").replace("bericht;;", "bericht", 1),
        "ok",
        5,
    )

    # 22. bad values
    add(
        "bad_values",
        "date_31_feb",
        "a.csv",
        to_csv([*rows(2), ("3", "31-02-2026 10:00", AUTHOR, "X", "a")]),
        "error",
        "bad_date",
    )
    add(
        "bad_values",
        "date_word",
        "a.csv",
        to_csv([*rows(2), ("3", f"gisteren {MARKER}", AUTHOR, "X", "a")]),
        "error",
        "bad_date",
    )
    add(
        "bad_values",
        "empty_text",
        "a.csv",
        to_csv([*rows(2), ("3", "11-07-2026 14:00", AUTHOR, "X", "  ")]),
        "error",
        "empty_text",
    )
    add(
        "bad_values",
        "unknown_type",
        "a.csv",
        to_csv([(*r, "foto " + MARKER) for r in five], header=(*HEADER, "type")),
        "error",
        "bad_type",
    )
    add(
        "bad_values",
        "bad_bool",
        "a.csv",
        to_csv([(*r, "misschien " + MARKER) for r in five], header=(*HEADER, "is_reply")),
        "error",
        "bad_bool",
    )

    # 23. JSON syntax and shape
    add(
        "json_syntax",
        "trailing_comma",
        "a.json",
        json.dumps(records(five))[:-1] + ",]",
        "error",
        "json_syntax",
    )
    add("json_syntax", "single_quotes", "a.json", str(records(five)), "error", "json_syntax")
    add("json_syntax", "truncated", "a.json", json.dumps(records(five))[:-30], "error", "json_syntax")
    add(
        "json_syntax",
        "ndjson_bad_line",
        "a.ndjson",
        "\n".join([json.dumps(r) for r in records(five)] + ['{"bericht": "' + MARKER]),
        "error",
        "json_syntax",
    )
    add("json_shape", "list_of_strings", "a.json", json.dumps([MARKER, "b"]), "error", "json_shape")
    add("json_shape", "scalar", "a.json", json.dumps(MARKER), "error", "json_shape")
    add("json_shape", "object_without_list", "a.json", json.dumps({"a": MARKER}), "error", "json_shape")
    add(
        "json_shape",
        "ndjson_array_line",
        "a.ndjson",
        json.dumps(records(five)[0]) + "\n[1, 2]",
        "error",
        "json_shape",
    )

    # 24. empty files
    add("empty", "zero_bytes", "a.csv", b"", "error", "empty")
    add("empty", "whitespace", "a.csv", b"  \r\n\r\n  ", "error", "empty")
    add("empty", "bom_only", "a.csv", b"\xef\xbb\xbf", "error", "empty")
    add("empty", "header_only", "a.csv", to_csv([]), "error", "empty")
    add("empty", "json_empty_list", "a.json", "[]", "error", "empty")
    add("empty", "xlsx_empty_sheet", "a.xlsx", xlsx((), []), "error", "empty")

    # 25. daylight-saving and time-zone edge cases that must import (flagged, not lost)
    add(
        "time_edge_ok",
        "dst_ambiguous",
        "a.csv",
        to_csv([*rows(2), ("3", "25-10-2026 02:30", AUTHOR, "X", "nacht " + MARKER)]),
        "ok",
        3,
    )
    add(
        "time_edge_ok",
        "iso_offsets",
        "a.csv",
        to_csv(
            [
                ("1", "2026-07-11T14:00:00+02:00", AUTHOR, "X", "a"),
                ("2", "2026-07-11T12:00:00Z", AUTHOR, "X", "b"),
                ("3", "1783771500", AUTHOR, "X", "c"),
            ]
        ),
        "ok",
        3,
    )
    add(
        "time_edge_ok",
        "date_and_time_columns",
        "a.csv",
        to_csv(
            [("1", "11-07-2026", "14:00", "a " + MARKER), ("2", "11/07/2026", "14:01:30", "b")],
            header=("id", "datum", "tijd", "bericht"),
        ),
        "ok",
        2,
    )
    add("time_edge_ok", "xlsx_datetime_cells", "a.xlsx", _xlsx_datetimes(), "ok", 2)

    # 26. workbooks with more than one sheet
    two = _two_sheets(("bericht", "datum"))
    add("xlsx_sheets", "two_message_sheets", "a.xlsx", two, "error", "xlsx_sheets")
    add("xlsx_sheets", "info_sheet_is_fine", "a.xlsx", _two_sheets(("zoekopdracht", "periode")), "ok", 5)
    add("xlsx_sheets", "empty_second_sheet", "a.xlsx", _two_sheets(None), "ok", 5)
    return cases


def _two_sheets(second_header: tuple[str, ...] | None) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(list(HEADER))
    for r in rows(5):
        ws.append(list(r))
    other = wb.create_sheet("Facebook")
    if second_header:
        other.append(list(second_header))
        other.append(["tweede blad " + MARKER, "2026-07-11 10:00"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _xlsx_datetimes() -> bytes:
    from datetime import datetime

    return xlsx(
        ("bericht", "datum"),
        [("a " + MARKER, datetime(2026, 7, 11, 14, 0)), ("b " + MARKER, datetime(2026, 7, 11, 15, 0))],
    )


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return out.getvalue()


def write(directory: Path, big: bool = True) -> list[Case]:
    """Write every case as a file into `directory` plus `expected.json`; return the cases."""
    directory.mkdir(parents=True, exist_ok=True)
    cases = generate(big=big)
    expected = []
    for case in cases:
        path = directory / f"{case.name}{Path(case.filename).suffix}"
        path.write_bytes(case.data)
        entry = {"file": path.name, "class": case.cls, "expect": case.expect, "value": case.value}
        if case.before:
            before = directory / f"{case.name}__before{Path(case.before[0]).suffix}"
            before.write_bytes(case.before[1])
            entry["before"] = before.name
        expected.append(entry)
    (directory / "expected.json").write_text(json.dumps(expected, indent=1), encoding="utf-8")
    return cases


if __name__ == "__main__":
    out_dir = Path(sys.argv[1] if len(sys.argv) > 1 else "malformed")
    written = write(out_dir)
    print(f"{len(written)} bestanden in {len({c.cls for c in written})} klassen naar {out_dir}")

"""Ingest: read monitoring-tool exports, validate them whole, store them in one transaction.

`read_messages` reads CSV/TSV (delimiter `,` `;` tab `|`, or Excel's `sep=`
line), JSON (an array, or an object holding ONE list), NDJSON and XLSX exports
(OBI4wan/Coosto-style and generic; the real sheet extent, not `<dimension>`).
A file is decoded strictly as one encoding: UTF-8 (with or without BOM),
UTF-16 (BOM, or recognised by its zero bytes) or, when it holds no UTF-8
multi-byte sequence at all, cp1252; a mix is rejected naming the first bad
line. Dutch/English header aliases map to fields (two columns for one field
are rejected), dates are parsed (naive times are local to `tz`; DST gaps and
overlaps are kept and flagged) and one row per message is returned with the
raw author and URL still present. Any bad row fails the whole file with an
`IngestError` that names the row and the cause, in Dutch and English, and
carries a reason `code` (`REASONS`); limits (`MAX_*`) keep odd files from
exhausting memory or time. No failure escapes as a traceback.

`ingest_file` / `ingest_frame` check message times against the incident's
`plausible_window`, scrub the rows (`pipeline.ingest.privacy`) and write them, the
batch record, communication moments and the audit entry in ONE transaction:
a file is imported whole or not at all, re-importing adds nothing twice, and
an id already stored with a different text rejects the file. A rejection is
audited with its reason code and row/line only, never a cell value.

A UTF-8 CSV/TSV file is streamed (`_ingest_stream`): read, validated, scrubbed and
inserted per `STREAM_CHUNK` rows inside that one transaction, so memory follows the
chunk, not the file; repeated ids are found across chunks (`_SeenKeys`), any bad row
still rolls everything back, and the error is the one the whole file would give
(the earliest failing check, its rows counted over all chunks). A file of several
chunks is scrubbed in one worker process while the next chunk is read. Anything
unusual (another encoding, a NUL, binary content) takes the whole-file path.
"""

from __future__ import annotations

import codecs
import collections
import contextlib
import csv
import datetime as dt
import difflib
import gc
import hashlib
import html
import io
import itertools
import json
import multiprocessing
import re
import sys
import threading
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
from pyarrow import compute as pa_compute
from pyarrow import csv as pa_csv
from sqlalchemy import Engine

from pipeline import schema as S
from pipeline.arrays import str_series
from pipeline.config import get_settings
from pipeline.errors import BilingualError
from pipeline.ingest import privacy
from pipeline.ingest.privacy import RAW_AUTHOR, RAW_URL
from pipeline.schema import TIME_ZONE
from pipeline.storage import batches, store
from pipeline.storage.store import NEXT_STEP

Progress = Callable[[int, int], None]
BeforeCommit = Callable[[Any, int, int], None]  # (connection, batch id, rows added)
Table = tuple[list[str], list[list[Any]], list[int] | None]  # header, rows, file line per row

FORMATS = ("csv", "tsv", "json", "ndjson", "xlsx")
DELIMITERS = (",", ";", "\t", "|")
PROGRESS_EVERY = 10_000

# Limits: a file beyond them is rejected with a clear message before it can exhaust memory or time.
MAX_FILE_BYTES = 512 * 2**20  # bytes of one input file
MAX_DECOMPRESSED_BYTES = 512 * 2**20  # uncompressed bytes of all entries of one XLSX file
MAX_ROWS = 1_000_000  # data rows per file (split larger exports; re-imports skip what is stored)
MAX_COLUMNS = 1_000  # columns per file (JSON: after flattening nested objects)
MAX_CELL_CHARS = 131_072  # characters in one used cell (= the csv module's field limit)
MAX_JSON_DEPTH = 32  # nesting levels of one JSON record
MAX_MESSAGE_CHARS = 1_500  # characters of one error message (both languages)
EARLIEST_BEFORE_START = pd.Timedelta(days=7)  # plausible times: incident start - 7 days ...
LATEST_AFTER_NOW = pd.Timedelta(days=1)  # ... now + 1 day

# Reason codes of rejected imports; the audit log stores these (and row/line numbers), never values.
REASONS = {
    "invalid": "other invalid input", "empty": "no messages", "format": "unknown format",
    "too_large": "file or decompressed size over the limit", "too_many_rows": "row limit",
    "too_many_columns": "column limit", "cell_too_large": "cell size limit",
    "binary": "binary content", "encoding": "not valid in the detected encoding",
    "mixed_encoding": "UTF-8 file with a line in another encoding", "control_char": "NUL/control character",
    "csv_syntax": "CSV quoting", "column_count": "row wider than the header",
    "json_syntax": "invalid JSON", "json_shape": "JSON is not a list of objects",
    "json_ambiguous": "JSON object with several message lists", "json_depth": "JSON nesting limit",
    "xlsx_damaged": "damaged XLSX or invalid sheet XML",
    "xlsx_sheets": "several sheets of messages", "no_column": "no text/date column",
    "duplicate_column": "two columns map to one field", "bad_mapping": "--map names a missing column/field",
    "empty_text": "empty text", "invisible_text": "text of invisible characters only",
    "not_text": "a list/object/boolean where a text is expected", "bad_date": "unparseable date",
    "time_range": "time outside incident start - 7 d ... now + 1 d", "bad_type": "unknown message type",
    "bad_bool": "not a yes/no value", "id_conflict": "an id reused with a different text",
    "unknown_incident": "incident does not exist", "closed_incident": "incident closed or purged",
    "read_error": "file cannot be opened", "bad_timezone": "unknown time zone",
}

OUTPUT_COLUMNS = (S.PLATFORM, S.SOURCE_ID, S.CREATED_AT, S.TEXT, RAW_AUTHOR, RAW_URL,
                  S.IS_REPLY, S.IS_REPOST, S.TIME_FLAG)

# field -> accepted header names (compared after `_norm_header`), in priority order.
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "text": ("text", "bericht", "tekst", "message", "content", "body", "inhoud", "full_text",
             "bericht_tekst", "berichttekst", "message_text", "tweet_text", "post_text"),
    "created_at": ("created_at", "created_at_utc", "timestamp", "published", "publicatiedatum",
                   "published_at", "publicatie_datum", "datetime", "date_time", "datum_tijd", "datumtijd",
                   "created", "publish_date", "created_at_utc_from_id"),
    "date": ("datum", "date"),
    "time": ("tijd", "time"),
    "author": ("author", "auteur", "user", "username", "gebruiker", "account", "screen_name",
               "naam", "user_screen_name", "author_raw", "gebruikersnaam", "user_name"),
    "platform": ("platform", "bron", "source", "medium", "kanaal", "network", "netwerk"),
    "url": ("url", "link", "permalink", "url_raw", "bericht_url", "message_url"),
    "id": ("id", "bericht_id", "message_id", "post_id", "tweet_id", "guid", "id_str", "source_id",
           "berichtid", "messageid"),
    "type": ("berichttype", "type", "post_type", "soort", "message_type"),
    "is_reply": ("is_reply", "reply", "is_reactie", "reactie"),
    "is_repost": ("is_repost", "repost", "is_retweet", "retweet", "is_share", "gedeeld"),
}
FIELDS = tuple(FIELD_ALIASES)

# type value -> (is_reply, is_repost)
TYPE_VALUES = {
    "post": (False, False), "bericht": (False, False), "tweet": (False, False),
    "origineel": (False, False), "original": (False, False), "status": (False, False),
    "reactie": (True, False), "reply": (True, False), "comment": (True, False),
    "antwoord": (True, False), "opmerking": (True, False),
    "repost": (False, True), "retweet": (False, True), "share": (False, True),
    "gedeeld": (False, True), "delen": (False, True), "rt": (False, True),
}
BOOL_VALUES = {"true": True, "1": True, "ja": True, "yes": True, "waar": True, "j": True, "y": True,
               "x": True, "false": False, "0": False, "nee": False, "no": False, "onwaar": False,
               "n": False, "": False}


class IngestError(BilingualError):
    """A file or frame that cannot be imported; the message is in Dutch and English (`nl`, `en`).

    `code` is a short reason code (see `REASONS`) that the audit log stores
    instead of the message, so no cell value of a rejected file is kept;
    `row`/`line` name the first bad data row and file line when known. Made by `_fail(nl, en)`;
    `IngestError(message)` alone keeps one text for both languages.
    """

    def __init__(self, message: str, *, row: int | None = None, line: int | None = None,
                 code: str = "invalid", en: str | None = None) -> None:
        if en is None and len(message) > MAX_MESSAGE_CHARS:
            message = message[:MAX_MESSAGE_CHARS - 1] + "…"
        super().__init__(message, en)
        self.row = row
        self.line = line
        self.code = code
        # Set by `_row_error`: the position of the check in `_standardise` and the rows it found
        # bad, so a streamed import can report the error the whole file would have given.
        self.check: int | None = None
        self.bad_rows = 1
        self.remake: Callable[[int], IngestError] | None = None


@dataclass(frozen=True)
class IngestResult:
    """What one import did."""

    rows: int  # data rows read from the file
    added: int  # messages newly stored
    duplicates_in_db: int  # rows whose id was already stored
    duplicates_in_file: int  # repeated ids inside the file (first kept)
    batch_id: int
    flagged_times: int  # rows with a DST gap/overlap TIME_FLAG
    moments_added: int  # communication moments created from authority posts
    controls_replaced: int = 0  # stray control characters replaced by spaces


# --- decoding ---------------------------------------------------------------------
def _fail(nl: str, en: str, *, code: str = "invalid", row: int | None = None,
          line: int | None = None) -> IngestError:
    half = MAX_MESSAGE_CHARS // 2 - 3
    nl = nl if len(nl) <= half else nl[:half - 1] + "…"
    en = en if len(en) <= half else en[:half - 1] + "…"
    return IngestError(nl, en=en, row=row, line=line, code=code)


def _where(row: int, line: int | None) -> tuple[str, str]:
    if line is None:
        return f"Rij {row}", f"Row {row}"
    return f"Rij {row} (regel {line})", f"Row {row} (line {line})"


def _show(value: Any, limit: int = 60) -> str:
    """Return a cell value for an error message: one line, control characters escaped, truncated."""
    text = _CONTROL_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", str(value).replace("\n", " "))
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _names(names: list[str], limit: int = 30) -> str:
    """Return a short list of (user-supplied) column names for an error message."""
    shown = ", ".join(_show(n, 40) for n in names[:limit]) or "(geen/none)"
    return shown + (f", … (+{len(names) - limit})" if len(names) > limit else "")


# C0 controls except tab/LF/CR/FF, DEL and C1 controls: never in an ordinary export.
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
# A complete multi-byte UTF-8 sequence: a file holding one is (partly) UTF-8.
_UTF8_MULTI = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _utf16_without_bom(data: bytes) -> str | None:
    """Return "utf-16-le"/"utf-16-be" when the bytes look like mostly-Latin UTF-16 without a BOM."""
    sample = data[:8000]
    if len(sample) < 8:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.6 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.6 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def _check_controls(text: str, encoding: str) -> int:
    """Reject decoded text holding NUL or many control characters, naming the first line and encoding.

    Returns how many other control characters it holds (real tweets carry the
    odd backspace or C1 character); the caller replaces those by spaces.
    """
    m = _CONTROL_RE.search(text)
    if m is None:
        return 0
    found = len(_CONTROL_RE.findall(text))
    sample = text[:20000]
    if len(_CONTROL_RE.findall(sample)) > max(8, len(sample) // 200):
        line = text.count("\n", 0, m.start()) + 1
        code_point = f"U+{ord(m.group()):04X}"
        raise _fail(f"bestand is geen tekstbestand (binaire inhoud; eerste besturingsteken {code_point} op "
                    f"regel {line}, gelezen als {encoding})",
                    f"file is not a text file (binary content; first control character {code_point} on "
                    f"line {line}, read as {encoding})", code="binary", line=line)
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        raise _fail(f"regel {line}: NUL-teken (U+0000) in het bestand (gelezen als {encoding}); het bestand "
                    "is beschadigd of heeft een andere tekencodering: exporteer het opnieuw",
                    f"line {line}: NUL character (U+0000) in the file (read as {encoding}); the file is "
                    "damaged or in another encoding: export it again", code="control_char", line=line)
    return found


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Return (text, encoding) of exported bytes, decoded strictly as ONE encoding; see `_decode`."""
    text, encoding, _replaced = _decode(data)
    return text, encoding


def _decode(data: bytes) -> tuple[str, str, int]:
    """Return (text, encoding, control characters replaced), decoded strictly as ONE encoding.

    UTF-8/UTF-16 by BOM, UTF-16 without BOM by its zero bytes, else UTF-8; only a
    file without any valid multi-byte UTF-8 sequence may be cp1252 (Dutch Windows
    exports). A file mixing UTF-8 and another encoding, bytes valid in neither,
    a NUL or binary content are rejected naming the first bad line and the
    encoding; nothing is guessed. A few other control characters (a stray
    backspace in a tweet) are replaced by spaces and counted.
    """
    if data.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = _utf16_without_bom(data) or "utf-8"
    try:
        if encoding == "utf-8-sig":  # decode after the BOM so error offsets are file offsets
            text = data[3:].decode("utf-8")
        else:
            text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        if encoding == "utf-8-sig":
            exc = UnicodeDecodeError("utf-8", data, exc.start + 3, exc.end + 3, exc.reason)
        line = data.count(b"\n", 0, exc.start) + 1
        if encoding.startswith("utf-16"):
            raise _fail(f"regel {line}: bestand is geen geldige {encoding}-tekst ({exc.reason} bij byte "
                        f"{exc.start})", f"line {line}: file is not valid {encoding} text ({exc.reason} at "
                        f"byte {exc.start})", code="encoding", line=line) from exc
        if encoding == "utf-8-sig" or _UTF8_MULTI.search(data):
            bad = data[exc.start:exc.end].hex(" ")
            raise _fail(f"regel {line}: gemengde tekencodering: het bestand is UTF-8, maar deze regel niet "
                        f"(byte {bad}, bv. Windows-1252); sla het hele bestand op als UTF-8",
                        f"line {line}: mixed character encodings: the file is UTF-8 but this line is not "
                        f"(byte {bad}, e.g. Windows-1252); save the whole file as UTF-8",
                        code="mixed_encoding", line=line) from exc
        encoding = "cp1252"
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc2:
            line = data.count(b"\n", 0, exc2.start) + 1
            bad = data[exc2.start:exc2.end].hex(" ")
            raise _fail(f"bestand is geen leesbaar tekstbestand: regel {line}, byte {bad} is geen UTF-8 en "
                        "geen Windows-1252 (onbekende tekencodering of binaire inhoud)",
                        f"file is not readable text: line {line}, byte {bad} is neither UTF-8 nor "
                        "Windows-1252 (unknown character encoding or binary content)",
                        code="encoding", line=line) from exc2
    text = text.rstrip("\x1a")  # an old DOS end-of-file mark
    replaced = _check_controls(text, encoding)
    if replaced:
        text = _CONTROL_RE.sub(" ", text)
    return text, encoding, replaced


# --- format detection and parsing ------------------------------------------------
def _detect_format(data: bytes, filename: str | None, fmt: str | None) -> str:
    if fmt:
        fmt = fmt.lower().lstrip(".")
        fmt = {"jsonl": "ndjson", "txt": "csv", "xls": "xlsx"}.get(fmt, fmt)
        if fmt not in FORMATS:
            raise _fail(f"onbekend formaat '{_show(fmt)}'; kies uit {', '.join(FORMATS)}",
                        f"unknown format '{_show(fmt)}'; choose one of {', '.join(FORMATS)}", code="format")
        return fmt
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    suffix = Path(filename).suffix.lower().lstrip(".") if filename else ""
    by_suffix = {"csv": "csv", "txt": "csv", "tsv": "tsv", "tab": "tsv", "json": "json",
                 "ndjson": "ndjson", "jsonl": "ndjson", "xlsx": "xlsx"}
    if suffix == "json":
        return "json"  # may still turn out to be NDJSON; see _parse_json
    if suffix in by_suffix:
        return by_suffix[suffix]
    head = data[:4096].lstrip(codecs.BOM_UTF8).lstrip()
    if head.startswith((b"[", b"{")):
        return "json"
    return "csv"


def _count_outside_quotes(line: str, delimiter: str) -> int:
    count, quoted = 0, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == delimiter and not quoted:
            count += 1
    return count


def _detect_delimiter(text: str) -> str:
    header = text.split("\n", 1)[0]
    counts = {d: _count_outside_quotes(header, d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


_LINE_RE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")  # universal newlines, kept
# A lone "\r" (not followed by "\n") in a file whose lines end in "\n" or "\r\n" is text, not a line end
# (a research tool's TSV with a stray CR inside an unquoted tweet). The csv module ends a record at
# any unquoted "\r", so such a CR is parked as _CR_MARK while the file is split and parsed, and put
# back in the cells afterwards (`_restore_cr`). _CR_MARK is a control character the decoder already
# replaced by a space (`_CONTROL_RE`), so it never occurs in decoded text, and like "\r" it is
# whitespace for str.strip()/isspace(): blank cells and rows stay blank.
_CR_MARK = "\x1e"
_STRAY_CR_RE = re.compile(r"\r(?!\n)")
_EOL_RE = re.compile(r"\r\n|\r|\n")
_EOL_SCAN = 2**16  # characters in which the file's first line end outside quotes is looked for
_SEP_LINE_RE = re.compile(r"^\ufeff?sep=(.)\s*?(?:\r?\n|$)", re.IGNORECASE)


def _too_many_columns(width: int, where: str = "") -> IngestError:
    return _fail(f"{where}bestand heeft {width} kolommen; maximaal {MAX_COLUMNS} toegestaan",
                 f"{where}file has {width} columns; at most {MAX_COLUMNS} allowed", code="too_many_columns")


def _too_many_rows() -> IngestError:
    return _fail(f"bestand heeft meer dan {MAX_ROWS:,} rijen; splits het in kleinere bestanden (dubbele "
                 "berichten worden bij importeren overgeslagen)".replace(",", "."),
                 f"file has more than {MAX_ROWS:,} rows; split it into smaller files (messages already "
                 "stored are skipped on import)", code="too_many_rows")


def _has_stray_cr(text: str) -> bool:
    r"""Return whether `text` holds a "\r" not followed by "\n".

    One C scan for a file without CRs; for a CRLF file the regex search (about as fast as one
    `str.count`, faster than comparing the counts of "\r" and "\r\n": ~25 ms per 35M characters).
    """
    return "\r" in text and _STRAY_CR_RE.search(text) is not None


def _lf_line_ends(head: str) -> bool | None:
    r"""Return whether a CSV/TSV file's lines end in "\n" or "\r\n" (True) or in "\r" (False).

    Its first line end outside quotes decides (the header's, or the `sep=` line's), looked for in
    the first `_EOL_SCAN` characters of `head`; None when they show none. A "\n" inside a quoted
    cell of a classic-Mac file (Excel for Mac writes in-cell line breaks so) is no line end.
    """
    quotes, pos = 0, 0
    for m in _EOL_RE.finditer(head, 0, _EOL_SCAN):
        quotes += head.count('"', pos, m.start())
        pos = m.end()
        if quotes % 2 == 0:
            if m.group() == "\r" and pos >= min(len(head), _EOL_SCAN):
                return None  # a "\n" may follow beyond what was seen
            return m.group() != "\r"
    return None


def _mark_stray_crs(text: str) -> tuple[str, int]:
    r"""Return `text` with its lone CRs (not the one ending it) parked as `_CR_MARK`, and their number.

    Only for a file whose lines end in "\n" or "\r\n" (`_lf_line_ends`; undecided: one that holds
    a "\n"): a file whose line ends are "\r" (classic Mac) is split on "\r" as before. A CR ending
    the file is its last line end.
    """
    lf = _lf_line_ends(text)
    if not (lf if lf is not None else "\n" in text):
        return text, 0
    if not _has_stray_cr(text[:-1] if text.endswith("\r") else text):
        return text, 0
    end = "\r" if text.endswith("\r") else ""
    marked, n = _STRAY_CR_RE.subn(_CR_MARK, text[:-1] if end else text)
    return marked + end, n


def _restore_cr(rows: list[list[Any]], pending: int) -> int:
    r"""Put back the "\r" of up to `pending` parked CRs in `rows` (in place); return how many.

    A loop over rows, but only for a file that holds stray CRs, and only until the last
    one parked so far is back.
    """
    done = 0
    for row in rows:
        if done >= pending:
            break
        for j, cell in enumerate(row):
            if _CR_MARK in cell:
                done += cell.count(_CR_MARK)
                row[j] = cell.replace(_CR_MARK, "\r")
    return done


def _parse_csv(text: str, delimiter: str | None) -> tuple[list[str], list[list[Any]], list[int]]:
    text, marked = _mark_stray_crs(text)
    sep_line = _SEP_LINE_RE.match(text)
    if sep_line:  # Excel's "sep=;" first line names the delimiter
        delimiter = sep_line.group(1)
        text = "\n" + text[sep_line.end():]  # keep the line numbers of the file
    delimiter = delimiter or _detect_delimiter(text.lstrip("\n"))
    # Lines as slices of `text` (split like io.StringIO(newline="")): no second, 4-byte-per-character
    # copy of a file of hundreds of megabytes (issue 15: peak memory of a 1M-row import).
    records = _csv_records((m.group() for m in _LINE_RE.finditer(text)), delimiter,
                           marked=(lambda: marked) if marked else None)
    header = next(records)[0]
    rows: list[list[Any]] = []
    lines: list[int] = []
    for chunk_rows, chunk_lines in records:  # one chunk: `size` is more than MAX_ROWS
        rows += chunk_rows
        lines += chunk_lines
    return header, rows, lines


def _csv_records(lines: Iterator[str], delimiter: str, size: int = MAX_ROWS + 1,
                 marked: Callable[[], int] | None = None) -> Iterator[tuple[list[Any], Any]]:
    """Yield (stripped header, its line), then (rows, first file lines) of up to `size` data rows.

    `marked` (a file with stray CRs) says how many CRs were parked as `_CR_MARK` in the lines
    read so far; they are put back in the header and in each chunk before it is yielded.

    Blank rows are skipped; a row wider than the header (unless the extra cells are
    empty), more than `MAX_ROWS` rows, bad quoting or an oversized cell raise an
    `IngestError` naming the data row and line (the rows of the chunk it falls in are
    not yielded); a file without a header row is empty, one without data rows yields
    one empty chunk. One loop for parsing and chunking: the common row (the header's
    width, a first cell that is not blank) costs a length test and two appends.
    """
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    restored = 0  # parked CRs put back
    n = 0  # data rows read
    width: int | None = None
    prev_line = 0
    rows: list[list[str]] = []
    starts: list[int] = []
    yielded = False
    try:
        for fields in reader:
            start_line = prev_line + 1
            prev_line = reader.line_num
            if width is not None and len(fields) == width and (first := fields[0]) and not first.isspace():
                pass  # not blank (its first cell is not), the header's width: the common row
            elif not "".join(fields).strip():  # an empty row (all cells blank): one C-level test
                continue
            elif width is None:
                if len(fields) > MAX_COLUMNS:
                    raise _too_many_columns(len(fields))
                width = len(fields)
                header = [f.strip() for f in fields]
                if marked is not None:
                    restored += _restore_cr([header], marked() - restored)
                yield header, start_line
                continue
            elif len(fields) != width:
                extra_empty = len(fields) > width and not any(f.strip() for f in fields[width:])
                if not extra_empty:
                    where_nl, where_en = _where(n + 1, start_line)
                    raise _fail(f"{where_nl}: {len(fields)} kolommen, verwacht {width} (controleer "
                                "scheidingsteken en aanhalingstekens)",
                                f"{where_en}: {len(fields)} columns, expected {width} (check the "
                                "delimiter and quotes)", code="column_count", row=n + 1,
                                line=start_line)
                fields = fields[:width]
            if n >= MAX_ROWS:
                raise _too_many_rows()
            n += 1
            rows.append(fields)
            starts.append(start_line)
            if len(rows) >= size:
                if marked is not None:
                    restored += _restore_cr(rows, marked() - restored)
                yield rows, starts
                yielded = True
                rows, starts = [], []
    except csv.Error as exc:
        where_nl, where_en = _where(n + 1, reader.line_num)
        if "field larger than field limit" in str(exc):
            raise _fail(f"{where_nl}: cel is groter dan {csv.field_size_limit():,} tekens".replace(",", "."),
                        f"{where_en}: cell is larger than {csv.field_size_limit():,} characters",
                        code="cell_too_large", row=n + 1, line=reader.line_num) from exc
        # Python's csv message is English ("',' expected after '\"'"): the Dutch text says what to check
        raise _fail(f"{where_nl}: CSV kan niet gelezen worden (controleer de aanhalingstekens in deze regel)",
                    f"{where_en}: CSV cannot be parsed ({exc})", code="csv_syntax", row=n + 1,
                    line=reader.line_num) from exc
    if width is None:
        raise _fail("bestand is leeg", "file is empty", code="empty")
    if rows or not yielded:
        if marked is not None:
            restored += _restore_cr(rows, marked() - restored)
        yield rows, starts


def _json_depth_exceeds(obj: Any, limit: int) -> bool:
    """Return True when `obj` nests deeper than `limit` levels (iterative: no recursion limit)."""
    stack = [(obj, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > limit:
                return True
            children = item.values() if isinstance(item, dict) else item
            stack.extend((c, depth + 1) for c in children if isinstance(c, dict | list))
    return False


def _records_to_table(records: list[Any], lines: list[int] | None) -> Table:
    if len(records) > MAX_ROWS:
        raise _too_many_rows()
    for i, rec in enumerate(records):
        line = lines[i] if lines else None
        where_nl, where_en = _where(i + 1, line)
        if not isinstance(rec, dict):
            raise _fail(f"{where_nl}: verwacht een object met velden", f"{where_en}: expected an object "
                        "with fields", code="json_shape", row=i + 1, line=line)
        if _json_depth_exceeds(rec, MAX_JSON_DEPTH):
            raise _fail(f"{where_nl}: JSON is dieper genest dan {MAX_JSON_DEPTH} niveaus",
                        f"{where_en}: JSON nests deeper than {MAX_JSON_DEPTH} levels", code="json_depth",
                        row=i + 1, line=line)
    frame = pd.json_normalize(records, sep=".")
    header = [str(c) for c in frame.columns]
    if len(header) > MAX_COLUMNS:
        raise _too_many_columns(len(header))
    values = frame.astype(object).where(frame.notna(), None).to_numpy().tolist()
    return header, values, lines


def _parse_json(text: str) -> Table:
    stripped = text.strip()
    if not stripped:
        raise _fail("bestand is leeg", "file is empty", code="empty")
    try:
        doc = json.loads(stripped)
    except RecursionError as exc:
        raise _fail(f"JSON is dieper genest dan {MAX_JSON_DEPTH} niveaus",
                    f"JSON nests deeper than {MAX_JSON_DEPTH} levels", code="json_depth") from exc
    except json.JSONDecodeError as exc:
        if stripped.startswith("{") and "\n" in stripped:
            return _parse_ndjson(text)
        # the parser's own text (exc.msg: "Expecting value") is English: only in the English part
        raise _fail(f"JSON kan niet gelezen worden: fout bij regel {exc.lineno}, kolom {exc.colno} "
                    "(controleer komma's, aanhalingstekens en haakjes)",
                    f"JSON cannot be parsed: line {exc.lineno}, column {exc.colno}: {exc.msg}",
                    code="json_syntax", line=exc.lineno) from exc
    if _json_depth_exceeds(doc, MAX_JSON_DEPTH + 2):
        raise _fail(f"JSON is dieper genest dan {MAX_JSON_DEPTH} niveaus",
                    f"JSON nests deeper than {MAX_JSON_DEPTH} levels", code="json_depth")
    if isinstance(doc, dict):
        lists = {str(k): v for k, v in doc.items()
                 if isinstance(v, list) and v and any(isinstance(x, dict) for x in v)}
        if len(lists) > 1:
            keys = _names([f"'{k}'" for k in lists])
            raise _fail(f"JSON-object bevat {len(lists)} lijsten met berichten ({keys}); onduidelijk welke "
                        "bedoeld is: lever één lijst aan",
                        f"JSON object holds {len(lists)} lists of messages ({keys}); it is ambiguous which "
                        "is meant: supply one list", code="json_ambiguous")
        if not lists:
            empty = [v for v in doc.values() if isinstance(v, list)]
            if empty and not any(empty):
                raise _fail("bestand bevat geen berichten", "file holds no messages", code="empty")
            raise _fail("JSON-object bevat geen lijst met berichten",
                        "JSON object holds no list of messages", code="json_shape")
        doc = next(iter(lists.values()))
    if not isinstance(doc, list):
        raise _fail("JSON moet een lijst met berichten zijn", "JSON must be a list of messages",
                    code="json_shape")
    if not doc:
        raise _fail("bestand bevat geen berichten", "file holds no messages", code="empty")
    return _records_to_table(doc, None)


def _parse_ndjson(text: str) -> Table:
    records, lines = [], []
    # Split on line feeds only: U+2028/U+2029 and other Unicode breaks are text inside a record.
    for n, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            records.append(json.loads(line))
        except RecursionError as exc:
            where_nl, where_en = _where(len(records) + 1, n)
            raise _fail(f"{where_nl}: JSON is dieper genest dan {MAX_JSON_DEPTH} niveaus",
                        f"{where_en}: JSON nests deeper than {MAX_JSON_DEPTH} levels", code="json_depth",
                        row=len(records) + 1, line=n) from exc
        except json.JSONDecodeError as exc:
            where_nl, where_en = _where(len(records) + 1, n)
            raise _fail(f"{where_nl}: geen geldige JSON (fout bij kolom {exc.colno})",
                        f"{where_en}: not valid JSON ({exc.msg}, column {exc.colno})", code="json_syntax",
                        row=len(records) + 1, line=n) from exc
        lines.append(n)
        if len(records) > MAX_ROWS:
            raise _too_many_rows()
    if not records:
        raise _fail("bestand is leeg", "file is empty", code="empty")
    return _records_to_table(records, lines)


_XLSX_ROW_RE = re.compile(rb"<(?:\w+:)?row[\s>/]")


def _check_xlsx_archive(data: bytes) -> None:
    """Reject a zip whose entries decompress beyond the limit or whose sheets hold too many rows.

    Runs before openpyxl sees the file, so a small "zip bomb" cannot take minutes
    and gigabytes; rows are counted in the raw sheet XML (the `<dimension>`
    element is not trusted).
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            total = sum(i.file_size for i in infos)
            if total > MAX_DECOMPRESSED_BYTES:
                raise _fail(f"XLSX-bestand pakt uit tot {total // 2**20:,} MB; maximaal "
                            f"{MAX_DECOMPRESSED_BYTES // 2**20} MB".replace(",", "."),
                            f"XLSX file decompresses to {total // 2**20:,} MB; at most "
                            f"{MAX_DECOMPRESSED_BYTES // 2**20} MB", code="too_large")
            for info in infos:
                if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
                    continue
                rows, tail = 0, b""
                with zf.open(info) as fh:
                    while chunk := fh.read(1 << 20):
                        buf = tail + chunk
                        cut = buf.rfind(b">") + 1  # a tag split over two chunks is counted once
                        rows += len(_XLSX_ROW_RE.findall(buf, 0, cut))
                        tail = buf[cut:]
                        if rows > MAX_ROWS + 1:
                            raise _too_many_rows()
    except IngestError:
        raise
    except Exception as exc:  # noqa: BLE001 - BadZipFile, zlib.error, EOFError, NotImplementedError...
        raise _fail("XLSX-bestand kan niet gelezen worden (beschadigd zip-archief)",
                    "XLSX file cannot be read (damaged zip archive)", code="xlsx_damaged") from exc


def _parse_xlsx(data: bytes) -> tuple[list[str], list[list[Any]], list[int]]:
    import openpyxl  # reason: optional heavy dependency, loaded only for .xlsx uploads

    _check_xlsx_archive(data)
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types for damaged files
        raise _fail("XLSX-bestand kan niet gelezen worden (beschadigd of geen Excel-bestand)",
                    "XLSX file cannot be read (damaged or not an Excel file)", code="xlsx_damaged") from exc
    try:
        for ws in wb.worksheets:
            header: list[str] | None = None
            rows, lines = [], []
            n = 0
            if hasattr(ws, "reset_dimensions"):
                ws.reset_dimensions()  # read the real extent, not a stale <dimension> element
            try:
                for n, values in enumerate(ws.iter_rows(values_only=True), start=1):
                    if values is None or all(v is None or (isinstance(v, str) and not v.strip())
                                             for v in values):
                        continue
                    if header is None:
                        width = max(j for j, v in enumerate(values)
                                    if v is not None and str(v).strip()) + 1  # styled empty cells end it
                        if width > MAX_COLUMNS:
                            raise _too_many_columns(width)
                        header = ["" if v is None else str(v).strip() for v in values[:width]]
                        continue
                    extra = [j for j in range(len(header), len(values))
                             if values[j] is not None and not (isinstance(values[j], str)
                                                               and not values[j].strip())]
                    if extra:
                        where_nl, where_en = _where(len(rows) + 1, n)
                        col = openpyxl.utils.get_column_letter(extra[0] + 1)
                        raise _fail(f"{where_nl}: cel {col}{n} staat buiten de kopregel ({len(header)} "
                                    "kolommen); geef de kolom een naam of verwijder de cel",
                                    f"{where_en}: cell {col}{n} lies beyond the header ({len(header)} "
                                    "columns); name the column or remove the cell", code="column_count",
                                    row=len(rows) + 1, line=n)
                    if len(rows) >= MAX_ROWS:
                        raise _too_many_rows()
                    row = list(values[:len(header)]) + [None] * (len(header) - len(values))
                    rows.append(row)
                    lines.append(n)
            except IngestError:
                raise
            except Exception as exc:  # noqa: BLE001 - XML ParseError, lxml, zlib, KeyError...
                where_nl, where_en = _where(len(rows) + 1, n + 1)
                raise _fail(f"{where_nl}: XLSX-werkblad kan niet verder gelezen worden (ongeldige XML of "
                            "beschadigd bestand)", f"{where_en}: XLSX sheet cannot be read further "
                            "(invalid XML or damaged file)", code="xlsx_damaged", row=len(rows) + 1,
                            line=n + 1) from exc
            if header is not None:
                others = [o.title for o in wb.worksheets if o is not ws and _sheet_holds_messages(o)]
                if others:
                    sheets = _names([f"'{ws.title}'"] + [f"'{t}'" for t in others])
                    raise _fail(f"werkmap heeft meer werkbladen met berichten ({sheets}); alleen het eerste "
                                "zou gelezen worden: lever één werkblad per bestand aan",
                                f"workbook has several sheets of messages ({sheets}); only the first would "
                                "be read: supply one sheet per file", code="xlsx_sheets")
                return header, rows, lines
    finally:
        wb.close()
    raise _fail("bestand is leeg", "file is empty", code="empty")


def _sheet_holds_messages(ws: Any) -> bool:
    """Return True when a worksheet's first non-empty row is a header with text and date columns."""
    if hasattr(ws, "reset_dimensions"):
        ws.reset_dimensions()
    try:
        for n, values in enumerate(ws.iter_rows(values_only=True), start=1):
            if n > 50:
                return False
            if values and any(v is not None and str(v).strip() for v in values):
                _resolve_columns(["" if v is None else str(v).strip() for v in values[:MAX_COLUMNS]], None)
                return True
    except IngestError:
        return False
    except Exception:  # noqa: BLE001 - a damaged extra sheet: say so instead of ignoring it
        return True
    return False


# --- header mapping ---------------------------------------------------------------
def _norm_header(name: str) -> str:
    folded = "".join(ch for ch in unicodedata.normalize("NFKD", str(name))
                     if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9.]+", "_", folded.strip().lower()).strip("_")


def _duplicate_column(field: str, name: str, first: int, second: int) -> IngestError:
    return _fail(f"kolom '{_show(name, 40)}' komt meer dan eens voor (kolom {first + 1} en {second + 1}) en "
                 f"beide horen bij veld {field}; hernoem of verwijder er één, of kies met --map",
                 f"column '{_show(name, 40)}' occurs more than once (columns {first + 1} and {second + 1}) "
                 f"and both map to field {field}; rename or remove one, or choose with --map",
                 code="duplicate_column")


def _resolve_columns(header: list[str], mapping: dict[str, str] | None) -> dict[str, int]:
    """Return field -> column index from explicit `mapping` first, then header aliases.

    Two columns with the same (normalised) name that would feed one field are
    rejected: reading only one of them would silently drop the other.
    """
    found: dict[str, int] = {}
    normed = [_norm_header(h) for h in header]
    for col, field in (mapping or {}).items():
        target = _norm_header(field).replace("datum", "date").replace("tijd", "time")
        if target not in FIELDS:
            raise _fail(f"onbekend doelveld '{_show(field)}' in --map; kies uit {', '.join(FIELDS)}",
                        f"unknown target field '{_show(field)}' in --map; choose one of {', '.join(FIELDS)}",
                        code="bad_mapping")
        hits = [i for i, h in enumerate(header) if h == col]
        if not hits:
            hits = [i for i, h in enumerate(normed) if h == _norm_header(col)]
        if not hits:
            raise _fail(f"kolom '{_show(col)}' uit --map staat niet in het bestand; "
                        f"gevonden: {_names(header)}",
                        f"column '{_show(col)}' from --map is not in the file; found: {_names(header)}",
                        code="bad_mapping")
        if len(hits) > 1:
            raise _duplicate_column(target, header[hits[0]], hits[0], hits[1])
        found[target] = hits[0]
    taken = set(found.values())
    for field, aliases in FIELD_ALIASES.items():
        if field in found:
            continue
        for variant in (lambda h: h, lambda h: h.rsplit(".", 1)[-1]):  # JSON: "user.screen_name"
            idx = next((i for alias in aliases for i, h in enumerate(normed)
                        if i not in taken and variant(h) == alias), None)
            if idx is not None:
                twin = next((i for i, h in enumerate(normed) if i != idx and i not in taken
                             and h == normed[idx]), None)
                if twin is not None:
                    raise _duplicate_column(field, header[idx], min(idx, twin), max(idx, twin))
                found[field] = idx
                taken.add(idx)
                break
    if "created_at" not in found and "date" in found and "time" not in found:
        found["created_at"] = found.pop("date")
    if "created_at" not in found and "time" in found and "date" not in found:
        found["created_at"] = found.pop("time")
    missing = [f for f in ("text", "created_at") if f not in found and not (
        f == "created_at" and "date" in found)]
    if missing:
        accepted = "; ".join(f"{f}: {', '.join(FIELD_ALIASES[f])}" for f in missing)
        if "created_at" in missing:
            accepted += "; of/or datum+tijd"
        raise _fail(f"geen kolom voor {' en '.join(missing)} gevonden. Kolommen in het bestand: "
                    f"{_names(header)}. Toegestane namen: {accepted}. Gebruik --map kolom=veld",
                    f"no column for {' and '.join(missing)} found. Columns in the file: "
                    f"{_names(header)}. Accepted names: {accepted}. Use --map column=field",
                    code="no_column")
    return found


# --- value parsing ----------------------------------------------------------------------
_ISO_RE = re.compile(r"^\d{4}[-/]\d{1,2}[-/]\d{1,2}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)?"
                     r"\s*(?:Z|UTC|[+-]\d{2}(?::?\d{2})?)?$", re.IGNORECASE)
_OFFSET_RE = re.compile(r"(?:Z|UTC|[+-]\d{2}(?::?\d{2})?)$", re.IGNORECASE)
_DMY_RE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?:[ T,]+(\d{1,2})[:.](\d{2})(?::(\d{2}))?)?$")
_EPOCH_RE = re.compile(r"^\d{9,13}(?:\.\d+)?$")
_TWITTER_RE = re.compile(r"^[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} [+-]\d{4} \d{4}$")
_TIME_ONLY_RE = re.compile(r"^\d{1,2}:\d{2}(?::\d{2})?$")


def _cell_str(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        if v != v:
            return ""
        if v.is_integer():
            return str(int(v))
    return str(v).strip()


def _cell_strs(values: list[Any]) -> list[str]:
    """Return `_cell_str` of every value; plain strings (every CSV cell) take the fast path."""
    return [v.strip() if type(v) is str else _cell_str(v) for v in values]


def _combine_date_time(dates: list[Any], times: list[Any]) -> list[Any]:
    out: list[Any] = []
    for d, t in zip(dates, times, strict=True):
        if isinstance(d, dt.datetime) and isinstance(t, dt.time):
            out.append(dt.datetime.combine(d.date(), t))
        elif isinstance(d, dt.date) and isinstance(t, dt.time):
            out.append(dt.datetime.combine(d, t))
        else:
            ds = d.strftime("%Y-%m-%d") if isinstance(d, dt.date) else _cell_str(d)
            ts = t.strftime("%H:%M:%S") if isinstance(t, dt.time) else _cell_str(t)
            if isinstance(t, dt.datetime):
                ts = t.strftime("%H:%M:%S")
            if not ts or not _TIME_ONLY_RE.match(ts):
                out.append(ts if ts and not ds else (ds if not ts else f"{ds} {ts}"))
            else:
                out.append(f"{ds} {ts}")
    return out


def _parse_time_strings(values: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (naive local, UTC, is-UTC) arrays for date strings; unparseable values stay NaT."""
    n = len(values)
    naive = np.full(n, np.datetime64("NaT"), dtype="datetime64[us]")
    aware = np.full(n, np.datetime64("NaT"), dtype="datetime64[us]")
    is_aware = np.zeros(n, dtype=bool)
    s = pd.Series(values, dtype=object)
    iso = s.str.match(_ISO_RE).fillna(False).astype(bool)
    if iso.any():
        iso_s = s[iso].str.replace("/", "-", regex=False).str.replace(",", ".", regex=False)
        has_off = iso_s.str.contains(_OFFSET_RE).fillna(False).astype(bool)
        if has_off.any():
            parsed = pd.to_datetime(iso_s[has_off].str.replace(r"\s*UTC$", "Z", regex=True, case=False),
                                    utc=True, errors="coerce", format="ISO8601")
            ok = parsed.notna()
            aware[parsed.index[ok]] = parsed[ok].dt.tz_localize(None).to_numpy()
            is_aware[parsed.index[ok]] = True
        if (~has_off).any():
            parsed = pd.to_datetime(iso_s[~has_off], errors="coerce", format="ISO8601")
            ok = parsed.notna()
            naive[parsed.index[ok]] = parsed[ok].to_numpy()
    dmy = s[~iso].str.extract(_DMY_RE).dropna(subset=[0])
    if not dmy.empty:
        parts = dmy.fillna("0").astype(np.int64)
        parsed = pd.to_datetime(pd.DataFrame({"year": parts[2], "month": parts[1], "day": parts[0],
                                              "hour": parts[3], "minute": parts[4], "second": parts[5]}),
                                errors="coerce")
        bad_clock = (parts[3] > 23) | (parts[4] > 59) | (parts[5] > 59)
        parsed = parsed.where(~bad_clock)
        ok = parsed.notna()
        naive[parsed.index[ok]] = parsed[ok].to_numpy()
    rest = s[~iso & ~s.index.isin(dmy.index)]
    epoch = rest[rest.str.match(_EPOCH_RE).fillna(False).astype(bool)]
    if not epoch.empty:
        f = epoch.astype(float)
        ms = f >= 1e11
        parsed = pd.concat([pd.to_datetime(f[ms], unit="ms"), pd.to_datetime(f[~ms], unit="s")])
        aware[parsed.index] = parsed.to_numpy()
        is_aware[parsed.index] = True
    tw = rest[rest.str.match(_TWITTER_RE).fillna(False).astype(bool)]
    if not tw.empty:
        parsed = pd.to_datetime(tw, format="%a %b %d %H:%M:%S %z %Y", utc=True, errors="coerce")
        ok = parsed.notna()
        aware[parsed.index[ok]] = parsed[ok].dt.tz_localize(None).to_numpy()
        is_aware[parsed.index[ok]] = True
    return naive, aware, is_aware


def _parse_times(values: list[Any], tz: str) -> tuple[pd.Series, pd.Series, np.ndarray]:
    """Return (UTC times, TIME_FLAG, bad mask) for raw date cells; naive times are local to `tz`."""
    n = len(values)
    naive = np.full(n, np.datetime64("NaT"), dtype="datetime64[us]")
    aware = np.full(n, np.datetime64("NaT"), dtype="datetime64[us]")  # already UTC
    is_aware = np.zeros(n, dtype=bool)
    strings: dict[int, str] = {}
    all_text = all(type(v) is str for v in values)  # CSV: every cell is text (one cheap pass)
    for i, v in enumerate(() if all_text else values):
        if isinstance(v, pd.Timestamp | dt.datetime):
            ts = pd.Timestamp(v)
            if ts.tzinfo is not None:
                aware[i] = ts.tz_convert("UTC").tz_localize(None).to_datetime64()
                is_aware[i] = True
            else:
                naive[i] = ts.to_datetime64()
        elif isinstance(v, dt.date):
            naive[i] = np.datetime64(v, "us")
        elif isinstance(v, int | float | np.integer | np.floating) and not isinstance(v, bool):
            f = float(v)
            if 20000 <= f < 80000:  # an Excel serial date number in a cell without a date format
                serial = pd.Timestamp("1899-12-30") + pd.to_timedelta(f, unit="D")
                naive[i] = serial.round("s").to_datetime64()
            elif f >= 1e8:
                aware[i] = pd.Timestamp(f, unit="ms" if f >= 1e11 else "s").to_datetime64()
                is_aware[i] = True
            else:
                strings[i] = _cell_str(v)
        else:
            strings[i] = _cell_str(v)
    if all_text:
        strings = dict(enumerate(v.strip() for v in values))  # = _cell_str of a str
    if strings:
        # Parse each distinct string once (exports repeat timestamps), then scatter back.
        idx = np.fromiter(strings.keys(), dtype=np.int64, count=len(strings))
        codes, uniques = pd.factorize(pd.Series(list(strings.values()), dtype=object), sort=False)
        u_naive, u_aware, u_is_aware = _parse_time_strings(list(uniques))
        naive[idx] = u_naive[codes]
        aware[idx] = u_aware[codes]
        is_aware[idx] = u_is_aware[codes]
    local = pd.Series(naive)
    has_local = local.notna().to_numpy()
    flags = np.full(n, "", dtype=object)
    if has_local.any():
        # each distinct local time once (an export repeats its seconds: ~1,000 a 50k chunk)
        distinct, inv = np.unique(naive[has_local], return_inverse=True)
        loc = pd.Series(distinct)
        first = np.ones(len(loc), dtype=bool)  # ambiguous autumn time: first occurrence (summer time)
        strict = loc.dt.tz_localize(tz, ambiguous="NaT", nonexistent="NaT")
        gap = loc.dt.tz_localize(tz, ambiguous=first, nonexistent="NaT").isna().to_numpy()
        final = loc.dt.tz_localize(tz, ambiguous=first, nonexistent="shift_forward").dt.tz_convert("UTC")
        pos = np.flatnonzero(has_local)
        aware[pos] = final.dt.tz_localize(None).to_numpy()[inv]
        flags[pos[gap[inv]]] = "dst_gap"
        flags[pos[(strict.isna().to_numpy() & ~gap)[inv]]] = "dst_ambiguous"
    result = pd.Series(aware).dt.tz_localize("UTC")
    year = result.dt.year
    bad = (result.isna() | (year < 1990) | (year > 2100)).fillna(True).to_numpy(dtype=bool)
    return result, pd.Series(flags, dtype="str"), bad


def _derived_id(key: str) -> str:
    return "h_" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def _parse_bools(values: list[Any], label: str, lines: list[int] | None, row0: int = 0,
                 check: int = 0) -> np.ndarray:
    out = np.zeros(len(values), dtype=bool)
    for i, v in enumerate(values):
        if isinstance(v, bool | np.bool_):
            out[i] = bool(v)
            continue
        key = _cell_str(v).lower()
        if key not in BOOL_VALUES:
            where_nl, where_en = _where(row0 + i + 1, lines[i] if lines else None)
            err = _fail(f"{where_nl}: {label} '{_show(v)}' is geen ja/nee-waarde",
                        f"{where_en}: {label} '{_show(v)}' is not a yes/no value", code="bad_bool",
                        row=row0 + i + 1, line=lines[i] if lines else None)
            err.check = check
            raise err
        out[i] = BOOL_VALUES[key]
    return out


def _row_error(mask: np.ndarray, lines: list[int] | None, nl: Callable[[int], str],
               en: Callable[[int], str], code: str, *, row0: int = 0, check: int = 0,
               extra: int = 0) -> IngestError:
    """Return the error naming the first row of `mask` (`row0` rows precede this chunk).

    `extra` bad rows found in later chunks of a streamed file count in "(and N more rows)".
    """
    bad = np.flatnonzero(mask)
    i = int(bad[0])
    line = lines[i] if lines else None
    where_nl, where_en = _where(row0 + i + 1, line)
    more = len(bad) - 1 + extra
    more_nl = f" (en nog {more} andere rijen)" if more else ""
    more_en = f" (and {more} more rows)" if more else ""
    err = _fail(f"{where_nl}: {nl(i)}{more_nl}", f"{where_en}: {en(i)}{more_en}", code=code, row=row0 + i + 1,
                line=line)
    err.check = check
    err.bad_rows = len(bad)
    err.remake = lambda n: _row_error(mask, lines, nl, en, code, row0=row0, check=check, extra=extra + n)
    return err


def _kind_of(v: Any) -> str:
    """Return "" for a scalar cell value, else what it is ("lijst"/"object"/"ja/nee-waarde")."""
    if isinstance(v, list | tuple | set | np.ndarray):
        return "lijst/list"
    if isinstance(v, dict):
        return "object"
    if isinstance(v, bool | np.bool_):
        return "ja/nee-waarde/boolean"
    return ""


_NOT_SCALAR = (list, tuple, set, dict, np.ndarray)
_TEXT_FIELDS = ("text", "id", "author", "url")


def _check_cells(cols: dict[str, int], column: Callable[[str], list[Any]], lines: list[int] | None,
                 row0: int = 0) -> None:
    """Reject lists/objects in any used column, booleans where text is expected, oversized cells."""
    for f_index, field in enumerate(cols):
        values = column(field)
        types = set(map(type, values))  # one cheap pass; the per-row masks only when needed
        bad_types = _NOT_SCALAR + ((bool, np.bool_) if field in _TEXT_FIELDS else ())
        if any(issubclass(t, bad_types) for t in types):
            not_scalar = np.array([isinstance(v, bad_types) for v in values], dtype=bool)
            raise _row_error(not_scalar, lines,
                             lambda i, f=field, v=values: f"veld {f} is een {_kind_of(v[i])}, geen tekst",
                             lambda i, f=field, v=values: f"field {f} is a {_kind_of(v[i])}, not a text",
                             "not_text", row0=row0, check=10 + 2 * f_index)
        longest = (max(map(len, values)) if types == {str}  # CSV: all text, a C-level pass
                   else max((len(v) for v in values if type(v) is str), default=0))
        if longest > MAX_CELL_CHARS:
            big = np.array([isinstance(v, str) and len(v) > MAX_CELL_CHARS for v in values], dtype=bool)
            raise _row_error(big, lines,
                             lambda i, f=field: f"veld {f} is langer dan {MAX_CELL_CHARS} tekens",
                             lambda i, f=field: f"field {f} is longer than {MAX_CELL_CHARS} characters",
                             "cell_too_large", row0=row0, check=11 + 2 * f_index)


# Characters that show nothing: format characters (zero-width space/joiners, BOM, bidi marks),
# whitespace and separators, and blank look-alikes (Hangul fillers, braille blank).
_INVISIBLE_RE = re.compile(r"[\s\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f"
                           r"\u202a-\u202e\u2060-\u206f\u2800\u3164\ufe00-\ufe0f\ufeff\uffa0"
                           r"\ufff9-\ufffb\U000e0000-\U000e007f]+")


def _only_invisible(text: pd.Series) -> np.ndarray:
    """Return per text whether it fullmatches `_INVISIBLE_RE`.

    No character of that class is printable ASCII ("!" to "~"), so only the texts without one
    (found by Arrow's scan in C) go through Python's regex: nearly none of a real export.
    """
    out = np.zeros(len(text), dtype=bool)
    maybe = ~text.str.contains("[!-~]", regex=True).fillna(False).to_numpy(dtype=bool)
    if maybe.any():
        out[maybe] = text[maybe].str.fullmatch(_INVISIBLE_RE).fillna(False).to_numpy(dtype=bool)
    return out


_RETWEET_RE = re.compile(r"RT @\w")


def _classic_retweet(text: pd.Series) -> np.ndarray:
    """Return per text whether `_RETWEET_RE` matches at its start (a classic retweet).

    Arrow finds the texts starting with "RT @"; the Unicode word-character test then runs once per
    distinct five-character prefix instead of once per text.
    """
    out = text.str.startswith("RT @").fillna(False).to_numpy(dtype=bool, copy=True)
    if out.any():
        codes, prefixes = pd.factorize(text[out].str.slice(0, 5))
        word = np.array([_RETWEET_RE.match(p) is not None for p in prefixes] + [False], dtype=bool)
        out[out] = word[codes]  # code -1 (missing) takes the last slot: False
    return out


def _time_window(window: tuple[pd.Timestamp, pd.Timestamp] | None) -> tuple[pd.Timestamp, pd.Timestamp]:
    lo, hi = window if window else (pd.Timestamp("1990-01-01", tz="UTC"),
                                    pd.Timestamp("2100-12-31", tz="UTC"))
    return pd.Timestamp(lo).tz_convert("UTC"), pd.Timestamp(hi).tz_convert("UTC")


def _local(ts: pd.Timestamp) -> str:
    return ts.tz_convert(TIME_ZONE).strftime("%d-%m-%Y %H:%M")


def _hash128(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return two independent 64-bit hashes per string (together 128 bits: no collision in practice)."""
    return (pd.util.hash_array(values, hash_key="luisterpost-key1", categorize=False),
            pd.util.hash_array(values, hash_key="luisterpost-key2", categorize=False))


class _SeenKeys:
    """The (platform, id) keys of the chunks read so far: 128-bit key hash, text hash, first row.

    About 40 bytes per distinct message (40 MB for a million), instead of the rows themselves.
    """

    def __init__(self) -> None:
        self._parts: list[tuple[np.ndarray, ...]] = []  # each sorted by its first key hash

    def lookup(self, k1: np.ndarray, k2: np.ndarray) -> tuple[np.ndarray, ...]:
        """Return (found, text hash 1, text hash 2, first row) per key."""
        n = len(k1)
        found = np.zeros(n, dtype=bool)
        t1 = np.zeros(n, dtype=np.uint64)
        t2 = np.zeros(n, dtype=np.uint64)
        rows = np.zeros(n, dtype=np.int64)
        for p1, p2, q1, q2, prow in self._parts:
            pos = np.minimum(np.searchsorted(p1, k1), len(p1) - 1)
            hit = ~found & (p1[pos] == k1) & (p2[pos] == k2)
            t1[hit], t2[hit], rows[hit] = q1[pos[hit]], q2[pos[hit]], prow[pos[hit]]
            found |= hit
        return found, t1, t2, rows

    def add(self, k1: np.ndarray, k2: np.ndarray, t1: np.ndarray, t2: np.ndarray, rows: np.ndarray) -> None:
        """Record first occurrences (keys not seen before, each once)."""
        if len(k1):
            self._parts.append((k1, k2, t1, t2, np.asarray(rows, dtype=np.int64)))
        if len(self._parts) >= 8:  # merge: few sorted parts to search per chunk
            self._parts = [tuple(np.concatenate([p[j] for p in self._parts]) for j in range(5))]
        last = self._parts[-1] if self._parts else None
        if last is not None:
            order = np.argsort(last[0], kind="stable")
            self._parts[-1] = tuple(a[order] for a in last)

    def __len__(self) -> int:
        return sum(len(p[0]) for p in self._parts)


def _standardise(header: list[str], rows: list[list[Any]], lines: list[int] | None, *,
                 mapping: dict[str, str] | None, tz: str, progress: Progress | None,
                 window: tuple[pd.Timestamp, pd.Timestamp] | None = None, replaced: int = 0,
                 flattened: bool = False, row0: int = 0, seen: _SeenKeys | None = None,
                 clean_text: bool = False) -> pd.DataFrame:
    """Return the ingest output frame for parsed rows; any bad row raises `IngestError`.

    `replaced` control characters were already replaced by spaces while
    decoding; those in text values (JSON escapes, XLSX cells) are replaced here,
    a NUL rejects the row. `attrs["controls_replaced"]` holds the total.
    `flattened` (JSON) means "field.sub" columns are objects flattened by `json_normalize`.

    `window` (start, end), when given, is the plausible time range: a message
    dated outside it rejects the file (a message dated 2099 must not stretch the
    incident's time axis).

    `clean_text`: the cells come from decoded text whose control characters were already
    replaced and that holds no NUL (the streamed import), so the text needs no such scan.

    A streamed file comes in chunks: `row0` data rows precede this one (errors name file
    rows) and `seen` holds the (platform, id) keys of the earlier chunks, so a repeated
    id is found whichever chunks it spans. Each row check carries its position
    (`IngestError.check`) so the whole file's first failing check can be reported.
    """
    cols = _resolve_columns(header, mapping)
    n = len(rows)
    if n == 0:
        raise _fail("bestand bevat alleen een kopregel, geen berichten",
                    "file holds only a header row, no messages", code="empty")

    columns: dict[str, list[Any]] = {}  # each column is read from the rows once (callers only read it)

    def column(field: str) -> list[Any]:
        values = columns.get(field)
        if values is None:
            idx = cols.get(field)
            values = columns[field] = [None] * n if idx is None else [r[idx] for r in rows]
        return values

    _check_cells(cols, column, lines, row0)
    for field, idx in cols.items() if flattened else ():  # an object in a used field became "field.sub"
        nested = [j for j, h in enumerate(header) if h.startswith(f"{header[idx]}.")]
        if nested:
            mask = np.array([any(r[j] is not None for j in nested) for r in rows], dtype=bool)
            if mask.any():
                raise _row_error(mask, lines, lambda i, f=field: f"veld {f} is een object, geen tekst",
                                 lambda i, f=field: f"field {f} is an object, not a text", "not_text",
                                 row0=row0, check=5000 + idx)
    text = str_series([_cell_str(v) if not isinstance(v, str) else v for v in column("text")])
    nul = (np.zeros(n, dtype=bool) if clean_text
           else text.str.contains("\x00", regex=False).to_numpy(dtype=bool))
    if nul.any():
        raise _row_error(nul, lines, lambda i: "tekst bevat een NUL-teken (U+0000)",
                         lambda i: "text holds a NUL character (U+0000)", "control_char", row0=row0,
                         check=10_000)
    controls = pd.Series(0, index=text.index) if clean_text else text.str.count(_CONTROL_RE)
    if controls.any():
        replaced += int(controls.sum())
        text = text.str.replace(_CONTROL_RE, " ", regex=True)
    empty = (text.str.strip() == "").to_numpy()
    if empty.any():
        raise _row_error(empty, lines, lambda i: "tekst is leeg", lambda i: "text is empty", "empty_text",
                         row0=row0, check=10_001)
    invisible = _only_invisible(text)
    if invisible.any():
        raise _row_error(invisible, lines, lambda i: "tekst bestaat alleen uit onzichtbare tekens",
                         lambda i: "text consists of invisible characters only", "invisible_text",
                         row0=row0, check=10_002)
    if progress:
        progress(min(n, PROGRESS_EVERY), n)

    raw_times = column("created_at") if "created_at" in cols else column("date")
    if "date" in cols and "time" in cols and "created_at" not in cols:
        raw_times = _combine_date_time(column("date"), column("time"))
    created, flags, bad = _parse_times(raw_times, tz)
    if bad.any():
        raise _row_error(bad, lines,
                         lambda i: f"datum '{_show(_cell_str(raw_times[i]))}' is geen geldige datum",
                         lambda i: f"date '{_show(_cell_str(raw_times[i]))}' is not a valid date", "bad_date",
                         row0=row0, check=10_003)
    if window is not None:
        lo, hi = _time_window(window)
        outside = ((created < lo) | (created > hi)).to_numpy(dtype=bool)
        if outside.any():
            raise _row_error(
                outside, lines,
                lambda i: f"tijd {_local(created[i])} valt buiten de plausibele periode {_local(lo)} – "
                          f"{_local(hi)} (start incident − 7 dagen tot nu + 1 dag); controleer de "
                          "datumkolom, de tijdzone of de starttijd van het incident",
                lambda i: f"time {_local(created[i])} lies outside the plausible period {_local(lo)} – "
                          f"{_local(hi)} (incident start − 7 days to now + 1 day); check the date column, "
                          "the time zone or the incident's start time", "time_range", row0=row0, check=10_004)

    is_reply = np.zeros(n, dtype=bool)
    is_repost = np.zeros(n, dtype=bool)
    if "type" in cols:
        types = [_norm_header(_cell_str(v)) for v in column("type")]
        unknown = np.array([t != "" and t not in TYPE_VALUES for t in types], dtype=bool)
        if unknown.any():
            raw_types = column("type")
            allowed = ", ".join(TYPE_VALUES)
            raise _row_error(unknown, lines,
                             lambda i: f"berichttype '{_show(raw_types[i])}' is onbekend "
                                       f"(toegestaan: {allowed})",
                             lambda i: f"message type '{_show(raw_types[i])}' is unknown "
                                       f"(allowed: {allowed})",
                             "bad_type", row0=row0, check=10_005)
        is_reply |= np.array([TYPE_VALUES.get(t, (False, False))[0] for t in types], dtype=bool)
        is_repost |= np.array([TYPE_VALUES.get(t, (False, False))[1] for t in types], dtype=bool)
    if "is_reply" in cols:
        is_reply |= _parse_bools(column("is_reply"), "is_reply", lines, row0, 10_006)
    if "is_repost" in cols:
        is_repost |= _parse_bools(column("is_repost"), "is_repost", lines, row0, 10_007)
    # A classic retweet without a type column still reads as a repost.
    is_repost |= _classic_retweet(text)

    platform = privacy.normalise_platforms(pd.Series(column("platform"), dtype=object))
    author = str_series(_cell_strs(column("author")))
    url = str_series(_cell_strs(column("url")))
    ids = str_series(_cell_strs(column("id")))
    need_id = (ids == "") | (ids.str.len() > 200)
    if need_id.any():
        created_iso = created[need_id].dt.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        keys = (platform[need_id] + "\x1f" + created_iso + "\x1f" + author[need_id]
                + "\x1f" + text[need_id])
        ids = ids.where(~need_id, keys.map(_derived_id))
    if progress:
        progress(n, n)
    out = pd.DataFrame({
        S.PLATFORM: platform, S.SOURCE_ID: ids, S.CREATED_AT: created, S.TEXT: text,
        RAW_AUTHOR: author, RAW_URL: url, S.IS_REPLY: is_reply, S.IS_REPOST: is_repost,
        S.TIME_FLAG: flags,
    }, columns=list(OUTPUT_COLUMNS))
    # A repeated id is a duplicate only when its text is the same too. `seen` (a streamed file)
    # holds the first occurrence of every key of the earlier chunks as 128-bit hashes.
    dup_here = out.duplicated(subset=[S.PLATFORM, S.SOURCE_ID], keep="first").to_numpy(dtype=bool)
    found = np.zeros(n, dtype=bool)
    conflict = np.zeros(n, dtype=bool)
    first_seen = np.zeros(n, dtype=np.int64)
    if seen is not None:
        k1, k2 = _hash128((out[S.PLATFORM] + "\x1f" + out[S.SOURCE_ID]).to_numpy(dtype=object))
        t1, t2 = _hash128(out[S.TEXT].to_numpy(dtype=object))
        found, s1, s2, first_seen = seen.lookup(k1, k2)
        conflict |= found & ((s1 != t1) | (s2 != t2))
        new = ~found & ~dup_here
        seen.add(k1[new], k2[new], t1[new], t2[new], row0 + np.flatnonzero(new) + 1)
    local = dup_here & ~found  # repeats of a key first seen in this chunk
    if local.any():
        first_text = out.groupby([S.PLATFORM, S.SOURCE_ID], sort=False)[S.TEXT].transform("first")
        differs = local & (out[S.TEXT] != first_text).to_numpy(dtype=bool)
        if differs.any():  # one message as two exports wrote it (`other_text`) is a repeat, not a conflict
            at = np.flatnonzero(differs)
            differs[at[[not other_text(first, text) for first, text in
                        zip(first_text.to_numpy()[at], out[S.TEXT].to_numpy()[at], strict=True)]]] = False
        conflict |= differs
    dup = pd.Series(dup_here | found)
    if conflict.any():
        key = out[S.PLATFORM] + "\x1f" + out[S.SOURCE_ID]

        def first_row(i: int) -> int:
            if found[i]:
                return int(first_seen[i])
            return row0 + int(np.flatnonzero((key == key[i]).to_numpy())[0]) + 1

        raise _row_error(conflict, lines,
                         lambda i: f"id staat ook in rij {first_row(i)}, maar met een andere tekst; "
                                   "ids moeten uniek zijn (verwijder de id-kolom om ids af te leiden)",
                         lambda i: f"id also occurs in row {first_row(i)}, but with a different text; "
                                   "ids must be unique (drop the id column to derive ids)", "id_conflict",
                         row0=row0, check=10_008)
    keep = ~dup.to_numpy(dtype=bool)
    out = out.loc[keep].reset_index(drop=True)
    out.attrs["dropped_rows"] = tuple(int(i) for i in np.flatnonzero(~keep))  # to name rows later
    out.attrs["rows"] = n
    out.attrs["controls_replaced"] = replaced
    out.attrs["duplicates_in_file"] = int(dup.sum())
    return out


def _check_tz(tz: str) -> None:
    try:
        pd.Timestamp("2026-01-01").tz_localize(tz)
    except Exception as exc:  # noqa: BLE001 - zoneinfo/pytz raise different types
        raise _fail(f"onbekende tijdzone '{_show(tz)}'", f"unknown time zone '{_show(tz)}'",
                    code="bad_timezone") from exc


# --- public reading API ----------------------------------------------------------------
def read_messages(source: Path | bytes, *, filename: str | None = None, mapping: dict[str, str] | None = None,
                  fmt: str | None = None, tz: str = TIME_ZONE, progress: Progress | None = None,
                  window: tuple[pd.Timestamp, pd.Timestamp] | None = None) -> pd.DataFrame:
    """Return one validated row per message of an export file (raw author/URL kept); see module doc.

    `attrs["rows"]` holds the data rows read and `attrs["duplicates_in_file"]`
    the repeated ids dropped (the first occurrence is kept; the same id with a
    different text is rejected). `window` (UTC start, end) rejects messages
    dated outside it (`plausible_window` gives the one of an incident). Every
    failure, also an unforeseen one, is an `IngestError`, never a traceback.
    """
    _check_tz(tz)
    if isinstance(source, bytes | bytearray):
        data = bytes(source)
    else:
        path = Path(source)
        filename = filename or path.name
        data = _read_file(path)
    if len(data) > MAX_FILE_BYTES:
        raise _too_large(len(data))
    box = [data]  # handed over, so the raw bytes can be freed once decoded
    del data, source
    return _guard(lambda: _read(box, filename=filename, mapping=mapping, fmt=fmt, tz=tz, progress=progress,
                                window=window))


def _guard(read: Callable[[], Any]) -> Any:
    """Run `read`; turn any failure into an `IngestError` with a clear message (never a traceback)."""
    try:
        return read()
    except (IngestError, _Fallback, _Redo):
        raise
    except RecursionError as exc:
        raise _fail(f"bestand is te diep genest (meer dan {MAX_JSON_DEPTH} niveaus)",
                    f"file nests too deeply (more than {MAX_JSON_DEPTH} levels)", code="json_depth") from exc
    except MemoryError as exc:
        raise _fail("bestand is te groot om te verwerken", "file is too large to process",
                    code="too_large") from exc
    except Exception as exc:  # noqa: BLE001 - the last line of defence: a clear error, never a traceback
        raise _fail(f"bestand kan niet verwerkt worden (onverwachte fout {type(exc).__name__}); controleer "
                    "het formaat of meld dit bij beheer",
                    f"file cannot be processed (unexpected error {type(exc).__name__}); check the format or "
                    "report this to the administrator", code="invalid") from exc


def _too_large(size: int) -> IngestError:
    return _fail(f"bestand is {size // 2**20} MB; maximaal {MAX_FILE_BYTES // 2**20} MB per bestand "
                 "(splits het)",
                 f"file is {size // 2**20} MB; at most {MAX_FILE_BYTES // 2**20} MB per file (split it)",
                 code="too_large")


def _read_file(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise _too_large(size)
        return path.read_bytes()
    except OSError as exc:
        raise _fail(f"bestand {_show(path.name)} kan niet gelezen worden: {exc.strerror}",
                    f"file {_show(path.name)} cannot be read: {exc.strerror}", code="read_error") from exc


def _read(box: list[bytes], *, filename: str | None, mapping: dict[str, str] | None, fmt: str | None,
          tz: str, progress: Progress | None,
          window: tuple[pd.Timestamp, pd.Timestamp] | None) -> pd.DataFrame:
    """Parse and standardise the bytes in `box` (taken out of it: freed as soon as they are decoded)."""
    data = box.pop()
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise _fail("bestand is leeg", "file is empty", code="empty")
    kind = _detect_format(data, filename, fmt)
    lines: list[int] | None
    replaced = 0
    if kind == "xlsx":
        header, rows, lines = _parse_xlsx(data)
    else:
        text, _encoding, replaced = _decode(data)
        del data
        if kind == "json":
            header, rows, lines = _parse_json(text)
        elif kind == "ndjson":
            header, rows, lines = _parse_ndjson(text)
        else:
            header, rows, lines = _parse_csv(text, "\t" if kind == "tsv" else None)
        del text  # the rows hold what is needed
    return _standardise(header, rows, lines, mapping=mapping, tz=tz, progress=progress, window=window,
                        replaced=replaced, flattened=kind in ("json", "ndjson"))


def frame_to_messages(df_raw: pd.DataFrame, *, mapping: dict[str, str] | None = None,
                      tz: str = TIME_ZONE,
                      window: tuple[pd.Timestamp, pd.Timestamp] | None = None) -> pd.DataFrame:
    """Return the `read_messages` output for an in-memory frame (live/replay path)."""
    _check_tz(tz)
    header = [str(c) for c in df_raw.columns]
    values = df_raw.astype(object).where(df_raw.notna(), None).to_numpy().tolist()
    return _standardise(header, values, None, mapping=mapping, tz=tz, progress=None, window=window)


def plausible_window(incident: dict[str, Any], now: pd.Timestamp | None = None, *,
                     allow_earlier: bool = False) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Return the (UTC start, end) of plausible message times: incident start − 7 days … now + 1 day.

    `allow_earlier` (a person confirmed that older messages belong to this incident,
    e.g. an exercise replaying a past export) lifts the lower bound to 1990; a time
    after now + 1 day stays impossible.
    """
    start = pd.Timestamp(incident["start_at"])
    start = start.tz_localize("UTC") if start.tzinfo is None else start.tz_convert("UTC")
    now = pd.Timestamp.now(tz="UTC") if now is None else pd.Timestamp(now).tz_convert("UTC")
    lower = _time_window(None)[0] if allow_earlier else start - EARLIEST_BEFORE_START
    return lower, max(now, start) + LATEST_AFTER_NOW


# --- storing ---------------------------------------------------------------------------
def _reject(engine: Engine, actor: str, obj: str, exc: IngestError, details: dict[str, Any]) -> None:
    """Audit a rejected import by reason code and row/line numbers only: never the message or a value."""
    store.audit(engine, actor=actor, action="ingest", obj=obj, outcome="rejected", reason=exc.code,
                details={**details, "code": exc.code, "row": exc.row, "line": exc.line})


def default_officials() -> pd.DataFrame | None:
    """Return the configured official-account list, or None when there is none."""
    path = get_settings().official_accounts_file
    return privacy.load_official_accounts(path) if path.exists() else None


_TOKEN_RE = re.compile(r"\[[^\]\s]{1,30}\]|\w+")


def other_text(stored: str, new: str) -> bool:
    """Return True when two scrubbed texts of one id are different messages, not scrubbing variants.

    Scrubbing depends on the batch (author names known in that file) and on
    the scrubber version, so the same message can be stored with a placeholder
    (`[naam]`, `[link]` …) where the new text still has words, or the reverse.
    Exports differ in dress too: case, spacing, HTML entities, punctuation and
    quote marks (seen under one tweet id in CrisisLex and CT22 files: "&amp;" and
    "&", a double space, a quoted retweet wrapped in "“…”"). Any other difference
    (a word for another word, words added) is another message.
    """
    a = _TOKEN_RE.findall(html.unescape(stored).lower())
    b = _TOKEN_RE.findall(html.unescape(new).lower())

    def placeholders(tokens: list[str]) -> bool:
        return bool(tokens) and all(t.startswith("[") for t in tokens)

    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    return any(op != "equal" and not (placeholders(a[i1:i2]) or placeholders(b[j1:j2]))
               for op, i1, i2, j1, j2 in matcher.get_opcodes())


STORED_CONFLICT_CHECK = 20_000  # after every check of `_standardise` (see IngestError.check)


def _stored_conflicts(conn: Any, incident_id: int, prepared: pd.DataFrame) -> np.ndarray:
    """Return per row whether its id is already stored in the incident with another text (`other_text`)."""
    conflict = np.zeros(len(prepared), dtype=bool)
    for start in range(0, len(prepared), 5000):
        chunk = prepared.iloc[start:start + 5000]
        for platform, group in chunk.groupby(S.PLATFORM, sort=False):
            stored = batches.stored_texts(conn, incident_id, platform, group[S.SOURCE_ID].tolist())
            if not stored:
                continue
            old = group[S.SOURCE_ID].map(stored)
            differs = (old.notna() & (old != group[S.TEXT])).to_numpy(dtype=bool)
            if not differs.any():
                continue
            other = np.array([other_text(a, b) for a, b in zip(old[differs], group[S.TEXT][differs],
                                                                 strict=True)], dtype=bool)
            conflict[start + np.flatnonzero(chunk.index.isin(group.index[differs][other]))] = True
    return conflict


def _stored_conflict_error(conflict: np.ndarray, dropped: list[int], *, row0: int = 0,
                           extra: int = 0) -> IngestError:
    """Return the error naming the first row in `conflict` (of the file: `row0` rows came before)."""
    i = int(np.flatnonzero(conflict)[0])
    row = row0 + int(np.delete(np.arange(len(conflict) + len(dropped)), dropped)[i]) + 1
    line = None
    where_nl, where_en = _where(row, line)
    bad = int(conflict.sum())
    more = bad - 1 + extra
    err = _fail(f"{where_nl}: id is al opgeslagen in dit incident met een andere tekst"
                f"{f' (en nog {more} andere rijen)' if more else ''}; het bestand hergebruikt ids van "
                "andere berichten (bv. rijnummers): verwijder de id-kolom om ids af te leiden, of "
                "importeer in een ander incident",
                f"{where_en}: id is already stored in this incident with a different text"
                f"{f' (and {more} more rows)' if more else ''}; the file reuses ids of other messages "
                "(e.g. row numbers): drop the id column to derive ids, or import into another incident",
                code="id_conflict", row=row, line=line)
    err.check = STORED_CONFLICT_CHECK
    err.bad_rows = bad
    err.remake = lambda n: _stored_conflict_error(conflict, dropped, row0=row0, extra=extra + n)
    return err


def _check_stored_conflicts(conn: Any, incident_id: int, prepared: pd.DataFrame,
                            messages: pd.DataFrame) -> None:
    """Reject rows whose id is already stored in the incident with a DIFFERENT text (`other_text`).

    Such a file reuses ids (e.g. row numbers of another export): counting those
    rows as "al aanwezig" would silently drop them, overwriting would change
    stored messages. Rows with the same id and text stay ordinary duplicates.
    """
    if not batches.incident_has_messages(conn, incident_id):
        return
    conflict = _stored_conflicts(conn, incident_id, prepared)
    if conflict.any():
        raise _stored_conflict_error(conflict, list(messages.attrs.get("dropped_rows", ())))


def _store(engine: Engine, inc: dict[str, Any], messages: pd.DataFrame, *, filename: str, sha256: str,
           rows: int, dup_file: int, actor: str, progress: Progress | None,
           officials: pd.DataFrame | None, before_commit: BeforeCommit | None = None) -> IngestResult:
    key = privacy.load_or_create_key(get_settings().key_file)
    prepared = privacy.prepare_messages(messages, key, officials)
    n = len(prepared)
    flagged = int((prepared[S.TIME_FLAG] != "").sum())
    with engine.begin() as conn:
        _check_stored_conflicts(conn, inc["id"], prepared.reset_index(drop=True), messages)
        batch_id = batches.open_batch(conn, inc["id"], filename=filename, sha256=sha256, rows=rows,
                                      actor=actor)
        added = 0
        authors = store.incident_authors(prepared, inc["id"])  # one HMAC per distinct author
        for start in range(0, max(n, 1), PROGRESS_EVERY):
            chunk = prepared.iloc[start:start + PROGRESS_EVERY]
            added += store.insert_messages(conn, inc["id"], chunk, batch_id=batch_id,
                                           authors=authors.iloc[start:start + PROGRESS_EVERY])
            if progress:
                progress(n + min(start + PROGRESS_EVERY, n), 2 * n)
        batches.close_batch(conn, batch_id, added)
        if before_commit:  # e.g. the collector's cursor: it advances with this batch or not at all
            before_commit(conn, batch_id, added)
        moments_added = store.moments_from_official_messages(conn, inc["id"])
        store.write_audit(conn, actor=actor, action="ingest", obj=f"incident:{inc['id']}", details={
            "file": filename, "sha256": sha256, "rows": rows, "added": added,
            "duplicates_in_db": n - added, "duplicates_in_file": dup_file, "flagged_times": flagged,
            "moments_added": moments_added, "batch_id": batch_id,
            "controls_replaced": messages.attrs.get("controls_replaced", 0)})
    return IngestResult(rows=rows, added=added, duplicates_in_db=n - added, duplicates_in_file=dup_file,
                        batch_id=batch_id, flagged_times=flagged, moments_added=moments_added,
                        controls_replaced=messages.attrs.get("controls_replaced", 0))


# --- streamed import of large CSV/TSV files --------------------------------------------
STREAM_CHUNK = 50_000  # data rows per chunk of a streamed import: memory follows the chunk, not the file
STREAM_BLOCK = 2**20  # bytes read and decoded at a time


class _Fallback(Exception):  # noqa: N818 - a signal, not an error
    """The file needs the whole-file path after all (not UTF-8, a NUL, binary content, ...)."""


class _Redo(Exception):  # noqa: N818 - a signal, not an error
    """The display names of the whole file differ from the pre-scan's: prepare again with these."""

    def __init__(self, known: frozenset[str]) -> None:
        super().__init__("redo")
        self.known = known


@dataclass
class _Stream:
    """A CSV/TSV file read block by block: its checksum, bytes read and control characters replaced."""

    path: Path
    kind: str
    size: int
    sha: Any = None
    pos: int = 0
    replaced: int = 0
    sep_line: bool = False
    marked: int = 0  # stray CRs parked as _CR_MARK so far

    def pieces(self) -> Iterator[str]:
        """Yield the file decoded strictly as UTF-8, stray control characters replaced by spaces.

        Anything the whole-file path treats specially (another encoding, a NUL, binary
        content) raises `_Fallback` so that path decides, with its own messages.
        """
        self.sha, self.pos, self.replaced = hashlib.sha256(), 0, 0
        decoder = codecs.getincrementaldecoder("utf-8")("strict")
        with self.path.open("rb") as fh:
            first = True
            while block := fh.read(STREAM_BLOCK):
                self.sha.update(block)
                self.pos += len(block)
                if b"\x00" in block or self.pos > MAX_FILE_BYTES:
                    raise _Fallback
                try:
                    text = decoder.decode(block[3:] if first and block.startswith(codecs.BOM_UTF8) else block)
                except UnicodeDecodeError:
                    raise _Fallback from None
                if first:
                    sample = text[:20000]
                    if len(_CONTROL_RE.findall(sample)) > max(8, len(sample) // 200):
                        raise _Fallback  # binary content: rejected by the whole-file path
                    first = False
                text, n = _CONTROL_RE.subn(" ", text)
                self.replaced += n
                yield text
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                raise _Fallback from None

    def records(self) -> tuple[Iterator[tuple[list[Any], Any]], str]:
        """Return the `_csv_records` of the file (chunks of `STREAM_CHUNK` rows) and its delimiter."""
        pieces = self.pieces()
        first = next(pieces, "")
        lf = _lf_line_ends(first)  # lines end in "\n" or "\r\n": a lone "\r" is text
        if self.pos < self.size and ("\n" not in first or lf is None):
            raise _Fallback  # a first line longer than a block, or only "\r" line ends: the whole file says
        lf = lf if lf is not None else "\n" in first  # all of the file, as `_mark_stray_crs` decides
        delimiter = "\t" if self.kind == "tsv" else None
        sep_line = _SEP_LINE_RE.match(first)
        self.sep_line = bool(sep_line)
        if sep_line:  # Excel's "sep=;" first line names the delimiter
            delimiter = sep_line.group(1)
            first = "\n" + first[sep_line.end():]
        if delimiter is None:
            body = first.lstrip("\n")
            if "\n" not in body and self.pos < self.size:
                raise _Fallback  # a header line longer than a block
            delimiter = _detect_delimiter(body)
        text = itertools.chain([first], pieces)
        if not lf:
            return _csv_records(_text_lines(text), delimiter, STREAM_CHUNK), delimiter
        return _csv_records(_text_lines(self._mark_stray_crs(text)), delimiter, STREAM_CHUNK,
                            marked=lambda: self.marked), delimiter

    def _mark_stray_crs(self, pieces: Iterator[str]) -> Iterator[str]:
        r"""Yield the pieces with their lone CRs parked as `_CR_MARK` (counted in `marked`).

        As `_mark_stray_crs` does for a whole file: a CR ending a piece is held back until the
        next piece shows whether a "\n" follows it ("\r\n" may span two blocks); one ending the
        file is its last line end.
        """
        self.marked = 0
        held = False
        for piece in pieces:
            if held:
                piece = "\r" + piece
            held = piece.endswith("\r")
            if held:
                piece = piece[:-1]
            if _has_stray_cr(piece):
                piece, n = _STRAY_CR_RE.subn(_CR_MARK, piece)
                self.marked += n
            yield piece
        if held:
            yield "\r"


def _text_lines(pieces: Iterator[str]) -> Iterator[str]:
    """Return the lines of consecutive text pieces, line ends kept (split like `_LINE_RE`).

    Each run of whole lines is split by io.StringIO(newline="") in C, not line by line here.
    """
    def blocks() -> Iterator[io.StringIO]:
        tail = ""
        for piece in pieces:
            text = tail + piece if tail else piece
            cut = max(text.rfind("\n"), text.rfind("\r"))
            if cut == len(text) - 1 and text[cut] == "\r":  # "\r" + "\n" may span two pieces
                cut = max(text.rfind("\n", 0, cut), text.rfind("\r", 0, cut))
            if cut < 0:
                tail = text
                continue
            tail = text[cut + 1:]
            yield io.StringIO(text[:cut + 1] if tail else text, newline="")
        if tail:
            yield io.StringIO(tail, newline="")

    return itertools.chain.from_iterable(blocks())


def _streamable(path: Path, fmt: str | None) -> tuple[str, int] | None:
    """Return (format, size) when `path` is a CSV/TSV export the streamed import can read, else None."""
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(65536)
            fh.seek(max(size - 1, 0))
            last = fh.read(1)
    except OSError:
        return None
    if size > MAX_FILE_BYTES or last == b"\x1a":  # too large / an old DOS end-of-file mark
        return None
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _utf16_without_bom(head):
        return None
    if not head.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        return None
    try:
        kind = _detect_format(head, path.name, fmt)
    except IngestError:
        return None
    return (kind, size) if kind in ("csv", "tsv") else None


def _public_names(author: pd.Series, platform: pd.Series | None, officials: pd.DataFrame | None) -> set[str]:
    """Return `privacy.known_names` of the public authors of one block of a pre-scan."""
    author = author.str.strip()
    several = author.str.contains(r"\s", regex=True).to_numpy(dtype=bool)
    if not several.any():
        return set()
    author = author[several]
    platform = platform[several] if platform is not None else pd.Series("", index=author.index)
    platform = privacy.normalise_platforms(privacy.normalise_platforms(platform.astype(object)))
    public = (privacy.official_kinds(platform, author, officials) == "").to_numpy(dtype=bool)
    return set(privacy.known_names(author[public]))


def _prescan_names(path: Path, sep_line: bool, cols: dict[str, int], delimiter: str,
                   officials: pd.DataFrame | None) -> frozenset[str]:
    """Return a first guess of `privacy.known_names` of the file's public authors (a fast C parser).

    The streamed import checks the guess against the names it actually reads and starts
    again when they differ, so every text is scrubbed with the names of the WHOLE file.
    Arrow's CSV reader reads the one or two columns block by block (about 10x pandas' C
    parser here: 0,2 s for 1M rows); a file it cannot read (ragged rows, not UTF-8) takes
    pandas' parser, as before.
    """
    if "author" not in cols:
        return frozenset()
    try:
        return _prescan_names_arrow(path, sep_line, cols, delimiter, officials)
    except Exception:  # noqa: BLE001 - only a guess: the pandas reader tries, then the import checks
        return _prescan_names_pandas(path, sep_line, cols, delimiter, officials)


_ANY_SPACE_RE2 = r"[\s\v\x{1c}-\x{1f}\x{85}\p{Z}]"


def _prescan_names_arrow(path: Path, sep_line: bool, cols: dict[str, int], delimiter: str,
                         officials: pd.DataFrame | None) -> frozenset[str]:
    """`_prescan_names` with pyarrow's streaming CSV reader; raises on anything it cannot read."""
    use = {"author": f"f{cols['author']}"}
    if "platform" in cols:
        use["platform"] = f"f{cols['platform']}"
    reader = pa_csv.open_csv(
        path,
        read_options=pa_csv.ReadOptions(autogenerate_column_names=True, skip_rows=1 if sep_line else 0,
                                        block_size=1 << 22),
        parse_options=pa_csv.ParseOptions(delimiter=delimiter, newlines_in_values=True),
        convert_options=pa_csv.ConvertOptions(
            include_columns=list(use.values()), column_types=dict.fromkeys(use.values(), pa.string()),
            strings_can_be_null=False, quoted_strings_can_be_null=False),
    )
    names: set[str] = set()
    first = True
    for batch in reader:
        if first:
            batch, first = batch.slice(1), False  # the header row
        # a superset of Python's `\s` anywhere (RE2's `\s` is ASCII only); `_public_names` decides
        several = pa_compute.match_substring_regex(batch.column(use["author"]), _ANY_SPACE_RE2)
        if not pa_compute.any(several).as_py():
            continue  # most authors are one word (a handle): nothing of this block goes to pandas
        batch = batch.filter(several)
        author = pd.Series(batch.column(use["author"]).to_pylist(), dtype="str")
        platform = (pd.Series(batch.column(use["platform"]).to_pylist(), dtype="str") if "platform" in use
                    else None)
        names |= _public_names(author, platform, officials)
    return frozenset(names)


def _prescan_names_pandas(path: Path, sep_line: bool, cols: dict[str, int], delimiter: str,
                          officials: pd.DataFrame | None) -> frozenset[str]:
    """`_prescan_names` with pandas' C parser (it reads ragged rows; stops quietly at an error)."""
    use = [cols["author"]] + ([cols["platform"]] if "platform" in cols else [])
    names: set[str] = set()
    try:
        reader = pd.read_csv(path, sep=delimiter, header=None, skiprows=1 if sep_line else 0,
                             usecols=use, dtype=str, keep_default_na=False, na_filter=False, engine="c",
                             chunksize=STREAM_CHUNK, encoding="utf-8-sig", quoting=csv.QUOTE_MINIMAL)
        for n, chunk in enumerate(reader):
            chunk = chunk.iloc[1:] if n == 0 else chunk  # the header row
            names |= _public_names(chunk[cols["author"]],
                                   chunk[cols["platform"]] if "platform" in cols else None, officials)
    except Exception:  # noqa: BLE001 - only a guess: the import itself reads (and checks) the file
        return frozenset(names)
    return frozenset(names)


def _first_error(best: IngestError | None, exc: IngestError) -> IngestError:
    """Return the error the whole file gives: the earliest check that fails, all its rows counted.

    Chunks are read in file order, so for one check the first chunk's row comes first;
    an error without a check position (header, empty file) precedes every row check.
    """
    if best is None:
        return exc
    rank_new = -1 if exc.check is None else exc.check
    rank_best = -1 if best.check is None else best.check
    if rank_new < rank_best:
        return exc
    if rank_new == rank_best and best.remake is not None:
        return best.remake(exc.bad_rows)
    return best


_GC_LOCK = threading.Lock()
_GC_STATE = {"pauses": 0, "was_enabled": False, "frozen": False}


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Run a streamed import without automatic cyclic garbage collection (reference counting still frees).

    A chunk is 50k row lists and their cells: the automatic collector ran its passes over
    them (and over every other object of the process) thousands of times per file, a third
    of the parse time. Instead the objects alive at the start are frozen (`gc.freeze`: the
    modules, the engine) and `_collect_chunk` collects what one chunk left behind. Nested or
    concurrent imports (threads of the dashboard) share one pause; the last restores the state.
    """
    with _GC_LOCK:
        if _GC_STATE["pauses"] == 0:
            _GC_STATE["was_enabled"] = gc.isenabled()
            _GC_STATE["frozen"] = gc.get_freeze_count() == 0
            if _GC_STATE["frozen"]:
                gc.freeze()
            gc.disable()
        _GC_STATE["pauses"] += 1
    try:
        yield
    finally:
        with _GC_LOCK:
            _GC_STATE["pauses"] -= 1
            if _GC_STATE["pauses"] == 0:
                if _GC_STATE["frozen"]:
                    gc.unfreeze()
                if _GC_STATE["was_enabled"]:
                    gc.enable()


def _collect_chunk() -> None:
    """Free the reference cycles of one chunk (only objects made since `_gc_paused` began are scanned)."""
    gc.collect()


_PIPELINE_DEPTH = 2  # chunks being scrubbed while the next one is read
PARALLEL = True  # scrub the chunks of a multi-chunk file in a worker process (the second core)
_PREPARE_CACHES: dict[tuple[bytes, int], tuple[dict[str, str], dict[str, str]]] = {}
_WORKER_KNOWN: dict[str, frozenset[str]] = {}  # in the worker: the pre-scan's names of the import


def prescan_in_worker(*args: Any) -> frozenset[str]:
    """`_prescan_names` in the worker; the chunks it prepares next (known=None) use the result."""
    _WORKER_KNOWN["names"] = _prescan_names(*args)
    return _WORKER_KNOWN["names"]


def prepare_chunk(messages: pd.DataFrame, key: bytes, officials: pd.DataFrame | None,
                  known: frozenset[str] | None, incident_id: int,
                  caches: tuple[dict[str, str], dict[str, str]] | None = None,
                  ) -> tuple[pd.DataFrame, pd.Series, frozenset[str]]:
    """Prepare one chunk of a streamed import (in the worker process, or here).

    Returns `privacy.prepare_messages`, the incident's pseudonyms (`store.incident_authors`)
    and the display names of the chunk's public authors (`privacy.known_names`). Everything
    comes in as arguments (key, officials): a worker reads no settings. Without `caches` (in
    the worker) the pseudonym caches of (key, incident) live on in the worker for the import.
    """
    if caches is None:
        caches = _PREPARE_CACHES.setdefault((hashlib.sha256(key).digest(), incident_id), ({}, {}))
        if len(caches[0]) > 2_000_000:
            caches[0].clear()
            caches[1].clear()
    if known is None:  # the pre-scan ran in this worker just before (one worker: tasks in order)
        known = _WORKER_KNOWN["names"]
    prepared = privacy.prepare_messages(messages, key, officials, known=known, cache=caches[0])
    authors = store.incident_authors(prepared, incident_id, caches[1], master_key=key)
    public = ~prepared[S.IS_OFFICIAL].to_numpy(dtype=bool)
    return prepared, authors, privacy.known_names(messages[RAW_AUTHOR][public])


def _warm_up() -> None:
    """Nothing: unpickling it imports this module in the worker."""


def _safe_main() -> bool:
    """Return whether a worker process can start without re-running the main script.

    multiprocessing imports the main script (as `__mp_main__`) in a worker; a module run
    with `python -m` (`python -m pipeline ingest`, `python -m pytest`) is not re-imported.
    """
    main = sys.modules.get("__main__")
    name = getattr(getattr(main, "__spec__", None), "name", None) or ""
    return name == "__main__" or name.endswith(".__main__")


class _PrepareWorker:
    """Scrubs chunks in ONE worker process while the main process reads and stores the others.

    Only a file of more than one chunk starts it; without a process (or when it breaks) the
    chunks are prepared here, with the same function and the same result.
    """

    def __init__(self, key: bytes, officials: pd.DataFrame | None, known: frozenset[str] | None,
                 incident_id: int) -> None:
        self.args = (key, officials, known, incident_id)
        self.prescan: tuple[Any, ...] = ()  # the pre-scan's arguments while it runs in the worker
        self.prescan_future: Any = None
        self.caches: tuple[dict[str, str], dict[str, str]] = ({}, {})  # for chunks prepared here
        self.pool: Any = None
        self.broken = not (PARALLEL and _safe_main())

    def __enter__(self) -> _PrepareWorker:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None

    def start(self) -> None:
        """Start the worker process (it imports while this process reads the first chunk)."""
        if self.broken or self.pool is not None:
            return
        try:
            ctx = multiprocessing.get_context("forkserver")  # a fresh process: no fork of our threads
            self.pool = ProcessPoolExecutor(max_workers=1, mp_context=ctx)
            self.pool.submit(_warm_up)
        except Exception:  # noqa: BLE001 - no worker: prepare in this process
            self.broken = True

    def known_names(self, *prescan: Any) -> frozenset[str]:
        """Return the pre-scan's names: started in the worker when it runs (see `names`), else here."""
        if self.args[2] is not None:
            return self.args[2]
        if prescan and self.pool is not None and not self.broken:
            try:
                self.prescan, self.prescan_future = prescan, self.pool.submit(prescan_in_worker, *prescan)
                return None  # type: ignore[return-value]  # later: `names()`
            except Exception:  # noqa: BLE001 - no worker: pre-scan here
                self.broken = True
        return self.names(prescan)

    def names(self, prescan: tuple[Any, ...] = ()) -> frozenset[str]:
        """Return the pre-scan's names, waiting for the worker's, and keep them for chunks prepared here."""
        if self.args[2] is None:
            known = None
            if self.prescan_future is not None:
                try:
                    known = self.prescan_future.result()
                except Exception:  # noqa: BLE001 - a broken worker: pre-scan here
                    self.broken = True
            if known is None:
                known = _prescan_names(*(prescan or self.prescan))
            self.args = (self.args[0], self.args[1], known, self.args[3])
        return self.args[2]

    def submit(self, messages: pd.DataFrame, *, more: bool) -> Any:
        """Start preparing `messages` in the worker; None when it is done here (`result`)."""
        if more:
            self.start()
        if self.broken or self.pool is None:
            return None
        if self.args[2] is None and self.prescan_future is None:
            return None  # the pre-scan ran here: `result` prepares with its names
        try:
            return self.pool.submit(prepare_chunk, messages, *self.args)
        except Exception:  # noqa: BLE001 - no worker: prepare in this process
            self.broken = True
            return None

    def result(self, messages: pd.DataFrame, future: Any) -> tuple[pd.DataFrame, pd.Series, frozenset[str]]:
        """Return the prepared chunk (from the worker, or prepared here)."""
        if future is not None:
            try:
                return future.result()
            except Exception:  # noqa: BLE001 - a broken worker: the same preparation here
                self.broken = True
        self.names()
        return prepare_chunk(messages, *self.args, caches=self.caches)


def _ingest_stream(engine: Engine, inc: dict[str, Any], stream: _Stream, *, mapping: dict[str, str] | None,
                   tz: str, window: tuple[pd.Timestamp, pd.Timestamp], actor: str,
                   progress: Progress | None, officials: pd.DataFrame | None,
                   before_commit: BeforeCommit | None, known: frozenset[str] | None) -> IngestResult:
    """Read, validate, scrub and store a CSV/TSV file chunk by chunk inside ONE transaction.

    Memory follows `STREAM_CHUNK`, not the file. Any invalid row rejects the whole file
    (the transaction rolls back); after the first error the rest is still read, stored
    no more, so the error is the one the whole-file path would give.
    """
    key = privacy.load_or_create_key(get_settings().key_file)
    filename = stream.path.name
    _check_tz(tz)
    records, delimiter = _guard(stream.records)
    header = _guard(lambda: next(records))[0]
    try:
        cols = _resolve_columns(header, mapping)
    except IngestError:
        cols = {}  # the first chunk raises it
    worker = _PrepareWorker(key, officials, known, inc["id"])
    if stream.size > STREAM_CHUNK * 100:  # likely several chunks: start the worker now, pre-scan there
        worker.start()
    worker.known_names(stream.path, stream.sep_line, cols, delimiter, officials)
    seen = _SeenKeys()
    names: set[str] = set()
    chunks = records  # after the header: chunks of STREAM_CHUNK data rows
    rows = added = stored = dup_file = flagged = replaced = 0
    best: IngestError | None = None
    pending: collections.deque[tuple[pd.DataFrame, int, Any]] = collections.deque()
    with _gc_paused(), worker, engine.begin() as conn:
        had_messages = batches.incident_has_messages(conn, inc["id"])
        batch_id = batches.open_batch(conn, inc["id"], filename=filename, sha256="", rows=0, actor=actor)

        def finish() -> None:
            """Store the oldest chunk whose scrubbing was started (or only check it, after an error)."""
            nonlocal best, added, stored, dup_file, replaced, flagged
            messages, row0, future = pending.popleft()
            prepared, authors, chunk_names = worker.result(messages, future)
            if had_messages:
                conflict = _stored_conflicts(conn, inc["id"], prepared)
                if conflict.any():
                    best = _first_error(best, _stored_conflict_error(
                        conflict, list(messages.attrs["dropped_rows"]), row0=row0))
            if best is not None:
                return
            names.update(chunk_names)
            added += store.insert_messages(conn, inc["id"], prepared, batch_id=batch_id, authors=authors)
            stored += len(prepared)
            dup_file += messages.attrs["duplicates_in_file"]
            replaced += messages.attrs["controls_replaced"]
            flagged += int((prepared[S.TIME_FLAG] != "").sum())
            if progress:
                progress(stream.pos, stream.size)

        while (chunk := _guard(lambda: next(chunks, None))) is not None:
            chunk_rows, chunk_lines = chunk
            row0, rows = rows, rows + len(chunk_rows)
            if best is not None and best.check is None:
                continue  # a header error: only a parse error further on can still come first
            try:
                messages = _guard(lambda rows_=chunk_rows, lines_=chunk_lines, row0_=row0: _standardise(
                    header, rows_, lines_, mapping=mapping, tz=tz, progress=None, window=window, row0=row0_,
                    seen=seen, clean_text=True))
            except IngestError as exc:
                best = _first_error(best, exc)
                if best.check is not None and best.check < STORED_CONFLICT_CHECK:
                    pending.clear()  # nothing more is stored; a stored conflict can no longer come first
                del chunk, chunk_rows, chunk_lines
                _collect_chunk()  # an error that lost to `best`: its traceback holds the chunk's rows
                continue
            del chunk, chunk_rows, chunk_lines
            _collect_chunk()  # the chunk's rows are gone: only its few longer-lived objects are scanned
            if best is not None and best.check is not None and best.check < STORED_CONFLICT_CHECK:
                continue  # only an earlier check of a later row can still come first
            pending.append((messages, row0, worker.submit(messages, more=stream.pos < stream.size)))
            while len(pending) > _PIPELINE_DEPTH:
                finish()
        while pending:
            finish()
        if best is not None:
            raise best
        known = worker.names()
        if names != known:  # a name the pre-scan missed (or saw wrongly): scrub every chunk with these
            raise _Redo(frozenset(names))
        sha = stream.sha.hexdigest()
        replaced += stream.replaced
        batches.close_batch(conn, batch_id, added, rows=rows, sha256=sha)
        if before_commit:
            before_commit(conn, batch_id, added)
        moments_added = store.moments_from_official_messages(conn, inc["id"])
        store.write_audit(conn, actor=actor, action="ingest", obj=f"incident:{inc['id']}", details={
            "file": filename, "sha256": sha, "rows": rows, "added": added,
            "duplicates_in_db": stored - added, "duplicates_in_file": dup_file, "flagged_times": flagged,
            "moments_added": moments_added, "batch_id": batch_id, "controls_replaced": replaced})
    if progress:
        progress(stream.size, stream.size)
    return IngestResult(rows=rows, added=added, duplicates_in_db=stored - added, duplicates_in_file=dup_file,
                        batch_id=batch_id, flagged_times=flagged, moments_added=moments_added,
                        controls_replaced=replaced)


def _stream_file(engine: Engine, inc: dict[str, Any], path: Path, kind: str, size: int, *,
                 mapping: dict[str, str] | None, tz: str, actor: str, progress: Progress | None,
                 officials: pd.DataFrame | None, before_commit: BeforeCommit | None,
                 allow_earlier: bool) -> IngestResult | None:
    """Import a CSV/TSV file streamed (`_ingest_stream`); None when the whole-file path must read it."""
    known: frozenset[str] | None = None
    while True:
        try:
            _check_tz(tz)
            if officials is None:
                officials = default_officials()
            return _ingest_stream(engine, inc, _Stream(path, kind, size), mapping=mapping, tz=tz,
                                  window=plausible_window(inc, allow_earlier=allow_earlier), actor=actor,
                                  progress=progress, officials=officials, before_commit=before_commit,
                                  known=known)
        except _Redo as redo:
            known = redo.known
        except _Fallback:
            return None
        except IngestError as exc:
            _reject(engine, actor, f"incident:{inc['id']}", exc, {"file": path.name,
                                                                  "sha256": _file_sha256(path)})
            raise


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(STREAM_BLOCK):
            digest.update(block)
    return digest.hexdigest()


def _open_incident(engine: Engine, incident: str | int, actor: str,
                   details: dict[str, Any]) -> dict[str, Any]:
    inc = store.find_incident(engine, incident)
    if inc is None:
        err = _fail(f"incident '{_show(incident)}' bestaat niet; {NEXT_STEP}",
                    f"incident '{_show(incident)}' does not exist",
                    code="unknown_incident")
        _reject(engine, actor, f"incident:{_show(incident)}", err, details)
        raise err
    if not store.incident_is_open(inc):
        err = _fail(f"incident '{_show(inc['name'])}' is gesloten of opgeschoond; er kan geen data meer bij",
                    f"incident '{_show(inc['name'])}' is closed or purged; it accepts no more data",
                    code="closed_incident")
        _reject(engine, actor, f"incident:{inc['id']}", err, details)
        raise err
    return inc


def _validate_and_store(engine: Engine, inc: dict[str, Any], read: Callable[[], pd.DataFrame], *,
                        filename: str, sha256: str, actor: str, progress: Progress | None,
                        officials: pd.DataFrame | None, details: dict[str, Any],
                        before_commit: BeforeCommit | None = None) -> IngestResult:
    try:
        messages = _guard(read)
        if officials is None:
            officials = default_officials()
        return _store(engine, inc, messages, filename=filename, sha256=sha256, rows=messages.attrs["rows"],
                      dup_file=messages.attrs["duplicates_in_file"], actor=actor, progress=progress,
                      officials=officials, before_commit=before_commit)
    except IngestError as exc:
        _reject(engine, actor, f"incident:{inc['id']}", exc, details)
        raise


def ingest_file(path: Path | str, incident: str | int, *, engine: Engine | None = None,
                mapping: dict[str, str] | None = None, actor: str = "cli", progress: Progress | None = None,
                officials: pd.DataFrame | None = None, tz: str = TIME_ZONE,
                fmt: str | None = None, before_commit: BeforeCommit | None = None,
                allow_earlier: bool = False) -> IngestResult:
    """Validate a whole export file, then store it in one transaction; return what was added.

    `officials` None loads the configured official-accounts file (if present).
    Message times must lie in the incident's `plausible_window` (`allow_earlier`:
    a person confirmed that messages before the incident belong to it). A rejected
    file leaves only an audit entry with outcome "rejected", its reason code
    and the row/line number (no cell values).
    """
    engine = engine or store.get_engine()
    path = Path(path)
    streamable = _streamable(path, fmt)
    if streamable is not None:  # CSV/TSV: read, validate and store chunk by chunk
        inc = store.find_incident(engine, incident)
        if inc is None or not store.incident_is_open(inc):
            _open_incident(engine, incident, actor, {"file": path.name, "sha256": _file_sha256(path)})
        result = _stream_file(engine, inc, path, *streamable, mapping=mapping, tz=tz, actor=actor,
                              progress=progress, officials=officials, before_commit=before_commit,
                              allow_earlier=allow_earlier)
        if result is not None:
            return result
    try:
        data = _read_file(path)
    except IngestError as exc:  # unreadable or too large: audited too (no content was read)
        inc = store.find_incident(engine, incident)
        _reject(engine, actor, f"incident:{inc['id'] if inc else _show(incident)}", exc, {"file": path.name})
        raise
    sha = hashlib.sha256(data).hexdigest()
    details = {"file": path.name, "sha256": sha}
    inc = _open_incident(engine, incident, actor, details)

    def read_progress(done: int, total: int) -> None:
        if progress:
            progress(done, 2 * total)

    box = [data]  # the file's bytes are freed once decoded, not kept while storing
    del data
    return _validate_and_store(
        engine, inc, lambda: read_messages(box.pop(), filename=path.name, mapping=mapping, fmt=fmt, tz=tz,
                                           progress=read_progress,
                                           window=plausible_window(inc, allow_earlier=allow_earlier)),
        filename=path.name, sha256=sha, actor=actor, progress=progress, officials=officials, details=details,
        before_commit=before_commit)


def ingest_frame(df_raw: pd.DataFrame, incident: str | int, *, engine: Engine | None = None,
                 mapping: dict[str, str] | None = None, actor: str = "live", source: str = "live",
                 progress: Progress | None = None, officials: pd.DataFrame | None = None,
                 tz: str = TIME_ZONE, before_commit: BeforeCommit | None = None) -> IngestResult:
    """Validate and store an in-memory frame (live/replay) exactly like `ingest_file` stores a file.

    `before_commit(conn, batch_id, added)` runs inside the batch's transaction (the
    collector advances its cursor there, so a batch and its cursor commit together).
    """
    engine = engine or store.get_engine()
    digest = hashlib.sha256(pd.util.hash_pandas_object(df_raw.astype(str), index=False).to_numpy()
                            .tobytes()).hexdigest()
    details = {"file": f"<{source}>", "sha256": digest}
    inc = _open_incident(engine, incident, actor, details)
    return _validate_and_store(
        engine, inc, lambda: frame_to_messages(df_raw, mapping=mapping, tz=tz, window=plausible_window(inc)),
        filename=f"<{source}>", sha256=digest, actor=actor, progress=progress, officials=officials,
        details=details, before_commit=before_commit)


# --- summary and --map parsing (used by pipeline/cli/ingest.py and cli/analyze.py) -------
def _nl_int(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def summary_line(result: IngestResult) -> str:
    """Return the Dutch one-line summary the CLI prints for an import."""
    text = (f"{_nl_int(result.rows)} rijen gelezen, {_nl_int(result.added)} toegevoegd, "
            f"{_nl_int(result.duplicates_in_db)} al aanwezig")
    if result.duplicates_in_file:
        text += f", {_nl_int(result.duplicates_in_file)} dubbel in bestand"
    if result.moments_added:
        text += f", {_nl_int(result.moments_added)} communicatiemomenten"
    if result.controls_replaced:
        text += f", {_nl_int(result.controls_replaced)} besturingstekens vervangen door een spatie"
    if result.flagged_times:
        text += f" ({_nl_int(result.flagged_times)} tijden in zomertijd-sprong of -overlap gemarkeerd)"
    return text


def parse_map(items: list[str]) -> dict[str, str]:
    """Return {column: field} from `--map col=field` items; a malformed item raises IngestError."""
    mapping: dict[str, str] = {}
    for item in items:
        col, sep, field = item.rpartition("=")
        if not sep or not col.strip() or not field.strip():
            raise _fail(f"--map '{item}' heeft de vorm kolom=veld nodig",
                        f"--map '{item}' must look like column=field", code="bad_mapping")
        mapping[col.strip()] = field.strip()
    return mapping

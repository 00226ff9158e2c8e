"""Ingest: read monitoring-tool exports, validate them whole, store them in one transaction.

`read_messages` reads CSV/TSV (delimiter `,` `;` tab `|`), JSON (an array, or an
object holding a list), NDJSON and XLSX exports (OBI4wan/Coosto-style and
generic) in UTF-8 (with or without BOM), UTF-16 (with BOM) or cp1252, maps
Dutch/English header aliases to fields, parses dates (naive times are local to
`tz`; DST gaps and overlaps are kept and flagged) and returns one row per
message with the raw author and URL still present. Any bad row fails the whole
file with an `IngestError` that names the row, in Dutch and English.

`ingest_file` / `ingest_frame` scrub the rows (`pipeline.privacy`) and write
them, the batch record, communication moments and the audit entry in ONE
transaction: a file is imported whole or not at all, and re-importing adds
nothing twice.
"""

from __future__ import annotations

import argparse
import codecs
import csv
import datetime as dt
import hashlib
import io
import json
import re
import sys
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Engine, insert, update

from pipeline import privacy, store
from pipeline import schema as S
from pipeline.config import get_settings
from pipeline.privacy import RAW_AUTHOR, RAW_URL

Progress = Callable[[int, int], None]
BeforeCommit = Callable[[Any, int, int], None]  # (connection, batch id, rows added)
Table = tuple[list[str], list[list[Any]], list[int] | None]  # header, rows, file line per row

FORMATS = ("csv", "tsv", "json", "ndjson", "xlsx")
DELIMITERS = (",", ";", "\t", "|")
PROGRESS_EVERY = 10_000

OUTPUT_COLUMNS = (S.PLATFORM, S.SOURCE_ID, S.CREATED_AT, S.TEXT, RAW_AUTHOR, RAW_URL,
                  S.IS_REPLY, S.IS_REPOST, S.TIME_FLAG)

# field -> accepted header names (compared after `_norm_header`), in priority order.
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "text": ("text", "bericht", "tekst", "message", "content", "body", "inhoud", "full_text",
             "bericht_tekst", "berichttekst", "message_text", "tweet_text", "post_text"),
    "created_at": ("created_at", "timestamp", "published", "publicatiedatum", "published_at",
                   "publicatie_datum", "datetime", "date_time", "datum_tijd", "datumtijd",
                   "created", "publish_date"),
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


class IngestError(ValueError):
    """A file or frame that cannot be imported; the message is in Dutch and English."""

    def __init__(self, message: str, *, row: int | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.row = row
        self.line = line


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


# --- decoding ---------------------------------------------------------------------
def _fail(nl: str, en: str, *, row: int | None = None, line: int | None = None) -> IngestError:
    return IngestError(f"{nl} / {en}", row=row, line=line)


def _where(row: int, line: int | None) -> tuple[str, str]:
    if line is None:
        return f"Rij {row}", f"Row {row}"
    return f"Rij {row} (regel {line})", f"Row {row} (line {line})"


def _looks_binary(text: str) -> bool:
    sample = text[:20000]
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\r\n\f") or 0x7F <= ord(ch) < 0xA0)
    return "\x00" in sample or bad > max(2, len(sample) // 1000)


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Return (text, encoding) of exported bytes; UTF-8/UTF-16 by BOM, then UTF-8, then cp1252."""
    if data.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8"]
    for enc in candidates:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError as exc:
            if enc != "utf-8":
                raise _fail(f"bestand is geen geldige {enc}-tekst ({exc.reason} bij byte {exc.start})",
                            f"file is not valid {enc} text ({exc.reason} at byte {exc.start})") from exc
            break
        if _looks_binary(text):
            raise _fail("bestand is geen tekstbestand (binaire inhoud)",
                        "file is not a text file (binary content)")
        return text, enc
    # Not UTF-8: Dutch Windows exports are cp1252; accept it only when it decodes strictly
    # and yields ordinary text; otherwise ask charset-normalizer, never guess silently.
    try:
        text = data.decode("cp1252")
        if not _looks_binary(text):
            return text, "cp1252"
    except UnicodeDecodeError:
        pass
    import charset_normalizer

    best = charset_normalizer.from_bytes(data).best()
    if best is not None and best.encoding:
        text = str(best)
        if not _looks_binary(text) and best.chaos < 0.1:
            return text, best.encoding
    raise _fail("bestand is geen leesbaar tekstbestand (onbekende tekencodering of binaire inhoud)",
                "file is not readable text (unknown character encoding or binary content)")


# --- format detection and parsing ------------------------------------------------
def _detect_format(data: bytes, filename: str | None, fmt: str | None) -> str:
    if fmt:
        fmt = fmt.lower().lstrip(".")
        fmt = {"jsonl": "ndjson", "txt": "csv", "xls": "xlsx"}.get(fmt, fmt)
        if fmt not in FORMATS:
            raise _fail(f"onbekend formaat '{fmt}'; kies uit {', '.join(FORMATS)}",
                        f"unknown format '{fmt}'; choose one of {', '.join(FORMATS)}")
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


def _parse_csv(text: str, delimiter: str | None) -> tuple[list[str], list[list[Any]], list[int]]:
    delimiter = delimiter or _detect_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[list[Any]] = []
    lines: list[int] = []
    header: list[str] | None = None
    prev_line = 0
    try:
        for fields in reader:
            start_line = prev_line + 1
            prev_line = reader.line_num
            if not fields or all(not f.strip() for f in fields):
                continue
            if header is None:
                header = [f.strip() for f in fields]
                width = len(header)
                continue
            if len(fields) != width:
                extra_empty = len(fields) > width and not any(f.strip() for f in fields[width:])
                if not extra_empty:
                    where_nl, where_en = _where(len(rows) + 1, start_line)
                    raise _fail(f"{where_nl}: {len(fields)} kolommen, verwacht {width} (controleer "
                                "scheidingsteken en aanhalingstekens)",
                                f"{where_en}: {len(fields)} columns, expected {width} (check the "
                                "delimiter and quotes)", row=len(rows) + 1, line=start_line)
                fields = fields[:width]
            rows.append(fields)
            lines.append(start_line)
    except csv.Error as exc:
        where_nl, where_en = _where(len(rows) + 1, reader.line_num)
        raise _fail(f"{where_nl}: CSV kan niet gelezen worden ({exc})",
                    f"{where_en}: CSV cannot be parsed ({exc})", row=len(rows) + 1,
                    line=reader.line_num) from exc
    if header is None:
        raise _fail("bestand is leeg", "file is empty")
    return header, rows, lines


def _records_to_table(records: list[Any], lines: list[int] | None) -> Table:
    for i, rec in enumerate(records):
        if not isinstance(rec, dict):
            line = lines[i] if lines else None
            where_nl, where_en = _where(i + 1, line)
            raise _fail(f"{where_nl}: verwacht een object met velden", f"{where_en}: expected an object "
                        "with fields", row=i + 1, line=line)
    frame = pd.json_normalize(records, sep=".")
    header = [str(c) for c in frame.columns]
    values = frame.astype(object).where(frame.notna(), None).to_numpy().tolist()
    return header, values, lines


def _parse_json(text: str) -> Table:
    stripped = text.strip()
    if not stripped:
        raise _fail("bestand is leeg", "file is empty")
    try:
        doc = json.loads(stripped)
    except json.JSONDecodeError as exc:
        if stripped.startswith("{") and "\n" in stripped:
            return _parse_ndjson(text)
        raise _fail(f"JSON kan niet gelezen worden: regel {exc.lineno}, kolom {exc.colno}: {exc.msg}",
                    f"JSON cannot be parsed: line {exc.lineno}, column {exc.colno}: {exc.msg}",
                    line=exc.lineno) from exc
    if isinstance(doc, dict):
        lists = [v for v in doc.values() if isinstance(v, list) and (not v or isinstance(v[0], dict))]
        if not lists:
            raise _fail("JSON-object bevat geen lijst met berichten",
                        "JSON object holds no list of messages")
        doc = max(lists, key=len)
    if not isinstance(doc, list):
        raise _fail("JSON moet een lijst met berichten zijn", "JSON must be a list of messages")
    if not doc:
        raise _fail("bestand bevat geen berichten", "file holds no messages")
    return _records_to_table(doc, None)


def _parse_ndjson(text: str) -> Table:
    records, lines = [], []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError as exc:
            where_nl, where_en = _where(len(records) + 1, n)
            raise _fail(f"{where_nl}: geen geldige JSON ({exc.msg})",
                        f"{where_en}: not valid JSON ({exc.msg})", row=len(records) + 1, line=n) from exc
        lines.append(n)
    if not records:
        raise _fail("bestand is leeg", "file is empty")
    return _records_to_table(records, lines)


def _parse_xlsx(data: bytes) -> tuple[list[str], list[list[Any]], list[int]]:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise _fail("XLSX-bestand kan niet gelezen worden (beschadigd of geen Excel-bestand)",
                    "XLSX file cannot be read (damaged or not an Excel file)") from exc
    try:
        for ws in wb.worksheets:
            header: list[str] | None = None
            rows, lines = [], []
            for n, values in enumerate(ws.iter_rows(values_only=True), start=1):
                if values is None or all(v is None or (isinstance(v, str) and not v.strip())
                                         for v in values):
                    continue
                if header is None:
                    header = ["" if v is None else str(v).strip() for v in values]
                    continue
                row = list(values[:len(header)]) + [None] * (len(header) - len(values))
                rows.append(row)
                lines.append(n)
            if header is not None:
                return header, rows, lines
    finally:
        wb.close()
    raise _fail("bestand is leeg", "file is empty")


# --- header mapping ---------------------------------------------------------------
def _norm_header(name: str) -> str:
    folded = "".join(ch for ch in unicodedata.normalize("NFKD", str(name))
                     if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9.]+", "_", folded.strip().lower()).strip("_")


def _resolve_columns(header: list[str], mapping: dict[str, str] | None) -> dict[str, int]:
    """Return field -> column index from explicit `mapping` first, then header aliases."""
    found: dict[str, int] = {}
    normed = [_norm_header(h) for h in header]
    for col, field in (mapping or {}).items():
        target = _norm_header(field).replace("datum", "date").replace("tijd", "time")
        if target not in FIELDS:
            raise _fail(f"onbekend doelveld '{field}' in --map; kies uit {', '.join(FIELDS)}",
                        f"unknown target field '{field}' in --map; choose one of {', '.join(FIELDS)}")
        idx = next((i for i, h in enumerate(header) if h == col), None)
        if idx is None:
            idx = next((i for i, h in enumerate(normed) if h == _norm_header(col)), None)
        if idx is None:
            raise _fail(f"kolom '{col}' uit --map staat niet in het bestand; gevonden: {', '.join(header)}",
                        f"column '{col}' from --map is not in the file; found: {', '.join(header)}")
        found[target] = idx
    taken = set(found.values())
    for field, aliases in FIELD_ALIASES.items():
        if field in found:
            continue
        for variant in (lambda h: h, lambda h: h.rsplit(".", 1)[-1]):  # JSON: "user.screen_name"
            idx = next((i for alias in aliases for i, h in enumerate(normed)
                        if i not in taken and variant(h) == alias), None)
            if idx is not None:
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
                    f"{', '.join(header) or '(geen)'}. Toegestane namen: {accepted}. "
                    "Gebruik --map kolom=veld",
                    f"no column for {' and '.join(missing)} found. Columns in the file: "
                    f"{', '.join(header) or '(none)'}. Accepted names: {accepted}. Use --map column=field")
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
    for i, v in enumerate(values):
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
        loc = local[has_local]
        first = np.ones(len(loc), dtype=bool)  # ambiguous autumn time: first occurrence (summer time)
        strict = loc.dt.tz_localize(tz, ambiguous="NaT", nonexistent="NaT")
        gap = loc.dt.tz_localize(tz, ambiguous=first, nonexistent="NaT").isna()
        final = loc.dt.tz_localize(tz, ambiguous=first, nonexistent="shift_forward").dt.tz_convert("UTC")
        pos = np.flatnonzero(has_local)
        aware[pos] = final.dt.tz_localize(None).to_numpy()
        flags[pos[gap.to_numpy()]] = "dst_gap"
        flags[pos[(strict.isna() & ~gap).to_numpy()]] = "dst_ambiguous"
    result = pd.Series(aware).dt.tz_localize("UTC")
    year = result.dt.year
    bad = (result.isna() | (year < 1990) | (year > 2100)).fillna(True).to_numpy(dtype=bool)
    return result, pd.Series(flags, dtype="str"), bad


def _derived_id(key: str) -> str:
    return "h_" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def _parse_bools(values: list[Any], label: str, lines: list[int] | None) -> np.ndarray:
    out = np.zeros(len(values), dtype=bool)
    for i, v in enumerate(values):
        if isinstance(v, bool | np.bool_):
            out[i] = bool(v)
            continue
        key = _cell_str(v).lower()
        if key not in BOOL_VALUES:
            where_nl, where_en = _where(i + 1, lines[i] if lines else None)
            raise _fail(f"{where_nl}: {label} '{v}' is geen ja/nee-waarde",
                        f"{where_en}: {label} '{v}' is not a yes/no value",
                        row=i + 1, line=lines[i] if lines else None)
        out[i] = BOOL_VALUES[key]
    return out


def _row_error(mask: np.ndarray, lines: list[int] | None, nl: Callable[[int], str],
               en: Callable[[int], str]) -> IngestError:
    bad = np.flatnonzero(mask)
    i = int(bad[0])
    line = lines[i] if lines else None
    where_nl, where_en = _where(i + 1, line)
    more_nl = f" (en nog {len(bad) - 1} andere rijen)" if len(bad) > 1 else ""
    more_en = f" (and {len(bad) - 1} more rows)" if len(bad) > 1 else ""
    return IngestError(f"{where_nl}: {nl(i)}{more_nl} / {where_en}: {en(i)}{more_en}", row=i + 1, line=line)


def _standardise(header: list[str], rows: list[list[Any]], lines: list[int] | None, *,
                 mapping: dict[str, str] | None, tz: str, progress: Progress | None) -> pd.DataFrame:
    """Return the ingest output frame for parsed rows; any bad row raises `IngestError`."""
    cols = _resolve_columns(header, mapping)
    n = len(rows)
    if n == 0:
        raise _fail("bestand bevat alleen een kopregel, geen berichten",
                    "file holds only a header row, no messages")

    def column(field: str) -> list[Any]:
        idx = cols.get(field)
        return [None] * n if idx is None else [r[idx] for r in rows]

    text = pd.Series([_cell_str(v) if not isinstance(v, str) else v for v in column("text")], dtype="str")
    empty = (text.str.strip() == "").to_numpy()
    if empty.any():
        raise _row_error(empty, lines, lambda i: "tekst is leeg", lambda i: "text is empty")
    if progress:
        progress(min(n, PROGRESS_EVERY), n)

    raw_times = column("created_at") if "created_at" in cols else column("date")
    if "date" in cols and "time" in cols and "created_at" not in cols:
        raw_times = _combine_date_time(column("date"), column("time"))
    created, flags, bad = _parse_times(raw_times, tz)
    if bad.any():
        raise _row_error(bad, lines, lambda i: f"datum '{_cell_str(raw_times[i])}' is geen geldige datum",
                         lambda i: f"date '{_cell_str(raw_times[i])}' is not a valid date")

    is_reply = np.zeros(n, dtype=bool)
    is_repost = np.zeros(n, dtype=bool)
    if "type" in cols:
        types = [_norm_header(_cell_str(v)) for v in column("type")]
        unknown = np.array([t != "" and t not in TYPE_VALUES for t in types], dtype=bool)
        if unknown.any():
            raw_types = column("type")
            allowed = ", ".join(TYPE_VALUES)
            raise _row_error(unknown, lines,
                             lambda i: f"berichttype '{raw_types[i]}' is onbekend (toegestaan: {allowed})",
                             lambda i: f"message type '{raw_types[i]}' is unknown (allowed: {allowed})")
        is_reply |= np.array([TYPE_VALUES.get(t, (False, False))[0] for t in types], dtype=bool)
        is_repost |= np.array([TYPE_VALUES.get(t, (False, False))[1] for t in types], dtype=bool)
    if "is_reply" in cols:
        is_reply |= _parse_bools(column("is_reply"), "is_reply", lines)
    if "is_repost" in cols:
        is_repost |= _parse_bools(column("is_repost"), "is_repost", lines)
    # A classic retweet without a type column still reads as a repost.
    is_repost |= text.str.match(r"RT @\w").fillna(False).to_numpy(dtype=bool)

    platform = privacy.normalise_platforms(pd.Series(column("platform"), dtype=object))
    author = pd.Series([_cell_str(v) for v in column("author")], dtype="str")
    url = pd.Series([_cell_str(v) for v in column("url")], dtype="str")
    ids = pd.Series([_cell_str(v) for v in column("id")], dtype="str")
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
    dup = out.duplicated(subset=[S.PLATFORM, S.SOURCE_ID], keep="first")
    out = out.loc[~dup].reset_index(drop=True)
    out.attrs["rows"] = n
    out.attrs["duplicates_in_file"] = int(dup.sum())
    return out


def _check_tz(tz: str) -> None:
    try:
        pd.Timestamp("2026-01-01").tz_localize(tz)
    except Exception as exc:  # noqa: BLE001 - zoneinfo/pytz raise different types
        raise _fail(f"onbekende tijdzone '{tz}'", f"unknown time zone '{tz}'") from exc


# --- public reading API ----------------------------------------------------------------
def read_messages(source: Path | bytes, *, filename: str | None = None, mapping: dict[str, str] | None = None,
                  fmt: str | None = None, tz: str = "Europe/Amsterdam",
                  progress: Progress | None = None) -> pd.DataFrame:
    """Return one validated row per message of an export file (raw author/URL kept); see module doc.

    `attrs["rows"]` holds the data rows read and `attrs["duplicates_in_file"]`
    the repeated ids dropped (the first occurrence is kept).
    """
    _check_tz(tz)
    if isinstance(source, bytes | bytearray):
        data = bytes(source)
    else:
        path = Path(source)
        filename = filename or path.name
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise _fail(f"bestand {path} kan niet gelezen worden: {exc.strerror}",
                        f"file {path} cannot be read: {exc.strerror}") from exc
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise _fail("bestand is leeg", "file is empty")
    kind = _detect_format(data, filename, fmt)
    lines: list[int] | None
    if kind == "xlsx":
        header, rows, lines = _parse_xlsx(data)
    else:
        text, _encoding = decode_bytes(data)
        if kind == "json":
            header, rows, lines = _parse_json(text)
        elif kind == "ndjson":
            header, rows, lines = _parse_ndjson(text)
        else:
            header, rows, lines = _parse_csv(text, "\t" if kind == "tsv" else None)
    return _standardise(header, rows, lines, mapping=mapping, tz=tz, progress=progress)


def frame_to_messages(df_raw: pd.DataFrame, *, mapping: dict[str, str] | None = None,
                      tz: str = "Europe/Amsterdam") -> pd.DataFrame:
    """Return the `read_messages` output for an in-memory frame (live/replay path)."""
    _check_tz(tz)
    header = [str(c) for c in df_raw.columns]
    values = df_raw.astype(object).where(df_raw.notna(), None).to_numpy().tolist()
    return _standardise(header, values, None, mapping=mapping, tz=tz, progress=None)


# --- storing ---------------------------------------------------------------------------
def _resolve_incident(engine: Engine, incident: str | int) -> dict[str, Any] | None:
    inc = store.get_incident(engine, incident)
    if inc is None and isinstance(incident, str) and incident.strip().isdigit():
        inc = store.get_incident(engine, int(incident))
    return inc


def _reject(engine: Engine, actor: str, obj: str, reason: str, details: dict[str, Any]) -> None:
    store.audit(engine, actor=actor, action="ingest", obj=obj, outcome="rejected", reason=reason,
                details=details)


def _default_officials() -> pd.DataFrame | None:
    path = get_settings().official_accounts_file
    return privacy.load_official_accounts(path) if path.exists() else None


def _store(engine: Engine, inc: dict[str, Any], messages: pd.DataFrame, *, filename: str, sha256: str,
           rows: int, dup_file: int, actor: str, progress: Progress | None,
           officials: pd.DataFrame | None, before_commit: BeforeCommit | None = None) -> IngestResult:
    key = privacy.load_or_create_key(get_settings().key_file)
    prepared = privacy.prepare_messages(messages, key, officials)
    n = len(prepared)
    flagged = int((prepared[S.TIME_FLAG] != "").sum())
    with engine.begin() as conn:
        batch_id = int(conn.execute(insert(store.batches).values(
            incident_id=inc["id"], filename=filename[:500], sha256=sha256, rows=rows, added=0,
            created_by=actor, created_at=store.to_db_time(store.now_utc()))).inserted_primary_key[0])
        added = 0
        for start in range(0, max(n, 1), PROGRESS_EVERY):
            chunk = prepared.iloc[start:start + PROGRESS_EVERY]
            added += store.insert_messages(conn, inc["id"], chunk, batch_id=batch_id)
            if progress:
                progress(n + min(start + PROGRESS_EVERY, n), 2 * n)
        conn.execute(update(store.batches).where(store.batches.c.id == batch_id).values(added=added))
        if before_commit:  # e.g. the collector's cursor: it advances with this batch or not at all
            before_commit(conn, batch_id, added)
        moments_added = store.moments_from_official_messages(conn, inc["id"])
        store.write_audit(conn, actor=actor, action="ingest", obj=f"incident:{inc['id']}", details={
            "file": filename, "sha256": sha256, "rows": rows, "added": added,
            "duplicates_in_db": n - added, "duplicates_in_file": dup_file, "flagged_times": flagged,
            "moments_added": moments_added, "batch_id": batch_id})
    return IngestResult(rows=rows, added=added, duplicates_in_db=n - added, duplicates_in_file=dup_file,
                        batch_id=batch_id, flagged_times=flagged, moments_added=moments_added)


def _open_incident(engine: Engine, incident: str | int, actor: str,
                   details: dict[str, Any]) -> dict[str, Any]:
    inc = _resolve_incident(engine, incident)
    if inc is None:
        err = _fail(f"incident '{incident}' bestaat niet", f"incident '{incident}' does not exist")
        _reject(engine, actor, f"incident:{incident}", str(err), details)
        raise err
    if not store.incident_is_open(inc):
        err = _fail(f"incident '{inc['name']}' is gesloten of opgeschoond; er kan geen data meer bij",
                    f"incident '{inc['name']}' is closed or purged; it accepts no more data")
        _reject(engine, actor, f"incident:{inc['id']}", str(err), details)
        raise err
    return inc


def ingest_file(path: Path | str, incident: str | int, *, engine: Engine | None = None,
                mapping: dict[str, str] | None = None, actor: str = "cli", progress: Progress | None = None,
                officials: pd.DataFrame | None = None, tz: str = "Europe/Amsterdam",
                fmt: str | None = None, before_commit: BeforeCommit | None = None) -> IngestResult:
    """Validate a whole export file, then store it in one transaction; return what was added.

    `officials` None loads the configured official-accounts file (if present).
    A rejected file leaves only an audit entry with outcome "rejected".
    """
    engine = engine or store.get_engine()
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _fail(f"bestand {path} kan niet gelezen worden: {exc.strerror}",
                    f"file {path} cannot be read: {exc.strerror}") from exc
    sha = hashlib.sha256(data).hexdigest()
    details = {"file": path.name, "sha256": sha}
    inc = _open_incident(engine, incident, actor, details)

    def read_progress(done: int, total: int) -> None:
        if progress:
            progress(done, 2 * total)

    try:
        messages = read_messages(data, filename=path.name, mapping=mapping, fmt=fmt, tz=tz,
                                 progress=read_progress)
    except IngestError as exc:
        _reject(engine, actor, f"incident:{inc['id']}", str(exc), details)
        raise
    if officials is None:
        officials = _default_officials()
    return _store(engine, inc, messages, filename=path.name, sha256=sha, rows=messages.attrs["rows"],
                  dup_file=messages.attrs["duplicates_in_file"], actor=actor, progress=progress,
                  officials=officials, before_commit=before_commit)


def ingest_frame(df_raw: pd.DataFrame, incident: str | int, *, engine: Engine | None = None,
                 mapping: dict[str, str] | None = None, actor: str = "live", source: str = "live",
                 progress: Progress | None = None, officials: pd.DataFrame | None = None,
                 tz: str = "Europe/Amsterdam", before_commit: BeforeCommit | None = None) -> IngestResult:
    """Validate and store an in-memory frame (live/replay) exactly like `ingest_file` stores a file.

    `before_commit(conn, batch_id, added)` runs inside the batch's transaction (the
    collector advances its cursor there, so a batch and its cursor commit together).
    """
    engine = engine or store.get_engine()
    digest = hashlib.sha256(pd.util.hash_pandas_object(df_raw.astype(str), index=False).to_numpy()
                            .tobytes()).hexdigest()
    details = {"file": f"<{source}>", "sha256": digest}
    inc = _open_incident(engine, incident, actor, details)
    try:
        messages = frame_to_messages(df_raw, mapping=mapping, tz=tz)
    except IngestError as exc:
        _reject(engine, actor, f"incident:{inc['id']}", str(exc), details)
        raise
    if officials is None:
        officials = _default_officials()
    return _store(engine, inc, messages, filename=f"<{source}>", sha256=digest,
                  rows=messages.attrs["rows"], dup_file=messages.attrs["duplicates_in_file"], actor=actor,
                  progress=progress, officials=officials, before_commit=before_commit)


# --- CLI ---------------------------------------------------------------------------------
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
                        f"--map '{item}' must look like column=field")
        mapping[col.strip()] = field.strip()
    return mapping


def _stderr_progress() -> Progress:
    last = [-1]

    def show(done: int, total: int) -> None:
        pct = int(100 * done / total) if total else 100
        if pct != last[0]:
            last[0] = pct
            phase = "opslaan" if total and done > total / 2 else "inlezen"
            print(f"voortgang {pct}% ({phase})", file=sys.stderr, flush=True)

    return show


def cli(argv: list[str] | None = None) -> int:
    """`python -m pipeline ingest FILE --incident NAME`: import an export file whole or not at all."""
    parser = argparse.ArgumentParser(
        prog="python -m pipeline ingest",
        description="Importeer een exportbestand (CSV/TSV/JSON/NDJSON/XLSX) in een incident: alles of "
                    "niets, dubbele berichten worden overgeslagen. / Import an export file into an "
                    "incident: all or nothing; messages already stored are skipped.")
    parser.add_argument("file", type=Path, help="het exportbestand / the export file")
    parser.add_argument("--incident", required=True,
                        help="naam (of id) van het incident / incident name or id")
    parser.add_argument("--map", action="append", default=[], metavar="KOLOM=VELD",
                        help="koppel een kolom aan een veld (text, created_at, date, time, author, "
                             "platform, url, id, type, is_reply, is_repost); herhaalbaar / map a column "
                             "to a field; repeatable")
    parser.add_argument("--format", choices=FORMATS, default=None,
                        help="bestandsformaat; standaard herkend aan extensie en inhoud / file format; "
                             "detected by default")
    parser.add_argument("--tz", default="Europe/Amsterdam",
                        help="tijdzone voor tijden zonder zone (standaard Europe/Amsterdam) / time zone "
                             "for times without an offset")
    parser.add_argument("--actor", default="cli", help="wie importeert (voor het auditlog) / who imports")
    parser.add_argument("--quiet", action="store_true", help="geen voortgang tonen / no progress output")
    args = parser.parse_args(argv)
    try:
        mapping = parse_map(args.map) or None
        result = ingest_file(args.file, args.incident, mapping=mapping, actor=args.actor, fmt=args.format,
                             tz=args.tz, progress=None if args.quiet else _stderr_progress())
    except IngestError as exc:
        print(f"Fout / Error: {exc}", file=sys.stderr)
        return 2
    except privacy.KeyFileError as exc:
        print(f"Fout / Error: {exc}", file=sys.stderr)
        return 1
    print(summary_line(result))
    return 0

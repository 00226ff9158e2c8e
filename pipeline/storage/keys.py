"""Pseudonym keys: the master key file, the key per incident and the keyed hash (HMAC/HKDF).

Kept in storage so that both ingest (`ingest/privacy.py`, which pseudonymises at import) and
the store (which stores every author under the incident's own key and re-keys old data once,
`store.rekey_pseudonyms_per_incident`) use the one formula without storage importing ingest.
See docs/PRIVACY.md.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import stat
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.arrays import is_str

KEY_BYTES = 32
PSEUDONYM_PREFIX = "p_"
PSEUDONYM_HEX = 16


class KeyFileError(RuntimeError):
    """The pseudonym key file exists but cannot be used (unreadable, wrong length)."""


def strings(values: pd.Series) -> list[str]:
    """Return the values as a list of str, missing values as ""."""
    return ["" if v is None or v != v else str(v) for v in values.tolist()]


def map_unique(values: list[str], func, cache: dict[str, str] | None = None) -> list[str]:
    """Apply `func` once per distinct value (reposts and repeated authors are common).

    `cache` (value -> result) carries the results over calls, e.g. the chunks of one streamed import.
    """
    cache = {} if cache is None else cache
    out = []
    for v in values:
        r = cache.get(v)
        if r is None:
            r = cache[v] = func(v)
        out.append(r)
    return out


def map_distinct(values: pd.Series, func, cache: dict[str, str] | None = None, *,
                 flags=None) -> np.ndarray:
    """Return `map_unique(strings(values), func, cache)` as an object array, one call per distinct value.

    A column of pandas' "str" dtype (Arrow) is factorised in C, so the per-row work is one array
    take instead of a Python loop with a dict look-up (a hash of every text) per row. Other
    columns take `map_unique` itself (factorising would merge 1 and 1.0, which str() tells apart).
    `flags` (no `cache`): a vectorised test of the distinct values (the distinct values as an
    Arrow-backed array -> a bool array); `func` is then called as `func(value, flag)` (flag True
    for a column that is not Arrow text).
    """
    if not is_str(values):
        plain = func if flags is None else (lambda value: func(value, True))
        return np.array(map_unique(strings(values), plain, cache), dtype=object).reshape(len(values))
    codes, uniques = pd.factorize(values)  # a missing value has code -1: the last slot holds func("")
    missing = bool(len(codes)) and codes.min() < 0
    out = np.empty(len(uniques) + 1, dtype=object)
    if flags is not None and cache is None:
        marks = flags(uniques).tolist()
        out[:len(uniques)] = [func(u, f) for u, f in zip(uniques.tolist(), marks, strict=True)]
        if missing:
            out[-1] = func("", True)
        return out[codes]
    if cache is None and missing:
        cache = {}  # "" may be among the uniques too: one call for both
    # the uniques are distinct: without a cache to carry over, no dict (a hash of every text) is needed
    out[:len(uniques)] = ([func(u) for u in uniques.tolist()] if cache is None
                          else map_unique(uniques.tolist(), func, cache))
    if missing:
        out[-1] = map_unique([""], func, cache)[0]
    return out[codes]


# --- key -------------------------------------------------------------------------
def make_private_dirs(path: Path) -> None:
    """Create directory `path` (and missing parents) with mode 0700; existing ones are left alone."""
    path = Path(path)
    missing = []
    while not path.exists():
        missing.append(path)
        path = path.parent
    for d in reversed(missing):
        d.mkdir(mode=0o700, exist_ok=True)
        os.chmod(d, 0o700)  # mkdir's mode is filtered by the umask


def make_private(path: Path) -> None:
    """Set mode 0600 on a file (0700 on a directory and 0600 on the files in it) when it exists."""
    path = Path(path)
    if path.is_dir():
        os.chmod(path, 0o700)
        for child in path.iterdir():
            if child.is_file():
                os.chmod(child, 0o600)
    elif path.exists():
        os.chmod(path, 0o600)


def load_or_create_key(path: Path) -> bytes:
    """Return the 32-byte pseudonym key at `path`, creating it (mode 0600) on first use.

    An existing file that cannot be read, is readable by group or others (mode not 0600/0400)
    or does not hold exactly 32 bytes is an error: silently making a new key would break
    pseudonym continuity, and a readable key undoes the pseudonyms.
    """
    path = Path(path)
    if not path.exists():
        make_private_dirs(path.parent)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process created it just now
            return load_or_create_key(path)
        try:
            os.write(fd, secrets.token_bytes(KEY_BYTES))
            os.fsync(fd)
        finally:
            os.close(fd)
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        raise KeyFileError(
            f"pseudoniemsleutel {path} is niet leesbaar / pseudonym key {path} is not readable: {exc}"
        ) from exc
    if mode & 0o077:
        raise KeyFileError(
            f"pseudoniemsleutel {path} is leesbaar voor anderen (modus {stat.S_IMODE(mode):04o}); "
            f"maak hem privé met: chmod 600 {path} / pseudonym key {path} is readable by others "
            f"(mode {stat.S_IMODE(mode):04o}); make it private: chmod 600 {path}"
        )
    try:
        key = path.read_bytes()
    except OSError as exc:
        raise KeyFileError(
            f"pseudoniemsleutel {path} is niet leesbaar / pseudonym key {path} is not readable: {exc}"
        ) from exc
    if len(key) != KEY_BYTES:
        raise KeyFileError(
            f"pseudoniemsleutel {path} heeft {len(key)} bytes, verwacht {KEY_BYTES}; maak geen nieuwe "
            f"sleutel aan maar herstel het bestand / pseudonym key {path} holds {len(key)} bytes, "
            f"expected {KEY_BYTES}; restore it rather than creating a new key"
        )
    return key


# --- a key per incident ----------------------------------------------------------------
HKDF_SALT = b"luisterpost/pseudonym/v1"
PSEUDONYM_SCHEME = "incident-hkdf-v1"  # recorded in the store's meta_info once data is re-keyed


def hkdf_sha256(ikm: bytes, *, salt: bytes, info: bytes, length: int = 32) -> bytes:
    """Return HKDF-SHA256 output keying material (RFC 5869: extract, then expand) of `length` bytes."""
    if not 0 < length <= 255 * 32:
        raise ValueError("HKDF length must be 1..8160 bytes")
    prk = hmac.new(salt or b"\0" * 32, ikm, hashlib.sha256).digest()
    out, block = b"", b""
    for counter in range(1, -(-length // 32) + 1):
        block = hmac.new(prk, block + info + bytes([counter]), hashlib.sha256).digest()
        out += block
    return out[:length]


def incident_key(master_key: bytes, incident_id: int) -> bytes:
    """Return the 32-byte pseudonym key of one incident, derived from the master key (HKDF-SHA256)."""
    return hkdf_sha256(master_key, salt=HKDF_SALT, info=f"incident:{int(incident_id)}".encode("ascii"))


def incident_pseudonyms(pseudonyms: pd.Series, master_key: bytes, incident_id: int,
                        cache: dict[str, str] | None = None) -> pd.Series:
    """Return the stored pseudonyms of one incident: "p_" + 16 hex of HMAC-SHA256(incident key, p).

    `p` is the master-key pseudonym that `pseudonymise` made at ingest (the raw handle is
    gone by then). The same author thus has one pseudonym within an incident and unrelated
    ones across incidents; the same formula re-keys stored data (`store.migrate`).
    Values that are not a master pseudonym ("" or an official account's name) are kept.
    `cache` (master -> incident pseudonym, of THIS incident only) spares repeated HMACs over calls.
    """
    key = incident_key(master_key, incident_id)

    def one(p: str) -> str:
        if not _MASTER_PSEUDONYM_RE.fullmatch(p):
            return p
        return PSEUDONYM_PREFIX + hmac.digest(key, p.encode("ascii"), "sha256").hex()[:PSEUDONYM_HEX]

    return pd.Series(map_distinct(pseudonyms, one, cache), index=pseudonyms.index, dtype="str",
                     name=pseudonyms.name)


_MASTER_PSEUDONYM_RE = re.compile(f"{PSEUDONYM_PREFIX}[0-9a-f]{{{PSEUDONYM_HEX}}}")

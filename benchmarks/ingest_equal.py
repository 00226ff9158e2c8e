"""Check: two checkouts store the same rows for one export (a speed change must not change the data).

    python -m benchmarks.ingest_equal FILE --repo /work/main [--other PATH]

Imports FILE with `python -m pipeline ingest FILE --incident Bench --quiet` from `--repo`
and from `--other` (default: this checkout), each into a fresh store with the SAME pseudonym
key and official-accounts file (pseudonyms depend on the key and the incident id: both
stores hold incident 1). Then compares the stored messages: the set of (platform, source id,
text, author pseudonym), and also every other stored column in id order (created_at,
is_official, official_kind, url_domain, is_reply, is_repost, time_flag). Prints the counts
and the first differences; exits 1 when anything differs.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
AUTHORITY = "vrzuid_official"
KEY = ("platform", "source_id", "text", "author")
ALL = ("platform", "source_id", "created_at", "text", "author", "is_official", "official_kind",
       "url_domain", "is_reply", "is_repost", "time_flag")

_SETUP = r"""
from datetime import UTC, datetime
from pipeline.storage import store
store.create_incident(store.get_engine(), name="Bench", purpose="benchmark", legal_basis="test",
                      responsible_officer="bench", start_at=datetime(2026, 7, 11, tzinfo=UTC))
"""


def _import(repo: Path, export: Path, home: Path, key: bytes) -> Path:
    """Import `export` with the checkout `repo` into a fresh store under `home`; return the database."""
    home.mkdir(mode=0o700)
    key_file = home / "pseudonym.key"
    key_file.write_bytes(key)
    key_file.chmod(0o600)
    (home / "officials.csv").write_text(f"platform,account,name,kind\n*,{AUTHORITY},VR Zuid,authority\n",
                                        encoding="utf-8")
    db = home / "store.db"
    env = dict(os.environ, LUISTERPOST_HOME=str(home), LUISTERPOST_DB_URL=f"sqlite:///{db}",
               LUISTERPOST_KEY_FILE=str(key_file), LUISTERPOST_OFFICIAL_ACCOUNTS=str(home / "officials.csv"))
    subprocess.run([sys.executable, "-c", _SETUP], env=env, cwd=repo, check=True)
    out = subprocess.run([sys.executable, "-m", "pipeline", "ingest", str(export), "--incident", "Bench",
                          "--quiet"], env=env, cwd=repo, check=True, capture_output=True, text=True)
    print(f"{repo}: {out.stdout.strip()}")
    return db


def compare(db_a: Path, db_b: Path) -> list[str]:
    """Return the differences between the stored messages of two stores (empty: the same)."""
    con = sqlite3.connect(db_a)
    con.execute("ATTACH DATABASE ? AS b", (str(db_b),))
    problems: list[str] = []
    for label, cols in (("(platform, id, text, author)", KEY), ("every stored column", ALL)):
        c = ", ".join(cols)
        for one, other in (("main", "b"), ("b", "main")):
            rows = con.execute(f"SELECT {c} FROM {one}.messages EXCEPT "
                               f"SELECT {c} FROM {other}.messages").fetchall()
            if rows:
                which = "first" if one == "main" else "second"
                problems.append(f"{label}: {len(rows)} rows only in the {which} store, e.g. {rows[:3]}")
    n_a = con.execute("SELECT COUNT(*) FROM main.messages").fetchone()[0]
    n_b = con.execute("SELECT COUNT(*) FROM b.messages").fetchone()[0]
    if n_a != n_b:
        problems.append(f"{n_a} vs {n_b} messages")
    c = ", ".join(ALL)
    order_a = con.execute(f"SELECT {c} FROM main.messages ORDER BY id")
    order_b = con.execute(f"SELECT {c} FROM b.messages ORDER BY id")
    for i, (ra, rb) in enumerate(zip(order_a, order_b, strict=False)):
        if ra != rb:
            problems.append(f"id order differs from message {i + 1}: {ra} vs {rb}")
            break
    print(f"compared {n_a:,} vs {n_b:,} stored messages")
    return problems


def main(argv: list[str] | None = None) -> None:
    """Import the file with both checkouts and compare what they stored; exit 1 on any difference."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.ingest_equal")
    parser.add_argument("export", type=Path)
    parser.add_argument("--repo", type=Path, required=True, help="the reference checkout (e.g. /work/main)")
    parser.add_argument("--other", type=Path, default=REPO, help="the checkout to check (default: this one)")
    args = parser.parse_args(argv)
    key = secrets.token_bytes(32)
    with tempfile.TemporaryDirectory() as tmp:
        db_a = _import(args.repo.resolve(), args.export.resolve(), Path(tmp) / "a", key)
        db_b = _import(args.other.resolve(), args.export.resolve(), Path(tmp) / "b", key)
        problems = compare(db_a, db_b)
    for p in problems:
        print("DIFFERENT:", p)
    print("equal" if not problems else "NOT equal")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()

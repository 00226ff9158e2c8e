"""Benchmark: CLI ingest of a large real-text export vs a plain csv + sqlite3 floor, and store queries.

    python -m benchmarks.ingest_check [--rows 1000000] [--runs 3] [--repo PATH]

Builds an export (id;datum;auteur;bron;bericht) of `--rows` rows from the real texts in
`../shared/data` (skips with a message when absent): half the rows are distinct texts
(a real text plus the tail of another real text), half are retweets (identical
"RT @x: ..." copies of one in 50 originals; distinct share about 0.51), some carry
handles, links and phone numbers, 0.1 % come from an authority account.
Each run, interleaved in this process:
  * floor:   a child process reads the CSV with the csv module and `executemany`s it into a
             plain sqlite3 table (same columns, same unique key) in one transaction;
  * product: a child process runs `python -m pipeline ingest FILE --incident Bench --quiet`
             on a fresh store (decoding, validation, scrubbing, pseudonyms, one transaction).
Wall time and the child's peak RSS (`wait4`) are reported; medians over the runs and the
product/floor ratio are the headline. On the last run's 1M store it re-imports the file
(must add 0), and times `data_version`, `load_messages(after_id)`, `count_messages(up_to_id)`
and `moments_from_official_messages` (median of 5). `--repo` measures another checkout
(e.g. `/work/main` for the "before" figures).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"
SOURCES = [  # (file, text column)
    ("crisislex_t6/crisislex_t6_all_with_time.tsv", "text"),
    ("crisislex_t26_dev/dev_t26.tsv", "text"),
    ("ct22_dutch_train_half/ct22_dutch_train_half.tsv", "text"),
    ("ct22_dutch_dev/dev_ct22_dutch.tsv", "text"),
    ("nl_political_tweets/raw_tweets_timestamped_example.tsv", "CONTENT"),
]
AUTHORITY = "vrzuid_official"


def real_texts() -> list[str]:
    """Return the distinct real texts of the shared data sets (one line each)."""
    texts: list[str] = []
    csv.field_size_limit(1 << 20)
    for rel, col in SOURCES:
        path = DATA / rel
        if not path.exists():
            continue
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
                t = " ".join(str(row.get(col) or "").split())
                if len(t) >= 10:
                    texts.append(t)
    return list(dict.fromkeys(texts))


def write_export(path: Path, n: int, texts: list[str]) -> None:
    """Write an n-row export: half distinct texts, half copies of earlier ones (retweets)."""
    rng = random.Random(15)
    distinct: list[str] = [rng.choice(texts)]  # the popular texts that get retweeted
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter=";", lineterminator="\n")
        w.writerow(["id", "datum", "auteur", "bron", "bericht"])
        for i in range(n):
            author = f"user{rng.randrange(n // 4 + 1)}"
            if i % 1000 == 500:
                author, text = AUTHORITY, f"Update {i}: {rng.choice(texts)}"
            elif rng.random() < 0.5:  # a retweet: the same text for every copy of it
                j = max(0, len(distinct) - 1 - int(rng.expovariate(1 / 30)))  # a recent popular text
                text = f"RT @user{j % 5000}: {distinct[j][:200]}"
            else:
                a, b = rng.choice(texts), rng.choice(texts)
                text = f"{a} {' '.join(b.split()[-4:])}"
                if i % 7 == 0:
                    text += f" @buur{i % 999} https://omroep.nl/a/{i}"
                if i % 97 == 0:
                    text += " bel 06-12345678"
                if i % 50 == 0:  # one in 50 originals is retweeted (about 50 times)
                    distinct.append(text)
            second = i * 3 // 100  # ~33 rows per second: 1M rows over ~8 hours
            w.writerow([f"m{i}", f"11-07-2026 {10 + second // 3600 % 12:02d}:{second // 60 % 60:02d}:"
                        f"{second % 60:02d}", author, "X" if i % 3 else "Facebook", text])


_FLOOR = r"""
import csv, sqlite3, sys, time
src, db = sys.argv[1], sys.argv[2]
con = sqlite3.connect(db, isolation_level=None)
con.execute("PRAGMA journal_mode=WAL"); con.execute("PRAGMA synchronous=FULL")
con.execute("CREATE TABLE m (id INTEGER PRIMARY KEY, source_id TEXT, created_at TEXT, author TEXT,"
            " platform TEXT, text TEXT, UNIQUE(platform, source_id))")
t0 = time.perf_counter()
with open(src, encoding="utf-8", newline="") as fh:
    r = csv.reader(fh, delimiter=";"); next(r)
    con.execute("BEGIN")
    con.executemany("INSERT OR IGNORE INTO m (source_id, created_at, author, platform, text) "
                    "VALUES (?, ?, ?, ?, ?)", r)
    con.execute("COMMIT")
print(time.perf_counter() - t0)
"""


def _measured(cmd: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float, str]:
    """Run `cmd` as a child and return (wall s, peak RSS GB from wait4, stdout)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=out, stderr=err, text=True)
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if proc.returncode != 0:
            raise RuntimeError(f"{cmd} failed: {err.read()[-3000:]}")
        return wall, usage.ru_maxrss / 2**20, out.read()


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(LUISTERPOST_HOME=str(home), LUISTERPOST_DB_URL=f"sqlite:///{home / 'bench.db'}",
               LUISTERPOST_KEY_FILE=str(home / "pseudonym.key"),
               LUISTERPOST_OFFICIAL_ACCOUNTS=str(home / "officials.csv"))
    return env


_SETUP = r"""
from datetime import UTC, datetime
from pipeline.storage import store
store.create_incident(store.get_engine(), name="Bench", purpose="benchmark", legal_basis="test",
                      responsible_officer="bench", start_at=datetime(2026, 7, 11, tzinfo=UTC))
"""

_QUERIES = r"""
import json, statistics, time
from pipeline.storage import store
engine = store.get_engine()
inc = store.get_incident(engine, "Bench")["id"]
out = {}
def med(f, n=5):
    ts = []
    for _ in range(n):
        t0 = time.perf_counter(); f(); ts.append(time.perf_counter() - t0)
    return round(statistics.median(ts) * 1000, 1)
v = store.data_version(engine, inc)
top = int(v[1])
out["data_version_ms"] = med(lambda: store.data_version(engine, inc), 9)
out["load_after_id_1000_ms"] = med(lambda: store.load_messages(engine, inc, after_id=top - 1000))
out["count_up_to_id_ms"] = med(lambda: store.count_messages(engine, inc, up_to_id=top - 1000))
def moments():
    with engine.connect() as conn:
        with conn.begin():
            store.moments_from_official_messages(conn, inc)
            conn.rollback()
out["moments_from_official_ms"] = med(moments)
out["n_messages"] = int(v[0])
print(json.dumps(out))
"""


def main(argv: list[str] | None = None) -> None:
    """Build the export, run floor and product interleaved, print medians and ratios."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.ingest_check")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--repo", type=Path, default=REPO, help="checkout to measure (default: this one)")
    parser.add_argument("--keep", type=Path, default=None, help="reuse/keep the export file at this path")
    args = parser.parse_args(argv)
    texts = real_texts()
    if not texts:
        print(f"skipped: no real texts under {DATA}")
        return
    repo = args.repo.resolve()
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        export = args.keep or tmpdir / "export.csv"
        if not export.exists():
            t0 = time.perf_counter()
            write_export(export, args.rows, texts)
            print(f"export: {args.rows:,} rows from {len(texts):,} real texts, "
                  f"{export.stat().st_size / 2**20:.0f} MB ({time.perf_counter() - t0:.0f} s to build)")
        floor, product = [], []
        env = None
        for run in range(args.runs):
            home = tmpdir / f"run{run}"
            home.mkdir()
            wall, rss, out = _measured([sys.executable, "-c", _FLOOR, str(export), str(home / "floor.db")],
                                       dict(os.environ), repo)
            floor.append((args.rows / wall, rss))
            env = _env(home)
            (home / "officials.csv").write_text(f"platform,account,name,kind\n*,{AUTHORITY},VR Zuid,"
                                                "authority\n", encoding="utf-8")
            subprocess.run([sys.executable, "-c", _SETUP], env=env, cwd=repo, check=True)
            wall, rss, out = _measured([sys.executable, "-m", "pipeline", "ingest", str(export),
                                        "--incident", "Bench", "--quiet"], env, repo)
            product.append((args.rows / wall, rss))
            print(f"run {run + 1}: floor {floor[-1][0]:,.0f} rows/s {floor[-1][1]:.2f} GB | product "
                  f"{product[-1][0]:,.0f} rows/s {product[-1][1]:.2f} GB ({wall:.1f} s) | {out.strip()}",
                  flush=True)
            if run < args.runs - 1:
                for f in home.glob("*.db*"):
                    f.unlink()
        f_rate = statistics.median(r for r, _ in floor)
        p_rate = statistics.median(r for r, _ in product)
        print(f"median: floor {f_rate:,.0f} rows/s, {statistics.median(m for _, m in floor):.2f} GB; "
              f"product {p_rate:,.0f} rows/s, {statistics.median(m for _, m in product):.2f} GB; "
              f"ratio product/floor {p_rate / f_rate:.2f}")
        wall, rss, out = _measured([sys.executable, "-m", "pipeline", "ingest", str(export),
                                    "--incident", "Bench", "--quiet"], env, repo)
        print(f"re-import: {out.strip()} ({args.rows / wall:,.0f} rows/s, {rss:.2f} GB)")
        res = subprocess.run([sys.executable, "-c", _QUERIES], env=env, cwd=repo, check=True,
                             capture_output=True, text=True)
        print("store queries at this size:", json.dumps(json.loads(res.stdout.strip().splitlines()[-1])))


if __name__ == "__main__":
    main()

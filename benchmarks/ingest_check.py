"""Benchmark: ingest a generated 100k-row CSV twice and a malformed file once; print the figures.

Run with `python -m benchmarks.ingest_check` (uses a temporary store; touches nothing else).
"""

from __future__ import annotations

import os
import random
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

N_ROWS = 100_000


def _write_csv(path: Path, n: int) -> None:
    rng = random.Random(42)
    words = ["brand", "rook", "ramen", "dicht", "stank", "haven", "school", "politie", "wat", "is", "er"]
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("id;datum;auteur;bron;bericht\n")
        for i in range(n):
            text = " ".join(rng.choices(words, k=12))
            if i % 5 == 0:
                text += f" @user{i % 3000} https://omroep.nl/a/{i}"
            if i % 50 == 0:
                text += " bel 06-12345678"
            minute = i // 100
            fh.write(f"{i};11-07-2026 {10 + minute // 60 % 12:02d}:{minute % 60:02d};user{i % 20000};"
                     f"{'X' if i % 3 else 'Facebook'};\"{text}\"\n")


def main() -> None:
    """Generate, ingest twice, try a malformed file, print rows/s and counts."""
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        os.environ["LUISTERPOST_HOME"] = str(home)
        os.environ["LUISTERPOST_DB_URL"] = f"sqlite:///{home / 'bench.db'}"
        os.environ["LUISTERPOST_KEY_FILE"] = str(home / "pseudonym.key")
        os.environ["LUISTERPOST_OFFICIAL_ACCOUNTS"] = str(home / "none.csv")
        from sqlalchemy import func, select

        from pipeline.ingest.load import IngestError, ingest_file, read_messages
        from pipeline.storage import store

        store.dispose_engines()
        engine = store.get_engine()
        store.create_incident(engine, name="Bench", purpose="benchmark", legal_basis="test",
                              responsible_officer="bench", start_at=datetime(2026, 7, 11, tzinfo=UTC))
        path = home / "bench.csv"
        _write_csv(path, N_ROWS)
        t0 = time.perf_counter()
        read_messages(path)
        t_read = time.perf_counter() - t0
        print(f"read+validate only: {N_ROWS / t_read:,.0f} rows/s ({t_read:.2f} s)")
        for run in (1, 2):
            t0 = time.perf_counter()
            result = ingest_file(path, "Bench", engine=engine, actor="bench")
            dt = time.perf_counter() - t0
            print(f"run {run}: {result.rows:,} rows, {result.added:,} added, "
                  f"{result.duplicates_in_db:,} already present; {result.rows / dt:,.0f} rows/s ({dt:.2f} s)")
        bad = home / "bad.csv"
        text = path.read_text(encoding="utf-8").replace("11-07-2026 10:00", "31-02-2026 10:00", 1)
        bad.write_text(text.replace(";\"", ";\"nieuw ", 10), encoding="utf-8")

        def count() -> int:
            with engine.connect() as conn:
                return conn.execute(select(func.count()).select_from(store.messages)).scalar_one()

        before = count()
        try:
            ingest_file(bad, "Bench", engine=engine, actor="bench")
            print("malformed file: NOT rejected (unexpected)")
        except IngestError as exc:
            print(f"malformed file rejected: {str(exc)[:100]}...")
        print(f"messages before/after malformed file: {before:,}/{count():,} "
              f"({'unchanged' if before == count() else 'CHANGED'})")
        store.dispose_engines()


if __name__ == "__main__":
    main()

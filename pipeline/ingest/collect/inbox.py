"""Export inbox: a folder per incident where OBI4wan/Coosto (or any tool) drops its exports.

Every file in the folder with a known extension (CSV/TSV/TXT/JSON/NDJSON/JSONL/XLSX)
that has not changed for `settle_seconds` (default 2, so a file still being
written is left alone) is imported whole or not at all by
`pipeline.ingest.load.ingest_file` (the same path and error texts as an upload), then
moved to `verwerkt/` — or to `afgewezen/` with `<file>.fout.txt` beside it holding
the Dutch/English error. A file dropped again later (a newer export under the same
name) is simply imported again: messages already stored are skipped. If the
collector dies between the import and the move, the next pass imports the file
again (nothing added) and moves it, so nothing is lost or doubled.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pandas as pd

from pipeline.ingest.collect.sources import Context, Source, success_values
from pipeline.ingest.load import IngestError, ingest_file
from pipeline.storage import sources as source_rows

EXTENSIONS = {".csv", ".tsv", ".txt", ".json", ".ndjson", ".jsonl", ".xlsx"}
DONE = "verwerkt"
REJECTED = "afgewezen"


def _free_name(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    if not target.exists():
        return target
    stamp = time.strftime("%Y%m%d-%H%M%S")
    n = 1
    while True:
        target = folder / f"{stamp}-{n}-{name}"
        if not target.exists():
            return target
        n += 1


def pending_files(folder: Path, settle_seconds: float, now: float | None = None) -> list[Path]:
    """Return the export files waiting in `folder`, oldest first."""
    now = time.time() if now is None else now
    if not folder.is_dir():
        return []
    files = [p for p in folder.iterdir()
             if p.is_file() and p.suffix.lower() in EXTENSIONS and not p.name.startswith(".")
             and now - p.stat().st_mtime >= settle_seconds]
    return sorted(files, key=lambda p: (p.stat().st_mtime, p.name))


def collect(source: Source, ctx: Context) -> int:
    """Import every settled file in the inbox; return messages added."""
    folder = Path(str(source.config["folder"])).expanduser()
    if not folder.is_dir():
        raise FileNotFoundError(f"map {folder} bestaat niet / folder {folder} does not exist")
    settle = float(source.config.get("settle_seconds", 2.0))
    added = 0
    for path in pending_files(folder, settle):
        now = pd.Timestamp.now(tz="UTC")

        def advance(conn, batch_id: int, n_added: int, name: str = path.name,
                    now: pd.Timestamp = now) -> None:
            done = int(source.cursor.get("files", 0)) + 1
            source_rows.update_source(conn, source.id, cursor=json.dumps({"files": done, "last_file": name}),
                                      **success_values(source.id, conn, now, n_added, None))

        try:
            result = ingest_file(path, ctx.incident["id"], engine=ctx.engine, actor=ctx.actor,
                                 before_commit=advance)
        except IngestError as exc:
            target = _free_name(folder / REJECTED, path.name)
            path.replace(target)
            target.with_name(target.name + ".fout.txt").write_text(str(exc) + "\n", encoding="utf-8")
            ctx.notes.append(f"{path.name}: {exc}")
            continue
        source.cursor = {"files": int(source.cursor.get("files", 0)) + 1, "last_file": path.name}
        path.replace(_free_name(folder / DONE, path.name))
        added += result.added
    return added

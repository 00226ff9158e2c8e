"""Read one SQLite query into Arrow with the ADBC driver, in a child process (`load_analysed`).

Run as `python -m pipeline.storage.arrow_read` with a JSON request on stdin; writes an Arrow IPC
file to the path the request names (a private temporary folder, in RAM when /dev/shm exists).

Why a child process: the ADBC driver carries its own copy of SQLite. Two SQLite libraries in one
process share the process's POSIX locks but not each other's bookkeeping, so the driver's
connection took itself for the first user of a WAL database and reset the `-shm` file that the
dashboard's own sqlite3 connections had mapped: the next large write died with SIGBUS
(`benchmarks.run --parts c` at 100k; a crash of the whole dashboard process). In its own process
the driver is one more reader under SQLite's normal multi-process locking.

Imports nothing of the application (only the driver and pyarrow), so the child starts in ~0,3 s.
"""

from __future__ import annotations

import json
import sys

import adbc_driver_sqlite.dbapi as adbc_sqlite
import pyarrow as pa


def main() -> int:
    """Answer one request: {"uri", "sql", "params", "batch_rows", "out"} → an Arrow IPC file at `out`.

    A file, not the pipe: pyarrow writes and the parent maps it natively (a 1M-message incident,
    ~630 MB of Arrow: 0,1 s), where the stdout pipe went through Python file objects (~2 s).
    """
    request = json.loads(sys.stdin.read())
    with adbc_sqlite.connect(request["uri"], autocommit=True) as conn, conn.cursor() as cur:
        cur.adbc_statement.set_options(**{"adbc.sqlite.query.batch_rows": str(request["batch_rows"])})
        cur.execute(request["sql"], tuple(request["params"]))
        reader = cur.fetch_record_batch()
        with pa.OSFile(request["out"], "wb") as sink, pa.ipc.new_file(sink, reader.schema) as out:
            for batch in reader:
                out.write_batch(batch)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

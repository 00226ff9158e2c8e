"""One command for the issue-15 measures: `python -m benchmarks.run --scale 100000,1000000`.

Parts (select with `--parts a,c`):
  a  analysis of all-distinct real text: msgs/s of the product and the peer, interleaved in
     this process (product, peer, peer, product, ...), medians of `--reps`; ratio = product / peer
  b  1M-style stream at distinct share 0.5: peak RSS of the analysis (product and peer), each in
     its own subprocess (ru_maxrss), with the RSS after building the stream as the baseline
  c  live: a SQLite store grown to N messages; each page (Nu, Thema's, CoPI, Trends,
     Representativiteit) opened with streamlit AppTest, then per page `--rounds` times:
     +1,000 messages and a rerun (what a user waits for); then `update_incident` +1,000 p50/p95
  d  first open after a restart (fresh process, cold caches) on that store: Nu, Nabespreking,
     and Nabespreking moved to a replay time T in the middle of the incident
  e  CLI ingest (`python -m pipeline ingest`, its own process tree) of an N-row export file:
     rows/s and peak RSS (CLI + worker), against a plain csv + sqlite3 floor
The growth factor 100k -> 1M is reported per measure. Speed goals live here, never in tests.

Runs against another checkout (e.g. the session-start commit) with
`cd /work/wt-before && PYTHONPATH=/work/wt-before:/work/wt-bench python -m benchmarks.run ...`:
the product's functions are found under the new and the old module paths (`compat.find`).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa

from benchmarks import peer
from benchmarks.compat import find, module
from benchmarks.streams import build_stream, write_export_csv

PAGES = ("nu.py", "themas.py", "copi.py", "trends.py", "representativiteit.py")


# --- helpers -----------------------------------------------------------------------------
def peak_rss_mb() -> float:
    """Return the peak resident memory of this process in MB.

    /proc VmHWM first: Linux keeps ru_maxrss across exec, so a child started from a big
    parent would report the parent's peak.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mb() -> float:
    """Return the current resident memory in MB (/proc), 0 where unavailable."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def pct(values: list[float], q: float) -> float:
    """Return the q-th percentile with linear interpolation (q in 0..100)."""
    s = sorted(values)
    if not s:
        return float("nan")
    pos = (len(s) - 1) * q / 100
    lo, hi = int(pos), min(int(pos) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        LUISTERPOST_HOME=str(home),
        LUISTERPOST_DB_URL=f"sqlite:///{home / 'bench.db'}",
        LUISTERPOST_KEY_FILE=str(home / "pseudonym.key"),
        LUISTERPOST_OFFICIAL_ACCOUNTS=str(home / "no_officials.csv"),
    )
    return env


def _child(name: str, args: dict, home: Path | None = None, timeout: float = 3600) -> dict:
    """Run `python -m benchmarks.run --child name` in a fresh process; return its JSON answer."""
    env = _env(home) if home else dict(os.environ)
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--child", name, "--child-args", json.dumps(args)],
        env=env,
        cwd=os.getcwd(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
    if out.returncode != 0 or not lines:
        raise RuntimeError(f"child {name} failed ({out.returncode}):\n{out.stderr[-3000:]}")
    return json.loads(lines[-1])


# Memo caches keyed on texts or tokens: emptied before each repetition. Every other lru_cache in the
# product is a loader (language model, lexicons, compiled patterns, shipped models): loaded once per
# server process in use, so reloading it per repetition (as before 2026-12-06: the py3langid model
# alone, ~1 s per repetition at 100k) measured start-up, not analysis.
_SMALL_TEXT_MEMOS = frozenset({"_decisions"})  # token decisions, held in a dict behind a maxsize-8 cache
_TEXT_MEMO_MIN_SIZE = 1000


def _clear_product_caches() -> None:
    """Empty the product's memo caches of texts/tokens so each repetition starts cold on texts."""
    import functools

    for name, mod in list(sys.modules.items()):
        if not name.startswith("pipeline") or mod is None:
            continue
        for attr, obj in list(vars(mod).items()):
            if not isinstance(obj, functools._lru_cache_wrapper):
                continue
            size = obj.cache_parameters()["maxsize"]
            if attr in _SMALL_TEXT_MEMOS or (size is not None and size >= _TEXT_MEMO_MIN_SIZE):
                obj.cache_clear()


def _demo_params():
    meta = find("demo_metadata", "pipeline.ingest.demo")()
    params_cls = find("AnalysisParams", "pipeline.analysis.chain")
    return meta, params_cls(keywords=tuple(meta["keywords"]), description=meta["description"])


def product_analyse(frame: pd.DataFrame, params) -> pd.DataFrame:
    """Run the product's whole in-memory chain (normalise, language, relevance, classify, themes)."""
    analyze = find("analyze", "pipeline.analysis.chain")
    return analyze(frame, params).frame


# --- (a) throughput, interleaved with the peer -------------------------------------------
def measure_throughput(n: int, reps: int) -> dict:
    """msgs/s on all-distinct real text for the product and the peer (medians of `reps`)."""
    _meta, params = _demo_params()
    peer.trained_model()  # training is not timed
    product_analyse(build_stream(500, 1.0, seed=99), params)  # imports, shipped model load
    ours, theirs = [], []
    for rep in range(reps):
        frame = build_stream(n, 1.0, seed=rep)
        order = ("product", "peer") if rep % 2 == 0 else ("peer", "product")
        for who in order:
            gc.collect()
            if who == "product":
                _clear_product_caches()
                t0 = time.perf_counter()
                out = product_analyse(frame, params)
                ours.append(time.perf_counter() - t0)
                assert len(out) == n
            else:
                t0 = time.perf_counter()
                out = peer.analyse(frame["text"])
                theirs.append(time.perf_counter() - t0)
                assert len(out) == n
        print(
            f"  (a) n={n:,} rep {rep + 1}: product {n / ours[-1]:,.0f} msgs/s, "
            f"peer {n / theirs[-1]:,.0f} msgs/s",
            file=sys.stderr,
            flush=True,
        )
    p, q = statistics.median(ours), statistics.median(theirs)
    return {
        "n": n,
        "reps": reps,
        "product_msgs_s": n / p,
        "peer_msgs_s": n / q,
        "ratio": q / p,
        "product_s": ours,
        "peer_s": theirs,
    }


def reset_peak_rss() -> bool:
    """Reset this process's VmHWM to its current RSS (Linux: write 5 to /proc/self/clear_refs)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def child_analysis_rss(args: dict) -> dict:
    """(b) in a fresh process: load the stream (Parquet, Arrow strings), reset the peak, analyse once.

    The stream is built by the parent: building it peaks far above the finished frame (about
    1,1 GB for 1M messages against 230 MB), which would hide the analysis' own peak.
    """
    frame = pd.read_parquet(args["parquet"])
    gc.collect()
    # The Parquet reader's freed buffers stay in Arrow's pool: without handing them back the
    # baseline varied from 467 to 651 MB between runs of the same stream (2026-12-06).
    pa.default_memory_pool().release_unused()
    base = current_rss_mb()
    reset = reset_peak_rss()
    t0 = time.perf_counter()
    if args["who"] == "product":
        _meta, params = _demo_params()
        out = product_analyse(frame, params)
    else:
        out = peer.analyse(frame["text"])
    dt = time.perf_counter() - t0
    return {
        "n": args["n"],
        "distinct": args["distinct"],
        "who": args["who"],
        "seconds": dt,
        "msgs_s": args["n"] / dt,
        "rows_out": len(out),
        "stream_rss_mb": base,
        "peak_rss_mb": peak_rss_mb(),
        "peak_reset": reset,
    }


def measure_memory(n: int, distinct: float) -> dict:
    """(b) peak RSS of the product's and the peer's analysis of n messages (same Parquet input)."""
    res = {}
    with tempfile.TemporaryDirectory(prefix="lp_bench_rss_") as tmp:
        parquet = Path(tmp) / "stream.parquet"
        build_stream(n, distinct, seed=7).to_parquet(parquet)
        for who in ("product", "peer"):
            res[who] = _child("analysis_rss", {"n": n, "distinct": distinct, "who": who,
                                               "parquet": str(parquet)})
            print(
                f"  (b) n={n:,} {who}: peak {res[who]['peak_rss_mb']:,.0f} MB "
                f"(stream loaded {res[who]['stream_rss_mb']:,.0f} MB)",
                file=sys.stderr,
                flush=True,
            )
    return {
        "n": n,
        "distinct": distinct,
        "product_peak_rss_mb": res["product"]["peak_rss_mb"],
        "peer_peak_rss_mb": res["peer"]["peak_rss_mb"],
        "stream_rss_mb": res["product"]["stream_rss_mb"],
        "product_added_mb": res["product"]["peak_rss_mb"] - res["product"]["stream_rss_mb"],
        "peer_added_mb": res["peer"]["peak_rss_mb"] - res["peer"]["stream_rss_mb"],
        "product_msgs_s": res["product"]["msgs_s"],
        "peer_msgs_s": res["peer"]["msgs_s"],
        "ratio_rss": res["product"]["peak_rss_mb"] / res["peer"]["peak_rss_mb"],
    }


# --- (c) live, (d) cold ------------------------------------------------------------------
def _store_mod():
    return module("pipeline.storage.store")


def _insert(store, engine, incident_id: int, frame: pd.DataFrame) -> float:
    t0 = time.perf_counter()
    with engine.begin() as conn:
        store.insert_messages(conn, incident_id, frame)
    return time.perf_counter() - t0


def _apptest(repo: Path, page: str, incident_id: int):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(repo / "pages" / page), default_timeout=3600)
    at.session_state["lp_user"] = {
        "username": "bench",
        "display_name": "Bench",
        "role": "analist",
        "active": True,
        "auth": "demo",
    }
    at.session_state["lp_incident"] = incident_id
    return at


def _run_page(at) -> float:
    t0 = time.perf_counter()
    at.run()
    dt = time.perf_counter() - t0
    if at.exception:
        raise RuntimeError(f"page raised: {at.exception[0].message[:500]}")
    return dt


def child_live(args: dict) -> dict:
    """(c) grow a store to n, open the pages, then +1,000 per page rerun and per update_incident."""
    n, rounds, step = args["n"], args["rounds"], args["step"]
    repo = Path(args["repo"])
    sys.path.insert(0, str(repo))
    store = _store_mod()
    meta = find("demo_metadata", "pipeline.ingest.demo")()
    engine = store.get_engine()
    incident_id = store.create_incident(
        engine,
        name=f"Benchmark {n}",
        purpose="benchmark",
        legal_basis="n.v.t.",
        responsible_officer="n.v.t.",
        start_at=datetime(2026, 7, 11, tzinfo=UTC),
        keywords=meta["keywords"],
        description=meta["description"],
        is_demo=True,
    )
    extra = step * (len(PAGES) * rounds + rounds)
    stream = build_stream(n + extra, 0.5, seed=3)
    base, later = stream.iloc[:n], stream.iloc[n:]
    # New messages arrive "now": shift the later ones to after the base (keeps time order).
    t_store = 0.0
    for start in range(0, n, 100_000):
        t_store += _insert(store, engine, incident_id, base.iloc[start : start + 100_000])
    with engine.begin() as conn:  # the demo's communication moments, for the effect/timeline views
        for moment in meta["moments"]:
            store.add_moment(
                conn,
                incident_id,
                time=pd.Timestamp("2026-07-11 11:00", tz="UTC").to_pydatetime(),
                channel=moment["channel"],
                text=moment["text"],
            )
    chunks = [later.iloc[i : i + step] for i in range(0, len(later), step)]
    result: dict = {"n": n, "step": step, "rounds": rounds, "store_build_s": t_store, "pages": {}}
    apps = {page: _apptest(repo, page, incident_id) for page in PAGES}
    first = {}
    for page, at in apps.items():
        first[page] = _run_page(at)
        print(f"  (c) n={n:,} first open {page}: {first[page]:.2f} s", file=sys.stderr, flush=True)
    result["first_open_warm_process_s"] = first
    for page, at in apps.items():
        times = []
        for _ in range(rounds):
            _insert(store, engine, incident_id, chunks.pop(0))
            times.append(_run_page(at))
        result["pages"][page] = {"rerun_s": times, "p50": statistics.median(times), "max": max(times)}
        print(
            f"  (c) n={n:,} {page} rerun after +{step:,}: {[round(t, 2) for t in times]}",
            file=sys.stderr,
            flush=True,
        )
    # update_incident +step, from an up-to-date analysis (the page cache's, else a full one)
    analyze_incident = find("analyze_incident", "pipeline.analysis.chain")
    update_incident = find("update_incident", "pipeline.analysis.chain")
    t0 = time.perf_counter()
    previous = analyze_incident(engine, incident_id)
    result["full_analysis_s"] = time.perf_counter() - t0
    updates = []
    while chunks:
        _insert(store, engine, incident_id, chunks.pop(0))
        t0 = time.perf_counter()
        previous = update_incident(engine, incident_id, previous)
        updates.append(time.perf_counter() - t0)
    result["update_incident_s"] = updates
    result["update_p50"], result["update_p95"] = pct(updates, 50), pct(updates, 95)
    result["incident_id"] = incident_id
    result["messages_stored"] = n + extra
    result["peak_rss_mb"] = peak_rss_mb()
    return result


def child_cold(args: dict) -> dict:
    """(d) a fresh process on an existing store: first open of one page (cold caches)."""
    repo = Path(args["repo"])
    sys.path.insert(0, str(repo))
    at = _apptest(repo, args["page"], args["incident_id"])
    out = {"page": args["page"], "first_open_s": _run_page(at)}
    if args["page"] == "nabespreking.py":
        store = _store_mod()
        frame = store.load_messages(store.get_engine(), args["incident_id"])
        basis = find("arrival_basis", "pipeline.views.timeline")(frame)
        steps = [
            ts.isoformat()
            for ts in find("time_steps", "pipeline.views.timeline")(frame, basis)
        ]
        del frame
        for label, index in (("at_T_s", len(steps) // 2), ("at_T2_s", len(steps) // 4)):
            at.session_state["nab_time"] = steps[index]
            out[label.replace("_s", "")] = steps[index]
            out[label] = _run_page(at)
            if at.session_state["nab_time"] != steps[index]:
                raise RuntimeError("the Nabespreking slider did not take the replay time")
    out["peak_rss_mb"] = peak_rss_mb()
    return out


# --- (e) ingest ------------------------------------------------------------------------------
def child_ingest(args: dict) -> dict:
    """Run the real CLI (`python -m pipeline ingest`) on one export file into a fresh store.

    Run as its own process tree, as a user runs it: the CLI scrubs the chunks of a large file in
    a worker process, which only a `python -m pipeline` main may start (`load._safe_main`; calling
    `ingest_file` from this harness measured the one-process fallback). Wall time from start to
    exit, interpreter start and imports included. Memory: every 20 ms the resident set of the
    CLI and its worker is read from /proc; `peak_rss_mb` is the largest sum seen, with each
    process's own peak (VmHWM) beside it.
    """
    store = _store_mod()
    engine = store.get_engine()
    store.create_incident(
        engine,
        name="Bench",
        purpose="benchmark",
        legal_basis="test",
        responsible_officer="bench",
        start_at=datetime(2026, 7, 11, tzinfo=UTC),
    )
    if hasattr(store, "dispose_engines"):  # (old checkouts have none)
        store.dispose_engines()  # the CLI writes the store meanwhile
    cmd = [sys.executable, "-m", "pipeline", "ingest", args["path"], "--incident", "Bench", "--quiet"]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=dict(os.environ), cwd=os.getcwd(), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    tree_peak, own_peaks = 0.0, {}
    while proc.poll() is None:
        rss = 0.0
        for pid in _process_tree(proc.pid):
            status = _proc_status(pid)
            rss += status.get("VmRSS", 0.0)
            own_peaks[pid] = max(own_peaks.get(pid, 0.0), status.get("VmHWM", 0.0))
        tree_peak = max(tree_peak, rss)
        time.sleep(0.02)
    dt = time.perf_counter() - t0
    out, err = proc.communicate()
    if proc.returncode != 0:
        raise RuntimeError(f"CLI ingest failed ({proc.returncode}):\n{err[-3000:]}")
    engine = store.get_engine()
    rows = store.count_messages(engine, int(store.list_incidents(engine)["id"].iloc[0]))
    peaks = sorted(own_peaks.values(), reverse=True)
    return {
        "rows": int(rows),
        "seconds": dt,
        "rows_s": rows / dt,
        "peak_rss_mb": tree_peak,
        "process_peaks_mb": peaks,
        "processes": len(peaks),
    }


def _process_tree(pid: int) -> list[int]:
    """Return `pid` and its descendants (from /proc/<pid>/task/<tid>/children)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return out


def _proc_status(pid: int) -> dict[str, float]:
    """Return VmRSS and VmHWM (MB) of a process, {} when it is gone."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return {}
    return {line.split(":")[0]: int(line.split()[1]) / 1024 for line in lines
            if line.startswith(("VmRSS:", "VmHWM:"))}


def child_floor(args: dict) -> dict:
    """Measure the floor: csv module + sqlite3 executemany into an indexed table, one transaction."""
    import csv
    import sqlite3

    home = Path(os.environ["LUISTERPOST_HOME"])
    db = sqlite3.connect(home / "floor.db")
    db.execute("PRAGMA journal_mode=WAL")
    db.execute(
        "CREATE TABLE m (id INTEGER PRIMARY KEY, incident_id INT, platform TEXT, source_id TEXT, "
        "created_at TEXT, text TEXT, author TEXT, UNIQUE (incident_id, platform, source_id))"
    )
    base = current_rss_mb()
    t0 = time.perf_counter()
    rows = 0
    with open(args["path"], encoding="utf-8", newline="") as fh, db:
        reader = csv.reader(fh, delimiter=";")
        next(reader)
        batch = []
        for rec in reader:
            d = rec[1]
            batch.append((1, rec[3].lower(), rec[0], f"{d[6:10]}-{d[3:5]}-{d[0:2]} {d[11:]}", rec[4], rec[2]))
            if len(batch) == 50_000:
                db.executemany(
                    "INSERT OR IGNORE INTO m (incident_id, platform, source_id, created_at, text, "
                    "author) VALUES (?,?,?,?,?,?)",
                    batch,
                )
                rows += len(batch)
                batch = []
        db.executemany(
            "INSERT OR IGNORE INTO m (incident_id, platform, source_id, created_at, text, author) "
            "VALUES (?,?,?,?,?,?)",
            batch,
        )
        rows += len(batch)
    dt = time.perf_counter() - t0
    return {
        "rows": rows,
        "seconds": dt,
        "rows_s": rows / dt,
        "base_rss_mb": base,
        "peak_rss_mb": peak_rss_mb(),
    }


def measure_ingest(n: int, work: Path) -> dict:
    """(e) rows/s and peak RSS of the product's ingest and of the floor, same file."""
    path = work / f"export_{n}.csv"
    write_export_csv(build_stream(n, 0.5, seed=5), path)
    out = {"n": n}
    for who in ("product", "floor"):
        home = Path(tempfile.mkdtemp(prefix=f"lp_ingest_{who}_", dir=work))
        out[who] = _child("ingest" if who == "product" else "floor", {"path": str(path)}, home)
        print(
            f"  (e) n={n:,} {who}: {out[who]['rows_s']:,.0f} rows/s, peak {out[who]['peak_rss_mb']:,.0f} MB",
            file=sys.stderr,
            flush=True,
        )
    path.unlink()
    out["ratio_rows_s"] = out["product"]["rows_s"] / out["floor"]["rows_s"]
    return out


# --- orchestration ---------------------------------------------------------------------------
def run(
    scales: list[int],
    parts: str,
    reps: int = 3,
    rounds: int = 3,
    step: int = 1000,
    a_max: int = 200_000,
    work: Path | None = None,
) -> dict:
    """Run the selected parts at every scale; return the results (JSON-ready)."""
    repo = Path.cwd()
    work = Path(work or tempfile.mkdtemp(prefix="lp_bench_"))
    results: dict = {
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "repo": str(repo),
        "commit": _commit(repo),
        "load_avg": os.getloadavg(),
        "scales": scales,
        "parts": parts,
        "a": {},
        "b": {},
        "c": {},
        "d": {},
        "e": {},
    }
    for n in scales:
        key = str(n)
        if "a" in parts:
            results["a"][key] = measure_throughput(n, reps if n <= a_max else 1)
        if "b" in parts:
            results["b"][key] = measure_memory(n, 0.5)
        if "c" in parts or "d" in parts:
            home = Path(tempfile.mkdtemp(prefix=f"lp_live_{n}_", dir=work))
            live = _child("live", {"n": n, "rounds": rounds, "step": step, "repo": str(repo)}, home)
            if "c" in parts:
                results["c"][key] = live
            if "d" in parts:
                results["d"][key] = {
                    page: _child(
                        "cold", {"page": page, "incident_id": live["incident_id"], "repo": str(repo)}, home
                    )
                    for page in ("nu.py", "nabespreking.py")
                }
                print(f"  (d) n={n:,}: {json.dumps(results['d'][key])}", file=sys.stderr, flush=True)
        if "e" in parts:
            results["e"][key] = measure_ingest(n, work)
    results["finished"] = datetime.now(UTC).isoformat(timespec="seconds")
    results["load_avg_end"] = os.getloadavg()
    return results


def _commit(repo: Path) -> str:
    try:
        return subprocess.run(
            ["git", "-C", str(repo), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


def _fmt(v: float, digits: int = 2) -> str:
    return f"{v:,.{digits}f}".replace(",", " ")


def markdown(results: dict) -> str:
    """Return the results as a markdown table: one row per measure, a column per scale + growth."""
    scales = [str(s) for s in results["scales"]]
    rows: list[tuple[str, list[str]]] = []

    def add(label: str, part: str, get, digits: int = 2) -> None:
        vals = []
        for s in scales:
            try:
                vals.append(get(results[part][s]))
            except (KeyError, TypeError):
                vals.append(None)
        if all(v is None for v in vals):
            return
        cells = [_fmt(v, digits) if v is not None else "–" for v in vals]
        if len(vals) >= 2 and vals[0] and vals[-1] is not None:
            cells.append(f"{vals[-1] / vals[0]:.2f}×")
        elif len(vals) >= 2:
            cells.append("–")
        rows.append((label, cells))

    add("(a) product msgs/s, all-distinct real text", "a", lambda r: r["product_msgs_s"], 0)
    add("(a) peer msgs/s (same run)", "a", lambda r: r["peer_msgs_s"], 0)
    add("(a) ratio product/peer", "a", lambda r: r["ratio"])
    add("(b) product peak RSS MB, distinct 0.5", "b", lambda r: r["product_peak_rss_mb"], 0)
    add("(b) peer peak RSS MB (same input)", "b", lambda r: r["peer_peak_rss_mb"], 0)
    add("(b) RSS ratio product/peer", "b", lambda r: r["ratio_rss"])
    add("(b) stream loaded from Parquet, MB (baseline; peak reset after)", "b",
        lambda r: r["stream_rss_mb"], 0)
    add("(c) update_incident +1,000 p50 s", "c", lambda r: r["update_p50"], 3)
    add("(c) update_incident +1,000 p95 s", "c", lambda r: r["update_p95"], 3)
    for page in PAGES:
        add(f"(c) {page} rerun after +1,000, median s", "c", lambda r, p=page: r["pages"][p]["p50"])
    add("(c) full analysis of the stored incident s", "c", lambda r: r["full_analysis_s"])
    add("(d) Nu first open after restart s", "d", lambda r: r["nu.py"]["first_open_s"])
    add("(d) Nabespreking first open after restart s", "d", lambda r: r["nabespreking.py"]["first_open_s"])
    add("(d) Nabespreking at replay time T s", "d", lambda r: r["nabespreking.py"]["at_T_s"])
    add("(d) Nabespreking at another T s", "d", lambda r: r["nabespreking.py"]["at_T2_s"])
    add("(e) CLI ingest rows/s", "e", lambda r: r["product"]["rows_s"], 0)
    add("(e) floor csv+sqlite3 rows/s", "e", lambda r: r["floor"]["rows_s"], 0)
    add("(e) ratio ingest/floor", "e", lambda r: r["ratio_rows_s"])
    add("(e) CLI ingest peak RSS MB", "e", lambda r: r["product"]["peak_rss_mb"], 0)
    add("(e) floor peak RSS MB", "e", lambda r: r["floor"]["peak_rss_mb"], 0)
    head = (
        ["measure"]
        + [f"{int(s):,}".replace(",", " ") for s in scales]
        + (["growth"] if len(scales) > 1 else [])
    )
    lines = [
        f"Commit {results['commit']}, {results['started']} → {results['finished']}, "
        f"load average {results['load_avg'][0]:.1f} → {results['load_avg_end'][0]:.1f} (2 shared cores: "
        "absolute figures are noisy, ratios to the peer in the same run matter most).",
        "",
        "| " + " | ".join(head) + " |",
        "|" + "---|" * len(head),
    ]
    lines += ["| " + " | ".join([label, *cells]) + " |" for label, cells in rows]
    return "\n".join(lines) + "\n"


CHILDREN = {
    "analysis_rss": child_analysis_rss,
    "live": child_live,
    "cold": child_cold,
    "ingest": child_ingest,
    "floor": child_floor,
}


def main(argv: list[str] | None = None) -> int:
    """Command line: run the parts, write JSON (and markdown) and print the table."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n")[0])
    parser.add_argument("--scale", default="100000,1000000", help="comma-separated message counts")
    parser.add_argument("--parts", default="abcde", help="which measures: any of a,b,c,d,e")
    parser.add_argument("--reps", type=int, default=3, help="repetitions for (a) (median)")
    parser.add_argument(
        "--a-max",
        type=int,
        default=200_000,
        help="above this scale (a) runs one interleaved pair instead of --reps",
    )
    parser.add_argument(
        "--rounds", type=int, default=3, help="+1,000 rounds per page and for update_incident"
    )
    parser.add_argument("--step", type=int, default=1000, help="new messages per live round")
    parser.add_argument("--out", type=Path, default=Path("results.json"))
    parser.add_argument("--md", type=Path, help="also write the markdown table here")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--child-args", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(CHILDREN[args.child](json.loads(args.child_args)), default=str))
        return 0
    scales = [int(s.replace("_", "")) for s in args.scale.split(",") if s]
    results = run(
        scales,
        args.parts.replace(",", ""),
        reps=args.reps,
        rounds=args.rounds,
        step=args.step,
        a_max=args.a_max,
    )
    args.out.write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    table = markdown(results)
    if args.md:
        args.md.write_text(table, encoding="utf-8")
    print(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Latency of the live path, measured in a real browser: `python -m benchmarks.collect_latency`.

A fixture Mastodon instance (tests/collect_fixtures.py) publishes one new status
every `--every` seconds; the collector runs as its own process
(`python -m pipeline collect`) against it; the dashboard runs with
`streamlit run` and Debian chromium (Playwright) shows the Nu page signed in as an
analyst. For every status the script records when the fixture published it, when
the collector first fetched it ("served") and when the Nu page's message count
first included it, then prints median and p95 of published -> visible and
served -> visible. Not collected by pytest (speed belongs in benchmarks).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def main(argv: list[str] | None = None) -> int:
    """Measure the collect-to-screen latency in a real browser and print it."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.collect_latency")
    parser.add_argument("--samples", type=int, default=20)
    parser.add_argument("--every", type=float, default=4.0, help="seconds between published statuses")
    parser.add_argument("--interval", type=float, default=None,
                        help="source interval in seconds (default: the connector's default)")
    parser.add_argument("--streaming", action="store_true", help="use Mastodon streaming as well")
    parser.add_argument("--refresh", type=float, default=None,
                        help="LUISTERPOST_REFRESH_SECONDS for the dashboard (default: its default)")
    args = parser.parse_args(argv)
    home = Path(tempfile.mkdtemp(prefix="lp_latency_"))
    os.environ["LUISTERPOST_HOME"] = str(home)
    os.environ.pop("LUISTERPOST_DB_URL", None)
    os.environ["LUISTERPOST_OFFICIAL_ACCOUNTS"] = str(home / "none.csv")
    sys.path.insert(0, str(REPO))

    from pipeline.governance import auth
    from pipeline.ingest.collect import sources as src
    from pipeline.storage import store
    from tests.browser import chromium, streamlit_server
    from tests.collect_fixtures import FixtureServer, mastodon_status

    engine = store.get_engine()
    start = datetime.now(UTC) - timedelta(hours=2)
    store.create_incident(engine, name="Latentie", purpose="meting", legal_basis="test",
                          responsible_officer="test", start_at=start, keywords=["brand"],
                          description="brand moerdijk")
    auth.create_user(engine, "analist", auth.ANALIST, "latentie-wachtwoord-1", actor="bench")
    env = {} if args.refresh is None else {"LUISTERPOST_REFRESH_SECONDS": str(args.refresh)}
    published: dict[str, float] = {}
    visible: dict[str, float] = {}
    with FixtureServer() as fx:
        config = {"instance": fx.base(), "hashtag": "brand"}
        if args.interval is not None:
            config["interval"] = args.interval
        if args.streaming:
            config["streaming"] = True
        sid = src.add_source(engine, "Latentie", "mastodon", config, actor="bench")
        interval = src.get_source(engine, sid).interval
        # a little history so the page has something to show before the measurement starts
        t0 = datetime.now(UTC) - timedelta(minutes=20)
        fx.statuses = [mastodon_status(i, t0 + timedelta(seconds=30 * i)) for i in range(20)]
        log = open(home / "collector.log", "w")
        collector = subprocess.Popen([sys.executable, "-m", "pipeline", "collect", "--tick", "0.2"],
                                     cwd=REPO, env=dict(os.environ), stdout=log, stderr=subprocess.STDOUT)
        try:
            with streamlit_server(home, **env) as url, chromium() as browser:
                page = browser.new_page(viewport={"width": 1400, "height": 900})
                page.goto(url, timeout=120_000)
                page.get_by_label("Gebruikersnaam").fill("analist")
                page.get_by_label("Wachtwoord").fill("latentie-wachtwoord-1")
                page.get_by_role("button", name="Inloggen").click()
                page.locator('[data-testid="stSidebar"] a', has_text="Nu").first.click(timeout=120_000)
                metric = page.locator('[data-testid="stMetricValue"]').first
                metric.wait_for(timeout=120_000)

                def count() -> int:
                    try:
                        return int(metric.inner_text(timeout=2000).replace(".", "").replace(",", ""))
                    except Exception:  # noqa: BLE001 - the page is re-rendering
                        return -1

                deadline = time.time() + 120
                while count() < 20 and time.time() < deadline:
                    time.sleep(0.2)
                base = count()
                print(f"baseline on Nu: {base} messages; source interval {interval:g} s, refresh "
                      f"{args.refresh or 'default'}, streaming {args.streaming}", flush=True)
                for i in range(args.samples):
                    status = mastodon_status(100 + i, datetime.now(UTC))
                    with fx.lock:
                        fx.statuses.append(status)
                        if args.streaming:
                            fx.stream_queue.append(status)
                    published[status["uri"]] = time.time()
                    end = time.time() + args.every
                    while time.time() < end or (len(visible) <= i and time.time() < end + 60):
                        n = count()
                        now = time.time()
                        for j in range(len(visible), max(n - base, 0)):
                            visible[f"s{j}"] = now
                        time.sleep(0.1)
                page.close()
        finally:
            collector.terminate()
            collector.wait(timeout=20)
            log.close()
        uris = list(published)
        served = [fx.served_at.get(u) for u in uris]
    pub_to_vis = [visible[f"s{j}"] - published[u] for j, u in enumerate(uris) if f"s{j}" in visible]
    srv_to_vis = [visible[f"s{j}"] - s for j, s in enumerate(served) if f"s{j}" in visible and s]
    print(f"samples: {len(pub_to_vis)}/{args.samples} seen on Nu")
    print(f"published -> visible on Nu: median {statistics.median(pub_to_vis):.1f} s, "
          f"p95 {_p95(pub_to_vis):.1f} s, max {max(pub_to_vis):.1f} s")
    print(f"served (fetched by the collector) -> visible: median {statistics.median(srv_to_vis):.1f} s, "
          f"p95 {_p95(srv_to_vis):.1f} s, max {max(srv_to_vis):.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Open-question groups on real data and on the demo: how many questions land in named groups.

`python -m benchmarks.questions_real [--k 5] [--json OUT]` analyses, as `python -m pipeline analyze`
does, CT22 Dutch train half, CT22 Dutch dev and some CrisisLexT26 events (read in place from
`../shared/data`, or `LUISTERPOST_SHARED_DATA`; never copied), plus the demo incident (loaded into
a temporary store), and prints per set: the number of open questions, the share in named groups
(every group but the catch-all "Overige vragen"), and each group's subject with its size.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from pathlib import Path

import pandas as pd

DATA = Path(os.environ.get("LUISTERPOST_SHARED_DATA",
                           Path(__file__).resolve().parents[2] / "shared" / "data"))
CRISISLEX_EVENTS = ("2013_Boston_bombings", "2013_Queensland_floods", "2013_West_Texas_explosion",
                    "2012_Colorado_wildfires", "2013_Alberta_floods")


def _real_sets() -> dict[str, tuple[Path, dict]]:
    """Return {name: (file, column mapping)} of the real sets that exist."""
    sets = {
        "ct22_dutch_train_half": (DATA / "ct22_dutch_train_half" / "ct22_dutch_train_half.tsv",
                                  {"text": "text", "created_at_utc": "created_at", "tweet_id": "id"}),
        "ct22_dutch_dev": (DATA / "ct22_dutch_dev" / "dev_ct22_dutch.tsv",
                           {"text": "text", "created_at_utc": "created_at", "tweet_id": "id"}),
        "crisislex_t26_dev": (DATA / "crisislex_t26_dev" / "dev_t26.tsv",
                              {"text": "text", "created_at_utc_from_id": "created_at",
                               "tweet_id": "id"}),
    }
    return {name: spec for name, spec in sets.items() if spec[0].exists()}


def _groups(frame: pd.DataFrame, k: int) -> dict:
    """Return the question groups of an analysed frame as plain data."""
    from pipeline.views import questions as Q

    clusters = Q.question_clusters(frame, Q.QuestionParams(min_authors=k))
    n = int(clusters["n_messages"].sum()) if len(clusters) else 0
    other = clusters["cluster"] == Q.OTHER_CLUSTER if len(clusters) else pd.Series(dtype=bool)
    named = clusters[~other] if len(clusters) else clusters
    return {
        "n_questions": n,
        "n_named": int(named["n_messages"].sum()) if len(named) else 0,
        "n_named_shown": int(named.loc[named["shown"], "n_messages"].sum()) if len(named) else 0,
        "groups": [{"subject": (Q.TOPIC_LABELS["nl"][r.topic] if r.topic else r.subject),
                    "label": r.label, "n": int(r.n_messages), "authors": int(r.n_authors),
                    "shown": bool(r.shown)} for r in clusters.itertuples()],
    }


def real(k: int) -> dict:
    """Return the groups of every real set (CrisisLexT26: per event in CRISISLEX_EVENTS)."""
    from pipeline.analysis.chain import AnalysisParams, analyze_file

    out = {}
    for name, (path, mapping) in _real_sets().items():
        frame = analyze_file(path, AnalysisParams(min_authors=k), mapping=mapping, notes=[])
        if name.startswith("crisislex"):
            events = pd.read_csv(path, sep="\t", usecols=["event", "tweet_id"], dtype=str)
            event_of = dict(zip(events["tweet_id"], events["event"], strict=True))
            ev = frame["source_id"].astype(str).map(event_of)
            out[f"{name} (all 13 events, one file)"] = _groups(frame, k)
            for event in CRISISLEX_EVENTS:
                out[f"{name}:{event}"] = _groups(frame[ev == event], k)
        else:
            out[name] = _groups(frame, k)
    return out


def demo(k: int) -> dict:
    """Return the groups of the demo incident, loaded into a temporary store as the pages see it."""
    with tempfile.TemporaryDirectory() as home:
        os.environ["LUISTERPOST_HOME"] = home
        os.environ.pop("LUISTERPOST_DB_URL", None)
        from pipeline.analysis.chain import AnalysisCache
        from pipeline.ingest.demo import load_demo
        from pipeline.storage import store

        engine = store.get_engine()
        incident_id = load_demo(engine)
        frame = AnalysisCache().get(engine, incident_id, None).frame
        return {"demo": _groups(frame, k)}


def main(argv: list[str] | None = None) -> int:
    """Print (and optionally write as JSON) the question groups of the real sets and the demo."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--k", type=int, default=5)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--only", choices=("real", "demo"))
    args = parser.parse_args(argv)
    result = {}
    if args.only != "demo":
        result |= real(args.k)
    if args.only != "real":
        result |= demo(args.k)
    for name, r in result.items():
        share = r["n_named"] / r["n_questions"] if r["n_questions"] else 0.0
        print(f"\n## {name}: {r['n_questions']} questions, {r['n_named']} in named groups "
              f"({share:.0%}; shown {r['n_named_shown']})")
        for g in r["groups"]:
            flag = "" if g["shown"] else "  [< k authors, not shown]"
            print(f"  {g['n']:4d} q / {g['authors']:3d} a  {g['subject']}  [{g['label']}]{flag}")
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

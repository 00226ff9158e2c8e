"""Merged near-duplicate themes on the live path with real tweets, down to the Thema's page.

Boston + West Texas (CrisisLexT26 dev, 2,000 real tweets, read in place from ../shared/data) are
imported in four batches, each followed by the live update, as during an incident. Their many
spellings of one subject ("prayforboston", "pray for boston", "prayfor boston") must end up as one
theme, and the page a person opens must show it once, without an error. The browser journey on
the same incident: tests/test_journey_merged_themes.py.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
import pytest

from tests.conftest import SHARED_DATA, app, as_role, isolate_store

T26 = SHARED_DATA / "crisislex_t26_dev" / "dev_t26.tsv"
EVENTS = ("2013_Boston_bombings", "2013_West_Texas_explosion")
INCIDENT = "Explosies"
needs_t26 = pytest.mark.skipif(not T26.exists(), reason=f"real tweets not available at {T26}")


def import_live(engine) -> int:
    """Create INCIDENT and import the two events in time order, 500 at a time, each batch followed
    by the live update (`update_incident`); return the incident id."""
    from pipeline.analysis import chain
    from pipeline.ingest.load import ingest_frame
    from pipeline.storage import store

    store.create_incident(engine, name=INCIDENT, purpose="crisiscommunicatie", legal_basis="Wvr art. 7",
                          responsible_officer="OvD-C", start_at=datetime(2013, 4, 15, tzinfo=UTC))
    iid = int(store.get_incident(engine, INCIDENT)["id"])
    tweets = pd.read_csv(T26, sep="\t", dtype=str)
    tweets = tweets[tweets["event"].isin(EVENTS)].sort_values("created_at_utc_from_id", kind="stable")
    raw = pd.DataFrame({"id": tweets["tweet_id"].to_numpy(),
                        "created_at": tweets["created_at_utc_from_id"].to_numpy(),
                        "text": tweets["text"].to_numpy(), "author": [f"a{i}" for i in range(len(tweets))]})
    result = None
    for start in range(0, len(raw), 500):
        ingest_frame(raw.iloc[start:start + 500], iid, engine=engine, actor="t")
        result = (chain.analyze_incident(engine, iid) if result is None
                  else chain.update_incident(engine, iid, result))
    return iid


def assert_each_theme_once(names: list[str]) -> None:
    """No theme name twice; one "pray for boston", none of its other spellings."""
    assert len(names) == len(set(names)), names
    assert sum(name.startswith("pray for boston") for name in names) == 1, names
    assert not any(name.startswith(("prayforboston ", "prayfor boston ")) for name in names), names


@needs_t26
def test_live_merged_themes_reach_the_themas_page_once(tmp_path, monkeypatch):
    from pipeline.storage import store

    engine = isolate_store(tmp_path, monkeypatch)
    iid = import_live(engine)
    themes = store.load_theme_state(engine, iid)["model"]["themes"]
    merged = {t["label"]: t["member_sizes"] for t in themes if t.get("more_centroids")}
    assert any(label.startswith("pray for boston") for label in merged), merged
    labels = [t["label"] for t in themes]
    assert len(labels) == len(set(labels))

    at = as_role(app("pages/themas.py"), "analist")
    at.query_params["incident"] = str(iid)
    at.run()
    assert not at.exception, at.exception
    table = next(frame.value for frame in at.dataframe if "Thema" in frame.value.columns)
    assert_each_theme_once(table["Thema"].tolist())
    store.dispose_engines()

"""Journey in a real browser: an analyst opens Thema's on an incident of real tweets whose themes merged.

Boston + West Texas (CrisisLexT26 dev, 2,000 real tweets, read in place from ../shared/data) are
imported in four batches, each followed by the live update, into the store a `streamlit run`
server then opens. The analyst signs in and opens Thema's: one "pray for boston" theme, not
"prayforboston", "pray for boston" and "prayfor boston" side by side; Dutch, no error, axe clean.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
import pytest

from tests.browser import chromium, needs_chromium, streamlit_server
from tests.conftest import SHARED_DATA
from tests.test_journey import Journey, _add_user, _assert_clean, _shots

pytestmark = [pytest.mark.browser, needs_chromium]

T26 = SHARED_DATA / "crisislex_t26_dev" / "dev_t26.tsv"
EVENTS = ("2013_Boston_bombings", "2013_West_Texas_explosion")


def _real_incident(home, monkeypatch) -> None:
    """Import the two events into `home`'s default store in four batches, with live updates."""
    from pipeline.analysis import chain
    from pipeline.ingest.load import ingest_frame
    from pipeline.storage import store

    for name in ("LUISTERPOST_DB_URL", "LUISTERPOST_KEY_FILE", "LUISTERPOST_OFFICIAL_ACCOUNTS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LUISTERPOST_HOME", str(home))
    store.dispose_engines()
    engine = store.get_engine()
    store.create_incident(engine, name="Explosies", purpose="crisiscommunicatie", legal_basis="Wvr art. 7",
                          responsible_officer="OvD-C", start_at=datetime(2013, 4, 15, tzinfo=UTC))
    iid = int(store.get_incident(engine, "Explosies")["id"])
    raw = pd.read_csv(T26, sep="\t", dtype=str)
    raw = raw[raw["event"].isin(EVENTS)].sort_values("created_at_utc_from_id", kind="stable")
    raw = pd.DataFrame({"id": raw["tweet_id"].to_numpy(), "created_at": raw["created_at_utc_from_id"].to_numpy(),
                        "text": raw["text"].to_numpy(), "author": [f"a{i}" for i in range(len(raw))]})
    result = None
    for start in range(0, len(raw), 500):
        ingest_frame(raw.iloc[start:start + 500], iid, engine=engine, actor="t")
        result = (chain.analyze_incident(engine, iid) if result is None
                  else chain.update_incident(engine, iid, result))
    store.dispose_engines()


@pytest.mark.skipif(not T26.exists(), reason=f"real tweets not available at {T26}")
def test_analyst_sees_each_merged_theme_once(tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    _real_incident(home, monkeypatch)
    for name, role in (("bea", "beheerder"), ("ana", "analist")):
        _add_user(home, name, role)
    shots = _shots(tmp_path) / "samengevoegd"
    shots.mkdir(exist_ok=True)
    with streamlit_server(home) as url, chromium() as browser:
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nl-NL",
                                      timezone_id="Europe/Amsterdam")
        page = context.new_page()
        j = Journey(page, shots, "")
        page.goto(url, timeout=180_000)
        j.sign_in("ana")
        j.choose_incident("Explosies")
        j.nav("Thema's")
        body = j.check("themas")
        table = page.locator('[data-testid="stDataFrame"]').first
        table.wait_for()
        # the theme table is a canvas grid: read the names from its accessible cells
        cells = [c.strip() for c in table.locator('[role="gridcell"]').all_inner_texts()]
        names = [c for c in cells if c.endswith("(Engels)")]
        assert names, cells[:40]
        assert len(names) == len(set(names)), names  # no theme name twice
        assert sum(n.startswith("pray for boston") for n in names) == 1, names
        assert not any(n.startswith(("prayforboston ", "prayfor boston ")) for n in names), names
        assert "Thema's in dit venster" in body and "stille midden" in body  # the caveat is there
        _assert_clean(j)

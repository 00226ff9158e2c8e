"""Journey in a real browser: an analyst opens Thema's on an incident of real tweets whose themes merged.

Boston + West Texas (2,000 real tweets) are imported in four live batches
(`test_themes_merged_live.import_live`) into the store a `streamlit run` server then opens. The
analyst signs in and opens Thema's: one "pray for boston" theme, not "prayforboston", "pray for
boston" and "prayfor boston" side by side; Dutch, no error, axe clean.
"""

from __future__ import annotations

import pytest

from tests.browser import chromium, needs_chromium, streamlit_server
from tests.test_journey import Journey, _add_user, _assert_clean, _shots
from tests.test_themes_merged_live import INCIDENT, assert_each_theme_once, import_live, needs_t26

pytestmark = [pytest.mark.browser, needs_chromium]


@needs_t26
def test_analyst_sees_each_merged_theme_once(tmp_path, monkeypatch):
    from pipeline.storage import store

    home = tmp_path / "home"
    home.mkdir()
    # the server's own default store in `home` (no separate database URL, key or officials file)
    for name in ("LUISTERPOST_DB_URL", "LUISTERPOST_KEY_FILE", "LUISTERPOST_OFFICIAL_ACCOUNTS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LUISTERPOST_HOME", str(home))
    store.dispose_engines()
    import_live(store.get_engine())
    store.dispose_engines()
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
        j.choose_incident(INCIDENT)
        j.nav("Thema's")
        body = j.check("themas")
        table = page.locator('[data-testid="stDataFrame"]').first
        table.wait_for()
        # the theme table is a canvas grid: read the names from its accessible cells
        cells = [c.strip() for c in table.locator('[role="gridcell"]').all_inner_texts()]
        names = [c for c in cells if c.endswith("(Engels)")]
        assert names, cells[:40]
        assert_each_theme_once(names)
        assert "Thema's in dit venster" in body and "stille midden" in body  # the caveat is there
        _assert_clean(j)

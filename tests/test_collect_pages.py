"""Beheer "Bronnen" section and the representativeness panel's line on live sources (AppTest)."""

from __future__ import annotations

import pytest

from tests.conftest import app, as_role


@pytest.fixture(autouse=True)
def _no_sources_afterwards(demo_home):
    """Sources added here belong to the shared demo store: remove them afterwards."""
    yield
    from sqlalchemy import delete

    from pipeline.storage import store

    with store.get_engine().begin() as conn:
        conn.execute(delete(store.collect_sources))


def _beheer_sources():
    at = as_role(app("pages/beheer.py"), "beheerder").run()
    at.segmented_control(key="beheer_section").set_value("sources").run()
    return at


def test_bronnen_section_adds_lists_and_stops_a_source_with_audit(demo_home):
    from pipeline.ingest.collect import sources as src
    from pipeline.storage import store

    at = _beheer_sources()
    assert not at.exception
    assert any("Nog geen bronnen" in i.value for i in at.info)
    at.selectbox(key="beheer_src_kind").set_value("mastodon")
    at.text_input(key="beheer_src_instance").input("https://social.example")
    at.text_input(key="beheer_src_hashtag").input("#brand")
    at.text_input(key="beheer_src_query").input("wordt genegeerd")  # not a mastodon option
    at.button[0].click().run()  # the form's submit button
    assert not at.exception
    assert any("Bron toegevoegd" in s.value for s in at.success), [e.value for e in at.error]
    engine = store.get_engine()
    [source] = src.list_sources(engine)
    assert source.kind == "mastodon" and source.config == {"instance": "https://social.example",
                                                           "hashtag": "brand"}
    at.run()
    table = at.dataframe[0].value
    assert list(table["Bron"]) == ["mastodon #brand @ social.example"]
    at.text_input(key="beheer_src_remove_reason").input("test klaar")
    at.button(key="beheer_src_remove_go").click().run()
    assert any("Bron gestopt" in s.value for s in at.success)
    log = store.load_audit(engine, limit=50)
    assert {"source.add", "source.remove"} <= set(log["action"])
    assert src.list_sources(engine) == []


def test_an_invalid_source_is_refused_with_an_error_on_the_page(demo_home):
    at = _beheer_sources()
    at.selectbox(key="beheer_src_kind").set_value("rss")
    at.text_input(key="beheer_src_url").input("niet-een-adres")
    at.button[0].click().run()
    assert any("http" in e.value for e in at.error)


def test_representativeness_panel_names_collected_and_failing_sources(demo_home):
    import pandas as pd

    from pipeline.ingest.collect import sources as src
    from pipeline.storage import store

    engine = store.get_engine()
    inc = store.list_incidents(engine).iloc[0]
    ok = src.add_source(engine, int(inc["id"]), "rss", {"url": "https://vr.example/feed"}, actor="t",
                        label="VR feed")
    bad = src.add_source(engine, int(inc["id"]), "mastodon", {"instance": "https://m.example",
                                                               "hashtag": "brand"}, actor="t",
                         label="Mastodon *kapot*")
    src.record_success(engine, src.get_source(engine, ok), now=pd.Timestamp.now(tz="UTC"))
    src.record_failure(engine, src.get_source(engine, bad), "serverfout 500")
    at = as_role(app("pages/overzicht.py"), "analist").run()
    assert not at.exception
    lines = [c.value for c in at.caption if "Live bronnen" in c.value]
    assert lines, [c.value for c in at.caption]
    assert "VR feed" in lines[0].split("niet")[0]
    assert "Mastodon \\*kapot\\*" in lines[0].split("niet")[1]  # user text escaped, not markdown

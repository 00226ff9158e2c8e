"""pipeline/views/source.py: the pages' one door to the stored data."""

from __future__ import annotations

from pipeline import schema as S
from pipeline.analysis.chain import AnalysisCache
from pipeline.config import get_settings
from pipeline.ingest.demo import demo_metadata
from pipeline.views import source


def test_open_store_loads_the_demo_into_an_empty_store_once(lp_home):
    engine = source.open_store()
    assert str(engine.url) == get_settings().db_url
    table = source.incidents(engine)
    assert table["name"].tolist() == [demo_metadata()["name"]]
    incident_id = int(table["id"].iloc[0])
    version = source.data_version(engine, incident_id)
    assert version.n_messages == int(table["n_messages"].iloc[0]) > 0

    source.open_store()  # a second start adds nothing
    assert len(source.incidents(engine)) == 1
    assert source.data_version(engine, incident_id) == version
    assert source.incident(engine, incident_id)["name"] == demo_metadata()["name"]
    assert source.incident(engine, incident_id + 99) is None
    moments = source.moments(engine, incident_id)
    assert {S.MOMENT_TIME, S.MOMENT_CHANNEL, S.MOMENT_TEXT} <= set(moments.columns)
    assert moments[S.MOMENT_TIME].is_monotonic_increasing


def test_analysed_is_the_cached_analysis_at_the_data_version(lp_home):
    engine = source.open_store()
    incident_id = int(source.incidents(engine)["id"].iloc[0])
    cache = AnalysisCache()
    version = source.data_version(engine, incident_id)
    first = source.analysed(cache, engine, incident_id)
    assert len(first.frame) == version.n_messages
    assert S.CATEGORIES in first.frame.columns
    assert source.analysed(cache, engine, incident_id, version) is first  # same version: cached
    assert source.analysed(AnalysisCache(), engine, incident_id, version) is not first

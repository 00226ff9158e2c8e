"""Theme labels in the English interface: the stored Dutch language suffix ("(Engels)") reads "(English)"."""

from __future__ import annotations

import pyarrow as pa
import pytest

from tests.conftest import app, as_role


def shown_text(at) -> str:
    """Everything a page shows as text: elements, tables, sidebar and the CoPI charts' data."""
    parts = [str(e.value) for e in list(at.main) + list(at.sidebar) if hasattr(e, "value")]
    parts += [frame.value.to_csv() for frame in at.dataframe]
    parts += [str(box.proto) for box in at.get("selectbox")]
    for chart in at.get("vega_lite_chart"):
        for named in chart.proto.datasets:
            parts.append(str(pa.ipc.open_stream(named.data.data).read_all().to_pylist()))
    return " ".join(parts)


def _run(page: str, lang: str):
    at = as_role(app(f"pages/{page}.py"), "analist")
    at.session_state["lp_lang"] = lang
    at.query_params["stand"] = "16:00"  # the demo's busiest hour: English-language themes
    return at.run()


@pytest.mark.parametrize("page", ["nu", "copi", "themas"])
def test_theme_language_reads_english_in_english(demo_home, page):
    english = _run(page, "en")
    assert not english.exception, english.exception
    text = shown_text(english)
    # Since theme names no longer copy the authority's sentences (2026-12-07) the demo's CoPI
    # picture names no non-Dutch theme in the hours checked (13:30-18:00: the English campsite
    # theme, 10 authors at 16:00, no longer makes a block's top three);
    # `test_timeline.test_picture_shows_a_themes_language_in_the_interface_language` checks
    # CoPI's suffix. Here CoPI must at least show no Dutch language name in English.
    shows_one = page != "copi"
    assert "(English)" in text or not shows_one
    assert "(Engels)" not in text and "(Duits)" not in text and "(Pools)" not in text
    dutch = shown_text(_run(page, "nl"))
    assert ("(Engels)" in dutch or not shows_one) and "(English)" not in dutch

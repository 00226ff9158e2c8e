"""CoPI projection (AppTest): aggregate only, frozen picture, advice kept per incident."""

from __future__ import annotations

import json
import re

import pandas as pd
import pyarrow as pa
import pytest

from pipeline.analysis.themes import split_language
from tests.conftest import app, as_role


def demo_texts(n: int = 40) -> list[str]:
    """Distinctive, scrubbed demo message texts (long ones)."""
    from pipeline.storage import store

    msgs = store.load_messages(store.get_engine(), 1)
    texts = msgs["text"].drop_duplicates()
    return texts[texts.str.len() > 60].head(n).tolist()


def rendered(at) -> str:
    parts = [str(e.value) for e in at.main if hasattr(e, "value")]
    for chart in at.get("vega_lite_chart"):
        parts.append(str(chart.proto))
    return " ".join(parts)


@pytest.mark.parametrize("role", ["analist", "copi", "beheerder"])
def test_projection_shows_picture_time_and_aggregates(demo_home, role):
    at = as_role(app("pages/copi.py"), role).run()
    assert not at.exception, at.exception
    assert re.fullmatch(r"Stand \d\d:\d\d", at.title[0].value)
    labels = {m.label for m in at.metric}
    assert "Relevante berichten" in labels
    captions = " ".join(c.value for c in at.caption)
    assert "het stille midden telt niet mee" in captions  # the caveat
    assert "≥ 10 verschillende auteurs" in captions
    assert len(at.get("vega_lite_chart")) >= 6  # 4 blocks + advice + effect


def test_projection_has_no_message_text_or_handles(demo_home):
    at = as_role(app("pages/copi.py"), "copi").run()
    page = rendered(at)
    for text in demo_texts():
        assert text not in page
    assert not re.search(r"@[A-Za-z_]\w{2,}", " ".join(str(e.value) for e in at.main
                                                        if hasattr(e, "value")))


def effect_lines(at) -> list[str]:
    """The lines the effect chart draws (its data), read from what Streamlit sends."""
    for chart in at.get("vega_lite_chart"):
        if json.loads(chart.proto.spec).get("description", "").startswith("Effect van ons laatste bericht:"):
            return pa.ipc.open_stream(chart.proto.datasets[0].data.data).read_pandas()["line"].tolist()
    raise AssertionError("no effect chart")


def test_the_effect_keeps_not_proof_of_effect_whole(demo_home, monkeypatch):
    """The projection may shorten the figures of the effect, never "geen bewijs van effect"."""
    from pipeline.views import timeline

    lines = effect_lines(as_role(app("pages/copi.py"), "copi").run())
    assert " ".join(lines).endswith("per uur. Samenhang in de tijd, geen bewijs van effect.")  # the demo
    assert lines[-1] == "Samenhang in de tijd, geen bewijs van effect." and len(lines) == 4  # as before
    long = ("Na ons laatste bericht (20:35, tweet; 30 min ervoor, 30 min erna): "
            + "; ".join(f"categorie {i} 66 → 244 per uur" for i in range(8)) + ".")
    monkeypatch.setattr(timeline, "effect_parts", lambda effect, lang="nl": (long, "Geen bewijs van effect."))
    lines = effect_lines(as_role(app("pages/copi.py"), "copi").run())
    assert len(lines) == 4 and lines[-1] == "Geen bewijs van effect." and lines[-2].endswith("…")


def test_only_analysts_edit_the_advice(demo_home):
    copi = as_role(app("pages/copi.py"), "copi").run()
    assert not copi.text_area
    ana = as_role(app("pages/copi.py"), "analist").run()
    assert ana.text_area(key="copi_advice") is not None


def test_advice_is_saved_and_shown_as_drawn_text(demo_home):
    at = as_role(app("pages/copi.py"), "analist").run()
    advice = "Communiceer over asbest: metingen volgen om 16:00 [link](http://x) **vet**"
    at.text_area(key="copi_advice").set_value(advice)
    next(b for b in at.button if b.label == "Advies opslaan").click().run()  # the form's submit button
    assert not at.exception
    # a new session (the projection screen) sees it, inside a chart, never as markdown
    screen = as_role(app("pages/copi.py"), "copi").run()
    charts = " ".join(str(c.proto) for c in screen.get("vega_lite_chart"))
    assert "Communiceer over asbest" in charts
    md = " ".join(str(e.value) for e in screen.markdown)
    assert "Communiceer" not in md
    from pipeline.storage import store
    from pipeline.views import timeline

    # stored as messages are: the link scrubbed (the advice is projected and may go into a released report)
    assert timeline.latest_advice(store.get_engine(), 1) == advice.replace("(http://x)", "([link])")


def test_freeze_keeps_the_picture(demo_home, monkeypatch):
    at = as_role(app("pages/copi.py"), "analist").run()
    before = at.title[0].value
    at.toggle(key="copi_freeze").set_value(True).run()
    assert at.title[0].value == before + " · bevroren"
    frozen_pic = at.session_state["copi_frozen"][0]
    # new data arrives: the frozen picture does not move
    from pipeline.ingest.load import ingest_frame
    from pipeline.storage import store

    latest = store.load_messages(store.get_engine(), 1)["created_at"].max()
    when = (latest + pd.Timedelta(minutes=3)).tz_convert("Europe/Amsterdam").strftime("%d-%m-%Y %H:%M:%S")
    raw = pd.DataFrame({"ID": [f"freeze{i}" for i in range(3)], "Datum": when, "Bron": "Twitter",
                        "Auteur": [f"f{i}" for i in range(3)], "Bericht": "Rook brand Heidewijk"})
    ingest_frame(raw, 1, engine=store.get_engine())
    try:
        at.run()
        assert at.title[0].value == before + " · bevroren"
        assert at.session_state["copi_frozen"][0] is frozen_pic
        at.toggle(key="copi_freeze").set_value(False).run()
        assert at.title[0].value != before  # live again: the new messages moved the picture time
    finally:  # the demo store is shared by all page tests: deleted as the app deletes (the version moves)
        from pipeline.governance import retention

        for i in range(3):
            retention.delete_messages(store.get_engine(), 1, source_id=f"freeze{i}", actor="test",
                                      reason="test")


def test_english(demo_home):
    at = as_role(app("pages/copi.py"), "copi")
    at.session_state["lp_lang"] = "en"
    at.run()
    assert at.title[0].value.startswith("As of ")
    assert "Relevant messages" in {m.label for m in at.metric}
    # the language line (at the demo's last picture time English has >= 10 authors), said once
    descriptions = [json.loads(c.proto.spec).get("description", "") for c in at.get("vega_lite_chart")]
    line = next(d for d in descriptions if d.startswith("Other languages: "))
    assert re.fullmatch(r"Other languages: English \d+ authors .( · \w+ \d+ authors .)*", line), line


def test_block_labels_come_wrapped_for_every_width_in_whole_words(demo_home):
    """A laptop (narrow block) gets the label on two lines of whole words, not one line cut with "…"."""
    import json

    import pyarrow as pa

    at = as_role(app("pages/copi.py"), "copi")
    at.query_params["stand"] = "16:00"  # the demo's busiest hour: long phrase labels
    at.run()
    assert not at.exception, at.exception
    seen, longest = 0, 0
    for chart in at.get("vega_lite_chart"):
        for named in chart.proto.datasets:
            rows = pa.ipc.open_stream(named.data.data).read_all().to_pylist()
            if not rows or "fit2" not in rows[0]:
                continue
            spec = json.dumps(json.loads(chart.proto.spec))
            assert "width >= 285" in spec and "width >= 205" in spec  # the browser picks by its width
            for row in rows:
                words = row["label"].split()
                language = split_language(row["label"])[1].strip()  # "(Engels)" or ""
                for k, chars in ((0, 24), (1, 18), (2, 16)):
                    lines = row[f"fit{k}"].split("\n")
                    assert 1 <= len(lines) <= 2
                    # a shortened label keeps the language it is written in: who asks is the news
                    assert lines[-1].endswith(language), (row[f"fit{k}"], row["label"])
                    for line in lines:  # whole words only, and no longer than the width unless one word
                        whole = [w in words or w.endswith("…") for w in line.split()]
                        assert all(whole), (line, row["label"])
                        assert len(line) <= chars or " " not in line.rstrip("…"), (line, chars)
                seen += 1
                longest = max(longest, len(row["label"]))
    assert seen >= 6 and longest > 24  # labels that need wrapping were seen

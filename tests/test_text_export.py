"""Exporting message texts needs a reason and a second person; the CSV has no authors."""

from __future__ import annotations

import csv
import io

from pipeline.governance import policy as governance
from pipeline.storage import store
from tests.conftest import app, as_role


def _as(at, name):
    """A signed-in analist named `name` (demo mode is read-only: no text export there)."""
    at = as_role(at, "analist")
    at.session_state["lp_user"] = {**at.session_state["lp_user"], "username": name, "display_name": name}
    return at


def _labelen(name):
    return _as(app("pages/labelen.py"), name).run()


def _cleanup():
    with store.get_engine().begin() as conn:
        conn.execute(store.approvals.delete().where(store.approvals.c.action == "export.raw_text"))


def test_request_then_second_person_approves_then_download(demo_home):
    _cleanup()
    try:
        at = _labelen("anna")
        assert not at.exception
        assert not [b for b in at.get("download_button")]  # nothing to download yet
        at.text_input(key="text_export_reason").input("overdracht aan evaluatieteam")
        next(b for b in at.button if b.label == "Vraag goedkeuring aan").click().run()
        pending = governance.pending_approvals(store.get_engine())
        assert pending["requested_by"].tolist() == ["anna"]

        # the requester sees no approve button for her own request
        at = _labelen("anna")
        assert not [b for b in at.button if b.key and b.key.startswith("text_export_approve_")]

        bert = _labelen("bert")
        approve = [b for b in bert.button if b.key and b.key.startswith("text_export_approve_")]
        assert len(approve) == 1
        # the request he decides on, in words (the headers were "requested_by", "reason")
        assert ["Nr.", "Wat", "Gevraagd door", "Reden"] in [list(d.value.columns) for d in bert.dataframe]
        approve[0].click().run()
        assert governance.is_approved(store.get_engine(), "export.raw_text", "incident:1:texts")

        at = _labelen("anna")
        downloads = at.get("download_button")
        assert len(downloads) == 1
    finally:
        _cleanup()


def test_export_frame_has_no_authors_and_is_formula_safe(demo_home):
    import pandas as pd

    from pages._text_export import text_export_frame
    from pipeline import schema as S
    from pipeline.render.export import safe_csv

    frame = pd.DataFrame({
        S.PLATFORM: ["x"], S.SOURCE_ID: ["1"], S.IS_OFFICIAL: [False],
        S.CREATED_AT: pd.to_datetime(["2026-07-11 12:00"], utc=True),
        S.TEXT: ["=HYPERLINK(\"http://x\")"], S.LANGUAGE: ["nl"], S.CATEGORIES: [("vraag",)],
        S.THEME_LABEL: ["asbest"], S.AUTHOR: ["p_0123456789abcdef"],
    })
    out = text_export_frame(frame)
    assert S.AUTHOR not in out.columns
    rows = list(csv.reader(io.StringIO(safe_csv(out))))
    assert rows[1][3].startswith("'=")
    assert "p_0123456789abcdef" not in safe_csv(out)

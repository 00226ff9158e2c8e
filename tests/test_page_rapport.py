"""The Scanrapport page: generate a snapshot, downloads per role, four-eyes release."""

from __future__ import annotations

import pytest

from pipeline.governance import policy as governance
from pipeline.views import report as R
from tests.conftest import app, as_role


@pytest.fixture(scope="module")
def demo(demo_home):
    from pipeline.storage import store

    engine = store.get_engine()
    incident_id = int(store.list_incidents(engine).iloc[0]["id"])
    return engine, incident_id


def _page(role: str, username: str | None = None):
    at = as_role(app("pages/rapport.py"), role)
    if username:
        at.session_state["lp_user"] = {**at.session_state["lp_user"], "username": username}
    return at


def test_generate_adds_one_snapshot_and_offers_downloads(demo):
    engine, incident_id = demo
    before = len(R.list_snapshots(engine, incident_id))
    at = _page("analist").run()
    assert not at.exception, at.exception
    at.text_area(key="rapport_advice").set_value("Adviseer <b>NL-Alert</b> over asbest")
    at.button(key="rapport_generate").click().run()
    assert not at.exception, at.exception
    log = R.list_snapshots(engine, incident_id)
    assert len(log) == before + 1
    assert at.session_state["rapport_version"] == int(log["version"].iloc[0])
    texts = [t.value for t in at.text]
    assert "Adviseer <b>NL-Alert</b> over asbest" in texts  # the advice as plain text
    assert any(t.startswith("Stand ") for t in texts)
    assert len(at.get("download_button")) == 4
    assert "het stille midden telt niet mee" in " ".join(c.value for c in at.caption)


def test_copi_sees_the_report_but_cannot_make_or_download_it(demo):
    engine, incident_id = demo
    assert not governance.can("copi", "export.report")  # the matrix decides
    if R.list_snapshots(engine, incident_id).empty:
        R.save_snapshot(engine, incident_id, R.report_for(engine, incident_id, at=None), "seed")
    at = _page("copi").run()
    assert not at.exception, at.exception
    assert not [b for b in at.button if b.key == "rapport_generate"]
    assert len(at.get("download_button")) == 0
    assert any(t.value.startswith("Stand ") for t in at.text)  # the preview is there


def test_release_needs_a_second_person_on_the_page(demo):
    engine, incident_id = demo
    latest = int(R.list_snapshots(engine, incident_id)["version"].iloc[0])
    report = R.load_snapshot(engine, incident_id, latest)
    version = R.save_snapshot(engine, incident_id, {k: v for k, v in report.items()
                                                    if k not in ("version", "released")}, "anna")
    at = _page("analist", "anna").run()
    at.selectbox(key="rapport_version").set_value(version).run()
    at.text_input(key="rapport_reason").set_value("voor de CoPI").run()
    at.button(key="rapport_request").click().run()
    assert not at.exception, at.exception
    at.button(key="rapport_approve").click().run()  # anna approving her own request
    assert any("self-approval" in e.value.replace("\\", "") for e in at.error)  # shown escaped
    other = _page("beheerder", "bert").run()
    other.selectbox(key="rapport_version").set_value(version).run()
    other.button(key="rapport_approve").click().run()
    assert not other.error, [e.value for e in other.error]
    at.run()
    at.button(key="rapport_release").click().run()
    assert not at.exception, at.exception
    log = R.list_snapshots(engine, incident_id).set_index("version")
    assert bool(log.loc[version, "released"])

"""Beheer page: only the beheerder; incidents, users, audit and approvals work from the UI."""

from __future__ import annotations

import pytest

from tests.conftest import app, as_role


@pytest.fixture(autouse=True)
def _only_the_demo_afterwards(demo_home):
    """Incidents made here would change which incident other page tests see: remove them."""
    yield
    from sqlalchemy import delete

    from pipeline.storage import store

    with store.get_engine().begin() as conn:
        conn.execute(delete(store.incidents).where(store.incidents.c.is_demo.is_(False)))


def _beheer(role="beheerder"):
    return as_role(app("pages/beheer.py"), role)


def _submit_incident(at, name, purpose="", keywords="", description=""):
    """Fill the new-incident form (officer OVD-C) and submit it; return the rerun page."""
    at.text_input(key="beheer_inc_name").input(name)
    if purpose:
        at.text_area(key="beheer_inc_purpose").input(purpose)
    at.text_input(key="beheer_inc_officer").input("OVD-C")
    if keywords:
        at.text_input(key="beheer_inc_keywords").input(keywords)
    if description:
        at.text_area(key="beheer_inc_desc").input(description)
    at.button[0].click()  # the form's submit button
    return at.run()


def test_other_roles_are_refused(demo_home):
    for role in ("analist", "copi"):
        at = _beheer(role).run()
        assert not at.exception
        assert any("geen toegang" in e.value for e in at.error)
        assert not [w for w in at.segmented_control if w.key == "beheer_section"]


def test_open_incident_from_the_form(demo_home):
    from pipeline.storage import store

    at = _submit_incident(_beheer().run(), "Gaslek Testdorp", "Informatiebehoefte volgen tijdens gaslek",
                          keywords="gaslek, gaslucht, Testdorp")
    assert not at.exception
    incident = store.get_incident(store.get_engine(), "Gaslek Testdorp")
    assert incident is not None and incident["purpose"].startswith("Informatiebehoefte")
    assert list(incident["keywords"]) == ["gaslek", "gaslucht", "Testdorp"]
    assert incident["closed_at"] is None and incident["retention_days"] == 90
    log = store.load_audit(store.get_engine(), limit=20)
    assert ((log["action"] == "incident.create") & (log["actor"] == "demo")).any()


def test_incident_without_purpose_is_refused(demo_home):
    from pipeline.storage import store

    at = _submit_incident(_beheer().run(), "Zonder doel", keywords="gas")
    assert [e.value for e in at.error] == ["Niet gelukt: doel van het incident is verplicht"]
    assert store.get_incident(store.get_engine(), "Zonder doel") is None


def test_a_taken_incident_name_is_refused_in_dutch_without_sql(demo_home):
    """A second incident with a taken name showed the driver's error: SQL, parameters, the user, a link."""
    from pipeline.storage import store

    taken = store.list_incidents(store.get_engine())["name"].iloc[0]
    at = _submit_incident(_beheer().run(), taken, "Informatiebehoefte volgen", keywords="gas")
    assert not at.exception
    said = " ".join(e.value for e in at.error)
    assert "er bestaat al een incident met de naam" in said and "kies een andere naam" in said, said
    assert not any(word in said for word in ("SQL", "INSERT", "sqlalche", "IntegrityError", "already exists"))
    assert len(store.list_incidents(store.get_engine())) == 1


def test_an_error_from_outside_our_code_is_a_fixed_sentence(demo_home):
    """`error_text`: our bilingual messages in the session's language; a driver's error never shown."""
    from sqlalchemy.exc import IntegrityError

    from pages._text import TEXTS, error_text

    driver = IntegrityError("INSERT INTO incidents (name) VALUES (?)", ("Geheim",), Exception("UNIQUE"))
    assert error_text(driver) == TEXTS["error_internal"]["nl"]
    assert "Geheim" not in error_text(driver)
    assert error_text(ValueError("tekst is verplicht / text is required")) == "tekst is verplicht"
    assert error_text(RuntimeError("boom")) == TEXTS["error_internal"]["nl"]


def test_incident_without_keywords_or_description_is_refused(demo_home):
    # Relevance weighs every message against the incident's keywords and description (issue 9):
    # an incident with neither would mark all its messages "relevance unknown".
    from pipeline.storage import store

    at = _submit_incident(_beheer().run(), "Zonder onderwerp", "Informatiebehoefte volgen", keywords=" , ")
    assert any("zoekwoorden of een omschrijving" in e.value for e in at.error), [e.value for e in at.error]
    assert store.get_incident(store.get_engine(), "Zonder onderwerp") is None
    _submit_incident(at, "Zonder onderwerp", "Informatiebehoefte volgen",
                     description="Gaslek in de wijk Testdorp")
    assert store.get_incident(store.get_engine(), "Zonder onderwerp")["description"].startswith("Gaslek")


def test_audit_chain_verifies_from_the_page(demo_home):
    at = _beheer().run()
    at.segmented_control(key="beheer_section").set_value("audit").run()
    at.button(key="beheer_verify").click().run()
    assert any("intact" in s.value for s in at.success)
    assert at.dataframe[0].value.shape[0] > 0


def test_page_views_are_audited_with_role_and_window(demo_home):
    from pipeline.storage import store

    as_role(app("pages/overzicht.py"), "copi").run()
    log = store.load_audit(store.get_engine(), limit=50)
    views = log[(log["action"] == "page.overzicht") & (log["role"] == "copi")]
    assert not views.empty
    assert '"window"' in views.iloc[0]["details"]


def test_the_audit_log_names_actions_and_outcomes_in_dutch(demo_home):
    """The audit log showed raw codes ("page.nu", "ok"); the code stays beside the name."""
    at = _beheer().run()
    next(w for w in at.segmented_control if w.key == "beheer_section").set_value("audit").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert (table["Handeling"] == "Beheer (page.beheer)").any(), table["Handeling"].unique()
    assert set(table["Uitkomst"]) <= {"gelukt", "geweigerd", "fout", "afgewezen"}, set(table["Uitkomst"])


def test_the_retention_period_of_an_existing_incident_can_be_changed(demo_home):
    """Retention could only be chosen when an incident was opened; Beheer now changes it, audited."""
    from pipeline.storage import store

    engine = store.get_engine()
    incident = store.list_incidents(engine).iloc[0]
    at = _beheer().run()
    next(w for w in at.segmented_control if w.key == "beheer_section").set_value("retention").run()
    assert not at.exception
    at.number_input(key="beheer_ret_days").set_value(45)
    next(b for b in at.button if b.label == "Bewaartermijn opslaan").click().run()
    assert not at.exception
    said = " ".join(s.value for s in at.success)
    assert f"{int(incident['retention_days'])} → 45 dagen na sluiten" in said, said
    assert int(store.get_incident(engine, int(incident["id"]))["retention_days"]) == 45
    log = store.load_audit(engine, limit=5)
    row = log[log["action"] == "incident.retention"].iloc[0]
    assert row["object"] == f"incident:{int(incident['id'])}" and '"to_days": 45' in str(row["details"])


def test_roles_are_shown_by_their_display_name_not_their_code(demo_home):
    """'Uw rol (CoPI-kijker) …', 'Ingelogd als … (CoPI-kijker)' and the users table, not 'copi'."""
    from sqlalchemy import delete

    from pipeline.governance import auth
    from pipeline.storage import store

    refused = _beheer("copi").run()
    assert [e.value for e in refused.error] == ["Uw rol (CoPI-kijker) heeft geen toegang tot deze pagina."]
    assert "Ingelogd als Demo (CoPI-kijker)" in [c.value for c in refused.sidebar.caption]
    english = _beheer("copi")
    english.session_state["lp_lang"] = "en"
    english.run()
    assert [e.value for e in english.error] == ["Your role (CoPI viewer) has no access to this page."]

    eng = store.get_engine()
    auth.create_user(eng, "rol_test_cor", "copi", None, actor="test")
    try:
        at = _beheer().run()
        assert "Ingelogd als Demo (Beheerder)" in [c.value for c in at.sidebar.caption]
        next(w for w in at.segmented_control if w.key == "beheer_section").set_value("users").run()
        users = at.dataframe[0].value
        roles = dict(zip(users["Gebruikersnaam"], users["Rol"], strict=True))
        assert roles["rol_test_cor"] == "CoPI-kijker"
        assert not set(users["Rol"]) & {"copi", "analist", "beheerder"}
    finally:
        with eng.begin() as conn:
            conn.execute(delete(store.users).where(store.users.c.username == "rol_test_cor"))


def test_deleting_an_unknown_message_id_warns_instead_of_reporting_success(demo_home):
    """Not a green '0 bericht(en) verwijderd.' (English: AppTest cannot switch language between runs)."""
    from pipeline.storage import store

    engine = store.get_engine()
    ids = [int(i) for i in store.list_incidents(engine)["id"]]
    before = [store.count_messages(engine, i) for i in ids]
    at = _beheer().run()
    next(w for w in at.segmented_control if w.key == "beheer_section").set_value("retention").run()
    at.text_input(key="beheer_del_id").input("bestaat-niet-123")
    at.text_input(key="beheer_del_reason").input("verzoek betrokkene")
    next(b for b in at.button if b.label == "Verwijderen").click().run()
    assert not at.exception
    assert [w.value for w in at.warning] == ["Geen bericht gevonden met dit id; er is niets verwijderd."]
    assert not at.success
    assert [store.count_messages(engine, i) for i in ids] == before
    log = store.load_audit(engine, limit=3)
    assert log.iloc[0]["action"] == "delete" and log.iloc[0]["outcome"] == "not_found"

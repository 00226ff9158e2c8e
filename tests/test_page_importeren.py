"""Importeren: the import action with a signed-in user record, and the period check.

Guards issue 10 point 1 (the page passed the whole user record as the audit actor:
`sqlite3.ProgrammingError ... type 'dict' is not supported`) and point 7 (an import
whose messages fall outside the incident's period asks for confirmation).
"""

from __future__ import annotations

import pandas as pd
import pytest

from pages._import import actor_of, import_upload, outside_period
from pipeline import schema as S
from pipeline.storage import store

CSV = (b"id,datum,auteur,bron,tekst\r\n"
       b"1,11-07-2026 14:05,Jan,X,\"Rook bij de haven, ramen dicht?\"\r\n"
       b"2,11-07-2026 14:06,Piet,Facebook,Is het water veilig?\r\n")
USER = {"username": "ana", "display_name": "Ana", "role": "analist", "active": True, "auth": "local"}


def test_import_with_a_user_record_stores_and_audits_the_username(lp):
    incident = store.get_incident(lp, "Brand")
    result = import_upload(lp, incident["id"], CSV, "export.csv", mapping=None, user=USER)
    assert result.added == 2
    audit = store.load_audit(lp)
    ingest = audit[audit["action"] == "ingest"]
    assert ingest["actor"].tolist() == ["ana"]


def test_actor_is_always_a_string():
    assert actor_of(USER) == "ana"
    assert actor_of("cli") == "cli"
    assert actor_of(None) == "dashboard"


def test_messages_outside_the_incident_period_are_counted():
    incident = {"start_at": pd.Timestamp("2026-07-11 10:00"), "end_at": pd.Timestamp("2026-07-12 10:00")}
    raw = pd.DataFrame({S.CREATED_AT: pd.to_datetime(
        ["2026-07-11 12:00", "2026-03-02 09:00", "2026-03-02 09:05", "2026-07-13 09:00"], utc=True)})
    assert outside_period(raw, incident) == 2  # March is out; 13 July is within the day's slack
    assert outside_period(raw.iloc[:1], incident) == 0


def test_cli_error_for_an_unknown_incident_names_the_next_command(lp, tmp_path):
    """Issue 10 point 7: `incident 'X' bestaat niet` says how to create one."""
    import pytest

    from pipeline.ingest.load import IngestError, ingest_file

    path = tmp_path / "x.csv"
    path.write_bytes(CSV)
    with pytest.raises(IngestError) as err:
        ingest_file(path, "Gaslek", engine=lp)
    assert "python -m pipeline incident create --name" in str(err.value)
    assert "--purpose" in str(err.value)


def test_an_import_error_holding_a_slash_shows_one_language():
    """An import error quoting a cell with " / " shows only the session's language (`BilingualError`)."""
    import streamlit as st

    from pages._text import KEY_LANG, error_text
    from pipeline.ingest.load import IngestError, read_messages

    with pytest.raises(IngestError) as caught:
        read_messages(b"id,text,created_at\n1,hallo,12 / 13 / 2026 bla\n", filename="x.csv")
    try:
        assert error_text(caught.value) == "Rij 1 (regel 2): datum '12 / 13 / 2026 bla' is geen geldige datum"
        st.session_state[KEY_LANG] = "en"
        assert error_text(caught.value) == "Row 1 (line 2): date '12 / 13 / 2026 bla' is not a valid date"
    finally:
        st.session_state[KEY_LANG] = "nl"
    # the command line and the logs keep both
    assert str(caught.value).startswith("Rij 1 (regel 2)") and "/ Row 1 (line 2)" in str(caught.value)

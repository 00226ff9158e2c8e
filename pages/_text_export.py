"""Four-eyes export of message texts (used on the Labelen page).

Exporting scrubbed message texts of an incident is the one way individual
messages leave the dashboard, so it needs a request with a reason and the
approval of a second permitted person (`governance`, action `export.raw_text`).
The CSV holds no author pseudonyms and is safe against formula injection.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pages._data import engine
from pages._login import allowed
from pages._text import error_text, tr
from pipeline import schema as S
from pipeline.governance import policy as governance
from pipeline.render.export import safe_csv
from pipeline.render.textsafe import md_escape

TEXTS = {
    "col_id": {"nl": "Nr.", "en": "No."},
    "col_object": {"nl": "Wat", "en": "What"},
    "col_requested_by": {"nl": "Gevraagd door", "en": "Requested by"},
    "col_reason": {"nl": "Reden", "en": "Reason"},
    "title": {"nl": "Berichtteksten exporteren (vier ogen)", "en": "Export message texts (four eyes)"},
    "intro": {"nl": ("De export bevat de geschoonde teksten met tijd, platform, bron-id en categorieën, "
                     "zonder auteurs. Er is een reden en de goedkeuring van een tweede persoon nodig."),
              "en": ("The export holds the scrubbed texts with time, platform, source id and categories, "
                     "no authors. It needs a reason and the approval of a second person.")},
    "reason": {"nl": "Reden van de export", "en": "Reason for the export"},
    "request": {"nl": "Vraag goedkeuring aan", "en": "Request approval"},
    "requested": {"nl": "Aangevraagd; een tweede persoon moet goedkeuren.",
                  "en": "Requested; a second person must approve."},
    "pending_others": {"nl": "Verzoeken van anderen", "en": "Requests by others"},
    "approve": {"nl": "Keur verzoek {id} goed", "en": "Approve request {id}"},
    "approved": {"nl": "Goedgekeurd.", "en": "Approved."},
    "download": {"nl": "Download berichtteksten (CSV)", "en": "Download message texts (CSV)"},
    "error": {"nl": "Niet gelukt: {err}", "en": "Failed: {err}"},
}


def export_object(incident_id: int) -> str:
    """The approval object of a text export of one incident."""
    return f"incident:{incident_id}:texts"


def text_export_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Return the exportable columns: no author, categories joined."""
    public = frame[~frame[S.IS_OFFICIAL]]
    return pd.DataFrame({
        "platform": public[S.PLATFORM], "source_id": public[S.SOURCE_ID],
        "created_at": public[S.CREATED_AT].dt.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "text": public[S.TEXT], "language": public[S.LANGUAGE],
        "categories": public[S.CATEGORIES].map(";".join), "theme": public[S.THEME_LABEL],
    })


def text_export_section(ctx) -> None:
    """Request, approve (by another person) and download the text export of the incident."""
    if not allowed(ctx.user, "export.raw_text") and not allowed(ctx.user, "approve.export.raw_text"):
        return
    eng = engine()
    incident_id = int(ctx.incident["id"])
    obj = export_object(incident_id)
    st.subheader(tr(TEXTS, "title"))
    st.caption(tr(TEXTS, "intro"))
    me = ctx.user["username"]
    if governance.is_approved(eng, "export.raw_text", obj) and allowed(ctx.user, "export.raw_text"):
        data = safe_csv(text_export_frame(ctx.all_messages)) or ""
        if st.download_button(tr(TEXTS, "download"), data, file_name=f"berichten-{incident_id}.csv",
                              mime="text/csv", key="text_export_download"):
            governance.require(eng, ctx.user, "export.raw_text", obj=obj, incident_id=incident_id)
            governance.log_action(eng, ctx.user, "export.raw_text", obj=obj, incident_id=incident_id,
                                  details={"rows": int((~ctx.all_messages[S.IS_OFFICIAL]).sum())})
    elif allowed(ctx.user, "export.raw_text"):
        with st.form("text_export_request"):
            reason = st.text_input(tr(TEXTS, "reason"), key="text_export_reason")
            if st.form_submit_button(tr(TEXTS, "request")) and reason.strip():
                governance.request_approval(eng, ctx.user, "export.raw_text", obj, reason,
                                            incident_id=incident_id)
                st.info(tr(TEXTS, "requested"))
    pending = governance.pending_approvals(eng)
    pending = pending[(pending["action"] == "export.raw_text") & (pending["requested_by"] != me)]
    if len(pending) and allowed(ctx.user, "approve.export.raw_text"):
        st.caption(tr(TEXTS, "pending_others"))
        st.dataframe(pending[["id", "object", "requested_by", "reason"]].rename(columns={
            "id": tr(TEXTS, "col_id"), "object": tr(TEXTS, "col_object"),
            "requested_by": tr(TEXTS, "col_requested_by"), "reason": tr(TEXTS, "col_reason")}),
            hide_index=True)  # headers in words (were "requested_by", "reason")
        for approval_id in pending["id"].tolist():
            if st.button(tr(TEXTS, "approve", id=approval_id), key=f"text_export_approve_{approval_id}"):
                try:
                    governance.decide(eng, int(approval_id), ctx.user, True)
                    st.success(tr(TEXTS, "approved"))
                except Exception as exc:  # noqa: BLE001 - shown to the user
                    st.error(tr(TEXTS, "error", err=md_escape(error_text(exc))))


"""Beheer: incidents (purpose binding), users, retention, deletion on request, audit log, approvals."""

from datetime import datetime, time, timedelta

import pandas as pd
import streamlit as st

from pages._common import engine, fmt_time, header, incidents_table, lang, page_context, tr
from pipeline import auth, governance, store
from pipeline.export import safe_csv
from pipeline.textsafe import md_escape

TEXTS = {
    "section": {"nl": "Onderdeel", "en": "Section"},
    "incidents": {"nl": "Incidenten", "en": "Incidents"},
    "users": {"nl": "Gebruikers", "en": "Users"},
    "retention": {"nl": "Bewaren en verwijderen", "en": "Retention and deletion"},
    "audit": {"nl": "Auditlog", "en": "Audit log"},
    "approvals": {"nl": "Goedkeuringen", "en": "Approvals"},
    "yearly": {"nl": "Jaarverantwoording", "en": "Yearly accountability"},
    "new_incident": {"nl": "Nieuw incident openen", "en": "Open a new incident"},
    "name": {"nl": "Naam", "en": "Name"},
    "purpose": {"nl": "Doel van de monitoring", "en": "Purpose of monitoring"},
    "legal_basis": {"nl": "Wettelijke grondslag", "en": "Legal basis"},
    "officer": {"nl": "Verantwoordelijke functionaris", "en": "Responsible officer"},
    "description": {"nl": "Omschrijving (voor relevantie)", "en": "Description (for relevance)"},
    "keywords": {"nl": "Zoekwoorden (komma's)", "en": "Keywords (commas)"},
    "start": {"nl": "Start (datum)", "en": "Start (date)"},
    "start_time": {"nl": "Start (tijd)", "en": "Start (time)"},
    "end": {"nl": "Geplande einddatum", "en": "Planned end date"},
    "retention_days": {"nl": "Bewaartermijn na sluiten (dagen)", "en": "Retention after closing (days)"},
    "create": {"nl": "Incident openen", "en": "Open incident"},
    "created": {"nl": "Incident geopend.", "en": "Incident opened."},
    "close": {"nl": "Sluit het gekozen incident (geen nieuwe gegevens; bewaartermijn start)",
              "en": "Close the selected incident (no new data; retention starts)"},
    "closed": {"nl": "Incident gesloten.", "en": "Incident closed."},
    "confirm": {"nl": "Ik weet het zeker", "en": "I am sure"},
    "new_user": {"nl": "Nieuwe lokale gebruiker", "en": "New local user"},
    "username": {"nl": "Gebruikersnaam", "en": "Username"},
    "display_name": {"nl": "Weergavenaam", "en": "Display name"},
    "role": {"nl": "Rol", "en": "Role"},
    "password": {"nl": "Wachtwoord (min. 12 tekens)", "en": "Password (min. 12 characters)"},
    "add_user": {"nl": "Gebruiker toevoegen", "en": "Add user"},
    "user_added": {"nl": "Gebruiker toegevoegd.", "en": "User added."},
    "deactivate": {"nl": "Deactiveer gebruiker", "en": "Deactivate user"},
    "deactivated": {"nl": "Gebruiker gedeactiveerd.", "en": "User deactivated."},
    "purge_intro": {
        "nl": ("Na sluiten plus de bewaartermijn worden berichtteksten en pseudoniemen verwijderd "
               "(ook uit het databasebestand); alleen tellingen per uur blijven over."),
        "en": ("After closing plus the retention period, message texts and pseudonyms are deleted "
               "(also from the database file); only hourly counts remain."),
    },
    "expired": {"nl": "Verlopen incidenten", "en": "Expired incidents"},
    "none_expired": {"nl": "Geen incident is over de bewaartermijn.",
                     "en": "No incident is past its retention period."},
    "purge": {"nl": "Nu opschonen", "en": "Purge now"},
    "purged": {"nl": "{n} incident(en) opgeschoond.", "en": "{n} incident(s) purged."},
    "delete_title": {"nl": "Verwijderen op verzoek", "en": "Delete on request"},
    "source_id": {"nl": "Bericht-id bij de bron", "en": "Source message id"},
    "url": {"nl": "of: link naar het bericht", "en": "or: link to the message"},
    "reason": {"nl": "Reden (bijv. verzoek betrokkene, datum)",
               "en": "Reason (e.g. data subject request, date)"},
    "delete": {"nl": "Verwijderen", "en": "Delete"},
    "deleted": {"nl": "{n} bericht(en) verwijderd.", "en": "{n} message(s) deleted."},
    "verify": {"nl": "Controleer de hash-keten", "en": "Verify the hash chain"},
    "intact": {"nl": "Auditlog intact: geen regel gewijzigd of verwijderd.",
               "en": "Audit log intact: no entry changed or removed."},
    "tampered": {"nl": "Auditlog aangetast:", "en": "Audit log tampered with:"},
    "download_audit": {"nl": "Download auditlog (CSV)", "en": "Download audit log (CSV)"},
    "pending": {"nl": "Openstaande verzoeken (vier-ogen)", "en": "Pending requests (four eyes)"},
    "no_pending": {"nl": "Geen openstaande verzoeken.", "en": "No pending requests."},
    "approval": {"nl": "Verzoek", "en": "Request"},
    "approve": {"nl": "Goedkeuren", "en": "Approve"},
    "reject": {"nl": "Afwijzen", "en": "Reject"},
    "note": {"nl": "Toelichting", "en": "Note"},
    "decided": {"nl": "Besluit vastgelegd: {status}.", "en": "Decision recorded: {status}."},
    "year": {"nl": "Jaar", "en": "Year"},
    "make_yearly": {"nl": "Maak jaarverantwoording (Markdown)", "en": "Make yearly report (Markdown)"},
    "error": {"nl": "Niet gelukt: {err}", "en": "Failed: {err}"},
}
SECTIONS = ["incidents", "users", "retention", "audit", "approvals", "yearly"]

ctx = page_context("beheer")
header("Beheer" if lang() == "nl" else "Administration", ctx)
user = ctx.user
eng = engine()
section = st.segmented_control(tr(TEXTS, "section"), SECTIONS, default="incidents",
                               key="beheer_section", format_func=lambda k: tr(TEXTS, k))


def fail(exc: Exception) -> None:
    """Show an error in the user's language."""
    st.error(tr(TEXTS, "error", err=md_escape(exc)))


if section == "incidents":
    table = incidents_table()
    st.dataframe(table[["id", "name", "purpose", "legal_basis", "responsible_officer", "start_at",
                        "end_at", "closed_at", "retention_days", "purged_at", "n_messages"]],
                 hide_index=True, width="stretch")
    with st.form("beheer_new_incident"):
        st.subheader(tr(TEXTS, "new_incident"))
        name = st.text_input(tr(TEXTS, "name"), key="beheer_inc_name")
        purpose = st.text_area(tr(TEXTS, "purpose"), key="beheer_inc_purpose", height=70)
        legal = st.text_input(tr(TEXTS, "legal_basis"), key="beheer_inc_legal",
                              value="Wet veiligheidsregio's; AVG art. 6 lid 1 sub e")
        officer = st.text_input(tr(TEXTS, "officer"), key="beheer_inc_officer")
        description = st.text_area(tr(TEXTS, "description"), key="beheer_inc_desc", height=70)
        keywords = st.text_input(tr(TEXTS, "keywords"), key="beheer_inc_keywords")
        c1, c2, c3, c4 = st.columns(4)
        start_date = c1.date_input(tr(TEXTS, "start"), key="beheer_inc_start")
        start_time = c2.time_input(tr(TEXTS, "start_time"), value=time(12, 0), key="beheer_inc_start_t")
        end_date = c3.date_input(tr(TEXTS, "end"), value=datetime.now().date() + timedelta(days=7),
                                 key="beheer_inc_end")
        retention = c4.number_input(tr(TEXTS, "retention_days"), min_value=1, max_value=3650, value=90,
                                    key="beheer_inc_retention")
        if st.form_submit_button(tr(TEXTS, "create"), type="primary"):
            try:
                governance.require(eng, user, "incident.manage")
                start = pd.Timestamp.combine(start_date, start_time).tz_localize("Europe/Amsterdam")
                end = pd.Timestamp.combine(end_date, time(23, 59)).tz_localize("Europe/Amsterdam")
                store.create_incident(
                    eng, name=name, purpose=purpose, legal_basis=legal, responsible_officer=officer,
                    description=description, start_at=start.to_pydatetime(), end_at=end.to_pydatetime(),
                    keywords=[k.strip() for k in keywords.split(",") if k.strip()],
                    retention_days=int(retention), created_by=user["username"])
                incidents_table.clear()
                st.success(tr(TEXTS, "created"))
            except (ValueError, governance.PermissionDenied, Exception) as exc:  # noqa: BLE001
                fail(exc)
    open_ids = table.loc[table["closed_at"].isna(), "id"].tolist() if not table.empty else []
    if open_ids:
        names = dict(zip(table["id"], table["name"], strict=True))
        chosen = st.selectbox(tr(TEXTS, "close"), open_ids, format_func=lambda i: names[i],
                              key="beheer_close_id")
        sure = st.checkbox(tr(TEXTS, "confirm"), key="beheer_close_sure")
        if st.button(tr(TEXTS, "close").split(" (")[0], disabled=not sure, key="beheer_close_go"):
            governance.require(eng, user, "incident.manage", incident_id=int(chosen))
            store.close_incident(eng, int(chosen), actor=user["username"])
            incidents_table.clear()
            st.success(tr(TEXTS, "closed"))

elif section == "users":
    st.dataframe(auth.list_users(eng), hide_index=True, width="stretch")
    with st.form("beheer_new_user"):
        st.subheader(tr(TEXTS, "new_user"))
        username = st.text_input(tr(TEXTS, "username"), key="beheer_user_name")
        display = st.text_input(tr(TEXTS, "display_name"), key="beheer_user_display")
        role = st.selectbox(tr(TEXTS, "role"), list(auth.ROLES), key="beheer_user_role",
                            format_func=lambda r: auth.role_label(r, lang()))
        password = st.text_input(tr(TEXTS, "password"), type="password", key="beheer_user_pw")
        if st.form_submit_button(tr(TEXTS, "add_user"), type="primary"):
            try:
                governance.require(eng, user, "user.manage")
                auth.create_user(eng, username, role, password or None, display_name=display,
                                 actor=user["username"], actor_role=user["role"])
                st.success(tr(TEXTS, "user_added"))
            except Exception as exc:  # noqa: BLE001 - shown to the beheerder
                fail(exc)
    users = auth.list_users(eng)
    active = users.loc[users["active"].astype(bool), "username"].tolist() if not users.empty else []
    if active:
        who = st.selectbox(tr(TEXTS, "deactivate"), active, key="beheer_deactivate_name")
        if st.button(tr(TEXTS, "deactivate"), key="beheer_deactivate_go"):
            try:
                governance.require(eng, user, "user.manage")
                auth.deactivate_user(eng, who, actor=user["username"], actor_role=user["role"])
                st.success(tr(TEXTS, "deactivated"))
            except Exception as exc:  # noqa: BLE001
                fail(exc)

elif section == "retention":
    from pipeline import retention

    st.write(tr(TEXTS, "purge_intro"))
    expired = retention.expired_incidents(eng)
    st.subheader(tr(TEXTS, "expired"))
    if not expired:
        st.info(tr(TEXTS, "none_expired"))
    else:
        st.dataframe(pd.DataFrame(expired)[["id", "name", "closed_at", "retention_days"]],
                     hide_index=True)
        if st.button(tr(TEXTS, "purge"), type="primary", key="beheer_purge"):
            governance.require(eng, user, "retention.purge")
            done = retention.purge_expired(eng, actor=user["username"])
            incidents_table.clear()
            st.success(tr(TEXTS, "purged", n=len(done)))
    st.subheader(tr(TEXTS, "delete_title"))
    with st.form("beheer_delete"):
        source_id = st.text_input(tr(TEXTS, "source_id"), key="beheer_del_id")
        url = st.text_input(tr(TEXTS, "url"), key="beheer_del_url")
        reason = st.text_input(tr(TEXTS, "reason"), key="beheer_del_reason")
        if st.form_submit_button(tr(TEXTS, "delete")):
            try:
                governance.require(eng, user, "message.delete", incident_id=ctx.incident["id"])
                n = retention.delete_messages(eng, ctx.incident["id"], source_id=source_id or None,
                                              url=url or None, actor=user["username"], reason=reason)
                st.success(tr(TEXTS, "deleted", n=n))
            except Exception as exc:  # noqa: BLE001
                fail(exc)

elif section == "audit":
    governance.require(eng, user, "audit.view")
    if st.button(tr(TEXTS, "verify"), key="beheer_verify"):
        problems = store.verify_audit(eng)
        if problems:
            st.error(tr(TEXTS, "tampered"))
            st.text("\n".join(problems))
        else:
            st.success(tr(TEXTS, "intact"))
    log = store.load_audit(eng, limit=500)
    if not log.empty:
        log = log.assign(at=log["at"].map(lambda ts: fmt_time(ts, with_date=True)))
    st.dataframe(log.drop(columns=["prev_hash", "hash"], errors="ignore"), hide_index=True,
                 width="stretch")
    if governance.can(user["role"], "audit.export"):
        full = store.load_audit(eng)
        if st.download_button(tr(TEXTS, "download_audit"), safe_csv(full) or "", file_name="auditlog.csv",
                              mime="text/csv", key="beheer_audit_dl"):
            governance.log_action(eng, user, "audit.export", obj="audit_log")

elif section == "approvals":
    pending = governance.pending_approvals(eng)
    st.subheader(tr(TEXTS, "pending"))
    if pending.empty:
        st.info(tr(TEXTS, "no_pending"))
    else:
        st.dataframe(pending, hide_index=True, width="stretch")
        chosen = st.selectbox(tr(TEXTS, "approval"), pending["id"].tolist(), key="beheer_appr_id")
        note = st.text_input(tr(TEXTS, "note"), key="beheer_appr_note")
        c1, c2 = st.columns(2)
        for col, approve, label in ((c1, True, "approve"), (c2, False, "reject")):
            if col.button(tr(TEXTS, label), key=f"beheer_appr_{label}"):
                try:
                    status = governance.decide(eng, int(chosen), user, approve, note)
                    st.success(tr(TEXTS, "decided", status=status))
                except Exception as exc:  # noqa: BLE001 - e.g. self-approval refused
                    fail(exc)
    st.dataframe(governance.list_approvals(eng), hide_index=True, width="stretch")

else:
    from pipeline.accountability import accountability_report, render_markdown

    year = st.number_input(tr(TEXTS, "year"), min_value=2020, max_value=2100,
                           value=ctx.now.tz_convert("Europe/Amsterdam").year, key="beheer_year")
    if st.button(tr(TEXTS, "make_yearly"), key="beheer_yearly"):
        governance.require(eng, user, "report.accountability")
        report = accountability_report(eng, int(year))
        text = render_markdown(report, lang=lang())
        governance.log_action(eng, user, "report.accountability", obj=f"year:{int(year)}")
        st.download_button("Download (.md)", text, file_name=f"jaarverantwoording-{int(year)}.md",
                           key="beheer_yearly_dl")
        st.text(text)

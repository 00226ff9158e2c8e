"""Beheer: incidents (purpose binding), users, retention, deletion on request, audit log, approvals."""

import json
from datetime import datetime, time, timedelta

import pandas as pd
import streamlit as st

from pages._context import page_context
from pages._data import engine, incidents_table
from pages._panels import header
from pages._text import error_text, fmt_dec, fmt_time, lang, tr
from pipeline.governance import actions, auth
from pipeline.governance import policy as governance
from pipeline.render.export import safe_csv
from pipeline.render.textsafe import md_escape
from pipeline.schema import TIME_ZONE

SOURCE_TEXTS = {  # the "Bronnen" section (live sources, pipeline/collect)
    "sources": {"nl": "Bronnen", "en": "Sources"},
    "src_intro": {"nl": ("Live bronnen van het gekozen incident. De verzamelaar draait als eigen proces "
                         "naast het dashboard (`python -m pipeline collect`) en haalt alleen op zolang "
                         "het incident open is en de einddatum niet voorbij is."),
                  "en": ("Live sources of the selected incident. The collector runs as its own process "
                         "next to the dashboard (`python -m pipeline collect`) and only collects while "
                         "the incident is open and its end date has not passed.")},
    "src_none": {"nl": "Nog geen bronnen voor dit incident.", "en": "No sources for this incident yet."},
    "src_label": {"nl": "Bron", "en": "Source"}, "src_kind": {"nl": "Soort", "en": "Kind"},
    "src_active": {"nl": "Actief", "en": "Active"},
    "src_success": {"nl": "Laatst gelukt", "en": "Last success"},
    "src_hour": {"nl": "Berichten laatste uur", "en": "Messages last hour"},
    "src_lag": {"nl": "Vertraging (s)", "en": "Lag (s)"},
    "src_error": {"nl": "Laatste fout", "en": "Last error"},
    "src_total": {"nl": "Totaal", "en": "Total"},
    "src_add": {"nl": "Bron toevoegen", "en": "Add a source"},
    "src_folder": {"nl": "Inbox: map met exports (OBI4wan, Coosto, ...)",
                   "en": "Inbox: folder with exports (OBI4wan, Coosto, ...)"},
    "src_instance": {"nl": "Mastodon: instantie (https://...)", "en": "Mastodon: instance (https://...)"},
    "src_hashtag": {"nl": "Mastodon: hashtag", "en": "Mastodon: hashtag"},
    "src_languages": {"nl": "Mastodon: alleen talen (bv. nl,en; leeg = alle)",
                      "en": "Mastodon: only languages (e.g. nl,en; empty = all)"},
    "src_query": {"nl": "Bluesky: zoekopdracht", "en": "Bluesky: search query"},
    "src_lang": {"nl": "Bluesky: taal (bv. nl)", "en": "Bluesky: language (e.g. nl)"},
    "src_url": {"nl": "RSS/Atom: adres van de feed", "en": "RSS/Atom: feed address"},
    "src_streaming": {"nl": "Mastodon: ook de streaming-API gebruiken (als de instantie dat toestaat)",
                      "en": "Mastodon: also use the streaming API (where the instance allows it)"},
    "src_own": {"nl": "RSS/Atom: eigen kanaal (berichten worden communicatiemomenten)",
                "en": "RSS/Atom: own channel (entries become communication moments)"},
    "src_token": {"nl": "Naam van de omgevingsvariabele met het token (nooit het token zelf)",
                  "en": "Name of the environment variable holding the token (never the token)"},
    "src_added": {"nl": "Bron toegevoegd.", "en": "Source added."},
    "src_remove": {"nl": "Bron stoppen", "en": "Stop a source"},
    "src_removed": {"nl": "Bron gestopt.", "en": "Source stopped."},
}

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
    "topic_help": {"nl": "Zoekwoorden of een omschrijving is verplicht: daarmee bepaalt Luisterpost welke "
                         "berichten over dit incident gaan (relevantie).",
                   "en": "Keywords or a description is required: relevance is judged against them."},
    "start": {"nl": "Start (datum)", "en": "Start (date)"},
    "start_time": {"nl": "Start (tijd)", "en": "Start (time)"},
    "end": {"nl": "Geplande einddatum", "en": "Planned end date"},
    "retention_days": {"nl": "Bewaartermijn na sluiten (dagen)", "en": "Retention after closing (days)"},
    "create": {"nl": "Incident openen", "en": "Open incident"},
    "created": {"nl": "Incident geopend.", "en": "Incident opened."},
    "close": {"nl": "Sluit het gekozen incident (geen nieuwe gegevens; bewaartermijn start)",
              "en": "Close the selected incident (no new data; retention starts)"},
    "closed": {"nl": "Incident gesloten. Schrijf de publieke samenvatting achteraf onder 'Openbaar'.",
               "en": "Incident closed. Write the public summary afterwards under 'Public'."},
    "confirm": {"nl": "Ik weet het zeker", "en": "I am sure"},
    "new_user": {"nl": "Nieuwe lokale gebruiker", "en": "New local user"},
    "username": {"nl": "Gebruikersnaam", "en": "Username"},
    "display_name": {"nl": "Weergavenaam", "en": "Display name"},
    "role": {"nl": "Rol", "en": "Role"},
    "password": {"nl": "Wachtwoord (min. 12 tekens)", "en": "Password (min. 12 characters)"},
    "add_user": {"nl": "Gebruiker toevoegen", "en": "Add user"},
    "user_added": {"nl": "Gebruiker toegevoegd.", "en": "User added."},
    "deactivate": {"nl": "Deactiveer gebruiker", "en": "Deactivate user"},
    "deactivated": {"nl": "Gebruiker gedeactiveerd. Een open sessie van deze gebruiker stopt bij de "
                           "volgende klik.",
                    "en": "User deactivated. An open session of this user ends at its next click."},
    "choose_user": {"nl": "Kies een gebruiker", "en": "Choose a user"},
    "change_role": {"nl": "Rol wijzigen", "en": "Change role"},
    "new_role": {"nl": "Nieuwe rol", "en": "New role"},
    "role_changed": {"nl": "Rol gewijzigd; geldt meteen, ook in een open sessie.",
                     "en": "Role changed; it applies at once, also in an open session."},
    "reactivate": {"nl": "Heractiveer gebruiker", "en": "Reactivate user"},
    "reactivated": {"nl": "Gebruiker weer actief.", "en": "User active again."},
    "purge_intro": {
        "nl": ("Na sluiten plus de bewaartermijn worden berichtteksten en pseudoniemen verwijderd "
               "(ook uit het databasebestand); alleen tellingen per uur blijven over."),
        "en": ("After closing plus the retention period, message texts and pseudonyms are deleted "
               "(also from the database file); only hourly counts remain."),
    },
    "expired": {"nl": "Verlopen incidenten", "en": "Expired incidents"},
    "retention_title": {"nl": "Bewaartermijn van een incident", "en": "Retention period of an incident"},
    "retention_incident": {"nl": "Incident", "en": "Incident"},
    "retention_set": {"nl": "Bewaartermijn opslaan", "en": "Save retention period"},
    "retention_done": {"nl": ("Bewaartermijn van {name}: {before} → {days} dagen na sluiten "
                              "(vastgelegd in de auditlog)."),
                       "en": ("Retention of {name}: {before} → {days} days after closing "
                              "(recorded in the audit log).")},
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
    "delete_none": {"nl": "Geen bericht gevonden met dit id; er is niets verwijderd.",
                    "en": "No message found with this id; nothing was deleted."},
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
    "public": {"nl": "Openbaar", "en": "Public"},
    "public_intro": {
        "nl": ("Inwoners zien op de openbare pagina (/openbaar, of `python -m pipeline publish`) per "
               "incident doel, grondslag, bewaartermijn en vrijgegeven rapporten. Schrijf na het sluiten "
               "van een incident kort wat de tool opleverde; een tweede persoon keurt het goed voordat het "
               "openbaar wordt. Geen namen, geen berichtteksten."),
        "en": ("Residents see on the public page (/openbaar, or `python -m pipeline publish`) each "
               "incident's purpose, legal basis, retention and released reports. After closing an "
               "incident, write briefly what the tool delivered; a second person approves it before it "
               "becomes public. No names, no message texts.")},
    "summary_form": {"nl": "Samenvatting achteraf: door deze tool konden we …",
                     "en": "Summary afterwards: thanks to this tool we could …"},
    "no_closed": {"nl": "Nog geen gesloten incident.", "en": "No closed incident yet."},
    "learned": {"nl": "Wat we leerden", "en": "What we learned"},
    "changed": {"nl": "Wat we veranderden in onze communicatie",
                "en": "What we changed in our communication"},
    "learned_en": {"nl": "Wat we leerden (Engels, optioneel)", "en": "What we learned (English, optional)"},
    "changed_en": {"nl": "Wat we veranderden (Engels, optioneel)",
                   "en": "What we changed (English, optional)"},
    "submit_summary": {"nl": "Ter goedkeuring aanbieden", "en": "Submit for approval"},
    "summary_sent": {"nl": "Samenvatting {id} wacht op goedkeuring door een tweede persoon.",
                     "en": "Summary {id} awaits approval by a second person."},
    "pending_summaries": {"nl": "Samenvattingen die wachten op een tweede persoon",
                          "en": "Summaries awaiting a second person"},
    "all_summaries": {"nl": "Alle samenvattingen", "en": "All summaries"},
    **SOURCE_TEXTS,
}
KEY_USER_DONE = "beheer_user_done"  # the last user change, shown after the rerun that lists it
SECTIONS = ["incidents", "sources", "users", "retention", "audit", "approvals", "yearly", "public"]

ctx = page_context("beheer")
header("Beheer" if lang() == "nl" else "Administration", ctx)
user = ctx.user
eng = engine()
section = st.segmented_control(tr(TEXTS, "section"), SECTIONS, default="incidents",
                               key="beheer_section", format_func=lambda k: tr(TEXTS, k))


COLUMNS = {  # column → (Dutch, English) header; columns not listed are not shown
    "id": ("Nr.", "No."), "name": ("Naam", "Name"), "purpose": ("Doel", "Purpose"),
    "legal_basis": ("Grondslag", "Legal basis"), "responsible_officer": ("Verantwoordelijke", "Officer"),
    "start_at": ("Start", "Start"), "end_at": ("Gepland einde", "Planned end"),
    "closed_at": ("Gesloten", "Closed"), "retention_days": ("Bewaren (dagen)", "Retention (days)"),
    "purged_at": ("Opgeschoond", "Purged"), "n_messages": ("Berichten", "Messages"),
    "username": ("Gebruikersnaam", "Username"), "display_name": ("Weergavenaam", "Display name"),
    "role": ("Rol", "Role"), "active": ("Actief", "Active"),
    "local_password": ("Eigen wachtwoord", "Password"),
    "created_at": ("Aangemaakt", "Created"), "at": ("Tijd", "Time"), "actor": ("Wie", "Who"),
    "action": ("Handeling", "Action"), "object": ("Object", "Object"), "outcome": ("Uitkomst", "Outcome"),
    "reason": ("Reden", "Reason"), "details": ("Details", "Details"),
    "incident_id": ("Incident", "Incident"), "requested_by": ("Gevraagd door", "Requested by"),
    "requested_at": ("Gevraagd op", "Requested at"), "status": ("Status", "Status"),
    "decided_by": ("Besloten door", "Decided by"), "decided_at": ("Besloten op", "Decided at"),
    "decision_note": ("Toelichting", "Note"),
    "author": ("Geschreven door", "Written by"), "published_at": ("Gepubliceerd", "Published"),
    "learned": ("Geleerd", "Learned"), "changed": ("Veranderd", "Changed"),
}


def _cell(value: object) -> str:
    """Return a table cell as readable text: local 24-hour times, ja/nee, details without JSON."""

    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
        return ""
    if isinstance(value, (pd.Timestamp, datetime)):
        ts = pd.Timestamp(value)
        return fmt_time(ts if ts.tzinfo else ts.tz_localize("UTC"), with_date=True)
    if isinstance(value, bool):
        return ("ja" if value else "nee") if lang() == "nl" else ("yes" if value else "no")
    text = str(value)
    if text.startswith("{") and text.endswith("}"):
        try:
            parsed = json.loads(text)
        except ValueError:
            return text
        return " · ".join(f"{k}: {v}" for k, v in parsed.items()) if isinstance(parsed, dict) else text
    return text


def dutch_table(df: pd.DataFrame) -> pd.DataFrame:
    """Return `df` for display: only known columns, Dutch (or English) headers, readable cells."""
    cols = [c for c in df.columns if c in COLUMNS]
    out = df[cols].copy()
    for col in cols:
        if col == "role":  # the role's display name ("CoPI-kijker"), not its code
            out[col] = [auth.role_label(str(v), lang()) if isinstance(v, str) and v else _cell(v)
                        for v in out[col]]
        elif col not in ("id", "n_messages", "retention_days", "incident_id"):
            out[col] = [_cell(v) for v in out[col]]
    i = 1 if lang() == "en" else 0
    return out.rename(columns={c: COLUMNS[c][i] for c in cols})


def fail(exc: Exception) -> None:
    """Show an error in the user's language."""
    st.error(tr(TEXTS, "error", err=md_escape(error_text(exc))))


if section == "incidents":
    table = incidents_table()
    st.dataframe(dutch_table(table[["id", "name", "purpose", "legal_basis", "responsible_officer",
                                    "start_at", "end_at", "closed_at", "retention_days", "purged_at",
                                    "n_messages"]]), hide_index=True, width="stretch")
    with st.form("beheer_new_incident"):
        st.subheader(tr(TEXTS, "new_incident"))
        name = st.text_input(tr(TEXTS, "name"), key="beheer_inc_name")
        purpose = st.text_area(tr(TEXTS, "purpose"), key="beheer_inc_purpose", height=70)
        legal = st.text_input(tr(TEXTS, "legal_basis"), key="beheer_inc_legal",
                              value="Wet veiligheidsregio's; AVG art. 6 lid 1 sub e")
        officer = st.text_input(tr(TEXTS, "officer"), key="beheer_inc_officer")
        description = st.text_area(tr(TEXTS, "description"), key="beheer_inc_desc", height=70,
                                   help=tr(TEXTS, "topic_help"))
        keywords = st.text_input(tr(TEXTS, "keywords"), key="beheer_inc_keywords",
                                 help=tr(TEXTS, "topic_help"))
        c1, c2, c3, c4 = st.columns(4)
        start_date = c1.date_input(tr(TEXTS, "start"), key="beheer_inc_start")
        start_time = c2.time_input(tr(TEXTS, "start_time"), value=time(12, 0), key="beheer_inc_start_t")
        end_date = c3.date_input(tr(TEXTS, "end"), value=datetime.now().date() + timedelta(days=7),
                                 key="beheer_inc_end")
        retention = c4.number_input(tr(TEXTS, "retention_days"), min_value=1, max_value=3650, value=90,
                                    key="beheer_inc_retention")
        if st.form_submit_button(tr(TEXTS, "create"), type="primary"):
            try:
                start = pd.Timestamp.combine(start_date, start_time).tz_localize(TIME_ZONE)
                end = pd.Timestamp.combine(end_date, time(23, 59)).tz_localize(TIME_ZONE)
                actions.create_incident(
                    eng, user, name=name, purpose=purpose, legal_basis=legal, responsible_officer=officer,
                    description=description, start_at=start.to_pydatetime(), end_at=end.to_pydatetime(),
                    keywords=[k.strip() for k in keywords.split(",") if k.strip()],
                    retention_days=int(retention))
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
            try:
                actions.close_incident(eng, user, int(chosen))
                incidents_table.clear()
                st.success(tr(TEXTS, "closed"))
            except Exception as exc:  # noqa: BLE001 - shown to the beheerder
                fail(exc)

elif section == "users":
    st.dataframe(dutch_table(auth.list_users(eng)), hide_index=True, width="stretch")
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
    on = users["active"].astype(bool) if not users.empty else pd.Series(dtype=bool)
    active = users.loc[on, "username"].tolist() if not users.empty else []
    inactive = users.loc[~on, "username"].tolist() if not users.empty else []

    me = {"actor": user["username"], "actor_role": user["role"]}

    def act(change, done: str) -> None:
        try:
            governance.require(eng, user, "user.manage")
            change()
        except Exception as exc:  # noqa: BLE001 - shown to the beheerder (the last beheerder stays, …)
            fail(exc)
            return
        st.session_state[KEY_USER_DONE] = done
        st.session_state.pop("beheer_deactivate_sure", None)  # the next deactivation is confirmed anew
        st.rerun()  # the lists below show the change at once; the message stays for this run

    if done_before := st.session_state.pop(KEY_USER_DONE, None):
        st.success(tr(TEXTS, done_before))

    if active:
        st.subheader(tr(TEXTS, "change_role"))
        who_role = st.selectbox(tr(TEXTS, "change_role"), active, index=None, key="beheer_role_name",
                                placeholder=tr(TEXTS, "choose_user"))
        new_role = st.selectbox(tr(TEXTS, "new_role"), list(auth.ROLES), key="beheer_role_new",
                                format_func=lambda r: auth.role_label(r, lang()))
        if st.button(tr(TEXTS, "change_role"), disabled=who_role is None, key="beheer_role_go"):
            act(lambda: auth.set_role(eng, who_role, new_role, **me), "role_changed")
        st.subheader(tr(TEXTS, "deactivate"))
        # no default person and a confirmation, as for closing an incident
        who = st.selectbox(tr(TEXTS, "deactivate"), active, index=None, key="beheer_deactivate_name",
                           placeholder=tr(TEXTS, "choose_user"))
        sure_user = st.checkbox(tr(TEXTS, "confirm"), key="beheer_deactivate_sure")
        if st.button(tr(TEXTS, "deactivate"), disabled=who is None or not sure_user,
                     key="beheer_deactivate_go"):
            act(lambda: auth.deactivate_user(eng, who, **me), "deactivated")
    if inactive:
        st.subheader(tr(TEXTS, "reactivate"))
        again = st.selectbox(tr(TEXTS, "reactivate"), inactive, index=None, key="beheer_reactivate_name",
                             placeholder=tr(TEXTS, "choose_user"))
        if st.button(tr(TEXTS, "reactivate"), disabled=again is None, key="beheer_reactivate_go"):
            act(lambda: auth.activate_user(eng, again, **me), "reactivated")

elif section == "retention":
    from pipeline.governance import retention

    st.write(tr(TEXTS, "purge_intro"))
    expired = retention.expired_incidents(eng)
    st.subheader(tr(TEXTS, "expired"))
    if not expired:
        st.info(tr(TEXTS, "none_expired"))
    else:
        st.dataframe(dutch_table(pd.DataFrame(expired)[["id", "name", "closed_at", "retention_days"]]),
                     hide_index=True)
        if st.button(tr(TEXTS, "purge"), type="primary", key="beheer_purge"):
            governance.require(eng, user, "retention.purge")
            done = retention.purge_expired(eng, actor=user["username"])
            incidents_table.clear()
            st.success(tr(TEXTS, "purged", n=len(done)))
    st.subheader(tr(TEXTS, "retention_title"))
    kept = incidents_table()
    kept = kept[kept["purged_at"].isna()] if "purged_at" in kept and not kept.empty else kept
    if not kept.empty:
        with st.form("beheer_retention"):
            names = dict(zip(kept["id"], kept["name"], strict=True))
            days_of = dict(zip(kept["id"], kept["retention_days"], strict=True))
            chosen = st.selectbox(tr(TEXTS, "retention_incident"), list(names), format_func=names.get,
                                  key="beheer_ret_id")
            days = st.number_input(tr(TEXTS, "retention_days"), min_value=1, max_value=3650,
                                   value=int(days_of[chosen]), key="beheer_ret_days")
            if st.form_submit_button(tr(TEXTS, "retention_set")):
                try:
                    before = actions.set_retention(eng, user, int(chosen), int(days))
                    incidents_table.clear()
                    st.success(tr(TEXTS, "retention_done", name=md_escape(names[chosen]), before=before,
                                  days=int(days)))
                except Exception as exc:  # noqa: BLE001 - shown through fail (no driver text)
                    fail(exc)
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
                if n:
                    st.success(tr(TEXTS, "deleted", n=n))
                else:  # the audit log records it as not_found
                    st.warning(tr(TEXTS, "delete_none"))
            except Exception as exc:  # noqa: BLE001
                fail(exc)

elif section == "audit":
    governance.require(eng, user, "audit.view")
    if st.button(tr(TEXTS, "verify"), key="beheer_verify"):
        problems = actions.verify_audit(eng, user)
        if problems:
            st.error(tr(TEXTS, "tampered"))
            st.text("\n".join(problems))
        else:
            st.success(tr(TEXTS, "intact"))
    log = actions.audit_entries(eng, user, limit=500)
    shown = log.copy()
    if "action" in shown:  # readable names on screen; the CSV export keeps the codes
        names = {a: governance.action_label(str(a), lang()) for a in shown["action"].unique()}
        shown["action"] = [names[a] if names[a] == a else f"{names[a]} ({a})" for a in shown["action"]]
    if "outcome" in shown:
        shown["outcome"] = [governance.outcome_label(str(o), lang()) for o in shown["outcome"]]
    st.dataframe(dutch_table(shown), hide_index=True, width="stretch")
    if governance.can(user["role"], "audit.export"):
        full = actions.audit_entries(eng, user)
        if st.download_button(tr(TEXTS, "download_audit"), safe_csv(full) or "", file_name="auditlog.csv",
                              mime="text/csv", key="beheer_audit_dl"):
            governance.log_action(eng, user, "audit.export", obj="audit_log")

elif section == "approvals":
    pending = governance.pending_approvals(eng)
    st.subheader(tr(TEXTS, "pending"))
    if pending.empty:
        st.info(tr(TEXTS, "no_pending"))
    else:
        st.dataframe(dutch_table(pending), hide_index=True, width="stretch")
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
    st.dataframe(dutch_table(governance.list_approvals(eng)), hide_index=True, width="stretch")

elif section == "sources":
    from pipeline.ingest.collect import KINDS
    from pipeline.ingest.collect import sources as collect_sources

    st.caption(tr(TEXTS, "src_intro"))
    health = collect_sources.health_frame(eng, int(ctx.incident["id"]))
    if health.empty:
        st.info(tr(TEXTS, "src_none"))
    else:
        def _when(ts) -> str:
            return "–" if ts is None or pd.isna(ts) else fmt_time(ts, with_date=True)

        st.dataframe(pd.DataFrame({  # labels and errors are plain text in a dataframe
            tr(TEXTS, "src_label"): health["label"], tr(TEXTS, "src_kind"): health["kind"],
            tr(TEXTS, "src_active"): health["active"],
            tr(TEXTS, "src_success"): health["last_success_at"].map(_when),
            tr(TEXTS, "src_hour"): health["messages_last_hour"],
            tr(TEXTS, "src_lag"): health["lag_seconds"].map(
                lambda x: "–" if x is None or pd.isna(x) else fmt_dec(x, 1)),
            tr(TEXTS, "src_error"): health["last_error"],
            tr(TEXTS, "src_total"): health["n_collected"],
        }), hide_index=True, width="stretch")
    with st.form("beheer_new_source"):
        st.subheader(tr(TEXTS, "src_add"))
        kind = st.selectbox(tr(TEXTS, "src_kind"), list(KINDS), key="beheer_src_kind")
        fields = {
            "folder": st.text_input(tr(TEXTS, "src_folder"), key="beheer_src_folder"),
            "instance": st.text_input(tr(TEXTS, "src_instance"), key="beheer_src_instance"),
            "hashtag": st.text_input(tr(TEXTS, "src_hashtag"), key="beheer_src_hashtag"),
            "languages": st.text_input(tr(TEXTS, "src_languages"), key="beheer_src_languages"),
            "query": st.text_input(tr(TEXTS, "src_query"), key="beheer_src_query"),
            "lang": st.text_input(tr(TEXTS, "src_lang"), key="beheer_src_lang"),
            "url": st.text_input(tr(TEXTS, "src_url"), key="beheer_src_url"),
            "streaming": st.checkbox(tr(TEXTS, "src_streaming"), key="beheer_src_streaming") or None,
            "own_channel": st.checkbox(tr(TEXTS, "src_own"), key="beheer_src_own") or None,
            "token_env": st.text_input(tr(TEXTS, "src_token"), key="beheer_src_token_env"),
        }
        if st.form_submit_button(tr(TEXTS, "src_add"), type="primary"):
            try:
                wanted = collect_sources.REQUIRED[kind] + collect_sources.OPTIONAL[kind] + ("token_env",)
                actions.add_source(eng, user, int(ctx.incident["id"]), kind,
                                   {k: v for k, v in fields.items() if k in wanted})
                st.success(tr(TEXTS, "src_added"))
            except Exception as exc:  # noqa: BLE001 - shown to the beheerder
                fail(exc)
    active_sources = health[health["active"].astype(bool)] if not health.empty else health
    if not active_sources.empty:
        labels = dict(zip(active_sources["id"], active_sources["label"], strict=True))
        chosen_src = st.selectbox(tr(TEXTS, "src_remove"), list(labels), format_func=lambda i: labels[i],
                                  key="beheer_src_remove_id")
        src_reason = st.text_input(tr(TEXTS, "reason"), key="beheer_src_remove_reason")
        if st.button(tr(TEXTS, "src_remove"), key="beheer_src_remove_go"):
            try:
                actions.stop_source(eng, user, int(chosen_src), reason=src_reason)
                st.success(tr(TEXTS, "src_removed"))
            except Exception as exc:  # noqa: BLE001
                fail(exc)
elif section == "public":
    from pipeline.governance import publish

    st.write(tr(TEXTS, "public_intro"))
    table = incidents_table()
    closed = table[table["closed_at"].notna()] if not table.empty else table
    st.subheader(tr(TEXTS, "summary_form"))
    if closed.empty:
        st.info(tr(TEXTS, "no_closed"))
    else:
        names = dict(zip(closed["id"], closed["name"], strict=True))
        with st.form("beheer_summary"):
            chosen = st.selectbox(tr(TEXTS, "name"), list(names), format_func=lambda i: names[i],
                                  key="beheer_sum_incident")
            learned = st.text_area(tr(TEXTS, "learned"), key="beheer_sum_learned", max_chars=2000)
            changed = st.text_area(tr(TEXTS, "changed"), key="beheer_sum_changed", max_chars=2000)
            learned_en = st.text_area(tr(TEXTS, "learned_en"), key="beheer_sum_learned_en", max_chars=2000)
            changed_en = st.text_area(tr(TEXTS, "changed_en"), key="beheer_sum_changed_en", max_chars=2000)
            if st.form_submit_button(tr(TEXTS, "submit_summary"), type="primary"):
                try:
                    sid = publish.write_summary(eng, user, int(chosen), learned, changed, learned_en,
                                                changed_en)
                    st.success(tr(TEXTS, "summary_sent", id=sid))
                except Exception as exc:  # noqa: BLE001 - shown to the beheerder
                    fail(exc)
    summaries = publish.list_summaries(eng)
    cols = ["id", "incident_id", "status", "author", "created_at", "decided_by", "published_at", "learned",
            "changed"]
    pending = summaries[summaries["status"] == publish.STATUS_PENDING] if not summaries.empty else summaries
    if not pending.empty:
        st.subheader(tr(TEXTS, "pending_summaries"))
        st.dataframe(dutch_table(pending[cols]), hide_index=True, width="stretch")
        sid = st.selectbox(tr(TEXTS, "approval"), pending["id"].tolist(), key="beheer_sum_id")
        note = st.text_input(tr(TEXTS, "note"), key="beheer_sum_note")
        c1, c2 = st.columns(2)
        for col, approve, label in ((c1, True, "approve"), (c2, False, "reject")):
            if col.button(tr(TEXTS, label), key=f"beheer_sum_{label}"):
                try:
                    status = publish.decide_summary(eng, user, int(sid), approve, note)
                    st.success(tr(TEXTS, "decided", status=status))
                except Exception as exc:  # noqa: BLE001 - e.g. self-approval refused
                    fail(exc)
    if not summaries.empty:
        st.subheader(tr(TEXTS, "all_summaries"))
        st.dataframe(dutch_table(publish.list_summaries(eng)[cols]), hide_index=True, width="stretch")

else:
    from pipeline.governance.accountability import accountability_report, render_markdown

    year = st.number_input(tr(TEXTS, "year"), min_value=2020, max_value=2100,
                           value=ctx.now.tz_convert(TIME_ZONE).year, key="beheer_year")
    if st.button(tr(TEXTS, "make_yearly"), key="beheer_yearly"):
        governance.require(eng, user, "report.accountability")
        report = accountability_report(eng, int(year))
        text = render_markdown(report, lang=lang())
        governance.log_action(eng, user, "report.accountability", obj=f"year:{int(year)}")
        st.download_button("Download (.md)", text, file_name=f"jaarverantwoording-{int(year)}.md",
                           key="beheer_yearly_dl")
        st.text(text)

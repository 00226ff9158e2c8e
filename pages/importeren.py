"""Importeren: upload an export file, preview the mapping, import it whole or not at all."""

import pandas as pd
import streamlit as st

from pages._context import page_context
from pages._data import engine, incidents_table
from pages._import import import_upload, outside_period
from pages._panels import header
from pages._text import TZ, fmt_int, fmt_time, show_error, t
from pipeline import schema as S
from pipeline.governance.actions import incident_accepts_data

MAX_MB = 200
KEY_DONE = "import_done"  # (incident id, uploaded file id, rows read, rows added) of the last import
TEXTS = {
    "intro": {
        "nl": ("Upload een export van een monitoringtool (CSV, TSV, JSON, NDJSON of XLSX). "
               "Het bestand wordt helemaal geïmporteerd of helemaal niet. Namen, @-vermeldingen, "
               "e-mailadressen, telefoonnummers en links worden vóór opslag verwijderd; auteurs "
               "worden alleen als sleutel-pseudoniem bewaard."),
        "en": ("Upload an export from a monitoring tool (CSV, TSV, JSON, NDJSON or XLSX). The "
               "file is imported whole or not at all. Names, @mentions, e-mail addresses, phone "
               "numbers and links are removed before storage; authors are kept only as keyed "
               "pseudonyms."),
    },
    "file": {"nl": "Bestand", "en": "File"},
    "mapping": {"nl": "Kolomtoewijzing (optioneel), één per regel: kolom=veld",
                "en": "Column mapping (optional), one per line: column=field"},
    "preview": {"nl": "Voorbeeld na privacy-filter (eerste 20 rijen)",
                "en": "Preview after the privacy filter (first 20 rows)"},
    "do_import": {"nl": "Importeren in dit incident", "en": "Import into this incident"},
    "too_big": {"nl": f"Bestand groter dan {MAX_MB} MB.", "en": f"File larger than {MAX_MB} MB."},
    "closed": {"nl": "Dit incident is gesloten: importeren kan niet meer.",
               "en": "This incident is closed: no more imports."},
    "done": {"nl": "{rows} rijen gelezen, {added} nieuw toegevoegd.",
             "en": "{rows} rows read, {added} newly added."},
    "done_next": {"nl": "Dit bestand staat in het incident. Kies een ander bestand om meer te importeren.",
                  "en": "This file is in the incident. Choose another file to import more."},
    "rows": {"nl": "{n} rijen herkend.", "en": "{n} rows recognised."},
    "outside": {"nl": ("Let op: {n} van de {total} berichten vallen buiten de periode van dit incident "
                       "({period}). Is dit het goede incident? Bevestig om toch te importeren."),
                "en": ("Note: {n} of the {total} messages fall outside this incident's period "
                       "({period}). Is this the right incident? Confirm to import anyway.")},
    "confirm": {"nl": "Ja, toch in dit incident importeren", "en": "Yes, import into this incident anyway"},
    "confirm_first": {"nl": "Bevestig eerst dat de berichten buiten de periode bij dit incident horen.",
                      "en": "First confirm that the messages outside the period belong to this incident."},
}
PREVIEW_COLUMNS = {
    "nl": {S.PLATFORM: "Platform", S.CREATED_AT: "Tijd", S.TEXT: "Tekst (na privacy-filter)",
           S.IS_REPLY: "Antwoord", S.IS_REPOST: "Repost", S.TIME_FLAG: "Tijdcontrole"},
    "en": {S.PLATFORM: "Platform", S.CREATED_AT: "Time", S.TEXT: "Text (after privacy filter)",
           S.IS_REPLY: "Reply", S.IS_REPOST: "Repost", S.TIME_FLAG: "Time check"},
}


def tx(key: str, **kw) -> str:
    """Page-local texts in the session language."""
    text = TEXTS[key].get(st.session_state.get("lp_lang", "nl"), TEXTS[key]["nl"])
    return text.format(**kw) if kw else text


def parse_mapping(text: str) -> dict[str, str]:
    """Parse `col=field` lines into a mapping; blank lines ignored."""
    pairs = [line.split("=", 1) for line in text.splitlines() if "=" in line]
    return {col.strip(): fld.strip() for col, fld in pairs if col.strip() and fld.strip()}


ctx = page_context("importeren")
header(t("import"), ctx)
st.write(tx("intro"))
if not incident_accepts_data(ctx.incident):
    st.warning(tx("closed"))
    st.stop()

upload = st.file_uploader(tx("file"), type=["csv", "tsv", "txt", "json", "ndjson", "jsonl", "xlsx"],
                          key="import_file")
mapping_text = st.text_area(tx("mapping"), key="import_mapping", height=80,
                            placeholder="Bericht=text\nPublicatiedatum=created_at")
done = st.session_state.get(KEY_DONE)
if upload is not None and done is not None and done[:2] == (int(ctx.incident["id"]), upload.file_id):
    # this file was imported: the rerun after the new data (live refresh) keeps saying so and offers
    # no second import of the same file
    st.success(tx("done", rows=fmt_int(done[2]), added=fmt_int(done[3])))
    st.caption(tx("done_next"))
    st.stop()
if upload is not None:
    if upload.size > MAX_MB * 1024 * 1024:
        st.error(tx("too_big"))
        st.stop()
    from pipeline.config import get_settings
    from pipeline.ingest import privacy
    from pipeline.ingest.load import IngestError, read_messages

    data = upload.getvalue()
    mapping = parse_mapping(mapping_text) or None
    try:
        raw = read_messages(data, filename=upload.name, mapping=mapping)
    except IngestError as exc:
        show_error(exc)
        st.stop()
    settings = get_settings()
    officials = (privacy.load_official_accounts(settings.official_accounts_file)
                 if settings.official_accounts_file.exists() else None)
    preview = privacy.prepare_messages(raw.head(20), privacy.load_or_create_key(settings.key_file),
                                       officials)
    st.write(tx("rows", n=fmt_int(len(raw))))
    st.subheader(tx("preview"))
    language = st.session_state.get("lp_lang", "nl")
    shown = preview[list(PREVIEW_COLUMNS["nl"])].copy()
    shown[S.CREATED_AT] = (pd.to_datetime(shown[S.CREATED_AT], utc=True).dt.tz_convert(TZ)
                           .dt.strftime("%d-%m-%Y %H:%M"))
    yes_no = {True: "ja", False: "nee"} if language == "nl" else {True: "yes", False: "no"}
    for col in (S.IS_REPLY, S.IS_REPOST):
        shown[col] = shown[col].map(lambda v: yes_no.get(bool(v), "–"))
    shown = shown.rename(columns=PREVIEW_COLUMNS.get(language, PREVIEW_COLUMNS["nl"]))
    st.dataframe(shown, hide_index=True, width="stretch")
    n_out = outside_period(raw, ctx.incident)
    confirmed = True
    if n_out:
        start = fmt_time(pd.Timestamp(ctx.incident["start_at"]).tz_localize("UTC")
                         if pd.Timestamp(ctx.incident["start_at"]).tzinfo is None
                         else pd.Timestamp(ctx.incident["start_at"]), with_date=True)
        st.warning(tx("outside", n=n_out, total=len(raw), period=f"{start} –"))
        confirmed = st.checkbox(tx("confirm"), key="import_confirm_period")
    if st.button(tx("do_import"), type="primary", key="import_go"):
        if not confirmed:
            st.error(tx("confirm_first"))
            st.stop()
        try:
            result = import_upload(engine(), ctx.incident["id"], data, upload.name, mapping=mapping,
                                   user=ctx.user, allow_earlier=bool(n_out))  # confirmed above
        except IngestError as exc:
            show_error(exc)
            st.stop()
        incidents_table.clear()
        st.session_state[KEY_DONE] = (int(ctx.incident["id"]), upload.file_id, result.rows, result.added)
        st.success(tx("done", rows=fmt_int(result.rows), added=fmt_int(result.added)))
        st.caption(tx("done_next"))

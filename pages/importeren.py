"""Importeren: upload an export file, preview the mapping, import it whole or not at all."""

import tempfile
from pathlib import Path

import streamlit as st

from pages._common import engine, header, incidents_table, page_context, t
from pipeline import schema as S
from pipeline import store
from pipeline.textsafe import md_escape

MAX_MB = 200
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
    "rows": {"nl": "{n} rijen herkend.", "en": "{n} rows recognised."},
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
if not store.incident_is_open(ctx.incident):
    st.warning(tx("closed"))
    st.stop()

upload = st.file_uploader(tx("file"), type=["csv", "tsv", "txt", "json", "ndjson", "jsonl", "xlsx"],
                          key="import_file")
mapping_text = st.text_area(tx("mapping"), key="import_mapping", height=80,
                            placeholder="Bericht=text\nPublicatiedatum=created_at")
if upload is not None:
    if upload.size > MAX_MB * 1024 * 1024:
        st.error(tx("too_big"))
        st.stop()
    from pipeline import privacy
    from pipeline.config import get_settings
    from pipeline.ingest import IngestError, ingest_file, read_messages

    data = upload.getvalue()
    mapping = parse_mapping(mapping_text) or None
    try:
        raw = read_messages(data, filename=upload.name, mapping=mapping)
    except IngestError as exc:
        st.error(md_escape(exc))
        st.stop()
    settings = get_settings()
    officials = (privacy.load_official_accounts(settings.official_accounts_file)
                 if settings.official_accounts_file.exists() else None)
    preview = privacy.prepare_messages(raw.head(20), privacy.load_or_create_key(settings.key_file),
                                       officials)
    st.write(tx("rows", n=len(raw)))
    st.subheader(tx("preview"))
    st.dataframe(preview[[S.PLATFORM, S.CREATED_AT, S.TEXT, S.IS_REPLY, S.IS_REPOST,
                          S.TIME_FLAG]], hide_index=True, width="stretch")
    if st.button(tx("do_import"), type="primary", key="import_go"):
        suffix = Path(upload.name).suffix or ".csv"
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"upload{suffix}"
            path.write_bytes(data)
            try:
                result = ingest_file(path, ctx.incident["id"], engine=engine(), mapping=mapping,
                                     actor=st.session_state.get("lp_user", "dashboard"))
            except IngestError as exc:
                st.error(md_escape(exc))
                st.stop()
        incidents_table.clear()
        st.success(tx("done", rows=result.rows, added=result.added))

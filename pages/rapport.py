"""Scanrapport: the omgevingsanalyse one-pager for the OVD-C, one versioned snapshot per click.

Everything generated from messages (theme labels, words) and the analyst's advice is shown
as plain text (`st.text`, dataframe cells), never as markdown or HTML.
"""

import pandas as pd
import streamlit as st

from pages._context import page_context
from pages._data import engine, moments
from pages._login import allowed
from pages._panels import header, representativeness_panel
from pages._text import fmt_time, lang, show_error, tr
from pipeline.governance import policy as governance
from pipeline.governance.release import release_snapshot
from pipeline.render.textsafe import md_escape
from pipeline.views import report as R

TEXTS = {
    "title": {"nl": "Scanrapport", "en": "Scan report"},
    "intro": {"nl": "Eén klik maakt de omgevingsanalyse voor de OVD-C van de huidige stand (alle "
                    "platforms en talen; de filters in de zijbalk gelden hier niet). Elk rapport wordt "
                    "als versie bewaard.",
              "en": "One click produces the scan for the OVD-C of the current picture (all platforms and "
                    "languages; the sidebar filters do not apply here). Every report is kept as a version."},
    "window": {"nl": "Venster (minuten)", "en": "Window (minutes)"},
    "advice": {"nl": "Advies van de omgevingsanalist", "en": "Advice of the analyst"},
    "advice_help": {"nl": "Komt als platte tekst in het rapport; links, e-mailadressen, telefoonnummers "
                          "en @namen worden daarin vervangen, zoals in berichten.",
                    "en": "Goes into the report as plain text; links, e-mail addresses, phone numbers "
                          "and @names are replaced, as in messages."},
    "generate": {"nl": "Maak scanrapport", "en": "Make scan report"},
    "generated": {"nl": "Versie {v} gemaakt en bewaard.", "en": "Version {v} generated and stored."},
    "no_export": {"nl": "Uw rol mag rapporten bekijken maar niet maken of downloaden.",
                  "en": "Your role may view reports but not make or download them."},
    "none_yet": {"nl": "Nog geen scanrapport voor dit incident.",
                 "en": "No scan report for this incident yet."},
    "version": {"nl": "Versie", "en": "Version"},
    "preview": {"nl": "Voorbeeld", "en": "Preview"},
    "downloads": {"nl": "Downloaden", "en": "Download"},
    "csv": {"nl": "Tabellen (CSV)", "en": "Tables (CSV)"},
    "release_h": {"nl": "Vrijgeven buiten het team (vier ogen)",
                  "en": "Release outside the team (four eyes)"},
    "released": {"nl": "Versie {v} is vrijgegeven.", "en": "Version {v} has been released."},
    "reason": {"nl": "Reden voor vrijgave", "en": "Reason for release"},
    "request": {"nl": "Vrijgave aanvragen", "en": "Request release"},
    "requested": {"nl": "Vrijgave aangevraagd; een tweede persoon moet goedkeuren.",
                  "en": "Release requested; a second person must approve."},
    "pending": {"nl": "Wacht op goedkeuring (aangevraagd door {who}, reden: {reason}).",
                "en": "Waiting for approval (requested by {who}, reason: {reason})."},
    "approve": {"nl": "Goedkeuren", "en": "Approve"},
    "reject": {"nl": "Afwijzen", "en": "Reject"},
    "approved": {"nl": "Goedgekeurd door {who}.", "en": "Approved by {who}."},
    "rejected": {"nl": "Het laatste verzoek is afgewezen.", "en": "The last request was rejected."},
    "do_release": {"nl": "Vrijgeven", "en": "Release"},
    "no_release_right": {"nl": "Uw rol kan geen vrijgave aanvragen.",
                         "en": "Your role cannot request a release."},
    "log": {"nl": "Logboek van rapporten", "en": "Report log"},
    "cols": {"nl": "Versie|Stand|Venster (min)|Auteur|Gemaakt|Vrijgegeven",
             "en": "Version|As of|Window (min)|Author|Created|Released"},
    "yes": {"nl": "ja", "en": "yes"},
    "no": {"nl": "nee", "en": "no"},
}
KEY_FILES = "rapport_files"  # session cache of rendered downloads per (incident, version, released)
WINDOWS = [15, 30, 60, 90, 120, 180, 240]

ctx = page_context("rapport")
incident_id = int(ctx.incident["id"])
header(tr(TEXTS, "title"), ctx)
can_export = allowed(ctx.user, "export.report")
st.caption(tr(TEXTS, "intro"))

if can_export:
    window = st.select_slider(tr(TEXTS, "window"), WINDOWS, value=60, key="rapport_window")
    advice = st.text_area(tr(TEXTS, "advice"), key="rapport_advice", help=tr(TEXTS, "advice_help"),
                          max_chars=4000)
    if st.button(tr(TEXTS, "generate"), key="rapport_generate", type="primary"):
        frame = ctx.all_messages[ctx.all_messages["created_at"] <= ctx.now]
        report = R.build_report(frame, moments(incident_id), ctx.incident, at=ctx.now, window=int(window),
                                advice=advice, lang=lang())
        report["author"] = str(ctx.user.get("username", ""))
        version = R.save_snapshot(engine(), incident_id, report, report["author"], role=ctx.role)
        st.session_state["rapport_version"] = version
        st.success(tr(TEXTS, "generated", v=version))
else:
    st.info(tr(TEXTS, "no_export"))

log = R.list_snapshots(engine(), incident_id)
if log.empty:
    st.info(tr(TEXTS, "none_yet"))
    representativeness_panel(ctx)
    st.stop()

versions = log["version"].tolist()
if st.session_state.get("rapport_version") not in versions:
    st.session_state["rapport_version"] = versions[0]
stands = dict(zip(log["version"], log["picture_at"], strict=True))
version = st.selectbox(tr(TEXTS, "version"), versions, key="rapport_version",
                       format_func=lambda v: f"v{v} · {fmt_time(stands[v], with_date=True)}")
report = R.load_snapshot(engine(), incident_id, int(version))


def show_preview(rep: dict) -> None:
    """Draw the report with plain Streamlit elements (no markdown of generated text)."""
    title, stand, counts = R.header_lines(rep)
    with st.container(border=True):
        st.subheader(md_escape(title), anchor=False)
        st.text(stand)
        st.text(counts)
        for kind, content in R.document_blocks(rep):
            if kind == "h2":
                st.subheader(md_escape(content), anchor=False, divider="gray")
            elif kind in ("p", "small", "caption", "advice"):
                st.text(content)
            elif kind == "ul":
                st.text("\n".join(f"• {line}" for line in content))
            elif kind == "table":
                head, rows = content
                st.dataframe(pd.DataFrame(rows, columns=head), hide_index=True, width="stretch")
            elif kind == "charts":
                left, right = st.columns([7, 3])
                alt_volume, alt_isb = R.chart_alt_texts(rep)
                left.image(R.volume_chart_svg(rep, standalone=True), width="stretch", alt=alt_volume)
                right.image(R.isb_chart_svg(rep, standalone=True), width="stretch", alt=alt_isb)


def rendered(rep: dict, ver: int) -> dict[str, bytes]:
    """Return the download files of a version, rendered once per session."""
    files = st.session_state.setdefault(KEY_FILES, {})
    key = (incident_id, ver, bool(rep.get("released")))
    if key not in files:
        files[key] = {"pdf": R.render_pdf(rep), "html": R.render_html(rep).encode("utf-8"),
                      "md": R.render_markdown(rep).encode("utf-8"),
                      "csv": R.tables_csv(rep).encode("utf-8")}
    return files[key]


def log_download(fmt: str, ver: int) -> None:
    """Audit one download of a report version."""
    governance.log_action(engine(), ctx.user, R.EXPORT_ACTION, R.snapshot_object(incident_id, ver),
                          incident_id=incident_id, details={"format": fmt, "version": ver})


st.subheader(tr(TEXTS, "preview"), anchor=False)
show_preview(report)

if can_export:
    st.subheader(tr(TEXTS, "downloads"), anchor=False)
    files = rendered(report, int(version))
    stem = f"scanrapport_{incident_id}_v{version}"
    cols = st.columns(4)
    for col, (fmt, label, mime) in zip(cols, (("pdf", "PDF", "application/pdf"),
                                              ("html", "HTML", "text/html"),
                                              ("md", "Markdown", "text/markdown"),
                                              ("csv", tr(TEXTS, "csv"), "text/csv")), strict=True):
        col.download_button(label, files[fmt], file_name=f"{stem}.{fmt}", mime=mime,
                            key=f"rapport_dl_{fmt}", on_click=log_download, args=(fmt, int(version)))

# --- four-eyes release -------------------------------------------------------------------------------
st.subheader(tr(TEXTS, "release_h"), anchor=False)
obj = R.snapshot_object(incident_id, int(version))
if report.get("released"):
    st.success(tr(TEXTS, "released", v=version))
else:
    requests = governance.list_approvals(engine())
    requests = requests[(requests["object"] == obj) & (requests["action"] == R.RELEASE_ACTION)]
    pending = requests[requests["status"] == governance.APPROVAL_PENDING]
    approved = requests[requests["status"] == governance.APPROVAL_APPROVED]
    if not approved.empty:
        st.info(tr(TEXTS, "approved", who=md_escape(approved.iloc[-1]["decided_by"])))
        if allowed(ctx.user, R.RELEASE_ACTION) and st.button(tr(TEXTS, "do_release"), key="rapport_release"):
            try:
                release_snapshot(engine(), ctx.user, incident_id, int(version))
                st.rerun()
            except governance.PermissionDenied as exc:
                show_error(exc)
    elif not pending.empty:
        req = pending.iloc[-1]
        st.text(tr(TEXTS, "pending", who=req["requested_by"], reason=req["reason"]))
        if allowed(ctx.user, f"approve.{R.RELEASE_ACTION}"):
            left, right = st.columns(2)
            decision = None
            if left.button(tr(TEXTS, "approve"), key="rapport_approve"):
                decision = True
            if right.button(tr(TEXTS, "reject"), key="rapport_reject"):
                decision = False
            if decision is not None:
                try:
                    governance.decide(engine(), int(req["id"]), ctx.user, decision)
                    st.rerun()
                except (governance.PermissionDenied, governance.ApprovalError) as exc:
                    show_error(exc)
    else:
        if (requests["status"] == governance.APPROVAL_REJECTED).any():
            st.warning(tr(TEXTS, "rejected"))
        if allowed(ctx.user, R.RELEASE_ACTION):
            reason = st.text_input(tr(TEXTS, "reason"), key="rapport_reason")
            if st.button(tr(TEXTS, "request"), key="rapport_request"):
                try:
                    governance.request_approval(engine(), ctx.user, R.RELEASE_ACTION, obj, reason,
                                                incident_id=incident_id)
                    st.rerun()
                except (ValueError, governance.PermissionDenied) as exc:
                    show_error(exc)
        else:
            st.caption(tr(TEXTS, "no_release_right"))

# --- the log ------------------------------------------------------------------------------------------
st.subheader(tr(TEXTS, "log"), anchor=False)
yes, no = tr(TEXTS, "yes"), tr(TEXTS, "no")
table = pd.DataFrame({
    "v": log["version"],
    "stand": [fmt_time(t, with_date=True) for t in log["picture_at"]],
    "w": log["window_minutes"],
    "author": log["author"],
    "created": [fmt_time(t, with_date=True) for t in log["created_at"]],
    "released": [yes if r else no for r in log["released"]],
})
table.columns = tr(TEXTS, "cols").split("|")
st.dataframe(table, hide_index=True, width="stretch")
representativeness_panel(ctx)

"""The yearly accountability report ("jaarverantwoording") for the annual report of the region.

`accountability_report(engine, year)` gathers, for one calendar year
(Europe/Amsterdam), from the store only:

* the incidents monitored (purpose, legal basis, responsible officer, duration,
  message volume from `messages`, or from `aggregates` once purged);
* use: page views and exports counted per role and action, denied attempts,
  logins (never per person, unless `include_users=True` for the internal appendix);
* imports, deletions on request and retention purges;
* four-eyes requests (requested / approved / rejected / pending);
* the public summaries afterwards ("door deze tool konden we ...") that a second person
  approved for the year's incidents (`pipeline/governance/publish.py`);
* classifier accuracy from `data/accuracy.json` when present;
* whether the audit hash chain verifies, and the hash of the year's last entry
  (publish it: any later change to that part of the log becomes visible).

`render_markdown` / `render_html` turn the dict into a document; `write_report`
writes `.md`, `.html` or `.pdf` (PDF needs the optional `weasyprint`).
"""

from __future__ import annotations

import html
import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Engine

from pipeline.config import DATA_DIR
from pipeline.governance.auth import ROLE_LABELS, ROLES
from pipeline.governance.policy import action_label
from pipeline.governance.publish import published_summary
from pipeline.schema import TIME_ZONE
from pipeline.storage import approvals as approval_rows
from pipeline.storage import audit as audit_rows
from pipeline.storage import retention as retention_rows
from pipeline.storage import store
from pipeline.storage import users as user_rows

TZ = TIME_ZONE
ACCURACY_FILE = DATA_DIR / "accuracy.json"
PURGE_ACTIONS = ("purge",)  # written by pipeline.governance.retention
DELETE_ACTIONS = ("delete",)
INGEST_ACTIONS = ("ingest",)
EXPORT_PREFIXES = ("export.", "audit.export", "report.")
APPROVAL_STATUSES = ("pending", "approved", "rejected")


# --- gathering ------------------------------------------------------------------------------------
def year_bounds(year: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Return the UTC start (inclusive) and end (exclusive) of calendar `year` in the Netherlands."""
    start = pd.Timestamp(year=year, month=1, day=1, tz=TZ).tz_convert("UTC")
    end = pd.Timestamp(year=year + 1, month=1, day=1, tz=TZ).tz_convert("UTC")
    return start, end


def _incidents(engine: Engine, start: pd.Timestamp, end: pd.Timestamp, now: pd.Timestamp) -> tuple[
        list[dict[str, Any]], int]:
    table = store.list_incidents(engine)
    rows: list[dict[str, Any]] = []
    n_demo = 0
    for inc in table.to_dict("records") if not table.empty else []:
        stop = inc["closed_at"] if pd.notna(inc["closed_at"]) else None
        if stop is None and pd.notna(inc["end_at"]) and inc["end_at"] <= now:
            stop = inc["end_at"]
        last = stop if stop is not None else now
        if not (inc["start_at"] < end and last >= start):
            continue
        if inc["is_demo"]:
            n_demo += 1
            continue
        purged = inc["purged_at"] if pd.notna(inc["purged_at"]) else None
        n_messages, source = int(inc["n_messages"]), "messages"
        if purged is not None or n_messages == 0:
            n_agg = retention_rows.kept_total(engine, int(inc["id"]))
            if n_agg or purged is not None:
                n_messages, source = n_agg, "aggregates"
        rows.append({
            "id": int(inc["id"]), "name": inc["name"], "purpose": inc["purpose"],
            "legal_basis": inc["legal_basis"], "responsible_officer": inc["responsible_officer"],
            "start": inc["start_at"], "end": stop, "ongoing": stop is None,
            "duration_hours": round((last - inc["start_at"]).total_seconds() / 3600, 1),
            "retention_days": int(inc["retention_days"]), "purged_at": purged,
            "n_messages": n_messages, "volume_source": source,
        })
    rows.sort(key=lambda r: (r["start"], r["id"]))
    return rows, n_demo


def _details(raw: str) -> dict[str, Any]:
    try:
        value = json.loads(raw or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _nested_counts(frame: pd.DataFrame, outer: str, inner: str) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for (a, b), n in frame.groupby([outer, inner]).size().items():
        out[str(a) or "-"][str(b)] = int(n)
    return {k: dict(sorted(v.items())) for k, v in sorted(out.items())}


def _usage(log: pd.DataFrame, include_users: bool) -> dict[str, Any]:
    ok = log[log["outcome"] == "ok"]
    views = ok[ok["action"].str.startswith("page.")]
    exports = ok[ok["action"].str.startswith(EXPORT_PREFIXES) | (ok["action"] == "view.examples")]
    logins = log[log["action"] == "auth.login"]
    denied = log[(log["outcome"] == "denied") & (log["action"] != "auth.login")]
    active = log[(log["outcome"] == "ok") & (log["role"].isin(ROLES))]
    usage: dict[str, Any] = {
        "views": _nested_counts(views, "role", "action"),
        "exports": _nested_counts(exports, "role", "action"),
        "denied": {str(k): int(v) for k, v in denied.groupby("action").size().sort_index().items()},
        "logins": {"ok": int((logins["outcome"] == "ok").sum()),
                   "denied": int((logins["outcome"] == "denied").sum())},
        "active_users_per_role": {r: int(active.loc[active["role"] == r, "actor"].nunique()) for r in ROLES},
        "label_corrections": int((ok["action"] == "label.correct").sum()),
        "user_changes": {str(k): int(v) for k, v in ok[ok["action"].str.startswith("user.")]
                         .groupby("action").size().sort_index().items()},
    }
    if include_users:
        people = log[log["action"].str.startswith(("page.", "view.", "export.", "report.", "audit.",
                                                    "approval.", "label."))]
        usage["per_user"] = _nested_counts(people, "actor", "action")
    return usage


def _data_events(log: pd.DataFrame) -> dict[str, Any]:
    def total(rows: pd.DataFrame, key: str) -> int:
        return int(sum(int(_details(d).get(key, 0) or 0) for d in rows["details"]))

    ok = log[log["outcome"] == "ok"]
    ingests = ok[ok["action"].isin(INGEST_ACTIONS)]
    purges = ok[ok["action"].isin(PURGE_ACTIONS)]
    deletes = log[log["action"].isin(DELETE_ACTIONS)]
    return {
        "imports": len(ingests), "messages_imported": total(ingests, "added"),
        "imports_refused": int((log["action"].isin(INGEST_ACTIONS) & (log["outcome"] != "ok")).sum()),
        "purges": len(purges), "messages_purged": total(purges, "messages_deleted"),
        "deletion_requests": len(deletes),
        "deletion_requests_not_found": int((deletes["outcome"] == "not_found").sum()),
        "messages_deleted_on_request": total(deletes, "deleted"),
    }


def _approvals(engine: Engine, start: pd.Timestamp, end: pd.Timestamp) -> dict[str, dict[str, int]]:
    frame = approval_rows.requested_between(engine, start.to_pydatetime(), end.to_pydatetime())
    out: dict[str, dict[str, int]] = {}
    for action, group in frame.groupby("action") if not frame.empty else []:
        counts = Counter(group["status"])
        out[str(action)] = {"requested": len(group), **{s: int(counts.get(s, 0)) for s in APPROVAL_STATUSES}}
    return dict(sorted(out.items()))


def _summaries(engine: Engine, incidents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return the published public summary of each listed incident (four-eyes approved), in incident order."""
    out = []
    for inc in incidents:
        summary = published_summary(engine, inc["id"])
        if summary is not None:
            out.append({"incident": inc["name"], "learned": summary["learned"], "changed": summary["changed"],
                        "published_at": summary["published_at"]})
    return out


def load_accuracy(path: Path | str | None = ACCURACY_FILE) -> dict[str, Any]:
    """Return `{"available": bool, "values": {...}}` from the classifier's accuracy file (tolerant)."""
    if path is None or not Path(path).is_file():
        return {"available": False, "values": {}, "source": str(path or "")}
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return {"available": False, "values": {}, "source": str(path), "error": str(exc)}
    values: dict[str, Any] = {}
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(value, str | int | float | bool) or value is None:
                values[str(key)] = value
            elif isinstance(value, dict):
                for sub, v in value.items():
                    if isinstance(v, str | int | float | bool):
                        values[f"{key}.{sub}"] = v
    return {"available": bool(values), "values": dict(list(values.items())[:40]), "source": str(path)}


def _audit_state(engine: Engine, log_year: pd.DataFrame) -> dict[str, Any]:
    problems = store.verify_audit(engine)
    n_total = audit_rows.count_entries(engine)
    last = log_year.sort_values("id").iloc[-1] if not log_year.empty else None
    return {"intact": not problems, "problems": problems[:20], "n_problems": len(problems),
            "entries_total": n_total, "entries_year": len(log_year),
            "last_id": int(last["id"]) if last is not None else None,
            "last_hash": str(last["hash"]) if last is not None else ""}


def accountability_report(engine: Engine, year: int, *, include_users: bool = False,
                          accuracy_path: Path | str | None = ACCURACY_FILE) -> dict[str, Any]:
    """Return the figures of `year` as a dict (per-user counts only with `include_users`)."""
    start, end = year_bounds(year)
    now = pd.Timestamp(store.now_utc())
    incidents, n_demo = _incidents(engine, start, end, now)
    log = audit_rows.entries_between(engine, start.to_pydatetime(), end.to_pydatetime())
    if log.empty:
        log = pd.DataFrame(columns=list(audit_rows.REPORT_COLUMNS))
    log = log.astype({"actor": str, "role": str, "action": str, "outcome": str, "details": str})
    registered = {r: 0 for r in ROLES} | user_rows.active_per_role(engine)
    return {
        "year": year, "generated_at": now, "period": (start, end), "internal": include_users,
        "incidents": incidents, "demo_incidents": n_demo,
        "messages_total": sum(i["n_messages"] for i in incidents),
        "registered_users": registered,
        "usage": _usage(log, include_users),
        "data": _data_events(log),
        "approvals": _approvals(engine, start, end),
        "summaries": _summaries(engine, incidents),
        "accuracy": load_accuracy(accuracy_path),
        "audit": _audit_state(engine, log),
    }


# --- rendering --------------------------------------------------------------------------------------
T = {
    "title": {"nl": "Verantwoording sociale-mediamonitoring {year}",
              "en": "Accountability report social media monitoring {year}"},
    "intro": {"nl": "Dit overzicht komt rechtstreeks uit Luisterpost (database en auditlog). Het bevat "
                    "geen namen van inwoners of medewerkers en geen berichtteksten.",
              "en": "This overview comes straight from Luisterpost (database and audit log). It holds "
                    "no names of residents or staff and no message texts."},
    "internal_note": {"nl": "INTERN — bevat een bijlage per medewerker. Niet publiceren.",
                      "en": "INTERNAL — contains a per-staff appendix. Do not publish."},
    "generated": {"nl": "Opgesteld op", "en": "Generated at"},
    "h_incidents": {"nl": "Incidenten waarbij gemonitord is", "en": "Incidents monitored"},
    "no_incidents": {"nl": "In dit jaar is bij geen enkel incident gemonitord.",
                     "en": "No incident was monitored this year."},
    "demo": {"nl": "Daarnaast {n} demo-incident(en) met synthetische gegevens (niet meegeteld).",
             "en": "Plus {n} demo incident(s) with synthetic data (not counted)."},
    "cols_inc": {"nl": ["Incident", "Doel", "Grondslag", "Verantwoordelijke", "Start", "Einde",
                        "Duur (uur)", "Berichten", "Bewaartermijn (dagen)", "Opgeschoond"],
                 "en": ["Incident", "Purpose", "Legal basis", "Responsible", "Start", "End",
                        "Duration (h)", "Messages", "Retention (days)", "Purged"]},
    "ongoing": {"nl": "loopt nog", "en": "ongoing"},
    "from_agg": {"nl": " (uit tellingen)", "en": " (from counts)"},
    "total_messages": {"nl": "Totaal berichten", "en": "Total messages"},
    "h_summaries": {"nl": "Achteraf: door deze tool konden we …",
                    "en": "Afterwards: thanks to this tool we could …"},
    "summaries_intro": {"nl": "Publieke samenvattingen per incident, gepubliceerd na goedkeuring door een "
                              "tweede persoon (vier-ogenprincipe).",
                        "en": "Public summaries per incident, published after approval by a second person "
                              "(four-eyes principle)."},
    "cols_sum": {"nl": ["Incident", "Wat we leerden", "Wat we veranderden", "Gepubliceerd"],
                 "en": ["Incident", "What we learned", "What we changed", "Published"]},
    "no_summaries": {"nl": "Geen gepubliceerde samenvatting.", "en": "No published summary."},
    "h_users": {"nl": "Gebruikers en rollen", "en": "Users and roles"},
    "cols_users": {"nl": ["Rol", "Actieve accounts (nu)", "Actief geweest dit jaar"],
                   "en": ["Role", "Active accounts (now)", "Active this year"]},
    "h_views": {"nl": "Bekeken schermen (aantal keer, per rol)", "en": "Screens viewed (times, per role)"},
    "h_exports": {"nl": "Exports, rapporten en voorbeeldberichten (per rol)",
                  "en": "Exports, reports and example messages (per role)"},
    "cols_ra": {"nl": ["Rol", "Handeling", "Aantal"], "en": ["Role", "Action", "Count"]},
    "none": {"nl": "Geen.", "en": "None."},
    "h_denied": {"nl": "Geweigerde pogingen", "en": "Denied attempts"},
    "cols_denied": {"nl": ["Handeling", "Aantal"], "en": ["Action", "Count"]},
    "logins": {"nl": "Inlogpogingen: {ok} gelukt, {denied} geweigerd.",
               "en": "Login attempts: {ok} succeeded, {denied} denied."},
    "labels": {"nl": "Handmatige labelcorrecties: {n}.", "en": "Manual label corrections: {n}."},
    "user_changes": {"nl": "Wijzigingen in accounts: {text}.", "en": "Account changes: {text}."},
    "h_data": {"nl": "Gegevens: import, verwijdering en opschoning", "en": "Data: import, deletion, purge"},
    "cols_data": {"nl": ["Wat", "Aantal"], "en": ["What", "Count"]},
    "data_rows": {"nl": {"imports": "Imports", "messages_imported": "Berichten geïmporteerd",
                         "imports_refused": "Imports geweigerd",
                         "purges": "Opschoonrondes (bewaartermijn verstreken)",
                         "messages_purged": "Berichten verwijderd bij opschonen",
                         "deletion_requests": "Verwijderverzoeken",
                         "deletion_requests_not_found": "Verwijderverzoeken zonder gevonden bericht",
                         "messages_deleted_on_request": "Berichten verwijderd op verzoek"},
                  "en": {"imports": "Imports", "messages_imported": "Messages imported",
                         "imports_refused": "Imports refused", "purges": "Purges (retention ended)",
                         "messages_purged": "Messages deleted by purges",
                         "deletion_requests": "Deletion requests",
                         "deletion_requests_not_found": "Deletion requests with no message found",
                         "messages_deleted_on_request": "Messages deleted on request"}},
    "h_approvals": {"nl": "Vier-ogenprincipe", "en": "Four-eyes principle"},
    "cols_appr": {"nl": ["Handeling", "Aangevraagd", "Goedgekeurd", "Afgewezen", "Open"],
                  "en": ["Action", "Requested", "Approved", "Rejected", "Pending"]},
    "h_accuracy": {"nl": "Nauwkeurigheid van de classificatie", "en": "Classifier accuracy"},
    "no_accuracy": {"nl": "Geen meting beschikbaar (data/accuracy.json ontbreekt of is onleesbaar).",
                    "en": "No measurement available (data/accuracy.json missing or unreadable)."},
    "cols_acc": {"nl": ["Maat", "Waarde"], "en": ["Measure", "Value"]},
    "h_audit": {"nl": "Auditlog", "en": "Audit log"},
    "audit_ok": {"nl": "De hash-keten van het auditlog is intact ({n} regels in totaal, {y} in dit jaar).",
                 "en": "The audit log's hash chain is intact ({n} entries in total, {y} this year)."},
    "audit_bad": {"nl": "LET OP: de hash-keten van het auditlog is NIET intact ({k} problemen). "
                        "Meld dit aan de FG/CISO.",
                  "en": "WARNING: the audit log's hash chain is NOT intact ({k} problems). "
                        "Report this to the DPO/CISO."},
    "seal": {"nl": "Laatste regel van dit jaar: nr. {id}, hash `{h}`. Wie dit getal later vergelijkt, "
                   "ziet of het log achteraf is veranderd.",
             "en": "Last entry of this year: no. {id}, hash `{h}`. Comparing this value later shows "
                   "whether the log was changed afterwards."},
    "h_per_user": {"nl": "Interne bijlage: handelingen per medewerker",
                   "en": "Internal appendix: actions per staff member"},
    "cols_pu": {"nl": ["Medewerker", "Handeling", "Aantal"], "en": ["Staff member", "Action", "Count"]},
}


def _t(key: str, lang: str, **kwargs: Any) -> Any:
    value = T[key][lang]
    return value.format(**kwargs) if kwargs and isinstance(value, str) else value


def _fmt_time(ts: Any) -> str:
    if ts is None or (not isinstance(ts, str) and pd.isna(ts)):
        return ""
    return pd.Timestamp(ts).tz_convert(TZ).strftime("%Y-%m-%d %H:%M")


def _role(role: str, lang: str) -> str:
    return ROLE_LABELS[lang].get(role, role or "-")


def _ra_rows(nested: dict[str, dict[str, int]], lang: str) -> list[list[str]]:
    return [[_role(r, lang), action_label(a, lang), str(n)] for r, actions in nested.items()
            for a, n in actions.items()]


def _blocks(report: dict[str, Any], lang: str) -> list[tuple[str, Any]]:
    """Return the document as (kind, content) blocks: h1, h2, p, table (header, rows)."""
    b: list[tuple[str, Any]] = [("h1", _t("title", lang, year=report["year"]))]
    if report.get("internal"):
        b.append(("p", "**" + _t("internal_note", lang) + "**"))
    b.append(("p", _t("intro", lang)))
    b.append(("p", f"{_t('generated', lang)}: {_fmt_time(report['generated_at'])}"))
    b.append(("h2", _t("h_incidents", lang)))
    if report["incidents"]:
        rows = [[i["name"], i["purpose"], i["legal_basis"], i["responsible_officer"], _fmt_time(i["start"]),
                 _t("ongoing", lang) if i["ongoing"] else _fmt_time(i["end"]), f"{i['duration_hours']:g}",
                 f"{i['n_messages']}" + (_t("from_agg", lang) if i["volume_source"] == "aggregates" else ""),
                 str(i["retention_days"]), _fmt_time(i["purged_at"])] for i in report["incidents"]]
        b.append(("table", (_t("cols_inc", lang), rows)))
        b.append(("p", f"{_t('total_messages', lang)}: {report['messages_total']}"))
    else:
        b.append(("p", _t("no_incidents", lang)))
    if report.get("demo_incidents"):
        b.append(("p", _t("demo", lang, n=report["demo_incidents"])))
    b.append(("h2", _t("h_summaries", lang)))
    summaries = report.get("summaries", [])
    if summaries:
        b.append(("p", _t("summaries_intro", lang)))
        b.append(("table", (_t("cols_sum", lang), [[s["incident"], s["learned"], s["changed"],
                                                     _fmt_time(s["published_at"])] for s in summaries])))
    else:
        b.append(("p", _t("no_summaries", lang)))
    usage = report["usage"]
    b.append(("h2", _t("h_users", lang)))
    b.append(("table", (_t("cols_users", lang), [
        [_role(r, lang), str(report["registered_users"].get(r, 0)),
         str(usage["active_users_per_role"].get(r, 0))] for r in ROLES])))
    b.append(("p", _t("logins", lang, **usage["logins"])))
    if usage["user_changes"]:
        text = ", ".join(f"{k} {v}" for k, v in usage["user_changes"].items())
        b.append(("p", _t("user_changes", lang, text=text)))
    for key, head in (("views", "h_views"), ("exports", "h_exports")):
        b.append(("h2", _t(head, lang)))
        rows = _ra_rows(usage[key], lang)
        b.append(("table", (_t("cols_ra", lang), rows)) if rows else ("p", _t("none", lang)))
    b.append(("p", _t("labels", lang, n=usage["label_corrections"])))
    b.append(("h2", _t("h_denied", lang)))
    denied = [[action_label(a, lang), str(n)] for a, n in usage["denied"].items()]
    b.append(("table", (_t("cols_denied", lang), denied)) if denied else ("p", _t("none", lang)))
    b.append(("h2", _t("h_data", lang)))
    names = _t("data_rows", lang)
    b.append(("table", (_t("cols_data", lang), [[names[k], str(v)] for k, v in report["data"].items()])))
    b.append(("h2", _t("h_approvals", lang)))
    appr = [[action_label(a, lang)] + [str(c[k]) for k in ("requested", "approved", "rejected", "pending")]
            for a, c in report["approvals"].items()]
    b.append(("table", (_t("cols_appr", lang), appr)) if appr else ("p", _t("none", lang)))
    b.append(("h2", _t("h_accuracy", lang)))
    acc = report["accuracy"]
    if acc["available"]:
        b.append(("table", (_t("cols_acc", lang), [[k, f"{v:.3f}" if isinstance(v, float) else str(v)]
                                                    for k, v in acc["values"].items()])))
    else:
        b.append(("p", _t("no_accuracy", lang)))
    b.append(("h2", _t("h_audit", lang)))
    audit = report["audit"]
    if audit["intact"]:
        b.append(("p", _t("audit_ok", lang, n=audit["entries_total"], y=audit["entries_year"])))
    else:
        b.append(("p", "**" + _t("audit_bad", lang, k=audit["n_problems"]) + "**"))
    if audit["last_id"] is not None:
        b.append(("p", _t("seal", lang, id=audit["last_id"], h=audit["last_hash"])))
    if "per_user" in usage:
        b.append(("h2", _t("h_per_user", lang)))
        rows = [[u, action_label(a, lang), str(n)] for u, acts in usage["per_user"].items()
                for a, n in acts.items()]
        b.append(("table", (_t("cols_pu", lang), rows)) if rows else ("p", _t("none", lang)))
    return b


def _md_cell(value: Any) -> str:
    # Names and purposes are typed by people: keep them from breaking the table or becoming markup.
    text = str(value).replace("\r", " ").replace("\n", " ")
    for ch in "\\|*_`[]<>#":
        text = text.replace(ch, "\\" + ch)
    return text


def render_markdown(report: dict[str, Any], lang: str = "nl") -> str:
    """Return the report as Markdown in Dutch ("nl") or English ("en")."""
    if lang not in ("nl", "en"):
        raise ValueError("lang must be 'nl' or 'en'")
    out: list[str] = []
    for kind, content in _blocks(report, lang):
        if kind == "h1":
            out += [f"# {content}", ""]
        elif kind == "h2":
            out += [f"## {content}", ""]
        elif kind == "p":
            out += [content, ""]
        else:
            header, rows = content
            out.append("| " + " | ".join(header) + " |")
            out.append("|" + "---|" * len(header))
            out += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def _html_inline(text: str) -> str:
    escaped = html.escape(text)
    parts = escaped.split("**")
    escaped = "".join(f"<strong>{p}</strong>" if i % 2 else p for i, p in enumerate(parts))
    parts = escaped.split("`")
    return "".join(f"<code>{p}</code>" if i % 2 else p for i, p in enumerate(parts))


def render_html(report: dict[str, Any], lang: str = "nl") -> str:
    """Return the report as a standalone HTML page (all values escaped)."""
    if lang not in ("nl", "en"):
        raise ValueError("lang must be 'nl' or 'en'")
    body: list[str] = []
    title = ""
    for kind, content in _blocks(report, lang):
        if kind == "h1":
            title = content
            body.append(f"<h1>{html.escape(content)}</h1>")
        elif kind == "h2":
            body.append(f"<h2>{html.escape(content)}</h2>")
        elif kind == "p":
            body.append(f"<p>{_html_inline(content)}</p>")
        else:
            header, rows = content
            head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
            cells = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>"
                            for row in rows)
            body.append(f"<table><thead><tr>{head}</tr></thead><tbody>{cells}</tbody></table>")
    style = ("body{font-family:'DejaVu Sans',Arial,sans-serif;font-size:9.5pt;color:#1a1a1a;margin:0}"
             "h1{color:#154273;font-size:18pt}h2{color:#154273;font-size:13pt;margin-top:1.4em}"
             "table{border-collapse:collapse;margin:.5em 0;width:100%;table-layout:fixed}"
             "th,td{border:1px solid #c8d2dc;padding:3px 5px;text-align:left;vertical-align:top;"
             "overflow-wrap:anywhere}"
             "th{background:#f3f6f9}code{font-size:8.5pt;word-break:break-all}"
             "@page{size:A4 landscape;margin:1.5cm}@media screen{body{margin:2em}}")
    return (f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
            f"<title>{html.escape(title)}</title><style>{style}</style></head>\n<body>\n"
            + "\n".join(body) + "\n</body></html>\n")


def write_report(report: dict[str, Any], path: Path | str, lang: str = "nl") -> Path:
    """Write the report to `path` as .md, .html or .pdf (by suffix) and return the path."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".md":
        path.write_text(render_markdown(report, lang), encoding="utf-8")
    elif suffix in (".html", ".htm"):
        path.write_text(render_html(report, lang), encoding="utf-8")
    elif suffix == ".pdf":
        try:
            from weasyprint import HTML  # heavy optional dependency: imported on first use
        except ImportError as exc:  # optional dependency
            raise RuntimeError("PDF vraagt het pakket weasyprint / PDF needs the weasyprint package; "
                               "kies .md of .html / choose .md or .html") from exc
        HTML(string=render_html(report, lang)).write_pdf(str(path))
    else:
        raise ValueError(f"unsupported output {suffix!r}; use .md, .html or .pdf")
    return path



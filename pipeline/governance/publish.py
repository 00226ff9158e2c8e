"""Openbaar: the public transparency page for residents, as a static site and as data for `/openbaar`.

Contract:

* `public_facts(engine)` gathers, per monitored incident, only what a resident may see:
  name, period, purpose, legal basis, responsible officer (a function, as typed by the
  beheerder), the platforms present in the incident's data (declared sources as a
  fallback), message volume, retention period, purged yes/no with date, the scan reports
  released through four-eyes approval (as a public digest, see below) and the published
  "Achteraf" summary; plus the measured classifier accuracy on real data
  (`data/accuracy.json`, read generically), the public explanation
  (`docs/PUBLIEKSTEKST.md` / `.en.md`) and the contact point (`LUISTERPOST_CONTACT`).
  Nothing message-level: no message text, no example, no pseudonym, no author count
  below `PUBLIC_K` (10, or the configured k when that is higher), no term or theme label
  shared by fewer than `PUBLIC_K` distinct authors. Internal advice to the CoPI is left out.
* Demo incidents are shown (marked) only when the store holds no real incident, unless
  `include_demo` says otherwise.
* `render_page(facts, lang)` / `render_report(facts, incident, report, lang)` render HTML with
  Jinja2 (autoescape on): Dutch (`index.html`) and English (`en/index.html`), inline CSS,
  no JavaScript, no external requests. `write_site(facts, out)` writes the whole site.
* The public summary ("Achteraf: door deze tool konden we ..."): `write_summary` (beheerder,
  closed incident only) asks a four-eyes approval for `summary.publish`; `decide_summary` by
  a *second* person publishes or rejects it (self-approval refused); every step is audited.
* `cli` is `python -m pipeline publish`, `summary_cli` is `python -m pipeline summary`.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup
from sqlalchemy import Engine

from pipeline import schema as S
from pipeline.config import DATA_DIR, REPO_ROOT, get_settings
from pipeline.governance import policy as governance
from pipeline.render import tableformat
from pipeline.schema import TIME_ZONE
from pipeline.storage import retention as retention_rows
from pipeline.storage import store
from pipeline.storage import summaries as summary_rows
from pipeline.views.aggregate import LANGUAGE_NAMES
from pipeline.views.report import RELEASE_ACTION, list_snapshots, load_snapshot, snapshot_object

TZ = TIME_ZONE
PUBLIC_K = 10
ACCURACY_FILE = DATA_DIR / "accuracy.json"
DOCS_DIR = REPO_ROOT / "docs"
SUMMARY_ACTION = "summary.publish"
MAX_SUMMARY_CHARS = 2000
STATUS_PENDING, STATUS_PUBLISHED, STATUS_REJECTED = "pending", "published", "rejected"
PLATFORM_NAMES = {"twitter": "X (Twitter)", "x": "X (Twitter)", "facebook": "Facebook",
                  "instagram": "Instagram", "tiktok": "TikTok", "reddit": "Reddit",
                  "nieuwssite": "nieuwssites", "website": "websites", "youtube": "YouTube",
                  "mastodon": "Mastodon", "bluesky": "Bluesky", "telegram": "Telegram"}
PLATFORM_NAMES_EN = {"nieuwssite": "news sites", "website": "websites"}

T: dict[str, dict[str, str]] = {
    "title": {"nl": "Sociale media bij incidenten: wat wij volgen en waarom",
              "en": "Social media during incidents: what we monitor and why"},
    "intro": {"nl": ("Op deze pagina ziet u bij welke incidenten wij openbare berichten op sociale media "
                     "hebben gevolgd, waarom, hoe lang wij ze bewaren en wat wij ervan leerden. U ziet hier "
                     "alleen totalen: geen berichten, geen namen en geen accountnamen."),
              "en": ("This page shows for which incidents we followed public social media posts, why, how "
                     "long we keep them and what we learned. It shows totals only: no posts, no names and "
                     "no account names.")},
    "other_lang": {"nl": "English version", "en": "Nederlandse versie"},
    "caveat_title": {"nl": "Let op", "en": "Please note"},
    "caveat": {"nl": ("Sociale media zijn niet representatief voor de bevolking: je ziet wie er post, niet "
                      "wat inwoners denken — het stille midden telt niet mee. Wij gebruiken dit beeld alleen "
                      "naast andere bronnen, zoals meldingen bij de hulpdiensten en vragen aan ons "
                      "informatienummer."),
               "en": ("Social media do not represent the population: they show who posts, not what residents "
                      "think — the silent majority is not counted. We only use this picture next to other "
                      "sources, such as calls to the emergency services and questions to our information "
                      "line.")},
    "updated": {"nl": "Bijgewerkt op {t}", "en": "Updated {t}"},
    "h_incidents": {"nl": "Incidenten waarbij wij sociale media volgden",
                    "en": "Incidents for which we followed social media"},
    "no_incidents": {"nl": "Er is nog bij geen enkel incident gemonitord.",
                     "en": "No incident has been monitored yet."},
    "demo": {"nl": "DEMO — verzonnen incident met synthetische berichten, geen echte personen.",
             "en": "DEMO — made-up incident with synthetic posts, no real people."},
    "period": {"nl": "Periode", "en": "Period"},
    "purpose": {"nl": "Doel", "en": "Purpose"},
    "legal_basis": {"nl": "Wettelijke grondslag", "en": "Legal basis"},
    "officer": {"nl": "Verantwoordelijk (functie)", "en": "Responsible (function)"},
    "sources": {"nl": "Bronnen", "en": "Sources"},
    "volume": {"nl": "Verzamelde berichten", "en": "Posts collected"},
    "retention": {"nl": "Bewaartermijn", "en": "Retention period"},
    "purged": {"nl": "Berichten verwijderd", "en": "Posts deleted"},
    "ongoing": {"nl": "loopt nog", "en": "ongoing"},
    "since": {"nl": "sinds {start} — {ongoing}", "en": "since {start} — {ongoing}"},
    "from_to": {"nl": "{start} tot {end}", "en": "{start} to {end}"},
    "retention_text": {"nl": "{days} dagen na het einde van het incident",
                       "en": "{days} days after the end of the incident"},
    "purged_yes": {"nl": "ja, op {t}; alleen tellingen per uur zijn bewaard",
                   "en": "yes, on {t}; only hourly counts were kept"},
    "purged_due": {"nl": "nee; gepland rond {t}", "en": "no; planned around {t}"},
    "purged_overdue": {"nl": ("nee; de termijn liep af op {t}, verwijdering volgt bij de eerstvolgende "
                              "opschoning"),
                       "en": "no; the period ended on {t}, deletion follows at the next purge"},
    "purged_open": {"nl": "nee; het incident loopt nog", "en": "no; the incident is still ongoing"},
    "no_sources": {"nl": "nog geen", "en": "none yet"},
    "h_reports": {"nl": "Vrijgegeven scanrapporten", "en": "Released scan reports"},
    "no_reports": {"nl": "Er is (nog) geen scanrapport vrijgegeven.",
                   "en": "No scan report has been released."},
    "report_line": {"nl": "Scanrapport versie {v}: beeld van {t} (laatste {w} minuten)",
                    "en": "Scan report version {v}: picture at {t} (last {w} minutes)"},
    "h_summary": {"nl": "Achteraf: door deze tool konden we …",
                  "en": "Afterwards: thanks to this tool we could …"},
    "learned": {"nl": "Wat we leerden", "en": "What we learned"},
    "changed": {"nl": "Wat we veranderden in onze communicatie",
                "en": "What we changed in our communication"},
    "published_on": {"nl": "Gepubliceerd op {t}, na goedkeuring door een tweede persoon.",
                     "en": "Published {t}, after approval by a second person."},
    "dutch_only": {"nl": "", "en": "(Available in Dutch only.)"},
    "no_summary": {"nl": "Nog geen samenvatting gepubliceerd.", "en": "No summary published yet."},
    "h_algorithm": {"nl": "Het computerprogramma (algoritmeregister)",
                    "en": "The computer program (algorithm register)"},
    "h_accuracy": {"nl": "Hoe vaak het programma het goed heeft",
                   "en": "How often the program gets it right"},
    "accuracy_intro": {
        "nl": ("Gemeten op echte, door mensen gelabelde berichten uit eerdere crises (niet op onze eigen "
               "oefenberichten). F1 loopt van 0 (nooit goed) tot 1 (altijd goed); tussen haakjes de "
               "onzekerheid (95%-interval). Lage waarden betekenen: dit onderdeel is nog onbetrouwbaar; een "
               "medewerker controleert het beeld altijd."),
        "en": ("Measured on real posts from earlier crises, labelled by people (not on our own practice "
               "posts). F1 runs from 0 (never right) to 1 (always right); in brackets the uncertainty "
               "(95% interval). Low values mean: this part is still unreliable; a staff member always checks "
               "the picture.")},
    "accuracy_cols": {"nl": "Onderdeel|Gemeten op|Taal|Berichten|F1 (95%-interval)",
                      "en": "Part|Measured on|Language|Posts|F1 (95% interval)"},
    "accuracy_meta": {"nl": "Versie {v}, gemeten op {t}.", "en": "Version {v}, measured {t}."},
    "no_accuracy": {"nl": "Nog niet gemeten.", "en": "Not yet measured."},
    "h_explanation": {"nl": "Uitleg voor inwoners", "en": "Explanation for residents"},
    "h_contact": {"nl": "Contact", "en": "Contact"},
    "contact_intro": {"nl": ("Heeft u een vraag, wilt u weten of wij een bericht van u hebben, of wilt u "
                             "dat wij het verwijderen? Neem contact op:"),
                      "en": ("Do you have a question, do you want to know whether we hold a post of yours, "
                             "or do you want us to delete it? Get in touch:")},
    "no_contact": {"nl": "Contactgegevens zijn nog niet ingesteld (LUISTERPOST_CONTACT).",
                   "en": "Contact details have not been configured yet (LUISTERPOST_CONTACT)."},
    "complaint": {"nl": ("Een klacht over hoe wij met gegevens omgaan? Neem contact op met onze functionaris "
                         "gegevensbescherming; daarna kunt u terecht bij de Autoriteit Persoonsgegevens."),
                  "en": ("A complaint about how we handle data? Contact our data protection officer; after "
                         "that you can turn to the Dutch Data Protection Authority (Autoriteit "
                         "Persoonsgegevens).")},
    "report_title": {"nl": "Scanrapport {name}, versie {v}", "en": "Scan report {name}, version {v}"},
    "report_intro": {"nl": ("Publieke samenvatting van een scanrapport dat na goedkeuring door een tweede "
                            "persoon is vrijgegeven. Alleen totalen; onderwerpen alleen als minstens {k} "
                            "verschillende accounts erover schreven."),
                     "en": ("Public digest of a scan report released after approval by a second person. "
                            "Totals only; topics only when at least {k} different accounts wrote about "
                            "them.")},
    "back": {"nl": "Terug naar het overzicht", "en": "Back to the overview"},
    "window_counts": {"nl": "{n} berichten van {a} in de laatste {w} minuten vóór {t}.",
                      "en": "{n} posts by {a} in the {w} minutes before {t}."},
    "authors": {"nl": "{n} verschillende accounts", "en": "{n} different accounts"},
    "few_authors": {"nl": "minder dan {k} verschillende accounts", "en": "fewer than {k} different accounts"},
    "h_blocks": {"nl": "Waar de berichten over gingen", "en": "What the posts were about"},
    "h_categories": {"nl": "Soorten berichten", "en": "Kinds of posts"},
    "kind": {"nl": "Soort", "en": "Kind"},
    "theme_counts": {"nl": "{n} berichten, {a} accounts", "en": "{n} posts, {a} accounts"},
    "blocks_cols": {"nl": "Onderwerp|Berichten|Verschillende mensen", "en": "Topic|Posts|Different people"},
    "h_themes": {"nl": "Onderwerpen (minstens {k} verschillende accounts)",
                 "en": "Topics (at least {k} different accounts)"},
    "no_themes": {"nl": "Geen onderwerp met minstens {k} verschillende accounts.",
                  "en": "No topic shared by at least {k} different accounts."},
    "h_languages": {"nl": "Vragen in andere talen dan Nederlands",
                    "en": "Questions in languages other than Dutch"},
    "fewer": {"nl": "< {k}", "en": "< {k}"},
}

ALGORITHM = {
    "nl": [
        ("Wat het doet", "Tijdens een incident leest het programma openbare berichten over dat incident. Het "
         "herkent de taal, kijkt of een bericht over het incident gaat, en deelt het in: een vraag, iets wat "
         "iemand ziet of ruikt, wat mensen doen, gezondheidsklachten, hulp, emoties, kritiek, medeleven of "
         "een gerucht. Het telt hoeveel berichten en hoeveel verschillende mensen dat zijn, en groepeert "
         "berichten met dezelfde woorden in onderwerpen. Het gebruikt vaste regels (woordenlijsten) en een "
         "eenvoudig model dat medewerkers zelf hebben getraind; geen generatieve AI."),
        ("Wat het niet doet", "Het beslist niets over personen en maakt geen profielen. Namen van plaatsers "
         "worden vervangen door een code; @-namen, e-mailadressen, telefoonnummers en links worden "
         "weggehaald voordat iets wordt opgeslagen. Een onderwerp verschijnt pas als meerdere verschillende "
         "mensen erover schrijven."),
        ("Grenzen", "Het programma maakt fouten, vooral bij ironie, korte berichten en andere talen dan "
         "Nederlands en Engels. Sociale media zijn niet representatief. Een medewerker controleert het beeld "
         "altijd en gebruikt het naast andere bronnen."),
    ],
    "en": [
        ("What it does", "During an incident the program reads public posts about that incident. It "
         "recognises the language, checks whether a post is about the incident, and sorts it: a question, "
         "something someone sees or smells, what people do, health complaints, help, emotions, criticism, "
         "sympathy or a rumour. It counts how many posts and how many different people, and groups posts "
         "with the same words into topics. It uses fixed rules (word lists) and a simple model trained by "
         "staff; no generative AI."),
        ("What it does not do", "It decides nothing about persons and builds no profiles. Names of posters "
         "are replaced by a code; @-names, e-mail addresses, phone numbers and links are removed before "
         "anything is stored. A topic appears only when several different people write about it."),
        ("Limits", "The program makes mistakes, especially with irony, short posts and languages other than "
         "Dutch and English. Social media are not representative. A staff member always checks the picture "
         "and uses it next to other sources."),
    ],
}


def text(key: str, lang: str, **kwargs: Any) -> str:
    """Return the public page's text `key` in `lang` ("nl" or "en")."""
    value = T[key].get(lang, T[key]["nl"])
    return value.format(**kwargs) if kwargs else value


_t = text


def public_k() -> int:
    """Return the public threshold: 10 distinct authors, or the configured k when that is higher."""
    return max(PUBLIC_K, int(get_settings().min_authors))


def contact() -> dict[str, str]:
    """Return the contact point from the environment (`LUISTERPOST_CONTACT`, `LUISTERPOST_ORGANISATION`)."""
    return {"text": os.environ.get("LUISTERPOST_CONTACT", "").strip()[:500],
            "organisation": os.environ.get("LUISTERPOST_ORGANISATION", "").strip()[:200]}


# --- formatting -------------------------------------------------------------------------------
def fmt_time(ts: Any, with_time: bool = True) -> str:
    """Return a time as Europe/Amsterdam '11-07-2026 13:10' (24-hour), or '' for none."""
    if ts is None or (not isinstance(ts, str) and pd.isna(ts)):
        return ""
    t = pd.Timestamp(ts)
    t = t.tz_localize("UTC") if t.tzinfo is None else t
    return t.tz_convert(TZ).strftime("%d-%m-%Y %H:%M" if with_time else "%d-%m-%Y")


def fmt_int(n: int, lang: str) -> str:
    """Return a count with a thousands separator (Dutch: '12.345')."""
    return tableformat.number(int(n), lang)


def fmt_dec(x: float, lang: str, digits: int = 2) -> str:
    """Return a decimal number with a decimal comma in Dutch (`tableformat.number`)."""
    return tableformat.number(float(x), lang, digits)


def platform_name(code: str, lang: str) -> str:
    """Return a readable platform name."""
    code = str(code).strip().lower()
    if lang == "en" and code in PLATFORM_NAMES_EN:
        return PLATFORM_NAMES_EN[code]
    return PLATFORM_NAMES.get(code, code[:1].upper() + code[1:60])


# --- gathering ---------------------------------------------------------------------------------
def _declared_sources(value: Any) -> list[str]:
    """Return platform names from an incident's declared `sources` (strings or dicts; tolerant)."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            value = [value]
    out = []
    for item in value if isinstance(value, list | tuple) else []:
        if isinstance(item, Mapping):
            item = item.get("platform") or item.get("name") or item.get("kind") or item.get("type") or ""
        if isinstance(item, str) and item.strip():
            out.append(item.strip().lower()[:60])
    return out


def incident_sources(engine: Engine, incident: Mapping[str, Any]) -> list[str]:
    """Return the platforms present in the incident's data (messages or kept counts), else the declared."""
    found = summary_rows.platforms(engine, int(incident["id"]))
    found.discard("")
    return sorted(found) if found else sorted(set(_declared_sources(incident.get("sources"))))


def _volume(engine: Engine, incident: Mapping[str, Any], n_messages: int) -> int:
    if incident.get("purged_at") is None and n_messages:
        return int(n_messages)
    return retention_rows.kept_total(engine, int(incident["id"])) or int(n_messages)


def public_report(report: Mapping[str, Any], k: int = PUBLIC_K) -> dict[str, Any]:
    """Return the public digest of a released scan report: totals, and labels only with >= k authors.

    Leaves out the advice, the kernbeeld sentences, example quotes, uptake terms, every
    row (theme, language) shared by fewer than `k` distinct authors, every theme whose
    label quotes a whole message and every theme whose label fewer than `k` wrote; author counts
    below k are returned as None ("fewer than k").
    """
    def authors(n: Any) -> int | None:
        return int(n) if int(n or 0) >= k else None

    def themes(rows: Any) -> list[dict[str, Any]]:
        # a label that quotes a whole message (`report.quotes_message`) is message-level, and one
        # that fewer than k wrote in the window (`report.label_authors`; unknown in a report
        # stored before 2026-12-07) could name few people: both left out
        return [{"label": str(r.get("label", ""))[:120], "n": int(r.get("n", 0)),
                 "authors": int(r["authors"])}
                for r in rows or [] if isinstance(r, Mapping) and int(r.get("authors", 0) or 0) >= k
                and int(r.get("label_authors", 0) or 0) >= k
                and str(r.get("label", "")).strip() and not r.get("quotes_message")]

    counts = report.get("counts", {})
    info = report.get("informatiebehoefte", {}) or {}
    schade = report.get("schadebeperking", {}) or {}
    groups = [
        ("vraag", themes(info.get("questions"))),
        ("gezondheid", themes(schade.get("health_themes"))),
        ("handelen", themes(schade.get("behaviour_themes"))),
        ("kritiek", themes((report.get("betekenisgeving", {}) or {}).get("criticism_themes"))),
        ("gerucht", themes((report.get("geruchten", {}) or {}).get("themes"))),
    ]
    languages = [{"code": str(x.get("code", ""))[:10], "n": int(x.get("n", 0)), "authors": int(x["authors"])}
                 for x in info.get("question_languages") or []
                 if isinstance(x, Mapping) and int(x.get("authors", 0) or 0) >= k]
    return {
        "version": int(report.get("version", 0)),
        "picture_at": str(report.get("picture_at", "")),
        "window_minutes": int(report.get("window_minutes", 0)),
        "messages_window": int(counts.get("messages_window", 0)),
        "authors_window": authors(counts.get("authors_window", 0)),
        "blocks": [{"key": str(b.get("key")), "n": int(b.get("n", 0)),
                    "authors": authors(b.get("authors", 0))}
                   for b in report.get("blocks", []) if isinstance(b, Mapping)],
        "categories": [{"key": str(code), "n": int(r.get("n", 0)), "authors": authors(r.get("authors", 0))}
                       for code, r in (report.get("categories", {}) or {}).items() if isinstance(r, Mapping)],
        "themes": [{"category": code, **row} for code, rows in groups for row in rows],
        "languages": languages,
        "k": k,
    }


def released_reports(engine: Engine, incident_id: int, k: int = PUBLIC_K) -> list[dict[str, Any]]:
    """Return the public digests of the incident's released (four-eyes) scan reports, newest first."""
    out = []
    snaps = list_snapshots(engine, incident_id)
    for version in snaps.loc[snaps["released"], "version"].tolist() if not snaps.empty else []:
        if not governance.is_approved(engine, RELEASE_ACTION, snapshot_object(incident_id, int(version))):
            continue  # released without a recorded second person: not public
        out.append(public_report(load_snapshot(engine, incident_id, int(version)), k))
    return out


def _measurements(report: Mapping[str, Any]) -> pd.DataFrame:
    """Return one row per (dataset, category) with n, f1 and its interval, from any accuracy report.

    Tolerant of the file's evolution: a dataset is any mapping with "categories"; a category
    needs an "f1"; "ci" (or "f1_ci") and "n" are optional.
    """
    rows = []
    datasets = report.get("datasets", {}) if isinstance(report, Mapping) else {}
    for name, entry in (datasets.items() if isinstance(datasets, Mapping) else []):
        if not isinstance(entry, Mapping) or not isinstance(entry.get("categories"), Mapping):
            continue
        for code, m in entry["categories"].items():
            if not isinstance(m, Mapping) or not isinstance(m.get("f1"), int | float):
                continue
            ci = m.get("ci", m.get("f1_ci"))
            low, high = (ci[0], ci[1]) if isinstance(ci, list | tuple) and len(ci) == 2 else (None, None)
            rows.append({"dataset": str(name), "category": str(code),
                         "language": str(entry.get("language", "und")),
                         "n": int(entry.get("n", m.get("n", 0)) or 0), "f1": float(m["f1"]),
                         "f1_low": None if low is None else float(low),
                         "f1_high": None if high is None else float(high)})
    return pd.DataFrame(rows, columns=["dataset", "category", "language", "n", "f1", "f1_low", "f1_high"])


def accuracy_rows(path: Path | str | None = ACCURACY_FILE) -> dict[str, Any]:
    """Return the classifier accuracy measured on real data: one row per category.

    Reads `data/accuracy.json` generically (another process may retrain and rewrite it); leaves
    out the team's own test set (`gold_*`, optimistic), sets the model partly saw, synthetic
    sets and baselines. Per category: Dutch measurements first, then the largest set.
    """
    empty = {"available": False, "rows": [], "version": "", "measured_at": ""}
    try:
        report = json.loads(Path(path).read_text(encoding="utf-8")) if path else {}
    except (OSError, ValueError):
        return empty
    table = _measurements(report)
    if table.empty:
        return empty
    ds = table["dataset"]
    real = table[~ds.str.startswith("gold") & ~ds.str.contains("partly seen|synthetic|demo", regex=True)
                 & table["category"].isin(S.CATEGORY_CODES)]
    rows = []
    for code in S.CATEGORY_CODES:
        sub = real[real["category"] == code]
        if code == "ruis" and sub["dataset"].str.contains("relevance").any():
            sub = sub[sub["dataset"].str.contains("relevance")]
        if sub.empty:
            continue
        if (sub["language"] == "nl").any():  # residents read Dutch: Dutch measurements first
            sub = sub[sub["language"] == "nl"]
        r = sub.sort_values("n", ascending=False, kind="stable").iloc[0]
        rows.append({k: (None if k.startswith("f1_") and pd.isna(r[k]) else r[k]) for k in r.index})
        rows[-1].update(n=int(r["n"]), f1=float(r["f1"]))
    return {"available": bool(rows), "rows": rows, "version": str(report.get("version", "")),
            "measured_at": str(report.get("measured_at", ""))}


def public_text(lang: str) -> list[dict[str, Any]]:
    """Return docs/PUBLIEKSTEKST(.en).md as blocks (h2, p, ul) without the editor's notes and contact section.

    Paragraph text is a list of (bold, text) parts; the renderer escapes it.
    """
    path = DOCS_DIR / ("PUBLIEKSTEKST.en.md" if lang == "en" else "PUBLIEKSTEKST.md")
    try:
        source = path.read_text(encoding="utf-8")
    except OSError:
        return []
    blocks: list[dict[str, Any]] = []
    skip = False
    for chunk in re.split(r"\n\s*\n", source):
        chunk = chunk.strip()
        if not chunk or chunk.startswith("# "):
            continue
        if chunk.startswith("## "):
            title = chunk[3:].strip()
            skip = title.lower() in {"contact"}  # the contact point comes from the configuration
            if not skip:
                blocks.append({"kind": "h", "text": title})
            continue
        if skip or (chunk.startswith("*") and chunk.endswith("*") and not chunk.startswith("**")):
            continue  # the editor's note in italics
        chunk = re.sub(r"\[(\d+)\]", r"\1", chunk)
        if chunk.startswith("- "):
            items = [re.sub(r"\s+", " ", i) for i in re.split(r"\n- ", chunk[2:])]
            blocks.append({"kind": "ul", "items": [_parts(i) for i in items]})
        else:
            blocks.append({"kind": "p", "parts": _parts(re.sub(r"\s+", " ", chunk))})
    return blocks


def _parts(text: str) -> list[tuple[bool, str]]:
    return [(i % 2 == 1, part) for i, part in enumerate(text.split("**")) if part]


def public_facts(engine: Engine, *, include_demo: bool | None = None,
                 accuracy_path: Path | str | None = ACCURACY_FILE) -> dict[str, Any]:
    """Return everything the public page shows (see the module docstring); JSON-friendly values."""
    k = public_k()
    table = store.list_incidents(engine)
    records = table.to_dict("records") if not table.empty else []
    if include_demo is None:
        include_demo = not any(not r["is_demo"] for r in records)
    incidents = []
    for inc in records:
        if inc["is_demo"] and not include_demo:
            continue
        closed = inc["closed_at"] if pd.notna(inc["closed_at"]) else None
        purged = inc["purged_at"] if pd.notna(inc["purged_at"]) else None
        end_at = inc["end_at"] if pd.notna(inc["end_at"]) else None
        due = closed + pd.Timedelta(days=int(inc["retention_days"])) if closed is not None else None
        incidents.append({
            "id": int(inc["id"]), "name": str(inc["name"]), "is_demo": bool(inc["is_demo"]),
            "purpose": str(inc["purpose"]), "legal_basis": str(inc["legal_basis"]),
            "officer": str(inc["responsible_officer"]),
            "start": inc["start_at"], "closed": closed, "planned_end": end_at,
            "retention_days": int(inc["retention_days"]), "purged_at": purged, "purge_due": due,
            "sources": incident_sources(engine, inc),
            "n_messages": _volume(engine, inc, int(inc.get("n_messages", 0) or 0)),
            "reports": released_reports(engine, int(inc["id"]), k),
            "summary": published_summary(engine, int(inc["id"])),
        })
    return {"generated_at": pd.Timestamp(store.now_utc()), "k": k, "contact": contact(),
            "incidents": incidents, "accuracy": accuracy_rows(accuracy_path)}


# --- view model (shared by the static site and the Streamlit page) ---------------------------------
def incident_view(inc: Mapping[str, Any], lang: str) -> dict[str, Any]:
    """Return the incident's public facts as display strings in `lang` (label, value rows etc.)."""
    start = fmt_time(inc["start"])
    if inc["closed"] is not None:
        period = _t("from_to", lang, start=start, end=fmt_time(inc["closed"]))
    else:
        period = _t("since", lang, start=start, ongoing=_t("ongoing", lang))
    if inc["purged_at"] is not None:
        purged = _t("purged_yes", lang, t=fmt_time(inc["purged_at"], with_time=False))
    elif inc["purge_due"] is not None:
        key = "purged_overdue" if inc["purge_due"] <= pd.Timestamp(store.now_utc()) else "purged_due"
        purged = _t(key, lang, t=fmt_time(inc["purge_due"], with_time=False))
    else:
        purged = _t("purged_open", lang)
    sources = ", ".join(platform_name(s, lang) for s in inc["sources"]) or _t("no_sources", lang)
    rows = [(_t("period", lang), period), (_t("purpose", lang), inc["purpose"]),
            (_t("legal_basis", lang), inc["legal_basis"]), (_t("officer", lang), inc["officer"]),
            (_t("sources", lang), sources), (_t("volume", lang), fmt_int(inc["n_messages"], lang)),
            (_t("retention", lang), _t("retention_text", lang, days=inc["retention_days"])),
            (_t("purged", lang), purged)]
    reports = [{"version": r["version"], "file": report_file(inc, r),
                "line": _t("report_line", lang, v=r["version"], t=fmt_time(r["picture_at"]),
                           w=r["window_minutes"])} for r in inc["reports"]]
    summary = None
    if inc["summary"]:
        s = inc["summary"]
        learned, changed = s["learned"], s["changed"]
        note = ""
        if lang == "en":
            if s.get("learned_en"):
                learned, changed = s["learned_en"], s.get("changed_en") or s["changed"]
            else:
                note = _t("dutch_only", lang)
        summary = {"learned": learned, "changed": changed, "note": note,
                   "published": _t("published_on", lang, t=fmt_time(s["published_at"], with_time=False))}
    return {"id": inc["id"], "name": inc["name"], "is_demo": inc["is_demo"], "rows": rows,
            "reports": reports, "summary": summary}


def report_view(report: Mapping[str, Any], lang: str) -> dict[str, Any]:
    """Return a report digest as display strings in `lang`."""
    k = report["k"]

    def people(n: int | None) -> str:
        return fmt_int(n, lang) if n is not None else _t("fewer", lang, k=k)

    a = report["authors_window"]
    head = _t("window_counts", lang, n=fmt_int(report["messages_window"], lang),
              a=_t("authors", lang, n=fmt_int(a, lang)) if a is not None else _t("few_authors", lang, k=k),
              w=report["window_minutes"], t=fmt_time(report["picture_at"]))
    blocks = [(S.ISB_LABELS[lang].get(b["key"], b["key"]), fmt_int(b["n"], lang), people(b["authors"]))
              for b in report["blocks"]]
    def label(code: str) -> str:
        cat = S.CATEGORIES_BY_CODE[code]
        return cat.label_en if lang == "en" else cat.label_nl

    cats = [(label(c["key"]) if c["key"] in S.CATEGORIES_BY_CODE else c["key"], fmt_int(c["n"], lang),
             people(c["authors"])) for c in report["categories"]]
    themes = [(label(t["category"]) if t["category"] in S.CATEGORIES_BY_CODE else t["category"], t["label"],
               fmt_int(t["n"], lang), fmt_int(t["authors"], lang)) for t in report["themes"]]
    names = LANGUAGE_NAMES.get(lang, LANGUAGE_NAMES["nl"])
    languages = [(names.get(x["code"], x["code"]), fmt_int(x["n"], lang), fmt_int(x["authors"], lang))
                 for x in report["languages"]]
    return {"head": head, "blocks": blocks, "categories": cats, "themes": themes, "languages": languages}


def accuracy_view(acc: Mapping[str, Any], lang: str) -> list[tuple[str, str, str, str, str]]:
    """Return the accuracy rows as display strings (part, data set, language, n, 'F1 (low–high)')."""
    out = []
    for r in acc.get("rows", []):
        cat = S.CATEGORIES_BY_CODE.get(r["category"])
        name = (cat.label_en if lang == "en" else cat.label_nl) if cat else r["category"]
        interval = (f" ({fmt_dec(r['f1_low'], lang)}–{fmt_dec(r['f1_high'], lang)})"
                    if r.get("f1_low") is not None and r.get("f1_high") is not None else "")
        out.append((name, r["dataset"], r["language"], fmt_int(r["n"], lang) if r["n"] else "–",
                    fmt_dec(r["f1"], lang) + interval))
    return out


def report_file(inc: Mapping[str, Any], report: Mapping[str, Any]) -> str:
    """Return the relative file name of a released report's public page."""
    return f"rapporten/incident-{int(inc['id'])}-v{int(report['version'])}.html"


# --- rendering (Jinja2, autoescape) ------------------------------------------------------------
CSS = """
:root{--blue:#154273;--text:#1a1a1a;--muted:#4a4a4a;--line:#c8d2dc;--bg:#f3f6f9}
*{box-sizing:border-box}
body{font-family:"DejaVu Sans",Verdana,Arial,sans-serif;font-size:1.05rem;line-height:1.55;color:var(--text);
background:#fff;margin:0}
.skip{position:absolute;left:-999px;top:0;background:#fff;color:var(--blue);padding:.5em}
.skip:focus{left:.5em}
header,main,footer{max-width:52rem;margin:0 auto;padding:0 1.2rem}
header{border-bottom:4px solid var(--blue);padding-top:1.2rem;padding-bottom:.6rem}
h1{color:var(--blue);font-size:1.8rem;margin:.2em 0}
h2{color:var(--blue);font-size:1.4rem;margin-top:2em;border-bottom:1px solid var(--line)}
h3{color:var(--blue);font-size:1.2rem;margin-top:1.6em}
h4{font-size:1.05rem;margin:1.2em 0 .3em}
a{color:var(--blue)}a:focus{outline:3px solid #e17000;outline-offset:2px}
.meta{color:var(--muted);font-size:.95rem}
.lang{float:right;margin-top:.4rem}
.caveat{background:var(--bg);border-left:5px solid var(--blue);padding:.7em 1em;margin:1.2em 0}
.demo{background:#fff4d6;border:1px solid #8a6100;color:#4d3600;padding:.4em .8em;display:inline-block}
.incident{border:1px solid var(--line);border-radius:6px;padding:0 1.2em 1em;margin:1.2em 0}
table{border-collapse:collapse;width:100%;margin:.6em 0}
th,td{border:1px solid var(--line);padding:.35em .6em;text-align:left;vertical-align:top}
thead th{background:var(--bg)}
th[scope=row]{background:var(--bg);width:32%;font-weight:600}
td.num{text-align:right}
.summary p{white-space:pre-line}
footer{border-top:1px solid var(--line);margin-top:3em;padding-top:1em;padding-bottom:2em;color:var(--muted)}
"""

TEMPLATES = Path(__file__).resolve().parents[1] / "resources" / "publish"


def _env():
    pass

    # autoescape=True for every template: incident names, summaries and labels are untrusted text.
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined)


def _common(facts: Mapping[str, Any], lang: str) -> dict[str, Any]:
    org = facts["contact"].get("organisation", "")

    # Markup: CSS is a constant of this module, not user input (quotes must stay quotes).
    return {"lang": lang, "css": Markup(CSS), "other_lang": "en" if lang == "nl" else "nl",
            "other_label": _t("other_lang", lang), "organisation": org or "Luisterpost",
            "updated": _t("updated", lang, t=fmt_time(facts["generated_at"])),
            "caveat_title": _t("caveat_title", lang), "caveat": _t("caveat", lang)}


def render_page(facts: Mapping[str, Any], lang: str = "nl") -> str:
    """Return the public overview page as HTML (Dutch: `index.html`, English: `en/index.html`)."""
    if lang not in ("nl", "en"):
        raise ValueError("lang must be 'nl' or 'en'")
    acc = facts["accuracy"]
    ctx = {**_common(facts, lang), "title": _t("title", lang),
           "other_href": "en/index.html" if lang == "nl" else "../index.html",
           "incidents": [incident_view(i, lang) for i in facts["incidents"]],
           "accuracy": accuracy_view(acc, lang), "accuracy_cols": _t("accuracy_cols", lang).split("|"),
           "accuracy_meta": _t("accuracy_meta", lang, v=acc.get("version") or "–",
                               t=fmt_time(acc.get("measured_at")) or "–"),
           "algorithm": ALGORITHM[lang], "explanation": public_text(lang),
           "contact": facts["contact"].get("text", "")}
    for key in ("intro", "h_incidents", "no_incidents", "demo", "h_summary", "learned", "changed",
                "no_summary", "h_reports", "no_reports", "h_algorithm", "h_accuracy", "accuracy_intro",
                "no_accuracy", "h_explanation", "h_contact", "contact_intro", "no_contact", "complaint"):
        ctx[key] = _t(key, lang)
    return _env().get_template("index.html").render(**ctx)


def render_report(facts: Mapping[str, Any], incident: Mapping[str, Any], report: Mapping[str, Any],
                  lang: str = "nl") -> str:
    """Return one released report's public digest as HTML (`rapporten/incident-N-vV.html`)."""
    k = report["k"]
    ctx = {**_common(facts, lang),
           "title": _t("report_title", lang, name=incident["name"], v=report["version"]),
           "other_href": (f"../en/{report_file(incident, report)}" if lang == "nl"
                          else f"../../{report_file(incident, report)}"),
           "back_href": "../index.html", "back": _t("back", lang), "intro": _t("report_intro", lang, k=k),
           "view": report_view(report, lang), "cols": _t("blocks_cols", lang).split("|"),
           "h_blocks": _t("h_blocks", lang), "h_categories": _t("h_categories", lang),
           "counts": T["theme_counts"][lang], "h_themes": _t("h_themes", lang, k=k),
           "no_themes": _t("no_themes", lang, k=k), "h_languages": _t("h_languages", lang)}
    return _env().get_template("report.html").render(**ctx)


def write_site(facts: Mapping[str, Any], out: Path | str) -> list[Path]:
    """Write the static site (index.html, en/index.html, released report pages) to `out`; return the files."""
    out = Path(out)
    written = []
    for lang, base in (("nl", out), ("en", out / "en")):
        (base / "rapporten").mkdir(parents=True, exist_ok=True)
        path = base / "index.html"
        path.write_text(render_page(facts, lang), encoding="utf-8")
        written.append(path)
        for inc in facts["incidents"]:
            for report in inc["reports"]:
                path = base / report_file(inc, report)
                path.write_text(render_report(facts, inc, report, lang), encoding="utf-8")
                written.append(path)
    return written


# --- the public summary afterwards (four eyes) ------------------------------------------------------
def summary_object(summary_id: int) -> str:
    """Return the approval/audit object name of a public summary."""
    return f"summary:{int(summary_id)}"


def _clean(text: str, field: str, required: bool = False) -> str:
    text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", str(text or "")).strip()
    if required and not text:
        raise ValueError(f"{field} is verplicht / {field} is required")
    if len(text) > MAX_SUMMARY_CHARS:
        raise ValueError(f"{field}: hoogstens {MAX_SUMMARY_CHARS} tekens / "
                         f"at most {MAX_SUMMARY_CHARS} characters")
    return text


def write_summary(engine: Engine, user: Mapping[str, Any], incident_id: int, learned: str, changed: str = "",
                  learned_en: str = "", changed_en: str = "") -> int:
    """Store a public summary of a closed incident and ask a second person to approve it; return its id.

    Raises ValueError (empty/too long text, unknown or still open incident) and
    `governance.PermissionDenied` (role may not publish summaries; audited).
    """
    actor = str((user or {}).get("username") or "(anoniem)")
    role = str((user or {}).get("role") or "")
    if not user or not user.get("active", False) or not governance.can(role, SUMMARY_ACTION):
        store.audit(engine, actor=actor, role=role, action=SUMMARY_ACTION, obj=f"incident:{incident_id}",
                    outcome="denied", reason="role may not write public summaries",
                    details={"incident_id": incident_id})
        raise governance.PermissionDenied(f"geen toestemming / not permitted: {SUMMARY_ACTION}")
    incident = store.get_incident(engine, int(incident_id))
    if incident is None:
        raise ValueError(f"onbekend incident / unknown incident {incident_id}")
    if incident["closed_at"] is None:
        raise ValueError("Sluit eerst het incident; de samenvatting achteraf hoort bij een gesloten "
                         "incident. / "
                         "Close the incident first; the summary afterwards belongs to a closed incident.")
    values = {"learned": _clean(learned, "learned / wat we leerden", required=True),
              "changed": _clean(changed, "changed / wat we veranderden"),
              "learned_en": _clean(learned_en, "learned_en"), "changed_en": _clean(changed_en, "changed_en")}
    with engine.begin() as conn:
        summary_id = summary_rows.insert_summary(conn, incident_id=int(incident_id), author=actor,
                                                 status=STATUS_PENDING, **values)
        store.write_audit(conn, actor=actor, role=role, action="summary.write",
                          obj=summary_object(summary_id),
                          details={"incident_id": int(incident_id), "chars": len(values["learned"])
                                   + len(values["changed"])})
    approval_id = governance.request_approval(
        engine, user, SUMMARY_ACTION, summary_object(summary_id),
        "publieke samenvatting achteraf / public summary afterwards", incident_id=int(incident_id))
    summary_rows.set_approval(engine, summary_id, approval_id)
    return summary_id


def decide_summary(engine: Engine, approver: Mapping[str, Any], summary_id: int, approve: bool = True,
                   note: str = "") -> str:
    """Approve (publish) or reject a pending summary as a second person; return the new status.

    Self-approval, an inactive approver or a role without `approve.summary.publish` raise
    `governance.PermissionDenied` (audited by `governance.decide`); publishing is audited as
    `summary.publish`.
    """
    row = summary_rows.get(engine, int(summary_id))
    if row is None:
        raise governance.ApprovalError(f"onbekende samenvatting / unknown summary {summary_id}")
    if row.status != STATUS_PENDING or row.approval_id is None:
        raise governance.ApprovalError(
            f"samenvatting {summary_id} is al beslist ({row.status}) / already decided")
    status = governance.decide(engine, int(row.approval_id), approver, approve, note)
    obj = summary_object(int(summary_id))
    published = status == governance.APPROVAL_APPROVED and governance.is_approved(engine, SUMMARY_ACTION, obj)
    actor = str(approver.get("username", ""))
    with engine.begin() as conn:
        summary_rows.set_decision(conn, int(summary_id),
                                  status=STATUS_PUBLISHED if published else STATUS_REJECTED, decided_by=actor,
                                  published_at=store.now_utc() if published else None)
        if published:
            store.write_audit(conn, actor=actor, role=str(approver.get("role", "")), action=SUMMARY_ACTION,
                              obj=obj, details={"incident_id": int(row.incident_id),
                                                "summary_id": int(summary_id), "requested_by": row.author,
                                                "approval_id": int(row.approval_id)})
    return STATUS_PUBLISHED if published else STATUS_REJECTED


def list_summaries(engine: Engine, incident_id: int | None = None, status: str | None = None) -> pd.DataFrame:
    """Return the public summaries (all, or of one incident / with one status), newest first, times UTC.

    The status follows the four-eyes request too: a request approved by a second person in
    the general approvals list (`governance.decide`) publishes the summary just the same.
    """
    df = summary_rows.frame(engine, incident_id)
    for col in ("created_at", "published_at", "approval_at"):
        df[col] = pd.to_datetime(df[col]).dt.tz_localize("UTC").astype("datetime64[us, UTC]")
    if not df.empty:
        pending = df["status"] == STATUS_PENDING
        second = df["approval_by"].fillna("").str.casefold() != df["author"].str.casefold()
        approved = pending & (df["approval_status"] == "approved") & df["approval_by"].notna() & second
        rejected = pending & (df["approval_status"] == "rejected")
        df.loc[approved, "status"] = STATUS_PUBLISHED
        df.loc[approved, "published_at"] = df.loc[approved, "approval_at"]
        df.loc[approved, "decided_by"] = df.loc[approved, "approval_by"]
        df.loc[rejected, "status"] = STATUS_REJECTED
    df = df.drop(columns=["approval_status", "approval_by", "approval_at"])
    return df[df["status"] == status].reset_index(drop=True) if status is not None else df


def published_summary(engine: Engine, incident_id: int) -> dict[str, Any] | None:
    """Return the latest published summary of an incident (texts and publication time), or None."""
    df = list_summaries(engine, incident_id, STATUS_PUBLISHED)
    if df.empty:
        return None
    row = df.sort_values(["published_at", "id"], ascending=False).iloc[0]
    return {"id": int(row["id"]), "learned": str(row["learned"]), "changed": str(row["changed"]),
            "learned_en": str(row["learned_en"]), "changed_en": str(row["changed_en"]),
            "published_at": row["published_at"]}



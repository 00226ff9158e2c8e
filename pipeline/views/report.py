"""The scan report ("Scanrapport"): the omgevingsanalyse one-pager for the OVD-Communicatie.

Contract:

* Data in: an analysed frame (`analysis.analyze` / `analyze_incident`: CREATED_AT,
  AUTHOR, RELEVANT, IS_OFFICIAL, CATEGORIES, THEME, THEME_LABEL, LANGUAGE, TEXT /
  CLEAN_TEXT), the incident's communication moments and the incident dict.
* `build_report(...)` returns the figures as a JSON-serialisable dict: aggregate only
  (counts, distinct-author counts, ratios; no message text, no author pseudonym). A theme,
  a term or a language is named only when >= `min_authors` distinct authors used it in
  the window. Text from messages (theme labels) and from the analyst (advice) is
  untrusted: every renderer escapes it; charts carry no message-derived text at all.
* Population: public messages (`RELEVANT` and not `IS_OFFICIAL`) created in
  (at - window, at]; the trend compares with the window of the same length just before.
* `render_markdown` / `render_html` (self-contained, inline SVG charts from vl-convert,
  A4 print CSS) / `render_pdf` (weasyprint, imported lazily) / `write_report` (by suffix)
  / `tables_csv` (formula-injection-safe, via `export.safe_csv`).
* Every generated report is a versioned snapshot (`save_snapshot`, `list_snapshots`,
  `load_snapshot`; SQL in `storage/snapshots.py`); releasing one outside the team
  (`governance/release.release_snapshot`) needs the four-eyes approval for `report.release`.
* `picture(engine, incident_id, at=...)`: the analysed frame as it was at `at`: only
  messages *created* by `at`, analysed afresh (themes fitted on those messages only), so
  no later message shapes the themes. Messages imported after `at` but created before it
  are included (a demo or late import would otherwise be empty); what was actually
  reported at the time is in the snapshots. See `docs/REPORT.md`.
* `cli` is `python -m pipeline report`.
"""

from __future__ import annotations

import json
import math
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from markupsafe import Markup
from sqlalchemy import Engine

from pipeline import schema as S
from pipeline.analysis import chain as analysis
from pipeline.analysis.normalize import word_tokens
from pipeline.analysis.themes import OTHER_THEME, PhraseAuthors, split_language
from pipeline.config import view_min_authors
from pipeline.ingest.privacy import scrub_free_text
from pipeline.model.evaluate import accuracy_short, accuracy_table, dataset_words, load_accuracy
from pipeline.render import chartformat, documents, tableformat
from pipeline.render.export import safe_csv
from pipeline.schema import TIME_ZONE
from pipeline.storage import snapshots as snapshot_store
from pipeline.storage import store
from pipeline.views.aggregate import (
    CATEGORY_PHRASES,
    LANGUAGE_NAMES,
    TREND_ARROWS,
    TREND_MIN_COUNT,
    as_of,
    category_bullet,
    counts_over_time,
    display_label,
    representativeness,
    trend_of,
)
from pipeline.views.effect import contains_term, effect_table, key_terms, message_tokens, term_uptake
from pipeline.views.timeline import labels_for_k, rising_themes

TZ = TIME_ZONE
DEFAULT_WINDOW_MINUTES = 60
EFFECT_WINDOW = timedelta(minutes=60)
MIN_AFTER = timedelta(minutes=10)  # a moment needs this much "after" before its effect is shown
QUIET_AFTER = timedelta(hours=6)  # no message for this long: the incident counts as finished
# The trend rule lives in pipeline.views.aggregate (one rule for every screen): TREND_UP_RATIO,
# TREND_DOWN_RATIO, TREND_MIN_COUNT, trend_of.
MAX_THEMES = 5
MAX_TERMS = 5
SCHEMA_VERSION = 1
RELEASE_ACTION = "report.release"
EXPORT_ACTION = "export.report"

# Categories per section of the report (the I-S-B model of the safety regions).
ISB_SHOWN = (S.INFORMATIEBEHOEFTE, S.SCHADEBEPERKING, S.BETEKENISGEVING, S.GERUCHTEN)
REPORT_CATEGORIES = ("vraag", "waarneming", "handelen", "gezondheid", "hulp", "emotie", "kritiek",
                     "medeleven", "gerucht")

T: dict[str, dict[str, str]] = {
    "title": {"nl": "Scanrapport sociale media", "en": "Social media scan report"},
    "stand": {"nl": "Stand", "en": "As of"},
    "window": {"nl": "venster: laatste {w}", "en": "window: last {w}"},
    "period": {"nl": "gegevens sinds {start}", "en": "data since {start}"},
    "counts": {"nl": "{n} berichten van {a} auteurs over het incident in het venster · {total} sinds het "
                     "begin · platforms: {platforms}",
               "en": "{n} messages from {a} authors about the incident in the window · {total} since the "
                     "start · platforms: {platforms}"},
    "demo": {"nl": "DEMO — synthetische gegevens, geen echte personen",
             "en": "DEMO — synthetic data, no real people"},
    "version": {"nl": "versie {v}", "en": "version {v}"},
    "h_kern": {"nl": "Kernbeeld", "en": "Key picture"},
    "h_info": {"nl": "Informatiebehoefte", "en": "Information needs"},
    "h_schade": {"nl": "Schadebeperking", "en": "Damage control"},
    "h_beteken": {"nl": "Betekenisgeving", "en": "Sense-making"},
    "h_gerucht": {"nl": "Geruchten", "en": "Rumours"},
    "h_effect": {"nl": "Effect van ons laatste bericht", "en": "Effect of our latest message"},
    "h_advies": {"nl": "Advies omgevingsanalist", "en": "Advice of the analyst"},
    "h_kant": {"nl": "Kanttekeningen", "en": "Caveats"},
    "chart_volume": {"nl": "Berichten per kwartier (publiek, over het incident)",
                     "en": "Messages per 15 minutes (public, about the incident)"},
    # a message counts in one block (schema.isb_of) but in each of its categories: say so where both show
    "chart_isb": {"nl": "I-S-B in het venster (elk bericht telt in één blok; bij de categorieën in elk "
                        "die past)",
                  "en": "I-S-B in the window (each message counts in one block; in the categories in each "
                        "that applies)"},
    "top_questions": {"nl": "Meest gestelde vragen (per thema)", "en": "Most asked questions (by theme)"},
    "rumour_themes": {"nl": "Geruchten om te corrigeren (per thema)", "en": "Rumours to correct (by theme)"},
    "uptake": {"nl": "Handelingsperspectief uit ons bericht van {time} ({channel}) in publieke berichten",
               "en": "Advice from our message of {time} ({channel}) in public messages"},
    "no_uptake": {"nl": "Geen woorden uit ons laatste bericht bij ≥ {k} auteurs terug te zien.",
                  "en": "No words of our latest message seen with ≥ {k} authors."},
    "no_moment": {"nl": "Nog geen eigen bericht met minstens {m} min erna.",
                  "en": "No own message yet with at least {m} min after it."},
    "cols_theme": {"nl": "Thema|Berichten|Auteurs|Ervoor|Trend", "en": "Theme|Messages|Authors|Before|Trend"},
    "cols_term": {"nl": "Woorden|Ervoor|Erna|Auteurs erna", "en": "Words|Before|After|Authors after"},
    "none_k": {"nl": "Geen thema met ≥ {k} auteurs.", "en": "No theme with ≥ {k} authors."},
    "languages_q": {"nl": "Vragen in andere talen: {langs}", "en": "Questions in other languages: {langs}"},
    "mostly": {"nl": "vooral: {labels}", "en": "mostly: {labels}"},
    "advice_empty": {"nl": "(geen advies ingevuld)", "en": "(no advice given)"},
    "caveat": {"nl": ("Sociale media zijn niet representatief voor de bevolking: je ziet wie er post, "
                      "niet wat inwoners denken — het stille midden telt niet mee. Gebruik voor de "
                      "mening van de bevolking een representatieve bron, zoals een flitspeiling."),
               "en": ("Social media do not represent the population: they show who posts, not what "
                      "residents think — the silent majority is not counted. For population opinion "
                      "use a representative source, such as a rapid poll.")},
    "repr": {"nl": ("{a} auteurs ({per} berichten per auteur); de 10 actiefste schreven {top10}; "
                    "reposts {reposts}; zelfde tekst door meerdere auteurs {dups}; {bursts} kopieer-golven; "
                    "niet in de data: {absent}; {gaps} gaten > 15 min in de aanvoer."),
             "en": ("{a} authors ({per} messages per author); the 10 most active wrote {top10}; "
                    "reposts {reposts}; same text by several authors {dups}; {bursts} copy bursts; "
                    "not in the data: {absent}; {gaps} gaps > 15 min in the feed.")},
    "k_rule": {"nl": "Thema's, woorden en talen staan er alleen in bij ≥ {k} verschillende auteurs; "
                     "het rapport citeert geen berichten en noemt geen accounts.",
               "en": "Themes, words and languages are named only with ≥ {k} distinct authors; the "
                     "report quotes no messages and names no accounts."},
    "accuracy": {"nl": "Gemeten nauwkeurigheid van de indeling (F1, 95%-interval; dataset): {items}.",
                 "en": "Measured classifier accuracy (F1, 95% interval; dataset): {items}."},
    "not_measured": {"nl": "niet gemeten", "en": "not measured"},
    "themes_note": {"nl": "Thema's zijn automatisch gevormd en niet op nauwkeurigheid gemeten; labels "
                          "zijn zinsdelen die minstens {k} mensen zo schreven.",
                    "en": "Themes are formed automatically and not measured for accuracy; labels are "
                          "phrases at least {k} people wrote."},
    "effect_none": {"nl": "Geen duidelijke verandering rond ons bericht van {time} (binnen het toeval).",
                    "en": "No clear change around our message of {time} (within chance)."},
    "effect_line": {"nl": "Na '{quote}' ({time}): {group} {ratio} zo vaak (95%-interval {lo}–{hi}; "
                          "{b} berichten in {bh} min ervoor, {a} in {ah} min erna) — samenhang in de "
                          "tijd, geen bewijs van oorzaak.",
                    "en": "After '{quote}' ({time}): {group} {ratio} as often (95% interval {lo}–{hi}; "
                          "{b} messages in {bh} min before, {a} in {ah} min after) — an association "
                          "in time, not proof of cause."},
    "questions_about": {"nl": "vragen over {label}", "en": "questions about {label}"},
    "generated": {"nl": "Gemaakt {time} door {author} met Luisterpost",
                  "en": "Generated {time} by {author} with Luisterpost"},
    "released": {"nl": "Vrijgegeven", "en": "Released"},
    "internal": {"nl": "Intern — nog niet vrijgegeven voor buiten het team",
                 "en": "Internal — not yet released outside the team"},
    "kern_volume": {"nl": "{n} berichten van {a} auteurs over het incident in {w} ({trend}); "
                          "grootste blok: {block} ({share}).",
                    "en": "{n} messages from {a} authors about the incident in {w} ({trend}); "
                          "largest block: {block} ({share})."},
    "kern_rising": {"nl": "Snelst stijgend thema: {reason}.", "en": "Fastest rising theme: {reason}."},
    "kern_quiet": {"nl": "Weinig berichten in het venster ({n} van {a} auteurs): geen kernbeeld met ≥ {k} "
                         "auteurs.",
                   "en": "Few messages in the window ({n} from {a} authors): no key picture with ≥ {k} "
                         "authors."},
}

TREND_TEXT = {
    "nl": {"new": "nieuw", "up": "stijgend", "down": "dalend", "flat": "gelijk",
           "few": "te weinig voor trend", "start": "begin incident"},
    "en": {"new": "new", "up": "rising", "down": "falling", "flat": "steady", "few": "too few for a trend",
           "start": "incident start"},
}
TREND_ARROW = TREND_ARROWS
CATEGORY_TITLES = {
    "nl": {"vraag": "Vragen", "waarneming": "Waarnemingen (zien, horen, ruiken)",
           "handelen": "Gedrag en handelen (blijven/weg, ramen, water, school)",
           "gezondheid": "Gezondheidsklachten", "hulp": "Hulp en opvang",
           "emotie": "Emoties (angst, boosheid, verdriet)", "kritiek": "Kritiek",
           "medeleven": "Medeleven en steun", "gerucht": "Geruchten"},
    "en": {"vraag": "Questions", "waarneming": "Eyewitness reports (see, hear, smell)",
           "handelen": "Behaviour (stay/leave, windows, water, school)",
           "gezondheid": "Health complaints", "hulp": "Help and shelter",
           "emotie": "Emotions (fear, anger, grief)", "kritiek": "Criticism",
           "medeleven": "Sympathy and support", "gerucht": "Rumours"},
}
SECTION_CATEGORIES = {
    S.INFORMATIEBEHOEFTE: ("vraag", "waarneming"),
    S.SCHADEBEPERKING: ("gezondheid", "handelen", "hulp"),
    S.BETEKENISGEVING: ("emotie", "kritiek", "medeleven"),
    S.GERUCHTEN: ("gerucht",),
}


def _t(key: str, lang: str, **kwargs: Any) -> str:
    text = T[key].get(lang, T[key]["nl"])
    return text.format(**kwargs) if kwargs else text


# --- small formatting helpers ----------------------------------------------------------------------
def _utc(ts: Any) -> pd.Timestamp:
    ts = pd.Timestamp(ts)
    return ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")


def _local(ts: Any, fmt: str = "%H:%M") -> str:
    return _utc(ts).tz_convert(TZ).strftime(fmt)


def _num(x: float, lang: str, digits: int = 1) -> str:
    return tableformat.number(x, lang, digits)


def _int(n: int, lang: str) -> str:
    return tableformat.number(int(n), lang)


def _ratio(x: float | None, lang: str) -> str:
    if x is None or not math.isfinite(x):
        return "∞"
    return _num(x, lang, 1 if x < 10 else 0) + "×"


def _pct(x: float) -> str:
    return f"{x:.0%}"


def _minutes(w: int, lang: str) -> str:
    if w % 60 == 0 and w >= 60:
        h = w // 60
        if lang == "en":
            return "hour" if h == 1 else f"{h} hours"
        return "uur" if h == 1 else f"{h} uur"
    return f"{w} min"


def _last(w: int, lang: str) -> str:
    """Return "het laatste uur" / "de laatste 30 min" / "the last 2 hours"."""
    if lang == "en":
        return f"the last {_minutes(w, lang)}"
    return "het laatste uur" if w == 60 else f"de laatste {_minutes(w, lang)}"


def _compared(now: int, before: int, w: int, lang: str, complete: bool = True) -> str:
    """Return "1,2× het uur ervoor" / "nieuw" / "begin incident" for a count against the window before."""
    if not complete:
        return TREND_TEXT[lang]["start"]
    span = ("het uur ervoor" if w == 60 else f"de {_minutes(w, lang)} ervoor") if lang == "nl" else (
        "the hour before" if w == 60 else f"the {_minutes(w, lang)} before")
    if before == 0:
        return TREND_TEXT[lang]["new"]
    return f"{_ratio(now / before, lang)} {span}"


def _finite(x: float) -> float | None:
    return float(x) if x is not None and math.isfinite(float(x)) else None


def trend_text(row: dict[str, Any], lang: str) -> str:
    """Return "↑ stijgend (2,1×)" for a figures row with `trend` and `ratio`."""
    code = row["trend"]
    words = TREND_TEXT.get(lang, TREND_TEXT["nl"])[code]
    if code in ("up", "down", "flat") and row.get("ratio") is not None:
        return f"{TREND_ARROW[code]} {words} ({_ratio(row['ratio'], lang)})"
    return f"{TREND_ARROW[code]} {words}".strip()


# --- the figures --------------------------------------------------------------------------------------
def _public(frame: pd.DataFrame, at: pd.Timestamp) -> pd.DataFrame:
    """Return public messages about the incident created up to `at` (not from official accounts)."""
    frame = as_of(frame, at)  # the one "as of T" (pipeline.views.aggregate)
    if frame.empty:
        return frame
    keep = pd.Series(True, index=frame.index)
    if S.RELEVANT in frame:
        keep &= frame[S.RELEVANT].fillna(False).astype(bool)
    if S.IS_OFFICIAL in frame:
        keep &= ~frame[S.IS_OFFICIAL].fillna(False).astype(bool)
    return frame[keep.to_numpy()]


def _long(df: pd.DataFrame, by: str, at: pd.Timestamp, window: timedelta) -> pd.DataFrame:
    """Return one row per (message, group) with author and period ("now", "before")."""
    times = pd.to_datetime(df[S.CREATED_AT], utc=True)
    period = np.select([((times > at - window) & (times <= at)).to_numpy(),
                        ((times > at - 2 * window) & (times <= at - window)).to_numpy()],
                       ["now", "before"], default="")
    out = pd.DataFrame({"group": df[by].to_numpy(), "author": df[S.AUTHOR].astype(object).to_numpy(),
                        "period": period})
    if by == S.CATEGORIES:
        out["group"] = out["group"].map(lambda c: tuple(c) if isinstance(c, (tuple, list, np.ndarray))
                                        else ())
        out = out.explode("group").dropna(subset=["group"])
    return out[out["period"] != ""]


def _group_rows(long: pd.DataFrame) -> pd.DataFrame:
    """Return per group: n (now), authors (now), baseline (before), ratio, trend."""
    now, before = long[long["period"] == "now"], long[long["period"] == "before"]
    out = pd.DataFrame({"n": now.groupby("group").size(),
                        "authors": now.groupby("group")["author"].nunique(),
                        "baseline": before.groupby("group").size()}).fillna(0).astype("int64")
    out["ratio"] = [n / b if b else None for n, b in zip(out["n"], out["baseline"], strict=True)]
    out["trend"] = [trend_of(n, b) for n, b in zip(out["n"], out["baseline"], strict=True)]
    return out


def _row(group: Any, label: str, stats: pd.DataFrame) -> dict[str, Any]:
    if group in stats.index:
        s = stats.loc[group]
        n, a, b = int(s["n"]), int(s["authors"]), int(s["baseline"])
    else:
        n = a = b = 0
    return {"key": group if isinstance(group, str) else int(group), "label": label, "n": n, "authors": a,
            "baseline": b, "ratio": _finite(n / b) if b else None, "trend": trend_of(n, b)}


def _category_rows(pub: pd.DataFrame, at: pd.Timestamp, window: timedelta, lang: str) -> dict[str, dict]:
    stats = _group_rows(_long(pub, S.CATEGORIES, at, window))
    titles = CATEGORY_TITLES.get(lang, CATEGORY_TITLES["nl"])
    return {code: _row(code, titles[code], stats) for code in REPORT_CATEGORIES}


def clean_label(label: str) -> str:
    """Return a theme label without emoji-only terms ("sterkte / ❤️ / heidewijk" -> "sterkte / heidewijk").

    Emoji carry no words and print as empty boxes; a label of only emoji is kept as is.
    """
    terms = [t.strip() for t in str(label).split(" / ")]
    kept = [t for t in terms if any(ch.isalnum() for ch in t)]
    return " / ".join(kept) if kept else str(label)


def _theme_rows(sub: pd.DataFrame, at: pd.Timestamp, window: timedelta, min_authors: int,
                limit: int = MAX_THEMES, lang: str = "nl") -> list[dict[str, Any]]:
    """Return the biggest named themes of `sub` in the window with >= min_authors authors.

    A theme's label is re-checked at this report's k on the messages it looks at (the window
    and the one before, as the CoPI picture does: `themes.label_for_k`): the model names a theme
    over the whole incident, so in one hour fewer than k may have written its phrase; the label
    then becomes the part or phrase >= k of them wrote, and a theme left unnamed is not shown.
    Labels read as in `lang` (`aggregate.display_label`).
    """
    if sub.empty or S.THEME not in sub:
        return []

    named = sub[~sub[S.THEME].isin([S.NO_THEME, OTHER_THEME])]
    if named.empty:
        return []
    stats = _group_rows(_long(named, S.THEME, at, window))
    stats = stats[stats["authors"] >= min_authors]
    labels = named.drop_duplicates(S.THEME).set_index(S.THEME)[S.THEME_LABEL].astype(str)
    stats = stats.reset_index().sort_values(["n", "group"], ascending=[False, True], kind="stable")
    times = pd.to_datetime(named[S.CREATED_AT], utc=True)
    looked = named[((times > at - 2 * window) & (times <= at)).to_numpy()]
    found = pd.DataFrame({"g": stats["group"].to_numpy(),
                          "label": [labels.get(g, "") for g in stats["group"]]})
    found = labels_for_k(found, looked, min_authors, most=limit)  # biggest first, until `limit` named
    checked: dict[Any, str] = dict(zip(found["g"], found["label"], strict=True))
    by_group = stats.set_index("group")
    rows = [_row(int(g), clean_label(display_label(label, lang)), by_group) for g, label in checked.items()]
    times = pd.to_datetime(looked[S.CREATED_AT], utc=True)
    in_window = looked[((times > at - window) & (times <= at)).to_numpy()]
    for row in rows:  # the public digest leaves out a label that quotes a whole message
        row["quotes_message"] = quotes_message(row["label"], named.loc[named[S.THEME] == row["key"]])
        # and a label fewer than its k wrote in the window: the report's k is the dashboard's
        # (5), the public digest's is 10 (`governance.publish.PUBLIC_K`)
        row["label_authors"] = label_authors(checked[row["key"]],
                                             in_window.loc[in_window[S.THEME] == row["key"]])
    return rows


def label_authors(label: str, messages: pd.DataFrame) -> int:
    """Return how many distinct authors of `messages` wrote the phrase of `label` (as whole words).

    A theme label is a phrase >= k authors of the whole theme wrote, k the dashboard's; in one
    window, or for a view with a larger k, fewer may have written it.
    """
    phrase = split_language(label)[0].strip()
    if not phrase or messages.empty:
        return 0
    col = S.CLEAN_TEXT if S.CLEAN_TEXT in messages else S.TEXT
    return PhraseAuthors(messages[col], messages[S.AUTHOR]).count(phrase)


def quotes_message(label: str, messages: pd.DataFrame) -> bool:
    """Return True when a whole message of `messages` (its words, in order) sits inside `label`.

    A theme label is a phrase >= k authors wrote, so inside the dashboard it may be a short message
    that many people posted ("ik word echt misselijk van die lucht"). The public page promises no
    message text at all (`governance.publish`), so such a label is not shown there. Only messages
    no longer than the label are tokenised.
    """
    words = " ".join(word_tokens(split_language(label)[0]))  # without "(Engels)"
    if not words or messages.empty:
        return False
    col = S.CLEAN_TEXT if S.CLEAN_TEXT in messages else S.TEXT
    texts = messages[col].astype(str)
    short = pd.unique(texts[texts.str.len() <= len(label) + 20].to_numpy(dtype=object))
    padded = f" {words} "
    return any((w := " ".join(word_tokens(t))) and f" {w} " in padded for t in short)


def _authors_per_category(df: pd.DataFrame) -> pd.Series:
    """Return the number of distinct authors per category code in `df`."""
    if df.empty:
        return pd.Series(dtype="int64")
    codes = df[S.CATEGORIES].map(lambda c: tuple(c) if isinstance(c, (tuple, list, np.ndarray)) else ())
    long = pd.DataFrame({"c": codes.to_numpy(),
                         "a": df[S.AUTHOR].astype(object).to_numpy()}).explode("c").dropna(subset=["c"])
    return long.groupby("c")["a"].nunique()


def _with_category(pub: pd.DataFrame, code: str) -> pd.DataFrame:
    mask = pub[S.CATEGORIES].map(lambda c: isinstance(c, (tuple, list, np.ndarray)) and code in c)
    return pub[mask.to_numpy(dtype=bool)]


def _languages(sub: pd.DataFrame, at: pd.Timestamp, window: timedelta, min_authors: int,
               lang: str) -> list[dict[str, Any]]:
    """Return non-Dutch languages of `sub` in the window with >= min_authors authors."""
    if sub.empty or S.LANGUAGE not in sub:
        return []
    stats = _group_rows(_long(sub, S.LANGUAGE, at, window))
    stats = stats.drop(index=["nl", S.UNDETERMINED_LANGUAGE], errors="ignore")
    stats = stats[stats["authors"] >= min_authors].sort_values("n", ascending=False, kind="stable")
    names = LANGUAGE_NAMES.get(lang, LANGUAGE_NAMES["nl"])
    return [{"code": str(c), "label": names.get(str(c), str(c)), "n": int(r["n"]),
             "authors": int(r["authors"])} for c, r in stats.iterrows()]


def _block_rows(pub: pd.DataFrame, at: pd.Timestamp, window: timedelta, lang: str) -> list[dict]:
    stats = _group_rows(_long(pub, S.ISB, at, window)) if S.ISB in pub else _group_rows(
        pd.DataFrame(columns=["group", "author", "period"]))
    return [_row(b, S.ISB_LABELS[lang][b], stats) for b in ISB_SHOWN]


def _moment_before(moments: pd.DataFrame, at: pd.Timestamp) -> dict[str, Any] | None:
    """Return the last communication moment with at least MIN_AFTER before `at`, or None."""
    if moments is None or moments.empty:
        return None
    times = pd.to_datetime(moments[S.MOMENT_TIME], utc=True)
    ok = moments[(times <= at - MIN_AFTER).to_numpy()]
    ok = ok[ok[S.MOMENT_TEXT].astype(str).str.strip() != ""]
    if ok.empty:
        return None
    last = ok.sort_values(S.MOMENT_TIME, kind="stable").iloc[-1]
    return {"time": _utc(last[S.MOMENT_TIME]).isoformat(), "channel": str(last[S.MOMENT_CHANNEL]),
            "text": str(last[S.MOMENT_TEXT])}


def _quote(text: str, limit: int = 48) -> str:
    """Return the first clause of our own message, shortened."""
    first = re.split(r"(?<=[.!?:])\s|\n", text.strip(), maxsplit=1)[0].rstrip(".:!")
    return first if len(first) <= limit else first[: limit - 1].rstrip() + "…"


def _uptake(pub: pd.DataFrame, moment: dict[str, Any], at: pd.Timestamp, start: pd.Timestamp,
            min_authors: int) -> list[dict[str, Any]]:
    """Return key terms of our message used by >= min_authors public authors after it."""
    t0 = _utc(moment["time"])
    if pub.empty:
        return []
    table = term_uptake(pub, moment["text"], t0, EFFECT_WINDOW, exclude_official=False,
                        period=(start, at + pd.Timedelta(microseconds=1)))
    table = table[table["after_count"] >= min_authors]
    if table.empty:
        return []
    times = pd.to_datetime(pub[S.CREATED_AT], utc=True)
    after = pub[((times >= t0) & (times < min(t0 + EFFECT_WINDOW, at + pd.Timedelta(microseconds=1))))
                .to_numpy()]
    tokens = message_tokens(after)
    authors = after[S.AUTHOR].astype(object).to_numpy()

    by_term = {k.term: k for k in key_terms(moment["text"])}
    rows = []
    for r in table.itertuples():
        term = by_term[r.term]
        n_auth = len({a for a, tk in zip(authors, tokens, strict=True) if contains_term(tk, term)})
        if n_auth >= min_authors:
            rows.append({"term": r.term, "kind": r.kind, "before": int(r.before_count),
                         "after": int(r.after_count), "authors_after": n_auth,
                         "before_total": int(r.before_total), "after_total": int(r.after_total)})
    # word pairs and phrases say more than single words; then most used
    rows.sort(key=lambda x: (x["kind"] == "woord", -x["after"], x["term"]))
    return rows[:MAX_TERMS]


def _effect(pub: pd.DataFrame, moment: dict[str, Any], at: pd.Timestamp, start: pd.Timestamp,
            min_authors: int, lang: str) -> dict[str, Any] | None:
    """Return the one clearest before/after change around our latest message (an association).

    Candidates: each category, and questions per named theme. Chosen: the candidate with
    >= min_authors authors and >= 10 messages whose 95 % interval excludes 1 and that moved
    the most messages (|after - expected from before|); None when there are no messages.
    """
    if pub.empty:
        return None
    t0 = _utc(moment["time"])
    period = (start, at + pd.Timedelta(microseconds=1))
    times = pd.to_datetime(pub[S.CREATED_AT], utc=True)
    near = pub[((times >= t0 - EFFECT_WINDOW) & (times < t0 + EFFECT_WINDOW) & (times <= at)).to_numpy()]
    moments = pd.DataFrame({S.MOMENT_TIME: [t0]})
    phrases = CATEGORY_PHRASES.get(lang, CATEGORY_PHRASES["nl"])
    candidates = []
    cat = effect_table(pub, moments, by=S.CATEGORIES, window=EFFECT_WINDOW, exclude_official=False,
                       period=period)
    cat = cat[cat["category"].isin(REPORT_CATEGORIES)]
    cat_authors = _authors_per_category(near)
    for r in cat.itertuples():
        candidates.append((phrases[r.category], r, int(cat_authors.get(r.category, 0))))
    questions = _with_category(pub, "vraag")
    questions = questions[~questions[S.THEME].isin([S.NO_THEME, OTHER_THEME])]
    if not questions.empty:
        th = effect_table(questions, moments, by=S.THEME, window=EFFECT_WINDOW, exclude_official=False,
                          period=period)
        q_near = _with_category(near, "vraag") if not near.empty else near
        th_authors = q_near.groupby(S.THEME)[S.AUTHOR].nunique() if not q_near.empty else {}
        labels = questions.drop_duplicates(S.THEME).set_index(S.THEME)[S.THEME_LABEL].astype(str)
        for r in th.itertuples():
            label = clean_label(display_label(labels.get(r.category, ""), lang))
            if label:
                candidates.append((_t("questions_about", lang, label=label), r,
                                   int(th_authors.get(r.category, 0))))
    best, best_moved = None, -1.0
    fallback, fallback_n = None, -1
    for label, r, n_auth in candidates:
        total = r.before_count + r.after_count
        if n_auth < min_authors or total < TREND_MIN_COUNT or not (r.before_hours > 0 and r.after_hours > 0):
            continue
        if total > fallback_n:
            fallback, fallback_n = (label, r), total
        clear = r.ci_low > 1 or r.ci_high < 1
        moved = abs(r.after_count - r.before_count * r.after_hours / r.before_hours)
        if clear and moved > best_moved:
            best, best_moved = (label, r), moved
    chosen, clear = (best, True) if best else (fallback, False)
    out = {"moment_time": t0.isoformat(), "channel": moment["channel"], "quote": _quote(moment["text"]),
           "clear": clear, "group": None}
    if chosen is None:
        return out
    label, r = chosen
    out.update(group=label, before=int(r.before_count), after=int(r.after_count),
               before_minutes=int(round(r.before_hours * 60)), after_minutes=int(round(r.after_hours * 60)),
               ratio=_finite(r.ratio), ci_low=_finite(r.ci_low), ci_high=_finite(r.ci_high))
    return out


def effect_sentence(effect: dict[str, Any] | None, lang: str) -> str:
    """Return the one effect line of the report, stated as an association in time."""
    if effect is None:
        return _t("no_moment", lang, m=int(MIN_AFTER.total_seconds() // 60))
    time = _local(effect["moment_time"])
    if not effect.get("clear") or effect.get("group") is None:
        return _t("effect_none", lang, time=time)
    ratio = effect["ratio"]
    hi = effect["ci_high"]
    return _t("effect_line", lang, quote=effect["quote"], time=time, group=effect["group"],
              ratio=_ratio(ratio, lang), lo=_num(effect["ci_low"] or 0.0, lang),
              hi="∞" if hi is None else _num(hi, lang), b=effect["before"], a=effect["after"],
              bh=effect["before_minutes"], ah=effect["after_minutes"])


def accuracy_rows(accuracy: Any, lang: str) -> list[dict[str, Any]]:
    """Return the measured F1 per reported category (Dutch data preferred), or not measured."""
    if accuracy is None:
        try:
            table = accuracy_table(load_accuracy())
        except (OSError, ValueError, KeyError):
            table = pd.DataFrame()
    elif isinstance(accuracy, pd.DataFrame):
        table = accuracy
    else:
        table = accuracy_table(accuracy)
    out = []
    for code in REPORT_CATEGORIES:
        rows = table[table["category"] == code] if not table.empty else table
        entry: dict[str, Any] = {"category": code, "label": S.category_label(code, lang), "measured": False}
        if not rows.empty:
            nl = rows[rows["language"] == "nl"]
            row = (nl if not nl.empty else rows).sort_values("n", ascending=False, kind="stable").iloc[0]
            entry["words"] = accuracy_short(code, lang, accuracy if isinstance(accuracy, dict) else None)
            entry.update(measured=True, f1=float(row["f1"]), f1_low=float(row["f1_low"]),
                         f1_high=float(row["f1_high"]), dataset=str(row["dataset"]),
                         language=str(row["language"]), n=int(row["n"]))
        out.append(entry)
    return out


def _category_bullet(pub: pd.DataFrame, row: dict[str, Any], at: pd.Timestamp, window: timedelta,
                     min_authors: int, lang: str, complete: bool) -> str:
    """Return one kernbeeld bullet for a category row: `aggregate.category_bullet` plus the trend.

    "Veel mensen vragen (110 auteurs, 120 berichten; 1,4× het uur ervoor): is er asbest?
    (52 auteurs); enkele in het Engels": people, questions, themes and languages only with >= k authors.
    """
    sub = _with_category(pub, row["key"])
    times = pd.to_datetime(sub[S.CREATED_AT], utc=True)
    rows = sub[((times > at - window) & (times <= at)).to_numpy()]
    w = int(window.total_seconds() // 60)
    trend = _compared(row["n"], row["baseline"], w, lang, complete)
    return category_bullet(rows, row["key"], min_authors, lang, counts_extra=f"; {trend}")


def _kernbeeld(pub: pd.DataFrame, at: pd.Timestamp, window: timedelta, counts: dict, blocks: list[dict],
               cats: dict[str, dict], min_authors: int, lang: str, complete: bool) -> list[str]:
    """Return three bullets: the volume and largest block, the biggest category, the fastest riser."""
    minutes = int(window.total_seconds() // 60)
    if counts["authors_window"] < min_authors:
        return [_t("kern_quiet", lang, n=counts["messages_window"], a=counts["authors_window"],
                   k=min_authors)]
    top_block = max(blocks, key=lambda b: b["n"])
    total_blocks = sum(b["n"] for b in blocks) or 1
    bullets = [_t("kern_volume", lang, n=_int(counts["messages_window"], lang),
                  a=_int(counts["authors_window"], lang), w=_last(minutes, lang),
                  trend=_compared(counts["messages_window"], counts["messages_before"], minutes, lang,
                                  complete),
                  block=top_block["label"].lower() if lang == "nl" else top_block["label"],
                  share=_pct(top_block["n"] / total_blocks))]
    ranked = sorted((r for r in cats.values() if r["authors"] >= min_authors),
                    key=lambda r: (-r["n"], REPORT_CATEGORIES.index(r["key"])))
    if ranked:
        bullets.append(_category_bullet(pub, ranked[0], at, window, min_authors, lang, complete))
    # The one rising rule of Nu, CoPI and Nabespreking (`timeline.rising_themes`), over this report's window.
    rise = rising_themes(pub, at, min_authors=min_authors, lang=lang, window=window)
    if not complete:  # everything is "new" at the start of an incident: the biggest category instead
        rise = rise.iloc[0:0]
    if not rise.empty:
        top = rise.iloc[0]
        reason = str(top["reason"]).replace(str(top["label"]), clean_label(str(top["label"])), 1)
        bullets.append(_t("kern_rising", lang, reason=reason))
    elif len(ranked) > 1:
        bullets.append(_category_bullet(pub, ranked[1], at, window, min_authors, lang, complete))
    return bullets[:3]


def _timeseries(pub: pd.DataFrame, start: pd.Timestamp, at: pd.Timestamp) -> list[list[Any]]:
    pass

    if pub.empty:
        return []
    table = counts_over_time(pub, None, freq="15min", start=start, end=at + pd.Timedelta(seconds=1))
    return [[b.isoformat(), int(c)] for b, c in zip(table["bucket"], table["count"], strict=True)]


def build_report(frame: pd.DataFrame, moments: pd.DataFrame | None, incident: dict[str, Any], *,
                 at: Any, window: int | timedelta = DEFAULT_WINDOW_MINUTES, advice: str = "",
                 lang: str = "nl", min_authors: int | None = None,
                 accuracy: Any = None) -> dict[str, Any]:
    """Return the figures of the scan one-pager as a JSON-serialisable dict (aggregate only).

    Args:
        frame: analysed messages (official ones and those after `at` are left out here).
        moments: the incident's communication moments (`store.load_moments`), or None.
        incident: the incident dict (`store.get_incident`): id, name, is_demo.
        at: the time of the picture ("stand"), tz-aware or UTC.
        window: minutes (or a timedelta) of the recent window; the trend compares with the
            window of the same length before it.
        advice: the analyst's advice (untrusted text; links, e-mail addresses, phone numbers and
            @handles are replaced as in messages (`privacy.scrub_text`), since a released report
            is public and says it names no accounts; escaped when rendered).
        lang: "nl" or "en".
        min_authors: k; defaults to `config.view_min_authors("rapport")` (LUISTERPOST_MIN_AUTHORS).
        accuracy: accuracy report dict or `evaluate.accuracy_table` frame; None reads
            `data/accuracy.json`.

    """
    if lang not in ("nl", "en"):
        raise ValueError("lang must be 'nl' or 'en'")
    window = window if isinstance(window, timedelta) else timedelta(minutes=int(window))
    if window <= timedelta(0):
        raise ValueError("window must be positive")
    k = int(min_authors if min_authors is not None else view_min_authors("rapport"))
    at = _utc(at)
    pub = _public(frame, at)
    times = (pd.to_datetime(pub[S.CREATED_AT], utc=True) if not pub.empty
             else pd.Series(dtype="datetime64[ns, UTC]"))
    start = times.min() if len(times) else at
    in_window = ((times > at - window) & (times <= at)).to_numpy() if len(times) else np.zeros(0, bool)
    before = ((times > at - 2 * window) & (times <= at - window)).to_numpy() if len(times) else in_window
    win = pub[in_window]
    collected = frame[(pd.to_datetime(frame[S.CREATED_AT], utc=True) <= at).to_numpy()] if not frame.empty \
        else frame
    counts = {
        "messages_window": int(in_window.sum()),
        "authors_window": int(win[S.AUTHOR].nunique()) if not win.empty else 0,
        "messages_before": int(before.sum()),
        "messages_total": len(pub),
        "authors_total": int(pub[S.AUTHOR].nunique()) if not pub.empty else 0,
        "collected_total": len(collected),
    }
    platforms = (win[S.PLATFORM].astype(str).str.lower().value_counts() if not win.empty
                 else pd.Series(dtype="int64"))
    complete = bool(len(times)) and at - 2 * window >= start - pd.Timedelta(minutes=1)
    cats = _category_rows(pub, at, window, lang)
    blocks = _block_rows(pub, at, window, lang)
    questions = _with_category(pub, "vraag") if not pub.empty else pub
    rumours = _with_category(pub, "gerucht") if not pub.empty else pub
    moment = _moment_before(moments, at)
    repr_fig = representativeness(win, start=at - window, end=at)
    report: dict[str, Any] = {
        "kind": "scanrapport",
        "schema": SCHEMA_VERSION,
        "lang": lang,
        "incident": {"id": int(incident.get("id") or 0), "name": str(incident.get("name", "")),
                     "is_demo": bool(incident.get("is_demo", False))},
        "picture_at": at.isoformat(),
        "window_minutes": int(window.total_seconds() // 60),
        "window_start": (at - window).isoformat(),
        "data_start": start.isoformat(),
        "min_authors": k,
        "counts": counts,
        "platforms": {str(p): int(n) for p, n in platforms.items()},
        "kernbeeld": _kernbeeld(pub, at, window, counts, blocks, cats, k, lang, complete),
        "blocks": blocks,
        "categories": cats,
        "informatiebehoefte": {
            "questions": _theme_rows(questions, at, window, k, lang=lang),
            "question_languages": _languages(questions, at, window, k, lang),
        },
        "schadebeperking": {
            "moment": None if moment is None else {**moment, "quote": _quote(moment["text"], 90)},
            "uptake": _uptake(pub, moment, at, start, k) if moment else [],
            "health_themes": _theme_rows(_with_category(pub, "gezondheid") if not pub.empty else pub,
                                         at, window, k, 3, lang),
            "behaviour_themes": _theme_rows(_with_category(pub, "handelen") if not pub.empty else pub,
                                            at, window, k, 3, lang),
        },
        "betekenisgeving": {
            "criticism_themes": _theme_rows(_with_category(pub, "kritiek") if not pub.empty else pub,
                                            at, window, k, 3, lang),
        },
        "geruchten": {"themes": _theme_rows(rumours, at, window, k, lang=lang)},
        "effect": _effect(pub, moment, at, start, k, lang) if moment else None,
        "advice": scrub_free_text(advice),
        "caveats": {
            "representativeness": {
                "n_messages": int(repr_fig["n_messages"]), "n_authors": int(repr_fig["n_authors"]),
                "messages_per_author": float(repr_fig["messages_per_author"]),
                "top10_share": float(repr_fig["top10_share"]),
                "repost_share": float(repr_fig["repost_share"]),
                "duplicate_share": float(repr_fig["duplicate_share"]),
                "bursts": len(repr_fig["near_duplicate_bursts"]),
                "platforms_absent": list(repr_fig["platforms_absent"]), "gaps": len(repr_fig["gaps"]),
            },
            "accuracy": accuracy_rows(accuracy, lang),
        },
        "timeseries": _timeseries(pub, start, at),
        "moments": [] if moments is None or moments.empty else [
            {"time": _utc(m).isoformat(), "channel": str(c)}
            for m, c in zip(moments[S.MOMENT_TIME], moments[S.MOMENT_CHANNEL], strict=True)
            if start <= _utc(m) <= at],
        "generated_at": pd.Timestamp(store.now_utc()).isoformat(),
        "trend_complete": complete,
    }
    if not complete:
        _mark_start(report)
    return report


def _mark_start(obj: Any) -> None:
    """Set every figures row's trend to "start" (the window before lies partly before the data)."""
    if isinstance(obj, dict):
        if "trend" in obj and "baseline" in obj:
            obj.update(trend="start", ratio=None)
        for value in obj.values():
            _mark_start(value)
    elif isinstance(obj, list):
        for value in obj:
            _mark_start(value)


# --- the picture at a time ----------------------------------------------------------------------------
def parse_at(value: str, incident: dict[str, Any]) -> pd.Timestamp:
    """Return a picture time (UTC) from "HH:MM", "YYYY-MM-DD HH:MM" or ISO 8601.

    "HH:MM" is local time on the incident's first day (the next day when that is before
    the start); a date and time without offset is local (Europe/Amsterdam).
    """
    value = value.strip()
    if re.fullmatch(r"\d{1,2}[:.]\d{2}", value):
        hh, mm = (int(x) for x in re.split(r"[:.]", value))
        start = _utc(incident["start_at"]).tz_convert(TZ)
        local = pd.Timestamp(year=start.year, month=start.month, day=start.day, hour=hh, minute=mm)
        ts = local.tz_localize(TZ, ambiguous=False, nonexistent="shift_forward")
        if ts < start:
            ts = ts + pd.Timedelta(days=1)
        return ts.tz_convert("UTC")
    try:
        ts = pd.Timestamp(value)
    except ValueError as exc:
        raise ValueError(f"onbekende tijd / unknown time {value!r}; "
                         "gebruik HH:MM of YYYY-MM-DD HH:MM") from exc
    if ts.tzinfo is None:
        ts = ts.tz_localize(TZ, ambiguous=False, nonexistent="shift_forward")
    return ts.tz_convert("UTC")


def default_at(incident: dict[str, Any], frame: pd.DataFrame, now: Any = None) -> pd.Timestamp:
    """Return "now", or the last message's time when the incident is finished.

    Finished: closed, purged, past its planned end, or no message for QUIET_AFTER.
    """
    now = _utc(now if now is not None else store.now_utc())
    if frame.empty:
        return now
    last = pd.to_datetime(frame[S.CREATED_AT], utc=True).max()
    end_at = incident.get("end_at")
    finished = (incident.get("closed_at") is not None or incident.get("purged_at") is not None
                or (end_at is not None and _utc(end_at) <= now) or now - last > QUIET_AFTER)
    return min(last, now) if finished else now


def picture(engine: Engine, incident_id: int, at: Any = None) -> tuple[pd.DataFrame, pd.Timestamp]:
    """Return (analysed frame, picture time) for a report of the incident at `at`.

    Without `at`: the incident's stable analysis (`analyze_incident`) and `default_at`.
    With `at`: only messages created by `at`, analysed afresh (nothing stored), so the figures
    are exactly those of an analysis run at that time on those messages.
    """
    incident = store.get_incident(engine, incident_id)
    if incident is None:
        raise KeyError(f"incident {incident_id} not found")
    if at is None:
        frame = analysis.analyze_incident(engine, incident_id).frame
        return frame, default_at(incident, frame)
    at = _utc(at)
    messages = store.load_messages(engine, incident_id)
    messages = messages[(messages[S.CREATED_AT] <= at).to_numpy()].reset_index(drop=True)
    # the region's own trained model when present, exactly as analyze_incident uses it
    result = analysis.analyze(messages, analysis.incident_params(incident),
                              category_model=analysis.region_category_model())
    return result.frame, at


def report_for(engine: Engine, incident_id: int, *, at: Any = None,
               window: int = DEFAULT_WINDOW_MINUTES, advice: str = "", lang: str = "nl",
               accuracy: Any = None) -> dict[str, Any]:
    """Return the scan report of a stored incident at `at` (see `picture`)."""
    incident = store.get_incident(engine, incident_id)
    if incident is None:
        raise KeyError(f"incident {incident_id} not found")
    frame, at = picture(engine, incident_id, at)
    return build_report(frame, store.load_moments(engine, incident_id), incident, at=at, window=window,
                        advice=advice, lang=lang, accuracy=accuracy)


# --- snapshots ---------------------------------------------------------------------------------------
snapshot_object = snapshot_store.snapshot_object  # the audit/approval object name of a snapshot


def save_snapshot(engine: Engine, incident_id: int, report: dict[str, Any], author: str,
                  role: str = "") -> int:
    """Store the report's figures as the next version for the incident; audit it; return the version."""
    report.setdefault("author", author)
    version = snapshot_store.add_snapshot(
        engine, incident_id, figures=json.dumps(report, ensure_ascii=False, sort_keys=True),
        picture_at_db=store.to_db_time(_utc(report["picture_at"]).to_pydatetime()),
        window_minutes=int(report["window_minutes"]), advice=str(report.get("advice", "")),
        author=author, role=role, action=EXPORT_ACTION,
        details={"picture_at": report["picture_at"], "window_minutes": report["window_minutes"],
                 "what": "snapshot"})
    report["version"] = version
    return version


def list_snapshots(engine: Engine, incident_id: int) -> pd.DataFrame:
    """Return the snapshot log of an incident, newest first, without the figures.

    Columns: version, picture_at, window_minutes, author, created_at, released.
    """
    return snapshot_store.snapshot_log(engine, incident_id)


def load_snapshot(engine: Engine, incident_id: int, version: int) -> dict[str, Any]:
    """Return the stored report of one snapshot (with `version` and `released`)."""
    found = snapshot_store.snapshot_figures(engine, incident_id, version)
    if found is None:
        raise KeyError(f"snapshot {version} of incident {incident_id} not found")
    figures, released = found
    report = json.loads(figures)
    report.update(version=version, released=released)
    return report


# --- rendering ---------------------------------------------------------------------------------------
def document_blocks(report: dict[str, Any]) -> list[tuple[str, Any]]:
    """Return the document as (kind, content) blocks shared by Markdown and HTML.

    Kinds: "h2" (text), "p" (text), "ul" (list of text), "table" ((header, rows)),
    "advice" (text), "small" (text). All text is plain: renderers escape it.
    """
    lang = report["lang"]
    k = report["min_authors"]
    cats = report["categories"]
    b: list[tuple[str, Any]] = []

    def cat_line(code: str, extra: str = "") -> str:
        row = cats[code]
        words = ("berichten", "auteurs") if lang == "nl" else ("messages", "authors")
        line = (f"{row['label']}: {_int(row['n'], lang)} {words[0]} ({_int(row['authors'], lang)} "
                f"{words[1]}) · {trend_text(row, lang)}")
        return line + (f"; {extra}" if extra else "")

    def mostly(themes: list[dict]) -> str:
        if not themes:
            return ""
        return _t("mostly", lang, labels="; ".join(f"{t['label']} ({t['n']})" for t in themes))

    def theme_table(themes: list[dict]) -> tuple[list[str], list[list[str]]]:
        return (_t("cols_theme", lang).split("|"),
                [[t["label"], str(t["n"]), str(t["authors"]), str(t["baseline"]), trend_text(t, lang)]
                 for t in themes])

    b.append(("h2", _t("h_kern", lang)))
    b.append(("ul", report["kernbeeld"]))
    b.append(("charts", None))
    info = report["informatiebehoefte"]
    b.append(("h2", _t("h_info", lang)))
    b.append(("p", cat_line("vraag")))
    if info["questions"]:
        b.append(("caption", _t("top_questions", lang)))
        b.append(("table", theme_table(info["questions"])))
    if info["question_languages"]:
        langs = ", ".join(f"{x['label']} {x['n']}" for x in info["question_languages"])
        b.append(("p", _t("languages_q", lang, langs=langs)))
    b.append(("p", cat_line("waarneming")))
    sch = report["schadebeperking"]
    b.append(("h2", _t("h_schade", lang)))
    if sch["moment"]:
        m = sch["moment"]
        b.append(("caption", _t("uptake", lang, time=_local(m["time"]), channel=m["channel"])
                  + f": “{m['quote']}”"))
        if sch["uptake"]:
            b.append(("table", (_t("cols_term", lang).split("|"),
                                [[u["term"], f"{u['before']} / {u['before_total']}",
                                  f"{u['after']} / {u['after_total']}", str(u["authors_after"])]
                                 for u in sch["uptake"]])))
        else:
            b.append(("p", _t("no_uptake", lang, k=k)))
    b.append(("p", cat_line("gezondheid", mostly(sch["health_themes"]))))
    b.append(("p", cat_line("handelen", mostly(sch["behaviour_themes"]))))
    b.append(("p", cat_line("hulp")))
    bet = report["betekenisgeving"]
    b.append(("h2", _t("h_beteken", lang)))
    b.append(("p", cat_line("emotie")))
    b.append(("p", cat_line("kritiek", mostly(bet["criticism_themes"]))))
    b.append(("p", cat_line("medeleven")))
    b.append(("h2", _t("h_gerucht", lang)))
    b.append(("p", cat_line("gerucht")))
    if report["geruchten"]["themes"]:
        b.append(("caption", _t("rumour_themes", lang)))
        b.append(("table", theme_table(report["geruchten"]["themes"])))
    else:
        b.append(("p", _t("none_k", lang, k=k)))
    b.append(("h2", _t("h_effect", lang)))
    b.append(("p", effect_sentence(report["effect"], lang)))
    b.append(("h2", _t("h_advies", lang)))
    b.append(("advice", report["advice"].strip() or _t("advice_empty", lang)))
    b.append(("h2", _t("h_kant", lang)))
    rep = report["caveats"]["representativeness"]
    b.append(("p", _t("caveat", lang)))
    b.append(("small", _t("repr", lang, a=_int(rep["n_authors"], lang),
                          per=_num(rep["messages_per_author"], lang),
                          top10=_pct(rep["top10_share"]), reposts=_pct(rep["repost_share"]),
                          dups=_pct(rep["duplicate_share"]), bursts=rep["bursts"],
                          absent=", ".join(rep["platforms_absent"]) or "–", gaps=rep["gaps"])))
    acc = report["caveats"]["accuracy"]
    items = "; ".join(
        f"{a['label']}: {a['words']}" if a.get("words") else
        f"{a['label']} {_num(a['f1'], lang, 2)} ({_num(a['f1_low'], lang, 2)}–{_num(a['f1_high'], lang, 2)}; "
        f"{dataset_words(a['dataset'], lang)}, n={a['n']})" for a in acc if a["measured"])
    missing = ", ".join(a["label"] for a in acc if not a["measured"])
    if missing:
        items += ("; " if items else "") + f"{_t('not_measured', lang)}: {missing}"
    b.append(("small", _t("accuracy", lang, items=items) + " " + _t("themes_note", lang, k=k)))
    b.append(("small", _t("k_rule", lang, k=k)))
    return b


def header_lines(report: dict[str, Any]) -> tuple[str, str, str]:
    """Return (title, stand line, counts line) of the report header."""
    lang = report["lang"]
    c = report["counts"]
    stand = (f"{_t('stand', lang)} {_local(report['picture_at'])} · "
             f"{_local(report['picture_at'], '%d-%m-%Y')} · "
             f"{_t('window', lang, w=_minutes(report['window_minutes'], lang))} "
             f"({_local(report['window_start'])}–{_local(report['picture_at'])}) · "
             f"{_t('period', lang, start=_local(report['data_start']))}")
    if report.get("version"):
        stand += f" · {_t('version', lang, v=report['version'])}"
    platforms = ", ".join(f"{p} {n}" for p, n in report["platforms"].items()) or "–"
    counts = _t("counts", lang, n=_int(c["messages_window"], lang), a=_int(c["authors_window"], lang),
                total=_int(c["messages_total"], lang), platforms=platforms)
    return f"{_t('title', lang)} — {report['incident']['name']}", stand, counts


def render_markdown(report: dict[str, Any]) -> str:
    """Return the report as Markdown (template `resources/report/report.md.j2`; every value escaped)."""
    title, stand, counts = header_lines(report)
    demo = _t("demo", report["lang"]) if report["incident"].get("is_demo") else ""
    text = documents.render_markdown("report", "report.md.j2", title=title, stand=stand, counts=counts,
                                     demo=demo, blocks=document_blocks(report), footer=_footer(report))
    return text.rstrip() + "\n"


def _footer(report: dict[str, Any]) -> str:
    lang = report["lang"]
    state = _t("released", lang) if report.get("released") else _t("internal", lang)
    return _t("generated", lang, time=_local(report["generated_at"], "%d-%m-%Y %H:%M"),
              author=report.get("author", "") or "–") + f" · {state}"


# --- charts (inline SVG via vl-convert; no message-derived text in any chart) ------------------------
def _svg(chart, lang: str, standalone: bool) -> str:
    import vl_convert as vlc  # heavy optional dependency: imported on first use

    svg = vlc.vegalite_to_svg(chartformat.localize(chart.to_dict(), lang))  # "1.000", not "1,000"
    if not standalone:
        # inline SVG in HTML needs no namespace declarations; dropping them leaves no URL in the file
        svg = re.sub(r'\s+xmlns(:\w+)?="[^"]*"', "", svg)
    return svg


def chart_alt_texts(report: dict[str, Any]) -> tuple[str, str]:
    """Return text alternatives (WCAG 1.1.1) of the volume chart and the I-S-B chart."""
    lang = report["lang"]
    _title, stand, counts = header_lines(report)
    blocks = "; ".join(f"{b['label']} {_int(b['n'], lang)} ({_int(b['baseline'], lang)})"
                       for b in report["blocks"])
    if lang == "en":
        return (f"Chart: messages over time. {stand}. {counts}",
                f"Chart: messages per I-S-B block now (the window before): {blocks}")
    return (f"Grafiek: berichten over de tijd. {stand}. {counts}",
            f"Grafiek: berichten per I-S-B-blok nu (het venster ervoor): {blocks}")


def volume_chart_svg(report: dict[str, Any], width: int = 430, height: int = 95, *,
                     standalone: bool = False) -> str:
    """Return an SVG line chart of public messages per 15 minutes with moment markers."""
    import altair as alt  # heavy optional dependency: imported on first use

    lang = report["lang"]
    ts = pd.DataFrame(report["timeseries"], columns=["t", "n"])
    if ts.empty:
        return ""
    ts["t"] = pd.to_datetime(ts["t"], utc=True).dt.tz_convert(TZ).dt.tz_localize(None)
    axis_t, axis_n = ("tijd", "berichten") if lang == "nl" else ("time", "messages")
    win = pd.DataFrame({"a": [_utc(report["window_start"])], "b": [_utc(report["picture_at"])]})
    win = win.apply(lambda c: c.dt.tz_convert(TZ).dt.tz_localize(None))
    base = alt.Chart(ts).encode(x=alt.X("t:T", title=axis_t, axis=alt.Axis(format="%H:%M", labelFontSize=9)))
    layers = [
        alt.Chart(win).mark_rect(color="#e8eef5").encode(x="a:T", x2="b:T"),
        base.mark_area(color="#8fb0d3", opacity=0.6, interpolate="step-after").encode(
            y=alt.Y("n:Q", title=axis_n, axis=alt.Axis(labelFontSize=9, tickCount=4))),
    ]
    moments = pd.DataFrame(report["moments"], columns=["time", "channel"])
    if not moments.empty:
        moments["t"] = pd.to_datetime(moments["time"], utc=True).dt.tz_convert(TZ).dt.tz_localize(None)
        layers.append(alt.Chart(moments).mark_rule(color="#154273", strokeDash=[4, 2], strokeWidth=1.2)
                      .encode(x="t:T"))
    chart = alt.layer(*layers).properties(width=width, height=height).configure(
        font="DejaVu Sans").configure_view(stroke=None).configure_axis(titleFontSize=9, grid=False)
    return _svg(chart, lang, standalone)


def isb_chart_svg(report: dict[str, Any], width: int = 170, height: int = 95, *,
                  standalone: bool = False) -> str:
    """Return an SVG bar chart of messages per I-S-B block in the window (and the window before)."""
    import altair as alt  # heavy optional dependency: imported on first use

    lang = report["lang"]
    now_word, before_word = ("nu", "ervoor") if lang == "nl" else ("now", "before")
    rows = [{"block": b["label"], "period": now_word, "n": b["n"], "order": i}
            for i, b in enumerate(report["blocks"])]
    rows += [{"block": b["label"], "period": before_word, "n": b["baseline"], "order": i}
             for i, b in enumerate(report["blocks"])]
    data = pd.DataFrame(rows)
    chart = alt.Chart(data).mark_bar().encode(
        y=alt.Y("block:N", sort=alt.SortField("order"), title=None, axis=alt.Axis(labelFontSize=9)),
        yOffset=alt.YOffset("period:N", sort=[now_word, before_word]),
        x=alt.X("n:Q", title=("berichten" if lang == "nl" else "messages"),
                axis=alt.Axis(labelFontSize=9, tickCount=3)),
        color=alt.Color("period:N", sort=[now_word, before_word],
                        scale=alt.Scale(range=["#154273", "#b7c7da"]),
                        legend=alt.Legend(title=None, orient="bottom", labelFontSize=9)),
    ).properties(width=width, height=height).configure(font="DejaVu Sans").configure_view(stroke=None)
    return _svg(chart, lang, standalone)




def render_html(report: dict[str, Any], *, charts: bool = True) -> str:
    """Return the report as one self-contained HTML page (inline CSS and SVG; all text escaped).

    Template `resources/report/report.html.j2` (+ `report.css`) with autoescape; Markup (inserted as
    is) only for the charts, which vl-convert draws from counts (no message-derived text).
    """
    lang = report["lang"]
    title, stand, counts = header_lines(report)
    sections: dict[str, list[tuple[str, Any]]] = {}
    order: list[str] = []
    current = "top"
    for kind, content in document_blocks(report):
        if kind == "h2":
            current = content
            order.append(current)
            sections[current] = []
        sections.setdefault(current, []).append((kind, content))
    kern, *rest = order
    isb = [_t(h, lang) for h in ("h_info", "h_schade", "h_beteken", "h_gerucht")]
    chart_parts = None
    if charts:
        chart_parts = {"volume_title": _t("chart_volume", lang), "volume": Markup(volume_chart_svg(report)),
                       "isb_title": _t("chart_isb", lang), "isb": Markup(isb_chart_svg(report))}
    return documents.render_html(
        "report", "report.html.j2", lang=lang, title=title, stand=stand, counts=counts,
        demo=_t("demo", lang) if report["incident"].get("is_demo") else "", caveat=_t("caveat", lang),
        charts=chart_parts, kern=sections[kern], grid=[sections[h] for h in isb],
        rest=[sections[h] for h in rest if h not in isb], footer=_footer(report))


def render_pdf(report: dict[str, Any], path: Path | str | None = None) -> bytes:
    """Render the report to PDF with weasyprint; write it to `path` when given; return the bytes."""
    try:
        from weasyprint import HTML  # heavy optional dependency: imported on first use
    except ImportError as exc:  # optional dependency (needs Debian pango too)
        raise RuntimeError("PDF vraagt het pakket weasyprint / PDF needs the weasyprint package; "
                           "kies .html of .md / choose .html or .md") from exc
    data = HTML(string=render_html(report)).write_pdf(pdf_tags=True)  # tagged PDF (accessibility)
    if path is not None:
        Path(path).write_bytes(data)
    return data


def report_tables(report: dict[str, Any]) -> pd.DataFrame:
    """Return the report's figures as one tidy table.

    Columns: section, item, n_messages, n_authors, baseline, ratio, trend.
    """
    lang = report["lang"]
    rows = []

    def add(section: str, row: dict[str, Any]) -> None:
        rows.append({"section": section, "item": row["label"], "n_messages": row["n"],
                     "n_authors": row.get("authors"), "baseline": row.get("baseline"),
                     "ratio": row.get("ratio"), "trend": TREND_TEXT[lang][row["trend"]]})

    for block in report["blocks"]:
        add("isb", block)
    for code in REPORT_CATEGORIES:
        add("category", report["categories"][code])
    for section, themes in (("questions", report["informatiebehoefte"]["questions"]),
                            ("health", report["schadebeperking"]["health_themes"]),
                            ("behaviour", report["schadebeperking"]["behaviour_themes"]),
                            ("criticism", report["betekenisgeving"]["criticism_themes"]),
                            ("rumours", report["geruchten"]["themes"])):
        for row in themes:
            add(section, row)
    for u in report["schadebeperking"]["uptake"]:
        rows.append({"section": "uptake", "item": u["term"], "n_messages": u["after"],
                     "n_authors": u["authors_after"], "baseline": u["before"], "ratio": None, "trend": ""})
    return pd.DataFrame(rows, columns=["section", "item", "n_messages", "n_authors", "baseline", "ratio",
                                       "trend"])


def tables_csv(report: dict[str, Any], path: Path | str | None = None) -> str | None:
    """Write the report's tables as one formula-injection-safe CSV (text when no path)."""
    return safe_csv(report_tables(report), path)


def write_report(report: dict[str, Any], path: Path | str) -> Path:
    """Write the report to `path` as .pdf, .html, .md or .csv (tables), by suffix; return the path."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        render_pdf(report, path)
    elif suffix in (".html", ".htm"):
        path.write_text(render_html(report), encoding="utf-8")
    elif suffix == ".md":
        path.write_text(render_markdown(report), encoding="utf-8")
    elif suffix == ".csv":
        tables_csv(report, path)
    else:
        raise ValueError(f"onbekend formaat / unsupported output {suffix!r}; "
                         "gebruik .pdf, .html, .md of .csv")
    return path



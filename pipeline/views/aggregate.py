"""Tidy aggregates for the views: counts over time, shares, rising themes, scan bullets.

Nothing here draws. Every function is pure, accepts an empty frame and then returns an
empty frame with the documented columns. Times are UTC; buckets are aligned to `freq`.
Grouping by CATEGORIES explodes the tuple: a message with two categories counts in both,
a message without categories counts in none.
"""

from __future__ import annotations

import re
import textwrap
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.analysis.chain import CREATED
from pipeline.analysis.chain import as_of as _chain_as_of
from pipeline.analysis.normalize import stopwords
from pipeline.analysis.themes import split_language
from pipeline.arrays import arrow_strings, distinct_per_group, flatten_tuples
from pipeline.schema import (
    AUTHOR,
    CATEGORIES,
    CATEGORY_CODES,
    CLEAN_TEXT,
    CREATED_AT,
    IS_OFFICIAL,
    IS_REPOST,
    LANGUAGE,
    LANGUAGE_NAMES,
    NO_THEME,
    PLATFORM,
    RELEVANT,
    TERMS,
    TEXT,
    THEME,
    THEME_LABEL,
    category_label,
    english_language_name,
)
from pipeline.views.questions import TOPIC_LABELS, question_topics, topic_of_terms

ALL_GROUP = "alle"
# platforms an analyst expects to hear from; "x" counts as twitter
COMMON_PLATFORMS = (
    "twitter", "facebook", "instagram", "tiktok", "whatsapp", "telegram", "reddit", "nieuwssite",
)  # fmt: skip
CLOSED_PLATFORMS = ("whatsapp",)  # closed groups: absence says nothing about the public
_PLATFORM_ALIASES = {"x": "twitter"}
GAP = timedelta(minutes=15)
BURST_WINDOW = timedelta(minutes=10)
BURST_MIN_AUTHORS = 5
# quantifiers by number of messages: < 26 enkele, < 100 diverse, otherwise veel
QUANTIFIERS = {"nl": ("Enkele", "Diverse", "Veel"), "en": ("A few", "Several", "Many")}
_QUANT_LIMITS = (26, 100)

def display_label(label: Any, lang: str) -> str:
    """Return a stored theme label as shown in the interface language `lang`.

    The one place a theme label is made fit for display: the stored label stays Dutch (stored
    data); in English its language suffix is translated ("smoke at the campsite (Engels)" ->
    "smoke at the campsite (English)"). Anything else, and every label in Dutch, stays as it is.
    """
    text = label if isinstance(label, str) else "" if label is None or pd.isna(label) else str(label)
    if lang != "en":
        return text
    phrase, suffix = split_language(text)
    return f"{phrase} ({english_language_name(suffix.strip()[1:-1])})" if suffix else text



def wrapped_label(label: str, width: int, lines: int = 2) -> str:
    """Return a theme label on at most `lines` lines of `width` characters (the CoPI projection).

    Emoji-only terms are dropped (unreadable at 5 m); a phrase wraps between words and is
    shortened with "…" only when it needs more than `lines` lines. The language suffix is never
    shortened away: "someone at the campsite said… (Engels)" still says who is asking.
    """
    phrase, suffix = split_language(str(label))
    terms = [term for term in phrase.split(" / ") if any(ch.isalnum() for ch in term)]
    text = " ".join((" / ".join(terms) or phrase).split())
    wrapped = textwrap.wrap(text + suffix, width, break_long_words=False) or [""]  # whole words only
    if len(wrapped) > lines:
        head = wrapped[:lines - 1]
        rest = " ".join(text.split()[sum(len(line.split()) for line in head):])
        wrapped = [*head, textwrap.shorten(rest, max(width - len(suffix), 2), placeholder="…") + suffix]
    return "\n".join(wrapped)

# How a category reads in a scan bullet, after the quantifier.
CATEGORY_PHRASES = {
    "nl": {
        "vraag": "vragen",
        "waarneming": "ooggetuigenberichten (wat mensen zien, horen of ruiken)",
        "handelen": "berichten over wat te doen (blijven of weg, ramen en deuren)",
        "gezondheid": "klachten over gezondheid",
        "hulp": "berichten over hulp en opvang",
        "emotie": "berichten met angst, boosheid of verdriet",
        "kritiek": "kritische berichten over overheid, bedrijf of informatie",
        "medeleven": "berichten met medeleven en steun",
        "gerucht": "geruchten",
    },
    "en": {
        "vraag": "questions",
        "waarneming": "eyewitness reports (what people see, hear or smell)",
        "handelen": "messages about what to do (stay or leave, windows and doors)",
        "gezondheid": "health complaints",
        "hulp": "messages about help and shelter",
        "emotie": "messages expressing fear, anger or grief",
        "kritiek": "critical messages about authorities, company or information",
        "medeleven": "messages of sympathy and support",
        "gerucht": "rumours",
    },
}


# How a category reads as what people do, after the quantifier and who (seed 000's scan lines:
# "Enkele campinggasten vragen ...", "Enkele campinggasten klagen over een stanklucht").
CATEGORY_VERBS = {
    "nl": {
        "vraag": "vragen",
        "waarneming": "melden wat ze zien, horen of ruiken",
        "handelen": "schrijven over wat te doen (blijven of weg, ramen en deuren)",
        "gezondheid": "melden gezondheidsklachten",
        "hulp": "bieden of zoeken hulp en opvang",
        "emotie": "uiten angst, boosheid of verdriet",
        "kritiek": "uiten kritiek op overheid, bedrijf of informatie",
        "medeleven": "leven mee en steunen",
        "gerucht": "delen geruchten",
    },
    "en": {
        "vraag": "ask questions",
        "waarneming": "report what they see, hear or smell",
        "handelen": "write about what to do (stay or leave, windows and doors)",
        "gezondheid": "report health complaints",
        "hulp": "offer or seek help and shelter",
        "emotie": "express fear, anger or grief",
        "kritiek": "criticise authorities, company or information",
        "medeleven": "express sympathy and support",
        "gerucht": "share rumours",
    },
}
# Who writes, when their own words say so (>= k authors and >= WHO_SHARE of the group's authors).
WHO_PATTERNS = (
    ("campinggasten", "campers",
     r"\b(?:camping\w*|vakantiepark\w*|campsite|campground|caravan\w*|stacaravan\w*|tent(?:je)?)\b"),
    ("ouders", "parents", r"\b(?:mijn|onze|ons) (?:kind|kinderen|dochter|zoon|baby|kids)\b"
                          r"|\bmy (?:kids|children|son|daughter|baby)\b"),
    ("bewoners", "residents",
     r"\b(?:bewoners?|buurtbewoners?|onze (?:straat|wijk|buurt)|bij ons in|in onze"
     r"|our (?:street|house|neighbou?rhood))\b"),
)
# Literals every match of the WHO_PATTERNS entry at the same place contains (a superset, found by
# RE2 in Arrow): only texts holding one run that pattern's Python regex (`who_hits`).
_WHO_GATES = (
    "camp|vakantiepark|caravan|tent",
    "kind|dochter|zoon|baby|kids|children|son|daughter",
    "bewoner|onze|bij ons in|our ",
)
WHO_SHARE = 0.3
PEOPLE = {"nl": "mensen", "en": "people"}

# --- the one trend rule, the one window and the one "as of T" -------------------------------
# Used by Nu (rising), CoPI and Nabespreking (`timeline.trend_arrow`), the scan report
# (`report.trend_of`) and Trends: a count against the count in the same-length window before.
TREND_UP_RATIO = 1.5  # ≥ 1.5× the window before: rising (↑)
TREND_DOWN_RATIO = 2 / 3  # ≤ 2/3 of the window before: falling (↓)
TREND_MIN_COUNT = 10  # fewer messages (now + before) than this: no trend is claimed
TREND_ARROWS = {"new": "▲", "up": "↑", "down": "↓", "flat": "→", "few": "", "start": ""}


def trend_of(now: int, before: int, complete: bool = True) -> str:
    """Return the trend code of a count against the same-length window before it.

    Codes: "up", "down", "flat", "new" (nothing before), "few" (too few to say) and
    "start" (`complete` False: the window before starts before the incident's first message,
    so there is nothing fair to compare with).
    """
    if not complete:
        return "start"
    if now + before < TREND_MIN_COUNT:
        return "few"
    if before == 0:
        return "new"
    ratio = now / before
    return "up" if ratio >= TREND_UP_RATIO else "down" if ratio <= TREND_DOWN_RATIO else "flat"


def trend_arrow(now: int, before: int, complete: bool = True) -> str:
    """Return the arrow of `trend_of` ("▲", "↑", "↓", "→" or "" when no trend is claimed)."""
    return TREND_ARROWS[trend_of(now, before, complete)]


def as_of(df: pd.DataFrame, at: Any) -> pd.DataFrame:
    """Return the messages known at time `at`: created at or before it (the one "as of T")."""
    return _chain_as_of(df, at, CREATED)


def as_of_mask(df: pd.DataFrame, at: Any) -> np.ndarray:
    """Return the boolean row mask of `as_of(df, at)` (no frame is copied), a writable array.

    (pandas 3 hands out read-only views from `to_numpy()`; callers narrow the mask in place.)
    """
    return (_times(df) <= _utc(at)).to_numpy(copy=True) if len(df) else np.zeros(0, dtype=bool)


def time_slice(df: pd.DataFrame, lo: Any = None, hi: Any = None) -> pd.DataFrame:
    """Return the rows with lo < CREATED_AT <= hi (either bound may be None).

    Views that only look at a recent window call this first, so a refresh of a
    1M-message incident handles the window's rows, not the whole frame (issue 15). The
    analysed frame is in time order (new rows appended): a window is then one run of
    rows, returned as a positional slice without copying.
    """
    if df.empty:
        return df
    times = _times(df)
    keep = np.ones(len(df), dtype=bool)
    if lo is not None:
        keep &= (times > _utc(lo)).to_numpy()
    if hi is not None:
        keep &= (times <= _utc(hi)).to_numpy()
    idx = np.flatnonzero(keep)
    if len(idx) == len(df):
        return df
    if len(idx) and idx[-1] - idx[0] + 1 == len(idx):  # one run of rows: a slice, no copy
        return df.iloc[idx[0]:idx[-1] + 1]
    return df.iloc[idx]



def window_bounds(at: Any, window: timedelta | None, first: Any = None) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Return (start, end] of "the window": the last `window` up to `at` (None: from `first`)."""
    end = _utc(at)
    if window is None:
        return (_utc(first) if first is not None else end), end
    start = end - window
    return (max(start, _utc(first)) if first is not None else start), end


def _utc(ts: Any) -> pd.Timestamp:
    """Return `ts` as a UTC timestamp (naive values are taken as UTC)."""
    ts = pd.Timestamp(ts)
    return ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")


def _times(df: pd.DataFrame) -> pd.Series:
    """Return CREATED_AT as UTC datetimes."""
    return pd.to_datetime(df[CREATED_AT], utc=True)


def _long(df: pd.DataFrame, by: str | None) -> pd.DataFrame:
    """Return one row per (message, group): position `row` and `group`."""
    out = pd.DataFrame({"row": np.arange(len(df))})
    if by is None:
        return out.assign(group=ALL_GROUP)
    if by == CATEGORIES:
        groups = df[CATEGORIES].map(lambda c: tuple(c) if isinstance(c, (tuple, list)) else ())
        return out.assign(group=groups.to_numpy()).explode("group").dropna(subset=["group"])
    return out.assign(group=df[by].to_numpy())


def counts_over_time(
    df: pd.DataFrame,
    by: str | None,
    freq: str = "15min",
    start: Any = None,
    end: Any = None,
) -> pd.DataFrame:
    """Return bucket, group, count with a zero row for every bucket x group in [start, end).

    Buckets are UTC and aligned to `freq`. Messages before `start` or at/after `end` are left
    out; without `end` the last bucket is the one holding the latest message.
    """
    cols = ["bucket", "group", "count"]
    times = _times(df) if len(df) else pd.Series(dtype="datetime64[ns, UTC]")
    keep = np.ones(len(df), dtype=bool)
    if start is not None:
        keep &= (times >= _utc(start)).to_numpy()
    if end is not None:
        keep &= (times < _utc(end)).to_numpy()
    sub, times = df[keep], times[keep]
    first = _utc(start) if start is not None else (times.min() if len(times) else None)
    if first is None:
        return _empty(cols, {"bucket": "datetime64[ns, UTC]", "count": "int64"})
    first = first.floor(freq)
    if end is not None:
        buckets = pd.date_range(first, _utc(end), freq=freq, inclusive="left")
    else:
        buckets = pd.date_range(first, times.max().floor(freq), freq=freq)
    long = _long(sub, by)
    # .array.take keeps a tz-aware DatetimeArray (to_numpy would build Timestamp objects)
    long["bucket"] = times.dt.floor(freq).array.take(long["row"].to_numpy())
    counted = long.groupby(["bucket", "group"]).size().rename("count")
    groups = sorted(long["group"].unique().tolist()) if len(long) else []
    if not groups:
        groups = [ALL_GROUP] if by is None else []
    full = pd.MultiIndex.from_product([buckets, groups], names=["bucket", "group"])
    out = counted.reindex(full, fill_value=0).reset_index()
    out["bucket"] = pd.to_datetime(out["bucket"], utc=True)
    out["count"] = out["count"].astype("int64")
    return out[cols]


def shares(df: pd.DataFrame, by: str | None) -> pd.DataFrame:
    """Return group, count, share (of all messages; multi-label shares can sum over 1)."""
    cols = ["group", "count", "share"]
    if df.empty:
        return _empty(cols, {"count": "int64", "share": "float64"})
    counts = _long(df, by).groupby("group").size()
    out = counts.rename("count").reset_index()
    out["share"] = out["count"] / len(df)
    out = out.sort_values(["count", "group"], ascending=[False, True], kind="stable")
    return out.reset_index(drop=True).astype({"count": "int64"})


def window_compare(
    df: pd.DataFrame,
    by: str | None,
    now: Any,
    window: timedelta = timedelta(minutes=30),
    baseline: timedelta = timedelta(hours=1),
) -> pd.DataFrame:
    """Return per group: recent and baseline counts, their rates per hour and the ratio.

    recent = (now - window, now]; baseline = the `baseline` period just before it.
    ratio = recent_rate / baseline_rate (inf when the baseline is empty).
    """
    cols = ["group", "recent", "baseline", "recent_rate", "baseline_rate", "ratio"]
    now = _utc(now)
    if df.empty:
        return _empty(cols, {c: "float64" for c in cols[3:]} | {"recent": "int64", "baseline": "int64"})
    times = _times(df)
    cut, begin = now - window, now - window - baseline
    period = np.select(
        [
            ((times > cut) & (times <= now)).to_numpy(),
            ((times > begin) & (times <= cut)).to_numpy(),
        ],
        ["recent", "baseline"],
        default="",
    )
    long = _long(df, by)
    long["period"] = period[long["row"].to_numpy()]
    long = long[long["period"] != ""]
    if long.empty:
        return _empty(cols, {c: "float64" for c in cols[3:]} | {"recent": "int64", "baseline": "int64"})
    table = pd.crosstab(long["group"], long["period"])
    table = table.reindex(columns=["recent", "baseline"], fill_value=0).reset_index()
    table["recent_rate"] = table["recent"] / (window / timedelta(hours=1))
    table["baseline_rate"] = table["baseline"] / (baseline / timedelta(hours=1))
    safe = table["baseline_rate"].where(table["baseline"] > 0, 1.0)
    table["ratio"] = np.where(table["baseline"] > 0, table["recent_rate"] / safe, np.inf)
    table = table.astype({"recent": "int64", "baseline": "int64"})
    table.columns.name = None
    return table.sort_values("group", kind="stable").reset_index(drop=True)[cols]


def _duration(td: timedelta, lang: str) -> str:
    """Return a short duration: "30 min", "1 uur"/"1 hour", "2 uur"/"2 hours"."""
    minutes = int(round(td / timedelta(minutes=1)))
    if minutes % 60 or minutes < 60:
        return f"{minutes} min"
    hours = minutes // 60
    if lang == "en":
        return f"{hours} hour" if hours == 1 else f"{hours} hours"
    return f"{hours} uur"


def _before(td: timedelta, lang: str) -> str:
    """Return "het uur ervoor" / "the hour before" / "de 2 uur ervoor"."""
    if td == timedelta(hours=1):
        return "the hour before" if lang == "en" else "het uur ervoor"
    return f"the {_duration(td, lang)} before" if lang == "en" else f"de {_duration(td, lang)} ervoor"


def _ratio_text(ratio: float, lang: str) -> str:
    """Return a ratio as "5×" (>= 3, rounded) or "2,5×" (one decimal, Dutch comma)."""
    if ratio >= 3:
        return f"{ratio:.0f}×"
    text = f"{ratio:.1f}"
    return (text if lang == "en" else text.replace(".", ",")) + "×"


def _n_messages(n: int, lang: str) -> str:
    """Return "1 bericht" / "12 berichten" (or English)."""
    if lang == "en":
        return f"{n} message" if n == 1 else f"{n} messages"
    return f"{n} bericht" if n == 1 else f"{n} berichten"


def _group_labels(df: pd.DataFrame, by: str | None, lang: str) -> dict[Any, str]:
    """Return readable labels per group: theme labels, category labels or the value itself."""
    if by == THEME and THEME_LABEL in df and len(df):
        labels = df[[THEME, THEME_LABEL]].drop_duplicates(THEME)
        return dict(zip(labels[THEME].tolist(),
                        [display_label(v, lang) for v in labels[THEME_LABEL].astype(str)], strict=False))
    if by == CATEGORIES:
        return {code: category_label(code, lang) for code in CATEGORY_CODES}
    return {}


def rising(
    df: pd.DataFrame,
    now: Any,
    by: str | None = THEME,
    window: timedelta = timedelta(minutes=30),
    baseline: timedelta = timedelta(hours=1),
    min_count: int = TREND_MIN_COUNT,
    min_ratio: float = TREND_UP_RATIO,
    labels: dict[Any, str] | None = None,
    lang: str = "nl",
) -> pd.DataFrame:
    """Return groups rising now: group, label, recent, baseline, ratio, reason (one sentence).

    A group rises when it has >= min_count messages in the recent window and its rate is
    >= min_ratio times the baseline rate (or the baseline is empty). NO_THEME is never
    reported. Sorted by ratio, then recent count, both descending.
    """
    cols = ["group", "label", "recent", "baseline", "ratio", "reason"]
    table = window_compare(df, by, now, window, baseline)
    if by == THEME:
        table = table[table["group"] != NO_THEME]
    table = table[(table["recent"] >= min_count) & (table["ratio"] >= min_ratio)]
    if table.empty:
        return _empty(cols, {"recent": "int64", "baseline": "int64", "ratio": "float64"})
    names = _group_labels(df, by, lang) | (labels or {})
    out = table.assign(label=[names.get(g, "") or str(g) for g in table["group"]])
    out = out.assign(reason=rising_reasons(out, window, baseline, lang))
    out = out.sort_values(["ratio", "recent"], ascending=[False, False], kind="stable")
    return out.reset_index(drop=True)[cols]


def rising_reasons(table: pd.DataFrame, window: timedelta, baseline: timedelta,
                   lang: str = "nl") -> list[str]:
    """Return the one-sentence reason of each row of a `rising` table (label, recent, baseline, ratio)."""
    win, before = _duration(window, lang), _before(baseline, lang)
    reasons = []
    for row in table.itertuples():
        msgs = _n_messages(int(row.recent), lang)
        if row.baseline == 0:
            new = "new" if lang == "en" else "nieuw"
            none = "none" if lang == "en" else "niets"
            reasons.append(f"{row.label} ({new}): {msgs} in {win}, {none} in {before}")
        else:
            reasons.append(f"{row.label}: {msgs} in {win}, {_ratio_text(row.ratio, lang)} {before}")
    return reasons


def _quantifier(n: int, lang: str) -> str:
    """Return enkele / diverse / veel by number (of authors in scan lines)."""
    words = QUANTIFIERS.get(lang, QUANTIFIERS["nl"])
    return words[0] if n < _QUANT_LIMITS[0] else words[1] if n < _QUANT_LIMITS[1] else words[2]


def scan_bullets(
    df: pd.DataFrame,
    now: Any,
    window: timedelta = timedelta(minutes=30),
    min_authors: int = 5,
    lang: str = "nl",
    max_bullets: int = 8,
) -> list[str]:
    """Return "wat speelt er" bullets for (now - window, now], like an omgevingsanalist's scan lines.

    One bullet per category with >= min_authors distinct authors (relevant, non-official
    messages), biggest first (`category_bullet`): "Veel mensen vragen (52 auteurs, 60 berichten):
    is het kraanwater veilig? (31 auteurs); enkele in het Engels". Every named group of people,
    question, theme label and language has >= min_authors distinct authors itself.
    """
    if df.empty:
        return []
    now = _utc(now)
    times = _times(df)
    keep = (times > now - window) & (times <= now)
    if RELEVANT in df:
        keep &= df[RELEVANT].fillna(False).astype(bool)
    if IS_OFFICIAL in df:
        keep &= ~df[IS_OFFICIAL].fillna(False).astype(bool)
    if CATEGORIES not in df:
        return []
    # only the columns the lines read: each category line takes its rows of them
    sub = df.loc[keep.to_numpy(), [c for c in df.columns if c in _BULLET_COLUMNS]]
    if sub.empty:
        return []
    # (message, category) pairs on integer codes: messages per category and distinct authors
    rows, groups = flatten_tuples(sub[CATEGORIES].to_numpy())
    wanted = np.isin(groups, list(CATEGORY_VERBS["nl"]))
    rows, groups = rows[wanted], groups[wanted]
    group, codes = pd.factorize(groups)
    author = pd.factorize(sub[AUTHOR].to_numpy())[0][rows]  # -1: no author (not counted)
    known = author >= 0
    stats = pd.DataFrame({"group": np.asarray(codes, dtype=object),
                          "n": np.bincount(group, minlength=len(codes)),
                          "a": distinct_per_group(group[known], author[known], len(codes))})
    stats = stats[stats["a"] >= min_authors]
    stats = stats.sort_values(["n", "group"], ascending=[False, True], kind="stable")
    who = who_hits(sub)  # once for the window, not once per category line
    bullets = []
    for g, code in zip(stats.index, stats["group"], strict=True):
        at = rows[group == g]
        bullets.append(category_bullet(sub.iloc[at], code, min_authors, lang, who_hits=who[at]))
    return bullets[:max_bullets]


# what `category_bullet` and its parts read (scan_bullets takes only these of a window's rows)
_BULLET_COLUMNS = frozenset({AUTHOR, TEXT, CLEAN_TEXT, TERMS, LANGUAGE, IS_REPOST, THEME, THEME_LABEL,
                             CATEGORIES})


def _int_text(n: int, lang: str) -> str:
    """Return an integer with the thousands separator of the language (1.234 / 1,234)."""
    return f"{int(n):,}".replace(",", "." if lang == "nl" else ",")


def category_bullet(rows: pd.DataFrame, code: str, min_authors: int, lang: str = "nl",
                    counts_extra: str = "", who_hits: np.ndarray | None = None) -> str:
    """Return one scan line for the messages `rows` of category `code`.

    "{Quantifier} {who} {verb} ({a} auteurs, {n} berichten{counts_extra}){about}{languages}":
    the quantifier counts authors (enkele < 26 <= diverse < 100 <= veel); who is a group of
    people the messages name themselves (`who_of`), else "mensen"; about is, for questions, the
    questions asked by >= k authors (`shared_questions`) and for other categories the theme
    labels with >= k authors; languages say how many wrote in each non-Dutch language with
    >= k authors ("; enkele in het Engels"). `who_hits`: `who_hits(rows)`, when already known.
    """
    lang = lang if lang in CATEGORY_VERBS else "nl"
    n, a = len(rows), int(rows[AUTHOR].nunique()) if len(rows) else 0
    who = who_of(rows, min_authors, lang, who_hits) or PEOPLE[lang]
    words = ("authors", "messages") if lang == "en" else ("auteurs", "berichten")
    verb = CATEGORY_VERBS[lang][code]
    if code == "vraag":
        asked = shared_questions(rows, min_authors, lang)
        about = ": " + "; ".join(asked) if asked else theme_part(rows, min_authors, lang)
        if not about:  # nothing shared by k authors: say so ("Enkele mensen vragen (…)" stopped short)
            verb, about = SCATTERED_QUESTIONS[lang]
    else:
        about = theme_part(rows, min_authors, lang)
    text = (f"{_quantifier(a, lang)} {who} {verb} "
            f"({_int_text(a, lang)} {words[0]}, {_int_text(n, lang)} {words[1]}{counts_extra})")
    return text + about + _language_part(rows, min_authors, lang)


# A question line whose questions share no subject among k authors: (verb, what follows the counts).
SCATTERED_QUESTIONS = {"nl": ("stellen vragen", " over uiteenlopende onderwerpen"),
                       "en": ("ask questions", " on various subjects")}


@lru_cache(maxsize=1)
def _who_regexes() -> tuple[re.Pattern, ...]:
    return tuple(re.compile(pattern) for _, _, pattern in WHO_PATTERNS)


def who_hits(rows: pd.DataFrame) -> np.ndarray:
    """Return a bool (rows, `WHO_PATTERNS`) matrix: which groups of people each message names.

    = `text.str.lower().str.contains(pattern)` per pattern, but only rows where RE2 finds one of the
    pattern's literals (`_WHO_GATES`, any case) run its Python regex, each distinct text once: a
    Nu window of a 1M incident held ~70k messages, and each category line matched all its rows.
    """
    out = np.zeros((len(rows), len(WHO_PATTERNS)), dtype=bool)
    if rows.empty or TEXT not in rows:
        return out
    text = arrow_strings(rows[CLEAN_TEXT] if CLEAN_TEXT in rows else rows[TEXT])
    for j, (regex, gate) in enumerate(zip(_who_regexes(), _WHO_GATES, strict=True)):
        at = np.flatnonzero(pc.match_substring_regex(text, gate, ignore_case=True)
                            .to_numpy(zero_copy_only=False))
        found: dict[str, bool] = {}
        for i, t in zip(at, text.take(pa.array(at)).to_pylist(), strict=True):
            hit = found.get(t)
            if hit is None:
                hit = found[t] = regex.search(t.lower()) is not None
            out[i, j] = hit
    return out


def who_of(rows: pd.DataFrame, min_authors: int, lang: str = "nl", hits: np.ndarray | None = None) -> str:
    """Return the group of people (campinggasten, ouders, bewoners) most of `rows` name, or "".

    `hits`: `who_hits(rows)`, when already known.
    """
    if rows.empty or TEXT not in rows:
        return ""
    hits = who_hits(rows) if hits is None else hits
    total = rows[AUTHOR].nunique()
    best, best_a = "", 0
    for j, (nl, en, _pattern) in enumerate(WHO_PATTERNS):
        a = rows.loc[hits[:, j], AUTHOR].nunique()
        if a >= min_authors and a >= WHO_SHARE * total and a > best_a:
            best, best_a = (en if lang == "en" else nl), a
    return best


_QUESTION_CLAUSE = r"([^.!?\n]*\?)"


def shared_questions(rows: pd.DataFrame, min_authors: int, lang: str = "nl", top: int = 2) -> list[str]:
    """Return up to `top` question clauses (3-10 words) asked by >= min_authors distinct authors.

    "is het kraanwater veilig? (31 auteurs)"; a clause of stop words only ("is dat erg?")
    names nothing and is skipped; a clause mostly written in another language names it.
    """
    if rows.empty:
        return []
    rows = rows.reset_index(drop=True)
    if IS_REPOST in rows:
        rows = rows[~rows[IS_REPOST].fillna(False).astype(bool).to_numpy()].reset_index(drop=True)
    names = LANGUAGE_NAMES.get(lang, LANGUAGE_NAMES["nl"])
    words = "authors" if lang == "en" else "auteurs"
    out = []
    # 1. the known subjects (synonym groups: asbest, kraanwater, blijven of weg, ...)
    if TERMS in rows and len(rows):
        topic = question_topics(rows)
        by_topic = rows[(topic != "").to_numpy()].groupby(topic[topic != ""].to_numpy())[AUTHOR].nunique()
        by_topic = by_topic[by_topic >= min_authors].sort_values(ascending=False, kind="stable")
        labels = TOPIC_LABELS.get(lang, TOPIC_LABELS["nl"])
        for t, a in by_topic.head(top).items():
            out.append(f"{labels[t][:1].lower()}{labels[t][1:]} ({_int_text(a, lang)} {words})")
    if len(out) >= top:
        return out
    text = (rows[CLEAN_TEXT] if CLEAN_TEXT in rows else rows[TEXT].str.lower()).astype(str)
    text = text.str.replace(r"\[[a-z\-]+\]|#", " ", regex=True)
    found = text.str.extractall(_QUESTION_CLAUSE)
    if found.empty:
        return out
    pos = found.index.get_level_values(0)
    clause = found[0].str.replace(r"\s+", " ", regex=True).str.strip(" ,;:-")
    frame = pd.DataFrame({"clause": clause.to_numpy(), "author": rows.loc[pos, AUTHOR].to_numpy(),
                          "lang": (rows.loc[pos, LANGUAGE].astype(str).to_numpy() if LANGUAGE in rows
                                   else "nl")})
    n_words = frame["clause"].str.count(" ") + 1
    frame = frame[(n_words >= 3) & (n_words <= 10)]
    if frame.empty:
        return out
    stop = stopwords()
    stats = frame.groupby("clause").agg(a=("author", "nunique"))
    stats = stats[stats["a"] >= min_authors]
    stats["lang"] = most_common_per_group(frame["clause"], frame["lang"]).reindex(stats.index)
    names_something = [any(len(w) >= 3 and w not in stop for w in c.rstrip("?").split()) for c in stats.index]
    stats = stats[np.array(names_something, dtype=bool)]
    stats = stats.reset_index().sort_values(["a", "clause"], ascending=[False, True], kind="stable")
    if len(out):  # a clause about a subject already named ("is het kraanwater veilig hier?") adds nothing
        named = set(by_topic.head(top).index)
        new = [topic_of_terms(tuple(c.rstrip("?").split())) not in named for c in stats["clause"]]
        stats = stats[np.array(new, dtype=bool)]
    for c, a, lg in stats[["clause", "a", "lang"]].head(top - len(out)).itertuples(index=False):
        where = f", {names[lg]}" if lg not in ("nl", "und") and lg in names else ""
        out.append(f"{c} ({_int_text(a, lang)} {words}{where})")
    return out


def most_common_per_group(group: pd.Series, value: pd.Series) -> pd.Series:
    """Return per group its most frequent value, a tie going to the value seen first in the group.

    = `value.groupby(group).agg(lambda v: v.value_counts().index[0])` without a Python call per
    group (a Nu window of a 1M incident held ~130 question clauses).
    """
    g_codes, g_uniques = pd.factorize(group.to_numpy(), use_na_sentinel=False)
    v_codes, v_uniques = pd.factorize(value.to_numpy(), use_na_sentinel=False)
    width = max(len(v_uniques), 1)
    pairs, first, counts = np.unique(g_codes.astype(np.int64) * width + v_codes, return_index=True,
                                     return_counts=True)
    owner = pairs // width
    order = np.lexsort((first, -counts, owner))  # per group: most frequent, then first seen
    best = order[np.r_[True, owner[order][1:] != owner[order][:-1]]] if len(order) else order
    return pd.Series(np.asarray(v_uniques, dtype=object)[pairs[best] % width],
                     index=np.asarray(g_uniques, dtype=object)[owner[best]])


def _language_part(rows: pd.DataFrame, min_authors: int, lang: str) -> str:
    """Return "; enkele in het Engels" per non-Dutch language with >= min_authors authors, or ""."""
    if LANGUAGE not in rows or rows.empty:
        return ""
    names = LANGUAGE_NAMES.get(lang, LANGUAGE_NAMES["nl"])
    by_lang = rows.groupby(rows[LANGUAGE].astype(str))[AUTHOR].nunique()
    by_lang = by_lang.drop(index=["nl", "und"], errors="ignore")
    by_lang = by_lang[by_lang >= min_authors].sort_values(ascending=False, kind="stable")
    total = rows[AUTHOR].nunique()
    parts = []
    for code, a in by_lang.head(2).items():
        name = names.get(code, code)
        if a > 0.5 * total:
            parts.append(f"mostly in {name}" if lang == "en" else f"de meeste in het {name}")
        else:
            quant = _quantifier(int(a), lang).lower()
            parts.append(f"{quant} in {name}" if lang == "en" else f"{quant} in het {name}")
    return "".join(f"; {p}" for p in parts)


def theme_part(rows: pd.DataFrame, min_authors: int, lang: str) -> str:
    """Return ", vooral over: label1; label2" for themes with >= min_authors authors, or ""."""
    if THEME not in rows or THEME_LABEL not in rows:
        return ""
    theme = rows[THEME].to_numpy(dtype=np.int64, na_value=NO_THEME)
    at = np.flatnonzero((theme != NO_THEME) & (theme != 0))
    if not len(at):
        return ""
    # integer codes, not a groupby with a categorical label per category line (~12 ms each on
    # the Nu page's hour of a 1M incident): count, distinct authors and first label per theme
    _, first, group = np.unique(theme[at], return_index=True, return_inverse=True)
    group = group.reshape(-1)
    author = pd.factorize(rows[AUTHOR].to_numpy()[at])[0]  # -1: no author (not counted)
    n = np.bincount(group, minlength=len(first))
    known = author >= 0
    a = distinct_per_group(group[known], author[known], len(first)) if known.any() else np.zeros_like(n)
    labels_all = rows[THEME_LABEL].to_numpy(dtype=object)[at[first]]
    stats = pd.DataFrame({THEME: theme[at[first]], "n": n, "a": a,
                          "label": [str(v) if v is not None and v == v else "" for v in labels_all]})
    stats = stats[(stats["a"] >= min_authors) & (stats["label"] != "")
                  & ~stats["label"].str.match(r"^thema \d+$")]
    if stats.empty:
        return ""
    stats = stats.sort_values(["n", THEME], ascending=[False, True], kind="stable")
    labels = "; ".join(display_label(v, lang) for v in stats["label"].head(2))
    return f", mostly about: {labels}" if lang == "en" else f", vooral over: {labels}"


# Near-duplicate keys in RE2 (pyarrow, vectorised: 2x faster than `re` per text at 575k distinct
# texts). Word characters are Unicode letters, digits and marks, so Thai, Gujarati or Arabic words
# with combining marks stay whole.
_NEAR_WORD = r"\p{L}\p{N}\p{M}"
_NEAR_DROP = (r"\[[a-z-]+\]|https?://[^\s\p{Z}]+|@[" + _NEAR_WORD + r"_]+|^[\s\p{Z}]*rt(?:[^"
              + _NEAR_WORD + r"_]|$)")
_NEAR_SPACE = r"[^" + _NEAR_WORD + r"]+|_+"


def near_keys(texts: pd.Series) -> pd.Series:
    """Return near-duplicate keys: lower-case words only; placeholders, links, RT dropped."""
    values = pa.array(texts.astype(object).where(texts.notna(), "").astype(str).tolist(), type=pa.string())
    return pd.Series(near_keys_arrow(values).to_pylist(), index=texts.index, dtype=object, name=texts.name)


NEAR_KEY_SPLIT = 50_000  # above this many texts the two halves run in two threads (RE2 drops the GIL)


def near_keys_arrow(values: pa.Array) -> pa.Array:
    """Return `near_keys` of an Arrow string array (no nulls) as an Arrow string array.

    A restart keys every distinct text of the incident (~550k at 1M messages, ~2 s of regex):
    large inputs are keyed in two halves on the two cores.
    """
    def keys(part: pa.Array) -> pa.Array:
        out = pc.utf8_lower(part)
        out = pc.replace_substring_regex(out, _NEAR_DROP, " ")
        out = pc.replace_substring_regex(out, _NEAR_SPACE, " ")
        return pc.utf8_trim_whitespace(out)

    if len(values) <= NEAR_KEY_SPLIT:
        return keys(values)
    half = len(values) // 2
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="luisterpost-near-keys") as pool:
        parts = list(pool.map(keys, (values.slice(0, half), values.slice(half))))
    return pa.chunked_array(parts, type=pa.string()).combine_chunks()


def _distinct_authors(group: np.ndarray, author: np.ndarray) -> np.ndarray:
    """Return, per message, the number of distinct authors in its group (integer codes)."""
    if len(group) == 0:
        return np.zeros(0, dtype=np.int64)
    width = int(author.max()) + 1
    pairs = pd.unique(group.astype(np.int64) * width + author)
    return np.bincount(pairs // width, minlength=int(group.max()) + 1)[group]


def _bursts(times: pd.Series, author: np.ndarray, key: np.ndarray) -> list[dict[str, Any]]:
    """Return bursts: >= 5 near-identical texts by >= 5 distinct authors within 10 minutes.

    `author` and `key` are integer codes per message; key -1 = no text.
    """
    naive = times.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy()
    keep = (key >= 0) & (_distinct_authors(np.where(key >= 0, key, 0), author) >= BURST_MIN_AUTHORS)
    frame = pd.DataFrame({"t": naive[keep], "a": author[keep], "k": key[keep]})
    frame = frame.sort_values(["k", "t"], kind="stable")
    out = []
    for _, part in frame.groupby("k", sort=False):
        t, a = part["t"].to_numpy(), part["a"].to_numpy()
        i = 0
        while i < len(t):
            j = int(np.searchsorted(t, t[i] + np.timedelta64(BURST_WINDOW), side="right"))
            if len(set(a[i:j])) >= BURST_MIN_AUTHORS:
                out.append(
                    {
                        "start": pd.Timestamp(t[i]).tz_localize("UTC"),
                        "end": pd.Timestamp(t[j - 1]).tz_localize("UTC"),
                        "n_messages": j - i,
                        "n_authors": len(set(a[i:j])),
                    }
                )
                i = j
            else:
                i += 1
    return sorted(out, key=_burst_order)


def _burst_order(burst: dict[str, Any]) -> tuple:
    """Sort key of bursts: earliest first, then the largest (fully determined, see views/live.py)."""
    return (burst["start"], -burst["n_messages"], burst["end"], -burst["n_authors"])


def _gaps(times: pd.Series, start: pd.Timestamp | None, end: pd.Timestamp | None) -> list:
    """Return (start, end) of periods longer than GAP without any message."""
    naive = times.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy().astype("datetime64[ns]")
    bounds = [
        np.array([] if b is None else [b.tz_localize(None).to_datetime64()], dtype="datetime64[ns]")
        for b in (start, end)
    ]
    edges = np.concatenate([bounds[0], np.sort(naive), bounds[1]])
    idx = np.flatnonzero(np.diff(edges) > np.timedelta64(GAP))
    return [
        (pd.Timestamp(edges[i]).tz_localize("UTC"), pd.Timestamp(edges[i + 1]).tz_localize("UTC"))
        for i in idx
    ]


def representativeness(df: pd.DataFrame, start: Any = None, end: Any = None) -> dict[str, Any]:
    """Return figures on how representative the feed is (no identities, no message text).

    Keys: n_messages, n_authors, messages_per_author, top10_share, repost_share,
    duplicate_share (identical text also posted by another author), near_duplicate_bursts
    (list of {start, end, n_messages, n_authors}), platforms ({name: count}),
    platforms_absent (COMMON_PLATFORMS not seen; see CLOSED_PLATFORMS), languages
    ({code: share}), gaps (list of (start, end) longer than 15 min within [start, end]).
    """
    start = _utc(start) if start is not None else None
    end = _utc(end) if end is not None else None
    times = _times(df) if len(df) else pd.Series(dtype="datetime64[ns, UTC]")
    keep = np.ones(len(df), dtype=bool)
    if start is not None:
        keep &= (times >= start).to_numpy()
    if end is not None:
        keep &= (times <= end).to_numpy()
    sub, times = df[keep], times[keep]
    n = len(sub)
    authors = sub[AUTHOR].astype(object) if n else pd.Series(dtype=object)
    per_author = authors.value_counts()
    text_col = CLEAN_TEXT if CLEAN_TEXT in sub else TEXT
    texts = sub[text_col].astype(object).fillna("") if n else pd.Series(dtype=object)
    author = pd.factorize(authors.to_numpy(), use_na_sentinel=False)[0].astype(np.int64)
    text_code, uniq_texts = pd.factorize(texts.to_numpy(), use_na_sentinel=False)
    shared = _distinct_authors(text_code.astype(np.int64), author) >= 2
    # near-duplicate keys are computed once per distinct text
    uniq_keys = near_keys(pd.Series(uniq_texts, dtype=object))
    key_code, _ = pd.factorize(uniq_keys.to_numpy(dtype=object))
    key_code = np.where(uniq_keys.to_numpy(dtype=object) == "", -1, key_code)
    key = key_code[text_code] if n else np.zeros(0, dtype=np.int64)
    platforms = (
        sub[PLATFORM].astype(str).str.lower().replace(_PLATFORM_ALIASES).value_counts()
        if n and PLATFORM in sub
        else pd.Series(dtype="int64")
    )
    languages = (
        sub[LANGUAGE].astype(str).value_counts(normalize=True)
        if n and LANGUAGE in sub
        else pd.Series(dtype=float)
    )
    reposts = sub[IS_REPOST].fillna(False).astype(bool) if n and IS_REPOST in sub else None
    return {
        "n_messages": n,
        "n_authors": int(per_author.size),
        "messages_per_author": n / per_author.size if per_author.size else 0.0,
        "top10_share": float(per_author.head(10).sum() / n) if n else 0.0,
        "repost_share": float(reposts.mean()) if reposts is not None else 0.0,
        "duplicate_share": float(shared.mean()) if n else 0.0,
        "near_duplicate_bursts": _bursts(times, author, key) if n else [],
        "platforms": {str(k): int(v) for k, v in platforms.sort_index().items()},
        "platforms_absent": [p for p in COMMON_PLATFORMS if p not in platforms.index],
        "languages": {str(k): float(v) for k, v in languages.sort_index().items()},
        "gaps": _gaps(times, start, end),
    }


def _empty(cols: list[str], dtypes: dict[str, str]) -> pd.DataFrame:
    """Return an empty frame with `cols` (object dtype unless given)."""
    return pd.DataFrame({c: pd.Series(dtype=dtypes.get(c, object)) for c in cols})


def trend_series(df: pd.DataFrame, by: str, freq: int, start: Any, end: Any, *, min_authors: int = 5,
                 top_themes: int = 8, categories: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Return bucket, group, count, total, share of public messages per `by` (category/theme/language).

    Themes: the `top_themes` largest named themes (not the catch-all) that have >= `min_authors`
    distinct authors in (start, end], so a theme label never shows for fewer than k people.
    """
    public = df[~df[IS_OFFICIAL].fillna(False).astype(bool)] if IS_OFFICIAL in df else df
    rule = f"{freq}min"
    total = counts_over_time(public, None, freq=rule, start=start, end=end)
    if by == "category":
        series = counts_over_time(public, CATEGORIES, freq=rule, start=start, end=end)
        if categories is not None:
            series = series[series["group"].isin(categories)]
    elif by == "theme":
        themed = public[(public[THEME] != NO_THEME) & (public[THEME] != 0)]
        times = _times(themed)
        inside = themed[((times > _utc(start)) & (times <= _utc(end))).to_numpy()] if len(themed) else themed
        authors = inside.groupby(THEME)[AUTHOR].nunique()
        wide = authors[authors >= min_authors].index
        themed = themed[themed[THEME].isin(wide)]
        top = themed[THEME].value_counts().head(top_themes).index
        series = counts_over_time(themed[themed[THEME].isin(top)], THEME, freq=rule, start=start, end=end)
    else:
        series = counts_over_time(public, LANGUAGE, freq=rule, start=start, end=end)
    out = series.merge(total[["bucket", "count"]].rename(columns={"count": "total"}), on="bucket")
    share = (out["count"] / out["total"]).where(out["total"] > 0, 0.0)
    return out.assign(share=share).reset_index(drop=True)

"""What was known when: the after-action timeline and the CoPI picture at a time T.

Contract (all pure functions unless they take an `engine`):

* **Arrival rule.** A message counts as known at T when it had *arrived* by T:
  `INGESTED_AT <= T`. That is only meaningful when the store was fed live.
  When the messages were imported afterwards in one go (the demo, an export
  loaded after the incident, a `replay` of old data), their arrival times say
  nothing about the incident, so the rule falls back to `CREATED_AT <= T`
  (posted by T), and the page says so. `arrival_basis` decides per incident:
  "ingested" when at least `LIVE_SHARE` of the messages arrived within
  `LIVE_LAG` of being posted, else "created".
* **Analysis at T.** `analysis_at` filters the stored analysed frame to the messages
  known at T (`pipeline.analysis.chain.as_of`): each keeps the categories, language and
  theme id it got on arrival; nothing is re-analysed for a replay time (issue 15).
* **Picture.** `picture` returns the aggregate CoPI picture at a time: volume,
  the top items per I-S-B block with a trend arrow, rising themes and the
  effect line of the last communication moment. Everything shown has
  >= k distinct authors (`COPI_MIN_AUTHORS`, at least 10). No message text, no
  author ever leaves these functions.
* **Timeline.** `timeline_table` makes one row per 15/30/60-minute bucket with
  the volume, top themes, categories, our communication moments, the report
  snapshots sent to the CoPI and the analyst's advice; `timeline_markdown`
  turns it into a Markdown document.
* **Advice.** The CoPI advice is appended to a small table `copi_advice`
  (one row per save: incident, text, author, time), created on first use, so
  the projection on another screen and the after-action review see it too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import numpy as np
import pandas as pd

from pipeline import schema as S
from pipeline.analysis.chain import CREATED as CHAIN_CREATED
from pipeline.analysis.chain import INGESTED as CHAIN_INGESTED
from pipeline.analysis.chain import AnalysisResult, analyze_incident, as_of
from pipeline.analysis.chain import as_of as chain_as_of
from pipeline.analysis.themes import label_for_k
from pipeline.arrays import distinct_per_group, flatten_tuples, take_rows
from pipeline.config import COPI_MIN_AUTHORS  # noqa: F401  (the one definition; re-exported)
from pipeline.ingest.privacy import scrub_free_text
from pipeline.render.tableformat import number
from pipeline.schema import TIME_ZONE
from pipeline.storage import snapshots as snapshot_store
from pipeline.storage import store
from pipeline.views.aggregate import TREND_MIN_COUNT, display_label, rising, rising_reasons, time_slice
from pipeline.views.aggregate import trend_arrow as arrow
from pipeline.views.effect import effect_table

LIVE_LAG = timedelta(minutes=60)
LIVE_SHARE = 0.9
STEP = timedelta(minutes=5)
PICTURE_WINDOW = timedelta(minutes=60)
TREND_UP, TREND_DOWN, TREND_FLAT = "↑", "↓", "→"  # the rule itself: aggregate.trend_of
OTHER_THEME = 0  # catch-all "overig" (pipeline.analysis.themes.OTHER_THEME): not a theme
MOMENT_CLUSTER = timedelta(minutes=10)  # the same message on several channels counts as one moment
BLOCKS = (S.INFORMATIEBEHOEFTE, S.SCHADEBEPERKING, S.BETEKENISGEVING, S.GERUCHTEN)
INGESTED, CREATED = CHAIN_INGESTED, CHAIN_CREATED  # owned by the one "as of T" (analysis.chain)
RISING_WINDOW = timedelta(minutes=30)  # `rising_themes`: the recent window (Nu may choose 60 min)
RISING_BASELINE = timedelta(hours=1)  # ... compared with the hour before it
RISING_SPAN = RISING_WINDOW + RISING_BASELINE
EFFECT_WINDOW = timedelta(minutes=30)  # `last_moment_effect`'s window
FREQS = {"15min": timedelta(minutes=15), "30min": timedelta(minutes=30), "60min": timedelta(hours=1)}


# --- the arrival rule -------------------------------------------------------------------
def arrival_basis(messages: pd.DataFrame, *, lag: timedelta = LIVE_LAG,
                  share: float = LIVE_SHARE) -> str:
    """Return "ingested" when the store was fed live (arrival times mean something), else "created"."""
    if messages.empty or S.INGESTED_AT not in messages:
        return CREATED
    created = pd.to_datetime(messages[S.CREATED_AT], utc=True)
    ingested = pd.to_datetime(messages[S.INGESTED_AT], utc=True)
    delay = ingested - created
    # a live feed delivers within the lag; a small negative delay is clock skew
    live = (delay <= pd.Timedelta(lag)) & (delay >= -pd.Timedelta(minutes=5))
    return INGESTED if float(live.mean()) >= share else CREATED


def known_at(messages: pd.DataFrame, basis: str) -> pd.Series:
    """Return per message the time it became known under `basis` (UTC)."""
    if basis not in (INGESTED, CREATED):
        raise ValueError(f"basis must be {INGESTED!r} or {CREATED!r}, not {basis!r}")
    col = S.INGESTED_AT if basis == INGESTED else S.CREATED_AT
    return pd.to_datetime(messages[col], utc=True)


def known_by(messages: pd.DataFrame, t: Any, basis: str) -> pd.DataFrame:
    """Return the messages known at `t` (arrived by t, or posted by t for "created")."""
    return chain_as_of(messages, t, basis)


def time_steps(messages: pd.DataFrame, basis: str, step: timedelta = STEP) -> list[pd.Timestamp]:
    """Return the slider times: every `step` from the first message to the last one known, inclusive."""
    if messages.empty:
        return []
    first = pd.to_datetime(messages[S.CREATED_AT], utc=True).min().floor(pd.Timedelta(step))
    last = known_at(messages, basis).max().ceil(pd.Timedelta(step))
    return list(pd.date_range(first, max(first, last), freq=pd.Timedelta(step)))


def analysis_at(engine, incident_id: int, t: Any, *, basis: str | None = None, base=None):
    """Return (AnalysisResult of only the messages known at t, basis used).

    A filter on stored analysed columns (`pipeline.analysis.chain.as_of`): each message keeps the
    analysis and theme id it got on arrival; nothing is re-analysed. `base` is the incident's
    current AnalysisResult when the caller has it (the page cache), else it is read from the store.
    """
    base = base if base is not None else analyze_incident(engine, incident_id)
    basis = basis or arrival_basis(base.frame)
    frame = as_of(base.frame, t, basis).reset_index(drop=True)
    return AnalysisResult(frame, base.theme_model, base.params), basis


# --- the picture ------------------------------------------------------------------------------
@dataclass
class Picture:
    """The aggregate CoPI picture at `at` (nothing here identifies a person or quotes one)."""

    at: pd.Timestamp
    window: timedelta
    min_authors: int
    n_messages: int = 0
    n_authors: int = 0
    n_messages_before: int = 0
    items: pd.DataFrame = field(default_factory=pd.DataFrame)  # block, kind, label, count, authors, trend
    rising: pd.DataFrame = field(default_factory=pd.DataFrame)  # label, recent, baseline, ratio
    effect: dict | None = None
    languages: pd.DataFrame = field(default_factory=pd.DataFrame)  # language, authors, count, before, trend


_TEXT_COLUMNS = (S.TEXT, S.CLEAN_TEXT, S.SOURCE_ID, S.URL_DOMAIN, S.TERMS)  # per-message text


def _without_texts(frame: pd.DataFrame) -> pd.DataFrame:
    """Return `frame` without its per-message text columns (a column selection; no row is copied)."""
    return frame.drop(columns=[c for c in _TEXT_COLUMNS if c in frame])


def public_relevant(frame: pd.DataFrame) -> pd.DataFrame:
    """Return the messages by the public (not official accounts) that are about the incident."""
    if frame.empty:
        return frame
    keep = ~frame[S.IS_OFFICIAL].astype(bool)
    if S.RELEVANT in frame:
        keep &= frame[S.RELEVANT].fillna(False).astype(bool)
    return frame[keep.to_numpy()]


def trend_arrow(now: int, before: int) -> str:
    """Return the arrow of the one trend rule (`aggregate.trend_of`) for a count and the one before."""
    return arrow(now, before)


def _in(frame: pd.DataFrame, lo: pd.Timestamp, hi: pd.Timestamp) -> pd.DataFrame:
    times = pd.to_datetime(frame[S.CREATED_AT], utc=True)
    return frame[((times > lo) & (times <= hi)).to_numpy()]


def block_items(frame: pd.DataFrame, at: Any, *, window: timedelta = PICTURE_WINDOW,
                min_authors: int = COPI_MIN_AUTHORS, top: int = 3, lang: str = "nl",
                texts_from: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return per I-S-B block its top themes (else categories) in (at - window, at] with >= k authors.

    Columns: block, kind ("thema"/"categorie"), label, count, authors, before, trend.
    A message counts in the block of its reporting I-S-B block (`schema.isb_of`).
    `texts_from`: a frame with the texts of `frame`'s rows (same index), when `frame` has none.
    """
    cols = ["block", "kind", "label", "count", "authors", "before", "trend"]
    at = _utc(at)
    pub = public_relevant(frame)
    if pub.empty:
        return pd.DataFrame(columns=cols)
    now_part = _in(pub, at - window, at)
    before_part = _in(pub, at - 2 * window, at - window)
    # categories exploded once per window (not once per block): message block, category, author
    cats_now, cats_before = _category_long(now_part), _category_long(before_part)
    # labels are checked against k on the messages this view looks at (both windows), so the
    # answer does not depend on how much history the caller handed in
    shown = _in(pub, at - 2 * window, at)
    rows = []
    for block in BLOCKS:
        cur = now_part[now_part[S.ISB] == block]
        prev = before_part[before_part[S.ISB] == block]
        found = labels_for_k(_top_groups(cur, prev, S.THEME, min_authors, top), shown, min_authors,
                              texts_from)
        kind = "thema"
        if found.empty:  # no theme big enough: fall back to the block's categories
            found = _top_groups(cur, prev, S.CATEGORIES, min_authors, top, block=block, lang=lang,
                                long_cur=cats_now[cats_now["isb"] == block],
                                long_prev=cats_before[cats_before["isb"] == block])
            kind = "categorie"
        else:  # stored labels are Dutch: "(Engels)" reads "(English)" in English
            found = found.assign(label=[display_label(v, lang) for v in found["label"]])
        for r in found.itertuples(index=False):
            rows.append((block, kind, r.label, int(r.count), int(r.authors), int(r.before),
                         trend_arrow(int(r.count), int(r.before))))
    return pd.DataFrame(rows, columns=cols)


LANGUAGE_ITEMS = 4  # other languages shown at most (the CoPI line stays one line)
_NOT_OTHER = ("nl", "und", "")  # Dutch is the picture itself; "niet herkend" is no language


def language_items(recent: pd.DataFrame, before: pd.DataFrame, min_authors: int,
                   top: int = LANGUAGE_ITEMS) -> pd.DataFrame:
    """Return the languages other than Dutch that >= k distinct authors wrote in, most authors first.

    Columns: language (code), authors, count (messages), before (authors in the window before),
    trend (authors now against before: the people, not their messages). An OVD-C needs to know that
    a group of residents or visitors reads another language (seed 000: "enkele vragen in het Engels
    of ze veilig zijn"), also when none of its themes is in a block's top three. Counts only; a
    language below k authors is not named.
    """
    cols = ["language", "authors", "count", "before", "trend"]
    if recent.empty or S.LANGUAGE not in recent:
        return pd.DataFrame(columns=cols)

    def per_language(df: pd.DataFrame) -> pd.DataFrame:
        langs = df[S.LANGUAGE].astype(str).to_numpy()
        other = ~np.isin(langs, _NOT_OTHER)
        sub = pd.DataFrame({"language": langs[other], "a": df[S.AUTHOR].to_numpy()[other]})
        return sub.groupby("language").agg(count=("a", "size"), authors=("a", "nunique"))

    stats = per_language(recent)
    stats = stats[stats["authors"] >= min_authors]
    if stats.empty:
        return pd.DataFrame(columns=cols)
    prev = (per_language(before)["authors"] if len(before) and S.LANGUAGE in before
            else pd.Series(dtype="int64"))
    stats["before"] = prev.reindex(stats.index, fill_value=0).astype("int64")
    stats = stats.reset_index().sort_values(["authors", "language"], ascending=[False, True],
                                            kind="stable").head(top)
    stats["trend"] = [trend_arrow(int(n), int(b)) for n, b in zip(stats["authors"], stats["before"],
                                                                  strict=True)]
    return stats[cols].reset_index(drop=True)


def _category_long(df: pd.DataFrame) -> pd.DataFrame:
    """Return one row per (message, category): g (code), a (author), isb (the message's block)."""
    rows, cats = flatten_tuples(df[S.CATEGORIES].to_numpy())
    out = pd.DataFrame({"g": cats, "a": df[S.AUTHOR].to_numpy()[rows], "isb": df[S.ISB].to_numpy()[rows]},
                       index=df.index[rows])
    return out.dropna(subset=["a"])


def _top_groups(cur: pd.DataFrame, prev: pd.DataFrame, by: str, min_authors: int, top: int, *,
                block: str | None = None, lang: str = "nl", long_cur: pd.DataFrame | None = None,
                long_prev: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return label, count, authors, before for the `top` groups of `by` with >= k authors.

    `long_cur`/`long_prev` (categories only): `cur`/`prev` already exploded (`_category_long`).
    """
    def long(df: pd.DataFrame, exploded: pd.DataFrame | None = None) -> pd.DataFrame:
        if by == S.CATEGORIES:
            if exploded is not None:
                out = exploded[["g", "a"]]
            else:
                rows, cats = flatten_tuples(df[S.CATEGORIES].to_numpy())
                out = pd.DataFrame({"g": cats, "a": df[S.AUTHOR].to_numpy()[rows]}).dropna()
            codes = [c.code for c in S.CATEGORY_LIST if c.block == block]
            return out[out["g"].isin(codes)]
        out = pd.DataFrame({"g": df[S.THEME].to_numpy(), "a": df[S.AUTHOR].to_numpy(),
                            "label": df[S.THEME_LABEL].astype(str).to_numpy()})
        return out[~out["g"].isin([S.NO_THEME, OTHER_THEME]) & (out["label"] != "")]

    cur_l, prev_l = long(cur, long_cur), long(prev, long_prev)
    if cur_l.empty:
        return pd.DataFrame(columns=["g", "label", "count", "authors", "before"])
    stats = cur_l.groupby("g").agg(count=("a", "size"), authors=("a", "nunique"))
    stats = stats[stats["authors"] >= min_authors]
    before = prev_l.groupby("g").size() if len(prev_l) else pd.Series(dtype="int64")
    stats["before"] = before.reindex(stats.index, fill_value=0).astype("int64")
    if by == S.CATEGORIES:
        stats["label"] = [S.category_label(c, lang) for c in stats.index]
    else:
        stats["label"] = cur_l.groupby("g")["label"].first().reindex(stats.index)
    stats = stats.reset_index().sort_values(["count", "g"], ascending=[False, True], kind="stable")
    return stats.head(top)[["g", "label", "count", "authors", "before"]].reset_index(drop=True)


def labels_for_k(found: pd.DataFrame, pub: pd.DataFrame, min_authors: int,
                 texts_from: pd.DataFrame | None = None, most: int | None = None) -> pd.DataFrame:
    """Re-check theme labels against a view's k (`themes.label_for_k`); drop themes left unnamed.

    `found`: columns g (theme id) and label, biggest first. The texts are `pub`'s own, or those
    of its rows in `texts_from` (by index label): only the rows of the found themes are looked
    up. `most`: stop once that many themes keep a name (the scan report's top themes).
    The one re-check of CoPI, Nabespreking, the rising themes and the scan report.
    """
    if found.empty:
        return found
    # The text column of the found themes' rows, taken once (chunk by chunk: a whole incident's
    # texts are many Arrow chunks, and taking every column per theme was most of a replay).
    source = pub if texts_from is None else texts_from
    column = S.CLEAN_TEXT if S.CLEAN_TEXT in source else S.TEXT
    theme = pub[S.THEME].to_numpy()
    mine = np.flatnonzero(np.isin(theme, found["g"].to_numpy()))
    positions = mine if texts_from is None else texts_from.index.get_indexer(pub.index[mine])
    texts = take_rows(source[column], positions)
    if column == S.TEXT:
        texts = texts.astype(str).str.lower()
    authors, theme = pub[S.AUTHOR].to_numpy()[mine], theme[mine]
    languages = pub[S.LANGUAGE].to_numpy()[mine] if S.LANGUAGE in pub else None
    labels = []
    for g, label in zip(found["g"], found["label"], strict=True):
        if most is not None and sum(map(bool, labels)) == most:
            break
        rows = theme == g
        labels.append(label_for_k(str(label), texts[rows], pd.Series(authors[rows]), min_authors,
                                  languages=languages[rows] if languages is not None else None))
    found = found.iloc[:len(labels)].assign(label=labels)
    return found[found["label"] != ""].reset_index(drop=True)


def rising_themes(frame: pd.DataFrame, at: Any, *, min_authors: int = COPI_MIN_AUTHORS,
                  lang: str = "nl", texts_from: pd.DataFrame | None = None,
                  window: timedelta = RISING_WINDOW) -> pd.DataFrame:
    """Return rising themes (`aggregate.rising`) whose recent messages come from >= k authors.

    The one rule of Nu, its sidebar, CoPI and Nabespreking: relevant messages of the public in
    (at - window, at] against the hour before; at least `TREND_MIN_COUNT` (and k) messages and
    k distinct authors in the window; the catch-all theme never; the label re-checked for k.
    Columns: group, label, recent, baseline, ratio, reason (`aggregate.rising_reasons`, with the
    checked label). `texts_from`: as in `block_items`.
    """
    cols = ["group", "label", "recent", "baseline", "ratio", "reason"]
    at = _utc(at)
    # only the recent window and the hour before it count
    pub = public_relevant(time_slice(frame, at - window - RISING_BASELINE, at))
    if pub.empty:
        return pd.DataFrame(columns=cols)
    out = rising(pub, at, by=S.THEME, window=window, baseline=RISING_BASELINE,
                 min_count=max(TREND_MIN_COUNT, min_authors), lang=lang)
    out = out[out["group"] != OTHER_THEME]
    if out.empty:
        return pd.DataFrame(columns=cols)
    recent = _in(pub, at - window, at)
    authors = recent.groupby(S.THEME)[S.AUTHOR].nunique()
    out = out[out["group"].map(lambda g: authors.get(g, 0) >= min_authors).astype(bool)]
    out = labels_for_k(out.rename(columns={"group": "g"}), pub, min_authors,
                        texts_from).rename(columns={"g": "group"})
    out = out.assign(label=[display_label(v, lang) for v in out["label"]])
    out = out.assign(reason=rising_reasons(out, window, RISING_BASELINE, lang))
    return out[cols].reset_index(drop=True)


EFFECT_TEXTS = {
    "nl": {
        "line": ("Na ons laatste bericht ({time}, {channel}; {before} min ervoor, {after} min erna): "
                 "{parts}."),
        "caveat": "Samenhang in de tijd, geen bewijs van effect.",
        "part": "{label} {before} → {after} per uur",
        "none": "Na ons laatste bericht ({time}, {channel}): nog te weinig berichten om iets over te zeggen.",
        "no_moment": "Nog geen communicatiemoment van ons in deze periode.",
    },
    "en": {
        "line": ("After our last message ({time}, {channel}; {before} min before, {after} min after): "
                 "{parts}."),
        "caveat": "Association in time, not proof of effect.",
        "part": "{label} {before} → {after} per hour",
        "none": "After our last message ({time}, {channel}): too few messages to say anything yet.",
        "no_moment": "No communication moment of ours in this period yet.",
    },
}


def last_moment_effect(frame: pd.DataFrame, moments: pd.DataFrame, at: Any, *,
                       window: timedelta = EFFECT_WINDOW,
                       min_authors: int = COPI_MIN_AUTHORS, top: int = 2) -> dict | None:
    """Return the before/after rates per hour of the biggest category changes around the last moment.

    Keys: time, channel, parts (list of {code, before_rate, after_rate}), minutes (the window before)
    and after_minutes (the window after, cut at `at`); None without a moment.
    Only categories with >= k distinct authors before or after are considered. The after
    window is cut at `at`; at least 10 minutes of it are needed.
    """
    at = _utc(at)
    last = _last_moment(moments, at)
    if last is None:
        return None
    t = _utc(last[S.MOMENT_TIME].iloc[0])
    out = {"time": t, "channel": str(last[S.MOMENT_CHANNEL].iloc[0]), "parts": [],
           "minutes": int(window.total_seconds() // 60),
           "after_minutes": int(min(at - t, window).total_seconds() // 60)}
    if at - t < timedelta(minutes=10):
        return out
    # only the two windows around the moment count (the after window cut at `at`): cut the frame
    # to them before anything else, so a moment long ago costs no pass over the hours since
    # only the columns the effect reads: every other column would be taken row by row below
    frame = frame[[c for c in _EFFECT_COLUMNS if c in frame.columns]]
    pub = public_relevant(time_slice(frame, t - window - timedelta(seconds=1), min(at, t + window)))
    if pub.empty:
        return out
    table = effect_table(pub, last, window=window, period=(t - window, min(at, t + window)))
    keep = []
    authors_before, authors_after = _authors_before_after(pub, t, window)
    for row in table.itertuples(index=False):
        code = row.category
        if code not in S.CATEGORIES_BY_CODE or S.CATEGORIES_BY_CODE[code].block == S.OVERIG:
            continue
        a_b, a_a = authors_before.get(code, 0), authors_after.get(code, 0)
        if max(a_b, a_a) < min_authors or not np.isfinite(row.before_rate) or not np.isfinite(row.after_rate):
            continue
        keep.append((abs(row.after_rate - row.before_rate), code, row.before_rate, row.after_rate))
    keep.sort(key=lambda x: (-x[0], x[1]))
    out["parts"] = [{"code": c, "before_rate": b, "after_rate": a} for _, c, b, a in keep[:top]]
    return out


_EFFECT_COLUMNS = (S.CREATED_AT, S.CATEGORIES, S.AUTHOR, S.IS_OFFICIAL, S.RELEVANT)


def _authors_before_after(frame: pd.DataFrame, t: pd.Timestamp,
                          window: timedelta) -> tuple[dict[str, int], dict[str, int]]:
    """Return the distinct authors per category in (t - window, t] and in (t, t + window].

    One pass over both windows (each row's categories exploded once, authors as integer codes).
    """
    if frame.empty:
        return {}, {}
    ns = pd.to_datetime(frame[S.CREATED_AT], utc=True).to_numpy(dtype="datetime64[ns]")
    t64, w64 = np.datetime64(t.tz_convert(None), "ns"), np.timedelta64(window)
    side = np.full(len(frame), -1, dtype=np.int8)
    side[(ns > t64 - w64) & (ns <= t64)] = 0
    side[(ns > t64) & (ns <= t64 + w64)] = 1
    rows, cats = flatten_tuples(frame[S.CATEGORIES].to_numpy())
    author, side = pd.factorize(frame[S.AUTHOR])[0][rows], side[rows]
    keep = (side >= 0) & (author >= 0)  # a missing author is no author
    codes, uniques = pd.factorize(cats[keep])
    n = len(uniques)
    counts = distinct_per_group(side[keep].astype(np.int64) * n + codes, author[keep], 2 * n)
    return tuple({str(c): int(k) for c, k in zip(uniques, counts[s * n:(s + 1) * n], strict=True) if k}
                 for s in (0, 1))  # type: ignore[return-value]


def _last_moment(moments: pd.DataFrame | None, at: pd.Timestamp) -> pd.DataFrame | None:
    """Return the last moment by `at` (one row), moved back to the first of its cluster; None if none."""
    if moments is None or moments.empty:
        return None
    times = pd.to_datetime(moments[S.MOMENT_TIME], utc=True)
    past = moments[(times <= at).to_numpy()].assign(_t=times[times <= at]).sort_values("_t")
    if past.empty:
        return None
    # the last moment, moved back to the first of a cluster (tweet + Facebook + retweet)
    i = len(past) - 1
    while i > 0 and past["_t"].iloc[i] - past["_t"].iloc[i - 1] <= MOMENT_CLUSTER:
        i -= 1
    return past.iloc[[i]].drop(columns="_t")


def effect_line(effect: dict | None, lang: str = "nl") -> str:
    """Return the one-line effect text (fixed wording + category names + numbers)."""
    facts, caveat = effect_parts(effect, lang)
    return f"{facts} {caveat}" if caveat else facts


def effect_parts(effect: dict | None, lang: str = "nl") -> tuple[str, str]:
    """Return the effect text as (figures, caveat); the caveat is "" when no rates are compared.

    The caveat says "not proof of effect": a view that has to shorten the figures keeps it whole.
    """
    texts = EFFECT_TEXTS.get(lang, EFFECT_TEXTS["nl"])
    if effect is None:
        return texts["no_moment"], ""
    when = local(effect["time"]).strftime("%H:%M")
    if not effect["parts"]:
        return texts["none"].format(time=when, channel=effect["channel"]), ""
    parts = "; ".join(texts["part"].format(label=S.category_label(p["code"], lang).lower(),
                                           before=round(p["before_rate"]), after=round(p["after_rate"]))
                      for p in effect["parts"])
    # the windows are named: the scan report compares other windows around the same message
    minutes = effect.get("minutes", int(EFFECT_WINDOW.total_seconds() // 60))
    return (texts["line"].format(time=when, channel=effect["channel"], parts=parts, before=minutes,
                                 after=effect.get("after_minutes", minutes)), texts["caveat"])


LANGUAGE_TEXTS = {
    "nl": {"line": "Andere talen: {items}", "item": "{name} {authors} auteurs {trend}",
           "none": "Geen andere taal dan Nederlands met ≥ {k} auteurs"},
    "en": {"line": "Other languages: {items}", "item": "{name} {authors} authors {trend}",
           "none": "No language other than Dutch with ≥ {k} authors"},
}


def language_line(languages: pd.DataFrame, min_authors: int, lang: str = "nl") -> str:
    """Return the picture's other languages as one line: "Andere talen: Engels 78 auteurs → · Duits …".

    Fixed words, language names and numbers only (no message text).
    """
    texts = LANGUAGE_TEXTS.get(lang, LANGUAGE_TEXTS["nl"])
    if languages is None or languages.empty:
        return texts["none"].format(k=min_authors)
    names = S.LANGUAGE_NAMES.get(lang, S.LANGUAGE_NAMES["nl"])
    return texts["line"].format(items=" · ".join(
        texts["item"].format(name=names.get(r.language, r.language), authors=number(r.authors, lang),
                             trend=r.trend) for r in languages.itertuples(index=False)))


def picture(frame: pd.DataFrame, moments: pd.DataFrame, at: Any, *,
            window: timedelta = PICTURE_WINDOW, min_authors: int = COPI_MIN_AUTHORS,
            lang: str = "nl") -> Picture:
    """Return the CoPI picture at `at` from analysed messages (only those posted by `at` count)."""
    at = _utc(at)
    # the blocks and rising themes look at most 2 windows or the rising span back: cut the frame
    # to that first, so a refresh handles the recent rows, not the whole incident (the effect of
    # the last moment cuts its own two windows, however long ago the moment was)
    lo = min(at - 2 * window, at - RISING_SPAN)
    # The picture counts no text: the text columns are left out before rows are filtered (taking
    # Arrow strings row by row was most of a replay at a peak hour). A theme label is re-checked
    # against the k of the view (themes.label_for_k) on the texts of its own rows, looked up by
    # index label in the whole frame (unique: the analysed frame's RangeIndex).
    unique = frame.index.is_unique
    effect = last_moment_effect(_without_texts(frame) if unique else frame, moments, at,
                                min_authors=min_authors)
    texts_from, frame = ((frame, time_slice(_without_texts(frame), lo - timedelta(seconds=1), at)) if unique
                         else (None, time_slice(frame, lo - timedelta(seconds=1), at)))
    pub = public_relevant(frame)
    recent = _in(pub, at - window, at) if not pub.empty else pub
    before = _in(pub, at - 2 * window, at - window) if not pub.empty else pub
    n_authors = int(recent[S.AUTHOR].nunique()) if not recent.empty else 0
    shown = n_authors >= min_authors
    return Picture(
        at=at, window=window, min_authors=min_authors,
        n_messages=len(recent) if shown else 0, n_authors=n_authors if shown else 0,
        n_messages_before=len(before),
        items=block_items(frame, at, window=window, min_authors=min_authors, lang=lang,
                          texts_from=texts_from),
        rising=rising_themes(frame, at, min_authors=min_authors, lang=lang, texts_from=texts_from),
        effect=effect,
        languages=language_items(recent, before, min_authors),  # >= k per language: none if not shown
    )


# --- snapshots and advice ------------------------------------------------------------------------
SNAPSHOT_COLUMNS = snapshot_store.SNAPSHOT_COLUMNS


def load_snapshots(engine, incident_id: int, until: Any = None) -> pd.DataFrame:
    """Return the report snapshots made for the CoPI (created by `until`), oldest first."""
    until_db = store.to_db_time(_utc(until)) if until is not None else None
    return snapshot_store.load_snapshots(engine, incident_id, until_db)


MAX_ADVICE_CHARS = 600


def save_advice(engine, incident_id: int, text: str, *, author: str, at: Any = None) -> None:
    """Append the CoPI advice for an incident (kept with its author and time; audited).

    Links, e-mail addresses, phone numbers and @handles are replaced as in messages: the advice
    is projected in the CoPI and goes into reports that may be released.
    """
    text = scrub_free_text(str(text).strip()[:MAX_ADVICE_CHARS])
    when = store.to_db_time(_utc(at) if at is not None else store.now_utc())
    snapshot_store.add_advice(engine, incident_id, text, author=author, created_db=when)


def load_advice(engine, incident_id: int, until: Any = None) -> pd.DataFrame:
    """Return the advice history of an incident (created_at, author, text), oldest first."""
    until_db = store.to_db_time(_utc(until)) if until is not None else None
    return snapshot_store.load_advice(engine, incident_id, until_db)


def latest_advice(engine, incident_id: int) -> str:
    """Return the current CoPI advice of an incident ("" when none was written)."""
    history = load_advice(engine, incident_id)
    return str(history["text"].iloc[-1]) if len(history) else ""


# --- the timeline -----------------------------------------------------------------------------------
TIMELINE_COLUMNS = ["van", "tot", "berichten", "auteurs", "themas", "categorieen",
                    "communicatie", "rapporten", "advies"]


def timeline_table(frame: pd.DataFrame, moments: pd.DataFrame, snapshots: pd.DataFrame,
                   advice: pd.DataFrame, *, until: Any, freq: str = "30min",
                   min_authors: int = COPI_MIN_AUTHORS, top: int = 3, lang: str = "nl") -> pd.DataFrame:
    """Return one row per `freq` bucket up to `until`: what was posted, said and sent to the CoPI.

    berichten/auteurs count public messages posted in the bucket (all, relevant or not);
    themas lists up to `top` themes with >= k distinct authors in the bucket ("label (n)");
    categorieen the categories with >= k authors ("Vraag 120"); communicatie our moments;
    rapporten the CoPI report snapshots made in the bucket; advies the advice saved in it.
    Times are Europe/Amsterdam.
    """
    if freq not in FREQS:
        raise ValueError(f"freq must be one of {', '.join(FREQS)}")
    until = _utc(until)
    step = pd.Timedelta(FREQS[freq])
    starts = [pd.to_datetime(frame[S.CREATED_AT], utc=True).min()] if len(frame) else []
    for df, col in ((moments, S.MOMENT_TIME), (snapshots, "created_at"), (advice, "created_at")):
        if df is not None and len(df):
            starts.append(pd.to_datetime(df[col], utc=True).min())
    if not starts:
        return pd.DataFrame(columns=TIMELINE_COLUMNS)
    # Buckets (van, tot], closed on the right like every window of the app: Nu's "15:30–16:00" at
    # stand 16:00 is (15:30, 16:00] (posted by T), and this row counts the same messages. Before
    # (2026-12-06) rows were [van, tot): two messages at 15:30:00 made 840 here against Nu's 838,
    # and an empty last row "16:00–16:00" held what was posted at T.
    first = (min(starts) - pd.Timedelta(microseconds=1)).floor(step)
    buckets = pd.date_range(first, until, freq=step, inclusive="left")
    counts = _bucket_counts(frame, first, step, until, len(buckets), min_authors, top, lang)
    rows = []
    for b, lo in enumerate(buckets):
        hi = min(lo + step, until)
        rows.append({
            "van": local(lo).strftime("%d-%m %H:%M"),
            "tot": local(min(lo + step, until)).strftime("%H:%M"),
            "berichten": int(counts["berichten"][b]),
            "auteurs": int(counts["auteurs"][b]),
            "themas": counts["themas"][b],
            "categorieen": counts["categorieen"][b],
            "communicatie": _between(moments, S.MOMENT_TIME, lo, hi, lambda r: (
                f"{local(r[S.MOMENT_TIME]).strftime('%H:%M')} {r[S.MOMENT_CHANNEL]}: "
                f"{_one_line(r[S.MOMENT_TEXT], 140)}")),
            "rapporten": _between(snapshots, "created_at", lo, hi, lambda r: (
                f"v{int(r['version'])} (stand {local(r['picture_at']).strftime('%H:%M')}, "
                f"{'vrijgegeven' if bool(r['released']) else 'concept'})")),
            "advies": _between(advice, "created_at", lo, hi, lambda r: (
                f"{local(r['created_at']).strftime('%H:%M')}: {_one_line(r['text'], 200)}")),
        })
    return pd.DataFrame(rows, columns=TIMELINE_COLUMNS)


def _bucket_counts(frame: pd.DataFrame, first: pd.Timestamp, step: pd.Timedelta, until: pd.Timestamp,
                   n_buckets: int, min_authors: int, top: int, lang: str) -> dict[str, list]:
    """Return per bucket: public messages, distinct authors, the themes cell and the categories cell.

    One pass over the public messages in (first, until] (bucket b: (first + b·step, first +
    (b+1)·step]), grouped with integer keys: not a filter, groupby and explode per bucket over the
    whole frame (at 1M messages and 45 buckets that took seconds for every replay time).
    themas: up to `top` themes with >= k distinct authors in the bucket, "label (n)", most messages
    first; categorieen: reporting categories with >= k authors, "Vraag 120", most messages first.
    """
    out = {"berichten": np.zeros(n_buckets, np.int64), "auteurs": np.zeros(n_buckets, np.int64),
           "themas": [""] * n_buckets, "categorieen": [""] * n_buckets}
    if frame.empty:
        return out
    times = pd.to_datetime(frame[S.CREATED_AT], utc=True)  # columns as arrays: no copy of the frame
    ns = times.to_numpy(dtype="datetime64[ns]").astype(np.int64)
    lo = first.tz_convert("UTC").tz_localize(None).to_datetime64().astype("datetime64[ns]").astype(np.int64)
    hi = until.tz_convert("UTC").tz_localize(None).to_datetime64().astype("datetime64[ns]").astype(np.int64)
    public = ~frame[S.IS_OFFICIAL].astype(bool).to_numpy()
    keep = np.flatnonzero(public & (ns > lo) & (ns <= hi))
    if not len(keep):
        return out
    order = keep[np.argsort(ns[keep], kind="stable")]  # time order: "first label" is the earliest
    bucket = ((ns[order] - lo - 1) // step.value).astype(np.int64)  # (lo + b·step, lo + (b+1)·step]
    author_codes, _ = pd.factorize(frame[S.AUTHOR], use_na_sentinel=False)  # Arrow strings: in C++
    author = np.asarray(author_codes, dtype=np.int64)[order]
    out["berichten"] = np.bincount(bucket, minlength=n_buckets)
    out["auteurs"] = distinct_per_group(bucket, author, n_buckets)
    if S.THEME in frame.columns and S.THEME_LABEL in frame.columns:
        theme = frame[S.THEME].to_numpy()[order]
        label = frame[S.THEME_LABEL].fillna("").astype(str).to_numpy(dtype=object)[order]
        ok = ~np.isin(theme, [S.NO_THEME, OTHER_THEME]) & (label != "")
        if ok.any():
            t_code, t_uniq = pd.factorize(theme[ok])
            key = bucket[ok] * len(t_uniq) + t_code
            keys, first_row, inverse, n = np.unique(key, return_index=True, return_inverse=True,
                                                    return_counts=True)
            a = distinct_per_group(inverse.reshape(-1), author[ok], len(keys))
            table = pd.DataFrame({"b": keys // len(t_uniq), "theme": np.asarray(t_uniq)[keys % len(t_uniq)],
                                  "n": n, "a": a, "label": label[ok][first_row]})
            table = table[table["a"] >= min_authors].sort_values(["b", "n", "theme"],
                                                                ascending=[True, False, True], kind="stable")
            for b, part in table.groupby("b", sort=False):
                out["themas"][int(b)] = "; ".join(f"{_one_line(r.label, 60)} ({r.n})"
                                                  for r in part.head(top).itertuples())
    if S.CATEGORIES in frame.columns:
        c_code, c_uniq = pd.factorize(pd.Series(frame[S.CATEGORIES].to_numpy(dtype=object)[order]).map(tuple),
                                      use_na_sentinel=False)
        cells: list[list[tuple[int, str, str]]] = [[] for _ in range(n_buckets)]
        for cat in S.CATEGORY_LIST:
            if cat.block == S.OVERIG:
                continue
            has = np.array([cat.code in u for u in c_uniq], dtype=bool)[c_code]
            if not has.any():
                continue
            n = np.bincount(bucket[has], minlength=n_buckets)
            a = distinct_per_group(bucket[has], author[has], n_buckets)
            for b in np.flatnonzero((a >= min_authors) & (n > 0)).tolist():
                cells[b].append((-int(n[b]), cat.code, S.category_label(cat.code, lang)))
        out["categorieen"] = ["; ".join(f"{name} {-neg}" for neg, _code, name in sorted(c)) for c in cells]
    return out


def _between(df: pd.DataFrame | None, col: str, lo, hi, fmt) -> str:
    if df is None or df.empty:
        return ""
    times = pd.to_datetime(df[col], utc=True)
    sub = df[((times > lo) & (times <= hi)).to_numpy()]  # (lo, hi], as the message counts
    return " | ".join(fmt(r) for _, r in sub.iterrows())


def _one_line(text: Any, limit: int) -> str:
    """Return text on one line, cut at `limit` characters."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


# The timeline's columns as people read them (screen and Markdown); the CSV keeps the keys above.
TIMELINE_HEADERS = {
    "nl": {"van": "Van", "tot": "Tot", "berichten": "Berichten", "auteurs": "Auteurs",
           "themas": "Thema's (≥ k auteurs)", "categorieen": "Categorieën",
           "communicatie": "Onze communicatie", "rapporten": "Rapport aan CoPI", "advies": "Advies"},
    "en": {"van": "From", "tot": "To", "berichten": "Messages", "auteurs": "Authors",
           "themas": "Themes (≥ k authors)", "categorieen": "Categories",
           "communicatie": "Our communication", "rapporten": "Report to CoPI", "advies": "Advice"},
}
MD_HEADERS = TIMELINE_HEADERS["nl"]  # the Markdown document is Dutch


def _md_cell(value: Any) -> str:
    """Escape a cell for a Markdown table: no pipes, no HTML, no links, no line breaks."""
    text = " ".join(str(value).split())
    for ch in "\\`*_[]<>|#!":
        text = text.replace(ch, "\\" + ch)
    return text


def timeline_markdown(table: pd.DataFrame, *, incident: str, until: Any, basis: str,
                      min_authors: int, caveat: str) -> str:
    """Return the timeline as a Markdown document (all data cells escaped)."""
    at = local(_utc(until))
    rule = (f"binnengekomen uiterlijk om {at:%H:%M}" if basis == INGESTED else
            f"geplaatst uiterlijk om {at:%H:%M}: de berichten zijn achteraf in één keer ingelezen")
    lines = [
        f"# Tijdlijn: {_md_cell(incident)}",
        "",
        f"Stand: {at.strftime('%d-%m-%Y %H:%M')} · berichten geteld als {rule}. "
        f"Thema's en categorieën alleen bij ≥ {min_authors} verschillende auteurs; geen "
        "voorbeeldberichten, geen accounts. Thema's zijn die van een verse analyse van alles wat "
        "op de stand bekend was.",
        "",
        f"> {_md_cell(caveat)}",
        "",
        "| " + " | ".join(MD_HEADERS[c] for c in TIMELINE_COLUMNS) + " |",
        "|" + "|".join("---:" if c in ("berichten", "auteurs") else "---" for c in TIMELINE_COLUMNS) + "|",
    ]
    for row in table.itertuples(index=False):
        lines.append("| " + " | ".join(_md_cell(v) for v in row) + " |")
    return "\n".join(lines) + "\n"


# --- time helpers ---------------------------------------------------------------------------
TZ = TIME_ZONE


def _utc(ts: Any) -> pd.Timestamp:
    ts = pd.Timestamp(ts)
    return ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")


def local(ts: Any) -> pd.Timestamp:
    """Return a UTC time in Europe/Amsterdam."""
    return _utc(ts).tz_convert(TZ)

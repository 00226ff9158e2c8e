"""Open questions: cluster the public's questions and check which ones we have answered.

Data in:
    messages: the analysed frame (CREATED_AT, TEXT, CLEAN_TEXT, TERMS, AUTHOR,
        IS_OFFICIAL, IS_REPOST, CATEGORIES, RELEVANT).
    moments: MOMENT_TIME (tz-aware), MOMENT_TEXT, MOMENT_CHANNEL, MOMENT_ID.

Functions:
    topic_of_terms     the subject (synonym group) a tuple of terms is about, or "".
    assign_questions   adds QUESTION_CLUSTER and QUESTION_TOPIC to the question messages.
    question_clusters  one row per cluster: label, topic, counts, authors, trend, terms.
    moment_keys        the subject keys of a moment's text (what it talks about).
    coverage           adds to each cluster the first moment since it appeared that covers it.

Which messages are questions: public (not IS_OFFICIAL), not a repost, category
`vraag`, and not `officieel` (a citizen repost of our own "Bent u in dit gebied?"
is not a question of the public).

Clustering (chosen because it gives readable clusters on the demo; a plain
ThemeModel over all questions mixed "moeten we weg" with asbestos):
1. A question whose terms hit one of the `SYNONYMS` groups gets that group as
   its topic (first group in `TOPIC_ORDER` when it hits several). These are the
   recurring crisis questions: stay or leave, windows/doors, tap water,
   swimming, asbestos.
2. The other questions are clustered by a `ThemeModel` fitted on them alone.
3. Every cluster is labelled by its class-based TF-IDF terms used by at least
   `min_authors` distinct authors (term-based, so untrusted: show as plain text).

Coverage: a moment covers a cluster when it was sent at or after the cluster's
first question and talks about its subject. Keys are Dutch Snowball stems
(`pipeline.analysis.normalize.stem`) mapped through `SYNONYMS` to the group name, so
"mogen we blijven?" meets "ga naar binnen" (both `blijven_of_weg`), and
"kraanwater" meets "drinkwater". A moment's keys come from the content words of
its text (`pipeline.views.effect.key_terms`). A topic cluster is covered by a moment
with its topic key; any other cluster needs `MIN_SHARED_KEYS` (2) keys of its
distinctive terms in one moment, because one shared word ("alles", a place
name) is too often chance: when in doubt a question stays "open". The
catch-all cluster of mixed questions (`OTHER_CLUSTER`) gets status "overig".
Stems used by half or more of all moments ("brand", "vlonder") say nothing
about a subject and are ignored. Words in
`QUESTION_ONLY` count for questions only: in our own texts "houd de weg vrij"
is about the road, not about leaving. Term overlap shows that a moment
*mentions the subject*; it does not prove the moment answers the precise
question ("hoe lang nog ramen dicht?"): the count of questions asked since the
answer tells the analyst whether the subject is still open in practice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pipeline.analysis.normalize import stem
from pipeline.analysis.themes import (
    ThemeModel,
    ctfidf_labels,
    label_language,
    phrase_label,
    phrase_tables,
    term_counts,
)
from pipeline.schema import (
    AUTHOR,
    CATEGORIES,
    CLEAN_TEXT,
    CREATED_AT,
    IS_OFFICIAL,
    IS_REPOST,
    LANGUAGE,
    MOMENT_CHANNEL,
    MOMENT_ID,
    MOMENT_TEXT,
    MOMENT_TIME,
    NO_THEME,
    TERMS,
    TEXT,
    THEME,
    THEME_LABEL,
)
from pipeline.views.effect import key_terms

QUESTION_CLUSTER = "question_cluster"  # str id: "t:<topic>" or "c:<theme id>"
QUESTION_TOPIC = "question_topic"  # synonym-group name or ""

# The subject groups (synonym map). Words are matched on their Dutch stem and on
# the word itself (for the English/German forms the Dutch stemmer mangles).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "asbest": ("asbest", "asbestos", "asbestplaten", "eternit"),
    "zwemmen": ("zwemmen", "zwemwater", "zwemplas", "zandvenplas", "swim", "swimming",
                "schwimmen", "baden"),
    "water": ("water", "kraanwater", "drinkwater", "drinken", "leidingwater", "wasser",
              "trinkwasser", "leitungswasser", "trinken", "drink", "tap"),
    "ramen_deuren": ("ramen", "raam", "deuren", "deur", "ventilatie", "ventilatiesysteem",
                     "windows", "window", "doors", "fenster", "türen", "lüftung"),
    "blijven_of_weg": ("blijven", "weg", "weggaan", "vertrekken", "evacueren", "evacuatie",
                       "evacueert", "verlaten", "vluchten", "binnen", "binnenblijven",
                       "thuisblijven", "inpakken", "leave", "stay", "evacuate", "inside",
                       "verlassen", "bleiben", "drinnen"),
}
# Dutch compounds starting with these belong to the group too ("asbestmetingen").
COMPOUND_HEADS = {"asbest": "asbest", "kraanwater": "water", "drinkwater": "water",
                  "ventilatie": "ramen_deuren", "zwem": "zwemmen"}
# When a question hits several groups, the first in this order wins (most specific first).
TOPIC_ORDER = ("asbest", "zwemmen", "water", "ramen_deuren", "blijven_of_weg")
# Count for questions, never in moment texts ("houd de weg vrij" = the road).
QUESTION_ONLY = frozenset({"weg"})
# A cluster without a topic is covered only when a moment shares this many keys with it.
MIN_SHARED_KEYS = 2
OTHER_CLUSTER = "c:0"  # the ThemeModel's catch-all: questions that fit no cluster

TOPIC_LABELS = {
    "nl": {"asbest": "Is er asbest?", "zwemmen": "Kunnen we zwemmen?",
           "water": "Is het (kraan)water veilig?", "ramen_deuren": "Ramen en deuren dicht?",
           "blijven_of_weg": "Blijven of weggaan?"},
    "en": {"asbest": "Is there asbestos?", "zwemmen": "Can we swim?",
           "water": "Is the (tap) water safe?", "ramen_deuren": "Windows and doors shut?",
           "blijven_of_weg": "Stay or leave?"},
}

CLUSTER_COLUMNS = (
    "cluster", "topic", "label", "terms", "n_messages", "n_authors", "first_seen", "last_seen",
    "n_last_hour", "n_prev_hour", "spark", "times", "examples", "shown", "subject",
)
COVERAGE_COLUMNS = (
    "status", "answered_at", "answered_channel", "answered_moment", "answered_via",
    "n_covering", "n_since_answer",
)


@dataclass(frozen=True)
class QuestionParams:
    """Parameters of `question_clusters`.

    Attributes:
        now: the time of the picture (trend windows end here); default the last message.
        start: start of the sparkline; default the first question.
        min_authors: k; terms, labels and examples need this many distinct authors.
        spark_bin: bin width of the sparkline counts.
        n_label_terms: terms in a cluster label.
        n_key_terms: distinctive terms used for coverage.
        n_examples: example texts kept per cluster (each a distinct text).
        min_cluster_size: smallest ThemeModel cluster of the remaining questions.
        similarity: ThemeModel similarity threshold; below it a question goes to the catch-all.
        max_clusters: most ThemeModel clusters of the remaining questions.
        random_state: seed of the ThemeModel.

    """

    now: pd.Timestamp | None = None
    start: pd.Timestamp | None = None
    min_authors: int = 5
    spark_bin: str = "30min"
    n_label_terms: int = 3
    n_key_terms: int = 6
    n_examples: int = 3
    min_cluster_size: int = 8
    similarity: float = 0.25
    max_clusters: int = 12
    random_state: int = 0


# --- subject keys -------------------------------------------------------------------
def _group_of(term: str) -> str | None:
    """Return the synonym group of one lower-case term (word, stem or compound head), or None."""
    group = _WORDS.get(term) or _STEMS.get(stem(term, "nl"))
    if group is None:
        group = next((g for head, g in COMPOUND_HEADS.items() if term.startswith(head)), None)
    return group


def _word_maps() -> tuple[dict[str, str], dict[str, str]]:
    """Return ({word: group}, {Dutch stem: group}) of the synonym map."""
    words, stems = {}, {}
    for group in TOPIC_ORDER:
        for w in SYNONYMS[group]:
            words.setdefault(w, group)
            if w not in WORD_ONLY:
                stems.setdefault(stem(w, "nl"), group)
    return words, stems


# English/German forms matched as words only: their Dutch stem is a Dutch word ("doors" -> "dor",
# the stem of the preposition "door": "gaat de markt door?" is not about doors).
WORD_ONLY = frozenset({"doors", "windows", "window", "swim", "swimming", "leave", "stay", "inside",
                       "evacuate", "drink", "tap", "fenster", "türen", "lüftung", "wasser",
                       "trinken", "bleiben", "drinnen", "verlassen", "schwimmen"})


_WORDS, _STEMS = _word_maps()


def term_key(term: str, *, question: bool = True) -> str:
    """Return the subject key of one term: its synonym group, else its Dutch stem ("" for junk)."""
    term = str(term).lower().lstrip("#")
    if len(term) < 3 or term.startswith("[") or term.isdigit():
        return ""
    if not question and term in QUESTION_ONLY:
        return ""
    return _group_of(term) or stem(term, "nl")


def topic_of_terms(terms) -> str:
    """Return the synonym group a message's terms are about (first in TOPIC_ORDER), or ""."""
    hits = {_group_of(t.lower().lstrip("#")) for t in terms if isinstance(t, str)}
    for group in TOPIC_ORDER:
        if group in hits:
            return group
    return ""


def moment_keys(text: str) -> frozenset[str]:
    """Return the subject keys of a moment's text (content words, stemmed, synonyms mapped)."""
    keys = {term_key(k.term, question=False) for k in key_terms(text) if k.kind == "woord"}
    keys.discard("")
    return frozenset(keys)


# --- clustering ---------------------------------------------------------------------
def is_question(df: pd.DataFrame) -> pd.Series:
    """Return the mask of public, non-repost `vraag` messages (not `officieel`)."""
    cats = df[CATEGORIES]
    asks = cats.map(lambda c: "vraag" in c and "officieel" not in c).astype(bool)
    official = df[IS_OFFICIAL].fillna(False).astype(bool)
    repost = df[IS_REPOST].fillna(False).astype(bool) if IS_REPOST in df else False
    return asks & ~official & ~repost


def assign_questions(df: pd.DataFrame, params: QuestionParams = QuestionParams()) -> pd.DataFrame:
    """Return the question messages of `df` with QUESTION_TOPIC and QUESTION_CLUSTER added."""
    q = df[is_question(df)]
    if q.empty:
        return q.assign(**{QUESTION_TOPIC: pd.Series(dtype=object),
                           QUESTION_CLUSTER: pd.Series(dtype=object)})
    unique_terms = pd.Series(pd.unique(q[TERMS].map(tuple)), dtype=object)
    topic_map = dict(zip(unique_terms, unique_terms.map(topic_of_terms), strict=True))
    topic = q[TERMS].map(lambda t: topic_map[tuple(t)]).astype(object)
    cluster = ("t:" + topic).where(topic != "", "")
    rest = q[topic == ""]
    if not rest.empty:
        model = ThemeModel(min_cluster_size=params.min_cluster_size,
                           max_themes=params.max_clusters,
                           similarity_threshold=params.similarity, min_authors=params.min_authors,
                           random_state=params.random_state).fit(rest)
        themes = model.assign(rest)[THEME]
        cluster.loc[rest.index] = "c:" + themes.where(themes != NO_THEME, 0).astype(str)
    return q.assign(**{QUESTION_TOPIC: topic, QUESTION_CLUSTER: cluster.astype(object)})


def _distinctive_terms(q: pd.DataFrame, min_authors: int, n_terms: int) -> dict[str, tuple]:
    """Return {cluster: its class-based TF-IDF terms with >= min_authors authors}."""
    counts = term_counts(q.drop(columns=[THEME, THEME_LABEL], errors="ignore")
                         .assign(**{THEME: q[QUESTION_CLUSTER]}),
                         min_authors=1, by=THEME)
    tables: dict[str, dict[str, int]] = {}
    for row in counts.itertuples(index=False):
        tables.setdefault(row.group, {})[row.term] = int(row.n_authors)
    return ctfidf_labels(tables, n_terms=n_terms, min_authors=min_authors)


def _examples(group: pd.DataFrame, n: int) -> tuple[str, ...]:
    """Return up to n distinct texts, the ones asked by the most distinct authors first."""
    key = group[CLEAN_TEXT] if CLEAN_TEXT in group else group[TEXT].str.lower()
    stats = (pd.DataFrame({"key": key.to_numpy(), "author": group[AUTHOR].to_numpy(),
                           "text": group[TEXT].to_numpy(), "t": group[CREATED_AT].to_numpy()})
             .groupby("key", sort=False)
             .agg(authors=("author", "nunique"), text=("text", "first"), t=("t", "min"))
             .sort_values(["authors", "t"], ascending=[False, True]))
    return tuple(stats["text"].head(n).astype(str))


_QUESTION_CLAUSE = re.compile(r"[^.!?\n]*\?")
_PLACEHOLDER = re.compile(r"\[[a-z\-]+\]|#")
NO_SUBJECT = {"nl": "Uiteenlopende vragen (geen onderwerp gedeeld door genoeg mensen)",
              "en": "Mixed questions (no subject shared by enough people)"}
OTHER_SUBJECT = {"nl": "Overige vragen", "en": "Other questions"}


def question_subject(group: pd.DataFrame, terms: tuple[str, ...], min_authors: int,
                     lang: str = "nl") -> str:
    """Return a cluster's subject in question form, built from what >= min_authors authors wrote.

    1. the short question clause (2-10 words, ending in "?") with one of the cluster's top terms,
       asked by most distinct authors, when >= min_authors asked it ("is het kraanwater veilig?");
    2. the theme-style phrase (`themes.phrase_label`) with >= min_authors authors plus "?"
       ("ramen en deuren dicht?"); else
    3. "Vragen over <term>?" with the cluster's top term (itself used by >= min_authors); else
    4. a fixed sentence saying that no subject is shared by enough people. Never "–".
    """
    # a cluster written mostly in another language names it: "Is that from the smoke? (Engels)"
    language = (label_language(group[LANGUAGE].astype(str).value_counts().to_dict())
                if LANGUAGE in group else "")
    if lang == "en":
        language = _ENGLISH_NAMES.get(language, language)
    named = f" ({language})" if language else ""
    key = group[CLEAN_TEXT] if CLEAN_TEXT in group else group[TEXT].astype(str).str.lower()
    rows = []
    for text, author in zip(key.astype(str), group[AUTHOR], strict=True):
        for clause in _QUESTION_CLAUSE.findall(_PLACEHOLDER.sub(" ", text)):
            words = clause.rstrip("?").split()
            if 2 <= len(words) <= 10:
                rows.append((" ".join(words) + "?", author))
    if rows:
        counts = pd.DataFrame(rows, columns=["clause", "author"]).groupby("clause")["author"].nunique()
        counts = counts[counts >= min_authors]
        # The clause must name the cluster's subject ("is dat erg?" names nothing): the most top
        # terms first, then the most authors.
        wanted = {t.lstrip("#") for t in terms}
        hits = pd.Series([len(wanted & set(c.rstrip("?").replace(",", " ").split())) for c in counts.index],
                         index=counts.index, dtype=int)
        ranked = pd.DataFrame({"hits": hits, "n": counts})
        ranked = ranked[ranked["hits"] > 0] if wanted else ranked
        if len(ranked):
            clause = str(ranked.sort_values(["hits", "n"], ascending=False, kind="stable").index[0])
            return clause[:1].upper() + clause[1:] + named
    author_codes = pd.factorize(group[AUTHOR])[0]
    phrases = phrase_tables(key, np.zeros(len(group), dtype=np.int64), author_codes, 1)[0]
    phrase = phrase_label(terms, phrases, min_authors)
    if phrase:
        return phrase[:1].upper() + phrase[1:] + "?" + named
    if terms:
        return (f"Vragen over {terms[0]}?" if lang == "nl" else f"Questions about {terms[0]}?") + named
    return NO_SUBJECT[lang]


_ENGLISH_NAMES = {"Engels": "English", "Duits": "German", "Frans": "French", "Arabisch": "Arabic",
                  "Turks": "Turkish", "Pools": "Polish", "Spaans": "Spanish", "Italiaans": "Italian",
                  "Portugees": "Portuguese", "Oekraïens": "Ukrainian", "Russisch": "Russian",
                  "Bulgaars": "Bulgarian", "Roemeens": "Romanian"}


def question_clusters(df: pd.DataFrame, params: QuestionParams = QuestionParams()) -> pd.DataFrame:
    """Return one row per question cluster (see CLUSTER_COLUMNS), largest first.

    `terms` are the distinctive terms (>= min_authors authors) used for coverage,
    `label` the first `n_label_terms` of them joined by " / ", `times` the sorted
    question times (UTC ns), `spark` the counts per `spark_bin` from `start` to
    `now`, `examples` distinct texts ("" when the cluster has < min_authors authors),
    `shown` whether the cluster has >= min_authors distinct authors.
    """
    q = assign_questions(df, params)
    if q.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in CLUSTER_COLUMNS})
    now = pd.Timestamp(params.now) if params.now is not None else q[CREATED_AT].max()
    start = pd.Timestamp(params.start) if params.start is not None else q[CREATED_AT].min()
    bins = pd.date_range(start.floor(params.spark_bin), now, freq=params.spark_bin)
    edges = bins.as_unit("ns").asi8
    hour = pd.Timedelta(hours=1).value
    now_ns = now.as_unit("ns").value
    distinct = _distinctive_terms(q, params.min_authors, params.n_key_terms)
    rows = []
    for cid, group in q.groupby(QUESTION_CLUSTER, sort=False):
        times = np.sort(group[CREATED_AT].dt.as_unit("ns").astype("int64").to_numpy())
        n_authors = int(group[AUTHOR].nunique())
        shown = n_authors >= params.min_authors
        terms = tuple(distinct.get(cid, ()))
        spark = np.diff(np.searchsorted(times, np.append(edges, now_ns + 1))) if len(edges) else []
        rows.append({
            "cluster": cid,
            "topic": str(group[QUESTION_TOPIC].iloc[0]),
            "label": " / ".join(terms[:params.n_label_terms]),
            "terms": terms,
            "n_messages": len(group),
            "n_authors": n_authors,
            "first_seen": pd.Timestamp(times[0], tz="UTC"),
            "last_seen": pd.Timestamp(times[-1], tz="UTC"),
            "n_last_hour": int(((times > now_ns - hour) & (times <= now_ns)).sum()),
            "n_prev_hour": int(((times > now_ns - 2 * hour) & (times <= now_ns - hour)).sum()),
            "spark": [int(x) for x in spark],
            "times": times,
            "examples": _examples(group, params.n_examples) if shown else (),
            "shown": shown,
            "subject": (TOPIC_LABELS["nl"][topic] if (topic := str(group[QUESTION_TOPIC].iloc[0]))
                        in TOPIC_LABELS["nl"] else OTHER_SUBJECT["nl"] if cid == OTHER_CLUSTER
                        else question_subject(group, terms, params.min_authors)),
        })
    out = pd.DataFrame(rows, columns=list(CLUSTER_COLUMNS))
    # the catch-all of the ThemeModel ("c:0") goes last: it is not one question
    out = out.assign(_other=out["cluster"] == OTHER_CLUSTER)
    out = out.sort_values(["_other", "n_messages", "cluster"], ascending=[True, False, True])
    return out.drop(columns="_other").reset_index(drop=True)


# --- coverage -----------------------------------------------------------------------
def cluster_keys(topic: str, terms) -> frozenset[str]:
    """Return the subject keys of a cluster: its topic, or else the keys of its terms."""
    if topic:
        return frozenset({topic})
    keys = {term_key(t) for t in terms}
    keys.discard("")
    return frozenset(keys)


def coverage(clusters: pd.DataFrame, moments: pd.DataFrame) -> pd.DataFrame:
    """Return `clusters` with COVERAGE_COLUMNS added: the first covering moment since it appeared.

    status is "beantwoord", "open" or "overig" (the catch-all cluster); answered_via the shared subject keys
    (";"-joined); n_covering how many moments since the first question cover it;
    n_since_answer the questions of the cluster at or after the first covering moment
    (needs the `times` column). Moments should already be limited to "now".
    """
    mom = moments.sort_values(MOMENT_TIME, kind="stable").reset_index(drop=True)
    keys = [moment_keys(t) for t in mom[MOMENT_TEXT].astype(str)] if len(mom) else []
    if len(keys) >= 4:  # keys in half or more of the moments say nothing about a subject
        freq = pd.Series([k for ks in keys for k in ks], dtype=object).value_counts()
        generic = set(freq[freq >= len(keys) / 2].index) - set(SYNONYMS)
        keys = [ks - generic for ks in keys]
    m_times = mom[MOMENT_TIME].to_numpy() if len(mom) else np.array([])
    m_ids = mom[MOMENT_ID].to_numpy() if MOMENT_ID in mom else np.arange(1, len(mom) + 1)
    m_channels = mom[MOMENT_CHANNEL].to_numpy() if MOMENT_CHANNEL in mom else np.full(len(mom), "")
    results = []
    for row in clusters.itertuples(index=False):
        ck = cluster_keys(row.topic, row.terms)
        need = 1 if row.topic else MIN_SHARED_KEYS
        hits = [i for i in range(len(mom))
                if pd.Timestamp(m_times[i]) >= row.first_seen and len(keys[i] & ck) >= need]
        if not hits or row.cluster == OTHER_CLUSTER:
            status = "overig" if row.cluster == OTHER_CLUSTER else "open"
            results.append({"status": status, "answered_at": pd.NaT, "answered_channel": "",
                            "answered_moment": None, "answered_via": "", "n_covering": 0,
                            "n_since_answer": 0})
            continue
        first = hits[0]
        at = pd.Timestamp(m_times[first])
        times = getattr(row, "times", None)
        since = (int((np.asarray(times) >= at.as_unit("ns").value).sum())
                 if times is not None else 0)
        results.append({"status": "beantwoord", "answered_at": at,
                        "answered_channel": str(m_channels[first]),
                        "answered_moment": m_ids[first],
                        "answered_via": ";".join(sorted(keys[first] & ck)),
                        "n_covering": len(hits), "n_since_answer": since})
    extra = pd.DataFrame(results, columns=list(COVERAGE_COLUMNS), index=clusters.index)
    extra["answered_at"] = pd.to_datetime(extra["answered_at"], utc=True)
    return pd.concat([clusters, extra], axis=1)

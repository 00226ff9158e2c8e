"""Open questions: cluster the public's questions and check which ones we have answered.

Data in:
    messages: the analysed frame (CREATED_AT, TEXT, CLEAN_TEXT, TERMS, AUTHOR,
        IS_OFFICIAL, IS_REPOST, CATEGORIES, RELEVANT).
    moments: MOMENT_TIME (tz-aware), MOMENT_TEXT, MOMENT_CHANNEL, MOMENT_ID.

Functions:
    topic_of_terms     the subject (synonym group) a tuple of terms is about, or "".
    question_topics    the subject of each question (weak words counted in its question only).
    assign_questions   adds QUESTION_CLUSTER, QUESTION_TOPIC and QUESTION_SHARED to the questions.
    shared_groups      groups questions by a word or question clause >= k authors share.
    question_clusters  one row per cluster: label, topic, counts, authors, trend, terms.
    moment_keys        the subject keys of a moment's text (what it talks about).
    coverage           adds to each cluster the first moment since it appeared that covers it.

Which messages are questions: public (not IS_OFFICIAL), not a repost, category
`vraag`, and not `officieel` (a citizen repost of our own "Bent u in dit gebied?"
is not a question of the public).

Clustering (issue 9; before 2026-12-06 step 2 was a `ThemeModel` fitted on the questions,
which put 57 of 60 real Dutch CT22 questions and 508 of 1,330 demo questions in its catch-all):
1. A question whose terms hit one of the `SYNONYMS` groups gets that group as
   its topic (first group in `TOPIC_ORDER` when it hits several). These are the
   recurring crisis questions: stay or leave, windows/doors, tap water,
   swimming, asbestos.
2. The other questions are grouped by what >= k distinct authors share (`shared_groups`),
   greedily, most authors first: a word of their question clauses (keyed by its Snowball stem in
   the message's language, so "scholen"/"school" meet), or else a whole question clause ("waarom
   doet niemand iets?"). Stop words, edge words and `VAGUE_WORDS` never make a group, nor do the
   incident's own words ("corona", "brand", the place name: in >= `generic_share` of the other
   messages and not asked about 1.5 times as often as talked about). A word whose questions hold two different
   clauses of >= k authors each mixes questions and makes no group. At most `max_groups`.
3. What is left is `OTHER_CLUSTER`, "Overige vragen": questions no k authors share a subject of.
4. Every group gets a subject in question form from what >= k authors wrote
   (`question_subject`: the shared clause, a clause with the shared word counting slips, a
   phrase + "?", "Vragen over de <noun>?" or "Vragen met het woord ‘<word>’"; the language named
   when it is not Dutch) and a label of its
   class-based TF-IDF terms used by >= k authors. Both are the public's words, untrusted:
   show as plain text.

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

import difflib
import re
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from pipeline.analysis.generic_words import generic_words
from pipeline.analysis.normalize import stem, stopwords, word_tokens
from pipeline.analysis.themes import (
    LABEL_EDGE_WORDS,
    LABEL_STOPWORDS,
    ctfidf_labels,
    label_language,
    phrase_label,
    phrase_tables,
    split_language,
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
    TERMS,
    TEXT,
    THEME,
    THEME_LABEL,
    english_language_name,
)
from pipeline.views.effect import key_terms

QUESTION_CLUSTER = "question_cluster"  # str id: "t:<topic>", "c:<theme id>" or "w:<n>"
QUESTION_TOPIC = "question_topic"  # synonym-group name or ""
QUESTION_SHARED = "question_shared"  # a "w:<n>" group's shared word or question clause, else ""

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
# Words that make a question "blijven of weggaan" only inside the question clause itself: in a
# statement beside it they mean something else ("bijbaantjes vallen weg. hoe nu verder?", "het
# stinkt zelfs binnen. iemand anders ook?"). Not every topic word: in 41 of 45 demo questions whose
# topic would change if only clauses counted, the statement names the subject ("… asbest vrijkomt.
# klopt dit?"). These two change 7 of the demo's 1,330 questions: 5 lose a wrong topic ("binnen"
# 4, "ga toch weg joh" 1), 2 German ones ("Sollen wir lieber nach Hause fahren? Wir wohnen nur
# zwei Stunden weg") lose a right one.
CLAUSE_ONLY = frozenset({"weg", "binnen"})
# A cluster without a topic is covered only when a moment shares this many keys with it.
MIN_SHARED_KEYS = 2
# Fewer other messages than this: no word is judged the incident's own (a file of questions only).
MIN_BACKGROUND = 50
OTHER_CLUSTER = "c:0"  # the catch-all: questions that share no subject with k authors

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
        max_groups: most groups of shared words and clauses (`shared_groups`).
        generic_share: a word in at least this share of the other (non-question) messages is
            the incident's own word ("corona", "brand", the place name) and makes no group,
            unless the questions use it 1.5 times as often ("rivm" in COVID questions). Not
            applied with fewer than `MIN_BACKGROUND` other messages.
        random_state: seed of the sample of messages that finds the generic words.

    """

    now: pd.Timestamp | None = None
    start: pd.Timestamp | None = None
    min_authors: int = 5
    spark_bin: str = "30min"
    n_label_terms: int = 3
    n_key_terms: int = 6
    n_examples: int = 3
    max_groups: int = 60
    generic_share: float = 0.08
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


def topic_of_terms(terms, asked: frozenset[str] | None = None) -> str:
    """Return the synonym group a message's terms are about (first in TOPIC_ORDER), or "".

    With `asked` (the words of the message's question clauses) a word of `CLAUSE_ONLY` counts only
    when it is asked about: in "mijn ogen prikken zelfs binnen. iemand anders ook?" "binnen" is
    where it stinks, not a question whether to stay inside.
    """
    words = (t.lower().lstrip("#") for t in terms if isinstance(t, str))
    hits = {_group_of(w) for w in words if asked is None or w not in CLAUSE_ONLY or w in asked}
    for group in TOPIC_ORDER:
        if group in hits:
            return group
    return ""


def moment_keys(text: str) -> frozenset[str]:
    """Return the subject keys of a moment's text (content words, stemmed, synonyms mapped)."""
    keys = {term_key(k.term, question=False) for k in key_terms(text) if k.kind == "woord"}
    keys.discard("")
    return frozenset(keys)


def question_topics(q: pd.DataFrame) -> pd.Series:
    """Return per question its synonym group, or "" (Open vragen and the Nu/CoPI lines share it).

    `topic_of_terms` of its TERMS, the `CLAUSE_ONLY` words counted only in its question clauses.
    """
    text = (q[CLEAN_TEXT] if CLEAN_TEXT in q else q[TEXT].astype(str).str.lower()).astype(str)
    pairs = pd.Series(list(zip(q[TERMS].map(tuple), text, strict=True)), dtype=object)
    codes, uniques = pd.factorize(pairs)
    topics = np.array([topic_of_terms(terms, _asked_words(t)) for terms, t in uniques] + [""], dtype=object)
    return pd.Series(topics[codes], index=q.index, dtype=object)


def _asked_words(text: str) -> frozenset[str] | None:
    """Return the words of a text's question clauses, or None when it has none (all words count)."""
    clauses = _QUESTION_CLAUSE.findall(_SCRUB.sub(" ", text))
    return frozenset(word_tokens(" ".join(clauses))) if clauses else None


# --- clustering ---------------------------------------------------------------------
def is_question(df: pd.DataFrame) -> pd.Series:
    """Return the mask of public, non-repost `vraag` messages (not `officieel`)."""
    cats = df[CATEGORIES]
    asks = cats.map(lambda c: "vraag" in c and "officieel" not in c).astype(bool)
    official = df[IS_OFFICIAL].fillna(False).astype(bool)
    repost = df[IS_REPOST].fillna(False).astype(bool) if IS_REPOST in df else False
    return asks & ~official & ~repost


# --- shared groups: a word or a question clause >= k authors share ---------------------
# Words that name no subject even when many people write them ("mensen", "iemand"), and
# question words the stop-word lists miss (on CT22 at k = 3 "hoeveel" made "Vragen over hoeveel?").
VAGUE_WORDS = frozenset({
    "mensen", "iemand", "iedereen", "niemand", "dingen", "ding", "jaar", "dag", "dagen", "uur",
    "week", "keer", "tijd", "vraag", "vraagje", "vragen", "antwoord", "nou", "toch", "eens", "hoor",
    "hoeveel", "hoelang", "hoezo", "klopt", "kloppen", "klopte", "waar", "wat", "wie",
    "people", "person", "thing", "things", "question", "anybody", "somebody", "nobody", "guys",
    "leute", "frage", "jemand", "mal", "wieviel", "wieviele",
})
_SCRUB = re.compile(r"\[[a-z\-]+\]|@\S+|(?:https?://|www\.)\S+|#")


def question_words(text: str) -> list[str]:
    """Return the content words of a text's question clauses (of the whole text when they have none).

    Placeholders, handles and links are dropped first; content words have 3+ letters and are not
    stop words, label edge words ("echt", "weet") or `VAGUE_WORDS`.
    """
    clean = _SCRUB.sub(" ", str(text).lower())
    skip = _skip_words()
    for part in (" ".join(_QUESTION_CLAUSE.findall(clean)), clean):
        words = [w for w in word_tokens(part) if len(w) >= 3 and not w.isdigit() and w not in skip]
        if words:
            return words
    return []


@cache
def _skip_words() -> frozenset[str]:
    """Return the words that never make a group: stop, edge, vague and very common words."""
    return frozenset(stopwords() | LABEL_STOPWORDS | LABEL_EDGE_WORDS | VAGUE_WORDS | generic_words())


def _word_key(word: str, lang: str) -> str:
    """Return the grouping key of a word: its Snowball stem in the message's language."""
    return stem(word, lang if lang in ("nl", "en", "de", "fr", "es", "it", "pt") else "")


def question_clauses(text: str) -> list[tuple[str, str]]:
    """Return the question clauses of a text that can name a group, as (key, written form).

    A clause has 3-10 words, one of them not a stop or vague word; the key is its words joined by
    one space, the written form keeps the punctuation ("ik ben zwanger, is die rook slecht voor de
    baby?"). Placeholders, handles and links are dropped first. "iemand anders ook?" and "wat
    moeten we doen?" name no subject.
    """
    clean = _SCRUB.sub(" ", str(text).lower())
    stop = _clause_stop()
    out = []
    for clause in _QUESTION_CLAUSE.findall(clean):
        words = word_tokens(clause)
        if 3 <= len(words) <= 10 and any(w not in stop and not w.isdigit() for w in words):
            out.append((" ".join(words) + "?", " ".join(clause.rstrip("?").split()) + "?"))
    return out


@cache
def _clause_stop() -> frozenset[str]:
    """Return the words that alone do not make a clause a subject: stop and vague words."""
    return frozenset(stopwords() | LABEL_STOPWORDS | VAGUE_WORDS)


def message_shares(df: pd.DataFrame, random_state: int = 0, sample: int = 5_000) -> dict[str, float]:
    """Return {word key: share of the messages of `df` with it}, on TERMS of at most `sample` of them."""
    if TERMS not in df or not len(df):
        return {}
    rows = df.sample(sample, random_state=random_state) if len(df) > sample else df
    langs = rows[LANGUAGE].astype(str).to_numpy() if LANGUAGE in rows else np.full(len(rows), "nl")
    counts: dict[str, int] = {}
    for terms, lang in zip(rows[TERMS], langs, strict=True):
        for key in {_word_key(str(t).lower().lstrip("#"), lang) for t in terms}:
            counts[key] = counts.get(key, 0) + 1
    return {k: n / len(rows) for k, n in counts.items()}


def _word_rows(q: pd.DataFrame) -> pd.DataFrame:
    """Return one row per (question, word key, written word): row, author, key, word."""
    key_text = (q[CLEAN_TEXT] if CLEAN_TEXT in q else q[TEXT]).astype(str)
    langs = q[LANGUAGE].astype(str).to_numpy() if LANGUAGE in q else np.full(len(q), "nl")
    codes, uniques = pd.factorize(pd.Series(list(zip(key_text, langs, strict=True)), dtype=object))
    per_text = []
    for text, lang in uniques:
        pairs = {(_word_key(w, lang), w): None for w in question_words(text)}
        per_text.append(list(pairs))
    lengths = np.array([len(per_text[c]) for c in codes], dtype=np.int64)
    return pd.DataFrame({"row": np.repeat(np.arange(len(q)), lengths),
                         "author": np.repeat(pd.factorize(q[AUTHOR].astype(str))[0], lengths),
                         "key": [k for c in codes for k, _ in per_text[c]],
                         "word": [w for c in codes for _, w in per_text[c]]})


def _clause_rows(q: pd.DataFrame) -> pd.DataFrame:
    """Return one row per (question, question clause): row, author, clause (key), written, pos."""
    key_text = (q[CLEAN_TEXT] if CLEAN_TEXT in q else q[TEXT]).astype(str)
    codes, uniques = pd.factorize(key_text)
    per_text = [question_clauses(t) for t in uniques]
    lengths = np.array([len(per_text[c]) for c in codes], dtype=np.int64)
    return pd.DataFrame({"row": np.repeat(np.arange(len(q)), lengths),
                         "author": np.repeat(pd.factorize(q[AUTHOR].astype(str))[0], lengths),
                         "clause": [c for code in codes for c, _ in per_text[code]],
                         "written": [w for code in codes for _, w in per_text[code]],
                         "pos": [i for code in codes for i in range(len(per_text[code]))]})


def _distinct_authors(item: np.ndarray, author: np.ndarray, keep: np.ndarray, n_items: int) -> np.ndarray:
    """Return per item code (0..n_items-1) the distinct authors among the entries in `keep`."""
    pairs = np.unique(item[keep].astype(np.int64) * (int(author.max(initial=0)) + 1) + author[keep])
    return np.bincount(pairs // (int(author.max(initial=0)) + 1), minlength=n_items)


class _Entries:
    """(row, item, form) entries of the questions with codes: which items >= k authors share."""

    def __init__(self, rows: pd.DataFrame, item: str, form: str) -> None:
        self.row = rows["row"].to_numpy(dtype=np.int64)
        self.author = rows["author"].to_numpy(dtype=np.int64)
        self.item, self.items = pd.factorize(rows[item])
        pair = pd.MultiIndex.from_arrays([self.item, rows[form].to_numpy()])
        self.form, forms = pd.factorize(pair)
        self.form_item = np.asarray([p[0] for p in forms], dtype=np.int64)
        self.forms = [p[1] for p in forms]

    def counts(self, keep: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return (authors per item, authors per form) among the entries in `keep`."""
        return (_distinct_authors(self.item, self.author, keep, len(self.items)),
                _distinct_authors(self.form, self.author, keep, len(self.forms)))

    def best_form(self, item: int, per_form: np.ndarray) -> str:
        """Return the form of `item` most authors used (ties: the first in sort order)."""
        idx = np.flatnonzero(self.form_item == item)
        best = max(idx, key=lambda i: (per_form[i], [-ord(ch) for ch in str(self.forms[i])]))
        return str(self.forms[best])


def shared_groups(q: pd.DataFrame, min_authors: int, shares: dict[str, float] | None = None,
                  generic_share: float = 0.08, lift: float = 1.5,
                  max_groups: int = 60) -> tuple[np.ndarray, list[str]]:
    """Group questions by what >= min_authors distinct authors share: (group per row, names).

    Group i (1-based; 0 = no group) is named by names[i - 1]: a word or a question clause.
    Words are keyed by their Snowball stem in the message's language. The incident's own words
    are skipped: a key in >= `generic_share` of the other messages (`shares`, from
    `message_shares`) that the questions do not use `lift` times as often ("corona" in COVID
    tweets, "brand" and the place name in the demo). A word common *because* people ask about it
    stays ("rivm" in CT22: ~10 % of the other messages, 18 % of the questions).
    Greedy, most distinct authors first, over the questions not yet grouped, until `max_groups`:
    - a word key takes every question with it, when its most used written form alone has >= k
      authors (that form names it: "opvang"). When those questions hold two or more different
      question clauses that each >= k authors wrote, the word mixes questions ("kijken": "waar
      moet ik kijken?" and "kan iemand even bij hem kijken?"): the biggest of those clauses
      takes its questions first, and the word is tried again on the rest;
    - a question clause >= k authors wrote (`question_clauses`) takes every question with it
      when no word has as many authors: questions of function words, "waarom doet niemand iets?".
    """
    out = np.zeros(len(q), dtype=np.int64)
    names: list[str] = []
    if not len(q):
        return out, names
    word_rows, clause_rows = _word_rows(q), _clause_rows(q)
    if shares:
        asked = word_rows.drop_duplicates(["row", "key"])["key"].value_counts() / len(q)
        generic = {k for k, s in shares.items() if s >= generic_share and asked.get(k, 0.0) < lift * s}
        word_rows = word_rows[~word_rows["key"].isin(generic)]
    words, clauses = _Entries(word_rows, "key", "word"), _Entries(clause_rows, "clause", "written")
    first_pos = clause_rows.groupby(clauses.item)["pos"].min().reindex(range(len(clauses.items)))
    free = np.ones(len(q), dtype=bool)

    def take(members: np.ndarray, name: str) -> None:
        names.append(name)
        out[members] = len(names)
        free[members] = False

    while len(names) < max_groups:
        w_keep = free[words.row]
        per_key, per_form = words.counts(w_keep)
        eligible = np.zeros(len(words.items), dtype=bool)
        eligible[words.form_item[per_form >= min_authors]] = True
        per_key = np.where(eligible, per_key, 0)
        c_keep = free[clauses.row]
        per_clause, per_written = clauses.counts(c_keep)
        best_key = int(np.argmax(per_key)) if len(per_key) else -1
        n_key = per_key[best_key] if best_key >= 0 else 0
        n_clause = per_clause.max(initial=0)
        if max(n_key, n_clause) < min_authors:
            break
        if n_clause > n_key:  # most authors first; a word holds its clauses, so it wins ties
            # ties: the clause written earliest in its texts (the question, not the tag after it)
            tied = np.flatnonzero(per_clause == n_clause)
            clause = int(min(tied, key=lambda c: (first_pos.iloc[c], str(clauses.items[c]))))
            take(np.unique(clauses.row[c_keep & (clauses.item == clause)]),
                 clauses.best_form(clause, per_written))
            continue
        tied = np.flatnonzero(per_key == n_key)
        key = int(min(tied, key=lambda k: str(words.items[k])))
        members = np.unique(words.row[w_keep & (words.item == key)])
        inside = c_keep & np.isin(clauses.row, members)
        per_inside = _distinct_authors(clauses.item, clauses.author, inside, len(clauses.items))
        if (per_inside >= min_authors).sum() < 2:
            take(members, words.best_form(key, per_form))
            continue
        # the word mixes questions: its biggest shared clause goes first, the word may follow
        top = np.flatnonzero(per_inside == per_inside.max())
        clause = int(min(top, key=lambda c: (first_pos.iloc[c], str(clauses.items[c]))))
        take(np.unique(clauses.row[inside & (clauses.item == clause)]),
             clauses.best_form(clause, per_written))
    return out, names


def assign_questions(df: pd.DataFrame, params: QuestionParams = QuestionParams()) -> pd.DataFrame:
    """Return the question messages of `df` with QUESTION_TOPIC, QUESTION_CLUSTER, QUESTION_SHARED."""
    q = df[is_question(df)]
    if q.empty:
        return q.assign(**{QUESTION_TOPIC: pd.Series(dtype=object),
                           QUESTION_CLUSTER: pd.Series(dtype=object),
                           QUESTION_SHARED: pd.Series(dtype=object)})
    topic = question_topics(q)
    cluster = ("t:" + topic).where(topic != "", "")
    shared = pd.Series("", index=q.index, dtype=object)
    rest = q[topic == ""]
    cluster.loc[rest.index] = OTHER_CLUSTER
    if not rest.empty:
        # the incident's own words, from what the other messages talk about (too few: none)
        talk = df[~is_question(df).to_numpy()]
        shares = message_shares(talk, params.random_state) if len(talk) >= MIN_BACKGROUND else {}
        groups, names = shared_groups(rest, params.min_authors, shares, params.generic_share,
                                      max_groups=params.max_groups)
        grouped = groups > 0
        cluster.loc[rest.index[grouped]] = ["w:" + str(g) for g in groups[grouped]]
        shared.loc[rest.index[grouped]] = [names[g - 1] for g in groups[grouped]]
    return q.assign(**{QUESTION_TOPIC: topic, QUESTION_CLUSTER: cluster.astype(object),
                       QUESTION_SHARED: shared})


def _distinctive_terms(q: pd.DataFrame, min_authors: int, n_terms: int) -> dict[str, tuple]:
    """Return {cluster: its class-based TF-IDF terms with >= min_authors authors}."""
    counts = term_counts(q.drop(columns=[THEME, THEME_LABEL], errors="ignore")
                         .assign(**{THEME: q[QUESTION_CLUSTER]}),
                         min_authors=1, by=THEME)
    tables: dict[str, dict[str, int]] = {}
    for row in counts.itertuples(index=False):
        tables.setdefault(row.group, {})[row.term] = int(row.n_authors)
    return ctfidf_labels(tables, n_terms=n_terms, min_authors=min_authors)


def _examples(q: pd.DataFrame, n: int) -> dict[str, tuple[str, ...]]:
    """Return per cluster up to n distinct texts, the ones asked by the most distinct authors first.

    One pass over all clusters (per cluster it cost 23 ms each, 1.5 s for 66 groups at 17k questions).
    """
    key = q[CLEAN_TEXT] if CLEAN_TEXT in q else q[TEXT].str.lower()
    stats = (pd.DataFrame({"cluster": q[QUESTION_CLUSTER].to_numpy(), "key": key.to_numpy(),
                           "author": q[AUTHOR].to_numpy(), "text": q[TEXT].to_numpy(),
                           "t": q[CREATED_AT].to_numpy()})
             .groupby(["cluster", "key"], sort=False)
             .agg(authors=("author", "nunique"), text=("text", "first"), t=("t", "min"))
             .reset_index()
             .sort_values(["cluster", "authors", "t"], ascending=[True, False, True], kind="stable"))
    top = stats.groupby("cluster", sort=False).head(n)
    return {str(c): tuple(part["text"].astype(str)) for c, part in top.groupby("cluster", sort=False)}


_QUESTION_CLAUSE = re.compile(r"[^.!?\n]*\?")
_SENTENCE = re.compile(r"[^.!?\n]*[^.!?\n\s][^.!?\n]*(?:[.!?]+|\n|$)")
NO_SUBJECT = {"nl": "Uiteenlopende vragen (geen onderwerp gedeeld door genoeg mensen)",
              "en": "Mixed questions (no subject shared by enough people)"}
OTHER_SUBJECT = {"nl": "Overige vragen", "en": "Other questions"}


def display_subject(subject: str, lang: str) -> str:
    """Return a stored (Dutch) question subject as shown in the interface language `lang`.

    The people's own question stays as they wrote it; in English the words Luisterpost adds are
    English: "Vragen over camping? (Engels)" -> "Questions about camping? (English)". Before, the
    English interface read "Is that an explosion? (Engels)".
    """
    if lang != "en" or not subject:
        return subject
    for nl_text in (NO_SUBJECT, OTHER_SUBJECT):
        if subject == nl_text["nl"]:
            return nl_text["en"]
    phrase, suffix = split_language(subject)
    if phrase.startswith("Vragen over ") and phrase.endswith("?"):
        phrase = "Questions about " + re.sub(r"^(?:de|het) ", "", phrase[len("Vragen over "):])
    elif phrase.startswith("Vragen met het woord "):
        phrase = "Questions with the word " + phrase[len("Vragen met het woord "):]
    return f"{phrase} ({english_language_name(suffix.strip()[1:-1])})" if suffix else phrase


# A subject clause has at most this many words, a statement before it included ("moet je naar de
# huisarts als je hoofdpijn hebt van de rook?" has 12; at 10 it became "Hoofdpijn hebt van de rook?").
MAX_SUBJECT_WORDS = 16
MAX_CLAUSE_WORDS = 14


def _asked(key: pd.Series, authors: pd.Series):
    """Yield (clause words, words of the statement just before it or [], author) per question clause.

    A clause is a sentence ending in "?" of 2-`MAX_CLAUSE_WORDS` words (handles, placeholders and
    links dropped); "?!" and "???" end as "?". The statement is the sentence before it when that is
    no question itself, with "." at its end.
    """
    for text, author in zip(key.astype(str), authors, strict=True):
        sentences = [x.strip() for x in _SENTENCE.findall(_SCRUB.sub(" ", text))]
        for i, sentence in enumerate(sentences):
            if not sentence.rstrip("!.").endswith("?"):
                continue
            words = (sentence.rstrip("!.?") + "?").split()
            if not 2 <= len(words) <= MAX_CLAUSE_WORDS:
                continue
            prev = sentences[i - 1].rstrip("!.") if i else ""
            before = (prev + ".").split() if prev and not prev.endswith("?") else []
            yield words, before, author


# Words before a noun: articles (one of them is shown with it: "Vragen over de camping?") and
# possessives and demonstratives (evidence only). A word nobody writes after one of them is no
# noun ("kijken", "veilig", "weggooien") and gets "Vragen met het woord ‘kijken’" instead of the
# sentence "Vragen over kijken?" that no one would write.
SHOWN_ARTICLES = frozenset({"de", "het", "the", "der", "die", "das", "den", "dem"})
NOUN_MARKERS = SHOWN_ARTICLES | frozenset({
    "een", "mijn", "m'n", "je", "jullie", "onze", "ons", "zijn", "haar", "hun", "deze", "dit", "dat",
    "geen", "elke", "a", "an", "my", "our", "your", "his", "her", "their", "this", "that", "no",
    "ein", "eine", "einen", "einem", "mein", "meine", "unser", "unsere", "kein", "keine"})
_WORD_BEFORE = r"(?:^|(?<=[\s(\"'‘“]))([\w'’]+)\s+"


def _about(term: str, texts: pd.Series, authors: pd.Series, lang: str) -> str:
    """Return the subject of a group that only shares the word `term` (used by >= k authors).

    A noun (at least a third of the authors who wrote it put an article, possessive or
    demonstrative right before it) is "Vragen over <article> <term>?" with the article half of
    them wrote ("de camping"), else "Vragen over <term>?"; a name or German noun most of them
    capitalise mid-sentence is written as most of them write it ("Bremhorst", "RIVM"). Any other
    word is "Vragen met het woord ‘<term>’": it is what they share, not what they ask about.
    """
    pattern = re.compile(_WORD_BEFORE + "(" + re.escape(term) + r")\b|(?:^|(?<=[.!?]\s))("
                         + re.escape(term) + r")\b", re.IGNORECASE)
    wrote: set = set()
    marked: dict[str, set] = {}
    noun: set = set()
    caps: dict[bool, set] = {True: set(), False: set()}
    forms: dict[str, set] = {}
    for text, author in zip(texts, authors, strict=True):
        for m in pattern.finditer(text):
            wrote.add(author)
            if m.group(1) is None:  # at the start of a sentence: says nothing of its capital
                continue
            before = m.group(1).lower()
            caps[m.group(2)[:1].isupper()].add(author)
            forms.setdefault(m.group(2), set()).add(author)
            if before in NOUN_MARKERS:
                noun.add(author)
                if before in SHOWN_ARTICLES:
                    marked.setdefault(before, set()).add(author)
    word = term
    if len(caps[True]) > len(caps[False]):  # as most of them write it: "Bremhorst", "RIVM"
        word = max((f for f in forms if f[:1].isupper()), key=lambda f: (len(forms[f]), f))
    if wrote and (3 * len(noun) >= len(wrote) or word != term):
        article = max(marked, key=lambda a: (len(marked[a]), a), default="")
        if article and 2 * len(marked[article]) >= len(wrote):
            word = f"{article} {word}"
        return f"Vragen over {word}?" if lang == "nl" else f"Questions about {word}?"
    return f"Vragen met het woord ‘{term}’" if lang == "nl" else f"Questions with the word ‘{term}’"


def _sentence_case(text: str) -> str:
    """Return lower-case clauses with a capital at each sentence start: "Er valt roet. Is dat erg?"."""
    return re.sub(r"(^|[.!?]\s+)(\w)", lambda m: m.group(1) + m.group(2).upper(), text)


def _slip(a: str, b: str) -> bool:
    """Whether word `b` is word `a` written with a slip ("kunnn", "meingen", "mjn"; not "kind")."""
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= 0.75


def _written_words(head: list[str], other: list[str]) -> set[int] | None:
    """Return the positions of `head` that `other` wrote too (a slip counts as written).

    None when `other` is another question: more than one word added or left out, or a word
    replaced by one that is no slip of it ("is het veilig in bremhorst?" vs "… in heidewijk?").
    """
    if abs(len(head) - len(other)) > 1 or len(set(head) & set(other)) < len(head) - 3:
        return None
    have: set[int] = set()
    gaps = 0
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, head, other, autojunk=False).get_opcodes():
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1
                              and all(map(_slip, head[i1:i2], other[j1:j2]))):
            have.update(range(i1, i2))
            continue
        gaps += max(i2 - i1, j2 - j1)
        if gaps > 1:
            return None
    return have


def _shared_clause(rows: list[tuple[str, object, int, int]], min_authors: int, tries: int = 30) -> str:
    """Return the clause >= min_authors distinct authors asked, or "" (rows: clause, author, hits, length).

    People ask the same question with slips ("waar kunnn we die meingen dan inzien?"): a clause
    counts the authors of every clause that is it with slips (`_written_words`), and each of its
    words that is no stop word must be written (or slipped) by >= min_authors of them, so no
    word one person wrote reaches the screen. A form at least two authors wrote exactly (one, when
    k is 1) is shown. Best: the most of the cluster's top terms (`hits`), then the most authors,
    then the shortest. At most `tries` forms are tried, the most written first.
    """
    if not rows:
        return ""
    found = pd.DataFrame(rows, columns=["clause", "author", "hits", "length"])
    authors = found.groupby("clause", sort=False)["author"].agg(set)
    per = (found.groupby("clause", sort=False).agg(hits=("hits", "first"), length=("length", "first"))
           .assign(n=authors.map(len)))
    heads = (per[per["n"] >= min(2, min_authors)]
             .sort_values(["hits", "n", "length"], ascending=[False, False, True], kind="stable")
             .head(tries))
    split = {c: [w.strip(".,?!") for w in c.split()] for c in per.index}  # "erg?" is "erg"
    stop = _clause_stop()
    best = None
    for head, row in heads.iterrows():
        words = split[head]
        covered = [set() for _ in words]
        for other, who in authors.items():
            have = range(len(words)) if other == head else _written_words(words, split[other])
            for i in have or ():
                covered[i] |= who
        everyone = set().union(*covered)
        if len(everyone) < min_authors or any(len(who) < min_authors for w, who
                                              in zip(words, covered, strict=True) if w not in stop):
            continue
        rank = (-int(row["hits"]), -len(everyone), int(row["length"]))
        if best is None or rank < best[0]:
            best = (rank, head)
    return best[1] if best else ""


def question_subject(group: pd.DataFrame, terms: tuple[str, ...], min_authors: int,
                     lang: str = "nl", shared: str = "") -> str:
    """Return a cluster's subject in question form, built from what >= min_authors authors wrote.

    `shared` is what a shared-word group has in common: a question clause ("waarom doet niemand
    iets?") is the subject itself; a word ("opvang") goes first in `terms`. Then:
    1. the question clause (2-`MAX_CLAUSE_WORDS` words, ending in "?") with one of the cluster's
       top terms, asked by most distinct authors, when >= min_authors asked it ("is het kraanwater
       veilig?"), slips included (`_shared_clause`); a statement just before the clause counts
       with it ("mijn dochter heeft astma en is flink benauwd. wat moeten we doen?") when the
       clause alone names none of the terms. A shared clause that names nothing ("is dat erg?")
       gets the statement >= min_authors wrote before it ("er valt roet op de auto. is dat erg?");
    2. the theme-style phrase (`themes.phrase_label`) with >= min_authors authors plus "?"
       ("ramen en deuren dicht?"); else
    3. the cluster's top term (itself used by >= min_authors, `_about`): "Vragen over de
       camping?" for a noun, "Vragen met het woord ‘kijken’" for any other word; else
    4. a fixed sentence saying that no subject is shared by enough people. Never "–".
    Sentences start with a capital ("Er valt roet op de auto. Is dat erg?").
    """
    # a cluster written mostly in another language names it: "Is that from the smoke? (Engels)"
    language = (label_language(group[LANGUAGE].astype(str).value_counts().to_dict())
                if LANGUAGE in group else "")
    if lang == "en":
        language = english_language_name(language)
    named = f" ({language})" if language else ""
    key = group[CLEAN_TEXT] if CLEAN_TEXT in group else group[TEXT].astype(str).str.lower()
    if shared.endswith("?"):
        # a terse shared clause ("is dat erg?") with the statement >= k authors wrote before it:
        # "er valt roet op de auto. is dat erg?"
        rows = [(" ".join(before + words), author, 0, len(before) + len(words))
                for words, before, author in _asked(key, group[AUTHOR])
                if " ".join(words) == shared and before and len(before) + len(words) <= MAX_SUBJECT_WORDS]
        return _sentence_case(_shared_clause(rows, min_authors) or shared) + named
    if shared:
        terms = (shared, *(t for t in terms if t != shared))
    # The clause must name the cluster's subject ("is dat erg?" names nothing; in a shared-word
    # group it must hold that word): the most top terms first, then the most authors, then shorter.
    wanted = {t.lstrip("#") for t in terms}
    must = {shared} if shared else wanted
    rows = []
    for words, before, author in _asked(key, group[AUTHOR]):
        said = set(" ".join(words).rstrip("?").replace(",", " ").split())
        if not (said & must) and before:  # "mijn dochter heeft astma. wat moeten we doen?"
            if len(before) + len(words) > MAX_SUBJECT_WORDS:
                continue
            words = before + words
            said |= set(" ".join(before).rstrip(".").replace(",", " ").split())
        if said & must:
            rows.append((" ".join(words), author, len(said & wanted), len(words)))
    clause = _shared_clause(rows, min_authors)
    if clause:
        return _sentence_case(clause) + named
    author_codes = pd.factorize(group[AUTHOR])[0]
    phrases = phrase_tables(key, np.zeros(len(group), dtype=np.int64), author_codes, 1)[0]
    phrase = phrase_label(terms, phrases, min_authors)
    if phrase:
        return phrase[:1].upper() + phrase[1:] + "?" + named
    if terms:
        return _about(terms[0], group[TEXT].astype(str), group[AUTHOR], lang) + named
    return NO_SUBJECT[lang]


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
    examples = _examples(q, params.n_examples)
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
            "examples": examples.get(cid, ()) if shown else (),
            "shown": shown,
            "subject": (TOPIC_LABELS["nl"][topic] if (topic := str(group[QUESTION_TOPIC].iloc[0]))
                        in TOPIC_LABELS["nl"] else OTHER_SUBJECT["nl"] if cid == OTHER_CLUSTER
                        else question_subject(group, terms, params.min_authors,
                                              shared=str(group[QUESTION_SHARED].iloc[0]))),
        })
    out = pd.DataFrame(rows, columns=list(CLUSTER_COLUMNS))
    # the catch-all ("c:0") goes last: it is not one question
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

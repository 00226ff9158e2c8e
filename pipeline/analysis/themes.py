"""Emergent, stable themes: cluster relevant public messages and keep theme ids over time.

Rule (documented in docs/THEMES.md): a message is *eligible* when RELEVANT is true and
IS_OFFICIAL is false. Every eligible message gets exactly one theme: the theme whose
centroid is most similar (cosine, TF-IDF over hashed TERMS) when that similarity reaches
`similarity_threshold`, otherwise the catch-all theme `OTHER_THEME` (0, "overig").
Non-eligible messages get `NO_THEME` (-1) and an empty label.

Term space: each term is hashed with `pandas.util.hash_array` (SipHash, fixed key, utf-8;
stable across processes) into `n_features` columns; tf is binary, idf is fixed at `fit`
time, vectors are L2-normalised. Identical term tuples (reposts) are vectorised once.
Theme ids are never reused or renumbered: `partial_fit` only adds themes.
"""

from __future__ import annotations

import copy as _copy
import hashlib
import math
import re
from dataclasses import asdict, dataclass
from functools import lru_cache
from itertools import chain
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import regex
import scipy.sparse as sp
from sklearn.cluster import MiniBatchKMeans
from sklearn.preprocessing import normalize
from threadpoolctl import threadpool_limits

from pipeline.analysis.generic_words import generic_words, has_letter
from pipeline.analysis.normalize import stopwords, word_tokens
from pipeline.arrays import GrowingArray, distinct_per_group, release_arrow_memory, take_rows, unique_ints
from pipeline.schema import (
    AUTHOR,
    CATEGORIES,
    CLEAN_TEXT,
    CREATED_AT,
    IS_OFFICIAL,
    LANGUAGE,
    LANGUAGE_NAMES,
    MESSAGE_ID,
    NO_THEME,
    RELEVANT,
    TERMS,
    TEXT,
    THEME,
    THEME_LABEL,
)

OTHER_THEME = 0
OTHER_LABEL = "overig"
_HASH_KEY = "0123456789123456"  # pandas' default SipHash key, written down so it never drifts
_TERM_TABLE_SIZE = 50  # terms kept per theme for relabelling after partial_fit
_MERGE_SIMILARITY = 0.5  # candidate clusters whose centroids are this similar are merged
# A phrase of this many words or more that the authority wrote itself names no public theme: people
# who copy our text ("we houden u via deze pagina op de hoogte", "zwarte snippers in de tuin kunt u
# met handschoenen opruimen") say nothing in their own words (the Effect page counts what they take
# over). Shorter phrases stay ("ramen en deuren dicht" is also what people write themselves).
COPIED_WORDS = 5
_OFFICIAL_TEXTS = 200  # the most recent official texts the state keeps for that test
_CHUNK = 50_000  # rows per block when scoring against centroids (bounds memory: ~45 MB a block at k 60)


@dataclass(frozen=True)
class ThemeParams:
    """Parameters of the theme step (passed to `ThemeModel`)."""

    min_cluster_size: int = 10
    similarity_threshold: float = 0.15
    max_themes: int = 25
    min_authors: int = 5
    n_features: int = 2**18
    sample_size: int = 20_000
    centroid_terms: int = 200
    n_label_terms: int = 3
    max_pending: int = 5_000
    random_state: int = 0


# --- term matrices ---------------------------------------------------------------------
def _as_tuples(terms: pd.Series) -> pd.Series:
    """Return TERMS with every value a tuple (lists from storage become tuples)."""
    if len(terms) and not all(isinstance(t, tuple) for t in terms.iloc[:100]):
        return terms.map(lambda t: tuple(t) if isinstance(t, (list, tuple, np.ndarray)) else ())
    return terms


def _unique_docs(terms: pd.Series) -> tuple[np.ndarray, list[tuple[str, ...]]]:
    """Return (row -> unique doc index, unique term tuples) so reposts are handled once."""
    codes, uniques = pd.factorize(_as_tuples(terms), use_na_sentinel=False)
    return codes.astype(np.int64), list(uniques)


def _count_matrix(docs: list[tuple[str, ...]]) -> tuple[sp.csr_matrix, np.ndarray]:
    """Return a binary doc x term CSR matrix over the distinct terms, and those terms."""
    lengths = np.fromiter(map(len, docs), dtype=np.int64, count=len(docs))
    flat = np.fromiter(chain.from_iterable(docs), dtype=object, count=int(lengths.sum()))
    codes, vocab = pd.factorize(flat)
    indptr = np.concatenate([[0], np.cumsum(lengths)])
    mat = sp.csr_matrix(
        (np.ones(len(codes)), codes.astype(np.int32), indptr), shape=(len(docs), len(vocab))
    )
    mat.sum_duplicates()
    mat.data[:] = 1.0
    return mat, np.asarray(vocab, dtype=object)


def _idf_key(n_docs: int, default: float, indices: np.ndarray, values: np.ndarray) -> str:
    """Return a content key of a fitted idf (the store keeps the idf apart while it is the same)."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(np.asarray([n_docs, default], dtype=np.float64).tobytes())
    digest.update(np.ascontiguousarray(indices, dtype=np.int64).tobytes())
    digest.update(np.ascontiguousarray(values, dtype=np.float64).tobytes())
    return digest.hexdigest()


def _hash_terms(vocab: np.ndarray, n_features: int) -> np.ndarray:
    """Return the hashed column of each term (stable across processes)."""
    if len(vocab) == 0:
        return np.zeros(0, dtype=np.int32)
    hashed = pd.util.hash_array(vocab.astype(object), encoding="utf8", hash_key=_HASH_KEY)
    return (hashed % np.uint64(n_features)).astype(np.int32)


def _hashed_matrix(counts: sp.csr_matrix, columns: np.ndarray, n_features: int) -> sp.csr_matrix:
    """Return the binary doc x hashed-feature matrix for a doc x term matrix."""
    mat = sp.csr_matrix(
        (counts.data.copy(), columns[counts.indices], counts.indptr.copy()),
        shape=(counts.shape[0], n_features),
    )
    mat.sum_duplicates()
    mat.data[:] = 1.0
    return mat


def _l2(mat: sp.spmatrix) -> sp.csr_matrix:
    """Return rows scaled to unit length (zero rows stay zero; works on 0 rows)."""
    mat = sp.csr_matrix(mat)
    return normalize(mat, norm="l2", copy=False) if mat.shape[0] else mat


def _tfidf(binary: sp.csr_matrix, idf: np.ndarray) -> sp.csr_matrix:
    """Return L2-normalised binary-tf x idf rows."""
    out = binary.copy()
    out.data = out.data * idf[out.indices]
    return _l2(out)


def _truncate_rows(mat: np.ndarray | sp.spmatrix, n_keep: int) -> sp.csr_matrix:
    """Return rows keeping their `n_keep` largest weights, L2-normalised (compact centroids)."""
    mat = sp.csr_matrix(mat)
    mat.eliminate_zeros()
    rows, cols, vals = [], [], []
    for i in range(mat.shape[0]):
        lo, hi = mat.indptr[i], mat.indptr[i + 1]
        idx, val = mat.indices[lo:hi], mat.data[lo:hi]
        keep = val > 0
        idx, val = idx[keep], val[keep]
        if len(idx) > n_keep:
            # stable: ties broken by column index
            order = np.lexsort((idx, -val))[:n_keep]
            idx, val = idx[order], val[order]
        rows.append(np.full(len(idx), i))
        cols.append(idx)
        vals.append(val)
    out = sp.csr_matrix(
        (np.concatenate(vals or [np.zeros(0)]),
         (np.concatenate(rows or [np.zeros(0, int)]), np.concatenate(cols or [np.zeros(0, int)]))),
        shape=mat.shape,
    )
    return _l2(out)


def _best(x: sp.csr_matrix, centroids: sp.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
    """Return (index of most similar centroid, its cosine) per row; ties go to the lower index."""
    n = x.shape[0]
    best = np.zeros(n, dtype=np.int64)
    score = np.zeros(n)
    if centroids.shape[0] == 0 or n == 0:
        return best, score
    ct = centroids.T.tocsc()
    for lo in range(0, n, _CHUNK):
        sims = (x[lo : lo + _CHUNK] @ ct).toarray()
        best[lo : lo + _CHUNK] = sims.argmax(axis=1)
        score[lo : lo + _CHUNK] = sims.max(axis=1)
    return best, score


def _label_of(labels: np.ndarray, score: np.ndarray, threshold: float) -> np.ndarray:
    """Return cluster index per row, -1 where the best similarity is below `threshold`."""
    return np.where(score >= threshold, labels, -1)


def _means(x: sp.csr_matrix, lab: np.ndarray, k: int, weights: np.ndarray) -> sp.csr_matrix:
    """Return the weighted mean row of each cluster 0..k-1 (rows with lab -1 ignored)."""
    keep = lab >= 0
    onehot = sp.csr_matrix(
        (weights[keep], (lab[keep], np.flatnonzero(keep))), shape=(k, x.shape[0])
    )
    return sp.csr_matrix(onehot @ x)


def _through(row_theme: np.ndarray, lab: np.ndarray) -> np.ndarray:
    """Return the theme position of each centroid index in `lab` (-1 stays -1)."""
    out = np.full(len(lab), -1, dtype=np.int64)
    hit = lab >= 0
    out[hit] = row_theme[lab[hit]]
    return out


def _truncated_means(x: sp.csr_matrix, lab: np.ndarray, k: int, weights: np.ndarray,
                     n_keep: int) -> sp.csr_matrix:
    """Return `_truncate_rows` of the non-empty rows of `_means(x, lab, k, weights)`.

    A cluster at a time: the k x features matrix of all means (each row over every term its
    messages use) was ~0,2 GB at the themes' peak for 1M messages; the result is the same.
    """
    keep = np.flatnonzero(lab >= 0)
    order = keep[np.argsort(lab[keep], kind="stable")]
    bounds = np.searchsorted(lab[order], np.arange(k + 1))
    rows = []
    for c in range(k):
        members = order[bounds[c]:bounds[c + 1]]
        if len(members):
            mean = sp.csr_matrix(np.asarray(weights[members] @ x[members]).reshape(1, -1))
            if mean.nnz:
                rows.append(_truncate_rows(mean, n_keep))
    return sp.vstack(rows, format="csr") if rows else sp.csr_matrix((0, x.shape[1]))


def _author_codes(authors: pd.Series) -> np.ndarray:
    """Return integer codes for authors (missing author = its own unknown code)."""
    codes, _ = pd.factorize(authors.astype("object"), use_na_sentinel=False)
    return codes.astype(np.int64)


def _author_keys(authors: pd.Series) -> np.ndarray:
    """Return stable 53-bit hashes of author pseudonyms (no pseudonyms in the stored model)."""
    vals = authors.astype("object").fillna("").astype(str).to_numpy(dtype=object)
    if len(vals) == 0:
        return np.zeros(0, dtype=np.int64)
    hashed = pd.util.hash_array(vals, encoding="utf8", hash_key=_HASH_KEY)
    return (hashed % np.uint64(2**53)).astype(np.int64)


# Exact distinct authors per label term / phrase across partial_fit batches (issue 15, privacy):
# the theme state keeps each term's set of author hashes until it holds AUTHOR_SET_CAP authors
# (far above any k); beyond that the count only grows (it can no longer drop below k).
AUTHOR_SET_CAP_MIN = 64


def _author_set_cap(min_authors: int) -> int:
    return max(AUTHOR_SET_CAP_MIN, 2 * int(min_authors))


def item_authors(group: np.ndarray, item: list[str] | np.ndarray, keys: np.ndarray,
                 tables: list[dict[str, int]],
                 items: np.ndarray | None = None) -> list[dict[str, list[int]]]:
    """Return per group {term or phrase in its table: sorted author hashes} from (group, item, key) rows.

    With `items` (distinct terms), `item` holds each row's position in `items` instead of the term
    itself (no Python object per row).
    """
    out: list[dict[str, list[int]]] = [{} for _ in tables]
    if len(group) == 0:
        return out
    # numpy instead of a pandas groupby loop (a Series per (group, item): ~35 ms per live update)
    group = np.asarray(group, dtype=np.int64)
    keys = np.asarray(keys, dtype=np.int64)
    if items is None:
        codes, items = pd.factorize(np.asarray(item, dtype=object))
    else:
        codes = np.asarray(item, dtype=np.int64)
    pair_codes, pairs = pd.factorize(group * max(len(items), 1) + codes)  # first-appearance order
    pair_group, pair_item = np.divmod(pairs, max(len(items), 1))
    wanted = np.fromiter((items[i] in tables[g] for g, i in zip(pair_group.tolist(), pair_item.tolist(),
                                                                  strict=True)), bool, len(pairs))
    rows = np.flatnonzero(wanted[pair_codes])
    if not len(rows):
        return out
    order = np.lexsort((keys[rows], pair_codes[rows]))
    row_pair, row_key = pair_codes[rows][order], keys[rows][order]
    first = np.ones(len(row_pair), bool)
    first[1:] = (row_pair[1:] != row_pair[:-1]) | (row_key[1:] != row_key[:-1])
    row_pair, row_key = row_pair[first], row_key[first]
    starts = np.flatnonzero(np.r_[True, row_pair[1:] != row_pair[:-1]])
    ends = np.r_[starts[1:], len(row_pair)]
    key_list = row_key.tolist()
    for p, a, b in zip(row_pair[starts].tolist(), starts.tolist(), ends.tolist(), strict=True):
        out[int(pair_group[p])][items[pair_item[p]]] = key_list[a:b]
    return out


_ROW_BLOCK = 100_000  # message rows whose (term, author) entries are expanded at once (memory)


def _term_entries(counts: sp.csr_matrix, group: np.ndarray, inv: np.ndarray | None):
    """Yield (message row, group, term) arrays of the entries of `counts[inv]`, a block of rows at a time.

    Row-major as `counts[inv].tocoo()`; rows of group < 0 left out. The per-message matrix of 1M
    messages (~10M entries) and its coordinates were ~0,5 GB at the analysis' peak.
    """
    n = counts.shape[0] if inv is None else len(inv)
    for lo in range(0, n, _ROW_BLOCK):
        hi = min(lo + _ROW_BLOCK, n)
        coo = (counts[lo:hi] if inv is None else counts[inv[lo:hi]]).tocoo()
        row = coo.row.astype(np.int64) + lo
        g = group[row]
        keep = g >= 0
        yield row[keep], g[keep].astype(np.int64), coo.col[keep].astype(np.int64)


def _term_authors(counts: sp.csr_matrix, vocab: np.ndarray, group: np.ndarray, keys: np.ndarray,
                  tables: list[dict[str, int]], inv: np.ndarray | None = None) -> list[dict[str, list[int]]]:
    """`item_authors` for the term tables; only entries of a term in its group's table are kept.

    `counts`: message rows x vocab, or distinct texts x vocab with `inv` the text of each message row.
    """
    width = max(len(vocab), 1)
    position = pd.Index(vocab)
    wanted = np.asarray(sorted(g * width + int(i) for g, table in enumerate(tables) if table
                               for i in position.get_indexer(list(table)) if i >= 0), dtype=np.int64)
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    for row, g, term in _term_entries(counts, group, inv):
        keep = np.isin(g * width + term, wanted)
        parts.append((g[keep], term[keep], keys[row[keep]]))
    if not parts:
        return [{} for _ in tables]
    g, term, key = (np.concatenate(p) for p in zip(*parts, strict=True))
    return item_authors(g, term, key, tables, items=vocab)


def _phrase_authors(phrases: tuple[np.ndarray, list[list[str]]], group: np.ndarray, keys: np.ndarray,
                    tables: list[dict[str, int]]) -> list[dict[str, list[int]]]:
    """`item_authors` for the phrase tables; `phrases` from `row_phrases` (each text's computed once)."""
    groups_with = {g for g, table in enumerate(tables) if table}
    rows = np.flatnonzero(np.isin(group, list(groups_with))) if groups_with else np.zeros(0, np.int64)
    if not len(rows):
        return [{} for _ in tables]
    codes, per_text = phrases
    if not per_text:
        return [{} for _ in tables]
    # Phrases as positions in one vocabulary of the distinct texts' phrases: no Python object per
    # (message, phrase) (the result is the same, `item_authors` keeps first-appearance order).
    text_lengths = np.fromiter(map(len, per_text), dtype=np.int64, count=len(per_text))
    flat_codes, vocab = pd.factorize(np.fromiter(chain.from_iterable(per_text), dtype=object,
                                                 count=int(text_lengths.sum())))
    # Only phrases some table holds get author sets: the others are dropped per distinct text
    # before the (message, phrase) rows are made (at 1M messages those rows were the themes' peak).
    in_tables = np.asarray(pd.Index(vocab).isin(list(set().union(*tables))), dtype=bool)
    kept = np.flatnonzero(in_tables[flat_codes])
    flat_codes = flat_codes[kept]
    text_of = np.repeat(np.arange(len(per_text)), text_lengths)[kept]
    text_lengths = np.bincount(text_of, minlength=len(per_text))
    text_starts = np.cumsum(text_lengths) - text_lengths
    row_codes = codes[rows]
    lengths = np.where(row_codes >= 0, text_lengths[np.maximum(row_codes, 0)], 0)
    out_starts = np.cumsum(lengths) - lengths
    at = (np.repeat(text_starts[np.maximum(row_codes, 0)] - out_starts, lengths)
          + np.arange(int(lengths.sum())))
    return item_authors(np.repeat(group[rows], lengths), flat_codes[at], np.repeat(keys[rows], lengths),
                        tables, items=np.asarray(vocab, dtype=object))


def _term_table(
    counts: sp.csr_matrix, vocab: np.ndarray, group: np.ndarray, author: np.ndarray, n_groups: int,
    inv: np.ndarray | None = None,
) -> list[dict[str, int]]:
    """Return, per group, the distinct-author count of its most used terms.

    `counts`: message rows x vocab, or distinct texts x vocab with `inv` the text of each message row.
    """
    tables: list[dict[str, int]] = [{} for _ in range(n_groups)]
    n_auth = int(author.max()) + 1 if len(author) else 1
    width = max(len(vocab), 1)
    # each (group, term, author) once, block by block (`_term_entries`)
    parts = [unique_ints((g * width + term) * n_auth + author[row])
             for row, g, term in _term_entries(counts, group, inv)]
    triple = unique_ints(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int64)
    if len(triple) == 0:
        return tables
    pair_codes, pair_counts = np.unique(triple // n_auth, return_counts=True)
    pg, pt = pair_codes // width, pair_codes % width
    frame = pd.DataFrame({"g": pg, "term": vocab[pt], "n": pair_counts})
    frame = frame.sort_values(["g", "n", "term"], ascending=[True, False, True])
    _fill_top(tables, frame["g"].to_numpy(), frame["term"].to_numpy(dtype=object), frame["n"].to_numpy(),
              _TERM_TABLE_SIZE)
    return tables


def top_candidates(group: np.ndarray, n: np.ndarray, key: np.ndarray, size: int
                    ) -> tuple[np.ndarray, np.ndarray]:
    """Return (key, n) of the rows that can be among their group's `size` largest n (ties kept).

    A row is kept when its n is at least the size-th largest n of its group: sorting the kept rows
    by (group, n descending, anything) gives every group's first `size` rows as sorting all would.
    """
    if len(group) <= size:
        return key, n
    order = np.lexsort((-n, group))
    g = group[order]
    starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
    ends = np.r_[starts[1:], len(g)]
    cutoff = n[order][np.minimum(starts + size, ends) - 1]  # per group: its size-th largest n
    keep = n >= np.repeat(cutoff, ends - starts)[np.argsort(order, kind="stable")]
    return key[keep], n[keep]


def _fill_top(tables: list[dict], group: np.ndarray, item: np.ndarray, n: np.ndarray, size: int) -> None:
    """Set tables[g] = {item: n} of the first `size` rows of each group (rows sorted by group).

    The same as `head(size)` per `groupby` part, without pandas' per-group overhead (about half a
    millisecond a group: a live update of 1,000 messages spent ~25 ms here over two tables).
    """
    if not len(group):
        return
    starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    rank = np.arange(len(group)) - np.repeat(starts, np.diff(np.r_[starts, len(group)]))
    keep = rank < size
    group, item, n = group[keep], item[keep], n[keep].astype(np.int64)
    cuts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    for a, b in zip(cuts, np.r_[cuts[1:], len(group)], strict=True):
        tables[int(group[a])] = dict(zip(item[a:b].tolist(), n[a:b].tolist(), strict=True))


# Words kept for clustering (negation matters for meaning) that make poor labels.
LABEL_STOPWORDS = frozenset({
    "geen", "niet", "wel", "nog", "ook", "al", "weer", "net", "even", "gewoon", "echt", "zat",
    "gaat", "laat", "doe", "zeg", "heb", "hebben", "zijn", "wordt", "worden", "kan", "moet",
    "no", "not", "nicht", "kein", "keine", "nie", "nee", "ja",
})


def nameable(term: str) -> bool:
    """Return True when `term` alone can name a theme or a question subject.

    Not a placeholder, emoji or number, not a stop word, a label stop word, an edge word
    (`LABEL_EDGE_WORDS`: "vind", "zie", "iemand") or one of the very common words of
    `generic_words` ("goed", "mensen", "people"). A hashtag counts by its word.
    """
    word = term.lstrip("#")
    return (bool(word) and not word.startswith("[") and has_letter(word) and word not in LABEL_STOPWORDS
            and word not in LABEL_EDGE_WORDS and word not in generic_words() and word not in stopwords())


def ctfidf_labels(
    tables: dict[int, dict[str, int]], n_terms: int = 3, min_authors: int = 5
) -> dict[int, tuple[str, ...]]:
    """Return the top class-based TF-IDF terms per theme, only terms with >= min_authors authors.

    `tables` maps theme id -> {term: distinct authors using it in that theme}; the catch-all
    theme may be included so that generic terms are down-weighted everywhere.
    """
    totals = {tid: sum(t.values()) for tid, t in tables.items()}
    if not totals:
        return {}
    mean_total = sum(totals.values()) / len(totals)
    freq: dict[str, int] = {}
    for table in tables.values():
        for term, n in table.items():
            freq[term] = freq.get(term, 0) + n
    out = {}
    for tid, table in tables.items():
        scored = [
            (-(n / max(totals[tid], 1)) * math.log(1 + mean_total / freq[term]), term)
            for term, n in table.items()
            if n >= min_authors and nameable(term)
        ]
        chosen: list[str] = []
        for _, term in sorted(scored):
            # "#colorado" and "colorado" say the same thing: keep the first only
            if term.lstrip("#") not in {c.lstrip("#") for c in chosen}:
                chosen.append(term)
            if len(chosen) == n_terms:
                break
        out[tid] = tuple(chosen)
    return out


# --- the model -------------------------------------------------------------------------
# Non-Dutch theme labels name their language (Dutch first, like the seed's scan lines).
# a label names its language in Dutch when it is not Dutch: "(Engels)"
LABEL_LANGUAGE_NAMES = {code: name for code, name in LANGUAGE_NAMES["nl"].items() if code != "nl"}


def _language_counts(sub: pd.DataFrame, group: np.ndarray, n_groups: int) -> list[dict[str, int]]:
    """Return per group {language: messages}."""
    out: list[dict[str, int]] = [{} for _ in range(n_groups)]
    if LANGUAGE not in sub.columns or not len(sub):
        return out
    counts = pd.DataFrame({"g": group, "l": sub[LANGUAGE].astype(str).to_numpy()}).value_counts()
    for (g, lang), n in counts.items():
        out[int(g)][str(lang)] = int(n)
    return out


def label_language(languages: dict[str, int]) -> str:
    """Return the Dutch name of a theme's language when most of it is not Dutch, else ""."""
    total = sum(languages.values())
    if not total:
        return ""
    lang, n = max(languages.items(), key=lambda kv: (kv[1], kv[0]))
    return LABEL_LANGUAGE_NAMES.get(lang, "") if n >= 0.5 * total else ""


# --- phrase labels -----------------------------------------------------------------------
_PHRASE_TABLE_SIZE = 60  # phrases kept per theme for relabelling after partial_fit
_PHRASE_BREAK = None


def _phrase_break():
    global _PHRASE_BREAK
    if _PHRASE_BREAK is None:
        _PHRASE_BREAK = regex.compile(r"\[[a-z\-]+\]|#|[.!?;:,()\n\"“”|/]+|\s[-–—]\s")
    return _PHRASE_BREAK


# Words that never start or end a label (they may sit inside one): adverbs, pronouns and finite
# verbs that leave a clause fragment when they are the edge ("daarna meteen", "zie zwarte",
# "zelfs in bremhorst ruik", "doet niemand"). A whole clause (`_CLAUSE_MAX` words between
# punctuation) is exempt: "waarom doet niemand iets" reads as language.
LABEL_EDGE_WORDS = frozenset({
    # nl
    "daarna", "meteen", "zelfs", "constant", "echt", "hier", "daar", "toen", "even", "heel", "erg",
    "iets", "niets", "niks", "niemand", "iemand", "alles", "iedereen", "gewoon", "steeds", "helemaal",
    "gelukkig", "eigenlijk", "inmiddels", "ineens", "opeens", "volgens", "zeker", "misschien",
    "waarschijnlijk", "blijkbaar", "trouwens", "sowieso", "nogal", "best", "behoorlijk", "enorm",
    "super", "keer", "vandaag", "gisteren", "morgen", "vanavond", "vanochtend", "vanmiddag", "vannacht",
    "straks", "zometeen", "zojuist", "pas", "alweer", "overal", "ergens", "nergens", "allemaal",
    "zie", "zag", "zien", "ruik", "ruiken", "hoor", "hoorde", "horen", "raak", "doet", "deed",
    "gaan", "ging", "gingen", "komt", "kwam", "zit", "zitten", "staat", "stond", "ligt", "lag", "heeft",
    "had", "kun", "kunt", "kunnen", "moeten", "mag", "mogen", "wil", "wilt", "willen", "zou", "zal",
    "zullen", "weet", "weten", "denk", "denkt", "vind", "vindt", "krijg", "krijgt", "lijkt", "blijft",
    "jullie", "onze", "ons", "mijn", "jouw", "hun", "dit", "deze", "die", "dat",
    # en
    "really", "just", "now", "still", "very", "here", "there", "get", "got", "like", "think",
    "know", "see", "saw", "hear", "heard", "going", "gonna", "can", "could", "would", "should", "will",
    "today", "tonight", "yesterday", "everyone", "someone", "anyone", "something", "anything", "everything",
    "literally", "actually", "back", "feel", "tomorrow", "time", "day", "way", "want", "need", "make",
    "pretty", "much", "many", "lot", "lots", "our", "your", "their",
    # de
    "jetzt", "schon", "immer", "noch", "sehr", "wirklich", "gerade", "heute", "alle", "etwas",
})
# Words that may start a label but never end one: imperatives and verbs that take an object, so
# a phrase ending in them is cut in the middle of a clause ("ramen en deuren dicht en zet" of
# "… dicht en zet (mechanische) ventilatie uit"; "please keep"), and prepositions the stop lists
# lack ("enorme zwarte rookpluim richting" of "… richting de vlonder"; a CoPI view of k = 10 cut
# that to the one word "richting"). Not words that also end a clause naturally (nl "open", en
# "close", "shut", "stay", "follow", or any infinitive: "binnen blijven", "zu Hause bleiben") and
# not forms that are nouns in another language (en "leg", "check").
LABEL_END_WORDS = frozenset({
    # nl (imperatives)
    "zet", "houd", "hou", "sluit", "blijf", "neem", "bel", "volg", "lees", "mijd", "vermijd",
    "draai", "haal", "breng", "maak", "geef", "stuur", "gebruik",
    # nl (prepositions)
    "richting", "vanwege", "ivm", "tijdens", "dankzij", "ondanks", "rondom", "nabij",
    # en
    "keep", "avoid", "put", "let", "give", "send", "bring", "take", "use",
    "towards", "toward", "regarding", "despite",
    # de (prepositions)
    "wegen", "trotz", "während",
})
_MAX_PHRASE = 6  # words in a phrase (a whole clause may have up to _CLAUSE_MAX)
_SPLIT_OFF = frozenset({"t", "s", "d", "m", "ll", "re", "ve"})  # what is left of "can't", "it's", "we're"
_CLAUSE_MAX = 10


@lru_cache(maxsize=1)
def _label_stop() -> frozenset[str]:
    """Words that never start or end a phrase: stop words of every language and `LABEL_STOPWORDS`."""
    return frozenset(stopwords() | LABEL_STOPWORDS)


def phrases_of(clean: str, max_tokens: int = 40) -> list[str]:
    """Return the phrases (2-6 words) and whole short clauses (2-10 words) of a cleaned text.

    A phrase starts and ends with a content word that is not an edge word (`LABEL_EDGE_WORDS`)
    and never crosses punctuation, placeholders or hashtag marks: "ramen en deuren dicht",
    "asbest in de tuin", "zwarte rook boven het industrieterrein" are phrases; "en de",
    "zie zwarte" and "daarna meteen" are not. A whole clause between punctuation marks
    ("waarom doet niemand iets", "is het kraanwater veilig") is always a candidate.
    """
    stop = _label_stop()  # (a union per call took 5/6 of this function's time)
    out: list[str] = []
    budget = max_tokens
    text = str(clean)
    segments = _phrase_break().split(text)
    # A text cut off by the platform ("… loss of life an ...", cleaned to "… life an ."): its
    # last word may be cut too, so it ends no phrase and its last clause is no whole clause.
    truncated = text.rstrip().endswith(" .")
    last = max((k for k, seg in enumerate(segments) if word_tokens(seg)), default=-1) if truncated else -1
    for k, segment in enumerate(segments):
        tokens = word_tokens(segment)[:budget]
        budget -= len(tokens)
        content = [len(t) >= 3 and not t.isdigit() and t not in stop for t in tokens]
        edge = [c and t not in LABEL_EDGE_WORDS for c, t in zip(content, tokens, strict=True)]
        end = [e and t not in LABEL_END_WORDS for e, t in zip(edge, tokens, strict=True)]
        if k == last and end:
            end[-1] = False
        for i in range(len(tokens)):
            if not edge[i]:
                continue
            for j in range(i + 1, min(i + _MAX_PHRASE, len(tokens))):
                if end[j]:
                    out.append(" ".join(tokens[i : j + 1]))
        # the whole clause (already added when its edges are fine); never one that starts or ends in
        # a letter split off a word ("t decide …" of "can't decide …" after a link took "can")
        if (2 <= len(tokens) <= _CLAUSE_MAX and any(content) and not (edge[0] and end[-1]) and k != last
                and tokens[0] not in _SPLIT_OFF and tokens[-1] not in _SPLIT_OFF):
            out.append(" ".join(tokens))
        if budget <= 0:
            break
    return out


def phrase_tables(
    clean: pd.Series, group: np.ndarray, author: np.ndarray, n_groups: int, skip: int | None = None
) -> list[dict[str, int]]:
    """Return per group {phrase: distinct authors using it} (top `_PHRASE_TABLE_SIZE`, >= 2 authors).

    Rows of group `skip` (the catch-all, which gets no label) are left out to save time.
    """
    return phrase_stats(clean, group, author, n_groups, skip)[0]


def row_phrases(clean: pd.Series, rows: np.ndarray | None = None) -> tuple[np.ndarray, list]:
    """Return (code per row, phrases per distinct text): `phrases_of` runs once per distinct text.

    Rows outside the boolean mask `rows` get code -1 (no phrases computed for them: their texts
    get an empty list). No copy of the text column is made (a 1M-row fill and mask were ~0,25 GB
    at the themes' peak).
    """
    # Only the rows asked for are factorised, and only their distinct texts become Python strings:
    # at 1M messages 107k of 751k distinct texts are themed, and hashing every row's text and
    # making all of them strings (a list each) was ~0,2 GB at the analysis' peak. Iterating
    # Arrow-backed uniques is ~10x slower than a list.
    codes = np.full(len(clean), -1, dtype=np.int64)
    picked = np.arange(len(clean)) if rows is None else np.flatnonzero(np.asarray(rows, dtype=bool))
    text = take_rows(clean, picked) if rows is not None else clean
    text = (text.fillna("") if text.hasnans else text).astype(str)
    local, uniques = pd.factorize(text, use_na_sentinel=False)
    codes[picked] = local
    texts = np.asarray(uniques, dtype=object).tolist()
    # the rows' texts (an Arrow take) are not needed while the phrases, Python objects, are made
    del text, local, uniques
    release_arrow_memory()
    shared: dict[str, str] = {}  # equal phrases of different texts as one string object (memory)
    return codes, [[shared.setdefault(p, p) for p in phrases_of(t)] for t in texts]


def phrase_stats(
    clean: pd.Series | None, group: np.ndarray, author: np.ndarray, n_groups: int, skip: int | None = None,
    language: pd.Series | None = None, phrases: tuple[np.ndarray, list[list[str]]] | None = None,
) -> tuple[list[dict[str, int]], list[dict[str, str]]]:
    """Return `phrase_tables` and, per group, {phrase: the language most of its messages are in}.

    `phrases` (from `row_phrases` over the same rows) saves computing them again (`clean` is then
    not read and may be None). Counted on integer
    codes (group, phrase, author), as `_term_table` does: a frame of one row per message and phrase
    with the phrase and language as Python objects held ~0,4 GB at 1M messages, the themes' peak.
    """
    tables: list[dict[str, int]] = [{} for _ in range(n_groups)]
    langs: list[dict[str, str]] = [{} for _ in range(n_groups)]
    group, author = np.asarray(group), np.asarray(author)
    if language is not None:
        lang, lang_values = pd.factorize(language, use_na_sentinel=False)
        lang_names = [str(v) for v in lang_values]  # as `language.astype(str)`
    else:
        lang, lang_names = np.zeros(len(group), dtype=np.int64), ["und"]
    if phrases is None:
        phrases = row_phrases(clean, None if skip is None else group != skip)
    codes, per_text = phrases
    if skip is not None:
        keep = group != skip
        group, author, lang, codes = group[keep], author[keep], lang[keep], codes[keep]
    rows = np.flatnonzero(codes >= 0)
    if not len(rows):
        return tables, langs
    # every distinct phrase once (ids in order of first appearance), each text's phrases as ids
    index: dict[str, int] = {}
    text_len = np.fromiter((len(ps) for ps in per_text), dtype=np.int64, count=len(per_text))
    flat = np.fromiter((index.setdefault(p, len(index)) for ps in per_text for p in ps), dtype=np.int64,
                       count=int(text_len.sum()))
    names = np.empty(len(index), dtype=object)
    names[:] = list(index)
    del index
    lengths = text_len[codes[rows]]
    total = int(lengths.sum())
    if not total:
        return tables, langs
    # one entry per (message, phrase), in message order: the phrase ids of each row's text
    row_of = np.repeat(rows, lengths)
    before = np.cumsum(lengths) - lengths
    phrase = flat[np.repeat(np.r_[0, np.cumsum(text_len)][codes[rows]] - before, lengths) + np.arange(total)]
    del flat, before
    n_phrases, n_auth = len(names), int(author[rows].max()) + 1
    pair = group[row_of].astype(np.int64) * n_phrases + phrase
    # each (group, phrase, author) once; `first`: where it first occurs (its language counts)
    triple, first = np.unique(pair * n_auth + author[row_of], return_index=True)
    del pair, phrase
    pair = triple // n_auth
    starts = np.flatnonzero(np.r_[True, pair[1:] != pair[:-1]])
    n = np.diff(np.r_[starts, len(pair)])
    counted, n = pair[starts][n >= 2], n[n >= 2]
    # Only rows that can be in a group's top `_PHRASE_TABLE_SIZE` are sorted with their text: sorting
    # all (300k rows at 1M messages) by the phrase strings set the analysis' peak memory.
    counted, n = top_candidates(counted // n_phrases, n, counted, _PHRASE_TABLE_SIZE)
    frame = pd.DataFrame({"group": counted // n_phrases, "phrase": names[counted % n_phrases],
                          "n": n, "pair": counted})
    frame = frame.sort_values(["group", "n", "phrase"], ascending=[True, False, True])
    _fill_top(tables, frame["group"].to_numpy(), frame["phrase"].to_numpy(dtype=object),
              frame["n"].to_numpy(), _PHRASE_TABLE_SIZE)
    if language is not None and len(frame):
        top = frame.groupby("group", sort=False).head(_PHRASE_TABLE_SIZE)["pair"].to_numpy()
        chosen = np.isin(pair, top)
        # the language most of a phrase's authors wrote it in; a tie goes to the language seen first
        n_lang = max(len(lang_names), 1)
        key = pair[chosen] * n_lang + lang[row_of[first[chosen]]]
        seen = first[chosen]
        order = np.argsort(key, kind="stable")
        key, seen = key[order], seen[order]
        cuts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
        size = np.diff(np.r_[cuts, len(key)])
        earliest = np.minimum.reduceat(seen, cuts)
        key = key[cuts]
        best = np.lexsort((earliest, -size, key // n_lang))
        kp = key[best] // n_lang
        winner = best[np.r_[True, kp[1:] != kp[:-1]]]
        for k in key[winner].tolist():
            g, ph = divmod(k // n_lang, n_phrases)
            langs[int(g)][names[ph]] = lang_names[k % n_lang]
    return tables, langs


def _union_counts(parts: list[tuple[dict[str, int], dict[str, list[int]]]],
                  size: int) -> tuple[dict[str, int], dict[str, list[int]]]:
    """Return the top `size` {item: distinct authors} and their author sets over several tables.

    Each part is (counts, author sets) of one group; an item's count is the size of the union of
    its sets (a count without a set: the largest such count, a lower bound).
    """
    union: dict[str, set[int]] = {}
    floor: dict[str, int] = {}
    for counts, sets in parts:
        for item, n in counts.items():
            union.setdefault(item, set()).update(sets.get(item, ()))
            floor[item] = max(floor.get(item, 0), n)
    counts = {item: max(len(keys), floor[item]) for item, keys in union.items()}
    top = dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:size])
    return top, {item: sorted(union[item]) for item in top if union[item]}


_INCIDENT_SHARE = 0.08  # a term this share of all authors use is the incident's own (`incident_words`)
_CLOSED_SHARE = 0.8  # a phrase inside a longer one that keeps 80 % of its authors is a fragment


def phrase_label(top_terms: tuple[str, ...], phrases: dict[str, int], min_authors: int,
                 taken: set[str] | frozenset[str] = frozenset()) -> str:
    """Return the phrase people wrote that best names a theme, or "" when none has >= k authors.

    Candidates are the theme's phrases used by >= `min_authors` distinct authors (so every word in
    them is too). A candidate inside a longer candidate that keeps >= 80 % of its authors is a
    fragment of it and dropped ("zwarte rook" when most wrote "zwarte rook boven het
    industrieterrein"). The best contains most of the theme's top terms, then has most authors,
    then is longer; a top term inside another word of the phrase says nothing new and does not
    count ("corona" in "coronavirus nederland corona", 5 authors, which would otherwise beat
    "coronavirus nederland", 69). Phrases in `taken` (names of other themes) are not chosen.
    """
    terms = [t.lstrip("#") for t in top_terms]
    cands = {p: n for p, n in phrases.items() if n >= min_authors}
    best, key = "", (0, 0, 0)
    for phrase, n in cands.items():
        words = phrase.split()
        hits = sum(t in words and not any(t in w for w in words if w != t) for t in terms)
        cand = (hits, n, len(words))
        if not hits or cand <= key or phrase in taken:  # cannot win: skip the fragment test
            continue
        padded = f" {phrase} "
        if any(m >= _CLOSED_SHARE * n and len(q) > len(phrase) and padded in f" {q} "
               for q, m in cands.items()):
            continue
        best, key = phrase, cand
    return best


def split_language(label: str) -> tuple[str, str]:
    """Return (the phrase, its language suffix or ""): "smoke at the campsite (Engels)" -> both parts."""
    m = re.fullmatch(r"(.*?)( \([^()]+\))?", str(label))
    return (m.group(1), m.group(2) or "") if m else (str(label), "")


# On (2026-12-07) since a larger name's extra words must be the incident's own (`same_name`): before,
# the demo's live path merged "sterkte heidewijk" (sympathy) into "heide wijk" and "vakantiepark het
# zandven" into "richting oosterzand en vakantiepark het zandven" (docs/THEMES.md). Kept as a switch
# to compare a fit with and without merging.
MERGE_NEAR_DUPLICATES = True

# --- near-duplicate themes (2026-12) ----------------------------------------------------------
# Two themes whose names say the same thing once hashtags are split and spacing, digits and plurals
# are normalised ("covid19" / "covid 19 nederland", "westtx" / "west tx" / "west texas",
# "prayfortexas" / "pray for texas") are one theme: `ThemeModel.fit` merges them.
_PIECES = regex.compile(r"[\p{L}\p{M}'\-]+|\p{N}+")


def _segment_parts(word: str, vocab: frozenset[str] | set[str]) -> list[str]:
    """Return `word` (>= 6 letters) split completely into vocabulary words (fewest parts), else [word].

    Language-neutral: the vocabulary is the corpus' own words (the themes' terms) plus stop words,
    so "prayfortexas" -> pray / for / texas and "coronavirusnl" -> corona / virus / nl when those
    words occur elsewhere in the messages. Offline, no word list per language.
    """
    n = len(word)
    if n < 6 or n > 40:
        return [word]
    best: list[tuple[int, list[int]] | None] = [None] * (n + 1)
    best[0] = (0, [])
    for i in range(2, n + 1):
        for j in range(0, i - 1):
            prev = best[j]
            # parts of >= 3 letters; a 2-letter part only at the end ("west|tx", "coronavirus|nl")
            if (prev is not None and (j, i) != (0, n) and (i - j >= 3 or i == n) and word[j:i] in vocab
                    and (best[i] is None or prev[0] + 1 < best[i][0])):
                best[i] = (prev[0] + 1, prev[1] + [i])
    if best[n] is None:
        return [word]
    cuts = [0, *best[n][1]]
    # a part that is itself a compound of corpus words is split too: coronavirus|nl -> corona|virus|nl
    return [p for a, b in zip(cuts, cuts[1:], strict=False) for p in _segment_parts(word[a:b], vocab)]


def _singular(word: str) -> str:
    """Return a crude language-neutral singular ("mondkapjes" -> "mondkapje", "firefighters" -> ...)."""
    if len(word) > 5 and word.endswith("en"):
        return word[:-2]
    if len(word) > 5 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def name_key(label: str, vocab: frozenset[str] | set[str]) -> tuple[frozenset[str], bool]:
    """Return (the content words a theme name says, whether it is one compound word split).

    Words are split at letter/digit boundaries (numbers dropped: "covid19" -> covid), compounds are
    split with the corpus vocabulary (`_segment_parts`), stop words dropped, plurals made singular.
    The flag is True for a one-word name that was split ("covid19", "westtx", "prayfortexas").
    """
    tokens = word_tokens(split_language(label)[0])
    words: list[str] = []
    pieces_total = 0
    for token in tokens:
        for piece in _PIECES.findall(token):
            if piece[0].isdigit():
                pieces_total += 1
                continue
            parts = _segment_parts(piece, vocab)
            pieces_total += len(parts)
            words += parts
    stop = stopwords()
    key = frozenset(_singular(w) for w in words if w not in stop and has_letter(w))
    return key, len(tokens) == 1 and pieces_total > 1


def _abbreviates(short: str, word: str) -> bool:
    """Return True when `short` (<= 3 letters) abbreviates `word`: "tx" -> texas, "nl" -> nederland."""
    if len(short) > 3 or len(word) <= len(short) or short[0] != word[0]:
        return False
    rest = iter(word[1:])
    return all(c in rest for c in short[1:])


def _covers(small: frozenset[str], big: frozenset[str]) -> bool:
    return all(w in big or any(_abbreviates(w, v) for v in big) for w in small)


def same_name(a: tuple[frozenset[str], bool], b: tuple[frozenset[str], bool],
              incident: frozenset[str] | None = None) -> bool:
    """Return True when two `name_key`s say the same thing.

    Equal word sets, or one inside the other ("west tx" in "west texas", "corona virus" in
    "coronavirus nederland") when the smaller has two or more words or is a split compound
    ("covid19" in "covid 19 nederland"); a lone ordinary word ("stank") does not swallow a phrase.
    With `incident` (the incident's own words, `incident_words`), the larger name's extra words
    must all be such words: "coronavirus nederland" is "corona virus" in a Dutch COVID set, but
    "sterkte heidewijk" (sympathy) is not "heide wijk" (the neighbourhood's other news).
    """
    (ka, ca), (kb, cb) = a, b
    if not ka or not kb:
        return False
    if _covers(ka, kb) and _covers(kb, ka):
        return True
    return any(_covers(small, big) and (len(small) >= 2 or compound)
               and (incident is None or _extra_words(small, big) <= incident)
               for (small, compound), big in (((ka, ca), kb), ((kb, cb), ka)))


def _extra_words(small: frozenset[str], big: frozenset[str]) -> frozenset[str]:
    """Return the words of `big` that no word of `small` is or abbreviates."""
    return frozenset(w for w in big if w not in small and not any(_abbreviates(s, w) for s in small))


def incident_words(tables: list[dict[str, int]], authors: np.ndarray,
                   vocab: frozenset[str] | set[str]) -> frozenset[str]:
    """Return the incident's own words (`name_key` form): terms >= 8 % of all authors use.

    Counted on the groups' author tables (`tables[g][term]` authors of group g use the term; the
    catch-all included), against the groups' authors summed (`authors`): "corona" and "nederland"
    in CT22 Dutch, "texas" in West Texas; the same 8 % as the question groups' incident words.
    """
    total = max(float(np.sum(authors)), 1.0)
    freq: dict[str, int] = {}
    for table in tables:
        for term, n in table.items():
            freq[term] = freq.get(term, 0) + n
    out: set[str] = set()
    for term, n in freq.items():
        if n >= _INCIDENT_SHARE * total:
            out |= name_key(term, vocab)[0]
    return frozenset(out)


class PhraseAuthors:
    """Who wrote a phrase, as a whole word sequence, among cleaned texts (factorised once)."""

    def __init__(self, texts: pd.Series, authors: pd.Series) -> None:
        self.codes, uniques = pd.factorize(texts.astype(str).str.lower(), use_na_sentinel=False)
        self.uniques = pd.Series(uniques, dtype=object)
        self.authors = np.asarray(authors)
        self._arrow, self._texts = pa.array(self.uniques, type=pa.string()), self.uniques.to_numpy()

    def holds(self, words: str) -> np.ndarray:
        """Return per text whether it holds `words` (any case); Python regex only where RE2 finds it."""
        words = words.lower()  # the texts are lowered
        whole = re.compile(r"(?<!\w)" + re.escape(words) + r"(?!\w)")
        hit = np.zeros(len(self.uniques), dtype=bool)
        for i in np.flatnonzero(pc.match_substring(self._arrow, words).to_numpy(zero_copy_only=False)):
            hit[i] = whole.search(self._texts[i]) is not None
        return hit[self.codes]

    def count(self, words: str) -> int:
        """Return the distinct authors of the texts holding `words`."""
        return len(set(self.authors[self.holds(words)]))


def label_for_k(label: str, texts: pd.Series, authors: pd.Series, k: int,
                languages: pd.Series | None = None) -> str:
    """Return `label` when >= k distinct authors among `texts` wrote its phrase, else a shorter name or "".

    A theme's label is chosen with the analysis k; a view with a larger k (CoPI: max(10, k))
    re-checks it on the theme's messages: the phrase itself, else its longest part that starts
    and ends with a content word and has >= k authors ("zwarte rook" of "zwarte rook boven de
    haven"), else "" (the view then names no theme). `texts` are cleaned texts. A phrase found
    anew in the view's texts names its own language (the most common of `languages`, aligned
    with `texts`, among the messages holding it; none when not given), not the label's: a German
    phrase of an English-named theme read "alle fenster zu und trotzdem riecht man es (Engels)".
    """
    phrase, suffix = split_language(label)
    if not phrase or not len(texts):
        return ""
    who = PhraseAuthors(texts, authors)
    n_authors = who.count
    if n_authors(phrase) >= k:
        return str(label)
    words = phrase.split()
    stop = _label_stop() | LABEL_EDGE_WORDS
    ok = [len(w) >= 3 and not w.isdigit() and w not in stop for w in words]
    ends = [o and w not in LABEL_END_WORDS for o, w in zip(ok, words, strict=True)]
    spans = sorted(((j - i, i, j) for i in range(len(words)) for j in range(i + 1, len(words) + 1)
                    if (j - i) < len(words) and ok[i] and ends[j - 1]), key=lambda t: (-t[0], t[1]))
    part = next((p for p in (" ".join(words[i:j]) for _, i, j in spans) if n_authors(p) >= k), "")
    if " " not in part:  # one word ("zwarte", "dak") names little: a phrase of the messages in view?
        found = _phrase_in_view(who.uniques, who.codes, who.authors, k, n_authors)
        if found:
            if languages is None:
                return found
            langs = pd.Series(np.asarray(languages, dtype=object)[who.holds(found)]).value_counts()
            name = LABEL_LANGUAGE_NAMES.get(str(langs.index[0]), "") if len(langs) else ""
            return f"{found} ({name})" if name and langs.index[0] != "und" else found
    return f"{part}{suffix}" if part else ""


_VIEW_PHRASE_SAMPLE = 150  # distinct texts (the most-posted first) searched for a replacement phrase
_VIEW_PHRASE_TRIES = 6  # candidate phrases counted exactly on all of the view's texts


def _phrase_in_view(uniques: pd.Series, codes: np.ndarray, authors: np.ndarray, k: int,
                    n_authors) -> str:
    """Return a phrase (2+ words, `phrases_of`) of these texts that >= k distinct authors wrote, or "".

    Candidates come from the most-posted distinct texts (bounded work) ranked by their authors in
    that sample; each is then counted exactly on every text (`n_authors`), so k holds.
    """
    order = np.argsort(-np.bincount(codes, minlength=len(uniques)), kind="stable")[:_VIEW_PHRASE_SAMPLE]
    rows = np.flatnonzero(np.isin(codes, order))
    row_authors = pd.Series(authors[rows]).groupby(codes[rows]).agg(set)
    seen: dict[str, set] = {}
    for u in order:
        for phrase in set(phrases_of(uniques.iloc[u])):
            if " " in phrase:
                seen.setdefault(phrase, set()).update(row_authors.get(u, ()))
    ranked = sorted(seen, key=lambda p: (-len(seen[p]), -len(p.split()), p))
    return next((p for p in ranked[:_VIEW_PHRASE_TRIES] if n_authors(p) >= k), "")


def label_column(themes: pd.Series, labels: dict[int, str]) -> pd.Series:
    """Return each theme id's label ("" when it has none) as a categorical column (docs/DATA.md).

    Values equal `themes.map(labels).fillna("").astype(str)` (same index); the dtype is a
    Categorical over the distinct labels (string categories, "" always among them): per row only a
    small code. A live update relabels the whole incident when a label changes: as Arrow strings
    that copied every row's label (1M rows: 40 ms idle, 85-180 ms on a busy machine, one update in
    six); as codes it is a lookup over the theme ids (a few ms) and 1 byte per row instead of ~35.
    """
    ids = themes.to_numpy(dtype=np.int64)
    names, keys, codes = _label_codes(labels)
    lut = _label_lut(keys, codes, ids)
    if lut is not None:
        at = lut[np.clip(ids, -1, None) + 1]
    else:  # unusual ids: a hash lookup
        pos = pd.Index(keys).get_indexer(ids)
        at = np.where(pos >= 0, codes[np.maximum(pos, 0)] if len(codes) else 0, 0).astype(np.int32)
    return _label_series(at, names, themes)


def _label_codes(labels: dict[int, str]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Return (distinct labels with "" first, theme ids, each id's code into those labels)."""
    names = list(dict.fromkeys(["", *labels.values()]))
    code_of = {name: i for i, name in enumerate(names)}
    keys = np.fromiter(labels, dtype=np.int64, count=len(labels))
    return names, keys, np.array([code_of[v] for v in labels.values()], dtype=np.int32)


def _label_lut(keys: np.ndarray, codes: np.ndarray, ids: np.ndarray) -> np.ndarray | None:
    """Return code per theme id + 1 (0 = "") covering `keys` and `ids`, or None for unusual ids."""
    if not (len(ids) and len(keys) and keys.min() >= -1 and keys.max() < 1_000_000):
        return None
    lut = np.zeros(int(max(keys.max(), ids.max(initial=-1))) + 2, dtype=np.int32)
    lut[keys + 1] = codes
    return lut


def _label_series(codes: np.ndarray, names: list[str], themes: pd.Series) -> pd.Series:
    values = pd.Categorical.from_codes(codes, dtype=pd.CategoricalDtype(pd.Index(names, dtype="str")),
                                       validate=False)
    return pd.Series(values, index=themes.index, name=themes.name, copy=False)


class LabelColumn:
    """`label_column` kept across live updates of one frame: only appended rows get codes.

    A live update relabels the whole incident (labels follow the model), but a theme's code into
    the label list changes only when the list of distinct labels shifts (a new or merged label);
    a renamed label keeps its code. So while every theme id keeps its code, the rows' codes are
    kept in a buffer with room (`GrowingArray`, int8 as pandas stores them) and only the new rows
    are looked up; otherwise the column is built afresh. 1M rows: ~10 ms of every update.
    """

    def __init__(self) -> None:
        self._lut: np.ndarray | None = None
        self._codes: GrowingArray | None = None

    def update(self, themes: pd.Series, labels: dict[int, str], old: pd.Series | None = None) -> pd.Series:
        """Return `label_column(themes, labels)`.

        `old`: the label column this object returned for the frame that `themes` extends (its
        rows first, unchanged). Only when `old` is exactly the kept codes (same buffer, same
        length) are they reused; anything else builds the column afresh.
        """
        ids = themes.to_numpy(dtype=np.int64)
        names, keys, codes = _label_codes(labels)
        lut = _label_lut(keys, codes, ids)
        kept = self._codes
        if (lut is None or len(names) > np.iinfo(np.int8).max or kept is None or self._lut is None
                or old is None or not isinstance(old.dtype, pd.CategoricalDtype)
                or not kept.holds(old.array.codes)
                or len(lut) < len(self._lut) or not np.array_equal(lut[:len(self._lut)], self._lut)):
            column = label_column(themes, labels)
            if lut is None or len(names) > np.iinfo(np.int8).max:
                self._lut = self._codes = None
            else:  # the returned column's codes are the kept buffer: the next update can extend it
                self._lut = lut
                self._codes = GrowingArray(column.cat.codes.to_numpy().astype(np.int8))
                column = _label_series(self._codes.values, names, themes)
            return column
        kept.extend(lut[np.clip(ids[len(kept):], -1, None) + 1].astype(np.int8))
        self._lut = lut
        return _label_series(kept.values, names, themes)


class ThemeModel:
    """Incremental theme model: `fit` finds themes, `partial_fit` adds, `assign` labels rows."""

    def __init__(
        self,
        min_cluster_size: int = 10,
        similarity_threshold: float = 0.15,
        max_themes: int = 25,
        min_authors: int = 5,
        n_features: int = 2**18,
        sample_size: int = 20_000,
        centroid_terms: int = 200,
        n_label_terms: int = 3,
        max_pending: int = 5_000,
        random_state: int = 0,
    ):
        self.min_cluster_size = min_cluster_size
        self.similarity_threshold = similarity_threshold
        self.max_themes = max_themes
        self.min_authors = min_authors
        self.n_features = n_features
        self.sample_size = sample_size
        self.centroid_terms = centroid_terms
        self.n_label_terms = n_label_terms
        self.max_pending = max_pending
        self.random_state = random_state

    @classmethod
    def from_params(cls, params: ThemeParams) -> ThemeModel:
        """Return an unfitted model with the settings of `params`."""
        return cls(**asdict(params))

    def get_params(self) -> dict[str, Any]:
        """Return the constructor parameters."""
        return {k: getattr(self, k) for k in ThemeParams.__dataclass_fields__}

    # -- helpers on fitted state --
    def _vectorize(self, docs: list[tuple[str, ...]]) -> sp.csr_matrix:
        """Return the TF-IDF rows of term tuples in the fitted term space."""
        counts, vocab = _count_matrix(docs)
        return self._vectorize_counts(counts, vocab)

    def _vectorize_counts(self, counts: sp.csr_matrix, vocab: np.ndarray) -> sp.csr_matrix:
        """Return TF-IDF rows for a doc x term matrix (terms in `vocab`)."""
        hashed = _hashed_matrix(counts, _hash_terms(vocab, self.n_features), self.n_features)
        return _tfidf(hashed, self.idf_)

    def _idf_array(self) -> np.ndarray:
        """Return the dense idf vector from the stored sparse idf entries (and key them: `idf_key`)."""
        idf = np.full(self.n_features, self.idf_default_)
        idf[self.idf_indices_] = self.idf_values_
        self.idf_key_ = _idf_key(self.n_docs_, self.idf_default_, self.idf_indices_, self.idf_values_)
        return idf

    def _candidates(self, x: sp.csr_matrix, weights: np.ndarray, k: int) -> sp.csr_matrix:
        """Return candidate centroids from mini-batch k-means on `x`, near-duplicates merged."""
        k = min(k, x.shape[0])
        if k < 1:
            return sp.csr_matrix((0, self.n_features))
        # k-means runs on the features used by >= 2 sampled texts only: a term seen once
        # cannot define a theme, and dense centres over all hashed features are slow
        used = np.flatnonzero(np.bincount(x.indices, minlength=self.n_features) >= 2)
        if len(used) == 0:
            return sp.csr_matrix((0, self.n_features))
        back = sp.csr_matrix(
            (np.ones(len(used)), (np.arange(len(used)), used)), shape=(len(used), self.n_features)
        )
        x = x[:, used]
        # one thread: faster on small inputs, no oversubscription on a shared machine,
        # and a fixed reduction order (same input -> same themes)
        with threadpool_limits(limits=1):
            km = MiniBatchKMeans(
                n_clusters=k,
                random_state=self.random_state,
                batch_size=2048,
                n_init=1,
                max_iter=20,
            ).fit(x, sample_weight=weights)
        centers = sp.csr_matrix(km.cluster_centers_) @ back
        cents = _truncate_rows(centers, self.centroid_terms)
        # merge centroids that describe the same theme (k-means splits big themes)
        sims = (cents @ cents.T).toarray()
        sizes = np.bincount(km.labels_, weights=weights, minlength=k)
        order = np.argsort(-sizes, kind="stable")
        target = np.arange(k)
        for pos, i in enumerate(order):
            for j in order[:pos]:
                if target[j] == j and sims[i, j] >= _MERGE_SIMILARITY:
                    target[i] = j
                    break
        roots = unique_ints(target)
        merged = sp.csr_matrix(
            (sizes, (np.searchsorted(roots, target), np.arange(k))), shape=(len(roots), k)
        ) @ centers
        return _truncate_rows(merged, self.centroid_terms)

    def _select(
        self,
        x: sp.csr_matrix,
        weights: np.ndarray,
        inv: np.ndarray,
        author: np.ndarray,
        cents: sp.csr_matrix,
        max_keep: int,
    ) -> tuple[sp.csr_matrix, np.ndarray]:
        """Refine candidate centroids on all docs, keep those large and broad enough.

        Returns the kept centroids (largest first) and the doc -> kept index (-1 = none).
        """
        thr = self.similarity_threshold
        for _ in range(2):  # two refinement steps on all docs (Lloyd step with threshold)
            lab = _label_of(*_best(x, cents), thr)
            cents = _truncated_means(x, lab, cents.shape[0], weights, self.centroid_terms)
        lab = _label_of(*_best(x, cents), thr)
        k = cents.shape[0]
        sizes = np.bincount(lab[lab >= 0], weights=weights[lab >= 0], minlength=k)
        authors = distinct_per_group(lab[inv], author, k)
        ok = (sizes >= self.min_cluster_size) & (authors >= self.min_authors)
        order = [i for i in np.argsort(-sizes, kind="stable") if ok[i]][:max_keep]
        cents = cents[order]
        return cents, _label_of(*_best(x, cents), thr)

    def _nameable(self, tables: list[dict[str, int]]) -> np.ndarray:
        """Return per group 1.. of `tables` (group 0: the catch-all) whether it can be named.

        A group can be named when one of its class-based TF-IDF top terms (`ctfidf_labels`, as the
        labels use them) is `nameable` and used by >= min_authors authors. A cluster whose
        characteristic words are all "goed", "vind", "😂" or each used by fewer than k authors is
        not a theme: its messages go to the catch-all (docs/THEMES.md).
        """
        labels = ctfidf_labels(dict(enumerate(tables)), self.n_label_terms, self.min_authors)
        return np.array([bool(labels.get(g)) for g in range(1, len(tables))], dtype=bool)

    def _natural_names(self, tables: list[dict[str, int]], phrases: list[dict[str, int]]) -> list[str]:
        """Return per group 1.. the name each theme would take if no other theme had a name yet."""
        top = ctfidf_labels(dict(enumerate(tables)), self.n_label_terms, self.min_authors)
        out = []
        for g in range(1, len(tables)):
            terms = top.get(g, ())
            out.append(phrase_label(terms, self._own_words(phrases[g]), self.min_authors)
                       or (terms[0] if terms else ""))
        return out

    def _name_targets(self, tables: list[dict[str, int]], phrases: list[dict[str, int]], sizes: np.ndarray,
                      authors: np.ndarray, n_fixed: int = 0) -> np.ndarray:
        """Return per group 1.. of `tables` the index (0-based) of the group it joins (itself: none).

        Groups are compared by the name each would take (`_natural_names`), folded with `name_key`
        over the corpus' own words (every group's top terms) and stop words; `same_name` decides,
        with the incident's own words (`incident_words`; `authors`: per group 0.. its authors).
        Largest first, a group joins the first larger group one of whose members it matches. The
        first `n_fixed` groups are existing themes (`_discover_pending`): they never join, and a new
        group joins one of them before a larger new group.
        """
        n = len(tables) - 1
        target = np.arange(n)
        if n < 2 or not MERGE_NEAR_DUPLICATES:
            return target
        names = self._natural_names(tables, phrases)
        vocab = set(stopwords()).union(*tables)
        keys = [name_key(name, vocab) for name in names]
        incident = incident_words(tables, authors, vocab)
        order = np.argsort(-np.asarray(sizes, dtype=float), kind="stable")
        fixed = [j for j in order if j < n_fixed]
        for pos, i in enumerate(order):
            if i < n_fixed:
                continue
            for j in [*fixed, *(j for j in order[:pos] if j >= n_fixed)]:
                if same_name(keys[i], keys[j], incident):
                    target[i] = target[j]
                    break
        return target

    def _merge_near_duplicates(self, stats: list[dict]) -> np.ndarray | None:
        """Return per centroid the theme (0-based, largest first) it names, or None when no two are alike.

        A merged theme keeps all its members' centroids (`centroid_theme_`): a message goes to
        the theme of its best-matching centroid, as before the merge, so no message is lost.
        """
        target = self._name_targets([st["terms"] for st in stats], [st["phrases"] for st in stats],
                                    np.array([st["size"] for st in stats[1:]], dtype=float),
                                    np.array([st["n_authors"] for st in stats], dtype=float))
        if (target == np.arange(len(target))).all():
            return None
        roots, member_of = np.unique(target, return_inverse=True)
        sizes = np.bincount(member_of, weights=[st["size"] for st in stats[1:]], minlength=len(roots))
        rank = np.empty(len(roots), dtype=np.int64)
        rank[np.argsort(-sizes, kind="stable")] = np.arange(len(roots))
        return rank[member_of]

    def _merged_stats(self, stats: list[dict], row_theme: np.ndarray, row_lab: np.ndarray,
                      author: np.ndarray) -> tuple[list[dict], list[list[int]]]:
        """Return `_stats` per merged theme from its members' (and per theme its members' sizes).

        No second pass over the messages: a term's or phrase's authors are the union of the
        members' author sets (`_stats` keeps a set for every item in a table, so this is exact for
        an item in each member's table), sizes and languages add up, first/last seen are the
        extremes; the theme's authors are counted from the messages (`row_lab`: centroid per
        message, `author` codes).
        """
        n_themes = int(row_theme.max()) + 1
        theme_of_row = _through(row_theme, row_lab)
        n_auth = distinct_per_group(theme_of_row, author, n_themes)
        out: list[dict] = [stats[0]]
        member_sizes = []
        for t in range(n_themes):
            members = [stats[r + 1] for r in np.flatnonzero(row_theme == t)]
            merged = dict(members[0])
            if len(members) > 1:
                firsts = [st["first"] for st in members if pd.notna(st["first"])]
                lasts = [st["last"] for st in members if pd.notna(st["last"])]
                terms, term_sets = _union_counts(
                    [(st["terms"], st["term_authors"]) for st in members], _TERM_TABLE_SIZE)
                phrases, phrase_sets = _union_counts(
                    [(st["phrases"], st["phrase_authors"]) for st in members], _PHRASE_TABLE_SIZE)
                phrase_languages: dict[str, str] = {}
                for st in sorted(members, key=lambda st: -st["size"]):  # the largest member's language
                    for phrase, lang in st["phrase_languages"].items():
                        phrase_languages.setdefault(phrase, lang)
                languages: dict[str, int] = {}
                for st in members:
                    for lang, n in st["languages"].items():
                        languages[lang] = languages.get(lang, 0) + n
                merged.update(size=sum(st["size"] for st in members), first=min(firsts, default=None),
                              last=max(lasts, default=None), terms=terms, term_authors=term_sets,
                              phrases=phrases, phrase_authors=phrase_sets, languages=languages,
                              phrase_languages={p: v for p, v in phrase_languages.items() if p in phrases})
            merged["n_authors"] = int(n_auth[t])
            out.append(merged)
            member_sizes.append([int(st["size"]) for st in members])
        return out, member_sizes

    def _row_theme(self) -> np.ndarray:
        """Return per centroid row the position in `themes_` of its theme (one row each before merges)."""
        rows = getattr(self, "centroid_theme_", None)
        return np.arange(self.centroids_.shape[0]) if rows is None else rows

    def _row_sizes(self) -> np.ndarray:
        """Return per centroid row its messages: the theme's size, a merged theme's `member_sizes`."""
        row_theme = self._row_theme()
        out = np.array([self.themes_[t]["size"] for t in row_theme], dtype=float)
        for t, theme in enumerate(self.themes_):
            if "member_sizes" in theme:
                out[row_theme == t] = theme["member_sizes"]
        return out

    def _note_official(self, df: pd.DataFrame) -> bool:
        """Keep the cleaned texts of `df`'s official messages (`COPIED_WORDS`); True when new ones came."""
        if IS_OFFICIAL not in df or CLEAN_TEXT not in df or not len(df):
            return False
        official = df[IS_OFFICIAL].fillna(False).astype(bool).to_numpy()
        if not official.any():
            return False
        known = list(getattr(self, "official_texts_", []))
        seen = set(known)
        new = [t for t in pd.unique(df[CLEAN_TEXT].to_numpy()[official])
               if isinstance(t, str) and t and t not in seen]
        self.official_texts_ = (known + new)[-_OFFICIAL_TEXTS:]
        self._official_words_ = None
        return bool(new)

    def _own_words(self, phrases: dict[str, int]) -> dict[str, int]:
        """Return `phrases` without those of `COPIED_WORDS`+ words that an official text holds."""
        texts = getattr(self, "official_texts_", [])
        if not texts or not phrases:
            return phrases
        if getattr(self, "_official_words_", None) is None:
            self._official_words_ = "\n".join(f" {' '.join(word_tokens(t))} " for t in texts)
        blob = self._official_words_
        return {p: n for p, n in phrases.items() if p.count(" ") + 1 < COPIED_WORDS or f" {p} " not in blob}

    def _refresh_labels(self) -> None:
        """Recompute every theme label from the stored term tables (ids untouched)."""
        tables = {t["id"]: t["terms"] for t in self.themes_}
        tables[OTHER_THEME] = self.other_["terms"]
        labels = ctfidf_labels(tables, self.n_label_terms, self.min_authors)
        taken: set[str] = set()
        # The largest theme names itself first; a smaller one takes its next-best name rather than
        # repeating a label already on screen (two themes both "coronavirus nederland").
        for theme in sorted(self.themes_, key=lambda t: (-t.get("size", 0), t["id"])):
            terms = labels.get(theme["id"], ())
            theme["top_terms"] = list(terms)
            # A phrase people wrote (>= k authors) when there is one; else the most characteristic
            # term (every top term is `nameable`); never a word list.
            phrases = self._own_words(theme.get("phrases", {}))
            phrase = phrase_label(terms, phrases, self.min_authors, taken)
            word = next((t for t in terms if t.lstrip("#") not in taken), "")
            if not phrase and not word:  # every name taken: repeat the best rather than none
                phrase = phrase_label(terms, phrases, self.min_authors)
                word = terms[0] if terms else ""
            label = phrase or word or f"thema {theme['id']}"
            taken.add(label.lstrip("#"))
            # The language of the phrase itself when it is a phrase, else the theme's majority.
            language = (LABEL_LANGUAGE_NAMES.get(theme.get("phrase_languages", {}).get(phrase, ""), "")
                        if phrase else label_language(theme.get("languages", {})))
            theme["label"] = f"{label} ({language})" if language and terms else label

    def _stats(self, df: pd.DataFrame, rows: np.ndarray, theme_index: np.ndarray) -> list[dict]:
        """Return per-group stats (size, authors, first/last seen, term table) of message rows."""
        n_groups = len(self.themes_) + 1  # group 0 = catch-all, i = themes_[i-1]
        group = theme_index + 1
        columns = _stat_columns(df)
        # The cleaned texts are not copied for the rows (a take of 1M texts, ~0,14 GB at the themes'
        # peak): their phrases are found on the whole column, for the rows in a theme only.
        sub = columns.drop(columns=[CLEAN_TEXT], errors="ignore").iloc[rows]
        author = _author_codes(sub[AUTHOR]) if len(rows) else np.zeros(0, np.int64)
        inv, docs = _unique_docs(sub[TERMS])
        counts, vocab = _count_matrix(docs)
        del docs
        tables = _term_table(counts, vocab, group, author, n_groups, inv=inv)
        keys = _author_keys(sub[AUTHOR]) if len(rows) else np.zeros(0, np.int64)
        # The term author sets before the phrases: the per-message term and phrase data are never
        # alive at the same time (peak memory).
        term_sets = _term_authors(counts, vocab, group, keys, tables, inv=inv)
        del counts, vocab, inv
        sizes = np.bincount(group, minlength=n_groups)
        authors = distinct_per_group(group, author, n_groups)
        times = pd.to_datetime(sub[CREATED_AT], utc=True)
        first = times.groupby(group).min()
        last = times.groupby(group).max()
        row_phr = None
        if CLEAN_TEXT in columns.columns:
            in_theme = np.zeros(len(columns), dtype=bool)
            in_theme[np.asarray(rows)[group != 0]] = True
            all_codes, per_text = row_phrases(columns[CLEAN_TEXT], in_theme)
            row_phr = (all_codes[rows], per_text)
            del all_codes, in_theme
        phrases, phrase_langs = (
            phrase_stats(None, group, author, n_groups, skip=0,
                         language=sub[LANGUAGE] if LANGUAGE in sub.columns else None, phrases=row_phr)
            if row_phr is not None else ([{} for _ in range(n_groups)], [{} for _ in range(n_groups)]))
        languages = _language_counts(sub, group, n_groups)
        phrase_sets = (_phrase_authors(row_phr, group, keys, phrases)
                       if row_phr is not None else [{} for _ in range(n_groups)])
        return [
            {
                "size": int(sizes[g]),
                "n_authors": int(authors[g]),
                "first": first.get(g),
                "last": last.get(g),
                "terms": tables[g],
                "phrases": phrases[g],
                "phrase_languages": phrase_langs[g],
                "languages": languages[g],
                "term_authors": term_sets[g],
                "phrase_authors": phrase_sets[g],
            }
            for g in range(n_groups)
        ]

    # -- public API --
    def fit(self, df: pd.DataFrame) -> ThemeModel:
        """Find the initial themes in `df` (eligible rows only); returns self."""
        self._fit(df)
        return self

    def _fit(self, df: pd.DataFrame) -> np.ndarray:
        """`fit`, returning the theme id of every row of `df` (as `assign` gives them).

        NO_THEME for rows that get no theme. `assign_themes` then needs no second vectorisation of
        every text (at 1M messages the analysis' peak memory was there, and ~1 s).
        """
        self.official_texts_ = []
        self._note_official(df)
        rows = np.flatnonzero(_eligible(df))
        inv, docs = _unique_docs(df[TERMS].iloc[rows])
        counts, vocab = _count_matrix(docs)
        hashed = _hashed_matrix(counts, _hash_terms(vocab, self.n_features), self.n_features)
        n_docs = len(docs)
        doc_freq = np.bincount(hashed.indices, minlength=self.n_features)
        # idf is stored only for features seen in >= 2 distinct texts; the rest share one value
        self.n_docs_ = n_docs
        self.idf_default_ = float(np.log((1 + n_docs) / 2) + 1)
        self.idf_indices_ = np.flatnonzero(doc_freq >= 2).astype(np.int64)
        self.idf_values_ = np.log((1 + n_docs) / (1 + doc_freq[self.idf_indices_])) + 1
        self.idf_ = self._idf_array()
        x = _tfidf(hashed, self.idf_)
        # Only x is needed below: the count and hashed matrices (each about as large as x, ~70 MB
        # at 1M messages) were alive through `_select`, where the analysis peaks.
        del counts, hashed, vocab, doc_freq
        weights = 1.0 + np.log(np.bincount(inv, minlength=n_docs).astype(float).clip(1))
        author = _author_codes(df[AUTHOR].iloc[rows]) if len(rows) else np.zeros(0, np.int64)

        rng = np.random.default_rng(self.random_state)
        nonempty = np.flatnonzero(x.getnnz(axis=1) > 0)
        sample = nonempty
        if len(nonempty) > self.sample_size:
            sample = np.sort(rng.choice(nonempty, self.sample_size, replace=False))
        k = min(self.max_themes * 2, max(len(sample) // max(self.min_cluster_size, 1), 1))
        cands = self._candidates(x[sample], weights[sample], k)
        self.centroids_, lab = self._select(x, weights, inv, author, cands, self.max_themes)
        del x, docs, cands  # not needed below: free them before the statistics

        self.themes_ = [{"id": i + 1} for i in range(self.centroids_.shape[0])]
        stats = self._stats(df, rows, lab[inv])
        named = self._nameable([st["terms"] for st in stats])
        if not named.all():
            # The name test (on the statistics `_stats` computes anyway, so no term table over all
            # messages while the TF-IDF matrix is alive: peak memory): drop the clusters nobody can
            # name and assign again, as `assign` will, so the statistics match the themes shown.
            self.centroids_ = self.centroids_[np.flatnonzero(named)]
            self.themes_ = [{"id": i + 1} for i in range(self.centroids_.shape[0])]
            del stats
            inv, docs = _unique_docs(df[TERMS].iloc[rows])
            x = self._vectorize(docs)
            del docs
            lab = _label_of(*_best(x, self.centroids_), self.similarity_threshold)
            del x
            stats = self._stats(df, rows, lab[inv])
        self.centroid_theme_ = np.arange(self.centroids_.shape[0])
        row_theme = self._merge_near_duplicates(stats)
        if row_theme is not None:
            # Near-duplicate themes (their names say the same thing) are one theme that keeps all its
            # members' centroids: the messages stay where they are, only their theme id changes, so
            # the statistics are the members' merged (no second assignment).
            stats, member_sizes = self._merged_stats(stats, row_theme, lab[inv], author)
            order = np.argsort(row_theme, kind="stable")  # a theme's centroids next to each other
            self.centroids_ = self.centroids_[order]
            self.centroid_theme_ = row_theme[order]
            lab = _through(row_theme, lab)
            self.themes_ = [{"id": i + 1} for i in range(len(stats) - 1)]
            for theme, sizes in zip(self.themes_, member_sizes, strict=True):
                if len(sizes) > 1:
                    theme["member_sizes"] = sizes
        self.other_ = {
            "size": stats[0]["size"],
            "n_authors": stats[0]["n_authors"],
            "terms": stats[0]["terms"],
            "term_authors": self._capped(stats[0]["term_authors"]),
        }
        self.next_id_ = len(self.themes_) + 1
        for theme, st in zip(self.themes_, stats[1:], strict=False):
            theme.update(
                size=st["size"],
                n_authors=st["n_authors"],
                created_at=_iso(st["first"]),
                last_seen=_iso(st["last"]),
                terms=st["terms"],
                phrases=st["phrases"],
                phrase_languages=st["phrase_languages"],
                languages=st["languages"],
                term_authors=self._capped(st["term_authors"]),
                phrase_authors=self._capped(st["phrase_authors"]),
            )
        self._refresh_labels()
        self.pending_ = _empty_pending()
        self._add_pending(df, rows[lab[inv] < 0])
        theme = np.full(len(df), NO_THEME, dtype=np.int64)
        ids = np.array([OTHER_THEME] + [t["id"] for t in self.themes_], dtype=np.int64)
        theme[rows] = ids[lab[inv] + 1]  # lab: the theme's position (merged themes mapped above)
        return theme

    def _add_pending(self, df: pd.DataFrame, rows: np.ndarray) -> None:
        """Keep unassigned messages (terms, author hash, time) to seed later themes."""
        if len(rows) == 0:
            return
        sub = _stat_columns(df).iloc[rows]
        times = pd.to_datetime(sub[CREATED_AT], utc=True)
        pend = self.pending_
        pend["terms"] += [list(t) for t in _as_tuples(sub[TERMS])]
        pend["authors"] += _author_keys(sub[AUTHOR]).tolist()
        # epoch ms whatever the column's unit (`// 10**6` assumed ns: a column in µs, as read from
        # the store, gave seconds, and themes found from pending were dated 1970-01-21)
        pend["created_at"] += times.dt.as_unit("ms").astype("int64").tolist()
        # the text and language too, so themes found later get phrase labels (states saved
        # before this carry none: their pending themes fall back to top terms)
        n_before = len(pend["terms"]) - len(sub)
        if len(pend.get("texts", [])) == n_before and len(pend.get("langs", [])) == n_before:
            pend["texts"] = pend.get("texts", []) + (
                sub[CLEAN_TEXT].astype(str).tolist() if CLEAN_TEXT in sub.columns else [""] * len(sub))
            pend["langs"] = pend.get("langs", []) + (
                sub[LANGUAGE].astype(str).tolist() if LANGUAGE in sub.columns else ["und"] * len(sub))
        else:
            pend.pop("texts", None)
            pend.pop("langs", None)
        # the message ids too: the stored state then names pending messages by id (`to_dict`)
        if len(pend.get("ids", [])) == n_before and MESSAGE_ID in sub.columns:
            pend["ids"] = pend.get("ids", []) + sub[MESSAGE_ID].astype("int64").tolist()
        else:
            pend.pop("ids", None)
        if len(pend["created_at"]) > self.max_pending:
            order = np.argsort(pend["created_at"], kind="stable")[-self.max_pending :]
            order = np.sort(order)
            for key in pend:
                pend[key] = [pend[key][i] for i in order]

    def partial_fit(self, df: pd.DataFrame) -> ThemeModel:
        """Assign new messages to existing themes, add new themes from unassigned ones; self."""
        if not hasattr(self, "centroids_"):
            return self.fit(df)
        noted = self._note_official(df)
        rows = np.flatnonzero(_eligible(df))
        if len(rows) == 0:
            if noted:  # new official texts may rename a theme (else the refresh below does it)
                self._refresh_labels()
            return self
        inv, docs = _unique_docs(df[TERMS].iloc[rows])
        x = self._vectorize(docs)
        lab = _label_of(*_best(x, self.centroids_), self.similarity_threshold)  # centroid row per doc
        # online centroid update: size-weighted running mean, then truncated (each centroid of a
        # merged theme with its own messages: `member_sizes`)
        sizes = self._row_sizes()
        dup = np.bincount(inv, minlength=len(docs)).astype(float)
        sums = _means(x, lab, len(sizes), dup)
        moved = np.flatnonzero(sums.getnnz(axis=1) > 0)
        if len(moved):
            scale = np.ones(len(sizes))
            scale[moved] = sizes[moved]
            cents = sp.diags(scale) @ self.centroids_ + sums
            self.centroids_ = _truncate_rows(cents, self.centroid_terms)
        row_theme = self._row_theme()
        added = np.bincount(lab[inv][lab[inv] >= 0], minlength=len(sizes))
        for t, theme in enumerate(self.themes_):
            if "member_sizes" in theme:  # a new list: `copy` shares the old one
                grown = np.asarray(theme["member_sizes"]) + added[row_theme == t]
                theme["member_sizes"] = [int(n) for n in grown]
        row_lab = _through(row_theme, lab)[inv]  # theme position per message
        stats = self._stats(df, rows, row_lab)
        self._merge_stats(self.other_, stats[0])
        for theme, st in zip(self.themes_, stats[1:], strict=False):
            self._merge_stats(theme, st)
        self._add_pending(df, rows[row_lab < 0])
        self._discover_pending()
        self._refresh_labels()
        return self

    def _capped(self, sets: dict[str, list[int]]) -> dict[str, list[int]]:
        """Keep the author-hash sets below the cap (a saturated set is dropped: its count is >= cap)."""
        cap = _author_set_cap(self.min_authors)
        return {k: v for k, v in sets.items() if len(v) < cap}

    def _merge_counts(self, counts: dict[str, int], sets: dict[str, list[int]],
                      new_counts: dict[str, int], new_sets: dict[str, list[int]],
                      size: int) -> tuple[dict[str, int], dict[str, list[int]]]:
        """Merge one batch's {item: distinct authors} into stored ones, exactly (issue 15).

        Where both sides have author-hash sets the count is the size of their union, so one author
        using a term in ten batches counts once. A stored count without a set is either saturated
        (>= cap: adding keeps it >= k) or from a state saved before sets existed (summed, as before).
        A new item without a set in the batch (saturated within the batch) is >= cap already.
        """
        cap = _author_set_cap(self.min_authors)
        counts, sets = dict(counts), {k: list(v) for k, v in sets.items()}
        for item, n in new_counts.items():
            batch = new_sets.get(item)
            if item not in counts:
                counts[item] = n
                if batch is not None:
                    sets[item] = list(batch)
                continue
            if item in sets and batch is not None:
                union = set(sets[item]).union(batch)
                counts[item] = len(union)
                sets[item] = sorted(union)
            else:
                counts[item] += n
                sets.pop(item, None)
        top = dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:size])
        return top, {k: v for k, v in sets.items() if k in top and len(v) < cap}

    def _merge_stats(self, target: dict, st: dict) -> None:
        """Add batch stats to a stored theme (term/phrase author counts exact through author-hash sets)."""
        if st["size"] == 0:
            return
        target["size"] += st["size"]
        target["n_authors"] += st["n_authors"]  # theme size in authors: an upper bound (not a k gate)
        if "last_seen" in target:
            target["last_seen"] = max(target["last_seen"], _iso(st["last"]))
        target["terms"], target["term_authors"] = self._merge_counts(
            target["terms"], target.get("term_authors", {}), st["terms"], st.get("term_authors", {}),
            _TERM_TABLE_SIZE)
        target["phrases"], target["phrase_authors"] = self._merge_counts(
            target.get("phrases", {}), target.get("phrase_authors", {}), st.get("phrases", {}),
            st.get("phrase_authors", {}), _PHRASE_TABLE_SIZE)
        merged = dict(target.get("phrase_languages", {})) | st.get("phrase_languages", {})
        target["phrase_languages"] = {k: v for k, v in merged.items() if k in target["phrases"]}
        languages = dict(target.get("languages", {}))
        for lang, n in st.get("languages", {}).items():
            languages[lang] = languages.get(lang, 0) + n
        target["languages"] = languages

    def _discover_pending(self) -> None:
        """Create new themes from pending messages that share vocabulary (ids appended)."""
        pend = self.pending_
        room = self.max_themes - len(self.themes_)
        if room <= 0 or len(pend["terms"]) < self.min_cluster_size:
            return
        if len(set(pend["authors"])) < self.min_authors:
            return
        terms = [tuple(t) for t in pend["terms"]]
        inv, docs = _unique_docs(pd.Series(terms, dtype=object))
        counts, vocab = _count_matrix(docs)
        x = self._vectorize_counts(counts, vocab)
        weights = np.bincount(inv, minlength=len(docs)).astype(float)
        author = pd.factorize(np.asarray(pend["authors"]))[0].astype(np.int64)
        nonempty = np.flatnonzero(x.getnnz(axis=1) > 0)
        if len(nonempty) == 0:
            return
        k = min(room, 10, max(len(terms) // self.min_cluster_size, 1))
        cands = self._candidates(x[nonempty], weights[nonempty], k)
        cents, lab = self._select(x, weights, inv, author, cands, room)
        if cents.shape[0] == 0:
            return
        row_lab = lab[inv]
        group = row_lab + 1
        tables = _term_table(counts, vocab, group, author, cents.shape[0] + 1, inv=inv)
        sizes = np.bincount(group, minlength=cents.shape[0] + 1)
        n_auth = distinct_per_group(group, author, cents.shape[0] + 1)
        times = np.asarray(pend["created_at"])
        n_groups = cents.shape[0] + 1
        phrases, phrase_langs = [{} for _ in range(n_groups)], [{} for _ in range(n_groups)]
        row_phr = None
        if len(pend.get("texts", [])) == len(terms) and len(pend.get("langs", [])) == len(terms):
            pending_texts = pd.Series(pend["texts"], dtype=object)
            row_phr = row_phrases(pending_texts, group != 0)
            phrases, phrase_langs = phrase_stats(pending_texts, group, author, n_groups, skip=0,
                                                 language=pd.Series(pend["langs"], dtype=object),
                                                 phrases=row_phr)
        keys = np.asarray(pend["authors"], dtype=np.int64)
        term_sets = _term_authors(counts, vocab, group, keys, tables, inv=inv)
        phrase_sets = (_phrase_authors(row_phr, group, keys, phrases)
                       if row_phr is not None and any(phrases) else [{} for _ in range(n_groups)])
        langs = np.asarray(pend.get("langs", []), dtype=object)
        named = self._nameable(tables)
        found = np.flatnonzero(named)
        n_old = len(self.themes_)
        # A cluster whose name says what an existing theme's says (or a larger new cluster's) joins
        # that theme with its centroid, as `fit` merges near-duplicate themes.
        target = self._name_targets(
            [self.other_["terms"], *(t["terms"] for t in self.themes_), *(tables[i + 1] for i in found)],
            [{}, *(t.get("phrases", {}) for t in self.themes_), *(phrases[i + 1] for i in found)],
            np.array([t["size"] for t in self.themes_] + [sizes[i + 1] for i in found], dtype=float),
            np.array([self.other_.get("n_authors", 0), *(t.get("n_authors", 0) for t in self.themes_),
                      *(n_auth[i + 1] for i in found)], dtype=float),
            n_fixed=n_old)[n_old:]
        position: dict[int, int] = {}  # group index in `target` -> theme position
        row_theme = [*self._row_theme().tolist()]
        for joins in (False, True):  # new themes first (ids in the old order), then the joining clusters
            for pos, i in enumerate(found.tolist()):  # an unnameable cluster's messages stay pending
                into = int(target[pos])
                if (into != n_old + pos) != joins:
                    continue
                members = times[row_lab == i]
                theme = {
                    "id": self.next_id_,
                    "size": int(sizes[i + 1]),
                    "n_authors": int(n_auth[i + 1]),
                    "created_at": _iso(pd.Timestamp(int(members.min()), unit="ms", tz="UTC")),
                    "last_seen": _iso(pd.Timestamp(int(members.max()), unit="ms", tz="UTC")),
                    "terms": tables[i + 1],
                    "phrases": phrases[i + 1],
                    "phrase_languages": phrase_langs[i + 1],
                    "term_authors": self._capped(term_sets[i + 1]),
                    "phrase_authors": self._capped(phrase_sets[i + 1]),
                }
                if len(langs) == len(terms):
                    values, counts = np.unique(langs[row_lab == i].astype(str), return_counts=True)
                    theme["languages"] = {str(v): int(c) for v, c in zip(values, counts, strict=True)}
                if not joins:
                    position[n_old + pos] = len(self.themes_)
                    row_theme.append(len(self.themes_))
                    self.themes_.append(theme)
                    self.next_id_ += 1
                    continue
                t = into if into < n_old else position[into]
                host = self.themes_[t]
                host["member_sizes"] = [*host.get("member_sizes", [host["size"]]), theme["size"]]
                self._merge_stats(host, theme | {"last": theme["last_seen"], "term_authors": term_sets[i + 1],
                                                 "phrase_authors": phrase_sets[i + 1]})
                host["created_at"] = min(host.get("created_at") or theme["created_at"], theme["created_at"])
                row_theme.append(t)
        row_theme_arr = np.asarray(row_theme, dtype=np.int64)
        order = np.argsort(row_theme_arr, kind="stable")  # a theme's centroids next to each other
        self.centroids_ = sp.vstack([self.centroids_, cents[found]]).tocsr()[order]
        self.centroid_theme_ = row_theme_arr[order]
        keep = np.flatnonzero((row_lab < 0) | ~np.append(named, True)[row_lab])  # -1 -> the appended True
        for key in pend:
            pend[key] = [pend[key][i] for i in keep]

    def assign(self, df: pd.DataFrame) -> pd.DataFrame:
        """Return `df` with THEME (id, NO_THEME for non-eligible) and THEME_LABEL added."""
        theme = np.full(len(df), NO_THEME, dtype=np.int64)
        rows = np.flatnonzero(_eligible(df))
        if len(rows):
            inv, docs = _unique_docs(df[TERMS].iloc[rows])
            lab = _label_of(*_best(self._vectorize(docs), self.centroids_), self.similarity_threshold)
            # centroid row -> theme id (a merged theme has several centroids)
            ids = np.array([OTHER_THEME] + [self.themes_[t]["id"] for t in self._row_theme()], dtype=np.int64)
            theme[rows] = ids[lab[inv] + 1]
        return self._with_themes(df, theme)

    def _with_themes(self, df: pd.DataFrame, theme: np.ndarray) -> pd.DataFrame:
        """Return `df` with THEME (ids per row) and its THEME_LABEL added."""
        names = {NO_THEME: "", OTHER_THEME: OTHER_LABEL} | {t["id"]: t["label"] for t in self.themes_}
        theme = pd.Series(theme, index=df.index)
        return df.assign(**{THEME: theme, THEME_LABEL: label_column(theme, names)})

    @property
    def labels_(self) -> dict[int, str]:
        """Return theme id -> label, including the catch-all."""
        return {OTHER_THEME: OTHER_LABEL} | {t["id"]: t["label"] for t in self.themes_}

    def copy(self) -> ThemeModel:
        """Return a copy that `partial_fit` may change while this model stays as it is.

        `partial_fit` replaces, never writes into, the centroid matrix, the idf and each theme's
        tables (`_merge_stats` assigns new dicts), and appends to the theme list and the pending
        lists: copying those containers is enough (`to_dict` + `from_dict` rebuilt every table
        of a 1M incident's state, ~9 ms of each live update). `tests/test_themes.py` checks the
        original's state is unchanged after a `partial_fit` of the copy.
        """
        new = _copy.copy(self)
        new.themes_ = [dict(theme) for theme in self.themes_]
        new.other_ = dict(self.other_)
        new.pending_ = {key: list(values) for key, values in self.pending_.items()}
        return new

    def to_dict(self, *, pending_by_id: bool = False) -> dict[str, Any]:
        """Return the fitted state as JSON-able plain data (no pickle).

        `pending_by_id`: the pending messages as their message ids only (`{"ids": [...]}`), when
        every one has an id; `restore_pending` takes their terms, text, author and time back from
        the stored analyses. The store writes the state with every live update: the pending
        messages' texts and terms were ~1,6 MB of a 1M incident's 2,1 MB state (issue 15), and
        they are copies of message text the messages table already holds (data minimisation).
        """
        themes = []
        row_theme = self._row_theme()
        for t, theme in enumerate(self.themes_):
            # a merged theme's first centroid as "centroid", the others as "more_centroids"
            rows = [self.centroids_[r].tocsr() for r in np.flatnonzero(row_theme == t)]
            cents = [{"indices": row.indices.tolist(), "values": row.data.tolist()} for row in rows]
            themes.append(dict(theme) | {"centroid": cents[0]}
                          | ({"more_centroids": cents[1:]} if len(cents) > 1 else {}))
        return {
            "format": "luisterpost-themes/1",
            "params": self.get_params(),
            "hashing": {
                "method": "pandas.util.hash_array % n_features",
                "hash_key": _HASH_KEY,
                "encoding": "utf8",
                "n_features": self.n_features,
                "tf": "binary",
            },
            "idf": {
                "n_docs": int(self.n_docs_),
                "default": self.idf_default_,
                "indices": self.idf_indices_.tolist(),
                "values": self.idf_values_.tolist(),
                # content key: the store writes the idf again only when it changed (a new fit)
                "key": self.idf_key_,
            },
            "themes": themes,
            "other": dict(self.other_),
            "next_id": int(self.next_id_),
            "official_texts": list(getattr(self, "official_texts_", [])),
            "pending": ({"ids": list(self.pending_["ids"])} if pending_by_id and self._pending_has_ids()
                        else {k: list(v) for k, v in self.pending_.items()}),
        }

    def _pending_has_ids(self) -> bool:
        ids = self.pending_.get("ids")
        return ids is not None and len(ids) == len(self.pending_["terms"])

    @property
    def pending_ids_to_restore(self) -> list[int]:
        """Return the pending message ids of a state stored by id, not yet restored (else [])."""
        return getattr(self, "pending_ids_to_restore_", [])

    def restore_pending(self, df: pd.DataFrame) -> None:
        """Take the pending messages of a state stored by id back from their analysed rows `df`.

        `df` holds (at least) the rows of `pending_ids_to_restore` with AUTHOR, TERMS, CREATED_AT,
        CLEAN_TEXT, LANGUAGE and MESSAGE_ID. They are kept in the stored order; ids without a row
        (a message deleted meanwhile) are left out.
        """
        ids = self.pending_ids_to_restore
        self.pending_ids_to_restore_ = []
        self.pending_ = _empty_pending()
        if not ids or df.empty:
            return
        at = pd.Index(df[MESSAGE_ID].astype("int64")).get_indexer(np.asarray(ids, dtype=np.int64))
        self._add_pending(df.iloc[at[at >= 0]], np.arange(int((at >= 0).sum())))

    @classmethod
    def from_dict(cls, state: dict[str, Any]) -> ThemeModel:
        """Return a fitted model rebuilt from `to_dict()` output."""
        if state.get("format") != "luisterpost-themes/1":
            raise ValueError(f"unknown theme model format: {state.get('format')!r}")
        model = cls(**state["params"])
        idf = state["idf"]
        model.n_docs_ = idf["n_docs"]
        model.idf_default_ = float(idf["default"])
        model.idf_indices_ = np.asarray(idf["indices"], dtype=np.int64)
        model.idf_values_ = np.asarray(idf["values"], dtype=float)
        model.idf_ = model._idf_array()
        rows, cols, vals, themes, row_theme = [], [], [], [], []
        for t, theme in enumerate(state["themes"]):
            # states saved before merged themes have one "centroid" per theme
            for cent in [theme["centroid"], *theme.get("more_centroids", [])]:
                rows += [len(row_theme)] * len(cent["indices"])
                cols += cent["indices"]
                vals += cent["values"]
                row_theme.append(t)
            themes.append({k: v for k, v in theme.items() if k not in ("centroid", "more_centroids")})
        model.centroids_ = sp.csr_matrix(
            (vals, (rows, cols)), shape=(len(row_theme), model.n_features)
        )
        model.centroid_theme_ = np.asarray(row_theme, dtype=np.int64)
        model.themes_ = themes
        model.other_ = dict(state["other"])
        model.next_id_ = int(state["next_id"])
        model.official_texts_ = [str(t) for t in state.get("official_texts", [])]  # none before 2026-12-07
        pending = state["pending"]
        if set(pending) == {"ids"}:  # stored by id (`to_dict(pending_by_id=True)`): see `restore_pending`
            model.pending_ = _empty_pending()
            model.pending_ids_to_restore_ = [int(i) for i in pending["ids"]]
        else:
            model.pending_ = {k: list(v) for k, v in pending.items()}
        return model


def _empty_pending() -> dict[str, list]:
    return {"terms": [], "authors": [], "created_at": [], "texts": [], "langs": [], "ids": []}


def _iso(ts: Any) -> str:
    """Return an ISO-8601 UTC string for a timestamp, "" when missing."""
    if ts is None or pd.isna(ts):
        return ""
    return pd.Timestamp(ts).tz_convert("UTC").isoformat()


_STAT_COLUMNS = (AUTHOR, TERMS, CREATED_AT, CLEAN_TEXT, LANGUAGE, MESSAGE_ID)


def _stat_columns(df: pd.DataFrame) -> pd.DataFrame:
    """Return the columns `_stats` and `_add_pending` read (taking rows copies only these)."""
    return df[[c for c in df.columns if c in _STAT_COLUMNS]]


def _eligible(df: pd.DataFrame) -> np.ndarray:
    """Return the mask of messages that get a theme: relevant and not official."""
    relevant = df[RELEVANT].fillna(False).astype(bool).to_numpy()
    if IS_OFFICIAL in df:
        return relevant & ~df[IS_OFFICIAL].fillna(False).astype(bool).to_numpy()
    return relevant


def assign_themes(
    df: pd.DataFrame, model: ThemeModel | None = None, params: ThemeParams = ThemeParams()
) -> tuple[pd.DataFrame, ThemeModel]:
    """Return (`df` with THEME and THEME_LABEL, model): fits when `model` is None, else partial_fits.

    The model passed in is updated in place (sklearn `partial_fit` convention).
    """
    if model is None:
        model = ThemeModel.from_params(params)
        return model._with_themes(df, model._fit(df)), model  # the fit's own assignment
    model.partial_fit(df)
    return model.assign(df), model


# --- views -----------------------------------------------------------------------------
def _explode_terms(df: pd.DataFrame) -> pd.DataFrame:
    """Return one row per (message position, distinct term) with the author code."""
    counts, vocab = _count_matrix(list(_as_tuples(df[TERMS])))
    coo = counts.tocoo()
    return pd.DataFrame(
        {"row": coo.row, "term": vocab[coo.col] if len(vocab) else np.array([], dtype=object)}
    )


def term_counts(
    df: pd.DataFrame, min_authors: int = 5, by: str | None = THEME
) -> pd.DataFrame:
    """Return group, term, n_messages, n_authors for terms used by >= min_authors authors.

    `by=THEME` skips NO_THEME rows; `by=CATEGORIES` counts a message in each of its
    categories; `by=None` gives one group "alle". Sorted by group, then most messages.
    """
    cols = ["group", "term", "n_messages", "n_authors"]
    if df.empty:
        return pd.DataFrame({c: pd.Series(dtype=object if c in cols[:2] else "int64") for c in cols})
    pos = pd.DataFrame({"row": np.arange(len(df)), "author": _author_codes(df[AUTHOR])})
    if by is None:
        pos["group"] = "alle"
    elif by == CATEGORIES:
        pos["group"] = df[CATEGORIES].map(lambda c: tuple(c) if c is not None else ()).to_numpy()
        pos = pos.explode("group").dropna(subset=["group"])
    else:
        pos["group"] = df[by].to_numpy()
        if by == THEME:
            pos = pos[pos["group"] != NO_THEME]
    long = _explode_terms(df).merge(pos, on="row")
    out = (
        long.groupby(["group", "term"], sort=False)
        .agg(n_messages=("row", "size"), n_authors=("author", "nunique"))
        .reset_index()
    )
    out = out[out["n_authors"] >= min_authors]
    out = out.sort_values(["group", "n_messages", "term"], ascending=[True, False, True])
    return out.reset_index(drop=True).astype({"n_messages": "int64", "n_authors": "int64"})


def theme_summary(df: pd.DataFrame, min_authors: int = 5) -> pd.DataFrame:
    """Return one row per theme: label, sizes, first/last seen, top_terms, example, shown.

    top_terms are class-based TF-IDF terms used by >= min_authors authors in the theme;
    the example is the TEXT closest to the theme centroid (TF-IDF over this frame), "" when
    the theme has fewer than min_authors distinct authors. Sorted by n_messages, then id.
    """
    cols = [
        "theme", "label", "n_messages", "n_authors", "first_seen", "last_seen",
        "top_terms", "example", "shown",
    ]  # fmt: skip
    sub = df[df[THEME] != NO_THEME] if len(df) else df
    if sub.empty:
        return pd.DataFrame(
            {
                "theme": pd.Series(dtype="int64"),
                "label": pd.Series(dtype=object),
                "n_messages": pd.Series(dtype="int64"),
                "n_authors": pd.Series(dtype="int64"),
                "first_seen": pd.Series(dtype="datetime64[ns, UTC]"),
                "last_seen": pd.Series(dtype="datetime64[ns, UTC]"),
                "top_terms": pd.Series(dtype=object),
                "example": pd.Series(dtype=object),
                "shown": pd.Series(dtype=bool),
            }
        )[cols]
    theme_codes, theme_ids = pd.factorize(sub[THEME].to_numpy(), sort=True)
    author = _author_codes(sub[AUTHOR])
    inv, docs = _unique_docs(sub[TERMS])
    counts, vocab = _count_matrix(docs)
    msg_counts = counts[inv]
    tables = _term_table(msg_counts, vocab, theme_codes, author, len(theme_ids))
    top = ctfidf_labels(dict(enumerate(tables)), n_terms=4, min_authors=min_authors)
    # representative: highest cosine to the theme's mean TF-IDF vector; ties -> earliest row
    doc_freq = np.bincount(counts.indices, minlength=counts.shape[1])
    idf = np.log((1 + len(docs)) / (1 + doc_freq)) + 1
    x = _tfidf(msg_counts, idf)
    cents = _l2(_means(x, theme_codes, len(theme_ids), np.ones(len(sub))))
    score = np.zeros(len(sub))
    cents_t = cents.T.tocsc()
    for lo in range(0, len(sub), _CHUNK):  # cosine of each message to its own theme centroid
        sims = (x[lo : lo + _CHUNK] @ cents_t).toarray()
        score[lo : lo + _CHUNK] = sims[np.arange(sims.shape[0]), theme_codes[lo : lo + _CHUNK]]
    best = pd.DataFrame({"g": theme_codes, "s": -score}).sort_values(["g", "s"], kind="stable")
    example_pos = best.groupby("g", sort=True).head(1).index.to_numpy()
    texts = sub[TEXT].astype(object).to_numpy()
    times = pd.to_datetime(sub[CREATED_AT], utc=True)
    labels = sub[THEME_LABEL].astype(object).groupby(theme_codes).first()
    n_authors = distinct_per_group(theme_codes, author, len(theme_ids))
    out = pd.DataFrame(
        {
            "theme": theme_ids.astype("int64"),
            "label": labels.reindex(range(len(theme_ids))).fillna("").to_numpy(dtype=object),
            "n_messages": np.bincount(theme_codes, minlength=len(theme_ids)).astype("int64"),
            "n_authors": n_authors.astype("int64"),
            "first_seen": times.groupby(theme_codes).min().to_numpy(),
            "last_seen": times.groupby(theme_codes).max().to_numpy(),
            "top_terms": [top.get(g, ()) for g in range(len(theme_ids))],
            "example": texts[example_pos],
        }
    )
    out["shown"] = out["n_authors"] >= min_authors
    out["example"] = out["example"].where(out["shown"], "").astype(object)
    out["first_seen"] = pd.to_datetime(out["first_seen"], utc=True)
    out["last_seen"] = pd.to_datetime(out["last_seen"], utc=True)
    out = out.sort_values(["n_messages", "theme"], ascending=[False, True], kind="stable")
    return out.reset_index(drop=True)[cols]

"""The whole analysis chain: normalise → language → relevance → classify → themes.

`analyze` runs the chain over a frame of stored (privacy-scrubbed) messages;
`analyze_incident` does the same for an incident in the store, keeping the
theme ids stable across refreshes by storing the theme model's state and only
`partial_fit`-ting messages that arrived since; `analyze_file` analyses an
export file without a database; `cli` is `python -m pipeline analyze`.
"""

from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from pipeline import schema as S
from pipeline.analysis import precise
from pipeline.analysis.classify import RULES_VERSION, RuleCache, classify
from pipeline.analysis.language import detect_language
from pipeline.analysis.language import load_model as load_language_model
from pipeline.analysis.learned import LearnedModel, VocabularyFeatures, default_model
from pipeline.analysis.normalize import normalize_distinct
from pipeline.analysis.relevance import RelevanceParams, score_relevance
from pipeline.analysis.themes import LabelColumn, ThemeModel, ThemeParams, assign_themes, label_column
from pipeline.arrays import RowBuffers, release_arrow_memory, settle
from pipeline.config import get_settings
from pipeline.ingest import load as ingest
from pipeline.ingest import privacy
from pipeline.ingest.privacy import RAW_AUTHOR
from pipeline.model.labels import model_version
from pipeline.model.train import load_model
from pipeline.storage import store
from pipeline.storage.store import TERM_SEP

ANALYZE_OUTPUT_COLUMNS = ("id", "created_at", "language", "relevant", "relevance", "categories",
                          "isb", "theme", "theme_label", "sentiment", "relevance_status")


@dataclass(frozen=True)
class AnalysisParams:
    """What steers the analysis of one incident."""

    keywords: tuple[str, ...] = ()
    description: str = ""
    min_authors: int = 5
    # Expected share of on-topic messages in an incident's keyword-collected stream. 0.65
    # keeps CrisisLexT6 F1 at 0.89-0.93 while most incident messages that name no keyword
    # ("het stinkt hier", "moeten we weg?") count as relevant (docs/CLASSIFIER.md).
    relevance_prior: float = 0.65
    # The optional precise mode (`pipeline.analysis.precise`): sentence embeddings decide vraag and
    # kritiek; about 12-25 distinct messages/s, so for files and small incidents only.
    precise: bool = False


@dataclass
class AnalysisResult:
    """An analysed frame and the theme model that produced its themes."""

    frame: pd.DataFrame
    theme_model: object
    params: AnalysisParams = field(default_factory=AnalysisParams)
    # Spare room behind `frame`'s columns: a live update appends its rows without copying the
    # incident's (`update_incident`); shared by the results of one chain of updates.
    rows: RowBuffers | None = field(default=None, repr=False, compare=False)
    # False when every stored analysis is known to come from the current model (`analyze_incident`
    # saw them all), so the cache need not ask the store for outdated rows; None = not known.
    outdated: bool | None = field(default=None, repr=False, compare=False)
    # The label column's codes kept with `rows`: an update looks up only its new rows' labels.
    labels: LabelColumn | None = field(default=None, repr=False, compare=False)


_region_model_cache: dict[str, tuple[tuple, object]] = {}


def _file_key(path: Path) -> tuple:
    """Return what identifies a file's content cheaply: (mtime_ns, size, inode), or () when absent."""
    try:
        st = path.stat()
    except OSError:
        return ()
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def region_category_model():
    """Return the region's own trained model if one exists, else None (rules only).

    Loaded once per saved model: a live update asks for it every refresh, and reading and parsing
    it each time cost disk I/O per update. A new training, a removal or a replaced file (other
    mtime, size or inode of `model.json` or `model.npz`) is picked up on the next call.
    """
    path = get_settings().home / "model"
    key = (_file_key(path / "model.json"), _file_key(path / "model.npz"))
    if not key[0]:
        return None
    cached = _region_model_cache.get(str(path))
    if cached is not None and cached[0] == key:
        return cached[1]
    try:
        model = load_model(path)
    except Exception:  # a broken model must not break the dashboard  # noqa: BLE001
        model = None
    _region_model_cache[str(path)] = (key, model)
    return model


def enrich(df: pd.DataFrame, params: AnalysisParams = AnalysisParams(), *,
           category_model=None) -> pd.DataFrame:
    """Add the per-message analysis columns (everything except themes)."""
    out, distinct = normalize_distinct(df)  # distinct cleaned texts + tokens: no stage factorises again
    base = (precise.precise_model() if params.precise else None) or default_model()
    rules = RuleCache()  # relevance's rule hits, reused by classify: each text's rules run once
    # matched on the other core meanwhile, with the learned model's word features (no rules needed)
    rules.prefetch(distinct.cleaned.cast(pa.string()),
                   VocabularyFeatures(base.vocab_) if isinstance(base, LearnedModel) else None)
    out = detect_language(out, distinct=distinct)
    out = score_relevance(out, RelevanceParams(keywords=tuple(params.keywords),
                                               description=params.description,
                                               prior=params.relevance_prior),
                          rule_cache=rules, distinct=distinct)
    distinct = distinct.without_tokens()  # classify needs only the texts
    out = classify(out, model=category_model, base_model=base, rule_cache=rules, distinct=distinct)
    release_arrow_memory()
    return out


_warmed = threading.Event()


def _warm_up() -> None:
    """Load the language and category models once per process (about 0,5 s; nothing analysed)."""
    try:
        load_language_model()
        default_model()
    except Exception:  # only a warm-up: the first real update loads them itself  # noqa: BLE001
        pass


def warm_up_in_background() -> None:
    """Warm the models in a daemon thread (once per process), e.g. while stored analyses are read.

    The first live update (+1,000 messages) after a restart then does not also pay for loading them.
    """
    if not _warmed.is_set():
        _warmed.set()
        threading.Thread(target=_warm_up, daemon=True, name="luisterpost-warm-up").start()


def analyze(df: pd.DataFrame, params: AnalysisParams = AnalysisParams(), *, theme_model=None,
            category_model=None) -> AnalysisResult:
    """Run the whole chain; fit a new theme model unless one is given (then partial_fit)."""
    enriched = enrich(df, params, category_model=category_model)
    # k (min_authors) drives the theme labels: no label term used by fewer than k authors.
    themed, model = assign_themes(enriched, model=theme_model,
                                  params=ThemeParams(min_authors=params.min_authors))
    release_arrow_memory()
    return AnalysisResult(themed, model, params)


def incident_params(incident: dict) -> AnalysisParams:
    """Return the analysis parameters stored with an incident."""
    return AnalysisParams(keywords=tuple(incident.get("keywords") or ()),
                          description=incident.get("description") or "",
                          min_authors=get_settings().min_authors)


# --- stored analysis, "as of T" and the cache policy (issue 15) ------------------------------
CREATED, INGESTED = "created", "ingested"  # "as of T" bases: posted by T / arrived (stored) by T
REANALYSE_BATCH = 5_000  # messages re-analysed per refresh after a model change (bounded cost)
_FRAME_TAIL = (S.CLEAN_TEXT, S.TERMS, S.LANGUAGE, S.RELEVANCE, S.RELEVANT, S.RELEVANCE_KNOWN,
               S.CATEGORIES, S.ISB, S.SENTIMENT, S.THEME, S.THEME_LABEL)


def as_of(frame: pd.DataFrame, t, basis: str = CREATED) -> pd.DataFrame:
    """Return the rows known at `t`: the ONE "as of T" (a filter on stored, analysed columns).

    `basis="created"`: posted at or before t; `"ingested"`: stored (arrived) at or before t, with
    the analysis each message got on arrival. Every "as of T" in the product calls this (or
    `known_mask`, the same rows as a mask).
    """
    if frame.empty:
        known_mask(frame, t, basis)  # (checks the basis)
        return frame
    times = _basis_times(frame, basis)
    ts = _utc_ts(t)
    if times.is_monotonic_increasing:  # the analysed frame is in time order: a slice, no copy
        return frame.iloc[:times.searchsorted(ts, side="right")]
    return frame[(times <= ts).to_numpy()]


def known_mask(frame: pd.DataFrame, t, basis: str = CREATED) -> np.ndarray:
    """Return per row of `frame` whether it is known at `t` (`as_of`'s rows, as a bool mask)."""
    if basis not in (CREATED, INGESTED):
        raise ValueError(f"basis must be {INGESTED!r} or {CREATED!r}, not {basis!r}")
    if frame.empty:
        return np.zeros(0, dtype=bool)
    return (_basis_times(frame, basis) <= _utc_ts(t)).to_numpy(copy=True)  # writable (pandas 3)


def _basis_times(frame: pd.DataFrame, basis: str) -> pd.Series:
    if basis not in (CREATED, INGESTED):
        raise ValueError(f"basis must be {INGESTED!r} or {CREATED!r}, not {basis!r}")
    times = frame[S.INGESTED_AT if basis == INGESTED else S.CREATED_AT]
    return times if isinstance(times.dtype, pd.DatetimeTZDtype) else pd.to_datetime(times, utc=True)


def _utc_ts(t) -> pd.Timestamp:
    ts = pd.Timestamp(t)
    return ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")


def current_model_version(engine) -> str:
    """Return the version tag stored with each analysis row.

    The rules, the shipped default model and the region's own model (Labelen) all decide the
    categories, so each is in the tag ("+"-joined): a change to any of them (an upgrade with new
    rules or a new default model, a new Labelen training) makes stored analyses outdated, and
    `reanalyse_outdated` re-analyses them one batch per refresh. Without that, an upgrade would mix
    two classifiers in one incident and show the switch as a trend.
    """
    base = default_model()
    return "+".join(part for part in (RULES_VERSION, base.version_ if base is not None else "",
                                      model_version(engine)) if part)


def _tuples(values: pd.Series, sep: str) -> np.ndarray:
    """Return stored joined strings as an object array of tuples (split once per distinct string)."""
    codes, uniques = pd.factorize(values.fillna("").astype(str), use_na_sentinel=False)
    # Arrow-backed uniques converted at once: iterating them boxed one scalar at a time (0,7 s of
    # a 1M restart's 2,5 s here)
    uniques = getattr(uniques, "array", uniques)  # an Index when a Series was factorized
    strings = uniques.__arrow_array__().to_pylist() if hasattr(uniques, "__arrow_array__") else list(uniques)
    parts = np.fromiter((tuple(u.split(sep)) if u else () for u in strings), dtype=object, count=len(strings))
    return parts[codes]


def _from_stored(df: pd.DataFrame) -> pd.DataFrame:
    """Turn stored analysis columns into the analysed frame's dtypes (docs/DATA.md)."""
    out = df.drop(columns=["model_version"], errors="ignore")
    out[S.TERMS] = _tuples(df[S.TERMS], TERM_SEP)
    out[S.CATEGORIES] = _tuples(df[S.CATEGORIES], ";")
    for col in (S.CLEAN_TEXT, S.LANGUAGE, S.ISB):
        out[col] = df[col].astype(str)
    for col in (S.RELEVANCE, S.SENTIMENT):
        out[col] = df[col].astype("float64")
    for col in (S.RELEVANT, S.RELEVANCE_KNOWN):
        out[col] = df[col].astype(bool)
    out[S.THEME] = df[S.THEME].astype("int64")
    return out


def _labelled(frame: pd.DataFrame, model, kept: LabelColumn | None = None,
              old: pd.Series | None = None) -> pd.DataFrame:
    """Set THEME_LABEL from the model's current labels (vectorised; no per-row loop).

    `kept` (with `old`, the label column of the frame that `frame` extends): only new rows are
    looked up while the labels' codes stay (`LabelColumn`).
    """
    labels = {S.NO_THEME: ""} | getattr(model, "labels_", {})
    column = (kept.update(frame[S.THEME], labels, old) if kept is not None
              else label_column(frame[S.THEME], labels))
    out = frame.assign(**{S.THEME_LABEL: column})
    return out[[c for c in out.columns if c not in _FRAME_TAIL] + list(_FRAME_TAIL)]


def _state(model, seen: int) -> dict:
    return {"model": model.to_dict(pending_by_id=True), "seen_max_id": int(seen)}


def _analyse_missing(engine, incident_id: int, df: pd.DataFrame, params: AnalysisParams, model,
                     seen: int, version: str, *, persist: bool = True):
    """Analyse the rows of `df` without a stored analysis, store them; return (analysed rows, model).

    New rows (id > `seen`) are `partial_fit` into the theme model (fitted first when there is none);
    rows the model already saw (a store from before stored analyses) are only assigned. The rows and
    the theme state are written in one transaction.
    """
    missing = df["model_version"].isna().to_numpy() if "model_version" in df else np.ones(len(df), bool)
    stored = _from_stored(df[~missing]) if (~missing).any() else None
    message_columns = [c for c in df.columns if c not in store.ANALYSIS_COLUMNS and c != "model_version"]
    raw = df.loc[missing, message_columns]
    if raw.empty:
        return stored, model, False
    enriched = enrich(raw.reset_index(drop=True), params, category_model=region_category_model())
    fresh = enriched[enriched[S.MESSAGE_ID] > seen]
    if model is None:
        model = ThemeModel.from_params(ThemeParams(min_authors=params.min_authors)).fit(enriched)
    elif not fresh.empty:
        model.partial_fit(fresh)
    added = model.assign(enriched).drop(columns=[S.THEME_LABEL])
    if persist:
        max_id = max(seen, int(added[S.MESSAGE_ID].max()))
        with engine.begin() as conn:
            store.save_analysis(conn, incident_id, added, version)
            store.write_theme_state(conn, incident_id, _state(model, max_id), max_id)
    parts = [p for p in (stored, added) if p is not None and not p.empty]
    return (pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]), model, True


def _rebuild_themes(engine, incident_id: int, frame: pd.DataFrame, params: AnalysisParams):
    """Fit a new theme model on stored analyses whose model is gone (e.g. after a deletion)."""
    model = ThemeModel.from_params(ThemeParams(min_authors=params.min_authors)).fit(frame)
    themed = model.assign(frame).drop(columns=[S.THEME_LABEL])
    max_id = int(frame[S.MESSAGE_ID].max())
    with engine.begin() as conn:
        store.save_themes(conn, themed[S.MESSAGE_ID].tolist(), themed[S.THEME].tolist())
        store.write_theme_state(conn, incident_id, _state(model, max_id), max_id)
    return themed, model


def analyze_incident(engine, incident_id: int, *, arrived_by=None,
                     persist_themes: bool = True) -> AnalysisResult:
    """Return an incident's analysis from its stored columns; only unanalysed messages are analysed.

    A restart reads the stored columns (never re-analyses); messages without a stored analysis
    are analysed, `partial_fit` into the stored theme model and stored. When the theme state is
    gone (deleted with a message on request) the themes are refitted on the stored columns.
    `arrived_by` returns the analysis as of that arrival time (`as_of(..., INGESTED)`).
    """
    incident = store.get_incident(engine, incident_id)
    if incident is None:
        raise KeyError(f"incident {incident_id} not found")
    params = incident_params(incident)
    # models load on the other core while the stored columns are read (lzma, sqlite and Arrow
    # release the GIL): the first live update after a restart then finds them loaded
    warm_up_in_background()
    df = store.load_analysed(engine, incident_id)
    state = store.load_theme_state(engine, incident_id)
    model = ThemeModel.from_dict(state["model"]) if state and "model" in state else None
    seen = int(state.get("seen_max_id", 0)) if model is not None else 0
    if df.empty:
        model = model or ThemeModel(min_authors=params.min_authors)
        return AnalysisResult(_labelled(_empty_frame(df), model), model, params)
    version = current_model_version(engine)
    has_stored = df["model_version"].notna().to_numpy()
    if model is not None and model.pending_ids_to_restore:  # the state names its pending messages by id
        pending = has_stored & df[S.MESSAGE_ID].isin(model.pending_ids_to_restore).to_numpy()
        model.restore_pending(_from_stored(df[pending]))
    outdated = bool((df["model_version"][has_stored] != version).any())  # (the rest is analysed now)
    if model is None and has_stored.any():  # stored theme ids refer to a model that is gone
        frame, model = _rebuild_themes(engine, incident_id, _from_stored(df[has_stored]), params)
        if not has_stored.all():
            added, model, _ = _analyse_missing(engine, incident_id, df[~has_stored], params, model,
                                               int(frame[S.MESSAGE_ID].max()), version,
                                               persist=persist_themes)
            frame = pd.concat([frame, added], ignore_index=True)
    else:
        frame, model, _ = _analyse_missing(engine, incident_id, df, params, model, seen, version,
                                           persist=persist_themes)
    if model.min_authors != params.min_authors:  # k changed since the state was stored
        model.min_authors = params.min_authors
        model._refresh_labels()
    frame = frame.sort_values([S.CREATED_AT, S.MESSAGE_ID], kind="stable", ignore_index=True)
    if arrived_by is not None:
        frame = as_of(frame, arrived_by, INGESTED).reset_index(drop=True)
    # the columns go into buffers with spare room now, so the first live update after a restart
    # appends its rows instead of copying the incident's (and settling the GC) inside a refresh
    rows, labels = RowBuffers(), LabelColumn()
    frame = _labelled(rows.adopt(frame.drop(columns=[S.THEME_LABEL], errors="ignore")), model, labels)
    settle(len(frame))  # a large incident's frame lives long: out of the cyclic GC's passes
    return AnalysisResult(frame, model, params, rows, outdated=outdated, labels=labels)


def _empty_frame(df: pd.DataFrame) -> pd.DataFrame:
    out = df.drop(columns=["model_version"], errors="ignore")
    return out.assign(**{S.TERMS: pd.Series(dtype=object), S.CATEGORIES: pd.Series(dtype=object),
                         S.THEME: pd.Series(dtype="int64")})


def update_incident(engine, incident_id: int, previous: AnalysisResult) -> AnalysisResult:
    """Extend an earlier analysis with the messages stored since; return the new result.

    Loads only ids after the previous frame's last id (stored columns joined); only those without
    a stored analysis are analysed and `partial_fit` into (a copy of) the theme model, and written
    with the theme state in one transaction. Earlier messages keep their theme ids; labels follow
    the model (the categorical label column is rebuilt from the theme ids each update). Falls back
    to `analyze_incident` (stored columns, no re-analysis) when messages were deleted meanwhile,
    and when the earlier analysis was of an empty incident (no theme model to extend).
    """
    old = previous.frame
    last_id = int(old[S.MESSAGE_ID].max()) if not old.empty else 0
    df = store.load_analysed(engine, incident_id, after_id=last_id)
    upto = int(df[S.MESSAGE_ID].max()) if not df.empty else last_id
    # Messages may keep arriving meanwhile: compare with the count up to what was loaded.
    if store.count_messages(engine, incident_id, up_to_id=upto) != len(old) + len(df):
        return analyze_incident(engine, incident_id)  # something was deleted: from stored columns
    if df.empty:
        return previous
    if old.empty:  # nothing analysed before (an empty incident has no fitted theme model yet)
        return analyze_incident(engine, incident_id)
    model = previous.theme_model.copy()  # cached results stay immutable
    added, model, _ = _analyse_missing(engine, incident_id, df, previous.params, model, last_id,
                                       current_model_version(engine))
    rows = previous.rows or RowBuffers()
    # The label column follows the model's current labels over every row; the earlier rows' codes
    # are kept while every theme keeps its code (`LabelColumn`), so only the new rows are looked up.
    frame = rows.append(old.drop(columns=[S.THEME_LABEL]),
                        added.drop(columns=[S.THEME_LABEL], errors="ignore"))
    if rows.reallocated:  # new buffers (every ~N/4 new rows): settle them like the first frame
        settle(rows.reallocated)
    labels = previous.labels or LabelColumn()
    return AnalysisResult(_labelled(frame, model, labels, old[S.THEME_LABEL]), model, previous.params, rows,
                          labels=labels)


def reanalyse_outdated(engine, incident_id: int, previous: AnalysisResult,
                       limit: int = REANALYSE_BATCH) -> tuple[AnalysisResult, int]:
    """Re-analyse up to `limit` messages whose stored analysis came from another model version.

    The policy after a model change (new Labelen training, new default model): stored analyses keep
    being shown; each refresh re-analyses one bounded batch (oldest first) with the current model,
    keeping theme ids, and patches those rows. Returns (result, rows re-analysed; 0 = up to date).
    """
    version = current_model_version(engine)
    ids = store.outdated_analysis_ids(engine, incident_id, version, limit)
    frame = previous.frame
    pos = pd.Index(frame[S.MESSAGE_ID]).get_indexer(ids)
    pos = pos[pos >= 0]
    if not len(pos):
        return previous, 0
    rows = frame.iloc[pos]
    raw = rows[[c for c in rows.columns if c not in _FRAME_TAIL]].reset_index(drop=True)
    again = enrich(raw, previous.params, category_model=region_category_model())
    again[S.THEME] = rows[S.THEME].to_numpy()
    with engine.begin() as conn:
        store.save_analysis(conn, incident_id, again, version)
    out = frame.copy()
    for col in (S.CLEAN_TEXT, S.TERMS, S.LANGUAGE, S.RELEVANCE, S.RELEVANT, S.RELEVANCE_KNOWN,
                S.CATEGORIES, S.ISB, S.SENTIMENT):
        values = out[col].to_numpy(copy=True)
        values[pos] = again[col].to_numpy()
        out[col] = values
    return AnalysisResult(out, previous.theme_model, previous.params), len(pos)


class AnalysisCache:
    """The analysis cache policy (pure; pages wrap one instance in `st.cache_resource`).

    Per (store, incident) it keeps the latest result and the key it was made at: (message count,
    max message id, model version) from `store.data_version` and `current_model_version`.
    Same key: the cached result. More messages, same model: `update_incident` (only new ids).
    Otherwise (first open, restart, deletion): `analyze_incident`, which reads stored columns.
    A new model: stored analyses stay; `reanalyse_outdated` patches one batch per refresh.
    Never mutate a returned frame.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[tuple, tuple[tuple, AnalysisResult, bool]] = {}

    def get(self, engine, incident_id: int, version: tuple | None = None) -> AnalysisResult:
        """Return the incident's analysis at `version` (read now when None), by the policy above."""
        version = tuple(version) if version is not None else store.data_version(engine, incident_id)
        model = current_model_version(engine)
        wanted = (*version[:2], model)
        key = (str(engine.url), incident_id)
        with self._lock:
            entry = self._entries.get(key)
            if entry and entry[0] == wanted and not entry[2]:
                return entry[1]
            if entry and entry[0][2] == model and wanted[1] >= entry[0][1]:
                result, outdated = update_incident(engine, incident_id, entry[1]), entry[2]
            elif entry and entry[0][2] != model and wanted[:2] == entry[0][:2]:
                result, outdated = entry[1], True
            else:
                result = analyze_incident(engine, incident_id)
                outdated = result.outdated is not False  # it saw every stored row's model version
            if outdated:  # one bounded batch of re-analysis per refresh after a model change
                result, n = reanalyse_outdated(engine, incident_id, result)
                outdated = n > 0
            self._entries[key] = (wanted, result, outdated)
            return result

    def clear(self) -> None:
        """Forget every cached result."""
        with self._lock:
            self._entries.clear()


NO_TIME = "no_time"  # frame.attrs flag: the file had no time column (times are a placeholder)


def _longest_text_column(table: pd.DataFrame) -> str:
    """Return the column of a headerless table whose cells are longest on average (the message text)."""
    lengths = {column: table[column].fillna("").astype(str).str.len().mean() for column in table.columns}
    return max(lengths, key=lambda column: lengths[column])


_LINE_END = re.compile(r"\r\n|\r|\n")


def _headerless_table(text: str, *, strict: bool) -> tuple[pd.DataFrame, str]:
    """Return (the columns of a headerless file, named kolom1, kolom2, …; a note or "").

    The delimiter is sniffed from the first line, as for a file with a header. When the rows then
    disagree in width (a plain text file, one message a line, whose first message holds a comma),
    the other delimiters are tried; when none gives equal rows, a .csv/.tsv file is rejected as
    before (`strict`) and any other file is read as one message per line, and said so.
    """
    first = text.lstrip("\n").split("\n", 1)[0]
    error = None
    for delimiter in (None, *(d for d in ("\t", ";", ",", "|") if d in first)):
        try:
            header, rows, _lines = ingest._parse_csv(text, delimiter)
        except ingest.IngestError as exc:
            error = error or exc
            continue
        table = pd.DataFrame([header, *rows], dtype=object)
        table.columns = [f"kolom{i + 1}" for i in range(table.shape[1])]
        return table, ""
    if strict:
        raise error
    lines = [line for line in _LINE_END.split(text) if line.strip()]
    return (pd.DataFrame({"kolom1": lines}, dtype=object),
            "geen vast scheidingsteken: elke regel is één bericht / no consistent delimiter: every line is "
            "one message")


def read_file(path: Path | str, *, mapping: dict[str, str] | None = None,
              no_header: bool = False) -> tuple[pd.DataFrame, list[str]]:
    """Return (validated raw messages, notes) of any export file, as `ingest.read_messages` reads it.

    Beyond `read_messages`: `no_header` reads a headerless CSV/TSV whose columns are named by
    position (`--text-col 2` = the second column, "kolom2"); a file without a time column is read
    with a placeholder time and flagged (`attrs[NO_TIME]`); duplicate (platform, id) rows and a
    missing author column are reported in the notes (Dutch / English), never silently.
    """
    path = Path(path)
    mapping = dict(mapping or {})
    notes: list[str] = []
    frame = None
    if no_header:
        text, _ = ingest.decode_bytes(path.read_bytes())
        table, note = _headerless_table(text, strict=path.suffix.lower() in (".csv", ".tsv"))
        if note:
            notes.append(note)
        mapping = {(f"kolom{k}" if str(k).isdigit() else k): v for k, v in mapping.items()}
        if "text" not in mapping.values():
            column = _longest_text_column(table.drop(columns=list(mapping), errors="ignore"))
            mapping[column] = "text"
            notes.append(f"geen --map voor de tekst: {column} gekozen (de langste teksten) "
                         f"/ no --map for the text: chose {column} (the longest texts)")
        first = table.columns[0]
        if "id" not in mapping.values() and first not in mapping:
            ids = table[first].fillna("").astype(str).str.strip()
            if ids.ne("").all() and ids.is_unique and not ids.str.contains(r"\s").any():
                mapping[first] = "id"
                notes.append(f"{first} gebruikt als bericht-id (uniek, zonder spaties) "
                             f"/ {first} used as the message id (unique, no spaces)")
        frame = table
    try:
        raw = (ingest.frame_to_messages(frame, mapping=mapping or None) if frame is not None
               else ingest.read_messages(path, mapping=mapping or None))
        raw.attrs[NO_TIME] = False
    except ingest.IngestError as exc:
        if "created_at" not in str(exc) or "created_at" in mapping.values():
            raise
        if frame is None:
            if path.suffix.lower() not in (".csv", ".tsv", ".txt"):
                raise
            text, _ = ingest.decode_bytes(path.read_bytes())
            header, rows, _lines = ingest._parse_csv(text, None)
            frame = pd.DataFrame(rows, columns=header, dtype=object)
        placeholder = "__lp_tijd__"
        frame = frame.assign(**{placeholder: "2000-01-01T00:00:00Z"})
        try:
            raw = ingest.frame_to_messages(frame, mapping={**mapping, placeholder: "created_at"})
        except ingest.IngestError as inner:  # name only the file's own columns, never the placeholder
            raise ingest.IngestError(inner.nl.replace(f", {placeholder}", ""),
                                     en=inner.en.replace(f", {placeholder}", ""), row=inner.row,
                                     line=inner.line, code=inner.code) from None
        raw.attrs[NO_TIME] = True
        notes.append("geen tijdkolom: tijden blijven leeg en thema's over de tijd worden overgeslagen "
                     "/ no time column: times stay empty and themes over time are skipped")
    dups = int(raw.attrs.get("duplicates_in_file", 0))
    if dups:
        notes.append(f"{dups} dubbele (platform, id)-rijen: alleen de eerste telt "
                     f"/ {dups} duplicate (platform, id) rows: only the first counts")
    if RAW_AUTHOR not in raw.columns or not raw[RAW_AUTHOR].fillna("").astype(str).str.strip().any():
        notes.append("geen auteurkolom: thema's en de k-regel tellen berichten, niet auteurs "
                     "/ no author column: themes and the k rule count messages, not authors")
        # Each message its own (pseudonymised) author, so counting authors counts messages.
        raw = raw.assign(**{RAW_AUTHOR: [f"bericht-{i}" for i in range(len(raw))]})
    return raw, notes


def analyze_file(path: Path | str, params: AnalysisParams = AnalysisParams(), *,
                 mapping: dict[str, str] | None = None, no_header: bool = False,
                 notes: list[str] | None = None) -> pd.DataFrame:
    """Read an export file, scrub it like ingest does, and return the analysed frame.

    Warnings about the file (no time or author column, duplicates) are appended to `notes`.
    """
    settings = get_settings()
    raw, found = read_file(path, mapping=mapping, no_header=no_header)
    if notes is not None:
        notes.extend(found)
    officials = (privacy.load_official_accounts(settings.official_accounts_file)
                 if settings.official_accounts_file.exists() else None)
    # Never write a key into the checkout for a one-off file: use the configured key if one exists,
    # else a throw-away key (pseudonyms only need to be consistent within this run).
    key = privacy.load_or_create_key(settings.key_file) if settings.key_file.exists() else os.urandom(32)
    prepared = privacy.prepare_messages(raw, key, officials)
    out = analyze(prepared, params).frame
    out.attrs[NO_TIME] = bool(raw.attrs.get(NO_TIME, False))
    return out


def to_output(df: pd.DataFrame) -> pd.DataFrame:
    """Return the flat `analyze` output columns (one row per message)."""
    return pd.DataFrame({
        "id": df[S.SOURCE_ID].astype(str),
        "created_at": ("" if df.attrs.get(NO_TIME) else
                       pd.to_datetime(df[S.CREATED_AT], utc=True).dt.strftime("%Y-%m-%dT%H:%M:%SZ")),
        "language": df[S.LANGUAGE],
        "relevant": df[S.RELEVANT].astype(int),
        "relevance": df[S.RELEVANCE].round(4),
        "categories": df[S.CATEGORIES].map(lambda codes: ";".join(codes)),
        "isb": df[S.ISB],
        "theme": df[S.THEME].astype(int),
        "theme_label": df[S.THEME_LABEL],
        "sentiment": df[S.SENTIMENT].round(4),
        # "onbekend": no incident keywords/description were given, so the categories were kept.
        "relevance_status": (df[S.RELEVANCE_KNOWN] if S.RELEVANCE_KNOWN in df.columns
                             else pd.Series(True, index=df.index)).map({True: "bekend", False: "onbekend"}),
    }, columns=list(ANALYZE_OUTPUT_COLUMNS))

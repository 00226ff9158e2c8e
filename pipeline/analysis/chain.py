"""The whole analysis chain: normalise → language → relevance → classify → themes.

`analyze` runs the chain over a frame of stored (privacy-scrubbed) messages;
`analyze_incident` does the same for an incident in the store, keeping the
theme ids stable across refreshes by storing the theme model's state and only
`partial_fit`-ting messages that arrived since; `analyze_file` analyses an
export file without a database; `cli` is `python -m pipeline analyze`.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pipeline import schema as S

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


@dataclass
class AnalysisResult:
    """An analysed frame and the theme model that produced its themes."""

    frame: pd.DataFrame
    theme_model: object
    params: AnalysisParams = field(default_factory=AnalysisParams)


def region_category_model():
    """Return the region's own trained model if one exists, else None (rules only)."""
    from pipeline.config import get_settings
    from pipeline.model.train import load_model

    path = get_settings().home / "model"
    if not (path / "model.json").exists():
        return None
    try:
        return load_model(path)
    except Exception:  # a broken model must not break the dashboard  # noqa: BLE001
        return None


def enrich(df: pd.DataFrame, params: AnalysisParams = AnalysisParams(), *,
           category_model=None) -> pd.DataFrame:
    """Add the per-message analysis columns (everything except themes)."""
    from pipeline.analysis.classify import RuleCache, classify
    from pipeline.analysis.language import detect_language
    from pipeline.analysis.normalize import normalize
    from pipeline.analysis.relevance import RelevanceParams, score_relevance

    out = normalize(df)
    out = detect_language(out)
    rules = RuleCache()  # relevance's rule hits, reused by classify: each text's rules run once
    out = score_relevance(out, RelevanceParams(keywords=tuple(params.keywords),
                                               description=params.description,
                                               prior=params.relevance_prior), rule_cache=rules)
    from pipeline.analysis.learned import default_model

    return classify(out, model=category_model, base_model=default_model(), rule_cache=rules)


def analyze(df: pd.DataFrame, params: AnalysisParams = AnalysisParams(), *, theme_model=None,
            category_model=None) -> AnalysisResult:
    """Run the whole chain; fit a new theme model unless one is given (then partial_fit)."""
    from pipeline.analysis.themes import ThemeParams, assign_themes

    enriched = enrich(df, params, category_model=category_model)
    # k (min_authors) drives the theme labels: no label term used by fewer than k authors.
    themed, model = assign_themes(enriched, model=theme_model,
                                  params=ThemeParams(min_authors=params.min_authors))
    return AnalysisResult(themed, model, params)


def incident_params(incident: dict) -> AnalysisParams:
    """Return the analysis parameters stored with an incident."""
    from pipeline.config import get_settings

    return AnalysisParams(keywords=tuple(incident.get("keywords") or ()),
                          description=incident.get("description") or "",
                          min_authors=get_settings().min_authors)


def analyze_incident(engine, incident_id: int, *, arrived_by=None,
                     persist_themes: bool = True) -> AnalysisResult:
    """Analyse an incident's stored messages with its stable theme model.

    The stored theme model remembers the highest message id it has seen: only
    messages after it go through `partial_fit`, then all are assigned, so theme
    ids never reshuffle on refresh. With `arrived_by` (after-action replay) the
    themes are fitted afresh on what had arrived by then and nothing is stored.
    """
    from pipeline.analysis.themes import ThemeModel, ThemeParams
    from pipeline.storage import store

    incident = store.get_incident(engine, incident_id)
    if incident is None:
        raise KeyError(f"incident {incident_id} not found")
    params = incident_params(incident)
    messages = store.load_messages(engine, incident_id, arrived_by=arrived_by)
    enriched = enrich(messages, params, category_model=region_category_model())
    state = None if arrived_by is not None else store.load_theme_state(engine, incident_id)
    seen = int(state.get("seen_max_id", 0)) if state else 0
    if state and "model" in state:
        model = ThemeModel.from_dict(state["model"])
        new = enriched[enriched[S.MESSAGE_ID] > seen]
        if not new.empty:
            model.partial_fit(new)
    else:
        model = ThemeModel.from_params(ThemeParams(min_authors=params.min_authors)).fit(enriched)
    if model.min_authors != params.min_authors:  # k changed since the state was stored
        model.min_authors = params.min_authors
        model._refresh_labels()
    themed = model.assign(enriched)
    max_id = int(enriched[S.MESSAGE_ID].max()) if not enriched.empty else 0
    if persist_themes and arrived_by is None and (state is None or max_id != seen):
        store.save_theme_state(engine, incident_id, {"model": model.to_dict(), "seen_max_id": max_id},
                               len(messages))
    return AnalysisResult(themed, model, params)


def update_incident(engine, incident_id: int, previous: AnalysisResult) -> AnalysisResult:
    """Extend an earlier analysis with the messages stored since; return the new result.

    Only the new messages are analysed and `partial_fit` into (a copy of) the
    theme model; earlier messages keep their theme ids, their labels follow the
    model's current labels. Falls back to a full `analyze_incident` when
    messages were deleted meanwhile (the counts no longer add up).
    """
    from pipeline.analysis.themes import ThemeModel
    from pipeline.storage import store

    old = previous.frame
    last_id = int(old[S.MESSAGE_ID].max()) if not old.empty else 0
    new = store.load_messages(engine, incident_id, after_id=last_id)
    upto = int(new[S.MESSAGE_ID].max()) if not new.empty else last_id
    # Messages may keep arriving meanwhile: compare with the count up to what was loaded.
    if store.count_messages(engine, incident_id, up_to_id=upto) != len(old) + len(new):
        return analyze_incident(engine, incident_id)  # something was deleted: start afresh
    if new.empty:
        return previous
    model = ThemeModel.from_dict(previous.theme_model.to_dict())  # cached results stay immutable
    enriched = enrich(new, previous.params, category_model=region_category_model())
    model.partial_fit(enriched)
    added = model.assign(enriched)
    frame = pd.concat([old, added], ignore_index=True)
    labels = getattr(model, "labels_", {})
    frame[S.THEME_LABEL] = [labels.get(int(t), "") if t != S.NO_THEME else "" for t in frame[S.THEME]]
    store.save_theme_state(engine, incident_id,
                           {"model": model.to_dict(), "seen_max_id": int(frame[S.MESSAGE_ID].max())},
                           len(frame))
    return AnalysisResult(frame, model, previous.params)


NO_TIME = "no_time"  # frame.attrs flag: the file had no time column (times are a placeholder)


def read_file(path: Path | str, *, mapping: dict[str, str] | None = None,
              no_header: bool = False) -> tuple[pd.DataFrame, list[str]]:
    """Return (validated raw messages, notes) of any export file, as `ingest.read_messages` reads it.

    Beyond `read_messages`: `no_header` reads a headerless CSV/TSV whose columns are named by
    position (`--text-col 2` = the second column, "kolom2"); a file without a time column is read
    with a placeholder time and flagged (`attrs[NO_TIME]`); duplicate (platform, id) rows and a
    missing author column are reported in the notes (Dutch / English), never silently.
    """
    from pipeline.ingest import load as ingest
    from pipeline.ingest.privacy import RAW_AUTHOR

    path = Path(path)
    mapping = dict(mapping or {})
    notes: list[str] = []
    frame = None
    if no_header:
        text, _ = ingest.decode_bytes(path.read_bytes())
        header, rows, _lines = ingest._parse_csv(text, None)
        table = pd.DataFrame([header, *rows], dtype=object)
        table.columns = [f"kolom{i + 1}" for i in range(table.shape[1])]
        mapping = {(f"kolom{k}" if str(k).isdigit() else k): v for k, v in mapping.items()}
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
        raw = ingest.frame_to_messages(frame, mapping={**mapping, placeholder: "created_at"})
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
    from pipeline.config import get_settings
    from pipeline.ingest import privacy

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


def cli(argv: list[str] | None = None) -> int:
    """`python -m pipeline analyze INPUT --out OUTPUT.csv`: analyse a file without a database."""
    parser = argparse.ArgumentParser(
        prog="python -m pipeline analyze",
        description="Analyseer een exportbestand zonder database en schrijf één rij per bericht. "
                    "/ Analyse an export file without a database; one output row per message.")
    parser.add_argument("input", type=Path, help="CSV/TSV/JSON/NDJSON/XLSX export")
    parser.add_argument("--out", type=Path, required=True, help="output CSV file")
    parser.add_argument("--text-col", help="column holding the message text")
    parser.add_argument("--time-col", help="column holding the message time")
    parser.add_argument("--id-col", help="column holding the source message id")
    parser.add_argument("--incident-keywords", default="",
                        help='comma-separated incident keywords, e.g. "brand,rook,stank"')
    parser.add_argument("--description", default="", help="short description of the incident")
    parser.add_argument("--map", action="append", default=[], metavar="KOLOM=VELD",
                        help="map a column onto a field, as in ingest (repeatable); with --no-header "
                             "columns are numbers: --map 2=text")
    parser.add_argument("--no-header", action="store_true",
                        help="the CSV/TSV has no header row: name columns by position (1, 2, …) "
                             "in --text-col/--time-col/--id-col/--map")
    args = parser.parse_args(argv)
    mapping = {col: fld for col, fld in ((args.text_col, "text"), (args.time_col, "created_at"),
                                         (args.id_col, "id")) if col}
    keywords = tuple(k.strip() for k in args.incident_keywords.split(",") if k.strip())
    from pipeline.ingest.load import IngestError, parse_map
    from pipeline.render.export import safe_csv

    try:
        mapping |= parse_map(args.map)
    except IngestError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    notes: list[str] = []
    try:
        frame = analyze_file(args.input, AnalysisParams(keywords=keywords,
                                                        description=args.description),
                             mapping=mapping or None, no_header=args.no_header, notes=notes)
    except (IngestError, FileNotFoundError) as exc:
        print(str(exc), file=sys.stderr)
        return 2
    if not keywords and not args.description:
        notes.append("geen incidenttrefwoorden: relevantie onbekend, categorieën blijven staan "
                     "/ no incident keywords: relevance unknown, categories are kept")
    for note in notes:
        print(f"let op / note: {note}", file=sys.stderr)
    safe_csv(to_output(frame), args.out)
    known = bool(frame[S.RELEVANCE_KNOWN].all()) if S.RELEVANCE_KNOWN in frame.columns else True
    n_rel = f"{int(frame[S.RELEVANT].sum())} relevant" if known else "relevantie onbekend"
    n_themes = frame.loc[frame[S.THEME] != S.NO_THEME, S.THEME].nunique()
    print(f"{len(frame)} berichten geanalyseerd, {n_rel}, {n_themes} thema's → {args.out}")
    return 0

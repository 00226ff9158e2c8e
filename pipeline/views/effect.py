"""Effect of our communication: public messages before vs after each moment.

What the public says in a window before a communication moment (a tweet,
NL-Alert, press conference, ...) is compared with the window after it, per
category or per theme, with exact or score-based 95 % intervals. This is an
association in time, not proof of cause: see `INTERPRETATION` and
`docs/EFFECT.md`.

Data in:
    messages: CREATED_AT (tz-aware), CATEGORIES (tuple of codes) and/or THEME,
        optionally IS_OFFICIAL (official messages are left out by default),
        CLEAN_TEXT / TEXT / TERMS for `term_uptake`.
    moments: MOMENT_TIME (tz-aware), MOMENT_TEXT, optionally MOMENT_ID and
        MOMENT_CHANNEL (`moments_from_csv` reads them from a CSV file).

Functions:
    rate_ratio        Poisson rate ratio after/before, exact conditional interval.
    proportion_ratio  ratio of two shares, Miettinen-Nurminen score interval.
    wilson_interval   interval for one share.
    effect_table      one row per moment x group: counts, rates, shares, intervals.
    segmented_effect  segmented Poisson regression: level change beyond the trend.
    key_terms / term_uptake   uptake of the moment's own words by the public.
    moments_from_csv  read moments (naive times are Europe/Amsterdam).
    cli               `python -m pipeline effect`.

Windows are half-open: before = [t - w, t), after = [t, t + w), truncated to the
observed period (by default from the first to the last message); rates use the
truncated duration.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from pipeline.analysis.chain import analyze_file
from pipeline.analysis.normalize import word_tokens
from pipeline.arrays import flatten_tuples
from pipeline.schema import (
    CATEGORIES,
    CATEGORY_CODES,
    CHANNELS,
    CLEAN_TEXT,
    CREATED_AT,
    IS_OFFICIAL,
    MOMENT_CHANNEL,
    MOMENT_ID,
    MOMENT_ORIGIN,
    MOMENT_TEXT,
    MOMENT_TIME,
    NO_THEME,
    RELEVANT,
    TERMS,
    TEXT,
    THEME,
    TIME_ZONE,
)

INTERPRETATION = {
    "nl": (
        "Deze cijfers vergelijken de berichten vóór en ná elk communicatiemoment. "
        "Een verschil is een samenhang in de tijd, geen bewijs dat ons bericht het "
        "veroorzaakte: het nieuws, het incident zelf, andere berichten of het tijdstip "
        "kunnen hetzelfde effect geven. Het interval (95 %) toont de onzekerheid door "
        "toeval; bij weinig berichten is het breed. Liggen twee momenten dichter bij "
        "elkaar dan het venster, dan overlappen hun vensters."
    ),
    "en": (
        "These figures compare public messages before and after each communication "
        "moment. A difference is an association in time, not proof that our message "
        "caused it: news coverage, the incident itself, other messages or the time of "
        "day can produce the same change. The 95 % interval shows uncertainty from "
        "chance alone; with few messages it is wide. When two moments are closer than "
        "the window, their windows overlap."
    ),
}

# Columns of `effect_table`, in order.
EFFECT_COLUMNS = (
    "moment", "category", "before_count", "after_count", "before_rate", "after_rate",
    "ratio", "ci_low", "ci_high", "before_share", "after_share", "share_ratio",
    "share_ci_low", "share_ci_high", "before_hours", "after_hours", "channel",
    "moment_time", "before_total", "after_total", "overlaps_other_moment",
)
# Columns the CLI writes first (the rest follow).
CLI_COLUMNS = EFFECT_COLUMNS[:9]

# Columns of `python -m pipeline analyze` output, used to recognise it.
ANALYZE_COLUMNS = (
    "id", "created_at", "language", "relevant", "relevance", "categories", "isb",
    "theme", "theme_label", "sentiment",
)

DEFAULT_WINDOW = timedelta(minutes=60)
DEFAULT_BIN = timedelta(minutes=5)
LOCAL_TZ = TIME_ZONE
_NS_PER_HOUR = 3_600_000_000_000

# Small Dutch (and a few English) function words left out of a moment's key terms.
# Negations are not key terms on their own but are kept inside phrases.
STOPWORDS = frozenset({
    "de", "het", "een", "en", "of", "maar", "want", "dus", "dat", "die", "dit", "deze", "der",
    "des", "den",
    "in", "op", "aan", "bij", "met", "van", "voor", "na", "naar", "uit", "tot", "om", "over",
    "onder", "door", "tegen", "zonder", "tussen",
    "is", "zijn", "was", "waren", "wordt", "worden", "werd", "werden", "ben", "bent", "heeft",
    "hebben", "had", "hadden",
    "kan", "kunnen", "kon", "moet", "moeten", "mag", "mogen", "zal", "zullen", "zou", "zouden",
    "wil", "willen",
    "er", "hier", "daar", "nu", "dan", "toen", "als", "ook", "nog", "al", "wel", "zo", "te",
    "zeer", "heel", "erg", "meer", "minder",
    "ik", "je", "jij", "u", "hij", "zij", "ze", "wij", "we", "jullie", "hun", "hen", "mijn",
    "uw", "ons", "onze", "zich",
    "wat", "wie", "waar", "wanneer", "hoe", "waarom", "welke",
    "geen", "niet", "nooit",
    "the", "a", "an", "and", "or", "to", "on", "at", "for", "are", "be",
})
NEGATIONS = frozenset({"geen", "niet", "nooit"})
_CLAUSE = re.compile(r"[.!?;:,()\n]+")
# At most this many tokens may stand between the two words of a word pair.
PAIR_GAP = 3


@dataclass(frozen=True)
class KeyTerm:
    """One key term of a moment's text: a word, an ordered word pair or a phrase."""

    term: str
    kind: str  # "woord" | "woordpaar" | "zin"
    tokens: tuple[str, ...]


# --- intervals ------------------------------------------------------------
def _z(level: float) -> float:
    """Return the two-sided normal quantile for `level`."""
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1, got {level}")
    return float(stats.norm.ppf(0.5 + level / 2))


def _maybe_scalar(*arrays: np.ndarray, scalar: bool) -> tuple:
    """Return the arrays, or Python floats when all inputs were scalars."""
    if scalar:
        return tuple(float(a) for a in arrays)
    return arrays


def rate_ratio(before_count, after_count, before_hours, after_hours, level: float = 0.95):
    """Return (ratio, lo, hi): Poisson rate ratio after/before with an exact interval.

    Conditional on the total n = before + after, the after count is binomial with
    p = R·h_a / (R·h_a + h_b); the Clopper-Pearson interval for p is mapped to the
    rate ratio R. Vectorised over numpy arrays (scalars in -> floats out).

    Zero counts: after = 0 < before gives ratio 0 and interval [0, hi] (one-sided;
    hi still uses α/2, so the interval stays conservative); before = 0 < after gives
    ratio inf and [lo, inf]; both 0 gives ratio nan and [0, inf] (no information).
    A window of zero (or negative / nan) hours gives nan everywhere.
    """
    inputs = (before_count, after_count, before_hours, after_hours)
    scalar = all(np.ndim(x) == 0 for x in inputs)
    b, a, hb, ha = np.broadcast_arrays(*(np.asarray(x, dtype=float) for x in inputs))
    if np.any(b < 0) or np.any(a < 0) or np.any(b % 1 != 0) or np.any(a % 1 != 0):
        raise ValueError("counts must be non-negative integers")
    alpha = 1 - level
    _z(level)
    n = a + b
    with np.errstate(divide="ignore", invalid="ignore"):
        p_lo = np.where(a > 0, stats.beta.ppf(alpha / 2, np.maximum(a, 1), n - a + 1), 0.0)
        p_hi = np.where(b > 0, stats.beta.ppf(1 - alpha / 2, a + 1, np.maximum(b, 1)), 1.0)
        odds = hb / ha
        lo = np.where(p_lo > 0, p_lo / (1 - p_lo) * odds, 0.0)
        hi = np.where(p_hi < 1, p_hi / (1 - p_hi) * odds, np.inf)
        ratio = np.where(n > 0, (a / ha) / (b / hb), np.nan)
    bad = ~((hb > 0) & (ha > 0))
    ratio, lo, hi = (np.where(bad, np.nan, x) for x in (ratio, lo, hi))
    return _maybe_scalar(ratio, lo, hi, scalar=scalar)


def wilson_interval(count, total, level: float = 0.95):
    """Return (share, lo, hi): a share with its Wilson score interval (nan if total 0)."""
    scalar = np.ndim(count) == 0 and np.ndim(total) == 0
    k, n = np.broadcast_arrays(np.asarray(count, dtype=float), np.asarray(total, dtype=float))
    z = _z(level)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        denom = 1 + z**2 / n
        centre = (p + z**2 / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denom
        lo = np.clip(centre - half, 0.0, 1.0)
        hi = np.clip(centre + half, 0.0, 1.0)
    bad = ~(n > 0)
    p, lo, hi = (np.where(bad, np.nan, x) for x in (p, lo, hi))
    return _maybe_scalar(p, lo, hi, scalar=scalar)


def _score_z(theta, x1, n1, x2, n2):
    """Return the Miettinen-Nurminen score statistic for H0: p1/p2 = theta."""
    big_n = n1 + n2
    a = theta * big_n
    b = -(theta * n1 + x1 + n2 + theta * x2)
    c = x1 + x2
    disc = np.sqrt(np.maximum(b * b - 4 * a * c, 0.0))
    # constrained MLE of p2 (smaller root, written to avoid cancellation)
    p2 = np.where(c > 0, 2 * c / np.maximum(-b + disc, 1e-300), 0.0)
    p2 = np.clip(p2, 0.0, 1.0)
    p1 = np.clip(theta * p2, 0.0, 1.0)
    num = x1 / n1 - theta * x2 / n2
    var = p1 * (1 - p1) / n1 + theta**2 * p2 * (1 - p2) / n2
    var = var * big_n / np.maximum(big_n - 1, 1)  # the Miettinen-Nurminen correction
    return np.where(var > 1e-300, num / np.sqrt(np.maximum(var, 1e-300)), np.sign(num) * np.inf)


def proportion_ratio(after_count, after_total, before_count, before_total, level: float = 0.95):
    """Return (ratio, lo, hi) for the share ratio (after/before), Miettinen-Nurminen interval.

    Each window's group count is taken as binomial out of all public messages in
    that window. The score interval (Koopman 1984, with the N/(N-1) variance
    correction of Miettinen & Nurminen 1985) inverts the score test of
    p_after / p_before = θ; it keeps close to nominal coverage for small counts
    (plain Koopman is a little liberal there) and handles zeros: after = 0 gives
    [0, hi], before = 0 gives [lo, inf], both 0 gives nan
    with [0, inf]. An empty window (total 0) gives nan everywhere. Vectorised.
    """
    inputs = (after_count, after_total, before_count, before_total)
    scalar = all(np.ndim(x) == 0 for x in inputs)
    x1, n1, x2, n2 = np.broadcast_arrays(*(np.asarray(x, dtype=float) for x in inputs))
    if np.any(x1 > n1) or np.any(x2 > n2) or np.any(x1 < 0) or np.any(x2 < 0):
        raise ValueError("counts must lie between 0 and their totals")
    zc = _z(level)
    valid = (n1 > 0) & (n2 > 0)
    # placeholders keep the arithmetic finite where the result is overwritten anyway
    n1s, n2s = np.where(valid, n1, 1.0), np.where(valid, n2, 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(x1 + x2 > 0, (x1 / n1s) / (x2 / n2s), np.nan)
        lo_a, lo_b = np.full(x1.shape, -40.0), np.full(x1.shape, 40.0)
        hi_a, hi_b = lo_a.copy(), lo_b.copy()
        for _ in range(90):  # bisection on log(theta); z decreases in theta
            mid = (lo_a + lo_b) / 2
            above = _score_z(np.exp(mid), x1, n1s, x2, n2s) > zc
            lo_a, lo_b = np.where(above, mid, lo_a), np.where(above, lo_b, mid)
            mid = (hi_a + hi_b) / 2
            below = _score_z(np.exp(mid), x1, n1s, x2, n2s) < -zc
            hi_a, hi_b = np.where(below, hi_a, mid), np.where(below, mid, hi_b)
        lo = np.where(x1 > 0, np.exp((lo_a + lo_b) / 2), 0.0)
        hi = np.where(x2 > 0, np.exp((hi_a + hi_b) / 2), np.inf)
    ratio, lo, hi = (np.where(valid, x, np.nan) for x in (ratio, lo, hi))
    return _maybe_scalar(ratio, lo, hi, scalar=scalar)


# --- preparing frames ----------------------------------------------------------
def _utc_ns(values, what: str) -> np.ndarray:
    """Return tz-aware timestamps as int64 UTC nanoseconds; reject naive ones."""
    idx = pd.DatetimeIndex(values)
    if len(idx) == 0:
        return np.empty(0, dtype="int64")
    if idx.tz is None:
        raise ValueError(
            f"{what}: tijden zonder tijdzone / times without a timezone; "
            "geef tz-aware tijden (UTC) / pass tz-aware (UTC) times"
        )
    return idx.tz_convert("UTC").as_unit("ns").asi8


def _to_ns(value, what: str) -> int:
    """Return one tz-aware timestamp as int64 UTC nanoseconds."""
    return int(_utc_ns([pd.Timestamp(value)], what)[0])


def _td_ns(value: timedelta | pd.Timedelta, what: str) -> int:
    """Return a positive duration in nanoseconds."""
    ns = int(pd.Timedelta(value).value)
    if ns <= 0:
        raise ValueError(f"{what} must be positive, got {value}")
    return ns


def _period_ns(ns: np.ndarray, period) -> tuple[int, int]:
    """Return the observed period [start, end) in ns: given, or first..last message."""
    if period is not None:
        start, end = (_to_ns(p, "period") for p in period)
        if end <= start:
            raise ValueError("period: end must be after start")
        return start, end
    if len(ns) == 0:
        raise ValueError("geen berichten / no messages")
    return int(ns.min()), int(ns.max()) + 1  # +1 ns: the last message lies inside


def _prepare(messages: pd.DataFrame, exclude_official: bool, period):
    """Return (start, end, public messages, their UTC ns times)."""
    ns = _utc_ns(messages[CREATED_AT], "messages")
    start, end = _period_ns(ns, period)
    if exclude_official and IS_OFFICIAL in messages.columns:
        keep = ~messages[IS_OFFICIAL].fillna(False).astype(bool).to_numpy()
        return start, end, messages.loc[keep], ns[keep]
    return start, end, messages, ns


def _group_times(public: pd.DataFrame, ns: np.ndarray, by: str) -> dict:
    """Return {group value: sorted UTC ns times} for all groups present."""
    if by == CATEGORIES:
        rows, cats = flatten_tuples(public[CATEGORIES].to_numpy())
        pairs = pd.DataFrame({"t": np.asarray(ns)[rows], "g": cats})
        present = set(pairs["g"].unique())
        known = [c for c in CATEGORY_CODES if c in present]
        order = known + sorted(present - set(known))
    elif by == THEME:
        pairs = pd.DataFrame(
            {"t": ns, "g": public[THEME].to_numpy()}
        ).dropna(subset=["g"])
        pairs = pairs.assign(g=pairs["g"].astype(int))
        order = sorted(pairs["g"].unique().tolist())
    else:
        raise ValueError(f"by must be CATEGORIES ({CATEGORIES!r}) or THEME ({THEME!r}), got {by!r}")
    grouped = {g: np.sort(s.to_numpy(dtype="int64")) for g, s in pairs.groupby("g")["t"]}
    return {g: grouped[g] for g in order}


def _moment_frame(moments: pd.DataFrame) -> pd.DataFrame:
    """Return moments sorted by time with id, channel and UTC ns time columns."""
    if MOMENT_TIME not in moments.columns:
        raise ValueError(f"moments need a {MOMENT_TIME!r} column")
    ns = _utc_ns(moments[MOMENT_TIME], "moments")
    ids = (
        moments[MOMENT_ID].to_numpy() if MOMENT_ID in moments.columns
        else np.arange(1, len(moments) + 1)
    )
    channel = (
        moments[MOMENT_CHANNEL].fillna("").astype(str).to_numpy()
        if MOMENT_CHANNEL in moments.columns else np.full(len(moments), "")
    )
    out = pd.DataFrame({"moment": ids, "channel": channel, "ns": ns})
    return out.sort_values("ns", kind="stable").reset_index(drop=True)


def _count(times: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Return the number of sorted `times` in each [lo, hi)."""
    return np.searchsorted(times, hi, side="left") - np.searchsorted(times, lo, side="left")


# --- effect table --------------------------------------------------------------
def effect_table(
    messages: pd.DataFrame,
    moments: pd.DataFrame,
    by: str = CATEGORIES,
    window: timedelta = DEFAULT_WINDOW,
    exclude_official: bool = True,
    *,
    level: float = 0.95,
    period: tuple | None = None,
) -> pd.DataFrame:
    """Return one row per moment × group comparing the window before with after.

    Args:
        messages: CREATED_AT (tz-aware) plus CATEGORIES (tuples) or THEME (int).
        moments: MOMENT_TIME (tz-aware), optionally MOMENT_ID and MOMENT_CHANNEL.
        by: CATEGORIES (multi-label: a message counts in each of its codes) or THEME.
        window: length w of both windows, [t - w, t) and [t, t + w).
        exclude_official: leave out messages with IS_OFFICIAL true.
        level: confidence level of all intervals.
        period: (start, end) of the observed period; default first..last message.

    Every group present anywhere in the (public) messages gets a row for every
    moment, also when it has no messages near that moment (then ratio is nan with
    interval [0, inf]), so tables of different moments line up. Shares are out of
    all public messages in the window (a message with no category still counts in
    the denominator). Moments are sorted by time; ids default to 1, 2, ...

    """
    window_ns = _td_ns(window, "window")
    start, end, public, ns = _prepare(messages, exclude_official, period)
    groups = _group_times(public, ns, by)
    mom = _moment_frame(moments)
    t = mom["ns"].to_numpy(dtype="int64")
    b_lo, b_hi = np.clip(t - window_ns, start, end), np.clip(t, start, end)
    a_lo, a_hi = np.clip(t, start, end), np.clip(t + window_ns, start, end)
    all_t = np.sort(ns)
    b_tot, a_tot = _count(all_t, b_lo, b_hi), _count(all_t, a_lo, a_hi)
    close = np.diff(t) < window_ns  # neighbouring moments whose windows overlap
    overlaps = np.zeros(len(t), dtype=bool)
    overlaps[1:] |= close
    overlaps[:-1] |= close

    n_g, n_m = len(groups), len(mom)
    bc = np.array([_count(ts, b_lo, b_hi) for ts in groups.values()]).reshape(n_g, n_m).T
    ac = np.array([_count(ts, a_lo, a_hi) for ts in groups.values()]).reshape(n_g, n_m).T

    def rep(values: np.ndarray) -> np.ndarray:
        return np.repeat(values, n_g)  # one value per moment -> one per row

    bc, ac = bc.ravel(), ac.ravel()
    bh, ah = rep((b_hi - b_lo) / _NS_PER_HOUR), rep((a_hi - a_lo) / _NS_PER_HOUR)
    bt, at = rep(b_tot), rep(a_tot)
    ratio, lo, hi = rate_ratio(bc, ac, bh, ah, level=level)
    s_ratio, s_lo, s_hi = proportion_ratio(ac, at, bc, bt, level=level)
    with np.errstate(divide="ignore", invalid="ignore"):
        b_rate = np.where(bh > 0, bc / bh, np.nan)
        a_rate = np.where(ah > 0, ac / ah, np.nan)
        b_share = np.where(bt > 0, bc / bt, np.nan)
        a_share = np.where(at > 0, ac / at, np.nan)
    cat_values = list(groups) * n_m
    out = pd.DataFrame({
        "moment": rep(mom["moment"].to_numpy()),
        "category": pd.Series(cat_values, dtype=object if by == CATEGORIES else "int64"),
        "before_count": bc.astype("int64"),
        "after_count": ac.astype("int64"),
        "before_rate": b_rate,
        "after_rate": a_rate,
        "ratio": ratio,
        "ci_low": lo,
        "ci_high": hi,
        "before_share": b_share,
        "after_share": a_share,
        "share_ratio": s_ratio,
        "share_ci_low": s_lo,
        "share_ci_high": s_hi,
        "before_hours": bh,
        "after_hours": ah,
        "channel": rep(mom["channel"].to_numpy()),
        "moment_time": pd.to_datetime(rep(t), utc=True),
        "before_total": bt.astype("int64"),
        "after_total": at.astype("int64"),
        "overlaps_other_moment": rep(overlaps),
    })
    if by == CATEGORIES:
        out["category"] = out["category"].astype(str)
    return out.loc[:, list(EFFECT_COLUMNS)]


# --- segmented regression ------------------------------------------------------
def _poisson_irls(x: np.ndarray, y: np.ndarray, offset: np.ndarray, max_iter: int = 100):
    """Return (beta, fisher_information, mu, converged, iterations) of a Poisson GLM."""
    beta = np.zeros(x.shape[1])
    beta[0] = math.log(max(y.sum(), 0.5) / np.exp(offset).sum())
    converged = False
    iterations = 0
    for iterations in range(1, max_iter + 1):  # noqa: B007 - the count is returned
        eta = x @ beta + offset
        mu = np.exp(np.clip(eta, -700, 700))
        z = eta - offset + (y - mu) / mu
        info = x.T @ (x * mu[:, None])
        try:
            new = np.linalg.solve(info, x.T @ (mu * z))
        except np.linalg.LinAlgError:
            break
        step = np.max(np.abs(new - beta))
        beta = new
        if step < 1e-9 * (1 + np.max(np.abs(beta))):
            converged = True
            break
    mu = np.exp(np.clip(x @ beta + offset, -700, 700))
    return beta, x.T @ (x * mu[:, None]), mu, converged, iterations


def _group_mask(public: pd.DataFrame, group) -> np.ndarray:
    """Return which messages belong to `group` (None = all, str = category, int = theme)."""
    if group is None:
        return np.ones(len(public), dtype=bool)
    if isinstance(group, str):
        cats = public[CATEGORIES]
        return np.array([isinstance(c, (tuple, list)) and group in c for c in cats], dtype=bool)
    if isinstance(group, (int, np.integer)):
        return (public[THEME].to_numpy() == int(group))
    raise ValueError(
        f"group must be None, a category code (str) or a theme id (int), got {group!r}"
    )


def segmented_effect(
    messages: pd.DataFrame,
    moment_time,
    group=None,
    bin: timedelta = DEFAULT_BIN,
    window: timedelta = DEFAULT_WINDOW,
    *,
    exclude_official: bool = True,
    level: float = 0.95,
    overdispersion: bool = True,
    slope_change: bool = True,
    period: tuple | None = None,
) -> dict:
    """Return the level change at a moment beyond the pre-existing trend (segmented Poisson).

    Counts in bins of `bin` over [t - window, t + window) are fitted with
    log E[y] = log(hours) + b0 + b1·s + b2·after + b3·after·s, s = bin midpoint in
    hours from the moment, by IRLS; standard errors from the Fisher information.
    exp(b2) is the level change rate ratio: the jump at the moment relative to
    the extrapolated pre-trend. Prefer it over `rate_ratio` when the volume was
    already rising or falling before the moment (the usual decay after an
    incident's peak): the simple ratio then credits the trend to the moment.

    Args:
        messages: CREATED_AT (tz-aware) plus CATEGORIES or THEME as `group` needs.
        moment_time: tz-aware time of the moment.
        group: None (all public messages), a category code (str) or a theme id (int).
        bin: bin width; bins are aligned to the moment, partial bins at the edges
            of the observed period use their real duration.
        window: length of each side; >= 6 bins per side recommended.
        exclude_official: leave out messages with IS_OFFICIAL true.
        level: confidence level.
        overdispersion: scale the covariance by the Pearson dispersion when it
            exceeds 1 (quasi-Poisson, t quantiles); bursty real data needs this.
        slope_change: also fit a change of slope (b3). Without it the trend is
            assumed to continue unchanged, which narrows the interval but is
            biased when the slope does change.
        period: (start, end) of the observed period; default first..last message.

    Returns:
        A dict with `level_ratio`, `ci_low`, `ci_high` and `slope_change_ratio_per_hour`,
        `pre_trend_ratio_per_hour`, `naive_ratio` (the simple rate ratio of the same
        windows), `before_count`, `after_count`, `expected_after_without_change`,
        `dispersion`, `converged`, `iterations`, `n_bins_before`, `n_bins_after` and
        `note` (why the result is nan; "" when fine).

    """
    t0 = _to_ns(moment_time, "moment_time")
    bin_ns, window_ns = _td_ns(bin, "bin"), _td_ns(window, "window")
    start, end, public, ns = _prepare(messages, exclude_official, period)
    near = np.flatnonzero((ns >= t0 - window_ns) & (ns < t0 + window_ns))
    times = np.sort(ns[near][_group_mask(public.iloc[near], group)])
    k = math.ceil(window_ns / bin_ns)
    rel = np.concatenate([np.arange(-k, 0) * bin_ns, np.arange(0, k) * bin_ns])
    lo = np.clip(np.maximum(t0 + rel, t0 - window_ns), start, end)
    hi = np.clip(np.minimum(t0 + rel + bin_ns, t0 + window_ns), start, end)
    hours = (hi - lo) / _NS_PER_HOUR
    keep = hours > 0
    lo, hi, hours = lo[keep], hi[keep], hours[keep]
    y = _count(times, lo, hi).astype(float)
    s = ((lo + hi) / 2 - t0) / _NS_PER_HOUR
    after = (lo >= t0).astype(float)
    nb, na = int((after == 0).sum()), int((after == 1).sum())
    result = {
        "group": group, "moment_time": pd.Timestamp(t0, tz="UTC"), "level": level,
        "bin_minutes": bin_ns / 60e9, "n_bins_before": nb, "n_bins_after": na,
        "before_count": int(y[after == 0].sum()), "after_count": int(y[after == 1].sum()),
        "level_ratio": np.nan, "ci_low": np.nan, "ci_high": np.nan,
        "slope_change_ratio_per_hour": np.nan, "pre_trend_ratio_per_hour": np.nan,
        "expected_after_without_change": np.nan, "observed_after": int(y[after == 1].sum()),
        "dispersion": np.nan, "converged": False, "iterations": 0, "note": "",
    }
    result["naive_ratio"] = rate_ratio(
        result["before_count"], result["after_count"],
        float(hours[after == 0].sum()), float(hours[after == 1].sum()), level=level,
    )[0]
    if nb < 3 or na < 3:
        result["note"] = "te weinig bins / too few bins (need >= 3 on each side)"
        return result
    if result["before_count"] == 0 or result["after_count"] == 0:
        result["note"] = "geen berichten aan een kant / no messages on one side"
        return result
    columns = [np.ones_like(s), s, after] + ([after * s] if slope_change else [])
    x = np.column_stack(columns)
    beta, info, mu, converged, iterations = _poisson_irls(x, y, np.log(hours))
    result.update(converged=converged, iterations=iterations)
    if not converged or not np.all(np.isfinite(beta)):
        result["note"] = "IRLS niet geconvergeerd / IRLS did not converge"
        return result
    cov = np.linalg.inv(info)
    df = len(y) - x.shape[1]
    dispersion = float(np.sum((y - mu) ** 2 / mu) / df) if df > 0 else np.nan
    quantile = _z(level)
    if overdispersion and df > 0 and dispersion > 1:
        cov = cov * dispersion
        quantile = float(stats.t.ppf(0.5 + level / 2, df))
    se = np.sqrt(np.diag(cov))
    pre_fit = np.exp(beta[0] + beta[1] * s + np.log(hours))
    result.update(
        level_ratio=float(np.exp(beta[2])),
        ci_low=float(np.exp(beta[2] - quantile * se[2])),
        ci_high=float(np.exp(beta[2] + quantile * se[2])),
        slope_change_ratio_per_hour=float(np.exp(beta[3])) if slope_change else np.nan,
        pre_trend_ratio_per_hour=float(np.exp(beta[1])),
        expected_after_without_change=float(pre_fit[after == 1].sum()),
        dispersion=dispersion,
    )
    return result


# --- term uptake -------------------------------------------------------------
def term_tokens(text: str) -> list[str]:
    """Return the lower-cased word tokens (`pipeline.analysis.normalize.word_tokens`: any script)."""
    return word_tokens(text)


def key_terms(text: str) -> list[KeyTerm]:
    """Return the key terms of a moment's text: content words, word pairs and phrases.

    Words: tokens of 3+ letters that are not stop words or numbers. Word pairs:
    two content words of one clause, in order, with at most PAIR_GAP tokens
    between them ("ramen dicht" from "ramen en deuren dicht"). Phrases: per clause
    the span from the first to the last content word (a negation just before it
    included: "geen asbest vrijgekomen"), and the same span without its first
    word (Dutch instructions start with the verb the public often drops:
    "houd ramen en deuren dicht" -> "ramen en deuren dicht"); phrases need 3+ tokens.
    """
    seen: dict[tuple[str, ...], KeyTerm] = {}

    def add(kind: str, toks: Iterable[str]) -> None:
        toks = tuple(toks)
        if toks not in seen:
            seen[toks] = KeyTerm(" ".join(toks), kind, toks)

    clauses = [term_tokens(c) for c in _CLAUSE.split(str(text).lower())]
    for toks in clauses:
        content = [i for i, w in enumerate(toks)
                   if w not in STOPWORDS and len(w) >= 3 and not w.isdigit()]
        for i in content:
            add("woord", [toks[i]])
        for a_pos, i in enumerate(content):
            for j in content[a_pos + 1:]:
                if j - i - 1 <= PAIR_GAP:
                    add("woordpaar", [toks[i], toks[j]])
        if len(content) >= 2:
            first, last = content[0], content[-1]
            if first > 0 and toks[first - 1] in NEGATIONS:
                first -= 1
            for begin in (first, content[1]):
                if last - begin + 1 >= 3:
                    add("zin", toks[begin:last + 1])
    order = {"woord": 0, "woordpaar": 1, "zin": 2}
    return sorted(seen.values(), key=lambda k: order[k.kind])


def contains_term(tokens: list[str], term: KeyTerm) -> bool:
    """Return whether a token list contains the key term."""
    if term.kind == "woord":
        return term.tokens[0] in tokens
    if term.kind == "woordpaar":
        first, second = term.tokens
        for i, w in enumerate(tokens):
            if w == first and second in tokens[i + 1:i + 2 + PAIR_GAP]:
                return True
        return False
    n = len(term.tokens)
    return any(tuple(tokens[i:i + n]) == term.tokens for i in range(len(tokens) - n + 1))


def message_tokens(frame: pd.DataFrame) -> list[list[str]]:
    """Return each message's tokens from CLEAN_TEXT, TEXT or (stop-word-free) TERMS."""
    for col in (CLEAN_TEXT, TEXT):
        if col in frame.columns:
            return [term_tokens(t) if isinstance(t, str) else [] for t in frame[col]]
    if TERMS in frame.columns:
        return [list(t) if isinstance(t, (tuple, list)) else [] for t in frame[TERMS]]
    raise ValueError(f"messages need {CLEAN_TEXT!r}, {TEXT!r} or {TERMS!r} for term uptake")


def term_uptake(
    messages: pd.DataFrame,
    moment_text: str,
    moment_time,
    window: timedelta = DEFAULT_WINDOW,
    *,
    exclude_official: bool = True,
    level: float = 0.95,
    period: tuple | None = None,
) -> pd.DataFrame:
    """Return per key term of the moment's text the share of public messages using it.

    Columns: term, kind ("woord"/"woordpaar"/"zin"), before/after count and
    total, before/after share with Wilson intervals (ci_low/ci_high), and the
    share ratio with its Miettinen-Nurminen score interval. Matching is on exact tokens ("raam"
    does not match "ramen"); a message mentioning a term may contradict it.
    """
    t0 = _to_ns(moment_time, "moment_time")
    window_ns = _td_ns(window, "window")
    start, end, public, ns = _prepare(messages, exclude_official, period)
    in_before = (ns >= max(t0 - window_ns, start)) & (ns < min(t0, end))
    in_after = (ns >= max(t0, start)) & (ns < min(t0 + window_ns, end))
    before_toks = message_tokens(public.loc[in_before])
    after_toks = message_tokens(public.loc[in_after])
    terms = key_terms(moment_text)
    bc = np.array([sum(contains_term(tk, k) for tk in before_toks) for k in terms], dtype="int64")
    ac = np.array([sum(contains_term(tk, k) for tk in after_toks) for k in terms], dtype="int64")
    bn, an = len(before_toks), len(after_toks)
    b_share, b_lo, b_hi = wilson_interval(bc, np.full(len(terms), bn), level=level)
    a_share, a_lo, a_hi = wilson_interval(ac, np.full(len(terms), an), level=level)
    r, r_lo, r_hi = proportion_ratio(ac, np.full(len(terms), an), bc, np.full(len(terms), bn),
                                     level=level)
    return pd.DataFrame({
        "term": pd.Series([k.term for k in terms], dtype=object),
        "kind": pd.Series([k.kind for k in terms], dtype=object),
        "before_count": bc, "after_count": ac,
        "before_total": np.full(len(terms), bn, dtype="int64"),
        "after_total": np.full(len(terms), an, dtype="int64"),
        "before_share": b_share, "before_ci_low": b_lo, "before_ci_high": b_hi,
        "after_share": a_share, "after_ci_low": a_lo, "after_ci_high": a_hi,
        "share_ratio": r, "share_ci_low": r_lo, "share_ci_high": r_hi,
    })


# --- moments and CSV ---------------------------------------------------------
_DAY_FIRST = re.compile(r"^\d{1,2}[-/]\d{1,2}[-/]\d{4}([ T]\d{1,2}:\d{2}(:\d{2})?)?$")


def _parse_day_first(value: str) -> pd.Timestamp:
    """Return a naive timestamp from Dutch day-first `31-03-2024 14:05[:00]`."""
    value = value.replace("/", "-").replace("T", " ")
    for fmt in ("%d-%m-%Y %H:%M:%S", "%d-%m-%Y %H:%M", "%d-%m-%Y"):
        try:
            return pd.Timestamp(datetime.strptime(value, fmt))
        except ValueError:
            continue
    raise ValueError(value)


def _parse_moment_time(raw, row: int) -> pd.Timestamp:
    """Return one moment time in UTC; naive times are Europe/Amsterdam local time."""
    where = f"rij {row} (regel {row + 1}) / row {row} (line {row + 1})"
    value = "" if pd.isna(raw) else str(raw).strip()
    if not value:
        raise ValueError(f"{where}: lege tijd / empty time")
    try:
        if _DAY_FIRST.match(value):
            ts = _parse_day_first(value)
        else:
            ts = pd.Timestamp(value)
    except (ValueError, TypeError) as exc:
        raise ValueError(
            f"{where}: onleesbare tijd {value!r}; gebruik bv. 2024-03-31 14:05 of "
            f"31-03-2024 14:05 / unreadable time {value!r}; use e.g. 2024-03-31 14:05"
        ) from exc
    if ts is pd.NaT:
        raise ValueError(f"{where}: lege tijd / empty time")
    if ts.tzinfo is not None:
        return ts.tz_convert("UTC")
    if ts.tz_localize(LOCAL_TZ, nonexistent="NaT", ambiguous=True) is pd.NaT:
        raise ValueError(
            f"{where}: tijd {value!r} bestaat niet in {LOCAL_TZ} (de klok sprong "
            f"vooruit bij de zomertijd) / time {value!r} does not exist in {LOCAL_TZ} "
            "(clocks sprang forward for summer time)"
        )
    local = ts.tz_localize(LOCAL_TZ, nonexistent="NaT", ambiguous="NaT")
    if local is pd.NaT:
        raise ValueError(
            f"{where}: tijd {value!r} komt twee keer voor in {LOCAL_TZ} (einde zomertijd); "
            "geef de UTC-offset, bv. +02:00 / time occurs twice (end of summer time); "
            "add the UTC offset, e.g. +02:00"
        )
    return local.tz_convert("UTC")


def moments_from_csv(path: str | Path) -> pd.DataFrame:
    """Return the moments of a CSV file (`time`, `text`, optional `id`, `channel`).

    Times with an offset or `Z` are taken as given; naive times as local time in
    Europe/Amsterdam (ISO `2024-03-31 14:05` or Dutch `31-03-2024 14:05`). A
    local time in the spring-forward gap, or in the repeated autumn hour, is
    rejected with an error naming the row. Output: MOMENT_ID (str), MOMENT_TIME
    (UTC), MOMENT_TEXT, MOMENT_CHANNEL (one of CHANNELS, default "overig") and
    MOMENT_ORIGIN ("manual"), sorted by time.
    """
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    raw.columns = [str(c).strip().lower() for c in raw.columns]
    missing = [c for c in ("time", "text") if c not in raw.columns]
    if missing:
        raise ValueError(f"kolommen ontbreken / missing columns: {', '.join(missing)}")
    times = [_parse_moment_time(v, i + 1) for i, v in enumerate(raw["time"])]
    if "channel" in raw.columns:
        channels = [c.strip().lower() or "overig" for c in raw["channel"]]
        for i, c in enumerate(channels, start=1):
            if c not in CHANNELS:
                raise ValueError(
                    f"rij {i} / row {i}: onbekend kanaal / unknown channel {c!r}; "
                    f"kies uit / choose from {', '.join(CHANNELS)}"
                )
    else:
        channels = ["overig"] * len(raw)
    ids = ([s.strip() for s in raw["id"]] if "id" in raw.columns
           else [str(i) for i in range(1, len(raw) + 1)])
    if len(set(ids)) != len(ids) or any(not i for i in ids):
        raise ValueError("id's moeten uniek en niet leeg zijn / ids must be unique and non-empty")
    out = pd.DataFrame({
        MOMENT_ID: pd.Series(ids, dtype=object),
        MOMENT_TIME: pd.DatetimeIndex(times, tz="UTC") if times else pd.DatetimeIndex([], tz="UTC"),
        MOMENT_TEXT: pd.Series(list(raw["text"]), dtype=object),
        MOMENT_CHANNEL: pd.Series(channels, dtype=object),
        MOMENT_ORIGIN: "manual",
    })
    return out.sort_values(MOMENT_TIME, kind="stable").reset_index(drop=True)


# --- CLI -------------------------------------------------------------------
def read_analyze_output(path: str | Path) -> pd.DataFrame:
    """Return `python -m pipeline analyze` output with schema-typed columns."""
    raw = pd.read_csv(path, dtype={"categories": str, "id": str}, keep_default_na=False)
    cats = [tuple(c for c in str(v).split(";") if c.strip()) for v in raw["categories"]]
    theme = pd.to_numeric(raw["theme"], errors="coerce").fillna(NO_THEME).astype("int64")
    out = raw.assign(
        **{
            CREATED_AT: pd.to_datetime(raw["created_at"], utc=True, format="ISO8601"),
            CATEGORIES: pd.Series(cats, index=raw.index, dtype=object),
            THEME: theme,
        }
    )
    if RELEVANT in out.columns:
        out[RELEVANT] = out[RELEVANT].astype(str).str.lower().isin({"true", "1", "yes"})
    return out


def is_analyze_output(path: str | Path) -> bool:
    """Return whether a file is a CSV with the columns of `python -m pipeline analyze`."""
    try:
        header = pd.read_csv(path, nrows=0)
    except (ValueError, UnicodeDecodeError, OSError, pd.errors.ParserError):
        return False
    return set(ANALYZE_COLUMNS) <= {str(c).strip() for c in header.columns}


def load_messages(path: str | Path) -> pd.DataFrame:
    """Return messages from analyze output, or from a raw export via `analyze_file`."""
    if is_analyze_output(path):
        return read_analyze_output(path)

    return analyze_file(path)



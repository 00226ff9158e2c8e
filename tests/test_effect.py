"""Tests for pipeline/views/effect.py: intervals, effect table, segmented regression, uptake, CLI."""

from __future__ import annotations

import csv
from datetime import timedelta

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from pipeline.cli import effect as effect_cli
from pipeline.render.export import safe_csv
from pipeline.schema import (
    CATEGORIES,
    CLEAN_TEXT,
    CREATED_AT,
    IS_OFFICIAL,
    MOMENT_CHANNEL,
    MOMENT_ID,
    MOMENT_TEXT,
    MOMENT_TIME,
    THEME,
)
from pipeline.views import effect
from pipeline.views.effect import (
    CLI_COLUMNS,
    EFFECT_COLUMNS,
    INTERPRETATION,
    effect_table,
    key_terms,
    moments_from_csv,
    proportion_ratio,
    rate_ratio,
    segmented_effect,
    term_uptake,
    wilson_interval,
)

T0 = pd.Timestamp("2024-06-01 12:00", tz="UTC")
HOUR = timedelta(hours=1)


def at(minutes: float) -> pd.Timestamp:
    """Time `minutes` after T0 (negative = before)."""
    return T0 + pd.Timedelta(minutes=minutes)


def frame(rows: list[tuple]) -> pd.DataFrame:
    """Messages from (minutes, categories, theme, is_official) rows."""
    return pd.DataFrame({
        CREATED_AT: pd.DatetimeIndex([at(m) for m, *_ in rows]),
        CATEGORIES: pd.Series([c for _, c, *_ in rows], dtype=object),
        THEME: [t for _, _, t, _ in rows],
        IS_OFFICIAL: [o for *_, o in rows],
    })


def moments(*minutes: float, ids=None, channels=None) -> pd.DataFrame:
    """Moments at the given minutes after T0."""
    out = pd.DataFrame({MOMENT_TIME: pd.DatetimeIndex([at(m) for m in minutes]),
                        MOMENT_TEXT: ["x"] * len(minutes)})
    if ids is not None:
        out[MOMENT_ID] = ids
    if channels is not None:
        out[MOMENT_CHANNEL] = channels
    return out


# --- rate_ratio ----------------------------------------------------------------
def test_rate_ratio_six_before_two_after_is_one_third_with_clopper_pearson():
    ratio, lo, hi = rate_ratio(6, 2, 1.0, 1.0)
    assert ratio == pytest.approx(1 / 3)
    # conditional on n = 8, after ~ Binomial(8, R / (R + 1)); exact CI for p -> R = p / (1 - p)
    ci = stats.binomtest(2, 8).proportion_ci(confidence_level=0.95, method="exact")
    assert lo == pytest.approx(ci.low / (1 - ci.low), rel=1e-9)
    assert hi == pytest.approx(ci.high / (1 - ci.high), rel=1e-9)
    assert lo == pytest.approx(0.0329, abs=1e-4)
    assert hi == pytest.approx(1.864, abs=1e-3)


def test_rate_ratio_uses_window_durations():
    # same counts, after window half as long: the after rate doubles
    ratio, lo, hi = rate_ratio(6, 2, 1.0, 0.5)
    base = rate_ratio(6, 2, 1.0, 1.0)
    assert ratio == pytest.approx(2 / 3)
    assert (lo, hi) == pytest.approx((2 * base[1], 2 * base[2]))


@pytest.mark.parametrize(
    ("before", "after", "ratio", "lo_zero", "hi_inf"),
    [
        (0, 0, np.nan, True, True),  # no information: nan, [0, inf]
        (5, 0, 0.0, True, False),  # nothing after: ratio 0, one-sided [0, hi]
        (0, 5, np.inf, False, True),  # nothing before: ratio inf, one-sided [lo, inf]
    ],
)
def test_rate_ratio_zero_counts(before, after, ratio, lo_zero, hi_inf):
    r, lo, hi = rate_ratio(before, after, 1.0, 1.0)
    assert r == pytest.approx(ratio, nan_ok=True)
    assert (lo == 0) is lo_zero
    assert bool(np.isinf(hi)) is hi_inf
    assert 0 <= lo <= hi


def test_rate_ratio_zero_after_upper_bound_is_clopper_pearson():
    _, _, hi = rate_ratio(5, 0, 1.0, 1.0)
    p_hi = 1 - 0.025 ** (1 / 5)  # CP upper bound for 0 successes out of 5
    assert hi == pytest.approx(p_hi / (1 - p_hi))


def test_rate_ratio_zero_hours_is_nan():
    assert all(np.isnan(rate_ratio(3, 4, 0.0, 1.0)))


def test_rate_ratio_is_vectorised_and_matches_scalars():
    b, a = np.array([6, 0, 4, 10]), np.array([2, 3, 0, 10])
    hb, ha = np.array([1.0, 1.0, 0.5, 2.0]), 1.0
    ratio, lo, hi = rate_ratio(b, a, hb, ha)
    assert ratio.shape == (4,)
    for i in range(4):
        assert (ratio[i], lo[i], hi[i]) == pytest.approx(rate_ratio(int(b[i]), int(a[i]), hb[i], ha))


def test_rate_ratio_rejects_negative_counts():
    with pytest.raises(ValueError, match="non-negative"):
        rate_ratio(-1, 2, 1.0, 1.0)


# --- share intervals ---------------------------------------------------------
def test_wilson_interval_known_value():
    p, lo, hi = wilson_interval(3, 10)
    assert (p, lo, hi) == pytest.approx((0.3, 0.1078, 0.6032), abs=1e-4)
    assert all(np.isnan(wilson_interval(0, 0)))


def test_proportion_ratio_bounds_are_score_roots():
    ratio, lo, hi = proportion_ratio(12, 40, 6, 50)  # 30 % after vs 12 % before
    assert ratio == pytest.approx(0.30 / 0.12)
    assert lo < ratio < hi
    z = effect._score_z
    assert z(lo, 12.0, 40.0, 6.0, 50.0) == pytest.approx(1.959964, abs=1e-6)
    assert z(hi, 12.0, 40.0, 6.0, 50.0) == pytest.approx(-1.959964, abs=1e-6)


def test_proportion_ratio_swapping_windows_inverts_the_interval():
    _, lo, hi = proportion_ratio(12, 40, 6, 50)
    _, lo2, hi2 = proportion_ratio(6, 50, 12, 40)
    assert (lo2, hi2) == pytest.approx((1 / hi, 1 / lo), rel=1e-6)


def test_proportion_ratio_zeros_and_empty_windows():
    r, lo, hi = proportion_ratio(0, 20, 5, 20)  # nothing after
    assert (r, lo) == (0.0, 0.0) and 0 < hi < 1
    r, lo, hi = proportion_ratio(5, 20, 0, 20)  # nothing before
    assert np.isinf(r) and lo > 1 and np.isinf(hi)
    assert all(np.isnan(proportion_ratio(1, 0 + 1, 0, 0)))  # empty before window


def test_proportion_ratio_is_not_liberal_on_tiny_windows():
    # 1 of 3 after vs 0 of 11 before: Fisher's exact p = 0.21, so 1 must stay inside
    # (plain Koopman, without the N/(N-1) correction, excludes it: lower bound 1.03)
    _, lo, hi = proportion_ratio(1, 3, 0, 11)
    assert lo < 1 and np.isinf(hi)


# --- effect_table: exact small cases --------------------------------------------
def small_incident() -> pd.DataFrame:
    return frame([
        # minutes, categories, theme, official
        (-90, ("vraag",), 2, False),  # before the before-window: not counted for the moment at 0
        (-50, ("handelen",), 1, False),
        (-40, ("handelen", "gezondheid"), 1, False),  # multi-label: counts in both
        (-30, ("handelen",), 1, False),
        (-20, ("handelen",), 1, False),
        (-10, ("handelen",), 1, False),
        (-1, ("handelen",), 1, False),  # 6 handelen before
        (-5, ("handelen",), 1, True),  # official: excluded
        (-3, (), -1, False),  # no category: only in the share denominator
        (0, ("handelen",), 1, False),  # exactly at the moment: after window
        (30, ("handelen",), 1, False),  # 2 handelen after
        (45, ("gezondheid",), 3, False),
        (59, ("gezondheid",), 3, False),
        (60, ("vraag",), 2, False),  # t + w: outside the half-open after window
        (100, ("vraag",), 2, False),
    ])


def test_effect_table_exact_counts_rates_and_interval():
    msgs = small_incident()
    before = msgs.copy()
    out = effect_table(msgs, moments(0, ids=["m1"], channels=["nl-alert"]), window=HOUR)
    pd.testing.assert_frame_equal(msgs, before)  # input untouched
    assert list(out.columns[:len(EFFECT_COLUMNS)]) == list(EFFECT_COLUMNS)
    # every category present anywhere in the data, in schema order
    assert list(out["category"]) == ["vraag", "handelen", "gezondheid"]
    row = out.set_index("category").loc["handelen"]
    assert (row["before_count"], row["after_count"]) == (6, 2)
    assert (row["before_hours"], row["after_hours"]) == (1.0, 1.0)
    assert (row["before_rate"], row["after_rate"]) == (6.0, 2.0)
    assert row["ratio"] == pytest.approx(1 / 3)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx(rate_ratio(6, 2, 1.0, 1.0)[1:])
    # public messages: before 7 (6 handelen incl. the multi-label one, 1 without category)
    assert (row["before_total"], row["after_total"]) == (7, 4)
    assert row["before_share"] == pytest.approx(6 / 7)
    assert row["after_share"] == pytest.approx(2 / 4)
    assert row["share_ratio"] == pytest.approx((2 / 4) / (6 / 7))
    assert row["share_ci_low"] < row["share_ratio"] < row["share_ci_high"]
    assert row["channel"] == "nl-alert" and row["moment"] == "m1"
    assert row["moment_time"] == T0
    gez = out.set_index("category").loc["gezondheid"]
    assert (gez["before_count"], gez["after_count"]) == (1, 2)
    vraag = out.set_index("category").loc["vraag"]  # present elsewhere, 0 / 0 here
    assert (vraag["before_count"], vraag["after_count"]) == (0, 0)
    assert np.isnan(vraag["ratio"]) and vraag["ci_low"] == 0 and np.isinf(vraag["ci_high"])


def test_effect_table_includes_official_messages_on_request():
    out = effect_table(small_incident(), moments(0), window=HOUR, exclude_official=False)
    assert out.set_index("category").loc["handelen", "before_count"] == 7


def test_effect_table_truncates_windows_at_data_edges():
    msgs = frame([
        (-30, ("handelen",), 1, False),  # first message: data start, 30 min before the moment
        (-10, ("handelen",), 1, False),
        (10, ("handelen",), 1, False),
        (20, ("handelen",), 1, False),
        (40, ("handelen",), 1, False),  # last message: data end
    ])
    row = effect_table(msgs, moments(0), window=HOUR).iloc[0]
    assert row["before_hours"] == pytest.approx(0.5)
    assert row["after_hours"] == pytest.approx(40 / 60, abs=1e-9)
    assert row["before_rate"] == pytest.approx(4.0)  # 2 in half an hour
    assert row["after_rate"] == pytest.approx(3 / (40 / 60), rel=1e-9)


def test_effect_table_explicit_period_overrides_data_range():
    msgs = frame([(-30, ("handelen",), 1, False), (40, ("handelen",), 1, False)])
    row = effect_table(msgs, moments(0), window=HOUR, period=(at(-45), at(120))).iloc[0]
    assert (row["before_hours"], row["after_hours"]) == (0.75, 1.0)


def test_effect_table_moment_outside_data_gives_nan_not_an_error():
    msgs = frame([(-30, ("handelen",), 1, False), (-10, ("handelen",), 1, False)])
    row = effect_table(msgs, moments(300), window=HOUR).iloc[0]  # after the data
    assert row["after_hours"] == 0 and np.isnan(row["ratio"])


def test_effect_table_multiple_moments_sorted_with_overlap_flag():
    msgs = small_incident()
    out = effect_table(msgs, moments(100, 0, 30, ids=["c", "a", "b"]), window=HOUR)
    assert list(dict.fromkeys(out["moment"])) == ["a", "b", "c"]  # by time
    assert len(out) == 3 * 3
    # a (0) and b (30) are 30 min apart (< 60 min window); c (100) is 70 min after b
    flags = out.drop_duplicates("moment").set_index("moment")["overlaps_other_moment"]
    assert flags.to_dict() == {"a": True, "b": True, "c": False}
    b_row = out.query("moment == 'b' and category == 'handelen'").iloc[0]
    assert (b_row["before_count"], b_row["after_count"]) == (5, 1)  # -30,-20,-10,-1,0 | 30


def test_effect_table_without_moments_is_empty_with_all_columns():
    empty = pd.DataFrame({MOMENT_TIME: pd.DatetimeIndex([], tz="UTC"), MOMENT_TEXT: []})
    out = effect_table(small_incident(), empty)
    assert out.empty and list(out.columns) == list(EFFECT_COLUMNS)


def test_effect_table_by_theme():
    out = effect_table(small_incident(), moments(0), by=THEME, window=HOUR)
    assert list(out["category"]) == [-1, 1, 2, 3]
    row = out.set_index("category").loc[1]
    assert (row["before_count"], row["after_count"]) == (6, 2)


def test_effect_table_rejects_naive_times_and_bad_by():
    msgs = small_incident()
    naive = msgs.assign(**{CREATED_AT: msgs[CREATED_AT].dt.tz_localize(None)})
    with pytest.raises(ValueError, match="timezone"):
        effect_table(naive, moments(0))
    with pytest.raises(ValueError, match="by must be"):
        effect_table(msgs, moments(0), by="sentiment")


def test_interpretation_says_association_not_cause():
    assert "geen bewijs" in INTERPRETATION["nl"]
    assert "not proof" in INTERPRETATION["en"]


# --- simulation: coverage and false positives -------------------------------------
def simulated_stream(seed: int, n_moments: int, rate: float, change: float):
    """Moments 3 h apart; around each, 1 h windows with Poisson arrivals.

    `handelen` has rate `rate` before and change*rate after; `vraag` never changes.
    """
    rng = np.random.default_rng(seed)
    hours, cats = [], []
    for k in range(n_moments):
        t = 3.0 * (k + 1)
        for cat, r in (("handelen", change), ("vraag", 1.0)):
            nb, na = rng.poisson(rate), rng.poisson(rate * r)
            hours += list(t - rng.uniform(0, 1, nb)) + list(t + rng.uniform(0, 1, na))
            cats += [(cat,)] * (nb + na)
    msgs = pd.DataFrame({CREATED_AT: T0 + pd.to_timedelta(np.array(hours), unit="h"),
                         CATEGORIES: pd.Series(cats, dtype=object)})
    moms = pd.DataFrame({MOMENT_TIME: T0 + pd.to_timedelta(3.0 * np.arange(1, n_moments + 1), unit="h")})
    period = (T0, T0 + pd.Timedelta(hours=3.0 * (n_moments + 1)))
    return msgs, moms, period


@pytest.mark.parametrize("change", [0.3, 0.5, 1.0, 2.0])
def test_rate_ratio_coverage_and_false_positives_by_simulation(change):
    # 400 independent moments per true ratio, 10 messages/hour per category before
    msgs, moms, period = simulated_stream(seed=int(change * 10), n_moments=400, rate=10, change=change)
    out = effect_table(msgs, moms, window=HOUR, period=period)
    changed = out[out["category"] == "handelen"]
    coverage = ((changed["ci_low"] <= change) & (change <= changed["ci_high"])).mean()
    assert 0.94 <= coverage <= 0.995  # Clopper-Pearson is conservative (measured 0.970-0.980)
    stable = out[out["category"] == "vraag"]
    false_positive = ((stable["ci_low"] > 1) | (stable["ci_high"] < 1)).mean()
    assert false_positive <= 0.06  # measured 0.0175-0.0375


def test_rate_ratio_coverage_many_small_counts():
    # vectorised: 20 000 pairs at 5 / hour, where the exact interval matters most
    rng = np.random.default_rng(7)
    for change in (0.3, 0.5, 1.0, 2.0):
        b, a = rng.poisson(5, 20_000), rng.poisson(5 * change, 20_000)
        _, lo, hi = rate_ratio(b, a, 1.0, 1.0)
        coverage = ((lo <= change) & (change <= hi)).mean()
        assert 0.95 <= coverage <= 0.995  # measured 0.974-0.991


def test_share_ratio_coverage_by_simulation():
    rng = np.random.default_rng(8)
    for p_before, p_after, volume in ((0.2, 0.2, 40), (0.2, 0.1, 40), (0.1, 0.3, 40),
                                      (0.05, 0.05, 40), (0.3, 0.3, 6)):  # last: tiny windows
        n_b, n_a = rng.poisson(volume, 5000), rng.poisson(volume, 5000)
        x_b, x_a = rng.binomial(n_b, p_before), rng.binomial(n_a, p_after)
        _, lo, hi = proportion_ratio(x_a, n_a, x_b, n_b)
        truth = p_after / p_before
        coverage = ((lo <= truth) & (truth <= hi)).mean()
        assert 0.93 <= coverage <= 0.98  # measured 0.95-0.97


# --- segmented regression ----------------------------------------------------------
def trend_stream(seed: int, n_moments: int, rate: float, slope: float, drop: float):
    """Moments 3 h apart; around each rate(s) = rate·exp(slope·s)·(drop if s >= 0), s in [-1, 1) h."""
    rng = np.random.default_rng(seed)
    top = rate * np.exp(abs(slope)) * max(drop, 1.0)
    hours = []
    for k in range(n_moments):
        n = rng.poisson(2 * top)  # thinning of a homogeneous stream at the top rate
        s = rng.uniform(-1, 1, n)
        lam = rate * np.exp(slope * s) * np.where(s >= 0, drop, 1.0)
        hours += list(3.0 * (k + 1) + s[rng.uniform(0, top, n) < lam])
    msgs = pd.DataFrame({CREATED_AT: T0 + pd.to_timedelta(np.array(hours), unit="h"),
                         CATEGORIES: pd.Series([("handelen",)] * len(hours), dtype=object)})
    times = [T0 + pd.Timedelta(hours=3.0 * (k + 1)) for k in range(n_moments)]
    return msgs, times, (T0, T0 + pd.Timedelta(hours=3.0 * (n_moments + 1)))


def test_segmented_covers_level_drop_where_naive_ratio_is_biased():
    # falling pre-trend (-0.5 per hour on the log scale) and a true level drop to 0.6
    msgs, times, period = trend_stream(seed=11, n_moments=400, rate=60, slope=-0.5, drop=0.6)
    res = [segmented_effect(msgs, t, "handelen", period=period) for t in times]
    coverage = np.mean([r["ci_low"] <= 0.6 <= r["ci_high"] for r in res])
    assert 0.93 <= coverage <= 0.99  # measured 0.9775
    assert np.median([r["level_ratio"] for r in res]) == pytest.approx(0.6, abs=0.05)
    # the simple before/after ratio mixes the trend into the effect: about 0.36, not 0.6
    naive = np.array([r["naive_ratio"] for r in res])
    assert np.median(naive) < 0.45
    _, lo, hi = rate_ratio(np.array([r["before_count"] for r in res]),
                           np.array([r["after_count"] for r in res]), 1.0, 1.0)
    assert np.mean((lo <= 0.6) & (0.6 <= hi)) < 0.5  # measured 0.38


def test_segmented_no_false_alarm_on_a_trend_without_change():
    msgs, times, period = trend_stream(seed=12, n_moments=400, rate=60, slope=-0.5, drop=1.0)
    res = [segmented_effect(msgs, t, "handelen", period=period) for t in times]
    false_positive = np.mean([not (r["ci_low"] <= 1 <= r["ci_high"]) for r in res])
    assert false_positive <= 0.06  # measured 0.035
    # the naive interval "sees" a drop that is only the trend (measured 0.805 of moments)
    _, lo, hi = rate_ratio(np.array([r["before_count"] for r in res]),
                           np.array([r["after_count"] for r in res]), 1.0, 1.0)
    assert np.mean(hi < 1) > 0.5


def test_segmented_recovers_a_noise_free_level_change():
    # deterministic counts: 5-min bins, 1000·exp(-0.3·s) per hour, halved from the moment on
    hours = []
    for i in range(-12, 12):
        mid = (i + 0.5) / 12
        n = round(1000 * np.exp(-0.3 * mid) * (0.5 if i >= 0 else 1.0) / 12)
        hours += list(i / 12 + (np.arange(n) + 0.5) / n / 12)
    msgs = pd.DataFrame({CREATED_AT: T0 + pd.to_timedelta(np.array(hours), unit="h"),
                         CATEGORIES: pd.Series([("handelen",)] * len(hours), dtype=object),
                         IS_OFFICIAL: False})
    res = segmented_effect(msgs, T0, "handelen", period=(at(-60), at(60)))
    assert res["converged"] and res["note"] == ""
    assert res["level_ratio"] == pytest.approx(0.5, rel=0.02)
    assert res["pre_trend_ratio_per_hour"] == pytest.approx(np.exp(-0.3), rel=0.03)
    assert res["slope_change_ratio_per_hour"] == pytest.approx(1.0, abs=0.05)
    assert res["ci_low"] < 0.5 < res["ci_high"]
    assert (res["n_bins_before"], res["n_bins_after"]) == (12, 12)
    assert res["observed_after"] == pytest.approx(0.5 * res["expected_after_without_change"], rel=0.03)


def test_segmented_reports_why_it_cannot_estimate():
    msgs = small_incident()
    res = segmented_effect(msgs, at(0), "vraag", period=(at(-60), at(60)))
    assert np.isnan(res["level_ratio"]) and "no messages" in res["note"]
    res = segmented_effect(msgs, at(0), None, period=(at(-10), at(60)))  # 2 bins before
    assert np.isnan(res["level_ratio"]) and "too few bins" in res["note"]
    with pytest.raises(ValueError, match="group must be"):
        segmented_effect(msgs, at(0), 1.5)


# --- key terms and uptake ------------------------------------------------------
def test_key_terms_of_an_instruction_and_a_denial():
    text = "Houd ramen en deuren dicht. Er is geen asbest vrijgekomen!"
    terms = {(k.term, k.kind) for k in key_terms(text)}
    for word in ("ramen", "deuren", "dicht", "asbest", "vrijgekomen"):
        assert (word, "woord") in terms
    assert ("ramen dicht", "woordpaar") in terms
    assert ("ramen en deuren dicht", "zin") in terms  # the verb dropped, as the public writes it
    assert ("geen asbest vrijgekomen", "zin") in terms  # negation kept in the phrase
    words = {t for t, kind in terms if kind == "woord"}
    assert not words & {"en", "er", "is", "geen"}
    # pairs never cross a sentence boundary
    assert ("dicht asbest", "woordpaar") not in terms


def test_term_uptake_counts_shares_before_and_after():
    texts = [
        (-50, "brand in de haven"),
        (-40, "ramen dicht of niet?"),  # "ramen" and "ramen dicht" before
        (-30, "wat een rook"),
        (-5, "dicht bij huis"),  # "dicht" but not "ramen dicht"
        (-4, "houd ramen en deuren dicht"),  # official: excluded
        (5, "ok ramen en deuren dicht gedaan"),  # the phrase
        (10, "ramen zijn dicht"),  # pair with one token between
        (20, "dicht ramen"),  # wrong order: not the pair
        (30, "stinkt hier"),
    ]
    msgs = pd.DataFrame({
        CREATED_AT: pd.DatetimeIndex([at(m) for m, _ in texts]),
        CLEAN_TEXT: [t for _, t in texts],
        IS_OFFICIAL: [m == -4 for m, _ in texts],
    })
    out = term_uptake(msgs, "Houd ramen en deuren dicht", at(0), HOUR).set_index("term")
    assert (out.loc["ramen", "before_count"], out.loc["ramen", "after_count"]) == (1, 3)
    assert (out.loc["ramen", "before_total"], out.loc["ramen", "after_total"]) == (4, 4)
    assert out.loc["ramen dicht", "before_count"] == 1
    assert out.loc["ramen dicht", "after_count"] == 2
    assert out.loc["ramen en deuren dicht", "after_count"] == 1
    assert out.loc["ramen", "after_share"] == pytest.approx(0.75)
    share, lo, hi = wilson_interval(3, 4)
    assert (out.loc["ramen", "after_ci_low"], out.loc["ramen", "after_ci_high"]) == pytest.approx((lo, hi))
    assert out.loc["ramen", "share_ratio"] == pytest.approx(3.0)


# --- moments CSV ---------------------------------------------------------------
def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_moments_from_csv_parses_local_utc_and_dutch_dates(tmp_path):
    path = write(tmp_path, "m.csv", (
        "time,text,channel,id\n"
        "2024-06-01 14:05,Houd ramen en deuren dicht,NL-Alert,a\n"  # CEST: UTC+2
        "2024-06-01T13:00:00Z,Er is geen asbest vrijgekomen,tweet,b\n"  # explicit UTC
        "01-02-2024 10:00,Update,,c\n"  # Dutch day-first: 1 February (CET: UTC+1)
    ))
    out = moments_from_csv(path)
    assert list(out[MOMENT_ID]) == ["c", "a", "b"]  # sorted by time
    assert list(out[MOMENT_TIME]) == [pd.Timestamp("2024-02-01 09:00", tz="UTC"),
                                      pd.Timestamp("2024-06-01 12:05", tz="UTC"),
                                      pd.Timestamp("2024-06-01 13:00", tz="UTC")]
    assert list(out[MOMENT_CHANNEL]) == ["overig", "nl-alert", "tweet"]


def test_moments_from_csv_rejects_dst_gap_naming_the_row(tmp_path):
    path = write(tmp_path, "m.csv", "time,text\n2024-03-31 01:30,ok\n2024-03-31 02:30,gap\n")
    with pytest.raises(ValueError, match=r"rij 2.*row 2.*bestaat niet.*does not exist"):
        moments_from_csv(path)


@pytest.mark.parametrize(("content", "message"), [
    ("time,text\n2024-10-27 02:30,x\n", "twee keer"),  # ambiguous autumn hour
    ("time,text\n2024-06-01 12:00,x\n2024-13-45 10:00,y\n", "rij 2.*unreadable"),
    ("time,text,channel\n2024-06-01 12:00,x,fax\n", "unknown channel"),
    ("tijd,text\n2024-06-01 12:00,x\n", "missing columns: time"),
    ("time,text,id\n2024-06-01 12:00,x,a\n2024-06-01 13:00,y,a\n", "unique"),
])
def test_moments_from_csv_rejects_bad_rows(tmp_path, content, message):
    with pytest.raises(ValueError, match=message):
        moments_from_csv(write(tmp_path, "m.csv", content))


# --- safe_csv ----------------------------------------------------------------
def test_safe_csv_neutralises_formulas_but_not_numbers(tmp_path):
    df = pd.DataFrame({
        "text": ["=HYPERLINK(\"x\")", "+31 6", "-rook", "@SUM(A1)", "\tx", "\rx", "gewoon"],
        "value": [-1.5, 2.0, 3.0, -4.0, 5.0, 6.0, 7.0],  # numbers stay numbers
        "codes": [("a", "b"), (), ("=c",), ("x",), ("x",), ("x",), ("x",)],
    })
    path = tmp_path / "out.csv"
    safe_csv(df, path)
    with path.open(newline="", encoding="utf-8") as fh:
        back = pd.DataFrame(list(csv.DictReader(fh)))
    assert list(back["text"]) == ["'=HYPERLINK(\"x\")", "'+31 6", "'-rook", "'@SUM(A1)",
                                  "'\tx", "'\rx", "gewoon"]
    assert list(back["value"]) == ["-1.5", "2.0", "3.0", "-4.0", "5.0", "6.0", "7.0"]
    assert list(back["codes"][:3]) == ["a;b", "", "'=c"]
    assert df["text"].iloc[0].startswith("=")  # input untouched
    assert ',-1.5,"a;b"' in path.read_text(encoding="utf-8")  # number unquoted, text quoted


# --- CLI -------------------------------------------------------------------------
def analyze_output(path, rows):
    """Write a file shaped like `python -m pipeline analyze` output."""
    df = pd.DataFrame({
        "id": [str(i) for i in range(len(rows))],
        "created_at": [at(m).strftime("%Y-%m-%dT%H:%M:%SZ") for m, _ in rows],
        "language": "nl", "relevant": True, "relevance": 0.9,
        "categories": [c for _, c in rows], "isb": "", "theme": 1, "theme_label": "brand",
        "sentiment": 0.0,
    })
    df.to_csv(path, index=False)
    return path


def test_cli_on_analyze_output(tmp_path, capsys):
    rows = [(-50 + 8 * i, "handelen") for i in range(6)]  # 6 before
    rows += [(-30, "vraag;handelen"), (10, "handelen"), (20, "gerucht"), (40, "")]
    src = analyze_output(tmp_path / "analyzed.csv", rows)
    mom = write(tmp_path, "m.csv", "time,text,id\n2024-06-01 14:00,Houd ramen dicht,=evil\n")  # 12:00 UTC
    out = tmp_path / "effect.csv"
    code = effect_cli.main([str(src), "--moments", str(mom), "--window", "60", "--out", str(out)])
    assert code == 0
    table = pd.read_csv(out, keep_default_na=False)
    assert list(table.columns[:len(CLI_COLUMNS)]) == list(CLI_COLUMNS)
    assert set(table["moment"]) == {"'=evil"}  # formula-safe
    row = table.set_index("category").loc["handelen"]
    assert (row["before_count"], row["after_count"]) == (7, 1)
    assert table.set_index("category").loc["vraag", "before_count"] == 1
    assert "geen bewijs" in capsys.readouterr().out


def test_cli_on_raw_export_uses_analyze_file(tmp_path, monkeypatch):
    calls = []

    def fake_analyze_file(path):
        calls.append(str(path))
        return frame([(-10, ("hulp",), 4, False), (10, ("hulp",), 4, False), (20, ("hulp",), 4, False)])

    monkeypatch.setattr(effect, "analyze_file", fake_analyze_file)
    raw = write(tmp_path, "export.json", '[{"text": "brand"}]')
    mom = write(tmp_path, "m.csv", "time,text\n2024-06-01T12:00:00+00:00,x\n")
    out = tmp_path / "effect.csv"
    assert effect_cli.main([str(raw), "--moments", str(mom), "--out", str(out), "--by", "theme"]) == 0
    assert calls == [str(raw)]
    table = pd.read_csv(out)
    assert (table.loc[0, "category"], table.loc[0, "before_count"], table.loc[0, "after_count"]) == (4, 1, 2)


def test_cli_reports_bad_moments_file(tmp_path, capsys):
    src = analyze_output(tmp_path / "analyzed.csv", [(-10, "handelen")])
    mom = write(tmp_path, "m.csv", "time,text\n2024-03-31 02:30,x\n")
    assert effect_cli.main([str(src), "--moments", str(mom), "--out", str(tmp_path / "o.csv")]) == 1
    assert "does not exist" in capsys.readouterr().err
    assert not (tmp_path / "o.csv").exists()


def test_cli_help_documents_every_option(capsys):
    with pytest.raises(SystemExit) as exit_info:
        effect_cli.main(["--help"])
    assert exit_info.value.code == 0
    text = capsys.readouterr().out
    for option in ("INPUT", "--moments", "--window", "--out", "--by", "--include-official",
                   "--relevant-only"):
        assert option in text
    assert "python -m pipeline effect" in text


def test_term_uptake_counts_polish_turkish_and_arabic_words():
    # The old Latin-1 tokeniser split "szkoła" into "szko" + "a" and dropped Arabic entirely.
    texts = [
        (-30, "czy szkoła jest otwarta?"),
        (-20, "okullar açık mı?"),
        (5, "szkoła zamknięta, dzieci w domu"),
        (6, "okullar kapalı, çocuklar evde"),
        (7, "المدارس مغلقة اليوم"),
        (8, "łąka za szkołą pachnie dymem"),  # another form: "szkołą" is not "szkoła"
    ]
    msgs = pd.DataFrame({
        CREATED_AT: pd.DatetimeIndex([at(m) for m, _ in texts]),
        CLEAN_TEXT: [t for _, t in texts],
        IS_OFFICIAL: [False] * len(texts),
    })
    for moment, term, before, after in (
        ("Szkoła zamknięta", "szkoła", 1, 1),
        ("Okullar kapalı", "okullar", 1, 1),
        ("Okullar kapalı", "kapalı", 0, 1),
        ("المدارس مغلقة", "المدارس", 0, 1),
    ):
        out = term_uptake(msgs, moment, at(0), HOUR).set_index("term")
        assert (out.loc[term, "before_count"], out.loc[term, "after_count"]) == (before, after), term
    from pipeline.views.effect import term_tokens

    assert term_tokens("łąka szkoła") == ["łąka", "szkoła"]

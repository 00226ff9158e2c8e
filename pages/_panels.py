"""Panels every screen shares: header, time banner, representativeness caveat, chart texts, accuracy.

Contract: `header(title, ctx)` draws the title with the incident name (escaped) and the
picture time, plus the "you are viewing T" banner with a back-to-now button (`time_banner`);
`representativeness_panel(ctx)` the fixed caveat with this view's figures (every analyst
page; `large=True` on the CoPI projection); `chart_text` a chart's text alternative (WCAG
1.1.1: a plain-text sentence and the data), `peak_sentence` that sentence for a time series;
`moment_rules` an Altair layer marking communication moments; `accuracy_note(code)` the
measured accuracy of a category in words. Message text is only ever shown as plain text.
Imports pages/_state, _text and _data (no page widget state of its own).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import streamlit as st

from pages._data import accuracy_table, accuracy_words_of, engine, view, view_codes
from pages._state import KEY_AT, LATEST, PageContext, back_to_now
from pages._text import TIME_FORMAT, escape_md, fmt_dec, fmt_int, fmt_time, lang, local_time, t, tr
from pipeline import schema as S
from pipeline.analysis.chain import known_mask
from pipeline.ingest.collect.sources import collected_summary
from pipeline.views.aggregate import representativeness

PANEL_TEXTS = {
    "sources": {"nl": "Live bronnen verzameld in dit venster: {ok} · niet (of met fouten) verzameld: "
                      "{not_ok}",
                "en": "Live sources collected in this window: {ok} · not (or with errors) collected: "
                      "{not_ok}"},
    "figures": {
        "nl": ("{messages} berichten van {authors} auteurs ({per_author} per auteur) · top-10 "
               "auteurs: {top10} · reposts: {reposts} · zelfde tekst door meerdere auteurs: {dups} · "
               "{bursts} kopieer-golven · platforms: {platforms} · niet in de data: {absent} · "
               "{gaps} gaten van >15 min in de aanvoer"),
        "en": ("{messages} messages from {authors} authors ({per_author} per author) · top-10 "
               "authors: {top10} · reposts: {reposts} · same text by several authors: {dups} · "
               "{bursts} copy bursts · platforms: {platforms} · not in the data: {absent} · "
               "{gaps} gaps of >15 min in the feed"),
    },
}


def _public(df: pd.DataFrame) -> pd.DataFrame:
    """Messages by the public: not from official accounts."""
    return df[~df[S.IS_OFFICIAL]] if not df.empty else df


def _representativeness(codes, rows, start: pd.Timestamp, end: pd.Timestamp) -> dict:
    """`aggregate.representativeness` of the public messages in view (views/live.py codes)."""
    return codes.representativeness(rows, start=start, end=end)


def _representativeness_of(df: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> dict:
    """`aggregate.representativeness` of the public messages of `df` (a page's own selection)."""

    return representativeness(_public(df), start=start, end=end)


def _representativeness_known(codes, rows, start: pd.Timestamp, end: pd.Timestamp, at: str, basis: str,
                              frame: pd.DataFrame) -> dict:
    """`_representativeness` of the rows known at `at` (`chain.as_of(frame, at, basis)`).

    The codes may hold more rows than `frame` (its rows are a prefix of them: the last messages
    were deleted on request, or another session is on a newer version); those rows count for
    nothing here. Before 2026-12-06 the two masks then differed in length and Nabespreking crashed.
    """
    known = np.zeros(len(rows), dtype=bool)
    of_frame = known_mask(frame, at, basis)[: len(rows)]
    known[: len(of_frame)] = of_frame
    return codes.representativeness(rows & known, start=start, end=end)


def representativeness_at(ctx: PageContext, start: pd.Timestamp, at: pd.Timestamp, basis: str) -> dict:
    """Return the caveat's figures for (start, at] as known at `at` (Nabespreking), from the codes.

    What the replayed CoPI picture counts: the figures of `aggregate.representativeness` of the
    relevant public messages of `as_of(frame, at, basis)` in (start, at], every platform and
    language (the replay shows them all); before 2026-12-06 every public message of [start, at],
    so the caveat named 1.443 authors under a picture of 1.180. Read from the incident's integer
    codes (views/live.py) with one mask: at a peak hour of a 1M incident the text-based figures
    took ~0,5 s per replay time.
    """
    return view_codes(replace(ctx, start=start, now=at), _representativeness_known, start, at,
                      at.isoformat(), basis, frame=True, filtered=False, relevant=True, after_start=True)


def representativeness_panel(ctx: PageContext, *, large: bool = False, figures: dict | None = None) -> None:
    """Show the fixed representativeness caveat with this view's figures (every page).

    `large` (the CoPI projection) draws it at ≥ 20 px, readable at 5 m (pages/_a11y.py CSS).
    `figures`: the figures when the page computed them for a selection of its own
    (`representativeness_at`).
    """
    if figures is not None:
        fig = figures
    elif large:  # CoPI: what its header counts, relevant public messages in (now - 1 h, now]
        fig = view_codes(ctx, _representativeness, ctx.start, ctx.now, relevant=True, after_start=True)
    elif not ctx.standard_selection():  # a page's own selection of messages
        fig = view(ctx, _representativeness_of, ctx.start, ctx.now)
    else:
        fig = view_codes(ctx, _representativeness, ctx.start, ctx.now)
    with st.container(border=True, key="lp_caveat_large" if large else "lp_caveat"):
        st.markdown(f"**{t('caveat_title')}**")
        st.caption(t("caveat", authors=fmt_int(fig["n_authors"]), messages=fmt_int(fig["n_messages"]),
                     top10=f"{fig['top10_share']:.0%}"))
        if large:  # the projection: the caveat itself, readable at 5 m; the details are on the pages
            return
        st.caption(tr(PANEL_TEXTS, "figures", messages=fmt_int(fig["n_messages"]),
                      authors=fmt_int(fig["n_authors"]), per_author=fmt_dec(fig["messages_per_author"], 1),
                      top10=f"{fig['top10_share']:.0%}", reposts=f"{fig['repost_share']:.0%}",
                      dups=f"{fig['duplicate_share']:.0%}",
                      bursts=len(fig["near_duplicate_bursts"]),
                      platforms=", ".join(fig["platforms"]) or "–",
                      absent=", ".join(fig["platforms_absent"]) or "–", gaps=len(fig["gaps"])))
        sources_line = _collected_sources_line(ctx)  # live sources (pipeline/collect), if any
        if sources_line:
            st.caption(escape_md(sources_line))


def _collected_sources_line(ctx: PageContext) -> str:
    """Return which live sources were / were not collected in this view's window ("" if none)."""

    ok, not_ok = collected_summary(engine(), int(ctx.incident["id"]), ctx.start, ctx.now)
    if not ok and not not_ok:
        return ""
    return tr(PANEL_TEXTS, "sources", ok=", ".join(ok) or "–", not_ok=", ".join(not_ok) or "–")


def header(title: str, ctx: PageContext) -> None:
    """Page title with the incident name and the time of this picture (plain text).

    A chosen picture time (not "now") shows as a banner with a "terug naar nu" button.
    """
    st.title(title)
    st.caption(f"{escape_md(ctx.incident['name'])} · {t('as_of')} {fmt_time(ctx.now, with_date=True)} · "
               f"{fmt_time(ctx.start)}–{fmt_time(ctx.now)}")
    time_banner(ctx)


def time_banner(ctx: PageContext) -> None:
    """Show "you are viewing the picture of T" with a back-to-now button when a time was chosen."""
    if st.session_state.get(KEY_AT, LATEST) == LATEST:
        return
    left, right = st.columns([4, 1], vertical_alignment="center")
    left.warning(t("banner_at", time=fmt_time(ctx.now, with_date=True)), icon="🕰️")
    right.button(t("back_to_now"), key="lp_back_to_now", on_click=back_to_now, type="primary")


# --- charts ---------------------------------------------------------------------------
def chart_text(summary: str, data: pd.DataFrame, columns: dict[str, str] | None = None) -> None:
    """The text alternative of a chart (WCAG 1.1.1): a sentence with the key numbers, and the data.

    `summary` is plain text (shown with st.text, never markdown); `data` is shown as a table
    behind an expander, with time columns as 24-hour local times and `columns` as headers.
    """
    st.text(summary)
    with st.expander("Gegevens van deze grafiek" if lang() == "nl" else "Data of this chart"):
        table = data.copy()
        for col in table.columns:
            if pd.api.types.is_datetime64_any_dtype(table[col]):
                table[col] = pd.to_datetime(table[col]).dt.strftime("%d-%m %H:%M")
        st.dataframe(table.rename(columns=columns or {}), hide_index=True, width="stretch")


def peak_sentence(times: pd.Series, counts: pd.Series, unit: str) -> str:
    """Return "Piek om 14:05 met 140 berichten per 5 min; totaal 1.260." for a time series."""
    if counts.empty or counts.sum() == 0:
        return t("no_data")
    i = int(counts.to_numpy().argmax())
    when = pd.Timestamp(times.iloc[i]).strftime("%H:%M")
    peak, total = fmt_int(counts.iloc[i]), fmt_int(counts.sum())
    if lang() == "en":
        return f"Peak at {when} with {peak} messages per {unit}; total {total}."
    return f"Piek om {when} met {peak} berichten per {unit}; totaal {total}."


def moment_rules(moments_df: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp):
    """Return an Altair layer of vertical markers for communication moments in [start, end]."""
    import altair as alt  # heavy optional dependency: imported on first use

    if moments_df.empty:
        return None
    m = moments_df[(moments_df[S.MOMENT_TIME] >= start) & (moments_df[S.MOMENT_TIME] <= end)]
    if m.empty:
        return None
    m = m.sort_values(S.MOMENT_TIME)
    rows, shown = moment_label_rows(m[S.MOMENT_TIME], m[S.MOMENT_CHANNEL].astype(str), start, end)
    data = pd.DataFrame({"tijd": local_time(m[S.MOMENT_TIME]), "kanaal": m[S.MOMENT_CHANNEL],
                         "tekst": m[S.MOMENT_TEXT].str.slice(0, 120),
                         "rij": [MOMENT_TOP_PX + MOMENT_ROW_PX * r for r in rows], "label": shown})
    rules = alt.Chart(data).mark_rule(color="#154273", strokeDash=[6, 3], strokeWidth=1.5).encode(
        x=alt.X("tijd:T", axis=alt.Axis(format=TIME_FORMAT)),
        tooltip=[alt.Tooltip("tijd:T", format=TIME_FORMAT), alt.Tooltip("kanaal:N"), alt.Tooltip("tekst:N")])
    labels = alt.Chart(data).mark_text(align="left", dx=3, color="#154273", fontSize=10).encode(
        x=alt.X("tijd:T", axis=alt.Axis(format=TIME_FORMAT)), y=alt.Y("rij:Q", scale=None),
        text=alt.Text("label:N"))
    return rules + labels


MOMENT_ROWS = 4  # label rows above the lines
MOMENT_TOP_PX, MOMENT_ROW_PX = 8, 13  # 10 px labels (a text box is 12-13 px high)
MOMENT_PLOT_PX = 600  # the narrowest plot the labels are laid out for (a chart beside its legend at 1 400 px)
MOMENT_CHAR_PX = 6.5  # a 10 px label's characters, rounded up ("persconferentie" 15 characters)


def moment_label_rows(times: pd.Series, channels: pd.Series, start: pd.Timestamp,
                      end: pd.Timestamp) -> tuple[list[int], list[str]]:
    """Return per moment (in time order) its label row and label: no two labels overlap.

    Each label takes the first row where it starts after the label before it in that row ends,
    laid out for a plot of `MOMENT_PLOT_PX` (a wider chart only spreads them further). A moment
    with no free row keeps its line and tooltip but no label (before: three rows in turn, so
    "persconferentie" ran into the next moment's "tweet", and moments minutes apart wrote over
    each other).
    """
    span = max((pd.Timestamp(end) - pd.Timestamp(start)).total_seconds(), 1.0)
    ends = [float("-inf")] * MOMENT_ROWS
    rows, shown = [], []
    for when, channel in zip(times, channels, strict=True):
        x = (pd.Timestamp(when) - pd.Timestamp(start)).total_seconds() / span * MOMENT_PLOT_PX
        free = next((r for r in range(MOMENT_ROWS) if ends[r] <= x), None)
        if free is None:
            rows.append(0)
            shown.append("")
            continue
        ends[free] = x + 3 + len(channel) * MOMENT_CHAR_PX + 4  # dx, the text, a gap
        rows.append(free)
        shown.append(channel)
    return rows, shown


OWN_TESTSET = "gold_nl"  # written by the team itself: an optimistic upper bound


def accuracy_note(code: str) -> str:
    """Return the measured accuracy of a category's classifier as a short text, or '' when not measured.

    Shows the team's own Dutch test set (labelled as such: optimistic) and, when the
    category was measured on independent real messages, the largest such set too.
    """
    words = accuracy_words_of(code, lang())
    if words:
        return " · ".join(words)
    table = accuracy_table()
    if table.empty:
        return ""
    rows = table[(table["category"] == code) & ~table["dataset"].str.contains("partly seen")]
    if code == "ruis" and rows["dataset"].str.contains("relevance").any():
        rows = rows[rows["dataset"].str.contains("relevance")]  # noise is decided by relevance
    if rows.empty:
        return ""  # not measured: each page says so in its own words

    def part(row, label: str) -> str:
        return (f"{label} F1 {fmt_dec(row['f1'])} ({fmt_dec(row['f1_low'])}–{fmt_dec(row['f1_high'])}, "
                f"n={int(row['n'])})")

    own = rows[rows["dataset"] == f"{OWN_TESTSET}/nl"]
    real = rows[~rows["dataset"].str.startswith(OWN_TESTSET)]
    real = real[real["language"] == "nl"] if (real["language"] == "nl").any() else real
    parts = []
    if not own.empty:
        parts.append(part(own.iloc[0], "eigen testset" if lang() == "nl" else "own test set"))
    if not real.empty:
        row = real.sort_values("n", ascending=False).iloc[0]
        parts.append(part(row, str(row["dataset"])))
    return " · ".join(parts)

"""Nabespreking: replay what was known, and what we said, at any time T of the incident.

The slider (5-minute steps) picks T. Everything below uses only the messages known at T,
with the analysis each got on arrival (`pipeline.views.timeline.analysis_at`: a filter on
the stored analysed columns, `pipeline.analysis.chain.as_of`; cached per T):
the CoPI picture at T (volume, top I-S-B items, rising themes, effect line),
the volume up to T with our communication moments, the report snapshots and
the advice up to T, and an export of the timeline (CSV and Markdown).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import altair as alt
import pandas as pd
import streamlit as st

from pages._context import page_context
from pages._data import analysed, engine, moments
from pages._live import live_refresh
from pages._login import allowed
from pages._panels import (
    chart_text,
    header,
    moment_rules,
    peak_sentence,
    representativeness_at,
    representativeness_panel,
)
from pages._state import KEY_AT, LATEST, chosen_filters
from pages._text import TIME_FORMAT, fmt_int, lang, local_time, show_chart, show_table, t, table_height, tr
from pipeline import schema as S
from pipeline.config import view_min_authors
from pipeline.render.export import safe_csv
from pipeline.views import timeline
from pipeline.views.aggregate import counts_over_time

TEXTS = {
    "title": {"nl": "Nabespreking", "en": "After-action review"},
    "slider": {"nl": "Wat was er bekend om", "en": "What was known at"},
    "basis_ingested": {
        "nl": "Een bericht telt mee vanaf het moment dat het binnenkwam in Luisterpost (ontvangen ≤ T).",
        "en": "A message counts from the moment it arrived in Luisterpost (received ≤ T)."},
    "basis_created": {
        "nl": ("Deze berichten zijn achteraf in één keer ingelezen, dus het moment van binnenkomst zegt "
               "niets. Daarom telt een bericht hier mee vanaf het moment dat het geplaatst is "
               "(geplaatst ≤ T): zo had het beeld eruitgezien bij een live aanvoer zonder vertraging."),
        "en": ("These messages were imported afterwards in one go, so their arrival time says nothing. "
               "A message therefore counts from the moment it was posted (posted ≤ T): the picture "
               "as it would have been with a live feed without delay.")},
    "fresh": {"nl": ("Thema's zoals ze er op dat moment uitzagen: een verse analyse van alleen "
                     "deze berichten."),
              "en": "Themes as they stood then: a fresh analysis of only these messages."},
    "filters_ignored": {"nl": "De nabespreking telt alle platforms en talen: de keuze in de zijbalk "
                              "({chosen}) geldt hier niet.",
                        "en": "The review counts every platform and language: the choice in the sidebar "
                              "({chosen}) does not apply here."},
    "known": {"nl": "Bekend op T", "en": "Known at T"},
    "known_help": {"nl": "Berichten van het publiek die op T bekend waren; de {n} berichten van officiële "
                         "accounts tellen niet mee (die staan als communicatiemomenten in de tijdlijn).",
                   "en": "Messages by the public known at T; the {n} messages of official accounts are not "
                         "counted (they are communication moments on the timeline)."},
    "hour": {"nl": "Relevant, laatste uur", "en": "Relevant, last hour"},
    "authors": {"nl": "Auteurs daarvan", "en": "Their authors"},
    "rising_n": {"nl": "Stijgende thema's", "en": "Rising themes"},
    "isb": {"nl": "Top I-S-B op T (laatste uur, ≥ {k} auteurs)",
            "en": "Top I-S-B at T (last hour, ≥ {k} authors)"},
    "rising": {"nl": "Stijgende thema's op T", "en": "Rising themes at T"},
    "none": {"nl": "Geen.", "en": "None."},
    "volume": {"nl": "Berichten tot T, met onze communicatiemomenten",
               "en": "Messages up to T, with our moments"},
    "said": {"nl": "Wat wij zeiden tot T", "en": "What we said up to T"},
    "col_channel": {"nl": "Kanaal", "en": "Channel"},
    "col_text": {"nl": "Tekst", "en": "Text"},
    "snapshots": {"nl": "Rapporten aan het CoPI tot T", "en": "Reports to the CoPI up to T"},
    "advice": {"nl": "Advies op de CoPI-projectie tot T", "en": "Advice on the CoPI projection up to T"},
    "export": {"nl": "Tijdlijn: wat was bekend en wat zeiden we, wanneer",
               "en": "Timeline: what was known and what we said, when"},
    "freq": {"nl": "Per", "en": "Per"},
    "csv": {"nl": "Tijdlijn als CSV", "en": "Timeline as CSV"},
    "md": {"nl": "Tijdlijn als Markdown", "en": "Timeline as Markdown"},
    "no_export": {"nl": "Uw rol mag geen tellingen exporteren.", "en": "Your role may not export counts."},
    "block": {"nl": "Blok", "en": "Block"},
    "kind": {"nl": "Soort", "en": "Kind"},
    "label": {"nl": "Onderwerp", "en": "Topic"},
    "count": {"nl": "Berichten", "en": "Messages"},
    "trend": {"nl": "Trend", "en": "Trend"},
    "recent": {"nl": "Laatste 30 min", "en": "Last 30 min"},
    "baseline": {"nl": "Uur ervoor", "en": "Hour before"},
    "ratio": {"nl": "Factor", "en": "Ratio"},
    "no_messages": {"nl": "Er zijn nog geen berichten.", "en": "There are no messages yet."},
}
FREQ_LABELS = {"15min": "15 min", "30min": "30 min", "60min": "60 min"}



@st.cache_resource(show_spinner=False, max_entries=24)
def _at(incident_id: int, version: tuple, at: str, basis: str):
    """What was known at `at`: a filter on the stored analysis (one per data version and T; read-only)."""
    result, _ = timeline.analysis_at(engine(), incident_id, pd.Timestamp(at), basis=basis,
                                     base=analysed(incident_id))
    return result


@st.cache_resource(show_spinner=False, max_entries=16)
def _steps(incident_id: int, version: tuple, _frame: pd.DataFrame) -> tuple[str, list[str]]:
    """The counting basis and the slider steps (once per data version)."""
    basis = timeline.arrival_basis(_frame)
    return basis, [ts.isoformat() for ts in timeline.time_steps(_frame, basis)]


@st.cache_resource(show_spinner=False, max_entries=48)
def _picture(incident_id: int, version: tuple, at: str, basis: str, k: int, language: str,
             _frame: pd.DataFrame, _moments: pd.DataFrame):
    """The key figures at T (once per data version, T and language)."""
    return timeline.picture(_frame, _moments, pd.Timestamp(at), min_authors=k, lang=language)


FOLLOWS_KEY = "nab_follows"  # the picture time the replay time T last followed
KEPT_KEY = "nab_kept"  # the replay time T, kept while another page runs (widget state is dropped)


@st.cache_resource(show_spinner=False, max_entries=48)
def _timeline(incident_id: int, version: tuple, at: str, freq: str, k: int, language: str,
              n_snaps: int, n_advice: int, _frame, _moments, _snaps, _advice) -> pd.DataFrame:
    """The exportable timeline up to T (once per data version, T, bucket size and language)."""
    return timeline.timeline_table(_frame, _moments, _snaps, _advice, until=pd.Timestamp(at), freq=freq,
                                   min_authors=k, lang=language)


# Column headers of the stored CoPI reports and advice (their stored names were shown as they were:
# "picture_at", "window_minutes").
SNAPSHOT_HEADERS = {
    "nl": {"version": "Versie", "picture_at": "Beeld van", "created_at": "Gemaakt", "author": "Door",
           "released": "Vrijgegeven", "advice": "Advies", "window_minutes": "Venster (min)"},
    "en": {"version": "Version", "picture_at": "Picture of", "created_at": "Made", "author": "By",
           "released": "Released", "advice": "Advice", "window_minutes": "Window (min)"},
}
ADVICE_HEADERS = {"nl": {"created_at": "Tijd", "author": "Door", "text": "Advies"},
                  "en": {"created_at": "Time", "author": "By", "text": "Advice"}}


def headers(table: dict[str, dict[str, str]]) -> dict[str, str]:
    """Return the column headers of `table` in the interface language."""
    return table.get(lang(), table["nl"])


def step_at(steps: list[str], wanted: pd.Timestamp) -> str:
    """Return the last replay step at or before `wanted` (the first step when all are later)."""
    earlier = [iso for iso in steps if pd.Timestamp(iso) <= wanted]
    return earlier[-1] if earlier else steps[0]


def step_label(iso: str, with_date: bool) -> str:
    """Format a slider step in local time."""
    return timeline.local(pd.Timestamp(iso)).strftime("%d-%m %H:%M" if with_date else "%H:%M")


ctx = page_context("nabespreking")
incident_id = int(ctx.incident["id"])
basis, steps = _steps(incident_id, ctx.version, ctx.all_messages)
if not steps:
    header(tr(TEXTS, "title"), ctx)
    live_refresh(ctx, signal=False)
    st.info(tr(TEXTS, "no_messages"))
    representativeness_panel(ctx)
    st.stop()
picked = st.session_state.get(KEY_AT, LATEST)  # the picture time chosen on any page ("Stand" above)
if st.session_state.get(FOLLOWS_KEY) != picked:  # the picture time changed (or first arrival): T follows it
    st.session_state[FOLLOWS_KEY] = picked
    st.session_state[KEPT_KEY] = steps[-1] if picked == LATEST else step_at(steps, pd.Timestamp(picked))
    st.session_state["nab_time"] = st.session_state[KEPT_KEY]
elif st.session_state.get("nab_time") not in steps:  # back from another page: Streamlit forgot the widget
    st.session_state["nab_time"] = st.session_state.get(KEPT_KEY)
if st.session_state.get("nab_time") not in steps:
    st.session_state["nab_time"] = steps[-1]
# The header names the replay time T, the time of every figure below (before 2026-12-06 it named the
# sidebar's picture time: "Stand 16:00" above "Wat was er bekend om 15:30").
header(tr(TEXTS, "title"), replace(ctx, now=pd.Timestamp(st.session_state["nab_time"])))
live_refresh(ctx, signal=False)


def _keep_time() -> None:
    st.session_state[KEPT_KEY] = st.session_state["nab_time"]  # survives a visit to another page


multi_day = timeline.local(pd.Timestamp(steps[0])).date() != timeline.local(pd.Timestamp(steps[-1])).date()
chosen = st.select_slider(tr(TEXTS, "slider"), steps, key="nab_time", on_change=_keep_time,
                          format_func=lambda iso: step_label(iso, multi_day))
at = pd.Timestamp(chosen)
st.caption(tr(TEXTS, "basis_" + basis) + " " + tr(TEXTS, "fresh"))
if any(chosen_filters()):  # what was known then, all of it: the sidebar's filters narrow other pages
    st.caption(tr(TEXTS, "filters_ignored", chosen=", ".join(v for f in chosen_filters() for v in f)))

result = _at(incident_id, ctx.version, chosen, basis)
frame = result.frame
moments_all = moments(incident_id)
moments_t = moments_all[moments_all[S.MOMENT_TIME] <= at] if len(moments_all) else moments_all
k = view_min_authors("nabespreking")
pic = _picture(incident_id, ctx.version, chosen, basis, k, lang(), frame, moments_t)

c1, c2, c3, c4 = st.columns(4)
official = int(frame[S.IS_OFFICIAL].astype(bool).sum()) if len(frame) else 0
# the public's messages, as the caveat, Overzicht and the chart count them; ours are moments
c1.metric(tr(TEXTS, "known"), fmt_int(len(frame) - official),
          help=tr(TEXTS, "known_help", n=fmt_int(official)))
c2.metric(tr(TEXTS, "hour"), fmt_int(pic.n_messages))
c3.metric(tr(TEXTS, "authors"), fmt_int(pic.n_authors))
c4.metric(tr(TEXTS, "rising_n"), fmt_int(len(pic.rising)))
st.caption(timeline.effect_line(pic.effect, lang()))  # fixed wording, category names, numbers
# the CoPI's language line of the hour before T (fixed wording, language names, numbers)
st.caption(timeline.language_line(pic.languages, k, lang()))

# One under the other at the page's full width: side by side (3:2) a laptop of 1400 px showed
# neither table's last columns (authors, trend; the rise) without scrolling sideways.
st.subheader(tr(TEXTS, "isb", k=k))
if pic.items.empty:
    st.caption(tr(TEXTS, "none"))
else:
    blocks = S.ISB_LABELS.get(lang(), S.ISB_LABELS["nl"])
    items = pic.items.assign(block=pic.items["block"].map(blocks))
    show_table(items[["block", "kind", "label", "count", "authors", "trend"]].rename(columns={
        "block": tr(TEXTS, "block"), "kind": tr(TEXTS, "kind"), "label": tr(TEXTS, "label"),
        "count": tr(TEXTS, "count"), "authors": t("authors"), "trend": tr(TEXTS, "trend")}),
        hide_index=True, width="stretch", height=table_height(len(items)), whole=(tr(TEXTS, "label"),))
st.subheader(tr(TEXTS, "rising"))
if pic.rising.empty:
    st.caption(tr(TEXTS, "none"))
else:
    show_table(pic.rising[["label", "recent", "baseline", "ratio"]].rename(columns={
        "label": tr(TEXTS, "label"), "recent": tr(TEXTS, "recent"),
        "baseline": tr(TEXTS, "baseline"), "ratio": tr(TEXTS, "ratio")}),
        {tr(TEXTS, "ratio"): 1}, hide_index=True, width="stretch", height=table_height(len(pic.rising), 15),
        whole=(tr(TEXTS, "label"),))

st.subheader(tr(TEXTS, "volume"))
public = frame[~frame[S.IS_OFFICIAL]] if len(frame) else frame
start = pd.Timestamp(steps[0])
volume = counts_over_time(public, by=None, freq="15min", start=start, end=at + pd.Timedelta(seconds=1))
volume = volume.assign(tijd=local_time(volume["bucket"]))
chart = alt.Chart(volume).mark_area(color="#154273", opacity=0.8).encode(
    x=alt.X("tijd:T", title=t("time"), scale=alt.Scale(domain=[
        local_time(pd.Series([start])).iloc[0].isoformat(),
        local_time(pd.Series([pd.Timestamp(steps[-1])])).iloc[0].isoformat()]),
        axis=alt.Axis(format=TIME_FORMAT)),
    y=alt.Y("count:Q", title=f"{t('messages')} / 15 min"),
    tooltip=[alt.Tooltip("tijd:T", format="%H:%M"), alt.Tooltip("count:Q")])
rules = moment_rules(moments_t, start, at)
show_chart((chart + rules if rules is not None else chart).properties(height=220), width="stretch")
chart_text(peak_sentence(volume["tijd"], volume["count"], "15 min"), volume[["tijd", "count"]],
           {"tijd": t("time"), "count": t("count")})

said, sent = st.columns(2)
with said:
    st.subheader(tr(TEXTS, "said"))
    if moments_t.empty:
        st.caption(tr(TEXTS, "none"))
    else:
        st.dataframe(pd.DataFrame({
            t("time"): moments_t[S.MOMENT_TIME].map(lambda ts: timeline.local(ts).strftime("%H:%M")),
            tr(TEXTS, "col_channel"): moments_t[S.MOMENT_CHANNEL],
            tr(TEXTS, "col_text"): moments_t[S.MOMENT_TEXT]}),
            hide_index=True, width="stretch", height=200)
with sent:
    st.subheader(tr(TEXTS, "snapshots"))
    snaps = timeline.load_snapshots(engine(), incident_id, until=at)
    if snaps.empty:
        st.caption(tr(TEXTS, "none"))
    else:
        st.dataframe(snaps.assign(
            picture_at=snaps["picture_at"].map(lambda ts: timeline.local(ts).strftime("%H:%M")),
            created_at=snaps["created_at"].map(lambda ts: timeline.local(ts).strftime("%d-%m %H:%M")))
            .rename(columns=headers(SNAPSHOT_HEADERS)), hide_index=True, width="stretch", height=200)
    advice = timeline.load_advice(engine(), incident_id, until=at)
    if len(advice):
        st.subheader(tr(TEXTS, "advice"))
        st.dataframe(advice.assign(created_at=advice["created_at"].map(
            lambda ts: timeline.local(ts).strftime("%d-%m %H:%M"))).rename(columns=headers(ADVICE_HEADERS)),
            hide_index=True, width="stretch")

st.subheader(tr(TEXTS, "export"))
freq = st.segmented_control(tr(TEXTS, "freq"), list(FREQ_LABELS), key="nab_freq", default="30min",
                            format_func=FREQ_LABELS.get) or "30min"
table = _timeline(incident_id, ctx.version, chosen, freq, k, lang(), len(snaps), len(advice), frame,
                  moments_t, snaps, advice)
# readable headers on screen ("themas", "categorieen" were the CSV's keys); the CSV keeps the keys
show_table(table.rename(columns=headers(timeline.TIMELINE_HEADERS)), hide_index=True, width="stretch",
           height=240)
if allowed(ctx.user, "export.aggregate_csv"):
    stamp = timeline.local(at).strftime("%Y%m%d-%H%M")
    d1, d2 = st.columns(2)
    d1.download_button(tr(TEXTS, "csv"), safe_csv(table), file_name=f"tijdlijn-{stamp}.csv",
                       mime="text/csv", key="nab_csv")
    per_author = public[S.AUTHOR].value_counts()
    top10 = per_author.head(10).sum() / len(public) if len(public) else 0.0
    markdown = timeline.timeline_markdown(
        table, incident=ctx.incident["name"], until=at, basis=basis, min_authors=k,
        caveat=t("caveat", authors=fmt_int(len(per_author)), messages=fmt_int(len(public)),
                 top10=f"{top10:.0%}"))
    d2.download_button(tr(TEXTS, "md"), markdown, file_name=f"tijdlijn-{stamp}.md",
                       mime="text/markdown", key="nab_md")
else:
    st.caption(tr(TEXTS, "no_export"))

# The caveat for the picture at T: the messages known at T, last hour.
view_start = at - timedelta(hours=1)
at_ctx = replace(ctx, all_messages=frame, scoped=frame,
                 messages=frame[(frame[S.CREATED_AT] >= view_start) & (frame[S.CREATED_AT] <= at)]
                 if len(frame) else frame,
                 start=view_start, now=at, version=(*ctx.version, "at", chosen))
representativeness_panel(at_ctx, figures=representativeness_at(ctx, view_start, at, basis))

"""CoPI-projectie: one calm, aggregate picture for the CoPI meeting, readable at 5 metres.

Shown: the time of the picture, per I-S-B block (and rumours) the top 3 themes
(or categories) of the last hour with a count and a trend arrow, the analyst's
advice, the effect of our last message in association wording, and the caveat.
Only aggregates of >= 10 distinct authors; no message text, no accounts. Theme
labels and the advice are untrusted text, so they are drawn in Altair charts
(large fonts), never as markdown. The picture refreshes itself in a fragment;
"Bevries" keeps the picture that was on screen (the advice stays live).

Advice is stored in `pipeline.views.timeline`'s `copi_advice` table (append-only,
with author and time) so the projection screen, other sessions and the
after-action review see it.
"""

from __future__ import annotations

import textwrap
from dataclasses import replace
from datetime import timedelta

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

from pages._context import page_context
from pages._data import analysed, data_version, engine, moments
from pages._live import refresh_seconds
from pages._login import allowed
from pages._panels import representativeness_panel, time_banner
from pages._state import KEY_AT, KEY_LANGUAGES, KEY_PLATFORMS, LATEST
from pages._text import escape_md, fmt_int, lang, show_chart, t, tr
from pipeline import schema as S
from pipeline.config import view_min_authors
from pipeline.governance import actions
from pipeline.views import timeline
from pipeline.views.aggregate import as_of_mask, time_slice, wrapped_label

TEXTS = {
    "title": {"nl": "Stand {time}", "en": "As of {time}"},
    "frozen": {"nl": "bevroren", "en": "frozen"},
    # a label holds only words ≥ k people wrote: with CoPI's larger k a theme's name can be shorter than on Nu
    "sub": {"nl": "{incident} · laatste uur · alleen onderwerpen en woorden van ≥ {k} verschillende auteurs "
                  "(themanamen daarom soms korter dan op Nu)",
            "en": "{incident} · last hour · only topics and words of ≥ {k} distinct authors "
                  "(theme names may therefore be shorter than on Now)"},
    "freeze": {"nl": "Bevries beeld", "en": "Freeze picture"},
    "freeze_help": {"nl": "Houd dit beeld vast tijdens de bespreking.",
                    "en": "Keep this picture during the discussion."},
    "advice": {"nl": "Advies", "en": "Advice"},
    "advice_edit": {"nl": "Advies voor het CoPI", "en": "Advice for the CoPI"},
    "advice_save": {"nl": "Advies opslaan", "en": "Save advice"},
    "advice_saved": {"nl": "Advies opgeslagen.", "en": "Advice saved."},
    "no_advice": {"nl": "(nog geen advies)", "en": "(no advice yet)"},
    "none": {"nl": "Niets met ≥ {k} auteurs", "en": "Nothing with ≥ {k} authors"},
    # short: a metric label is cut at its column width ("Relevante berichten (l…" at 1400 px); the
    # caption beside it says "laatste uur"
    "messages_hour": {"nl": "Relevante berichten", "en": "Relevant messages"},
    "authors_hour": {"nl": "Auteurs daarvan", "en": "Their authors"},
    "rising": {"nl": "Stijgende thema's", "en": "Rising themes"},
    "legend": {"nl": "▲ nieuw · ↑ minstens 1,5× het uur ervoor · ↓ hooguit 2/3 · → ongeveer gelijk · "
                     "elk bericht telt in één blok",
               "en": "▲ new · ↑ at least 1.5× the hour before · ↓ at most 2/3 · → about the same · "
                     "each message counts in one block"},
    "effect": {"nl": "Effect van ons laatste bericht", "en": "Effect of our last message"},
    "languages": {"nl": "Andere talen", "en": "Other languages"},
}
FREEZE_KEY = "copi_freeze"
ADVICE_KEY = "copi_advice"
FROZEN_KEY = "copi_frozen"
LAST_KEY = "copi_last"
BLUE, GREY, LIGHT = "#154273", "#535353", "#DCE6F0"
FONT = "RijksoverheidSans, Verdana, sans-serif"
LINE_PX = 21  # line height of a label (20 px bold)
LABEL_LINES = 2
ROW_PX = LABEL_LINES * LINE_PX + 28  # a label of up to two lines above its bar and count
TOP_PX = 2  # room between the block's heading and its first label
LABEL_CHARS = 24  # characters per label line (20 px bold in a quarter of a 1920 px screen)
# Narrower blocks (a laptop at 1400-1600 px) wrap the label shorter (and the narrowest in 17 px),
# chosen in the browser from the chart's own width: (minimum chart width in px, characters per
# line, font px). Two lines at most, so the projection still fits 1920 x 1080 without scrolling.
LABEL_FITS = ((285, LABEL_CHARS, 20), (205, 18, 20), (0, 16, 17))
TITLE_PX = 44  # Streamlit fits the title inside the chart height
LANGUAGE_CHARS = 48  # the language line under the figures: half the width at 1400 px, 18 px
BAR_ROOM = 2.0  # the longest bar ends at half the width: room for the count (e.g. "1.234 ▲")



@st.cache_resource(show_spinner=False, max_entries=16)
def _picture(incident_id: int, version: tuple, at: str, platforms: tuple, languages: tuple,
             language: str, _frame: pd.DataFrame | None = None) -> timeline.Picture:
    """The picture for one data version and filter (shared by sessions; read-only).

    `_frame`: the analysed frame of that version when the caller has it (not hashed).
    """
    frame = analysed(incident_id, version).frame if _frame is None else _frame
    if platforms:
        frame = frame[frame[S.PLATFORM].isin(platforms)]
    if languages:
        frame = frame[frame[S.LANGUAGE].isin(languages)]
    return timeline.picture(frame, moments(incident_id), pd.Timestamp(at),
                            min_authors=view_min_authors("copi"), lang=language)


def current(ctx) -> tuple[timeline.Picture, object]:
    """Return the picture and a context for the caveat, from the data as it is now."""
    incident_id = int(ctx.incident["id"])
    version = data_version(incident_id)  # read once per refresh (one primary-key read)
    result = analysed(incident_id, version)
    frame = result.frame
    now = (min(pd.Timestamp.now(tz="UTC"), frame[S.CREATED_AT].max() + pd.Timedelta(seconds=1))
           if not frame.empty else pd.Timestamp.now(tz="UTC"))
    chosen = st.session_state.get(KEY_AT, LATEST)  # the sidebar's "picture at time"
    if chosen != LATEST:
        now = min(now, pd.Timestamp(chosen))
    platforms = tuple(st.session_state.get(KEY_PLATFORMS) or ())
    languages = tuple(st.session_state.get(KEY_LANGUAGES) or ())
    start = now - timeline.PICTURE_WINDOW
    # the caveat counts exactly what the header counts: relevant public messages in (start, now]
    recent = time_slice(frame, start, now)  # the hour shown, cut first (a 1M frame, issue 15)
    keep = np.ones(len(recent), dtype=bool)
    if platforms:
        keep &= recent[S.PLATFORM].isin(platforms).to_numpy()
    if languages:
        keep &= recent[S.LANGUAGE].isin(languages).to_numpy()
    if S.RELEVANT in recent:
        keep &= recent[S.RELEVANT].fillna(False).astype(bool).to_numpy()
    scope = as_of_mask(frame, now)
    if platforms:
        scope &= frame[S.PLATFORM].isin(platforms).to_numpy()
    if languages:
        scope &= frame[S.LANGUAGE].isin(languages).to_numpy()
    fresh = replace(ctx, all_messages=frame, scoped=frame if scope.all() else frame[scope],
                    messages=recent[keep], start=start,
                    end=frame[S.CREATED_AT].max() if not frame.empty else now, now=now,
                    theme_model=result.theme_model, version=version)
    pic = _picture(incident_id, version, now.isoformat(), platforms, languages, lang(), _frame=frame)
    return pic, fresh


def block_chart(items: pd.DataFrame, vmax: int, title: str) -> alt.Chart:
    """Per item a label (wrapped to the block's width, two lines at most) above a bar with "count arrow".

    Vega text does not wrap by itself: the label is wrapped in Python for each `LABEL_FITS` width
    and the browser picks the one that fits the chart's width (`width` signal), so a laptop shows
    whole words on two lines instead of one line cut with "…". The label sits right above
    its bar whatever its number of lines (y in pixels, computed in the browser).
    """
    data = items.reset_index(drop=True).assign(
        rank=lambda d: d.index, edge=float(vmax) * BAR_ROOM, zero=0.0,
        bar_y=lambda d: TOP_PX + d.index * ROW_PX + LABEL_LINES * LINE_PX + 13,
        right=lambda d: d["count"].map(fmt_int).astype("str") + " " + d["trend"],
        name=lambda d: d["label"].map(lambda v: wrapped_label(v, LABEL_CHARS)))
    for k, (_px, chars, _font) in enumerate(LABEL_FITS):
        data[f"fit{k}"] = data["label"].map(lambda v, c=chars: wrapped_label(v, c, LABEL_LINES))
    pick = [f"width >= {px} ? datum.fit{k}" for k, (px, _c, _f) in enumerate(LABEL_FITS[:-1])]
    shown = " : ".join([*pick, f"datum.fit{len(LABEL_FITS) - 1}"])
    font = " : ".join([*(f"width >= {px} ? {f}" for px, _c, f in LABEL_FITS[:-1]), str(LABEL_FITS[-1][2])])
    x_scale = alt.Scale(domain=[0, float(vmax) * BAR_ROOM])
    y_px = alt.Scale(domain=[0, TOP_PX + ROW_PX * 3], range=[0, TOP_PX + ROW_PX * 3])  # pixels from the top
    base = alt.Chart(data)
    bars = base.mark_rule(color=LIGHT, strokeWidth=14).encode(
        x=alt.X("zero:Q", axis=None, scale=x_scale), x2=alt.X2("count:Q"),
        y=alt.Y("bar_y:Q", axis=None, scale=y_px))
    names = base.transform_calculate(shown=shown).transform_calculate(
        text_y=f"{TOP_PX} + datum.rank * {ROW_PX} + ({LABEL_LINES} - length(split(datum.shown, '\\n')))"
               f" * {LINE_PX}"
    ).mark_text(
        align="left", baseline="top", fontSize=alt.ExprRef(font), lineHeight=LINE_PX, lineBreak="\n",
        font=FONT, color="#1A1A1A", fontWeight="bold", limit=alt.ExprRef("width")).encode(
        x=alt.XValue(0), y=alt.Y("text_y:Q", axis=None, scale=y_px),
        text=alt.Text("shown:N"))  # wrapped to fit; "…" only past two lines
    counts = base.mark_text(align="right", baseline="middle", fontSize=24, font=FONT,
                            color=BLUE, fontWeight="bold").encode(
        x=alt.X("edge:Q", axis=None, scale=x_scale), y=alt.Y("bar_y:Q", axis=None, scale=y_px),
        text=alt.Text("right:N"))
    description = f"{title}: " + "; ".join(
        f"{name} {count} {arrow}".strip() for name, count, arrow in
        zip(data["name"].str.replace("\n", " "), data["count"].map(fmt_int), data["trend"], strict=True))
    chart = alt.layer(bars, names, counts).properties(height=TOP_PX + ROW_PX * 3, width="container",
                                                      description=description)
    return chart.configure_view(stroke=None)


def packed_lines(text: str, width: int, sep: str = " · ") -> list[str]:
    """Return `text` on lines of at most `width` characters, broken between its `sep` parts when one fits."""
    lines: list[str] = []
    for part in " ".join(str(text).split()).split(sep):
        if lines and len(lines[-1]) + len(sep) + len(part) <= width:
            lines[-1] += sep + part
        else:
            lines.extend(textwrap.wrap(part, width=width) or [""])
    return lines or [""]


def lines_chart(text: str, *, label: str, size: int, width: int, color: str) -> alt.Chart:
    """Draw a short fixed-wording text (no message text) on as many lines of `width` characters as it needs.

    Broken between its " · " parts where one fits (`packed_lines`). One text mark with line
    breaks and a fixed line height: the lines never overlap, whatever their number (an ordinal
    row scale squeezes two lines into one in a low chart).
    """
    wrapped = packed_lines(text, width)
    line_px = round(size * 1.3)
    chart = (alt.Chart(pd.DataFrame({"text": ["\n".join(wrapped)]}))
             .mark_text(align="left", baseline="top", fontSize=size, font=FONT, color=color,
                        lineBreak="\n", lineHeight=line_px)
             .encode(x=alt.XValue(0), y=alt.YValue(0), text=alt.Text("text:N"))
             .properties(height=line_px * len(wrapped), width="container",
                         description=_described(label, " ".join(wrapped))))
    return chart.configure_view(stroke=None)


def _described(label: str, text: str) -> str:
    """Return a chart's description for screen readers: its label, then its text (once)."""
    return text if text.startswith(label) else f"{label}: {text}"


def _title(text: str) -> alt.Title:
    return alt.Title(text, anchor="start", fontSize=28, font=FONT, color=BLUE, fontWeight="bold",
                     offset=14)


def text_chart(text: str, *, title: str, size: int = 30, width: int = 70, lines: int = 4,
               color: str = "#1A1A1A", label: str = "", tail: str = "") -> alt.Chart:
    """Draw untrusted text (advice) as an Altair text mark in large type, wrapped.

    Text past `lines` lines ends in "…"; `tail` (the effect's "not proof of effect") follows on
    lines of its own and is never shortened: `text` gets the lines it leaves.
    """
    kept = textwrap.wrap(" ".join(str(tail).split()), width=width)
    room = max(lines - len(kept), 1)
    full = textwrap.wrap(" ".join(str(text).split()), width=width)
    wrapped = full[:room] or [""]
    if len(full) > room:
        wrapped[-1] = textwrap.shorten(wrapped[-1] + " …", width, placeholder=" …")
    wrapped += kept
    lines = max(lines, len(wrapped))
    data = pd.DataFrame({"line": wrapped, "i": range(len(wrapped))})
    rows = alt.Scale(domain=list(range(lines)))
    chart = (alt.Chart(data)
             .mark_text(align="left", baseline="top", fontSize=size, font=FONT, color=color)
             .encode(x=alt.XValue(0), y=alt.Y("i:O", axis=None, scale=rows), text=alt.Text("line:N"))
             .properties(height=int(size * 1.45 * lines) + (TITLE_PX if title else 0), width="container",
                         description=f"{title or label}: {' '.join(wrapped)}",
                         **({"title": _title(title)} if title else {})))
    return chart.configure_view(stroke=None)


def draw(pic: timeline.Picture, fresh, advice: str, frozen: bool) -> None:
    """Draw the whole projection (pure function of the picture)."""
    k = pic.min_authors
    stamp = timeline.local(pic.at).strftime("%H:%M")
    title = tr(TEXTS, "title", time=stamp) + (f" · {tr(TEXTS, 'frozen')}" if frozen else "")
    head, right = st.columns([3, 3], vertical_alignment="bottom")
    head.title(title)
    head.caption(tr(TEXTS, "sub", incident=escape_md(fresh.incident["name"]), k=k)
                 + (f" · {t('demo_badge')}" if fresh.incident.get("is_demo") else "")
                 + f"  \n{tr(TEXTS, 'legend')}")
    with right:
        m1, m2, m3 = st.columns(3)
        m1.metric(tr(TEXTS, "messages_hour"), fmt_int(pic.n_messages))
        m2.metric(tr(TEXTS, "authors_hour"), fmt_int(pic.n_authors))
        m3.metric(tr(TEXTS, "rising"), fmt_int(len(pic.rising)))
        # residents or visitors who read another language, also when none of their themes is in a
        # block's top three: under the figures, in the room the caption beside them leaves (the
        # projection fits 1920 x 1080); fixed words, language names, numbers (>= k authors each)
        show_chart(lines_chart(timeline.language_line(pic.languages, k, lang()),
                               label=tr(TEXTS, "languages"), size=18, width=LANGUAGE_CHARS,
                               color=BLUE if len(pic.languages) else GREY), width="stretch")
    items = pic.items
    vmax = int(items["count"].max()) if len(items) else 1
    cols = st.columns(4, gap="medium")
    names = S.ISB_LABELS.get(lang(), S.ISB_LABELS["nl"])
    for col, block in zip(cols, timeline.BLOCKS, strict=True):
        mine = items[items["block"] == block]
        with col, st.container(border=True, key=f"lp_copi_block_{block}"):
            st.subheader(names[block], anchor=False)  # a constant name: a heading that wraps, never cut
            if mine.empty:
                chart = text_chart(tr(TEXTS, "none", k=k), title="", size=22, width=18,
                                   lines=3, color=GREY, label=names[block])
            else:
                chart = block_chart(mine, vmax, names[block])
            show_chart(chart, width="stretch")
    left, right = st.columns(2, gap="medium")
    with left, st.container(border=True):
        st.subheader(tr(TEXTS, "advice"), anchor=False)  # a heading wraps, a chart title is cut
        show_chart(text_chart(advice or tr(TEXTS, "no_advice"), title="", label=tr(TEXTS, "advice"),
                                   size=22, width=36, lines=3,
                                   color="#1A1A1A" if advice else GREY), width="stretch")
    with right, st.container(border=True):
        st.subheader(tr(TEXTS, "effect"), anchor=False)
        # fixed wording, category names and numbers only (no message or moment text)
        facts, caveat = timeline.effect_parts(pic.effect, lang())
        # four lines of 46 characters at 18 px (as high as before, so the projection still fits
        # 1920×1080, and as wide as the block is on a 1400 px laptop): the figures on three lines,
        # "geen bewijs van effect" on its own and never cut
        show_chart(text_chart(facts, title="", label=tr(TEXTS, "effect"), size=18, width=46, lines=4,
                              color=BLUE, tail=caveat), width="stretch")
    representativeness_panel(fresh, large=True)


def _freeze_changed() -> None:
    if st.session_state.get(FREEZE_KEY):
        st.session_state[FROZEN_KEY] = st.session_state.get(LAST_KEY)
    else:
        st.session_state.pop(FROZEN_KEY, None)


def advice_editor(ctx) -> None:
    """Sidebar editor for the advice (analist and beheerder); saved per incident."""
    incident_id = int(ctx.incident["id"])
    if ADVICE_KEY not in st.session_state:
        st.session_state[ADVICE_KEY] = timeline.latest_advice(engine(), incident_id)
    with st.sidebar, st.form("copi_advice_form", border=True):
        st.text_area(tr(TEXTS, "advice_edit"), key=ADVICE_KEY, max_chars=timeline.MAX_ADVICE_CHARS,
                     height=140)
        if st.form_submit_button(tr(TEXTS, "advice_save"), type="primary"):
            actions.save_copi_advice(engine(), ctx.user, incident_id, st.session_state[ADVICE_KEY])
            st.toast(tr(TEXTS, "advice_saved"))


st.set_page_config(layout="wide")  # also when this page runs on its own (projection)
ctx = page_context("copi")
time_banner(ctx)  # a chosen picture time is never shown as if it were now
with st.sidebar:
    st.toggle(tr(TEXTS, "freeze"), key=FREEZE_KEY, help=tr(TEXTS, "freeze_help"),
              on_change=_freeze_changed)
if allowed(ctx.user, "copi.advice"):
    advice_editor(ctx)


@st.fragment(run_every=timedelta(seconds=refresh_seconds()))
def projection() -> None:
    """The self-refreshing picture (no widgets inside: nothing resets on refresh)."""
    frozen = st.session_state.get(FREEZE_KEY) and st.session_state.get(FROZEN_KEY)
    if frozen:
        pic, fresh = st.session_state[FROZEN_KEY]
    else:
        pic, fresh = current(ctx)
        st.session_state[LAST_KEY] = (pic, fresh)
        if st.session_state.get(FREEZE_KEY):  # frozen before anything was shown
            st.session_state[FROZEN_KEY] = (pic, fresh)
    advice = timeline.latest_advice(engine(), int(ctx.incident["id"]))
    with st.container(key="lp_copi"):
        draw(pic, fresh, advice, bool(st.session_state.get(FREEZE_KEY)))


projection()

"""Nu: the last 30 or 60 minutes against the hour before, readable in twenty seconds.

Always computed on the platform/language-filtered messages up to the time of the
picture (`ctx.scoped`, `ctx.now`); the sidebar time window does not apply here.
Theme labels and generated sentences that contain them are shown as plain text.
"""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import streamlit as st

from pages._context import page_context
from pages._data import view
from pages._live import rising_now
from pages._panels import accuracy_note, header, representativeness_panel
from pages._text import fmt_dec, fmt_int, fmt_time, lang, tr
from pipeline import schema as S
from pipeline.config import view_min_authors
from pipeline.views.aggregate import (
    LANGUAGE_NAMES,
    TREND_MIN_COUNT,
    TREND_UP_RATIO,
    scan_bullets,
    shares,
    time_slice,
    window_compare,
)

BASELINE = timedelta(hours=1)
WINDOW_MINUTES = (30, 60)
BLOCKS = (S.INFORMATIEBEHOEFTE, S.SCHADEBEPERKING, S.BETEKENISGEVING, S.GERUCHTEN)

TEXTS = {
    "title": {"nl": "Nu", "en": "Now"},
    "window": {"nl": "Kijk naar de laatste", "en": "Look at the last"},
    "minutes": {"nl": "{n} min", "en": "{n} min"},
    "scope": {"nl": ("Laatste {n} minuten ({start}–{now}) vergeleken met het uur daarvoor "
                     "({b_start}–{start}). Het tijdvenster in de zijbalk geldt hier niet."),
              "en": ("Last {n} minutes ({start}–{now}) compared with the hour before "
                     "({b_start}–{start}). The sidebar time window does not apply here.")},
    "messages": {"nl": "Berichten (laatste {n} min)", "en": "Messages (last {n} min)"},
    "rate": {"nl": "Per uur", "en": "Per hour"},
    "change": {"nl": "T.o.v. het uur ervoor", "en": "Vs the hour before"},
    "rate_before": {"nl": "uur ervoor: {rate} per uur", "en": "hour before: {rate} per hour"},
    "new": {"nl": "nieuw", "en": "new"},
    "same": {"nl": "gelijk", "en": "unchanged"},
    "scan": {"nl": "Wat speelt er", "en": "What is going on"},
    "scan_none": {"nl": "Geen onderwerp met genoeg verschillende auteurs (≥ {k}) in dit venster.",
                  "en": "No topic with enough distinct authors (≥ {k}) in this window."},
    "scan_note": {"nl": ("Categorieën met minstens {k} verschillende auteurs, over het incident, "
                         "zonder officiële accounts. Nooit een citaat."),
                  "en": ("Categories with at least {k} distinct authors, about the incident, "
                         "official accounts left out. Never a quote.")},
    "rising": {"nl": "Opkomende thema's", "en": "Rising themes"},
    "rising_none": {"nl": "Geen thema dat nu snel groeit.", "en": "No theme is growing fast now."},
    "rising_note": {"nl": ("Gemarkeerd bij ≥ {min} berichten over het incident en minstens {ratio} het "
                           "tempo van het uur ervoor, van ≥ {k} verschillende auteurs: dezelfde regel als de "
                           "zijbalk, CoPI en Nabespreking (die twee noemen alleen thema's van ≥ {k_copi} "
                           "auteurs)."),
                    "en": ("Flagged at ≥ {min} messages about the incident and at least {ratio} the rate of "
                           "the hour before, from ≥ {k} distinct authors: the same rule as the sidebar, CoPI "
                           "and the review (those two name only themes of ≥ {k_copi} authors).")},
    "categories": {"nl": "Categorieën", "en": "Categories"},
    "categories_note": {"nl": ("Aantal berichten in de laatste {n} min; pijl = tempo per uur t.o.v. "
                               "het uur ervoor. Onder elke categorie de gemeten nauwkeurigheid van "
                               "de automatische indeling (F1 met 95%-interval): een lage F1 "
                               "betekent dat het aantal een ruwe schatting is."),
                        "en": ("Messages in the last {n} min; arrow = rate per hour vs the hour "
                               "before. Under each category the measured accuracy of the "
                               "automatic classification (F1 with 95% interval): a low F1 means "
                               "the count is a rough estimate.")},
    "accuracy": {"nl": "Gemeten: {note}", "en": "Measured: {note}"},
    "not_measured": {"nl": "Nauwkeurigheid nog niet gemeten", "en": "Accuracy not yet measured"},
    "languages": {"nl": "Talen", "en": "Languages"},
    "no_data": {"nl": "Geen berichten in de laatste {n} minuten.",
                "en": "No messages in the last {n} minutes."},
}


def _nu_figures(df: pd.DataFrame, now: pd.Timestamp, minutes: int, k: int, language: str) -> dict:
    """Return everything the Nu page shows, for (now - minutes, now] vs the hour before."""
    window = timedelta(minutes=minutes)
    # only (now - window - BASELINE, now] counts: cut the whole incident to that first (issue 15)
    df = time_slice(df, now - window - BASELINE, now)
    public = df[~df[S.IS_OFFICIAL]]
    volume = window_compare(public, None, now, window, BASELINE)
    relevant = public[public[S.RELEVANT]]
    cats = window_compare(relevant, S.CATEGORIES, now, window, BASELINE)
    recent = public[(public[S.CREATED_AT] > now - window) & (public[S.CREATED_AT] <= now)]
    return {
        "volume": volume,
        "categories": cats,
        "languages": shares(recent, S.LANGUAGE),
        "bullets": scan_bullets(df, now, window, min_authors=k, lang=language),
        "n_recent": len(recent),
    }


def _change(recent_rate: float, baseline_rate: float, baseline: int) -> str:
    """Return the change of the hourly rate as "+25%", "−40%", "nieuw" or "gelijk"."""
    if baseline == 0:
        return tr(TEXTS, "new") if recent_rate > 0 else tr(TEXTS, "same")
    pct = round((recent_rate / baseline_rate - 1) * 100)
    if pct == 0:
        return tr(TEXTS, "same")
    return f"{pct:+d}%"


def _row(table: pd.DataFrame, group: object) -> dict:
    """Return the window_compare row of `group` (zeros when absent)."""
    rows = table[table["group"] == group]
    if rows.empty:
        return {"recent": 0, "baseline": 0, "recent_rate": 0.0, "baseline_rate": 0.0}
    return rows.iloc[0].to_dict()


def _language_line(table: pd.DataFrame) -> str:
    """Return "Nederlands 86% · Engels 6% · …" (names in the interface language)."""
    names = LANGUAGE_NAMES.get(lang(), LANGUAGE_NAMES["nl"])
    other = "onbekend" if lang() == "nl" else "unknown"
    return " · ".join(f"{names.get(g, other if g == S.UNDETERMINED_LANGUAGE else g)} {s:.0%}"
                      for g, s in zip(table["group"], table["share"], strict=True))


ctx = page_context("nu")
header(tr(TEXTS, "title"), ctx)
k = view_min_authors("nu")
minutes = int(st.segmented_control(tr(TEXTS, "window"), WINDOW_MINUTES, key="nu_window",
                                   default=30, required=True,
                                   format_func=lambda n: tr(TEXTS, "minutes", n=n)))
fig = view(ctx, _nu_figures, ctx.now, minutes, k, lang(), scope="all")
# the one rule of the sidebar, CoPI and Nabespreking (relevant messages, >= k authors, label
# re-checked for k), over the window chosen here: the sidebar's own view at 30 minutes
rising = rising_now(ctx, k, timedelta(minutes=minutes))
cut = ctx.now - timedelta(minutes=minutes)
st.caption(tr(TEXTS, "scope", n=minutes, start=fmt_time(cut), now=fmt_time(ctx.now),
              b_start=fmt_time(cut - BASELINE)))

total = _row(fig["volume"], "alle")
c1, c2, c3 = st.columns(3)
c1.metric(tr(TEXTS, "messages", n=minutes), fmt_int(total["recent"]))
c2.metric(tr(TEXTS, "rate"), fmt_int(round(total["recent_rate"])),
          help=tr(TEXTS, "rate_before", rate=fmt_int(round(total["baseline_rate"]))))
c3.metric(tr(TEXTS, "change"), _change(total["recent_rate"], total["baseline_rate"],
                                       total["baseline"]),
          delta=tr(TEXTS, "rate_before", rate=fmt_int(round(total["baseline_rate"]))),
          delta_color="off", delta_arrow="off")

if fig["n_recent"] == 0:
    st.info(tr(TEXTS, "no_data", n=minutes))

left, right = st.columns([3, 2])
with left, st.container(border=True):
    st.subheader(tr(TEXTS, "scan"))
    # generated sentences that contain theme labels: plain text only
    for bullet in fig["bullets"]:
        st.text("• " + bullet)
    if not fig["bullets"]:
        st.text(tr(TEXTS, "scan_none", k=k))
    st.caption(tr(TEXTS, "scan_note", k=k))
with right, st.container(border=True):
    st.subheader(tr(TEXTS, "rising"))
    for reason in rising["reason"]:
        st.text("↑ " + reason)
    if rising.empty:
        st.text(tr(TEXTS, "rising_none"))
    st.caption(tr(TEXTS, "rising_note", min=max(TREND_MIN_COUNT, k), k=k, k_copi=view_min_authors("copi"),
                  ratio=fmt_dec(TREND_UP_RATIO, 1) + "×"))

st.subheader(tr(TEXTS, "categories"))
st.caption(tr(TEXTS, "categories_note", n=minutes))
for column, block in zip(st.columns(len(BLOCKS)), BLOCKS, strict=True):
    with column, st.container(border=True):
        st.markdown(f"**{S.ISB_LABELS[lang()][block]}**")
        for cat in (c for c in S.CATEGORY_LIST if c.block == block):
            row = _row(fig["categories"], cat.code)
            change = _change(row["recent_rate"], row["baseline_rate"], row["baseline"])
            st.metric(S.category_label(cat.code, lang()), fmt_int(row["recent"]),
                      delta=change if change != tr(TEXTS, "same") else None, delta_color="off",
                      delta_arrow="auto" if change.startswith(("+", "-")) else "off")
            note = accuracy_note(cat.code)
            st.caption(tr(TEXTS, "accuracy", note=note) if note else tr(TEXTS, "not_measured"))

if not fig["languages"].empty:
    st.caption(f"**{tr(TEXTS, 'languages')}:** {_language_line(fig['languages'])}")

representativeness_panel(ctx)

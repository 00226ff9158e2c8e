"""Trends: messages per category, theme or language over time, with our communication moments.

Public messages (official accounts left out) in the sidebar window. Categories are
labelled in the interface language and carry their measured accuracy; theme labels
appear only inside the Altair chart (plain text).
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

from pages._context import page_context
from pages._data import moments, view_codes
from pages._panels import (
    accuracy_note,
    chart_text,
    header,
    moment_rules,
    peak_sentence,
    representativeness_panel,
)
from pages._text import escape_md, fmt_int, lang, local_time, show_chart, tr
from pipeline import schema as S
from pipeline.config import view_min_authors
from pipeline.views import live
from pipeline.views.aggregate import LANGUAGE_NAMES, display_label

FREQS = (5, 15, 60)
TOP_THEMES = 8
BY = ("category", "theme", "language")
TREND_CATEGORIES = tuple(c.code for c in S.CATEGORY_LIST if c.block != S.OVERIG)

TEXTS = {
    "title": {"nl": "Trends", "en": "Trends"},
    "by": {"nl": "Per", "en": "By"},
    "category": {"nl": "categorie", "en": "category"},
    "theme": {"nl": "thema", "en": "theme"},
    "language": {"nl": "taal", "en": "language"},
    "freq": {"nl": "Tijdvak", "en": "Bucket"},
    "minutes": {"nl": "{n} min", "en": "{n} min"},
    "share": {"nl": "Als aandeel van alle berichten", "en": "As a share of all messages"},
    "time": {"nl": "Tijd", "en": "Time"},
    "count_axis": {"nl": "Berichten per {n} min", "en": "Messages per {n} min"},
    "share_axis": {"nl": "Aandeel van alle berichten", "en": "Share of all messages"},
    "legend_category": {"nl": "Categorie", "en": "Category"},
    "legend_theme": {"nl": "Thema", "en": "Theme"},
    "legend_language": {"nl": "Taal", "en": "Language"},
    "n": {"nl": "Berichten", "en": "Messages"},
    "total": {"nl": "Alle berichten", "en": "All messages"},
    "note": {"nl": ("Berichten van het publiek (officiële accounts niet meegeteld) per {n} min. "
                    "Stippellijnen: onze communicatiemomenten, met het kanaal. Dat een lijn na "
                    "een moment daalt of stijgt, bewijst niet dat het moment dat veroorzaakte."),
             "en": ("Public messages (official accounts left out) per {n} min. Dashed lines: "
                    "our communication moments, with the channel. A line falling or rising after "
                    "a moment does not prove the moment caused it.")},
    "note_category": {"nl": ("Een bericht kan in meer categorieën vallen; 'ruis' en 'officieel' "
                             "zijn weggelaten."),
                      "en": ("A message can fall in several categories; 'noise' and 'official' "
                             "are left out.")},
    "legend_hint": {"nl": "Klik op een naam in de legenda om die lijn uit te lichten.",
                    "en": "Click a name in the legend to highlight that line."},
    "note_theme": {"nl": "De {n} grootste thema's in dit venster; 'overig' is weggelaten.",
                   "en": "The {n} largest themes in this window; 'other' is left out."},
    "accuracy": {"nl": "Gemeten nauwkeurigheid per categorie", "en": "Measured accuracy per category"},
    "not_measured": {"nl": "nog niet gemeten", "en": "not yet measured"},
    "no_data": {"nl": "Geen berichten in dit venster.", "en": "No messages in this window."},
}


def _theme_column(frame: pd.DataFrame):
    """The frame's THEME column as integers (no copy when it already is)."""
    return frame[S.THEME].to_numpy(dtype=np.int64, na_value=S.NO_THEME)


def _labels(by: str, groups: pd.Series, df: pd.DataFrame) -> dict:
    """Return the display name per group: category labels, theme labels or language names."""
    if by == "category":
        return {g: S.category_label(g, lang()) for g in groups.unique()}
    if by == "theme":  # the label of each theme's first message in view
        theme = _theme_column(df)
        first = [int(np.flatnonzero(theme == g)[0]) for g in groups.unique() if (theme == g).any()]
        themed = df.iloc[sorted(first)]
        return {t: display_label(lbl, lang())
                for t, lbl in zip(themed[S.THEME], themed[S.THEME_LABEL].astype(str), strict=True)}
    names = LANGUAGE_NAMES.get(lang(), LANGUAGE_NAMES["nl"])
    unknown = "onbekend" if lang() == "nl" else "unknown"
    return {g: names.get(g, unknown if g == S.UNDETERMINED_LANGUAGE else g) for g in groups.unique()}


ctx = page_context("trends")
header(tr(TEXTS, "title"), ctx)
c1, c2, c3 = st.columns([2, 2, 3], vertical_alignment="bottom")
by = c1.segmented_control(tr(TEXTS, "by"), BY, key="trends_by", default="category", required=True,
                          format_func=lambda v: tr(TEXTS, v))
freq = int(c2.segmented_control(tr(TEXTS, "freq"), FREQS, key="trends_freq", default=15,
                                required=True, format_func=lambda n: tr(TEXTS, "minutes", n=n)))
as_share = c3.toggle(tr(TEXTS, "share"), key="trends_share", value=False)

series = view_codes(ctx, live.trend_series, by, freq, ctx.start, ctx.now, view_min_authors("trends"),
                    TOP_THEMES, TREND_CATEGORIES, theme=True)
if series.empty or series["total"].sum() == 0:
    st.info(tr(TEXTS, "no_data"))
else:
    names = _labels(by, series["group"], ctx.messages)
    plot = pd.DataFrame({
        "tijd": local_time(series["bucket"]),
        "groep": series["group"].map(names).fillna(series["group"].astype(str)),
        "waarde": series["share"] if as_share else series["count"],
        "berichten": series["count"],
        "totaal": series["total"],
    })
    # legend order: biggest group first
    order = plot.groupby("groep")["berichten"].sum().sort_values(ascending=False).index.tolist()
    legend_title = tr(TEXTS, f"legend_{by}")
    y_title = tr(TEXTS, "share_axis") if as_share else tr(TEXTS, "count_axis", n=freq)
    # click a legend entry to highlight that line (the others fade)
    pick = alt.selection_point(fields=["groep"], bind="legend")
    lines = alt.Chart(plot).mark_line(point=freq == 60, strokeWidth=2.5).encode(
        x=alt.X("tijd:T", title=tr(TEXTS, "time"), axis=alt.Axis(format="%H:%M")),
        y=alt.Y("waarde:Q", title=y_title, axis=alt.Axis(format="%" if as_share else "d")),
        color=alt.Color("groep:N", title=legend_title, sort=order,
                        scale=alt.Scale(scheme="tableau10"),
                        legend=alt.Legend(orient="right", labelLimit=220)),
        # channel objects, not alt.value/alt.condition dicts or "field:T" strings: Altair looks each
        # of those up among ~570 schema classes (~2,5 ms a channel; the same spec)
        opacity=alt.OpacityValue(0.15, condition={"param": pick.name, "value": 1.0}),
        tooltip=[alt.Tooltip("tijd:T", format="%H:%M", title=tr(TEXTS, "time")),
                 alt.Tooltip("groep:N", title=legend_title),
                 alt.Tooltip("berichten:Q", title=tr(TEXTS, "n")),
                 alt.Tooltip("totaal:Q", title=tr(TEXTS, "total"))],
    ).add_params(pick)
    markers = moment_rules(moments(ctx.incident["id"]), ctx.start, ctx.now)
    chart = lines if markers is None else lines + markers
    show_chart(chart, width="stretch", height=460)
    top = plot[plot["groep"] == order[0]] if order else plot
    n_top = fmt_int(top["berichten"].sum())
    summary = (f"{len(order)} lijnen; de grootste, {order[0]}, heeft {n_top} berichten; "
               if lang() == "nl" else f"{len(order)} lines; the largest, {order[0]}, has {n_top} messages; ")
    # the peak and total of the messages in view, as Overzicht and Nabespreking count them: the sum of
    # the lines counted a message with two categories twice (585 "per 15 min" above an axis of 160)
    total = plot.groupby("tijd", as_index=False)["totaal"].first()
    chart_text(summary + peak_sentence(total["tijd"], total["totaal"], f"{freq} min"),
               plot[["tijd", "groep", "berichten", "totaal"]],
               {"tijd": tr(TEXTS, "time"), "groep": legend_title, "berichten": tr(TEXTS, "n"),
                "totaal": tr(TEXTS, "total")})
    note = tr(TEXTS, "note", n=freq)
    if by == "category":
        note += " " + tr(TEXTS, "note_category")
    elif by == "theme":
        note += " " + tr(TEXTS, "note_theme", n=TOP_THEMES)
    st.caption(note + " " + tr(TEXTS, "legend_hint"))
    if by == "category":
        st.markdown(f"**{tr(TEXTS, 'accuracy')}**")
        # Whole sentences in a list: in a table column they were cut at the edge at 1 400 px
        # ("… 6 van de 10 meldingen zijn onterecht (F1 0,45; 9"), the interval never in sight.
        st.markdown("\n".join(
            f"- **{escape_md(S.category_label(c, lang()))}**: "
            f"{escape_md(accuracy_note(c) or tr(TEXTS, 'not_measured'))}" for c in TREND_CATEGORIES))

representativeness_panel(ctx)

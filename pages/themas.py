"""Thema's: the themes found in the messages, their size over time, tag clouds and examples.

Theme labels, terms and example texts come from the public: they appear only in
dataframe cells, Altair charts, the cloud image and `st.text`, never in markdown.
Terms appear only when >= k distinct authors used them; examples only for roles with
`view.examples` and themes with >= k distinct authors.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from pages._context import page_context
from pages._data import moments, view_codes
from pages._login import allowed
from pages._panels import accuracy_note, header, moment_rules, representativeness_panel
from pages._text import fmt_int, fmt_time, lang, local_time, show_chart, show_table, table_height, tr
from pages._themas_util import theme_examples_coded, themes_over_time_coded
from pipeline import schema as S
from pipeline.analysis.themes import OTHER_THEME
from pipeline.config import view_min_authors
from pipeline.render.wordcloud import cloud_sizes, drawable_terms, render_png, weights_from_counts
from pipeline.views import live
from pipeline.views.aggregate import display_label

TOP_THEMES = 6
CLOUD_WORDS = 60
CLOUD_CATEGORIES = S.CATEGORY_CODES  # "ruis" included: what the classifier calls noise is worth a look

TEXTS = {
    "title": {"nl": "Thema's", "en": "Themes"},
    "intro": {"nl": ("Thema's zijn automatisch gevonden groepen berichten die op elkaar lijken "
                     "(alleen berichten over het incident, zonder officiële accounts). Het label is "
                     "een zinsdeel dat mensen zelf schreven (of het meest kenmerkende woord). "
                     "Alleen thema's en woorden van minstens "
                     "{k} verschillende auteurs worden getoond."),
              "en": ("Themes are automatically found groups of similar messages (only messages "
                     "about the incident, official accounts left out). The label is a phrase "
                     "people wrote themselves (or the most characteristic word). Only themes and "
                     "words from at least {k} distinct "
                     "authors are shown.")},
    "table": {"nl": "Thema's in dit venster", "en": "Themes in this window"},
    "theme": {"nl": "Thema", "en": "Theme"},
    "messages": {"nl": "Berichten", "en": "Messages"},
    "authors": {"nl": "Unieke auteurs", "en": "Distinct authors"},
    "first": {"nl": "Eerst gezien", "en": "First seen"},
    "last": {"nl": "Laatst gezien", "en": "Last seen"},
    "other": {"nl": "overig (geen duidelijk thema)", "en": "other (no clear theme)"},
    "hidden": {"nl": "{n} thema's met minder dan {k} verschillende auteurs zijn verborgen.",
               "en": "{n} themes with fewer than {k} distinct authors are hidden."},
    "over_time": {"nl": "Grootste thema's over de tijd", "en": "Largest themes over time"},
    "over_time_note": {"nl": ("Berichten per {freq} min van de {n} grootste thema's ('overig' "
                              "niet meegeteld). Stippellijnen: onze communicatiemomenten. "
                              "Samenvallen in de tijd zegt niet dat het een het ander veroorzaakt."),
                       "en": ("Messages per {freq} min of the {n} largest themes ('other' left "
                              "out). Dashed lines: our communication moments. Coinciding in time "
                              "does not mean one caused the other.")},
    "time": {"nl": "Tijd", "en": "Time"},
    "per": {"nl": "Berichten per {freq} min", "en": "Messages per {freq} min"},
    "cloud": {"nl": "Woordwolk", "en": "Tag cloud"},
    "by": {"nl": "Bekijk", "en": "View"},
    "by_theme": {"nl": "per thema", "en": "per theme"},
    "by_category": {"nl": "per categorie", "en": "per category"},
    "pick_theme": {"nl": "Thema", "en": "Theme"},
    "pick_category": {"nl": "Categorie", "en": "Category"},
    "n_messages": {"nl": "{n} berichten", "en": "{n} messages"},
    "cloud_note": {"nl": ("Woorden die minstens {k} verschillende auteurs gebruikten; grootte = "
                          "aantal auteurs. {n} woorden getoond{emoji}."),
                   "en": ("Words used by at least {k} distinct authors; size = number of "
                          "authors. {n} words shown{emoji}.")},
    "emoji": {"nl": "; {n} emoji/tekens zonder lettertype weggelaten",
              "en": "; {n} emoji/characters without a font left out"},
    "cloud_empty": {"nl": "Geen woorden die door minstens {k} verschillende auteurs zijn gebruikt.",
                    "en": "No words used by at least {k} distinct authors."},
    "accuracy": {"nl": ("Gemeten nauwkeurigheid van de categorie '{cat}': {note}. Een lage F1 "
                        "betekent dat veel berichten verkeerd zijn ingedeeld."),
                 "en": ("Measured accuracy of the category '{cat}': {note}. A low F1 means many "
                        "messages are misclassified.")},
    "not_measured": {"nl": "nog niet gemeten", "en": "not yet measured"},
    "examples": {"nl": "Voorbeeldberichten", "en": "Example messages"},
    "examples_note": {"nl": ("Het meest kenmerkende bericht en de meest recente andere berichten "
                             "van dit thema; persoonsgegevens zijn vervangen. Niet citeren naar "
                             "buiten."),
                      "en": ("The most characteristic message and the most recent other messages "
                             "of this theme; personal data are replaced. Do not quote outside.")},
    "examples_none": {"nl": "Geen voorbeelden: dit thema heeft minder dan {k} verschillende auteurs.",
                      "en": "No examples: this theme has fewer than {k} distinct authors."},
    "examples_role": {"nl": "Uw rol ziet geen voorbeeldberichten, alleen tellingen.",
                      "en": "Your role sees no example messages, only counts."},
    "no_themes": {"nl": "Geen thema's in dit venster.", "en": "No themes in this window."},
}


@st.cache_data(show_spinner=False, max_entries=64)
def cloud_png(weights: tuple[tuple[str, float], ...]) -> bytes:
    """Return the cloud PNG, cached by its (already k-filtered) term weights."""
    return render_png(dict(weights), max_words=CLOUD_WORDS)


def _theme_summary(codes, rows, k: int, frame: pd.DataFrame) -> pd.DataFrame:
    """`themes.theme_summary` of the messages in view (pipeline/views/live.py)."""
    return live.theme_summary(codes, rows, frame, min_authors=k, examples=False)


def _examples(codes, rows, theme: int, k: int, frame: pd.DataFrame) -> list[str]:
    """`_themas_util.theme_examples` of the messages in view; the first is the theme's most typical text.

    Only the chosen theme's example is computed (`live.theme_example`), not every theme's.
    """
    representative = live.theme_example(codes, rows, frame, theme)
    return theme_examples_coded(codes, rows, frame, theme, k, representative=representative)


def _freq(span: pd.Timedelta) -> int:
    """Return the bucket size in minutes for a chart spanning `span`."""
    return 5 if span <= pd.Timedelta(hours=2) else 15 if span <= pd.Timedelta(hours=8) else 30


def _theme_name(theme: int, label: str) -> str:
    """Return the display name of a theme (the catch-all gets a readable name; `display_label`)."""
    return tr(TEXTS, "other") if theme == OTHER_THEME else display_label(label, lang())


def show_cloud(counts: pd.DataFrame, group: object, k: int) -> None:
    """Draw the tag cloud of one group of a term_counts frame, with its note."""
    weights = weights_from_counts(counts, group)
    drawable = drawable_terms(weights)
    if not drawable:
        st.text(tr(TEXTS, "cloud_empty", k=k))
        return
    top = sorted(drawable.items(), key=lambda kv: (-kv[1], kv[0]))[:CLOUD_WORDS]
    words = ", ".join(term for term, _w in top[:10])
    alt_text = (f"Woordwolk van {len(top)} woorden; de grootste: {words}" if lang() == "nl"
                else f"Word cloud of {len(top)} words; the largest: {words}")
    st.image(cloud_png(cloud_sizes(top)), width="stretch", alt=alt_text)
    missing = len(weights) - len(drawable)
    st.caption(tr(TEXTS, "cloud_note", k=k, n=len(top),
                  emoji=tr(TEXTS, "emoji", n=missing) if missing else ""))


ctx = page_context("themas")
header(tr(TEXTS, "title"), ctx)
k = view_min_authors("themas")
st.caption(tr(TEXTS, "intro", k=k))
summary = view_codes(ctx, _theme_summary, k, public=False, frame=True)
shown = summary[summary["shown"]]
# largest real themes first, the catch-all "overig" last
shown = pd.concat([shown[shown["theme"] != OTHER_THEME], shown[shown["theme"] == OTHER_THEME]])

if shown.empty:
    st.info(tr(TEXTS, "no_themes"))
else:
    st.subheader(tr(TEXTS, "table"))
    table = pd.DataFrame({
        tr(TEXTS, "theme"): [_theme_name(t, lbl) for t, lbl in zip(shown["theme"], shown["label"],
                                                                    strict=True)],
        tr(TEXTS, "messages"): shown["n_messages"].to_numpy(),
        tr(TEXTS, "authors"): shown["n_authors"].to_numpy(),
        tr(TEXTS, "first"): [fmt_time(ts) for ts in shown["first_seen"]],
        tr(TEXTS, "last"): [fmt_time(ts) for ts in shown["last_seen"]],
    })
    show_table(table, {tr(TEXTS, "messages"): 0, tr(TEXTS, "authors"): 0}, hide_index=True,
               width="stretch", height=min(table_height(len(table)), 400), whole=(tr(TEXTS, "theme"),))
    if len(summary) > len(shown):
        st.caption(tr(TEXTS, "hidden", n=len(summary) - len(shown), k=k))

    # --- sizes over time -------------------------------------------------------------------
    top = shown[shown["theme"] != OTHER_THEME].head(TOP_THEMES)
    if not top.empty:
        freq = _freq(ctx.now - ctx.start)
        series = view_codes(ctx, themes_over_time_coded, tuple(int(t) for t in top["theme"]),
                            f"{freq}min", ctx.start, ctx.now, public=False)
        names = {t: _theme_name(t, lbl)
                 for t, lbl in zip(top["theme"], top["label"].astype(str), strict=True)}
        plot = pd.DataFrame({"tijd": local_time(series["bucket"]),
                             "thema": series["theme"].map(names),
                             "berichten": series["count"]})
        order = [names[t] for t in top["theme"]]
        lines = alt.Chart(plot).mark_line(strokeWidth=2.5).encode(
            x=alt.X("tijd:T", title=tr(TEXTS, "time"), axis=alt.Axis(format="%H:%M")),
            y=alt.Y("berichten:Q", title=tr(TEXTS, "per", freq=freq)),
            color=alt.Color("thema:N", title=tr(TEXTS, "theme"), sort=order,
                            scale=alt.Scale(scheme="tableau10"),
                            legend=alt.Legend(orient="bottom", columns=3, labelLimit=260)),
            tooltip=[alt.Tooltip("tijd:T", format="%H:%M", title=tr(TEXTS, "time")),
                     alt.Tooltip("thema:N", title=tr(TEXTS, "theme")),
                     alt.Tooltip("berichten:Q", title=tr(TEXTS, "messages"))],
        )
        markers = moment_rules(moments(ctx.incident["id"]), ctx.start, ctx.now)
        st.subheader(tr(TEXTS, "over_time"))
        show_chart(lines if markers is None else lines + markers, width="stretch", height=440)
        st.caption(tr(TEXTS, "over_time_note", freq=freq, n=len(top)))

# --- tag clouds and examples ---------------------------------------------------------------
st.subheader(tr(TEXTS, "cloud"))
by = st.segmented_control(tr(TEXTS, "by"), ["theme", "category"], key="themas_by",
                          default="theme", required=True,
                          format_func=lambda v: tr(TEXTS, "by_theme" if v == "theme" else "by_category"))
if by == "category":
    code = st.selectbox(tr(TEXTS, "pick_category"), CLOUD_CATEGORIES, key="themas_category",
                        format_func=lambda c: S.category_label(c, lang()))
    note = accuracy_note(code)
    st.caption(tr(TEXTS, "accuracy", cat=S.category_label(code, lang()),
                  note=note or tr(TEXTS, "not_measured")))
    show_cloud(view_codes(ctx, live.term_counts, k, S.CATEGORIES, public=False), code, k)
elif not shown.empty:
    labels = {int(t): (_theme_name(t, lbl), n)
              for t, lbl, n in zip(shown["theme"], shown["label"], shown["n_messages"], strict=True)}
    theme = st.selectbox(tr(TEXTS, "pick_theme"), list(labels), key="themas_theme",
                         format_func=lambda t: f"{labels[t][0]} · "
                                               f"{tr(TEXTS, 'n_messages', n=fmt_int(labels[t][1]))}")
    left, right = st.columns([3, 2])
    with left:
        show_cloud(view_codes(ctx, live.term_counts, k, S.THEME, public=False), theme, k)
    with right:
        st.markdown(f"**{tr(TEXTS, 'examples')}**")
        if not allowed(ctx.user, "view.examples"):
            st.caption(tr(TEXTS, "examples_role"))
        else:
            examples = view_codes(ctx, _examples, theme, k, public=False, frame=True)
            for text in examples:
                with st.container(border=True):
                    st.text(text)  # untrusted: plain text only
            if examples:
                st.caption(tr(TEXTS, "examples_note"))
            else:
                st.caption(tr(TEXTS, "examples_none", k=k))
else:
    st.info(tr(TEXTS, "no_themes"))

representativeness_panel(ctx)

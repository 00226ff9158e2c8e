"""Effect van onze communicatie: what the public says before vs after each moment.

Association in time, never proof of cause (`pipeline.views.effect.INTERPRETATION`).
Moment texts, theme labels and key terms are untrusted: they appear only in
dataframe cells, Altair charts and `st.text`.
"""

from __future__ import annotations

from datetime import timedelta

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

from pages._context import page_context
from pages._data import engine, moments, view
from pages._login import allowed
from pages._panels import accuracy_note, header, moment_rules, representativeness_panel
from pages._text import (
    TZ,
    fmt_dec,
    fmt_int,
    fmt_time,
    lang,
    local_time,
    show_chart,
    show_table,
    table_height,
    tr,
)
from pipeline import schema as S
from pipeline.governance import actions
from pipeline.render.tableformat import PERCENT
from pipeline.views import effect as E
from pipeline.views.aggregate import display_label

TEXTS = {
    "title": {"nl": "Effect van onze communicatie", "en": "Effect of our communication"},
    "not_cause": {"nl": "**Samenhang in de tijd, geen bewijs van oorzaak.**",
                  "en": "**Association in time, not proof of cause.**"},
    "moments": {"nl": "Communicatiemomenten", "en": "Communication moments"},
    "moments_help": {"nl": ("Automatisch: berichten van onze eigen accounts. Met de hand: "
                            "persconferenties, radio, NL-Alert, website — alles wat niet als "
                            "bericht in de data zit."),
                     "en": ("Automatic: posts by our own accounts. By hand: press conferences, "
                            "radio, NL-Alert, website — anything not in the data as a post.")},
    "no_moments": {"nl": "Er zijn nog geen communicatiemomenten voor dit incident.",
                   "en": "There are no communication moments for this incident yet."},
    "col_time": {"nl": "Tijd", "en": "Time"},
    "col_channel": {"nl": "Kanaal", "en": "Channel"},
    "col_origin": {"nl": "Bron", "en": "Source"},
    "col_text": {"nl": "Tekst", "en": "Text"},
    "col_by": {"nl": "Ingevoerd door", "en": "Entered by"},
    "auto": {"nl": "automatisch (eigen account)", "en": "automatic (own account)"},
    "manual": {"nl": "met de hand", "en": "by hand"},
    "add": {"nl": "Moment toevoegen (bv. persconferentie, radio-interview)",
            "en": "Add a moment (e.g. press conference, radio interview)"},
    "add_date": {"nl": "Datum (lokale tijd)", "en": "Date (local time)"},
    "add_time": {"nl": "Tijd (lokale tijd)", "en": "Time (local time)"},
    "add_channel": {"nl": "Kanaal", "en": "Channel"},
    "add_text": {"nl": "Kernboodschap (zoals gecommuniceerd)", "en": "Key message (as communicated)"},
    "add_submit": {"nl": "Moment opslaan", "en": "Save moment"},
    "add_empty": {"nl": "Vul de kernboodschap in.", "en": "Enter the key message."},
    "add_bad_time": {"nl": "Die tijd bestaat niet of komt twee keer voor (zomertijd). Kies een andere.",
                     "en": "That time does not exist or occurs twice (summer time). Pick another."},
    "add_done": {"nl": "Moment opgeslagen.", "en": "Moment saved."},
    "add_only_analist": {"nl": "Alleen een analist kan momenten toevoegen.",
                         "en": "Only an analyst can add moments."},
    "choose": {"nl": "Moment", "en": "Moment"},
    "window": {"nl": "Venster vóór en ná", "en": "Window before and after"},
    "by": {"nl": "Per", "en": "By"},
    "by_cat": {"nl": "categorie", "en": "category"},
    "by_theme": {"nl": "thema", "en": "theme"},
    "chosen_text": {"nl": "Tekst van dit moment:", "en": "Text of this moment:"},
    "overlap": {"nl": ("Let op: binnen {minutes} minuten van dit moment was er ook {others}. "
                       "De vensters overlappen; wat je hieronder ziet kan net zo goed bij dat "
                       "andere moment horen."),
                "en": ("Note: within {minutes} minutes of this moment there was also {others}. "
                       "The windows overlap; what you see below may just as well belong to "
                       "that other moment.")},
    "truncated": {"nl": ("Het venster ná het moment is korter dan {minutes} min ({hours:.0f} min "
                         "tot nu): tempo's zijn per uur, maar het interval is breder."),
                  "en": ("The window after the moment is shorter than {minutes} min ({hours:.0f} "
                         "min until now): rates are per hour, but the interval is wider.")},
    "summary_head": {"nl": "In de {minutes} min ná dit moment, vergeleken met de {minutes} min ervoor:",
                     "en": "In the {minutes} min after this moment, compared with the {minutes} min before:"},
    "summary_down": {"nl": "duidelijk minder berichten over {items}.",
                     "en": "clearly fewer messages about {items}."},
    "summary_no_down": {"nl": "geen groep met duidelijk minder berichten.",
                        "en": "no group with clearly fewer messages."},
    "summary_up": {"nl": "Duidelijk meer over {items}.", "en": "Clearly more about {items}."},
    "summary_rest": {"nl": "Bij de rest is het verschil niet van toeval te onderscheiden.",
                     "en": "For the rest the difference cannot be told apart from chance."},
    "chart_title": {"nl": "Berichten per uur ná ÷ vóór het moment (95%-interval)",
                    "en": "Messages per hour after ÷ before the moment (95% interval)"},
    "chart_help": {"nl": ("Een punt links van de lijn: minder berichten ná het moment dan ervoor; "
                          "rechts: meer. De streep is het 95%-interval: raakt die de lijn, dan is "
                          "het verschil niet te onderscheiden van toeval. Groepen met minder dan "
                          "{n} berichten staan alleen in de tabel."),
                   "en": ("A dot left of the line: fewer messages after the moment than before; "
                          "right: more. The bar is the 95% interval: if it touches the line, the "
                          "difference cannot be told apart from chance. Groups with fewer than "
                          "{n} messages are only in the table.")},
    "ratio_axis": {"nl": "verhouding ná/vóór (log-schaal; 1 = geen verschil)",
                   "en": "ratio after/before (log scale; 1 = no difference)"},
    "down": {"nl": "minder", "en": "fewer"},
    "up": {"nl": "meer", "en": "more"},
    "flat": {"nl": "niet te onderscheiden", "en": "indistinguishable"},
    "group": {"nl": "Groep", "en": "Group"},
    "direction": {"nl": "Richting", "en": "Direction"},
    "before": {"nl": "Vóór", "en": "Before"},
    "after": {"nl": "Ná", "en": "After"},
    "before_rate": {"nl": "Vóór /uur", "en": "Before /hour"},
    "after_rate": {"nl": "Ná /uur", "en": "After /hour"},
    "ratio": {"nl": "Verhouding", "en": "Ratio"},
    "interval": {"nl": "95%-interval", "en": "95% interval"},
    "before_share": {"nl": "Aandeel vóór", "en": "Share before"},
    "after_share": {"nl": "Aandeel ná", "en": "Share after"},
    "share_interval": {"nl": "Aandeel ná/vóór (95%)", "en": "Share after/before (95%)"},
    "accuracy": {"nl": "Gemeten nauwkeurigheid", "en": "Measured accuracy"},
    "table_title": {"nl": "De cijfers", "en": "The figures"},
    "seg_title": {"nl": "Gecorrigeerd voor de trend", "en": "Adjusted for the trend"},
    "seg_help": {"nl": ("Nam het aantal berichten al af (of toe) vóór het moment, dan geeft de "
                        "eenvoudige verhouding het moment daar ten onrechte de eer van. Dit model "
                        "trekt de trend van vóór het moment door (blokken van 5 min) en schat de "
                        "sprong óp het moment."),
                 "en": ("If messages were already falling (or rising) before the moment, the "
                        "simple ratio wrongly credits the moment with that trend. This model "
                        "extends the trend from before the moment (5-min bins) and estimates the "
                        "jump at the moment.")},
    "seg_group": {"nl": "Groep voor de trendcorrectie", "en": "Group for the trend adjustment"},
    "seg_jump": {"nl": "Sprong op het moment (×)", "en": "Jump at the moment (×)"},
    "seg_simple": {"nl": "Eenvoudige verhouding (×)", "en": "Simple ratio (×)"},
    "seg_expected": {"nl": "Ná: verwacht zonder sprong → waargenomen",
                     "en": "After: expected without jump → observed"},
    "seg_trend_only": {"nl": ("De eenvoudige verhouding toont een duidelijk verschil, maar na correctie "
                               "voor de trend is er geen duidelijke sprong óp het moment: de verandering "
                               "was al vóór dit moment bezig."),
                       "en": ("The simple ratio shows a clear difference, but after adjusting for the "
                              "trend there is no clear jump at the moment: the change was already "
                              "under way before this moment.")},
    "seg_none": {"nl": "Te weinig gegevens voor een trendcorrectie ({why}).",
                 "en": "Too little data for a trend adjustment ({why})."},
    "seg_min": {"nl": "minder dan {n} berichten rond het moment",
                "en": "fewer than {n} messages near the moment"},
    "uptake_title": {"nl": "Nemen mensen onze woorden over?", "en": "Do people take up our words?"},
    "uptake_help": {"nl": ("Aandeel publieke berichten met de kernwoorden van dit moment, vóór en ná. "
                           "Een bericht dat de woorden gebruikt kan ze ook tegenspreken "
                           "(\"geloof er niks van dat er geen asbest is\"). Reposts tellen niet mee."),
                    "en": ("Share of public messages using this moment's key terms, before and "
                           "after. A message using the words may also contradict them. Reposts are "
                           "not counted.")},
    "term": {"nl": "Kernwoorden", "en": "Key terms"},
    "kind": {"nl": "Soort", "en": "Kind"},
    "no_uptake": {"nl": "Geen van de kernwoorden komt voor in publieke berichten rond dit moment.",
                  "en": "None of the key terms occurs in public messages around this moment."},
    "context_title": {"nl": "Verloop rond het moment: {group}", "en": "Around the moment: {group}"},
    "context_theme": {"nl": "Verloop rond het moment (gekozen thema)",
                      "en": "Around the moment (chosen theme)"},
    "per5": {"nl": "berichten / 5 min", "en": "messages / 5 min"},
    "no_data": {"nl": "Geen publieke berichten rond dit moment.",
                "en": "No public messages around this moment."},
}

CHANNEL_LABELS = {
    "tweet": ("Tweet / X-bericht", "Tweet / X post"), "website": ("Website", "Website"),
    "nl-alert": ("NL-Alert", "NL-Alert"), "persconferentie": ("Persconferentie", "Press conference"),
    "radio": ("Radio", "Radio"), "overig": ("Overig (bv. Facebook)", "Other (e.g. Facebook)"),
}
KIND_LABELS = {"woord": ("woord", "word"), "woordpaar": ("woordpaar", "word pair"),
               "zin": ("zinsdeel", "phrase")}
WINDOWS = (30, 60, 120)
MIN_CHART = 10  # a group needs this many messages (before + after) to be drawn
MIN_SEGMENTED = 20  # and this many for the trend adjustment
CLIP = (0.02, 50.0)  # the log axis is drawn within these bounds


def channel_label(code: str) -> str:
    """Return the readable channel name in the session language."""
    nl, en = CHANNEL_LABELS.get(code, (code, code))
    return en if lang() == "en" else nl


# --- cached computations (pure; via `view`) ---------------------------------------------
def _moment_frame(rows: tuple) -> pd.DataFrame:
    """Return a moments frame from (id, iso time, channel) tuples."""
    return pd.DataFrame({
        S.MOMENT_ID: [r[0] for r in rows],
        S.MOMENT_TIME: pd.to_datetime([r[1] for r in rows], utc=True),
        S.MOMENT_CHANNEL: [r[2] for r in rows],
    })


def effect_rows(df: pd.DataFrame, moment_rows: tuple, moment_id: int, by: str,
                minutes: int) -> pd.DataFrame:
    """Return the effect-table rows of one moment (all moments count for the overlap flag)."""
    if df.empty:
        return pd.DataFrame(columns=list(E.EFFECT_COLUMNS))
    moments_df = _moment_frame(moment_rows)
    # Only the messages near the chosen moment matter; the observed period is passed
    # explicitly so that windows are truncated exactly as on the whole frame.
    t0 = moments_df.loc[moments_df[S.MOMENT_ID] == moment_id, S.MOMENT_TIME].iloc[0]
    times = df[S.CREATED_AT]
    period = (times.min(), times.max() + pd.Timedelta(1, "ns"))
    w = pd.Timedelta(minutes=minutes)
    near = df[(times >= t0 - w) & (times < t0 + w)]
    if near.empty:
        return pd.DataFrame(columns=list(E.EFFECT_COLUMNS))
    table = E.effect_table(near, moments_df, by=by, window=timedelta(minutes=minutes),
                           period=period)
    out = table[table["moment"] == moment_id]
    if by == S.THEME:
        out = out[out["category"] != S.NO_THEME]
    return out.reset_index(drop=True)


def segmented(df: pd.DataFrame, moment_iso: str, group, minutes: int) -> dict:
    """Return `segmented_effect` for one group around one moment."""
    return E.segmented_effect(df, pd.Timestamp(moment_iso), group=group,
                              window=timedelta(minutes=minutes))


def uptake(df: pd.DataFrame, text: str, moment_iso: str, minutes: int) -> pd.DataFrame:
    """Return `term_uptake` of the moment's key terms in the public's own messages.

    Reposts are left out: sharing our message is reach, not people using our words.
    """
    own = df[~df[S.IS_REPOST]] if S.IS_REPOST in df else df
    if own.empty:
        return pd.DataFrame()
    return E.term_uptake(own, text, pd.Timestamp(moment_iso), window=timedelta(minutes=minutes))


def context_counts(df: pd.DataFrame, moment_iso: str, group, minutes: int) -> pd.DataFrame:
    """Return counts per 5 min of one group's public messages in [t - w, t + w)."""
    t0 = pd.Timestamp(moment_iso)
    w = pd.Timedelta(minutes=minutes)
    pub = df[~df[S.IS_OFFICIAL]]
    pub = pub[(pub[S.CREATED_AT] >= t0 - w) & (pub[S.CREATED_AT] < t0 + w)]
    if isinstance(group, str):
        pub = pub[pub[S.CATEGORIES].map(lambda c: group in c).astype(bool)]
    else:
        pub = pub[pub[S.THEME] == int(group)]
    edges = pd.date_range(t0 - w, t0 + w, freq="5min")
    counts = np.histogram(pub[S.CREATED_AT].dt.as_unit("ns").astype("int64"),
                          bins=edges.as_unit("ns").asi8)[0]
    return pd.DataFrame({"start": edges[:-1], "count": counts})


def theme_labels(df: pd.DataFrame) -> dict[int, str]:
    """Return {theme id: label} of the analysed frame."""
    sub = df[df[S.THEME] != S.NO_THEME].drop_duplicates(S.THEME)
    return dict(zip(sub[S.THEME].astype(int), sub[S.THEME_LABEL].astype(str), strict=True))


# --- chart specs (Altair is slow to build: ~0.2 s per chart, so the spec is cached) ---------
@st.cache_data(show_spinner=False, max_entries=64)
def effect_spec(data: pd.DataFrame, words: dict[str, str]) -> dict:
    """Return the Vega-Lite spec: dot + 95 % interval per group on a log axis, a line at 1."""
    order = data.sort_values("r")["label"].tolist()
    colors = alt.Scale(domain=[words["down"], words["flat"], words["up"]],
                       range=["#1f6fb2", "#9a9a9a", "#d9822b"])
    y = alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=260))
    x_scale = alt.Scale(type="log", domain=list(CLIP), clamp=True)
    tooltip = [alt.Tooltip("label:N", title=words["group"]),
               alt.Tooltip("before_count:Q", title=words["before"]),
               alt.Tooltip("after_count:Q", title=words["after"]),
               alt.Tooltip("ratio:Q", title=words["ratio"], format=".2f"),
               alt.Tooltip("interval:N", title=words["interval"])]
    base = alt.Chart(data)
    bars = base.mark_rule(strokeWidth=3).encode(
        y=y, x=alt.X("lo:Q", scale=x_scale, title=words["ratio_axis"]),  # decimal comma: show_chart
        x2=alt.X2("hi:Q"),
        color=alt.Color("richting:N", scale=colors, title=words["direction"]), tooltip=tooltip)
    dots = base.mark_circle(size=110, opacity=1).encode(
        y=y, x=alt.X("r:Q", scale=x_scale), color=alt.Color("richting:N", scale=colors),
        tooltip=tooltip)
    one = alt.Chart(pd.DataFrame({"x": [1.0]})).mark_rule(color="#333", strokeDash=[4, 3]).encode(
        x=alt.X("x:Q", scale=x_scale))
    return (one + bars + dots).properties(height=32 * len(data) + 60).to_dict()


@st.cache_data(show_spinner=False, max_entries=64)
def context_spec(counts: pd.DataFrame, moments_df: pd.DataFrame, start: pd.Timestamp,
                 end: pd.Timestamp, y_title: str) -> dict:
    """Return the Vega-Lite spec of counts per 5 min with the moments as vertical markers."""
    data = counts.assign(tijd=local_time(counts["start"]))[["tijd", "count"]]
    bars = alt.Chart(data).mark_bar(color="#6b8fb3").encode(
        x=alt.X("tijd:T", title=None, axis=alt.Axis(format="%H:%M")),
        y=alt.Y("count:Q", title=y_title),
        tooltip=[alt.Tooltip("tijd:T", format="%H:%M"), alt.Tooltip("count:Q")])
    rules = moment_rules(moments_df, start, end)
    return (bars + rules if rules is not None else bars).properties(height=200).to_dict()


def moments_section() -> None:
    """List all moments (texts only in dataframe cells) and, for the analist, the add form."""
    st.subheader(tr(TEXTS, "moments"))
    st.caption(tr(TEXTS, "moments_help"))
    if known.empty:
        st.info(tr(TEXTS, "no_moments"))
    else:
        listing = pd.DataFrame({
            tr(TEXTS, "col_time"): local_time(known[S.MOMENT_TIME]),
            tr(TEXTS, "col_channel"): known[S.MOMENT_CHANNEL].map(channel_label),
            tr(TEXTS, "col_origin"): known[S.MOMENT_ORIGIN].map(
                lambda o: tr(TEXTS, "auto") if o == "official_account" else tr(TEXTS, "manual")),
            tr(TEXTS, "col_text"): known[S.MOMENT_TEXT].astype(str),
        })
        st.dataframe(listing, hide_index=True, width="stretch", height=min(table_height(len(listing)), 280),
                     column_config={tr(TEXTS, "col_time"): st.column_config.DatetimeColumn(
                         format="DD-MM HH:mm:ss")})

    # Adding moments changes what everyone sees on this page: only roles with `moment.add` (the
    # analist) see the form; `actions.add_moment` checks it again, writes and audits in one transaction.
    if allowed(ctx.user, "moment.add"):
        with st.expander(tr(TEXTS, "add")):
            with st.form("effect_add", clear_on_submit=True):
                day0 = pd.Timestamp(ctx.now).tz_convert(TZ)
                c1, c2, c3 = st.columns([1, 1, 2])
                add_date = c1.date_input(tr(TEXTS, "add_date"), value=day0.date(), key="effect_add_date",
                                         format="DD-MM-YYYY")
                add_time = c2.time_input(tr(TEXTS, "add_time"), value=day0.time().replace(second=0,
                                         microsecond=0), key="effect_add_time", step=60)
                add_channel = c3.selectbox(tr(TEXTS, "add_channel"), S.CHANNELS,
                                           key="effect_add_channel", format_func=channel_label,
                                           index=S.CHANNELS.index("persconferentie"))
                add_text = st.text_area(tr(TEXTS, "add_text"), key="effect_add_text", max_chars=1000)
                submitted = st.form_submit_button(tr(TEXTS, "add_submit"), type="primary")
            if submitted:
                local = pd.Timestamp.combine(add_date, add_time).tz_localize(
                    TZ, nonexistent="NaT", ambiguous="NaT")
                if not str(add_text).strip():
                    st.error(tr(TEXTS, "add_empty"))
                elif local is pd.NaT:
                    st.error(tr(TEXTS, "add_bad_time"))
                else:
                    actions.add_moment(engine(), ctx.user, incident_id, time=local, channel=add_channel,
                                       text=str(add_text))
                    moments.clear()
                    st.toast(tr(TEXTS, "add_done"))
                    st.rerun()


# --- the page -----------------------------------------------------------------------------
ctx = page_context("effect")
header(tr(TEXTS, "title"), ctx)
with st.container(border=True):
    st.markdown(tr(TEXTS, "not_cause"))
    st.markdown(E.INTERPRETATION["en" if lang() == "en" else "nl"])

incident_id = int(ctx.incident["id"])
all_moments = moments(incident_id)
known = all_moments[all_moments[S.MOMENT_TIME] <= ctx.now]

if known.empty or ctx.scoped.empty:
    moments_section()
    representativeness_panel(ctx)
    st.stop()

# --- choose a moment ---------------------------------------------------------------------
ids = known[S.MOMENT_ID].astype(int).tolist()
by_id = known.set_index(known[S.MOMENT_ID].astype(int))
if st.session_state.get("effect_moment") not in ids:
    st.session_state["effect_moment"] = ids[-1]  # the most recent moment by default
c1, c2, c3 = st.columns([3, 2, 2])
moment_id = c1.selectbox(
    tr(TEXTS, "choose"), ids, key="effect_moment",
    format_func=lambda i: (f"{fmt_time(by_id.loc[i, S.MOMENT_TIME], with_date=True)} · "
                           f"{channel_label(by_id.loc[i, S.MOMENT_CHANNEL])}"))
minutes = c2.radio(tr(TEXTS, "window"), WINDOWS, index=1, key="effect_window", horizontal=True,
                   format_func=lambda m: f"{m} min")
by_choice = c3.radio(tr(TEXTS, "by"), ["categorie", "thema"], key="effect_by", horizontal=True,
                     format_func=lambda v: tr(TEXTS, "by_cat" if v == "categorie" else "by_theme"))
by = S.CATEGORIES if by_choice == "categorie" else S.THEME
chosen = by_id.loc[moment_id]
t0 = pd.Timestamp(chosen[S.MOMENT_TIME])
st.caption(tr(TEXTS, "chosen_text"))
st.text(str(chosen[S.MOMENT_TEXT]))

rows_key = tuple((int(r[S.MOMENT_ID]), pd.Timestamp(r[S.MOMENT_TIME]).isoformat(),
                  str(r[S.MOMENT_CHANNEL])) for _, r in known.iterrows())
table = view(ctx, effect_rows, rows_key, int(moment_id), by, int(minutes), scope="all")
if table.empty:
    st.info(tr(TEXTS, "no_data"))
    moments_section()
    representativeness_panel(ctx)
    st.stop()

window = pd.Timedelta(minutes=int(minutes))
close = known[(known[S.MOMENT_ID].astype(int) != moment_id)
              & ((known[S.MOMENT_TIME] - t0).abs() < window)]
if len(close):
    others = ", ".join(f"{fmt_time(t)} ({channel_label(c)})"
                       for t, c in zip(close[S.MOMENT_TIME], close[S.MOMENT_CHANNEL], strict=True))
    st.warning(tr(TEXTS, "overlap", minutes=int(minutes), others=others))
after_hours = float(table["after_hours"].iloc[0])
if after_hours * 60 < int(minutes) - 0.5:
    st.info(tr(TEXTS, "truncated", minutes=int(minutes), hours=after_hours * 60))

# --- the effect chart and table -------------------------------------------------------
labels_theme = view(ctx, theme_labels, scope="all") if by == S.THEME else {}


def group_label(value) -> str:
    """Return the readable name of a category code or theme id (theme labels are untrusted)."""
    if by == S.CATEGORIES:
        return S.category_label(value, lang()) if value in S.CATEGORIES_BY_CODE else str(value)
    return f"{int(value)} · {display_label(labels_theme.get(int(value), ''), lang())}"


def option_label(value) -> str:
    """Return a selectbox option for a theme id (the untrusted label is shown with st.text)."""
    return f"{tr(TEXTS, 'by_theme').capitalize()} {int(value)}"


def direction(row) -> str:
    """Return whether the interval lies wholly below or above 1."""
    if row["ci_high"] < 1:
        return tr(TEXTS, "down")
    if row["ci_low"] > 1:
        return tr(TEXTS, "up")
    return tr(TEXTS, "flat")


shown = table.assign(
    label=table["category"].map(group_label),
    n=table["before_count"] + table["after_count"],
    richting=table.apply(direction, axis=1),
)
chart_data = shown[shown["n"] >= MIN_CHART].assign(
    r=lambda d: d["ratio"].clip(*CLIP), lo=lambda d: d["ci_low"].clip(*CLIP),
    hi=lambda d: d["ci_high"].clip(*CLIP),
    interval=lambda d: d["ci_low"].map(fmt_dec).astype("str") + "–" + d["ci_high"].map(fmt_dec).astype("str"),
)
clear_down = chart_data[chart_data["ci_high"] < 1].sort_values("ratio").head(3)
clear_up = chart_data[chart_data["ci_low"] > 1].sort_values("ratio", ascending=False).head(3)


def listing(part: pd.DataFrame) -> str:
    """Return 'Gerucht ×0.37 (0.29–0.48), ...' for the summary."""
    return ", ".join(f"{r.label} ×{fmt_dec(r.ratio)} ({fmt_dec(r.ci_low)}–{fmt_dec(r.ci_high)})"
                     for r in part.itertuples())


summary = tr(TEXTS, "summary_head", minutes=int(minutes)) + " " + (
    tr(TEXTS, "summary_down", items=listing(clear_down)) if len(clear_down) else
    tr(TEXTS, "summary_no_down")) + " " + (
    tr(TEXTS, "summary_up", items=listing(clear_up)) if len(clear_up) else "") + " " + tr(
    TEXTS, "summary_rest")
with st.container(border=True):
    if by == S.CATEGORIES:  # category names are our own, trusted text
        st.markdown(summary)
    else:  # theme labels come from the public's words: plain text only
        st.text(summary)
st.subheader(tr(TEXTS, "chart_title"))
st.caption(tr(TEXTS, "chart_help", n=MIN_CHART))
if not chart_data.empty:
    show_chart(effect_spec(
        chart_data[["label", "r", "lo", "hi", "ratio", "interval", "before_count", "after_count",
                    "richting"]],
        {k: tr(TEXTS, k) for k in ("down", "flat", "up", "group", "before", "after", "ratio",
                                   "interval", "ratio_axis", "direction")}), width="stretch")

view_table = pd.DataFrame({
    tr(TEXTS, "group"): shown["label"],
    tr(TEXTS, "before"): shown["before_count"],
    tr(TEXTS, "after"): shown["after_count"],
    tr(TEXTS, "before_rate"): shown["before_rate"].round(1),
    tr(TEXTS, "after_rate"): shown["after_rate"].round(1),
    tr(TEXTS, "ratio"): shown["ratio"].round(2),
    tr(TEXTS, "interval"): shown["ci_low"].map(fmt_dec).astype("str") + " – "
    + shown["ci_high"].map(fmt_dec).astype("str"),
    tr(TEXTS, "before_share"): shown["before_share"],
    tr(TEXTS, "after_share"): shown["after_share"],
    tr(TEXTS, "share_interval"): shown["share_ratio"].map(fmt_dec).astype("str") + " ("
    + shown["share_ci_low"].map(fmt_dec).astype("str") + " – "
    + shown["share_ci_high"].map(fmt_dec).astype("str") + ")",
    tr(TEXTS, "direction"): shown["richting"],
    # the long accuracy sentence last: before it, it pushed the interval out of sight at 1400 px
    **({tr(TEXTS, "accuracy"): shown["category"].map(accuracy_note)} if by == S.CATEGORIES else {}),
})
st.subheader(tr(TEXTS, "table_title"))
show_table(view_table, {tr(TEXTS, "before_rate"): 1, tr(TEXTS, "after_rate"): 1, tr(TEXTS, "ratio"): 2,
                        tr(TEXTS, "before_share"): PERCENT, tr(TEXTS, "after_share"): PERCENT},
           hide_index=True, width="stretch", height=table_height(len(view_table), 15))  # all 11 in sight

# --- trend-adjusted estimate for one group -----------------------------------------------
st.subheader(tr(TEXTS, "seg_title"))
st.caption(tr(TEXTS, "seg_help"))
eligible = shown[shown["n"] >= MIN_SEGMENTED]
groups = eligible["category"].tolist() or shown["category"].tolist()
if by == S.CATEGORIES:
    groups = [g for g in groups if g not in ("ruis", "officieel")] or groups
group_for = (int(moment_id), by_choice)
if st.session_state.get("effect_group") not in groups or st.session_state.get(
        "effect_group_for") != group_for:
    st.session_state["effect_group_for"] = group_for
    # default: the group whose interval lies furthest from 1 (the most notable change)
    cand = eligible[eligible["category"].isin(groups)] if len(eligible) else shown
    far = np.maximum(np.log(cand["ci_low"].clip(lower=1e-9)), -np.log(cand["ci_high"].clip(lower=1e-9)))
    st.session_state["effect_group"] = cand["category"].iloc[int(np.argmax(far.to_numpy()))]
group = st.selectbox(tr(TEXTS, "seg_group"), groups, key="effect_group",
                     format_func=group_label if by == S.CATEGORIES else option_label)
if by == S.THEME:  # theme labels are untrusted: plain text, never in a widget label
    st.text(group_label(group))
seg = view(ctx, segmented, t0.isoformat(), group, int(minutes), scope="all")
n_near = seg["before_count"] + seg["after_count"]
if n_near < MIN_SEGMENTED or seg["note"] or not np.isfinite(seg["level_ratio"]):
    why = seg["note"] or tr(TEXTS, "seg_min", n=MIN_SEGMENTED)
    st.info(tr(TEXTS, "seg_none", why=why))
else:
    m1, m2, m3 = st.columns(3)
    m1.metric(tr(TEXTS, "seg_jump"), fmt_dec(seg['level_ratio']),
              help=f"95%: {fmt_dec(seg['ci_low'])} – {fmt_dec(seg['ci_high'])}")
    m1.caption(f"95%: {fmt_dec(seg['ci_low'])} – {fmt_dec(seg['ci_high'])}")
    m2.metric(tr(TEXTS, "seg_simple"), fmt_dec(seg['naive_ratio']))
    m3.metric(tr(TEXTS, "seg_expected"),
              f"{fmt_int(round(seg['expected_after_without_change']))} → {fmt_int(seg['observed_after'])}")
    simple = chart_data.set_index("category") if len(chart_data) else None
    if simple is not None and group in simple.index:
        s_lo, s_hi = simple.loc[group, "ci_low"], simple.loc[group, "ci_high"]
        if (s_hi < 1 or s_lo > 1) and seg["ci_low"] <= 1 <= seg["ci_high"]:
            st.warning(tr(TEXTS, "seg_trend_only"))
if by == S.THEME:
    st.caption(tr(TEXTS, "context_theme"))
else:
    st.caption(tr(TEXTS, "context_title", group=S.category_label(group, lang())))
counts = view(ctx, context_counts, t0.isoformat(), group, int(minutes), scope="all")
show_chart(context_spec(counts, known, t0 - window, t0 + window, tr(TEXTS, "per5")),
                  width="stretch")

# --- uptake of our own words --------------------------------------------------------
st.subheader(tr(TEXTS, "uptake_title"))
st.caption(tr(TEXTS, "uptake_help"))
up = view(ctx, uptake, str(chosen[S.MOMENT_TEXT]), t0.isoformat(), int(minutes), scope="all")
if not up.empty:
    up = up[(up["before_count"] + up["after_count"]) > 0]
if up.empty:
    st.info(tr(TEXTS, "no_uptake"))
else:
    kind_order = {"zin": 0, "woordpaar": 1, "woord": 2}
    up = up.assign(_k=up["kind"].map(kind_order)).sort_values(
        ["after_count", "_k"], ascending=[False, True]).head(12)
    show_table(pd.DataFrame({
        tr(TEXTS, "term"): up["term"].astype(str),
        tr(TEXTS, "kind"): up["kind"].map(lambda k: KIND_LABELS[k][1 if lang() == "en" else 0]),
        tr(TEXTS, "before"): up["before_count"],
        tr(TEXTS, "after"): up["after_count"],
        tr(TEXTS, "before_share"): up["before_share"],
        tr(TEXTS, "after_share"): up["after_share"],
        tr(TEXTS, "share_interval"): up["share_ratio"].map(fmt_dec).astype("str") + " ("
        + up["share_ci_low"].map(fmt_dec).astype("str") + " – "
        + up["share_ci_high"].map(fmt_dec).astype("str") + ")",
    }), {tr(TEXTS, "before_share"): PERCENT, tr(TEXTS, "after_share"): PERCENT},
        hide_index=True, width="stretch", height=table_height(len(up)))  # the twelve kept: all in sight

moments_section()
representativeness_panel(ctx)

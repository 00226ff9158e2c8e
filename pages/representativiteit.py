"""Representativiteit: who is speaking in this feed, and who is not.

Figures on the public messages (official accounts left out) in the sidebar window:
authors against messages, how activity is spread over authors (counts only, no
identities), reposts, duplicates, near-duplicate bursts (times and sizes, no texts),
platforms present and absent, languages, gaps in the feed, and the measured accuracy
of the classifier. Ends with the fixed caveat and where to find representative data.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pages._context import language_label, page_context
from pages._data import accuracy_table, view_codes
from pages._panels import header, representativeness_panel
from pages._text import fmt_int, fmt_time, lang, show_table, tr
from pipeline import schema as S
from pipeline.model.evaluate import BASELINE_SUFFIX
from pipeline.render.tableformat import PERCENT, interval
from pipeline.views.aggregate import CLOSED_PLATFORMS

# messages per author: (lowest, highest) per bin, highest None = no upper limit
ACTIVITY_BINS = ((1, 1), (2, 5), (6, 20), (21, None))
BURSTS_SHOWN = 100  # rows of the copy-burst table (biggest first)

TEXTS = {
    "title": {"nl": "Representativiteit", "en": "Representativeness"},
    "caveat": {"nl": ("Sociale media laten zien wie er post, niet wat de bevolking denkt — het "
                      "stille midden telt niet mee."),
               "en": ("Social media show who posts, not what the population thinks — the silent "
                      "majority is not counted.")},
    "intro": {"nl": ("Deze pagina laat zien hoe scheef de stroom berichten is: hoeveel mensen er "
                     "achter de berichten zitten, of een kleine groep de toon zet, en welke "
                     "kanalen we niet zien. Berichten van officiële accounts tellen niet mee."),
              "en": ("This page shows how skewed the stream of messages is: how many people are "
                     "behind the messages, whether a small group sets the tone, and which "
                     "channels we do not see. Messages from official accounts are left out.")},
    "messages": {"nl": "Berichten", "en": "Messages"},
    "authors": {"nl": "Unieke auteurs", "en": "Distinct authors"},
    "per_author": {"nl": "Berichten per auteur", "en": "Messages per author"},
    "top10": {"nl": "Aandeel top-10 auteurs", "en": "Share of top-10 authors"},
    "top10_help": {"nl": "Deel van alle berichten dat van de 10 actiefste auteurs komt.",
                   "en": "Part of all messages written by the 10 most active authors."},
    "activity": {"nl": "Hoe actief zijn de auteurs?", "en": "How active are the authors?"},
    "bin": {"nl": "Berichten per auteur", "en": "Messages per author"},
    "n_authors": {"nl": "Auteurs", "en": "Authors"},
    "n_messages": {"nl": "Samen berichten", "en": "Their messages"},
    "msg_share": {"nl": "Aandeel", "en": "Share"},
    "activity_note": {"nl": "Alleen aantallen; wie de auteurs zijn wordt nergens getoond.",
                      "en": "Counts only; who the authors are is never shown."},
    "copies": {"nl": "Herhaling en mogelijke coördinatie", "en": "Repetition and possible coordination"},
    "reposts": {"nl": "Reposts / retweets", "en": "Reposts / retweets"},
    "dups": {"nl": "Gedeelde tekst", "en": "Shared text"},
    "dups_help": {"nl": ("Deel van de berichten waarvan precies dezelfde tekst ook door een andere "
                         "auteur is geplaatst."),
                  "en": "Part of the messages whose exact text was also posted by another author."},
    "n_bursts": {"nl": "Kopieer-golven", "en": "Copy bursts"},
    "bursts_note": {"nl": ("Kopieer-golf: minstens 5 bijna gelijke berichten van minstens 5 "
                           "verschillende auteurs binnen 10 minuten. Dat kan een kettingbericht "
                           "zijn dat mensen doorsturen, maar ook gecoördineerd gedrag of bots. "
                           "Teksten en auteurs worden hier niet getoond."),
                    "en": ("Copy burst: at least 5 near-identical messages from at least 5 "
                           "distinct authors within 10 minutes. It may be a chain message people "
                           "forward, but also coordinated behaviour or bots. Texts and authors are "
                           "not shown here.")},
    "from": {"nl": "Van", "en": "From"},
    "to": {"nl": "Tot", "en": "To"},
    "burst_msgs": {"nl": "Berichten", "en": "Messages"},
    "burst_authors": {"nl": "Auteurs", "en": "Authors"},
    "bursts_top": {"nl": "De {n} grootste van {total} kopieer-golven:",
                   "en": "The {n} largest of {total} copy bursts:"},
    "no_bursts": {"nl": "Geen kopieer-golven in dit venster.", "en": "No copy bursts in this window."},
    "platforms": {"nl": "Platforms", "en": "Platforms"},
    "platform": {"nl": "Platform", "en": "Platform"},
    "share": {"nl": "Aandeel", "en": "Share"},
    "absent": {"nl": "Niet in de data: {names}.", "en": "Not in the data: {names}."},
    "closed": {"nl": ("Besloten kanalen zoals {names} zijn nooit zichtbaar: wat daar gedeeld "
                      "wordt (vaak juist tussen buren en familie) ontbreekt altijd."),
               "en": ("Closed channels such as {names} are never visible: what is shared there "
                      "(often between neighbours and family) is always missing.")},
    "languages": {"nl": "Talen", "en": "Languages"},
    "language": {"nl": "Taal", "en": "Language"},
    "languages_note": {"nl": ("Taal is automatisch herkend; korte berichten kunnen verkeerd "
                              "herkend zijn. Anderstaligen die niet posten, zie je niet."),
                       "en": ("Language is detected automatically; short messages may be "
                              "misdetected. People of other languages who do not post are not "
                              "seen.")},
    "gaps": {"nl": "Gaten in de aanvoer", "en": "Gaps in the feed"},
    "gaps_note": {"nl": ("Periodes van meer dan 15 minuten zonder één bericht. Vaak een storing "
                         "in de aanvoer, niet een stil publiek: conclusies over die periode zijn "
                         "onzeker."),
                  "en": ("Periods of more than 15 minutes without a single message. Often a "
                         "problem in the feed, not a silent public: conclusions about such a "
                         "period are uncertain.")},
    "minutes": {"nl": "Minuten", "en": "Minutes"},
    "no_gaps": {"nl": "Geen gaten van meer dan 15 minuten.", "en": "No gaps of more than 15 minutes."},
    "sources": {"nl": "Wat denkt de bevolking echt?", "en": "What does the population really think?"},
    "sources_text": {"nl": ("Voor een representatief beeld is een aparte bron nodig: een "
                            "flitspeiling of panelonderzoek onder inwoners, bijvoorbeeld via de "
                            "GGD (gezondheidsmonitor, GGD-panel) of een onderzoeksbureau met een "
                            "inwonerspanel. Gebruik dit dashboard om vragen, zorgen en geruchten "
                            "op te sporen, niet om te zeggen hoeveel inwoners iets vinden."),
                     "en": ("A representative picture needs a separate source: a rapid poll or "
                            "panel survey of residents, for example via the GGD (municipal health "
                            "service, health monitor or panel) or a research bureau with a "
                            "residents' panel. Use this dashboard to find questions, worries and "
                            "rumours, not to say how many residents think something.")},
    "accuracy": {"nl": "Hoe goed is de automatische indeling?",
                 "en": "How good is the automatic classification?"},
    "accuracy_read": {"nl": ("Zo lees je de tabel: precisie = van de berichten die het systeem in "
                             "een categorie zet, het deel dat er echt in hoort; recall = van de "
                             "berichten die er echt in horen, het deel dat het systeem vindt; F1 "
                             "combineert beide (1 = perfect, 0 = niets goed). Het interval geeft "
                             "de onzekerheid (95%, bootstrap); n is het aantal gelabelde berichten "
                             "in de testset. Gemeten op openbare testsets van andere crises, niet "
                             "op dit incident: een lage F1 of een breed interval betekent dat de "
                             "aantallen per categorie een ruwe schatting zijn."),
                      "en": ("How to read the table: precision = of the messages the system puts "
                             "in a category, the part that really belongs there; recall = of the "
                             "messages that really belong there, the part the system finds; F1 "
                             "combines both (1 = perfect, 0 = nothing right). The interval shows "
                             "the uncertainty (95%, bootstrap); n is the number of labelled "
                             "messages in the test set. Measured on public test sets from other "
                             "crises, not on this incident: a low F1 or a wide interval means the "
                             "counts per category are a rough estimate.")},
    "no_accuracy": {"nl": "De nauwkeurigheid is nog niet gemeten.",
                    "en": "Accuracy has not been measured yet."},
    "not_measured": {"nl": "Nog niet gemeten: {names}.", "en": "Not yet measured: {names}."},
    "category": {"nl": "Categorie", "en": "Category"},
    "baseline_row": {"nl": "{name}: alleen het vraagteken (ter vergelijking)",
                     "en": "{name}: question mark only (baseline)"},
    "dataset": {"nl": "Testset", "en": "Test set"},
    "precision": {"nl": "Precisie", "en": "Precision"},
    "recall": {"nl": "Recall", "en": "Recall"},
    "interval": {"nl": "F1 95%-interval", "en": "F1 95% interval"},
    "no_data": {"nl": "Geen berichten in dit venster.", "en": "No messages in this window."},
}


def author_activity(df: pd.DataFrame | pd.Series) -> pd.DataFrame:
    """Return per activity bin (1, 2–5, 6–20, >20 messages): bin, n_authors, n_messages, share.

    `df`: messages, or already their number per author (a Series).
    """
    per_author = df if isinstance(df, pd.Series) else df[S.AUTHOR].value_counts()
    total = int(per_author.sum())
    rows = []
    for low, high in ACTIVITY_BINS:
        inside = per_author[(per_author >= low) & ((per_author <= high) if high else True)]
        label = str(low) if low == high else f"{low}–{high}" if high else f">{low - 1}"
        rows.append({"bin": label, "n_authors": int(inside.size), "n_messages": int(inside.sum()),
                     "share": float(inside.sum() / total) if total else 0.0})
    return pd.DataFrame(rows)


def _repr_figures(codes, rows, start: pd.Timestamp, end: pd.Timestamp) -> dict:
    """Return the representativeness figures and the activity table of the public messages in view.

    From the incident's codes (pipeline/views/live.py): equal to `representativeness` and
    `author_activity` of those messages, at live-refresh cost.
    """
    fig = codes.representativeness(rows, start=start, end=end)
    return fig | {"activity": author_activity(codes.author_counts(rows))}


def _pct(x: float) -> str:
    """Return a share as a whole percentage."""
    return f"{x:.0%}"


ctx = page_context("representativiteit")
header(tr(TEXTS, "title"), ctx)
with st.container(border=True):
    st.markdown(f"**{tr(TEXTS, 'caveat')}**")
    st.caption(tr(TEXTS, "intro"))

fig = view_codes(ctx, _repr_figures, ctx.start, ctx.now)
if fig["n_messages"] == 0:
    st.info(tr(TEXTS, "no_data"))

c1, c2, c3, c4 = st.columns(4)
c1.metric(tr(TEXTS, "messages"), fmt_int(fig["n_messages"]))
c2.metric(tr(TEXTS, "authors"), fmt_int(fig["n_authors"]))
c3.metric(tr(TEXTS, "per_author"), f"{fig['messages_per_author']:.1f}".replace(
    ".", "," if lang() == "nl" else "."))
c4.metric(tr(TEXTS, "top10"), _pct(fig["top10_share"]), help=tr(TEXTS, "top10_help"))

left, right = st.columns(2)
with left:
    st.subheader(tr(TEXTS, "activity"))
    act = fig["activity"]
    show_table(pd.DataFrame({
        tr(TEXTS, "bin"): act["bin"], tr(TEXTS, "n_authors"): act["n_authors"],
        tr(TEXTS, "n_messages"): act["n_messages"], tr(TEXTS, "msg_share"): act["share"],
    }), {tr(TEXTS, "msg_share"): PERCENT}, hide_index=True, width="stretch")
    st.caption(tr(TEXTS, "activity_note"))
with right:
    st.subheader(tr(TEXTS, "copies"))
    d1, d2, d3 = st.columns(3)
    d1.metric(tr(TEXTS, "reposts"), _pct(fig["repost_share"]))
    d2.metric(tr(TEXTS, "dups"), _pct(fig["duplicate_share"]), help=tr(TEXTS, "dups_help"))
    d3.metric(tr(TEXTS, "n_bursts"), fmt_int(len(fig["near_duplicate_bursts"])))
    bursts = pd.DataFrame(fig["near_duplicate_bursts"], columns=["start", "end", "n_messages",
                                                                  "n_authors"])
    # the biggest bursts first: those are the ones worth a look
    bursts = bursts.sort_values(["n_messages", "start"], ascending=[False, True], kind="stable")
    if bursts.empty:
        st.caption(tr(TEXTS, "no_bursts"))
    else:
        if len(bursts) > BURSTS_SHOWN:  # a 1M incident has thousands: the biggest say enough
            st.caption(tr(TEXTS, "bursts_top", n=fmt_int(BURSTS_SHOWN), total=fmt_int(len(bursts))))
            bursts = bursts.head(BURSTS_SHOWN)
        show_table(pd.DataFrame({
            tr(TEXTS, "from"): [fmt_time(t) for t in bursts["start"]],
            tr(TEXTS, "to"): [fmt_time(t) for t in bursts["end"]],
            tr(TEXTS, "burst_msgs"): bursts["n_messages"],
            tr(TEXTS, "burst_authors"): bursts["n_authors"],
        }), hide_index=True, width="stretch", height=250)
    st.caption(tr(TEXTS, "bursts_note"))

left, right = st.columns(2)
with left:
    st.subheader(tr(TEXTS, "platforms"))
    platforms = pd.Series(fig["platforms"], dtype="int64").sort_values(ascending=False)
    show_table(pd.DataFrame({
        tr(TEXTS, "platform"): platforms.index, tr(TEXTS, "messages"): platforms.to_numpy(),
        tr(TEXTS, "share"): (platforms / max(fig["n_messages"], 1)).to_numpy(),
    }), {tr(TEXTS, "share"): PERCENT}, hide_index=True, width="stretch")
    absent = fig["platforms_absent"]
    if absent:
        st.caption(tr(TEXTS, "absent", names=", ".join(absent)))
    st.caption(tr(TEXTS, "closed", names=", ".join(CLOSED_PLATFORMS)))
with right:
    st.subheader(tr(TEXTS, "languages"))
    langs = pd.Series(fig["languages"], dtype="float64").sort_values(ascending=False)
    show_table(pd.DataFrame({
        tr(TEXTS, "language"): [language_label(c) for c in langs.index],  # as Overzicht and the sidebar
        tr(TEXTS, "share"): langs.to_numpy(),
    }), {tr(TEXTS, "share"): PERCENT}, hide_index=True, width="stretch")
    st.caption(tr(TEXTS, "languages_note"))

st.subheader(tr(TEXTS, "gaps"))
if fig["gaps"]:
    show_table(pd.DataFrame({
        tr(TEXTS, "from"): [fmt_time(a, with_date=True) for a, _ in fig["gaps"]],
        tr(TEXTS, "to"): [fmt_time(b, with_date=True) for _, b in fig["gaps"]],
        tr(TEXTS, "minutes"): [int((b - a) / pd.Timedelta(minutes=1)) for a, b in fig["gaps"]],
    }), hide_index=True)
else:
    st.caption(tr(TEXTS, "no_gaps"))
st.caption(tr(TEXTS, "gaps_note"))

with st.container(border=True):
    st.subheader(tr(TEXTS, "sources"))
    st.markdown(tr(TEXTS, "sources_text"))


def category_name(code: str) -> str:
    """Return a measured row's category in words; the "?" rule beside vraag as what it is."""
    if code.endswith(BASELINE_SUFFIX):  # before: "vraag [?-baseline]" between "Vraag" and "Kritiek"
        return tr(TEXTS, "baseline_row", name=category_name(code[:-len(BASELINE_SUFFIX)]))
    return S.category_label(code, lang()) if code in S.CATEGORIES_BY_CODE else code


st.subheader(tr(TEXTS, "accuracy"))
table = accuracy_table()
if table.empty:
    st.caption(tr(TEXTS, "no_accuracy"))
else:
    st.caption(tr(TEXTS, "accuracy_read"))
    show_table(pd.DataFrame({
        tr(TEXTS, "category"): [category_name(c) for c in table["category"]],
        tr(TEXTS, "dataset"): table["dataset"],
        tr(TEXTS, "language"): table["language"],
        "n": table["n"],
        tr(TEXTS, "precision"): table["precision"],
        tr(TEXTS, "recall"): table["recall"],
        "F1": table["f1"],
        tr(TEXTS, "interval"): [interval(lo, hi, lang()) for lo, hi in zip(table["f1_low"],
                                                                          table["f1_high"], strict=True)],
    }), {c: 2 for c in (tr(TEXTS, "precision"), tr(TEXTS, "recall"), "F1")}, hide_index=True,
        width="stretch")
    missing = [S.category_label(c.code, lang()) for c in S.CATEGORY_LIST
               if c.code not in set(table["category"])]
    if missing:
        st.caption(tr(TEXTS, "not_measured", names=", ".join(missing)))

representativeness_panel(ctx)

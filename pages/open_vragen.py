"""Open vragen: which questions does the public ask, and have we answered them yet?

Clustering and coverage live in `pipeline.views.questions` (documented there). Cluster
labels are terms of the public: untrusted, shown only in dataframe cells and
with `st.text`. Example questions only for roles with `view.examples` and only
for clusters with at least k distinct authors.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pages._context import page_context
from pages._data import engine, moments, view
from pages._login import allowed
from pages._panels import accuracy_note, header, representativeness_panel
from pages._text import fmt_int, fmt_time, lang, show_table, table_height, tr
from pipeline import schema as S
from pipeline.config import view_min_authors
from pipeline.governance import policy as governance
from pipeline.views import questions as Q

TEXTS = {
    "title": {"nl": "Open vragen", "en": "Open questions"},
    "intro": {"nl": ("Vragen van het publiek, gegroepeerd. **Beantwoord** betekent: een "
                     "communicatiemoment sinds de eerste vraag noemt hetzelfde onderwerp "
                     "(woordovereenkomst, met synoniemen). Dat is geen garantie dat de vraag "
                     "echt beantwoord is — blijven de vragen komen, dan is het antwoord "
                     "kennelijk niet aangekomen of niet volledig."),
              "en": ("Questions from the public, grouped. **Answered** means: a communication "
                     "moment since the first question mentions the same subject (word overlap, "
                     "with synonyms). That does not guarantee the question was really answered "
                     "— if the questions keep coming, the answer apparently did not land or was "
                     "incomplete.")},
    "scope": {"nl": "Hele incident tot {now}; trend = laatste uur tegen het uur ervoor.",
              "en": "Whole incident until {now}; trend = last hour against the hour before."},
    "n_questions": {"nl": "Vragen", "en": "Questions"},
    "n_open": {"nl": "Open onderwerpen", "en": "Open subjects"},
    "n_answered": {"nl": "Beantwoord", "en": "Answered"},
    "n_last_hour": {"nl": "Vragen laatste uur", "en": "Questions last hour"},
    "none": {"nl": "Geen vragen gevonden in de berichten.", "en": "No questions found in the messages."},
    "none_shown": {"nl": "Geen vraaggroep met ten minste {k} verschillende auteurs in deze selectie.",
                   "en": "No question group with at least {k} distinct authors in this selection."},
    "answered": {"nl": "✅ beantwoord om {time} ({channel})", "en": "✅ answered at {time} ({channel})"},
    "open_table": {"nl": "Open ({n})", "en": "Open ({n})"},
    "answered_table": {"nl": "Beantwoord ({n})", "en": "Answered ({n})"},
    "answered_help": {"nl": ("Komen er na het antwoord nog vragen bij (kolom 'Vragen sinds antwoord'), "
                             "dan is het antwoord kennelijk niet aangekomen of niet volledig."),
                      "en": ("If questions keep coming after the answer (column 'Questions since "
                             "answer'), the answer apparently did not land or was incomplete.")},
    "col_nr": {"nl": "#", "en": "#"},
    "col_status": {"nl": "Status", "en": "Status"},
    "col_topic": {"nl": "Onderwerp", "en": "Subject"},
    "col_terms": {"nl": "Kernwoorden", "en": "Key terms"},
    "col_messages": {"nl": "Vragen", "en": "Questions"},
    "col_authors": {"nl": "Auteurs", "en": "Authors"},
    "col_last": {"nl": "Laatste uur", "en": "Last hour"},
    "col_prev": {"nl": "Uur ervoor", "en": "Hour before"},
    # short: the header of a narrow column is cut ("Verloop (pe" at 1 400 px); the help says per what
    "col_trend": {"nl": "Verloop", "en": "Over time"},
    "col_trend_help": {"nl": "Aantal vragen per 30 minuten", "en": "Questions per 30 minutes"},
    "col_first": {"nl": "Eerst gezien", "en": "First seen"},
    "col_since": {"nl": "Vragen sinds antwoord", "en": "Questions since answer"},
    "col_via": {"nl": "Overeenkomst via", "en": "Matched on"},
    # the catch-all group says itself that nobody judged whether it was answered (the open table
    # has no status column: every other row in it is open)
    "other_topic": {"nl": "overige vragen (gemengd, niet beoordeeld)",
                    "en": "other questions (mixed, not assessed)"},
    "hidden": {"nl": ("{n} kleine groep(en) met minder dan {k} verschillende auteurs niet "
                      "getoond (privacy)."),
               "en": "{n} small group(s) with fewer than {k} distinct authors not shown (privacy)."},
    "examples": {"nl": "Voorbeeldvragen", "en": "Example questions"},
    "examples_pick": {"nl": "Groep", "en": "Group"},
    "examples_help": {"nl": ("Letterlijke berichten (privacygeschoond), alleen voor groepen met ten "
                             "minste {k} verschillende auteurs. Het bekijken wordt gelogd."),
                      "en": ("Verbatim messages (privacy-scrubbed), only for groups with at least "
                             "{k} distinct authors. Viewing is logged.")},
    "examples_show": {"nl": "Toon voorbeelden", "en": "Show examples"},
    "cluster_n": {"nl": "Groep {nr}", "en": "Group {nr}"},
    "method": {"nl": "Hoe werkt dit?", "en": "How does this work?"},
    "method_text": {"nl": ("1. Vragen = publieke berichten met categorie *vraag* (geen reposts, "
                           "geen eigen berichten).\n"
                           "2. Vragen over een vast onderwerp (blijven of weg, ramen en deuren, "
                           "kraanwater, zwemmen, asbest) worden op woorden en synoniemen "
                           "gegroepeerd; de rest op een woord of een hele vraag die ten minste "
                           "{k} verschillende mensen gebruiken (woorden van het incident zelf, "
                           "zoals de plaatsnaam, tellen niet). Het onderwerp is een vraag zoals "
                           "mensen die schreven. Wat niemand deelt, staat onder *overige "
                           "vragen*.\n"
                           "3. Een groep is *beantwoord* als een communicatiemoment ná de "
                           "eerste vraag het onderwerp noemt (een synoniem, of twee kenmerkende "
                           "woorden van de groep). Bij twijfel blijft een groep *open*.\n"
                           "4. De classificatie van *vraag* is niet foutloos: {acc}."),
                    "en": ("1. Questions = public messages in category *question* (no reposts, "
                           "not our own posts).\n"
                           "2. Questions on a fixed subject (stay or leave, windows and doors, "
                           "tap water, swimming, asbestos) are grouped by words and synonyms; the "
                           "rest by a word or a whole question that at least {k} different people "
                           "use (the incident's own words, such as the place name, do not count). "
                           "The subject is a question as people wrote it. What nobody shares is "
                           "under *other questions*.\n"
                           "3. A group is *answered* when a communication moment after the first "
                           "question mentions the subject (a synonym, or two characteristic words "
                           "of the group). When in doubt a group stays *open*.\n"
                           "4. Classifying *question* is not error-free: {acc}.")},
}

CHANNELS = {"tweet": "tweet", "website": "website", "nl-alert": "NL-Alert",
            "persconferentie": "persconferentie", "radio": "radio", "overig": "overig"}


def open_questions(df: pd.DataFrame, params: Q.QuestionParams, moment_rows: tuple) -> pd.DataFrame:
    """Return question clusters with their coverage by the moments (id, iso time, channel, text)."""
    clusters = Q.question_clusters(df, params)
    mom = pd.DataFrame({
        S.MOMENT_ID: [r[0] for r in moment_rows],
        S.MOMENT_TIME: pd.to_datetime([r[1] for r in moment_rows], utc=True),
        S.MOMENT_CHANNEL: [r[2] for r in moment_rows],
        S.MOMENT_TEXT: [r[3] for r in moment_rows],
    })
    return Q.coverage(clusters, mom)


def status_text(row) -> str:
    """Return when and how an answered cluster was answered (the open table has no status column)."""
    return tr(TEXTS, "answered", time=fmt_time(row["answered_at"]),
              channel=CHANNELS.get(row["answered_channel"], row["answered_channel"]))


def topic_text(row) -> str:
    """Return the fixed (trusted) name of a cluster's subject, or a dash."""
    if row["topic"]:
        return Q.TOPIC_LABELS["en" if lang() == "en" else "nl"][row["topic"]]
    if row["cluster"] == Q.OTHER_CLUSTER:
        return tr(TEXTS, "other_topic")
    return Q.display_subject(str(row.get("subject") or Q.NO_SUBJECT["nl"]), lang())  # plain text


def question_table(rows: pd.DataFrame, *, answered: bool) -> None:
    """Show one table of question groups: the subject and its counts first, then the rest."""
    columns = {
        # the subject and its counts first: what a reader needs without scrolling sideways
        tr(TEXTS, "col_nr"): rows["nr"],
        tr(TEXTS, "col_topic"): rows.apply(topic_text, axis=1),
    }
    if answered:  # when, and whether questions kept coming after the answer
        columns[tr(TEXTS, "col_status")] = rows.apply(status_text, axis=1)
        columns[tr(TEXTS, "col_since")] = rows["n_since_answer"].astype(int)
    columns.update({
        tr(TEXTS, "col_messages"): rows["n_messages"].astype(int),
        tr(TEXTS, "col_authors"): rows["n_authors"].astype(int),
        tr(TEXTS, "col_last"): rows["n_last_hour"].astype(int),
        tr(TEXTS, "col_prev"): rows["n_prev_hour"].astype(int),
        tr(TEXTS, "col_trend"): rows["spark"],
    })
    columns.update({
        tr(TEXTS, "col_terms"): rows["label"].astype(str),
        tr(TEXTS, "col_first"): rows["first_seen"].map(fmt_time),
    })
    if answered:
        columns[tr(TEXTS, "col_via")] = rows["answered_via"].astype(str)
    table = pd.DataFrame(columns)
    small = {tr(TEXTS, c): st.column_config.NumberColumn(width="small")
             for c in ("col_messages", "col_authors", "col_last", "col_prev", "col_since")}
    small[tr(TEXTS, "col_nr")] = st.column_config.NumberColumn(width=44)  # "12": room for the counts
    small[tr(TEXTS, "col_since")] = st.column_config.NumberColumn(width=160)  # its header read "Vragen sinds"
    # The subject is what the reader came for: whole, with its language ("… (Engels)"), not cut at
    # 200 px; the keywords beside it may be cut.
    show_table(table, hide_index=True, width="stretch", height=table_height(len(table)), column_config={
        **small,
        tr(TEXTS, "col_trend"): st.column_config.LineChartColumn(width="small",
                                                                 help=tr(TEXTS, "col_trend_help")),
        tr(TEXTS, "col_first"): st.column_config.TextColumn(width="small"),
        tr(TEXTS, "col_terms"): st.column_config.TextColumn(width="medium"),
    }, whole=(tr(TEXTS, "col_topic"), *((tr(TEXTS, "col_status"),) if answered else ())))


ctx = page_context("open_vragen")
header(tr(TEXTS, "title"), ctx)
st.markdown(tr(TEXTS, "intro"))
k = view_min_authors("open_vragen")

known = moments(int(ctx.incident["id"]))
known = known[known[S.MOMENT_TIME] <= ctx.now]
rows_key = tuple((int(r[S.MOMENT_ID]), pd.Timestamp(r[S.MOMENT_TIME]).isoformat(),
                  str(r[S.MOMENT_CHANNEL]), str(r[S.MOMENT_TEXT])) for _, r in known.iterrows())
params = Q.QuestionParams(now=ctx.now, min_authors=k)
result = view(ctx, open_questions, params, rows_key, scope="all")

if result.empty:
    st.info(tr(TEXTS, "none"))
    representativeness_panel(ctx)
    st.stop()

shown = result[result["shown"]].copy()
order = {"open": 0, "overig": 1, "beantwoord": 2}  # the tables in reading order: numbers run on
shown = shown.assign(_o=shown["status"].map(order)).sort_values(
    ["_o", "n_last_hour", "n_messages"], ascending=[True, False, False], kind="stable")
shown = shown.drop(columns="_o").reset_index(drop=True)
shown["nr"] = range(1, len(shown) + 1)

st.caption(tr(TEXTS, "scope", now=fmt_time(ctx.now, with_date=True)))
c1, c2, c3, c4 = st.columns(4)
c1.metric(tr(TEXTS, "n_questions"), fmt_int(result["n_messages"].sum()))
c2.metric(tr(TEXTS, "n_open"), fmt_int((shown["status"] == "open").sum()))
c3.metric(tr(TEXTS, "n_answered"), fmt_int((shown["status"] == "beantwoord").sum()))
c4.metric(tr(TEXTS, "n_last_hour"), fmt_int(result["n_last_hour"].sum()),
          delta=int(result["n_last_hour"].sum() - result["n_prev_hour"].sum()),
          delta_color="inverse")

if shown.empty:  # every group has fewer than k authors (a narrow platform/language choice)
    st.info(tr(TEXTS, "none_shown", k=k))
else:
    # Two tables, open and answered: with one table of twelve columns the status stood off to the
    # right at 1 400 px, so a reader saw two subjects at the bottom without seeing why.
    still_open = shown[shown["status"] != "beantwoord"]
    answered = shown[shown["status"] == "beantwoord"]
    if len(still_open):
        st.subheader(tr(TEXTS, "open_table", n=fmt_int((still_open["status"] == "open").sum())))
        question_table(still_open, answered=False)
    if len(answered):
        st.subheader(tr(TEXTS, "answered_table", n=fmt_int(len(answered))))
        st.caption(tr(TEXTS, "answered_help"))
        question_table(answered, answered=True)
hidden = int((~result["shown"]).sum())
if hidden:
    st.caption(tr(TEXTS, "hidden", n=hidden, k=k))

with st.expander(tr(TEXTS, "method")):
    st.markdown(tr(TEXTS, "method_text", acc=accuracy_note("vraag") or "–", k=k))

if allowed(ctx.user, "view.examples"):
    st.subheader(tr(TEXTS, "examples"))
    st.caption(tr(TEXTS, "examples_help", k=k))
    with_examples = shown[shown["examples"].map(len) > 0]
    if len(with_examples):
        names = {int(r.nr): (f"{r.nr} · {topic_text(r._asdict())}" if r.topic
                             else tr(TEXTS, "cluster_n", nr=r.nr))
                 for r in with_examples.itertuples()}
        nr = st.selectbox(tr(TEXTS, "examples_pick"), list(names), key="open_vragen_cluster",
                          format_func=names.get)
        chosen = with_examples[with_examples["nr"] == nr].iloc[0]
        if st.toggle(tr(TEXTS, "examples_show"), key="open_vragen_examples"):
            logged = st.session_state.setdefault("open_vragen_logged", set())
            log_key = (int(ctx.incident["id"]), chosen["cluster"])
            if log_key not in logged:
                governance.log_action(engine(), ctx.user, "view.examples",
                                      obj=f"question_cluster:{chosen['cluster']}",
                                      incident_id=int(ctx.incident["id"]))
                logged.add(log_key)
            st.text(str(chosen["label"]))
            for text in chosen["examples"]:
                st.text("• " + str(text))

representativeness_panel(ctx)

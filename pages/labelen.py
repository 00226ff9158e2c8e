"""Labelen: review the classifier on a sample, correct labels, measure and retrain.

Storage, agreement and training live in `pipeline.model.labels`. Message texts are
untrusted: shown with `st.text` only. Writing (corrections, training) needs
`label.correct` (the analist).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from pages._context import page_context
from pages._data import engine, view
from pages._login import allowed
from pages._panels import accuracy_note, header, representativeness_panel
from pages._text import fmt_dec, fmt_int, lang, show_table, table_height, tr
from pages._text_export import text_export_section
from pipeline import schema as S
from pipeline.config import get_settings
from pipeline.governance import actions
from pipeline.model import labels as L

TEXTS = {
    "title": {"nl": "Labelen", "en": "Labelling"},
    "intro": {"nl": ("Controleer een steekproef van berichten per categorie en corrigeer de labels. "
                     "Uw correcties laten zien hoe goed de classificatie op dít incident werkt, en "
                     "kunnen een eigen model trainen."),
              "en": ("Review a sample of messages per category and correct the labels. Your "
                     "corrections show how well the classification works on this incident, and "
                     "can train a model of your own.")},
    "acc_title": {"nl": "Gemeten nauwkeurigheid per categorie", "en": "Measured accuracy per category"},
    "acc_help": {"nl": ("**Gepubliceerd**: gemeten op een vaste testset. "
                        "**Dit incident**: overeenstemming van de huidige classificatie met uw "
                        "correcties — precisie = van wat het systeem zo labelde, klopte dit deel; "
                        "recall = van wat zo gelabeld had moeten worden, vond het systeem dit deel. "
                        "Een steekproef per voorspelde categorie meet vooral precisie; kies "
                        "\"alle berichten\" voor een eerlijke recall."),
                 "en": ("**Published**: measured on a fixed test set. "
                        "**This incident**: agreement of the current classification with your "
                        "corrections — precision = of what the system labelled so, this part was "
                        "right; recall = of what should have been labelled so, the system found "
                        "this part. A sample per predicted category mostly measures precision; "
                        "choose \"all messages\" for a fair recall.")},
    "insample": {"nl": ("Let op: het huidige model is getraind op deze correcties, dus de "
                        "overeenstemming hieronder is te rooskleurig. De kruisvalidatie is de "
                        "eerlijke maat."),
                 "en": ("Note: the current model was trained on these corrections, so the agreement "
                        "below is too rosy. The cross-validation is the fair measure.")},
    "col_cat": {"nl": "Categorie", "en": "Category"},
    "col_pub": {"nl": "Gepubliceerd", "en": "Published"},
    "col_prec": {"nl": "Precisie (dit incident)", "en": "Precision (this incident)"},
    "col_rec": {"nl": "Recall (dit incident)", "en": "Recall (this incident)"},
    "col_support": {"nl": "Positief gecorrigeerd", "en": "Corrected positives"},
    "col_pred": {"nl": "Voorspeld", "en": "Predicted"},
    "col_cv": {"nl": "Model F1 (kruisvalidatie)", "en": "Model F1 (cross-validated)"},
    "n_corrected": {"nl": "Gecorrigeerde berichten", "en": "Corrected messages"},
    "review_title": {"nl": "Controleren", "en": "Review"},
    "category": {"nl": "Steekproef uit", "en": "Sample from"},
    "all": {"nl": "alle berichten (voor recall)", "en": "all messages (for recall)"},
    "predicted_as": {"nl": "voorspeld: {label}", "en": "predicted: {label}"},
    "resample": {"nl": "Nieuwe steekproef", "en": "New sample"},
    "predicted": {"nl": "Voorspeld: {cats}", "en": "Predicted: {cats}"},
    "nothing": {"nl": "geen categorie", "en": "no category"},
    "correct": {"nl": "Juiste categorieën", "en": "Correct categories"},
    "skip": {"nl": "Overslaan (onduidelijk)", "en": "Skip (unclear)"},
    "save": {"nl": "Correcties opslaan", "en": "Save corrections"},
    "saved": {"nl": "{n} correcties opgeslagen.", "en": "{n} corrections saved."},
    "empty": {"nl": "Geen (nog niet gecorrigeerde) berichten in deze categorie.",
              "en": "No (not yet corrected) messages in this category."},
    "read_only": {"nl": "Uw rol mag labels niet corrigeren.", "en": "Your role may not correct labels."},
    "sample_help": {"nl": ("{n} willekeurige berichten (één per tekst, zonder reposts en eigen "
                           "berichten, nog niet gecorrigeerd). Pas de labels aan waar nodig; wat u "
                           "niet aanpast telt als 'klopt'."),
                    "en": ("{n} random messages (one per text, no reposts or own posts, not yet "
                           "corrected). Adjust the labels where needed; what you leave counts as "
                           "'correct'.")},
    "train_title": {"nl": "Eigen model", "en": "Own model"},
    "train": {"nl": "Train model met correcties", "en": "Train model on corrections"},
    "not_ready": {"nl": ("Nog niet genoeg correcties om te trainen: {n} gecorrigeerde berichten, "
                         "minimaal {min} nodig, en een categorie met minstens {pos} positieve en "
                         "{pos} negatieve voorbeelden."),
                  "en": ("Not enough corrections to train yet: {n} corrected messages, at least "
                         "{min} needed, and a category with at least {pos} positive and {pos} "
                         "negative examples.")},
    "ready": {"nl": ("{n} gecorrigeerde berichten. Leerbaar: {learn}. Te weinig voorbeelden (blijft "
                     "op de regels): {few}."),
              "en": ("{n} corrected messages. Learnable: {learn}. Too few examples (stays on the "
                     "rules): {few}.")},
    "trained": {"nl": ("Model {version} getraind op {n} berichten en opgeslagen. De analyse "
                       "gebruikt het vanaf nu (regels + model)."),
                "en": ("Model {version} trained on {n} messages and saved. The analysis uses it "
                       "from now on (rules + model).")},
    "active": {"nl": "Actief model: {version} ({n} trainingsberichten, {saved}).",
               "en": "Active model: {version} ({n} training messages, {saved})."},
    "no_model": {"nl": "Geen eigen model actief: de classificatie gebruikt alleen de regels.",
                 "en": "No own model active: the classification uses the rules only."},
    "remove": {"nl": "Model verwijderen (terug naar alleen regels)",
               "en": "Remove model (back to rules only)"},
    "removed": {"nl": "Model verwijderd.", "en": "Model removed."},
    "cv_title": {"nl": "Kruisvalidatie van het nieuwe model", "en": "Cross-validation of the new model"},
    "f1": {"nl": "F1", "en": "F1"},
    "f1_ci": {"nl": "F1 95%-interval", "en": "F1 95% interval"},
    "support": {"nl": "Positief", "en": "Positives"},
}

SAMPLE_SIZE = 10
KEY_SEED = "label_seed"
KEY_CV = "label_cv"


def cat_label(code: str) -> str:
    """Return the category's display label in the session language."""
    return S.category_label(code, lang())


def clear_analysis() -> None:
    """Drop cached analyses and views so the next run classifies with the current model.

    `pages/_data` keys the analysis on the data version only; until it also keys on
    `labels.model_version`, clearing every resource cache (public API, rare action)
    is the way to make the new model count.
    """
    st.cache_resource.clear()


def pct(value: float) -> str:
    """Return a share as a percentage, or a dash when undefined."""
    return "–" if value is None or (isinstance(value, float) and np.isnan(value)) else f"{value:.0%}"


ctx = page_context("labelen")
header(tr(TEXTS, "title"), ctx)
st.caption(tr(TEXTS, "intro"))
eng = engine()
incident_id = int(ctx.incident["id"])
may_write = allowed(ctx.user, "label.correct")
model_path = get_settings().home / "model"
info = L.model_info(model_path)
corrections = L.load_corrections(eng, incident_id)

# --- accuracy ---------------------------------------------------------------------------
st.subheader(tr(TEXTS, "acc_title"))
st.markdown(tr(TEXTS, "acc_help"))
agree = L.agreement(ctx.all_messages, corrections)
cv = info.get("metrics", {}) if info else {}
st.metric(tr(TEXTS, "n_corrected"), fmt_int(int(agree["n"].iloc[0]) if len(agree) else 0))
if info and len(corrections):
    st.warning(tr(TEXTS, "insample"))
acc = pd.DataFrame({
    tr(TEXTS, "col_cat"): agree["category"].map(cat_label),
    tr(TEXTS, "col_pub"): agree["category"].map(accuracy_note),
    tr(TEXTS, "col_prec"): agree["precision"].map(pct),
    tr(TEXTS, "col_rec"): agree["recall"].map(pct),
    tr(TEXTS, "col_support"): agree["support"],
    tr(TEXTS, "col_pred"): agree["predicted"],
})
if cv:
    acc[tr(TEXTS, "col_cv")] = agree["category"].map(
        lambda c: (f"{fmt_dec(cv[c]['f1'])} ({fmt_dec(cv[c]['ci'][0])}–{fmt_dec(cv[c]['ci'][1])})"
                   if c in cv else "–"))
show_table(acc, hide_index=True, width="stretch", height=table_height(len(acc)))

# --- review a sample ----------------------------------------------------------------------
st.subheader(tr(TEXTS, "review_title"))
options = [L.ALL, *S.CATEGORY_CODES]
c1, c2 = st.columns([3, 1])
category = c1.selectbox(
    tr(TEXTS, "category"), options, key="label_category", index=options.index("vraag"),
    format_func=lambda c: tr(TEXTS, "all") if c == L.ALL else tr(TEXTS, "predicted_as",
                                                                 label=cat_label(c)))
if c2.button(tr(TEXTS, "resample"), key="label_resample"):
    st.session_state[KEY_SEED] = int(st.session_state.get(KEY_SEED, 0)) + 1
seed = int(st.session_state.get(KEY_SEED, 0))
done = tuple(sorted(int(m) for m in corrections["message_id"]))
sample = view(ctx, L.review_sample, category, SAMPLE_SIZE, seed, done, scope="all")

if sample.empty:
    st.info(tr(TEXTS, "empty"))
elif not may_write:
    st.info(tr(TEXTS, "read_only"))
    for row in sample.itertuples(index=False):
        with st.container(border=True):
            st.text(str(getattr(row, S.TEXT)))
            cats = getattr(row, S.CATEGORIES)
            st.caption(tr(TEXTS, "predicted", cats=", ".join(map(cat_label, cats)) or tr(TEXTS, "nothing")))
else:
    st.caption(tr(TEXTS, "sample_help", n=len(sample)))
    with st.form("label_form"):
        for row in sample.itertuples(index=False):
            mid = int(getattr(row, S.MESSAGE_ID))
            cats = tuple(getattr(row, S.CATEGORIES))
            with st.container(border=True):
                st.text(str(getattr(row, S.TEXT)))
                left, right = st.columns([4, 1])
                left.multiselect(tr(TEXTS, "correct"), S.CATEGORY_CODES, default=list(cats),
                                 key=f"label_codes_{mid}", format_func=cat_label, select_all=False,
                                 help=tr(TEXTS, "predicted", cats=", ".join(map(cat_label, cats))
                                         or tr(TEXTS, "nothing")))
                right.checkbox(tr(TEXTS, "skip"), key=f"label_skip_{mid}")
        submitted = st.form_submit_button(tr(TEXTS, "save"), type="primary")
    if submitted:
        n = 0
        for row in sample.itertuples(index=False):
            mid = int(getattr(row, S.MESSAGE_ID))
            if st.session_state.get(f"label_skip_{mid}"):
                continue
            codes = st.session_state.get(f"label_codes_{mid}", list(getattr(row, S.CATEGORIES)))
            actions.correct_label(eng, ctx.user, incident_id, mid, codes,
                                  predicted=tuple(getattr(row, S.CATEGORIES)))
            n += 1
        st.toast(tr(TEXTS, "saved", n=n))
        st.rerun()

# --- train a model ------------------------------------------------------------------------
st.subheader(tr(TEXTS, "train_title"))
if info:
    st.caption(tr(TEXTS, "active", version=info.get("version", "?"), n=info.get("n_train", "?"),
                  saved=info.get("saved_at", "?")))
else:
    st.caption(tr(TEXTS, "no_model"))
train = L.training_frame(ctx.all_messages, corrections)
state = L.readiness(train)
if not state.ok:
    st.info(tr(TEXTS, "not_ready", n=state.n, min=L.MIN_MESSAGES, pos=L.MIN_POSITIVES))
else:
    st.caption(tr(TEXTS, "ready", n=state.n, learn=", ".join(map(cat_label, state.learnable)),
                  few=", ".join(map(cat_label, state.too_few)) or "–"))
if may_write:
    b1, b2 = st.columns(2)
    if b1.button(tr(TEXTS, "train"), key="label_train", type="primary", disabled=not state.ok):
        with st.spinner("…"):
            model, metrics = actions.train_category_model(eng, ctx.user, incident_id, train, model_path)
        st.session_state[KEY_CV] = {"version": model.version_, "n": len(train), "metrics": metrics}
        clear_analysis()
        st.rerun()
    if info and b2.button(tr(TEXTS, "remove"), key="label_remove"):
        actions.remove_category_model(eng, ctx.user, incident_id, model_path)
        st.session_state.pop(KEY_CV, None)
        clear_analysis()
        st.toast(tr(TEXTS, "removed"))
        st.rerun()

result = st.session_state.get(KEY_CV)
if result and info and result["version"] == info.get("version"):
    st.success(tr(TEXTS, "trained", version=result["version"], n=result["n"]))
    st.markdown(f"**{tr(TEXTS, 'cv_title')}**")
    show_table(pd.DataFrame({
        tr(TEXTS, "col_cat"): [cat_label(c) for c in result["metrics"]],
        tr(TEXTS, "f1"): [round(m["f1"], 2) for m in result["metrics"].values()],
        tr(TEXTS, "f1_ci"): [f"{fmt_dec(m['ci'][0])}–{fmt_dec(m['ci'][1])}"
                             for m in result["metrics"].values()],
        tr(TEXTS, "support"): [m["support"] for m in result["metrics"].values()],
    }), {tr(TEXTS, "f1"): 2}, hide_index=True, width="stretch")  # "0,45", not "0.45"

text_export_section(ctx)
representativeness_panel(ctx)

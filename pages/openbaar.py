"""Openbaar: the public transparency page for residents (route `/openbaar`, no sign-in).

Shows the same content as the static site of `python -m pipeline publish` (both come from
`pipeline.governance.publish.public_facts` and its view helpers): per monitored incident the name,
period, purpose, legal basis, responsible function, sources, volume, retention and purge,
the published summary afterwards and the released scan reports (public digest); the
algorithm-register text with accuracy measured on real data; the public explanation; the
contact point. Nothing message-level. This page never reads `st.session_state` and never
asks who is looking (the language comes from `?lang=en`); every user-typed string is
escaped before it reaches markdown.
"""

import pandas as pd
import streamlit as st

from pages._a11y import inject
from pages._data import engine
from pages._text import escape_md
from pipeline.governance import publish

st.set_page_config(page_title="Openbaar — Luisterpost", page_icon="🏛️", layout="centered")


@st.cache_data(ttl=30, show_spinner=False)
def _facts(url: str) -> dict:
    return publish.public_facts(engine())


def _t(key: str, lang: str, **kwargs) -> str:
    return publish.text(key, lang, **kwargs)


def _rich(parts: list[tuple[bool, str]]) -> str:
    return "".join(f"**{escape_md(text)}**" if bold else escape_md(text) for bold, text in parts)


lang = "en" if st.query_params.get("lang") == "en" else "nl"
choice = st.segmented_control("Taal / language", ["nl", "en"], default=lang,
                              format_func=lambda v: "Nederlands" if v == "nl" else "English")
if choice and choice != lang:
    st.query_params["lang"] = choice
    lang = choice
inject(lang)  # <html lang> and Streamlit's own texts in the page's language (WCAG 3.1.1), as on every page

facts = _facts(str(engine().url))
org = facts["contact"].get("organisation")
st.title(_t("title", lang))
if org:
    st.caption(escape_md(org))
st.write(_t("intro", lang))
with st.container(border=True):
    st.markdown(f"**{_t('caveat_title', lang)}**")
    st.caption(_t("caveat", lang))

st.header(_t("h_incidents", lang))
if not facts["incidents"]:
    st.info(_t("no_incidents", lang))
for inc in facts["incidents"]:
    view = publish.incident_view(inc, lang)
    with st.container(border=True):
        st.subheader(escape_md(view["name"]))
        st.caption(f"{escape_md(view['name'])} · {escape_md(view['rows'][0][1])}")
        if view["is_demo"]:
            st.info(_t("demo", lang))
        for label, value in view["rows"]:
            st.markdown(f"**{label}:** {escape_md(value)}")
        st.markdown(f"##### {_t('h_summary', lang)}")
        summary = view["summary"]
        if summary:
            st.markdown(f"**{_t('learned', lang)}:** {escape_md(summary['learned'])}")
            if summary["changed"]:
                st.markdown(f"**{_t('changed', lang)}:** {escape_md(summary['changed'])}")
            st.caption(" ".join(x for x in (summary["note"], summary["published"]) if x))
        else:
            st.write(_t("no_summary", lang))
        st.markdown(f"##### {_t('h_reports', lang)}")
        if not inc["reports"]:
            st.write(_t("no_reports", lang))
        for report, line in zip(inc["reports"], view["reports"], strict=True):
            digest = publish.report_view(report, lang)
            cols = _t("blocks_cols", lang).split("|")
            with st.expander(line["line"]):
                st.write(_t("report_intro", lang, k=report["k"]))
                st.write(digest["head"])
                st.dataframe(pd.DataFrame(digest["blocks"] + digest["categories"], columns=cols),
                             hide_index=True, width="stretch")
                st.markdown(f"**{_t('h_themes', lang, k=report['k'])}**")
                if digest["themes"]:
                    st.dataframe(pd.DataFrame(digest["themes"], columns=[_t("kind", lang), *cols]),
                                 hide_index=True, width="stretch")
                else:
                    st.write(_t("no_themes", lang, k=report["k"]))
                st.download_button(f"{line['line']} (HTML)", publish.render_report(facts, inc, report, lang),
                                   file_name=line["file"].rsplit("/", 1)[-1], mime="text/html",
                                   key=f"openbaar_report_{inc['id']}_{report['version']}_{lang}")

st.header(_t("h_algorithm", lang))
for head, text in publish.ALGORITHM[lang]:
    st.subheader(head)
    st.write(text)
st.subheader(_t("h_accuracy", lang))
st.write(_t("accuracy_intro", lang))
rows = publish.accuracy_view(facts["accuracy"], lang)
if rows:
    st.dataframe(pd.DataFrame(rows, columns=_t("accuracy_cols", lang).split("|")), hide_index=True,
                 width="stretch")
    acc = facts["accuracy"]
    st.caption(_t("accuracy_meta", lang, v=escape_md(acc.get("version") or "–"),
                  t=publish.fmt_time(acc.get("measured_at")) or "–"))
else:
    st.write(_t("no_accuracy", lang))

st.header(_t("h_explanation", lang))
for block in publish.public_text(lang):
    if block["kind"] == "h":
        st.subheader(escape_md(block["text"]))
    elif block["kind"] == "ul":
        st.markdown("\n".join(f"- {_rich(item)}" for item in block["items"]))
    else:
        st.markdown(_rich(block["parts"]))

st.header(_t("h_contact", lang))
st.write(_t("contact_intro", lang))
contact = facts["contact"].get("text")
st.markdown(f"**{escape_md(contact)}**" if contact else _t("no_contact", lang))
st.write(_t("complaint", lang))
st.caption(_t("updated", lang, t=publish.fmt_time(facts["generated_at"])))

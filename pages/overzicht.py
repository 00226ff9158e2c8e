"""Overzicht: volume over time, platforms and languages, with the caveat."""

import altair as alt
import pandas as pd
import streamlit as st

from pages._context import language_label, page_context
from pages._panels import chart_text, header, peak_sentence, representativeness_panel
from pages._text import TIME_FORMAT, fmt_int, show_chart, show_table, t
from pipeline import schema as S
from pipeline.render.tableformat import PERCENT
from pipeline.schema import TIME_ZONE
from pipeline.views.aggregate import counts_over_time, shares

ctx = page_context("overzicht")
header(t("overview"), ctx)
public = ctx.messages[~ctx.messages[S.IS_OFFICIAL]]

c1, c2, c3, c4 = st.columns(4)
c1.metric(t("messages"), fmt_int(len(public)))
c2.metric(t("authors"), fmt_int(public[S.AUTHOR].nunique()))
c3.metric(t("relevant"), f"{public[S.RELEVANT].mean():.0%}" if len(public) else "–")
c4.metric(t("n_languages"), fmt_int(public[S.LANGUAGE].nunique()))


def share_table(by: str, title: str) -> None:
    """A table of counts and shares per value of `by` (plain-text cells); languages by name."""
    table = shares(public, by)
    if by == S.LANGUAGE:  # "Duits (de)", "niet herkend (und)" as in the sidebar (was the bare code "und")
        table = table.assign(group=table["group"].map(language_label))
    table = table.rename(columns={"group": title, "count": t("count"), "share": t("share")})
    show_table(table, {t("share"): PERCENT}, hide_index=True, width="stretch")


if public.empty:
    st.info(t("no_data"))
else:
    minutes = 15 if (ctx.now - ctx.start) > pd.Timedelta(hours=2) else 5
    freq, unit = f"{minutes}min", f"{minutes} min"  # pandas' bucket size; the words people read
    volume = counts_over_time(public, by=S.PLATFORM, freq=freq, start=ctx.start, end=ctx.now)
    volume = volume.assign(
        tijd=volume["bucket"].dt.tz_convert(TIME_ZONE).dt.tz_localize(None))
    chart = (
        alt.Chart(volume)
        .mark_area()
        .encode(
            x=alt.X("tijd:T", title=t("time"), axis=alt.Axis(format=TIME_FORMAT)),
            y=alt.Y("count:Q", stack=True, title=f"{t('messages')} / {unit}"),
            color=alt.Color("group:N", title=t("platforms"), scale=alt.Scale(scheme="tableau10")),
            tooltip=[alt.Tooltip("tijd:T", format="%H:%M"), alt.Tooltip("group:N"), alt.Tooltip("count:Q")],
        )
        .properties(height=280)
    )
    st.subheader(t("volume_title"))
    show_chart(chart, width="stretch")
    total = volume.groupby("tijd", as_index=False)["count"].sum()
    chart_text(peak_sentence(total["tijd"], total["count"], unit),
               volume[["tijd", "group", "count"]],
               {"tijd": t("time"), "group": t("platforms"), "count": t("count")})
    left, right = st.columns(2)
    with left:
        st.subheader(t("platforms"))
        share_table(S.PLATFORM, t("platforms"))
    with right:
        st.subheader(t("languages"))
        share_table(S.LANGUAGE, t("languages"))

representativeness_panel(ctx)

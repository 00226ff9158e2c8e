"""Texts and formatting of the pages: the interface language, shared texts, numbers and times.

Contract (imports only pages/_state.py): `lang()` is the session's interface language ("nl"
default); `t(key)` a shared text, `tr(table, key)` a text of a page's own table, both in that
language; `fmt_int` / `fmt_dec` format numbers with Dutch separators and a decimal comma
("∞", "niet te bepalen" instead of inf/NaN); `fmt_time` / `local_time` show UTC times on the
24-hour Europe/Amsterdam clock; `show_chart` draws an Altair chart or Vega-Lite spec with the
language's number and time formats (`pipeline.render.chartformat`: "1.000", "0,25", "11 jul",
"14:00"; never `st.altair_chart` / `st.vega_lite_chart` directly); `show_table` draws a table
with the language's number formats (`pipeline.render.tableformat`: "4.051", "1,06", "52,9%" in
Dutch whatever the browser's locale; the numbers stay numbers for sorting; never `st.dataframe`
with numbers directly, nor a `NumberColumn`/`ProgressColumn` `format`, which the browser's locale
or a printf decimal point decide); `escape_md`
(= `pipeline.render.textsafe.md_escape`) is the one escape for a user-entered string shown as
Markdown. Message text is never shown as Markdown.
"""

from __future__ import annotations

import logging
import math
from functools import partial

import pandas as pd
import streamlit as st

from pages._state import KEY_LANG
from pipeline.errors import BilingualError
from pipeline.render import chartformat, tableformat
from pipeline.render.textsafe import md_escape
from pipeline.schema import TIME_ZONE

_LOG = logging.getLogger("luisterpost.pages")

TZ = TIME_ZONE
TIME_FORMAT = chartformat.TIME_FORMAT  # every time axis: 24-hour clock (naive Europe/Amsterdam times)

TEXTS: dict[str, dict[str, str]] = {
    "app_title": {"nl": "Luisterpost", "en": "Luisterpost"},
    "error_internal": {"nl": ("Dit is niet gelukt door een technische fout. De fout staat in het log van de "
                              "server; vraag de beheerder ernaar."),
                       "en": "This failed because of a technical error. It is in the server's log; ask the "
                             "administrator."},
    "tagline": {"nl": "Wat zegt het publiek tijdens het incident — en komt onze boodschap aan?",
                "en": "What is the public saying during the incident — and does our message land?"},
    "incident": {"nl": "Incident", "en": "Incident"},
    "window": {"nl": "Tijdvenster", "en": "Time window"},
    "platforms": {"nl": "Platforms", "en": "Platforms"},
    "languages": {"nl": "Talen", "en": "Languages"},
    "language_ui": {"nl": "Taal / language", "en": "Taal / language"},
    "whole": {"nl": "Hele incident", "en": "Whole incident"},
    "last_30": {"nl": "Laatste 30 min", "en": "Last 30 min"},
    "last_60": {"nl": "Laatste uur", "en": "Last hour"},
    "last_180": {"nl": "Laatste 3 uur", "en": "Last 3 hours"},
    "no_data": {"nl": "Geen berichten in dit venster.", "en": "No messages in this window."},
    "messages": {"nl": "Berichten", "en": "Messages"},
    "authors": {"nl": "Unieke auteurs", "en": "Distinct authors"},
    "caveat_title": {"nl": "Representativiteit", "en": "Representativeness"},
    "caveat": {
        "nl": ("Sociale media zijn niet representatief voor de bevolking: je ziet wie er post, "
               "niet wat inwoners denken — het stille midden telt niet mee. Deze cijfers komen "
               "van {authors} unieke auteurs ({messages} berichten); de 10 actiefste auteurs "
               "schreven {top10} van de berichten. Gebruik voor de mening van de bevolking een "
               "representatieve bron, zoals een flitspeiling."),
        "en": ("Social media do not represent the population: they show who posts, not what "
               "residents think — the silent majority is not counted. These figures come from "
               "{authors} distinct authors ({messages} messages); the 10 most active authors "
               "wrote {top10} of the messages. For population opinion use a representative "
               "source, such as a rapid poll."),
    },
    "demo_badge": {"nl": "DEMO — synthetische gegevens, geen echte personen",
                   "en": "DEMO — synthetic data, no real people"},
    "as_of": {"nl": "Stand", "en": "As of"},
    "picture_at": {"nl": "Beeld op tijdstip", "en": "Picture at time"},
    "latest": {"nl": "nu (laatste bericht)", "en": "now (latest message)"},
    "picture_help": {"nl": ("Bekijk het incident zoals de berichten tot dit tijdstip het laten zien "
                            "(met de thema's van nu). Voor 'wat wisten we toen' precies: Nabespreking."),
                     "en": ("View the incident as the messages up to this time show it (with today's "
                            "themes). For exactly 'what was known then': After-action review.")},
    "relevant": {"nl": "Over het incident", "en": "About the incident"},
    "n_languages": {"nl": "Talen", "en": "Languages"},
    "time": {"nl": "Tijd", "en": "Time"},
    "volume_title": {"nl": "Berichten over de tijd", "en": "Messages over time"},
    "overview": {"nl": "Overzicht", "en": "Overview"},
    "import": {"nl": "Importeren", "en": "Import"},
    "share": {"nl": "Aandeel", "en": "Share"},
    "count": {"nl": "Aantal", "en": "Count"},
    "banner_at": {"nl": "U bekijkt het beeld van {time}, niet de actuele stand.",
                  "en": "You are viewing the picture of {time}, not the current state."},
    "back_to_now": {"nl": "Terug naar nu", "en": "Back to now"},
    "choose": {"nl": "Alle (kies om te filteren)", "en": "All (choose to filter)"},
    "demo_hint": {"nl": ("Dit is de demo met verzonnen berichten. Echt werk begint met een eigen "
                         "account: `python -m pipeline user add NAAM --role beheerder --password-stdin`, "
                         "daarna `python -m pipeline incident create --name … --purpose …`."),
                  "en": ("This is the demo with made-up messages. Real work starts with your own "
                         "account: `python -m pipeline user add NAME --role beheerder --password-stdin`, "
                         "then `python -m pipeline incident create --name … --purpose …`.")},
}


def lang() -> str:
    """Return the interface language chosen in this session ("nl" default)."""
    return st.session_state.get(KEY_LANG, "nl")


def t(key: str, **kwargs: object) -> str:
    """Return the interface text for `key` in the session's language."""
    entry = TEXTS[key]
    text = entry.get(lang(), entry["nl"])
    return text.format(**kwargs) if kwargs else text


def error_text(exc: BaseException) -> str:
    """Return what a person may read of an error, in the session's language.

    Our own errors (ValueError, PermissionError, LookupError and anything raised from
    `pipeline`) are written for users; a ValueError written as "Nederlands / English" shows the
    part in the session's language (a `BilingualError`, e.g. every import error, carries both
    texts apart). Any other error (a database driver's, a library's) may hold
    SQL, parameters or outside links: it is logged on the server and the user reads a fixed sentence.
    """
    ours = isinstance(exc, (ValueError, PermissionError, LookupError)) or \
        type(exc).__module__.startswith("pipeline.")
    if not ours:
        _LOG.error("error shown as a fixed sentence", exc_info=exc)
        return t("error_internal")
    if isinstance(exc, BilingualError):  # Dutch and English kept apart (`pipeline.errors`)
        return exc.text(lang())
    message = str(exc)
    parts = message.split(" / ")
    # a refusal keeps both ("geen toestemming / not permitted: <action> (<reason>)"): its detail is English
    if isinstance(exc, ValueError) and len(parts) == 2 and parts[0].strip() and parts[1].strip():
        return parts[1] if lang() == "en" else parts[0]
    return message


def show_error(exc: BaseException) -> None:
    """`st.error` with `error_text(exc)`, Markdown escaped (the message may quote a file's cells)."""
    st.error(md_escape(error_text(exc)))


def escape_md(text: object) -> str:
    """Escape Markdown so a user-entered string (incident name, file name, error) renders literally."""
    return md_escape(text)


def fmt_int(n: int | float) -> str:
    """Format a count with a Dutch thousands separator in nl ("12.345")."""
    return tableformat.number(int(n), lang())


def fmt_dec(x: float, digits: int = 2) -> str:
    """Format a decimal number with a decimal comma in Dutch ("0,62"); "∞" and "niet te bepalen"."""

    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "niet te bepalen" if lang() == "nl" else "cannot be determined"
    return tableformat.number(x, lang(), digits)  # (also "∞" / "−∞")


def fmt_time(ts: pd.Timestamp, with_date: bool = False) -> str:
    """Format a UTC timestamp in Europe/Amsterdam local time."""
    local = pd.Timestamp(ts).tz_convert(TZ)
    return local.strftime("%d-%m %H:%M" if with_date else "%H:%M")


def tr(texts: dict[str, dict[str, str]], key: str, **kwargs: object) -> str:
    """Return `texts[key]` in the session language (a page's own text table)."""
    entry = texts[key]
    text = entry.get(lang(), entry["nl"])
    return text.format(**kwargs) if kwargs else text


def local_time(series: pd.Series) -> pd.Series:
    """Return UTC timestamps as naive Europe/Amsterdam times (what Altair should draw)."""
    return pd.to_datetime(series, utc=True).dt.tz_convert(TZ).dt.tz_localize(None)


def show_chart(chart, **kwargs: object):
    """Draw an Altair chart or a Vega-Lite spec (dict) with the session language's number/time formats."""
    if isinstance(chart, dict):
        return st.vega_lite_chart(chartformat.localize(chart, lang()), **kwargs)
    import altair as alt  # heavy optional dependency: imported on first use

    chart = chart.copy(deep=False)
    # no schema objects here: st.altair_chart validates the whole chart once anyway (converting the
    # locale into schema objects and back cost ~20 ms a chart, 0,1 s of every CoPI refresh)
    own = {} if chart.config is alt.Undefined else chart.config.to_dict(validate=False)
    chart.config = chartformat.localize({"config": own}, lang())["config"]  # a plain dict: no conversion
    # Altair checks the finished spec against the Vega-Lite JSON schema on every conversion
    # (~10 ms a chart, six on every CoPI refresh); our charts are fixed code whose specs the tests
    # render, so Streamlit's conversion skips that check (an instance attribute: Altair's own
    # `__setattr__` would take the name for a chart property).
    object.__setattr__(chart, "to_dict", partial(type(chart).to_dict, chart, validate=False))
    return st.altair_chart(chart, **kwargs)


ROW_PX, HEADER_PX = 35, 38  # st.dataframe's row and header height (glide data grid)


def table_height(n_rows: int, most: int | None = None) -> int:
    """Return the height (px) that shows `n_rows` rows (at most `most`) with no scrolling inside.

    Streamlit's default shows ten rows and half of the eleventh: a twelve-row table hid its last
    block (Nabespreking's rumours) behind a scroll bar inside the table.
    """
    shown = n_rows if most is None else min(n_rows, most)
    return HEADER_PX + ROW_PX * max(shown, 1)


def show_table(frame: pd.DataFrame, formats: dict[str, tableformat.Format] | None = None, *,
               column_config: dict | None = None, whole: tuple[str, ...] = (), **kwargs: object):
    """Draw `frame` with `st.dataframe` in the session language's number formats.

    `formats` maps a column to its digits (`2` → "1,06"), or to "%" / `("%", digits)` for a share
    0–1 shown as a percentage ("52,9%"); other numeric columns are counts ("4.051") or get two
    digits. The cells keep their numbers, so a click on a header sorts numerically. A `format` in
    `column_config` would win over these texts in the browser: it is dropped for those columns.
    The text columns in `whole` (a theme label) get the width of their longest text, up to
    `tableformat.MAX_TEXT_PX`, so that it is not cut at the column's edge: only for a table with
    the page's full width (others would push their numbers out of sight).
    """
    cols = tableformat.column_formats(frame, formats)
    config = dict(column_config or {})
    for name, entry in config.items():
        type_config = entry.get("type_config") if isinstance(entry, dict) else None
        if name in cols and isinstance(type_config, dict) and type_config.get("format"):
            config[name] = {**entry, "type_config": {**type_config, "format": None}}
    for name, px in tableformat.text_widths(frame[list(whole)]).items():
        entry = config.get(name)
        if entry is None or (isinstance(entry, dict) and entry.get("width") is None):
            config[name] = {**(entry or {}), "width": px}  # long texts whole, not cut at the edge
    return st.dataframe(tableformat.styled(frame, lang(), formats), column_config=config or None,
                        **kwargs)

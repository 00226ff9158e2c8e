"""Dutch number and time formats for every Vega-Lite chart: dashboard pages and scan report alike.

Vega formats numbers and times with d3's en-US defaults unless the spec says otherwise: axis
labels "1,000" (a Dutch reader sees one comma zero), tooltips and screen-reader descriptions
"1.06" and "Jul 11, 2026", hour ticks "02 PM". `localize(spec, lang)` puts the answer in the
spec's own `config`, so it travels with the spec to the browser and to vl-convert:

* `locale` (Dutch only): d3 number locale with decimal comma and thousands dot ("1.000", "0,25")
  and time locale with Dutch month and day names ("11 jul");
* `timeFormat`: "11-07-2026 14:35" for a time shown without its own format (tooltips, text marks,
  the aria description of every mark), in both languages;
* `axisTemporal.format`: `TIME_FORMAT` ("14:00") on every time axis that sets no format itself.

Every chart passes it: pages through `pages._text.show_chart`, the report through `views.report`.
An English interface keeps d3's English number locale.
"""

from __future__ import annotations

import copy
from typing import Any

TIME_FORMAT = "%H:%M"  # every time axis: 24-hour clock (the data are naive Europe/Amsterdam times)
DATETIME_FORMAT = "%d-%m-%Y %H:%M"  # a time without an axis: "11-07-2026 14:35"

NL_NUMBER: dict[str, Any] = {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["€\u00a0", ""]}
NL_TIME: dict[str, Any] = {
    "dateTime": "%a %e %B %Y %H:%M:%S", "date": "%d-%m-%Y", "time": "%H:%M:%S",
    "periods": ["", ""],  # no AM/PM in Dutch: a "%p" in a format prints nothing
    "days": ["zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"],
    "shortDays": ["zo", "ma", "di", "wo", "do", "vr", "za"],
    "months": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
               "oktober", "november", "december"],
    "shortMonths": ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"],
}


def vega_config(lang: str) -> dict[str, Any]:
    """Return the Vega-Lite `config` entries for number and time formats in `lang` ("nl" or "en")."""
    config: dict[str, Any] = {"timeFormat": DATETIME_FORMAT, "axisTemporal": {"format": TIME_FORMAT}}
    if lang != "en":
        config["locale"] = {"number": copy.deepcopy(NL_NUMBER), "time": copy.deepcopy(NL_TIME)}
    return config


def localize(spec: dict[str, Any], lang: str) -> dict[str, Any]:
    """Return a copy of the Vega-Lite `spec` with the formats of `lang` in its `config`.

    The chart's own config wins where it sets the same key (one level deep: a chart's
    `axisTemporal.labelAngle` keeps our format beside it).
    """
    out = dict(spec)
    config = dict(out.get("config") or {})
    for key, value in vega_config(lang).items():
        own = config.get(key)
        config[key] = {**value, **own} if isinstance(value, dict) and isinstance(own, dict) else \
            (own if own is not None else value)
    out["config"] = config
    return out

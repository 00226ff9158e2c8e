"""The Trends page: the plotted series equal counts_over_time on the same messages."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

from pipeline import schema as S
from pipeline.views.aggregate import LANGUAGE_NAMES, counts_over_time
from tests.conftest import app, as_role


def _run(role: str = "copi"):
    return as_role(app("pages/trends.py"), role).run()


def _public():
    from pages._data import analysed, incidents_table

    frame = analysed(int(incidents_table()["id"].iloc[0])).frame
    start = frame[S.CREATED_AT].min()
    now = frame[S.CREATED_AT].max() + pd.Timedelta(seconds=1)
    return frame[~frame[S.IS_OFFICIAL] & (frame[S.CREATED_AT] <= now)], start, now


def _chart_data(at) -> pd.DataFrame:
    """The line data of the page's Altair chart (the dataset with a 'groep' column)."""
    charts = [e for e in at.main if type(e).__name__ == "UnknownElement"
              and hasattr(e.proto, "datasets")]
    assert len(charts) == 1
    for ds in charts[0].proto.datasets:
        table = pa.ipc.open_stream(ds.data.data).read_all().to_pandas()
        if "groep" in table:
            return table
    raise AssertionError("no line data in the chart")


def _local(series: pd.Series) -> pd.Series:
    return series.dt.tz_convert("Europe/Amsterdam").dt.tz_localize(None)


def test_categories_per_15_minutes(demo_home):
    at = _run()
    assert not at.exception
    public, start, now = _public()
    expected = counts_over_time(public, S.CATEGORIES, freq="15min", start=start, end=now)
    expected = expected[expected["group"].isin([c.code for c in S.CATEGORY_LIST
                                                if c.block != S.OVERIG])]
    got = _chart_data(at)
    assert sorted(got["groep"].unique()) == sorted(S.category_label(c) for c in expected["group"].unique())
    labelled = expected.assign(groep=expected["group"].map(S.category_label))
    merged = got.merge(labelled.assign(tijd=_local(labelled["bucket"])), on=["tijd", "groep"],
                       how="outer", indicator=True)
    assert (merged["_merge"] == "both").all()
    assert merged["waarde"].tolist() == merged["count"].tolist()
    # the accuracy table names each category's measured accuracy
    from pages._panels import accuracy_note
    from pages._text import escape_md

    trend_categories = [c.code for c in S.CATEGORY_LIST if c.block != S.OVERIG]  # the page's lines

    # whole sentences in a list (in a table column they were cut at the edge)
    listed = next(m.value for m in at.markdown if m.value.startswith("- **"))
    lines = listed.split("\n")
    assert len(lines) == len(trend_categories)
    for line, code in zip(lines, trend_categories, strict=True):
        note = accuracy_note(code) or "nog niet gemeten"
        assert line == f"- **{escape_md(S.category_label(code))}**: {escape_md(note)}"
        assert note != "nog niet gemeten" or code not in ("gezondheid", "emotie", "gerucht"), code


def test_the_text_alternative_counts_messages_not_category_lines(demo_home):
    """The chart's sentence gives the peak and total of messages (a message with two categories once),
    as Overzicht does; before it summed the lines: 585 "per 15 min" above an axis that ends at 160."""
    import re

    at = _run()
    public, start, now = _public()
    buckets = counts_over_time(public, None, freq="15min", start=start, end=now)
    sentence = next(t.value for t in at.text if "Piek om" in t.value)
    peak, total = re.search(r"met ([\d.]+) berichten per 15 min; totaal ([\d.]+)", sentence).groups()
    assert int(total.replace(".", "")) == int(buckets["count"].sum()) == len(public)
    assert int(peak.replace(".", "")) == int(buckets["count"].max())


def test_language_hourly_as_share(demo_home):
    at = _run()
    at.segmented_control(key="trends_by").set_value("language").run()
    at.segmented_control(key="trends_freq").set_value(60).run()
    at.toggle(key="trends_share").set_value(True).run()
    assert not at.exception
    public, start, now = _public()
    counts = counts_over_time(public, S.LANGUAGE, freq="60min", start=start, end=now)
    total = counts.groupby("bucket")["count"].transform("sum")  # one language per message
    got = _chart_data(at)
    names = LANGUAGE_NAMES["nl"]
    nl_rows = counts[counts["group"] == "nl"].reset_index(drop=True)
    got_nl = got[got["groep"] == names["nl"]].reset_index(drop=True)
    assert len(got_nl) == len(nl_rows)
    expected_share = (nl_rows["count"] / total[counts["group"] == "nl"].to_numpy()).tolist()
    assert got_nl["waarde"].round(12).tolist() == pd.Series(expected_share).round(12).tolist()
    assert got["berichten"].sum() == len(public[(public[S.CREATED_AT] >= start.floor("60min"))])


def test_top_themes_are_labelled(demo_home):
    at = _run()
    at.segmented_control(key="trends_by").set_value("theme").run()
    public, _, _ = _public()
    themed = public[public[S.THEME] > 0]
    top = themed[S.THEME].value_counts().head(8).index
    labels = themed[themed[S.THEME].isin(top)].drop_duplicates(S.THEME)[S.THEME_LABEL]
    assert sorted(_chart_data(at)["groep"].unique()) == sorted(labels)
    # theme labels (public text) never reach markdown
    markdown = " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)
    assert not any(label in markdown for label in labels)


def test_clicking_the_legend_highlights_one_line(demo_home):
    """The lines' opacity follows the legend selection: 1 for the picked line, 0,15 for the rest."""
    import json

    at = _run()
    chart = next(e for e in at.main if type(e).__name__ == "UnknownElement" and hasattr(e.proto, "datasets"))
    spec = json.loads(chart.proto.spec)
    layers = spec.get("layer", [spec])
    lines = next(layer for layer in layers if (layer.get("mark") or {}).get("type") == "line")
    pick = next(p for layer in [spec, *layers] for p in layer.get("params", []) if p.get("bind") == "legend")
    assert lines["encoding"]["opacity"] == {"condition": {"param": pick["name"], "value": 1.0}, "value": 0.15}
    assert lines["encoding"]["tooltip"][0]["field"] == "tijd"


def test_moment_labels_never_overlap():
    """Our communication moments' labels above a chart: each in the first free row, so two never
    overlap (before: three rows in turn; "persconferentie" ran into the next moment's "tweet")."""
    from pages._panels import MOMENT_CHAR_PX, MOMENT_PLOT_PX, moment_label_rows

    start = pd.Timestamp("2026-07-11 11:10", tz="UTC")
    end = start + pd.Timedelta(hours=8)
    times = pd.Series([start + pd.Timedelta(minutes=m) for m in (25, 25, 30, 32, 35, 36, 200, 215, 230)])
    channels = pd.Series(["tweet", "overig", "tweet", "tweet", "persconferentie", "radio", "persconferentie",
                          "tweet", "radio"])
    rows, shown = moment_label_rows(times, channels, start, end)
    x = [(t - start).total_seconds() / (end - start).total_seconds() * MOMENT_PLOT_PX for t in times]
    placed = [(r, x[i], x[i] + 3 + len(s) * MOMENT_CHAR_PX)
              for i, (r, s) in enumerate(zip(rows, shown, strict=True)) if s]
    for i, (r1, a1, b1) in enumerate(placed):
        for r2, a2, b2 in placed[i + 1:]:
            assert r1 != r2 or b1 <= a2 or b2 <= a1, (placed, rows, shown)
    assert shown[:4] == ["tweet", "overig", "tweet", "tweet"] and rows[:4] == [0, 1, 2, 3]
    assert shown[4:6] == ["", ""]  # four rows taken within minutes: line and tooltip only
    assert rows[6:] == [0, 1, 2] and shown[6:] == ["persconferentie", "tweet", "radio"]

"""The Representativiteit page: figures equal aggregate.representativeness; no identities."""

from __future__ import annotations

import pandas as pd

from pipeline import schema as S
from pipeline.views.aggregate import representativeness
from tests.conftest import app, as_role

CAVEAT = ("Sociale media laten zien wie er post, niet wat de bevolking denkt — het stille "
          "midden telt niet mee.")


def _run(role: str = "copi", window: str | None = None):
    at = as_role(app("pages/representativiteit.py"), role).run()
    if window:
        at.radio(key="lp_window_w").set_value(window).run()
    return at


def _public(window: pd.Timedelta | None = None):
    from pages._data import analysed, incidents_table

    frame = analysed(int(incidents_table()["id"].iloc[0])).frame
    now = frame[S.CREATED_AT].max() + pd.Timedelta(seconds=1)
    start = frame[S.CREATED_AT].min() if window is None else now - window
    keep = ~frame[S.IS_OFFICIAL] & (frame[S.CREATED_AT] <= now) & (frame[S.CREATED_AT] >= start)
    return frame[keep], start, now


def _nl(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def test_figures_match_the_pipeline(demo_home):
    at = _run()
    assert not at.exception and not at.error
    public, start, now = _public()
    fig = representativeness(public, start=start, end=now)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Berichten"] == _nl(fig["n_messages"])
    assert metrics["Unieke auteurs"] == _nl(fig["n_authors"])
    assert metrics["Aandeel top-10 auteurs"] == f"{fig['top10_share']:.0%}"
    assert metrics["Reposts / retweets"] == f"{fig['repost_share']:.0%}"
    assert metrics["Kopieer-golven"] == str(len(fig["near_duplicate_bursts"]))

    # messages per author, as counts of authors (computed here independently)
    per_author = public[S.AUTHOR].value_counts()
    activity = at.dataframe[0].value
    assert activity["Berichten per auteur"].tolist() == ["1", "2–5", "6–20", ">20"]
    assert activity["Auteurs"].tolist() == [
        int((per_author == 1).sum()), int(per_author.between(2, 5).sum()),
        int(per_author.between(6, 20).sum()), int((per_author > 20).sum())]
    assert activity["Auteurs"].sum() == fig["n_authors"]
    assert activity["Samen berichten"].sum() == fig["n_messages"]

    # bursts: sizes and times only, biggest first
    bursts = at.dataframe[1].value
    assert list(bursts.columns) == ["Van", "Tot", "Berichten", "Auteurs"]
    sizes = sorted((b["n_messages"] for b in fig["near_duplicate_bursts"]), reverse=True)
    assert bursts["Berichten"].tolist() == sizes[:100]  # the 100 biggest at most (a 1M incident: thousands)
    assert (f"De 100 grootste van {_nl(len(sizes))} kopieer-golven:" in
            " ".join(c.value for c in at.caption)) == (len(sizes) > 100)

    # platforms present and absent, closed channels named
    platforms = at.dataframe[2].value
    assert dict(zip(platforms["Platform"], platforms["Berichten"], strict=True)) == fig["platforms"]
    captions = " ".join(c.value for c in at.caption)
    assert "whatsapp" in captions and "nooit zichtbaar" in captions


def test_caveat_sources_and_accuracy_table(demo_home):
    from pages._data import accuracy_table

    at = _run()
    assert CAVEAT in [m.value.strip("*") for m in at.markdown]
    body = " ".join(m.value for m in at.markdown)
    assert "flitspeiling" in body and "GGD" in body
    acc = at.dataframe[-1].value
    table = accuracy_table()
    assert len(acc) == len(table)
    assert acc["F1"].tolist() == table["f1"].tolist()
    assert acc["n"].tolist() == table["n"].tolist()
    assert any("Zo lees je de tabel" in c.value for c in at.caption)
    # the "?" rule beside vraag reads as what it is (was "vraag [?-baseline]" between Vraag and Kritiek)
    names = set(acc["Categorie"])
    assert "Vraag: alleen het vraagteken (ter vergelijking)" in names and "Vraag" in names
    assert not any("[" in name for name in names), names


def test_window_and_no_identities(demo_home):
    at = _run(window="last_60")
    public, start, now = _public(pd.Timedelta(hours=1))
    fig = representativeness(public, start=start, end=now)
    assert {m.label: m.value for m in at.metric}["Berichten"] == _nl(fig["n_messages"])
    # no author pseudonym and no message text anywhere on the page
    rendered = " ".join(str(e.value) for e in at.main if hasattr(e, "value"))
    for frame in (df.value for df in at.dataframe):
        rendered += " " + frame.to_csv()
    authors = public[S.AUTHOR].value_counts().head(20).index
    assert not any(a in rendered for a in authors)
    texts = public[S.TEXT].value_counts().head(20).index
    assert not any(t in rendered for t in texts)


def test_table_numbers_in_dutch(demo_home):
    """Counts "4.051", shares "53,0%", F1 "0,20" and the interval "0,00–0,54" in Dutch.

    Before: "4051", a "percent" bar label in the browser's locale ("52.99%" with an English
    browser), printf "%.2f" ("0.20") and an interval written as "0.00–0.54".
    """
    from pages._data import accuracy_table
    from tests.tables import DUTCH_NUMBER, cell_texts

    at = _run()
    assert not at.exception
    activity = cell_texts(at.dataframe[0])
    raw = at.dataframe[0].value
    assert activity["Auteurs"].tolist() == [_nl(n) for n in raw["Auteurs"]]
    assert any("." in t for t in activity["Auteurs"])  # the demo has > 1.000 single-post authors
    assert activity["Aandeel"].tolist() == [f"{100 * s:.1f}%".replace(".", ",") for s in raw["Aandeel"]]
    for element in at.dataframe:
        shown = cell_texts(element)
        for col in element.value.select_dtypes("number").columns:
            assert all(DUTCH_NUMBER.fullmatch(t) for t in shown[col]), (col, shown[col].tolist())
    acc, acc_raw, table = cell_texts(at.dataframe[-1]), at.dataframe[-1].value, accuracy_table()
    assert acc["Precisie"].tolist() == [f"{v:.2f}".replace(".", ",") for v in acc_raw["Precisie"]]
    assert acc["F1 95%-interval"].tolist() == [
        f"{lo:.2f}–{hi:.2f}".replace(".", ",") for lo, hi in zip(table["f1_low"], table["f1_high"],
                                                                strict=True)]
    assert acc["n"].str.contains(r"^\d{1,3}(?:\.\d{3})*$").all()


def test_table_numbers_in_english(demo_home):
    """With the English interface: "4,051", "53.0%", "0.20", "0.00–0.54"."""
    from tests.tables import ENGLISH_NUMBER, cell_texts

    at = as_role(app("pages/representativiteit.py"), "copi")
    at.session_state["lp_lang"] = "en"
    at.run()
    assert not at.exception
    activity, raw = cell_texts(at.dataframe[0]), at.dataframe[0].value
    authors, share = raw.columns[1], raw.columns[3]
    assert activity[authors].tolist() == [f"{n:,}" for n in raw[authors]]
    assert activity[share].tolist() == [f"{100 * s:.1f}%" for s in raw[share]]
    for element in at.dataframe:
        shown = cell_texts(element)
        for col in element.value.select_dtypes("number").columns:
            assert all(ENGLISH_NUMBER.fullmatch(t) for t in shown[col]), (col, shown[col].tolist())
    interval = cell_texts(at.dataframe[-1]).iloc[:, -1]
    assert interval.str.fullmatch(r"\d\.\d\d–\d\.\d\d").all(), interval.tolist()

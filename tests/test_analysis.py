"""The whole chain on the demo incident: invariants and sensible results."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline import schema as S
from pipeline.analysis.chain import AnalysisParams, analyze, analyze_incident, to_output
from pipeline.ingest.demo import demo_metadata, load_demo

ADDED = [S.CLEAN_TEXT, S.TERMS, S.LANGUAGE, S.RELEVANCE, S.RELEVANT, S.RELEVANCE_KNOWN, S.CATEGORIES,
         S.ISB, S.SENTIMENT, S.THEME, S.THEME_LABEL]


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory):
    import os

    from pipeline.storage import store

    home = tmp_path_factory.mktemp("analysis")
    old = os.environ.get("LUISTERPOST_HOME")
    os.environ["LUISTERPOST_HOME"] = str(home)
    store.dispose_engines()
    engine = store.get_engine()
    incident_id = load_demo(engine)
    yield engine, incident_id
    store.dispose_engines()
    if old is None:
        os.environ.pop("LUISTERPOST_HOME", None)
    else:
        os.environ["LUISTERPOST_HOME"] = old


@pytest.fixture(scope="module")
def analysed(demo_store):
    engine, incident_id = demo_store
    return analyze_incident(engine, incident_id, persist_themes=False)


def _params():
    meta = demo_metadata()
    return AnalysisParams(keywords=tuple(meta["keywords"]), description=meta["description"])


def test_chain_only_adds_columns(demo_store):
    from pipeline.storage import store

    engine, incident_id = demo_store
    messages = store.load_messages(engine, incident_id).head(500)
    out = analyze(messages, _params()).frame
    pd.testing.assert_frame_equal(out.drop(columns=ADDED), messages)
    assert len(out) == len(messages)


def test_same_input_same_output(demo_store):
    from pipeline.storage import store

    engine, incident_id = demo_store
    messages = store.load_messages(engine, incident_id).head(800)
    a = to_output(analyze(messages, _params()).frame)
    b = to_output(analyze(messages, _params()).frame)
    pd.testing.assert_frame_equal(a, b)


def test_every_relevant_public_message_has_exactly_one_theme(analysed):
    df = analysed.frame
    public_relevant = df[df[S.RELEVANT] & ~df[S.IS_OFFICIAL]]
    assert (public_relevant[S.THEME] != S.NO_THEME).all()
    assert public_relevant[S.THEME].map(lambda v: isinstance(v, (int,)) or hasattr(v, "__int__")).all()
    assert (df.loc[~df[S.RELEVANT], S.THEME] == S.NO_THEME).all()


def test_demo_shows_the_built_in_themes(analysed):
    labels = " ".join(analysed.frame[S.THEME_LABEL].unique())
    for word in ("asbest", "ramen", "misselijk"):
        assert word in labels, f"no theme about {word}: {labels}"


def test_demo_categories_are_sensible(analysed):
    df = analysed.frame
    truth = pd.read_csv(S.__file__.replace("pipeline/schema.py", "data/demo_truth.csv"),
                        dtype=str, keep_default_na=False).rename(columns={"categories": "gold"})
    merged = df.merge(truth, left_on=S.SOURCE_ID, right_on="ID")
    assert len(merged) == len(df)
    for code in ("vraag", "gezondheid", "gerucht", "kritiek", "handelen"):
        gold = merged["gold"].str.split(";").map(lambda c, code=code: code in c)
        pred = merged[S.CATEGORIES].map(lambda c, code=code: code in c)
        tp = (gold & pred).sum()
        recall = tp / max(gold.sum(), 1)
        precision = tp / max(pred.sum(), 1)
        # Synthetic data written by us: a sanity floor, not an accuracy claim.
        assert recall > 0.5 and precision > 0.5, (code, precision, recall)


def test_theme_ids_stable_across_refresh(demo_store):

    engine, incident_id = demo_store
    first = analyze_incident(engine, incident_id).frame
    second = analyze_incident(engine, incident_id).frame
    pd.testing.assert_series_equal(first[S.THEME], second[S.THEME])


def test_analyze_cli_writes_one_row_per_message(tmp_path, lp_home):
    from pipeline.analysis.chain import ANALYZE_OUTPUT_COLUMNS
    from pipeline.cli.analyze import main as cli

    src = tmp_path / "in.csv"
    src.write_text("id,datum,bericht,auteur\n"
                   "1,2026-07-11 14:00,Ik zie zwarte rook boven het industrieterrein,@a\n"
                   "2,2026-07-11 14:01,Moeten we binnen blijven?,@b\n"
                   "3,2026-07-11 14:02,=HYPERLINK(\"http://x\"),@c\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    assert cli([str(src), "--out", str(out), "--incident-keywords", "brand,rook"]) == 0
    result = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(result.columns) == list(ANALYZE_OUTPUT_COLUMNS)
    assert result["id"].tolist() == ["1", "2", "3"]
    assert "vraag" in result.loc[1, "categories"]


def test_incremental_update_keeps_earlier_themes_and_adds_the_new(tmp_path, monkeypatch):
    from pipeline.analysis.chain import update_incident
    from pipeline.ingest.load import ingest_frame, read_messages
    from pipeline.storage import store

    monkeypatch.setenv("LUISTERPOST_HOME", str(tmp_path / "inc"))
    engine = store.get_engine()
    meta = demo_metadata()
    incident_id = store.create_incident(
        engine, name="Incrementeel", purpose="p", legal_basis="l", responsible_officer="o",
        start_at=pd.Timestamp(meta["start"]).to_pydatetime(), keywords=meta["keywords"],
        description=meta["description"])
    from pipeline.config import DATA_DIR

    raw = read_messages(DATA_DIR / "demo_incident.csv")
    ingest_frame(raw.iloc[:3000], incident_id, engine=engine, actor="t")
    first = analyze_incident(engine, incident_id)
    ingest_frame(raw.iloc[3000:3400], incident_id, engine=engine, actor="t")
    second = update_incident(engine, incident_id, first)
    assert len(second.frame) == 3400
    pd.testing.assert_series_equal(second.frame[S.THEME].iloc[:3000], first.frame[S.THEME])
    new = second.frame.iloc[3000:]
    relevant = new[new[S.RELEVANT] & ~new[S.IS_OFFICIAL]]
    assert (relevant[S.THEME] != S.NO_THEME).all()
    assert second.frame[S.MESSAGE_ID].is_unique
    # the cached first result was not changed
    assert len(first.frame) == 3000
    # nothing new: the same result comes back
    assert update_incident(engine, incident_id, second) is second


def test_analyze_plain_file_keeps_categories_and_writes_no_key(tmp_path, lp_home):
    """No incident keywords: relevance is "onbekend", nothing is erased into ruis, no key is written."""
    from pipeline.cli.analyze import main as cli

    src = tmp_path / "plain.csv"
    src.write_text("id,datum,bericht\n"
                   "1,2026-07-11 14:00,Weet iemand of de scholen morgen dicht zijn?\n"
                   "2,2026-07-11 14:01,Waarom horen we pas na drie uur iets van de gemeente?!\n"
                   "3,2026-07-11 14:02,Sterkte aan alle hulpverleners vandaag\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    assert cli([str(src), "--out", str(out)]) == 0
    result = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert set(result["relevance_status"]) == {"onbekend"}
    assert not result["categories"].str.contains("ruis").any()
    assert "vraag" in result.loc[0, "categories"]
    assert not (lp_home / "pseudonym.key").exists()
    # relevance unknown: no message is left out of the themes (theme -1 = not relevant / official)
    assert (result["relevant"] == "1").all() and (result["theme"] != "-1").all()


def test_min_authors_drives_theme_labels(demo_store):
    """k = 50 instead of 5: different labels, and no label term is used by fewer than 50 authors."""
    from dataclasses import replace

    from pipeline.analysis.themes import term_counts
    from pipeline.storage import store

    engine, incident_id = demo_store
    messages = store.load_messages(engine, incident_id).head(3000)
    low = analyze(messages, _params()).frame
    high = analyze(messages, replace(_params(), min_authors=50)).frame
    assert set(low[S.THEME_LABEL]) != set(high[S.THEME_LABEL])
    counts = term_counts(high, min_authors=1)
    themed = high.loc[high[S.THEME] >= 0, [S.THEME, S.THEME_LABEL]].drop_duplicates()
    for theme, label in themed.itertuples(index=False):
        if label.startswith("thema ") or label in ("overig", "other"):
            continue  # no term in the label at all
        words = label.split(" (")[0].replace(" / ", " ").split()  # without "(Engels)"
        known = counts[counts["group"] == theme].set_index("term")["n_authors"]
        for word in words:
            if word in known.index:  # stop words inside a phrase ("en", "de") are not terms
                assert known[word] >= 50, (label, word, known[word])


def test_analyze_headerless_file_without_time_or_author(tmp_path, lp_home, capsys):
    """Columns by position, no time column, no author column, a duplicate id: warnings, no loss."""
    from pipeline.cli.analyze import main as cli

    src = tmp_path / "raw.csv"
    src.write_bytes(b'1;"Weet iemand of de A50 weer open is?\rgroet"\n'
                    b"2;Nog steeds geen stroom in de wijk\n"
                    b"2;Nog steeds geen stroom in de wijk\n")
    out = tmp_path / "out.csv"
    assert cli([str(src), "--out", str(out), "--no-header", "--map", "1=id", "--map", "2=text"]) == 0
    err = capsys.readouterr().err
    assert "geen tijdkolom" in err and "geen auteurkolom" in err and "1 dubbele" in err
    result = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert result["id"].tolist() == ["1", "2"]
    assert (result["created_at"] == "").all()  # never a made-up time
    assert "vraag" in result.loc[0, "categories"] and "kritiek" in result.loc[1, "categories"]
    assert not (lp_home / "pseudonym.key").exists()


def test_analyze_headerless_file_without_a_map_picks_the_text_and_id_columns(tmp_path, lp_home, capsys):
    """No --map at all: the longest column is the text, a unique first column the id; said, not hidden."""
    from pipeline.cli.analyze import main as cli

    src = tmp_path / "raw.csv"
    src.write_text("17,Is het kraanwater in Oost nog veilig?,nl\n"
                   "18,Ramen en deuren dicht bij de haven,nl\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    assert cli([str(src), "--out", str(out), "--no-header"]) == 0
    err = capsys.readouterr().err
    assert "kolom2 gekozen" in err and "kolom1 gebruikt als bericht-id" in err
    assert "__lp" not in err
    result = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert result["id"].tolist() == ["17", "18"]
    assert "vraag" in result.loc[0, "categories"]


def test_analyze_plain_text_file_one_message_a_line(tmp_path, lp_home, capsys):
    """A .txt of messages, one a line, the first holding a comma: every line one message, said so.

    Before: the comma of the first line was taken for the delimiter, and the second line (no comma)
    stopped the whole file ("1 kolommen, verwacht 2"), as on sentiment_umsab's val_text.txt.
    """
    from pipeline.cli.analyze import main as cli

    lines = ["Ok, ich muss jetzt leider etwas spammen", "Is het kraanwater in Oost nog veilig?",
             '"Ramen dicht" zegt de brandweer, maar waarom?', "", "Nog steeds geen stroom; al 3 uur"]
    src = tmp_path / "berichten.txt"
    src.write_text("\r\n".join(lines), encoding="utf-8")
    out = tmp_path / "out.csv"
    assert cli([str(src), "--out", str(out), "--no-header"]) == 0
    assert "elke regel is één bericht" in capsys.readouterr().err
    result = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert len(result) == 4  # the blank line is no message
    assert "vraag" in result.loc[1, "categories"]
    # the same lines as .csv: a CSV whose rows disagree in width is still rejected, whole
    (tmp_path / "berichten.csv").write_text("\n".join(lines), encoding="utf-8")
    assert cli([str(tmp_path / "berichten.csv"), "--out", str(tmp_path / "x.csv"), "--no-header"]) != 0
    assert "kolommen" in capsys.readouterr().err and not (tmp_path / "x.csv").exists()


def test_analyze_headerless_tsv_whose_first_line_has_more_commas_than_tabs(tmp_path, lp_home, capsys):
    from pipeline.cli.analyze import main as cli

    src = tmp_path / "export.txt"
    src.write_text("1\tRook, stank, roet: wat nu?\n2\tRamen dicht\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    assert cli([str(src), "--out", str(out), "--no-header"]) == 0
    assert "elke regel" not in capsys.readouterr().err
    assert pd.read_csv(out, dtype=str)["id"].tolist() == ["1", "2"]


def test_analyze_error_names_only_the_files_own_columns(tmp_path, lp_home, capsys):
    from pipeline.cli.analyze import main as cli

    src = tmp_path / "raw.csv"
    src.write_text("nummer,zender\n1,x\n", encoding="utf-8")
    assert cli([str(src), "--out", str(tmp_path / "out.csv")]) != 0
    err = capsys.readouterr().err
    assert "nummer, zender" in err and "__lp" not in err


def test_analyze_two_column_csv_id_text(tmp_path, lp_home, capsys):
    """The plainest real file: a header `id,text` and nothing else; one row out per row in."""
    from pipeline.cli.analyze import main as cli

    src = tmp_path / "two.csv"
    src.write_text("id,text\n"
                   "10,Is het kraanwater nog veilig om te drinken?\n"
                   "11,\"Ramen en deuren dicht, zegt de brandweer\"\n"
                   "12,Sterkte aan iedereen in de wijk\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    assert cli([str(src), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "geen tijdkolom" in err and "geen auteurkolom" in err
    result = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert result["id"].tolist() == ["10", "11", "12"]
    assert "vraag" in result.loc[0, "categories"]
    assert not (lp_home / "pseudonym.key").exists()
    # relevance unknown: no message is left out of the themes (theme -1 = not relevant / official)
    assert (result["relevant"] == "1").all() and (result["theme"] != "-1").all()


def test_analyze_crisislex_file_with_a_carriage_return_in_a_quoted_field(tmp_path, lp_home, capsys):
    """CrisisLex's own columns (time in `created_at_utc_from_id`), a lone CR inside a quoted text."""
    from pipeline.cli.analyze import main as cli

    src = tmp_path / "crisislex.tsv"
    src.write_bytes(
        b"event\ttweet_id\tcreated_at_utc_from_id\ttext\tinformation_source\tinformation_type\n"
        b"2013_Queensland_floods\t2900001\t2013-01-27T03:00:00Z\tRoad closed near Bundaberg\tEyewitness"
        b"\tOther\n"
        b'2013_Queensland_floods\t2900002\t2013-01-27T03:05:00Z\t"Is the water safe to drink?\r asking for '
        b'family"\tOutsiders\tOther\n'
        b"2013_Queensland_floods\t2900003\t2013-01-27T03:06:00Z\tThoughts with Bundaberg\tOutsiders\tOther\n")
    out = tmp_path / "out.csv"
    assert cli([str(src), "--out", str(out)]) == 0
    assert "geen tijdkolom" not in capsys.readouterr().err  # CrisisLex's time column is recognised
    result = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert result["id"].tolist() == ["2900001", "2900002", "2900003"]
    assert result["created_at"].str.startswith("2013-01-27").all()
    assert "vraag" in result.loc[1, "categories"]
    assert not (lp_home / "pseudonym.key").exists()



@pytest.mark.parametrize("eol", [b"\n", b"\r\n"], ids=["lf", "crlf"])
def test_analyze_crisislex_file_with_stray_carriage_returns_in_unquoted_text(tmp_path, lp_home, capsys, eol):
    """Issue 9: a research tool's TSV with a lone CR inside an unquoted text is read, not rejected."""
    from pipeline.cli.analyze import main as cli

    event = b"2012_Colorado_wildfires\t"
    rows = [b"event\ttweet_id\tcreated_at_utc_from_id\ttext\tinformation_source\tinformation_type",
            event + b"211843071\t2012-06-08T22:50:00Z\tSmoke over the ridge\tEyewitness\tOther",
            event + b"211843072\t2012-06-08T22:52:07Z\tfirst line\rsecond line with a stray CR\tNot labeled"
            b"\tNot labeled",
            event + b"211843073\t2012-06-08T22:53:00Z\tIs the road\rto Boulder open?\tOutsiders\tOther"]
    src = tmp_path / "crisislex.tsv"
    src.write_bytes(eol.join(rows) + eol)
    out = tmp_path / "out.csv"
    assert cli([str(src), "--out", str(out)]) == 0
    assert "geen tijdkolom" not in capsys.readouterr().err
    result = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert result["id"].tolist() == ["211843071", "211843072", "211843073"]
    assert result["created_at"].str.startswith("2012-06-08").all()
    assert "vraag" in result.loc[2, "categories"]  # the text after the CR is read as part of the message

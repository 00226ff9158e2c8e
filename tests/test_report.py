"""The scan report: figures, k-anonymity, escaping, formats, snapshots, `--at` and the CLI."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
from datetime import timedelta

import pandas as pd
import pytest

from pipeline import schema as S
from pipeline.cli import report as report_cli
from pipeline.governance.release import release_snapshot
from pipeline.views import report as R

AT = pd.Timestamp("2026-07-11 14:00", tz="Europe/Amsterdam").tz_convert("UTC")
EVIL_LABEL = "<img src=x onerror=alert(1)> / asbest"
EVIL_CSV_LABEL = '=HYPERLINK("http://evil.example/x","klik")'
EVIL_ADVICE = "Let op <img src=x onerror=alert(1)> en [klik](http://evil.example) <script>alert(2)</script>"
SECRET = "geheimthema"  # a theme of only 3 authors: must never appear
INCIDENT = {"id": 1, "name": "Test <b>incident</b>", "is_demo": False,
            "start_at": pd.Timestamp("2026-07-11 11:00", tz="UTC")}


def _msg(minutes_before: int, author: str, cats: tuple, theme: int, label: str, lang: str = "nl",
         text: str = "ramen dicht hier") -> dict:
    return {S.CREATED_AT: AT - timedelta(minutes=minutes_before), S.AUTHOR: author, S.RELEVANT: True,
            S.IS_OFFICIAL: False, S.CATEGORIES: cats, S.ISB: S.isb_of(cats), S.THEME: theme,
            S.THEME_LABEL: label, S.LANGUAGE: lang, S.TEXT: text, S.CLEAN_TEXT: text,
            S.TERMS: tuple(text.split()), S.PLATFORM: "twitter", S.IS_REPOST: False}


@pytest.fixture(scope="module")
def inline_frame() -> pd.DataFrame:
    rows = []
    # 12 questions by 12 authors in the last hour, theme 7 with a malicious label (a label is a
    # phrase its authors wrote: the report re-checks it on the window's texts)
    rows += [_msg(5 + i, f"pseudo_q{i:02d}", ("vraag",), 7, EVIL_LABEL, text=f"{EVIL_LABEL} hier")
             for i in range(12)]
    # 8 rumours by 8 authors, theme 9 labelled like a spreadsheet formula
    rows += [_msg(10 + i, f"pseudo_r{i:02d}", ("gerucht",), 9, EVIL_CSV_LABEL, text=f"{EVIL_CSV_LABEL} hier")
             for i in range(8)]
    # a theme of only 3 authors (below k = 5)
    rows += [_msg(20 + i, f"pseudo_s{i:02d}", ("vraag",), 11, SECRET) for i in range(3)]
    # the hour before: 4 questions (trend), one official message and one irrelevant one
    rows += [_msg(70 + i, f"pseudo_b{i:02d}", ("vraag",), 7, EVIL_LABEL, text=f"{EVIL_LABEL} hier")
             for i in range(4)]
    rows.append(_msg(30, "VRVeluweOost", ("officieel",), -1, "") | {S.IS_OFFICIAL: True})
    rows.append(_msg(30, "pseudo_noise", ("ruis",), -1, "") | {S.RELEVANT: False})
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def inline_report(inline_frame) -> dict:
    moments = pd.DataFrame({S.MOMENT_TIME: [AT - timedelta(minutes=40)], S.MOMENT_CHANNEL: ["tweet"],
                            S.MOMENT_TEXT: ["Houd ramen en deuren dicht."]})
    return R.build_report(inline_frame, moments, INCIDENT, at=AT, window=60, advice=EVIL_ADVICE,
                          min_authors=5, accuracy={"datasets": {}})


def test_figures_are_exact_and_json(inline_report):
    rep = json.loads(json.dumps(inline_report))  # JSON-serialisable
    assert rep["counts"]["messages_window"] == 23  # 12 + 8 + 3; official and irrelevant left out
    assert rep["counts"]["authors_window"] == 23
    assert rep["counts"]["messages_before"] == 4
    vraag = rep["categories"]["vraag"]
    assert (vraag["n"], vraag["authors"], vraag["baseline"]) == (15, 15, 4)
    questions = rep["informatiebehoefte"]["questions"]
    assert [(q["label"], q["n"], q["baseline"]) for q in questions] == [(EVIL_LABEL, 12, 4)]
    assert [t["label"] for t in rep["geruchten"]["themes"]] == [EVIL_CSV_LABEL]
    assert len(rep["kernbeeld"]) == 3


def test_k_rule_and_no_author_in_any_output(inline_report):
    outputs = [json.dumps(inline_report, ensure_ascii=False), R.render_markdown(inline_report),
               R.render_html(inline_report, charts=False), R.tables_csv(inline_report)]
    for out in outputs:
        assert SECRET not in out
        assert "pseudo_" not in out
        assert "VRVeluweOost" not in out


def test_trend_codes():
    assert R.trend_of(20, 5) == "up"
    assert R.trend_of(5, 20) == "down"
    assert R.trend_of(10, 10) == "flat"
    assert R.trend_of(12, 0) == "new"
    assert R.trend_of(3, 2) == "few"
    assert R.trend_of(30, 30, complete=False) == "start"


def test_html_is_self_contained_and_escaped(inline_report):
    page = R.render_html(inline_report)
    assert "<svg" in page  # charts inline
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert not re.search(r"url\(\s*['\"]?(?:https?:)?//|@import", page, re.I)
    assert "<script" not in page.lower()
    assert "<img" not in page.lower()
    assert "&lt;img src=x onerror=alert(1)&gt;" in page  # advice and theme label, as text
    assert "&lt;b&gt;incident&lt;/b&gt;" in page


def test_markdown_escapes(inline_report):
    md = R.render_markdown(inline_report)
    assert "<img" not in md and "<script" not in md
    assert "](http" not in md  # no live link from the advice
    assert "&lt;img src=x onerror=alert\\(1\\)&gt;" in md
    # our own figures read plainly in a text editor: no "16\\:00" or "1\\.321"
    assert not re.search(r"\d\\[:.,-]\d", md), re.findall(r".{20}\d\\[:.,-]\d.{10}", md)


def test_csv_is_formula_safe(inline_report):
    text = R.tables_csv(inline_report)
    cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
    assert "'" + EVIL_CSV_LABEL in cells
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)


def test_empty_frame_gives_a_quiet_report(inline_frame):
    rep = R.build_report(inline_frame.iloc[0:0], None, INCIDENT, at=AT, advice="", accuracy={"datasets": {}})
    assert rep["counts"]["messages_window"] == 0
    assert "Weinig berichten" in rep["kernbeeld"][0]
    assert "Kernbeeld" in R.render_markdown(rep)


def test_parse_at_local_time():
    assert R.parse_at("14:00", INCIDENT) == pd.Timestamp("2026-07-11 12:00", tz="UTC")
    assert R.parse_at("2026-07-11 18:00", INCIDENT) == pd.Timestamp("2026-07-11 16:00", tz="UTC")
    assert R.parse_at("2026-07-11T18:00+00:00", INCIDENT) == pd.Timestamp("2026-07-11 18:00", tz="UTC")
    assert R.parse_at("12:30", INCIDENT) == pd.Timestamp("2026-07-11 10:30", tz="UTC") + timedelta(days=1)
    with pytest.raises(ValueError):
        R.parse_at("vanmiddag", INCIDENT)


def test_write_report_rejects_unknown_suffix(inline_report, tmp_path):
    with pytest.raises(ValueError):
        R.write_report(inline_report, tmp_path / "x.docx")


# --- on the demo store ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def demo(demo_home):
    from pipeline.storage import store

    engine = store.get_engine()
    incident = store.list_incidents(engine).iloc[0]
    return engine, store.get_incident(engine, int(incident["id"]))


@pytest.fixture(scope="module")
def at14(demo):
    engine, incident = demo
    return R.report_for(engine, incident["id"], at=R.parse_at("14:00", incident))


def _figures(rep: dict) -> dict:
    return {k: v for k, v in rep.items() if k not in ("generated_at",)}


def test_at_equals_a_fresh_analysis_of_only_earlier_messages(demo, at14):
    from pipeline.analysis import chain as analysis
    from pipeline.storage import store

    engine, incident = demo
    at = R.parse_at("14:00", incident)
    messages = store.load_messages(engine, incident["id"])
    earlier = messages[messages[S.CREATED_AT] <= at].reset_index(drop=True)
    fresh = analysis.analyze(earlier, analysis.incident_params(incident)).frame
    assert fresh[S.CREATED_AT].max() <= at
    expected = R.build_report(fresh, store.load_moments(engine, incident["id"]), incident, at=at)
    assert _figures(at14) == _figures(expected)


def test_at_14_differs_from_at_18(demo, at14):
    engine, incident = demo
    at18 = R.report_for(engine, incident["id"], at=R.parse_at("18:00", incident))
    assert at14["picture_at"] != at18["picture_at"]
    assert at14["counts"]["messages_total"] < at18["counts"]["messages_total"]
    assert at14["kernbeeld"] != at18["kernbeeld"]
    assert at14["trend_complete"] is False  # the hour before 13:00 has no data: no trend claimed
    assert at18["trend_complete"] is True


def test_fastest_rising_theme_is_the_rising_rule_of_nu_and_copi(demo):
    """The report's "Snelst stijgend thema" is `timeline.rising_themes` over the report's window."""
    from pipeline.views import timeline

    engine, incident = demo
    at = R.parse_at("16:00", incident)
    rep = R.report_for(engine, incident["id"], at=at, window=30)  # before: its own 30-min baseline
    frame, at = R.picture(engine, incident["id"], at)  # the frame the report itself uses
    rising = timeline.rising_themes(frame, at, min_authors=rep["min_authors"],
                                    window=timedelta(minutes=rep["window_minutes"]))
    assert not rising.empty
    line = [b for b in rep["kernbeeld"] if b.startswith("Snelst stijgend thema:")]
    assert line == [f"Snelst stijgend thema: {R.clean_label(rising['reason'].iloc[0])}."]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_pdf_renders_with_isb_headings_and_caveat(at14, tmp_path):
    pytest.importorskip("weasyprint")
    pdf = tmp_path / "scan.pdf"
    R.write_report(at14 | {"advice": EVIL_ADVICE}, pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    for heading in ("Kernbeeld", "Informatiebehoefte", "Schadebeperking", "Betekenisgeving", "Geruchten",
                    "Effect van ons laatste bericht", "Kanttekeningen"):
        assert heading in text
    assert "het stille midden telt niet mee" in " ".join(text.split())
    assert "<img src=x onerror=alert(1)>" in text  # shown as text, not run
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "40", str(pdf), str(tmp_path / "page")], check=True)
        assert list(tmp_path.glob("page*.png"))


def test_demo_report_never_names_an_author(demo, at14):
    from pipeline.storage import store

    engine, incident = demo
    authors = set(store.load_messages(engine, incident["id"])[S.AUTHOR].astype(str))
    authors -= {"", "nan"}
    outputs = json.dumps(at14, ensure_ascii=False) + R.render_markdown(at14) + R.tables_csv(at14)
    found = [a for a in authors if len(a) > 5 and a in outputs]
    assert not found
    assert not re.search(r"@\w{3,}", R.render_markdown(at14))


def test_snapshot_versions_increase_and_are_audited(demo, at14):
    from pipeline.storage import store

    engine, incident = demo
    before = R.list_snapshots(engine, incident["id"])
    v1 = R.save_snapshot(engine, incident["id"], dict(at14), "tester")
    v2 = R.save_snapshot(engine, incident["id"], dict(at14, advice="tweede"), "tester")
    assert v2 == v1 + 1 == (int(before["version"].max()) if not before.empty else 0) + 2
    log = R.list_snapshots(engine, incident["id"])
    assert log["version"].iloc[0] == v2 and len(log) == len(before) + 2
    assert list(log.columns) == ["version", "picture_at", "window_minutes", "author", "created_at",
                                 "released"]
    assert R.load_snapshot(engine, incident["id"], v2)["advice"] == "tweede"
    audit = store.load_audit(engine, limit=5)
    assert (audit["action"] == "export.report").sum() >= 2
    assert R.snapshot_object(incident["id"], v2) in set(audit["object"])


def test_release_needs_a_second_person(demo, at14):
    from pipeline.governance import policy as governance

    engine, incident = demo
    version = R.save_snapshot(engine, incident["id"], dict(at14), "anna")
    anna = {"username": "anna", "role": "analist", "active": True, "auth": "local"}
    bert = {"username": "bert", "role": "beheerder", "active": True, "auth": "local"}
    with pytest.raises(governance.PermissionDenied):
        release_snapshot(engine, anna, incident["id"], version)
    obj = R.snapshot_object(incident["id"], version)
    request = governance.request_approval(engine, anna, R.RELEASE_ACTION, obj, "naar de CoPI",
                                          incident_id=incident["id"])
    with pytest.raises(governance.PermissionDenied, match="self-approval"):
        governance.decide(engine, request, anna, True)
    governance.decide(engine, request, bert, True)
    release_snapshot(engine, anna, incident["id"], version)
    log = R.list_snapshots(engine, incident["id"]).set_index("version")
    assert bool(log.loc[version, "released"])


@pytest.mark.parametrize("suffix", [".pdf", ".html", ".md", ".csv"])
def test_cli_writes_each_format(demo, tmp_path, suffix):
    if suffix == ".pdf":
        pytest.importorskip("weasyprint")
    engine, incident = demo
    before = len(R.list_snapshots(engine, incident["id"]))
    out = tmp_path / f"scan{suffix}"
    code = report_cli.main(["--incident", incident["name"], "--at", "13:45", "--window", "30", "--advice",
                  EVIL_ADVICE, "--out", str(out)])
    assert code == 0
    assert out.exists() and out.stat().st_size > 500
    assert len(R.list_snapshots(engine, incident["id"])) == before + 1
    if suffix == ".html":
        assert "<script" not in out.read_text(encoding="utf-8").lower()


def test_cli_rejects_bad_input(demo, tmp_path, capsys):
    assert report_cli.main(["--incident", "bestaat niet", "--out", str(tmp_path / "x.md")]) == 2
    with pytest.raises(SystemExit):
        report_cli.main(["--out", str(tmp_path / "x.docx")])


def test_pdf_is_tagged_for_screen_readers(inline_report, tmp_path):
    """WCAG / PDF-UA: the report PDF carries a structure tree (issue 10 point 9)."""

    pytest.importorskip("weasyprint")
    if shutil.which("pdfinfo") is None:
        pytest.skip("pdfinfo (poppler-utils) not installed")
    path = tmp_path / "rapport.pdf"
    R.render_pdf(inline_report, path)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Tagged:         yes" in info or "Tagged: yes" in " ".join(info.split())


def test_report_accuracy_line_is_in_words_from_real_data():
    import numpy as np

    from pipeline.model.metrics import category_metrics
    from pipeline.views.report import accuracy_rows

    m = category_metrics(np.array([True] * 10 + [False] * 20),
                         np.array([True] * 6 + [False] * 4 + [True] * 4 + [False] * 16), n_boot=10)
    rep = {"datasets": {"ct22_dutch (dev + train-half cv)": {"language": "nl", "n": 30,
                                                             "categories": {"vraag": m}}}}
    vraag = next(a for a in accuracy_rows(rep, "nl") if a["category"] == "vraag")
    assert vraag["words"] == "6/10 gevonden, 4/10 onterecht (echte NL-tweets)"


def test_a_theme_label_that_quotes_a_whole_message_stays_off_the_public_page():
    # Inside the dashboard a label may be a short message many people posted; the public digest
    # promises no message text (the demo's "ik word echt misselijk van die lucht" did show there).
    from pipeline import schema as S
    from pipeline.governance.publish import public_report
    from pipeline.views.report import quotes_message

    msgs = pd.DataFrame({S.CLEAN_TEXT: ["ik word echt misselijk van die lucht!!", "stank overal in de wijk"]})
    assert quotes_message("ik word echt misselijk van die lucht", msgs)
    assert quotes_message("stank overal in de wijk bij de haven (Engels)", msgs)  # holds a whole message
    assert not quotes_message("misselijk van die lucht", msgs)  # a part of a message is a phrase
    rows = [{"label": "ik word echt misselijk van die lucht", "n": 40, "authors": 30, "quotes_message": True,
             "label_authors": 30},
            {"label": "ramen en deuren dicht", "n": 20, "authors": 15, "quotes_message": False,
             "label_authors": 12}]
    digest = public_report({"informatiebehoefte": {"questions": rows}}, k=10)
    assert [t["label"] for t in digest["themes"]] == ["ramen en deuren dicht"]


def test_a_theme_label_fewer_than_k_wrote_stays_off_the_public_page():
    # The model names a theme at the dashboard's k (5); a theme of 12 authors could carry a phrase
    # 6 of them wrote. The public digest (k = 10) showed it ("geklaagd over de stapels balen buiten"
    # in a demo fit, its words written by fewer than 10 people).
    from pipeline import schema as S
    from pipeline.governance.publish import public_report
    from pipeline.views.report import label_authors

    msgs = pd.DataFrame({S.CLEAN_TEXT: ["geklaagd over de stapels balen buiten!", "Geklaagd over de stapels "
                                        "balen buiten, nu dit", "die stapels balen", "stapels balen buiten"],
                         S.AUTHOR: ["a", "b", "b", "c"]})
    assert label_authors("geklaagd over de stapels balen buiten", msgs) == 2  # whole words, per author
    assert label_authors("stapels balen (Engels)", msgs) == 3  # without the language
    assert label_authors("balen buiten gooien", msgs) == 0
    row = {"label": "geklaagd over de stapels balen buiten", "n": 20, "authors": 12, "quotes_message": False}
    digest = public_report({"schadebeperking": {"health_themes": [row | {"label_authors": 6}]}}, k=10)
    assert digest["themes"] == []
    digest = public_report({"schadebeperking": {"health_themes": [row | {"label_authors": 10}]}}, k=10)
    assert [t["label"] for t in digest["themes"]] == [row["label"]]
    # a report stored before label_authors existed: unknown, so left out
    assert public_report({"schadebeperking": {"health_themes": [row]}}, k=10)["themes"] == []


def test_theme_labels_are_rechecked_in_the_report_window_as_on_copi():
    """A theme named over the whole incident: in the report's hours fewer than k may have written
    its phrase. The report then names what >= k of them wrote there, as the CoPI picture does
    (before: the model's name passed through unchecked, so CoPI and the report named one theme
    differently for the same hour, and the report could name a phrase 2 people wrote there)."""
    label = "zwarte rook boven de haven"
    early = [_msg(300 + i, f"early{i}", ("waarneming",), 4, label, text=f"{label} gezien") for i in range(8)]
    late = [_msg(5 + i, f"late{i}", ("waarneming",), 4, label, text=f"nog steeds zwarte rook {i}")
            for i in range(6)]
    late += [_msg(10 + i, f"twee{i}", ("waarneming",), 4, label, text=label) for i in range(2)]
    frame = pd.DataFrame(early + late)
    rows = R._theme_rows(frame, AT, timedelta(minutes=60), 5)
    assert [(r["label"], r["n"], r["authors"]) for r in rows] == [("zwarte rook", 8, 8)]
    assert rows[0]["label_authors"] == 8
    # the same theme at the hour the phrase was written: its own name
    rows = R._theme_rows(frame, AT - timedelta(minutes=290), timedelta(minutes=60), 5)
    assert [r["label"] for r in rows] == [label]
    # nobody in the window wrote a shared phrase: the theme is not named, so not shown
    fruit = ["appel", "peer", "druif", "kiwi", "pruim", "mango"]
    alone = pd.DataFrame(early + [_msg(5 + i, f"x{i}", ("waarneming",), 4, label, text=f"iets anders {i} {w}")
                                  for i, w in enumerate(fruit)])
    assert R._theme_rows(alone, AT, timedelta(minutes=60), 5) == []


def test_the_advice_names_no_account_link_or_phone(inline_frame):
    """The analyst's advice goes into a report that may be released: scrubbed like messages."""
    advice = '=HYPERLINK("http://evil.example","klik") @jan_de_vries ramen dicht, bel +31612345678'
    rep = R.build_report(inline_frame, None, INCIDENT, at=AT, window=60, advice=advice, min_authors=5,
                         accuracy={"datasets": {}})
    assert rep["advice"] == '=HYPERLINK("[link]","klik") [gebruiker] ramen dicht, bel [telefoon]'
    md = R.render_markdown(rep)
    assert "jan_de_vries" not in md and "evil.example" not in md and "612345678" not in md


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_report_accuracy_note_names_test_sets_in_words_and_states_k(inline_frame, lang):
    """No dataset code ("gold_nl/nl") in the note; the theme-label rule names the report's k."""
    import numpy as np

    from pipeline.model.metrics import category_metrics

    m = category_metrics(np.array([True] * 10 + [False] * 20),
                         np.array([True] * 7 + [False] * 3 + [True] * 1 + [False] * 19), n_boot=10)
    accuracy = {"datasets": {
        "ct22_dutch (dev + train-half cv)": {"language": "nl", "n": 30, "categories": {"vraag": m}},
        "gold_nl/nl": {"language": "nl", "n": 166, "categories": {"vraag": m, "gezondheid": m}},
        "some_new_set/nl": {"language": "nl", "n": 40, "categories": {"hulp": m}},
    }}
    rep = R.build_report(inline_frame, None, INCIDENT, at=AT, window=60, advice="", min_authors=7,
                         accuracy=accuracy, lang=lang)
    md = R.render_markdown(rep)
    note = next(text for kind, text in R.document_blocks(rep)
                if kind == "small" and ("F1" in text))
    assert "gold_nl" not in md and "some_new_set" not in md
    if lang == "nl":
        own = "(eigen testset, door ons geschreven; optimistisch)"
        assert f"Gezondheid: 7/10 gevonden, 1/10 onterecht {own}" in note
        assert "Vraag: 7/10 gevonden, 1/10 onterecht (echte NL-tweets)" in note
        assert "andere testset, n=40" in note
        assert "labels zijn zinsdelen die minstens 7 mensen zo schreven" in note
    else:
        assert "(own test set, written by us; optimistic)" in note
        assert "other test set, n=40" in note
        assert "labels are phrases at least 7 people wrote" in note
    assert " k " not in note

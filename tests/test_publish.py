"""Openbaar: the public transparency site (pipeline/governance/publish.py) and the four-eyes public summary.

The demo fixture has what a region would publish: a scan report released through four eyes
(built at k = 5, so it holds theme labels of 5–9 authors that must not become public) and a
summary afterwards approved by a second person. Every check reads the rendered files.
"""

from __future__ import annotations

import copy
import html
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest

from pipeline import schema as S
from pipeline.governance import policy as G
from pipeline.governance import publish
from pipeline.governance.release import release_snapshot
from pipeline.storage import store

BEA = {"username": "bea", "role": "beheerder", "active": True, "auth": "local"}
BOB = {"username": "bob", "role": "beheerder", "active": True, "auth": "local"}
ANNA = {"username": "anna", "role": "analist", "active": True, "auth": "local"}
CEES = {"username": "cees", "role": "copi", "active": True, "auth": "local"}
LEARNED = "Veel vragen over ramen dicht en asbest kwamen pas laat bij ons binnen."
CHANGED = "Wij zetten sindsdien na elke NL-Alert meteen een vraag-en-antwoord online."


def _text(page: str) -> str:
    """The visible text of an HTML page (tags removed, entities decoded)."""
    page = re.sub(r"<style.*?</style>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def _site_text(root: Path) -> str:
    return "\n".join(_text(p.read_text(encoding="utf-8")) for p in sorted(root.rglob("*.html")))


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo incident with a four-eyes released scan report (k=5) and a published summary."""
    from pipeline.ingest.demo import DEMO_CSV, load_demo
    from pipeline.views import report as R

    mp = pytest.MonkeyPatch()
    home = tmp_path_factory.mktemp("openbaar")
    mp.setenv("LUISTERPOST_HOME", str(home))
    mp.delenv("LUISTERPOST_DB_URL", raising=False)
    mp.delenv("LUISTERPOST_KEY_FILE", raising=False)
    mp.setenv("LUISTERPOST_CONTACT", "Team Crisiscommunicatie, info@vr-voorbeeld.nl, 088 123 45 67")
    store.dispose_engines()
    engine = store.get_engine()
    iid = load_demo(engine)
    frame, _ = R.picture(engine, iid)
    at = pd.Timestamp("2026-07-11 16:00", tz="Europe/Amsterdam")
    rep = R.build_report(frame, store.load_moments(engine, iid), store.get_incident(engine, iid), at=at,
                         window=60, min_authors=5, advice="Intern advies: bel de burgemeester om 16.15")
    version = R.save_snapshot(engine, iid, rep, "anna")
    obj = R.snapshot_object(iid, version)
    G.decide(engine, G.request_approval(engine, ANNA, R.RELEASE_ACTION, obj, "naar de CoPI", iid), BEA, True)
    release_snapshot(engine, ANNA, iid, version)
    unreleased = R.save_snapshot(engine, iid, copy.deepcopy(rep), "anna")  # not released: never public
    store.close_incident(engine, iid, actor="bea")
    sid = publish.write_summary(engine, BEA, iid, LEARNED, CHANGED)
    publish.decide_summary(engine, ANNA, sid, True)
    raw = pd.read_csv(DEMO_CSV, sep=";", encoding="utf-8-sig", dtype=str)
    yield {"engine": engine, "iid": iid, "frame": frame, "report": rep, "version": version,
           "unreleased": unreleased, "raw": raw, "home": home}
    store.dispose_engines()
    mp.undo()


@pytest.fixture(scope="module")
def site(demo, tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    facts = publish.public_facts(demo["engine"])
    publish.write_site(facts, out)
    return out, facts


def _low_k_terms(frame: pd.DataFrame, k: int = 10) -> set[str]:
    pub = frame[~frame[S.IS_OFFICIAL]]
    long = pd.DataFrame({"term": pub[S.TERMS].map(lambda t: list(t) if t is not None else []),
                         "author": pub[S.AUTHOR]}).explode("term").dropna()
    authors = long.groupby("term")["author"].nunique()
    return {t for t, n in authors.items() if n < k and len(t) >= 4 and re.fullmatch(r"\w+", t)}


# --- nothing message-level ------------------------------------------------------------------------------
def test_static_site_has_the_public_facts(site, demo):
    out, facts = site
    page = _text((out / "index.html").read_text(encoding="utf-8"))
    inc = store.get_incident(demo["engine"], demo["iid"])
    for value in (inc["name"], inc["legal_basis"], inc["responsible_officer"], LEARNED, CHANGED,
                  "Team Crisiscommunicatie, info@vr-voorbeeld.nl"):
        assert value in page
    assert "het stille midden telt niet mee" in page
    assert "Facebook" in page and "Instagram" in page  # sources: platforms present in the data
    assert "7.676" in page  # the message volume with a Dutch thousands separator
    assert "90 dagen na het einde van het incident" in page
    assert "nee; gepland rond" in page  # closed just now, not yet purged
    assert "Scanrapport versie 1" in page and f"versie {demo['unreleased']}" not in page
    report_page = out / "rapporten" / f"incident-{demo['iid']}-v1.html"
    assert report_page.is_file() and (out / "en" / "rapporten" / report_page.name).is_file()
    assert not (out / "rapporten" / f"incident-{demo['iid']}-v{demo['unreleased']}.html").exists()


def test_static_site_shows_no_message_texts_pseudonyms_or_handles(site, demo):
    out, _ = site
    text = _site_text(out)
    stored = store.load_messages(demo["engine"], demo["iid"])
    public = stored[~stored[S.IS_OFFICIAL]]
    texts = [t for t in public[S.TEXT].tolist() + demo["raw"]["Bericht"].tolist() if len(str(t)) >= 25]
    assert len(texts) > 1000
    assert not [t for t in texts if t in text]
    pseudonyms = set(public[S.AUTHOR])
    assert len(pseudonyms) > 500
    assert not [p for p in pseudonyms if p in text]
    handles = {a for a in demo["raw"]["Auteur"].dropna() if len(a) >= 5}
    handles |= set(re.findall(r"@\w{3,}", " ".join(demo["raw"]["Bericht"].dropna())))
    inc = store.get_incident(demo["engine"], demo["iid"])
    own = " ".join(str(inc[k]) for k in ("name", "purpose", "legal_basis", "responsible_officer"))
    handles = {h for h in handles if h not in own}  # the region's own account is in its own metadata
    leaked = [h for h in handles if re.search(rf"(?<!\w){re.escape(h)}(?!\w)", text)]
    assert not leaked, leaked[:10]


def test_no_term_or_theme_below_k_reaches_the_public(site, demo):
    from pipeline.views import report as R

    out, facts = site
    rep = demo["report"]
    groups = [rep["informatiebehoefte"]["questions"], rep["schadebeperking"]["health_themes"],
              rep["schadebeperking"]["behaviour_themes"], rep["betekenisgeving"]["criticism_themes"],
              rep["geruchten"]["themes"]]
    low_rows = {r["label"] for rows in groups for r in rows if r["authors"] < 10}
    internal = _text(R.render_html(demo["report"], charts=False))
    assert low_rows and all(label in internal for label in low_rows)  # there is something to filter
    assert "Intern advies" in internal
    text = _site_text(out)
    high = {t["label"] for r in facts["incidents"][0]["reports"] for t in r["themes"]}
    assert all(t["authors"] >= 10 for r in facts["incidents"][0]["reports"] for t in r["themes"])
    assert not [label for label in low_rows - high if label in text]
    assert "Intern advies" not in text and "burgemeester om 16.15" not in text
    # Every word the theme labels and the summary add must be a term of >= 10 authors.
    bare = copy.deepcopy(facts)
    pages = []
    for inc in bare["incidents"]:
        inc["summary"].update(learned="-", changed="-")
        for rep in inc["reports"]:
            rep["themes"] = []
            pages += [publish.render_report(bare, inc, rep, lang) for lang in ("nl", "en")]
    pages += [publish.render_page(bare, lang) for lang in ("nl", "en")]
    baseline = _words(" ".join(_text(p) for p in pages))
    added = _words(text) - baseline - _words(LEARNED + " " + CHANGED)
    low = _low_k_terms(demo["frame"])
    assert len(low) > 100
    assert not added & low, sorted(added & low)[:20]


def test_static_html_has_no_script_and_no_external_requests(site):
    out, _ = site
    files = sorted(out.rglob("*.html"))
    assert len(files) == 4  # nl + en overview, nl + en report page
    for path in files:
        page = path.read_text(encoding="utf-8")
        assert "<script" not in page.lower()
        assert not re.search(r"\son\w+\s*=", page)  # no inline event handlers
        refs = re.findall(r"""(?:src|href|action)\s*=\s*["']([^"']*)""", page, flags=re.I)
        assert refs and not [r for r in refs if re.match(r"(?i)(https?:)?//", r)], refs
        assert "url(" not in page and "@import" not in page
        target_dir = path.parent
        for ref in refs:  # every relative link resolves inside the site
            if not ref.startswith("#"):
                assert (target_dir / ref.split("#")[0]).resolve().is_file(), (path, ref)


def test_dutch_and_english_versions(site):
    out, _ = site
    nl = (out / "index.html").read_text(encoding="utf-8")
    en = (out / "en" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="nl">' in nl and '<html lang="en">' in en
    assert "Sociale media bij incidenten" in nl and "Social media during incidents" in en
    assert "the silent majority is not counted" in en
    assert "How we follow social media" in en or "What we do and why" in en  # the public text, in English
    assert "(Available in Dutch only.)" in en  # the summary was written in Dutch only
    assert re.search(r"\d{2}-\d{2}-2026 \d{2}:\d{2}", nl)  # 24-hour local times


def test_untrusted_strings_are_escaped(lp, tmp_path):
    iid = int(store.get_incident(lp, "Brand")["id"])
    evil = store.create_incident(lp, name='<script>alert("x")</script>',
                                 purpose="<img src=x onerror=alert(1)>", legal_basis="Wvr",
                                 responsible_officer="OvD-C **vet** [link](http://evil.example)",
                                 start_at=datetime(2026, 7, 1, tzinfo=UTC))
    store.close_incident(lp, evil, actor="bea")
    sid = publish.write_summary(lp, BEA, evil, '<a href="http://evil.example">klik</a>',
                                "</p><script>x</script>")
    publish.decide_summary(lp, ANNA, sid, True)
    publish.write_site(publish.public_facts(lp), tmp_path)
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "<script" not in page and "<img" not in page and 'href="http://evil' not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert iid  # the other incident is listed too
    assert "Brand" in _text(page)


def test_sources_are_read_defensively_and_purge_is_shown(lp):
    iid = int(store.get_incident(lp, "Brand")["id"])
    with lp.begin() as conn:
        conn.execute(store.incidents.update().where(store.incidents.c.id == iid).values(
            sources=[{"platform": "Mastodon", "url": "https://x"}, "telegram", {"kind": 3}, None],
            closed_at=datetime(2026, 7, 12), purged_at=datetime(2026, 10, 11, 3, 0)))
    facts = publish.public_facts(lp)
    inc = facts["incidents"][0]
    assert inc["sources"] == ["mastodon", "telegram"]  # no messages: the declared sources
    rows = dict(publish.incident_view(inc, "nl")["rows"])
    assert rows["Berichten verwijderd"].startswith("ja, op 11-10-2026")
    assert rows["Bronnen"] == "Mastodon, Telegram"
    assert dict(publish.incident_view(inc, "en")["rows"])["Posts deleted"].startswith("yes, on 11-10-2026")


def test_demo_incident_hidden_once_real_incidents_exist(demo):
    facts = publish.public_facts(demo["engine"])
    assert [i["is_demo"] for i in facts["incidents"]] == [True]
    assert publish.public_facts(demo["engine"], include_demo=False)["incidents"] == []


def test_contact_comes_from_the_configuration(lp, monkeypatch):
    monkeypatch.delenv("LUISTERPOST_CONTACT", raising=False)
    assert "nog niet ingesteld" in publish.render_page(publish.public_facts(lp), "nl")
    monkeypatch.setenv("LUISTERPOST_CONTACT", "loket@gemeente-voorbeeld.nl")
    monkeypatch.setenv("LUISTERPOST_ORGANISATION", "Veiligheidsregio Voorbeeld")
    page = publish.render_page(publish.public_facts(lp), "nl")
    assert "loket@gemeente-voorbeeld.nl" in page and "Veiligheidsregio Voorbeeld" in page


# --- accuracy on real data --------------------------------------------------------------------------------
def _entry(language, n, f1):
    m = {"precision": f1, "recall": f1, "f1": f1, "ci": [f1 - 0.1, f1 + 0.1], "support": 10, "predicted": 10}
    return {"language": language, "n": n, "categories": {"vraag": m}}


def test_accuracy_uses_real_data_only_and_prefers_dutch(tmp_path):
    path = tmp_path / "accuracy.json"
    path.write_text(json.dumps({"version": "v9", "measured_at": "2026-11-22T23:26:50+00:00", "datasets": {
        "gold_nl": _entry("nl", 400, 0.9), "real_en": _entry("en", 5000, 0.5),
        "real_nl[all, partly seen]": _entry("nl", 200, 0.8), "real_nl": _entry("nl", 90, 0.3)}}))
    acc = publish.accuracy_rows(path)
    assert acc["available"] and acc["version"] == "v9"
    assert [(r["category"], r["dataset"], r["f1"]) for r in acc["rows"]] == [("vraag", "real_nl", 0.3)]
    row = publish.accuracy_view(acc, "nl")[0]
    assert row[0] == "Vraag" and row[4] == "0,30 (0,20–0,40)"
    assert publish.accuracy_view(acc, "en")[0][4] == "0.30 (0.20–0.40)"
    path.write_text(json.dumps({"datasets": {"real_nl": {"language": "nl", "categories": {
        "gerucht": {"f1": 0.4}, "vraag": {"precision": 0.2}}}, "weird": [1, 2]}}))
    view = publish.accuracy_view(publish.accuracy_rows(path), "nl")
    assert view == [("Gerucht", "real_nl", "nl", "–", "0,40")]  # no interval, no n: still shown
    path.write_text("{not json")
    assert publish.accuracy_rows(path)["available"] is False
    assert publish.accuracy_rows(tmp_path / "absent.json")["available"] is False


def test_accuracy_of_the_repository_file_is_real_data():
    acc = publish.accuracy_rows()
    assert acc["available"]
    assert not [r for r in acc["rows"] if r["dataset"].startswith("gold") or "partly seen" in r["dataset"]]


# --- the public summary: four eyes ----------------------------------------------------------------------
def _closed(engine, name="Gaslek"):
    iid = store.create_incident(engine, name=name, purpose="crisiscommunicatie", legal_basis="Wvr",
                                responsible_officer="OvD-C", start_at=datetime(2026, 3, 1, tzinfo=UTC))
    store.close_incident(engine, iid, actor="bea", at=datetime(2026, 3, 2, tzinfo=UTC))
    return iid


def test_summary_only_for_a_closed_incident_and_by_a_beheerder(lp):
    open_id = int(store.get_incident(lp, "Brand")["id"])
    with pytest.raises(ValueError, match="Sluit eerst"):
        publish.write_summary(lp, BEA, open_id, LEARNED)
    iid = _closed(lp)
    with pytest.raises(ValueError, match="verplicht"):
        publish.write_summary(lp, BEA, iid, "   ")
    with pytest.raises(ValueError, match="2000"):
        publish.write_summary(lp, BEA, iid, "x" * 2001)
    with pytest.raises(G.PermissionDenied):
        publish.write_summary(lp, ANNA, iid, LEARNED)
    log = store.load_audit(lp)
    denied = (log["action"] == "summary.publish") & (log["outcome"] == "denied")
    assert (denied & (log["actor"] == "anna")).any()
    assert publish.list_summaries(lp).empty


def test_self_approval_is_refused_and_audited(lp):
    iid = _closed(lp)
    sid = publish.write_summary(lp, BEA, iid, LEARNED, CHANGED)
    with pytest.raises(G.PermissionDenied, match="self-approval"):
        publish.decide_summary(lp, BEA, sid, True)
    with pytest.raises(G.PermissionDenied):
        publish.decide_summary(lp, CEES, sid, True)  # the copi role may not approve
    log = store.load_audit(lp)
    denied = log[(log["action"] == "approval.decide") & (log["outcome"] == "denied")]
    assert set(denied["reason"]) >= {"self-approval is not allowed"}
    assert publish.published_summary(lp, iid) is None
    assert publish.list_summaries(lp, iid)["status"].tolist() == ["pending"]
    assert publish.public_facts(lp)["incidents"][0]["summary"] is None


def test_second_person_publishes_audited_and_shown(lp):
    iid = _closed(lp)
    sid = publish.write_summary(lp, BEA, iid, LEARNED, CHANGED, learned_en="We learned late about asbestos.")
    assert publish.decide_summary(lp, BOB, sid, True, "akkoord") == "published"
    log = store.load_audit(lp).iloc[::-1]
    actions = [(a, who) for a, who in zip(log["action"], log["actor"], strict=True)
               if a.startswith(("summary.", "approval."))]
    assert actions == [("summary.write", "bea"), ("approval.request", "bea"), ("approval.approve", "bob"),
                       ("summary.publish", "bob")]
    assert store.verify_audit(lp) == []
    summary = publish.published_summary(lp, iid)
    assert summary["learned"] == LEARNED and summary["published_at"] is not None
    with pytest.raises(G.ApprovalError):
        publish.decide_summary(lp, ANNA, sid, True)  # decided once
    en = publish.render_page(publish.public_facts(lp), "en")
    assert "We learned late about asbestos." in en


def test_rejected_summary_stays_private(lp):
    iid = _closed(lp)
    sid = publish.write_summary(lp, BEA, iid, "Niet zo geschikt.")
    assert publish.decide_summary(lp, ANNA, sid, False, "te vaag") == "rejected"
    assert publish.published_summary(lp, iid) is None
    assert "Niet zo geschikt" not in publish.render_page(publish.public_facts(lp), "nl")


def test_approval_in_the_general_list_publishes_too(lp):
    iid = _closed(lp)
    sid = publish.write_summary(lp, BEA, iid, LEARNED)
    pending = G.pending_approvals(lp)
    approval = int(pending.loc[pending["object"] == publish.summary_object(sid), "id"].iloc[0])
    G.decide(lp, approval, ANNA, True)
    assert publish.published_summary(lp, iid)["learned"] == LEARNED


def test_published_summary_appears_in_the_yearly_report(lp):
    from pipeline.governance.accountability import accountability_report, render_html, render_markdown

    iid = _closed(lp)
    other = _closed(lp, "Stroomstoring")
    publish.decide_summary(lp, ANNA, publish.write_summary(lp, BEA, iid, LEARNED, CHANGED), True)
    publish.write_summary(lp, BEA, other, "Nog niet goedgekeurd.")
    report = accountability_report(lp, 2026)
    assert [s["incident"] for s in report["summaries"]] == ["Gaslek"]
    md = render_markdown(report)
    assert "Achteraf: door deze tool konden we" in md and LEARNED in md and "Nog niet goedgekeurd" not in md
    assert report["approvals"]["summary.publish"] == {"requested": 2, "pending": 1, "approved": 1,
                                                      "rejected": 0}
    assert CHANGED in render_html(report, "en") and "What we learned" in render_html(report, "en")
    assert "bea" not in md.split("## Achteraf")[1].split("##")[0]  # no staff names in the section


# --- command line ------------------------------------------------------------------------------------
def test_cli_publish_writes_the_site_and_audits(lp, tmp_path):
    from pipeline.__main__ import main

    assert main(["publish", "--out", str(tmp_path / "site")]) == 0
    assert (tmp_path / "site" / "index.html").is_file()
    assert (tmp_path / "site" / "en" / "index.html").is_file()
    log = store.load_audit(lp)
    assert (log["action"] == "publish.site").any()


def test_cli_summary_write_and_approve(lp, monkeypatch, capsys):
    import io

    from pipeline.__main__ import main
    from pipeline.governance import auth

    for name, role in (("bea", "beheerder"), ("anna", "analist")):
        auth.create_user(lp, name, role, "een-lang-wachtwoord", actor="test")
    _closed(lp)
    monkeypatch.setattr("sys.stdin", io.StringIO("een-lang-wachtwoord\n"))
    assert main(["summary", "write", "--incident", "Gaslek", "--learned", LEARNED, "--as", "bea",
                 "--password-stdin"]) == 0
    sid = int(publish.list_summaries(lp)["id"].iloc[0])
    monkeypatch.setattr("sys.stdin", io.StringIO("een-lang-wachtwoord\n"))
    assert main(["summary", "approve", str(sid), "--as", "bea", "--password-stdin"]) == 2  # self
    assert "self-approval" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("fout-wachtwoord-123\n"))
    assert main(["summary", "approve", str(sid), "--as", "anna", "--password-stdin"]) == 2
    monkeypatch.setattr("sys.stdin", io.StringIO("een-lang-wachtwoord\n"))
    assert main(["summary", "approve", str(sid), "--as", "anna", "--password-stdin"]) == 0
    assert publish.list_summaries(lp)["status"].tolist() == ["published"]


def test_after_purge_sources_and_volume_come_from_the_kept_counts(lp):
    from pipeline.governance import retention
    from pipeline.ingest.load import ingest_frame

    iid = int(store.get_incident(lp, "Brand")["id"])
    raw = pd.DataFrame({"id": [str(i) for i in range(30)],
                        "datum": [f"2026-07-11 10:{i:02d}" for i in range(30)],
                        "bericht": [f"Veel rook bij de brand, ramen dicht? {i}" for i in range(30)],
                        "auteur": [f"@buur{i % 12}" for i in range(30)],
                        "bron": ["Mastodon" if i % 3 else "Facebook" for i in range(30)]})
    ingest_frame(raw, iid, engine=lp, actor="test")
    before = publish.public_facts(lp)["incidents"][0]
    store.close_incident(lp, iid, actor="bea", at=datetime(2026, 7, 12, tzinfo=UTC))
    retention.purge_expired(lp, now=datetime(2026, 11, 1, tzinfo=UTC), actor="test")
    after = publish.public_facts(lp)["incidents"][0]
    assert store.count_messages(lp, iid) == 0 and after["purged_at"] is not None
    assert after["sources"] == before["sources"] == ["facebook", "mastodon"]
    assert after["n_messages"] == before["n_messages"] == 30
    assert "ja, op " in dict(publish.incident_view(after, "nl")["rows"])["Berichten verwijderd"]

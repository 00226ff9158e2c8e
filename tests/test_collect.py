"""Collector connectors against a local fixture server in the documented formats (offline).

Mastodon (Status list + Link headers, min_id paging), Bluesky (searchPosts page with
cursor), RSS 2.0 and Atom, the export inbox, and the shared rules: 429 with
Retry-After, 500, truncated JSON, timeouts, HTML with scripts and tracking pixels,
a restart in the middle of a page, purpose binding, audit, health.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest
from sqlalchemy import func, select

from pipeline.ingest.collect import http
from pipeline.ingest.collect import sources as src
from pipeline.ingest.collect.worker import CollectRefused, run_once
from pipeline.storage import store
from tests.collect_fixtures import ATOM, RSS, FixtureServer, bluesky_post, mastodon_status

NOW = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture
def fx():
    with FixtureServer() as fixture:
        yield fixture


@pytest.fixture
def client():
    c = http.make_client(timeout=2.0)
    yield c
    c.close()


def _messages(engine) -> pd.DataFrame:
    return store.load_messages(engine, store.get_incident(engine, "Brand")["id"])


def _once(engine, client, **kw):
    sleeps: list[float] = []
    result = run_once(engine, client=client, sleep=sleeps.append, force=True, **kw)
    return result, sleeps


def _add(engine, kind, **config):
    return src.add_source(engine, "Brand", kind, config, actor="tester")


def _statuses(n, start=None, **kw):
    start = start or NOW - timedelta(minutes=30)
    return [mastodon_status(i, start + timedelta(seconds=i), **kw) for i in range(n)]


# --- Mastodon ---------------------------------------------------------------------------------
def test_mastodon_pages_forward_with_link_headers_and_resumes_from_the_cursor(lp, fx, client):
    fx.statuses = _statuses(95)
    sid = _add(lp, "mastodon", instance=fx.base(), hashtag="#brand")
    result, _ = _once(lp, client)
    assert result == {sid: 95}
    tag_requests = [r for r in fx.requests if r["path"] == "/api/v1/timelines/tag/brand"]
    assert len(tag_requests) == 3  # 40 + 40 + 15
    assert tag_requests[1]["query"]["min_id"] == max(s["id"] for s in fx.statuses[:40])
    df = _messages(lp)
    assert len(df) == 95 and df["source_id"].is_unique
    assert set(df["platform"]) == {"mastodon"}
    assert df["author"].str.startswith("p_").all()  # pseudonyms, never the handle
    # nothing new: one request from the stored cursor, nothing added
    fx.requests.clear()
    fx.statuses += [mastodon_status(200, NOW - timedelta(seconds=5))]
    result, _ = _once(lp, client)
    assert result == {sid: 1}
    assert fx.requests[0]["query"]["min_id"] == max((s["id"] for s in fx.statuses[:95]),
                                                    key=lambda i: (len(i), i))
    assert len(_messages(lp)) == 96


def test_mastodon_starts_at_the_incident_start_not_before(lp, fx, client):
    start = store.get_incident(lp, "Brand")["start_at"].to_pydatetime()
    fx.statuses = ([mastodon_status(i, start - timedelta(days=1, seconds=i)) for i in range(5)]
                   + [mastodon_status(10 + i, start + timedelta(hours=1, seconds=i)) for i in range(3)])
    _add(lp, "mastodon", instance=fx.base(), hashtag="brand")
    _once(lp, client)
    assert len(_messages(lp)) == 3


def test_mastodon_html_becomes_plain_text_boosts_replies_languages(lp, fx, client):
    t = NOW - timedelta(minutes=10)
    evil = ('<p>Rook bij <a href="https://x.example/a?utm=1">de haven</a><br>'
            '<script>document.location="https://evil.example"</script>'
            '<img src="https://track.example/pixel.gif" width="1" height="1">'
            '<style>p{display:none}</style>ramen dicht &amp; blijf binnen</p>')
    original = mastodon_status(1, t - timedelta(minutes=1), content="<p>Origineel bericht over de brand</p>",
                               host="other.example")
    fx.statuses = [
        mastodon_status(0, t, content=evil),
        mastodon_status(2, t + timedelta(seconds=1), content="", reblog=original),  # a boost
        mastodon_status(3, t + timedelta(seconds=2), content="<p>Antwoord: ja</p>", reply=True),
        mastodon_status(4, t + timedelta(seconds=3), content="<p>Feuer im Hafen</p>", language="de"),
        mastodon_status(5, t + timedelta(seconds=4), content="<p>Zonder taalveld</p>", language=None),
        mastodon_status(6, t + timedelta(seconds=5), content=""),  # only media: skipped
    ]
    _add(lp, "mastodon", instance=fx.base(), hashtag="brand", languages="nl,en")
    _once(lp, client)
    df = _messages(lp).set_index("text")
    texts = list(df.index)
    assert "Rook bij de haven\nramen dicht & blijf binnen" in texts
    assert not any(x in " ".join(texts) for x in ("<", "script", "evil", "track.example", "display"))
    assert bool(df.loc["Origineel bericht over de brand", "is_repost"])
    assert bool(df.loc["Antwoord: ja", "is_reply"])
    assert "Zonder taalveld" in texts and "Feuer im Hafen" not in texts
    assert len(texts) == 4


def test_429_with_short_retry_after_is_waited_inline(lp, fx, client):
    fx.statuses = _statuses(3)
    fx.add_fault("/api/v1/timelines", "429", 2)
    sid = _add(lp, "mastodon", instance=fx.base(), hashtag="brand")
    result, sleeps = _once(lp, client)
    assert result == {sid: 3}
    assert sleeps == [2.0]


def test_429_with_long_retry_after_backs_the_source_off(lp, fx, client):
    fx.statuses = _statuses(3)
    fx.add_fault("/api/v1/timelines", "429", 120)
    sid = _add(lp, "mastodon", instance=fx.base(), hashtag="brand")
    result, sleeps = _once(lp, client)
    assert "429" in result[sid] and sleeps == []
    health = src.get_source(lp, sid).health
    wait = (health["next_try_at"] - health["last_attempt_at"]).total_seconds()
    assert wait == pytest.approx(120, abs=1)
    # not forced: the source is not asked again before Retry-After has passed
    n = len(fx.requests)
    assert run_once(lp, client=client) == {}
    assert len(fx.requests) == n
    assert len(_messages(lp)) == 0


def test_500_is_retried_then_recorded_and_the_other_sources_go_on(lp, fx, client):
    fx.statuses = _statuses(4)
    fx.add_fault("/api/v1/timelines", "500")
    sid = _add(lp, "mastodon", instance=fx.base(), hashtag="brand")
    result, sleeps = _once(lp, client)
    assert result == {sid: 4} and sleeps == [0.5]  # one retry after a short pause
    for _ in range(3):
        fx.add_fault("/api/v1/timelines", "500")
    fx.feeds["/rss"] = ("application/rss+xml", RSS.replace(b"{d1}", b"Fri, 04 Dec 2026 10:00:00 GMT")
                        .replace(b"{d2}", b"Fri, 04 Dec 2026 11:00:00 GMT"))
    rss = _add(lp, "rss", url=fx.base() + "/rss")
    result, _ = _once(lp, client)
    assert "500" in result[sid]
    assert result[rss] == 2
    health = src.get_source(lp, sid).health
    assert health["failures"] == 1 and "500" in health["last_error"]


@pytest.mark.parametrize("fault", [("truncated",), ("json", {"error": "not a list"}),
                                   ("json", [{"content": "<p>zonder id</p>"}])])
def test_malformed_answer_stores_nothing_and_keeps_the_cursor(lp, fx, client, fault):
    fx.statuses = _statuses(3)
    fx.add_fault("/api/v1/timelines", *fault)
    sid = _add(lp, "mastodon", instance=fx.base(), hashtag="brand")
    result, _ = _once(lp, client)
    assert isinstance(result[sid], str) and "/" in result[sid]  # Dutch / English
    assert len(_messages(lp)) == 0
    assert src.get_source(lp, sid).cursor == {}
    result, _ = _once(lp, client)  # the next pass reads the same statuses
    assert result == {sid: 3}


def test_timeout_is_retried_then_recorded(lp, fx):
    fx.statuses = _statuses(2)
    for _ in range(3):
        fx.add_fault("/api/v1/timelines", "sleep", 1.0)
    sid = _add(lp, "mastodon", instance=fx.base(), hashtag="brand")
    with http.make_client(timeout=0.2) as quick:
        result, sleeps = _once(lp, quick)
    assert "time-out" in result[sid] and len(sleeps) == 2
    assert len(_messages(lp)) == 0


def test_restart_in_the_middle_of_a_page_neither_loses_nor_duplicates(lp, fx, client, monkeypatch):
    fx.statuses = _statuses(100)
    sid = _add(lp, "mastodon", instance=fx.base(), hashtag="brand")
    real = src.success_values
    calls = {"n": 0}

    def crash_on_second_page(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:  # inside page 2's transaction, after its messages were inserted
            raise KeyboardInterrupt("killed")
        return real(*args, **kwargs)

    monkeypatch.setattr(src, "success_values", crash_on_second_page)
    with pytest.raises(KeyboardInterrupt):
        _once(lp, client)
    assert len(_messages(lp)) == 40  # page 1 committed, page 2 rolled back with its cursor
    monkeypatch.setattr(src, "success_values", real)
    result, _ = _once(lp, client)
    assert result == {sid: 60}
    df = _messages(lp)
    assert len(df) == 100 and df["source_id"].is_unique


def test_user_agent_token_and_proxy(lp, fx, monkeypatch):
    monkeypatch.setenv("LUISTERPOST_HTTP_CONTACT", "communicatie@vr.example (één team)")
    monkeypatch.setenv("LP_TEST_TOKEN", "geheim-token")
    monkeypatch.setenv("LUISTERPOST_HTTP_PROXY", fx.base())
    fx.statuses = _statuses(1)
    # the instance name does not resolve: only the proxy (the fixture) can answer
    sid = _add(lp, "mastodon", instance="http://mastodon.invalid", hashtag="brand",
               token_env="LP_TEST_TOKEN")
    with http.make_client() as proxied:
        result, _ = _once(lp, proxied)
    assert result == {sid: 1}
    headers = fx.requests[-1]["headers"]
    assert headers["User-Agent"].startswith("Luisterpost/")
    assert "communicatie@vr.example" in headers["User-Agent"]  # non-ASCII dropped, no crash
    assert headers["Authorization"] == "Bearer geheim-token"
    with lp.connect() as conn:
        stored = json.dumps([list(r) for r in conn.execute(select(store.collect_sources))], default=str)
    assert "geheim-token" not in stored


# --- Bluesky ----------------------------------------------------------------------------------
def _posts(n, start=None, **kw):
    start = start or NOW - timedelta(minutes=50)
    return [bluesky_post(i, start + timedelta(seconds=i), **kw) for i in range(n)]


def test_bluesky_search_pages_with_cursor_then_continues_from_since(lp, fx, client):
    fx.posts = _posts(250) + [bluesky_post(900, NOW - timedelta(minutes=5), reply=True, text="Antwoord")]
    sid = _add(lp, "bluesky", appview=fx.base(), query="brand moerdijk", lang="nl")
    result, _ = _once(lp, client)
    assert result == {sid: 251}
    reqs = [r["query"] for r in fx.requests]
    assert len(reqs) == 3 and reqs[0]["sort"] == "latest" and reqs[0]["lang"] == "nl"
    assert reqs[0]["q"] == "brand moerdijk" and "cursor" not in reqs[0] and reqs[1]["cursor"] == "100"
    df = _messages(lp)
    assert len(df) == 251 and df["source_id"].is_unique and set(df["platform"]) == {"bluesky"}
    assert df.loc[df["text"] == "Antwoord", "is_reply"].all()
    assert not df.loc[df["text"] != "Antwoord", "is_reply"].any()
    fx.requests.clear()
    fx.posts.append(bluesky_post(901, NOW - timedelta(minutes=1), text="Nieuw"))
    result, _ = _once(lp, client)
    assert result == {sid: 1}
    assert len(fx.requests) == 1 and fx.requests[0]["query"]["since"] >= "2026"


def test_bluesky_restart_in_the_middle_of_a_pass_leaves_no_gap(lp, fx, client, monkeypatch):
    fx.posts = _posts(250)
    sid = _add(lp, "bluesky", appview=fx.base(), query="brand")
    real = src.success_values
    calls = {"n": 0}

    def crash_on_third_page(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt("killed")
        return real(*args, **kwargs)

    monkeypatch.setattr(src, "success_values", crash_on_third_page)
    with pytest.raises(KeyboardInterrupt):
        _once(lp, client)
    cursor = src.get_source(lp, sid).cursor
    assert cursor["pass"]["cursor"] == "200"  # the unfinished pass is remembered
    monkeypatch.setattr(src, "success_values", real)
    fx.posts.append(bluesky_post(999, NOW - timedelta(seconds=30), text="Tussendoor"))
    _once(lp, client)  # finishes the old pass (older posts)
    _once(lp, client)  # a new pass picks up what arrived meanwhile
    df = _messages(lp)
    assert len(df) == 251 and df["source_id"].is_unique


def test_bluesky_malformed_page_is_rejected(lp, fx, client):
    fx.posts = _posts(3)
    fx.add_fault("/xrpc", "json", {"cursor": "x"})
    fx.add_fault("/xrpc", "json", {"posts": [{"uri": "at://x/app.bsky.feed.post/1"}]})
    sid = _add(lp, "bluesky", appview=fx.base(), query="brand")
    assert "posts" in _once(lp, client)[0][sid]
    assert "record" in _once(lp, client)[0][sid]
    assert _once(lp, client)[0] == {sid: 3}


def test_bluesky_500_and_429_are_retried_and_a_timeout_recorded(lp, fx, client):
    fx.posts = _posts(3)
    fx.add_fault("/xrpc", "500")
    fx.add_fault("/xrpc", "429", 1)
    sid = _add(lp, "bluesky", appview=fx.base(), query="brand")
    result, sleeps = _once(lp, client)
    assert result == {sid: 3} and sleeps == [0.5, 1.0]
    fx.posts.append(bluesky_post(50, NOW - timedelta(seconds=20)))
    for _ in range(3):
        fx.add_fault("/xrpc", "sleep", 1.0)
    with http.make_client(timeout=0.2) as quick:
        outcome = _once(lp, quick)[0][sid]
    assert "time-out" in outcome and len(_messages(lp)) == 3
    assert _once(lp, client)[0] == {sid: 1}


# --- RSS / Atom -------------------------------------------------------------------------------
def _dates(body: bytes, fmt: str) -> bytes:
    d1, d2 = NOW - timedelta(minutes=40), NOW - timedelta(minutes=20)
    return body.replace(b"{d1}", d1.strftime(fmt).encode()).replace(b"{d2}", d2.strftime(fmt).encode())


def test_rss_own_channel_becomes_moments_and_is_fetched_conditionally(lp, fx, client):
    fx.feeds["/nieuws.rss"] = ("application/rss+xml", _dates(RSS, "%a, %d %b %Y %H:%M:%S GMT"))
    sid = _add(lp, "rss", url=fx.base() + "/nieuws.rss", own_channel=True)
    result, _ = _once(lp, client)
    assert result == {sid: 2}  # the entry without a date is skipped
    df = _messages(lp)
    assert set(df["platform"]) == {"website"} and df["is_official"].all()
    assert not df["text"].str.contains("track.example|<img|<p>").any()
    assert df["text"].str.contains("Zet ventilatie uit").any()
    inc = store.get_incident(lp, "Brand")["id"]
    moments = store.load_moments(lp, inc)
    assert len(moments) == 2 and set(moments["origin"]) == {"official_account"}
    assert set(moments["channel"]) == {"website"}
    result, _ = _once(lp, client)
    assert result == {sid: 0}
    assert fx.requests[-1]["headers"].get("If-None-Match") == '"v1"'
    assert len(store.load_moments(lp, inc)) == 2


def test_atom_news_feed_is_plain_text_and_not_a_moment(lp, fx, client):
    fx.feeds["/atom"] = ("application/atom+xml", _dates(ATOM, "%Y-%m-%dT%H:%M:%SZ"))
    sid = _add(lp, "rss", url=fx.base() + "/atom")
    assert _once(lp, client)[0] == {sid: 2}
    df = _messages(lp)
    assert set(df["platform"]) == {"nieuws"} and not df["is_official"].any()
    assert not df["text"].str.contains("alert|script").any()
    assert df["author"].str.startswith("p_").all()
    assert store.load_moments(lp, store.get_incident(lp, "Brand")["id"]).empty


def test_a_page_that_is_no_feed_is_rejected(lp, fx, client):
    fx.feeds["/kapot"] = ("text/html", b"<html><body>Onderhoud</body></html>")
    sid = _add(lp, "rss", url=fx.base() + "/kapot")
    outcome = _once(lp, client)[0][sid]
    assert "feed" in outcome and len(_messages(lp)) == 0


# --- inbox ------------------------------------------------------------------------------------
GOOD_CSV = ("ID;Datum;Bron;Auteur;Bericht\n" + "\n".join(
    f"{i};04-12-2026 10:{i:02d}:00;Twitter;user{i};Rook boven de haven {i}" for i in range(5)))
MALFORMED = {
    "leeg.csv": b"",
    "slechte_datum.csv": b"ID;Datum;Bron;Auteur;Bericht\n1;gisteren;Twitter;a;tekst\n",
    "binair.xlsx": b"\x00\x01\x02 geen excel",
    "kapot.json": b'[{"text": "a", "created_at": "2026-12-04T10:00:00Z"',
    "alleen_kop.csv": b"ID;Datum;Bron;Auteur;Bericht\n",
}


def test_inbox_imports_whole_files_and_moves_them(lp, tmp_path, client):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "obi4wan-1000.csv").write_text(GOOD_CSV, encoding="utf-8")
    for name, data in MALFORMED.items():
        (inbox / name).write_bytes(data)
    (inbox / "notities.docx").write_bytes(b"geen export")
    sid = _add(lp, "inbox", folder=str(inbox), settle_seconds=0)
    result, _ = _once(lp, client)
    assert result == {sid: 5}
    assert len(_messages(lp)) == 5
    assert (inbox / "verwerkt" / "obi4wan-1000.csv").exists()
    for name in MALFORMED:
        assert (inbox / "afgewezen" / name).exists()
        error = (inbox / "afgewezen" / f"{name}.fout.txt").read_text(encoding="utf-8")
        assert " / " in error  # Dutch / English
    assert (inbox / "notities.docx").exists()  # not an export: left alone
    assert "slechte_datum.csv" in src.get_source(lp, sid).health["last_error"]
    # the same export again (a newer one under the same name): nothing doubled
    (inbox / "obi4wan-1000.csv").write_text(GOOD_CSV, encoding="utf-8")
    assert _once(lp, client)[0] == {sid: 0}
    assert len(list((inbox / "verwerkt").iterdir())) == 2
    assert len(_messages(lp)) == 5


def test_inbox_leaves_a_file_that_is_still_being_written(lp, tmp_path, client):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "export.csv").write_text(GOOD_CSV, encoding="utf-8")
    sid = _add(lp, "inbox", folder=str(inbox), settle_seconds=3600)
    assert _once(lp, client)[0] == {sid: 0}
    assert (inbox / "export.csv").exists()


def test_inbox_with_the_malformed_file_corpus(lp, tmp_path, client):
    from tests.data.make_malformed import write

    corpus = tmp_path / "corpus"
    write(corpus, big=False)
    import shutil

    inbox = tmp_path / "inbox"
    shutil.copytree(corpus, inbox)
    sid = _add(lp, "inbox", folder=str(inbox), settle_seconds=0)
    from pipeline.ingest.collect.inbox import EXTENSIONS

    exports = [p.name for p in corpus.iterdir() if p.is_file() and p.suffix.lower() in EXTENSIONS]
    result, _ = _once(lp, client)
    assert isinstance(result[sid], int)  # bad files never stop the inbox
    rejected = {p.name for p in (inbox / "afgewezen").glob("*") if not p.name.endswith(".fout.txt")}
    done = {p.name for p in (inbox / "verwerkt").glob("*")} if (inbox / "verwerkt").exists() else set()
    assert rejected | done == set(exports) and not rejected & done
    for name in rejected:
        assert " / " in (inbox / "afgewezen" / f"{name}.fout.txt").read_text(encoding="utf-8")


# --- purpose binding, audit, health ------------------------------------------------------------
def test_a_closed_incident_is_never_collected(lp, fx, client):
    fx.statuses = _statuses(5)
    _add(lp, "mastodon", instance=fx.base(), hashtag="brand")
    inc = store.get_incident(lp, "Brand")
    store.close_incident(lp, inc["id"], actor="beheerder")
    assert run_once(lp, client=client, force=True) == {}
    with pytest.raises(CollectRefused, match="gesloten"):
        run_once(lp, incident="Brand", client=client, force=True)
    assert fx.requests == [] and len(_messages(lp)) == 0
    log = store.load_audit(lp)
    assert ((log["action"] == "collect") & (log["outcome"] == "refused")).any()
    with pytest.raises(Exception, match="gesloten"):
        _add(lp, "rss", url=fx.base() + "/rss")


def test_collection_stops_at_the_end_date(lp, fx, client):
    inc = store.get_incident(lp, "Brand")
    with lp.begin() as conn:
        conn.execute(store.incidents.update().where(store.incidents.c.id == inc["id"])
                     .values(end_at=store.to_db_time(NOW - timedelta(minutes=10))))
    fx.statuses = _statuses(5, start=NOW - timedelta(minutes=20))
    sid = _add(lp, "mastodon", instance=fx.base(), hashtag="brand")
    assert run_once(lp, client=client, force=True) == {sid: "ended"}
    assert fx.requests == []
    assert "einddatum" in src.get_source(lp, sid).health["last_error"]


def test_messages_after_the_end_date_are_dropped(lp):
    inc = {"start_at": pd.Timestamp(NOW - timedelta(hours=1)), "end_at": pd.Timestamp(NOW)}
    rows = [{"created_at": (NOW + timedelta(minutes=m)).isoformat(), "text": "x"} for m in (-90, -5, 5)]
    assert [r["created_at"] for r in src.in_window(rows, inc)] == [rows[1]["created_at"]]


def test_adding_and_removing_a_source_is_audited_and_credentials_are_refused(lp, fx):
    sid = _add(lp, "mastodon", instance=fx.base(), hashtag="brand")
    src.remove_source(lp, sid, actor="beheerder", reason="incident voorbij")
    log = store.load_audit(lp)
    added = log[log["action"] == "source.add"]
    removed = log[log["action"] == "source.remove"]
    assert len(added) == 1 and added["actor"].iloc[0] == "tester"
    assert len(removed) == 1 and removed["reason"].iloc[0] == "incident voorbij"
    assert store.verify_audit(lp) == []
    assert src.list_sources(lp) == []
    with pytest.raises(ValueError, match="omgevingsvariabele"):
        _add(lp, "mastodon", instance=fx.base(), hashtag="brand", access_token="abc")
    with pytest.raises(ValueError, match="hashtag"):
        _add(lp, "mastodon", instance=fx.base())


def test_health_shows_last_hour_lag_and_errors(lp, fx, client):
    fx.statuses = _statuses(7, start=datetime.now(UTC) - timedelta(minutes=2))  # posted 120..114 s ago
    sid = _add(lp, "mastodon", instance=fx.base(), hashtag="brand")
    _once(lp, client)
    inc = store.get_incident(lp, "Brand")["id"]
    h = src.health_frame(lp, inc).set_index("id").loc[sid]
    assert h["messages_last_hour"] == 7 and h["n_collected"] == 7 and h["last_error"] == ""
    assert 110 <= h["lag_seconds"] <= 180  # the median posted -> stored
    ok, not_ok = src.collected_summary(lp, inc, pd.Timestamp(NOW - timedelta(hours=1)),
                                       pd.Timestamp.now(tz="UTC"))
    assert ok == [src.get_source(lp, sid).label] and not_ok == []
    fx.add_fault("/api/v1", "500")
    fx.add_fault("/api/v1", "500")
    fx.add_fault("/api/v1", "500")
    _once(lp, client)
    ok, not_ok = src.collected_summary(lp, inc, pd.Timestamp(NOW - timedelta(hours=1)),
                                       pd.Timestamp.now(tz="UTC"))
    assert ok == [] and not_ok == [src.get_source(lp, sid).label]


def test_cli_source_add_list_remove_and_collect_once(lp, fx, capsys):
    from pipeline.__main__ import main

    fx.statuses = _statuses(3)
    assert main(["source", "add", "--incident", "Brand", "--kind", "mastodon", "--instance", fx.base(),
                 "--hashtag", "brand"]) == 0
    assert main(["source", "list", "--incident", "Brand"]) == 0
    listed = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    assert listed[0]["kind"] == "mastodon" and listed[0]["config"]["hashtag"] == "brand"
    assert main(["collect", "--once", "--incident", "Brand"]) == 0
    assert "3 berichten toegevoegd" in capsys.readouterr().out
    assert main(["source", "remove", str(listed[0]["id"])]) == 0
    with lp.connect() as conn:
        n = conn.execute(select(func.count()).select_from(store.audit_log)
                         .where(store.audit_log.c.action.like("source.%"))).scalar_one()
    assert n == 2
    inc = store.get_incident(lp, "Brand")
    store.close_incident(lp, inc["id"], actor="beheerder")
    assert main(["collect", "--once", "--incident", "Brand"]) == 2


def test_posts_from_the_future_are_dropped_not_blocking_the_source(lp, fx, client):
    fx.statuses = _statuses(2) + [mastodon_status(50, NOW + timedelta(days=30))]
    sid = _add(lp, "mastodon", instance=fx.base(), hashtag="brand")
    assert _once(lp, client)[0] == {sid: 2}


def test_retry_after_as_seconds_or_http_date():
    now = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
    assert http.retry_after_seconds("30") == 30.0
    assert http.retry_after_seconds("Fri, 04 Dec 2026 12:02:00 GMT", now) == 120.0
    assert http.retry_after_seconds("morgen") is None and http.retry_after_seconds(None) is None


def test_html_to_text_keeps_only_visible_text():
    from pipeline.ingest.collect.html_text import html_to_text

    html = ('<p>Kijk <a href="https://nos.nl/x"><span class="invisible">https://</span>'
            '<span class="ellipsis">nos.nl/artikel</span><span class="invisible">/123</span></a> '
            '<span class="h-card"><a class="u-url mention">@<span>vr_bon</span></a></span></p>'
            '<p>tweede<br/>regel<iframe src="https://ads.example">advertentie</iframe></p>')
    assert html_to_text(html) == "Kijk https://nos.nl/artikel/123 @vr_bon\ntweede\nregel"
    assert html_to_text(None) == "" and html_to_text("<img src=x onerror=alert(1)>") == ""


def _run_worker(engine, seconds_until, check):
    """Run `worker.run` in a thread until `check()` is true (or 20 s); return whether it became true."""
    import threading
    import time

    from pipeline.ingest.collect.worker import run

    stop = threading.Event()
    thread = threading.Thread(target=run, kwargs={"engine": engine, "tick": 0.2, "stop": stop})
    thread.start()
    try:
        deadline = time.monotonic() + seconds_until
        while time.monotonic() < deadline and not check():
            time.sleep(0.1)
        return check()
    finally:
        stop.set()
        thread.join(timeout=30)


def test_mastodon_streaming_stores_updates_without_moving_the_cursor(lp, fx):
    sid = _add(lp, "mastodon", instance=fx.base(), hashtag="brand", streaming=True, interval=3600)
    pushed = _statuses(3, start=NOW - timedelta(seconds=10))
    fx.stream_queue = list(pushed)  # only the stream has them; the polled timeline is empty
    assert _run_worker(lp, 20, lambda: len(_messages(lp)) == 3)
    assert fx.stream_connections >= 1
    # a status URI names the account: it is stored as its post number (privacy.safe_source_ids)
    assert set(_messages(lp)["source_id"]) == {s["uri"].rsplit("/", 1)[-1] for s in pushed}
    assert src.get_source(lp, sid).cursor == {}  # streaming never moves the polling cursor
    # the timeline later shows the same statuses: the poll skips them as duplicates
    fx.statuses = pushed
    with http.make_client() as poller:
        result, _ = _once(lp, poller)
    assert result == {sid: 0} and len(_messages(lp)) == 3


def test_an_instance_that_refuses_streaming_is_polled_only(lp, fx):
    fx.stream_status = 401
    fx.statuses = _statuses(2)
    sid = _add(lp, "mastodon", instance=fx.base(), hashtag="brand", streaming=True, interval=0.5)
    assert _run_worker(lp, 20, lambda: "streaming" in (src.get_source(lp, sid).health["last_error"] or ""))
    assert len(_messages(lp)) == 2
    assert fx.stream_connections == 0
    assert "streaming" in src.get_source(lp, sid).health["last_error"]  # still shown after polls

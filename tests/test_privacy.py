"""Privacy at ingest: scrubbing, pseudonyms, key file, official accounts, nothing raw in the DB file."""

from __future__ import annotations

import stat
from pathlib import Path

import pandas as pd
import pytest

from pipeline import schema as S
from pipeline.ingest import privacy
from pipeline.ingest.load import ingest_file
from pipeline.storage import store

KEY = b"k" * 32


@pytest.mark.parametrize("text, expected", [
    ("RT @jan_01: brand", "RT [gebruiker]: brand"),  # retweet prefix
    ("mail info@gemeente-x.nl nu", "mail [e-mail] nu"),  # e-mail before handle
    ("zie https://omroep.nl/a/b?x=1.", "zie [link]."),  # trailing dot stays
    ("zie www.omroep-example.nl/nieuws", "zie [link]"),
    ("zie omroep.nl/abc-123", "zie [link]"),  # bare domain with a path
    ("https://x.com/jan/status/1 @piet", "[link] [gebruiker]"),  # URL before handle
    ("bel 06-12345678", "bel [telefoon]"),
    ("bel 06 12 34 56 78", "bel [telefoon]"),
    ("bel +31 6 12345678", "bel [telefoon]"),
    ("bel 0031 6 12345678", "bel [telefoon]"),
    ("bel 020-1234567", "bel [telefoon]"),
    ("bel 0900-1234567", "bel [telefoon]"),
    ("bel +49 30 1234567", "bel [telefoon]"),
    ("@anna@mastodon.social zegt", "[gebruiker] zegt"),  # fediverse handle
    # must survive: time, date, postcode, counts, 112, amounts, a bare domain without path
    ("om 14:30 op 12-07-2026 in 7321 AB", "om 14:30 op 12-07-2026 in 7321 AB"),
    ("3 gezinnen, bel 112!", "3 gezinnen, bel 112!"),
    ("€ 1.500,00 schade, 01-07-2026 14:30", "€ 1.500,00 schade, 01-07-2026 14:30"),
    ("kijk op crisis.nl", "kijk op crisis.nl"),
])
def test_scrub_text(text, expected):
    assert privacy.scrub_text(pd.Series([text])).tolist() == [expected]


def test_scrub_does_not_mutate_and_keeps_index():
    s = pd.Series(["@a", None], index=[5, 7])
    out = privacy.scrub_text(s)
    assert out.tolist() == ["[gebruiker]", ""] and out.index.tolist() == [5, 7]
    assert s.tolist()[0] == "@a"


def test_url_domain():
    urls = pd.Series(["https://www.Omroep-Example.nl/x/y", "", "", ""])
    texts = pd.Series(["", "zie http://m.nieuws.bbc.co.uk/a", "lees omroep.nl/abc", "geen link"])
    assert privacy.url_domain(urls, texts).tolist() == ["omroep-example.nl", "bbc.co.uk", "omroep.nl", ""]


def test_pseudonyms_stable_normalised_and_keyed():
    authors = pd.Series(["@Jan", " jan ", "Piet", None])
    a = privacy.pseudonymise(authors, KEY)
    assert a[0] == a[1] != a[2]  # "@Jan" and " jan " are one person
    assert a.str.fullmatch(r"p_[0-9a-f]{16}").all()
    assert privacy.pseudonymise(authors, KEY).tolist() == a.tolist()
    other = privacy.pseudonymise(authors, b"o" * 32)
    assert not set(other) & set(a)


def test_key_file_created_0600_and_never_regenerated(tmp_path):
    path = tmp_path / "sub" / "key"
    key = privacy.load_or_create_key(path)
    assert len(key) == 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert privacy.load_or_create_key(path) == key
    path.write_bytes(b"short")
    with pytest.raises(privacy.KeyFileError, match="5 bytes"):
        privacy.load_or_create_key(path)
    assert path.read_bytes() == b"short"  # not silently replaced


def _officials(tmp_path: Path) -> pd.DataFrame:
    path = tmp_path / "officials.csv"
    path.write_text("platform,account,name,kind\n"
                    "twitter,@VRBrandweer,Veiligheidsregio Test,authority\n"
                    "*,omroepnieuws,,media\n", encoding="utf-8")
    return privacy.load_official_accounts(path)


def test_prepare_messages_officials_and_schema(tmp_path):
    raw = pd.DataFrame({
        S.PLATFORM: ["twitter", "facebook", "twitter", "facebook"],
        S.SOURCE_ID: ["1", "2", "3", "4"],
        S.CREATED_AT: pd.to_datetime(["2026-07-11 12:00"] * 4, utc=True),
        S.TEXT: ["Ramen dicht, info 06-12345678", "@vrbrandweer klopt dit?", "nieuws", "x"],
        privacy.RAW_AUTHOR: ["vrbrandweer", "Jan", "@OmroepNieuws", "VRBrandweer"],
        privacy.RAW_URL: ["https://x.com/vrbrandweer/status/1", "", "", ""],
        S.IS_REPLY: [False, True, False, False], S.IS_REPOST: [False] * 4, S.TIME_FLAG: [""] * 4,
    })
    before = raw.copy()
    out = privacy.prepare_messages(raw, KEY, _officials(tmp_path))
    pd.testing.assert_frame_equal(raw, before)  # input untouched
    assert list(out.columns) == list(S.MESSAGE_COLUMNS)
    assert out[S.AUTHOR].tolist()[0] == "Veiligheidsregio Test"
    assert out[S.AUTHOR].str.startswith("p_").tolist() == [False, True, False, True]  # fb: not official
    assert out[S.AUTHOR].iloc[2] == "omroepnieuws"  # no name: the account
    assert out[S.OFFICIAL_KIND].tolist() == ["authority", "", "media", ""]
    assert out[S.TEXT].tolist()[:2] == ["Ramen dicht, info [telefoon]", "[gebruiker] klopt dit?"]
    assert out[S.URL_DOMAIN].iloc[0] == "x.com"


def test_official_posts_become_moments(lp, tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(b"id,text,date,author,platform\n"
                     b"1,Sluit ramen en deuren,2026-07-11 14:00,@VRBrandweer,twitter\n"
                     b"2,wat is dit,2026-07-11 14:01,jan,twitter\n")
    result = ingest_file(path, "Brand", engine=lp, officials=_officials(tmp_path))
    assert result.moments_added == 1
    moments = store.load_moments(lp, store.get_incident(lp, "Brand")["id"])
    assert moments[S.MOMENT_TEXT].tolist() == ["Sluit ramen en deuren"]
    assert moments[S.MOMENT_ORIGIN].tolist() == ["official_account"]


RAW_SECRETS = ["@geheimehandle", "geheimehandle", "jan.jansen@voorbeeld-mail.nl", "06-98765432",
               "0698765432", "omroep-example.nl/artikel/geheim-pad", "status/1234567890123",
               "priveauteur"]


def test_no_raw_personal_data_in_database_files(lp, tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(
        b"id,text,date,author,url\n"
        b"1,RT @geheimehandle: mail jan.jansen@voorbeeld-mail.nl of 06-98765432,2026-07-11 14:00,"
        b"priveauteur,https://x.com/priveauteur/status/1234567890123\n"
        b"2,zie https://omroep-example.nl/artikel/geheim-pad en 0698765432,2026-07-11 14:01,"
        b"@geheimehandle,\n")
    assert ingest_file(path, "Brand", engine=lp).added == 2
    db = Path(str(lp.url.database))
    blob = b"".join(p.read_bytes() for p in db.parent.glob(db.name + "*"))
    for secret in RAW_SECRETS:
        assert secret.encode() not in blob, secret
    stored = store.load_messages(lp, store.get_incident(lp, "Brand")["id"])
    assert stored[S.URL_DOMAIN].tolist() == ["x.com", "omroep-example.nl"]
    a1, a2 = stored[S.AUTHOR]
    assert a1.startswith("p_") and a2.startswith("p_") and a1 != a2
    # same key on a second run: same pseudonym for the same author
    path2 = tmp_path / "b.csv"
    path2.write_bytes(b"id,text,date,author\n3,nog een,2026-07-11 14:02,Priveauteur\n")
    ingest_file(path2, "Brand", engine=lp)
    stored = store.load_messages(lp, store.get_incident(lp, "Brand")["id"])
    assert stored[S.AUTHOR].iloc[2] == a1


def test_display_name_tags_of_authors_in_the_batch_are_scrubbed():
    from pipeline.ingest.privacy import scrub_known_names

    texts = pd.Series([
        "Roel Kuipers Waarom moet ik alles zelf zoeken?",  # Facebook tag at the start
        "Bedankt Maarten ter Horst voor de info",  # name with a particle, mid-sentence
        "Heel Heidewijk stinkt",  # capitalised words that are no author's name
        "Anna zegt dat het meevalt",  # one-word names are too ambiguous to scrub
    ])
    names = pd.Series(["Roel Kuipers", "Maarten ter Horst", "Anna", "@kees"])
    assert scrub_known_names(texts, names).tolist() == [
        "[gebruiker] Waarom moet ik alles zelf zoeken?",
        "Bedankt [gebruiker] voor de info",
        "Heel Heidewijk stinkt",
        "Anna zegt dat het meevalt",
    ]
    # a display name with a tail that is no name: its leading name is looked for too (the
    # nl_political_tweets export puts "Name (@handle): " before each text; "Attje Kuiken" stayed)
    tailed = pd.Series(["Attje Kuiken \u200d\u200d\ufe0f (@attjekuiken): RT nieuws",
                        "Rudmer Heerema #blijftthuis (@rudmer): Fijne dag", "Laura Bromet zegt"])
    names = pd.Series(["Attje Kuiken \u200d\u200d\ufe0f", "Rudmer Heerema #blijftthuis", "Laura Bromet 🦔"])
    assert [t.split(" (")[0].split(" zegt")[0].strip() for t in scrub_known_names(tailed, names)] == [
        "[gebruiker] \u200d\u200d\ufe0f", "[gebruiker] #blijftthuis", "[gebruiker]"]
    # "v" and "vd" abbreviate "van (der)" in names ("Stientje v Veldhoven (@SvVeldhoven): RT …")
    short = pd.Series(["Stientje v Veldhoven (@x): RT nieuws",
                       "Dank aan Jan vd Berg en Liesbeth v. Tongeren"])
    names = pd.Series(["Stientje v Veldhoven", "Jan vd Berg", "Liesbeth v. Tongeren"])
    assert scrub_known_names(short, names).tolist() == ["[gebruiker] (@x): RT nieuws",
                                                        "Dank aan [gebruiker] en [gebruiker]"]


def test_official_organisation_names_stay_readable(tmp_path):
    from pipeline.ingest.privacy import RAW_AUTHOR, load_official_accounts, prepare_messages

    officials_csv = tmp_path / "o.csv"
    officials_csv.write_text("platform,account,name,kind\nfacebook,Veiligheidsregio Oost,"
                             "Veiligheidsregio Oost,authority\n", encoding="utf-8")
    raw = pd.DataFrame({
        S.TEXT: ["Veiligheidsregio Oost meldt: ramen dicht", "Jan de Vries zegt het ook"],
        RAW_AUTHOR: ["Veiligheidsregio Oost", "Jan de Vries"],
        S.PLATFORM: ["facebook", "facebook"], S.SOURCE_ID: ["1", "2"],
        S.CREATED_AT: pd.to_datetime(["2026-07-11 12:00", "2026-07-11 12:01"], utc=True),
    })
    out = prepare_messages(raw, b"k" * 32, load_official_accounts(officials_csv))
    assert out[S.TEXT].tolist() == ["Veiligheidsregio Oost meldt: ramen dicht", "[gebruiker] zegt het ook"]


@pytest.mark.parametrize("text", [
    "abcdefghij://x.nl/p",          # the longest scheme: the match starts 11 characters before "//"
    "zie abcdefghij://x.nl/p nu",
    "xabcdefghij://x.nl/p",         # 11 letters: no scheme match at the word start
    "git+ssh1234://host.nl/pad nu",
    "Zie WwW.Nu.nl/x en http://a.b/c",
    "www.a.nl en daarna //b.nl/x",  # "www." before the first "//"
    "İİİİ www.x.nl/p",              # lower() would shift the index of "www."
    "a//b.nl x", "geen link", "", "//a.nl/x", "zie: https://t.co/abc https://t.co/def",
])
def test_link_scan_from_a_later_position_finds_the_same_links(text):
    """Scrubbing and the first link scan from _link_scan_start: the same result as from 0."""
    start = privacy._link_scan_start(text)
    assert privacy._sub_from(privacy._URL_SCHEME_RE, privacy.LINK, text, start)[0] == \
        privacy._URL_SCHEME_RE.sub(privacy.LINK, text)
    first = privacy._URL_SCHEME_RE.search(text)
    later = privacy._URL_SCHEME_RE.search(text, start)
    assert (first and first.span()) == (later and later.span())


@pytest.mark.parametrize(("text", "scrubbed"), [
    ("mail jan.jansen@gmail nu", "mail [e-mail] nu"),
    ("@ gemeente Moerdijk", "@ gemeente Moerdijk"),
    ("git+ssh1234://host.nl/pad nu", "git+[link] nu"),
    ("Zie WwW.Nu.nl/x en http://a.b/c", "Zie [link] en [link]"),
])
def test_scrub_gates_keep_the_result(text, scrubbed):
    assert privacy.scrub_text(pd.Series([text])).tolist() == [scrubbed]


# --- the per-distinct-value fast paths (Arrow "str" columns) give what the per-row path gives ---
_MIXED = ["m1", "m1", "1234567890", "a.b:c-d_e", " spaced ", "x" * 100, "x" * 101, "jan@x.nl", "é-id",
          "https://x.com/janjansen/status/1234567", "a b", "", "a\n", None, "m1"]


def test_map_distinct_calls_once_per_distinct_value_and_matches_the_row_by_row_result():
    from pipeline.storage.keys import map_distinct, map_unique, strings

    calls: list[str] = []

    def f(v: str) -> str:
        calls.append(v)
        return f"<{v}>"

    values = pd.Series(_MIXED, dtype="str")
    assert map_distinct(values, f).tolist() == map_unique(strings(values), lambda v: f"<{v}>")
    assert sorted(calls) == sorted(set(strings(values)))  # once each, the missing value as ""
    cache: dict[str, str] = {}
    map_distinct(values, f, cache)
    calls.clear()
    map_distinct(values, f, cache)
    assert calls == []  # the cache carries over calls (the chunks of one import)
    # object columns are not factorised: 1 and 1.0 stay two values, as str() tells them apart
    assert map_distinct(pd.Series([1, 1.0, None], dtype=object), str).tolist() == ["1", "1.0", ""]
    assert map_distinct(pd.Series([], dtype="str"), str).tolist() == []


def test_fast_paths_of_ids_texts_and_domains_equal_the_object_column_path():
    ids = pd.Series(_MIXED, dtype="str")
    assert privacy.safe_source_ids(ids).tolist() == privacy.safe_source_ids(ids.astype(object)).tolist()
    assert privacy.safe_source_ids(ids)[3] == "a.b:c-d_e" and privacy.safe_source_ids(ids)[4] == "spaced"
    plain = pd.Series(["m1", "m2", "123"], dtype="str")
    assert privacy.safe_source_ids(plain).tolist() == ["m1", "m2", "123"]
    texts = pd.Series(["zie https://omroep.nl/a", "bel 06-12345678", None, "zie https://omroep.nl/a",
                       "@jan kijk omroep.nl/x"], dtype="str")
    urls = pd.Series(["https://www.bbc.co.uk/n", "", None, " http://nos.nl/x ", ""], dtype="str")
    assert privacy.scrub_text(texts).tolist() == privacy.scrub_text(texts.astype(object)).tolist()
    assert privacy.scrub_text(texts).tolist()[:2] == ["zie [link]", "bel [telefoon]"]
    assert (privacy.url_domain(urls, texts).tolist() == privacy.url_domain(urls.astype(object),
                                                                          texts.astype(object)).tolist()
            == ["bbc.co.uk", "", "", "nos.nl", "omroep.nl"])


@pytest.mark.parametrize("dtype", ["str", object])
def test_scrub_and_link_domains_in_one_pass_equal_the_two_passes(dtype):
    """`prepare_messages` takes the link domain from the scrub pass; `url_domain` alone gives the same."""
    texts = pd.Series([
        "zie https://www.omroep.nl/a en omroep2.nl/b", "omroep.nl/x en daarna https://bbc.co.uk/a",
        "mail jan@omroep.nl of bel 06-12345678", "geen link", "", "www.a.nl en daarna //b.nl/x",
        "a\u200bhttps://x.nl/b", "rt @jan: kijk nu.nl/live", "zie https://www.omroep.nl/a en omroep2.nl/b",
    ], dtype=dtype)
    scrubbed, domains = privacy.scrub_text_and_domains(texts)
    assert scrubbed.tolist() == privacy.scrub_text(texts).tolist()
    # the first link as a reader sees it: a scheme/www link before a bare domain with a path,
    # also behind an invisible character; an e-mail address is no link
    assert list(domains) == ["omroep.nl", "bbc.co.uk", "", "", "", "a.nl", "x.nl", "nu.nl", "omroep.nl"]
    no_urls = pd.Series("", index=texts.index, dtype="str")
    assert privacy.url_domain(no_urls, texts).tolist() == list(domains)
    assert privacy.url_domain(no_urls, texts, domains).tolist() == list(domains)


def test_scrub_pass_finds_a_link_of_any_scheme():
    """The scrub pass replaces ftp:// links, so their domain is the link's domain too."""
    texts = pd.Series(["zie ftp://files.example.nl/x"], dtype="str")
    scrubbed, domains = privacy.scrub_text_and_domains(texts)
    assert scrubbed.tolist() == ["zie [link]"] and list(domains) == ["example.nl"]

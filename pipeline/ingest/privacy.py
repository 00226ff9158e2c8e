"""Privacy at ingest: keyed pseudonyms, text scrubbing, link domains, official accounts.

Raw exports carry author handles, message URLs and texts full of handles,
e-mail addresses, phone numbers and links. `prepare_messages` turns the frame
that `pipeline.ingest.load.read_messages` returns (raw columns `RAW_AUTHOR`,
`RAW_URL`) into the stored schema (`schema.MESSAGE_COLUMNS`): the author
becomes an HMAC-SHA256 pseudonym under a secret key kept outside the database,
the text is scrubbed to placeholders, only the domain of a link survives, and
configured official accounts keep their public name. See `docs/PRIVACY.md`.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from pipeline import schema as S
from pipeline.arrays import is_str
from pipeline.storage.keys import (  # noqa: F401  (the key helpers live in storage; re-exported)
    HKDF_SALT,
    KEY_BYTES,
    PSEUDONYM_HEX,
    PSEUDONYM_PREFIX,
    PSEUDONYM_SCHEME,
    KeyFileError,
    hkdf_sha256,
    incident_key,
    incident_pseudonyms,
    load_or_create_key,
    make_private,
    make_private_dirs,
    map_distinct,
    map_unique,
    strings,
)

RAW_AUTHOR = "author_raw"  # the author handle/name as exported; never stored
RAW_URL = "url_raw"  # the message URL as exported; never stored


LINK = "[link]"
EMAIL = "[e-mail]"
PHONE = "[telefoon]"
USER = "[gebruiker]"

OFFICIAL_KINDS = ("authority", "media")
ANY_PLATFORM = "*"
UNKNOWN_PLATFORM = "onbekend"

# Spellings seen in monitoring exports -> the platform name we store.
PLATFORM_ALIASES = {
    "x": "twitter", "x.com": "twitter", "twitter": "twitter", "twitter.com": "twitter",
    "x_twitter": "twitter", "twitter_x": "twitter", "tweet": "twitter", "tweets": "twitter",
    "facebook": "facebook", "fb": "facebook", "facebook.com": "facebook",
    "instagram": "instagram", "ig": "instagram", "insta": "instagram",
    "youtube": "youtube", "yt": "youtube", "tiktok": "tiktok", "tik_tok": "tiktok",
    "linkedin": "linkedin", "reddit": "reddit", "mastodon": "mastodon", "bluesky": "bluesky",
    "bsky": "bluesky", "threads": "threads", "telegram": "telegram", "whatsapp": "whatsapp",
    "nieuws": "nieuws", "news": "nieuws", "online_nieuws": "nieuws", "online_news": "nieuws",
    "blog": "blog", "blogs": "blog", "forum": "forum", "fora": "forum", "forums": "forum",
    "": UNKNOWN_PLATFORM, "unknown": UNKNOWN_PLATFORM, "onbekend": UNKNOWN_PLATFORM,
}


# --- pseudonyms ----------------------------------------------------------------------
def normalise_accounts(values: pd.Series) -> pd.Series:
    """Return account names normalised for matching: NFC, stripped, lower-case, no leading '@'."""
    if is_str(values):
        s = values.fillna("")  # already text (Arrow): no Python object per value on the way
    else:
        s = values.astype(object).where(values.notna(), "").astype(str)
    # authors repeat a lot: normalise each distinct value once
    codes, uniques = pd.factorize(s, sort=False)
    # (pandas' string methods, not str.lower: they fold "İ" to "i" as stored pseudonyms always did)
    u = pd.Series([unicodedata.normalize("NFC", v) for v in uniques.tolist()] or [""], dtype="str")
    norm = u.str.strip().str.lower().str.lstrip("@").str.strip().to_numpy(dtype=object)
    return pd.Series(norm[codes], index=values.index, dtype="str", name=values.name)


def pseudonymise(authors: pd.Series, key: bytes, cache: dict[str, str] | None = None, *,
                 normalised: pd.Series | None = None) -> pd.Series:
    """Return "p_" + 16 hex chars of HMAC-SHA256(key, normalised author) per author.

    `cache` (normalised author -> pseudonym under THIS key) carries results over calls;
    `normalised` is `normalise_accounts(authors)` when the caller has it already.
    """
    norm = normalise_accounts(authors) if normalised is None else normalised
    codes, uniques = pd.factorize(norm, sort=False)

    def one(u: str) -> str:
        return PSEUDONYM_PREFIX + hmac.digest(key, u.encode("utf-8"), "sha256").hex()[:PSEUDONYM_HEX]

    digests = np.array(map_unique(uniques.tolist(), one, cache) or [""], dtype=object)
    return pd.Series(digests[codes], index=authors.index, dtype="str", name=authors.name)


# --- scrubbing ------------------------------------------------------------------------
# Characters that hide a handle or address from a pattern without changing how it reads:
# zero-width and invisible format characters are removed, look-alike at-signs become "@".
# Only next to a letter, digit or "@": a zero-width joiner inside an emoji sequence stays.
_INVISIBLE = ("[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f"
              "\u202a-\u202e\u2060-\u206f\ufeff]+")
_INVISIBLE_RE = re.compile(f"(?<=[\\w@]){_INVISIBLE}|{_INVISIBLE}(?=[\\w@])")
_HIDDEN_GATE_RE = re.compile(_INVISIBLE[:-2] + "\uff20\ufe6b]")
_AT_LOOKALIKES = str.maketrans({"\uff20": "@", "\ufe6b": "@"})
_TLD = (r"(?:[a-z]{2}|com|org|net|info|biz|gov|edu|int|app|dev|news|online|site|live|social|media"
        r"|blog|shop|store|cloud|world|amsterdam|frl|xyz|nieuws)")
_URL_TAIL = r"[^\s<>\"'\]\[]*[^\s<>\"'.,;:!?)\]\[]"
# any scheme (http, https, ftp, sftp, ...), www., or a protocol-relative //host.tld
_URL_SCHEME_RE = re.compile(r"(?i)(?:\b[a-z][a-z0-9+-]{1,9}://|\bwww\.|(?<![\w:/])//(?=[\w-]+\.[\w-]))"
                            + _URL_TAIL)
_URL_GATE_RE = re.compile(r"(?i)://|www\.|//\w")
_WWW_RE = re.compile(r"(?i)www\.")
_IP_RE = re.compile(r"(?<![\w.])(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}"
                    r"(?::\d{1,5})?(?:/" + _URL_TAIL + r"|/)?(?![\w.]*\d)")
_OBF_MARKERS = (" at ", "(at", "[at", "{at", "<at", "( at", "[ at", "apenstaartje", "(a)", "[a]")
_OBF_MARKER_RE = re.compile("|".join(map(re.escape, _OBF_MARKERS)))  # any marker, one C-level scan
_IP_GATE_RE = re.compile(r"\d\.\d{1,3}\.\d")
_MASTODON_RE = re.compile(r"(?i)@(?<![\w@]@)[\w.-]+@[\w-]+(?:\.[\w-]+)+")
_EMAIL_GATE_RE = re.compile(r"@[\w-]+\.\w")
_EMAIL_RE = re.compile(r"(?i)(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,24}\b")
# an address without its top-level domain (jan.jansen@gmail): a word directly before "@"
_EMAIL_NO_TLD_RE = re.compile(r"(?<![\w.+-])(?!(?i:rt|via|cc)@)[\w+-][\w.+-]*@[\w-]+(?:\.[\w-]+)*")
# every match has a character of [\w.+-] directly before its "@"; a two-character search is
# ~10x cheaper than the pattern's scan from every word start ("@ gemeente" never needs it)
_EMAIL_NO_TLD_GATE_RE = re.compile(r"[\w.+-]@")
# obfuscated addresses: jan(at)example.com, jan [at] example [dot] com, jan at example dot com
_AT_WORD = r"(?:\s*[(\[{<]\s*(?:at|apenstaartje|a)\s*[)\]}>]\s*|\s+(?:at|AT)\s+)"
_DOT_WORD = r"(?:\s*[(\[{<]\s*(?:dot|punt)\s*[)\]}>]\s*|\s+(?:dot|DOT|punt)\s+|\.)"
_EMAIL_OBF_RE = re.compile(r"(?<![\w.+-])[\w.+-]+" + _AT_WORD + r"[\w-]+(?:" + _DOT_WORD
                           + r"[\w-]+)*" + _DOT_WORD + r"[a-zA-Z]{2,24}\b")
_EMAIL_OBF_GATE_RE = re.compile(r"(?i)[(\[{<]\s*(?:at|apenstaartje|a)\s*[)\]}>]"
                                r"|\s(?:at|AT)\s\S+\s(?:dot|DOT|punt)\s")
# a bare domain with a path (omroep.nl/x, evil.tech/pad): any alphabetic top-level domain
_BARE_URL_GATE_RE = re.compile(r"(?i)\.[a-z]{2,24}/")
_BARE_URL_RE = re.compile(
    r"(?i)(?<![\w@./-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}/" + r"[^\s<>\"'\]\[]*"
    r"(?<![.,;:!?)])"
)
# Phones, one pattern that starts with a character class so `re` can scan fast.
# Alternatives: international (+49 30 1234567, +31 6 12345678, 0031 6 12345678, +32 470 12 34 56);
# Dutch service numbers (0800/0900/0906/0909); national numbers of 9-12 digits starting with 0
# (06-12345678, 06 12 34 56 78, 06.12.34.56.78, 06/12345678, 020-1234567, Belgian 02 123 45 67,
# German 0171 1234567, 030/1234567) that are not a date and not two P2000 capcodes
# (041650 041631: a first group of six or more digits); (010) 123 4567. Never a date
# (12-07-2026), a time (14:30), 112, a postcode (7321 AB) or an amount.
_SEP = r"(?:[ ./-]|\s[-/.]\s)?"
_PHONE_RE = re.compile(
    r"[+0(](?<![\w+./-].)(?:"
    r"(?<=\+)[1-9]\d{0,2}(?:[ .-]?\(0\))?(?:" + _SEP + r"\d){6,12}"
    r"|(?<=0)0[1-9]\d{0,2}(?:[ .-]?\(0\))?(?:" + _SEP + r"\d){6,12}"
    r"|(?<=0)(?:800|90[069])[ -]?\d{4}(?:[ -]?\d{3})?"
    r"|(?<=0)(?!\d?[-/.]\d{1,2}[-/.]\d{2,4}\b(?![-/.]\d))(?!\d{5,}" + _SEP[:-1] + r"\d)"
    r"[1-9](?:" + _SEP + r"\d){7,10}"
    r"|(?<=\()0\d{1,3}\)[ -]?\d(?:[ -]?\d){5,7}"
    r")(?![\w:]|[.,]\d)"
)
# @handle (X, Instagram, TikTok, Threads: letters, digits, "_" and "."; Bluesky: name.bsky.social)
_HANDLE_RE = re.compile(r"@(?<![\w@/]@)\w{1,50}(?:\.\w{1,50})*")
_GLUED_PREFIX_RE = re.compile(r"(?i)\b(rt|via|cc|mt|ht)@")
_GLUED_GATE_RE = re.compile(r"(?i)[tac]@")
# Reddit u/name and /u/name
_REDDIT_RE = re.compile(r"(?<![\w/])/?u/[A-Za-z0-9_-]{3,20}\b")


def _link_scan_start(text: str) -> int:
    """Return a position no _URL_SCHEME_RE match starts before.

    Every match holds "//" (a scheme is at most 10 characters and ":" before it) or starts at
    "www."; scanning the pattern from every earlier position is most of its cost in a tweet
    whose link comes last. Look-behinds still see the text before the position.
    """
    i = text.find("//")
    start = len(text) if i < 0 else max(0, i - 11)
    if start:
        m = _WWW_RE.search(text)
        if m and m.start() < start:
            start = m.start()
    return start


def _sub_from(pattern: re.Pattern, repl: str, text: str, pos: int) -> tuple[str, str]:
    """Return (pattern.sub(repl, text), its first match or "") when no match starts before `pos`.

    `repl` is taken literally.
    """
    parts: list[str] = []
    first = ""
    last = 0
    for m in pattern.finditer(text, pos):
        if not parts:
            first = m.group(0)
        parts += (text[last:m.start()], repl)
        last = m.end()
    if not parts:
        return text, ""
    parts.append(text[last:])
    return "".join(parts), first


def _before_at(pattern: re.Pattern, text: str) -> bool:
    """Return `bool(pattern.search(text))` for a pattern of one character followed by "@".

    Such a match can only start just before an "@": trying those few positions replaces
    a scan of the whole text (most of the gate's cost in a tweet with a mention).
    """
    i = text.find("@", 1)
    while i > 0:
        if pattern.match(text, i - 1):
            return True
        i = text.find("@", i + 1)
    return False


# One RE2 pass (Arrow, in C++) over a batch's distinct texts says which could hold an obfuscated
# address, a phone number or an IP address; most hold none and skip those three steps (a third of
# the scrub's time). The test is wider than each step's own: an obfuscation marker in any case
# (`_OBF_MARKERS` are looked for in the lowered text; no non-ASCII letter lowers to one of theirs),
# `_IP_GATE_RE`, and seven digits with at most four other characters between neighbours (every
# `_PHONE_RE` match: a country code, "(0)" and a separator leave at most four). Digits are
# Unicode digits (`\p{Nd}`), as Python's `\d`. The steps run after links, addresses and handles
# are replaced; a match then still lies in text the test saw (placeholders hold letters, which no
# such match can span). Removing invisible characters can join what the test saw apart: such a
# text takes every step.
_RARE_GATE = (r"\p{Nd}\.\p{Nd}{1,3}\.\p{Nd}|\p{Nd}(?:\P{Nd}{0,4}\p{Nd}){6}|(?i:"
              + "|".join(re.escape(m) for m in _OBF_MARKERS) + ")")


def rare_flags(texts) -> np.ndarray:
    """Return per text whether it may need the rare scrub steps (`_RARE_GATE`; Arrow-backed texts)."""
    hits = pc.match_substring_regex(pa.array(texts, type=pa.large_string()), _RARE_GATE)
    return hits.to_numpy(zero_copy_only=False).astype(bool)


def _scrub_one(text: str, rare: bool = True) -> str:
    """Scrub one text; cheap membership tests skip the regexes that cannot match (`_scrub_link`)."""
    return _scrub_link(text, rare)[0]


def _scrub_link(text: str, rare: bool = True) -> tuple[str, str]:
    """Return (`_scrub_one(text)`, the first link it replaced).

    That is a scheme/www link, else a bare domain with a path, seen after invisible characters
    are removed. `rare=False` (`rare_flags` said so): no obfuscated address, phone number or IP
    address can be in it.
    """
    link = ""
    if not text.isascii() and _HIDDEN_GATE_RE.search(text):
        text = _INVISIBLE_RE.sub("", text).translate(_AT_LOOKALIKES)
        rare = True
    low = text.lower()
    if ("//" in text or "www." in low) and _URL_GATE_RE.search(text):
        text, link = _sub_from(_URL_SCHEME_RE, LINK, text, _link_scan_start(text))
    if rare and _OBF_MARKER_RE.search(low) and _EMAIL_OBF_GATE_RE.search(text):
        text = _EMAIL_OBF_RE.sub(EMAIL, text)
    if "@" in text:
        if text.count("@") > 1:  # every _MASTODON_RE match holds two
            text = _MASTODON_RE.sub(USER, text)
        if _EMAIL_GATE_RE.search(text):
            text = _EMAIL_RE.sub(EMAIL, text)
        if _before_at(_EMAIL_NO_TLD_GATE_RE, text):  # a match ends at an "@"
            text = _EMAIL_NO_TLD_RE.sub(EMAIL, text)
    if "/" in text and _BARE_URL_GATE_RE.search(text):
        if link:
            text = _BARE_URL_RE.sub(LINK, text)
        else:
            text, link = _sub_from(_BARE_URL_RE, LINK, text, 0)
    if rare:
        text = _PHONE_RE.sub(PHONE, text)
        if "." in text and _IP_GATE_RE.search(text):
            text = _IP_RE.sub(LINK, text)
    if "@" in text:
        if _before_at(_GLUED_GATE_RE, text):  # every _GLUED_PREFIX_RE match holds one of these pairs
            text = _GLUED_PREFIX_RE.sub(r"\1 @", text)
        text = _HANDLE_RE.sub(USER, text)
    if "u/" in text:
        text = _REDDIT_RE.sub(USER, text)
    return text, link


def _scrub_domain(text: str, rare: bool = True) -> tuple[str, str]:
    """Return (`_scrub_one(text)`, the registrable domain of its first link or "")."""
    text, link = _scrub_link(text, rare)
    return text, _domain_of(link) if link else ""


def scrub_text_and_domains(texts: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Return `scrub_text(texts)` and the domain of each text's first link, in one pass per distinct text.

    The link is found while it is replaced, so `prepare_messages` no longer scans every text
    for links a second time (`url_domain` without `text_domains`).
    """
    pairs = (map_distinct(texts, _scrub_domain, flags=rare_flags) if is_str(texts)
             else map_unique(strings(texts), _scrub_domain))
    if not len(pairs):
        return scrub_text(texts), np.array([], dtype=object)
    scrubbed, domains = zip(*pairs, strict=True)
    return (pd.Series(scrubbed, index=texts.index, dtype="str", name=texts.name),
            np.array(domains, dtype=object))


def scrub_free_text(text: object) -> str:
    """Return one free text written by a user (advice) scrubbed as messages are (`scrub_text`)."""
    return _scrub_one(str(text or ""))


def scrub_text(texts: pd.Series) -> pd.Series:
    """Return texts with links, e-mail addresses, phone numbers and @handles replaced by placeholders."""
    return pd.Series(map_distinct(texts, _scrub_one, flags=rare_flags), index=texts.index, dtype="str",
                     name=texts.name)


# --- link domains ------------------------------------------------------------------------
_HOST_RE = re.compile(r"(?i)^\s*(?:[a-z][a-z0-9+.-]*://)?(?:[^@/\s?#]*@)?([^/:?#\s]+)")
_SECOND_LEVEL = {"co.uk", "org.uk", "ac.uk", "gov.uk", "com.au", "net.au", "org.au", "co.nz",
                 "com.br", "co.jp", "co.za", "com.tr", "com.cn", "co.in"}


def _registrable(host: str) -> str:
    host = host.lower().strip(".")
    if not host or re.fullmatch(r"[\d.]+", host):
        return host
    labels = host.split(".")
    if len(labels) >= 3 and ".".join(labels[-2:]) in _SECOND_LEVEL:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def _domain_of(url: str) -> str:
    m = _HOST_RE.match(url)
    if not m or "." not in m.group(1):
        return ""
    return _registrable(m.group(1))


def url_domain(urls: pd.Series, texts: pd.Series, text_domains: np.ndarray | None = None) -> pd.Series:
    """Return the registrable domain of each message URL, else of the first link in its text, else "".

    The text's link is the one its scrub replaces first (`scrub_text_and_domains`); pass
    `text_domains` when that pass already ran.
    """
    from_url = map_distinct(urls, lambda u: _domain_of(u.strip()))
    from_text = text_domains if text_domains is not None else scrub_text_and_domains(texts)[1]
    domains = np.where(from_url != "", from_url, from_text) if len(from_url) else from_url
    return pd.Series(domains, index=urls.index, dtype="str", name=S.URL_DOMAIN)


# --- platforms and official accounts ---------------------------------------------------
def _fold(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalise_platforms(values: pd.Series) -> pd.Series:
    """Return lower-case platform names ("X"/"Twitter" -> "twitter"; empty -> "onbekend")."""
    s = values.astype(object).where(values.notna(), "").astype(str)
    codes, uniques = pd.factorize(s, sort=False)

    def one(v: str) -> str:
        key = re.sub(r"[^a-z0-9.]+", "_", _fold(v).strip().lower()).strip("_")
        return PLATFORM_ALIASES.get(key, key[:40] or UNKNOWN_PLATFORM)

    names = np.array([one(v) for v in uniques] or [UNKNOWN_PLATFORM], dtype=object)
    return pd.Series(names[codes], index=values.index, dtype="str", name=values.name)


def load_official_accounts(path: Path) -> pd.DataFrame:
    """Return the official accounts (platform, account, name, kind) from a CSV file, normalised."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False, comment="#", skipinitialspace=True)
    df.columns = [c.strip().lower() for c in df.columns]
    missing = [c for c in ("platform", "account", "kind") if c not in df.columns]
    if missing:
        raise ValueError(f"{path}: kolommen ontbreken / columns missing: {', '.join(missing)} "
                         "(verwacht / expected: platform,account,name,kind)")
    if "name" not in df.columns:
        df = df.assign(name="")
    kind = df["kind"].str.strip().str.lower()
    bad = ~kind.isin(OFFICIAL_KINDS)
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0]) + 1
        raise ValueError(f"{path}: rij {row}: soort '{df['kind'].iloc[row - 1]}' onbekend / row {row}: "
                         f"unknown kind; use {' or '.join(OFFICIAL_KINDS)}")
    platform = df["platform"].str.strip()
    return pd.DataFrame({
        "platform": platform.where(platform == ANY_PLATFORM, normalise_platforms(platform)),
        "account": normalise_accounts(df["account"]),
        "name": df["name"].str.strip().where(df["name"].str.strip() != "", df["account"].str.strip()),
        "kind": kind,
    }).loc[lambda d: d["account"] != ""].drop_duplicates(["platform", "account"]).reset_index(drop=True)


def _match_officials(platforms: pd.Series, accounts: pd.Series,
                     officials: pd.DataFrame | None) -> tuple[pd.Series, pd.Series]:
    """Return (display name or "", kind or "") per message from the official-account list."""
    empty = pd.Series("", index=accounts.index, dtype="str")
    if officials is None or officials.empty:
        return empty, empty.copy()
    exact = {(p, a): (n, k) for p, a, n, k in officials[["platform", "account", "name", "kind"]]
             .itertuples(index=False, name=None) if p != ANY_PLATFORM}
    anywhere = {a: (n, k) for p, a, n, k in officials[["platform", "account", "name", "kind"]]
                .itertuples(index=False, name=None) if p == ANY_PLATFORM}
    # only rows whose account is on the list at all can match: look those few up, not every pair
    listed = accounts.isin(officials["account"].tolist()).to_numpy(dtype=bool) & (accounts != "").to_numpy(
        dtype=bool)
    if not listed.any():
        return empty, empty.copy()
    hits = np.flatnonzero(listed)
    found = [exact.get((p, a)) or anywhere.get(a) or ("", "")
             for p, a in zip(platforms.to_numpy()[hits], accounts.to_numpy()[hits], strict=True)]
    names = np.full(len(accounts), "", dtype=object)
    kinds = np.full(len(accounts), "", dtype=object)
    names[hits] = [f[0] for f in found]
    kinds[hits] = [f[1] for f in found]
    return (pd.Series(names, index=accounts.index, dtype="str"),
            pd.Series(kinds, index=accounts.index, dtype="str"))


def official_kinds(platforms: pd.Series, authors: pd.Series, officials: pd.DataFrame | None) -> pd.Series:
    """Return the official kind ("authority"/"media") or "" per message, as `prepare_messages` sets it."""
    return _match_officials(normalise_platforms(platforms), normalise_accounts(authors), officials)[1]


# A run of capitalised words (with Dutch/German name particles) that may be a person's name,
# e.g. "Roel Kuipers", "Maarten ter Horst", "Thijs H.", "Stientje v Veldhoven" ("v", "vd": "van
# (der)"). Facebook/Instagram tag people by display name without "@", so handle scrubbing alone
# misses them.
_NAME_RUN = re.compile(
    r"\b[A-ZÀ-ÖØ-Þ][\w'’-]*\.?(?:\s+(?:(?:van|v\.?|vd|de|der|den|ter|ten|te|het|von|da|el|al)\s+)*"
    r"[A-ZÀ-ÖØ-Þ][\w'’-]*\.?){1,3}")


def known_names(names: pd.Series) -> frozenset[str]:
    """Return the display names `scrub_known_names` looks for: those of two or more words.

    A name with a tail that is no name (an emoji, a hashtag, an emoji's invisible joiners left
    behind: "Attje Kuiken \u200d\u200d\ufe0f", "Rudmer Heerema #blijftthuis") is looked for by
    its leading run of capitalised words too, as exports that put "Name (@handle): " before each
    text write it there (nl_political_tweets: 19 of its 158
    multi-word names have such a tail; their own texts kept the name before).
    """
    names = names.astype(str)
    names = names[names.str.contains(r"\S\s+\S", regex=True).to_numpy(dtype=bool)]  # two words or more
    out = set()
    for name in names.str.strip().str.replace(r"\s+", " ", regex=True).unique():
        if " " not in name or len(name) < 5 or name.startswith("@"):
            continue
        out.add(name)
        core = _NAME_RUN.match(name)
        if core and core.group(0) != name and " " in core.group(0) and len(core.group(0)) >= 5:
            out.add(core.group(0))
    return frozenset(out)


def scrub_known_names(texts: pd.Series, names: pd.Series, known: frozenset[str] | None = None) -> pd.Series:
    """Replace mentions of authors' display names from the same batch by `[gebruiker]`.

    Only names of two or more words are used (single words like "Anna" are too
    ambiguous); a tagged person who posted nothing in the batch is not found.
    `known` (`known_names` of the whole batch) replaces the names of `names` when a
    batch is prepared in chunks.
    """
    known = known_names(names) if known is None else known
    if not known:
        return texts

    def one(text: str) -> str:
        if not isinstance(text, str) or not _NAME_RUN.search(text):
            return text
        out, pos = [], 0
        for m in _NAME_RUN.finditer(text):
            words = m.group(0).split()
            # the longest known name inside the run of capitalised words
            best = None
            for i in range(len(words)):
                for j in range(len(words), i + 1, -1):
                    cand = " ".join(words[i:j])
                    if cand in known or cand.rstrip(".") in known:
                        best = (i, j)
                        break
                if best:
                    break
            if best is None:
                continue
            before = " ".join(words[:best[0]])
            after = " ".join(words[best[1]:])
            replacement = " ".join(p for p in (before, USER, after) if p)
            out.append(text[pos:m.start()])
            out.append(replacement)
            pos = m.end()
        return "".join(out) + text[pos:] if out else text

    uniques = pd.unique(texts.to_numpy(dtype=object))
    mapping = {t: one(t) for t in uniques}
    return texts.map(mapping)


_PLAIN_ID_RE = re.compile(r"[\w.:-]{1,100}")
_PLAIN_ASCII_ID = r"[A-Za-z0-9_.:-]{1,100}"  # the ASCII ids `_safe_id` keeps as they are
_ID_TAIL_RE = re.compile(r"\d{6,}")


def _safe_id(value: str) -> str:
    value = value.strip()
    if _PLAIN_ID_RE.fullmatch(value) and "@" not in value and "://" not in value:
        return value
    tails = _ID_TAIL_RE.findall(value.split("?", 1)[0])
    if tails:
        return tails[-1]  # the post number of a permalink (x.com/<name>/status/<number>)
    return "h_" + hashlib.sha256(value.encode("utf-8")).hexdigest()[:16]


def safe_source_ids(values: pd.Series) -> pd.Series:
    """Return source ids that cannot name an author.

    A plain id (digits, letters, "_", "-", ".", ":") is kept. A permalink or anything
    else with "/", "@" or spaces (`https://x.com/janjansen/status/123`) becomes its
    last run of six or more digits (the post number), else "h_" + 16 hex of its SHA-256.
    """
    if is_str(values) and len(values):
        # most ids are plain ASCII (`_safe_id` keeps them): one C-level regex pass finds those
        plain = values.str.fullmatch(_PLAIN_ASCII_ID).fillna(False).to_numpy(dtype=bool)
        if plain.all():
            return pd.Series(values, index=values.index, dtype="str", name=values.name, copy=True)
        out = values.to_numpy(dtype=object, na_value="")
        out[~plain] = map_unique(strings(values[~plain]), _safe_id)
        return pd.Series(out, index=values.index, dtype="str", name=values.name)
    return pd.Series(map_unique(strings(values), _safe_id), index=values.index, dtype="str",
                     name=values.name)


def _column(raw: pd.DataFrame, name: str, default: object) -> pd.Series:
    if name in raw.columns:
        return raw[name]
    return pd.Series(default, index=raw.index)


def prepare_messages(raw: pd.DataFrame, key: bytes, officials: pd.DataFrame | None, *,
                     known: frozenset[str] | None = None,
                     cache: dict[str, str] | None = None) -> pd.DataFrame:
    """Return the stored schema: scrubbed TEXT, pseudonymous AUTHOR (officials by name), URL_DOMAIN.

    A batch prepared in chunks passes `known` (`known_names` of the public authors of the
    WHOLE batch, so a name is scrubbed whichever chunk its author posted in) and one
    pseudonym `cache` for this key.
    """
    text = _column(raw, S.TEXT, "")
    author = _column(raw, RAW_AUTHOR, "")
    platform = normalise_platforms(_column(raw, S.PLATFORM, UNKNOWN_PLATFORM))
    accounts = normalise_accounts(author)
    names, kinds = _match_officials(platform, accounts, officials)
    is_official = kinds != ""
    pseudonyms = pseudonymise(author, key, cache, normalised=accounts)
    # organisations on the official list are not people: their names stay readable
    scrubbed, link_domains = scrub_text_and_domains(scrub_known_names(text, author[~is_official], known))
    return pd.DataFrame({
        S.PLATFORM: platform,
        S.SOURCE_ID: safe_source_ids(_column(raw, S.SOURCE_ID, "")),
        S.CREATED_AT: pd.to_datetime(_column(raw, S.CREATED_AT, pd.NaT), utc=True),
        S.TEXT: scrubbed,
        S.AUTHOR: pseudonyms.where(~is_official, names).str.slice(0, 100),
        S.IS_OFFICIAL: is_official.astype(bool),
        S.OFFICIAL_KIND: kinds,
        S.URL_DOMAIN: url_domain(_column(raw, RAW_URL, ""), text, link_domains),
        S.IS_REPLY: _column(raw, S.IS_REPLY, False).fillna(False).astype(bool),
        S.IS_REPOST: _column(raw, S.IS_REPOST, False).fillna(False).astype(bool),
        S.TIME_FLAG: _column(raw, S.TIME_FLAG, "").fillna("").astype(str),
    }, index=raw.index, columns=list(S.MESSAGE_COLUMNS))

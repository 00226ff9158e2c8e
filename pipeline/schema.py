"""The data contract: column names, category codes and their I-S-B blocks.

Every stage of the pipeline reads and writes DataFrames whose columns are named
by the constants below; pages and tests use the constants, never string
literals. `docs/DATA.md` documents the same contract for people.

Data flow (each stage only *adds* columns, never drops rows):

    ingest    -> PLATFORM, SOURCE_ID, CREATED_AT, TEXT, AUTHOR, IS_OFFICIAL,
                 URL_DOMAIN, IS_REPLY, IS_REPOST, TIME_FLAG
    normalize -> CLEAN_TEXT, TERMS
    language  -> LANGUAGE
    relevance -> RELEVANCE, RELEVANT
    classify  -> CATEGORIES, ISB, SENTIMENT
    themes    -> THEME, THEME_LABEL
"""

from __future__ import annotations

from dataclasses import dataclass

# Local time of every view, report and naive input time (stored times are UTC). The one definition.
TIME_ZONE = "Europe/Amsterdam"

# --- the canonical message record (stored) -------------------------------
MESSAGE_ID = "message_id"  # database row id (int); absent before storage
INCIDENT_ID = "incident_id"
PLATFORM = "platform"  # lower-case source/platform name: twitter, facebook, ...
SOURCE_ID = "source_id"  # the message id given by the source (str)
CREATED_AT = "created_at"  # timezone-aware, UTC
TEXT = "text"  # privacy-scrubbed text ([gebruiker], [e-mail], [telefoon], [link])
AUTHOR = "author"  # keyed pseudonym (HMAC); official accounts keep their name
IS_OFFICIAL = "is_official"  # bool: posted by a configured official account
OFFICIAL_KIND = "official_kind"  # "" | "authority" (own organisation) | "media"
URL_DOMAIN = "url_domain"  # domain of the message URL or first link, or ""
IS_REPLY = "is_reply"  # bool
IS_REPOST = "is_repost"  # bool (retweet, share)
TIME_FLAG = "time_flag"  # "" or "dst_gap" / "dst_ambiguous" / "no_timezone"
INGESTED_AT = "ingested_at"  # when the message reached the store (UTC)

MESSAGE_COLUMNS = (
    PLATFORM,
    SOURCE_ID,
    CREATED_AT,
    TEXT,
    AUTHOR,
    IS_OFFICIAL,
    OFFICIAL_KIND,
    URL_DOMAIN,
    IS_REPLY,
    IS_REPOST,
    TIME_FLAG,
)

# --- analysis columns (computed, added by pipeline stages) ----------------
CLEAN_TEXT = "clean_text"  # lower-cased analysis text, placeholders kept
TERMS = "terms"  # tuple[str, ...] content terms (stopwords removed)
LANGUAGE = "language"  # ISO 639-1 code or "und"
RELEVANCE = "relevance"  # float 0..1
RELEVANT = "relevant"  # bool
RELEVANCE_KNOWN = "relevance_known"  # bool: False without incident keywords/description ("onbekend")
CATEGORIES = "categories"  # tuple[str, ...] of category codes (multi-label)
ISB = "isb"  # main I-S-B block of the message (see ISB_BLOCKS) or "overig"
SENTIMENT = "sentiment"  # float -1..1
THEME = "theme"  # int theme id; -1 = no theme (not relevant / unassigned)
THEME_LABEL = "theme_label"  # readable label, "" when THEME == -1

UNDETERMINED_LANGUAGE = "und"
# The ONE table of language names, per interface language (labels, bullets, tables, the sidebar).
LANGUAGE_NAMES = {
    "nl": {"en": "Engels", "de": "Duits", "fr": "Frans", "ar": "Arabisch", "tr": "Turks",
           "pl": "Pools", "es": "Spaans", "it": "Italiaans", "pt": "Portugees", "uk": "Oekraïens",
           "ru": "Russisch", "bg": "Bulgaars", "ro": "Roemeens", "nl": "Nederlands"},
    "en": {"en": "English", "de": "German", "fr": "French", "ar": "Arabic", "tr": "Turkish",
           "pl": "Polish", "es": "Spanish", "it": "Italian", "pt": "Portuguese",
           "uk": "Ukrainian", "ru": "Russian", "bg": "Bulgarian", "ro": "Romanian",
           "nl": "Dutch"},
}  # fmt: skip


def english_language_name(dutch: str) -> str:
    """Return the English name of a language named in Dutch ("Engels" -> "English"); else `dutch`.

    Stored theme labels and question subjects name their language in Dutch ("(Engels)").
    """
    code = next((c for c, name in LANGUAGE_NAMES["nl"].items() if name == dutch), None)
    return LANGUAGE_NAMES["en"][code] if code else dutch
NO_THEME = -1

# --- communication moments (the authority's own messages) ----------------
MOMENT_ID = "moment_id"
MOMENT_TIME = "time"
MOMENT_CHANNEL = "channel"
MOMENT_TEXT = "text"
MOMENT_ORIGIN = "origin"  # "official_account" | "manual"

CHANNELS = ("tweet", "website", "nl-alert", "persconferentie", "radio", "overig")


# --- categories ------------------------------------------------------------
@dataclass(frozen=True)
class Category:
    """One message category with its I-S-B block and labels."""

    code: str
    block: str
    label_nl: str
    label_en: str
    description_nl: str


INFORMATIEBEHOEFTE = "informatiebehoefte"
SCHADEBEPERKING = "schadebeperking"
BETEKENISGEVING = "betekenisgeving"
GERUCHTEN = "geruchten"
OVERIG = "overig"

ISB_BLOCKS = (INFORMATIEBEHOEFTE, SCHADEBEPERKING, BETEKENISGEVING, GERUCHTEN, OVERIG)
ISB_LABELS = {
    "nl": {
        INFORMATIEBEHOEFTE: "Informatiebehoefte",
        SCHADEBEPERKING: "Schadebeperking",
        BETEKENISGEVING: "Betekenisgeving",
        GERUCHTEN: "Geruchten",
        OVERIG: "Overig",
    },
    "en": {
        INFORMATIEBEHOEFTE: "Information needs",
        SCHADEBEPERKING: "Damage control",
        BETEKENISGEVING: "Sense-making",
        GERUCHTEN: "Rumours",
        OVERIG: "Other",
    },
}

CATEGORY_LIST = (
    Category("vraag", INFORMATIEBEHOEFTE, "Vraag", "Question",
             "Een echte, informatiezoekende vraag (niet retorisch)."),
    Category("waarneming", INFORMATIEBEHOEFTE, "Waarneming", "Eyewitness",
             "Ooggetuige: wat iemand ziet, hoort of ruikt."),
    Category("handelen", SCHADEBEPERKING, "Handelen", "What to do",
             "Over wat te doen: blijven/weggaan, ramen en deuren, water, school, huisdieren, evacuatie."),
    Category("gezondheid", SCHADEBEPERKING, "Gezondheid", "Health",
             "Klachten en symptomen: stank, misselijk, hoofdpijn, benauwd, prikkende ogen."),
    Category("hulp", SCHADEBEPERKING, "Hulp", "Help",
             "Hulp aangeboden of gevraagd, opvang."),
    Category("emotie", BETEKENISGEVING, "Emotie", "Emotion",
             "Angst, boosheid, verdriet."),
    Category("kritiek", BETEKENISGEVING, "Kritiek", "Criticism",
             "Klachten en kritiek op overheid, bedrijf of informatievoorziening."),
    Category("medeleven", BETEKENISGEVING, "Medeleven", "Sympathy",
             "Medeleven, steun, dank aan hulpverleners."),
    Category("gerucht", GERUCHTEN, "Gerucht", "Rumour",
             "Onbevestigde bewering: 'ik hoor dat', 'er zou', 'schijnt'."),
    Category("officieel", OVERIG, "Officieel", "Official",
             "Bericht van overheid of nieuwsbron."),
    Category("ruis", OVERIG, "Ruis", "Noise",
             "Niet over het incident."),
)
CATEGORIES_BY_CODE = {c.code: c for c in CATEGORY_LIST}
CATEGORY_CODES = tuple(c.code for c in CATEGORY_LIST)

# The block a message is reported under when it has several categories:
# the first block in this order that one of its categories belongs to.
ISB_PRIORITY = (GERUCHTEN, SCHADEBEPERKING, INFORMATIEBEHOEFTE, BETEKENISGEVING, OVERIG)


def category_label(code: str, lang: str = "nl") -> str:
    """Return the display label of a category code in `lang` ("nl"/"en")."""
    cat = CATEGORIES_BY_CODE[code]
    return cat.label_en if lang == "en" else cat.label_nl


def isb_of(codes: tuple[str, ...] | list[str]) -> str:
    """Return the reporting I-S-B block for a message's category codes."""
    blocks = {CATEGORIES_BY_CODE[c].block for c in codes if c in CATEGORIES_BY_CODE}
    for block in ISB_PRIORITY:
        if block in blocks:
            return block
    return OVERIG

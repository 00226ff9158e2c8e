"""A corpus of personal data in social-media text, for the scrubber (tests/test_scrubber.py).

Each case is (kind, text, secret): after scrubbing, `secret` (compared without case,
spaces and separators for phones) must no longer occur in the text. Kinds: email,
phone, handle, url, ip, obfuscated. The twelve forms that leaked in issue 11 are in it.
"""

from __future__ import annotations

EMAIL = [
    "mail jan.jansen@gmail.com voor info",
    "jan_jansen+brand@outlook.nl weet meer",
    "Stuur naar j.de.vries@gemeente-moerdijk.nl aub",
    "contact: pieter@xs4all.nl!",
    "(info@example.be)",
    "Mijn mail is jan.jansen@gmail",  # no top-level domain (issue 11)
    "anna.k@web.de schreef het",
    "klaas1987@hotmail.com.",
    "<marie@proton.me>",
    "Vragen? vragen@veiligheidsregio-zuid.nl",
    "mailto:henk@ziggo.nl",
    "e-mail: SANNE.DEKKER@KPNMAIL.NL",
    "jan.jansen@gmail.co.uk en meer",
    "fleur@uni-utrecht.nl, graag",
]
EMAIL_SECRETS = ["jan.jansen", "jan_jansen", "j.de.vries", "pieter", "info@", "jan.jansen", "anna.k",
                 "klaas1987", "marie", "vragen@", "henk", "sanne.dekker", "jan.jansen", "fleur"]

OBFUSCATED = [
    ("jan(at)example.com mailen", "jan"),  # issue 11
    ("jan [at] example [dot] com", "jan"),
    ("piet (at) brandweer (punt) nl", "piet"),
    ("kees{at}ziggo.nl", "kees"),
    ("sanne at gmail dot com", "sanne"),
    ("marco[at]hotmail.com", "marco"),
    ("RT@janjansen: brand!", "janjansen"),  # issue 11
    ("@\u200bjanjansen zag het", "janjansen"),  # zero-width after @ (issue 11)
    ("\uff20janjansen zag het", "janjansen"),  # fullwidth at-sign (issue 11)
    ("@jan\u200bjansen zag het", "jansen"),
    ("via@pietpost: rook", "pietpost"),
    ("\ufe6bfleurtje_ zegt", "fleurtje_"),
    ("j\u200ban@example.com", "example.com"),
]

PHONE = [
    "bel 06-12345678", "bel 06 12 34 56 78", "bel 06.12.34.56.78", "bel 06/12345678",  # NL mobile
    "bel 0612345678", "bel +31 6 12345678", "bel +31(0)6 12345678", "bel 0031 6 12345678",
    "tel 020-1234567", "tel 010 123 45 67", "tel (010) 123 4567", "tel 0900-1234567",
    "tel 0800 1234", "tel +31 20 123 4567", "bel 06 - 12 34 56 78",
    "BE: bel 0470 12 34 56", "BE: +32 470 12 34 56", "BE: 02 123 45 67", "BE: 0032 2 123 45 67",
    "BE: 09/123.45.67", "BE: +32 9 123 45 67",
    "DE: +49 30 1234567", "DE: 030 1234567", "DE: 030/1234567", "DE: 0171 1234567",
    "DE: +49 171 1234567", "DE: 0049 171 1234567", "DE: 089-12345678",
    "bel 06 1234 5678", "bel +31 6-1234 5678", "bel +316 12345678", "tel: 0031-20-1234567",
]

HANDLE = [
    ("@janjansen zag rook", "janjansen"),  # X
    ("dank @brandweer_nl en @Piet_01!", "piet_01"),
    ("RT @jan_01: brand", "jan_01"),
    ("insta: @fleur.fotografie", "fleur.fotografie"),  # Instagram (dots)
    ("tiktok @sanne.dances_", "sanne.dances_"),  # TikTok
    ("u/janjansen op reddit", "janjansen"),  # Reddit (issue 11)
    ("/u/Throwaway_123 zegt", "throwaway_123"),
    ("@anna@mastodon.social zegt", "anna@mastodon"),  # Mastodon
    ("@kees@social.vivaldi.net ook", "kees@social"),
    ("@marieke.bsky.social op Bluesky", "marieke"),  # Bluesky
    ("@jan.bsky.social: rook", "jan.bsky"),
    ("cc @Henk1965", "henk1965"),
    ("(@klaas_v)", "klaas_v"),
    ("zie @Sophie_D.", "sophie_d"),
    ("@ab", "@ab"),
    ("@jan_jansen_1985 zag het", "jan_jansen_1985"),
    ("Threads: @lotte.jpg", "lotte.jpg"),
    ("@ÉmileDupont merci", "émiledupont"),
]

URL = [
    ("zie https://x.com/janjansen/status/123", "janjansen"),
    ("http://omroep.nl/artikel?id=5", "omroep.nl/artikel"),
    ("www.omroep-example.nl/nieuws", "omroep-example"),
    ("zie omroep.nl/abc-123", "abc-123"),
    ("evil.tech/pad", "evil.tech"),  # issue 11
    ("ftp://files.example.com/a.zip", "files.example"),  # issue 11
    ("//host.example.com/pixel.png", "host.example"),  # issue 11
    ("bit.ly/3xYzAb", "3xyzab"),
    ("t.co/AbC123", "abc123"),
    ("youtu.be/dQw4w9WgXcQ", "dqw4w9wgxcq"),
    ("facebook.com/jan.jansen.75", "jan.jansen"),
    ("instagram.com/fleur.fotografie/", "fleur.fotografie"),
    ("tiktok.com/@sanne.dances", "sanne.dances"),
    ("https://bsky.app/profile/marieke.bsky.social", "marieke"),
    ("HTTPS://EXAMPLE.ORG/X", "example.org"),
    ("sftp://backup.example.net/dump", "backup.example"),
    ("reddit.com/user/janjansen", "janjansen"),
    ("linkedin.com/in/janjansen", "janjansen"),
    ("https://mastodon.social/@anna", "anna"),
    ("zie www.janjansen.nl", "janjansen"),
]

IP = [
    ("192.168.1.10/admin", "192.168.1.10"),  # issue 11
    ("server op 10.0.0.1", "10.0.0.1"),
    ("http://172.16.0.5:8080/cam", "172.16.0.5"),
    ("83.162.1.200:443", "83.162.1.200"),
    ("ip 8.8.8.8", "8.8.8.8"),
]


def cases() -> list[tuple[str, str, str]]:
    """Return every (kind, text, secret)."""
    out = [("email", t, s) for t, s in zip(EMAIL, EMAIL_SECRETS, strict=True)]
    out += [("obfuscated", t, s) for t, s in OBFUSCATED]
    out += [("phone", t, "".join(ch for ch in t.split(maxsplit=1)[1] if ch.isdigit())[-7:]) for t in PHONE]
    out += [("handle", t, s) for t, s in HANDLE]
    out += [("url", t, s) for t, s in URL]
    out += [("ip", t, s) for t, s in IP]
    return out


def leaked(kind: str, scrubbed: str, secret: str) -> bool:
    """True when the secret survived scrubbing."""
    if kind == "phone":
        return secret in "".join(ch for ch in scrubbed if ch.isdigit())
    return secret.casefold() in scrubbed.casefold()

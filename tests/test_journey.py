"""Journeys in a real browser: what people click, in `streamlit run` + headless Debian chromium.

One long test per journey (a server start costs ~10 s; the analysis of an incident more):
- `test_local_account_journey`: beheerder creates an incident on Beheer → analist imports a CSV on
  Importeren → every analyst page keeps incident, window and picture time → the time slider →
  CoPI at 1920×1080 and 1600×900 → report generated and downloaded (tagged PDF) → sign out; a
  CoPI account gets a Dutch refusal on refused pages.
- `test_demo_journey`: the no-login demo, the README's own links, every page in both languages.

Every step asserts on visible text, scans the page for English fragments and raw column names,
runs axe-core (WCAG 2.1 A/AA) and saves a screenshot (to $LP_SCREENSHOTS when set, e.g.
`LP_SCREENSHOTS=docs/screenshots`). Which issue-10 point each assertion guards is noted inline
as [P1]..[P9].
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.browser import (
    RECORD_CANVAS_PLACES,
    axe_violations,
    chromium,
    cut_cells,
    hidden_rows_px,
    needs_chromium,
    streamlit_server,
    unseen_headers,
)

pytestmark = [pytest.mark.browser, needs_chromium]

REPO = Path(__file__).resolve().parents[1]
PASSWORD = "correct-horse-battery"
INCIDENT = "Gaslek Oost"

# Visible texts that must never show in the Dutch interface [P6].
ENGLISH = ["Choose options", "Choose an option", "Page not found", "Skip to main content",
           "Drag and drop", "per file", "Browse files", "No results", "Running...",
           "(zie data/", "+00:00", "Press Enter"]
RAW_COLUMNS = ["created_at", "is_reply", "is_repost", "time_flag", "legal_basis", "responsible_officer",
               "retention_days", "n_messages", "purged_at", "prev_hash", "display_name"]
DECIMAL_POINT = re.compile(r"(?<![\d.])\d+\.\d{1,2}(?![\d])")  # 0.09, 2.20 (not 4.123 thousands)
INF = re.compile(r"\binf\b", re.IGNORECASE)
TWELVE_HOUR = re.compile(r"\b\d{1,2}(:\d\d)?\s?(AM|PM)\b")

ANALYST_PAGES = ["Nu", "Thema's", "Trends", "Open vragen", "Effect van onze communicatie",
                 "Representativiteit", "Overzicht", "CoPI-projectie", "Scanrapport", "Nabespreking",
                 "Labelen", "Importeren"]


class Journey:
    """A browser page with the helpers every step uses; collects axe violations and shots."""

    def __init__(self, page, shots: Path, prefix: str):
        self.page, self.shots, self.prefix = page, shots, prefix
        self.violations: dict[str, list] = {}
        self.leaks: dict[str, list] = {}

    def idle(self, timeout: int = 180_000) -> None:
        """Wait until Streamlit finished running and the main text stopped changing."""
        page = self.page
        page.wait_for_timeout(400)
        for _ in range(2):  # idle twice in a row: a page can start a second run (st.rerun)
            page.wait_for_function(
                "() => document.querySelector('[data-testid=\"stMain\"] h1')"
                " && !document.querySelector('[data-testid=\"stStatusWidget\"]')"
                " && !document.querySelector('[data-testid=\"stSkeleton\"]')", timeout=timeout)
            page.wait_for_timeout(500)
        last = None
        for _ in range(40):
            text = page.inner_text("section.main, [data-testid='stMain']")
            if text == last:
                break
            last = text
            page.wait_for_timeout(500)
        page.wait_for_timeout(300)

    def body(self) -> str:
        return self.page.inner_text("body")

    def see(self, text: str, timeout: int = 180_000) -> None:
        self.page.get_by_text(text, exact=False).first.wait_for(timeout=timeout)

    def check(self, name: str, *, dutch: bool = True, axe: bool = True) -> str:
        """Screenshot, no exception, Dutch only, axe; return the visible text."""
        page = self.page
        self.idle()
        body = self.body()
        page.screenshot(path=str(self.shots / f"{self.prefix}{name}.png"), full_page=True)
        assert page.locator('[data-testid="stException"]').count() == 0, (name, body[:1500])
        assert "Traceback" not in body and "ProgrammingError" not in body, name
        assert page.evaluate("document.documentElement.lang") == ("nl" if dutch else "en"), name  # [P9]
        title = page.title()
        assert title.endswith("Luisterpost") and title != "Luisterpost", (name, title)  # [P9]
        if dutch:
            leaks = [f for f in ENGLISH if f in body] + [c for c in RAW_COLUMNS if c in body]
            leaks += DECIMAL_POINT.findall(body) + INF.findall(body)
            leaks += [m.group(0) for m in TWELVE_HOUR.finditer(body)]
            svg_text = " ".join([t or "" for t in page.locator("svg text").all_text_contents()])
            leaks += [m.group(0) for m in TWELVE_HOUR.finditer(svg_text)]  # chart axes [P5]
            if leaks:
                self.leaks[name] = leaks
        if axe:
            found = axe_violations(page)
            if found:
                self.violations[name] = found
        (self.shots / "findings.json").write_text(
            json.dumps({"leaks": self.leaks, "axe": self.violations}, indent=1, ensure_ascii=False))
        return body

    def nav(self, label: str) -> None:
        """Click a sidebar link (client-side: keeps the session)."""
        self.page.locator('[data-testid="stSidebar"] a', has_text=label).first.click()
        self.page.wait_for_timeout(600)
        self.idle()

    def sign_in(self, user: str) -> None:
        page = self.page
        self.see("Inloggen bij Luisterpost")
        page.get_by_label("Gebruikersnaam").fill(user)
        page.get_by_label("Wachtwoord").fill(PASSWORD)
        page.get_by_role("button", name="Inloggen").click()
        page.get_by_text("Ingelogd als", exact=False).first.wait_for(timeout=180_000)
        self.idle()

    def sign_out(self) -> None:
        self.page.locator('[data-testid="stSidebar"]').get_by_role("button", name="Uitloggen").click()
        self.see("Inloggen bij Luisterpost")

    def header_caption(self) -> str:
        """The page's header line: "<incident> · Stand dd-mm HH:MM · HH:MM–HH:MM"."""
        return self.page.locator('[data-testid="stCaptionContainer"]', has_text="Stand").first.inner_text()

    def choose_incident(self, name: str) -> None:
        page = self.page
        box = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first
        try:  # already the chosen (or the only) incident
            page.locator('[data-testid="stCaptionContainer"]', has_text=f"{name} · Stand").first.wait_for(
                timeout=20_000)
            return
        except Exception:  # noqa: BLE001 - another incident is shown: choose it in the sidebar
            pass
        box.scroll_into_view_if_needed()
        box.click()
        option = page.locator("li[role=option]", has_text=name).first
        try:
            option.wait_for(timeout=5_000)
            option.click()
        except Exception:  # noqa: BLE001 - the list did not open (sidebar still moving): type and pick
            box.locator("input").fill(name)
            page.keyboard.press("Enter")
        self.idle()
        self.page.locator('[data-testid="stCaptionContainer"]', has_text=f"{name} · Stand").first.wait_for()

    def pick(self, key: str, option: str) -> None:
        """Choose `option` in the selectbox with widget key `key` (type it, Enter: the list is a combobox)."""
        field = self.page.locator(f".st-key-{key} input")
        field.click()
        field.fill(option)
        self.page.get_by_role("option", name=option, exact=True).first.wait_for(timeout=10_000)
        self.page.keyboard.press("Enter")
        self.idle()

    def sidebar_radio(self, label: str) -> None:
        self.page.locator('[data-testid="stSidebar"] label', has_text=label).first.click()
        self.idle()


def _shots(tmp_path: Path) -> Path:
    shots = Path(os.environ.get("LP_SCREENSHOTS", tmp_path / "shots"))
    shots.mkdir(parents=True, exist_ok=True)
    return shots


def _add_user(home: Path, name: str, role: str, *, as_user: str = "bea") -> None:
    # The CLI acts as the account named like the OS user: the first add (no account yet) creates
    # "bea", who then adds the others.
    env = {**os.environ, "LUISTERPOST_HOME": str(home), "LOGNAME": as_user}
    env.pop("LUISTERPOST_DB_URL", None)
    subprocess.run([sys.executable, "-m", "pipeline", "user", "add", name, "--role", role,
                    "--password-stdin"], input=PASSWORD + "\n", text=True, cwd=REPO, env=env, check=True,
                   capture_output=True)


def _upload_file(tmp_path: Path, rows: int = 1500) -> Path:
    """The first `rows` messages of the demo export: a realistic monitoring-tool CSV."""
    lines = (REPO / "data" / "demo_incident.csv").read_text(encoding="utf-8-sig").splitlines()
    path = tmp_path / "gaslek_export.csv"
    path.write_text("\n".join(lines[: rows + 1]) + "\n", encoding="utf-8")
    return path


def _caveat_messages(body: str) -> int:
    """The message count of the representativeness caveat ("… auteurs (1.234 berichten)")."""
    found = re.search(r"unieke auteurs \(([\d.]+) berichten\)", body)
    assert found, body[-2000:]
    return int(found.group(1).replace(".", ""))


def _assert_clean(j: Journey) -> None:
    assert not j.leaks, f"English/raw/decimal-point fragments [P6]: {j.leaks}"
    assert not j.violations, f"axe-core WCAG 2.1 A/AA violations [P9]: {j.violations}"


def test_local_account_journey(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    for name, role in (("bea", "beheerder"), ("ana", "analist"), ("cor", "copi")):
        _add_user(home, name, role)
    shots = _shots(tmp_path) / "lokaal"
    shots.mkdir(exist_ok=True)
    with streamlit_server(home) as url, chromium() as browser:
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True,
                                      locale="nl-NL", timezone_id="Europe/Amsterdam")
        page = context.new_page()
        j = Journey(page, shots, "")

        # -- the README link before sign-in: the page, not "Page not found" [P6/P8]
        page.goto(f"{url}/nu?stand=16:00", timeout=180_000)
        j.see("Inloggen bij Luisterpost")
        page.wait_for_timeout(2_000)  # Streamlit's "page not found" dialog came a moment after the form
        assert "Page not found" not in j.body() and "Pagina niet gevonden" not in j.body()
        assert page.locator('[role="dialog"]').count() == 0
        assert "/nu" in page.url and "stand=16" in page.url, page.url
        j.check("inloggen")

        # -- beheerder: a new incident on Beheer
        j.sign_in("bea")
        j.nav("Beheer")
        body = j.check("beheer")
        assert "Wettelijke grondslag" in body or "Grondslag" in body  # Dutch table headers [P6]
        page.get_by_label("Naam", exact=True).fill(INCIDENT)
        page.get_by_label("Doel van de monitoring").fill("Publieksvragen over het gaslek volgen")
        page.get_by_label("Verantwoordelijke functionaris").fill("OvD Bevolkingszorg")
        page.get_by_role("button", name="Incident openen").click()
        j.see("zoekwoorden of een omschrijving")  # relevance needs one of them (issue 9)
        page.get_by_label("Zoekwoorden (komma's)", exact=True).fill("gaslek, gas, stank")
        page.get_by_role("button", name="Incident openen").click()
        j.see("Incident geopend.")
        j.idle()
        j.sign_out()

        # -- analist: import into the new incident [P1, P7]
        j.sign_in("ana")
        j.nav("Importeren")
        j.choose_incident(INCIDENT)
        uploader = page.locator('[data-testid="stFileUploader"]').first.inner_text()
        assert "Bestand kiezen" in uploader and "per bestand" in uploader, uploader  # [P6]
        page.locator('input[type="file"]').set_input_files(str(_upload_file(tmp_path)))
        j.see("rijen herkend")
        body = j.check("importeren_voorbeeld")
        headers = page.locator('[data-testid="stDataFrame"]').first.text_content()  # grid: a hidden DOM table
        assert "Tekst (na privacy-filter)" in headers and "Tijdcontrole" in headers, headers  # [P6]
        assert "buiten de periode van dit incident" in body  # July file, December incident [P7]
        page.get_by_role("button", name="Importeren in dit incident").click()
        j.see("Bevestig eerst")
        page.get_by_text("Ja, toch in dit incident importeren").click()
        j.idle()
        page.get_by_role("button", name="Importeren in dit incident").click()
        j.see("rijen gelezen", timeout=240_000)  # [P1] no crash, the file is in
        body = j.check("importeren")
        shown = re.search(r"([\d.]+) rijen gelezen, ([\d.]+) nieuw toegevoegd", body).groups()
        read, added = (int(n.replace(".", "")) for n in shown)  # Dutch thousands dot: "1.234"
        assert read == added > 1000 and "." in shown[0], body[-800:]
        # the new data reruns the page (live refresh): the result stays, no second import is offered
        page.wait_for_timeout(8_000)
        j.idle()
        body = j.check("importeren_na_verversen")
        assert f"{shown[0]} rijen gelezen, {shown[1]} nieuw toegevoegd" in body, body[-800:]
        assert "Kies een ander bestand om meer te importeren" in body, body[-800:]
        assert page.get_by_role("button", name="Importeren in dit incident").count() == 0

        # -- window and incident follow the user over every page [P2]
        j.nav("Nu")
        j.sidebar_radio("Laatste uur")
        assert "venster=60" in page.url and "incident=" in page.url  # bookmarkable state
        for label in ANALYST_PAGES:
            j.nav(label)
            body = j.check(f"pagina_{label}")
            assert INCIDENT in body, label
            checked = page.locator('[data-testid="stSidebar"] input[type="radio"]:checked')
            assert checked.count() == 1, label
            assert "Laatste uur" in page.locator('[data-testid="stSidebar"] label:has(input:checked)')\
                .first.inner_text(), label

        # -- the picture time: chosen once, kept on every page, twice over [P3]
        j.nav("Overzicht")
        slider = page.locator('[data-testid="stSidebar"] [data-testid="stSlider"] input[type="range"]').first
        slider.focus()
        slider.press("Home")
        for _ in range(3):
            slider.press("ArrowRight")
        j.idle()
        j.see("U bekijkt het beeld van")
        banner = page.get_by_text("U bekijkt het beeld van", exact=False).first.inner_text()
        stand = re.search(r"\d\d-\d\d \d\d:\d\d", banner).group(0)
        assert "stand=" in page.url
        for _round in range(2):  # the slider used to drop back on every second click
            for label in ["Nu", "Trends", "Overzicht", "Representativiteit", "Nabespreking", "Scanrapport",
                          "Thema's"]:
                j.nav(label)
                body = j.body()
                assert f"U bekijkt het beeld van {stand}" in body, (label, body[:600])
                assert f"Stand {stand}" in body or stand[-5:] in body, label
                if label == "Nabespreking":  # its replay time T starts at the chosen picture time
                    replay = page.locator('[data-testid="stMain"] [data-testid="stSlider"]').first
                    replay = replay.inner_text()
                    assert stand[-5:] in replay, (stand, replay)
        j.check("tijdstip_gekozen")
        page.get_by_role("button", name="Terug naar nu").click()
        j.idle()
        assert "U bekijkt het beeld van" not in j.body()
        assert "stand=" not in page.url

        # -- CoPI readable at 5 m [P9]
        for width, height in ((1920, 1080), (1600, 900), (1400, 1000)):  # projection, laptops
            page.set_viewport_size({"width": width, "height": height})
            j.nav("CoPI-projectie")
            j.check(f"copi_{width}")
            size = page.evaluate(
                "() => Math.min(...[...document.querySelectorAll('.st-key-lp_caveat_large p')]"
                ".map(p => parseFloat(getComputedStyle(p).fontSize)))")
            assert size >= 20, f"CoPI caveat {size}px at {width}px wide"
            titles = page.evaluate(
                "() => [...document.querySelectorAll('[class*=\"st-key-lp_copi_block_\"] h3')]"
                ".map(e => [e.textContent, e.scrollWidth <= e.clientWidth + 1])")
            assert len(titles) == 4 and all(fits for _text, fits in titles), titles  # no cut block titles
            assert {text for text, _fits in titles} >= {"Informatiebehoefte", "Schadebeperking"}
            header = int(page.locator('[data-testid="stMetricValue"]').first.inner_text().replace(".", ""))
            caveat = page.locator(".st-key-lp_caveat_large").inner_text()
            assert f"({header:,} berichten)".replace(",", ".") in caveat, (header, caveat)  # [P4]
            drawn = [t.strip() for t in page.locator("svg text").all_text_contents()]
            assert "Samenhang in de tijd, geen bewijs van effect." in drawn, drawn  # never cut
        page.set_viewport_size({"width": 1400, "height": 1000})

        # -- the report: generated, downloaded, tagged PDF [P9]
        j.nav("Scanrapport")
        page.get_by_role("button", name="Maak scanrapport").click()
        j.see("gemaakt en bewaard")
        j.idle()
        j.check("scanrapport_gemaakt")
        with page.expect_download() as download:
            page.get_by_role("button", name="PDF").first.click()
        pdf = tmp_path / "rapport.pdf"
        download.value.save_as(pdf)
        assert pdf.read_bytes()[:5] == b"%PDF-"
        if shutil.which("pdfinfo"):
            info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
            assert re.search(r"Tagged:\s+yes", info), info

        # -- an analist on /beheer: a Dutch refusal, not "Page not found" [P8]
        j.sign_out()
        page.goto(f"{url}/beheer", timeout=180_000)
        j.sign_in("ana")
        body = j.check("beheer_geweigerd")
        assert "geen toegang" in body and "Page not found" not in body

        # -- the CoPI role: its pages, and a Dutch refusal elsewhere [P8]
        j.sign_out()
        j.sign_in("cor")
        j.nav("Nu")
        j.choose_incident(INCIDENT)
        for label in ["Nu", "Trends", "CoPI-projectie", "Scanrapport"]:
            j.nav(label)
            assert INCIDENT in j.check(f"copi_rol_{label}")
        page.goto(f"{url}/labelen", timeout=180_000)
        j.sign_in("cor")
        body = j.check("copi_rol_labelen_geweigerd")
        assert "geen toegang" in body and "Page not found" not in body

        # -- the beheerder deactivates cor in another browser: cor's open session ends at the next click
        j.nav("Nu")
        admin_context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nl-NL",
                                            timezone_id="Europe/Amsterdam")
        admin = Journey(admin_context.new_page(), shots, "beheerder_")
        admin.page.goto(f"{url}/beheer", timeout=180_000)
        admin.sign_in("bea")
        admin.page.locator(".st-key-beheer_section").get_by_text("Gebruikers", exact=True).click()
        admin.idle()
        go = admin.page.locator(".st-key-beheer_deactivate_go button")
        assert go.is_disabled()  # nobody preselected, nothing confirmed: no one-click deactivation
        admin.pick("beheer_deactivate_name", "cor")
        admin.page.locator(".st-key-beheer_deactivate_sure label").click()
        admin.idle()
        go.click()
        admin.see("Gebruiker gedeactiveerd")
        admin.check("gebruiker_gedeactiveerd")
        page.locator('[data-testid="stSidebar"] a', has_text="Trends").first.click()
        j.see("Inloggen bij Luisterpost")
        body = j.check("gedeactiveerd_uitgelogd")
        assert "Ingelogd als" not in body and "Trends" not in page.locator("h1").first.inner_text()
        admin.pick("beheer_reactivate_name", "cor")
        admin.page.locator(".st-key-beheer_reactivate_go button").click()
        admin.see("Gebruiker weer actief")
        admin_context.close()
        _assert_clean(admin)

        # -- a resident opens the public page by its link: Dutch, no Streamlit "Page not found"
        # (not `check`; its Dutch formats, expanders open, are checked in test_page_openbaar.py)
        page.goto(f"{url}/openbaar", timeout=180_000)
        j.idle()
        body = j.body()
        page.screenshot(path=str(j.shots / f"{j.prefix}openbaar_link.png"), full_page=True)
        assert "Sociale media bij incidenten" in body and "Page not found" not in body
        assert page.evaluate("document.documentElement.lang") == "nl"  # [P9]
        assert page.title() == "Openbaar — Luisterpost"
        context.close()
    _assert_clean(j)


PAGE_FILES = {"Nu": "nu", "Thema's": "themas", "Trends": "trends", "Open vragen": "open_vragen",
              "Effect van onze communicatie": "effect", "Representativiteit": "representativiteit",
              "Overzicht": "overzicht", "CoPI-projectie": "copi", "Scanrapport": "rapport",
              "Nabespreking": "nabespreking"}  # the demo is read-only: no Labelen, no Importeren


def test_demo_journey(tmp_path):
    """The no-login demo: the README's own link, every page in Dutch, English, a hint for real work."""
    home = tmp_path / "home"
    home.mkdir()
    shots = _shots(tmp_path)
    with streamlit_server(home) as url, chromium() as browser:
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nl-NL",
                                      timezone_id="Europe/Amsterdam")
        context.add_init_script(RECORD_CANVAS_PLACES)
        page = context.new_page()
        j = Journey(page, shots, "")
        page.goto(f"{url}/nu?stand=16:00", timeout=180_000)  # the README's link [P3, P6]
        j.idle()
        body = j.body()
        assert "Page not found" not in body and "Pagina niet gevonden" not in body
        assert "U bekijkt het beeld van 11-07 16:00" in body  # the chosen time, visible [P3]
        assert "python -m pipeline user add" in body  # how to start real work [P7]
        # a theme or question subject in another language is drawn whole, its language included
        # (before: "someone at the campsite said there's asbestos in the smoke" cut at the column
        # edge, "(Engels)" unseen; subjects cut at 200 px: "My son has asthma and he's strugg")
        whole = {"Thema's": "Berichten", "Open vragen": "Vragen"}
        # before: side by side, Nabespreking hid authors, trend and factor; Effect's accuracy
        # sentence pushed the 95 % interval out of sight; Open vragen's hour before was cut
        in_sight = {"Nabespreking": ["Berichten", "Unieke auteurs", "Trend", "Laatste 30 min", "Uur ervoor",
                                     "Factor"],
                    "Effect van onze communicatie": ["Vóór", "Ná", "Verhouding", "95%-interval"],
                    # and the answered groups in their own table, when and what came after in sight
                    # (before: one table of twelve columns, its status off to the right)
                    "Open vragen": ["Vragen", "Auteurs", "Laatste uur", "Uur ervoor", "Verloop", "Status",
                                    "Vragen sinds antwoord"]}
        for label, slug in PAGE_FILES.items():
            page.evaluate("() => { window.__lpPlaced = []; }")
            j.nav(label)
            body = j.check(slug)
            assert "Brand Industrieterrein" in body, label
            assert "U bekijkt het beeld van 11-07 16:00" in body, label  # kept on every page [P3]
            if label in whole:
                page.locator('[data-testid="stDataFrame"]').first.scroll_into_view_if_needed()
                page.wait_for_timeout(500)
                cells, cut = cut_cells(page, "(Engels)", whole[label])
                assert cells and not cut, (label, cells, cut)
            if label in in_sight:  # the columns a reader needs, without scrolling sideways at 1400 px
                for frame in page.locator('[data-testid="stDataFrame"]').all()[:2]:
                    frame.scroll_into_view_if_needed()
                    page.wait_for_timeout(500)
                assert unseen_headers(page, in_sight[label]) == [], label
            # every row in sight: Nabespreking's twelve I-S-B rows (the rumours were the ones cut
            # off), Effect's eleven categories and twelve taken-over words
            if label in ("Nabespreking", "Effect van onze communicatie"):
                assert hidden_rows_px(page)[:2] == [0, 0], (label, hidden_rows_px(page))
            if label == "Open vragen":  # subjects as people asked them, drawn whole
                # (before: "Hoofdpijn hebt van de rook?", "Vragen over camping?")
                for subject in ("Moet je naar de huisarts als je hoofdpijn hebt van de rook?",
                                "Vragen over de camping?"):
                    cells, cut = cut_cells(page, subject, "Vragen")
                    assert cells and not cut, (subject, cells, cut)
            # the languages other than Dutch, also when none of their themes makes a block's top
            # three (before: CoPI named no language at 16:00, while 78 authors wrote in English)
            if label == "CoPI-projectie":
                drawn = " ".join(t.strip() for t in page.locator("svg text").all_text_contents())
                # (drawn on two lines at 1400 px: the second starts with "Duits")
                line = r"Andere talen: Engels \d+ auteurs .(?: · )?\s*Duits \d+ auteurs"
                assert re.search(line, drawn), drawn
            if label == "Nabespreking":
                assert re.search(r"Andere talen: Engels \d+ auteurs . · Duits \d+ auteurs", body), body
            if label == "Thema's":  # the chosen theme's examples (computed for that theme alone)
                assert "Voorbeeldberichten" in body and "Het meest kenmerkende bericht" in body, body[-1500:]
                assert page.locator('[data-testid="stText"]').count() >= 1
        # a work page by URL: a Dutch refusal in the read-only demo, not "Page not found" [P8]
        page.goto(f"{url}/importeren", timeout=180_000)
        body = j.check("importeren_demo_geweigerd")
        assert "geen toegang" in body and "Page not found" not in body
        assert page.locator('input[type="file"]').count() == 0
        page.goto(f"{url}/nu?stand=16:00", timeout=180_000)
        j.idle()
        # back to now, then English: lang="en" and English texts [P9]
        page.get_by_role("button", name="Terug naar nu").click()
        j.idle()
        # one platform chosen in the sidebar: the pages narrow to it (with pandas 3 this crashed
        # every page: "output array is read-only")
        before = _caveat_messages(j.body())
        box = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first
        box.scroll_into_view_if_needed()
        box.locator("input").click()
        page.get_by_role("option").first.wait_for(timeout=20_000)
        options = page.get_by_role("option").all_inner_texts()
        assert "twitter" in options and not any("Select" in o for o in options), options  # Dutch only
        page.get_by_role("option").filter(has_text="twitter").first.click()
        page.keyboard.press("Escape")
        j.idle()
        body = j.check("nu_een_platform")
        assert 0 < _caveat_messages(body) < before, (before, body[-2000:])
        for label, slug in (("CoPI-projectie", "copi"), ("Nabespreking", "nabespreking")):
            j.nav(label)
            body = j.check(f"{slug}_een_platform")
        assert "de keuze in de zijbalk (twitter) geldt hier niet" in body  # the review counts everything
        page.locator('[data-testid="stSidebar"]').get_by_text("en", exact=True).click()
        j.idle()
        j.nav("Overview")
        assert "taal=en" in page.url
        body = j.check("overzicht_en", dutch=False)
        assert "Overview" in body and "Messages" in body
        context.close()
    _assert_clean(j)

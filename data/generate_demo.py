# ruff: noqa: E501  (the hand-written messages below are data lines)
"""Generate the SYNTHETIC demo incident "Brand Industrieterrein De Vlonder (demo)".

Everything here is invented: the municipality (Heidewijk), the safety region
(Veiligheidsregio Veluwe-Oost), the company, the holiday park, the people, the
handles, phone numbers and e-mail addresses. The output looks like the export
of a social-media monitoring tool so that the ingest code can be demonstrated
on it. The effects of the authority's messages (questions fall after "ramen en
deuren dicht", the asbestos rumour falls after "geen asbest") are BUILT IN.

Deterministic: the same seed gives byte-identical files.

    python data/generate_demo.py                 # writes into data/
    python data/generate_demo.py --out-dir /tmp/x --seed 7

Writes demo_incident.csv, demo_truth.csv, demo_incident.json and
official_accounts.csv.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import random
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

SEED = 7  # see data/README.md: a typical, not the most extreme, realisation
DATA_DIR = Path(__file__).resolve().parent

try:  # summer time on 11 July 2026: +02:00 either way
    from zoneinfo import ZoneInfo

    TZ = ZoneInfo("Europe/Amsterdam")
except Exception:  # pragma: no cover - no tz database on the machine
    TZ = timezone(timedelta(hours=2), "CEST")

DAY = (2026, 7, 11)  # a Saturday
START = datetime(*DAY, 13, 10, tzinfo=TZ)
END = datetime(*DAY, 21, 30, tzinfo=TZ)

INCIDENT_NAME = "Brand Industrieterrein De Vlonder, Heidewijk (demo)"

CAT_LETTERS = {
    "V": "vraag", "W": "waarneming", "H": "handelen", "G": "gezondheid",
    "P": "hulp", "E": "emotie", "K": "kritiek", "M": "medeleven",
    "R": "gerucht", "O": "officieel", "N": "ruis",
}
CAT_ORDER = list(CAT_LETTERS.values())
PLATFORM_LETTERS = {
    "t": "Twitter", "f": "Facebook", "i": "Instagram",
    "r": "Reddit", "k": "TikTok", "n": "Nieuwssite",
}
PLATFORMS = ["Twitter", "Facebook", "Instagram", "Reddit", "TikTok", "Nieuwssite"]


def at(hhmm: str, sec: int = 0) -> datetime:
    """Return the local time on the incident day for "HH:MM"."""
    h, m = hhmm.split(":")
    return datetime(*DAY, int(h), int(m), sec, tzinfo=TZ)


# ---------------------------------------------------------------------------
# Accounts
# ---------------------------------------------------------------------------
OFFICIAL_ACCOUNTS = [
    # platform, account (as in Auteur), name, kind
    ("twitter", "@VRVeluweOost", "Veiligheidsregio Veluwe-Oost", "authority"),
    ("facebook", "Veiligheidsregio Veluwe-Oost", "Veiligheidsregio Veluwe-Oost", "authority"),
    ("twitter", "@GemHeidewijk", "Gemeente Heidewijk", "authority"),
    ("facebook", "Gemeente Heidewijk", "Gemeente Heidewijk", "authority"),
    ("twitter", "@BrandweerHeidewijk", "Brandweer Heidewijk", "authority"),
    ("twitter", "@PolitieHeidewijk", "Politie Heidewijk", "authority"),
    ("twitter", "@OmroepHeideland", "Omroep Heideland", "media"),
    ("facebook", "Omroep Heideland", "Omroep Heideland", "media"),
    ("instagram", "omroepheideland", "Omroep Heideland", "media"),
    ("tiktok", "@omroepheideland", "Omroep Heideland", "media"),
    ("nieuwssite", "Redactie Omroep Heideland", "Omroep Heideland", "media"),
    ("twitter", "@HWCourant", "Heidewijker Courant", "media"),
]

# Authority posts at fixed times: key, time, platform, account, channel, type, text
AUTHORITY_POSTS = [
    ("eerste_melding", "13:38:20", "Twitter", "@VRVeluweOost", "tweet", "post",
     "Grote brand op industrieterrein De Vlonder in #Heidewijk. Er komt veel rook vrij. "
     "Vermijd het gebied en houd de weg vrij voor de hulpdiensten. Meer informatie volgt. #brand"),
    ("eerste_melding_fb", "13:41:05", "Facebook", "Veiligheidsregio Veluwe-Oost", "overig", "post",
     "Er is een grote brand op industrieterrein De Vlonder in Heidewijk. Er komt veel rook vrij. "
     "Vermijd het gebied en houd de weg vrij voor de hulpdiensten. We houden u via deze pagina "
     "op de hoogte."),
    ("brandweer_grip1", "13:47:30", "Twitter", "@BrandweerHeidewijk", "tweet", "post",
     "Zeer grote brand in een opslagloods op De Vlonder, #Heidewijk. Meerdere posten ter "
     "plaatse. Er is opgeschaald naar GRIP 1. Blijf uit de buurt."),
    ("ramen_dicht", "14:05:10", "Twitter", "@VRVeluweOost", "tweet", "post",
     "Rook trekt richting Oosterzand en vakantiepark Het Zandven. Bent u in dit gebied? "
     "Ga naar binnen, houd ramen en deuren dicht en zet ventilatie uit. #Heidewijk #brand"),
    ("ramen_dicht_fb", "14:06:40", "Facebook", "Veiligheidsregio Veluwe-Oost", "overig", "post",
     "De rook van de brand op De Vlonder trekt richting Oosterzand en vakantiepark Het Zandven.\n"
     "Bent u in dit gebied? Ga naar binnen, houd ramen en deuren dicht en zet mechanische "
     "ventilatie uit.\nOp de camping? Ga in uw caravan, chalet of het toiletgebouw en sluit "
     "alles af.\nEnglish: smoke is drifting towards Oosterzand and holiday park Het Zandven. "
     "Go inside, keep windows and doors closed and switch off ventilation.\nDeutsch: Gehen Sie "
     "nach drinnen, halten Sie Fenster und Türen geschlossen und schalten Sie die Lüftung aus."),
    ("nl_alert", "14:31:05", "Twitter", "@VRVeluweOost", "nl-alert", "post",
     "NL-Alert 11-07-2026 14:31: Grote brand op industrieterrein De Vlonder in Heidewijk. "
     "Veel rook in Oosterzand en bij vakantiepark Het Zandven. Ga naar binnen. Sluit ramen en "
     "deuren. Zet ventilatie uit. Meer informatie: vrveluweoost.nl #NLAlert"),
    ("opvang", "15:02:40", "Twitter", "@GemHeidewijk", "tweet", "post",
     "Voor wie niet thuis of op het vakantiepark kan of wil blijven: sporthal De Ruif in "
     "Bremhorst is open als opvanglocatie. Er is koffie, thee en informatie. #Heidewijk"),
    ("geen_asbest", "16:20:30", "Twitter", "@VRVeluweOost", "tweet", "post",
     "Metingen: er is geen asbest vrijgekomen bij de brand op De Vlonder. De neergekomen "
     "deeltjes zijn onderzocht, er zit geen asbest in. Blijf wel uit de rook: in Oosterzand en "
     "bij Het Zandven ramen en deuren dicht. #Heidewijk"),
    ("geen_asbest_fb", "16:22:15", "Facebook", "Veiligheidsregio Veluwe-Oost", "overig", "post",
     "Er gaan berichten rond over asbest. Metingen laten zien dat er bij de brand op De Vlonder "
     "GEEN asbest is vrijgekomen. Roetdeeltjes in uw tuin kunt u met handschoenen opruimen en "
     "in de grijze container doen. Spoel groente uit de tuin goed af.\n"
     "English: measurements show that no asbestos has been released."),
    ("water", "17:05:00", "Twitter", "@VRVeluweOost", "tweet", "post",
     "Vragen over water: het kraanwater is veilig, u kunt het gewoon drinken. Zwemmen in de "
     "Zandvenplas raden we vandaag af tot er meer bekend is over het bluswater. #Heidewijk"),
    ("politie_afzetting", "18:10:00", "Twitter", "@PolitieHeidewijk", "tweet", "post",
     "De Vlonderweg en de Zandvenweg blijven afgesloten. Kom niet kijken en houd de weg vrij "
     "voor de hulpdiensten. #Heidewijk"),
    ("onder_controle", "19:40:00", "Twitter", "@BrandweerHeidewijk", "tweet", "post",
     "De brand op De Vlonder is onder controle. Het nablussen gaat nog uren duren, er kan "
     "plaatselijk nog wat rook vrijkomen. #Heidewijk"),
    ("brand_meester", "20:35:00", "Twitter", "@VRVeluweOost", "tweet", "post",
     "Brand meester. De rook is grotendeels verdwenen: in Oosterzand en op Het Zandven mogen "
     "ramen en deuren weer open en kan de ventilatie weer aan. Dank voor uw geduld. #Heidewijk"),
    ("brand_meester_fb", "20:37:30", "Facebook", "Veiligheidsregio Veluwe-Oost", "overig", "post",
     "Brand meester! Ramen en deuren mogen weer open en de ventilatie kan weer aan. Dank aan "
     "iedereen voor het geduld en aan de brandweer voor het harde werk. Heeft u nog vragen? "
     "Kijk op vrveluweoost.nl."),
]
# the municipality retweets the two key messages of the safety region
AUTHORITY_RETWEETS = [("ramen_dicht", "14:07:55", "@GemHeidewijk"),
                      ("geen_asbest", "16:24:10", "@GemHeidewijk")]
# moments that are not posts in the export
OFFLINE_MOMENTS = [
    ("16:45:00", "persconferentie",
     "Persconferentie burgemeester van Heidewijk en commandant brandweer in het gemeentehuis: "
     "brand nog niet onder controle, geen asbest vrijgekomen, opvang in sporthal De Ruif, "
     "ramen en deuren in Oosterzand en bij Het Zandven dicht houden."),
    ("17:30:00", "radio",
     "Interview met de burgemeester op Radio Heideland: uitleg over de metingen, het "
     "kraanwater is veilig, excuses voor de late NL-Alert."),
]

MEDIA_POSTS = [
    # time, platform, account, text
    ("13:24:40", "Twitter", "@OmroepHeideland",
     "Grote rookwolk boven industrieterrein De Vlonder in Heidewijk, de brandweer is onderweg. "
     "Meer info volgt. {news}"),
    ("13:29:10", "Nieuwssite", "Redactie Omroep Heideland",
     "Grote brand op industrieterrein De Vlonder in Heidewijk\nOp industrieterrein De Vlonder in "
     "Heidewijk woedt sinds het begin van de middag een grote brand. Boven het terrein hangt een "
     "zwarte rookwolk die kilometers ver te zien is. De brandweer is met veel materieel "
     "onderweg. Dit bericht wordt bijgewerkt."),
    ("13:33:00", "Facebook", "Omroep Heideland",
     "LIVE | Grote brand op De Vlonder in Heidewijk. Rookwolk van kilometers ver te zien. "
     "Blijf uit de buurt. {news}"),
    ("13:55:20", "Twitter", "@HWCourant",
     "Brand bij opslagbedrijf Polyvast op De Vlonder. Vlonderweg is afgesloten, politie leidt "
     "verkeer om. #Heidewijk"),
    ("14:12:30", "Twitter", "@OmroepHeideland",
     "Veiligheidsregio: houd in Oosterzand en bij vakantiepark Het Zandven ramen en deuren "
     "dicht. {news}"),
    ("14:36:00", "Facebook", "Omroep Heideland",
     "Er is een NL-Alert verstuurd voor Oosterzand en omgeving. Ga naar binnen, sluit ramen en "
     "deuren en zet de ventilatie uit. Volg het liveblog: {news}"),
    ("15:20:00", "Twitter", "@OmroepHeideland",
     "Op sociale media gaan berichten rond over asbest bij de brand in Heidewijk. De "
     "veiligheidsregio laat weten dat er gemeten wordt, de uitslag wordt later vanmiddag "
     "verwacht. {news}"),
    ("15:40:30", "Nieuwssite", "Redactie Omroep Heideland",
     "Polyvast kreeg eerder waarschuwingen van omgevingsdienst\nHet opslagbedrijf waar "
     "vanmiddag brand uitbrak, kreeg in 2024 en 2025 waarschuwingen over de opslag van "
     "kunststof. Dat blijkt uit inspectierapporten die Omroep Heideland heeft ingezien."),
    ("16:26:00", "Twitter", "@OmroepHeideland",
     "Metingen: geen asbest vrijgekomen bij brand in Heidewijk {news}"),
    ("16:52:00", "Twitter", "@HWCourant",
     "Burgemeester op persconferentie: 'We begrijpen de zorgen.' Opvang in sporthal De Ruif "
     "blijft open tot in de avond. #Heidewijk"),
    ("17:32:00", "Instagram", "omroepheideland",
     "Beelden van de brand in Heidewijk vanuit de lucht. De brandweer verwacht nog uren bezig "
     "te zijn. #Heidewijk #brand"),
    ("18:31:00", "TikTok", "@omroepheideland",
     "Zo ziet de brand in Heidewijk er van dichtbij uit 🚒 #heidewijk #brand #nieuws"),
    ("19:45:10", "Twitter", "@OmroepHeideland",
     "Brandweer: brand in Heidewijk onder controle, nablussen duurt nog uren {news}"),
    ("20:40:00", "Twitter", "@OmroepHeideland",
     "Sein brand meester in Heidewijk: ramen en deuren mogen weer open {news}"),
    ("21:10:00", "Nieuwssite", "Redactie Omroep Heideland",
     "Brand Heidewijk: wat we weten en wat nog niet\nDe brand op De Vlonder is meester. Er is "
     "geen asbest vrijgekomen. Onduidelijk is nog hoe de brand is ontstaan en hoe groot de "
     "schade is. Ook blijft de vraag waarom de NL-Alert pas na ruim een uur werd verstuurd."),
]

# ---------------------------------------------------------------------------
# Hand-written base messages.
# Line format: CATS[@platforms][>HHMM][<HHMM][*weight]|text ; "\n" = newline.
# CATS letters: see CAT_LETTERS. Slots: {plaats} {park} {terrein} {bedrijf}
# {tel} {mail} {url} {user} {off} {stad}
# ---------------------------------------------------------------------------
POOL_NL = r"""
[waarneming]
W>1600|De rook is nu lichter van kleur, grijs in plaats van zwart
W>1500|Er staan nu nog meer brandweerwagens, zie er zeker 12
W>1400|Er rijden politieauto's door de wijk met een omroepinstallatie
W>1340|Dikke zwarte regen van roet op de veranda
W@k|de lucht hier is letterlijk zwart 😶
W|Alle vogels vliegen weg van de heide, heel apart
W>1500|Er staat een hoogwerker en ze spuiten nu van bovenaf
W>1400|Stukken zwart plastic in de sloot achter ons huis
W*2|ik zie zwarte rook boven het industrieterrein
W*2|Harde knal gehoord hier in {plaats}, daarna meteen een enorme rookwolk
WV*2|Enorme zwarte rookpluim richting {terrein}. Iemand een idee wat daar brandt?
WV|Wat was die knal net?? Hele huis trilde
W|Zo, dat was een knal. Ramen trilden hier in Oosterzand
W@k|dit is letterlijk achter onze camping 😳
W@ik|pov: je ligt bij het zwembad op de camping en opeens BOEM 💥
W@i|Rookwolk vanaf het strandje bij de plas. Je ziet hem kilometers ver
W|Vanaf de provinciale weg zie je een gigantische rookkolom staan, lijkt bij {terrein}
W|Brandweer met loeiende sirenes langs ons huis, ik heb er al 6 geteld
W|Er gaan constant sirenes hier, helikopter hangt boven {plaats}
W|Heel grote brand bij {bedrijf} op {terrein}. Vlammen van tientallen meters hoog
W>1330|Het regent hier zwarte snippers in de tuin
WV>1330|Er valt roet op de auto. Is dat erg?
W|Ik zie vanaf het balkon de vlammen boven de loodsen uitkomen
W|Nog 2 knallen gehoord, klonk als gasflessen
W|Lucht is hier helemaal oranjegrijs, de zon is gewoon weg
W|Vanuit Bremhorst zie je het ook. Dikke zwarte wolk die naar het oosten drijft
W|Zit in de trein en zie de rook al van ver. Heftig
W@f|Vanaf de Zandvenweg zie je het goed, er staat een hele rij brandweerauto's. Politie zet alles af.
W>1325|Net langs gereden, Vlonderweg is afgesloten
W>1320|Er vliegen stukken dakbedekking door de lucht
W@t*2|Video van de brand bij {terrein} {url}
W|Foto vanaf de dijk. Dit is echt groot {url}
W>1400|Rook hangt nu ook boven het vakantiepark, je ziet de overkant van de plas niet meer
W>1345|De wind draait, rook komt nu onze kant op (Oosterzand)
WG>1325|Hier in de wijk ruik je het ook al. Brandlucht
W|Volgens mij is het bij die grote opslagloods achteraan op de Vlonder
W|Bij de ingang van het industrieterrein staan al mensen te filmen. Ga toch weg joh
W|Helikopter van de politie cirkelt al een half uur boven {plaats}
WV@r|Is er iemand die weet wat er in {plaats} aan de hand is? Hier in de wijk hangt een dikke zwarte wolk en er rijden al een kwartier sirenes af en aan.
W>1600|Vlammen zijn nu niet meer te zien, alleen nog rook
W>1530|Rookwolk is nog steeds te zien vanaf de snelweg
W|Holy shit wat een rook boven {plaats}
W|wtf is dat voor rook daar bij de vlonder
W|Oei oei oei, da's nie niks. Zwarte rook tot ver boven de bomen
W|Loeiende sirenes en een rookwolk, dat is geen barbecue meer 😅
W@n|Ik woon op 500 meter van het terrein. Om ongeveer 13.05 uur hoorde ik een knal en daarna zag ik meteen vlammen boven de hal van Polyvast.
W|Mijn zoon zag het vanaf de voetbalvelden, hij zegt dat er meerdere explosies waren
WH>1330|As en roet op de trampoline. Kinderen maar binnen gehouden
W|Zag net 3 ambulances richting {terrein} rijden
WV|Gewonden? Zag net ambulances gaan
W@i|Vanaf de uitkijktoren op de heide. Onwerkelijk 😶‍🌫️
W|Zelfs vanuit {stad} zie je de rookpluim
W|Grote zwarte wolk, knetterende geluiden, steeds weer kleine knalletjes
W>1340|Hier in Bremhorst vallen stukjes verbrand plastic uit de lucht
W@k|wie zit hier ook op het zandven 😭 dit is echt bij ons
W>1400|Ze zijn nu met een hoogwerker aan het blussen, van hieruit goed te zien
W|dr staat nu echt een muur van rook boven de Vlonder
W|Oké dit is geen klein fikkie. Hele hemel zwart richting het industrieterrein
WV|Wat brandt er eigenlijk? Plastic? Ruikt zo
W>1400|Blusboten? Nee, maar wel een bluswaterpomp bij de plas. Ze pompen water uit het Zandven
W|Brandweer uit drie dorpen langs zien komen, dit is groot
W>1330|De rook is tot in Apeldoorn te zien volgens mijn zus
W@f|Wij zaten net op het terras bij de plas toen we een enorme klap hoorden. Iedereen stond op en keek. Binnen een paar minuten was de lucht zwart.
[blijven_of_weg]
VH|Wat bedoelen ze met "het gebied"? Hoort de camping daar ook bij?
VH*2|Moeten we nu binnen blijven of juist weg?
VH*2|Moeten we ramen dicht doen? Wonen in Oosterzand
VH*2|Is het veilig om buiten te zijn in {plaats}?
VH|Weet iemand of we de camping moeten verlaten? Zitten op {park} met 2 kleine kids
VH|Moeten wij weg van de camping of kunnen we blijven? Er is hier niemand van de receptie te zien
VH|Zijn we hier veilig op het Zandven? De rook komt recht op ons af
VH|ff vraagje, ramen dicht of maakt dat niet uit?
VH|Kan ik de kinderen nog buiten laten spelen?
VH|Moet de ventilatie uit? We hebben zo'n wtw systeem
VH|Wij zitten in een tent, wat moeten we dan? Een tent kan je niet dichtdoen
VH|Wat is wijsheid, in de caravan blijven of naar huis rijden?
VH|Wordt het vakantiepark ontruimd? Ik hoor verschillende verhalen
VH|Moet je nu binnen blijven als je in Bremhorst woont of alleen bij de camping?
VH|Weet iemand of de Zandvenweg nog open is? Willen naar huis
VH|Kunnen we nog naar de camping terugrijden? Kinderen zitten daar nog bij opa en oma
VH|Hebben ze al gezegd wat we moeten doen? Ik zie niks op de site van de gemeente
VH|Moet ik mijn was van de lijn halen? Klinkt stom maar ja
VHG|Is het gevaarlijk om die rook in te ademen? Moeten we ergens heen?
VH|Mijn moeder woont alleen in de Heidehof vlak bij het terrein, moet ze weg?
VH|{off} moeten bewoners van Oosterzand binnen blijven?
VH|{off} wat is het advies voor mensen op vakantiepark Het Zandven?
VH|Wat moet je doen als je op de fiets onderweg bent door die rook?
VH|kunne we gewoon blijve zitte hier op de camping? 😬
VH|Hedde gij al iets gehoord van de camping, of we weg moeten?
VH|Moi, wij staan met de caravan op {park}, moet we hier weg of nie?
VH|Moeten we de auto binnenzetten ivm roet?
VH|Mijn dochter zit bij een vriendinnetje in Oosterzand, ophalen of daar laten?
VHG|Is de rook giftig? Moeten we binnen blijven?
VH|Weet iemand of je nog richting Bremhorst kan rijden zonder door de rook te gaan?
VH@r|Ik zit op een vakantiepark vlakbij de brand in {plaats}. De receptie zegt 'gewoon blijven', maar de rook hangt echt over het terrein. Wat zouden jullie doen: inpakken en naar huis of afwachten?
VHP@f|Vraag voor de mensen op het park: waar moeten we heen als het erger wordt? Is er ergens opvang?
VH|Mag je nog de tuin in? Mijn man wil per se gaan bbq'en 🙄
VH|Moeten we de kinderen van de scouting ophalen? Die zitten op het kampterrein bij de heide
VH|Zou je het raam van de slaapkamer nog open laten? Het is 30 graden binnen..
VH*2|Blijven of weg?? Iemand?
VH|Wat is het advies voor Oosterzand-Zuid?? Rook staat hier vol in de straat
VH|Ik moet om 4 uur werken op de Vlonder (andere kant), kan dat wel?
VH|Moet het vakantiepark ontruimd worden? We horen niks
VH|Iemand enig idee of de camping veilig is? Onze zoon is daar met vrienden
VH|Is er al een advies om binnen te blijven? Zie wel rook maar geen bericht
VH|Zijn de wegen rond het terrein nog open? Moeten naar mijn schoonouders
VH|Wat moeten we doen? Blijven we hier of gaan we naar huis? Zitten op de camping met de hele familie
VH|Is het verstandig om nu naar huis te rijden of blijf je beter binnen?
VH|Moeten ramen dicht in Bremhorst? Rook lijkt deze kant op te komen
VH@f|Hallo allemaal, weet iemand of de mensen in de chalets aan de achterkant van het park weg moeten? Mijn ouders zitten daar en nemen hun telefoon niet op.
VH|is het veilig om met de boot op de plas te blijven?
VH|Moet je de roosters dichtdoen of is ramen dicht genoeg?
VH|hoe ver moet je eigenlijk weg van zo'n brand?
VH|Mag je nog naar buiten met zo'n rook of niet?
VH@k|moeten we nou weg van de camping of nie 😭
VH@n|Graag duidelijkheid voor bewoners van Oosterzand: moeten wij binnen blijven of is dat niet nodig? Op dit moment hangt de rook in onze straat.
[ramen_hoelang]
VH>1406|Hoe lang moeten de ramen dicht blijven? Het is hier 29 graden binnen
VH>1406|Geldt dat ramen dicht ook voor Bremhorst of alleen voor Oosterzand?
VH>1406|Moet de airco ook uit? Of alleen de ventilatie?
VH>1406|En wat als je in een tent zit? Ramen dicht is een beetje lastig 😅
VH>1500|Mogen de ramen al weer open? Het stinkt minder
VH>1406|Hoe weet ik of mijn straat in dat gebied valt?
VH>1432|Krijg een NL-Alert maar woon 8 km verderop, geldt dat ook voor ons?
VH>1406|Moet je ook de kattenluik dichtdoen haha? Nee serieus, hoe zit het met huisdieren die naar buiten willen
VH>1406|Wat doe je met een wtw-installatie, gewoon de stekker eruit?
VH>1432|Die NL-Alert, geldt die ook voor de andere kant van de plas?
[handelen_opvolging]
H*3|Ramen dicht!
H*2|Ramen en deuren dicht, ventilatie uit. Hier in Oosterzand ruik je het flink
H|Alles dicht hier. Kids binnen met een film
H|Zo, ramen en deuren dicht en de ventilatie uit. Warm hoor 🥵
H*2|Iedereen in Oosterzand: ramen en deuren dicht en ventilatie uit!!
H|Ramen en deuren dicht volgens de veiligheidsregio. Mensen op het Zandven ook de caravan dichtdoen
HP|Buren gewaarschuwd, oude mevrouw naast ons had alles nog open staan
H|Wij zijn naar binnen gegaan. Alles dicht
H|Ventilatie uit, ramen dicht, honden binnen. Nu maar afwachten
H|Tip: ook je mechanische ventilatie (wtw) uitzetten, die zuigt buitenlucht aan
H|Voor de mensen op de camping: ga in de caravan of het toiletgebouw zitten en doe alles dicht
H|Deel even: ramen en deuren dicht in Oosterzand en bij het Zandven!
H|Ramen dicht gedaan, was binnen, kinderen binnen. Balen met dit mooie weer
H>1432*2|Net de NL-Alert gehad. Alles dicht hier
H>1432|NL-Alert ging af op alle telefoons in de kantine tegelijk. Iedereen deed meteen de ramen dicht
H|Hele straat zit binnen, iedereen heeft de ramen dicht
HV|Airco dan zeker ook uit? Ik doe hem maar uit voor de zekerheid
H|Ramen dichtgedaan en natte handdoeken voor de kieren gelegd
H|Voetbaltoernooi bij de club is stilgelegd, iedereen naar binnen
H|Terrassen in het centrum worden opgeruimd, iedereen gaat naar binnen
HM|Ramen dicht en deuren dicht, wij blijven lekker binnen. Hou je veilig allemaal ❤️
H|Receptie van {park} loopt rond: iedereen in de caravans of bungalows en alles dicht
H|ramen en deuren dicht, ventilatie uit. Niet zo moeilijk mensen
H|ramen dicht, deur dicht, ventilatie uit 👍
H|Alles potdicht hier in Oosterzand
H|Dak van de caravan dicht, ramen dicht, tv aan. Zo zitten we het uit
H|@{user} ramen en deuren dicht doen, staat op twitter van de veiligheidsregio
H|Op het park gaan ze langs alle plekken om te zeggen dat iedereen binnen moet blijven
H|Wij houden ramen en deuren dicht zoals gevraagd. Hopelijk duurt het niet te lang
[stank]
G|Het ruikt naar verbrande autobanden en chemicaliën, echt smerig
G|Zelfs onder de douche ruik ik die lucht nog in mijn haar
G|Hoofdpijn. Al 2 paracetamol op
G*2|Iedereen in de caravan is misselijk
G|Misselijk van de stank, echt waar
G|Kinderen misselijk en hoofdpijn. We zitten binnen
G|Ben al de hele middag misselijk, zal wel van die rook komen
G|Man en ik allebei misselijk. Kinderen gelukkig nog niet
G|Mijn dochter heeft net overgegeven, we denken door de lucht
G|Het stinkt hier in Oosterzand echt ontzettend
G|Het prikt in je neus als je even naar buiten gaat
G|Iedereen op de camping loopt te hoesten
GV|Is het raar dat mijn ogen nog steeds tranen na een uur binnen?
G|Moeite met ademen en ik heb COPD. Ik neem het zekere voor het onzekere en bel de huisarts
G|Die lucht hangt echt overal, ook in de supermarkt
G|Hoofdpijn; keel rauw; ogen prikken. En ik zit nog binnen ook
G*2|Wat een stank hier in Oosterzand. Ruikt naar verbrand plastic
G*4|Ik word echt misselijk van die lucht
G|Hoofdpijn en prikkende ogen, iemand anders ook?
G*2|Het stinkt hier echt verschrikkelijk op de camping 🤢
G|Benauwd gevoel op de borst sinds die rook hier hangt
GVH|Mijn dochter heeft astma en is flink benauwd. Wat moeten we doen?
G|Keel doet zeer, ogen tranen. Lekker dagje camping dit
G|stinkt hier echt als de hel
G|Ruikt hier alsof er een autoband in brand staat
G|Zelfs met alles dicht ruik je het binnen. Chemische lucht
G*2|Enkele campinggasten hier zijn misselijk, vooral de kinderen
G|Mijn kinderen moeten hoesten en zeggen dat hun ogen prikken
GV|Is het normaal dat je keel zo prikt van die rook?
GV|Moet je naar de huisarts als je hoofdpijn hebt van de rook?
GH|Huisartsenpost gebeld, ze zeiden: binnen blijven en veel water drinken
G|Heel de bungalow ruikt naar rook 😷
G|Man heeft al een uur hoofdpijn en voelt zich beroerd
GV|Wat is dit voor lucht?? Beetje zoetig chemisch. Word er duizelig van
G|Mijn hond ligt ook de hele tijd te niezen
GV|Ik ben zwanger, is die rook slecht voor de baby?
G|Wat 'n stank hier in Oosterzand, wi'j hebt alles dicht maar het kump toch naar binnen
G|Het ruukt hier nao verbrand plestiek, nie normaal
G|Gatverdamme wat een lucht, kotsmisselijk
G|ogen branden echt 😣
G|Benauwd, benauwd, benauwd. Astmapuffer erbij gepakt
G>1430|Zelfs in Bremhorst ruik je het nu. Ik kreeg er meteen hoofdpijn van
G|Kinderen op de camping hebben last van hun keel, ouders maken zich zorgen
G|Brandlucht door de hele straat, je kan buiten bijna niet ademen
GV|Heeft iemand anders ook zo'n metaalsmaak in de mond?
G@r|Iemand anders in de buurt van {plaats} die echt last heeft van de lucht? Ik heb sinds twee uur hoofdpijn en mijn vriendin is misselijk. Ramen zijn dicht maar het komt door de kieren heen.
G|Het stinkt zelfs in de auto met de recirculatie aan
GH|Oma (87) is benauwd, we hebben de huisarts gebeld
G|Wie heeft ook van die rare hoofdpijn boven de ogen?
G|Ik proef het gewoon. Bah
GV*2|Misselijk en slap. Ligt het aan de hitte of aan de rook?
G|Die stank is niet normaal meer
G|Mijn ogen prikken zelfs binnen
G|Enkele campinggasten klagen over een stanklucht, de receptie weet ook niet wat ze moet zeggen
G@k|ik ruik het tot in mn slaapkamer 🤢🤢
G|Het stinkt hier zo erg dat mijn zoontje moest overgeven
G|Zware lucht, echt zo'n plastic-brandlucht. Kan niet lekker ademen
G@f|Hier op het Zandven ruik je het echt overal. De kinderen klagen over hoofdpijn en buikpijn en we zitten al sinds half 3 in de caravan met alles dicht.
G|Pfff ik hoest me suf
G|Mijn ogen zijn rood en dik, iemand tips?
G|Stinkt zelfs door de dichte ramen heen
G|Bah, wat een smerige lucht. Net teruggekomen van boodschappen en ik voel me misselijk
G|Zeker weten dat dit niet gezond is, zo'n lucht
[asbest_gerucht]
R|Hoor van iemand op het park dat er asbestplaten op het dak lagen. Kinderen maar binnen gehouden
RV|Weet iemand of die loods asbest had? Heb een foto van de resten in de tuin
R|Ze schijnen straks met pakken de tuinen in te gaan, vanwege asbest
RV|Moet ik het roet van de auto afspoelen of niet aanraken ivm asbest?
R|In de app van de voetbalclub zeggen ze dat het asbest is
RV|Waarom zeggen ze niks over asbest? Er zit het toch in?
R>1438*3|ik hoor dat er asbest in het dak zat
RH*2|Er zou asbest vrijkomen bij die brand. Houd je kinderen binnen!
RV*2|Klopt het dat er asbest in die loods zat??
R*2|Schijnt dat het dak van die loods vol asbest zat
R|Zwager werkt bij de brandweer en die zegt dat het asbest is
RV*2|Zijn die zwarte snippers in de tuin asbest??
RV*2|Is er asbest vrijgekomen? Ik lees van alles
RH|Mensen, die stukjes die naar beneden komen NIET aanraken, het is asbest!!
RV|Is het waar dat ze asbest hebben gevonden op de camping?
RW|Op de camping gaat het verhaal rond dat er asbest vrijkomt. Mensen zijn aan het inpakken
RV|Iemand in de groepsapp zegt asbest. Weet iemand of dat klopt?
R|Oud gebouw uit de jaren 70, natuurlijk zit daar asbest in. Twee keer raden
R|Ze zeggen dat er asbest op de speeltuin van het park is gevallen
RVH|Asbest?? Moet ik mijn tuinmeubelen nu weggooien?
RV|Hoe weet je of die stukjes asbest zijn?
RH|Buurman heeft een stukje opgeraapt, zegt dat het asbest is. Niet aanraken!
RVK|Is er nou asbest vrijgekomen of niet? Niemand zegt iets
R|Er gaat een bericht rond dat het asbest is. Lijkt me wel serieus
RVG|Wat doe je als je asbest hebt ingeademd?
R|Asbestwolk boven Heidewijk, zo noemen ze het al
R|Gehoord dat het hele vakantiepark ontruimd wordt vanwege asbest
R|Volgens de beheerder van de camping zat er asbest in de daken van de oude loodsen
RV*2|asbest???? serieus????
RK|ASBEST. Daarom zeggen ze niks
RVH|Mijn kinderen hebben in de zandbak gespeeld en er lagen van die snippers in. Asbest?? Wat moet ik doen
R|Zag op TikTok dat er asbest is gevonden bij de plas
RV|Moeten we ons laten testen op asbest?
RV|Heeft iemand al iets gehoord over asbestmetingen?
RK|Mijn neef werkt bij de gemeente en zegt dat het asbest is, maar dat ze het stilhouden
R|Auto's op het park zitten onder de snippers, schijnt asbest te zijn
RV@f|Wie weet hier meer van? In de appgroep van de camping wordt gezegd dat er asbest vrijkomt en dat we weg moeten. Klopt dit?
RK@n|Die hallen zijn gebouwd in 1974. Iedereen die een beetje verstand van bouw heeft weet wat dat betekent: asbest. Ik snap niet dat hier niet meteen over gecommuniceerd wordt.
RV@r|Serieuze vraag: hoe groot is het risico als er echt asbest in dat dak zat? Er wordt hier in de buurt van alles rondgestuurd en mensen raken in paniek.
RV|{off} is er asbest vrijgekomen? Graag snel duidelijkheid!
R|Iedereen op het park heeft het over asbest nu
RV|Zit er nou asbest in die rook of niet??
RV@k|is dat asbest op de auto's?? 😳
R|Die grijze plaatjes die hier liggen zijn golfplaten, echt asbest
RV|Kan je asbest ruiken? Vraag voor een vriend 😬
R|Iemand bij de GGD zou gezegd hebben dat het asbest is
R|Ik hoor van meerdere mensen dat het dak asbest bevatte
[asbest_wantrouwen]
K>1621|"Er is geen asbest vrijgekomen". Net zoals er ook "niks aan de hand" was om 1 uur zeker
KR>1621|Geen asbest? Ja ja. Dat zeggen ze altijd
K>1621*2|Geen asbest zeggen ze. Geloof er helemaal niks van
K>1621|Eerst drie uur niks zeggen en nu opeens 'geen asbest'. Wie controleert dat?
KV>1621|Hoe kunnen ze nou al weten dat er geen asbest is? Zo snel meten kan toch niet?
KR>1621|Die snippers in mijn tuin zien er toch echt uit als asbest, wat ze ook zeggen
K>1621|Metingen door wie? Door het bedrijf zelf zeker
KR>1621|Mijn zwager zegt nog steeds dat het asbest is hoor
K>1621|Eerst zien, dan geloven. Laat die meetresultaten maar zien
KV>1621|Waar kunnen we die metingen dan inzien?
K>1621|geen asbest.. tuurlijk niet 🙄
K@n>1621|Het zou de veiligheidsregio sieren als ze de meetgegevens openbaar maken. Nu moeten we het maar op hun woord geloven, terwijl er de hele middag niets gecommuniceerd werd.
[asbest_opgelucht]
E>1621*2|Gelukkig geen asbest. Dat scheelt een hoop zorgen
E>1621|Pfff opgelucht, geen asbest 🙏
EK>1621|Fijn dat ze het nu duidelijk zeggen: geen asbest. Nu die andere verhalen nog stoppen
EH>1621|Geen asbest gevonden dus. Die snippers wel met handschoenen opruimen
E>1621|Gelukkig!! Hele middag in de stress gezeten door dat asbestverhaal
K>1621|Dus al die appjes over asbest waren onzin. Mensen, stop met dat doorsturen
E>1621|Geen asbest 🙏 nu hopen dat het snel voorbij is
[water_zwemmen]
VH*3|Is het kraanwater nog veilig om te drinken?
VH*2|Kunnen de kinderen nog zwemmen in de plas?
VH|Mogen we nog groente uit de moestuin eten met al dat roet?
VH|Kan ik de kinderen nog in het zwembadje in de tuin laten?
VH|Weet iemand of het water van de Zandvenplas vervuild is? Kids willen zwemmen
VH|Drinkwater uit de kraan nog oké? Of flessen halen?
VW|Zwembad op het park is dicht gegaan, ligt dat aan de brand?
V|Bluswater komt toch in de sloot terecht? Is dat niet slecht voor de vissen?
VH|Moeten we de regenton leeggooien?
VH|Mag ik de moestuin nog sproeien met het water uit de put?
VH|Is het zwemwater nog veilig? Staat er al iets op de site?
VH|Hoe zit het met het drinkwater voor de dieren op de kinderboerderij?
VH|Moeten we fruit uit de tuin wassen of weggooien?
VH|Kan je nog gewoon douchen? Rare vraag misschien
RH|Ik hoor dat het bluswater in de plas loopt en dat je er niet meer in mag
VH|Kan de baby nog flesvoeding met kraanwater? Of beter uit een fles water?
VH|Strandje bij de plas is leeg, mag je er nu wel of niet in?
VH|Kraanwater veilig? Iemand?
VH@f|Weet iemand of het water in de plas nog veilig is? Onze kinderen hebben er vanochtend nog in gezwommen en de kleinste heeft wat water binnengekregen.
VH|Moeten we de kippen ander drinkwater geven?
H>1706|Kraanwater is gewoon veilig, staat net op twitter van de veiligheidsregio
H>1706|Water uit de kraan kan je drinken, alleen niet zwemmen in de plas vandaag
[huisdieren]
VH|Wat moet ik met mijn paarden? Die staan in de wei aan de Vlonderweg
VH|Kunnen de katten naar buiten of moet ik ze binnen houden?
VH|Moet ik de kippen binnen zetten? Klinkt raar maar serieus
VH|Hond moet echt uit, kan dat nog?
VH|Wat doen jullie met de konijnen in het hok buiten?
PW|Onze hond is weggelopen van de camping door de knallen. Bruine labrador, luistert naar Bo. Bel {tel}
P|Kat vermist sinds de knal, grijs gestreept, Oosterzand. Info naar {tel}
VH|Is die rook slecht voor vogels in een buitenvolière?
V|Schapen op de heide, weet iemand of de boer ze weghaalt?
VH|Moet je met de hond gewoon wandelen of beter niet?
VH|Onze hond hijgt heel erg, ligt dat aan de rook? Moeten we naar de dierenarts?
[kritiek_info]
K|Bij de vorige brand was de informatie ook al zo slecht. Niks geleerd
K|Op de site van de veiligheidsregio staat exact hetzelfde als 2 uur geleden
K|Mensen moeten zelf maar uitzoeken of ze in het gebied wonen. Geen kaartje, niks
K|Er kwam niemand langs op het park. Geen enkele medewerker
K|Ik heb het van mijn buurvrouw gehoord. Niet van de gemeente
K|Eén tweet per uur is niet genoeg als het hele dorp in de rook zit
K|NL-Alert is leuk maar niet iedereen heeft een smartphone. Denk aan de ouderen!
K|Het callcenter zegt: kijk op de website. De website zegt: bel het callcenter
K@n|Eerst geen informatie; dan een NL-Alert die veel te laat komt; en de website ligt er ook nog uit. Wat een vertoning.
K|Volgens de receptie was het "gewoon een brandje op het industrieterrein". Ja hoor
K@n>1432|"Ga naar binnen" staat er in de NL-Alert. Dat hadden we om 13.15 uur ook al bedacht; het was alleen anderhalf uur later pas officieel.
K*3|waarom hoor ik dit via Facebook en niet van de gemeente
K*2|De communicatie van de gemeente is echt ondermaats
K>1432*2|NL-Alert pas om half 3? De brand is om 1 uur begonnen!
K<1440|Een uur na de brand nog steeds niks van de gemeente. Schandalig
K>1432|Ik zit 500 meter van de brand en heb geen NL-Alert gehad
K|Leuk dat ze op Twitter posten, maar mijn moeder van 80 zit niet op Twitter
K|Op de camping heeft niemand ons iets verteld. We hoorden het van andere gasten
K|Geen enkele informatie in het Engels of Duits terwijl het park vol buitenlanders zit
K|Informatie komt echt druppelsgewijs. Eerst niks, dan ramen dicht, dan weer niks
K|De website van de gemeente zegt nog steeds niks over de brand
K>1432|NL-Alert kwam 80 minuten na de knal. Dan had je het ook kunnen laten
K>1432|Nu pas een NL-Alert?? Halve camping zit al in de rook
K<1645|Burgemeester nergens te bekennen
K|Het informatienummer is constant in gesprek
K|Ik bel al een half uur met de gemeente. In de wacht. Dit is toch niet normaal
K|Zo slecht geregeld dit. Mensen moeten het van elkaar horen in de appgroep
K|Ik vind het echt onbegrijpelijk dat bewoners pas zo laat gewaarschuwd zijn
K|Receptie van {park} weet ook van niks. Ze verwijzen naar de gemeente, de gemeente verwijst naar de veiligheidsregio
K|SCHANDALIG hoe slecht de informatie is!!!
K|Als ik de regionale omroep niet had gevolgd had ik van niks geweten
K|Zeg gewoon eerlijk wat er aan de hand is, dat is alles wat we vragen
K|Elke keer dezelfde tweet herhalen is geen communicatie
K|Jammer dat je als inwoner alles via via moet horen. Dit kan echt beter
K>1432|Zo'n NL-Alert is leuk, maar er stond niet in tot waar het gebied liep
K@n|Ik heb er begrip voor dat de hulpdiensten druk zijn, maar dat er ruim een uur lang niets officieels naar buiten kwam terwijl de hele omgeving de rook kon zien, vind ik niet acceptabel. Dit moet na afloop echt geëvalueerd worden.
K|De gemeente had toch gewoon een geluidswagen door Oosterzand kunnen sturen
K|{off} dit is echt belabberd. Niemand weet waar hij aan toe is
K|Weer typisch. Twitter is voor hen kennelijk genoeg
K|Communicatie = 0
K|Tja, informatie over de brand krijg je hier vooral via TikTok
K|Ik mis gewoon duidelijke informatie. Waar moet ik kijken?
K@n|Als inwoner van Oosterzand voel ik me totaal niet serieus genomen. Geen brief, geen geluidswagen, geen huis-aan-huis. Alleen een tweet.
K|De gemeente zit kennelijk nog op de camping met een ijsje
K|Heel fijn dat de omroep ons wel op de hoogte houdt, van de gemeente hoor je niks
K|Geen woord over de camping in die berichten. Wij zitten hier met honderden mensen
K@f|Ik snap echt niet dat er hier op Facebook meer informatie staat dan op de website van de gemeente. Dat hoort andersom te zijn.
[kritiek_retorisch]
K|Waarom staat er nog niks op de site van de gemeente??
K|Waar blijft de informatie nou?
K|Hoe kan het dat ik meer weet dan de receptie van de camping?
K|Wanneer gaan ze ons nou eens vertellen wat er aan de hand is?
K|Waarom duurt alles altijd zo lang bij de overheid?
K|Wie heeft er eigenlijk bedacht dat een tweet genoeg is?
K|Is het nou zo moeilijk om even een bericht in het Engels te zetten voor de toeristen?
K*3|waarom doet niemand iets??
K|Hoe kan het dat zo'n bedrijf naast een camping mag zitten??
K>1432|Waarom krijgen we pas na anderhalf uur een NL-Alert? Slapen ze daar?
K|Wie verzint het om een plasticopslag naast een vakantiepark te zetten?
K<1645|Waar is de burgemeester eigenlijk?
K|Hoe vaak moet dit nog gebeuren voordat er iets verandert?
K|Is er nou echt niemand bij de gemeente die weet hoe je een bericht op Facebook zet?
K|Waarom moet ik als burger zelf alle info bij elkaar zoeken?
K|Wat doen die mensen in het gemeentehuis eigenlijk de hele dag?
K|Hoezo is er geen informatie voor de campinggasten?!
K|Waarom leren ze nou nooit iets van vorige keren?
K|Wie controleert die bedrijven eigenlijk nog?
K|Moeten we nou echt wachten tot er doden vallen??
K|Hoe moeilijk kan het zijn om mensen op tijd te waarschuwen?
K|Hallo? Is er iemand wakker bij de veiligheidsregio??
K|Waarom horen we niks?!?!
K|Wie heeft hier nou eigenlijk de leiding??
[kritiek_bedrijf]
K|Zo'n bedrijf vol plastic en dan geen sprinklerinstallatie? Kom op zeg
K|Eerst winst maken en de omgeving mag het opruimen. Het bekende verhaal
K|Hopelijk gaat de gemeente nu eindelijk eens kritisch kijken naar wat daar allemaal opgeslagen ligt
K|De buren van dat terrein hebben al zo vaak geklaagd over de stapels balen buiten. Niemand deed iets
K|Dat plasticbedrijf had daar nooit mogen komen. Punt
K|Ik zeg het al jaren: die Vlonder is een tijdbom
K|Wie heeft die vergunning destijds getekend? Die mag het nu komen uitleggen
K@n|Als omwonende heb ik in 2024 al een klacht ingediend over de opslag buiten het gebouw. Daar is nooit op gereageerd. Ik ben benieuwd of de gemeente nu wel wakker wordt.
K@n|Het is te makkelijk om alleen naar het bedrijf te wijzen. De gemeente verleent de vergunning en moet ook handhaven. Beide partijen hebben hier gefaald.
K|En dan moeten wij straks weer meebetalen aan de schoonmaak via de gemeentelijke belastingen zeker
K|Ik hoop dat de eigenaar hier flink voor moet dokken
K|Moet je kijken hoe die loods erbij stond op Google Maps. Balen tot aan het dak
K|Natuurlijk weer een bedrijf dat het niet zo nauw neemt met de regels
KR|Ik hoor dat de brandmelder al weken kapot was
KR|Zou een medewerker iets met een sigaret te maken hebben gehad? Hoor ik hier in de buurt
K*2|Dat bedrijf heeft al vaker overtredingen gehad, dit zag je aankomen
K|Polyvast had vorig jaar ook al een boete van de omgevingsdienst. Niks mee gedaan
KR|Ik hoor dat ze helemaal geen vergunning hadden voor zoveel plastic opslag
K|Opslag van plastic naast een natuurgebied en een camping. Wie bedenkt zoiets
K|Eigenaar moet gewoon aansprakelijk gesteld worden voor alle schade
K|Omwonenden klagen al jaren over dat bedrijf. Nu is het te laat
K|Ik werk er in de buurt, die hallen stonden altijd propvol. Brandgevaarlijk
K|De gemeente heeft die uitbreiding gewoon goedgekeurd. Nu krijgen we de rekening
K@n|Dit bedrijf stond al eerder in de krant omdat het de brandveiligheidsvoorschriften niet naleefde. Hoe vaak moet een omgevingsdienst langskomen voordat er echt ingegrepen wordt?
K|Wie betaalt straks de schoonmaak van al die tuinen? Niet de bewoners hoop ik
K>1500|Bedrijf zegt nog steeds niks. Geen excuses, niks
K|Zulke bedrijven horen niet midden tussen de huizen
K>1541|Lees net dat ze al twee keer een waarschuwing hadden gehad. En dan toch door laten draaien?
K@n>1541|Twee waarschuwingen en geen enkele maatregel. De gemeente en de omgevingsdienst hebben hier boter op hun hoofd.
K|Dat terrein is al jaren een rommeltje. Pallets en balen plastic tot aan het hek
[emotie]
E|Mijn kinderen vragen steeds of ons huis ook gaat branden. Wat zeg je dan
E|Ik ben echt van slag
E|Wat een rotdag. En het begon zo mooi
E|Bang dat de wind nog draait
E|Ik blijf maar naar die rookwolk kijken. Surreëel
E|Ik heb er echt buikpijn van
E|Zoveel sirenes, ik word er gek van
E|Om te janken, zo'n mooi gebied
E|Niet te geloven dat dit hier gebeurt 😢
E|Boos, bang en moe. Dat is het wel zo'n beetje
E*2|Ik ben echt bang, kinderen zijn helemaal overstuur
E|Wat een nachtmerrie dit 😢
E|Mijn hart gaat als een gek tekeer
EK|Zo boos dat niemand ons iets vertelt 😡
E|Verschrikkelijk om te zien, zo dichtbij
E|Onze vakantie is zo verpest 😭
E|Mijn dochter huilt de hele tijd, ze is bang dat de caravan ook gaat branden
E|Eng hoor, die knallen steeds
EM|Dit is echt heftig. Sterkte aan iedereen in de buurt
E|Ik zit te trillen op mijn benen
E|Zo verdrietig voor de mensen die daar werken
E|Ik ben bang dat dit nog dagen gaat duren
E|Onwerkelijk. Gisteren nog langs dat terrein gefietst
E|Ik word hier zo onrustig van. Oma is alleen thuis
E|Pfff wat een dag. Ben er helemaal klaar mee
E|Echt doodeng, die zwarte wolk boven ons huis
E|Wtf dit is gewoon eng 😳
E|kinders zijn bang, wij ook eerlijk gezegd
E|Ik had nooit gedacht dat zoiets hier zou gebeuren
E|😢😢😢
E|Heb zo'n knoop in mijn maag
E|Mijn zoontje zag de vlammen vanaf het zwembad. Hij is er kapot van
E|Ik ben zo kwaad. Zo kwaad.
E|Huilend in de auto gezeten, eindelijk weg uit die rook
E@k|ik ben zo bang ik woon hier 3 straten vandaan 😭
E|Wat een angst heb ik gehad, ik dacht echt dat het ons huis was
E|Machteloos gevoel, gewoon afwachten
E|Ik kan nergens anders meer aan denken
E@f|Wij zitten al de hele middag binnen met drie kinderen. De kleinste snapt niet waarom we niet naar buiten mogen en de oudste is bang. Dit is echt zwaar.
[medeleven]
M|Heel veel sterkte aan alle campinggasten, wat een vakantie zo
M|Chapeau voor de brandweer, al uren in die hitte en die rook
M|Ik hoop dat niemand gewond is geraakt 🙏
M|Goed werk van de mensen van de sporthal, zo snel opvang geregeld
M|Dank jullie wel brandweer, politie en ambulance ❤️
M|Top hoe iedereen elkaar helpt hier in Oosterzand
M|Respect voor de vrijwilligers die water en ijsjes rondbrengen op de camping
M|Denk aan jullie allemaal in Heidewijk ❤️ sterkte
M|Hulde aan de brandweer uit de hele regio
M|Mooi om te zien hoe de buurt elkaar helpt
M|Wat een saamhorigheid. Trots op ons dorp
M|Pas goed op jezelf daar, brandweermensen!
M*2|Respect voor de brandweer, in deze hitte met die pakken aan 🙏
M*2|Dank aan alle hulpverleners! 🚒❤️
M|Sterkte aan iedereen in {plaats} en op de camping
M|Petje af voor de brandweermannen en -vrouwen
M|Heel veel sterkte voor de werknemers van {bedrijf}
M|Dikke duim voor de brandweer 👍
M|Hopelijk is iedereen veilig ❤️
M|Wat een helden die brandweermensen 🚒🔥🙏
MV|Zijn er gewonden? Hoop van niet. Sterkte allemaal
M|Bedankt brandweer!! Jullie zijn toppers
M|Veel respect voor de mensen van de camping die iedereen binnen hebben gehouden
M>1503|Dank je wel aan de vrijwilligers in de sporthal ❤️
M*2|Sterkte Heidewijk ❤️
M|Gedachten zijn bij de mensen op het vakantiepark
M|Petje af, wat een klus. En dan nog steeds die hitte
M|Respect voor de politie die al uren in de zon de weg staat af te zetten
M|Super dat de buren van de camping koffie komen brengen
M|Dank aan de supermarkt die gratis water uitdeelt aan de brandweer
M@f|Mijn man is vrijwillig brandweerman en staat daar al sinds half 2. Ik ben zo trots op hem en al zijn collega's. Pas goed op jezelf!
M|Veel sterkte aan de eigenaar en het personeel, wat een klap
M@k|respect voor die brandweermannen fr 🙏🙏
M|Goed bezig brandweer! Zet hem op
[hulp]
P|Wij hebben een grote tuin en een tent, als iemand van de camping wil komen is het welkom
P|Heb een auto en kan vanavond nog rijden naar het station als iemand vastzit
PV|Weet iemand of de opvang ook hondjes toelaat?
P|Onze kantine is open, gratis soep en broodjes voor wie uit de rook wil
PV|Wie heeft er nog een campingbedje voor een baby? We zitten in de sporthal
P|Kinderen van de camping zijn welkom in onze speeltuin in Bremhorst, daar is geen rook
P*2|wij hebben plek voor 2 gezinnen in {stad}
PV*2|wie kan ons ophalen? Staan bij de ingang van de camping zonder auto
P|Heb een logeerkamer vrij in Bremhorst voor als iemand van de camping weg wil. App me {tel}
P|Mensen van het Zandven die niet weten waar ze heen moeten: bij ons kan het, 3 slaapplekken. Mail me op {mail}
PV|Wie heeft er een oplader voor een iPhone? Zitten in de sporthal
PVH|Kunnen we ergens heen met onze caravan? Wij willen weg maar waarheen?
P|Onze manege heeft plek voor paarden uit de buurt van het terrein
P|Ik rij zo terug naar Oosterzand, kan 3 mensen meenemen
P|Zoekt iemand opvang voor een hond? Wij passen graag op
P|Gratis koffie en thee bij de kantine van de voetbalclub voor iedereen die even weg wil
PG|Iemand in de buurt met een extra luchtreiniger? Oma is benauwd
P|Heb nog een lege bungalow op ons park aan de andere kant van {plaats}, voor een gezin. Bel {tel}
PV|Wie weet waar de opvang is? We hebben 2 kleine kinderen en geen eten meer
P>1503|Sporthal De Ruif is open voor opvang, er is koffie en er zijn bedden
P|Wie kan er met een busje helpen om spullen van de camping op te halen?
P|Ik ben verpleegkundige en woon vlakbij. Als iemand hulp nodig heeft, laat het weten
P>1510|Vrijwilligers nodig in de sporthal om broodjes te smeren, meld je bij de ingang
PV|Mijn oom zit nog op het park en is slecht ter been. Kan iemand even bij hem kijken? Caravan bij de ingang, nummer 112
P|Bied opvang aan voor 1 gezin in {stad}. Neem contact op via {mail}
P|Wij kunnen kinderen opvangen als ouders bij de camping moeten blijven
PV|Wie heeft er plek in de auto richting Zwolle?
P|Ophalen of brengen nodig? Ik heb een 9-persoonsbus, bel {tel}
PV|Kan iemand medicijnen halen voor mijn vader? De apotheek in {plaats} is dicht
P@f|Voor iedereen van vakantiepark Het Zandven die niet weet waar ze heen moeten: wij hebben een grote schuur en een camperplaats in {stad}. Stroom en water aanwezig. Stuur een berichtje of bel {tel}.
P|Mail naar {mail} als je een slaapplek zoekt, we hebben nog 2 bedden
P|Heb nog een paar mondkapjes over als iemand ze wil, ophalen in Bremhorst
[all_clear]
H>2036*2|Ramen mogen weer open! Eindelijk frisse lucht
M>2036|Brand meester, top gedaan brandweer 👏
EH>2036|Pfff eindelijk de ramen weer open. Wat een dag
VH>2036|Mag de ventilatie ook weer aan of nog even wachten?
HG>2036|Ramen open, maar het stinkt buiten nog steeds. Doe ze dus maar weer dicht
M>2036|Dank aan alle brandweerlui die vandaag in de hitte hebben gestaan 🙏
E>2036|Opgelucht dat het voorbij is
VH>2036|Wat moeten we met al het roet in de tuin? Gewoon opruimen?
K>2036|Brand meester, maar wie ruimt straks de troep op?
M>1941|Onder controle! Goed gedaan mannen en vrouwen 🚒
E>1941|Gelukkig, onder controle. Nu nog de rook weg
W>1941|Je ziet nog wel wat rook maar veel minder dan vanmiddag
H>2036|Alles weer open hier. Wat een verademing
E>2036|Wat een dag. Morgen maar eens goed de tuin schoonmaken
[noise_merk]
N|Welk brand speaker raden jullie aan voor op de camping?
N|Ons nieuwe brand logo is live! Wat vinden jullie?
N|Dat nieuwe parfum van dat brand ruikt echt 🔥
N|Dit brand weet echt hoe je goede sneakers maakt 👟🔥
N|Hoe bouw je een sterk personal brand op LinkedIn? 5 tips 👇
N|Nieuwe collectie van dit brand is 🔥🔥
N|Brand awareness campagne vandaag gelanceerd, trots op het team!
N|Welke zonnebrand gebruiken jullie voor de kids? Die van de Kruidvat of duurder?
N|Zonnebrand vergeten, nu lijk ik een kreeft 🦞
N|Dat brand is echt overhyped, die hoodies gaan na 2 keer wassen al stuk
[noise_rookworst]
N|Rookworst actie bij de super, 2 halen 1 betalen. Toppie
N|Erwtensoep met rookworst in juli? Jazeker 😂
N|Wie heeft de lekkerste rookworst van Heidewijk? Slager op de Markt toch?
N|rookworst op de bbq is zo onderschat
N|Vanavond stamppot met rookworst, het is 30 graden maar boeie
[noise_voetbal]
N|Die spits staat vandaag in brand 🔥⚽
N|Wat een doelpunt, het stadion staat in vuur en vlam
N|Voetbal kijken vanavond in de kroeg, wie gaat er mee?
N|Oefenwedstrijd tegen de amateurs, 7-0. Trainer zal tevreden zijn
N|Onze keeper was vandaag echt on fire
[noise_vuurwerk]
N|Is er vanavond vuurwerk bij de kermis in Bremhorst? Weet iemand hoe laat?
N|Die vuurwerkshow op het strandfeest gisteren was echt prachtig 🎆
N|Vuurwerkverbod moet er gewoon komen, elk jaar weer dieren in paniek
[noise_maagzuur]
N|brandend maagzuur na die bbq 😩 iemand tips?
N|Rennie is mijn beste vriend vandaag, brandend maagzuur van de chili
N|Last van brandende voeten in deze hitte, iemand tips?
N|Brandnetels in de tuin, hoe kom ik daar nou vanaf zonder gif
[noise_weer]
N<1400|Heerlijk weertje voor een dagje Zandvenplas ☀️
N|Wat een hitte vandaag 🥵 31 graden
N|Onweer verwacht vanavond? Mijn buienradar zegt niks
N|Zo warm dat de kat alleen nog op de tegels ligt
N|Code oranje voor hitte? Zie ik nergens
[noise_reclame]
N|🔥 HOT DEALS 🔥 Alleen dit weekend 30% korting op alle tuinmeubelen! Shop nu: {shop}
N|Asbest in je schuur? Laat het veilig saneren door een erkend bedrijf. Bel vrijblijvend {tel}
N|Glazenwasser nodig? Wij lappen uw ramen voor een scherpe prijs. Heidewijk en omstreken
N|Nieuwe rookmelders nodig? Nu 2 voor 25 euro bij ons in de winkel
N|Zomerdeal! Vakantiepark Het Zandven: last minute chalets vanaf 59 euro per nacht {shop}
N|Word jij onze nieuwe collega? Wij zoeken een heftruckchauffeur (m/v) in Heidewijk {shop}
[noise_roken]
N|Vandaag precies een jaar gestopt met roken 💪
N|Rook ik nou echt te veel? Een pakje per dag
N|Wie heeft er nog een aansteker? Haha
[noise_overig]
N|Wat een mooie zonsondergang boven de heide
N|Iemand nog kaartjes voor het festival volgende week?
N|Bakker op de hoek heeft weer die heerlijke kersenvlaai
N|Verloren: sleutelbos bij de Jumbo in Heidewijk. Info naar {tel}
N|Wie gaat er vanavond naar de braderie?
N|Zoek een oppas voor dinsdag in Heidewijk, iemand een tip?
N|Trouwfeest vanavond en de zon schijnt ❤️
N|Ik brand me elke keer aan die stomme tosti
N|Mijn hond heeft in iets smerigs gerold, wat een stank 🤢
N|Iemand een goede loodgieter in Heidewijk of Bremhorst?
"""

POOL_EN = r"""
[waarneming]
W|Black smoke everywhere, the sun has turned orange. Never seen anything like it
W|Police have closed the road to the industrial estate, lots of fire engines heading in
WV|Was that an explosion?? Heard a loud boom from the campsite
W@r|Posting from the holiday park near Heidewijk: there's a huge fire at a warehouse about a kilometre away. Ash is falling on the tents.
WV|Huge black smoke cloud over the industrial area near {park}. Anyone know what's going on?
W|Just heard a massive bang near our campsite, then loads of smoke
W@i|View from our tent right now 😳
W>1330|There's ash falling on our caravan
W|Fire engines everywhere, looks like a warehouse is burning
W@k|we are literally on holiday next to this 💀
W|Sirens non stop for the last 20 min. Smoke is drifting over the lake
W|Massive fire in {plaats}, you can see the smoke for miles
[blijven_of_weg]
VH|Do we have to stay in the caravan? The kids want to go to the pool
VH|What's the advice for people at the holiday park? Stay or go?
VH|Are they evacuating Oosterzand? We're renting a house there
VH|Is it safe to drive through the smoke to get home?
VH|Any English speakers know what the fire brigade is saying? Should we leave?
VH*3|Are we safe at the campsite?
VHK|Do we need to leave the holiday park? No info in English anywhere
VH|Should we close the windows of the caravan? Staying at {park}
VH|Is it safe to stay in a tent with all this smoke?
VH|Anyone know if the park is being evacuated?
VH|We're staying at a campsite near Heidewijk with a baby. Should we drive home?
VH|Is the road to the motorway still open? Want to leave
VH@r|Tourist here (UK), staying at a holiday park next to the fire in {plaats}. Reception only tells us things in Dutch. Do we need to leave or stay inside? Any locals know?
VH|Should we stay inside or leave?? Nobody tells us anything
VH|Can the kids still play outside?
[ramen_hoelang]
VH>1406|How long do we need to keep the windows closed?
VH>1432|Got an alert on my phone in Dutch, what does it say? Do we stay inside?
[handelen_opvolging]
H|Windows and doors closed, ventilation off. Staying inside with the kids
H|The campsite staff told us to stay inside and close everything
H|Closing everything up in the caravan now
H>1432|Got the NL-Alert, everyone inside now
[stank]
G|Eyes burning and a sore throat, the smoke is everywhere at the campsite
G|The whole caravan smells of smoke now 😷
G|Feeling sick and dizzy, the smell is horrible
GV|Is it normal to have a headache from this? My wife has one too
G*2|smells like burning plastic, kids feel sick
G|The smell at the campsite is awful, my eyes are stinging
G|Anyone else getting a headache from the smoke?
GV|My son has asthma and he's struggling to breathe. What should we do?
G|It stinks so bad here, we can taste it
GV|Feeling really nauseous, is that from the smoke?
G@k|the smell is unreal 🤢
[asbest_gerucht]
RV|A Dutch guy at the next pitch says the roof had asbestos in it. Should we be worried?
RV|Asbestos?? Can someone confirm this please
RV|Someone at the campsite said there's asbestos in the smoke, is that true?
RH|Heard the roof of the warehouse was full of asbestos. Keeping the kids inside
RV|Is the black stuff falling from the sky asbestos??
R|People on the campsite are saying it's asbestos. Scary
[asbest_wantrouwen]
K>1621|'No asbestos' - sure. How can they know that so quickly?
[asbest_opgelucht]
E>1621|Relieved to hear there's no asbestos
[water_zwemmen]
VH|Can we still use the showers at the campsite?
VH|Is it safe to eat the food that was outside during the smoke?
VH*2|Is the tap water safe to drink?
VH*2|Can the kids still swim in the lake at the campsite?
VH|Is it ok to shower? Sorry, no idea how this works here
[huisdieren]
VH|Can we still walk the dog?
[kritiek_info]
K|We only found out from other campers. Nothing from the park or the council
K|Would be nice to get updates in English, half the campsite is foreign
K|The local Facebook group has more information than the authorities
K|No information in English at all, while the campsite is full of tourists
K>1432|The alert only came an hour after the fire started. Not great
K|Nobody from the park management has told us anything
K@r|Honestly the communication has been poor. Everything I know comes from a Dutch Facebook group and Google Translate.
[kritiek_retorisch]
K|Why is nobody telling the tourists anything??
[kritiek_bedrijf]
K|How is a plastics warehouse allowed right next to a campsite?
[emotie]
E|Kids are crying, this was supposed to be a relaxing holiday
E|Scary to see it so close to the campsite
E|My heart is pounding, we can hear bangs every few minutes
E|This is terrifying, the kids are really scared
E|What a nightmare of a holiday 😢
E|Honestly so scared right now
[medeleven]
M|Firefighters working in this heat, absolute heroes 🙏
M|Thanks to the campsite staff who checked on every caravan
M|Massive respect for the firefighters 🙏
M|Thank you to the firefighters, stay safe everyone
[hulp]
PV|Does anyone know where the emergency shelter is? We have two kids
P|We're driving to Amsterdam tonight and have 3 free seats if anyone from the park needs a lift
P|We have a spare room in Zwolle for a family from the campsite, DM me
PV|Does anyone have a car? We came by bike and want to leave with the kids
P|Offering a lift to the train station, 2 seats. Text me on {tel}
[all_clear]
H>2036|Windows can be opened again, finally!
M>2036|Fire is out, thank you firefighters!
[noise_merk]
N|This song is fire 🔥🔥
N|Personal brand tips thread 🧵
N|Sunburnt on day 2 of the holiday 🥲
"""

POOL_DE = r"""
[waarneming]
W|Die Sonne ist komplett hinter dem Rauch verschwunden
WV|War das eine Explosion? Es hat richtig laut geknallt
W>1330|Überall schwarze Flocken auf dem Auto
W@k|wir sind hier im urlaub und dann sowas 😳
W|Riesige schwarze Rauchwolke über dem Industriegebiet, man sieht sie vom Campingplatz aus
WV|Gerade einen lauten Knall gehört, was ist da los?
W>1330|Es regnet Asche auf unser Vorzelt
W@i|Blick vom Campingplatz. Unheimlich 😳
W|Überall Feuerwehr und Polizei, die Straße zum Industriegebiet ist gesperrt
W|Der Rauch zieht jetzt genau über den See
[blijven_of_weg]
VH|Sollen wir lieber nach Hause fahren? Wir wohnen nur zwei Stunden weg
VH|Weiß jemand, was die niederländische Feuerwehr empfiehlt? Drinnen bleiben?
VH|Dürfen wir noch zum Strand am See oder lieber im Wohnwagen bleiben?
VH|Hallo, wir sind deutsche Gäste auf dem Zandven. Müssen wir hier weg?
VH*3|Müssen wir den Campingplatz verlassen?
VH|Sind wir hier auf dem Campingplatz sicher?
VH|Sollen wir die Fenster vom Wohnwagen zumachen?
VH|Weiß jemand, ob der Ferienpark evakuiert wird?
VH|Wir sind mit Kindern im Zelt, was sollen wir tun?
VH|Ist die Straße Richtung Autobahn noch frei? Wir wollen lieber fahren
VHK|Gibt es irgendwo Infos auf Deutsch? Bleiben oder gehen?
VH|Dürfen die Kinder noch draußen spielen?
[ramen_hoelang]
VH>1406|Wie lange müssen die Fenster zu bleiben?
VH>1432|Wir haben eine Warnung auf Niederländisch bekommen. Was steht da drin?
[handelen_opvolging]
H|Fenster und Türen zu, Lüftung aus. Wir bleiben drin
H|Wir haben alles zugemacht, die Kinder schauen jetzt einen Film im Wohnwagen
H|Laut Feuerwehr Fenster und Türen schließen!
[stank]
G|Der Gestank ist echt nicht auszuhalten, alle Fenster zu und trotzdem riecht man es
G|Hab Kopfschmerzen und Halskratzen seit der Rauch hier ist
GV|Meine Tochter muss ständig husten, ist das gefährlich?
G*2|Es stinkt furchtbar
G|Die Kinder klagen über Kopfschmerzen und Übelkeit
G|Mir brennen die Augen, obwohl wir im Wohnwagen sind
G|Es riecht nach verbranntem Plastik, ekelhaft 🤢
GV|Mein Mann hat Atemprobleme, wohin können wir uns wenden?
[asbest_gerucht]
R|Ein Nachbar auf dem Platz sagt, da war Asbest im Dach. Wir lassen die Kinder drin
RV|Stimmt es, dass Asbest freigesetzt wurde?
R|Auf dem Campingplatz heißt es, das Dach war voller Asbest
RVH|Sind die schwarzen Flocken Asbest? Die Kinder haben damit gespielt
[asbest_wantrouwen]
K>1621|Kein Asbest? Das glaube ich erst, wenn ich die Messwerte sehe
[asbest_opgelucht]
E>1621|Zum Glück kein Asbest, danke für die Info
[water_zwemmen]
VH|Können wir die Duschen auf dem Campingplatz noch benutzen?
VH*2|Kann man das Leitungswasser noch trinken?
VH*2|Dürfen die Kinder noch im See baden?
[huisdieren]
VH|Können wir mit dem Hund noch raus?
[kritiek_info]
K|Wir haben alles nur aus der Facebook-Gruppe erfahren. Vom Park kam nichts
K|Ein bisschen mehr Info auf Deutsch wäre schön, hier sind hunderte Deutsche
K|Keine Informationen auf Deutsch, obwohl hier so viele deutsche Gäste sind
K>1432|Die Warnung kam viel zu spät
K|Vom Campingplatz hat uns niemand informiert
[kritiek_retorisch]
K|Warum sagt uns eigentlich niemand was??
[kritiek_bedrijf]
K|Wie kann so ein Lager direkt neben einem Campingplatz erlaubt sein?
[emotie]
E|Die Kleinen weinen die ganze Zeit, so ein Urlaub
E|Das ist echt beängstigend so nah dran
E|Die Kinder haben furchtbare Angst
E|So ein Albtraum im Urlaub 😢
E|Ich habe echt Angst
[medeleven]
M|Respekt an die Feuerwehr bei dieser Hitze 🙏
M|Danke an die Feuerwehr! 🙏
M|Großen Respekt an alle Einsatzkräfte
[hulp]
P|Wir fahren heute Abend zurück nach Münster und haben noch zwei Plätze frei
PV|Wer kann uns abholen? Wir sind ohne Auto auf dem Campingplatz
P|Wir haben Platz für eine Familie, bitte melden
PV|Gibt es eine Notunterkunft für Camper?
[all_clear]
H>2036|Endlich dürfen die Fenster wieder auf
[noise_weer]
N|Heute ist es echt heiß, 31 Grad ☀️
N<1400|Bester Campingurlaub ever 🏕️
N|Die Marke hat echt die besten Schuhe
"""

POOL_PL = r"""
[waarneming]
W|Wszędzie straż pożarna i policja, droga zamknięta
W|Widać ogromny czarny dym nad strefą przemysłową
W|Słyszałem głośny wybuch koło magazynu
[blijven_of_weg]
VH|Czy możemy wyjść na zewnątrz z dziećmi?
VH|Pracujemy na polu obok, czy mamy przerwać pracę?
VH|Czy musimy zamknąć okna?
VH|Czy jest bezpiecznie zostać w domu w {plaats}?
VH|Mieszkamy w kontenerach przy polu, czy mamy się ewakuować?
[handelen_opvolging]
H|Okna i drzwi zamknięte, siedzimy w domu
[stank]
G|Pieką mnie oczy, nawet w środku czuć dym
G|Strasznie śmierdzi dymem, boli mnie głowa
G|Dzieci kaszlą od tego dymu
[asbest_gerucht]
RV|Czy to prawda, że był tam azbest?
[water_zwemmen]
VH*2|Czy woda z kranu jest bezpieczna?
[kritiek_info]
K|Dlaczego nie ma żadnych informacji po polsku?
K|Nikt nas nie poinformował, dowiedzieliśmy się z Facebooka
[emotie]
E|Boję się, dzieci płaczą
[medeleven]
M|Dziękujemy strażakom!
[hulp]
PV|Potrzebujemy transportu, jesteśmy bez samochodu
"""

POOL_TR = r"""
[waarneming]
W|Sanayi bölgesinin üstünde kocaman siyah duman var
[blijven_of_weg]
VH|Camları kapatalım mı, dışarı çıkmak tehlikeli mi?
VH*2|Yangın nerede? Evde kalmalı mıyız?
VH|Pencereleri kapatmamız gerekiyor mu?
VH|Çocuklar dışarıda oynayabilir mi?
[handelen_opvolging]
H|Pencereleri ve kapıları kapattık, evdeyiz
[stank]
G|Her yer duman kokuyor, çocuklar öksürüyor
G|Koku çok kötü, başım ağrıyor
G|Gözlerim yanıyor, nefes almak zor
[asbest_gerucht]
RV|Asbest olduğu doğru mu?
[water_zwemmen]
VH|Bahçedeki sebzeleri yiyebilir miyiz?
VH|Musluk suyu içilebilir mi?
[kritiek_info]
K|Türkçe bilgi yok, ne yapacağımızı bilmiyoruz
K|Kimse bize bir şey söylemedi, her şeyi Facebook'tan öğrendik
[emotie]
E|Allah korusun, çok kötü bir yangın
E|Çok korkuyoruz, çocuklar ağlıyor
[medeleven]
M|İtfaiyecilere çok teşekkürler 🙏
M|Allah kolaylık versin, geçmiş olsun Heidewijk
[hulp]
P|Yardıma ihtiyacı olan varsa evimiz açık
"""

POOL_AR = r"""
[waarneming]
W|سمعنا انفجارا قويا قرب المستودع
W|دخان أسود كثيف فوق المنطقة الصناعية
[blijven_of_weg]
VH|هل يمكن للأطفال اللعب في الخارج؟
VH*2|هل يجب أن نغلق النوافذ؟
VH|هل يجب أن نبقى في البيت أم نغادر؟
VH|هل الوضع آمن في هايدفيك؟
[handelen_opvolging]
H|أغلقنا النوافذ والأبواب وأطفأنا التهوية
[stank]
G|عيوني تحرقني من الدخان
G|الرائحة قوية جدا والأطفال يسعلون
G|أشعر بصداع وغثيان بسبب الدخان
[asbest_gerucht]
RV|هل صحيح أن هناك أسبستوس في الدخان؟
[water_zwemmen]
VH|هل يمكن أن نأكل الخضار من الحديقة؟
VH|هل مياه الصنبور آمنة للشرب؟
[kritiek_info]
K|لم يخبرنا أحد بأي شيء، عرفنا من فيسبوك
[emotie]
E|الله يستر، الدخان في كل مكان
E|نحن خائفون جدا
[medeleven]
M|شكرا لرجال الإطفاء 🙏
[hulp]
P|من يحتاج مكانا للنوم يمكنه التواصل معنا
"""

POOLS_RAW = {"nl": POOL_NL, "en": POOL_EN, "de": POOL_DE,
             "pl": POOL_PL, "tr": POOL_TR, "ar": POOL_AR}

CHAIN_ASBEST = (
    "LET OP!!! Via iemand bij de brandweer: bij de brand in Heidewijk is ASBEST vrijgekomen. "
    "Houd ramen dicht, raak de zwarte stukjes NIET aan en laat kinderen binnen. "
    "De gemeente zegt niks dus deel dit!!!"
)
CHAIN_ASBEST_PREFIXES = ["", "", "", "Gekregen van een vriendin: ", "Niet zelf gecheckt maar voor de zekerheid:\n",
                         "Doorgestuurd:\n", "Dit gaat rond in de appgroep van de camping 👇\n",
                         "Weet iemand of dit klopt?? ", "⚠️⚠️ "]
CHAIN_HULP = (
    "DELEN AUB: opvang in sporthal De Ruif in Bremhorst voor iedereen uit Oosterzand en van "
    "vakantiepark Het Zandven. Koffie, thee en slaapplekken. Vragen? Bel {tel}"
)

# ---------------------------------------------------------------------------
# Volume: piecewise-linear rates (messages per minute) per scenario.
# ---------------------------------------------------------------------------
RATES = {
    "waarneming": [("13:09", 0), ("13:11", 1.2), ("13:20", 7), ("13:35", 10), ("14:00", 6),
                   ("14:30", 3), ("15:30", 1.6), ("17:00", 0.8), ("19:00", 0.4), ("21:30", 0.2)],
    "blijven_of_weg": [("13:14", 0), ("13:25", 2.8), ("13:40", 6.0), ("14:05", 7.2),
                       ("14:10", 1.2), ("14:30", 0.35), ("15:30", 0.3), ("17:00", 0.2),
                       ("21:30", 0.08)],
    "ramen_hoelang": [("14:06", 0), ("14:15", 0.2), ("14:45", 0.2), ("16:00", 0.2),
                      ("18:00", 0.15), ("20:35", 0.1), ("20:40", 0)],
    "handelen_opvolging": [("14:05", 0), ("14:09", 4), ("14:25", 4.5), ("14:35", 5.5),
                           ("15:00", 2.5), ("16:00", 1.0), ("18:00", 0.4), ("20:35", 0.2),
                           ("20:36", 0)],
    "stank": [("13:34", 0), ("13:50", 2), ("14:20", 6), ("15:30", 6), ("16:30", 4),
              ("18:00", 2), ("20:00", 0.8), ("21:30", 0.3)],
    "asbest_gerucht": [("14:37", 0), ("14:45", 1.5), ("15:15", 4.5), ("16:00", 5.5),
                       ("16:20", 5.5), ("16:25", 2.4), ("16:35", 1.0), ("17:20", 0.45),
                       ("19:00", 0.2), ("21:30", 0.08)],
    "asbest_wantrouwen": [("16:21", 0), ("16:30", 1.0), ("17:00", 0.7), ("18:00", 0.25),
                          ("21:30", 0.08)],
    "asbest_opgelucht": [("16:21", 0), ("16:26", 1.8), ("16:45", 0.9), ("17:30", 0.3),
                         ("19:00", 0.05), ("21:30", 0)],
    "water_zwemmen": [("15:00", 0), ("15:30", 1.6), ("16:00", 1.9), ("17:04", 1.9),
                      ("17:15", 0.6), ("18:00", 0.3), ("21:30", 0.1)],
    "huisdieren": [("13:30", 0), ("13:50", 0.6), ("14:08", 0.5), ("14:20", 0.15), ("18:00", 0.15),
                   ("21:30", 0.05)],
    "kritiek_info": [("13:45", 0), ("14:10", 1.5), ("14:33", 3.8), ("15:30", 3),
                     ("17:00", 2), ("19:00", 1), ("21:30", 0.5)],
    "kritiek_retorisch": [("13:55", 0), ("14:30", 1.0), ("16:00", 1.2), ("18:00", 0.6),
                          ("21:30", 0.2)],
    "kritiek_bedrijf": [("14:15", 0), ("15:00", 0.9), ("15:40", 1.0), ("15:45", 2.6),
                        ("16:30", 1.5), ("18:00", 1.1), ("21:30", 0.5)],
    "emotie": [("13:15", 0.3), ("14:00", 3), ("15:30", 3), ("17:00", 2), ("19:00", 1),
               ("21:30", 0.5)],
    "medeleven": [("13:40", 0), ("14:30", 1), ("16:00", 1.4), ("18:00", 1.4), ("19:40", 1.2),
                  ("19:45", 2.4), ("20:35", 1.5), ("20:40", 3), ("21:30", 1)],
    "hulp": [("14:05", 0), ("14:40", 1.4), ("15:30", 2), ("17:00", 1.4), ("19:00", 0.5),
             ("21:30", 0.2)],
    "all_clear": [("19:40", 0), ("19:42", 1.2), ("20:00", 0.5), ("20:35", 0.3), ("20:37", 4.5),
                  ("21:00", 2), ("21:30", 0.8)],
    "noise_merk": [("13:10", 0.22), ("21:30", 0.22)],
    "noise_rookworst": [("13:10", 0.15), ("21:30", 0.15)],
    "noise_voetbal": [("13:10", 0.06), ("18:30", 0.1), ("20:30", 0.35), ("21:30", 0.3)],
    "noise_vuurwerk": [("13:10", 0.05), ("21:30", 0.12)],
    "noise_maagzuur": [("13:10", 0.1), ("21:30", 0.1)],
    "noise_weer": [("13:10", 0.35), ("16:00", 0.2), ("21:30", 0.15)],
    "noise_reclame": [("13:10", 0.12), ("21:30", 0.12)],
    "noise_roken": [("13:10", 0.08), ("21:30", 0.08)],
    "noise_overig": [("13:10", 0.15), ("21:30", 0.15)],
}

VOLUME_SCALE = 0.7  # all citizen rates above are multiplied by this
BASE_LANG_MIX = {"nl": 0.87, "en": 0.055, "de": 0.05, "pl": 0.009, "tr": 0.008, "ar": 0.007}
CAMPER_LANG_MIX = {"nl": 0.78, "en": 0.095, "de": 0.095, "pl": 0.011, "tr": 0.01, "ar": 0.009}
CAMPER_SCENARIOS = {"blijven_of_weg", "stank", "water_zwemmen", "waarneming", "kritiek_info",
                    "handelen_opvolging", "ramen_hoelang"}

PLATFORM_MIX = {
    "nl": {"Twitter": 0.33, "Facebook": 0.30, "Instagram": 0.08, "Reddit": 0.04,
           "TikTok": 0.11, "Nieuwssite": 0.14},
    "en": {"Twitter": 0.30, "Facebook": 0.17, "Instagram": 0.20, "Reddit": 0.23,
           "TikTok": 0.10, "Nieuwssite": 0.0},
    "de": {"Twitter": 0.20, "Facebook": 0.36, "Instagram": 0.26, "Reddit": 0.03,
           "TikTok": 0.15, "Nieuwssite": 0.0},
    "other": {"Twitter": 0.08, "Facebook": 0.62, "Instagram": 0.10, "Reddit": 0.0,
              "TikTok": 0.20, "Nieuwssite": 0.0},
}
# scenario tilts per platform (multiplicative)
PLATFORM_TILT = {
    "Nieuwssite": {"kritiek_info": 2.5, "kritiek_bedrijf": 4.0, "kritiek_retorisch": 2.0,
                   "asbest_wantrouwen": 2.5, "waarneming": 0.3, "hulp": 0.3,
                   "handelen_opvolging": 0.3, "emotie": 0.5},
    "TikTok": {"waarneming": 2.0, "emotie": 2.0, "medeleven": 1.5, "kritiek_bedrijf": 0.3,
               "hulp": 0.3, "water_zwemmen": 0.5},
    "Instagram": {"waarneming": 1.8, "medeleven": 1.8, "kritiek_bedrijf": 0.3},
    "Facebook": {"hulp": 2.0, "huisdieren": 2.0, "blijven_of_weg": 1.2, "water_zwemmen": 1.3},
    "Reddit": {"kritiek_bedrijf": 1.5, "asbest_gerucht": 1.2, "hulp": 0.3},
}
# share of non-repost messages that are replies/comments
REPLY_SHARE = {"Twitter": 0.35, "Facebook": 0.72, "Instagram": 0.85, "Reddit": 0.9,
               "TikTok": 0.95, "Nieuwssite": 1.0}

# ---------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------
NL_FIRST = ("Kees Jan Piet Marieke Anouk Sanne Lisa Bram Daan Sem Lotte Femke Joost Henk Ria "
            "Ans Gerrit Wim Inge Esther Sandra Mark Dennis Kim Linda Marco Jeroen Bas Tim "
            "Noor Emma Julia Sophie Fleur Thijs Ruben Niels Rick Erik Monique Petra Hans Jos "
            "Harm Hennie Gert Willemijn Annelies Yvonne Ilse Wendy Roel Stijn Koen Maarten "
            "Jolanda Karin Hanneke Sjoerd Jesse Milan Luuk Tess Iris Evi Bianca Rob Arjan").split()
NL_LAST = ("de Vries|Jansen|van Dijk|Bakker|Visser|Smit|Meijer|de Boer|Mulder|de Groot|Bos|"
           "Vos|Peters|Hendriks|van Leeuwen|Dekker|Brouwer|de Wit|Dijkstra|Smits|de Graaf|"
           "van der Meer|van der Linden|Kok|Jacobs|de Haan|Vermeulen|van den Berg|van der Heijden|"
           "Schouten|van Beek|Willems|van Vliet|Hoekstra|Maas|Verhoeven|Koster|Prins|Blom|"
           "Huisman|Peeters|de Jong|Kuipers|Veenstra|Post|Kuiper|Wolters|Hofman|Scholten|"
           "ter Horst|Hulshof|Nijhuis|Lubbers|Oosterhuis|Brinkman|Wessels|Rouwenhorst").split("|")
DE_FIRST = "Lukas Anna Jonas Lena Felix Laura Tobias Sarah Stefan Julia Michael Katrin Jens Sabine Max Mia".split()
DE_LAST = "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Hoffmann Schäfer Koch Richter".split()
EN_FIRST = "James Emily Tom Sophie Oliver Chloe Jack Hannah Dan Rachel Mike Laura Ben Katie".split()
EN_LAST = "Smith Jones Taylor Brown Wilson Evans Walker Wright Hughes Clarke Hall Green".split()
PL_FIRST = "Piotr Anna Tomasz Katarzyna Marcin Agnieszka Paweł Magda Krzysztof Ewa".split()
PL_LAST = "Nowak Kowalski Wiśniewski Wójcik Kamiński Lewandowska Zieliński Szymańska".split()
TR_FIRST = "Mehmet Ayşe Mustafa Fatma Emre Zeynep Burak Elif Hakan Esra".split()
TR_LAST = "Yılmaz Kaya Demir Şahin Çelik Yıldız Aydın Öztürk Arslan Doğan".split()
AR_FIRST = "Mohamed Fatima Ahmed Amina Youssef Nadia Omar Samira Karim Leila".split()
AR_LAST = "El Amrani|Haddad|Bakkali|Mansour|Aziz|Saleh|Khalil|Nasser".split("|")
NAMES = {"nl": (NL_FIRST, NL_LAST), "de": (DE_FIRST, DE_LAST), "en": (EN_FIRST, EN_LAST),
         "pl": (PL_FIRST, PL_LAST), "tr": (TR_FIRST, TR_LAST), "ar": (AR_FIRST, AR_LAST)}
HANDLE_WORDS = ["heidewijk", "veluwe", "oosterzand", "bremhorst", "hw", "zandven", "nl", "xx",
                "official", "fan", "mama", "papa", "jr", "thuis", "op_de_fiets", "vakantie"]
NICK_HANDLES = ["bezorgde_burger", "HeidewijkerInHart", "campingfan", "VeluweJongen",
                "moeder_van_drie", "oosterzander", "kritische_kiezer", "fietsmeisje",
                "HeideHenk", "tractorboy", "zonnetje", "weerfreak", "nieuwsjunkie", "buurtapp",
                "mantelzorger", "koffieleut", "Brabo_op_vakantie", "limburgse_in_de_tent",
                "grunneger_op_pad", "hondenmens", "scoutingleider", "hardloopmama"]
REDDIT_ADJ = ["Tiny", "Grumpy", "Silent", "Dutch", "Lazy", "Brave", "Clever", "Happy", "Odd",
              "Random", "Sleepy", "Curious", "Wild", "Gentle"]
REDDIT_NOUN = ["Pangolin", "Herring", "Windmill", "Stroopwafel", "Bicycle", "Heron", "Tulip",
               "Badger", "Otter", "Fox", "Dike", "Kettle", "Pancake", "Goose"]
NEWS_NICKS = ["Bezorgde bewoner", "Oosterzander", "Jan K.", "M. de Vries", "Realist",
              "Kees uit Oosterzand", "Boos en bezorgd", "HW-er", "Nuchtere Veluwenaar",
              "Een moeder", "Oud-Heidewijker", "Campinggast", "R. Jansen", "Lezer", "Gerda",
              "Henk B.", "Anoniem", "Bewoner Bremhorst", "Wim vd B.", "Ans"]

PLACES = {
    "plaats": ["Heidewijk", "Heidewijk", "Oosterzand", "Oosterzand", "Bremhorst"],
    "park": ["het Zandven", "vakantiepark Het Zandven", "de camping", "Zandven", "het park"],
    "terrein": ["De Vlonder", "industrieterrein De Vlonder", "het industrieterrein", "de Vlonder"],
    "bedrijf": ["Polyvast", "Polyvast Opslag", "dat plasticbedrijf", "Polyvast"],
    "stad": ["Apeldoorn", "Deventer", "Zwolle", "Zutphen", "Epe", "Amersfoort"],
}
PHONES = ["06-12345678", "06 12345678", "0612345678", "06-98765432", "+31 6 11223344",
          "06-1234 5678", "055-5551234", "0031612312312", "06 - 87654321"]
MAIL_DOMAINS = ["voorbeeld.nl", "example.com", "example.nl", "mail.example"]
NEWS_PATHS = ["nieuws/2026/07/11/grote-brand-heidewijk", "liveblog/brand-heidewijk",
              "nieuws/2026/07/11/rook-oosterzand-ramen-dicht", "nieuws/123456",
              "nieuws/2026/07/11/asbest-metingen-heidewijk"]

EMOJI = {
    "W": "🔥 😳 📸 💥 😮 🚒 😱".split(), "G": "😷 🤢 🤮 😣 😖 😵".split(),
    "R": "⚠️ 😳 😱 ❗ 🤔".split(), "K": "😡 🤬 🙄 👎 🤦‍♀️ 🤦‍♂️".split(),
    "E": "😢 😭 😰 😱 💔 😥".split(), "M": "🙏 ❤️ 💪 🚒 👏 ❤️‍🩹".split(),
    "P": "🙏 ❤️ 🏠 🚗".split(), "V": "🤔 😬 ❓ 🙏".split(), "H": "🏠 🪟 😷 👍".split(),
    "N": "😂 🔥 ☀️ 😅 👌".split(),
}
OPENERS_NL = {
    "V": ["Hoi allemaal, ", "Vraagje: ", "Ff een vraag: ", "Hallo, ", "Serieuze vraag: ",
          "Sorry als het al gevraagd is, maar ", "Goedemiddag, "],
    "W": ["Update: ", "Net gezien: ", "Jeetje. ", "Wow. ", "Zo. ", "Hier ook: "],
    "G": ["Pff. ", "Bah. ", "Jakkie. ", "Nou, "],
    "K": ["Sorry hoor, maar ", "Eerlijk gezegd: ", "Even serieus. ", "Ongelooflijk. ", "Tja. "],
    "E": ["Pfff. ", "Echt. ", "Jeetje. "],
    "R": ["Weet niet of het klopt, maar ", "Hoor net: ", "Via via: ",
          "Geen idee of het waar is, maar "],
    "P": ["Delen aub! ", "Voor wie het nodig heeft: ", "Hulp: "],
}
CLOSERS_NL = {
    "V": [(" Iemand?", ""), (" Alvast bedankt", ""), (" Thx", ""), (" Weet iemand dit?", "")],
    "G": [(" Iemand anders ook?", ""), (" Niet normaal meer", ""), (" Bah", "")],
    "K": [(" Schandalig.", ""), (" Dit kan echt niet.", ""), (" Echt triest.", "")],
    "E": [(" Wat een dag.", ""), (" Hou je veilig allemaal.", "M")],
    "R": [(" Kan iemand dit bevestigen?", "V"), (" Klopt dit?", "V"), (" Deel dit!", "")],
    "W": [(" Heftig.", ""), (" Wat is daar aan de hand?", "V")],
    "M": [(" Jullie zijn toppers!", "")],
}
INFORMAL = [(r"\beven\b", "ff", 0.6), (r"\bniet\b", "nie", 0.25), (r"\binderdaad\b", "idd", 0.8),
            (r"\bhet\b", "'t", 0.15), (r"\ber\b", "dr", 0.3), (r"\bzo'n\b", "zon", 0.4),
            (r"\bmisschien\b", "mss", 0.5), (r"\bnatuurlijk\b", "tuurlijk", 0.4),
            (r"\bmijn\b", "mn", 0.3), (r"\bik weet het niet\b", "geen idee", 0.8)]
GROUP_ORDER = "RKGPVHWEMN"  # first letter in this order that a message has decides its style


@dataclass
class Line:
    """One hand-written base message."""

    cats: str
    platforms: str
    after: datetime | None
    before: datetime | None
    weight: int
    text: str


@dataclass
class Msg:
    """One generated message (row of the export plus its truth labels)."""

    time: datetime
    platform: str
    author: str
    text: str
    kind: str  # post / reactie / repost
    lang: str
    cats: str
    scenario: str
    url: str = ""
    msg_id: str = ""
    official: str = ""  # key of an authority post
    extra: dict = field(default_factory=dict)


LINE_RE = re.compile(r"^([A-Z]+)(?:@([a-z]+))?(?:>(\d{4}))?(?:<(\d{4}))?(?:\*(\d+))?\|(.*)$")


def parse_pools() -> dict[str, dict[str, list[Line]]]:
    """Parse the hand-written pools into {scenario: {lang: [Line]}}."""
    pools: dict[str, dict[str, list[Line]]] = {}
    for lang, raw in POOLS_RAW.items():
        section = None
        for row in raw.strip().splitlines():
            row = row.strip()
            if not row:
                continue
            if row.startswith("[") and row.endswith("]"):
                section = row[1:-1]
                continue
            m = LINE_RE.match(row)
            if not m or section is None:
                raise ValueError(f"bad pool line: {row!r}")
            cats, plats, after, before, weight, text = m.groups()

            def hhmm(v):
                return at(f"{v[:2]}:{v[2:]}") if v else None

            pools.setdefault(section, {}).setdefault(lang, []).append(
                Line(cats, plats or "", hhmm(after), hhmm(before), int(weight or 1),
                     text.replace("\\n", "\n")))
    return pools


def rate_at(points: list[tuple[str, float]], t: datetime) -> float:
    """Linear interpolation of a rate curve; zero outside it."""
    pts = [(at(p), r) for p, r in points]
    if t < pts[0][0] or t > pts[-1][0]:
        return 0.0
    for (t0, r0), (t1, r1) in zip(pts, pts[1:], strict=False):
        if t0 <= t <= t1:
            span = (t1 - t0).total_seconds()
            return r0 if span == 0 else r0 + (r1 - r0) * (t - t0).total_seconds() / span
    return pts[-1][1]


def poisson(rng: random.Random, lam: float) -> int:
    """Draw from a Poisson distribution (Knuth for small means)."""
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def wchoice(rng: random.Random, weights: dict[str, float]) -> str:
    """Choose a key proportionally to its weight (dict order is deterministic)."""
    keys = [k for k, w in weights.items() if w > 0]
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


class Authors:
    """Heavy-tailed authors: a few heavy posters, some returning people, most post once."""

    HEAVY = {"nl": 9, "en": 2, "de": 2, "other": 1}  # heavy posters per platform

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.pools: dict[tuple[str, str], list[str]] = {}
        self.heavy: dict[tuple[str, str], list[str]] = {}
        self.used: set[str] = set()

    def pick(self, platform: str, lang: str) -> str:
        """Return an author: a heavy poster, a returning author or a new one."""
        group = lang if lang in ("nl", "en", "de") else "other"
        key = (platform, lang)
        pool = self.pools.setdefault(key, [])
        if key not in self.heavy:
            self.heavy[key] = [self.new_name(platform, lang) for _ in range(self.HEAVY[group])]
        r = self.rng.random()
        if r < 0.09:  # Zipf-like weights over the heavy posters
            heavy = self.heavy[key]
            return self.rng.choices(heavy, weights=[1 / (i + 1) ** 0.8 for i in range(len(heavy))])[0]
        if pool and r < 0.09 + 0.2:
            return self.rng.choice(pool)
        name = self.new_name(platform, lang)
        pool.append(name)
        return name

    def new_name(self, platform: str, lang: str) -> str:
        """Make a new, unused, fictional account name for the platform."""
        rng = self.rng
        for _ in range(1000):
            first, last = (rng.choice(x) for x in NAMES.get(lang, NAMES["nl"]))
            slug = slugify(last).replace(".", "")
            first_slug = slugify(first).replace(".", "")
            if platform == "Facebook":
                name = f"{first} {last}"
                if rng.random() < 0.15:
                    name = f"{first} {last[0]}."
            elif platform == "Nieuwssite":
                name = rng.choice(NEWS_NICKS) if rng.random() < 0.5 else f"{first} {last[0]}."
            elif platform == "Reddit":
                name = f"{rng.choice(REDDIT_ADJ)}_{rng.choice(REDDIT_NOUN)}_{rng.randint(10, 9999)}"
                if rng.random() < 0.3:
                    name = rng.choice([f"{first.lower()}{rng.randint(80, 99)}",
                                       f"throwaway_{rng.choice(HANDLE_WORDS)}",
                                       rng.choice(NICK_HANDLES)])
            else:
                style = rng.random()
                if style < 0.25:
                    h = f"{first_slug}_{rng.choice(HANDLE_WORDS)}"
                elif style < 0.45:
                    h = f"{first_slug}{rng.randint(70, 99) if rng.random() < .5 else rng.randint(1, 2009)}"
                elif style < 0.65:
                    h = f"{first_slug[0]}{slug}"
                elif style < 0.8:
                    h = f"{first_slug.capitalize()}{slug.capitalize()}"
                elif style < 0.9:
                    h = f"{rng.choice(NICK_HANDLES)}{rng.randint(1, 99)}"
                else:
                    h = f"{first_slug}.{slug}"
                h = re.sub(r"[^A-Za-z0-9_.]", "", h)
                if len(h) > 15:  # platform limit: people pick something shorter
                    h = f"{first_slug[:10]}{rng.randint(1, 999)}"
                if platform == "Twitter":
                    h = h.replace(".", "_")
                name = h if platform == "Instagram" else f"@{h}"
            if name not in self.used and name not in OFFICIAL_NAMES:
                self.used.add(name)
                return name
        raise RuntimeError("ran out of names")


OFFICIAL_NAMES = {a for _, a, _, _ in OFFICIAL_ACCOUNTS}

# ---------------------------------------------------------------------------
# Text perturbation
# ---------------------------------------------------------------------------
PROTECT_RE = re.compile(r"(https?://\S+|\S+@\S+|@\w+|#\w+|\+?\d[\d \-]{6,}\d)")


def typo(rng: random.Random, text: str) -> str:
    """Introduce one typing error in a word that is not a link, handle, number or address."""
    parts = PROTECT_RE.split(text)
    idx = [i for i, p in enumerate(parts) if i % 2 == 0 and re.search(r"[a-zà-ÿ]{4,}", p)]
    if not idx:
        return text
    i = rng.choice(idx)
    words = list(re.finditer(r"[a-zà-ÿ]{4,}", parts[i]))
    w = rng.choice(words)
    s = w.group(0)
    j = rng.randrange(1, len(s) - 1)
    kind = rng.random()
    if kind < 0.4:
        s2 = s[:j] + s[j + 1:]  # drop
    elif kind < 0.7:
        s2 = s[:j] + s[j] + s[j:]  # double
    else:
        s2 = s[:j - 1] + s[j] + s[j - 1] + s[j + 1:]  # swap
    parts[i] = parts[i][:w.start()] + s2 + parts[i][w.end():]
    return "".join(parts)


def hashtags(rng: random.Random, group: str, lang: str, t: datetime) -> list[str]:
    """Return hashtags that fit the message."""
    if lang == "en":
        tags = ["#fire", "#Netherlands", "#Heidewijk"]
    elif lang == "de":
        tags = ["#Brand", "#Niederlande", "#Heidewijk"]
    else:
        tags = ["#brand", "#Heidewijk", "#Heidewijk", "#rookwolk", "#Oosterzand", "#Zandven"]
        if t >= at("14:31"):
            tags += ["#NLAlert", "#NLAlert"]
        if group == "R":
            tags += ["#asbest", "#asbest"]
        if group == "M":
            tags += ["#brandweer", "#respect"]
        if group == "W":
            tags += ["#112", "#brandweer"]
        if group == "G":
            tags += ["#stank"]
    k = 1 if rng.random() < 0.7 else 2
    out = []
    for tag in rng.sample(tags, min(k, len(tags))):
        if tag not in out:
            out.append(tag)
    return out


def perturb(rng: random.Random, text: str, cats: str, lang: str, platform: str,
            t: datetime) -> tuple[str, str]:
    """Return the text with light, seeded variation, plus any categories it gained."""
    group = next((g for g in GROUP_ORDER if g in cats), "N")
    extra = ""
    social = platform in ("Twitter", "TikTok", "Instagram", "Facebook")
    if lang == "nl" and group != "N":
        if rng.random() < 0.09 and group in OPENERS_NL and not (group == "P" and "V" in cats):
            op = rng.choice(OPENERS_NL[group])
            if op.endswith(" ") and not op.endswith(": ") and not op.endswith(". ") \
                    and not op.endswith("! ") and not text[:2].isupper():
                text = text[0].lower() + text[1:]
            text = op + text
        if rng.random() < 0.08 and group in CLOSERS_NL:
            cl, gained = rng.choice(CLOSERS_NL[group])
            if text.endswith(("?", "!")) or text.endswith(EMOJI_ALL):
                text = text + cl
            else:
                text = text.rstrip(".") + "." + cl
            extra += gained
        if social and rng.random() < 0.3:
            for pat, rep, p in INFORMAL:
                if rng.random() < p:
                    text = re.sub(pat, rep, text, count=1)
    n_typos = 0
    p_typo = 0.07 if platform in ("Nieuwssite", "Reddit") else 0.18
    if lang != "nl":
        p_typo = 0.06
    while rng.random() < p_typo and n_typos < 2:
        text = typo(rng, text)
        n_typos += 1
    r = rng.random()
    if social and r < 0.08 and lang not in ("ar",):
        text = text.lower()
    elif social and r < 0.3 and text[:1].isupper() and not text[:2].isupper():
        text = text[0].lower() + text[1:]
    if rng.random() < 0.35 and text.endswith("."):
        text = text[:-1]
    if "?" in text and rng.random() < 0.15:
        text = text.replace("?", rng.choice(["??", "???", "?!"]), 1)
    if text.endswith("!") and rng.random() < 0.2:
        text += "!!"
    if group in ("K", "E") and rng.random() < 0.02 and lang == "nl":
        text = text.upper()
    p_emoji = {"TikTok": 0.35, "Instagram": 0.4, "Twitter": 0.16, "Facebook": 0.18,
               "Reddit": 0.02, "Nieuwssite": 0.02}[platform]
    if rng.random() < p_emoji:
        em = EMOJI.get(group, EMOJI["N"])
        k = rng.choice([1, 1, 1, 2, 3])
        sep = "" if rng.random() < 0.3 else " "
        text = text + sep + "".join(rng.choice(em) for _ in range(k))
    p_tag = {"Twitter": 0.24, "Instagram": 0.45, "TikTok": 0.08}.get(platform, 0.0)
    if group != "N" and rng.random() < p_tag:
        text = text + " " + " ".join(hashtags(rng, group, lang, t))
    return text, extra


EMOJI_ALL = tuple(e for v in EMOJI.values() for e in v)


# ---------------------------------------------------------------------------
# IDs and URLs
# ---------------------------------------------------------------------------
def b36(n: int) -> str:
    """Base-36 encoding (reddit ids)."""
    chars = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while n:
        n, r = divmod(n, 36)
        out = chars[r] + out
    return out or "0"


def slugify(s: str) -> str:
    """URL slug of a display name."""
    s = s.lower()
    for a, b in (("ä", "a"), ("ö", "o"), ("ü", "u"), ("ş", "s"), ("ı", "i"), ("ç", "c"),
                 ("ğ", "g"), ("ł", "l"), ("ś", "s"), ("ń", "n"), ("ż", "z"), ("ą", "a"),
                 ("ę", "e"), ("é", "e")):
        s = s.replace(a, b)
    return re.sub(r"[^a-z0-9]+", ".", s).strip(".")


class Ids:
    """Platform-like message ids and permalinks."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.seen: set[tuple[str, str]] = set()
        self.fb_parents: list[tuple[datetime, str]] = []
        self.ig_parents: list[tuple[datetime, str]] = []
        self.tt_parents: list[tuple[datetime, str, str]] = []
        self.reddit_threads: dict[str, list[tuple[datetime, str, str, str]]] = {}
        self.articles: list[tuple[datetime, str]] = []

    def _unique(self, platform: str, make) -> str:
        for _ in range(100):
            v = make()
            if (platform, v) not in self.seen:
                self.seen.add((platform, v))
                return v
        raise RuntimeError("id collision")

    def assign(self, m: Msg) -> None:
        """Give the message a source id and a permalink."""
        rng = self.rng
        if m.platform == "Twitter":
            ms = int(m.time.timestamp() * 1000) + rng.randrange(1000)
            m.msg_id = self._unique("Twitter", lambda: str(((ms - 1288834974657) << 22)
                                                           | rng.getrandbits(22)))
            m.url = f"https://x.com/{m.author.lstrip('@')}/status/{m.msg_id}"
        elif m.platform == "Facebook":
            if m.kind == "reactie":
                parents = [p for p in self.fb_parents if p[0] < m.time]
                parent = rng.choice(parents[-8:])[1] if parents else self._fb_group(m.time)
                cid = self._unique("Facebook", lambda: str(rng.randrange(10**15, 10**16)))
                page, pid = parent.split("|")
                m.msg_id = f"{pid}_{cid}"
                m.url = f"https://www.facebook.com/{page}/posts/{pid}?comment_id={cid}"
            else:
                pid = self._unique("Facebook", lambda: str(rng.randrange(10**15, 10**16)))
                m.msg_id = pid
                if m.author in OFFICIAL_NAMES:
                    page = slugify(m.author).replace(".", "")
                    m.url = f"https://www.facebook.com/{page}/posts/{pid}"
                    self.fb_parents.append((m.time, f"{page}|{pid}"))
                elif rng.random() < 0.6:
                    m.url = f"https://www.facebook.com/groups/heidewijkcentraal/posts/{pid}"
                    self.fb_parents.append((m.time, f"groups/heidewijkcentraal|{pid}"))
                else:
                    m.url = f"https://www.facebook.com/{slugify(m.author)}/posts/{pid}"
        elif m.platform == "Instagram":
            alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
            if m.kind == "reactie":
                parents = [p for p in self.ig_parents if p[0] < m.time]
                code = rng.choice(parents[-10:])[1] if parents else self._ig_code(alphabet)
                m.msg_id = self._unique("Instagram", lambda: str(rng.randrange(17 * 10**15, 18 * 10**15)))
                m.url = f"https://www.instagram.com/p/{code}/c/{m.msg_id}/"
            else:
                code = self._ig_code(alphabet)
                m.msg_id = code
                m.url = f"https://www.instagram.com/p/{code}/"
                self.ig_parents.append((m.time, code))
        elif m.platform == "TikTok":
            base = int(m.time.timestamp()) << 32
            if m.kind == "reactie":
                parents = [p for p in self.tt_parents if p[0] < m.time]
                if parents:
                    _, vid, owner = rng.choice(parents[-6:])
                else:
                    owner, vid = "@zandven.zomer", str(base | rng.getrandbits(32))
                    self.tt_parents.append((m.time, vid, owner))
                m.msg_id = self._unique("TikTok", lambda: str(base | rng.getrandbits(32)))
                m.url = f"https://www.tiktok.com/{owner}/video/{vid}"
            else:
                m.msg_id = self._unique("TikTok", lambda: str(base | rng.getrandbits(32)))
                m.url = f"https://www.tiktok.com/{m.author}/video/{m.msg_id}"
                self.tt_parents.append((m.time, m.msg_id, m.author))
        elif m.platform == "Reddit":
            sub = "Netherlands" if m.lang != "nl" else "thenetherlands"
            threads = [p for p in self.reddit_threads.get(sub, []) if p[0] < m.time]
            if m.kind == "post" or not threads:
                pid = self._unique("Reddit", lambda: "t3_" + b36(rng.randrange(36**6, 36**7)))
                title = re.sub(r"[^a-z0-9]+", "_", m.text.lower())[:40].strip("_")
                self.reddit_threads.setdefault(sub, []).append((m.time, pid, title, sub))
                if m.kind == "post":
                    m.msg_id = pid
                    m.url = f"https://www.reddit.com/r/{sub}/comments/{pid[3:]}/{title}/"
                    return
                threads = [self.reddit_threads[sub][-1]]
            _, pid, title, sub = rng.choice(threads[-3:])
            m.msg_id = self._unique("Reddit", lambda: "t1_" + b36(rng.randrange(36**6, 36**7)))
            m.url = f"https://www.reddit.com/r/{sub}/comments/{pid[3:]}/{title}/{m.msg_id[3:]}/"
        else:  # Nieuwssite
            if m.kind == "post":
                art = self._unique("Nieuwssite", lambda: str(rng.randrange(600000, 700000)))
                m.msg_id = art
                slug = re.sub(r"[^a-z0-9]+", "-", m.text.split("\n")[0].lower()).strip("-")[:60]
                m.url = f"https://www.omroepheideland.nl/nieuws/{art}/{slug}"
                self.articles.append((m.time, m.url))
            else:
                arts = [a for a in self.articles if a[0] < m.time]
                base_url = arts[-1][1] if arts else "https://www.omroepheideland.nl/nieuws/612345/brand"
                m.msg_id = self._unique("Nieuwssite", lambda: f"c{rng.randrange(10**6, 10**7)}")
                m.url = f"{base_url}#reactie-{m.msg_id[1:]}"

    def _fb_group(self, t: datetime) -> str:
        pid = self._unique("Facebook", lambda: str(self.rng.randrange(10**15, 10**16)))
        self.fb_parents.append((t, f"groups/heidewijkcentraal|{pid}"))
        return f"groups/heidewijkcentraal|{pid}"

    def _ig_code(self, alphabet: str) -> str:
        return self._unique("Instagram", lambda: "C" + "".join(
            self.rng.choice(alphabet) for _ in range(10)))


# ---------------------------------------------------------------------------
# Generation
# ---------------------------------------------------------------------------
def fill_slots(rng: random.Random, text: str, authors: Authors) -> str:
    """Fill {slots} with places and (fake) personal data."""
    def repl(m: re.Match) -> str:
        key = m.group(1)
        if key in PLACES:
            return rng.choice(PLACES[key])
        if key == "tel":
            return rng.choice(PHONES)
        if key == "mail":
            first, last = rng.choice(NL_FIRST), rng.choice(NL_LAST)
            local = rng.choice([f"{first.lower()}.{slugify(last).replace('.', '')[0]}",
                                f"{first.lower()}{rng.randint(60, 99)}",
                                f"fam.{slugify(last).replace('.', '')}",
                                f"{first.lower()}.{slugify(last).replace('.', '')}"])
            return f"{local}@{rng.choice(MAIL_DOMAINS)}"
        if key == "url":
            if rng.random() < 0.5:
                return f"https://www.omroepheideland.nl/{rng.choice(NEWS_PATHS)}"
            return rng.choice([f"https://youtu.be/{''.join(rng.choice('abcdefghkmnpqrstuvwxyzABCDEFGH23456789') for _ in range(11))}",
                               f"https://www.instagram.com/reel/C{''.join(rng.choice('abcdefghkmnpqrstuvwxyz0123456789') for _ in range(9))}/",
                               "https://www.omroep-example.nl/nieuws/123"])
        if key == "news":
            return f"https://www.omroepheideland.nl/{rng.choice(NEWS_PATHS)}"
        if key == "shop":
            return rng.choice(["https://www.tuinshop-example.nl/deals", "https://bit.ly/3xZdeal",
                               "https://www.zandven-example.nl/lastminute"])
        if key == "user":
            return authors.pick("Twitter", "nl").lstrip("@")
        if key == "off":
            return rng.choice(["@VRVeluweOost", "@VRVeluweOost", "@GemHeidewijk"])
        return m.group(0)

    return re.sub(r"\{(\w+)\}", repl, text)


def scenario_group(scenario: str) -> str:
    """Short name of the language mix to use."""
    return "camper" if scenario in CAMPER_SCENARIOS else "base"


def pick_platform(rng: random.Random, lang: str, scenario: str, line: Line,
                  t: datetime) -> str:
    """Choose the platform from language mix, scenario tilt and line affinity."""
    news_open = t >= at("13:30")  # the first article (comments need one) is up at 13:29
    if line.platforms and rng.random() < 0.85:
        plat = PLATFORM_LETTERS[rng.choice(line.platforms)]
        if plat != "Nieuwssite" or news_open:
            return plat
    mix = dict(PLATFORM_MIX.get(lang, PLATFORM_MIX["other"]))
    if not news_open:
        mix["Nieuwssite"] = 0.0
    for plat in mix:
        mix[plat] *= PLATFORM_TILT.get(plat, {}).get(scenario, 1.0)
    if scenario.startswith("noise"):
        mix["Nieuwssite"] = 0.0
    return wchoice(rng, mix)


def generate(seed: int = SEED) -> tuple[list[Msg], list[dict]]:
    """Generate all messages (sorted) and the moment list."""
    rng = random.Random(seed)
    pools = parse_pools()
    authors = Authors(rng)
    msgs: list[Msg] = []

    # -- authority and media posts at fixed times
    official_msgs: dict[str, Msg] = {}
    for key, hms, plat, acc, _channel, kind, text in AUTHORITY_POSTS:
        h, mi, s = (int(x) for x in hms.split(":"))
        m = Msg(datetime(*DAY, h, mi, s, tzinfo=TZ), plat, acc, text, kind, "nl", "O",
                f"officieel_{key}", official=key)
        msgs.append(m)
        official_msgs[key] = m
    for key, hms, acc in AUTHORITY_RETWEETS:
        h, mi, s = (int(x) for x in hms.split(":"))
        src = official_msgs[key]
        msgs.append(Msg(datetime(*DAY, h, mi, s, tzinfo=TZ), "Twitter", acc,
                        f"RT {src.author}: {src.text}", "repost", "nl", "O", f"officieel_{key}",
                        extra={"src": src}))
    for hms, plat, acc, text in MEDIA_POSTS:
        h, mi, s = (int(x) for x in hms.split(":"))
        msgs.append(Msg(datetime(*DAY, h, mi, s, tzinfo=TZ), plat, acc, fill_slots(rng, text, authors),
                        "post", "nl", "O", "media"))

    # -- citizens: inhomogeneous Poisson per minute and scenario, with a shared burst factor
    log_f = 0.0
    minutes = int((END - START).total_seconds() // 60)
    for i in range(minutes):
        t0 = START + timedelta(minutes=i)
        log_f = 0.75 * log_f + rng.gauss(0, 0.16)
        factor = math.exp(log_f)
        for scenario, points in RATES.items():
            lam = rate_at(points, t0 + timedelta(seconds=30)) * factor * VOLUME_SCALE
            if scenario.startswith("noise"):
                lam = rate_at(points, t0)
            for _ in range(poisson(rng, lam)):
                t = t0 + timedelta(seconds=rng.randrange(60))
                m = citizen_message(rng, pools, authors, scenario, t)
                if m:
                    msgs.append(m)

    # -- a TikTok video of the fire goes viral: a burst of comments under it
    viral = Msg(at("13:48", 12), "TikTok", "@zandven.zomer",
                "dit zien we vanaf onze camping 😳🔥 #heidewijk #brand #fyp", "post", "nl", "W",
                "waarneming")
    msgs.append(viral)
    for _ in range(70):
        t = viral.time + timedelta(seconds=int(rng.expovariate(1 / 900)) + 20)
        if t >= END:
            continue
        scen = rng.choice(["waarneming", "emotie", "emotie", "stank", "waarneming"])
        m = citizen_message(rng, pools, authors, scen, t, force_platform="TikTok")
        if m:
            m.kind = "reactie"
            m.extra["parent"] = viral
            msgs.append(m)

    # -- chain messages (near-duplicate bursts)
    for _ in range(82):
        t = at("15:04") + timedelta(seconds=int(rng.triangular(0, 2900, 700)))
        plat = wchoice(rng, {"Facebook": 0.7, "Twitter": 0.15, "Instagram": 0.08, "TikTok": 0.07})
        text = rng.choice(CHAIN_ASBEST_PREFIXES) + CHAIN_ASBEST
        if rng.random() < 0.25:
            text = typo(rng, text)
        if rng.random() < 0.2:
            text = text.replace("!!!", "!!", 1)
        if rng.random() < 0.15:
            text = text.replace("Heidewijk", "Oosterzand")
        cats = "RHK" if "?" not in text else "RHKV"
        msgs.append(Msg(t, plat, authors.pick(plat, "nl"), text, "post", "nl", cats,
                        "asbest_gerucht"))
    tel = rng.choice(PHONES)
    for _ in range(38):
        t = at("15:10") + timedelta(seconds=int(rng.triangular(0, 5400, 900)))
        plat = wchoice(rng, {"Facebook": 0.8, "Twitter": 0.12, "Instagram": 0.08})
        text = CHAIN_HULP.format(tel=tel)
        if rng.random() < 0.3:
            text = rng.choice(["Delen!! ", "👇👇 ", "Voor wie het nodig heeft:\n"]) + text
        msgs.append(Msg(t, plat, authors.pick(plat, "nl"), text, "post", "nl", "P", "hulp"))

    # -- reposts (retweets and Facebook shares) spawned by originals
    reposts: list[Msg] = []
    official_boost = {"eerste_melding": 45, "ramen_dicht": 80, "nl_alert": 65, "geen_asbest": 60,
                      "water": 30, "brand_meester": 45, "opvang": 30, "onder_controle": 25,
                      "ramen_dicht_fb": 40, "geen_asbest_fb": 35, "eerste_melding_fb": 20,
                      "brand_meester_fb": 15, "brandweer_grip1": 20, "politie_afzetting": 10}
    for m in msgs:
        if m.kind != "post" or m.platform not in ("Twitter", "Facebook"):
            continue
        if m.official:
            n = poisson(rng, official_boost.get(m.official, 10))
            mean_delay = 600
        elif m.scenario == "media":
            n = poisson(rng, 8)
            mean_delay = 700
        else:
            p = {"W": 0.22, "R": 0.2, "K": 0.12, "P": 0.25, "H": 0.12, "V": 0.03}.get(m.cats[0], 0.06)
            n = 0
            if rng.random() < p:
                n = min(1 + int(rng.expovariate(1 / 2.2)), 25)
            mean_delay = 420
        for _ in range(n):
            t = m.time + timedelta(seconds=int(rng.expovariate(1 / mean_delay)) + 15)
            if t >= END:
                continue
            # once the correction is out, most people stop sharing the rumour
            if "R" in m.cats and t > official_msgs["geen_asbest"].time and rng.random() < 0.6:
                continue
            lang = m.lang if m.lang != "nl" or rng.random() < 0.97 else rng.choice(["en", "de"])
            author = authors.pick(m.platform, lang)
            if author == m.author:
                continue
            text = f"RT {m.author}: {m.text}" if m.platform == "Twitter" else m.text
            scen = "repost_officieel" if m.official else m.scenario
            reposts.append(Msg(t, m.platform, author, text, "repost", m.lang, m.cats, scen,
                               extra={"src": m}))
    msgs.extend(reposts)

    msgs = [m for m in msgs if START <= m.time < END]
    # stable order; ids depend on it, so sort before assigning
    msgs.sort(key=lambda m: (m.time, m.platform, m.author, m.text))
    ids = Ids(rng)
    for m in msgs:
        if m.kind == "reactie" and m.platform == "TikTok" and "parent" in m.extra:
            parent = m.extra["parent"]
            base = int(m.time.timestamp()) << 32
            m.msg_id = ids._unique("TikTok", lambda b=base: str(b | rng.getrandbits(32)))
            m.url = f"https://www.tiktok.com/{parent.author}/video/{parent.msg_id}"
            continue
        ids.assign(m)
    msgs.sort(key=lambda m: (m.time, m.platform, m.msg_id))

    moments = []
    channels = {k: ch for k, _, _, _, ch, _, _ in AUTHORITY_POSTS}
    for key, m in official_msgs.items():
        moments.append({"time": m.time.isoformat(), "channel": channels[key], "key": key,
                        "text": m.text, "id": m.msg_id, "bron": m.platform, "account": m.author})
    for hms, channel, text in OFFLINE_MOMENTS:
        h, mi, s = (int(x) for x in hms.split(":"))
        moments.append({"time": datetime(*DAY, h, mi, s, tzinfo=TZ).isoformat(),
                        "channel": channel, "key": channel, "text": text, "id": None,
                        "bron": None, "account": None})
    moments.sort(key=lambda d: d["time"])
    return msgs, moments


def citizen_message(rng: random.Random, pools, authors: Authors, scenario: str, t: datetime,
                    force_platform: str | None = None) -> Msg | None:
    """Make one citizen message of a scenario at time t (None if nothing fits)."""
    by_lang = pools.get(scenario)
    if not by_lang:
        return None
    mix = CAMPER_LANG_MIX if scenario_group(scenario) == "camper" else BASE_LANG_MIX
    if scenario.startswith("noise"):
        mix = {"nl": 0.86, "en": 0.08, "de": 0.06}
    mix = {k: v for k, v in mix.items() if k in by_lang}
    for _ in range(5):
        lang = wchoice(rng, mix)
        lines = [ln for ln in by_lang[lang]
                 if (ln.after is None or t >= ln.after) and (ln.before is None or t < ln.before)]
        if lines:
            break
    else:
        return None
    line = rng.choices(lines, weights=[ln.weight for ln in lines])[0]
    text, cats = line.text, line.cats
    # now and then two short messages of the same kind in one post
    if lang == "nl" and len(text) < 60 and cats[0] in "WGEHM" and rng.random() < 0.06:
        other = rng.choice(lines)
        if other is not line and len(other.text) < 70 and other.cats[0] in "WGEHM":
            text = text.rstrip(".") + (". " if text[-1:].isalnum() else " ") + other.text
            cats += other.cats
    platform = force_platform or pick_platform(rng, lang, scenario, line, t)
    text = fill_slots(rng, text, authors)
    text, gained = perturb(rng, text, cats, lang, platform, t)
    cats += gained
    kind = "reactie" if rng.random() < REPLY_SHARE[platform] else "post"
    if platform == "Twitter" and kind == "reactie" and not text.startswith("@"):
        if t > at("13:39") and cats[0] in "VKR" and rng.random() < 0.6:
            target = rng.choice(["@VRVeluweOost", "@VRVeluweOost", "@GemHeidewijk",
                                 "@OmroepHeideland"])
        else:
            target = authors.pick("Twitter", lang)
        text = f"{target} {text}"
    elif platform in ("Facebook", "Instagram") and kind == "reactie" and rng.random() < 0.06:
        if platform == "Facebook":  # a tagged friend: a full name, no account of its own here
            first, last = (rng.choice(x) for x in NAMES.get(lang, NAMES["nl"]))
            text = f"{first} {last} {text}"
        else:
            text = f"@{authors.pick(platform, lang)} {text}"
    author = authors.pick(platform, lang)
    return Msg(t, platform, author, text, kind, lang, cats, scenario)


def cat_codes(letters: str) -> str:
    """Turn category letters into ';'-separated codes in canonical order."""
    codes = {CAT_LETTERS[c] for c in letters}
    return ";".join(c for c in CAT_ORDER if c in codes)


def local_str(t: datetime) -> str:
    """DD-MM-YYYY HH:MM:SS local time (as Dutch exports write it)."""
    return t.strftime("%d-%m-%Y %H:%M:%S")


def write_all(out_dir: Path, seed: int = SEED) -> dict[str, Path]:
    """Generate and write the four files into out_dir; return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    msgs, moments = generate(seed)
    paths = {
        "csv": out_dir / "demo_incident.csv",
        "truth": out_dir / "demo_truth.csv",
        "json": out_dir / "demo_incident.json",
        "accounts": out_dir / "official_accounts.csv",
    }
    with open(paths["csv"], "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh, delimiter=";", quoting=csv.QUOTE_MINIMAL)
        w.writerow(["ID", "Datum", "Bron", "Auteur", "Bericht", "URL", "Berichttype"])
        for m in msgs:
            w.writerow([m.msg_id, local_str(m.time), m.platform, m.author, m.text, m.url, m.kind])
    with open(paths["truth"], "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["ID", "Bron", "language", "categories", "scenario"])
        for m in msgs:
            w.writerow([m.msg_id, m.platform, m.lang, cat_codes(m.cats), m.scenario])
    with open(paths["accounts"], "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["platform", "account", "name", "kind"])
        w.writerows(OFFICIAL_ACCOUNTS)
    meta = {
        "name": INCIDENT_NAME,
        "synthetic": True,
        "description": (
            "SYNTHETISCHE demo. Op zaterdag 11 juli 2026 breekt rond 13.05 uur brand uit in een "
            "opslagloods voor kunststoffen van Polyvast Opslag op industrieterrein De Vlonder "
            "in de (fictieve) gemeente Heidewijk. De rook trekt over het dorp Oosterzand en "
            "over vakantiepark Het Zandven, waar Nederlandse, Duitse en Engelse gasten "
            "verblijven. Inwoners en campinggasten melden rook en stank, vragen of ze moeten "
            "blijven of vertrekken, klagen over misselijkheid en hoofdpijn; er ontstaat een "
            "gerucht over asbest en er is kritiek op de late informatie. Alle plaatsen, "
            "organisaties, personen en berichten zijn verzonnen."
        ),
        "keywords": ["brand", "rook", "rookwolk", "stank", "asbest", "knal", "ramen dicht",
                     "NL-Alert", "Heidewijk", "Oosterzand", "Bremhorst", "De Vlonder",
                     "Vlonder", "Zandven", "Polyvast", "brandweer", "fire", "smoke",
                     "Brand", "Rauch"],
        "purpose": (
            "Zicht krijgen op de informatiebehoefte, schadebeperking, betekenisgeving en "
            "geruchten bij inwoners en campinggasten tijdens de brand op De Vlonder, zodat de "
            "crisiscommunicatie (handelingsperspectief, feiten, duiding) kan worden bijgestuurd. "
            "Geen monitoring van individuele personen."
        ),
        "legal_basis": (
            "Wet veiligheidsregio's art. 7 / taak crisiscommunicatie "
            "(publieke taak, AVG art. 6 lid 1 sub e)"
        ),
        "responsible_officer": "OVD-Communicatie, Veiligheidsregio Veluwe-Oost",
        "start": START.isoformat(),
        "end": END.isoformat(),
        "timezone": "Europe/Amsterdam",
        "retention_days": 90,
        "seed": seed,
        "moments": moments,
    }
    with open(paths["json"], "w", encoding="utf-8", newline="\n") as fh:
        json.dump(meta, fh, ensure_ascii=False, indent=2)
        fh.write("\n")
    return paths


def main(argv: list[str] | None = None) -> None:
    """Command line: write the demo files."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out-dir", type=Path, default=DATA_DIR)
    ap.add_argument("--seed", type=int, default=SEED)
    args = ap.parse_args(argv)
    paths = write_all(args.out_dir, args.seed)
    for p in paths.values():
        print(p)


if __name__ == "__main__":
    main()

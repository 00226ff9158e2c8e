# ruff: noqa: E501  (word lists: one long line per group reads better than wrapped fragments)
r"""Word lists and patterns behind the rule-based classifier (see docs/CLASSIFIER.md).

Every entry is a fragment in RE2 syntax (the regex engine of pyarrow), matched
against lower-cased text. Conventions, applied by `pipeline.analysis.classify` when it
compiles the fragments:

- a fragment must start at a word start (`^` or a non-letter/digit before it),
  unless it begins with `~` (then it may occur inside a word, e.g. compounds);
- a trailing `\\b` means "word ends here" (Unicode-aware, unlike RE2's own `\\b`);
- a plain space matches any run of whitespace.

Without an end marker a fragment is a prefix: `evacu` matches evacuatie,
evacueren, evacuation. Lexicons are grouped by language; `any` holds
language-neutral signs (emoji) and is always applied.
"""

from __future__ import annotations

# --- category lexicons ---------------------------------------------------------
WAARNEMING = {
    "nl": (
        r"(?:ik|we|wij|hier) (?:zie|zag|zien|zagen|ruik|ruiken|roken|voel|voelde|voelden)\b",
        r"(?:ik|we|wij|hier) (?:hoor|hoorde|horen|hoorden) (?:\S+ ){0,2}(?:knal|klap|sirene|explosie|helikopter|gegil|geschreeuw|brandweer|politie|ambulance|alarm|geluid|schoten)",
        r"(?:ik|we|wij) (?:kan|kunnen|konden|kon) (?:het |de |die )?(?:zien|horen|ruiken|voelen)",
        r"(?:zwarte|dikke|gele|witte|grijze) (?:rook|wolk|walm)",
        r"(?:de|een|die|enorme|grote|zwarte|dikke|immense|gigantische|flinke|hele|wat een) (?:\S+ )?rook(?:wolk|pluim|kolom|ontwikkeling)", r"vlammen\b", r"vlammenzee", r"vuurzee", r"vuurgloed", r"lichterlaaie", r"vuurbal",
        r"(?:harde|enorme|flinke|grote|zware|twee|drie) (?:knal|knallen|klap|explosie|explosies|dreun|ontploffing)",
        r"knal gehoord", r"klap gehoord", r"ontploffing gehoord", r"explosie gehoord",
        r"(?:ramen|huis|muren|grond) (?:trilde|trilden|schudde|schudden)", r"ramen rinkelden",
        r"regent (?:het )?as\b", r"as ?(?:deeltjes|regen)", r"roetdeeltjes", r"roet op",
        r"overal (?:rook|as|roet|politie|brandweer)", r"sirenes gehoord", r"helikopter(?:s)? boven",
        r"(?:veel|allemaal|overal) (?:politie|brandweer|ambulances|hulpdiensten|zwaailichten)",
        r"(?:zichtbaar|te zien|te ruiken|te horen) (?:vanaf|vanuit|in|bij|tot)",
        r"vanaf (?:de a\d+|mijn|ons|onze|het balkon|de snelweg|de dijk|hier)", r"bij ons (?:in de straat|op|in|achter|voor)",
        r"hier (?:op de|in de|in|bij de|op)\b.{0,40}(?:rook|as|stinkt|stank|knal|brand|vlammen|politie|brandweer)",
        r"net (?:langs|voorbij) gereden", r"ik sta (?:hier|er)", r"staat in brand", r"(?:zo|net|zojuist) gezien",
        r"eigen foto", r"filmpje van",
        # perception without an explicit subject ("zie hier…", "hoorde net…"), photo/video cues, vantage points
        r"(?:zie|zag|zien) (?:hier|net|nu|ook|overal|de|een|het|duidelijk|vanaf|vanuit|boven)\b", r"(?:hoorde|hoor) (?:net|nu|hier|zojuist) (?:\S+ ){0,3}(?:knal|klap|knallen|sirene|explosie|geknal|glas)",
        r"(?:ruik|ruiken|rook) (?:hier|het|nu|duidelijk|je|overal)\b", r"sta (?:hier|op het|op de|bij de|aan de)\b",
        r"vanuit (?:de|het|mijn|m'n|ons|onze)\b", r"vanaf (?:de|het|onze|ons)\b", r"boven (?:ons|onze|de wijk|het dorp|de stad|het terrein)\b",
        r"kijk (?:dit|die|dat|eens|nou|hoe)\b", r"(?:foto|filmpje|video|beelden) (?:van|gemaakt|genomen|vanaf|vanuit)\b", r"gefilmd", r"~[📸🎥📹]",
        r"(?:rook|rookwolk|vlammen|wolk) (?:trekt|trekken|slaat|slaan|hangt|hangen|komt|komen|gaat|stijgt) ",
        r"(?:as|roet|snippers|stukjes) (?:ligt|liggen|dwarrelt|dwarrelen|valt|vallen|regent)\b", r"(?:regent|dwarrelt|sneeuwt) (?:het )?(?:hier )?(?:\S+ )?(?:as|roet|snippers)",
        r"(?:auto|tuin|straat|terras|balkon|vensterbank|wasgoed)\S* (?:ligt|liggen|zit|zitten|staat|staan) (?:helemaal )?(?:vol|onder)\b",
        r"(?:water|het water) staat (?:tot|al|in|op)\b", r"(?:staat|staan) (?:\S+ ){0,2}onder water", r"buiten (?:haar|zijn) oevers", r"ingestort",
        r"(?:alles|het) is hier (?:\S+ )?(?:donker|zwart|grijs|oranje)", r"(?:hele|heel de) (?:wijk|straat|buurt|dorp) (?:zonder stroom|is donker|in het donker|ligt plat)",
        r"zwaailichten", r"glasgerinkel", r"(?:net|zojuist|nu) (?:\S+ ){0,3}(?:voorbij|langs) (?:zien )?(?:komen|gekomen|rijden|gereden|razen)",
        r"(?:gooien|gooit) (?:ze |men )?(?:met )?(?:stenen|vuurwerk|flessen)", r"(?:auto|bus|container|bushokje)s? (?:staat|staan) in brand",
    ),
    "en": (
        r"i (?:see|saw|smell|smelled|felt|can see|can smell|just saw)\b",
        r"i (?:hear|heard|can hear|just heard) (?:\S+ ){0,2}(?:bang|boom|explosion|blast|siren|helicopter|shots|gunshots|screaming|alarm)",
        r"we (?:see|saw|felt|can see|just felt)\b", r"(?:huge|loud|massive|big) (?:bang|boom|explosion|blast)",
        r"black smoke", r"smoke (?:plume|cloud|billowing)", r"flames\b", r"on fire\b",
        r"from my (?:window|house|balcony|office|car|porch|yard)", r"outside my (?:window|house|door)",
        r"near my (?:house|home|place)", r"in my (?:street|neighbou?rhood|backyard)", r"my house (?:shook|was shaking)",
        r"felt (?:the|it|that|an?) (?:quake|earthquake|shaking|tremor|blast)", r"water is rising",
        r"(?:sirens|helicopters?) (?:everywhere|overhead)", r"just (?:saw|witnessed)",
        r"(?:can|could) (?:see|smell|hear) (?:the|it|smoke|flames|fire)", r"from (?:our|the) (?:tent|caravan|campsite|hotel|window|balcony|car|train)",
        r"(?:right )?(?:over|above) (?:us|our)\b", r"(?:smoke|ash) (?:is )?(?:drifting|falling|everywhere|all over)", r"(?:burning|on fire) (?:on|in|at) (?:the|our|my)\b",
        r"huge (?:black )?(?:cloud|plume|fire|flames|smoke)", r"(?:police|firefighters|fire trucks) everywhere",
    ),
    "de": (
        r"ich (?:sehe|sah|höre|hörte|rieche|roch|spüre|spürte)\b", r"wir (?:sehen|sahen|hören|hörten|riechen)\b",
        r"(?:schwarzer|dicker) rauch", r"rauchwolke", r"rauchsäule", r"flammen\b",
        r"(?:lauter|großer|heftiger) (?:knall|explosion)", r"bei uns (?:in der|im|auf|am)",
        r"von meinem (?:fenster|balkon|haus)",
        r"wir sehen\b", r"sehe (?:ich|hier|die|den|eine|einen)\b", r"überall (?:asche|rauch|polizei)", r"von unserem (?:wohnwagen|zelt|balkon|haus|zimmer)",
        r"riesige (?:schwarze )?(?:wolke|rauchwolke|flammen)", r"asche (?:auf|überall|fällt)",
    ),
    "fr": (r"je vois\b", r"j'ai vu\b", r"j'entends\b", r"fumée noire", r"grosse explosion"),
    "pl": (r"widzę\b", r"widać\b", r"słyszałem wybuch", r"czarny dym", r"duży (?:czarny )?dym"),
    "tr": (r"gördüm\b", r"görüyorum\b", r"duydum\b", r"siyah duman", r"büyük patlama", r"duman var\b"),
    "ar": (r"~شاهدت", r"~أرى ", r"~سمعت انفجار", r"~دخان أسود", r"~دخانا أسود"),
}

HANDELEN = {
    "nl": (
        r"binnen (?:te )?blijven", r"blijf(?:t)? binnen", r"binnenblijven", r"binnen houden", r"(?:in huis|thuis) blijven",
        r"ramen en deuren", r"deuren en ramen", r"ramen (?:dicht|sluiten|gesloten)", r"deuren (?:dicht|sluiten|gesloten)",
        r"(?:ramen|deuren) (?:moeten|mogen|kunnen) (?:weer )?(?:dicht|open)",
        r"ventilatie", r"mechanische ventilatie", r"afzuigkap", r"airco (?:uit|dicht)",
        r"evacu", r"ontruim", r"opvanglocatie", r"verzamelplaats",
        r"moeten we (?:hier )?weg", r"(?:moet|mag|kan) ik (?:hier )?(?:weg|blijven|naar buiten|naar huis|terug)",
        r"mogen we (?:weer )?(?:naar buiten|naar huis|terug|blijven)", r"weg of blijven", r"blijven of weg",
        r"naar buiten (?:gaan|mogen|kunnen)", r"niet naar buiten", r"terug naar huis",
        r"drinkwater", r"leidingwater", r"kraanwater", r"water (?:uit de kraan|drinken|koken|afkoken)", r"niet drinken",
        r"school\b", r"scholen\b", r"kinderopvang", r"kinderen ophalen", r"kids ophalen",
        r"huisdier", r"hond (?:uitlaten|binnen)", r"katten? binnen", r"(?:was|wasgoed) (?:binnen|ophalen|buiten)",
        r"groente(?:n)? (?:uit de|eten|wassen)", r"moestuin", r"niet eten\b",
        r"(?:mijd|vermijd|mijden|vermijden) (?:het|de) ", r"uit de buurt (?:blijven|houden)", r"blijf uit de buurt",
        r"niet (?:naar|in) de buurt", r"omrijden", r"(?:weg|wegen|snelweg|a\d+|tunnel|brug) (?:is |zijn )?(?:afgesloten|dicht)",
        r"afzetting", r"rampenzender", r"radio aan", r"zet (?:de )?radio",
        r"(?:wat|hoe) (?:moeten|moet|kunnen|kan) (?:we|ik|je|jullie|u) (?:doen|handelen)", r"wat te doen",
        r"advies (?:is|van|aan|:)", r"adviseert", r"dringend advies", r"instructies", r"(?:mond)?kapje", r"mondmasker",
        r"schuilen", r"in veiligheid (?:brengen|gebracht)", r"slachtoffers? opvangen",
        # actions people report or advise (closing up, leaving, keeping children/pets in, water, clean-up)
        r"(?:doe|doen|deden|heb|hebben|had|hadden) (?:\S+ ){0,3}(?:ramen|deuren|alles|luiken) (?:\S+ )?(?:dicht|gesloten|open)",
        r"alles (?:zit |is |weer )?(?:dicht|potdicht)\b", r"ventilatie (?:\S+ )?(?:uit|aan|dicht)\b", r"(?:wtw|warmtepomp|afzuiging|luchtbehandeling)",
        r"(?:gaan|gingen|zijn|vertrekken|vertrokken) (?:\S+ ){0,3}(?:maar )?(?:weg|vertrokken|naar (?:huis|mijn|onze|de|familie))\b", r"weggegaan", r"vertrekken\b",
        r"(?:in|op) (?:de |het |ons )?(?:caravan|tent|huis|chalet|camping) blijven", r"naar huis (?:rijden|gaan)",
        r"(?:binnen|thuis)(?:ge)?houden", r"(?:kippen|dieren|paarden|hond|honden|kat|katten|huisdieren) (?:\S+ )?(?:binnen|naar binnen|uitlaten|ophalen|weg)\b",
        r"buiten (?:spelen|zijn|sporten|hardlopen|zitten)", r"zwemmen", r"zwemwater", r"regenton", r"(?:water|het water) (?:\S+ )?koken", r"kookadvies",
        r"niet (?:aanraken|opvegen|zelf opruimen)", r"(?:groente|sla|fruit) (?:\S+ )?(?:wassen|eten)", r"zandzak", r"meterkast", r"vriezer", r"stofzuigen",
        r"(?:centrum|gebied|terrein|buurt) (?:mijden|vermijden)", r"(?:mijd|vermijd|mijden|vermijden)\b", r"om(?:ge)?reden", r"blijf (?:weg|uit)\b",
        r"ga(?:at)? (?:naar )?binnen\b", r"naar binnen (?:gaan|gehaald|halen)", r"sporthal", r"veilig (?:om|voor) ",
    ),
    "en": (
        r"stay (?:inside|indoors|home|away|safe inside)", r"shelter in place", r"shelter-in-place",
        r"close (?:your |all |the )?(?:windows|doors)", r"windows and doors", r"doors and windows",
        r"turn off (?:the |your )?(?:ventilation|air ?con|ac|hvac|air conditioning)", r"evacuat",
        r"leave (?:the area|your home|your house|now)", r"avoid the area", r"avoid (?:the )?(?:road|route|highway)",
        r"boil water", r"boil-water", r"(?:do not|don't) drink", r"tap water", r"drinking water",
        r"schools? (?:closed|closure|are closed|cancel)", r"pick up (?:the |your )?kids", r"pets\b",
        r"roads? (?:closed|closure)", r"closures?\b", r"detour", r"listen to (?:the )?radio", r"tune in",
        r"safety tips", r"be careful", r"caution", r"warning\b", r"warned\b", r"advisory", r"advised\b",
        r"precaution", r"be prepared", r"sandbag", r"higher ground", r"take cover", r"seek shelter", r"what should (?:we|i) do",
        r"watch out", r"please avoid", r"wear (?:a )?mask",
        r"(?:should|must|can|do) (?:we|i) (?:leave|stay|go|evacuate|close|drink|swim|open)", r"(?:are|is) (?:we|it|the \S+) (?:still )?safe",
        r"safe to\b", r"we (?:left|packed|closed|are staying)", r"(?:close|closed|shut) (?:the |our |all )?(?:windows|doors)",
    ),
    "de": (
        r"drinnen bleiben", r"im haus bleiben", r"zu hause bleiben", r"fenster und türen", r"türen und fenster",
        r"fenster (?:schließen|geschlossen|zu)", r"lüftung", r"klimaanlage", r"evaku", r"räumung", r"gebiet (?:meiden|verlassen)",
        r"meiden sie", r"leitungswasser", r"trinkwasser", r"nicht trinken", r"schulen? (?:geschlossen|fällt aus)",
        r"kinder abholen", r"haustiere", r"warnung", r"warn-app", r"katwarn", r"nina-app", r"verlassen\b",
        r"(?:müssen|sollen|dürfen) wir (?:raus|weg|bleiben|drinnen)", r"was sollen wir tun", r"vorsicht",
        r"(?:müssen|sollen|dürfen|können) wir\b", r"zugemacht", r"fenster zu(?:machen)?\b", r"nach hause fahren",
    ),
    "fr": (r"évacu", r"restez (?:chez vous|à l'intérieur|confinés)", r"fermez (?:les |vos )?fenêtres", r"confinement",
           r"eau du robinet", r"évitez (?:le secteur|la zone)"),
    "pl": (r"ewakuac", r"zostań(?:cie)? w domu", r"zamkn\S* okna", r"unikaj(?:cie)? okolicy", r"ostrzeżenie", r"czy (?:możemy|mogę|trzeba|musimy|powinniśmy)", r"bezpieczn"),
    "tr": (r"tahliye", r"evde kal", r"evden çıkmayın", r"pencere", r"kapatmamız", r"uyarı\b", r"dikkat\b", r"güvenli mi"),
    "ar": (r"~إخلاء", r"~ابقوا في", r"~أغلقوا النوافذ", r"~النوافذ", r"~تحذير", r"~احذروا", r"~هل يجب"),
}

GEZONDHEID = {
    "nl": (
        r"stank", r"~stank", r"stinkt", r"stinken", r"stonk", r"ruikt (?:naar|vies|raar|chemisch|sterk|heel)",
        r"(?:vieze|rare|chemische|zure|scherpe|branderige) (?:lucht|geur)", r"brandlucht", r"brandgeur", r"(?:lucht|geur) is vies",
        r"misselijk", r"hoofdpijn", r"benauwd", r"prikkende ogen", r"(?:ogen|keel) (?:prikken|prikt|branden|brandt|tranen)",
        r"tranende ogen", r"branderige ogen", r"keelpijn", r"geprikkeld", r"irritatie",
        r"hoest", r"kortademig", r"ademhalingsproblemen", r"moeilijk (?:ademen|adem)", r"overgeven", r"overgegeven",
        r"duizelig", r"astma", r"longen\b", r"vergiftig", r"giftige? (?:rook|stoffen|wolk|dampen|gassen)", r"~gifwolk",
        r"schadelijk voor (?:de )?gezondheid", r"gezondheidsklachten", r"klachten\b", r"symptomen", r"gewond",
        r"ziekenhuis", r"huisarts", r"ehbo",
        r"luchtwegen", r"inhaler", r"puffer", r"(?:keel|ogen|huid) (?:\S+ )?(?:rauw|rood|branden|brandt|prikt|prikken|jeuk)", r"branderige keel",
        r"kriebelhoest", r"uitslag\b", r"(?:buikpijn|keelpijn|oogklachten|brandwonden)", r"traangas", r"adem(?:nood|halen)",
    ),
    "en": (
        r"smell", r"stink", r"stench", r"odou?r", r"fumes\b", r"nause", r"headache", r"short of breath", r"shortness of breath",
        r"trouble breathing", r"breathing (?:problems|difficult)", r"difficulty breathing", r"cough", r"vomit", r"throwing up",
        r"dizzy", r"asthma", r"eyes (?:burn|sting|water|itch)", r"burning eyes", r"sore throat", r"injur", r"wounded",
        r"hospital", r"toxic", r"health (?:risk|hazard|concern|warning)", r"air quality", r"casualt", r"dead\b", r"killed\b",
        r"death toll",
    ),
    "de": (
        r"gestank", r"stinkt", r"riecht (?:nach|komisch|chemisch)", r"übel\b", r"übelkeit", r"kopfschmerz", r"atemnot",
        r"atembeschwerden", r"husten", r"erbrechen", r"schwindel", r"augen (?:brennen|tränen)", r"reizung", r"verletzt",
        r"krankenhaus", r"gesundheit", r"giftig",
    ),
    "fr": (r"odeur", r"nausée", r"mal de tête", r"toux\b", r"blessé", r"hôpital", r"toxique"),
    "pl": (r"smród", r"śmierdzi", r"nudności", r"ból głowy", r"kaszel", r"rann[iy]\b", r"szpital", r"duszno"),
    "tr": (r"koku\b", r"kokuyor", r"bulantı", r"baş ağrısı", r"öksürük", r"yaralı", r"hastane", r"zehirli"),
    "ar": (r"~رائحة", r"~غثيان", r"~صداع", r"~سعال", r"~ضيق تنفس", r"~مستشفى", r"~جرحى", r"~إصابات"),
}

HULP = {
    "nl": (
        r"opvang\b", r"opvangen\b", r"onderdak", r"slaapplek", r"logeerplek", r"logeren\b",
        r"(?:wij|we|ik) (?:hebben|heb) (?:nog )?(?:plek|ruimte|een bed|bedden|een logeerbed|een slaapplek|een kamer)",
        r"(?:kan|kunnen|mag|mogen) (?:bij ons|bij mij|hier) (?:terecht|slapen|logeren|blijven)", r"welkom bij (?:ons|mij)",
        r"(?:bied|bieden|biedt) (?:hulp|onderdak|opvang|een slaapplek|aan)", r"hulp (?:nodig|aangeboden|bieden|gezocht|gevraagd)",
        r"(?:help|helpt) (?:ons|mee|me|mij)\b", r"wie kan (?:ons|me|mij|helpen|ophalen|brengen|rijden)", r"ophalen\?",
        r"lift nodig", r"vervoer nodig", r"inzamel", r"doneer", r"donatie", r"giro\b", r"geld (?:inzamelen|doneren|storten)",
        r"vrijwilliger", r"spullen (?:nodig|brengen|inzamelen)", r"dekens", r"voedselbank", r"kan ik (?:ergens )?helpen",
        r"kan ik iets doen", r"vermist\b", r"vermiste", r"wie heeft .{0,30}gezien",
        r"logeerbed", r"slaapplaats", r"(?:bied|bieden|biedt) .{0,30}aan\b", r"te leen", r"(?:vangt|vangen) .{0,40}op\b", r"(?:is|zijn|staat|staan) open voor",
        r"wie (?:helpt|wil helpen|komt helpen)", r"helpen mee", r"meehelpen", r"(?:zoeken|zoek) (?:\S+ ){0,2}(?:vrijwilligers|mensen met|hulp)", r"aanhanger",
        r"vervoer (?:nodig|aangeboden|regelen)", r"ik rij\b", r"dm me", r"luiers", r"babyvoeding", r"aggregaat", r"(?:kleding|dekens) (?:welkom|gezocht|nodig)",
        r"weggelopen", r"(?:brengt|brengen) .{0,30}naar de opvang", r"(?:hebben|heb) (?:nog )?(?:plek|ruimte) (?:in|voor)\b",
    ),
    "en": (
        r"shelters?\b", r"donat", r"donor", r"volunteer", r"fundrais", r"relief (?:fund|effort|goods|supplies|center)",
        r"give blood", r"blood (?:drive|donation|donors)", r"help (?:needed|us|them|the victims|those affected)\b",
        r"text \w+ to \d+", r"red cross", r"need (?:help|a ride|a place|shelter|food|water)", r"offering\b",
        r"free (?:food|rooms?|meals?|place)", r"spare room", r"place to stay", r"can host", r"missing\b", r"pick (?:us|me) up",
        r"how (?:can|to) (?:i |we )?help", r"ways to help", r"supplies\b", r"raise money", r"aid\b",
        r"room available", r"anyone (?:need|needs) (?:a )?(?:ride|lift|place)", r"does anyone (?:have|ahve) a car",
    ),
    "de": (
        r"unterkunft", r"notunterkunft", r"spende", r"freiwillig", r"helfer", r"hilfe (?:benötigt|gesucht|anbieten|nötig)",
        r"wir haben platz", r"schlafplatz", r"vermisst", r"wer kann (?:uns|mich|helfen)",
        r"platz für", r"wohin können wir uns wenden",
    ),
    "fr": (r"hébergement", r"dons?\b", r"bénévole", r"besoin d'aide", r"portés? disparus?"),
    "pl": (r"schronienie", r"potrzebna pomoc", r"potrzebujemy", r"darowizn", r"wolontariusz", r"zbiórka"),
    "tr": (r"yardım", r"bağış", r"barınma", r"gönüllü", r"kayıp\b"),
    "ar": (r"~تبرع", r"~مأوى", r"~متطوع", r"~نحتاج مساعدة", r"~مفقود"),
}

EMOTIE = {
    "nl": (
        r"bang\b", r"angst", r"doodsbang", r"eng\b", r"enge\b", r"griezelig", r"schrik\b", r"geschrokken", r"schrok\b",
        r"paniek", r"bezorgd", r"ongerust", r"zorgen\b", r"onrustig", r"beangstigend", r"verschrikkelijk", r"vreselijk",
        r"afschuwelijk", r"verdriet", r"huilen", r"huil\b", r"in tranen", r"triest", r"treurig", r"kapot van",
        r"boos\b", r"woedend", r"kwaad\b", r"razend", r"woest\b", r"pissig", r"furieus", r"frustr", r"wanhopig",
        r"machteloos", r"geschokt", r"shock", r"heftig", r"(?:wat|zo|heel) erg\b", r"jeetje", r"godver", r"verdomme",
        r"kut\b", r"klote", r"tering", r"wtf\b", r"omg\b", r"zenuwachtig",
        # irritation without a target (not kritiek unless an authority, operator or the information is blamed)
        r"onzin", r"alweer\b", r"belachelijk", r"achterlijk", r"idioot", r"idioten", r"debiel", r"lachwekkend", r"absurd",
        r"gelul", r"typisch\b", r"weer eens\b", r"irritant", r"ergerlijk", r"irriteer",
    ),
    "en": (
        r"scared", r"afraid", r"fear", r"terrified", r"terrifying", r"frighten", r"panic", r"worried", r"anxious",
        r"sad\b", r"saddened", r"heartbroken", r"heartbreaking", r"devastat", r"crying", r"tears\b", r"angry", r"furious",
        r"outraged", r"pissed", r"shock", r"horrible", r"terrible", r"awful", r"horrific", r"tragic", r"omg\b",
        r"oh my god", r"wtf\b", r"fuck", r"scary",
    ),
    "de": (
        r"angst", r"ängstlich", r"fürchte", r"furchtbar", r"schrecklich", r"panik", r"sorge", r"besorgt", r"traurig",
        r"wütend", r"sauer\b", r"schockiert", r"entsetzt", r"scheiße", r"verdammt",
    ),
    "fr": (r"peur\b", r"triste", r"colère", r"choqué", r"terrifi", r"angoiss"),
    "pl": (r"strach", r"boję się", r"smutn", r"wściek", r"przeraż"),
    "tr": (r"korku", r"korkuyorum", r"üzgün", r"kızgın", r"öfke", r"çok kötü"),
    "ar": (r"~خوف", r"~حزين", r"~غضب", r"~صدمة", r"~مرعب"),
    "any": (r"~[😱😨😰😢😭😡🤬😤💔😟😧😥😩😫]",),
}

KRITIEK = {
    "nl": (
        r"niemand (?:vertelt|zegt|laat|informeert|weet|doet)", r"(?:we|wij|ik) (?:horen|hoor|weten|weet) (?:nog )?(?:niks|niets)",
        r"geen (?:enkele )?(?:informatie|info|communicatie|uitleg|bericht|waarschuwing)", r"horen (?:niks|niets)",
        r"(?:veel )?te laat\b", r"pas na (?:uren|\d+ uur|een uur|twee uur)", r"in de steek (?:gelaten|laten)",
        r"laat(?:en)? ons (?:in de steek|stikken|barsten|zitten)", r"ondermaats", r"slecht (?:geïnformeerd|georganiseerd|geregeld)",
        r"(?:slechte|gebrekkige|belabberde|trage) (?:communicatie|informatie|voorlichting|info)",
        r"communicatie (?:is|was|van|rond)?\s?.{0,20}(?:slecht|ondermaats|waardeloos|bedroevend|belabberd|abominabel|nul)",
        r"via (?:facebook|twitter|de media|het nieuws|de krant|whatsapp|de buren|insta)",
        r"schandalig", r"schande", r"schandaal", r"belachelijk (?:dat|hoe|van) (?:de |het |die |ze |jullie )?(?:\S+ ){0,2}(?:gemeente|overheid|regering|kabinet|veiligheidsregio|brandweer|politie|rivm|ggd|bedrijf|minister|burgemeester|provincie|ns|prorail|netbeheerder|liander|stedin|enexis|vitens|ze|jullie)\b", r"bedroevend", r"amateur", r"waardeloos",
        r"onverantwoord", r"nalatig", r"gefaald", r"faalt\b", r"falen\b", r"wanbeleid", r"incompetent", r"onbekwaam",
        r"prutser", r"geklungel", r"klungel", r"overtredingen", r"al (?:eerder|vaker|jaren) (?:in de fout|beboet|overtredingen|problemen|mis|gewaarschuwd)",
        r"(?:moet|moeten) (?:aftreden|opstappen|zich schamen)", r"schaam je", r"doofpot", r"verzwijg", r"verzwegen",
        r"achtergehouden", r"liegen\b", r"gelogen", r"leugens", r"onacceptabel", r"ontoelaatbaar", r"kwalijk", r"laks\b",
        r"nergens te (?:bekennen|zien)", r"(?:gemeente|burgemeester|overheid|veiligheidsregio|brandweer|politie|rivm|kabinet|regering|minister|bedrijf|provincie|ggd|rutte|de jonge) (?:doet|doen|deed|deden) (?:helemaal )?(?:niks|niets)",
        r"wie is (?:hier )?verantwoordelijk", r"verantwoordelijk (?:gesteld|houden)", r"hoe is het (?:in godsnaam )?mogelijk",
        r"wat een (?:puinhoop|zooi|schande|bende|farce|amateurs|klucht)",
        r"wanvertoning", r"te traag",
        r"slapen ze", r"zitten te slapen", r"zakkenvullers", r"boeven", r"liegt\b",
        # counterfactual blame: "had(den) … moeten/kunnen/mogen" (what should have happened)
        r"(?:had|hadden) (?:\S+ ){0,10}?(?:moeten|kunnen|mogen)\b", r"(?:had|hadden) (?:\S+ ){0,3}(?:nooit|eerder|sneller|beter)\b", r"voorkomen kunnen worden",
        # lateness
        r"(?:nu|toen) pas\b", r"pas (?:na|om|toen|nu|uren|\d|een|twee|drie|vier|vijf|anderhalf|half|'s avonds|de volgende)\b", r"(?:uren|uur|dagen) te laat",
        r"nu (?:opeens|ineens|plots)", r"eerst (?:\S+ ){0,6}(?:niks|niets|geen)\b", r"(?:kwam|komt|kwamen) (?:pas|veel te laat|te laat)", r"traag\b",
        # nobody informs / being kept in the dark
        r"niemand (?:\S+ ){0,3}(?:vertelt|vertelde|zegt|zei|informeert|laat|weet|deed|doet|die|heeft|kan ons|van de)\b",
        r"(?:horen|hoor|hoorden|hoorde|weten|weet|krijgen|kregen|krijg|kreeg|lezen|zien) (?:\S+ ){0,2}(?:helemaal |echt |nog steeds |nog )?(?:niks|niets)\b",
        r"(?:geen|niet één|niet een|geen enkel) (?:\S+ )?(?:woord|bericht|berichtje|nl-alert|sirene|brief|update|kaartje|telefoontje|reactie|antwoord)\b",
        r"(?:heb|hebben|had|hadden|kreeg|kregen|krijg|krijgen) (?:\S+ ){0,2}geen (?:\S+ )?(?:nl-alert|bericht|waarschuwing|melding|informatie|info|brief)",
        r"weet(?:en)? (?:\S+ ){0,2}van (?:niks|niets)", r"nergens (?:info|informatie|iets)", r"in het ongewisse", r"in het duister",
        r"(?:heeft|hebben|laat|laten) (?:\S+ ){0,3}niet(?:s|ks)? (?:van zich )?(?:horen|weten)\b", r"(?:zwijgt|zwijgen) ",
        # passing the buck
        r"verwijs(?:t|zen|den)? (?:\S+ ){0,3}(?:naar|door)\b", r"doorverbonden", r"kastje naar de muur", r"in de wacht\b", r"onbereikbaar",
        # distrust of official statements
        r"geloof (?:er |ik |het |je )?(?:\S+ ){0,2}(?:niks|niets|geen|niet)\b", r"vertrouw (?:ik |het |er |je )?(?:\S+ ){0,2}(?:niet|niks|niets|voor geen)",
        r"eerst zien,? dan geloven", r"laat (?:die|de|dan|maar) (?:\S+ ){0,2}(?:meetresultaten|resultaten|gegevens|metingen|cijfers|meetgegevens|bewijs)",
        r"wat ze ook zeggen", r"op (?:hun|hun blauwe) (?:woord|ogen) (?:geloven|aannemen)", r"ja ja\b", r"wie (?:\S+ )?gelooft (?:dat|dit|ze)",
        # incompetence, chaos, sarcasm
        r"slecht (?:\S+ )?(?:geregeld|georganiseerd|geïnformeerd|gecommuniceerd|voorbereid|bereikbaar)", r"amateuris", r"chao(?:s|tisch)", r"aanfluiting",
        r"onbegrijpelijk", r"ongelooflijk (?:dat|hoe)", r"dit kan (?:echt |toch |gewoon )*niet\b", r"(?:is|was) (?:toch )?niet normaal\b", r"kom op (?:zeg|nou|nu)\b",
        r"(?:niet|lang niet) genoeg\b", r"zinloos", r"nutteloos", r"(?:vage|vaag|nietszeggende) (?:\S+ )?(?:teksten|berichten|info|informatie|taal|antwoorden)",
        r"(?:al|al zo) (?:jaren|maanden|zo vaak|vaak|eerder) (?:\S+ ){0,2}(?:geklaagd|gewaarschuwd|gemeld|gezegd|aangekaart)",
        r"(?:zeg|zeggen|roep|roepen) (?:\S+ ){0,2}al (?:jaren|maanden|tijden)", r"tijdbom", r"nooit naar geluisterd", r"(?:knap|goed bezig|lekker bezig|top geregeld|mooi geregeld|goed geregeld) (?:hoor|zeg|weer)\b",
        r"(?:heel |erg )?fijn dat (?:\S+ ){0,6}(?:pas|om \d|toen|nu)\b", r"bedankt voor niks", r"doet alsof", r"(?:staan|stond|stonden) (?:\S+ ){0,2}(?:erbij|ernaar) te kijken",
        r"ho maar\b", r"mooie woorden", r"(?:zijn|hebben) ze (?:\S+ ){0,2}(?:niks|niets) (?:van )?geleerd",
        # demands, permits and enforcement
        r"aansprakelijk", r"vergunning", r"handhaving", r"handhaven ho", r"toezicht (?:\S+ ){0,3}(?:faalt|tekort|ontbreekt|nul)", r"omgevingsdienst",
        r"(?:moet|moeten) (?:\S+ ){0,3}(?:verantwoorden|opheldering|rekenschap|verantwoording)", r"(?:wil|willen|eisen|eis) (?:\S+ )?(?:opheldering|antwoorden|excuses)",
        r"(?:de|die) (?:gemeente|veiligheidsregio|overheid|provincie|netbeheerder|burgemeester|ggd|brandweer|politie|waterschap|rijkswaterstaat|bedrijf|eigenaar) (?:\S+ ){0,3}(?:wist|wisten|negeerde|negeert|genegeerd|deed niks|deed niets)\b",
        r"genegeerd", r"onverschillig", r"(?:alleen|enkel|uitsluitend) (?:via|op|in het) (?:facebook|twitter|x|de website|internet|nederlands|engels)\b",
        r"niet iedereen (?:heeft|zit op|leest|kan)",
        # complaints about service and nuisance (no power, waiting, stench, no information)
        r"nog steeds (?:\S+ )?(?:geen|niet|niks|niets)\b", r"(?:al|nu al|inmiddels) (?:\S+ )?(?:uur|uren|dagen|weken|minuten) (?:\S+ ){0,3}(?:wachten|zonder|geen|niks|niets)",
        r"(?:wacht|wachten|wachtend) (?:\S+ )?(?:nu )?al (?:\S+ )?(?:uur|uren|dagen|weken|minuten|tijden|een eeuwigheid)",
        r"(?:zitten|zit|zaten) (?:\S+ ){0,3}zonder (?:stroom|water|gas|verwarming|internet|bereik|drinkwater)",
        r"overlast\b", r"stankoverlast", r"(?:niet|slecht|nauwelijks) (?:te )?bereiken\b", r"(?:niemand|geen mens|geen hond) (?:\S+ )?(?:neemt|nam) (?:\S+ )?op\b",
        r"klantenservice", r"(?:wanneer|hoelang|hoe lang) (?:\S+ ){0,3}(?:eindelijk|nou eens|nu eens)\b", r"(?:ik|we|wij) (?:\S+ ){0,2}(?:klagen|klacht)",
    ),
    "en": (
        r"(?:nobody|no one|no-one) (?:tells|told|informed|is telling|cares|did)", r"no (?:information|info|communication|warning)\b",
        r"too late\b", r"let (?:us|them|the people) down", r"disgrace", r"shameful", r"shame on", r"ridiculous",
        r"incompeten", r"failed (?:us|to)", r"failure", r"negligen", r"irresponsib", r"outrageous", r"unacceptable",
        r"cover.?up", r"lied\b", r"lying\b", r"lies\b", r"to blame", r"blame", r"should resign", r"must resign",
        r"pathetic", r"idiots?\b", r"stupid", r"clowns\b", r"corrupt", r"where (?:is|was|were) (?:the )?(?:government|mayor|police|fema|governor)",
        r"mismanag", r"criminal\b", r"accountab",
        r"(?:nobody|no one|no-one) (?:\S+ ){0,4}(?:has |have )?(?:told|tells|informed|said|warned|bothered)", r"(?:haven't|hasn't|have not|has not|weren't|wasn't) (?:been )?(?:told|informed|warned)",
        r"(?:should|could) have (?:\S+ ){0,3}(?:warned|told|informed|known|done|acted|closed|evacuated|prevented)", r"(?:hours?|an hour|way) (?:too )?late", r"only (?:came|arrived|sent)",
        r"(?:communication|information|info|response) (?:\S+ ){0,2}(?:poor|bad|terrible|lacking|useless|awful|non-existent|a joke)", r"poor (?:communication|information|response)",
        r"not great\b", r"useless", r"(?:dutch|nederlands) only", r"only in dutch", r"more (?:info|information) than the (?:authorities|council|government|officials)",
        r"(?:don't|do not|dont) (?:believe|trust)", r"passing the buck", r"nobody (?:did|does|cares)", r"absolutely (?:useless|unacceptable|shocking)", r"avoidable",
        r"(?:knew|ignored) (?:\S+ ){0,4}(?:and did nothing|for years|warnings?)", r"did nothing\b",
        r"still (?:\S+ )?(?:waiting|no|nothing|not|haven't|hasn't|without)\b", r"(?:been )?waiting (?:\S+ ){0,2}(?:\d+|an?|over|almost|hours|days)\b (?:\S+ )?(?:hours?|days?|minutes?|weeks?)",
        r"no (?:power|electricity|water|heat|internet|service|signal) (?:\S+ ){0,3}(?:for|since|still)\b", r"without (?:power|electricity|water|heat) (?:for|since)\b",
        r"customer service", r"complain", r"worst (?:service|company|response)", r"can't get through", r"(?:nobody|no one) (?:\S+ )?(?:answers|answered|picks up|picked up)",
    ),
    "de": (
        r"niemand sagt", r"keine informationen?", r"(?:viel )?zu spät", r"im stich gelassen", r"skandal", r"schande",
        r"lächerlich", r"unverantwortlich", r"versag", r"inkompetent", r"unfähig", r"vertusch", r"gelogen", r"lügen\b",
        r"rücktritt", r"zurücktreten", r"frechheit", r"unverschämt",
        r"(?:niemand|keiner) (?:\S+ ){0,3}(?:sagt|informiert|weiß|kümmert)", r"schlecht (?:organisiert|informiert|kommuniziert)", r"(?:nur|alles nur) auf niederländisch",
        r"(?:hätte|hätten) (?:\S+ ){0,8}(?:müssen|können|sollen)\b", r"glaub(?:e)? (?:ich )?(?:\S+ )?(?:kein wort|nicht|nichts)\b", r"chaos", r"chaotisch",
        r"(?:mehr|keine|kaum) (?:\S+ )?info(?:s|rmationen)? auf deutsch", r"wäre schön",
    ),
    "fr": (r"scandal", r"honte", r"inadmissible", r"irresponsable", r"trop tard", r"incompéten", r"démission"),
    "pl": (r"skandal", r"wstyd", r"hańba", r"za późno", r"nieodpowiedzialn", r"niekompetent", r"dymisj", r"nikt (?:\S+ ){0,2}nic nie", r"nikt nas nie", r"nikt nam nie"),
    "tr": (r"rezalet", r"bilgi vermiyor", r"kimse (?:\S+ ){0,2}(?:söylemiyor|bilgi)", r"skandal", r"istifa", r"beceriksiz", r"utanmaz", r"yazıklar olsun", r"ihmal", r"sorumlu",
           r"hükümet", r"iktidar", r"bakan\b"),
    "ar": (r"~لا أحد", r"~لا يخبرنا", r"~لا توجد معلومات", r"~فضيحة", r"~عار", r"~استقالة", r"~فشل", r"~إهمال", r"~تقصير", r"~فاشل", r"~المسؤولين", r"~الفساد"),
    "bg": (r"позор", r"скандал", r"оставка", r"некадърн", r"безотговорн", r"срам", r"виновн", r"правителството"),
}

MEDELEVEN = {
    "nl": (
        r"sterkte", r"gecondoleerd", r"condoleance", r"gedachten (?:gaan|zijn|bij)", r"in gedachten", r"meeleven",
        r"medeleven", r"leef mee", r"leven mee", r"respect (?:voor|aan)", r"petje af", r"hulde", r"chapeau",
        r"(?:top|goed|super|knap|geweldig) gedaan", r"knap werk", r"(?:goed|prima|top|super) werk", r"dank(?:je|jewel|jullie|baar)?\b",
        r"dank (?:u|aan|jullie|voor)", r"bedankt", r"helden\b", r"held\b", r"heldhaftig", r"pas goed op (?:jezelf|elkaar|jullie)",
        r"hopelijk (?:is|zijn|gaat|loopt) (?:iedereen|alles|het) ", r"hoop dat (?:iedereen|alles|het) ", r"beterschap",
        r"wens (?:ik )?(?:iedereen|jullie|de)", r"veel succes", r"rust zacht", r"r\.?i\.?p\b",
    ),
    "en": (
        r"thoughts (?:and|&) prayers", r"thoughts (?:are|go) (?:with|out)", r"praying", r"pray for", r"prayers", r"rip\b",
        r"rest in peace", r"condolence", r"sympath", r"stay safe", r"be safe", r"thank you", r"thanks (?:to|for)", r"grateful",
        r"heroe?s?\b", r"hats off", r"respect to", r"solidarity", r"love to", r"god bless", r"hope (?:everyone|everybody|all)",
        r"heart goes out", r"hearts go out", r"stay strong", r"\w+strong\b", r"support (?:for|to) (?:the|all|those)",
        r"in our thoughts",
    ),
    "de": (
        r"beileid", r"mitgefühl", r"gedanken sind", r"in gedanken", r"danke\b", r"vielen dank", r"helden", r"respekt",
        r"alles gute", r"gute besserung", r"bleibt gesund", r"passt auf euch auf",
    ),
    "fr": (r"condoléances", r"courage\b", r"merci\b", r"pensées", r"soutien"),
    "pl": (r"kondolencje", r"dziękuj", r"trzymajcie się", r"współczuci"),
    "tr": (r"geçmiş olsun", r"başınız sağ olsun", r"teşekkür", r"allah rahmet", r"dualar"),
    "ar": (r"~رحمه الله", r"~رحمهم الله", r"~تعازينا", r"~شكرا", r"~الله يحفظ", r"~دعواتنا"),
    "any": (r"~[🙏❤♥💪👏🧡💙💚🤍🕯]",),
}

GERUCHT = {
    "nl": (
        r"ik hoor(?:de)? (?:net |nu |ook )?(?:dat|van)\b", r"(?:heb|hebben) (?:net |ook )?gehoord", r"gehoord dat", r"hoorde dat",
        r"schijnt\b", r"schijnbaar", r"naar verluidt", r"er (?:zou|zouden)\b", r"(?:zou|zouden) (?:er|het|ook|al) ",
        r"zeggen ze\b", r"ze zeggen dat", r"men zegt", r"wordt gezegd", r"volgens (?:mijn|m'n|een|de) (?:buurman|buurvrouw|buren|vriend|vriendin|collega|zus|broer|moeder|vader|neef|nicht|kennis|bron|insider|schoonvader|schoonmoeder)",
        r"via via", r"gerucht", r"onbevestigd", r"niet bevestigd", r"deel dit", r"delen!", r"doorsturen", r"stuur door",
        r"verspreid dit", r"kreeg (?:net )?(?:een )?(?:appje|bericht)", r"whatsapp(?:je|bericht)", r"ik las (?:ergens|net|op)",
        r"las ergens", r"blijkbaar", r"wat ik hoor", r"insiders?\b", r"ze verzwijgen", r"wordt verzwegen", r"complot",
        # hearsay and epistemic distance: who said it, where it was read, reported "zou/zouden"
        r"(?:hoor|hoorde|hoorden) (?:net |nu |ook |zojuist )?(?:van|via) (?:\S+ ){1,8}?dat\b", r"(?:hoor|hoorde|hoorden) (?:net |nu |ook |zojuist |overal |steeds )?dat\b", r"hoor ik (?:net|nu|ook|van|overal|steeds)\b", r"hoor ik\s*[.!]*$", r"(?:heb|had) (?:\S+ ){0,2}gelezen (?:dat|op|in)\b",
        r"(?:las|lees) (?:ik )?(?:\S+ ){0,3}(?:op facebook|op twitter|op tiktok|op een forum|op insta|in de groep)", r"las ik\b",
        r"(?:buurt|groeps|familie|school|klassen|whats)?app(?:groep|je)?\b.{0,20}(?:zeggen|zegt|staat|gaat|las|lees|stond|rond)", r"(?:in|via) de (?:\S+)?app(?:groep)?\b",
        r"(?:appgroep|groepsapp|buurtapp)", r"(?:gaat|gaan|ging|gingen) (?:\S+ ){0,3}rond\b", r"het (?:verhaal|gerucht|praatje) gaat", r"er wordt (?:\S+ )?gezegd",
        r"(?:ze|men|mensen) zeggen (?:dat|ze)\b",
        r"volgens (?:mijn|m'n|een|de|onze|die) (?:\S+ ){0,2}(?:buurman|buurvrouw|buren|vriend|vriendin|collega|zus|broer|moeder|vader|neef|nicht|kennis|bron|insider|zwager|schoonzus|schoonvader|schoonmoeder|oom|tante|iemand|beheerder|eigenaar)\b", r"volgens mensen\b",
        r"(?:zwager|schoonzus|neef|nicht|buurman|buurvrouw|collega|kennis) (?:\S+ ){0,6}(?:zegt|zei|vertelt|vertelde)\b",
        # questions that check a claim, and "everyone is talking about it"
        r"klopt (?:dit|dat|het)\s*[?!]", r"is (?:dat|dit|het) (?:echt |nou )?waar\b", r"ik lees (?:van alles|overal|verschillende|allerlei)", r"(?:van alles|allerlei) (?:\S+ ){0,3}(?:rondgestuurd|gedeeld|verteld|rond)",
        r"heeft het (?:\S+ )?over\b", r"schijnen\b",
        r"(?:mijn|m'n) (?:\S+ ){0,2}(?:buurman|buurvrouw|zwager|schoonzus|neef|nicht|collega|kennis|oom|tante|zus|broer|vriend|vriendin) (?:\S+ ){0,8}(?:zegt|zei|vertelt|vertelde|hoorde|werkt|zit bij)",
        r"(?:via|volgens) iemand (?:bij|van|die|uit)\b", r"iemand (?:bij|van) de (?:brandweer|politie|gemeente|ambulance) (?:\S+ )?(?:zegt|zei|vertelde)",
        r"(?:het|dit|dat|ze|hij|zij|die \S+|de \S+) (?:zou|zouden) (?:\S+ ){0,5}(?:zijn|hebben|liggen|zitten|gaan|komen|staan|duren|kunnen duren|vrijgekomen|gezeten)\b",
        r"(?:zou|zouden) (?:\S+ ){0,4}(?:zijn|hebben) (?:geweest|gelegen|gezeten|vrijgekomen|aangestoken|opgeslagen)", r"stuur (?:\S+ )?door", r"doorsturen",
        r"deel (?:dit|het|aub|svp)", r"verspreid", r"klopt het dat", r"is het waar dat", r"stilhouden", r"houden (?:het|dit) stil",
    ),
    "en": (
        r"i (?:just )?heard (?:that|they|there)", r"heard that", r"hearing that", r"reportedly", r"allegedly",
        r"rumou?r", r"unconfirmed", r"not (?:yet )?confirmed", r"apparently", r"they say\b", r"people (?:are )?saying",
        r"word is\b", r"sources say", r"my (?:friend|neighbou?r|cousin|brother|sister|mom|dad) (?:says|said|told)",
        r"share this", r"please share", r"pls share", r"spread the word", r"forward this", r"please rt", r"hoax",
        r"i (?:just )?heard\b", r"heard (?:from|they|it)", r"someone (?:at|from|in|on) .{0,40}(?:said|says|told)", r"(?:word|it's) going around", r"going around",
        r"supposedly", r"locals are saying", r"is (?:that|this|it) true", r"(?:can|could) (?:someone|anyone) confirm", r"rumou?r",
    ),
    "de": (
        r"angeblich", r"gerücht", r"ich (?:habe|hab) gehört", r"hab gehört", r"man sagt", r"es heißt", r"unbestätigt",
        r"bitte teilen", r"weiterleiten", r"soll(?:en)? (?:es|dort|da) ",
        r"soll(?:en)? (?:\S+ ){0,4}(?:haben|sein|gewesen|geben)\b", r"hab(?:e)? (?:ich )?gehört", r"man hört", r"in der (?:whatsapp-)?gruppe", r"heißt es\b", r"stimmt (?:es|das)\b",
        r"(?:ein|eine|der|die|mein|meine) (?:\S+ )?(?:nachbar|nachbarin|freund|freundin|kollege|kollegin|schwager) (?:\S+ ){0,4}(?:sagt|meint|erzählt)",
    ),
    "fr": (r"il paraît", r"paraît-il", r"rumeur", r"selon des sources", r"partagez", r"non confirmé"),
    "pl": (r"podobno", r"plotk", r"słyszałem", r"słyszałam", r"udostępnij", r"ponoć"),
    "tr": (r"duyduğuma göre", r"iddia", r"söylenti", r"paylaşın", r"güya", r"varmış\b", r"diyorlar\b", r"söyleniyor", r"doğru mu"),
    "ar": (r"~هل صحيح", r"~سمعت أن", r"~يقولون", r"~يقال", r"~إشاعة", r"~شائعة", r"~أنباء عن", r"~انشر", r"~نقلا عن"),
}

OFFICIEEL = {
    "nl": (
        r"(?:update|breaking|live|persbericht|nl-alert|grip ?\d|let op|waarschuwing|nieuws)\s?[:|]", r"^update\b",
        r"(?:veiligheidsregio|brandweer|politie|gemeente|burgemeester|rivm|ggd|rijkswaterstaat)(?: \S+){0,4} (?:meldt|meldde|laat weten|adviseert|waarschuwt|bevestigt|maakt bekend)",
        r"volgens de (?:veiligheidsregio|brandweer|politie|gemeente|burgemeester|ggd|rivm)", r"persconferentie",
        r"(?:meer )?info(?:rmatie)? (?:op|via|:) ", r"lees (?:meer|verder)", r"\| (?:binnenland|buitenland|nieuws)",
        r"^(?:rt \S+ )?(?:veiligheidsregio|brandweer|politie|gemeente|burgemeester|waterschap|rijkswaterstaat|ggd|rivm|omroep|liander|stedin|enexis|vitens|evides|brabant water|pwn|dunea|waternet)\b[^:.?!]{0,30}:",
        r"^(?:live|update|breaking|persbericht)\b", r"(?:update|live) \d{1,2}[:.]\d{2}", r"grip \d (?:is )?(?:afgekondigd|van kracht|opgeschaald)",
    ),
    "en": (
        r"(?:update|breaking|alert|developing|live)\s?[:|]", r"(?:police|officials|authorities|fire department|mayor|governor|fema|sheriff|government)(?: \S+){0,2} (?:say|says|said|confirm|report|urge|warn|announce)",
        r"according to (?:police|officials|authorities|the)", r"press conference", r"read more", r"(?:live|full) coverage",
    ),
    "de": (r"(?:eilmeldung|aktuell|update)\s?[:|]", r"laut (?:polizei|feuerwehr|behörden|stadt)", r"pressekonferenz",
           r"(?:polizei|feuerwehr|stadt) (?:meldet|warnt|bestätigt)"),
    "fr": (r"(?:urgent|alerte|direct)\s?[:|]", r"selon (?:la police|les autorités|les pompiers)", r"conférence de presse"),
    "pl": (r"pilne\s?:", r"według policji", r"konferencja prasowa"),
    "tr": (r"son dakika", r"açıklama yaptı", r"basın toplantısı"),
    "ar": (r"~عاجل", r"~مؤتمر صحفي", r"~أعلنت وزارة", r"~بيان"),
}

# Spam and promotion: the only "clearly unrelated" signal cheap enough for a rule.
# Relevance proper is the job of the relevance stage (RELEVANT column).
RUIS = {
    "any": (
        r"giveaway", r"follow (?:me|back)", r"followback", r"teamfollowback", r"promo code", r"discount code",
        r"% off\b", r"horoscope", r"check out my", r"subscribe to my", r"win (?:a|an) (?:free|iphone|ipad|gift)",
        r"kortingscode", r"volg mij", r"gratis (?:iphone|volgers)",
    ),
}

CATEGORY_LEXICONS: dict[str, dict[str, tuple[str, ...]]] = {
    "waarneming": WAARNEMING,
    "handelen": HANDELEN,
    "gezondheid": GEZONDHEID,
    "hulp": HULP,
    "emotie": EMOTIE,
    "kritiek": KRITIEK,
    "medeleven": MEDELEVEN,
    "gerucht": GERUCHT,
    "officieel": OFFICIEEL,
    "ruis": RUIS,
}

# Which lexicons to apply for a detected language. Dutch posts borrow English
# ("stay safe", "omg"); short Dutch is often detected as German or Afrikaans,
# so those also get the Dutch lexicon. Languages not listed get every lexicon.
LANGUAGE_LEXICONS: dict[str, tuple[str, ...]] = {
    "nl": ("nl", "en"),
    "af": ("nl", "en"),
    "de": ("de", "nl", "en"),
    "en": ("en",),
    "fr": ("fr", "en"),
    "pl": ("pl", "en"),
    "tr": ("tr", "en"),
    "ar": ("ar", "en"),
    "bg": ("bg", "en"),
}

# --- question syntax (applied per clause) ----------------------------------------
# Things that may precede the question proper at clause start.
CLAUSE_PREFIX = (
    r"(?:(?:\[gebruiker\]|\[link\]|@\S+|#\S+|rt\b|en|maar|dus|oh|ok|oké|hé|he|hey|hoi|hallo|beste|vraagje|vraag|"
    r"and|but|so|hi|hello|und|aber|also|guys|mensen|jongens|[-–:,>\"'“‘(*]+)[\s,:]*)*"
)
INTERROGATIVES = (
    # nl
    "wat", "waar", "waarom", "wanneer", "hoe", "hoelang", "hoeveel", "wie", "welke", "welk", "waarheen", "waardoor",
    "waarmee", "waarvoor", "vanwaar", "sinds wanneer", "tot wanneer", "iemand",
    # en
    "what", "where", "when", "why", "how", "who", "which", "whose", "any", "anyone", "anybody", "does anyone",
    # de
    "was", "wo", "wohin", "woher", "wann", "warum", "wieso", "weshalb", "wer", "welche", "welcher", "welches", "womit",
    # fr / pl / ar / bg (cheap)
    "qui", "quoi", "où", "quand", "pourquoi", "comment", "quel", "quelle", "est-ce", "co", "gdzie", "kiedy", "dlaczego",
    "czemu", "jak", "kto", "czy", "هل", "ماذا", "متى", "أين", "لماذا", "كيف", "какво", "къде", "кога", "защо", "как", "кой",
    "дали", "ne zaman", "neden", "nasıl", "nerede", "niçin", "kim",
)
# Verb-first (inverted) questions: a finite verb at clause start.
INVERTED_VERBS = (
    # nl
    "mag", "mogen", "moet", "moeten", "kan", "kunnen", "kun", "zal", "zullen", "is", "zijn", "wordt", "worden", "gaat",
    "gaan", "komt", "komen", "heeft", "hebben", "heb", "weet", "weten", "blijft", "blijven", "hoeven", "hoef", "zit",
    "zitten", "staat", "staan", "krijgen", "krijg", "zou", "zouden", "ben", "bent", "klopt", "ligt", "geldt", "doet",
    # en
    "are", "can", "could", "should", "shall", "will", "would", "do", "does", "did", "has", "have", "may", "must",
    "were", "isn't", "aren't", "can't",
    # de
    "ist", "sind", "kann", "können", "darf", "dürfen", "muss", "müssen", "soll", "sollen", "wird", "werden", "gibt",
    "hat", "haben", "weiß", "wisst", "bleibt", "sollte", "könnte", "geht",
)
# Information-seeking phrases that make a question even without "?".
REQUEST_PHRASES = (
    r"weet iemand", r"iemand (?:enig |een )?idee", r"heeft iemand", r"iemand (?:meer )?(?:info|informatie|nieuws)",
    r"is er (?:al )?(?:meer )?(?:info|informatie|nieuws)", r"kan iemand (?:me |mij |ons )?(?:vertellen|uitleggen|zeggen)",
    r"(?:ik )?vraag me af", r"vraag mij af", r"graag (?:meer )?info", r"wie weet (?:meer|wat|of|waar|hoe)",
    r"meer info(?:rmatie)? (?:graag|gewenst|welkom)", r"(?:does |do )?(?:anyone|anybody) know", r"any (?:news|info|updates?) on",
    r"can (?:someone|anyone) (?:tell|explain|confirm)", r"i wonder (?:if|whether|what|when)",
    r"weiß jemand", r"hat jemand", r"kann (?:mir )?jemand (?:sagen|erklären)", r"quelqu'un sait", r"ktoś wie",
    r"bilen var mı", r"من يعرف",
    # more ways Dutch/English/German ask without a question mark
    r"iemand die (?:weet|het weet|meer weet)", r"kan iemand (?:\S+ )?(?:bevestigen|zeggen|vertellen)", r"klopt het dat", r"is het waar dat",
    r"iemand (?:een |nog )?(?:update|tips?|nieuws)\b", r"ben (?:\S+ )?benieuwd (?:of|wanneer|hoe|waar|wat)", r"(?:i'?m )?wondering (?:if|whether|when|what|how)",
    r"any (?:news|info|updates?) (?:about|on|from)", r"gibt es (?:\S+ )?(?:infos|informationen|neuigkeiten)", r"kann (?:uns |mir )?jemand",
    r"^czy\b", r"ktoś wie", r"^(?:\S+ )?(?:هل|متى|أين|ماذا|كيف)\b",
)
# Question particles anywhere in a clause (tr, bg, ar).
QUESTION_PARTICLES = (r"(?:mi|mı|mu|mü|misin|mısın|miyiz|mıyız|midir|mıdır|ли)\b", r"~هل ")
# Short clauses ending in "?" that ask about state or safety ("A50 dicht?").
INFO_TARGETS = (
    r"veilig", r"gevaarlijk", r"giftig", r"schadelijk", r"dicht\b", r"afgesloten", r"open\b", r"bereikbaar", r"update",
    r"nieuws", r"info\b", r"informatie", r"oorzaak", r"ramen", r"drinkwater", r"asbest", r"safe\b", r"dangerous",
    r"toxic", r"closed\b", r"sicher\b", r"gefährlich", r"gesperrt",
)
# Rhetorical cues: a question with one of these in the same clause is criticism/venting.
RHETORICAL = (
    r"waarom(?: \S+){0,5}? (?:niemand|nooit|niks|niets|nou|weer|toch|godsnaam|verdomme|de fuck)\b",
    r"waarom (?:hoor|lees|weet|zie)(?:en)? (?:ik|we|wij|je)(?: \S+){0,3} (?:via|pas|uit)\b",
    r"hoe (?:kan|kun|kunnen) (?:dit|dat|het|men|je|jullie|iemand|ze|zij|een)\b", r"hoe is (?:dit|het) (?:in godsnaam )?mogelijk",
    r"hoe durf", r"hoe dom", r"hoe haal je het", r"hoezo\b", r"wie (?:verzint|bedenkt|bedacht|denkt|heeft dit bedacht)",
    r"(?:toch|normaal|serieus|echt waar|lachen|gezellig|logisch)\s*\?", r"nou (?:weer|echt|helemaal)\b",
    r"(?:hè|hé)\s*\?",
    # waarom + negation, lateness or blame is a reproach, not a request for information
    # (only a direct question: "waarom" opens the clause; "snap niet waarom …" is handled by KRITIEK words)
    r"^(?:\S+ ){0,3}?waarom (?:\S+ ){0,6}?(?:niet|geen|pas|nu pas|zo laat|zo lang|alleen|steeds|altijd)\b",
    r"hoe (?:moeilijk|lastig|ingewikkeld) (?:kan|is) (?:het|dat|dit)", r"(?:is|was) (?:het|dat) (?:nou |dan |echt |toch |nu )*(?:zo|zó|te) (?:moeilijk|lastig|ingewikkeld|veel gevraagd)",
    r"hoe vaak (?:moet|moeten|nog|gaat|zal|wil)", r"wie (?:controleert|betaalt|gaat (?:\S+ ){0,3}betalen|is (?:hier |daar )?verantwoordelijk|geeft (?:zo'n|die|zulke|een) vergunning|heeft (?:die|de|dat|dit|zo'n) (?:\S+ )?(?:vergunning|toestemming|bedacht|goedgekeurd))",
    r"wat doen (?:ze|die|jullie|de) (?:\S+ ){0,6}eigenlijk", r"wat doen ze (?:er )?(?:nou |eigenlijk |echt )*aan", r"(?:zijn|hebben) ze (?:\S+ ){0,2}(?:niks|niets) (?:van )?geleerd",
    r"(?:kunnen|kan|konden|kon|had|hadden|waren|zijn|is|moet|moeten) (?:ze|zij|jullie|u|men|de gemeente|de veiligheidsregio|de overheid|de brandweer|de politie) (?:nou |dan |nu |toch |gewoon |echt |eens |even )*(?:niet|geen|niks|niets|nooit)\b",
    r"(?:had|hadden) (?:\S+ ){0,8}(?:moeten|kunnen|mogen)\b", r"(?:dat|dit) noemen ze", r"noemen ze (?:dat|dit)", r"kom op\b", r"(?:is|zit) er (?:\S+ )?iemand wakker",
    r"^hall?o+\s*\?", r"iemand thuis\s*\?", r"zeker\s*\?", r"(?:nu|toen) pas\b", r"wanneer gaan ze (?:\S+ ){0,2}(?:eens|eindelijk)",
    r"waar (?:is|was|zijn|waren|blijft|blijven) (?:de |het |onze )?(?:informatie|info|nl-alert|waarschuwing|me|hulp|handhaving)\b", r"waar slaat (?:dit|dat|het) op", r"waar zijn ze mee bezig",
    r"waar (?:is|zijn|blijft|blijven) (?:de |het |onze )?(?:gemeente|overheid|burgemeester|veiligheidsregio|brandweer|politie|regering|minister|kabinet|communicatie)",
    r"wat (?:een|voor) (?:schande|amateurs|puinhoop|zooi)", r"wat denken ze",
    r"(?:zijn|ben|bent) (?:ze|jullie|jij|u) (?:nou )?(?:gek|gestoord|helemaal|blind|doof)", r"slapen ze",
    r"meen je dat", r"is dit (?:nou )?(?:normaal|een grap)", r"ben ik (?:nou )?de enige die",
    r"(?:zou|is|zijn|was|wordt) (?:het|dit|dat) (?:eigenlijk |nou |toch )?niet (?:beter|logischer|normaal|handiger|slimmer)",
    r"why (?:doesn't|does no|is no|isn't any|won't|the hell|on earth|tf|the fuck)", r"why (?:is|are) (?:no one|nobody)",
    r"how (?:dare|is this (?:even )?(?:possible|allowed|acceptable|ok))", r"how can (?:they|you|this|anyone|he|she)\b",
    r"who (?:thought|came up|checks|pays|is responsible|approved|allowed|let)", r"are you (?:kidding|serious)",
    r"why (?:\S+ ){0,5}?(?:no one|nobody|nothing|not|never|only)\b", r"why (?:didn't|doesn't|don't|isn't|wasn't|weren't|hasn't|haven't|can't|couldn't|won't)",
    r"how (?:hard|difficult) (?:is|can) it", r"how (?:is|was) (?:a|an|this|it|that|the)\b.{0,60}(?:allowed|possible|acceptable|legal)",
    r"where (?:is|was|were|are) the (?:council|authorities|government|mayor|police|information|info|warning)",
    r"warum (?:\S+ ){0,5}?(?:niemand|keiner|nichts|nie|nicht|erst)\b", r"wer (?:kontrolliert|bezahlt|zahlt|ist verantwortlich)", r"(?:ist es|wie schwer ist es) (?:denn |so |wirklich )*(?:so |zu )?schwer",
    r"dlaczego (?:\S+ ){0,4}(?:nikt|nic|nie)\b", r"neden (?:\S+ ){0,4}(?:kimse|hiç)\b", r"~لماذا لا", r"~لماذا لم", r"(?:seriously|really|right)\s*\?", r"what the (?:hell|fuck)",
    r"warum (?:tut|macht|sagt) (?:denn )?(?:niemand|keiner)", r"wie kann (?:man|das|es)\b", r"geht'?s noch", r"wer (?:denkt sich|kommt auf)",
    r"(?:ernsthaft|im ernst|oder was)\s*\?", r"soll das\b",
)
# Idioms that look rhetorical but are not ("waarom ook niet?" = "sure, why not").
NOT_RHETORICAL = (r"waarom (?:ook |eigenlijk )?niet\s*[?!.'\"]*$", r"why not\s*[?!.]*$", r"warum (?:auch )?nicht\s*[?!.]*$")
# Outrage and swear words: turn a question in the same clause into a rhetorical one.
OUTRAGE = (
    r"schandalig", r"schande", r"belachelijk", r"idioot", r"idioten", r"debiel", r"achterlijk", r"kut\b", r"klote",
    r"godver", r"verdomme", r"tering", r"gelul", r"lachwekkend", r"absurd", r"onzin", r"amateur", r"prutser", r"wtf\b", r"fuck",
    r"ridiculous", r"disgrace", r"shameful", r"stupid", r"idiots?\b", r"pathetic", r"lächerlich", r"skandal", r"frechheit",
    r"unverschämt", r"scheiße",
)

# --- sentiment ------------------------------------------------------------------
SENTIMENT_POSITIVE = (
    # nl
    r"goed\b", r"goede\b", r"prima\b", r"fijn", r"mooi", r"top\b", r"super\b", r"geweldig", r"fantastisch", r"blij",
    r"gelukkig", r"opgelucht", r"dank", r"bedankt", r"respect", r"held", r"knap\b", r"veilig", r"gerustgesteld",
    r"duidelijk\b", r"helder\b", r"snel (?:geblust|onder controle)", r"onder controle", r"sterkte", r"hulde", r"chapeau",
    r"hoop\b", r"hopelijk", r"liefde", r"steun", r"trots", r"opgelost", r"meevaller",
    # en
    r"good\b", r"great", r"thank", r"grateful", r"safe\b", r"relie", r"happy", r"glad\b", r"love\b", r"hero", r"amazing",
    r"awesome", r"well done", r"hope\b", r"support", r"proud", r"under control", r"nice\b", r"best\b", r"excellent",
    # de
    r"gut\b", r"gute\b", r"danke", r"sicher\b", r"froh\b", r"erleichtert", r"super\b", r"toll\b", r"klasse\b",
)
SENTIMENT_NEGATIVE = (
    # nl
    r"slecht", r"bang", r"angst", r"eng\b", r"paniek", r"boos", r"woedend", r"kwaad\b", r"verdriet", r"triest", r"erg\b",
    r"verschrikkelijk", r"vreselijk", r"afschuwelijk", r"schandalig", r"schande", r"belachelijk", r"waardeloos",
    r"gevaarlijk", r"giftig", r"stank", r"stinkt", r"misselijk", r"hoofdpijn", r"benauwd", r"ziek\b", r"gewond", r"dood\b",
    r"doden\b", r"slachtoffer", r"te laat", r"kut\b", r"klote", r"godver", r"verdomme", r"zorgen\b", r"bezorgd", r"ongerust",
    r"chaos", r"ramp\b", r"drama", r"probleem", r"problemen", r"idioot", r"idioten", r"debiel", r"onzin", r"gefaald",
    r"in de steek", r"helaas", r"jammer", r"ellende", r"heftig", r"schrik", r"geschrokken", r"stom",
    # en
    r"bad\b", r"scared", r"afraid", r"fear", r"terrible", r"horrible", r"awful", r"sad\b", r"angry", r"hate", r"worst",
    r"dangerous", r"toxic", r"dead\b", r"killed", r"death", r"injur", r"disaster", r"tragic", r"tragedy", r"devastat",
    r"ridiculous", r"disgrace", r"shame", r"fail", r"worried", r"panic", r"stupid", r"fuck", r"shit", r"damn", r"pray",
    r"sick\b", r"lost\b", r"destroy", r"damage",
    # de
    r"schlecht", r"schlimm", r"schrecklich", r"furchtbar", r"traurig", r"wütend", r"gefährlich", r"tot\b", r"tote\b",
    r"verletzt", r"katastroph", r"skandal", r"scheiße",
)
# Negators: a sentiment word within two words after one of these flips polarity.
NEGATORS = (r"niet", r"geen", r"nooit", r"not", r"no", r"never", r"isn't", r"don't", r"nicht", r"kein", r"keine", r"nie")
SENTIMENT_POSITIVE_ANY = r"[🙏❤♥💪👏🧡💙💚😊🙂😀👍]"
SENTIMENT_NEGATIVE_ANY = r"[😱😨😰😢😭😡🤬😤💔😟😧😥😩😫👎]"

# --- what-to-do questions ----------------------------------------------------------
# A genuine question whose clause has a modal of permission/obligation + a person ("mag ik", "moeten
# we", "kunnen de kinderen") or asks whether something is safe to do is also `handelen`.
DEONTIC_VERBS = (
    "mag", "mogen", "moet", "moeten", "moest", "kan", "kunnen", "kun", "hoef", "hoeven", "zal", "zullen",
    "should", "must", "can", "may", "do", "sollen", "müssen", "dürfen", "können", "soll", "muss", "darf",
)
DEONTIC_SUBJECTS = (
    "ik", "we", "wij", "je", "jij", "u", "jullie", "men", "de kinderen", "de kids", "mijn \\S+", "m'n \\S+", "onze \\S+", "ons \\S+",
    "i", "you", "wir", "ich", "man",
)
ACTION_QUESTIONS = (
    r"(?:is|zijn) (?:het|dat|dit|de \S+|die \S+|het \S+)(?: \S+){0,3} (?:nog |wel |weer )?(?:veilig|verstandig|onverstandig|gezond|toegestaan|verboden)\b",
    r"kan dat (?:nog|wel|gewoon|zomaar)\b", r"wat (?:moeten|moet|kunnen|kan|mogen|mag) (?:we|ik|je|u|jullie|men)\b", r"wat is (?:nu )?wijsheid",
    r"(?:are|is) (?:we|it|the \S+) (?:still )?safe", r"safe to\b", r"what (?:should|can|must) (?:we|i)\b",
    r"ist (?:es|das) (?:\S+ )?(?:sicher|gefährlich)", r"czy (?:możemy|mogę|trzeba|musimy|jest bezpiecznie)", r"gerekiyor mu", r"güvenli mi", r"~هل يجب", r"~هل يمكن",
)

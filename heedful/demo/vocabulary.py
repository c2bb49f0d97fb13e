"""The words the demo and the scale generator are made of: our catalogue, customers' countries,
industries, company-name parts and people's names (accents included, so that fuzzy search has
something real to find)."""

from dataclasses import dataclass

VENDOR_NAME = "Heedful Networks"
VENDOR_DOMAIN = "heedful-networks.example"
DEMO_PASSWORD = "heedful-demo"

# --- What we sell ----------------------------------------------------------------------------

PROFESSIONAL_SERVICES = "Professional Services"

# family -> [(sku, name, launched years ago)]
CATALOG: dict[str, list[tuple[str, str, int]]] = {
    "Voice": [
        ("VOI-SIP", "SIP Trunking", 9),
        ("VOI-UCX", "Hosted UC seats", 5),
        ("VOI-PBX", "Managed PBX", 12),
        ("VOI-MOB", "Business Mobile lines", 7),
    ],
    "Data & Network": [
        ("NET-MPLS", "MPLS WAN", 14),
        ("NET-SDW", "SD-WAN Edge", 4),
        ("NET-DIA", "Dedicated Internet Access", 10),
        ("NET-WIFI", "Managed Wi-Fi", 6),
    ],
    "Cloud Contact Centre": [
        ("CCC-SEAT", "Contact Centre agent seat", 5),
        ("CCC-IVR", "Conversational IVR", 2),
        ("CCC-WFM", "Workforce Management", 3),
        ("CCC-DESK", "Outsourced Service Desk", 8),
    ],
    "Managed Security": [
        ("SEC-FW", "Managed Firewall", 8),
        ("SEC-SOC", "24x7 SOC Monitoring", 4),
        ("SEC-DDOS", "DDoS Protection", 6),
        ("SEC-EDR", "Managed Endpoint Detection", 2),
    ],
    PROFESSIONAL_SERVICES: [
        ("PS-MIG", "Data-centre Migration Services", 10),
        ("PS-NETD", "Network Design & Assessment", 11),
        ("PS-CCX", "Contact Centre Transformation", 4),
        ("PS-TAM", "Technical Account Manager", 6),
    ],
}

# sku -> [(release name, days from as_of, summary)]; negative days are past releases.
RELEASES: dict[str, list[tuple[str, int, str]]] = {
    "NET-SDW": [
        ("5.0", 40, "Application-aware routing and zero-touch branch set-up."),
        ("4.6", -150, "Dual-LTE failover."),
    ],
    "CCC-IVR": [("2.0", 75, "Generative self-service answers in 14 languages.")],
    "CCC-SEAT": [("Winter release", -60, "Supervisor wallboards and call whisper.")],
    "SEC-EDR": [("3.1", 25, "Ransomware rollback for Windows and macOS.")],
    "SEC-SOC": [("Threat-hunting add-on", 110, "Monthly proactive threat hunts with report.")],
    "VOI-UCX": [("Teams direct routing", -200, "Microsoft Teams calling through our SIP.")],
    "VOI-PBX": [("End of sale: PBX 7", 180, "PBX 7 hardware end of sale; PBX 9 upgrade path.")],
    "NET-WIFI": [("Wi-Fi 7 access points", 95, "Wi-Fi 7 access points and location analytics.")],
}

# Monthly list price per unit, in USD, to size contracts and invoices.
UNIT_PRICE: dict[str, int] = {
    "VOI-SIP": 28, "VOI-UCX": 22, "VOI-PBX": 900, "VOI-MOB": 35,
    "NET-MPLS": 1400, "NET-SDW": 180, "NET-DIA": 950, "NET-WIFI": 45,
    "CCC-SEAT": 95, "CCC-IVR": 1200, "CCC-WFM": 18, "CCC-DESK": 14000,
    "SEC-FW": 650, "SEC-SOC": 4800, "SEC-DDOS": 1500, "SEC-EDR": 9,
    "PS-MIG": 0, "PS-NETD": 0, "PS-CCX": 0, "PS-TAM": 6500,
}

# --- Where customers are ----------------------------------------------------------------------


@dataclass(frozen=True)
class Country:
    name: str
    currency: str
    rate: float  # local units per USD, to size amounts
    language: str
    names: str  # key into FIRST_NAMES / LAST_NAMES
    cities: tuple[tuple[str, str], ...]  # (city, phone prefix)
    phone_pattern: str  # "#" is a random digit
    suffixes: tuple[str, ...]
    tld: str
    weight: int


COUNTRIES: tuple[Country, ...] = (
    Country("United States", "USD", 1.0, "English", "en",
            (("New York", "+1 (212)"), ("Chicago", "+1 (312)"), ("Austin", "+1 (512)"),
             ("Denver", "+1 (303)"), ("Atlanta", "+1 (404)"), ("Seattle", "+1 (206)"),
             ("Boston", "+1 (617)"), ("Phoenix", "+1 (602)"), ("Columbus", "+1 (614)"),
             ("Charlotte", "+1 (704)")),
            " ###-####", ("Inc.", "LLC", "Corp.", "", "", ""), "com", 44),
    Country("Canada", "CAD", 1.35, "English", "en",
            (("Toronto", "+1 (416)"), ("Montréal", "+1 (514)"), ("Vancouver", "+1 (604)")),
            " ###-####", ("Inc.", "Ltd.", ""), "ca", 6),
    Country("United Kingdom", "GBP", 0.79, "English", "en",
            (("London", "+44 20"), ("Manchester", "+44 161"), ("Leeds", "+44 113"),
             ("Edinburgh", "+44 131")),
            " #### ####", ("Ltd", "plc", ""), "co.uk", 9),
    Country("Ireland", "EUR", 0.92, "English", "ga",
            (("Dublin", "+353 1"), ("Cork", "+353 21")),
            " ### ####", ("Ltd", "DAC", ""), "ie", 3),
    Country("Germany", "EUR", 0.92, "German", "de",
            (("München", "+49 89"), ("Berlin", "+49 30"), ("Hamburg", "+49 40"),
             ("Köln", "+49 221")),
            " #######", ("GmbH", "AG", "SE"), "de", 7),
    Country("France", "EUR", 0.92, "French", "fr",
            (("Paris", "+33 1"), ("Lyon", "+33 4"), ("Toulouse", "+33 5")),
            " ## ## ## ##", ("SA", "SAS", ""), "fr", 5),
    Country("Italy", "EUR", 0.92, "Italian", "it",
            (("Milano", "+39 02"), ("Roma", "+39 06"), ("Torino", "+39 011"),
             ("Bologna", "+39 051")),
            " #### ####", ("S.p.A.", "S.r.l."), "it", 5),
    Country("Spain", "EUR", 0.92, "Spanish", "es",
            (("Madrid", "+34 91"), ("Barcelona", "+34 93"), ("Sevilla", "+34 95")),
            " ### ## ##", ("S.A.", "S.L."), "es", 4),
    Country("Netherlands", "EUR", 0.92, "Dutch", "nl",
            (("Amsterdam", "+31 20"), ("Rotterdam", "+31 10"), ("Utrecht", "+31 30")),
            " ### ####", ("B.V.", "N.V."), "nl", 3),
    Country("Sweden", "SEK", 10.5, "Swedish", "sv",
            (("Stockholm", "+46 8"), ("Göteborg", "+46 31"), ("Malmö", "+46 40")),
            " ### ## ##", ("AB",), "se", 2),
    Country("Poland", "PLN", 4.0, "Polish", "pl",
            (("Warszawa", "+48 22"), ("Kraków", "+48 12")),
            " ### ## ##", ("sp. z o.o.", "S.A."), "pl", 2),
    Country("Brazil", "BRL", 5.0, "Portuguese", "pt",
            (("São Paulo", "+55 11"), ("Rio de Janeiro", "+55 21")),
            " ####-####", ("Ltda.", "S.A."), "com.br", 3),
    Country("Mexico", "MXN", 17.0, "Spanish", "es",
            (("Ciudad de México", "+52 55"), ("Monterrey", "+52 81")),
            " #### ####", ("S.A. de C.V.",), "mx", 2),
    Country("Japan", "JPY", 150.0, "Japanese", "ja",
            (("Tokyo", "+81 3"), ("Osaka", "+81 6")),
            " ####-####", ("K.K.", "Co., Ltd."), "jp", 2),
    Country("Australia", "AUD", 1.5, "English", "en",
            (("Sydney", "+61 2"), ("Melbourne", "+61 3")),
            " #### ####", ("Pty Ltd",), "com.au", 3),
)

COUNTRY_BY_NAME = {country.name: country for country in COUNTRIES}

# --- What customers do -----------------------------------------------------------------------

# industry -> (weight, words for company names, share owning professional services)
INDUSTRIES: dict[str, tuple[int, tuple[str, ...], float]] = {
    "Financial Services": (10, ("Bank", "Capital", "Credit Union", "Financial", "Trust"), 0.35),
    "Healthcare": (10, ("Health", "Medical Center", "Clinics", "Health System", "Care"), 0.3),
    "Retail": (9, ("Stores", "Outfitters", "Market", "Retail Group", "Goods"), 0.5),
    "Manufacturing": (11, ("Manufacturing", "Industries", "Components", "Works", "Plastics"),
                      0.3),
    "Utilities": (5, ("Energy", "Power", "Water", "Utilities", "Gas & Electric"), 0.35),
    "Public Sector": (6, ("County", "City Council", "Transit Authority", "Port Authority"), 0.2),
    "Education": (5, ("University", "College", "School District", "Academy"), 0.15),
    "Logistics": (8, ("Logistics", "Freight", "Shipping", "Distribution", "Transport"), 0.3),
    "Hospitality": (6, ("Hotels", "Resorts", "Hospitality", "Inns"), 0.2),
    "Insurance": (7, ("Insurance", "Mutual", "Assurance", "Underwriters"), 0.35),
    "Media": (4, ("Media", "Broadcasting", "Publishing", "Studios"), 0.2),
    "Legal Services": (4, ("Legal", "Law Group", "Partners"), 0.15),
    "Technology": (8, ("Software", "Systems", "Labs", "Technologies", "Data"), 0.4),
    "Energy": (4, ("Oil & Gas", "Renewables", "Petroleum", "Energy"), 0.3),
}

SEGMENTS = (("enterprise", 25), ("mid-market", 45), ("smb", 30))

# Company-name first words; local ones for some countries.
NAME_WORDS: dict[str, tuple[str, ...]] = {
    "en": (
        "Northwind", "Bluewater", "Cascadia", "Summit", "Redwood", "Harbor", "Ironbridge",
        "Silverline", "Meridian", "Pinecrest", "Lakeshore", "Granite", "Oakridge", "Riverbend",
        "Brightwater", "Copperfield", "Evergreen", "Highland", "Keystone", "Lighthouse",
        "Maplewood", "Northstar", "Pacifica", "Stonegate", "Sunridge", "Tidewater", "Westbrook",
        "Windmill", "Alder", "Beacon", "Clearview", "Driftwood", "Fairhaven", "Goldleaf",
        "Hawthorne", "Juniper", "Kingsley", "Larkspur", "Millbrook", "Newhaven", "Orchard",
        "Prairie", "Rosewood", "Saltmarsh", "Thornbury", "Union", "Whitestone", "Zenith",
        "Aurora", "Borealis", "Castlerock", "Dunmore", "Elmstead", "Foxglove", "Greystone",
        "Heron", "Ashford", "Bayview", "Cedar Hill", "Crescent", "Eastgate", "Fieldstone",
        "Glenwood", "Hillcrest", "Ironwood", "Kestrel", "Lantern", "Mariner", "Oakmont",
        "Pioneer", "Quarry Lane", "Ridgeway", "Sterling", "Trailhead", "Vanguard", "Wildrose",
    ),
    "de": ("Nordlicht", "Rheintal", "Alpenblick", "Elbufer", "Schwarzwald", "Bodensee",
           "Mühlbach", "Löwenstein", "Grünwald", "Weißenfels", "Spreetal", "Isartal"),
    "fr": ("Lumière", "Bellevue", "Rivière", "Montagne", "Étoile", "Chênaie", "Beaulieu",
           "Val-de-Loire", "Sémaphore", "Clairière"),
    "it": ("Adriatica", "Lombarda", "Tirrenica", "Padana", "Ligure", "Vesuviana", "Dolomiti",
           "Sabauda", "Scaligera", "Etrusca"),
    "es": ("Ibérica", "Levante", "Cantábrica", "Meseta", "Alhambra", "Guadalquivir", "Peñalara",
           "Mediterránea"),
    "nl": ("Zuiderzee", "Polderland", "Waterkant", "Duinzicht", "Grachtenhuis"),
    "sv": ("Norrsken", "Skärgård", "Fjällvind", "Älvdalen", "Östersjö"),
    "pl": ("Wisła", "Tatry", "Bałtyk", "Mazowsze", "Śląsk"),
    "pt": ("Atlântica", "Cerrado", "Paraná", "Guanabara", "Ipanema"),
    "ja": ("Sakura", "Fujimi", "Minato", "Asahi", "Kōyō"),
    "ga": ("Liffey", "Shannon", "Emerald", "Connacht", "Ardmore"),
}

# --- People -----------------------------------------------------------------------------------

FIRST_NAMES: dict[str, tuple[str, ...]] = {
    "en": (
        "James", "Mary", "Robert", "Patricia", "Michael", "Jennifer", "William", "Linda",
        "David", "Elizabeth", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah",
        "Christopher", "Karen", "Daniel", "Nancy", "Matthew", "Lisa", "Anthony", "Margaret",
        "Mark", "Emily", "Steven", "Ashley", "Andrew", "Kimberly", "Joshua", "Michelle",
        "Kevin", "Amanda", "Brian", "Melissa", "George", "Deborah", "Timothy", "Stephanie",
        "Edward", "Laura", "Jason", "Rebecca", "Ryan", "Katherine", "Nicholas", "Amy",
        "Gregory", "Christine", "Alexander", "Rachel", "Patrick", "Catherine", "Benjamin",
        "Samantha", "Jonathan", "Victoria", "Zachary", "Olivia", "Chloé", "Zoë", "Renée",
        "José", "Nguyễn Thi", "Priya", "Oluwaseun", "Aarav", "Mei-Ling", "Björn",
    ),
    "ga": ("Siobhán", "Niamh", "Seán", "Aoife", "Pádraig", "Caoimhe", "Ciarán", "Saoirse",
           "Eoin", "Róisín", "Declan", "Orla"),
    "de": ("Jürgen", "Günther", "Jörg", "Lukas", "Maximilian", "Sophie", "Anja", "Katrin",
           "Björn", "Uwe", "Sabine", "Stefan", "Matthias", "Ursula", "Dieter", "Lena", "Tobias",
           "Ingrid", "Wolfgang", "Franziska"),
    "fr": ("Émilie", "Hélène", "François", "Jérôme", "Céline", "Théo", "Chloé", "Noël",
           "Aurélie", "Benoît", "Mathilde", "Stéphane", "Sébastien", "Geneviève", "Amélie",
           "Loïc", "Gaëlle", "Étienne", "Inès", "Clément"),
    "it": ("Niccolò", "Lucia", "Giulia", "Matteo", "Alessandro", "Francesca", "Chiara",
           "Lorenzo", "Federica", "Giuseppe", "Salvatore", "Elena", "Andrea", "Marco", "Sara",
           "Tommaso", "Valentina", "Raffaele", "Ilaria", "Gianluca"),
    "es": ("José", "María", "Sofía", "Martín", "Lucía", "Álvaro", "Inés", "Ramón", "Begoña",
           "Jesús", "Adrián", "Paula", "Íñigo", "Carmen", "Raúl", "Nuria", "Andrés", "Elena",
           "Sergio", "Marta"),
    "nl": ("Sanne", "Daan", "Bram", "Femke", "Joost", "Lieke", "Maarten", "Eline", "Thijs",
           "Anouk", "Sem", "Roos"),
    "sv": ("Åsa", "Björn", "Linnéa", "Måns", "Sofia", "Erik", "Ingrid", "Anders", "Karin",
           "Johan", "Märta", "Lars"),
    "pl": ("Łukasz", "Małgorzata", "Paweł", "Agnieszka", "Krzysztof", "Katarzyna", "Michał",
           "Zofia", "Wojciech", "Anna"),
    "pt": ("João", "Conceição", "Antônio", "Luíza", "Gonçalo", "Letícia", "Sebastião",
           "Mariana", "Vinícius", "Fernanda"),
    "ja": ("Haruto", "Yui", "Sōta", "Aoi", "Ren", "Mei", "Yūki", "Hina", "Takeshi", "Keiko"),
}

LAST_NAMES: dict[str, tuple[str, ...]] = {
    "en": (
        "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
        "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson",
        "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White",
        "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young",
        "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green",
        "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter",
        "Roberts", "O'Brien", "O'Connor", "McAllister", "Nakamura", "Patel", "Okafor",
        "Kowalski", "Schmidt", "Byrne", "Fitzgerald", "Løvgren", "Nuñez", "Bäcker", "Dubois",
    ),
    "ga": ("Murphy", "Kelly", "O'Sullivan", "Walsh", "Byrne", "Ryan", "O'Connor", "Doyle",
           "McCarthy", "Gallagher", "Ó Briain", "Mac Giolla"),
    "de": ("Müller", "Schröder", "Groß", "Weiß", "Schäfer", "Köhler", "Hoffmann", "Becker",
           "Krüger", "Wagner", "Schulz", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Neumann",
           "Schwarz", "Zimmermann", "Braun"),
    "fr": ("Lefèvre", "Dupré", "Bérard", "Mercier", "Girard", "Fournier", "Lambert",
           "Rousseau", "Chevalier", "Lévêque", "Moreau", "Faure", "André", "Gauthier",
           "Bélanger", "Côté", "Gagné", "Roux", "Bonnet", "Dubois"),
    "it": ("Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci",
           "Marino", "Greco", "Bruno", "Gallo", "Conti", "De Luca", "Mancini", "Costa",
           "Giordano", "Rizzo", "Lombardi", "Fabbri"),
    "es": ("García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez",
           "Pérez", "Gómez", "Martín", "Jiménez", "Ruiz", "Hernández", "Díaz", "Moreno",
           "Muñoz", "Álvarez", "Romero", "Alonso", "Gutiérrez"),
    "nl": ("de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Visser",
           "Smit", "Meijer", "de Boer", "Mulder", "de Groot"),
    "sv": ("Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson",
           "Persson", "Svensson", "Gustafsson", "Lindström", "Ångström"),
    "pl": ("Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński",
           "Lewandowski", "Zieliński", "Szymański", "Woźniak"),
    "pt": ("Silva", "Santos", "Oliveira", "Souza", "Pereira", "Lima", "Gonçalves", "Araújo",
           "Ribeiro", "Conceição"),
    "ja": ("Satō", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Itō", "Yamamoto",
           "Nakamura", "Kobayashi", "Katō"),
}

PREFERRED_NAMES: dict[str, str] = {
    "William": "Bill", "Richard": "Rich", "Robert": "Bob", "Katherine": "Kate",
    "Elizabeth": "Liz", "Michael": "Mike", "Christopher": "Chris", "Jennifer": "Jen",
    "Joseph": "Joe", "Thomas": "Tom", "Daniel": "Dan", "Matthew": "Matt", "Anthony": "Tony",
    "Nicholas": "Nick", "Samantha": "Sam", "Alexander": "Alex", "Jonathan": "Jon",
    "Benjamin": "Ben", "Rebecca": "Becky", "Patricia": "Trish", "Margaret": "Maggie",
    "Victoria": "Vicky", "Timothy": "Tim", "Gregory": "Greg", "Steven": "Steve",
    "Andrew": "Andy", "Edward": "Ed", "Zachary": "Zach", "Giuseppe": "Beppe",
    "Alessandro": "Sandro", "Maximilian": "Max", "Franziska": "Franzi", "Oluwaseun": "Seun",
    "Katarzyna": "Kasia", "Małgorzata": "Gosia", "Krzysztof": "Krzysiek",
}

PRONUNCIATIONS: dict[str, str] = {
    "Siobhán": "shiv-AWN", "Niamh": "NEEV", "Aoife": "EE-fa", "Caoimhe": "KEE-va",
    "Saoirse": "SEER-sha", "Pádraig": "PAW-drig", "Ciarán": "KEER-awn", "Róisín": "ro-SHEEN",
    "Eoin": "OH-in", "Seán": "SHAWN", "Niccolò": "NEEK-ko-LOH", "Jürgen": "YUR-gen",
    "Łukasz": "WOO-kash", "Małgorzata": "mow-go-ZHAH-ta", "Wojciech": "VOY-chekh",
    "Íñigo": "EE-nyee-go", "Måns": "MONS", "Åsa": "OH-sa", "Oluwaseun": "oh-loo-wa-SHAY-oon",
    "Joost": "YOHST", "Thijs": "TICE", "Sōta": "SOH-tah", "Yūki": "YOO-kee",
    "Gonçalo": "gon-SAH-loo", "Geneviève": "zhen-vee-EV", "Loïc": "lo-EEK",
}

TITLES: dict[str, tuple[str, ...]] = {
    "executive": ("Chief Information Officer", "Chief Financial Officer",
                  "Chief Operating Officer", "Chief Technology Officer",
                  "VP Operations", "Chief Digital Officer"),
    "business": ("Director of Operations", "Facilities Manager", "Head of Customer Service",
                 "Contact Centre Manager", "Finance Manager", "Office Manager",
                 "Business Analyst", "Head of Branch Operations"),
    "technical": ("IT Director", "Network Engineer", "Telecom Manager", "Systems Administrator",
                  "Security Architect", "Infrastructure Manager", "Service Desk Lead"),
    "procurement": ("Procurement Manager", "Vendor Manager", "Purchasing Lead",
                    "Sourcing Specialist"),
}

LIKES = (
    "skiing (winter)", "boating (summer)", "Formula 1", "cycling", "jazz", "golf", "fishing",
    "marathon running", "cooking", "wine", "hiking", "chess", "sailing", "football (soccer)",
    "photography", "opera", "gardening", "tennis", "craft beer", "espresso", "vintage cars",
    "ice hockey", "board games", "birdwatching",
)
DISLIKES = (
    "phone calls", "golf", "cold calls", "long slide decks", "surprise visits",
    "early-morning meetings", "jargon", "late agendas", "being pitched at lunch",
)

# (channel, weight)
CHANNELS = (("email", 45), ("phone", 15), ("in_person", 12), ("video", 20), ("chat", 8))

# Letters that do not decompose into a base letter and an accent.
_TRANSLITERATION = str.maketrans({"ø": "o", "ł": "l", "æ": "ae", "ß": "ss", "đ": "d",
                                  "œ": "oe", "ð": "d", "þ": "th", "ı": "i"})


def ascii_word(text: str) -> str:
    """Letters and digits of ``text`` in plain ASCII, for e-mail addresses and domains."""
    from heedful.lib.text import fold

    plain = fold(text).translate(_TRANSLITERATION)
    return "".join(ch for ch in plain if ch.isascii() and ch.isalnum())

//! Word lists the card reader matches against: labels, job titles, legal forms, street
//! words, countries, name particles. All entries are lowercase; callers fold case first.

/// Labels in front of an office phone number.
pub const PHONE_LABELS: &[&str] = &[
    "t", "tel", "tel.", "tél", "tél.", "tel:", "phone", "ph", "p", "telephone", "téléphone", "telefon", "telefono",
    "teléfono", "telefone", "telf", "telf.", "tlf", "tlf.", "tfn", "puh", "puhelin", "office", "direct", "dir",
    "work", "bureau", "büro", "vaste", "centralino", "centralita", "vx", "växel", "switchboard", "landline", "fon",
];

/// Labels in front of a mobile number.
pub const MOBILE_LABELS: &[&str] = &[
    "m", "mob", "mob.", "mobile", "mobil", "mobiel", "mobiltelefon", "mobilnummer", "cell", "cell.", "cellular",
    "cellphone", "cellulare", "cel", "cel.", "celular", "handy", "portable", "port", "port.", "móvil", "movil",
    "gsm", "natel", "mobiele", "telemóvel", "telemovel", "matkapuhelin", "gsm.", "mobiltlf", "mobilt", "cellulaire",
];

/// Labels in front of a fax number.
pub const FAX_LABELS: &[&str] = &["f", "fax", "fax.", "faks", "telefax", "télécopie", "telecopie", "tfx", "fx"];

/// Labels in front of an email address.
pub const EMAIL_LABELS: &[&str] =
    &["e", "e-mail", "email", "mail", "e-post", "epost", "courriel", "correo", "sähköposti", "emailadres"];

/// Labels in front of a website.
pub const WEB_LABELS: &[&str] = &["w", "web", "website", "internet", "site", "url", "homepage", "www", "sitio", "webb"];

/// Whole words that make a line a job title, in English, German, French, Spanish, Dutch,
/// Swedish, Danish, Norwegian, Italian and Portuguese.
pub const TITLE_WORDS: &[&str] = &[
    // English
    "manager", "director", "engineer", "ceo", "cto", "cfo", "coo", "cio", "cmo", "cso", "cpo", "president",
    "vice", "vp", "svp", "evp", "avp", "head", "chief", "officer", "executive", "founder", "co-founder",
    "cofounder", "owner", "partner", "principal", "consultant", "advisor", "adviser", "analyst", "architect",
    "developer", "designer", "specialist", "coordinator", "administrator", "assistant", "associate",
    "representative", "rep", "sales", "marketing", "account", "accountant", "lead", "leader", "supervisor",
    "chairman", "chairwoman", "chair", "secretary", "treasurer", "attorney", "lawyer", "counsel", "paralegal",
    "scientist", "researcher", "professor", "lecturer", "doctor", "dr", "nurse", "technician", "programmer",
    "senior", "junior", "sr", "jr", "intern", "trainee", "agent", "broker", "buyer", "purchasing", "procurement",
    "recruiter", "editor", "writer", "producer", "strategist", "planner", "controller", "auditor", "operations",
    "operator", "superintendent", "foreman", "clerk", "receptionist", "manageress", "regional", "general",
    "managing", "deputy", "board", "member", "fellow", "evangelist", "ambassador", "business", "development",
    "product", "project", "program", "programme", "software", "engineering", "hr", "it", "finance",
    // German
    "geschäftsführer", "geschäftsführerin", "geschaftsfuhrer", "leiter", "leiterin", "abteilungsleiter",
    "abteilungsleiterin", "vertriebsleiter", "vertriebsleiterin", "einkaufsleiter", "einkaufsleiterin",
    "direktor", "direktorin", "vorstand", "vorsitzender", "vorsitzende", "inhaber", "inhaberin", "berater",
    "beraterin", "ingenieur", "ingenieurin", "entwickler", "entwicklerin", "referent", "referentin",
    "sachbearbeiter", "sachbearbeiterin", "prokurist", "prokuristin", "teamleiter", "teamleiterin",
    "bereichsleiter", "bereichsleiterin", "projektleiter", "projektleiterin", "kaufmann", "kauffrau",
    "vertrieb", "einkauf", "verkauf", "verkaufsleiter", "mitarbeiter", "mitarbeiterin", "assistentin",
    "gesellschafter", "gesellschafterin", "niederlassungsleiter", "außendienst", "innendienst", "leitung",
    // French
    "directeur", "directrice", "ingénieur", "ingenieur", "responsable", "gérant", "gérante", "gerant",
    "président", "présidente", "presidente", "chef", "chargé", "chargée", "charge", "conseiller",
    "conseillère", "commercial", "commerciale", "général", "générale", "adjoint", "adjointe", "associé",
    "associée", "fondateur", "fondatrice", "technicien", "technicienne", "développeur", "développeuse",
    "logiciel", "chercheur", "chercheuse", "comptable", "juriste", "avocat", "avocate", "affaires", "ventes",
    "achats", "acheteur", "acheteuse", "délégué", "déléguée", "attaché", "attachée", "gestionnaire",
    // Spanish
    "gerente", "jefe", "jefa", "director", "directora", "ingeniero", "ingeniera", "responsable", "presidenta",
    "consejero", "consejera", "delegado", "delegada", "asesor", "asesora", "consultor", "consultora",
    "desarrollador", "desarrolladora", "técnico", "técnica", "tecnico", "comercial", "compras", "ventas",
    "administrador", "administradora", "coordinador", "coordinadora", "analista", "abogado", "abogada",
    "fundador", "fundadora", "socio", "socia", "ejecutivo", "ejecutiva", "contable", "auxiliar",
    // Dutch
    "directeur", "algemeen", "commercieel", "adviseur", "adviseuse", "inkoper", "inkoopster", "verkoper",
    "verkoopster", "manager", "bedrijfsleider", "eigenaar", "eigenares", "medewerker", "medewerkster",
    "ontwikkelaar", "ingenieur", "projectleider", "teamleider", "afdelingshoofd", "hoofd", "vennoot",
    "accountmanager", "marketingmanager", "bestuurder", "voorzitter", "secretaris", "penningmeester",
    "consulent", "verkoop", "inkoop", "zaakvoerder", "beheerder",
    // Swedish, Danish, Norwegian
    "vd", "säljare", "saljare", "utvecklare", "chef", "marknadschef", "försäljningschef", "inköpschef",
    "projektledare", "ingenjör", "konsult", "rådgivare", "ekonomichef", "ägare", "grundare", "direktör",
    "styrelseordförande", "ordförande", "ansvarig", "säljchef", "verkställande", "handläggare", "tekniker",
    "adm", "administrerende", "direktør", "daglig", "leder", "sælger", "konsulent", "rådgiver", "udvikler",
    "ingeniør", "salgschef", "indkøbschef", "projektleder", "ejer", "stifter", "selger", "utvikler",
    "prosjektleder", "innkjøpssjef", "salgssjef", "daglig leder", "avdelingsleder", "markedssjef", "sjef",
    "markedschef", "økonomichef", "kundeansvarlig",
    // Italian
    "ingegnere", "responsabile", "direttore", "direttrice", "amministratore", "amministratrice", "delegato",
    "delegata", "commerciale", "titolare", "socio", "consulente", "tecnico", "sviluppatore", "sviluppatrice",
    "presidente", "capo", "dirigente", "impiegato", "impiegata", "progettista", "ragioniere", "geometra",
    "avvocato", "commercialista", "venditore", "venditrice", "agente", "acquisti", "vendite", "ufficio",
    "coordinatore", "coordinatrice", "generale", "fondatore", "fondatrice",
    // Portuguese
    "diretor", "diretora", "gerente", "engenheiro", "engenheira", "gestor", "gestora", "consultor",
    "vendedor", "vendedora", "sócio", "sócia", "coordenador", "coordenadora", "assessor", "assessora",
    "administrador", "técnico", "desenvolvedor", "desenvolvedora", "comercial", "executivo", "analista",
];

/// Endings of compound title words, as in "Vertriebsleiter", "Marknadschef", "Salgssjef".
pub const TITLE_ENDINGS: &[&str] = &[
    "manager", "leiter", "leiterin", "chef", "ledare", "direktor", "direktør", "direktör", "führer",
    "führerin", "berater", "beraterin", "sjef", "leder", "ansvarig", "ansvarlig", "adviseur", "engineer",
    "officer", "director", "ingenieur", "ingenjör", "ingeniør", "referent", "referentin", "specialist",
    "spezialist", "koordinator", "koordinatorin", "assistent", "assistentin", "entwickler", "utvecklare",
    "säljare", "developer", "designer", "consultant", "konsult", "medewerker",
];

/// Words that make a line look like a company even without a legal form.
pub const COMPANY_WORDS: &[&str] = &[
    "group", "gruppe", "groupe", "grupo", "gruppo", "groep", "holding", "holdings", "solutions", "systems",
    "services", "consulting", "technologies", "technology", "tech", "labs", "laboratories", "industries",
    "international", "partners", "associates", "company", "co", "corporation", "enterprises", "ventures",
    "capital", "logistics", "software", "networks", "analytics", "robotics", "medical", "energy", "foods",
    "materials", "instruments", "design", "textiles", "media", "studio", "agency", "bank", "insurance",
    "hotel", "restaurant", "clinic", "university", "universität", "université", "universidad", "università",
    "institute", "institut", "instituto", "istituto", "stiftung", "verein", "gesellschaft", "werke", "bau",
    "immobilien", "beratung", "versicherung", "société", "entreprise", "compagnie", "empresa", "compañía",
    "società", "azienda", "bedrijf", "företag", "firma", "trading", "manufacturing", "pharma", "global",
];

/// Legal-form suffixes, lowercase, with their usual spelling.
pub const LEGAL_FORMS: &[(&str, &str)] = &[
    ("inc", "Inc"), ("inc.", "Inc."), ("llc", "LLC"), ("l.l.c.", "L.L.C."), ("llp", "LLP"), ("lp", "LP"),
    ("ltd", "Ltd"), ("ltd.", "Ltd."), ("limited", "Limited"), ("plc", "PLC"), ("corp", "Corp"),
    ("corp.", "Corp."), ("corporation", "Corporation"), ("co.", "Co."), ("pty", "Pty"), ("pty.", "Pty."),
    ("gmbh", "GmbH"), ("ag", "AG"), ("kg", "KG"), ("ohg", "OHG"), ("e.k.", "e.K."), ("ek", "e.K."),
    ("e.v.", "e.V."), ("ug", "UG"), ("gbr", "GbR"), ("kgaa", "KGaA"), ("se", "SE"), ("ab", "AB"),
    ("as", "AS"), ("a/s", "A/S"), ("asa", "ASA"), ("aps", "ApS"), ("i/s", "I/S"), ("oy", "Oy"), ("oyj", "Oyj"),
    ("bv", "BV"), ("b.v.", "B.V."), ("nv", "NV"), ("n.v.", "N.V."), ("vof", "VOF"), ("v.o.f.", "V.O.F."),
    ("sa", "SA"), ("s.a.", "S.A."), ("sas", "SAS"), ("s.a.s.", "S.A.S."), ("sarl", "SARL"), ("s.a.r.l.", "S.A.R.L."),
    ("sàrl", "Sàrl"), ("eurl", "EURL"), ("sasu", "SASU"), ("sl", "SL"), ("s.l.", "S.L."), ("slu", "SLU"),
    ("s.l.u.", "S.L.U."), ("s.a.u.", "S.A.U."), ("spa", "SpA"), ("s.p.a.", "S.p.A."), ("spa.", "SpA."),
    ("srl", "Srl"), ("s.r.l.", "S.r.l."), ("snc", "Snc"), ("s.n.c.", "S.n.c."), ("sas.", "SAS."), ("lda", "Lda"),
    ("lda.", "Lda."), ("ltda", "Ltda"), ("ltda.", "Ltda."), ("kk", "KK"), ("k.k.", "K.K."), ("bvba", "BVBA"),
    ("sprl", "SPRL"), ("kft", "Kft"), ("sp.", "sp."), ("z.o.o.", "z o.o."), ("s.r.o.", "s.r.o."), ("a.s.", "a.s."),
    ("hb", "HB"), ("kb", "KB"), ("mbh", "mbH"), ("& co", "& Co"), ("co.kg", "Co. KG"),
];

/// Street words that stand on their own ("rue", "Calle", "Via", "Street", "Road").
pub const STREET_WORDS: &[&str] = &[
    // English, with the USPS suffixes as printed in full and abbreviated
    "street", "st", "st.", "road", "rd", "rd.", "avenue", "ave", "ave.", "av", "av.", "boulevard", "blvd",
    "blvd.", "lane", "ln", "ln.", "drive", "dr.", "court", "ct", "ct.", "place", "pl", "pl.", "square", "sq",
    "terrace", "way", "parkway", "pkwy", "highway", "hwy", "circle", "cir", "close", "crescent", "grove",
    "gardens", "hill", "park", "row", "walk", "mews", "green", "rise", "view", "alley", "trail", "route",
    "plaza", "loop", "path", "pike", "point", "ridge", "ridges", "run", "vista", "crossing", "junction",
    "mall", "isle", "inlet", "island", "islands", "knoll", "knolls", "lake", "lakes", "lodge", "locks", "lock",
    "mission", "mountain", "mountains", "mount", "port", "ports", "rue", "club", "fort", "harbor", "harbors",
    "heights", "haven", "hollow", "meadow", "meadows", "mill", "mills", "orchard", "pass", "pines", "plains",
    "prairie", "ranch", "shore", "shores", "spring", "springs", "station", "stream", "summit", "track",
    "trace", "turnpike", "union", "valley", "villages", "village", "ville", "well", "wells", "roads", "streets",
    "estate", "estates", "expressway", "falls", "ferry", "field", "fields", "flat", "flats", "ford", "forest",
    "forge", "fork", "freeway", "garden", "gateway", "glen", "glens", "greens", "bridge", "brook", "brooks",
    "burg", "bypass", "camp", "canyon", "cape", "causeway", "center", "centre", "cliff", "cliffs", "common",
    "corner", "corners", "course", "courts", "cove", "coves", "creek", "crest", "curve", "dale", "dam",
    "divide", "extension", "groves", "harbour", "landing", "light", "lights", "manor", "motorway", "neck",
    "oval", "overpass", "parks", "plain", "radial", "ramp", "rapids", "rest", "river", "shoal", "skyway",
    "stravenue", "throughway", "tunnel", "underpass", "unions", "viaduct", "views", "wall", "ways", "apt",
    "apt.", "suite", "ste", "unit", "floor", "building", "studio", "po", "box",
    // German
    "straße", "strasse", "str.", "weg", "platz", "allee", "gasse", "ring", "damm", "ufer", "chaussee", "markt",
    "steig", "pfad", "stieg", "zeile", "hof",
    // French
    "rue", "avenue", "chemin", "boulevard", "bd", "bd.", "impasse", "allée", "place", "quai", "route",
    "cours", "passage", "square", "voie", "faubourg", "esplanade", "rond-point", "sentier", "parvis",
    // Spanish
    "calle", "c.", "c/", "avenida", "avda", "avda.", "plaza", "pza", "pza.", "paseo", "pasaje", "camino",
    "carrera", "ronda", "travesía", "travesia", "glorieta", "alameda", "acceso", "vial", "rambla",
    "carretera", "urbanización", "piso", "puerta", "bajo", "planta", "callejón", "cuesta", "polígono",
    // Italian
    "via", "viale", "piazza", "piazzale", "corso", "largo", "vicolo", "strada", "borgo", "rotonda", "canale",
    "contrada", "lungomare", "vico", "salita", "località", "frazione", "appartamento", "interno", "scala",
    // Portuguese
    "rua", "travessa", "praça", "praca", "estrada", "largo", "alameda", "avenida",
    // Dutch
    "straat", "laan", "weg", "plein", "gracht", "kade", "dijk", "singel", "steeg", "pad", "hof", "markt",
    "dreef", "baan", "wal", "park",
    // Nordic
    "gatan", "gata", "vägen", "väg", "gränd", "torget", "torg", "vej", "gade", "veien", "vei", "gate", "plads",
    "allé",
];

/// Endings of street names written as one word ("Seifertplatz", "Industrigatan", "Rosapad").
pub const STREET_ENDINGS: &[&str] = &[
    "straße", "strasse", "str.", "weg", "platz", "allee", "gasse", "ring", "damm", "ufer", "steig", "pfad",
    "straat", "laan", "plein", "gracht", "kade", "dijk", "singel", "steeg", "pad", "hof", "dreef", "markt",
    "gatan", "gata", "vägen", "väg", "gränd", "torget", "torg", "vej", "gade", "veien", "vei", "gaten", "plads",
    "allé", "boulevard", "vegen", "stigen", "backen", "parken", "leden",
];

/// Country names in English and in their own languages, with how they are usually printed.
pub const COUNTRIES: &[&str] = &[
    "usa", "u.s.a.", "united states", "united states of america", "us", "canada", "mexico", "méxico",
    "united kingdom", "uk", "u.k.", "great britain", "england", "scotland", "wales", "northern ireland",
    "ireland", "éire", "germany", "deutschland", "austria", "österreich", "switzerland", "schweiz", "suisse",
    "svizzera", "france", "spain", "españa", "espana", "italy", "italia", "netherlands", "the netherlands",
    "nederland", "holland", "belgium", "belgië", "belgique", "belgien", "luxembourg", "luxemburg", "sweden",
    "sverige", "denmark", "danmark", "norway", "norge", "finland", "suomi", "iceland", "ísland", "portugal",
    "brasil", "brazil", "poland", "polska", "czech republic", "czechia", "česko", "greece", "ελλάδα",
    "hungary", "magyarország", "romania", "românia", "australia", "new zealand", "japan", "china", "india",
    "singapore", "south africa", "argentina", "chile", "colombia", "peru", "perú", "turkey", "türkiye",
    "israel", "estonia", "eesti", "latvia", "latvija", "lithuania", "lietuva", "slovakia", "slovensko",
    "slovenia", "slovenija", "croatia", "hrvatska", "bulgaria", "serbia", "monaco", "liechtenstein", "malta",
    "cyprus", "united arab emirates", "uae",
];

/// US state and Canadian province codes, for "City, ST 12345".
pub const STATE_CODES: &[&str] = &[
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY",
    "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH",
    "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "PR", "GU", "VI",
    "AS", "MP", "AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT",
];

/// Name particles, kept lowercase when they are not the first word of a name.
pub const NAME_PARTICLES: &[&str] = &[
    "van", "von", "de", "der", "den", "del", "della", "delle", "dei", "degli", "di", "da", "das", "do", "dos",
    "du", "des", "la", "le", "ten", "ter", "te", "zu", "zur", "af", "av", "y", "'t",
];

/// True when `word` (any case) is in `list`.
pub fn contains(list: &[&str], word: &str) -> bool {
    let lower = word.to_lowercase();
    list.contains(&lower.as_str())
}

/// The usual spelling of the legal form `word`, if it is one.
pub fn legal_form(word: &str) -> Option<&'static str> {
    let lower = word.to_lowercase();
    LEGAL_FORMS.iter().find(|(form, _)| *form == lower).map(|(_, spelling)| *spelling)
}

/// True when `word` is a job-title word, whole or as the end of a compound.
pub fn is_title_word(word: &str) -> bool {
    let lower = word.to_lowercase();
    let lower = lower.trim_matches(|character: char| !character.is_alphanumeric() && character != '-');
    if lower.is_empty() {
        return false;
    }
    TITLE_WORDS.contains(&lower)
        || (lower.chars().count() > 6 && TITLE_ENDINGS.iter().any(|ending| lower.ends_with(ending)))
}

/// True when `word` is a street word or a one-word street name's ending.
pub fn is_street_word(word: &str) -> bool {
    let lower = word.to_lowercase();
    let trimmed = lower.trim_end_matches(',');
    STREET_WORDS.contains(&trimmed)
        || (trimmed.chars().count() > 4 && STREET_ENDINGS.iter().any(|ending| trimmed.ends_with(ending)))
}

"""Messages of reading and checking EDEXML files (pupils, groups and teachers)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # -- The file as a whole ------------------------------------------------------------------
    "edexml.invalid": (
        "Het EDEXML-bestand bevat {errors} fout(en) en {warnings} waarschuwing(en).",
        "The EDEXML file has {errors} error(s) and {warnings} warning(s).",
    ),
    "edexml.problem": (
        "Er is een probleem in het EDEXML-bestand.",
        "There is a problem in the EDEXML file.",
    ),
    "edexml.source.not_bytes": (
        "Geef een EDEXML-bestand als bytes of als pad, niet als {actual}: de codering die het "
        "bestand zelf noemt bepaalt hoe het gelezen wordt.",
        "Pass an EDEXML file as bytes or a path, not as {actual}: the encoding the file names "
        "itself decides how it is read.",
    ),
    "edexml.source.unreadable": (
        "Het bestand {path} kan niet worden gelezen: {reason}",
        "The file {path} cannot be read: {reason}",
    ),
    "edexml.xml.malformed": (
        "Het bestand is geen goedgevormde XML: {detail}",
        "The file is not well-formed XML: {detail}",
    ),
    "edexml.problems.truncated": (
        "Nog {more} probleem/problemen gevonden ({errors} fout(en)), niet opgesomd: examkit "
        "somt er ten hoogste {maximum} op (grens max_problems).",
        "{more} more problem(s) found ({errors} error(s)), not listed: examkit lists at most "
        "{maximum} (limit max_problems).",
    ),
    # -- Refusals -----------------------------------------------------------------------------
    "edexml.refused": (
        "Het bestand is geweigerd.",
        "The file was refused.",
    ),
    "edexml.refused.size": (
        "Het bestand is geweigerd: het is groter dan {maximum} bytes (grens max_bytes).",
        "The file was refused: it is larger than {maximum} bytes (limit max_bytes).",
    ),
    "edexml.refused.depth": (
        "Het bestand is geweigerd: elementen zijn dieper genest dan {maximum} niveaus "
        "(grens max_depth).",
        "The file was refused: elements are nested deeper than {maximum} levels (limit max_depth).",
    ),
    "edexml.refused.elements": (
        "Het bestand is geweigerd: het heeft meer dan {maximum} elementen (grens max_elements).",
        "The file was refused: it has more than {maximum} elements (limit max_elements).",
    ),
    "edexml.refused.text_length": (
        "Het bestand is geweigerd: een tekst is langer dan {maximum} tekens "
        "(grens max_text_length).",
        "The file was refused: a text is longer than {maximum} characters (limit max_text_length).",
    ),
    "edexml.refused.records": (
        "Het bestand is geweigerd: het heeft meer dan {maximum} records (leerlingen, "
        "leerkrachten, groepen, samengestelde groepen en vestigingen samen; grens max_records).",
        "The file was refused: it has more than {maximum} records (pupils, teachers, groups, "
        "combination groups and sites together; limit max_records).",
    ),
    "edexml.refused.record_elements": (
        "Het bestand is geweigerd: een record (de school, een leerling, leerkracht, groep of "
        "vestiging) bevat meer dan {maximum} elementen (grens max_record_elements).",
        "The file was refused: a record (the school, a pupil, teacher, group or site) holds "
        "more than {maximum} elements (limit max_record_elements).",
    ),
    "edexml.refused.attributes": (
        "Het bestand is geweigerd: een element heeft meer dan {maximum} attributen "
        "(grens max_attributes).",
        "The file was refused: an element has more than {maximum} attributes "
        "(limit max_attributes).",
    ),
    "edexml.refused.attribute_length": (
        "Het bestand is geweigerd: een attribuutwaarde is langer dan {maximum} tekens "
        "(grens max_attribute_length).",
        "The file was refused: an attribute value is longer than {maximum} characters "
        "(limit max_attribute_length).",
    ),
    "edexml.refused.doctype": (
        "Het bestand is geweigerd: het heeft een documenttypedeclaratie (DOCTYPE). EDEXML "
        "gebruikt die niet, en examkit laadt geen DTD's en vult geen entiteiten in "
        "(grens doctype).",
        "The file was refused: it has a document type declaration (DOCTYPE). EDEXML uses "
        "none, and examkit loads no DTDs and expands no entities (limit doctype).",
    ),
    # -- Structure ----------------------------------------------------------------------------
    "edexml.element.root": (
        "Het bestand begint met <{name}>; een EDEXML-bestand begint met <EDEX>.",
        "The file starts with <{name}>; an EDEXML file starts with <EDEX>.",
    ),
    "edexml.element.unexpected": (
        "<{name}> hoort hier niet; verwacht: {expected}.",
        "<{name}> does not belong here; expected: {expected}.",
    ),
    "edexml.element.unexpected_end": (
        "<{name}> hoort hier niet: in <{parent}> mag hier niets meer volgen.",
        "<{name}> does not belong here: nothing more may follow here in <{parent}>.",
    ),
    "edexml.element.missing": (
        "In <{name}> ontbreekt een element; verwacht: {expected}.",
        "<{name}> lacks an element; expected: {expected}.",
    ),
    "edexml.element.text": (
        "<{name}> mag alleen elementen bevatten, geen tekst.",
        "<{name}> may hold only elements, no text.",
    ),
    "edexml.element.not_empty": (
        "<{name}> moet leeg zijn: alleen attributen, geen tekst of elementen.",
        "<{name}> must be empty: attributes only, no text or elements.",
    ),
    "edexml.element.simple": (
        "<{name}> bevat een waarde en mag geen elementen bevatten.",
        "<{name}> holds a value and may not hold elements.",
    ),
    "edexml.attribute.unknown": (
        "<{name}> heeft geen attribuut {attribute}.",
        "<{name}> has no attribute {attribute}.",
    ),
    "edexml.attribute.missing": (
        "<{name}> mist het verplichte attribuut {attribute}.",
        "<{name}> lacks the required attribute {attribute}.",
    ),
    "edexml.type.unknown": (
        "xsi:type '{type}' is geen type dat <{name}> kan hebben.",
        "xsi:type '{type}' is not a type <{name}> can have.",
    ),
    "edexml.type.abstract": (
        "<{name}> heeft een xsi:type nodig dat zegt wat voor blok het is (OpmerkingGegevensType).",
        "<{name}> needs an xsi:type saying what kind of block it is (OpmerkingGegevensType).",
    ),
    "edexml.nil": (
        "<{name}> mag niet met xsi:nil leeg verklaard worden.",
        "<{name}> may not be declared empty with xsi:nil.",
    ),
    # -- Values -------------------------------------------------------------------------------
    "edexml.value.empty": (
        "{name} is leeg; er hoort een waarde in.",
        "{name} is empty; it needs a value.",
    ),
    "edexml.value.too_short": (
        "'{value}' in {name} is te kort: {length} teken(s), ten minste {minimum}.",
        "'{value}' in {name} is too short: {length} character(s), at least {minimum}.",
    ),
    "edexml.value.too_long": (
        "'{value}' in {name} is te lang: {length} tekens, ten hoogste {maximum}.",
        "'{value}' in {name} is too long: {length} characters, at most {maximum}.",
    ),
    "edexml.value.not_allowed": (
        "'{value}' is geen toegestane waarde van {name}; toegestaan: {allowed}.",
        "'{value}' is not an allowed value of {name}; allowed: {allowed}.",
    ),
    "edexml.value.integer": (
        "'{value}' in {name} is geen geheel getal.",
        "'{value}' in {name} is not a whole number.",
    ),
    "edexml.value.too_many_digits": (
        "'{value}' in {name} heeft te veel cijfers: ten hoogste {maximum}.",
        "'{value}' in {name} has too many digits: at most {maximum}.",
    ),
    "edexml.value.date": (
        "'{value}' in {name} is geen datum: schrijf JJJJ-MM-DD, zonder spaties (2014-06-21).",
        "'{value}' in {name} is not a date: write YYYY-MM-DD, without spaces (2014-06-21).",
    ),
    "edexml.value.datetime": (
        "'{value}' in {name} is geen tijdstip: schrijf JJJJ-MM-DDTuu:mm:ss, zonder spaties "
        "(2014-09-07T08:47:34).",
        "'{value}' in {name} is not a date and time: write YYYY-MM-DDThh:mm:ss, without "
        "spaces (2014-09-07T08:47:34).",
    ),
    "edexml.value.school_year": (
        "'{value}' in {name} is geen schooljaar: schrijf JJJJ-JJJJ in cijfers, vanaf "
        "1900-1901 (2026-2027).",
        "'{value}' in {name} is not a school year: write YYYY-YYYY in digits, from 1900-1901 "
        "on (2026-2027).",
    ),
    "edexml.school_year.not_consecutive": (
        "'{value}' in {name} is geen schooljaar: het tweede jaar moet {expected} zijn "
        "(het eerste plus één).",
        "'{value}' in {name} is not a school year: the second year must be {expected} "
        "(the first plus one).",
    ),
    "edexml.value.two_digits": (
        "'{value}' in {name} moet uit 2 cijfers bestaan (00).",
        "'{value}' in {name} must be 2 digits (00).",
    ),
    "edexml.value.four_digits": (
        "'{value}' in {name} moet uit 4 cijfers bestaan.",
        "'{value}' in {name} must be 4 digits.",
    ),
    "edexml.value.nine_digits": (
        "'{value}' in {name} moet uit 9 cijfers bestaan.",
        "'{value}' in {name} must be 9 digits.",
    ),
    "edexml.value.eleven_digits": (
        "'{value}' in {name} moet uit 11 cijfers bestaan.",
        "'{value}' in {name} must be 11 digits.",
    ),
    "edexml.value.personal_number": (
        "{name} moet uit {digits} cijfers bestaan; examkit toont de waarde niet, want het is "
        "een persoonsnummer.",
        "{name} must be {digits} digits; examkit does not show the value, as it is a personal "
        "number.",
    ),
    "edexml.pupil.key_is_personal_number": (
        "De key van deze leerling is zijn {name}; examkit bewaart geen persoonsnummers. Laat "
        "de leerlingadministratie een andere key gebruiken.",
        "This pupil's key is its {name}; examkit keeps no personal numbers. Have the school "
        "administration use another key.",
    ),
    "edexml.value.postcodenl": (
        "'{value}' in {name} is geen postcode: 4 cijfers en 2 hoofdletters, zonder spatie "
        "(8835BA).",
        "'{value}' in {name} is not a postcode: 4 digits and 2 capital letters, without a "
        "space (8835BA).",
    ),
    "edexml.value.brincode": (
        "'{value}' in {name} is geen BRIN-code: 2 cijfers en 2 hoofdletters (99ZZ).",
        "'{value}' in {name} is not a BRIN code: 2 digits and 2 capital letters (99ZZ).",
    ),
    "edexml.value.instellingsnummer": (
        "'{value}' in {name} is geen instellingsnummer: 2 tot 6 cijfers.",
        "'{value}' in {name} is not an instellingsnummer: 2 to 6 digits.",
    ),
    # -- Keys and references ------------------------------------------------------------------
    "edexml.key.duplicate": (
        "De sleutel '{key}' van {name} komt al voor op regel {first_line}.",
        "The key '{key}' of {name} already appears on line {first_line}.",
    ),
    "edexml.eckid.duplicate": (
        "Het eckid '{key}' van {name} komt al voor op regel {first_line}.",
        "The eckid '{key}' of {name} already appears on line {first_line}.",
    ),
    "edexml.reference.group": (
        "{name} verwijst naar groep '{key}', maar die groep staat niet in het bestand.",
        "{name} refers to group '{key}', but that group is not in the file.",
    ),
    "edexml.reference.combination_group": (
        "{name} verwijst naar samengestelde groep '{key}', maar die staat niet in het bestand.",
        "{name} refers to combination group '{key}', but it is not in the file.",
    ),
    "edexml.reference.site": (
        "{name} verwijst naar vestiging '{key}', maar die vestiging staat niet in het bestand.",
        "{name} refers to site '{key}', but that site is not in the file.",
    ),
    # -- Versions -----------------------------------------------------------------------------
    "edexml.version.mismatch": (
        "Het bestand noemt xsdversie {declared}, maar gebruikt onderdelen van EDEXML "
        "{version}; het is gecontroleerd als EDEXML {version}.",
        "The file names xsdversie {declared}, but uses parts of EDEXML {version}; it was "
        "checked as EDEXML {version}.",
    ),
    "edexml.version.unknown": (
        "xsdversie '{declared}' is geen EDEXML-versie die examkit kent (1.03, 2.0, 2.1); het "
        "bestand is gecontroleerd als EDEXML {version}.",
        "xsdversie '{declared}' is not an EDEXML version examkit knows (1.03, 2.0, 2.1); the "
        "file was checked as EDEXML {version}.",
    ),
    # -- Warnings: what the standard's schema misses ------------------------------------------
    "edexml.pupil.year_group_derived": (
        "Leerling '{key}' heeft geen jaargroep; examkit neemt jaargroep {year_group} over van "
        "groep '{group}'.",
        "Pupil '{key}' has no jaargroep; examkit takes jaargroep {year_group} from group "
        "'{group}'.",
    ),
    "edexml.pupil.year_group_missing": (
        "Leerling '{key}' heeft geen jaargroep, en die is niet af te leiden uit een groep.",
        "Pupil '{key}' has no jaargroep, and none can be derived from a group.",
    ),
    "edexml.key.spaces": (
        "De sleutel '{key}' van {name} begint of eindigt met spaties; wie ernaar verwijst "
        "moet die spaties precies overnemen.",
        "The key '{key}' of {name} starts or ends with spaces; whatever refers to it must "
        "repeat those spaces exactly.",
    ),
    "edexml.key.dummy": (
        "De sleutel '{key}' van {name} is een dummy (hij begint met #); bij een volgende "
        "import is deze niet terug te vinden.",
        "The key '{key}' of {name} is a dummy (it starts with #); a later import will not "
        "find it again.",
    ),
    "edexml.group.combination": (
        "Groep '{key}' staat in jaargroep {year_group}, maar heeft leerlingen in jaargroep "
        "{found}: een combinatiegroep hoort jaargroep C te hebben.",
        "Group '{key}' is in jaargroep {year_group}, but has pupils in jaargroep {found}: a "
        "combination class should have jaargroep C.",
    ),
    "edexml.identifier.brin": (
        "'{value}' in {name} past in EDEXML, maar is geen BRIN-code: die bestaat uit 2 "
        "cijfers (0-9) en 2 letters (A-Z).",
        "'{value}' in {name} passes EDEXML, but is not a BRIN code: one is 2 digits (0-9) "
        "and 2 letters (A-Z).",
    ),
    "edexml.identifier.location": (
        "'{value}' in {name} past in EDEXML, maar geeft geen locatiecode: de dependancecode "
        "bestaat uit 2 cijfers (0-9).",
        "'{value}' in {name} passes EDEXML, but gives no location code: the dependancecode "
        "is 2 digits (0-9).",
    ),
    "edexml.identifier.instellingsnummer": (
        "'{value}' in {name} past in EDEXML, maar is geen instellingsnummer: dat bestaat uit "
        "2 tot 6 cijfers (0-9).",
        "'{value}' in {name} passes EDEXML, but is not an instellingsnummer: one is 2 to 6 "
        "digits (0-9).",
    ),
    "edexml.identifier.email": (
        "'{value}' in {name} is geen bruikbaar e-mailadres; examkit neemt het niet over.",
        "'{value}' in {name} is not a usable e-mail address; examkit does not keep it.",
    ),
    # -- Lenient mode and extra schemas -------------------------------------------------------
    "edexml.lenient.stripped": (
        "Toevoegingen van de leverancier weggelaten (soepele controle).",
        "Vendor additions (toevoegingen) left out (lenient check).",
    ),
    "edexml.lenient.type_ignored": (
        "xsi:type '{type}' is onbekend en genegeerd (soepele controle); <{name}> is "
        "gecontroleerd zoals de standaard het beschrijft.",
        "xsi:type '{type}' is unknown and ignored (lenient check); <{name}> was checked as "
        "the standard describes it.",
    ),
    "edexml.extra_schema.invalid": (
        "Volgens het opgegeven schema: {detail}",
        "According to the given schema: {detail}",
    ),
    "edexml.extra_schema.unusable": (
        "Het opgegeven schema {path} is geen bruikbaar XML-schema: {detail}",
        "The given schema {path} is not a usable XML schema: {detail}",
    ),
}

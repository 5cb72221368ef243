"""Texts of ``examkit demo``."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "demo.start": (
        "Het is {date}: schooljaar {school_year}.",
        "It is {date}: school year {school_year}.",
    ),
    "demo.backend.sqlite": (
        "De gegevens staan in een SQLite-database: {path}",
        "The data is kept in an SQLite database: {path}",
    ),
    "demo.backend.memory": (
        "De gegevens staan in het geheugen (installeer examkit[sql] voor SQLite).",
        "The data is kept in memory (install examkit[sql] for SQLite).",
    ),
    "demo.institution": (
        "Instelling '{name}' met BRIN {brin} is geregistreerd.",
        "Institution '{name}' with BRIN {brin} is registered.",
    ),
    "demo.main": ("hoofdlocatie", "main location"),
    "demo.secondary": ("nevenlocatie", "secondary location"),
    "demo.location": (
        "  {code} ({kind}): {name}, {address}",
        "  {code} ({kind}): {name}, {address}",
    ),
    "demo.authority": (
        "Bevoegd gezag: {name}, {function}.",
        "Competent authority: {name}, {function}.",
    ),
    "demo.passwords": (
        "Wachtwoorden, gecontroleerd met het beleid van Facet en met dat naar NIST:",
        "Passwords, checked against the Facet policy and against the NIST one:",
    ),
    "demo.password.valid": (
        "  '{password}' ({policy}): voldoet aan elke regel",
        "  '{password}' ({policy}): meets every rule",
    ),
    "demo.password.invalid": (
        "  '{password}' ({policy}): voldoet niet",
        "  '{password}' ({policy}): does not comply",
    ),
    "demo.problem": ("    - {message}", "    - {message}"),
    "demo.compliance": (
        "Waar het beleid {policy} afwijkt van {standard}, en waarom:",
        "Where the policy {policy} deviates from {standard}, and why:",
    ),
    "demo.deviation": ("  - {subject}: {reason}", "  - {subject}: {reason}"),
    "demo.written": (
        "Geschreven: {path}",
        "Written: {path}",
    ),
    "demo.edexml.file": (
        "EDEXML-bestand {path}: {verdict}, versie {version}, {groups} groepen, "
        "{pupils} leerlingen, {teachers} leerkrachten.",
        "EDEXML file {path}: {verdict}, version {version}, {groups} groups, "
        "{pupils} pupils, {teachers} teachers.",
    ),
    "demo.edexml.valid": ("geldig", "valid"),
    "demo.edexml.invalid": ("ongeldig", "not valid"),
    "demo.edexml.error": ("fout", "error"),
    "demo.edexml.warning": ("waarschuwing", "warning"),
    "demo.edexml.problem": (
        "  {severity}, regel {line_number}, {element}: {message}",
        "  {severity}, line {line_number}, {element}: {message}",
    ),
    "demo.done": (
        "Klaar. De documenten staan in {folder}.",
        "Done. The documents are in {folder}.",
    ),
    "demo.scoring.start": (
        "Een toets met maximale score {maximum} wordt gescoord (N-term {nterm}).",
        "A test with maximum score {maximum} is scored (N-term {nterm}).",
    ),
    "demo.scoring.result": (
        "  {candidate}: score {total}, cijfer {grade}",
        "  {candidate}: score {total}, grade {grade}",
    ),
    "demo.scoring.table": (
        "Omzettingstabel (score:cijfer): {rows}; laagste voldoende score: {lowest_pass}.",
        "Conversion table (score:grade): {rows}; lowest passing score: {lowest_pass}.",
    ),
    "demo.scoring.dry_run": (
        "Proefberekening: als vraag {item} wordt geneutraliseerd, verandert de uitslag van "
        "{count} kandidaat/kandidaten:",
        "Dry run: if item {item} is neutralised, {count} candidate(s) change:",
    ),
    "demo.scoring.change": (
        "  {candidate}: {total_before} -> {total_after} punten, cijfer {grade_before} -> "
        "{grade_after}",
        "  {candidate}: {total_before} -> {total_after} points, grade {grade_before} -> "
        "{grade_after}",
    ),
    "demo.roles.administrator": (
        "De servicedesk keurt de aanvraag goed: {name} wordt beheerder van {application} op "
        "{locations}.",
        "The service desk approves the application: {name} becomes administrator of "
        "{application} at {locations}.",
    ),
    "demo.roles.added": (
        "{admin} voegt {name} ({login_name}) toe in {application}; e-mail aan {email}: "
        "'{subject}'.",
        "{admin} adds {name} ({login_name}) in {application}; e-mail to {email}: '{subject}'.",
    ),
    "demo.roles.granted": (
        "{admin} kent {name} de rol {role} toe op {at}.",
        "{admin} grants {name} the role {role} at {at}.",
    ),
    "demo.roles.access": (
        "{admin} vinkt 'Toegang tot applicatie' aan voor {name}.",
        "{admin} ticks 'access to application' for {name}.",
    ),
    "demo.roles.may": (
        "  {name} mag '{action}' op {at}: {answer}",
        "  {name} may '{action}' at {at}: {answer}",
    ),
    "demo.roles.yes": ("ja", "yes"),
    "demo.roles.no": ("nee", "no"),
    "demo.roles.refused": (
        "{name} probeert {other} de rol {role} toe te kennen: {message}",
        "{name} tries to grant {other} the role {role}: {message}",
    ),
    "demo.import.preview": (
        "Voorbeeld van de import voor {location}, schooljaar {school_year}: {pupils} leerlingen "
        "in {groups} groepen; nog niets opgeslagen, het voorbeeld vervalt over {minutes} minuten.",
        "Preview of the import for {location}, school year {school_year}: {pupils} pupils "
        "in {groups} groups; nothing stored yet, the preview lapses in {minutes} minutes.",
    ),
    "demo.import.changes": (
        "  {kind}: {added} nieuw, {changed} gewijzigd, {gone} verdwenen.",
        "  {kind}: {added} new, {changed} changed, {gone} gone.",
    ),
    "demo.import.field": (
        "    {key}, {field}: {before} -> {after}",
        "    {key}, {field}: {before} -> {after}",
    ),
    "demo.import.kind.pupils": ("leerlingen", "pupils"),
    "demo.import.kind.groups": ("groepen", "groups"),
    "demo.import.kind.combination_groups": ("samengestelde groepen", "combination groups"),
    "demo.import.kind.teachers": ("leerkrachten", "teachers"),
    "demo.import.confirmed": (
        "De beheerder bevestigt; leerlingen en klassen staan klaar voor planning en bestellen.",
        "The administrator confirms; pupils and classes are ready for planning and ordering.",
    ),
    "demo.import.class": (
        "  Klas {name}: {count} leerlingen ({pupils}).",
        "  Class {name}: {count} pupils ({pupils}).",
    ),
    "demo.import.again": (
        "Een nieuwere export van {location} wordt ingelezen:",
        "A newer export of {location} is imported:",
    ),
    "demo.import.archived": (
        "Gearchiveerd (niet meer ingepland, later gewist): {pupils}.",
        "Archived (no longer scheduled, erased later): {pupils}.",
    ),
}

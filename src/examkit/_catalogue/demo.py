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
        "De automatisch scoorbare vragen van de afname worden gescoord (maximale score {maximum}, "
        "N-term {nterm}); de open vraag wacht op de corrector.",
        "The session's automatically scored items are scored (maximum score {maximum}, "
        "N-term {nterm}); the open item waits for its corrector.",
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
    "demo.correction.start": (
        "Correctie: de planner geeft de afnamegroep vrij voor correctie ({count} kandidaten, "
        "open vragen {items}); eerste en tweede corrector scoren onafhankelijk.",
        "Correction: the planner releases the session group for correction ({count} "
        "candidates, open items {items}); the first and second corrector score independently.",
    ),
    "demo.correction.difference": (
        "  Overeen te komen: {candidate}, vraag {item}: {first} tegen {second}.",
        "  To agree on: {candidate}, item {item}: {first} against {second}.",
    ),
    "demo.correction.agreed": (
        "  Overeengekomen score: {score} (versies van de scores van deze kandidaat: {versions}).",
        "  Agreed score: {score} (versions of this candidate's scores: {versions}).",
    ),
    "demo.correction.refused": (
        "  Afsluiten met een open verschil wordt geweigerd: {message}",
        "  Closing with an open difference is refused: {message}",
    ),
    "demo.correction.closed": (
        "De corrector sluit de correctie af; de groep is terug bij de planner ({state}).",
        "The corrector closes the correction; the group is back with the planner ({state}).",
    ),
    "demo.correction.result": (
        "  {name} ({class_key}): score {total}, cijfer {grade} (N-term {nterm})",
        "  {name} ({class_key}): score {total}, grade {grade} (N-term {nterm})",
    ),
    "demo.correction.review": (
        "Inzage verleend voor {name} tot {until}; de inzage toont per vraag antwoord, score en "
        "opmerking:",
        "Review granted for {name} until {until}; it shows each item's response, score and "
        "comment:",
    ),
    "demo.correction.review_item": (
        "  {item}: antwoord '{response}', {score} van {maximum} {comment}",
        "  {item}: response '{response}', {score} of {maximum} {comment}",
    ),
    "demo.correction.report": (
        "Vakrapportage voor de vakdocent Engels van {classes}: {count} rij(en), geen rijen van "
        "andere vakken of klassen:",
        "Subject report for the English teacher of {classes}: {count} row(s), no rows of other "
        "subjects or classes:",
    ),
    "demo.correction.report_row": (
        "  {class_key} {name}: {grade}",
        "  {class_key} {name}: {grade}",
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
    "demo.sessions.candidates": (
        "Een kandidatenbestand (puntkomma's, Windows-1252) levert {count} kandidaten op, elk "
        "met een eigen inlognaam.",
        "A candidate file (semicolons, Windows-1252) gives {count} candidates, each with a "
        "login name of their own.",
    ),
    "demo.sessions.planned": (
        "De afnameplanner plant een afnamegroep: toets {exam}, {room}, {count} kandidaten.",
        "The planner plans a session group: test {exam}, {room}, {count} candidates.",
    ),
    "demo.sessions.from_pupils": (
        "Uit de geïmporteerde leerlingen van groep {classes} maakt de afnameplanner"
        " {count} kandidaten: {names}.",
        "From the imported pupils of class {classes} the planner makes {count} candidates:"
        " {names}.",
    ),
    "demo.sessions.released": (
        "De afnameleider geeft de groep vrij; toegangscode {code}.",
        "The proctor releases the group; access code {code}.",
    ),
    "demo.sessions.signed_in": (
        "Kandidaat {login} logt in met inlognaam en toegangscode; de tijd loopt tot {deadline}.",
        "Candidate {login} signs in with login name and access code; time runs until {deadline}.",
    ),
    "demo.sessions.answered": (
        "{count} kandidaten beantwoorden de vragen; elk antwoord wordt meteen bewaard.",
        "{count} candidates answer the items; every answer is saved at once.",
    ),
    "demo.sessions.blocked": (
        "De afnameleider blokkeert de groep; een kandidaat die nu inlogt krijgt: {message}",
        "The proctor blocks the group; a candidate signing in now gets: {message}",
    ),
    "demo.sessions.released_again": (
        "De afnameleider geeft de groep weer vrij, met dezelfde toegangscode.",
        "The proctor releases the group again, with the same access code.",
    ),
    "demo.sessions.closed": (
        "De afnameleider sluit af met het proces-verbaal: {present} aanwezig, {absent} afwezig; "
        "de toegangscode vervalt.",
        "The proctor closes with the session report: {present} present, {absent} absent; the "
        "access code dies.",
    ),
    "demo.sessions.flemish_problems": (
        "Vlaamse toetsen: de validatie meldt {count} onvolkomenheid/-heden.",
        "Flemish tests: validation reports {count} inconsistencies.",
    ),
    "demo.sessions.flemish_validated": (
        "Vlaamse toetsen: de registratie van school {school} is gevalideerd en vergrendeld.",
        "Flemish tests: the registration of school {school} is validated and locked.",
    ),
    "demo.signin.account": (
        "Account {login_name} ({email}) is aangemaakt met een initieel wachtwoord.",
        "Account {login_name} ({email}) is created with an initial password.",
    ),
    "demo.signin.step": (
        "  Inloggen, volgende stap: {step}",
        "  Signing in, next step: {step}",
    ),
    "demo.signin.signed_in": (
        "  Eenmalig wachtwoord uit de e-mail ingevoerd: {step}. Deze browser wordt 24 uur "
        "vertrouwd.",
        "  One-time password from the e-mail entered: {step}. This browser is trusted for 24 "
        "hours.",
    ),
    "demo.signin.trusted": (
        "Twee uur later, dezelfde browser en hetzelfde IP-adres: {step}, zonder eenmalig "
        "wachtwoord.",
        "Two hours later, the same browser and IP address: {step}, without a one-time password.",
    ),
    "demo.signin.elsewhere": (
        "Dezelfde browser vanaf een ander IP-adres: {step}.",
        "The same browser from another IP address: {step}.",
    ),
    "demo.signin.refused": (
        "  Geweigerd: {message}",
        "  Refused: {message}",
    ),
    "demo.signin.reset": (
        "Wachtwoord vergeten: {answer}",
        "Forgot the password: {answer}",
    ),
    "demo.signin.after_reset": (
        "Nieuw wachtwoord ingesteld via de link; de browser is niet meer vertrouwd: {step}.",
        "New password set through the link; the browser is no longer trusted: {step}.",
    ),
    "demo.signin.mails": (
        "Verstuurde e-mails ({count}):",
        "E-mails sent ({count}):",
    ),
    "demo.signin.mail": (
        "  {kind} aan {to}: {subject}",
        "  {kind} to {to}: {subject}",
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
        "    {key}, {attribute}: {before} -> {after}",
        "    {key}, {attribute}: {before} -> {after}",
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

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
}

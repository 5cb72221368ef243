"""Messages of passwords: each rule's problem and help text, policies, hashing, compliance.

A rule's code (``passwords.min_length``) is the message of the problem a
password that breaks it gets; ``<code>.help`` states the rule itself, as the
seed's list does ("het moet bestaan uit minimaal 8 tekens"). The
``passwords.compliance.*`` texts say why a policy deviates from a standard,
naming the clause.
"""

from __future__ import annotations

_NIST = "NIST SP 800-63B-4, 3.1.1.2"
_ASVS = "OWASP ASVS 5.0"

MESSAGES: dict[str, tuple[str, str]] = {
    # -- the rules: the problem, then the rule as stated to the user -----------------
    "passwords.max_length": (
        "Het wachtwoord is te lang: het mag ten hoogste {maximum} tekens bevatten.",
        "The password is too long: it may have at most {maximum} characters.",
    ),
    "passwords.max_length.help": (
        "het mag ten hoogste {maximum} tekens bevatten (bescherming tegen overbelasting)",
        "it may have at most {maximum} characters (a guard against overload)",
    ),
    "passwords.min_length": (
        "Het wachtwoord is te kort: het moet bestaan uit minimaal {minimum} tekens.",
        "The password is too short: it must have at least {minimum} characters.",
    ),
    "passwords.min_length.help": (
        "het moet bestaan uit minimaal {minimum} tekens",
        "it must have at least {minimum} characters",
    ),
    "passwords.letters": (
        "Het wachtwoord moet minimaal {minimum} letter(s) bevatten.",
        "The password must contain at least {minimum} letter(s).",
    ),
    "passwords.letters.help": (
        "het moet minimaal {minimum} letter(s) bevatten",
        "it must contain at least {minimum} letter(s)",
    ),
    "passwords.non_letters": (
        "Het wachtwoord moet minimaal {minimum} andere tekens dan een letter bevatten "
        "(cijfers, leestekens of symbolen).",
        "The password must contain at least {minimum} characters that are not letters "
        "(digits, punctuation or symbols).",
    ),
    "passwords.non_letters.help": (
        "het moet minimaal {minimum} andere tekens dan een letter bevatten",
        "it must contain at least {minimum} characters that are not letters",
    ),
    "passwords.whitespace": (
        "Het wachtwoord mag geen spaties bevatten, ook geen tab of harde spatie.",
        "The password may not contain spaces, nor a tab or a non-breaking space.",
    ),
    "passwords.whitespace.help": (
        "het mag geen spaties bevatten (geen enkele witruimte)",
        "it may not contain spaces (no white space of any kind)",
    ),
    "passwords.repeats": (
        "Het wachtwoord mag niet meer dan {maximum} dezelfde tekens achter elkaar bevatten.",
        "The password may not contain more than {maximum} identical characters in a row.",
    ),
    "passwords.repeats.help": (
        "het mag niet meer dan {maximum} dezelfde tekens achter elkaar bevatten",
        "it may not contain more than {maximum} identical characters in a row",
    ),
    "passwords.history": (
        "Het wachtwoord mag niet gelijk zijn aan uw huidige of een vorig wachtwoord.",
        "The password may not be the same as your current or a previous password.",
    ),
    "passwords.history.help": (
        "het mag niet gelijk zijn aan uw huidige en vorige wachtwoorden",
        "it may not be the same as your current and previous passwords",
    ),
    "passwords.common": (
        "Dit wachtwoord is te makkelijk te raden: het staat op een lijst van veelgebruikte "
        "en gelekte wachtwoorden.",
        "This password is too easy to guess: it is on a list of common and breached passwords.",
    ),
    "passwords.common.help": (
        "het mag niet voorkomen op de lijst van veelgebruikte en gelekte wachtwoorden",
        "it may not be on the list of common and breached passwords",
    ),
    "passwords.patterns": (
        "Dit wachtwoord is te makkelijk te raden: het bestaat alleen uit herhalingen, reeksen, "
        "toetsenbordpatronen of datums (zoals aaaaaaaa, 0123456789, 1q2w3e4r of 19071987).",
        "This password is too easy to guess: it is made up only of repeats, sequences, "
        "keyboard patterns or dates (such as aaaaaaaa, 0123456789, 1q2w3e4r or 19071987).",
    ),
    "passwords.patterns.help": (
        "het mag niet alleen bestaan uit herhalingen, reeksen, toetsenbordpatronen of datums",
        "it may not be made up only of repeats, sequences, keyboard patterns or dates",
    ),
    "passwords.context": (
        "Het wachtwoord mag uw gebruikersnaam, uw naam of uw e-mailadres niet bevatten.",
        "The password may not contain your login name, your name or your e-mail address.",
    ),
    "passwords.context.help": (
        "het mag de gebruikersnaam, de naam of het e-mailadres niet bevatten (delen van "
        "minimaal {minimum} tekens)",
        "it may not contain the login name, the name or the e-mail address (parts of at "
        "least {minimum} characters)",
    ),
    # -- validation, policies and hashing ----------------------------------------------
    "passwords.invalid": (
        "Het wachtwoord voldoet niet aan {count} eis(en).",
        "The password does not meet {count} requirement(s).",
    ),
    "passwords.preset.unknown": (
        "Er is geen wachtwoordbeleid '{value}'; kies uit {choices}.",
        "There is no password policy '{value}'; choose one of {choices}.",
    ),
    "passwords.standard.unknown": (
        "Er is geen norm '{value}'; kies uit {choices}.",
        "There is no standard '{value}'; choose one of {choices}.",
    ),
    "passwords.policy.lengths": (
        "De minimale lengte van een wachtwoord ({minimum}) moet minimaal 1 zijn en niet "
        "groter dan de maximale lengte ({maximum}).",
        "The minimum password length ({minimum}) must be at least 1 and not above the "
        "maximum length ({maximum}).",
    ),
    "passwords.policy.rule_unknown": (
        "Er is geen wachtwoordregel '{code}'.",
        "There is no password rule '{code}'.",
    ),
    "passwords.policy.rule_params": (
        "De wachtwoordregel {code} verwacht de parameters {expected}, elk een geheel getal "
        "van minimaal 1; gegeven: {actual}.",
        "The password rule {code} expects the parameters {expected}, each a whole number "
        "of at least 1; given: {actual}.",
    ),
    "passwords.policy.rule_twice": (
        "De wachtwoordregel {code} staat meer dan eens in het beleid.",
        "The password rule {code} is in the policy more than once.",
    ),
    "passwords.policy.history_depth": (
        "Het aantal onthouden vorige wachtwoorden moet 0 of meer zijn, of leeg (alle).",
        "The number of previous passwords remembered must be 0 or more, or empty (all).",
    ),
    "passwords.policy.normalisation": (
        "'{value}' is geen Unicode-normalisatievorm; kies NFC, NFD, NFKC of NFKD.",
        "'{value}' is not a Unicode normalisation form; choose NFC, NFD, NFKC or NFKD.",
    ),
    "passwords.policy.no_hasher": (
        "Om een wachtwoord met eerdere wachtwoorden te vergelijken is een hasher nodig.",
        "A hasher is needed to compare a password with earlier passwords.",
    ),
    "passwords.lifetime.invalid": (
        "Een geldigheidsduur moet positief zijn, en elke herinnering positief en korter dan "
        "de geldigheidsduur.",
        "A lifetime must be positive, and every reminder positive and shorter than the lifetime.",
    ),
    "passwords.argon2.invalid": (
        "De Argon2-parameters zijn ongeldig: tijd en parallellisme minimaal 1, geheugen "
        "minimaal 8 KiB per parallelle baan, zout minimaal 8 en hash minimaal 16 bytes.",
        "The Argon2 parameters are invalid: time and parallelism at least 1, memory at "
        "least 8 KiB per lane, salt at least 8 and hash at least 16 bytes.",
    ),
    "passwords.hasher.max_concurrent": (
        "Het aantal hashes dat tegelijk mag lopen moet minimaal 1 zijn.",
        "The number of hashes that may run at once must be at least 1.",
    ),
    "passwords.legacy.invalid": (
        "Een geïmporteerd hashschema is ongeldig: bcrypt (kosten 4 tot 31) of pbkdf2_sha256 "
        "(1.000 tot 10.000.000 rondes), elk hooguit één keer.",
        "An imported hash scheme is invalid: bcrypt (cost 4 to 31) or pbkdf2_sha256 "
        "(1,000 to 10,000,000 rounds), each at most once.",
    ),
    "passwords.hash.unknown": (
        "Het opgeslagen wachtwoord heeft een onbekende hashvorm.",
        "The stored password hash has an unknown format.",
    ),
    "passwords.generate.failed": (
        "Er kon geen willekeurig wachtwoord worden gemaakt dat aan het beleid {policy} voldoet.",
        "No random password meeting the policy {policy} could be made.",
    ),
    # -- compliance: why a policy deviates from a standard --------------------------------
    "passwords.compliance.nist.composition": (
        f"{_NIST}: samenstellingsregels (zoals een mix van soorten tekens eisen) zijn niet "
        "toegestaan (SHALL NOT).",
        f"{_NIST}: composition rules (such as requiring a mix of character types) are not "
        "allowed (SHALL NOT).",
    ),
    "passwords.compliance.nist.space": (
        f"{_NIST}: alle afdrukbare ASCII-tekens en de spatie horen te worden geaccepteerd "
        "(SHOULD); deze regel weigert de spatie.",
        f"{_NIST}: all printing ASCII characters and the space should be accepted "
        "(SHOULD); this rule refuses the space.",
    ),
    "passwords.compliance.nist.min_length": (
        f"{_NIST}: een wachtwoord dat als enige factor dient moet minimaal {{required}} "
        "tekens hebben (dit beleid: {minimum}). Korter, maar minimaal 8, mag alleen als "
        "het wachtwoord deel is van meerfactorauthenticatie; een per e-mail verstuurde code "
        "telt daarvoor niet.",
        f"{_NIST}: a password used as the only factor must have at least {{required}} "
        "characters (this policy: {minimum}). Shorter, but at least 8, is allowed only when "
        "the password is part of multi-factor authentication; a code sent by e-mail does "
        "not count as a factor.",
    ),
    "passwords.compliance.nist.max_length": (
        f"{_NIST}: wachtwoorden van minimaal {{required}} tekens horen te zijn toegestaan "
        "(SHOULD); dit beleid staat ten hoogste {maximum} toe.",
        f"{_NIST}: passwords of at least {{required}} characters should be allowed "
        "(SHOULD); this policy allows at most {maximum}.",
    ),
    "passwords.compliance.nist.blocklist": (
        f"{_NIST}: een nieuw wachtwoord moet worden vergeleken met een lijst van "
        "veelgebruikte, voor de hand liggende en gelekte wachtwoorden (SHALL); dit beleid "
        "doet dat niet.",
        f"{_NIST}: a new password must be compared against a blocklist of commonly used, "
        "expected and compromised passwords (SHALL); this policy does not.",
    ),
    "passwords.compliance.nist.patterns": (
        f"{_NIST}: de blokkeerlijst moet ook voor de hand liggende wachtwoorden weigeren "
        "(SHALL), zoals herhaalde tekens, reeksen, toetsenbordpatronen en datums in elke "
        "lengte; dit beleid doet dat niet.",
        f"{_NIST}: the blocklist must also refuse expected passwords (SHALL), such as "
        "repeated characters, sequences, keyboard patterns and dates of any length; this "
        "policy does not.",
    ),
    "passwords.compliance.nist.context": (
        f"{_NIST}: tot de voor de hand liggende wachtwoorden op de blokkeerlijst horen "
        "woorden uit de context, zoals de gebruikersnaam; dit beleid weigert die niet.",
        f"{_NIST}: the expected passwords of the blocklist include context-specific words "
        "such as the user name; this policy does not refuse them.",
    ),
    "passwords.compliance.nist.expiry": (
        f"{_NIST}: wachtwoorden mogen niet periodiek moeten worden gewijzigd (SHALL NOT), "
        "alleen bij aanwijzingen dat ze zijn uitgelekt; dit beleid laat een gekozen "
        "wachtwoord na {days} dagen verlopen.",
        f"{_NIST}: passwords may not be required to change periodically (SHALL NOT), only "
        "on evidence of compromise; this policy expires a chosen password after {days} "
        "days.",
    ),
    "passwords.compliance.nist.normalisation": (
        f"{_NIST}: Unicode-wachtwoorden horen voor het hashen met NFKC of NFKD te worden "
        "genormaliseerd (SHOULD); dit beleid: {form}.",
        f"{_NIST}: Unicode passwords should be normalised with NFKC or NFKD before hashing "
        "(SHOULD); this policy: {form}.",
    ),
    "passwords.compliance.asvs.composition": (
        f"{_ASVS}, 6.2.5: wachtwoorden van elke samenstelling moeten bruikbaar zijn, zonder "
        "regels die de soorten tekens beperken of voorschrijven.",
        f"{_ASVS}, 6.2.5: passwords of any composition must be usable, without rules that "
        "limit or prescribe the kinds of characters.",
    ),
    "passwords.compliance.asvs.min_length": (
        f"{_ASVS}, 6.2.1: een wachtwoord moet minimaal {{required}} tekens hebben (dit "
        "beleid: {minimum}); 15 wordt sterk aangeraden.",
        f"{_ASVS}, 6.2.1: a password must have at least {{required}} characters (this "
        "policy: {minimum}); 15 is strongly recommended.",
    ),
    "passwords.compliance.asvs.max_length": (
        f"{_ASVS}, 6.2.9: wachtwoorden van minimaal {{required}} tekens moeten zijn "
        "toegestaan; dit beleid staat ten hoogste {maximum} toe.",
        f"{_ASVS}, 6.2.9: passwords of at least {{required}} characters must be allowed; "
        "this policy allows at most {maximum}.",
    ),
    "passwords.compliance.asvs.blocklist": (
        f"{_ASVS}, 6.2.4: een nieuw wachtwoord moet worden vergeleken met minimaal de "
        "{required} meest gebruikte wachtwoorden die aan het beleid voldoen; dit beleid "
        "doet dat niet.",
        f"{_ASVS}, 6.2.4: a new password must be checked against at least the top "
        "{required} passwords that meet the policy; this policy does not.",
    ),
    "passwords.compliance.asvs.blocklist_size": (
        f"{_ASVS}, 6.2.4: de lijst moet minimaal {{required}} veelgebruikte wachtwoorden "
        "bevatten die aan het beleid voldoen; de meegeleverde lijst heeft er {count} van "
        "minimaal {minimum} tekens.",
        f"{_ASVS}, 6.2.4: the list must hold at least {{required}} common passwords that "
        "meet the policy; the shipped list has {count} of at least {minimum} characters.",
    ),
    "passwords.compliance.asvs.patterns": (
        f"{_ASVS}, 6.2.4: de meest gebruikte wachtwoorden zijn voor een groot deel "
        "herhalingen, reeksen, toetsenbordpatronen en datums, in elke lengte; een lijst alleen "
        "mist de meeste varianten en dit beleid weigert ze niet.",
        f"{_ASVS}, 6.2.4: the most common passwords are largely repeats, sequences, keyboard "
        "patterns and dates, of any length; a list alone misses most variants and this "
        "policy does not refuse them.",
    ),
    "passwords.compliance.asvs.context": (
        f"{_ASVS}, 6.1.2 en 6.2.11: een vastgelegde lijst van woorden uit de context moet "
        "worden geweigerd; dit beleid doet dat niet.",
        f"{_ASVS}, 6.1.2 and 6.2.11: a documented list of context-specific words must be "
        "refused; this policy does not.",
    ),
    "passwords.compliance.asvs.expiry": (
        f"{_ASVS}, 6.2.10: een wachtwoord blijft geldig tot het is uitgelekt of de "
        "gebruiker het wijzigt; periodiek wijzigen mag niet worden geëist. Dit beleid laat "
        "een gekozen wachtwoord na {days} dagen verlopen.",
        f"{_ASVS}, 6.2.10: a password stays valid until it is compromised or the user "
        "changes it; periodic rotation may not be required. This policy expires a chosen "
        "password after {days} days.",
    ),
    "passwords.compliance.asvs.initial_lifetime": (
        f"{_ASVS}, 6.4.1: een door het systeem gemaakt beginwachtwoord moet na korte tijd "
        "verlopen (examkit leest dat als hooguit {required} dagen); dit beleid: {days} "
        "dagen.",
        f"{_ASVS}, 6.4.1: an initial password made by the system must expire after a short "
        "time (examkit reads that as at most {required} days); this policy: {days} days.",
    ),
    "passwords.compliance.asvs.normalisation": (
        f"{_ASVS}, 6.2.8: een wachtwoord moet worden gecontroleerd precies zoals het is "
        "ingevoerd. {form} vervangt tekens door hun compatibele vorm (cijfers van volle "
        "breedte worden gewone cijfers); NFC of NFD verandert alleen de codering.",
        f"{_ASVS}, 6.2.8: a password must be verified exactly as it was entered. "
        "{form} replaces characters by their compatibility form (full-width digits become plain "
        "digits); NFC or NFD changes only the encoding.",
    ),
}

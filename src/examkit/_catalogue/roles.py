"""Messages of roles and permissions, and the e-mails that tell new users about their account."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "roles.action.unknown": (
        "'{action}' is geen handeling van de rechtenmatrix.",
        "'{action}' is not an action of the permission matrix.",
    ),
    "roles.role.unknown": (
        "'{role}' is geen rol van de rechtenmatrix.",
        "'{role}' is not a role of the permission matrix.",
    ),
    "roles.application.unknown": (
        "'{application}' is geen applicatie van de rechtenmatrix.",
        "'{application}' is not an application of the permission matrix.",
    ),
    "roles.target.unsupported": (
        "Over {kind} kan geen toestemming worden gevraagd: geef een locatie, klas of school.",
        "Permission cannot be asked about {kind}: give a location, class or school.",
    ),
    "roles.target.class_without_location": (
        "Een klas hoort bij een locatie: geef de locatie erbij.",
        "A class belongs to a location: give the location too.",
    ),
    "roles.target.other_institution": (
        "De locatie hoort niet bij de opgegeven instelling.",
        "The location does not belong to the institution given.",
    ),
    "roles.grant.system_scope": (
        "De rol {role} geldt overal; geef er geen instelling, locatie of klas bij.",
        "The role {role} applies everywhere; give it no institution, location or class.",
    ),
    "roles.grant.flemish_school": (
        "De rol {role} wordt toegekend op een Vlaamse school (instellingsnummer).",
        "The role {role} is granted at a Flemish school (instellingsnummer).",
    ),
    "roles.grant.school_scope": (
        "De rol {role} geldt voor de hele school; geef er geen locatie, klas of vak bij.",
        "The role {role} applies to the whole school; give it no location, class or subject.",
    ),
    "roles.grant.dutch_institution": (
        "De rol {role} wordt toegekend op locaties (BRIN6) van een Nederlandse instelling.",
        "The role {role} is granted at locations (BRIN6) of a Dutch institution.",
    ),
    "roles.grant.no_location": (
        "Kies ten minste één locatie voor de rol {role}.",
        "Choose at least one location for the role {role}.",
    ),
    "roles.grant.other_institution": (
        "Locatie {location} hoort niet bij instelling {institution}.",
        "Location {location} does not belong to institution {institution}.",
    ),
    "roles.grant.several_institutions": (
        "Eén toekenning geldt voor één instelling; ken de rol per instelling toe.",
        "One grant is for one institution; grant the role per institution.",
    ),
    "roles.grant.location_scope": (
        "De rol {role} geldt voor hele locaties; geef er geen klassen of vak bij.",
        "The role {role} applies to whole locations; give it no classes or subject.",
    ),
    "roles.grant.no_class": (
        "Kies ten minste één klas voor de rol {role}.",
        "Choose at least one class for the role {role}.",
    ),
    "roles.grant.class_locations": (
        "De locaties van de rol {role} zijn die van haar klassen.",
        "The locations of the role {role} are those of its classes.",
    ),
    "roles.grant.subject": (
        "Alleen de vakdocent heeft een vak (Nederlands, Engels of wiskunde), en hij altijd één.",
        "Only the subject teacher has a subject (Dutch, English or maths), and always one.",
    ),
    "roles.grant.by_application": (
        "De rol {role} wordt alleen toegekend na een ondertekende aanvraag, door de servicedesk.",
        "The role {role} is granted only after a signed application, by the service desk.",
    ),
    "roles.grant.not_administrator": (
        "De rol {role} is geen beheerdersrol; die kent de beheerder zelf toe.",
        "The role {role} is not an administrator role; the administrator grants it.",
    ),
    "roles.grant.not_held": (
        "De gebruiker heeft de rol {role} hier niet.",
        "The user does not hold the role {role} here.",
    ),
    "roles.access.no_switch": (
        "{application} kent geen aparte 'Toegang tot applicatie': de toegang volgt uit de rollen.",
        "{application} has no separate 'access to application': access follows from the roles.",
    ),
    "roles.onboarding.not_credentials": (
        "{application} stuurt nieuwe gebruikers een uitnodiging, geen inloggegevens.",
        "{application} sends new users an invitation, not their credentials.",
    ),
    "roles.onboarding.not_invitation": (
        "{application} stuurt nieuwe gebruikers inloggegevens, geen uitnodiging.",
        "{application} sends new users their credentials, not an invitation.",
    ),
    "roles.operator.exists": (
        "Er is al een servicedesk-medewerker; die kent de rol verder toe.",
        "There is an operator already; further operators are granted by them.",
    ),
    "roles.operator.last": (
        "Dit is de laatste actieve servicedesk-medewerker; ken de rol eerst een ander toe.",
        "This is the last active operator; grant the role to someone else first.",
    ),
    "roles.user.not_at_location": (
        "Deze gebruiker is geen gebruiker van locatie {location}.",
        "This account is not a user of location {location}.",
    ),
    "roles.user.no_institution": (
        "Een gebruiker hoort bij ten minste één instelling.",
        "A user belongs to at least one institution.",
    ),
    "roles.user.not_linked": (
        "De gebruiker is niet aan instelling {institution} gekoppeld.",
        "The user is not linked to institution {institution}.",
    ),
    # -- e-mails (NOTE-1)
    "roles.mail.credentials.subject": (
        "Uw inloggegevens voor {application}",
        "Your sign-in details for {application}",
    ),
    "roles.mail.credentials.body": (
        "Beste {name},\n"
        "\n"
        "Er is voor u een account aangemaakt in {application}.\n"
        "\n"
        "Gebruikersnaam: {login_name}\n"
        "Wachtwoord: {password}\n"
        "\n"
        "Dit wachtwoord is geldig tot en met {expires}. U moet het bij de eerste keer "
        "inloggen wijzigen in een zelfgekozen wachtwoord.\n"
        "\n"
        "Klik hier om in te loggen en uw wachtwoord te wijzigen: {url}\n"
        "\n"
        "Bij het inloggen ontvangt u ook een eenmalig wachtwoord per e-mail.\n",
        "Dear {name},\n"
        "\n"
        "An account has been created for you in {application}.\n"
        "\n"
        "Login name: {login_name}\n"
        "Password: {password}\n"
        "\n"
        "This password is valid up to and including {expires}. You must change it into a "
        "password of your own the first time you sign in.\n"
        "\n"
        "Click here to sign in and change your password: {url}\n"
        "\n"
        "When you sign in you will also receive a one-time password by e-mail.\n",
    ),
    "roles.mail.invitation.subject": (
        "Uitnodiging voor {application}",
        "Invitation to {application}",
    ),
    "roles.mail.invitation.body": (
        "Beste {name},\n"
        "\n"
        "{inviter} nodigt u uit voor {application} van {institution}.\n"
        "\n"
        "Activeer uw account met deze link: {url}\n"
        "\n"
        "De link werkt één keer en is geldig tot {expires}. Daarna kunt u een wachtwoord "
        "instellen, of inloggen met uw account van de onderwijsfederatie.\n",
        "Dear {name},\n"
        "\n"
        "{inviter} invites you to {application} of {institution}.\n"
        "\n"
        "Activate your account with this link: {url}\n"
        "\n"
        "The link works once and is valid until {expires}. Then you can set a password, or "
        "sign in with your education federation account.\n",
    ),
}

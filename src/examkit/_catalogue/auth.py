"""Messages of signing in: errors, what the portal shows, and the e-mails (NOTE-1).

The Dutch texts follow the exam system's manual (seed 004, chapter 4) where
it gives them: "Combinatie gebruikersnaam/wachtwoord is ongeldig", the
blocked account, the one-time password that is "niet correct of verlopen".
Times (``{time}``) are local times with their zone, as ``01-09-2026 10:15 CEST``.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # -- the flow ---------------------------------------------------------------------
    "auth.credentials.invalid": (
        "Combinatie gebruikersnaam/wachtwoord is ongeldig.",
        "Invalid username/password combination.",
    ),
    "auth.sign_in.blocked": (
        "Account geblokkeerd: er is {attempts} keer verkeerd ingelogd. Vanaf {time} kunt u "
        "opnieuw proberen in te loggen.",
        "Account blocked: there were {attempts} failed sign-ins. From {time} you can try to "
        "sign in again.",
    ),
    "auth.application.denied": (
        "U heeft geen toegang tot {application}.",
        "You have no access to {application}.",
    ),
    "auth.transaction.unknown": (
        "Deze inlogpoging is verlopen of onbekend; log opnieuw in.",
        "This sign-in has expired or is unknown; please sign in again.",
    ),
    "auth.flow.out_of_order": (
        "Deze handeling ({action}) past niet bij de stap waar het inloggen nu is ({step}).",
        "This action ({action}) does not fit the step the sign-in is at ({step}).",
    ),
    "auth.flow.invalid": (
        "De inlogstroom is ongeldig: {reason}",
        "The sign-in flow is invalid: {reason}",
    ),
    "auth.rules.invalid": (
        "De instelling {setting} voor het inloggen is onbruikbaar.",
        "The sign-in setting {setting} is unusable.",
    ),
    "auth.gate.missing": (
        "Er is geen toegangscontrole voor het inloggen ingesteld: geef Examkit een "
        "sign_in_gate (wie mag inloggen op welke applicatie).",
        "No sign-in access check is configured: give Examkit a sign_in_gate (who may sign "
        "in to which application).",
    ),
    "auth.password.old_invalid": (
        "Het huidige wachtwoord is niet correct.",
        "The current password is not correct.",
    ),
    "auth.ip.invalid": (
        "'{value}' is geen IP-adres.",
        "'{value}' is not an IP address.",
    ),
    "auth.profile.password_required": (
        "Vul uw huidige wachtwoord in om uw e-mailadres te wijzigen.",
        "Enter your current password to change your e-mail address.",
    ),
    "auth.account.inactive": (
        "Dit account is niet actief.",
        "This account is not active.",
    ),
    "auth.step.credentials": ("gebruikersnaam en wachtwoord", "username and password"),
    "auth.step.change_password": ("wachtwoord wijzigen", "change the password"),
    "auth.step.change_expired_password": (
        "verlopen wachtwoord vervangen",
        "replace the expired password",
    ),
    "auth.step.second_factor": ("eenmalig wachtwoord invoeren", "enter the one-time password"),
    "auth.step.signed_in": ("ingelogd", "signed in"),
    # -- the second factor ------------------------------------------------------------
    "auth.code.invalid": (
        "Het eenmalig wachtwoord is niet correct of verlopen. Vraag een nieuwe aan.",
        "The one-time password is wrong or has expired. Request a new one.",
    ),
    "auth.code.too_many": (
        "Er is te vaak een verkeerd eenmalig wachtwoord ingevoerd; dit wachtwoord werkt niet "
        "meer. Vraag een nieuwe aan.",
        "A wrong one-time password was entered too often; this one no longer works. Request "
        "a new one.",
    ),
    "auth.code.blocked": (
        "Er is te vaak een verkeerde code ingevoerd. Vanaf {time} kunt u opnieuw inloggen.",
        "A wrong code was entered too often. From {time} you can sign in again.",
    ),
    "auth.code.new_limit": (
        "U heeft te vaak een nieuw eenmalig wachtwoord aangevraagd. Vanaf {time} kunt u weer "
        "een nieuwe aanvragen.",
        "You requested a new one-time password too often. From {time} you can request one again.",
    ),
    "auth.code.simultaneous": (
        "Er is tegelijk al een nieuw eenmalig wachtwoord aangevraagd; gebruik het laatst "
        "ontvangen wachtwoord.",
        "A new one-time password was requested at the same moment; use the last one you received.",
    ),
    "auth.code.not_by_email": (
        "De code komt uit uw authenticator-app; er wordt geen code per e-mail verstuurd.",
        "The code comes from your authenticator app; no code is sent by e-mail.",
    ),
    "auth.authenticator.missing": (
        "Er is geen authenticator-app ingesteld voor dit account.",
        "No authenticator app is set up for this account.",
    ),
    "auth.authenticator.invalid": (
        "De code van de authenticator-app is niet correct.",
        "The authenticator app's code is not correct.",
    ),
    # -- the proctor monitor ----------------------------------------------------------
    "auth.monitor.initial_password": (
        "Met het wachtwoord dat u per e-mail heeft ontvangen kunt u niet inloggen op de "
        "afnamemonitor. Log in op de logistieke omgeving en kies daar uw eigen wachtwoord.",
        "The password you received by e-mail does not work for the proctor monitor. Sign in "
        "to the main environment and choose your own password there.",
    ),
    "auth.monitor.expired": (
        "Uw wachtwoord is verlopen. Wijzig het in de logistieke omgeving; daarna kunt u weer "
        "inloggen op de afnamemonitor.",
        "Your password has expired. Change it in the main environment; then you can sign in "
        "to the proctor monitor again.",
    ),
    "auth.monitor.warning": (
        "Uw wachtwoord is nog {days} dag(en) geldig, tot {time}. Wijzig het op tijd in de "
        "logistieke omgeving.",
        "Your password is valid for {days} more day(s), until {time}. Change it in time in "
        "the main environment.",
    ),
    # -- reset, profile ---------------------------------------------------------------
    "auth.password.expires_soon": (
        "Uw wachtwoord verloopt over {days} dag(en), op {time}. Wijzig het op tijd via "
        "'Verander wachtwoord'.",
        "Your password expires in {days} day(s), on {time}. Change it in time through "
        "'Change password'.",
    ),
    "auth.reset.requested": (
        "Als de gebruikersnaam bekend is, ontvangt u een e-mail met een link om het "
        "wachtwoord opnieuw in te stellen.",
        "If the username is known, you will receive an e-mail with a link to set a new password.",
    ),
    "auth.reset.unusable": (
        "Deze link om het wachtwoord opnieuw in te stellen is onbekend, al gebruikt of "
        "verlopen. Vraag een nieuwe aan.",
        "This link to set a new password is unknown, already used or expired. Request a new one.",
    ),
    "auth.email.unusable": (
        "Deze link om het e-mailadres te bevestigen is onbekend, al gebruikt of verlopen.",
        "This link to confirm the e-mail address is unknown, already used or expired.",
    ),
    # -- e-mails (NOTE-1) -------------------------------------------------------------
    "auth.mail.otp.subject": (
        "Uw eenmalig wachtwoord voor {application}",
        "Your one-time password for {application}",
    ),
    "auth.mail.otp.body": (
        "Beste {name},\n\nUw eenmalig wachtwoord is: {code}\n\nHet is {minutes} minuten "
        "geldig, tot {time}. Voer het direct in. U ontvangt bij elke keer inloggen een nieuw "
        "eenmalig wachtwoord.\n\nHeeft u niet zelf geprobeerd in te loggen? Wijzig dan uw "
        "wachtwoord.\n",
        "Dear {name},\n\nYour one-time password is: {code}\n\nIt is valid for {minutes} "
        "minutes, until {time}. Enter it right away. You receive a new one-time password at "
        "every sign-in.\n\nDid you not try to sign in yourself? Then change your password.\n",
    ),
    "auth.mail.reset.subject": (
        "Wachtwoord opnieuw instellen",
        "Set a new password",
    ),
    "auth.mail.reset.body": (
        "Beste {name},\n\nEr is gevraagd het wachtwoord van gebruikersnaam {login_name} "
        "opnieuw in te stellen. Dat doet u via deze link, die geldig is tot {time} en één "
        "keer werkt:\n\n{link}\n\nHeeft u dit niet zelf gevraagd? Dan kunt u deze e-mail "
        "negeren; uw wachtwoord blijft zoals het is.\n",
        "Dear {name},\n\nSomeone asked to set a new password for username {login_name}. "
        "Do so through this link, which is valid until {time} and works once:\n\n{link}\n\n"
        "Did you not ask for this yourself? Then ignore this e-mail; your password stays as "
        "it is.\n",
    ),
    "auth.mail.reset_done.subject": (
        "Uw wachtwoord is opnieuw ingesteld",
        "Your password was reset",
    ),
    "auth.mail.reset_done.body": (
        "Beste {name},\n\nHet wachtwoord van gebruikersnaam {login_name} is op {time} "
        "opnieuw ingesteld. Bij de volgende keer inloggen ontvangt u weer een eenmalig "
        "wachtwoord per e-mail: {link}\n\nHeeft u dit niet zelf gedaan? Neem dan direct "
        "contact op met uw beheerder.\n",
        "Dear {name},\n\nThe password of username {login_name} was reset at {time}. At your "
        "next sign-in you will receive a one-time password by e-mail again: {link}\n\nDid "
        "you not do this yourself? Then contact your administrator at once.\n",
    ),
    "auth.mail.reminder.subject": (
        "Uw wachtwoord verloopt over {days} dagen",
        "Your password expires in {days} days",
    ),
    "auth.mail.reminder.body": (
        "Beste {name},\n\nHet wachtwoord van gebruikersnaam {login_name} verloopt op {time}. "
        "Wijzig het voor die tijd via 'Verander wachtwoord': {link}\n\nEen verlopen "
        "wachtwoord moet u bij het inloggen direct vervangen; de afnamemonitor weigert het "
        "tot u het heeft gewijzigd.\n",
        "Dear {name},\n\nThe password of username {login_name} expires on {time}. Change it "
        "before then through 'Change password': {link}\n\nAn expired password must be "
        "replaced right away at sign-in; the proctor monitor refuses it until you have "
        "changed it.\n",
    ),
    "auth.mail.email_confirm.subject": (
        "Bevestig uw nieuwe e-mailadres",
        "Confirm your new e-mail address",
    ),
    "auth.mail.email_confirm.body": (
        "Beste {name},\n\nVoor gebruikersnaam {login_name} is {email} opgegeven als nieuw "
        "e-mailadres. Bevestig het via deze link, die geldig is tot {time}:\n\n{link}\n\n"
        "Pas daarna ontvangt u uw eenmalige wachtwoorden op dit adres.\n",
        "Dear {name},\n\nFor username {login_name}, {email} was given as the new e-mail "
        "address. Confirm it through this link, which is valid until {time}:\n\n{link}\n\n"
        "Only then will your one-time passwords come to this address.\n",
    ),
    "auth.mail.email_notice.subject": (
        "Uw e-mailadres wordt gewijzigd",
        "Your e-mail address is being changed",
    ),
    "auth.mail.email_notice.body": (
        "Beste {name},\n\nVoor gebruikersnaam {login_name} is gevraagd het e-mailadres te "
        "wijzigen in {email}. Tot dat adres is bevestigd, blijft dit adres in gebruik.\n\n"
        "Heeft u dit niet zelf gedaan? Neem dan direct contact op met uw beheerder.\n",
        "Dear {name},\n\nFor username {login_name}, a change of the e-mail address to "
        "{email} was requested. Until that address is confirmed, this one stays in use.\n\n"
        "Did you not do this yourself? Then contact your administrator at once.\n",
    ),
}

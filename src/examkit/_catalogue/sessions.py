"""Messages of test sessions: planning, the lifecycle, access codes, attempts and reports."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "sessions.transition.not_allowed": (
        "De stap '{event}' kan niet in de status '{state}'; er is niets gewijzigd.",
        "The move '{event}' is not allowed in the state '{state}'; nothing was changed.",
    ),
    "sessions.attempt.not_allowed": (
        "De stap '{event}' kan niet bij een afname met status '{state}'; er is niets gewijzigd.",
        "The move '{event}' is not allowed for an attempt in the state '{state}'; "
        "nothing was changed.",
    ),
    "sessions.code.invalid": (
        "'{value}' is geen geldige code: gebruik letters, cijfers, punt, streepje of liggend "
        "streepje (hoogstens 40 tekens).",
        "'{value}' is not a valid code: use letters, digits, dot, dash or underscore "
        "(at most 40 characters).",
    ),
    "sessions.duration.invalid": (
        "De duur is een geheel aantal minuten, meer dan 0 en hoogstens 12 uur.",
        "The duration is a whole number of minutes, more than 0 and at most 12 hours.",
    ),
    "sessions.item.max_score": (
        "De maximumscore van een vraag is een geheel getal van 1 tot en met 1000.",
        "An item's maximum score is a whole number from 1 to 1000.",
    ),
    "sessions.exam.no_items": (
        "Een toets heeft ten minste één vraag.",
        "A test has at least one item.",
    ),
    "sessions.exam.item_twice": (
        "Elke vraag komt maar één keer in een toets voor.",
        "Each item occurs only once in a test.",
    ),
    "sessions.extra_time.invalid": (
        "Extra tijd is een geheel aantal minuten van 0 tot en met 240.",
        "Extra time is a whole number of minutes from 0 to 240.",
    ),
    "sessions.login_name.invalid": (
        "'{value}' is geen inlognaam van een kandidaat.",
        "'{value}' is not a candidate's login name.",
    ),
    "sessions.login_name.exhausted": (
        "Er kon geen vrije inlognaam worden gevonden; probeer het nog eens.",
        "No free login name could be found; try again.",
    ),
    "sessions.group.candidate_twice": (
        "Een kandidaat staat twee keer in de afnamegroep.",
        "A candidate is in the session group twice.",
    ),
    "sessions.group.mode": (
        "Deze toets kan niet {mode} worden afgenomen in een afnamegroep.",
        "This test cannot be taken {mode} in a session group.",
    ),
    "sessions.group.offline_server": (
        "Een offline afname kiest een geregistreerde FAO-server; een online afname geen.",
        "An offline session chooses a registered offline server; an online one none.",
    ),
    "sessions.group.proctor": (
        "De gekozen afnameleider heeft die rol niet op deze locatie.",
        "The chosen proctor does not hold that role at this location.",
    ),
    "sessions.group.corrector": (
        "De gekozen corrector heeft die rol niet op deze locatie.",
        "The chosen corrector does not hold that role at this location.",
    ),
    "sessions.group.second_without_first": (
        "Kies eerst een eerste corrector.",
        "Choose a first corrector first.",
    ),
    "sessions.group.same_corrector": (
        "De tweede corrector is een ander dan de eerste.",
        "The second corrector is someone other than the first.",
    ),
    "sessions.group.no_candidates": (
        "Kies ten minste één kandidaat.",
        "Choose at least one candidate.",
    ),
    "sessions.group.facilities_outside": (
        "Faciliteiten kunnen alleen worden meegegeven voor kandidaten in de afnamegroep.",
        "Facilities can only be given for candidates in the session group.",
    ),
    "sessions.group.other_location": (
        "Kandidaat {candidate} hoort niet bij deze locatie.",
        "Candidate {candidate} does not belong to this location.",
    ),
    "sessions.group.extra_time": (
        "Kandidaat {candidate} heeft meer dan {maximum} minuten extra tijd; bij een centraal "
        "examen kan dat niet.",
        "Candidate {candidate} has more than {maximum} minutes extra time; a central exam does "
        "not allow that.",
    ),
    "sessions.group.overlap": (
        "Kandidaat {candidate} zit op dat moment al in afnamegroep {other} (extra tijd "
        "meegerekend).",
        "Candidate {candidate} is already in session group {other} at that time (extra time "
        "counted).",
    ),
    "sessions.guard.attempt_started": (
        "Er is al een kandidaat begonnen; de afnamegroep kan niet meer worden geannuleerd.",
        "A candidate has already started; the session group can no longer be cancelled.",
    ),
    "sessions.guard.no_corrector": (
        "Koppel eerst een corrector aan de afnamegroep.",
        "Assign a corrector to the session group first.",
    ),
    "sessions.guard.report_incomplete": (
        "Maak eerst het proces-verbaal compleet.",
        "Complete the session report first.",
    ),
    "sessions.guard.attempts_running": (
        "Kandidaat {candidate} is nog bezig; laat inleveren of beëindig de afname eerst.",
        "Candidate {candidate} is still working; have them hand in or end the attempt first.",
    ),
    "sessions.code.none": (
        "Deze afnamegroep heeft nu geen geldige toegangscode.",
        "This session group has no valid access code now.",
    ),
    "sessions.sign_in.invalid": (
        "Combinatie inlognaam/toegangscode is ongeldig.",
        "The combination of login name and access code is invalid.",
    ),
    "sessions.sign_in.limit": (
        "Te veel onjuiste pogingen; probeer het later opnieuw of vraag de afnameleider.",
        "Too many wrong attempts; try again later or ask the proctor.",
    ),
    "sessions.sign_in.blocked": (
        "De afnamegroep is geblokkeerd; wacht op de afnameleider.",
        "The session group is blocked; wait for the proctor.",
    ),
    "sessions.sign_in.running": (
        "Je toets loopt al; de afnameleider kan je opnieuw laten inloggen.",
        "Your test is already running; the proctor can let you sign in again.",
    ),
    "sessions.sign_in.paused": (
        "Je toets is gepauzeerd; wacht op de afnameleider.",
        "Your test is paused; wait for the proctor.",
    ),
    "sessions.sign_in.finished": (
        "Je toets is afgelopen.",
        "Your test is over.",
    ),
    "sessions.response.not_in_progress": (
        "Er worden geen antwoorden meer aangenomen (status '{state}').",
        "No more responses are accepted (state '{state}').",
    ),
    "sessions.response.deadline": (
        "De tijd is om; er worden geen antwoorden meer aangenomen.",
        "Time is up; no more responses are accepted.",
    ),
    "sessions.page.sequence": (
        "Het paginanummer of de teller van een opgeslagen antwoord is een geheel getal van 1 tot "
        "en met {maximum}.",
        "A save's page epoch or counter is a whole number from 1 to {maximum}.",
    ),
    "sessions.page.not_open": (
        "De toets kan niet worden geopend: de afname is niet bezig (status '{state}').",
        "The test cannot be opened: the attempt is not in progress (state '{state}').",
    ),
    "sessions.page.epochs": (
        "De toets is te vaak geopend (hoogstens {maximum} keer); vraag de afnameleider om hulp.",
        "The test was opened too often (at most {maximum} times); ask the proctor for help.",
    ),
    "sessions.rules.invalid": (
        "De instelling {setting} van de afname is een tijdsduur van 0 tot en met 2 uur (groter "
        "dan 0 waar die nodig is).",
        "The sitting's setting {setting} is a period from 0 to 2 hours (more than 0 where one "
        "is needed).",
    ),
    "sessions.rules.contact": (
        "De hartslag van de toetspagina moet vaker worden opgeslagen dan een verbroken "
        "verbinding wordt vastgesteld.",
        "The test page's heartbeat must be stored more often than a lost connection is seen.",
    ),
    "sessions.response.item": (
        "'{item}' is geen vraag van deze toets.",
        "'{item}' is not an item of this test.",
    ),
    "sessions.group.event": (
        "'{event}' is geen handeling op een afnamegroep.",
        "'{event}' is not a move of a session group.",
    ),
    "sessions.server.event": (
        "'{event}' is geen handeling op een offline server.",
        "'{event}' is not a move of an offline server.",
    ),
    "sessions.candidate.key": (
        "Deze afname hoort niet bij de kandidaat die is ingelogd; log opnieuw in.",
        "This attempt does not belong to the candidate who signed in; sign in again.",
    ),
    "sessions.attempt.event": (
        "'{event}' is geen handeling op een afname.",
        "'{event}' is not an action on an attempt.",
    ),
    "sessions.attempt.reason": (
        "Geef een reden op om de afname te beëindigen.",
        "Give a reason to end the attempt.",
    ),
    "sessions.attempt.reactivate_released": (
        "Een afname kan alleen worden heractiveerd terwijl de afnamegroep is vrijgegeven.",
        "An attempt can only be reactivated while the session group is released.",
    ),
    "sessions.attempt.minutes": (
        "Geef 1 tot {most} minuten extra tijd, in hele minuten.",
        "Give 1 to {most} minutes of extra time, in whole minutes.",
    ),
    "sessions.attempt.not_running": (
        "De afname loopt niet (status '{state}').",
        "The attempt is not running (state '{state}').",
    ),
    "sessions.report.closed": (
        "Het proces-verbaal van een afgesloten afnamegroep kan niet meer worden gewijzigd.",
        "The session report of a closed session group can no longer be changed.",
    ),
    "sessions.report.not_closed": (
        "Opmerkingen bij het proces-verbaal kunnen pas na het afsluiten.",
        "Remarks on the session report can only be added after the close.",
    ),
    "sessions.file.empty": (
        "Het bestand is leeg: de eerste regel is de kopregel met de kolomnamen.",
        "The file is empty: the first line is the header with the column names.",
    ),
    "sessions.file.column": (
        "Onbekende kolom; gebruik de kolommen uit de handleiding.",
        "Unknown column; use the columns of the documentation.",
    ),
    "sessions.file.missing_column": (
        "Deze kolom ontbreekt in de kopregel.",
        "This column is missing from the header.",
    ),
    "sessions.file.column_twice": (
        "Een kolom staat twee keer in de kopregel.",
        "A column occurs twice in the header.",
    ),
    "sessions.file.cells": (
        "Deze regel heeft {actual} velden in plaats van {expected}.",
        "This line has {actual} fields instead of {expected}.",
    ),
    "sessions.file.flag": (
        "'{value}' is geen ja of nee.",
        "'{value}' is not yes or no (ja/nee).",
    ),
    "sessions.file.extra_time": (
        "'{value}' is geen aantal minuten extra tijd van 0 tot en met 240.",
        "'{value}' is not a number of minutes extra time from 0 to 240.",
    ),
    "sessions.file.number_twice": (
        "Examennummer {number} staat ook al op regel {first}.",
        "Candidate number {number} is already on line {first}.",
    ),
    "sessions.file.no_rows": (
        "Het bestand bevat geen kandidaten.",
        "The file holds no candidates.",
    ),
    "sessions.server.address": (
        "'{value}' is geen IP-adres of hostnaam.",
        "'{value}' is not an IP address or host name.",
    ),
    "sessions.server.not_choosable": (
        "Kies een actieve, geregistreerde FAO-server van deze locatie.",
        "Choose an active offline server registered at this location.",
    ),
    "sessions.paper.not_paper": (
        "Toets {exam} wordt niet op papier afgenomen.",
        "Test {exam} is not taken on paper.",
    ),
    "sessions.guard.through_correction": (
        "Er zijn antwoorden te corrigeren: de corrector sluit de correctie af als alle open"
        " vragen gescoord zijn (correctie afsluiten).",
        "There are answers to correct: the corrector closes correction once every open item"
        " is scored (close correction).",
    ),
    "sessions.pupil.name": (
        "Leerling {pupil} heeft geen achternaam of geen roepnaam, voornamen of voorletters;"
        " vul die aan in de leerlingadministratie en importeer opnieuw.",
        "Pupil {pupil} has no surname or no called name, given names or initials;"
        " add them in the pupil administration and import again.",
    ),
    "sessions.paper.count": (
        "Een aantal is 0 of meer.",
        "A count is 0 or more.",
    ),
    "sessions.flemish.window_order": (
        "De registratieperiode eindigt niet voor ze begint.",
        "The registration window does not end before it opens.",
    ),
    "sessions.flemish.window_not_open": (
        "Wijzigen kan pas vanaf {opens} tot en met {closes}.",
        "Changes are only possible from {opens} up to and including {closes}.",
    ),
    "sessions.flemish.window_closed": (
        "Wijzigen kon tot en met {closes}; nadien kan je niets meer wijzigen.",
        "Changes were possible up to and including {closes}; nothing can be changed now.",
    ),
    "sessions.flemish.locked": (
        "De registratie is gevalideerd; er kan niets meer worden gewijzigd.",
        "The registration is validated; nothing can be changed any more.",
    ),
    "sessions.flemish.invalid": (
        "De registratie heeft {count} onvolkomenheid/-heden; los ze op en valideer opnieuw.",
        "The registration has {count} inconsistencies; resolve them and validate again.",
    ),
    "sessions.flemish.reason_missing": (
        "Geef de reden van de vrijstelling op.",
        "Give the reason for the exemption.",
    ),
    "sessions.flemish.reason_without": (
        "Er is een reden van vrijstelling, maar geen vrijstelling.",
        "There is a reason for an exemption, but no exemption.",
    ),
    "sessions.flemish.voluntary_exempt": (
        "Een leerling met vrijstelling kan niet ook vrijwillig deelnemen.",
        "A pupil with an exemption cannot also take part voluntarily.",
    ),
    "sessions.flemish.questionnaire_late": (
        "Ouders geven ten laatste op {deadline} door dat hun kind de vragenlijst niet invult.",
        "Parents tell the school by {deadline} at the latest that their child does not fill in "
        "the questionnaire.",
    ),
    "sessions.flemish.no_group": (
        "De leerling zit in geen leerlingengroep.",
        "The pupil is in no pupil group.",
    ),
    "sessions.flemish.unknown_group": (
        "Leerlingengroep '{group}' bestaat niet.",
        "Pupil group '{group}' does not exist.",
    ),
    "sessions.flemish.empty_group": (
        "Leerlingengroep '{group}' heeft geen leerlingen.",
        "Pupil group '{group}' has no pupils.",
    ),
    "sessions.flemish.group_taken": (
        "Leerlingengroep '{group}' bestaat al of heeft geen naam.",
        "Pupil group '{group}' already exists or has no name.",
    ),
    "sessions.flemish.batch_empty": (
        "Er zijn geen leerlingen om te registreren.",
        "There are no pupils to register.",
    ),
    "sessions.flemish.batch_key": (
        "Leerling {position} van de lijst heeft geen bruikbare sleutel (leeg of langer dan 64 "
        "tekens); er is niemand geregistreerd.",
        "Pupil {position} of the list has no usable key (empty or longer than 64 characters); "
        "nobody was registered.",
    ),
    "sessions.flemish.batch_name": (
        "Leerling {pupil} heeft geen bruikbare naam (leeg of langer dan 200 tekens); er is "
        "niemand geregistreerd.",
        "Pupil {pupil} has no usable name (empty or longer than 200 characters); nobody was "
        "registered.",
    ),
    "sessions.flemish.batch_twice": (
        "Leerling {pupil} staat twee keer in de lijst (ook op plaats {first}); er is niemand "
        "geregistreerd.",
        "Pupil {pupil} is in the list twice (also at place {first}); nobody was registered.",
    ),
    "sessions.flemish.batch_registered": (
        "Leerling {name} ({pupil}) is al geregistreerd; er is niemand geregistreerd.",
        "Pupil {name} ({pupil}) is registered already; nobody was registered.",
    ),
    "sessions.flemish.batch_group": (
        "Leerling {name} ({pupil}): leerlingengroep '{group}' bestaat niet; er is niemand "
        "geregistreerd.",
        "Pupil {name} ({pupil}): pupil group '{group}' does not exist; nobody was registered.",
    ),
    "sessions.flemish.unknown_moment": (
        "'{moment}' is geen toetsmoment van deze registratie.",
        "'{moment}' is not a test moment of this registration.",
    ),
    "sessions.file.date": (
        "'{value}' is geen datum (2026-05-12 of 12-05-2026).",
        "'{value}' is not a date (2026-05-12 or 12-05-2026).",
    ),
    "sessions.file.time": (
        "'{value}' is geen tijd (09:00).",
        "'{value}' is not a time (09:00).",
    ),
    "sessions.file.mode": (
        "'{value}' is geen afnamevorm: online of offline.",
        "'{value}' is not a form of taking the test: online or offline.",
    ),
    "sessions.file.group_differs": (
        "Deze regel hoort bij dezelfde groep als regel {first}, maar wijkt ervan af.",
        "This line belongs to the same group as line {first}, but differs from it.",
    ),
    "sessions.file.unknown_number": (
        "Er is geen kandidaat met examennummer {number} op deze locatie.",
        "There is no candidate with number {number} at this location.",
    ),
    "sessions.group.correctors_late": (
        "Correctoren kunnen alleen worden ingepland tot de groep is vrijgegeven voor correctie.",
        "Correctors can only be scheduled until the group is released for correction.",
    ),
}

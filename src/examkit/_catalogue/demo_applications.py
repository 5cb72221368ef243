"""Messages of the demo's account-application chapter."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "demo.applications.start": (
        "{school} ({location}) vraagt een beheerdersaccount aan voor {application}.",
        "{school} ({location}) applies for an administrator account for {application}.",
    ),
    "demo.applications.step": (
        "  Scherm {number}: {name}",
        "  Screen {number}: {name}",
    ),
    "demo.applications.refused": (
        "    Geweigerd, {where}: {message}",
        "    Refused, {where}: {message}",
    ),
    "demo.applications.review": (
        "    {label}: {value}",
        "    {label}: {value}",
    ),
    "demo.applications.submitted": (
        "  Verzonden: aanvraag {id}, te behandelen uiterlijk {due} ({days} werkdagen).",
        "  Submitted: application {id}, to be handled by {due} ({days} working days).",
    ),
    "demo.applications.queue": (
        "De servicedesk ziet {count} aanvraag/aanvragen in de wachtrij; de eerste moet "
        "uiterlijk {due} af zijn.",
        "The service desk sees {count} application(s) in the queue; the first is due by {due}.",
    ),
    "demo.applications.approved": (
        "De servicedesk keurt de aanvraag goed: account {login_name} is beheerder van {locations}.",
        "The service desk approves the application: account {login_name} administers {locations}.",
    ),
    "demo.applications.mail": (
        "  E-mail aan {to}: {subject}",
        "  E-mail to {to}: {subject}",
    ),
    "demo.applications.mail_line": (
        "    | {body}",
        "    | {body}",
    ),
}

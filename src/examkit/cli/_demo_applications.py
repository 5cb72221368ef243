"""The demo's account-application chapter: a school applies, the service desk approves."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import attrs

from examkit._kit import Examkit
from examkit.applications import (
    AccountApplication,
    AdministratorEntry,
    AuthorityEntry,
    LocationEntry,
    SchoolEntry,
    WizardStep,
    application_to_json,
)
from examkit.errors import ExamkitErrorGroup
from examkit.identifiers import LocationCode
from examkit.messages import Lang, text
from examkit.permissions import MATRIX
from examkit.testing import RecordingMailer

SYSTEM = "ce_portal"
SCHOOL = SchoolEntry(
    location_code="30xy 00",
    education_location_code="",
    school_name="Helpdeskschool",
    street="Waterlaan",
    house_number="2",
    postcode="8835ba",
    town="Groningen",
    secondary_locations=(LocationEntry("30XY 01", "", "Helpdeskschool Zuid"),),
)
ADMINISTRATOR = AdministratorEntry(
    first_name="Klaas",
    last_name="Beheerder",
    phone_number="06-12345678",
    email_address="klaas.beheerder@gmail.com",
    login_name="30XY.K.Beheerder",
)
AUTHORITY = AuthorityEntry(
    initials="G.",
    last_name="Jansen",
    job_title="Directeur",
    email_address="g.jansen@helpdeskschool.nl",
)


def _step_name(step: WizardStep, lang: Lang) -> str:
    keys = {
        WizardStep.SCHOOL: "school",
        WizardStep.ADMINISTRATOR: "administrator",
        WizardStep.COMPETENT_AUTHORITY: "competent_authority",
        WizardStep.REVIEW: "review",
    }
    return text(f"applications.step.{keys[step]}", lang)


def run_applications_chapter(
    kit: Examkit, operator: str, out: Path, say: Callable[..., None], lang: Lang
) -> tuple[AccountApplication, Path]:
    """Apply through the wizard, approve as *operator*, show the e-mails; write the JSON form."""
    mailer = kit.mailer
    if not isinstance(mailer, RecordingMailer):  # pragma: no cover - the demo's own kit
        raise TypeError("the demo shows the e-mails of a RecordingMailer")
    system = MATRIX.systems[SYSTEM]
    say(
        "demo.applications.start",
        school=SCHOOL.school_name,
        location=str(LocationCode.parse(SCHOOL.location_code)),
        application=system.label(lang),
    )
    wizard = kit.applications.wizard(SYSTEM)
    for entry in (SCHOOL, ADMINISTRATOR, AUTHORITY):
        say("demo.applications.step", number=int(wizard.step), name=_step_name(wizard.step, lang))
        wizard.enter(entry)
        try:
            wizard.next()
        except ExamkitErrorGroup as problems:
            for problem in problems.problems:
                say("demo.applications.refused", where=problem.field, message=problem.message(lang))
            wizard.enter(attrs.evolve(ADMINISTRATOR, email_address="k.beheerder@helpdeskschool.nl"))
            wizard.next()
    say("demo.applications.step", number=int(wizard.step), name=_step_name(wizard.step, lang))
    for section in wizard.review(lang):
        for label, value in section.rows:
            say("demo.applications.review", label=f"{section.title} / {label}", value=value)
    submitted = kit.applications.submit(wizard)
    due = kit.applications.due_date(submitted)
    say(
        "demo.applications.submitted",
        id=submitted.id,
        due=due.isoformat(),
        days=kit.settings.applications.days_for(SYSTEM),
    )
    form = out / "account-application.json"
    form.write_text(
        json.dumps(application_to_json(submitted), ensure_ascii=False, indent=2) + "\n",
        encoding="utf-8",
    )
    say("demo.written", path=str(form))

    queue = kit.applications.queue(operator)
    say("demo.applications.queue", count=len(queue), due=queue[0].due.isoformat())
    mailer.clear()
    approved = kit.applications.approve(operator, submitted.id, lang=lang)
    say(
        "demo.applications.approved",
        login_name=str(approved.administrator.login_name),
        locations=", ".join(str(code) for code in approved.school.location_codes),
    )
    for message in mailer.outbox:
        say("demo.applications.mail", to=", ".join(message.to), subject=message.subject)
        for line in message.body.splitlines():
            say("demo.applications.mail_line", body=line)
    return approved, form

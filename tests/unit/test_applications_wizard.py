# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""The four-step application wizard and its field checks (ACC-1 to ACC-4)."""

from __future__ import annotations

from datetime import UTC, datetime

import attrs
import pytest

from examkit.applications import (
    AdministratorEntry,
    ApplicationSettings,
    ApplicationStatus,
    ApplicationWizard,
    AuthorityEntry,
    LocationEntry,
    MailDomainRule,
    SchoolEntry,
    WizardStep,
    check_administrator,
    check_authority,
    check_school,
    example_application,
    normalise_phone,
)
from examkit.errors import ExamkitErrorGroup, InvalidInput, InvalidState

SCHOOL = SchoolEntry(
    "22ab 00", "", "Helpdeskschool", "Waterlaan", "2", "8835ba", "Groningen",
    (LocationEntry("22AB 01"),),
)  # fmt: skip
ADMIN = AdministratorEntry(
    "Klaas", "Beheerder", "06 12345678", "k.beheerder@helpdeskschool.nl", "22AB.K.Beheerder"
)
AUTHORITY = AuthorityEntry("G.", "Jansen", "Directeur", "g.jansen@helpdeskschool.nl")
RULE = MailDomainRule.default()
SUBMITTED = datetime(2022, 11, 1, 9, tzinfo=UTC)


def fields(error: ExamkitErrorGroup) -> list[str | None]:
    return [problem.field for problem in error.problems]


def walk_to_review() -> ApplicationWizard:
    wizard = ApplicationWizard("ce_portal")
    for entry in (SCHOOL, ADMIN, AUTHORITY):
        wizard.enter(entry)
        wizard.next()
    return wizard


@pytest.mark.req("ACC-1")
def test_four_steps_lead_to_the_submitted_application_of_seed_000() -> None:
    """School, administrator, authority, review: confirm gives seed 000's application."""
    wizard = ApplicationWizard("ce_portal")
    assert WizardStep.SCHOOL == wizard.step
    steps = []
    for entry in (SCHOOL, ADMIN, AUTHORITY):
        wizard.enter(entry)
        steps.append(wizard.next())
    assert [WizardStep.ADMINISTRATOR, WizardStep.COMPETENT_AUTHORITY, WizardStep.REVIEW] == steps
    application = wizard.confirm(id="app-22AB00-1", submitted_at=SUBMITTED)
    assert example_application() == application
    assert ApplicationStatus.SUBMITTED == application.status


@pytest.mark.req("ACC-1")
def test_each_step_is_checked_on_its_own_and_stays_on_a_problem() -> None:
    """A bad step raises every problem of that step only; the wizard stays there."""
    wizard = ApplicationWizard("ce_portal")
    wizard.enter(attrs.evolve(SCHOOL, postcode="88355BA", school_name=" "))
    with pytest.raises(ExamkitErrorGroup) as caught:
        wizard.next()
    assert ["school.school_name", "school.postcode"] == fields(caught.value)
    assert WizardStep.SCHOOL == wizard.step
    assert "88355BA" == wizard.school_entry.postcode


@pytest.mark.req("ACC-1")
def test_going_back_keeps_everything_entered() -> None:
    """Back from the review to the school and forward again: every entry is still there."""
    wizard = walk_to_review()
    assert WizardStep.COMPETENT_AUTHORITY == wizard.back()
    assert WizardStep.ADMINISTRATOR == wizard.back()
    assert WizardStep.SCHOOL == wizard.back()
    with pytest.raises(InvalidState):
        wizard.back()
    assert (SCHOOL, ADMIN, AUTHORITY) == (
        wizard.school_entry,
        wizard.administrator_entry,
        wizard.authority_entry,
    )
    wizard.next()
    wizard.enter(attrs.evolve(ADMIN, first_name="Klaasje"))
    wizard.next()
    wizard.next()
    application = wizard.confirm(id="a1", submitted_at=SUBMITTED)
    assert "Klaasje" == application.administrator.first_name
    assert "G. Jansen" == application.competent_authority.full_name


@pytest.mark.req("ACC-1")
def test_an_entry_of_another_step_or_confirming_early_is_refused() -> None:
    """Only the current step's entry is taken; confirm and review wait for step 4."""
    wizard = ApplicationWizard("ce_portal")
    with pytest.raises(InvalidState):
        wizard.enter(ADMIN)
    with pytest.raises(InvalidState):
        wizard.confirm(id="a1", submitted_at=SUBMITTED)
    with pytest.raises(InvalidState):
        wizard.review()
    review = walk_to_review()
    with pytest.raises(InvalidState):
        review.next()


@pytest.mark.req("ACC-1")
def test_the_review_shows_everything() -> None:
    """The review screen lists seed 000's every value under the three headings."""
    sections = walk_to_review().review("nl")
    assert ["School", "Beheerder", "Bevoegd gezag"] == [section.title for section in sections]
    shown = {label: value for section in sections for label, value in section.rows}
    assert {
        "Instellingscode + administratienummer": "22AB00",
        "Onderwijslocatiecode": "-",
        "Naam school": "Helpdeskschool",
        "Straat en huisnummer": "Waterlaan 2",
        "Postcode en woonplaats": "8835 BA Groningen",
        "Nevenlocaties": "22AB01",
        "Telefoonnummer": "0612345678",
        "Inlognaam": "22AB.K.Beheerder",
        "Functie": "Directeur",
    }.items() <= shown.items()
    rows = [row for section in sections for row in section.rows]
    assert ("Naam", "Klaas Beheerder") in rows
    assert ("Naam", "G. Jansen") in rows
    assert ("E-mailadres", "g.jansen@helpdeskschool.nl") in rows


@pytest.mark.req("ACC-1")
def test_a_system_without_applications_is_refused() -> None:
    """Only systems with an administrator role granted by application take applications."""
    with pytest.raises(InvalidInput) as caught:
        ApplicationWizard("vlaamse_toetsen")
    assert "system" == caught.value.field
    ApplicationWizard("facet")


@pytest.mark.req("ACC-1", "ACC-5")
def test_school_checks_codes_through_the_identifier_types() -> None:
    """BRIN location codes, onderwijslocatiecodes and postcodes are checked and normalised."""
    school = check_school(
        attrs.evolve(
            SCHOOL,
            education_location_code="123x456",
            secondary_locations=(LocationEntry("22ab02", "987 X 654", "Dependance"),),
        )
    )
    assert ("22AB00", "123X456", "8835 BA") == (
        str(school.code),
        str(school.onderwijslocatiecode),
        str(school.address.postcode),
    )
    assert ("22AB02", "987X654", "Dependance") == (
        str(school.secondary_locations[0].code),
        str(school.secondary_locations[0].onderwijslocatiecode),
        school.secondary_locations[0].name,
    )
    bad = attrs.evolve(
        SCHOOL,
        location_code="2AB00",
        education_location_code="12X45",
        secondary_locations=(LocationEntry("22AB0"), LocationEntry("")),
    )
    with pytest.raises(ExamkitErrorGroup) as caught:
        check_school(bad)
    assert [
        "school.location_code",
        "school.education_location_code",
        "school.secondary_locations[0].location_code",
        "school.secondary_locations[1].location_code",
    ] == fields(caught.value)


@pytest.mark.req("ACC-1", "ACC-5")
def test_secondary_locations_of_another_school_are_refused_by_row() -> None:
    """A nevenlocatie of another BRIN names its row."""
    with pytest.raises(ExamkitErrorGroup) as caught:
        check_school(attrs.evolve(SCHOOL, secondary_locations=(LocationEntry("33CD01"),)))
    assert ["school.secondary_locations[0].location_code"] == fields(caught.value)
    assert "33CD01" in caught.value.problems[0].message("en")


@pytest.mark.req("ACC-2", "ACC-3")
def test_every_administrator_problem_is_reported_at_once() -> None:
    """Each field error names its field and says what to do."""
    entry = AdministratorEntry("", "Beheerder", "0900 1234567", "k@gmail.com", "kort")
    with pytest.raises(ExamkitErrorGroup) as caught:
        check_administrator(entry, RULE)
    assert [
        "administrator.first_name",
        "administrator.phone_number",
        "administrator.email_address",
        "administrator.login_name",
    ] == fields(caught.value)
    english = [problem.message("en") for problem in caught.value.problems]
    assert "Fill in this field" in english[0]
    assert "enter a 06 number" in english[1]
    assert "use an address of the institution" in english[2]
    assert "8 to 20 characters" in english[3]


@pytest.mark.req("ACC-3", "ACC-4")
def test_every_authority_problem_is_reported_at_once() -> None:
    """Initials, last name, function and a valid institution address are all required."""
    entry = AuthorityEntry(" ", "", "", "g.jansen@hotmail.com")
    with pytest.raises(ExamkitErrorGroup) as caught:
        check_authority(entry, RULE)
    assert [
        "competent_authority.initials",
        "competent_authority.last_name",
        "competent_authority.job_title",
        "competent_authority.email_address",
    ] == fields(caught.value)
    assert "G. Jansen" == check_authority(AUTHORITY, RULE).full_name


@pytest.mark.req("ACC-3")
@pytest.mark.parametrize(
    "address",
    [
        "jan.jansen@gmail.com",
        "jan@hotmail.com",
        "jan@hotmail.nl",
        "jan@outlook.com",
        "jan@live.nl",
        "jan@yahoo.com",
        "jan@icloud.com",
        "jan@kpnmail.nl",
        "jan@ziggo.nl",
        "jan@planet.nl",
        "jan@xs4all.nl",
        "jan@telenet.be",
        "jan@skynet.be",
        "jan@proximus.be",
        "jan@hotmail.be",
        "Jan@GMAIL.COM",
        "jan@mail.ziggo.nl",
    ],
)
def test_private_mail_providers_are_refused(address: str) -> None:
    """Gmail, Hotmail and the Dutch and Belgian providers are private addresses."""
    with pytest.raises(ExamkitErrorGroup) as caught:
        check_authority(attrs.evolve(AUTHORITY, email_address=address), RULE)
    assert ["applications.email.private"] == [problem.code for problem in caught.value.problems]


@pytest.mark.req("ACC-3")
@pytest.mark.parametrize(
    "address",
    [
        "g.jansen@helpdeskschool.nl",
        "directie@obs-de-wilg.nl",
        "info@scholengroep.be",
        "g.jansen@gmail-school.nl",
        "g.jansen@stichting.onderwijs.nl",
    ],
)
def test_school_addresses_are_accepted(address: str) -> None:
    """An institution's own domain passes."""
    assert address == check_authority(attrs.evolve(AUTHORITY, email_address=address), RULE).email


@pytest.mark.req("ACC-3")
def test_the_mail_rule_is_configurable_per_portal() -> None:
    """A portal refuses more domains or allows some, through its settings."""
    rule = MailDomainRule.default().refusing("Freemail.Example").allowing("ziggo.nl")
    assert rule.is_private("a@freemail.example")
    assert not rule.is_private("school@ziggo.nl")
    settings = ApplicationSettings(mail_rule=rule)
    wizard = ApplicationWizard("ce_portal", mail_rule=settings.mail_rule)
    wizard.enter(SCHOOL)
    wizard.next()
    wizard.enter(attrs.evolve(ADMIN, email_address="beheer@ziggo.nl"))
    assert WizardStep.COMPETENT_AUTHORITY == wizard.next()


@pytest.mark.req("ACC-3")
@pytest.mark.parametrize("address", ["geen-adres", "a@b", "jan@@school.nl", "jan school@x.nl"])
def test_malformed_addresses_are_refused_with_an_example(address: str) -> None:
    """E-mail syntax is checked and the message shows a good address."""
    with pytest.raises(ExamkitErrorGroup) as caught:
        check_authority(attrs.evolve(AUTHORITY, email_address=address), RULE)
    (problem,) = caught.value.problems
    assert ("applications.email.invalid", "competent_authority.email_address") == (
        problem.code,
        problem.field,
    )
    assert "name@school.nl" in problem.message("en")


@pytest.mark.req("ACC-2")
@pytest.mark.parametrize(
    ("written", "digits"),
    [
        ("0612345678", "0612345678"),
        ("06-12345678", "0612345678"),
        ("06 1234 5678", "0612345678"),
        ("+31 6 12345678", "0612345678"),
        ("+31 (0)6 12345678", "0612345678"),
        ("0031612345678", "0612345678"),
        ("(050) 599 7799", "0505997799"),
        ("050-5997799", "0505997799"),
        ("020 123 4567", "0201234567"),
        ("0118-123456", "0118123456"),
        ("085 123 4567", "0851234567"),
        ("088-1234567", "0881234567"),
    ],
)
def test_dutch_mobile_and_landline_numbers_in_their_usual_forms(written: str, digits: str) -> None:
    """Mobile, landline, 085 and 088 numbers are accepted however written."""
    assert digits == normalise_phone(written)


@pytest.mark.req("ACC-2")
@pytest.mark.parametrize(
    "written",
    [
        "0800 1234",
        "0800-0123456",
        "0900 1234567",
        "0906 1234567",
        "0909 1234567",
        "+32 470 12 34 56",
        "+49 30 1234567",
        "06123",
        "061234567890",
        "telefoon",
        "112",
    ],
)
def test_service_foreign_and_malformed_numbers_are_refused(written: str) -> None:
    """0800/090x, foreign and incomplete numbers are refused, naming the field."""
    with pytest.raises(InvalidInput) as caught:
        normalise_phone(written, "phone_number")
    assert ("applications.phone.invalid", "phone_number") == (
        caught.value.code,
        caught.value.field,
    )

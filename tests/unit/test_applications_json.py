# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""The account application's value and its versioned JSON form."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import attrs
import pytest

from examkit.applications import (
    JSON_FORMAT,
    JSON_VERSION,
    AccountApplication,
    SchoolDetails,
    SecondaryLocation,
    application_from_json,
    application_to_json,
    example_application,
)
from examkit.errors import ExamkitErrorGroup, InvalidInput
from examkit.identifiers import LocationCode


def _form() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(json.dumps(application_to_json(example_application())))
    return data


@pytest.mark.req("ACC-1")
def test_json_form_round_trips_through_text() -> None:
    """An application written as JSON text and read back is the same application."""
    application = example_application()
    text = json.dumps(application_to_json(application), sort_keys=True)
    assert application == application_from_json(json.loads(text))


@pytest.mark.req("ACC-1")
def test_json_form_uses_the_documented_english_keys() -> None:
    """The keys are the form's English words, not the attribute names."""
    data = _form()
    assert JSON_FORMAT == data["format"] == "examkit.account-application"
    assert JSON_VERSION == data["format_version"] == 1
    assert {"location_code", "education_location_code", "school_name", "address"} <= set(
        data["school"]
    )
    assert {
        "first_name": "Klaas",
        "last_name": "Beheerder",
        "phone_number": "0612345678",
        "email_address": "k.beheerder@helpdeskschool.nl",
        "login_name": "22AB.K.Beheerder",
    } == data["administrator"]
    assert {
        "initials": "G.",
        "last_name": "Jansen",
        "job_title": "Directeur",
        "email_address": "g.jansen@helpdeskschool.nl",
    } == data["competent_authority"]
    assert [
        {"location_code": "22AB01", "education_location_code": None, "location_name": ""}
    ] == data["school"]["secondary_locations"]


@pytest.mark.req("ACC-1", "ACC-2", "ACC-4")
def test_reading_reports_every_problem_with_its_place_in_the_form() -> None:
    """Every bad field is listed at once, each named by its path in the form."""
    data = _form()
    data["administrator"]["phone_number"] = "0800 1234"
    data["administrator"]["login_name"] = "kort"
    data["school"]["location_code"] = "22AB0"
    data["competent_authority"]["email_address"] = "geen-adres"
    del data["competent_authority"]["job_title"]
    data["colour"] = "blue"
    with pytest.raises(ExamkitErrorGroup) as caught:
        application_from_json(data)
    assert {
        "administrator.phone_number",
        "administrator.login_name",
        "school.location_code",
        "competent_authority.email_address",
        "competent_authority.job_title",
        "colour",
    } == {problem.field for problem in caught.value.problems}


@pytest.mark.req("ACC-1")
@pytest.mark.parametrize(
    ("key", "value"), [("format_version", 2), ("format", "something.else"), ("status", "maybe")]
)
def test_reading_refuses_another_format_version_or_status(key: str, value: object) -> None:
    """A form of another format or version, or an unknown status, is refused by field."""
    data = _form()
    data[key] = value
    with pytest.raises(InvalidInput) as caught:
        application_from_json(data)
    assert key == caught.value.field


@pytest.mark.req("ACC-1")
def test_reading_refuses_what_is_not_an_object() -> None:
    """A list where the form belongs is refused, not crashed on."""
    with pytest.raises(InvalidInput, match="object"):
        application_from_json([1, 2])
    data = _form()
    data["school"] = "Helpdeskschool"
    with pytest.raises(InvalidInput) as caught:
        application_from_json(data)
    assert "school" == caught.value.field


@pytest.mark.req("ACC-1", "ACC-5")
def test_secondary_locations_must_be_of_the_schools_brin_and_distinct() -> None:
    """A secondary location of another BRIN, or twice, or the main location, is refused."""
    school = example_application().school
    for locations, code in (
        ((SecondaryLocation(LocationCode("33CD01")),), "applications.location.other_brin"),
        ((SecondaryLocation(LocationCode("22AB00")),), "applications.location.duplicate"),
        (
            (SecondaryLocation(LocationCode("22AB01")), SecondaryLocation(LocationCode("22AB01"))),
            "applications.location.duplicate",
        ),
    ):
        with pytest.raises(ExamkitErrorGroup) as caught:
            attrs.evolve(school, secondary_locations=locations)
        assert [code] == [problem.code for problem in caught.value.problems]
    assert isinstance(school, SchoolDetails)


@pytest.mark.req("ACC-1")
def test_a_decided_application_carries_its_decision() -> None:
    """A submitted application has no decision; a decided one must have one."""
    application = example_application()
    data = _form()
    data["status"] = "approved"
    with pytest.raises(InvalidInput) as caught:
        application_from_json(data)
    assert "decision" == caught.value.field
    assert isinstance(application, AccountApplication)


@pytest.mark.req("ACC-1")
def test_the_documented_example_is_what_examkit_writes() -> None:
    """The docs' JSON example is seed 000's application as examkit writes it."""
    path = Path(__file__).parents[2] / "docs" / "_examples" / "account-application.json"
    documented = json.loads(path.read_text(encoding="utf-8"))
    assert application_to_json(example_application()) == documented
    assert example_application() == application_from_json(documented)


@pytest.mark.req("ACC-1", "ACC-5")
def test_school_problems_name_their_place_in_the_form() -> None:
    """An empty school name and a nevenlocatie of another school are named by path."""
    data = _form()
    data["school"]["school_name"] = " "
    data["school"]["secondary_locations"][0]["location_code"] = "33CD01"
    with pytest.raises(InvalidInput) as caught:
        application_from_json(data)
    assert "school.school_name" == caught.value.field
    data["school"]["school_name"] = "Helpdeskschool"
    with pytest.raises(InvalidInput) as caught:
        application_from_json(data)
    assert "school.secondary_locations[0].location_code" == caught.value.field

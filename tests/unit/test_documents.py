"""The printed documents: every field value is in the text, page 1 is drawn, bytes are stable."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import time
from datetime import timedelta
from decimal import Decimal
from typing import Any

import attrs
import pypdf
import pypdfium2
import pytest

from examkit.applications import SecondaryLocation, example_application
from examkit.documents import (
    ATTEMPT_STATE_NL,
    GROUP_STATE_NL,
    SEND_TO,
    ItemResult,
    ResultsReport,
    ReviewPeriod,
    SendTo,
    access_slips_pdf,
    account_application_pdf,
    participation_list_pdf,
    results_report_pdf,
    session_report_pdf,
)
from examkit.errors import InvalidInput
from examkit.identifiers import LocationCode, OnderwijslocatieCode
from examkit.scheduling import AttemptState, GroupState
from examkit.testing.documents import (
    SAMPLE_START,
    SAMPLE_TEST,
    render_samples,
    sample_registration,
    sample_results,
    sample_session_report,
    sample_slips,
)


def text_of(pdf: bytes) -> str:
    """Return the text of every page with white space collapsed (wrapped cells join up)."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def assert_contains_all(pdf: bytes, values: list[str]) -> None:
    text = text_of(pdf)
    missing = [value for value in values if value not in text]
    assert [] == missing


def assert_page_one_drawn(pdf: bytes) -> None:
    """Render page 1 with pdfium and check that a fair share of it is ink, not blank paper."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        width, height = document[0].get_size()
        assert (round(width), round(height)) == (595, 842)  # A4 in points
        pixels = document[0].render(scale=1, grayscale=True).to_numpy()
    finally:
        document.close()
    ink = (pixels < 128).mean()
    assert 0.005 < ink < 0.5


def assert_metadata(pdf: bytes, title: str) -> None:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert reader.metadata is not None
    assert title in str(reader.metadata.title)
    root: Any = reader.trailer["/Root"]
    assert "nl" == root["/Lang"]
    fonts = set()
    for page in reader.pages:
        resources: Any = page["/Resources"]
        for reference in resources["/Font"].values():
            font = reference.get_object()
            if "/FontDescriptor" in font:
                descriptor = font["/FontDescriptor"].get_object()
                assert "/FontFile2" in descriptor  # the TrueType program is embedded
                fonts.add(str(font["/BaseFont"]).split("+")[-1])
    assert {"DejaVuSans", "DejaVuSans-Bold"} <= fonts


def page_texts(pdf: bytes) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return [page.extract_text() for page in reader.pages]


def assert_page_numbers(pdf: bytes) -> None:
    texts = page_texts(pdf)
    for number, text in enumerate(texts, start=1):
        assert f"Pagina {number} van {len(texts)}" in text


@pytest.mark.req("DOC-2")
def test_access_slips_show_every_candidate_with_code_test_room_and_time() -> None:
    """The proctor's list and each slip show name, login name, code, test, room and time."""
    slips = sample_slips()
    pdf = access_slips_pdf(slips, test=SAMPLE_TEST)
    values = [SAMPLE_TEST, "Lokaal B.12", "12 mei 2026, 09:00", "WW3F-6KFU", "g-frans-5v"]
    values += [slip.name for slip in slips] + [slip.login_name for slip in slips]
    assert_contains_all(pdf, values)
    texts = page_texts(pdf)
    assert "Overzicht voor de afnameleider" in texts[0]
    slips_text = re.sub(r"\s+", " ", " ".join(texts[1:]))
    for slip in slips:  # every candidate also has a slip of their own after the list
        assert slip.name in slips_text
        assert slip.login_name in slips_text
    assert 3 == re.sub(r"\s+", " ", " ".join(texts[1:])).count("Toegangscode WW3F-6KFU")
    assert_page_one_drawn(pdf)
    assert_metadata(pdf, "Inlogbriefjes")
    assert_page_numbers(pdf)


@pytest.mark.req("DOC-2")
def test_access_slips_refuse_an_empty_group() -> None:
    """No slips to print is an error naming what is wrong."""
    with pytest.raises(InvalidInput) as caught:
        access_slips_pdf([], test=SAMPLE_TEST)
    assert "documents.slips.empty" == caught.value.code


@pytest.mark.req("DOC-3")
def test_session_report_shows_attendance_incidents_notes_remarks_and_log() -> None:
    """Every field of the session report's data is in the document's text."""
    report = sample_session_report()
    pdf = session_report_pdf(report, test=SAMPLE_TEST)
    values = [
        "Proces-verbaal van de afname",
        report.group,
        report.location,
        report.exam,
        SAMPLE_TEST,
        report.room,
        report.proctor,
        "afgesloten",
        "12 mei 2026, 09:00",  # planned start
        "12 mei 2026, 11:30",  # planned end
        "12 mei 2026, 09:02",  # actual start
        "12 mei 2026, 11:35",  # actual end
        "Aanwezig 2",
        "Afwezig 1",
        "Afgerond door de afnameleider ja",
        "Brandalarm, 5 minuten",
        "Pc herstart, 4 minuten",
        "Reden: telefoon gebruikt",
        "Te laat verstuurde antwoorden geweigerd: 2",
        report.notes,
        "Herkansing voor Sanne aangevraagd.",
        "p.planner",
        "ingeleverd",
        "beëindigd",
        "afwezig",
        "09:03 - 11:20",
        "afname voorbij",
        "facet.proctor",
    ]
    for line in report.attendance:
        values += [line.name, line.login_name, line.number]
    assert_contains_all(pdf, values)
    assert_page_one_drawn(pdf)
    assert_metadata(pdf, "Proces-verbaal")
    assert_page_numbers(pdf)


@pytest.mark.req("DOC-3")
def test_every_state_has_a_dutch_name() -> None:
    """The report can name every group and attempt state in Dutch."""
    assert set(GroupState) == set(GROUP_STATE_NL)
    assert set(AttemptState) == set(ATTEMPT_STATE_NL)
    assert "afgesloten" == GROUP_STATE_NL[GroupState.CLOSED]
    assert "afwezig" == ATTEMPT_STATE_NL[AttemptState.ABSENT]


@pytest.mark.req("DOC-4")
def test_participation_list_shows_exemptions_questionnaire_and_accommodations() -> None:
    """Each pupil's group, exemptions with reason, questionnaire and own aids are printed."""
    registration = sample_registration()
    pdf = participation_list_pdf(registration)
    values = [
        "012345",
        "2024-2025",
        "nederlands 20 mei 2025 (NED-2025)",
        "wiskunde 22 mei 2025 (WIS-2025)",
        "Gevalideerd 27 februari 2025",
        "Leerlingengroep 6A",
        "Leerlingengroep 6B",
        "Zonder leerlingengroep",
        "Lotte Janssens p1 vrijgesteld neemt deel ja OKAN",
        "Wout Peeters p2 neemt deel neemt deel ja - rekenmachine",
        "Aïcha El Amrani p3 neemt deel neemt deel ja - voorleessoftware",
        "Célestine Dubois p4 neemt deel neemt deel nee",
        "Jérôme Maes p5 vrijgesteld vrijgesteld ja langdurig ziek",
    ]
    assert_contains_all(pdf, values)
    assert_page_one_drawn(pdf)
    assert_metadata(pdf, "Deelnamelijst")
    assert_page_numbers(pdf)


@pytest.mark.req("DOC-5")
def test_results_report_shows_items_total_grade_and_review_period() -> None:
    """Every item's response, score, maximum and comment, the total, grade and review show."""
    report = sample_results()
    pdf = results_report_pdf(report)
    values = [
        report.candidate,
        report.login_name,
        report.test,
        "Totaalscore 4,5 van 7",
        "Cijfer 6,2",
        "van 26 mei 2026, 09:00 tot 28 mei 2026, 09:00",
        "v1 B 2 2 -",
        "v2 A, C 1 2 Eén juist antwoord.",
        "v3 Le garçon a réussi l'épreuve. 1,5 3 Accent grave vergeten.",
    ]
    assert_contains_all(pdf, values)
    assert_page_one_drawn(pdf)
    assert_metadata(pdf, "Resultaten en inzage")
    assert_page_numbers(pdf)


@pytest.mark.req("DOC-5")
def test_results_report_without_grade_or_review_says_so() -> None:
    """No grade prints a dash, no review period says none was granted."""
    report = ResultsReport(
        candidate="Daan Jansen",
        test="Oefentoets",
        items=[ItemResult("q1", "", 0, 1)],
        total=0,
        maximum=1,
    )
    assert_contains_all(
        results_report_pdf(report),
        ["Cijfer -", "geen inzage toegekend", "q1 (geen antwoord) 0 1"],
    )


@pytest.mark.req("DOC-5")
@pytest.mark.parametrize(
    ("build", "code"),
    [
        (lambda: ItemResult("v1", "B", 3, 2), "documents.results.score_range"),
        (lambda: ItemResult("v1", "B", -1, 2), "documents.results.score_range"),
        (lambda: ItemResult("v1", "B", 0, 0), "documents.results.maximum"),
        (lambda: ItemResult("v1", "B", "twee", 2), "documents.results.number"),
        (lambda: ItemResult("v1", "B", True, 2), "documents.results.number"),
        (
            lambda: ResultsReport(candidate="A", test="T", items=[], total=5, maximum=4),
            "documents.results.total_range",
        ),
        (
            lambda: ResultsReport(
                candidate="A",
                test="T",
                items=[ItemResult("v1", "", 0, 1), ItemResult("v1", "", 0, 1)],
                total=0,
                maximum=2,
            ),
            "documents.results.duplicate_item",
        ),
        (
            lambda: ReviewPeriod(opens=SAMPLE_START, closes=SAMPLE_START - timedelta(hours=1)),
            "documents.results.review_order",
        ),
    ],
)
def test_results_values_refuse_impossible_data(build: object, code: str) -> None:
    """A score above its maximum, a bad number, a doubled item or a backwards period is refused."""
    with pytest.raises(InvalidInput) as caught:
        build()  # type: ignore[operator]
    assert code == caught.value.code


@pytest.mark.req("DOC-5")
def test_results_scores_accept_a_decimal_comma() -> None:
    """Scores may be written as Dutch writes them."""
    assert Decimal("1.5") == ItemResult("v1", "", "1,5", 2).score


RENDER = (
    "import hashlib, json, sys\n"
    "from examkit.testing.documents import render_samples\n"
    "json.dump({k: hashlib.sha256(v).hexdigest() for k, v in render_samples().items()},"
    " sys.stdout)\n"
)


def render_in_subprocess(env: dict[str, str]) -> dict[str, str]:
    result = subprocess.run(  # noqa: S603 - our own interpreter and a fixed script
        [sys.executable, "-c", RENDER],
        capture_output=True,
        check=True,
        env={**os.environ, **env},
        timeout=120,
    )
    digests: dict[str, str] = json.loads(result.stdout)
    return digests


@pytest.mark.req("DOC-1")
@pytest.mark.req("DOC-2")
@pytest.mark.req("DOC-3")
@pytest.mark.req("DOC-4")
@pytest.mark.req("DOC-5")
def test_documents_are_byte_identical_across_processes_and_clock_times() -> None:
    """Two processes, seconds apart, in other time zones and hash seeds, give the same bytes."""
    here = {
        kind: __import__("hashlib").sha256(pdf).hexdigest()
        for kind, pdf in render_samples().items()
    }
    first = render_in_subprocess({"TZ": "UTC", "PYTHONHASHSEED": "1"})
    started = time.monotonic()
    time.sleep(1.1)  # PDF dates have whole seconds: the clock has moved on
    second = render_in_subprocess(
        {"TZ": "Pacific/Auckland", "PYTHONHASHSEED": "2", "SOURCE_DATE_EPOCH": "1700000000"}
    )
    assert time.monotonic() - started >= 1.1
    assert here == first == second
    assert 5 == len(set(first.values()))


@pytest.mark.req("DOC-5")
def test_document_id_follows_the_data() -> None:
    """The trailer's /ID is the same for the same data and differs when the data differs."""
    report = sample_results()
    changed = ResultsReport(
        candidate=report.candidate,
        login_name=report.login_name,
        test=report.test,
        items=report.items,
        total=report.total,
        maximum=report.maximum,
        grade="6.3",
        review=report.review,
    )

    def document_id(pdf: bytes) -> object:
        return pypdf.PdfReader(io.BytesIO(pdf)).trailer["/ID"]

    assert document_id(results_report_pdf(report)) == document_id(results_report_pdf(report))
    assert document_id(results_report_pdf(report)) != document_id(results_report_pdf(changed))


@pytest.mark.req("DOC-1")
@pytest.mark.req("ACC-5")
def test_account_application_form_shows_every_field_of_seed_000() -> None:
    """School, nevenlocaties, administrator, authority, send-to and two signature blocks."""
    application = example_application()
    pdf = account_application_pdf(application)
    texts = page_texts(pdf)
    assert 2 == len(texts)
    assert_contains_all(
        pdf,
        [
            "Aanvraag schoolaccount portal Centrale Eindtoets",
            "Verzendadres Dienst Uitvoering Onderwijs Centrale eindtoets Postbus 30158 "
            "9700 LK Groningen of info@centraleeindtoetspo.nl",
            "Meer informatie info@centraleeindtoetspo.nl www.centraleeindtoetspo.nl "
            "Helpdesk Centrale Eindtoets (050) 599 77 99",
            "Gegevens school",
            "Instellingscode + administratienummer 22AB00",
            "Onderwijslocatiecode -",
            "Naam school (hoofd- of inspectielocatie) Helpdeskschool",
            "Adres Waterlaan 2 8835BA Groningen",
            "Nevenlocaties Instellingscode + administratienummer Onderwijslocatiecode "
            "Locatienaam 1. 22AB01 - -",
            "Gegevens beheerder portal Centrale Eindtoets",
            "Naam Klaas Beheerder",
            "Telefoonnummer 0612345678",
            "E-mailadres k.beheerder@helpdeskschool.nl",
            "Gewenste inlognaam 22AB.K.Beheerder",
            "Ondertekening bevoegd gezag",
            "Naam directeur of schoolleider G. Jansen",
            "Functie Directeur",
            "E-mailadres directeur of schoolleider g.jansen@helpdeskschool.nl",
        ],
    )
    signature_block = "Plaats en datum Plaats Dag Maand Jaar Handtekening"
    for text in texts:  # the administrator signs on page 1, the competent authority on page 2
        assert 1 == re.sub(r"\s+", " ", text).count(signature_block)
    assert "Klaas Beheerder" in texts[0]
    assert "G. Jansen" in texts[1]
    assert_page_one_drawn(pdf)
    assert_metadata(pdf, "Aanvraag schoolaccount portal Centrale Eindtoets")
    assert_page_numbers(pdf)


@pytest.mark.req("DOC-1")
def test_account_application_form_prints_each_secondary_location_and_facet_address() -> None:
    """Every nevenlocatie gets a row; a Facet application goes to the Facet helpdesk."""
    application = attrs.evolve(
        example_application(),
        system="facet",
        school=attrs.evolve(
            example_application().school,
            onderwijslocatiecode=OnderwijslocatieCode.parse("123x456"),
            secondary_locations=(
                SecondaryLocation(LocationCode("22AB01"), None, "Dependance Zuid"),
                SecondaryLocation(
                    LocationCode("22AB02"), OnderwijslocatieCode.parse("987x654"), "Élan"
                ),
            ),
        ),
    )
    pdf = account_application_pdf(application)
    assert_contains_all(
        pdf,
        [
            "Aanvraag schoolaccount Facet",
            "helpdeskfacet@duo.nl",
            f"Onderwijslocatiecode {OnderwijslocatieCode.parse('123x456')}",
            "1. 22AB01 - Dependance Zuid",
            f"2. 22AB02 {OnderwijslocatieCode.parse('987x654')} Élan",
        ],
    )
    assert SEND_TO["facet"].portal in text_of(pdf)


@pytest.mark.req("DOC-1")
def test_account_application_form_needs_a_send_to_address_for_an_unknown_system() -> None:
    """A system without an address in SEND_TO is refused unless the caller gives one."""
    application = attrs.evolve(example_application(), system="cito_lvs")
    with pytest.raises(InvalidInput) as caught:
        account_application_pdf(application)
    assert "documents.application.system" == caught.value.code
    own = SendTo(portal="Cito LVS", address=("Cito", "Postbus 1"), information=("info@cito.nl",))
    assert_contains_all(
        account_application_pdf(application, send_to=own),
        ["Aanvraag schoolaccount Cito LVS", "Cito Postbus 1"],
    )


@pytest.mark.req("DOC-5", "SCO-4")
def test_a_review_from_correction_prints_as_the_results_report() -> None:
    """A correction review (ReviewView) becomes the results report with every value."""
    from fractions import Fraction

    from examkit.correction import ReviewItem, ReviewView
    from examkit.documents import results_report_of, results_report_pdf

    view = ReviewView(
        "c-1",
        "Noëlle Çelik",
        "NE-GL-2026",
        "Nederlands GL/TL",
        [
            ReviewItem("q1", "B", Fraction(1), Fraction(1)),
            ReviewItem("q3", "Omdat het regent.", Fraction(3, 2), Fraction(3), "Half goed."),
        ],
        total=Fraction(5, 2),
        grade=Decimal("5.8"),
    )
    report = results_report_of(view, login_name="KAND0001")
    assert Decimal(4) == report.maximum
    pdf = results_report_pdf(report)
    assert_contains_all(
        pdf,
        ["Noëlle Çelik", "Nederlands GL/TL", "KAND0001", "q3", "Omdat het regent.", "Half goed."],
    )
    assert_page_one_drawn(pdf)

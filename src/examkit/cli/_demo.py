"""``examkit demo``: walk through a school year's flow in plain words."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from examkit import Examkit
from examkit.accounts import Account, LoginName
from examkit.backends.memory import MemoryBackend
from examkit.cli._common import EXIT_OK, add_output, lang_of
from examkit.cli._demo_applications import run_applications_chapter
from examkit.cli._demo_correction import run_correction_chapter
from examkit.cli._demo_documents import run_documents_chapter
from examkit.cli._demo_import import run_import_chapter
from examkit.cli._demo_scoring import run_scoring_chapter
from examkit.cli._demo_sessions import run_pupils_chapter, run_sessions_chapter
from examkit.cli._demo_signin import run_signin_chapter
from examkit.converter import unstructure
from examkit.edexml import inspect
from examkit.errors import InvalidInput, NotPermitted
from examkit.identifiers import Brin, OnderwijslocatieCode, Postcode, SchoolYear
from examkit.messages import Lang, text
from examkit.org import Address, CompetentAuthority, Institution, Location
from examkit.passwords import PRESETS
from examkit.permissions import MATRIX, ClassRef, Subject, Target, matrix_markdown, may
from examkit.records import Backend
from examkit.testing import RecordingMailer, demo_edexml, make_kit


def configure(demo: argparse.ArgumentParser) -> None:
    """Add the options of the ``demo`` command."""
    add_output(
        demo,
        "--out",
        folder=True,
        metavar="DIR",
        help="folder for the documents (default: a new temporary folder)",
    )
    demo.set_defaults(handler=demo_command)


def demo_command(args: argparse.Namespace) -> int:
    """Run ``examkit demo``."""
    lang = lang_of(args)
    out: Path = args.out if args.out is not None else Path(tempfile.mkdtemp(prefix="examkit-"))
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InvalidInput(
            "cli.file.unwritable", path=str(out), reason=error.strerror or type(error).__name__
        ) from None
    run_demo(out, lang)
    return EXIT_OK


def run_demo(out: Path, lang: Lang) -> list[Path]:
    """Run the demo on the in-memory backend, writing documents to *out*; return them."""

    def say(message: str, /, **params: object) -> None:
        sys.stdout.write(text(message, lang, **params) + "\n")

    with tempfile.TemporaryDirectory(prefix="examkit-demo-db-") as database_folder:
        return _run_with_database(out, lang, Path(database_folder), say)


def _run_with_database(
    out: Path, lang: Lang, database_folder: Path, say: Callable[..., None]
) -> list[Path]:
    try:
        from examkit.backends.sql import SQLBackend
    except ImportError:
        backend: Backend = MemoryBackend()
        say("demo.backend.memory")
    else:
        database = database_folder / "examkit.db"
        backend = SQLBackend(f"sqlite:///{database}")
        say("demo.backend.sqlite", path=str(database))
    kit = make_kit(backend=backend)
    today = kit.clock.now().date()
    year = SchoolYear.containing(today)
    say("demo.start", date=today.isoformat(), school_year=str(year))

    brin = Brin.parse("22ab")
    school = Institution(
        code=brin,
        name="Openbare Scholengemeenschap Het Eiland",
        address=Address("Dorpsstraat", "1", Postcode.parse("8835ba"), "Tzummarum"),
        onderwijslocatiecode=OnderwijslocatieCode.parse("123x456"),
        competent_authority=CompetentAuthority(
            name="J.A. de Vries",
            function="voorzitter college van bestuur",
            email="bestuur@heteiland.nl",
        ),
        secondary_locations=(
            Location(
                code=brin.location(1),
                name="Het Eiland, locatie Sexbierum",
                address=Address("Schoolstraat", "12a", Postcode.parse("8855 AB"), "Sexbierum"),
            ),
        ),
    )
    stored = kit.institutions.register(school, actor="examkit.demo")
    say("demo.institution", name=stored.name, brin=str(stored.code))
    for location in stored.locations:
        kind = text("demo.main" if location.code.is_main else "demo.secondary", lang)
        say(
            "demo.location",
            code=str(location.code),
            kind=kind,
            name=location.name,
            address=", ".join(location.address.lines()),
        )
    authority = stored.competent_authority
    if authority is not None:
        say("demo.authority", name=authority.name, function=authority.function)

    _show_passwords(say, lang)

    session = run_sessions_chapter(backend, say, lang)
    run_scoring_chapter(say, session.attempts)
    qti_result = run_correction_chapter(say, lang, out)

    run_signin_chapter(kit, say, lang)

    written = out / "institution.json"
    written.write_text(
        json.dumps(unstructure(stored), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    say("demo.written", path=str(written))
    matrix = _roles(kit, stored, lang, say)
    matrix_file = out / "permission-matrix.md"
    matrix_file.write_text(matrix, encoding="utf-8")
    say("demo.written", path=str(matrix_file))
    application, application_form = run_applications_chapter(kit, "servicedesk", out, say, lang)
    files = [written, matrix_file, application_form, qti_result, *_edexml(out, year, lang, say)]
    files += run_documents_chapter(out, session, application, say)
    run_import_chapter(kit, "beheerder", demo_edexml(year), lang, say)
    run_pupils_chapter(kit, say)
    say("demo.done", folder=str(out))
    kit.close()
    return files


DEMO_PASSWORDS = ("Zomer2026!", "welkom 01", "paard correct nietje batterij", "Password12")
"""The passwords the demo checks: one for each kind of verdict."""


def _show_passwords(say: Callable[..., None], lang: Lang) -> None:
    """Check a few passwords against facet and nist; print facet's report against NIST."""
    say("demo.passwords")
    for password in DEMO_PASSWORDS:
        for name in ("facet", "nist"):
            verdict = PRESETS[name].check(password)
            if verdict.valid:
                say("demo.password.valid", password=password, policy=name)
                continue
            say("demo.password.invalid", password=password, policy=name)
            for problem in verdict.problems():
                say("demo.problem", message=problem.message(lang))
    report = PRESETS["facet"].compliance_report("nist")
    say("demo.compliance", policy=report.policy, standard=report.standard.title)
    for deviation in report.deviations:
        say("demo.deviation", subject=deviation.subject, reason=deviation.message(lang))


def _roles(kit: Examkit, school: Institution, lang: Lang, say: Callable[..., None]) -> str:
    """Walk an administrator through adding users and granting roles; return the matrix."""
    main, nevenlocatie = (location.code for location in school.locations)
    with kit.backend.begin() as uow:
        for account_id, login, first, last, email in (
            ("servicedesk", "examkit.servicedesk", "Sam", "Servicedesk", "servicedesk@examkit.nl"),
            ("beheerder", "22AB.K.Beheerder", "Karin", "Beheerder", "k.beheerder@heteiland.nl"),
        ):
            uow.accounts.add(
                Account(
                    id=account_id,
                    login_name=LoginName(login),
                    first_name=first,
                    last_name=last,
                    email=email,
                )
            )
        uow.commit()
    kit.grants.install_operator("servicedesk")
    for role, application in (("facet.administrator", "Facet"), ("cito_lvs.administrator", "Cito")):
        kit.grants.grant_administrator(
            "servicedesk", "beheerder", at=[main, nevenlocatie], role=role
        )
        say(
            "demo.roles.administrator",
            name="Karin Beheerder",
            application=application,
            locations=f"{main}, {nevenlocatie}",
        )
    mailer = kit.mailer
    people: dict[str, str] = {}
    for key, application, login, first, last in (
        ("planner", "facet", "22AB.P.Planner", "Piet", "Planner"),
        ("proctor", "facet", "22AB.A.Leider", "Anna", "Leider"),
        ("teacher", "cito_lvs", "22AB.T.Docent", "Tom", "Docent"),
    ):
        email = f"{first.lower()}@heteiland.nl"
        added = kit.users.add_user(
            "beheerder",
            application=application,
            at=main,
            login_name=login,
            first_name=first,
            last_name=last,
            email=email,
            lang=lang,
        )
        people[key] = added.id
        say(
            "demo.roles.added",
            admin="Karin",
            name=f"{first} {last}",
            login_name=login,
            application=application,
            email=email,
            subject=mailer.last().subject if isinstance(mailer, RecordingMailer) else "",
        )
    one_ha = ClassRef(main, "1HA")
    for key, name, role, at, subject in (
        ("planner", "Piet", "facet.planner", [main, nevenlocatie], None),
        ("proctor", "Anna", "facet.proctor", [nevenlocatie], None),
        ("teacher", "Tom", "cito_lvs.subject_teacher", [one_ha], Subject.DUTCH),
    ):
        kit.grants.grant_role("beheerder", people[key], role, at=at, subject=subject)
        shown = ", ".join(str(place) for place in at)
        if subject is not None:
            shown += f" ({subject.label(lang)})"
        say("demo.roles.granted", admin="Karin", name=name, role=role, at=shown)
    kit.users.set_access(
        "beheerder", people["teacher"], application="cito_lvs", institution=school.code
    )
    say("demo.roles.access", admin="Karin", name="Tom")
    dutch = Target(location=main, class_key="1HA", subject=Subject.DUTCH)
    maths = Target(location=main, class_key="1HA", subject=Subject.MATHS)
    questions: list[tuple[str, str, object]] = [
        ("planner", "facet.sessions.plan", main),
        ("planner", "facet.sessions.plan", nevenlocatie),
        ("planner", "facet.users.add", main),
        ("proctor", "facet.monitor.release", nevenlocatie),
        ("proctor", "facet.monitor.release", main),
        ("teacher", "cito_lvs.reports.view", dutch),
        ("teacher", "cito_lvs.reports.view", maths),
        ("teacher", "cito_lvs.class_overview.view", main),
    ]
    names = {"planner": "Piet", "proctor": "Anna", "teacher": "Tom"}
    for key, action, on in questions:
        allowed = may(kit.permissions.actor(people[key]), action, on)  # type: ignore[arg-type]
        label = MATRIX.action(action)
        say(
            "demo.roles.may",
            name=names[key],
            action=label.label(lang),
            at=str(on),
            answer=text("demo.roles.yes" if allowed else "demo.roles.no", lang),
        )
    try:
        kit.grants.grant_role(people["planner"], people["proctor"], "facet.planner", at=[main])
    except NotPermitted as error:
        say(
            "demo.roles.refused",
            name="Piet",
            other="Anna",
            role="facet.planner",
            message=error.message(lang),
        )
    return matrix_markdown()


def _edexml(out: Path, year: SchoolYear, lang: Lang, say: Callable[..., None]) -> list[Path]:
    """Inspect the demo school's EDEXML file and a broken copy; print what is found."""
    good = demo_edexml(year)
    broken = (
        good.replace(f">{year}<".encode(), f">{year.first_year}-{year.first_year + 2}<".encode())
        .replace(
            b"<jaargroep>5</jaargroep>\n      <groep", b"<jaargroep>9</jaargroep>\n      <groep", 1
        )
        .replace(
            b'<groep key="G4A"/>\n      <vestiging', b'<groep key="G4C"/>\n      <vestiging', 1
        )
    )
    written = []
    for name, data in (("edexml-voorbeeld.xml", good), ("edexml-kapot.xml", broken)):
        path = out / name
        path.write_bytes(data)
        written.append(path)
        verdict = inspect(path)
        say(
            "demo.edexml.file",
            path=str(path),
            verdict=text("demo.edexml.valid" if verdict.valid else "demo.edexml.invalid", lang),
            version=str(verdict.version),
            groups=verdict.counts.groups,
            pupils=verdict.counts.pupils,
            teachers=verdict.counts.teachers,
        )
        for problem in verdict.problems:
            say(
                "demo.edexml.problem",
                severity=text(f"demo.edexml.{problem.severity}", lang),
                line_number=problem.line,
                element=problem.element,
                message=problem.message(lang),
            )
    return written

"""``examkit demo``: walk through a school year's flow in plain words."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from examkit.backends.memory import MemoryBackend
from examkit.cli._common import EXIT_OK, add_lang_option, lang_of
from examkit.cli._demo_scoring import run_scoring_chapter
from examkit.cli._demo_signin import run_signin_chapter
from examkit.converter import unstructure
from examkit.identifiers import Brin, OnderwijslocatieCode, Postcode, SchoolYear
from examkit.messages import Lang, text
from examkit.org import Address, CompetentAuthority, Institution, Location
from examkit.passwords import PRESETS
from examkit.storage import Backend
from examkit.testing import make_kit


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``demo`` command."""
    demo = commands.add_parser(
        "demo",
        help="walk through a school year's flow and write the documents it produces",
    )
    add_lang_option(demo)
    demo.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="folder for the documents (default: a new temporary folder)",
    )
    demo.set_defaults(handler=demo_command)


def demo_command(args: argparse.Namespace) -> int:
    """Run ``examkit demo``."""
    lang = lang_of(args)
    out: Path = args.out if args.out is not None else Path(tempfile.mkdtemp(prefix="examkit-"))
    out.mkdir(parents=True, exist_ok=True)
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

    run_scoring_chapter(say)

    run_signin_chapter(kit, say, lang)

    written = out / "institution.json"
    written.write_text(
        json.dumps(unstructure(stored), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    say("demo.written", path=str(written))
    say("demo.done", folder=str(out))
    kit.close()
    return [written]


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

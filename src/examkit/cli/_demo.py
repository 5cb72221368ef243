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
from examkit.converter import unstructure
from examkit.edexml import inspect
from examkit.identifiers import Brin, OnderwijslocatieCode, Postcode, SchoolYear
from examkit.messages import Lang, text
from examkit.org import Address, CompetentAuthority, Institution, Location
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

    written = out / "institution.json"
    written.write_text(
        json.dumps(unstructure(stored), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    say("demo.written", path=str(written))
    files = [written, *_edexml(out, year, lang, say)]
    say("demo.done", folder=str(out))
    kit.close()
    return files


def demo_edexml(year: SchoolYear) -> bytes:
    """Return the demo school's EDEXML 2.1 export for *year*: sites, groups, pupils, teachers."""
    pupils = [
        ("L001", "Vries", "de", "Sem", "2018-03-14", "1", "4", "G4A", ("PLUS",)),
        ("L002", "Bakker", None, "Noor", "2018-11-02", "2", "4", "G4A", ()),
        ("L003", "Hof", "van 't", "Jesse", "2017-06-21", "1", "5", "G5B", ("PLUS",)),
        ("L004", "Yılmaz", None, "Elif", "2017-09-30", "2", "5", "G5B", ()),
    ]
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<EDEX xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
        "  <school>",
        f"    <schooljaar>{year}</schooljaar>",
        "    <brincode>22AB</brincode>",
        "    <dependancecode>00</dependancecode>",
        "    <schoolkey>heteiland</schoolkey>",
        "    <xsdversie>2.1</xsdversie>",
        "  </school>",
        "  <vestigingen>",
        '    <vestiging key="TZ"><naam>Het Eiland, Tzummarum</naam></vestiging>',
        "  </vestigingen>",
        "  <groepen>",
        '    <groep key="G4A"><naam>4A</naam><jaargroep>4</jaargroep></groep>',
        '    <groep key="G5B"><naam>5B</naam><jaargroep>5</jaargroep></groep>',
        '    <samengestelde_groep key="PLUS"><naam>Plusklas</naam></samengestelde_groep>',
        "  </groepen>",
        "  <leerlingen>",
    ]
    for key, last, prefix, called, born, gender, year_group, group, combined in pupils:
        lines.append(f'    <leerling key="{key}">')
        lines.append(f"      <achternaam>{last}</achternaam>")
        if prefix:
            lines.append(f"      <voorvoegsel>{prefix}</voorvoegsel>")
        lines += [
            f"      <roepnaam>{called}</roepnaam>",
            f"      <geboortedatum>{born}</geboortedatum>",
            f"      <geslacht>{gender}</geslacht>",
            f"      <jaargroep>{year_group}</jaargroep>",
            f'      <groep key="{group}"/>',
        ]
        if combined:
            lines.append("      <samengestelde_groepen>")
            lines += [f'        <samengestelde_groep key="{item}"/>' for item in combined]
            lines.append("      </samengestelde_groepen>")
        lines += ['      <vestiging key="TZ"/>', "    </leerling>"]
    lines += [
        "  </leerlingen>",
        "  <leerkrachten>",
        '    <leerkracht key="T01">',
        "      <achternaam>Jansen</achternaam><roepnaam>Anna</roepnaam>",
        "      <emailadres>a.jansen@heteiland.nl</emailadres>",
        '      <groepen><groep key="G4A"><rol>LRK</rol></groep></groepen>',
        "    </leerkracht>",
        '    <leerkracht key="T02">',
        "      <achternaam>Dijk</achternaam><voorvoegsel>van</voorvoegsel>",
        "      <roepnaam>Bram</roepnaam>",
        "      <emailadres>b.vandijk@heteiland.nl</emailadres>",
        "      <rol>IB</rol>",
        '      <groepen><groep key="G5B"/><samengestelde_groep key="PLUS"/></groepen>',
        "    </leerkracht>",
        "  </leerkrachten>",
        "</EDEX>",
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


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

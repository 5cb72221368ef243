"""DOC-1: the account application form (*formulier aanvraag schoolaccount*) of seed 000.

The school prints the form, has it signed by the administrator and the
competent authority, and sends it back by e-mail or post. Where to send it
depends on the system applied for: :data:`SEND_TO` holds it as data.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

import attrs
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Table, TableStyle

from examkit.applications import AccountApplication
from examkit.documents._pdf import (
    BODY,
    GRID,
    HEADING,
    LABEL,
    SHADE,
    SMALL,
    TITLE,
    WIDTH,
    build_pdf,
    data_digest,
    dutch_date,
    field_table,
    grid_table,
    para,
    space,
)
from examkit.errors import InvalidInput


@attrs.frozen
class SendTo:
    """Where a system's signed application goes, and its portal's name on the form.

    Implements DOC-1 (ACC-5).
    """

    portal: str
    """The portal's name as the form writes it (``portal Centrale Eindtoets``)."""
    address: tuple[str, ...]
    """The postal address, line by line, then ``of`` and the e-mail address."""
    information: tuple[str, ...]
    """The lines under *Meer informatie*."""


SEND_TO: Final[Mapping[str, SendTo]] = MappingProxyType(
    {
        "ce_portal": SendTo(
            portal="portal Centrale Eindtoets",
            address=(
                "Dienst Uitvoering Onderwijs",
                "Centrale eindtoets",
                "Postbus 30158",
                "9700 LK Groningen",
                "of info@centraleeindtoetspo.nl",
            ),
            information=(
                "info@centraleeindtoetspo.nl",
                "www.centraleeindtoetspo.nl",
                "Helpdesk Centrale Eindtoets (050) 599 77 99",
            ),
        ),
        "facet": SendTo(
            portal="Facet",
            address=("Dienst Uitvoering Onderwijs", "Helpdesk Facet", "of helpdeskfacet@duo.nl"),
            information=(
                "helpdeskfacet@duo.nl",
                "portal.facet.onl",
                "Helpdesk Facet (050) 599 99 25",
            ),
        ),
    }
)
"""Where each system's signed form goes (seed 000 for the end-test portal, seed 002 for Facet)."""

_LABEL_WIDTH: Final = 62 * mm
_NUMBER_WIDTH: Final = 32 * mm  # the secondary locations' first column: room for the names


def _inner(
    header: list[str],
    rows: list[list[str]],
    widths: list[float],
    row_height: float | None = None,
) -> Table:
    return grid_table(header, rows, widths, header_style=SMALL, row_height=row_height)


def _inner_width() -> float:
    return WIDTH - _LABEL_WIDTH - 12  # the outer cell's padding


def _compact(postcode: object) -> str:
    """Return a postcode as the form prints it: Dutch ones without the space (``8835BA``)."""
    return str(getattr(postcode, "compact", postcode))


def _place_and_date() -> Table:
    width = _inner_width()
    return _inner(
        ["Plaats", "Dag", "Maand", "Jaar"],
        [["", "", "", ""]],
        [width * 0.46, width * 0.14, width * 0.2, width * 0.2],
        row_height=9 * mm,
    )


def _signature(rows: list[tuple[str, str]]) -> Table:
    fields: list[tuple[str, object]] = [*rows]
    fields += [("Plaats en datum", _place_and_date()), ("Handtekening", "")]
    return field_table(fields, _LABEL_WIDTH, heights=[None] * (len(rows) + 1) + [28 * mm])


def _secondary_locations(application: AccountApplication) -> list[Flowable]:
    """Return the table of secondary locations, one numbered row each (none: nothing).

    It is a table of its own under the school's fields, not a table inside
    one of their cells, so that it splits over as many pages as its rows
    need, its header repeated on each; a row is a few lines high whatever
    its name (names have at most 200 characters and long words wrap).
    """
    locations = application.school.secondary_locations
    if not locations:
        return []
    rest = WIDTH - _NUMBER_WIDTH
    header = ("Instellingscode + administratienummer", "Onderwijslocatiecode", "Locatienaam")
    data: list[list[Flowable]] = [
        [para("Nevenlocaties", LABEL), *(para(text, SMALL) for text in header)]
    ]
    data += [
        [
            para(f"{number}."),
            para(str(location.code)),
            para(str(location.onderwijslocatiecode) if location.onderwijslocatiecode else "-"),
            para(location.name or "-"),
        ]
        for number, location in enumerate(locations, start=1)
    ]
    table = Table(
        data, colWidths=[_NUMBER_WIDTH, rest * 0.26, rest * 0.26, rest * 0.48], repeatRows=1
    )
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, GRID),
                ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                ("BACKGROUND", (0, 0), (0, -1), SHADE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return [table]


def account_application_pdf(
    application: AccountApplication, *, send_to: SendTo | None = None
) -> bytes:
    """Return the PDF form of a confirmed account application, to print, sign and send back.

    First page: where to send it and where to find more information, the
    school (institution code and administration number, education location
    code, name, address, the numbered table of secondary locations) and the
    administrator with a signature block (place, day, month, year,
    signature). The table of secondary locations flows over as many pages as
    it needs, its header repeated on each, whatever the number and length of
    the names. Then on a new page the competent authority's signature
    block. Every page says "Pagina x van y".

    Args:
        application: the confirmed application.
        send_to: where the form goes; by default :data:`SEND_TO` of the application's system.

    Raises:
        InvalidInput: no *send_to* and the system has none in :data:`SEND_TO`
            (``documents.application.system``).

    Implements DOC-1 (ACC-5).
    """
    target = send_to if send_to is not None else SEND_TO.get(application.system)
    if target is None:
        raise InvalidInput(
            "documents.application.system", field="system", system=application.system
        )
    school = application.school
    admin = application.administrator
    authority = application.competent_authority
    title = f"Aanvraag schoolaccount {target.portal}"
    address = school.address
    header = Table(
        [
            [
                [para("Verzendadres", LABEL), *(para(line) for line in target.address)],
                [para("Meer informatie", LABEL), *(para(line) for line in target.information)],
            ]
        ],
        colWidths=[WIDTH / 2, WIDTH / 2],
    )
    header.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (0, 0), 0)])
    )
    story: list[Flowable] = [
        para(title, TITLE),
        header,
        para("Gegevens school", HEADING),
        field_table(
            [
                ("Instellingscode + administratienummer", str(school.code)),
                (
                    "Onderwijslocatiecode",
                    str(school.onderwijslocatiecode) if school.onderwijslocatiecode else "-",
                ),
                ("Naam school (hoofd- of inspectielocatie)", school.name),
                (
                    "Adres",
                    f"{address.street} {address.house_number}\n"
                    f"{_compact(address.postcode)} {address.town}",
                ),
                *([] if school.secondary_locations else [("Nevenlocaties", "Geen")]),
            ],
            _LABEL_WIDTH,
        ),
        *_secondary_locations(application),
        para(f"Gegevens beheerder {target.portal}", HEADING),
        para(
            f"De beheerder {target.portal} wordt voor de opgegeven locatie(s) verantwoordelijk "
            f"voor de autorisatie en bevoegdheden van andere gebruikers van de {target.portal}.",
            BODY,
        ),
        space(2),
        KeepTogether(
            _signature(
                [
                    ("Naam", admin.full_name),
                    ("Telefoonnummer", admin.phone),
                    ("E-mailadres", admin.email),
                    ("Gewenste inlognaam", str(admin.login_name)),
                ]
            )
        ),
        PageBreak(),
        para("Ondertekening bevoegd gezag", HEADING),
        para("Het formulier moet ondertekend worden door het bevoegd gezag van de school.", BODY),
        space(2),
        KeepTogether(
            _signature(
                [
                    ("Naam directeur of schoolleider", authority.full_name),
                    ("Functie", authority.function),
                    ("E-mailadres directeur of schoolleider", authority.email),
                ]
            )
        ),
        space(6),
        para(
            "Laat het formulier ondertekenen door het bevoegd gezag en de beheerder. Scan het "
            f"formulier in en mail het naar {target.information[0]}, of stuur het per post naar "
            "het verzendadres.",
            SMALL,
        ),
    ]
    return build_pdf(
        story,
        title=title,
        subject=f"Aanvraag schoolaccount {school.name} ({school.code})",
        document_id=data_digest("account-application", [application, target]),
        footer=f"Aanvraag {application.id}, ingediend op {dutch_date(application.submitted_on())}",
    )

"""DOC-2: the access-code slips (*inlogbriefjes*) and the proctor's list of the group."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Table, TableStyle

from examkit.documents._pdf import (
    GRID,
    HEADING,
    LABEL,
    SMALL,
    TITLE,
    WIDTH,
    build_pdf,
    data_digest,
    dutch_datetime,
    field_table,
    grid_table,
    para,
    space,
)
from examkit.errors import InvalidInput
from examkit.scheduling import AccessSlip

SLIPS_TITLE = "Inlogbriefjes"
"""The document's title."""


def access_slips_pdf(slips: Sequence[AccessSlip], *, test: str) -> bytes:
    """Return the PDF of a group's proctor's list followed by one slip per candidate.

    The first page is the proctor's list (*overzicht voor de afnameleider*):
    the group, test, room, time and access code, and every candidate with
    name and login name. Then each candidate's slip to cut out: name, login
    name, the group's access code, test, room and time.

    Args:
        slips: the group's slips, from :meth:`examkit.scheduling.GroupLifecycle.access_slips`.
        test: the test's title or code (the slips name the group, not the test).

    Raises:
        InvalidInput: there are no slips (``documents.slips.empty``).

    Implements DOC-2 (SCH-6).
    """
    if not slips:
        raise InvalidInput("documents.slips.empty", field="slips")
    first = slips[0]
    when = dutch_datetime(first.starts_at)
    story: list[Flowable] = [
        para("Overzicht voor de afnameleider", TITLE),
        field_table(
            [
                ("Toets", test),
                ("Afnamegroep", first.group),
                ("Lokaal", first.room),
                ("Datum en tijd", when),
                ("Toegangscode", first.access_code),
                ("Aantal kandidaten", str(len(slips))),
            ]
        ),
        para("Kandidaten", HEADING),
        grid_table(
            ["Nr.", "Naam", "Inlognaam", "Toegangscode"],
            [
                [str(number), slip.name, slip.login_name, slip.access_code]
                for number, slip in enumerate(slips, start=1)
            ],
            [12 * mm, 70 * mm, 55 * mm, WIDTH - 137 * mm],
        ),
        space(4),
        para(
            "Geef elke kandidaat het eigen inlogbriefje. De kandidaat logt in met de "
            "inlognaam en de toegangscode van de groep. De toegangscode werkt zolang de "
            "groep is vrijgegeven.",
            SMALL,
        ),
        PageBreak(),
        para(SLIPS_TITLE, TITLE),
    ]
    for slip in slips:
        story.append(KeepTogether([_slip(slip, test), space(5)]))
    return build_pdf(
        story,
        title=f"{SLIPS_TITLE} {test} - {first.group}",
        subject="Inlogbriefjes en overzicht voor de afnameleider",
        document_id=data_digest("access-slips", [test, list(slips)]),
        footer=f"{test} - {first.group} - {when}",
    )


def _slip(slip: AccessSlip, test: str) -> Table:
    rows = [
        ("Naam", slip.name),
        ("Inlognaam", slip.login_name),
        ("Toegangscode", slip.access_code),
        ("Toets", test),
        ("Lokaal", slip.room),
        ("Datum en tijd", dutch_datetime(slip.starts_at)),
    ]
    inner = Table(
        [[para(label, LABEL), para(value)] for label, value in rows],
        colWidths=[40 * mm, WIDTH - 48 * mm],
    )
    inner.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    outer = Table([[inner]], colWidths=[WIDTH])
    outer.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.8, GRID, None, (3, 2)),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return outer

"""DOC-4: the Flemish participation list (*deelnamelijst*) with exemptions and accommodations."""

from __future__ import annotations

from itertools import groupby

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from examkit.documents._pdf import (
    HEADING,
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
from examkit.flemish import FlemishRegistration, participation_list

PARTICIPATION_TITLE = "Deelnamelijst Vlaamse toetsen"
"""The document's title."""

NO_GROUP = "Zonder leerlingengroep (vrijgesteld van alle toetsen)"
"""The heading of the pupils without a group (they take no test)."""


def participation_list_pdf(registration: FlemishRegistration) -> bytes:
    """Return the PDF of a school's participation list for the test assistants.

    One table per pupil group: each pupil's name and key, whether they take
    the Dutch and the maths test or are exempt (*vrijgesteld*) and why,
    whether they fill in the questionnaire, and their own accommodations
    (*eigen hulpmiddelen*). The lines are those of
    :func:`examkit.flemish.participation_list`; who may print the list is
    decided by :meth:`examkit.flemish.FlemishDesk.participation_list`.

    Implements DOC-4 (SCH-9).
    """
    reasons = {pupil.pupil: pupil.exemption_reason for pupil in registration.pupils}
    lines = participation_list(registration)
    moments = ", ".join(
        f"{moment.subject} {dutch_date(moment.on)} ({moment.code})"
        for moment in registration.moments
    )
    validated = (
        dutch_date(registration.validated_at.date())
        if registration.validated_at is not None
        else "nog niet gevalideerd"
    )
    story: list[Flowable] = [
        para(PARTICIPATION_TITLE, TITLE),
        field_table(
            [
                ("Instellingsnummer", str(registration.school)),
                ("Schooljaar", str(registration.school_year)),
                ("Toetsmomenten", moments or "-"),
                ("Gevalideerd", validated),
                ("Aantal leerlingen", str(len(lines))),
            ]
        ),
    ]
    for group, members in groupby(lines, key=lambda line: line.group):
        pupils = list(members)
        story.append(para(f"Leerlingengroep {group}" if group else NO_GROUP, HEADING))
        story.append(
            grid_table(
                [
                    "Naam",
                    "Leerling",
                    "Nederlands",
                    "Wiskunde",
                    "Vragenlijst",
                    "Reden vrijstelling",
                    "Eigen hulpmiddelen",
                ],
                [
                    [
                        line.name,
                        line.pupil,
                        "neemt deel" if line.takes_dutch else "vrijgesteld",
                        "neemt deel" if line.takes_maths else "vrijgesteld",
                        "ja" if line.questionnaire else "nee",
                        reasons.get(line.pupil) or "-",
                        ", ".join(line.accommodations) or "-",
                    ]
                    for line in pupils
                ],
                [30 * mm, 19 * mm, 22 * mm, 21 * mm, 21 * mm, 28 * mm, WIDTH - 141 * mm],
                style=SMALL,
            )
        )
    story += [
        space(4),
        para(
            "Vrijgesteld: de leerling neemt niet deel aan die toets. Vragenlijst nee: de "
            "ouders hebben gemeld dat de leerling de vragenlijst niet invult.",
            SMALL,
        ),
    ]
    return build_pdf(
        story,
        title=f"{PARTICIPATION_TITLE} {registration.school} {registration.school_year}",
        subject="Deelnamelijst met vrijstellingen en eigen hulpmiddelen",
        document_id=data_digest("participation-list", registration),
        footer=f"Deelnamelijst {registration.school} - schooljaar {registration.school_year}",
    )

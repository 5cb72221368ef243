"""The retention terms: how long each kind of personal data is kept, and why (PRIV-1, PRIV-4).

Every :class:`~examkit.storage.Personal` field names one of these terms;
the processing register shows its period and the retention jobs remove
what has passed it. A term has a default period and the source of that
period: a law or regulation where there is one, otherwise an honest
``examkit default: ...``. A portal sets its own period for a term in
:attr:`PrivacySettings.retention <examkit.privacy.PrivacySettings.retention>`.

>>> retention_period(PrivacySettings(), "exam_work")
RetentionPeriod(years=0, months=6, days=0)
>>> own = PrivacySettings(retention={"exam_work": RetentionPeriod(years=1)})
>>> retention_period(own, "exam_work")
RetentionPeriod(years=1, months=0, days=0)
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

import attrs

from examkit.errors import ConfigurationError
from examkit.privacy._settings import PrivacySettings, RetentionPeriod


@attrs.frozen
class RetentionTerm:
    """One retention term: its name, default period, what starts it and its source."""

    name: str
    """The name records refer to (``exam_work``)."""
    period: RetentionPeriod
    """The default period, counted from :attr:`starts`."""
    starts: str
    """What starts the period (English)."""
    starts_nl: str
    """What starts the period (Dutch)."""
    source: str
    """Where the period comes from: a law's article, or ``examkit default: <why>``."""
    quote: str | None = None
    """The source's own words, in its own language, where they were checked against the
    official text; ``None`` where the source is examkit's own default or its wording was not
    checked (then :attr:`source` says what it says)."""
    removal: str | None = None
    """How what the term covers is removed where no job of
    :data:`~examkit.privacy.RETENTION_JOBS` applies the term (English): who removes it, and
    with what; ``None`` where a retention job does (:func:`~examkit.privacy.removal_of` says
    which)."""


RETENTION_TERMS: Final[tuple[RetentionTerm, ...]] = (
    RetentionTerm(
        "account",
        RetentionPeriod(years=1),
        "the account is deactivated or removed",
        "het account is gedeactiveerd of verwijderd",
        "examkit default: a year, so that a staff member who returns the next school year keeps "
        "the account and the trail of a past exam period still names its accounts",
        removal="by hand: an account stores no moment it was deactivated, so no job counts the "
        "term; the school's administrator removes the user (kit.users.remove_user, which "
        "removes the account with its authorisations once it belongs to no institution), or "
        "the operator erases the person (kit.privacy_erasure.erase, examkit privacy erase)",
    ),
    RetentionTerm(
        "sign_in",
        RetentionPeriod(days=30),
        "the sign-in, session, trusted browser or token ends or expires",
        "de aanmelding, sessie, vertrouwde browser of het token eindigt of verloopt",
        "examkit default: thirty days, long enough to look into a suspicious sign-in "
        "reported by the account holder",
    ),
    RetentionTerm(
        "pupil",
        RetentionPeriod(years=1),
        "the pupil is archived: no longer in the location's latest EDEXML import (has left)",
        "de leerling is gearchiveerd: niet meer in de laatste EDEXML-import van de vestiging "
        "(vertrokken)",
        "examkit default (the imports' archive retention, examkit.imports."
        "DEFAULT_ARCHIVE_RETENTION), within the at most two years after a pupil has left that "
        "the Besluit vrijstelling Wbp allowed for a school's pupil administration (paraphrased, "
        "not quoted); that decree lapsed with the Wbp on 25 May 2018 and is still the education "
        "sector's usual guideline for the GDPR's storage limitation (art. 5(1)(e))",
    ),
    RetentionTerm(
        "pending_import",
        RetentionPeriod(days=1),
        "the import's preview expires (an hour after upload by default) or is cancelled",
        "de voorvertoning van de import verloopt (standaard een uur na het uploaden) of wordt "
        "geannuleerd",
        "examkit default: a day after the preview lapses; EDX-6 keeps an unconfirmed import "
        "for at most an hour, the day covers a retention job that runs daily",
    ),
    RetentionTerm(
        "exam_work",
        RetentionPeriod(months=6),
        "the result is set (the session group's correction is closed)",
        "de uitslag is vastgesteld (de correctie van de afnamegroep is gesloten)",
        "Examenbesluit VO (until 2021 the Eindexamenbesluit VO, BWBR0004593), art. 57, "
        "paragraphs 1 and 2 (Bewaren examenwerk): the school keeps each candidate's central exam "
        "work for at least six months after the result is set, with its grade list and the "
        "questions used, for the candidate and their parents to inspect at school. Confirmed by "
        "the government's answer 'Hoe lang moet een school gemaakte examens bewaren?' "
        "(rijksoverheid.nl) and by the parents' and pupils' advice line OCO ('Hoe lang moet een "
        "school examenmateriaal bewaren?', onderwijsconsument.nl, 2022, which names art. 57 "
        "paragraphs 1 and 2). Paraphrased: the decree's own wording was not reachable when this "
        "table was written",
    ),
    RetentionTerm(
        "results",
        RetentionPeriod(years=1),
        "the result is set (the session group's correction is closed)",
        "de uitslag is vastgesteld (de correctie van de afnamegroep is gesloten)",
        "examkit default: a year, longer than the exam work (Examenbesluit VO, art. 57) so "
        "that results can be reviewed and compared over a school year; the school keeps the "
        "legal record of results (grade lists, diploma register) in its own administration, "
        "not in examkit",
    ),
    RetentionTerm(
        "audit",
        RetentionPeriod(years=2),
        "the audit event is written",
        "de auditgebeurtenis is vastgelegd",
        "examkit default: two years, so that an incident found in the next exam period can "
        "still be traced; an erasure pseudonymises the person in the trail before then (PRIV-3)",
    ),
    RetentionTerm(
        "mail",
        RetentionPeriod(days=30),
        "the e-mail is handed to the mail server (or given up)",
        "de e-mail is aan de mailserver overgedragen (of opgegeven)",
        "examkit default: thirty days, to answer whether a message was sent",
    ),
    RetentionTerm(
        "offline_sync",
        RetentionPeriod(days=30),
        "the entry is synchronised and applied (or the conflict is resolved)",
        "het item is gesynchroniseerd en verwerkt (of het conflict is opgelost)",
        "examkit default: thirty days, to redo a synchronisation after a failed offline "
        "server; the answers themselves follow exam_work",
    ),
    RetentionTerm(
        "application",
        RetentionPeriod(years=1),
        "the account application is decided (approved or rejected)",
        "de accountaanvraag is afgehandeld (goedgekeurd of afgewezen)",
        "examkit default: a year, to answer questions about a decision; an approved "
        "application's data lives on in the institution and its accounts",
    ),
    RetentionTerm(
        "federation",
        RetentionPeriod(days=30),
        "the federated link is removed, or the federated sign-in request is answered or expires",
        "de koppeling met de federatie is verwijderd, of het aanmeldverzoek via de federatie "
        "is beantwoord of verlopen",
        "examkit default: thirty days, as for sign-ins (the replay store needs only the "
        "assertion's validity)",
    ),
    RetentionTerm(
        "flemish",
        RetentionPeriod(years=1),
        "the school year of the Flemish tests ends",
        "het schooljaar van de Vlaamse toetsen eindigt",
        "examkit default: a year after the school year, for the next registration round's "
        "questions",
    ),
    RetentionTerm(
        "idempotency",
        RetentionPeriod(days=7),
        "the storage server commits the client's unit of work",
        "de opslagserver legt de werkeenheid van de client vast",
        "examkit default: a week, far longer than any client retries a commit whose answer "
        "was lost (the storage server's idempotency records, backends.http)",
        removal="the storage server: its records live in the server's own database, not behind "
        "the kit's backend; the server removes the commits older than the term when it starts "
        "and then every minute (StorageServer.purge_keys, examkit storage serve)",
    ),
    RetentionTerm(
        "organisation",
        RetentionPeriod(years=1),
        "the institution or location is closed or its contact person replaced",
        "de instelling of vestiging is gesloten of de contactpersoon vervangen",
        "examkit default: a year, as for accounts",
        removal="by hand: an institution stores no moment it was closed or its contact person "
        "replaced, so no job counts the term; the operator replaces the competent authority's "
        "representative (kit.institutions.set_competent_authority, which drops the old one's "
        "details at once), removes a closed location (kit.institutions.remove_location) and a "
        "closed institution in a unit of work (uow.institutions.remove; the kit has no use case "
        "for it)",
    ),
)
"""Every retention term, in the order the processing register shows them."""

_BY_NAME: Final[Mapping[str, RetentionTerm]] = MappingProxyType(
    {term.name: term for term in RETENTION_TERMS}
)


def retention_term(name: str) -> RetentionTerm:
    """Return the retention term called *name*.

    >>> retention_term("pupil").period
    RetentionPeriod(years=1, months=0, days=0)

    Raises:
        KeyError: there is no such term (a programming error).
    """
    try:
        return _BY_NAME[name]
    except KeyError:
        raise KeyError(f"no retention term {name!r}") from None


def retention_period(settings: PrivacySettings, name: str) -> RetentionPeriod:
    """Return the period of the retention term *name*: the portal's own, or the default.

    Raises:
        KeyError: there is no term *name* (a programming error).
        ConfigurationError: ``privacy.register.unknown_term``: *settings* set a period for a
            term that does not exist (field: ``privacy.retention``).
    """
    unknown = sorted(set(settings.retention) - _BY_NAME.keys())
    if unknown:
        raise ConfigurationError(
            "privacy.register.unknown_term",
            field="privacy.retention",
            names=", ".join(unknown),
            known=", ".join(_BY_NAME),
        )
    default = retention_term(name).period
    return settings.retention.get(name, default)


_UNITS: Final = {
    "en": (("year", "years"), ("month", "months"), ("day", "days")),
    "nl": (("jaar", "jaar"), ("maand", "maanden"), ("dag", "dagen")),
}


def period_text(period: RetentionPeriod, lang: str = "en") -> str:
    """Return *period* in words, in English or Dutch (``lang`` ``en`` or ``nl``).

    >>> period_text(RetentionPeriod(years=1, months=6)), period_text(RetentionPeriod(days=30), "nl")
    ('1 year 6 months', '30 dagen')
    >>> period_text(RetentionPeriod())
    '0 days'
    """
    units = _UNITS["nl" if lang == "nl" else "en"]
    amounts = (period.years, period.months, period.days)
    parts = [
        f"{amount} {unit[0] if amount == 1 else unit[1]}"
        for amount, unit in zip(amounts, units, strict=True)
        if amount
    ]
    return " ".join(parts) if parts else f"0 {units[2][1]}"

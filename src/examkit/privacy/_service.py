"""``kit.privacy_export``: a person's data exported and corrected, and who read it (PRIV-2)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Final, NoReturn

import attrs

from examkit.errors import InvalidInput, NotFound, NotPermitted
from examkit.privacy._access import PRIVACY_ACTIONS, place_of, places_of, require_see
from examkit.privacy._export import PersonExport, export_document
from examkit.privacy._locate import find_person
from examkit.privacy._person import PersonRef
from examkit.privacy._reads import Read, note_read
from examkit.privacy._rectify import CORRECTABLE
from examkit.storage import DEFAULT_PAGE_SIZE, Page, StoredUnit, check_page_size
from examkit.usecase import Ports, UseCase

if TYPE_CHECKING:
    from examkit.auth import Profile
    from examkit.records import UnitOfWork
    from examkit.roles import Users
    from examkit.scheduling import CandidateRegistry

EXPORTED: Final = "privacy.exported"
"""The audit action of an export."""
CORRECTED: Final = "privacy.corrected"
"""The audit action of a refused correction (an accepted one is the owning use case's)."""
READS: Final = "privacy.reads"
"""The audit action of a refused look at the read log."""


@attrs.frozen
class Correction:
    """A personal field corrected, and by which use case (its audit event says who and when)."""

    person: PersonRef
    """Whose field."""
    field: str
    """The field corrected."""
    value: str
    """Its value now."""
    by: str
    """The audit action of the use case that made the change (``roles.user.edited``, ...)."""


def _unit(uow: UnitOfWork) -> StoredUnit:
    if not isinstance(uow, StoredUnit):  # every backend's unit of work is a RecordsUnit
        raise TypeError(f"a unit of work built on examkit.storage is needed, not {uow!r}")
    return uow


class PrivacyExport:
    """A person's data exported and corrected, and who read it (``kit.privacy_export``).

    Who may: a school's administrator (one of
    :data:`~examkit.privacy.PRIVACY_ACTIONS` at every place the person
    belongs) for the pupils, candidates and staff of its locations; the
    account holder for their own account; the operator everywhere. Every
    call is audited, a refusal too; a refusal changes nothing.

    Args:
        ports: The wired ports.
        users: The user administration, which owns an account's details.
        profile: The account holder's own profile.
        candidates: The candidates' registry, which owns a candidate's names.

    Implements PRIV-2.
    """

    def __init__(
        self, ports: Ports, *, users: Users, profile: Profile, candidates: CandidateRegistry
    ) -> None:
        self._ports = ports
        self._users = users
        self._profile = profile
        self._candidates = candidates

    def export(self, actor: str, person: PersonRef) -> PersonExport:
        """Return everything stored about *person*, from every record that refers to them.

        The records are found through :data:`~examkit.privacy.PERSON_LINKS`
        (a pupil's include those of the candidates made from the pupil);
        secrets are listed as present, never given. The export is audited
        (``privacy.exported``) and noted as a read (``privacy.read``) in the
        same unit of work.

        Raises:
            NotPermitted: *actor* may not see *person*'s data.

        Implements PRIV-2.
        """
        with UseCase(self._ports, EXPORTED, person.label, actor=actor) as unit:
            places = places_of(unit.uow, person)
            require_see(unit.actor, person, places)
            found = find_person(_unit(unit.uow), person)
            exported = PersonExport(person, unit.now, export_document(person, unit.now, found))
            note_read(unit, [person], "export", _location(person, places))
            unit.audit(details={"records": str(sum(len(items) for items in found.values()))})
            unit.commit()
        return exported

    def correct(
        self,
        actor: str,
        person: PersonRef,
        field: str,
        value: str,
        *,
        application: str | None = None,
        ip: str | None = None,
    ) -> Correction:
        """Correct *person*'s *field* to *value* through the use case that owns it.

        The fields are :data:`~examkit.privacy.CORRECTABLE`'s: an account's
        names, e-mail address and phone through the user administration
        (*application*: where *actor* administers the user) or, for one's
        own account, through the profile (*ip*: the connection's address;
        one's own e-mail address only on the profile page, which asks for
        the password); a candidate's names through the candidates'
        registry. That use case checks who may and audits the change.

        Raises:
            InvalidInput: ``privacy.export.not_correctable`` (with the fields
                that are), ``privacy.export.correct_at_source`` (a pupil, or a
                candidate made from one: correct in the school's administration
                and import again), ``privacy.export.own_email``,
                ``privacy.export.application_needed``,
                ``privacy.export.address_needed``, or the owning use case's.
            NotPermitted: *actor* may not change it.
            NotFound: there is no such candidate.

        Implements PRIV-2.
        """
        details = {"field": str(field)[:64]}
        if not isinstance(value, str):
            self._refuse(
                actor, person, InvalidInput("privacy.export.value_type", field="value", name=field)
            )
        fields = CORRECTABLE[person.kind]
        if person.kind == "pupil":
            self._refuse(actor, person, _at_source(person), details)
        if field not in fields:
            refusal = InvalidInput(
                "privacy.export.not_correctable",
                field="field",
                name=field,
                kind=person.kind,
                fields=", ".join(sorted(fields)),
            )
            self._refuse(actor, person, refusal, details)
        if person.kind == "candidate":
            return self._correct_candidate(actor, person, field, value, details)
        return self._correct_account(
            actor, person, field, value, application=application, ip=ip, details=details
        )

    def reads(
        self,
        actor: str,
        location: str,
        *,
        person: PersonRef | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        after: str | None = None,
        limit: int = DEFAULT_PAGE_SIZE,
    ) -> Page[Read]:
        """Return who read the data of *location*'s pupils and candidates, oldest first.

        Pages through the audit trail (from *since*, before *until*): a page
        holds the reads among the next *limit* events of the trail, so it may
        hold fewer than *limit* (even none) while :attr:`~examkit.storage.Page.next_after`
        says there is more. With *person*, only the reads of that person
        (every list they were read in included: a list records a read of
        each person on it), found through the trail's index by subject
        rather than by reading the whole trail.

        Raises:
            NotPermitted: *actor* may not see the reads at *location*.
            InvalidInput: *location* is no location or Flemish school, or *limit* is unusable.

        Implements PRIV-2.
        """
        check_page_size(limit)
        place = place_of(location)
        if place is None:
            raise InvalidInput("org.location.invalid", field="location", value=location)
        subject = f"location:{place}"
        with UseCase(self._ports, READS, subject, actor=actor, readonly=True) as unit:
            me = unit.actor
            if not any(me.may(action, place) for action in PRIVACY_ACTIONS):
                raise NotPermitted("permission.denied")
            page = unit.uow.audit.list(
                subject=None if person is None else person.label,
                since=since,
                until=until,
                after=after,
                limit=limit,
            )
        items = tuple(Read.of(event) for event in page.items if Read.is_read_at(event, str(place)))
        return Page(items=items, next_after=page.next_after)

    # -- the corrections' routes ---------------------------------------------------------

    def _correct_candidate(
        self, actor: str, person: PersonRef, field: str, value: str, details: dict[str, str]
    ) -> Correction:
        with self._ports.backend.begin(readonly=True) as uow:
            try:
                candidate = uow.candidates.get(person.id)
            except NotFound:
                candidate = None
        if candidate is not None and candidate.pupil_key:
            self._refuse(actor, person, _at_source(person), details)
        stored = self._candidates.correct_name(actor, person.id, **{field: value})
        return Correction(person, field, getattr(stored, field), "sessions.candidate.corrected")

    def _correct_account(
        self,
        actor: str,
        person: PersonRef,
        field: str,
        value: str,
        *,
        application: str | None,
        ip: str | None,
        details: dict[str, str],
    ) -> Correction:
        if person.id != actor:
            if not application:
                self._refuse(actor, person, InvalidInput("privacy.export.application_needed"))
            stored = self._users.edit_user(
                actor, person.id, application=str(application), **{field: value}
            )
            return Correction(person, field, str(getattr(stored, field)), "roles.user.edited")
        if field == "email":
            self._refuse(actor, person, InvalidInput("privacy.export.own_email", field=field))
        if ip is None:
            self._refuse(actor, person, InvalidInput("privacy.export.address_needed", field="ip"))
        with self._ports.backend.begin(readonly=True) as uow:
            account = uow.accounts.get(person.id)
        names = {"first_name": account.first_name, "last_name": account.last_name}
        names |= {field: value} if field in names else {}
        updated = self._profile.update_profile(
            actor,
            first_name=names["first_name"],
            last_name=names["last_name"],
            email=account.email,
            phone=value if field == "phone" else account.phone,
            ip=str(ip),
        )
        return Correction(
            person, field, str(getattr(updated.account, field)), "auth.profile.updated"
        )

    def _refuse(
        self,
        actor: str,
        person: PersonRef,
        error: InvalidInput,
        details: dict[str, str] | None = None,
    ) -> NoReturn:
        """Raise *error*, audited as a refused correction (nothing changes)."""
        with UseCase(self._ports, CORRECTED, person.label, actor=actor, details=details):
            raise error
        raise AssertionError("unreachable: the unit re-raises")  # pragma: no cover


def _at_source(person: PersonRef) -> InvalidInput:
    return InvalidInput("privacy.export.correct_at_source", field="person", person=person.label)


def _location(person: PersonRef, places: frozenset[object]) -> str:
    """The place a read is shown at: a pupil's or candidate's location; none for staff."""
    if person.kind == "account" or len(places) != 1:
        return ""
    return str(next(iter(places)))

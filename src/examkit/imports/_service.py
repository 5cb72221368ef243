"""Use cases of the EDEXML import: preview, confirm, cancel, the jobs, and the listings."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Final, NoReturn
from zoneinfo import ZoneInfo

import attrs

from examkit.audit import AuditEvent, AuditLog, record_refusal
from examkit.edexml import DEFAULT_LIMITS, Counts, Limits, Pupil, Roster, School, parse
from examkit.errors import (
    ConcurrentModification,
    ConfigurationError,
    ExamkitError,
    InvalidInput,
    NotFound,
    NotPermitted,
)
from examkit.identifiers import LocationCode, SchoolYear
from examkit.imports._diff import ImportDiff, compare
from examkit.imports._model import ClassList, EnrolledPupil, PendingImport, roster_key
from examkit.ports import Clock, SecretSource
from examkit.roles import Actor
from examkit.storage import MAX_PAGE_SIZE, Page

if TYPE_CHECKING:
    from examkit.records import Backend, UnitOfWork

IMPORT_ACTION = "cito_lvs.edexml.import"
"""The permission-matrix action an administrator needs at the location (*Importeren EDEXML*)."""

DEFAULT_PREVIEW_LIFETIME = timedelta(hours=1)
"""How long a preview waits for confirmation by default (EDX-6: within an hour)."""

DEFAULT_ARCHIVE_RETENTION = timedelta(days=365)
"""How long an archived pupil is kept by default before :meth:`ImportService.purge_archived`."""

DEFAULT_YEARS_AHEAD = 1
"""How many school years past the current one a file may be for by default (next year's)."""

SCHOOL_YEAR_ZONE: Final = ZoneInfo("Europe/Amsterdam")
"""Where the school year boundary (1 August, 0:00) is reckoned: the Dutch school year."""


def calendar_year(now: datetime) -> SchoolYear:
    """Return the school year the moment *now* falls in: the current school year.

    A school year runs from 1 August (0:00 in the Netherlands,
    :data:`SCHOOL_YEAR_ZONE`) to 31 July, as
    :meth:`~examkit.identifiers.SchoolYear.at` reckons it. The current year
    follows the calendar, never an import.

    >>> from datetime import UTC
    >>> str(calendar_year(datetime(2027, 7, 31, 21, 59, tzinfo=UTC)))
    '2026-2027'
    >>> str(calendar_year(datetime(2027, 7, 31, 22, 0, tzinfo=UTC)))
    '2027-2028'

    Implements EDX-3 and EDX-4.
    """
    return SchoolYear.at(now)


@attrs.frozen
class ImportPreview:
    """What the administrator checks and confirms (*Controleer en bevestig*).

    Implements EDX-2.
    """

    id: str
    """The pending import's id, to confirm or cancel it in a later request."""
    school: School
    """The school identification as the file gives it (BRIN, schoolkey, year)."""
    location: LocationCode
    """The location the import is for."""
    school_year: SchoolYear
    """The school year of the file."""
    counts: Counts
    """How many groups, combination groups, pupils and teachers the file holds."""
    diff: ImportDiff
    """The full difference against what is stored for the location and year."""
    expires_at: datetime
    """When the preview lapses."""


@attrs.frozen
class ImportResult:
    """What a confirmed import changed.

    Implements EDX-4.
    """

    location: LocationCode
    """The location."""
    school_year: SchoolYear
    """The school year."""
    diff: ImportDiff
    """What changed (the difference the preview showed)."""


def fingerprint(classes: ClassList | None, pupils: list[EnrolledPupil]) -> str:
    """Return the fingerprint of what is stored for a location and year (keys and versions)."""
    digest = hashlib.sha256()
    digest.update(f"classes:{0 if classes is None else classes.version}\n".encode())
    for pupil in sorted(pupils, key=lambda item: item.id):
        digest.update(f"{pupil.id}:{pupil.version}\n".encode())
    return digest.hexdigest()


def difference(
    classes: ClassList | None,
    stored: list[EnrolledPupil],
    incoming: ClassList,
    pupils: tuple[Pupil, ...],
) -> ImportDiff:
    """Return what importing *incoming* and *pupils* changes over the stored values (pure).

    Archived pupils count as absent: one that returns is added again.
    """
    current = [item.pupil for item in stored if item.is_current]
    old = classes if classes is not None else ClassList(incoming.location, incoming.school_year)
    return ImportDiff(
        pupils=compare(current, pupils, lambda item: item.key),
        groups=compare(old.groups, incoming.groups, lambda item: item.key),
        combination_groups=compare(
            old.combination_groups, incoming.combination_groups, lambda item: item.key
        ),
        teachers=compare(old.teachers, incoming.teachers, lambda item: item.key),
    )


class ImportService:
    """Import EDEXML files per location: preview, confirm or cancel, and list what is stored.

    Reached through :attr:`examkit.Examkit.imports`. A preview stores
    nothing of the school's data: only a :class:`PendingImport` with the
    parsed values, for the same actor, until it is confirmed, cancelled or
    expires. :meth:`purge_expired` and :meth:`purge_archived` are the jobs a
    portal runs regularly.

    Args:
        backend: Where the data is kept.
        clock: The time source.
        secrets: Draws the pending imports' ids.
        audit: The audit log (who, when, file hash and counts; never pupils' data).
        preview_lifetime: How long a preview waits for confirmation.
        archive_retention: How long archived pupils are kept.
        years_ahead: How many school years past the current one a file may
            be for (1 by default: next year's, for planning ahead; 0 allows
            only the current year and earlier ones).

    Implements EDX-2 to EDX-6.
    """

    def __init__(
        self,
        *,
        backend: Backend,
        clock: Clock,
        secrets: SecretSource,
        audit: AuditLog,
        preview_lifetime: timedelta = DEFAULT_PREVIEW_LIFETIME,
        archive_retention: timedelta = DEFAULT_ARCHIVE_RETENTION,
        years_ahead: int = DEFAULT_YEARS_AHEAD,
    ) -> None:
        for name, value in (
            ("preview_lifetime", preview_lifetime),
            ("archive_retention", archive_retention),
        ):
            if value <= timedelta(0):
                raise ConfigurationError("imports.setting.invalid", field=name, setting=name)
        if isinstance(years_ahead, bool) or not isinstance(years_ahead, int) or years_ahead < 0:
            raise ConfigurationError(
                "imports.setting.not_a_count", field="years_ahead", setting="years_ahead"
            )
        self._years_ahead = years_ahead
        self._backend = backend
        self._clock = clock
        self._secrets = secrets
        self._audit = audit
        self._lifetime = preview_lifetime
        self._retention = archive_retention

    # -- preview, confirm, cancel ----------------------------------------
    def preview(
        self,
        data: bytes,
        actor: Actor,
        *,
        location: LocationCode | None = None,
        limits: Limits = DEFAULT_LIMITS,
    ) -> ImportPreview:
        """Check an EDEXML file and hold its values for confirmation; store none of them.

        The location is the file's BRIN and dependancecode (``00`` without
        one); for a file that only has a schoolkey, the *location* the
        administrator picks. The actor must administer it; an actor who may
        import for no location at all is refused before the file is read.
        The file's school year may be at most ``years_ahead`` past the
        current one (a file for next year is kept for planning ahead; it
        does not become the current year before the calendar gets there).

        Raises:
            ExamkitErrorGroup: the file has errors (every problem with its line).
            EdexmlRefused: the file crosses a limit or is hostile.
            InvalidInput: no location can be told, the file's differs from
                *location*, or its school year is too far ahead.
            NotPermitted: the actor may import for no location, or does not
                administer the file's.

        Implements EDX-2, EDX-5 and EDX-6.
        """
        if not actor.may(IMPORT_ACTION):
            self._refuse(actor, "imports.preview", None, NotPermitted("imports.actor.no_location"))
        roster = parse(data, limits=limits)
        place = _location_of(roster.school, location)
        if roster.school.school_year is None:
            raise InvalidInput("imports.school_year.missing", field="schooljaar")
        year = roster.school.school_year
        if not actor.may(IMPORT_ACTION, place):
            error = NotPermitted("imports.location.not_administered", location=str(place))
            self._refuse(actor, "imports.preview", place, error)
        current = calendar_year(self._clock.now())
        if year.first_year > current.first_year + self._years_ahead:
            raise InvalidInput(
                "imports.school_year.too_far_ahead",
                field="schooljaar",
                school_year=str(year),
                current=str(current),
                years_ahead=self._years_ahead,
            )
        incoming = ClassList(place, year, roster.groups, roster.combination_groups, roster.teachers)
        now = self._clock.now()
        file_hash = hashlib.sha256(data).hexdigest()
        with self._backend.begin() as uow:
            classes, stored = _stored(uow, place, year)
            pending = PendingImport(
                id=self._secrets.token_urlsafe(24),
                actor=actor.account,
                created_at=now,
                expires_at=now + self._lifetime,
                file_hash=file_hash,
                base=fingerprint(classes, stored),
                classes=incoming,
                pupils=roster.pupils,
            )
            uow.pending_imports.add(pending)
            uow.commit()
        diff = difference(classes, stored, incoming, roster.pupils)
        counts = _counts(roster)
        self._record(
            actor.account,
            "imports.preview",
            location=place,
            school_year=year,
            file_hash=file_hash,
            counts=counts,
        )
        return ImportPreview(
            id=pending.id,
            school=roster.school,
            location=place,
            school_year=year,
            counts=counts,
            diff=diff,
            expires_at=pending.expires_at,
        )

    def confirm(self, preview: ImportPreview | str, actor: Actor) -> ImportResult:
        """Apply exactly the previewed difference in one unit of work and erase the preview.

        New pupils are added (in bulk), changed ones updated, gone ones
        archived; groups, combination groups and teachers follow the file.

        Raises:
            NotFound: the preview is unknown, already confirmed, cancelled or expired.
            NotPermitted: it is another actor's, or the actor no longer
                administers the location.
            ConcurrentModification: the stored data changed since the preview.

        Implements EDX-2, EDX-4 and EDX-6.
        """
        pending_id = preview if isinstance(preview, str) else preview.id
        now = self._clock.now()
        with self._backend.begin() as uow:
            pending = self._owned(uow, pending_id, actor, "imports.confirm")
            if pending.expires_at <= now:
                uow.pending_imports.remove(pending.id)
                uow.commit()
                raise NotFound("imports.pending.not_found", field="preview")
            place, year = pending.location, pending.school_year
            if not actor.may(IMPORT_ACTION, place):
                error = NotPermitted("imports.location.not_administered", location=str(place))
                self._refuse(actor, "imports.confirm", place, error)
            classes, stored = _stored(uow, place, year)
            if fingerprint(classes, stored) != pending.base:
                raise ConcurrentModification(
                    "imports.pending.stale", location=str(place), school_year=str(year)
                )
            diff = difference(classes, stored, pending.classes, pending.pupils)
            _apply(uow, pending, classes=classes, stored=stored, diff=diff, now=now)
            uow.pending_imports.remove(pending.id, version=pending.version)
            uow.commit()
        counts = Counts(
            groups=len(pending.classes.groups),
            combination_groups=len(pending.classes.combination_groups),
            pupils=len(pending.pupils),
            teachers=len(pending.classes.teachers),
        )
        self._record(
            actor.account,
            "imports.confirm",
            location=place,
            school_year=year,
            file_hash=pending.file_hash,
            counts=counts,
            diff=diff,
        )
        return ImportResult(location=place, school_year=year, diff=diff)

    def cancel(self, preview: ImportPreview | str, actor: Actor) -> None:
        """Erase a preview without applying it.

        Raises:
            NotFound: the preview is unknown, already confirmed, cancelled or expired.
            NotPermitted: it is another actor's.

        Implements EDX-6.
        """
        pending_id = preview if isinstance(preview, str) else preview.id
        with self._backend.begin() as uow:
            pending = self._owned(uow, pending_id, actor, "imports.cancel")
            uow.pending_imports.remove(pending.id)
            uow.commit()
        self._record(
            actor.account,
            "imports.cancel",
            location=pending.location,
            school_year=pending.school_year,
            file_hash=pending.file_hash,
            counts=None,
        )

    # -- the jobs ----------------------------------------------------------
    def purge_expired(self) -> int:
        """Erase every expired preview; return how many (a job to run regularly).

        Implements EDX-6.
        """
        with self._backend.begin() as uow:
            count = uow.pending_imports.purge_expired(self._clock.now())
            uow.commit()
        return count

    def purge_archived(self) -> int:
        """Erase pupils archived longer than the retention period; return how many.

        Implements EDX-4 and EDX-6.
        """
        cutoff = self._clock.now() - self._retention
        erased = 0
        while True:
            with self._backend.begin() as uow:
                page = uow.pupils.list_archived_before(cutoff, limit=MAX_PAGE_SIZE)
                for pupil in page.items:
                    uow.pupils.remove(pupil.id, version=pupil.version)
                uow.commit()
            erased += len(page.items)
            if page.next_after is None:
                return erased

    # -- listings for scheduling and paper-test ordering -----------------
    def school_years(self, location: LocationCode) -> tuple[SchoolYear, ...]:
        """Return the school years imported for *location*, oldest first."""
        with self._backend.begin(readonly=True) as uow:
            return uow.pupils.school_years(location)

    def current_year(self, location: LocationCode) -> SchoolYear:
        """Return the current school year of *location*: the calendar's, once imported.

        The current year follows the calendar (:func:`calendar_year`), never
        an import: a file for next year waits until 1 August.

        Raises:
            NotFound: nothing was imported for the location
                (``imports.location.no_import``), or nothing for the current
                school year (``imports.school_year.not_imported``).

        Implements EDX-3 and EDX-4.
        """
        with self._backend.begin(readonly=True) as uow:
            years = uow.pupils.school_years(location)
        if not years:
            raise NotFound("imports.location.no_import", field="location", location=str(location))
        current = calendar_year(self._clock.now())
        if current not in years:
            raise NotFound(
                "imports.school_year.not_imported",
                field="school_year",
                location=str(location),
                school_year=str(current),
            )
        return current

    def remove_year(self, location: LocationCode, school_year: SchoolYear, actor: Actor) -> int:
        """Remove everything imported for *location* in *school_year*; return how many pupils.

        For a year imported by mistake: its pupils (current and archived)
        and its class list are erased in one unit of work; other years and
        locations are untouched. The actor must administer the location.

        Raises:
            NotPermitted: the actor does not administer the location.
            NotFound: nothing was imported for the location in that year.

        Implements EDX-4 and EDX-6.
        """
        if not actor.may(IMPORT_ACTION, location):
            error = NotPermitted("imports.location.not_administered", location=str(location))
            self._refuse(actor, "imports.remove_year", location, error)
        with self._backend.begin() as uow:
            classes, stored = _stored(uow, location, school_year)
            if classes is None and not stored:
                raise NotFound(
                    "imports.school_year.not_found",
                    field="school_year",
                    location=str(location),
                    school_year=str(school_year),
                )
            for item in stored:
                uow.pupils.remove(item.id, version=item.version)
            if classes is not None:
                uow.class_lists.remove(classes.id, version=classes.version)
            uow.commit()
        self._audit.record(
            AuditEvent(
                at=self._clock.now(),
                actor=actor.account,
                action="imports.remove_year",
                subject=f"location:{location}",
                details={"school_year": str(school_year), "pupils_removed": str(len(stored))},
            )
        )
        return len(stored)

    def classes(self, location: LocationCode, school_year: SchoolYear | None = None) -> ClassList:
        """Return the groups, combination groups and teachers of *location* (current year).

        Raises:
            NotFound: nothing was imported for it.

        Implements EDX-3.
        """
        year = school_year if school_year is not None else self.current_year(location)
        with self._backend.begin(readonly=True) as uow:
            try:
                return uow.class_lists.get(roster_key(location, year))
            except NotFound:
                raise NotFound(
                    "imports.location.no_import", field="location", location=str(location)
                ) from None

    def pupils(
        self,
        location: LocationCode,
        *,
        school_year: SchoolYear | None = None,
        group: str | None = None,
        year_group: str | None = None,
        archived: bool = False,
        after: str | None = None,
        limit: int = 100,
    ) -> Page[EnrolledPupil]:
        """Return the current pupils of *location* by key, of one group or year group if given.

        The school year is the current one (:meth:`current_year`) unless given. Archived pupils
        are left out (they are not scheduled); ``archived=True`` lists only them.

        Raises:
            NotFound: nothing was imported for the location.

        Implements EDX-3.
        """
        year = school_year if school_year is not None else self.current_year(location)
        with self._backend.begin(readonly=True) as uow:
            return uow.pupils.list(
                location,
                year,
                group=group,
                year_group=year_group,
                archived=archived,
                after=after,
                limit=limit,
            )

    def quantities(
        self, location: LocationCode, school_year: SchoolYear | None = None
    ) -> dict[str, int]:
        """Return how many current pupils each group has, by group key (for ordering answer sheets).

        Groups without pupils count 0.

        Raises:
            NotFound: nothing was imported for the location.

        Implements EDX-3.
        """
        year = school_year if school_year is not None else self.current_year(location)
        counts = {group.key: 0 for group in self.classes(location, year).groups}
        with self._backend.begin(readonly=True) as uow:
            for pupil in _all_pupils(uow, location, year, archived=False):
                if pupil.pupil.group is not None:
                    counts[pupil.pupil.group] = counts.get(pupil.pupil.group, 0) + 1
        return counts

    # -- helpers -------------------------------------------------------------
    def _owned(self, uow: UnitOfWork, pending_id: str, actor: Actor, what: str) -> PendingImport:
        try:
            pending = uow.pending_imports.get(pending_id)
        except NotFound:
            raise NotFound("imports.pending.not_found", field="preview") from None
        if pending.actor != actor.account:
            self._refuse(actor, what, pending.location, NotPermitted("imports.pending.other_actor"))
        return pending

    def _refuse(
        self, actor: Actor, what: str, location: LocationCode | None, error: ExamkitError
    ) -> NoReturn:
        subject = f"location:{location}" if location is not None else "imports"
        event = AuditEvent(at=self._clock.now(), actor=actor.account, action=what, subject=subject)
        record_refusal(self._audit, error, event)
        raise error

    def _record(
        self,
        actor: str,
        action: str,
        *,
        location: LocationCode,
        school_year: SchoolYear,
        file_hash: str,
        counts: Counts | None,
        diff: ImportDiff | None = None,
    ) -> None:
        details = {"school_year": str(school_year), "file_sha256": file_hash}
        if counts is not None:
            details.update(
                {f"file_{name}": str(value) for name, value in attrs.asdict(counts).items()}
            )
        if diff is not None:
            for kind, numbers in diff.counts().items():
                for what, value in numbers.items():
                    details[f"{kind}_{what}"] = str(value)
        self._audit.record(
            AuditEvent(
                at=self._clock.now(),
                actor=actor,
                action=action,
                subject=f"location:{location}",
                details=details,
            )
        )


def _location_of(school: School, chosen: LocationCode | None) -> LocationCode:
    if school.location is None:
        if chosen is None:
            raise InvalidInput("imports.location.missing", field="location")
        return chosen
    if chosen is not None and chosen != school.location:
        raise InvalidInput(
            "imports.location.mismatch",
            field="location",
            found=str(school.location),
            chosen=str(chosen),
        )
    return school.location


def _counts(roster: Roster) -> Counts:
    return Counts(
        groups=len(roster.groups),
        combination_groups=len(roster.combination_groups),
        pupils=len(roster.pupils),
        teachers=len(roster.teachers),
        sites=len(roster.sites),
    )


def _all_pupils(
    uow: UnitOfWork, location: LocationCode, year: SchoolYear, *, archived: bool | None
) -> Iterator[EnrolledPupil]:
    after: str | None = None
    while True:
        page = uow.pupils.list(location, year, archived=archived, after=after, limit=MAX_PAGE_SIZE)
        yield from page.items
        if page.next_after is None:
            return
        after = page.next_after


def _stored(
    uow: UnitOfWork, location: LocationCode, year: SchoolYear
) -> tuple[ClassList | None, list[EnrolledPupil]]:
    try:
        classes: ClassList | None = uow.class_lists.get(roster_key(location, year))
    except NotFound:
        classes = None
    return classes, list(_all_pupils(uow, location, year, archived=None))


def _apply(
    uow: UnitOfWork,
    pending: PendingImport,
    *,
    classes: ClassList | None,
    stored: list[EnrolledPupil],
    diff: ImportDiff,
    now: datetime,
) -> None:
    incoming = {pupil.key: pupil for pupil in pending.pupils}
    by_key = {item.pupil.key: item for item in stored}
    location, year = pending.location, pending.school_year
    new: list[EnrolledPupil] = []
    for key in diff.pupils.added:
        previous = by_key.get(key)
        if previous is None:
            new.append(EnrolledPupil(location, year, incoming[key]))
        else:
            uow.pupils.update(attrs.evolve(previous, pupil=incoming[key], archived_at=None))
    for change in diff.pupils.changed:
        uow.pupils.update(attrs.evolve(by_key[change.key], pupil=incoming[change.key]))
    for key in diff.pupils.gone:
        uow.pupils.update(attrs.evolve(by_key[key], archived_at=now))
    if new:
        uow.pupils.add_many(new)
    if classes is None:
        uow.class_lists.add(pending.classes)
    else:
        # Always written, even unchanged: the version bump makes a second confirmation
        # against the same base fail, whatever else it touches.
        uow.class_lists.update(attrs.evolve(pending.classes, version=classes.version))

"""Importing an EDEXML file: preview, confirm or cancel; removing a year imported by mistake."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

import attrs

from examkit.edexml import DEFAULT_LIMITS, Counts, Limits, Pupil, Roster, School, Teacher, parse
from examkit.errors import ConcurrentModification, InvalidInput, NotFound, NotPermitted
from examkit.identifiers import Instellingsnummer, SchoolYear
from examkit.imports._common import (
    FLEMISH_IMPORT_ACTION,
    IMPORT_ACTION,
    ImportSettings,
    calendar_year,
    difference,
    fingerprint,
    import_action,
    import_details,
    location_subject,
    stored_roster,
)
from examkit.imports._diff import ImportDiff
from examkit.imports._model import (
    ClassList,
    EnrolledPupil,
    ImportPlace,
    ImportWarning,
    PendingImport,
)
from examkit.usecase import Ports, UseCase

if TYPE_CHECKING:
    from examkit.records import UnitOfWork


@attrs.frozen
class ImportPreview:
    """What the administrator checks and confirms (*Controleer en bevestig*).

    Implements EDX-2.
    """

    id: str
    """The pending import's id, to confirm or cancel it in a later request."""
    school: School
    """The school identification as the file gives it (BRIN or instellingsnummer, schoolkey,
    year)."""
    location: ImportPlace
    """The location the import is for, or the Flemish school (its instellingsnummer)."""
    school_year: SchoolYear
    """The school year of the file."""
    counts: Counts
    """How many groups, combination groups, pupils and teachers the file holds."""
    diff: ImportDiff
    """The full difference against what is stored for the location and year."""
    expires_at: datetime
    """When the preview lapses."""
    warnings: tuple[ImportWarning, ...] = ()
    """The file's warnings (not errors: it can be confirmed), in the order of the file."""
    names: Mapping[str, Mapping[str, str]] = attrs.field(factory=dict)
    """The name of each key in :attr:`diff`, per kind (``pupils``, ``groups``,
    ``combination_groups``, ``teachers``): the file's, or the stored one of what is gone."""


@attrs.frozen
class ImportResult:
    """What a confirmed import changed.

    Implements EDX-4.
    """

    location: ImportPlace
    """The location, or the Flemish school."""
    school_year: SchoolYear
    """The school year."""
    diff: ImportDiff
    """What changed (the difference the preview showed)."""


_PREVIEW = "imports.preview"
"""The audit action of a preview (and of its refusals)."""


class EdexmlImports:
    """Import EDEXML files per location: ``kit.edexml_imports``.

    A preview stores nothing of the school's data: only a
    :class:`PendingImport` with the parsed values, for the same actor, until
    it is confirmed, cancelled or expires (erased by
    :class:`ImportHousekeeping`).

    Args:
        ports: The wired ports.
        settings: How long a preview waits, how far ahead a file may be.

    Implements EDX-2 to EDX-6.
    """

    def __init__(self, ports: Ports, settings: ImportSettings | None = None) -> None:
        self._ports = ports
        self._settings = settings if settings is not None else ImportSettings()

    def __repr__(self) -> str:
        return f"EdexmlImports({self._ports.backend!r})"

    def preview(
        self,
        actor: str,
        data: bytes,
        *,
        location: ImportPlace | None = None,
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

        A Flemish school's file (the Flemish variant of the standard: an
        *instellingsnummer*, no BRIN) is imported for that school: the actor
        must hold ``vlaamse_toetsen.pupils.import`` there (its test
        coordinator), and of its pupils only what the Flemish desk needs is
        kept: key, name, year group, class and combination groups (no birth
        date, gender, eckid or site); of its teachers their key, name, roles
        and classes. The file's national register numbers
        (*rijksregisternummer*) are never read into any value, so they are
        neither held with the preview nor stored, audited or logged.

        The actor's grants are read twice, each time in the transaction that
        relies on them: before the file is read (may they import anywhere?)
        and in the unit that stores the pending import and its audit event
        (do they administer the file's location?). The file itself is parsed
        between the two, outside any transaction, so no other write waits on
        it; an error in the file is raised, not audited, as before.

        Raises:
            ExamkitErrorGroup: the file has errors (every problem with its line).
            EdexmlRefused: the file crosses a limit or is hostile.
            InvalidInput: no location can be told, the file's differs from
                *location* (``imports.school.mismatch`` for a Flemish school's
                file), its *instellingsnummer* is unusable
                (``imports.school.instellingsnummer_unusable``, with its line),
                or its school year is too far ahead.
            NotPermitted: the actor may import for no location, or does not
                administer the file's (for a Flemish school:
                ``imports.school.not_permitted``).

        Implements EDX-2, EDX-5, EDX-6 and SCH-9 (a Flemish school's pupils).
        """
        # Who may import nowhere is refused before the file is read; the file is read
        # outside any transaction, so no write waits while it is parsed.
        subject = location_subject(None)
        with UseCase(self._ports, _PREVIEW, subject, actor=actor, readonly=True) as check:
            if not (check.actor.may(IMPORT_ACTION) or check.actor.may(FLEMISH_IMPORT_ACTION)):
                raise NotPermitted("imports.actor.no_location")
        roster = parse(data, limits=limits)
        place = _location_of(roster, location)
        if roster.school.school_year is None:
            raise InvalidInput("imports.school_year.missing", field="schooljaar")
        year = roster.school.school_year
        pupils, teachers = _kept(place, roster.pupils, roster.teachers)
        incoming = ClassList(place, year, roster.groups, roster.combination_groups, teachers)
        file_hash = hashlib.sha256(data).hexdigest()
        counts = _counts(roster)
        with UseCase(self._ports, _PREVIEW, location_subject(place), actor=actor) as unit:
            _require_import(unit, place)
            current = calendar_year(unit.now)
            ahead = self._settings.years_ahead
            if year.first_year > current.first_year + ahead:
                raise InvalidInput(
                    "imports.school_year.too_far_ahead",
                    field="schooljaar",
                    school_year=str(year),
                    current=str(current),
                    years_ahead=ahead,
                )
            classes, stored = stored_roster(unit.uow, place, year)
            diff = difference(classes, stored, incoming, pupils)
            pending = PendingImport(
                id=self._ports.secrets.token_urlsafe(24),
                actor=actor,
                created_at=unit.now,
                expires_at=unit.now + self._settings.preview_lifetime,
                file_hash=file_hash,
                base=fingerprint(classes, stored),
                classes=incoming,
                pupils=pupils,
                school=roster.school,
                warnings=tuple(ImportWarning.of(problem) for problem in roster.warnings),
                diff=diff,
            )
            unit.uow.pending_imports.add(pending)
            unit.audit(details=import_details(year, file_hash, counts))
            unit.commit()
        return ImportPreview(
            id=pending.id,
            school=roster.school,
            location=place,
            school_year=year,
            counts=counts,
            diff=diff,
            expires_at=pending.expires_at,
            warnings=pending.warnings,
            names=_names(diff, (classes, incoming), stored, pupils),
        )

    def get_preview(self, actor: str, preview: str) -> ImportPreview:
        """Return the pending import *preview* again, as :meth:`preview` returned it.

        For a page that is reloaded (or opened again from a link) between the
        preview and the confirmation: the stored data is checked to be as it
        was at preview time (else ``imports.pending.stale``), so the
        difference kept with the preview is what :meth:`confirm` would apply.
        Only the actor who previewed it may see it, while they still
        administer its location.

        Raises:
            NotFound: the preview is unknown, confirmed, cancelled or expired.
            NotPermitted: it is another actor's, or the actor no longer
                administers the location.
            ConcurrentModification: the stored data changed since the preview
                (confirming would be refused: preview the file again).

        Implements EDX-2 and EDX-6.
        """
        with UseCase(
            self._ports, "imports.preview.read", location_subject(None), actor=actor, readonly=True
        ) as unit:
            pending = _owned(unit, preview)
            if pending.expires_at <= unit.now:
                raise NotFound("imports.pending.not_found", field="preview")
            place, year = pending.location, pending.school_year
            _require_import(unit, place)
            classes, stored = stored_roster(unit.uow, place, year)
            if fingerprint(classes, stored) != pending.base:
                raise ConcurrentModification(
                    "imports.pending.stale", location=str(place), school_year=str(year)
                )
            # The same stored data as at preview time (the fingerprint above): the same difference.
            diff = pending.diff
            if diff is None:  # a preview stored before the difference was kept with it
                diff = difference(classes, stored, pending.classes, pending.pupils)
        school = pending.school or _school_of(place, year)
        return ImportPreview(
            id=pending.id,
            school=school,
            location=place,
            school_year=year,
            counts=_pending_counts(pending),
            diff=diff,
            expires_at=pending.expires_at,
            warnings=pending.warnings,
            names=_names(diff, (classes, pending.classes), stored, pending.pupils),
        )

    def confirm(self, actor: str, preview: ImportPreview | str) -> ImportResult:
        """Apply exactly the previewed difference in one unit of work and erase the preview.

        New pupils are added (in bulk), changed ones updated, gone ones
        archived; groups, combination groups and teachers follow the file.

        Raises:
            NotFound: the preview is unknown, already confirmed, cancelled or
                expired (an expired one is erased).
            NotPermitted: it is another actor's, or the actor no longer
                administers the location.
            ConcurrentModification: the stored data changed since the preview.

        Implements EDX-2, EDX-4 and EDX-6.
        """
        pending_id = preview if isinstance(preview, str) else preview.id
        with UseCase(self._ports, "imports.confirm", location_subject(None), actor=actor) as unit:
            uow = unit.uow
            pending = _owned(unit, pending_id)
            if pending.expires_at <= unit.now:
                uow.pending_imports.remove(pending.id)
                unit.commit()  # the lapsed preview is erased; the refusal is not audited
                raise NotFound("imports.pending.not_found", field="preview")
            place, year = pending.location, pending.school_year
            _require_import(unit, place)
            classes, stored = stored_roster(uow, place, year)
            if fingerprint(classes, stored) != pending.base:
                raise ConcurrentModification(
                    "imports.pending.stale", location=str(place), school_year=str(year)
                )
            diff = difference(classes, stored, pending.classes, pending.pupils)
            _apply(uow, pending, classes=classes, stored=stored, diff=diff, now=unit.now)
            uow.pending_imports.remove(pending.id, version=pending.version)
            counts = _pending_counts(pending)
            unit.audit(details=import_details(year, pending.file_hash, counts, diff))
            unit.commit()
        return ImportResult(location=place, school_year=year, diff=diff)

    def cancel(self, actor: str, preview: ImportPreview | str) -> None:
        """Erase a preview without applying it.

        Like confirming, cancelling needs the actor to administer the location
        still: a revoked grant acts no more (the preview lapses on its own).

        Raises:
            NotFound: the preview is unknown, already confirmed, cancelled or expired.
            NotPermitted: it is another actor's, or the actor no longer
                administers the location.

        Implements EDX-6.
        """
        pending_id = preview if isinstance(preview, str) else preview.id
        with UseCase(self._ports, "imports.cancel", location_subject(None), actor=actor) as unit:
            pending = _owned(unit, pending_id)
            _require_import(unit, pending.location)
            unit.uow.pending_imports.remove(pending.id)
            unit.audit(details=import_details(pending.school_year, pending.file_hash, None))
            unit.commit()

    def remove_year(self, actor: str, location: ImportPlace, school_year: SchoolYear) -> int:
        """Remove everything imported for *location* in *school_year*; return how many pupils.

        For a year imported by mistake: its pupils (current and archived)
        and its class list are erased in one unit of work; other years and
        locations are untouched. The actor must administer the location (of a
        Flemish school: be its test coordinator).

        Raises:
            NotPermitted: the actor does not administer the location.
            NotFound: nothing was imported for the location in that year.

        Implements EDX-4 and EDX-6.
        """
        subject = location_subject(location)
        with UseCase(self._ports, "imports.remove_year", subject, actor=actor) as unit:
            _require_import(unit, location)
            classes, stored = stored_roster(unit.uow, location, school_year)
            if classes is None and not stored:
                raise NotFound(
                    "imports.school_year.not_found",
                    field="school_year",
                    location=str(location),
                    school_year=str(school_year),
                )
            for item in stored:
                unit.uow.pupils.remove(item.id, version=item.version)
            if classes is not None:
                unit.uow.class_lists.remove(classes.id, version=classes.version)
            unit.audit(
                details={"school_year": str(school_year), "pupils_removed": str(len(stored))}
            )
            unit.commit()
        return len(stored)


def _names(
    diff: ImportDiff,
    class_lists: tuple[ClassList | None, ClassList],
    stored: Sequence[EnrolledPupil],
    incoming: Sequence[Pupil],
) -> dict[str, dict[str, str]]:
    """Return the name of each key *diff* names, per kind: the file's, else the stored one."""
    wanted = {
        kind: {*part.added, *part.gone, *(change.key for change in part.changed)}
        for kind, part in diff.parts().items()
    }
    names: dict[str, dict[str, str]] = {kind: {} for kind in wanted}

    def note(kind: str, key: str, name: str) -> None:
        if key in wanted[kind]:
            names[kind][key] = name or key

    for pupil in (*(item.pupil for item in stored), *incoming):
        note("pupils", pupil.key, pupil.name.full_name)
    for classes in class_lists:
        if classes is None:
            continue
        for group in classes.groups:
            note("groups", group.key, group.name)
        for combination in classes.combination_groups:
            note("combination_groups", combination.key, combination.name)
        for teacher in classes.teachers:
            note("teachers", teacher.key, teacher.name.full_name)
    return names


def _pending_counts(pending: PendingImport) -> Counts:
    """Return how many groups, combination groups, pupils and teachers *pending* holds."""
    return Counts(
        groups=len(pending.classes.groups),
        combination_groups=len(pending.classes.combination_groups),
        pupils=len(pending.pupils),
        teachers=len(pending.classes.teachers),
    )


def _owned(unit: UseCase, pending_id: str) -> PendingImport:
    """Return the pending import *pending_id* of the unit's actor (the unit's subject its place)."""
    try:
        pending = unit.uow.pending_imports.get(pending_id)
    except NotFound:
        raise NotFound("imports.pending.not_found", field="preview") from None
    unit.subject = location_subject(pending.location)
    if pending.actor != unit.actor_id:
        raise NotPermitted("imports.pending.other_actor")
    return pending


def _require_import(unit: UseCase, place: ImportPlace) -> None:
    """Refuse unless the unit's actor may import for *place* (a location or a Flemish school)."""
    if unit.actor.may(import_action(place), place):
        return
    if isinstance(place, Instellingsnummer):
        raise NotPermitted("imports.school.not_permitted", school=str(place))
    raise NotPermitted("imports.location.not_administered", location=str(place))


def _school_of(place: ImportPlace, year: SchoolYear) -> School:
    """Return the school identification of *place* (for a preview stored without the file's)."""
    if isinstance(place, Instellingsnummer):
        return School(school_year=year, instellingsnummer=place)
    return School(school_year=year, brin=place.brin, location=place)


def _location_of(roster: Roster, chosen: ImportPlace | None) -> ImportPlace:
    """Return where the file's pupils go: its location, its Flemish school, or *chosen*.

    Raises:
        InvalidInput: the file names no usable location or school and none
            was chosen, or it names another than *chosen*.
    """
    school = roster.school
    found: ImportPlace | None = school.location or school.instellingsnummer
    if found is None:
        unusable = next(
            (w for w in roster.warnings if w.code == "edexml.identifier.instellingsnummer"), None
        )
        if unusable is not None:
            # A Flemish file whose number examkit cannot use: its pupils belong to that
            # school, never to a location picked instead.
            raise InvalidInput(
                "imports.school.instellingsnummer_unusable",
                field="instellingsnummer",
                line=unusable.line,
                value=unusable.params.get("value", ""),
            )
        if chosen is None:
            raise InvalidInput("imports.location.missing", field="location")
        return chosen
    if chosen is not None and chosen != found:
        code = (
            "imports.school.mismatch"
            if isinstance(found, Instellingsnummer)
            else "imports.location.mismatch"
        )
        raise InvalidInput(code, field="location", found=str(found), chosen=str(chosen))
    return found


def _kept(
    place: ImportPlace, pupils: tuple[Pupil, ...], teachers: tuple[Teacher, ...]
) -> tuple[tuple[Pupil, ...], tuple[Teacher, ...]]:
    """Return the pupils and teachers as stored for *place* (a Flemish school's: fewer values).

    For a Flemish school only what the Flemish desk needs is kept (EDX-6).
    A Flemish pupil keeps its key, name, year group, class and combination
    groups (the desk registers pupils by key and name, in groups made from
    the classes); a teacher its key, name, roles and classes.
    """
    if not isinstance(place, Instellingsnummer):
        return pupils, teachers
    return (
        tuple(
            attrs.evolve(pupil, eckid=None, birth_date=None, gender=None, site=None)
            for pupil in pupils
        ),
        tuple(attrs.evolve(teacher, eckid=None, email=None) for teacher in teachers),
    )


def _counts(roster: Roster) -> Counts:
    return Counts(
        groups=len(roster.groups),
        combination_groups=len(roster.combination_groups),
        pupils=len(roster.pupils),
        teachers=len(roster.teachers),
        sites=len(roster.sites),
    )


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

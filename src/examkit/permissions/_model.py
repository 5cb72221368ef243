"""Grants, scopes and targets: who holds which role where, and what an action is done on."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

import attrs

from examkit._fields import clean_text, require_aware_utc
from examkit.errors import InvalidInput
from examkit.identifiers import Brin, Instellingsnummer, LocationCode
from examkit.org import InstitutionCode
from examkit.permissions._matrix import MATRIX, ScopeKind

Place = LocationCode | Instellingsnummer
"""Where a grant applies: a Dutch location (BRIN6) or a Flemish school."""


class Subject(enum.Enum):
    """A subject (*vak*) of the pupil-monitoring reports: Dutch, English or maths.

    >>> Subject("maths").label("nl")
    'wiskunde'

    Implements ROLE-3.
    """

    DUTCH = "dutch"
    """Dutch (*Nederlands*)."""
    ENGLISH = "english"
    """English (*Engels*)."""
    MATHS = "maths"
    """Maths (*wiskunde*)."""

    def label(self, lang: str = "nl") -> str:
        """Return the subject's name in *lang*."""
        return _SUBJECT_LABELS[self][1 if lang == "en" else 0]


_SUBJECT_LABELS = {
    Subject.DUTCH: ("Nederlands", "Dutch"),
    Subject.ENGLISH: ("Engels", "English"),
    Subject.MATHS: ("wiskunde", "maths"),
}


def _class_key(value: str) -> str:
    text = clean_text(value)
    if not text:
        raise InvalidInput("input.required", field="class_key")
    if len(text) > 64:
        raise InvalidInput("input.too_long", field="class_key", maximum=64)
    return text


@attrs.frozen(cache_hash=True, order=True)
class ClassRef:
    """A class (*klas*, *groep*) of a location, by the location and the class's key.

    The key is the class's own key in the school's data (the EDEXML import
    fills classes in later; until then any key will do).

    >>> ClassRef(LocationCode("99ZX10"), " 1HA ")
    ClassRef(location=LocationCode('99ZX10'), key='1HA')
    >>> str(ClassRef(LocationCode("99ZX10"), "1HA"))
    '99ZX10/1HA'

    Implements ROLE-3.
    """

    location: LocationCode
    """The location the class belongs to."""
    key: str = attrs.field(converter=_class_key)
    """The class's key (``1HA``)."""

    def __str__(self) -> str:
        return f"{self.location}/{self.key}"


def _keys(target: Target) -> tuple[Any, ...]:
    keys: list[Any] = []
    if target.location is not None:
        keys.append(target.location)
        if target.class_key is not None:
            class_ref = ClassRef(target.location, target.class_key)
            keys.append(class_ref)
            if target.subject is not None:
                keys.append((class_ref, target.subject))
    elif isinstance(target.institution, Instellingsnummer):
        keys.append(target.institution)
    return tuple(keys)


def _check_target(target: Target, _: attrs.Attribute[Any], value: object) -> None:
    if target.class_key is not None and target.location is None:
        raise InvalidInput("roles.target.class_without_location", field="class_key")
    if target.location is not None and target.institution != target.location.brin:
        raise InvalidInput("roles.target.other_institution", field="institution")


@attrs.frozen(cache_hash=True)
class Target:
    """What an action is done on, reduced to where it is: the scope a grant must cover.

    A test session group, a pupil or a report resolves to one of these: its
    location, its class where it has one, and the subject of a subject's
    report. A Flemish school is a target by itself.

    >>> report = Target.of(ClassRef(LocationCode("99ZX10"), "1HA"), subject=Subject.DUTCH)
    >>> str(report.location), report.class_key, report.subject.value
    ('99ZX10', '1HA', 'dutch')

    Implements ROLE-3 and ROLE-5.
    """

    location: LocationCode | None = None
    """The location, for a Dutch institution's things."""
    class_key: str | None = attrs.field(
        default=None, converter=attrs.converters.optional(_class_key)
    )
    """The class's key, where the thing belongs to a class."""
    subject: Subject | None = None
    """The subject, for a subject's report."""
    institution: InstitutionCode | None = attrs.field(validator=_check_target)
    """The institution (the location's BRIN, or a Flemish school's number)."""
    keys: tuple[Any, ...] = attrs.field(init=False, eq=False, repr=False)
    """What a grant's index is searched for (internal, precomputed)."""

    @institution.default
    def _institution_default(self) -> InstitutionCode | None:
        return self.location.brin if self.location is not None else None

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "keys", _keys(self))

    @classmethod
    def of(
        cls, on: LocationCode | ClassRef | Instellingsnummer, *, subject: Subject | None = None
    ) -> Target:
        """Return the target at location, class or Flemish school *on*, for *subject*."""
        if isinstance(on, ClassRef):
            return cls(location=on.location, class_key=on.key, subject=subject)
        if isinstance(on, LocationCode):
            return cls(location=on, subject=subject)
        return cls(institution=on, subject=subject)

    def __str__(self) -> str:
        if self.location is None:
            return str(self.institution)
        text = str(self.location)
        if self.class_key is not None:
            text += f"/{self.class_key}"
        if self.subject is not None:
            text += f"/{self.subject.value}"
        return text


@runtime_checkable
class HasTarget(Protocol):
    """Something that resolves to a :class:`Target` (a session group, a pupil, a report)."""

    @property
    def permission_target(self) -> Target:
        """Where it is, for permission decisions."""
        ...


def _frozen_locations(value: Iterable[LocationCode]) -> frozenset[LocationCode]:
    return frozenset(value)


def _frozen_classes(value: Iterable[ClassRef]) -> frozenset[ClassRef]:
    return frozenset(value)


def _aware(value: datetime) -> datetime:
    return require_aware_utc(value, "granted_at")


def _optional_aware(value: datetime | None) -> datetime | None:
    return None if value is None else require_aware_utc(value, "revoked_at")


def _check_role(_: object, __: attrs.Attribute[Any], value: str) -> None:
    if value not in MATRIX.roles:
        raise InvalidInput("roles.role.unknown", field="role", role=value)


def _check_scope(grant: Grant) -> None:  # noqa: PLR0912 - one rule per scope kind
    role = MATRIX.roles.get(grant.role)
    if role is None:
        return
    kind = role.scope
    institution = grant.institution
    if kind is ScopeKind.SYSTEM:
        if institution is not None or grant.locations or grant.classes or grant.subject:
            raise InvalidInput("roles.grant.system_scope", field="institution", role=grant.role)
        return
    if kind is ScopeKind.SCHOOL:
        if not isinstance(institution, Instellingsnummer):
            raise InvalidInput("roles.grant.flemish_school", field="institution", role=grant.role)
        if grant.locations or grant.classes or grant.subject:
            raise InvalidInput("roles.grant.school_scope", field="locations", role=grant.role)
        return
    if not isinstance(institution, Brin):
        raise InvalidInput("roles.grant.dutch_institution", field="institution", role=grant.role)
    if not grant.locations:
        raise InvalidInput("roles.grant.no_location", field="locations", role=grant.role)
    for location in grant.locations:
        if location.brin != institution:
            raise InvalidInput(
                "roles.grant.other_institution",
                field="locations",
                location=str(location),
                institution=str(institution),
            )
    if kind is ScopeKind.LOCATIONS:
        if grant.classes or grant.subject is not None:
            raise InvalidInput("roles.grant.location_scope", field="classes", role=grant.role)
        return
    if not grant.classes:
        raise InvalidInput("roles.grant.no_class", field="classes", role=grant.role)
    if {class_ref.location for class_ref in grant.classes} != grant.locations:
        raise InvalidInput("roles.grant.class_locations", field="locations", role=grant.role)
    if (kind is ScopeKind.SUBJECT_CLASSES) != (grant.subject is not None):
        raise InvalidInput("roles.grant.subject", field="subject", role=grant.role)


@attrs.frozen
class Grant:
    """A grant (*autorisatie*): a role held at an institution, in its scope.

    A role of a Dutch application is held at one or more locations (BRIN6) of
    one institution; a pupil-monitoring role further in classes of those
    locations (the subject teacher for one subject); a Flemish role at a
    Flemish school; the operator's role everywhere. A revoked grant is kept
    for the record and allows nothing.

    Build one with :meth:`of`, which fills in the institution and the
    locations of the classes.

    >>> from datetime import datetime, timezone
    >>> grant = Grant.of("facet.planner", [LocationCode("22AB01")],
    ...                  granted_at=datetime(2026, 9, 1, tzinfo=timezone.utc))
    >>> grant.institution, grant.is_active
    (Brin('22AB'), True)

    Implements ROLE-1 to ROLE-4 and ROLE-6.
    """

    role: str = attrs.field(validator=_check_role)
    """The role's code (``facet.planner``)."""
    institution: InstitutionCode | None
    """The institution it is held at (``None`` only for the operator)."""
    granted_at: datetime = attrs.field(converter=_aware)
    """When it was granted."""
    locations: frozenset[LocationCode] = attrs.field(factory=frozenset, converter=_frozen_locations)
    """The locations (BRIN6) it is held at."""
    classes: frozenset[ClassRef] = attrs.field(factory=frozenset, converter=_frozen_classes)
    """The classes, for a pupil-monitoring role scoped to classes."""
    subject: Subject | None = None
    """The subject, for the subject teacher (*vakdocent*)."""
    granted_by: str | None = None
    """Who granted it (an account id; ``None`` for the system itself)."""
    revoked_at: datetime | None = attrs.field(default=None, converter=_optional_aware)
    """When it was revoked; ``None`` while it is active."""
    revoked_by: str | None = None
    """Who revoked it."""

    def __attrs_post_init__(self) -> None:
        _check_scope(self)

    @classmethod
    def of(
        cls,
        role: str,
        at: Iterable[Place | ClassRef] = (),
        *,
        subject: Subject | None = None,
        granted_at: datetime,
        granted_by: str | None = None,
    ) -> Grant:
        """Return a grant of *role* at the places or classes *at*.

        Args:
            role: The role's code.
            at: Locations (or, for a class-scoped role, classes; for a Flemish
                role, the school's instellingsnummer); nothing for the operator.
            subject: The subject teacher's subject.
            granted_at: When it is granted.
            granted_by: Who grants it.

        Raises:
            InvalidInput: the places do not fit the role's scope.
        """
        locations: set[LocationCode] = set()
        classes: set[ClassRef] = set()
        institutions: set[InstitutionCode] = set()
        for place in at:
            if isinstance(place, ClassRef):
                classes.add(place)
                locations.add(place.location)
                institutions.add(place.location.brin)
            elif isinstance(place, LocationCode):
                locations.add(place)
                institutions.add(place.brin)
            else:
                institutions.add(place)
        if len(institutions) > 1:
            raise InvalidInput("roles.grant.several_institutions", field="locations")
        return cls(
            role=role,
            institution=next(iter(institutions), None),
            locations=frozenset(locations),
            classes=frozenset(classes),
            subject=subject,
            granted_at=granted_at,
            granted_by=granted_by,
        )

    @property
    def is_active(self) -> bool:
        """Whether it is in force (not revoked)."""
        return self.revoked_at is None

    @property
    def identity(self) -> tuple[str, InstitutionCode | None, Subject | None]:
        """What makes it one grant: role, institution and subject."""
        return (self.role, self.institution, self.subject)

    @property
    def places(self) -> tuple[Place, ...]:
        """Where it applies: its locations, or its Flemish school; empty for the operator."""
        if self.locations:
            return tuple(sorted(self.locations, key=str))
        if isinstance(self.institution, Instellingsnummer):
            return (self.institution,)
        return ()

    def scope_keys(self) -> tuple[Any, ...]:
        """Return the index keys of its scope (what targets it covers)."""
        kind = MATRIX.roles[self.role].scope
        if kind is ScopeKind.LOCATIONS:
            return tuple(self.locations)
        if kind is ScopeKind.CLASSES:
            return tuple(self.classes)
        if kind is ScopeKind.SUBJECT_CLASSES:
            return tuple((class_ref, self.subject) for class_ref in self.classes)
        if kind is ScopeKind.SCHOOL:
            return (self.institution,)
        return ()

    def describe(self) -> str:
        """Return its scope as text for the audit trail (``22AB00,22AB01``)."""
        if self.classes:
            text = ",".join(sorted(str(class_ref) for class_ref in self.classes))
        elif self.places:
            text = ",".join(str(place) for place in self.places)
        else:
            text = "*"
        return f"{text}/{self.subject.value}" if self.subject is not None else text


def _check_application(_: object, __: attrs.Attribute[Any], value: str) -> None:
    if value not in MATRIX.systems:
        raise InvalidInput("roles.application.unknown", field="application", application=value)


@attrs.frozen(order=True)
class Access:
    """Access to an application at an institution (*Toegang tot applicatie*).

    Implements ROLE-3.
    """

    application: str = attrs.field(validator=_check_application)
    """The application's code (``cito_lvs``)."""
    institution: InstitutionCode
    """The institution it is switched on at."""


def _as_grants(value: Iterable[Grant]) -> tuple[Grant, ...]:
    return tuple(value)


def _as_access(value: Iterable[Access]) -> frozenset[Access]:
    return frozenset(value)


def _as_places(value: Iterable[Place]) -> frozenset[Place]:
    return frozenset(value)


@attrs.frozen
class Authorization:
    """An account's authorisations (*autorisaties*): its grants and its access to applications.

    One per account, kept beside the account under the same id; revoked
    grants stay, for the record.

    Implements ROLE-1 to ROLE-6 and AUTH-11.
    """

    account: str
    """The account's id (the key)."""
    grants: tuple[Grant, ...] = attrs.field(default=(), converter=_as_grants)
    """Every grant, active and revoked, oldest first."""
    access: frozenset[Access] = attrs.field(factory=frozenset, converter=_as_access)
    """The applications the account has access to, per institution."""
    belongs_to: frozenset[Place] = attrs.field(factory=frozenset, converter=_as_places)
    """The places (locations, or Flemish schools) the account was added at as a user.

    The account belongs there with or without roles: only who administers
    users there administers it (ROLE-2). Empty for an account no
    administrator added (an approved application, a link by the operator).
    """
    version: int = attrs.field(default=0, eq=False)
    """The stored version, bumped by the backend at every write (0: never stored)."""

    @property
    def active_grants(self) -> tuple[Grant, ...]:
        """The grants in force."""
        return tuple(grant for grant in self.grants if grant.is_active)

    def active(self, role: str | None = None) -> tuple[Grant, ...]:
        """Return the grants in force (of *role*, when given)."""
        return tuple(
            grant
            for grant in self.grants
            if grant.is_active and (role is None or grant.role == role)
        )

    def has_access(self, application: str, institution: InstitutionCode) -> bool:
        """Return whether access to *application* is switched on at *institution*."""
        return Access(application, institution) in self.access

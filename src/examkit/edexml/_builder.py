"""Turning the records of a file into examkit's values, checking keys and collecting warnings.

A *record* is a finished element the model is made of: the school, a site,
a group, a combination group, a pupil, a teacher. Both passes hand each
record to a :class:`Builder` when its end tag has been read; the builder
reads only the children it needs and never raises on content the
validator reports (a wrong date is simply not kept).

The builder also checks what examkit's own schema leaves to code: keys are
unique and references point at existing keys (the standard's identity
constraints, per version), and it collects the warnings: pupils without a
year group, keys with spaces or ``#`` dummies, combination classes filed
under one year group, identifiers that fail examkit's own checks, and (in
lenient mode) the vendor additions left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Final, Literal, TypeVar

from lxml import etree

from examkit._fields import is_email, normalise_email
from examkit.edexml._constraints import KEY_NAMES, Check, Plan, checks_below
from examkit.edexml._findings import Finding, Findings, Where
from examkit.edexml._grammar import GRAMMARS, SCHOOL_YEAR, YEAR_GROUPS
from examkit.edexml._lxml import line as line_of
from examkit.edexml._model import (
    CombinationGroup,
    Counts,
    Group,
    Pupil,
    School,
    Site,
    Teacher,
    TeacherGroup,
)
from examkit.edexml._reading import (
    WHITE,
    address_via,
    birth_date_of,
    child_where,
    gender_of,
    person_name,
    text_of,
)
from examkit.edexml._schema import SimpleType
from examkit.edexml._source import DEFAULT_LIMITS, Refusal
from examkit.edexml._values import check_value, shown
from examkit.edexml._version import Version
from examkit.errors import InvalidInput
from examkit.identifiers import Brin, Instellingsnummer, LocationCode, SchoolYear

__all__ = ["PENDING_REFERENCES", "RECORDS", "Builder"]

Element = etree._Element
_Id = TypeVar("_Id", Brin, LocationCode, Instellingsnummer)

RECORDS: Final[Mapping[tuple[str, ...], str]] = MappingProxyType(
    {
        ("EDEX", "school"): "school",
        ("EDEX", "vestigingen", "vestiging"): "site",
        ("EDEX", "groepen", "groep"): "group",
        ("EDEX", "groepen", "samengestelde_groep"): "combination_group",
        ("EDEX", "leerlingen", "leerling"): "pupil",
        ("EDEX", "leerkrachten", "leerkracht"): "teacher",
    }
)
"""The element paths of the records, and what each is."""

PENDING_REFERENCES: Final = 10_000
"""The most references to keys not (yet) read that wait for the end of the file.

A reference to a group, combination group or site is judged at the end of
the file, as XML Schema does, since the key may come later. In a file in
the standard's order every key comes before the references to it, so
beyond this many waiting references the rest are judged at once against
the keys read so far: memory stays bounded whatever the file.
"""

_SELECTED: Final = {kind: checks_below(path[1:]) for path, kind in RECORDS.items()}

# -- The value types and children a record is read with ---------------------------------------

_KEY_TYPE: Final = GRAMMARS[Version.V2_1].simple_types["EDEXKeyType"]
_BRINCODE: Final = GRAMMARS[Version.V2_1].simple_types["EDEXBrincodeType"]
_DEPENDANCECODE: Final = GRAMMARS[Version.V2_1].simple_types["EDEXDependancecodeType"]
_INSTELLINGSNUMMER: Final = GRAMMARS[Version.V2_1].simple_types["EDEXInstellingsnummerType"]
_EMAIL_TYPE: Final = GRAMMARS[Version.V2_1].simple_types["EDEXString256Type"]
_NAME_PARTS: Final = frozenset(
    {"achternaam", "voorvoegsel", "voornamen", "voorletters-1", "roepnaam"}
)
_PUPIL_VALUES: Final = _NAME_PARTS | {"geboortedatum", "geslacht", "jaargroep"}
_PERSONAL_NUMBERS: Final = frozenset(
    {"bsn", "sofinummer", "onderwijsnummer", "rijksregisternummer"}
)
"""A pupil's personal numbers: read only to see that the pupil's key is not one of them."""
_HIDDEN_KEY: Final = "…"
"""What a message shows for a pupil's key that is a personal number."""
_TEACHER_VALUES: Final = _NAME_PARTS | {"emailadres"}
_SUSPECT: Final = WHITE + "#"
_FROM_2_0: Final = frozenset({Version.V2_0, Version.V2_1})


class Builder:
    """Collects the records of one pass: counts, keys, warnings and (with *keep*) the model.

    Args:
        keep: Make model values of pupils and teachers (for
            :func:`~examkit.edexml.parse`); without it only counts are kept.
        lenient: Warn about every vendor addition (``toevoegingen``) in a record.
        findings: Where the problems go (a fresh one keeping 1,000 by default).
        max_records: The most records read before the file is refused.
    """

    def __init__(
        self,
        *,
        keep: bool,
        lenient: bool,
        findings: Findings | None = None,
        max_records: int = DEFAULT_LIMITS.max_records,
    ) -> None:
        self.keep = keep
        self.lenient = lenient
        self.max_records = max_records
        self.records = 0
        self.findings = findings if findings is not None else Findings(1000)
        self.rejected = False
        """Set when a rule examkit's XML schema cannot state is broken (the school year)."""
        self.school = School()
        self.school_seen = False
        self.declared_version: str | None = None
        self.declared_where: Where | None = None
        self.declared_line: int | None = None
        self.sites: list[Site] = []
        self.groups: list[Group] = []
        self.combination_groups: list[CombinationGroup] = []
        self.pupils: list[Pupil] = []
        self.teachers: list[Teacher] = []
        self.pupil_count = 0
        self.teacher_count = 0
        self._keys: dict[str, dict[str, int]] = {name: {} for name in KEY_NAMES}
        self._pending: list[tuple[Check, str, Where, int | None, str]] = []
        self._group_years: dict[str, str] = {}
        self._group_places: dict[str, tuple[Where, int | None]] = {}
        self._years_seen: dict[str, set[str]] = {}
        self._plans = {
            kind: (
                self._plan(own),
                {tag: self._plan(checks) for tag, checks in children.items()},
                {
                    tag: {inner: self._plan(checks) for inner, checks in nested.items()}
                    for tag, nested in grandchildren.items()
                },
            )
            for kind, (own, children, grandchildren) in _SELECTED.items()
        }
        _, children, grandchildren = _SELECTED["pupil"]
        wanted = {"jaargroep", "groep", "vestiging", "samengestelde_groepen", *children}
        wanted |= _PERSONAL_NUMBERS
        wanted.update(grandchildren)
        if keep:
            wanted |= _PUPIL_VALUES
        if lenient:
            wanted.add("toevoegingen")
        self._pupil_tags = tuple(sorted(wanted))

    # -- helpers -------------------------------------------------------------------------------

    def _add(
        self,
        severity: Literal["error", "warning"],
        code: str,
        where: Where,
        line: int | None,
        versions: frozenset[Version] | None = None,
        **params: object,
    ) -> None:
        self.findings.append(Finding(severity, code, params, where, line, versions))

    def _plan(self, checks: Iterable[Check]) -> Plan:
        """Return *checks* with the key sets they read and write bound in."""
        return tuple(
            (
                check.field,
                self._keys[check.name] if check.refer is None else None,
                self._keys[check.refer] if check.refer is not None else None,
                check,
            )
            for check in checks
        )

    def _constraints(
        self, plan: Plan, element: Element, where: Where, via: tuple[Element, ...] = ()
    ) -> None:
        """Apply the key and reference checks of *plan* to *element*.

        The element is at *where*, or (with *via*, ending in the element)
        reached from *where* down through *via*: its address is worked out
        only for a problem.
        """
        for field, seen, target, check in plan:
            value = element.get(field)
            if value is None:
                continue
            if seen is not None:
                first = seen.get(value)
                if first is None:
                    seen[value] = line_of(element) or 0
                else:
                    self._add(
                        "error",
                        check.code,
                        address_via(where, via),
                        line_of(element),
                        check.versions,
                        key=shown(value),
                        name=f"<{element.tag}>",
                        first_line=first,
                    )
            elif target is not None and value not in target:
                if len(self._pending) < PENDING_REFERENCES:
                    self._pending.append(
                        (check, value, address_via(where, via), line_of(element),
                         f"<{element.tag}>")
                    )  # fmt: skip
                else:  # judged now, against the keys read so far (see PENDING_REFERENCES)
                    self._add("error", check.code, address_via(where, via), line_of(element),
                              check.versions, key=shown(value),
                              name=f"<{element.tag}>")  # fmt: skip

    def _count(self, element: Element) -> None:
        self.records += 1
        if self.records > self.max_records:
            raise Refusal("max_records", self.max_records, line_of(element))

    def _record_key(self, element: Element, where: Where) -> str:
        self._count(element)
        key = element.get("key") or ""
        self._key_warnings(key, element, where)
        return key

    def _stripped(self, element: Element, where: Where) -> None:
        if self.lenient:
            self._add("warning", "edexml.lenient.stripped", child_where(where, element),
                      line_of(element))  # fmt: skip

    def _select(self, kind: str, element: Element, where: Where) -> None:
        own, children, grandchildren = self._plans[kind]
        if own:
            self._constraints(own, element, where)
        if not (children or grandchildren):
            return
        for child in element:
            tag = child.tag
            direct = children.get(tag)
            if direct is not None:
                self._constraints(direct, child, where, (child,))
            nested = grandchildren.get(tag)
            if nested is not None:
                for grandchild in child:
                    checks = nested.get(grandchild.tag)
                    if checks is not None:
                        self._constraints(checks, grandchild, where, (child, grandchild))

    # -- records -------------------------------------------------------------------------------

    def school_record(self, element: Element, where: Where) -> None:
        """Read the school: its identification and school year, and the declared version."""
        if self.school_seen:
            return
        self.school_seen = True
        values: dict[str, Element] = {}
        for child in element:
            tag = child.tag
            if isinstance(tag, str) and tag not in values:
                values[tag] = child
            if tag == "toevoegingen":
                self._stripped(child, where)
        school_year = None
        year = values.get("schooljaar")
        if year is not None:
            if self._passing(values, "schooljaar", SCHOOL_YEAR) is None:
                self.rejected = True
            else:
                school_year = SchoolYear(year.text or "")
        brin = location = instellingsnummer = None
        found = self._passing(values, "brincode", _BRINCODE)
        if found is not None:
            brin = self._identifier(Brin, found[1], found[0], where, "edexml.identifier.brin")
        dependance = (
            self._passing(values, "dependancecode", _DEPENDANCECODE)
            if "dependancecode" in values
            else found and (found[0], "00")
        )
        if brin is not None and dependance:
            location = self._identifier(
                LocationCode, f"{brin}{dependance[1]}", dependance[0], where,
                "edexml.identifier.location",
            )  # fmt: skip
        found = self._passing(values, "instellingsnummer", _INSTELLINGSNUMMER)
        if found is not None:
            instellingsnummer = self._identifier(
                Instellingsnummer, found[1], found[0], where, "edexml.identifier.instellingsnummer"
            )
        schoolkey_element = values.get("schoolkey")
        schoolkey = None
        if schoolkey_element is not None:
            schoolkey = schoolkey_element.text or ""
            self._key_warnings(schoolkey, schoolkey_element, child_where(where, schoolkey_element))
        self.school = School(
            school_year=school_year,
            brin=brin,
            location=location,
            schoolkey=schoolkey,
            instellingsnummer=instellingsnummer,
        )
        declared = values.get("xsdversie")
        if declared is not None:
            self.declared_version = declared.text or ""
            self.declared_where = child_where(where, declared)
            self.declared_line = line_of(declared)

    @staticmethod
    def _passing(
        values: Mapping[str, Element], tag: str, simple: SimpleType
    ) -> tuple[Element, str] | None:
        """Return the element *tag* and its text if it is there and a valid *simple* value."""
        element = values.get(tag)
        if element is None:
            return None
        text = element.text or ""
        return (element, text) if check_value(simple, text, f"<{tag}>") is None else None

    def _key_warnings(self, key: str, element: Element, where: Where) -> None:
        if not key or (key[0] not in _SUSPECT and key[-1] not in WHITE):
            return
        name = f"<{element.tag}>"
        if check_value(_KEY_TYPE, key, name) is not None:
            return
        if key[0] in WHITE or key[-1] in WHITE:
            self._add("warning", "edexml.key.spaces", where, line_of(element),
                      key=shown(key), name=name)  # fmt: skip
        if key.startswith("#"):
            self._add("warning", "edexml.key.dummy", where, line_of(element),
                      key=shown(key), name=name)  # fmt: skip

    def _identifier(
        self, kind: type[_Id], text: str, element: Element, where: Where, code: str
    ) -> _Id | None:
        try:
            return kind(text)
        except InvalidInput:
            self._add("warning", code, child_where(where, element), line_of(element),
                      value=shown(element.text or ""), name=f"<{element.tag}>")  # fmt: skip
            return None

    def site_record(self, element: Element, where: Where) -> None:
        """Read a site (*vestiging*)."""
        key = self._record_key(element, where)
        self._select("site", element, where)
        name = element.find("naam")
        self.sites.append(Site(key=key, name=text_of(name) or ""))

    def group_record(self, element: Element, where: Where) -> None:
        """Read a group (*groep*)."""
        key = self._record_key(element, where)
        self._select("group", element, where)
        name = year = None
        for child in element:
            tag = child.tag
            if tag == "naam" and name is None:
                name = child.text or ""
            elif tag == "jaargroep" and year is None:
                year = child.text or ""
            elif tag == "toevoegingen":
                self._stripped(child, where)
        year_group = year if year in YEAR_GROUPS else None
        if year_group is not None and key not in self._group_years:
            self._group_years[key] = year_group
            self._group_places[key] = (where, line_of(element))
        self.groups.append(Group(key=key, name=name or "", year_group=year_group or ""))

    def combination_group_record(self, element: Element, where: Where) -> None:
        """Read a combination group (*samengestelde_groep*)."""
        key = self._record_key(element, where)
        self._select("combination_group", element, where)
        name = None
        for child in element:
            tag = child.tag
            if tag == "naam" and name is None:
                name = child.text or ""
            elif tag == "toevoegingen":
                self._stripped(child, where)
        self.combination_groups.append(CombinationGroup(key=key, name=name or ""))

    def pupil_record(self, element: Element, where: Where) -> None:  # noqa: PLR0912, PLR0915 - the hot loop, kept whole for speed
        """Read a pupil (*leerling*)."""
        self._count(element)
        self.pupil_count += 1
        key = element.get("key") or ""
        if key and (key[0] in _SUSPECT or key[-1] in WHITE):
            self._key_warnings(key, element, where)
        own, children, grandchildren = self._plans["pupil"]
        self._constraints(own, element, where)
        values: dict[str, Element] = {}
        group_element = site_element = None
        combination: list[str] = []
        personal_key: str | None = None
        for child in element.iterchildren(*self._pupil_tags):
            tag = child.tag
            if tag in _PERSONAL_NUMBERS:
                if key and (child.text or "").strip() == key.strip():
                    personal_key = tag
                continue
            if tag in _PUPIL_VALUES:
                if tag not in values:
                    values[tag] = child
                continue
            checks = children.get(tag)
            if checks is not None:
                self._constraints(checks, child, where, (child,))
            if tag == "groep":
                if group_element is None:
                    group_element = child
            elif tag == "vestiging":
                if site_element is None:
                    site_element = child
            elif tag == "samengestelde_groepen":
                nested = grandchildren.get(tag, {})
                for reference in child:
                    if reference.tag == "samengestelde_groep":
                        combination.append(reference.get("key") or "")
                    checks = nested.get(reference.tag)
                    if checks is not None:
                        self._constraints(checks, reference, where, (child, reference))
            elif tag == "toevoegingen":
                self._stripped(child, where)
        shown_key = shown(key)
        if personal_key is not None:
            # The key is the pupil's BSN or national register number: an error that
            # never repeats it, and the pupil's other messages do not either.
            shown_key = _HIDDEN_KEY
            self._add("error", "edexml.pupil.key_is_personal_number", where,
                      line_of(element), name=f"<{personal_key}>")  # fmt: skip
        year_element = values.get("jaargroep")
        year = None if year_element is None else year_element.text or ""
        group = None if group_element is None else group_element.get("key")
        derived = False
        if year_element is None:
            group_year = self._group_years.get(group) if group is not None else None
            if group_year is not None and group_year != "C":
                year, derived = group_year, True
                # EDEXML 1.03 gives a pupil either a group or a year group: there,
                # deriving it from the group is the standard's own way.
                self._add("warning", "edexml.pupil.year_group_derived", where,
                          line_of(element), _FROM_2_0, key=shown_key, year_group=year,
                          group=shown(group or ""))  # fmt: skip
            else:
                self._add("warning", "edexml.pupil.year_group_missing", where,
                          line_of(element), key=shown_key)  # fmt: skip
        elif group is not None and year in YEAR_GROUPS:
            self._years_seen.setdefault(group, set()).add(year)  # type: ignore[arg-type]
        if not self.keep:
            return
        self.pupils.append(
            Pupil(
                key=key,
                name=person_name(values),
                eckid=element.get("eckid"),
                birth_date=birth_date_of(text_of(values.get("geboortedatum"))),
                gender=gender_of(text_of(values.get("geslacht"))),
                year_group=year if year in YEAR_GROUPS else None,
                year_group_derived=derived,
                group=group,
                combination_groups=tuple(combination),
                site=None if site_element is None else site_element.get("key"),
            )
        )

    def teacher_record(self, element: Element, where: Where) -> None:
        """Read a teacher (*leerkracht*)."""
        self.teacher_count += 1
        key = self._record_key(element, where)
        self._select("teacher", element, where)
        values: dict[str, Element] = {}
        roles: list[str] = []
        descriptions: list[str] = []
        links: list[TeacherGroup] = []
        for child in element:
            tag = child.tag
            if tag in _TEACHER_VALUES:
                if tag not in values:
                    values[tag] = child
            elif tag == "rol":
                roles.append(child.text or "")
            elif tag == "rolomschrijving":
                descriptions.append(child.text or "")
            elif tag == "groepen":
                links += self._teacher_groups(child)
            elif tag == "toevoegingen":
                self._stripped(child, where)
        email = None
        email_element = values.get("emailadres")
        if email_element is not None:
            text = email_element.text or ""
            if check_value(_EMAIL_TYPE, text, "<emailadres>") is None:
                normalised = normalise_email(text)
                if is_email(normalised):
                    email = normalised
                else:
                    self._add("warning", "edexml.identifier.email",
                              child_where(where, email_element), line_of(email_element),
                              value=shown(text), name="<emailadres>")  # fmt: skip
        if not self.keep:
            return
        self.teachers.append(
            Teacher(
                key=key,
                name=person_name(values),
                eckid=element.get("eckid"),
                email=email,
                roles=tuple(roles),
                role_descriptions=tuple(descriptions),
                groups=tuple(links),
            )
        )

    @staticmethod
    def _teacher_groups(container: Element) -> list[TeacherGroup]:
        links = []
        for link in container:
            tag = link.tag
            if tag not in {"groep", "samengestelde_groep"}:
                continue
            roles = tuple(role.text or "" for role in link if role.tag == "rol")
            described = tuple(role.text or "" for role in link if role.tag == "rolomschrijving")
            links.append(
                TeacherGroup(
                    key=link.get("key") or "",
                    combination=tag == "samengestelde_groep",
                    roles=roles,
                    role_descriptions=described,
                )
            )
        return links

    # -- the end -------------------------------------------------------------------------------

    def finish(self) -> None:
        """Check the references still open and the combination classes; call once, at the end."""
        for check, value, where, line, name in self._pending:
            if check.refer is not None and value not in self._keys[check.refer]:
                self._add("error", check.code, where, line, check.versions,
                          key=shown(value), name=name)  # fmt: skip
        self._pending.clear()
        for group, years in self._years_seen.items():
            declared = self._group_years.get(group)
            if declared is None or declared == "C" or len(years) < 2:
                continue
            where, line = self._group_places[group]
            order = list(YEAR_GROUPS)
            found = ", ".join(sorted(years, key=order.index))
            self._add("warning", "edexml.group.combination", where, line,
                      key=shown(group), year_group=declared, found=found)  # fmt: skip

    @property
    def counts(self) -> Counts:
        """How many records of each kind were read."""
        return Counts(
            groups=len(self.groups),
            combination_groups=len(self.combination_groups),
            pupils=self.pupil_count,
            teachers=self.teacher_count,
            sites=len(self.sites),
        )

    def record(self, kind: str, element: Element, where: Where) -> None:
        """Read the record *element* of *kind* (a value of :data:`RECORDS`)."""
        _READERS[kind](self, element, where)


_READERS: Final = {
    "school": Builder.school_record,
    "site": Builder.site_record,
    "group": Builder.group_record,
    "combination_group": Builder.combination_group_record,
    "pupil": Builder.pupil_record,
    "teacher": Builder.teacher_record,
}
if set(_READERS) != set(RECORDS.values()):  # pragma: no cover - a table error
    raise AssertionError("every record kind needs a reader")

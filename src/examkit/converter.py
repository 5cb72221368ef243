"""The one cattrs converter: structures <-> primitives, configured once.

Every conversion between examkit's values and plain data goes through
:data:`converter`: the SQL backend's JSON columns, the HTTP wire format and
the CLI's JSON output. Identifiers become their normalised text, aware
datetimes ISO 8601 text in UTC, dates ISO text, decimals text, enums their
value, tuples lists, and sets lists in a fixed order (sorted by their
elements' JSON text), so the same value gives the same data in every
process: a set's own order follows Python's per-process string hashing.

>>> from examkit.identifiers import LocationCode
>>> unstructure(LocationCode.parse("22ab 01"))
'22AB01'
>>> structure("22AB01", LocationCode)
LocationCode('22AB01')
"""

from __future__ import annotations

import json
import types
import typing
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any, Final, TypeVar

import attrs
import cattrs
from cattrs.preconf.json import make_converter as _make_json_converter

from examkit.accounts import LoginName
from examkit.correction import (
    CorrectionSheet,
    ItemCorrection,
    ItemState,
    Mark,
    ScoreVersion,
)
from examkit.edexml import Gender, PersonName, Pupil
from examkit.errors import ExamkitErrorGroup, InvalidInput
from examkit.identifiers import Identifier
from examkit.ports import require_aware_utc

__all__ = ["converter", "make_converter", "structure", "unstructure"]

T = TypeVar("T")


def _structure_identifier(value: Any, cls: type[Identifier]) -> Identifier:
    if isinstance(value, cls):
        return value
    if not isinstance(value, str):
        raise InvalidInput("input.not_text", actual=type(value).__name__)
    return cls.parse(value)


def _identifier_union_members(cls: Any) -> tuple[type[Identifier], ...] | None:
    """Return the identifier kinds of a union of identifier kinds (``Brin | Instellingsnummer``)."""
    if typing.get_origin(cls) not in (typing.Union, types.UnionType):
        return None
    members = [arg for arg in typing.get_args(cls) if arg is not type(None)]
    if members and all(isinstance(m, type) and issubclass(m, Identifier) for m in members):
        return tuple(members)
    return None


def _structure_identifier_union(value: Any, cls: Any) -> Identifier | None:
    members = _identifier_union_members(cls) or ()
    if value is None and type(None) in typing.get_args(cls):
        return None
    if isinstance(value, members):
        return value
    if not isinstance(value, str):
        raise InvalidInput("input.not_text", actual=type(value).__name__)
    first_error: InvalidInput | None = None
    for member in members:
        try:
            return member.parse(value)
        except InvalidInput as error:
            first_error = first_error or error
    raise first_error or InvalidInput("input.structure", detail=repr(cls))


def _structure_datetime(value: Any, _: type[datetime]) -> datetime:
    if isinstance(value, datetime):
        return require_aware_utc(value)
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        raise InvalidInput("input.time.invalid", value=str(value)) from None
    return require_aware_utc(parsed)


_NAME_FIELDS = frozenset(field.name for field in attrs.fields(PersonName))
_PUPIL_FIELDS = frozenset(field.name for field in attrs.fields(Pupil))
_GENDERS = {gender.value: gender for gender in Gender}


def _only(data: Any, allowed: frozenset[str], cls: type) -> None:
    if not allowed.issuperset(data):
        extra = set(data) - allowed
        raise InvalidInput("input.structure", detail=f"{cls.__name__}: {sorted(extra)}")


def _unstructure_name(name: PersonName) -> dict[str, Any]:
    # Keys in sorted order: the SQL backend's bulk path writes them without sorting again.
    return {
        "called_name": name.called_name,
        "first_names": name.first_names,
        "initials": name.initials,
        "last_name": name.last_name,
        "prefix": name.prefix,
    }


def _structure_name(data: Any, _: type[PersonName]) -> PersonName:
    _only(data, _NAME_FIELDS, PersonName)
    get = data.get
    return PersonName(
        get("last_name"), get("prefix"), get("first_names"), get("initials"), get("called_name")
    )


def _unstructure_pupil(pupil: Pupil) -> dict[str, Any]:
    # Keys in sorted order, as for the name.
    born, gender = pupil.birth_date, pupil.gender
    return {
        "birth_date": None if born is None else born.isoformat(),
        "combination_groups": list(pupil.combination_groups),
        "eckid": pupil.eckid,
        "gender": None if gender is None else gender.value,
        "group": pupil.group,
        "key": pupil.key,
        "name": _unstructure_name(pupil.name),
        "site": pupil.site,
        "year_group": pupil.year_group,
        "year_group_derived": pupil.year_group_derived,
    }


def _structure_pupil(data: Any, _: type[Pupil]) -> Pupil:
    """Structure a pupil by hand: an import holds tens of thousands (~5x cattrs' speed)."""
    _only(data, _PUPIL_FIELDS, Pupil)
    get = data.get
    born, gender = get("birth_date"), get("gender")
    return Pupil(
        data["key"],
        _structure_name(data["name"], PersonName),
        get("eckid"),
        None if born is None else date.fromisoformat(born),
        None if gender is None else _GENDERS[gender],
        get("year_group"),
        bool(get("year_group_derived", False)),
        get("group"),
        tuple(get("combination_groups", ())),
        get("site"),
    )


def _structure_pupils(data: Any, _: object) -> tuple[Pupil, ...]:
    """Structure an import's pupils without cattrs' per-item dispatch (~3x faster)."""
    return tuple(_structure_pupil(item, Pupil) for item in data)


def _structure_texts(data: Any, _: object) -> tuple[str, ...]:
    """Structure a list of texts (ids, keys) without cattrs' per-item dispatch."""
    if isinstance(data, str | bytes):
        raise InvalidInput("input.structure", detail="a list of texts, not one text")
    return tuple(item if type(item) is str else str(item) for item in data)


_STATES = {state.value: state for state in ItemState}
_MARKS = {mark.value: mark for mark in Mark}
_SHEET_FIELDS = frozenset(field.name for field in attrs.fields(CorrectionSheet))


def _unstructure_sheet(sheet: CorrectionSheet) -> dict[str, Any]:
    """Unstructure a correction sheet by hand: it is read and written on every score (~4x)."""
    # Keys in sorted order, as for the name. Stored times are aware UTC already (the
    # version's converter made them so); a sheet's versions share few of them.
    stamps: dict[datetime, str] = {}
    for v in sheet.versions:
        if v.at not in stamps:
            stamps[v.at] = v.at.isoformat()
    return {
        "candidate": sheet.candidate,
        "group": sheet.group,
        "items": {
            key: {
                "agreed": item.agreed,
                "comment": item.comment,
                "first": item.first,
                "second": item.second,
                "state": item.state.value,
                "third": item.third,
            }
            for key, item in sheet.items.items()
        },
        "versions": [
            {
                "at": stamps[v.at],
                "by": v.by,
                "comment": v.comment,
                "item": v.item,
                "mark": v.mark.value,
                "new": v.new,
                "old": v.old,
            }
            for v in sheet.versions
        ],
    }


def _structure_sheet(data: Any, _: type[CorrectionSheet]) -> CorrectionSheet:
    """Structure a correction sheet by hand (the scoring path's read)."""
    _only(data, _SHEET_FIELDS, CorrectionSheet)
    try:
        items = {
            key: ItemCorrection(
                _STATES[item["state"]],
                item["first"],
                item["second"],
                item["agreed"],
                item["third"],
                item["comment"],
            )
            for key, item in data["items"].items()
        }
        versions = [
            ScoreVersion(
                v["item"],
                _MARKS[v["mark"]],
                v["old"],
                v["new"],
                v["by"],
                datetime.fromisoformat(v["at"]),
                v["comment"],
            )
            for v in data.get("versions", ())
        ]
    except (KeyError, TypeError, ValueError) as error:
        raise InvalidInput("input.structure", detail=f"CorrectionSheet: {error}") from None
    return CorrectionSheet(
        data["group"], data["candidate"], items, versions, data.get("version", 0)
    )


def make_converter() -> cattrs.Converter:
    """Build a converter with examkit's hooks (the composition root's choice).

    Use the shared :data:`converter` unless a portal needs its own hooks on top.
    """
    conv = _make_json_converter(forbid_extra_keys=True, prefer_attrib_converters=False)
    conv.register_unstructure_hook_func(
        lambda cls: isinstance(cls, type) and issubclass(cls, Identifier), str
    )
    conv.register_structure_hook_func(
        lambda cls: isinstance(cls, type) and issubclass(cls, Identifier),
        _structure_identifier,
    )
    conv.register_structure_hook_func(
        lambda cls: _identifier_union_members(cls) is not None, _structure_identifier_union
    )
    conv.register_unstructure_hook(datetime, lambda value: require_aware_utc(value).isoformat())
    conv.register_structure_hook(datetime, _structure_datetime)
    conv.register_unstructure_hook(date, lambda value: value.isoformat())
    conv.register_structure_hook(date, lambda value, _: date.fromisoformat(str(value)))
    conv.register_unstructure_hook(LoginName, str)
    conv.register_structure_hook(LoginName, lambda value, _: LoginName(value))
    conv.register_unstructure_hook(PersonName, _unstructure_name)
    conv.register_structure_hook(PersonName, _structure_name)
    conv.register_unstructure_hook(Pupil, _unstructure_pupil)
    conv.register_structure_hook(Pupil, _structure_pupil)
    conv.register_structure_hook_func(lambda cls: cls == tuple[Pupil, ...], _structure_pupils)
    conv.register_structure_hook_func(lambda cls: cls == tuple[str, ...], _structure_texts)
    conv.register_unstructure_hook(CorrectionSheet, _unstructure_sheet)
    conv.register_structure_hook(CorrectionSheet, _structure_sheet)
    conv.register_unstructure_hook(Decimal, str)
    conv.register_structure_hook(Decimal, lambda value, _: Decimal(str(value)))
    conv.register_unstructure_hook(Fraction, str)
    conv.register_structure_hook(Fraction, lambda value, _: Fraction(str(value)))
    conv.register_unstructure_hook(timedelta, _unstructure_timedelta)
    conv.register_structure_hook(timedelta, lambda value, _: timedelta(seconds=float(value)))
    conv.register_unstructure_hook_factory(_is_set_type, lambda cls: _sorted_set_hook(conv, cls))
    return conv


def _is_set_type(cls: Any) -> bool:
    origin = typing.get_origin(cls) or cls
    return isinstance(origin, type) and issubclass(origin, (set, frozenset))


def _sorted_set_hook(conv: cattrs.Converter, cls: Any) -> Callable[[Iterable[Any]], list[Any]]:
    """Unstructure a set as a list sorted by its elements' JSON text (a fixed order)."""
    args = typing.get_args(cls)
    element = conv.get_unstructure_hook(args[0]) if args else conv.unstructure

    def unstructure_set(value: Iterable[Any]) -> list[Any]:
        return sorted(map(element, value), key=_canonical_text)

    return unstructure_set


def _canonical_text(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _unstructure_timedelta(value: timedelta) -> int | float:
    """Return a duration as seconds (a whole number when it is one)."""
    seconds = value.total_seconds()
    return int(seconds) if seconds.is_integer() else seconds


converter: Final[cattrs.Converter] = make_converter()
"""The shared converter. Treat it as read-only: register nothing on it."""


def unstructure(value: object) -> Any:
    """Return *value* as plain JSON-compatible data."""
    return converter.unstructure(value)


def structure(data: Any, cls: type[T]) -> T:
    """Return *data* structured as *cls*, raising :class:`InvalidInput` when unusable."""
    try:
        return converter.structure(data, cls)
    except InvalidInput:
        raise
    except cattrs.BaseValidationError as group:
        problems = [_as_problem(exc) for exc in group.exceptions]
        if len(problems) == 1:
            raise problems[0] from group
        raise ExamkitErrorGroup(problems) from group
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        # Data of the wrong shape (a text where an object belongs) fails in
        # cattrs' generated code before any validation error is collected.
        raise InvalidInput("input.structure", detail=str(exc)) from exc


def _as_problem(exc: BaseException) -> InvalidInput:
    if isinstance(exc, InvalidInput):
        return exc
    if isinstance(exc, cattrs.BaseValidationError):
        inner = [_as_problem(sub) for sub in exc.exceptions]
        return inner[0]
    return InvalidInput("input.structure", detail=str(exc))

"""Patterned passwords: repeats, sequences, keyboard walks and dates, as data and one check.

A password is *patterned* when it is made up entirely of patterns that a
guesser tries first, whatever its length: the same character or a short
unit repeated (``aaaaaaaa``, ``abcabcabc``), a sequence (``0123456789``,
``987654321``, ``13579``, ``abcdef``), a walk over a keyboard
(``1q2w3e4r5t6y7u8i9o0p``, ``qwertyuiop``, ``zaq12wsx``, ``147258369``) or
a date (``19071987``, ``9-11-1961``, ``2024``); or one text said three times
or more (``zomerzomerzomer``), or twice when it is common or patterned itself
(``michellemichelle``). The keyboards and the date orders are data
(:data:`KEYBOARDS`, :data:`KEYPAD`, :data:`DATE_ORDERS`,
:data:`PATTERN_MINIMUMS`); :func:`is_patterned` is the one check, used by
the rule ``passwords.patterns``.

The check looks at the folded password three times: as it is, with the
characters that are not letters or digits at either end left off, and with
every such character left out (``9-11-1961`` is the date ``9111961``). Each view is split, in
every possible way, into segments of at least the minimum length of their
kind; when some split leaves nothing over, the password is patterned.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Final

KEYBOARDS: Final[Mapping[str, tuple[tuple[str, str], ...]]] = MappingProxyType(
    {
        "qwerty": (
            ("1234567890-=", "!@#$%^&*()_+"),
            ("qwertyuiop[]\\", "QWERTYUIOP{}|"),
            ("asdfghjkl;'", 'ASDFGHJKL:"'),
            ("zxcvbnm,./", "ZXCVBNM<>?"),
        ),
        "azerty": (
            ("&é\"'(-è_çà)=", "1234567890°+"),
            ("azertyuiop^$", "AZERTYUIOP¨£"),
            ("qsdfghjklmù*", "QSDFGHJKLM%µ"),
            ("wxcvbn,;:!", "WXCVBN?./§"),
        ),
        "qwertz": (
            ("1234567890ß´", '!"§$%&/()=?`'),
            ("qwertzuiopü+", "QWERTZUIOPÜ*"),
            ("asdfghjklöä#", "ASDFGHJKLÖÄ'"),
            ("yxcvbnm,.-", "YXCVBNM;:_"),
        ),
    }
)
"""Keyboard layouts: rows of keys, top row first, each unshifted and shifted (read-only).

The rows are aligned as they sit on the keyboard: the key at index *i* of a
row lies between the keys at *i* and *i* + 1 of the row above. Two keys are
neighbours when they touch (left, right, and the two above and below);
shifted and unshifted characters are the same key.
"""

KEYPAD: Final[tuple[str, ...]] = ("789", "456", "123", "0")
"""The numeric keypad, top row first; its keys touch in all eight directions."""

DATE_ORDERS: Final[tuple[str, ...]] = ("dmy", "mdy", "ymd")
"""The orders of day, month and year that a date in a password may take."""

PATTERN_MINIMUMS: Final[Mapping[str, int]] = MappingProxyType(
    {"repeat": 3, "sequence": 3, "walk": 3, "date": 4}
)
"""The least length of a segment of each kind (characters; a date: digits)."""

SEQUENCE_STEPS: Final = 3
"""The largest step between the characters of a sequence (``147``, ``13579``, ``aceg``)."""

REPEAT_UNIT: Final = 4
"""The longest unit a repeat may have within a password (``abcd`` in ``abcdabcd``)."""

_YEARS: Final = range(1900, 2100)


def _keyboard_pairs(rows: tuple[tuple[str, str], ...]) -> Iterable[tuple[str, str]]:
    keys = [list(zip(plain, shifted, strict=True)) for plain, shifted in rows]
    for index, row in enumerate(keys):
        below = keys[index + 1] if index + 1 < len(keys) else []
        for column, key in enumerate(row):
            beside = [row[column + 1]] if column + 1 < len(row) else []
            under = [below[at] for at in (column - 1, column) if 0 <= at < len(below)]
            for other in (*beside, *under):
                for char in key:
                    for touching in other:
                        yield char.casefold(), touching.casefold()


def _keypad_pairs() -> Iterable[tuple[str, str]]:
    for index, row in enumerate(KEYPAD):
        for column, char in enumerate(row):
            for down, right in ((0, 1), (1, -1), (1, 0), (1, 1)):
                line, at = index + down, column + right
                if line < len(KEYPAD) and 0 <= at < len(KEYPAD[line]):
                    yield char, KEYPAD[line][at]


def _neighbours() -> Mapping[str, frozenset[str]]:
    found: dict[str, set[str]] = {}
    pairs = [pair for rows in KEYBOARDS.values() for pair in _keyboard_pairs(rows)]
    for first, second in (*pairs, *_keypad_pairs()):
        found.setdefault(first, set()).add(second)
        found.setdefault(second, set()).add(first)
    return MappingProxyType({char: frozenset(others) for char, others in found.items()})


_NEIGHBOURS: Final = _neighbours()


def _walk_end(view: str, start: int) -> int:
    end = start + 1
    while end < len(view) and view[end] in _NEIGHBOURS.get(view[end - 1], ()):
        end += 1
    return end


def _sequence_ends(view: str, start: int) -> Iterable[int]:
    if start + 1 >= len(view):
        return
    first, second = view[start], view[start + 1]
    kind = first.isdigit(), first.isalpha()
    step = ord(second) - ord(first)
    if not 0 < abs(step) <= SEQUENCE_STEPS or (second.isdigit(), second.isalpha()) != kind:
        return
    if not (first.isdigit() or first.isascii()):
        return
    end = start + 2
    while (
        end < len(view)
        and ord(view[end]) - ord(view[end - 1]) == step
        and (view[end].isdigit(), view[end].isalpha()) == kind
    ):
        end += 1
    yield end


def _repeat_ends(view: str, start: int) -> Iterable[int]:
    for unit in range(1, REPEAT_UNIT + 1):
        end = start + unit
        while end < len(view) and view[end] == view[end - unit]:
            end += 1
        if end - start >= max(2 * unit, PATTERN_MINIMUMS["repeat"]):
            yield end


def _is_date(digits: str) -> bool:
    if len(digits) == 4:
        return int(digits) in _YEARS
    for order in DATE_ORDERS:
        for year_digits in (4, 2):
            rest = len(digits) - year_digits
            # With a 4-digit year, day and month take 1 or 2 digits; with 2, both take 2.
            if not (2 <= rest <= 4 if year_digits == 4 else rest == 4):
                continue
            year_first = order[0] == "y"
            year = digits[:year_digits] if year_first else digits[-year_digits:]
            if year_digits == 4 and int(year) not in _YEARS:
                continue
            day_month = digits[year_digits:] if year_first else digits[:rest]
            if _day_month(day_month, day_first=order.index("d") < order.index("m")):
                return True
    return False


def _day_month(digits: str, *, day_first: bool) -> bool:
    for split in range(max(1, len(digits) - 2), min(3, len(digits))):
        first, second = int(digits[:split]), int(digits[split:])
        day, month = (first, second) if day_first else (second, first)
        if 1 <= day <= 31 and 1 <= month <= 12:
            return True
    return False


def _date_ends(view: str, start: int) -> Iterable[int]:
    for length in range(PATTERN_MINIMUMS["date"], 9):
        end = start + length
        if end > len(view):
            return
        digits = view[start:end]
        if digits.isdigit() and digits.isascii() and _is_date(digits):
            yield end


def _segment_ends(view: str, start: int) -> set[int]:
    ends: set[int] = set()
    walk = _walk_end(view, start)
    ends.update(range(start + PATTERN_MINIMUMS["walk"], walk + 1))
    for end in _sequence_ends(view, start):
        ends.update(range(start + PATTERN_MINIMUMS["sequence"], end + 1))
    ends.update(_repeat_ends(view, start))
    ends.update(_date_ends(view, start))
    return ends


def _covered(view: str) -> bool:
    """Return whether *view* splits wholly into segments of the kinds above."""
    if not view:
        return False
    reachable = [False] * (len(view) + 1)
    reachable[0] = True
    for start in range(len(view)):
        if reachable[start]:
            for end in _segment_ends(view, start):
                reachable[end] = True
    return reachable[len(view)]


def _views(folded: str) -> tuple[str, ...]:
    inner = "".join(char for char in folded if char.isalnum())
    start, end = 0, len(folded)
    while start < end and not folded[start].isalnum():
        start += 1
    while end > start and not folded[end - 1].isalnum():
        end -= 1
    views = (folded, folded[start:end], inner)
    return tuple(view for index, view in enumerate(views) if view and view not in views[:index])


def _repeated_unit(view: str) -> str | None:
    length = len(view)
    for size in range(1, length // 2 + 1):
        if length % size == 0 and view[:size] * (length // size) == view:
            return view[:size]
    return None


def is_patterned(folded: str, common: Callable[[str], bool] = lambda _: False) -> bool:
    """Return whether *folded* (a folded password) is made up entirely of patterns.

    *common* says whether a text is a common password: a common password
    said twice (``passwordpassword``) is patterned too, as is any text said
    three times or more.

    >>> is_patterned("1q2w3e4r5t6y7u8i9o0p"), is_patterned("123456789123456789")
    (True, True)
    >>> is_patterned("aaaaaaaaaaaaaaaa"), is_patterned("9-11-1961"), is_patterned("zaq12wsx")
    (True, True, True)
    >>> is_patterned("paard correct nietje batterij")
    False
    """
    for view in _views(folded):
        if _covered(view):
            return True
        unit = _repeated_unit(view)
        if unit is not None and (len(view) >= 3 * len(unit) or common(unit) or _covered(unit)):
            return True
    return False

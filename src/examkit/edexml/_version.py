"""The versions of the EDEXML standard examkit reads."""

from __future__ import annotations

import enum
from typing import Final

__all__ = ["Version", "declared_version"]


class Version(enum.Enum):
    """A version of the EDEXML standard (*EDEXML-versie*): 1.03, 2.0 or 2.1.

    Versions compare in the order they were published; every file that is
    valid under one version is also valid under the later ones, apart from
    the school years each version's schema lists.

    >>> Version.V2_0 < Version.V2_1, str(Version.V1_03)
    (True, '1.03')
    """

    V1_03 = "1.03"
    V2_0 = "2.0"
    V2_1 = "2.1"

    @property
    def rank(self) -> int:
        """The version's position in publication order (0 for 1.03)."""
        return _ORDER.index(self)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Version):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Version):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Version):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Version):
            return NotImplemented
        return self.rank >= other.rank

    def __str__(self) -> str:
        return self.value


_ORDER: Final[tuple[Version, ...]] = (Version.V1_03, Version.V2_0, Version.V2_1)

# How files spell the version in <xsdversie>: the schemas' own annotations say
# "1.03", "2.0" and "2.1"; the 1.03 schema folder is named 1.0.3.
_SPELLINGS: Final = {
    "1.03": Version.V1_03,
    "1.0.3": Version.V1_03,
    "2.0": Version.V2_0,
    "2.1": Version.V2_1,
}


def declared_version(text: str | None) -> Version | None:
    """Return the version a file's ``<xsdversie>`` names, or ``None`` if it names none.

    >>> declared_version(" 2.1 "), declared_version("3.0")
    (<Version.V2_1: '2.1'>, None)
    """
    if text is None:
        return None
    return _SPELLINGS.get(text.strip())

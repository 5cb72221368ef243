"""The authorizations as stored: declared once, for every backend."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from itertools import product
from typing import Final

from examkit.identifiers import LocationCode
from examkit.org import InstitutionCode
from examkit.permissions._model import Authorization
from examkit.storage import VERSION_FIELD, Index, Page, Personal, Records, RecordType

ANY: Final = "*"
"""Stands for "any" in a grant index value (no role, institution or location asked)."""


def grant_filter(
    role: str | None, institution: InstitutionCode | None, location: LocationCode | None
) -> str:
    """Return the grant index value a listing asks for: ``role|institution|location``."""
    parts = (role, institution, location)
    return "|".join(ANY if part is None else str(part) for part in parts)


def _grant_values(item: Authorization) -> Iterator[str]:
    """Every filter an active grant of *item* matches: each part given or left open."""
    for grant in item.grants:
        if not grant.is_active:
            continue
        places = [str(location) for location in grant.locations] or [ANY]
        institution = ANY if grant.institution is None else str(grant.institution)
        for location in places:
            for role, inst, loc in product(
                (grant.role, ANY), (institution, ANY), sorted({location, ANY})
            ):
                yield f"{role}|{inst}|{loc}"


_kept: Final = partial(
    Personal,
    basis="public_task",
    retention="account",
    audience=("self", "administrator", "operator"),
)
"""An authorisation's field, seen by its holder, their administrator and the service desk: give
it the purpose."""


AUTHORIZATIONS: Final = RecordType(
    "authorizations",
    Authorization,
    kind="authorization",
    key=lambda item: item.account,
    indexes=(Index("grant", lambda item: sorted(set(_grant_values(item))), many=True),),
    privacy={
        "account": _kept("the account whose authorisations these are"),
        "grants": _kept(
            "which roles the account holder holds where, who granted and revoked them "
            "and when (ROLE-1, ROLE-2)"
        ),
        "access": _kept("which applications the account holder may use, per institution"),
        "belongs_to": _kept("the places the account holder was added at as a user"),
        "version": VERSION_FIELD,
    },
)
"""Accounts' grants: by account, and by an active grant's role, institution and location."""


class AuthorizationRecords(Records[str, Authorization]):
    """The :class:`~examkit.permissions.AuthorizationRepository` on any backend."""

    def list(
        self,
        *,
        role: str | None = None,
        institution: InstitutionCode | None = None,
        location: LocationCode | None = None,
        after: str | None = None,
        limit: int = 100,
    ) -> Page[Authorization]:
        """Return authorizations by account id, filtered by an active grant's role and place."""
        filtered = role is not None or institution is not None or location is not None
        where = {"grant": grant_filter(role, institution, location) if filtered else None}
        return self._page(where, after=after, limit=limit)

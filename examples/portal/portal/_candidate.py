"""The candidate's cookie and each page's save token: the candidate has no account.

A candidate signs in with their login name and the group's access code
(:meth:`~examkit.scheduling.Sitting.sign_in`); what that gives (group,
candidate and the key that binds their saves to them) travels in one
``HttpOnly``, ``SameSite=Strict`` cookie limited to ``/test``. The key is a
keyed digest under the portal's token key, so the cookie holds across a
restart of the server and across processes; nothing of it is stored.

Each page of the player carries a save token: a keyed digest of the
attempt and the page's epoch, sent back in the ``X-Examkit-Save`` header
with every save and heartbeat. Another site cannot read it (so it cannot
save for the candidate), and a page cannot claim another page's epoch.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from typing import Final

import attrs
from starlette.requests import Request
from starlette.responses import Response

from portal._config import PortalConfig

CANDIDATE_COOKIE: Final = "examkit_candidate"
"""The candidate's cookie (path ``/test``: never sent to the staff's pages)."""
SAVE_HEADER: Final = "X-Examkit-Save"
"""The header that carries a page's save token."""


@attrs.frozen
class SignedInCandidate:
    """Who the candidate's cookie says is sitting the test."""

    group: str
    """The group's id."""
    candidate: str
    """The candidate's id."""
    key: str = attrs.field(repr=False)
    """The key their sign-in gave (a secret)."""

    @property
    def attempt(self) -> str:
        """The attempt's id (``<group>:<candidate>``), for the page's local queue."""
        return f"{self.group}:{self.candidate}"

    def encoded(self) -> str:
        """Return the cookie's value."""
        data = json.dumps([self.group, self.candidate, self.key], separators=(",", ":"))
        return base64.urlsafe_b64encode(data.encode()).decode().rstrip("=")


def candidate_of(request: Request) -> SignedInCandidate | None:
    """Return the candidate the request's cookie names, or ``None`` (no cookie, or garbled)."""
    value = request.cookies.get(CANDIDATE_COOKIE, "")
    if not value or len(value) > 1024:
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)))
    except (ValueError, binascii.Error):
        return None
    if not (isinstance(data, list) and len(data) == 3 and all(isinstance(v, str) for v in data)):
        return None
    return SignedInCandidate(*data)


def set_candidate_cookie(
    response: Response, candidate: SignedInCandidate, config: PortalConfig
) -> None:
    """Give the browser the candidate's cookie (for this browser session only)."""
    response.set_cookie(
        CANDIDATE_COOKIE,
        candidate.encoded(),
        path="/test",
        secure=config.secure_cookies,
        httponly=True,
        samesite="strict",
    )


def clear_candidate_cookie(response: Response, config: PortalConfig) -> None:
    """Remove the candidate's cookie."""
    response.delete_cookie(
        CANDIDATE_COOKIE,
        path="/test",
        secure=config.secure_cookies,
        httponly=True,
        samesite="strict",
    )


def page_token(config: PortalConfig, candidate: SignedInCandidate, epoch: int) -> str:
    """Return the save token of *candidate*'s page with *epoch*."""
    message = f"examkit-portal-page\x00{candidate.attempt}\x00{epoch}".encode()
    return hmac.new(config.token_key, message, hashlib.sha256).hexdigest()


def right_token(config: PortalConfig, candidate: SignedInCandidate, epoch: int, token: str) -> bool:
    """Return whether *token* is the save token of *candidate*'s page with *epoch*."""
    return hmac.compare_digest(page_token(config, candidate, epoch), token)

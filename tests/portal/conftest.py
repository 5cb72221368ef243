"""What the portal's tests share: a kit on an SQLite file with the school, a client, forms.

Every test here drives the ASGI app through ``httpx.ASGITransport``.
:func:`submit` opens a page and posts its form with the page's one-time
token and a same-origin ``Origin``; :func:`sign_in` walks the whole staff
sign-in; :func:`enter_as` starts a web session for any account directly
(for the tests of who may reach which page, where the sign-in itself is not
what is tested).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from tests.portal.backends import portal_backend
from tests.school import ADMIN_LOGIN, ADMIN_PASSWORD, add_school

from examkit import Examkit, Settings
from examkit.testing import ManualClock, RecordingMailer, SequenceSecretSource, cheap_hasher
from portal import PortalConfig, create_app
from portal._config import PATHS

ORIGIN = "https://portal.school.nl"
"""The portal's address in these tests (https: the cookies are ``__Host-`` and Secure)."""
TOKEN_KEY = b"k" * 32
SESSION_COOKIE = "__Host-session"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def kit(tmp_path: Path) -> Iterator[Examkit]:
    """A kit on a fresh SQLite file with the school of :mod:`tests.school` (the admin's password
    set), a recording mailer, a manual clock at 2026-09-01 10:00 (Amsterdam) and a cheap hasher;
    on HttpBackend over a storage server on that file with ``EXAMKIT_PORTAL_BACKEND=http``."""
    with portal_backend(tmp_path / "portal.db") as backend:
        kit = Examkit(
            backend=backend,
            mailer=RecordingMailer(),
            settings=Settings(token_key=TOKEN_KEY, base_url=ORIGIN, paths=PATHS),
            clock=ManualClock.at("2026-09-01T08:00:00+00:00"),
            secrets=SequenceSecretSource("portal"),
            hasher=cheap_hasher("portal"),
        )
        add_school(kit, with_password=True)
        yield kit


def portal_config() -> PortalConfig:
    """The portal's configuration in these tests."""
    return PortalConfig(base_url=ORIGIN, token_key=TOKEN_KEY, database="unused")


@pytest.fixture
async def client(kit: Examkit) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the portal over *kit*."""
    transport = httpx.ASGITransport(app=create_app(kit, portal_config()))
    async with httpx.AsyncClient(transport=transport, base_url=ORIGIN) as client:
        yield client


def form_token_of(html: str) -> str:
    """Return the one-time form token in *html* (the first form's)."""
    found = re.search(r'name="form_token" value="([^"]+)"', html)
    assert found is not None, html[:500]
    return found.group(1)


async def submit(
    client: httpx.AsyncClient, page: str, action: str, data: dict[str, str] | None = None
) -> httpx.Response:
    """Open *page*, then post its form to *action* with *data* and the page's one-time token."""
    shown = await client.get(page)
    return await client.post(
        action,
        data={**(data or {}), "form_token": form_token_of(shown.text)},
        headers={"Origin": ORIGIN},
        follow_redirects=False,
    )


def mailed_code(kit: Examkit) -> str:
    """Return the one-time password of the newest sign-in e-mail."""
    assert isinstance(kit.mailer, RecordingMailer)
    found = re.search(r"\b(\d{6})\b", kit.mailer.last("auth.otp").body)
    assert found is not None
    return found.group(1)


async def sign_in(
    client: httpx.AsyncClient,
    kit: Examkit,
    *,
    login: str = ADMIN_LOGIN,
    password: str = ADMIN_PASSWORD,
    trust: bool = False,
) -> None:
    """Walk the staff sign-in with the password and the mailed code (the admin by default)."""
    first = await submit(
        client, "/sign-in", "/sign-in", {"login_name": login, "password": password}
    )
    assert (303, "/sign-in/code") == (first.status_code, first.headers["location"])
    code = {"code": mailed_code(kit), **({"trust_browser": "yes"} if trust else {})}
    done = await submit(client, "/sign-in/code", "/sign-in/code", code)
    assert (303, "/") == (done.status_code, done.headers["location"])


def enter_as(client: httpx.AsyncClient, kit: Examkit, account_id: str) -> None:
    """Start a web session for *account_id* and give *client* its cookie (no sign-in walked)."""
    token, _ = kit.web_sessions.start(account_id)
    client.cookies.set(SESSION_COOKIE, token, domain="portal.school.nl")

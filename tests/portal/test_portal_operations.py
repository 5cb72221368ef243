# Tests write `expected == actual` (STYLE.md), which ruff calls a Yoda condition.
"""The portal in operation: request ids in the log and the audit, the mail sender, its settings.

Issue 22 points 2 and 6: a log line per request with nothing personal in it,
whose id the audit events of the request keep; an e-mail the mail server
refused is sent again by the portal's own sender while the app runs.
"""

from __future__ import annotations

import logging
from pathlib import Path

import anyio
import httpx
import pytest
from tests.portal.conftest import ORIGIN, TOKEN_KEY, portal_config, submit
from tests.school import ADMIN, ADMIN_LOGIN, ADMIN_PASSWORD, L00, add_school

from examkit import Examkit, Settings
from examkit.backends.sql import SQLBackend
from examkit.errors import ConfigurationError
from examkit.ports import Message
from examkit.testing import ManualClock, RecordingMailer, SequenceSecretSource, cheap_hasher
from portal import PortalConfig, create_app

pytestmark = pytest.mark.anyio


@pytest.mark.req("WEB-2")
async def test_a_request_s_id_is_in_its_log_line_its_header_and_its_audit_events(
    client: httpx.AsyncClient, kit: Examkit, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="portal.access")
    answer = await submit(
        client, "/sign-in", "/sign-in", {"login_name": ADMIN_LOGIN, "password": ADMIN_PASSWORD}
    )
    rid = answer.headers["x-request-id"]
    line = [record.getMessage() for record in caplog.records][-1]
    assert f"request={rid} method=POST route=/sign-in status=303" in line
    for personal in (ADMIN_LOGIN, ADMIN_PASSWORD, "127.0.0.1", "testclient"):
        assert personal not in line
    with kit.backend.begin(readonly=True) as uow:
        events = [event for event in uow.audit.list().items if event.details.get("request") == rid]
    assert events, "the sign-in's audit events carry the request id"


@pytest.mark.req("WEB-2")
async def test_a_log_line_names_the_route_s_pattern_not_the_token_in_the_path(
    kit: Examkit, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="portal.access")
    transport = httpx.ASGITransport(app=create_app(kit, portal_config()))
    async with httpx.AsyncClient(transport=transport, base_url=ORIGIN) as client:
        await client.get("/static/secret-looking-name.js")
    line = caplog.records[-1].getMessage()
    assert "route=/static/{name} status=404" in line
    assert "secret-looking-name" not in line


class FlakyMailer(RecordingMailer):
    """Refuses the next *failures* messages, as a mail server that is down would."""

    def __init__(self) -> None:
        super().__init__()
        self.failures = 0

    def send(self, message: Message) -> None:
        if self.failures:
            self.failures -= 1
            raise ConnectionRefusedError("smtp.school.nl:587")
        super().send(message)


@pytest.mark.req("WEB-1", "NOTE-1")
async def test_the_portal_s_sender_delivers_an_e_mail_the_server_refused_at_first(
    tmp_path: Path,
) -> None:
    mailer, clock = FlakyMailer(), ManualClock.at("2026-09-01T08:00:00+00:00")
    backend = SQLBackend(f"sqlite:///{tmp_path / 'portal.db'}")
    kit = Examkit(
        backend=backend,
        mailer=mailer,
        settings=Settings(token_key=TOKEN_KEY, base_url=ORIGIN),
        clock=clock,
        secrets=SequenceSecretSource("sender"),
        hasher=cheap_hasher("sender"),
    )
    operator = add_school(kit)
    mailer.failures = 1
    kit.users.add_user(
        ADMIN,
        application="facet",
        at=L00,
        login_name="22AB.N.Nieuw",
        first_name="Nina",
        last_name="Nieuw",
        email="nina@school.nl",
    )
    assert [] == [message for message in mailer.outbox if "nina@school.nl" in message.to]
    assert 1 == len(kit.mail_queue.waiting(operator).items)
    clock.advance(minutes=2)
    config = PortalConfig(base_url=ORIGIN, token_key=TOKEN_KEY, database="unused", mail_every=0.05)
    app = create_app(kit, config)
    async with app.router.lifespan_context(app):
        with anyio.fail_after(5):
            while not any("nina@school.nl" in message.to for message in mailer.outbox):
                await anyio.sleep(0.02)
    assert 0 == len(kit.mail_queue.waiting(operator).items)
    backend.close()


@pytest.mark.req("WEB-1")
@pytest.mark.parametrize("variable", ["EXAMKIT_PORTAL_MAIL_EVERY", "EXAMKIT_PORTAL_PURGE_EVERY"])
@pytest.mark.parametrize("every", ["-1", "soon", "90000"])
def test_an_unusable_job_interval_is_a_clear_configuration_error(variable: str, every: str) -> None:
    environ = {"EXAMKIT_PORTAL_TOKEN_KEY": "ab" * 32, variable: every}
    with pytest.raises(ConfigurationError) as refused:
        PortalConfig.from_environment(environ)
    assert ("config.interval.invalid", variable) == (
        refused.value.code,
        refused.value.field,
    )
    assert every in refused.value.message("en")


@pytest.mark.req("WEB-1")
@pytest.mark.parametrize("systems", ["", "facet,smartschool", " , "])
def test_an_unknown_system_to_sign_in_to_is_a_clear_configuration_error(systems: str) -> None:
    environ = {"EXAMKIT_PORTAL_TOKEN_KEY": "ab" * 32, "EXAMKIT_PORTAL_APPLICATIONS": systems}
    with pytest.raises(ConfigurationError) as refused:
        PortalConfig.from_environment(environ)
    assert ("config.systems.unknown", "EXAMKIT_PORTAL_APPLICATIONS") == (
        refused.value.code,
        refused.value.field,
    )


def test_the_portal_signs_in_to_facet_cito_and_the_desk_by_default() -> None:
    config = PortalConfig.from_environment({"EXAMKIT_PORTAL_TOKEN_KEY": "ab" * 32})
    assert ("facet", "cito_lvs", "examkit") == config.applications

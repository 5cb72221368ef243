"""The portal's configuration, read from the environment once at start-up."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Final
from urllib.parse import urlsplit

import attrs

from examkit.errors import ConfigurationError
from examkit.permissions import MATRIX
from examkit.ports import PortalPaths
from examkit.privacy import PrivacySettings
from examkit.scheduling import SittingRules


def _key(text: str) -> bytes:
    try:
        key = bytes.fromhex(text)
    except ValueError:
        raise ConfigurationError("config.token_key.too_short", field="token_key") from None
    return key


def _pseudonym_key(text: str) -> bytes | None:
    if not text:
        return None
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = b""
    if len(key) < 32:  # PrivacySettings' own minimum
        raise ConfigurationError(
            "config.invalid",
            field="EXAMKIT_PORTAL_PSEUDONYM_KEY",
            reason="hexadecimal, at least 32 bytes",
        )
    return key


PATHS: Final = PortalPaths(
    sign_in="/sign-in",
    reset="/sign-in/reset",
    email_confirm="/profile/email/confirm",
    invitation="/invitations/{token}",
)
"""The portal's pages that examkit's e-mails link to: give them to the kit it embeds
(``Settings(..., paths=PATHS)``)."""


def _seconds(text: str, field: str = "EXAMKIT_PORTAL_MAIL_EVERY") -> float:
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= 86400:
        raise ConfigurationError("config.interval.invalid", field=field, value=text)
    return seconds


def _systems(text: str) -> tuple[str, ...]:
    codes = tuple(code.strip() for code in text.split(",") if code.strip())
    unknown = [code for code in codes if code not in MATRIX.systems]
    if not codes or unknown:
        raise ConfigurationError(
            "config.systems.unknown", field="EXAMKIT_PORTAL_APPLICATIONS", value=text
        )
    return codes


def _station(env: Mapping[str, str]) -> str:
    """Return the offline server's store of ``EXAMKIT_PORTAL_MODE=offline``, else empty."""
    mode = env.get("EXAMKIT_PORTAL_MODE", "central")
    if mode not in {"central", "offline"}:
        raise ConfigurationError(
            "config.invalid", field="EXAMKIT_PORTAL_MODE", reason=f"{mode!r}: central or offline"
        )
    station = env.get("EXAMKIT_PORTAL_STATION", "") if mode == "offline" else ""
    if mode == "offline" and not Path(station).is_file():
        raise ConfigurationError(
            "config.invalid",
            field="EXAMKIT_PORTAL_STATION",
            reason=f"{station!r} is no offline server's store (examkit offline init makes one)",
        )
    return station


@attrs.frozen
class PortalConfig:
    """Where the portal keeps its data, its address, its key, and whom it trusts."""

    base_url: str
    """The portal's public address (``https://portal.school.nl``): links and the Origin check."""
    token_key: bytes = attrs.field(repr=False)
    """examkit's token key (at least 32 bytes)."""
    database: str
    """A SQLAlchemy URL: a SQLite file for one process, PostgreSQL for several."""
    applications: tuple[str, ...] = ("facet", "cito_lvs", "examkit")
    """The systems staff sign in to here, the first the default (``facet``, ``cito_lvs``,
    ``examkit`` for the service desk, ...): with more than one, the sign-in page asks which."""
    trusted_proxy: str | None = None
    """The address of the one reverse proxy whose ``X-Forwarded-For`` is believed."""
    secure_cookies: bool = True
    """``Secure`` and the ``__Host-`` prefix on cookies (off only for plain-http development)."""
    mail_every: float = 60.0
    """Seconds between two runs of the outbox's sender (0: this process sends no due e-mail)."""
    purge_every: float = 86400.0
    """Seconds between two runs of the retention jobs (0: this process runs none; then run
    ``examkit privacy purge`` from cron)."""
    grace_seconds: float = 0.0
    """Seconds after a candidate's deadline that their saves are still taken (the exam day)."""
    connection_lost_seconds: float = 20.0
    """Seconds without a sign of a candidate's page after which their connection counts as
    lost (they may sign in again; the monitor shows it)."""
    pseudonym_key: bytes | None = attrs.field(default=None, repr=False)
    """The key of the pseudonyms an erasure leaves in the audit log (at least 32 bytes,
    apart from the token key); ``None``: erasure is refused until one is set."""
    station: str = ""
    """On an offline server (``EXAMKIT_PORTAL_MODE=offline``): the station's store, the SQLite
    file ``examkit offline init`` made (``EXAMKIT_PORTAL_STATION``); empty: the central portal."""

    @property
    def privacy(self) -> PrivacySettings:
        """The kit's privacy settings (``Settings(privacy=config.privacy)``): the pseudonym key."""
        return PrivacySettings(pseudonym_key=self.pseudonym_key)

    @property
    def offline(self) -> bool:
        """Whether this portal runs on an offline server (the exam-day screens only)."""
        return bool(self.station)

    @property
    def beat_seconds(self) -> float:
        """How often the player's page sends its heartbeat, in seconds."""
        return self.sitting.contact_every.total_seconds()

    @property
    def sitting(self) -> SittingRules:
        """The exam day's rules for the kit (``Settings(sitting=config.sitting)``).

        A page's heartbeat is stored every five seconds, or four times within
        the lost-connection time where that is shorter (the player beats as
        often: :attr:`beat_seconds`).

        Raises:
            ConfigurationError: the periods are unusable (``sessions.rules.*``).
        """
        lost = timedelta(seconds=self.connection_lost_seconds)
        return SittingRules(
            grace=timedelta(seconds=self.grace_seconds),
            connection_lost_after=lost,
            contact_every=min(timedelta(seconds=5), lost / 4),
        )

    @property
    def origin(self) -> str:
        """The scheme, host and port of :attr:`base_url`: what a same-site request's Origin is."""
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}"

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> PortalConfig:
        """Read ``EXAMKIT_PORTAL_*`` from the environment (a SQLite file here by default).

        Raises:
            ConfigurationError: the token key is missing or unusable.
        """
        env = os.environ if environ is None else environ
        key = env.get("EXAMKIT_PORTAL_TOKEN_KEY", "")
        if not key:
            raise ConfigurationError("config.token_key.too_short", field="token_key")
        base_url = env.get("EXAMKIT_PORTAL_BASE_URL", "http://127.0.0.1:8000")
        station = _station(env)
        database = (
            f"sqlite:///{Path(station).resolve()}"
            if station
            else env.get(
                "EXAMKIT_PORTAL_DATABASE", f"sqlite:///{Path('examkit-portal.db').resolve()}"
            )
        )
        return cls(
            base_url=base_url,
            token_key=_key(key),
            database=database,
            applications=_systems(env.get("EXAMKIT_PORTAL_APPLICATIONS", "facet,cito_lvs,examkit")),
            trusted_proxy=env.get("EXAMKIT_PORTAL_TRUSTED_PROXY") or None,
            secure_cookies=urlsplit(base_url).scheme == "https",
            mail_every=_seconds(env.get("EXAMKIT_PORTAL_MAIL_EVERY", "60")),
            purge_every=_seconds(
                env.get("EXAMKIT_PORTAL_PURGE_EVERY", "86400"), "EXAMKIT_PORTAL_PURGE_EVERY"
            ),
            grace_seconds=_seconds(
                env.get("EXAMKIT_PORTAL_GRACE_SECONDS", "0"), "EXAMKIT_PORTAL_GRACE_SECONDS"
            ),
            connection_lost_seconds=_seconds(
                env.get("EXAMKIT_PORTAL_CONNECTION_LOST_SECONDS", "20"),
                "EXAMKIT_PORTAL_CONNECTION_LOST_SECONDS",
            ),
            pseudonym_key=_pseudonym_key(env.get("EXAMKIT_PORTAL_PSEUDONYM_KEY", "")),
            station=station,
        )

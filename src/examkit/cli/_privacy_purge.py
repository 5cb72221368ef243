"""``examkit privacy purge``: run the retention jobs once, for a cron line (PRIV-4).

Removes from the portal's database everything past its retention term and
prints one line of what went per term (JSON with ``--json``); exit status 0.
The database is ``--db`` or the environment variable :data:`DATABASE_ENV`
(a cron line need not show a password); its schema is the portal's to
migrate, never this command's. The portal's own periods are given with
``--retention TERM=PERIOD`` (``pupil=2y``, ``exam_work=6m``, ``sign_in=30d``,
``results=1y6m``), as the portal sets them in ``PrivacySettings.retention``::

    15 3 * * *  EXAMKIT_DB=postgresql+psycopg://... examkit privacy purge --retention pupil=2y
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from typing import Final

from examkit.cli._common import EXIT_OK, print_json
from examkit.errors import InvalidInput
from examkit.ports import Message
from examkit.privacy import PrivacySettings, RetentionPeriod, retention_period, retention_term

DATABASE_ENV: Final = "EXAMKIT_DB"
"""The environment variable holding the database's URL when ``--db`` is not given."""

_PERIOD: Final = re.compile(r"(?:(\d{1,3})y)?(?:(\d{1,4})m)?(?:(\d{1,5})d)?")


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``examkit privacy purge``."""
    parser.description = (
        "Remove everything past its retention term from the portal's database (the retention "
        "jobs, PRIV-4) and print what went per term."
    )
    parser.add_argument(
        "--db", help=f"the database's SQLAlchemy URL (default: the environment's {DATABASE_ENV})"
    )
    parser.add_argument(
        "--retention",
        action="append",
        default=[],
        metavar="TERM=PERIOD",
        help="the portal's own period of a term (1y6m, 6m, 30d), repeatable",
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.set_defaults(handler=purge_command)


def parse_period(text: str, field: str = "--retention") -> RetentionPeriod:
    """Return the period *text* writes as years, months and days (``1y6m``, ``30d``, ``0d``).

    *field* is the option it came from, named in the error.

    >>> parse_period("1y6m")
    RetentionPeriod(years=1, months=6, days=0)

    Raises:
        InvalidInput: ``privacy.retention.period``: not such a period.
    """
    found = _PERIOD.fullmatch(text)
    if not text or found is None:
        raise InvalidInput("privacy.retention.period", field=field, value=text[:40])
    years, months, days = (int(part) if part else 0 for part in found.groups())
    return RetentionPeriod(years=years, months=months, days=days)


def parse_retention(values: list[str]) -> PrivacySettings:
    """Return the privacy settings the ``--retention TERM=PERIOD`` options give.

    Raises:
        InvalidInput: ``privacy.retention.option``: not ``TERM=PERIOD``, or no such term;
            ``privacy.retention.period``: not a period.
    """
    periods: dict[str, RetentionPeriod] = {}
    for value in values:
        term, sep, period = value.partition("=")
        try:
            retention_term(term)
        except KeyError:
            sep = ""
        if not sep:
            raise InvalidInput("privacy.retention.option", field="--retention", value=value[:60])
        periods[term] = parse_period(period)
    settings = PrivacySettings(retention=periods)
    for term in periods:
        retention_period(settings, term)
    return settings


class _NoMail:
    """The retention jobs send no e-mail; were one sent, it would be said on stderr."""

    def send(self, message: Message) -> None:
        sys.stderr.write(f"examkit: the retention jobs send no e-mail ({message.kind})\n")


def purge_command(args: argparse.Namespace) -> int:
    """Run ``examkit privacy purge``.

    Implements PRIV-4.
    """
    from examkit import Examkit, Settings
    from examkit.backends.sql import SQLBackend
    from examkit.randomness import SystemSecretSource

    url = args.db or os.environ.get(DATABASE_ENV)
    if not url:
        raise InvalidInput("privacy.retention.database", field="--db", variable=DATABASE_ENV)
    privacy = parse_retention(args.retention)
    backend = SQLBackend(url, migrate=False)
    try:
        kit = Examkit(
            backend=backend,
            mailer=_NoMail(),
            # the jobs issue no token and send no link: a key of this process alone
            settings=Settings(
                token_key=SystemSecretSource().token_bytes(32),
                base_url="http://127.0.0.1",
                privacy=privacy,
            ),
        )
        report = kit.privacy_retention.purge()
    finally:
        backend.close()
    if args.json:
        print_json(report.as_json())
    else:
        sys.stdout.write(report.summary() + "\n")
    return EXIT_OK

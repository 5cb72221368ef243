"""``python -m portal serve`` runs the portal; ``python -m portal setup`` makes the first operator.

Configuration comes from the environment (:class:`~portal.PortalConfig`).
Mail goes to the SMTP server named by ``EXAMKIT_PORTAL_SMTP_HOST`` (and
``_PORT``, ``_SECURITY``, ``_SENDER``, ``_USERNAME``, ``_PASSWORD``); without
one, in development, each e-mail is printed on the terminal.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from examkit import Examkit, Settings
from examkit.backends.sql import SQLBackend
from examkit.errors import ConfigurationError, ExamkitError
from examkit.permissions import MATRIX
from examkit.ports import Mailer, Message
from examkit.smtp import SmtpMailer, SmtpSettings
from portal._config import PATHS, PortalConfig
from portal._entree_config import (
    identity_providers_from_environment,
    link_policy_from_environment,
)


class TerminalMailer:
    """Development only: prints each e-mail instead of sending it."""

    def send(self, message: Message) -> None:
        """Print *message*."""
        head = f"--- e-mail {message.kind} to {', '.join(message.to)}"
        print(f"{head}\n{message.subject}\n\n{message.body}\n---")


def mailer_from_environment() -> Mailer:
    """Return the SMTP mailer the environment names, else the terminal's."""
    host = os.environ.get("EXAMKIT_PORTAL_SMTP_HOST")
    if not host:
        return TerminalMailer()
    port = os.environ.get("EXAMKIT_PORTAL_SMTP_PORT", "")
    if port and not port.isdigit():
        raise ConfigurationError("config.smtp.port", field="EXAMKIT_PORTAL_SMTP_PORT", value=port)
    security = os.environ.get("EXAMKIT_PORTAL_SMTP_SECURITY", "starttls")
    settings = SmtpSettings(
        host=host,
        security=security,  # type: ignore[arg-type]  # SmtpSettings checks it
        **({"port": int(port)} if port else {}),
        sender=os.environ.get("EXAMKIT_PORTAL_SMTP_SENDER", f"noreply@{host}"),
        username=os.environ.get("EXAMKIT_PORTAL_SMTP_USERNAME"),
        password=os.environ.get("EXAMKIT_PORTAL_SMTP_PASSWORD"),
    )
    return SmtpMailer(settings)


def build_kit(config: PortalConfig, mailer: Mailer) -> Examkit:
    """Return the one kit of this process over the configured database (migrated)."""
    return Examkit(
        backend=SQLBackend(config.database),
        mailer=mailer,
        settings=Settings(
            token_key=config.token_key,
            base_url=config.base_url,
            paths=PATHS,
            sitting=config.sitting,
            privacy=config.privacy,
        ),
        identity_providers=identity_providers_from_environment(config),
        link_policy=link_policy_from_environment(),
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; print an error's message (never a traceback) and return 2 on one."""
    parser = argparse.ArgumentParser(prog="python -m portal")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the portal")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    demo = commands.add_parser("demo", help="serve the demo on a fresh SQLite file")
    demo.add_argument("--port", type=int, default=8000)
    setup = commands.add_parser("setup", help="make the service desk's first account")
    for name in ("login-name", "first-name", "last-name", "email"):
        setup.add_argument(f"--{name}", required=True)
    args = parser.parse_args(argv)
    if args.command == "demo":
        return serve_demo(args.port)
    try:
        config = PortalConfig.from_environment()
        if config.offline and args.command == "serve":
            return serve_offline(config, args.host, args.port)
        kit = build_kit(config, mailer_from_environment())
        if args.command == "setup":
            operator = kit.grants.create_first_operator(
                login_name=args.login_name,
                first_name=args.first_name,
                last_name=args.last_name,
                email=args.email,
            )
            print(
                f"The service desk's first account is {operator.login_name}. Its initial "
                f"password was e-mailed to {operator.email}; sign in at {config.base_url}/sign-in "
                "with it, choose a password of your own and enter the e-mailed code."
            )
            return 0
        import uvicorn

        from portal._app import create_app

        # One line per request from the portal itself (portal.access: a request id, the
        # route's pattern, nothing personal), in place of uvicorn's (address and full path).
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
        uvicorn.run(create_app(kit, config), host=args.host, port=args.port, access_log=False)
    except ExamkitError as error:
        print(f"portal: {error.message('en')}", file=sys.stderr)
        return 2
    return 0


def serve_offline(config: PortalConfig, host: str, port: int) -> int:
    """Serve the offline server's exam-day screens (no sync: ``examkit offline serve`` syncs)."""
    import uvicorn

    from portal._offline_mode import build_station_kit, create_offline_app

    kit, server = build_station_kit(config, mailer_from_environment())
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    uvicorn.run(
        create_offline_app(kit, config, server=server), host=host, port=port, access_log=False
    )
    return 0


def serve_demo(port: int) -> int:
    """Seed a fresh demo, print its address and accounts, serve it until Ctrl-C."""
    import uvicorn

    from portal._demo import DEMO_PASSWORD, demo_app
    from portal._demo_examday import exam_day_printout

    print("Preparing the demo (a school, a user per role, an imported EDEXML file)...")
    demo = demo_app(Path.cwd(), port=port)
    origin = demo.origin
    print(f"\nThe portal: {origin}/sign-in   the mailbox (one-time codes): {origin}/dev/mailbox")
    print(f"Every account's password: {DEMO_PASSWORD}; choose its system at sign-in.")
    for account in demo.accounts:
        system = MATRIX.system(MATRIX.role(account.role).application).label("en")
        print(f"  {account.login_name:<22} {account.role:<28} {system}")
    print(f"An EDEXML file to try the import with (as 22AB.K.Beheerder): {demo.update}")
    print(exam_day_printout(demo.kit))
    offline = demo.offline
    print(
        f"An offline exam day ran on the offline server {offline.server} without internet and "
        f"was synchronised after closing: see {origin}/planning/servers/{offline.server} "
        f"(as 22AB.P.Planner) and its group {origin}/planning/groups/{offline.group}.\n"
        f"  Sync it again: EXAMKIT_OFFLINE_CREDENTIAL={offline.credential} "
        f"examkit offline sync --store {offline.store}\n"
        f"  Its own portal: EXAMKIT_PORTAL_MODE=offline EXAMKIT_PORTAL_STATION={offline.store} "
        "EXAMKIT_PORTAL_TOKEN_KEY=<64 hex digits> EXAMKIT_PORTAL_BASE_URL=http://127.0.0.1:8001 "
        "python -m portal serve --port 8001"
    )
    print("Ctrl-C stops it.\n")
    uvicorn.run(demo.app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())

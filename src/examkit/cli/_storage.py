"""``examkit storage``: run the storage server (``serve``), make its service tokens (``token``)."""

from __future__ import annotations

import argparse
import os
import socket
from pathlib import Path
from typing import TYPE_CHECKING

from examkit.cli._common import EXIT_OK, add_input, print_json, read_json
from examkit.errors import ConfigurationError

if TYPE_CHECKING:
    from examkit.backends.http import StorageServer
    from examkit.backends.sql import SQLBackend

TOKENS_ENV = "EXAMKIT_STORAGE_TOKENS"
"""The environment variable naming the server's token file when ``--tokens`` is not given."""


def configure(group: argparse.ArgumentParser) -> None:
    """Add the subcommands of the ``storage`` command group."""
    sub = group.add_subparsers(dest="storage_command", required=True, metavar="COMMAND")
    serve = sub.add_parser(
        "serve",
        help="serve a database's storage over HTTP (the HTTP backend's server)",
        description="Serve the storage of the database at --db over HTTP with uvicorn, for "
        "HttpBackend clients authenticated by the service tokens of --tokens. Put it behind "
        "a TLS-terminating proxy, or pass --ssl-certfile and --ssl-keyfile.",
    )
    serve.add_argument("--db", required=True, help="the database's SQLAlchemy URL")
    add_input(
        serve,
        "--tokens",
        help=f"the token file (JSON with the tokens' digests; default: ${TOKENS_ENV})",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=int, default=8780, help="port to listen on")
    serve.add_argument("--ssl-certfile", help="TLS certificate (PEM) to serve HTTPS with")
    serve.add_argument("--ssl-keyfile", help="TLS private key (PEM)")
    serve.add_argument(
        "--key-retention",
        metavar="PERIOD",
        help="how long a commit's idempotency key is kept (7d, 1m; at least a day; default: "
        "the idempotency retention term's period, a week)",
    )
    serve.set_defaults(handler=serve_command)
    token = sub.add_parser(
        "token",
        help="make a service token and the entry of the token file that accepts it",
        description="Print a new service token and its token-file entry (the token's SHA-256 "
        "digest, never the token) as JSON. Give the token to the client (its secret store) "
        "and add the entry to the server's token file; keep both entries while rotating.",
    )
    token.add_argument("--id", required=True, help="the token's name (in logs, never secret)")
    token.add_argument("--access", choices=("read", "write"), default="read")
    token.add_argument(
        "--kinds",
        default="*",
        help="comma-separated record kinds it may touch (default: * for every kind)",
    )
    token.set_defaults(handler=token_command)


def token_command(args: argparse.Namespace) -> int:
    """Run ``examkit storage token``.

    Implements PLAT-3.
    """
    from examkit.backends.http import ServiceToken, new_token
    from examkit.randomness import SystemSecretSource

    token = new_token(SystemSecretSource())
    kinds = [kind.strip() for kind in args.kinds.split(",") if kind.strip()]
    entry = ServiceToken.of(args.id, token, access=args.access, kinds=kinds)
    print_json({"token": token, "entry": entry.as_json()})
    return EXIT_OK


def storage_server(args: argparse.Namespace) -> tuple[StorageServer, SQLBackend]:
    """Return the storage server ``examkit storage serve`` runs, and its database.

    The options are checked before the database is opened.

    Raises:
        ConfigurationError: ``http.tokens.invalid``: no usable token file;
            ``http.key_retention.too_short``: ``--key-retention`` under a day.
        InvalidInput: ``privacy.retention.period``: ``--key-retention`` is no period.

    Implements PLAT-3 and PRIV-4.
    """
    from examkit.backends.http import (
        SERVER_RECORDS,
        ServiceTokens,
        StorageServer,
        check_key_retention,
    )
    from examkit.backends.sql import SQLBackend
    from examkit.cli._privacy_purge import parse_period

    path = args.tokens or (Path(os.environ[TOKENS_ENV]) if os.environ.get(TOKENS_ENV) else None)
    if path is None:
        raise ConfigurationError("http.tokens.invalid", reason=f"give --tokens or ${TOKENS_ENV}")
    tokens = ServiceTokens.from_json(read_json(path))
    key_retention = None
    if args.key_retention is not None:
        period = parse_period(args.key_retention, field="--key-retention")
        key_retention = check_key_retention(period, field="--key-retention")
    backend = SQLBackend(args.db, records=SERVER_RECORDS)
    try:
        return StorageServer(backend, tokens, key_retention=key_retention), backend
    except BaseException:
        backend.close()
        raise


def serve_command(args: argparse.Namespace) -> int:  # pragma: no cover - runs until stopped
    """Run ``examkit storage serve`` until interrupted.

    Implements PLAT-3.
    """
    import uvicorn

    server, backend = storage_server(args)
    listening = socket.socket(socket.AF_INET6 if ":" in args.host else socket.AF_INET)
    listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listening.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # no Nagle delay per answer
    listening.bind((args.host, args.port))
    config = uvicorn.Config(
        server, lifespan="off", ssl_certfile=args.ssl_certfile, ssl_keyfile=args.ssl_keyfile
    )
    try:
        uvicorn.Server(config).run(sockets=[listening])
    finally:
        server.close()
        backend.close()
    return EXIT_OK

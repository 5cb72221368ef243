"""The HTTP backend (extra ``http``): the storage port over HTTP, and the storage server.

:class:`HttpBackend` is a backend like any other (``Examkit(backend=HttpBackend(url,
token=...))``) whose units of work are transactions of a :class:`StorageServer`'s
backend; the server is an ASGI application over any examkit backend, run
with ``examkit storage serve`` or mounted in any ASGI application. The wire
protocol is described on the storage page of the docs ("The HTTP backend").

>>> from examkit.backends.memory import MemoryBackend
>>> token = "eks1.demo-only-not-a-secret"
>>> server = StorageServer(MemoryBackend(), [ServiceToken.of("demo", token, access="write")])
>>> transport = InProcessTransport(server)
>>> backend = HttpBackend("http://storage", token=token, transport=transport)
>>> with backend.begin(readonly=True) as uow:
...     uow.institutions.list().items
()
>>> backend.close(); transport.close(); server.close()
"""

try:
    import httpx  # noqa: F401
    import starlette  # noqa: F401
except ImportError as missing:  # pragma: no cover - depends on the installation
    raise ModuleNotFoundError(
        "examkit.backends.http needs the 'http' extra: pip install examkit[http]"
        f" ({missing.name} is not installed)",
        name=missing.name,
    ) from missing

from examkit.backends.http._client import HttpBackend, HttpTransaction
from examkit.backends.http._serve import ServerThread
from examkit.backends.http._server import StorageServer, check_key_retention
from examkit.backends.http._tokens import (
    REDACTED,
    SECRET_KINDS,
    TOKEN_PREFIX,
    ServiceToken,
    ServiceTokens,
    digest_of,
    new_token,
)
from examkit.backends.http._transport import InProcessTransport
from examkit.backends.http._units import COMMITS, SERVER_RECORDS, CommitEntry
from examkit.backends.http._wire import PATH, PROTOCOL, error_body, error_from

__all__ = [
    "COMMITS",
    "PATH",
    "PROTOCOL",
    "REDACTED",
    "SECRET_KINDS",
    "SERVER_RECORDS",
    "TOKEN_PREFIX",
    "CommitEntry",
    "HttpBackend",
    "HttpTransaction",
    "InProcessTransport",
    "ServerThread",
    "ServiceToken",
    "ServiceTokens",
    "StorageServer",
    "check_key_retention",
    "digest_of",
    "error_body",
    "error_from",
    "new_token",
]

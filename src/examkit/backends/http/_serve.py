"""Running the storage server with uvicorn: in the foreground, or in a thread on loopback."""

from __future__ import annotations

import socket
import threading
import time
from typing import Any

from examkit.errors import StorageError


class ServerThread:
    """An ASGI application served by uvicorn in a background thread (tests, benchmarks).

    Bound to *host* on a free port (or *port*); :attr:`url` is its address
    once :meth:`start` returns; :meth:`stop` shuts it down.

    Args:
        app: The ASGI application (a :class:`~examkit.backends.http.StorageServer`).
        host: The address to listen on (loopback by default).
        port: The port (0: a free one).
    """

    def __init__(self, app: Any, *, host: str = "127.0.0.1", port: int = 0) -> None:
        import uvicorn

        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._socket.bind((host, port))
        self.url = f"http://{host}:{self._socket.getsockname()[1]}"
        """The server's address."""
        config = uvicorn.Config(app, lifespan="off", log_level="warning", access_log=False)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run,
            kwargs={"sockets": [self._socket]},
            name="examkit-uvicorn",
            daemon=True,
        )

    def start(self, *, timeout: float = 10.0) -> ServerThread:
        """Start serving; return once the server accepts connections.

        Raises:
            StorageError: ``http.unavailable``: it did not start within *timeout* seconds.
        """
        self._thread.start()
        waited = 0.0
        while not self._server.started:
            if waited > timeout or not self._thread.is_alive():
                raise StorageError("http.unavailable")
            time.sleep(0.01)
            waited += 0.01
        return self

    def stop(self) -> None:
        """Stop serving and wait for the thread."""
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._socket.close()

    def __enter__(self) -> ServerThread:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

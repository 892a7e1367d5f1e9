"""The local web view: ``archive serve`` (standard library only: wsgiref with threads)."""

from __future__ import annotations

import os
from collections.abc import Callable
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from ..api import Archive
from ..errors import ArchiveError
from .app import WebApp

__all__ = ["WebApp", "create_server", "serve"]


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    """A WSGI server answering each request in its own thread."""

    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    """A request handler that does not log every request on stderr."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        return


def create_server(index_path: str | os.PathLike[str], host: str = "127.0.0.1", port: int = 8080) -> WSGIServer:
    """A server for the web view of the index at ``index_path`` (not started yet).

    The index must exist; port 0 picks any free port (see ``server.server_port``).
    """
    archive = Archive(index_path)  # a clear error now rather than on every page; kept open for every page
    try:
        return make_server(host, port, WebApp(archive), server_class=_ThreadingServer, handler_class=_QuietHandler)
    except OSError as error:
        raise ArchiveError(f"cannot listen on {host}:{port}: {error.strerror or error}") from error


def serve(
    index_path: str | os.PathLike[str], *, host: str = "127.0.0.1", port: int = 8080,
    announce: Callable[[str], None] = print,
) -> None:
    """Serve the web view until Ctrl-C."""
    server = create_server(index_path, host, port)
    shown = f"[{host}]" if ":" in host else host
    announce(f"Serving {index_path} at http://{shown}:{server.server_port}/ (Ctrl-C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        announce("Stopped.")
    finally:
        server.server_close()

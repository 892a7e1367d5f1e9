"""A running web view for tests: a server on a free port in a background thread."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def running_server(index: Path) -> Iterator[str]:
    """Serve the index on 127.0.0.1 and a free port; yields the base URL."""
    from archive.web import create_server

    server = create_server(index, port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()

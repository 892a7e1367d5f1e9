"""archive: a searchable news archive for the shell.

Scripts use the library API::

    from archive import Archive, Filters, ingest, search
    ingest(["corpus/"], index_path="index")
    with Archive("index") as archive:
        print(archive.search("ceasefire").total)

The ``archive`` command is a thin Click layer over it. The names are loaded from
:mod:`archive.api` on first use, so importing the package costs nothing.
"""

from __future__ import annotations

__version__ = "0.1.0"


def __getattr__(name: str) -> object:  # no "typing" import: the console script's client loads this module
    """The library API's names (``archive.api.__all__``), imported on first use."""
    import importlib

    api = importlib.import_module("archive.api")
    if name in api.__all__:
        return getattr(api, name)
    raise AttributeError(f"module 'archive' has no attribute {name!r}")

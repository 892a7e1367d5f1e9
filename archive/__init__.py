"""archive: a searchable news archive for the shell.

Scripts use the library API (``from archive import ingest, search, extract``); the ``archive``
command is a thin Click layer over it.
"""

__version__ = "0.1.0"

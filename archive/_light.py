"""Import Whoosh without the modules it loads but never uses on our paths.

Whoosh-Reloaded's ``whoosh.query.terms`` imports ``whoosh.lang.morph_en`` (a large table, for
the rarely used Variations query), ``whoosh.compat`` imports ``urllib.request`` (for a download helper) and
``whoosh.reading`` imports the ``cached_property`` package, which imports ``asyncio``:
together about half of the time ``archive search`` spends importing. :func:`import_whoosh`
imports Whoosh with stand-ins for those two modules, then removes the stand-ins from
``sys.modules``, so any later ``import urllib.request`` or ``import cached_property`` gets
the real module. The stand-in ``urlretrieve`` imports the real one when called;
``cached_property`` is the standard library's :class:`functools.cached_property`.

It also makes opening a segment cheap: Whoosh's ``BufferFile`` (a file inside a
memory-mapped compound segment) copied its whole buffer into a ``BytesIO`` when opened, which
for the stored-fields and postings files of a large segment is most of the time spent opening
the index (about 65 ms at 10k articles). :func:`_lazy_buffer_files` gives it instead a
read-only stream over the same memory (:class:`MemoryStream`), created on first use: nothing
is copied but the bytes actually read.
"""

from __future__ import annotations

import functools
import sys
import types
from typing import Any

STAND_INS = ("urllib.request", "cached_property")


def _urlretrieve(*args: Any, **kwargs: Any) -> Any:
    """``urllib.request.urlretrieve``, imported on first use."""
    import importlib

    return importlib.import_module("urllib.request").urlretrieve(*args, **kwargs)


def _variations(*args: Any, **kwargs: Any) -> Any:
    """``whoosh.lang.morph_en.variations`` (a 30 ms import), imported on first use."""
    import importlib

    return importlib.import_module("whoosh.lang.morph_en").variations(*args, **kwargs)


def import_whoosh() -> None:
    """Import the Whoosh modules archive uses, without ``urllib.request`` and ``asyncio``."""
    if "whoosh.reading" in sys.modules:
        return
    installed = []
    if "urllib.request" not in sys.modules:
        request = types.ModuleType("urllib.request")
        request.urlretrieve = _urlretrieve  # type: ignore[attr-defined]
        sys.modules["urllib.request"] = request
        installed.append("urllib.request")
    if "cached_property" not in sys.modules:
        package = types.ModuleType("cached_property")
        package.cached_property = functools.cached_property  # type: ignore[attr-defined]
        sys.modules["cached_property"] = package
        installed.append("cached_property")
    if "whoosh.lang.morph_en" not in sys.modules:  # only the Variations query uses it
        morph = types.ModuleType("whoosh.lang.morph_en")
        morph.variations = _variations  # type: ignore[attr-defined]
        sys.modules["whoosh.lang.morph_en"] = morph
        installed.append("whoosh.lang.morph_en")
    try:
        _lazy_buffer_files()
        import whoosh.index  # noqa: F401
        import whoosh.highlight  # noqa: F401
        import whoosh.qparser  # noqa: F401
        import whoosh.query  # noqa: F401
        import whoosh.reading  # noqa: F401
    finally:
        for name in installed:
            sys.modules.pop(name, None)
        lang = sys.modules.get("whoosh.lang")
        if lang is not None and getattr(getattr(lang, "morph_en", None), "variations", None) is _variations:
            del lang.morph_en
        urllib = sys.modules.get("urllib")
        if urllib is not None and "urllib.request" in installed and isinstance(getattr(urllib, "request", None), types.ModuleType):
            if getattr(urllib.request, "urlretrieve", None) is _urlretrieve:
                del urllib.request


def _lazy_buffer_files() -> None:
    """Make ``whoosh.filedb.structfile.BufferFile`` create its stream copy on first use."""
    from whoosh.filedb import structfile

    cls = structfile.BufferFile
    if getattr(cls, "_archive_lazy", False):
        return

    def __init__(self: Any, buf: Any, name: Any = None, onclose: Any = None) -> None:
        self._buf = buf
        self._name = name
        self.onclose = onclose
        self.is_real = False
        self.is_closed = False

    def _stream(self: Any) -> MemoryStream:
        return MemoryStream(self._buf)

    stream = functools.cached_property(_stream)
    stream.__set_name__(cls, "file")
    cls.__init__ = __init__  # type: ignore[method-assign]
    cls.file = stream  # type: ignore[attr-defined]
    cls._archive_lazy = True  # type: ignore[attr-defined]


class MemoryStream:
    """A read-only binary stream over a buffer (a memory map's view), copying only what is read.

    It offers what Whoosh reads files with: ``read``, ``readline``, ``readinto``, ``seek``,
    ``tell``, iteration and ``close``.
    """

    def __init__(self, buffer: Any) -> None:
        self._view = memoryview(buffer).cast("B")
        self._position = 0

    def read(self, size: int | None = -1) -> bytes:
        """Up to ``size`` bytes from the current position (all the rest when negative)."""
        start = self._position
        end = len(self._view) if size is None or size < 0 else min(len(self._view), start + size)
        self._position = max(start, end)
        return bytes(self._view[start:end])

    def readinto(self, target: Any) -> int:
        """Fill ``target`` from the current position; returns the number of bytes read."""
        data = self.read(len(memoryview(target).cast("B")))
        memoryview(target).cast("B")[: len(data)] = data
        return len(data)

    def readline(self, size: int | None = -1) -> bytes:
        """One line, up to and including its newline."""
        view, start = self._view, self._position
        limit = len(view) if size is None or size < 0 else min(len(view), start + size)
        end = start
        while end < limit:
            end += 1
            if view[end - 1] == 10:
                break
        self._position = end
        return bytes(view[start:end])

    def __iter__(self) -> Any:
        while True:
            line = self.readline()
            if not line:
                return
            yield line

    def seek(self, offset: int, whence: int = 0) -> int:
        """Move to ``offset`` from the start (0), the current position (1) or the end (2)."""
        base = (0, self._position, len(self._view))[whence]
        self._position = max(0, base + offset)
        return self._position

    def tell(self) -> int:
        """The current position."""
        return self._position

    def close(self) -> None:
        """Nothing to release: the memory belongs to the segment's map."""

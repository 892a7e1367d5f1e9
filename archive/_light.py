"""Import Whoosh without the modules it loads but never uses on our paths.

Whoosh-Reloaded's ``whoosh.query.terms`` imports ``whoosh.lang.morph_en`` (a large table, for
the rarely used Variations query), ``whoosh.compat`` imports ``urllib.request`` (for a download helper) and
``whoosh.reading`` imports the ``cached_property`` package, which imports ``asyncio``:
together about half of the time ``archive search`` spends importing. :func:`import_whoosh`
imports Whoosh with stand-ins for those two modules, then removes the stand-ins from
``sys.modules``, so any later ``import urllib.request`` or ``import cached_property`` gets
the real module. The stand-in ``urlretrieve`` imports the real one when called;
``cached_property`` is the standard library's :class:`functools.cached_property`.
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

"""The one switch between xxgk's plain route and its fast route.

The plain route is the one to read first: Lark parses each grammar (``Lark.parse``) and
the trees are walked (a :class:`lark.Transformer`, :func:`xxgk.layouts._engine._convert`).
The fast route runs the same LALR tables with xxgk's own driver (:mod:`xxgk._lalr`) and
remembers table shapes (the layouts' paths, the template's plans) so that a table printed
like one read before is not parsed again. Both give equal reports; the tests read the
corpus both ways and compare (``tests/test_lalr.py``). Why the fast route exists and what
it gains: ``docs/performance.md``.

The route is on by default; ``XXGK_FAST=0`` in the environment (read at import, so it
reaches batch workers too) or :func:`set_fast_path` turns it off.
"""

from __future__ import annotations

import os

__all__ = ["fast_path", "set_fast_path"]

_fast = os.environ.get("XXGK_FAST", "1").strip().lower() not in ("0", "false", "no", "off")


def fast_path() -> bool:
    """Whether the fast route is taken (see the module)."""
    return _fast


def set_fast_path(enabled: bool) -> None:
    """Take the fast route (``True``, the default) or the plain one from the next parse on,
    in this process (batch workers started afresh follow ``XXGK_FAST``)."""
    global _fast
    _fast = bool(enabled)

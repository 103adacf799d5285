"""Loading what extension packages publish under an entry point group."""

from __future__ import annotations

import importlib.metadata
import warnings
from collections.abc import Iterator
from typing import TypeVar

__all__ = ["published"]

T = TypeVar("T")


def published(group: str, kind: type[T]) -> Iterator[T]:
    """The ``kind`` objects published under entry point ``group``: each entry point names
    one, or a callable returning one. A broken or wrong one is skipped with a
    ``RuntimeWarning``, never an exception: a plugin must not break parsing."""
    for entry_point in importlib.metadata.entry_points(group=group):
        try:
            loaded = entry_point.load()
            found = loaded if isinstance(loaded, kind) else loaded()
        except Exception as exc:
            warnings.warn(f"xxgk: {group} entry point {entry_point.name!r} failed to load: "
                          f"{exc}", RuntimeWarning, stacklevel=3)
            continue
        if not isinstance(found, kind):
            warnings.warn(f"xxgk: {group} entry point {entry_point.name!r} did not yield a "
                          f"{kind.__name__} but {type(found).__name__}", RuntimeWarning,
                          stacklevel=3)
            continue
        yield found

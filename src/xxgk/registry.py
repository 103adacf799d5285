"""One registry type for what users plug in: layouts, sources, template variants, checks.

A :class:`Registry` holds named items: the built-in ones, then those published under an
entry point group (loaded once, on first use, a broken one skipped with a
``RuntimeWarning``), then those registered at run time; a later one with the same name
replaces the earlier. It is thread-safe, and :meth:`Registry.snapshot` /
:meth:`Registry.restore` carry what is registered to batch worker processes.
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

from .plugins import published

__all__ = ["Registry"]

T = TypeVar("T")


class Registry(Generic[T]):
    """Named ``kind`` items: built-ins, entry points of ``group``, then registered ones.

    ``name_of`` gives an item's name; ``check`` (optional) raises :class:`ValueError`
    for an item that cannot be used (an entry point failing it is skipped with a
    warning; :meth:`register` lets the error through).
    """

    def __init__(self, kind: type[T], group: str, builtin: Iterable[T],
                 name_of: Callable[[T], str],
                 check: Callable[[T], None] | None = None) -> None:
        self.kind = kind
        self.group = group
        self._name_of = name_of
        self._check = check
        self._items: dict[str, T] = {name_of(item): item for item in builtin}
        self._loaded = False
        self._version = 0
        self._lock = threading.RLock()  # re-entrant: an entry point may read the registry

    def _load(self) -> None:
        with self._lock:
            if self._loaded:
                return
            self._loaded = True
            for item in published(self.group, self.kind):
                if self._check is not None:
                    try:
                        self._check(item)
                    except ValueError as error:  # a plugin must not break parsing
                        warnings.warn(f"xxgk: {self.group} entry point skipped: {error}",
                                      RuntimeWarning, stacklevel=4)
                        continue
                self._items[self._name_of(item)] = item
                self._version += 1

    def register(self, item: T) -> None:
        """Add ``item``; one with the same name is replaced."""
        if not isinstance(item, self.kind):
            raise TypeError(f"expected a {self.kind.__name__}, got {type(item).__name__}")
        if self._check is not None:
            self._check(item)
        self._load()
        with self._lock:
            self._items[self._name_of(item)] = item
            self._version += 1

    def unregister(self, name: str) -> None:
        """Remove the item called ``name`` (nothing happens when there is none)."""
        self._load()
        with self._lock:
            if self._items.pop(name, None) is not None:
                self._version += 1

    def items(self) -> tuple[T, ...]:
        """Every item, in the order they were added."""
        self._load()
        with self._lock:
            return tuple(self._items.values())

    def get(self, name: str) -> T | None:
        """The item called ``name``, or ``None``."""
        self._load()
        with self._lock:
            return self._items.get(name)

    def names(self) -> tuple[str, ...]:
        """The names of the items, in order."""
        self._load()
        with self._lock:
            return tuple(self._items)

    @property
    def version(self) -> int:
        """A number that changes whenever the items change (for caches keyed on them)."""
        return self._version

    def snapshot(self) -> dict[str, T]:
        """The items in force, entry points loaded (for worker processes)."""
        self._load()
        with self._lock:
            return dict(self._items)

    def restore(self, items: dict[str, T]) -> None:
        """Put back what :meth:`snapshot` returned (entry points count as loaded)."""
        with self._lock:
            self._items = dict(items)
            self._loaded = True
            self._version += 1

"""Template variants: additions to the template grammar, registered without forking.

A variant is Lark grammar text appended to ``grammar/templates/template.lark``: it can
``%override`` a terminal (a label printed differently, e.g. ``（七）合计`` for
``（七）总计``), ``%extend`` one (one more accepted spelling) or a rule (one more row
kind, whose cells are then kept under positional column names and reported as foreign
to the template, T302). Variants come from :func:`register_template_variant` or from
the entry point group :data:`ENTRY_POINT_GROUP` (each entry point yields a
:class:`TemplateVariant` or a callable returning one); the template parser is rebuilt
with them on next use.
"""

from __future__ import annotations

import os
import threading
import warnings
from pathlib import Path

import attrs

from .plugins import published

__all__ = [
    "ENTRY_POINT_GROUP",
    "TemplateVariant",
    "combined_text",
    "register_template_variant",
    "template_variants",
    "unregister_template_variant",
]

ENTRY_POINT_GROUP = "xxgk.templates"
"""The entry point group that extension packages publish template variants under."""


@attrs.frozen
class TemplateVariant:
    """A named addition to the template grammar: ``grammar`` is Lark text, or the path of
    a ``.lark`` file holding it."""

    name: str
    grammar: str | os.PathLike[str]

    def text(self) -> str:
        """The variant's grammar text."""
        grammar = self.grammar
        if isinstance(grammar, os.PathLike) or (
            isinstance(grammar, str) and grammar.endswith(".lark") and "\n" not in grammar
        ):
            return Path(grammar).read_text(encoding="utf-8")
        return str(grammar)


_registry: dict[str, TemplateVariant] = {}
_loaded = False
_lock = threading.RLock()
# The combined text of the variants, with the variants it was made of: the table stage
# asks for it on every table, and a variant's file is read only when they have changed.
_combined: tuple[tuple[TemplateVariant, ...], str] | None = None


def _load_entry_points() -> None:
    global _loaded
    with _lock:
        if _loaded:
            return
        _loaded = True
        for variant in published(ENTRY_POINT_GROUP, TemplateVariant):
            if variant.name in _registry:
                continue
            try:
                _check(variant, (*_registry.values(), variant))
            except ValueError as error:  # a plugin must not break parsing: skipped
                warnings.warn(f"xxgk: {ENTRY_POINT_GROUP} entry point variant skipped: "
                              f"{error}", RuntimeWarning, stacklevel=3)
                continue
            _registry[variant.name] = variant


def _combine(found: tuple[TemplateVariant, ...]) -> str:
    return "\n".join(f"// --- variant {v.name}\n{v.text()}" for v in found)


def _check(variant: TemplateVariant, found: tuple[TemplateVariant, ...]) -> str:
    """The combined text of the variants ``found`` (``variant`` among them), once the
    template parser is built with it; :class:`ValueError` saying why ``variant`` cannot
    be used when it does not build."""
    from .tables import template_parser  # the table stage owns the template grammar

    try:
        text = _combine(found)
        template_parser(text)
    except Exception as error:  # an unreadable file, a grammar error, an LALR conflict
        raise ValueError(f"template variant {variant.name!r} cannot be used: "
                         f"{type(error).__name__}: {error}") from error
    return text


def register_template_variant(variant: TemplateVariant) -> None:
    """Add ``variant`` (one of the same name is replaced).

    The template parser is built with it first: a grammar that does not build (a terminal
    overridden that the template does not have, a syntax error, an unreadable file) raises
    :class:`ValueError` here, and nothing is registered. A broken entry point is skipped
    with a ``RuntimeWarning``. A variant's file is read here, once."""
    global _combined
    _load_entry_points()
    with _lock:
        found = dict(_registry)
        found[variant.name] = variant  # in place of one of the same name
        text = _check(variant, tuple(found.values()))
        _registry[variant.name] = variant
        _combined = (tuple(_registry.values()), text)


def unregister_template_variant(name: str) -> None:
    """Remove the variant named ``name`` (nothing happens when there is none)."""
    with _lock:
        _registry.pop(name, None)


def _snapshot() -> dict[str, TemplateVariant]:
    """The variants in force, entry points loaded (for worker processes that do not
    inherit them)."""
    _load_entry_points()
    with _lock:
        return dict(_registry)


def _restore(registry: dict[str, TemplateVariant]) -> None:
    global _loaded
    with _lock:
        _registry.clear()
        _registry.update(registry)
        _loaded = True  # the snapshot holds them as the caller had them


def template_variants() -> tuple[TemplateVariant, ...]:
    """The variants in force, in the order they were added."""
    _load_entry_points()
    with _lock:
        return tuple(_registry.values())


def combined_text() -> str:
    """The grammar text of every variant in force, to append to the template grammar.

    Worked out again (a variant's file read again) only after a variant was registered
    or unregistered since the last call."""
    global _combined
    _load_entry_points()
    with _lock:
        found = tuple(_registry.values())
        if _combined is None or _combined[0] != found:
            _combined = (found, _combine(found))
        return _combined[1]

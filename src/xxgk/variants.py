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
from pathlib import Path
from typing import Final

import attrs

from .grammars import template_parser
from .registry import Registry

__all__ = [
    "ENTRY_POINT_GROUP",
    "TemplateVariant",
    "combined_text",
    "register_template_variant",
    "registry",
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


_lock = threading.Lock()
# The combined text of the variants, with the variants it was made of: the table stage
# asks for it on every table, and a variant's file is read only when they have changed.
_combined: tuple[tuple[TemplateVariant, ...], str] | None = None


def _combine(found: tuple[TemplateVariant, ...]) -> str:
    return "\n".join(f"// --- variant {v.name}\n{v.text()}" for v in found)


def _check(variant: TemplateVariant) -> None:
    """:class:`ValueError` saying why ``variant`` cannot be used: the template parser does
    not build with it added to the variants in force (one of the same name replaced)."""
    global _combined
    found = {v.name: v for v in registry.items()}  # the entry points are loaded first
    found[variant.name] = variant
    try:
        text = _combine(tuple(found.values()))
        template_parser(text)
    except Exception as error:  # an unreadable file, a grammar error, an LALR conflict
        raise ValueError(f"template variant {variant.name!r} cannot be used: "
                         f"{type(error).__name__}: {error}") from error
    with _lock:  # the text made here serves the table stage: a variant's file read once
        _combined = (tuple(found.values()), text)


registry: Final[Registry[TemplateVariant]] = Registry(
    TemplateVariant, ENTRY_POINT_GROUP, (), lambda variant: variant.name, _check)
"""The template variants in force (see :class:`~xxgk.registry.Registry`)."""

def register_template_variant(variant: TemplateVariant) -> None:
    """Add ``variant`` (one of the same name is replaced).

    The template parser is built with it first: a grammar that does not build (a terminal
    overridden that the template does not have, a syntax error, an unreadable file) raises
    :class:`ValueError` here, and nothing is registered. A broken entry point is skipped
    with a ``RuntimeWarning``."""
    registry.register(variant)


def unregister_template_variant(name: str) -> None:
    """Remove the variant named ``name`` (nothing happens when there is none)."""
    registry.unregister(name)


def template_variants() -> tuple[TemplateVariant, ...]:
    """The variants in force, in the order they were added."""
    return registry.items()


def combined_text() -> str:
    """The grammar text of every variant in force, to append to the template grammar.

    Worked out again (a variant's file read again) only after the variants in force
    changed since the last call."""
    global _combined
    found = registry.items()
    with _lock:
        if _combined is None or _combined[0] != found:
            _combined = (found, _combine(found))
        return _combined[1]

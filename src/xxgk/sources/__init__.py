"""Sources: the first stage, from a file's bytes to the text the grammars read.

A *source* knows one input format (plain text, an HTML page, a PDF, a Word file) and
turns a file of that format into a :class:`SourceText`: the report as lines of text,
plus a :class:`SourceMap` back to locations in the user's file (line and column of the
HTML file; page, line, column and box of a PDF; table, row and cell of a Word file).
Every later stage reads the text and places what it finds through that map, so every
:class:`~xxgk.model.Span` points into the file the user has.

:func:`choose` picks the source whose ``sniff`` scores the bytes highest (ties go to the
earlier source); plain text is the fallback. Bytes of a format no source reads (an
image, a legacy ``.doc``, a zip that is not a report) raise a one-line
:class:`~xxgk.errors.ParseError` naming the format and what to do.

Extending: register a :class:`Source` with :func:`register_source`, or publish it under
the entry point group ``xxgk.sources`` (the entry point yields a :class:`Source` or a
callable returning one).
"""

from __future__ import annotations

from typing import Final

from ..decode import check_text, decode
from ..errors import ParseError
from ..registry import Registry
from ._map import Box, SourceMap, SourceMapBuilder
from ._model import Source, SourceText
from ._sniff import refuse

__all__ = [
    "ENTRY_POINT_GROUP",
    "Box",
    "Source",
    "SourceMap",
    "SourceMapBuilder",
    "SourceText",
    "choose",
    "read_source",
    "register_source",
    "registry",
    "sources",
    "unregister_source",
]

ENTRY_POINT_GROUP: Final = "xxgk.sources"
"""The entry point group extension packages publish their sources under."""

_TEXT_SCORE: Final = 0.1


def _sniff_text(data: bytes, name: str | None) -> float:
    return _TEXT_SCORE


def _read_text(data: bytes, name: str | None) -> SourceText:
    return SourceText(decode(data, name))


TEXT: Final = Source("text", _sniff_text, _read_text)
"""Plain text in any supported encoding: the file is its own text (no map)."""


def _check(source: Source) -> None:
    if not source.name or not callable(source.sniff) or not callable(source.read):
        raise ValueError(f"source {source.name!r}: needs a name, a sniff and a read function")


def _builtin() -> tuple[Source, ...]:
    from . import builtin

    return (TEXT, *builtin.SOURCES)


registry: Final[Registry[Source]] = Registry(Source, ENTRY_POINT_GROUP, _builtin(),
                                             lambda source: source.name, _check)


def register_source(source: Source) -> None:
    """Add ``source`` (one with the same name is replaced)."""
    registry.register(source)


def unregister_source(name: str) -> None:
    """Remove the source called ``name`` (nothing happens when there is none)."""
    registry.unregister(name)


def sources() -> tuple[Source, ...]:
    """Every known source: built-ins, then entry points and registered ones."""
    return registry.items()


def _score(source: Source, data: bytes, name: str | None) -> float:
    try:
        return float(source.sniff(data, name))
    except Exception:  # a broken sniffer claims nothing
        return 0.0


def _best(data: bytes, name: str | None) -> Source:
    """The source whose sniff scores ``data`` highest (the earlier on a tie), else text."""
    best, best_score = TEXT, _TEXT_SCORE
    for source in sources():
        score = _score(source, data, name)
        if score > best_score:
            best, best_score = source, score
    return best


def choose(data: bytes, name: str | None = None) -> Source:
    """The source that reads ``data`` (the file called ``name``): the best sniff, else
    plain text; :class:`ParseError` for a known format that no source reads."""
    best = _best(data, name)
    if best is TEXT:
        refuse(data, name)
    return best


def read_source(data: str | bytes, name: str | None = None) -> SourceText:
    """The :class:`SourceText` of a file's bytes (or of text already decoded)."""
    if isinstance(data, str):
        check_text(data, name)
        best = _best(data[:4096].lstrip().encode("utf-8", "surrogatepass"), name)
        if best is TEXT:
            return SourceText(data)
        return _read(best, data.encode("utf-8", "surrogatepass"), name)
    return _read(choose(data, name), data, name)


def _read(source: Source, data: bytes, name: str | None) -> SourceText:
    try:
        return source.read(data, name)
    except ParseError:
        raise
    except Exception as error:  # a source's own failure: still one located line
        raise ParseError(f"{source.name} source failed: {type(error).__name__}: {error}",
                         source=name) from error

"""The records of the source stage: :class:`SourceText` and :class:`Source`."""

from __future__ import annotations

from collections.abc import Callable

import attrs

from ..model import Diagnostic
from ._map import SourceMap

__all__ = ["Source", "SourceText"]


@attrs.frozen
class SourceText:
    """What a source made of a file: the text the grammars read, and the way back.

    ``text`` is the report as lines of text (tables in a layout a registered layout
    reads); ``map`` takes an offset range of ``text`` to a :class:`~xxgk.model.Span` in
    the user's file (``None``: ``text`` *is* the file, decoded, as for a text file);
    ``format`` names the source (``"text"``, ``"html"``, ``"pdf"``, ``"docx"``);
    ``diagnostics`` are what the source found (located already: a page with no text, a
    table nested in a table).
    """

    text: str
    map: SourceMap | None = None
    format: str = "text"
    diagnostics: tuple[Diagnostic, ...] = ()


@attrs.frozen
class Source:
    """An input format: a name, a reader and a sniffer.

    ``sniff(data, name)`` scores the file's bytes (and its name or ``None``) from 0 (not
    this format) to 1 (certainly it), by magic bytes, markup or extension; it must be cheap
    and must not raise. ``read(data, name)`` returns a :class:`SourceText`, or raises
    :class:`~xxgk.errors.ParseError` for a file of its format that cannot be read at all
    (encrypted, corrupt, no text layer), with a reason a user can act on.
    """

    name: str
    sniff: Callable[[bytes, str | None], float] = attrs.field(eq=False)
    read: Callable[[bytes, str | None], SourceText] = attrs.field(eq=False)

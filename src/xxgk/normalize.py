"""Normalise decoded report text for the grammars, keeping a map back to the original.

:func:`normalize` turns the decoded text of a report into the text the grammars see:

1. line breaks: CRLF and lone CR become ``\\n``;
2. zero-width characters (U+200B, U+200C, U+200D, U+2060, U+FEFF) and Word bookmark
   artefacts such as ``[bookmark: _GoBack]`` are deleted (also an artefact that only
   appears once zero-width characters are gone or full-width forms are mapped, so that
   normalising is idempotent);
3. U+3000 and NBSP become an ASCII space and the full-width forms U+FF01–U+FF5E their
   ASCII counterparts (``（七）：`` → ``(七):``); other punctuation is kept; a lone
   surrogate (never in decoded text, but a Python ``str`` may hold one) becomes U+FFFD;
4. traditional characters become simplified ones (OpenCC ``t2s``).

Every position in the normalised text maps back to the position in the original it came
from through an :class:`OffsetMap`, which also turns original positions into 1-based
``(line, column)`` pairs and :class:`~xxgk.model.Span` objects (CRLF, CR and LF each
count as one line break; columns count code points).

The map is a short sorted list of breakpoints ``(normalised index, shift)``: for a
normalised index ``i`` in ``[start_k, start_{k+1})`` the original index is ``i + shift_k``.
The common case (UTF-8 simplified text, nothing to delete) has a single breakpoint and
costs a few C-level passes over the text; no step loops over characters in Python.
"""

from __future__ import annotations

import functools
import operator
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from itertools import accumulate, count
from typing import Protocol

import attrs

from xxgk.model import Span
from xxgk.sources._map import SourceMap

__all__ = ["NormalizedText", "OffsetMap", "normalize"]

_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
_BOOKMARK = re.compile(r"\[bookmark: [^\]\n\r]*\]")
# What rule 2 deletes.
_DELETE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]+|\[bookmark: [^\]\n\r]*\]")
_LINE_BREAK = re.compile(r"\r\n?|\n")

_WIDE: dict[str, str] = {"\u3000": " ", "\u00a0": " "}
_WIDE.update({chr(code): chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)})
# A capturing group makes ``split`` return the matched characters at the odd indices.
_WIDE_SPLIT = re.compile("([\u3000\u00a0\uff01-\uff5e])")
# Lone surrogates: OpenCC (UTF-8 underneath) cannot take them.
_SURROGATE = re.compile("[\ud800-\udfff]")


class _Converter(Protocol):
    def convert(self, text: str) -> str: ...


@functools.cache
def _converter() -> _Converter:
    """The process-wide OpenCC ``t2s`` converter, built on first use."""
    import opencc

    converter: _Converter = opencc.OpenCC("t2s")
    return converter


_Breaks = tuple[tuple[int, ...], tuple[int, ...]]
"""Breakpoints ``(starts, shifts)``: index ``i`` in ``[starts[k], starts[k + 1])`` maps to
``i + shifts[k]``."""
_IDENTITY: _Breaks = ((0,), (0,))


@attrs.frozen(slots=True)
class OffsetMap:
    """Maps positions in normalised text back to the original decoded text.

    Built by :func:`normalize`; the fields are an implementation detail: ``starts`` and
    ``shifts`` are the breakpoints (normalised index, shift to add), ``line_starts`` the
    original index at which each original line begins, ``length`` the length of the
    normalised text and ``original`` the decoded original text. ``source`` is the map of a
    source that made ``original`` out of the user's file (an HTML page, a PDF): then the
    spans it gives point into that file, through ``source``.
    """

    starts: tuple[int, ...]
    shifts: tuple[int, ...]
    line_starts: tuple[int, ...]
    length: int
    original: str = attrs.field(repr=False)
    source: SourceMap | None = attrs.field(default=None, repr=False)

    def to_original(self, index: int) -> int:
        """The original index of normalised index ``index`` (``0 <= index <= len(text)``).

        For a normalised character, ``original[to_original(index)]`` is the character it
        came from (the LF of a CRLF pair for a line break); ``len(text)`` maps to the end
        of the original text.
        """
        if not 0 <= index <= self.length:
            raise IndexError(f"normalised index {index} out of range 0..{self.length}")
        return index + self.shifts[bisect_right(self.starts, index) - 1]

    def original_end(self, index: int) -> int:
        """The original index just after the original character(s) that ``index`` came from.

        Deleted characters that follow are not included. For ``index == len(text)`` this
        is :meth:`to_original` of it (the end of the original).
        """
        start = self.to_original(index)
        return start if index == self.length else start + 1

    def position(self, original_index: int) -> tuple[int, int]:
        """The 1-based ``(line, column)`` of an original index (columns count code points)."""
        if not 0 <= original_index <= len(self.original):
            raise IndexError(
                f"original index {original_index} out of range 0..{len(self.original)}"
            )
        if self.source is not None:
            return self.source.point(original_index)
        line = bisect_right(self.line_starts, original_index)
        return line, original_index - self.line_starts[line - 1] + 1

    def span(self, start: int, end: int) -> Span:
        """The :class:`Span` in the original covered by normalised ``[start, end)``.

        The span ends just after the original character of ``end - 1`` (so deleted
        artefacts after the range are not included); an empty range gives an empty span
        at ``start``.
        """
        if start == end:
            if not 0 <= start <= self.length:
                raise IndexError(f"normalised range {start}..{end} out of range "
                                 f"0..{self.length}")
            if self.source is not None:
                at = self.to_original(start)
                return self.source.span(at, at)
            line, column = self.position(self.to_original(start))
            return Span.point(line, column)
        return self.locate(start, end)[0]

    def locate(self, start: int, end: int) -> tuple[Span, int, int]:
        """For a non-empty normalised range ``[start, end)``: its :class:`Span` (as
        :meth:`span`) and the original range ``[begin, stop)`` it came from, in one go."""
        if not 0 <= start < end <= self.length:
            raise IndexError(f"normalised range {start}..{end} out of range 0..{self.length}"
                             " (or empty)")
        starts, shifts, lines = self.starts, self.shifts, self.line_starts
        begin = start + shifts[bisect_right(starts, start) - 1]
        stop = end + shifts[bisect_right(starts, end - 1) - 1]  # just after end - 1's origin
        if self.source is not None:
            return self.source.span(begin, stop), begin, stop
        line = bisect_right(lines, begin)
        end_line = bisect_right(lines, stop)
        span = Span(line, begin - lines[line - 1] + 1, end_line, stop - lines[end_line - 1] + 1)
        return span, begin, stop

    @property
    def line_count(self) -> int:
        """How many lines the user's file has (on its longest page, for a PDF)."""
        return len(self.line_starts) if self.source is None else self.source.line_count

    def text_at(self, span: Span) -> str:
        """The line of the user's file that ``span`` starts on, without its line break."""
        if self.source is not None:
            return self.source.line_text(span)
        return self.line_text(span.line)

    def line_text(self, line: int) -> str:
        """Original line ``line`` (1-based) without its line break."""
        if not 1 <= line <= len(self.line_starts):
            raise IndexError(f"line {line} out of range 1..{len(self.line_starts)}")
        begin = self.line_starts[line - 1]
        if line == len(self.line_starts):
            return self.original[begin:]
        stop = self.line_starts[line] - 1
        if stop > begin and self.original[stop - 1 : stop + 1] == "\r\n":
            stop -= 1
        return self.original[begin:stop]


@attrs.frozen(slots=True)
class NormalizedText:
    """The normalised ``text``, the decoded ``original`` and the ``offsets`` between them."""

    text: str
    original: str
    offsets: OffsetMap


def normalize(original: str, source: SourceMap | None = None) -> NormalizedText:
    """Normalise decoded report text (see the module docstring) and map it to the original
    (and, through ``source``, to the user's file when a source made ``original``)."""
    text = _map_wide(original)
    if _SURROGATE.search(text) is not None:
        text = _SURROGATE.sub("\ufffd", text)  # one for one: the map is unchanged
    breaks = _IDENTITY
    if "\r\n" in text:
        text, breaks = _drop_crlf_cr(text)
    zero_width = any(char in text for char in _ZERO_WIDTH)
    if zero_width or "[bookmark: " in text:
        text, inner = _delete(text, _DELETE if zero_width else _BOOKMARK)
        breaks = _compose(breaks, inner)
        while _BOOKMARK.search(text) is not None:  # revealed by deleting zero-width chars
            text, inner = _delete(text, _BOOKMARK)
            breaks = _compose(breaks, inner)
    if "\r" in text:
        text = text.replace("\r", "\n")  # only lone CRs are left
    text, inner = _to_simplified(text)
    breaks = _compose(breaks, inner)
    offsets = OffsetMap(breaks[0], breaks[1], _line_starts(original), len(text), original,
                        source)
    return NormalizedText(text, original, offsets)


def _map_wide(text: str) -> str:
    """Rule 3: U+3000/NBSP to space, full-width forms to ASCII (1:1)."""
    pieces = _WIDE_SPLIT.split(text)
    if len(pieces) == 1:
        return text
    pieces[1::2] = map(_WIDE.__getitem__, pieces[1::2])
    return "".join(pieces)


class _Builder:
    """Collects breakpoints ``(normalised index, shift)`` in increasing index order."""

    __slots__ = ("shifts", "starts")

    def __init__(self) -> None:
        self.starts = [0]
        self.shifts = [0]

    def add(self, at: int, shift: int) -> None:
        """From normalised index ``at`` on, the original index is ``index + shift``."""
        if self.starts[-1] == at:
            self.shifts[-1] = shift
        elif self.shifts[-1] != shift:
            self.starts.append(at)
            self.shifts.append(shift)

    def build(self) -> _Breaks:
        """The breakpoints collected so far, frozen."""
        return tuple(self.starts), tuple(self.shifts)


def _drop_crlf_cr(text: str) -> tuple[str, _Breaks]:
    """Delete the CR of every CRLF pair without a Python loop over the matches."""
    parts = text.split("\r\n")
    parts.pop()
    # The LF after part k (0-based) lands at sum(len(parts[:k + 1])) + k and from there
    # on the original is k + 1 characters ahead.
    starts = tuple(map(operator.add, accumulate(map(len, parts)), count(0)))
    shifts = tuple(range(1, len(parts) + 1))
    if starts[0] != 0:
        starts, shifts = (0, *starts), (0, *shifts)
    return text.replace("\r\n", "\n"), (starts, shifts)


def _delete(text: str, pattern: re.Pattern[str]) -> tuple[str, _Breaks]:
    """Delete every match of ``pattern``; the breakpoints map the result back to ``text``."""
    pieces: list[str] = []
    builder = _Builder()
    kept = 0  # end of the last deleted match in ``text``
    deleted = 0
    for match in pattern.finditer(text):
        begin, stop = match.span()
        pieces.append(text[kept:begin])
        kept = stop
        at = begin - deleted  # normalised index of the first character kept after the match
        deleted += stop - begin
        builder.add(at, deleted)
    if kept == 0:
        return text, _IDENTITY
    pieces.append(text[kept:])
    return "".join(pieces), builder.build()


def _to_simplified(text: str) -> tuple[str, _Breaks]:
    """Rule 4: OpenCC ``t2s``, keeping the map exact when a conversion changes length."""
    if text.isascii():
        return text, _IDENTITY
    convert = _converter().convert
    converted = convert(text)
    if len(converted) == len(text):
        return converted, _IDENTITY
    return _to_simplified_by_line(text, convert)


def _to_simplified_by_line(text: str, convert: Callable[[str], str]) -> tuple[str, _Breaks]:
    """Fallback: convert line by line, and character by character where a line changes length.

    Each output piece maps to the one source character it came from.
    """
    out: list[str] = []
    builder = _Builder()
    source = 0  # index in ``text``
    position = 0  # index in the output
    for number, line in enumerate(text.split("\n")):
        if number:
            builder.add(position, source - position)
            out.append("\n")
            source += 1
            position += 1
        converted = convert(line)
        if len(converted) == len(line):
            builder.add(position, source - position)
            out.append(converted)
            position += len(line)
            source += len(line)
            continue
        for char in line:
            piece = convert(char)
            for offset in range(len(piece)):
                builder.add(position + offset, source - position - offset)
            out.append(piece)
            position += len(piece)
            source += 1
    builder.add(position, source - position)  # the end maps to the end
    return "".join(out), builder.build()


def _compose(outer: _Breaks, inner: _Breaks) -> _Breaks:
    """The breakpoints of ``outer ∘ inner`` (``inner`` maps into the text ``outer`` maps from)."""
    if inner == _IDENTITY:
        return outer
    if outer == _IDENTITY:
        return inner
    outer_starts, outer_shifts = outer
    inner_starts, inner_shifts = inner
    builder = _Builder()
    last = len(inner_starts) - 1
    for k, (begin, shift) in enumerate(zip(inner_starts, inner_shifts, strict=True)):
        # Inner segment [begin, stop) maps onto [begin + shift, stop + shift) in the middle
        # text; split it wherever an outer breakpoint falls inside that range.
        j = bisect_right(outer_starts, begin + shift) - 1
        builder.add(begin, shift + outer_shifts[j])
        stop = len(outer_starts)
        if k < last:
            stop = bisect_left(outer_starts, inner_starts[k + 1] + shift, j + 1)
        if stop > j + 1:
            builder.starts += [at - shift for at in outer_starts[j + 1 : stop]]
            builder.shifts += [shift + outer for outer in outer_shifts[j + 1 : stop]]
    return builder.build()


def _line_starts(original: str) -> tuple[int, ...]:
    """Original index of the start of every line (CRLF, CR and LF each end a line)."""
    if "\r" in original and original.count("\r") != original.count("\r\n"):
        return (0, *(match.end() for match in _LINE_BREAK.finditer(original)))
    # Only LF and CRLF: a line starts after every LF (a CR before it is part of the line).
    parts = original.split("\n")
    parts.pop()
    # The line after part k (0-based) starts at sum(len(parts[:k + 1])) + k + 1.
    return (0, *map(operator.add, accumulate(map(len, parts)), count(1)))

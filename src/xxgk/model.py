"""Typed records: what a parsed report is made of.

Every record is a frozen, slotted ``attrs`` class with a trivial ``__init__``; the
parsing code builds them through named constructors. Locations are :class:`Span`
objects that always point into the *original* decoded text (before normalisation):
1-based lines and columns counting code points, CRLF counted as one line break,
``end_line``/``end_column`` exclusive (the position just after the last character).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator, Mapping
from decimal import Decimal
from enum import StrEnum

import attrs

__all__ = [
    "Cell",
    "CellRef",
    "Coverage",
    "Diagnostic",
    "Report",
    "Section",
    "Severity",
    "Span",
    "Table",
    "YearMention",
]


@attrs.frozen(order=True, init=False)
class Span:
    """A region of the user's file: 1-based line/column, end exclusive.

    For text and HTML files, ``line``/``column`` are in the file as decoded. Sources
    that are not lines of text say more: ``page`` (1-based) and ``box`` (``x0, y0, x1,
    y1`` in PDF points, origin at the page's bottom left) for a PDF, where ``line`` and
    ``column`` are in that page's extracted text (``xxgk text FILE.pdf`` prints it);
    ``part`` for a Word file (``"table 2, row 5, cell 3"``, ``"paragraph 12"``), where
    ``line`` and ``column`` are in the text ``xxgk text FILE.docx`` prints. They are
    ``None`` for plain text.
    """

    line: int
    column: int
    end_line: int
    end_column: int
    page: int | None = None
    box: tuple[float, float, float, float] | None = None
    part: str | None = None

    def __init__(self, line: int, column: int, end_line: int, end_column: int,
                 page: int | None = None, box: tuple[float, float, float, float] | None = None,
                 part: str | None = None) -> None:
        # Written out (init=False): the slots' own setters, where the __init__ attrs
        # writes for a frozen class goes through object.__setattr__ for each field.
        # A report makes hundreds of spans and cells; this is a third cheaper.
        _set_line(self, line)
        _set_column(self, column)
        _set_end_line(self, end_line)
        _set_end_column(self, end_column)
        _set_page(self, page)
        _set_box(self, box)
        _set_part(self, part)

    @classmethod
    def point(cls, line: int, column: int) -> Span:
        """An empty span at one position (for things that are missing)."""
        return cls(line, column, line, column)

    def __str__(self) -> str:
        where = f"{self.line}:{self.column}-{self.end_line}:{self.end_column}"
        if self.page is not None:
            where = f"page {self.page} {where}"
        if self.part is not None:
            where = f"{where} ({self.part})"
        return where

    def __reduce__(self) -> tuple[type[Span], tuple[object, ...]]:
        # As a plain tuple: a report holds hundreds of spans, and batch workers pickle it.
        if self.page is None and self.box is None and self.part is None:
            return Span, (self.line, self.column, self.end_line, self.end_column)
        return Span, (self.line, self.column, self.end_line, self.end_column,
                      self.page, self.box, self.part)


(_set_line, _set_column, _set_end_line, _set_end_column, _set_page, _set_box,
 _set_part) = (Span.__dict__[name].__set__ for name in (
     "line", "column", "end_line", "end_column", "page", "box", "part"))


class Severity(StrEnum):
    """How much a diagnostic matters; ``error`` makes ``xxgk check`` exit 1."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


CellRef = tuple[str, str, str]
"""A cell address ``(table, row, column)`` by canonical names."""


def _severity(value: Severity | str) -> Severity:
    return value if isinstance(value, Severity) else Severity(value)


@attrs.frozen
class Diagnostic:
    """A located finding about a report, rendered like a compiler message.

    ``code`` is stable (``A101``, ``P104`` …), ``span`` is the place at fault in the
    original input, ``cells`` the table cells involved. ``source``, ``line_text`` (the
    original line under ``span``) and ``notes`` (the other involved cells that printed
    a number other than 0, with their places) are carried so that :meth:`render` needs
    no access to the file.
    """

    code: str
    severity: Severity = attrs.field(converter=_severity)  # "error" is taken as well
    message: str
    span: Span | None = None
    cells: tuple[CellRef, ...] = ()
    source: str | None = attrs.field(default=None, eq=False)
    line_text: str | None = attrs.field(default=None, eq=False, repr=False)
    notes: tuple[str, ...] = attrs.field(default=(), eq=False, repr=False)

    def render(self) -> str:
        """``path:line:col: severity[CODE]: message`` plus the source line and a caret."""
        where = self.source or "<input>"
        if self.span is not None:
            if self.span.page is not None:
                where = f"{where}:{self.span.page}"
            where = f"{where}:{self.span.line}:{self.span.column}"
            if self.span.part is not None:
                where = f"{where} ({self.span.part})"
        head = f"{where}: {self.severity.value}[{self.code}]: {self.message}"
        notes = "".join(f"\n      = note: {note}" for note in self.notes)
        if self.span is None or self.line_text is None:
            return head + notes
        gutter = f"{self.span.line:>5} | "
        line = self.line_text.replace("\t", " ")
        # Caret under the offending characters; wide (CJK) characters take two cells.
        start = self.span.column - 1
        if self.span.end_line == self.span.line:
            stop = max(self.span.end_column - 1, start + 1)
        else:
            stop = len(line)
        if len(line) > _LONG_LINE:  # a minified page's line: a window around the span
            begin = max(0, start - _CONTEXT)
            end = min(len(line), max(stop, start + 1) + _CONTEXT)
            line = ("…" if begin else "") + line[begin:end] + ("…" if end < len(line) else "")
            shift = begin - (1 if begin else 0)
            start, stop = start - shift, min(stop, end) - shift
        pad = _display_width(line[:start])
        width = max(_display_width(line[start:stop]), 1)
        caret = f"{' ' * (len(gutter) - 2)}| {' ' * pad}{'^' * width}"
        return f"{head}\n{gutter}{line}\n{caret}{notes}"


_LONG_LINE = 200
_CONTEXT = 60


def _display_width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


CellValue = int | Decimal | None


@attrs.frozen(init=False)
class Cell:
    """One printed table cell: its value, its text as printed, and where it is.

    ``value`` is an ``int`` for counts and signed changes, a ``Decimal`` for amounts,
    and ``None`` when the cell printed no number (``/``, ``-``, ``无``, empty); ``raw``
    is the original text (original script, noise included); ``unit`` is set for
    amounts (``万元``) when the cell or its column header names one.
    """

    value: CellValue
    raw: str
    span: Span
    unit: str | None = None

    def __init__(self, value: CellValue, raw: str, span: Span, unit: str | None = None) -> None:
        # written out, as Span's
        _set_value(self, value)
        _set_raw(self, raw)
        _set_span(self, span)
        _set_unit(self, unit)

    def __reduce__(self) -> tuple[type[Cell], tuple[CellValue, str, Span, str | None]]:
        return Cell, (self.value, self.raw, self.span, self.unit)


_set_value, _set_raw, _set_span, _set_unit = (
    Cell.__dict__[name].__set__ for name in ("value", "raw", "span", "unit"))


@attrs.frozen
class Table:
    """A statistical table addressed by canonical names: ``table[row][column]``.

    ``rows`` maps a canonical row name (``results.total``) to a mapping from canonical
    column name (``natural_person``) to :class:`Cell`. Rows or cells the template does
    not know are kept under their printed label (and reported by a diagnostic).
    """

    name: str
    template: str | None
    rows: Mapping[str, Mapping[str, Cell]]
    span: Span | None = None

    def __getitem__(self, row: str) -> Mapping[str, Cell]:
        return self.rows[row]

    def __contains__(self, row: object) -> bool:
        return row in self.rows

    def __iter__(self) -> Iterator[str]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def cells(self) -> Iterator[tuple[str, str, Cell]]:
        """Every cell as ``(row, column, cell)`` in printed order."""
        for row, columns in self.rows.items():
            for column, cell in columns.items():
                yield row, column, cell

    def get(self, row: str, column: str) -> Cell | None:
        """The cell at ``row``/``column``, or ``None`` when it was not printed."""
        return self.rows.get(row, {}).get(column)


@attrs.frozen
class Section:
    """A top-level section of the report.

    ``kind`` is one of ``overview``, ``active_disclosure``, ``applications``,
    ``review_litigation``, ``problems``, ``other_matters`` or ``extra``; ``number`` the
    printed ordinal (``三``) or ``None`` for an unnumbered heading; ``title`` the heading
    text in simplified characters without its number; ``span`` the heading line.
    """

    kind: str
    number: str | None
    title: str
    span: Span


TABLE_NAMES = ("active_disclosure", "applications", "review_litigation")


@attrs.frozen
class YearMention:
    """Where the report states its reporting year: ``where`` is ``title``, ``period``
    (统计期限 …) or ``body``; used by the year-agreement check."""

    where: str
    year: int
    span: Span


@attrs.frozen
class Coverage:
    """How much of its template a report was read: ``read`` of the ``expected`` cells.

    ``expected`` counts the cells the report's template prints in its three tables (the
    2021 template's （六）其他处理 printed as one row, as in 2019, counts as one row);
    ``read`` the cells of those found in the tables (a cell printed ``/`` is read, with
    value ``None``). A report whose template was not decided expects the 2021 template.
    """

    read: int
    expected: int

    @property
    def complete(self) -> bool:
        """Every cell the template prints was read."""
        return self.read >= self.expected > 0

    @property
    def share(self) -> float:
        """``read / expected`` (0 when nothing is expected)."""
        return self.read / self.expected if self.expected else 0.0


@attrs.frozen
class Report:
    """A parsed annual report: metadata, sections, tables and diagnostics."""

    source: str | None
    agency: str | None
    year: int | None
    template: str | None
    issued: _dt.date | None
    title: str | None
    sections: tuple[Section, ...]
    tables: Mapping[str, Table | None]
    diagnostics: tuple[Diagnostic, ...] = ()
    year_mentions: tuple[YearMention, ...] = attrs.field(default=(), eq=False, repr=False)
    issued_span: Span | None = attrs.field(default=None, eq=False, repr=False)
    coverage: Coverage = Coverage(0, 0)
    format: str = "text"
    agency_from: str | None = None
    """Where ``agency`` was read: ``title``, ``header`` (a crawler's ``标题:`` line),
    ``signature`` or ``preamble`` (see :mod:`xxgk.keys`)."""
    year_from: str | None = None
    """Where ``year`` was read: ``title``, ``header``, ``period`` or ``body``."""

    @property
    def active_disclosure(self) -> Table | None:
        """Table 1, 主动公开政府信息情况 (``None`` when the report has none)."""
        return self.tables.get("active_disclosure")

    @property
    def applications(self) -> Table | None:
        """Table 2, 收到和处理政府信息公开申请情况."""
        return self.tables.get("applications")

    @property
    def review_litigation(self) -> Table | None:
        """Table 3, 政府信息公开行政复议、行政诉讼情况."""
        return self.tables.get("review_litigation")

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        """The diagnostics of severity ``error``."""
        return tuple(d for d in self.diagnostics if d.severity is Severity.ERROR)

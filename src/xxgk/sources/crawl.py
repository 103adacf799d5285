"""The crawled-text source: a page's text as a crawler kept it, table cells run together.

Archives of government sites keep each page as a header (``标题:``, ``发布时间:`` …, a line
``==== 正文 ====``) and the body, often on one line, with the boundaries between table
cells gone: ``规章000行政规范性文件8855698``. This source re-flows such a body into the
text the grammars read:

* the title (the text after ``标题:``) on the first line; the other header lines are the
  crawler's, not the report's, and are left out (no location points into them);
* the section headings found inside the line (``grammar/crawl/flat_body.lark``) on lines
  of their own, prose between them as one line each;
* every table row as one ``bar_row`` line (``label | 71 | 3 | … |``), its numbers cut from
  the runs of digits by :mod:`xxgk.segment` with the template's arithmetic. Every
  number is *copied* from the file (its span is exactly its digits); the ``|`` and line
  breaks are *put* at the boundary they stand for. A cell the arithmetic cannot decide is
  left empty (so the table reads it as null) and diagnostic S301 lists its candidates.

Diagnostics (see ``docs/crawled-text.md``): S301 ambiguous cells, S302 a row split by
arithmetic (info), S303 no reading satisfies every equation, S304 too many readings to
search, S305 digits that cannot be the row's numbers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Final

import attrs
from lark import Token, Tree

from .. import spec
from ..decode import decode
from ..grammars import lalr_parser
from ..model import CellRef, Diagnostic, Severity
from ..segment import (
    REVIEW_ROW,
    Kind,
    Piece,
    RowProblem,
    RowReading,
    Run,
    Solution,
    solve,
    template_equations,
)
from ..values import kind_of_column
from ._map import SourceMap, SourceMapBuilder
from ._model import Source, SourceText

if TYPE_CHECKING:
    from ..normalize import NormalizedText

__all__ = ["CRAWL", "read_crawl", "sniff_crawl"]

_HEADER_END = re.compile(r"^=+ *正文 *=+[ \t]*$", re.MULTILINE)
_TITLE = re.compile(r"^(?:标题|標題)[:：][ \t]*(.*?)[ \t]*$", re.MULTILINE)
# A body with table labels run into digits: "规章000", "申请数量713000074".
_RUN_TOGETHER = re.compile(r"(规章|規章|规范性文件|規範性文件|申请数量|申請數量|继续办理|繼續辦理)"
                           r"[ \t]*\d{3,}")
_HEAD: Final = ("标题:", "标题：", "標題:", "標題：")  # simplified or traditional

_SECTION_KINDS: Final = {
    "S_OVERVIEW": "overview",
    "S_ACTIVE": "active_disclosure",
    "S_APPLICATIONS": "applications",
    "S_REVIEW": "review_litigation",
    "S_PROBLEMS": "problems",
    "S_OTHER_MATTERS": "other_matters",
}

_ROWS: Final = {
    "L_RULES": "rules",
    "L_NORMATIVE_DOCUMENTS": "normative_documents",
    "L_LICENSING": "administrative_licensing",
    "L_OTHER_SERVICES": "other_administrative_services",
    "L_PENALTY": "administrative_penalty",
    "L_ENFORCEMENT": "administrative_enforcement",
    "L_FEES": "administrative_fees",
    "L_PROCUREMENT": "centralized_procurement",
    "L_NEW_RECEIVED": "new_received",
    "L_CARRIED_OVER": "carried_over",
    "L_GRANTED": "results.granted",
    "L_PARTIALLY_GRANTED": "results.partially_granted",
    "L_STATE_SECRET": "results.withheld.state_secret",
    "L_PROHIBITED_BY_LAW": "results.withheld.prohibited_by_law",
    "L_SECURITY_STABILITY": "results.withheld.security_stability",
    "L_THIRD_PARTY_RIGHTS": "results.withheld.third_party_rights",
    "L_INTERNAL_AFFAIRS": "results.withheld.internal_affairs",
    "L_PROCESS_INFORMATION": "results.withheld.process_information",
    "L_ENFORCEMENT_CASE_FILE": "results.withheld.enforcement_case_file",
    "L_ADMINISTRATIVE_INQUIRY": "results.withheld.administrative_inquiry",
    "L_NOT_HELD": "results.unavailable.not_held",
    "L_NEEDS_CREATION": "results.unavailable.needs_creation",
    "L_STILL_UNCLEAR": "results.unavailable.still_unclear",
    "L_PETITION": "results.not_processed.petition",
    "L_DUPLICATE": "results.not_processed.duplicate",
    "L_PUBLICATION": "results.not_processed.publication",
    "L_EXCESSIVE": "results.not_processed.excessive",
    "L_CONFIRMATION": "results.not_processed.confirmation",
    "L_OTHER": "results.other.total",
    "L_NO_CORRECTION": "results.other.no_correction",
    "L_UNPAID_FEE": "results.other.unpaid_fee",
    "L_OTHER_OTHER": "results.other.other",
    "L_TOTAL": "results.total",
    "L_CARRIED_FORWARD": "carried_forward",
}
_REVIEW_ROW: Final = REVIEW_ROW
_TEMPLATE_2021: Final = frozenset({"本年制发件数", "本年废止件数", "现行有效件数",
                                   "本年处理决定数量"})
_TEMPLATE_2019: Final = frozenset({"本年新制作数量", "本年新公开数量", "对外公开总数量",
                                   "上一年项目数量", "采购项目数量", "采购总金额"})
_MAX_LISTED: Final = 8
_MAX_NOTES: Final = 40


def _head_text(data: bytes) -> str:
    head = data[:8192]
    for encoding in ("utf-8", "gb18030"):
        try:
            return head.decode(encoding, errors="strict" if encoding == "gb18030" else "ignore")
        except UnicodeDecodeError:
            continue
    return ""


def sniff_crawl(data: bytes, name: str | None) -> float:
    """0.9 for a crawler's header (``标题:`` … ``==== 正文 ====``), 0.6 for text whose table
    labels run into digits, else 0."""
    head = _head_text(data).lstrip("\ufeff")
    if head.startswith(_HEAD) and _HEADER_END.search(head):
        return 0.9
    if _RUN_TOGETHER.search(_head_text(data[:200_000]) if len(data) > 8192 else head):
        return 0.6
    return 0.0


# ---- The parsed body ------------------------------------------------------------------


@attrs.frozen
class _Tok:
    """A grammar token placed in the file: ``type``, normalised ``text``, file offsets."""

    type: str
    text: str
    start: int
    end: int
    norm_start: int


@attrs.frozen
class _Row:
    """A data row: its labels and its runs (each run with its unit token, if any)."""

    labels: tuple[_Tok, ...]
    runs: tuple[_Tok, ...]
    units: tuple[_Tok | None, ...]

    @property
    def name(self) -> str | None:
        """The canonical row name (``review`` for the review table's unlabelled row)."""
        if not self.labels:
            return _REVIEW_ROW
        return _ROWS.get(self.labels[-1].type)


_Item = _Tok | _Row


class _Body:
    """The body's text, normalised, and the way from normalised offsets to the file's."""

    def __init__(self, target: str, start: int, end: int) -> None:
        self.target = target
        self.start = start
        from ..normalize import normalize  # normalize imports the sources package

        self.norm: NormalizedText = normalize(target[start:end])

    def place(self, token: Token) -> _Tok:
        begin, stop = token.start_pos or 0, token.end_pos or 0
        offsets = self.norm.offsets
        first = offsets.to_original(begin)
        last = offsets.original_end(stop - 1) if stop > begin else first
        return _Tok(token.type, str(token), self.start + first, self.start + last, begin)

    def file_offset(self, norm_index: int) -> int:
        return self.start + self.norm.offsets.to_original(norm_index)


def _items(tree: Tree[Token], body: _Body) -> list[_Item]:
    items: list[_Item] = []
    children = tree.children
    for k, child in enumerate(children):
        if isinstance(child, Token):
            items.append(body.place(child))
        elif child.data == "labels":
            labels = tuple(body.place(t) for sub in child.children if isinstance(sub, Tree)
                           for t in sub.children if isinstance(t, Token))
            after = children[k + 1] if k + 1 < len(children) else None
            if isinstance(after, Tree) and after.data == "values":
                items.append(_Row(labels, (), ()))  # its values follow
            else:
                items.extend(labels)
        elif child.data == "values":
            previous = items[-1] if items else None
            if isinstance(previous, _Row) and not previous.runs:
                items[-1] = _row(previous.labels, child, body)
            else:
                items.append(_row((), child, body))
        else:  # heading, header: one token each
            token = child.children[0]
            assert isinstance(token, Token)
            items.append(body.place(token))
    return items


def _row(labels: tuple[_Tok, ...], values: Tree[Token], body: _Body) -> _Row:
    runs: list[_Tok] = []
    units: list[_Tok | None] = []
    for token in values.children:
        assert isinstance(token, Token)
        placed = body.place(token)
        if token.type == "UNIT" and runs:
            units[-1] = placed
        else:
            runs.append(placed)
            units.append(None)
    return _Row(labels, tuple(runs), tuple(units))


def _columns(table: str, template: str, name: str | None) -> tuple[str, ...]:
    if name == _REVIEW_ROW and table == "review_litigation":
        return tuple(f"{group}.{column}" for group in spec.REVIEW_GROUPS
                     for column in spec.REVIEW_COLUMNS)
    if name is None:
        return ()
    return spec.columns_of(template, table, name)


def _kind(column: str) -> Kind:
    return kind_of_column(column.rsplit(".", 1)[-1])


def _template(items: Sequence[_Item], text: str) -> str | None:
    words = {item.text.replace(" ", "") for item in items if isinstance(item, _Tok)}
    if words & _TEMPLATE_2021:
        return "2021"
    if words & _TEMPLATE_2019:
        return "2019"
    rows = {item.name for item in items if isinstance(item, _Row)}
    if rows & {"results.other.no_correction", "results.other.unpaid_fee"}:
        return "2021"
    if "results.other.total" in rows or "centralized_procurement" in rows:
        return "2019"
    if "〔2021〕30号" in text or "[2021]30号" in text:
        return "2021"
    if "〔2019〕60号" in text or "[2019]60号" in text:
        return "2019"
    return None


# ---- Writing the text ---------------------------------------------------------------------


@attrs.define
class _Writer:
    """The builder plus the diagnostics to place once the map is built."""

    target: str
    out: SourceMapBuilder
    pending: list[tuple[str, Severity, str, int, int, tuple[CellRef, ...], tuple[str, ...]]] = (
        attrs.field(factory=list))

    def copy(self, start: int, end: int) -> None:
        self.out.copy(self.target[start:end], start)

    def line_of(self, cells: Sequence[tuple[int, int]]) -> None:
        """A header line: each cell copied, joined by " | "."""
        for start, end in cells:
            self.copy(start, end)
            self.out.put(" |", end)
            self.out.put(" ", end)
        if cells:
            self.out.put("\n", cells[-1][1])

    def note(self, code: str, severity: Severity, message: str, start: int, end: int,
             cells: tuple[CellRef, ...] = (), notes: tuple[str, ...] = ()) -> None:
        self.pending.append((code, severity, message, start, end, cells, notes))

    def diagnostics(self, smap: SourceMap) -> tuple[Diagnostic, ...]:
        found = []
        for code, severity, message, start, end, cells, notes in self.pending:
            span = smap.span(start, end)
            found.append(Diagnostic(code, severity, message, span, cells,
                                    line_text=smap.line_text(span), notes=notes))
        return tuple(found)


def read_crawl(data: bytes, name: str | None) -> SourceText:
    """The :class:`SourceText` of crawled text (see the module docstring)."""
    target = decode(data, name)
    writer = _Writer(target, SourceMapBuilder(target))
    body_start = 0
    header = _HEADER_END.search(target)
    if header is not None and target.lstrip("\ufeff").startswith(_HEAD):
        title = _TITLE.search(target, 0, header.start())
        if title is not None and title.group(1):
            writer.copy(title.start(1), title.end(1))
            writer.out.put("\n\n", title.end(1))
        body_start = header.end()
    body = _Body(target, body_start, len(target))
    tree = lalr_parser("crawl/flat_body.lark", lexer="basic").parse(body.norm.text)
    items = _items(tree, body)
    template = _template(items, body.norm.text)
    _write(writer, items, body, template)
    smap = writer.out.build()
    return SourceText(writer.out.text(), smap, "crawl", writer.diagnostics(smap))


def _write(writer: _Writer, items: list[_Item], body: _Body, template: str | None) -> None:
    """Headings and prose as lines, the tables' rows as bar rows."""
    end = len(writer.target)
    headings = [i for i, item in enumerate(items)
                if isinstance(item, _Tok) and item.type in _SECTION_KINDS]
    bounds = [*headings, len(items)]
    first = items[headings[0]].start if headings else end  # type: ignore[union-attr]
    _prose(writer, body.start, first)
    for k, index in enumerate(headings):
        heading = items[index]
        assert isinstance(heading, _Tok)
        writer.copy(heading.start, heading.end)
        writer.out.put("\n", heading.end)
        section = items[index + 1:bounds[k + 1]]
        stop = items[bounds[k + 1]].start if bounds[k + 1] < len(items) else end  # type: ignore[union-attr]
        kind = _SECTION_KINDS[heading.type]
        if kind in spec.TABLE_LABELS and template is not None:
            _table(writer, kind, template, section)
        else:
            _prose(writer, heading.end, stop)


def _prose(writer: _Writer, start: int, stop: int) -> None:
    text = writer.target[start:stop]
    lead = len(text) - len(text.lstrip())
    trail = len(text.rstrip())
    if trail > lead:
        writer.copy(start + lead, start + trail)
        writer.out.put("\n", start + trail)


def _table(writer: _Writer, table: str, template: str, section: list[_Item]) -> None:
    rows = [item for item in section if isinstance(item, _Row)]
    names = [row.name for row in rows]
    # a row the template lacks keeps its printed runs (the table reader reports it)
    problems = []
    for row, name in zip(rows, names, strict=True):
        columns = _columns(table, template, name)
        amount: Kind = "amount"
        kinds = tuple(_kind(c) for c in columns) if columns else (amount,) * len(row.runs)
        problems.append(RowProblem(tuple(Run(r.text, r.start) for r in row.runs), kinds))
    solution = solve(problems, template_equations(table, template, names))
    header: list[tuple[int, int]] = []
    placed: list[tuple[int, int]] = []
    index = 0
    for item in section:
        if isinstance(item, _Row):
            writer.line_of(header)
            header = []
            start = writer.out.length
            _data_row(writer, table, template, item, solution, index)
            placed.append((start, writer.out.length - 1))
            index += 1
        elif item.type == "ARTICLE":
            writer.line_of(header)
            writer.line_of([(item.start, item.end)])
            header = []
        elif item.type == "OTHER" and header and _joins(writer.target, header[-1], item):
            header[-1] = (header[-1][0], item.end)
        else:
            header.append((item.start, item.end))
    writer.line_of(header)
    if solution.broken and placed:
        writer.note("S303", Severity.WARNING,
                    f"{spec.TABLE_LABELS[table]}: no reading of the run-together numbers "
                    f"satisfies every equation; the one shown breaks the fewest "
                    f"({solution.broken}: {'; '.join(solution.broken_equations[:3])})",
                    *placed[0])


def _joins(target: str, last: tuple[int, int], item: _Tok) -> bool:
    """Whether ``item`` (one character of text) continues the text cell ``last``: it
    follows with nothing but no space in between."""
    return target[last[1]:item.start] == ""


def _data_row(writer: _Writer, table: str, template: str, row: _Row, solution: Solution,
              index: int) -> None:
    out = writer.out
    labels = row.labels
    if len(labels) > 1 and labels[0].type == "L_RESULTS" and labels[1].type != "L_GRANTED":
        # "三、本年度办理结果（四）无法提供1.本机关…" (pingtan_2019_flat.txt): the group
        # label printed again where the table broke across pages; a line of its own
        writer.line_of([(labels[0].start, labels[0].end)])
        labels = labels[1:]
    for label in labels:
        writer.copy(label.start, label.end)
        out.put(" | ", label.end)
    reading = solution.rows[index]
    name = row.name
    columns = _columns(table, template, name)
    row_label = (spec.label(table, name) if name in spec.ROW_LABELS.get(table, {})
                 else "".join(writer.target[t.start:t.end] for t in row.labels) or "row")
    first_run, last_run = row.runs[0], row.runs[-1]
    row_start = out.length
    if not columns or reading.too_many or reading.impossible:
        digits = " ".join(r.text for r in row.runs)
        if columns and reading.too_many:
            at = out.length
            out.put("  ", first_run.start, last_run.end)
            writer.note("S304", Severity.WARNING,
                        f"{row_label}: '{digits}' has too many readings as "
                        f"{len(columns)} numbers to search; the row is not read",
                        at, at + 2,
                        tuple((table, *_cell_of(name, c)) for c in columns))
            for _ in columns:
                out.put(" |  ", last_run.end)
            out.put(" |\n", last_run.end)
            return
        if columns and reading.impossible:
            at = out.length
            out.put("  ", first_run.start, last_run.end)
            writer.note("S305", Severity.WARNING,
                        f"{row_label}: '{digits}' cannot be read as the row's "
                        f"{len(columns)} numbers (no split gives numbers as printed)",
                        at, at + 2, tuple((table, *_cell_of(name, c)) for c in columns))
            for _ in columns:
                out.put(" |  ", last_run.end)
            out.put(" |\n", last_run.end)
            return
        for run, unit in zip(row.runs, row.units, strict=True):
            writer.copy(run.start, (unit or run).end)
            out.put(" | ", (unit or run).end)
        out.put("\n", last_run.end)
        return
    ambiguous: list[int] = []
    for column, cell in enumerate(reading.cells):
        if column:
            out.put(" | ", _boundary(reading, column, last_run.end))
        if cell.piece is not None:
            writer.copy(cell.piece.start, cell.piece.end)
            unit = _unit_after(row, cell.piece)
            if unit is not None:
                writer.copy(unit.start, unit.end)
        else:
            ambiguous.append(column)
            start, end = _run_of(row, cell.candidates, first_run)
            out.put("  ", start, end)
    out.put(" |\n", last_run.end)
    inferred = [c for c, cell in enumerate(reading.cells) if cell.inferred and cell.piece]
    runs_text = " ".join(r.text for r in row.runs)
    cells = tuple((table, *_cell_of(name, columns[c])) for c in ambiguous)
    if ambiguous:
        shown = [" | ".join(p.text for p in split) for split in reading.readings[:_MAX_LISTED]]
        more = len(reading.readings) - len(shown)
        notes = tuple(_placed(writer.target, split) for split in reading.readings[:_MAX_NOTES])
        column_names = ", ".join(_column_label(table, columns[c]) for c in ambiguous)
        why = (" (no equation of the template crosses this row)"
               if not _in_equation(solution, index) else
               ", all satisfying every equation" if solution.broken == 0 else
               ", all breaking equally few equations")
        writer.note("S301", Severity.WARNING,
                    f"{row_label}: '{runs_text}' can be read {len(reading.readings)} ways"
                    f"{why}: {'; '.join(shown)}{f'; and {more} more' if more > 0 else ''}; "
                    f"{column_names}: null, the candidates are in the notes",
                    row_start, out.length - 2, cells, notes)
    elif inferred:
        chosen = " | ".join(cell.piece.text for cell in reading.cells if cell.piece)
        how = ("the only reading that satisfies the template's equations"
               if solution.broken == 0 else "the reading that breaks the fewest equations")
        writer.note("S302", Severity.INFO,
                    f"{row_label}: '{runs_text}' read as {chosen}: {how} "
                    "(boundaries inferred, not printed)", row_start, out.length - 2,
                    tuple((table, *_cell_of(name, columns[c])) for c in inferred))


def _in_equation(solution: Solution, index: int) -> bool:
    return index in solution.constrained


def _placed(target: str, split: Sequence[Piece]) -> str:
    return " | ".join(f"{p.text} at {_where(target, p.start)}" for p in split)


def _where(target: str, offset: int) -> str:
    line = target.count("\n", 0, offset) + 1
    column = offset - (target.rfind("\n", 0, offset) + 1) + 1
    return f"{line}:{column}"


def _cell_of(name: str | None, column: str) -> tuple[str, str]:
    if name == _REVIEW_ROW:
        group, col = column.split(".")
        return group, col
    return name or "", column


def _column_label(table: str, column: str) -> str:
    if "." in column:
        group, col = column.split(".")
        return f"{spec.ROW_LABELS[table][group]} {spec.COLUMN_LABELS[table][col]}"
    return spec.COLUMN_LABELS.get(table, {}).get(column, column)


def _boundary(reading: RowReading, column: int, default: int) -> int:
    previous = reading.cells[column - 1].piece
    return previous.end if previous is not None else default


def _unit_after(row: _Row, piece: Piece) -> _Tok | None:
    for run, unit in zip(row.runs, row.units, strict=True):
        if unit is not None and run.end == piece.end:
            return unit
    return None


def _run_of(row: _Row, candidates: Sequence[Piece], first: _Tok) -> tuple[int, int]:
    if not candidates:
        return first.start, first.end
    start = min(p.start for p in candidates)
    end = max(p.end for p in candidates)
    return start, end


CRAWL: Final = Source("crawl", sniff_crawl, read_crawl)
"""Crawled text: a crawler's header and a body with table cells run together."""

"""The whole reading of one report: bytes → text → outline → tables → records → checks.

Each stage lives in its own module; this one only wires them in order and turns what
each stage found into located :class:`~xxgk.model.Diagnostic` values.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import re
from pathlib import Path

import attrs

from . import checks, spec
from .document import Block, Outline, read_outline
from .errors import ParseError
from .keys import read_keys
from .layouts import Grid, read_grid
from .layouts._engine import forget_paths
from .model import (
    TABLE_NAMES,
    CellRef,
    Coverage,
    Diagnostic,
    Report,
    Section,
    Severity,
    Span,
    Table,
)
from .normalize import NormalizedText, normalize
from .sources import SourceText, read_source
from .tables import (
    TableTokens,
    detect_template,
    forget_plans,
    lex_grid,
    missing_row_places,
    read_table,
)

__all__ = ["parse", "parse_file", "table_blocks"]

_CITED = re.compile(r"〔(2019|2021)〕\s*(60|30)\s*号")


def parse(data: str | bytes, source: str | None = None) -> Report:
    """Read one report from its text or bytes.

    Returns a :class:`~xxgk.model.Report` for any text, with whatever could not be read
    described in ``report.diagnostics``. Raises :class:`~xxgk.errors.ParseError` only
    for input that is not text (binary, undecodable, empty).
    """
    if isinstance(data, bytearray | memoryview):
        data = bytes(data)
    if not isinstance(data, str | bytes):  # not text at all (None, a number, a file object)
        raise ParseError(f"not text: expected str or bytes, got {type(data).__name__}",
                         source=source)
    if not data.strip():
        raise ParseError("empty input", source=source, offset=0)
    try:
        read = read_source(data, source)
        if not read.text.strip():
            raise ParseError(f"no text in this {read.format} file", source=source)
        return _read(normalize(read.text, read.map), source, read)
    except ParseError:
        raise
    except Exception as error:  # the contract: nothing but ParseError escapes
        raise ParseError(f"internal error while reading the report: {error!r}",
                         source=source) from error


def parse_file(path: str | os.PathLike[str]) -> Report:
    """Read the report in the file at ``path`` (any of the supported encodings)."""
    name = os.fspath(path)
    file = Path(name)
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        raise ParseError("no such file", source=name) from None
    except IsADirectoryError:
        raise ParseError("is a directory, not a report file", source=name) from None
    except OSError as error:
        raise ParseError(f"cannot read the file: {error.strerror or error}", source=name) from None
    return parse(data, source=name)


def _forget_shapes() -> None:
    """Forget the table shapes read so far, as if no report had been read: the layouts'
    paths and the template's plans (for tests and for measuring first readings)."""
    forget_paths()
    forget_plans()


def _read(norm: NormalizedText, source: str | None, read: SourceText | None = None) -> Report:
    outline = read_outline(norm.text)
    if read is None:  # text read without its source (tests): the text is the file
        read = SourceText(norm.original)
    diagnostics: list[Diagnostic] = list(read.diagnostics)
    # cells a source printed but could not read (a crawled run the arithmetic cannot cut)
    undecided = {ref for d in read.diagnostics if d.severity is not Severity.INFO
                 for ref in d.cells}
    sections = tuple(
        Section(head.kind, head.number, head.title, norm.offsets.span(head.start, head.end))
        for head, _ in outline.sections
    )
    refused = _not_a_report(norm, outline)
    diagnostics.extend(refused)
    # In text that is no report at all, every section and table is missing: say it once.
    a_report = not any(d.code == "P111" for d in refused)
    if a_report:
        diagnostics.extend(_missing_sections(norm, outline))
    lexed, unreadable = _lex_tables(norm, outline, diagnostics)
    headings = {section.kind: section.span for section in sections}
    template = detect_template(lexed.values()) or _cited_template(norm.text)
    tables: dict[str, Table | None] = {}
    for name in TABLE_NAMES:
        tokens = lexed.get(name)
        if tokens is None:
            tables[name] = None
            if name in unreadable or not a_report:  # already reported (P101, P111)
                continue
            heading = headings.get(name)
            if heading is None:
                diagnostics.append(Diagnostic(
                    "P105", Severity.WARNING,
                    f"no {spec.TABLE_LABELS[name]} table was found in the report"))
            else:  # the section is there and its table was not read: never a clean report
                diagnostics.append(Diagnostic(
                    "P105", Severity.ERROR,
                    f"the section {spec.TABLE_LABELS[name]} is here, but no table of it "
                    "was read", heading))
            continue
        if template is None:
            tables[name] = None
            diagnostics.append(Diagnostic(
                "P107", Severity.ERROR,
                f"{spec.TABLE_LABELS[name]}: the template version (2019/2021) could not be "
                "decided from the table headers or the cited document; table not read",
                norm.offsets.span(tokens.cells[0].start, tokens.cells[-1].end)
                if tokens.cells else None))
            continue
        table, found = read_table(name, template, tokens, norm)
        tables[name] = table
        diagnostics.extend(d for d in found if not _explained(d, undecided))
    keys = read_keys(norm, outline)
    diagnostics.extend(keys.diagnostics)
    report = Report(
        source=source,
        agency=keys.agency,
        year=keys.year,
        template=template,
        issued=_issued(norm, outline),
        issued_span=None if outline.date is None
        else norm.offsets.span(outline.date.start, outline.date.end),
        title="".join(norm.text[b.start:b.end].strip() for b in outline.title) or None,
        sections=sections,
        tables=tables,
        diagnostics=(),
        year_mentions=keys.mentions,
        agency_from=keys.agency_from,
        year_from=keys.year_from,
        coverage=_coverage(template, tables, undecided),
        format=read.format,
    )
    findings = tuple(_placed_inside(found, norm) for found in checks.check(report))
    if any(d.code == "T301" for d in findings):  # placing missing rows costs; only then
        places = {name: missing_row_places(table, lexed[name], norm)
                  for name, table in tables.items() if table is not None}
        findings = tuple(_placed(found, places) for found in findings)
    diagnostics.extend(findings)
    return _with_diagnostics(report, diagnostics, norm)


def _explained(found: Diagnostic, undecided: set[CellRef]) -> bool:
    """Whether ``found`` is an empty cell (V202) the source already reported with its
    reason (a crawled run the arithmetic cannot split: S301, S304, S305)."""
    return found.code == "V202" and bool(found.cells) and set(found.cells) <= undecided


def _coverage(template: str | None, tables: dict[str, Table | None],
              unread: set[CellRef]) -> Coverage:
    """Cells read of the cells the template prints (see :class:`~xxgk.model.Coverage`).
    A cell a source's warning names and left without a value (digits the crawled-text
    source could not cut, S301) was printed but not read: it does not count."""
    version = template if template in spec.TEMPLATES else "2021"
    assert version is not None
    read = expected = 0
    for name in TABLE_NAMES:
        table = tables.get(name)
        rows = spec.rows_as_printed(version, name, () if table is None else table.rows)
        for row in rows:
            columns = spec.columns_of(version, name, row)
            expected += len(columns)
            if table is not None:
                printed = table.rows.get(row, {})
                read += sum(1 for column in columns if column in printed and not (
                    (name, row, column) in unread and printed[column].value is None))
    return Coverage(read, expected)


def _placed_inside(found: Diagnostic, norm: NormalizedText) -> Diagnostic:
    """``found``, or X001 when a (user) check placed it outside the report's lines."""
    span, lines = found.span, norm.offsets.line_count
    if span is None or (1 <= span.line <= lines and 1 <= span.end_line <= lines):
        return found
    return Diagnostic("X001", Severity.ERROR,
                      f"check {found.code} failed: it placed a finding at {span}, outside "
                      f"the report's {lines} lines ({found.message})")


def _placed(found: Diagnostic, places: dict[str, dict[str, Span]]) -> Diagnostic:
    """A T301 finding of a missing row, placed where the row belonged among the printed
    rows (the rule sees only the table's cells; the pipeline saw its header rows too)."""
    rows = {(table, row) for table, row, _ in found.cells}
    if found.code != "T301" or len(rows) != 1:
        return found
    ((table, row),) = rows
    place = places.get(table, {}).get(row)
    return found if place is None else attrs.evolve(found, span=place)


def _with_diagnostics(
    report: Report, diagnostics: list[Diagnostic], norm: NormalizedText
) -> Report:
    located = []
    lines: dict[tuple[int | None, int], str] = {}
    for d in diagnostics:
        line_text = None
        if d.span is not None:
            key = (d.span.page, d.span.line)
            line_text = lines.get(key)
            if line_text is None:
                line_text = lines[key] = norm.offsets.text_at(d.span)
        notes = d.notes or (_notes(report, d) if len(d.cells) > 1 else ())  # a source's own kept
        located.append(Diagnostic(d.code, d.severity, d.message, d.span, d.cells,
                                  report.source, line_text, notes))
    located.sort(key=lambda d: (d.span is None, d.span.line if d.span else 0,
                                d.span.column if d.span else 0, d.code))
    return attrs.evolve(report, diagnostics=tuple(located))


_MARKUP = re.compile(r"<\s*/?\s*(?:html|head|body|table|tr|td|th|p|div|span|br)\b[^>\n]*>",
                     re.IGNORECASE)


def _not_a_report(norm: NormalizedText, outline: Outline) -> list[Diagnostic]:
    """P110 for HTML markup in text no source read as a page (markup that starts after
    the first 4 KB of a text file: tags are not stripped), P111 for text with neither a
    section heading nor a table: both mean the numbers, if any, were not read."""
    found = []
    tags = list(itertools.islice(_MARKUP.finditer(norm.text), 3))
    if len(tags) >= 3:
        found.append(Diagnostic(
            "P110", Severity.ERROR,
            "HTML markup in text that was not read as a page (no doctype, <html> or tags "
            "in its first 4 KB, and not named .html): its tags were not stripped; save "
            "the page as .html to have it read as HTML",
            norm.offsets.span(tags[0].start(), tags[0].end())))
    has_table = any(b.kind == "TABLE" for b in outline.preamble) or any(
        b.kind == "TABLE" for _, items in outline.sections for b in items)
    if not outline.sections and not has_table:
        found.append(Diagnostic(
            "P111", Severity.ERROR,
            "no section heading and no table found: this does not read as an annual report",
            norm.offsets.span(0, 0)))
    return found


_EXPECTED_KINDS = ("overview", "active_disclosure", "applications", "review_litigation",
                   "problems", "other_matters")
_KIND_TITLES = {
    "overview": "总体情况",
    "active_disclosure": "主动公开政府信息情况",
    "applications": "收到和处理政府信息公开申请情况",
    "review_litigation": "政府信息公开行政复议、行政诉讼情况",
    "problems": "存在的主要问题及改进情况",
    "other_matters": "其他需要报告的事项",
}


def _missing_sections(norm: NormalizedText, outline: Outline) -> list[Diagnostic]:
    """P102 for each template section without a heading, placed where it was expected:
    at the heading of the next template section that is there (else the end)."""
    found = {head.kind: head for head, _ in outline.sections}
    result = []
    for index, kind in enumerate(_EXPECTED_KINDS):
        if kind in found or (kind == "overview" and outline.sections
                             and outline.sections[0][0].kind == "extra"):
            continue  # 003 opens with its own sections in place of 总体情况
        later = next((found[k] for k in _EXPECTED_KINDS[index + 1:] if k in found), None)
        offset = later.start if later is not None else len(norm.text)
        result.append(Diagnostic(
            "P102", Severity.WARNING,
            f"expected a section heading for {_KIND_TITLES[kind]} before this point; none found",
            norm.offsets.span(offset, offset)))
    return result


_MAX_NOTES = 6


def _notes(report: Report, diagnostic: Diagnostic) -> tuple[str, ...]:
    """The cells a diagnostic involves besides the one at fault, where they printed a
    number other than 0: the addends that make a sum differ, with their places."""
    notes = []
    for table_name, row, column in diagnostic.cells[1:]:
        table = report.tables.get(table_name)
        cell = table.get(row, column) if table is not None else None
        if cell is None or cell.value == 0:
            continue
        printed = " ".join(part.strip() for part in cell.raw.strip().splitlines())
        page = "" if cell.span.page is None else f"{cell.span.page}:"  # as render() says it
        notes.append(f"{spec.label(table_name, row, column)} = {printed or '∅'} "
                     f"at {page}{cell.span.line}:{cell.span.column}")
    if len(notes) > _MAX_NOTES:
        notes = [*notes[:_MAX_NOTES], f"and {len(notes) - _MAX_NOTES} more"]
    return tuple(notes)


def _kind_from_content(text: str) -> str | None:
    if "本年新收" in text or "申请人情况" in text:
        return "applications"
    if "第二十条" in text or "信息内容" in text:
        return "active_disclosure"
    if "行政复议" in text and ("结果维持" in text or "诉讼" in text):
        return "review_litigation"
    return None


def _lex_tables(
    norm: NormalizedText, outline: Outline, diagnostics: list[Diagnostic]
) -> tuple[dict[str, TableTokens], set[str]]:
    """Cut the table blocks, read their layouts, lex their cells: one entry per table,
    and the names of tables whose blocks no layout could read."""
    grids: dict[str, list[Grid]] = {}
    unreadable: set[str] = set()
    for name, block in table_blocks(norm, outline):
        span = norm.offsets.span(block.start, block.end)  # the whole block: nothing in it is read
        if name is None:
            diagnostics.append(Diagnostic(
                "P108", Severity.WARNING,
                "a table outside the three statistical tables was not read", span))
            continue
        grid = read_grid(norm.text, block.start, block.end)
        if grid is None:
            unreadable.add(name)
            diagnostics.append(Diagnostic(
                "P101", Severity.ERROR,
                f"{spec.TABLE_LABELS[name]}: no layout recognised for this table block", span))
            continue
        for start, end, message in grid.problems:
            diagnostics.append(Diagnostic(
                "P103", Severity.ERROR, f"{spec.TABLE_LABELS[name]}: {message}",
                norm.offsets.span(start, end)))
        grids.setdefault(name, []).append(grid)
    result = {}
    for name, parts in grids.items():
        rows = tuple(row for grid in parts for row in grid.rows)
        merged = Grid(parts[0].layout, rows, ())
        result[name] = lex_grid(merged)
    return result, unreadable


def table_blocks(norm: NormalizedText, outline: Outline) -> list[tuple[str | None, Block]]:
    """Every table block of the outline with the statistical table it holds: by the kind
    of its section, else by its content (``None`` when neither says)."""
    found: list[tuple[str | None, Block]] = []
    placed: list[tuple[str | None, Block]] = [(None, b) for b in outline.preamble]
    for head, items in outline.sections:
        placed.extend((head.kind, b) for b in items)
    for kind, block in placed:
        if block.kind == "TABLE":
            body = norm.text[block.start:block.end]
            found.append((kind if kind in TABLE_NAMES else _kind_from_content(body), block))
    return found


def _cited_template(text: str) -> str | None:
    match = _CITED.search(text)
    return match.group(1) if match else None


def _block_text(norm: NormalizedText, block: Block | None) -> str:
    return "" if block is None else norm.text[block.start:block.end].strip()


def _issued(norm: NormalizedText, outline: Outline) -> dt.date | None:
    text = _block_text(norm, outline.date)
    match = re.match(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日", text)
    if not match:
        return None
    try:
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


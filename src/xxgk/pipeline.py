"""The whole reading of one report: bytes → text → outline → tables → records → checks.

Each stage lives in its own module; this one only wires them in order and turns what
each stage found into located :class:`~xxgk.model.Diagnostic` values.
"""

from __future__ import annotations

import datetime as dt
import gc
import itertools
import os
import re
from collections import Counter
from pathlib import Path

import attrs

from . import checks, spec
from .document import Block, Outline, read_outline
from .errors import ParseError
from .layouts import Grid, read_grid
from .layouts._engine import forget_paths
from .model import (
    TABLE_NAMES,
    Diagnostic,
    Report,
    Section,
    Severity,
    Span,
    Table,
    YearMention,
)
from .normalize import NormalizedText, normalize
from .sources import SourceText, read_source
from .tables import TableTokens, detect_template, forget_plans, lex_grid, read_table

__all__ = ["parse", "parse_file", "table_blocks"]

_YEAR = re.compile(r"(20\d{2})\s*年")
_PERIOD = re.compile(r"(?:统计期限|统计期间|期限为|期限自)[^。]{0,8}?(20\d{2})\s*年")
_CITED = re.compile(r"〔(2019|2021)〕\s*(60|30)\s*号")
_TITLE_AGENCY = re.compile(r"(.+?)(?:20\d{2}\s*年度?|政府信息公开|年度)")
_BARE_LEVEL = ("区", "县", "市", "省", "镇", "乡", "旗", "州")
_AGENCY = re.compile(
    r"([\u4e00-\u9fff]{2,12}?(?:卫生健康委员会|委员会|卫健委|局|委|办公室|人民政府|政府|中心|厅))"
)


def parse(data: str | bytes, source: str | None = None) -> Report:
    """Read one report from its text or bytes.

    Returns a :class:`~xxgk.model.Report` for any text, with whatever could not be read
    described in ``report.diagnostics``. Raises :class:`~xxgk.errors.ParseError` only
    for input that is not text (binary, undecodable, empty).

    While it reads, the cyclic garbage collector is paused (:func:`gc.disable`, and
    enabled again on return if it was enabled when this call began). A parse makes many
    short-lived objects and no reference cycles, so the collector's passes over them
    would find nothing: on a 10 MB report they were a quarter of the time. The collector
    is process-wide: other threads run with it paused while a parse lasts, and a thread
    that disables it during a parse finds it enabled again when the parse returns.
    """
    if isinstance(data, bytearray | memoryview):
        data = bytes(data)
    if not isinstance(data, str | bytes):  # not text at all (None, a number, a file object)
        raise ParseError(f"not text: expected str or bytes, got {type(data).__name__}",
                         source=source)
    if not data.strip():
        raise ParseError("empty input", source=source, offset=0)
    collecting = gc.isenabled()
    try:
        if collecting:
            gc.disable()
        read = read_source(data, source)
        if not read.text.strip():
            raise ParseError(f"no text in this {read.format} file", source=source)
        return _read(normalize(read.text, read.map), source, read)
    except ParseError:
        raise
    except Exception as error:  # the contract: nothing but ParseError escapes
        raise ParseError(f"internal error while reading the report: {error!r}",
                         source=source) from error
    finally:
        if collecting:
            gc.enable()


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
    diagnostics: list[Diagnostic] = [] if read is None else list(read.diagnostics)
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
    template = detect_template(lexed.values()) or _cited_template(norm.text)
    tables: dict[str, Table | None] = {}
    for name in TABLE_NAMES:
        tokens = lexed.get(name)
        if tokens is None:
            tables[name] = None
            if name in unreadable or not a_report:  # already reported (P101, P111)
                continue
            diagnostics.append(Diagnostic(
                "P105", Severity.WARNING,
                f"no {spec.TABLE_LABELS[name]} table was found in the report"))
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
        diagnostics.extend(found)
    year, mentions = _year(norm, outline)
    report = Report(
        source=source,
        agency=_agency(norm, outline),
        year=year,
        template=template,
        issued=_issued(norm, outline),
        issued_span=None if outline.date is None
        else norm.offsets.span(outline.date.start, outline.date.end),
        title="".join(norm.text[b.start:b.end].strip() for b in outline.title) or None,
        sections=sections,
        tables=tables,
        diagnostics=(),
        year_mentions=mentions,
    )
    findings = tuple(_placed_inside(found, norm) for found in checks.check(report))
    if any(d.code == "T301" for d in findings):  # placing missing rows costs; only then
        places = {name: _missing_row_places(table, lexed[name], norm)
                  for name, table in tables.items() if table is not None}
        findings = tuple(_placed(found, places) for found in findings)
    diagnostics.extend(findings)
    return _with_diagnostics(report, diagnostics, norm)


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


def _missing_row_places(
    table: Table, tokens: TableTokens, norm: NormalizedText
) -> dict[str, Span]:
    """Where each template row that ``table`` lacks belonged, by the printed rows of the
    rows before and after it in the template:

    * printed one right after the other: a point at the start of the later one (its first
      number when that stands on its first line, as in a one-line row, else its first cell);
    * other printed rows between them (group headers): the stretch from the end of the
      earlier one to the start of the later one, since the row may have stood before or
      after those headers;
    * no earlier row printed: the start of the later one; no later row printed: the end of
      the table.
    """
    if table.template not in spec.TEMPLATES or not tokens.rows:
        return {}
    offsets = norm.offsets
    index_of: dict[tuple[int, int], int] = {}
    for index, printed_row in enumerate(tokens.rows):  # a cell's place -> its printed row
        for token in printed_row:  # (any token: a template variant may add value tokens)
            at = offsets.to_original(tokens.cells[token.start_pos or 0].start)
            index_of.setdefault(offsets.position(at), index)  # = span(at, at)'s place
    names = spec.rows_of(table.template, table.name)
    printed: dict[str, tuple[int, int]] = {}
    for name in names:
        found = [index_of[key] for cell in table.rows.get(name, {}).values()
                 if (key := (cell.span.line, cell.span.column)) in index_of]
        if found:
            printed[name] = (min(found), max(found))
    end = tokens.cells[-1].end
    places: dict[str, Span] = {}
    for k, name in enumerate(names):
        if name in table:
            continue
        before = next((printed[n][1] for n in reversed(names[:k]) if n in printed), None)
        after = next((printed[n][0] for n in names[k + 1:] if n in printed), None)
        if after is None:
            places[name] = offsets.span(end, end)
            continue
        start = _row_start(tokens, after, norm)
        if before is None or before + 1 >= after:
            places[name] = start
            continue
        closed = tokens.cells[tokens.rows[before][-1].start_pos or 0].end  # its _EOR
        stop = offsets.span(closed, closed)
        places[name] = Span(stop.line, stop.column, start.line, start.column)
    return places


def _row_start(tokens: TableTokens, index: int, norm: NormalizedText) -> Span:
    """The point where printed row ``index`` starts: its first number when that stands on
    the row's first line, else its first cell."""
    row = tokens.rows[index]
    first = tokens.cells[row[0].start_pos or 0]
    start = norm.offsets.span(first.start, first.start)
    number = next((tokens.cells[t.start_pos or 0] for t in row if t.type in ("VALUE", "EMPTY")),
                  None)
    if number is not None:
        at = norm.offsets.span(number.start, number.start)
        if at.line == start.line:
            return at
    return start


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
        notes = _notes(report, d) if len(d.cells) > 1 else ()
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
        notes.append(f"{spec.label(table_name, row, column)} = {printed or '∅'} "
                     f"at {cell.span.line}:{cell.span.column}")
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


def _agency(norm: NormalizedText, outline: Outline) -> str | None:
    title = "".join(_block_text(norm, b) for b in outline.title)
    signature = _block_text(norm, outline.signature) or None
    candidate = None
    match = _TITLE_AGENCY.match(title) if title else None
    if match and len(match.group(1)) >= 2:
        candidate = match.group(1).strip()
    if candidate and not candidate.startswith(_BARE_LEVEL):
        return candidate
    if signature and (candidate is None or signature.endswith(candidate)):
        return signature
    if candidate:
        return candidate
    for block in outline.preamble:
        found = _AGENCY.search(_block_text(norm, block))
        if found:
            return found.group(1)
    return None


def _year(norm: NormalizedText, outline: Outline) -> tuple[int | None, tuple[YearMention, ...]]:
    mentions: list[YearMention] = []
    for block in outline.title:
        match = _YEAR.search(norm.text, block.start, block.end)
        if match:
            mentions.append(YearMention("title", int(match.group(1)),
                                        norm.offsets.span(match.start(1), match.end(1))))
            break
    body = list(outline.preamble)
    if outline.sections:
        body.extend(outline.sections[0][1])
    for block in body:
        match = _PERIOD.search(norm.text, block.start, block.end)
        if match:
            mentions.append(YearMention("period", int(match.group(1)),
                                        norm.offsets.span(match.start(1), match.end(1))))
            break
    counts: Counter[int] = Counter()
    first: dict[int, tuple[int, int]] = {}
    for block in body:
        if block.kind != "TEXT":
            continue
        for match in _YEAR.finditer(norm.text, block.start, block.end):
            value = int(match.group(1))
            counts[value] += 1
            first.setdefault(value, (match.start(1), match.end(1)))
    if counts:
        value = counts.most_common(1)[0][0]
        mentions.append(YearMention("body", value, norm.offsets.span(*first[value])))
    year = mentions[0].year if mentions else None
    return year, tuple(mentions)


def _issued(norm: NormalizedText, outline: Outline) -> dt.date | None:
    text = _block_text(norm, outline.date)
    match = re.match(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日", text)
    if not match:
        return None
    try:
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


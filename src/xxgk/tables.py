"""From a grid of cells to a typed table, through the template grammar.

``grammar/templates/template.lark`` is the specification: its terminals say how row
labels, header labels and numbers are printed; its rules say which rows each table of
each template version has and how many numbers each row holds. This module

1. lexes the grid: each cell becomes one token, typed by the first terminal whose
   pattern matches the cell's whole text (white space removed), ``TEXT`` otherwise;
   ``_EOR`` closes every printed row;
2. parses the whole table's tokens (LALR); when the grammar rejects them, parses row
   by row, so that a row the grammar rejects is skipped (and reported, its cells kept
   under their label) while every other row is still read;
3. turns each row rule into ``{column: Cell}`` with the value read by
   :mod:`xxgk.values`, the raw text of the original file and its exact span.

On the fast route (:mod:`xxgk.speed`) the outcome of step 2 is remembered by the sequence
of token types (:class:`_Planner`), the only thing the grammar sees: a table printed like one
read before is filled without being parsed again (``docs/performance.md``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any, NamedTuple

import attrs
from lark import Lark, Token, Transformer, Tree
from lark.exceptions import UnexpectedInput

from . import spec, variants
from ._lalr import fast_parser, make_token
from .grammars import TEMPLATE_TABLES, template_parser
from .layouts import Grid, GridCell
from .model import Cell, Diagnostic, Severity, Span, Table
from .normalize import NormalizedText
from .speed import fast_path
from .values import ValueReading, kind_of_column, read_value

__all__ = ["TableTokens", "detect_template", "forget_plans", "lex_grid", "missing_row_places",
           "read_table"]

_TABLES = TEMPLATE_TABLES
_SPACE = re.compile(r"\s+")


def _parser() -> Lark:
    """The template parser, with the registered template variants (:mod:`xxgk.variants`)."""
    return template_parser(variants.combined_text())


class _Lexicon:
    """How cells become tokens for one template parser: one alternation of every
    patterned terminal, in grammar order (first match wins), with a cache."""

    def __init__(self, parser: Lark) -> None:
        parts = [f"(?P<{t.name}>{t.pattern.to_regexp()})" for t in parser.terminals
                 if t.pattern.type in ("re", "str")]
        self._pattern = re.compile("|".join(parts))
        self._seen: dict[str, tuple[str, str]] = {}

    def classify(self, text: str) -> tuple[str, str]:
        """A cell's token type, and its text without white space."""
        known = self._seen.get(text)
        if known is None:
            compact = _compact(text)
            if not compact:
                kind = "EMPTY"
            else:
                match = self._pattern.fullmatch(compact)
                kind = "TEXT" if match is None or match.lastgroup is None else match.lastgroup
            known = (kind, compact)
            if len(self._seen) < 8192:
                self._seen[text] = known
        return known


@functools.cache
def _lexicon(parser: Lark) -> _Lexicon:
    return _Lexicon(parser)


def _compact(text: str) -> str:
    return _SPACE.sub("", text)


@attrs.frozen
class TableTokens:
    """A grid lexed for the template grammar: ``rows`` of tokens (``_EOR`` last in each);
    a token's ``start_pos`` is the index of its cell in ``cells``."""

    grid: Grid
    cells: tuple[GridCell, ...]
    rows: tuple[tuple[Token, ...], ...]

    def types(self) -> Iterable[str]:
        """Every token type, row by row."""
        for row in self.rows:
            for token in row:
                yield token.type


def lex_grid(grid: Grid) -> TableTokens:
    """Lex the cells of ``grid`` into template tokens (see the module docstring)."""
    cells: list[GridCell] = []
    rows: list[tuple[Token, ...]] = []
    classify = _lexicon(_parser()).classify
    for grid_row in grid.rows:
        typed = [(cell, *classify(cell.text)) for cell in grid_row]
        kinds = [kind for _, kind, _ in typed]
        first = 0
        while first < len(kinds) and kinds[first] == "EMPTY":
            first += 1  # empties before the first cell: merged-cell placeholders
        if first and _unlabelled_numbers(kinds):
            first = 0  # a row of numbers alone (the review row): its empties are cells
        if first:
            typed, kinds = typed[first:], kinds[first:]
        if "VALUE" not in kinds and not _labelled_empties(kinds):
            typed = [item for item in typed if item[1] != "EMPTY"]  # header rows
        elif "TEXT" in kinds:
            typed = _text_in_value_positions(typed)
        if not typed:
            continue
        at = len(cells)
        tokens = [make_token(kind, compact, at + i) for i, (_, kind, compact) in enumerate(typed)]
        cells.extend([cell for cell, _, _ in typed])
        last = typed[-1][0]
        tokens.append(make_token("_EOR", "", len(cells)))
        cells.append(GridCell("", last.end, last.end))
        rows.append(tuple(tokens))
    return TableTokens(grid, tuple(cells), tuple(rows))


def _unlabelled_numbers(kinds: list[str]) -> bool:
    """A row of nothing but numbers and empty cells, as many as the review table's row:
    a null number in front is a cell, not a merged-cell placeholder."""
    return len(kinds) >= 15 and all(kind in ("VALUE", "EMPTY") for kind in kinds)


def _labelled_empties(kinds: list[str]) -> bool:
    """A row label followed by nothing but empty cells: a data row none of whose numbers
    could be read (a crawled run the arithmetic cannot split, :mod:`xxgk.segment`); its
    empties are the row's cells, kept so that each is reported (V202)."""
    labels = [i for i, kind in enumerate(kinds) if kind.startswith("L_")]
    return bool(labels) and len(kinds) > labels[-1] + 1 and all(
        kind == "EMPTY" for kind in kinds[labels[-1] + 1:])


def _text_in_value_positions(
    typed: list[tuple[GridCell, str, str]],
) -> list[tuple[GridCell, str, str]]:
    """In a row of numbers, text where a number belongs (after the row's labels, or
    after its first number when it has no known label) is a value that is not a
    number: typed VALUE so that the value layer reports it (V203) and the row's other
    numbers are still read."""
    kinds = [kind for _, kind, _ in typed]
    labels = [i for i, kind in enumerate(kinds) if kind.startswith("L_")]
    start = labels[-1] + 1 if labels else kinds.index("VALUE")
    return [(cell, "VALUE" if kind == "TEXT" and i >= start else kind, compact)
            for i, (cell, kind, compact) in enumerate(typed)]


def detect_template(tokens: Iterable[TableTokens]) -> str | None:
    """``"2019"`` or ``"2021"`` from the tell-tale header labels and row structure of
    the tables, ``None`` when they say nothing (the year is deliberately not used)."""
    votes = {"2019": 0, "2021": 0}
    for table in tokens:
        for row in table.rows:
            types = [token.type for token in row]
            votes["2019"] += types.count("H_2019")
            votes["2021"] += types.count("H_2021")
            if "L_NO_CORRECTION" in types or "L_UNPAID_FEE" in types:
                votes["2021"] += 2
            if "L_OTHER" in types and "VALUE" in types and "L_NO_CORRECTION" not in types:
                votes["2019"] += 2
            if "L_OTHER_SERVICES" in types or "L_PROCUREMENT" in types:
                votes["2019"] += 1
    if votes["2019"] == votes["2021"]:
        return None
    return "2019" if votes["2019"] > votes["2021"] else "2021"


def _start_rule(table: str, template: str) -> str:
    return table if table == "review_litigation" else f"{table}_{template}"


@attrs.frozen
class _Reader:
    """Turns parse results into cells and diagnostics for one table."""

    table: str
    template: str
    tokens: TableTokens
    norm: NormalizedText

    def located(self, cell: GridCell) -> tuple[Span, str, int]:
        """The cell's span in the original, its raw (original) text and where that text
        starts in the original (-1 for an empty cell)."""
        if cell.end <= cell.start:
            return self.norm.offsets.span(cell.start, cell.start), "", -1
        span, begin, stop = self.norm.offsets.locate(cell.start, cell.end)
        return span, self.norm.original[begin:stop], begin

    def span_of(self, cell: GridCell) -> tuple[Span, str]:
        """The cell's span in the original and its raw (original) text."""
        span, raw, _ = self.located(cell)
        return span, raw

    def cell(self, token: Token, column: str, diagnostics: list[Diagnostic], row: str) -> Cell:
        """The cell of ``token`` in ``column`` of ``row`` (see :meth:`row`)."""
        return self.row(((column, 0),), [token], diagnostics, row)[column]

    def row(self, pairs: Sequence[tuple[str, int]], tokens: Sequence[Token],
            diagnostics: list[Diagnostic], row: str) -> dict[str, Cell]:
        """``{column: cell}`` for the ``(column, index into tokens)`` pairs of ``row``:
        each value read, with its raw text and span in the original; a value repaired,
        missing or not a number is reported (V201-V203)."""
        cells = self.tokens.cells
        offsets = self.norm.offsets
        locate = offsets.locate
        original = self.norm.original
        filled: dict[str, Cell] = {}
        for column, index in pairs:
            token = tokens[index]
            grid_cell = cells[token.start_pos or 0]
            start, end = grid_cell.start, grid_cell.end
            if end <= start:
                span, raw, begin = offsets.span(start, start), "", -1
            else:
                span, begin, stop = locate(start, end)
                raw = original[begin:stop]
            reading = read_value(grid_cell.text if token.type != "EMPTY" else "",
                                 kind_of_column(column))
            value = reading.value
            unit = reading.unit
            if unit is None and column == "amount":
                unit = self.amount_unit()
            if (reading.repaired is None and value is not None and begin >= 0
                    and _printed_with_noise(original, begin, raw)):
                reading = attrs.evolve(reading, repaired="full-width or padded number")
            if not (reading.repaired is None and reading.missing is None
                    and reading.invalid is None):
                self._report_reading(reading, raw, span, column, row, diagnostics)
            filled[column] = Cell(value, raw, span, unit)
        return filled

    def amount_unit(self) -> str | None:
        """The unit an amount printed bare is in: the one its column's header names in
        brackets, whole ("采购总金额（万元）", "本年收费金额（单位：千元）"), else the 2021
        template's ("本年收费金额（单位：万元）" in the template itself), else none."""
        for row in self.tokens.rows:
            for token in row:
                if token.type not in ("VALUE", "EMPTY", "_EOR") and "金额" in token.value:
                    found = _HEADER_UNIT.search(token.value)
                    if found is not None:
                        return found.group(1)
        return "万元" if self.template == "2021" else None

    def _report_reading(self, reading: ValueReading, raw: str, span: Span, column: str,
                        row: str, diagnostics: list[Diagnostic]) -> None:
        where = spec.label(self.table, row, column)
        ref = (self.table, row, column)
        value = reading.value
        if reading.repaired is not None:
            diagnostics.append(
                Diagnostic("V201", Severity.INFO,
                           f"{where}: read '{_one_line(raw)}' as {value} ({reading.repaired})",
                           span, (ref,))
            )
        if reading.missing is not None:
            diagnostics.append(
                Diagnostic("V202", Severity.WARNING,
                           f"{where}: no number ({reading.missing}); value is null",
                           span, (ref,))
            )
        if reading.invalid is not None:
            diagnostics.append(
                Diagnostic("V203", Severity.ERROR,
                           f"{where}: {reading.invalid}; value is null",
                           span, (ref,))
            )


def _one_line(text: str) -> str:
    """``text`` stripped, its line breaks (a cell printed over several lines) as spaces."""
    return " ".join(part.strip() for part in text.strip().splitlines())


# The unit named in brackets after an amount column's header 金额 (white space is gone
# from the tokens' text, full-width brackets are ASCII): "本年收费金额(单位:万元)",
# "采购总金额(万元)"; taken whole ("千元", "元/件"), as long as it is in 元.
_HEADER_UNIT = re.compile(r"金额[^(（]*[(（](?:单位[:：]?)?([^)）]*元[^)）]*)[)）]")

_FULL_WIDTH = frozenset("０１２３４５６７８９\u3000\u00a0")


def _padding_before(original: str, start: int) -> str:
    """The white space printed in the same cell before the number (``　0`` in seed 001)."""
    begin = start
    while begin > 0 and original[begin - 1] in " \u3000\u00a0":
        begin -= 1
    return original[begin:start]


def _printed_with_noise(original: str, start: int, raw: str) -> bool:
    if not _FULL_WIDTH.isdisjoint(raw):
        return True
    if start == 0 or original[start - 1] not in " \u3000\u00a0":
        return False
    return not _FULL_WIDTH.isdisjoint(_padding_before(original, start))


def _row_name(rule: str) -> str:
    """The canonical row a row rule (or its alias) fills: its name, ``__`` read as ``.``."""
    return rule.replace("__", ".")


def read_table(
    table: str, template: str, tokens: TableTokens, norm: NormalizedText
) -> tuple[Table, list[Diagnostic]]:
    """Read one table of ``template`` from its lexed grid.

    Returns the table and the diagnostics found on the way (repaired and missing
    values, rows the template does not know, a table that ended too early).
    """
    reader = _Reader(table, template, tokens, norm)
    diagnostics: list[Diagnostic] = []
    rows: dict[str, dict[str, Cell]] = {}
    parser = _parser()
    plan = _planner(parser) if fast_path() else _plain_planner(parser)
    whole = _start_rule(table, template)
    flat = [t for row in tokens.rows for t in row]
    try:  # the common case: every row fits, one parse for the whole table
        steps = plan(flat, whole, table, template)
    except UnexpectedInput:
        pass
    else:
        _apply(reader, steps, flat, rows, diagnostics)
        _report_numbers_in_labels(reader, diagnostics)
        _report_short(reader, diagnostics)
        return _table(reader, rows), diagnostics
    start = "row_" + whole
    for row_tokens in tokens.rows:
        listed = list(row_tokens)
        try:
            steps = plan(listed, start, table, template)
        except UnexpectedInput as error:
            _keep_unknown_row(reader, row_tokens, error, rows, diagnostics)
            continue
        _apply(reader, steps, listed, rows, diagnostics)
    _report_numbers_in_labels(reader, diagnostics)
    _report_short(reader, diagnostics)
    return _table(reader, rows), diagnostics


class _Value(NamedTuple):
    """The result of the template grammar's ``value`` rule: the token of one number
    (a ``VALUE`` or ``EMPTY`` token directly under a row rule is a number beyond the
    template's columns)."""

    token: Token


def _node(name: str, children: list[Any]) -> Any:
    """The template grammar's parse results: ``value`` as :class:`_Value`, rules as trees."""
    if name == "value":
        return _Value(children[0])
    return Tree(name, children)


class _Values(Transformer[Token, Any]):
    """The plain route's tree walk: each ``value`` subtree becomes a :class:`_Value`."""

    def value(self, children: list[Token]) -> _Value:
        """The one token of a ``value``."""
        return _Value(children[0])


@functools.cache
def _runner(parser: Lark) -> Callable[[list[Token], str | None], Any]:
    """``(tokens, start) → tree`` for the template grammar, ``value`` subtrees as
    :class:`_Value`: on the fast route the LALR driver makes them as it reduces, else
    (and for a grammar the driver does not run) the plain route, :func:`_plain_runner`."""
    driver = fast_parser(parser)
    if driver is not None:
        return driver.with_actions(_node).parse_tokens
    return _plain_runner(parser)


@functools.cache
def _plain_runner(parser: Lark) -> Callable[[list[Token], str | None], Any]:
    """``(tokens, start) → tree``: Lark's parse, then :class:`_Values` over the tree."""
    values = _Values()

    def plain(tokens: list[Token], start: str | None) -> Any:
        return values.transform(parser.parse(tokens, start=start))

    return plain


def _tokens_in(tree: Tree[Token]) -> list[Token]:
    """Every token under ``tree``, in order."""
    found: list[Token] = []
    for child in tree.children:
        if isinstance(child, Token):
            found.append(child)
        elif isinstance(child, _Value):
            found.append(child.token)
        elif isinstance(child, Tree):
            found.extend(_tokens_in(child))
    return found


def _table(reader: _Reader, rows: dict[str, dict[str, Cell]]) -> Table:
    cells = reader.tokens.cells
    span = reader.norm.offsets.span(cells[0].start, cells[-1].end) if cells else None
    return Table(reader.table, reader.template, rows, span)


class _Step(NamedTuple):
    """What one row rule of a parse result puts in the table, by the positions of its
    tokens in the parsed list: ``cells`` are the rows it fills (``numbers``, the review
    table printed as one flat row, fills all five groups) as ``(column, position)``
    pairs; ``printed`` the first and last of its printed tokens (to report it, as
    ``where``, when :func:`_apply` finds its ``row`` filled already); ``extra`` the
    numbers it has beyond the template's columns."""

    rule: str
    row: str
    where: str
    printed: tuple[int, ...]
    cells: tuple[tuple[str, tuple[tuple[str, int], ...]], ...]
    extra: tuple[int, ...]


_Plan = tuple[_Step, ...]
# Plans kept per template parser: those of tables up to _PLAN_TOKENS tokens (a printed
# table has 40-130; a longer list is a merged or repeated table, unlikely to recur), and
# all forgotten when the kept ones reach _PLANS_TOKENS tokens together (≈ 70 bytes per
# token with its key: ≈ 400 tables of a seed's size, ≈ 3.5 MB).
_PLAN_TOKENS = 1024
_PLANS_TOKENS = 50_000


class _Planner:
    """``(tokens, start, table, template) → plan``: the template grammar's parse of the
    tokens, as the steps that fill the table (raises the parser's ``UnexpectedInput``
    when the grammar rejects them).

    With ``fast``, plans are remembered in ``plans`` by the sequence of token types (the
    same types, the same parse) and reused; the cells' values and places always come from
    the tokens at hand. ``kept`` counts the tokens of the remembered plans, bounded by
    ``_PLANS_TOKENS``."""

    __slots__ = ("_parse", "_remember", "kept", "plans")

    def __init__(self, parser: Lark, fast: bool = True) -> None:
        self._parse = _runner(parser) if fast else _plain_runner(parser)
        self._remember = fast  # plans are remembered on the fast route only
        self.plans: dict[tuple[str, str, tuple[str, ...]], _Plan] = {}
        self.kept = 0

    def __call__(self, tokens: list[Token], start: str, table: str, template: str) -> _Plan:
        kept = self._remember and len(tokens) <= _PLAN_TOKENS
        key = (start, template, tuple([token.type for token in tokens])) if kept else None
        found = self.plans.get(key) if key is not None else None
        if found is None:
            found = _plan_of(self._parse(tokens, start), tokens, table, template)
            if key is not None:
                if self.kept + len(tokens) > _PLANS_TOKENS:
                    self.plans.clear()
                    self.kept = 0
                self.plans[key] = found
                self.kept += len(tokens)
        return found


@functools.cache
def _planner(parser: Lark) -> _Planner:
    """The plans of the template parser ``parser`` on the fast route (one per parser: a
    template variant registered later makes another parser)."""
    return _Planner(parser)


@functools.cache
def _plain_planner(parser: Lark) -> _Planner:
    """The plain route's planner: every table parsed, nothing remembered."""
    return _Planner(parser, fast=False)


def forget_plans() -> None:
    """Forget the plans of the tables read so far: for tests, and for measuring first
    readings."""
    _planner.cache_clear()


def _plan_of(tree: Tree[Token], tokens: list[Token], table: str, template: str) -> _Plan:
    """The steps of ``tree`` (a parse of ``tokens``), in the order of its rules."""
    position = {id(token): index for index, token in enumerate(tokens)}
    steps = []
    for subtree in tree.iter_subtrees_topdown():  # type: ignore[no-untyped-call]
        rule = str(subtree.data)
        if rule in _TABLES or rule.startswith(("_", "row_")):
            continue
        values = [position[id(child.token)] for child in subtree.children
                  if child.__class__ is _Value]
        printed = [position[id(token)] for token in _tokens_in(subtree) if token.type != "_EOR"]
        extra = tuple(position[id(child)] for child in subtree.children
                      if isinstance(child, Token) and child.type == "VALUE")
        cells: tuple[tuple[str, tuple[tuple[str, int], ...]], ...]
        if rule == "numbers":
            row, where = spec.REVIEW_GROUPS[0], spec.TABLE_LABELS[table]
            cells = tuple(
                (group, tuple(zip(spec.REVIEW_COLUMNS, values[index * 5:(index + 1) * 5],
                                  strict=False)))
                for index, group in enumerate(spec.REVIEW_GROUPS))
        else:
            row = _row_name(rule)
            where = spec.ROW_LABELS.get(table, {}).get(row, row)
            # a row a template variant added: its cells by position (and T302 says so)
            columns = (spec.columns_of(template, table, row)
                       or tuple(str(i) for i in range(1, len(values) + 1)))
            cells = ((row, tuple(zip(columns, values, strict=False))),)
        steps.append(_Step(rule, row, where, (printed[0], printed[-1]) if printed else (),
                           cells, extra))
    return tuple(steps)


def _apply(
    reader: _Reader, plan: _Plan, tokens: list[Token], rows: dict[str, dict[str, Cell]],
    diagnostics: list[Diagnostic],
) -> None:
    """Fill ``rows`` by ``plan`` from ``tokens`` (the list it was made from, or one of
    the same types); a row already there is reported as printed again (P109)."""
    fill = reader.row
    for step in plan:
        if step.row in rows:
            if step.printed:
                first, last = step.printed
                _report_repeat(reader, step.where, (tokens[first], tokens[last]), diagnostics)
            continue
        # numbers beyond the columns: reported before a row's cells are read, after the
        # five groups of the review table's flat row (read_table's diagnostics keep this
        # order; the pipeline sorts them by place)
        flat = step.rule == "numbers"
        if step.extra and not flat:
            _report_extra(reader, step.rule, [tokens[i] for i in step.extra], diagnostics)
        for row, pairs in step.cells:
            rows[row] = fill(pairs, tokens, diagnostics, row)
        if step.extra and flat:
            _report_extra(reader, step.rule, [tokens[i] for i in step.extra], diagnostics)


def _terminal_rows() -> dict[str, str]:
    return _terminal_rows_of(_parser())


@functools.cache
def _terminal_rows_of(parser: Lark) -> dict[str, str]:
    """Each row-label terminal → the canonical row it labels (the last label terminal
    of a row rule in the template grammar)."""
    result: dict[str, str] = {}
    for rule in parser.rules:
        labels = [s.name for s in rule.expansion if s.is_term and s.name.startswith("L_")]
        origin = str(rule.origin.name)
        if labels and not origin.startswith(("_", "active_disclosure", "applications")):
            result.setdefault(labels[-1], _row_name(str(rule.alias or origin)))
    return result


def _describe(terminal: str, table: str) -> str | None:
    if terminal in ("VALUE", "EMPTY"):
        return "a number"
    if terminal == "_EOR":
        return "the end of the row"
    row = _terminal_rows().get(terminal)
    if row is not None:
        return f"'{spec.ROW_LABELS.get(table, {}).get(row, row)}'"
    return None


def _report_extra(
    reader: _Reader, rule: str, extra: Sequence[Token], diagnostics: list[Diagnostic]
) -> None:
    first = reader.tokens.cells[extra[0].start_pos or 0]
    last = reader.tokens.cells[extra[-1].start_pos or 0]
    row = _row_name(rule)
    where = (spec.TABLE_LABELS[reader.table] if rule == "numbers"
             else spec.ROW_LABELS.get(reader.table, {}).get(row, row))
    printed = ", ".join(f"'{token.value}'" for token in extra)
    diagnostics.append(Diagnostic(
        "P109", Severity.WARNING,
        f"{where}: {len(extra)} more number(s) than the template's columns ({printed}); "
        "not read", reader.norm.offsets.span(first.start, last.end)))


# A number standing in text: not glued to a word ("2020年", "第2", "5件") and not row
# numbering ("1.属于国家秘密", "3.1.危及").
_STRAY_NUMBER = re.compile(
    r"(?<![A-Za-z0-9_.第])[+\-增减]?\d+(?:[.,]\d+)*"
    r"(?![A-Za-z0-9_.,]|[年月日号项条页次个件人%]|\s*\.\D)")


@functools.lru_cache(maxsize=4096)
def _stray_numbers(text: str) -> tuple[str, ...]:
    """The numbers standing in a label or header cell's text (the same labels recur in
    every report: read once)."""
    return tuple(m.group() for m in _STRAY_NUMBER.finditer(text))


def _report_numbers_in_labels(reader: _Reader, diagnostics: list[Diagnostic]) -> None:
    """Header and label cells are not read as values, so a number printed inside one is
    reported (P109) where it is: "行政许可625" (a label and its number run together, a
    row the grammar takes for a header), "尚未审结减3", "（二）部分公开（… ?0" (a label
    terminal that admits any text after its words)."""
    cells = reader.tokens.cells
    for row in reader.tokens.rows:
        found = [cells[t.start_pos or 0] for t in row
                 if t.type not in ("VALUE", "EMPTY", "_EOR")]
        numbers = [number for cell in found for number in _stray_numbers(cell.text)]
        if not numbers:
            continue
        at = [cell for cell in found if _stray_numbers(cell.text)]
        printed = ", ".join(f"'{number}'" for number in numbers)
        diagnostics.append(Diagnostic(
            "P109", Severity.WARNING,
            f"{spec.TABLE_LABELS[reader.table]}: number(s) {printed} printed in a label or "
            "header cell; not read",
            reader.norm.offsets.span(at[0].start, at[-1].end)))


def _report_repeat(
    reader: _Reader, where: str, tokens: Sequence[Token], diagnostics: list[Diagnostic]
) -> None:
    """A row printed a second time (``where`` names it): the first one is read, the repeat
    is reported with its span, its numbers not read (P109)."""
    printed = [t for t in tokens if t.type != "_EOR"]
    if not printed:
        return
    first = reader.tokens.cells[printed[0].start_pos or 0]
    last = reader.tokens.cells[printed[-1].start_pos or 0]
    diagnostics.append(Diagnostic(
        "P109", Severity.WARNING,
        f"{where}: printed again; the first one is read, the numbers of this one are not",
        reader.norm.offsets.span(first.start, last.end)))


def _expected_labels(error: UnexpectedInput, table: str) -> str:
    expected = getattr(error, "expected", None) or ()
    described = {_describe(name, table) for name in expected}
    names = sorted(d for d in described if d is not None)
    if len(names) > 4:
        names = [*names[:4], f"or {len(names) - 4} more"]
    return " or ".join(names) if names else "a header cell"


def _keep_unknown_row(
    reader: _Reader, row_tokens: Sequence[Token], error: UnexpectedInput,
    rows: dict[str, dict[str, Cell]], diagnostics: list[Diagnostic],
) -> None:
    """A row the template grammar rejects: keep its numbers under its printed label."""
    label_parts = [t.value for t in row_tokens if t.type not in ("VALUE", "EMPTY", "_EOR")]
    values = [t for t in row_tokens if t.type in ("VALUE", "EMPTY")]
    while values and values[-1].type == "EMPTY":
        values.pop()
    token = getattr(error, "token", None)
    if not isinstance(token, Token) or token.type == "$END" or token.start_pos is None:
        token = row_tokens[-1]  # the row ended too early: point after its last cell
    bad = token if token.type != "_EOR" else None
    anchor = token
    span, _ = reader.span_of(reader.tokens.cells[anchor.start_pos or 0])
    label = " ".join(label_parts) or f"row {len(rows) + 1}"
    found = "the end of the row" if bad is None else f"'{bad.value}'"
    message = (f"row '{label}' does not fit the {reader.template} template of "
               f"{spec.TABLE_LABELS[reader.table]}: "
               f"expected {_expected_labels(error, reader.table)}, "
               f"found {found}")
    refs: list[tuple[str, str, str]] = []
    if values and label in rows:  # a row so labelled came first: this one is not kept
        _report_repeat(reader, f"row '{label}'", values, diagnostics)
    elif values:
        kept: dict[str, Cell] = {}
        for index, token in enumerate(values, start=1):
            kept[str(index)] = reader.cell(token, str(index), diagnostics, label)
            refs.append((reader.table, label, str(index)))
        rows[label] = kept
        message += f"; its {len(values)} cells are kept under its label"
    diagnostics.append(Diagnostic("P104", Severity.WARNING, message, span,
                                  tuple(refs)))


_REVIEW_NUMBERS = len(spec.REVIEW_GROUPS) * len(spec.REVIEW_COLUMNS)  # 15


def _report_short(reader: _Reader, diagnostics: list[Diagnostic]) -> None:
    """P106 for a review/litigation table that prints fewer than its 15 numbers (its
    header and no numbers, or a row of numbers cut short): which cells the numbers
    printed belong to cannot be told, so it is an error, where the table ends."""
    if reader.table != "review_litigation":
        return
    printed = sum(1 for row in reader.tokens.rows for token in row
                  if token.type in ("VALUE", "EMPTY"))
    if printed >= _REVIEW_NUMBERS:
        return
    last = reader.tokens.cells[-1] if reader.tokens.cells else None
    offset = last.end if last else 0
    span = reader.norm.offsets.span(offset, offset)
    diagnostics.append(Diagnostic(
        "P106", Severity.ERROR,
        f"{spec.TABLE_LABELS[reader.table]}: the table ends before its {_REVIEW_NUMBERS} "
        f"numbers were read ({printed} printed)",
        span))


def missing_row_places(
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
        # a PDF's span stays on one page: the stretch when both ends are on it
        places[name] = (Span(stop.line, stop.column, start.line, start.column, stop.page)
                        if stop.page == start.page else start)
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

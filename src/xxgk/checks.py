"""The template's arithmetic (勾稽关系) and sanity rules, as diagnostics.

Every rule is a small function ``(report) -> Iterable[Diagnostic]`` registered in
:data:`RULES` by the :func:`rule` decorator; :func:`check` runs the registered rules
(or a ruff-style selection of them) over a parsed :class:`~xxgk.model.Report`.
Adding a rule is one function and one line::

    @rule("A104", Severity.ERROR, "what must hold, in one line")
    def _my_rule(report: Report) -> Iterator[Diagnostic]:
        ...

The rules in force are :data:`registry` (a :class:`~xxgk.registry.Registry`, also seen as
the dict :data:`RULES`); an extension package may publish a :class:`Rule` under the entry
point group ``xxgk.checks``.

Rules never raise: a missing table, row or cell is skipped, and a cell that printed
no number (``value is None``) is *not* a zero — a sum that involves one is skipped.
Rules leave ``source`` and ``line_text`` unset; the parser fills them in.

Codes (the parser uses ``P1xx``/``V2xx`` itself):

========  ========  ===================================================================
``A101``  error     applications: ``total`` = the six applicant columns, in every row
``A102``  error     applications: ``results.total`` = every ``results.*`` row, per column
``A103``  error     applications: new + carried over = ``results.total`` + carried forward
``R101``  error     review/litigation: ``total`` = upheld + corrected + other + pending
``D101``  warning   2019 active disclosure: ``published_total`` ≥ ``published``
``T301``  warning   a row or column of the report's template that the table lacks
``T302``  warning   a row or column foreign to the report's template
``M401``  warning   ``issued`` before the end of the reporting year
``M402``  warning   the year in the title, the statistics period and the body disagree
========  ========  ===================================================================
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable, Collection, Iterable, Iterator, MutableMapping, Sequence
from decimal import Decimal
from typing import Final, TypeVar

import attrs

from xxgk import spec
from xxgk.model import Cell, CellRef, Diagnostic, Report, Severity, Span, Table
from xxgk.registry import Registry

__all__ = ["ENTRY_POINT_GROUP", "READING_CODES", "RULES", "Rule", "RuleFunction", "check",
           "is_known", "is_selected", "registry", "rule"]

RuleFunction = Callable[[Report], Iterable[Diagnostic]]
"""A rule: takes a report, yields its findings (never raises)."""

_F = TypeVar("_F", bound=RuleFunction)

Number = int | Decimal


@attrs.frozen
class Rule:
    """One row of the registry: a code, its severity, a one-line summary, the function."""

    code: str
    severity: Severity
    summary: str
    function: RuleFunction


ENTRY_POINT_GROUP: Final = "xxgk.checks"
"""The entry point group that extension packages publish :class:`Rule` objects under."""


class _Rules(MutableMapping[str, Rule]):
    """:data:`registry` seen as a dict, code → rule (``del RULES[code]`` unregisters)."""

    def __getitem__(self, code: str) -> Rule:
        found = registry.get(code)
        if found is None:
            raise KeyError(code)
        return found

    def __setitem__(self, code: str, entry: Rule) -> None:
        if code != entry.code:
            raise ValueError(f"rule {entry.code} registered under another code, {code}")
        registry.register(entry)

    def __delitem__(self, code: str) -> None:
        if registry.get(code) is None:
            raise KeyError(code)
        registry.unregister(code)

    def __iter__(self) -> Iterator[str]:
        return iter(registry.names())

    def __len__(self) -> int:
        return len(registry.names())


RULES: MutableMapping[str, Rule] = _Rules()
"""The rules in force, code → :class:`Rule`, in registration order (a view of
:data:`registry`).

Register with the :func:`rule` decorator; remove a rule with ``del RULES[code]`` (or
``RULES.pop(code)``). :func:`check` reads it at every call, so changes take effect at once.
"""

_CODE = re.compile(r"[A-Z]+[0-9]+")
_builtin: list[Rule] | None = []  # the built-in rules, gathered while the module is read

READING_CODES: frozenset[str] = frozenset({
    *(f"P{n}" for n in range(101, 113)),  # the document, its tables and their layouts
    "V201", "V202", "V203",  # the values of cells
    "X001",  # a registered check that raised
    "H101", "H102",  # the HTML source: no report found in the page, a table in a table
    "W101",  # the Word source: a table in a table
    "K501", "K502",  # the agency read (xxgk.keys)
})
"""The codes of what reading a report finds (the rules' codes are those of :data:`RULES`)."""


def is_known(code: str) -> bool:
    """Whether ``code`` is a diagnostic code, or the prefix of one (``A1``), of a rule in
    :data:`RULES` or of :data:`READING_CODES`: for a ``select``/``ignore`` list."""
    code = code.upper()
    return any(known.startswith(code) for known in (*RULES, *READING_CODES))


def rule(code: str, severity: Severity | str, summary: str) -> Callable[[_F], _F]:
    """Register the decorated function as rule ``code`` in :data:`RULES`.

    ``code`` is letters then digits (``A101``) and must not be registered already;
    ``severity`` is a :class:`Severity` or its value (``"error"``). The function is
    returned unchanged, so it can still be called directly in tests.
    """
    if not _CODE.fullmatch(code):
        raise ValueError(f"rule code {code!r} is not letters followed by digits")
    if code in RULES if _builtin is None else any(r.code == code for r in _builtin):
        raise ValueError(f"rule code {code} is already registered")
    level = Severity(severity)

    def register(function: _F) -> _F:
        made = Rule(code, level, summary, function)
        if _builtin is None:
            registry.register(made)
        else:  # a built-in rule, while this module is read (entry points load later)
            _builtin.append(made)
        return function

    return register


def is_selected(
    code: str, *, select: Collection[str] | None = None, ignore: Collection[str] = ()
) -> bool:
    """Whether ``code`` passes ruff-style ``select``/``ignore`` lists of codes or prefixes.

    ``select=None`` selects everything. When a code matches both lists, the longer
    (more specific) prefix wins and a tie goes to ``ignore``: ``select=["A1"],
    ignore=["A102"]`` keeps ``A101`` but not ``A102``; ``select=["A102"], ignore=["A1"]``
    keeps ``A102``. Usable for the parser's own ``P``/``V`` codes as well.
    """
    chosen = 0 if select is None else _longest_prefix(code, _as_codes(select))
    return chosen >= 0 and chosen > _longest_prefix(code, _as_codes(ignore))


def check(
    report: Report,
    *,
    select: Collection[str] | None = None,
    ignore: Collection[str] = (),
) -> tuple[Diagnostic, ...]:
    """Run the selected rules of :data:`RULES` over ``report``.

    ``select``/``ignore`` are codes or prefixes, as in :func:`is_selected`. Returns
    the diagnostics in source order (by span; diagnostics without one last), then by
    code. ``report.diagnostics`` is neither read nor changed.
    """
    found: list[Diagnostic] = []
    for entry in list(RULES.values()):
        if is_selected(entry.code, select=select, ignore=ignore):
            try:
                made = list(entry.function(report))
                for d in made:
                    if not isinstance(d, Diagnostic):
                        raise TypeError(f"it yielded a {type(d).__name__}, not a Diagnostic")
                    if d.span is not None and not isinstance(d.span, Span):
                        raise TypeError(f"its span is a {type(d.span).__name__}, not a Span")
                found.extend(made)
            except Exception as error:  # a broken (user) rule must not break parsing
                found.append(Diagnostic(
                    "X001", Severity.ERROR, f"check {entry.code} failed: {error!r}"))
    return tuple(sorted(found, key=_source_order))


def _as_codes(codes: Collection[str]) -> Collection[str]:
    return (codes,) if isinstance(codes, str) else codes


def _longest_prefix(code: str, prefixes: Collection[str]) -> int:
    cleaned = (p.strip().upper() for p in prefixes)
    return max((len(p) for p in cleaned if code.startswith(p)), default=-1)


def _source_order(diagnostic: Diagnostic) -> tuple[bool, Span, str]:
    span = diagnostic.span
    return (span is None, span or Span(0, 0, 0, 0), diagnostic.code)


def _diagnostic(code: str, message: str, cells: Sequence[CellRef], span: Span | None) -> Diagnostic:
    """A finding of the registered rule ``code`` (its severity read from the registry)."""
    return Diagnostic(code, RULES[code].severity, message, span, tuple(cells))


# --- helpers over tables ---------------------------------------------------------------


def _table(report: Report, name: str) -> Table | None:
    return report.tables.get(name)


def _values(table: Table, cells: Sequence[tuple[str, str]]) -> list[Number] | None:
    """The values at ``(row, column)`` addresses, or ``None`` when one is unprinted or null."""
    values: list[Number] = []
    for row, column in cells:
        cell = table.get(row, column)
        if cell is None or cell.value is None:
            return None
        values.append(cell.value)
    return values


def _sum(values: Iterable[Number]) -> Number:
    total: Number = 0
    for value in values:
        total = total + value
    return total


def _refs(table: Table, cells: Iterable[tuple[str, str]]) -> list[CellRef]:
    return [(table.name, row, column) for row, column in cells]


def _label(table: str, row: str, column: str | None = None) -> str:
    return spec.label(table, row, column)


def _column_label(table: str, column: str) -> str:
    return spec.COLUMN_LABELS.get(table, {}).get(column, column)


def _plus(values: Iterable[object]) -> str:
    return " + ".join(str(v) for v in values)


# --- applications (收到和处理政府信息公开申请情况) ------------------------------------------

_APPLICANTS = tuple(c for c in spec.APPLICANT_COLUMNS if c != "total")


def _row_totals(
    table: Table, rows: Iterable[str], columns: Sequence[str]
) -> Iterator[tuple[str, Cell, Number, list[tuple[str, str]]]]:
    """Rows whose printed ``total`` differs from the sum of ``columns`` in that row:
    ``(row, total cell, sum, parts)``; rows with a missing or null cell are skipped."""
    for row in rows:
        total = table.get(row, "total")
        parts = [(row, column) for column in columns]
        values = _values(table, parts)
        if total is None or total.value is None or values is None:
            continue
        if total.value != (added := _sum(values)):
            yield row, total, added, parts


@rule("A101", Severity.ERROR, "applications: in every row, 总计 = the six applicant columns")
def _applications_row_sum(report: Report) -> Iterator[Diagnostic]:
    table = _table(report, "applications")
    if table is None:
        return
    for row, total, added, parts in _row_totals(table, table.rows, _APPLICANTS):
        yield _diagnostic(
            "A101",
            f"{_label(table.name, row, 'total')} is {total.value} but its applicant "
            f"columns ({'、'.join(_column_label(table.name, c) for c in _APPLICANTS)}) "
            f"add up to {added}",
            _refs(table, [(row, "total"), *parts]),
            total.span,
        )


def _outcome_rows(table: Table) -> list[str]:
    """The ``results.*`` rows that make up ``results.total``: every one present, except a
    group subtotal (``results.other.total``) whose sub-rows are printed as well."""
    rows = [r for r in table.rows if r.startswith("results.") and r != "results.total"]
    return [
        r
        for r in rows
        if not (
            r.endswith(".total")
            and any(o != r and o.startswith(r.removesuffix("total")) for o in rows)
        )
    ]


@rule("A102", Severity.ERROR, "applications: in every column, （七）总计 = every results row")
def _applications_outcome_total(report: Report) -> Iterator[Diagnostic]:
    table = _table(report, "applications")
    if table is None or "results.total" not in table:
        return
    outcomes = _outcome_rows(table)
    if not outcomes:
        return
    for column, total in table["results.total"].items():
        parts = [(row, column) for row in outcomes]
        values = _values(table, parts)
        if total.value is None or values is None:
            continue
        if total.value != (added := _sum(values)):
            yield _diagnostic(
                "A102",
                f"{_label(table.name, 'results.total', column)} is {total.value} "
                f"but its rows add up to {added}",
                _refs(table, [("results.total", column), *parts]),
                total.span,
            )


@rule("A103", Severity.ERROR, "applications: 一 + 二 = （七）总计 + 四, in every column")
def _applications_balance(report: Report) -> Iterator[Diagnostic]:
    table = _table(report, "applications")
    if table is None or "results.total" not in table:
        return
    incoming = ("new_received", "carried_over")
    outgoing = ("results.total", "carried_forward")
    for column, total in table["results.total"].items():
        ins = _values(table, [(row, column) for row in incoming])
        outs = _values(table, [(row, column) for row in outgoing])
        if ins is None or outs is None or _sum(ins) == _sum(outs):
            continue
        name = table.name
        yield _diagnostic(
            "A103",
            f"{' + '.join(_label(name, r) for r in incoming)} = {_plus(ins)} but "
            f"{' + '.join(_label(name, r) for r in outgoing)} = {_plus(outs)} "
            f"in {_column_label(name, column)}",
            _refs(table, [(row, column) for row in (*outgoing[:1], *incoming, *outgoing[1:])]),
            total.span,
        )


# --- review / litigation (行政复议、行政诉讼) ----------------------------------------------

_REVIEW_PARTS = tuple(c for c in spec.REVIEW_COLUMNS if c != "total")


@rule("R101", Severity.ERROR, "review/litigation: 总计 = 维持 + 纠正 + 其他 + 尚未审结, per group")
def _review_group_total(report: Report) -> Iterator[Diagnostic]:
    table = _table(report, "review_litigation")
    if table is None:
        return
    for group, total, added, parts in _row_totals(table, spec.REVIEW_GROUPS, _REVIEW_PARTS):
        yield _diagnostic(
            "R101",
            f"{_label(table.name, group, 'total')} is {total.value} but "
            f"{' + '.join(_column_label(table.name, c) for c in _REVIEW_PARTS)} = {added}",
            _refs(table, [(group, "total"), *parts]),
            total.span,
        )


# --- active disclosure (主动公开政府信息情况) -----------------------------------------------


@rule("D101", Severity.WARNING, "2019 active disclosure: 对外公开总数量 ≥ 本年新公开数量")
def _published_total(report: Report) -> Iterator[Diagnostic]:
    table = _table(report, "active_disclosure")
    if table is None:
        return
    for row in ("rules", "normative_documents"):
        total = table.get(row, "published_total")
        published = table.get(row, "published")
        if total is None or published is None or total.value is None or published.value is None:
            continue
        if total.value < published.value:
            yield _diagnostic(
                "D101",
                f"{_label(table.name, row, 'published_total')} is {total.value}, less than "
                f"{_column_label(table.name, 'published')} {published.value}",
                _refs(table, [(row, "published_total"), (row, "published")]),
                total.span,
            )


# --- template fit ---------------------------------------------------------------------------


def _fitted_tables(report: Report) -> Iterator[tuple[str, Table]]:
    """``(template, table)`` for every known table of a report whose template is known."""
    template = report.template
    if template is None or template not in spec.TEMPLATES:
        return
    for name in spec.TABLE_LABELS:
        table = _table(report, name)
        if table is not None:
            yield template, table


def _where(table: Table, template: str) -> str:
    return f"{spec.TABLE_LABELS.get(table.name, table.name)} (template {template})"


def _point_before(table: Table, rows: Sequence[str], index: int) -> Span | None:
    """Where row ``rows[index]`` would have been printed: before the next printed row,
    else after the previous one, else the table."""
    for later in rows[index + 1 :]:
        if cells := list(table.rows.get(later, {}).values()):
            return Span.point(cells[0].span.line, cells[0].span.column)
    for earlier in reversed(rows[:index]):
        if cells := list(table.rows.get(earlier, {}).values()):
            return Span.point(cells[-1].span.end_line, cells[-1].span.end_column)
    return table.span


@rule("T301", Severity.WARNING, "template fit: a row or column of the template is missing")
def _template_missing(report: Report) -> Iterator[Diagnostic]:
    for template, table in _fitted_tables(report):
        rows = spec.rows_as_printed(template, table.name, table.rows)
        missing: dict[str, list[str]] = {}  # printed row -> its missing columns
        for index, row in enumerate(rows):
            if row not in table:
                columns = spec.columns_of(template, table.name, row)
                yield _diagnostic(
                    "T301",
                    f"{_label(table.name, row)} is missing from {_where(table, template)}",
                    _refs(table, [(row, column) for column in columns]),
                    _point_before(table, rows, index),
                )
                continue
            lacking = [c for c in spec.columns_of(template, table.name, row) if c not in table[row]]
            if lacking:
                missing[row] = lacking
        # A column missing from every printed row that should have it: one finding.
        for column in dict.fromkeys(c for lacking in missing.values() for c in lacking):
            expected = [
                r for r in rows if r in table and column in spec.columns_of(template, table.name, r)
            ]
            if len(expected) > 1 and all(column in missing.get(r, ()) for r in expected):
                for r in expected:
                    missing[r].remove(column)
                yield _diagnostic(
                    "T301",
                    f"column {_column_label(table.name, column)} is missing from "
                    f"{_where(table, template)}",
                    _refs(table, [(r, column) for r in expected]),
                    table.span,
                )
        for row, lacking in missing.items():
            if lacking:
                last = list(table[row].values())
                yield _diagnostic(
                    "T301",
                    f"{_label(table.name, row)} lacks "
                    f"{'、'.join(_column_label(table.name, c) for c in lacking)} "
                    f"in {_where(table, template)}",
                    _refs(table, [(row, column) for column in lacking]),
                    Span.point(last[-1].span.end_line, last[-1].span.end_column)
                    if last
                    else table.span,
                )


@rule("T302", Severity.WARNING, "template fit: a row or column foreign to the template")
def _template_foreign(report: Report) -> Iterator[Diagnostic]:
    for template, table in _fitted_tables(report):
        rows = spec.rows_as_printed(template, table.name, table.rows)
        known_columns = {c for r in rows for c in spec.columns_of(template, table.name, r)}
        foreign: dict[str, list[str]] = {}  # column foreign to the whole table -> its rows
        for row, columns in table.rows.items():
            first = next(iter(columns.values()), None)
            if row not in rows:
                yield _diagnostic(
                    "T302",
                    f"{_label(table.name, row)} is not a row of {_where(table, template)}",
                    _refs(table, [(row, column) for column in columns]),
                    first.span if first is not None else table.span,
                )
                continue
            allowed = spec.columns_of(template, table.name, row)
            for column, cell in columns.items():
                if column not in known_columns:
                    foreign.setdefault(column, []).append(row)
                elif column not in allowed:
                    yield _diagnostic(
                        "T302",
                        f"{_label(table.name, row, column)} is not a cell of "
                        f"{_where(table, template)}",
                        _refs(table, [(row, column)]),
                        cell.span,
                    )
        for column, in_rows in foreign.items():
            yield _diagnostic(
                "T302",
                f"column {_column_label(table.name, column)} is not a column of "
                f"{_where(table, template)}",
                _refs(table, [(row, column) for row in in_rows]),
                table[in_rows[0]][column].span,
            )


# --- metadata -------------------------------------------------------------------------------


@rule("M401", Severity.WARNING, "dates: the report is issued before its reporting year ends")
def _issued_early(report: Report) -> Iterator[Diagnostic]:
    if report.issued is None or report.year is None:
        return
    if report.issued <= _dt.date(report.year, 12, 31):
        yield _diagnostic(
            "M401",
            f"issued {report.issued.isoformat()} is before the end of reporting year {report.year}",
            (),
            report.issued_span,
        )


@rule("M402", Severity.WARNING, "year agreement: the title, period and body name different years")
def _year_agreement(report: Report) -> Iterator[Diagnostic]:
    mentions = report.year_mentions
    years = [m.year for m in mentions]
    if len(set(years)) < 2:
        return
    # The reference is the report's year when some mention states it, else the first mention.
    expected = report.year if report.year in years else years[0]
    agreeing = next(m for m in mentions if m.year == expected)
    odd = next(m for m in mentions if m.year != expected)
    yield _diagnostic(
        "M402",
        f"the {odd.where} says {odd.year} but the {agreeing.where} says {expected}",
        (),
        odd.span,
    )


registry: Final[Registry[Rule]] = Registry(Rule, ENTRY_POINT_GROUP, _builtin or (),
                                           lambda entry: entry.code)
"""The rules in force: the built-in ones above, then those of :data:`ENTRY_POINT_GROUP`,
then those registered by :func:`rule` (see :class:`~xxgk.registry.Registry`)."""
_builtin = None

"""Robustness: hostile and damaged input never crashes and never loses a printed number.

Three promises, each tested here over the corpus and over damaged variants of it:

* **one contract**: reading any text returns a :class:`~xxgk.Report`; only input that is
  not text (bytes that decode to nothing readable, empty input) raises, and then only
  :class:`~xxgk.ParseError`. The tests call the pipeline's inner reader
  (``pipeline._read``) so that a bug is not hidden by the safety net of ``xxgk.parse``
  that turns internal exceptions into ``ParseError("internal error …")``;
* **no silent loss** (:func:`unaccounted_numbers`): every number printed inside a table
  block is a cell of the result, or lies in the span of a reading diagnostic
  (``P1xx``/``V2xx``) that reports it;
* **partial recovery** (:func:`data_rows`, ``test_deleting_a_data_row``): deleting any one
  data row of a seed leaves every other row as it was, and the missing row is named, by
  its printed label, by one diagnostic placed where the row was.

The property tests are derandomised (the same examples on every run) and bounded so
that the file runs in under a minute on two cores; ``benchmarks/fuzz.py`` runs the
same properties on many more examples.
"""

from __future__ import annotations

import functools
import gc
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import xxgk
from xxgk import ParseError, pipeline, spec
from xxgk.decode import check_text
from xxgk.document import Block, read_outline
from xxgk.layouts import read_grid
from xxgk.model import Cell, Report, Span
from xxgk.normalize import NormalizedText, normalize
from xxgk.tables import lex_grid

ROOT = Path(__file__).resolve().parents[1]
# Documents whose text is the report's text: not crawled pages, which their source re-flows
# first (corpus/crawl, tested in tests/test_crawl.py).
CORPUS = sorted(p for p in (ROOT / "corpus").rglob("*")
                if p.suffix in (".txt", ".md") and not p.name.upper().startswith("README")
                and p.parent.name != "crawl")
SEEDS = sorted((ROOT / "corpus" / "seeds").glob("*.txt"))

# --- helpers: reading without the safety net ----------------------------------------------


def read(text: str) -> Report:
    """Read ``text`` the way :func:`xxgk.parse` does, minus its ``internal error`` net:
    an exception escaping here is a bug of the pipeline."""
    return pipeline._read(normalize(text), None)


# --- helpers: the no-silent-loss invariant -------------------------------------------------

# The oracle's own rule for "a number printed in a table", written from the documents'
# side and not from the reader's patterns: a table line is cut into fields at pipes, tabs
# and runs of white space; a field is a number when, once ?-noise is taken off, it is one
# (a sign or 增/减 before it, 万元/元 after it allowed: "+2", "减22", "55566.88万元"), and a
# field of text ending in digits ("行政许可625", "尚未审结减3") ends in a number glued to its
# label. Digits anywhere else in a field (row numbering "1.属于", "2020年", "5件") are no
# value: the template has no cell there.
_FIELD = re.compile(r"[^|\s]+")  # the text between pipes, tabs, spaces and line breaks
_WHOLE_NUMBER = re.compile(r"[+\-增减]?(\d[\d,]*(?:\.\d+)?)(?:万元|亿元|元)?")
_TRAILING_DIGITS = re.compile(r"[^\d.,](\d+)$")

# Diagnostics that report what the reader could not read (as opposed to the checks, whose
# spans point at cells that were read).
_READING = ("P", "V")


def table_blocks(norm: NormalizedText) -> Iterator[Block]:
    """The ``TABLE`` blocks of the normalised text, in order."""
    outline = read_outline(norm.text)
    blocks = list(outline.preamble)
    for _, items in outline.sections:
        blocks.extend(items)
    yield from (b for b in blocks if b.kind == "TABLE")


def printed_numbers(norm: NormalizedText) -> Iterator[tuple[int, int, str]]:
    """``(line, column, number)`` of every number printed in a table block, in the
    original text's coordinates."""
    for block in table_blocks(norm):
        for found in _FIELD.finditer(norm.text, block.start, block.end):
            field = found.group()
            bare = field.strip("?")
            offset = found.start() + field.index(bare) if bare else found.start()
            whole = _WHOLE_NUMBER.fullmatch(bare)
            if whole is not None:
                digits = offset + whole.start(1)
            else:
                glued = _TRAILING_DIGITS.search(bare)
                if glued is None:
                    continue
                digits = offset + glued.start(1)
            span = norm.offsets.span(digits, digits + 1)
            yield span.line, span.column, bare


def _inside(line: int, column: int, span: Span) -> bool:
    if (span.line, span.column) == (span.end_line, span.end_column):
        return (line, column) == (span.line, span.column)
    return (span.line, span.column) <= (line, column) < (span.end_line, span.end_column)


def report_cells(report: Report) -> Iterator[tuple[str, str, str, Cell]]:
    for name, table in report.tables.items():
        if table is None:
            continue
        for row, columns in table.rows.items():
            for column, cell in columns.items():
                yield name, row, column, cell


def _by_line(spans: Iterator[Span]) -> dict[int, list[Span]]:
    index: dict[int, list[Span]] = {}
    for span in spans:
        for line in range(span.line, span.end_line + 1):
            index.setdefault(line, []).append(span)
    return index


def unaccounted_numbers(text: str, report: Report | None = None) -> list[tuple[int, int, str]]:
    """The numbers printed in a table block of ``text`` that are neither a cell of
    ``report`` (read from ``text`` when not given) nor inside the span of a reading
    diagnostic: numbers lost without a word. The invariant is that there are none."""
    norm = normalize(text)
    if report is None:
        report = pipeline._read(norm, None)
    cells = _by_line(cell.span for *_, cell in report_cells(report))
    reported = _by_line(d.span for d in report.diagnostics
                        if d.span is not None and d.code.startswith(_READING))
    lost = []
    for line, column, number in printed_numbers(norm):
        if any(_inside(line, column, s) for s in cells.get(line, ())):
            continue  # a cell (its span may start before the digits: "?0", "+2")
        if any(_inside(line, column, s) for s in reported.get(line, ())):
            continue
        lost.append((line, column, number))
    return lost


# --- helpers: the data rows of a document ------------------------------------------------


@attrs.frozen
class DataRow:
    """One printed data row of a document: its original lines ``first..last`` (1-based,
    inclusive) and the canonical ``(table, row)`` names read from them."""

    first: int
    last: int
    rows: tuple[tuple[str, str], ...]


def _blank(line: str) -> bool:
    """A line without any cell text: blank, or only tabs, spaces and pipes."""
    return not line.strip(" \t\u3000|")


def data_rows(text: str, report: Report | None = None) -> list[DataRow]:
    """The printed data rows of ``text`` (grid rows holding a number), each as the lines
    that deleting it removes, by layout: a label line and its value lines for
    ``tab_cell``; the line of pipes that opens the row and its cell lines for
    ``pipe_cell``; the one line for ``bar_row`` and ``markdown``."""
    norm = normalize(text)
    if report is None:
        report = pipeline._read(norm, None)
    lines = text.split("\n")
    by_line: dict[int, set[tuple[str, str]]] = {}
    for name, row, _, cell in report_cells(report):
        by_line.setdefault(cell.span.line, set()).add((name, row))
    result = []
    for block in table_blocks(norm):
        grid = read_grid(norm.text, block.start, block.end)
        if grid is None:
            continue
        tokens = lex_grid(grid)
        for row in tokens.rows:
            types = [t.type for t in row]
            if "VALUE" not in types:
                continue
            cells = [tokens.cells[t.start_pos or 0] for t in row[:-1]]
            line = [norm.offsets.span(c.start, c.start).line for c in cells]
            first_value = next(i for i, t in enumerate(types) if t in ("VALUE", "EMPTY"))
            if grid.layout == "tab_cell":
                first = line[first_value - 1] if first_value else line[0]
            elif grid.layout == "pipe_cell":
                first = line[0]
                if first >= 2 and lines[first - 2].strip(" |") == "":
                    first -= 1  # the line of pipes that opens the row
            else:
                first = line[0]
            last = line[-1]
            names = sorted({n for k in range(first, last + 1) for n in by_line.get(k, ())})
            result.append(DataRow(first, last, tuple(names)))
    return result


def delete_lines(text: str, first: int, last: int) -> str:
    lines = text.split("\n")
    return "\n".join(lines[:first - 1] + lines[last:])


def nearest_boundary(text: str, at: int) -> tuple[int, int]:
    """The lines around line ``at`` of ``text`` that hold text: the last one of a table
    block before it and the first one at or after it (the row boundaries a diagnostic
    about a row missing at ``at`` may point at)."""
    lines = text.split("\n")
    norm = normalize(text)
    in_tables = set()
    for block in table_blocks(norm):
        span = norm.offsets.span(block.start, block.end)
        in_tables.update(range(span.line, span.end_line + 1))
    before = next((k for k in range(at - 1, 0, -1)
                   if k in in_tables and not _blank(lines[k - 1])), 1)
    after = next((k for k in range(at, len(lines) + 1) if not _blank(lines[k - 1])), len(lines))
    return before, after


def moved(span: Span, first: int, count: int) -> Span:
    """``span`` after deleting ``count`` lines from line ``first`` on (it lies outside)."""
    if span.line < first:
        return span
    return Span(span.line - count, span.column, span.end_line - count, span.end_column)


# --- partial recovery: deleting one data row ------------------------------------------------

# Findings that follow from a missing row without being about it: sums that no longer add up.
_CONSEQUENCES = frozenset({"A101", "A102", "A103", "R101", "D101"})


def _deletions() -> Iterator[Any]:
    for path in SEEDS:
        text = path.read_text(encoding="utf-8")
        for row in data_rows(text):
            yield pytest.param(path, row, id=f"{path.name[:3]}-{row.first}-{row.last}")


def _crosses(span: Span, first: int, last: int) -> bool:
    return span.line <= last and span.end_line >= first


def _names(message: str, label: str) -> bool:
    """Whether ``message`` names the row ``label`` (not a longer label it begins, nor the
    table's own label, "政府信息公开行政复议、行政诉讼情况", that holds "行政复议")."""
    for table_label in spec.TABLE_LABELS.values():
        message = message.replace(table_label, "")
    return re.search(rf"{re.escape(label)}(?![\w.“])", message) is not None


@pytest.mark.parametrize(("path", "row"), list(_deletions()))
def test_deleting_a_data_row(path: Path, row: DataRow) -> None:
    text = path.read_text(encoding="utf-8")
    base = read(text)
    damaged = delete_lines(text, row.first, row.last)
    report = read(damaged)
    count = row.last - row.first + 1
    assert row.rows, "a data row reads as some template row"

    # Every other row is read as before, at its (moved) place.
    for name, name_row, column, cell in report_cells(base):
        if (name, name_row) in row.rows:
            continue
        table = report.tables[name]
        assert table is not None
        assert table.get(name_row, column) == attrs.evolve(
            cell, span=moved(cell.span, row.first, count)), (name, name_row, column)
    for name, name_row in row.rows:
        table = report.tables[name]
        assert table is None or name_row not in table

    # No number is lost on the way.
    assert unaccounted_numbers(damaged, report) == []

    # The missing row is named by one diagnostic, where the row was; nothing else is new
    # but sums that no longer add up.
    old = {(d.code, d.message) for d in base.diagnostics}
    new = [d for d in report.diagnostics if (d.code, d.message) not in old]
    before, after = nearest_boundary(damaged, row.first)
    naming_all = set()
    for name, name_row in row.rows:
        label = spec.ROW_LABELS[name][name_row]
        naming = [d for d in new if _names(d.message, label)]
        assert len(naming) == 1, (label, [d.message for d in new])
        (found,) = naming
        assert found.span is not None and _crosses(found.span, before, after), (
            f"{label}: at {found.span}, expected on lines {before}-{after}")
        naming_all.add(found)
    # numbers of the review table deleted: it prints fewer than its 15 (P106)
    allowed = _CONSEQUENCES | ({"P106"} if any(name == "review_litigation"
                                               for name, _ in row.rows) else set())
    others = [d for d in new if d not in naming_all and d.code not in allowed]
    assert others == [], [d.render() for d in others]


# --- one contract ----------------------------------------------------------------------------


def test_the_corpus_loses_no_number() -> None:
    for path in CORPUS:
        text = path.read_text(encoding="utf-8")
        assert unaccounted_numbers(text) == [], path.name


def test_the_oracle_sees_what_a_report_drops() -> None:
    """The oracle counts a seed's numbers by its own rule (at least the cells read), and a
    cell taken out of the report is then a number lost."""
    text = _seed("003")
    report = read(text)
    cells = list(report_cells(report))
    assert len(list(printed_numbers(normalize(text)))) >= sum(
        1 for *_, cell in cells if cell.value is not None)
    name, row, column, cell = next(c for c in cells if c[3].value is not None)
    table = report.tables[name]
    assert table is not None
    kept = {r: dict(cols) for r, cols in table.rows.items()}
    del kept[row][column]
    dropped = attrs.evolve(report, tables={**report.tables,
                                           name: attrs.evolve(table, rows=kept)})
    assert [(line, col) for line, col, _ in unaccounted_numbers(text, dropped)] == [
        (cell.span.line, cell.span.column)]


@pytest.mark.parametrize("text", [
    "\ud800", "政\ud800府\n\t0", "一、\ud83d\udca9",  # lone surrogates: a str may hold them
    "\u200b", "\ufeff\n", "[bookmark: _GoBack]", "\x00政", "\x85\u2028\u2029",
    "|", "\t", "||||\n|\n\t|", "一、", "（七）总计", "(七)总计 | 1 |", "2021年1月19日",
    "三、收到和处理政府信息公开申请情况\n|\n", "四、政府信息公开行政复议、行政诉讼情况\n\t0",
])
def test_odd_text_is_read(text: str) -> None:
    report = read(text)
    assert unaccounted_numbers(text, report) == []
    if "\x00" in text or not text.strip("\u200b\ufeff \n\t\x85\u2028\u2029"):
        # parse() treats str as it treats bytes: blank text is empty input, NUL is binary
        with pytest.raises(ParseError):
            xxgk.parse(text)
    else:
        assert xxgk.parse(text) == report


@pytest.mark.parametrize("data", [None, 3, 2.5, ["一、总体情况"], object()])
def test_what_is_not_text_raises_parse_error(data: object) -> None:
    with pytest.raises(ParseError, match="not text"):
        xxgk.parse(data)  # type: ignore[arg-type]


def test_bytes_like_input_is_decoded() -> None:
    text = SEEDS[0].read_text(encoding="utf-8")
    expected = xxgk.parse(text)
    assert xxgk.parse(bytearray(text.encode("utf-8"))) == expected
    assert xxgk.parse(memoryview(text.encode("gb18030"))) == expected


# Damage found by fuzzing, each once lost numbers or broke a message: (seed, printed text,
# damaged text, the code that must now report it).
_DAMAGE = [
    ("000", "\t规章\n\t0\n\t0\n\t0\n", "\t规章\n\t0\n\t0\n\t0\n\n\t规章\n\t0\n\t0\n\t0\n", "P109"),
    ("004", "行政许可 | 476 | ||", "行政许可 | 476 | ||\n行政许可 | 476 | ||", "P109"),
    ("001", "\t行政许可\n\t625", "\t行政许可 625", "P109"),
    ("004", "(二)部分公开(区分处理的,只计这一情形,不计其他情形) | ?0",
     "(二)部分公开(区分处理的,只计这一情形,不计其他情形) ?0| 0", "P109"),
    ("004", "尚未审结 | 总计 | |||||", "尚未审结减3 | 总计 | |||||", "P109"),
    # a stray "?" line glues two printed numbers into one cell: not read as one number
    ("000", "\t规章\n\t0\n\t0", "\t规章\n\t0\n?\t0", "V203"),
]


def test_a_numbered_fragment_inside_a_table_is_no_heading() -> None:
    """"三、维" (a vertical header cell broken over lines) used to split the review table
    as a section heading; a heading's title has at least three characters."""
    text = _seed("000").replace("维\n持\n\t结\n果\n纠", "三、维\n持\n\t结\n果\n纠", 1)
    _check_contract(text)
    report = read(text)
    assert report.review_litigation is not None
    assert len(list(report.review_litigation.cells())) == 15
    assert not [d for d in report.diagnostics if d.code.startswith("P")]


@pytest.mark.parametrize(("seed", "printed", "damaged", "code"), _DAMAGE,
                         ids=[f"{d[0]}-{d[3]}-{i}" for i, d in enumerate(_DAMAGE)])
def test_damage_found_by_fuzzing(seed: str, printed: str, damaged: str, code: str) -> None:
    text = _seed(seed)
    assert printed in text
    text = text.replace(printed, damaged, 1)
    _check_contract(text)
    assert code in {d.code for d in read(text).diagnostics}


# --- property tests: random and damaged text ---------------------------------------------------

# Pieces that mean something to some stage: row and table labels, headings, layout
# separators, numbers in every printed form, page furniture, normalisation's inputs.
_PIECES = sorted({
    *(label for labels in spec.ROW_LABELS.values() for label in labels.values()),
    *spec.TABLE_LABELS.values(),
    "一、", "二、", "三、", "四、", "（七）总计", "(六)其他处理", "总体情况", "第二十条第（一）项",
    "信息内容", "本年制发件数", "本年新制作数量", "申请人情况", "自然人", "结果维持",
    "|", " | ", "||", "|||", "\t", "\t\n", "\n", "\n\n", " ", "  ", "|---|---|",
    "0", "1", "7", "12", "+2", "-16", "增5", "减3", "55566.88万元", "?0", "0?", "/", "—", "无",
    "０", "１２", "３", "？", "\u3000", "\u00a0", "\r\n", "\r", "\u200b", "[bookmark: _GoBack]",
    "- 3 -", "第 2 页", "2021年1月19日", "〔2019〕60号", "〔2021〕30号", "報告", "萬元",
})
_FRAGMENTS = ("|", "\t", "?", "？", "一、", "三、", "（七）总计", "(三)不予公开", "１２", "０",
              "９", " | ", "\t0", "||", "- 2 -")
_CORPUS_TEXTS = [p.read_text(encoding="utf-8") for p in CORPUS]

random_text = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=4)), max_size=120)
    .map("".join),
)


@st.composite
def damaged_documents(draw: st.DrawFn) -> str:
    """A corpus document with a few lines deleted, duplicated, truncated or shuffled, and
    separators, noise, heading fragments and full-width digits inserted."""
    lines = draw(st.sampled_from(_CORPUS_TEXTS)).split("\n")
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(lines) - 1))
        kind = draw(st.sampled_from(["delete", "duplicate", "truncate", "shuffle", "insert"]))
        if kind == "delete" and len(lines) > 1:
            del lines[at]
        elif kind == "duplicate":
            lines.insert(at, lines[at])
        elif kind == "truncate":
            lines[at] = lines[at][:draw(st.integers(0, len(lines[at])))]
        elif kind == "shuffle":
            stop = min(len(lines), at + draw(st.integers(2, 12)))
            lines[at:stop] = draw(st.permutations(lines[at:stop]))
        else:
            where = draw(st.integers(0, len(lines[at])))
            piece = draw(st.sampled_from(_FRAGMENTS))
            lines[at] = lines[at][:where] + piece + lines[at][where:]
    return "\n".join(lines)


def _check_contract(text: str) -> None:
    report = read(text)  # must not raise
    lost = unaccounted_numbers(text, report)
    assert lost == [], f"numbers lost without a diagnostic: {lost}"
    for diagnostic in report.diagnostics:
        assert "\n" not in diagnostic.message, diagnostic.message
        assert not any("\n" in note for note in diagnostic.notes), diagnostic.notes
        diagnostic.render()
    # parse() refuses a str as it refuses bytes: blank (empty input) or with the control
    # characters of binary data; the pipeline itself reads even those without failing.
    try:
        check_text(text)
    except ParseError as refused:
        assert refused.message.startswith(("empty input", "binary data in text"))
        with pytest.raises(ParseError):
            xxgk.parse(text)
    else:
        assert xxgk.parse(text) == report


@settings(max_examples=150, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(random_text)
def test_random_text_is_read(text: str) -> None:
    _check_contract(text)


@settings(max_examples=150, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(damaged_documents())
def test_damaged_documents_are_read(text: str) -> None:
    _check_contract(text)


@settings(max_examples=100, derandomize=True, deadline=None)
@given(st.binary(max_size=400))
def test_bytes_read_or_raise_parse_error(data: bytes) -> None:
    try:
        report = xxgk.parse(data)
    except ParseError as error:
        assert "internal error" not in error.message
    else:
        assert isinstance(report, Report)


# --- no reference cycles: a caller may pause the collector around parse() at no cost ------


def _cyclic_garbage_of(fn: Callable[[], object]) -> int:
    """How many objects made unreachable by ``fn()`` only the cycle collector could free,
    with the table shapes forgotten (every table parsed) and remembered."""
    fn()  # first: parsers and caches are built (their construction may leave cycles)
    gc.collect()
    was = gc.isenabled()
    gc.disable()
    try:
        pipeline._forget_shapes()
        fn()  # tables parsed, shapes remembered
        found = gc.collect()
        fn()  # tables read along the shapes remembered
        return found + gc.collect()
    finally:
        if was:
            gc.enable()


def test_reading_the_corpus_makes_no_reference_cycles() -> None:
    # a caller reading huge reports may pause the collector (docs/performance.md): this holds
    # parse() to leaving nothing for it to collect
    for path in CORPUS:
        parse = functools.partial(xxgk.parse, path.read_bytes(), str(path))
        assert _cyclic_garbage_of(parse) == 0, path


@settings(max_examples=30, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(damaged_documents())
def test_reading_damaged_documents_makes_no_reference_cycles(text: str) -> None:
    # rows the grammar rejects raise and catch parse errors: those leave no cycles either
    assert _cyclic_garbage_of(lambda: read(text)) == 0


def test_parse_leaves_the_collector_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """No process-wide side effect: the collector runs during a parse when it ran before,
    and stays paused when the caller paused it (docs/performance.md)."""
    seen: list[bool] = []
    real = pipeline._read

    def spy(norm: NormalizedText, source: str | None, read: object = None) -> Report:
        seen.append(gc.isenabled())
        return real(norm, source)

    monkeypatch.setattr(pipeline, "_read", spy)
    text = _seed("003")
    assert gc.isenabled()
    xxgk.parse(text)
    assert seen == [True] and gc.isenabled()
    gc.disable()
    try:
        xxgk.parse(text)
        assert seen == [True, False] and not gc.isenabled()
    finally:
        gc.enable()


# --- time linear in the size of the input ------------------------------------------------------

_APPLICATIONS = "按国办公开办函〔2021〕30号的格式。\n三、收到和处理政府信息公开申请情况\n"
_ROW = ("（七）总计", "1", "0", "0", "0", "0", "0", "1")


def _seed_tail(prefix: str) -> str:
    return (ROOT / "corpus" / "seeds").glob(f"{prefix}*.txt").__next__().read_text("utf-8")


# Each family: size n -> a text that grows linearly with n, and the n to time at (the
# timed sizes are n and 10 n).
_FAMILIES: dict[str, tuple[Callable[[int], str], int]] = {
    "one long line": (lambda n: "政府信息公开 " * (n // 7), 100_000),
    "one long table line": (lambda n: _APPLICATIONS + "（七）总计 | " + "0 | " * (n // 4), 20_000),
    "tab_cell rows": (lambda n: _APPLICATIONS + ("".join(f"\t{c}\n" for c in _ROW) + "\n") * n,
                      2_000),
    "bar_row rows": (lambda n: _APPLICATIONS + (" | ".join(_ROW) + " |\n") * n, 2_000),
    "pipe_cell rows": (lambda n: _APPLICATIONS + ("|\n" + "".join(f"{c} |\n" for c in _ROW)) * n,
                       1_000),
    "markdown rows": (lambda n: _APPLICATIONS + "| a | b |\n|---|---|\n"
                      + ("| " + " | ".join(_ROW) + " |\n") * n, 1_000),
    "consecutive pipes": (lambda n: _seed("004").replace(
        "行政许可 | 476 | ||", "行政许可 | 476 |" + "|" * n), 5_000),
    # one line of nothing but pipes: a row of n empty cells (was quadratic, found by review)
    "a line of pipes": (lambda n: "二、主动公开政府信息情况\n" + "|" * n + "\n", 5_000),
    "lines of pipes": (lambda n: _seed("003").replace("|||\n", "|\n" * n + "|||\n", 1), 5_000),
    "repeated headings": (lambda n: "一、总体情况\n二、主动公开政府信息情况\n" * n, 2_000),
    "headings between rows": (lambda n: (_APPLICATIONS + " | ".join(_ROW) + " |\n") * n, 500),
    "repeated seed": (lambda n: _seed("000") * n, 2),
    "unreadable rows": (lambda n: _APPLICATIONS + "合计 | 1 | x | 2 | ? |\n" * n, 2_000),
}


def _seed(prefix: str) -> str:
    (path,) = [p for p in SEEDS if p.name.startswith(prefix)]
    return path.read_text(encoding="utf-8")


def _timed(text: str) -> tuple[float, Report]:
    """The wall-clock time of the public :func:`xxgk.parse` of ``text``, and its report."""
    gc.collect()
    start = time.perf_counter()
    report = xxgk.parse(text)
    return time.perf_counter() - start, report


@pytest.mark.slow  # wall clock: run by .ci/run in a step of its own (pytest -m slow)
@pytest.mark.parametrize("family", list(_FAMILIES))
def test_time_is_linear_in_the_size(family: str) -> None:
    make, n = _FAMILIES[family]
    small, large = make(n), make(10 * n)
    _timed(small)  # warm-up: parsers and caches
    base = max(min(_timed(small)[0] for _ in range(3)), 1e-3)
    took, report = _timed(large)
    if took / base >= 3.5 * len(large) / len(small):  # a busy spell: the best of two
        took = min(took, _timed(large)[0])
    grew = len(large) / len(small)
    assert grew > 5
    # Linear time grows as the size (10x), quadratic as its square (100x). The bound, 5x
    # the growth, leaves room for a loaded shared machine but not for a square.
    assert took / base < 5 * grew, f"{family}: {grew:.1f}x the size took {took / base:.0f}x"
    assert unaccounted_numbers(large, report) == []
    if family.endswith(" rows") and family != "unreadable rows":
        table = report.tables["applications"]  # 20 000 rows: the first read, the rest reported
        assert table is not None and "results.total" in table
        repeats = [d for d in report.diagnostics if "printed again" in d.message]
        assert len(repeats) == 10 * n - 1


def test_a_megabyte_line_and_five_thousand_pipes() -> None:
    line = "（七）总计 |" + "|" * 5_000 + " 0 |" * 250_000
    assert len(line) > 1_000_000
    report = read(_APPLICATIONS + line)
    assert unaccounted_numbers(_APPLICATIONS + line, report) == []

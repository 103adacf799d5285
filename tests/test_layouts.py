"""Tests of the layout stage: grammars, snippet cases, the seeds' tables, the registry."""

from __future__ import annotations

import importlib.metadata
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lark import Lark

import xxgk
import xxgk.layouts as layouts_module
from xxgk.grammars import grammar_dir
from xxgk.layouts import (
    Grid,
    GridCell,
    Layout,
    layouts,
    read_grid,
    read_grid_as,
    register_layout,
    unregister_layout,
)
from xxgk.layouts._engine import MAX_RECOVERIES, PARSER_OPTIONS
from xxgk.registry import Registry

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "corpus" / "seeds"
CASES = Path(__file__).resolve().parent / "grammar"
BUILTIN = ("tab_cell", "pipe_cell", "bar_row", "markdown")


# ---- helpers ---------------------------------------------------------------------------------


def normalise(text: str) -> str:
    """The part of normalisation the layouts rely on (the real normaliser also converts t2s).

    CRLF to LF, U+3000 to a space, full-width ASCII to ASCII: all length-preserving except
    CRLF, and offsets are taken in the result anyway.
    """
    text = text.replace("\r\n", "\n").replace("\u3000", " ")
    return "".join(chr(ord(c) - 0xFEE0) if 0xFF01 <= ord(c) <= 0xFF5E else c for c in text)


def seed(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return normalise(path.read_text(encoding="utf-8"))


def lines_span(text: str, first: int, last: int) -> tuple[int, int]:
    """Offsets of lines ``first``..``last`` (1-based, inclusive) of ``text``."""
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    end = starts[last] if last < len(starts) else len(text)
    return starts[first - 1], end


def line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def texts(grid: Grid) -> list[list[str]]:
    return [[cell.text for cell in row] for row in grid.rows]


def unstrip(piece: str) -> str:
    """The cell-text rule applied to a slice of the document."""
    parts = (line.strip(" \t|") for line in piece.split("\n"))
    return "\n".join(part for part in parts if part)


def check_offsets(text: str, grid: Grid, start: int = 0, end: int | None = None) -> None:
    """Every cell's offsets are inside the block and reproduce its text (the rule of
    :class:`GridCell`, with the text of problems blanked out)."""
    end = len(text) if end is None else end
    for first, last, _ in grid.problems:  # a recovered line may sit inside a multi-line cell
        text = text[:first] + " " * (last - first) + text[last:]
    for row in grid.rows:
        assert row, "rows without cells are not emitted"
        for cell in row:
            assert start <= cell.start <= cell.end <= end, cell
            piece = text[cell.start : cell.end]
            if "\n" not in cell.text:
                assert piece == cell.text, cell
            else:
                assert unstrip(piece) == cell.text, cell
                assert piece[:1] == cell.text[:1] and piece[-1:] == cell.text[-1:], cell
    for first, last, message in grid.problems:
        assert start <= first <= last <= end and message


# ---- grammars --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", BUILTIN)
def test_grammar_is_conflict_free(name: str) -> None:
    """Each layout grammar builds as LALR(1) with strict=True (no conflicts, no collisions).

    Lark needs ``interegular`` for strict mode (it checks terminal collisions with it). Where
    it is missing, the LALR(1) table is still checked strictly, collisions are not.
    """
    path = str(grammar_dir() / f"layouts/{name}.lark")
    try:
        import interegular  # noqa: F401
    except ImportError:
        from lark.common import ParserConf
        from lark.parsers.lalr_analysis import LALR_Analyzer

        lark = Lark.open(path, parser="lalr", **PARSER_OPTIONS)
        analyzer = LALR_Analyzer(ParserConf(lark.rules, {}, lark.options.start), strict=True)
        analyzer.compute_lalr()  # type: ignore[no-untyped-call]
        return
    Lark.open(path, parser="lalr", strict=True, **PARSER_OPTIONS)


@pytest.mark.parametrize("name", BUILTIN)
def test_grammar_quotes_a_real_line(name: str) -> None:
    """Each grammar opens with a comment quoting a real line of its layout and its source."""
    head = (grammar_dir() / f"layouts/{name}.lark").read_text(encoding="utf-8")[:600]
    assert head.startswith("//")
    found = re.search(r'//\s+"(.+?)"\s+(corpus/seeds/\S+), line (\d+)', head)
    if name == "markdown":  # no seed in this layout: the quote is from the snippet cases
        assert found is None and "tests/grammar/markdown.txt" in head
        assert '"| 规章 | 0 | 0 | 0 |"' in head
        return
    assert found is not None
    quoted, source, number = found.groups()
    lines = (ROOT / source).read_text(encoding="utf-8").split("\n")
    assert lines[int(number) - 1] == quoted.replace("\\t", "\t")


def test_builtin_layouts() -> None:
    assert [layout.name for layout in layouts()][:4] == list(BUILTIN)


# ---- snippet cases (tests/grammar/<layout>.txt) ----------------------------------------------

_HEADER = re.compile(r"^=== (.+?)( :error)? ===$")


@attrs.frozen
class Case:
    layout: str
    name: str
    error: bool
    text: str
    expected: tuple[str, ...]


def read_cases(path: Path) -> Iterator[Case]:
    """Cases in the manner of tree-sitter corpus files.

    ``=== name ===`` (or ``=== name :error ===``), the snippet, a line ``---``, the expected grid:
    one row a line, cells joined by `` ¦ ``, ``∅`` for an empty cell, ``\\n`` for a line break
    in a cell. An error case also lists its problems, one a line, as ``! line:column message``
    where the message is matched as a prefix.
    """
    lines = path.read_text(encoding="utf-8").split("\n")
    i = 0
    while i < len(lines):
        header = _HEADER.match(lines[i])
        if not header:
            assert not lines[i].strip(), f"{path.name}:{i + 1}: text outside a case"
            i += 1
            continue
        rule = lines.index("---", i + 1)
        end = rule + 1
        while end < len(lines) and not _HEADER.match(lines[end]):
            end += 1
        expected = lines[rule + 1 : end]
        while expected and not expected[-1]:
            expected.pop()
        yield Case(path.stem, header.group(1), bool(header.group(2)),
                   "\n".join(lines[i + 1 : rule]), tuple(expected))
        i = end


ALL_CASES = [case for path in sorted(CASES.glob("*.txt")) for case in read_cases(path)]


def render(text: str, grid: Grid) -> tuple[list[str], list[tuple[int, int, str]]]:
    rows = [" ¦ ".join(cell.text.replace("\n", "\\n") or "∅" for cell in row)
            for row in grid.rows]
    problems = [(*line_col(text, start), message) for start, _, message in grid.problems]
    return rows, problems


@pytest.mark.parametrize("case", ALL_CASES, ids=lambda c: f"{c.layout}: {c.name}")
def test_snippet(case: Case) -> None:
    grid = read_grid_as(case.layout, case.text)
    assert grid.layout == case.layout
    check_offsets(case.text, grid)
    rows, problems = render(case.text, grid)
    expected_rows = [line for line in case.expected if not line.startswith("! ")]
    expected_problems = [line[2:] for line in case.expected if line.startswith("! ")]
    assert rows == expected_rows
    if not case.error:
        assert not expected_problems, "problems belong in an :error case"
        assert problems == []
        return
    assert expected_problems, "an :error case pins at least one problem"
    assert len(problems) == len(expected_problems), problems
    for (line, column, message), want in zip(problems, expected_problems, strict=True):
        where, prefix = want.split(" ", 1)
        assert where == f"{line}:{column}" and message.startswith(prefix), (want, problems)


def test_enough_cases_per_layout() -> None:
    for name in BUILTIN:
        cases = [case for case in ALL_CASES if case.layout == name]
        assert len(cases) >= 6 and any(case.error for case in cases), name


# Snippets too small to tell their layout from another one.
AMBIGUOUS = {
    ("bar_row", "one cell closed by its pipe"),  # "行政事业性收费 |" is a pipe_cell line too
    ("bar_row", "a line may start with a pipe: an empty first cell"),  # markdown without rule
}


@pytest.mark.parametrize(
    "case",
    [c for c in ALL_CASES if not c.error and c.expected and (c.layout, c.name) not in AMBIGUOUS],
    ids=lambda c: f"{c.layout}: {c.name}")
def test_snippet_is_detected(case: Case) -> None:
    """A clean snippet of a layout is detected as that layout."""
    grid = read_grid(case.text)
    assert grid is not None and grid.layout == case.layout


# ---- the seeds -------------------------------------------------------------------------------

# (seed, layout, first line, last line) of each statistical table block.
BLOCKS = [
    ("000", "tab_cell", 10, 79), ("000", "tab_cell", 83, 356), ("000", "tab_cell", 360, 440),
    ("001", "tab_cell", 22, 66), ("001", "tab_cell", 71, 371), ("001", "tab_cell", 376, 480),
    ("002", "tab_cell", 12, 83), ("002", "tab_cell", 87, 346), ("002", "tab_cell", 352, 393),
    ("003", "pipe_cell", 16, 95), ("003", "pipe_cell", 101, 350), ("003", "pipe_cell", 353, 393),
    ("004", "bar_row", 7, 20), ("004", "bar_row", 22, 48), ("004", "bar_row", 50, 53),
]


def read_block(prefix: str, first: int, last: int) -> tuple[str, Grid, int, int]:
    text = seed(prefix)
    start, end = lines_span(text, first, last)
    grid = read_grid(text, start, end)
    assert grid is not None
    return text, grid, start, end


@pytest.mark.parametrize(("prefix", "layout", "first", "last"), BLOCKS)
def test_seed_block(prefix: str, layout: str, first: int, last: int) -> None:
    """Each seed table is detected in its layout, read without problems, offsets exact."""
    text, grid, start, end = read_block(prefix, first, last)
    assert grid.layout == layout
    assert grid.problems == ()
    check_offsets(text, grid, start, end)
    assert grid == read_grid_as(layout, text, start, end)


def test_seed_000_applications() -> None:
    text, grid, _, _ = read_block("000", 83, 356)
    rows = texts(grid)
    assert len(rows) == 26
    assert rows[0] == ["(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)",
                       "申请人情况"]
    assert rows[1] == ["", "自\n然\n人", "法人或其他组织", "总计"]
    assert rows[2] == ["", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其\n他", ""]
    assert ["一、本年新收政府信息公开申请数量", "1", "0", "0", "0", "0", "0", "1"] in rows
    assert rows[5][:2] == ["三、\n本\n年\n度\n办\n理\n结\n果", "(一)予以公开"]
    assert rows[7][:3] == ["", "(三)\n不予\n公开", "1.属于国家秘密"]
    assert rows[-1] == ["四、结转下年度继续办理", "0", "0", "0", "0", "0", "0", "0"]
    vertical = grid.rows[1][1]
    assert text[vertical.start : vertical.end] == "自\n然\n人"
    empty = grid.rows[1][0]
    assert empty.start == empty.end and text[empty.start - 1] == "\t"


def test_seed_000_review() -> None:
    _, grid, _, _ = read_block("000", 360, 440)
    rows = texts(grid)
    assert rows[0] == ["行政复议", "行政诉讼"]
    assert rows[1][:2] == ["结\n果\n维\n持", "结\n果\n纠\n正"]
    assert len(rows[2]) == 15 and rows[2][:5] == [""] * 5
    assert rows[3] == ["0"] * 15


def test_seed_001_blank_lines_inside_cells() -> None:
    text, grid, _, _ = read_block("001", 71, 371)
    rows = texts(grid)
    assert rows[0] == ["收到和处理政府信息公开申请情况"]
    assert rows[3] == ["", "", "商业", "科研", "社会\n公益\n组织", "法律\n服务\n机构", "其他", ""]
    assert rows[4] == ["", "", "企业", "机构", "", "", "", ""]
    cell = grid.rows[3][4]
    assert text[cell.start : cell.end] == "社会\n\n公益\n\n组织"
    assert rows[2] == ["", "自然人", "法人或其他组织", "总计"]


def test_seed_001_padded_and_garbled_cells() -> None:
    _, grid, _, _ = read_block("001", 22, 66)
    assert texts(grid)[3] == ["规章", "0", "0", "0"]  # "\t  0": tab, space, U+3000
    _, grid, _, _ = read_block("001", 376, 480)
    rows = texts(grid)
    assert rows[1][:2] == ["行政复议", "行政诉讼\n果\n维\n持"]  # " 果" continues the cell
    assert rows[2][-2:] == ["尚", "总\n计"]  # " \t总" opens one


def test_seed_002_two_line_header() -> None:
    _, grid, _, _ = read_block("002", 12, 83)
    rows = texts(grid)
    assert rows[1] == ["信息内容", "本年新\n制作数量", "本年新\n公开数量", "对外公开总数量"]
    assert rows[-1] == ["政府集中采购", "478", "55566.88万元"]


def test_seed_003_pipe_cells() -> None:
    text, grid, _, _ = read_block("003", 16, 95)
    rows = texts(grid)
    assert rows[:4] == [["第二十條第(一)項"], ["", ""],
                        ["信息內容", "本年新制作數量", "本年新公開數量", "對外公開總數量"],
                        ["規章", "0", "0", "0"]]
    assert rows[4] == ["規范性文件", "0", "0", "34"]
    assert ["行政許可", "8", "增5", "1552"] in rows
    assert rows[-1] == ["政府集中采購", "0", "0"]
    first = grid.rows[0][0]
    assert text[first.start : first.end + 2] == "第二十條第(一)項 |"
    empty = grid.rows[1][0]
    assert empty.start == empty.end and text[empty.start - 1 : empty.start + 1] == "||"

    _, grid, _, _ = read_block("003", 101, 350)
    rows = texts(grid)
    assert rows[1] == [""] * 7  # "||||||||": a row start and seven empty cells
    assert ["一、本年新收政府信息公開申請數量", "1", "0", "0", "0", "0", "0", "1"] in rows
    assert ["三、本年度辦理結果", "(一)予以公開", "0", "0", "0", "0", "0", "0", "0"] in rows
    _, grid, _, _ = read_block("003", 353, 393)
    assert texts(grid)[-1] == ["0", "0", "0", "0", "0", "2", *["0"] * 9]


def test_seed_004_bar_rows() -> None:
    text, grid, _, _ = read_block("004", 7, 20)
    rows = texts(grid)
    assert rows[0] == ["第二十条第(一)项", "", "", ""]
    assert rows[2] == ["规章", "0", "?0", "0"]
    rule_row = grid.rows[2]
    line_start, _ = lines_span(text, 9, 9)
    assert [(c.start - line_start, c.end - line_start) for c in rule_row] == [
        (0, 2), (5, 6), (9, 11), (14, 15)]
    assert all(text[c.start : c.end] == c.text for c in rule_row)
    assert rows[-1] == ["行政事业性收费", "0"]
    _, grid, _, _ = read_block("004", 22, 48)
    rows = texts(grid)
    assert rows[3] == ["一、本年新收政府信息公开申请数量", "?0", "0?", "?0", "?0", "?0", "0?", "0?",
                       "", ""]
    _, grid, _, _ = read_block("004", 50, 53)
    assert len(texts(grid)[-1]) == 15


def test_every_seed_cell_slices_back() -> None:
    """``text[start:end]`` is the cell text for every one-line cell of every seed table."""
    count = 0
    for prefix, _, first, last in BLOCKS:
        text, grid, _, _ = read_block(prefix, first, last)
        for row in grid.rows:
            for cell in row:
                if "\n" not in cell.text:
                    assert text[cell.start : cell.end] == cell.text
                    count += 1
    assert count > 1000


def test_whole_section_is_not_needed() -> None:
    """A block with its caption line left in is still read, the caption is a problem."""
    text = seed("004")
    start, end = lines_span(text, 21, 48)
    grid = read_grid(text, start, end)
    assert grid is not None and grid.layout == "bar_row"
    assert [(line_col(text, s), m) for s, _, m in grid.problems] == [
        ((21, 1), "line without a cell separator")]
    assert len(grid.rows) == 27


# ---- detection -------------------------------------------------------------------------------


def test_markdown_snippet_detected() -> None:
    text = ("表格以后\n| 信息内容 | 本年制发件数 |\n| --- | --- |\n| 规章 | 0 |\n"
            "| 规范性文件 | 2 |\n正文")
    start, end = lines_span(text, 2, 5)
    grid = read_grid(text, start, end)
    assert grid is not None and grid.layout == "markdown" and grid.problems == ()
    assert texts(grid) == [["信息内容", "本年制发件数"], ["规章", "0"], ["规范性文件", "2"]]
    check_offsets(text, grid, start, end)
    assert grid.rows[1][1].start == text.index("| 0 |") + 2


def test_prose_is_no_table() -> None:
    assert read_grid("本年度无相关情况。\n下一步,我局将进一步加强。") is None
    assert read_grid("") is None
    assert read_grid("abc", 5, 2) is None


def test_detect_scores() -> None:
    tab = seed("000")
    pipe = seed("003")
    bar = seed("004")
    scores = {layout.name: layout.detect for layout in layouts()}
    assert scores["tab_cell"](tab[slice(*lines_span(tab, 83, 356))]) == 1.0
    assert scores["pipe_cell"](pipe[slice(*lines_span(pipe, 16, 95))]) == 1.0
    assert scores["bar_row"](bar[slice(*lines_span(bar, 7, 20))]) == 1.0
    for name in BUILTIN:
        assert scores[name]("") == 0.0


# ---- errors are values -----------------------------------------------------------------------


def test_unknown_layout_name() -> None:
    with pytest.raises(KeyError, match="no layout named 'nope'"):
        read_grid_as("nope", "\ta")


@pytest.mark.parametrize("name", BUILTIN)
def test_wrong_layout_does_not_raise(name: str) -> None:
    for prefix, _, first, last in BLOCKS[::3]:
        text = seed(prefix)
        start, end = lines_span(text, first, last)
        grid = read_grid_as(name, text, start, end)
        check_offsets(text, grid, start, end)


def test_too_many_unreadable_lines() -> None:
    text = "|\n" + "|x\n" * (MAX_RECOVERIES + 10) + "a |\n"
    grid = read_grid_as("pipe_cell", text)
    assert len(grid.problems) == MAX_RECOVERIES + 1
    assert grid.problems[-1][2].startswith("too many unreadable lines")
    assert grid.problems[-1][1] == len(text) - 1  # the rest of the block, to its last char


_SEPARATORS = {"tab_cell": " \t\n|", "pipe_cell": " \t\n|", "bar_row": " \t\n|",
               "markdown": " \t\n|-:"}


@settings(max_examples=300, deadline=None)
@given(name=st.sampled_from(BUILTIN),
       text=st.text(alphabet=st.sampled_from(["\t", " ", "\n", "|", "a", "自", "-", ":"]),
                    max_size=60))
def test_no_text_is_dropped(name: str, text: str) -> None:
    """Any input: no exception, exact offsets, every printed character in a cell or a problem."""
    grid = read_grid_as(name, text)
    check_offsets(text, grid)
    covered = [(c.start, c.end) for row in grid.rows for c in row]
    covered += [(s, e) for s, e, _ in grid.problems]
    for i, char in enumerate(text):
        if char in _SEPARATORS[name]:
            continue
        assert any(s <= i < e for s, e in covered), (i, char, grid)


# ---- extension: register_layout and entry points ---------------------------------------------

SEMICOLON_GRAMMAR = r"""
// Layout semicolon_row (a test extension): "规章;0;0" -- one row per line, cells split by ";".
start: row (_NL row)*
row: CELL (_SEMI CELL)*
CELL: /[^;\n]+/
_SEMI: ";"
_NL: /\n+/
"""


def _semicolon(text: str) -> float:
    return 1.0 if ";" in text else 0.0


@pytest.fixture
def registry() -> Iterator[dict[str, Layout]]:
    """The layouts in force, put back after the test (entry points already loaded)."""
    saved = layouts_module.registry.snapshot()
    try:
        yield saved
    finally:
        layouts_module.registry.restore(saved)


def test_register_layout_from_an_absolute_path(tmp_path: Path,
                                               registry: dict[str, Layout]) -> None:
    grammar = tmp_path / "semicolon_row.lark"
    grammar.write_text(SEMICOLON_GRAMMAR, encoding="utf-8")
    register_layout(Layout("semicolon_row", str(grammar), _semicolon))
    assert layouts()[-1].name == "semicolon_row"
    text = "规章;0;12\n规范性文件;1;3"
    grid = read_grid(text)
    assert grid is not None and grid.layout == "semicolon_row"
    assert texts(grid) == [["规章", "0", "12"], ["规范性文件", "1", "3"]]
    check_offsets(text, grid)
    # same name replaces; a Path is taken for the grammar as well as its text
    register_layout(Layout("semicolon_row", grammar, lambda text: 0.0))
    assert layouts()[-1].grammar == str(grammar)
    assert [layout.name for layout in layouts()].count("semicolon_row") == 1
    assert read_grid(text) is None
    unregister_layout("semicolon_row")
    unregister_layout("semicolon_row")  # gone already: nothing happens
    assert "semicolon_row" not in [layout.name for layout in layouts()]


class _EntryPoint:
    def __init__(self, name: str, value: Any) -> None:
        self.name = name
        self._value = value

    def load(self) -> Any:
        if isinstance(self._value, Exception):
            raise self._value
        return self._value


def test_entry_points(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    grammar = tmp_path / "semicolon_row.lark"
    grammar.write_text(SEMICOLON_GRAMMAR, encoding="utf-8")
    layout = Layout("semicolon_row", str(grammar), _semicolon)
    calls: list[str] = []

    def entry_points(*, group: str) -> list[_EntryPoint]:
        calls.append(group)
        return [
            _EntryPoint("factory", lambda: layout),
            _EntryPoint("broken", ImportError("no module named semicolons")),
            _EntryPoint("not_a_layout", 42),
            _EntryPoint("no_grammar", Layout("gone", str(tmp_path / "gone.lark"), _semicolon)),
        ]

    monkeypatch.setattr(importlib.metadata, "entry_points", entry_points)
    fresh = Registry(Layout, layouts_module.ENTRY_POINT_GROUP, layouts_module._BUILTIN,
                     lambda layout: layout.name, layouts_module._check)
    monkeypatch.setattr(layouts_module, "registry", fresh)
    with pytest.warns(RuntimeWarning) as warned:
        names = [layout.name for layout in layouts()]
    assert names == [*BUILTIN, "pdf_row", "semicolon_row"]
    assert len(warned) == 3
    assert "layout 'gone'" in str(warned[2].message) and "gone.lark" in str(warned[2].message)
    layouts()
    assert calls == ["xxgk.layouts"]  # loaded once
    grid = read_grid_as("semicolon_row", "a;b")
    assert texts(grid) == [["a", "b"]]


def test_broken_detector_scores_nothing(registry: dict[str, Layout]) -> None:
    def broken(text: str) -> float:
        raise ValueError("bug")

    register_layout(Layout("broken", "layouts/bar_row.lark", broken))
    with pytest.warns(RuntimeWarning, match="detector of layout 'broken' failed"):
        grid = read_grid("a | b |")
    assert grid is not None and grid.layout == "bar_row"


def test_gridcell_records() -> None:
    cell = GridCell("0", 3, 4)
    assert attrs.evolve(cell, start=2).start == 2
    assert Grid("bar_row", ((cell,),)).problems == ()


@pytest.mark.parametrize("grammar, why", [
    ("missing.lark", "FileNotFoundError"),
    ("start: row\nrow: CELL\nCELL: /[^;\n]+/\nrow: CELL CELL\n", "GrammarError"),  # rule twice
    ("start: a | b\na: X\nb: X\nX: \"x\"\n", "GrammarError"),  # reduce/reduce: not LALR
])
def test_a_layout_whose_grammar_cannot_be_built_is_refused(
    tmp_path: Path, registry: dict[str, Layout], grammar: str, why: str
) -> None:
    """Registering a layout builds its grammar: a broken one is refused at once, with the
    file and Lark's reason, instead of failing every later parse as an internal error."""
    path = tmp_path / "broken.lark"
    if grammar != "missing.lark":
        path.write_text(grammar, encoding="utf-8")
    before = dict(registry)
    with pytest.raises(ValueError, match=f"layout 'broken'.*broken.lark.*{why}"):
        register_layout(Layout("broken", str(path), _semicolon))
    assert registry == before
    report = xxgk.parse(seed("004"))
    assert report.review_litigation is not None


@pytest.mark.parametrize(("path", "printed"), [
    ("corpus/synthetic/markdown_tables_2021.md", "| 自然人 | 法人或其他组织 | 总计 |"),
    ("corpus/seeds/004_8cc7eb6913c644ab.txt", "自然人 | 法人或其他组织 | 总计 | |||||||"),
])
def test_a_pipe_row_opened_by_a_space_and_an_empty_cell_is_read(path: str,
                                                                 printed: str) -> None:
    """' | 自然人 | 法人或其他组织 | 总计 |||': a header row whose first cell is empty, printed
    as a space before the first pipe, is the layout's own line, and every row after it is
    read as before."""
    from .conftest import ROOT

    text = (ROOT / path).read_text(encoding="utf-8")
    assert printed in text
    before = xxgk.parse(text)
    after = xxgk.parse(text.replace(printed, " | 自然人 | 法人或其他组织 | 总计 |||", 1))
    assert not [d for d in after.errors if d.code.startswith("P")]
    assert after.coverage == before.coverage
    assert [(n, r, c, cell.value) for n, t in after.tables.items() if t for r, c, cell
            in t.cells()] == [(n, r, c, cell.value) for n, t in before.tables.items() if t
                              for r, c, cell in t.cells()]

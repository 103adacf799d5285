"""The lean LALR driver (``xxgk._lalr``) against Lark's own parse: same trees, same errors.

The pipeline runs every grammar with the driver; Lark is the reference. Each test parses
the same input both ways and requires identical results: the same tree (rule names,
token types, values and offsets), or the same error (class, position, expected
terminals). Inputs: every table block and outline of the corpus, the corpus documents
damaged at random, random text, and the template grammar's token rows shuffled.
"""

from __future__ import annotations

import os
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedInput
from lark.utils import TextSlice

from xxgk import document, tables
from xxgk._lalr import fast_parser, token_runner
from xxgk.layouts import GridCell, Layout, layouts, parser_for
from xxgk.layouts._engine import _convert, _grid, _plain_reader, _reader, _shape, _trim
from xxgk.normalize import normalize
from xxgk.pipeline import table_blocks

from .test_robustness import CORPUS, ROOT, damaged_documents, random_text

LAYOUTS = [layout for layout in layouts() if layout.name in
           ("tab_cell", "pipe_cell", "bar_row", "markdown")]


def shape(node: Any) -> Any:
    """A parse result as plain data, for comparison."""
    if isinstance(node, Token):
        return ("T", node.type, str(node), node.start_pos, node.end_pos)
    if isinstance(node, Tree):
        return (str(node.data), [shape(child) for child in node.children])
    return node


def outcome(run: Any, *args: Any) -> Any:
    """The result of ``run(*args)``, or the error it raised as (class, position, expected)."""
    try:
        return shape(run(*args))
    except UnexpectedInput as error:
        token = getattr(error, "token", None)
        where = token.start_pos if isinstance(token, Token) else error.pos_in_stream
        kind = token.type if isinstance(token, Token) else None
        return (type(error).__name__, where, kind, sorted(getattr(error, "expected", ()) or
                                                           getattr(error, "allowed", ())))


def blocks(text: str) -> list[tuple[str, int, int]]:
    norm = normalize(text)
    found = []
    for _, block in table_blocks(norm, document.read_outline(norm.text)):
        lo, hi = _trim(norm.text, block.start, block.end)
        found.append((norm.text, lo, hi))
    return found


def same_layout_results(text: str, lo: int, hi: int) -> None:
    for layout in LAYOUTS:
        lark = parser_for(layout)
        fast = fast_parser(lark)
        assert fast is not None, layout.name
        trees = fast.with_actions(Tree)
        expected = outcome(lark.parse, TextSlice(text, lo, hi))
        assert outcome(trees.parse_text, text, lo, hi) == expected, layout.name
        if isinstance(expected, tuple):
            continue  # an error: both raised the same one
        trace: list[Any] = []
        fast_result = _reader(lark).run(text, lo, hi, trace)
        fast_grid = _grid(layout.name, *_shape(fast_result, [tok for _, tok in trace[:-1]]))
        lark_result = _convert(lark.parse(TextSlice(text, lo, hi)))
        assert fast_grid == _grid(layout.name, *_shape(lark_result, None)), layout.name


def test_every_grammar_runs_on_the_driver() -> None:
    for layout in LAYOUTS:
        assert fast_parser(parser_for(layout)) is not None, layout.name
    assert fast_parser(tables._parser()) is not None
    assert fast_parser(document._parser()) is not None


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_corpus_blocks_parse_alike(path: Any) -> None:
    for text, lo, hi in blocks(path.read_text(encoding="utf-8")):
        same_layout_results(text, lo, hi)


@settings(max_examples=40, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(damaged_documents())
def test_damaged_blocks_parse_alike(text: str) -> None:
    """Driver and Lark alike; along known paths and parsed afresh alike."""
    for block in blocks(text):
        same_layout_results(*block)
        read_along_paths_and_fresh(*block)


@settings(max_examples=80, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(random_text)
def test_random_text_parses_alike(text: str) -> None:
    norm = normalize(text).text
    same_layout_results(norm, 0, len(norm))


def template_rows(text: str) -> list[list[Token]]:
    from xxgk.layouts import read_grid

    norm = normalize(text)
    rows = []
    for _, block in table_blocks(norm, document.read_outline(norm.text)):
        grid = read_grid(norm.text, block.start, block.end)
        if grid is not None:
            rows.extend(list(row) for row in tables.lex_grid(grid).rows)
    return rows


def same_token_results(lark: Lark, tokens: list[Token], start: str | None) -> None:
    expected = outcome(lambda: lark.parse(tokens, start=start))  # type: ignore[arg-type]
    assert outcome(token_runner(lark), tokens, start) == expected


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_template_tokens_parse_alike(path: Any) -> None:
    """Whole tables, single rows and shuffled rows, for every start rule."""
    lark = tables._parser()
    rows = template_rows(path.read_text(encoding="utf-8"))
    flat = [t for row in rows for t in row]
    rng = random.Random(path.name)
    for start in lark.options.start:
        same_token_results(lark, flat, start)
        for row in rows:
            same_token_results(lark, row, start)
        for _ in range(5):
            damaged = list(flat)
            for _ in range(3):
                i, j = rng.randrange(len(damaged)), rng.randrange(len(damaged))
                damaged[i], damaged[j] = damaged[j], damaged[i]
            same_token_results(lark, damaged, start)
        same_token_results(lark, [], start)


@settings(max_examples=40, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(damaged_documents())
def test_outlines_parse_alike(text: str) -> None:
    tokens, _ = document._tokens(normalize(text).text, document._default_claims())
    same_token_results(document._parser(), tokens, None)


def test_an_extension_layout_with_nested_rules_uses_lark() -> None:
    """A grammar whose cells hold other rules keeps Lark's tree and the conversion after."""
    layout = Layout("nested_test", str(_nested_grammar()), lambda block: 0.0)
    lark = parser_for(layout)
    reader = _reader(lark)
    assert not reader.anywhere
    grid = _grid("nested_test", *_shape(reader.run("a b\nc", 0, 5, None), None))
    assert [[cell.text for cell in row] for row in grid.rows] == [["a\nb"], ["c"]]


def _nested_grammar() -> Any:
    import tempfile
    from pathlib import Path

    folder = Path(tempfile.mkdtemp())
    path = folder / "nested.lark"
    path.write_text(
        "start: row (_NL row)*\n"
        "row: cell\n"
        "cell: part+\n"
        "part: WORD\n"
        "WORD: /[a-z]+/\n"
        "_NL: /\\n/\n"
        "%ignore \" \"\n",
        encoding="utf-8")
    return path



def test_the_plain_route_reads_what_the_fast_route_reads() -> None:
    """``xxgk.set_fast_path(False)``: Lark's own parse and tree walks, nothing remembered,
    and the same reports, every document of the corpus and the samples read both ways."""
    import xxgk
    from xxgk import speed
    from xxgk.serialize import to_json

    assert speed.fast_path()
    def read(path: Path) -> str:
        try:
            return to_json(xxgk.parse(path.read_bytes(), str(path)))
        except xxgk.ParseError as error:  # a format this installation does not read
            return str(error)

    paths = sorted(p for p in (ROOT / "corpus").rglob("*") if p.is_file()
                   and not p.name.endswith(".expected.json") and p.name != "README.md")
    assert len(paths) >= len(CORPUS)
    fast = [read(path) for path in paths]
    xxgk.set_fast_path(False)
    try:
        plain = [read(path) for path in paths]
        assert fast_parser(parser_for(LAYOUTS[0])) is None
        assert not _plain_reader(parser_for(LAYOUTS[0])).anywhere
        assert tables._plain_planner(tables._parser()).plans == {}  # nothing remembered
    finally:
        xxgk.set_fast_path(True)
    assert plain == fast


def test_xxgk_fast_0_takes_the_plain_route() -> None:
    import subprocess
    import sys

    code = "import xxgk.speed as s; print(s.fast_path())"
    for value, expected in (("0", "False"), ("1", "True"), ("off", "False")):
        env = {**os.environ, "XXGK_FAST": value}
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                             text=True, check=True).stdout.strip()
        assert out == expected, value


@pytest.mark.parametrize("grammar, options", [
    ('start: "if" NAME ";"\nNAME: /[a-z]+/\n%ignore " "\n', {}),  # keyword callback
    ("start: A B\nA: \"a\"\nB: \"b\"\n", {"transformer": None, "tree_class": dict}),
    ("start: A B\nA: \"a\"\nB: \"b\"\n", {"propagate_positions": True}),
    ("start: A B\nA: \"a\"\nB: \"b\"\n", {"debug": True}),
    ("_start: A B\nA: \"a\"\nB: \"b\"\n", {"start": "_start"}),
    ("start: A [B]\nA: \"a\"\nB: \"b\"\n", {"maybe_placeholders": True}),
])
def test_what_the_driver_declines(grammar: str, options: dict[str, Any]) -> None:
    """Grammars and options whose results the driver would not reproduce go to Lark."""
    from lark import Transformer

    if "transformer" in options:
        options = {**options, "transformer": Transformer()}
        options.pop("tree_class")
    lark = Lark(grammar, parser="lalr", lexer="contextual", **options)
    assert fast_parser(lark) is None


@pytest.mark.parametrize("title", [r"/^[^\n|]+/", r"/(?<!\n\n)(?<![^\n])[^\n|]+/"])
def test_blocks_read_in_place_read_as_a_copy(title: str) -> None:
    """A layout whose terminals look before the block start (a '^', a long look-behind)
    reads a block of the document as it reads the block cut out of it."""
    from xxgk.layouts._engine import PARSER_OPTIONS, parse_block

    lark = Lark("start: _line+\n_line: row | error_caption\nrow: CELL\n"
                f"error_caption: TITLE\nTITLE.2: {title}\nCELL: /\\n*[^\\n]+/\n",
                parser="lalr", **PARSER_OPTIONS)
    text = "前文\n\n标题\n甲 | 乙\n"
    start = text.index("标题")
    in_place = parse_block("x", lark, text, start, len(text))
    copy = parse_block("x", lark, text[start:], 0, len(text) - start)
    assert in_place.problems == tuple((a + start, b + start, m) for a, b, m in copy.problems)
    assert in_place.problems == ((4, 6, "caption"),)
    assert [[c.text for c in row] for row in in_place.rows] == [["甲 | 乙"]]


def test_the_built_in_layouts_read_in_place() -> None:
    from xxgk.layouts._engine import _reads_alike_in_place

    for layout in LAYOUTS:
        assert _reader(parser_for(layout)).anywhere, layout.name
    assert _reads_alike_in_place(r"[\^]x") and _reads_alike_in_place("[]^]x")
    assert not _reads_alike_in_place(r"\Ax") and not _reads_alike_in_place(r"a\\^")
    assert not _reads_alike_in_place("x(?<=ab)")


# -- known paths (Paths): a block shaped like one read before is lexed, not parsed ----------


def read_along_paths_and_fresh(text: str, lo: int, hi: int) -> None:
    """Every layout reads the block alike along the paths it knows and parsing afresh."""
    from unittest import mock

    from xxgk._lalr import Paths
    from xxgk.layouts._engine import parse_block

    for layout in LAYOUTS:
        lark = parser_for(layout)
        known = parse_block(layout.name, lark, text, lo, hi)  # may walk, records if parsed
        with mock.patch.object(Paths, "walk", return_value=None):
            fresh = parse_block(layout.name, lark, text, lo, hi)
        assert known == fresh, layout.name


def renumbered(text: str) -> str:
    """``text`` with every number 7 larger (other widths, the same cells)."""
    import re

    return re.sub(r"\d+", lambda m: str(int(m.group()) + 7), text)


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_corpus_blocks_read_alike_along_known_paths(path: Any) -> None:
    text = path.read_text(encoding="utf-8")
    for block in blocks(text) + blocks(renumbered(text)):
        read_along_paths_and_fresh(*block)


def test_a_block_shaped_like_one_read_before_is_not_parsed(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Seed 000 renumbered: every block is lexed along the paths of the first reading,
    none is parsed, and the grids are those of a fresh parse. A block with a row more
    is parsed (its path leaves the known ones)."""
    from xxgk._lalr import FastParser
    from xxgk.layouts import read_grid
    from xxgk.layouts._engine import _reader, forget_paths

    parsed: list[int] = []
    parse_text = FastParser.parse_text

    def counted(self: FastParser, *args: Any, **kwargs: Any) -> Any:
        parsed.append(args[0])
        return parse_text(self, *args, **kwargs)

    text = next(p for p in CORPUS if p.name.startswith("000")).read_text(encoding="utf-8")
    monkeypatch.setattr(FastParser, "parse_text", counted)
    _reader.cache_clear()
    try:
        first = [read_grid(*block) for block in blocks(text)]
        assert len(parsed) == len(first) == 3
        again = blocks(renumbered(text))
        known = [read_grid(*block) for block in again]
        assert len(parsed) == 3  # lexed along the paths, not parsed
        _reader.cache_clear()
        fresh = [read_grid(*block) for block in again]
        assert len(parsed) == 6
        assert known == fresh and known != first
        grown = text.replace("\t1\n\t0\n\t0\n", "\t1\n\t0\n\t5\n\t0\n", 1)  # a cell more
        assert grown != text
        assert read_grid(*blocks(grown)[1]) != first[1]
        assert len(parsed) == 7  # a block of another shape is parsed
        forget_paths()  # as if nothing had been read
        assert [read_grid(*block) for block in again] == fresh
        assert len(parsed) == 10
    finally:
        _reader.cache_clear()


def test_what_the_paths_keep_is_bounded() -> None:
    from xxgk.layouts import read_grid
    from xxgk.layouts._engine import _reader

    texts = [path.read_text(encoding="utf-8") for path in CORPUS]
    _reader.cache_clear()
    try:
        for text in texts:
            for block in blocks(text):
                read_grid(*block)
        kept = [_reader(parser_for(layout)).paths for layout in LAYOUTS]
        assert all(paths is not None for paths in kept)
        assert sum(paths.size for paths in kept if paths is not None) > 700
        # a budget of 600: the paths are forgotten whenever it would be passed
        _reader.cache_clear()
        tab_cell = _reader(parser_for(LAYOUTS[0])).paths
        assert tab_cell is not None
        tab_cell.limit = 600
        for text in texts[:3]:  # the tab_cell seeds
            for block in blocks(text):
                read_grid(*block)
                assert 0 < tab_cell.size <= 600
        # a parse of more tokens than `longest` is not recorded
        _reader.cache_clear()
        tab_cell = _reader(parser_for(LAYOUTS[0])).paths
        assert tab_cell is not None
        tab_cell.longest = 10
        grids = [read_grid(*block) for block in blocks(texts[0])]
        assert tab_cell.size == 0
        _reader.cache_clear()
        assert grids == [read_grid(*block) for block in blocks(texts[0])]
    finally:
        _reader.cache_clear()


def test_paths_lex_each_token_as_the_parser_would() -> None:
    """Along a path, each token is read by the scanner of the state the parser is in
    there (here the first word is a KEY and the second a VAL, which a KEY scanner would
    not read); a path ends only where a recorded text ended."""
    from xxgk._lalr import Paths

    lark = Lark('start: KEY VAL\nKEY: /[a-z]+/\nVAL: /[a-z0-9]+/\n%ignore " "\n',
                parser="lalr", lexer="contextual")
    fast = fast_parser(lark)
    assert fast is not None
    paths = Paths(fast)
    trace: list[Any] = []
    fast.parse_text("ab cd", 0, 5, None, trace)
    paths.record(trace, "recorded")
    assert paths.walk("xy 9z ", 0, 6) == ("recorded", ["xy", "9z"], [0, 3])
    assert paths.walk("  xy  9z", 2, 8) == ("recorded", ["xy", "9z"], [2, 6])
    assert paths.walk("xy", 0, 2) is None  # no recorded text ended there
    assert paths.walk("xy 9z q", 0, 7) is None  # a token more
    assert paths.walk("9y 9z", 0, 5) is None  # no KEY first
    assert paths.size == 3 + 3  # three points; the end of a text of two tokens


def test_what_paths_count_grows_with_what_they_keep() -> None:
    """Each point counts, and each recorded end counts its text's tokens (what is kept
    there, a layout's shape, grows with them): texts that share all but their last token
    cost one point and one end each, and the budget holds for both."""
    from xxgk._lalr import Paths

    lark = Lark('start: (KEY VAL)+\nKEY: /[a-z]+/\nVAL: /[0-9]+/\n%ignore " "\n',
                parser="lalr", lexer="contextual")
    fast = fast_parser(lark)
    assert fast is not None
    paths = Paths(fast)

    def record(text: str) -> None:
        trace: list[Any] = []
        fast.parse_text(text, 0, len(text), None, trace)
        paths.record(trace, text)

    record("a 1 b 2")  # 4 tokens: 5 points, an end of 4 + 1
    assert paths.size == 10
    record("x 7 y 8")  # the same types: known, nothing added
    assert paths.size == 10 and paths.walk("q 5 r 6", 0, 7) == ("a 1 b 2", *(
        ["q", "5", "r", "6"], [0, 2, 4, 6]))
    record("a 1 b 2 c 3")  # two points more, an end of 6 + 1
    assert paths.size == 10 + 2 + 7
    longest = "a 1 " * 50  # 100 tokens
    record(longest)
    assert paths.size == 19 + 94 + 101
    paths.limit = 300  # the next long text would pass it: everything is forgotten first
    record(longest + "b 2")
    assert paths.size == 2 * 103 and paths.walk("a 1 b 2", 0, 7) is None
    paths.longest = 50  # a parse longer than that is not recorded
    paths.clear()
    record(longest)
    assert paths.size == 0


def test_paths_are_shared_safely_between_threads() -> None:
    """Threads reading blocks along paths that other threads record and forget get the
    grids of a fresh parse."""
    import re
    import sys
    import threading
    from unittest import mock

    from xxgk._lalr import Paths
    from xxgk.layouts import read_grid
    from xxgk.layouts._engine import _reader, forget_paths

    rng = random.Random(7)
    items = []
    for path in CORPUS:
        text = path.read_text(encoding="utf-8")
        for _ in range(3):
            items.extend(blocks(re.sub(r"\d+", lambda m: str(rng.choice([0, 5, 4567])), text)))
    with mock.patch.object(Paths, "walk", return_value=None):
        expected = [read_grid(*item) for item in items]
    wrong: list[object] = []

    def reader(seed: int) -> None:
        order = list(range(len(items)))
        random.Random(seed).shuffle(order)
        try:
            for i in order * 2:
                if read_grid(*items[i]) != expected[i]:
                    wrong.append(i)
        except Exception as error:  # a thread's error would only be a warning
            wrong.append(error)

    def forgetter() -> None:
        for _ in range(100):
            forget_paths()

    _reader.cache_clear()
    for layout in LAYOUTS:
        paths = _reader(parser_for(layout)).paths
        assert paths is not None
        paths.limit = 800  # forgotten often
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)
    try:
        threads = [threading.Thread(target=reader, args=(seed,)) for seed in range(3)]
        threads.append(threading.Thread(target=forgetter))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
        _reader.cache_clear()
    assert wrong == []


def test_a_cell_without_tokens_has_no_place() -> None:
    """A grammar whose cell rule can match nothing gives a cell at -1 (no place to put
    it), whether the block is read in place or, after a line it cannot read, as a copy
    (until 2026-11-22 the copy said base - 1)."""
    from xxgk.layouts._engine import PARSER_OPTIONS, parse_block

    lark = Lark('start: _line+\n_line: row\nrow: _LT cell _GT _NL?\ncell: WORD*\n'
                'WORD: /[a-z]+/\n_LT: "<"\n_GT: ">"\n_NL: /\\n/\n%ignore " "\n',
                parser="lalr", **PARSER_OPTIONS)
    for text in ("zz\n<>\n<a b>\n", "zz\n<>\n<a b>\n!!\n<c>"):
        grid = parse_block("x", lark, text, 3, len(text))
        assert grid.rows[0][0] == GridCell("", -1, -1)
        assert grid.rows[1][0] == GridCell("a\nb", 7, 10)
    assert grid.problems == ((12, 14, "line does not fit layout x"),
                             (15, 18, "line does not fit layout x"))

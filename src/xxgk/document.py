"""The document stage: normalised text → outline (title, sections, table blocks, closing).

A small line lexer classifies every line of the normalised text (one regex pass over
the text, then a look at the neighbouring non-blank lines where the kind of a line
depends on them: spaced table rows, table continuation lines, the title block, the
closing), merges the lines of one table into one ``TABLE`` token, and hands the tokens
to the LALR grammar ``grammar/document.lark``, whose tree becomes an :class:`Outline`.
"""

from __future__ import annotations

import functools
import operator
import re

import attrs
from lark import Lark, Token, Tree

from ._lalr import make_token, token_runner
from .grammars import ListLexer, lalr_parser

__all__ = ["Block", "Heading", "Outline", "read_outline", "section_kind"]

# --- Line classes -------------------------------------------------------------------------

# One pass over the text classifies its lines: each non-blank line (one with a character
# that is not white space) is TABLE, PAGE or TEXT. `[^\S\n]` is white space within a line.
#  - TABLE: a line opened by a tab (after spaces), a line starting with a pipe, one ending
#    in a pipe (and white space), or one with two pipes;
#  - PAGE: page furniture left by a PDF converter, "- 3 -", "— 3 —", "第 2 页",
#    "第2页 共5页" (corpus/synthetic/page_break_*.txt);
#  - TEXT: any other line.
_LINE_KIND = re.compile(
    r"^(?=[^\n]*\S)"
    r"(?:(?P<T>(?= *\t|\||[^\n]*\|[^\S\n]*$|[^\n]*\|[^\n]*\|))"
    r"|(?P<P>(?=[^\S\n]*(?:[-—–][^\S\n]*\d+[^\S\n]*[-—–]|第[^\S\n]*\d+[^\S\n]*页"
    r"(?:[^\S\n]*[,/]?[^\S\n]*共[^\S\n]*\d+[^\S\n]*页)?)[^\S\n]*$)))?"
    r"[^\n]*",
    re.MULTILINE,
)
# Cells separated by runs of spaces (PDF text extraction): a table line only inside a
# run of at least three such lines, so that prose with a double space stays prose.
_SPACED_LINE = re.compile(r"\S {2,}\S")  # searched for, after "  " in the line
_SPACED_RUN = 3
# The kinds of lines while they are worked out, one character per line, so that rules
# over neighbouring lines are regular expressions over a string of kinds.
_KIND_NAMES = {"T": "TABLE", "P": "PAGE", "X": "TEXT", "H": "HEADING", "I": "TITLE",
               "D": "DATE", "R": "TRAILER", "S": "SIGNATURE"}
# A prose run between two table lines continues a multi-line cell ("然", "人").
_CONTINUATION = re.compile(r"(?<=T)X+(?=T)")
_SPACED_RUNS = re.compile(f"s{{{_SPACED_RUN},}}")
# Shorter runs of spaced lines (s) after or before a spaced table (S), through at most
# one short caption line (c) each: see _join_short_spaced_runs.
_SHORT_SPACED = re.compile(r"(?<=S)(?:c?s+)+|(?:s+c?)+(?=S)")
_MAX_CAPTION = 30
_LINE_RUNS = re.compile(r"T+|[^T]")
_NUMBERED = re.compile(r"\s*([一二三四五六七八九十]{1,3})\s*[、.]\s*(\S.*?)\s*$")
_DATE = re.compile(r"\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*$")
_SENTENCE = re.compile(r"[。;；]")
_ENUMERATED = re.compile(r"\s*(?:\(|[0-9]|[一二三四五六七八九十]+是)")

# Section kinds by the words of their title (templates.md, "Sections"); first match wins.
_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("overview", re.compile(r"总体情况")),
    ("active_disclosure", re.compile(r"主动公开政府信息")),
    ("applications", re.compile(r"收到和处理政府信息公开申请|依申请公开")),
    ("review_litigation", re.compile(r"行政复议.*行政诉讼|复议.*诉讼")),
    ("problems", re.compile(r"存在的?主要问题|存在问题|问题及改进")),
    ("other_matters", re.compile(r"其他需要报告的事项")),
)
_MAX_HEADING = 40
_LAST_GROUP = operator.attrgetter("lastgroup")


def section_kind(title: str) -> str:
    """The canonical kind of a section from its title (``extra`` when none fits)."""
    for kind, pattern in _KINDS:
        if pattern.search(title):
            return kind
    return "extra"


@attrs.frozen
class Heading:
    """A section heading line: printed number (or ``None``), title, kind, offsets."""

    number: str | None
    title: str
    kind: str
    start: int
    end: int


@attrs.frozen
class Block:
    """A ``TEXT`` line or a ``TABLE`` block of the normalised text: ``[start, end)``."""

    kind: str
    start: int
    end: int


@attrs.frozen
class Outline:
    """The report's outline, all offsets into the normalised text."""

    title: tuple[Block, ...]
    preamble: tuple[Block, ...]
    sections: tuple[tuple[Heading, tuple[Block, ...]], ...]
    signature: Block | None
    date: Block | None
    trailer: tuple[Block, ...]


def _heading(line: str) -> tuple[str | None, str] | None:
    """``(number, title)`` when ``line`` is a section heading, else ``None``."""
    if len(line) > _MAX_HEADING + 6 or _SENTENCE.search(line):
        return None
    match = _NUMBERED.match(line)
    if match is not None:
        title = match.group(2)
        # a real title has words ("总体情况"); "三、维" is a vertical header cell broken
        # over lines inside a table
        if 3 <= len(title) <= _MAX_HEADING and not title.endswith((":", ",")):
            return match.group(1), title
        return None
    stripped = line.strip()
    if (
        stripped
        and len(stripped) <= _MAX_HEADING
        and not _ENUMERATED.match(stripped)
        and section_kind(stripped) != "extra"
        and "," not in stripped
    ):
        return None, stripped
    return None


def _join_short_spaced_runs(kinds: list[str], lines: list[str], spaced: str) -> None:
    """Spaced lines too few to stand as a table alone (a sub-table of two lines: its
    header and one row, "信息内容  本年收费金额", "行政事业性收费  0") are table lines
    when they stand next to a spaced table, or one short caption line away from it
    ("第二十条第（八）项"); tests/ext_example/sample/spaced_2021.txt, lines 18-20."""
    marks = "".join([
        "S" if kind == "T" and mark == "s"
        else "." if _heading(line) is not None  # a heading printed with spaces stays one
        else mark if mark == "s"
        else "c" if kind == "X" and len(line.strip()) <= _MAX_CAPTION
        else "." for kind, mark, line in zip(kinds, spaced, lines, strict=True)])
    for found in _SHORT_SPACED.finditer(marks):
        kinds[found.start():found.end()] = ["T"] * (found.end() - found.start())


def _tokens(text: str) -> tuple[list[Token], dict[int, Heading]]:
    """Classify lines and merge table lines into blocks (see the module docstring)."""
    matches = list(_LINE_KIND.finditer(text))
    spans = list(map(re.Match.span, matches))
    lines = list(map(re.Match.group, matches))  # the whole match: text[start:end]
    n = len(lines)
    kinds = [kind or "X" for kind in map(_LAST_GROUP, matches)]
    # space-separated rows: table lines where three or more stand together
    spaced = "".join(["s" if k == "X" and "  " in line and _SPACED_LINE.search(line) else "."
                      for k, line in zip(kinds, lines, strict=True)])
    runs = list(_SPACED_RUNS.finditer(spaced))
    for run in runs:
        kinds[run.start():run.end()] = ["T"] * (run.end() - run.start())
    if runs and "s" in spaced.replace("sss", ""):
        _join_short_spaced_runs(kinds, lines, spaced)
    headings: dict[int, Heading] = {}
    for i in [i for i, k in enumerate(kinds) if k == "X"]:
        line = lines[i]
        found = _heading(line)
        if found is not None:
            kinds[i] = "H"
            number, title = found
            start, end = spans[i]
            lead = len(line) - len(line.lstrip())
            trail = len(line) - len(line.rstrip())
            headings[start] = Heading(number, title, section_kind(title), start + lead, end - trail)
    kinds = list(_CONTINUATION.sub(lambda m: "T" * len(m.group()), "".join(kinds)))
    # The title block: up to the first line with 报告 among the first three lines.
    for i in range(min(3, n)):
        if kinds[i] != "X" or len(lines[i]) > 50 or _SENTENCE.search(lines[i]):
            break
        if "报告" in lines[i]:
            kinds[:i + 1] = ["I"] * (i + 1)
            break
    # The closing: a date line among the last lines, the agency line above it.
    for i in range(n - 1, max(-1, n - 5), -1):
        if kinds[i] == "X" and _DATE.match(lines[i]):
            kinds[i] = "D"
            kinds[i + 1:] = ["R"] * (n - i - 1)
            above = i - 1
            if (above >= 0 and kinds[above] == "X" and len(lines[above].strip()) <= 30
                    and not re.search(r"[。,:;!?]", lines[above])):
                kinds[above] = "S"
            break
        if kinds[i] != "X" or len(lines[i]) > 60:
            break
    # Consecutive table lines make one TABLE token. A token is its kind and its place:
    # the grammar reads kinds, the outline keeps places (a token's value stays empty, so
    # that no part of the text is copied here).
    tokens = []
    for run in _LINE_RUNS.finditer("".join(kinds)):
        start, end = spans[run.start()][0], spans[run.end() - 1][1]
        tokens.append(make_token(_KIND_NAMES[run.group()[0]], "", start, end))
    return tokens, headings


@functools.cache
def _parser() -> Lark:
    return lalr_parser("document.lark", lexer=ListLexer)


def _block(token: Token) -> Block:
    return Block(token.type, token.start_pos or 0, token.end_pos or 0)


def read_outline(text: str) -> Outline:
    """Read the outline of the normalised ``text``. Never fails: every line is a title,
    heading, text, table, signature, date or trailer line, and the grammar admits them
    in the order the lexer assigns them."""
    tokens, headings = _tokens(text)
    tree = token_runner(_parser())(tokens, None)
    title: tuple[Block, ...] = ()
    preamble: tuple[Block, ...] = ()
    sections: list[tuple[Heading, tuple[Block, ...]]] = []
    signature = date = None
    trailer: tuple[Block, ...] = ()
    for child in tree.children:
        assert isinstance(child, Tree)
        toks = [t for t in child.children if isinstance(t, Token)]
        if child.data == "title":
            title = tuple(_block(t) for t in toks)
        elif child.data == "preamble":
            preamble = tuple(_block(t) for t in toks)
        elif child.data == "section":
            head = headings[toks[0].start_pos or 0]
            sections.append((head, tuple(_block(t) for t in toks[1:])))
        elif child.data == "closing":
            for t in toks:
                if t.type == "SIGNATURE":
                    signature = _block(t)
                elif t.type == "DATE":
                    date = _block(t)
            trailer = tuple(_block(t) for t in toks if t.type == "TRAILER")
    return Outline(title, preamble, tuple(sections), signature, date, trailer)

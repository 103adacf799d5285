"""The document stage: normalised text → outline (title, sections, table blocks, closing).

A small line lexer classifies every line of the normalised text (one regex test per
line, with a look at the neighbouring non-blank lines where the kind of a line depends
on them: table continuation lines, the title block, the closing), merges the lines of
one table into one ``TABLE`` token, and hands the tokens to the LALR grammar
``grammar/document.lark``, whose tree becomes an :class:`Outline`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

import attrs
from lark import Lark, Token, Tree

from ._lalr import token_runner
from .grammars import ListLexer, lalr_parser

__all__ = ["Block", "Heading", "Outline", "read_outline", "section_kind"]

# --- Line classes -------------------------------------------------------------------------

_TABLE_LINE = re.compile(r" *\t|\||.*\|\s*$|.*\|.*\|")
# Cells separated by runs of spaces (PDF text extraction): a table line only inside a
# run of at least three such lines, so that prose with a double space stays prose.
_SPACED_LINE = re.compile(r".*\S {2,}\S")
_SPACED_RUN = 3
# A page furniture line: "- 3 -", "— 3 —", "第 2 页", "第2页 共5页" (corpus/synthetic).
_PAGE_LINE = re.compile(
    r"\s*(?:[-—–]\s*\d+\s*[-—–]|第\s*\d+\s*页(?:\s*[,/]?\s*共\s*\d+\s*页)?)\s*$"
)
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


def _lines(text: str) -> Iterator[tuple[int, int]]:
    start = 0
    for match in re.finditer(r"\n", text):
        yield start, match.start()
        start = match.end()
    if start < len(text):
        yield start, len(text)


def _mark_spaced_runs(lines: list[str], kinds: list[str]) -> None:
    """Space-separated rows become table lines where three or more stand together."""
    run: list[int] = []
    for i, line in enumerate([*lines, ""]):
        if i < len(lines) and kinds[i] == "TEXT" and _SPACED_LINE.match(line):
            run.append(i)
            continue
        if len(run) >= _SPACED_RUN:
            for k in run:
                kinds[k] = "TABLE"
        run = []


def _tokens(text: str) -> tuple[list[Token], dict[int, Heading]]:
    """Classify lines and merge table lines into blocks (see the module docstring)."""
    spans = [(s, e) for s, e in _lines(text) if text[s:e].strip()]
    lines = [text[s:e] for s, e in spans]
    n = len(lines)
    kinds = ["TEXT"] * n
    headings: dict[int, Heading] = {}
    for i, line in enumerate(lines):
        if _TABLE_LINE.match(line):
            kinds[i] = "TABLE"
        elif _PAGE_LINE.match(line):
            kinds[i] = "PAGE"
    _mark_spaced_runs(lines, kinds)
    for i, line in enumerate(lines):
        if kinds[i] != "TEXT":
            continue
        found = _heading(line)
        if found is not None:
            kinds[i] = "HEADING"
            number, title = found
            start, end = spans[i]
            lead = len(line) - len(line.lstrip())
            trail = len(line) - len(line.rstrip())
            headings[start] = Heading(number, title, section_kind(title), start + lead, end - trail)
    # A prose line between two table lines is a continuation of a multi-line cell.
    for i in range(1, n - 1):
        if kinds[i] == "TEXT" and kinds[i - 1] == "TABLE":
            j = i
            while j < n and kinds[j] == "TEXT":
                j += 1
            if j < n and kinds[j] == "TABLE":
                for k in range(i, j):
                    kinds[k] = "TABLE"
    # The title block: up to the first line with 报告 among the first three lines.
    for i in range(min(3, n)):
        if kinds[i] != "TEXT" or len(lines[i]) > 50 or _SENTENCE.search(lines[i]):
            break
        if "报告" in lines[i]:
            for k in range(i + 1):
                kinds[k] = "TITLE"
            break
    # The closing: a date line among the last lines, the agency line above it.
    for i in range(n - 1, max(-1, n - 5), -1):
        if kinds[i] == "TEXT" and _DATE.match(lines[i]):
            kinds[i] = "DATE"
            for k in range(i + 1, n):
                kinds[k] = "TRAILER"
            above = i - 1
            if (above >= 0 and kinds[above] == "TEXT" and len(lines[above].strip()) <= 30
                    and not re.search(r"[。,:;!?]", lines[above])):
                kinds[above] = "SIGNATURE"
            break
        if kinds[i] != "TEXT" or len(lines[i]) > 60:
            break
    # Consecutive table lines make one TABLE token, cut from the text once (re-cutting it
    # at every line would be quadratic in the size of a long table).
    merged: list[tuple[str, int, int]] = []
    for i, kind in enumerate(kinds):
        start, end = spans[i]
        if kind == "TABLE" and merged and merged[-1][0] == "TABLE" and kinds[i - 1] == "TABLE":
            merged[-1] = ("TABLE", merged[-1][1], end)
            continue
        merged.append((kind, start, end))
    tokens = [Token(kind, text[start:end], start_pos=start, end_pos=end)
              for kind, start, end in merged]
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

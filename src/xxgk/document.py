"""The document stage: normalised text → outline (title, sections, table blocks, closing).

A small line lexer classifies every line of the normalised text (one regex pass over
the text for page furniture; the lines the registered layouts claim are table lines; then
a look at the neighbouring non-blank lines where the kind of a line depends on them:
table continuation lines, the title block, the closing), merges the lines of one table
into one ``TABLE`` token, and hands the tokens to the LALR grammar ``grammar/document.lark``,
whose tree becomes an :class:`Outline`.
"""

from __future__ import annotations

import functools
import operator
import re
from collections.abc import Sequence

import attrs
from lark import Lark, Token, Tree

from ._lalr import make_token, token_runner
from .grammars import ListLexer, lalr_parser
from .layouts._model import Claims

__all__ = ["Block", "Heading", "LineClaims", "Outline", "read_outline", "section_kind"]

# --- Line classes -------------------------------------------------------------------------

# One pass over the text finds its lines (those with a character that is not white space,
# and those opened by a tab: an empty tab_cell cell, which may stand after a table's last
# number; `[^\S\n]` is white space within a line) and marks page furniture:
#  - PAGE: page furniture left by a PDF converter, "- 3 -", "— 3 —", "第 2 页",
#    "第2页 共5页" (corpus/synthetic/page_break_*.txt);
#  - any other line is TEXT, unless a layout claims it as a TABLE line (see _claimed).
_LINE_KIND = re.compile(
    r"^(?=[^\n]*\S|[ ]*\t)"
    r"(?:(?P<P>(?=[^\S\n]*(?:[-—–][^\S\n]*\d+[^\S\n]*[-—–]|第[^\S\n]*\d+[^\S\n]*页"
    r"(?:[^\S\n]*[,/]?[^\S\n]*共[^\S\n]*\d+[^\S\n]*页)?)[^\S\n]*$)))?"
    r"[^\n]*",
    re.MULTILINE,
)
# The kinds of lines while they are worked out, one character per line, so that rules
# over neighbouring lines are regular expressions over a string of kinds.
_KIND_NAMES = {"T": "TABLE", "P": "PAGE", "X": "TEXT", "H": "HEADING", "I": "TITLE",
               "D": "DATE", "R": "TRAILER", "S": "SIGNATURE"}
# A prose run between two table lines continues a multi-line cell ("然", "人").
_CONTINUATION = re.compile(r"(?<=T)X+(?=T)")
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


LineClaims = Sequence[tuple[Claims, int]]
"""What the layouts claim: ``(claims, min_run)`` pairs (see :class:`xxgk.layouts.Layout`)."""


@functools.lru_cache(maxsize=64)
def _anchored(pattern: str, flags: int) -> re.Pattern[str]:
    return re.compile(f"^(?:{pattern})", flags | re.MULTILINE)


def _claimed(text: str, starts: Sequence[int], lines: Sequence[str],
             claims: LineClaims) -> bytearray:
    """One byte per non-blank line: 1 where a layout claims it as a table line."""
    marks = bytearray(len(lines))
    index = {start: i for i, start in enumerate(starts)}
    seen: set[tuple[str, int, int]] = set()
    for claim, min_run in claims:
        mine = bytearray(len(lines))
        if isinstance(claim, re.Pattern):
            key = (claim.pattern, claim.flags, min_run)
            if key in seen:  # the pipe layouts claim alike: one scan
                continue
            seen.add(key)
            get = index.get
            for found in _anchored(claim.pattern, claim.flags).finditer(text):
                i = get(found.start())
                if i is not None:
                    mine[i] = 1
        else:
            try:
                picked = list(claim(lines))
            except Exception:  # a broken claim claims nothing; the layout reports nothing
                continue
            for i in picked:
                if 0 <= i < len(lines):
                    mine[i] = 1
        if min_run > 1:
            for run in re.finditer(b"\x01+", bytes(mine)):
                if run.end() - run.start() < min_run:
                    mine[run.start():run.end()] = bytes(run.end() - run.start())
        marks = bytearray(map(operator.or_, marks, mine))
    return marks


def _default_claims() -> LineClaims:
    from .layouts import layouts

    return [(layout.claims, layout.min_run) for layout in layouts()
            if layout.claims is not None]


def _tokens(text: str, claims: LineClaims) -> tuple[list[Token], dict[int, Heading]]:
    """Classify lines and merge table lines into blocks (see the module docstring)."""
    matches = list(_LINE_KIND.finditer(text))
    spans = list(map(re.Match.span, matches))
    lines = list(map(re.Match.group, matches))  # the whole match: text[start:end]
    n = len(lines)
    kinds = [kind or "X" for kind in map(_LAST_GROUP, matches)]
    marks = _claimed(text, [start for start, _ in spans], lines, claims)
    if 1 in marks:
        kinds = ["T" if mark else kind for kind, mark in zip(kinds, marks, strict=True)]
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
        if kinds[i] == "P":  # a page number after the closing (a PDF's last footer)
            continue
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


def read_outline(text: str, claims: LineClaims | None = None) -> Outline:
    """Read the outline of the normalised ``text``. Never fails: every line is a title,
    heading, text, table, signature, date or trailer line, and the grammar admits them
    in the order the lexer assigns them. Table lines are those ``claims`` claims (by
    default, what the registered layouts claim)."""
    tokens, headings = _tokens(text, _default_claims() if claims is None else claims)
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

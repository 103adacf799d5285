"""An xxgk layout for tables whose cells are separated by two or more spaces.

PDF text extraction (pdftotext -layout and friends) often writes a table row as one line
with the cells padded apart by spaces::

    信息内容  本年制发件数  本年废止件数  现行有效件数
    规章  0  0  1

The layout is the grammar ``spaced.lark`` beside this file, plus a detector. It reaches
xxgk only through the entry point ``spaced = "xxgk_spaced:layout"`` in the group
``xxgk.layouts`` (see ``pyproject.toml``); xxgk calls :func:`layout` on first use.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from xxgk.layouts import Layout
    from xxgk.variants import TemplateVariant

__all__ = ["claims", "detect", "layout", "template_variant"]

# A line with at least one gap of two or more spaces between two pieces of text.
_ROW = re.compile(r"^[^\s|][^\n|]*?\S {2,}\S[^\n|]*$", re.MULTILINE)
_NONBLANK = re.compile(r"^ *\S", re.MULTILINE)


def detect(block: str) -> float:
    """Share of the block's lines that are cells separated by runs of spaces; 0 when any
    line carries a tab or a pipe (then another layout owns the block)."""
    if "\t" in block or "|" in block:
        return 0.0
    lines = len(_NONBLANK.findall(block))
    return len(_ROW.findall(block)) / lines if lines else 0.0


_SPACED = re.compile(r"\S {2,}\S")
_HEADING = re.compile(r"\s*[一二三四五六七八九十]{1,3}\s*[、.]")
_RUN = re.compile(r"[sh]{3,}")
# Shorter runs of spaced lines (s) after or before a table run (S), through at most one
# short caption line (c) each: a sub-table of two lines, its header and one row
# ("信息内容  本年收费金额" / "行政事业性收费  0", sample lines 18-20).
_SHORT = re.compile(r"(?<=S)(?:c?s+)+|(?:s+c?)+(?=S)")
_MAX_CAPTION = 30


def _mark(line: str) -> str:
    if "\t" in line or "|" in line:
        return "."  # another layout's line
    if _SPACED.search(line):
        # a numbered line ("一、本年新收…  4  1") is a row inside a run of rows, but never
        # joins a table on its own: it may be a heading printed with spaces
        return "h" if _HEADING.match(line) else "s"
    return "c" if len(line.strip()) <= _MAX_CAPTION else "."


def claims(lines: Sequence[str]) -> list[int]:
    """The table lines of this layout among a document's non-blank ``lines``: runs of three
    or more spaced lines (so that prose with a double space stays prose), and shorter runs
    next to one of those, through at most one caption line."""
    marks = list("".join(map(_mark, lines)))
    for run in _RUN.finditer("".join(marks)):
        marks[run.start():run.end()] = "S" * (run.end() - run.start())
    joined = "".join(marks).replace("h", ".")
    mine = [i for i, mark in enumerate(joined) if mark == "S"]
    for short in _SHORT.finditer(joined):
        mine.extend(range(short.start(), short.end()))
    return sorted(mine)


def layout() -> Layout:
    """The layout, built on first use (so loading the entry point imports nothing heavy)."""
    from xxgk.layouts import Layout

    grammar = resources.files(__name__).joinpath("spaced.lark")
    return Layout("spaced", str(grammar), detect, claims)


def template_variant() -> TemplateVariant:
    """A template variant: the agency prints （七）合计 for （七）总计 (sample line 47)."""
    from xxgk.variants import TemplateVariant

    return TemplateVariant("heji", "%override L_TOTAL: /\\(七\\)(总计|合计)/\n")

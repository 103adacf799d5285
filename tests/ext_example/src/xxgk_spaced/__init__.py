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
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from xxgk.layouts import Layout
    from xxgk.variants import TemplateVariant

__all__ = ["detect", "layout", "template_variant"]

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


def layout() -> Layout:
    """The layout, built on first use (so loading the entry point imports nothing heavy)."""
    from xxgk.layouts import Layout

    grammar = resources.files(__name__).joinpath("spaced.lark")
    return Layout("spaced", str(grammar), detect)


def template_variant() -> TemplateVariant:
    """A template variant: the agency prints （七）合计 for （七）总计 (sample line 47)."""
    from xxgk.variants import TemplateVariant

    return TemplateVariant("heji", "%override L_TOTAL: /\\(七\\)(总计|合计)/\n")

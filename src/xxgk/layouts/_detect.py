"""Cheap detectors for the built-in layouts: each scores a block's text from 0 to 1.

A score is the share of the block's lines that look like the layout:

* ``tab_cell``: lines opened by a tab (after optional spaces), among the lines that open a
  cell in any layout (those plus the lines that carry a pipe). Continuation lines of
  multi-line cells ("然", "人") are neutral: a vertical header must not lower the score.
* ``pipe_cell``: lines that are a row of pipes ("|", "|||") or text closed by pipes
  ("规章 |"), among the non-blank lines; 0 when no line is pipes only (every row starts so).
* ``bar_row``: lines that start with text and continue after their first pipe ("a | b",
  "a | |||"), among the non-blank lines.
* ``markdown``: lines that start with a pipe and hold some text ("| a | b |"), or are the
  rule line ("|---|---|"), among the non-blank lines; halved when there is no rule line.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["PDF_ROW_LINE", "bar_row", "markdown", "pdf_row", "pipe_cell", "tab_cell"]

_NONBLANK: Final = re.compile(r"^ *[^ \n]", re.MULTILINE)
_TAB_OPENED: Final = re.compile(r"^ *\t", re.MULTILINE)
_WITH_PIPE: Final = re.compile(r"^[^\n|]*\|", re.MULTILINE)
_PIPES_ONLY: Final = re.compile(r"^ *\|[ |]*$", re.MULTILINE)
_CLOSED_BY_PIPE: Final = re.compile(r"^ *[^|\n ][^|\n]*\|[ |]*$", re.MULTILINE)
_BAR_ROW: Final = re.compile(r"^ *[^|\n ][^|\n]*\| *[^ \n]", re.MULTILINE)
_MD_ROW: Final = re.compile(r"^ *\|[^\n]*[^|\n \-:][^\n]*$", re.MULTILINE)
_MD_RULE: Final = re.compile(r"^ *\|(?: *:?-+:? *\|)+(?: *:?-+:? *)? *$", re.MULTILINE)


# The counts made in the last block text seen: the detectors of one block (called one
# after the other on the same string) count its non-blank lines alike. Only that one
# text, by identity: each thread keeps the memo it reads, and counts are pure.
_memo: tuple[str, dict[re.Pattern[str], int]] = ("", {})


def _count(pattern: re.Pattern[str], text: str) -> int:
    global _memo
    memo = _memo
    if memo[0] is not text:
        memo = _memo = (text, {})
    found = memo[1].get(pattern)
    if found is None:
        found = memo[1][pattern] = len(pattern.findall(text))
    return found


def tab_cell(text: str) -> float:
    """Share of tab-opened lines among cell-opening lines (tab-opened or with a pipe)."""
    if "\t" not in text:
        return 0.0
    tabs = _count(_TAB_OPENED, text)
    if not tabs:
        return 0.0
    return tabs / (tabs + (_count(_WITH_PIPE, text) if "|" in text else 0))


def pipe_cell(text: str) -> float:
    """Share of pipes-only and pipe-closed lines; 0 without a pipes-only line."""
    if "|" not in text:
        return 0.0
    rows = _count(_PIPES_ONLY, text)
    if not rows:
        return 0.0
    return (rows + _count(_CLOSED_BY_PIPE, text)) / _count(_NONBLANK, text)


def bar_row(text: str) -> float:
    """Share of lines with text before their first pipe and something after it."""
    if "|" not in text:
        return 0.0
    lines = _count(_NONBLANK, text)
    return _count(_BAR_ROW, text) / lines if lines else 0.0


def markdown(text: str) -> float:
    """Share of ``| a | b |`` rows and ``|---|`` rule lines; halved without a rule line."""
    if "|" not in text:
        return 0.0
    lines = _count(_NONBLANK, text)
    if not lines:
        return 0.0
    rules = _count(_MD_RULE, text)
    share = (_count(_MD_ROW, text) + rules) / lines
    return share if rules else share / 2


# pdf_row (appended): the rows the PDF source writes, every cell closed by a tab. Its
# lines (the layout's claims): a line that opens with text and goes on after a tab.
# (One starred class before the text, so that a long line without a tab fails in linear time.)
PDF_ROW_LINE: Final = re.compile(r" *[^\t\n ][^\t\n]*\t")
_TEXT_THEN_TAB: Final = re.compile(r"^ *[^\t\n ][^\t\n]*\t", re.MULTILINE)


def pdf_row(text: str) -> float:
    """Share of lines that open with text and go on after a tab (a row of tab-closed
    cells; a tab_cell line opens with its tab), among the non-blank lines."""
    if "\t" not in text:
        return 0.0
    lines = _count(_NONBLANK, text)
    return _count(_TEXT_THEN_TAB, text) / lines if lines else 0.0

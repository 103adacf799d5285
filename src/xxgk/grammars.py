"""Finding and building the Lark grammars, once per process.

The ``.lark`` files live in the repository's top-level ``grammar/`` folder and are
installed into the wheel as ``xxgk/grammar/`` (see ``pyproject.toml``). Both places
are looked up, the installed one first, so a source checkout and an installed wheel
behave the same.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

from lark import Lark, Token
from lark.lexer import Lexer

__all__ = ["TEMPLATE_GRAMMAR", "TEMPLATE_STARTS", "TEMPLATE_TABLES", "ListLexer", "grammar_dir",
           "grammar_text", "lalr_parser", "lalr_parser_from_text", "template_parser"]

TEMPLATE_GRAMMAR = "templates/template.lark"
"""The template grammar's path under ``grammar/``."""

TEMPLATE_TABLES = (
    "active_disclosure_2019",
    "active_disclosure_2021",
    "applications_2019",
    "applications_2021",
    "review_litigation",
)
"""The template grammar's table rules (one per table and template version)."""

TEMPLATE_STARTS = (*TEMPLATE_TABLES, *(f"row_{name}" for name in TEMPLATE_TABLES))
"""Its start rules: a whole table, or one printed row of it."""


@functools.cache
def grammar_dir() -> Path:
    """The directory holding ``document.lark``, ``layouts/`` and ``templates/``."""
    installed = resources.files("xxgk").joinpath("grammar")
    if installed.is_dir():
        return Path(str(installed))
    checkout = Path(__file__).resolve().parents[2] / "grammar"
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError("xxgk grammars not found: the package is installed incompletely")


def grammar_text(relpath: str) -> str:
    """The text of ``grammar/<relpath>``."""
    return (grammar_dir() / relpath).read_text(encoding="utf-8")


@functools.cache
def _build(path: str, options: tuple[tuple[str, Any], ...]) -> Lark:
    kwargs = dict(options)
    if isinstance(kwargs.get("start"), tuple):
        kwargs["start"] = list(kwargs["start"])
    # cache=True keeps Lark's grammar analysis in the temp folder, keyed by the grammar
    # text and options: a fresh process (a CLI call, a batch worker) loads it in ~12 ms
    # instead of analysing all grammars again (~200 ms).
    return Lark.open(path, parser="lalr", cache=True, **kwargs)


@functools.cache
def lalr_parser(relpath: str, **options: Any) -> Lark:
    """A cached LALR parser for ``grammar/<relpath>`` (built once per process).

    ``options`` are passed to :class:`lark.Lark` and must be hashable; relative
    ``%import`` statements resolve against the grammar's own folder.
    """
    # Cached here too, before the path is worked out: the stages ask for their parser
    # once per table block.
    return _build(str(grammar_dir() / relpath), tuple(sorted(options.items())))


@functools.cache
def _build_text(text: str, options: tuple[tuple[str, Any], ...]) -> Lark:
    kwargs = dict(options)
    if isinstance(kwargs.get("start"), tuple):
        kwargs["start"] = list(kwargs["start"])
    return Lark(text, parser="lalr", cache=True, **kwargs)


def lalr_parser_from_text(text: str, **options: Any) -> Lark:
    """A cached LALR parser for grammar ``text`` (a grammar put together at run time,
    such as the template grammar with registered variants)."""
    return _build_text(text, tuple(sorted(options.items())))


class ListLexer(Lexer):
    """A Lark lexer for grammars whose tokens are made by our own code (lines of the
    document, cells of a table): ``parse()`` is handed the token list itself."""

    def __init__(self, conf: object) -> None:
        pass

    def lex(self, data: list[Token]) -> Iterator[Token]:  # type: ignore[override]
        """The tokens handed to ``parse()``, as they are."""
        yield from data


@functools.cache
def template_parser(extra: str = "") -> Lark:
    """The template parser with the template variants' grammar text ``extra`` appended
    (cached by it). Raises what Lark raises for a grammar that does not build, and
    :class:`re.error` for a terminal whose pattern does not compile."""
    if not extra:
        parser = lalr_parser(TEMPLATE_GRAMMAR, lexer=ListLexer, start=TEMPLATE_STARTS)
    else:
        parser = lalr_parser_from_text(grammar_text(TEMPLATE_GRAMMAR) + "\n" + extra,
                                       lexer=ListLexer, start=TEMPLATE_STARTS)
    for terminal in parser.terminals:  # cells are typed by these patterns: fail now
        if terminal.pattern.type in ("re", "str"):
            re.compile(terminal.pattern.to_regexp())
    return parser

"""A lean LALR(1) driver over the tables of a built Lark parser.

Lark does the grammar work: it reads the ``.lark`` file, analyses it into LALR(1) parse
tables and builds one lexer per parser state (the contextual lexer). This module only
*runs* those tables. Lark's own run-time loop is general (a lexer thread, line and column
counting for every token, interactive parser states, token callbacks, deprecation shims
in ``Token.__new__``, a tree-building callback per rule); ours does the same steps for
the subset of Lark that xxgk's grammars use, in one tight loop, and produces the *same*
trees: :func:`rule_actions` shapes each rule's children by Lark's rules (filtered
``_TERMINALS``, inlined ``_rules``, ``?rule`` expansion, aliases), tokens are
:class:`lark.Token` with the same type, value and offsets (``start_pos``, ``end_pos``;
line and column are not counted, nobody downstream reads them), and errors are Lark's own
:class:`~lark.exceptions.UnexpectedToken` / :class:`~lark.exceptions.UnexpectedCharacters`
raised at the same token or position with the same expected terminals (their line and
column are left unset or counted by line breaks, and they carry no parser state for
``match_examples``). A caller may build its own
results instead of trees (:meth:`FastParser.with_actions`): the layout stage makes grid
cells and rows as rules are reduced.

Which grammars qualify (:func:`fast_parser` returns ``None`` otherwise, and callers
use Lark's ``parse``): LALR, a contextual lexer whose per-state scanners are each one
regex without token callbacks, or a lexer that hands over its token list
(:class:`~xxgk.grammars.ListLexer`); :func:`fast_parser` lists what else it declines.
The tables and scanners are read from Lark's internals (``lark>=1.2,<2``); if those
change shape, :func:`fast_parser` returns ``None`` and Lark's own parse is used. That
Lark's run and this one agree is tested token for token and tree for tree
(``tests/test_lalr.py``: the corpus, damaged documents, random text, shuffled template
rows), and the whole corpus is read again with every grammar on Lark.

:class:`Paths` remembers the token types of texts parsed before, so that a text whose
tokens follow one of those paths is only lexed, not parsed again (the layout stage).
"""

from __future__ import annotations

import functools
import itertools
import threading
from collections.abc import Callable, Sequence
from typing import Any, Final

from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedToken
from lark.parsers.lalr_analysis import Shift

from .speed import fast_path

__all__ = ["FastParser", "Paths", "fast_parser", "make_token", "token_runner"]

_Reduce = tuple[int, str, "_Callback"]
_Callback = Callable[[list[Any]], Any] | int
# Reductions of ``_rules`` that only move list items, done by the driver in place:
_APPEND: Final = 1  # `_items: _items item`: append the item to the list
_EXTEND: Final = 2  # `_items: _items _more`: extend the list by the other list
_WRAP: Final = 3  # `_one: item`: a list of the one item
_PASS: Final = 4  # `_one: _more`: the other list as it is
_Action = Any  # the next state (int) for a shift, a _Reduce for a reduction
_Scan = Callable[[str, int, int], Any]
_new_str = str.__new__


def make_token(type_: str, value: str, start: int, end: int | None = None) -> Token:
    """A :class:`lark.Token` without Lark's constructor shims (same slots, no line info)."""
    tok: Token = _new_str(Token, value)
    tok.type = type_
    tok.value = value
    tok.start_pos = start
    tok.end_pos = end
    tok.line = tok.column = tok.end_line = tok.end_column = None
    return tok


def _feed(actions: dict[int, dict[str, _Action]], states: list[int], values: list[Any],
          tok: Token, typ: str, stop: int = -1) -> bool:
    """Reduce as the table says, then shift ``tok``; ``False`` if the state rejects it.

    With ``stop`` (the end state, when ``tok`` is the end of input): ``True`` as soon
    as a reduction reaches it, where Lark accepts."""
    while True:
        act = actions[states[-1]].get(typ)
        if act is None:
            return False
        if act.__class__ is int:
            states.append(act)
            values.append(tok)
            return True
        size, origin, callback = act  # reduce: pop the children, push the node, go to
        if callback.__class__ is int:  # a list-shaped _rule, see rule_actions
            if callback == _APPEND:
                item = values.pop()
                values[-1].append(item)
                del states[-2:]
            elif callback == _EXTEND:
                item = values.pop()
                if item.__class__ is list:
                    values[-1].extend(item)
                else:
                    values[-1].append(item)
                del states[-2:]
            else:
                item = values[-1]
                if callback == _WRAP or item.__class__ is not list:
                    values[-1] = [item]
                states.pop()
        elif size:
            children = values[-size:]
            del states[-size:]
            del values[-size:]
            values.append(callback(children))
        else:
            values.append(callback([]))
        states.append(actions[states[-1]][origin])
        if states[-1] == stop:
            return True


class FastParser:
    """Runs the parse tables of one LALR :class:`~lark.Lark` instance (see the module)."""

    __slots__ = (
        "_actions",
        "_allowed",
        "_ends",
        "_ignore",
        "_lark",
        "_make",
        "_root",
        "_scanners",
        "_starts",
        "_terminals_by_name",
    )

    def __init__(self, lark: Lark, scanners: dict[int, _Scan] | None,
                 root: _Scan | None, ignore: frozenset[str],
                 make: Callable[[str, list[Any]], Any] = Tree,
                 allowed: dict[int, frozenset[str]] | None = None) -> None:
        table = lark.parser.parser.parser.parse_table  # ParsingFrontend → LALR → _Parser
        callbacks = rule_actions(lark, make)
        reduces: dict[Any, _Reduce] = {}
        actions: dict[int, dict[str, _Action]] = {}
        for state, row in table.states.items():
            compiled: dict[str, _Action] = {}
            for symbol, (action, arg) in row.items():
                if action is Shift:
                    compiled[symbol] = arg
                else:
                    if arg not in reduces:
                        reduces[arg] = (len(arg.expansion), arg.origin.name, callbacks[arg])
                    compiled[symbol] = reduces[arg]
            actions[state] = compiled
        self._lark = lark
        self._make = make
        self._allowed = allowed or {}
        self._actions = actions
        self._starts: dict[str, int] = dict(table.start_states)
        self._ends: dict[str, int] = dict(table.end_states)
        self._scanners = scanners
        self._root = root
        self._ignore = ignore
        self._terminals_by_name = lark.lexer_conf.terminals_by_name

    def with_actions(self, make: Callable[[str, list[Any]], Any]) -> FastParser:
        """The same parser, building its results with ``make(rule_name, children)``
        instead of ``Tree(rule_name, children)`` (see :func:`rule_actions`)."""
        return FastParser(self._lark, self._scanners, self._root, self._ignore,
                          make, self._allowed)

    # -- running -------------------------------------------------------------------------

    def _start(self, start: str | None) -> tuple[int, int]:
        if start is None:
            if len(self._starts) != 1:
                raise ValueError("several start rules: name one")
            start = next(iter(self._starts))
        return self._starts[start], self._ends[start]

    def _unexpected(self, token: Token, state: int) -> UnexpectedToken:
        expected = {s for s in self._actions[state] if s.isupper()}
        return UnexpectedToken(token, expected)  # type: ignore[no-untyped-call]

    def parse_tokens(self, tokens: Sequence[Token], start: str | None = None) -> Any:
        """Parse a list of tokens made by the caller (grammars with a list lexer)."""
        state0, end_state = self._start(start)
        actions = self._actions
        states = [state0]
        values: list[Any] = []
        for tok in tokens:
            typ = tok.type
            if not _feed(actions, states, values, tok, typ):
                raise self._unexpected(tok, states[-1])
        last = tokens[-1] if tokens else None
        return self._finish(states, values, end_state, last)

    def parse_text(self, text: str, lo: int, hi: int, start: str | None = None,
                   trace: list[tuple[int, Token]] | None = None) -> Any:
        """Parse ``text[lo:hi]`` with the grammar's contextual lexer; offsets of tokens
        are offsets into ``text``. With ``trace``, each token is appended to it with the
        state it was read in, and last an ``$END`` token with the state the parser
        reached (for :class:`Paths`)."""
        scanners = self._scanners
        if scanners is None:
            raise TypeError("this grammar has no lexer of its own: use parse_tokens")
        state0, end_state = self._start(start)
        actions = self._actions
        ignore = self._ignore
        states = [state0]
        values: list[Any] = []
        pos = lo
        tok: Token | None = None
        while pos < hi:
            m = scanners[states[-1]](text, pos, hi)
            if m is None:
                raise self._lex_error(text, pos, hi, states[-1], tok)
            typ = m.lastgroup
            end = m.end()
            if typ in ignore:
                pos = end
                continue
            tok = make_token(typ, m.group(), pos, end)
            pos = end
            if trace is not None:
                trace.append((states[-1], tok))
            if not _feed(actions, states, values, tok, typ):
                raise self._unexpected(tok, states[-1])
        if trace is not None:  # the state the rest of the text would be read in
            trace.append((states[-1], make_token("$END", "", pos, pos)))
        return self._finish(states, values, end_state, tok)

    def _finish(self, states: list[int], values: list[Any], end_state: int,
                last: Token | None) -> Any:
        if last is not None:
            end = make_token("$END", "", last.start_pos or 0, last.end_pos or 0)
        else:
            end = make_token("$END", "", 0, 0)
        # the end of input is never shifted: True means a reduction reached the end state
        if not _feed(self._actions, states, values, end, "$END", end_state) or values[-1] is end:
            raise self._unexpected(end, states[-1])
        return values[-1]

    def _lex_error(self, text: str, pos: int, hi: int, state: int,
                   last: Token | None) -> UnexpectedCharacters | UnexpectedToken:
        """Lark's contextual-lexer error: the token a state did not expect when some
        terminal of the grammar matches here, else the characters no terminal matches."""
        allowed = set(self._allowed.get(state, ()))
        if self._root is not None:
            # (no ignored terminal can match here: every state's lexer has them all)
            m = self._root(text, pos, hi)
            if m is not None and m.lastgroup not in self._ignore:
                tok = make_token(m.lastgroup, m.group(), pos, m.end())
                return UnexpectedToken(  # type: ignore[no-untyped-call]
                    tok, allowed, token_history=[last],
                    terminals_by_name=self._terminals_by_name)
        line = text.count("\n", 0, pos) + 1
        column = pos - text.rfind("\n", 0, pos)
        return UnexpectedCharacters(  # type: ignore[no-untyped-call]
            text, pos, line, column, allowed=allowed,
            token_history=[last] if last is not None else None,
            terminals_by_name=self._terminals_by_name)


class _Tree:
    """One generation of :class:`Paths` (replaced whole when they are forgotten)."""

    __slots__ = ("after", "done", "roots", "scans", "size")

    def __init__(self) -> None:
        self.roots: dict[str | None, int] = {}  # start rule → its first point
        self.scans: list[_Scan] = []  # point → the scanner of the parser's state there
        self.after: dict[tuple[int, str], int] = {}  # (point, token type) → next point
        self.done: dict[int, Any] = {}  # point → what was made of a text that ended there
        self.size = 0  # points, and the tokens of each text recorded (see Paths)


class Paths:
    """The token types of texts parsed before, as paths from the start state, each
    ending in what the caller made of its parse.

    An LALR parse is decided by the types of its tokens alone: the parser's states, and
    so the scanners of the contextual lexer, follow from the types read so far. A text
    whose tokens take the types of a recorded text, one after the other, is lexed exactly
    as that text was and parses into a result of the same shape: :meth:`walk` lexes it
    along the path, without the parse tables, and hands back what was recorded with the
    new tokens' text and offsets. A type no recorded text took at that point, text no
    scanner matches, or an end where no recorded text ended, gives ``None``: parse it.

    The paths share their beginnings (a tree of points). Bounded: a parse of more than
    ``longest`` tokens is not recorded, and ``size`` counts the points and, for each
    recorded end, its text's tokens (what is recorded there is expected to grow with
    them: ≈ 100 bytes a token for the layouts' shapes); all paths are forgotten when
    ``size`` would pass ``limit``. Safe to share between threads: a walk reads one
    generation of paths throughout, and recording is locked."""

    __slots__ = ("__weakref__", "_ignore", "_lock", "_scanners", "_tree", "limit", "longest")

    def __init__(self, parser: FastParser, longest: int = 2048, limit: int = 50_000) -> None:
        if parser._scanners is None:
            raise TypeError("this grammar has no lexer of its own")
        self._scanners = parser._scanners
        self._ignore = parser._ignore
        self._tree = _Tree()
        self._lock = threading.Lock()
        self.longest = longest
        self.limit = limit

    @property
    def size(self) -> int:
        """The points, and the tokens of the texts recorded (see the class)."""
        return self._tree.size

    def clear(self) -> None:
        """Forget every path."""
        self._tree = _Tree()

    def record(self, trace: Sequence[tuple[int, Token]], done: Any,
               start: str | None = None) -> None:
        """Remember the path of a parse by ``parse_text(…, start, trace)`` (its whole
        trace: each token, then the end) and ``done``, what the caller made of that
        parse (not ``None``). A path recorded before keeps what it had."""
        tokens = len(trace) - 1
        if tokens < 0 or tokens > self.longest or 2 * (tokens + 1) > self.limit:
            return
        with self._lock:
            tree = self._tree
            point = tree.roots.get(start)
            known = 0  # how many of the tokens follow points there already
            if point is not None:
                for _, tok in trace[:-1]:
                    found = tree.after.get((point, tok.type))
                    if found is None:
                        break
                    point, known = found, known + 1
                if known == tokens and point in tree.done:
                    return
            cost = (tokens - known + (point is None)) + (tokens + 1)  # new points, the end
            if tree.size + cost > self.limit:
                self.clear()
                tree = self._tree
                point, known, cost = None, 0, 2 * (tokens + 1)  # every point new
            scanners, scans, after = self._scanners, tree.scans, tree.after
            if point is None:
                point = len(scans)
                scans.append(scanners[trace[0][0]])
                tree.roots[start] = point
            for (_, tok), (state, _) in itertools.pairwise(trace[known:]):
                scans.append(scanners[state])  # a new point, before it can be reached
                after[point, tok.type] = len(scans) - 1
                point = len(scans) - 1
            tree.done[point] = done
            tree.size += cost

    def walk(self, text: str, lo: int, hi: int, start: str | None = None,
             ) -> tuple[Any, list[str], list[int]] | None:
        """``(done, texts, starts)``: what was recorded for the path the tokens of
        ``text[lo:hi]`` follow, with their texts and offsets; ``None`` off the paths."""
        tree = self._tree
        point = tree.roots.get(start)
        if point is None:
            return None
        ignore, scans, after = self._ignore, tree.scans, tree.after
        texts: list[str] = []
        starts: list[int] = []
        pos = lo
        while pos < hi:
            m = scans[point](text, pos, hi)
            if m is None:
                return None
            typ = m.lastgroup
            if typ in ignore:
                pos = m.end()
                continue
            found = after.get((point, typ))
            if found is None:
                return None
            point = found
            texts.append(m.group())
            starts.append(pos)
            pos = m.end()
        made = tree.done.get(point)
        if made is None:
            return None
        return made, texts, starts


def _shaper(plan: tuple[tuple[int, bool], ...], size: int, name: str, inline: bool,
            expand1: bool, make: Callable[[str, list[Any]], Any]) -> Callable[[list[Any]], Any]:
    """One rule's reduction: Lark's child filter, inlining and ``?rule`` expansion."""
    identity = len(plan) == size and not any(splice for _, splice in plan)

    def shape(children: list[Any]) -> Any:
        if identity:
            kids = children
        else:
            kids = []
            for index, splice in plan:
                child = children[index]
                if splice and child.__class__ is list:
                    if kids:
                        kids.extend(child)
                    else:  # left recursion (a list rule growing): reuse its list
                        kids = child
                else:
                    kids.append(child)
        if inline:
            return kids
        if expand1 and len(kids) == 1:
            return kids[0]
        return make(name, kids)

    return shape


def rule_actions(lark: Lark, make: Callable[[str, list[Any]], Any]) -> dict[Any, _Callback]:
    """Reductions that shape children exactly as Lark's tree builder does (tokens of
    ``_TERMINALS`` and filtered literals dropped, ``_rules`` spliced into their parent,
    a ``?rule`` with one child replaced by it, aliases naming the node) and then call
    ``make(name, children)`` where Lark would build ``Tree(name, children)``.

    A ``_rule`` yields the plain list of its children, spliced by its parent. Four
    shapes of ``_rule`` only move list items and get a code instead of a function, for
    the driver to do in place: ``_APPEND`` and ``_EXTEND`` for a left-recursive list
    growing by one kept item or by another ``_rule``'s items (Lark's expansion of
    ``item*``), ``_WRAP`` and ``_PASS`` for a ``_rule`` of one kept item or of one
    other ``_rule``. Only for parsers without placeholders for empty ``[optional]``
    parts (``maybe_placeholders`` with an optional in some rule raises
    :class:`TypeError`: use Lark's callbacks).
    """
    actions: dict[Any, _Callback] = {}
    for rule in lark.rules:
        options = rule.options
        if lark.options.maybe_placeholders and options.empty_indices:
            raise TypeError("rule with placeholders for empty optionals")
        keep_all = options.keep_all_tokens
        plan = tuple(
            (i, not sym.is_term and sym.name.startswith("_"))
            for i, sym in enumerate(rule.expansion)
            if keep_all or not (sym.is_term and getattr(sym, "filter_out", False))
        )
        size = len(rule.expansion)
        origin = str(rule.origin.name)
        name = str(rule.alias or options.template_source or origin)
        inline = origin.startswith("_")
        expand1 = bool(options.expand1 and not rule.alias)
        if inline and size == 2 and rule.expansion[0] == rule.origin:
            code = {((0, True), (1, False)): _APPEND, ((0, True), (1, True)): _EXTEND}
            if plan in code:
                actions[rule] = code[plan]
                continue
        if inline and size == 1 and plan in (((0, False),), ((0, True),)):
            actions[rule] = _PASS if plan[0][1] else _WRAP
            continue
        if not inline and not expand1 and plan == tuple((i, False) for i in range(size)):
            actions[rule] = functools.partial(make, name)  # children as they are
            continue
        actions[rule] = _shaper(plan, size, name, inline, expand1, make)
    return actions


def _no_match(text: str, pos: int, end: int) -> None:
    return None


def _scan_of(basic: Any) -> _Scan | None:
    """The one-regex ``match`` of a Lark basic lexer, ``None`` when it is not that simple."""
    scanner = basic.scanner  # built on first use
    if getattr(basic, "callback", None) or len(scanner._mres) > 1:
        return None
    if not scanner._mres:  # a state that accepts no terminal (only the end of input)
        return _no_match
    match: _Scan = scanner._mres[0].match
    return match


def fast_parser(lark: Lark) -> FastParser | None:
    """The fast driver for ``lark`` (built once), ``None`` when the fast route is off
    (:mod:`xxgk.speed`) or the grammar uses a Lark feature the driver does not run (then
    use ``lark.parse``)."""
    return _fast_parser(lark) if fast_path() else None


@functools.cache
def _fast_parser(lark: Lark) -> FastParser | None:
    """The fast driver for ``lark``, ``None`` when the grammar uses a Lark feature the
    driver does not run: another parser or lexer,
    a post-lexer, lexer callbacks, a transformer, a tree class of its own, propagated
    positions, placeholders for empty optionals, an inlined (``_``) start rule, a
    terminal that a string literal shares with a pattern (Lark resolves those with a
    callback), or parse tables that are not Lark's standard (integer) ones."""
    try:
        options = lark.options
        if (options.parser != "lalr" or options.postlex is not None
                or lark.lexer_conf.callbacks or options.transformer is not None
                or options.propagate_positions or options.tree_class not in (None, Tree)):
            return None
        table = lark.parser.parser.parser.parse_table
        if any(str(start).startswith("_") for start in table.start_states):
            return None  # Lark keeps an inlined start rule as a tree
        if any(action is Shift and arg.__class__ is not int
               for row in table.states.values() for action, arg in row.values()):
            return None  # debug tables hold state objects
        lexer = lark.parser.lexer
        from lark.lexer import ContextualLexer

        from .grammars import ListLexer

        if type(getattr(lexer, "lexer", lexer)) is ListLexer:  # Lark wraps it
            return FastParser(lark, None, None, frozenset())
        if not isinstance(lexer, ContextualLexer):
            return None
        scanners: dict[int, _Scan] = {}
        allowed: dict[int, frozenset[str]] = {}
        basic: Any
        for state, basic in lexer.lexers.items():
            scan = _scan_of(basic)
            if scan is None:
                return None
            scanners[state] = scan
            # what Lark's error names: the terminals this state's lexer looks for
            allowed[state] = frozenset(basic.scanner.allowed_types - basic.ignore_types
                                       or {"<END-OF-FILE>"})
        root = _scan_of(lexer.root_lexer)
        if root is None:
            return None
        return FastParser(lark, scanners, root, frozenset(lark.lexer_conf.ignore),
                          Tree, allowed)
    except (AttributeError, KeyError, TypeError):  # a Lark whose insides differ: use Lark
        return None


def token_runner(lark: Lark) -> Callable[[list[Token], str | None], Any]:
    """``(tokens, start) → tree`` for a grammar whose tokens the caller makes (a
    :class:`~xxgk.grammars.ListLexer` grammar): the fast driver when the fast route is on
    and it runs ``lark``, else Lark's own parse. The same trees and errors either way."""
    return _token_runner(lark, fast_path())


@functools.cache
def _token_runner(lark: Lark, fast_route: bool) -> Callable[[list[Token], str | None], Any]:
    fast = _fast_parser(lark) if fast_route else None
    if fast is not None:
        return fast.parse_tokens

    def slow(tokens: list[Token], start: str | None = None) -> Any:
        return lark.parse(tokens, start=start)

    return slow

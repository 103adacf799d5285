"""Reading many reports: in several processes, in input order, streaming.

>>> from xxgk.batch import parse_many
>>> for result in parse_many(["corpus/seeds"], jobs=2):      # doctest: +SKIP
...     print(result.source, getattr(result, "year", result))

:func:`parse_many` expands directories like the command line does (report files in
sorted order, recursively), reads the files in ``jobs`` processes (``jobs - 1`` workers
and the calling process, which reads files while it waits for the workers) and yields one
:class:`~xxgk.model.Report` per file, or one :class:`ParseFailure` for a file that could
not be read as a report (binary, undecodable, empty, missing), in the order of the
input. Only a bounded window of files is in flight at any time, so memory does not
grow with the number of files. :func:`map_reports` is the same machinery with a
function applied to each report by the process that read it (the command line uses it
to serialise there, so that workers send only text back).

Each worker is a long-lived process, so the grammars it builds (cached per process by
:mod:`xxgk.grammars`) are built once per worker, not once per file.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.context
import os
import pickle
import signal
import sys
import threading
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from typing import TYPE_CHECKING, Any, Literal, TypeVar, overload

import attrs

from .errors import ParseError
from .files import is_report_file

if TYPE_CHECKING:
    from .model import Report
    from .registry import Registry

__all__ = ["ParseFailure", "default_jobs", "iter_paths", "map_reports", "parse_many"]

T = TypeVar("T")
PathArg = str | os.PathLike[str]


_DEFAULT_CHUNK = 4
_WINDOW_PER_JOB = 4


@attrs.frozen
class ParseFailure:
    """A file that could not be read as a report: where, and why.

    ``message`` is the reason alone; ``str(failure)`` is the one-line form the command
    line prints (``path: byte 12: binary input (…)``), the same as the
    :class:`~xxgk.errors.ParseError` that :meth:`error` rebuilds.
    """

    source: str
    message: str
    offset: int | None = None
    line: int | None = None
    column: int | None = None
    context: str | None = attrs.field(default=None, eq=False, repr=False)

    @classmethod
    def from_error(cls, error: ParseError, source: str) -> ParseFailure:
        """The failure record of ``error`` (raised while reading ``source``)."""
        return cls(error.source or source, error.message, error.offset, error.line,
                   error.column, error.context)

    def error(self) -> ParseError:
        """The :class:`~xxgk.errors.ParseError` this failure stands for."""
        return ParseError(self.message, source=self.source, offset=self.offset,
                          line=self.line, column=self.column, context=self.context)

    def __str__(self) -> str:
        return str(self.error())


Results = Generator[tuple[str, T | ParseFailure], None, None]
"""What :func:`map_reports` yields: ``(path, result or failure)``, in input order."""


def default_jobs() -> int:
    """The number of cores this process may run on."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def iter_paths(paths: PathArg | Iterable[PathArg]) -> Iterator[str]:
    """Files as given; directories walked (recursively, sorted) for report files.

    The order is that of ``sorted(Path(d).rglob("*"))``; symbolic links to directories
    are not followed; hidden files and folders (``.git``, ``.venv``), READMEs and
    ``*.expected.json`` snapshots are skipped. A directory that holds
    no report file is yielded itself, so that reading it fails with a clear
    :class:`~xxgk.errors.ParseError` instead of passing unnoticed. Lazy: one directory
    listing at a time is held.
    """
    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    for path in paths:
        name = os.fspath(path)
        if os.path.isdir(name):
            found = False
            for found_name in _walk(name):
                found = True
                yield found_name
            if not found:  # named, but holds no report: reading it reports that
                yield name
        else:
            yield name


def _walk(directory: str) -> Iterator[str]:
    try:
        with os.scandir(directory) as scan:
            entries = sorted(scan, key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        try:
            if entry.is_dir(follow_symlinks=False):
                if not entry.name.startswith("."):  # .git, .venv: hidden folders skipped
                    yield from _walk(entry.path)
                continue
            if not entry.is_file():
                continue
        except OSError:  # pragma: no cover - vanished while walking
            continue
        if is_report_file(entry.name):
            yield entry.path


@overload
def parse_many(
    paths: PathArg | Iterable[PathArg], jobs: int | None = None, *,
    errors: Literal["collect"] = "collect", chunksize: int | None = None,
) -> Iterator[Report | ParseFailure]: ...


@overload
def parse_many(
    paths: PathArg | Iterable[PathArg], jobs: int | None = None, *,
    errors: Literal["raise"], chunksize: int | None = None,
) -> Iterator[Report]: ...


def parse_many(
    paths: PathArg | Iterable[PathArg],
    jobs: int | None = None,
    *,
    errors: Literal["collect", "raise"] = "collect",
    chunksize: int | None = None,
) -> Iterator[Report | ParseFailure] | Iterator[Report]:
    """Read every report in ``paths`` (files or directories), in input order.

    ``jobs`` processes (default: every core; ``1`` reads in this process alone) read
    the files: ``jobs - 1`` workers, and this process while it waits for them. Results
    come back in the order of the input as soon as they are ready, with a bounded
    number of files in flight. A file that cannot be read yields a
    :class:`ParseFailure` (``errors="collect"``) or raises its
    :class:`~xxgk.errors.ParseError` (``errors="raise"``, the remaining work is
    cancelled). ``chunksize`` files are sent to a worker at a time.
    """
    if errors not in ("collect", "raise"):
        raise ValueError(f"errors must be 'collect' or 'raise', not {errors!r}")
    return _reports(map_reports(_identity, paths, jobs, chunksize=chunksize), errors)


def _reports(results: Results[Report], errors: str) -> Iterator[Report | ParseFailure]:
    with contextlib.closing(results):
        for _, result in results:
            if isinstance(result, ParseFailure) and errors == "raise":
                raise result.error()
            yield result


def _identity(report: Report) -> Report:
    return report


def map_reports(
    func: Callable[[Report], T],
    paths: PathArg | Iterable[PathArg],
    jobs: int | None = None,
    *,
    chunksize: int | None = None,
) -> Results[T]:
    """``(path, func(report))`` for every file of ``paths``, in input order.

    Like :func:`parse_many`, but ``func`` runs in the worker on each report, so only
    its result crosses the process boundary; ``func`` must be picklable (a module-level
    function or a :func:`functools.partial` of one). Files that cannot be read give
    ``(path, ParseFailure)``.
    """
    jobs = default_jobs() if jobs is None else jobs
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, not {jobs}")
    chunk = _DEFAULT_CHUNK if chunksize is None else chunksize
    if chunk < 1:
        raise ValueError(f"chunksize must be at least 1, not {chunk}")
    names = iter_paths(paths)
    if jobs > 1:
        # Not worth starting processes for a single file.
        head = list(islice(names, 2))
        names = _chain(head, names)
        if len(head) < 2:
            jobs = 1
    if jobs == 1:
        return _serial(func, names)  # a generator: close() it to stop early
    _workers_start()  # what cannot be sent to the workers fails here, at the call
    return _parallel(func, names, jobs, chunk)


def _chain(head: list[str], rest: Iterator[str]) -> Iterator[str]:
    yield from head
    yield from rest


def _parse_walked(name: str) -> Report:
    """:func:`~xxgk.pipeline.parse_file` for a name from :func:`iter_paths`, where a
    directory is one that was named and holds no report file."""
    from .pipeline import parse_file

    if os.path.isdir(name):
        raise ParseError("is a directory with no report file in it (.txt, .md, .html, "
                         ".htm; hidden files and READMEs are skipped)", source=name)
    return parse_file(name)


def _apply(func: Callable[[Report], T], name: str) -> T | ParseFailure:
    try:
        return func(_parse_walked(name))
    except ParseError as error:
        return ParseFailure.from_error(error, name)


def _serial(func: Callable[[Report], T], names: Iterable[str]) -> Results[T]:
    for name in names:
        yield name, _apply(func, name)


def _work(func: Callable[[Report], T], names: list[str]) -> list[T | ParseFailure]:
    """One chunk, in a worker."""
    return [_apply(func, name) for name in names]


_Registrations = tuple[dict[str, Any], ...]  # each registry's items, in _registries() order


def _registries() -> tuple[Registry[Any], ...]:
    """What a process registers: checks, sources, template variants, layouts."""
    from . import checks, layouts, sources, variants

    return checks.registry, sources.registry, variants.registry, layouts.registry


def _registrations() -> _Registrations:
    """What this process has registered, for workers that start afresh (forkserver, spawn)
    instead of inheriting it (fork)."""
    return tuple(found.snapshot() for found in _registries())


def _init_worker(registered: _Registrations | None = None) -> None:
    # The parent handles Ctrl-C (and shuts the pool down); workers just stop with it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from . import pipeline  # noqa: F401  (import once per worker, before the first chunk)

    if registered is not None:  # started afresh: what the calling process registered
        for found, kept in zip(_registries(), registered, strict=True):
            found.restore(kept)


def _context() -> multiprocessing.context.BaseContext:
    methods = multiprocessing.get_all_start_methods()
    # fork is the cheapest start (the pipeline modules are inherited, already imported)
    # but unsafe in a process that runs other threads; forkserver then.
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        return multiprocessing.get_context("forkserver")
    return multiprocessing.get_context("spawn")  # pragma: no cover - Windows


def _workers_start() -> tuple[multiprocessing.context.BaseContext, _Registrations | None]:
    """How the workers start, and what this process registered, to send them when they
    start afresh (not forked): raises :class:`ValueError` when it cannot be sent."""
    context = _context()
    if context.get_start_method() == "fork":
        return context, None
    registered = _registrations()
    try:
        pickle.dumps(registered)
        _importable(registered)
    except Exception as error:
        raise ValueError(
            "the checks, sources, layouts or template variants registered in this process "
            f"cannot be sent to worker processes ({error}): other threads are running, so the "
            "workers start afresh instead of being forked. Register functions defined at "
            "the top level of an importable module (not lambdas, local functions or a "
            "notebook's), or read with jobs=1") from error
    return context, registered


def _importable(registered: _Registrations) -> None:
    """Raise for a registered function that a fresh process could not import: one of a
    ``__main__`` that has no file (a notebook, ``python -c``)."""
    rules, found_sources, _, found_layouts = registered
    functions: list[Any] = [rule.function for rule in rules.values()]
    functions += [f for layout in found_layouts.values()
                  for f in (layout.detect, layout.claims, layout.reader) if callable(f)]
    functions += [f for source in found_sources.values() for f in (source.sniff, source.read)]
    main = sys.modules.get("__main__")
    if getattr(main, "__file__", None) is not None:
        return
    for function in functions:
        if getattr(function, "__module__", None) == "__main__":
            name = getattr(function, "__qualname__", repr(function))
            raise TypeError(f"{name} is defined in an interactive session")


def _parallel(
    func: Callable[[Report], T], names: Iterator[str], jobs: int, chunk: int,
) -> Results[T]:
    """``jobs`` processes at work: ``jobs - 1`` workers, and this process whenever it
    would otherwise wait. Chunks go to the workers (a bounded window of them in flight);
    while the oldest chunk is not back yet, this process reads the next chunk itself
    (it also unpickles what the workers send, so one worker more would only compete with
    it for the cores). Results are yielded in input order (an exception raised while
    reading a chunk here comes at that chunk's turn, as a worker's would). At most
    ``2 * window`` chunks wait for their turn, done or not."""
    workers = jobs - 1
    window = workers * _WINDOW_PER_JOB
    # each entry: the chunk's names, its future, and whether a worker has it
    pending: deque[tuple[list[str], Future[list[T | ParseFailure]], bool]] = deque()
    # How the workers start, and what is registered, as they are now that they start
    # (registered after the call, or threads started since, included).
    context, registered = _workers_start()
    if registered is None:  # forked: the workers inherit what is registered
        executor = ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker)
    else:
        executor = ProcessPoolExecutor(workers, mp_context=context,
                                       initializer=_init_worker, initargs=(registered,))
    try:
        while True:
            # keep the workers fed (chunks they finished behind a slow one do not count),
            # and at most twice the window waiting for their turn
            busy = sum(1 for _, future, remote in pending if remote and not future.done())
            while busy < window and len(pending) < 2 * window:
                batch = list(islice(names, chunk))
                if not batch:
                    break
                pending.append((batch, executor.submit(_work, func, batch), True))
                busy += 1
            if not pending:
                return
            batch, future, _ = pending[0]
            if not future.done() and len(pending) < 2 * window:
                mine = list(islice(names, chunk))
                if mine:  # the workers are busy: read a chunk here instead of waiting
                    pending.append((mine, _work_here(func, mine), False))
                    continue
            pending.popleft()
            try:
                done = future.result()
            except BrokenProcessPool as error:
                raise RuntimeError(
                    "the worker processes stopped: one failed to start (a registered check, "
                    "layout or template variant it could not load?) or was killed; "
                    f"read with jobs=1 to see the cause ({error})") from error
            yield from zip(batch, done, strict=True)
    finally:
        for _, future, _ in pending:
            future.cancel()
        executor.shutdown(wait=True, cancel_futures=True)


def _work_here(func: Callable[[Report], T], names: list[str]) -> Future[list[T | ParseFailure]]:
    """One chunk read in this process, as a finished future (its result or its error)."""
    done: Future[list[T | ParseFailure]] = Future()
    try:
        done.set_result(_work(func, names))
    except Exception as error:  # raised at the chunk's turn, like a worker's error
        done.set_exception(error)
    return done

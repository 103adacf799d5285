#!/usr/bin/env python
"""How often table shapes repeat in a batch, and what the fast route and the GC pause buy.

    python benchmarks/shapes.py [--instructions] [DIR_OR_FILE ...]
    # default: corpus/ and, if present, /work/shared/samples and /work/shared/seeds

``shapes``  every document read once, in order, on the fast route with nothing remembered
            at the start: how many layout blocks were read along a remembered path (only
            lexed) and how many template tables were filled from a remembered plan, of how
            many; then the same with each document read a second time with other numbers
            (the next year's report of the same agency, printed alike);
``routes``  the batch read on the fast route from nothing remembered (paths and plans
            carried from report to report), with the shapes forgotten before each report,
            with every shape known, and on the plain route (``xxgk.set_fast_path(False)``):
            best of 9 interleaved rounds, ms per report;
``gc``      the batch, fast route, from nothing remembered, with the cyclic collector
            running and paused (as ``parse()`` paused it before): the same way.

``--instructions`` counts CPU instructions per report of each scenario with valgrind's
callgrind instead (once, forgotten, known, plain, and once with the collector paused):
the same count run after run, where times on a shared machine move by 10-20 %.

A plain script, not a test; the figures go to ``benchmarks/RESULTS.md``.
"""

from __future__ import annotations

import gc
import platform
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import xxgk
from xxgk import _lalr, pipeline, tables
from xxgk.files import is_report_file

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = [ROOT / "corpus", Path("/work/shared/samples"), Path("/work/shared/seeds")]


def documents(given: list[Path]) -> list[tuple[str, bytes]]:
    """The readable report files under ``given`` (one copy of each content)."""
    found: dict[bytes, str] = {}
    for place in given:
        if not place.exists():
            continue
        paths = sorted(place.rglob("*")) if place.is_dir() else [place]
        for path in paths:
            if path.is_file() and is_report_file(path.name):
                data = path.read_bytes()
                try:
                    xxgk.parse(data, str(path))
                except xxgk.ParseError:
                    continue  # a format this installation does not read
                found.setdefault(data, str(path))
    return [(name, data) for data, name in found.items()]


def renumbered(data: bytes, k: int = 3) -> bytes:
    """The same document with every number alone in a cell multiplied by ``k``."""
    text = data.decode("utf-8", "replace")
    return re.sub(r"(?m)(?<=[\t| ])(\d+)(?=[ |]*$)", lambda m: str(int(m.group(1)) * k),
                  text).encode("utf-8")


class Counts:
    def __init__(self) -> None:
        self.walks = self.walked = self.plans = self.planned = 0


def counted(counts: Counts) -> Callable[[], None]:
    """Count path walks and plan look-ups; returns the function that undoes it."""
    walk = _lalr.Paths.walk
    call = tables._Planner.__call__

    def walk_counted(self: Any, *args: Any, **kwargs: Any) -> Any:
        known = walk(self, *args, **kwargs)
        counts.walks += 1
        counts.walked += known is not None
        return known

    def call_counted(self: Any, tokens: Any, start: str, table: str, template: str) -> Any:
        key = (start, template, tuple(t.type for t in tokens))
        counts.plans += 1
        counts.planned += key in self.plans
        return call(self, tokens, start, table, template)

    _lalr.Paths.walk = walk_counted  # type: ignore[method-assign]
    tables._Planner.__call__ = call_counted  # type: ignore[method-assign]

    def undo() -> None:
        _lalr.Paths.walk = walk  # type: ignore[method-assign]
        tables._Planner.__call__ = call  # type: ignore[method-assign]

    return undo


def run_shapes(docs: list[tuple[str, bytes]]) -> None:
    for label, batch in (("each document once", [data for _, data in docs]),
                         ("each once, then again with other numbers",
                          [data for _, data in docs] + [renumbered(d) for _, d in docs])):
        pipeline._forget_shapes()
        counts = Counts()
        undo = counted(counts)
        try:
            for data in batch:
                xxgk.parse(data)
        finally:
            undo()
        print(f"| {label} | {len(batch)} | {counts.walked}/{counts.walks} | "
              f"{counts.planned}/{counts.plans} |")


def interleaved(fns: dict[str, Callable[[], object]], rounds: int = 9) -> dict[str, float]:
    """Best time of each function, the functions taking turns round by round (so that a
    busy spell of a shared machine hits them all alike)."""
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(rounds):
        for name, fn in fns.items():
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return {name: min(found) for name, found in times.items()}


def run_routes(docs: list[tuple[str, bytes]]) -> None:
    batch = [data for _, data in docs]

    def once() -> None:  # a batch read from nothing remembered: the realistic case
        pipeline._forget_shapes()
        for data in batch:
            xxgk.parse(data)

    def forgotten() -> None:  # no report reads along another report's shapes
        for data in batch:
            pipeline._forget_shapes()
            xxgk.parse(data)

    def known() -> None:  # every shape known: the batch read again
        for data in batch:
            xxgk.parse(data)

    def plain() -> None:
        xxgk.set_fast_path(False)
        try:
            for data in batch:
                xxgk.parse(data)
        finally:
            xxgk.set_fast_path(True)

    plain()
    once()  # warm-up: parsers built
    found = interleaved({"once": once, "forgotten": forgotten, "known": known, "plain": plain})
    n = len(batch)
    for name, label in (
            ("once", "fast route, the batch read once from nothing remembered"),
            ("forgotten", "fast route, shapes forgotten before each report"),
            ("known", "fast route, every shape known (the batch read again)"),
            ("plain", "plain route (`set_fast_path(False)`)")):
        print(f"| {label} | {found[name] / n * 1e3:.2f} |")


def run_gc(docs: list[tuple[str, bytes]]) -> None:
    batch = [data for _, data in docs]

    def read() -> None:
        pipeline._forget_shapes()
        for data in batch:
            xxgk.parse(data)

    def paused() -> None:
        gc.disable()
        try:
            read()
        finally:
            gc.enable()

    read()
    found = interleaved({"running": read, "paused": paused})
    n = len(batch)
    print(f"| collector running | {found['running'] / n * 1e3:.2f} |")
    print(f"| collector paused during each batch | {found['paused'] / n * 1e3:.2f} |")


SCENARIOS = ("once", "forgotten", "known", "plain", "paused")


def child(scenario: str, reps: int, given: list[Path]) -> None:
    """Read the batch once as ``scenario`` (warm-up), then ``reps`` more times."""
    batch = [data for _, data in documents(given)]
    if scenario == "plain":
        xxgk.set_fast_path(False)
    for _ in range(1 + reps):
        if scenario in ("once", "paused"):
            pipeline._forget_shapes()
        if scenario == "paused":
            gc.disable()
        for data in batch:
            if scenario == "forgotten":
                pipeline._forget_shapes()
            xxgk.parse(data)
        if scenario == "paused":
            gc.enable()


def instructions(scenario: str, reps: int, given: list[Path]) -> int:
    """Instructions of ``reps`` readings of the batch beyond the warm-up, by callgrind."""
    counted = []
    for n in (0, reps):
        done = subprocess.run(
            ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
             sys.executable, __file__, "--child", scenario, str(n), *map(str, given)],
            capture_output=True, text=True, timeout=3600, check=False)
        found = re.search(r"Collected : ([\d,]+)", done.stderr)
        if done.returncode != 0 or found is None:
            raise RuntimeError(f"callgrind failed:\n{done.stderr[-2000:]}")
        counted.append(int(found.group(1).replace(",", "")))
    return counted[1] - counted[0]


def run_instructions(given: list[Path], count: int) -> None:
    print("\n| scenario (callgrind) | M instructions per report |\n| --- | ---: |")
    for scenario in SCENARIOS:
        found = instructions(scenario, 2, given) / (2 * count)
        print(f"| {scenario} | {found / 1e6:.2f} |", flush=True)


def main() -> None:
    args = sys.argv[1:]
    if args[:1] == ["--child"]:
        child(args[1], int(args[2]), [Path(a) for a in args[3:]])
        return
    counting = args[:1] == ["--instructions"]
    given = [Path(arg) for arg in args[counting:]] or DEFAULT
    docs = documents(given)
    print(f"{platform.platform()}, Python {platform.python_version()}, "
          f"{time.strftime('%Y-%m-%d')}; {len(docs)} documents\n")
    if counting:
        if shutil.which("valgrind") is None:
            raise SystemExit("valgrind is not installed")
        run_instructions(given, len(docs))
        return
    print("| batch | reports | layout blocks only lexed (path known) | "
          "template tables from a known plan |\n| --- | ---: | ---: | ---: |")
    run_shapes(docs)
    print("\n| route | ms per report |\n| --- | ---: |")
    run_routes(docs)
    print("\n| garbage collector | ms per report |\n| --- | ---: |")
    run_gc(docs)


if __name__ == "__main__":
    main()

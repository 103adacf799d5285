#!/usr/bin/env python
"""HTML pages: the whole read (bytes → checked records) against the HTML parser alone.

    python benchmarks/html_read.py  # the pingtan page, and generated pages of ~5 and 50 MB
    python benchmarks/html_read.py --quick    # the pingtan page, and pages of ~1 and 5 MB
    python benchmarks/html_read.py --instructions  # CPU instructions, pingtan page (valgrind)

For each page, in one run, best of several rounds taken in turns:

* ``html.parser``: decoding the bytes and :class:`html.parser.HTMLParser` (no handlers,
  ``convert_charrefs=False`` as the source uses it) over the whole page: the floor, what
  any reader built on the standard library's parser pays;
* ``source``: :func:`xxgk.sources.read_source` (decode, tree, report body, text and map);
* ``parse``: :func:`xxgk.parse` on the bytes: HTML → checked records, all of it.

The ratio ``parse / html.parser`` is the target (≤ 2×). The large pages are the pingtan
page with its report's body repeated (the same tables and prose again and again, so that
the reading grows with the page), to show the time growing with the size and not faster.
``--instructions`` counts the CPU instructions of the parser alone and of the whole read
on the pingtan page with valgrind's callgrind (each in a fresh process, run 1 and 4 times,
the difference divided by 3): the same count run after run, where times on a shared
machine move by 20 %. Instructions are not time (the parser's loop runs more instructions a
second than the pipeline's Python), so the time ratio stays the target.

A plain script, not a test: numbers depend on the machine, printed first.
"""

from __future__ import annotations

import sys
from pathlib import Path

# this file is called html.py: its folder must not shadow the standard library's html
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    del sys.path[0]

import argparse
import gc
import platform
import re
import shutil
import subprocess
import time
from collections.abc import Callable
from html.parser import HTMLParser

import xxgk
from xxgk.decode import decode
from xxgk.sources import read_source

ROOT = Path(__file__).resolve().parent.parent
PINGTAN = ROOT / "corpus" / "html" / "pingtan_2022.html"
_START = "<div class=TRS_Editor>"


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{platform.platform()}, Python {platform.python_version()}, {cpu}"


def _floor(data: bytes) -> None:
    parser = HTMLParser(convert_charrefs=False)
    parser.feed(decode(data))
    parser.close()


def _page(size: int) -> bytes:
    """The pingtan page with its report's body repeated to about ``size`` bytes."""
    text = PINGTAN.read_text(encoding="utf-8")
    start = text.index(_START) + len(_START)
    end = text.index("</div>", text.index("五、存在的主要问题"))
    body = text[start:end]
    copies = max(1, size // len(body.encode()))
    return (text[:start] + body * copies + text[end:]).encode()


def _best(work: list[tuple[str, Callable[[], object]]], rounds: int) -> dict[str, float]:
    best = {name: float("inf") for name, _ in work}
    for _ in range(rounds):
        for name, run in work:  # in turns: a busy spell of the machine hits all alike
            gc.collect()
            start = time.perf_counter()
            run()
            best[name] = min(best[name], time.perf_counter() - start)
    return best


_COUNT = """
import sys
sys.path = [p for p in sys.path if p]
from html.parser import HTMLParser
import xxgk
from xxgk.decode import decode
data = open(sys.argv[1], "rb").read()
xxgk.parse(data, "page.html")
for _ in range(int(sys.argv[3])):
    if sys.argv[2] == "floor":
        parser = HTMLParser(convert_charrefs=False)
        parser.feed(decode(data))
        parser.close()
    else:
        xxgk.parse(data, "page.html")
"""


def _instructions(what: str, times: int) -> int:
    run = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
                          sys.executable, "-c", _COUNT, str(PINGTAN), what, str(times)],
                         capture_output=True, text=True, check=True, cwd="/")
    found = re.search(r"Collected : (\d+)", run.stderr)
    assert found is not None, run.stderr[-500:]
    return int(found.group(1))


def instructions() -> None:
    """Instructions per read of the pingtan page: the parser alone, the whole read."""
    if shutil.which("valgrind") is None:
        print("valgrind is not installed: no instruction counts")
        return
    counts = {what: (_instructions(what, 4) - _instructions(what, 1)) / 3
              for what in ("floor", "parse")}
    print("| pingtan_2022.html | instructions |\n|---|---:|")
    print(f"| html.parser | {counts['floor'] / 1e6:.0f} M |")
    print(f"| parse | {counts['parse'] / 1e6:.0f} M |")
    print(f"| parse / html.parser | {counts['parse'] / counts['floor']:.2f}× |")


def main(argv: list[str]) -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--quick", action="store_true")
    options.add_argument("--instructions", action="store_true")
    parsed = options.parse_args(argv)
    quick = parsed.quick
    print(f"machine: {_machine()}\n")
    if parsed.instructions:
        instructions()
        return
    pages = [("pingtan_2022.html", PINGTAN.read_bytes(), 15 if quick else 30)]
    sizes = (1_000_000, 5_000_000) if quick else (5_000_000, 50_000_000)
    for size in sizes:
        pages.append((f"pingtan body repeated, {size / 1e6:.0f} MB", _page(size),
                      2 if size > 10_000_000 else 3))
    print("| page | bytes | html.parser (s) | source (s) | parse (s) | parse / html.parser "
          "| parse µs per KB |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, data, rounds in pages:
        report = xxgk.parse(data, source="page.html")  # warm-up, and a check it reads
        assert report.applications is not None, name
        best = _best([("floor", lambda d=data: _floor(d)),  # type: ignore[misc]
                      ("source", lambda d=data: read_source(d, "page.html")),  # type: ignore[misc]
                      ("parse", lambda d=data: xxgk.parse(d, source="page.html"))],  # type: ignore[misc]
                     rounds)
        print(f"| {name} | {len(data):,} | {best['floor']:.4f} | {best['source']:.4f} | "
              f"{best['parse']:.4f} | {best['parse'] / best['floor']:.2f}× | "
              f"{best['parse'] / (len(data) / 1024) * 1e6:.1f} |")
        sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1:])

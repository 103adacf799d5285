#!/usr/bin/env python
"""Long fuzz run of the robustness properties of ``tests/test_robustness.py`` (not run in CI).

    python benchmarks/fuzz.py                      # 5 000 examples per target
    python benchmarks/fuzz.py --examples 50000 --seed 7 --only damaged

Targets (``--only`` takes a comma-separated subset):

``random``   random text, and text made of pieces that mean something to some stage
             (row labels, headings, separators, numbers in every printed form);
``damaged``  corpus documents with lines deleted, duplicated, truncated, shuffled, and
             ``|``, tabs, ``?``, heading fragments and full-width digits inserted;
``bytes``    random bytes: a report, or ``ParseError`` (never an "internal error").

For text, every example must be read without any exception escaping the pipeline (it is
called without the ``internal error`` safety net of ``xxgk.parse``), and lose no number
printed in a table block (:func:`tests.test_robustness.unaccounted_numbers`). Hypothesis
shrinks a failure to a small example, prints it and the run exits with status 1. The
examples are random (not derandomised): ``--seed`` repeats a run.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tests.test_robustness import (  # noqa: E402
    _check_contract,
    damaged_documents,
    random_text,
)
from xxgk import ParseError, parse  # noqa: E402


def _bytes(data: bytes) -> None:
    try:
        parse(data)
    except ParseError as error:
        assert "internal error" not in error.message, error.message


TARGETS: dict[str, tuple[st.SearchStrategy[Any], Callable[[Any], None]]] = {
    "random": (random_text, _check_contract),
    "damaged": (damaged_documents(), _check_contract),
    "bytes": (st.binary(max_size=2_000), _bytes),
}


def run(name: str, examples: int, at: int) -> int:
    """Run one target; return how many inputs it tried."""
    strategy, check = TARGETS[name]
    tried = 0

    @seed(at)
    @settings(max_examples=examples, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def target(value: Any) -> None:
        nonlocal tried
        tried += 1
        check(value)

    target()
    return tried


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=5_000, help="examples per target")
    parser.add_argument("--seed", type=int, default=0, help="random seed of the run")
    parser.add_argument("--only", default=",".join(TARGETS), help="targets, comma-separated")
    args = parser.parse_args()
    total = 0
    for name in args.only.split(","):
        start = time.perf_counter()
        try:
            tried = run(name, args.examples, args.seed)
        except Exception as error:
            print(f"{name}: FAILED: {type(error).__name__}: {error}")
            for note in getattr(error, "__notes__", ()):  # the shrunk failing example
                print(note)
            return 1
        total += tried
        print(f"{name}: {tried} inputs, no failure ({time.perf_counter() - start:.0f} s)")
    print(f"total: {total} inputs")
    return 0


if __name__ == "__main__":
    sys.exit(main())

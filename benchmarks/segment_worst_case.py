"""The run-together solver's search over generated rows: steps (nodes) and time.

A plain script, not a test: ``python benchmarks/segment_worst_case.py [--rows N]``.
It generates applications rows (six applicant numbers and their total) and review rows
(three groups of four results and a total), prints them run together with no space, and
measures :func:`xxgk.segment.splits` under the row's own equations; then whole
applications tables under :func:`xxgk.segment.solve`. Reported per class of number size:
the worst and the 99th percentile of search steps, the worst time, and how many rows
were left with more than one reading or hit the bound. Steps are machine-independent
(compare them across runs); times are not.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable

from xxgk import spec
from xxgk.segment import (
    REVIEW_ROW,
    Equation,
    RowProblem,
    Run,
    solve,
    splits,
    template_equations,
)

SIZES: dict[str, Callable[[random.Random], int]] = {
    "0-9": lambda r: r.choice([0, 0, 0, r.randint(1, 9)]),
    "0-999 (real reports)": lambda r: r.choice([0, 0, r.randint(1, 9), r.randint(10, 999)]),
    "0-9999": lambda r: r.choice([0, r.randint(1, 9), r.randint(10, 999), r.randint(1000, 9999)]),
    "0-99999": lambda r: r.choice([0, r.randint(1, 99), r.randint(100, 9999),
                                   r.randint(10000, 99999)]),
}
ROW = [Equation(((0, 6),), tuple((0, c) for c in range(6)), "row")]
REVIEW = template_equations("review_litigation", "2021", [REVIEW_ROW])


def _row(draw: Callable[[random.Random], int], rng: random.Random) -> list[int]:
    six = [draw(rng) for _ in range(6)]
    return [*six, sum(six)]


def _review(draw: Callable[[random.Random], int], rng: random.Random) -> list[int]:
    values: list[int] = []
    for _ in range(3):
        four = [draw(rng) for _ in range(4)]
        values.extend([*four, sum(four)])
    return values


def _measure(rows: int, seed: int) -> None:
    print("| row | numbers | rows | digits (max) | steps p99 | steps worst | worst ms | "
          "several readings | bound hit |")
    print("|---|---|---|---|---|---|---|---|---|")
    for kind, make, equations in (("applications", _row, ROW), ("review", _review, REVIEW)):
        for size, draw in SIZES.items():
            rng = random.Random(seed)
            steps: list[int] = []
            worst_ms = 0.0
            several = hit = longest = 0
            for _ in range(rows):
                values = make(draw, rng)
                text = "".join(map(str, values))
                longest = max(longest, len(text))
                problem = RowProblem((Run(text, 0),), ("count",) * len(values))
                began = time.perf_counter()
                found, bound, nodes = splits(problem, equations)
                worst_ms = max(worst_ms, (time.perf_counter() - began) * 1000)
                steps.append(nodes)
                several += len(found) > 1
                hit += bound
            steps.sort()
            p99 = steps[int(len(steps) * 0.99) - 1]
            print(f"| {kind} | {size} | {rows} | {longest} | {p99} | {steps[-1]} | "
                  f"{worst_ms:.1f} | {several} | {hit} |")


def _tables(count: int, seed: int) -> None:
    names = list(spec.rows_of("2021", "applications"))
    equations = template_equations("applications", "2021", names)
    rng = random.Random(seed)
    times: list[float] = []
    worst_nodes = 0
    for _ in range(count):
        problems = []
        for _ in names:
            values = _row(SIZES["0-999 (real reports)"], rng)
            problems.append(RowProblem((Run("".join(map(str, values)), 0),), ("count",) * 7))
        began = time.perf_counter()
        solution = solve(problems, equations)
        times.append(time.perf_counter() - began)
        worst_nodes = max(worst_nodes, solution.nodes)
    print(f"\nwhole applications tables (25 rows, numbers 0-999, no sums checked across "
          f"rows when generating): {count} tables, median {statistics.median(times) * 1000:.1f} "
          f"ms, worst {max(times) * 1000:.1f} ms, worst steps {worst_nodes}")


def main() -> None:
    """Print the tables (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args()
    _measure(args.rows, args.seed)
    _tables(max(args.rows // 50, 10), args.seed)


if __name__ == "__main__":
    main()

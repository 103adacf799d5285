"""The solver that cuts run-together digits into a table's numbers (xxgk.segment).

Properties over generated tables: a table whose numbers add up, printed run together
(with random spaces), is read back with every number right or null, and a null cell's
candidates include the right number; a table whose totals are wrong is never read back
with a different number at a printed boundary, and the broken equations are counted.
"""

from __future__ import annotations

from collections.abc import Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

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

SUM_ROW = [Equation(((0, 6),), tuple((0, c) for c in range(6)), "row")]


def _texts(found: Sequence[Sequence[object]]) -> list[list[str]]:
    return [[piece.text for piece in split] for split in found]  # type: ignore[attr-defined]


def _runs(*texts: str) -> tuple[Run, ...]:
    runs, at = [], 0
    for text in texts:
        runs.append(Run(text, at))
        at += len(text) + 1
    return tuple(runs)


def test_a_row_sum_leaves_one_reading() -> None:
    problem = RowProblem(_runs("713000074"), ("count",) * 7)
    assert _texts(splits(problem, SUM_ROW)[0]) == [["71", "3", "0", "0", "0", "0", "74"]]


def test_a_printed_number_has_no_leading_zero_so_000_is_three_zeros() -> None:
    problem = RowProblem(_runs("000"), ("count",) * 3)
    assert _texts(splits(problem)[0]) == [["0", "0", "0"]]


def test_a_space_is_a_firm_boundary() -> None:
    # "230 000023" (pingtan_2019_flat.txt): 2|30 would need 30 inside one run
    problem = RowProblem(_runs("230", "000023"), ("count",) * 7)
    assert _texts(splits(problem, SUM_ROW)[0]) == [["23", "0", "0", "0", "0", "0", "23"]]


def test_a_sign_starts_a_change_and_nothing_else() -> None:
    problem = RowProblem(_runs("2648", "-18538"), ("count", "signed", "count"))
    found = _texts(splits(problem)[0])
    assert found == [["2648", "-1", "8538"], ["2648", "-18", "538"], ["2648", "-185", "38"],
                     ["2648", "-1853", "8"]]
    assert splits(RowProblem(_runs("-5"), ("count",)))[0] == []


def test_a_decimal_point_belongs_to_an_amount_and_is_never_a_boundary() -> None:
    problem = RowProblem(_runs("13575394432.52"), ("count", "amount"))
    found = _texts(splits(problem)[0])
    assert ["1", "3575394432.52"] not in found  # a piece is at most twelve characters
    assert ["13", "575394432.52"] in found and ["135753944", "32.52"] in found
    assert all("." not in split[0] for split in found)
    assert len(found) == 9


def test_a_row_with_no_equation_and_several_readings_is_null_with_candidates() -> None:
    solution = solve([RowProblem(_runs("8855698"), ("count",) * 3)], [])
    cells = solution.rows[0].cells
    assert all(cell.piece is None for cell in cells)
    assert "88" in {piece.text for piece in cells[0].candidates}
    assert ["88", "55", "698"] in _texts(solution.rows[0].readings)


def test_equations_across_rows_decide_what_a_row_cannot() -> None:
    # two rows of one column each would be trivial; use the review table's groups:
    # "1234" as the four results and "10" as the total: 1+2+3+4 = 10
    names = [REVIEW_ROW]
    problem = RowProblem(_runs("1234", "10", "0000", "0", "00000"), ("count",) * 15)
    solution = solve([problem], template_equations("review_litigation", "2021", names))
    assert [c.piece.text if c.piece else None for c in solution.rows[0].cells] == \
        ["1", "2", "3", "4", "10", *["0"] * 10]
    assert solution.broken == 0


def test_no_reading_adds_up_gives_the_one_breaking_fewest() -> None:
    problem = RowProblem(_runs("1119"), ("count",) * 4)
    equation = [Equation(((0, 3),), ((0, 0), (0, 1), (0, 2)), "sum")]
    solution = solve([problem], equation)
    assert solution.broken == 1 and solution.broken_equations == ("sum",)
    assert [c.piece.text if c.piece else None for c in solution.rows[0].cells] == \
        ["1", "1", "1", "9"]


def test_too_long_a_run_is_given_up_not_searched_forever() -> None:
    problem = RowProblem(_runs("1" * 60), ("count",) * 7)
    solution = solve([problem], [])
    assert solution.rows[0].too_many or solution.rows[0].impossible


# --- Generated tables -----------------------------------------------------------------------

# mostly small, as in real reports; up to four digits (benchmarks/ measures longer rows)
_count = st.one_of(st.just(0), st.integers(1, 9), st.integers(10, 999), st.integers(1000, 9999))


@st.composite
def _applications(draw: st.DrawFn, consistent: bool = True) -> list[list[int]]:
    """The 2021 applications table, rows in template order, adding up."""
    names = spec.rows_of("2021", "applications")
    outcomes = [n for n in names if n.startswith("results.") and n != "results.total"]
    table: dict[str, list[int]] = {}
    for name in ("carried_over", *outcomes, "carried_forward"):
        six = [draw(_count) for _ in range(6)]
        table[name] = [*six, sum(six)]
    table["results.total"] = [sum(table[n][c] for n in outcomes) for c in range(7)]
    table["new_received"] = [table["results.total"][c] + table["carried_forward"][c]
                             - table["carried_over"][c] for c in range(7)]
    if any(v < 0 for v in table["new_received"]):  # carried over more than handled
        table["carried_over"] = [0] * 7
        table["new_received"] = [table["results.total"][c] + table["carried_forward"][c]
                                 for c in range(7)]
    rows = [table[name] for name in names]
    if not consistent:
        row = draw(st.integers(0, len(rows) - 1))
        column = draw(st.integers(0, 6))
        rows[row][column] += draw(st.integers(1, 9))
    return rows


def _print(rows: list[list[int]], spaces: list[list[bool]]) -> list[RowProblem]:
    problems = []
    at = 0
    for row, gaps in zip(rows, spaces, strict=True):
        runs: list[Run] = []
        text = str(row[0])
        for value, gap in zip(row[1:], gaps, strict=False):
            if gap:
                runs.append(Run(text, at))
                at += len(text) + 1
                text = str(value)
            else:
                text += str(value)
        runs.append(Run(text, at))
        at += len(text) + 10  # a label
        problems.append(RowProblem(tuple(runs), ("count",) * 7))
    return problems


@settings(max_examples=25, deadline=None)
@given(_applications(), st.data())
def test_a_consistent_table_reads_back_right_or_null_with_the_right_candidate(
    rows: list[list[int]], data: st.DataObject
) -> None:
    spaces = [[data.draw(st.booleans().map(lambda b: b and data.draw(st.booleans())))
               for _ in range(6)] for _ in rows]
    names = list(spec.rows_of("2021", "applications"))
    solution = solve(_print(rows, spaces), template_equations("applications", "2021", names))
    assert solution.broken == 0
    for row, reading in zip(rows, solution.rows, strict=True):
        for value, cell in zip(row, reading.cells, strict=True):
            if cell.piece is not None:
                assert cell.piece.value == value
            elif not reading.too_many:
                assert value in {piece.value for piece in cell.candidates}


@settings(max_examples=12, deadline=None)
@given(_applications(consistent=False))
def test_a_table_whose_totals_are_wrong_is_never_misread_silently(rows: list[list[int]]) -> None:
    names = list(spec.rows_of("2021", "applications"))
    spaces = [[False] * 6 for _ in rows]
    solution = solve(_print(rows, spaces), template_equations("applications", "2021", names))
    for row, reading in zip(rows, solution.rows, strict=True):
        for value, cell in zip(row, reading.cells, strict=True):
            if cell.piece is not None and cell.piece.value != value:
                # another reading that adds up better: marked as inferred, never printed
                assert cell.inferred
    if solution.broken == 0:  # a reading that adds up everywhere was found: it differs
        assert any(cell.piece is None or cell.piece.value != value
                   for row, reading in zip(rows, solution.rows, strict=True)
                   for value, cell in zip(row, reading.cells, strict=True))

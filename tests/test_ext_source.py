"""A source and a grid reader added from outside xxgk, through entry points only.

``tests/ext_source`` is a separate package, ``xxgk_csvreport``: a source for reports
exported as CSV and a grid reader (a layout written in Python, no grammar) for the rows it
makes. It is installed into a temporary folder, never this environment; the unchanged CLI,
run with that folder on its path, reads a CSV report through both, and every cell's span
points at the cell's text in the CSV file.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import xxgk

from ._install import env_with, install_into
from .conftest import seed

HERE = Path(__file__).resolve().parent
PACKAGE = HERE / "ext_source"


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The package installed into a temporary folder (``pip install --target``)."""
    return install_into(PACKAGE, tmp_path_factory.mktemp("ext_source"))


def _as_csv(text: str) -> str:
    """Seed 004 (rows as ``a | b |`` lines) exported as CSV: a row's cells as fields."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for line in text.splitlines():
        if "|" in line:
            cells = [cell.strip() for cell in line.split("|")]
            writer.writerow(cells[:-1] if line.rstrip().endswith("|") else cells)
        else:
            writer.writerow([line] if line else [])
    return out.getvalue()


def _parse(target: Path, path: Path) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-m", "xxgk", "parse", str(path), "--format", "json"],
                          capture_output=True, text=True, env=env_with(target), timeout=120,
                          check=False)
    assert done.stderr == "", done.stderr
    (data,) = json.loads(done.stdout)  # parse --format json: always an array
    assert isinstance(data, dict)
    return data


def test_a_source_and_a_grid_reader_from_outside_read_a_report(target: Path,
                                                               tmp_path: Path) -> None:
    text = seed("004").read_text(encoding="utf-8")
    path = tmp_path / "report.csv"
    path.write_text(_as_csv(text), encoding="utf-8")
    report = _parse(target, path)
    assert report["format"] == "csvreport"
    assert "P101" not in [d["code"] for d in report["diagnostics"]]
    direct = xxgk.parse(text)
    lines = path.read_text(encoding="utf-8").split("\n")
    checked = 0
    for name, table in direct.tables.items():
        assert table is not None
        for row, column, cell in table.cells():
            got = report["tables"][name][row][column]
            assert got["value"] == cell.value
            span = got["span"]
            printed = lines[span["line"] - 1][span["column"] - 1:span["end_column"] - 1]
            assert printed == cell.raw.strip(), (row, column)
            checked += 1
    assert checked == direct.coverage.read == 193
    assert report["coverage"] == {"read": 193, "expected": 200}


def test_without_the_package_a_csv_is_text(tmp_path: Path) -> None:
    path = tmp_path / "report.csv"
    path.write_text(_as_csv(seed("004").read_text(encoding="utf-8")), encoding="utf-8")
    report = xxgk.parse_file(path)
    assert report.format == "text"
    assert all(table is None for table in report.tables.values())
    assert "P105" in [d.code for d in report.errors]

"""A layout added from outside xxgk, through the entry point group ``xxgk.layouts`` only.

``tests/ext_example`` is a separate package, ``xxgk_spaced``, whose one layout reads tables
with cells separated by two or more spaces. It is installed into a temporary folder (never
the running environment, see ``tests/_install.py``), the unchanged CLI run with that folder
on its ``PYTHONPATH`` reads a report written in that layout, and without it the same report
gives P105 errors (sections whose tables were not read).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from ._install import env_with, install_into

HERE = Path(__file__).resolve().parent
PACKAGE = HERE / "ext_example"
SAMPLE = PACKAGE / "sample" / "spaced_2021.txt"


@pytest.fixture(scope="session")
def spaced_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``tests/ext_example`` installed into a temporary folder (not this environment)."""
    return install_into(PACKAGE, tmp_path_factory.mktemp("site"))


def _parse(path: Path, *installed: Path) -> dict[str, Any]:
    """The CLI's JSON for ``path``, in a process that sees the ``installed`` folders."""
    result = subprocess.run([sys.executable, "-m", "xxgk", "parse", str(path), "--format", "json"],
                            capture_output=True, text=True, env=env_with(*installed),
                            timeout=60, check=False)
    assert result.returncode in (0, 1), result.stderr  # 1: an error-severity diagnostic
    (data,) = json.loads(result.stdout)  # parse --format json: always an array
    assert isinstance(data, dict)
    return data


def _value(report: dict[str, Any], table: str, row: str, column: str) -> Any:
    return report["tables"][table][row][column]["value"]


def test_installed_layout_reads_the_tables(spaced_package: Path) -> None:
    report = _parse(SAMPLE, spaced_package)
    codes = [d["code"] for d in report["diagnostics"]]
    assert "P101" not in codes, report["diagnostics"]
    unread = [name for name, table in report["tables"].items() if table is None]
    assert not unread, (
        f"tables {unread} not read with the spaced layout installed (diagnostics {codes}); "
        "if P105 without P101: the document stage did not cut a table block from lines "
        "without a tab or a pipe")
    assert report["template"] == "2021"
    assert _value(report, "active_disclosure", "normative_documents", "in_force") == 11
    assert _value(report, "active_disclosure", "administrative_licensing", "decisions") == 148
    # a sub-table of two spaced lines after its caption (第二十条第（八）项), lines 18-19
    assert _value(report, "active_disclosure", "administrative_fees", "amount") == 0
    assert "T301" not in codes
    assert _value(report, "applications", "new_received", "total") == 5
    assert _value(report, "applications", "results.granted", "commercial_enterprise") == 1
    # printed as （七）合计: read through the package's template variant (xxgk.templates)
    assert _value(report, "applications", "results.total", "natural_person") == 4
    assert _value(report, "applications", "carried_forward", "natural_person") == 1
    assert _value(report, "review_litigation", "administrative_review", "corrected") == 1
    assert _value(report, "review_litigation", "administrative_review", "total") == 1
    # The sample adds up: no arithmetic or reading errors.
    assert [d for d in report["diagnostics"] if d["severity"] == "error"] == []


def test_without_the_package_the_tables_are_not_recognised(spaced_package: Path) -> None:
    """The core knows no line of the spaced layout: without the package its lines are
    prose, and each statistical section whose table was not read is an error (P105)."""
    report = _parse(SAMPLE)  # the same interpreter, without the folder
    p105 = [d for d in report["diagnostics"] if d["code"] == "P105"]
    assert len(p105) == 3, [(d["code"], d["message"]) for d in report["diagnostics"]]
    assert all("no table of it was read" in d["message"] for d in p105)
    assert all(d["severity"] == "error" for d in p105)
    assert not [d for d in report["diagnostics"] if d["code"] == "P101"]
    assert all(table is None for table in report["tables"].values())

"""The records themselves: the ones whose ``__init__`` is written out by hand (for speed)
must behave exactly like the attrs records they are declared as."""

from __future__ import annotations

import inspect
import pickle
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest

from xxgk.layouts import GridCell
from xxgk.model import Cell, Span

_SPAN = Span(3, 4, 3, 9)
_EXAMPLES: list[tuple[type[Any], tuple[Any, ...]]] = [
    (Span, (3, 4, 3, 9, None, None, None)),
    (Span, (3, 4, 3, 9, 2, (72.0, 700.5, 90.25, 712.0), None)),
    (Span, (3, 4, 3, 9, None, None, "table 1, row 2, cell 3")),
    (Cell, (12, "１２", _SPAN, None)),
    (Cell, (Decimal("1.5"), "1.5万元", _SPAN, "万元")),
    (GridCell, ("自\n然\n人", 10, 15)),
]


@pytest.mark.parametrize("cls", sorted({cls for cls, _ in _EXAMPLES}, key=str))
def test_written_out_init_takes_the_fields(cls: type[Any]) -> None:
    """Its parameters are the attrs fields, in order, with their defaults: a field added
    to the class without the ``__init__`` following fails here."""
    params = list(inspect.signature(cls.__init__).parameters.values())[1:]
    fields = attrs.fields(cls)
    assert [p.name for p in params] == [f.name for f in fields]
    for param, field in zip(params, fields, strict=True):
        expected = inspect.Parameter.empty if field.default is attrs.NOTHING else field.default
        assert param.default == expected
        assert field.validator is None and field.converter is None


@pytest.mark.parametrize("cls, args", _EXAMPLES)
def test_written_out_init_makes_an_ordinary_frozen_record(
    cls: type[Any], args: tuple[Any, ...]
) -> None:
    made = cls(*args)
    names = [f.name for f in attrs.fields(cls)]
    assert attrs.astuple(made, recurse=False) == args
    assert made == cls(**dict(zip(names, args, strict=True)))
    assert hash(made) == hash(attrs.evolve(made))
    assert pickle.loads(pickle.dumps(made)) == made
    assert repr(made) == f"{cls.__name__}(" + ", ".join(
        f"{name}={value!r}" for name, value in zip(names, args, strict=True)) + ")"
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        setattr(made, names[0], args[0])
    other = attrs.evolve(made, **{names[-1]: "元" if cls is Cell else 99})
    assert other != made
    assert not hasattr(made, "__dict__")


def test_cell_unit_defaults_to_none() -> None:
    assert Cell(1, "1", _SPAN).unit is None
    assert Cell(1, "1", _SPAN) == Cell(1, "1", _SPAN, None)


def test_a_diagnostic_takes_its_severity_as_text_too() -> None:
    """`rule()` takes "error" for a severity; so does a Diagnostic a check makes itself
    (a plain string used to break render() and report.errors)."""
    from xxgk.model import Diagnostic, Severity

    made = Diagnostic("Z007", "error", "m")  # a str, as a user's check may write it
    assert made.severity is Severity.ERROR
    assert made.render() == "<input>: error[Z007]: m"
    with pytest.raises(ValueError, match="'fatal' is not a valid Severity"):
        Diagnostic("Z007", "fatal", "m")


def test_the_package_names_are_typed_for_users(tmp_path: Path) -> None:
    """Under mypy --strict a user's script sees the package's real names and types: a
    misspelt name is an error, not Any (the lazy loader is hidden from type checkers)."""
    script = tmp_path / "user.py"
    script.write_text(
        "import xxgk\n"
        "report: xxgk.Report = xxgk.parse('text')\n"
        "reveal_type(xxgk.parse_many)\n"
        "xxgk.parce('text')\n", encoding="utf-8")
    # in a process of its own: mypy's own objects would stay in this one and slow down
    # every later gc.collect() of the suite
    done = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental",
                           "--cache-dir", str(tmp_path), str(script)],
                          capture_output=True, text=True, timeout=300, check=False)
    out, status = done.stdout, done.returncode
    assert status == 1
    assert 'Module has no attribute "parce"' in out
    assert "def (paths:" in out and "Iterator[" in out  # parse_many's own signature
    assert out.count("error:") == 1, out

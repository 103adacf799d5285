"""The wheel carries the grammars: build it, install it elsewhere, parse a seed from outside."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .conftest import ROOT, seed


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    result = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out),
         str(ROOT)],
        capture_output=True, text=True, check=False,
    )
    if result.returncode != 0:
        pytest.fail(f"building the wheel failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    (path,) = out.glob("xxgk-*.whl")
    return path


def test_wheel_contains_the_grammars(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "xxgk/grammar/document.lark" in names
    assert "xxgk/grammar/templates/template.lark" in names
    assert any(n.startswith("xxgk/grammar/layouts/") and n.endswith(".lark") for n in names)


def test_installed_wheel_parses_a_seed_from_outside_the_checkout(
    wheel: Path, tmp_path: Path
) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target),
         str(wheel)],
        check=True, capture_output=True,
    )
    work = tmp_path / "elsewhere"
    work.mkdir()
    copy = work / "report.txt"
    copy.write_bytes(seed("002").read_bytes())
    code = (
        "import sys, xxgk, xxgk.grammars as g\n"
        "assert str(g.grammar_dir()).startswith(sys.argv[1]), g.grammar_dir()\n"
        "r = xxgk.parse_file('report.txt')\n"
        "print(r.agency, r.template, r.applications['results.total']['total'].value)\n"
    )
    # The installed copy comes first on the path; dependencies come from this environment.
    env_path = f"{target}{':'}{':'.join(p for p in sys.path if p and 'site-packages' in p)}"
    result = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path[:0] = {env_path.split(':')!r}\n{code}",
         str(target)],
        cwd=work, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["拱墅区卫生健康局", "2019", "3"]

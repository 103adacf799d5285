"""Installing a test package into a temporary folder, never into the running environment.

``pip install --target`` puts the package (and its ``*.dist-info``, so its entry points are
found) in a folder of its own; a subprocess sees it through ``PYTHONPATH``
(:func:`env_with`), this process through :func:`on_path`. Nothing is left behind: the folder
is a pytest temporary directory.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

__all__ = ["env_with", "install_into", "on_path"]

BASE_ENV = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PYTHONIOENCODING": "utf-8"}
"""The environment of the subprocesses: this one's, pip quiet about its version."""


def install_into(package: Path, target: Path) -> Path:
    """Install the package whose source is ``package`` (a folder with a ``pyproject.toml``)
    into ``target``, without its dependencies, offline; skip the test when pip cannot."""
    result = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
         "--no-build-isolation", "--no-index", "--target", str(target), str(package)],
        capture_output=True, text=True, env=BASE_ENV, timeout=180, check=False)
    if result.returncode != 0:
        pytest.skip(f"could not install {package.name} (no hatchling in the venv?): "
                    f"{result.stderr.strip()[-500:]}")
    return target


def env_with(*targets: Path) -> dict[str, str]:
    """:data:`BASE_ENV` with ``targets`` first on ``PYTHONPATH`` (none: without them)."""
    env = dict(BASE_ENV)
    paths = [str(t) for t in targets]
    if env.get("PYTHONPATH"):
        paths.append(env["PYTHONPATH"])
    if paths:
        env["PYTHONPATH"] = os.pathsep.join(paths)
    return env


@contextlib.contextmanager
def on_path(target: Path) -> Iterator[None]:
    """``target`` first on ``sys.path`` while the block runs, for an import in this process
    (entry points are found there too; the registries read them once, on first use)."""
    sys.path.insert(0, str(target))
    importlib.invalidate_caches()
    try:
        yield
    finally:
        sys.path.remove(str(target))
        importlib.invalidate_caches()

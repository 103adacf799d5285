"""Shared fixtures: the corpus and the seeds."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "corpus" / "seeds").glob("*.txt"))


def seed(prefix: str) -> Path:
    """The seed file whose name starts with ``prefix`` (``"003"``)."""
    (path,) = [p for p in SEEDS if p.name.startswith(prefix)]
    return path


@pytest.fixture(params=[p.name[:3] for p in SEEDS])
def seed_path(request: pytest.FixtureRequest) -> Path:
    return seed(request.param)

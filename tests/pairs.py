"""Pairs of one agency's reports of adjacent years, made from a corpus document.

``corpus/synthetic/other_subrows_2021.txt`` (西城区住房和城乡建设委员会, 2021) is the older
report as it stands. The newer ones are the same text moved on one year (the date line
first, then every ``2021年``):

* ``broken``: nothing else changed, so its 二、上年结转 (3, 自然人 3) is not the 2021
  report's 四、结转下年度继续办理 (2, 自然人 2) — C601, an error — and its 行政规范性文件
  现行有效件数 31 is not 31 + 4 − 2 = 33 — C602, a warning; the report's own arithmetic
  still holds (24 + 3 = 25 + 2);
* ``intact``: 二、上年结转 set to 2 (自然人 2), 四、结转下年度继续办理 to 1 (自然人 1) so that
  24 + 2 = 25 + 1 still holds, and 现行有效件数 of 行政规范性文件 to 33: no chain finding.
"""

from __future__ import annotations

from pathlib import Path

from .conftest import ROOT

OLD = ROOT / "corpus" / "synthetic" / "other_subrows_2021.txt"

_CARRIED = "二、上年结转政府信息公开申请数量 |\n3 |\n0 |\n0 |\n0 |\n0 |\n0 |\n3 |\n"
_FORWARD = "四、结转下年度继续办理 |\n2 |\n0 |\n0 |\n0 |\n0 |\n0 |\n2 |\n"
_IN_FORCE = "行政规范性文件 |\n4 |\n2 |\n31 |\n"


def moved_on(text: str, years: int = 1) -> str:
    """``text`` of a 2021 report made a report of 2021 + ``years`` (dates moved too)."""
    text = text.replace("2022年1月14日", f"{2022 + years}年1月14日")
    return text.replace("2021年", f"{2021 + years}年")


def broken() -> str:
    """The 2022 report whose chains with the 2021 one break (see the module doc)."""
    return moved_on(OLD.read_text(encoding="utf-8"))


def intact() -> str:
    """The 2022 report whose chains with the 2021 one hold."""
    text = broken()
    for old, new in ((_CARRIED, _CARRIED.replace("3 |", "2 |")),
                     (_FORWARD, _FORWARD.replace("2 |", "1 |")),
                     (_IN_FORCE, _IN_FORCE.replace("31 |", "33 |"))):
        assert text.count(old) == 1
        text = text.replace(old, new)
    return text


def write(folder: Path, **texts: str) -> dict[str, Path]:
    """Each text written to ``folder/<name>.txt``; the 2021 report as ``old``."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {"old": folder / "old_2021.txt"}
    paths["old"].write_bytes(OLD.read_bytes())
    for name, text in texts.items():
        paths[name] = folder / f"{name}.txt"
        paths[name].write_text(text, encoding="utf-8")
    return paths


def line_of(text: str, needle: str, skip: int = 0) -> int:
    """The 1-based line on which ``needle`` ends, after the ``skip``-th line holding it."""
    at = text.index(needle)
    return text[:at + len(needle)].count("\n") + 1 + skip

"""Corpus statistics (``xxgk stats``): what was read, what was found, and two dashboard shares.

Per report, :func:`facts` keeps what the statistics need (small and picklable, so that
workers send it back instead of the report); :class:`Stats` adds them up:

* reports by template and year;
* how many were read fully (every cell the template prints), partly, or not at all (no
  cell), by the report's coverage (:func:`reading`);
* diagnostics by code;
* the share of requests granted in full or in part: (（一）予以公开 + （二）部分公开) over
  （七）总计, column 总计, summed over the reports that print all three;
* the share of review and litigation cases corrected: 结果纠正 over 总计, summed over the
  three groups (行政复议, 未经复议直接起诉, 复议后起诉) of the reports that print both.

Each share comes with the counts it is made of and the number of reports that gave them.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

import attrs

from . import spec
from .model import Report

__all__ = ["READINGS", "Facts", "Stats", "facts", "reading"]

READINGS = ("full", "partial", "none")


def reading(report: Report) -> str:
    """``full`` when every cell the report's template prints was read
    (:attr:`~xxgk.model.Report.coverage`), ``none`` when no cell was, else ``partial``."""
    if report.coverage.read == 0:
        return "none"
    return "full" if report.coverage.complete else "partial"


def _count(report: Report, table: str, row: str, column: str) -> int | None:
    found = report.tables.get(table)
    cell = None if found is None else found.get(row, column)
    if cell is None or cell.value is None or isinstance(cell.value, Decimal):
        return None
    return cell.value


@attrs.frozen
class Facts:
    """What :class:`Stats` needs of one report."""

    source: str | None
    template: str | None
    year: int | None
    reading: str
    codes: tuple[tuple[str, str], ...]  # (code, severity) of each diagnostic
    granted: tuple[int, int, int] | None  # 予以公开, 部分公开, 总计 (column 总计)
    corrected: tuple[tuple[str, int, int], ...]  # (group, 结果纠正, 总计)


def facts(report: Report) -> Facts:
    """The :class:`Facts` of ``report``."""
    parts = [_count(report, "applications", row, "total")
             for row in ("results.granted", "results.partially_granted", "results.total")]
    granted = None
    if all(p is not None for p in parts):
        a, b, c = parts
        assert a is not None and b is not None and c is not None
        granted = (a, b, c)
    corrected = []
    for group in spec.REVIEW_GROUPS:
        fixed = _count(report, "review_litigation", group, "corrected")
        total = _count(report, "review_litigation", group, "total")
        if fixed is not None and total is not None:
            corrected.append((group, fixed, total))
    return Facts(report.source, report.template, report.year, reading(report),
                 tuple((d.code, d.severity.value) for d in report.diagnostics),
                 granted, tuple(corrected))


def _share(part: int, whole: int) -> float | None:
    return None if whole == 0 else round(part / whole, 4)


@attrs.define
class Stats:
    """Running totals over reports (:meth:`add`) and files that could not be read."""

    reports: int = 0
    unreadable: int = 0
    by_template_year: Counter[tuple[str, str]] = attrs.field(factory=Counter)
    readings: Counter[str] = attrs.field(factory=Counter)
    codes: Counter[str] = attrs.field(factory=Counter)
    severity_of: dict[str, str] = attrs.field(factory=dict)
    granted: list[int] = attrs.field(factory=lambda: [0, 0, 0, 0])  # full, part, total, n
    corrected: dict[str, list[int]] = attrs.field(
        factory=lambda: {group: [0, 0, 0] for group in spec.REVIEW_GROUPS})  # fixed, total, n

    def add(self, item: Facts | Report) -> None:
        """Count one report (or its facts)."""
        found = item if isinstance(item, Facts) else facts(item)
        self.reports += 1
        self.by_template_year[(found.template or "unknown",
                               "unknown" if found.year is None else str(found.year))] += 1
        self.readings[found.reading] += 1
        for code, severity in found.codes:
            self.codes[code] += 1
            self.severity_of[code] = severity
        if found.granted is not None:
            for i, value in enumerate(found.granted):
                self.granted[i] += value
            self.granted[3] += 1
        for group, fixed, total in found.corrected:
            self.corrected[group][0] += fixed
            self.corrected[group][1] += total
            self.corrected[group][2] += 1

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``xxgk stats --format json`` (see docs/cli.md)."""
        templates: dict[str, dict[str, int]] = {}
        for (template, year), n in sorted(self.by_template_year.items()):
            templates.setdefault(template, {})[year] = n
        full, part, total, n = self.granted
        fixed = sum(v[0] for v in self.corrected.values())
        cases = sum(v[1] for v in self.corrected.values())
        reports = max((v[2] for v in self.corrected.values()), default=0)
        return {
            "reports": self.reports,
            "unreadable": self.unreadable,
            "by_template_year": templates,
            "reading": {name: self.readings[name] for name in READINGS},
            "diagnostics": {code: {"severity": self.severity_of[code], "count": count}
                            for code, count in sorted(self.codes.items())},
            "granted_share": {"share": _share(full + part, total), "granted": full,
                              "partially_granted": part, "total": total, "reports": n},
            "corrected_share": {
                "share": _share(fixed, cases), "corrected": fixed, "total": cases,
                "reports": reports,
                "groups": {group: {"share": _share(v[0], v[1]), "corrected": v[0],
                                   "total": v[1], "reports": v[2]}
                           for group, v in self.corrected.items()}},
        }

    def render(self) -> str:
        """The statistics as text for a terminal."""
        data = self.to_dict()
        lines = [f"{self.reports} report{'s' if self.reports != 1 else ''}"
                 + (f", {self.unreadable} unreadable" if self.unreadable else "")]
        lines.append("by template and year:")
        for template, years in data["by_template_year"].items():
            shown = ", ".join(f"{year}: {n}" for year, n in years.items())
            lines.append(f"  template {template}: {shown}")
        r = data["reading"]
        lines.append(f"tables read: fully {r['full']}, partly {r['partial']}, "
                     f"not at all {r['none']}")
        lines.append("diagnostics by code:")
        for code, info in data["diagnostics"].items():
            lines.append(f"  {code} {info['severity']:<8} {info['count']}")
        if not data["diagnostics"]:
            lines.append("  none")
        g = data["granted_share"]
        lines.append(f"granted in full or in part: {_percent(g['share'])} "
                     f"(({g['granted']} + {g['partially_granted']}) / {g['total']} requests "
                     f"handled, {g['reports']} reports)")
        c = data["corrected_share"]
        lines.append(f"review and litigation corrected: {_percent(c['share'])} "
                     f"({c['corrected']} / {c['total']} cases, {c['reports']} reports)")
        for group, v in c["groups"].items():
            lines.append(f"  {spec.ROW_LABELS['review_litigation'][group]}: "
                         f"{_percent(v['share'])} ({v['corrected']} / {v['total']})")
        return "\n".join(lines) + "\n"


def _percent(share: float | None) -> str:
    return "n/a" if share is None else f"{share * 100:.1f}%"

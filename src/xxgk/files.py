"""Which files in a walked directory are reports (shared by the CLI, batch and corpus)."""

from __future__ import annotations

__all__ = ["REPORT_SUFFIXES", "is_report_file"]

REPORT_SUFFIXES = (".txt", ".md", ".html", ".htm", ".pdf", ".docx")
"""File name endings taken as reports when a directory is walked (case-insensitive). Which
source reads a file is decided by its content (see :mod:`xxgk.sources`), not its ending."""


def is_report_file(name: str) -> bool:
    """Whether a file named ``name`` found in a directory is taken as a report: a known
    ending, and not a snapshot (``*.expected.json``), a README or a hidden file."""
    return (
        name.lower().endswith(REPORT_SUFFIXES)
        and not name.startswith(".")
        and not name.upper().startswith("README.")
    )

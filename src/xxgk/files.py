"""Which files in a walked directory are reports (shared by the CLI, batch and corpus)."""

from __future__ import annotations

__all__ = ["REPORT_SUFFIXES", "is_report_file"]

REPORT_SUFFIXES = (".txt", ".md", ".html", ".htm")
"""File name endings taken as reports (case-insensitive). HTML is read as text: a file
with markup in it gets a P110 error, as xxgk does not strip tags."""


def is_report_file(name: str) -> bool:
    """Whether a file named ``name`` found in a directory is taken as a report: a known
    ending, and not a snapshot (``*.expected.json``), a README or a hidden file."""
    return (
        name.lower().endswith(REPORT_SUFFIXES)
        and not name.startswith(".")
        and not name.upper().startswith("README.")
    )

"""The grammar regression corpus: documents beside generated snapshots of their reading.

Layout on disk (``corpus/README.md``)::

    corpus/<collection>/<name>.<txt|md|html>      a report as found (or written)
    corpus/<collection>/<name>.expected.json      its snapshot, generated, never edited

A snapshot is the public JSON of :func:`xxgk.serialize.to_dict` for the document, read
with ``source`` set to the document's path relative to the corpus root (so snapshots do
not depend on where the checkout lives), wrapped with a header::

    {"_generated": {"command": "xxgk corpus update corpus/<collection>/<file>",
                    "source_sha256": "<sha256 of the document's bytes>",
                    "content_sha256": "<sha256 of the canonical JSON of report>",
                    "note": "generated; never edit by hand"},
     "report": {...}}

``xxgk corpus update`` writes snapshots; ``xxgk corpus test`` (and the pytest suite,
``tests/test_corpus.py``) re-reads every document and prints what changed, one line per
change, by canonical names: ``seeds/003_….txt: tables/applications/results.total/
natural_person: 1 → 0``.

This module is imported by the CLI for every command, so it imports the pipeline only
inside the functions that read documents.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

from .files import REPORT_SUFFIXES, is_report_file

__all__ = [
    "DOCUMENT_SUFFIXES",
    "add_arguments",
    "compare",
    "default_root",
    "diff_reports",
    "expected_path",
    "find_documents",
    "refresh_command",
    "run",
    "snapshot",
    "update",
]

DOCUMENT_SUFFIXES = REPORT_SUFFIXES
"""File name endings of corpus documents (those of reports, :mod:`xxgk.files`)."""

_EXPECTED = ".expected.json"
_NOTE = "generated; never edit by hand"
_METADATA = ("source", "agency", "year", "template", "issued", "title")


# --- Finding documents ----------------------------------------------------------------------


def default_root() -> Path:
    """The corpus root used when none is named: ``./corpus`` when the current directory
    has one, else the ``corpus/`` folder of the source checkout this package runs from."""
    here = Path("corpus")
    if here.is_dir():
        return here.resolve()
    checkout = Path(__file__).resolve().parents[2] / "corpus"
    if checkout.is_dir():
        return checkout
    return here.resolve()


def _is_document(path: Path) -> bool:
    return is_report_file(path.name)


def find_documents(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """The corpus documents named by ``paths``: files as given, directories walked.

    A document is a ``.txt``, ``.md`` or ``.html`` file; in directories, ``README.*``
    files and hidden files or folders are left out. The result is sorted and free of
    duplicates (absolute paths).
    """
    found: set[Path] = set()
    for name in paths:
        path = Path(name).resolve()
        if path.is_dir():
            for file in path.rglob("*"):
                relative = file.relative_to(path).parts
                if (file.is_file() and _is_document(file)
                        and not any(part.startswith(".") for part in relative)):
                    found.add(file)
        elif path.is_file() and not path.name.endswith(_EXPECTED):
            found.add(path)
        elif not path.exists():
            raise FileNotFoundError(f"no such file or directory: {name}")
    return sorted(found)


def expected_path(path: str | os.PathLike[str]) -> Path:
    """Where the snapshot of the document at ``path`` lives: ``<name>.expected.json``."""
    document = Path(path)
    return document.with_name(document.stem + _EXPECTED)


def _relative(path: Path, root: Path) -> str:
    """``path`` relative to the corpus ``root``, with forward slashes."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        raise ValueError(f"{path} is not inside the corpus root {root}") from None


def _infer_root(path: Path) -> Path:
    """The corpus root a document or folder belongs to when no ``--root`` is given:
    the default root if it contains it, else the nearest enclosing folder named
    ``corpus``, else the folder above the collection: a document's folder, or a named
    folder that holds documents itself (documents sit in ``<root>/<collection>/``)."""
    path = path.resolve()
    default = default_root()
    if path == default or default in path.parents:
        return default
    for parent in (path, *path.parents):
        if parent.name == "corpus" and parent.is_dir():
            return parent
    if not path.is_dir():
        return path.parent.parent
    holds_documents = any(child.is_file() and _is_document(child) for child in path.iterdir())
    return path.parent if holds_documents else path


def _shown(path: Path) -> str:
    """``path`` as a user would type it from the current directory."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def refresh_command(path: str | os.PathLike[str], root: str | os.PathLike[str]) -> str:
    """The command that (re)generates the snapshot of the document at ``path``."""
    document, base = Path(path).resolve(), Path(root).resolve()
    command = f"xxgk corpus update {_shown(document)}"
    if _infer_root(document) != base:
        command += f" --root {_shown(base)}"
    return command


# --- Snapshots ---------------------------------------------------------------------------


def _plain(data: Any) -> Any:
    """``data`` as it reads back from JSON text (amounts become plain floats)."""
    return json.loads(json.dumps(data, ensure_ascii=False))


def _content_hash(report: Any) -> str:
    canonical = json.dumps(report, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _read(path: Path, root: Path) -> dict[str, Any]:
    """The public JSON of the document at ``path``, as it reads back from JSON text."""
    from .pipeline import parse
    from .serialize import to_dict

    return _plain(to_dict(parse(path.read_bytes(), source=_relative(path, root))))  # type: ignore[no-any-return]


def snapshot(path: str | os.PathLike[str], root: str | os.PathLike[str]) -> dict[str, Any]:
    """The snapshot of the document at ``path`` in the corpus rooted at ``root``.

    Raises :class:`~xxgk.errors.ParseError` when the document cannot be read at all.
    """
    document, base = Path(path).resolve(), Path(root).resolve()
    report = _read(document, base)
    return {
        "_generated": {
            "command": f"xxgk corpus update {base.name}/{_relative(document, base)}",
            "source_sha256": hashlib.sha256(document.read_bytes()).hexdigest(),
            "content_sha256": _content_hash(report),
            "note": _NOTE,
        },
        "report": report,
    }


def _dump(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def update(
    paths: Iterable[str | os.PathLike[str]],
    root: str | os.PathLike[str],
    new_only: bool = False,
) -> list[Path]:
    """Write the snapshots of the documents named by ``paths``; return the files written.

    With ``new_only``, documents that already have a snapshot are left alone. A snapshot
    whose text would not change is not rewritten (and not returned).
    """
    written = []
    for document in find_documents(paths):
        target = expected_path(document)
        if new_only and target.exists():
            continue
        text = _dump(snapshot(document, root))
        if target.exists() and target.read_text(encoding="utf-8") == text:
            continue
        target.write_text(text, encoding="utf-8")
        written.append(target)
    return written


# --- Comparing ---------------------------------------------------------------------------


def compare(path: str | os.PathLike[str], root: str | os.PathLike[str]) -> list[str]:
    """What differs between the document at ``path`` and its snapshot: one readable line
    per change, each starting with the document's path relative to ``root``; empty when
    the document still reads exactly as its snapshot says."""
    from .errors import ParseError

    document, base = Path(path).resolve(), Path(root).resolve()
    name = _relative(document, base)
    command = refresh_command(document, base)
    target = expected_path(document)
    if not target.exists():
        return [f"{name}: no expected file {target.name}; create it with: {command}"]
    try:
        stored = json.loads(target.read_text(encoding="utf-8"))
        header = stored["_generated"]
        expected = stored["report"]
        if not isinstance(header, dict) or not isinstance(expected, dict):
            raise TypeError("not an object")
    except (ValueError, KeyError, TypeError) as error:
        return [f"{name}: {target.name} is not a snapshot ({error}); regenerate it with: "
                f"{command}"]
    lines = []
    if header.get("content_sha256") != _content_hash(expected):
        lines.append(f"{name}: {target.name} was edited by hand (its content does not match "
                     f"its content_sha256); never edit snapshots, regenerate with: {command}")
    if header.get("source_sha256") != hashlib.sha256(document.read_bytes()).hexdigest():
        lines.append(f"{name}: the document changed since its snapshot was made "
                     f"(source_sha256 differs); review the changes below, then: {command}")
    try:
        actual = _read(document, base)
    except ParseError as error:
        lines.append(f"{name}: the document can no longer be read: {error}")
        return lines
    changes = [f"{name}: {change}" for change in diff_reports(expected, actual)]
    if not changes and _content_hash(expected) != _content_hash(actual):
        # equal values written differently (0.0 and 0): the snapshot is stale all the same
        changes.append(f"{name}: the output is written differently from the snapshot though "
                       f"every value is equal (e.g. 0.0 and 0); regenerate with: {command}")
    return lines + changes


def diff_reports(expected: dict[str, Any], actual: dict[str, Any]) -> list[str]:
    """Readable differences between two reports in the public JSON shape, one per change,
    by canonical names (``tables/applications/results.total/natural_person: 1 → 0``)."""
    lines = []
    for key in _METADATA:
        if expected.get(key) != actual.get(key):
            lines.append(f"{key}: {_value(expected.get(key))} → {_value(actual.get(key))}")
    lines.extend(_diff_sections(expected.get("sections") or [], actual.get("sections") or []))
    lines.extend(_diff_tables(expected.get("tables") or {}, actual.get("tables") or {}))
    lines.extend(_diff_diagnostics(expected.get("diagnostics") or [],
                                   actual.get("diagnostics") or []))
    known = {*_METADATA, "sections", "tables", "diagnostics"}
    for key in sorted((expected.keys() | actual.keys()) - known):
        if expected.get(key) != actual.get(key):
            lines.append(f"{key}: {_compact(expected.get(key))} → {_compact(actual.get(key))}")
    return lines


def _value(value: Any) -> str:
    if value is None:
        return "null"
    return str(value)


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _at(span: Any) -> str:
    if not isinstance(span, dict):
        return "(no place)"
    return f"{span.get('line')}:{span.get('column')}"


def _section_name(section: dict[str, Any]) -> str:
    number = section.get("number")
    title = section.get("title")
    return f"{section.get('kind')} '{number}、{title}'" if number else \
        f"{section.get('kind')} '{title}'"


def _diff_sections(expected: list[dict[str, Any]], actual: list[dict[str, Any]]) -> list[str]:
    def key(section: dict[str, Any]) -> tuple[Any, ...]:
        return (section.get("kind"), section.get("number"), section.get("title"))

    lines = []
    remaining = list(actual)
    unmatched = []
    for section in expected:
        match = next((s for s in remaining if key(s) == key(section)), None)
        if match is None:
            unmatched.append(section)
            continue
        remaining.remove(match)
        if match.get("span") != section.get("span"):
            lines.append(f"sections/{_section_name(section)}: at {_at(section.get('span'))} → "
                         f"{_at(match.get('span'))}")
    lines.extend(f"sections: removed {_section_name(s)} at {_at(s.get('span'))}"
                 for s in unmatched)
    lines.extend(f"sections: added {_section_name(s)} at {_at(s.get('span'))}"
                 for s in remaining)
    if not lines and [key(s) for s in expected] != [key(s) for s in actual]:
        lines.append("sections: order " + ", ".join(str(s.get("kind")) for s in expected)
                     + " → " + ", ".join(str(s.get("kind")) for s in actual))
    return lines


def _cell_text(cell: Any) -> str:
    if not isinstance(cell, dict):
        return _compact(cell)
    text = _value(cell.get("value"))
    if cell.get("unit"):
        text += f" {cell['unit']}"
    if str(cell.get("raw", "")).strip() != text:
        text += f" (raw {cell.get('raw')!r})"
    return text


def _diff_cell(expected: Any, actual: Any) -> str | None:
    if expected == actual:
        return None
    if not isinstance(expected, dict) or not isinstance(actual, dict):
        return f"{_compact(expected)} → {_compact(actual)}"
    parts = []
    if expected.get("value") != actual.get("value"):
        parts.append(f"{_value(expected.get('value'))} → {_value(actual.get('value'))}")
    if expected.get("raw") != actual.get("raw"):
        parts.append(f"raw {expected.get('raw')!r} → {actual.get('raw')!r}")
    if expected.get("unit") != actual.get("unit"):
        parts.append(f"unit {_value(expected.get('unit'))} → {_value(actual.get('unit'))}")
    if expected.get("span") != actual.get("span"):
        parts.append(f"at {_at(expected.get('span'))} → {_at(actual.get('span'))}")
    for key in sorted((expected.keys() | actual.keys()) - {"value", "raw", "unit", "span"}):
        if expected.get(key) != actual.get(key):
            parts.append(f"{key} {_compact(expected.get(key))} → {_compact(actual.get(key))}")
    return "; ".join(parts)


def _row_text(row: dict[str, Any]) -> str:
    return ", ".join(f"{column}={_cell_text(cell)}" for column, cell in row.items())


def _diff_tables(expected: dict[str, Any], actual: dict[str, Any]) -> list[str]:
    lines = []
    for table in [*expected, *(t for t in actual if t not in expected)]:
        old, new = expected.get(table), actual.get(table)
        where = f"tables/{table}"
        if old == new:
            continue
        if not isinstance(old, dict) or not isinstance(new, dict):
            def size(t: Any) -> str:
                return "not read" if not isinstance(t, dict) else \
                    f"{sum(len(r) for r in t.values())} cells in {len(t)} rows"
            lines.append(f"{where}: {size(old)} → {size(new)}")
            continue
        for row in [*old, *(r for r in new if r not in old)]:
            old_row, new_row = old.get(row), new.get(row)
            if old_row == new_row:
                continue
            if not isinstance(old_row, dict):
                lines.append(f"{where}/{row}: new row: {_row_text(new_row or {})}")
                continue
            if not isinstance(new_row, dict):
                lines.append(f"{where}/{row}: row no longer read (was {_row_text(old_row)})")
                continue
            for column in [*old_row, *(c for c in new_row if c not in old_row)]:
                if column not in new_row:
                    lines.append(f"{where}/{row}/{column}: cell no longer read "
                                 f"(was {_cell_text(old_row[column])})")
                elif column not in old_row:
                    lines.append(f"{where}/{row}/{column}: new cell "
                                 f"{_cell_text(new_row[column])}")
                else:
                    change = _diff_cell(old_row[column], new_row[column])
                    if change:
                        lines.append(f"{where}/{row}/{column}: {change}")
            if old_row.keys() == new_row.keys() and list(old_row) != list(new_row):
                lines.append(f"{where}/{row}: column order {list(old_row)} → {list(new_row)}")
        if old.keys() == new.keys() and list(old) != list(new):
            lines.append(f"{where}: row order changed")
    return lines


def _diagnostic_key(d: dict[str, Any]) -> str:
    return _compact(d)


def _diagnostic_text(d: dict[str, Any]) -> str:
    text = f"{d.get('code')} at {_at(d.get('span'))} ({d.get('severity')}): {d.get('message')}"
    cells = d.get("cells") or []
    if cells:
        text += " [" + ", ".join("/".join(map(str, c)) for c in cells) + "]"
    return text


def _diff_diagnostics(expected: list[dict[str, Any]], actual: list[dict[str, Any]]) -> list[str]:
    old = Counter(_diagnostic_key(d) for d in expected)
    new = Counter(_diagnostic_key(d) for d in actual)
    removed, added = old - new, new - old
    lines = []
    for d in expected:
        key = _diagnostic_key(d)
        if removed[key] > 0:
            removed[key] -= 1
            lines.append(f"diagnostics: removed {_diagnostic_text(d)}")
    for d in actual:
        key = _diagnostic_key(d)
        if added[key] > 0:
            added[key] -= 1
            lines.append(f"diagnostics: added {_diagnostic_text(d)}")
    return lines


# --- Command line ------------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``xxgk corpus`` sub-commands (``test``, ``update``) to ``parser``."""
    sub = parser.add_subparsers(dest="corpus_command", required=True, metavar="{test,update}")
    for name, text in (
        ("test", "re-read corpus documents and show, by canonical cell name, what differs "
                 "from their snapshots (exit 1 on any difference)"),
        ("update", "(re)generate the snapshots <name>.expected.json of corpus documents"),
    ):
        p = sub.add_parser(name, help=text, description=text)
        p.add_argument("paths", nargs="*", metavar="PATH",
                       help="documents or folders (default: the whole corpus)")
        p.add_argument("--root", metavar="DIR", default=None,
                       help="the corpus root, against which sources are named "
                            "(default: for PATHS, ./corpus when it holds them, else their nearest "
                            "enclosing folder named 'corpus', else the folder above their "
                            "collection; without PATHS, ./corpus, else the corpus/ of the "
                            "source checkout xxgk runs from)")
        if name == "update":
            p.add_argument("--new-only", action="store_true",
                           help="only write snapshots that do not exist yet")


def _targets(args: argparse.Namespace) -> Iterator[tuple[Path, Path]]:
    """``(document, root)`` for every document the command names."""
    explicit = Path(args.root).resolve() if args.root else None
    names: Sequence[str] = args.paths or [str(explicit or default_root())]
    for name in names:
        root = explicit or _infer_root(Path(name))
        for document in find_documents([name]):
            yield document, root


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Run ``xxgk corpus test|update``; returns the exit status (0 ok, 1 differences,
    2 a document or path could not be read)."""
    from .errors import ParseError

    try:
        targets = list(_targets(args))
    except (FileNotFoundError, ValueError) as error:
        print(f"xxgk corpus: error: {error}", file=err)
        return 2
    if not targets:
        print("xxgk corpus: no documents found", file=err)
        return 2
    if args.corpus_command == "update":
        written = skipped = failed = 0
        for document, root in targets:
            if args.new_only and expected_path(document).exists():
                skipped += 1
                continue
            try:
                changed = update([document], root)
            except (ParseError, ValueError) as error:
                failed += 1
                print(f"xxgk corpus: error: {error}", file=err)
                continue
            for path in changed:
                written += 1
                print(f"wrote {_shown(path)}", file=out)
        summary = f"{_count(len(targets), 'document')}, {_count(written, 'snapshot')} written"
        if skipped:
            summary += f", {skipped} existing left alone"
        if failed:
            summary += f", {failed} unreadable"
        print(summary, file=out)
        return 2 if failed else 0
    differing: list[str] = []
    for document, root in targets:
        try:
            lines = compare(document, root)
        except ValueError as error:
            lines = [f"{_shown(document)}: {error}"]
        if lines:
            differing.append(refresh_command(document, root))
            out.write("".join(line + "\n" for line in lines))
    if not differing:
        print(f"{_count(len(targets), 'document')}, all match their snapshots", file=out)
        return 0
    differ = "differs" if len(differing) == 1 else "differ"
    print(f"{_count(len(targets), 'document')}, {len(differing)} {differ} from their snapshots; "
          "if the new readings are right, refresh with:", file=out)
    for command in differing:
        print(f"  {command}", file=out)
    return 1


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m xxgk.corpus test|update …``."""
    parser = argparse.ArgumentParser(prog="python -m xxgk.corpus",
                                     description="grammar regression corpus")
    add_arguments(parser)
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in ("--update", "--test"):  # `python -m xxgk.corpus --update`
        argv[0] = argv[0][2:]
    return run(parser.parse_args(argv), sys.stdout, sys.stderr)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


if __name__ == "__main__":
    sys.exit(main())

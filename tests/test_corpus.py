"""The grammar regression corpus: one test per corpus document, and tests of the tool.

Every document under ``corpus/`` is re-read and compared with its generated snapshot
``<name>.expected.json``; a failure lists what changed, by canonical cell name, and the
command that refreshes the snapshot once the change has been checked.
"""

from __future__ import annotations

import copy
import hashlib
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from xxgk.corpus import (
    compare,
    diff_reports,
    expected_path,
    find_documents,
    refresh_command,
    snapshot,
    update,
)

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
DOCUMENTS = find_documents([CORPUS])


# --- The corpus itself --------------------------------------------------------------------


@pytest.mark.parametrize(
    "document", DOCUMENTS, ids=[p.relative_to(CORPUS).as_posix() for p in DOCUMENTS]
)
def test_corpus_document(document: Path) -> None:
    lines = compare(document, CORPUS)
    if lines:
        command = refresh_command(document, CORPUS)
        if not any(command in line for line in lines):
            lines.append(f"if the new reading is right, refresh the snapshot with: {command}")
        pytest.fail("\n".join(lines), pytrace=False)


def test_corpus_is_not_empty() -> None:
    collections = {p.relative_to(CORPUS).parts[0] for p in DOCUMENTS}
    assert {"seeds", "synthetic"} <= collections
    assert not any(p.name.upper().startswith("README") for p in DOCUMENTS)


# --- The tool, in a corpus of its own -----------------------------------------------------

SAMPLE = ROOT / "corpus" / "seeds" / "000_e3df90ef1548b389.txt"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A corpus with one collection ``demo`` holding two documents, no snapshots yet."""
    root = tmp_path / "corpus"
    (root / "demo").mkdir(parents=True)
    shutil.copyfile(SAMPLE, root / "demo" / "a.txt")
    shutil.copyfile(SAMPLE, root / "demo" / "b.txt")
    (root / "README.md").write_text("# not a document\n", encoding="utf-8")
    return root


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(expected_path(path).read_text(encoding="utf-8"))
    return data


def _rewrite(path: Path, data: dict[str, Any]) -> None:
    expected_path(path).write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n",
                                   encoding="utf-8")


def test_find_documents_skips_readme_snapshots_and_hidden(corpus: Path) -> None:
    (corpus / "demo" / ".draft.txt").write_text("x", encoding="utf-8")
    (corpus / ".cache").mkdir()
    (corpus / ".cache" / "c.txt").write_text("x", encoding="utf-8")
    (corpus / "demo" / "notes.json").write_text("{}", encoding="utf-8")
    update([corpus], corpus)
    found = find_documents([corpus])
    assert [p.name for p in found] == ["a.txt", "b.txt"]
    assert find_documents([corpus / "demo" / "a.txt", corpus]) == found


def test_snapshot_format(corpus: Path) -> None:
    document = corpus / "demo" / "a.txt"
    written = update([document], corpus)
    assert written == [expected_path(document)]
    assert expected_path(document).name == "a.expected.json"
    text = expected_path(document).read_text(encoding="utf-8")
    data = json.loads(text)
    assert list(data) == ["_generated", "report"]
    header = data["_generated"]
    assert header["command"] == "xxgk corpus update corpus/demo/a.txt"
    assert header["source_sha256"] == hashlib.sha256(document.read_bytes()).hexdigest()
    canonical = json.dumps(data["report"], ensure_ascii=False, sort_keys=True,
                           separators=(",", ":"))
    assert header["content_sha256"] == hashlib.sha256(canonical.encode()).hexdigest()
    assert header["note"] == "generated; never edit by hand"
    report = data["report"]
    assert report["source"] == "demo/a.txt"  # relative to the corpus root
    assert list(report)[:6] == ["source", "format", "agency", "year", "template", "issued"]
    assert text == json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    assert "道里区卫生健康局" in text  # not \u-escaped
    assert snapshot(document, corpus) == data
    assert compare(document, corpus) == []
    assert update([document], corpus) == []  # unchanged snapshots are not rewritten


def test_changed_number_is_one_line_naming_the_cell(corpus: Path) -> None:
    document = corpus / "demo" / "a.txt"
    update([document], corpus)
    data = _load(document)
    cell = data["report"]["tables"]["applications"]["results.total"]["natural_person"]
    printed = cell["value"]
    cell["value"] = printed + 1
    _rewrite(document, data)
    lines = compare(document, corpus)
    assert len(lines) == 2, lines
    assert lines[0].startswith("demo/a.txt: a.expected.json was edited by hand")
    assert "xxgk corpus update" in lines[0]
    assert lines[1] == (f"demo/a.txt: tables/applications/results.total/natural_person: "
                        f"{printed + 1} → {printed}")


def test_missing_snapshot_names_the_command(corpus: Path) -> None:
    document = corpus / "demo" / "a.txt"
    (line,) = compare(document, corpus)
    assert line.startswith("demo/a.txt: no expected file a.expected.json")
    assert line.endswith(refresh_command(document, corpus))
    assert "xxgk corpus update" in line and "a.txt" in line


def test_changed_document_is_named_and_diffed(corpus: Path) -> None:
    document = corpus / "demo" / "a.txt"
    update([document], corpus)
    text = document.read_text(encoding="utf-8")
    document.write_text(text.replace("道里区卫生健康局\n", "道外区卫生健康局\n", 1),
                        encoding="utf-8")
    lines = compare(document, corpus)
    assert "the document changed since its snapshot was made" in lines[0]
    assert "demo/a.txt: agency: 道里区卫生健康局 → 道外区卫生健康局" in lines
    assert not any("edited by hand" in line for line in lines)


def test_new_only_leaves_existing_snapshots_alone(corpus: Path) -> None:
    a, b = corpus / "demo" / "a.txt", corpus / "demo" / "b.txt"
    update([a], corpus)
    before = expected_path(a).read_bytes()
    a.write_text(a.read_text(encoding="utf-8") + "\n附：补充说明。\n", encoding="utf-8")
    written = update([corpus], corpus, new_only=True)
    assert written == [expected_path(b)]
    assert expected_path(a).read_bytes() == before
    assert update([corpus], corpus) == [expected_path(a)]
    assert expected_path(a).read_bytes() != before


def test_cli_test_and_update(corpus: Path) -> None:
    from xxgk.cli import main

    out, err = io.StringIO(), io.StringIO()
    assert main(["corpus", "test", str(corpus)], out, err) == 1
    assert "no expected file a.expected.json" in out.getvalue()
    assert "2 documents, 2 differ" in out.getvalue()

    out = io.StringIO()
    assert main(["corpus", "update", str(corpus / "demo" / "a.txt")], out, err) == 0
    assert "wrote" in out.getvalue() and "a.expected.json" in out.getvalue()
    out = io.StringIO()
    assert main(["corpus", "update", "--new-only", str(corpus)], out, err) == 0
    assert "b.expected.json" in out.getvalue() and "a.expected.json" not in out.getvalue()
    assert "1 existing left alone" in out.getvalue()

    out = io.StringIO()
    assert main(["corpus", "test", "--root", str(corpus), str(corpus / "demo")], out, err) == 0
    assert "2 documents, all match" in out.getvalue()

    data = _load(corpus / "demo" / "b.txt")
    data["report"]["agency"] = "别的机关"
    _rewrite(corpus / "demo" / "b.txt", data)
    out = io.StringIO()
    assert main(["corpus", "test", str(corpus)], out, err) == 1
    printed = out.getvalue().splitlines()
    assert "demo/b.txt: agency: 别的机关 → 道里区卫生健康局" in printed
    assert not any(line.lstrip().startswith("{") for line in printed)  # never a JSON blob


def test_a_collection_named_in_a_root_not_called_corpus(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`xxgk corpus test mycorp/seeds`: the collection's folder holds the documents, so
    the root is the folder above it, as for one document of it; it used to be taken as
    the root, every source read as renamed, and an update suggested that would write them
    so."""
    from xxgk.cli import main

    shutil.copytree(CORPUS / "seeds", tmp_path / "mycorp" / "seeds")
    monkeypatch.chdir(tmp_path)
    for named in ("mycorp/seeds", "mycorp", "mycorp/seeds/000_e3df90ef1548b389.txt"):
        out = io.StringIO()
        assert main(["corpus", "test", named], out, io.StringIO()) == 0, out.getvalue()
        assert "all match their snapshots" in out.getvalue()


def test_cli_unknown_path(tmp_path: Path) -> None:
    from xxgk.cli import main

    err = io.StringIO()
    assert main(["corpus", "test", str(tmp_path / "nope")], io.StringIO(), err) == 2
    assert "no such file" in err.getvalue()


def test_importing_corpus_stays_cheap() -> None:
    code = ("import sys, xxgk.corpus; "
            "print(sorted(m for m in ('xxgk.pipeline', 'lark') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"


# --- The diff, on hand-made reports (no parsing) ------------------------------------------


def _span(line: int, column: int = 2) -> dict[str, int]:
    return {"line": line, "column": column, "end_line": line, "end_column": column + 1}


BASE: dict[str, Any] = {
    "source": "x/r.txt", "agency": "甲局", "year": 2020, "template": "2019",
    "issued": "2021-01-19", "title": "甲局2020年政府信息公开工作年度报告",
    "sections": [
        {"kind": "overview", "number": "一", "title": "总体情况", "span": _span(3, 1)},
        {"kind": "applications", "number": "三", "title": "收到和处理政府信息公开申请情况",
         "span": _span(20, 1)},
    ],
    "tables": {
        "active_disclosure": None,
        "applications": {
            "results.total": {
                "natural_person": {"value": 1, "raw": "1", "span": _span(30)},
                "total": {"value": 1, "raw": "1", "span": _span(31)},
            },
        },
        "review_litigation": None,
    },
    "diagnostics": [
        {"code": "A101", "severity": "error", "message": "总计 不等于各列之和",
         "span": _span(31), "cells": [["applications", "results.total", "total"]]},
    ],
}


def test_diff_equal_reports_is_empty() -> None:
    assert diff_reports(BASE, copy.deepcopy(BASE)) == []


def test_diff_metadata_and_cells() -> None:
    new = copy.deepcopy(BASE)
    new["year"] = 2021
    new["issued"] = None
    cells = new["tables"]["applications"]["results.total"]
    cells["natural_person"] = {"value": 0, "raw": "?0", "span": _span(30)}
    cells["total"]["span"] = _span(32)
    assert diff_reports(BASE, new) == [
        "year: 2020 → 2021",
        "issued: 2021-01-19 → null",
        "tables/applications/results.total/natural_person: 1 → 0; raw '1' → '?0'",
        "tables/applications/results.total/total: at 31:2 → 32:2",
    ]


def test_diff_rows_cells_and_tables_appearing_and_vanishing() -> None:
    new = copy.deepcopy(BASE)
    del new["tables"]["applications"]["results.total"]["total"]
    new["tables"]["applications"]["carried_forward"] = {
        "total": {"value": 2, "raw": "2", "span": _span(40)}}
    new["tables"]["review_litigation"] = {
        "administrative_review": {"total": {"value": 0, "raw": "0", "span": _span(50)}}}
    assert diff_reports(BASE, new) == [
        "tables/applications/results.total/total: cell no longer read (was 1)",
        "tables/applications/carried_forward: new row: total=2",
        "tables/review_litigation: not read → 1 cells in 1 rows",
    ]
    assert diff_reports(new, BASE)[-1] == "tables/review_litigation: 1 cells in 1 rows → not read"


def test_diff_sections_and_diagnostics() -> None:
    new = copy.deepcopy(BASE)
    new["sections"][0]["span"] = _span(4, 1)
    del new["sections"][1]
    new["sections"].append({"kind": "extra", "number": "七", "title": "政务公开标准化建设情况",
                            "span": _span(60, 1)})
    new["diagnostics"] = [{"code": "P101", "severity": "error",
                           "message": "no layout recognised", "span": _span(21, 1),
                           "cells": []}]
    assert diff_reports(BASE, new) == [
        "sections/overview '一、总体情况': at 3:1 → 4:1",
        "sections: removed applications '三、收到和处理政府信息公开申请情况' at 20:1",
        "sections: added extra '七、政务公开标准化建设情况' at 60:1",
        "diagnostics: removed A101 at 31:2 (error): 总计 不等于各列之和 "
        "[applications/results.total/total]",
        "diagnostics: added P101 at 21:1 (error): no layout recognised",
    ]


def test_diff_repeated_diagnostics_are_counted() -> None:
    new = copy.deepcopy(BASE)
    new["diagnostics"] = BASE["diagnostics"] * 2
    (line,) = diff_reports(BASE, new)
    assert line.startswith("diagnostics: added A101 at 31:2")

"""Exports read back with the library that wrote them: xlsx (openpyxl), Parquet (pyarrow),
pandas, and the Dask recipe over a folder of mixed formats."""

from __future__ import annotations

import io
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

import xxgk
from xxgk import serialize
from xxgk.cli import main
from xxgk.export import write_parquet, write_xlsx

from .conftest import ROOT, seed

_MD = ROOT / "corpus" / "synthetic" / "markdown_tables_2021.md"


def _reports() -> list[xxgk.Report]:
    return [xxgk.parse_file(seed("002")), xxgk.parse_file(_MD)]


def _expected_rows(reports: list[xxgk.Report]) -> list[tuple[object, ...]]:
    return [row for r in reports for row in serialize.csv_rows(r)]


def _plain(value: object) -> object:
    if value == "" or value is None:
        return None
    return float(value) if isinstance(value, Decimal | int) and not isinstance(value, bool) \
        else value


def test_parquet_round_trip(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    reports = _reports()
    target = tmp_path / "cells.parquet"
    assert write_parquet(reports, target) == len(_expected_rows(reports))
    table = pq.read_table(target)
    assert table.column_names == list(serialize.CSV_HEADER)
    back = table.to_pylist()
    for got, row in zip(back, _expected_rows(reports), strict=True):
        want = dict(zip(serialize.CSV_HEADER, row, strict=True))
        assert got["source"] == want["source"] and got["agency"] == want["agency"]
        assert got["year"] == want["year"] and got["template"] == want["template"]
        assert (got["table"], got["row"], got["column"]) == (
            want["table"], want["row"], want["column"])
        assert got["value"] == _plain(want["value"]) and got["raw"] == want["raw"]
        assert (got["line"], got["column_no"]) == (want["line"], want["column_no"])
        assert got["unit"] == _plain(want["unit"]) and got["page"] is None
        assert got["box"] is None
    amount = next(r for r in back if r["column"] == "amount" and r["unit"] == "万元")
    assert amount["value"] == 55566.88 and amount["raw"] == "55566.88万元"


def test_dataframe_has_the_keys_and_nullable_integers() -> None:
    frame = xxgk.to_dataframe(_reports())  # the documented entry point
    assert list(frame.columns) == list(serialize.CSV_HEADER)
    assert set(frame["agency"]) == {"拱墅区卫生健康局", "临江县交通运输局"}
    assert set(frame["year"]) == {2020, 2022} and str(frame["year"].dtype) == "Int32"
    assert frame["page"].isna().all()
    total = frame[(frame.table == "applications") & (frame.row == "new_received")
                  & (frame.column == "total")]
    assert list(total["value"]) == [2.0, 18.0]


def test_xlsx_round_trip(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    reports = _reports()
    target = tmp_path / "reports.xlsx"
    assert write_xlsx(reports, target) == 2
    book = load_workbook(target, read_only=True)
    assert book.sheetnames == ["cells", "diagnostics", "1 拱墅区卫生健康局 2020",
                               "2 临江县交通运输局 2022"]
    cells = list(book["cells"].iter_rows(values_only=True))
    assert cells[0] == serialize.CSV_HEADER
    assert [tuple(_plain(v) for v in row) for row in cells[1:]] == [
        tuple(_plain(v) for v in row) for row in _expected_rows(reports)]
    diagnostics = list(book["diagnostics"].iter_rows(values_only=True))
    assert len(diagnostics) - 1 == sum(len(r.diagnostics) for r in reports)
    first = reports[0].diagnostics[0]
    assert diagnostics[1][:4] == (reports[0].source, first.code, first.severity.value,
                                  first.message)
    # the report's sheet: the tables as printed, Chinese labels, the values in place
    sheet = [row for row in book["2 临江县交通运输局 2022"].iter_rows(values_only=True)]
    labels = [row[0] for row in sheet]
    assert "收到和处理政府信息公开申请情况" in labels
    header = next(row for row in sheet if row[1] == "自然人")
    assert header[:8] == (None, "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构",
                          "其他", "总计")
    new = next(row for row in sheet if row[0] == "一、本年新收政府信息公开申请数量")
    table = reports[1].applications
    assert table is not None
    assert new[1:8] == tuple(table["new_received"][c].value for c in (
        "natural_person", "commercial_enterprise", "research_institution",
        "social_welfare_organization", "legal_service_agency", "other_organization", "total"))


def test_cli_writes_xlsx_and_parquet_and_needs_o(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    out, err = io.StringIO(), io.StringIO()
    target = tmp_path / "c.parquet"
    status = main(["parse", str(seed("000")), str(_MD), "--format", "parquet", "-o",
                   str(target), "-j", "1"], out, err)
    assert status == 0 and out.getvalue() == ""
    assert pq.read_table(target).num_rows == len(_expected_rows(
        [xxgk.parse_file(seed("000")), xxgk.parse_file(_MD)]))
    status = main(["parse", str(seed("003")), "--format", "xlsx", "-o",
                   str(tmp_path / "e.xlsx")], out, err)
    assert status == 1  # seed 003 has error-severity diagnostics
    assert (tmp_path / "e.xlsx").stat().st_size > 0
    err = io.StringIO()
    assert main(["parse", str(seed("000")), "--format", "xlsx"], out, err) == 2
    assert "give it with -o OUT" in err.getvalue()


def test_dask_recipe_on_a_folder_of_mixed_formats(tmp_path: Path) -> None:
    """The docs' Dask recipe: a folder of .txt (UTF-8 and GB18030) and .md files → the
    long table as Parquet, read back equal to what the library gives."""
    import dask.dataframe as dd
    import pandas as pd

    from xxgk.batch import iter_paths
    from xxgk.export import cells_of_file

    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copy(seed("000"), folder / "a.txt")
    (folder / "b_gbk.txt").write_bytes(seed("001").read_text(encoding="utf-8")
                                       .encode("gb18030"))
    shutil.copy(_MD, folder / "c.md")
    paths = list(iter_paths([folder]))
    assert len(paths) == 3
    # -- the recipe (docs/datasets.md) --
    frame = dd.from_map(cells_of_file, paths)
    frame.to_parquet(tmp_path / "cells", write_index=False)
    # -- read back --
    back = pd.read_parquet(tmp_path / "cells").sort_values(["source", "line", "column_no"])
    expected = xxgk.to_dataframe(xxgk.parse_file(p) for p in paths).sort_values(
        ["source", "line", "column_no"])
    assert len(back) == len(expected) > 300
    assert list(back["value"]) == list(expected["value"])
    assert list(back["agency"].unique()) == ["道里区卫生健康局", "尚志市卫生健康局",
                                             "临江县交通运输局"]


@pytest.mark.parametrize("fmt", ["xlsx", "parquet"])
def test_unwritable_target_is_one_line(tmp_path: Path, fmt: str) -> None:
    out, err = io.StringIO(), io.StringIO()
    status = main(["parse", str(seed("000")), "--format", fmt, "-o",
                   str(tmp_path / "no" / "such" / f"x.{fmt}")], out, err)
    assert status == 2 and err.getvalue().startswith("xxgk: error: cannot write")

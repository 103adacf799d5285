"""Template variants registered from outside the package (xxgk.variants)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import xxgk
from xxgk import variants
from xxgk.registry import Registry

from .conftest import seed

_HEJI = variants.TemplateVariant("heji", "%override L_TOTAL: /\\(七\\)(总计|合计)/\n")
_NEW_ROW = variants.TemplateVariant("extra-row", (
    "%extend _app_row: results__other__withdrawn\n"
    "results__other__withdrawn: L_WITHDRAWN _v7\n"
    "L_WITHDRAWN: /申请人撤回申请/\n"))


@pytest.fixture
def registered() -> Iterator[None]:
    yield
    for variant in (_HEJI, _NEW_ROW):
        variants.unregister_template_variant(variant.name)


def _text() -> str:
    return seed("004").read_text(encoding="utf-8").replace("(七)总计 |", "(七)合计 |")


def test_a_label_variant_is_read_once_registered(registered: None) -> None:
    before = xxgk.parse(_text())
    assert before.applications is not None and "results.total" not in before.applications
    assert any(d.code == "P104" for d in before.diagnostics)
    variants.register_template_variant(_HEJI)
    after = xxgk.parse(_text())
    assert after.applications is not None
    assert after.applications["results.total"]["total"].raw == "0?"
    assert not any(d.code == "P104" for d in after.diagnostics)
    variants.unregister_template_variant("heji")
    assert "results.total" not in (xxgk.parse(_text()).applications or {})


def test_a_new_row_is_kept_by_position_and_reported_foreign(registered: None) -> None:
    text = seed("004").read_text(encoding="utf-8").replace(
        "(七)总计 |", "申请人撤回申请 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |\n(七)总计 |")
    variants.register_template_variant(_NEW_ROW)
    report = xxgk.parse(text)
    assert report.applications is not None
    row = report.applications["results.other.withdrawn"]
    assert [cell.value for cell in row.values()] == [1, 0, 0, 0, 0, 0, 1]
    assert list(row) == ["1", "2", "3", "4", "5", "6", "7"]
    assert any(d.code == "T302" for d in report.diagnostics)
    assert not any(d.code == "P104" for d in report.diagnostics)


def test_variants_are_listed_in_order(registered: None) -> None:
    variants.register_template_variant(_HEJI)
    variants.register_template_variant(_NEW_ROW)
    names = [v.name for v in variants.template_variants()]
    assert names[-2:] == ["heji", "extra-row"]


def test_a_variant_file_is_read_once_per_registration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The table stage asks for the variants' text on every table: a variant kept in a
    file is read when it is registered anew, not for every table of every report."""
    path = tmp_path / "heji.lark"
    path.write_text(_HEJI.text(), encoding="utf-8")
    reads: list[str] = []
    text = variants.TemplateVariant.text

    def counted(self: variants.TemplateVariant) -> str:
        reads.append(self.name)
        return text(self)

    monkeypatch.setattr(variants.TemplateVariant, "text", counted)
    variants.register_template_variant(variants.TemplateVariant("heji-file", str(path)))
    try:
        for _ in range(3):
            report = xxgk.parse(_text())
            assert report.applications is not None
            assert report.applications["results.total"]["total"].raw == "0?"
        assert reads == ["heji-file"]
        variants.register_template_variant(variants.TemplateVariant("heji-file", str(path)))
        xxgk.parse(_text())
        assert reads == ["heji-file", "heji-file"]
    finally:
        variants.unregister_template_variant("heji-file")
    assert "results.total" not in (xxgk.parse(_text()).applications or {})


@pytest.mark.parametrize("grammar, why", [
    ("%override NOPE: /x/\n", "Cannot override a nonexisting terminal NOPE"),
    ("%override L_TOTAL: /(/\n", "unterminated subpattern"),  # not a regular expression
    ("/no/such/variant.lark", "FileNotFoundError"),
])
def test_a_variant_that_does_not_build_is_refused(
    registered: None, grammar: str, why: str
) -> None:
    """Registering a variant builds the template parser with it: a broken one is refused
    at once with Lark's reason, nothing is registered, and reports read as before."""
    before = variants.template_variants()
    with pytest.raises(ValueError, match=f"template variant 'bad' cannot be used: .*{why}"):
        variants.register_template_variant(variants.TemplateVariant("bad", grammar))
    assert variants.template_variants() == before
    report = xxgk.parse(_text())
    assert report.applications is not None and not any(
        d.code == "P104" and "internal" in d.message for d in report.diagnostics)


def test_a_broken_variant_entry_point_is_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    class _EntryPoint:
        def __init__(self, name: str, value: variants.TemplateVariant) -> None:
            self.name, self._value = name, value

        def load(self) -> variants.TemplateVariant:
            return self._value

    def entry_points(*, group: str) -> list[_EntryPoint]:
        return [_EntryPoint("bad", variants.TemplateVariant("bad", "%override NOPE: /x/\n")),
                _EntryPoint("heji", _HEJI)]

    import importlib.metadata

    monkeypatch.setattr(importlib.metadata, "entry_points", entry_points)
    fresh = Registry(variants.TemplateVariant, variants.ENTRY_POINT_GROUP, (),
                     lambda variant: variant.name, variants._check)
    monkeypatch.setattr(variants, "registry", fresh)
    with pytest.warns(RuntimeWarning, match="entry point skipped: template variant 'bad'"):
        names = [v.name for v in variants.template_variants()]
    assert names == ["heji"]
    after = xxgk.parse(_text())
    assert after.applications is not None
    assert after.applications["results.total"]["total"].raw == "0?"
    # with the registry put back, the combined text follows it (no stale heji)
    monkeypatch.undo()
    assert "heji" not in variants.combined_text()
    assert "results.total" not in (xxgk.parse(_text()).applications or {})

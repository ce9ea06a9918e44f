"""Every link within the built docs site reaches a page and anchor that exist."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

CHECKER = Path(__file__).resolve().parents[2] / "scripts" / "check_site_links.py"


@pytest.fixture(scope="module")
def checker() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_site_links", CHECKER)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_built_site_has_no_broken_internal_link(checker: ModuleType, docs_site: Path) -> None:
    assert checker.broken_links(docs_site) == []


def test_the_checker_reports_a_missing_page_and_a_missing_anchor(checker: ModuleType, tmp_path: Path) -> None:
    (tmp_path / "guide").mkdir()
    (tmp_path / "index.html").write_text(
        '<a href="guide/page.html#usage">ok</a> <a href="guide/gone.html">gone</a>'
        ' <a href="guide/page.html#nowhere">bad anchor</a> <a href="https://example.com/x">outside</a>'
    )
    (tmp_path / "guide" / "page.html").write_text(
        '<h2 id="usage">Usage</h2><a href="../index.html#top">up</a>'
    )

    assert sorted(checker.broken_links(tmp_path)) == [
        "guide/page.html: ../index.html#top (no anchor #top)",
        "index.html: guide/gone.html (no such file)",
        "index.html: guide/page.html#nowhere (no anchor #nowhere)",
    ]


def test_the_checker_exits_non_zero_on_a_broken_link(
    checker: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "index.html").write_text('<a href="missing.html">missing</a>')

    assert checker.main([str(tmp_path)]) == 1
    assert "broken link: index.html: missing.html (no such file)" in capsys.readouterr().err

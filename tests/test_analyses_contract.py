"""One contract for the analyses: `analyses/<report>.py` computes (DataFrames, small dataclasses) and imports
nothing from the presentation; `present/reports/<report>.py` holds the words, tables and charts."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "camgiang_data"
REPORTS = sorted(p.stem for p in (PACKAGE / "analyses").glob("*.py") if not p.stem.startswith("__"))


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolve against camgiang_data.analyses
                parts = ["camgiang_data", "analyses"][:max(0, 3 - node.level)]
                base = ".".join(parts + ([base] if base else []))
            found.add(base)
            found |= {f"{base}.{a.name}" for a in node.names}
    return found


@pytest.mark.parametrize("name", REPORTS)
def test_an_analysis_imports_nothing_from_the_presentation(name):
    imported = _imports(PACKAGE / "analyses" / f"{name}.py")
    assert {m for m in imported if m.startswith(("camgiang_data.present", "matplotlib", "IPython"))} == set()


@pytest.mark.parametrize("name", [n for n in REPORTS if not n.startswith("_")])
def test_every_report_has_its_presentation_module(name):
    assert (PACKAGE / "present" / "reports" / f"{name}.py").is_file()


def test_the_contract_check_sees_an_import_of_the_presentation(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from camgiang_data.present.fmt import format_value\nimport matplotlib.pyplot as plt\n")
    assert {"camgiang_data.present.fmt", "matplotlib.pyplot"} <= _imports(bad)

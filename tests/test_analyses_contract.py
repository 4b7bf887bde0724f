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


@pytest.fixture(scope="module")
def bare_unit(tmp_path_factory) -> Path:
    """A unit whose catalogue is the core alone and whose every figure is still to fill: the 2021 folder with
    the town's own indicators and every value taken out."""
    import csv
    import shutil

    from camgiang_data.paths import DEFAULT_DATA_DIR

    root = tmp_path_factory.mktemp("bare") / "unit"
    shutil.copytree(DEFAULT_DATA_DIR / "2021", root / "2021")
    core = {r["indicator_id"] for r in csv.DictReader((DEFAULT_DATA_DIR / "catalog.csv").open(encoding="utf-8"))}
    for name, keep in (("facts.csv", True), ("derivations.csv", False)):
        path = root / "2021" / name
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            fields, rows = reader.fieldnames, [r for r in reader if keep and r["indicator_id"] in core
                                               and r["kind"] == "actual" and r["mention"] == "1"]
        for r in rows:
            r.update(value="", as_written="", quote="", qualifier="", section="")
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    return root


def _analyses_functions():
    import importlib
    import inspect

    for name in REPORTS:
        module = importlib.import_module(f"camgiang_data.analyses.{name}")
        for fname, fn in inspect.getmembers(module, inspect.isfunction):
            params = list(inspect.signature(fn).parameters)
            if fn.__module__ == module.__name__ and not fname.startswith("_") and params[:2] == ["year", "data_dir"] \
                    and all(p.default is not inspect.Parameter.empty
                            for p in list(inspect.signature(fn).parameters.values())[2:]):
                yield f"{name}.{fname}", fn


@pytest.mark.parametrize("name, fn", list(_analyses_functions()), ids=lambda v: v if isinstance(v, str) else "")
def test_an_analysis_of_a_unit_that_reports_nothing_keeps_its_columns(name, fn, bare_unit):
    """What a unit lacks is 'not reported': every frame an analysis returns has its columns even with no row,
    so the presentation can say so instead of failing on a missing column."""
    import camgiang_data as cg
    import pandas as pd

    assert cg.validate(2021, bare_unit).errors == []
    result = fn(2021, bare_unit)
    frames = [result] if isinstance(result, pd.DataFrame) else \
        [v for v in getattr(result, "__dict__", {}).values() if isinstance(v, pd.DataFrame)]
    for frame in frames:
        assert len(frame.columns) > 0, name

"""The project's own wiring: dependencies in step, data descriptors in step with the schemas and valid
Frictionless packages, the raw source untouched, committed notebooks without outputs."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

from camgiang_data.checks import schema
from camgiang_data.store import DEFAULT_DATA_DIR

ROOT = Path(__file__).resolve().parents[1]


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[]", requirement.strip(), maxsplit=1)[0].lower()


def test_environment_yml_mirrors_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = {_name(r): r for r in project["dependencies"] + project["optional-dependencies"]["test"]}
    text = (ROOT / "environment.yml").read_text(encoding="utf-8")
    lines = text.split("dependencies:", 1)[1].splitlines()
    listed = {}
    for line in lines:
        m = re.fullmatch(r"\s+- ([A-Za-z0-9_.\-]+)(.*)", line)
        if m and m[1] not in ("python", "pip"):
            listed[m[1].lower()] = m[1] + m[2].strip()
    assert listed.keys() == wanted.keys()
    for name, requirement in wanted.items():
        assert listed[name].replace(" ", "") == requirement.replace(" ", ""), name


def test_datapackage_descriptors_are_up_to_date():
    for path, descriptor in schema.descriptors(DEFAULT_DATA_DIR).items():
        assert path.exists(), f"{path} is missing: run camgiang write-datapackages"
        assert path.read_text(encoding="utf-8") == schema.render(descriptor), \
            f"{path} is stale: run camgiang write-datapackages"


def test_datapackages_are_valid_frictionless_packages():
    from frictionless import Package

    for path in schema.descriptors(DEFAULT_DATA_DIR):
        report = Package(str(path)).validate()
        errors = [e.message for task in report.tasks for e in task.errors]
        assert report.valid, f"{path}: {errors[:5]}"


def test_source_is_nfc_utf8_and_matches_its_recorded_digest():
    import hashlib
    import unicodedata

    for folder in (p for p in DEFAULT_DATA_DIR.iterdir() if p.name.isdigit()):
        raw = (folder / "source.txt").read_bytes()
        text = raw.decode("utf-8")
        assert unicodedata.is_normalized("NFC", text)
        meta = json.loads((folder / "source.json").read_text(encoding="utf-8"))
        assert hashlib.sha256(raw).hexdigest() == meta["source_sha256"]


def test_committed_notebooks_carry_no_outputs():
    for path in (ROOT / "notebooks").glob("*.ipynb"):
        nb = json.loads(path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                assert not cell.get("outputs") and cell.get("execution_count") is None, path.name

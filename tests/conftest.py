"""Shared fixtures: a private copy of the packaged data that a test may break."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from camgiang_data.store import DEFAULT_DATA_DIR

YEAR = 2021


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, target, ignore=shutil.ignore_patterns("parts", "__pycache__"))
    return target


def read_rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write_rows(path: Path, rows: list[dict], fieldnames: list[str] | None = None) -> None:
    fieldnames = fieldnames or list(rows[0])
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fieldnames, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def edit_cell(path: Path, find: dict, column: str, value: str) -> int:
    """Set one cell of the first row matching `find`; returns that row's line number (header = line 1)."""
    rows = read_rows(path)
    for i, row in enumerate(rows):
        if all(row[k] == v for k, v in find.items()):
            row[column] = value
            write_rows(path, rows)
            return i + 2
    raise AssertionError(f"no row matches {find} in {path}")

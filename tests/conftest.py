"""Shared fixtures: a private copy of the packaged data that a test may break, and helpers to break it."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest

import camgiang_data as cg
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


def catalog_rows(data_dir: Path) -> list[dict]:
    """The catalogue of a data directory as its files hold it: the core catalog.csv, then catalog.local.csv."""
    return [row for name in ("catalog.csv", "catalog.local.csv") if (data_dir / name).exists()
            for row in read_rows(data_dir / name)]


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


def drop_facts(data_dir: Path, ids: set[str], kinds: set[str] | None = None, derived: bool = False,
               year: int = YEAR) -> None:
    """Delete the facts rows of these indicators (of these `kinds`; default: every kind) from the `year` folder; with
    `derived`, from derivations.csv too, with every row whose inputs use one of them."""
    for name in ("facts.csv", "derivations.csv") if derived else ("facts.csv",):
        path = data_dir / str(year) / name
        rows = read_rows(path)
        kept = [r for r in rows if not (r["indicator_id"] in ids and (kinds is None or r["kind"] in kinds))
                and not (derived and any(ref.split("@")[0] in ids for ref in (r.get("inputs") or "").split()))]
        write_rows(path, kept, list(rows[0]))


def two_years(tmp_path: Path) -> Path:
    """The packaged data plus a copy of its 2021 folder relabelled as 2022 (same figures, every year one later)."""
    root = tmp_path / "two"
    shutil.copytree(DEFAULT_DATA_DIR, root, ignore=shutil.ignore_patterns("__pycache__"))
    dst = root / "2022"
    shutil.copytree(root / "2021", dst)
    meta = json.loads((dst / "source.json").read_text(encoding="utf-8"))
    meta["report_year"] = 2022
    (dst / "source.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    for name in ("facts.csv", "derivations.csv"):
        rows = read_rows(dst / name)
        for r in rows:
            r["year"] = str(int(r["year"]) + 1)
            if r.get("inputs"):
                r["inputs"] = re.sub(r"@(\d{4})", lambda m: f"@{int(m.group(1)) + 1}", r["inputs"])
            if r.get("ref_date"):
                r["ref_date"] = f"{int(r['ref_date'][:4]) + 1}{r['ref_date'][4:]}"
        write_rows(dst / name, rows)
    return root


def first_mention(indicator_id: str, year: int = YEAR, kind: str = "actual") -> float:
    """The value of a figure's first mention in the packaged facts (NaN when the report does not state it)."""
    f = cg.load("facts")
    rows = f[(f["indicator_id"] == indicator_id) & (f["year"] == year) & (f["kind"] == kind) & (f["mention"] == 1)]
    return float("nan") if rows.empty else float(rows["value"].iloc[0])


def shown(monkeypatch, report, section, *frames) -> list[str]:
    """The plain text of every block a section function shows (headings, tables, notes, charts' alt text)."""
    import matplotlib.pyplot as plt

    from camgiang_data.present import page

    texts = []
    monkeypatch.setattr(page, "show", lambda markup, plain=None: texts.append(plain or page._strip(markup)))
    section(report, *frames)
    plt.close("all")
    return texts


def unnatural(text: str, lang: str, extra: tuple[str, ...] = ()) -> list[str]:
    """The forms a sentence must not take when a figure is missing ('x/không có số liệu', '= không có số
    liệu', a colon with no label before it), and any `extra` pattern (with {nr} for the missing word)."""
    from camgiang_data import present

    nr = re.escape(present.t("not_reported", lang))
    patterns = [rf"{nr}\s*/|/\s*{nr}", rf"=\s*{nr}", r"(^|[\s(;,])[:]", *(p.format(nr=nr) for p in extra)]
    return [p for p in patterns if re.search(p, text)]

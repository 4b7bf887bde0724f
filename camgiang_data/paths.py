"""Where data lives: a data directory is a folder of year folders (stdlib only: cheap to import)."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import DataError, Problem

DEFAULT_DATA_DIR = Path(__file__).parent / "data"
# The report as received, kept beside the source.txt read from it (`camgiang extract` of a .docx or .pdf).
ORIGINAL_NAMES = ("source.docx", "source.pdf", "source-original.txt")


def resolve_data_dir(data_dir: str | os.PathLike | None) -> Path:
    path = Path(data_dir) if data_dir is not None else DEFAULT_DATA_DIR
    if not path.is_dir():
        raise DataError([Problem(file=str(path), expected="a data directory (a folder of year folders)",
                                 found="no such folder", check="source")])
    return path.resolve()


def years(data_dir: str | os.PathLike | None = None) -> list[int]:
    """The report years present in a data directory (folders named by a four-digit year), oldest first."""
    root = resolve_data_dir(data_dir)
    return sorted(int(p.name) for p in root.iterdir() if p.is_dir() and p.name.isdigit() and len(p.name) == 4)


def resolve_year(year: int | None, data_dir: str | os.PathLike | None, available: list[int] | None = None) -> int:
    """The year asked for (the latest when None), checked against the year folders (`available`, when the
    caller has already listed them)."""
    available = years(data_dir) if available is None else available
    if not available:
        raise DataError([Problem(file=str(resolve_data_dir(data_dir)), expected="at least one year folder (e.g. 2021/)",
                                 found="none", check="source")])
    if year is None:
        return available[-1]
    if int(year) not in available:
        raise ValueError(f"no data for year {year} in {resolve_data_dir(data_dir)}; "
                         f"available years: {', '.join(map(str, available))}")
    return int(year)


def shared_file(root: Path, name: str) -> Path:
    """The core catalogue or rules of a data directory: its own when it has one, else the packaged ones."""
    own = root / name
    return own if own.exists() else DEFAULT_DATA_DIR / name


# The core catalogue and rules every unit shares, then the unit's own extension (its named schools, its credit
# fund): the extension is never taken from the packaged folder, which is one unit's (thị trấn Cẩm Giang's).
CATALOG_FILES = ("catalog.csv", "catalog.local.csv")
RULES_FILES = ("rules.toml", "rules.local.toml")


def layered_files(root: Path, names: tuple[str, str]) -> list[tuple[Path, str, str]]:
    """(path, label, scope) of the core file and, where the unit has one, its local extension. The label is how
    problems name the file: relative for the unit's own files, the full path for the packaged core."""
    core_name, local_name = names
    core = shared_file(root, core_name)
    out = [(core, core_name if core.parent == root else f"{core} (packaged)", "core")]
    local = root / local_name
    if local.exists():
        out.append((local, local_name, "local"))
    return out


def catalog_files(root: Path) -> list[tuple[Path, str, str]]:
    return layered_files(root, CATALOG_FILES)


def rules_files(root: Path) -> list[tuple[Path, str, str]]:
    return layered_files(root, RULES_FILES)


def source_metadata(root: Path, year: int) -> dict:
    """A year's source.json as a dict, read without pandas (the runner's fast path). DataError when it cannot be
    read or is not a JSON object; its fields are checked by the validator."""
    from .checks.reading import ReadError, read_json

    label = f"{year}/source.json"
    try:
        meta = read_json(Path(root) / str(year) / "source.json", label)
    except ReadError as exc:
        raise DataError([exc.problem]) from None
    if not isinstance(meta, dict):
        raise DataError([Problem(file=label, expected="a JSON object", found=type(meta).__name__, check="structure")])
    return meta

"""The parameters of one report run, resolved: year, language, data directory, comparison year, metadata."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field

from ..checks import reading
from ..paths import catalog_files, resolve_data_dir, resolve_year, rules_files, years
from .i18n import LANGS


@dataclass(frozen=True)
class Context:
    year: int
    lang: str
    data_dir: str | None
    compare_year: int | None
    metadata: dict = field(hash=False, compare=False)

    @property
    def unit_name(self) -> str:
        unit = self.metadata.get("unit") or {}
        return ", ".join(x for x in (unit.get("name"), unit.get("district"), unit.get("province")) if x)


def default_compare_year(year: int, data_dir: str | os.PathLike | None) -> int | None:
    """The previous year present in the data, if any."""
    earlier = [y for y in years(data_dir) if y < year]
    return earlier[-1] if earlier else None


def context(year: int | None = None, lang: str = "vi", data_dir: str | os.PathLike | None = None,
            compare_year: int | None = None) -> Context:
    """Resolve a notebook's parameters; unknown year or language raises a clear ValueError."""
    from ..store import read_year

    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; available: {', '.join(LANGS)}")
    year = resolve_year(year, data_dir)
    if compare_year is None:
        compare_year = default_compare_year(year, data_dir)
    elif compare_year not in years(data_dir):
        raise ValueError(f"no data for compare_year {compare_year}; available years: "
                         f"{', '.join(map(str, years(data_dir)))}")
    metadata = read_year(year, data_dir).metadata
    return Context(year, lang, None if data_dir is None else str(data_dir), compare_year, metadata)


def data_version(year: int, data_dir: str | os.PathLike | None) -> str:
    """A short digest of the files a year's figures come from: it changes whenever a figure can."""
    root = resolve_data_dir(data_dir)
    digest = hashlib.sha256()
    for path in [root / str(year) / n for n in ("facts.csv", "derivations.csv", "sections.csv", "source.txt")] + \
            [path for path, _, _ in catalog_files(root) + rules_files(root)]:
        if reading.exists(path):
            digest.update(reading.read_bytes(path, path.name))
    return digest.hexdigest()[:12]

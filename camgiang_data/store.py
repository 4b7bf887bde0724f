"""Reading a data directory: one folder per report year, plus the shared catalogue and rules."""

from __future__ import annotations

import hashlib
import os
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from .checks import reading
from .checks.structure import check_metadata, check_rules_document
from .errors import DataError, Problem, ProblemList
from .paths import (CATALOG_FILES, DEFAULT_DATA_DIR, ORIGINAL_NAMES, RULES_FILES, catalog_files,  # noqa: F401
                    resolve_data_dir, resolve_year, rules_files, shared_file, years)
from .checks.schema import read_table



@dataclass
class YearData:
    """Everything one year folder holds, read and typed; `problems` lists what breaks the schema."""

    year: int
    root: Path
    source: str
    metadata: dict
    sections: pd.DataFrame
    facts: pd.DataFrame
    derivations: pd.DataFrame
    catalog: pd.DataFrame
    rules: list[dict]
    problems: list[Problem] = field(default_factory=list)
    derived_cache: dict = field(default_factory=dict, repr=False)  # results computed from this read, reused

    @property
    def folder(self) -> Path:
        return self.root / str(self.year)

    def source_of(self, year: int) -> "SourceText | None":
        """The report text and sections of year folder `year` (this year's own, or the report a carried-in row
        quotes); None when that folder has no readable source.txt. Its own problems are reported when that
        year is validated, not here."""
        if year == self.year:
            return SourceText(year, self.source, self.sections) if self.source else None
        cache = self.derived_cache.setdefault("sources", {})
        if year not in cache:
            folder = self.root / str(year)
            scratch = ProblemList()
            text = _read_source(folder, year, scratch)[0] if folder.is_dir() else ""
            sections = read_table(folder / "sections.csv", "sections", scratch, f"{year}/sections.csv") \
                if text else None
            cache[year] = SourceText(year, text, sections) if text else None
        return cache[year]

    def label(self, name: str) -> str:
        """How a file is named in messages: relative to the data directory."""
        return f"{self.year}/{name}"

    def raise_if_problems(self) -> None:
        if self.problems:
            raise DataError(self.problems)


@dataclass(frozen=True)
class SourceText:
    """One report's text and its section headings (what provenance checks a quote against)."""

    year: int
    text: str
    sections: pd.DataFrame


def _read_source(folder: Path, year: int, problems: ProblemList) -> tuple[str, bool]:
    """The report text and whether source.txt exists. A missing file is not reported here: a year folder
    waiting for its report (made by `camgiang new-year`) has none, and needs one only once a figure quotes it."""
    path = folder / "source.txt"
    label = f"{year}/source.txt"
    if not reading.exists(path):
        return "", False
    try:
        text = reading.read_text(path, label, limit=reading.MAX_REPORT_BYTES, what="the report text")
    except reading.ReadError as exc:
        problems.items.append(replace(exc.problem, check="source"))
        return "", True
    if not text.strip():
        problems.add(file=label, expected="the report text", found="an empty file", check="source")
    if not unicodedata.is_normalized("NFC", text):
        problems.add(file=label, expected="Unicode NFC text", found="another normalisation form", check="source",
                     hint="normalise it to NFC (e.g. with `camgiang extract`)")
    return text, True


def _needs_own_source(year: int, facts: pd.DataFrame, derivations: pd.DataFrame) -> bool:
    """Does any figure quote this year's own report (a filled fact without another source_year, or a
    derivation)?"""
    if len(derivations):
        return True
    if not len(facts):
        return False
    filled = facts["value"].notna() | facts["as_written"].notna() | facts["quote"].notna()
    own = facts["source_year"].isna() | (facts["source_year"] == year)
    return bool((filled & own).any())


def _read_metadata(folder: Path, year: int, source: str, problems: ProblemList) -> dict:
    path = folder / "source.json"
    label = f"{year}/source.json"
    if not reading.exists(path):
        problems.add(file=label, expected="the source metadata (source.json)", found="no such file", check="source")
        return {}
    try:
        meta = reading.read_json(path, label, what="the source metadata (source.json)")
    except reading.ReadError as exc:
        problems.items.append(replace(exc.problem, check="source"))
        return {}
    if not isinstance(meta, dict):
        problems.add(file=label, expected="a JSON object of metadata (document_number, date, …)",
                     found=f"a JSON {type(meta).__name__}", check="source")
        return {}
    problems.items.extend(check_metadata(meta, label))
    if meta.get("report_year") not in (None, year) and isinstance(meta.get("report_year"), int):
        problems.add(file=label, column="report_year", expected=str(year), found=str(meta.get("report_year")),
                     check="source")
    original, kept = meta.get("source_original"), meta.get("source_original_sha256")
    if isinstance(original, str) and original and isinstance(kept, str):
        path = folder / original
        try:
            raw = reading.read_bytes(path, f"{year}/{original}", limit=reading.MAX_ORIGINAL_BYTES)
        except reading.ReadError as exc:
            problems.items.append(replace(exc.problem, check="source"))
        else:
            if hashlib.sha256(raw).hexdigest() != kept:
                problems.add(file=f"{year}/{original}", expected=f"the report file recorded in source.json (sha256 "
                             f"{kept[:12]}…)", found="a changed file", hint="the original report is immutable: "
                             "restore it", check="source")
    digest = meta.get("source_sha256")
    if isinstance(digest, str) and digest and source and hashlib.sha256(source.encode("utf-8")).hexdigest() != digest:
        problems.add(file=f"{year}/source.txt", expected=f"the text recorded in source.json (sha256 {digest[:12]}…)",
                     found="a changed file", hint="the raw source is immutable: restore it", check="source")
    return meta


def read_catalog(root: Path, problems: ProblemList) -> pd.DataFrame:
    """The core catalogue and the unit's extension as one frame, each row with `_file` (the label problems name)
    and `scope` (core or local, by the file it stands in). An id is defined once across the files."""
    frames = []
    for path, label, scope in catalog_files(root):
        frame = read_table(path, "catalog", problems, label)
        frame["_file"] = label
        if scope == "local":
            stated = frame["scope"].fillna("local") if "scope" in frame else pd.Series("local", index=frame.index)
            for row, value in zip(frame["_row"], stated):
                if value != "local":
                    problems.add(file=label, row=int(row), column="scope", expected="local (catalog.local.csv holds "
                                 "the unit's own indicators)", found=str(value), hint="a core indicator belongs in "
                                 "the core catalogue; leave the cell empty", check="structure")
            frame["scope"] = "local"
        else:
            frame["scope"] = frame["scope"].fillna("core") if "scope" in frame else "core"
        frames.append(frame)
    catalog = pd.concat(frames, ignore_index=True)
    first = {}  # a duplicate within one file is the schema's (primary key): here only across the files
    for i, row, label in zip(catalog["indicator_id"], catalog["_row"], catalog["_file"]):
        if isinstance(i, str) and i in first and first[i] != label:
            problems.add(file=label, row=int(row), column="indicator_id", expected=f"an id not defined in "
                         f"{first[i]} already", found=i, hint="each indicator is defined once: in the core "
                         "catalogue, or in the unit's catalog.local.csv", check="structure")
        first.setdefault(i, label)
    return catalog


def _read_rules(path: Path, label: str, problems: ProblemList) -> list[dict]:
    """The rules of one rules file, each with `_line` (where its [[rule]] header stands) and `_file` (its label),
    or [] when unreadable."""
    try:
        text = reading.read_text(path, label)
        document = reading.read_toml(path, label)
    except reading.ReadError as exc:
        problems.items.append(replace(exc.problem, check="rules"))
        return []
    problems.items.extend(check_rules_document(document, label))
    rules = document.get("rule", [])
    if not isinstance(rules, list) or not all(isinstance(r, dict) for r in rules):
        return []
    headers = [n for n, line in enumerate(text.splitlines(), start=1) if line.strip().startswith("[[rule]]")]
    return [{**rule, "_line": headers[i] if i < len(headers) else None, "_file": label}
            for i, rule in enumerate(rules)]


_CACHE: dict[tuple, YearData] = {}


def _stamp(path: Path) -> tuple | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    except OSError as exc:  # a link loop, a permission: the read reports it; never cache past it
        return ("unreadable", exc.errno, os.urandom(8))
    # the inode changes on every atomic replace, even one within the file system's timestamp granularity
    return st.st_mtime_ns, st.st_size, st.st_ino


def _dependencies(root: Path, year: int, all_years: list[int]) -> list[Path]:
    """Every file a year's read depends on. Other years' report texts and sections count too: a carried-in row
    (source_year) is checked against them."""
    paths = [root / str(year) / n for n in ("source.txt", "source.json", "sections.csv", "facts.csv",
                                             "derivations.csv", *ORIGINAL_NAMES)]
    paths += [root / str(y) / n for y in all_years if y != year for n in ("source.txt", "sections.csv")]
    # the core files and the unit's extension, present or not: one that appears counts too
    paths += [shared_file(root, name) for name in (CATALOG_FILES[0], RULES_FILES[0])]
    paths += [root / name for name in (CATALOG_FILES[1], RULES_FILES[1])]
    return paths


def _fingerprint(root: Path, year: int, all_years: list[int]) -> tuple:
    """Stamps of every file a year depends on: the cache is reused only while none changed."""
    return tuple((str(p), _stamp(p)) for p in _dependencies(root, year, all_years))


def content_digest(root: Path, year: int, all_years: list[int]) -> str | None:
    """SHA-256 over the names and bytes of every file a year depends on (None if one cannot be read): what
    proves, in another process, that the files are those a handed-over read was made from."""
    digest = hashlib.sha256()
    for path in _dependencies(root, year, all_years):
        digest.update(str(path).encode() + b"\0")
        if not reading.exists(path):
            digest.update(b"absent")
            continue
        try:
            digest.update(hashlib.sha256(reading.read_bytes(path, limit=reading.MAX_ORIGINAL_BYTES)).digest())
        except reading.ReadError:
            return None
    return digest.hexdigest()


# A hand-over: `camgiang run` reads and checks each year once, in the parent, and its kernels start from that
# (a pickle named by HANDOVER_ENV) instead of doing it again, each. A kernel uses a year of it only when the
# content digest of the year's files, computed in the kernel, equals the one recorded with it; otherwise it
# reads the files itself. Each kernel unpickles its own copy: nothing it changes reaches another.
HANDOVER_ENV = "CAMGIANG_VALIDATED"
_handover: dict | None = None


def write_handover(path: str | os.PathLike, reads: list[YearData]) -> None:
    """Record these reads (with what was derived from them, e.g. the validation) for the kernels of a run."""
    import pickle

    entries = {}
    for data in reads:
        digest = content_digest(data.root, data.year, years(data.root))
        if read_year(data.year, data.root) is data:  # else a file changed since the read: kernels read it
            # what is keyed by an object's id() means nothing in another process (and could match another object)
            portable = replace(data, derived_cache={k: v for k, v in data.derived_cache.items() if isinstance(k, str)})
            entries[(str(data.root), data.year)] = (digest, portable)
    Path(path).write_bytes(pickle.dumps(entries, protocol=pickle.HIGHEST_PROTOCOL))


def _handed_over(root: Path, year: int, all_years: list[int]) -> YearData | None:
    global _handover
    path = os.environ.get(HANDOVER_ENV)
    if not path:
        return None
    if _handover is None:
        import pickle

        try:
            _handover = pickle.loads(reading.read_bytes(path, limit=reading.MAX_ORIGINAL_BYTES))
        except Exception:  # noqa: BLE001 - gone or unreadable: an optimisation lost, the files are read instead
            _handover = {}
    entry = _handover.pop((str(root), year), None)  # once: after that the ordinary cache holds it
    if entry is None or entry[0] is None or entry[0] != content_digest(root, year, all_years):
        return None
    return entry[1]


def forget(data_dir: str | os.PathLike | None = None) -> None:
    """Drop the cached reads of a data directory (after writing into it)."""
    root = resolve_data_dir(data_dir)
    for key in [k for k in _CACHE if k[0] == root]:
        del _CACHE[key]


def read_year(year: int | None = None, data_dir: str | os.PathLike | None = None) -> YearData:
    """Read and type one year folder (cached while its files are unchanged)."""
    root = resolve_data_dir(data_dir)
    all_years = years(root)
    year = resolve_year(year, root, all_years)
    key = (root, year, _fingerprint(root, year, all_years))
    if key in _CACHE:
        return _CACHE[key]
    handed = _handed_over(root, year, all_years)
    if handed is not None:
        _CACHE[key] = handed
        return handed
    folder = root / str(year)
    problems = ProblemList()
    source, source_exists = _read_source(folder, year, problems)
    metadata = _read_metadata(folder, year, source, problems)
    sections = read_table(folder / "sections.csv", "sections", problems, f"{year}/sections.csv")
    facts = read_table(folder / "facts.csv", "facts", problems, f"{year}/facts.csv")
    derivations = read_table(folder / "derivations.csv", "derivations", problems, f"{year}/derivations.csv")
    if not source_exists and _needs_own_source(year, facts, derivations):
        problems.add(file=f"{year}/source.txt", expected="the report text of this year (source.txt)",
                     found="no such file", hint=f"figures of {year}/facts.csv quote it; `camgiang extract REPORT.txt "
                     f"--year {year}` writes it", check="source")
    catalog = read_catalog(root, problems)
    rules = [rule for path, label, _ in rules_files(root) for rule in _read_rules(path, label, problems)]
    data = YearData(year, root, source, metadata, sections, facts, derivations, catalog, rules, problems.items)
    if len(_CACHE) >= 16:  # a few years of a few data directories; drop the oldest entry
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[key] = data
    return data

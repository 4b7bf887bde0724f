"""Adding a report year: the scaffold (`camgiang new-year`), and the helpers the extraction pipeline shares.

`scaffold` makes the folder of a new year: its metadata (copied from the previous year's, to be checked), the
section headings of the previous report, an empty derivations.csv, and a facts.csv with one *unfilled* row per
catalogue indicator (a figure to fill) plus the targets for the year that the previous report set (carried in,
their quotes checked against that report: `source_year`).

`extract_into` (the file side of `camgiang extract`) lives in `camgiang_data.ingest.pipeline`, with every other
step that turns a document into facts; it is imported here for the command line and older callers.
"""

from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import dataclass
from pathlib import Path

from .atomic import recover, replace_folder
from .checks import reading
from .errors import DataError
from .paths import catalog_files, resolve_data_dir, shared_file, years
from .checks.schema import render, table_schema, year_descriptor
from .ingest.merge import _int, is_filled as _is_filled

TARGET_KINDS = ("target", "target_change")


class NewYearError(Exception):
    """A refusal with a message for the person at the keyboard; nothing was changed."""


# ------------------------------------------------------------------------------------------------ files

def _field_names(schema_name: str) -> list[str]:
    return [f["name"] for f in table_schema(schema_name)["fields"]]


def _read(call, *args, **kwargs):
    """A read through the reading layer; a file that cannot be read is a refusal naming it."""
    try:
        return call(*args, **kwargs)
    except reading.ReadError as exc:
        raise NewYearError(f"cannot read {exc.problem}. Nothing was changed.") from None


def _label(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _read_csv(path: Path, label: str, required: tuple[str, ...] = ()) -> tuple[list[str], list[dict]]:
    """Header and rows (raw strings) of a CSV file; each row also carries `_line`, its first line number.
    `required`: columns the caller reads, refused by name when the header lacks them."""
    table = _read(reading.read_csv, path, label)
    missing = [c for c in required if c not in table.header]
    if missing:
        raise NewYearError(f"{label}, row 1: expected the columns {', '.join(required)}; found "
                           f"{','.join(table.header) or 'no header'} (missing: {', '.join(missing)}). Fix its "
                           "header first. Nothing was changed.")
    return table.header, table.records()


def _csv_text(fieldnames: list[str], rows: list[dict]) -> tuple[str, list[int]]:
    """CSV text (LF line ends, minimal quoting, as the packaged files) and each row's first line number."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fieldnames, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    lines, line = [], 2
    for row in rows:
        before = buffer.tell()
        writer.writerow({k: row.get(k, "") for k in fieldnames})
        lines.append(line)
        line += buffer.getvalue()[before:].count("\n")
    return buffer.getvalue(), lines


# ------------------------------------------------------------------------------------------------ new-year

@dataclass
class Scaffold:
    year: int
    base_year: int
    folder: Path
    indicators: int  # unfilled rows, one per catalogue indicator
    carried: list[dict]  # target rows carried in from the base year's report
    files: list[str]


def _base_year(root: Path, year: int) -> int:
    earlier = [y for y in years(root) if y < year and reading.exists(root / str(y) / "facts.csv")]
    if not earlier:
        raise NewYearError(f"no earlier year folder in {root} to start {year} from: new-year copies the "
                           "previous report's headings, metadata and targets (the packaged data has 2021; copy "
                           "it into your data folder first)")
    return earlier[-1]


def scaffold(year: int, data_dir: str | os.PathLike | None = None) -> Scaffold:
    """Create the folder of a new report year (refusing one that exists); see the module's docstring."""
    try:
        root = resolve_data_dir(data_dir)
    except DataError as exc:
        raise NewYearError(str(exc)) from None
    folder = root / str(year)
    if folder.exists():
        raise NewYearError(f"{folder} already exists: new-year never overwrites a year, so nothing was changed. "
                           f"To fill it from a report use `camgiang extract REPORT.txt --year {year}`; to start "
                           f"{year} again, move that folder away first.")
    recover(root)
    base = _base_year(root, year)
    base_folder = root / str(base)
    _refuse_broken_base(root, base, data_dir)
    rows, carried = _scaffold_rows(root, base, year)
    facts_text, _ = _csv_text(_field_names("facts"), rows + carried)

    files = {
        "facts.csv": facts_text,
        "sections.csv": _read(reading.read_text, base_folder / "sections.csv", f"{base}/sections.csv"),
        "derivations.csv": _csv_text(_field_names("derivations"), [])[0],
        "source.json": json.dumps(_metadata_from(root, base, year), ensure_ascii=False, indent=2) + "\n",
        "datapackage.json": render(year_descriptor(year)),
    }
    try:
        replace_folder(folder, files, new=True)  # the year appears complete, or not at all
    except FileExistsError:
        raise NewYearError(f"{folder} appeared while new-year ran: nothing was changed.") from None
    except OSError as exc:
        raise NewYearError(f"cannot write {folder}: {exc.strerror or exc}. Nothing was changed.") from None
    _forget(root)
    return Scaffold(year, base, folder, len(rows), carried, sorted(files))


def _refuse_broken_base(root: Path, base: int, data_dir) -> None:
    """A year is started from sound files only: what new-year copies (catalogue, targets, headings, metadata)
    must read and type cleanly."""
    from .errors import problem_lines
    from .store import read_year

    problems = read_year(base, root).problems
    if problems:
        where = f" --data-dir {data_dir}" if data_dir is not None else ""
        shown = "\n".join(problem_lines(problems, per_file=10, prefix="  "))
        raise NewYearError(f"the {base} data that the new year is made from has {len(problems)} error(s); fix "
                           f"them first (`camgiang validate --year {base}{where}`). Nothing was changed.\n{shown}")


def _scaffold_rows(root: Path, base: int, year: int) -> tuple[list[dict], list[dict]]:
    """The facts of a new year: one unfilled row per indicator the unit's previous year has (every catalogue
    indicator for the packaged town, the core ones for a unit started by `init`) or its catalog.local.csv
    defines (an indicator the unit added since), and the targets carried in."""
    catalog = [(c, scope) for path, label, scope in catalog_files(root)
               for c in _read_csv(path, label, ("indicator_id", "name_vi", "name_en", "unit"))[1]]
    _, previous = _read_csv(root / str(base) / "facts.csv", f"{base}/facts.csv", ("indicator_id",))
    kept = {r.get("indicator_id") for r in previous}
    catalog = [c for c, scope in catalog if c.get("indicator_id") in kept or scope == "local"]
    rows = [{
        "indicator_id": c["indicator_id"], "year": str(year), "kind": "actual", "mention": "1", "unit": c["unit"],
        "estimated": "false", "note": f"{c['name_vi']} / {c['name_en']}",
    } for c in catalog if c.get("indicator_id")]
    carried = []
    for row in _read_csv(root / str(base) / "facts.csv", f"{base}/facts.csv", ("indicator_id", "year", "kind"))[1]:
        if _int(row.get("year")) == year and row.get("kind") in TARGET_KINDS and _is_filled(row):
            carried.append({**{k: v for k, v in row.items() if k != "_line"},
                            "source_year": row.get("source_year") or str(base)})
    return rows, carried


HEADER_FIELDS = ("document_number", "date", "issuing_body", "title")
# What a report's header states, and so what is never carried from another year's source.json.
UNIT_FIELDS = ("name", "type", "district", "province")


def _metadata_from(root: Path, base: int, year: int) -> dict:
    """source.json of a new year: the administrative unit of the data directory (the base year's) and nothing of
    the base report itself: number, date and title are null until `extract` reads them from the new header (a
    number or date moved on from last year's would cite a document that does not exist)."""
    path = root / str(base) / "source.json"
    metadata = _read(reading.read_json, path, f"{base}/source.json") if reading.exists(path) else {}
    if not isinstance(metadata, dict):
        raise NewYearError(f"{base}/source.json: expected a JSON object of metadata; found a JSON "
                           f"{type(metadata).__name__}. Nothing was changed.")
    metadata = {k: v for k, v in metadata.items() if k not in ("source_original", "source_original_sha256",
                                                                "source_format", "title_en")}
    metadata.update({key: None for key in ("document_number", "date", "title")})
    metadata.update({
        "report_year": year,
        "source_file": "source.txt",
        "source_sha256": None,
        "metadata_note": f"Made by `camgiang new-year`: the unit and issuing body are the {base} folder's; the "
                         f"document number, date and title stay empty until `camgiang extract` reads them from "
                         f"the {year} report's header.",
    })
    return metadata


def _forget(root: Path) -> None:
    """Later reads in this process (e.g. the validation `extract` runs) must see the files just written."""
    from .store import forget

    forget(root)



# ------------------------------------------------------------------------------------------------ init

UNIT_TYPES = ("thị trấn", "phường", "xã")  # the commune-level types a unit's name may begin with


def _unit_of(header_unit: dict, given: str | None, report: str) -> dict:
    """The unit a first report is of: what its header states, or `--unit` ('xã Cẩm Vũ') where it states none."""
    if given:
        text = " ".join(given.split())
        kind = next((t for t in UNIT_TYPES if text.lower().startswith(t + " ")), None)
        if kind is None:
            raise NewYearError(f"--unit {given!r}: expected the unit's type and name, e.g. 'xã Cẩm Vũ', "
                               f"'phường Hải Tân' or 'thị trấn Lai Cách' (a type among {', '.join(UNIT_TYPES)}).")
        return {**{k: header_unit.get(k) for k in UNIT_FIELDS}, "name": text, "type": kind}
    if not header_unit.get("name"):
        raise NewYearError(f"{report}: its header names no administrative unit (no 'UBND xã …' line was found). "
                           "Give it with --unit, e.g. --unit 'xã Cẩm Vũ'. Nothing was written.")
    return {k: header_unit.get(k) for k in UNIT_FIELDS}


def init_unit(folder: str | os.PathLike, report: str | os.PathLike, year: int, unit: str | None = None):
    """Start the data folder of a unit from its first report (see `camgiang init --help`): the year folder with
    one row to fill per core indicator, its metadata from the report's header, then the extraction (patterns and
    tables only: there is no earlier report of the unit to learn from) and review.csv. Returns the extraction."""
    from .ingest.header import read_header
    from .ingest.pipeline import extract_into, read_report

    root = Path(folder)
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise NewYearError(f"{root} already exists and is not an empty folder: init starts a new unit's folder and "
                           "never writes into one in use. Give a new folder. Nothing was written.")
    if not root.parent.is_dir():
        raise NewYearError(f"{root.parent} does not exist: make it first (init makes only the unit's own folder). "
                           "Nothing was written.")
    document = read_report(report)
    stated = read_header(document.text).metadata()
    unit_meta = _unit_of(stated.get("unit", {}), unit, str(report))
    core_path = shared_file(root, "catalog.csv")  # the packaged core catalogue: the new folder has no extension yet
    _, catalog = _read_csv(core_path, _label(root, core_path), ("indicator_id", "name_vi", "name_en", "unit"))
    core = [c for c in catalog if c.get("indicator_id") and (c.get("scope") or "core") == "core"]
    rows = [{"indicator_id": c["indicator_id"], "year": str(year), "kind": "actual", "mention": "1",
             "unit": c["unit"], "estimated": "false", "note": f"{c['name_vi']} / {c['name_en']}"} for c in core]
    metadata = {key: None for key in HEADER_FIELDS}
    metadata.update({"report_year": year, "unit": unit_meta, "source_file": "source.txt", "source_sha256": None,
                     "language": "vi", "metadata_note": "Made by `camgiang init` from the unit's first report."})
    files = {
        "facts.csv": _csv_text(_field_names("facts"), rows)[0],
        "sections.csv": _csv_text(_field_names("sections"), [])[0],
        "derivations.csv": _csv_text(_field_names("derivations"), [])[0],
        "source.json": json.dumps(metadata, ensure_ascii=False, indent=2) + "\n",
        "datapackage.json": render(year_descriptor(year)),
    }
    made = not root.exists()
    root.mkdir(exist_ok=True)
    try:
        replace_folder(root / str(year), files, new=True)
        _forget(root)
        result = extract_into(report, year, root)
        if unit:  # the person's --unit stands where the header names none (extract writes what the header says)
            _keep_unit(root / str(year) / "source.json", unit_meta)
        return result, len(rows)
    except OSError as exc:
        _undo(root, made)
        raise NewYearError(f"cannot write {root / str(year)}: {exc.strerror or exc}. Nothing was written.") from None
    except BaseException:
        _undo(root, made)  # a unit half made is worse than none: the folder is as it was
        raise


def _keep_unit(path: Path, unit_meta: dict) -> None:
    from .atomic import write_text

    metadata = _read(reading.read_json, path, path.name)
    stated = metadata.get("unit") or {}
    metadata["unit"] = {**stated, **{k: v for k, v in unit_meta.items() if v and not stated.get(k)}}
    metadata["metadata_note"] = (metadata.get("metadata_note") or "") + " The unit's name and type are as given to " \
        "`camgiang init --unit` (the report's header does not state them)."
    write_text(path, json.dumps(metadata, ensure_ascii=False, indent=2) + "\n")
    _forget(path.parent.parent)


def _undo(root: Path, made: bool) -> None:
    import shutil

    _forget(root)  # before the folder goes: forgetting resolves it
    if made:
        shutil.rmtree(root, ignore_errors=True)
    else:
        for path in root.iterdir():
            shutil.rmtree(path, ignore_errors=True)

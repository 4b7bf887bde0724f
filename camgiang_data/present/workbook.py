"""The Excel workbook of one report year (`camgiang export --xlsx`): an about sheet, one sheet per topical table,
and the provenance of every stated figure, with headers in Vietnamese or English.

Every word a reader sees comes from `messages/workbook.toml` (indicator names from the catalogue). Numbers are
stored as numbers, never as text; the file appears whole or not at all (written beside the target, then renamed).
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..checks import reading

MESSAGES = Path(__file__).resolve().parents[1] / "messages" / "workbook.toml"
LANGS = ("vi", "en")

# Number formats, the same codes in both languages: in a format code "," means "group digits" and "." means "decimal
# point", and Excel shows them with the reader's own separators (7.804.089.625 and 12,5 in a Vietnamese Excel,
# 7,804,089,625 and 12.5 in an English one). A workbook carries no locale of its own, so these are its only formats.
WHOLE = "#,##0"
DECIMAL = "#,##0.0#"  # the report never prints more than two decimals; a derived figure keeps its full value
# Percent values are stored as the number the report prints (12.5 for "12,5%"), as in every table of the package,
# so that a cell equals the data's value. Excel's % format code would multiply by 100 (12.5 would show as 1250%);
# a quoted "%" is a literal suffix that shows the number as it is.
PERCENT_WHOLE = WHOLE + '"%"'
PERCENT_DECIMAL = DECIMAL + '"%"'
PLAIN_INTEGER = "0"  # years, mentions, a dose or wave number: no group separator (2021, not 2.021)
DATE = "yyyy-mm-dd"  # ISO dates in both languages
# Text cells are marked as text: "as written" holds the figure as printed ("04", "7.687.148.250"), which Excel must
# never turn into a number (the number is in the value column).
TEXT = "@"

SHEET_NAME_LIMIT = 31  # Excel's limit on a sheet name
_FORBIDDEN_IN_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")
_RESERVED_SHEET_NAMES = {"history"}  # Excel keeps it for its change tracking
_TEXT_WIDTH_LIMIT = 60

_ABOUT, _PROVENANCE = "about", "provenance"
_PROVENANCE_COLUMNS = ["indicator_id", "name", "year", "kind", "mention", "value", "qualifier", "unit",
                       "as_written", "quote", "section", "source_year"]


class ExportError(Exception):
    """The workbook cannot be written where asked: the message names the path and says why."""


@dataclass(frozen=True)
class Exported:
    path: Path
    year: int
    lang: str
    sheets: list[str]
    figures: int  # stated figures in the provenance sheet


@cache
def messages() -> dict:
    """The workbook's words: {group: {key: {"vi": …, "en": …}}}."""
    return reading.read_toml(MESSAGES, "camgiang_data/messages/workbook.toml")


class Words:
    """The workbook's words in one language. A table or column the message file does not know yet (a new table
    or dimension in the catalogue) is headed by its code rather than failing the export."""

    def __init__(self, lang: str):
        if lang not in LANGS:
            raise ValueError(f"unknown language {lang!r}; available: {', '.join(LANGS)}")
        self.lang = lang

    def _get(self, group: str, key: str, default: str | None = None) -> str:
        entry = messages().get(group, {}).get(key)
        if entry is None:
            if default is None:
                raise KeyError(f"no [{group}.{key}] in {MESSAGES.name}")
            return default
        return entry[self.lang]

    def column(self, key: str) -> str:
        return self._get("columns", key, key)

    def sheet(self, name: str) -> str:
        return self._get("sheets", name, name)

    def description(self, name: str) -> str:
        from ..checks.schema import TOPICAL_TABLES

        return self._get("descriptions", name, TOPICAL_TABLES.get(name, ""))

    def about(self, key: str, **values) -> str:
        text = self._get("about", key)
        return text.format(**values) if values else text

    def word(self, key: str) -> str:
        return self._get("words", key)


def sheet_names(wanted: list[str]) -> list[str]:
    """Excel sheet names for `wanted`, in order: forbidden characters replaced by "-", no leading or trailing
    apostrophe, at most 31 characters, and unique (Excel compares sheet names without regard to case)."""
    taken: set[str] = set()
    names = []
    for name in wanted:
        base = _FORBIDDEN_IN_SHEET_NAME.sub("-", name).strip().strip("'").strip() or "-"
        candidate, n = base[:SHEET_NAME_LIMIT].rstrip("'"), 2
        while candidate.casefold() in taken or candidate.casefold() in _RESERVED_SHEET_NAMES:
            suffix = f" ({n})"
            candidate, n = base[:SHEET_NAME_LIMIT - len(suffix)].rstrip("'") + suffix, n + 1
        taken.add(candidate.casefold())
        names.append(candidate)
    return names


# --- cells -------------------------------------------------------------------------------------------------------

def _plain(value):
    """A pandas/numpy cell as a plain Python value for openpyxl; missing → None (an empty cell)."""
    import pandas as pd

    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date() if value == value.normalize() else value.to_pydatetime()
    if hasattr(value, "item"):  # a numpy scalar
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def number_format(value: float, unit: str | None) -> str:
    """The format of a figure: whole or with decimals, with a "%" suffix for a percent (not scaled: see above)."""
    whole = float(value).is_integer()
    if unit == "percent":
        return PERCENT_WHOLE if whole else PERCENT_DECIMAL
    return WHOLE if whole else DECIMAL


@dataclass(frozen=True)
class _Column:
    key: str
    header: str
    kind: str  # figure (formatted by the row's unit) | number | integer | bool | date | text


def _column_kind(key: str, series) -> str:
    from pandas.api import types

    if key == "value":
        return "figure"
    if types.is_bool_dtype(series.dtype):
        return "bool"
    if types.is_integer_dtype(series.dtype):
        return "integer"
    if types.is_float_dtype(series.dtype):
        return "number"
    if types.is_datetime64_any_dtype(series.dtype):
        return "date"
    return "text"


def _integer_codes(series) -> bool:
    """A dimension whose every value is a whole number (a wave, a dose, an intake year): a number column. A code
    with a leading zero ("04") is a text, kept as it is."""
    present = series.dropna()
    return bool(len(present)) and all(re.fullmatch(r"0|[1-9]\d{0,8}", str(v)) for v in present)


def _sheet_from_frame(frame, keys: list[str], words: Words, names: dict[str, str], dimensions=()):
    """Columns and rows of one sheet: the frame's `keys`, `name` being the indicator's name in the language."""
    columns, rows = [], []
    for key in keys:
        if key == "name":
            columns.append(_Column(key, words.column(key), "text"))
        elif key in dimensions and _integer_codes(frame[key]):
            columns.append(_Column(key, words.column(key), "integer"))
        else:
            columns.append(_Column(key, words.column(key), _column_kind(key, frame[key])))
    for record in frame.to_dict("records"):
        row = []
        for column in columns:
            if column.key == "name":
                value = names.get(record["indicator_id"])
            else:
                value = _plain(record[column.key])
            if column.kind == "integer" and isinstance(value, str):
                value = int(value)
            row.append(value)
        rows.append(row)
    return columns, rows


def _put(ws, row: int, col: int, value):
    cell = ws.cell(row=row, column=col)
    cell.value = value
    if isinstance(value, str) and cell.data_type == "f":
        cell.data_type = "s"  # a text that begins with "=" is text, not a formula
    return cell


def _display_width(value, kind: str) -> int:
    if value is None:
        return 0
    if kind in ("figure", "number"):
        return len(f"{value:,.2f}") + 1
    if kind == "date":
        return 10
    return len(str(value))


def _write_table_sheet(ws, columns: list[_Column], rows: list[list]) -> None:
    """Header row (bold, frozen, with an auto-filter), then the rows; numbers as numbers with their format."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    for c, column in enumerate(columns, start=1):
        cell = _put(ws, 1, c, column.header)
        cell.font = bold
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    units = next((i for i, column in enumerate(columns) if column.key == "unit"), None)
    for r, row in enumerate(rows, start=2):
        for c, (column, value) in enumerate(zip(columns, row), start=1):
            cell = _put(ws, r, c, value)
            if value is None:
                continue
            if column.kind == "figure":
                cell.number_format = number_format(value, row[units] if units is not None else None)
            elif column.kind == "number":
                cell.number_format = number_format(value, None)
            elif column.kind == "integer":
                cell.number_format = PLAIN_INTEGER
            elif column.kind == "date":
                cell.number_format = DATE
            elif column.kind == "text":
                cell.number_format = TEXT
    for c, column in enumerate(columns, start=1):
        longest = max([len(column.header) * 0.8] + [_display_width(row[c - 1], column.kind) for row in rows])
        ws.column_dimensions[get_column_letter(c)].width = max(8, min(int(longest) + 2, _TEXT_WIDTH_LIMIT))
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(rows) + 1}"


def _meta_text(value, words: Words):
    return words.word("not_stated") if value is None or value == "" else value


def _write_about(ws, words: Words, meta: dict, year: int, data_dir, listing: list[tuple[str, str, int]],
                 provenance_sheet: str) -> None:
    from openpyxl.styles import Alignment, Font

    from .. import __version__
    from .context import data_version

    lang = words.lang
    unit = meta.get("unit") or {}
    unit_text = ", ".join(x for x in (unit.get("name"), unit.get("district"), unit.get("province")) if x)
    title = meta.get("title") if lang == "vi" else (meta.get("title_en") or meta.get("title"))
    body = meta.get("issuing_body") if lang == "vi" else (meta.get("issuing_body_en") or meta.get("issuing_body"))
    try:
        date = dt.date.fromisoformat(meta["date"]) if meta.get("date") else None
    except (TypeError, ValueError):
        date = meta.get("date")
    produced = words.about("produced_text", version=__version__, data_version=data_version(year, data_dir),
                           date=dt.date.today().isoformat())
    pairs = [
        ("report", _meta_text(title, words)),
        ("document_number", _meta_text(meta.get("document_number"), words)),
        ("date", _meta_text(date, words)),
        ("issuing_body", _meta_text(body, words)),
        ("unit_name", _meta_text(unit.get("name"), words)),
        ("unit_type", _meta_text(unit.get("type"), words)),
        ("district", _meta_text(unit.get("district"), words)),
        ("province", _meta_text(unit.get("province"), words)),
        ("unit_code", _meta_text(unit.get("code"), words)),
        ("year", year),
        ("produced", produced),
        ("invented", words.about("invented_text", provenance=provenance_sheet, formula=words.column("formula"),
                                 estimated=words.column("estimated"), value=words.column("value"))),
        ("percent", words.about("percent_text")),
    ]
    bold, wrap = Font(bold=True), Alignment(vertical="top", wrap_text=True)
    heading = _put(ws, 1, 1, words.about("heading", year=year, unit=unit_text or words.word("not_stated")))
    heading.font = Font(bold=True, size=14)
    r = 3
    for key, value in pairs:
        label = _put(ws, r, 1, words.about(key))
        label.font, label.alignment = bold, wrap
        cell = _put(ws, r, 2, value)
        cell.alignment = wrap
        if isinstance(value, dt.date):
            cell.number_format = DATE
        elif isinstance(value, int):
            cell.number_format = PLAIN_INTEGER
        r += 1
    r += 1
    _put(ws, r, 1, words.about("sheets")).font = Font(bold=True, size=12)
    r += 1
    for c, key in enumerate(("sheet", "contents", "rows"), start=1):
        _put(ws, r, c, words.about(key)).font = bold
    for name, description, count in listing:
        r += 1
        link = _put(ws, r, 1, name)
        link.hyperlink = f"#'{name.replace(chr(39), chr(39) * 2)}'!A1"
        link.style = "Hyperlink"
        _put(ws, r, 2, description).alignment = wrap
        _put(ws, r, 3, count).number_format = WHOLE
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 100
    ws.column_dimensions["C"].width = 10


# --- the workbook ------------------------------------------------------------------------------------------------

def resolve(year: int | None, data_dir) -> int:
    """The year to export (the latest when None); DataError / ValueError for a missing data directory or year."""
    from ..paths import resolve_data_dir, resolve_year

    return resolve_year(year, resolve_data_dir(data_dir))


def build(year: int | None = None, data_dir=None, lang: str = "vi"):
    """The workbook of one year, in memory: (openpyxl Workbook, year, sheet names in order, stated figures).

    Raises `DataError` when the data has errors (nothing is exported from data that does not validate)."""
    from openpyxl import Workbook

    from .. import load, source_metadata
    from ..checks.schema import TOPICAL_TABLES
    from ..topical import parse_dimensions, table_names

    words = Words(lang)
    year = resolve(year, data_dir)
    topical = [n for n in table_names() if n in TOPICAL_TABLES]
    facts = load("facts", year, data_dir)  # checks the year: a DataError here stops before anything is built
    catalog = load("catalog", year, data_dir)
    meta = source_metadata(year, data_dir)
    names = dict(zip(catalog["indicator_id"], catalog[f"name_{lang}"]))
    dimension_keys = {k for d in catalog["dimensions"] for k in parse_dimensions(d)}

    titles = sheet_names([words.sheet(_ABOUT), *(words.sheet(n) for n in topical), words.sheet(_PROVENANCE)])
    about_title, table_titles, provenance_title = titles[0], titles[1:-1], titles[-1]

    wb = Workbook()
    about = wb.active
    about.title = about_title
    listing = []
    for name, title in zip(topical, table_titles):
        frame = load(name, year, data_dir)
        keys = ["name" if c == "name_vi" else c for c in frame.columns if c != "name_en"]
        columns, rows = _sheet_from_frame(frame, keys, words, names, dimension_keys)
        _write_table_sheet(wb.create_sheet(title), columns, rows)
        listing.append((title, words.description(name), len(rows)))

    filled = facts["value"].notna() | facts["as_written"].notna() | facts["quote"].notna()
    stated = facts[(facts["basis"] == "stated") & filled]
    columns, rows = _sheet_from_frame(stated, _PROVENANCE_COLUMNS, words, names)
    _write_table_sheet(wb.create_sheet(provenance_title), columns, rows)
    listing.append((provenance_title, words.description(_PROVENANCE), len(rows)))

    _write_about(about, words, meta, year, data_dir, listing, provenance_title)
    wb.properties.title = words.about("heading", year=year, unit=(meta.get("unit") or {}).get("name") or "")
    wb.properties.creator = "camgiang"
    wb.properties.language = lang
    return wb, year, titles, len(rows)


def check_target(path) -> Path:
    """The file to write, or ExportError when it cannot be: a folder, or in a folder that does not exist."""
    target = Path(path)
    if target.is_dir():
        raise ExportError(f"{target} is a folder; give the path of the .xlsx file to write, e.g. "
                          f"{target / 'camgiang.xlsx'}")
    folder = target.parent
    if not folder.exists():
        raise ExportError(f"the folder {folder} does not exist; create it first (nothing was written)")
    if not folder.is_dir():
        raise ExportError(f"{folder} is not a folder, so {target} cannot be written (nothing was written)")
    return target


def export_xlsx(path, year: int | None = None, data_dir=None, lang: str = "vi") -> Exported:
    """Write the workbook of one year to `path`, atomically: the whole file, or nothing (an existing file is
    replaced only once the new one is complete on disk)."""
    from ..atomic import write_text

    target = check_target(path)
    wb, year, titles, figures = build(year, data_dir, lang)
    buffer = io.BytesIO()
    wb.save(buffer)
    try:
        write_text(target, buffer.getvalue())  # a temporary file beside the target, then os.replace
    except OSError as exc:
        raise ExportError(f"cannot write {target}: {exc.strerror or exc} (nothing was written)") from None
    return Exported(target, year, lang, titles, figures)


__all__ = ["ExportError", "Exported", "Words", "build", "check_target", "export_xlsx", "messages",
           "number_format", "sheet_names", "DATE", "DECIMAL", "PERCENT_DECIMAL", "PERCENT_WHOLE", "PLAIN_INTEGER",
           "TEXT", "WHOLE"]

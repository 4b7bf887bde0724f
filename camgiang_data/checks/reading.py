"""The one place data files are read. Every way a read can fail becomes a `Problem` naming the file (and the row
where there is one), what was expected and what was found, raised as `ReadError`; no OS, size, decoding or
parsing exception leaves this module.

Standard library only: `camgiang run` reads its notebooks and manifests through here on the fast path.
"""

from __future__ import annotations

import csv
import errno
import json
import os
import re
import stat
import tomllib
from dataclasses import dataclass
from pathlib import Path

from ..errors import Problem

MB = 1024 * 1024
# A report is some 100 KB of text; a year's CSV files a few hundred KB. The limits are far beyond any real file
# and far below what would take minutes to check (a 50 MB text took 80-95 s): a file past them is the wrong file.
MAX_REPORT_BYTES = 5 * MB
MAX_TABLE_BYTES = 20 * MB
MAX_JSON_BYTES = 20 * MB
# A report as received (.docx, .pdf) may carry pictures: its text is still held to MAX_REPORT_BYTES.
MAX_ORIGINAL_BYTES = 50 * MB


class ReadError(Exception):
    """A file that could not be read; `problem` says which, where and why."""

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(str(problem))


def _megabytes(size: int) -> str:
    return f"{size / MB:.1f} MB".replace(".", ",") if size >= MB else f"{size} bytes"


def _os_problem(exc: OSError, label: str, what: str) -> Problem:
    found = {
        errno.ENOENT: "no such file",
        errno.EISDIR: "a folder",
        errno.ENOTDIR: "a path through something that is not a folder",
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.ELOOP: "a symbolic link loop",
    }.get(exc.errno, exc.strerror or type(exc).__name__)
    hint = {
        errno.EACCES: "give your user permission to read it (e.g. `chmod u+r`)",
        errno.EPERM: "give your user permission to read it (e.g. `chmod u+r`)",
        errno.ELOOP: "a symbolic link points (through others) back at itself: replace it by the real file",
        errno.EISDIR: "a folder stands where the file should be",
    }.get(exc.errno)
    return Problem(file=label, expected=what, found=found, hint=hint, check="read")


def read_bytes(path: str | os.PathLike, label: str | None = None, *, limit: int = MAX_TABLE_BYTES,
               what: str | None = None) -> bytes:
    """The bytes of a regular file of at most `limit` bytes, or ReadError."""
    path = Path(path)
    label = label or str(path)
    what = what or f"the file {path.name}"
    try:
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        if not stat.S_ISREG(info.st_mode):  # a FIFO or device would block or never end
            raise ReadError(Problem(file=label, expected=what, found="not a regular file (a pipe or device?)",
                                    check="read"))
        if info.st_size > limit:
            raise ReadError(_too_big(label, what, info.st_size, limit))
        with open(path, "rb") as handle:
            raw = handle.read(limit + 1)
    except OSError as exc:
        raise ReadError(_os_problem(exc, label, what)) from None
    if len(raw) > limit:  # it grew while being read
        raise ReadError(_too_big(label, what, len(raw), limit))
    return raw


def _too_big(label: str, what: str, size: int, limit: int) -> Problem:
    return Problem(file=label, expected=f"{what}, at most {_megabytes(limit)}", found=f"a file of {_megabytes(size)}",
                   hint="far beyond any real file of its kind: is it the right file?", check="read")


def exists(path: str | os.PathLike) -> bool:
    """Is there something at `path` (a broken or looping link counts: reading it gives the error)?"""
    return os.path.lexists(path)


def decode_utf8(raw: bytes, label: str, what: str = "UTF-8 text") -> str:
    """Strict UTF-8 (a leading byte-order mark is dropped), or ReadError naming the line of the bad byte."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ReadError(Problem(file=label, row=line, expected=what,
                                found=f"byte 0x{raw[exc.start]:02x} at offset {exc.start}, not UTF-8",
                                hint="save the file as UTF-8 (in a spreadsheet: CSV UTF-8)", check="read")) from None
    return text.removeprefix("\ufeff")


def read_text(path: str | os.PathLike, label: str | None = None, *, limit: int = MAX_TABLE_BYTES,
              what: str | None = None) -> str:
    label = label or str(path)
    return decode_utf8(read_bytes(path, label, limit=limit, what=what), label)


@dataclass(frozen=True)
class CsvFile:
    """A CSV file's header (stripped) and its non-blank rows, each with the line it starts on (header = 1)."""

    label: str
    header: list[str]
    rows: list[tuple[int, list[str]]]

    def records(self) -> list[dict]:
        """Rows as dicts of raw strings, each with `_line`."""
        return [{**dict(zip(self.header, cells)), "_line": line} for line, cells in self.rows]


def parse_csv(text: str, label: str) -> CsvFile:
    """Rows of CSV text; a malformed row (an overlong cell, a NUL byte) is a ReadError naming its line."""
    reader = csv.reader(text.splitlines(keepends=True))
    rows: list[tuple[int, list[str]]] = []
    header: list[str] | None = None
    line = 0  # the last line read
    while True:
        start = line + 1
        try:
            cells = next(reader, None)
        except csv.Error as exc:
            message = str(exc)
            limit = re.search(r"field larger than field limit \((\d+)\)", message)
            expected = (f"cells of at most {int(limit.group(1)):,} characters".replace(",", ".") if limit
                        else "well-formed CSV (RFC 4180)")
            raise ReadError(Problem(file=label, row=start, expected=expected, found=message,
                                    hint='is a quote (") left open in this row?' if limit else None,
                                    check="read")) from None
        if cells is None:
            break
        line = reader.line_num
        if header is None:
            header = [h.strip().lstrip("\ufeff") for h in cells]
        elif any(c.strip() for c in cells):
            rows.append((start, cells))
    return CsvFile(label, header or [], rows)


def read_csv(path: str | os.PathLike, label: str | None = None, *, limit: int = MAX_TABLE_BYTES) -> CsvFile:
    label = label or str(path)
    return parse_csv(read_text(path, label, limit=limit), label)


def read_json(path: str | os.PathLike, label: str | None = None, *, limit: int = MAX_JSON_BYTES,
              what: str | None = None):
    label = label or str(path)
    text = read_text(path, label, limit=limit, what=what)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReadError(Problem(file=label, row=exc.lineno, expected="valid JSON",
                                found=f"{exc.msg} at column {exc.colno}", check="read")) from None


def read_toml(path: str | os.PathLike, label: str | None = None, *, limit: int = MAX_JSON_BYTES) -> dict:
    label = label or str(path)
    text = read_text(path, label, limit=limit)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise ReadError(Problem(file=label, row=int(where.group(1)) if where else None, expected="valid TOML",
                                found=message + (f" at column {where.group(2)}" if where else ""),
                                check="read")) from None

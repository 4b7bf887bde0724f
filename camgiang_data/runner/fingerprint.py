"""Incremental runs: a notebook is executed again only when something its page depends on has changed.

A fingerprint is a SHA-256 over the notebook file's bytes, its injected parameters, every file of the year
folder and of the compare-year folder, the catalogue and rules the data directory resolves to, and the
package itself (version, `*.py`, Table Schemas, the message files and the page templates), since a change in
the library can change every figure and every word.
The manifest of `<out>/<year>/<lang>/` records the fingerprint of each notebook's last *good* run.
Standard library only, and a few milliseconds: this is all a run does when nothing has changed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path

from .. import __version__
from ..checks import reading
from ..paths import catalog_files, rules_files
from ..atomic import write_text as publish
from .plan import Plan, PlanError, Task
from .results import Outcome

PACKAGE_DIR = Path(__file__).resolve().parents[1]
MANIFEST = "manifest.json"
FORMAT = 1


def _files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                  and not p.name.startswith("."))


def _add(digest, label: str, path: Path) -> None:
    try:
        content = reading.read_bytes(path, label)
    except reading.ReadError as exc:  # the data cannot be read: nothing can run (exit 2, as for bad data)
        raise PlanError(f"cannot read {exc.problem}; nothing was run") from None
    digest.update(label.encode() + b"\0" + hashlib.sha256(content).digest())


def shared_digest(plan: Plan) -> str:
    """What every notebook of this plan depends on: the package and the data (one pass for all notebooks)."""
    digest = hashlib.sha256(f"camgiang {__version__}\0kernel {plan.kernel}\0".encode())
    package = [p for p in PACKAGE_DIR.rglob("*.py") if "__pycache__" not in p.parts]
    package += list((PACKAGE_DIR / "checks" / "schemas").glob("*"))
    # the words readers see (messages/**/*.toml) and the pages' templates change pages as much as code does
    package += [p for p in (PACKAGE_DIR / "messages").rglob("*.toml")]
    package += [p for p in (PACKAGE_DIR / "runner" / "templates").rglob("*") if p.is_file()
                and "__pycache__" not in p.parts]
    for path in sorted(package):
        _add(digest, "package/" + path.relative_to(PACKAGE_DIR).as_posix(), path)
    for year in (plan.year, plan.compare_year):
        if year is not None:
            for path in _files(plan.data_root / str(year)):
                _add(digest, "data/" + path.relative_to(plan.data_root).as_posix(), path)
    for path, _, scope in catalog_files(plan.data_root) + rules_files(plan.data_root):
        _add(digest, f"data/{scope}/{path.name}", path)
    return digest.hexdigest()


def fingerprint(task: Task, shared: str) -> str:
    digest = hashlib.sha256(shared.encode())
    digest.update(hashlib.sha256(reading.read_bytes(task.notebook.path)).digest())
    digest.update(json.dumps(task.parameters, sort_keys=True).encode())
    return digest.hexdigest()


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Manifest:
    """`<out>/<year>/<lang>/manifest.json`: per notebook, the last good run and the last failure if any.

    A failure never overwrites the fingerprint of the last good run, whose page stays in place; a notebook
    whose last attempt failed is tried again on the next run even when nothing changed.
    """

    def __init__(self, folder: Path) -> None:
        self.path = Path(folder) / MANIFEST
        # a cache: one that cannot be read is rebuilt (every notebook runs again), never an error
        try:
            data = reading.read_json(self.path) if reading.exists(self.path) else {}
            self.entries: dict[str, dict] = data["notebooks"] if data.get("format") == FORMAT else {}
        except (reading.ReadError, KeyError, AttributeError, TypeError):
            self.entries = {}

    def is_current(self, task: Task, fingerprint: str) -> bool:
        entry = self.entries.get(task.name) or {}
        return (entry.get("fingerprint") == fingerprint and not entry.get("failure")
                and task.html_path.is_file() and task.ipynb_path.is_file())

    def record(self, outcome: Outcome, fingerprint: str) -> None:
        if outcome.status == "ok":
            self.entries[outcome.name] = {"fingerprint": fingerprint, "summary": outcome.summary,
                                          "built": _now(), "seconds": round(outcome.seconds, 2)}
        elif outcome.status == "failed":
            entry = self.entries.setdefault(outcome.name, {"fingerprint": None})
            entry["failure"] = {**asdict(outcome.failure), "at": _now()}

    def seconds(self, name: str) -> float:
        return float((self.entries.get(name) or {}).get("seconds") or 0)

    def save(self, year: int, lang: str) -> None:
        text = json.dumps({"format": FORMAT, "year": year, "lang": lang, "notebooks": self.entries},
                          ensure_ascii=False, indent=1, sort_keys=True) + "\n"
        publish(self.path, text)

"""The index page of `<out>/<year>/<lang>/`: every built notebook, in order, with its one-line summary.

Built from the manifest (titles come from the notebook files), so the fast path can refresh it without
executing anything; it is written only when its text changes, so an unchanged run touches no file. The page
is templates/camgiang/index_page.html.j2, in the layout of the reports, rendered by jinja2 alone (page.py):
no nbconvert on the fast path.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ..atomic import write_text as publish
from ..checks import reading
from . import page
from .plan import Notebook


def render(year: int, lang: str, notebooks: list[Notebook] | tuple[Notebook, ...], entries: dict[str, dict],
           folder: Path, source: dict | None = None) -> str:
    """`entries` are the manifest's; a notebook without an entry was never attempted and is left out.
    `source` is the year's source.json: the administrative unit and the report it comes from.
    The values are text: the template (index_page.html.j2, autoescape on) escapes them."""
    labels = page.labels(lang)
    items = []
    for nb in sorted(notebooks, key=lambda nb: nb.sort_key):
        entry = entries.get(nb.name)
        if entry is None:
            continue
        good = entry.get("fingerprint") is not None and (folder / f"{nb.name}.html").is_file()
        failure = entry.get("failure")
        note = None
        if failure:
            note = labels["previous"].format(built=entry.get("built", "?")) if good else labels["none"]
        items.append({"title": nb.title(lang), "href": f"{nb.name}.html" if good else None,
                      "failed": bool(failure), "note": note,
                      "summary": entry.get("summary") if good else None})
    source = source or {}
    # what source.json says, and "not stated" for what the report's header does not state (null)
    heading = labels["index"].format(year=year, unit=(source.get("unit") or {}).get("name") or labels["not_stated"])
    origin = labels["source"].format(number=source.get("document_number") or labels["not_stated"],
                                     date=_date(source.get("date"), lang) or labels["not_stated"])
    return page.render("index_page.html.j2", heading, lang, origin=origin, reports=items)


def _date(iso: str | None, lang: str) -> str:
    """The report's date as every page writes it (numbers.format_date: Babel, 11 ms to import)."""
    from ..numbers import format_date

    try:
        return format_date(iso, lang)
    except ValueError:  # not an ISO date: source.json's own check reports it
        return ""


def inputs_key(inputs: str, year: int, lang: str, notebooks, entries: dict[str, dict], folder: Path) -> str:
    """A digest of everything the index is made from: `inputs` (the run's digest of the package and the data,
    so the templates, the words and source.json), the notebooks' names and titles, the manifest's entries and
    which pages exist."""
    described = [[nb.name, nb.titles, nb.order, nb.heading, (Path(folder) / f"{nb.name}.html").is_file()]
                 for nb in sorted(notebooks, key=lambda nb: nb.name)]
    text = json.dumps([inputs, year, lang, described, entries], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def write(year: int, lang: str, notebooks, entries: dict[str, dict], folder: Path, source: dict | None = None,
          inputs: str | None = None) -> Path:
    """Write the index if its text changed. With `inputs` (see inputs_key), an index made from the same inputs
    is not even rendered again: the page ends with a comment naming them (and jinja2 and Babel stay unloaded)."""
    path = Path(folder) / "index.html"
    mark = f"\n<!-- camgiang index inputs {inputs_key(inputs, year, lang, notebooks, entries, folder)} -->\n" \
        if inputs else ""
    try:
        old = reading.read_text(path)
    except reading.ReadError:
        old = None
    if mark and old is not None and old.endswith(mark):
        return path
    text = render(year, lang, notebooks, entries, folder, source) + mark.lstrip("\n")
    if old != text:
        publish(path, text)
    return path

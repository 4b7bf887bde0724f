"""The index page of `<out>/<year>/<lang>/`: every built notebook, in order, with its one-line summary.

Built from the manifest (titles come from the notebook files), so the fast path can refresh it without
executing anything; it is written only when its text changes, so an unchanged run touches no file.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from ..atomic import write_text as publish
from ..checks import reading
from .page import LABELS, page
from .plan import Notebook


def render(year: int, lang: str, notebooks: list[Notebook] | tuple[Notebook, ...], entries: dict[str, dict],
           folder: Path, source: dict | None = None) -> str:
    """`entries` are the manifest's; a notebook without an entry was never attempted and is left out.
    `source` is the year's source.json: the administrative unit and the report it comes from."""
    labels = LABELS[lang]
    items = []
    for nb in sorted(notebooks, key=lambda nb: nb.sort_key):
        entry = entries.get(nb.name)
        if entry is None:
            continue
        title = escape(nb.title(lang))
        good = entry.get("fingerprint") is not None and (folder / f"{nb.name}.html").is_file()
        link = f'<a href="{escape(nb.name)}.html">{title}</a>' if good else title
        lines = [link]
        failure = entry.get("failure")
        if failure:
            note = labels["previous"].format(built=entry.get("built", "?")) if good else labels["none"]
            lines.append(f'<span class="badge">{labels["failed"]}</span> <small>{escape(note)}</small>')
        if good and entry.get("summary"):
            lines.append(f'<p class="summary">{escape(entry["summary"])}</p>')
        css = ' class="failed"' if failure else ""
        items.append(f"<li{css}>{' '.join(lines)}</li>")
    source = source or {}
    # what source.json says, and "not stated" for what the report's header does not state (null)
    heading = labels["index"].format(year=year, unit=(source.get("unit") or {}).get("name") or labels["not_stated"])
    origin = labels["source"].format(number=source.get("document_number") or labels["not_stated"],
                                     date=_date(source.get("date")) or labels["not_stated"])
    body = (f"<h1>{escape(heading)}</h1>\n<p class=\"meta\">{escape(origin)}</p>\n<ol class=\"reports\">\n"
            + "\n".join(items) + "\n</ol>")
    return page(heading, body, lang)


def _date(iso: str | None) -> str:
    """2022-01-04 → 04/01/2022, the way the report itself writes dates (no Babel on this cheap path)."""
    if not iso or len(iso) != 10:
        return ""
    return f"{iso[8:10]}/{iso[5:7]}/{iso[0:4]}"


def write(year: int, lang: str, notebooks, entries: dict[str, dict], folder: Path, source: dict | None = None) -> Path:
    path = Path(folder) / "index.html"
    text = render(year, lang, notebooks, entries, folder, source)
    try:
        unchanged = reading.read_text(path) == text
    except reading.ReadError:
        unchanged = False
    if not unchanged:
        publish(path, text)
    return path

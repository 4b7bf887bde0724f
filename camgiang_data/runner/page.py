"""The published pages' layout and words: one file each, readable offline and printable on A4.

The layout is a set of Jinja templates in templates/camgiang/ (an nbconvert template folder): layout.html.j2
(doctype, language, title, the inline CSS of page.css, the <main>), extended by index.html.j2 for a report
(rendered by nbconvert's HTMLExporter, export.py) and by index_page.html.j2 for the index (rendered here, by
a plain Jinja environment with autoescape on, so that the fast path of `camgiang run` never imports
nbconvert). Our own page rather than nbconvert's `lab` or `classic` ones: those load require.js and MathJax
from CDNs and carry a large stylesheet for code cells that our pages never show.

The words of the chrome (the index's heading, the link back to it…) are data: messages/page.toml, vi and en
side by side. Standard library and jinja2 (imported when a page is rendered).
"""

from __future__ import annotations

import functools
from pathlib import Path

from ..checks import reading

TEMPLATES = Path(__file__).resolve().with_name("templates")  # nbconvert's extra_template_basedirs
TEMPLATE = "camgiang"  # nbconvert's template_name: the folder TEMPLATES / TEMPLATE
MESSAGES = Path(__file__).resolve().parents[1] / "messages" / "page.toml"
LANGS = ("vi", "en")


@functools.cache
def words_file(path: Path) -> dict[str, dict[str, str]]:
    """A flat message file of the runner's pages (page.toml, compare.toml): every [key] with vi and en. Read
    without the presentation package, which the nothing-changed path must not import."""
    label = f"camgiang_data/messages/{path.name}"
    words = reading.read_toml(path, label)
    for key, entry in words.items():
        missing = [lang for lang in LANGS if not isinstance(entry, dict) or not isinstance(entry.get(lang), str)]
        if missing:
            raise ValueError(f"{label}: [{key}] has no {' or '.join(missing)} text")
    return words


def labels(lang: str) -> dict[str, str]:
    """The chrome's words in `lang`: key → text ({placeholders} still to fill)."""
    return {key: entry[lang] for key, entry in words_file(MESSAGES).items()}


def context(title: str, lang: str, **more) -> dict:
    """What the templates read as resources.camgiang."""
    return {"title": title, "lang": lang, "labels": labels(lang), **more}


@functools.cache
def environment():
    """The Jinja environment of the index page: the same template folder as nbconvert's, autoescape on (every
    value is text), undefined names an error rather than an empty string."""
    import jinja2

    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES / TEMPLATE), autoescape=True,
                              undefined=jinja2.StrictUndefined)


def render(template: str, title: str, lang: str, **more) -> str:
    """A page from one of our templates (not a notebook: export.html_page renders those)."""
    return environment().get_template(template).render(resources={"camgiang": context(title, lang, **more)})

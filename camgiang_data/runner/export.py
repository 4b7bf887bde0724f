"""An executed notebook → the published page (no code, no scripts) and the kept .ipynb (no machine paths).

The page is nbconvert's HTMLExporter with our template (templates/camgiang/index.html.j2, on nbconvert's
`basic`): outputs only (inputs, prompts and markdown cells excluded), in the layout shared with the index
(page.py); images stay embedded as data URIs. Nothing in it runs or loads: the template emits no script,
and HTML and markdown outputs go through an allow-list sanitiser (clean_output_html). The kept .ipynb is for
analysts: it may travel to another machine, so absolute paths of this one are made relative to the folder
the .ipynb sits in.
"""

from __future__ import annotations

import ast
import copy
import os
import re
import sys
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def _without(module: str):
    """Import with `module` unavailable. jsonschema (via nbformat) imports rfc3987_syntax when installed,
    which builds a grammar for IRI formats at import time: 2.7 s on this machine, for format checks that
    nbformat's schema never uses. The block is lifted again once the imports are done."""
    blocked = module not in sys.modules
    if blocked:
        sys.modules[module] = None  # type: ignore[assignment]
    try:
        yield
    finally:
        if blocked and sys.modules.get(module, 0) is None:
            del sys.modules[module]


with _without("rfc3987_syntax"):
    import nbformat
    from nbconvert import HTMLExporter

from . import page  # noqa: E402

_EXPORTER: HTMLExporter | None = None
ANALYST_TAG = "analyst"  # cells for analysts: kept in the .ipynb, removed from the page


class ExportError(Exception):
    """A page that would run or load something: not published (the previous page stays)."""


# --- output HTML -------------------------------------------------------------------------------------------
# Outputs of type text/html (and markdown rendered to HTML) are the notebook's own markup: tables and charts of
# camgiang_data.present, but any cell may display anything, <script> and <link rel=stylesheet href=http://…>
# included. nbconvert sanitises them when `sanitize_html` is on, with its `clean_html` filter: bleach (an
# nbconvert dependency, always installed; nh3 is not) with bleach's small allow-list, which *escapes*
# headings, paragraphs, <th>, <thead>, <img>, <figure>, <caption>… so a report would show its markup as text.
# The exporter replaces that filter with this one: bleach again, with the allow-list of a report page.

_TAGS = frozenset({
    "a", "abbr", "article", "aside", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code", "col",
    "colgroup", "data", "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure",
    "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol",
    "p", "pre", "q", "s", "samp", "section", "small", "span", "strong", "sub", "summary", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var", "wbr"})
# dropped with their content (bleach would keep the text of an element it strips: a script's source as text);
# a <style> may @import or url() from the network (pandas' scoped style for DataFrames: page.css has its rule)
_DROPPED = frozenset({"script", "style"})
_ATTRIBUTES = {
    "*": {"class", "id", "title", "lang", "dir", "style"},
    "a": {"href"}, "img": {"src", "alt", "width", "height"}, "td": {"colspan", "rowspan", "headers"},
    "th": {"colspan", "rowspan", "headers", "scope"}, "col": {"span"}, "colgroup": {"span"},
    "ol": {"start", "type", "reversed"}, "time": {"datetime"}, "data": {"value"}, "details": {"open"},
    "table": {"border"},  # pandas' DataFrame tables
}
# properties that cannot take url() (so not background, list-style, cursor, content…)
_CSS = frozenset({
    "text-align", "vertical-align", "white-space", "font-weight", "font-style", "font-variant",
    "font-variant-numeric", "font-size", "text-decoration", "color", "background-color", "width", "min-width",
    "max-width", "height", "padding", "padding-left", "padding-right", "padding-top", "padding-bottom",
    "margin", "margin-left", "margin-right", "margin-top", "margin-bottom", "border-collapse", "display"})
_SCHEME = re.compile(r"^[a-z][a-z0-9+.\-]*:")
_CLEANER = None


def _local(tag: str, name: str, value: str) -> bool:
    """A reference that opens offline: relative, a fragment, or an embedded image (data:image/…)."""
    url = re.sub(r"[`\x00-\x20\x7f-\xa0\s]+", "", value).lower()  # as browsers read it (and bleach)
    if url.startswith(("//", "\\", "/\\", "\\/")):
        return False  # protocol-relative: the network
    if _SCHEME.match(url):
        return tag == "img" and name == "src" and url.startswith("data:image/")
    return True


def _allowed(tag: str, name: str, value: str) -> bool:
    if name not in _ATTRIBUTES["*"] and name not in _ATTRIBUTES.get(tag, ()):
        return False
    return _local(tag, name, value) if name in ("href", "src") else True


def _cleaner():
    global _CLEANER
    if _CLEANER is None:
        from bleach.css_sanitizer import CSSSanitizer
        from bleach.html5lib_shim import Filter
        from bleach.sanitizer import Cleaner

        class DropContent(Filter):
            """Drop script and style elements with everything in them."""

            def __iter__(self):
                depth = 0
                for token in Filter.__iter__(self):
                    if token.get("name") in _DROPPED and token["type"] in ("StartTag", "EndTag", "EmptyTag"):
                        depth += {"StartTag": 1, "EndTag": -1}.get(token["type"], 0)
                        depth = max(depth, 0)
                    elif not depth:
                        yield token

        # bleach checks href/src twice: _allowed (what opens offline), then its protocol list, which must
        # then let relative references through (it does so only when http or https is in it)
        _CLEANER = Cleaner(tags=_TAGS | _DROPPED, attributes=_allowed, protocols={"http", "https", "data"},
                           strip=True, strip_comments=True, filters=[DropContent],
                           css_sanitizer=CSSSanitizer(allowed_css_properties=_CSS))
    return _CLEANER


def clean_output_html(html) -> str:
    """The `clean_html` filter of our exporter: an output's HTML with only what a report page may hold."""
    html = html.decode() if isinstance(html, bytes) else str(html)
    return _cleaner().clean(html)


# the template's own first lines, as the HTMLExporter's last step leaves them (see html_page)
_SOUP_HEAD = re.compile(r'\A<!DOCTYPE html>\n+(<html lang="[^"<>]*">)\n<meta charset="utf-8"/>')
# what a published page never holds; the template and the sanitiser make sure of it, this only checks
_ACTIVE = re.compile(r"<(script|link|iframe|object|embed|base)\b", re.I)


def exporter() -> HTMLExporter:
    """One exporter per process. Created (and warmed) in the parent before forking, so every worker inherits
    the compiled templates instead of spending half a second loading them."""
    global _EXPORTER
    if _EXPORTER is None:
        from traitlets.config import Config

        config = Config()
        # a cell tagged `analyst` shows a frame for the analyst in JupyterLab (and in the kept .ipynb): not on
        # the reader's page
        config.TagRemovePreprocessor.remove_cell_tags = {ANALYST_TAG}
        config.TagRemovePreprocessor.enabled = True
        # validate the notebook once, after the preprocessors, not after each of the dozen (most of them off)
        config.Exporter.optimistic_validation = True
        _EXPORTER = HTMLExporter(config=config, template_name=page.TEMPLATE, extra_template_basedirs=[str(page.TEMPLATES)],
                                 exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True,
                                 # readers' text comes from outputs, in their language; markdown cells are
                                 # notes for analysts in JupyterLab and cannot switch language
                                 exclude_markdown=True,
                                 # nbconvert's own switch: no javascript output, widget view or widget
                                 # state (the template empties those blocks too), HTML outputs cleaned...
                                 sanitize_html=True,
                                 # ...by our allow-list rather than nbconvert's (see clean_output_html)
                                 filters={"clean_html": clean_output_html})
    return _EXPORTER


def warm_up() -> None:
    """Render one of each kind of cell and output, so that every template and filter is loaded."""
    code = nbformat.v4.new_code_cell("", outputs=[
        nbformat.v4.new_output("stream", name="stdout", text="x"),
        nbformat.v4.new_output("display_data", data={"text/html": "<b>x</b>", "text/plain": "x"}),
        nbformat.v4.new_output("execute_result", data={"text/markdown": "*x*"}, execution_count=1)])
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# warm-up"), code])
    html_page(nb, "warm-up", "vi")


def summary_line(nb) -> str | None:
    """First line of text output of the code cell tagged `summary` (stdout, text/markdown or text/plain)."""
    for cell in nb.cells:
        if cell.cell_type != "code" or "summary" not in cell.metadata.get("tags", []):
            continue
        for output in cell.get("outputs", []):
            if output.output_type == "stream" and output.name == "stdout":
                text = output.text
            elif output.output_type in ("execute_result", "display_data"):
                data = output.get("data", {})
                text = data.get("text/markdown") or _unquote(data.get("text/plain") or "")
            else:
                continue
            text = "".join(text) if isinstance(text, list) else text
            for line in text.splitlines():
                if line.strip():
                    return line.strip()
    return None


def _unquote(text: str) -> str:
    """A cell ending in a string shows its repr ('…'): the summary is the string itself."""
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        try:
            value = ast.literal_eval(text)
        except (ValueError, SyntaxError):
            return text
        return value if isinstance(value, str) else text
    return text


def html_page(nb, title: str, lang: str) -> str:
    """The published page. Warnings printed to stderr are for analysts (they have the .ipynb), not readers.
    No build time in the chrome: the same inputs give the same bytes (the notebooks state their provenance)."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.outputs if not (o.output_type == "stream" and o.name == "stderr")]
            if "injected-parameters" in cell.metadata.get("tags", []):
                cell.id = "injected-parameters"  # papermill gives it a new random id on every run
    html, _ = exporter().from_notebook_node(nb, resources={"camgiang": page.context(title, lang)})
    # HTMLExporter ends by re-parsing the page with BeautifulSoup (to give images without alt text one) and
    # writes it back: the doctype as <!DOCTYPE html> and a blank line, void elements as <meta …/>. Valid
    # HTML all the same; the first lines are put back as the template wrote them.
    html = _SOUP_HEAD.sub(lambda m: f'<!doctype html>\n{m[1]}\n<meta charset="utf-8">', html, count=1)
    active = _ACTIVE.search(html)
    if active:
        raise ExportError(f"the page would hold a <{active[1]}> element: not published")
    return html


def portable(path: str, folder: Path) -> str:
    """`path` relative to `folder`; when the two share nothing but the filesystem root, a relative path
    would spell out the absolute one, so only the last component is kept, marked as elided."""
    target = Path(path)
    if os.path.commonpath([target, folder]) == target.anchor:
        return f"…/{target.name}"
    return os.path.relpath(target, folder)


def _is_path(value) -> bool:
    return isinstance(value, str) and os.path.isabs(value) and "\n" not in value and len(value) < 4096


def _scrub_tree(node, folder: Path):
    """Drop every `cwd` key; make every absolute-path string relative."""
    if isinstance(node, dict):
        for key in [k for k in node if k == "cwd"]:
            del node[key]
        for key, value in node.items():
            node[key] = portable(value, folder) if _is_path(value) else _scrub_tree(value, folder)
    elif isinstance(node, list):
        node[:] = [portable(v, folder) if _is_path(v) else _scrub_tree(v, folder) for v in node]
    return node


def kept_ipynb(nb, source: Path, target: Path) -> str:
    """The executed notebook as analysts keep it: papermill's input/output paths, parameters (data_dir
    above all, which the kernel received as an absolute path) and the injected-parameters cell rewritten."""
    nb = copy.deepcopy(nb)
    folder = target.parent.resolve()
    meta = nb.metadata.setdefault("papermill", {})
    replacements = {v: portable(v, folder) for v in (meta.get("parameters") or {}).values() if _is_path(v)}
    _scrub_tree(nb.metadata, folder)
    meta["input_path"] = portable(str(source.resolve()), folder)
    meta["output_path"] = target.name
    for cell in nb.cells:
        _scrub_tree(cell.metadata, folder)
        if "injected-parameters" in cell.metadata.get("tags", []):
            for old in sorted(replacements, key=len, reverse=True):
                cell.source = cell.source.replace(old, replacements[old])
    return nbformat.writes(nb)

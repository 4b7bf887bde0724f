"""An executed notebook → the published page (no code, no scripts) and the kept .ipynb (no machine paths).

The page body is nbconvert's `basic` template (a fragment) with inputs and prompts excluded, wrapped in
page.page(); images stay embedded as data URIs. The kept .ipynb is for analysts: it may travel to another
machine, so absolute paths of this one are made relative to the folder the .ipynb sits in.
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

from .page import LABELS, page  # noqa: E402

_EXPORTER: HTMLExporter | None = None
# nbconvert's basic template may emit widget-state or MathJax scripts, and outputs may carry <script> or
# <link rel=stylesheet> of their own: a published page loads nothing and runs nothing.
_SCRIPT = re.compile(r"<script\b.*?</script\s*>", re.S | re.I)
_LINK = re.compile(r"<link\b[^>]*>", re.I)


def exporter() -> HTMLExporter:
    """One exporter per process. Created (and warmed) in the parent before forking, so every worker inherits
    the compiled templates instead of spending half a second loading them."""
    global _EXPORTER
    if _EXPORTER is None:
        _EXPORTER = HTMLExporter(template_name="basic", exclude_input=True, exclude_input_prompt=True,
                                 exclude_output_prompt=True,
                                 # readers' text comes from outputs, in their language; markdown cells are
                                 # notes for analysts in JupyterLab and cannot switch language
                                 exclude_markdown=True)
    return _EXPORTER


def warm_up() -> None:
    """Render one of each kind of cell and output, so that every template and filter is loaded."""
    code = nbformat.v4.new_code_cell("", outputs=[
        nbformat.v4.new_output("stream", name="stdout", text="x"),
        nbformat.v4.new_output("display_data", data={"text/html": "<b>x</b>", "text/plain": "x"}),
        nbformat.v4.new_output("execute_result", data={"text/markdown": "*x*"}, execution_count=1)])
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# warm-up"), code])
    exporter().from_notebook_node(nb)


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
    body, _ = exporter().from_notebook_node(nb)
    body = _LINK.sub("", _SCRIPT.sub("", body))
    return page(title, body, lang, nav=f'<a href="index.html">{LABELS[lang]["contents"]}</a>')


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

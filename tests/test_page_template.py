"""The published page from nbconvert's template folder runner/templates/camgiang/: a report page and the index share
one layout (doctype, language, title, the CSS inline); nothing in a page runs or loads, whatever the outputs
carry; every value of the index is escaped; the chrome's words come from messages/page.toml.

No kernel here: the notebooks are built with nbformat, outputs included, and exported as the runner exports them.
"""

from __future__ import annotations

import re
from pathlib import Path

# before nbformat: export imports it without a slow optional dependency (export._without)
from camgiang_data.runner import export  # isort: skip

import nbformat
import pytest

from camgiang_data.checks import reading
from camgiang_data.runner import index, page
from camgiang_data.runner.plan import Notebook

CSS = (page.TEMPLATES / page.TEMPLATE / "page.css").read_text(encoding="utf-8").strip()
EXTERNAL = re.compile(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", re.I)


def notebook(*outputs, widgets: bool = False):
    cells = [nbformat.v4.new_markdown_cell("# Notes for analysts only"),
             nbformat.v4.new_code_cell("SOURCE_OF_THE_CELL = 1", outputs=list(outputs))]
    nb = nbformat.v4.new_notebook(cells=cells)
    if widgets:
        nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}, "version_major": 2}}
    return nb


def html_output(markup: str):
    return nbformat.v4.new_output("display_data", data={"text/html": markup, "text/plain": "plain twin"})


def test_the_exporter_uses_the_camgiang_template():
    exporter = export.exporter()
    assert exporter.template_name == "camgiang"
    assert str(page.TEMPLATES) in exporter.extra_template_basedirs
    assert Path(exporter.template.filename) == page.TEMPLATES / "camgiang" / "index.html.j2"
    assert exporter.exclude_input and exporter.exclude_input_prompt and exporter.exclude_output_prompt
    assert exporter.exclude_markdown and exporter.sanitize_html
    assert exporter.environment.filters["clean_html"] is export.clean_output_html
    conf = reading.read_json(page.TEMPLATES / "camgiang" / "conf.json")
    assert conf["base_template"] == "basic"


def test_a_report_page_is_the_whole_document_in_the_shared_layout():
    html = export.html_page(notebook(html_output("<p>Kept paragraph</p>")), "Tiêu đề <b>A</b> & B", "vi")
    assert html.startswith('<!doctype html>\n<html lang="vi">\n<meta charset="utf-8">')
    assert "<title>Tiêu đề &lt;b&gt;A&lt;/b&gt; &amp; B</title>" in html
    assert '<nav><a href="index.html">← Mục lục</a></nav>' in html
    assert re.search(r"<main>\n.*Kept paragraph.*\n</main>\n</html>\n\Z", html, re.S)
    assert "SOURCE_OF_THE_CELL" not in html and "Notes for analysts" not in html  # no input, no markdown cell
    assert f"<style>\n{CSS}\n</style>" in html
    english = export.html_page(notebook(), "Title", "en")
    assert '<html lang="en">' in english and '<a href="index.html">← Contents</a>' in english


def test_the_same_outputs_give_the_same_bytes():
    """papermill gives its injected-parameters cell a new random id on every run: it is not in the page."""
    pages, ids = [], []
    for _ in range(2):
        nb = notebook(html_output("<p>x</p>"))
        nb.cells[1].id = "analysis"  # the analyst's cells keep theirs
        injected = nbformat.v4.new_code_cell("year = 2021", metadata={"tags": ["injected-parameters"]})
        nb.cells.insert(1, injected)
        ids.append(injected.id)
        pages.append(export.html_page(nb, "Page", "vi"))
    assert ids[0] != ids[1] and pages[0] == pages[1]
    assert ids[0] not in pages[0] and 'id="cell-id=analysis"' in pages[0]


def test_scripts_and_links_in_outputs_do_not_reach_the_page():
    nb = notebook(
        html_output('<p>Kept paragraph</p><script>alert(1)</script>'
                    '<link rel=stylesheet href=http://example.org/style.css>'
                    '<style>@import url(http://example.org/more.css);</style>'
                    '<img src="http://example.org/pixel.png" alt="tracker"><p onclick="alert(2)">Kept too</p>'),
        nbformat.v4.new_output("display_data", data={"application/javascript": "alert(3)"}),
        nbformat.v4.new_output("display_data", data={
            "application/vnd.jupyter.widget-view+json": {"model_id": "abc", "version_major": 2, "version_minor": 0},
            "text/plain": "a widget"}),
        nbformat.v4.new_output("execute_result", data={"text/markdown": "**Bold** <script>alert(4)</script>"},
                               execution_count=1),
        widgets=True)
    html = export.html_page(nb, "Page", "en")
    assert "Kept paragraph" in html and "Kept too" in html and "<strong>Bold</strong>" in html
    assert "<script" not in html.lower() and "alert(" not in html
    assert "<link" not in html.lower() and "example.org" not in html and "@import" not in html
    assert "onclick" not in html and "widget-state" not in html and "widget-view" not in html
    assert 'alt="tracker"' in html  # the image stays, without its network source
    assert not EXTERNAL.search(html)


def test_output_html_keeps_a_reports_markup_and_only_local_references():
    clean = export.clean_output_html
    table = ('<table class="num-table"><caption>C</caption><thead><tr><th scope="col">H</th></tr></thead>'
             '<tbody><tr><td class="num">1,5</td></tr></tbody></table>')
    assert clean(table) == table
    figure = '<figure class="chart"><img alt="chart" src="data:image/png;base64,AAAA"><figcaption>F</figcaption></figure>'
    assert clean(figure) == figure
    assert clean('<header class="report-header"><h1>T</h1><p class="meta"><b>U:</b> x</p></header>') == \
        '<header class="report-header"><h1>T</h1><p class="meta"><b>U:</b> x</p></header>'
    assert clean('<a href="budget.html#top">b</a> <a href="#x">x</a>') == '<a href="budget.html#top">b</a> <a href="#x">x</a>'
    for url in ("http://example.org/", "https://example.org/", "//example.org/", " HTTPS://example.org",
                "javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "file:///etc/passwd"):
        assert "href" not in clean(f'<a href="{url}">x</a>') and "src" not in clean(f'<img src="{url}">'), url
    assert clean('<p style="color: red; background: url(http://example.org/a.png)">t</p>') == '<p style="color: red;">t</p>'
    assert clean("<p>a</p><iframe src=x></iframe><object data=x></object><svg><script>1</script></svg>") == "<p>a</p>"


def test_a_page_that_would_hold_a_script_is_not_published(monkeypatch):
    monkeypatch.setattr(export, "clean_output_html", lambda html: str(html))  # as if the sanitiser let it through
    monkeypatch.setattr(export, "_EXPORTER", None)
    try:
        with pytest.raises(export.ExportError, match="<script>"):
            export.html_page(notebook(html_output("<script>alert(1)</script>")), "Page", "en")
    finally:
        monkeypatch.undo()
        export._EXPORTER = None


def _index(tmp_path: Path, title: str, summary: str, source: dict | None = None) -> str:
    (tmp_path / "alpha.html").write_text("x", encoding="utf-8")
    notebooks = [Notebook("alpha", tmp_path / "alpha.ipynb", 1, {"en": title}),
                 Notebook("beta", tmp_path / "beta.ipynb", 2, heading="Beta <i>heading</i>")]
    entries = {"alpha": {"fingerprint": "f", "summary": summary},
               "beta": {"fingerprint": None, "failure": {"ename": "ValueError"}}}
    return index.render(2021, "en", notebooks, entries, tmp_path, source)


def test_the_index_page_escapes_every_value(tmp_path):
    html = _index(tmp_path, "A <b>bold</b> title", "Summary & <script>alert(1)</script>",
                  {"unit": {"name": "Town <Cẩm Giang>"}, "document_number": "01/BC-\"UBND\"", "date": "2022-01-04"})
    assert '<a href="alpha.html">A &lt;b&gt;bold&lt;/b&gt; title</a>' in html and "<b>bold" not in html
    assert '<p class="summary">Summary &amp; &lt;script&gt;alert(1)&lt;/script&gt;</p>' in html
    assert "<script" not in html
    assert "<title>Socio-economic report, Town &lt;Cẩm Giang&gt;, 2021</title>" in html
    assert "<h1>Socio-economic report, Town &lt;Cẩm Giang&gt;, 2021</h1>" in html
    assert "Source: report No. 01/BC-&#34;UBND&#34; of 4 January 2022" in html  # the pages' one date format
    beta = re.search(r"<li[^>]*>Beta.*?</li>", html).group(0)
    assert 'class="failed"' in html and "Beta &lt;i&gt;heading&lt;/i&gt;" in beta and "href" not in beta
    assert "the run failed and there is no earlier version" in beta


def test_both_pages_have_the_css_inline_and_no_external_reference(tmp_path):
    report = export.html_page(notebook(html_output("<p>x</p>")), "Page", "vi")
    listing = _index(tmp_path, "Alpha", "Summary")
    assert listing.startswith('<!doctype html>\n<html lang="en">\n<meta charset="utf-8">')
    for html in (report, listing):
        assert f"<style>\n{CSS}\n</style>" in html
        assert "@page { size: A4" in html and "@media print" in html
        assert not EXTERNAL.search(html) and "http://" not in html and "https://" not in html
        assert "<link" not in html and "<script" not in html
        assert html.count("<style") == 1


def test_the_chromes_words_are_data_in_both_languages():
    words = reading.read_toml(page.MESSAGES)
    assert words and all(set(entry) == {"vi", "en"} for entry in words.values())
    assert page.labels("vi")["contents"] == "← Mục lục" and page.labels("en")["failed"] == "failed"
    assert set(page.labels("vi")) == set(page.labels("en")) == set(words)

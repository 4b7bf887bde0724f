"""The HTML page around a report body or the index: one file, readable offline and printable on A4.

Our own page rather than nbconvert's: the default nbconvert page loads require.js and MathJax from CDNs and
carries a large stylesheet for code cells that our pages never show. Here: inline CSS only, no scripts, no
external resource; a font stack with Vietnamese glyphs; tables with borders and right-aligned numbers;
print rules so that tables, rows and figures are not cut across pages.
"""

from __future__ import annotations

from html import escape

CSS = """
body { font-family: "DejaVu Sans", "Noto Sans", "Segoe UI", Arial, sans-serif; font-size: 16px;
  line-height: 1.5; color: #1d1d1d; max-width: 62rem; margin: 1.5rem auto; padding: 0 1rem; }
h1, h2, h3, h4 { line-height: 1.25; margin: 1.4em 0 .5em; }
a { color: #0b5394; }
a.anchor-link { display: none; }
nav { font-size: .85em; color: #555; }
table { border-collapse: collapse; margin: 1rem 0; font-size: .92em; }
th, td { border: 1px solid #9a9a9a; padding: .3rem .55rem; vertical-align: top; text-align: left; }
thead th { background: #eef1f4; }
/* numbers right-aligned: cells marked .num (present.show_table marks every formatted value), pandas' own tables */
td.num, th.num, table.dataframe td { text-align: right;
  font-variant-numeric: tabular-nums; }
img, svg { max-width: 100%; height: auto; }
figure { margin: 1rem 0; }
pre { white-space: pre-wrap; font-family: "DejaVu Sans Mono", "Noto Sans Mono", Consolas, monospace;
  font-size: .9em; margin: .4rem 0; }
.output_area { margin: .4rem 0; }
ol.reports li { margin: 0 0 1rem; }
.summary { margin: .2rem 0 0; color: #333; }
.failed, .failed a { color: #a30000; }
.badge { font-size: .8em; font-weight: bold; border: 1px solid currentColor; border-radius: 3px;
  padding: 0 .3em; margin-left: .4em; }
@page { size: A4; margin: 15mm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 10.5pt; }
  nav { display: none; }
  a { color: inherit; text-decoration: none; }
  table, figure, img, svg, tr, pre, .output_area { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  h1, h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
}
""".strip()


def page(title: str, body: str, lang: str, nav: str = "") -> str:
    """A complete HTML document; `body` and `nav` are HTML, `title` is text."""
    parts = ["<!doctype html>", f'<html lang="{escape(lang)}">', '<meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>{escape(title)}</title>", f"<style>\n{CSS}\n</style>"]
    if nav:
        parts.append(f"<nav>{nav}</nav>")
    parts.append(f"<main>\n{body}\n</main>")
    parts.append("</html>\n")
    return "\n".join(parts)


LABELS = {
    "vi": {
        "index": "Báo cáo kinh tế – xã hội {unit} năm {year}",
        "source": "Nguồn: báo cáo số {number} ngày {date}",
        "not_stated": "không ghi",
        "contents": "← Mục lục",
        "failed": "lỗi",
        "previous": "lần chạy mới nhất bị lỗi; đang hiển thị bản tạo lúc {built}",
        "none": "lần chạy bị lỗi, chưa có bản nào",
    },
    "en": {
        "index": "Socio-economic report, {unit}, {year}",
        "source": "Source: report No. {number} of {date}",
        "not_stated": "not stated",
        "contents": "← Contents",
        "failed": "failed",
        "previous": "the latest run failed; showing the version built {built}",
        "none": "the run failed and there is no earlier version",
    },
}

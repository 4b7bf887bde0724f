"""Presentation for the report notebooks: the report being written, words in two languages (messages/*.toml),
number formats, tables, charts.

A notebook makes its `report(name, year, lang, data_dir, compare_year)` once, computes frames with
`camgiang_data.analyses.<name>`, and shows them with `camgiang_data.present.reports.<name>`, which own every word,
number format and chart style a reader sees.
"""

from .context import Context, context
from .i18n import t
from .report import Report, report
from .page import footer, header, heading, note, show, show_chart, show_table, summary, value_formatter

__all__ = ["Context", "context", "Report", "report", "t", "header", "footer", "heading", "note", "show", "show_table", "show_chart",
           "summary", "value_formatter"]

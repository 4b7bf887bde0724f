"""Presentation for the report notebooks: context, words in two languages, number formats, tables, charts.

Notebooks stay thin: they call `context(...)`, then show what `camgiang_data.analyses` computes with the helpers
here, which own every word, number format and chart style a reader sees.
"""

from .context import Context, context
from .i18n import t
from .page import footer, header, heading, note, show, show_chart, show_table, summary, value_formatter

__all__ = ["Context", "context", "t", "header", "footer", "heading", "note", "show", "show_table", "show_chart",
           "summary", "value_formatter"]

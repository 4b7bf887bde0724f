"""What every report loads on its first page and no page changes: read once in the warm-kernel template
(runner/template.py), so that each kernel forked from it starts with it loaded. Package resources only: Babel's
locale data for each language, the chart font and PNG writer, pandas' table formatting. No report data."""

from __future__ import annotations

import datetime as dt


def warm_up() -> None:
    import pandas as pd

    from .. import numbers
    from . import charts
    from .i18n import LANGS

    for lang in LANGS:
        numbers.format_date(dt.date(2000, 1, 31), lang)  # Babel loads a locale's data on its first use
        numbers.format_number(1234.5, lang)
        # a chart with text in the report font: the font file is parsed, the PNG writer imported
        charts.png_bytes(charts.bar_chart(["Ạ"], [1.0], "count", lang, "Ạ", "Ạ"))
    frame = pd.DataFrame({"a": [1.5], "b": ["Ạ"]})
    frame._repr_html_()  # a cell ending in a frame shows both; pandas imports its formatters on first use
    repr(frame)

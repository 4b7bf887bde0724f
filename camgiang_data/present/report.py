"""One report being written: its parameters, its words, and the blocks it shows, in one object.

A notebook makes it once (`report = present.report("budget", year, lang, data_dir, compare_year)`) and hands it
to the presentation functions instead of repeating the year, the language and the data directory at each call.
It knows the report's words (`messages/reports/<name>.toml`, then the common ones) and the administrative unit
the year's `source.json` names (a xã's pages say xã).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

from . import messages
from .context import Context, context
from .i18n import t as _t


@dataclass(frozen=True)
class Report:
    name: str  # the report's message file: messages/reports/<name>.toml
    ctx: Context

    # the parameters, by name
    @property
    def year(self) -> int:
        return self.ctx.year

    @property
    def lang(self) -> str:
        return self.ctx.lang

    @property
    def data_dir(self) -> str | None:
        return self.ctx.data_dir

    @property
    def compare_year(self) -> int | None:
        return self.ctx.compare_year

    @property
    def metadata(self) -> dict:
        return self.ctx.metadata

    @property
    def words(self) -> dict[str, dict[str, str]]:
        return messages.report(self.name)

    @property
    def title(self) -> str:
        return self.words["title"][self.lang]

    @property
    def unit_type(self) -> str:
        """The unit's type as the report writes it in running text ('thị trấn', 'xã', 'phường'), from
        source.json; the common word for 'the unit' when it does not say."""
        stated = (self.metadata.get("unit") or {}).get("type")
        return stated or self.t("unit_generic")

    @property
    def unit_word(self) -> str:
        """The unit's type in the report's language: 'xã' / 'commune', 'thị trấn' / 'town'."""
        stated = (self.metadata.get("unit") or {}).get("type")
        words = messages.common().get(f"unit_kind.{stated}")
        if words is None:
            return stated if stated and self.lang == "vi" else self.t("unit_generic")
        return words[self.lang]

    def t(self, key: str, **values) -> str:
        """The report's own words for `key` (else the common ones) in the report's language."""
        return _t(key, self.lang, self.words, **values)

    # the blocks a report shows (each displays in the notebook and returns its HTML)
    def header(self) -> str:
        from .page import header

        return header(self.ctx, self.words["title"])

    def footer(self) -> str:
        from .page import footer

        return footer(self.ctx)

    def summary(self, text: str) -> str:
        from .page import summary

        return summary(text)

    def heading(self, key: str, level: int = 2, **values) -> str:
        from .page import heading

        return heading(self.t(key, **values), level)

    def note(self, text: str) -> str:
        from .page import note

        return note(text)

    def table(self, rows: Sequence[dict], columns, caption: str | None = None) -> str:
        """A table; one with no row (the unit's catalogue has none of its indicators) or whose every figure is
        missing (the report says nothing of it this year) is a sentence saying so, not a grid of "not
        reported" or a header alone."""
        from .page import note, show_table

        figures = [row.get(key) for row in rows for key, _, formatter in columns if formatter is not None]
        if not len(rows) or (figures and all(_absent(v) for v in figures)):
            return note(self.t("table_none", year=self.year))
        return show_table(rows, columns, self.ctx, caption=caption)

    def comparison(self, frame, table) -> str:
        """The section every report ends with: its heading, then the table `table(frame)` gives ((rows,
        columns)), or the note that the data holds no earlier year (`frame` is None)."""
        self.heading("h_compare", year=self.compare_year or self.year - 1)
        if frame is None:
            return self.note(self.t("compare_none"))
        return self.table(*table(frame))

    def chart(self, chart) -> str:
        """A `Chart` (figure, alt text, caption) as an embedded image."""
        from .page import show_chart

        return show_chart(*chart)


def _absent(value) -> bool:
    """No figure at all (None, NA, NaN); text, even a word, is something to show."""
    import pandas as pd  # loaded already wherever a table is shown

    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def report(name: str, year: int | None = None, lang: str = "vi", data_dir=None,
           compare_year: int | None = None) -> Report:
    """The report `name` for these parameters (unknown year or language: a clear ValueError)."""
    if name not in messages.report_names():
        raise ValueError(f"no report {name!r}; available: {', '.join(messages.report_names())}")
    return Report(name, context(year, lang, data_dir, compare_year))


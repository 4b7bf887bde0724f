"""What the reports' presentation shares: charts with their alternative text, the catalogue's name column for a
language, and number cells and comparison columns for `Report.table`."""

from __future__ import annotations

from typing import NamedTuple

from camgiang_data.present.fmt import format_value
from camgiang_data.present.i18n import t


class Chart(NamedTuple):
    """A figure with its alternative text (and an optional caption) for `present.show_chart`."""
    fig: object
    alt: str
    caption: str | None = None


def name_col(lang: str) -> str:
    """The catalogue column with an indicator's name in `lang`."""
    return "name_vi" if lang == "vi" else "name_en"


def number(value, lang: str) -> str:
    """A bare number in the reader's language ("not reported" when missing)."""
    return format_value(value, None, lang)


def cell(lang: str, unit: str | None = None, unit_key: str = "unit", qualifier_key: str | None = None,
         decimals: int | None = None, signed: bool = False):
    """A number cell for `present.show_table`: the value in `unit` (else in the row's `unit_key` column), with
    the row's `qualifier_key` word (e.g. "above") before it and, with `signed`, a + before a rise."""
    def fmt(value, row):
        q = row.get(qualifier_key) if qualifier_key else None
        return format_value(value, unit or row.get(unit_key), lang, decimals,
                            qualifier=q if isinstance(q, str) else None, signed=signed)
    return fmt


def compare_columns(ctx) -> list:
    """Columns of a `compare_frames` table: indicator, this year's value (with its qualifier), the other year's, and
    the change (signed, in `change_unit`)."""
    lang = ctx.lang
    return [(f"name_{lang}", t("indicator", lang), None),
            ("value", str(ctx.year), cell(lang, qualifier_key="qualifier")),
            ("previous", str(ctx.compare_year), cell(lang)),
            ("change", t("change", lang), cell(lang, unit_key="change_unit", signed=True))]

"""Numbers as readers expect them: Vietnamese separators for `vi` (Babel), English for `en`; missing → "not reported"."""

from __future__ import annotations

import math

from .. import numbers, units
from .i18n import COMMON, t


def is_missing(value) -> bool:
    if value is None:
        return True
    try:
        return bool(math.isnan(float(value)))
    except (TypeError, ValueError):
        return True


def format_value(value, unit: str | None, lang: str, decimals: int | None = None, with_unit: bool = True,
                 qualifier: str | None = None, signed: bool = False) -> str:
    """One value with its unit, e.g. `7.804.089.625 đồng`, `1,82%`, `12,5 tấn/ha`; missing → "not reported"."""
    if is_missing(value):
        return t("not_reported", lang)
    value = float(value)
    text = numbers.format_number(value, lang, decimals)
    if signed and value > 0:
        text = "+" + text
    if with_unit and unit:
        suffix = COMMON.get(f"suffix.{unit}", {}).get(lang)  # messages/common.toml
        if suffix is None:
            label = units.label(unit, lang)
            suffix = f" {label}" if label else ""
        text += suffix
    if qualifier and not (isinstance(qualifier, float) and math.isnan(qualifier)):
        text = f"{t(qualifier, lang)} {text}"
    return text


def format_money_short(value, lang: str) -> str:
    """Large amounts for charts and prose: `58,1 tỷ đồng` / `58.1 billion VND`."""
    if is_missing(value):
        return t("not_reported", lang)
    value = float(value)
    for size, key in ((1e9, "money.billion"), (1e6, "money.million")):
        if abs(value) >= size:
            return f"{numbers.format_number(value / size, lang)} {t(key, lang)}"
    return format_value(value, "VND", lang)


def format_date(value, lang: str) -> str:
    """A date the way each reader writes it (`numbers.format_date`: 04/01/2022, 4 January 2022); missing →
    "not stated"."""
    return numbers.format_date(value, lang) or t("not_stated", lang)

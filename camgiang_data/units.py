"""Units the facts are stored in: one base unit per quantity, with reader labels in both languages."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Unit:
    code: str
    label_vi: str
    label_en: str
    # Quantities sharing a dimension can be compared (a change of a percent rate is in pp).
    dimension: str


_UNITS = [
    Unit("VND", "đồng", "VND", "money"),
    Unit("VND_per_person_year", "đồng/người/năm", "VND per person per year", "money"),
    Unit("VND_per_person", "đồng/người", "VND per person", "money"),
    Unit("VND_per_gift", "đồng/suất", "VND per gift", "money"),
    Unit("VND_per_year", "đồng/năm", "VND per year", "money"),
    Unit("percent", "%", "%", "ratio"),
    Unit("pp", "điểm phần trăm", "percentage points", "ratio"),
    Unit("ha", "ha", "ha", "area"),
    Unit("t_per_ha", "tấn/ha", "t/ha", "yield"),
    Unit("tonnes", "tấn", "t", "mass"),
    Unit("persons", "người", "persons", "count"),
    Unit("households", "hộ", "households", "count"),
    Unit("houses", "căn nhà", "houses", "count"),
    Unit("animals", "con", "head", "count"),
    Unit("doses", "liều", "doses", "count"),
    Unit("cases", "vụ/trường hợp", "cases", "count"),
    Unit("visits", "lượt", "visits", "count"),
    Unit("classes", "lớp", "classes", "count"),
    Unit("schools", "trường", "schools", "count"),
    Unit("gifts", "suất", "gifts", "count"),
    Unit("residential_areas", "khu dân cư", "residential areas", "count"),
    Unit("checkpoints", "chốt", "checkpoints", "count"),
    Unit("facilities", "cơ sở", "facilities", "count"),
    Unit("petitions", "đơn", "petitions", "count"),
    Unit("decisions", "quyết định", "decisions", "count"),
    Unit("procedures", "thủ tục", "procedures", "count"),
    Unit("floors", "tầng", "floors", "count"),
    Unit("rooms", "phòng", "rooms", "count"),
    Unit("count", "", "", "count"),
    Unit("days", "ngày", "days", "time"),
    Unit("years", "năm", "years", "time"),
    Unit("times_per_person_year", "lần/người/năm", "times per person per year", "frequency"),
    Unit("level", "mức độ", "level", "ordinal"),
]

UNITS: dict[str, Unit] = {u.code: u for u in _UNITS}


def unit(code: str) -> Unit:
    try:
        return UNITS[code]
    except KeyError:
        raise KeyError(f"unknown unit {code!r}; known units: {', '.join(UNITS)}") from None


def label(code: str, lang: str = "vi") -> str:
    u = unit(code)
    return u.label_vi if lang == "vi" else u.label_en


def comparable(a: str, b: str) -> bool:
    """True when values in units a and b measure the same kind of quantity."""
    return unit(a).dimension == unit(b).dimension

"""Tests of camgiang_data.numbers: reading numbers as the report writes them, and formatting them back."""

from __future__ import annotations

import unicodedata
from decimal import Decimal

import pytest
from babel.numbers import get_decimal_symbol, get_group_symbol
from hypothesis import given, settings
from hypothesis import strategies as st

from camgiang_data import numbers, units
from camgiang_data.numbers import (
    Quantity,
    Range,
    format_money,
    format_number,
    format_percent,
    format_quantity,
    parse_change,
    parse_fraction,
    parse_machine_number,
    parse_number,
    parse_quantity,
    parse_range,
    parse_unit,
    suggest_machine_form,
)

# text, value, unit, qualifier, estimated, precision
PARSE_CASES = [
    # money in digits
    ("7.804.089.625đ", 7804089625, "VND", None, False, 1),
    ("7.409.228.250 đ", 7409228250, "VND", None, False, 1),
    ("63.000.000 đ", 63000000, "VND", None, False, 1),
    ("3.400.000.000đ", 3400000000, "VND", None, False, 1),
    ("918.065.459", 918065459, None, None, False, 1),
    ("5 VNĐ", 5, "VND", None, False, 1),
    ("5 VND", 5, "VND", None, False, 1),
    # money in words
    ("58 tỷ 123 triệu đồng", 58123000000, "VND", None, False, 1e6),
    ("1 tỷ 422 triệu 900 nghìn đồng", 1422900000, "VND", None, False, 1e3),
    ("5 tỷ 010 triệu đồng", 5010000000, "VND", None, False, 1e6),
    ("157 triệu đồng", 157000000, "VND", None, False, 1e6),
    ("515,74 tỷ đồng", 515740000000, "VND", None, False, 1e7),
    ("55,1 triệu đồng", 55100000, "VND", None, False, 1e5),
    ("200 triệu đồng", 200000000, "VND", None, False, 1e6),
    ("550 tỷ đồng", 550000000000, "VND", None, False, 1e9),
    ("900 nghìn đồng", 900000, "VND", None, False, 1e3),
    ("900 ngàn đồng", 900000, "VND", None, False, 1e3),
    ("1 tỷ 5 đồng", 1000000005, "VND", None, False, 1),
    ("10.000 tỷ đồng", 10**13, "VND", None, False, 1e9),
    ("55,1 triệu đồng/người/năm", 55100000, "VND_per_person_year", None, False, 1e5),
    # percent: a dot not followed by exactly three digits is a decimal mark
    ("114.63%", 114.63, "percent", None, False, 0.01),
    ("2,44 %", 2.44, "percent", None, False, 0.01),
    ("100 %", 100, "percent", None, False, 1),
    ("1,82%", 1.82, "percent", None, False, 0.01),
    ("8%", 8, "percent", None, False, 1),
    ("0,2 %", 0.2, "percent", None, False, 0.1),
    ("98,3%", 98.3, "percent", None, False, 0.1),
    ("8%/năm", 8, "percent", None, False, 1),
    # yields and areas
    ("12,5 tấn/ha", 12.5, "t_per_ha", None, False, 0.1),
    ("125 tạ/ha", 12.5, "t_per_ha", None, False, 0.1),
    ("12,5 tấn/ha/năm", 12.5, "t_per_ha", None, False, 0.1),
    ("244,7 ha", 244.7, "ha", None, False, 0.1),
    # plain numbers
    ("1.027", 1027, None, None, False, 1),
    ("5.792", 5792, None, None, False, 1),
    ("2.582", 2582, None, None, False, 1),
    ("25000", 25000, None, None, False, 1),
    ("04", 4, None, None, False, 1),
    ("09", 9, None, None, False, 1),
    ("33,1", 33.1, None, None, False, 0.1),
    ("0,63", 0.63, None, None, False, 0.01),
    ("0.125", 0.125, None, None, False, 0.001),
    ("1.234,5", 1234.5, None, None, False, 0.1),
    ("-0,6", -0.6, None, None, False, 0.1),
    # qualifiers, estimates, counting nouns
    ("trên 30.000 con", 30000, "animals", "above", False, 1),
    ("hơn 5000", 5000, None, "above", False, 1),
    ("vượt 5 %", 5, "percent", "above", False, 1),
    ("gần 200 triệu đồng", 200000000, "VND", "nearly", False, 1e6),
    ("ước đạt trên 55,1 triệu đồng", 55100000, "VND", "above", True, 1e5),
    ("ước 12,5 tấn/ha", 12.5, "t_per_ha", None, True, 0.1),
    ("ước tính 125 tạ/ha", 12.5, "t_per_ha", None, True, 0.1),
    ("đạt 93%", 93, "percent", None, False, 1),
    ("từ 10 % trở lên", 10, "percent", "at_least", False, 1),
    ("0,2% trở lên", 0.2, "percent", "at_least", False, 0.1),
    ("tối thiểu 3 lớp", 3, "classes", "at_least", False, 1),
    ("ít nhất 2 trường", 2, "schools", "at_least", False, 1),
    ("dưới 1%", 1, "percent", "below", False, 1),
    ("khoảng 50", 50, None, "about", False, 1),
    ("xấp xỉ 50 người", 50, "persons", "about", False, 1),
    ("2.319 hộ", 2319, "households", None, False, 1),
    ("43 đ/c", 43, "persons", None, False, 1),
    ("2 đồng chí", 2, "persons", None, False, 1),
    ("371 em", 371, "persons", None, False, 1),
    ("12 cháu", 12, "persons", None, False, 1),
    ("129 h/s", 129, "persons", None, False, 1),
    ("129 học sinh", 129, "persons", None, False, 1),
    ("9 thanh niên", 9, "persons", None, False, 1),
    ("40 đại biểu", 40, "persons", None, False, 1),
    ("1.200 lượt", 1200, "visits", None, False, 1),
    ("5.574 liều", 5574, "doses", None, False, 1),
    ("3 vụ", 3, "cases", None, False, 1),
    ("3 trường hợp", 3, "cases", None, False, 1),
    ("150 xuất", 150, "gifts", None, False, 1),
    ("150 suất", 150, "gifts", None, False, 1),
    ("7 ngày", 7, "days", None, False, 1),
    ("12 đơn", 12, "petitions", None, False, 1),
    ("4 quyết định", 4, "decisions", None, False, 1),
    ("9 khu dân cư", 9, "residential_areas", None, False, 1),
    ("6 chốt", 6, "checkpoints", None, False, 1),
    # mass, in tonnes: the last printed digit of '125 tạ' is a tạ (0,1 t), of '500 kg' a kg
    ("13.006 tấn", 13006, "tonnes", None, False, 1),
    ("22.992,23 tấn", 22992.23, "tonnes", None, False, 0.01),
    ("gần 1.874 tấn", 1874, "tonnes", "nearly", False, 1),
    ("125 tạ", 12.5, "tonnes", None, False, 0.1),
    ("12,5 tạ", 1.25, "tonnes", None, False, 0.01),
    ("500 kg", 0.5, "tonnes", None, False, 0.001),
    ("3 yến", 0.03, "tonnes", None, False, 0.01),
    ("1,2 nghìn tấn", 1200, "tonnes", None, False, 100),
    ("ước đạt 450 tạ/ha", 45, "t_per_ha", None, True, 0.1),  # the yield keeps its own unit
    # counting nouns: a count of what they name
    ("2.843 lao động", 2843, "persons", None, False, 1),
    ("3.450 thành viên", 3450, "persons", None, False, 1),
    ("3 căn nhà", 3, "houses", None, False, 1),
    ("2 ngôi nhà", 2, "houses", None, False, 1),
    ("45 lần/người/năm", 45, "times_per_person_year", None, False, 1),
    ("2,5 lần/người/năm", 2.5, "times_per_person_year", None, False, 0.1),
    ("5.574 mũi", 5574, "doses", None, False, 1),
    ("12 phòng", 12, "rooms", None, False, 1),
    ("4 cơ sở", 4, "facilities", None, False, 1),
    ("3 tầng", 3, "floors", None, False, 1),
    ("62 thủ tục", 62, "procedures", None, False, 1),
    ("15 vụ việc", 15, "cases", None, False, 1),
    ("350 hộ gia đình", 350, "households", None, False, 1),
    ("1.200 lượt người", 1200, "visits", None, False, 1),
    # money per person, gift, year
    ("33.500.000đ/người", 33500000, "VND_per_person", None, False, 1),
    ("1.000.000đ/suất", 1000000, "VND_per_gift", None, False, 1),
    ("500.000 đồng/xuất", 500000, "VND_per_gift", None, False, 1),
    ("49,46 triệu đồng /năm", 49460000, "VND_per_year", None, False, 1e4),
    ("49,46 triệu đồng/năm", 49460000, "VND_per_year", None, False, 1e4),
    ("60,2 triệu đồng/người/năm", 60200000, "VND_per_person_year", None, False, 1e5),
    ("60,2 triệu đ/người/năm", 60200000, "VND_per_person_year", None, False, 1e5),
    # a table's unit column with the amount word in it ('Tỷ.đ': the number counts tỷ đồng)
    ("515,74 Tỷ.đ", 515740000000, "VND", None, False, 1e7),
    ("515,74 tỷ đ", 515740000000, "VND", None, False, 1e7),
    ("12 tỉ.đ", 12 * 10**9, "VND", None, False, 1e9),
    ("49,46 Tr.đ", 49460000, "VND", None, False, 1e4),
    ("49,46 triệu đ", 49460000, "VND", None, False, 1e4),
    ("1.234 tr.đồng", 1234 * 10**6, "VND", None, False, 1e6),
    # the sentence's punctuation after the number
    ("7,5%.", 7.5, "percent", None, False, 0.1),
    ("1.095 con,", 1095, "animals", None, False, 1),
    ("1.027;", 1027, None, None, False, 1),
    ("1.000.", 1000, None, None, False, 1),  # a full stop, not a decimal mark: 1000, not 1.0
    ("3 căn nhà .", 3, "houses", None, False, 1),
]


@pytest.mark.parametrize(("text", "value", "unit", "qualifier", "estimated", "precision"), PARSE_CASES)
def test_parse_quantity(text, value, unit, qualifier, estimated, precision):
    q = parse_quantity(text)
    assert q == Quantity(float(value), unit, qualifier, estimated, pytest.approx(precision, rel=1e-12))
    assert parse_number(text) == float(value)


@pytest.mark.parametrize(
    "text",
    [
        "  7.804.089.625\u00a0đ ",  # no-break space, surrounding blanks
        unicodedata.normalize("NFD", "7.804.089.625 đồng"),  # decomposed ồ
        "7.804.089.625 d\u0335",  # d + combining stroke
        "7.804.089.625 Đ",
        "7.804.089.625\u202fVNĐ",
    ],
)
def test_input_is_normalised(text):
    assert parse_quantity(text) == Quantity(7804089625.0, "VND", None, False, 1.0)


# text, value, qualifier, estimated, precision: a percent of the plan (of_plan), level as printed
PLAN_CASES = [
    ("gần 140% KH", 140, "nearly", False, 1),
    ("đạt 100% KH", 100, None, False, 1),
    ("98% kế hoạch", 98, None, False, 1),
    ("đạt 114.63% so với kế hoạch", 114.63, None, False, 0.01),
    ("ước đạt 93,5% KH.", 93.5, None, True, 0.1),
    ("trên 100 %KH", 100, "above", False, 1),
]


@pytest.mark.parametrize(("text", "value", "qualifier", "estimated", "precision"), PLAN_CASES)
def test_a_percent_of_the_plan_says_so(text, value, qualifier, estimated, precision):
    q = parse_quantity(text)
    assert q == Quantity(float(value), "percent", qualifier, estimated, pytest.approx(precision), of_plan=True)
    assert parse_quantity(text.replace("so với kế hoạch", "").replace("kế hoạch", "").replace("KH", "")) \
        == Quantity(float(value), "percent", qualifier, estimated, pytest.approx(precision))


# text, value (signed), unit, qualifier, estimated, precision, compared_with
CHANGE_CASES = [
    ("+543 ha", 543, "ha", None, False, 1, None),
    ("-2 hộ", -2, "households", None, False, 1, None),
    ("\u22122 hộ", -2, "households", None, False, 1, None),  # a Unicode minus
    ("giảm 1,01%", -1.01, "percent", None, False, 0.01, None),
    ("tăng 0,5%", 0.5, "percent", None, False, 0.1, None),
    ("tăng 12 hộ so với năm 2020", 12, "households", None, False, 1, "năm 2020"),
    ("giảm 157 triệu đồng so với cuối năm 2020", -157000000, "VND", None, False, 1e6, "cuối năm 2020"),
    ("tăng 2 vụ so với cùng kỳ", 2, "cases", None, False, 1, "cùng kỳ"),
    ("giảm 3 vụ so với cùng kỳ năm 2020", -3, "cases", None, False, 1, "cùng kỳ năm 2020"),
    ("tăng 5% so với năm trước.", 5, "percent", None, False, 1, "năm trước"),
    ("giảm 5 tỷ 010 triệu đồng", -5010000000, "VND", None, False, 1e6, None),
    ("giảm từ 0,2 % trở lên", -0.2, "percent", "at_least", False, 0.1, None),  # the qualifier is on the size
    ("giảm trên 5%", -5, "percent", "above", False, 1, None),
    ("ước tăng 1.200 tấn", 1200, "tonnes", None, True, 1, None),
    ("tăng thêm 3 lớp", 3, "classes", None, False, 1, None),
    ("-0,6", -0.6, None, None, False, 0.1, None),
    ("+12,5 tạ/ha", 1.25, "t_per_ha", None, False, 0.01, None),
]


@pytest.mark.parametrize(("text", "value", "unit", "qualifier", "estimated", "precision", "compared_with"),
                         CHANGE_CASES)
def test_parse_change(text, value, unit, qualifier, estimated, precision, compared_with):
    assert parse_change(text) == Quantity(float(value), unit, qualifier, estimated, pytest.approx(precision),
                                          compared_with=compared_with)


@pytest.mark.parametrize("text", [t for t, *_ in CHANGE_CASES if t != "-0,6"])
def test_a_change_is_never_read_as_a_level(text):
    with pytest.raises(ValueError, match=r"use parse_change\(\)"):
        parse_quantity(text)
    with pytest.raises(ValueError, match=r"use parse_change\(\)"):
        parse_number(text)
    assert suggest_machine_form(text) is None


def test_a_bare_negative_number_stays_a_level():
    # tables and format_number write negative numbers so; with a unit the '-' marks a change
    assert parse_quantity("-0,6") == Quantity(-0.6, None, None, False, pytest.approx(0.1))
    assert parse_quantity("-1.234,5").value == -1234.5


# text, (low, its precision), (high, its precision), unit, estimated
RANGE_CASES = [
    ("6 - 6,5%", (6, 1), (6.5, 0.1), "percent", False),
    ("14 - 16%", (14, 1), (16, 1), "percent", False),
    ("5-7%", (5, 1), (7, 1), "percent", False),
    ("5\u22127%", (5, 1), (7, 1), "percent", False),
    ("từ 80% – 100%", (80, 1), (100, 1), "percent", False),
    ("80%—100%", (80, 1), (100, 1), "percent", False),
    ("từ 5 đến 7 ha", (5, 1), (7, 1), "ha", False),
    ("ước 5,5 - 6 tấn/ha", (5.5, 0.1), (6, 1), "t_per_ha", True),
    ("5 - 7 tỷ đồng", (5e9, 1e9), (7e9, 1e9), "VND", False),  # the low end shares the amount word
    ("800 triệu - 1 tỷ đồng", (8e8, 1e6), (1e9, 1e9), "VND", False),
    ("120 - 125 tạ/ha", (12, 0.1), (12.5, 0.1), "t_per_ha", False),
    ("3 - 5 Tỷ.đ", (3e9, 1e9), (5e9, 1e9), "VND", False),
    ("2 - 3 hộ,", (2, 1), (3, 1), "households", False),
    ("2020 - 2025", (2020, 1), (2025, 1), None, False),
    ("5 - 5%", (5, 1), (5, 1), "percent", False),
]


@pytest.mark.parametrize(("text", "low", "high", "unit", "estimated"), RANGE_CASES)
def test_parse_range(text, low, high, unit, estimated):
    r = parse_range(text)
    assert isinstance(r, Range) and isinstance(r, tuple)
    assert r.low == Quantity(float(low[0]), unit, None, estimated, pytest.approx(low[1], rel=1e-12))
    assert r.high == Quantity(float(high[0]), unit, None, estimated, pytest.approx(high[1], rel=1e-12))
    with pytest.raises(ValueError, match=r"a range: use parse_range\(\)"):
        parse_quantity(text)


def test_a_range_of_the_plan():
    low, high = parse_range("từ 80% – 100% KH")
    assert (low.value, high.value, low.of_plan, high.of_plan) == (80.0, 100.0, True, True)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("5%", "not a range"),
        ("7 - 5%", "low end is above the high end"),
        ("500 - 1 tỷ đồng", "low end is above the high end"),  # 500 tỷ to 1 tỷ: no guess at '500 triệu'
        ("5 - 7 tỷ 500 triệu đồng", "no amount word and the high end several"),
        ("5% - 7 ha", "different units"),
        ("5 ha - 7 hộ", "different units"),
        ("5% - 7", "the high end none"),
        ("trên 5 - 7%", "cannot be qualified"),
        ("từ 5 - 7% trở lên", "cannot be qualified"),
        ("5 - -7%", "second number"),
        ("5 -", "second number"),
        ("tăng 5 - 7%", "range of changes"),
        ("-5 - 7%", "range of changes"),
        ("2.319/2446 - 5", "fractions"),
        ("5 - 7 - 9%", "unexpected '-'"),
    ],
)
def test_parse_range_errors(text, reason):
    with pytest.raises(ValueError) as info:
        parse_range(text)
    assert repr(text) in str(info.value) and reason in str(info.value)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("5%", "no change word or sign"),
        ("trên 30.000 con", "no change word or sign"),
        ("giảm -2 hộ", "both a change word ('giảm') and a sign ('-')"),
        ("tăng 5 - 7%", "range"),
        ("tăng 3/4", "fraction"),
        ("giảm còn 1,6%", "unknown word or sign 'còn'"),  # fell *to* 1,6 %: a level, and not read here
        ("tăng lên 5%", "unknown word or sign 'lên'"),
        ("tăng 12 hộ so với năm", "unknown word or sign 'so'"),
        ("tăng", "no number"),
    ],
)
def test_parse_change_errors(text, reason):
    with pytest.raises(ValueError) as info:
        parse_change(text)
    assert repr(text) in str(info.value) and reason in str(info.value)


@pytest.mark.parametrize(
    ("text", "code", "factor"),
    [
        ("Tỷ.đ", "VND", 1e9),
        ("tỷ đ", "VND", 1e9),
        ("Tr.đ", "VND", 1e6),
        ("triệu đ", "VND", 1e6),
        ("triệu đồng", "VND", 1e6),
        ("đồng", "VND", 1.0),
        ("%", "percent", 1.0),
        ("tạ", "tonnes", 0.1),
        ("kg", "tonnes", 0.001),
        ("tạ/ha", "t_per_ha", 0.1),
        ("hộ", "households", 1.0),
        ("đ/người", "VND_per_person", 1.0),
    ],
)
def test_parse_unit(text, code, factor):
    assert parse_unit(text) == (code, pytest.approx(factor, rel=1e-12))


@pytest.mark.parametrize("text", ["", "5 hộ", "tỷ", "tỷ Tỷ.đ", "tỷ tỷ đ", "abc", "trên %"])
def test_parse_unit_errors(text):
    with pytest.raises(ValueError, match="is not a unit"):
        parse_unit(text)


def test_every_unit_the_parser_reads_is_a_unit_of_the_package():
    codes = {payload.code for kind, payload in numbers._VOCABULARY.values() if kind == "unit"}
    assert codes <= set(units.UNITS)
    assert {"tonnes", "houses", "times_per_person_year", "VND_per_person", "VND_per_gift", "VND_per_year"} <= codes


def test_parse_fraction():
    assert parse_fraction("2.319/2446") == (2319.0, 2446.0)
    assert parse_fraction("9/9 khu dân cư") == (9.0, 9.0)
    assert parse_number("2.319/2446") == pytest.approx(2319 / 2446)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "no number"),
        ("   ", "no number"),
        ("abc", "unknown word"),
        ("1,2,3", "not a well-formed number"),
        ("12.5.3", "not a well-formed number"),
        ("1.000.5", "not a well-formed number"),
        ("5 6", "second number"),
        ("5 và 6", "unknown word"),
        ("30.000 con bò", "unknown word"),
        ("trên", "no number"),
        ("từ 10", "trở lên"),
        ("trên 5 trở lên", "two qualifiers"),
        ("5 triệu 3 tỷ", "cannot continue the amount"),
        ("5 tỷ 1500 triệu", "cannot continue the amount"),
        ("1,5 tỷ 200 triệu", "decimals"),
        ("5 đồng con", "unexpected 'con'"),
        ("%", "no number"),
        ("13-NQ/ĐU", "unknown word"),
        ("5/", "fraction"),
        ("5 triệu/3", "fraction"),
        # ranges, changes and comparisons have their own readers
        ("5-7%", "it is a range: use parse_range()"),
        ("6 - 6,5%", "it is a range: use parse_range()"),
        ("+543 ha", "a leading '+' states a change"),
        ("+5", "a leading '+' states a change"),
        ("-2 hộ", "a '-' before a number with a unit states a change"),
        ("-5 triệu đồng", "a '-' before a number with a unit states a change"),
        ("giảm 1,01%", "'giảm' states a change, not a level: use parse_change()"),
        ("tăng 0,5%", "'tăng' states a change"),
        ("12 hộ so với năm 2020", "'so với năm 2020' compares with another period"),
        # ambiguous or unknown forms stay errors
        ("5 tấn KH", "'KH' follows a percent of the plan only"),
        ("98 kế hoạch", "follows a percent of the plan only"),
        ("vượt 5% KH", "ambiguous"),
        ("100% KH so với năm 2020", "both the plan and 'so với năm 2020'"),
        ("5 tỷ Tỷ.đ", "already holds its amount word"),
        ("5 lần", "unknown word or sign 'lần'"),  # times, or -fold ('gấp 2 lần')
        ("3 nhà", "unknown word or sign 'nhà'"),  # 'nhà văn hoá' is a facility
        ("3 căn hộ", "unknown word or sign 'căn'"),  # a flat, not a house nor a household
        ("500 kg/ha", "unexpected '/'"),
        ("1.095 con,,", "unknown word or sign ','"),
        ("7,5%:", "unknown word or sign ':'"),
        ("5 + 7", "unexpected '+'"),
        ("5 đến", "second number after 'đến'"),
    ],
)
def test_parse_errors(text, reason):
    with pytest.raises(ValueError) as info:
        parse_quantity(text)
    message = str(info.value)
    assert repr(text) in message
    assert reason in message
    assert "expected" in message


def test_fraction_is_not_one_quantity():
    with pytest.raises(ValueError, match="parse_fraction"):
        parse_quantity("2.319/2446")
    with pytest.raises(ValueError, match="not a fraction"):
        parse_fraction("2.319")
    with pytest.raises(ValueError, match="zero base"):
        parse_number("5/0")


def test_parse_rejects_non_text():
    with pytest.raises(TypeError):
        parse_quantity(5)  # type: ignore[arg-type]


# --- machine numbers ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [("7804089625", 7804089625.0), ("-0.6", -0.6), ("1.5e9", 1.5e9), ("2.44", 2.44), ("1.027", 1.027), ("0", 0.0)],
)
def test_parse_machine_number(text, value):
    assert parse_machine_number(text) == value


@pytest.mark.parametrize(
    ("text", "suggestion"),
    [
        ("7.804.089,625", "7804089.625"),
        ("1,82%", "1.82"),
        ("7.804.089.625", "7804089625"),
        ("58 tỷ 123 triệu đồng", "58123000000"),
        ("125 tạ/ha", "12.5"),
        ("0,63", "0.63"),
        ("abc", None),
        ("1,2,3", None),
        ("2.319/2446", None),
        ("", None),
        (" 12", "12"),
        ("1_000", None),
        ("nan", None),
    ],
)
def test_machine_number_errors_and_suggestions(text, suggestion):
    assert suggest_machine_form(text) == suggestion
    with pytest.raises(ValueError) as info:
        parse_machine_number(text)
    message = str(info.value)
    assert repr(text) in message
    assert "expected an optional '-', digits" in message
    if suggestion:
        assert message.endswith(f"whose machine form is {suggestion!r}")
    else:
        assert message.endswith("without grouping separators, spaces or units")


# --- formatting -----------------------------------------------------------------------------------------


def test_babel_separators_match_the_reports():
    # The parser reads the report's conventions; the round trips below rely on Babel's vi agreeing.
    assert (get_group_symbol("vi"), get_decimal_symbol("vi")) == (".", ",")
    assert (get_group_symbol("en"), get_decimal_symbol("en")) == (",", ".")


@pytest.mark.parametrize(
    ("value", "lang", "decimals", "expected"),
    [
        (7804089625, "vi", None, "7.804.089.625"),
        (7804089625, "en", None, "7,804,089,625"),
        (12.5, "vi", None, "12,5"),
        (12.5, "en", None, "12.5"),
        (1.5, "vi", None, "1,5"),
        (1500, "vi", None, "1.500"),
        (12.0, "vi", None, "12"),
        (0.625, "vi", None, "0,63"),  # half up, not Babel's half even
        (2.5, "vi", 0, "3"),
        (12.5, "vi", 2, "12,50"),
        (1234.5678, "en", 1, "1,234.6"),
        (-0.6, "vi", None, "-0,6"),
        (-0.001, "vi", None, "0"),
        (Decimal("0.35"), "vi", 1, "0,4"),
    ],
)
def test_format_number(value, lang, decimals, expected):
    assert format_number(value, lang, decimals) == expected


@pytest.mark.parametrize(
    ("value", "lang", "decimals", "expected"),
    [
        (93, "vi", 1, "93,0%"),
        (93, "en", 1, "93.0%"),
        (2.44, "vi", 2, "2,44%"),
        (114.63, "en", None, "114.63%"),
        (100, "vi", 0, "100%"),
        (1234.5, "vi", 1, "1.234,5%"),
    ],
)
def test_format_percent(value, lang, decimals, expected):
    assert format_percent(value, lang, decimals) == expected


@pytest.mark.parametrize(
    ("value", "lang", "style", "expected"),
    [
        (7804089625, "vi", "digits", "7.804.089.625 đồng"),
        (7804089625, "en", "digits", "7,804,089,625 VND"),
        (58123000000, "vi", "words", "58 tỷ 123 triệu đồng"),
        (1422900000, "vi", "words", "1 tỷ 422 triệu 900 nghìn đồng"),
        (157000000, "vi", "words", "157 triệu đồng"),
        (63000000, "vi", "words", "63 triệu đồng"),
        (900000, "vi", "words", "900 nghìn đồng"),
        (0, "vi", "words", "0 đồng"),
        (5, "vi", "words", "5 đồng"),
        (1000000005, "vi", "words", "1 tỷ 5 đồng"),
        (5010000000, "vi", "words", "5 tỷ 10 triệu đồng"),
        (10**13, "vi", "words", "10.000 tỷ đồng"),
        (-5000000, "vi", "words", "-5 triệu đồng"),
        (1999.5, "vi", "words", "2 nghìn đồng"),
        (7804089625, "en", "words", "7.8 billion VND"),
        (900000, "en", "words", "900 thousand VND"),
    ],
)
def test_format_money(value, lang, style, expected):
    assert format_money(value, lang, style) == expected


@pytest.mark.parametrize(
    ("value", "unit", "lang", "expected"),
    [
        (12.5, "tonnes", "vi", "12,5 tấn"),
        (12.5, "tonnes", "en", "12.5 t"),
        (3, "houses", "en", "3 houses"),
        (33500000, "VND_per_person", "vi", "33.500.000 đồng/người"),
        (45, "times_per_person_year", "en", "45 times per person per year"),
        (12.5, "t_per_ha", "vi", "12,5 tấn/ha"),
        (12.5, "t_per_ha", "en", "12.5 t/ha"),
        (244.7, "ha", "vi", "244,7 ha"),
        (30000, "animals", "vi", "30.000 con"),
        (30000, "animals", "en", "30,000 head"),
        (93, "percent", "vi", "93%"),
        (2.44, "percent", "vi", "2,44%"),
        (7804089625, "VND", "vi", "7.804.089.625 đồng"),
        (5, "count", "vi", "5"),
        (5, None, "en", "5"),
    ],
)
def test_format_quantity(value, unit, lang, expected):
    assert format_quantity(value, unit, lang) == expected


@pytest.mark.parametrize(
    "call",
    [
        lambda: format_number(1, "fr"),
        lambda: format_money(1, style="roman"),
        lambda: format_number(float("nan")),
        lambda: format_number(1, decimals=-1),
    ],
)
def test_format_rejects_bad_arguments(call):
    with pytest.raises(ValueError):
        call()


def test_format_rejects_text():
    with pytest.raises(TypeError):
        format_number("1.027")  # type: ignore[arg-type]


# --- round trips ----------------------------------------------------------------------------------------

AMOUNTS = st.integers(min_value=0, max_value=10**13)


@settings(max_examples=200, deadline=None)
@given(AMOUNTS)
def test_integers_round_trip_vi(x):
    assert parse_number(format_number(x, "vi")) == x
    assert parse_number(format_money(x, "vi")) == x
    words = parse_quantity(format_money(x, "vi", style="words"))
    assert (words.value, words.unit) == (x, "VND")


@settings(max_examples=200, deadline=None)
@given(AMOUNTS)
def test_integers_round_trip_en_through_machine_form(x):
    assert parse_machine_number(format_number(x, "en").replace(",", "")) == x
    assert parse_machine_number(format_money(x, "en").removesuffix(" VND").replace(",", "")) == x


@settings(max_examples=200, deadline=None)
@given(n=st.integers(min_value=0, max_value=10**13), k=st.sampled_from([1, 2]), d=st.sampled_from([1, 2]))
def test_decimals_round_trip(n, k, d):
    """x has k decimals; written with d decimals it reads back as x rounded half up to d decimals."""
    x = n / 10**k
    rounded = n * 10 ** (d - k) if d >= k else (n + 5) // 10  # integer half up, in units of 10**-d
    expected = rounded / 10**d
    assert parse_number(format_number(x, "vi", decimals=d)) == expected
    assert parse_machine_number(format_number(x, "en", decimals=d).replace(",", "")) == expected
    assert parse_number(format_number(x, "vi")) == x  # decimals=None keeps up to 2


@settings(max_examples=200, deadline=None)
@given(x=st.floats(min_value=-1e12, max_value=1e12, allow_nan=False), d=st.sampled_from([0, 1, 2, None]))
def test_any_float_reads_back_within_half_a_last_digit(x, d):
    text = format_number(x, "vi", decimals=d)
    step = 10.0 ** -(2 if d is None else d)
    assert abs(parse_number(text) - x) <= step / 2 + abs(x) * 1e-15
    decimals_shown = len(text.partition(",")[2])
    assert decimals_shown == d if d is not None else decimals_shown <= 2
    assert parse_quantity(text).precision == pytest.approx(10.0**-decimals_shown)


MAGNITUDES = st.integers(min_value=0, max_value=10**9)


@settings(max_examples=200, deadline=None)
@given(n=MAGNITUDES, k=st.sampled_from([0, 1, 2]))
def test_a_formatted_mass_reads_back(n, k):
    x = n / 10**k
    q = parse_quantity(format_quantity(x, "tonnes", "vi"))
    assert (q.value, q.unit) == (x, "tonnes")
    assert q.precision == pytest.approx(10.0 ** -len(format_number(x, "vi").partition(",")[2]))


@settings(max_examples=200, deadline=None)
@given(n=MAGNITUDES, written=st.sampled_from([("tạ", 1), ("yến", 2), ("kg", 3)]))
def test_quintals_and_kilograms_scale_to_tonnes_with_their_precision(n, written):
    word, places = written
    q = parse_quantity(f"{format_number(n, 'vi')} {word}")
    assert (q.value, q.unit, q.precision) == (n / 10**places, "tonnes", pytest.approx(10.0**-places))


@settings(max_examples=200, deadline=None)
@given(n=MAGNITUDES, k=st.sampled_from([0, 1, 2]), unit=st.sampled_from(["percent", "ha", "households", "VND"]),
       fall=st.booleans(), word=st.booleans())
def test_a_formatted_change_reads_back_signed(n, k, unit, fall, word):
    x = n / 10**k if unit != "households" else float(n)
    written = format_quantity(x, unit, "vi")
    text = f"{'giảm' if fall else 'tăng'} {written}" if word else f"{'-' if fall else '+'}{written}"
    q = parse_change(text)
    assert (q.value, q.unit) == (-x if fall else x, unit)
    with pytest.raises(ValueError, match="parse_change"):
        parse_quantity(text)


@settings(max_examples=200, deadline=None)
@given(a=MAGNITUDES, b=MAGNITUDES, k=st.sampled_from([0, 1, 2]), dash=st.sampled_from(["-", " - ", " – ", "—"]),
       unit=st.sampled_from(["percent", "ha", "tonnes"]))
def test_a_formatted_range_reads_back(a, b, k, dash, unit):
    low, high = sorted((a / 10**k, b / 10**k))
    text = f"{format_number(low, 'vi')}{dash}{format_quantity(high, unit, 'vi')}"
    r = parse_range(text)
    assert (r.low.value, r.high.value, r.low.unit, r.high.unit) == (low, high, unit, unit)
    assert r.low.precision == parse_quantity(format_number(low, "vi")).precision


@settings(max_examples=200, deadline=None)
@given(x=st.floats(min_value=0, max_value=1e12, allow_nan=False), unit=st.sampled_from([None, "percent", "tonnes"]),
       mark=st.sampled_from([".", ",", ";", " ."]))
def test_the_sentence_punctuation_after_a_number_changes_nothing(x, unit, mark):
    text = format_quantity(x, unit, "vi") if unit else format_number(x, "vi")
    assert parse_quantity(text + mark) == parse_quantity(text)

"""Tests of camgiang_data.numbers: reading numbers as the report writes them, and formatting them back."""

from __future__ import annotations

import unicodedata
from decimal import Decimal

import pytest
from babel.numbers import get_decimal_symbol, get_group_symbol
from hypothesis import given, settings
from hypothesis import strategies as st

from camgiang_data.numbers import (
    Quantity,
    format_money,
    format_number,
    format_percent,
    format_quantity,
    parse_fraction,
    parse_machine_number,
    parse_number,
    parse_quantity,
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

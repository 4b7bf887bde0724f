"""Read numbers as the 2021 report writes them, and write numbers for readers (vi and en).

The report writes numbers the Vietnamese way -- ``.`` groups thousands, ``,`` is the decimal mark
(``7.804.089.625đ``, ``2,44 %``) -- but it also has English-style decimals such as ``114.63%``.
A dot is therefore ambiguous, and this module reads it by one rule:

* dots that split the integer part into a first group of 1-3 digits (not starting with 0) followed by
  groups of exactly 3 digits are thousands separators: ``1.027`` is 1027, ``7.804.089.625`` is
  7804089625, ``1.234,5`` is 1234.5;
* any other single dot is a decimal mark: ``114.63`` is 114.63, ``0.125`` is 0.125, ``1.0270`` is 1.027;
* a comma is always a decimal mark; a number has at most one decimal mark (``1,2,3`` and ``12.5.3`` are errors).

So ``1.500`` means 1500, never 1.5, which is why :func:`format_number` writes 1.5 as ``1,5`` in Vietnamese
and why ``parse_number(format_number(x, "vi")) == x`` holds.

Data files hold machine numbers instead (``7804089625``, ``2.44``): :func:`parse_machine_number` reads those
strictly and, when handed a Vietnamese-written number by mistake, suggests its machine form.
"""

from __future__ import annotations

import numbers
import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import NamedTuple

from babel import Locale
from babel import numbers as babel_numbers

from camgiang_data.units import label

__all__ = [
    "LANGS",
    "Quantity",
    "format_money",
    "format_number",
    "format_percent",
    "format_quantity",
    "parse_fraction",
    "parse_machine_number",
    "parse_number",
    "parse_quantity",
    "suggest_machine_form",
]

LANGS = ("vi", "en")


@dataclass(frozen=True)
class Quantity:
    """A number as written in the report, in the base unit of :mod:`camgiang_data.units`.

    ``value``: the value in the base unit (``58 tỷ 123 triệu đồng`` -> 58123000000; ``125 tạ/ha`` -> 12.5).
    ``unit``: a unit code of ``camgiang_data.units``, or None for a bare number.
    ``qualifier``: ``above``, ``at_least``, ``below``, ``about``, ``nearly`` or None.
    ``estimated``: True when the text says *ước*, *ước đạt* or *ước tính*.
    ``precision``: the unit of the last printed digit, in the base unit (``2,44 %`` -> 0.01,
    ``58 tỷ 123 triệu đồng`` -> 1e6); use it as the rounding tolerance of the figure.
    """

    value: float
    unit: str | None
    qualifier: str | None
    estimated: bool
    precision: float


# --- vocabulary: every word the tokenizer knows ------------------------------------------------------------

_SCALES = {"tỷ": 10**9, "tỉ": 10**9, "triệu": 10**6, "nghìn": 10**3, "ngàn": 10**3}

# written unit -> (unit code, factor to the base unit); counting nouns have factor 1.
_UNITS: dict[str, tuple[str, Decimal]] = {
    **dict.fromkeys(["đ", "đồng", "vnđ", "vnd"], ("VND", Decimal(1))),
    "đồng/người/năm": ("VND_per_person_year", Decimal(1)),
    **dict.fromkeys(["%", "%/năm"], ("percent", Decimal(1))),
    "ha": ("ha", Decimal(1)),
    **dict.fromkeys(["tấn/ha", "tấn/ha/năm"], ("t_per_ha", Decimal(1))),
    **dict.fromkeys(["tạ/ha", "tạ/ha/năm"], ("t_per_ha", Decimal("0.1"))),
}
_NOUNS: dict[str, str] = {
    "con": "animals",
    "hộ": "households",
    "lượt": "visits",
    "liều": "doses",
    "vụ": "cases",
    "trường hợp": "cases",
    "xuất": "gifts",
    "suất": "gifts",
    "lớp": "classes",
    "trường": "schools",
    "ngày": "days",
    "đơn": "petitions",
    "quyết định": "decisions",
    "khu dân cư": "residential_areas",
    "chốt": "checkpoints",
    **dict.fromkeys(
        ["người", "đ/c", "đồng chí", "em", "cháu", "học sinh", "h/s", "thanh niên", "đại biểu"], "persons"
    ),
}
_QUALIFIERS = {
    **dict.fromkeys(["trên", "hơn", "vượt"], "above"),
    **dict.fromkeys(["tối thiểu", "ít nhất"], "at_least"),
    "dưới": "below",
    **dict.fromkeys(["khoảng", "xấp xỉ"], "about"),
    "gần": "nearly",
}

# word -> (token kind, payload)
_VOCABULARY: dict[str, tuple[str, object]] = {
    **{w: ("scale", Decimal(v)) for w, v in _SCALES.items()},
    **{w: ("unit", u) for w, u in _UNITS.items()},
    **{w: ("unit", (code, Decimal(1))) for w, code in _NOUNS.items()},
    **{w: ("qualifier", q) for w, q in _QUALIFIERS.items()},
    "từ": ("from", None),
    "trở lên": ("or_more", None),
    "ước": ("estimate", None),
    "ước tính": ("estimate", None),
    "đạt": ("reach", None),
}
_VOCABULARY = {unicodedata.normalize("NFC", w): v for w, v in _VOCABULARY.items()}

# The one tokenizer: a number, a fraction slash, or a known word (longest first, ending at a word boundary).
_TOKEN = re.compile(
    r"\s*(?:(?P<number>-?[0-9](?:[0-9.,]*[0-9])?)|(?P<slash>/)|(?P<word>%s)(?!\w))"
    % "|".join(map(re.escape, sorted(_VOCABULARY, key=len, reverse=True))),
    re.IGNORECASE,
)
# One written number (the dot rule of the module docstring).
_LITERAL = re.compile(
    r"""(?P<whole>[1-9][0-9]{0,2}(?:\.[0-9]{3})+ | [0-9]+)  # dots group thousands: 7.804.089.625, or no dot
        (?:,(?P<frac>[0-9]+))?                           # decimal comma: 1.234,5
      | (?P<dwhole>[0-9]+)\.(?P<dfrac>[0-9]+)             # any other dot is a decimal mark: 114.63""",
    re.VERBOSE,
)
_MACHINE = re.compile(r"-?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
_STROKED_D = re.compile("([dD])[\u0335\u0336]")  # d + combining stroke, a decomposed spelling of đ

_EXPECTED = (
    "one number as written in the report (e.g. '7.804.089.625đ', '58 tỷ 123 triệu đồng', '2,44 %', "
    "'125 tạ/ha', '1.027'), optionally after a qualifier (trên, hơn, vượt, dưới, gần, khoảng, xấp xỉ, "
    "từ … trở lên, tối thiểu, ít nhất, ước/ước đạt/ước tính, đạt) and followed by a unit or counting noun "
    "(đ, đồng, VNĐ, %, ha, tấn/ha, tạ/ha, con, hộ, người, lượt, …)"
)


class _Token(NamedTuple):
    kind: str
    text: str
    payload: object


class _Parsed(NamedTuple):
    value: Decimal
    unit: str | None
    qualifier: str | None
    estimated: bool
    precision: Decimal
    denominator: Decimal | None


def _error(text: str, reason: str) -> ValueError:
    return ValueError(f"cannot read {text!r} as a number: {reason}; expected {_EXPECTED}")


def _normalise(text: str) -> str:
    """NFC, decomposed đ composed, Unicode minus to '-', whitespace (incl. no-break spaces) collapsed."""
    text = _STROKED_D.sub(lambda m: "đĐ"[m[1] == "D"], unicodedata.normalize("NFC", text))
    return " ".join(text.replace("\u2212", "-").split())


def _tokenize(text: str) -> list[_Token]:
    s, pos, tokens = _normalise(text), 0, []
    while pos < len(s):
        m = _TOKEN.match(s, pos)
        if m is None:
            raise _error(text, f"unknown word or sign {s[pos:].split()[0]!r}")
        kind, payload = (m.lastgroup, None) if m.lastgroup != "word" else _VOCABULARY[m["word"].lower()]
        tokens.append(_Token(kind, m[m.lastgroup], payload))
        pos = m.end()
    return tokens


def _literal(written: str, text: str) -> tuple[Decimal, Decimal]:
    """Value and precision (unit of the last digit) of one written number such as '7.804.089,625'."""
    m = _LITERAL.fullmatch(written.lstrip("-"))
    if m is None:
        raise _error(text, f"{written!r} is not a well-formed number (see the dot rule in camgiang_data.numbers)")
    whole = (m["whole"] or m["dwhole"]).replace(".", "")
    frac = m["frac"] or m["dfrac"] or ""
    value = Decimal(f"{whole}.{frac}" if frac else whole)
    return (-value if written.startswith("-") else value), Decimal(1).scaleb(-len(frac))


def _amount(parts: list[tuple[str, Decimal]], text: str) -> tuple[Decimal, Decimal]:
    """Value and precision of '58 tỷ 123 triệu', '1 tỷ 5', '515,74 tỷ' or a single number."""
    total = Decimal(0)
    for i, (written, scale) in enumerate(parts):
        number, precision = _literal(written, text)
        if i and (written.startswith("-") or number >= 1000 or scale >= parts[i - 1][1]):
            raise _error(text, f"{written!r} cannot continue the amount: later parts must be numbers below 1000 "
                         "with a smaller amount word (… tỷ … triệu … nghìn …)")
        if precision < 1 and i < len(parts) - 1:
            raise _error(text, f"{written!r} has decimals but is not the last part of the amount")
        total += abs(number) * scale
    return (-total if parts[0][0].startswith("-") else total), precision * scale


def _parse(text: str) -> _Parsed:
    if not isinstance(text, str):
        raise TypeError(f"expected a str, got {type(text).__name__}")
    tokens, pos = _tokenize(text), 0

    def take(kind: str) -> _Token | None:
        nonlocal pos
        if pos < len(tokens) and tokens[pos].kind == kind:
            pos += 1
            return tokens[pos - 1]
        return None

    estimated = take("estimate") is not None
    take("reach")
    qualifier = take("qualifier")
    from_ = None if qualifier else take("from")
    parts: list[tuple[str, Decimal]] = []
    while number := take("number"):
        scale = take("scale")
        parts.append((number.text, scale.payload if scale else Decimal(1)))
        if scale is None:
            break
    if not parts:
        found = f"found {tokens[pos].text!r}" if pos < len(tokens) else "found nothing"
        raise _error(text, f"no number ({found} where a number should be)")
    denominator = None
    if len(parts) == 1 and take("slash"):
        den = take("number")
        if den is None or parts[0][1] != 1:
            raise _error(text, "a fraction is two plain numbers around '/', as in '2.319/2446'")
        denominator = _literal(den.text, text)[0]
    unit, or_more = take("unit"), take("or_more")
    if pos < len(tokens):
        extra = tokens[pos]
        raise _error(text, f"found a second number {extra.text!r}" if extra.kind == "number"
                     else f"unexpected {extra.text!r} here")
    if from_ and not or_more:
        raise _error(text, "'từ' must be closed by 'trở lên'")
    if qualifier and or_more:
        raise _error(text, f"two qualifiers ({qualifier.text!r} and 'trở lên')")
    value, precision = _amount(parts, text)
    code, factor = unit.payload if unit else (None, Decimal(1))
    return _Parsed(
        value * factor,
        code,
        "at_least" if or_more else (qualifier.payload if qualifier else None),
        estimated,
        precision * factor,
        None if denominator is None else denominator * factor,
    )


# --- public parsing -------------------------------------------------------------------------------------


def parse_quantity(text: str) -> Quantity:
    """Parse one number as the report writes it: '7.804.089.625đ', 'ước đạt trên 55,1 triệu đồng', '125 tạ/ha'.

    Money words (tỷ, triệu, nghìn/ngàn) scale to đồng and tạ/ha to t/ha. Raises ValueError for anything
    else -- two numbers, unknown words, malformed digits -- and for fractions (see parse_fraction).
    """
    p = _parse(text)
    if p.denominator is not None:
        raise ValueError(f"{text!r} is a fraction, not one quantity; use parse_fraction() or parse_number()")
    return Quantity(float(p.value), p.unit, p.qualifier, p.estimated, float(p.precision))


def parse_number(text: str) -> float:
    """The value of a written number: parse_quantity(text).value, or numerator/base for a fraction like '2.319/2446'."""
    p = _parse(text)
    if p.denominator is None:
        return float(p.value)
    if p.denominator == 0:
        raise ValueError(f"cannot read {text!r} as a number: the fraction has a zero base")
    return float(p.value / p.denominator)


def parse_fraction(text: str) -> tuple[float, float]:
    """Numerator and base of a written fraction: '2.319/2446' -> (2319.0, 2446.0)."""
    p = _parse(text)
    if p.denominator is None:
        raise ValueError(f"{text!r} is not a fraction: expected two numbers around '/', as in '2.319/2446'")
    return float(p.value), float(p.denominator)


def suggest_machine_form(text: str) -> str | None:
    """The machine form ('7804089625', '1.82') of a number written the report's way, or None if text is not one."""
    try:
        p = _parse(text)
    except (ValueError, TypeError):
        return None
    return None if p.denominator is not None else format(p.value.normalize(), "f")


def parse_machine_number(text: str) -> float:
    """Strictly parse a number of a data file: optional '-', digits, optional '.digits', optional exponent.

    Grouping, decimal commas, spaces and units are rejected with a ValueError that, when the text is a
    Vietnamese-written number, gives its machine form ('7.804.089,625' -> '7804089.625').
    """
    if isinstance(text, str) and _MACHINE.fullmatch(text):
        return float(text)
    suggestion = suggest_machine_form(text)
    hint = ""
    if suggestion:
        hint = f"; it reads as a number written the report's way, whose machine form is {suggestion!r}"
    raise ValueError(
        f"{text!r} is not a machine number: expected an optional '-', digits, an optional '.' with digits and an "
        f"optional exponent (e.g. '7804089625', '-0.6', '1.5e9'), without grouping separators, spaces or units{hint}"
    )


# --- formatting -----------------------------------------------------------------------------------------

_ROUNDING = Context(prec=100, rounding=ROUND_HALF_UP)
_WORD_SCALES = ((10**9, "tỷ"), (10**6, "triệu"), (10**3, "nghìn"))


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")


def _rounded(value: float | Decimal, decimals: int | None) -> Decimal:
    """value as a Decimal rounded half up to `decimals` places (2 when None), without a negative zero."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real | Decimal):
        raise TypeError(f"expected a number, got {value!r}")
    if decimals is not None and decimals < 0:
        raise ValueError(f"decimals must be None or >= 0, not {decimals}")
    d = value if isinstance(value, Decimal) else Decimal(int(value)) if isinstance(value, numbers.Integral) \
        else Decimal(repr(float(value)))
    if not d.is_finite():
        raise ValueError(f"cannot format {value!r}")
    r = d.quantize(Decimal(1).scaleb(-(2 if decimals is None else decimals)), context=_ROUNDING)
    return r.copy_abs() if r.is_zero() else r


def _fraction_pattern(decimals: int | None) -> str:
    return ".##" if decimals is None else "." + "0" * decimals if decimals else ""


def format_number(value: float | Decimal, lang: str = "vi", decimals: int | None = None) -> str:
    """Format with the locale's separators: vi '7.804.089.625', '12,5'; en '7,804,089,625', '12.5'.

    decimals=None prints as many decimals as needed up to 2, without trailing zeros; rounding is half up
    on the decimal value (0.625 -> '0,63'), as readers of a report expect, not Babel's default half even.
    """
    _check_lang(lang)
    return babel_numbers.format_decimal(_rounded(value, decimals), format="#,##0" + _fraction_pattern(decimals),
                                        locale=lang)


def format_percent(value: float | Decimal, lang: str = "vi", decimals: int | None = 1) -> str:
    """Format a value given in percent with the locale's CLDR percent pattern: 93 -> vi '93,0%', en '93.0%'.

    Babel's vi pattern has no space before '%' (the report writes both '93%' and '2,44 %'; both parse).
    """
    _check_lang(lang)
    pattern = Locale.parse(lang).percent_formats[None].pattern.replace("0", "0" + _fraction_pattern(decimals), 1)
    return babel_numbers.format_percent(_rounded(value, decimals).scaleb(-2), format=pattern, locale=lang)


def _vi_words(amount: int) -> str:
    rest, parts = abs(amount), []
    for scale, word in _WORD_SCALES:
        count, rest = divmod(rest, scale)
        if count:
            parts.append(f"{format_number(count, 'vi')} {word}")
    if rest or not parts:
        parts.append(str(rest))
    return (babel_numbers.get_minus_sign_symbol("vi") if amount < 0 else "") + " ".join(parts)


def format_money(value: float | Decimal, lang: str = "vi", style: str = "digits") -> str:
    """Format an amount in đồng.

    style="digits": vi '7.804.089.625 đồng', en '7,804,089,625 VND' (decimals as in format_number).
    style="words" (whole đồng, rounded half up): vi '58 tỷ 123 triệu đồng', '1 tỷ 422 triệu 900 nghìn đồng',
    '0 đồng'; a remainder under 1000 is written as a bare number before the unit ('1 tỷ 5 đồng'), and a
    count of tỷ of 1000 or more keeps its grouping ('10.000 tỷ đồng'), so parse_quantity reads every one
    back exactly. en has no such form and uses Babel's compact long format: '7.8 billion VND'.
    """
    _check_lang(lang)
    if style == "digits":
        return f"{format_number(value, lang)} {label('VND', lang)}"
    if style != "words":
        raise ValueError(f"style must be 'digits' or 'words', not {style!r}")
    amount = _rounded(value, 0)
    if lang == "en":
        return f"{babel_numbers.format_compact_decimal(amount, format_type='long', locale='en', fraction_digits=1)} VND"
    return f"{_vi_words(int(amount))} {label('VND', 'vi')}"


def format_quantity(value: float | Decimal, unit: str | None, lang: str = "vi") -> str:
    """Format a value with the reader label of its unit code: (12.5, 't_per_ha') -> vi '12,5 tấn/ha', en '12.5 t/ha'.

    Percent goes through format_percent without trailing zeros ('93%'); a unit without a label
    ('count') or None gives the bare number.
    """
    if unit == "percent":
        return format_percent(value, lang, decimals=None)
    text = format_number(value, lang)
    unit_label = label(unit, lang) if unit else ""
    return f"{text} {unit_label}" if unit_label else text

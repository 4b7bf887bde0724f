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

A written number is one of three things, and each has its own reader, so that a caller always says which
it expects and a fall is never read as a level:

* a level -- :func:`parse_quantity`: ``gần 1.874 tấn``, ``đạt 100% KH``, ``2.843 lao động``, ``-0,6``
  (only a bare number may carry a ``-``: before a unit or noun it marks a change);
* a change -- :func:`parse_change`: ``giảm 1,01%``, ``+543 ha``, ``tăng 12 hộ so với năm 2020``, signed;
* a range -- :func:`parse_range`: ``5-7%``, ``6 - 6,5%``, ``từ 80% – 100%``, its low and high.

Each reader refuses the other two forms with a message naming the right one. A trailing ``.``, ``,`` or ``;``
(the sentence's, not the number's) is ignored: ``7,5%.`` is 7,5 %.

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
    "Range",
    "format_money",
    "format_number",
    "format_percent",
    "format_quantity",
    "parse_change",
    "parse_fraction",
    "parse_machine_number",
    "parse_number",
    "parse_quantity",
    "parse_range",
    "parse_unit",
    "suggest_machine_form",
]

LANGS = ("vi", "en")


@dataclass(frozen=True)
class Quantity:
    """A number as written in the report, in the base unit of :mod:`camgiang_data.units`.

    ``value``: the value in the base unit (``58 tỷ 123 triệu đồng`` -> 58123000000; ``125 tạ/ha`` -> 12.5);
    signed for a change (``giảm 1,01%`` -> -1.01).
    ``unit``: a unit code of ``camgiang_data.units``, or None for a bare number.
    ``qualifier``: ``above``, ``at_least``, ``below``, ``about``, ``nearly`` or None; for a change it qualifies
    the magnitude (``giảm trên 5%``: a fall of more than 5 %).
    ``estimated``: True when the text says *ước*, *ước đạt* or *ước tính*.
    ``precision``: the unit of the last printed digit, in the base unit (``2,44 %`` -> 0.01,
    ``58 tỷ 123 triệu đồng`` -> 1e6, ``125 tạ`` -> 0.1); use it as the rounding tolerance of the figure.
    ``of_plan``: True when a percent is followed by *KH*, *kế hoạch* or *so với kế hoạch* (``đạt 93% KH``):
    the text says it is a share of the plan; whether the figure is a plan attainment is the caller's call.
    ``compared_with``: for a change, the period it is against as written after *so với* (``năm 2020``,
    ``cùng kỳ``, ``cuối năm 2020``), else None.
    """

    value: float
    unit: str | None
    qualifier: str | None
    estimated: bool
    precision: float
    of_plan: bool = False
    compared_with: str | None = None


class Range(NamedTuple):
    """The two ends of a written range (``6 - 6,5%`` -> 6 % and 6,5 %), each with its own precision."""

    low: Quantity
    high: Quantity


# --- vocabulary: every word the tokenizer knows ------------------------------------------------------------

_SCALES = {"tỷ": 10**9, "tỉ": 10**9, "triệu": 10**6, "nghìn": 10**3, "ngàn": 10**3}

_MONEY = ("đ", "đồng", "vnđ", "vnd")
# What an amount of money is counted per ('33.500.000đ/người', '49,46 triệu đồng/năm') -> unit code.
_MONEY_PER = {
    "người": "VND_per_person",
    "suất": "VND_per_gift",
    "xuất": "VND_per_gift",  # the report's spelling of suất
    "năm": "VND_per_year",
    "người/năm": "VND_per_person_year",
}
# written unit -> (unit code, factor to the base unit).
_UNITS: dict[str, tuple[str, Decimal]] = {
    **dict.fromkeys(_MONEY, ("VND", Decimal(1))),
    **{f"{m}/{per}": (code, Decimal(1)) for m in _MONEY for per, code in _MONEY_PER.items()},
    **dict.fromkeys(["%", "%/năm"], ("percent", Decimal(1))),
    "ha": ("ha", Decimal(1)),
    # mass in tonnes: 1 tạ = 100 kg, 1 yến = 10 kg
    "tấn": ("tonnes", Decimal(1)),
    "tạ": ("tonnes", Decimal("0.1")),
    "yến": ("tonnes", Decimal("0.01")),
    "kg": ("tonnes", Decimal("0.001")),
    **dict.fromkeys(["tấn/ha", "tấn/ha/năm"], ("t_per_ha", Decimal(1))),
    **dict.fromkeys(["tạ/ha", "tạ/ha/năm"], ("t_per_ha", Decimal("0.1"))),
    "lần/người/năm": ("times_per_person_year", Decimal(1)),
}
# A table's unit column may hold the amount word too: '515,74' under 'Tỷ.đ' is 515,74 tỷ đồng.
_TABLE_UNITS: dict[str, tuple[str, Decimal]] = {
    **dict.fromkeys(["tỷ.đ", "tỉ.đ", "tỷ.đồng", "tỷđ"], ("VND", Decimal(10**9))),
    **dict.fromkeys(["tr.đ", "tr.đồng", "trđ"], ("VND", Decimal(10**6))),
}
# counting noun -> the count unit it counts in (factor 1). Bare 'lần' (times, or -fold as in 'gấp 2 lần') and
# bare 'nhà' ('nhà văn hoá' is a facility) are left out: ambiguous.
_NOUNS: dict[str, str] = {
    "con": "animals",
    **dict.fromkeys(["hộ", "hộ gia đình"], "households"),
    **dict.fromkeys(["căn nhà", "ngôi nhà"], "houses"),
    **dict.fromkeys(["lượt", "lượt người"], "visits"),
    **dict.fromkeys(["liều", "mũi"], "doses"),
    **dict.fromkeys(["vụ", "vụ việc", "trường hợp"], "cases"),
    **dict.fromkeys(["xuất", "suất"], "gifts"),
    "lớp": "classes",
    "trường": "schools",
    "phòng": "rooms",
    "tầng": "floors",
    "cơ sở": "facilities",
    "ngày": "days",
    "đơn": "petitions",
    "quyết định": "decisions",
    "thủ tục": "procedures",
    "khu dân cư": "residential_areas",
    "chốt": "checkpoints",
    **dict.fromkeys(
        ["người", "đ/c", "đồng chí", "em", "cháu", "học sinh", "h/s", "thanh niên", "đại biểu", "lao động",
         "thành viên"], "persons"
    ),
}
_QUALIFIERS = {
    **dict.fromkeys(["trên", "hơn", "vượt"], "above"),
    **dict.fromkeys(["tối thiểu", "ít nhất"], "at_least"),
    "dưới": "below",
    **dict.fromkeys(["khoảng", "xấp xỉ"], "about"),
    "gần": "nearly",
}
_CHANGES = {"tăng": 1, "tăng thêm": 1, "giảm": -1}  # the direction of a change


class _Unit(NamedTuple):
    code: str
    factor: Decimal
    holds_scale: bool  # 'Tỷ.đ': no amount word may come before it


# word -> (token kind, payload)
_VOCABULARY: dict[str, tuple[str, object]] = {
    **{w: ("scale", Decimal(v)) for w, v in _SCALES.items()},
    **{w: ("unit", _Unit(code, f, False)) for w, (code, f) in _UNITS.items()},
    **{w: ("unit", _Unit(code, f, True)) for w, (code, f) in _TABLE_UNITS.items()},
    **{w: ("unit", _Unit(code, Decimal(1), False)) for w, code in _NOUNS.items()},
    **{w: ("qualifier", q) for w, q in _QUALIFIERS.items()},
    **{w: ("change", d) for w, d in _CHANGES.items()},
    **dict.fromkeys(["kh", "kế hoạch", "so với kh", "so với kế hoạch"], ("plan", None)),
    "từ": ("from", None),
    "đến": ("to", None),
    "trở lên": ("or_more", None),
    "ước": ("estimate", None),
    "ước tính": ("estimate", None),
    "đạt": ("reach", None),
}
_VOCABULARY = {unicodedata.normalize("NFC", w): v for w, v in _VOCABULARY.items()}

# The one tokenizer: a number, a fraction slash, a sign, a dash, or a known word (longest first, ending at a
# word boundary unless it ends in a sign: '100%KH'). A '-' is a sign before the number and a range dash after
# one ('5-7%'); '–' and '—' are dashes.
_TOKEN = re.compile(
    r"\s*(?:(?P<number>[0-9](?:[0-9.,]*[0-9])?)|(?P<slash>/)|(?P<sign>[-+])|(?P<dash>[–—])"
    r"|(?P<word>%s)(?:(?<=\w)(?!\w)|(?<!\w)))"
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
# The period a change is against, at the end: 'tăng 12 hộ so với năm 2020' (its year is no figure).
_VERSUS = re.compile(
    r" so với (?P<base>cùng k[ỳì](?: năm (?:trước|(?:19|20)[0-9]{2}))?"
    r"|(?:cuối |đầu )?năm (?:trước|(?:19|20)[0-9]{2}))$",
    re.IGNORECASE,
)
_SENTENCE_MARK = re.compile(r" ?[.,;]$")  # the sentence's punctuation after the number: '7,5%.', '1.095 con,'
_MACHINE = re.compile(r"-?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
_STROKED_D = re.compile("([dD])[\u0335\u0336]")  # d + combining stroke, a decomposed spelling of đ

_EXPECTED = (
    "one number as written in the report (e.g. '7.804.089.625đ', '58 tỷ 123 triệu đồng', '2,44 %', "
    "'125 tạ/ha', '1.027'), optionally after a qualifier (trên, hơn, vượt, dưới, gần, khoảng, xấp xỉ, "
    "từ … trở lên, tối thiểu, ít nhất, ước/ước đạt/ước tính, đạt) and followed by a unit or counting noun "
    "(đ, đồng, VNĐ, Tỷ.đ, Tr.đ, đ/người, đồng/năm, %, ha, tấn, tạ, kg, tấn/ha, tạ/ha, con, hộ, người, lượt, "
    "lao động, …) and, after a percent, by KH/kế hoạch"
)


class _Token(NamedTuple):
    kind: str
    text: str
    payload: object


class _Term(NamedTuple):
    """One number as written: its amount parts ('58' tỷ, '123' triệu), a fraction's base, its unit."""

    parts: list[tuple[str, Decimal]]
    denominator: str | None
    unit: _Token | None


class _Syntax(NamedTuple):
    """What the words around the number(s) say; values are read from it by _value."""

    low: _Term
    high: _Term | None  # the second number of a range
    sign: _Token | None  # '+' or '-' before the number
    change: _Token | None  # tăng / giảm
    qualifier: _Token | None
    or_more: bool  # từ … trở lên, … trở lên
    estimated: bool
    of_plan: bool
    compared_with: str | None


class _Value(NamedTuple):
    value: Decimal  # unsigned unless a bare '-0,6'
    unit: str | None
    precision: Decimal
    denominator: Decimal | None


def _error(text: str, reason: str) -> ValueError:
    return ValueError(f"cannot read {text!r} as a number: {reason}; expected {_EXPECTED}")


def _normalise(text: str) -> str:
    """NFC, decomposed đ composed, Unicode minus to '-', whitespace (incl. no-break spaces) collapsed, no blanks
    around '/' ('49,46 triệu đồng /năm' is đồng/năm)."""
    text = _STROKED_D.sub(lambda m: "đĐ"[m[1] == "D"], unicodedata.normalize("NFC", text))
    return re.sub(r" ?/ ?", "/", " ".join(text.replace("\u2212", "-").split()))


def _tokenize(s: str, text: str) -> list[_Token]:
    pos, tokens = 0, []
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
    m = _LITERAL.fullmatch(written)
    if m is None:
        raise _error(text, f"{written!r} is not a well-formed number (see the dot rule in camgiang_data.numbers)")
    whole = (m["whole"] or m["dwhole"]).replace(".", "")
    frac = m["frac"] or m["dfrac"] or ""
    return Decimal(f"{whole}.{frac}" if frac else whole), Decimal(1).scaleb(-len(frac))


def _amount(parts: list[tuple[str, Decimal]], text: str) -> tuple[Decimal, Decimal]:
    """Value and precision of '58 tỷ 123 triệu', '1 tỷ 5', '515,74 tỷ' or a single number."""
    total = Decimal(0)
    for i, (written, scale) in enumerate(parts):
        number, precision = _literal(written, text)
        if i and (number >= 1000 or scale >= parts[i - 1][1]):
            raise _error(text, f"{written!r} cannot continue the amount: later parts must be numbers below 1000 "
                         "with a smaller amount word (… tỷ … triệu … nghìn …)")
        if precision < 1 and i < len(parts) - 1:
            raise _error(text, f"{written!r} has decimals but is not the last part of the amount")
        total += number * scale
    return total, precision * scale


def _syntax(text: str) -> _Syntax:
    """Read the words: [ước] [đạt] [tăng|giảm] [qualifier|từ] [+|-] number [unit] [- number [unit]] [KH]
    [trở lên] [so với <period>]. Checks what holds for every reader; the readers check the rest."""
    if not isinstance(text, str):
        raise TypeError(f"expected a str, got {type(text).__name__}")
    s = _SENTENCE_MARK.sub("", _normalise(text))
    versus = _VERSUS.search(s)
    if versus:
        s = s[:versus.start()]
    tokens, pos = _tokenize(s, text), 0

    def take(kind: str, written: str | None = None) -> _Token | None:
        nonlocal pos
        if pos < len(tokens) and tokens[pos].kind == kind and written in (None, tokens[pos].text):
            pos += 1
            return tokens[pos - 1]
        return None

    def term() -> _Term | None:
        parts: list[tuple[str, Decimal]] = []
        while number := take("number"):
            scale = take("scale")
            parts.append((number.text, scale.payload if scale else Decimal(1)))
            if scale is None:
                break
        if not parts:
            return None
        denominator = None
        if len(parts) == 1 and take("slash"):
            den = take("number")
            if den is None or parts[0][1] != 1:
                raise _error(text, "a fraction is two plain numbers around '/', as in '2.319/2446'")
            denominator = den.text
        return _Term(parts, denominator, take("unit"))

    estimated = take("estimate") is not None
    take("reach")
    change = take("change")
    qualifier = take("qualifier")
    from_ = None if qualifier else take("from")
    sign = take("sign")
    low = term()
    if low is None:
        found = f"found {tokens[pos].text!r}" if pos < len(tokens) else "found nothing"
        raise _error(text, f"no number ({found} where a number should be)")
    high = None
    if dash := take("dash") or take("to") or take("sign", "-"):
        high = term()
        if high is None:
            raise _error(text, f"a range needs a second number after {dash.text!r}")
    plan, or_more = take("plan"), take("or_more")
    if pos < len(tokens):
        extra = tokens[pos]
        raise _error(text, f"found a second number {extra.text!r}" if extra.kind == "number"
                     else f"unexpected {extra.text!r} here")
    if from_ and not or_more and high is None:
        raise _error(text, "'từ' must be closed by 'trở lên' or open a range ('từ 80% – 100%')")
    if qualifier and or_more:
        raise _error(text, f"two qualifiers ({qualifier.text!r} and 'trở lên')")
    if high is not None and (qualifier or or_more):
        raise _error(text, f"a range cannot be qualified ({(qualifier.text if qualifier else 'trở lên')!r}): "
                     "its two ends are its bounds")
    if sign and change:
        raise _error(text, f"both a change word ({change.text!r}) and a sign ({sign.text!r})")
    if plan:
        last = (high or low).unit
        if last is None or last.payload.code != "percent":
            raise _error(text, f"{plan.text!r} follows a percent of the plan only, as in 'đạt 93% KH'")
        if qualifier and qualifier.text.lower() == "vượt":
            # 'vượt 5% KH' is either an excess of 5 % over the plan (105 %) or above 5 % of it
            raise _error(text, "'vượt … % KH' is ambiguous: exceeding the plan by that much, or above that share")
        if versus:
            raise _error(text, f"compared with both the plan and 'so với {versus['base']}'")
    return _Syntax(low, high, sign, change, qualifier, bool(or_more), estimated, plan is not None,
                   versus["base"].lower() if versus else None)


def _value(term: _Term, text: str, like: _Term | None = None) -> _Value:
    """The value of one term, in the base unit. `like`: the high end of a range, whose unit (and amount word,
    for a single-part number: '5 - 7 tỷ đồng') a bare low end shares ('6 - 6,5%')."""
    parts, unit = term.parts, term.unit
    if like is not None and unit is None:
        unit = like.unit
        if len(parts) == 1 and parts[0][1] == 1 and like.parts[0][1] != 1:
            if len(like.parts) > 1:  # '5 - 7 tỷ 500 triệu': 5 tỷ? 5 triệu? never 5 đồng
                raise _error(text, "the low end has no amount word and the high end several")
            parts = [(parts[0][0], like.parts[0][1])]
    if unit is not None and unit.payload.holds_scale and any(scale != 1 for _, scale in parts):
        raise _error(text, f"{unit.text!r} already holds its amount word (tỷ, triệu): none may come before it")
    value, precision = _amount(parts, text)
    code, factor = (unit.payload.code, unit.payload.factor) if unit else (None, Decimal(1))
    denominator = None if term.denominator is None else _literal(term.denominator, text)[0] * factor
    return _Value(value * factor, code, precision * factor, denominator)


def _quantity(v: _Value, p: _Syntax, value: Decimal | None = None) -> Quantity:
    return Quantity(float(v.value if value is None else value) + 0.0, v.unit,
                    "at_least" if p.or_more else (p.qualifier.payload if p.qualifier else None),
                    p.estimated, float(v.precision), p.of_plan, p.compared_with)


def _level(text: str) -> tuple[_Syntax, _Value]:
    """A level: one number, not a range nor a change (the readers of a level all go through here)."""
    p = _syntax(text)
    if p.high is not None:
        raise _error(text, "it is a range: use parse_range(), which gives its low and high")
    if p.change is not None:
        raise _error(text, f"{p.change.text!r} states a change, not a level: use parse_change()")
    if p.sign is not None and p.sign.text == "+":
        raise _error(text, "a leading '+' states a change, not a level: use parse_change()")
    if p.sign is not None and p.low.unit is not None:  # '-2 hộ' is a fall; a bare '-0,6' is a negative number
        raise _error(text, "a '-' before a number with a unit states a change, not a level: use parse_change() "
                     "(only a bare number such as '-0,6' may be negative)")
    if p.compared_with is not None:
        raise _error(text, f"'so với {p.compared_with}' compares with another period: a change (with tăng, giảm "
                     "or a sign) is read by parse_change()")
    v = _value(p.low, text)
    return p, v._replace(value=-v.value) if p.sign is not None else v


# --- public parsing -------------------------------------------------------------------------------------


def parse_quantity(text: str) -> Quantity:
    """Parse one level as the report writes it: '7.804.089.625đ', 'ước đạt trên 55,1 triệu đồng', '125 tạ/ha',
    'gần 1.874 tấn', '2.843 lao động', 'đạt 100% KH' (of_plan), '515,74 Tỷ.đ', '33.500.000đ/người'.

    Money words (tỷ, triệu, nghìn/ngàn) scale to đồng, tạ and kg to tonnes, tạ/ha to t/ha; a counting noun
    gives a count of what it names. Raises ValueError for anything else -- two numbers, unknown words,
    malformed digits -- and for fractions (see parse_fraction), ranges (see parse_range) and changes, i.e. a
    tăng/giảm, a '+', or a '-' before a unit (see parse_change).
    """
    p, v = _level(text)
    if v.denominator is not None:
        raise ValueError(f"{text!r} is a fraction, not one quantity; use parse_fraction() or parse_number()")
    return _quantity(v, p)


def parse_change(text: str) -> Quantity:
    """Parse a change, signed: 'giảm 1,01%' -> -1.01 percent, '+543 ha' -> 543 ha, '-2 hộ' -> -2 households,
    'tăng 12 hộ so với năm 2020' -> 12 households compared_with 'năm 2020'.

    The unit is the one printed: a change of a rate printed with % stays 'percent' (whether it is in
    percentage points is the caller's knowledge). Qualifiers qualify the magnitude ('giảm từ 0,2% trở lên' ->
    -0.2, at_least). A text without tăng/giảm or a sign is a level (see parse_quantity): a ValueError.
    """
    p = _syntax(text)
    if p.high is not None:
        raise _error(text, "a change given as a range is not read")
    if p.change is None and p.sign is None:
        raise _error(text, "no change word or sign (tăng, giảm, +, -): a level is read by parse_quantity()")
    v = _value(p.low, text)
    if v.denominator is not None:
        raise _error(text, "a fraction is not a change")
    falls = (p.change is not None and p.change.payload < 0) or (p.sign is not None and p.sign.text == "-")
    return _quantity(v, p, -v.value if falls else v.value)


def parse_range(text: str) -> Range:
    """Parse a range into its two ends: '5-7%', '6 - 6,5%', 'từ 80% – 100%', 'từ 5 đến 7 tỷ đồng'.

    A low end printed without its unit shares the high end's ('14 - 16%'), and its amount word when both are
    single numbers ('5 - 7 tỷ đồng' is 5 to 7 tỷ). Two different units, a unit on the low end only, a low
    end above the high end, a qualifier, a sign or a fraction are errors.
    """
    p = _syntax(text)
    if p.high is None:
        raise _error(text, "not a range: expected two numbers joined by '-', '–' or 'đến' (e.g. '5-7%', "
                     "'từ 80% – 100%')")
    if p.sign is not None or p.change is not None or p.compared_with is not None:
        raise _error(text, "a range of changes is not read")
    if p.low.unit is not None and p.high.unit is None:
        raise _error(text, f"the low end has a unit ({p.low.unit.text!r}) and the high end none")
    low, high = _value(p.low, text, like=p.high), _value(p.high, text)
    if low.unit != high.unit:
        raise _error(text, f"the two ends have different units ({p.low.unit.text!r} and {p.high.unit.text!r})")
    if low.denominator is not None or high.denominator is not None:
        raise _error(text, "a range of fractions is not read")
    if low.value > high.value:
        raise _error(text, "the low end is above the high end")
    return Range(_quantity(low, p), _quantity(high, p))


def parse_unit(text: str) -> tuple[str, float]:
    """The unit code and the factor to it of a unit written alone, as in a table's unit column: 'Tỷ.đ' and
    'tỷ đ' -> ('VND', 1e9), 'Tr.đ' and 'triệu đ' -> ('VND', 1e6), 'tạ' -> ('tonnes', 0.1), 'hộ' -> ('households', 1.0).

    To read a cell with its precision, parse the two together: parse_quantity('515,74 Tỷ.đ').
    """
    if not isinstance(text, str):
        raise TypeError(f"expected a str, got {type(text).__name__}")
    try:
        tokens = _tokenize(_normalise(text), text)
    except ValueError:
        tokens = []
    scale, unit = (tokens if len(tokens) == 2 else [None, *tokens]) if 0 < len(tokens) <= 2 else (None, None)
    if unit is not None and unit.kind == "unit" and (scale is None or scale.kind == "scale"
                                                     and not unit.payload.holds_scale):
        return unit.payload.code, float(unit.payload.factor * (scale.payload if scale else 1))
    raise ValueError(f"{text!r} is not a unit: expected a unit or counting noun, possibly after an amount word "
                     "(Tỷ.đ, tỷ đ, Tr.đ, triệu đồng, %, tấn, tạ, ha, hộ, người, …)")


def parse_number(text: str) -> float:
    """The value of a written number: parse_quantity(text).value, or numerator/base for a fraction like '2.319/2446'."""
    _, v = _level(text)
    if v.denominator is None:
        return float(v.value)
    if v.denominator == 0:
        raise ValueError(f"cannot read {text!r} as a number: the fraction has a zero base")
    return float(v.value / v.denominator)


def parse_fraction(text: str) -> tuple[float, float]:
    """Numerator and base of a written fraction: '2.319/2446' -> (2319.0, 2446.0)."""
    _, v = _level(text)
    if v.denominator is None:
        raise ValueError(f"{text!r} is not a fraction: expected two numbers around '/', as in '2.319/2446'")
    return float(v.value), float(v.denominator)


def suggest_machine_form(text: str) -> str | None:
    """The machine form ('7804089625', '1.82') of a number written the report's way, or None if text is not one."""
    try:
        _, v = _level(text)
    except (ValueError, TypeError):
        return None
    return None if v.denominator is not None else format(v.value.normalize(), "f")


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
    back exactly (a negative one, '-5 triệu đồng', reads as a change: parse_change). en has no such form and
    uses Babel's compact long format: '7.8 billion VND'.
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


DATE_FORMATS = {"vi": "dd/MM/yyyy", "en": "d MMMM y"}  # 04/01/2022 as the reports print dates; 4 January 2022


def format_date(value, lang: str = "vi") -> str:
    """A date (ISO text or a date) the way each reader writes it; '' when there is none. The one date format
    of every page, the index and the workbook (Babel)."""
    import datetime as dt

    from babel.dates import format_date as babel_date

    if value is None or value == "" or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    elif hasattr(value, "date") and callable(value.date):  # a datetime or pandas Timestamp
        value = value.date()
    return babel_date(value, format=DATE_FORMATS[lang], locale=lang)

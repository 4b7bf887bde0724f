"""Words for readers, kept as data: `messages/common.toml` and one `messages/reports/<name>.toml` per report.

Each entry is a TOML table with the two languages side by side (`[key]`, `vi = "…"`, `en = "…"`), so a
translator sees both at once. A report's keys are its own: a key that is also a common word is refused, so
nothing is silently overridden; both languages must carry the same placeholders (`{year}`), so a sentence cannot
lose a figure in one language. `check()` lists every such problem; a test runs it over every file.
"""

from __future__ import annotations

import string
import unicodedata
from functools import cache
from pathlib import Path

from ..checks import reading

MESSAGES_DIR = Path(__file__).resolve().parents[1] / "messages"
LANGS = ("vi", "en")


class MessageError(ValueError):
    """A message file that cannot be used: the message names the file and the key."""


def placeholders(text: str) -> set[str]:
    """The names in braces of a format string: 'Năm {year}: {value}' → {'year', 'value'}."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _read(path: Path) -> dict[str, dict[str, str]]:
    label = path.relative_to(MESSAGES_DIR.parent).as_posix()
    try:
        data = reading.read_toml(path, label)
    except reading.ReadError as exc:
        raise MessageError(str(exc.problem)) from None
    out = {}
    for key, entry in data.items():
        if _is_leaf(entry):
            out[key] = _nfc(entry)
        elif isinstance(entry, dict) and entry and all(_is_leaf(v) for v in entry.values()):
            out[key] = {k: _nfc(v) for k, v in entry.items()}  # a group: [school.preschool], [school.primary]
        else:
            raise MessageError(f"{label}, [{key}]: expected exactly the strings vi and en (or a group of such "
                               f"entries); found {sorted(entry) if isinstance(entry, dict) else type(entry).__name__}")
    return out


def _is_leaf(entry) -> bool:
    return isinstance(entry, dict) and set(entry) == set(LANGS) and all(isinstance(v, str) for v in entry.values())


def _nfc(entry: dict[str, str]) -> dict[str, str]:
    return {lang: unicodedata.normalize("NFC", entry[lang]) for lang in LANGS}


def leaves(words: dict) -> list[tuple[str, dict[str, str]]]:
    """(key, {vi, en}) for every entry, a group's as 'group.key'."""
    out = []
    for key, entry in words.items():
        if _is_leaf(entry):
            out.append((key, entry))
        else:
            out += [(f"{key}.{k}", v) for k, v in entry.items()]
    return out


@cache
def common() -> dict[str, dict[str, str]]:
    return dict(leaves(_read(MESSAGES_DIR / "common.toml")))


@cache
def report(name: str) -> dict[str, dict[str, str]]:
    """The words of one report (its `title` included); MessageError where a key repeats a common word."""
    words = dict(leaves(_read(MESSAGES_DIR / "reports" / f"{name}.toml")))  # a group's keys as 'group.key'
    shared = sorted(set(words) & set(common()))
    if shared:
        raise MessageError(f"messages/reports/{name}.toml: {', '.join(shared)} also in messages/common.toml: use "
                           "the common word, or give this report's its own key")
    return words


def report_names() -> list[str]:
    return sorted(p.stem for p in (MESSAGES_DIR / "reports").glob("*.toml"))


def check() -> list[str]:
    """Every problem of every message file: malformed entries, shared keys, placeholders that differ."""
    problems = []
    files = [("common", common)] + [(n, lambda n=n: report(n)) for n in report_names()]
    for name, load in files:
        try:
            words = load()
        except MessageError as exc:
            problems.append(str(exc))
            continue
        for key, entry in words.items():
            vi, en = placeholders(entry["vi"]), placeholders(entry["en"])
            if vi != en:
                problems.append(f"{name} [{key}]: placeholders differ: vi {sorted(vi)}, en {sorted(en)}")
    return problems

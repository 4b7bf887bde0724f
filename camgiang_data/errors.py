"""Structured problems: every message names the file, the row, the column, what was expected and what was found."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    file: str
    expected: str
    found: str = ""
    row: int | None = None  # line number in the file, the header being line 1
    column: str | None = None
    hint: str | None = None
    check: str = "schema"  # schema | reference | provenance | derivation | rules | source

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column '{self.column}'"
        text = f"{where}: expected {self.expected}"
        if self.found != "":
            text += f"; found {self.found!r}" if isinstance(self.found, str) else f"; found {self.found}"
        if self.hint:
            text += f" ({self.hint})"
        return text


# A broken file (100 000 duplicated rows) must not bury the screen: this many lines per file, then a count.
SHOWN_PER_FILE = 50


def problem_lines(problems: list[Problem], per_file: int = SHOWN_PER_FILE, prefix: str = "") -> list[str]:
    """One line per problem, at most `per_file` for each file (in the order first met), then how many more."""
    shown: dict[str, int] = {}
    hidden: dict[str, int] = {}
    lines = []
    for problem in problems:
        if shown.get(problem.file, 0) < per_file:
            shown[problem.file] = shown.get(problem.file, 0) + 1
            lines.append(f"{prefix}{problem}")
        else:
            hidden[problem.file] = hidden.get(problem.file, 0) + 1
    for file, count in hidden.items():
        lines.append(f"{prefix}… and {count} more problem(s) in {file} (the first {per_file} are shown; "
                     "`camgiang validate --json` lists all)")
    return lines


class DataError(ValueError):
    """Raised when data cannot be loaded; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        shown = "\n".join(problem_lines(self.problems, prefix="  - "))
        super().__init__(f"{len(self.problems)} problem(s) in the data:\n{shown}")


@dataclass
class ProblemList:
    """Collects problems while a check runs over many rows."""

    items: list[Problem] = field(default_factory=list)

    def add(self, **kwargs) -> None:
        self.items.append(Problem(**kwargs))

    def raise_if_any(self) -> None:
        if self.items:
            raise DataError(self.items)


def closest_hint(value: str, options) -> str | None:
    """'did you mean …?' for a misspelt id or code, or None when nothing is close."""
    import difflib

    match = difflib.get_close_matches(str(value), sorted(map(str, options)), n=1, cutoff=0.6)
    return f"did you mean {match[0]!r}?" if match else None

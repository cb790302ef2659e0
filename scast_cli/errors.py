"""User-facing problems: what went wrong, where, and what was expected.

Every problem scast can blame on its input (a file, a row, a YAML line, a formula) is a
`Problem`; a `ScastError` carries all the problems found in one pass so a user fixes a file
in one go rather than one error per run. Nothing here prints: the CLI renders these.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located as precisely as we can."""

    code: str  # stable machine id, e.g. "unknown-field"
    message: str  # what was found and what was expected
    file: str | None = None
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based
    where: str | None = None  # the field, key path or row the problem is about
    severity: str = "error"  # error | warning | info
    params: dict | None = field(default=None, compare=False)  # for a message in another language

    def __str__(self) -> str:
        return self.place() + self.message

    def place(self) -> str:
        """'file:line:col: where: ', as much of it as is known."""
        place = ""
        if self.file:
            place = self.file
            if self.line is not None:
                place += f":{self.line}"
                if self.column is not None:
                    place += f":{self.column}"
            place += ": "
        return place + (f"{self.where}: " if self.where else "")

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v is not None and k != "params"}


@dataclass
class ScastError(Exception):
    """Raised with every problem found in one input; the CLI exits 1 on it."""

    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)

    @classmethod
    def one(cls, message: str, **where) -> ScastError:
        return cls([Problem(code=where.pop("code", "error"), message=message, **where)])


class UsageError(ScastError):
    """Asked for something the input cannot give (e.g. an unknown --region); exit 2."""


def did_you_mean(name: str, choices, n: int = 1) -> str:
    """A ' (did you mean 'x'?)' suffix, or '' when nothing is close."""
    close = difflib.get_close_matches(name, list(choices), n=n, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""

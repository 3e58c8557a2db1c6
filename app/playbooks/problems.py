"""Validation problems and the error that carries them."""

from dataclasses import dataclass
from pathlib import Path

from app.errors import CuecardError


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in a playbook file, at a 1-based line and column."""

    path: Path
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


class PlaybookError(CuecardError):
    """A playbook that failed validation; ``problems`` lists every finding."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        text = str(problems[0]) if problems else "invalid playbook"
        if len(problems) > 1:
            text += f" (and {len(problems) - 1} more)"
        super().__init__(text)

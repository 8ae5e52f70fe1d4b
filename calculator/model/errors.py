"""The errors a user can fix: each names the file and the field or row concerned."""

from __future__ import annotations


class InputError(Exception):
    """Bad input the user can fix. ``str(err)`` is one line that names where."""

    def __init__(self, where: str, problem: str) -> None:
        self.where = where
        self.problem = problem
        super().__init__(f"{where}: {problem}")


class DataError(InputError):
    """A bundled or user-supplied data file is malformed (names file, row, column)."""


class ScenarioError(InputError):
    """A scenario (file, upload, link or form) is invalid (names the file and key)."""

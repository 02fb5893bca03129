"""Exceptions raised by rampart."""

from __future__ import annotations

from typing import Optional


class ScenarioError(ValueError):
    """A scenario (or tracker) file that does not load.

    ``str(error)`` is the loader's message rendered as on the command line, with the file,
    line, column and the offending text; the parts are attributes as well.
    """

    def __init__(
        self,
        message: str,
        file: str,
        line: Optional[int] = None,
        column: Optional[int] = None,
        rendered: Optional[str] = None,
    ) -> None:
        super().__init__(rendered or message)
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.rendered = rendered or message

    def __reduce__(self):  # picklable, for Ray and multiprocessing
        return (
            type(self),
            (self.message, self.file, self.line, self.column, self.rendered),
        )

"""The one error the law engine raises: facts that cannot be true."""

from __future__ import annotations


class LawError(ValueError):
    """Facts rejected before any assessment, naming the dotted fact at fault.

    ``str(error)`` reads ``"person.birth_date: ..."`` so that a message shown
    alone still says which fact to correct.
    """

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")

"""The exceptions accord raises. The CLI turns each into a one-line message and an exit code."""

from __future__ import annotations


class AccordError(Exception):
    """Base class for every error accord reports to a user."""

    exit_code = 1


class InputError(AccordError):
    """An input path is missing or cannot be used at all (exit status 2)."""

    exit_code = 2


class UsageError(AccordError):
    """Options that contradict each other or a value out of range (exit status 2)."""

    exit_code = 2


class MissingExtraError(AccordError):
    """An optional component is not installed; the message names the extra to install."""

    exit_code = 3

    def __init__(self, component: str, extra: str) -> None:
        super().__init__(
            f"{component} is not installed. Install it with: pip install 'accord[{extra}]'"
        )
        self.component = component
        self.extra = extra


class StoreError(AccordError):
    """The corpus store cannot be opened or used."""

    exit_code = 4

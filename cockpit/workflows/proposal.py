"""What proposing an operation answers: a `Plan` (checks and steps, to preview, confirm and run through the runner)
or a `Refusal` saying why there is no plan to show. Each workflow's `propose_*` returns one of the two as a value,
so both front ends branch on its type instead of catching exceptions: the CLI prints a refusal's one line with the
exit code of its kind, the TUI notifies it.

A plan whose error-severity checks fail is still a Plan (`Plan.blocked`): its checks and steps are what the user is
shown, and the runner refuses it. A Refusal is for what leaves nothing to show: a bad input (a version that does not
parse, an unknown ref or milestone), nothing to do, or a change the cockpit cannot make and prints for the user to
make by hand."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from cockpit.errors import InputError
from cockpit.services.forge.base import NotFound
from cockpit.services.git import UnknownRef

RefusalKind = Literal["input", "nothing-to-do", "manual"]
ExitKind = Literal["bad-input", "ok"]

# the errors that mean "this cannot be proposed as asked", as opposed to a failing git, forge or disk
CANNOT_PROPOSE: tuple[type[Exception], ...] = (InputError, UnknownRef, NotFound)


@dataclass(frozen=True)
class Refusal:
    """Why an operation has no plan: `why` is the line (or, for `manual`, the text) to show; `error` the input error
    it comes from, whose type the CLI maps to the error document's kind, as for any error."""

    why: str
    kind: RefusalKind = "input"
    error: Exception | None = None

    @classmethod
    def of(cls, error: Exception) -> Refusal:
        return cls(str(error), "input", error)

    @property
    def exit_kind(self) -> ExitKind:
        """Bad input exits 2; nothing to do, or a change printed to make by hand, is no failure."""
        return "bad-input" if self.kind == "input" else "ok"


"""A function run in a thread of its own, its answer (or its exception) taken when needed: what `status` needs to
read git's other answers beside the commit graph. `concurrent.futures` would do it too, but its import (logging with
it) costs every command that reads the status 10 ms, more than the reads it overlaps on a small repository."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Running(Generic[T]):
    """`work()` started in a thread at once (a daemon: an interpreter that exits does not wait for it)."""

    def __init__(self, work: Callable[[], T]) -> None:
        self._work = work
        self._value: T | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, daemon=True, name="cockpit-read")
        self._thread.start()

    def _run(self) -> None:
        try:
            self._value = self._work()
        except BaseException as exc:  # raised again in the thread that takes the result
            self._error = exc

    def wait(self) -> None:
        self._thread.join()

    def result(self) -> T:
        """The work's answer, once it is done; its exception raised here, in the caller's thread."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value  # type: ignore[return-value]

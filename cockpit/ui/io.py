"""Running git and forge I/O off the UI thread, with one place that turns every failure into a notification.

`run_io` starts a thread worker; its result comes back on the UI thread to the callback, and any exception goes
to `CockpitApp.report_error` — never a traceback, never a frozen screen."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from textual.dom import DOMNode
from textual.worker import Worker, WorkerState

T = TypeVar("T")


class IOMixin:
    """For widgets and screens that load data: `self.run_io(fetch, done, what=...)`."""

    _io_callbacks: dict[Worker[Any], Callable[[Any], None]]

    def run_io(self, fetch: Callable[[], T], done: Callable[[T], None], *, what: str,
               group: str | None = None) -> Worker[T]:
        node: DOMNode = self  # type: ignore[assignment]
        if not hasattr(self, "_io_callbacks"):
            self._io_callbacks = {}
        worker = node.run_worker(fetch, name=what, group=group or what, thread=True, exclusive=True,
                                 exit_on_error=False)
        self._io_callbacks[worker] = done
        return worker

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        callbacks = getattr(self, "_io_callbacks", {})
        done = callbacks.get(event.worker)
        if done is None:
            return
        if event.state == WorkerState.SUCCESS:
            callbacks.pop(event.worker)
            done(event.worker.result)
        elif event.state in (WorkerState.ERROR, WorkerState.CANCELLED):
            callbacks.pop(event.worker)
            if event.state == WorkerState.ERROR:
                self.app.report_error(event.worker.name, event.worker.error)  # type: ignore[attr-defined]

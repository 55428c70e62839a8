"""The base of the screens that read and change the repository: their blocking work runs in Textual thread
workers (`@work(thread=True)`), results come back to the UI thread with `deliver`, and every worker's failure is
reported by the one `Worker.StateChanged` handler below: one line, what failed, never a traceback."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.screen import Screen
from textual.worker import Worker, WorkerState, get_current_worker

from cockpit.services.bundle import Services
from cockpit.workflows.proposal import Refusal


class WorkerScreen(Screen[None]):
    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one handler for background failures: the worker's name says what failed."""
        if event.state != WorkerState.ERROR:
            return
        error = event.worker.error
        message = " ".join(str(error).split()) or type(error).__name__
        self.notify(message[:300], title=f"{event.worker.name} failed", severity="error", timeout=8)

    def refused(self, what: str, refusal: Refusal) -> None:
        """Why `what` (a proposal's worker) has no plan, said as that worker's failure would be: one line."""
        self.notify(" ".join(refusal.why.split())[:300], title=f"{what} failed", severity="error", timeout=8)

    def deliver(self, show: Callable[..., object], *args: Any) -> None:
        """From a worker thread: run `show(*args)` on the UI thread, unless the worker was cancelled meanwhile
        (a newer one of its group replaced it, or the screen went away)."""
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(show, *args)

    def run_blocking(self, work: Callable[[], None], *, name: str, group: str) -> Worker[None]:
        """A thread worker whose name depends on what it works on (a milestone, a plan): `@work` fixes the name
        when the method is defined, and the name is the title of the failure's notification."""
        return self.run_worker(work, name=name, group=group, thread=True, exclusive=True, exit_on_error=False)

"""Work in a thread of its own: its answer, or its exception raised in the thread that takes it."""

from __future__ import annotations

import threading

import pytest

from cockpit.services.background import Running


def test_the_answer_is_taken_once_the_work_is_done() -> None:
    go = threading.Event()
    running = Running(lambda: (go.wait(30), threading.current_thread().name)[1])
    go.set()
    assert running.result() == "cockpit-read"  # worked in a thread of its own
    assert running.result() == "cockpit-read"  # and taken again as often as asked


def test_the_works_exception_is_raised_where_the_answer_is_taken() -> None:
    def fails() -> None:
        raise LookupError("no such ref")

    running = Running(fails)
    running.wait()  # waiting says nothing of how it ended
    with pytest.raises(LookupError, match="no such ref"):
        running.result()

"""UI fixtures: a fresh demo sandbox at the pinned date."""

from __future__ import annotations

from pathlib import Path

import pytest

from cockpit.services.sandbox import Sandbox, build_sandbox

from ui_helpers import TODAY


@pytest.fixture
def sandbox(tmp_path: Path) -> Sandbox:
    """A fresh demo sandbox per test (about 0.4 s), so tests may change it."""
    return build_sandbox(tmp_path / "sandbox", TODAY)

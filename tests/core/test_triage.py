"""Where triage moves items: the next minor milestone, never a patch milestone due sooner."""

from __future__ import annotations

from cockpit.core.triage import triage_target


def test_the_next_minor_not_the_patch_due_sooner() -> None:
    assert triage_target("0.26.0", ["0.25.5", "0.26.0", "next-driver", "0.27.0", "0.28.0"]) == "0.27.0"
    assert triage_target("0.26.0", ["0.25.5", "0.26.1"]) == "0.27.0"  # made by the move
    assert triage_target("10.2.0+driver", ["10.2.1+driver", "10.3.0+driver"]) == "10.3.0+driver"
    assert triage_target("next-driver", ["0.27.0"]) == "next-driver-next"

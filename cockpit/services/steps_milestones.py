"""Milestone step kinds: create a milestone, move one item between milestones. One item per step, so the journal
holds each item's outcome (and the milestone it came from, which `milestone undo` needs) as soon as it is known,
and a crash or a refusal in the middle of a triage leaves a precise record of what moved."""

from __future__ import annotations

from datetime import date
from typing import Any

from cockpit.services.forge.base import ForgeError, NotFound
from cockpit.services.steps import StepContext, StepError, step_kind

MOVED, ALREADY, ELSEWHERE = "moved", "already there", "left alone"


NO_FORGE = "no forge is configured: milestones live on the forge (GitHub or the local forge file)"


@step_kind("milestone.create")
def create_milestone(ctx: StepContext, p: dict[str, Any]) -> dict[str, Any]:
    """Create the milestone unless it exists (then it is done, whatever its due date: an existing milestone is
    never edited behind the user's back)."""
    forge, title = ctx.require_forge(NO_FORGE), p["title"]
    try:
        existing = forge.milestone(title)
        return {"milestone": title, "number": existing.number, "already": True}
    except NotFound:
        pass
    except ForgeError as exc:
        raise StepError(str(exc)) from None
    due = date.fromisoformat(p["due"]) if p.get("due") else None
    try:
        made = forge.create_milestone(title, due, p.get("description", ""))
    except ForgeError as exc:
        raise StepError(f"cannot create milestone {title}: {exc}") from None
    return {"milestone": title, "number": made.number, "due_on": made.due_on.isoformat() if made.due_on else None}


@step_kind("milestone.move-item")
def move_item(ctx: StepContext, p: dict[str, Any]) -> dict[str, Any]:
    """Move item `item` from milestone `from` to `to`, re-reading it afterwards. Already in `to`: done (a resumed
    plan, or someone did it). Moved elsewhere since the plan was made: left alone (someone decided otherwise).
    GitHub silently ignoring the change (no permission): the step fails with GitHub's reason."""
    forge, number, src, dst = ctx.require_forge(NO_FORGE), int(p["item"]), p["from"], p["to"]
    record: dict[str, Any] = {"item": number, "from": src, "to": dst}
    try:
        now = forge.item(number).milestone
        if now == dst:
            return {**record, "outcome": ALREADY, "already": True}
        if now != src:
            return {**record, "outcome": ELSEWHERE, "now": now}
        [outcome] = forge.move_items([number], dst)
    except ForgeError as exc:
        raise StepError(f"#{number}: {exc}") from None
    if not outcome.moved:
        raise StepError(f"#{number} did not move, it is still in {outcome.milestone or 'no milestone'}: "
                        f"{outcome.reason or 'the forge ignored the change'}")
    return {**record, "outcome": MOVED}


@step_kind("milestone.rename")
def rename_milestone(ctx: StepContext, p: dict[str, Any]) -> dict[str, Any]:
    """Rename a milestone (the driver line's generic `next-driver` once its version is known); done when the new
    title exists already and the old one is gone."""
    forge, old, new = ctx.require_forge(NO_FORGE), p["from"], p["to"]
    try:
        try:
            existing = forge.milestone(new)
            return {"milestone": new, "number": existing.number, "already": True}
        except NotFound:
            pass
        made = forge.rename_milestone(old, new)
    except ForgeError as exc:
        raise StepError(f"cannot rename milestone {old} to {new}: {exc}") from None
    return {"milestone": new, "number": made.number, "renamed_from": old}

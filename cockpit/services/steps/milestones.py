"""Milestone step kinds: create a milestone, move one item between milestones. One item per step, so the journal
holds each item's outcome (and the milestone it came from, which `milestone undo` needs) as soon as it is known,
and a crash or a refusal in the middle of a triage leaves a precise record of what moved."""

from __future__ import annotations

import os
import re
import shlex
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from cockpit.services.dirs import make_private_dir, state_dir
from cockpit.services.files import exclusive_lock
from cockpit.services.forge.base import Forge, ForgeError, NotFound
from cockpit.services.forge.local import LocalForge
from cockpit.services.steps.base import THE_PROJECT, ForgeRequest, Params, StepContext, StepError, StepKind

MOVED, ALREADY, ELSEWHERE = "moved", "already there", "left alone"


NO_FORGE = "no forge is configured: milestones live on the forge (GitHub or the local forge file)"


# --- the writes, described once: `run` sends them, `preview` shows them as `gh` commands --------------------------

def create_requests(p: Params) -> tuple[ForgeRequest, ...]:
    fields = {"title": p["title"], "description": p.get("description", "")}
    if p.get("due"):
        fields["due_on"] = f"{p['due']}T00:00:00Z"
    return (ForgeRequest(p.get("repo", THE_PROJECT), "POST", "milestones", fields),)


def preview_create(p: Params) -> tuple[str, ...]:
    """The description (prose, the phase dates) is sent too; it is left out of the command line."""
    [req] = create_requests(p)
    cmd = f"gh api --method POST repos/{req.repo}/milestones -f title={shlex.quote(req.fields['title'])}"
    return (cmd + (f" -f due_on={req.fields['due_on']}" if "due_on" in req.fields else ""),)


def move_requests(p: Params) -> tuple[ForgeRequest, ...]:
    return (ForgeRequest(p.get("repo", THE_PROJECT), "PATCH", f"issues/{int(p['item'])}", {"milestone": p["to"]}),)


def preview_move(p: Params) -> tuple[str, ...]:
    [req] = move_requests(p)
    what = "pr" if p.get("kind") == "pr" else "issue"
    return (f"gh {what} edit {req.path.removeprefix('issues/')} --repo {req.repo} "
            f"--milestone {shlex.quote(req.fields['milestone'])}",)


def rename_requests(p: Params) -> tuple[ForgeRequest, ...]:
    return (ForgeRequest(p.get("repo", THE_PROJECT), "PATCH", "milestones/<n>", {"title": p["to"]}),)


def preview_rename(p: Params) -> tuple[str, ...]:
    [req] = rename_requests(p)
    return (f"gh api --method PATCH repos/{req.repo}/{req.path} -f title={req.fields['title']}",)


def close_requests(p: Params) -> tuple[ForgeRequest, ...]:
    return (ForgeRequest(p.get("repo", THE_PROJECT), "PATCH", f"milestones/{p.get('number', '<n>')}",
                         {"state": "closed"}),)


def preview_close(p: Params) -> tuple[str, ...]:
    [req] = close_requests(p)
    return (f"gh api --method PATCH repos/{req.repo}/{req.path} -f state={req.fields['state']}",)


# --- the steps ------------------------------------------------------------------------------------------------------


def create_milestone(ctx: StepContext, p: dict[str, Any]) -> dict[str, Any]:
    """Create the milestone unless it exists (then it is done, whatever its due date: an existing milestone is
    never edited behind the user's back, and the journal records the due date asked and not applied)."""
    forge, title = ctx.require_forge(NO_FORGE), p["title"]
    try:
        existing = forge.milestone(title)
        record: dict[str, Any] = {"milestone": title, "number": existing.number, "already": True,
                                  "due_on": existing.due_on.isoformat() if existing.due_on else None}
        if p.get("due") and record["due_on"] != p["due"]:  # said in the journal: the due date asked is not applied
            record["due_not_changed"] = p["due"]
        return record
    except NotFound:
        pass
    except ForgeError as exc:
        raise StepError(str(exc)) from None
    [req] = create_requests(p)
    due = date.fromisoformat(p["due"]) if p.get("due") else None
    try:
        made = forge.create_milestone(req.fields["title"], due, req.fields["description"])
    except ForgeError as exc:
        raise StepError(f"cannot create milestone {title}: {exc}") from None
    return {"milestone": title, "number": made.number, "due_on": made.due_on.isoformat() if made.due_on else None}


def _lock_file(forge: Forge) -> Path:
    """Where the cockpits moving items of one forge meet: beside the local forge file (clones sharing it share the
    lock), else in the user's state dir per GitHub repository (sessions on this machine; GitHub itself has no
    compare-and-set for a milestone)."""
    if isinstance(forge, LocalForge):
        real = Path(os.path.realpath(forge.path))
        return real.with_name(f".{real.name}.items.lock")
    slug = re.sub(r"[^A-Za-z0-9_.-]", "_", str(forge.repository().slug))
    folder = state_dir() / "locks"
    make_private_dir(folder)
    return folder / f"{slug}.items.lock"


@contextmanager
def items_lock(forge: Forge) -> Iterator[None]:
    """An exclusive lock held while an item is read, judged and moved, so that two cockpits moving the same items
    (two terminals, two clones sharing a forge file) move each one once: the second reads it already moved. Not the
    forge's own write lock, which move_items takes inside this one."""
    def refused(exc: OSError) -> StepError:
        return StepError(f"cannot lock the milestone items: {exc.filename}: {exc.strerror}")

    try:
        path = _lock_file(forge)
    except OSError as exc:
        raise refused(exc) from None
    with exclusive_lock(path, 0o600, refused):
        yield


def move_item(ctx: StepContext, p: dict[str, Any]) -> dict[str, Any]:
    """Move item `item` from milestone `from` to `to`, re-reading it afterwards. Already in `to`: done (a resumed
    plan, or someone did it). Moved elsewhere since the plan was made: left alone (someone decided otherwise).
    GitHub silently ignoring the change (no permission): the step fails with GitHub's reason."""
    forge, number, src, dst = ctx.require_forge(NO_FORGE), int(p["item"]), p["from"], p["to"]
    record: dict[str, Any] = {"item": number, "from": src, "to": dst}
    try:
        with items_lock(forge):  # read, decide and write with no other cockpit's move in between
            now = forge.item(number).milestone
            if now == dst:
                return {**record, "outcome": ALREADY, "already": True}
            if now != src:
                return {**record, "outcome": ELSEWHERE, "now": now}
            [outcome] = forge.move_items([number], move_requests(p)[0].fields["milestone"])
    except ForgeError as exc:
        raise StepError(f"#{number}: {exc}") from None
    if not outcome.moved:
        raise StepError(f"#{number} did not move, it is still in {outcome.milestone or 'no milestone'}: "
                        f"{outcome.reason or 'the forge ignored the change'}")
    return {**record, "outcome": MOVED}


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
        made = forge.rename_milestone(old, rename_requests(p)[0].fields["title"])
    except ForgeError as exc:
        raise StepError(f"cannot rename milestone {old} to {new}: {exc}") from None
    return {"milestone": new, "number": made.number, "renamed_from": old}


def close_milestone(ctx: StepContext, p: dict[str, Any]) -> dict[str, Any]:
    """Close a milestone after its final release, then read it again: done when it reads closed (already closed
    counts), a failure when the forge left it open."""
    forge, title = ctx.require_forge(NO_FORGE), p["title"]
    try:
        if forge.milestone(title).state == "closed":
            return {"milestone": title, "already": True}
        forge.close_milestone(title)
        after = forge.milestone(title)
    except ForgeError as exc:
        raise StepError(f"cannot close milestone {title}: {exc}") from None
    if after.state != "closed":
        raise StepError(f"milestone {title} is still {after.state} after the close: the token may lack write access")
    return {"milestone": title, "number": after.number, "state": after.state}


KINDS = (
    StepKind("milestone.create", create_milestone, preview_create, requests=create_requests),
    StepKind("milestone.close", close_milestone, preview_close, requests=close_requests),
    StepKind("milestone.move-item", move_item, preview_move, requests=move_requests),
    StepKind("milestone.rename", rename_milestone, preview_rename, requests=rename_requests),
)

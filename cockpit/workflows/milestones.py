"""Milestone triage (falco-release-process.md): in Preparation the release manager decides what stays in the
milestone; once the release branch is cut, the not-yet-merged PRs move to the next milestone. Both are a move of
items from one milestone to another, planned here one step per item so the journal knows where each item came
from: that record is what `undo` inverts. What the plan read is only its proposal: each step reads its item again,
decides and moves it under one lock (steps.milestones.items_lock), so two sessions moving the same items at once
move each one once. Also the merged PRs nobody put in a milestone, which no release's notes
would list."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from cockpit.core.checks import CheckResult, fail, ok
from cockpit.core.display import one_line
from cockpit.core.forge_models import Item, Milestone
from cockpit.core.plan import Plan, Step
from cockpit.core.tracking import is_tracking_issue
from cockpit.core.versions import VersionError, parse_version
from cockpit.errors import InputError
from cockpit.services.forge.base import Forge, NotFound
from cockpit.services.journal import PlanRecord
from cockpit.services.steps.milestones import ALREADY, MOVED
from cockpit.services.steps.registry import preview
from cockpit.workflows.common import new_plan_id
from cockpit.workflows.proposal import CANNOT_PROPOSE, Refusal

MOVE_KIND, CREATE_KIND = "milestone.move-item", "milestone.create"
RECOVERY = ("an item GitHub ignored needs a token with triage or write access: fix that, then `cockpit resume`; "
            "`cockpit abort` keeps what moved and `cockpit milestone undo --plan ID` puts it back")


def propose_move(forge: Forge, source: str, target: str, *, unmerged_only: bool = False,
                 items: Sequence[int] | None = None, create: bool = False, due: date | None = None) -> Plan | Refusal:
    """Move every item of `source`, only its open ones (merged PRs stay with their release notes), or `items`;
    refused when there is nothing to move or an item named is not in `source`."""
    if source == target:
        return Refusal(f"--from and --to are both {source!r}: nothing would move")
    if unmerged_only and items:
        return Refusal("--items already names what moves: drop --unmerged-only")
    try:
        chosen = _select(forge.milestone_items(source), source, unmerged_only, items)
    except CANNOT_PROPOSE as exc:
        return Refusal.of(exc)
    tracking = [i for i in chosen if is_tracking_issue(i, source)]
    selected = [i for i in chosen if i not in tracking]
    repo = forge.repository()
    slug = repo.slug
    existing = _find(forge, target)
    checks = [_target_check(target, existing, create, due), _merged_check(selected, source, unmerged_only)]
    if tracking:
        numbers = ", ".join(f"#{i.number}" for i in tracking)
        checks.append(fail("milestone.tracking-stays", "warning", f"{numbers} is the tracking issue of {source}: it "
                           "stays with its release", "leave it out of --items", numbers) if items
                      else ok("milestone.tracking-stays", "info", f"the tracking issue of {source} stays: {numbers}"))
    if repo.can_push is False:
        checks.append(fail("forge.push", "warning", f"the token cannot push to {slug}: GitHub silently ignores "
                           "milestone changes without triage or write access (each move is re-read, and the plan "
                           "stops at the first one ignored)", "use a token of a maintainer or triager"))
    steps: list[Step] = []
    if existing is None and selected:
        steps.append(create_step(slug, target, due))
    steps += [move_step(slug, i.number, i.kind, i.title, source, target, i.state) for i in selected]
    scope = " unmerged" if unmerged_only else ""
    title = f"Move {len(selected)}{scope} item(s) from {source} to {target}"
    return Plan(new_plan_id("milestone-move"), title, tuple(steps), tuple(checks))


def _select(in_source: list[Item], source: str, unmerged_only: bool, numbers: Sequence[int] | None) -> list[Item]:
    if numbers:
        by_number = {i.number: i for i in in_source}
        missing = sorted(set(numbers) - set(by_number))
        if missing:
            raise InputError(f"not in milestone {source}: " + ", ".join(f"#{n}" for n in missing))
        return [by_number[n] for n in sorted(set(numbers))]
    chosen = [i for i in in_source if i.state == "open"] if unmerged_only else in_source
    return sorted(chosen, key=lambda i: i.number)


def _find(forge: Forge, title: str) -> Milestone | None:
    try:
        return forge.milestone(title)
    except NotFound:
        return None


def _target_check(target: str, existing: Milestone | None, create: bool, due: date | None) -> CheckResult:
    when = f", due {due.isoformat()}" if due else ""
    if existing is None:
        if create:
            return ok("milestone.target", "warning", f"{target} does not exist: the plan creates it{when}")
        return fail("milestone.target", "warning", f"{target} does not exist: the plan creates it{when}",
                    "check the title (a typo makes a new milestone); --create says it is meant")
    if existing.state == "closed":
        return fail("milestone.target", "warning", f"{target} is closed: the items land in a closed milestone",
                    "reopen it, or move to the next open milestone")
    if due is not None and existing.due_on != due:
        shown = existing.due_on.isoformat() if existing.due_on else "no due date"
        return fail("milestone.target", "warning", f"{target} exists ({shown}): --due {due.isoformat()} is not "
                    "applied", "edit the due date on the forge if it should change")
    return ok("milestone.target", "warning", f"{target} exists ({existing.state}, "
              f"{existing.open_items} open / {existing.closed_items} closed)")


def _merged_check(selected: list[Item], source: str, unmerged_only: bool) -> CheckResult:
    merged = [i for i in selected if i.merged]
    if merged:
        return fail("milestone.merged-stay", "warning", f"{len(merged)} merged PR(s) move too: they leave "
                    f"{source}'s release notes", "--unmerged-only keeps merged PRs where they shipped",
                    *(f"#{i.number}" for i in merged[:10]))
    return ok("milestone.merged-stay", "warning", "no merged PR moves: release notes stay as they are"
              if not unmerged_only else f"merged PRs stay in {source}, with its release notes")


def create_step(slug: str, title: str, due: date | None, description: str | None = None) -> Step:
    params = {"title": title, "due": due.isoformat() if due else None, "repo": slug}
    if description is not None:
        params["description"] = description
    return Step("create-milestone", f"Create milestone {title}" + (f" (due {due.isoformat()})" if due else ""),
                CREATE_KIND, params, preview(CREATE_KIND, params),
                "nothing moved yet: check the token's access to milestones, then resume")


def move_step(slug: str, number: int, kind: str, title: str, source: str, target: str, state: str | None = None,
              undoes: str | None = None) -> Step:
    short = title if len(title) <= 60 else title[:57] + "..."
    what = "PR" if kind == "pr" else "issue"
    params: dict[str, Any] = {"item": number, "from": source, "to": target, "kind": kind, "title": title,
                              "repo": slug}
    if undoes:
        params["undoes"] = undoes
    shown = f"{what} #{number}" + (f" ({state})" if state else "")
    return Step(f"move-{number}", f"Move {shown} {source} -> {target}: {short}", MOVE_KIND,
                params, preview(MOVE_KIND, params), RECOVERY)


# --- close ----------------------------------------------------------------------------------------------------------

CLOSE_KIND = "milestone.close"


def propose_close(forge: Forge, title: str, released: Iterable[str] = ()) -> Plan | Refusal:
    """Close a milestone after its final release (`released`: the final release tags there are). Open items in it
    warn, listed: each one belongs in a later milestone first (`milestone move --unmerged-only`). Refused for an
    unknown milestone (the forge's answer names the open ones)."""
    try:
        milestone = forge.milestone(title)
    except NotFound as exc:
        return Refusal.of(exc)
    checks: list[CheckResult] = []
    if milestone.state == "closed":
        checks.append(ok("milestone.open", "info", f"{title} is closed already"))
        return Plan(new_plan_id("milestone-close"), f"Close milestone {title}", (), tuple(checks))
    open_items = sorted((i for i in forge.milestone_items(title) if i.state == "open"), key=lambda i: i.number)
    checks.append(fail("milestone.no-open-items", "warning", f"{len(open_items)} open item(s) still in {title}",
                       f"move them on first: cockpit milestone move --from {title} --to NEXT --unmerged-only",
                       *(one_line(f"#{i.number} {i.kind} {i.title}") for i in open_items[:20]))
                  if open_items else ok("milestone.no-open-items", "warning", f"nothing is open in {title}"))
    names = set(released)
    if _names_version(title):
        checks.append(ok("milestone.released", "warning", f"{title} is released")
                      if title in names else
                      fail("milestone.released", "warning", f"{title} has no final release tag yet",
                           f"close it after the final release is tagged (cockpit tag --libs {title})"))
    slug = forge.repository().slug
    params = {"title": title, "repo": slug, "number": milestone.number}
    step = Step("close-milestone", f"Close milestone {title}", CLOSE_KIND, params, preview(CLOSE_KIND, params),
                "nothing was changed on the forge: check the token's access to milestones, then resume")
    return Plan(new_plan_id("milestone-close"), f"Close milestone {title}", (step,), tuple(checks))


def _names_version(title: str) -> bool:
    try:
        parse_version(title)
    except VersionError:
        return False
    return True


# --- undo ------------------------------------------------------------------------------------------------------------

def is_move_plan(record: PlanRecord) -> bool:
    return any(s.kind == MOVE_KIND for s in record.plan.steps)


def moved_items(record: PlanRecord) -> list[dict[str, Any]]:
    """The items a move plan moved, each with the milestone it came from; an item found already in place counts
    (it was in the source when the plan was made: a crashed run, or someone ahead of the plan)."""
    return [dict(record.changes[s.id]) | {"kind": s.params.get("kind", "issue"), "title": s.params.get("title", "")}
            for s in record.plan.steps if s.kind == MOVE_KIND and record.state_of(s.id) == "done"
            and record.changes.get(s.id, {}).get("outcome") in (MOVED, ALREADY)]


def propose_undo(forge: Forge, plans: Sequence[PlanRecord], plan_id: str | None = None) -> Plan | Refusal:
    """The inverse of the last finished move plan (or `plan_id`): each item it moved goes back where it came from.
    The inverse is itself a move plan, so undoing it moves the items again. Refused when the journal has nothing
    to undo."""
    moves = [p for p in plans if is_move_plan(p)]
    if plan_id is not None:
        record = next((p for p in moves if p.plan.id == plan_id), None)
        if record is None:
            known = ", ".join(p.plan.id for p in moves[:5]) or "none"
            return Refusal(f"no milestone move plan {plan_id!r} in the journal (latest: {known})")
    else:
        record = next((p for p in moves if p.final == "finished"), None)
        if record is None:
            return Refusal("nothing to undo: the journal has no finished milestone move")
    items = moved_items(record)
    if not items:
        return Refusal(f"nothing to undo: plan {record.plan.id} moved no item")
    checks = _undo_checks(forge, record, items)
    slug = forge.repository().slug
    steps = tuple(move_step(slug, i["item"], i["kind"], i["title"], i["to"], i["from"], undoes=record.plan.id)
                  for i in items)
    back = ", ".join(sorted({i["from"] for i in items}))
    return Plan(new_plan_id("milestone-undo"), f"Undo {record.plan.id}: move {len(items)} item(s) back to {back}",
                steps, tuple(checks))


def _undo_checks(forge: Forge, record: PlanRecord, items: list[dict[str, Any]]) -> list[CheckResult]:
    titles = {m.title for m in forge.milestones("all")}
    gone = sorted({i["from"] for i in items} - titles)
    checks = [fail("milestone.origin", "error", "where the items came from no longer exists: "
                   + ", ".join(gone), "rename the milestone back, or move the items with `milestone move`")
              if gone else ok("milestone.origin", "error", "every item's original milestone exists")]
    if record.unfinished:
        checks.append(fail("plan.finished", "warning", f"plan {record.plan.id} is unfinished: a later resume would "
                           "move the rest", "run `cockpit abort` first to close it"))
    created = [record.changes[s.id]["milestone"] for s in record.plan.steps
               if s.kind == CREATE_KIND and record.changes.get(s.id) and not record.changes[s.id].get("already")]
    if created:
        checks.append(ok("milestone.created", "warning", f"{', '.join(created)} (created by that plan) stays: "
                         "milestones are never deleted; close it if it is not wanted"))
    return checks


def outcomes(record: PlanRecord) -> list[str]:
    """One line per item step of a plan: what happened to it, for the summary after a run."""
    lines = []
    for s in record.plan.steps:
        if s.kind != MOVE_KIND:
            continue
        state, c = record.state_of(s.id), record.changes.get(s.id, {})
        n = s.params["item"]
        if state == "done" and c.get("outcome") == MOVED:
            lines.append(f"#{n} moved {c['from']} -> {c['to']}")
        elif state == "done" and c.get("outcome") == ALREADY:
            lines.append(f"#{n} already in {c['to']}")
        elif state == "done":
            lines.append(f"#{n} left alone: now in {c.get('now') or 'no milestone'} (moved since the plan)")
        elif state == "failed":
            lines.append(f"#{n} NOT moved: {record.errors.get(s.id, '')}")
        else:
            lines.append(f"#{n} not attempted")
    return lines


# --- orphans ---------------------------------------------------------------------------------------------------------

def orphans(forge: Forge, since: date | None = None) -> list[Item]:
    """Merged PRs in no milestone: the Preparation triage gives each one a milestone, or its change ships
    without a line in any release's notes."""
    return forge.merged_without_milestone(since)


def orphans_json(items: Iterable[Item]) -> list[dict[str, Any]]:
    return [{"number": i.number, "title": i.title, "author": i.author,
             "merged_at": i.merged_at.date().isoformat() if i.merged_at else None, "url": i.url} for i in items]

"""What the release manager should do next, per phase: a checklist derived from the phase and git/forge facts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cockpit.core.branches import release_branch_name
from cockpit.core.forge_models import Item
from cockpit.core.phases import Phase, PhaseStatus, Progress
from cockpit.core.versions import VersionError, core_version, parse_version

FEATURE_LABELS = ("kind/feature",)


@dataclass(frozen=True)
class NextStep:
    text: str
    command: str = ""  # the CLI equivalent, when the cockpit has one
    done: bool = False


def is_feature(item: Item) -> bool:
    title = item.title.lower()
    return any(label in FEATURE_LABELS for label in item.labels) or title.startswith(("new:", "new(", "feat"))


def next_steps(title: str, status: PhaseStatus, progress: Progress, items: Sequence[Item] = (),
               prefix: str = "release/") -> list[NextStep]:
    try:
        version = core_version(parse_version(title.removeprefix("v")))
    except VersionError:
        version = None
    open_prs = [i for i in items if i.kind == "pr" and i.state == "open"]
    open_features = [i for i in open_prs if is_feature(i)]
    branch = release_branch_name(version, prefix) if version else f"{prefix}M.m.x"
    tl = status.timeline
    phase = status.phase
    if phase == Phase.PLANNING:
        return [NextStep(f"Set a due date on milestone {title}", done=tl is not None),
                NextStep(f"Start triage on {tl.preparation:%Y-%m-%d}" if tl else "Start triage 4 weeks before due")]
    if phase == Phase.PREPARATION:
        freeze = f" before the freeze on {tl.code_freeze:%Y-%m-%d}" if tl else ""
        return [NextStep(f"Triage {title}: {len(open_prs)} open PR(s) to decide on"),
                NextStep(f"Merge what goes in{freeze}"),
                NextStep("Open the release tracking issue")]
    if phase == Phase.CODE_FREEZE:
        rc1 = f"{version}-rc1" if version else "M.m.0-rc1"
        return [NextStep(f"No new features: move {len(open_features)} open feature PR(s) out of {title}",
                         done=not open_features),
                NextStep("Double-check the versioning rules", f"cockpit check --libs {rc1}"),
                NextStep(f"Cut {branch} from the default branch", done=progress.branch_exists),
                NextStep(f"Request branch protection for {branch}"),
                NextStep(f"Tag {rc1} on {branch}", done=bool(progress.rc_tags))]
    if phase == Phase.RELEASE_BRANCH:
        rc_next = max(len(progress.rc_tags), 1) + 1  # the RC after the backports (rc1 comes first)
        return [
            NextStep(f"Cut {branch}", done=progress.branch_exists),
            NextStep(f"Test {progress.rc_tags[-1]}" if progress.rc_tags else f"Tag {version}-rc1"),
            NextStep(f"Backport the fixes {branch} still misses", f"cockpit candidates --branch {branch}"),
            NextStep(f"Tag {version}-rc{rc_next} after backports", f"cockpit check --libs {version}-rc{rc_next}"),
            NextStep(f"Move {len(open_prs)} unmerged PR(s) to the next milestone", done=not open_prs),
            NextStep(f"Tag the final {version} when the RC is good", f"cockpit check --libs {version}"),
        ]
    return [NextStep(f"Released as {progress.final_tag}", done=True),
            NextStep(f"Publish the GitHub release for {progress.final_tag} with its notes",
                     f"cockpit notes {title}"),
            NextStep(f"Close milestone {title}", f"cockpit milestone close {title}"),
            NextStep(f"Only bug fixes go to {branch}; each patch release is tagged there",
                     f"cockpit candidates --branch {branch}"),
            NextStep(f"Plan the next release ({version.bump_minor() if version else 'the next minor'})",
                     "cockpit plan-release --due YYYY-MM-DD")]

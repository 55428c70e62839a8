"""The Branches pane's rows as plain values: what a status turns into (`branch_rows`), drawn by the pane
(widgets/branches.py) and kept by the last session's first screen (last_session.py) so the next start can draw them
before anything else is loaded. No Textual, no Rich here: the launcher reads them before either is imported."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from cockpit.workflows.reports.status import Status

KINDS = ("default", "release", "irregular")
NAME_STYLE = {"default": "bold", "release": "", "irregular": "dim"}  # how a kind's name is drawn
COLUMNS = ("branch", "head", "ahead", "behind", "latest tag", "state")
SYNC_MARK = {"synced": "", "unpushed": "↑ unpushed", "behind-remote": "↓ behind origin", "diverged": "⇅ diverged",
             "local-only": "local only", "remote-only": ""}


class BranchRow(NamedTuple):  # a tuple: a sixth of a dataclass's cost to define, paid before the first frame
    kind: str
    name: str
    head: str = ""
    ahead: str = ""
    behind: str = ""
    latest: str = ""
    state: str = ""
    synced: bool = True  # False: the state is drawn as a warning

    @property
    def key(self) -> str:
        return f"irregular:{self.name}" if self.kind == "irregular" else self.name


class BranchRows(NamedTuple):
    rows: tuple[BranchRow, ...]
    subtitle: str


def state_style(row: BranchRow) -> str:
    """An irregular branch's state in red, a release branch out of sync with the remote in yellow."""
    return "red" if row.kind == "irregular" else "" if row.synced else "yellow"


def branch_rows(status: Status) -> BranchRows:
    """The default branch, every release branch newest first (ahead and behind `…` until the graph is read), then
    the branches under the release prefix that are no release branch, with the reason."""
    rows = [BranchRow("default", status.default_branch, status.default_head[:10], state="default")]
    for b in status.branches:
        ahead, behind = (f"↑{b.ahead}", f"↓{b.behind}") if b.counted else ("…", "…")
        rows.append(BranchRow("release", b.name, b.head[:10], ahead, behind, b.tags[0] if b.tags else "",
                              SYNC_MARK.get(b.sync, b.sync), b.sync == "synced"))
    for name, reason in status.irregular_branches:  # shown, marked, never offered as a release branch
        rows.append(BranchRow("irregular", name, latest=reason.split(":")[0], state="irregular", synced=False))
    odd = f", {len(status.irregular_branches)} irregular" if status.irregular_branches else ""
    return BranchRows(tuple(rows), f"{len(status.branches)} release branches{odd}")

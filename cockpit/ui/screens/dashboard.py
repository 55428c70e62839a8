"""The dashboard: Branches, Milestones, Tags, and the selected release's timeline, next steps and checks.

Git data paints first (one worker), forge data streams in after it (from the cache first when there is one), and
selecting a milestone loads its items and checks in the background: the screen never waits on I/O."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid
from textual.widget import Widget
from textual.widgets import DataTable, Header

from cockpit.core.burndown import burndown
from cockpit.core.display import one_line
from cockpit.core.forge_models import RateLimit
from cockpit.core.freshness import fetched_words
from cockpit.core.next_steps import next_steps
from cockpit.services.bundle import Services
from cockpit.services.forge.base import Forge
from cockpit.services.forge.cached import CachedForge, Fresh
from cockpit.services.forge.local import LocalForge
from cockpit.services.git import GitError
from cockpit.ui.branch_rows import BranchRows
from cockpit.ui.filtering import cursor_key
from cockpit.ui.git_view import EarlyRead, read_git
from cockpit.ui.last_session import LastSession, SessionFile
from cockpit.ui.screens.guided import OPERATION_BINDINGS, OperationsScreen
from cockpit.ui.screens.start import BREAKPOINTS, LAYOUT_CSS
from cockpit.ui.widgets.branches import BranchesTable
from cockpit.ui.widgets.footer import CockpitFooter
from cockpit.ui.widgets.milestones import MilestonesTable
from cockpit.ui.widgets.release import ChecksSummary, ReleasePanel
from cockpit.ui.widgets.tags import TagsTable
from cockpit.workflows.reports.check import CheckReport
from cockpit.workflows.reports.milestones import MilestoneView, milestone_views_of
from cockpit.workflows.reports.release_gate import with_forge_checks
from cockpit.workflows.reports.status import Status
from cockpit.workflows.reports.tags import release_checks, tag_overview


def gated(report: CheckReport | None, forge: Forge | None,
          problem: str | None) -> CheckReport | None:
    """The next tag's checks with the forge's: the CI of the commit and the milestone's release-note lint."""
    return with_forge_checks(report, forge, problem) if report is not None else None


def age_text(seconds: float) -> str:
    minutes = int(seconds // 60)
    return "just now" if minutes < 1 else f"{minutes} min ago" if minutes < 120 else f"{minutes // 60} h ago"


class DashboardScreen(OperationsScreen):
    CSS_PATH = LAYOUT_CSS
    # below 100 columns two panes side by side cut their columns off: the panes stack and scroll (1-4 bring one
    # into view); below 30 rows the stacked panes keep a fixed height instead of sharing the screen
    HORIZONTAL_BREAKPOINTS = BREAKPOINTS
    BINDINGS = [
        Binding("r", "refresh", "Refresh", id="cockpit.refresh"),
        Binding("1", "focus_pane('branches')", "Branches", show=False, id="cockpit.focus-branches"),
        Binding("2", "focus_pane('milestones')", "Milestones", show=False, id="cockpit.focus-milestones"),
        Binding("3", "focus_pane('tags')", "Tags", show=False, id="cockpit.focus-tags"),
        Binding("4", "focus_pane('checks')", "Release", show=False, id="cockpit.focus-release"),
        Binding("c", "open_checks", "Checks", id="cockpit.checks"),
        Binding("f", "fetch", "Fetch", id="cockpit.fetch"),
        *OPERATION_BINDINGS,
    ]

    def __init__(self, services: Services, cached: CachedForge | None = None,
                 set_forge_state: Callable[[str, RateLimit | None], None] | None = None,
                 set_fetch_state: Callable[[str], None] | None = None, early: EarlyRead | None = None,
                 session: SessionFile | None = None) -> None:
        """`set_forge_state(state, rate)` shows the forge's state and rate limit in the app's header,
        `set_fetch_state(text)` the age of the last fetch (or the fetch under way); `early` holds the first reads
        of the repository when the launcher started them; `session` keeps the Branches pane for the next start."""
        super().__init__(services)
        self.early = early
        self.session = session
        self.kept: BranchRows | None = None  # the rows `session` holds
        self.cached = cached
        self.set_forge_state = set_forge_state or (lambda state, rate: None)
        self.set_fetch_state = set_fetch_state or (lambda state: None)
        self.fetched_at: datetime | None = None
        self.fetching = False
        self.fetched_once = False  # the fetch on start is the cockpit's own: "no remote" is said when asked
        self.fetch_problem: str | None = None
        self.completing = self.completed = False  # every pane mounted (`complete`): its keys work from then on
        self.first_status: Status | None = None  # the refs drawn in the first frame, whose tags `complete` shows
        self.pending_focus: Widget | None = None

    def compose(self) -> ComposeResult:
        """The first frame is the Branches pane alone, with its rows when the launcher's read of the refs is done:
        the other panes and the footer are mounted once it is drawn (`complete`)."""
        yield Header()
        with Grid(id="dashboard"):
            yield BranchesTable(id="branches")

    def on_mount(self) -> None:
        self.pending_focus = self.query_one("#branches")
        if not self.completing and self.early is not None:
            self.first_status = self.early.take_done()
            if self.first_status is not None:
                self.show_branches(self.first_status)
        if getattr(self.app, "drawn", True):  # pushed on a running app: its frames are drawn as they come
            self.first_frame_drawn()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The dashboard's keys wait for its panes (the first frame has the Branches pane alone)."""
        return self.completed

    def first_frame_drawn(self) -> None:
        """The app's first frame is on the terminal (the app's Ready, or this screen pushed later): the rest of the
        dashboard follows this screen's first frame."""
        if not self.completing:
            self.completing = True
            self.call_after_refresh(self.complete)

    async def complete(self) -> None:
        """The rest of the dashboard, after the first frame: the panes that wait on the forge or the commit graph,
        the footer, the loads, the resume offer and the fetch on start. A quit in that first frame closes the
        screen meanwhile: nothing is mounted or started on a closed screen."""
        if not self.is_attached:
            return
        await self.query_one("#dashboard").mount_all([MilestonesTable(id="milestones"), TagsTable(id="tags"),
                                                       ReleasePanel(id="release")])
        if not self.is_attached:
            return
        self.completed = True
        await self.mount(CockpitFooter())
        if not self.is_attached:
            return
        self.refresh_bindings()  # the keys now enabled, told to the footer (it listens once mounted)
        first, self.first_status = self.first_status, None
        if first is not None:  # the refs are on screen: the tags from the same read, then the graph and the forge
            self.show_tags(first)  # (the new panes show their loading indicator from their mount on)
            self.after_refs()
        else:
            self.action_refresh()
        self.offer_resume()
        self.set_interval(30, self.show_fetch_age)  # "fetched N min ago" keeps counting
        if self.services.user.fetch_on_start:
            self.action_fetch()

    # --- the remote -------------------------------------------------------------------------------------------

    def action_fetch(self) -> None:
        """`git fetch --prune --tags` in the background: its progress in the header; the panes reload when it
        brought anything. A failure (offline, a refused login) is a warning: local work goes on."""
        if self.fetching:
            return
        self.fetching = True
        self.set_fetch_state("fetching…")
        self.fetch_remote(asked=self.fetched_once)
        self.fetched_once = True

    @work(thread=True, exclusive=True, group="fetch", exit_on_error=False, name="Fetching from the remote")
    def fetch_remote(self, asked: bool) -> None:
        git = self.services.git
        if git.remote_url() is None:  # a repository without the remote: nothing to fetch, said once when asked
            self.deliver(self.fetch_failed, f"no remote named {git.config.remote}: nothing to fetch" if asked
                         else None, None, True)
            return
        try:
            changed = git.fetch(lambda line: self.deliver(self.show_fetch_progress, line))
        except (GitError, OSError) as exc:  # reported here: the header must not stay on "fetching…"
            self.deliver(self.fetch_failed, str(exc), git.fetched_at())
            return
        self.deliver(self.fetch_done, changed, git.fetched_at())

    def show_fetch_progress(self, line: str) -> None:
        if self.fetching:
            self.set_fetch_state(f"fetching: {one_line(line)[:40]}")

    def fetch_done(self, changed: list[str], when: datetime | None) -> None:
        self.fetching, self.fetch_problem, self.fetched_at = False, None, when
        self.show_fetch_age()
        if changed:
            self.action_refresh()

    def fetch_failed(self, problem: str | None, when: datetime | None, no_remote: bool = False) -> None:
        self.fetching, self.fetched_at = False, when
        self.fetch_problem = "no remote" if no_remote else problem
        if problem:
            self.notify(problem, title="Fetch failed (local work is unaffected)", severity="warning", timeout=8)
        self.show_fetch_age()

    def show_fetch_age(self) -> None:
        """The header's word on the local view of the remote: its age, and whether the last fetch failed."""
        if self.fetching:
            return
        age = fetched_words(self.fetched_at)
        if self.fetch_problem == "no remote":
            age = "no remote"
        elif self.fetch_problem:
            age = f"fetch failed, {age}"
        self.set_fetch_state(age)

    # --- loading ----------------------------------------------------------------------------------------------

    def action_refresh(self) -> None:
        """Refs first (one `for-each-ref`: branches and tags paint at once), then the forge and, meanwhile, the
        commit graph (ahead, behind, fork points, tags per branch)."""
        if isinstance(self.focused, DataTable):
            self.pending_focus = self.focused
        for table in self.query(DataTable):
            table.loading = True
        self.read_refs()

    def restore_focus(self) -> None:
        """A pane under its loading indicator cannot hold focus (Textual moves it on): the pane the user was in, or
        chose while it loaded, gets it back once it shows its rows, whatever the order the loads finish in."""
        pane = self.pending_focus
        if pane is not None and not pane.loading:
            self.pending_focus = None
            pane.focus()

    def _read(self, divergence: bool) -> Status:
        early = self.early.take(divergence) if self.early is not None else None
        return early.result() if early is not None else read_git(self.services.git, divergence)

    @work(thread=True, exclusive=True, group="refs", exit_on_error=False, name="Reading the repository")
    def read_refs(self) -> None:
        self.deliver(self.show_refs, self._read(divergence=False))

    @work(thread=True, exclusive=True, group="graph", exit_on_error=False, name="Reading the commit graph")
    def read_graph(self) -> None:
        self.deliver(self.show_git, self._read(divergence=True))

    def show_refs(self, status: Status) -> None:
        """The branches and tags on screen first; the graph's answers and the forge's panes follow once that frame
        is drawn (their results would otherwise be laid out and rendered before it)."""
        self.show_git(status)
        self.after_refs()

    def after_refs(self) -> None:
        self.call_after_refresh(self.read_graph)
        self.call_after_refresh(self.load_forge)

    def show_git(self, status: Status) -> None:
        self.show_branches(status)
        self.show_tags(status)

    def show_branches(self, status: Status) -> None:
        self.status = status
        if not self.fetching:
            self.fetched_at = status.fetched_at
            self.show_fetch_age()
        shown = self.query_one(BranchesTable).show(status)
        self.restore_focus()
        if self.session is not None and shown != self.kept:
            self.kept = shown
            last = LastSession(self.services.user.theme, self.services.git.root.name, shown)
            self.run_blocking(partial(self.session.save, last), name="Keeping the branches for the next start",
                              group="last-session")

    def show_tags(self, status: Status) -> None:
        self.query_one(TagsTable).show(tag_overview(status))
        self.restore_focus()

    def highlighted_branch(self) -> str | None:
        return cursor_key(self.query_one("#branches", DataTable))

    def load_forge(self) -> None:
        milestones = self.query_one(MilestonesTable)
        services = self.services
        if services.forge is None:
            milestones.show_unavailable(services.forge_problem or "no forge")
            self.restore_focus()
            self.set_forge_state("no forge", None)
            self.query_one(ReleasePanel).show_empty(f"No milestones: {services.forge_problem}")
            return
        if self.cached is not None:
            self.read_cached_milestones()
        self.read_milestones()

    @work(thread=True, exclusive=True, group="forge-cache", exit_on_error=False, name="Reading the forge cache")
    def read_cached_milestones(self) -> None:
        if self.cached is not None:
            self.deliver(self.show_cached, self.cached.cached_milestones())

    @work(thread=True, exclusive=True, group="milestones", exit_on_error=False,
          name="Reading milestones from the forge")
    def read_milestones(self) -> None:
        forge = self.services.forge
        if self.cached is not None:
            self.deliver(self.show_milestones, self.cached.milestones())
        elif forge is not None:
            self.deliver(self.show_milestones, Fresh(forge.milestones("open"), "online"))

    @work(thread=True, exclusive=True, group="rate", exit_on_error=False, name="Reading the rate limit")
    def read_rate_limit(self, state: str) -> None:
        forge = self.services.forge
        if forge is not None:
            self.deliver(self.set_forge_state, state, forge.rate_limit())

    def _views(self, milestones: Any) -> list[MilestoneView]:
        assert self.status is not None
        return milestone_views_of(milestones, self.status, self.services.today,
                                          self.services.git.config.schedule)

    def show_cached(self, fresh: Fresh | None) -> None:
        table = self.query_one(MilestonesTable)
        if fresh is not None and table.loading:
            table.show(self._views(fresh.value), self.services.today, f"cached {age_text(fresh.age_seconds)}")
            self.restore_focus()
            self.set_forge_state(f"cached {age_text(fresh.age_seconds)}", None)

    def show_milestones(self, fresh: Fresh) -> None:
        if fresh.source == "cached":
            note = f"offline: cached {age_text(fresh.age_seconds)}"
            self.notify(fresh.problem or "forge unavailable", title="Showing cached forge data", severity="warning")
        else:
            note = self.services.forge_description
        self.query_one(MilestonesTable).show(self._views(fresh.value), self.services.today, note)
        self.restore_focus()
        online = "local file" if isinstance(self.services.forge, LocalForge) else "online"
        state = online if fresh.source == "online" else note
        self.set_forge_state(state, None)
        if fresh.source == "online":  # GitHub does not charge for reading the rate limit
            self.read_rate_limit(state)

    # --- the selected release ---------------------------------------------------------------------------------

    def on_milestones_table_coverage_requested(self, message: MilestonesTable.CoverageRequested) -> None:
        from cockpit.ui.screens.coverage import CoverageScreen  # loaded when first asked for

        self.app.push_screen(CoverageScreen(self.services, message.title))

    def on_milestones_table_selected(self, message: MilestonesTable.Selected) -> None:
        view = message.view
        if self.view == view:  # same milestone, same facts: nothing to reload
            return
        self.view = view
        panel = self.query_one(ReleasePanel)
        panel.show_milestone(view, self.services.today)
        panel.show_steps(next_steps(view.milestone.title, view.phase, view.progress,
                                    prefix=self.services.git.config.release_branch_prefix))
        panel.show_checks(None, f"{view.milestone.title} (loading)")
        forge, git, title = self.services.forge, self.services.git, view.milestone.title
        if forge is not None:
            self.run_blocking(lambda: self.deliver(self.show_items, view, forge.milestone_items(title)),
                              name=f"Reading the items of {title}", group="items")
        problem = self.services.forge_problem
        self.run_blocking(lambda: self.deliver(self.show_checks, view, gated(release_checks(git, title),
                                                                             forge, problem)),
                          name=f"Checking the next tag of {title}", group="checks")

    def show_items(self, view: MilestoneView, items: list) -> None:
        if self.view is view:
            panel = self.query_one(ReleasePanel)
            panel.show_steps(next_steps(view.milestone.title, view.phase, view.progress, items,
                                        prefix=self.services.git.config.release_branch_prefix))
            panel.show_burndown(burndown(items, self.services.today, view.milestone.due_on, view.phase.timeline),
                                view.milestone.title)

    def show_checks(self, view: MilestoneView, report: CheckReport | None) -> None:
        if self.view is not view:
            return
        what = " + ".join(report.tags) if report else view.milestone.title
        self.query_one(ReleasePanel).show_checks(report, what)

    # --- navigation -------------------------------------------------------------------------------------------

    def action_focus_pane(self, pane: str) -> None:
        widget = self.query_one(f"#{pane}")
        self.pending_focus = widget if widget.loading else None
        widget.focus()

    def action_open_checks(self) -> None:
        self.query_one(ChecksSummary).action_open_checks()

    def on_checks_summary_open(self, message: ChecksSummary.Open) -> None:
        from cockpit.ui.screens.checks import ChecksScreen

        self.app.push_screen(ChecksScreen(message.report))

"""Guided operations from the dashboard: cut the release branch, tag the next RC or the final release, notes and
the GitHub release, the tracking issue, triage, backports, branch protection, version bumps, a new release's
milestones, and the offer to continue or abort an unfinished plan. Plans are built and run in thread workers; the
dialogs only show the plan and hand the choice to a typed callback."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from textual import work
from textual.binding import Binding

from cockpit.core.display import one_line
from cockpit.core.lines import classify
from cockpit.core.versions import VersionError, parse_version
from cockpit.services.bundle import Services
from cockpit.ui.screens.base import WorkerScreen
from cockpit.workflows.proposal import Refusal
from cockpit.workflows.reports.tags import next_release_tags

if TYPE_CHECKING:
    import semver

    from cockpit.core.plan import Plan
    from cockpit.services.executor import Executor
    from cockpit.services.journal import PlanRecord
    from cockpit.workflows.reports.milestones import MilestoneView
    from cockpit.workflows.reports.status import Status
    from cockpit.workflows.runner import RunOutcome

# Each operation loads its workflow, dialog or screen when first used: the dashboard paints without them.

OPERATION_BINDINGS = [
    Binding("b", "cut_branch", "Cut branch", id="cockpit.cut-branch"),
    Binding("t", "tag_next", "Tag next RC", id="cockpit.tag-rc"),
    Binding("T", "tag_final", "Tag final", id="cockpit.tag-final", show=False),
    Binding("n", "notes", "Notes", id="cockpit.notes"),
    Binding("i", "tracking_issue", "Tracking issue", id="cockpit.tracking-issue", show=False),
    Binding("v", "bump", "Bump version", id="cockpit.bump", show=False),
    Binding("P", "protect", "Protect branch", id="cockpit.protect", show=False),
    Binding("m", "triage", "Triage", id="cockpit.triage"),
    Binding("p", "backport", "Backport", id="cockpit.backport"),
    Binding("N", "plan_release", "Plan release", id="cockpit.plan-release", show=False),
    Binding("X", "close_milestone", "Close milestone", id="cockpit.close-milestone", show=False),
]


class OperationsScreen(WorkerScreen):
    """The operations on the selected milestone (`view`) and the repository read last (`status`). The dashboard
    sets both, and says which release branch is highlighted and how to re-read everything after a plan ran."""

    def __init__(self, services: Services) -> None:
        super().__init__(services)
        self.status: Status | None = None
        self.view: MilestoneView | None = None
        self.edited_notes: dict[tuple[str, str | None], str] = {}  # (milestone, tag) -> notes edited this session

    def action_refresh(self) -> None:
        raise NotImplementedError

    def highlighted_branch(self) -> str | None:
        raise NotImplementedError

    # --- cut and tag ------------------------------------------------------------------------------------------

    def action_cut_branch(self) -> None:
        from cockpit.workflows.branch_cut import propose_branch_cut

        version = self._selected_libs_version()
        if version is None:
            return
        git, forge = self.services.git, self.services.forge
        self.propose(lambda: propose_branch_cut(git, f"{version.major}.{version.minor}.0", forge=forge),
                     "Planning the branch cut")

    def action_tag_next(self) -> None:
        self._propose_tag(final=False)

    def action_tag_final(self) -> None:
        self._propose_tag(final=True)

    def _propose_tag(self, final: bool) -> None:
        from cockpit.workflows.tag_release import propose_tag

        if self.view is None:
            self.notify("select a milestone first", severity="warning")
            return
        git, title = self.services.git, self.view.milestone.title

        def build() -> Plan | Refusal:
            tags = next_release_tags(git, title, final)
            if tags is None:
                return Refusal(f"milestone {title} names no version to tag")
            if not tags.any:
                return Refusal(f"{title} is already tagged")
            return propose_tag(git, libs=tags.libs, driver=tags.driver, branch=tags.at, forge=self.services.forge,
                               forge_problem=self.services.forge_problem)
        self.propose(build, "Planning the tag")

    def _selected_libs_version(self) -> semver.Version | None:
        if self.view is None:
            self.notify("select a milestone first", severity="warning")
            return None
        try:
            version = parse_version(self.view.milestone.title.removeprefix("v"))
        except VersionError:
            version = None
        if version is None or version.build:
            self.notify(f"{one_line(self.view.milestone.title)} is not a libs release: its branch is cut for the libs "
                        "milestone", severity="warning")
            return None
        return version

    # --- release notes, the GitHub release, the tracking issue ------------------------------------------------

    def action_notes(self) -> None:
        from cockpit.ui.screens.notes import NotesScreen
        from cockpit.workflows.publish import notes_for, propose_github_release

        view, forge, git = self.view, self.services.forge, self.services.git
        if view is None or forge is None:
            self.notify("select a milestone (the notes come from the forge)", severity="warning")
            return
        title, today = view.milestone.title, self.services.today
        tag = view.progress.final_tag or (view.progress.rc_tags[-1] if view.progress.rc_tags else None)
        edited = self.edited_notes

        def publish(choice: tuple[str | None, str] | None) -> None:
            if choice is None:
                return
            chosen_tag, body = choice
            edited[(title, tag)] = body  # kept for this session: leaving the notes loses no edit
            if chosen_tag is not None:
                self.propose(lambda: propose_github_release(git, forge, chosen_tag, today, body=body),
                             "Planning the GitHub release")

        def show(notes_tag: str | None, body: str) -> None:
            screen = NotesScreen(title, notes_tag, edited.get((title, tag), body), self.services.user.editor,
                                 edited=(title, tag) in edited)
            self.app.push_screen(screen, publish)

        def build() -> None:
            if tag is not None:
                release = propose_github_release(git, forge, tag, today)
                if isinstance(release, Refusal):
                    self.deliver(self.refused, f"Writing the notes of {title}", release)
                else:
                    self.deliver(show, tag, release.steps[0].params["body"])
            else:
                notes, _ = notes_for(forge, title, today)
                self.deliver(show, None, notes.as_markdown())
        self.run_blocking(build, name=f"Writing the notes of {title}", group="notes")

    def action_tracking_issue(self) -> None:
        from cockpit.workflows.tracking import propose_tracking_issue

        view, forge, git = self.view, self.services.forge, self.services.git
        if view is None or forge is None:
            self.notify("select a milestone (the issue lives on the forge)", severity="warning")
            return
        title, today = view.milestone.title, self.services.today
        self.propose(lambda: propose_tracking_issue(git, forge, title, today, announce=True),
                     "Planning the tracking issue")

    # --- backports, a new release, triage, protection, bumps --------------------------------------------------

    def action_backport(self) -> None:
        """The candidate browser of the highlighted release branch (or of the selected milestone's, or the newest)."""
        from cockpit.ui.screens.backport import BackportScreen

        branch = self._target_release_branch()
        if branch is None:
            self.notify("no release branch yet: cut one first (b)", severity="warning")
            return
        self.app.push_screen(BackportScreen(self.services, branch))

    def _target_release_branch(self) -> str | None:
        names = [b.name for b in self.status.branches] if self.status else []
        highlighted = self.highlighted_branch()
        if highlighted in names:
            return highlighted
        if self.view is not None:
            try:
                v = parse_version(self.view.milestone.title)
                name = f"{self.services.git.config.release_branch_prefix}{v.major}.{v.minor}.x"
                if name in names:
                    return name
            except VersionError:
                pass
        return names[0] if names else None

    def action_plan_release(self) -> None:
        s = self.services
        if s.forge is None:
            self.notify(f"no forge: {s.forge_problem}", severity="warning")
            return
        self.suggest_release()

    @work(thread=True, exclusive=True, group="plan", exit_on_error=False, name="Computing the next versions")
    def suggest_release(self) -> None:
        from cockpit.workflows.plan_release import suggested

        self.deliver(self.ask_release, suggested(self.services.git, self.services.forge))

    def ask_release(self, versions: tuple[str, str]) -> None:
        from cockpit.ui.dialogs.plan_release import PlanReleaseDialog
        from cockpit.workflows.plan_release import propose_release_milestones

        s = self.services
        forge, git = s.forge, s.git
        if forge is None:
            return

        def chosen(choice: tuple[str, str, str] | None) -> None:
            if choice is not None:
                libs, driver, due = choice
                self.propose(lambda: propose_release_milestones(git, forge, date.fromisoformat(due), s.today,
                                                                libs=libs, driver=driver or None,
                                                                with_driver=bool(driver)),
                             "Planning the release")
        dialog = PlanReleaseDialog(versions[0], versions[1], s.today, git.config.schedule.preparation_days)
        self.app.push_screen(dialog, chosen)

    def action_triage(self) -> None:
        """The milestone's items; marked ones move to the next open milestone (created, one minor up, if none)."""
        from cockpit.core.triage import triage_target
        from cockpit.ui.screens.triage import TriageScreen
        from cockpit.workflows import milestones

        view, forge = self.view, self.services.forge
        if view is None or forge is None:
            self.notify("select a milestone (its items come from the forge)", severity="warning")
            return
        title, today = view.milestone.title, self.services.today
        features = view.phase.phase.value == "code-freeze"

        def chosen(choice: tuple[str, list[int]] | None, target: str, items: list, orphans: list) -> None:
            if choice is None:
                return
            if choice[0] == "move":
                def back() -> None:  # the plan declined: the triage again, marks kept
                    screen = TriageScreen(title, target, items, orphans, today, features_only=features,
                                          marked=set(choice[1]))
                    self.app.push_screen(screen, lambda again: chosen(again, target, items, orphans))
                self.propose(lambda: milestones.propose_move(forge, title, target, items=choice[1], create=True),
                             "Planning the move", on_decline=back)
            else:
                journal = self.services.journal
                self.propose(lambda: milestones.propose_undo(forge, journal.plans()), "Planning the undo")

        def show(items: list, orphans: list, target: str) -> None:
            screen = TriageScreen(title, target, items, orphans, today, features_only=features)
            self.app.push_screen(screen, lambda choice: chosen(choice, target, items, orphans))

        def load() -> None:
            target = triage_target(title, [m.title for m in forge.milestones("open")])
            self.deliver(show, forge.milestone_items(title), milestones.orphans(forge), target)
        self.run_blocking(load, name=f"Reading the items of {title}", group="triage")

    def action_close_milestone(self) -> None:
        """Close the selected milestone, offered once its final release is tagged (the plan warns before that, and
        about open items left in it)."""
        from cockpit.workflows import milestones

        view, forge, git = self.view, self.services.forge, self.services.git
        if view is None or forge is None:
            self.notify("select a milestone (it lives on the forge)", severity="warning")
            return
        title = view.milestone.title

        def build() -> Plan | Refusal:
            released = [t.name for t in git.refs().tags if classify(t.name).is_release]
            return milestones.propose_close(forge, title, released)
        self.propose(build, f"Planning the close of {title}")

    def action_protect(self) -> None:
        version = self._selected_libs_version()
        if version is not None:
            self.propose_protection(f"{self.services.git.config.release_branch_prefix}{version.major}.{version.minor}.x")

    @work(thread=True, exclusive=True, group="plan", exit_on_error=False, name="Planning the protection request")
    def propose_protection(self, branch: str) -> None:
        from cockpit.workflows import protect

        s = self.services
        self.deliver(self.show_protection, branch,
                     protect.propose_protection(s.git, s.forge, s.forge_problem, branch))

    def show_protection(self, branch: str, result: Plan | Refusal) -> None:
        """Nothing to do, or the change to make by hand, is shown as text; a plan goes to the plan dialog."""
        from cockpit.ui.dialogs.text import TextDialog

        if isinstance(result, Refusal) and result.kind != "input":
            self.app.push_screen(TextDialog(f"Protect {branch}", result.why))
        else:
            self.proposed(result, "Planning the protection request")

    def action_bump(self) -> None:
        from cockpit.ui.dialogs.bump import BumpDialog
        from cockpit.workflows.bump import propose_bump

        git = self.services.git

        def chosen(choice: tuple[str, str] | None) -> None:
            if choice is not None:
                self.propose(lambda: propose_bump(git, *choice), "Planning the version bump")
        self.app.push_screen(BumpDialog(), chosen)

    # --- plan, confirm, run ------------------------------------------------------------------------------------

    def propose(self, build: Callable[[], Plan | Refusal], what: str,
                on_decline: Callable[[], None] | None = None) -> None:
        """Build the proposal in a worker named `what`, then the plan dialog (or say why there is no plan)."""
        self.run_blocking(lambda: self.deliver(self.proposed, build(), what, on_decline), name=what, group="plan")

    def proposed(self, proposal: Plan | Refusal, what: str, on_decline: Callable[[], None] | None = None) -> None:
        if isinstance(proposal, Refusal):
            self.refused(what, proposal)
        else:
            self.confirm(proposal, on_decline)

    def confirm(self, plan: Plan, on_decline: Callable[[], None] | None = None) -> None:
        """The plan dialog; `on_decline` runs when it ends without executing (cancel or dry run), to go back to
        where the plan was asked for. A dry run goes through the runner too: it opens nothing and changes nothing."""
        from cockpit.ui.dialogs.plan import PlanDialog
        from cockpit.workflows.runner import confirmed_already, run_plan

        def chosen(choice: str | None) -> None:
            if choice == "dry-run":
                ran = run_plan(plan, self.services.executor, confirm=confirmed_already, dry_run=True)
                self.notify(f"{one_line(plan.title)}: {len(ran.left)} step(s); nothing was changed", title="Dry run")
            if choice == "execute":
                self.execute(plan)
            elif on_decline is not None:
                on_decline()
        self.app.push_screen(PlanDialog(plan), chosen)

    def execute(self, plan: Plan, record: PlanRecord | None = None) -> None:
        """Run the plan the dialog confirmed (or continue the journal's `record` of it) through the one runner."""
        from cockpit.workflows.runner import confirmed_already, continue_plan, run_plan

        open_executor = self.services.executor

        def run() -> None:
            if record is None:
                self.deliver(self.executed, run_plan(plan, open_executor, confirm=confirmed_already))
            else:
                self.deliver(self.executed, continue_plan(record, open_executor))
        self.run_blocking(run, name=f"Running: {one_line(plan.title)}", group="execute")

    def executed(self, ran: RunOutcome) -> None:
        if ran.state == "finished":
            self.notify(one_line(ran.plan.title), title="Done")
        else:
            self.notify(f"{ran.error} — the plan is kept: continue or abort it on the next start, or with cockpit "
                        "resume / abort", title="Plan stopped", severity="error", timeout=15)
        self.action_refresh()

    # --- an unfinished plan from an earlier session -------------------------------------------------------------

    @work(thread=True, exclusive=True, group="journal", exit_on_error=False, name="Reading the journal")
    def offer_resume(self) -> None:
        journal = self.services.journal
        self.deliver(self.ask_resume, journal.unfinished(), journal.torn_tail())

    def ask_resume(self, record: PlanRecord | None, torn: str | None) -> None:
        if torn:  # said, never hidden: the plans are read from the complete records before it
            self.notify(torn, title="Journal", severity="warning", timeout=15)
        if record is None:
            return
        from cockpit.services.executor import describe_choices  # only with a plan to offer: not on every start
        from cockpit.ui.dialogs.resume import ResumeDialog
        from cockpit.ui.screens.backport import BackportScreen

        start = next((st for st in record.plan.steps if st.kind == "backport.start"), None)
        if start is not None:  # a backport: the same choices as at its conflict (edit, continue, skip, abort)
            self.app.push_screen(BackportScreen(self.services, start.params["branch"], resume=True))
            return

        def chosen(choice: str | None) -> None:
            if choice == "continue":
                self.execute(record.plan, record)
            elif choice == "abort":
                self.abort(self.services.executor(), record)
        self.app.push_screen(ResumeDialog(record, describe_choices(record)), chosen)

    @work(thread=True, exclusive=True, group="execute", exit_on_error=False, name="Aborting the plan")
    def abort(self, executor: Executor, record: PlanRecord) -> None:
        outcome = executor.abort()
        done = [] if outcome is None else \
            [f"removed {', '.join(outcome.removed)}"] * bool(outcome.removed) + outcome.kept
        self.deliver(self.aborted, record, done)

    def aborted(self, record: PlanRecord, done: list[str]) -> None:
        self.notify("; ".join(["aborted", *done]), title=one_line(record.plan.title))
        self.action_refresh()

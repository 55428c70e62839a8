"""The backport candidate browser of a release branch: default-branch commits since the fork point, oldest first,
with PR (and where the link comes from: the subject's "(#N)", a merge commit, or the forge's association, which is
the only one a rebase-merged PR has), author, date, milestone and labels; applied ones dimmed with their evidence.
Filters, marks, a diff preview, then the backport itself (a PR by default, or straight onto the branch) with its
conflict handling."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Header, Input, Static

from cockpit.core.display import one_line
from cockpit.core.plan import Plan
from cockpit.services.bundle import Services
from cockpit.services.executor import Executor
from cockpit.ui.dialogs.conflict import ConflictDialog
from cockpit.ui.dialogs.plan import PlanDialog
from cockpit.ui.editor import open_editor
from cockpit.ui.filtering import FilteredListScreen, cursor_key, refill
from cockpit.ui.format import plain
from cockpit.ui.screens.base import WorkerScreen
from cockpit.ui.widgets.footer import CockpitFooter
from cockpit.workflows.backport import propose_backport
from cockpit.workflows.backport_session import abort_backport, backport_state, continue_backport, skip_current
from cockpit.workflows.proposal import Refusal
from cockpit.workflows.reports.candidates import CandidateRow, CandidatesReport
from cockpit.workflows.reports.candidates import candidates as candidates_report
from cockpit.workflows.reports.tags import next_branch_tags
from cockpit.workflows.runner import RunOutcome, confirmed_already, outcome_of, run_plan
from cockpit.workflows.tag_release import propose_tag

EVIDENCE_STYLE = {"trailer": "green", "patch-id": "green", "subject+author": "yellow"}
DIFF_LIMIT = 400  # lines of the preview: enough to judge a fix, cheap on huge commits


def short(text: str, width: int = 52) -> str:
    """A subject cut to fit beside author, milestone and evidence; the diff pane shows it whole."""
    return text if len(text) <= width else text[: width - 1] + "…"


SOURCE_MARK = {"subject": "subj", "merge": "merge", "forge": "forge"}  # how the PR column says where its link is from


class BackportScreen(FilteredListScreen[None], WorkerScreen):
    CSS_PATH = "backport.tcss"
    BINDINGS = [
        Binding("escape", "back", "Back", id="cockpit.backport-back"),
        Binding("space", "mark", "Mark", id="cockpit.backport-mark"),
        Binding("shift+down", "mark_down", "Mark and down", show=False, id="cockpit.backport-mark-down"),
        Binding("shift+up", "mark_up", "Mark and up", show=False, id="cockpit.backport-mark-up"),
        Binding("o", "toggle_missing", "Only missing", id="cockpit.backport-missing"),
        Binding("slash", "focus_filter", "Filter", id="cockpit.backport-filter"),
        Binding("A", "add_overlapping", "Add overlapping", id="cockpit.backport-add-overlapping"),
        Binding("d", "toggle_direct", "PR / direct", id="cockpit.backport-mode"),
        Binding("x", "backport", "Backport marked", id="cockpit.backport-run"),
        Binding("t", "tag_next", "Tag next", id="cockpit.backport-tag"),
    ]

    def __init__(self, services: Services, branch: str, resume: bool = False, marked: Sequence[str] = (),
                 plan_now: bool = False) -> None:
        super().__init__(services)
        self.branch = branch
        self.resume = resume  # an unfinished backport from an earlier session: offer its choices once loaded
        self.plan_now = plan_now  # plan the backport of `marked` once loaded (the coverage screen's one step)
        self.commits: tuple[CandidateRow, ...] = ()
        self.forge_problem: str | None = None
        self.paths: dict[str, frozenset[str]] = {}
        self.marked: list[str] = list(marked)
        self.only_missing = True
        self.direct = False
        self.text = ""

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="backport"):
            yield Static(id="backport-summary")
            yield Input(placeholder="filter: text in subject, author, #PR, milestone, label, or path:SUBSTRING",
                        id="backport-filter")
            with Horizontal(id="backport-main"):
                yield DataTable(id="candidates", cursor_type="row")
                with Vertical(id="backport-side"):
                    yield Static(id="marked")
                    with VerticalScroll(id="diff-pane"):
                        yield Static(id="diff")
        yield CockpitFooter()

    def on_mount(self) -> None:
        self.sub_title = one_line(f"backport to {self.branch}")
        table = self.query_one(DataTable)
        table.add_columns(" ", "commit", "PR", "subject", "author", "date", "milestone", "labels", "applied")
        table.loading = True
        self.load()

    def load(self) -> None:
        git, services, branch = self.services.git, self.services, self.branch

        def fetch() -> None:
            report = candidates_report(git, branch, forge=services.forge, forge_problem=services.forge_problem)
            paths = git.files_by_commit(f"{report.fork_point}..{report.upstream}")
            self.deliver(self.show, (report, paths))

        self.run_blocking(fetch, name=f"Reading the candidates for {branch}", group="candidates")

    def show(self, result: tuple[CandidatesReport, dict[str, frozenset[str]]]) -> None:
        report, self.paths = result
        self.commits = report.commits
        self.forge_problem = report.forge_problem
        self.marked = [s for s in self.marked if any(c.sha == s and not c.applied for c in self.commits)]
        self.fill()
        self.query_one(DataTable).loading = False
        self.query_one(DataTable).focus()
        if self.plan_now:
            self.plan_now = False
            if self.marked:
                self.plan_marked(list(self.marked), "direct" if self.direct else "pr")
            else:
                self.notify(f"nothing to backport: every commit asked for is on {one_line(self.branch)} already",
                            title="Backport")
        if self.resume:
            self.resume = False
            state = backport_state(self.services.executor())
            self.ask_conflict(f"an unfinished backport: {state.describe()}")

    # --- the table -----------------------------------------------------------------------------------------------

    def shown(self) -> list[CandidateRow]:
        text = self.text.lower()
        rows = []
        for c in self.commits:
            if self.only_missing and c.applied:
                continue
            if text:
                if text.startswith("path:"):
                    if not any(text[5:] in p.lower() for p in self.paths.get(c.sha, ())):
                        continue
                elif not any(text in field.lower() for field in (c.subject, c.author, f"#{c.pr}",
                                                                 c.milestone or "", *c.labels)):
                    continue
            rows.append(c)
        return rows

    def fill(self) -> None:
        shown = self.shown()
        refill(self.query_one(DataTable), ((c.sha, self.cells(c)) for c in shown))
        missing = sum(not c.applied for c in self.commits)
        summary = Text(f"{len(self.commits)} commit(s) since the fork point, {missing} missing; showing "
                       f"{len(shown)}" + (" (only missing)" if self.only_missing else "")
                       + (f" matching '{self.text}'" if self.text else ""))
        summary.append(f"   mode: {'straight onto ' + self.branch if self.direct else 'a PR against ' + self.branch}",
                       style="bold")
        if self.forge_problem:
            summary.append("\nforge: ", style="bold yellow")
            summary.append_text(plain(one_line(self.forge_problem + " (PRs linked by subject and merge commits only)")))
        self.query_one("#backport-summary", Static).update(summary)
        self.show_marked()

    def cells(self, c: CandidateRow) -> tuple[Text | str, ...]:
        dim = "dim" if c.applied else ""
        pr = Text(f"#{c.pr}", style=dim) if c.pr else Text("-", style=dim)
        if c.pr:
            pr.append(f" {SOURCE_MARK.get(c.pr_source or '', '')}", style="dim italic")
        applied = Text(f"{c.evidence} → {(c.applied_as or '')[:8]}", style=EVIDENCE_STYLE.get(c.evidence or "", ""))\
            if c.applied else Text("missing", style="bold")
        when = datetime.fromtimestamp(c.date, UTC).strftime("%Y-%m-%d")
        return ("●" if c.sha in self.marked else " ", Text(c.sha[:10], style=dim),
                pr, plain(one_line(short(c.subject)), style=dim),
                plain(one_line(c.author), style=dim), Text(when, style=dim),
                plain(one_line(c.milestone or ""), style=dim), plain(one_line(", ".join(c.labels)), style=dim), applied)

    def show_marked(self) -> None:
        order = {c.sha: n for n, c in enumerate(self.commits)}  # oldest first: the order they are picked in
        text = Text(f"{len(self.marked)} marked (picked in this order)\n", style="bold")
        for sha in sorted(self.marked, key=lambda s: order.get(s, 0)):
            c = next(c for c in self.commits if c.sha == sha)
            text.append(f"  {sha[:8]} ")
            text.append_text(plain(one_line(c.subject[:60])))
            text.append("\n")
        self.query_one("#marked", Static).update(text)

    def current(self) -> str | None:
        return cursor_key(self.query_one(DataTable))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        sha = event.row_key.value if event.row_key else None
        if sha:
            self.read_diff(sha)

    @work(thread=True, exclusive=True, group="diff", exit_on_error=False, name="Reading the diff")
    def read_diff(self, sha: str) -> None:
        lines = self.services.git.show_commit(sha).splitlines()
        self.deliver(self.show_diff, "\n".join(lines[:DIFF_LIMIT]) + (f"\n... {len(lines) - DIFF_LIMIT} more lines"
                                                                      if len(lines) > DIFF_LIMIT else ""), sha)

    def pr_line(self, sha: str) -> Text:
        """The commit's PR above its diff: number, title, and where the link comes from."""
        c = next((c for c in self.commits if c.sha == sha), None)
        if c is None or not c.pr:
            return Text("no PR linked\n\n", style="dim")
        line = Text(f"PR #{c.pr} ", style="bold")
        line.append_text(plain(one_line(c.pr_title or ""), style="bold"))
        line.append(f"  (linked by {c.pr_source})\n\n", style="dim")
        return line

    def show_diff(self, text: str, sha: str | None = None) -> None:
        rendered = self.pr_line(sha) if sha else Text()
        for line in text.splitlines():
            style = "green" if line.startswith("+") else "red" if line.startswith("-") else \
                "cyan" if line.startswith("@@") else ""
            rendered.append_text(plain(line + "\n", style=style))  # a commit's text and content, shown
        self.query_one("#diff", Static).update(rendered)

    # --- marks and filters ------------------------------------------------------------------------------------

    def _toggle(self, sha: str | None) -> None:
        if sha is None:
            return
        commit = next((c for c in self.commits if c.sha == sha), None)
        if commit is None or commit.applied:
            self.notify("already on the branch", severity="warning")
            return
        if sha in self.marked:
            self.marked.remove(sha)
        else:
            self.marked.append(sha)

    def action_mark(self) -> None:
        self._toggle(self.current())
        self.fill()
        self.query_one(DataTable).action_cursor_down()

    def action_mark_down(self) -> None:
        self.action_mark()

    def action_mark_up(self) -> None:
        self._toggle(self.current())
        self.fill()
        self.query_one(DataTable).action_cursor_up()

    def action_add_overlapping(self) -> None:
        """Mark the earlier missing commits that touch files a marked commit touches: without them a pick may
        conflict (the plan's trial merge says which picks do)."""
        order = {c.sha: n for n, c in enumerate(self.commits)}
        added = 0
        for sha in list(self.marked):
            files = self.paths.get(sha, frozenset())
            for c in self.commits[:order.get(sha, 0)]:
                if not c.applied and c.sha not in self.marked and files & self.paths.get(c.sha, frozenset()):
                    self.marked.append(c.sha)
                    added += 1
        self.fill()
        self.notify(f"{added} earlier commit(s) touching the same files marked" if added
                    else "no earlier missing commit touches the marked commits' files", title="Overlapping")

    def action_toggle_missing(self) -> None:
        self.only_missing = not self.only_missing
        self.fill()

    def action_toggle_direct(self) -> None:
        self.direct = not self.direct
        self.fill()

    def action_back(self) -> None:
        self.app.pop_screen()

    # --- the backport ---------------------------------------------------------------------------------------------

    def action_backport(self) -> None:
        if not self.marked:
            self.notify("mark commits first (space)", severity="warning")
            return
        self.plan_marked(list(self.marked), "direct" if self.direct else "pr")

    @work(thread=True, exclusive=True, group="plan", exit_on_error=False, name="Planning the backport")
    def plan_marked(self, shas: list[str], mode: str) -> None:
        s = self.services
        self.deliver(self.confirm, propose_backport(s.git, s.forge, self.branch, shas, mode, s.journal))

    def confirm(self, plan: Plan | Refusal) -> None:
        if isinstance(plan, Refusal):
            self.refused("Planning the backport", plan)
            return

        def chosen(choice: str | None) -> None:
            if choice == "execute":
                self.execute(lambda: run_plan(plan, self.services.executor, confirm=confirmed_already))
            elif choice == "dry-run":
                ran = run_plan(plan, self.services.executor, confirm=confirmed_already, dry_run=True)
                self.notify(f"{one_line(plan.title)}: {len(ran.left)} step(s); nothing was changed", title="Dry run")
        self.app.push_screen(PlanDialog(plan), chosen)

    @work(thread=True, exclusive=True, group="execute", exit_on_error=False, name="Backporting")
    def execute(self, run: Callable[[], RunOutcome]) -> None:
        """Run the backport (or its continuation) through the one runner; a stop at a pick is a conflict."""
        ran = run()
        if ran.state == "finished":
            outcome = "done"
        elif ran.stopped_at is not None and ran.stopped_at.kind == "backport.pick":
            outcome = f"conflict: {ran.reason}"
        else:
            outcome = f"failed: {ran.error}"
        self.deliver(self.finished, outcome)

    def finished(self, outcome: str) -> None:
        if outcome == "done":
            self.notify(f"backported to {self.branch}: press t to tag the next RC or patch release",
                        title="Backport done")
            self.marked = []
        elif outcome.startswith("conflict: "):
            self.ask_conflict(outcome.removeprefix("conflict: "))
            return
        else:
            self.notify(outcome.removeprefix("failed: "), title="Backport stopped", severity="error",
                        timeout=15)
        self.load()

    def action_tag_next(self) -> None:
        """After backports: the next RC of this branch's release, or its next patch release after thaw."""
        self.plan_next_tag()

    @work(thread=True, exclusive=True, group="plan", exit_on_error=False, name="Planning the tag")
    def plan_next_tag(self) -> None:
        git, branch = self.services.git, self.branch
        tags = next_branch_tags(git, branch)
        if tags is None or not tags.any:
            self.deliver(self.refused, "Planning the tag", Refusal(f"nothing to tag on {branch}"))
            return
        self.deliver(self.confirm_tag, propose_tag(git, libs=tags.libs, driver=tags.driver, branch=branch,
                                                   forge=self.services.forge,
                                                   forge_problem=self.services.forge_problem))

    def confirm_tag(self, plan: Plan | Refusal) -> None:
        if isinstance(plan, Refusal):
            self.refused("Planning the tag", plan)
            return

        def chosen(choice: str | None) -> None:
            if choice == "execute":
                def run() -> None:
                    self.deliver(self.tagged, run_plan(plan, self.services.executor, confirm=confirmed_already))
                self.run_blocking(run, name=f"Running: {plan.title}", group="execute")
        self.app.push_screen(PlanDialog(plan), chosen)

    def tagged(self, ran: RunOutcome) -> None:
        if ran.state == "finished":
            self.notify(ran.plan.title, title="Done")
        else:  # as the worker's failure handler says it: one line, titled with what failed
            self.notify(" ".join(str(ran.error).split())[:300], title=f"Running: {ran.plan.title} failed",
                        severity="error", timeout=8)
        self.load()

    def ask_conflict(self, reason: str) -> None:
        executor = self.services.executor()
        state = backport_state(executor)

        def chosen(choice: str | None) -> None:
            if choice == "edit":
                self.edit(state.conflicted)
                self.ask_conflict(reason)
            elif choice == "continue" and state.record is not None:
                plan = state.record.plan
                self.execute(lambda: outcome_of(plan, executor, lambda: continue_backport(executor)))
            elif choice == "skip" and state.record is not None:
                plan = state.record.plan
                self.execute(lambda: outcome_of(plan, executor, lambda: skip_current(executor)))
            elif choice == "abort":
                self.abort(executor)
        self.app.push_screen(ConflictDialog(reason, state.conflicted), chosen)

    @work(thread=True, exclusive=True, group="execute", exit_on_error=False, name="Aborting the backport")
    def abort(self, executor: Executor) -> None:
        abort_backport(executor)
        self.deliver(self.aborted)

    def aborted(self) -> None:
        self.notify(f"aborted: {self.branch} and your branch are as before", title="Backport aborted")
        self.load()

    def edit(self, files: tuple[str, ...]) -> None:
        root = self.services.git.root
        ran = open_editor(self.app, self.services.user.editor, [Path(root) / f for f in files], cwd=Path(root))
        if ran.returncode is None:
            self.notify(f"editor not found: {ran.program}", severity="error")

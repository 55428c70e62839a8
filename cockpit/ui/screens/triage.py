"""Triage a milestone: its PRs and issues in a table (state, labels, author, age), filters, multi-select, and a move of
the marked items to the next milestone (created if needed) with an undo; merged PRs with no milestone are flagged.
In code freeze the `features` filter shows the open feature PRs that must leave the release."""

from __future__ import annotations

from datetime import UTC, date

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Header, Input, Static

from cockpit.core.display import one_line
from cockpit.core.forge_models import Item
from cockpit.core.next_steps import is_feature
from cockpit.ui.filtering import FilteredListScreen, cursor_key, refill
from cockpit.ui.format import plain
from cockpit.ui.widgets.footer import CockpitFooter


def age(item: Item, today: date) -> str:
    if item.created_at is None:
        return "-"
    return f"{(today - item.created_at.astimezone(UTC).date()).days}d"


def state_of(item: Item) -> Text:
    if item.kind == "pr" and item.merged:
        return Text("merged", style="magenta")
    if item.state == "open":
        return Text("open", style="green")
    return Text("closed", style="dim")


class TriageScreen(FilteredListScreen[tuple[str, list[int]] | None]):
    """Returns ("move", numbers) or ("undo", []) for the dashboard to plan, or None."""

    CSS_PATH = "triage.tcss"
    BINDINGS = [
        Binding("escape", "back", "Back", id="cockpit.triage-back"),
        Binding("space", "mark", "Mark", id="cockpit.triage-mark"),
        Binding("a", "mark_all", "Mark all shown", id="cockpit.triage-mark-all"),
        Binding("o", "toggle('open_only')", "Open only", id="cockpit.triage-open"),
        Binding("f", "toggle('features_only')", "Features only", id="cockpit.triage-features"),
        Binding("slash", "focus_filter", "Filter", id="cockpit.triage-filter"),
        Binding("m", "move", "Move marked", id="cockpit.triage-move"),
        Binding("u", "undo", "Undo last move", id="cockpit.triage-undo"),
    ]

    def __init__(self, milestone: str, target: str, items: list[Item], orphans: list[Item], today: date,
                 features_only: bool = False, marked: set[int] | None = None) -> None:
        super().__init__()
        self.milestone, self.target, self.items, self.orphans, self.today = milestone, target, items, orphans, today
        self.open_only = features_only
        self.features_only = features_only
        self.marked: set[int] = set(marked or ())
        self.text = ""

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="triage"):
            yield Static(id="triage-summary")
            yield Input(placeholder="filter: text in title, author or label (enter to apply)", id="triage-filter")
            yield DataTable(id="triage-table", cursor_type="row")
            yield Static(id="orphans")
        yield CockpitFooter()

    def on_mount(self) -> None:
        self.sub_title = one_line(f"triage {self.milestone}: marked items move to {self.target}")
        self.query_one(DataTable).add_columns("", "#", "kind", "state", "title", "author", "labels", "age")
        orphans = Text(f"{len(self.orphans)} merged PR(s) have no milestone", style="yellow" if self.orphans else "dim")
        for item in self.orphans[:5]:
            orphans.append(f"\n  #{item.number} ", style="bold")
            orphans.append_text(plain(one_line(f"{item.title} ({item.author})")))
        self.query_one("#orphans", Static).update(orphans)
        self.fill()
        self.query_one(DataTable).focus()

    def shown(self) -> list[Item]:
        text = self.text.lower()
        return [i for i in self.items
                if (not self.open_only or i.state == "open")
                and (not self.features_only or (i.kind == "pr" and is_feature(i)))
                and (not text or text in i.title.lower() or text in i.author.lower()
                     or any(text in label.lower() for label in i.labels))]

    def fill(self) -> None:
        shown = self.shown()
        refill(self.query_one(DataTable), ((str(i.number), (
            "●" if i.number in self.marked else " ", str(i.number), i.kind, state_of(i), plain(one_line(i.title)),
            plain(one_line(i.author)), plain(one_line(", ".join(i.labels))), age(i, self.today))) for i in shown))
        filters = [name for name, on in (("open only", self.open_only), ("features only", self.features_only),
                                         (f"'{self.text}'", bool(self.text))) if on]
        summary = Text(f"{len(shown)} of {len(self.items)} item(s)" + (f" ({', '.join(filters)})" if filters else ""))
        summary.append(f"   {len(self.marked)} marked", style="bold" if self.marked else "dim")
        self.query_one("#triage-summary", Static).update(summary)

    def current(self) -> int | None:
        key = cursor_key(self.query_one(DataTable))
        return int(key) if key else None

    def action_mark(self) -> None:
        number = self.current()
        if number is not None:
            self.marked ^= {number}
            self.fill()
            self.query_one(DataTable).action_cursor_down()

    def action_mark_all(self) -> None:
        self.marked |= {i.number for i in self.shown()}
        self.fill()

    def action_toggle(self, which: str) -> None:
        setattr(self, which, not getattr(self, which))
        self.fill()

    def action_move(self) -> None:
        if not self.marked:
            self.notify("mark items first (space)", severity="warning")
            return
        self.dismiss(("move", sorted(self.marked)))

    def action_undo(self) -> None:
        self.dismiss(("undo", []))

    def action_back(self) -> None:
        self.dismiss(None)


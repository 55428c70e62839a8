"""Release notes of a milestone, rendered as markdown; `e` opens them in $EDITOR (the app suspends), `p` turns them
into the GitHub release of the milestone's newest tag (a draft, through the plan dialog)."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Markdown

from cockpit.core.display import one_line
from cockpit.ui.editor import open_editor
from cockpit.ui.format import printable
from cockpit.ui.widgets.footer import CockpitFooter


def file_part(title: str) -> str:
    """A milestone title as part of a file name. The title is forge data: a '/' names a folder that does not
    exist, a NUL or 300 characters are no file name at all; the editor only needs a recognisable name."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", title).strip(".-")[:60] or "milestone"


class NotesScreen(Screen[tuple[str | None, str] | None]):
    """Returns (tag, notes) to publish them, (None, notes) when they were edited and are left unpublished (the
    cockpit keeps them for the session), or None."""

    CSS_PATH = "notes.tcss"
    BINDINGS = [Binding("escape", "back", "Back", id="cockpit.notes-back"),
                Binding("e", "edit", "Edit in $EDITOR", id="cockpit.notes-edit"),
                Binding("p", "publish", "Draft release", id="cockpit.notes-publish")]

    def __init__(self, title: str, tag: str | None, body: str, editor: str | None = None,
                 edited: bool = False) -> None:
        super().__init__()
        self.notes_title, self.tag, self.body, self.editor = title, tag, body, editor
        self.edited = edited

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="notes-body"):
            yield Markdown(printable(self.body), id="notes", open_links=False)  # links: on_markdown_link_clicked
        yield CockpitFooter()

    def on_mount(self) -> None:
        self.sub_title = one_line(f"release notes of {self.notes_title}" + (f" for {self.tag}" if self.tag else "")
                                  + (" (edited)" if self.edited else ""))

    def on_markdown_link_clicked(self, event: Markdown.LinkClicked) -> None:
        """Links come from PR bodies: only a web page opens (not a file, nor a custom scheme's handler)."""
        if urlsplit(event.href).scheme in ("http", "https"):
            self.app.open_url(event.href)
        else:
            self.notify(f"not opened: {event.href} (only http and https links open)", severity="warning")

    def action_edit(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"release-notes-{file_part(self.notes_title)}.md"
            path.write_text(self.body)
            ran = open_editor(self.app, self.editor, [path])
            if ran.returncode is None:
                self.notify(f"editor not found: {ran.program} (set EDITOR or `editor` in config.toml)",
                            severity="error")
                return
            if ran.returncode != 0:
                self.notify(f"{ran.program} exited {ran.returncode}: notes unchanged", severity="warning")
                return
            text = path.read_text()
        if text == self.body:
            self.notify("notes unchanged", title="Release notes")
            return
        self.body, self.edited = text, True
        self.query_one(Markdown).update(printable(self.body))
        self.notify("notes updated (kept for this session)", title="Release notes")

    def action_publish(self) -> None:
        if self.tag is None:
            self.notify(f"{self.notes_title} has no tag yet: tag an RC or the final first", severity="warning")
            return
        self.dismiss((self.tag, self.body))

    def action_back(self) -> None:
        self.dismiss((None, self.body) if self.edited else None)

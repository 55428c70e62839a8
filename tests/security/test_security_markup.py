"""Nothing from a PR, a commit or an error message is interpreted by the TUI. Textual parses markup in a plain `str`
given to `notify()`, `Static`, `Label`, a DataTable cell or a border title, so a PR titled `[@click=app.quit]` would
become a live action and `[bold red]` a style; and an ESC byte in a commit subject would reach the terminal as a
control sequence (clear the screen, retitle the window, forge a hyperlink).

The demo sandbox gets hostile data: PR titles, authors, labels and release-note bodies, an open milestone, a commit
(subject, author, file content) pushed to master, all full of markup, ANSI/OSC escapes and very long lines. A Pilot
then opens the dashboard, the milestone with the hostile title, the triage screen (m), the notes screen (n), the
backport browser (p) with the hostile commit's diff, and a notification carrying a hostile title. On every screen:
the app still runs, the hostile text is shown literally, no escape byte from the data reaches the rendered strips
(control characters are shown as their Unicode pictures, e.g. ESC as ␛), and no click action comes from the data."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.segment import Segment
from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import DataTable, Input, Markdown, Static

from cockpit.core.display import printable
from cockpit.demo import NEWEST_RELEASE_BRANCH, Sandbox, build_sandbox
from cockpit.ui.app import CockpitApp
from cockpit.ui.dialogs.plan import PlanDialog
from cockpit.ui.format import plain
from cockpit.ui.screens.backport import BackportScreen
from cockpit.ui.screens.notes import NotesScreen
from cockpit.ui.screens.triage import TriageScreen

from hostile import (
    CONTROL,
    ESCAPES,
    MILESTONE,
    SUBJECT,
    TITLE,
    hostile_sandbox,
)
from ui_helpers import TODAY, make_app, settle


@pytest.fixture
def sandbox(tmp_path: Path) -> Sandbox:
    return hostile_sandbox(tmp_path)


def segments(app: CockpitApp) -> Iterator[Segment]:
    """The segments the terminal would be sent for the current screen (and the dialog on top, if any)."""
    for strip in app.screen._compositor.render_strips():
        yield from strip


def screen_text(app: CockpitApp) -> str:
    """What the screen shows, as lines (from the SVG screenshot: its text spans, unescaped)."""
    svg = app.export_screenshot()
    lines: dict[int, str] = {}
    for line, text in re.findall(r'<text [^>]*clip-path="url\(#[\w-]+-line-(\d+)\)">(.*?)</text>', svg, re.S):
        lines[int(line)] = lines.get(int(line), "") + html.unescape(text).replace("\xa0", " ")
    return "\n".join(lines[n] for n in sorted(lines))


def assert_safe(app: CockpitApp, *shown_literally: str) -> str:
    """The app runs; every text is on screen as written; no control byte and no click action from the data."""
    assert app.is_running
    text = screen_text(app)
    for expected in shown_literally:
        assert expected in text, f"{expected!r} not shown literally"
    controls = {repr(m) for s in segments(app) for m in CONTROL.findall(s.text)}
    assert controls == set(), f"control characters sent to the terminal: {controls}"
    actions = {str(s.style.meta.get("@click")) for s in segments(app) if s.style and s.style.meta.get("@click")}
    assert not any("quit" in a for a in actions), actions
    return text


@pytest.mark.security
async def test_every_screen_shows_hostile_text_literally(sandbox: Sandbox) -> None:
    app = make_app(sandbox.clone)
    async with app.run_test(size=(200, 50), notifications=True) as pilot:
        await settle(app, pilot)
        assert_safe(app, "[@click=app.quit]0.99.0[/]␛[2J")  # the milestone pane
        # the milestone with the hostile title: its release panel (border title) and a notification naming it
        row = app.screen.query_one("#milestones", DataTable).get_row_index(MILESTONE)
        await pilot.press("2", *["down"] * row)
        await settle(app, pilot)
        await pilot.press("b")  # not a libs version: the warning names the milestone
        await pilot.pause(0.2)
        text = assert_safe(app, "4 Release [@click=app.quit]0.99.0[/]␛[2J")
        assert text.count("[@click=app.quit]0.99.0[/]") >= 3  # the pane, the panel's title, the notification
        await pilot.press(*["up"] * row)  # back to 0.26.0
        await settle(app, pilot)

        await pilot.press("m")  # triage 0.26.0, every item shown
        await settle(app, pilot)
        assert isinstance(app.screen, TriageScreen)
        await pilot.press("f", "o")
        await settle(app, pilot)
        assert_safe(app, "fix(libsinsp): [@click=app.quit]quit[/] [bold red]red[/]", "␛[2J␛[31m␛]0;pwned␇",
                    "orphan [@click=app.quit]quit[/]")
        # author and labels are right of the 4000-column title, off screen: their cells, as they will render
        cells = app.screen.query_one(DataTable).get_row("4242")[4:7]
        assert all(isinstance(c, Text) for c in cells)  # a str cell would be parsed as markup
        assert [str(c) for c in cells] == [printable(TITLE), "[red]mallory[/]␛[5m",
                                           "kind/bug, [blink]label[/], ␛[8mhidden, kind/feature"]
        await pilot.press("escape")
        await settle(app, pilot)

        await pilot.press("n")  # the release notes of 0.26.0, from the hostile release-note blocks
        await settle(app, pilot)
        assert isinstance(app.screen, NotesScreen)
        assert_safe(app, "notes [@click=app.quit]quit[/] [bold red]red[/]", "␛[2J␛[31m")
        await pilot.press("escape")
        await settle(app, pilot)

        await pilot.press("p")  # the backport browser of the newest release branch: the hostile commit last
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, BackportScreen) and screen.branch == NEWEST_RELEASE_BRANCH
        await pilot.press("slash")
        screen.query_one(Input).value = "#4242"
        await pilot.press("enter")
        await settle(app, pilot)
        assert screen.query_one(DataTable).row_count == 1
        await pilot.press("space")  # marked: the side pane lists its subject
        await settle(app, pilot)
        assert_safe(app, "pick [@click=app.quit]quit[/]", "Mal[bold]lory␛[31m",  # the table and the marked list
                    "+[@click=app.quit]quit[/] [bold red]red[/]", "+␛[2J␛[31m")  # the diff: its file content
        sha = screen.marked[0]
        await pilot.press("x")  # the plan dialog: its steps name the commit, its PR detail quotes the notes
        await settle(app, pilot)
        assert isinstance(app.screen, PlanDialog)
        assert_safe(app, f"Pick {sha[:10]} fix(libscap): pick [@click=app.quit]quit[/] [bold red]red[/]")
        steps = str(app.screen.query_one("#plan-steps", Static).render())
        assert f"Pick {sha[:10]} {printable(SUBJECT)}" in steps and "\x1b" not in steps
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.is_running and isinstance(app.screen, BackportScreen)


@pytest.mark.security
def test_printable_shows_every_control_character_and_keeps_the_rest() -> None:
    assert printable("a\x1b[2Jb\x07c\x9bd\x7fe") == "a␛[2Jb␇c\\x9bd␡e"
    assert printable("line one\n\tline two: ünïcödé [b]x[/b]") == "line one\n\tline two: ünïcödé [b]x[/b]"
    assert str(plain("[@click=app.quit]x[/] \x1b[2J")) == "[@click=app.quit]x[/] ␛[2J"


@pytest.mark.security
async def test_notes_open_web_links_only(tmp_path: Path) -> None:
    """A link in a PR's release note opens in the browser only when it is http(s): never a file, a custom scheme
    handler or anything else a click would hand to the desktop."""
    sb = build_sandbox(tmp_path / "sandbox", TODAY)
    app = make_app(sb.clone)
    opened: list[str] = []
    app.open_url = lambda url, **_: opened.append(url)  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(app, pilot)
        await app.push_screen(NotesScreen("0.26.0", None, "see [web](https://github.com/x) [bad](file:///etc/passwd)"))
        await pilot.pause()
        notes = app.screen.query_one(Markdown)
        for href in ("https://github.com/x", "file:///etc/passwd", "vscode://x/y", "javascript:alert(1)"):
            notes.post_message(Markdown.LinkClicked(notes, href))
            await pilot.pause()
        assert opened == ["https://github.com/x"]
        assert app.is_running


@pytest.mark.security
async def test_the_screen_checks_catch_markup_and_escapes() -> None:
    """The checks above are not vacuous: a plain str is parsed (a live click action; MARKUP's `[link=https://...]`
    would even raise MarkupError) and an ESC in a Text is sent as it is."""

    class Naive(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("[@click=app.quit]quit[/] [bold red]red[/]")
            yield Static(Text(ESCAPES))

    app = Naive()
    async with app.run_test(size=(100, 6)) as pilot:
        await pilot.pause()
        with pytest.raises(AssertionError, match="control characters sent to the terminal"):
            assert_safe(app)  # type: ignore[arg-type]
        actions = {str(s.style.meta.get("@click")) for s in segments(app) if s.style}  # type: ignore[arg-type]
        assert "app.quit" in actions and "[bold red]" not in screen_text(app)  # type: ignore[arg-type]

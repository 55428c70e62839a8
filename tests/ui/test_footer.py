"""The footer: the help key leads its row, and a footer mounted on a screen already running lists the keys at once
(the dashboard mounts it after its first frame)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Static
from textual.widgets._footer import FooterKey

from cockpit.ui.widgets.footer import CockpitFooter


class Later(App[None]):
    BINDINGS = [Binding("r", "refresh_view", "Refresh"), Binding("question_mark", "help", "Help")]

    def compose(self) -> ComposeResult:
        yield Static("the screen's content")

    def action_refresh_view(self) -> None:
        pass

    def action_help(self) -> None:
        pass


async def test_a_footer_mounted_on_a_running_screen_lists_the_keys_without_another_change() -> None:
    app = Later()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.screen.mount(CockpitFooter())
        await pilot.pause()
        actions = [key.action for key in app.screen.query(FooterKey)]
        assert actions[:2] == ["help", "refresh_view"]  # the help key first

"""The command palette (ctrl+p): every cockpit action, searchable by name."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

DASHBOARD_ONLY = {"Refresh", "Open all checks", "Plan a release", "Triage the milestone", "Cut the release branch",
                  "Request branch protection", "Bump a version file", "Tag the next RC", "Tag the final release",
                  "Release notes", "Tracking issue"}


class CockpitCommands(Provider):
    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        app = self.app
        screen = self.screen  # the screen the palette was opened from

        def run(action: str) -> Callable[[], object]:
            return partial(screen.run_action, action) if hasattr(screen, f"action_{action.split('(')[0]}") \
                else partial(app.run_action, action)

        commands = [
            ("Refresh", "Re-read git and the forge", run("refresh")),
            ("Open all checks", "Every check of the selected release with evidence and fix hints", run("open_checks")),
            ("Help", "Keys and what the cockpit shows", partial(app.run_action, "help")),
            ("Focus: Branches", "Pane 1", run("focus_pane('branches')")),
            ("Focus: Milestones", "Pane 2", run("focus_pane('milestones')")),
            ("Focus: Tags", "Pane 3", run("focus_pane('tags')")),
            ("Focus: Release", "Pane 4: timeline, next steps, checks", run("focus_pane('checks')")),
            ("Plan a release", "Milestone, due date and phase dates (N)", run("plan_release")),
            ("Triage the milestone", "Its PRs and issues; move marked ones to the next milestone (m)",
             run("triage")),
            ("Cut the release branch", "release/M.m.x of the selected milestone (b)", run("cut_branch")),
            ("Request branch protection", "A PR on the infra repository (P)", run("protect")),
            ("Bump a version file", "API_VERSION, SCHEMA_VERSION or the plugin API (v)", run("bump")),
            ("Tag the next RC", "With the computed driver version, pushed atomically (t)", run("tag_next")),
            ("Tag the final release", "On the release branch head (T)", run("tag_final")),
            ("Release notes", "Preview, edit in $EDITOR, draft the GitHub release (n)", run("notes")),
            ("Tracking issue", "Open or update it and announce the phase (i)", run("tracking_issue")),
            ("Toggle light/dark theme", "Switch between the light and the dark theme",
             partial(app.run_action, "toggle_theme")),
            ("Quit", "Leave the cockpit", partial(app.run_action, "quit")),
        ]
        return [c for c in commands if self._available(c[0])]

    def _available(self, name: str) -> bool:
        if name in DASHBOARD_ONLY or name.startswith("Focus"):
            return hasattr(self.screen, "action_refresh")
        return True

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)

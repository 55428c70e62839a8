"""The `/` text filter the list screens share: the Input applies its text on enter and hands focus back."""

from __future__ import annotations

from textual.widgets import DataTable, Input


class TextFilterMixin:
    """For screens with one Input and one DataTable that redraw through `fill()`."""

    text: str

    def action_focus_filter(self) -> None:
        self.query_one(Input).focus()  # type: ignore[attr-defined]

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.text = event.value.strip()
        self.fill()  # type: ignore[attr-defined]
        self.query_one(DataTable).focus()  # type: ignore[attr-defined]

"""Cell formatting for the panes: a table's columns measured from the rows it is about to draw."""

from __future__ import annotations

from rich.text import Text

from cockpit.ui.format import column_widths


def test_a_column_is_as_wide_as_its_widest_cell_or_its_label() -> None:
    rows = [("libs", Text("0.25.0-rc1", style="bold"), "release/0.25.x"), ("driver", Text("9.0.1+driver"), "-")]
    assert column_widths(("line", "tag", "branch"), rows) == [6, 12, 14]
    assert column_widths(("line", "tag", "branch"), []) == [4, 3, 6]  # no rows: the labels


def test_widths_are_terminal_cells_not_characters() -> None:
    assert column_widths(("name",), [("发布",), (Text("é"),)]) == [4]  # two double-width characters
    assert column_widths(("n",), [("发布分支",)]) == [8]

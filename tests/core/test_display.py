"""What a forge title or commit subject may carry never reaches a terminal as it is: controls, bidi reordering and,
in one-line fields, line breaks are shown as visible escapes or control pictures."""

from __future__ import annotations

import pytest

from cockpit.core.display import escaped, one_line, printable

BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069",
        "\u200e", "\u200f", "\u061c"]
C0_C1 = [chr(c) for c in (*range(0x20), 0x7F, *range(0x80, 0xA0)) if chr(c) not in "\n\t"]


@pytest.mark.security
@pytest.mark.parametrize("show", [printable, one_line, escaped])
def test_no_control_or_bidi_character_survives(show: object) -> None:
    hostile = "a" + "".join(BIDI + C0_C1) + "z\u2028\u2029"
    shown = show(hostile)  # type: ignore[operator]
    assert shown.startswith("a") and "z" in shown
    assert not any(c in shown for c in BIDI + C0_C1 + ["\u2028", "\u2029"]), repr(shown)


@pytest.mark.security
def test_bidi_controls_are_named_not_obeyed() -> None:
    assert printable("fix: \u202eRLO-CANARY\u2066x\u2069") == "fix: \\u202eRLO-CANARY\\u2066x\\u2069"
    assert escaped("\u200f\u061c") == "\\u200f\\u061c"


@pytest.mark.security
def test_one_line_fields_keep_to_one_line() -> None:
    assert one_line("fix: a title\nFORGED-LINE\r\titem") == "fix: a title␤FORGED-LINE␍␉item"
    assert "\n" not in one_line("0.28.0 \x1b]0;OSC\x07 \u202e\nFORGED")
    assert one_line("release/0.26.x") == "release/0.26.x"  # ordinary names are untouched


def test_bodies_keep_their_lines_and_text() -> None:
    """Release notes and bodies are shown with their lines; letters of any script are not escaped."""
    body = "line one\n\tline two: ünïcödé שלום [b]x[/b] 🎉"
    assert printable(body) == body
    assert printable("a\x1b[2Jb\x9bc") == "a␛[2Jb\\x9bc"


def test_a_name_that_is_no_utf8_shows_its_bytes_never_a_lone_surrogate() -> None:
    name = b"release/0.9\xff".decode("utf-8", "surrogateescape")  # as the cockpit reads git's bytes
    for shown in (printable(name), one_line(name), escaped(name)):
        assert shown == "release/0.9\\xff"  # as wide as it is counted: columns after it stay in place
    assert one_line("\ud800x") == "\\ud800x"

"""Text from git or the forge made safe to show: its control characters made visible, never sent to a terminal."""

from __future__ import annotations

# C0 controls (but newline and tab) as their Unicode pictures (ESC -> ␛), DEL as ␡, C1 controls as \x9b
_CONTROLS = {c: chr(0x2400 + c) for c in range(0x20) if chr(c) not in "\n\t"} | {0x7F: "\u2421"} | {
    c: f"\\x{c:02x}" for c in range(0x80, 0xA0)}


def printable(text: str) -> str:
    """An ESC in a commit subject is shown as ␛, never sent to the terminal as the start of a control sequence
    (clear the screen, retitle the window, write to the clipboard...)."""
    return text.translate(_CONTROLS)


_ESCAPES = {c: f"\\x{c:02x}" for c in (*range(0x20), 0x7F, *range(0x80, 0xA0)) if chr(c) not in "\n\t"}


def escaped(text: str) -> str:
    """`printable` in ASCII: every control character as `\\x1b`, for terminals that cannot show the pictures."""
    return text.translate(_ESCAPES)

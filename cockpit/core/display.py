"""Text from git or the forge made safe to show: its control characters made visible, never sent to a terminal.

Three kinds of character are never shown as they are: C0 and C1 controls (ESC starts a control sequence that can
clear the screen, retitle the window or write to the clipboard), the bidi controls (U+202E turns the rest of the
line around, so `fix: add(1)` can read as something else), and, in one-line fields (titles, subjects, branch and
tag names), line breaks (a forged second line that looks like the cockpit's own output)."""

from __future__ import annotations

import re

# bidi embeddings and overrides (U+202A-U+202E), isolates (U+2066-U+2069), marks (LRM, RLM, ALM), and the Unicode
# line and paragraph separators: shown as `\u202e`, never obeyed
_BIDI = (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C, 0x2028, 0x2029)
_UNICODE_ESCAPES = {c: f"\\u{c:04x}" for c in _BIDI}
# lone surrogates: a name that is no UTF-8 (git's bytes decoded with surrogateescape) shows its bytes as `\xff`, never
# a character the terminal draws wider than it is counted (its columns would slide); rare, so not in the tables
# (2,048 entries each, built by every command's start)
_SURROGATE = re.compile("[\ud800-\udfff]")


def _surrogate_shown(found: re.Match[str]) -> str:
    code = ord(found.group())
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"


def _no_surrogates(text: str) -> str:
    return text if text.isascii() else _SURROGATE.sub(_surrogate_shown, text)

# C0 controls (but newline and tab) as their Unicode pictures (ESC -> ␛), DEL as ␡, C1 controls as \x9b
_CONTROLS = {c: chr(0x2400 + c) for c in range(0x20) if chr(c) not in "\n\t"} | {0x7F: "\u2421"} | {
    c: f"\\x{c:02x}" for c in range(0x80, 0xA0)} | _UNICODE_ESCAPES

# one-line fields: a line feed as ␤ and a tab as ␉ too (a tab would shift the columns after it)
_ONE_LINE = _CONTROLS | {0x0A: "\u2424", 0x09: "\u2409"}


def printable(text: str) -> str:
    """An ESC in a commit subject is shown as ␛ and a bidi override as `\\u202e`, never sent to the terminal as the
    start of a control sequence or a reordering of what follows. Line breaks and tabs are kept (a body, notes)."""
    return _no_surrogates(text.translate(_CONTROLS))


def one_line(text: str) -> str:
    """`printable` for a field that is one line (a title, a subject, a branch or tag name): its line breaks shown as
    ␤ and ␍, so a forge title cannot print a second line that looks like the cockpit's own."""
    return _no_surrogates(text.translate(_ONE_LINE))


_ESCAPES = {c: f"\\x{c:02x}" for c in (*range(0x20), 0x7F, *range(0x80, 0xA0)) if chr(c) not in "\n\t"} | (
    _UNICODE_ESCAPES)


def escaped(text: str) -> str:
    """`printable` in ASCII: every control character as `\\x1b`, for terminals that cannot show the pictures."""
    return _no_surrogates(text.translate(_ESCAPES))

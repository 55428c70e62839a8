"""Release notes from PR bodies anyone can write: release_note_lines and build_notes on bodies built from the
pieces of the template (fences, `release-note`, NONE, conventional prefixes, BREAKING CHANGE, every kind of line
break) and on arbitrary text, with arbitrary titles and authors.

The notes always build; each note is one line of the published Markdown, in a known section; a merged PR without
a block (or with an empty one) is listed as missing and noted by its title."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from hypothesis import example, given
from hypothesis import strategies as st

from cockpit.core.forge_models import Item
from cockpit.core.notes import SECTIONS, build_notes, release_body, release_note_lines

from fuzzing import fuzz

BODY_PIECES = st.one_of(
    st.sampled_from(["```release-note\n", "```release-note \r\n", "```release-note", "```", "```\n", "\n", "\r\n",
                     "NONE", "none", " NONE \n", "fix: handle it", "new(libsinsp)!: add it", "update: x",
                     "BREAKING CHANGE: gone", "rule(macros): y", "feat(x", "\u2028", "\x85", "\x0c", "   ", "`"]),
    st.text(max_size=12),
)
BODIES = st.one_of(st.none(), st.lists(BODY_PIECES, max_size=10).map("".join), st.text(max_size=60))
MERGED = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC))
LOGINS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=8)  # as GitHub allows
URLS = st.text(max_size=20)  # a forge's answer: a hostile one may hold line breaks, brackets, spaces
TITLES = st.one_of(st.sampled_from(["fix: a bug", "NONE", "new: a feature"]), st.text(max_size=20))
ITEMS = st.lists(st.builds(
    Item, number=st.integers(1, 10**6), kind=st.sampled_from(["pr", "pr", "issue"]), title=TITLES,
    state=st.sampled_from(["open", "closed"]), author=LOGINS, body=BODIES.map(lambda b: b or ""),
    merged_at=st.one_of(st.none(), MERGED, MERGED), url=st.one_of(st.just("https://github.com/o/r/pull/1"), URLS),
    author_url=st.one_of(st.just("https://github.com/bob"), URLS),
), max_size=6)


@fuzz(500)
@given(BODIES)
def test_release_note_lines(body: str | None) -> None:
    """None, or the block's lines: stripped, non-empty, each a single line."""
    lines = release_note_lines(body)
    if lines is not None:
        assert "```release-note" in (body or "")
        assert all(line == line.strip() and line and len(line.splitlines()) == 1 for line in lines)


@fuzz(300)
@example(milestone="0.26.0", released_on=date(2026, 1, 5), items=[  # found: a PR with an empty block vanished
    Item(1, "pr", "fix: a bug", "closed", "bob", body="```release-note\n```",
         merged_at=datetime(2026, 1, 1, tzinfo=UTC))])
@example(milestone="0.26.0", released_on=date(2026, 1, 5), items=[  # found: a title's line break split the list
    Item(1, "pr", "fix: a\r\nbug", "closed", "bob", merged_at=datetime(2026, 1, 1, tzinfo=UTC))])
@example(milestone="0.26.0", released_on=date(2026, 1, 5), items=[  # found: a forge's URL added a line
    Item(1, "pr", "fix: a bug", "closed", "bob", merged_at=datetime(2026, 1, 1, tzinfo=UTC),
         url="https://x/1)\n## Injected", author_url="https://github.com/bob\r\n* [x](y)")])
@given(milestone=st.one_of(st.sampled_from(["0.26.0", "v0.26.0", "10.1.0+driver"]), st.text(max_size=10)),
       items=ITEMS, released_on=st.dates())
def test_build_notes(milestone: str, items: list[Item], released_on: date) -> None:
    notes = build_notes(milestone, items, released_on)
    merged = [i for i in items if i.kind == "pr" and i.merged]
    assert {n.number for n in notes.notes} == {i.number for i in merged}
    assert set(notes.missing_block) == {i.number for i in merged if not release_note_lines(i.body)}
    assert all(n.section in SECTIONS and len(n.text.splitlines()) <= 1 for n in notes.notes)
    markdown = notes.as_markdown()
    assert markdown.startswith(f"## v{milestone.removeprefix('v')}")
    assert all(len(n.as_markdown().splitlines()) == 1 and n.as_markdown() in markdown for n in notes.notes)
    json.dumps(notes.as_json())
    assert release_body(notes, "driver", {}).startswith(markdown)
    assert release_body(notes, "libs", {"min_api": "8.0.0"}).startswith(markdown)

"""Release notes in the format falcosecurity/libs publishes, from the `release-note` blocks of merged PRs.

Sections in order: Major Changes (`new`, or any breaking `!` / `BREAKING CHANGE`), Minor Changes (any other type),
Bug Fixes (`fix`), Rule Changes (`rule`), Non user-facing changes (`NONE`)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from cockpit.core.forge_models import Item

SECTIONS = ("Major Changes", "Minor Changes", "Bug Fixes", "Rule Changes", "Non user-facing changes")

_BLOCK = re.compile(r"```release-note[ \t]*\r?\n(.*?)```", re.S)
_CONVENTIONAL = re.compile(r"^(?P<type>[A-Za-z]+)(?:\((?P<scope>[^)]*)\))?(?P<bang>!)?:\s*(?P<desc>.+)$")


@dataclass(frozen=True)
class Note:
    section: str
    text: str  # the note line as the author wrote it, e.g. "fix(libsinsp): handle empty names"
    number: int
    url: str
    author: str
    author_url: str

    def as_markdown(self) -> str:
        return f"* {self.text} [[#{self.number}]({self.url})] - [@{self.author}]({self.author_url})"


def release_note_lines(body: str | None) -> list[str] | None:
    """The non-empty lines of the PR body's release-note block; None when there is no block."""
    if not body:
        return None
    m = _BLOCK.search(body)
    if not m:
        return None
    return [line.strip() for line in m.group(1).splitlines() if line.strip()]


def section_of(line: str) -> str:
    if line.upper() == "NONE":
        return SECTIONS[4]
    if "BREAKING CHANGE" in line:
        return SECTIONS[0]
    m = _CONVENTIONAL.match(line)
    if not m:
        return SECTIONS[1]
    kind = m.group("type").lower()
    if m.group("bang") or kind == "new":
        return SECTIONS[0]
    if kind == "fix":
        return SECTIONS[2]
    if kind == "rule":
        return SECTIONS[3]
    return SECTIONS[1]


@dataclass(frozen=True)
class ReleaseNotes:
    version: str
    released_on: date
    notes: tuple[Note, ...]
    missing_block: tuple[int, ...]  # merged PRs without a release-note block (their title was used)

    def by_section(self) -> dict[str, list[Note]]:
        grouped: dict[str, list[Note]] = {s: [] for s in SECTIONS}
        for note in self.notes:
            grouped[note.section].append(note)
        return grouped

    def as_markdown(self) -> str:
        out = [f"## v{self.version}", "", f"Released on {self.released_on.isoformat()}", ""]
        for section, notes in self.by_section().items():
            if notes:
                out += [f"### {section}", "", *(n.as_markdown() for n in notes), ""]
        return "\n".join(out).rstrip() + "\n"

    def as_json(self) -> dict:
        return {"version": self.version, "released_on": self.released_on.isoformat(),
                "sections": {s: [{"text": n.text, "pr": n.number, "url": n.url, "author": n.author,
                                  "author_url": n.author_url} for n in notes]
                             for s, notes in self.by_section().items()},
                "missing_release_note": list(self.missing_block)}


_NOT_IN_A_LINK = re.compile(r"[\s()<>\[\]\x00-\x1f\x7f-\x9f]")


def link_target(url: str) -> str:
    """A URL from the forge as a Markdown link's target: what could end the link or the line (whitespace, line
    breaks, controls, brackets) percent-encoded, so no answer of the forge can add a line to the notes."""
    return _NOT_IN_A_LINK.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode()), url)


def build_notes(milestone: str, items: Iterable[Item], released_on: date) -> ReleaseNotes:
    """Notes from the milestone's merged PRs, oldest merge first; a milestone titled `0.26.0` gives `## v0.26.0`."""
    merged = sorted((i for i in items if i.kind == "pr" and i.merged),
                    key=lambda i: (i.merged_at, i.number))
    notes: list[Note] = []
    missing: list[int] = []
    for pr in merged:
        title = " ".join(pr.title.splitlines())  # a note is one line of the list, whatever the title holds
        lines = release_note_lines(pr.body)
        if not lines:  # no block, or an empty one: the PR is still listed, by its title, and flagged
            missing.append(pr.number)
            lines = [title]
        for line in lines:
            text = title if line.upper() == "NONE" else line
            notes.append(Note(section_of(line), text, pr.number, link_target(pr.url), " ".join(pr.author.split()),
                              link_target(pr.author_url)))
    return ReleaseNotes(milestone.removeprefix("v"), released_on, tuple(notes), tuple(missing))


def release_body(notes: ReleaseNotes, line: str, versions: dict[str, str | None]) -> str:
    """The GitHub release body: the notes, then what the project publishes with each line — for libs the minimum
    driver API/SCHEMA versions, for the driver its API and SCHEMA versions."""
    if line == "driver":
        extra = [f"- API version: {versions.get('api') or 'unknown'}",
                 f"- SCHEMA version: {versions.get('schema') or 'unknown'}"]
    else:
        extra = [f"- Minimum driver API version: {versions.get('min_api') or 'unknown'}",
                 f"- Minimum driver SCHEMA version: {versions.get('min_schema') or 'unknown'}"]
    return notes.as_markdown() + "\n### Versions\n\n" + "\n".join(extra) + "\n"

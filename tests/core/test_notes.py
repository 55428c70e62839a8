"""Release notes in falcosecurity/libs' published format."""

from __future__ import annotations

from datetime import UTC, date, datetime

from cockpit.core.forge_models import Item
from cockpit.core.notes import SECTIONS, build_notes, release_note_lines, section_of


def pr(number: int, note: str | None, merged: bool = True, title: str = "a change", author: str = "dev") -> Item:
    body = f"Some text.\n\n```release-note\n{note}\n```\n" if note is not None else "no block here"
    return Item(number, "pr", title, "closed" if merged else "open", author, body=body,
                merged_at=datetime(2026, 11, 1, 12, number % 60, tzinfo=UTC) if merged else None,
                url=f"https://github.com/falcosecurity/libs/pull/{number}", author_url=f"https://github.com/{author}")


def test_release_note_block_lines() -> None:
    assert release_note_lines("x\n```release-note\nfix(a): b\n\nnew: c\n```\n") == ["fix(a): b", "new: c"]
    assert release_note_lines("```release-note\r\nNONE\r\n```") == ["NONE"]
    assert release_note_lines("no block") is None
    assert release_note_lines(None) is None


def test_sections() -> None:
    assert section_of("new(driver): clone3 support") == "Major Changes"
    assert section_of("update!: drop the old API") == "Major Changes"
    assert section_of("fix!: a breaking fix") == "Major Changes"
    assert section_of("chore: x\nBREAKING CHANGE: y") == "Major Changes"
    assert section_of("update(libsinsp): faster parsing") == "Minor Changes"
    assert section_of("perf: less memory") == "Minor Changes"
    assert section_of("fix(libscap): a crash") == "Bug Fixes"
    assert section_of("rule: new macro") == "Rule Changes"
    assert section_of("NONE") == "Non user-facing changes"
    assert section_of("none") == "Non user-facing changes"
    assert section_of("free text without a type") == "Minor Changes"


def test_markdown_format() -> None:
    notes = build_notes("0.26.0", [
        pr(12, "fix(libsinsp): handle empty names", author="alice"),
        pr(11, "new(driver): add the clone3 syscall"),
        pr(13, "NONE", title="ci: bump actions"),
        pr(14, "update!: remove the legacy API"),
        pr(15, "fix: never merged", merged=False),
        pr(16, None, title="fix(libscap): no block"),
    ], date(2026, 11, 30))
    md = notes.as_markdown()
    assert md.startswith("## v0.26.0\n\nReleased on 2026-11-30\n\n### Major Changes\n\n")
    assert ("* fix(libsinsp): handle empty names [[#12](https://github.com/falcosecurity/libs/pull/12)] - "
            "[@alice](https://github.com/alice)") in md
    assert "* ci: bump actions [[#13]" in md  # NONE shows the PR title
    assert "never merged" not in md
    order = [md.index(f"### {s}") for s in ("Major Changes", "Bug Fixes", "Non user-facing changes")]
    assert order == sorted(order)
    assert "### Rule Changes" not in md  # empty sections are left out
    assert md.index("add the clone3") < md.index("remove the legacy")  # oldest merge first within a section
    assert notes.missing_block == (16,)
    assert "* fix(libscap): no block [[#16]" in md


def test_json_form() -> None:
    data = build_notes("v0.26.0", [pr(1, "fix: a")], date(2026, 11, 30)).as_json()
    assert data["version"] == "0.26.0" and data["released_on"] == "2026-11-30"
    assert list(data["sections"]) == list(SECTIONS)
    assert data["sections"]["Bug Fixes"][0] == {"text": "fix: a", "pr": 1,
                                                "url": "https://github.com/falcosecurity/libs/pull/1",
                                                "author": "dev", "author_url": "https://github.com/dev"}

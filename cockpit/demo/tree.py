"""Files as ordered keyed blocks, and the two edits (_Set, _Add) changes are made of."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class _Set:
    """Replace one line of one block."""

    path: str
    block: str
    idx: int
    text: str


@dataclass(frozen=True)
class _Add:
    """Add a block at the end of a file, or before another block (inside a table or struct)."""

    path: str
    block: str
    lines: tuple[str, ...]
    before: str | None = None


_Op = _Set | _Add


class _Tree:
    """Files as ordered keyed blocks, so a change replays on a release branch exactly as on master (same context,
    same patch-id) unless the branch's block differs, which is how conflicts and adjusted backports are made."""

    def __init__(self, year: int) -> None:
        self.year = year
        self.files: dict[str, list[tuple[str, list[str]]]] = {}

    def copy(self) -> _Tree:
        new = _Tree(self.year)
        new.files = {p: [(k, list(lines)) for k, lines in blocks] for p, blocks in self.files.items()}
        return new

    def _index(self, path: str, key: str) -> int:
        for i, (k, _) in enumerate(self.files[path]):
            if k == key:
                return i
        raise KeyError(f"{path}: no block {key}")

    def lines(self, path: str, key: str) -> list[str]:
        return self.files[path][self._index(path, key)][1]

    def apply(self, op: _Op) -> None:
        if isinstance(op, _Set):
            self.lines(op.path, op.block)[op.idx] = op.text
            return
        blocks = self.files.setdefault(op.path, [("license", _license(op.path, self.year))])
        if any(k == op.block for k, _ in blocks):
            raise KeyError(f"{op.path}: block {op.block} exists")
        at = self._index(op.path, op.before) if op.before else len(blocks)
        blocks.insert(at, (op.block, list(op.lines)))

    def keys(self, path: str) -> list[str]:
        return [k for k, _ in self.files.get(path, [])]

    def render(self, path: str) -> bytes:
        return ("\n\n".join("\n".join(lines) for _, lines in self.files[path]) + "\n").encode()


def _license(path: str, year: int) -> list[str]:
    if path.endswith((".c", ".h", ".cpp")):
        spdx = "GPL-2.0-only OR MIT" if path.startswith("driver/") else "Apache-2.0"
        return [f"// SPDX-License-Identifier: {spdx}", "/*", f"Copyright (C) {year} The Falco Authors.", "",
                "Licensed under the terms of the license above; see the LICENSE files at the repository root.", "*/"]
    if path.endswith((".yml", ".yaml", ".txt", ".cmake")):
        return [f"# Copyright (C) {year} The Falco Authors. SPDX-License-Identifier: Apache-2.0"]
    return [f"<!-- Copyright (C) {year} The Falco Authors. -->"]

"""Add a release branch to the branch protection of a Prow config (the infra repository's `config/config.yaml`).

ruamel.yaml's round-trip loader parses the file only to find where the entry goes (it keeps the line and column of
every key); the entry is then inserted as text. Dumping the document back would re-indent sequences that a real
config writes with mixed indentation and re-wrap its long lines, and the PR must change nothing but the added lines.
The result is parsed again and must equal the original plus the one entry, or nothing is returned at all."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

PROTECTED: dict[str, Any] = {"protect": True}


class InfraYamlError(ValueError):
    """The file cannot take the entry safely, in one line: not YAML, or the path to the branches is missing."""


@dataclass(frozen=True)
class ProtectionEdit:
    text: str  # the whole file after the edit (the input itself when nothing changed)
    changed: bool  # False: the branch was already protected
    path: str  # where the entry lives, e.g. "branch-protection.orgs.falcosecurity.repos.libs.branches"
    entry: str  # the entry as written into the file, dedented


def branches_path(org: str, repo: str) -> tuple[str, ...]:
    return ("branch-protection", "orgs", org, "repos", repo, "branches")


def add_protected_branch(text: str, org: str, repo: str, branch: str) -> ProtectionEdit:
    """`text` with `"<branch>": {protect: true}` added after the last release branch of org/repo (block style,
    quoted like the release entries already there); unchanged when the branch is already protected."""
    data = _load(text)
    keys = branches_path(org, repo)
    dotted = ".".join(keys)
    branches = _walk(data, keys)
    if branch in branches:
        if _is_protected(branches[branch]):
            return ProtectionEdit(text, False, dotted, "")
        raise InfraYamlError(f"{dotted} lists {branch} without `protect: true`: fix that entry by hand")
    anchor = _anchor(branches, branch)
    lines = text.splitlines(keepends=True)
    key_line, key_col = branches.lc.key(anchor)
    end = _block_end(lines, key_line, key_col)
    eol = _eol(lines)
    if not lines[end].endswith(("\n", "\r")):
        lines[end] += eol  # the file ended without a newline: the entry starts on a line of its own
    entry = _entry(lines, branches, anchor, branch, key_line, key_col)
    new_text = "".join(lines[:end + 1]) + "".join(" " * key_col + line + eol for line in entry) + "".join(
        lines[end + 1:])
    _verify(data, new_text, keys, branch)
    return ProtectionEdit(new_text, True, dotted, "\n".join(entry) + "\n")


def _load(text: str) -> Any:
    try:
        return YAML(typ="rt").load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise InfraYamlError(f"not valid YAML: {exc.problem or exc.context}{where}") from None
    except YAMLError as exc:
        raise InfraYamlError(f"not valid YAML: {' '.join(str(exc).split())}") from None


def _walk(data: Any, keys: tuple[str, ...]) -> CommentedMap:
    if data is None:
        raise InfraYamlError(f"no {'.'.join(keys)}: the file is empty")
    node, walked = data, []
    for key in keys:
        if not isinstance(node, CommentedMap):
            where = ".".join(walked) or "the top level"
            raise InfraYamlError(f"no {'.'.join(keys)}: {where} is not a mapping")
        if key not in node:
            where = ".".join(walked) or "the top level"
            raise InfraYamlError(f"no {'.'.join(keys)}: {where} has no {key!r}")
        walked.append(key)
        node = node[key]
    if not isinstance(node, CommentedMap) or not node:
        raise InfraYamlError(f"{'.'.join(keys)} is not a mapping of branches: add the entry by hand")
    if node.fa.flow_style():
        raise InfraYamlError(f"{'.'.join(keys)} is written in flow style ({{...}}): add the entry by hand")
    return node


def _is_protected(value: Any) -> bool:
    return isinstance(value, dict) and value.get("protect") is True


def _anchor(branches: CommentedMap, branch: str) -> str:
    """The entry the new one follows: the last one of the same family (release/...), else the last one."""
    family = branch.rsplit("/", 1)[0] + "/" if "/" in branch else branch
    same = [k for k in branches if isinstance(k, str) and k.startswith(family)]
    return same[-1] if same else list(branches)[-1]


def _block_end(lines: list[str], key_line: int, key_col: int) -> int:
    """The last line of the entry at `key_line`: every following line indented deeper than its key (blank lines
    in between included), up to the first line that is not."""
    end, i = key_line, key_line + 1
    while i < len(lines):
        stripped = lines[i].strip()
        if stripped:
            if len(lines[i]) - len(lines[i].lstrip(" ")) <= key_col:
                break
            end = i
        i += 1
    return end


def _eol(lines: list[str]) -> str:
    return "\r\n" if lines and lines[0].endswith("\r\n") else "\n"


def _entry(lines: list[str], branches: CommentedMap, anchor: str, branch: str, key_line: int,
           key_col: int) -> list[str]:
    """The new entry's lines, without the key's indentation: styled like the anchor (quotes, child indent)."""
    release_like = anchor.startswith(branch.rsplit("/", 1)[0] + "/") if "/" in branch else False
    opening = lines[key_line][key_col:key_col + 1]
    quote = (opening if opening in ("'", '"') else "") if release_like else '"'
    key = f"{quote}{branch}{quote}"
    value = branches[anchor]
    if isinstance(value, CommentedMap) and value and value.fa.flow_style():
        return [f"{key}: {{protect: true}}"]
    step = 2
    if isinstance(value, CommentedMap) and value:
        child_line, child_col = value.lc.key(next(iter(value)))
        if child_line > key_line and child_col > key_col:
            step = child_col - key_col
    return [f"{key}:", " " * step + "protect: true"]


def _plain(node: Any) -> Any:
    if isinstance(node, CommentedMap | dict):
        return {_plain(k): _plain(v) for k, v in node.items()}
    if isinstance(node, CommentedSeq | list):
        return [_plain(v) for v in node]
    if node is None or isinstance(node, bool | int | float | str):
        return node
    return repr(node)


def _verify(before: Any, text: str, keys: tuple[str, ...], branch: str) -> None:
    """The edited file parses, and equals the original plus exactly the new entry: else nothing is proposed."""
    try:
        after = _plain(_load(text))
    except InfraYamlError:
        after = None
    expected = _plain(before)
    node = expected
    for key in keys:
        node = node[key]
    node[branch] = dict(PROTECTED)
    if after != expected:
        raise InfraYamlError(f"could not add {branch} to {'.'.join(keys)} without changing anything else: "
                             "add the entry by hand")

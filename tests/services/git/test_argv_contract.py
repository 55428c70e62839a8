"""Every value in a git argv stands after `--end-of-options` or `--` (DESIGN.md, "Trust boundary"): a ref, a commit
or a path that starts with `-` is then a name git looks up, never an option such as `--output=FILE`.

The contract is read from the git service's source with `ast` (each call that starts git, and each `*_argv`
builder), and a value that reads as an option is passed to the named operations that take refs or commits."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from cockpit.services.git import GitError, GitService, trial_pick

from builders import RepoBuilder

GIT_SERVICE = Path(__file__).resolve().parents[3] / "cockpit" / "services" / "git"
RUNNERS = {"text", "run", "data", "spooled", "stream", "run_with_progress"}
SEPARATORS = {"--end-of-options", "--"}
# options that take the next word as their value (a message, a new branch's name): git never reads it as an option
VALUED = {"--message", "-m", "-c"}
# (module, git subcommand) whose non-literal word is the cockpit's own (a config key), or checked to be a full object
# id right before the call (`reset` takes no --end-of-options)
OWN_VALUES = {("objects.py", "config"), ("writes.py", "reset")}


def _option_or_literal(node: ast.expr) -> bool:
    """A literal word, an option with its value stuck to it (`--merged=X`, `--format=...`), or a spread argv."""
    if isinstance(node, (ast.Constant, ast.Starred)):
        return True
    if isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
        return str(node.values[0].value).startswith("-") and "=" in str(node.values[0].value)
    return False


def loose_values(words: list[ast.expr]) -> list[str]:
    """The words of one argv that are values standing before any separator."""
    found = []
    for before, word in zip([None, *words], words, strict=False):
        if isinstance(word, ast.Constant) and word.value in SEPARATORS:
            break
        if not _option_or_literal(word) and not (isinstance(before, ast.Constant) and before.value in VALUED):
            found.append(ast.unparse(word))
    return found


def findings(source: str, module: str) -> list[str]:
    tree = ast.parse(source)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in RUNNERS:
            first = node.args[0] if node.args else None
            command = first.value if isinstance(first, ast.Constant) else None
            if (module, command) not in OWN_VALUES:
                found += [f"{module}:{node.lineno}: {value}" for value in loose_values(list(node.args))]
        elif isinstance(node, ast.FunctionDef) and node.name.endswith("_argv"):
            for ret in (n for n in ast.walk(node) if isinstance(n, ast.Return)):
                if isinstance(ret.value, ast.Tuple):
                    found += [f"{module}:{ret.lineno}: {v}" for v in loose_values(list(ret.value.elts))]
    return sorted(found)


@pytest.mark.security
def test_every_git_argv_puts_its_values_after_the_separator() -> None:
    found = []
    for path in sorted(GIT_SERVICE.glob("*.py")):
        if path.name != "process.py":  # the runner itself passes argv through
            found += findings(path.read_text(encoding="utf-8"), path.name)
    assert found == []


@pytest.mark.security
def test_the_contract_scanner_sees_a_loose_value() -> None:
    bad = 'def f(self, a, b):\n    self.text("merge-base", a, b)\n    self.text("diff", "--", a)\n' \
          'def x_argv(sha):\n    return ("cherry-pick", sha)\n'
    assert findings(bad, "m.py") == ["m.py:2: a", "m.py:2: b", "m.py:5: sha"]
    good = 'def f(self, a):\n    self.text("tag", f"--merged={a}", "--end-of-options", a)\n'
    assert findings(good, "m.py") == []


@pytest.mark.security
def test_a_commit_that_reads_as_an_option_never_steers_git(repo: RepoBuilder, tmp_path: Path) -> None:
    """`git diff --output=FILE` writes FILE: a value in that place must be looked up as a revision, and fail."""
    repo.commit("base", {"a": "1"})
    repo.commit("next", {"a": "2"})
    git = GitService(repo.clone)
    mark = tmp_path / "written"
    option = f"--output={mark}"
    with pytest.raises(GitError):
        git.renamed_paths(option, "HEAD")
    assert git.merge_base(option, "HEAD") is None
    assert git.is_ancestor(option, "HEAD") is False
    with pytest.raises(GitError):
        git.tags_merged_into(option)
    with pytest.raises(GitError):
        trial_pick.trial_series(git, option, ["HEAD"])
    with pytest.raises(GitError):
        trial_pick.trial_series(git, "HEAD", [option])
    assert not mark.exists()

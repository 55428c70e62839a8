"""Static security contracts over every module of cockpit/, read with `ast` (comments and docstrings cannot hide or
fake a finding):

- no shell: no `shell=True` (or any non-false `shell=`), no `os.system` / `os.popen`, no `subprocess.getoutput` /
  `getstatusoutput`, no `asyncio.create_subprocess_shell`, and no `eval` / `exec`;
- no force-push and no remote delete: every `push` argument list carries `--atomic` and none of `--force`, `-f`,
  `--force-with-lease`, `--delete`, `-d`, `--mirror`, `--prune`, a `+src:dst` (forced) or `:dst` (deleting) refspec;
  no GitPython `.push()`, no `force=` keyword and no `.delete()` call (a forge ref deleted through the API); and the
  git commands shown to the user (plan steps, hints) never spell such a push either.

Each scanner is also run on small bad snippets, so a scanner that silently finds nothing fails too."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "cockpit"
SOURCES = sorted(PACKAGE.rglob("*.py"))

SHELL_CALLS = {"os.system", "os.popen", "subprocess.getoutput", "subprocess.getstatusoutput",
               "asyncio.create_subprocess_shell", "eval", "exec", "builtins.eval", "builtins.exec"}
PUSH_FLAGS = {"-f", "--force", "--force-with-lease", "--force-if-includes", "--delete", "-d", "--mirror", "--prune",
              "--prune-tags"}


@dataclass(frozen=True)
class Finding:
    where: str
    line: int
    what: str

    def __str__(self) -> str:
        return f"{self.where}:{self.line}: {self.what}"


def parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def aliases(tree: ast.Module) -> dict[str, str]:
    """Local name -> dotted origin, from the imports (`import os as o`, `from os import system as run`)."""
    found: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.asname:
                    found[a.asname] = a.name  # import os.path as p: p is os.path
                else:
                    found[a.name.split(".")[0]] = a.name.split(".")[0]  # import os.path binds os
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for a in node.names:
                found[a.asname or a.name] = f"{node.module}.{a.name}"
    return found


def dotted(node: ast.expr, names: dict[str, str]) -> str | None:
    """`o.system` -> `os.system` when `o` is `os`; None for anything but a name or an attribute chain."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    return ".".join([names.get(node.id, node.id), *reversed(parts)])


def falsy_constant(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and not node.value


# --- 1. no shell, no eval ---------------------------------------------------------------------------------------

def shell_findings(tree: ast.Module, where: str) -> Iterator[Finding]:
    names = aliases(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = dotted(node.func, names)
            if name in SHELL_CALLS:
                yield Finding(where, node.lineno, f"call to {name}")
            for kw in node.keywords:
                if kw.arg == "shell" and not falsy_constant(kw.value):
                    yield Finding(where, node.lineno, "shell= that is not False")
        elif isinstance(node, ast.Dict):  # **{"shell": True}
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(key, ast.Constant) and key.value == "shell" and not falsy_constant(value):
                    yield Finding(where, node.lineno, "a 'shell' option that is not False")
        elif isinstance(node, ast.Attribute) and node.attr in ("system", "popen") and \
                dotted(node, names) in ("os.system", "os.popen"):
            yield Finding(where, node.lineno, f"reference to {dotted(node, names)}")  # e.g. run = os.system


# --- 2. no force-push, no remote delete -------------------------------------------------------------------------

def literal_head(node: ast.expr) -> str | None:
    """The text an argument surely starts with: a constant, or the literal start of an f-string."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        first = node.values[0] if node.values else None
        return first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else ""
    return None


def flatten(elements: list[ast.expr]) -> Iterator[ast.expr]:
    """The elements of an argument list, looking through `*iterable` and `*(x for ...)`."""
    for e in elements:
        if isinstance(e, ast.Starred):
            inner = e.value
            if isinstance(inner, ast.List | ast.Tuple):
                yield from flatten(list(inner.elts))
            elif isinstance(inner, ast.GeneratorExp | ast.ListComp):
                yield inner.elt
            else:
                yield inner
        else:
            yield e


GIT_RUNNERS = {"run", "text", "execute", "git", "check_output", "call", "Popen"}


def git_argvs(tree: ast.Module) -> Iterator[tuple[int, list[str | None]]]:
    """Every argument list that is a git command line: a list or tuple (`["git", "-C", p, "push", ...]` or
    `["push", ...]`) or the arguments of a runner call (`git.run("push", ...)`); each argument as the text it surely
    starts with (None: unknown, e.g. a variable)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name not in GIT_RUNNERS:
                continue
            line, args = node.lineno, list(flatten(node.args))
        elif isinstance(node, ast.List | ast.Tuple):
            line, args = node.lineno, list(flatten(list(node.elts)))
        else:
            continue
        heads = [literal_head(a) for a in args]
        if heads[:1] == ["git"]:  # skip git's own options: git -C PATH -c k=v push
            heads = heads[1:]
            while heads and (heads[0] or "").startswith("-"):
                heads = heads[2:] if heads[0] in ("-C", "-c", "--git-dir", "--work-tree") else heads[1:]
        if heads:
            yield line, heads


def push_findings(tree: ast.Module, where: str) -> Iterator[Finding]:
    for line, heads in git_argvs(tree):
        if heads[0] != "push":
            continue
        rest = heads[1:]
        if "--atomic" not in rest:
            yield Finding(where, line, "a push without --atomic")
        for head in rest:
            if head is None:
                continue
            if head in PUSH_FLAGS or head.startswith(("--force", "--delete", "--mirror", "--prune")):
                yield Finding(where, line, f"push {head}")
            elif head.startswith("+"):
                yield Finding(where, line, f"a forced refspec {head!r}")
            elif head.startswith(":"):
                yield Finding(where, line, f"a deleting refspec {head!r}")
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        if isinstance(node.func, ast.Attribute) and node.func.attr in ("push", "delete"):
            yield Finding(where, node.lineno, f".{node.func.attr}() call (pushes go through `git push --atomic` "
                                              "only; no ref is deleted through the forge)")
        for kw in node.keywords:
            if kw.arg in ("force", "delete", "mirror", "prune") and not falsy_constant(kw.value):
                yield Finding(where, node.lineno, f"{kw.arg}= keyword")


SHOWN_PUSH = re.compile(r"git\s+push\b(?P<rest>[^\n]*)")


def shown_command_findings(tree: ast.Module, where: str) -> Iterator[Finding]:
    """The commands a plan shows (`$ git push --atomic origin a:a`) are what a user may paste: never forced."""
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            text = "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        else:
            continue
        for match in SHOWN_PUSH.finditer(text):
            for token in match["rest"].split():
                if token in PUSH_FLAGS or token.startswith(("--force", "+", ":")):
                    yield Finding(where, node.lineno, f"a shown command `git push ... {token}`")


def scan(scanner, source: str) -> list[Finding]:
    return list(scanner(ast.parse(source), "<snippet>"))


# --- the contracts ---------------------------------------------------------------------------------------------

@pytest.mark.security
def test_every_module_is_scanned() -> None:
    assert len(SOURCES) > 80
    assert PACKAGE / "services" / "steps" / "registry.py" in SOURCES and PACKAGE / "ui" / "app.py" in SOURCES


@pytest.mark.security
def test_no_shell_and_no_eval_anywhere() -> None:
    found = [f for path in SOURCES for f in shell_findings(parse(path), str(path.relative_to(PACKAGE.parent)))]
    assert found == [], "\n".join(map(str, found))


@pytest.mark.security
def test_no_force_push_and_no_remote_delete_anywhere() -> None:
    found = []
    for path in SOURCES:
        tree, where = parse(path), str(path.relative_to(PACKAGE.parent))
        found += [*push_findings(tree, where), *shown_command_findings(tree, where)]
    assert found == [], "\n".join(map(str, found))


@pytest.mark.security
def test_the_push_scanner_sees_the_real_pushes() -> None:
    """Every push (plans and backports alike) goes through the git service's one push, found as an argument list,
    so the contract above checks it."""
    seen = {path.name for path in SOURCES for _, heads in git_argvs(parse(path)) if heads[0] == "push"}
    assert seen == {"remote.py"}


# --- the scanners catch what they must ----------------------------------------------------------------------

@pytest.mark.security
@pytest.mark.parametrize("source", [
    "import subprocess\nsubprocess.run('ls', shell=True)",
    "import subprocess as sp\nsp.Popen(['x'], shell=1)",
    "from subprocess import run\nrun('x', shell=flag)",
    "import subprocess\nsubprocess.run('x', **{'shell': True})",
    "import os\nos.system('ls')",
    "import os as o\no.popen('ls')",
    "from os import system\nsystem('ls')",
    "import os\nrun = os.system",
    "import subprocess\nsubprocess.getoutput('ls')",
    "from subprocess import getstatusoutput as g\ng('ls')",
    "import asyncio\nasyncio.create_subprocess_shell('ls')",
    "eval('1 + 1')",
    "exec('x = 1')",
    "import builtins\nbuiltins.eval('1')",
])
def test_the_shell_scanner_catches(source: str) -> None:
    assert scan(shell_findings, source), source


@pytest.mark.security
def test_the_shell_scanner_allows_argument_lists() -> None:
    assert scan(shell_findings, "import subprocess\nsubprocess.run(['git', 'status'], shell=False, check=True)") == []


@pytest.mark.security
@pytest.mark.parametrize("source", [
    "git.run('push', '--atomic', '--force', remote, ref)",
    "git.run('push', '--atomic', '-f', remote, ref)",
    "git.run('push', '--atomic', '--force-with-lease', remote, ref)",
    "git.run('push', '--atomic', '--force-with-lease=refs/heads/x', remote, ref)",
    "git.run('push', '--atomic', '--delete', remote, ref)",
    "git.run('push', '--atomic', '-d', remote, ref)",
    "git.run('push', '--atomic', '--mirror', remote)",
    "git.run('push', '--atomic', '--prune', remote, 'refs/heads/*:refs/heads/*')",
    "git.run('push', '--atomic', remote, '+refs/heads/x:refs/heads/x')",
    "git.run('push', '--atomic', remote, f'+{ref}:{ref}')",
    "git.run('push', '--atomic', remote, f':{ref}')",
    "git.run('push', '--atomic', remote, ':refs/tags/v1')",
    "args = ['push', '--atomic', remote, *(f'+{r}:{r}' for r in refs)]",
    "git.run('push', remote, ref)",
    "subprocess.run(['git', '-C', repo, 'push', '--force', remote, ref])",
    "repo.remote('origin').push(ref)",
    "ref.edit(sha, force=True)",
    "repo.get_git_ref('heads/x').delete()",
    "steps = ['$ git push --atomic --force origin a:a']",
    "line = f'git push {remote} :{ref}'",
    "line = f'git push --atomic {remote} +{ref}:{ref}'",
])
def test_the_push_scanner_catches(source: str) -> None:
    tree = ast.parse(source)
    assert [*push_findings(tree, "<snippet>"), *shown_command_findings(tree, "<snippet>")], source


@pytest.mark.security
def test_the_push_scanner_allows_an_atomic_push_and_local_ref_deletion() -> None:
    source = ("args = ['push', '--atomic', '--porcelain', remote, *(f'{ref}:{ref}' for ref in refs)]\n"
              "git.run('update-ref', '-d', ref, sha)\n"
              "git.run('branch', '-D', work)\n"
              "shown = f'git push --atomic {remote} {ref}:{ref}'\n")
    tree = ast.parse(source)
    assert [*push_findings(tree, "<snippet>"), *shown_command_findings(tree, "<snippet>")] == []

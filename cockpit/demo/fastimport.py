"""Write the history into git: two `git fast-import` runs into the bare origin, then the working clone."""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

from cockpit.demo.errors import SandboxError
from cockpit.demo.history import _Commit, _History, _Tag
from cockpit.demo.layout import _TMP_PREFIX, Sandbox
from cockpit.demo.people import _FR, _WEB, _Person


def _env(stamp: int) -> dict[str, str]:
    """No user/system config and no inherited GIT_* variables: the output depends on `today` only."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update({
        "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_TERMINAL_PROMPT": "0",
        "GIT_AUTHOR_NAME": "Cockpit Sandbox", "GIT_AUTHOR_EMAIL": "sandbox@cockpit.invalid",
        "GIT_COMMITTER_NAME": "Cockpit Sandbox", "GIT_COMMITTER_EMAIL": "sandbox@cockpit.invalid",
        "GIT_AUTHOR_DATE": f"{stamp} +0000", "GIT_COMMITTER_DATE": f"{stamp} +0000",
    })
    return env


def _git(args: list[str], env: dict[str, str], cwd: Path | None = None, stdin: bytes | None = None) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, env=env, input=stdin, capture_output=True, check=False)
    except FileNotFoundError:
        raise SandboxError("git is not installed (or not on PATH); the sandbox needs it") from None
    if done.returncode != 0:
        reason = done.stderr.decode(errors="replace").strip().splitlines() or ["no message"]
        raise SandboxError(f"building the sandbox failed: git {args[0]}: {reason[-1]}")
    return done.stdout.decode(errors="replace")


def _write_git(box: Sandbox, history: _History) -> None:
    env = _env(history.base)
    _git(["init", "-q", "--bare", str(box.origin)], env)
    _git(["symbolic-ref", "HEAD", "refs/heads/master"], env, cwd=box.origin)
    with tempfile.TemporaryDirectory(prefix=_TMP_PREFIX, dir=box.root) as tmp:
        marks = Path(tmp) / "marks"
        _git(["fast-import", "--quiet", "--done", f"--export-marks={marks}"], env, box.origin,
             _stream(history.master_commits, [], {}))
        shas = {int(m[1:]): sha for m, sha in (line.split() for line in marks.read_text().splitlines())}
        _git(["fast-import", "--quiet", "--done", f"--import-marks={marks}"], env, box.origin,
             _stream(history.branch_commits, history.tags, shas))
    history.shas = shas
    _git(["clone", "-q", str(box.origin), str(box.clone)], env)
    _git(["config", "cockpit.localForge", str(box.forge_file)], env, cwd=box.clone)


def _stream(commits: list[_Commit], tags: list[_Tag], shas: dict[int, str]) -> bytes:
    """A fast-import stream; every identity and date is explicit, so the objects depend on `today` only."""
    out: list[bytes] = [b"feature done\n"]
    for c in commits:
        message = c.message
        if c.picked_from is not None:  # as `git cherry-pick -x` writes it: right after the trailers
            message = message.rstrip("\n") + f"\n(cherry picked from commit {shas[c.picked_from]})\n"
        out += [f"commit {c.branch}\nmark :{c.mark}\n".encode(), _ident("author", c.author, c.author_time),
                _ident("committer", _WEB, c.commit_time), _data(message)]
        if c.parent is not None:
            out.append(f"from :{c.parent}\n".encode())
        for path, content in c.files.items():
            out.append(f"M 100644 inline {path}\ndata {len(content)}\n".encode() + content + b"\n")
        out.append(b"\n")
    for t in tags:
        if t.annotated:
            line = "driver" if t.name.endswith("+driver") else "libs"
            out += [f"tag {t.name}\nfrom :{t.mark}\n".encode(), _ident("tagger", _FR, t.stamp),
                    _data(f"{line} {t.name.split('+')[0]}\n")]
        else:
            out.append(f"reset refs/tags/{t.name}\nfrom :{t.mark}\n\n".encode())
    out.append(b"done\n")
    return b"".join(out)


def _ident(kind: str, person: _Person, stamp: int) -> bytes:
    return f"{kind} {person.name} <{person.email}> {stamp} {person.tz}\n".encode()


def _data(text: str) -> bytes:
    raw = text.encode()
    return f"data {len(raw)}\n".encode() + raw + b"\n"

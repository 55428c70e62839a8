"""Every subcommand, with hostile arguments, answers cleanly: exit 0, 1 or 2, never a traceback nor an "internal
error"; with --json, stdout is exactly one JSON document (an error one has a kind and a message) and the exit code is
the one the same command gives without --json.

The subcommands and their arguments are read from the parser itself, so a new command or option is attacked without
touching this file. Each runs in process through `cockpit.cli.main.main` against a real demo sandbox (git repository,
origin and local forge file), with no --yes and no terminal on stdin: nothing can be confirmed, so nothing changes."""

from __future__ import annotations

import argparse
import io
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from cockpit.cli.args import iso_date
from cockpit.cli.main import build_parser, main
from cockpit.demo import Sandbox, build_sandbox

from hermetic import make_hermetic
from ui_helpers import TODAY

LONG = "L" * 5000  # past NAME_MAX, PATH_MAX and any ref name git takes
HOSTILE = {  # what a user (or a script fed by someone else) could type in place of any value
    "overlong": LONG,
    "leading dash": "--upload-pack=touch /tmp/pwned;git-upload-pack",
    "single dash": "-",
    "control characters": "a\x1b[2J\x07\x7f\x9b1m\rb\tc",
    "newline and bidi": "release/0.25.x\n\u202eevil\u2066",
    "not UTF-8 (surrogate escape)": "caf\udce9",
    "empty": "",
    "not a version": "99999999999999999999.0.0-",
    "digits past int()'s limit": "9" * 5000 + ".0.0",
    "nonexistent ref": "no/such/ref~99^{tree}",
    "impossible date": "2025-13-01",
    "ref syntax": "@{-1}:..//.lock",
}
HOSTILE_REPOS = {  # for --repo
    "100,000 characters": "0" * 100_000,
    "missing": "/nonexistent/cockpit-repo",
    "a file": "/etc/hostname",
    "control characters": "repo\x1b]0;pwned\x07\n",
}
FILL = {  # a plausible value for each required argument not under attack (anything else gets "0.1.0")
    "version": "0.99.0", "tag": "0.25.1", "branch": "release/0.25.x", "milestone": "0.26.0",
    "from_title": "0.26.0", "to_title": "0.27.0", "shas": "HEAD",
}
TUI = {"tui"}  # opens the app: run with --json only (its answer: there is no JSON answer), or with a bad --repo


@dataclass(frozen=True)
class Slot:
    """One argument a command takes a value for: an option (`--branch`) or a positional (`SHA`)."""

    flag: str | None  # None: positional
    dest: str
    required: bool
    choices: tuple[str, ...] | None
    is_date: bool

    def argv(self, value: str) -> list[str]:
        """`--opt=value` (so a value starting with a dash stays a value), or `-- value` for a positional."""
        return [f"{self.flag}={value}"] if self.flag else ["--", value]

    def plausible(self) -> str:
        if self.choices:
            return self.choices[0]
        if self.is_date:
            return "2030-01-01"
        return FILL.get(self.dest, "0.1.0")


@dataclass(frozen=True)
class Command:
    words: tuple[str, ...]
    slots: tuple[Slot, ...]
    flags: frozenset[str]

    @property
    def name(self) -> str:
        return " ".join(self.words)


def commands(parser: argparse.ArgumentParser, words: tuple[str, ...] = ()) -> Iterator[Command]:
    """Every leaf subcommand of `parser` with the value-taking arguments it declares."""
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if subs:
        for name, sub in subs[0].choices.items():
            yield from commands(sub, (*words, name))
        return
    slots, flags = [], set()
    for action in parser._actions:
        if action.dest in ("help", "repo", "json") or action.nargs == 0:
            flags.update(action.option_strings)
            continue
        flag = max(action.option_strings, key=len) if action.option_strings else None
        choices = tuple(str(c) for c in action.choices) if action.choices else None
        slots.append(Slot(flag, action.dest, bool(action.required) or (flag is None and action.nargs != "*"),
                          choices, action.type is iso_date))
    yield Command(words, tuple(slots), frozenset(flags))


COMMANDS = {c.name: c for c in commands(build_parser())}


def render(command: Command, values: dict[Slot, str]) -> list[str]:
    """The command line: options as `--opt=value` (a value starting with a dash stays a value), then `--` and the
    positionals."""
    argv = [*command.words, *(f"{s.flag}={v}" for s, v in values.items() if s.flag)]
    positionals = [v for s, v in values.items() if s.flag is None]
    extra = ["--no-tui"] if "--no-tui" in command.flags else []
    return argv + extra + (["--", *positionals] if positionals else [])


def cases(command: Command) -> Iterator[tuple[str, list[str], str]]:
    """(what is attacked, argv without --repo, the --repo value or ""): each slot with each hostile value while the
    other required slots hold plausible ones, then each hostile --repo with plausible values everywhere."""
    plausible = {s: s.plausible() for s in command.slots if s.required}
    for slot in command.slots:
        for what, value in HOSTILE.items():
            yield f"{slot.flag or slot.dest} {what}", render(command, {**plausible, slot: value}), ""
    for what, repo in HOSTILE_REPOS.items():
        yield f"--repo {what}", render(command, plausible), repo


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    with pytest.MonkeyPatch.context() as mp:
        make_hermetic(mp, tmp_path_factory.mktemp("home"))
        yield build_sandbox(tmp_path_factory.mktemp("hostile-args") / "sandbox", TODAY)


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """`cockpit ARGV` in process; an exception escaping main counts as a traceback."""
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse's --help/--version only: anything else is a finding
        code = exc.code if isinstance(exc.code, int) else 2
    except Exception as exc:  # what a user would see as a traceback
        out, err = capsys.readouterr()
        return -1, out, f"{err}\nTraceback (escaped main): {type(exc).__name__}: {exc}"
    out, err = capsys.readouterr()
    return code, out, err


def problems_of(label: str, argv: list[str], code: int, out: str, err: str, as_json: bool) -> list[str]:
    found = []
    shown = f"{label} ({'--json' if as_json else 'text'}): {' '.join(argv)[:160]!r}"
    if code not in (0, 1, 2):
        found.append(f"{shown}: exit {code}")
    for text in (out, err):
        if "Traceback" in text or "internal error" in text:
            found.append(f"{shown}: {text.strip()[-300:]!r}")
    if as_json:
        try:
            doc = json.loads(out)
        except ValueError:
            return [*found, f"{shown}: stdout is not one JSON document: {out[:120]!r}"]
        error = doc.get("error") if isinstance(doc, dict) else None
        if code == 2 and error is None:
            found.append(f"{shown}: exit 2 without an error document")
        if error is not None and not (isinstance(error, dict) and isinstance(error.get("kind"), str)
                                      and isinstance(error.get("message"), str) and error["message"]):
            found.append(f"{shown}: the error document lacks kind or message: {error!r}")
    return found


@pytest.mark.security
@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_answers_hostile_arguments_cleanly(name: str, sandbox: Sandbox, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("COCKPIT_TODAY", TODAY.isoformat())
    monkeypatch.delenv("COCKPIT_DEBUG", raising=False)
    monkeypatch.chdir(tmp_path)  # the demo builds where --path says, relative ones included
    command = COMMANDS[name]
    problems: list[str] = []
    ran = 0
    for label, argv, repo in cases(command):
        words, rest = argv[:len(command.words)], argv[len(command.words):]  # common options before any `--`
        full = [*words, "--repo", repo or str(sandbox.clone), *rest]
        results = {}
        for as_json in (False, True):
            if name in TUI and not as_json and not repo:
                continue  # it would open the app
            monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # no terminal: nothing is ever confirmed
            args = [*words, "--json", *full[len(words):]] if as_json else full
            code, out, err = run(args, capsys)
            results[as_json] = code
            problems += problems_of(label, args, code, out, err, as_json)
            ran += 1
        if len(results) == 2 and results[False] != results[True]:
            problems.append(f"{label}: exit {results[False]} as text, {results[True]} with --json")
    assert ran, "no case ran"
    assert not problems, "\n".join(problems[:15])


@pytest.mark.security
def test_the_commands_are_read_from_the_parser() -> None:
    """The enumeration sees nested subcommands and their arguments, so it cannot pass by attacking nothing."""
    assert {"status", "branch cut", "branch hotfix", "milestone move", "backport", "tag", "release"} <= set(COMMANDS)
    cut = {s.dest: s for s in COMMANDS["branch cut"].slots}
    assert cut["version"].required and cut["version"].flag == "--version" and not cut["from_ref"].required
    assert "--dry-run" in COMMANDS["branch cut"].flags
    assert COMMANDS["release"].slots and any(s.is_date for s in COMMANDS["release"].slots)
    assert iso_date("2030-01-01") == date(2030, 1, 1)

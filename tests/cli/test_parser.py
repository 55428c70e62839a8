"""The parser declares every command without importing it: `--help` costs no git, forge or UI library, and every
declared command names a function that exists."""

from __future__ import annotations

import argparse
import importlib
import subprocess
import sys

from cockpit.cli.parser import BUMP_PARTS, BUMP_TARGETS, Command, build_parser, command_named
from cockpit.core.bumps import PARTS, TARGETS

HEAVY = ("git", "github", "textual", "rich", "semver", "platformdirs")


def commands(parser: argparse.ArgumentParser) -> dict[str, Command]:
    """Every (sub)command's function, by its command line (`branch cut`), found by walking the subparsers."""
    found: dict[str, Command] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                func = sub.get_default("func")
                nested = commands(sub)
                found.update({f"{name} {k}": v for k, v in nested.items()})
                if not nested and isinstance(func, Command):
                    found[name] = func
    return found


def test_every_declared_command_names_a_function_of_its_module() -> None:
    declared = commands(build_parser())
    assert {"status", "branch cut", "milestone move", "backport", "candidates", "tui", "demo"} <= set(declared)
    for line, command in declared.items():
        module = importlib.import_module(f"cockpit.cli.{command.module}")
        assert callable(getattr(module, command.name, None)), f"`cockpit {line}`: {command} does not exist"


def test_bump_choices_are_the_bump_workflow_s() -> None:
    assert (BUMP_TARGETS, BUMP_PARTS) == (TARGETS, PARTS)


def test_help_and_a_usage_error_import_no_git_forge_or_ui_library() -> None:
    probe = (
        "import sys\n"
        "from cockpit.cli.main import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "main(['bump', 'nothing'])\n"
        "print(' '.join(sorted(m for m in sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    loaded = set(done.stdout.split("\n")[-2].split())
    assert "usage: cockpit" in done.stdout and "invalid choice" in done.stderr
    assert not {m for m in loaded if m.split(".")[0] in HEAVY}
    assert not {m for m in loaded if m.startswith(("cockpit.services", "cockpit.workflows", "cockpit.ui"))}


def parsed(parser: argparse.ArgumentParser, argv: list[str]) -> dict | str:
    """The namespace, or the error (a line that needs more arguments fails the same way with either parser)."""
    try:
        return vars(parser.parse_args(argv))
    except Exception as exc:
        return repr(exc)


def test_the_parser_built_for_one_command_parses_and_helps_as_the_whole_one() -> None:
    """A command line gets only its command's parser: every command's lines parse to the same namespace, and its
    help reads the same, as with the whole parser; a line naming no known command gets the whole parser."""
    whole = build_parser()
    lines = [line.split() for line in commands(whole)]
    lines += [["--json", "--repo", "r", "status"], ["--repo", "status", "next", "--at", "v1"],
              ["tag", "--libs", "0.1.0", "--dry-run"], ["milestone", "move", "a", "b", "--yes"]]
    for argv in lines:
        only = build_parser(argv)
        name = only._subparsers._group_actions[0].choices
        assert len(name) == 1, f"{argv}: built {sorted(name)}"
        assert parsed(only, argv) == parsed(whole, argv), argv
        command = command_named(argv)
        assert command is not None and list(name) == [command]
        assert only._subparsers._group_actions[0].choices[command].format_help() == \
            whole._subparsers._group_actions[0].choices[command].format_help()
    for argv in (["--help"], ["-h", "--repo", "x"], ["--hel"], ["--repo", "x", "--h"], ["statsu"], ["--", "check"]):
        assert commands(build_parser(argv)) == commands(whole), argv
    for argv in ([], ["--repo", "x"], ["--json", "--repo", "x"], ["--repo", "x", "--bogus"], ["--repo"]):
        tui = build_parser(argv)  # the TUI's line: no command's parser is built, and it parses the same
        assert not tui._subparsers._group_actions[0].choices, argv
        assert parsed(tui, argv) == parsed(whole, argv), argv


def test_the_help_s_maintained_lines_are_coverage_s() -> None:
    from cockpit.cli.parser import MAINTAINED
    from cockpit.core.coverage import MAINTAINED as COVERAGE_MAINTAINED

    assert MAINTAINED == COVERAGE_MAINTAINED

"""`cockpit` (or `cockpit tui`) opens the TUI on a repository; `cockpit demo` builds (or reuses) the demo sandbox and
opens the TUI on its clone, or only prints where it is (--no-tui, --json)."""

from __future__ import annotations

import argparse
from pathlib import Path

from cockpit.cli.args import shown
from cockpit.cli.output import Exit, answer, failed
from cockpit.cli.terminal import raw_output
from cockpit.errors import InputError
from cockpit.services.bundle import build_services
from cockpit.services.settings import data_dir, today


def cmd_demo(args: argparse.Namespace) -> int:
    """--json implies --no-tui: the document is where the sandbox is."""
    from cockpit.demo import SandboxError, build_sandbox  # only the demo needs it

    root = Path(args.path) if args.path else data_dir() / "sandbox"
    try:
        sandbox = build_sandbox(root.expanduser().resolve(), today(), fresh=args.fresh)
    except SandboxError as exc:
        return failed("sandbox", str(exc), Exit.BAD_INPUT)
    except (OSError, ValueError) as exc:  # a --path the system refuses (too long, NUL, not a directory...)
        reason = (exc.strerror if isinstance(exc, OSError) else None) or "not a usable path"
        where = f"--path {shown(args.path)}" if args.path else f"the data dir {root}"
        return failed("input", f"{where}: {reason}", Exit.BAD_INPUT)
    answer({"root": str(sandbox.root), "origin": str(sandbox.origin), "forge": str(sandbox.forge_file),
            "clone": str(sandbox.clone)})
    if args.no_tui or args.json:
        print(f"Demo sandbox at {sandbox.root}")
        print(f"  origin  {sandbox.origin}")
        print(f"  forge   {sandbox.forge_file}")
        print(f"  clone   {sandbox.clone}")
        return Exit.OK
    return run_tui(str(sandbox.clone))


def cmd_tui(args: argparse.Namespace) -> int:
    if args.json:
        raise InputError("the TUI has no --json answer: use a headless command, e.g. `cockpit status --json`")
    return run_tui(args.repo)


def run_tui(repo: str) -> int:
    services, cached = build_services(repo, today())
    from cockpit.ui.git_view import EarlyRead

    early = EarlyRead(services.git)  # git reads the repository while the interpreter loads Textual
    from cockpit.ui.app import CockpitApp  # textual is only imported when the TUI runs

    with raw_output():  # Textual escapes what it shows itself and draws with escape sequences of its own
        CockpitApp(services, cached, early).run()
    return Exit.OK

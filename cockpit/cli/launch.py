"""`cockpit` (or `cockpit tui`) opens the TUI on a repository; `cockpit demo` builds (or reuses) the demo sandbox and
opens the TUI on its clone, or only prints where it is (--no-tui, --json)."""

from __future__ import annotations

import argparse
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from cockpit.cli.args import shown
from cockpit.cli.output import Exit, answer, failed
from cockpit.cli.terminal import raw_output
from cockpit.errors import InputError

if TYPE_CHECKING:
    from cockpit.ui.app import CockpitApp
    from cockpit.ui.loading import Loaded


def cmd_demo(args: argparse.Namespace) -> int:
    """--json implies --no-tui: the document is where the sandbox is."""
    from cockpit.demo import SandboxError, build_sandbox  # only the demo needs it
    from cockpit.services.dirs import data_dir
    from cockpit.services.settings import today

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
    """With the last session's first screen at hand, Textual draws it before the cockpit is even imported, and a
    worker loads the rest; without one, git reads the repository while the interpreter loads Textual."""
    from cockpit.ui.last_session import SessionFile, keep_rows

    session = SessionFile(Path(repo))
    last = session.load()
    if last is not None:
        from cockpit.ui.app import CockpitApp
        from cockpit.ui.loading import Loading

        app = CockpitApp(loading=Loading(last, lambda: load_cockpit(repo)), session=session)
    else:
        loaded = load_cockpit(repo)
        loaded.early.when_refs_read(partial(keep_rows, session, loaded.services.user.theme,
                                            loaded.services.git.root.name))  # for the next start, at once
        from cockpit.ui.app import CockpitApp  # textual is only imported when the TUI runs

        app = CockpitApp(loaded.services, loaded.cached, loaded.early, session=session)
    with raw_output():  # Textual escapes what it shows itself and draws with escape sequences of its own
        app.run()
    return ended(app)


def ended(app: CockpitApp) -> int:
    """A failure to load is said as any command's error, once the terminal is the shell's again; a crash (Textual
    printed it) exits as an internal error does."""
    if app.start_error is not None:
        raise app.start_error
    return Exit.BAD_INPUT if app.return_code else Exit.OK


def load_cockpit(repo: str) -> Loaded:
    """The services, and git's first reads of the repository started in a thread of their own."""
    from cockpit.services.bundle import build_services
    from cockpit.services.settings import today
    from cockpit.ui.git_view import EarlyRead
    from cockpit.ui.loading import Loaded

    services, cached = build_services(repo, today())
    return Loaded(services, cached, EarlyRead(services.git))

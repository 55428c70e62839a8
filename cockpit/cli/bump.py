"""`cockpit bump api|schema|plugin --part major|minor|patch`: the version-file bump as a plan (checks, the diff,
one commit on the checked-out branch), confirmed and journaled like every mutating command. Never pushes."""

from __future__ import annotations

import argparse

from cockpit.cli.ops import run_proposal
from cockpit.services.bundle import open_git
from cockpit.workflows.bump import propose_bump


def cmd_bump(args: argparse.Namespace) -> int:
    git = open_git(args.repo)
    return run_proposal(args, git, propose_bump(git, args.target, args.part))

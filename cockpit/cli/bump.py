"""`cockpit bump api|schema|plugin --part major|minor|patch`: the version-file bump as a plan (checks, the diff,
one commit on the checked-out branch), confirmed and journaled like every mutating command. Never pushes."""

from __future__ import annotations

import argparse

from cockpit.cli.ops import add_mutation_flags, run_plan
from cockpit.core.bumps import PARTS, TARGETS
from cockpit.services.bundle import open_git
from cockpit.workflows.bump import plan_bump


def cmd_bump(args: argparse.Namespace) -> int:
    git = open_git(args.repo)
    return run_plan(args, git, plan_bump(git, args.target, args.part))


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("bump", parents=[common], help="bump API_VERSION, SCHEMA_VERSION or the plugin API version "
                       "and commit it (not pushed)")
    p.add_argument("target", choices=TARGETS, help="api: driver/API_VERSION, schema: driver/SCHEMA_VERSION, "
                   "plugin: the plugin API macros")
    p.add_argument("--part", required=True, choices=PARTS, help="the part to bump (lower parts reset to 0)")
    add_mutation_flags(p)
    p.set_defaults(func=cmd_bump)

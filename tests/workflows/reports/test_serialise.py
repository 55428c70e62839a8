"""The JSON contract (DESIGN.md, "Headless CLI contract") as serialise.py writes it from the typed report models: each
document has the contract's keys, in the order scripts have always read them, with the contract's value types, and
is, text for text, what the installed command prints. Real demo sandbox, real local forge, the real `cockpit`."""

from __future__ import annotations

import dataclasses
import json
import re

import pytest

from cockpit.core.coverage import Coverage, CoverageRow
from cockpit.demo import Sandbox
from cockpit.services.forge.factory import open_forge
from cockpit.services.git import GitService
from cockpit.workflows.reports.candidates import CandidateRow, CandidatesReport
from cockpit.workflows.reports.candidates import candidates as candidates_report
from cockpit.workflows.reports.check import CheckReport
from cockpit.workflows.reports.check import check as check_report
from cockpit.workflows.reports.coverage import coverage
from cockpit.workflows.reports.milestones import MilestoneView
from cockpit.workflows.reports.next_versions import (
    DriverNext,
    LibsNext,
    NextVersions,
    PluginApiChange,
    VersionChange,
    next_versions,
)
from cockpit.workflows.reports.notes_since import NotesSince
from cockpit.workflows.reports.serialise import candidates_json, check_json, coverage_json, next_versions_json
from cockpit.workflows.reports.status import LineSummary, Status
from cockpit.workflows.reports.status import status as status_report
from cockpit.workflows.reports.tags import NextTags, TagRow

from cli_helpers import cockpit

SHA = re.compile(r"[0-9a-f]{40}")
CHECK_ROW = ["id", "severity", "ok", "message", "evidence", "fix_hint"]


def printed(sandbox: Sandbox, *args: str, code: int = 0) -> str:
    done = cockpit(sandbox, *args, "--json")
    assert done.returncode == code, done.stderr
    return done.stdout


def test_next_document(sandbox: Sandbox) -> None:
    report = next_versions(GitService(sandbox.clone))
    doc = next_versions_json(report)
    assert list(doc) == ["at", "commit", "driver", "libs", "checks"] and SHA.fullmatch(doc["commit"])
    assert doc["driver"] == {"previous": "9.0.1+driver", "api": {"from": "9.0.0", "to": "9.0.1", "change": "patch"},
                             "schema": {"from": "2.12.0", "to": "2.13.0", "change": "minor"}, "bump": "minor",
                             "next": "9.1.0+driver"}
    assert list(doc["driver"]) == ["previous", "api", "schema", "bump", "next"]
    assert list(doc["driver"]["api"]) == list(doc["driver"]["schema"]) == ["from", "to", "change"]
    assert doc["libs"] == {"previous": "0.25.1", "plugin_api": {"from": "3.2.1", "to": "3.3.0", "change": "minor",
                                                                "header_changed": True},
                           "next_minor": "0.26.0", "next_patch": "0.25.2"}
    assert list(doc["libs"]) == ["previous", "plugin_api", "next_minor", "next_patch"]
    assert list(doc["libs"]["plugin_api"]) == ["from", "to", "change", "header_changed"]
    assert [list(c) for c in doc["checks"]] == [CHECK_ROW] * 3 and not report.failed
    assert printed(sandbox, "next") == json.dumps(doc) + "\n"


def test_next_document_of_a_version_gone_down(sandbox: Sandbox) -> None:
    """release/0.24.x against the newest driver release: API and SCHEMA went down, an error `next` exits 1 on."""
    report = next_versions(GitService(sandbox.clone), at="release/0.24.x", since_driver="9.0.1+driver")
    doc = next_versions_json(report)
    assert doc["driver"]["api"] == {"from": "9.0.0", "to": "8.0.0", "change": "down"} and report.failed
    assert [(c["id"], c["ok"]) for c in doc["checks"]] == [("files.not-down.api", False),
                                                           ("files.not-down.schema", False),
                                                           ("files.not-down.plugin", True)]
    assert doc["checks"][0]["evidence"] == ["9.0.1+driver: 9.0.0", "now: 8.0.0"]
    assert printed(sandbox, "next", "--at", "release/0.24.x", "--since-driver", "9.0.1+driver", code=1) \
        == json.dumps(doc) + "\n"


def candidates_of(sandbox: Sandbox, branch: str) -> dict:
    git = GitService(sandbox.clone)
    choice = open_forge(git)
    return candidates_json(candidates_report(git, branch, forge=choice.forge, forge_problem=choice.problem))


def test_candidates_document(sandbox: Sandbox) -> None:
    doc = candidates_of(sandbox, "release/0.25.x")
    assert list(doc) == ["branch", "upstream", "fork_point", "forge", "commits"]
    assert (doc["branch"], doc["upstream"], doc["forge"]) == ("release/0.25.x", "master", {"ok": True,
                                                                                          "problem": None})
    assert SHA.fullmatch(doc["fork_point"]) and doc["commits"]
    for c in doc["commits"]:
        assert list(c) == ["sha", "subject", "author", "email", "date", "pr", "pr_source", "pr_title", "milestone",
                           "labels", "applied", "evidence", "applied_as"]
        assert SHA.fullmatch(c["sha"]) and isinstance(c["date"], int) and isinstance(c["labels"], list)
        assert c["pr"] is None or isinstance(c["pr"], int)
        assert c["pr_source"] in (None, "subject", "merge", "forge")
        assert c["evidence"] in (None, "trailer", "patch-id", "subject+author")
        assert c["applied"] is (c["evidence"] is not None) is (c["applied_as"] is not None)
        assert c["applied_as"] is None or SHA.fullmatch(c["applied_as"])
    assert {c["evidence"] for c in doc["commits"]} >= {None, "patch-id", "subject+author"}
    assert printed(sandbox, "candidates", "--branch", "release/0.25.x") == json.dumps(doc) + "\n"


def test_candidates_of_a_milestone_keep_its_prs_only(sandbox: Sandbox) -> None:
    every = candidates_of(sandbox, "release/0.25.x")["commits"]
    doc = json.loads(printed(sandbox, "candidates", "--branch", "release/0.25.x", "--milestone", "0.26.0"))
    kept = doc["commits"]
    assert kept and len(kept) < len(every) and {c["milestone"] for c in kept} == {"0.26.0"}
    assert [c["sha"] for c in kept] == [c["sha"] for c in every if c["milestone"] == "0.26.0"]


def test_coverage_document(sandbox: Sandbox) -> None:
    git = GitService(sandbox.clone)
    report = coverage(git, open_forge(git).forge, "0.26.0")
    doc = coverage_json(report)
    assert list(doc) == ["milestone", "branches", "prs"]
    assert (doc["milestone"], doc["branches"]) == ("0.26.0", ["release/0.25.x", "release/0.24.x"])
    assert [p["number"] for p in doc["prs"]] == [r.number for r in report.rows] and doc["prs"]
    for p in doc["prs"]:
        assert list(p) == ["number", "title", "labels", "commits", "branches"]
        assert list(p["branches"]) == doc["branches"] and all(SHA.fullmatch(s) for s in p["commits"])
        assert set(p["branches"].values()) <= {"applied", "partial", "missing", "conflict"}
    assert {s for p in doc["prs"] for s in p["branches"].values()} >= {"applied", "missing", "conflict"}
    assert printed(sandbox, "coverage", "--milestone", "0.26.0") == json.dumps(doc) + "\n"


def test_check_and_status_documents_keep_their_keys(sandbox: Sandbox) -> None:
    git = GitService(sandbox.clone)
    doc = check_json(check_report(git, libs="0.26.0-rc1"))
    assert list(doc) == ["ok", "at", "commit", "branch", "checks"] and doc["checks"]
    assert all(list(c) == CHECK_ROW for c in doc["checks"])
    status = json.loads(printed(sandbox, "status"))
    assert list(status) == ["repo", "default_branch", "versions", "tags", "release_branches", "lines", "fetched_at",
                            "irregular_branches", "forge", "milestones"]
    assert {k: v for k, v in status.items() if k not in ("forge", "milestones")} == status_report(git).as_json()
    assert status["lines"] == {"libs": {"latest": "0.25.1", "latest_prerelease": "0.25.0-rc3"},
                               "driver": {"latest": "9.0.1+driver", "latest_prerelease": "9.0.0-rc3+driver"}}
    assert [m["title"] for m in status["milestones"]] == ["0.26.0", "0.27.0", "next-driver"]


@pytest.mark.parametrize("model", [NextVersions, DriverNext, LibsNext, VersionChange, PluginApiChange,
                                   CandidatesReport, CandidateRow, Coverage, CoverageRow, Status, LineSummary,
                                   CheckReport, MilestoneView, NotesSince, TagRow, NextTags])
def test_report_models_are_frozen_and_slotted(model: type) -> None:
    """A report is a value read by the CLI and the TUI alike: nothing may change it under a screen."""
    assert dataclasses.is_dataclass(model) and model.__dataclass_params__.frozen  # type: ignore[attr-defined]
    assert "__slots__" in model.__dict__ and "__dict__" not in dir(model)

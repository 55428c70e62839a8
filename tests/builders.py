"""Builders of real git repositories for the tests: a bare origin, a clone, and a falco-shaped history."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEVS = {
    "alice": ("Alice Kernel", "alice@example.com"),
    "bob": ("Bob Userspace", "bob@example.com"),
    "carol": ("Carol Plugins", "carol@example.com"),
}


@dataclass
class RepoBuilder:
    origin: Path
    clone: Path
    clock: int = 1_700_000_000

    @classmethod
    def create(cls, root: Path, branch: str = "master") -> RepoBuilder:
        origin, clone = root / "origin.git", root / "clone"
        subprocess.run(["git", "init", "-q", "--bare", "-b", branch, str(origin)], check=True)
        subprocess.run(["git", "clone", "-q", str(origin), str(clone)], check=True, capture_output=True)
        builder = cls(origin, clone)
        builder.git("checkout", "-q", "-b", branch)
        return builder

    def git(self, *args: str, check: bool = True) -> str:
        self.clock += 60
        env = {**os.environ, "GIT_AUTHOR_DATE": f"{self.clock} +0000", "GIT_COMMITTER_DATE": f"{self.clock} +0000"}
        done = subprocess.run(["git", *args], cwd=self.clone, env=env, capture_output=True, text=True)
        if check and done.returncode != 0:
            raise AssertionError(f"git {' '.join(args)} failed: {done.stderr}")
        return done.stdout.strip()

    def write(self, path: str, content: str) -> None:
        target = self.clone / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content)

    def commit(self, message: str, files: dict[str, str] | None = None, author: str = "alice") -> str:
        for path, content in (files or {}).items():
            self.write(path, content)
        self.git("add", "-A")
        name, email = DEVS[author]
        self.git("commit", "-q", "--allow-empty", "-m", message, f"--author={name} <{email}>")
        return self.head()

    def head(self, ref: str = "HEAD") -> str:
        return self.git("rev-parse", ref)

    def checkout(self, name: str, create: bool = False, at: str | None = None) -> None:
        self.git("checkout", "-q", *(["-b", name] if create else [name]), *([at] if at else []))

    def tag(self, name: str, at: str = "HEAD", annotated: bool = False) -> None:
        self.git("tag", *(["-a", "-m", f"release {name}"] if annotated else []), name, at)

    def push(self, *refs: str) -> None:
        self.git("push", "-q", "origin", *refs)

    def cherry_pick(self, sha: str, trailer: bool = False) -> str:
        self.git("cherry-pick", *(["-x"] if trailer else []), sha)
        return self.head()


def api_file(version: str) -> str:
    return f"{version}\n# bump per the versioning rules; only the first line counts\n"


def plugin_header(major: int, minor: int, patch: int, extra: str = "") -> str:
    return (f"#pragma once\n#define PLUGIN_API_VERSION_MAJOR {major}\n#define PLUGIN_API_VERSION_MINOR {minor}\n"
            f"#define PLUGIN_API_VERSION_PATCH {patch}\n{extra}")


def scap_header(api: tuple[int, int, int], schema: tuple[int, int, int]) -> str:
    return (f"#define SCAP_MINIMUM_DRIVER_API_VERSION PPM_API_VERSION({api[0]}, {api[1]}, {api[2]})\n"
            f"#define SCAP_MINIMUM_DRIVER_SCHEMA_VERSION PPM_API_VERSION({schema[0]}, {schema[1]}, {schema[2]})\n")


@dataclass
class FalcoRepo:
    """Two past releases of both lines and master moving on towards 0.3.0:

    - 0.1.0 / 1.0.0+driver on release/0.1.x (rc1 on the fork point, one backport, final; later 0.1.1)
    - 0.2.0 / 1.1.0+driver on release/0.2.x (API minor bump before it; rebase-style backport, adjusted backport,
      -x backport; annotated final)
    - master after the 0.2 fork: a SCHEMA minor bump, a plugin API change with its bump, unported fixes.
    """

    b: RepoBuilder
    shas: dict[str, str] = field(default_factory=dict)

    @classmethod
    def build(cls, root: Path) -> FalcoRepo:
        b = RepoBuilder.create(root)
        repo = cls(b)
        s = repo.shas
        s["init"] = b.commit("chore: initial import", {
            "driver/API_VERSION": api_file("1.0.0"), "driver/SCHEMA_VERSION": api_file("1.0.0"),
            "userspace/plugin/plugin_api.h": plugin_header(3, 0, 0),
            "userspace/libscap/scap.h": scap_header((1, 0, 0), (1, 0, 0)),
            "driver/ppm_fillers.c": "fillers v1\n", "userspace/libsinsp/parsers.cpp": "parsers v1\nline2\nline3\n",
            "README.md": "libs\n",
        })
        s["feat1"] = b.commit("new(libsinsp): container metadata (#1)", {"userspace/libsinsp/container.cpp": "c1\n"},
                              "bob")
        b.push("master")
        # release 0.1.x
        b.checkout("release/0.1.x", create=True)
        b.tag("0.1.0-rc1")
        b.tag("1.0.0-rc1+driver")
        b.checkout("master")
        s["fix1"] = b.commit("fix(libsinsp): parser crash (#2)", {"userspace/libsinsp/parsers.cpp":
                                                                   "parsers v2\nline2\nline3\n"}, "bob")
        b.checkout("release/0.1.x")
        s["fix1_bp"] = b.cherry_pick(s["fix1"])
        b.tag("0.1.0")
        b.tag("1.0.0+driver")
        s["fix1b"] = b.commit("fix(libsinsp): follow-up (#3)", {"README.md": "libs 0.1\n"}, "bob")
        b.tag("0.1.1")
        b.push("release/0.1.x", "--tags")
        # master moves on: API minor bump
        b.checkout("master")
        s["api"] = b.commit("new(driver): new ioctl (#4)", {"driver/API_VERSION": api_file("1.1.0"),
                                                            "userspace/libscap/engine/kmod/scap_kmod.c": "ioctl\n"})
        s["fix2"] = b.commit("fix(driver): filler bug (#5)", {"driver/ppm_fillers.c": "fillers v2\n"}, "alice")
        s["fix3"] = b.commit("fix(libsinsp): another parser bug (#6)",
                             {"userspace/libsinsp/parsers.cpp": "parsers v2\nline2 fixed\nline3\n"}, "bob")
        s["fork2"] = b.commit("chore: prepare 0.2 (#7)", {"README.md": "libs 0.2\n"}, "carol")
        b.push("master")
        b.checkout("release/0.2.x", create=True)
        b.tag("0.2.0-rc1")
        b.tag("1.1.0-rc1+driver")
        b.checkout("master")
        s["fix4"] = b.commit("fix(driver): rebase-style backport (#8)", {"driver/ppm_fillers.c": "fillers v3\n"})
        s["fix5"] = b.commit("fix(libsinsp): adjusted on the branch (#9)",
                             {"userspace/libsinsp/parsers.cpp": "parsers v3\nline2 fixed\nline3\n"}, "bob")
        s["fix6"] = b.commit("fix(libsinsp): picked with -x (#10)", {"userspace/libsinsp/x.cpp": "x\n"}, "carol")
        b.checkout("release/0.2.x")
        s["fix4_bp"] = b.cherry_pick(s["fix4"])
        # adjusted: same subject and author, a different patch
        s["fix5_bp"] = b.commit("fix(libsinsp): adjusted on the branch (#9)",
                                {"userspace/libsinsp/parsers.cpp": "parsers v3-adjusted\nline2 fixed\nline3\n"}, "bob")
        s["fix6_bp"] = b.cherry_pick(s["fix6"], trailer=True)
        b.tag("0.2.0-rc2")
        b.tag("0.2.0", annotated=True)
        b.tag("1.1.0+driver")
        b.push("release/0.2.x", "--tags")
        # master towards 0.3.0
        b.checkout("master")
        s["schema"] = b.commit("new(driver): new event (#11)", {"driver/SCHEMA_VERSION": api_file("1.1.0"),
                                                                "driver/event_table.c": "events v2\n"}, "alice")
        s["plugin"] = b.commit("new(plugin): async events (#12)", {
            "userspace/plugin/plugin_api.h": plugin_header(3, 1, 0, "// async\n")}, "carol")
        s["fix7"] = b.commit("fix(libsinsp): unported fix (#13)", {"userspace/libsinsp/y.cpp": "y\n"}, "bob")
        b.push("master")
        return repo

    @property
    def path(self) -> Path:
        return self.b.clone


def planned(proposal: object) -> Any:
    """The Plan a workflow's `propose_*` answered (a Refusal fails the test, with its reason)."""
    from cockpit.core.plan import Plan

    assert isinstance(proposal, Plan), f"refused: {proposal}"
    return proposal

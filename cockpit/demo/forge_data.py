"""forge.json: milestones, merged and open PRs, issues, and the infra repository that protects branches."""

from __future__ import annotations

from datetime import UTC, datetime

from cockpit.demo.changes import _Change
from cockpit.demo.history import _History
from cockpit.demo.people import _BOT, _DO, _FR, _GA, _HS, _LB, _ME, _RI, _TN, _ZL
from cockpit.demo.seed import _h
from cockpit.services.forge.local_repos import local_repository


def _iso(stamp: int) -> str:
    return datetime.fromtimestamp(stamp, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


_KIND_LABEL = {"new": "kind/feature", "update": "kind/feature", "fix": "kind/bug", "docs": "kind/documentation"}

# Open work in the milestones: (day created, kind, scope, description, author, milestone, breaking, state, areas).
# During the freeze the open `new` PRs of 0.26.0 are the ones to move out; the fixes may still go in.
_OPEN_PRS = (
    (41.0, "new", "libsinsp", "add the proc.env_var filter field", _LB, "0.26.0", False, "closed",
     ("area/libsinsp",)),
    (34.0, "new", "driver", "support the listmount and statmount syscalls", _TN, "0.27.0", False, "open",
     ("area/driver-kmod", "area/driver-bpf")),
    (26.0, "new", "libsinsp", "add the container.image.digest filter field", _ZL, "0.26.0", False, "open",
     ("area/libsinsp",)),
    (20.5, "new", "driver", "support the io_uring_setup flags in the modern probe", _HS, "0.26.0", False, "open",
     ("area/driver-modern-bpf",)),
    (17.0, "new", "userspace/libscap", "add a timeout option to the procfs scan", _GA, "0.26.0", False, "open",
     ("area/libscap",)),
    (14.0, "fix", "driver", "avoid a verifier error with clang-18 in the bpf probe", _HS, "next-driver", False, "open",
     ("area/driver-bpf",)),
    (12.4, "update", "libsinsp", "rebuild the k8s metadata fields on top of the plugin API", _FR, "0.26.0", True,
     "open", ("area/libsinsp", "area/plugins")),
    (9.6, "fix", "libsinsp", "do not report stale fds after a failed dup3", _DO, "0.26.0", False, "open",
     ("area/libsinsp",)),
    (7.2, "fix", "driver", "use the right size for sockaddr_un paths in the bpf probe", _HS, "0.26.0", False, "open",
     ("area/driver-bpf",)),
    (6.0, "new", "libsinsp", "add a thread table snapshot API", _ME, None, False, "open", ("area/libsinsp",)),
    (5.1, "fix", "libscap", "handle ENOMEM when growing the proc table", _GA, "0.26.0", False, "open",
     ("area/libscap",)),
    (3.8, "perf", "libsinsp", "avoid a map lookup per event in the fd table", _RI, "0.26.0", False, "open",
     ("area/libsinsp",)),
    (2.7, "docs", None, "add the release checklist to RELEASE.md", _FR, "0.26.0", False, "open", ()),
    (1.6, "chore", "deps", "Bump softprops/action-gh-release from 2.0.4 to 2.0.5", _BOT, "0.26.0", False, "open",
     ("area/CI",)),
)
# (day created, title, author login, milestone, labels, closed on day or None, planned fix that closed it)
_ISSUES = (
    (50.0, "sinsp can crash when a thread's parent is reaped during the sweep", "kernel-tinkerer", "0.25.1",
     ("kind/bug", "area/libsinsp"), 42.0, "m25g"),
    (35.0, "container id is empty for podman rootless containers", "sre-ola", "0.26.0",
     ("kind/bug", "area/libsinsp"), None, None),
    (22.0, "kmod fails to build on kernel 6.9: a struct field was removed", "dokafor", "next-driver",
     ("kind/bug", "area/driver-kmod"), None, None),
    (13.0, "document the thread-safety of the plugin get_fields call", "mesposito", "0.27.0",
     ("kind/documentation", "area/plugins"), None, None),
)


_AREA_RULES = (  # path prefix -> area label, first match wins
    ("driver/bpf/", "area/driver-bpf"), ("driver/", "area/driver-kmod"),
    ("userspace/libscap/engine/kmod/", "area/libscap-engine-kmod"), ("userspace/libsinsp/test/", "area/tests"),
    ("test/", "area/tests"), ("userspace/libsinsp/", "area/libsinsp"), ("userspace/libscap/", "area/libscap"),
    ("userspace/plugin/", "area/plugins"), (".github/", "area/CI"),
)


def _areas(paths: list[str]) -> tuple[str, ...]:
    """Area labels from the paths a PR touched, as the project's labeler bot would set them."""
    found: list[str] = []
    for path in paths:
        area = next((label for prefix, label in _AREA_RULES if path.startswith(prefix)), "area/build")
        if area not in found:
            found.append(area)
    return tuple(found)


def _body(kind: str, areas: tuple[str, ...], what: str, note: str, fixes: int | None = None) -> str:
    """The falcosecurity PR template, with the release-note block the notes are generated from."""
    kind_line = _KIND_LABEL.get(kind, "kind/cleanup").split("/")[1]
    area_lines = "\n".join(f"/area {a.split('/', 1)[1]}" for a in areas if a.startswith("area/")) or "/area build"
    return (f"**What type of PR is this?**\n\n/kind {kind_line}\n\n"
            f"**Any specific area of the project related to this PR?**\n\n{area_lines}\n\n"
            f"**What this PR does / why we need it**:\n\n{what}\n\n"
            f"**Which issue(s) this PR fixes**:\n\n{f'Fixes #{fixes}' if fixes else ''}\n\n"
            f"**Does this PR introduce a user-facing change?**:\n\n```release-note\n{note}\n```\n")


class _Forge:
    """forge.json: what GitHub would know about the history (milestones, PRs with release notes, issues)."""

    def __init__(self, history: _History) -> None:
        self.h = history
        self.used = {c.pr for c in history.changes}
        self.fixed_by: dict[str, int] = {}  # planned fix -> the issue it closed

    def build(self) -> dict:
        opened = self._open()  # first: the merged PRs link the issue they fixed
        return {
            "schema": 1,
            "repository": {"owner": "falcosecurity", "name": "libs", "default_branch": "master",
                           "html_url": "https://github.com/falcosecurity/libs"},
            "milestones": self._milestones(),
            "items": sorted(self._merged() + opened, key=lambda item: item["number"]),
            "releases": [],
            # the infra repository where release branches are protected (see `cockpit protect`)
            "repositories": {"falcosecurity/test-infra": local_repository({"config/config.yaml": _infra_config(
                [f"release/0.{minor}.x" for minor in (23, 24, 25)])})},
        }

    def _milestones(self) -> list[dict]:
        """Closed ones per past release (due on the day its final was tagged), then the open ones: 0.26.0 in code
        freeze, 0.27.0, and the generic next-driver (renamed to a version once known, as that project does)."""
        h = self.h
        found = []
        previous: dict[str, int] = {}  # line or libs series -> time of its latest final so far
        for title, stamp in sorted(h.finals.items(), key=lambda kv: kv[1]):
            series = "driver" if title.endswith("+driver") else title.rsplit(".", 1)[0]
            opened = previous.get(series, stamp - 75 * 86400) + 3600  # a patch milestone opens after the last final
            previous[series] = stamp
            found.append((opened, title, "closed", _iso(stamp - stamp % 86400), _iso(stamp + 7200)))
        found.append((h.finals["9.0.1+driver"] + 3600, "next-driver", "open", None, None))
        found.append((h.finals["0.25.0"] + 86400, "0.26.0", "open", _iso(h.base + 5 * 86400), None))
        found.append((h.at(10), "0.27.0", "open", _iso(h.base + 60 * 86400), None))
        found.sort()
        return [{"number": n, "title": title, "state": state, "description": _milestone_text(title), "due_on": due,
                 "created_at": _iso(created), "closed_at": closed}
                for n, (created, title, state, due, closed) in enumerate(found, start=1)]

    def _milestone_for(self, change: _Change) -> str | None:
        if change.no_milestone:
            return None
        if change.name in self.h.shipped_in:
            return self.h.shipped_in[change.name or ""]
        forks = self.h.forks
        for branch, title in (("release/0.23.x", "0.23.0"), ("release/0.24.x", "0.24.0"),
                              ("release/0.25.x", "0.25.0")):
            if change.stamp < forks[branch]:
                return title
        return "0.26.0"

    def _merged(self) -> list[dict]:
        """One merged PR per change, titled by its headline, with the commits it landed and the release it shipped
        in."""
        items = []
        for change in self.h.changes:
            paths = sorted({op.path for op in change.ops})
            areas = tuple(a for a in change.areas if a.startswith("area/")) or _areas(paths)
            note = change.release_note
            labels = [_KIND_LABEL.get(change.kind, "kind/cleanup"), *areas,
                      *(("dependencies",) if "dependencies" in change.areas else ()),
                      "release-note" if note != "NONE" else "release-note-none"]
            created = change.stamp - (2 + _h("opened", change.pr) % 9) * 86400
            what = f"{change.desc[0].upper()}{change.desc[1:]}." + (
                " This is a breaking change: see the release note." if change.breaking else "")
            body = _body(change.kind, areas, what, note, self.fixed_by.get(change.name or ""))
            item = self._item(change.pr, "pr", change.headline, "closed", True, change.stamp,
                              self._milestone_for(change), labels, change.author.login, body, created,
                              change.stamp, self.h.shas.get(change.mark))
            # rebase-merged: every commit it landed on master, as GitHub's association answers
            item["commits"] = [self.h.shas[m] for m in change.marks if m in self.h.shas]
            items.append(item)
        return items

    def _number(self, stamp: int) -> int:
        """The next free PR/issue number after the last PR merged before `stamp` (GitHub numbers by creation)."""
        before = [c.pr for c in self.h.changes if c.stamp <= stamp]
        n = (max(before) if before else 1000) + 1
        while n in self.used:
            n += 1
        self.used.add(n)
        return n

    def _open(self) -> list[dict]:
        """PRs not merged (open, and one closed unmerged) and issues, numbered between the merged PRs."""
        h = self.h
        items = []
        for day, kind, scope, desc, author, milestone, breaking, state, areas in _OPEN_PRS:
            change = _Change(kind, scope, desc, author, (), breaking=breaking)
            created = h.at(day)
            note = change.release_note
            labels = [_KIND_LABEL.get(kind, "kind/cleanup"), *areas,
                      "release-note" if note != "NONE" else "release-note-none"]
            updated = h.at(max(day - 1.5, 0.2)) if state == "open" else h.at(day - 6)
            what = f"{desc[0].upper()}{desc[1:]}." + (" Superseded by a smaller PR." if state == "closed" else "")
            items.append(self._item(self._number(created), "pr", change.headline, state, False, None, milestone,
                                    labels, author.login, _body(kind, areas, what, note), created, updated, None))
        for day, title, login, milestone, labels, closed, fixed_by in _ISSUES:
            created = h.at(day)
            number = self._number(created)
            if fixed_by:
                self.fixed_by[fixed_by] = number
            body = (f"**Describe the bug**\n\n{title[0].upper()}{title[1:]}.\n\n**How to reproduce it**\n\n"
                    "Run the libsinsp e2e tests on the affected system.\n\n**Environment**\n\n- libs: 0.25.x\n")
            items.append(self._item(number, "issue", title, "closed" if closed else "open", False, None, milestone,
                                    list(labels), login, body, created, h.at(closed or max(day - 2, 0.5)), None,
                                    base=None))
        return items

    @staticmethod
    def _item(number: int, kind: str, title: str, state: str, merged: bool, merged_at: int | None,
              milestone: str | None, labels: list[str], author: str, body: str, created: int, updated: int,
              sha: str | None, base: str | None = "master") -> dict:
        return {"number": number, "kind": kind, "title": title, "state": state, "merged": merged,
                "merged_at": _iso(merged_at) if merged_at else None, "milestone": milestone, "labels": labels,
                "author": author, "body": body, "created_at": _iso(created), "updated_at": _iso(updated),
                "base": base, "merge_commit_sha": sha}


def _milestone_text(title: str) -> str:
    if title == "next-driver":
        return "The next driver release; renamed to its version once the driver version rule gives it."
    return f"Release {title}"


def _infra_config(release_branches: list[str]) -> str:
    """test-infra's config/config.yaml, the part that protects libs' branches, in that file's own style."""
    entries = "".join(f'            "{b}":\n              protect: true\n' for b in release_branches)
    return ("# Prow configuration of the falcosecurity org (excerpt)\n"
            "branch-protection:\n"
            "  enforce_admins: true # rules apply to admins too!\n"
            "  orgs:\n"
            "    falcosecurity:\n"
            "      repos:\n"
            "        libs:\n"
            "          branches:\n"
            "            master:\n"
            "              protect: true\n"
            + entries
            + "        falco:\n"
            "          branches:\n"
            "            master:\n"
            "              protect: true\n")

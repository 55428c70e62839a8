"""The demo sandbox: a realistic, falco-shaped repository (bare origin + working clone) and a local forge file, so
anyone can try every phase of a release without touching a real project.

Everything is derived from `today` alone: the same date always gives byte-identical objects and refs, which keeps
screenshots, docs and tests stable. The history is written in two `git fast-import` runs (master first, then the
release branches and tags, whose `-x` trailers need master's commit ids), so a build takes well under a second.

What it contains (the promises the tests check):
- libs 0.23.0, 0.23.1, 0.24.0, 0.24.1, 0.25.0, 0.25.1 with drivers 8.0.0, 8.1.0, 9.0.0, 9.0.1 (+driver) and their
  RCs, each driver number following the driver version rule; one irregular tag, `8.1.0+driver-rc1`;
- rebase-style backports on `release/0.2x.x` (mostly patch-identical, a few adjusted, two with `-x` trailers);
- on `release/0.25.x`, master fixes not yet backported: CLEAN_FIXES apply cleanly, CONFLICTING_FIX conflicts;
- libs 0.26.0 in code freeze: no branch, no tags, milestone due today + 5 days; master has a SCHEMA minor bump
  since 9.0.1+driver (so the next driver is 9.1.0+driver) and a plugin API bump with a changed header.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from cockpit.services.forge.local_repos import local_repository

FORMAT_VERSION = 1
MARKER = ".sandbox-complete"
BUILDING = ".sandbox-building"
_MARKER_HEAD = "cockpit-sandbox"
_OWNED = ("origin.git", "libs", "forge.json", MARKER, BUILDING)
_TMP_PREFIX = ".sandbox-tmp-"

NEWEST_RELEASE_BRANCH = "release/0.25.x"
CONFLICTING_FIX = "fix(libsinsp): also skip thread infos with a negative tid in the sweep"
CLEAN_FIXES = (
    "fix(libscap): close the proc dir handle on early returns",
    "fix(userspace/libsinsp): handle empty container ids in the CRI response",
    "fix(libsinsp): use the memfd fd type for memfd_create",
    "fix(driver): handle a NULL mm in the kmod page fault tracepoint",
)


class SandboxError(Exception):
    """The sandbox cannot be built or reused; the message says why and what to do."""


@dataclass(frozen=True)
class Sandbox:
    """Where the demo lives: the cockpit opens `clone`; `origin` plays GitHub's git side, `forge_file` the rest."""

    root: Path
    origin: Path  # bare repository, default branch master
    clone: Path  # working clone of origin, master checked out
    forge_file: Path  # the local forge (milestones, PRs, issues) as JSON


def build_sandbox(root: Path, today: date, fresh: bool = False) -> Sandbox:
    """Build the sandbox under `root` for `today`, or reuse a complete one (rebuild it with `fresh=True`).

    A directory that holds anything but a sandbox is never touched: SandboxError instead."""
    root = Path(root).expanduser().absolute()
    box = Sandbox(root, root / "origin.git", root / "libs", root / "forge.json")
    state = _inspect(root)
    if state == "foreign":
        raise SandboxError(f"{root} is not empty and is not a cockpit sandbox; pick an empty or new directory")
    if state == "complete" and not fresh:
        return box
    if state in ("complete", "ours"):
        try:
            _clear(root)
        except OSError as exc:
            raise SandboxError(f"cannot remove the old sandbox in {root}: {exc.strerror or exc}") from exc
    plan = _History(today)
    plan.replay()
    try:
        root.mkdir(parents=True, exist_ok=True)
        (root / BUILDING).write_text(f"{_MARKER_HEAD} {FORMAT_VERSION} building\n")  # a crash leaves it: rebuilt
        _write_git(box, plan)
        _write_json(box.forge_file, plan.forge())
        _write_atomic(root / MARKER, f"{_MARKER_HEAD} {FORMAT_VERSION}\nbuilt-for {today.isoformat()}\n")
        (root / BUILDING).unlink()
    except OSError as exc:
        raise SandboxError(f"cannot build the sandbox in {root}: {exc.strerror or exc}") from exc
    return box


# --- directory handling -----------------------------------------------------------------------------------------

def _inspect(root: Path) -> str:
    """missing | empty | complete | ours (partial or outdated) | foreign."""
    if not root.exists():
        return "missing"
    if not root.is_dir():
        return "foreign"
    if not any(root.iterdir()):
        return "empty"
    marker = root / MARKER
    if marker.is_file() and not marker.is_symlink():
        head = marker.read_text(errors="replace").split("\n", 1)[0]
        complete = all((root / name).is_dir() for name in ("origin.git", "libs")) and (root / "forge.json").is_file()
        if head == f"{_MARKER_HEAD} {FORMAT_VERSION}" and complete and not (root / BUILDING).exists():
            return "complete"
        return "ours"
    if (root / BUILDING).is_file():
        return "ours"
    return "foreign"


def _clear(root: Path) -> None:
    """Remove what the sandbox owns, nothing else (files the user added beside it stay)."""
    for entry in root.iterdir():
        if entry.name not in _OWNED and not entry.name.startswith(_TMP_PREFIX):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()


def _write_atomic(path: Path, text: str) -> None:
    """Temp file + os.replace: a reader never sees half a file."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=_TMP_PREFIX)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; these are ordinary project files
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _write_json(path: Path, data: dict) -> None:
    _write_atomic(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")


# --- git ----------------------------------------------------------------------------------------------------------

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


def _write_git(box: Sandbox, plan: _History) -> None:
    env = _env(plan.base)
    _git(["init", "-q", "--bare", str(box.origin)], env)
    _git(["symbolic-ref", "HEAD", "refs/heads/master"], env, cwd=box.origin)
    with tempfile.TemporaryDirectory(prefix=_TMP_PREFIX, dir=box.root) as tmp:
        marks = Path(tmp) / "marks"
        _git(["fast-import", "--quiet", "--done", f"--export-marks={marks}"], env, box.origin,
             plan.stream(plan.master_commits, [], {}))
        shas = {int(m[1:]): sha for m, sha in (line.split() for line in marks.read_text().splitlines())}
        _git(["fast-import", "--quiet", "--done", f"--import-marks={marks}"], env, box.origin,
             plan.stream(plan.branch_commits, plan.tags, shas))
    plan.shas = shas
    _git(["clone", "-q", str(box.origin), str(box.clone)], env)
    _git(["config", "cockpit.localForge", str(box.forge_file)], env, cwd=box.clone)


# --- people and time ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Person:
    name: str
    email: str
    login: str
    tz: str


_PEOPLE = (
    _Person("Federica Ricci", "federica.ricci@example.com", "fricci", "+0100"),
    _Person("Tomasz Nowak", "tomasz.nowak@example.com", "tnowak", "+0100"),
    _Person("Priya Raman", "priya.raman@example.com", "praman", "+0530"),
    _Person("Lukas Becker", "lukas.becker@example.com", "lbecker", "+0100"),
    _Person("Hana Sato", "hana.sato@example.com", "hsato", "+0900"),
    _Person("Marco Esposito", "marco.esposito@example.com", "mesposito", "+0100"),
    _Person("Zoë Lindqvist", "zoe.lindqvist@example.com", "zlindqvist", "+0100"),
    _Person("Daniel Okafor", "daniel.okafor@example.com", "dokafor", "-0500"),
    _Person("Grace Achieng", "grace.achieng@example.com", "gachieng", "+0300"),
    _Person("Ravi Iyer", "ravi.iyer@example.com", "riyer", "-0800"),
)
_FR, _TN, _PRM, _LB, _HS, _ME, _ZL, _DO, _GA, _RI = _PEOPLE
_BOT = _Person("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com", "dependabot[bot]", "+0000")
_WEB = _Person("GitHub", "noreply@github.com", "web-flow", "+0000")
_ACTIVE = (0, 0, 1, 1, 1, 2, 2, 3, 3, 4, 4, 5, 6, 6, 7, 8, 9)  # some people merge more than others


def _h(*parts: object) -> int:
    """A stable pseudo-random number (no `random`: its streams are not promised across Python versions)."""
    return int(hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:12], 16)


def _iso(stamp: int) -> str:
    return datetime.fromtimestamp(stamp, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- file contents as keyed blocks ------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Set:
    """Replace one line of one block."""

    path: str
    block: str
    idx: int
    text: str


@dataclass(frozen=True)
class _Add:
    """Add a block at the end of a file, or before another block (inside a table or struct)."""

    path: str
    block: str
    lines: tuple[str, ...]
    before: str | None = None


_Op = _Set | _Add


class _Tree:
    """Files as ordered keyed blocks, so a change replays on a release branch exactly as on master (same context,
    same patch-id) unless the branch's block differs, which is how conflicts and adjusted backports are made."""

    def __init__(self, year: int) -> None:
        self.year = year
        self.files: dict[str, list[tuple[str, list[str]]]] = {}

    def copy(self) -> _Tree:
        new = _Tree(self.year)
        new.files = {p: [(k, list(lines)) for k, lines in blocks] for p, blocks in self.files.items()}
        return new

    def _index(self, path: str, key: str) -> int:
        for i, (k, _) in enumerate(self.files[path]):
            if k == key:
                return i
        raise KeyError(f"{path}: no block {key}")

    def lines(self, path: str, key: str) -> list[str]:
        return self.files[path][self._index(path, key)][1]

    def apply(self, op: _Op) -> None:
        if isinstance(op, _Set):
            self.lines(op.path, op.block)[op.idx] = op.text
            return
        blocks = self.files.setdefault(op.path, [("license", _license(op.path, self.year))])
        if any(k == op.block for k, _ in blocks):
            raise KeyError(f"{op.path}: block {op.block} exists")
        at = self._index(op.path, op.before) if op.before else len(blocks)
        blocks.insert(at, (op.block, list(op.lines)))

    def keys(self, path: str) -> list[str]:
        return [k for k, _ in self.files.get(path, [])]

    def render(self, path: str) -> bytes:
        return ("\n\n".join("\n".join(lines) for _, lines in self.files[path]) + "\n").encode()


def _license(path: str, year: int) -> list[str]:
    if path.endswith((".c", ".h", ".cpp")):
        spdx = "GPL-2.0-only OR MIT" if path.startswith("driver/") else "Apache-2.0"
        return [f"// SPDX-License-Identifier: {spdx}", "/*", f"Copyright (C) {year} The Falco Authors.", "",
                "Licensed under the terms of the license above; see the LICENSE files at the repository root.", "*/"]
    if path.endswith((".yml", ".yaml", ".txt", ".cmake")):
        return [f"# Copyright (C) {year} The Falco Authors. SPDX-License-Identifier: Apache-2.0"]
    return [f"<!-- Copyright (C) {year} The Falco Authors. -->"]


_C_STMTS = (
    "res = {n}_prepare(handle, tid);",
    "handle->m_{n}_count++;",
    "memset(&handle->m_{n}_buf, 0, sizeof(handle->m_{n}_buf));",
    "res = {n}_flush(handle, flags);",
    "handle->m_last_{n}_ts = ts;",
    "entry->flags |= PPM_{N}_VALID;",
    "res = scap_{n}_refresh(handle, entry);",
    "handle->m_stats.n_{n}_reads++;",
)
_CPP_STMTS = (
    "auto {n}_it = m_{n}_table.find(tid);",
    "m_{n}_count++;",
    "m_last_{n}_ts = evt->get_ts();",
    "res = update_{n}(evt, tid);",
    "m_inspector->m_{n}_stats.n_lookups++;",
    "const auto* {n}_info = evt->get_{n}_info();",
    "m_{n}_cache.erase(tid);",
    "libsinsp_logger()->format(sinsp_logger::SEV_TRACE, \"{n}: tid=%ld\", tid);",
)
_NOUNS = ("thread", "fd", "container", "cgroup", "proc", "event", "user", "group", "mount", "socket", "exe", "ns")
_GUARD = {"c": "if(res != SCAP_SUCCESS) { return res; }", "cpp": "if(res < 0) { return res; }"}
_FIXED_GUARDS = {
    "c": ("if(res != SCAP_SUCCESS && res != SCAP_TIMEOUT) { return res; }",
          "if(res != SCAP_SUCCESS || entry == NULL) { return res; }",
          "if(res == SCAP_FAILURE) { goto cleanup; }"),
    "cpp": ("if(res < 0 && res != -EAGAIN) { return res; }",
            "if(res < 0 || tinfo == nullptr) { return res; }",
            "if(res <= 0) { return res; }"),
}


def _lang(path: str) -> str:
    return "cpp" if path.endswith(".cpp") or (path.endswith(".h") and "/libsinsp/" in path) else "c"


def _function(path: str, comment: str, signature: str, seed: str, target: str | None = None) -> tuple[str, ...]:
    """A C/C++ function of a fixed shape: line 6 (`target`, a guard by default) is the one fixes change, with
    three unchanging lines of context on each side."""
    lang = _lang(path)
    pool = _CPP_STMTS if lang == "cpp" else _C_STMTS
    noun = _NOUNS[_h("noun", seed) % len(_NOUNS)]
    first = _h("stmt", seed) % len(pool)
    picks = [pool[(first + k * 3) % len(pool)].format(n=noun, N=noun.upper()) for k in range(4)]
    start = "int32_t res = 0;" if lang == "cpp" else "int32_t res = SCAP_SUCCESS;"
    head = f"// {comment}" if lang == "cpp" else f"/* {comment} */"
    body = [start, picks[0], picks[1], target or _GUARD[lang], picks[2], picks[3], "return res;"]
    return (head, signature, "{", *("\t" + line for line in body), "}")


def _slug(text: str, limit: int | None = 5) -> str:
    stop = {"the", "a", "an", "of", "in", "on", "for", "to", "and", "with", "when", "from", "by", "as", "is", "it"}
    words = [w for w in re.split(r"[^a-z0-9]+", text.lower()) if w and w not in stop]
    return "_".join(words[:limit]) or "helper"


# --- the reserved blocks fixes edit (one per fix, so each backport's patch is predictable) ---------------------

_PARSERS = "userspace/libsinsp/parsers.cpp"
_THREADS = "userspace/libsinsp/threadinfo.cpp"
_CONTAINER = "userspace/libsinsp/container.cpp"
_EVENT = "userspace/libsinsp/event.cpp"
_SINSP = "userspace/libsinsp/sinsp.cpp"
_PROCS = "userspace/libscap/scap_procs.c"
_SCAP_C = "userspace/libscap/scap.c"
_CGROUP = "userspace/libscap/linux/scap_cgroup.c"
_MAIN = "driver/main.c"
_KMOD = "userspace/libscap/engine/kmod/scap_kmod.c"
_FILLERS = "driver/ppm_fillers.c"
_TABLE = "driver/event_table.c"
_BPF = "driver/bpf/fillers.h"
_PLUGIN = "userspace/plugin/plugin_api.h"
_SCAP_H = "userspace/libscap/scap.h"
_CONTAINER_UT = "userspace/libsinsp/test/container.ut.cpp"

# key: (path, signature, comment, line 6 before any fix)
_RESERVED: dict[str, tuple[str, str, str, str]] = {
    "tA": (_THREADS, "void sinsp_threadinfo::remove_child_from_parent()", "detach a thread from its parent",
           "auto parent = get_parent_thread();"),
    "tB": (_THREADS, "int64_t sinsp_threadinfo::get_vpgid() const", "the process group id seen in the namespace",
           "res = m_vpgid;"),
    "tC": (_THREADS, "int32_t sinsp_threadinfo::set_user(uint32_t uid)", "resolve the thread's user",
           "res = m_inspector->m_usergroup_manager.get_user(m_container_id, uid) != nullptr;"),
    "tD": (_THREADS, "void sinsp_thread_manager::remove_inactive_threads()", "sweep threads that exited",
           "if(tinfo == nullptr) { continue; }"),
    "pA": (_PARSERS, "void sinsp_parser::parse_connect_exit(sinsp_evt *evt)", "connect() exit: update the fd",
           "if(retval < 0 && retval != -EINPROGRESS) { return; }"),
    "pB": (_PARSERS, "void sinsp_parser::parse_execve_exit(sinsp_evt *evt)", "execve() exit: refresh the thread",
           "tinfo->m_exe_writable = false;"),
    "pC": (_PARSERS, "void sinsp_parser::parse_execve_args(sinsp_evt *evt)", "execve() arguments",
           "tinfo->set_args(evt->get_param(2)->m_val, evt->get_param(2)->m_len);"),
    "pD": (_PARSERS, "void sinsp_parser::parse_dup_exit(sinsp_evt *evt)", "dup*() exit: copy the fd",
           "fdinfo->m_type = SCAP_FD_UNKNOWN;"),
    "pE": (_PARSERS, "void sinsp_parser::parse_memfd_create_exit(sinsp_evt *evt)", "memfd_create() exit",
           "fdi.m_type = SCAP_FD_FILE_V2;"),
    "cA": (_CONTAINER, "bool sinsp_container_manager::resolve_cgroup_id(const std::string &cgroup)",
           "extract the container id from a cgroup path", "auto pos = cgroup.find(\"/docker/\");"),
    "cB": (_CONTAINER, "void sinsp_container_manager::log_unknown_engine(const std::string &id)",
           "a container id no engine knows",
           "libsinsp_logger()->log(\"unknown container engine\", sinsp_logger::SEV_WARNING);"),
    "cC": (_CONTAINER, "bool cri_async_source::parse_containerd(const cri_response &resp)",
           "a container from the CRI response", "container.m_id = resp.container().id().substr(0, 12);"),
    "eA": (_EVENT, "const char *sinsp_evt::get_param_as_str(uint32_t id)", "format one parameter",
           "res = param->m_len;"),
    "eB": (_EVENT, "std::string sinsp_evt::get_proctitle() const", "the process title of the event",
           "res = strnlen(title, m_proctitle_len - 1);"),
    "snA": (_SINSP, "void sinsp::reset_filtercheck_cache()", "drop cached filtercheck values",
            "m_filtercheck_cache.clear();"),
    "spA": (_PROCS, "static int32_t scap_proc_scan_dir(struct scap_linux_platform *linux_platform)",
            "scan /proc for processes", "if(errno == ENOENT) { return SCAP_SUCCESS; }"),
    "spB": (_PROCS, "static int32_t scap_fd_read_sockets(struct scap_proclist *proclist, uint64_t pid)",
            "read a process's fds", "if(fd_count > 0) { res = scap_fd_scan_fd_dir(proclist, pid); }"),
    "spC": (_PROCS, "static int32_t scap_proc_add_from_proc(struct scap_linux_platform *platform, int tid)",
            "add a process found in /proc", "return scap_errprintf(error, errno, \"can't open %s\", dir_name);"),
    "spD": (_PROCS, "static int32_t scap_proc_read_children(struct scap_linux_platform *platform, int tid)",
            "read /proc/<tid>/task", "if(res != SCAP_SUCCESS) { return res; }"),
    "sA": (_SCAP_C, "int32_t scap_get_stats(scap_t *handle, scap_stats *stats)", "collect the capture stats",
           "res = handle->m_vtable->get_stats(handle->m_engine, stats);"),
    "cgA": (_CGROUP, "static int32_t scap_cgroup_get_path(struct scap_cgroup_set *cg, char *path)",
            "the cgroup path of a process", "if(res != SCAP_SUCCESS) { return res; }"),
    "dA": (_MAIN, "static int ppm_copy_sockaddr(struct sockaddr *dst, const void __user *src, int len)",
           "copy a sockaddr from user space", "res = ppm_copy_from_user(dst, src, len);"),
    "dB": (_MAIN, "static int ppm_open(struct inode *inode, struct file *filp)", "open a ring buffer device",
           "if(res < 0) { return res; }"),
    "dC": (_MAIN, "static void page_fault_probe(void *data, unsigned long address, struct pt_regs *regs)",
           "the page fault tracepoint", "res = record_page_fault(current->mm, address);"),
    "tcA": (_CONTAINER_UT, "TEST_F(sinsp_with_test_input, container_id_from_cgroup_v2)",
            "container ids from cgroup v2 paths", "ASSERT_EQ(res, 0);"),
}


# --- changes (one merged PR each) -------------------------------------------------------------------------------

_NOTE_KINDS = ("new", "update", "fix", "perf")


@dataclass
class _Change:
    """One PR squash-merged on master: its conventional-commit headline, author, edits and release note."""

    kind: str
    scope: str | None
    desc: str
    author: _Person
    ops: tuple[_Op, ...]
    areas: tuple[str, ...] = ()
    breaking: bool = False
    note: str | None = None  # the release-note line, when it is not the headline
    name: str | None = None  # a planned fix's name; backports and the forge refer to it
    no_milestone: bool = False
    pr: int = 0
    mark: int = 0
    stamp: int = 0

    @property
    def headline(self) -> str:
        scope = f"({self.scope})" if self.scope else ""
        return f"{self.kind}{scope}{'!' if self.breaking else ''}: {self.desc}"

    @property
    def subject(self) -> str:
        return f"{self.headline} (#{self.pr})"

    @property
    def release_note(self) -> str:
        if self.note:
            return self.note
        return self.headline if self.kind in _NOTE_KINDS or self.breaking else "NONE"

    @property
    def message(self) -> str:
        return f"{self.subject}\n\nSigned-off-by: {self.author.name} <{self.author.email}>\n"


def _fix(name: str, block: str, after: str, kind_scope: str, desc: str, author: _Person) -> _Change:
    """A planned fix: it rewrites line 6 of its reserved block, so its backport's patch is known in advance."""
    path = _RESERVED[block][0]
    kind, _, scope = kind_scope.partition(":")
    return _Change(kind, scope or None, desc, author, (_Set(path, f"r:{block}", 6, "\t" + after),), name=name)


def _syscall_support(name: str, params: int, schema: str, author: _Person, desc: str | None = None) -> _Change:
    """A new syscall: event table entries, kmod and bpf fillers, and the SCHEMA_VERSION minor bump with it."""
    up = name.upper()
    plist = ", ".join(f'{{"arg{i}", PT_INT64, PF_DEC}}' for i in range(params))
    filler = _function(_FILLERS, f"{name} exit event", f"int f_sys_{name}_x(struct event_filler_arguments *args)",
                       name)
    bpf = (f"FILLER(sys_{name}_x, true)", "{", "\tlong retval = bpf_syscall_get_retval(data->ctx);",
           "\treturn bpf_push_s64_to_ring(data, retval);", "}")
    return _Change("new", "driver", desc or f"add support for the {name} syscall", author, (
        _Add(_TABLE, f"ev:{name}", (
            f'\t[PPME_SYSCALL_{up}_E] = {{"{name}", EC_PROCESS | EC_SYSCALL, EF_NONE, 0}},',
            f'\t[PPME_SYSCALL_{up}_X] = {{"{name}", EC_PROCESS | EC_SYSCALL, EF_NONE, {params}, {{{plist}}}}},',
        ), before="table-close"),
        _Add(_FILLERS, f"f:{name}", filler),
        _Add(_BPF, f"bpf:{name}", bpf, before="endif"),
        _Set("driver/SCHEMA_VERSION", "v", 0, schema),
    ), areas=("area/driver-kmod", "area/driver-bpf"))


def _plugin_version(version: tuple[int, int, int]) -> tuple[_Op, ...]:
    parts = zip(("MAJOR", "MINOR", "PATCH"), version, strict=True)
    return tuple(_Set(_PLUGIN, "version", 3 + i, f"#define PLUGIN_API_VERSION_{part} {n}")
                 for i, (part, n) in enumerate(parts))


def _plugin_capability(name: str, comment: str, version: tuple[int, int, int], author: _Person) -> _Change:
    """A plugin API change: a new function pointer in the struct, and the plugin API version bump with it."""
    lines = (f"\t// {comment}", "\t// Required: no. Arguments: the plugin state.",
             f"\tss_plugin_rc (*{name})(ss_plugin_t *s);")
    return _Change("new", "userspace/plugin", f"add the {name} capability to the plugin API", author,
                   (_Add(_PLUGIN, f"cap:{name}", lines, before="struct-close"), *_plugin_version(version)),
                   areas=("area/plugins",))


def _scap_minimum_api(version: tuple[int, int, int]) -> _Set:
    major, minor, patch = version
    return _Set(_SCAP_H, "minimum", 3,
                f"#define SCAP_MINIMUM_DRIVER_API_VERSION PPM_API_VERSION({major}, {minor}, {patch})")


def _kmod_api_change(desc: str, api: str, minimum: tuple[int, int, int], helper: str, author: _Person,
                     driver_side: bool) -> _Change:
    """An incompatible user/kernel interface change: API_VERSION major, libscap's minimum with it."""
    ops: list[_Op] = [
        _Set("driver/API_VERSION", "v", 0, api), _scap_minimum_api(minimum),
        _Add(_KMOD, f"k:{helper}", _function(_KMOD, desc, f"static int32_t scap_kmod_{helper}(struct scap_device "
                                                         "*dev, unsigned long arg)", helper)),
    ]
    if driver_side:
        ops.append(_Add(_MAIN, f"m:{helper}", _function(_MAIN, desc, f"static long ppm_ioctl_{helper}(struct "
                                                                     "ppm_consumer_t *consumer, unsigned long arg)",
                                                        f"ioctl-{helper}")))
    return _Change("update", "driver", desc, author, tuple(ops), ("area/driver-kmod", "area/libscap-engine-kmod"),
                   breaking=True)


# The release branches: fork day, then (day, action) in time order. ("tag", names): a name ending in "^" is an
# annotated tag. ("bp", plan name, mode): mode same (rebase-style, patch-identical), adjusted (_ALT's line instead
# of master's, as after resolving a conflict) or x (patch-identical, with a `cherry-pick -x` trailer).
_BRANCHES: dict[str, tuple[float, list[tuple[float, tuple]]]] = {
    "release/0.23.x": (236.0, [
        (236.0, ("tag", ["0.23.0-rc1", "8.0.0-rc1+driver"])),
        (234.5, ("bp", "m23a", "same")), (233.5, ("bp", "m23b", "same")),
        (233.0, ("tag", ["0.23.0-rc2", "8.0.0-rc2+driver"])),
        (231.5, ("bp", "m23c", "adjusted")),
        (229.2, ("tag", ["0.23.0^", "8.0.0+driver^"])),
        (206.0, ("bp", "m23d", "same")), (201.0, ("bp", "m23e", "same")),
        (198.6, ("tag", ["0.23.1"])),
    ]),
    "release/0.24.x": (150.0, [
        (150.0, ("tag", ["8.1.0+driver-rc1", "0.24.0-rc1", "8.1.0-rc1+driver"])),
        (148.6, ("bp", "m24a", "same")), (147.6, ("bp", "m24b", "adjusted")), (146.7, ("bp", "m24c", "same")),
        (146.5, ("tag", ["0.24.0-rc2", "8.1.0-rc2+driver"])),
        (145.2, ("bp", "m24d", "same")),
        (142.8, ("tag", ["0.24.0", "8.1.0+driver"])),
        (122.0, ("bp", "m24e", "same")), (118.0, ("bp", "m24f", "adjusted")),
        (115.4, ("tag", ["0.24.1"])),
    ]),
    "release/0.25.x": (72.0, [
        (72.0, ("tag", ["0.25.0-rc1", "9.0.0-rc1+driver"])),
        (70.6, ("bp", "m25a", "same")), (69.6, ("bp", "m25b", "same")), (68.6, ("bp", "m25c", "adjusted")),
        (68.2, ("tag", ["0.25.0-rc2", "9.0.0-rc2+driver"])),
        (66.6, ("bp", "m25d", "same")), (65.6, ("bp", "m25e", "same")),
        (65.2, ("tag", ["0.25.0-rc3", "9.0.0-rc3+driver"])),
        (63.1, ("tag", ["0.25.0", "9.0.0+driver"])),
        (46.0, ("bp", "m25f", "same")), (42.0, ("bp", "m25g", "adjusted")), (40.5, ("bp", "m25h", "same")),
        (38.3, ("tag", ["0.25.1^", "9.0.1+driver^"])),
        (19.0, ("bp", "m25i", "x")), (16.5, ("bp", "m25j", "x")),
    ]),
}
_ALT = {
    "m23c": "if(retval < 0 && retval != -EINPROGRESS && retval != -EAGAIN) { return; }",
    "m24b": "if(evt->get_param(2)->m_len > 0) { tinfo->set_args(evt->get_param(2)->m_val, "
            "evt->get_param(2)->m_len); }",
    "m24f": "if(fd_count > 0 && fd_count <= SCAP_MAX_FDS) { res = scap_fd_scan_fd_dir(proclist, pid); }",
    "m25c": "fdinfo->m_type = oldfdinfo->m_type;",
    # release/0.25.x has no is_invalid(): the backport checks the tid instead, so the follow-up fix conflicts
    "m25g": "if(tinfo == nullptr || tinfo->m_tid == -1) { continue; }",
}


def _specials() -> list[tuple[float, _Change]]:
    """The changes the story needs, by day before `today`: version bumps, planned fixes and candidates."""
    return [
        # era of 0.23: a new syscall (SCHEMA minor) and an incompatible kmod interface (API major)
        (262.3, _syscall_support("pidfd_getfd", 3, "2.10.0", _HS)),
        (248.6, _kmod_api_change("move the ring buffer info into a versioned ioctl struct", "8.0.0", (8, 0, 0),
                                 "get_ring_info_v2", _TN, driver_side=False)),
        # fixes backported to release/0.23.x
        (235.6, _fix("m23a", "tA", "auto parent = m_inspector->get_thread_ref(m_ptid, false);", "fix:libsinsp",
                     "avoid a use-after-free when a thread's parent is removed", _PRM)),
        (234.2, _fix("m23b", "cgA", "if(res != SCAP_SUCCESS) { free(path); return res; }", "fix:libscap",
                     "do not leak the cgroup path buffer on errors", _LB)),
        (232.4, _fix("m23c", "pA", "if(retval < 0 && retval != -EINPROGRESS && retval != -EAGAIN && "
                                   "retval != -EALREADY) { return; }", "fix:userspace/libsinsp",
                     "keep the fd of a non-blocking connect in progress", _DO)),
        (212.0, _fix("m23d", "pB", "tinfo->m_exe_writable = false; tinfo->m_fdtable.reset_cache();",
                     "fix:libsinsp", "reset the fd table cache on execve", _PRM)),
        (205.0, _fix("m23e", "spA", "if(errno == ENOENT || errno == EACCES) { return SCAP_SUCCESS; }",
                     "fix:libscap", "skip processes we may not read when scanning /proc", _GA)),
        # era of 0.24: SCHEMA minor, then a fillers fix with its SCHEMA patch bump in a nearby PR; plugin API 3.2.0
        (224.5, _syscall_support("open_by_handle_at", 4, "2.11.0", _PRM,
                                 "add the open_by_handle_at exit event with its flags")),
        (190.4, _Change("fix", "driver", "fill the right flags in the open_by_handle_at exit event", _LB, (
            _Set(_FILLERS, "f:open_by_handle_at", 6, "\tres = val_to_ring(args, open_flags_to_scap(flags), 0, "
                                                     "false, 0);"),), areas=("area/driver-kmod",))),
        (189.7, _Change("chore", "driver", "bump SCHEMA_VERSION to 2.11.1", _LB,
                        (_Set("driver/SCHEMA_VERSION", "v", 0, "2.11.1"),), areas=("area/driver-kmod",))),
        (171.2, _plugin_capability("get_async_events", "Return the asynchronous events the plugin produces.",
                                   (3, 2, 0), _ME)),
        # fixes backported to release/0.24.x
        (149.4, _fix("m24a", "cA", "auto pos = cgroup.rfind(\"/docker-\") != std::string::npos ? "
                                   "cgroup.rfind(\"/docker-\") : cgroup.find(\"/docker/\");", "fix:libsinsp",
                     "extract container ids from cgroup v2 paths", _ZL)),
        (148.3, _fix("m24b", "pC", "if(evt->get_param(2)->m_len > 0) { tinfo->set_args(evt->get_param(2)->m_val, "
                                   "evt->get_param(2)->m_len - 1); }", "fix:userspace/libsinsp",
                     "do not crash on execve events without arguments", _DO)),
        (147.3, _fix("m24c", "dA", "res = len > sizeof(struct sockaddr_storage) ? -EINVAL : "
                                   "ppm_copy_from_user(dst, src, len);",
                     "fix:driver", "do not read past the end of a user sockaddr", _HS)),
        (145.6, _fix("m24d", "tB", "res = m_vpgid != -1 ? m_vpgid : m_pgid;", "fix:libsinsp",
                     "fall back to the pgid when the vpgid is unknown", _PRM)),
        (128.0, _fix("m24e", "cB", "libsinsp_logger()->log(\"unknown container engine\", "
                                   "sinsp_logger::SEV_DEBUG);",
                     "fix:userspace/libsinsp", "lower the severity of the unknown container engine log", _RI)),
        (120.0, _fix("m24f", "spB", "if(fd_count > 0 && fd_count <= SCAP_MAX_FDS_PER_PROC) { "
                                    "res = scap_fd_scan_fd_dir(proclist, pid); }",
                     "fix:libscap", "cap the number of fds read per process", _GA)),
        # era of 0.25: API major (kmod), SCHEMA minor, plugin header clarified with a patch bump
        (131.6, _kmod_api_change("make the kmod ring buffer size configurable per CPU", "9.0.0", (9, 0, 0),
                                 "set_ring_size", _TN, driver_side=True)),
        (109.3, _syscall_support("mount_setattr", 5, "2.12.0", _HS)),
        (94.8, _Change("fix", "userspace/plugin", "clarify who owns the strings returned by get_fields", _ME, (
            _Set(_PLUGIN, "cap:get_fields", 0, "\t// Return the fields this plugin extracts. The plugin owns the "
                                               "returned string until its next call."),
            *_plugin_version((3, 2, 1)),
        ), areas=("area/plugins",))),
        # fixes backported to release/0.25.x
        (71.4, _fix("m25a", "tC", "res = m_inspector->m_usergroup_manager.get_user(m_container_id.empty() ? "
                                  "\"\" : m_container_id, uid) != nullptr;", "fix:libsinsp",
                    "guard user lookups against threads outside containers", _ZL)),
        (70.3, _fix("m25b", "sA", "memset(stats, 0, sizeof(*stats)); res = handle->m_vtable->get_stats("
                                  "handle->m_engine, stats);", "fix:libscap",
                    "zero the stats before an engine fills them", _LB)),
        (69.3, _fix("m25c", "pD", "fdinfo->m_type = oldfdinfo->m_type; fdinfo->m_flags = oldfdinfo->m_flags;",
                    "fix:userspace/libsinsp", "keep the fd type when duplicating a socket", _DO)),
        (67.5, _fix("m25d", "eA", "res = param == nullptr ? 0 : param->m_len;", "fix:libsinsp",
                    "avoid a null dereference when formatting a missing parameter", _RI)),
        (66.3, _fix("m25e", "tcA", "ASSERT_EQ(res, 0); ASSERT_EQ(container_id, \"3ad7b26ded6d\");",
                    "test:libsinsp", "cover container ids from cgroup v2 paths", _ZL)),
        (52.0, _fix("m25f", "dB", "if(res < 0) { ppm_release_ring_buffers(consumer); return res; }", "fix:driver",
                    "release the ring buffer pages when open fails", _HS)),
        (48.0, _fix("m25g", "tD", "if(tinfo == nullptr || tinfo->is_invalid()) { continue; }", "fix:libsinsp",
                    "skip invalid thread infos when sweeping inactive threads", _PRM)),
        (45.0, _fix("m25h", "spC", "return scap_errprintf(error, errno, \"can't open %s (the process may have "
                                   "exited)\", dir_name);", "fix:libscap",
                    "report the right error when a process vanishes", _GA)),
        (24.0, _fix("m25i", "eB", "res = strnlen(title, m_proctitle_len);", "fix:userspace/libsinsp",
                    "do not drop the last byte of long process titles", _RI)),
        (21.0, _fix("m25j", "snA", "m_filtercheck_cache.clear(); m_filtercheck_cache.shrink_to_fit();",
                    "fix:libsinsp", "free the filtercheck cache memory on reset", _FR)),
        # not backported to release/0.25.x: four apply cleanly, one conflicts with m25g's adjusted backport
        (33.0, _fix("clean1", "spD", "if(res != SCAP_SUCCESS) { closedir(dir_p); return res; }", "fix:libscap",
                    "close the proc dir handle on early returns", _GA)),
        (26.0, _fix("conflict", "tD", "if(tinfo == nullptr || tinfo->is_invalid() || tinfo->m_tid < 0) { "
                                      "continue; }", "fix:libsinsp",
                    "also skip thread infos with a negative tid in the sweep", _PRM)),
        (15.0, _fix("clean2", "cC", "container.m_id = resp.container().id().empty() ? \"\" : "
                                    "resp.container().id().substr(0, 12);", "fix:userspace/libsinsp",
                    "handle empty container ids in the CRI response", _ZL)),
        (9.0, _fix("clean3", "pE", "fdi.m_type = SCAP_FD_MEMFD;", "fix:libsinsp",
                   "use the memfd fd type for memfd_create", _DO)),
        (4.0, _fix("clean4", "dC", "res = current->mm ? record_page_fault(current->mm, address) : 0;",
                   "fix:driver", "handle a NULL mm in the kmod page fault tracepoint", _HS)),
        # since the 0.25 fork: SCHEMA minor, API patch, plugin API minor, a breaking userspace change, a rule note
        (55.4, _syscall_support("clone3", 2, "2.13.0", _HS)),
        (36.7, _Change("perf", "libscap", "read the kmod ring buffers in batches", _TN, (
            _Set("driver/API_VERSION", "v", 0, "9.0.1"),
            _Set(_KMOD, "k:ring_info", 6, "\tres = scap_kmod_read_batch(dev, SCAP_KMOD_BATCH_SIZE);"),
        ), areas=("area/libscap-engine-kmod",))),
        (29.2, _plugin_capability("get_metrics", "Return the metrics the plugin collected since it started.",
                                  (3, 3, 0), _ME)),
        (18.5, _Change("update", "libsinsp", "remove the deprecated sinsp::set_snaplen overload", _FR, (
            _Add(_SINSP, "s:snaplen", _function(_SINSP, "the capture snaplen (the two-argument form is gone)",
                                               "void sinsp::set_snaplen(uint32_t snaplen)", "snaplen")),
        ), areas=("area/libsinsp",), breaking=True)),
        (11.3, _Change("update", "test", "align the e2e sample rules with the new process fields", _GA, (
            _Add("test/e2e/rules/sample_rules.yaml", "rule:exepath", (
                "- rule: Unexpected executable path",
                "  condition: evt.type = execve and proc.exepath startswith /tmp/",
                "  output: \"exec from tmp (%proc.exepath)\"", "  priority: WARNING")),
        ), areas=("area/tests",), note="rule: the e2e sample rules use proc.exepath instead of proc.exe")),
    ]


# --- the routine work between the planned changes ---------------------------------------------------------------

_FIELDS = ("proc.pcmdline", "proc.exe_ino", "proc.is_exe_writable", "fd.ino", "fd.sockfamily", "thread.cgroups",
           "evt.is_async", "proc.exepath", "user.homedir", "group.name", "proc.tty", "fs.path.name", "proc.sid.exe",
           "proc.pvpid", "fd.is_upper_layer", "proc.aexe", "proc.fdopencount", "evt.asynctype", "proc.stdin.type",
           "thread.vmsize", "proc.exe_from_memfd", "fd.dev_major", "user.shell", "proc.is_sid_leader")
_UPDATES = ("expose the cgroup version in the machine info", "add the pidns init start time to the thread info",
            "make the container engines pluggable", "add the thread's capabilities to the threadinfo API",
            "export the fd table size as a metric",
            "allow plugins to subscribe to container events", "report the engine name in the capture stats",
            "expose the thread group leader in the threadinfo API", "make the thread table size configurable",
            "report dropped events in the capture stats", "let plugins read a thread's cgroups",
            "track the upper-layer flag of executables across execve", "store the container restart count",
            "count suppressed tids in the metrics", "add a setter for the procfs scan timeout",
            "keep the loginuid of exited threads", "allow choosing the event sources when opening",
            "support the user namespace id in the thread info", "refresh container metadata asynchronously",
            "load plugin fields lazily", "accept relative paths in fs.path fields")
_FIXES = {
    "libsinsp": ("fix a race in the async container lookups", "parse the fd of accept4 with SOCK_CLOEXEC",
                 "keep the thread's cwd after a failed chdir", "do not leak fdinfos on close errors",
                 "handle cgroup paths with a trailing newline", "use the right tid for vfork children",
                 "compare fd paths case-sensitively", "report the right exe for scripts run via binfmt",
                 "stop double counting dropped events", "reset the user cache on container exit",
                 "read the ppid of reaped threads from procfs", "handle IPv6 mapped addresses in fd.sip",
                 "keep the exe path of threads created before the capture", "parse pidfd_open's flags",
                 "do not resolve fd paths of anonymous inodes", "handle unix sockets without a path",
                 "restore the uid of setuid threads after execve failures", "trim the cmdline of zombies",
                 "fix the container id of crio pods", "do not crash on a truncated capture file",
                 "use 64-bit inode numbers for fd.ino", "refresh the thread's env after execve",
                 "do not lose the parent of orphaned threads", "parse the flags of the new mount API",
                 "keep fd.name for sockets in CLOSE_WAIT"),
    "libscap": ("handle short reads of /proc/<pid>/cmdline", "retry opendir on EINTR",
                "free the proclist on initialization errors", "read the loginuid as unsigned",
                "ignore kernel threads without a comm", "fix the error message when a device can't be opened",
                "close the cgroup fd on errors", "handle a missing /proc/self/mountinfo",
                "read the boot time from /proc/stat as a fallback", "handle pids above 2^22",
                "check the result of realloc in the proclist", "do not truncate long cgroup paths"),
}
_PERFS = ("avoid copying event params in the parser", "cache container lookups per event",
          "reserve the fd table on clone", "skip the cgroup lookup for known threads",
          "use a flat map for the thread table", "avoid a string copy per filter field", "batch procfs reads",
          "intern container ids")
_CLEANUPS = {
    "libsinsp": ("drop the unused sinsp_evt::get_param_as_json", "remove dead code in the container engine",
                 "split the fd parser into smaller functions", "use std::string_view for field names",
                 "rename the thread manager's internal maps", "move the user/group manager to its own file",
                 "remove the legacy k8s client leftovers", "make the event formatter const-correct",
                 "replace raw pointers in the fd table with shared_ptr", "drop the unused filter cache stats",
                 "use enum classes for the fd types", "remove the old capture-file compatibility shims"),
    "libscap": ("remove the unused scap_get_system_info", "unify the procfs error messages",
                "drop the old udig engine stubs", "use size_t for buffer lengths in the savefile code",
                "move the cgroup helpers under linux/", "remove the unused proc callbacks"),
    "driver": ("drop an unused helper from the kmod", "consistently name the ring buffer locals",
               "remove the pre-4.14 kernel checks from the kmod", "use the kernel's own min/max helpers",
               "drop a duplicated include in main.c",
               "use READ_ONCE for the shared ring buffer head", "drop the unused ppm_get_tracepoint helper"),
}
_TESTS = ("openat2", "execveat", "pidfd_open", "prctl", "socketpair", "fchmodat", "setns", "unshare", "copy_file_range",
          "io_uring_setup", "memfd_create", "userfaultfd", "process_vm_readv", "bpf", "mlock2", "statx", "dup3",
          "inotify_init1", "signalfd4", "epoll_create1")
_CI = ("run the kernel testing matrix on arm64", "build the modern eBPF probe with clang-16",
       "cache the ccache directory between runs", "add a job for the e2e tests on ubuntu-22.04",
       "check the formatting with clang-format-14", "build on centos 7 with the old gcc",
       "upload the test reports as artifacts", "run the unit tests under ASAN and UBSAN",
       "add a zig build to the matrix", "verify the driver API versions on every PR", "cancel superseded runs")
_DOCS = ("explain the release branch naming", "document the minimum driver versions in libscap",
         "add a troubleshooting section for the kmod", "describe the metrics exposed by libsinsp",
         "describe the driver versioning rules", "explain how to build the modern probe",
         "document the plugin API capabilities", "list the supported architectures",
         "add a section on the release process", "document the metrics collector", "fix broken links in the README")
_BUILDS = ("make the bundled libelf optional", "enable LTO for release builds",
           "add a preset for the modern probe", "check the compiler version once",
           "allow building with an external libbpf", "add the USE_ASAN option", "bump the minimum cmake to 3.12",
           "build the unit tests only when requested", "find zlib with pkg-config", "install the plugin headers",
           "link libsinsp statically by default")
_DEPS = {  # action -> (ci job block, line index, versions)
    "actions/checkout": ("job:build-libs", 3, ("4.1.0", "4.1.1", "4.1.2", "4.1.3", "4.1.4", "4.1.5", "4.1.6")),
    "actions/upload-artifact": ("job:test-drivers", 3, ("4.0.0", "4.1.0", "4.2.0", "4.3.0", "4.3.1", "4.3.3")),
    "actions/cache": ("job:format", 3, ("3.3.2", "3.3.3", "4.0.0", "4.0.1", "4.0.2")),
    "docker/setup-buildx-action": ("job:containers", 3, ("3.0.0", "3.1.0", "3.2.0", "3.3.0")),
    "github/codeql-action": ("job:codeql", 3, ("3.22.11", "3.23.0", "3.24.0", "3.24.5", "3.25.0")),
}
_CI_JOBS = {"job:build-libs": "build-libs", "job:test-drivers": "test-drivers", "job:format": "format",
            "job:containers": "containers", "job:codeql": "codeql"}
_SINSP_FILES = (_PARSERS, _THREADS, _CONTAINER, _EVENT, _SINSP, "userspace/libsinsp/utils.cpp")
_SCAP_FILES = (_PROCS, _SCAP_C, _CGROUP)
_PATTERN = ("fix", "test", "new", "deps", "cleanup", "fix", "ci", "update", "test", "perf", "fix", "docs", "new",
            "build", "fix", "cleanup", "deps", "test", "update", "fix")
_ERAS = ((269.0, 236.3, 22), (235.7, 150.3, 56), (149.7, 72.3, 50), (71.7, 3.0, 30))


class _Fillers:
    """Everyday PRs between the planned ones: features, fixes, tests, CI, dependency bumps. Each category walks its
    own list, so subjects stay unique; fixes edit earlier filler code, never the reserved blocks."""

    def __init__(self) -> None:
        self.used: dict[str, int] = {}
        self.deps = dict.fromkeys(_DEPS, 0)

    def _next(self, category: str, items: tuple[str, ...]) -> str:
        n = self.used.get(category, 0)
        self.used[category] = n + 1
        item = items[n % len(items)]
        return item if n < len(items) else f"{item} (part {n // len(items) + 1})"

    def make(self, category: str, i: int, tree: _Tree) -> _Change:
        author = _PEOPLE[_ACTIVE[_h("author", i) % len(_ACTIVE)]]
        pick = _h("pick", i)
        if category == "new":
            name = self._next("new", _FIELDS)
            path = "userspace/libsinsp/filterchecks.cpp"
            func = _function(path, f"the {name} field", f"uint8_t *sinsp_filter_check::extract_{_slug(name)}"
                             "(sinsp_evt *evt, uint32_t *len)", name)
            return _Change("new", "libsinsp", f"add the {name} filter field", author,
                           (_Add(path, f"f:{name}", func),), ("area/libsinsp",))
        if category == "fix":
            return self._fix(i, pick, author, tree)
        if category in ("update", "perf", "cleanup"):
            if category == "cleanup":
                scope = ("libsinsp", "libsinsp", "libscap", "driver")[pick % 4]
                desc = self._next(f"cleanup-{scope}", _CLEANUPS[scope])
            else:
                scope = "libsinsp"
                desc = self._next(category, _UPDATES if category == "update" else _PERFS)
            files = {"libsinsp": _SINSP_FILES, "libscap": _SCAP_FILES, "driver": (_MAIN,)}[scope]
            path = files[pick % len(files)]
            area = {"driver": "area/driver-kmod"}.get(scope, f"area/{scope}")
            func = _function(path, desc, _signature(path, _slug(desc)), desc)
            return _Change(category, scope, desc, author, (_Add(path, f"f:{_slug(desc, None)}", func),), (area,))
        if category == "test":
            return self._test(author)
        if category == "deps":
            return self._deps(pick)
        if category == "ci":
            desc = self._next("ci", _CI)
            job = _slug(desc, None).replace("_", "-")
            lines = (f"  {job}:", "    runs-on: ubuntu-22.04", "    steps:", f"      - name: {desc}",
                     f"        run: ./scripts/ci/{job}.sh")
            return _Change("ci", None, desc, author, (_Add(".github/workflows/ci.yml", f"job:{job}", lines),),
                           ("area/CI",))
        if category == "docs":
            desc = self._next("docs", _DOCS)
            lines = (f"### {desc[0].upper()}{desc[1:]}", "",
                     f"Kept short on purpose: the details live next to the code ({_slug(desc)}).")
            return _Change("docs", None, desc, author, (_Add("README.md", f"doc:{_slug(desc, None)}", lines),),
                           ("kind/documentation",))
        desc = self._next("build", _BUILDS)
        opt = _slug(desc, None).upper()
        lines = (f"# {desc}", f"option(ENABLE_{opt} \"{desc}\" OFF)", f"if(ENABLE_{opt})",
                 f"\tmessage(STATUS \"{desc}\")", "endif()")
        return _Change("build", None, desc, author, (_Add("CMakeLists.txt", f"cm:{opt}", lines),), ("area/build",))

    def _fix(self, i: int, pick: int, author: _Person, tree: _Tree) -> _Change:
        """A fix to earlier routine code (never a reserved block), or a new helper when there is none yet."""
        scope = "libsinsp" if pick % 3 else "libscap"
        desc = self._next(f"fix-{scope}", _FIXES[scope])
        files = _SINSP_FILES if scope == "libsinsp" else _SCAP_FILES
        lang = "cpp" if scope == "libsinsp" else "c"
        spots = [(p, k) for p in files for k in tree.keys(p)
                 if k.startswith("f:") and tree.lines(p, k)[6] == "\t" + _GUARD[lang]]
        if spots:
            path, key = spots[pick % len(spots)]
            op: _Op = _Set(path, key, 6, "\t" + _FIXED_GUARDS[lang][_h("guard", i) % 3])
        else:
            path = files[pick % len(files)]
            op = _Add(path, f"f:{_slug(desc, None)}", _function(path, desc, _signature(path, _slug(desc)), desc))
        return _Change("fix", scope if pick % 2 else f"userspace/{scope}", desc, author, (op,), (f"area/{scope}",))

    def _test(self, author: _Person) -> _Change:
        n = self.used.get("test", 0)
        self.used["test"] = n + 1
        name = _TESTS[n % len(_TESTS)]
        suite, kind, event = (("syscall_exit_suite", "SyscallExit", "EXIT_EVENT"),
                              ("syscall_enter_suite", "SyscallEnter", "ENTER_EVENT"))[(n // len(_TESTS)) % 2]
        path = f"test/drivers/test_suites/{suite}/{name}_{'x' if event == 'EXIT_EVENT' else 'e'}.cpp"
        camel = "".join(w.capitalize() for w in name.split("_"))
        body = (f"TEST({kind}, {camel})", "{",
                f"\tauto evt_test = get_syscall_event_test(__NR_{name}, {event});", "\tevt_test->enable_capture();",
                f"\tassert_syscall_state(SYSCALL_FAILURE, \"{name}\", syscall(__NR_{name}, -1, 0, 0));",
                "\tevt_test->disable_capture();", "\tevt_test->assert_event_presence();", "}")
        return _Change("test", "drivers", f"add the {name} {'exit' if event == 'EXIT_EVENT' else 'enter'} event tests",
                       author, (_Add(path, f"t:{name}", body),), ("area/tests",))

    def _deps(self, pick: int) -> _Change:
        """dependabot bumping a GitHub action (the one picked, or the least bumped when it ran out of versions)."""
        action = list(_DEPS)[pick % len(_DEPS)]
        if self.deps[action] + 1 >= len(_DEPS[action][2]):
            action = min(self.deps, key=lambda a: (self.deps[a] + 1 >= len(_DEPS[a][2]), self.deps[a]))
        block, idx, versions = _DEPS[action]
        n = self.deps[action]
        self.deps[action] = n + 1
        old = versions[n] if n < len(versions) else _bump_patch(versions[-1], n - len(versions) + 1)
        new = versions[n + 1] if n + 1 < len(versions) else _bump_patch(versions[-1], n - len(versions) + 2)
        return _Change("chore", "deps", f"Bump {action} from {old} to {new}", _BOT,
                       (_Set(".github/workflows/ci.yml", block, idx, f"      - uses: {action}@v{new}"),),
                       ("area/CI", "dependencies"))


def _signature(path: str, name: str) -> str:
    if path == _PARSERS:
        return f"int32_t sinsp_parser::{name}(sinsp_evt *evt)"
    if path.endswith(".cpp"):
        return f"int32_t sinsp::{name}(int64_t tid)"
    if path.startswith("driver/"):
        return f"static int {name}(struct ppm_consumer_t *consumer)"
    return f"static int32_t {name}(struct scap_linux_platform *platform, uint64_t tid)"


# --- the initial tree -----------------------------------------------------------------------------------------------

def _initial_tree(year: int) -> _Tree:
    tree = _Tree(year)

    def add(path: str, key: str, lines: tuple[str, ...] | list[str], before: str | None = None) -> None:
        tree.apply(_Add(path, key, tuple(lines), before))

    add("driver/API_VERSION", "v", ("7.3.0", "# driver API version: bump per driver/README.VERSION.md; "
                                            "only the first line counts"))
    add("driver/SCHEMA_VERSION", "v", ("2.9.0", "# event schema version: bump per driver/README.VERSION.md; "
                                               "only the first line counts"))
    for path in ("driver/API_VERSION", "driver/SCHEMA_VERSION"):  # version files carry no license block
        tree.files[path] = [b for b in tree.files[path] if b[0] != "license"]
    add(_PLUGIN, "pragma", ("#pragma once", "", "#include <stdbool.h>", "#include <stdint.h>"))
    add(_PLUGIN, "version", ("//", "// API versions of this plugin framework", "//",
                             "#define PLUGIN_API_VERSION_MAJOR 3", "#define PLUGIN_API_VERSION_MINOR 1",
                             "#define PLUGIN_API_VERSION_PATCH 0"))
    add(_PLUGIN, "struct-open", ("typedef struct {",))
    for name, comment in (("get_required_api_version", "Return the plugin API version the plugin needs."),
                          ("get_name", "Return the plugin name."),
                          ("get_fields", "Return the fields this plugin extracts."),
                          ("extract_fields", "Extract field values from an event.")):
        add(_PLUGIN, f"cap:{name}", (f"\t// {comment}", f"\tconst char *(*{name})();"))
    add(_PLUGIN, "struct-close", ("} plugin_api;",))
    add(_SCAP_H, "includes", ("#pragma once", "", "#include <stdint.h>", "#include \"scap_limits.h\""))
    add(_SCAP_H, "minimum", ("//", "// The minimum driver API and schema versions this libscap works with", "//",
                             "#define SCAP_MINIMUM_DRIVER_API_VERSION PPM_API_VERSION(7, 0, 0)",
                             "#define SCAP_MINIMUM_DRIVER_SCHEMA_VERSION PPM_API_VERSION(2, 0, 0)"))
    add(_SCAP_H, "api", ("int32_t scap_get_stats(scap_t *handle, scap_stats *stats);",
                         "int32_t scap_next(scap_t *handle, scap_evt **pevent, uint16_t *pdevid, uint32_t *pflags);"))
    add(_TABLE, "includes", ("#include \"ppm_events_public.h\"",))
    add(_TABLE, "table-open", ("const struct ppm_event_info g_event_info[] = {",))
    add(_TABLE, "ev:open", ('\t[PPME_SYSCALL_OPEN_E] = {"open", EC_FILE | EC_SYSCALL, EF_CREATES_FD, 0},',
                            '\t[PPME_SYSCALL_OPEN_X] = {"open", EC_FILE | EC_SYSCALL, EF_CREATES_FD, 3, '
                            '{{"fd", PT_FD, PF_DEC}, {"name", PT_FSPATH, PF_NA}, {"flags", PT_FLAGS32, PF_HEX}}},'))
    add(_TABLE, "table-close", ("};",))
    add(_BPF, "guard", ("#ifndef __FILLERS_H", "#define __FILLERS_H", "", "#include \"../systype_compat.h\""))
    add(_BPF, "bpf:open", ("FILLER(sys_open_x, true)", "{", "\tlong retval = bpf_syscall_get_retval(data->ctx);",
                           "\treturn bpf_push_s64_to_ring(data, retval);", "}"))
    add(_BPF, "endif", ("#endif",))
    add(_FILLERS, "includes", ("#include \"ppm_fillers.h\"", "#include \"ppm_flag_helpers.h\""))
    add(_KMOD, "includes", ("#include \"scap_kmod.h\"", "#include \"../../ringbuffer/devset.h\""))
    add(_KMOD, "k:ring_info", _function(_KMOD, "read the ring buffer info", "static int32_t "
                                       "scap_kmod_get_ring_info(struct scap_device *dev)", "ring_info"))
    add(_MAIN, "includes", ("#include <linux/module.h>", "#include \"ppm_ringbuffer.h\""))
    for path in (*_SINSP_FILES, *_SCAP_FILES, _CONTAINER_UT):
        include = f"#include \"{Path(path).stem}.h\"" if not path.endswith(".ut.cpp") else "#include <gtest/gtest.h>"
        add(path, "includes", (include,))
    for key, (path, signature, comment, before) in _RESERVED.items():
        add(path, f"r:{key}", _function(path, comment, signature, key, before))
    add("userspace/libsinsp/threadinfo.h", "class", ("#pragma once", "", "class sinsp_threadinfo {", "public:",
                                                     "\tint64_t m_tid;", "\tint64_t m_pid;", "\tint64_t m_ptid;",
                                                     "};"))
    add("userspace/libsinsp/filterchecks.cpp", "includes", ("#include \"filterchecks.h\"",))
    add("README.md", "title", ("# falcosecurity/libs (cockpit demo sandbox)", "",
                               "The libraries behind Falco: libscap, libsinsp and the kernel drivers."))
    add("README.md", "versioning", ("## Versioning", "",
                                    "libs and the drivers are released together or apart, each with its own SemVer "
                                    "line: `0.M.m` for libs, `X.Y.Z+driver` for the drivers."))
    add("CMakeLists.txt", "project", ("cmake_minimum_required(VERSION 3.5.1)", "project(falcosecurity-libs)"))
    add("CMakeLists.txt", "options", ("option(BUILD_DRIVER \"Build the kernel module\" ON)",
                                      "option(USE_BUNDLED_DEPS \"Use bundled dependencies\" ON)"))
    add(".github/workflows/ci.yml", "head", ("name: CI Build", "on:", "  pull_request:", "  push:",
                                             "    branches: [master, 'release/**']", "jobs:"))
    for action, (block, _, versions) in _DEPS.items():
        add(".github/workflows/ci.yml", block, (f"  {_CI_JOBS[block]}:", "    runs-on: ubuntu-22.04", "    steps:",
                                                f"      - uses: {action}@v{versions[0]}",
                                                f"      - run: ./scripts/ci/{_CI_JOBS[block]}.sh"))
    return tree


# --- the whole history ----------------------------------------------------------------------------------------

@dataclass
class _Commit:
    mark: int
    branch: str
    parent: int | None
    author: _Person
    author_time: int
    commit_time: int
    message: str
    files: dict[str, bytes]
    picked_from: int | None = None  # master mark, for a `(cherry picked from commit ...)` trailer


@dataclass(frozen=True)
class _Tag:
    name: str
    mark: int
    annotated: bool
    stamp: int


class _History:
    """The story, replayed in time order: master's PRs (planned ones and routine ones), then on each release
    branch its RC tags, backports and finals. Produces the fast-import streams and the forge's data."""

    def __init__(self, today: date) -> None:
        self.base = int(datetime(today.year, today.month, today.day, tzinfo=UTC).timestamp())
        self.master_commits: list[_Commit] = []
        self.branch_commits: list[_Commit] = []
        self.tags: list[_Tag] = []
        self.changes: list[_Change] = []
        self.planned: dict[str, _Change] = {}
        self.shipped_in: dict[str, str] = {}  # planned fix -> the libs release that shipped its backport
        self.finals: dict[str, int] = {}  # released version -> tag time
        self.forks: dict[str, int] = {}  # release branch -> fork time
        self.shas: dict[int, str] = {}  # mark -> commit id, once written
        self._mark = 0

    def at(self, day: float) -> int:
        """Unix time `day` days before today's midnight (UTC), to the minute."""
        return self.base - round(day * 1440) * 60

    def _new_mark(self) -> int:
        self._mark += 1
        return self._mark

    def replay(self) -> None:
        """Interleave the planned changes with routine ones by date, snapshot master at each fork, then replay
        each release branch on its snapshot (so a backport meets exactly the code the branch has)."""
        events: list[tuple[float, int, _Change | tuple[str, int]]] = [
            (day, n, change) for n, (day, change) in enumerate(_specials())]
        slot = 0
        for era, (start, end, count) in enumerate(_ERAS):
            step = (start - end) / count
            for i in range(count):
                jitter = (_h("jitter", era, i) % 600 - 300) / 1000 * step
                category = _PATTERN[slot % len(_PATTERN)]
                if era == len(_ERAS) - 1 and category == "fix":  # after the newest fork only planned fixes land
                    category = ("cleanup", "test", "update", "perf", "docs")[i % 5]
                events.append((start - (i + 0.5) * step + jitter, 1000 + slot, (category, slot)))
                slot += 1
        events.sort(key=lambda e: (-e[0], e[1]))
        tree = _initial_tree(datetime.fromtimestamp(self.at(270), UTC).year)
        fillers = _Fillers()
        forks = sorted(((day, name) for name, (day, _) in _BRANCHES.items()), reverse=True)
        snapshots: dict[str, tuple[_Tree, int]] = {}
        root = _Change("chore", None, "import the libs source tree", _FR, ())
        pr = 1187
        self._commit_master(root, tree, sorted(tree.files), 270.0, pr)
        for day, _, item in events:
            while forks and forks[0][0] > day:
                fork_day, name = forks.pop(0)
                snapshots[name] = (tree.copy(), self.master_commits[-1].mark)
                self.forks[name] = self.at(fork_day)
            change = fillers.make(item[0], item[1], tree) if isinstance(item, tuple) else item
            for op in change.ops:
                tree.apply(op)
            pr += 1 + _h("pr-gap", pr) % 4
            self._commit_master(change, tree, sorted({op.path for op in change.ops}), day, pr)
        newest = self.forks[NEWEST_RELEASE_BRANCH]
        for kind, scope in (("chore", "deps"), ("ci", None)):  # routine PRs merged without a milestone
            first = next(c for c in self.changes if c.stamp > newest and c.kind == kind and c.scope == scope)
            first.no_milestone = True
        for name, (_, actions) in _BRANCHES.items():
            self._replay_branch(name, *snapshots[name], actions)

    def _commit_master(self, change: _Change, tree: _Tree, paths: list[str], day: float, pr: int) -> None:
        change.pr, change.mark, change.stamp = pr, self._new_mark(), self.at(day)
        review = (1 + _h("review", pr) % 70) * 3600
        parent = self.master_commits[-1].mark if self.master_commits else None
        self.master_commits.append(_Commit(change.mark, "refs/heads/master", parent, change.author,
                                           change.stamp - review, change.stamp, change.message,
                                           {p: tree.render(p) for p in paths}))
        self.changes.append(change)
        if change.name:
            self.planned[change.name] = change

    def _replay_branch(self, branch: str, tree: _Tree, head: int, actions: list[tuple[float, tuple]]) -> None:
        pending: list[str] = []
        for day, action in actions:
            if action[0] == "tag":
                for spelled in action[1]:
                    name = spelled.rstrip("^")
                    self.tags.append(_Tag(name, head, spelled.endswith("^"), self.at(day)))
                    if "-" not in name.split("+")[0] and name.partition("+")[2] in ("", "driver"):
                        self.finals[name] = self.at(day)
                        if "+" not in name:
                            self.shipped_in.update(dict.fromkeys(pending, name))
                            pending.clear()
                continue
            _, plan, mode = action
            change = self.planned[plan]
            ops = change.ops
            if mode == "adjusted":  # planned fixes are one _Set: the branch gets another text for that line
                op = ops[0]
                if not isinstance(op, _Set):
                    raise TypeError(f"{plan}: only a one-line fix can be backported adjusted")
                ops = (_Set(op.path, op.block, op.idx, "\t" + _ALT[plan]),)
            for op in ops:
                tree.apply(op)
            master = next(c for c in self.master_commits if c.mark == change.mark)
            commit = _Commit(self._new_mark(), f"refs/heads/{branch}", head, change.author, master.author_time,
                             self.at(day), change.message, {op.path: tree.render(op.path) for op in ops},
                             change.mark if mode == "x" else None)
            self.branch_commits.append(commit)
            head = commit.mark
            pending.append(plan)

    def stream(self, commits: list[_Commit], tags: list[_Tag], shas: dict[int, str]) -> bytes:
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

    def forge(self) -> dict:
        return _Forge(self).build()


def _bump_patch(version: str, by: int = 1) -> str:
    major, minor, patch = version.split(".")
    return f"{major}.{minor}.{int(patch) + by}"


def _ident(kind: str, person: _Person, stamp: int) -> bytes:
    return f"{kind} {person.name} <{person.email}> {stamp} {person.tz}\n".encode()


def _data(text: str) -> bytes:
    raw = text.encode()
    return f"data {len(raw)}\n".encode() + raw + b"\n"


# --- the local forge ------------------------------------------------------------------------------------------------

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
        """One merged PR per master commit, titled by its subject, with the release it shipped in."""
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
            items.append(self._item(change.pr, "pr", change.headline, "closed", True, change.stamp,
                                    self._milestone_for(change), labels, change.author.login, body, created,
                                    change.stamp, self.h.shas.get(change.mark)))
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

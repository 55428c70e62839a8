"""The everyday PRs between the planned ones, and when they are merged."""

from __future__ import annotations

from cockpit.demo.changes import _Change
from cockpit.demo.content import (
    _DEPS,
    _FIXED_GUARDS,
    _GUARD,
    _MAIN,
    _PARSERS,
    _SCAP_FILES,
    _SINSP_FILES,
    _function,
    _slug,
)
from cockpit.demo.people import _ACTIVE, _BOT, _PEOPLE, _Person
from cockpit.demo.seed import _h
from cockpit.demo.tree import _Add, _Op, _Set, _Tree

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
_PATTERN = ("fix", "test", "new", "deps", "cleanup", "fix", "ci", "update", "test", "perf", "fix", "docs", "new",
            "build", "fix", "cleanup", "deps", "test", "update", "fix")
_ERAS = ((269.0, 236.3, 22), (235.7, 150.3, 56), (149.7, 72.3, 50), (71.7, 3.0, 30))


class _Routine:
    """Everyday PRs between the planned ones: features, fixes, tests, CI, dependency bumps. Each category walks its
    own list, so subjects stay unique; fixes edit earlier routine code, never the reserved blocks."""

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



def _bump_patch(version: str, by: int = 1) -> str:
    major, minor, patch = version.split(".")
    return f"{major}.{minor}.{int(patch) + by}"

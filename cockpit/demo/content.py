"""What the files say: code shapes, the reserved blocks fixes edit, CI jobs, and the initial tree."""

from __future__ import annotations

import re
from pathlib import Path

from cockpit.demo.seed import _h
from cockpit.demo.tree import _Add, _Tree

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


# --- the CI workflow's jobs and the actions dependabot bumps ------------------------------------------------------

_DEPS = {  # action -> (ci job block, line index, versions)
    "actions/checkout": ("job:build-libs", 3, ("4.1.0", "4.1.1", "4.1.2", "4.1.3", "4.1.4", "4.1.5", "4.1.6")),
    "actions/upload-artifact": ("job:test-drivers", 3, ("4.0.0", "4.1.0", "4.2.0", "4.3.0", "4.3.1", "4.3.3")),
    "actions/cache": ("job:format", 3, ("3.3.2", "3.3.3", "4.0.0", "4.0.1", "4.0.2")),
    "docker/setup-buildx-action": ("job:containers", 3, ("3.0.0", "3.1.0", "3.2.0", "3.3.0")),
    "github/codeql-action": ("job:codeql", 3, ("3.22.11", "3.23.0", "3.24.0", "3.24.5", "3.25.0")),
}
_CI_JOBS = {"job:build-libs": "build-libs", "job:test-drivers": "test-drivers", "job:format": "format",
            "job:containers": "containers", "job:codeql": "codeql"}


# --- the files routine work edits ---------------------------------------------------------------------------------

_SINSP_FILES = (_PARSERS, _THREADS, _CONTAINER, _EVENT, _SINSP, "userspace/libsinsp/utils.cpp")
_SCAP_FILES = (_PROCS, _SCAP_C, _CGROUP)


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

"""The story's script: the planned changes by day, and each release branch's tags and backports."""

from __future__ import annotations

from cockpit.demo.changes import (
    _Change,
    _fix,
    _kmod_api_change,
    _plugin_capability,
    _plugin_version,
    _syscall_support,
)
from cockpit.demo.content import _FILLERS, _KMOD, _PLUGIN, _SINSP, _function
from cockpit.demo.people import _DO, _FR, _GA, _HS, _LB, _ME, _PRM, _RI, _TN, _ZL
from cockpit.demo.tree import _Add, _Set

NEWEST_RELEASE_BRANCH = "release/0.25.x"
CONFLICTING_FIX = "fix(libsinsp): also skip thread infos with a negative tid in the sweep"
CLEAN_FIXES = (
    "fix(libscap): close the proc dir handle on early returns",
    "fix(userspace/libsinsp): handle empty container ids in the CRI response",
    "fix(libsinsp): use the memfd fd type for memfd_create",
    "fix(driver): handle a NULL mm in the kmod page fault tracepoint",
)


# The release branches: fork day, then (day, action) in time order. ("tag", names): a name ending in "^" is an
# annotated tag. ("bp", fix name, mode): mode same (rebase-style, patch-identical), adjusted (_ALT's line instead
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

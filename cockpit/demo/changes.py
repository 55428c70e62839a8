"""One merged PR (_Change) and the constructors of the planned kinds: fixes, syscalls, API bumps."""

from __future__ import annotations

from dataclasses import dataclass

from cockpit.demo.content import (
    _BPF,
    _FILLERS,
    _KMOD,
    _MAIN,
    _PLUGIN,
    _RESERVED,
    _SCAP_H,
    _TABLE,
    _function,
)
from cockpit.demo.people import _Person
from cockpit.demo.tree import _Add, _Op, _Set

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

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
    """One PR rebase-merged on master, as libs merges them: its conventional-commit headline, author, edits and
    release note. It lands one commit per step (`steps`: a subject and the indexes of its ops; by default one
    commit, the headline, with every op); no subject carries the PR number and no merge commit names it, so only
    the forge's association (forge.json's `"commits"`) links the commits to the PR."""

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
    steps: tuple[tuple[str, tuple[int, ...]], ...] = ()
    pr: int = 0
    mark: int = 0  # the last commit it landed (its merge_commit_sha after a rebase merge)
    marks: tuple[int, ...] = ()  # every commit it landed, oldest first
    stamp: int = 0

    @property
    def headline(self) -> str:
        scope = f"({self.scope})" if self.scope else ""
        return f"{self.kind}{scope}{'!' if self.breaking else ''}: {self.desc}"

    @property
    def subject(self) -> str:
        return self.headline

    def commits(self) -> list[tuple[str, tuple[_Op, ...]]]:
        """(subject, ops) of each commit the PR lands, oldest first."""
        if not self.steps:
            return [(self.subject, self.ops)]
        return [(subject, tuple(self.ops[i] for i in indexes)) for subject, indexes in self.steps]

    @property
    def release_note(self) -> str:
        if self.note:
            return self.note
        return self.headline if self.kind in _NOTE_KINDS or self.breaking else "NONE"

    @property
    def message(self) -> str:
        return self.message_of(self.subject)

    def message_of(self, subject: str) -> str:
        return f"{subject}\n\nSigned-off-by: {self.author.name} <{self.author.email}>\n"


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
    ), areas=("area/driver-kmod", "area/driver-bpf"), steps=(
        (f"new(driver): add the {name} events and their kmod filler", (0, 1)),
        (f"new(driver/bpf): add the {name} exit filler", (2,)),
        (f"chore(driver): bump SCHEMA_VERSION to {schema}", (3,)),
    ))


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
                   areas=("area/plugins",), steps=(
                       (f"new(userspace/plugin): add the {name} capability to the plugin API", (0,)),
                       (f"chore(userspace/plugin): bump the plugin API version to {'.'.join(map(str, version))}",
                        (1, 2, 3))))


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
    code = tuple(range(2, len(ops)))
    return _Change("update", "driver", desc, author, tuple(ops), ("area/driver-kmod", "area/libscap-engine-kmod"),
                   breaking=True, steps=((f"update(driver)!: {desc}", code),
                                         (f"chore(driver): bump API_VERSION to {api} and the scap minimum with it",
                                          (0, 1))))

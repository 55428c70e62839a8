"""cockpit.core.version_files: numbers out of driver/API_VERSION, SCHEMA_VERSION, plugin_api.h and scap.h."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cockpit.core.config import DEFAULT_API_TRIGGERS, DEFAULT_SCHEMA_TRIGGERS, VersionFilePaths
from cockpit.core.version_files import (
    VersionFiles,
    first_line_triple,
    matches_any,
    plugin_api_version,
    read_version_files,
    scap_minimum,
    triggered,
)
from cockpit.core.versions import Triple

PLUGIN_HEADER = """\
#pragma once

#include <stdint.h>

//
// API versions of this plugin framework
//
// todo(jasondellaluce): when/if major changes to v4, check and solve all todos
#define PLUGIN_API_VERSION_MAJOR 3
#define PLUGIN_API_VERSION_MINOR 10
#define PLUGIN_API_VERSION_PATCH 0

//
// Just some not so smart defines to retrieve plugin api version as string
//
#define QUOTE(str) #str
#define EXPAND_AND_QUOTE(str) QUOTE(str)
#define PLUGIN_API_VERSION PLUGIN_API_VERSION_MAJOR.PLUGIN_API_VERSION_MINOR.PLUGIN_API_VERSION_PATCH
"""

SCAP_HEADER = """\
#define SCAP_MINIMUM_DRIVER_API_VERSION PPM_API_VERSION(8, 0, 0)
#define SCAP_MINIMUM_DRIVER_SCHEMA_VERSION PPM_API_VERSION(2, 0, 0)
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8.0.0\n", Triple(8, 0, 0)),
        ("9.1.0", Triple(9, 1, 0)),
        ("2.20.1\nsecond line 1.2.3 is ignored\n", Triple(2, 20, 1)),
        ("2.20.1\r\n", Triple(2, 20, 1)),
        ("garbage\n8.0.0\n", None),  # only the first line counts
        ("", None),
        ("8.0\n", None),
        (None, None),
    ],
)
def test_first_line_triple(text, expected):
    assert first_line_triple(text) == expected


def test_plugin_api_version_from_real_header():
    assert plugin_api_version(PLUGIN_HEADER) == Triple(3, 10, 0)


def test_plugin_api_version_tolerates_spacing_and_custom_prefix():
    text = "  #  define  MY_API_MAJOR 1\n#define MY_API_MINOR\t2\n#define MY_API_PATCH 3 // comment\n"
    assert plugin_api_version(text, prefix="MY_API_") == Triple(1, 2, 3)
    assert plugin_api_version(text) is None


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "#define PLUGIN_API_VERSION_MAJOR 3\n#define PLUGIN_API_VERSION_MINOR 10\n",  # no PATCH
        "// #define PLUGIN_API_VERSION_MAJOR 3\n#define PLUGIN_API_VERSION_MINOR 1\n#define PLUGIN_API_VERSION_PATCH 0",
        "#define PLUGIN_API_VERSION_MAJOR x\n#define PLUGIN_API_VERSION_MINOR 1\n#define PLUGIN_API_VERSION_PATCH 0",
    ],
)
def test_plugin_api_version_missing(text):
    assert plugin_api_version(text) is None


def test_scap_minimum():
    assert scap_minimum(SCAP_HEADER, "SCAP_MINIMUM_DRIVER_API_VERSION") == Triple(8, 0, 0)
    assert scap_minimum(SCAP_HEADER, "SCAP_MINIMUM_DRIVER_SCHEMA_VERSION") == Triple(2, 0, 0)
    assert scap_minimum("#define X PPM_API_VERSION( 10 ,0, 1 )", "X") == Triple(10, 0, 1)
    assert scap_minimum(SCAP_HEADER, "SCAP_MINIMUM_DRIVER_OTHER") is None
    assert scap_minimum(None, "X") is None


def test_read_version_files_with_default_paths():
    paths = VersionFilePaths()
    texts = {
        "driver/API_VERSION": "9.1.0\n",
        "driver/SCHEMA_VERSION": "2.20.1\n",
        "userspace/plugin/plugin_api.h": PLUGIN_HEADER,
        "userspace/libscap/scap.h": SCAP_HEADER,
    }
    assert read_version_files(texts, paths, plugin_header_blob="abc123") == VersionFiles(
        api=Triple(9, 1, 0), schema=Triple(2, 20, 1), plugin_api=Triple(3, 10, 0),
        scap_min_api=Triple(8, 0, 0), scap_min_schema=Triple(2, 0, 0), plugin_header_blob="abc123",
    )
    assert read_version_files({}, paths) == VersionFiles()
    assert read_version_files({"driver/API_VERSION": None}, paths).api is None


@pytest.mark.parametrize(
    ("path", "api", "schema"),
    [
        ("userspace/libscap/engine/kmod/scap_kmod.c", True, False),
        ("userspace/libscap/engine/bpf/scap_bpf.c", True, False),
        ("userspace/libscap/engine/modern_bpf/scap_modern_bpf.c", True, False),
        ("userspace/libscap/engine/kmod_extra/x.c", False, False),  # `dir/**` is below dir only
        ("userspace/libscap/engine/kmod", False, False),
        ("userspace/libscap/engine/savefile/scap_savefile.c", False, False),
        ("driver/modern_bpf/maps/maps.h", True, False),
        ("driver/ppm_events_public.h", True, True),
        ("driver/syscall_table64.c", False, True),
        ("driver/syscall_compat_x86_64.h", False, True),
        ("driver/ppm_fillers.c", False, True),
        ("driver/bpf/fillers.h", False, True),
        ("driver/event_table.c", False, True),
        ("driver/event_stats.h", False, True),
        ("driver/main.c", False, False),
        ("xdriver/syscall_table64.c", False, False),
    ],
)
def test_default_triggers(path, api, schema):
    assert matches_any(path, DEFAULT_API_TRIGGERS) is api
    assert matches_any(path, DEFAULT_SCHEMA_TRIGGERS) is schema


def test_triggered_keeps_order_and_only_hits():
    paths = ["README.md", "driver/syscall_table64.c", "driver/main.c", "driver/event_table.c"]
    assert triggered(paths, DEFAULT_SCHEMA_TRIGGERS) == ["driver/syscall_table64.c", "driver/event_table.c"]
    assert triggered(iter(paths), iter(DEFAULT_SCHEMA_TRIGGERS)) == ["driver/syscall_table64.c",
                                                                     "driver/event_table.c"]
    assert triggered(paths, ()) == []


# --- properties -----------------------------------------------------------------------------------------------

@given(st.one_of(st.none(), st.text(), st.text(alphabet="0123456789.\n\r -x", max_size=20)))
def test_first_line_triple_never_raises(text):
    result = first_line_triple(text)
    assert result is None or isinstance(result, Triple)


@given(st.one_of(st.none(), st.text(),
                 st.lists(st.tuples(st.sampled_from(["MAJOR", "MINOR", "PATCH", "OTHER"]),
                                    st.text(alphabet="0123456789 x", max_size=4)), max_size=5)
                 .map(lambda parts: "\n".join(f"#define PLUGIN_API_VERSION_{k} {v}" for k, v in parts))))
def test_plugin_api_version_never_raises(text):
    result = plugin_api_version(text)
    assert result is None or isinstance(result, Triple)

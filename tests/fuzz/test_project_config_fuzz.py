"""`.cockpit.toml`, committed by the project being released: load_project_config on documents built from the real
keys with values of every TOML type (right and wrong), unknown keys, tables where values go and values where tables
go, numbers past int()'s digit limit, nesting past the recursion limit, broken syntax and arbitrary bytes.

The oracle is exact: a document whose keys are all known and whose values all have the right type loads, with
those values; any other document is refused with a one-line SettingsError."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cockpit.core.config import ForgeSettings, InfraRepo, ProjectConfig, Schedule, VersionFilePaths
from cockpit.core.phases import timeline
from cockpit.core.refnames import ref_name_problem
from cockpit.services.settings import PROJECT_FILE, SettingsError, load_project_config

from fuzzing import ANY_TOML, Raw, fuzz, one_line, optional_keys, toml_document, usually

TABLES: dict[str, type] = {"files": VersionFilePaths, "schedule": Schedule, "infra": InfraRepo,
                           "forge": ForgeSettings}
DAYS = st.integers(0, 3650)  # a schedule counts days before the due date


def right_value(default: Any) -> st.SearchStrategy[Any]:
    """A value of the type the setting's default has (a string where the default is None)."""
    if isinstance(default, bool):
        return st.booleans()
    if isinstance(default, int):
        return DAYS
    if isinstance(default, tuple):
        return st.lists(st.text(max_size=12), max_size=4)
    return st.text(max_size=16)


def table_of(cls: type) -> st.SearchStrategy[dict[str, Any]]:
    """Any subset of a settings table's keys, each value usually of the right type."""
    defaults = cls()
    return optional_keys(**{f.name: usually(right_value(getattr(defaults, f.name)), ANY_TOML)
                            for f in dataclasses.fields(cls) if f.name not in TABLES})


@st.composite
def project_document(draw: st.DrawFn) -> dict[str, Any]:
    doc = draw(table_of(ProjectConfig))
    for name, cls in TABLES.items():
        if draw(st.booleans()):
            doc[name] = draw(usually(table_of(cls), ANY_TOML))
    if draw(st.integers(0, 5)) == 0:  # an unknown key, at the top or in a table
        where = draw(st.sampled_from([doc, *(v for v in doc.values() if isinstance(v, dict))]))
        where[draw(st.text(min_size=1, max_size=8))] = draw(ANY_TOML)
    return doc


def well_typed(doc: dict[str, Any]) -> bool:
    """What the loader must accept: known keys only, each value of its default's type (int is not bool)."""
    def fits(cls: type, table: Any) -> bool:
        if not isinstance(table, dict):
            return False
        known = {f.name: getattr(cls(), f.name) for f in dataclasses.fields(cls)}
        for key, value in table.items():
            if key not in known or key in TABLES:
                return False
            default = known[key]
            if isinstance(default, tuple):
                ok = isinstance(value, list) and all(isinstance(v, str) and not isinstance(v, Raw) for v in value)
            elif isinstance(default, (bool, int)):
                ok = type(value) is type(default) and (isinstance(value, bool) or 0 <= value <= 3650)
            else:
                ok = isinstance(value, str) and not isinstance(value, Raw)
            if not ok:
                return False
        return True

    top = {k: v for k, v in doc.items() if k not in TABLES}
    return fits(ProjectConfig, top) and all(fits(TABLES[k], v) for k, v in doc.items() if k in TABLES) \
        and names_fit(doc)


def names_fit(doc: dict[str, Any]) -> bool:
    """Names that reach git's argv must be ones git takes, never options; file paths relative and plain."""
    remote, branch = doc.get("remote", "origin"), doc.get("default_branch")
    prefix = doc.get("release_branch_prefix", "release/")
    if ref_name_problem(remote) or ref_name_problem(f"refs/remotes/{remote}/x"):
        return False
    if branch is not None and (ref_name_problem(branch) or ref_name_problem(f"refs/heads/{branch}")):
        return False
    if ref_name_problem(f"refs/heads/{prefix}0.1.x"):
        return False
    files, infra = doc.get("files", {}), doc.get("infra", {})
    paths = [files[k] for k in ("api_version", "schema_version", "plugin_header", "scap_header") if k in files]
    paths += [infra["path"]] if "path" in infra else []
    return all(p and not p.startswith("-") and not any(c < " " or c == "\x7f" for c in p)
               and all(part not in ("", ".", "..") for part in p.split("/")) for p in paths)


def expected_config(doc: dict[str, Any]) -> ProjectConfig:
    def build(cls: type, table: dict[str, Any]) -> Any:
        return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in table.items() if k not in TABLES})

    nested = {k: build(cls, doc[k]) for k, cls in TABLES.items() if k in doc}
    return dataclasses.replace(build(ProjectConfig, doc), **nested)


def load(root: Path, content: str | bytes) -> ProjectConfig:
    path = root / PROJECT_FILE
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return load_project_config(root)


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("project")


@fuzz(200)
@given(doc=project_document())
def test_loads_exactly_the_well_typed_documents(root: Path, doc: dict[str, Any]) -> None:
    text = toml_document(doc)
    try:
        config = load(root, text)
    except SettingsError as exc:
        assert one_line(str(exc))
        assert not well_typed(doc), f"refused a well-typed document: {exc}\n{text}"
    else:
        assert well_typed(doc), f"accepted a document with unknown keys or wrong types:\n{text}"
        assert config == expected_config(doc)
        timeline(date(2026, 1, 1), config.schedule)  # a loaded schedule is usable


@st.composite
def broken_document(draw: st.DrawFn) -> bytes:
    """A document cut, spliced with junk, or junk alone."""
    text = toml_document(draw(project_document())).encode()
    cut = draw(st.integers(0, len(text)))
    junk = draw(st.one_of(st.binary(max_size=8), st.sampled_from([b"[", b"]]", b'"', b"=", b"\xff", b"\x00",
                                                                  b"[files]\n[files]\n", b"a.b = 1\na = 2\n"])))
    return draw(st.sampled_from([text[:cut], text[:cut] + junk + text[cut:], junk, text + junk]))


@fuzz(200)
@given(content=st.one_of(broken_document(), st.binary(max_size=60), st.text(max_size=60).map(str.encode)))
def test_any_bytes_load_or_explain(root: Path, content: bytes) -> None:
    try:
        config = load(root, content)
    except SettingsError as exc:
        assert one_line(str(exc))
    else:
        assert isinstance(config, ProjectConfig)


@pytest.mark.parametrize("content", [
    b"\xff\xfe",  # found: UnicodeDecodeError escaped (tomllib decodes after reading)
    b"remote = " + b"1" * 4301,  # found: int()'s digit-limit ValueError escaped
    b"api_triggers = " + b"[" * 2000 + b"]" * 2000,  # found: RecursionError escaped
    b"[schedule]\nfreeze_days = 100000000000",  # found: accepted, then timedelta overflowed in every phase view
    b"[schedule]\nfreeze_days = -1",
])
def test_found(root: Path, content: bytes) -> None:
    with pytest.raises(SettingsError) as caught:
        load(root, content)
    assert one_line(str(caught.value))


def test_an_empty_legacy_plugin_header_turns_the_fallback_off(root: Path) -> None:
    """Found by the fuzz run above: the one optional path may be empty (the service then asks git for no fallback);
    every other path must name a file."""
    assert load(root, '[files]\nlegacy_plugin_header = ""\n').files.legacy_plugin_header == ""
    with pytest.raises(SettingsError, match="plugin_header '' is not a relative path"):
        load(root, '[files]\nplugin_header = ""\n')

"""The user's config.toml (theme, editor, GitHub host, keymap): load_user_config on documents of the real keys with
values of every TOML type, keymaps of any shape, unknown keys, broken syntax and arbitrary bytes. As for the
project file, the oracle is exact: well-typed documents load with their values, the others raise one line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cockpit.services.settings import SettingsError, UserConfig, load_user_config

from fuzzing import ANY_TOML, Raw, fuzz, one_line, optional_keys, toml_document, usually

STRINGS = ("theme", "editor", "github_host")
BINDING = st.one_of(st.sampled_from(["cockpit.refresh", "cockpit.quit", "app.help"]), st.text(max_size=12))
KEYS = st.one_of(st.sampled_from(["f5", "ctrl+r", "r,f5", ""]), st.text(max_size=8))
USER_DOCUMENT = optional_keys(
    **{key: usually(st.text(max_size=16), ANY_TOML) for key in STRINGS},
    keymap=usually(st.dictionaries(BINDING, usually(KEYS, ANY_TOML), max_size=4), ANY_TOML),
    unknown=ANY_TOML,
)


def well_typed(doc: dict[str, Any]) -> bool:
    def text(value: Any) -> bool:
        return isinstance(value, str) and not isinstance(value, Raw)  # Raw: a number past int()'s digit limit

    keymap = doc.get("keymap", {})
    return ("unknown" not in doc and all(text(doc[k]) for k in STRINGS if k in doc)
            and isinstance(keymap, dict) and all(text(v) for v in keymap.values()))


@pytest.fixture(scope="module")
def path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("config") / "config.toml"


@fuzz(200)
@given(doc=USER_DOCUMENT)
def test_loads_exactly_the_well_typed_documents(path: Path, doc: dict[str, Any]) -> None:
    path.write_text(toml_document(doc), encoding="utf-8")
    try:
        config = load_user_config(path)
    except SettingsError as exc:
        assert one_line(str(exc)) and not well_typed(doc)
    else:
        assert well_typed(doc)
        assert config == UserConfig(**{k: doc[k] for k in STRINGS if k in doc},
                                    keymap=tuple(sorted(doc.get("keymap", {}).items())))


@fuzz(200)
@given(content=st.one_of(st.binary(max_size=60), USER_DOCUMENT.map(toml_document).map(str.encode),
                         st.tuples(USER_DOCUMENT.map(toml_document).map(str.encode), st.binary(max_size=4))
                         .map(lambda parts: parts[0][: len(parts[0]) // 2] + parts[1])))
def test_any_bytes_load_or_explain(path: Path, content: bytes) -> None:
    path.write_bytes(content)
    try:
        config = load_user_config(path)
    except SettingsError as exc:
        assert one_line(str(exc))
    else:
        assert isinstance(config, UserConfig) and all(isinstance(k, str) and isinstance(v, str)
                                                      for k, v in config.keymap)


def test_a_missing_file_is_the_defaults(path: Path) -> None:
    assert load_user_config(path.with_name("absent.toml")) == UserConfig()

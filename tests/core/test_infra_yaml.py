"""Adding a release branch to test-infra's Prow config: every byte but the added entry stays as it was (comments,
mixed sequence indentation, quoting, long lines), the entry looks like its neighbours, a second run changes
nothing, and a file that cannot take the entry safely is a one-line error."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from cockpit.core.infra_yaml import InfraYamlError, add_protected_branch

CONFIG = (Path(__file__).resolve().parent.parent / "data" / "test-infra-config.yaml").read_text()
ENTRY = '            "release/0.26.x":\n              protect: true\n'


def added_lines(before: str, after: str) -> list[str]:
    """The diff as +/- lines: anything but '+' lines means something else changed."""
    return [line for line in difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True))
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def test_adds_the_entry_after_the_last_release_branch_and_nothing_else() -> None:
    edit = add_protected_branch(CONFIG, "falcosecurity", "libs", "release/0.26.x")
    assert edit.changed and edit.path == "branch-protection.orgs.falcosecurity.repos.libs.branches"
    assert edit.entry == '"release/0.26.x":\n  protect: true\n'
    anchor = '            "release/0.25.x":\n              protect: true\n'
    assert edit.text == CONFIG.replace(anchor, anchor + ENTRY, 1)
    assert added_lines(CONFIG, edit.text) == ['+            "release/0.26.x":\n', "+              protect: true\n"]
    # the blank line and the comment that followed the last release entry still follow it
    assert ENTRY + "\n          # keep the driver branches below the release ones\n" in edit.text


def test_a_second_run_changes_nothing() -> None:
    once = add_protected_branch(CONFIG, "falcosecurity", "libs", "release/0.26.x")
    again = add_protected_branch(once.text, "falcosecurity", "libs", "release/0.26.x")
    assert not again.changed and again.text == once.text and again.entry == ""
    assert not add_protected_branch(CONFIG, "falcosecurity", "libs", "release/0.25.x").changed


def test_other_repositories_and_sections_are_untouched() -> None:
    edit = add_protected_branch(CONFIG, "falcosecurity", "falco", "release/0.37.x")
    assert added_lines(CONFIG, edit.text) == ['+            "release/0.37.x":\n', "+              protect: true\n"]
    assert edit.text.index('"release/0.37.x"') > edit.text.index('"release/0.36.x"')
    assert edit.text.index('"release/0.37.x"') < edit.text.index("        libs:")


def test_without_release_entries_it_goes_after_the_last_branch_in_the_documented_style() -> None:
    edit = add_protected_branch(CONFIG, "falcosecurity", "plugins", "release/0.1.x")
    assert added_lines(CONFIG, edit.text) == ['+            "release/0.1.x":\n', "+              protect: true\n"]
    assert "            master:\n              protect: true\n" + '            "release/0.1.x":' in edit.text


HEAD = ("branch-protection:\n  orgs:\n    falcosecurity:\n      repos:\n        libs:\n          branches:\n"
        "            master:\n              protect: true\n")


@pytest.mark.parametrize(("last", "added"), [
    ("            'release/0.25.x':\n              protect: true\n",
     ["            'release/0.26.x':\n", "              protect: true\n"]),
    ("            release/0.25.x:\n              protect: true\n",
     ["            release/0.26.x:\n", "              protect: true\n"]),
    ("            release/0.25.x:\n                  protect: true  # four deeper\n",
     ["            release/0.26.x:\n", "                  protect: true\n"]),
    ('            "release/0.25.x": {protect: true}\n', ['            "release/0.26.x": {protect: true}\n']),
])
def test_the_entry_copies_its_neighbours_quoting_and_indentation(last: str, added: list[str]) -> None:
    text = HEAD + last + "tide: {}\n"
    edit = add_protected_branch(text, "falcosecurity", "libs", "release/0.26.x")
    assert [line[1:] for line in added_lines(text, edit.text)] == added
    assert edit.text == HEAD + last + "".join(added) + "tide: {}\n"


def test_crlf_and_a_missing_final_newline_are_kept() -> None:
    text = "branch-protection:\r\n  orgs:\r\n    falcosecurity:\r\n      repos:\r\n        libs:\r\n" \
           "          branches:\r\n            \"release/0.25.x\":\r\n              protect: true"
    edit = add_protected_branch(text, "falcosecurity", "libs", "release/0.26.x")
    assert edit.text == text + '\r\n            "release/0.26.x":\r\n              protect: true\r\n'


@pytest.mark.parametrize(("text", "message"), [
    ("deck: [unclosed\n", "not valid YAML: "),
    ("a: 1\na: 2\n", "not valid YAML: found duplicate key"),
    ("", "the file is empty"),
    ("- a list\n", "the top level is not a mapping"),
    ("deck: {}\n", "the top level has no 'branch-protection'"),
    ("branch-protection:\n  orgs:\n    falcosecurity:\n      repos:\n        falco: {}\n",
     "branch-protection.orgs.falcosecurity.repos has no 'libs'"),
    ("branch-protection:\n  orgs:\n    falcosecurity:\n      repos:\n        libs:\n          protect: true\n",
     "branch-protection.orgs.falcosecurity.repos.libs has no 'branches'"),
    ("branch-protection:\n  orgs:\n    falcosecurity:\n      repos:\n        libs:\n          branches:\n",
     "is not a mapping of branches"),
    ("branch-protection:\n  orgs:\n    falcosecurity:\n      repos:\n        libs:\n"
     "          branches: {master: {protect: true}}\n", "is written in flow style"),
    ("branch-protection:\n  orgs:\n    falcosecurity:\n      repos:\n        libs:\n          branches:\n"
     "            release/0.26.x:\n              protect: false\n", "lists release/0.26.x without `protect: true`"),
])
def test_a_file_that_cannot_take_the_entry_is_a_one_line_error(text: str, message: str) -> None:
    with pytest.raises(InfraYamlError) as refused:
        add_protected_branch(text, "falcosecurity", "libs", "release/0.26.x")
    assert message in str(refused.value) and "\n" not in str(refused.value)


def test_a_dump_would_have_changed_the_real_layout() -> None:
    """Why the entry is inserted as text: ruamel's own round-trip dump re-indents this file's mixed sequences."""
    import io

    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.preserve_quotes = True
    out = io.StringIO()
    yaml.dump(yaml.load(CONFIG), out)
    assert out.getvalue() != CONFIG

"""Version strings and tag names: parse_version, parse_triple, classify and every check of check_release, on text
built from the pieces of SemVer itself (so most of it is a near miss), huge numbers and arbitrary text."""

from __future__ import annotations

import json

import semver
from hypothesis import example, given
from hypothesis import strategies as st

from cockpit.core.checks import SEVERITIES, Baseline, CheckResult, TargetState, check_release
from cockpit.core.config import ProjectConfig
from cockpit.core.lines import DRIVER, LIBS, TagInfo, classify
from cockpit.core.version_files import VersionFiles
from cockpit.core.versions import Triple, VersionError, parse_triple, parse_version

from fuzzing import NUMBERS, PUNCTUATION, fuzz, one_line, pieces

IDENTIFIER = st.one_of(
    st.sampled_from(["rc", "driver", "alpha", "0", "01", "x-y", "", "rc-1"]),
    NUMBERS.map(lambda n: "rc" + n),
    st.from_regex(r"\A[0-9A-Za-z-]{0,6}\Z"),
)
DOTTED = st.lists(IDENTIFIER, max_size=3).map(".".join)
BUILD = st.one_of(st.sampled_from(["driver", "driver-rc1", "driver.rc2", "DRIVER", "driver+driver"]), DOTTED)


@st.composite
def versionish(draw: st.DrawFn) -> str:
    """`[v]MAJOR.MINOR.PATCH[-PRE][+BUILD]`, each part right or slightly wrong, and now and then a stray tail."""
    prefix = draw(st.sampled_from(["", "", "", "v", "V", " "]))
    core = ".".join(draw(st.lists(NUMBERS, min_size=1, max_size=4)))
    pre = draw(st.one_of(st.none(), DOTTED))
    build = draw(st.one_of(st.none(), BUILD))
    tail = draw(st.one_of(st.just(""), PUNCTUATION))
    return prefix + core + ("" if pre is None else "-" + pre) + ("" if build is None else "+" + build) + tail


REGULAR = st.one_of(
    st.builds(lambda m, p, rc: f"0.{m}.{p}" + (f"-rc{rc}" if rc else ""), st.integers(0, 30), st.integers(0, 3),
              st.integers(0, 3)),
    st.builds(lambda M, m, p, rc: f"{M}.{m}.{p}" + (f"-rc{rc}" if rc else "") + "+driver", st.integers(1, 12),
              st.integers(0, 3), st.integers(0, 3), st.integers(0, 3)),
)
VERSION_TEXT = st.one_of(versionish(), REGULAR, st.text(max_size=30),
                         pieces(NUMBERS, PUNCTUATION, IDENTIFIER, st.text(max_size=3)))


@fuzz(300)
@given(VERSION_TEXT)
def test_parse_version_round_trips_or_explains(text: str) -> None:
    """A version is exactly the text it came from (tag names are `str(version)`), or a one-line VersionError."""
    try:
        version = parse_version(text)
    except VersionError as exc:
        assert one_line(str(exc))
    else:
        assert str(version) == text


@fuzz(300)
@given(VERSION_TEXT)
@example("0.1.0-rc" + "1" * 4400)  # found: TagInfo.rc raised int()'s digit-limit ValueError
def test_classify_never_raises(name: str) -> None:
    """Any tag name classifies, and every property the reports read answers."""
    info = classify(name)
    assert info.name == name
    assert isinstance(info.prerelease, bool) and isinstance(info.regular, bool) and isinstance(info.is_release, bool)
    assert info.rc is None or (isinstance(info.rc, int) and info.rc >= 0)
    if info.irregular is not None:
        assert info.version is not None and one_line(info.irregular)
    if info.line is not None:
        assert info.line in (LIBS, DRIVER) and info.version is not None
    if info.regular:
        assert str(info.version) == name
        if info.line == LIBS:
            assert info.version.major == 0 and info.version.build is None
        else:
            assert info.version.major >= 1 and info.version.build == "driver"


TRIPLE_TEXT = st.one_of(
    st.builds(lambda a, b, c, lead, tail: f"{lead}{a}.{b}.{c}{tail}", NUMBERS, NUMBERS, NUMBERS,
              st.sampled_from(["", " ", "\t", "\n", "v"]), st.sampled_from(["", " ", "\r\n", "\n\n", "\t", ".0", "x"])),
    pieces(NUMBERS, PUNCTUATION, max_parts=7),
    st.text(max_size=20),
)


@fuzz(300)
@given(TRIPLE_TEXT)
@example("0.0." + "1" * 4301)  # found: a bare ValueError instead of VersionError
def test_parse_triple(text: str) -> None:
    """X.Y.Z of the version files: a Triple that prints back to its numbers, or a one-line VersionError."""
    try:
        triple = parse_triple(text)
    except VersionError as exc:
        assert one_line(str(exc))
    else:
        assert min(triple.major, triple.minor, triple.patch) >= 0
        assert parse_triple(str(triple)) == triple


# --- check_release on arbitrary versions among arbitrary tags -------------------------------------------------

SHA = st.binary(min_size=20, max_size=20).map(bytes.hex)
TRIPLES = st.one_of(st.none(), st.builds(Triple, st.integers(0, 20), st.integers(0, 20), st.integers(0, 20)))
FILES = st.builds(VersionFiles, TRIPLES, TRIPLES, TRIPLES, TRIPLES, TRIPLES, st.one_of(st.none(), SHA))
TAGS = st.lists(st.one_of(REGULAR, versionish()), max_size=12).map(lambda names: tuple(classify(n) for n in names))
BRANCH = st.one_of(st.none(), st.sampled_from(["release/0.2.x", "release/0.10.x", "release/1.0.x", "master"]),
                   pieces(st.just("release/"), NUMBERS, PUNCTUATION, st.just(".x")))
PATHS = st.lists(st.sampled_from(["driver/ppm_fillers.c", "driver/syscall_x.c", "userspace/plugin/plugin_api.h",
                                  "userspace/libscap/engine/bpf/a.c", "README.md"]), max_size=4)


def release_of(line: str) -> st.SearchStrategy[TagInfo]:
    """A previous release, as reports.previous_release would find one: a regular final of the line."""
    if line == LIBS:
        return st.builds(lambda m, p: classify(f"0.{m}.{p}"), st.integers(0, 30), st.integers(0, 3))
    return st.builds(lambda M, m: classify(f"{M}.{m}.0+driver"), st.integers(1, 12), st.integers(0, 3))


@st.composite
def target_state(draw: st.DrawFn, tags: tuple[TagInfo, ...]) -> TargetState:
    commit = draw(SHA)
    heads = st.one_of(st.none(), st.just(commit), SHA)
    return TargetState(
        ref=draw(st.one_of(BRANCH.filter(bool), st.just("HEAD"))), commit=commit, branch=draw(BRANCH),
        branch_local_head=draw(heads), branch_remote_head=draw(heads),
        branch_tags=tuple(draw(st.lists(st.sampled_from(tags), max_size=4))) if tags else (),
        worktree_dirty=tuple(draw(st.lists(st.text(max_size=10), max_size=3))),
        remote_tags=draw(st.one_of(st.none(), st.just(frozenset(t.name for t in tags)))),
        remote_error=draw(st.one_of(st.none(), st.just("offline"))), files=draw(FILES),
        default_branch=draw(st.sampled_from(["master", "main"])),
    )


@fuzz(200)
@given(data=st.data(), line=st.sampled_from([LIBS, DRIVER, LIBS, DRIVER, "plugins"]), text=VERSION_TEXT, tags=TAGS,
       prefix=st.sampled_from(["release/", "rel-", ""]))
def test_check_release_answers_every_input(data: st.DataObject, line: str, text: str, tags: tuple[TagInfo, ...],
                                           prefix: str) -> None:
    """Every check answers, with a severity and a message; a text that is no version stops at semver.valid."""
    state = data.draw(target_state(tags))
    base = Baseline(data.draw(st.one_of(st.none(), release_of(line) if line in (LIBS, DRIVER) else st.none())),
                    data.draw(st.one_of(st.none(), FILES)), tuple(data.draw(PATHS)))
    results = check_release(line, text, tags, state, base, ProjectConfig(release_branch_prefix=prefix))
    assert results and all(isinstance(r, CheckResult) and r.severity in SEVERITIES for r in results)
    json.dumps([r.as_dict() for r in results])
    if line not in (LIBS, DRIVER):
        assert [r.id for r in results] == ["line.known"]
        return
    assert results[0].id == "semver.valid"
    if not results[0].ok:
        assert len(results) == 1 and results[0].blocks and one_line(results[0].message)
    else:
        assert isinstance(parse_version(text), semver.Version)


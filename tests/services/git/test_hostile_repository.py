"""A repository is data: hostile names, commit text, tags and config never steer git or break a parse."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cockpit.core.config import ProjectConfig
from cockpit.services.git import GitError, GitService
from cockpit.services.settings import SettingsError, load_project_config

from builders import RepoBuilder

pytestmark = pytest.mark.security


def test_commit_text_with_separators_parses_exactly(repo: RepoBuilder) -> None:
    """\\x1e and \\x1f were the old field and record separators: a subject or an author holding them stays intact."""
    repo.commit("base", {"a": "1"})
    subject = "fix:\x1e odd\x1f subject\twith tab"
    repo.git("commit", "--allow-empty", "-q", "--author", "Eve\x1fX <eve@example.com>", "-m",
             f"{subject}\n\nbody \x1e line")
    commits = GitService(repo.clone).commits("HEAD", body=True)
    assert [c.subject for c in commits] == [subject, "base"]
    assert commits[0].author == "Eve\x1fX" and commits[0].body.startswith(subject)
    assert all(len(c.sha) == 40 for c in commits)


def test_tags_on_trees_and_blobs_are_never_releases(repo: RepoBuilder) -> None:
    repo.commit("base", {"driver/API_VERSION": "8.0.0\n"})
    repo.tag("0.25.1")
    repo.git("tag", "0.99.0", "HEAD^{tree}")
    blob = repo.git("rev-parse", "HEAD:driver/API_VERSION").strip()
    repo.git("tag", "-a", "-m", "blob", "99.0.0+driver", blob)
    snap = GitService(repo.clone).refs()
    assert [t.name for t in snap.tags] == ["0.25.1"]
    assert sorted(snap.non_commit_tags) == [("0.99.0", "tree"), ("99.0.0+driver", "blob")]


def test_a_path_naming_a_tree_never_shifts_the_other_answers(repo: RepoBuilder) -> None:
    repo.commit("base", {"driver/API_VERSION": "8.0.0\n", "driver/SCHEMA_VERSION": "2.0.0\n"})
    found = GitService(repo.clone).read_files("HEAD", ["driver", "nope", "a\nb", "driver/SCHEMA_VERSION"])
    assert found["driver"] is None and found["nope"] is None and found["a\nb"] is None
    assert found["driver/SCHEMA_VERSION"] is not None and found["driver/SCHEMA_VERSION"][1] == "2.0.0\n"


@pytest.mark.parametrize("remote", ["--upload-pack=touch MARK;git-upload-pack", "-oops"])
def test_a_remote_that_reads_as_an_option_never_reaches_git(repo: RepoBuilder, tmp_path: Path, remote: str) -> None:
    repo.commit("base", {"a": "1"})
    mark = tmp_path / "ran"
    name = remote.replace("MARK", str(mark))
    git = GitService(repo.clone, ProjectConfig(remote=name))
    for call in (lambda: git.ls_remote(["refs/heads/master"]), git.remote_tags, git.remote_url,
                 lambda: git.push_atomic(["refs/heads/master"])):
        with pytest.raises(GitError, match="not a valid remote name"):
            call()
    assert not mark.exists()


def test_a_ref_that_reads_as_an_option_is_refused(repo: RepoBuilder) -> None:
    repo.commit("base", {"a": "1"})
    with pytest.raises(GitError, match="not a valid git name"):
        GitService(repo.clone).ls_remote(["--upload-pack=x"])


def test_credentials_in_the_remote_url_are_not_shown(repo: RepoBuilder) -> None:
    repo.git("remote", "set-url", "origin", "https://user:s3cret@example.invalid/o/r.git")
    git = GitService(repo.clone)
    assert git.remote_url_display() == "https://***@example.invalid/o/r.git"
    with pytest.raises(GitError) as failed:
        git.ls_remote(["refs/heads/master"])
    assert "s3cret" not in str(failed.value)


@pytest.mark.parametrize(("text", "message"), [
    ('remote = "--upload-pack=touch /tmp/x;git-upload-pack"', "remote '--upload-pack"),
    ('remote = "-oops"', "starts with '-'"),
    ('default_branch = "--orphan"', "default_branch"),
    ('release_branch_prefix = "rel ease/"', "release_branch_prefix"),
    ('release_branch_prefix = "--output=x/"', "release_branch_prefix '--output=x/0.1.x'.*starts with '-'"),
    ('[files]\napi_version = "../../etc/passwd"', "api_version"),
    ('[files]\napi_version = ".git/config"', "api_version '.git/config' is not a relative path inside"),
    ('[files]\nscap_header = "driver/.GIT/hooks/post-checkout"', "scap_header"),
    ('[files]\nschema_version = "a\\nb"', "schema_version"),
])
def test_a_committed_config_naming_an_option_is_refused(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / ".cockpit.toml").write_text(text + "\n")
    with pytest.raises(SettingsError, match=message) as refused:
        load_project_config(tmp_path)
    assert ".cockpit.toml" in str(refused.value)


def test_a_config_that_is_a_device_a_fifo_or_huge_is_refused(tmp_path: Path) -> None:
    config = tmp_path / ".cockpit.toml"
    config.symlink_to("/dev/zero")
    with pytest.raises(SettingsError, match="not a regular file"):
        load_project_config(tmp_path)
    config.unlink()
    os.mkfifo(config)
    with pytest.raises(SettingsError, match="not a regular file"):
        load_project_config(tmp_path)  # returns at once: opening a fifo never waits for a writer
    config.unlink()
    config.write_text("# " + "x" * (1024 * 1024) + "\n")
    with pytest.raises(SettingsError, match="larger than"):
        load_project_config(tmp_path)


def test_files_by_commit_keeps_odd_paths_and_empty_commits(repo: RepoBuilder) -> None:
    base = repo.commit("base", {"a": "1"})
    odd = repo.commit("odd paths", {"we\x1eird": "x", "f 2": "y", "0" * 40: "z", "\nlead": "w"})
    empty = repo.git("commit", "--allow-empty", "-q", "-m", "nothing") or repo.head()
    git = GitService(repo.clone)
    files = git.files_by_commit(f"{base}..HEAD")
    assert files[odd] == frozenset({"we\x1eird", "f 2", "0" * 40, "\nlead"})
    assert files[repo.head()] == frozenset() and empty
    assert git.files_by_commit(odd, base, exact=True) == {odd: files[odd], base: frozenset({"a"})}
    assert set(git.files_by_commit("HEAD", paths=["f 2"])) == {odd}


def test_only_full_branch_and_tag_refs_are_pushed(repo: RepoBuilder) -> None:
    """`+refs/heads/x` is a valid ref name, but as a refspec its `+` would force the push."""
    repo.commit("base", {"a": "1"})
    git = GitService(repo.clone)
    for ref in ("+refs/heads/master", "master", "HEAD", "refs/remotes/origin/master"):
        with pytest.raises(GitError, match="only branches and tags are pushed"):
            git.push_atomic([ref])
    git.push_atomic(["refs/heads/master"])
    assert git.ls_remote(["refs/heads/master"]) == {"refs/heads/master": repo.head()}


def test_an_oversized_version_file_is_not_read(repo: RepoBuilder) -> None:
    repo.commit("base", {"driver/API_VERSION": "8.0.0\n" + "x" * (1024 * 1024), "driver/SCHEMA_VERSION": "2.0.0\n"})
    found = GitService(repo.clone).read_files("HEAD", ["driver/API_VERSION", "driver/SCHEMA_VERSION"])
    assert found["driver/API_VERSION"] is None and found["driver/SCHEMA_VERSION"] is not None


@pytest.mark.parametrize("path", ["../../../victim/repo/collaborators/x", "config/../../x", "/etc/x", "a//b", "./a"])
def test_an_infra_path_that_walks_out_of_the_repository_is_refused(tmp_path: Path, path: str) -> None:
    (tmp_path / ".cockpit.toml").write_text(f'[infra]\npath = "{path}"\n')
    with pytest.raises(SettingsError, match=r"\[infra\] path"):
        load_project_config(tmp_path)


def test_a_blob_larger_than_a_version_file_is_refused_before_it_is_read(repo: RepoBuilder) -> None:
    repo.commit("base", {"driver/API_VERSION": "8.0.0\n" + "x" * (1024 * 1024)})
    git = GitService(repo.clone)
    blob = git.blob_at("HEAD", "driver/API_VERSION")
    assert blob is not None
    with pytest.raises(GitError, match="larger than 1024 KiB: not a version file"):
        git.blob_bytes(blob)
    assert git.blob_bytes(blob, limit=2 * 1024 * 1024).startswith(b"8.0.0\n")


def test_a_branch_on_a_blob_is_no_release_branch(repo: RepoBuilder) -> None:
    repo.commit("base", {"driver/API_VERSION": "8.0.0\n"})
    blob = repo.git("rev-parse", "HEAD:driver/API_VERSION").strip()
    repo.git("update-ref", "refs/remotes/origin/release/0.31.x", blob)  # git refuses it under refs/heads only
    git = GitService(repo.clone)
    snap = git.refs()
    assert "release/0.31.x" not in snap.remote_branches
    assert git.release_branch_names(snap) == []

"""The loopback GitHub emulator, driven by the real PyGithub client over real HTTP.

Every response the emulator sends in these tests is validated against GitHub's own OpenAPI schemas
(../shared/github/openapi-subset.json); the `emu` fixture fails a test whose traffic broke them.
"""

from __future__ import annotations

import json
import math
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import github
import pytest
import requests
from github import GithubException, GithubRetry

from github_emulator import Fault, GitHubEmulator, schema_book, serve_validated
from github_emulator.render import Renderer
from github_emulator.routing import ROUTER

REPO = "falcosecurity/libs"
LIBS = f"/repos/{REPO}"


@pytest.fixture
def emu() -> Iterator[GitHubEmulator]:
    """A started emulator; at teardown every response it sent must have been validated, cleanly."""
    yield from serve_validated(slow_seconds=1.5)


@pytest.fixture
def gh(emu: GitHubEmulator) -> github.Github:
    return emu.client(per_page=5, timeout=5)


def raw(emu: GitHubEmulator, path: str, *, method: str = "GET", token: str | None = "default", body: Any = None,
        headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], Any]:
    """A plain urllib request (no PyGithub), for headers and statuses PyGithub hides."""
    url = path if path.startswith("http") else emu.base_url + path
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers=dict(headers or {}))
    if token:
        request.add_header("Authorization", f"token {emu.token if token == 'default' else token}")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            payload = response.read()
            return response.status, dict(response.headers), json.loads(payload) if payload else None
    except urllib.error.HTTPError as error:
        payload = error.read()
        return error.code, dict(error.headers), json.loads(payload) if payload else None


# ---- server basics -----------------------------------------------------------------------------------------------
def test_emulator_serves_github_under_api_v3_on_loopback(emu: GitHubEmulator) -> None:
    assert emu.base_url == f"http://127.0.0.1:{emu.port}/api/v3" and emu.port > 0
    status, headers, body = raw(emu, LIBS)
    assert status == 200 and body["full_name"] == REPO
    assert body["url"] == f"{emu.base_url}{LIBS}" and body["html_url"] == f"{emu.web_url}/{REPO}"
    assert headers["Content-Type"].startswith("application/json")


def test_emulator_unknown_route_is_github_404_and_flagged() -> None:
    with GitHubEmulator() as emu:
        status, _, body = raw(emu, "/repos/falcosecurity/libs/not-an-endpoint")
        assert status == 404
        assert body == {"message": "Not Found", "documentation_url": "https://docs.github.com/rest", "status": "404"}
        assert [v.kind for v in emu.violations] == ["endpoint"]


def test_emulator_routes_every_endpoint_of_the_schema_subset() -> None:
    documented = set(schema_book().endpoints)
    assert len(documented) == 31
    assert set(ROUTER.routes) == documented


def test_github_repository_reports_permissions_per_token(emu: GitHubEmulator, gh: github.Github) -> None:
    emu.add_token("ghp_reader", login="reader", push=False)
    assert gh.get_repo(REPO).permissions.push is True
    assert gh.get_repo(REPO).default_branch == "master"
    reader = emu.client("ghp_reader")
    assert reader.get_repo(REPO).permissions.push is False
    with pytest.raises(github.UnknownObjectException):
        gh.get_repo("falcosecurity/nope")


def test_github_authenticated_user_and_oauth_scopes(emu: GitHubEmulator, gh: github.Github) -> None:
    assert gh.get_user().login == "octocat"
    assert gh.oauth_scopes == ["repo", "workflow"]
    _, headers, _ = raw(emu, "/user")
    assert headers["X-OAuth-Scopes"] == "repo, workflow"


def test_emulator_bearer_and_anonymous_auth(emu: GitHubEmulator) -> None:
    assert raw(emu, LIBS, token=None, headers={"Authorization": f"Bearer {emu.token}"})[0] == 200
    status, headers, _ = raw(emu, LIBS, token=None)
    assert status == 200 and headers["X-RateLimit-Limit"] == "60"
    status, _, body = raw(emu, f"{LIBS}/issues", method="POST", token=None, body={"title": "x"})
    assert (status, body["message"]) == (401, "Requires authentication")


# ---- milestones ----------------------------------------------------------------------------------------------------
def test_github_lists_milestones_by_state_and_due_date(emu: GitHubEmulator, gh: github.Github) -> None:
    emu.add_milestone("0.27.0", due_on="2025-09-01")
    emu.add_milestone("0.26.0", due_on="2025-06-01")
    emu.add_milestone("someday")
    emu.add_milestone("0.25.0", state="closed", due_on="2025-03-01")
    repo = gh.get_repo(REPO)
    assert [m.title for m in repo.get_milestones()] == ["0.26.0", "0.27.0", "someday"]
    assert [m.title for m in repo.get_milestones(state="closed")] == ["0.25.0"]
    assert len(list(repo.get_milestones(state="all"))) == 4
    assert repo.get_milestone(2).due_on == datetime(2025, 6, 1, tzinfo=UTC)


def test_github_creates_milestone_and_duplicate_title_is_422(emu: GitHubEmulator, gh: github.Github) -> None:
    repo = gh.get_repo(REPO)
    created = repo.create_milestone("0.26.0", description="next", due_on=date(2025, 6, 1))
    assert (created.number, created.state, created.creator.login) == (1, "open", "octocat")
    assert emu.milestone("0.26.0").due_on == datetime(2025, 6, 1, tzinfo=UTC)
    with pytest.raises(GithubException) as failure:
        repo.create_milestone("0.26.0")
    assert failure.value.status == 422
    assert failure.value.data["errors"] == [{"resource": "Milestone", "code": "already_exists", "field": "title"}]


def test_github_updates_milestone_title_state_and_due_date(emu: GitHubEmulator, gh: github.Github) -> None:
    emu.add_milestone("0.26.0")
    milestone = gh.get_repo(REPO).get_milestone(1)
    milestone.edit("0.26.0-renamed", state="closed", due_on=date(2025, 7, 1))  # PyGithub sends a bare date
    stored = emu.milestone(1)
    assert (stored.title, stored.state, stored.due_on) == ("0.26.0-renamed", "closed", datetime(2025, 7, 1,
                                                                                                   tzinfo=UTC))
    assert stored.closed_at is not None and milestone.state == "closed"


def test_emulator_derives_milestone_counts_from_items(emu: GitHubEmulator, gh: github.Github) -> None:
    m = emu.add_milestone("0.26.0")
    emu.add_pull("merged", milestone=m)
    emu.add_pull("open", merged=False, milestone=m)
    emu.add_issue("bug", milestone=m)
    emu.add_issue("elsewhere")
    milestone = gh.get_repo(REPO).get_milestone(m.number)
    assert (milestone.open_issues, milestone.closed_issues) == (2, 1)


# ---- issues, paging -------------------------------------------------------------------------------------------------
def test_github_issues_by_milestone_cost_one_request_per_page(emu: GitHubEmulator, gh: github.Github) -> None:
    m = emu.add_milestone("0.26.0")
    for n in range(13):
        emu.add_pull(f"fix {n}", milestone=m, merged=n % 3 != 0)
    emu.add_issue("not in the milestone")
    repo = gh.get_repo(REPO)
    emu.clear_requests()
    items = list(repo.get_issues(milestone=repo.get_milestone(m.number), state="all"))
    assert len(items) == 13 and all(i.pull_request is not None for i in items)
    assert sum(i.pull_request.merged_at is not None for i in items) == 8
    pages = emu.find_requests("GET", f"{LIBS}/issues")
    assert len(pages) == math.ceil(13 / 5)
    for number, page in enumerate(pages, start=1):
        assert dict(page.query) == {"milestone": str(m.number), "state": "all", "per_page": "5",
                                    **({"page": str(number)} if number > 1 else {})}


def test_emulator_link_header_repeats_every_query_parameter(emu: GitHubEmulator) -> None:
    for n in range(20):
        emu.add_issue(f"issue {n}", labels=["kind/bug"])
    query = "labels=kind%2Fbug&state=all&sort=created&direction=asc&per_page=5&page=2"
    _, headers, body = raw(emu, f"{LIBS}/issues?{query}")
    assert [i["title"] for i in body] == [f"issue {n}" for n in range(5, 10)]
    links = {}
    for part in headers["Link"].split(", "):
        url, rel = part.split("; ")
        links[rel.removeprefix('rel="').rstrip('"')] = url.strip("<>")
    assert set(links) == {"prev", "next", "last", "first"}
    for rel, page in {"prev": "1", "next": "3", "last": "4", "first": "1"}.items():
        url = urlsplit(links[rel])
        assert f"{url.scheme}://{url.netloc}{url.path}" == f"{emu.base_url}{LIBS}/issues"
        assert dict(parse_qsl(url.query)) == {"labels": "kind/bug", "state": "all", "sort": "created",
                                              "direction": "asc", "per_page": "5", "page": page}
    assert "rel=\"next\"" not in raw(emu, f"{LIBS}/issues?state=all&per_page=5&page=4")[1]["Link"]


def test_emulator_per_page_defaults_to_30_and_caps_at_100(emu: GitHubEmulator) -> None:
    for n in range(105):
        emu.add_issue(f"issue {n}")
    assert len(raw(emu, f"{LIBS}/issues")[2]) == 30
    assert len(raw(emu, f"{LIBS}/issues?per_page=500")[2]) == 100
    assert len(raw(emu, f"{LIBS}/issues?per_page=100&page=2")[2]) == 5


def test_github_issue_filters_milestone_none_any_labels_since(emu: GitHubEmulator, gh: github.Github) -> None:
    m = emu.add_milestone("0.26.0")
    emu.add_issue("old", milestone=m, created_at="2024-01-01T00:00:00Z", labels=["area/build"])
    emu.add_issue("new", created_at="2025-01-01T00:00:00Z", labels=["area/build", "kind/bug"])
    emu.add_issue("closed", state="closed", milestone=m, created_at="2025-02-01T00:00:00Z")
    repo = gh.get_repo(REPO)
    assert [i.title for i in repo.get_issues(milestone="none")] == ["new"]
    assert [i.title for i in repo.get_issues(milestone="*", state="all")] == ["closed", "old"]
    assert [i.title for i in repo.get_issues(labels=["area/build", "kind/bug"])] == ["new"]
    assert [i.title for i in repo.get_issues(state="all", since=datetime(2024, 6, 1, tzinfo=UTC))] == ["closed", "new"]
    assert [i.title for i in repo.get_issues(state="closed")] == ["closed"]
    assert [i.title for i in repo.get_issues(sort="created", direction="asc")] == ["old", "new"]


def test_github_gets_and_patches_issue(emu: GitHubEmulator, gh: github.Github) -> None:
    m1, m2 = emu.add_milestone("0.26.0"), emu.add_milestone("0.27.0")
    number = emu.add_issue("bug", milestone=m1).number
    issue = gh.get_repo(REPO).get_issue(number)
    issue.edit(title="Bug!", body="details", labels=["kind/bug"], milestone=gh.get_repo(REPO).get_milestone(2))
    assert (issue.title, issue.milestone.title, [label.name for label in issue.labels]) == ("Bug!", "0.27.0",
                                                                                           ["kind/bug"])
    issue.edit(state="closed")
    stored = emu.issue(number)
    assert (stored.state, stored.state_reason, stored.closed_by, stored.milestone) == ("closed", "completed",
                                                                                      "octocat", m2.number)
    issue.edit(milestone=None)  # PyGithub sends "milestone": "" to clear it
    assert emu.issue(number).milestone is None


def test_github_milestone_change_without_push_is_silently_ignored(emu: GitHubEmulator) -> None:
    emu.add_token("ghp_outsider", login="outsider", push=False)
    emu.add_milestone("0.26.0")
    emu.add_milestone("0.27.0")
    number = emu.add_pull("fix", milestone="0.26.0").number
    outsider = emu.client("ghp_outsider")
    repo = outsider.get_repo(REPO)
    issue = repo.get_issue(number)
    issue.edit(milestone=repo.get_milestone(2))  # 200, no error...
    assert issue.milestone.title == "0.26.0"  # ...and the returned issue still says 0.26.0
    assert emu.issue(number).milestone == 1
    assert emu.requests_count("PATCH", f"{LIBS}/issues/{number}", status=200) == 1


def test_github_creates_issue_comments_and_labels(emu: GitHubEmulator, gh: github.Github) -> None:
    emu.add_milestone("0.26.0")
    repo = gh.get_repo(REPO)
    issue = repo.create_issue("[Tracking] Release 0.26.0", body="checklist", milestone=repo.get_milestone(1),
                              labels=["release"])
    assert (issue.number, issue.milestone.number, issue.user.login) == (1, 1, "octocat")
    comment = issue.create_comment("Freeze starts today")
    assert comment.body == "Freeze starts today" and comment.html_url.startswith(emu.web_url)
    issue.add_to_labels("area/build")  # PyGithub posts a bare array: GitHub (and the emulator) accept it
    assert emu.issue(1).labels == ["release", "area/build"]
    assert [c.body for c in emu.issue(1).comments] == ["Freeze starts today"]
    assert emu.find_requests("POST", f"{LIBS}/issues/1/labels")[0].body == ["area/build"]


# ---- pulls, releases ----------------------------------------------------------------------------------------------
def test_github_gets_lists_and_creates_pull_requests(emu: GitHubEmulator, gh: github.Github) -> None:
    emu.add_milestone("0.26.0")
    emu.add_pull("merged fix", milestone="0.26.0", labels=["kind/bug"], user="dev")
    emu.add_pull("open fix", merged=False)
    emu.add_branch("release/0.26.x")
    emu.add_branch("backport-1")
    emu.add_commit("fix: backported", branch="backport-1", files={"a.c": "fixed"})
    repo = gh.get_repo(REPO)
    merged = repo.get_pull(1)
    assert (merged.merged, merged.milestone.title, merged.user.login, merged.state) == (True, "0.26.0", "dev",
                                                                                       "closed")
    assert [p.title for p in repo.get_pulls()] == ["open fix"]
    assert [p.number for p in repo.get_pulls(state="all")] == [2, 1]
    created = repo.create_pull(base="release/0.26.x", head="backport-1", title="[0.26.x] fix", body="backport")
    assert (created.number, created.base.ref, created.head.ref, created.merged) == (3, "release/0.26.x",
                                                                                   "backport-1", False)
    with pytest.raises(GithubException) as duplicate:
        repo.create_pull(base="release/0.26.x", head="backport-1", title="again")
    assert duplicate.value.status == 422
    assert "already exists" in duplicate.value.data["errors"][0]["message"]
    with pytest.raises(GithubException) as empty:
        repo.create_pull(base="master", head="release/0.26.x", title="nothing")
    assert empty.value.data["errors"][0]["message"] == "No commits between master and release/0.26.x"


def test_github_creates_releases_draft_prerelease_latest(emu: GitHubEmulator, gh: github.Github) -> None:
    emu.add_branch("release/0.26.x")
    repo = gh.get_repo(REPO)
    rc = repo.create_git_release("0.26.0-rc1", "0.26.0-rc1", "rc", prerelease=True,
                                 target_commitish="release/0.26.x")
    final = repo.create_git_release("0.26.0", "0.26.0", "notes", make_latest="true",
                                    target_commitish="release/0.26.x")
    draft = repo.create_git_release("0.27.0", "0.27.0", "later", draft=True)
    assert (rc.prerelease, final.prerelease, draft.draft) == (True, False, True)
    assert emu.repo().latest_release_id == final.id
    assert emu.ref("0.26.0") == emu.ref("release/0.26.x")  # publishing created the tag
    assert emu.ref("0.27.0") is None  # a draft creates nothing...
    assert repo.get_release("0.26.0").id == final.id
    with pytest.raises(github.UnknownObjectException):
        repo.get_release("0.27.0")  # ...and is not found by its tag
    with pytest.raises(GithubException) as duplicate:
        repo.create_git_release("0.26.0", "again", "")
    assert duplicate.value.data["errors"][0]["code"] == "already_exists"


def test_github_lists_releases_newest_first_drafts_only_to_pushers(emu: GitHubEmulator, gh: github.Github) -> None:
    emu.add_release("0.25.0")
    emu.add_release("0.26.0-rc1", prerelease=True)
    emu.add_release("0.26.0", draft=True)
    assert [r.tag_name for r in gh.get_repo(REPO).get_releases()] == ["0.26.0", "0.26.0-rc1", "0.25.0"]
    emu.add_token("ghp_reader", login="reader", push=False)
    assert [r.tag_name for r in emu.client("ghp_reader").get_repo(REPO).get_releases()] == ["0.26.0-rc1", "0.25.0"]


# ---- commit <-> pull request association ---------------------------------------------------------------------------
def test_github_associates_every_rebased_commit_with_its_pull(emu: GitHubEmulator, gh: github.Github) -> None:
    first = emu.add_commit("fix(userspace): one", files={"a": "1"})
    second = emu.add_commit("fix(userspace): two", files={"a": "2"})
    lone = emu.add_commit("chore: no pull", files={"b": "1"})
    pull = emu.add_pull("fix: a two-commit fix", commits=[first, second], milestone=None)
    emu.add_pull("new: still open", merged=False, head="feature")
    repo = emu.client(lazy=True).get_repo(REPO)  # lazy: get_commit() builds the object without a request
    for sha in (first, second):  # a rebase merge: each landed commit names the PR, not only merge_commit_sha
        assert [p.number for p in repo.get_commit(sha).get_pulls()] == [pull.number]
    assert repo.get_pull(pull.number).merge_commit_sha == second
    assert list(repo.get_commit(lone).get_pulls()) == []
    assert [c.sha for c in repo.get_pull(pull.number).get_commits()] == [first, second]
    status, _, body = raw(emu, f"{LIBS}/commits/not-a-sha/pulls")
    assert status == 422 and body["message"] == "No commit found for SHA: not-a-sha"


def test_github_check_runs_latest_per_name_and_filters(emu: GitHubEmulator, gh: github.Github) -> None:
    emu.add_check_run("master", "build", status="in_progress")
    emu.add_check_run("master", "build", conclusion="failure")
    emu.add_check_run("master", "test", conclusion="success")
    commit = emu.client(lazy=True).get_repo(REPO).get_commit(emu.ref("master"))
    runs = {r.name: (r.status, r.conclusion) for r in commit.get_check_runs()}
    assert runs == {"build": ("completed", "failure"), "test": ("completed", "success")}
    assert commit.get_check_runs(filter="all").totalCount == 3
    assert [r.name for r in commit.get_check_runs(check_name="test")] == ["test"]
    _, _, body = raw(emu, f"{LIBS}/commits/master/check-runs?status=queued")
    assert body == {"total_count": 0, "check_runs": []}


# ---- git: branches, protection, compare, status, contents, refs ---------------------------------------------------
def test_github_reads_branch_protection_and_unprotected_is_404(emu: GitHubEmulator, gh: github.Github) -> None:
    emu.add_branch("release/0.26.x")
    emu.set_protection("release/0.26.x", contexts=["ci/build", "ci/test"], required_approving_review_count=2)
    repo = gh.get_repo(REPO)
    branch = repo.get_branch("release/0.26.x")
    assert branch.protected is True
    protection = branch.get_protection()
    assert protection.required_status_checks.contexts == ["ci/build", "ci/test"]
    assert protection.required_pull_request_reviews.required_approving_review_count == 2
    with pytest.raises(GithubException) as unprotected:
        repo.get_branch("master").get_protection()
    assert not isinstance(unprotected.value, github.UnknownObjectException)  # "Branch not protected" is no "not found"
    assert (unprotected.value.status, unprotected.value.data["message"]) == (404, "Branch not protected")
    with pytest.raises(github.UnknownObjectException, match="Branch not found"):
        repo.get_branch("release/9.9.x")


def test_github_compares_refs(emu: GitHubEmulator, gh: github.Github) -> None:
    emu.add_branch("release/0.26.x")
    emu.add_commit("on master 1", files={"a": "1"})
    emu.add_commit("on master 2", files={"a": "2"})
    emu.add_commit("on release", branch="release/0.26.x", files={"b": "1"})
    comparison = gh.get_repo(REPO).compare("release/0.26.x", "master")
    assert (comparison.status, comparison.ahead_by, comparison.behind_by) == ("diverged", 2, 1)
    assert [c.commit.message for c in comparison.commits] == ["on master 1", "on master 2"]


def test_github_combined_status(emu: GitHubEmulator, gh: github.Github) -> None:
    emu.set_status("master", "pending", context="ci/build")
    emu.set_status("master", "success", context="ci/build")
    emu.set_status("master", "success", context="ci/test")
    status = gh.get_repo(REPO).get_branch("master").commit.get_combined_status()
    assert (status.state, status.total_count) == ("success", 2)
    emu.set_status("master", "failure", context="ci/test")
    _, _, body = raw(emu, f"{LIBS}/commits/master/status")
    assert body["state"] == "failure" and body["sha"] == emu.ref("master")


def test_github_reads_and_writes_contents_on_a_branch(emu: GitHubEmulator, gh: github.Github) -> None:
    infra = "falcosecurity/test-infra"
    config = "config/branchprotector.yaml"
    emu.add_repo(infra, files={config: "branches: {}\n"})
    repo = gh.get_repo(infra)
    current = repo.get_contents(config)
    assert current.decoded_content == b"branches: {}\n"
    repo.create_git_ref("refs/heads/protect-0.26", repo.get_git_ref("heads/master").object.sha)
    updated = repo.update_file(config, "protect release/0.26.x", "branches: {release/0.26.x: {}}\n", current.sha,
                               branch="protect-0.26")
    assert emu.file(config, ref="protect-0.26", repo=infra) == "branches: {release/0.26.x: {}}\n"
    assert emu.file(config, repo=infra) == "branches: {}\n"
    assert updated["commit"].sha == emu.ref("protect-0.26", repo=infra)
    created = repo.create_file("NEW.md", "add", "hello\n", branch="protect-0.26")
    assert created["content"].path == "NEW.md"
    assert emu.find_requests("PUT", f"/repos/{infra}/contents/NEW.md")[0].status == 201
    with pytest.raises(GithubException) as stale:
        repo.update_file(config, "stale", "x", current.sha, branch="protect-0.26")
    assert stale.value.status == 409
    assert [(c.path, c.type) for c in repo.get_contents("")] == [("config", "dir")]


def test_github_creates_and_reads_git_refs(emu: GitHubEmulator, gh: github.Github) -> None:
    repo = gh.get_repo(REPO)
    head = repo.get_git_ref("heads/master")
    assert head.object.sha == emu.ref("master") and head.ref == "refs/heads/master"
    created = repo.create_git_ref("refs/heads/release/0.26.x", head.object.sha)
    assert created.url == f"{emu.base_url}{LIBS}/git/refs/heads/release/0.26.x"
    assert emu.ref("release/0.26.x") == head.object.sha
    with pytest.raises(GithubException) as exists:
        repo.create_git_ref("refs/heads/release/0.26.x", head.object.sha)
    assert (exists.value.status, exists.value.data["message"]) == (422, "Reference already exists")
    with pytest.raises(github.UnknownObjectException):
        repo.get_git_ref("heads/nope").object  # noqa: B018 (lazy object: the attribute fetches it)


def test_github_search_issues_with_milestone_and_merged(emu: GitHubEmulator, gh: github.Github) -> None:
    emu.add_milestone("0.26.0")
    emu.add_milestone("0.25.0")
    for n in range(7):
        emu.add_pull(f"merged {n}", milestone="0.26.0")
    emu.add_pull("unmerged", merged=False, milestone="0.26.0")
    emu.add_pull("other milestone", milestone="0.25.0")
    emu.add_issue("an issue", milestone="0.26.0")
    found = gh.search_issues(f'repo:{REPO} is:pr milestone:"0.26.0" is:merged')
    assert found.totalCount == 7 and len(list(found)) == 7
    assert [i.title for i in gh.search_issues(f"repo:{REPO} is:issue")] == ["an issue"]
    assert [i.title for i in gh.search_issues(f"repo:{REPO} is:pr is:open")] == ["unmerged"]
    with pytest.raises(GithubException) as unknown:
        list(gh.search_issues("repo:nobody/nothing is:pr"))
    assert unknown.value.status == 422
    assert raw(emu, "/search/issues?q=is:pr")[1]["X-RateLimit-Resource"] == "search"


# ---- conditional requests, rate limits --------------------------------------------------------------------------
def test_conditional_get_answers_304_without_spending_rate_limit(emu: GitHubEmulator, gh: github.Github) -> None:
    emu.add_milestone("0.26.0")
    url = f"{emu.base_url}{LIBS}/milestones/1"
    headers, body = gh.requester.requestJsonAndCheck("GET", url)
    etag = headers["etag"]
    assert etag.startswith('W/"') and "last-modified" in headers and body["title"] == "0.26.0"
    remaining = emu.rate_limit().remaining
    status, cached_headers, cached = gh.requester.requestJson("GET", url, headers={"If-None-Match": etag})
    assert (status, cached) == (304, "")
    assert cached_headers["x-ratelimit-remaining"] == str(remaining)
    assert emu.rate_limit().remaining == remaining
    assert gh.requester.requestJsonAndCheck("GET", url, headers={"If-None-Match": etag})[1] is None  # no raise
    assert raw(emu, f"{LIBS}/milestones/1", headers={"If-None-Match": etag})[0] == 304
    assert raw(emu, f"{LIBS}/milestones/1", headers={"If-None-Match": 'W/"stale"'})[0] == 200
    assert emu.rate_limit().remaining == remaining - 1


def test_conditional_update_sees_changes_through_etag(emu: GitHubEmulator, gh: github.Github) -> None:
    emu.add_milestone("0.26.0")
    milestone = gh.get_repo(REPO).get_milestone(1)
    assert milestone.update() is False  # PyGithub's own conditional GET: 304
    emu.milestone(1).title = "0.26.0-renamed"
    assert milestone.update() is True and milestone.title == "0.26.0-renamed"
    assert emu.requests_count("GET", f"{LIBS}/milestones/1", status=304) == 1


def test_rate_limit_headers_on_every_response_and_endpoint_is_free(emu: GitHubEmulator, gh: github.Github) -> None:
    repo = gh.get_repo(REPO)
    limits = gh.get_rate_limit()
    assert limits.resources.core.limit == 5000 and limits.resources.search.limit == 30
    assert limits.resources.core.remaining == 4999  # the repository GET cost one; /rate_limit costs nothing
    assert gh.get_rate_limit().resources.core.remaining == 4999
    with pytest.raises(github.UnknownObjectException):
        repo.get_issue(99)
    status, headers, _ = raw(emu, f"{LIBS}/issues/99")
    assert status == 404
    for name in ("Limit", "Remaining", "Reset", "Used", "Resource"):
        assert f"X-RateLimit-{name}" in headers
    assert (headers["X-RateLimit-Remaining"], headers["X-RateLimit-Used"]) == ("4997", "3")


def test_exhausted_rate_limit_is_githubs_primary_403(emu: GitHubEmulator, gh: github.Github) -> None:
    reset = int(time.time()) + 600
    emu.set_rate_limit(1, reset=reset)
    gh.get_repo(REPO)
    with pytest.raises(github.RateLimitExceededException) as limited:
        gh.get_repo(REPO)
    assert limited.value.data["message"] == "API rate limit exceeded for user ID 1."
    assert limited.value.headers["x-ratelimit-remaining"] == "0"
    assert limited.value.headers["x-ratelimit-reset"] == str(reset)
    assert gh.get_rate_limit().resources.core.remaining == 0  # still answered: it is free


# ---- faults --------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("fault", "exception", "status"),
    [
        (Fault.BAD_CREDENTIALS, github.BadCredentialsException, 401),
        (Fault.RATE_LIMIT, github.RateLimitExceededException, 403),
        (Fault.SECONDARY_RATE_LIMIT, github.RateLimitExceededException, 403),
        (Fault.TOO_MANY_REQUESTS, GithubException, 429),
        (Fault.TOO_MANY_REQUESTS_BARE, GithubException, 429),
        (Fault.SERVER_ERROR, GithubException, 500),
        (Fault.BAD_GATEWAY, GithubException, 502),
    ],
)
def test_github_fault_maps_to_pygithub_exception(emu: GitHubEmulator, gh: github.Github, fault: Fault,
                                                 exception: type[GithubException], status: int) -> None:
    emu.fail_next(fault, path_prefix=LIBS)
    with pytest.raises(exception) as failure:
        gh.get_repo(REPO)
    assert type(failure.value) is exception and failure.value.status == status
    assert gh.get_repo(REPO).name == "libs"  # one-shot: the next request goes through
    assert [r.fault for r in emu.requests] == [fault.value, None]


def test_github_rate_limit_faults_carry_githubs_headers(emu: GitHubEmulator, gh: github.Github) -> None:
    emu.fail_next(Fault.SECONDARY_RATE_LIMIT, retry_after=42)
    with pytest.raises(github.RateLimitExceededException) as secondary:
        gh.get_repo(REPO)
    assert secondary.value.headers["retry-after"] == "42"
    assert secondary.value.data["message"] == ("You have exceeded a secondary rate limit. Please wait a few minutes "
                                               "before you try again.")
    emu.fail_next(Fault.TOO_MANY_REQUESTS_BARE)
    with pytest.raises(GithubException) as bare:
        gh.get_repo(REPO)
    assert "retry-after" not in bare.value.headers
    emu.fail_next(Fault.RATE_LIMIT)
    with pytest.raises(github.RateLimitExceededException) as primary:
        gh.get_repo(REPO)
    assert primary.value.headers["x-ratelimit-remaining"] == "0" and "x-ratelimit-reset" in primary.value.headers


def test_github_unknown_token_is_bad_credentials(emu: GitHubEmulator) -> None:
    with pytest.raises(github.BadCredentialsException) as failure:
        emu.client("ghp_unknown").get_repo(REPO)
    assert failure.value.data == {"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest",
                                  "status": "401"}


def test_github_dropped_connection_is_a_connection_error(emu: GitHubEmulator, gh: github.Github) -> None:
    emu.add_milestone("0.26.0")
    repo = gh.get_repo(REPO)
    emu.fail_next(Fault.DROP, method="PATCH")
    with pytest.raises(requests.exceptions.ConnectionError):
        repo.get_milestone(1).edit("renamed")
    assert emu.milestone(1).title == "0.26.0"  # dropped before it was processed
    assert repo.get_milestone(1).title == "0.26.0"


def test_github_slow_answer_times_out_but_is_applied(emu: GitHubEmulator) -> None:
    gh = emu.client(timeout=1)  # PyGithub only takes whole seconds
    repo = gh.get_repo(REPO)
    emu.fail_next(Fault.SLOW, method="POST", delay=1.3)
    started = time.monotonic()
    with pytest.raises(requests.exceptions.ReadTimeout):
        repo.create_issue("slow")
    assert time.monotonic() - started < 1.3
    deadline = time.monotonic() + 3
    while emu.find_requests("POST")[0].status is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [i.title for i in emu.repo().issues.values()] == ["slow"]  # a client must re-read, not blindly retry


def test_emulator_faults_filter_by_path_and_persist_until_cleared(emu: GitHubEmulator, gh: github.Github) -> None:
    emu.add_milestone("0.26.0")
    repo = gh.get_repo(REPO)
    emu.fail_always(Fault.SERVER_ERROR, path_prefix=f"{LIBS}/milestones")
    for _ in range(2):
        with pytest.raises(GithubException):
            repo.get_milestone(1)
    assert repo.get_issues().totalCount == 0  # other paths unaffected
    emu.faults.clear()
    assert repo.get_milestone(1).title == "0.26.0"


def test_github_retry_recovers_from_5xx_and_gives_up_with_retry_error(emu: GitHubEmulator) -> None:
    gh = emu.client(retry=GithubRetry(total=3, backoff_factor=0))
    emu.fail_next(Fault.SERVER_ERROR, count=2)
    assert gh.get_repo(REPO).name == "libs"
    assert emu.requests_count("GET", LIBS) == 3
    emu.fail_next(Fault.BAD_GATEWAY, count=10)
    with pytest.raises(requests.exceptions.RetryError):  # not a GithubException!
        gh.get_repo(REPO)
    emu.faults.clear()


# ---- request log, validation --------------------------------------------------------------------------------------
def test_emulator_request_log_records_bodies_without_authorization(emu: GitHubEmulator, gh: github.Github) -> None:
    gh.get_repo(REPO).create_milestone("0.26.0", description="d")
    post = emu.find_requests("POST", f"{LIBS}/milestones")[0]
    assert post.body == {"title": "0.26.0", "description": "d"}
    assert post.status == 201 and post.template == "/repos/{owner}/{repo}/milestones"
    assert all("authorization" not in {k.lower() for k in r.headers} for r in emu.requests)
    assert emu.requests_count() == 2 and emu.requests_count(prefix=LIBS) == 2


def test_schema_validator_reports_broken_bodies() -> None:
    book = schema_book()
    milestone = {"url": "http://127.0.0.1:1/api/v3/m", "number": "one", "state": "half-open"}
    errors = book.validate_response("GET", "/repos/{owner}/{repo}/milestones/{milestone_number}", 200, milestone)
    assert any("'half-open' is not one of" in e for e in errors)
    assert any("'one' is not of type 'integer'" in e for e in errors)
    assert any("'title' is a required property" in e for e in errors)
    assert book.validate_response("GET", "/user", 201, {}) == ["status 201 is not documented for GET /user"]
    assert book.validate_request("POST", "/repos/{owner}/{repo}/milestones", {"state": "open"}) == [
        "/: 'title' is a required property"]
    assert book.match("GET", "/repos/o/r/branches/release/0.26.x/protection")[0].template.endswith("/protection")


def test_emulator_flags_a_broken_response_and_a_broken_request(monkeypatch: pytest.MonkeyPatch) -> None:
    original = Renderer.milestone

    def broken(self: Renderer, repo: Any, m: Any) -> dict[str, Any]:
        body = original(self, repo, m)
        del body["title"]
        body["url"] = "https://api.github.com/repos/octocat/Hello-World/milestones/1"
        return body

    with GitHubEmulator() as emu:
        emu.add_milestone("0.26.0")
        monkeypatch.setattr(Renderer, "milestone", broken)
        raw(emu, f"{LIBS}/milestones/1")
        raw(emu, f"{LIBS}/milestones", method="POST", body={"title": 26})
        kinds = {v.kind: v for v in emu.violations}
        assert set(kinds) == {"response", "url", "request"}
        assert "'title' is a required property" in str(kinds["response"])
        assert "is not under" in str(kinds["url"])
        with pytest.raises(AssertionError, match="schema violation"):
            emu.assert_valid()


# ---- GraphQL (POST /api/graphql beside /api/v3) -----------------------------------------------------------------
ASSOCIATION = ("query($owner: String!, $name: String!, $c0: GitObjectID!) { repository(owner: $owner, name: $name) {"
               " c0: object(oid: $c0) { ... on Commit { associatedPullRequests(first: 5) { nodes { number merged"
               " baseRefName milestone { title } labels(first: 5) { nodes { name } } } } } } }"
               " rateLimit { cost remaining } }")


def test_graphql_answers_the_association_of_a_rebase_merge(emu: GitHubEmulator) -> None:
    emu.add_milestone("0.26.0")
    landed = ["a" * 40, "b" * 40]
    pr = emu.add_pull("fix: two commits", milestone="0.26.0", labels=("kind/bug",), commits=landed)
    url = emu.web_url + "/api/graphql"
    for commit in landed:
        status, headers, body = raw(emu, url, method="POST", body={"query": ASSOCIATION, "variables": {
            "owner": "falcosecurity", "name": "libs", "c0": commit}})
        assert status == 200 and headers["X-RateLimit-Resource"] == "graphql"
        assert body["data"]["repository"]["c0"]["associatedPullRequests"]["nodes"] == [
            {"number": pr.number, "merged": True, "baseRefName": "master", "milestone": {"title": "0.26.0"},
             "labels": {"nodes": [{"name": "kind/bug"}]}}]
    status, _, body = raw(emu, url, method="POST", body={"query": ASSOCIATION, "variables": {
        "owner": "falcosecurity", "name": "libs", "c0": "c" * 40}})
    assert body["data"]["repository"]["c0"] is None and body["data"]["rateLimit"]["remaining"] == 4997


def test_graphql_validates_queries_against_githubs_schema() -> None:
    with GitHubEmulator() as emu:
        url = emu.web_url + "/api/graphql"
        status, _, body = raw(emu, url, method="POST", body={"query": "{ repository(owner: \"o\", name: \"n\") "
                                                                      "{ noSuchField } }"})
        assert status == 200 and "Cannot query field 'noSuchField' on type 'Repository'." in body["errors"][0][
            "message"] and "data" not in body
        assert [v.kind for v in emu.violations] == ["graphql"]
        status, _, body = raw(emu, url, method="POST", token=None, body={"query": "{ viewer { login } }"})
        assert status == 401 and body["message"] == "This endpoint requires you to be authenticated."

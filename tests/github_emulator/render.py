"""GitHub's JSON objects, built from the world with every URL written against the emulator's own base.

PyGithub refuses absolute URLs whose host, port or prefix differ from its `base_url`, and follows `url` fields
verbatim, so API URLs are `http://127.0.0.1:PORT/api/v3/...` and web URLs `http://127.0.0.1:PORT/...` (the layout of
GitHub Enterprise Server). Every object carries all the fields GitHub's schema marks required.
"""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Any
from urllib.parse import quote

from .state import (
    CheckRun,
    Comment,
    Commit,
    Issue,
    Label,
    Milestone,
    Protection,
    Release,
    Repo,
    Status,
    Token,
    User,
    World,
)


def iso(when: datetime | None) -> str | None:
    return None if when is None else when.strftime("%Y-%m-%dT%H:%M:%SZ")


def node_id(kind: str, number: int) -> str:
    return f"{kind}_" + base64.b64encode(f"{kind}:{number}".encode()).decode().rstrip("=")


class Renderer:
    """Turns world objects into response bodies; callers hold the world lock."""

    def __init__(self, world: World, api: str, web: str) -> None:
        self.world = world
        self.api = api.rstrip("/")
        self.web = web.rstrip("/")

    # ---- users -------------------------------------------------------------------------------------------------
    def user(self, login: str | User) -> dict[str, Any]:
        user = login if isinstance(login, User) else self.world.user(login)
        u = f"{self.api}/users/{user.login}"
        return {
            "login": user.login,
            "id": user.id,
            "node_id": node_id("U" if user.type == "User" else "O", user.id),
            "avatar_url": f"{self.web}/avatars/u/{user.id}?v=4",
            "gravatar_id": "",
            "url": u,
            "html_url": f"{self.web}/{user.login}",
            "followers_url": f"{u}/followers",
            "following_url": f"{u}/following{{/other_user}}",
            "gists_url": f"{u}/gists{{/gist_id}}",
            "starred_url": f"{u}/starred{{/owner}}{{/repo}}",
            "subscriptions_url": f"{u}/subscriptions",
            "organizations_url": f"{u}/orgs",
            "repos_url": f"{u}/repos",
            "events_url": f"{u}/events{{/privacy}}",
            "received_events_url": f"{u}/received_events",
            "type": user.type,
            "user_view_type": "public",
            "site_admin": False,
        }

    def private_user(self, login: str) -> dict[str, Any]:
        """`GET /user`: the token owner's own profile (GitHub's "Private User")."""
        user = self.world.user(login)
        return {
            **self.user(user),
            "name": user.name,
            "company": None,
            "blog": "",
            "location": None,
            "email": user.email,
            "hireable": None,
            "bio": None,
            "twitter_username": None,
            "notification_email": user.email,
            "public_repos": sum(r.owner.lower() == user.login.lower() for r in self.world.repos.values()),
            "public_gists": 0,
            "followers": 0,
            "following": 0,
            "created_at": iso(user.created_at),
            "updated_at": iso(user.created_at),
            "private_gists": 0,
            "total_private_repos": 0,
            "owned_private_repos": 0,
            "disk_usage": 0,
            "collaborators": 0,
            "two_factor_authentication": True,
            "user_view_type": "private",  # GitHub's discriminator between its private and public user shapes
            "plan": {"name": "free", "space": 976562499, "collaborators": 0, "private_repos": 10000},
        }

    # ---- repositories ------------------------------------------------------------------------------------------
    def repo_url(self, repo: Repo) -> str:
        return f"{self.api}/repos/{repo.full_name}"

    def repo_html(self, repo: Repo) -> str:
        return f"{self.web}/{repo.full_name}"

    def repo(self, repo: Repo) -> dict[str, Any]:
        """The "Repository" object embedded in pull requests and statuses."""
        r = self.repo_url(repo)
        host = self.web.split("://", 1)[1]
        open_count = sum(i.state == "open" for i in repo.issues.values())
        return {
            "id": repo.id,
            "node_id": node_id("R", repo.id),
            "name": repo.name,
            "full_name": repo.full_name,
            "private": repo.private,
            "owner": self.user(repo.owner),
            "html_url": self.repo_html(repo),
            "description": repo.description,
            "fork": False,
            "url": r,
            "forks_url": f"{r}/forks",
            "keys_url": f"{r}/keys{{/key_id}}",
            "collaborators_url": f"{r}/collaborators{{/collaborator}}",
            "teams_url": f"{r}/teams",
            "hooks_url": f"{r}/hooks",
            "issue_events_url": f"{r}/issues/events{{/number}}",
            "events_url": f"{r}/events",
            "assignees_url": f"{r}/assignees{{/user}}",
            "branches_url": f"{r}/branches{{/branch}}",
            "tags_url": f"{r}/tags",
            "blobs_url": f"{r}/git/blobs{{/sha}}",
            "git_tags_url": f"{r}/git/tags{{/sha}}",
            "git_refs_url": f"{r}/git/refs{{/sha}}",
            "trees_url": f"{r}/git/trees{{/sha}}",
            "statuses_url": f"{r}/statuses/{{sha}}",
            "languages_url": f"{r}/languages",
            "stargazers_url": f"{r}/stargazers",
            "contributors_url": f"{r}/contributors",
            "subscribers_url": f"{r}/subscribers",
            "subscription_url": f"{r}/subscription",
            "commits_url": f"{r}/commits{{/sha}}",
            "git_commits_url": f"{r}/git/commits{{/sha}}",
            "comments_url": f"{r}/comments{{/number}}",
            "issue_comment_url": f"{r}/issues/comments{{/number}}",
            "contents_url": f"{r}/contents/{{+path}}",
            "compare_url": f"{r}/compare/{{base}}...{{head}}",
            "merges_url": f"{r}/merges",
            "archive_url": f"{r}/{{archive_format}}{{/ref}}",
            "downloads_url": f"{r}/downloads",
            "issues_url": f"{r}/issues{{/number}}",
            "pulls_url": f"{r}/pulls{{/number}}",
            "milestones_url": f"{r}/milestones{{/number}}",
            "notifications_url": f"{r}/notifications{{?since,all,participating}}",
            "labels_url": f"{r}/labels{{/name}}",
            "releases_url": f"{r}/releases{{/id}}",
            "deployments_url": f"{r}/deployments",
            "created_at": iso(repo.created_at),
            "updated_at": iso(repo.updated_at),
            "pushed_at": iso(repo.pushed_at),
            "git_url": f"git://{host}/{repo.full_name}.git",
            "ssh_url": f"git@{host.split(':')[0]}:{repo.full_name}.git",
            "clone_url": f"{self.repo_html(repo)}.git",
            "svn_url": self.repo_html(repo),
            "homepage": None,
            "size": sum(len(b) for b in repo.blobs.values()) // 1024,
            "stargazers_count": 0,
            "watchers_count": 0,
            "language": None,
            "has_issues": True,
            "has_projects": True,
            "has_downloads": True,
            "has_wiki": False,
            "has_pages": False,
            "has_discussions": False,
            "forks_count": 0,
            "mirror_url": None,
            "archived": False,
            "disabled": False,
            "open_issues_count": open_count,
            "license": {
                "key": "apache-2.0",
                "name": "Apache License 2.0",
                "spdx_id": "Apache-2.0",
                "url": f"{self.api}/licenses/apache-2.0",
                "node_id": "MDc6TGljZW5zZTI=",
            },
            "allow_forking": True,
            "is_template": False,
            "web_commit_signoff_required": False,
            "topics": [],
            "visibility": "private" if repo.private else "public",
            "forks": 0,
            "open_issues": open_count,
            "watchers": 0,
            "default_branch": repo.default_branch,
        }

    def full_repo(self, repo: Repo, token: Token | None) -> dict[str, Any]:
        """`GET /repos/{o}/{r}` ("Full Repository"), with the caller's permissions."""
        body = self.repo(repo)
        push = token is not None and token.can_push(repo.full_name)
        admin = push and token is not None and token.login.lower() == repo.owner.lower()
        body["permissions"] = {"admin": admin, "maintain": push, "push": push, "triage": push, "pull": True}
        owner = self.world.user(repo.owner)
        if owner.type == "Organization":
            body["organization"] = self.user(owner)
        body["network_count"] = 0
        body["subscribers_count"] = 0
        return body

    # ---- milestones, labels, issues ----------------------------------------------------------------------------
    def milestone(self, repo: Repo, m: Milestone) -> dict[str, Any]:
        url = f"{self.repo_url(repo)}/milestones/{m.number}"
        open_issues, closed_issues = repo.milestone_counts(m.number)
        return {
            "url": url,
            "html_url": f"{self.repo_html(repo)}/milestone/{m.number}",
            "labels_url": f"{url}/labels",
            "id": m.id,
            "node_id": node_id("MI", m.id),
            "number": m.number,
            "title": m.title,
            "description": m.description,
            "creator": self.user(m.creator),
            "open_issues": open_issues,
            "closed_issues": closed_issues,
            "state": m.state,
            "created_at": iso(m.created_at),
            "updated_at": iso(m.updated_at),
            "due_on": iso(m.due_on),
            "closed_at": iso(m.closed_at),
        }

    def label(self, repo: Repo, label: Label) -> dict[str, Any]:
        return {
            "id": label.id,
            "node_id": node_id("LA", label.id),
            "url": f"{self.repo_url(repo)}/labels/{quote(label.name, safe='')}",
            "name": label.name,
            "color": label.color,
            "default": label.default,
            # GitHub sends null for a label without description, but the pull-request schemas require a string.
            "description": label.description or "",
        }

    def labels(self, repo: Repo, names: list[str]) -> list[dict[str, Any]]:
        return [self.label(repo, self.world.label(repo, name)) for name in names]

    def association(self, repo: Repo, login: str) -> str:
        if login.lower() == repo.owner.lower():
            return "OWNER"
        if login.lower() in self.world.pushers(repo):
            return "COLLABORATOR"
        if any(i.user.lower() == login.lower() and i.merged for i in repo.issues.values()):
            return "CONTRIBUTOR"
        return "NONE"

    def reactions(self, url: str) -> dict[str, Any]:
        counts = dict.fromkeys(("+1", "-1", "laugh", "confused", "heart", "hooray", "eyes", "rocket"), 0)
        return {"url": f"{url}/reactions", "total_count": 0, **counts}

    def issue(self, repo: Repo, issue: Issue, *, single: bool = False) -> dict[str, Any]:
        """An issue as the issues endpoints send it; a PR carries `pull_request` (with `merged_at`) and `draft`."""
        r = self.repo_url(repo)
        url = f"{r}/issues/{issue.number}"
        html = f"{self.repo_html(repo)}/{'pull' if issue.is_pull else 'issues'}/{issue.number}"
        milestone = repo.milestones.get(issue.milestone) if issue.milestone is not None else None
        body: dict[str, Any] = {
            "url": url,
            "repository_url": r,
            "labels_url": f"{url}/labels{{/name}}",
            "comments_url": f"{url}/comments",
            "events_url": f"{url}/events",
            "html_url": html,
            "id": issue.id,
            "node_id": node_id("PR" if issue.is_pull else "I", issue.id),
            "number": issue.number,
            "title": issue.title,
            "user": self.user(issue.user),
            "labels": self.labels(repo, issue.labels),
            "state": issue.state,
            "locked": issue.locked,
            "assignee": self.user(issue.assignees[0]) if issue.assignees else None,
            "assignees": [self.user(a) for a in issue.assignees],
            "milestone": self.milestone(repo, milestone) if milestone else None,
            "comments": len(issue.comments),
            "created_at": iso(issue.created_at),
            "updated_at": iso(issue.updated_at),
            "closed_at": iso(issue.closed_at),
            "author_association": self.association(repo, issue.user),
            "active_lock_reason": None,
            "body": issue.body,
            "reactions": self.reactions(url),
            "timeline_url": f"{url}/timeline",
            "performed_via_github_app": None,
        }
        if issue.state_reason is not None:
            # GitHub sends null for open issues, but its schema's enum has no null: omit it instead.
            body["state_reason"] = issue.state_reason
        if issue.pull is not None:
            body["draft"] = issue.pull.draft
            body["pull_request"] = {
                "url": f"{r}/pulls/{issue.number}",
                "html_url": html,
                "diff_url": f"{html}.diff",
                "patch_url": f"{html}.patch",
                "merged_at": iso(issue.pull.merged_at),
            }
        if single:
            body["closed_by"] = self.user(issue.closed_by) if issue.closed_by else None
        return body

    def comment(self, repo: Repo, issue: Issue, comment: Comment) -> dict[str, Any]:
        r = self.repo_url(repo)
        url = f"{r}/issues/comments/{comment.id}"
        kind = "pull" if issue.is_pull else "issues"
        return {
            "url": url,
            "html_url": f"{self.repo_html(repo)}/{kind}/{issue.number}#issuecomment-{comment.id}",
            "issue_url": f"{r}/issues/{issue.number}",
            "id": comment.id,
            "node_id": node_id("IC", comment.id),
            "user": self.user(comment.user),
            "created_at": iso(comment.created_at),
            "updated_at": iso(comment.updated_at),
            "author_association": self.association(repo, comment.user),
            "body": comment.body,
            "reactions": self.reactions(url),
            "performed_via_github_app": None,
        }

    def search_item(self, repo: Repo, issue: Issue) -> dict[str, Any]:
        item = {**self.issue(repo, issue), "score": 1.0}
        if item["body"] is None:
            del item["body"]  # not nullable in the search schema
        return item

    # ---- pull requests -----------------------------------------------------------------------------------------
    def _pull_end(self, repo: Repo, ref: str, sha: str) -> dict[str, Any]:
        return {
            "label": f"{repo.owner}:{ref}",
            "ref": ref,
            "sha": sha,
            "user": self.user(repo.owner),
            "repo": self.repo(repo),
        }

    def pull(self, repo: Repo, issue: Issue, *, full: bool = True) -> dict[str, Any]:
        """A pull request: the "simple" shape for lists, the full one (merge state, counters) otherwise."""
        pull = issue.pull
        assert pull is not None
        r = self.repo_url(repo)
        url = f"{r}/pulls/{issue.number}"
        html = f"{self.repo_html(repo)}/pull/{issue.number}"
        milestone = repo.milestones.get(issue.milestone) if issue.milestone is not None else None
        body: dict[str, Any] = {
            "url": url,
            "id": pull.id,
            "node_id": node_id("PR", pull.id),
            "html_url": html,
            "diff_url": f"{html}.diff",
            "patch_url": f"{html}.patch",
            "issue_url": f"{r}/issues/{issue.number}",
            "number": issue.number,
            "state": issue.state,
            "locked": issue.locked,
            "title": issue.title,
            "user": self.user(issue.user),
            "body": issue.body,
            "created_at": iso(issue.created_at),
            "updated_at": iso(issue.updated_at),
            "closed_at": iso(issue.closed_at),
            "merged_at": iso(pull.merged_at),
            "merge_commit_sha": pull.merge_commit_sha,
            "assignee": self.user(issue.assignees[0]) if issue.assignees else None,
            "assignees": [self.user(a) for a in issue.assignees],
            "requested_reviewers": [],
            "requested_teams": [],
            "labels": self.labels(repo, issue.labels),
            "milestone": self.milestone(repo, milestone) if milestone else None,
            "draft": pull.draft,
            "commits_url": f"{url}/commits",
            "review_comments_url": f"{url}/comments",
            "review_comment_url": f"{r}/pulls/comments{{/number}}",
            "comments_url": f"{r}/issues/{issue.number}/comments",
            "statuses_url": f"{r}/statuses/{pull.head_sha}",
            "head": self._pull_end(repo, pull.head_ref, pull.head_sha),
            "base": self._pull_end(repo, pull.base_ref, pull.base_sha),
            "_links": {
                "self": {"href": url},
                "html": {"href": html},
                "issue": {"href": f"{r}/issues/{issue.number}"},
                "comments": {"href": f"{r}/issues/{issue.number}/comments"},
                "review_comments": {"href": f"{url}/comments"},
                "review_comment": {"href": f"{r}/pulls/comments{{/number}}"},
                "commits": {"href": f"{url}/commits"},
                "statuses": {"href": f"{r}/statuses/{pull.head_sha}"},
            },
            "author_association": self.association(repo, issue.user),
            "auto_merge": None,
            "active_lock_reason": None,
        }
        if full:
            open_pr = issue.state == "open"
            body.update(
                merged=pull.merged_at is not None,
                mergeable=True if open_pr else None,
                rebaseable=True if open_pr else None,
                mergeable_state="clean" if open_pr else "unknown",
                merged_by=self.user(pull.merged_by) if pull.merged_by else None,
                comments=len(issue.comments),
                review_comments=0,
                maintainer_can_modify=pull.maintainer_can_modify,
                commits=pull.commits,
                additions=pull.additions,
                deletions=pull.deletions,
                changed_files=pull.changed_files,
            )
        return body

    # ---- releases ----------------------------------------------------------------------------------------------
    def release(self, repo: Repo, rel: Release) -> dict[str, Any]:
        r = self.repo_url(repo)
        url = f"{r}/releases/{rel.id}"
        tag_path = f"untagged-{rel.id:x}" if rel.draft else rel.tag_name
        return {
            "url": url,
            "assets_url": f"{url}/assets",
            "upload_url": f"{self.web}/api/uploads/repos/{repo.full_name}/releases/{rel.id}/assets{{?name,label}}",
            "html_url": f"{self.repo_html(repo)}/releases/tag/{tag_path}",
            "id": rel.id,
            "author": self.user(rel.author),
            "node_id": node_id("RE", rel.id),
            "tag_name": rel.tag_name,
            "target_commitish": rel.target_commitish,
            "name": rel.name,
            "draft": rel.draft,
            "immutable": False,
            "prerelease": rel.prerelease,
            "created_at": iso(rel.created_at),
            "updated_at": iso(rel.published_at or rel.created_at),
            "published_at": iso(rel.published_at),
            "assets": [],
            "tarball_url": None if rel.draft else f"{r}/tarball/{rel.tag_name}",
            "zipball_url": None if rel.draft else f"{r}/zipball/{rel.tag_name}",
            "body": rel.body,
        }

    # ---- git: commits, branches, refs, statuses, contents ------------------------------------------------------
    def git_person(self, commit: Commit) -> dict[str, Any]:
        return {"name": commit.author_name, "email": commit.author_email, "date": iso(commit.date)}

    def verification(self) -> dict[str, Any]:
        return {"verified": False, "reason": "unsigned", "signature": None, "payload": None, "verified_at": None}

    def commit(self, repo: Repo, commit: Commit) -> dict[str, Any]:
        """A commit as branches and compare embed it ("Commit")."""
        r = self.repo_url(repo)
        account = self.user(commit.author_login) if commit.author_login else {}
        return {
            "sha": commit.sha,
            "node_id": node_id("C", int(commit.sha[:12], 16)),
            "commit": {
                "author": self.git_person(commit),
                "committer": self.git_person(commit),
                "message": commit.message,
                "tree": {"sha": commit.tree_sha, "url": f"{r}/git/trees/{commit.tree_sha}"},
                "url": f"{r}/git/commits/{commit.sha}",
                "comment_count": 0,
                "verification": self.verification(),
            },
            "url": f"{r}/commits/{commit.sha}",
            "html_url": f"{self.repo_html(repo)}/commit/{commit.sha}",
            "comments_url": f"{r}/commits/{commit.sha}/comments",
            "author": account,
            "committer": account,
            "parents": [
                {"sha": p, "url": f"{r}/commits/{p}", "html_url": f"{self.repo_html(repo)}/commit/{p}"}
                for p in commit.parents
            ],
        }

    def git_commit(self, repo: Repo, commit: Commit) -> dict[str, Any]:
        """The low-level "Git Commit" (what a contents PUT reports)."""
        r = self.repo_url(repo)
        return {
            "sha": commit.sha,
            "node_id": node_id("C", int(commit.sha[:12], 16)),
            "url": f"{r}/git/commits/{commit.sha}",
            "html_url": f"{self.repo_html(repo)}/commit/{commit.sha}",
            "author": self.git_person(commit),
            "committer": self.git_person(commit),
            "message": commit.message,
            "tree": {"sha": commit.tree_sha, "url": f"{r}/git/trees/{commit.tree_sha}"},
            "parents": [
                {"sha": p, "url": f"{r}/git/commits/{p}", "html_url": f"{self.repo_html(repo)}/commit/{p}"}
                for p in commit.parents
            ],
            "verification": self.verification(),
        }

    def branch_protection_summary(self, protection: Protection | None) -> dict[str, Any]:
        if protection is None:
            return {"enabled": False, "required_status_checks": {"enforcement_level": "off", "contexts": [],
                                                                 "checks": []}}
        level = "everyone" if protection.enforce_admins else "non_admins"
        return {
            "enabled": True,
            "required_status_checks": {
                "enforcement_level": level if protection.contexts else "off",
                "contexts": list(protection.contexts),
                "checks": [{"context": c, "app_id": None} for c in protection.contexts],
            },
        }

    def branch(self, repo: Repo, name: str) -> dict[str, Any]:
        r = self.repo_url(repo)
        sha = repo.branches()[name]
        protection = repo.protections.get(name)
        return {
            "name": name,
            "commit": self.commit(repo, repo.commits[sha]),
            "_links": {"self": f"{r}/branches/{name}", "html": f"{self.repo_html(repo)}/tree/{name}"},
            "protected": protection is not None,
            "protection": self.branch_protection_summary(protection),
            "protection_url": f"{r}/branches/{name}/protection",
        }

    def protection(self, repo: Repo, branch: str, p: Protection) -> dict[str, Any]:
        url = f"{self.repo_url(repo)}/branches/{branch}/protection"
        body: dict[str, Any] = {
            "url": url,
            "required_status_checks": {
                "url": f"{url}/required_status_checks",
                "strict": p.strict,
                "contexts": list(p.contexts),
                "contexts_url": f"{url}/required_status_checks/contexts",
                "checks": [{"context": c, "app_id": None} for c in p.contexts],
            },
            "required_signatures": {"url": f"{url}/required_signatures", "enabled": p.required_signatures},
            "enforce_admins": {"url": f"{url}/enforce_admins", "enabled": p.enforce_admins},
            "required_linear_history": {"enabled": p.required_linear_history},
            "allow_force_pushes": {"enabled": p.allow_force_pushes},
            "allow_deletions": {"enabled": p.allow_deletions},
            "block_creations": {"enabled": False},
            "required_conversation_resolution": {"enabled": False},
            "lock_branch": {"enabled": False},
            "allow_fork_syncing": {"enabled": False},
        }
        if p.required_approving_review_count is not None:
            body["required_pull_request_reviews"] = {
                "url": f"{url}/required_pull_request_reviews",
                "dismiss_stale_reviews": p.dismiss_stale_reviews,
                "require_code_owner_reviews": p.require_code_owner_reviews,
                "require_last_push_approval": False,
                "required_approving_review_count": p.required_approving_review_count,
            }
        return body

    def ref(self, repo: Repo, ref: str, sha: str) -> dict[str, Any]:
        r = self.repo_url(repo)
        return {
            "ref": ref,
            "node_id": node_id("REF", int(sha[:12], 16)),
            "url": f"{r}/git/{ref}",
            "object": {"type": "commit", "sha": sha, "url": f"{r}/git/commits/{sha}"},
        }

    def status(self, repo: Repo, sha: str, status: Status) -> dict[str, Any]:
        return {
            "url": f"{self.repo_url(repo)}/statuses/{sha}",
            "avatar_url": f"{self.web}/avatars/u/1?v=4",
            "id": status.id,
            "node_id": node_id("SC", status.id),
            "state": status.state,
            "description": status.description,
            "target_url": status.target_url,
            "context": status.context,
            "created_at": iso(status.created_at),
            "updated_at": iso(status.updated_at),
        }

    def app(self) -> dict[str, Any]:
        """The GitHub App that reports check runs (GitHub Actions, as on most repositories)."""
        return {
            "id": 15368,
            "slug": "github-actions",
            "node_id": "MDM6QXBwMTUzNjg=",
            "client_id": "Iv1.05c79e9ad1f6bdfa",
            "owner": self.user(self.world.user("github", type="Organization")),
            "name": "GitHub Actions",
            "description": "Automate your workflow from idea to production",
            "external_url": f"{self.web}/features/actions",
            "html_url": f"{self.web}/apps/github-actions",
            "created_at": "2018-07-30T09:30:17Z",
            "updated_at": "2019-12-10T19:04:12Z",
            "permissions": {"checks": "write", "contents": "write", "metadata": "read", "statuses": "write"},
            "events": ["check_run", "check_suite", "push", "pull_request"],
        }

    def check_run(self, repo: Repo, sha: str, run: CheckRun) -> dict[str, Any]:
        url = f"{self.repo_url(repo)}/check-runs/{run.id}"
        html = f"{self.repo_html(repo)}/runs/{run.id}"
        return {
            "id": run.id,
            "head_sha": sha,
            "node_id": node_id("CR", run.id),
            "external_id": str(run.id),
            "url": url,
            "html_url": html,
            "details_url": html,
            "status": run.status,
            "conclusion": run.conclusion,
            "started_at": iso(run.started_at),
            "completed_at": iso(run.completed_at),
            "output": {"title": None, "summary": None, "text": None, "annotations_count": 0,
                       "annotations_url": f"{url}/annotations"},
            "name": run.name,
            "check_suite": {"id": run.id + 1},
            "app": self.app(),
            "pull_requests": [],
        }

    def content_file(self, repo: Repo, path: str, blob: str, ref: str, *, with_content: bool = True) -> dict[str, Any]:
        r = self.repo_url(repo)
        data = repo.blobs[blob]
        url = f"{r}/contents/{quote(path)}?ref={quote(ref, safe='')}"
        html = f"{self.repo_html(repo)}/blob/{ref}/{quote(path)}"
        body: dict[str, Any] = {
            "type": "file",
            "size": len(data),
            "name": path.rsplit("/", 1)[-1],
            "path": path,
            "sha": blob,
            "url": url,
            "git_url": f"{r}/git/blobs/{blob}",
            "html_url": html,
            "download_url": f"{self.web}/{repo.full_name}/raw/{ref}/{quote(path)}",
            "_links": {"self": url, "git": f"{r}/git/blobs/{blob}", "html": html},
        }
        if with_content:
            encoded = base64.b64encode(data).decode()
            body["content"] = "".join(encoded[i:i + 60] + "\n" for i in range(0, len(encoded), 60))
            body["encoding"] = "base64"
        return body

    def content_dir_entry(self, repo: Repo, path: str, ref: str, tree_sha: str) -> dict[str, Any]:
        r = self.repo_url(repo)
        url = f"{r}/contents/{quote(path)}?ref={quote(ref, safe='')}"
        html = f"{self.repo_html(repo)}/tree/{ref}/{quote(path)}"
        return {
            "type": "dir", "size": 0, "name": path.rsplit("/", 1)[-1], "path": path, "sha": tree_sha, "url": url,
            "git_url": f"{r}/git/trees/{tree_sha}", "html_url": html, "download_url": None,
            "_links": {"self": url, "git": f"{r}/git/trees/{tree_sha}", "html": html},
        }

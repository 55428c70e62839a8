"""GitHubForge: the Forge protocol over PyGithub's Requester (auth, connection pooling, urllib3 retries).

Reads go through `_get_paged`, which sends the cached ETag as `If-None-Match` on every page (PyGithub's own list
calls never do), so refreshing unchanged data costs requests answered 304 and nothing from the rate limit.
Milestone items come from the issues endpoint filtered by milestone, 100 per page: one request per 100 items plus
one to find the milestone, never one request per PR."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

import github
import requests
from urllib3.util.retry import Retry

from cockpit.core.forge_models import (
    BranchProtection,
    CheckRun,
    CombinedStatus,
    Item,
    Milestone,
    MoveOutcome,
    RateLimit,
    Release,
    Repository,
)
from cockpit.services.auth import RepoSlug, Token
from cockpit.services.cache import ForgeCache
from cockpit.services.forge import github_shapes as shape
from cockpit.services.forge.base import (
    AuthError,
    Conflict,
    ForgeError,
    ForgeTimeout,
    NotFound,
    Offline,
    PermissionDenied,
    RateLimited,
    newest_merged_first,
    unknown_milestone,
)
from cockpit.services.forge.github_pulls import GitHubCommitPulls
from cockpit.services.forge.github_repos import GitHubRepoFiles
from cockpit.services.forge.local_repos import file_time

_NEXT = re.compile(r'<([^>]+)>;\s*rel="next"')


def default_retry() -> Retry:
    """Retry idempotent reads on transient server errors only; never a write (it could be applied twice), and never
    a long sleep: a rate limit is reported to the user instead of waited out behind a frozen screen."""
    return Retry(total=2, backoff_factor=0.3, status_forcelist=(502, 503, 504), allowed_methods=("GET",),
                 respect_retry_after_header=False, raise_on_status=False)


MAX_CHECK_RUN_PAGES = 10  # 1,000 runs on one commit is far beyond any CI; the rest would not change the verdict


class GitHubForge(GitHubRepoFiles, GitHubCommitPulls):
    def __init__(self, slug: RepoSlug, token: Token | None, *, base_url: str | None = None,
                 cache: ForgeCache | None = None, per_page: int = 100, timeout: int = 15,
                 retry: Retry | str | None = "default", throttle: bool = True, graphql: bool = True):
        self.slug = slug
        self.cache = cache
        self.per_page = per_page
        self.timeout = timeout
        self.graphql = graphql  # False: the commit -> PR association asks the REST endpoint per commit
        self._token_source = token.source if token else "no token"
        kwargs: dict[str, Any] = {}
        if not throttle:  # PyGithub sleeps 0.25 s / 1 s between calls by default
            kwargs.update(seconds_between_requests=None, seconds_between_writes=None)
        self._gh = github.Github(auth=github.Auth.Token(token.value) if token else None,
                                 base_url=base_url or slug.api_url, per_page=per_page, timeout=timeout,
                                 retry=default_retry() if retry == "default" else retry, **kwargs)
        self._req = self._gh.requester
        self._repo = f"/repos/{slug.owner}/{slug.name}"
        self.requests_made = 0

    def close(self) -> None:
        self._gh.close()

    @property
    def _graphql_url(self) -> str:
        """GitHub's GraphQL endpoint beside the REST base: /graphql, or /api/graphql for GitHub Enterprise."""
        return self._req.graphql_url

    # --- HTTP -------------------------------------------------------------------------------------------------

    def _send(self, verb: str, url: str, params: dict[str, Any] | None = None, body: Any = None,
              headers: dict[str, str] | None = None, what: str = "") -> tuple[int, dict[str, Any], Any]:
        try:
            self.requests_made += 1
            status, hdrs, text = self._req.requestJson(verb, url, parameters=params, headers=headers, input=body)
        except requests.exceptions.Timeout:
            raise ForgeTimeout(f"{self.slug.host} did not answer within {self.timeout:g} s: try again "
                               "(the cockpit keeps showing cached data)") from None
        except requests.exceptions.RetryError:
            raise ForgeError(f"{self.slug.host} kept failing (server errors): try again in a few minutes") from None
        except (requests.exceptions.ConnectionError, ConnectionError, OSError):
            raise Offline(f"cannot reach {self.slug.host}: is the network down? (the cockpit shows cached data "
                          "and keeps working on git)") from None
        hdrs = {k.lower(): v for k, v in hdrs.items()}
        try:
            data = json.loads(text) if text else None
        except json.JSONDecodeError:
            data = None
        if status >= 400:
            raise self._error(status, hdrs, data, what or f"{verb} {url}")
        return status, hdrs, data

    def _error(self, status: int, headers: dict[str, Any], data: Any, what: str) -> ForgeError:
        message = data.get("message") if isinstance(data, dict) else ""
        message = message if isinstance(message, str) else ""  # an error's body is checked like any answer
        lower = message.lower()
        if status == 401:
            return AuthError(f"GitHub rejected the token from {self._token_source} (bad credentials): create a new "
                             "token and set GH_TOKEN, or run `gh auth login`")
        if status in (403, 429) and (github.Requester.Requester.isRateLimitError(lower) or status == 429
                                     or headers.get("x-ratelimit-remaining") == "0"):
            if headers.get("x-ratelimit-remaining") == "0" and re.fullmatch(r"[0-9]{1,10}",
                                                                             headers.get("x-ratelimit-reset") or ""):
                reset = datetime.fromtimestamp(int(headers["x-ratelimit-reset"]), UTC)
                return RateLimited(f"GitHub rate limit used up until {reset:%H:%M} UTC: the cockpit shows cached "
                                   "data until then", reset)
            wait = headers.get("retry-after")
            return RateLimited("GitHub asked to slow down (secondary rate limit): "
                               + (f"retry in {wait} s" if wait else "wait a minute and retry"))
        if status == 403:
            scopes = headers.get("x-oauth-scopes")
            return PermissionDenied(f"GitHub refused {what}: {message or 'forbidden'}; the token from "
                                    f"{self._token_source} lacks permission"
                                    + (f" (its scopes: {scopes or 'none'}; it needs repo)" if scopes is not None
                                       else ""))
        if status == 404:
            return NotFound(f"{what}: not found on {self.slug.host} (or the token from {self._token_source} "
                            "cannot see it)")
        if status == 409:
            return Conflict(f"GitHub refused {what}: {message or 'conflict'} (it changed meanwhile: re-read it)")
        if status == 422:
            errors = (data or {}).get("errors") or [] if isinstance(data, dict) else []
            detail = "; ".join(str(e.get("message") or f"{e.get('field')} {e.get('code')}").strip()
                               for e in errors if isinstance(e, dict)) if isinstance(errors, list) else ""
            return Conflict(f"GitHub refused {what}: {message}" + (f" ({detail})" if detail else ""))
        if status >= 500:
            return ForgeError(f"GitHub answered {status} to {what}: try again in a minute")
        return ForgeError(f"GitHub answered {status} to {what}: {message or 'no message'}")

    def _get(self, url: str, params: dict[str, Any] | None = None, what: str = "") -> Any:
        return self._get_paged(url, params, what, paged=False)

    def _get_paged(self, url: str, params: dict[str, Any] | None = None, what: str = "",
                   paged: bool = True) -> Any:
        """GET (all pages when `paged`), conditional on the cached ETag of each page."""
        results: list[Any] = []
        next_url: str | None = url
        query = params
        while next_url:
            key = next_url + ("?" + "&".join(f"{k}={v}" for k, v in sorted(query.items())) if query else "")
            cached = self.cache.response(key) if self.cache else None
            headers = {"If-None-Match": cached.etag} if cached else None
            status, hdrs, data = self._send("GET", next_url, query, headers=headers, what=what or url)
            if status == 304 and cached:
                data, link = json.loads(cached.body), cached.link
            else:
                link = hdrs.get("link")
                if self.cache and hdrs.get("etag"):
                    self.cache.store_response(key, hdrs["etag"], link, json.dumps(data))
            if not paged:
                return data
            results.extend(shape.a_list(data, what or url))
            m = _NEXT.search(link or "")
            next_url, query = (m.group(1), None) if m else (None, None)
        return results

    # --- conversions ------------------------------------------------------------------------------------------

    # Each answer is checked (github_shapes) before it is read: a malformed one is a ForgeError naming the field.

    @staticmethod
    def _milestone(m: dict[str, Any], what: str = "a milestone") -> Milestone:
        m = shape.milestone(m, what)
        due = file_time(m.get("due_on"))
        return Milestone(m["number"], m["title"], m["state"], due.date() if due else None,
                         m.get("description") or "", m.get("open_issues", 0), m.get("closed_issues", 0),
                         m.get("html_url", ""))

    @staticmethod
    def _item(i: dict[str, Any], what: str = "an issue") -> Item:
        i = shape.issue(i, what)
        pr = i.get("pull_request")
        user = i.get("user") or {}
        return Item(
            number=i["number"], kind="pr" if pr is not None else "issue", title=i["title"],
            state=i["state"], author=user.get("login", ""),
            labels=tuple(lb["name"] if isinstance(lb, dict) else lb for lb in i.get("labels") or ()),
            body=i.get("body") or "", milestone=(i.get("milestone") or {}).get("title"),
            merged_at=file_time((pr or {}).get("merged_at")), created_at=file_time(i.get("created_at")),
            updated_at=file_time(i.get("updated_at")), url=i.get("html_url", ""),
            author_url=user.get("html_url", ""), merge_commit_sha=i.get("merge_commit_sha"),
        )

    @staticmethod
    def _release(r: Any, what: str = "a release") -> Release:
        r = shape.checked(r, shape.RELEASE, what, "the release")
        return Release(r["tag_name"], r.get("name") or "", r.get("body") or "", r["draft"], r["prerelease"],
                       r.get("html_url", ""), r["id"])

    # --- reads ------------------------------------------------------------------------------------------------

    def repository(self, repo: str | None = None) -> Repository:
        what = f"repository {repo or self.slug}"
        r = shape.checked(self._get(self._repo_path(repo), what=what), shape.REPOSITORY, what, "the repository")
        owner = shape.checked(r["owner"], {"login": (shape.TEXT, True)}, what, "the repository's owner")
        perms = shape.checked(r.get("permissions") or {}, {"push": (shape.FLAG, False)}, what, "the permissions")
        return Repository(owner["login"], r["name"], r["default_branch"], r["html_url"], perms.get("push"))

    def _all_milestones(self) -> list[dict[str, Any]]:
        what = f"milestones of {self.slug}"
        return shape.milestones(self._get_paged(f"{self._repo}/milestones", {"state": "all",
                                                                               "per_page": self.per_page}, what), what)

    def milestones(self, state: str = "open") -> list[Milestone]:
        found = [self._milestone(m) for m in self._all_milestones() if state == "all" or m["state"] == state]
        return sorted(found, key=lambda m: (m.due_on is None, m.due_on or date.max, m.number))

    def _milestone_raw(self, title: str) -> dict[str, Any]:
        every = self._all_milestones()
        for m in every:
            if m["title"] == title:
                return m
        raise unknown_milestone(title, [m["title"] for m in every if m["state"] == "open"])

    def milestone(self, title: str) -> Milestone:
        return self._milestone(self._milestone_raw(title))

    def milestone_items(self, title: str) -> list[Item]:
        number = self._milestone_raw(title)["number"]
        what = f"items of milestone {title}"
        items = self._get_paged(f"{self._repo}/issues", {"milestone": number, "state": "all",
                                                          "per_page": self.per_page}, what)
        return [self._item(i, what) for i in shape.issues(items, what)]

    def merged_without_milestone(self, since: date | None = None) -> list[Item]:
        """Merged PRs without a milestone, filtered server-side (milestone=none, closed; 100 per page): closed
        issues and PRs closed unmerged are dropped here, by the `pull_request.merged_at` the endpoint carries."""
        params: dict[str, Any] = {"milestone": "none", "state": "closed", "per_page": self.per_page}
        if since is not None:
            params["since"] = f"{since.isoformat()}T00:00:00Z"  # updated since: a superset of merged since
        what = "merged PRs without a milestone"
        raw = shape.issues(self._get_paged(f"{self._repo}/issues", params, what), what)
        return newest_merged_first([self._item(i, what) for i in raw
                                    if (i.get("pull_request") or {}).get("merged_at")], since)

    def item(self, number: int) -> Item:
        return self._item(self._get(f"{self._repo}/issues/{number}", what=f"issue #{number}"), f"issue #{number}")

    def pull_commits(self, number: int) -> list[str]:
        """The PR's own commits, oldest first (GitHub lists up to 250): after a rebase merge their ids differ from
        the commits that landed, which the caller matches by patch-id."""
        what = f"the commits of PR #{number}"
        found = self._get_paged(f"{self._repo}/pulls/{number}/commits", {"per_page": self.per_page}, what)
        return [shape.commit_id(c, what, n) for n, c in enumerate(found)]

    def release(self, tag: str) -> Release | None:
        try:
            return self._release(self._get(f"{self._repo}/releases/tags/{tag}", what=f"release {tag}"),
                                 f"release {tag}")
        except NotFound:
            return None

    def branch_protection(self, branch: str) -> BranchProtection:
        what = f"protection of {branch}"
        try:
            p = shape.checked(self._get(f"{self._repo}/branches/{branch}/protection", what=what), shape.PROTECTION,
                              what, "the protection")
        except NotFound:
            return BranchProtection(branch, False)
        reviews = shape.checked(p.get("required_pull_request_reviews") or {}, shape.REVIEWS, what, "the reviews")
        return BranchProtection(branch, True, reviews.get("required_approving_review_count"))

    def combined_status(self, ref: str) -> CombinedStatus:
        what = f"CI status of {ref}"
        s = shape.checked(self._get(f"{self._repo}/commits/{ref}/status", what=what), shape.STATUS, what,
                          "the status", shape.STATUS_STATES)
        total = s.get("total_count", 0)
        return CombinedStatus(ref, s["state"] if total else "unknown", total)

    def check_runs(self, ref: str) -> list[CheckRun]:
        """The newest run of each name (GitHub's `filter=latest`), page by page up to MAX_CHECK_RUN_PAGES."""
        what = f"check runs of {ref}"
        runs: list[CheckRun] = []
        for page in range(1, MAX_CHECK_RUN_PAGES + 1):
            data = shape.checked(self._get(f"{self._repo}/commits/{ref}/check-runs",
                                           {"filter": "latest", "per_page": 100, "page": page}, what),
                                 shape.CHECK_RUNS, what, "the answer")
            batch = shape.a_list(data["check_runs"], what)
            for n, raw in enumerate(batch):
                r = shape.checked(raw, shape.CHECK_RUN, what, f"check run [{n}]", shape.CHECK_RUN_STATES)
                runs.append(CheckRun(r["name"], r["status"], r.get("conclusion"), r.get("html_url") or ""))
            if not batch or len(runs) >= data["total_count"]:
                break
        return sorted(runs, key=lambda r: r.name)

    def rate_limit(self) -> RateLimit | None:
        what = "the rate limit"
        _, _, data = self._send("GET", "/rate_limit", what=what)
        resources = shape.checked(data, {"resources": (shape.OBJECT, True)}, what, "the answer")["resources"]
        core = shape.checked(resources.get("core"), shape.RATE, what, "resources.core")
        try:
            return RateLimit(core["limit"], core["remaining"], datetime.fromtimestamp(core["reset"], UTC))
        except (OverflowError, OSError, ValueError):
            raise shape.malformed(what, f"reset {core['reset']} is no time") from None

    # --- writes -----------------------------------------------------------------------------------------------

    def create_milestone(self, title: str, due_on: date | None = None, description: str = "") -> Milestone:
        body: dict[str, Any] = {"title": title, "description": description}
        if due_on:
            body["due_on"] = f"{due_on.isoformat()}T00:00:00Z"
        _, _, m = self._send("POST", f"{self._repo}/milestones", body=body, what=f"creating milestone {title}")
        return self._milestone(m)

    def _patch_milestone(self, title: str, change: dict[str, Any], what: str) -> Milestone:
        number = self._milestone_raw(title)["number"]
        _, _, m = self._send("PATCH", f"{self._repo}/milestones/{number}", body=change, what=what)
        return self._milestone(m)

    def rename_milestone(self, title: str, new_title: str) -> Milestone:
        return self._patch_milestone(title, {"title": new_title}, f"renaming milestone {title}")

    def close_milestone(self, title: str) -> Milestone:
        return self._patch_milestone(title, {"state": "closed"}, f"closing milestone {title}")

    def move_items(self, numbers: Sequence[int], to_title: str | None) -> list[MoveOutcome]:
        # GitHub's schema has no null here: an empty string clears the milestone (as PyGithub sends it)
        target = self._milestone_raw(to_title)["number"] if to_title is not None else ""
        outcomes = []
        for number in numbers:
            self._send("PATCH", f"{self._repo}/issues/{number}", body={"milestone": target},
                       what=f"moving #{number}")
            _, _, after = self._send("GET", f"{self._repo}/issues/{number}", what=f"re-reading #{number}")
            now = self._item(after, f"issue #{number}").milestone
            moved = now == to_title
            outcomes.append(MoveOutcome(number, moved, now, "" if moved else
                                        f"GitHub ignored the change: the token from {self._token_source} has no "
                                        f"push access to {self.slug}"))
        return outcomes

    def create_issue(self, title: str, body: str, milestone: str | None = None,
                     labels: Sequence[str] = ()) -> Item:
        payload: dict[str, Any] = {"title": title, "body": body, "labels": list(labels)}
        if milestone is not None:
            payload["milestone"] = self._milestone_raw(milestone)["number"]
        _, _, i = self._send("POST", f"{self._repo}/issues", body=payload, what="creating an issue")
        return self._item(i)

    def comment(self, number: int, body: str) -> str:
        what = f"commenting on #{number}"
        _, _, c = self._send("POST", f"{self._repo}/issues/{number}/comments", body={"body": body}, what=what)
        return shape.checked(c, shape.COMMENT, what, "the comment").get("html_url", "")

    def add_labels(self, number: int, labels: Sequence[str]) -> tuple[str, ...]:
        what = f"labelling #{number}"
        _, _, found = self._send("POST", f"{self._repo}/issues/{number}/labels", body={"labels": list(labels)},
                                 what=what)
        return tuple(shape.checked(lb, {"name": (shape.TEXT, True)}, what, "a label")["name"]
                     for lb in shape.a_list(found, what))

    def edit_body(self, number: int, body: str) -> Item:
        _, _, i = self._send("PATCH", f"{self._repo}/issues/{number}", body={"body": body},
                             what=f"editing #{number}")
        return self._item(i)

    def create_pull(self, title: str, body: str, head: str, base: str, repo: str | None = None) -> Item:
        _, _, p = self._send("POST", f"{self._repo_path(repo)}/pulls",
                             body={"title": title, "body": body, "head": head, "base": base},
                             what=f"opening a PR from {head}" + (f" on {repo}" if repo else ""))
        return self._pull_item(p)

    def create_release(self, tag: str, name: str, body: str, draft: bool, prerelease: bool,
                       make_latest: bool) -> Release:
        payload = {"tag_name": tag, "name": name, "body": body, "draft": draft, "prerelease": prerelease,
                   "make_latest": "true" if make_latest else "false"}
        _, _, r = self._send("POST", f"{self._repo}/releases", body=payload, what=f"creating release {tag}")
        return self._release(r)

"""Git-level endpoints: branches and their protection, compare, refs, combined commit status, check runs."""

from __future__ import annotations

from typing import Any

from ..routing import ApiError, Call, Reply, not_found, route


@route("GET", "/repos/{owner}/{repo}/branches/{branch}")
def get_branch(call: Call) -> Reply:
    repo = call.repo()
    name = call.params["branch"]
    if name not in repo.branches():
        raise not_found("Branch not found")
    return Reply(200, call.render.branch(repo, name))


@route("GET", "/repos/{owner}/{repo}/branches/{branch}/protection")
def get_protection(call: Call) -> Reply:
    repo = call.repo()
    name = call.params["branch"]
    if name not in repo.branches():
        raise not_found("Branch not found")
    protection = repo.protections.get(name)
    if protection is None:
        raise not_found("Branch not protected")
    return Reply(200, call.render.protection(repo, name, protection))


@route("GET", "/repos/{owner}/{repo}/compare/{basehead}")
def compare(call: Call) -> Reply:
    repo = call.repo()
    basehead = call.params["basehead"]
    if "..." not in basehead:
        raise not_found()
    base, head = basehead.split("...", 1)
    base_sha, head_sha = repo.resolve(base), repo.resolve(head)
    if base_sha is None or head_sha is None:
        raise not_found()
    base_line, head_line = repo.ancestors(base_sha), repo.ancestors(head_sha)
    merge_base = next((sha for sha in head_line if sha in set(base_line)), None)
    if merge_base is None:
        raise not_found(f"No common ancestor between {base} and {head}.")
    ahead = [sha for sha in head_line if sha not in set(base_line)]
    behind = [sha for sha in base_line if sha not in set(head_line)]
    status = "identical" if not ahead and not behind else "ahead" if not behind else "behind" if not ahead \
        else "diverged"
    ahead.reverse()  # oldest first, as GitHub lists them
    page = call.paginate(ahead, default_per_page=250)
    html = f"{call.render.repo_html(repo)}/compare/{basehead}"
    body: dict[str, Any] = {
        "url": f"{call.render.repo_url(repo)}/compare/{basehead}",
        "html_url": html,
        "permalink_url": f"{call.render.repo_html(repo)}/compare/{repo.owner}:{base_sha[:7]}...{repo.owner}:"
                         f"{head_sha[:7]}",
        "diff_url": f"{html}.diff",
        "patch_url": f"{html}.patch",
        "base_commit": call.render.commit(repo, repo.commits[base_sha]),
        "merge_base_commit": call.render.commit(repo, repo.commits[merge_base]),
        "status": status,
        "ahead_by": len(ahead),
        "behind_by": len(behind),
        "total_commits": len(ahead),
        "commits": [call.render.commit(repo, repo.commits[sha]) for sha in page],
        "files": [],
    }
    return Reply(200, body, call.headers)


@route("POST", "/repos/{owner}/{repo}/git/refs")
def create_ref(call: Call) -> Reply:
    repo = call.repo()
    call.require_push(repo)
    ref, sha = call.field("ref"), call.field("sha")
    if not isinstance(ref, str) or not ref.startswith("refs/") or ref.count("/") < 2:
        raise ApiError(422, "Reference name must start with 'refs/' and have at least two slashes.")
    if not isinstance(sha, str) or sha not in repo.commits:
        raise ApiError(422, "Object does not exist")
    if ref in repo.refs:
        raise ApiError(422, "Reference already exists")
    repo.refs[ref] = sha
    body = call.render.ref(repo, ref, sha)
    return Reply(201, body, {"Location": body["url"]})


@route("GET", "/repos/{owner}/{repo}/git/ref/{ref}")
def get_ref(call: Call) -> Reply:
    repo = call.repo()
    ref = "refs/" + call.params["ref"]
    if ref not in repo.refs:
        raise not_found()
    return Reply(200, call.render.ref(repo, ref, repo.refs[ref]))


def combined_state(states: list[str]) -> str:
    if any(s in ("error", "failure") for s in states):
        return "failure"
    if not states or any(s == "pending" for s in states):
        return "pending"
    return "success"


@route("GET", "/repos/{owner}/{repo}/commits/{ref}/status")
def combined_status(call: Call) -> Reply:
    repo = call.repo()
    sha = repo.resolve(call.params["ref"])
    if sha is None:
        raise not_found(f"No commit found for SHA: {call.params['ref']}")
    latest: dict[str, Any] = {}
    for status in repo.statuses.get(sha, []):
        latest[status.context] = status  # later statuses of a context replace earlier ones
    statuses = sorted(latest.values(), key=lambda s: s.context)
    page = call.paginate(statuses, default_per_page=100)
    r = call.render.repo_url(repo)
    body = {
        "state": combined_state([s.state for s in statuses]),
        "statuses": [call.render.status(repo, sha, s) for s in page],
        "sha": sha,
        "total_count": len(statuses),
        "repository": call.render.repo(repo),
        "commit_url": f"{r}/commits/{sha}",
        "url": f"{r}/commits/{sha}/status",
    }
    return Reply(200, body, call.headers)



@route("GET", "/repos/{owner}/{repo}/commits/{ref}/check-runs")
def check_runs(call: Call) -> Reply:
    """The check runs of a commit; `filter=latest` (the default) keeps each name's newest run."""
    repo = call.repo()
    sha = repo.resolve(call.params["ref"])
    if sha is None:
        raise ApiError(422, f"No commit found for SHA: {call.params['ref']}")
    runs = list(repo.check_runs.get(sha, []))
    if call.arg("filter", "latest") != "all":
        latest = {run.name: run for run in runs}
        runs = list(latest.values())
    name, status = call.arg("check_name"), call.arg("status")
    runs = [r for r in runs if (name is None or r.name == name) and (status is None or r.status == status)]
    runs.sort(key=lambda r: r.id, reverse=True)
    page = call.paginate(runs)
    body = {"total_count": len(runs), "check_runs": [call.render.check_run(repo, sha, r) for r in page]}
    return Reply(200, body, call.headers)

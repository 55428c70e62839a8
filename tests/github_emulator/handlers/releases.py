"""Releases: create (draft / prerelease / make_latest), list (newest first) and get by tag.

As on GitHub, publishing a release for a tag that does not exist yet creates the tag at `target_commitish`; a draft
creates nothing, cannot be found by its tag,
and is listed only to those with push access.
"""

from __future__ import annotations

from ..routing import Call, Reply, invalid, not_found, route
from ..state import Release


@route("POST", "/repos/{owner}/{repo}/releases")
def create_release(call: Call) -> Reply:
    repo = call.repo()
    call.require_push(repo)
    tag = call.field("tag_name")
    if not isinstance(tag, str) or not tag:
        raise invalid("Release", "tag_name", "missing_field")
    if any(r.tag_name == tag for r in repo.releases):
        raise invalid("Release", "tag_name", "already_exists")
    target = call.field("target_commitish") or repo.default_branch
    draft, prerelease = bool(call.field("draft", False)), bool(call.field("prerelease", False))
    tag_ref = f"refs/tags/{tag}"
    if tag_ref not in repo.refs and repo.resolve(target) is None:
        raise invalid("Release", "target_commitish")
    make_latest = call.field("make_latest", "true")
    if make_latest not in ("true", "false", "legacy"):
        raise invalid("Release", "make_latest")
    now = call.now()
    release = Release(
        id=call.world.next_id(),
        tag_name=tag,
        target_commitish=target,
        author=call.login,
        name=call.field("name") or (None if draft else tag),
        body=call.field("body"),
        draft=draft,
        prerelease=prerelease,
        created_at=now,
        published_at=None if draft else now,
    )
    if call.field("generate_release_notes") and not release.body:
        release.body = f"**Full Changelog**: {call.render.repo_html(repo)}/commits/{tag}"
    repo.releases.append(release)
    if not draft:
        sha = repo.resolve(target)
        if tag_ref not in repo.refs and sha is not None:
            repo.refs[tag_ref] = sha
        if not prerelease and make_latest in ("true", "legacy"):
            repo.latest_release_id = release.id
    body = call.render.release(repo, release)
    return Reply(201, body, {"Location": body["url"]})


@route("GET", "/repos/{owner}/{repo}/releases/tags/{tag}")
def get_release_by_tag(call: Call) -> Reply:
    repo = call.repo()
    for release in repo.releases:
        if release.tag_name == call.params["tag"] and not release.draft:
            return Reply(200, call.render.release(repo, release))
    raise not_found()


@route("GET", "/repos/{owner}/{repo}/releases")
def list_releases(call: Call) -> Reply:
    repo = call.repo()
    visible = [r for r in repo.releases if not r.draft or call.can_push(repo)]
    visible.sort(key=lambda r: (r.created_at, r.id), reverse=True)
    page = call.paginate(visible)
    return Reply(200, [call.render.release(repo, r) for r in page], call.headers)

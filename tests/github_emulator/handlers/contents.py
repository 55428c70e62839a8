"""Repository contents: read a file or directory at a ref, create or update a file with a commit on a branch."""

from __future__ import annotations

import base64
import binascii

from ..routing import ApiError, Call, Reply, invalid, not_found, route
from ..state import blob_sha, fake_sha


@route("GET", "/repos/{owner}/{repo}/contents/{path}")
def get_contents(call: Call) -> Reply:
    repo = call.repo()
    ref = call.arg("ref") or repo.default_branch
    sha = repo.resolve(ref)
    if sha is None:
        raise not_found(f"No commit found for the ref {ref}")
    tree = repo.commits[sha].tree
    path = call.params["path"].strip("/")
    if path in tree:
        return Reply(200, call.render.content_file(repo, path, tree[path], ref))
    prefix = path + "/" if path else ""
    children = sorted({p[len(prefix):].split("/", 1)[0] for p in tree if p.startswith(prefix)})
    if not children:
        raise not_found()
    entries = []
    for name in children:
        child = prefix + name
        if child in tree:
            entries.append(call.render.content_file(repo, child, tree[child], ref, with_content=False))
        else:
            subtree = fake_sha("tree", *sorted((p, b) for p, b in tree.items() if p.startswith(child + "/")))
            entries.append(call.render.content_dir_entry(repo, child, ref, subtree))
    return Reply(200, entries)


@route("PUT", "/repos/{owner}/{repo}/contents/{path}")
def put_contents(call: Call) -> Reply:
    repo = call.repo()
    call.require_push(repo)
    path = call.params["path"].strip("/")
    message, content = call.field("message"), call.field("content")
    if not isinstance(message, str):
        raise ApiError(422, 'Invalid request.\n\n"message" wasn\'t supplied.')
    if not isinstance(content, str):
        raise ApiError(422, 'Invalid request.\n\n"content" wasn\'t supplied.')
    try:
        data = base64.b64decode(content, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise invalid("Content", "content") from exc
    branch = call.field("branch") or repo.default_branch
    head = repo.branches().get(branch)
    if head is None:
        raise not_found(f"Branch {branch} not found")
    existing = repo.commits[head].tree.get(path)
    given = call.field("sha")
    if existing is not None and given is None:
        raise ApiError(422, 'Invalid request.\n\n"sha" wasn\'t supplied.')
    if existing is not None and given != existing:
        raise ApiError(409, f"{path} does not match {given}")
    author = call.field("author") or call.field("committer") or {}
    user = call.world.user(call.login)
    commit = call.world.commit(
        repo,
        message,
        parents=[head],
        files={path: data},
        author_name=author.get("name") or user.name or user.login,
        author_email=author.get("email") or user.email or f"{user.login}@users.noreply.example.com",
        author_login=None if author else user.login,
    )
    repo.refs[f"refs/heads/{branch}"] = commit.sha
    file_sha = blob_sha(data)
    body = {
        "content": call.render.content_file(repo, path, file_sha, branch, with_content=False),
        "commit": call.render.git_commit(repo, commit),
    }
    return Reply(200 if existing is not None else 201, body)

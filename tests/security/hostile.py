"""Hostile data for the security tests: markup, ANSI/OSC escapes and very long lines in everything the forge and
git give (PR titles, authors, labels, release-note bodies, a milestone, a pushed commit)."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

from cockpit.demo import Sandbox, build_sandbox

from ui_helpers import TODAY

MARKUP = "[@click=app.quit]quit[/] [bold red]red[/] [link=https://evil.example]link[/link]"
ESCAPES = "\x1b[2J\x1b[31m\x1b]0;pwned\x07\x1b]8;;https://evil.example\x1b\\\x9b2J"
LONG = "W" * 4000
TITLE = f"fix(libsinsp): {MARKUP} {ESCAPES}cleared {LONG}"
AUTHOR = "[red]mallory[/]\x1b[5m"
LABELS = ["kind/bug", "[blink]label[/]", "\x1b[8mhidden"]
NOTE = f"fix(libsinsp): notes {MARKUP} {ESCAPES}cleared"
MILESTONE = "[@click=app.quit]0.99.0[/]\x1b[2J"
SUBJECT = f"fix(libscap): pick {MARKUP} {ESCAPES}cleared (#4242)"
COMMIT_AUTHOR = "Mal[bold]lory\x1b[31m"
# what must not reach the screen: C0 controls but newline, DEL, and the C1 controls (0x9b is CSI)
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def hostile_sandbox(root: Path) -> Sandbox:
    sb = build_sandbox(root / "sandbox", TODAY)
    data = json.loads(sb.forge_file.read_text())
    items = [i for i in data["items"] if i.get("milestone") == "0.26.0" and i["kind"] == "pr" and i.get("merged")]
    for item in items[:3]:
        item |= {"title": TITLE, "author": AUTHOR, "labels": LABELS,
                 "body": f"{MARKUP}\n{ESCAPES}\n\n```release-note\n{NOTE}\n```\n"}
    data["items"].append({"number": 4242, "kind": "pr", "title": TITLE, "state": "open", "merged": False,
                          "milestone": "0.26.0", "labels": [*LABELS, "kind/feature"], "author": AUTHOR,
                          "body": ESCAPES, "created_at": "2026-11-01T00:00:00Z", "updated_at": "2026-11-01T00:00:00Z"})
    data["items"].append({"number": 4243, "kind": "pr", "title": f"orphan {MARKUP} {ESCAPES}", "state": "closed",
                          "merged": True, "merged_at": "2026-11-20T00:00:00Z", "milestone": None, "labels": [],
                          "author": AUTHOR, "body": "", "created_at": "2026-11-01T00:00:00Z"})
    data["milestones"].append({"number": 99, "title": MILESTONE, "state": "open", "description": ESCAPES,
                               "due_on": "2027-12-01T00:00:00Z", "created_at": "2026-11-01T00:00:00Z"})
    sb.forge_file.write_text(json.dumps(data))
    clone = str(sb.clone)
    (sb.clone / "hostile.txt").write_text(f"{MARKUP}\n{ESCAPES}\n{LONG}\n")
    env = {"GIT_AUTHOR_NAME": COMMIT_AUTHOR, "GIT_AUTHOR_EMAIL": "mallory@example.com", "PATH": "/usr/bin:/bin"}
    subprocess.run(["git", "-C", clone, "add", "hostile.txt"], check=True)
    subprocess.run(["git", "-C", clone, "-c", "user.name=c", "-c", "user.email=c@x", "commit", "-q", "-m", SUBJECT],
                   check=True, env=env)
    subprocess.run(["git", "-C", clone, "push", "-q", "origin", "master"], check=True)
    return sb

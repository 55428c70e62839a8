#!/usr/bin/env python3
"""Regenerate screenshots/ from the demo sandbox: the app driven by a Pilot, the calendar pinned so every run
draws the same pictures. SVGs always; PNGs too where rsvg-convert is installed.

    python scripts/screenshots.py [--out screenshots] [--size 140x45]
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import subprocess
import tempfile
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path

from textual.pilot import Pilot

from cockpit.demo import build_sandbox
from cockpit.services.bundle import build_services
from cockpit.services.settings import UserConfig
from cockpit.ui.app import CockpitApp

TODAY = date(2026, 11, 25)  # the sandbox's code-freeze day


async def settle(app: CockpitApp, pilot: Pilot) -> None:
    quiet = 0
    for _ in range(100):  # workers start workers (refs, then graph and forge, then checks): wait for all
        await app.workers.wait_for_complete()
        await pilot.pause()
        done = getattr(app.screen, "completed", True)  # the dashboard mounts its other panes after its first frame
        quiet = quiet + 1 if done and not any(w.is_running for w in app.workers) else 0
        if quiet >= 3:
            break


async def palette(app: CockpitApp, pilot: Pilot) -> None:
    await settle(app, pilot)
    await pilot.press("ctrl+p")
    await pilot.press(*"focus")
    await pilot.pause(0.5)


def keys(*pressed: str) -> Callable[[CockpitApp, Pilot], Awaitable[None]]:
    """A shot of the settled app after pressing these keys, each followed by the work it starts."""
    async def shot(app: CockpitApp, pilot: Pilot) -> None:
        await settle(app, pilot)
        for key in pressed:
            await pilot.press(key)
            await settle(app, pilot)
    return shot


SHOTS: dict[str, Callable[[CockpitApp, Pilot], Awaitable[None]]] = {
    "dashboard": keys(),
    "checks": keys("c"),
    "help": keys("question_mark"),
    "command-palette": palette,
    "dialog-cut-branch": keys("b"),
    "dialog-tag-refused": keys("t"),
    "triage": keys("m"),
    "backport": keys("p"),
    "notes": keys("n"),
    "dialog-plan-release": keys("N"),
    "dialog-bump": keys("v"),
    "milestone-burndown": keys("4", "end"),  # the release pane of the selected milestone, scrolled to its burndown
    "dashboard-80x24": keys(),
    "dialog-cut-branch-80x24": keys("b"),
}
SIZES = {"dashboard-80x24": (80, 24), "dialog-cut-branch-80x24": (80, 24)}  # the others take --size


async def shoot(repo: Path, out: Path, size: tuple[int, int], name: str) -> Path:
    services, cached = build_services(repo, TODAY, env={}, user=UserConfig())
    app = CockpitApp(services, cached)
    async with app.run_test(size=size) as pilot:
        await SHOTS[name](app, pilot)
        return Path(app.save_screenshot(f"{name}.svg", str(out)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(Path(__file__).resolve().parent.parent / "screenshots"))
    parser.add_argument("--size", default="140x45")
    args = parser.parse_args()
    width, height = (int(n) for n in args.size.split("x"))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    rsvg = shutil.which("rsvg-convert")
    with tempfile.TemporaryDirectory() as tmp:
        sandbox = build_sandbox(Path(tmp) / "sandbox", TODAY)
        for name in SHOTS:
            svg = asyncio.run(shoot(sandbox.clone, out, SIZES.get(name, (width, height)), name))
            print(svg)
            if rsvg:
                png = svg.with_suffix(".png")
                subprocess.run([rsvg, "--zoom", "1", "-o", str(png), str(svg)], check=True)
                print(png)


if __name__ == "__main__":
    main()

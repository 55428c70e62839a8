#!/usr/bin/env python3
"""Time the cockpit's first paint with git data: run the real app (headless) on a repository and print, as JSON,
the wall-clock moments (unix time) when the Branches pane first shows the release branches and when their
ahead/behind counts are filled in. bench.py starts this as a subprocess and subtracts its own start time, so
interpreter start-up and imports are included.

    first_paint.py REPO
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from datetime import date


async def watch(repo: str) -> dict[str, float]:
    from cockpit.services.bundle import build_services
    from cockpit.services.settings import UserConfig
    from cockpit.ui.app import CockpitApp
    from cockpit.ui.widgets.branches import BranchesTable

    services, cached = build_services(repo, date.today(), user=UserConfig())
    app = CockpitApp(services, cached)
    moments: dict[str, float] = {}
    async with app.run_test(size=(140, 45)) as pilot:
        while "complete" not in moments:
            tables = app.screen.query(BranchesTable)
            table = tables.first() if tables else None
            if table is not None and table.row_count > 1 and not table.loading:
                moments.setdefault("first_paint", time.time())
                if "…" not in str(table.get_row_at(1)[2]):
                    moments["complete"] = time.time()
            await pilot.pause(0.002)
    return moments


def main() -> None:
    print(json.dumps(asyncio.run(watch(sys.argv[1]))))


if __name__ == "__main__":
    main()

"""Smoke test of the benchmark script: it builds the tiny repository and reports every measurement.

It never checks a timing against a threshold (machines differ); only that each figure was measured."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "bench.py"


def test_bench_reports_status_candidates_and_naive_on_the_tiny_repo(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    done = subprocess.run(
        [sys.executable, str(BENCH), "--sizes", "tiny", "--runs", "1", "--workdir", str(tmp_path / "repos"),
         "--out", str(out)],
        capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr

    rows = {tuple(line.split()[:2]) for line in done.stdout.splitlines() if line.startswith("tiny ")}
    assert {("tiny", "status"), ("tiny", "candidates"), ("tiny", "naive")} <= rows

    tiny = json.loads(out.read_text())["sizes"]["tiny"]
    for key in ("status", "candidates"):
        m = tiny[key]
        assert m["ms"] > 0 and m["floor_ms"] > 0 and m["ratio"] > 0, m
    assert tiny["candidates"]["branch"] == "release/0.3.x"
    assert tiny["candidates"]["applied"] > 0
    assert tiny["naive"]["ms"] > 0 and tiny["naive"]["speedup"] > 0 and tiny["naive"]["branches"] == 3
    assert tiny["shape"]["release_branches"] == 3 and not tiny["generation"]["reused"]
    forge = tiny["forge"]  # the emulator is there (test extra): every candidate linked, 150 commits in 2 requests
    assert forge["linked"] == forge["commits"] == 150 and forge["forge_ok"]
    assert (forge["cold_requests"], forge["graphql_cold"], forge["warm_requests"]) == (2, 2, 0)

    startup = json.loads(out.read_text())["startup"]
    assert startup["version"]["ratio"] > 0 and startup["version"]["target"] == 6.0
    assert startup["demo"]["status"]["ratio"] > 0 and startup["demo"]["status"]["target"] == 1.3
    for paint in (startup["demo"]["tui"], tiny["first_paint"]["terminal"]):  # a real terminal, where tmux is
        for start in ("first_start", "next_start"):  # without the last session's screen, then with it
            assert "skipped" in paint or (paint[start]["ms"] > 0 and paint[start]["floor_ms"] > 0), paint

    readme = tmp_path / "README.md"
    readme.write_text("# Performance\n\nbefore\n<!-- bench:start -->\nold figures\n<!-- bench:end -->\nafter\n")
    subprocess.run([sys.executable, str(BENCH.parent / "readme.py"), str(out), str(readme)], check=True)
    text = readme.read_text()
    assert "old figures" not in text and text.startswith("# Performance\n\nbefore\n") and text.endswith("after\n")
    assert "`cockpit --version` vs `python -c pass`" in text and "tiny-sized" in text
    assert f"{startup['version']['ratio']:.2f}x" in text

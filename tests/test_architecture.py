"""Lint and layering contracts run with the suite, so the README's one test command covers them."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    found = shutil.which(name, path=str(BIN)) or shutil.which(name)
    assert found, f"{name} is not installed (it comes with the test extra)"
    return found


def test_import_contracts_hold() -> None:
    done = subprocess.run([tool("lint-imports"), "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_ruff_is_clean() -> None:
    done = subprocess.run([tool("ruff"), "check", "--no-cache", "."], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_cli_package_is_forbidden_below_the_cli() -> None:
    """The CLI is one package, cockpit.cli: a contract naming it covers every module in it, so the contracts name
    only the package, and no front-end module may live beside it at the top (cockpit/cli_*.py would escape them)."""
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    assert (ROOT / "cockpit" / "cli" / "__init__.py").is_file()
    assert (ROOT / "cockpit" / "cli" / "main.py").is_file()
    assert not sorted((ROOT / "cockpit").glob("cli*.py")), "a front-end module outside the cockpit.cli package"
    layering = [c for c in contracts if "cockpit.cli" in c["forbidden_modules"]]
    assert len(layering) >= 3
    for contract in (c for c in contracts if c["forbidden_modules"] == ["git"]):  # and none of it starts git
        assert "cockpit.cli" in contract["source_modules"], contract["name"]

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


def test_every_cli_module_is_forbidden_below_the_cli() -> None:
    """The CLI is several top-level modules (cockpit.cli, cockpit.cli_ops...); a contract naming only cockpit.cli
    would let a service import cockpit.cli_ops unnoticed."""
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    cli_modules = {f"cockpit.{p.stem}" for p in (ROOT / "cockpit").glob("cli*.py")}
    assert len(cli_modules) > 1
    layering = [c for c in contracts if "cockpit.cli" in c["forbidden_modules"]]
    assert len(layering) >= 3
    for contract in layering:
        assert cli_modules <= set(contract["forbidden_modules"]), contract["name"]
    for contract in (c for c in contracts if c["forbidden_modules"] == ["git"]):  # and none of them starts git
        assert cli_modules <= set(contract["source_modules"]), contract["name"]

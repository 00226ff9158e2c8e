"""The project checked against its own rules."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PIPELINE = sorted((REPO / "pipeline").rglob("*.py"))
PAGES = sorted(p for p in (REPO / "pages").glob("*.py") if not p.name.startswith("_"))
PY_FILES = [p for p in REPO.rglob("*.py") if ".venv" not in p.parts and "var" not in p.parts]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", PIPELINE, ids=lambda p: str(p.relative_to(REPO)))
def test_pipeline_never_imports_streamlit(path):
    assert "streamlit" not in _imports(path)


def test_every_page_is_in_navigation():
    from pages._nav import PAGES as NAV

    listed = {file for _sec, file, *_rest in NAV}
    assert listed == {p.name for p in PAGES}
    assert "visible_pages" in (REPO / "dashboard.py").read_text(encoding="utf-8")


@pytest.mark.parametrize("path", PY_FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_no_downloads_or_raw_html(path):
    source = path.read_text(encoding="utf-8")
    if path.parent.name == "tests":
        return
    assert "nltk." + "download" not in source  # split so this file does not match itself
    assert "unsafe_allow_html=True" not in source.replace(" ", "")
    assert "st.html(" not in source


def test_cli_lists_every_command_with_help():
    from pipeline.__main__ import COMMANDS

    out = subprocess.run([sys.executable, "-m", "pipeline", "--help"], cwd=REPO,
                         capture_output=True, text=True, check=True).stdout
    for name in COMMANDS:
        assert name in out


@pytest.mark.parametrize("command", sorted(__import__("pipeline.__main__", fromlist=["COMMANDS"])
                                           .COMMANDS))
def test_every_command_has_help_text(command):
    result = subprocess.run([sys.executable, "-m", "pipeline", command, "--help"], cwd=REPO,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "usage:" in result.stdout and len(result.stdout) > 80


def test_docs_exist_for_the_design():
    for name in ("ARCHITECTURE.md", "DATA.md", "PRIVACY.md"):
        assert (REPO / "docs" / name).is_file(), name

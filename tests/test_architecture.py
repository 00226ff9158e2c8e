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


# --- layering (issue 12): pipeline/ by stage, one door to the database ---------------------------

# A package may import only packages earlier in this list (schema/config are the base).
PACKAGE_ORDER = ("storage", "render", "ingest", "analysis", "model", "views", "governance", "cli")
# Imports that still point the wrong way; this list may only shrink (each is a dependency to move).
KNOWN_UPWARD = {
    ("ingest", "governance"),  # purpose binding (policy.check_incident_accepts_data), incident lifecycle
    ("analysis", "model"),     # chain.region_category_model loads model.train; learned: evaluate's metrics
}
# Modules that still run SQL outside pipeline/storage/; this list may only shrink.
KNOWN_SQL_OUTSIDE_STORAGE: set[str] = set()  # empty: every statement runs in pipeline/storage/
# Pages that still call the store directly instead of a views/governance function; may only shrink.
KNOWN_PAGES_WITH_STORAGE: set[str] = set()  # empty: pages read via views/source, write via governance/actions
TYPE_ONLY = {"Engine", "Connection"}  # naming the engine's type is not running SQL


def _runs_sql(path: Path) -> bool:
    """Does the module build or run SQL (sqlalchemy constructs, raw sqlite3)?"""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import) and any(a.name.split(".")[0] in {"sqlite3", "sqlalchemy"}
                                                for a in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "sqlalchemy":
            if node.module != "sqlalchemy" or {a.name for a in node.names} - TYPE_ONLY:
                return True
        if isinstance(node, ast.ImportFrom) and node.module == "sqlite3":
            return True
    return False


def _module_name(path: Path) -> str:
    name = ".".join(path.relative_to(REPO).with_suffix("").parts)
    return name.removesuffix(".__init__")


def _import_edges(paths) -> dict[str, set[str]]:
    """Module -> the project modules it imports (module level AND inside functions)."""
    known = {_module_name(p) for p in paths}
    edges: dict[str, set[str]] = {}
    for path in paths:
        name = _module_name(path)
        out = edges.setdefault(name, set())
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                for alias in node.names:
                    full = f"{node.module}.{alias.name}"
                    target = full if full in known else node.module
                    if target in known and target != name:
                        out.add(target)
            elif isinstance(node, ast.Import):
                out.update(a.name for a in node.names if a.name in known and a.name != name)
    return edges


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one member (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            part = []
            while True:
                w = stack.pop()
                on.discard(w)
                part.append(w)
                if w == v:
                    break
            if len(part) > 1:
                found.append(sorted(part))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


PROJECT_PY = sorted([*(REPO / "pipeline").rglob("*.py"), *(REPO / "pages").glob("*.py"),
                     REPO / "dashboard.py", REPO / "serve.py"])


def test_no_import_cycles():
    assert _cycles(_import_edges(PROJECT_PY)) == []


# The pages' shared helpers, bottom to top: each may import only helpers earlier in this list
# (screens and the screen-owned helpers such as _themas_util sit on top and import any of them).
PAGE_HELPERS = ("pages._a11y", "pages._nav", "pages._state", "pages._text", "pages._data",
                "pages._login", "pages._live", "pages._context", "pages._panels")


def _page_helper_violations(edges: dict[str, set[str]]) -> list[str]:
    screens = {_module_name(p) for p in PAGES}
    wrong = []
    for source in PAGE_HELPERS:
        for target in sorted(edges.get(source, ())):
            if target in screens or (target in PAGE_HELPERS
                                     and PAGE_HELPERS.index(target) >= PAGE_HELPERS.index(source)):
                wrong.append(f"{source} -> {target}")
    return wrong


def test_page_helpers_import_downwards_only():
    edges = _import_edges(PROJECT_PY)
    assert set(PAGE_HELPERS) <= set(edges), "a helper in PAGE_HELPERS no longer exists"
    assert _page_helper_violations(edges) == []
    assert not (REPO / "pages" / "_common.py").exists()  # split up (issue 12): no shim


def test_the_page_helper_check_finds_an_upward_import():
    assert _page_helper_violations({"pages._text": {"pages._data"}, "pages._data": {"pages._text"},
                                    "pages._panels": {"pages.nu"}}) == \
        ["pages._text -> pages._data", "pages._panels -> pages.nu"]


def test_the_cycle_check_finds_a_cycle(tmp_path):
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def _package(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == "pipeline" and len(parts) > 2 else None


def test_packages_import_only_earlier_packages():
    wrong = set()
    for source, targets in _import_edges(PROJECT_PY).items():
        src = _package(source)
        for target in targets:
            dst = _package(target)
            if src in PACKAGE_ORDER and dst in PACKAGE_ORDER and src != dst \
                    and PACKAGE_ORDER.index(dst) > PACKAGE_ORDER.index(src):
                wrong.add((src, dst))
    assert wrong - KNOWN_UPWARD == set(), "a package imports a later one (see PACKAGE_ORDER)"
    assert KNOWN_UPWARD <= wrong, "remove the pairs that no longer occur from KNOWN_UPWARD"


def test_no_private_name_is_imported_across_modules():
    found = []
    for path in [*PROJECT_PY, *sorted((REPO / "tests").glob("*.py"))]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(("pipeline", "pages")):
                found += [f"{path.relative_to(REPO)}: {node.module}.{a.name}" for a in node.names
                          if a.name.startswith("_") and not a.name.startswith("__")]
    assert found == []


def test_sql_lives_in_storage():
    running_sql = set()
    for path in sorted((REPO / "pipeline").rglob("*.py")):
        rel = str(path.relative_to(REPO))
        if rel.startswith("pipeline/storage/"):
            continue
        if _runs_sql(path):
            running_sql.add(rel)
    assert running_sql - KNOWN_SQL_OUTSIDE_STORAGE == set(), "new SQL outside pipeline/storage/"
    # the allow-list only shrinks: an entry that no longer runs SQL must be removed from it
    assert {p for p in KNOWN_SQL_OUTSIDE_STORAGE if (REPO / p).exists()} <= running_sql


def test_pages_do_not_use_the_store():
    using = set()
    for path in sorted((REPO / "pages").glob("*.py")):
        edges = _import_edges([*PROJECT_PY])[_module_name(path)]
        if any(t.startswith("pipeline.storage") for t in edges) or _runs_sql(path):
            using.add(str(path.relative_to(REPO)))
    assert using - KNOWN_PAGES_WITH_STORAGE == set()
    assert KNOWN_PAGES_WITH_STORAGE <= using, "remove pages that no longer use the store from the list"


def test_pipeline_never_imports_the_cli():
    for source, targets in _import_edges(PROJECT_PY).items():
        if source.startswith("pipeline.") and not source.startswith(("pipeline.cli", "pipeline.__main__")):
            assert not any(t.startswith("pipeline.cli") for t in targets), source


def _constants(value: str) -> list[str]:
    """Where a string constant with exactly this value appears in code (not in docstrings)."""
    where = []
    for path in PROJECT_PY:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                      if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))
                      and n.body and isinstance(n.body[0], ast.Expr)
                      and isinstance(n.body[0].value, ast.Constant)}
        where += [f"{path.relative_to(REPO)}:{n.lineno}" for n in ast.walk(tree)
                  if isinstance(n, ast.Constant) and n.value == value and id(n) not in docstrings]
    return where


def test_the_time_zone_is_defined_once():
    assert [w.split(":")[0] for w in _constants("Europe/Amsterdam")] == ["pipeline/schema.py"]


def test_the_trend_rule_is_defined_once():
    sources = {p: p.read_text(encoding="utf-8") for p in PROJECT_PY}
    defining = [str(p.relative_to(REPO)) for p, s in sources.items()
                if "TREND_UP_RATIO =" in s or "TREND_DOWN_RATIO =" in s or "TREND_RATIO =" in s]
    assert defining == ["pipeline/views/aggregate.py"]


# Modules that still import inside functions without a reason; may only shrink. Elsewhere a
# function-local import is allowed only for a heavy optional dependency, with a comment saying so.
KNOWN_LOCAL_IMPORTS: set[str] = set()


def _unexplained_local_imports(path: Path) -> list[int]:
    source = path.read_text(encoding="utf-8")
    lines = source.split("\n")
    return sorted({node.lineno for func in ast.walk(ast.parse(source))
                   if isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef))
                   for node in ast.walk(func)
                   if isinstance(node, (ast.Import, ast.ImportFrom))
                   and "#" not in lines[node.end_lineno - 1]})


def test_imports_are_at_the_top_unless_a_comment_says_why():
    offenders = {str(p.relative_to(REPO)) for p in PROJECT_PY if _unexplained_local_imports(p)}
    assert offenders - KNOWN_LOCAL_IMPORTS == set()
    assert {p for p in KNOWN_LOCAL_IMPORTS if (REPO / p).exists()} <= offenders, \
        "remove modules without local imports from KNOWN_LOCAL_IMPORTS"

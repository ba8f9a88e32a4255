"""Import hygiene: only the TUI imports Textual; no eval/exec; every library imported is declared.

Modules are discovered from the package tree, so a new module is checked without
anyone listing it here. (CI also runs import-linter's layer contracts.)
"""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

import brinkmanship

PKG = Path(brinkmanship.__file__).parent
ROOT = PKG.parents[1]
TUI = PKG / "frontends" / "tui"
SERVE = PKG / "frontends" / "serve"  # textual-serve brings Rich (for its own logging)


def modules(*skip: Path) -> list[str]:
    out = []
    for path in sorted(PKG.rglob("*.py")):
        if any(s in path.parents for s in skip):
            continue
        rel = path.relative_to(PKG.parent).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts.pop()
        if parts[-1] != "__main__":
            out.append(".".join(parts))
    return out


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_every_module_outside_the_tui_loads_without_textual() -> None:
    mods = modules(TUI, SERVE)
    assert "brinkmanship.runtime.session" in mods and "brinkmanship.frontends.cli.main" in mods
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in mods)
        + "import brinkmanship.frontends.cli as c; c.build_parser()\n"
        + "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')]\n"
        + "assert not bad, bad\n"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr


def test_no_source_file_outside_the_tui_imports_textual() -> None:
    for path in PKG.rglob("*.py"):
        if TUI in path.parents:
            continue
        assert not imported_roots(path) & {"textual", "rich", "markdown_it"}, path


def test_no_eval_or_exec_anywhere() -> None:
    for path in PKG.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in {"eval", "exec", "compile"}, path


def test_every_library_imported_is_declared() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {
        d.split(">")[0].split("<")[0].split("=")[0].split("[")[0].strip().lower()
        for d in project["dependencies"]
    }
    distribution = {
        "yaml": "pyyaml",
        "markdown_it": "markdown-it-py",
        "textual_serve": "textual-serve",
        "aiohttp_jinja2": "aiohttp-jinja2",
    }
    stdlib = set(sys.stdlib_module_names)
    for path in PKG.rglob("*.py"):
        for root in imported_roots(path) - stdlib - {"brinkmanship"}:
            assert distribution.get(root, root).lower() in declared, (path, root)

"""The pure core never imports Textual: only brinkmanship.tui may."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import brinkmanship

PKG = Path(brinkmanship.__file__).parent
CORE = ["engine", "loader", "expr", "spec", "model", "saves", "plain", "cli", "yamlsrc",
        "catalog", "atomic", "gallery", "errors", "textsafe"]


def test_core_modules_load_without_textual() -> None:
    code = ("import sys\n" + "".join(f"import brinkmanship.{m}\n" for m in CORE)
            + "import brinkmanship.cli as c; c.build_parser()\n"
            + "bad = [m for m in sys.modules if m == 'textual' or m.startswith('textual.')]\n"
            + "assert not bad, bad\n")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr


def test_no_source_file_outside_tui_imports_textual() -> None:
    for path in PKG.rglob("*.py"):
        if "tui" in path.relative_to(PKG).parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            assert not any(n.split(".")[0] == "textual" for n in names), path


def test_no_eval_or_exec_anywhere() -> None:
    for path in PKG.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in {"eval", "exec", "compile"}, path

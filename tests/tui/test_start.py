"""Start fast: what the main menu imports, and that it is the bottom of the screen stack.

benchmarks/bench_start.py measures the first frame; this keeps its gains from being
lost by one module-level import (the scenario format, the save format, YAML and the
Markdown parser load when a game or a save needs them, not to open the menu).
"""

from __future__ import annotations

import subprocess
import sys

from tests.tui.conftest import make_app

NOT_FOR_THE_MENU = (
    "yaml",
    "markdown_it",
    "brinkmanship.format.model",
    "brinkmanship.format.spec",
    "brinkmanship.format.yamlsrc",
    "brinkmanship.format.loader",
    "brinkmanship.runtime.savefile",
    "brinkmanship.runtime.session",
    "brinkmanship.runtime.views",
)


def test_the_main_menu_imports_no_format_save_or_markdown_module() -> None:
    code = (
        "import sys\n"
        "from brinkmanship.frontends.cli.main import build_parser\n"
        "import brinkmanship.frontends.tui.app, brinkmanship.frontends.tui.screens.menu\n"
        "build_parser()\n"
        f"bad = [m for m in {NOT_FOR_THE_MENU!r} if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr


async def test_the_menu_is_the_default_screen() -> None:
    from brinkmanship.frontends.tui.screens.menu import MainMenu

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert len(app.screen_stack) == 1
        assert isinstance(app.screen, MainMenu)

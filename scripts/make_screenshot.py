"""Regenerate docs/screenshot.svg: the flagship's first turn as Kennedy, at 120x40.

Run from the repository: ``python scripts/make_screenshot.py``. Headless (Textual's
``save_screenshot``), with a fixed seed, and the game's own files in a temporary folder.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from brinkmanship.format import catalog
from brinkmanship.format.loader import load_scenario
from brinkmanship.frontends.tui.app import BrinkApp
from brinkmanship.runtime.session import Session

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshot.svg"
SIZE = (120, 40)


async def shoot(folder: Path) -> None:
    scenario = load_scenario(str(catalog.find(catalog.FLAGSHIP)))
    session = Session.new(scenario, "kennedy", 1)
    app = BrinkApp(folder / "saves", session=session, data_dir=folder, config_dir=folder)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause()
        app.save_screenshot(OUT.name, str(OUT.parent))


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(shoot(Path(tmp)))
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()

"""Shared test set-up: no test may write into the repo or the user's real data folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

# Hypothesis keeps no example database: tests must not write into the repository.
settings.register_profile("brinkmanship", database=None, deadline=None)  # speed: benchmarks/
settings.load_profile("brinkmanship")

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def _isolated_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = tmp_path_factory.mktemp("userdata")
    monkeypatch.setenv("BRINKMANSHIP_SAVE_DIR", str(base / "saves"))
    monkeypatch.setenv("BRINKMANSHIP_DATA_DIR", str(base / "data"))

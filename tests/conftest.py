"""Shared fixtures. Test data lives in tests/data (with provenance) and examples/."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "articles"
DATA = Path(__file__).resolve().parent / "data"
SEED_IDS = ("000_b0e822d6a9f2215a", "003_1388c9512189d9b8")


@pytest.fixture
def seeds_dir(tmp_path: Path) -> Path:
    """A folder holding just the two seed articles (real text with scraping debris)."""
    folder = tmp_path / "seeds"
    folder.mkdir()
    for ident in SEED_IDS:
        shutil.copy(EXAMPLES / f"{ident}.txt", folder)
    return folder


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "test.db")

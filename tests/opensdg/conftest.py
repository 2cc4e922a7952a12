"""Fixtures: the two small Open SDG repositories under tests/opensdg/repos (v1 csv-meta layout,
v2 indicator-config layout), copied per test so a test may change them, and zipped."""

import io
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

REPOS = Path(__file__).parent / "repos"


@pytest.fixture
def repo(tmp_path: Path) -> Callable[[str], Path]:
    """Return a fresh copy of a fixture repository ("v1" or "v2")."""

    def copy(name: str) -> Path:
        target = tmp_path / name
        if not target.exists():
            shutil.copytree(REPOS / name, target)
        return target

    return copy


def zip_folder(folder: Path, top: str = "") -> bytes:
    """Zip a folder (under a top folder, as GitHub's "Download ZIP" does, when given)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, f"{top}{path.relative_to(folder).as_posix()}")
    return out.getvalue()

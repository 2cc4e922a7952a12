"""The wheel carries what the app reads at run time, and the app finds it when installed.

One wheel is built per test session from the files git knows (as .ci/wheel-check does,
which then installs it and serves the demo outside the checkout).
"""

import subprocess
import sys
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

from tracker import resources

ROOT = Path(__file__).resolve().parents[1]


def repository_files(folder: str) -> set[str]:
    """Return the files git knows under a folder of the checkout, relative to it."""
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard",
                             "-z", folder], cwd=ROOT, capture_output=True, check=True).stdout
    return {name for name in listed.decode().split("\0") if name and (ROOT / name).exists()}


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    """Build the wheel once from a copy of the repository's files."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "src"
    for name in repository_files("."):
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_bytes((ROOT / name).read_bytes())
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", str(source),
                    "-w", str(work / "dist")], check=True, capture_output=True)
    (built,) = (work / "dist").glob("*.whl")
    return zipfile.ZipFile(built)


@pytest.mark.parametrize("folder", ["templates", "migrations", "indicators"])
def test_the_wheel_carries_the_top_level_folders(wheel: zipfile.ZipFile, folder: str) -> None:
    names = set(wheel.namelist())
    expected = {f"tracker/_resources/{name}" for name in repository_files(folder)}
    assert expected, folder
    assert expected <= names, sorted(expected - names)[:5]


def test_the_wheel_carries_alembic_static_files_and_translations(wheel: zipfile.ZipFile
                                                                  ) -> None:
    names = set(wheel.namelist())
    assert "tracker/_resources/alembic.ini" in names
    for folder in ("tracker/static", "tracker/translations"):
        expected = repository_files(folder)
        assert expected and expected <= names, (folder, sorted(expected - names)[:5])
    assert "tracker/_resources/indicators/sdg/indicators.csv" in names
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]


def test_the_wheel_declares_its_runtime_dependencies(wheel: zipfile.ZipFile) -> None:
    (metadata,) = [n for n in wheel.namelist() if n.endswith(".dist-info/METADATA")]
    message = Parser().parsestr(wheel.read(metadata).decode())
    runtime = {r.split(">")[0].split("[")[0].split(";")[0].strip().lower()
               for r in message.get_all("Requires-Dist") or [] if "extra ==" not in r}
    # pypdf merges a network's reports; pydantic validates plans; WeasyPrint renders PDFs.
    assert {"pypdf", "pydantic", "weasyprint", "alembic", "huey"} <= runtime


def test_a_checkout_reads_the_repository_folders() -> None:
    assert not resources.installed()
    assert resources.resource_path("migrations") == ROOT / "migrations"
    assert resources.resource_path("alembic.ini").is_file()
    assert resources.default_instance_path() == ROOT / "instance"


def test_an_installed_copy_reads_its_bundled_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                     ) -> None:
    bundled = tmp_path / "tracker" / "_resources"
    (bundled / "templates").mkdir(parents=True)
    monkeypatch.setattr(resources, "BUNDLED_DIR", bundled)
    monkeypatch.chdir(tmp_path)
    assert resources.installed()
    assert resources.resource_path("templates") == bundled / "templates"
    assert resources.default_instance_path() == tmp_path / "instance"
    with pytest.raises(ValueError):
        resources.resource_path("tracker.db")

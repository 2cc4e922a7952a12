"""Where the files shipped beside the code are: in the installed wheel, or in a checkout.

The repository keeps templates/, migrations/, indicators/ and alembic.ini beside tracker/;
the wheel's build step (setup.py) copies them into tracker/_resources/. A checkout (or an
editable install) has no such folder, so the files are read from the repository itself.
"""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
SOURCE_DIR = PACKAGE_DIR.parent
BUNDLED_DIR = PACKAGE_DIR / "_resources"
# What the build step copies into the wheel, by name under tracker/_resources/.
BUNDLED = ("templates", "migrations", "indicators", "alembic.ini")


def installed() -> bool:
    """Tell whether the code runs from a built wheel rather than from a checkout."""
    return BUNDLED_DIR.is_dir()


def resource_path(name: str) -> Path:
    """Return one of the BUNDLED files or folders, wherever this copy of the code keeps it."""
    if name not in BUNDLED:
        raise ValueError(f"not a bundled resource: {name}")
    return (BUNDLED_DIR if installed() else SOURCE_DIR) / name


def package_path(name: str) -> Path:
    """Return a folder inside the package itself (static, translations)."""
    return PACKAGE_DIR / name


def default_instance_path() -> Path:
    """Return instance/ in the checkout, or in the working directory when installed."""
    return (Path.cwd() if installed() else SOURCE_DIR) / "instance"

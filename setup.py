"""Build step: copy the data kept beside tracker/ into the wheel as tracker/_resources/.

The repository keeps templates/, migrations/, indicators/ and alembic.ini at the top level;
an installed tracker finds them through tracker.resources. Everything else is in
pyproject.toml.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
BUNDLED = ("templates", "migrations", "indicators", "alembic.ini")  # = tracker.resources
SKIP = shutil.ignore_patterns("__pycache__", "*.pyc", ".*")


class BuildWithResources(build_py):
    """Copy the top-level data into build/…/tracker/_resources/ beside the code."""

    def run(self) -> None:
        """Build the package, then add the bundled data (not for editable installs)."""
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads the checkout itself
        target = Path(self.build_lib) / "tracker" / "_resources"
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        for name in BUNDLED:
            source = HERE / name
            if source.is_dir():
                shutil.copytree(source, target / name, ignore=SKIP)
            else:
                shutil.copy2(source, target / name)


setup(cmdclass={"build_py": BuildWithResources})

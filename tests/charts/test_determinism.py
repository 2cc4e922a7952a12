"""Same data, same bytes: across calls and across processes with different hash seeds."""

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from tests.charts.figures import every_figure

SCRIPT = """
import hashlib
from tests.charts.figures import every_figure
figs = every_figure()
print(hashlib.sha256("".join(str(f.svg) for f in figs.values()).encode()).hexdigest())
"""


def _digest() -> str:
    """Hash every chart of the shared figure set."""
    svgs = "".join(str(f.svg) for f in every_figure().values())
    return hashlib.sha256(svgs.encode()).hexdigest()


def test_renders_are_identical_across_calls() -> None:
    assert _digest() == _digest()


def test_renders_are_identical_across_processes_and_hash_seeds() -> None:
    root = Path(__file__).parents[2]
    digests = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run([sys.executable, "-c", SCRIPT], cwd=root, env=env, check=True,
                             capture_output=True, text=True)
        digests.add(run.stdout.strip())
    assert digests == {_digest()}

"""Keep hypothesis's cache out of the checkout (a .hypothesis directory there breaks collection)."""

import tempfile
from pathlib import Path

from hypothesis.configuration import set_hypothesis_home_dir

set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "tracker-hypothesis")

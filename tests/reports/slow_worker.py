"""A real `tracker worker` whose page layout is slow (each part sleeps before a one-page PDF),
for the test that kills a worker mid-report.

The pool's processes are spawned: they import this file again as their main module, so the
slow layout applies in them too (the patch runs at import, the worker only under __main__)."""

import io
import os
import sys
import time
from typing import Any

from tracker.reports import render

PART_SECONDS = float(os.environ.get("SLOW_PART_SECONDS", "30"))


def slow_pdf(_html: str, **_kwargs: Any) -> bytes:
    """Sleep, then return a blank one-page PDF."""
    from pypdf import PdfWriter

    time.sleep(PART_SECONDS)
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


render.html_to_pdf = slow_pdf

if __name__ == "__main__":
    from tracker.cli import main

    sys.argv = ["tracker", "worker", "--workers", "1"]
    main()

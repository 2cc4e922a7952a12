"""Send a sheet (CSV or XLSX) as a download, for the bulk and data import/export pages."""

import io

from flask import send_file
from werkzeug.wrappers import Response

from tracker.bulk.formats import content_type


def download(data: bytes, fmt: str, name: str) -> Response:
    """Send a sheet as a download that is not cached."""
    response = send_file(io.BytesIO(data), mimetype=content_type(fmt), as_attachment=True,
                         download_name=f"{name}.{fmt}", max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response

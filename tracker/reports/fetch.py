"""WeasyPrint's URL fetcher for reports: only the app's own static files and `data:` URIs.

Everything else — `file:` paths, `http(s)` addresses, other paths on the app's host — is
refused, so a narrative can never make the renderer read a local file or call a server.
"""

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse


class BlockedResource(ValueError):
    """The report asked for a resource outside the allow-list."""


class StaticOnlyFetcher(URLFetcher):
    """Serve `<base>/static/...` from the static folder on disk and `data:` URIs; refuse
    anything else."""

    def __init__(self, *, base_url: str, static_dir: Path, static_path: str = "/static",
                 **kwargs: object) -> None:
        """Remember which host and path are the app's static files."""
        super().__init__(allowed_protocols=("data",), allow_redirects=False, **kwargs)
        base = urlsplit(base_url)
        self.origin = (base.scheme, base.netloc)
        self.static_dir = Path(static_dir).resolve()
        self.prefix = static_path.rstrip("/") + "/"
        self.requested: list[str] = []  # every URL asked for, for tests and logs

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        """Return a static file or a data URI; raise BlockedResource for anything else."""
        self.requested.append(url)
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = self.static_file(url)
        if path is None:
            raise BlockedResource(f"blocked resource: {url[:200]}")
        media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": media_type})

    def static_file(self, url: str) -> Path | None:
        """Return the static file a URL names, or None when it is not one of ours."""
        parts = urlsplit(url)
        if (parts.scheme, parts.netloc) != self.origin or not parts.path.startswith(self.prefix):
            return None
        relative = unquote(parts.path[len(self.prefix):])
        path = (self.static_dir / relative).resolve()
        if not path.is_relative_to(self.static_dir) or not path.is_file():
            return None
        return path

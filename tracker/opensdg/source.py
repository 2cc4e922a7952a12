"""An Open SDG data repository as files to read: a folder, or a zip checked before use.

A zip is refused when it is too large, holds too many members, a member name is absolute or
climbs out (".."), a member is a symbolic link, or a member unpacks to far more than it
takes packed (a zip bomb). Only .csv, .md, .yml, .yaml and .json members are ever read;
a repository zipped with its top folder (GitHub's "Download ZIP") is read inside that folder.
"""

import io
import stat
import zipfile
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import IO

from flask_babel import gettext as _

from tracker.errors import DomainError

READABLE = (".csv", ".md", ".yml", ".yaml", ".json")
MAX_ZIP_BYTES = 100 * 1024 * 1024
MAX_MEMBERS = 20_000
MAX_UNPACKED_BYTES = 2 * 1024 * 1024 * 1024
MAX_TEXT = 2_000_000  # characters of one metadata file
MAX_RATIO = 200  # CSV packs well (about 10:1); a bomb packs thousands to one


class RepositoryError(DomainError):
    """The repository cannot be read at all; the message says why."""


class Source(ABC):
    """Files of a repository by their path relative to its root ("data/indicator_1-1-1.csv")."""

    def __init__(self, names: list[str]) -> None:
        self.names = sorted(names)

    def under(self, folder: str) -> list[str]:
        """Return the readable files directly inside a folder, sorted."""
        prefix = folder.rstrip("/") + "/"
        return [n for n in self.names if n.startswith(prefix) and "/" not in n[len(prefix):]]

    def has(self, name: str) -> bool:
        """Is there a readable file of this name?"""
        return name in self.names

    @abstractmethod
    def open_bytes(self, name: str) -> IO[bytes]:
        """Open a file for reading bytes."""

    @contextmanager
    def open_text(self, name: str) -> Iterator[IO[str]]:
        """Open a file as UTF-8 text (a byte-order mark is dropped), newlines kept for csv."""
        with self.open_bytes(name) as raw:
            yield io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")

    def read_text(self, name: str) -> str:
        """Return a whole metadata file as text; refuse one over MAX_TEXT characters."""
        with self.open_text(name) as handle:
            text = handle.read(MAX_TEXT + 1)
        if len(text) > MAX_TEXT:
            raise ValueError(_("The file is longer than %(num)d characters.", num=MAX_TEXT))
        return text

    def close(self) -> None:  # noqa: B027  (a folder holds nothing open)
        """Release what the source holds open."""


class FolderSource(Source):
    """A repository checked out in a folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        names = [p.relative_to(root).as_posix() for p in root.rglob("*")
                 if p.suffix.lower() in READABLE and p.is_file() and not p.is_symlink()
                 and ".git" not in p.relative_to(root).parts]
        super().__init__(names)

    def open_bytes(self, name: str) -> IO[bytes]:
        """Open a file of the folder."""
        return (self.root / name).open("rb")


class ZipSource(Source):
    """A zipped repository, checked member by member before anything is read."""

    def __init__(self, archive: zipfile.ZipFile, handle: IO[bytes]) -> None:
        self.archive, self.handle = archive, handle
        members = checked_members(archive)
        self.prefix = common_root(list(members))
        super().__init__([n[len(self.prefix):] for n in members
                          if PurePosixPath(n).suffix.lower() in READABLE])

    def open_bytes(self, name: str) -> IO[bytes]:
        """Open a member of the zip."""
        return self.archive.open(self.prefix + name)

    def close(self) -> None:
        """Close the zip and its file."""
        self.archive.close()
        self.handle.close()


def checked_members(archive: zipfile.ZipFile) -> list[str]:
    """Return the names of the zip's files, or refuse the zip saying why."""
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise RepositoryError(_("The zip holds more than %(num)d files.", num=MAX_MEMBERS))
    if sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:
        raise RepositoryError(_("The zip unpacks to more than %(num)d MB.",
                                num=MAX_UNPACKED_BYTES // 2**20))
    names = []
    for info in infos:
        check_member(info)
        if not info.is_dir():
            names.append(info.filename)
    return names


def check_member(info: zipfile.ZipInfo) -> None:
    """Refuse an unsafe member: absolute or climbing path, symbolic link, bomb."""
    path = PurePosixPath(info.filename.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or ":" in info.filename:
        raise RepositoryError(_("The zip member %(name)s lies outside the repository.",
                                name=info.filename[:200]))
    if stat.S_ISLNK(info.external_attr >> 16):
        raise RepositoryError(_("The zip member %(name)s is a symbolic link.",
                                name=info.filename[:200]))
    if info.file_size > MAX_RATIO * max(info.compress_size, 1024):
        raise RepositoryError(_("The zip member %(name)s unpacks to far more than it takes "
                                "packed; it is refused as a possible zip bomb.",
                                name=info.filename[:200]))


def common_root(names: list[str]) -> str:
    """Return the top folder every member shares when there is no data/ at the top."""
    if any(n.startswith("data/") for n in names):
        return ""
    tops = {n.split("/", 1)[0] for n in names if "/" in n}
    if len(tops) == 1 and all("/" in n for n in names):
        return f"{tops.pop()}/"
    return ""


def open_source(path: Path | bytes) -> Source:
    """Open a repository: a folder, a .zip file, or the bytes of an uploaded zip."""
    if isinstance(path, Path) and path.is_dir():
        return FolderSource(path)
    if isinstance(path, Path):
        if not path.is_file():
            raise RepositoryError(_("%(path)s is neither a folder nor a zip file.", path=path))
        if path.stat().st_size > MAX_ZIP_BYTES:
            raise RepositoryError(_("The zip is larger than %(num)d MB.",
                                    num=MAX_ZIP_BYTES // 2**20))
        handle: IO[bytes] = path.open("rb")
    else:
        if len(path) > MAX_ZIP_BYTES:
            raise RepositoryError(_("The zip is larger than %(num)d MB.",
                                    num=MAX_ZIP_BYTES // 2**20))
        handle = io.BytesIO(path)
    try:
        return ZipSource(zipfile.ZipFile(handle), handle)
    except RepositoryError:
        handle.close()
        raise
    except (zipfile.BadZipFile, OSError) as error:
        handle.close()
        raise RepositoryError(_("This is not a readable zip file: %(reason)s",
                                reason=str(error)[:200])) from error

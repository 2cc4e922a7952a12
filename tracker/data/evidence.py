"""Evidence files behind values: recognised by content, kept outside the web root.

An upload is read in chunks into a private temporary file in the evidence folder, and refused
as soon as it passes the size limit. Its type is then recognised from its bytes, never from its
name or the type the browser claims: PDF, PNG, JPEG, GIF, WebP, an XLSX workbook without macros,
or CSV (UTF-8 text without NUL bytes that is not markup). Anything else is deleted and refused.
An accepted file is renamed (atomically) to a random name and recorded as an EvidenceFile.
"""

import codecs
import hashlib
import logging
import os
import re
import secrets
import tempfile
import zipfile
from pathlib import Path
from typing import IO

from flask import current_app
from flask_babel import gettext as _
from sqlmodel import Session, col, select
from werkzeug.datastructures import FileStorage
from werkzeug.utils import secure_filename

from tracker.auth.models import User
from tracker.cities.models import City
from tracker.data.models import EvidenceFile, Observation
from tracker.db import saved_id
from tracker.errors import DomainError

logger = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 10 * 1024 * 1024  # EVIDENCE_MAX_BYTES overrides it
CHUNK = 64 * 1024
PDF, PNG, JPEG, GIF, WEBP = ("application/pdf", "image/png", "image/jpeg", "image/gif",
                             "image/webp")
CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXTENSIONS = {PDF: ".pdf", PNG: ".png", JPEG: ".jpg", GIF: ".gif", WEBP: ".webp", CSV: ".csv",
              XLSX: ".xlsx"}
# What the upload field offers the browser's file picker (a hint only; content decides).
ACCEPT = ",".join([*EXTENSIONS.values(), ".jpeg", *EXTENSIONS])
INLINE_TYPES = {PNG, JPEG, GIF, WEBP}  # raster images may open in the browser; the rest download
MAGIC = [(b"%PDF-", PDF), (b"\x89PNG\r\n\x1a\n", PNG), (b"\xff\xd8\xff", JPEG),
         (b"GIF87a", GIF), (b"GIF89a", GIF)]
ZIP_MAGIC = b"PK\x03\x04"
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class EvidenceError(DomainError):
    """An evidence file was refused; the message names the file and says why."""


class EvidenceTooLarge(EvidenceError):
    """The file is over the size limit."""


def evidence_dir() -> Path:
    """Return the private folder of evidence files (created on first use)."""
    configured = current_app.config.get("EVIDENCE_DIR")
    folder = Path(configured) if configured else Path(current_app.instance_path) / "evidence"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def max_bytes() -> int:
    """Return the largest evidence file accepted, in bytes."""
    return int(current_app.config.get("EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES))


def detect_type(file: IO[bytes]) -> str | None:
    """Return the media type of a seekable binary file recognised by its content, or None."""
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    for magic, media_type in MAGIC:
        if head.startswith(magic):
            return media_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(ZIP_MAGIC):
        return XLSX if is_xlsx(file) else None
    return CSV if is_csv(file) else None


def is_xlsx(file: IO[bytes]) -> bool:
    """Is this zip an Excel workbook without macros?"""
    try:
        with zipfile.ZipFile(file) as archive:
            names = {name.lower() for name in archive.namelist()}
            if "[content_types].xml" not in names or "xl/workbook.xml" not in names:
                return False
            if any(name.endswith("vbaproject.bin") for name in names):
                return False
            with archive.open("[Content_Types].xml") as types:
                # a macro-enabled workbook declares itself here even without vbaProject.bin
                return b"macroenabled" not in types.read(256 * 1024).lower()
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return False
    finally:
        file.seek(0)


def is_csv(file: IO[bytes]) -> bool:
    """Is this valid UTF-8 text, without NUL bytes, that does not start as markup?"""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    start = ""
    try:
        while chunk := file.read(CHUNK):
            if b"\x00" in chunk:
                return False
            text = decoder.decode(chunk)
            start = start or text.lstrip()[:1]
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    finally:
        file.seek(0)
    # HTML, SVG and XML are text too; a browser would render them, so they are not CSV
    return start not in ("", "<")


def describe(file: IO[bytes]) -> str:
    """Say, for a refusal, what a file that is not accepted seems to be."""
    head = file.read(512)
    file.seek(0)
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    kind: str
    if head.startswith(ZIP_MAGIC):
        kind = _("a zip archive that is not a macro-free .xlsx workbook")
    elif b"<svg" in text:
        kind = _("an SVG image")
    elif text.startswith(b"<"):
        kind = _("HTML or XML")
    elif not head:
        kind = _("an empty file")
    else:
        kind = _("an unknown or binary format")
    return kind


def clean_name(filename: str | None) -> str:
    """Return the uploaded name to show: no folders, no control characters, at most 255."""
    name = CONTROL.sub("", (filename or "").replace("\\", "/").rsplit("/", 1)[-1]).strip()
    return name[-255:] or "evidence"


def download_name(evidence: EvidenceFile) -> str:
    """Return a safe file name for the download, ending in the detected type's extension."""
    extension = EXTENSIONS.get(evidence.media_type, "")
    name = secure_filename(evidence.original_name) or "evidence"
    suffix = Path(name).suffix.lower()
    if suffix != extension and not (extension == ".jpg" and suffix == ".jpeg"):
        name = f"{name}{extension}"  # a .pdf that is really a PNG downloads as a .png
    return name


def copy_limited(upload: FileStorage, target: IO[bytes], name: str) -> tuple[int, str]:
    """Copy an upload in chunks, stopping once it passes the limit; return size and sha256."""
    limit, size, digest = max_bytes(), 0, hashlib.sha256()
    while chunk := upload.stream.read(CHUNK):
        size += len(chunk)
        if size > limit:
            raise EvidenceTooLarge(_("%(file)s is larger than the limit of %(mb)s MB.",
                                     file=name, mb=f"{limit / 2**20:g}"))
        digest.update(chunk)
        target.write(chunk)
    if not size:
        raise EvidenceError(_("%(file)s is empty.", file=name))
    return size, digest.hexdigest()


def refused_type(file: IO[bytes], name: str, claimed: str) -> EvidenceError:
    """Return the refusal of a file whose content is not an accepted type."""
    return EvidenceError(_("%(file)s is not a PDF, image (PNG, JPEG, GIF, WebP), CSV or XLSX "
                           "file: its content looks like %(found)s (sent as %(claimed)s).",
                           file=name, found=describe(file), claimed=claimed or "?"))


def store(session: Session, city: City, upload: FileStorage, user: User | None
          ) -> EvidenceFile:
    """Check and keep an uploaded file for a city; return its (flushed) record."""
    folder, name = evidence_dir(), clean_name(upload.filename)
    handle, temp = tempfile.mkstemp(dir=folder, prefix=".upload-")  # mode 0600
    try:
        with os.fdopen(handle, "w+b") as target:
            size, sha256 = copy_limited(upload, target, name)
            media_type = detect_type(target)
            if media_type is None:
                raise refused_type(target, name, upload.mimetype)
        stored_name = secrets.token_hex(20)
        os.replace(temp, folder / stored_name)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    evidence = EvidenceFile(city_id=saved_id(city), original_name=name, media_type=media_type,
                            size=size, sha256=sha256, stored_name=stored_name,
                            uploaded_by_id=user.id if user else None)
    session.add(evidence)
    session.flush()
    return evidence


def file_path(evidence: EvidenceFile) -> Path | None:
    """Return where an evidence file is kept, or None when it is missing."""
    if not re.fullmatch(r"[0-9a-f]{40}", evidence.stored_name):
        return None  # never build a path from anything but our own random names
    path = evidence_dir() / evidence.stored_name
    if not path.is_file():
        logger.warning("Evidence file %s (id %s) is missing", evidence.stored_name, evidence.id)
        return None
    return path


def discard(evidence: EvidenceFile) -> None:
    """Delete the kept file of an upload whose unit of work failed."""
    path = file_path(evidence)
    if path is not None:
        path.unlink(missing_ok=True)


def get_evidence(session: Session, city: City, evidence_id: int) -> EvidenceFile | None:
    """Return one of the city's evidence files."""
    evidence = session.get(EvidenceFile, evidence_id)
    return evidence if evidence is not None and evidence.city_id == city.id else None


def get_cell_evidence(session: Session, cell: Observation
                      ) -> tuple[EvidenceFile, User | None] | None:
    """Return the file attached to a cell and who uploaded it, in one query."""
    if cell.evidence_id is None:
        return None
    query = (select(EvidenceFile, User)
             .outerjoin(User, col(User.id) == EvidenceFile.uploaded_by_id)
             .where(col(EvidenceFile.id) == cell.evidence_id))
    row = session.execute(query).first()
    return (row[0], row[1]) if row else None

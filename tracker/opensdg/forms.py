"""The upload of a zipped Open SDG repository (checked as a dry run first)."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired

from tracker.forms import TrackerForm
from tracker.opensdg.source import MAX_ZIP_BYTES

ZIP_MAGIC = b"PK\x03\x04"


class RepositoryUploadForm(TrackerForm):
    """A zipped Open SDG data repository."""

    file = FileField(
        _l("Zipped repository"),
        validators=[FileRequired(message=_l("Choose the zip of an Open SDG repository."))],
        description=_l("A .zip of an Open SDG data repository (data/, meta/, "
                       "indicator-config/ or csv-meta/, config_data.yml), as GitHub's "
                       "\"Download ZIP\" gives it. Nothing is saved until you confirm."))

    def uploaded_bytes(self, limit: int = MAX_ZIP_BYTES) -> bytes | None:
        """Return the valid upload's bytes, or None (with the form's error); never reads
        more than one byte past the limit."""
        if not self.validate_on_submit():
            return None
        data: bytes = self.file.data.stream.read(limit + 1)
        if len(data) > limit:
            self.file.errors.append(_("The zip is larger than %(mb)d MB.", mb=limit // 2**20))
            return None
        if not data.startswith(ZIP_MAGIC):
            self.file.errors.append(_("This is not a zip file."))
            return None
        return data

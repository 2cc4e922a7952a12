"""Forms of the bulk import pages: upload a file to check (its import job saves it later)."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired

from tracker.bulk.formats import MAX_BYTES
from tracker.forms import TrackerForm


class UploadForm(TrackerForm):
    """A CSV or XLSX file to check (nothing is saved yet)."""

    file = FileField(
        _l("File"), validators=[FileRequired(message=_l("Choose a file to import."))],
        description=_l("A .csv file (UTF-8) or an .xlsx workbook of at most 5 MB, with the "
                       "template's columns. Nothing is saved until you confirm the preview."))

    def uploaded_bytes(self) -> bytes | None:
        """Return the valid upload's bytes, or None (with the form's error) when there is
        none or it is over the size limit; never reads more than one byte past the limit."""
        if not self.validate_on_submit():
            return None
        data: bytes = self.file.data.stream.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            self.file.errors.append(_("The file is larger than %(mb)d MB.",
                                      mb=MAX_BYTES // 2**20))
            return None
        return data

"""Forms of the bulk import pages: upload a file to check (its import job saves it later)."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired

from tracker.forms import TrackerForm


class UploadForm(TrackerForm):
    """A CSV or XLSX file to check (nothing is saved yet)."""

    file = FileField(
        _l("File"), validators=[FileRequired(message=_l("Choose a file to import."))],
        description=_l("A .csv file (UTF-8) or an .xlsx workbook of at most 5 MB, with the "
                       "template's columns. Nothing is saved until you confirm the preview."))

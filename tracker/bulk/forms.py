"""Forms of the bulk import pages: upload a file, then save what the preview showed."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField
from wtforms.validators import DataRequired, Regexp

from tracker.bulk.uploads import TOKEN
from tracker.forms import TrackerForm


class UploadForm(TrackerForm):
    """A CSV or XLSX file to check (nothing is saved yet)."""

    file = FileField(
        _l("File"), validators=[FileRequired(message=_l("Choose a file to import."))],
        description=_l("A .csv file (UTF-8) or an .xlsx workbook of at most 5 MB, with the "
                       "template's columns. Nothing is saved until you confirm the preview."))


class CommitForm(TrackerForm):
    """Save the file whose preview was shown."""

    token = HiddenField(validators=[DataRequired(), Regexp(TOKEN.pattern)])

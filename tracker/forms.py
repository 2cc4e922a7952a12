"""Helpers shared by the domains' forms, and their base classes: every text field refuses
control characters (and a single-line one also line breaks and bidi controls) before its own
validators run, and every whole-number field stays within the databases' INTEGER."""

from collections.abc import Iterable
from typing import Any

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import (
    Form,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.meta import DefaultMeta
from wtforms.validators import StopValidation

from tracker.text_rules import MAX_INTEGER, bad_character


def choices(pairs: Iterable[tuple[Any, Any]]) -> list[SelectChoice]:
    """Turn (value, label) pairs into WTForms choices (tuples are deprecated in WTForms 3.3)."""
    return [SelectChoice(value, label) for value, label in pairs]


class CleanText:
    """Refuse a control character; in a single-line field (a name, a code) also a line
    break, a tab or a bidi control, which could make "50" read "05" wherever it is shown."""

    def __init__(self, single_line: bool) -> None:
        self.single_line = single_line

    def __call__(self, form: Any, field: Any) -> None:
        text = field.data if isinstance(field.data, str) else ""
        if char := bad_character(text, name=self.single_line):
            raise StopValidation(_("%(label)s contains a character that is not allowed "
                                   "here (%(char)s).", label=field.label.text, char=char))


def within_integer(_form: Any, field: Any) -> None:
    """Refuse a whole number the database cannot store."""
    if isinstance(field.data, int) and not -MAX_INTEGER <= field.data <= MAX_INTEGER:
        raise StopValidation(_("%(label)s: give a number from %(low)d to %(high)d.",
                               label=field.label.text, low=-MAX_INTEGER, high=MAX_INTEGER))


class GuardedFields(DefaultMeta):
    """Form meta that puts the character and range checks before each field's validators."""

    def bind_field(self, form: Any, unbound_field: Any, options: dict[str, Any]) -> Any:
        """Bind the field as usual, then prepend the check its kind needs."""
        field = super().bind_field(form, unbound_field, options)
        if isinstance(field, StringField):
            single = not isinstance(field, TextAreaField | PasswordField)
            field.validators = [CleanText(single), *field.validators]
        elif isinstance(field, IntegerField) or (isinstance(field, SelectField)
                                                 and field.coerce is int):
            field.validators = [within_integer, *field.validators]
        return field


class TrackerForm(FlaskForm):
    """The base of the tracker's forms."""

    class Meta(GuardedFields):
        """Check each text field's characters before its own validators."""


class TrackerSubform(Form):
    """The base of repeated rows inside a form (FormField), checked like TrackerForm."""

    class Meta(GuardedFields):
        """Check each text field's characters before its own validators."""

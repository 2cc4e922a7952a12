"""Small forms of an indicator's page: link it to a plan element, retire it, restore it."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length

from tracker.forms import TrackerForm


class ElementLinkForm(TrackerForm):
    """Link the indicator to a plan element it measures."""

    # The route checks that the element is a current element of the city (404 otherwise).
    element_id = SelectField(_l("Plan element"), coerce=int, validate_choice=False,
                             validators=[InputRequired()])


class RetireForm(TrackerForm):
    """Retire an indicator, saying why."""

    reason = StringField(_l("Reason"), validators=[
        DataRequired(message=_l("Say why the indicator is retired.")), Length(max=1000)],
        description=_l("Kept in the history, e.g. “replaced by SLB-2.1.2 in the 2024/25 SDBIP”."))


class RestoreForm(TrackerForm):
    """Bring a retired indicator back."""

    reason = StringField(_l("Reason"), validators=[Length(max=1000)],
                         description=_l("Optional; kept in the history."))

"""The form to create a personal API token."""

from datetime import timedelta

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from tracker.forms import TrackerForm, choices

NO_EXPIRY = ""
LIFETIME_DAYS = (7, 30, 90, 365)


def lifetime_choices() -> list[SelectChoice]:
    """Offer a token without expiry or one valid for a number of days."""
    return choices([(NO_EXPIRY, _l("No expiry (until revoked)"))] + [
        (str(days), _l("%(days)s days", days=days)) for days in LIFETIME_DAYS])


class TokenForm(TrackerForm):
    """Name a new token, so its owner can tell it apart from the others, and say how long it
    is valid."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)],
                       description=_l("What the token is for, e.g. \"Nightly export script\"."))
    lifetime = SelectField(_l("Expires after"), default=NO_EXPIRY, choices=lifetime_choices(),
                           description=_l("A token that expires cannot be forgotten in a "
                                          "script for years."))

    def lifetime_delta(self) -> timedelta | None:
        """Return the chosen lifetime, or None for a token valid until revoked."""
        data = self.lifetime.data or NO_EXPIRY
        return timedelta(days=int(data)) if data != NO_EXPIRY else None

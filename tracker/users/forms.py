"""The form with which admins and secretariats add users."""

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, ValidationError

from tracker.auth.models import Role
from tracker.auth.services import MIN_PASSWORD_LENGTH
from tracker.forms import TrackerForm

ROLE_LABELS = {
    Role.ADMIN: _l("Administrator"),
    Role.SECRETARIAT: _l("Network secretariat"),
    Role.OFFICER: _l("City officer"),
    Role.REVIEWER: _l("Reviewer"),
}


class UserForm(TrackerForm):
    """A new account: who, which role, and the city or network it holds."""

    email = StringField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    name = StringField(_l("Name"), validators=[Length(max=200)])
    role = SelectField(_l("Role"), validators=[DataRequired()])
    city = SelectField(
        _l("City"), description=_l("For city officers only."), coerce=str, validate_choice=True
    )
    network = SelectField(
        _l("Network"),
        description=_l("For secretariats and reviewers only."),
        coerce=str,
        validate_choice=True,
    )
    password = PasswordField(
        _l("Initial password"),
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200)],
        description=_l("Share it safely; the user can change it after signing in."),
    )

    def validate_city(self, field: SelectField) -> None:
        """Officers need a city; no other role holds one."""
        if self.role.data == Role.OFFICER and not field.data:
            raise ValidationError(_l("Choose the officer's city."))
        if self.role.data != Role.OFFICER and field.data:
            raise ValidationError(_l("Only officers hold a city."))

    def validate_network(self, field: SelectField) -> None:
        """Secretariats and reviewers need a network; no other role holds one."""
        needs = self.role.data in (Role.SECRETARIAT, Role.REVIEWER)
        if needs and not field.data:
            raise ValidationError(_l("Choose the network."))
        if not needs and field.data:
            raise ValidationError(_l("Only secretariats and reviewers hold a network."))

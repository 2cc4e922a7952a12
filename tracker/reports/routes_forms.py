"""Forms of the report pages: what to report on, for which year, on which paper."""

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField
from wtforms.validators import InputRequired, NumberRange

from tracker.cities.models import City
from tracker.forms import TrackerForm, choices
from tracker.reports.runs import PAGE_SIZES
from tracker.timeutil import utcnow

NETWORK_CHOICE = "network"  # the whole network rather than one of its cities


class ReportForm(TrackerForm):
    """Ask for a report of a year on A4 or Letter paper."""

    year = IntegerField(_l("Reporting year"),
                        validators=[InputRequired(), NumberRange(1990, 2100)])
    page_size = SelectField(_l("Paper size"), default="A4",
                            choices=choices((s, s) for s in PAGE_SIZES))

    def __init__(self, *args: object, **kwargs: object) -> None:
        """Default to last year, the year most reports are about."""
        super().__init__(*args, **kwargs)
        if self.year.data is None and not self.is_submitted():
            self.year.data = utcnow().year - 1


class CityReportForm(ReportForm):
    """Ask for a city's full report or its one-page progress summary."""

    kind = SelectField(_l("Report"), default="city",
                       choices=choices([("city", _l("Full report (CRF style)")),
                                        ("summary", _l("One-page progress summary"))]))


class NetworkReportForm(ReportForm):
    """Ask for the whole network's report or one member city's report."""

    subject = SelectField(_l("Report on"), default=NETWORK_CHOICE)

    def set_cities(self, cities: list[City]) -> None:
        """Offer the network and each of its member cities."""
        self.subject.choices = choices([(NETWORK_CHOICE, _l("The whole network"))] + [
            (city.slug, city.name) for city in cities])

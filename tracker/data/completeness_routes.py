"""Completeness pages of a city and of a network for one period, and the pages where
secretariats set reporting windows (when values may be entered and when they are due)."""

from collections.abc import Callable
from typing import Any

from flask import (
    Blueprint,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from tracker.auth.access import (
    can_manage_network,
    can_review,
    signed_in_user,
)
from tracker.auth.city_scope import city_route, current_user_id, network_route
from tracker.bulk.formats import CSV_TYPE, XLSX_TYPE
from tracker.cities.models import City, Network
from tracker.data import completeness, windows
from tracker.data import completeness_table as ct
from tracker.data.completeness import Period
from tracker.data.completeness_export import period_slug, table_csv, table_xlsx
from tracker.data.completeness_forms import NetworkTableForm, PeriodForm, WindowForm
from tracker.data.queries import period_name
from tracker.db import get_session
from tracker.pages import render_form
from tracker.paging import page_number
from tracker.timeutil import utcnow

bp = Blueprint("completeness", __name__)

Page = tuple[str, int]


@bp.context_processor
def period_helpers() -> dict[str, Any]:
    """Give the templates the grid's period names ("2023/24 Q2")."""
    return {"period_name": period_name}


def chosen_period(form: PeriodForm, default: Callable[[], Period]) -> tuple[int, int, int]:
    """Read the period from the query string; what is missing comes from `default` (the most
    urgent period: overdue, then open, then closed; see completeness.urgency); when it is
    wrong, say so (422)."""
    if not form.validate():
        return *default(), 422
    if form.year.data:
        year, quarter = form.year.data, int(form.quarter.data or 0)
    else:
        year, quarter = default()
        if request.args.get("quarter"):
            quarter = int(form.quarter.data or 0)
    form.year.data, form.quarter.data = year, quarter
    return year, quarter, 200


@bp.get("/cities/<slug>/completeness")
@city_route("read_internals")
def show_city(city: City) -> Page:
    """Show which of a city's due indicators are entered, submitted, approved or overdue."""
    user = signed_in_user()
    session = get_session()
    form = PeriodForm(formdata=request.args)
    year, quarter, status = chosen_period(
        form, lambda: completeness.default_period(session, [city]))
    return render_template("data/completeness.html", city=city, form=form,
                           result=completeness.load_city(session, city, year, quarter),
                           windows=windows.list_city_windows(session, city),
                           can_set_windows=can_review(user, city)), status


@bp.get("/networks/<slug>/completeness")
@network_route("watch_network")
def show_network(network: Network) -> Page:
    """Show a page of the member cities' completeness for a period, filtered and sorted,
    with the whole network's figures."""
    form, table, status = network_table(network)
    page, summary = ct.load_page(get_session(), network, table, page_number())
    return render_template("data/completeness_network.html", network=network, form=form,
                           year=table.year, quarter=table.quarter, page=page,
                           table=table, args=form.args(table), summary=summary,
                           can_set_windows=can_manage_network(signed_in_user(), network)
                           ), status


@bp.get("/networks/<slug>/completeness.<any(csv, xlsx):fmt>")
@network_route("watch_network")
def export_network(network: Network, fmt: str) -> Response:
    """Send the whole table (every member city, filtered and sorted as on the page) as CSV,
    streamed from the database in batches, or as a workbook written row by row."""
    _form, table, _status = network_table(network)
    name = f"completeness-{network.slug}-{period_slug(table)}.{fmt}"
    if fmt == "xlsx":
        body: Any = table_xlsx(get_session(), network, table)
    else:
        body = stream_with_context(table_csv(get_session(), network, table))
    return Response(body, mimetype=XLSX_TYPE if fmt == "xlsx" else CSV_TYPE,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def network_table(network: Network) -> tuple[NetworkTableForm, ct.TableQuery, int]:
    """Read the network table's period, filters and order from the query string."""
    session = get_session()
    today = utcnow().date()
    form = NetworkTableForm(formdata=request.args)
    form.offer_countries(ct.list_countries(session, network))
    year, quarter, status = chosen_period(
        form, lambda: ct.network_default_period(session, network, today))
    return form, form.table_query(year, quarter, today), status


def save_window(form: WindowForm, city: City | None = None, network: Network | None = None
                ) -> bool:
    """Validate the window form and set the window(s) of the city, or of the network's
    cities; put any refusal on the form."""
    if not form.validate_on_submit():
        return False
    try:
        if city is not None:
            windows.set_city_window(session=get_session(), city=city,
                                    window_in=form.window_in(), user_id=current_user_id())
        elif network is not None:
            windows.set_network_windows(session=get_session(), network=network,
                                        window_in=form.window_in(), user_id=current_user_id())
    except windows.WindowError as error:
        getattr(form, error.field).errors.append(str(error))
        return False
    return True


@bp.route("/networks/<slug>/windows", methods=["GET", "POST"])
@network_route("manage_network")
def network_windows(network: Network) -> Page | Response:
    """List the windows of the network's cities, and set a period's window for all of them."""
    form = WindowForm()
    if save_window(form, network=network):
        flash(_("Window saved for every city of %(network)s.", network=network.name), "success")
        return redirect(url_for("completeness.network_windows", slug=network.slug))
    return render_form("data/windows_network.html", form, network=network,
                       windows=windows.list_network_windows(get_session(), network))


@bp.route("/cities/<slug>/windows", methods=["GET", "POST"])
@city_route("review")
def city_windows(city: City) -> Page | Response:
    """List a city's windows, and set one period's window for this city only."""
    form = WindowForm()
    if save_window(form, city=city):
        flash(_("Window saved for %(city)s.", city=city.name), "success")
        return redirect(url_for("completeness.city_windows", slug=city.slug))
    return render_form("data/windows_city.html", form, city=city,
                       windows=windows.list_city_windows(get_session(), city))

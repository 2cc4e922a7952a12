"""SDG localisation tracker: a Flask app built by create_app from small named steps."""

import logging
from typing import Any

from flask import Flask, render_template, request
from flask_babel import gettext as _

from tracker.config import Config, as_dict
from tracker.db import init_db, rollback_session
from tracker.extensions import babel, csrf, limiter, login_manager
from tracker.input_guard import register_input_guards
from tracker.operations import check_rate_limit_storage, register_proxy_fix
from tracker.resources import resource_path
from tracker.unit_of_work import UnitOfWorkFlask

logger = logging.getLogger(__name__)


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Create the tracker app; `config` overrides the environment-driven settings."""
    settings = as_dict(Config()) | (config or {})
    app = UnitOfWorkFlask(
        __name__,
        template_folder=str(resource_path("templates")),
        instance_path=str(settings["INSTANCE_PATH"]),
    )
    app.config.from_mapping(settings)
    init_db(app)
    register_input_guards(app)  # first: its hook runs before any other
    register_extensions(app)
    register_blueprints(app)
    register_token_auth(app)  # after the input guards' hook, as each request needs
    register_csrf_exemptions()
    register_queues(app)
    register_request_hooks(app)
    register_error_handlers(app)
    register_template_helpers(app)
    register_cli(app)
    check_rate_limit_storage(app)
    register_proxy_fix(app)  # last: the outermost WSGI layer sees the proxy's headers first
    return app


def register_extensions(app: Flask) -> None:
    """Bind the unbound extensions to this app."""
    csrf.init_app(app)
    babel.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = ""
    from tracker.auth.services import load_user

    login_manager.user_loader(load_user)


def register_blueprints(app: Flask) -> None:
    """Mount every domain's blueprint."""
    from tracker.api.blueprint import bp as api_bp
    from tracker.auth.routes import bp as auth_bp
    from tracker.auth.token_routes import bp as tokens_bp
    from tracker.bulk.routes import bp as bulk_bp
    from tracker.catalogue.routes import bp as catalogue_bp
    from tracker.cities.routes import bp as cities_bp
    from tracker.climate.routes import bp as climate_bp
    from tracker.compare.routes import bp as compare_bp
    from tracker.coverage.routes import bp as coverage_bp
    from tracker.data.completeness_routes import bp as completeness_bp
    from tracker.data.evidence_routes import bp as evidence_bp
    from tracker.data.followup_routes import bp as followup_bp
    from tracker.data.import_job_routes import bp as import_jobs_bp
    from tracker.data.import_routes import bp as data_io_bp
    from tracker.data.open_routes import bp as open_data_bp
    from tracker.data.period_routes import bp as period_bp
    from tracker.data.review_routes import bp as review_bp
    from tracker.data.routes import bp as data_bp
    from tracker.indicators.routes import bp as indicators_bp
    from tracker.main.routes import bp as main_bp
    from tracker.opensdg.export_routes import bp as opensdg_export_bp
    from tracker.opensdg.routes import bp as opensdg_bp
    from tracker.plans.routes import bp as plans_bp
    from tracker.progress.routes import bp as progress_bp
    from tracker.reports.preview_routes import bp as report_preview_bp
    from tracker.reports.routes import bp as reports_bp
    from tracker.sdmx.routes import bp as sdmx_bp
    from tracker.search.routes import bp as search_bp
    from tracker.users.routes import bp as users_bp

    import_route_modules()  # before their blueprints are registered
    for blueprint in (main_bp, auth_bp, users_bp, catalogue_bp, cities_bp, plans_bp,
                      indicators_bp, data_bp, period_bp, completeness_bp, data_io_bp,
                      evidence_bp, followup_bp, tokens_bp, coverage_bp, bulk_bp, progress_bp,
                      climate_bp, compare_bp, api_bp, reports_bp, report_preview_bp,
                      import_jobs_bp, review_bp, open_data_bp, opensdg_export_bp, sdmx_bp,
                      search_bp, opensdg_bp):
        app.register_blueprint(blueprint)


def import_route_modules() -> None:
    """Import the modules that declare routes on a blueprint they import from elsewhere."""
    from tracker.api import (  # noqa: F401
        approval,
        climate,
        compare,
        observations,
        plans,
        progress,
        review,
        routes,
    )
    from tracker.cities import network_routes  # noqa: F401
    from tracker.climate import entity_routes  # noqa: F401


def register_token_auth(app: Flask) -> None:
    """Sign API requests in by bearer token (and check CSRF on the cookie-signed ones)."""
    from tracker.auth.tokens import authenticate_api_request

    app.before_request(authenticate_api_request)


def register_csrf_exemptions() -> None:
    """Exempt the API from CSRFProtect's own check (kept on the shared extension):
    authenticate_api_request does it, as only it tells bearer requests from browser ones."""
    from tracker.api.blueprint import bp as api_bp

    csrf.exempt(api_bp)


def register_queues(app: Flask) -> None:
    """Run report and import jobs once the request that recorded them has committed."""
    from tracker.data.import_queue import init_import_queue
    from tracker.reports.worker import init_worker

    init_worker(app)
    init_import_queue(app)


def register_request_hooks(app: Flask) -> None:
    """Answer refused commits (stale, duplicate) with 409; add security headers. Each view
    is one unit of work: UnitOfWorkFlask commits it unless it raised."""
    from tracker.security import add_security_headers
    from tracker.unit_of_work import register_conflict_handlers

    register_conflict_handlers(app)
    app.after_request(add_security_headers)


def register_error_handlers(app: Flask) -> None:
    """Render friendly pages for the common HTTP errors."""
    messages = {
        400: lambda: _("The request could not be understood."),
        403: lambda: _("You do not have permission to see or change this."),
        404: lambda: _("There is nothing at this address."),
        405: lambda: _("This address does not take that kind of request."),
        413: too_large_message,
        415: lambda: _("This address does not take that kind of content."),
        429: lambda: _("Too many attempts. Please wait a minute and try again."),
        500: lambda: _("Something went wrong on our side."),
    }

    def render_error(error: Any) -> Any:
        code = getattr(error, "code", 500) or 500
        if code >= 500:
            rollback_session()  # the failed unit of work must not break the error page
        message = messages.get(code, messages[500])()
        if request.path.startswith("/api/"):
            return json_error(error, code, message if code == 413 else None)
        return render_template("errors/error.html", code=code, message=message), code

    for code in messages:
        app.register_error_handler(code, render_error)


def too_large_message() -> str:
    """Name the size limit (MAX_CONTENT_LENGTH) a refused request went over."""
    from flask import current_app

    limit = current_app.config.get("MAX_CONTENT_LENGTH") or 0
    message: str = _("The upload is larger than the limit of %(limit)s MB. Send a smaller "
                     "file, or split it into several.", limit=f"{limit / 2**20:g}")
    return message


def json_error(error: Any, code: int, message: str | None = None) -> Any:
    """Answer an API error in JSON (`message` in place of the exception's description)."""
    from flask import jsonify

    name = getattr(error, "name", "Internal Server Error")
    description = getattr(error, "description", "") if code < 500 else ""
    return jsonify(error=name, message=message or description, status=code), code


def register_template_helpers(app: Flask) -> None:
    """Expose access checks and formatting helpers to templates."""
    from tracker.templating import bdi, template_globals

    app.jinja_env.globals.update(template_globals())
    app.jinja_env.filters["bdi"] = bdi


def register_cli(app: Flask) -> None:
    """Add the tracker's command groups to the Flask CLI."""
    from tracker.commands import register_commands

    register_commands(app)

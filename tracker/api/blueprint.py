"""The API's blueprint, on its own so that each endpoint module imports it without the others
(create_app imports the endpoint modules: tracker.import_route_modules)."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

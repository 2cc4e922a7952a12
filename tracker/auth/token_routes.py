"""Routes to create and revoke personal API tokens (being built)."""

from flask import Blueprint

bp = Blueprint("tokens", __name__)

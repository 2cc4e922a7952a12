"""Routes of the data domain's completeness pages (being built)."""

from flask import Blueprint

bp = Blueprint("completeness", __name__)

"""Routes of the data domain's period pages (being built)."""

from flask import Blueprint

bp = Blueprint("period", __name__)

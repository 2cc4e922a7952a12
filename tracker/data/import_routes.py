"""Routes of the data domain's data io pages (being built)."""

from flask import Blueprint

bp = Blueprint("data_io", __name__)

"""Helpers of the comparison tests: store values and align indicators directly."""

import re
from decimal import Decimal
from typing import Any

from flask import Flask
from sqlmodel import Session, select

from tests.factories import boundary
from tracker.catalogue.models import SdgIndicator
from tracker.data.models import Observation, ObservationStatus
from tracker.indicators.models import LocalIndicator, SdgRelation
from tracker.indicators.services import align_to_sdg


def put(db: Session, indicator: LocalIndicator, values: dict[int, str],
        status: str = "approved") -> None:
    """Store total values of an indicator (the review workflow is tested elsewhere)."""
    for year, value in values.items():
        db.add(Observation(indicator_id=indicator.id, year=year, quarter=0, breakdown={},
                           breakdown_key="", value=Decimal(value),
                           status=ObservationStatus(status)))
    db.flush()


def align(app: Flask, db: Session, indicator: LocalIndicator, code: str,
          relation: str = "identical") -> None:
    """Align a local indicator to an SDG indicator of the catalogue."""
    sdg = db.exec(select(SdgIndicator).where(SdgIndicator.code == code)).one()
    with boundary(app, db):
        align_to_sdg(session=db, indicator=indicator, sdg_indicator=sdg,
                     relation=SdgRelation(relation), rationale="", user_id=None)


def measure(app: Flask, db: Session, make_indicator: Any, city: Any, code: str,
            sdg: str, values: dict[int, str], relation: str = "identical",
            status: str = "approved", **kwargs: Any) -> LocalIndicator:
    """Define an indicator of a city aligned to an SDG indicator, with values."""
    indicator = make_indicator(city, code, **kwargs)
    put(db, indicator, values, status)
    align(app, db, indicator, sdg, relation)
    return indicator


def text(response: Any) -> str:
    """A page's text without tags, SVG or runs of spaces (what a reader sees)."""
    html = response.get_data(as_text=True)
    html = re.sub(r"<svg.*?</svg>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#39;", "'")

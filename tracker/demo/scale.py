"""`tracker demo scale`: a network of thousands of synthetic cities with approved values, for
benchmarks and for anyone evaluating the tracker at size (flush, never commit: the command
commits after each chunk of cities, so memory stays bounded however many cities).

What it writes, as the services would for data entered and approved: published cities with
their memberships, local indicators (codes SC-001…, each aligned to an SDG indicator of the
loaded catalogue as a proxy, with a baseline and mostly a 2030 target), approved values (a
few "not available") and one history row per value ("import_approve", as a trusted Open SDG
import writes), and the audit events of the cities, memberships and indicators. Left out:
users, plans, dimensions, reporting windows and the audit events of the SDG alignments
(the indicator's creation event already records it). The COPY and executemany writes pass
by the session hooks that bump stored progress versions: none is needed, since a city
without stored results counts as stale (tracker.progress.stored) until the command's
progress step, or `tracker progress recompute`, stores them.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import func, select, text
from sqlmodel import Session, col

from tracker.catalogue.models import IndicatorStatus, SdgIndicator
from tracker.cities.models import SLUG_PATTERN, City, Network, NetworkCreate
from tracker.cities.services import create_network
from tracker.data.observation_copy import is_postgres
from tracker.db import saved_id
from tracker.demo.data import SYNTHETIC
from tracker.demo.scale_rows import Chunk, Writers, write_chunk
from tracker.demo.scale_values import IndicatorShape, ScaleSpec, indicator_shapes, scale_prefix
from tracker.errors import DomainError
from tracker.timeutil import utcnow

LIMITS = {"cities": 99_999, "indicators": 999, "years": 50}
# Tables a scale set fills: PostgreSQL's planner needs their statistics after the load.
ANALYSED = ("cities", "network_memberships", "local_indicators", "indicator_targets",
            "indicator_alignments", "observations", "observation_changes", "audit_events")


class ScaleError(DomainError):
    """A scale data set was refused; the message says why."""


@dataclass
class ScaleTally:
    """What has been written so far."""

    cities: int = 0
    indicators: int = 0
    values: int = 0
    history: int = 0
    city_ids: list[int] = field(default_factory=list)


def check_spec(spec: ScaleSpec) -> None:
    """Refuse sizes outside the limits, naming the option."""
    for name, limit in LIMITS.items():
        if not 1 <= getattr(spec, name) <= limit:
            raise ScaleError(_("--%(name)s must lie between 1 and %(limit)d.", name=name,
                               limit=limit))
    if not 1950 <= spec.first_year <= 2100 - spec.years:
        raise ScaleError(_("--first-year must lie between 1950 and %(last)d.",
                           last=2100 - spec.years))
    if not re.fullmatch(SLUG_PATTERN, spec.network) or len(spec.network) > 60:
        raise ScaleError(_("--network %(slug)s is not an address name (lower-case letters, "
                           "digits and single hyphens, at most 60).", slug=spec.network))
    if spec.chunk < 1:
        raise ScaleError(_("--chunk must be at least 1."))


def scale_city_count(session: Session, network_slug: str) -> int:
    """Return how many scale cities of this network exist."""
    query = select(func.count()).select_from(City).where(
        col(City.slug).startswith(scale_prefix(network_slug)))
    return int(session.scalar(query) or 0)


def sdg_indicators(session: Session) -> dict[str, tuple[int, str]]:
    """Return the catalogue's active, non-repeated SDG indicators: code → (id, title)."""
    query = (select(col(SdgIndicator.id), col(SdgIndicator.code), col(SdgIndicator.title))
             .where(col(SdgIndicator.status) == IndicatorStatus.ACTIVE,
                    col(SdgIndicator.repeat_of_id).is_(None))
             .order_by(col(SdgIndicator.sort_key)))
    return {code: (int(id_), title) for id_, code, title in session.execute(query)}


def scale_network(session: Session, slug: str) -> Network:
    """Return the network, created (as the services do) when it does not exist."""
    network = session.scalars(select(Network).where(col(Network.slug) == slug)).first()
    if network is not None:
        return network
    network_in = NetworkCreate(slug=slug, name=f"Scale test network {slug}",
                               description=f"{SYNTHETIC}: tracker demo scale")
    return create_network(session=session, network_in=network_in, user_id=None)


def prepare(session: Session, spec: ScaleSpec) -> tuple[Network, list[IndicatorShape],
                                                        dict[str, tuple[int, str]]]:
    """Check the spec and the database; return the network, indicator shapes and SDG ids."""
    check_spec(spec)
    existing = scale_city_count(session, spec.network)
    if existing:
        raise ScaleError(_("%(count)d scale cities (%(prefix)s…) already exist: nothing was "
                           "generated. Use another network or a fresh database.",
                           count=existing, prefix=scale_prefix(spec.network)))
    sdg = sdg_indicators(session)
    if not sdg:
        raise ScaleError(_("The SDG catalogue is not loaded: run `tracker catalogue load` "
                           "first."))
    shapes = indicator_shapes(spec.seed, [(code, title) for code, (_id, title) in sdg.items()],
                         spec.indicators)
    return scale_network(session, spec.network), shapes, sdg


def chunks(spec: ScaleSpec) -> Iterator[range]:
    """Split the city numbers 1…N into chunks."""
    for first in range(1, spec.cities + 1, spec.chunk):
        yield range(first, min(first + spec.chunk, spec.cities + 1))


def generate(session: Session, spec: ScaleSpec) -> Iterator[ScaleTally]:
    """Write the scale set a chunk of cities at a time, yielding the tally after each (the
    caller may commit there); refuse (ScaleError) before writing anything when the network
    already has scale cities or the catalogue is missing."""
    network, shapes, sdg = prepare(session, spec)
    session.flush()
    chunk = Chunk(spec, saved_id(network), network.slug, shapes,
                  {code: id_ for code, (id_, _t) in sdg.items()}, utcnow())
    tally = ScaleTally()
    for numbers in chunks(spec):
        writers = Writers(session, chunk)
        city_ids, history = write_chunk(writers, chunk, numbers)
        tally.cities += len(city_ids)
        tally.indicators += writers.indicators.written
        tally.values += writers.values.written
        tally.history += history
        tally.city_ids += city_ids
        yield tally


def analyse(session: Session) -> None:
    """Refresh PostgreSQL's statistics of the filled tables (SQLite plans without them)."""
    connection = session.connection()
    if is_postgres(connection):
        connection.execute(text(f"ANALYZE {', '.join(ANALYSED)}"))


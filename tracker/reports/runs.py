"""Report runs as services: ask for a report (served at once when its data has not changed),
regenerate one, list runs and open a stored PDF. Services flush; callers commit."""

import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import ColumnElement, or_
from sqlmodel import Session, col, select

from tracker.auth.models import User
from tracker.cities.models import City, Network, NetworkMembership
from tracker.compare.file_names import run_file_name
from tracker.reports import content
from tracker.reports.content import report_data_hash
from tracker.reports.models import ReportKind, ReportRun, RunStatus

PAGE_SIZES = ("A4", "Letter")


@dataclass(frozen=True)
class Target:
    """What a report is about: a city (optionally seen from a network) or a whole network."""

    kind: ReportKind
    year: int
    city: City | None = None
    network: Network | None = None
    page_size: str = "A4"


@dataclass(frozen=True)
class RunRow:
    """A run as the lists show it: with its city or network and who asked for it."""

    run: ReportRun
    subject: str
    requested_by: str


def reports_dir() -> Path:
    """Return the folder of stored PDFs: outside the web root, under the instance folder."""
    configured = current_app.config.get("REPORTS_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "reports"


def new_file_name() -> str:
    """Return a random, unguessable file name for a stored PDF."""
    return f"{secrets.token_hex(16)}.pdf"


def build_context(session: Session, target: Target, generated_by: str = "") -> dict[str, Any]:
    """Build the report content of a target (the content module does the work)."""
    if target.kind == ReportKind.NETWORK:
        if target.network is None:
            raise ValueError("a network report needs its network")
        return content.network_report_context(session, target.network, target.year,
                                              generated_by=generated_by)
    if target.city is None:
        raise ValueError("a city report needs its city")
    return content.city_report_context(session, target.city, target.year,
                                       network=target.network, generated_by=generated_by)


def data_hash(session: Session, target: Target) -> str:
    """Return the hash of the data a report of this target would show."""
    return report_data_hash(build_context(session, target))


def _subject_ids(target: Target) -> tuple[int | None, int | None]:
    """Return the city id (None for a network report) and network id of a target."""
    network_id = target.network.id if target.network else None
    city_id = target.city.id if target.kind != ReportKind.NETWORK and target.city else None
    return city_id, network_id


def _matching(target: Target) -> tuple[ColumnElement[bool], ...]:
    """Filter runs with this target's kind, subject, year and page size."""
    city_id, network_id = _subject_ids(target)
    return (col(ReportRun.kind) == target.kind, col(ReportRun.city_id) == city_id,
            col(ReportRun.network_id) == network_id, col(ReportRun.year) == target.year,
            col(ReportRun.page_size) == target.page_size)


def find_reusable(session: Session, target: Target, digest: str) -> ReportRun | None:
    """Return the newest finished run of this target made from the same data, if its file
    is still there."""
    query = (select(ReportRun).where(*_matching(target), ReportRun.data_hash == digest,
                                     ReportRun.status == RunStatus.DONE)
             .order_by(col(ReportRun.id).desc()).limit(5))
    for run in session.scalars(query):
        if stored_path(run) is not None:
            return run
    return None


def _new_run(session: Session, target: Target, user_id: int | None, digest: str = ""
             ) -> ReportRun:
    """Record a queued run of a target."""
    city_id, network_id = _subject_ids(target)
    run = ReportRun(kind=target.kind, year=target.year, page_size=target.page_size,
                    city_id=city_id, network_id=network_id, data_hash=digest,
                    requested_by_id=user_id, step="queued")
    session.add(run)
    session.flush()
    return run


def request_run(session: Session, target: Target, user_id: int | None
                ) -> tuple[ReportRun, bool]:
    """Ask for a report: return a finished run made from the same data at once, or record a
    new queued run. The flag says whether a new run must be generated."""
    if target.page_size not in PAGE_SIZES:
        raise ValueError(f"unknown page size: {target.page_size}")
    digest = data_hash(session, target)
    if (done := find_reusable(session, target, digest)) is not None:
        return done, False
    return _new_run(session, target, user_id, digest), True


def target_of(session: Session, run: ReportRun) -> Target:
    """Return the target a run was made for."""
    city = session.get(City, run.city_id) if run.city_id else None
    network = session.get(Network, run.network_id) if run.network_id else None
    return Target(kind=ReportKind(run.kind), year=run.year, city=city, network=network,
                  page_size=run.page_size)


def regenerate_run(session: Session, run: ReportRun, user_id: int | None) -> ReportRun:
    """Record a new queued run with the same parameters, even if the data has not changed."""
    again = ReportRun(kind=run.kind, year=run.year, page_size=run.page_size,
                      city_id=run.city_id, network_id=run.network_id, selection=run.selection,
                      data_hash=run.data_hash, requested_by_id=user_id, step="queued",
                      regenerated_from_id=run.id)
    session.add(again)
    session.flush()
    return again


def get_run(session: Session, run_id: int) -> ReportRun | None:
    """Return a run by id."""
    return session.get(ReportRun, run_id)


def list_runs(session: Session, *, network: Network | None = None, city: City | None = None,
              limit: int = 50) -> list[RunRow]:
    """List a network's runs (its own and its cities') or a city's runs, newest first."""
    query = (select(ReportRun, City.name, Network.name, User.email)
             .outerjoin(City, col(City.id) == ReportRun.city_id)
             .outerjoin(Network, col(Network.id) == ReportRun.network_id)
             .outerjoin(User, col(User.id) == ReportRun.requested_by_id)
             .order_by(col(ReportRun.id).desc()).limit(limit))
    if city is not None:
        query = query.where(ReportRun.city_id == city.id)
    elif network is not None:
        members = select(NetworkMembership.city_id).where(
            NetworkMembership.network_id == network.id)
        query = query.where(or_(col(ReportRun.network_id) == network.id,
                                col(ReportRun.city_id).in_(members)))
    return [RunRow(run, city_name or network_name or "", email or "")
            for run, city_name, network_name, email in session.execute(query)]


def stored_path(run: ReportRun) -> Path | None:
    """Return the stored PDF of a finished run, or None when there is none."""
    if run.status != RunStatus.DONE or not run.file_name:
        return None
    path = reports_dir() / run.file_name
    return path if path.is_file() else None


def open_pdf(run: ReportRun) -> bytes | None:
    """Return the bytes of a finished run's PDF, or None."""
    path = stored_path(run)
    return path.read_bytes() if path is not None else None


def download_name(session: Session, run: ReportRun) -> str:
    """Return the file name offered for a run's PDF (e.g. ethekwini-2024-city-7.pdf)."""
    if run.kind == ReportKind.COMPARISON:  # what was compared, and when
        return run_file_name(run.selection, run.created_at.date())
    target = target_of(session, run)
    subject = target.network if run.kind == ReportKind.NETWORK else target.city
    slug = subject.slug if subject is not None else "report"
    return f"{slug}-{run.year}-{run.kind}-{run.id}.pdf"

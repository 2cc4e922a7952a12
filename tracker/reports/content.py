"""What a report shows, loaded in a bounded number of queries and shaped as plain data
(JSON-ready: text, numbers, lists, dicts), so the same data always gives the same hash."""

import hashlib
import json
import math
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from tracker.cities.forms import level_label
from tracker.cities.models import City, Network, NetworkMembership
from tracker.climate.queries import load_city_climate
from tracker.data.completeness import list_member_cities
from tracker.data.period_names import cell_period
from tracker.db import saved_id
from tracker.plans.forms import choice_label
from tracker.plans.models import period_label
from tracker.plans.queries import list_plans
from tracker.progress.queries import IndicatorData, load_element_parents, load_progress_data
from tracker.progress.result import STATUSES
from tracker.progress.services import CityProgress, IndicatorProgress, build_city_progress
from tracker.progress.views import GOALS, goal_statuses, load_goals, projection
from tracker.reports.content_crf import crf_data
from tracker.reports.content_quality import (
    ObservationRow,
    PeriodNames,
    comments_by_indicator,
    completeness_data,
    data_as_of,
    load_observations,
    quality_data,
)
from tracker.reports.labels import country_label
from tracker.timeutil import utcnow

META_KEYS = ("meta",)  # who and when: not data, so not in the hash


def until_year(data: list[IndicatorData], year: int) -> list[IndicatorData]:
    """Keep only the values up to the reporting year (a 2024 report ignores 2025 values)."""
    return [IndicatorData(d.view, {key: [p for p in points if p[0] <= year]
                                   for key, points in d.series.items()},
                          {key: [p for p in points if p[0] <= year]
                           for key, points in d.progress.items()}) for d in data]


def finite(value: float | None) -> float | None:
    """A float that JSON can hold (None for infinities and NaN)."""
    return value if value is not None and math.isfinite(value) else None


def indicator_data(item: IndicatorProgress, comments: list[dict[str, Any]]) -> dict[str, Any]:
    """One indicator of a goal section: definition, baseline, latest, targets, status, series."""
    ind, total = item.indicator, item.total
    return {"id": ind.id, "code": ind.code, "name": ind.name, "unit": ind.unit_label,
            "definition": ind.definition, "direction": ind.direction.value,
            "source": ind.data_source, "department": ind.department,
            "baseline_year": ind.baseline_year,
            "baseline_value": finite(float(ind.baseline_value))
            if ind.baseline_value is not None else None,
            "latest_year": total.latest_year if total else None,
            "latest_value": finite(total.latest_value) if total else None,
            "targets": [{"year": t.year, "value": float(t.value), "label": t.label}
                        for t in ind.targets],
            "status": item.status, "score": finite(item.score),
            "progress_share": finite(total.progress_share) if total else None,
            "series": {key: [[y, finite(v)] for y, v in points]
                       for key, points in sorted(item.years.items())},
            "projection": list(projection(total) or ()) or None,
            "sdg": sorted({link.code for link in item.data.view.sdg_links}),
            "elements": [{"plan": e.plan.title, "code": e.element.code, "title": e.element.title,
                          "description": e.element.description}
                         for e in item.data.view.elements],
            "comments": comments[:3]}


def counts_data(counts: dict[str, int]) -> list[list[Any]]:
    """(status, count) in display order, zeros included."""
    return [[status, counts.get(status, 0)] for status in STATUSES]


def goals_data(infos: dict[int, Any], progress: CityProgress, comments: dict) -> list[dict]:
    """A section per goal with indicators: its status, counts and indicators."""
    goals = []
    for number, rollup in sorted(progress.goals.items()):
        info = infos.get(number)
        goals.append({"number": number, "title": info.title if info else str(number),
                      "short_title": info.short_title if info else str(number),
                      "colour": info.colour if info else "#555555", "status": rollup.status,
                      "counts": counts_data(rollup.counts),
                      "indicators": [indicator_data(i, comments.get(i.indicator.code, []))
                                     for i in rollup.items]})
    return goals


def summary_data(infos: dict[int, Any], progress: CityProgress) -> dict[str, Any]:
    """The SDG progress summary: 17-goal strip statuses and counts per status."""
    best, worst = progress.moving()
    return {"goal_statuses": {str(g): s for g, s in goal_statuses(progress).items()},
            "goal_colours": {str(g): infos[g].colour for g in GOALS if g in infos},
            "goal_titles": {str(g): infos[g].short_title for g in GOALS if g in infos},
            "counts": counts_data(progress.overall.counts), "status": progress.overall.status,
            "indicators": len(progress.items),
            "best": [i.indicator.code for i in best], "worst": [i.indicator.code for i in worst]}


def plans_data(session: Session, city: City) -> list[dict[str, Any]]:
    """The city's plans with their period, status and the SDGs their elements align to."""
    rows = list_plans(session, city)
    start = city.fiscal_year_start_month
    return [{"title": r.plan.title, "kind": choice_label("kind", r.plan.kind),
             "period": period_label(r.plan.start_year, r.plan.end_year, start),
             "status": choice_label("status", r.plan.status),
             "adopted_on": r.plan.adopted_on.isoformat() if r.plan.adopted_on else None,
             "revision": r.plan.revision,
             "description": r.plan.description, "elements": r.element_count,
             "goals": r.goals} for r in rows]


def city_data(city: City, networks: list[str]) -> dict[str, Any]:
    """The city profile, with the names of the networks it belongs to."""
    return {"slug": city.slug, "name": city.name, "country_code": city.country_code,
            "country": country_label(city.country_code), "networks": networks,
            "level": level_label(city.level), "population": city.population,
            "population_year": city.population_year,
            "population_source": city.population_source, "website": city.website,
            "description": city.description,
            "fiscal_year_start_month": city.fiscal_year_start_month}


def load_network_names(session: Session, city_ids: list[int]) -> dict[int, list[str]]:
    """Return the names of the networks each city belongs to, by name, in one query."""
    query = (select(NetworkMembership.city_id, Network.name)
             .join(Network, col(Network.id) == NetworkMembership.network_id)
             .where(col(NetworkMembership.city_id).in_(city_ids)).order_by(col(Network.name)))
    names: dict[int, list[str]] = {city_id: [] for city_id in city_ids}
    for city_id, name in session.exec(query).all():
        names[city_id].append(name)
    return names


def sources_data(context: dict[str, Any]) -> list[str]:
    """Every data source the report cites, once, in order."""
    found = [context["city"]["population_source"]]
    found += [i["source"] for g in context["goals"] for i in g["indicators"]]
    inventory = context["crf"]["inventory"]
    found += [inventory["source"]] if inventory else []
    return list(dict.fromkeys(s for s in found if s))


def meta(generated_by: str) -> dict[str, str]:
    """Who generated the report and when (kept out of the data hash)."""
    return {"generated_by": generated_by, "generated_at": utcnow().strftime("%Y-%m-%dT%H:%MZ")}


def build_city_context(session: Session, city: City, year: int, progress: CityProgress,
                       rows: list[ObservationRow], counted: dict[str, Any],
                       network: Network | None, networks: list[str]) -> dict[str, Any]:
    """Assemble one city's report data from what was loaded."""
    climate, infos = load_city_climate(session, city), load_goals(session)
    periods = period_names(city, progress)
    context: dict[str, Any] = {
        "kind": "city", "year": year, "city": city_data(city, networks),
        "network": {"slug": network.slug, "name": network.name} if network else None,
        "data_as_of": data_as_of(rows), "plans": plans_data(session, city),
        "summary": summary_data(infos, progress),
        "goals": goals_data(infos, progress, comments_by_indicator(rows, periods)),
        "crf": crf_data(climate, date(year, 12, 31), city.population),
        "quality": quality_data(rows, counted, periods)}
    context["sources"] = sources_data(context)
    return context


def period_names(city: City, progress: CityProgress) -> PeriodNames:
    """Name a value's period as every page does (tracker.data.period_names.cell_period), with
    the indicators the progress already holds (every active one: no query)."""
    by_code = {item.indicator.code: item.indicator for item in progress.items}
    return lambda obs, code: cell_period(city, by_code[code], obs)


def city_report_context(session: Session, city: City, year: int, *,
                        network: Network | None = None, generated_by: str = "") -> dict:
    """Load everything a city report shows, for a reporting year."""
    city_id = saved_id(city)
    data = until_year(load_progress_data(session, [city])[city_id], year)
    progress = build_city_progress(city, data, load_element_parents(session, [city_id]))
    rows = load_observations(session, [city_id], year)
    counted = completeness_data(session, [city], year)[city_id]
    networks = load_network_names(session, [city_id])[city_id]
    context = build_city_context(session, city, year, progress, rows, counted, network,
                                 networks)
    context["meta"] = meta(generated_by)
    return context


def has_content(context: dict[str, Any]) -> bool:
    """Does a city's report hold anything: an indicator, a plan, a value, climate data?"""
    crf = context["crf"]
    return bool(context["summary"]["indicators"] or context["plans"]
                or context["quality"]["excluded"] or crf["inventory"] or crf["targets"]
                or crf["hazards"] or crf["goals"] or crf["capacities"] or crf["actions"])


def cohort_row(context: dict[str, Any]) -> dict[str, Any]:
    """A city's line in the network's cohort summary."""
    compliance = context["crf"]["compliance"]
    return {"name": context["city"]["name"], "slug": context["city"]["slug"],
            "goal_statuses": context["summary"]["goal_statuses"],
            "status": context["summary"]["status"],
            "indicators": context["summary"]["indicators"],
            "met": compliance["met"], "phases": compliance["phases"],
            "compliant": compliance["compliant"],
            "completeness": context["quality"]["completeness"]["percent"]}


def network_report_context(session: Session, network: Network, year: int, *,
                           generated_by: str = "") -> dict[str, Any]:
    """Load a network report: the cohort summary, then every member city's report data."""
    cities = list_member_cities(session, network)
    ids = [saved_id(c) for c in cities]
    data = load_progress_data(session, cities)
    parents = load_element_parents(session, ids)
    rows = load_observations(session, ids, year)
    counted = completeness_data(session, cities, year)
    networks = load_network_names(session, ids)
    reports = []
    for city, city_id in zip(cities, ids, strict=True):
        progress = build_city_progress(city, until_year(data[city_id], year), parents)
        own = [r for r in rows if r[2] == city_id]
        reports.append(build_city_context(session, city, year, progress, own,
                                          counted[city_id], network, networks[city_id]))
    context = {"kind": "network", "year": year,
               "network": {"slug": network.slug, "name": network.name,
                           "description": network.description},
               "cohort": [cohort_row(r) for r in reports], "cities": reports,
               "meta": meta(generated_by)}
    return context


def report_data_hash(context: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON of the data a report shows (who and when excluded)."""
    data = {k: v for k, v in context.items() if k not in META_KEYS}
    data["cities"] = [{k: v for k, v in c.items() if k not in META_KEYS}
                      for c in data.get("cities", [])]
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()

"""The searches of the site search: each one query, limited, and only over what the searcher
may read (an unpublished city's plans and indicators are found by its readers alone)."""

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlmodel import Session, col

from tracker.auth.access import readable_cities_clause
from tracker.auth.models import User
from tracker.catalogue.models import Goal, SdgIndicator, Target
from tracker.catalogue.queries import search_catalogue
from tracker.cities.models import City
from tracker.indicators.models import LocalIndicator
from tracker.plans.models import Plan

LIMIT = 50  # results per kind
MAX_WORDS = 8


@dataclass
class Results:
    """What a search found, by kind."""

    cities: list[City] = field(default_factory=list)
    plans: list[tuple[Plan, City]] = field(default_factory=list)
    indicators: list[tuple[LocalIndicator, City]] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    sdg_indicators: list[SdgIndicator] = field(default_factory=list)

    @property
    def total(self) -> int:
        """How many results there are of every kind."""
        return sum(len(found) for found in (self.cities, self.plans, self.indicators,
                                            self.goals, self.targets, self.sdg_indicators))


def words_of(text: str) -> list[str]:
    """Split a query into at most MAX_WORDS lower-case words."""
    return [w for w in re.split(r"\s+", text.lower()) if w][:MAX_WORDS]


def matches(words: list[str], *columns: Any) -> list[ColumnElement[bool]]:
    """Every word must appear in one of the columns (case-insensitive, literally)."""
    return [or_(*(func.lower(column).contains(word, autoescape=True) for column in columns))
            for word in words]


def find_cities(session: Session, user: User | None, words: list[str]) -> list[City]:
    """Cities the user may read whose name or address name holds every word."""
    query = (select(City).where(readable_cities_clause(user),
                                *matches(words, City.name, City.slug))
             .order_by(func.lower(City.name)).limit(LIMIT))
    return list(session.scalars(query))


def find_plans(session: Session, user: User | None, words: list[str]) -> list[tuple[Plan, City]]:
    """Plans of readable cities whose title holds every word."""
    query = (select(Plan, City).join(City, col(City.id) == col(Plan.city_id))
             .where(readable_cities_clause(user), *matches(words, Plan.title))
             .order_by(func.lower(City.name), func.lower(Plan.title)).limit(LIMIT))
    return [(plan, city) for plan, city in session.execute(query)]


def find_indicators(session: Session, user: User | None, words: list[str]
                    ) -> list[tuple[LocalIndicator, City]]:
    """Local indicators of readable cities whose code or name holds every word."""
    query = (select(LocalIndicator, City).join(City, col(City.id) == col(LocalIndicator.city_id))
             .where(readable_cities_clause(user),
                    *matches(words, LocalIndicator.code, LocalIndicator.name))
             .order_by(func.lower(City.name), func.lower(LocalIndicator.code)).limit(LIMIT))
    return [(indicator, city) for indicator, city in session.execute(query)]


def find_goals(session: Session, text: str, words: list[str]) -> list[Goal]:
    """Goals by number ("11", "goal 11") or by words of their titles."""
    number = re.fullmatch(r"(?:goal\s*|sdg\s*)?(\d{1,2})", text.strip().lower())
    if number:
        query = select(Goal).where(col(Goal.number) == int(number.group(1)))
    else:
        query = select(Goal).where(*matches(words, Goal.title, Goal.short_title))
    return list(session.scalars(query.order_by(col(Goal.number))))


def search_site(session: Session, user: User | None, text: str) -> Results:
    """Search everything the user may read for the text (blank finds nothing)."""
    words = words_of(text)
    if not words:
        return Results()
    targets, sdg_indicators = search_catalogue(session, text, limit=LIMIT)
    return Results(cities=find_cities(session, user, words),
                   plans=find_plans(session, user, words),
                   indicators=find_indicators(session, user, words),
                   goals=find_goals(session, text, words), targets=targets,
                   sdg_indicators=sdg_indicators)

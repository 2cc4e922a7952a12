"""What to compare, read from the URL (the selection is the permalink): cities or a network,
a scope, a year, drafts, sorting, filtering, score bounds and category thresholds.

Parsing is lenient on purpose: a value that makes no sense is ignored, so shared links never
break; the page shows the selection it actually used."""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from tracker.compare.scoring import BOUNDS, COHORT, DEFAULT_THRESHOLDS, Thresholds
from tracker.text_rules import whole_number

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
SDG_CODE = re.compile(r"^\d{1,2}\.[0-9a-z]{1,2}\.\d{1,2}$")
TARGET_CODE = re.compile(r"^\d{1,2}\.[0-9a-z]{1,2}$")
SORT = re.compile(r"^(indicator|score:[a-z0-9-]{1,80})$")


@dataclass(frozen=True)
class Selection:
    """A comparison's choices."""

    cities: tuple[str, ...] = ()
    network: str | None = None
    goal: int | None = None
    target: str | None = None
    indicators: tuple[str, ...] = ()
    plan_kind: str | None = None
    year: int | None = None  # None: the latest value
    drafts: bool = False
    sort: str = "indicator"
    comparable_only: bool = False
    strict: bool = False  # leave proxy and contextualised alignments out of scores too
    bounds: str = COHORT
    thresholds: Thresholds = field(default=DEFAULT_THRESHOLDS)
    trend: str | None = None
    min_indicators: int | None = None  # the coverage rule; None: the configured one
    min_share: int | None = None  # whole percent

    def args(self, **changes: Any) -> dict[str, str]:
        """Return the URL parameters of this selection (with changes), defaults left out."""
        sel = replace(self, **changes)
        out = {"cities": ",".join(sel.cities), "network": sel.network or "",
               "goal": "" if sel.goal is None else str(sel.goal), "target": sel.target or "",
               "indicators": ",".join(sel.indicators), "plan_kind": sel.plan_kind or "",
               "year": "" if sel.year is None else str(sel.year),
               "drafts": "1" if sel.drafts else "",
               "sort": "" if sel.sort == "indicator" else sel.sort,
               "comparable": "1" if sel.comparable_only else "",
               "strict": "1" if sel.strict else "",
               "bounds": "" if sel.bounds == COHORT else sel.bounds, "trend": sel.trend or "",
               "min_indicators": "" if sel.min_indicators is None else str(sel.min_indicators),
               "min_share": "" if sel.min_share is None else str(sel.min_share)}
        if sel.thresholds != DEFAULT_THRESHOLDS:
            out |= {"performer": str(sel.thresholds.performer),
                    "front_runner": str(sel.thresholds.front_runner),
                    "achiever": str(sel.thresholds.achiever)}
        return {key: value for key, value in out.items() if value}

    @property
    def sort_city(self) -> str | None:
        """The slug of the city whose scores order the rows (None: by indicator)."""
        return self.sort.split(":", 1)[1] if self.sort.startswith("score:") else None


def split(text: str | None, pattern: re.Pattern[str]) -> tuple[str, ...]:
    """Split a comma list, keeping the well-formed distinct items in order."""
    items = [part.strip().lower() for part in (text or "").split(",")]
    return tuple(dict.fromkeys(item for item in items if pattern.match(item)))


def whole(text: str | None, low: int, high: int) -> int | None:
    """Read a whole number within bounds (None otherwise)."""
    value = whole_number(text)
    return value if value is not None and low <= value <= high else None


def read_thresholds(args: Mapping[str, str]) -> Thresholds:
    """Read the category thresholds, falling back to the defaults when they make no sense."""
    base = DEFAULT_THRESHOLDS
    chosen = Thresholds(
        whole(args.get("performer"), 1, 100) or base.performer,
        whole(args.get("front_runner"), 1, 100) or base.front_runner,
        whole(args.get("achiever"), 1, 100) or base.achiever)
    return chosen if chosen.is_valid() else base


def read_selection(args: Mapping[str, str]) -> Selection:
    """Read a selection from URL parameters."""
    network = (args.get("network") or "").strip().lower()
    target = (args.get("target") or "").strip().lower()
    kind = (args.get("plan_kind") or "").strip().lower()
    sort = (args.get("sort") or "indicator").strip().lower()
    trend = (args.get("trend") or "").strip().lower()
    return Selection(
        cities=split(args.get("cities"), SLUG),
        network=network if SLUG.match(network) else None,
        goal=whole(args.get("goal"), 1, 17),
        target=target if TARGET_CODE.match(target) else None,
        indicators=split(args.get("indicators"), SDG_CODE),
        plan_kind=kind if re.match(r"^[a-z_]{1,60}$", kind) else None,
        year=whole(args.get("year"), 1950, 2100),
        drafts=args.get("drafts") == "1",
        sort=sort if SORT.match(sort) else "indicator",
        comparable_only=args.get("comparable") == "1",
        strict=args.get("strict") == "1",
        bounds=next((b for b in BOUNDS if b == args.get("bounds")), COHORT),
        thresholds=read_thresholds(args),
        trend=trend if SDG_CODE.match(trend) else None,
        min_indicators=whole(args.get("min_indicators"), 1, 500),
        min_share=whole(args.get("min_share"), 0, 100))

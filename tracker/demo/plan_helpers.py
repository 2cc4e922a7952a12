"""Helpers and shared wording for the demo plans (one module per demo city uses them)."""

from typing import Any

DIRECT, CONTRIBUTES = "direct", "contributes"
IDENTICAL, CONTEXTUALISED, PROXY = "identical", "contextualised", "proxy"
PROPOSED = "Proposed alignment for the demo (primary = best match)"
YEAR_ASSUMED = ("Baseline as given in the 2016/17 SDBIP KPI table; the year (2015/16, the "
                "position before 2016/17) is assumed.")
SDBIP_2016 = "eThekwini SDBIP 2016/17 KPI table"


def element(code: str, title: str, parent: str | None = None, *,
            align: tuple[tuple[Any, ...], ...] = (), description: str = "",
            budget: str | None = None) -> dict[str, Any]:
    """Describe a plan element; `align` holds (SDG code, relation[, primary]) tuples."""
    return {"code": code, "title": title, "parent": parent, "description": description,
            "budget": budget, "align": [(a[0], a[1], len(a) > 2 and a[2]) for a in align]}


def quarters(year: int, label: str, values: tuple[str, ...], note: str = ""
             ) -> list[dict[str, Any]]:
    """Quarterly targets of one fiscal year, labelled "Q1 2016/17" … (plus a note)."""
    return [{"year": year, "value": v, "label": f"Q{i} {label}{note}"}
            for i, v in enumerate(values, start=1)]


def indicator(code: str, name: str, *, sdg: tuple[tuple[str, str, str], ...] = (),
              links: tuple[tuple[str, str], ...] = (), **fields: Any) -> dict[str, Any]:
    """Describe a local indicator; `sdg` holds (code, relation, rationale), `links` (plan, code)."""
    return {"fields": {"code": code, "name": name, **fields}, "sdg": list(sdg),
            "links": list(links)}

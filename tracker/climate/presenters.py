"""How climate data reads on pages and in the CRF sections of PDF reports: figures in tCO2e,
compliance phases and statuses, pillars and the vocabularies' labels."""

from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l

from tracker.climate.compliance import Phase, Status
from tracker.climate.entity_forms import (
    ACTION_KINDS,
    ACTION_STATUSES,
    CHANGES,
    LEVELS,
    TARGET_KINDS,
    TIMEFRAMES,
    humanise,
)
from tracker.climate.forms import field_name
from tracker.climate.sectors import NOTATION_KEY_NAMES, SECTOR_NAMES, NotationKey, Sector
from tracker.climate.vocab import Level, hazard_label

PHASE_LABELS = {
    Phase.INVENTORY: _l("Inventory"), Phase.TARGET: _l("Target"),
    Phase.MITIGATION_PLAN: _l("Plan"), Phase.ASSESSMENT: _l("Risk and vulnerability assessment"),
    Phase.GOAL: _l("Goal"), Phase.ADAPTATION_PLAN: _l("Plan")}
STATUS_LABELS = {Status.MET: _l("Met"), Status.PARTIAL: _l("Partially met"),
                 Status.NOT_STARTED: _l("Not started")}
PILLARS = ((_l("Mitigation"), (Phase.INVENTORY, Phase.TARGET, Phase.MITIGATION_PLAN)),
           (_l("Adaptation"), (Phase.ASSESSMENT, Phase.GOAL, Phase.ADAPTATION_PLAN)))
LABEL_LISTS = {"target_kinds": TARGET_KINDS, "level_labels": LEVELS, "change_labels": CHANGES,
               "timeframe_labels": TIMEFRAMES, "action_kinds": ACTION_KINDS,
               "action_statuses": ACTION_STATUSES}
MATRIX_LEVELS = (Level.HIGH, Level.MODERATE, Level.LOW)


def tco2e(value: Decimal | None) -> str:
    """Write a figure exactly, with thousands separators and no trailing zeros."""
    if value is None:
        return "—"
    text = format(value, ",f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def template_helpers() -> dict[str, Any]:
    """The labels and number formatting the climate templates use."""
    return {"tco2e": tco2e, "sector_names": SECTOR_NAMES, "hazard_label": hazard_label,
            "phase_labels": PHASE_LABELS, "status_labels": STATUS_LABELS, "pillars": PILLARS,
            "notation_keys": [(k.value, NOTATION_KEY_NAMES[k]) for k in NotationKey],
            "field_name": field_name, "Sector": Sector, "humanise": humanise,
            **{name: dict(pairs) for name, pairs in LABEL_LISTS.items()}}

"""The main tables of a city report as CSV (one table) or XLSX (a sheet per table), with the
bulk module's formula escaping: no cell ever runs as a spreadsheet formula."""

import io
from collections.abc import Callable
from typing import Any

from tracker.bulk.formats import fill_sheet, write_csv
from tracker.charts import status_style

Table = tuple[list[str], list[list[str]]]


def text(value: Any) -> str:
    """A cell as text ("" for none)."""
    return "" if value is None else str(value)


def indicators_table(c: dict[str, Any]) -> Table:
    """Every indicator of every goal section with its figures and status."""
    header = ["Goal", "Code", "Indicator", "Unit", "Status", "Baseline year", "Baseline",
              "Latest year", "Latest", "Targets", "SDG indicators"]
    rows = [[text(g["number"]), i["code"], i["name"], i["unit"],
             str(status_style(i["status"]).label), text(i["baseline_year"]),
             text(i["baseline_value"]), text(i["latest_year"]), text(i["latest_value"]),
             "; ".join(f"{t['value']:g} ({t['year']})" for t in i["targets"]),
             ", ".join(i["sdg"])] for g in c["goals"] for i in g["indicators"]]
    return header, rows


def goals_table(c: dict[str, Any]) -> Table:
    """The 17 goals' statuses."""
    summary = c["summary"]
    rows = [[str(g), summary["goal_titles"].get(str(g), ""),
             str(status_style(s).label) if (s := summary["goal_statuses"][str(g)]) else ""]
            for g in range(1, 18)]
    return ["Goal", "Title", "Status"], rows


def inventory_table(c: dict[str, Any]) -> Table:
    """The CRF summary table: a row per sub-sector, a figure or notation key per scope."""
    inv = c["crf"]["inventory"]
    rows = []
    for sector in inv["sectors"] if inv else []:
        for row in sector["rows"]:
            cells = [s["value"] or s["key"] or "" if s["applies"] else "n/a" for s in row["scopes"]]
            rows.append([sector["name"], row["name"], *cells])
    return ["Sector", "Sub-sector", "Scope 1", "Scope 2", "Scope 3"], rows


def targets_table(c: dict[str, Any]) -> Table:
    """The mitigation target register."""
    rows = [[t["kind"], text(t["base_year"]), text(t["target_year"]), text(t["reduction"]),
             text(t["base"]), text(t["goal"]), text(t["latest"]), text(t["percent"])]
            for t in c["crf"]["targets"]]
    return ["Type", "Base year", "Target year", "Reduction %", "Base tCO2e", "Aim tCO2e",
            "Latest tCO2e", "Attainment %"], rows


def actions_table(c: dict[str, Any]) -> Table:
    """The climate actions with their SDG links."""
    rows = [[a["title"], a["kind"], a["status"], text(a["cost"]), a["currency"],
             text(a["reduction"]), "; ".join(a["elements"]), ", ".join(a["sdg_targets"]),
             ", ".join(a["hazards"])] for a in c["crf"]["actions"]]
    return ["Action", "Kind", "Status", "Cost", "Currency", "Reduction tCO2e",
            "Plan elements", "SDG targets", "Hazards"], rows


TABLES: dict[str, Callable[[dict[str, Any]], Table]] = {
    "indicators": indicators_table, "goals": goals_table, "inventory": inventory_table,
    "targets": targets_table, "actions": actions_table}


def report_tables_csv(context: dict[str, Any], table: str = "indicators") -> bytes:
    """One of the report's tables as UTF-8 CSV (formula-escaped)."""
    header, rows = TABLES[table](context)
    return write_csv(header, rows)


def report_tables_xlsx(context: dict[str, Any]) -> bytes:
    """All the report's tables as a workbook, a sheet per table, every cell text."""
    from openpyxl import Workbook  # here, not at start-up (~0.2 s CPU)

    workbook = Workbook()
    first = workbook.active
    for name, build in TABLES.items():
        header, rows = build(context)
        fill_sheet(workbook.create_sheet(name), header, rows)
    if first is not None:
        workbook.remove(first)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()

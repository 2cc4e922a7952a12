"""The configuration files of an exported Open SDG repository: `config_data.yml` for
sdg-build and the metadata schema (Prose.io form, which sdg-build turns into JSON Schema)."""

from typing import Any

# Columns sdg-build keeps out of the disaggregations by default, plus the Progress column.
NON_DISAGGREGATION = ["Year", "Units", "Series", "Value", "GeoCode", "Observation status",
                      "Unit multiplier", "Unit measure", "UNIT_MEASURE", "SERIES",
                      "COMMENT_TS", "DATA_LAST_UPDATE", "Progress"]
OBSERVATION_ATTRIBUTES = ["COMMENT_OBS", "SOURCE_DETAIL"]
REPORTING_STATUSES = ["complete", "inprogress", "notstarted", "notapplicable"]
GRAPH_TYPES = ["line", "bar", "binary"]


def _field(name: str, element: str, **extra: Any) -> dict[str, Any]:
    """One Prose.io field of the schema."""
    return {"name": name, "field": {"element": element, "label": name, **extra}}


def _select(name: str, values: list[str]) -> dict[str, Any]:
    """A Prose.io select field with these values."""
    return _field(name, "select", options=[{"name": v, "value": v} for v in values])


# The fields an export always writes; sdg-build requires published and reporting_status,
# data_non_statistical for complete indicators, and graph_title/graph_type for charts.
METADATA_SCHEMA: dict[str, Any] = {"prose": {"metadata": {"meta": [
    _field("published", "checkbox"),
    _select("reporting_status", REPORTING_STATUSES),
    _field("data_non_statistical", "checkbox"),
    _select("graph_type", GRAPH_TYPES),
    _field("graph_title", "text"),
    _field("indicator_name", "text"),
    _field("indicator_number", "text"),
    _field("national_geographical_coverage", "text"),
    _field("auto_progress_calculation", "checkbox"),
]}}}


def repository_config(city_name: str, note: str, attributes: list[str]) -> dict[str, Any]:
    """sdg-build's configuration for the exported repository: its inputs, schema, and the
    attribute columns that are not disaggregations."""
    extra = [a for a in attributes if a not in NON_DISAGGREGATION + OBSERVATION_ATTRIBUTES]
    return {
        "languages": ["en"],
        "src_dir": "",
        "site_dir": "_site",
        "schema_file": "metadata_schema.yml",
        "inputs": [{"class": "InputCsvData", "path_pattern": "data/*-*.csv"},
                   {"class": "InputYamlMeta", "path_pattern": "indicator-config/*-*.yml",
                    "git": False}],
        "indicator_options": {"non_disaggregation_columns": NON_DISAGGREGATION,
                              "observation_attributes": OBSERVATION_ATTRIBUTES + extra,
                              "series_column": "Series", "unit_column": "Units"},
        # The site's list (Open SDG's site configuration form), which importers read too.
        "observation_attributes": [{"field": a} for a in attributes],
        "reporting_status_extra_fields": [],
        "docs_branding": city_name,
        "docs_intro": note,
    }

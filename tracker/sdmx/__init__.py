"""SDMX out: a city's approved values against the global SDG data structure definition."""

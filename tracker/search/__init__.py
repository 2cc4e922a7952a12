"""Site search: cities, plans, local indicators and the SDG catalogue, as the searcher may
read them."""

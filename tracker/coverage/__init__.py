"""Coverage views: which SDGs a city's plans and local indicators touch, and where the gaps are."""
